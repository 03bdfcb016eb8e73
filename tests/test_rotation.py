"""`key rotate` loses no note, killed at any step, once or twice in a row (issue 25, finding 1).

Two interrupted rotations used to lose every private note: the second overwrote the first's
pending key before committing. The invariant checked here, independently of hrtrust's own
reader (tomllib and pyrage directly): every sealed field opens with a key some file in the
identity folder holds, and config.toml's recipient is one of those keys. Then the next
`key rotate` finishes with one identity file, and `doctor` is content.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, Cli, record, toml_strings
from hrtrust.cli.app import app

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
FULL = os.environ.get("HRTRUST_RELIABILITY") == "full"
ROTATIONS = 200 if FULL else 40


def identity_dir(home: Path) -> Path:
    return Path(os.environ["HRTRUST_IDENTITY"]).parent


def active_keys(home: Path) -> list[Path]:
    """The identity and a rotation's pending one: what the notes must open with (a retired
    key kept aside does not count)."""
    folder = identity_dir(home)
    return [p for p in (folder / "identity.txt", folder / "identity.txt.new") if p.exists()]


def key_files(home: Path) -> list[str]:
    """The files of the identity folder, retired keys left out."""
    return sorted(
        p.name
        for p in identity_dir(home).iterdir()
        if ".retired-" not in p.name and not p.name.endswith(".lock")
    )


def sealed_texts(home: Path) -> list[str]:
    files = [home / "contacts.toml", home / "feedback.toml", *sorted((home / "log").glob("*.toml"))]
    return [
        s for f in files if f.exists() for s in toml_strings(f) if s.startswith("-----BEGIN AGE")
    ]


def unreadable(home: Path) -> tuple[int, int, bool]:
    """(sealed fields, fields no key file opens, whether a key file holds the recipient)."""
    import pyrage

    keys = {}
    for path in active_keys(home):
        for line in path.read_text("utf-8").splitlines():
            if line.startswith("AGE-SECRET-KEY-"):
                ident = pyrage.x25519.Identity.from_str(line.strip())
                keys[str(ident.to_public())] = ident
    texts = sealed_texts(home)
    bad = 0
    for text in texts:
        try:
            pyrage.decrypt(text.strip().encode(), list(keys.values()))
        except pyrage.DecryptError:
            bad += 1
    config = tomllib.loads((home / "config.toml").read_text("utf-8"))
    return len(texts), bad, config["encryption"]["recipient"] in keys


def escaped(text: str) -> str:
    """A sealed text as it sits in a TOML file (one basic string)."""
    return text.replace("\n", "\\n")


def assert_all_readable(home: Path) -> None:
    n, bad, held = unreadable(home)
    assert n > 100 and bad == 0 and held, (n, bad, held)


@pytest.fixture
def sealed(cli: Cli, demo: Path) -> Path:
    assert cli("key", "init").exit_code == 0
    assert_all_readable(demo)
    return demo


def run_killed(home: Path, before_rename: int | None) -> None:
    """`key rotate` in a fork, SIGKILLed just before its N-th rename (None: not killed)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        seen = 0
        real = os.replace

        def replace(*args: Any, **kwargs: Any) -> Any:
            nonlocal seen
            seen += 1
            if seen == before_rename:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        os.replace = replace  # type: ignore[assignment]
        os.rename = replace  # type: ignore[assignment]
        try:
            argv = ["--home", str(home), "--today", TODAY.isoformat(), "key", "rotate"]
            app(argv, prog_name="hrtrust", standalone_mode=False)
        except BaseException:  # noqa: S110 - the files matter, not the exit
            pass
        os._exit(0)
    os.waitpid(pid, 0)


