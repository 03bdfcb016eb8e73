"""`hrtrust doctor`: files parse, references resolve, ids unique, entries in their month,
files private, no leftover temp file, journal or lock holder. Exit 0 when all is well, 9 when
problems are found; `--fix` repairs what needs no judgement."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli, snapshot
from hrtrust.models import ContactsFile
from hrtrust.storage.journal import Entry, Journal, digest
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps

DEMO_ALL_WELL = "All well in {home}:\n17 files, 289 records; references resolve; files private.\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_all_well_on_the_demo(cli: Cli, demo: Path) -> None:
    result = cli("doctor")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        DEMO_ALL_WELL.format(home=demo),
        "",
    )


def test_not_initialised_is_exit_8(cli: Cli, home: Path) -> None:
    result = cli("doctor")
    assert result.exit_code == 8
    assert result.stderr.startswith(f"hrtrust: error: no hrtrust data in {home}\n")


def test_a_broken_file_is_named_with_line_and_column(cli: Cli, demo: Path) -> None:
    path = demo / "promises.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "p2"', 'id = = "p2"'), "utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index('id = = "p2"') + 1
    before = snapshot(demo)
    result = cli("doctor")
    assert result.exit_code == 9
    assert result.stdout.splitlines() == [
        f"problem: promises.toml: {path}:{line}:6: Invalid value",
        f"1 problem in {demo} (17 files, 250 records); they need a hand edit "
        "(doctor --fix cannot guess).",
    ]
    assert snapshot(demo) == before  # doctor only reads


def test_broken_references_duplicates_and_misfiled_entries(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    contacts = store.contacts()
    contacts.contact = [c for c in contacts.contact if c.id != "c1"]  # gone by hand
    contacts.contact.append(contacts.contact[0].model_copy())  # c2 twice
    october = demo / "log" / "2026-10.toml"
    first_id = Store(demo).log_month("log/2026-10.toml").entry[0].id
    extra = (
        f'\n[[entry]]\nid = "{first_id}"\ndate = {first_id.partition(".")[0]}\n'
        'kind = "check-in"\nwith = ["c2"]\n'
        '\n[[entry]]\nid = "2026-11-30.1"\ndate = 2026-11-30\nkind = "check-in"\n'
        'with = ["c2"]\npromises = ["p404"]\n'
    )
    feedback = store.feedback()
    feedback.feedback[0].person = "c404"
    store.write_files(
        {
            "feedback.toml": dumps(feedback),
            "contacts.toml": dumps(contacts),
            "log/2026-10.toml": october.read_text(encoding="utf-8") + extra,
        }
    )
    result = cli("doctor")
    assert result.exit_code == 9
    lines = result.stdout.splitlines()
    problems = [line for line in lines if line.startswith("problem:")]
    assert problems == [
        "problem: contacts.toml: id c2 is used 2 times (ids must be unique)",
        f"problem: log/: id {first_id} is used 2 times (ids must be unique)",
        *(
            f"problem: promises.toml: promise {p} is with c1, who is not in contacts.toml "
            f"(cancel it: hrtrust promise cancel {p})"
            for p in ("p1", "p18", "p21", "p24")
        ),
        "problem: activities.toml: activity a1 lists c1, who is not in contacts.toml",
        f"problem: feedback.toml: feedback {feedback.feedback[0].id} is from c404, who is not "
        "in contacts.toml",
        "problem: log/2026-10.toml: entry 2026-11-30.1 lists promise p404, which is not in "
        "promises.toml",
        "problem: log/2026-10.toml: entry 2026-11-30.1 is dated 2026-11-30, so it belongs in "
        "log/2026-11.toml; month ranges skip it (move it by hand)",
    ]
    assert [line for line in lines if line.startswith("note:")] == [
        "note: log/: 30 log entries mention c1, who is not in contacts.toml (history kept by "
        "`contact remove`; `forget` erases it)"
    ]
    assert lines[-1] == (
        f"10 problems in {demo} (17 files, 291 records); they need a hand edit "
        "(doctor --fix cannot guess)."
    )


def test_history_of_a_removed_contact_is_a_note_not_a_problem(cli: Cli, demo: Path) -> None:
    assert cli("contact", "remove", "c19").exit_code == 0
    result = cli("doctor")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[2:] == [
        "note: log/: 3 log entries mention c19, who is not in contacts.toml (history kept by "
        "`contact remove`; `forget` erases it)"
    ]


def killed_commit(home: Path) -> Path:
    """A commit killed after its journal: the new contacts file still sits in its temp file."""
    new = Store(home).contacts()
    new.next_id = 99
    tmp = home / ".contacts.toml.tmp-4243-cafef00d"
    tmp.write_text(dumps(new), encoding="utf-8")
    os.chmod(tmp, 0o600)
    target = home / "contacts.toml"
    entry = Entry(tmp, target, None, digest(tmp.read_bytes()), digest(target.read_bytes()))
    Journal(home, lambda _: True).write("commit", [entry])
    return tmp


def test_fix_repairs_permissions_and_temp_files(cli: Cli, demo: Path) -> None:
    os.chmod(demo, 0o755)
    os.chmod(demo / "contacts.toml", 0o644)
    os.chmod(demo / "log", 0o750)
    stale = demo / "log" / ".2026-11.toml.tmp-4242-deadbeef"
    stale.write_text("half", encoding="utf-8")
    os.chmod(stale, 0o600)
    result = cli("doctor", "--json")
    assert result.exit_code == 9
    report = json.loads(result.stdout)
    assert report["healthy"] is False
    assert [(p["check"], p["where"], p["fix"]) for p in report["problems"]] == [
        ("permissions", str(demo), "chmod 0700"),
        ("permissions", "contacts.toml", "chmod 0600"),
        ("permissions", "log", "chmod 0700"),
        ("temp", "log/.2026-11.toml.tmp-4242-deadbeef", "remove it"),
    ]
    assert result.stderr == ""  # the permission warning is one of the findings, not repeated

    fixed = cli("doctor", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stdout.splitlines() == [
        f"Fixed: removed {stale}",
        f"Fixed: made {demo} private (0700)",
        f"Fixed: made {demo / 'contacts.toml'} private (0600)",
        f"Fixed: made {demo / 'log'} private (0700)",
        *DEMO_ALL_WELL.format(home=demo).splitlines(),
    ]
    assert (mode(demo), mode(demo / "contacts.toml"), mode(demo / "log")) == (0o700, 0o600, 0o700)
    assert not stale.exists()


def test_a_killed_commit_is_finished_by_the_next_command(cli: Cli, demo: Path) -> None:
    tmp = killed_commit(demo)
    result = cli("doctor")  # any command, even a read, rolls it forward under the lock
    assert (result.exit_code, result.stdout) == (0, DEMO_ALL_WELL.format(home=demo))
    assert Store(demo).read(ContactsFile).next_id == 99
    assert not tmp.exists() and not (demo / ".journal").exists()


def test_a_commit_that_cannot_be_finished_yet_is_reported(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the lock is busy the journal stays, and doctor says so; --fix finishes it."""
    killed_commit(demo)
    monkeypatch.setattr(Store, "_try_recover", lambda self: None)
    result = cli("doctor")
    assert result.exit_code == 9
    assert result.stdout.splitlines()[:2] == [
        "problem: .journal: a writer was killed during a commit; the next write finishes it "
        "[--fix: finish the commit]",
        "problem: .contacts.toml.tmp-4243-cafef00d: temp file left by a killed writer "
        "[--fix: remove it]",
    ]
    fixed = cli("doctor", "--fix")
    assert fixed.exit_code == 0
    assert fixed.stdout.splitlines()[:2] == [
        "Fixed: finished the commit a killed writer left in .journal",
        f"Fixed: removed {demo / '.contacts.toml.tmp-4243-cafef00d'}",
    ]
    assert Store(demo).read(ContactsFile).next_id == 99


