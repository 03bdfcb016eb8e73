"""Hardening: nothing outside the data home is touched, nothing private escapes.

One test (or a few) per class of the adversarial review: ``--output`` onto special files and
into the home, a planted commit journal, ``init`` over existing data, symlinks inside the
home, an unreadable data file and the parsed cache. Tests that need root (a device node) say
so in their skip reason.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path

import pytest

from conftest import Cli, record, snapshot
from hrtrust.storage.journal import Entry, Journal, digest

IS_ROOT = os.geteuid() == 0
COUNTS: dict[str, int] = {}


def tried(what: str, n: int = 1) -> None:
    COUNTS[what] = COUNTS.get(what, 0) + n


def tree(folder: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry under ``folder`` with its type bits and, for files, its bytes."""
    out: dict[str, tuple[int, bytes | None]] = {}
    for p in sorted(folder.rglob("*")):
        st = os.lstat(p)
        data = p.read_bytes() if stat.S_ISREG(st.st_mode) else None
        out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode) | stat.S_IMODE(st.st_mode), data)
    return out


# -- --output -----------------------------------------------------------------------------------

OUTPUT_COMMANDS = [
    ("export", "json"),
    ("export", "csv"),
    ("export", "ics"),
    ("digest", "--format", "markdown"),
]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_into_a_fifo_writes_into_it_and_keeps_it_a_fifo(
    cli: Cli, demo: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = cli(*command, "--output", str(fifo))
    reader.join(10)
    tried("output: fifo")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert stat.S_IMODE(os.lstat(fifo).st_mode) == 0o644
    assert got and len(got[0]) > 100
    assert result.stdout == ""  # no "Wrote ..." into a pipe


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_to_dev_null_keeps_the_device(
    cli: Cli, demo: Path, command: tuple[str, ...]
) -> None:
    before = os.stat("/dev/null")
    result = cli(*command, "--output", "/dev/null")
    tried("output: /dev/null")
    after = os.stat("/dev/null")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_rdev, after.st_ino, after.st_mode) == (
        before.st_rdev,
        before.st_ino,
        before.st_mode,
    )


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_output_onto_a_character_device_node_as_root(cli: Cli, demo: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    os.chmod(node, 0o666)
    for command in OUTPUT_COMMANDS:
        result = cli(*command, "-o", str(node))
        tried("output: device node (root)")
        assert result.exit_code == 0, result.stderr
        st = os.lstat(node)
        assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
        assert stat.S_IMODE(st.st_mode) == 0o666


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_never_creates_a_file_among_the_system_devices(
    cli: Cli, demo: Path, command: tuple[str, ...]
) -> None:
    """``--output /dev/sdz`` on a machine without that disk used to create a regular file in
    /dev and exit 0."""
    before = snapshot(demo)
    for missing, tree_name in (
        ("/dev/hrtrust-no-such-disk", "/dev"),
        ("/proc/hrtrust-no-such-file", "/proc"),
        ("/sys/hrtrust-no-such-file", "/sys"),
    ):
        result = cli(*command, "--output", missing)
        tried("output: missing device")
        try:
            assert result.exit_code == 2, result.stdout
            assert result.stderr.startswith(
                f"hrtrust: error: --output {missing}: there is no such device, and hrtrust "
                f"does not create files in {tree_name}\n"
            )
            assert not os.path.lexists(missing)
        finally:
            if os.path.isfile(missing) and not os.path.islink(missing):
                os.unlink(missing)  # a regression created it (root); leave /dev as it was
    assert snapshot(demo) == before


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_refuses_a_device_that_is_not_a_terminal_or_the_null_device(
    cli: Cli, demo: Path, command: tuple[str, ...]
) -> None:
    before = os.stat("/dev/zero")
    result = cli(*command, "--output", "/dev/zero")
    tried("output: other character device")
    assert result.exit_code == 2
    assert result.stderr == (
        "hrtrust: error: --output /dev/zero is a device, not a file\n"
        "hint: give a file name, - for standard output, a terminal or /dev/null\n"
    )
    assert os.stat("/dev/zero").st_rdev == before.st_rdev


def test_output_names_its_own_streams_exactly_and_no_device_through_them(
    cli: Cli, demo: Path
) -> None:
    """``/dev/fd/N`` is this process's stream; ``/dev/fd/../../dev/full`` is another device
    reached by a name that starts the same (it used to be written into)."""
    sneaky = "/dev/fd/../../../dev/full"
    assert os.path.realpath(sneaky) == "/dev/full"
    result = cli("export", "json", "--output", sneaky)
    tried("output: device through /dev/fd/..")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"hrtrust: error: --output {sneaky} is a device, not a file")
    for serial in ("/dev/ttyS0", "/dev/tty5"):
        if os.path.exists(serial):  # a serial line or a virtual console: not a terminal of ours
            assert cli("export", "json", "--output", serial).exit_code == 2
            tried("output: serial line or console")