def count_renames(home: Path, tmp: Path) -> int:
    scratch, keys = tmp / "count", tmp / "count-keys"
    shutil.copytree(home, scratch)
    shutil.copytree(identity_dir(home), keys)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(read)
        seen = 0
        real = os.replace

        def replace(*args: Any, **kwargs: Any) -> Any:
            nonlocal seen
            seen += 1
            return real(*args, **kwargs)

        os.replace = replace  # type: ignore[assignment]
        os.rename = replace  # type: ignore[assignment]
        os.environ["HRTRUST_IDENTITY"] = str(keys / "identity.txt")
        argv = ["--home", str(scratch), "--today", TODAY.isoformat(), "key", "rotate"]
        try:
            app(argv, prog_name="hrtrust", standalone_mode=False)
        except BaseException:  # noqa: S110
            pass
        os.write(write, str(seen).encode())
        os._exit(0)
    os.close(write)
    n = int(os.read(read, 64))
    os.waitpid(pid, 0)
    return n


class Copies:
    """A fresh copy of the home and of the identity folder for every case."""

    def __init__(self, home: Path, tmp: Path) -> None:
        self.home, self.keys = home, identity_dir(home)
        self.saved_home, self.saved_keys = tmp / "saved-home", tmp / "saved-keys"
        shutil.copytree(self.home, self.saved_home)
        shutil.copytree(self.keys, self.saved_keys)

    def fresh(self) -> None:
        for saved, live in ((self.saved_home, self.home), (self.saved_keys, self.keys)):
            shutil.rmtree(live)
            shutil.copytree(saved, live)


def finish_and_check(cli: Cli, home: Path) -> None:
    assert_all_readable(home)  # at once, before anything recovers
    done = cli("key", "rotate")
    assert done.exit_code == 0, done.output
    assert key_files(home) == ["identity.txt"]
    assert_all_readable(home)
    doctor = cli("doctor")
    assert doctor.exit_code == 0, doctor.output


def test_kill_before_every_rename_once_and_twice(cli: Cli, sealed: Path, tmp_path: Path) -> None:
    steps = count_renames(sealed, tmp_path)
    assert steps >= 5  # the pending key, the journal, the files, the retirement
    copies = Copies(sealed, tmp_path)
    cases = [(i, None) for i in range(1, steps + 1)]
    pairs = [(i, j) for i in range(1, steps + 1) for j in range(1, steps + 1)]
    cases += pairs if FULL else random.Random(25).sample(pairs, min(len(pairs), 30))
    for first, second in cases:
        copies.fresh()
        run_killed(sealed, first)
        assert_all_readable(sealed)
        if second is not None:
            run_killed(sealed, second)
        finish_and_check(cli, sealed)
    record("rotate: kill at every step", steps=steps, cases=len(cases), unreadable=0)


def test_a_random_kill_loop_of_rotations_leaves_every_note_readable(
    cli: Cli, sealed: Path, tmp_path: Path
) -> None:
    steps = count_renames(sealed, tmp_path)
    rng = random.Random(40)
    killed = 0
    for _ in range(ROTATIONS):
        at = rng.choice([*range(1, steps + 1), None])
        killed += at is not None
        run_killed(sealed, at)
        assert_all_readable(sealed)
    finish_and_check(cli, sealed)
    assert killed >= ROTATIONS // 2
    record("rotate: random kills", rotations=ROTATIONS, killed=killed, unreadable=0)


def test_a_second_rotation_resumes_the_pending_key_never_replaces_it(
    cli: Cli, sealed: Path
) -> None:
    """The lost-notes case: killed after the commit, before the pending key is renamed."""
    keys = identity_dir(sealed)
    pending = keys / "identity.txt.new"
    steps = count_renames(sealed, keys.parent / "tmp-count")
    run_killed(sealed, steps)  # just before the last rename: the pending key's
    assert pending.exists()
    pending_bytes = pending.read_bytes()
    assert_all_readable(sealed)
    result = cli("key", "rotate")
    assert result.exit_code == 0, result.output
    assert "Finished the key rotation that was interrupted" in result.stdout
    assert (keys / "identity.txt").read_bytes() == pending_bytes  # the same key, not a new one
    assert_all_readable(sealed)