HOLD_LOCK = """
import sys
from hrtrust.storage.lock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire(5)
print("held", flush=True)
sys.stdin.read()
"""


def test_a_lock_holder_is_reported(cli: Cli, demo: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(demo / ".lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "held\n"
        result = cli("doctor")
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)
    assert result.exit_code == 9
    assert result.stdout.splitlines() == [
        "problem: .lock: another hrtrust holds the lock right now; if none is running, a hung "
        "process holds it (find it with: fuser -v .lock)",
        f"1 problem in {demo} (17 files, 289 records); they need a hand edit "
        "(doctor --fix cannot guess).",
    ]
    assert cli("doctor").exit_code == 0  # the holder is gone: flock locks die with it


def test_open_home_warns_once_on_every_command(cli: Cli, demo: Path) -> None:
    os.chmod(demo, 0o755)
    os.chmod(demo / "contacts.toml", 0o644)
    warning = (
        f"hrtrust: warning: {demo} can be read by other users (mode 0755); "
        "run `hrtrust doctor --fix` to make the data home private\n"
    )
    for args in (("plan", "week"), ("contact", "list", "--json"), ("contact", "add", "Zed")):
        result = cli(*args)
        assert result.exit_code == 0
        assert result.stderr == warning, args
    os.chmod(demo, 0o700)
    os.chmod(demo / "promises.toml", 0o644)
    result = cli("promise", "list")
    assert result.stderr == ""  # a 0644 file inside a 0700 home is out of others' reach


def test_a_symlinked_file_others_can_read_is_warned_about(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "dotfiles" / "promises.toml"
    target.parent.mkdir()
    (demo / "promises.toml").rename(target)
    (demo / "promises.toml").symlink_to(target)
    os.chmod(target, 0o644)
    result = cli("promise", "list")
    assert result.exit_code == 0
    assert result.stderr == (
        f"hrtrust: warning: {demo / 'promises.toml'} can be read by other users (mode 0644); "
        f"it is a symlink: run `chmod 600 {target}` to make it private\n"
    )
    fixed = cli("doctor", "--fix")  # never follows a link: the target is the user's to change
    assert fixed.exit_code == 9
    assert (
        f"problem: promises.toml: symlink to {target}, mode 0644: other users may read it "
        f"(doctor --fix never follows a link: chmod 600 {target})\n"
    ) in fixed.stdout
    assert mode(target) == 0o644 and (demo / "promises.toml").is_symlink()
