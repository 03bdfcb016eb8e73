"""I/O faults: a write that fails at any step changes no file and says why in one line.

Each file-system call a writing command makes (temp write, fsync, hard link, rename, folder
fsync, unlink of the journal) fails in turn with ENOSPC, EIO and EROFS, through the CLI. Then a
read-only data home (a read-only bind mount: root ignores file modes, so chmod 0500 proves
nothing when the tests run as root) and a really full disk (a 64 KiB tmpfs). Both need root
and `mount`; without them those tests are skipped with the reason.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, record, snapshot
from hrtrust.storage.paths import JOURNAL, TEMP_MARK

FAULT_CALLS = ("write", "fsync", "link", "replace")
ERRORS = (errno.ENOSPC, errno.EIO, errno.EROFS)
HINT = "hint: check free space and permissions of the data home\n"

# Commands that rewrite one file, two (a file with comments and its backup), and three.
COMMANDS: dict[str, tuple[str, ...]] = {
    "contact edit": ("contact", "edit", "maria", "--role", "Plant director"),
    "log (3 files)": (
        "log",
        "coffee-chat",
        "--with",
        "maria",
        "--promise",
        "send the criteria",
        "--due",
        "fri",
        "--learned",
        "training for a marathon",
    ),
    "promise done": ("promise", "done", "p1"),
}


def leftovers(home: Path) -> list[str]:
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if TEMP_MARK in p.name or p.name == JOURNAL
    )


def patch_calls(
    monkeypatch: pytest.MonkeyPatch, hook: Callable[[str, tuple[Any, ...]], None]
) -> None:
    for name in FAULT_CALLS:
        real = getattr(os, name)

        def fake(*args: Any, _name: str = name, _real: Callable[..., Any] = real) -> Any:
            hook(_name, args)
            return _real(*args)

        monkeypatch.setattr(os, name, fake)


def is_cache(args: tuple[Any, ...]) -> bool:
    """A call on the derived cache (best effort: its failure is not a failed command)."""
    return any(".cache" in str(a) for a in args if isinstance(a, (str, os.PathLike)))


def calls_made(cli: Cli, home: Path, args: tuple[str, ...], tmp: Path) -> list[str]:
    copy = tmp / "count"
    shutil.copytree(home, copy)
    seen: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HRTRUST_HOME", str(copy))
        patch_calls(mp, lambda name, a: seen.append(name))
        result = cli(*args)
    assert result.exit_code == 0, result.output
    shutil.rmtree(copy)
    return seen


def test_every_write_step_failing_changes_nothing(
    cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The records cache is written on a read only when missing, which would shift the step
    # numbers between the counting run and the faulty ones; test_records_cache covers it.
    monkeypatch.setattr("hrtrust.storage.store.RECORDS_CACHE_MIN", 10**12)
    # a hand-edited, commented file makes `contact edit` write a backup as well
    contacts = demo / "contacts.toml"
    contacts.write_text("# edited by hand\n" + contacts.read_text(encoding="utf-8"), "utf-8")
    before = snapshot(demo)
    points = 0
    failed_commands = 0
    cache_only = 0
    for name, args in COMMANDS.items():
        calls = calls_made(cli, demo, args, tmp_path)
        assert len(calls) >= 4, name
        for n in range(1, len(calls) + 1):
            for code in ERRORS:
                points += 1
                seen = 0
                in_cache = False

                def hook(call: str, a: tuple[Any, ...], n: int = n, code: int = code) -> None:
                    nonlocal seen, in_cache
                    seen += 1
                    if seen == n:
                        in_cache = is_cache(a)
                        raise OSError(code, os.strerror(code))

                with monkeypatch.context() as mp:
                    patch_calls(mp, hook)
                    result = cli(*args)
                assert leftovers(demo) == [], (name, n, code)
                if in_cache:  # the derived index could not be written: the command still works
                    assert result.exit_code == 0, (name, n, result.stderr)
                    cache_only += 1
                    shutil.rmtree(demo / ".cache", ignore_errors=True)
                    # undo the successful command for the next fault point
                    for rel in set(snapshot(demo)) - set(before):
                        (demo / rel).unlink()
                    for rel, data in before.items():
                        (demo / rel).write_bytes(data)
                    continue
                failed_commands += 1
                assert result.exit_code == 7, (name, n, code, result.output)
                assert result.stdout == ""
                lines = result.stderr.splitlines(keepends=True)
                assert len(lines) == 2, result.stderr
                assert lines[0].startswith("hrtrust: error: ")
                assert lines[0].endswith(
                    f"could not write ({os.strerror(code)}); no file was changed\n"
                )
                assert lines[1] == HINT
                assert snapshot(demo) == before, (name, n, code)
    assert failed_commands > 30
    record(
        "faults",
        commands=len(COMMANDS),
        points=points // len(ERRORS),
        errors=len(ERRORS),
        failed=failed_commands,
        cache_only=cache_only,
        files_changed=0,
    )


def test_a_failing_read_says_which_file(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import store

    real = store.read_file

    def broken(path: Path) -> tuple[bytes, os.stat_result]:
        if path.name == "contacts.toml":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(path)

    monkeypatch.setattr(store, "read_file", broken)
    result = cli("contact", "list")
    assert result.exit_code == 5
    assert result.stderr == (
        f"hrtrust: error: {demo / 'contacts.toml'}: cannot read: Input/output error\n"
    )


# -- a read-only home and a full disk, for real -----------------------------------------------


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def read_only(demo: Path) -> Iterator[Path]:
    """The demo home as a read-only bind mount (EROFS even for root)."""
    (demo / ".lock").touch(mode=0o600)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only bind mount needs root and mount")
    if _mount("--bind", str(demo), str(demo)).returncode != 0:
        pytest.skip("mount --bind is not permitted here")
    try:
        if _mount("-o", "remount,ro,bind", str(demo)).returncode != 0:
            pytest.skip("remounting read-only is not permitted here")
        yield demo
    finally:
        subprocess.run(["umount", str(demo)], check=True)


def test_read_only_home_refuses_writes_and_serves_reads(cli: Cli, read_only: Path) -> None:
    before = snapshot(read_only)
    for args in COMMANDS.values():
        result = cli(*args)
        assert result.exit_code == 7, result.output
        assert result.stdout == ""
        assert result.stderr == (
            f"hrtrust: error: {read_only / '.lock'}: cannot take the lock (Read-only file "
            "system); no file was changed\n" + HINT
        )
    for args in (("plan", "week"), ("overdue",), ("contact", "list", "--json")):
        result = cli(*args)
        assert result.exit_code == 0, result.output  # the cache is skipped, quietly
        assert result.stderr == ""
    assert snapshot(read_only) == before
    record("read-only-home", commands=len(COMMANDS), files_changed=0, reads_ok=3)


def test_read_only_home_when_root_is_not_available(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a mount: every file creation in the home fails with EROFS (monkeypatched)."""
    before = snapshot(demo)
    real_open = os.open

    def ro_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).startswith(str(demo)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", ro_open)
    for args in COMMANDS.values():
        result = cli(*args)
        assert result.exit_code == 7, result.output
        assert result.stderr.startswith(f"hrtrust: error: {demo}")
        assert "(Read-only file system); no file was changed\n" in result.stderr
    assert snapshot(demo) == before


@pytest.fixture
def tiny_disk(tmp_path: Path, cli: Cli) -> Iterator[Path]:
    """A 64 KiB tmpfs holding a small home, then filled to the last byte."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs root and mount (tmpfs)")
    if _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        home = mnt / "home"
        assert cli("--home", str(home), "init", "--timezone", "UTC").exit_code == 0
        for name in ("Maria Chen", "Mark Lee"):
            assert cli("--home", str(home), "contact", "add", name).exit_code == 0
        filler = mnt / "filler"
        with open(filler, "wb", buffering=0) as fh:
            for size in (4096, 1):  # whole pages, then the last bytes
                try:
                    while True:
                        fh.write(b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
        yield home
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_full_disk_changes_nothing(cli: Cli, tiny_disk: Path) -> None:
    before = snapshot(tiny_disk)
    note = "a long note " * 400  # bigger than any slack left in the last block
    for args in (
        ("contact", "edit", "maria", "--note", note),
        ("contact", "add", "Someone New", "--note", note),
        ("log", "check-in", "--with", "maria", "--note", note, "--promise", "x", "--due", "fri"),
    ):
        result = cli("--home", str(tiny_disk), *args)
        assert result.exit_code == 7, result.output
        assert result.stdout == ""
        assert result.stderr == (
            "hrtrust: error: could not write (No space left on device); no file was changed\n"
            + HINT
        )
        assert snapshot(tiny_disk) == before
        assert leftovers(tiny_disk) == []
    result = cli("--home", str(tiny_disk), "contact", "list")
    assert result.exit_code == 0
    assert "Maria Chen" in result.stdout
    record("full-disk", commands=3, files_changed=0)