def test_any_write_finishes_an_interrupted_rotation(cli: Cli, sealed: Path) -> None:
    keys = identity_dir(sealed)
    steps = count_renames(sealed, keys.parent / "tmp-count")
    run_killed(sealed, steps)
    assert (keys / "identity.txt.new").exists()
    result = cli("log", "coffee-chat", "--with", "maria", "--note", "asked about the move")
    assert result.exit_code == 0, result.output
    assert "finished the key rotation that was interrupted" in result.stderr
    assert key_files(sealed) == ["identity.txt"]
    assert_all_readable(sealed)


def test_doctor_finishes_a_rotation_and_names_a_field_no_key_opens(cli: Cli, sealed: Path) -> None:
    keys = identity_dir(sealed)
    steps = count_renames(sealed, keys.parent / "tmp-count")
    run_killed(sealed, steps - 1)
    assert (keys / "identity.txt.new").exists()
    fixed = cli("doctor")
    assert "finished the key rotation that was interrupted" in fixed.stdout
    assert key_files(sealed) == ["identity.txt"]
    assert fixed.exit_code == 0, fixed.output
    # one field sealed to a key nobody has: named, with where it is
    import pyrage

    stranger = pyrage.x25519.Identity.generate().to_public()
    foreign = pyrage.encrypt(b"someone else's", [stranger], armored=True).decode()
    contacts = sealed / "contacts.toml"
    text = contacts.read_text("utf-8")
    first = sealed_texts(sealed)[0]
    assert escaped(first) in text
    contacts.write_text(text.replace(escaped(first), escaped(foreign), 1), "utf-8")
    doctor = cli("doctor")
    assert doctor.exit_code == 9
    assert "problem: contacts.toml: contact c" in doctor.stdout
    assert "sealed to a key no identity here holds" in doctor.stdout