@pytest.mark.skipif(not os.access("/dev/shm", os.W_OK), reason="no writable /dev/shm here")
def test_output_may_create_a_file_in_dev_shm_an_ordinary_folder(cli: Cli, demo: Path) -> None:
    target = Path("/dev/shm") / f"hrtrust-test-{os.getpid()}.json"
    try:
        result = cli("export", "json", "--output", str(target))
        tried("output: /dev/shm")
        assert result.exit_code == 0, result.stderr
        assert target.is_file() and stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        target.unlink(missing_ok=True)


@pytest.mark.skipif(not IS_ROOT, reason="making a device node needs root")
def test_output_refuses_a_block_device_as_root(cli: Cli, demo: Path, tmp_path: Path) -> None:
    node = tmp_path / "disk"
    # A block node for a device no driver claims (the local/experimental major 240): were it
    # ever opened, the kernel answers "no such device", so a regression cannot write a disk.
    os.mknod(node, 0o660 | stat.S_IFBLK, os.makedev(240, 99))
    link = tmp_path / "disk-link"
    link.symlink_to(node)
    for target in (node, link):
        for command in OUTPUT_COMMANDS:
            result = cli(*command, "-o", str(target))
            tried("output: block device (root)")
            assert result.exit_code == 2, result.stdout
            assert result.stderr.startswith(f"hrtrust: error: --output {target} is a device")
        st = os.stat(target)
        assert stat.S_ISBLK(st.st_mode) and st.st_rdev == os.makedev(240, 99)


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_dash_is_stdout(cli: Cli, demo: Path, command: tuple[str, ...]) -> None:
    to_dash = cli(*command, "--output", "-")
    plain = cli(*command)
    tried("output: -")
    assert to_dash.exit_code == 0, to_dash.stderr
    assert not Path("-").exists()
    if command[-1] != "ics":  # a calendar has a time stamp in it
        assert to_dash.stdout == plain.stdout


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_refuses_a_folder_a_missing_folder_and_the_data_home(
    cli: Cli, demo: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    before = snapshot(demo)
    cases = {
        str(tmp_path): f"hrtrust: error: --output {tmp_path} is a folder; give a file name\n",
        str(tmp_path / "no" / "x.txt"): (
            f"hrtrust: error: --output {tmp_path / 'no' / 'x.txt'}: the folder "
            f"{tmp_path / 'no'} does not exist\n"
            "hint: create it first; hrtrust does not create folders for an export\n"
        ),
        str(demo / "contacts.toml"): (
            f"hrtrust: error: --output {demo / 'contacts.toml'} is inside the data home {demo}\n"
            "hint: write exports elsewhere; the data home holds only hrtrust's own files\n"
        ),
        str(demo / "log" / "new.txt"): (
            f"hrtrust: error: --output {demo / 'log' / 'new.txt'} is inside the data home "
            f"{demo}\nhint: write exports elsewhere; the data home holds only hrtrust's own "
            "files\n"
        ),
    }
    link = tmp_path / "sneaky"
    link.symlink_to(demo / "promises.toml")
    cases[str(link)] = (
        f"hrtrust: error: --output {link} is inside the data home {demo}\n"
        "hint: write exports elsewhere; the data home holds only hrtrust's own files\n"
    )
    for target, stderr in cases.items():
        result = cli(*command, "--output", target)
        tried("output: refused paths")
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr), target
    assert snapshot(demo) == before
    assert not (tmp_path / "no").exists()