def test_one_damaged_field_stays_with_its_field(cli: Cli, sealed: Path) -> None:
    """A few characters cut from one sealed field: that field shows as damaged, every other
    note opens, doctor names it, and `key rotate` reseals the rest and reports it."""
    log = sorted((sealed / "log").glob("*.toml"))[-1]
    text = log.read_text("utf-8")
    victim = sealed_texts(sealed)[-1]
    lines = victim.splitlines()
    lines[1] = lines[1][:20] + lines[1][26:]
    assert escaped(victim) in text
    log.write_text(text.replace(escaped(victim), escaped("\n".join(lines)), 1), "utf-8")
    shown = cli("contact", "show", "maria")
    assert shown.exit_code == 0, shown.output
    assert "(locked)" not in shown.stdout
    doctor = cli("doctor")
    assert doctor.exit_code == 9
    assert f"problem: log/{log.name}: entry " in doctor.stdout and "damaged" in doctor.stdout
    rotated = cli("key", "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert f"Damaged, left as it was (no key can open it): log/{log.name}: entry" in rotated.stdout
    n, bad, held = unreadable(sealed)
    assert bad == 1 and held


def test_two_homes_sharing_an_identity_rotate_at_once_and_lose_nothing(
    tmp_path: Path,
) -> None:
    """Red team: two homes, one identity, `key rotate` in both at the same moment lost every
    note of one. The identity's lock serialises them; the second catches up with the key the
    first made, or rotates again: every note of both homes opens with the identity."""
    import subprocess
    import sys

    hrtrust = str(Path(sys.executable).parent / "hrtrust")
    env = {**os.environ, "HRTRUST_IDENTITY": str(tmp_path / "keys" / "identity.txt")}
    env.pop("HRTRUST_HOME", None)
    homes = [tmp_path / "a", tmp_path / "b"]
    for home in homes:
        for args in (("init", "--demo"), ("key", "init")):
            done = subprocess.run(
                [hrtrust, "--home", str(home), "--today", TODAY.isoformat(), *args],
                env=env, capture_output=True, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
    for _ in range(3):
        runs = [
            subprocess.Popen(
                [hrtrust, "--home", str(home), "--today", TODAY.isoformat(), "key", "rotate"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for home in homes
        ]
        assert all(r.wait() == 0 for r in runs)
    import pyrage

    ident = pyrage.x25519.Identity.from_str(
        next(
            line
            for line in (tmp_path / "keys" / "identity.txt").read_text("utf-8").splitlines()
            if line.startswith("AGE-SECRET-KEY-")
        )
    )
    for home in homes:
        texts = sealed_texts(home)
        assert len(texts) > 100
        for text in texts:
            pyrage.decrypt(text.strip().encode(), [ident])  # raises if any does not open


def test_a_home_behind_a_shared_rotation_reads_and_catches_up(cli: Cli, sealed: Path) -> None:
    other = sealed.parent / "other"
    shutil.copytree(sealed, other)  # a second home sealed to the same identity
    assert cli("key", "rotate").exit_code == 0  # rotated in the first home only
    shown = cli("--home", str(other), "contact", "show", "maria", "--include-private")
    assert shown.exit_code == 0 and "(locked)" not in shown.stdout  # the retired key reads it
    caught = cli("--home", str(other), "key", "rotate")
    assert caught.exit_code == 0, caught.output
    config = tomllib.loads((other / "config.toml").read_text("utf-8"))
    mine = tomllib.loads((sealed / "config.toml").read_text("utf-8"))
    assert config["encryption"]["recipient"] == mine["encryption"]["recipient"]


def test_a_write_never_seals_to_a_recipient_the_identity_does_not_hold(
    cli: Cli, sealed: Path
) -> None:
    """Red team: config.toml (or a planted cache of it) naming a stranger's key made `log
    --note` seal the note to the stranger. The write is refused, nothing is written."""
    import pyrage

    stranger = str(pyrage.x25519.Identity.generate().to_public())
    config = sealed / "config.toml"
    text = config.read_text("utf-8")
    mine = tomllib.loads(text)["encryption"]["recipient"]
    config.write_text(text.replace(mine, stranger), "utf-8")
    before = {p: p.read_bytes() for p in (sealed / "log").glob("*.toml")}
    result = cli("log", "coffee-chat", "--with", "maria", "--note", "her surgery is on Friday")
    assert result.exit_code == 10
    assert f"config.toml seals new notes to {stranger}, which is not a key of your" in (
        result.stderr
    )
    assert {p: p.read_bytes() for p in (sealed / "log").glob("*.toml")} == before


def test_a_garbage_pending_key_is_set_aside_not_a_dead_end(cli: Cli, sealed: Path) -> None:
    """Red team: an empty or garbage identity.txt.new made every private read exit 10 and
    `key rotate` fail, while doctor said to run `key rotate`."""
    pending = identity_dir(sealed) / "identity.txt.new"
    pending.write_text("not a key\n", "utf-8")
    shown = cli("contact", "show", "maria", "--include-private")
    assert shown.exit_code == 0, shown.output
    rotated = cli("key", "rotate")
    assert rotated.exit_code == 0, rotated.output
    assert list(identity_dir(sealed).glob("identity.txt.new.aside-*"))  # kept, not deleted
    assert_all_readable(sealed)


def test_a_fifo_planted_as_the_identitys_lock_is_named_not_taken_for_a_rotation(
    cli: Cli, sealed: Path
) -> None:
    lock = identity_dir(sealed) / "identity.txt.lock"
    lock.unlink(missing_ok=True)
    os.mkfifo(lock)
    before = key_files(sealed), sealed_texts(sealed)
    result = cli("key", "rotate")
    assert result.exit_code == 10
    assert result.stderr == (
        f"hrtrust: error: {lock}: cannot take the lock (not a regular file); no file was "
        "changed\n"
        f"hint: remove {lock} if no hrtrust is running\n"
    )
    assert (key_files(sealed), sealed_texts(sealed)) == before
    lock.unlink()
    assert cli("key", "rotate").exit_code == 0
    assert_all_readable(sealed)