def test_output_refuses_a_fifo_inside_the_data_home(cli: Cli, demo: Path) -> None:
    fifo = demo / "pipe"
    os.mkfifo(fifo)
    result = cli("export", "json", "-o", str(fifo))  # would block if it were opened
    assert result.exit_code == 2
    assert result.stderr.startswith(f"hrtrust: error: --output {fifo} is inside the data home")


def test_output_error_names_the_target_not_a_temp_file(
    cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import atomic

    def full(target: Path, data: bytes, **how: object) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target.parent / ".x.tmp-1"))

    monkeypatch.setattr(atomic, "write_temp", full)
    target = tmp_path / "out.json"
    result = cli("export", "json", "--output", str(target))
    tried("output: error message")
    assert result.exit_code == 7
    assert result.stderr == (
        f"hrtrust: error: --output {target}: cannot write (No space left on device); "
        "it was not changed\nhint: check the folder exists, is writable and has free space\n"
    )
    assert not target.exists()


def test_output_replaces_a_regular_file_and_keeps_a_symlink_a_link(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = cli("export", "csv", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8-sig").startswith("id,name")
    assert stat.S_IMODE(real.stat().st_mode) == 0o600


# -- a planted .journal ---------------------------------------------------------------------------


def plant(home: Path, files: list[dict[str, str | None]], state: str = "commit") -> None:
    (home / ".journal").write_text(json.dumps({"state": state, "files": files}), "utf-8")


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me\n", encoding="utf-8")
    (folder / ".precious.txt.tmp-1").write_text("evil\n", encoding="utf-8")
    return folder


PLANTED = {
    "absolute target": lambda v: [
        {"tmp": str(v / ".precious.txt.tmp-1"), "target": str(v / "precious.txt"), "old": None}
    ],
    "dot-dot target": lambda v: [
        {"tmp": "../elsewhere/.precious.txt.tmp-1", "target": "../elsewhere/precious.txt"}
    ],
    "rollback delete": lambda v: [
        {"tmp": str(v / "gone.tmp"), "target": str(v / "precious.txt"), "old": None}
    ],
    "temp elsewhere": lambda v: [
        {"tmp": str(v / "precious.txt"), "target": "contacts.toml", "old": None}
    ],
    "foreign file in home": lambda v: [{"tmp": ".x.tmp-1", "target": "notes.txt", "old": None}],
}


def without_aside(snap: dict[str, bytes]) -> dict[str, bytes]:
    return {k: v for k, v in snap.items() if not k.startswith(".journal")}


@pytest.mark.parametrize("how", sorted(PLANTED))
@pytest.mark.parametrize("state", ["commit", "rollback"])
def test_a_planted_journal_touches_nothing_and_doctor_reports_it(
    cli: Cli, demo: Path, victim: Path, how: str, state: str
) -> None:
    """A journal that names files outside the home, or not hrtrust's, is set aside (renamed,
    never deleted) by the first command, never acted on, and reported by doctor."""
    plant(demo, PLANTED[how](victim), state)
    planted = (demo / ".journal").read_bytes()
    outside = tree(victim)
    before = snapshot(demo)
    read = cli("plan", "week")
    assert read.exit_code == 0
    assert f"{demo / '.journal'}: set aside, not acted on: " in read.stderr
    assert not (demo / ".journal").exists()
    aside = sorted(demo.glob(".journal.aside-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == planted
    assert without_aside(snapshot(demo)) == without_aside(before)
    write = cli("contact", "add", "Zed")
    assert write.exit_code == 0, write.stderr
    doctor = cli("doctor", "--fix")
    assert doctor.exit_code == 9
    assert f"problem: {aside[0].name}: a commit journal hrtrust could not prove" in doctor.stdout
    assert aside[0].read_bytes() == planted  # doctor --fix never deletes it: a person does
    tried("journal: planted", 3)
    assert tree(victim) == outside


def test_a_journal_in_a_home_others_can_write_is_not_acted_on(cli: Cli, demo: Path) -> None:
    """Even a well-formed journal (naming the home's own files) is not acted on in a home
    others can write: it is set aside, and its temp file is kept for a person to look at."""
    contacts = demo / "contacts.toml"
    tmp = demo / ".contacts.toml.tmp-1-aa"
    tmp.write_text("schema_version = 1\n", encoding="utf-8")
    Journal(demo, lambda _: True).write(
        "commit",
        [Entry(tmp, contacts, None, digest(tmp.read_bytes()), digest(contacts.read_bytes()))],
    )
    os.chmod(demo, 0o777)
    before = contacts.read_bytes()
    result = cli("contact", "list")
    tried("journal: home not private")
    assert "the data home is not private to you (mode 0777" in result.stderr
    assert contacts.read_bytes() == before and tmp.exists()
    os.chmod(demo, 0o700)
    assert cli("contact", "add", "Zed").exit_code == 0
    assert tmp.exists()  # named by a journal set aside: not swept as a stale temp file


# -- init ----------------------------------------------------------------------------------------


def test_init_over_data_without_config_keeps_every_data_file(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    (demo / "config.toml").unlink()
    (demo / "notes.txt").write_text("mine\n", encoding="utf-8")
    os.chmod(demo, 0o750)
    before = snapshot(demo)
    result = cli("init")
    tried("init: existing data kept")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Set up {demo}: created config.toml; kept the ")
    after = snapshot(demo)
    assert set(after) - set(before) == {"config.toml"}
    assert all(after[rel] == data for rel, data in before.items())
    assert stat.S_IMODE(demo.stat().st_mode) == 0o750
    assert len(json.loads(cli("contact", "list", "--json").stdout)) == 24


def test_init_demo_refuses_a_folder_with_data_files(cli: Cli, demo: Path) -> None:
    (demo / "config.toml").unlink()
    before = snapshot(demo)
    result = cli("init", "--demo")
    tried("init: demo refused")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"hrtrust: error: {demo} already holds hrtrust data files (")
    assert snapshot(demo) == before


def test_init_in_a_folder_of_other_files_leaves_them_and_its_mode(cli: Cli, home: Path) -> None:
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    (home / "readme.md").write_text("hello\n", encoding="utf-8")
    result = cli("init")
    assert result.exit_code == 0, result.stderr
    assert (home / "readme.md").read_text(encoding="utf-8") == "hello\n"
    assert stat.S_IMODE(home.stat().st_mode) == 0o755


# -- symlinks inside the home --------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    for name in ("a.txt", ".b.tmp-1", "touches.json", "parsed-contacts.toml.pickle"):
        (folder / name).write_text("outside\n", encoding="utf-8")
        os.chmod(folder / name, 0o644)
    return folder


def test_a_symlinked_cache_is_never_written_read_or_emptied(
    cli: Cli, demo: Path, outside: Path
) -> None:
    import shutil

    shutil.rmtree(demo / ".cache", ignore_errors=True)
    (demo / ".cache").symlink_to(outside)
    before = tree(outside)
    for args in (
        ("plan", "week"),
        ("contact", "list"),
        ("log", "check-in", "--with", "maria"),
        ("doctor", "--fix"),
        ("forget", "maria", "--yes"),
    ):
        result = cli(*args)
        tried("symlinks: .cache elsewhere")
        assert result.exit_code in (0, 9), (args, result.stderr)
        assert tree(outside) == before, args
    assert "problem: .cache: the cache folder is a symlink" in cli("doctor").stdout


def test_a_symlinked_lock_is_refused_and_its_target_untouched(
    cli: Cli, demo: Path, outside: Path
) -> None:
    (demo / ".lock").unlink(missing_ok=True)
    (demo / ".lock").symlink_to(outside / "a.txt")
    before = tree(outside)
    data = snapshot(demo)
    result = cli("contact", "add", "Zed")
    tried("symlinks: lock")
    assert result.exit_code == 7
    assert "is not a regular file (a symlink?); hrtrust never follows it" in result.stderr
    assert tree(outside) == before and snapshot(demo) == data


def test_backups_are_never_written_or_deleted_through_a_symlink(
    cli: Cli, demo: Path, outside: Path
) -> None:
    contacts = demo / "contacts.toml"
    contacts.write_text("# mine\n" + contacts.read_text(encoding="utf-8"), encoding="utf-8")
    (demo / "contacts.toml.bak").symlink_to(outside / "a.txt")
    (outside / "a.txt").write_text("Maria Chen c1\n", encoding="utf-8")
    before = tree(outside)
    assert cli("contact", "edit", "maria", "--role", "Boss").exit_code == 0
    assert not (demo / "contacts.toml.bak").is_symlink()  # a new file replaced the link
    assert cli("forget", "kevin", "--yes").exit_code == 0
    tried("symlinks: backups", 2)
    assert tree(outside) == before


def test_doctor_fix_changes_modes_only_of_regular_files_in_the_home(
    cli: Cli, demo: Path, outside: Path
) -> None:
    (demo / "stray").symlink_to(outside / "a.txt")
    (demo / "strays").symlink_to(outside)
    os.chmod(demo / "promises.toml", 0o644)
    before = tree(outside)
    result = cli("doctor", "--fix")
    tried("symlinks: doctor --fix")
    assert f"Fixed: made {demo / 'promises.toml'} private (0600)" in result.stdout
    assert tree(outside) == before


# -- an unreadable file and the cache ------------------------------------------------------------


def deny(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make reading ``name`` fail with EACCES, as chmod 000 does for anyone but root."""
    from hrtrust.storage import store

    real = store.read_file

    def denied(path: Path) -> tuple[bytes, os.stat_result]:
        if path.name == name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)

    monkeypatch.setattr(store, "read_file", denied)


def test_an_unreadable_file_is_not_served_from_the_cache_nor_rewritten(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("contact", "list").exit_code == 0  # the parsed cache of contacts.toml exists
    assert (demo / ".cache" / "records-contacts.toml.bin").exists()
    before = snapshot(demo)
    deny(monkeypatch, "contacts.toml")
    for args in (("contact", "list"), ("contact", "add", "Zed"), ("plan", "week")):
        result = cli(*args)
        tried("unreadable: simulated")
        assert result.exit_code == 5, args
        assert result.stderr == (
            f"hrtrust: error: {demo / 'contacts.toml'}: cannot read: Permission denied\n"
            "hint: check the file's owner and permissions\n"
        )
    assert snapshot(demo) == before


@pytest.mark.skipif(IS_ROOT, reason="chmod 000 does not stop root reading (simulated above)")
def test_an_unreadable_file_for_real(cli: Cli, demo: Path) -> None:
    assert cli("contact", "list").exit_code == 0
    os.chmod(demo / "contacts.toml", 0)
    result = cli("contact", "add", "Zed")
    os.chmod(demo / "contacts.toml", 0o600)
    assert result.exit_code == 5


# The attack classes this module tries; the root-only ones (mknod) may be absent.
EXPECTED = {
    "init: demo refused": 1,
    "init: existing data kept": 1,
    "journal: home not private": 1,
    "journal: planted": 30,  # five kinds x two states x (a read, a write, doctor --fix)
    "output: -": 4,
    "output: /dev/null": 4,
    "output: fifo": 4,
    "output: refused paths": 20,
    "symlinks: .cache elsewhere": 5,
    "symlinks: backups": 2,
    "symlinks: doctor --fix": 1,
    "symlinks: lock": 1,
}


def test_zz_figures() -> None:
    """Runs last in this module (pytest keeps file order): every attack class above ran as
    often as its tests say, then the figures go to scripts/reliability.py."""
    if not COUNTS:
        pytest.skip("the module's other tests did not run (deselected)")
    assert {k: COUNTS.get(k) for k in EXPECTED} == EXPECTED
    assert all(n > 0 for n in COUNTS.values())
    record("hardening-storage", **COUNTS)
