"""Tests for hrtrust.storage.store: where the data lives, private files, atomic writes, the lock."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hrtrust.storage.store as store_mod
from conftest import Cli, raw_toml, snapshot
from hrtrust.errors import DataFileError, LockError, WriteError
from hrtrust.models import Contact, ContactsFile, Interaction, LogFile, PromisesFile
from hrtrust.storage.journal import Entry, Journal, digest
from hrtrust.storage.paths import resolve_home
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps, parse_document

HAND_EDIT_HINT = "hint: fix the file by hand (hrtrust never overwrites a file it cannot read)\n"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def temp_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if ".tmp-" in p.name)


# -- where the data home is --------------------------------------------------------------------


def test_home_option_wins_over_everything(tmp_path: Path) -> None:
    env = {"HRTRUST_HOME": "/env/home", "XDG_DATA_HOME": "/xdg", "HOME": "/users/me"}
    assert resolve_home(str(tmp_path / "opt"), env) == tmp_path / "opt"


def test_hrtrust_home_wins_over_xdg() -> None:
    env = {"HRTRUST_HOME": "/env/home", "XDG_DATA_HOME": "/xdg", "HOME": "/users/me"}
    assert resolve_home(None, env) == Path("/env/home")


def test_xdg_data_home_then_hrtrust_subfolder() -> None:
    env = {"XDG_DATA_HOME": "/xdg", "HOME": "/users/me"}
    assert resolve_home(None, env) == Path("/xdg/hrtrust")


def test_empty_variables_are_ignored() -> None:
    env = {"HRTRUST_HOME": "", "XDG_DATA_HOME": "", "HOME": "/users/me"}
    assert resolve_home(None, env) == Path("/users/me/.local/share/hrtrust")
    assert resolve_home("", {"HRTRUST_HOME": "/env/home"}) == Path("/env/home")


def test_default_is_local_share_under_home() -> None:
    assert resolve_home(None, {"HOME": "/users/me"}) == Path("/users/me/.local/share/hrtrust")


def test_tilde_is_expanded_everywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_home("~/opt", {}) == tmp_path / "opt"
    assert resolve_home(None, {"HRTRUST_HOME": "~/env"}) == tmp_path / "env"
    assert resolve_home(None, {"XDG_DATA_HOME": "~/xdg"}) == tmp_path / "xdg" / "hrtrust"


def test_cli_home_option_beats_environment(cli: Cli, home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    result = cli("--home", str(other), "init", "--timezone", "UTC")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Created {other} (empty, 5 files)."
    assert (other / "config.toml").is_file()
    assert not home.exists()


# -- private files -----------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o000)
    try:
        yield
    finally:
        os.umask(old)


def assert_private_tree(home: Path) -> None:
    assert mode(home) == 0o700
    for path in home.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert mode(path) == expected, f"{path}: {oct(mode(path))}"


def test_init_is_private_whatever_the_umask(cli: Cli, home: Path, open_umask: None) -> None:
    result = cli("init", "--timezone", "UTC")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in home.iterdir()) == [
        "activities.toml",
        "config.toml",
        "contacts.toml",
        "feedback.toml",
        "promises.toml",
    ]
    assert_private_tree(home)


def test_writes_stay_private_whatever_the_umask(cli: Cli, home: Path, open_umask: None) -> None:
    assert cli("init", "--timezone", "UTC").exit_code == 0
    assert cli("contact", "add", "Maria Chen").exit_code == 0
    assert cli("contact", "list").exit_code == 0  # also writes the derived cache
    assert (home / ".lock").is_file()
    assert mode(home / ".lock") == 0o600
    assert_private_tree(home)
    Store(home).write_files({"log/2026-11.toml": "schema_version = 1\n"})
    assert mode(home / "log") == 0o700
    assert mode(home / "log" / "2026-11.toml") == 0o600


def test_write_tightens_an_existing_file(empty: Path) -> None:
    path = empty / "contacts.toml"
    os.chmod(path, 0o644)
    Store(empty).write_files({"contacts.toml": "schema_version = 1\n"})
    assert mode(path) == 0o600


# -- hand edits: unknown keys and broken files ------------------------------------------------

HAND_EDITED = """\
schema_version = 1
next_id = 3
favourite_colour = "teal"

[custom_section]
answer = 42

[[contact]]
id = "c1"
name = "Maria Chen"
pronouns = "she/her"

[contact.social]
linkedin = "mchen"
mastodon = "@mchen@example.org"

[[contact.learned]]
date = 2026-11-02
text = "daughter starts college"
mood = "proud"

[[contact]]
id = "c2"
name = "Mark Lee"
"""


def test_unknown_keys_survive_an_edit(cli: Cli, empty: Path) -> None:
    (empty / "contacts.toml").write_text(HAND_EDITED, encoding="utf-8")
    result = cli("contact", "edit", "maria", "--role", "Plant manager")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "Updated Maria Chen (c1).\n",
        "",
    )
    data = raw_toml(empty / "contacts.toml")
    assert data["favourite_colour"] == "teal"
    assert data["custom_section"] == {"answer": 42}
    maria, mark = data["contact"]
    assert maria["role"] == "Plant manager"
    assert maria["pronouns"] == "she/her"
    assert maria["social"] == {"linkedin": "mchen", "mastodon": "@mchen@example.org"}
    assert maria["learned"][0]["mood"] == "proud"
    assert mark == {"id": "c2", "name": "Mark Lee"}


BROKEN_SYNTAX = """\
schema_version = 1
next_id = 2

[[contact]]
id = = "c1"
name = "Maria Chen"
"""


@pytest.mark.parametrize(
    "args",
    [
        ("contact", "add", "Mark Lee"),
        ("contact", "list"),
        ("contact", "edit", "c1", "--dept", "Sales"),
        ("forget", "c1", "--yes"),
    ],
)
def test_toml_syntax_error_names_line_and_column(
    cli: Cli, empty: Path, args: tuple[str, ...]
) -> None:
    path = empty / "contacts.toml"
    path.write_text(BROKEN_SYNTAX, encoding="utf-8")
    before = snapshot(empty)
    result = cli(*args)
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr == f"hrtrust: error: {path}:5:6: Invalid value\n" + HAND_EDIT_HINT
    assert snapshot(empty) == before


TWO_CONTACTS = """\
schema_version = 1
next_id = 3

[[contact]]
id = "c1"
name = "Maria Chen"
birthday = "12-03"

[[contact]]
id = "c2"
name = "Mark Lee"
dept = "Sales"
{bad}
role = "Rep"
"""


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ('birthday = "13-45"', "contact[1].birthday: Value error, no such day: 13-45"),
        (
            'birthday = "Dec 3"',
            "contact[1].birthday: Value error, birthday must be MM-DD, e.g. 03-14",
        ),
        (
            'hired = "notadate"',
            "contact[1].hired: Input should be a valid date or datetime, input is too short",
        ),
    ],
)
def test_invalid_value_names_file_line_and_field(
    cli: Cli, empty: Path, bad: str, reason: str
) -> None:
    path = empty / "contacts.toml"
    path.write_text(TWO_CONTACTS.format(bad=bad), encoding="utf-8")
    before = snapshot(empty)
    result = cli("contact", "add", "Someone New")
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr == f"hrtrust: error: {path}:13: {reason}\n" + HAND_EDIT_HINT
    assert snapshot(empty) == before


def test_parse_document_reports_later_errors_count() -> None:
    text = '[[contact]]\nid = "c1"\nname = ""\nbirthday = "99-99"\n'
    with pytest.raises(DataFileError) as info:
        parse_document(ContactsFile, text, "f.toml")
    assert info.value.exit_code == 5
    assert info.value.message == (
        "f.toml:3: contact[0].name: String should have at least 1 character (and 1 more)"
    )


def test_not_utf8_names_line_and_column(cli: Cli, empty: Path) -> None:
    path = empty / "contacts.toml"
    path.write_bytes(b"schema_version = 1\nnext_id = 1\n# caf\xe9 au lait\n")
    before = snapshot(empty)
    result = cli("contact", "add", "Mark Lee")
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr == f"hrtrust: error: {path}:3:6: not UTF-8 text\n" + HAND_EDIT_HINT
    assert snapshot(empty) == before


# -- stable output -----------------------------------------------------------------------------


def sample_contacts() -> ContactsFile:
    return ContactsFile(
        next_id=4,
        contact=[
            Contact(id="c1", name="Maria Chen", dept="Engineering", tags=["manager", "ally"]),
            Contact(id="c2", name="王小明", dept="製造部", notes='said "hi"\nand left'),
            Contact.model_validate({"id": "c3", "name": "Mark Lee", "x-custom": {"a": 1}}),
        ],
    )


def test_dumps_is_stable() -> None:
    doc = sample_contacts()
    first = dumps(doc)
    assert dumps(doc) == first
    again = parse_document(ContactsFile, first, "contacts.toml")
    assert again == doc
    assert dumps(again) == first


def test_records_are_sections_so_adding_one_only_appends() -> None:
    short = ContactsFile(
        next_id=3, contact=[Contact(id="c1", name="A"), Contact(id="c2", name="B")]
    )
    text = dumps(short)
    assert text == (
        'schema_version = 1\nnext_id = 3\n\n[[contact]]\nid = "c1"\nname = "A"\n\n'
        '[[contact]]\nid = "c2"\nname = "B"\n'
    )
    longer = short.model_copy(deep=True)
    longer.contact.append(Contact(id="c3", name="C", notes="a long note " * 20))
    assert (
        dumps(longer)
        .replace("next_id = 3", "next_id = 4")
        .startswith(text.replace("next_id = 3", "next_id = 4"))
    )
    log = LogFile(entry=[Interaction(id="2026-11-20.1", date=dt.date(2026, 11, 20), kind="coffee")])
    assert dumps(log) == (
        'schema_version = 1\n\n[[entry]]\nid = "2026-11-20.1"\ndate = 2026-11-20\nkind = "coffee"\n'
    )


def test_hand_edit_of_a_file_hrtrust_wrote_names_the_line(cli: Cli, empty: Path) -> None:
    for name in ("Ann", "Bo", "Cy"):
        assert cli("contact", "add", name).exit_code == 0
    path = empty / "contacts.toml"
    text = path.read_text(encoding="utf-8").replace('name = "Bo"', 'name = "Bo"\nhired = 2026')
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("hired = 2026") + 1
    result = cli("contact", "list")
    assert result.exit_code == 5
    assert result.stderr.splitlines()[0] == (
        f"hrtrust: error: {path}:{line}: contact[1].hired: Datetimes provided to dates should "
        "have zero time - e.g. be exact dates"
    )


def test_noop_edit_leaves_bytes_and_mtime_alone(cli: Cli, empty: Path) -> None:
    assert cli("contact", "add", "Maria Chen", "--dept", "Engineering").exit_code == 0
    path = empty / "contacts.toml"
    old_bytes, old_mtime = path.read_bytes(), path.stat().st_mtime_ns
    time.sleep(0.01)  # so a rewrite would show in the mtime
    for args in ((), ("--dept", "Engineering")):
        result = cli("contact", "edit", "maria", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (
            0,
            "Updated Maria Chen (c1).\n",
            "",
        )
        assert path.read_bytes() == old_bytes
        assert path.stat().st_mtime_ns == old_mtime


# -- atomic writes -----------------------------------------------------------------------------


def new_texts() -> dict[str, str]:
    return {
        "contacts.toml": dumps(sample_contacts()),
        "promises.toml": dumps(PromisesFile(next_id=9)),
    }


def failing_on_call(n: int, real: Callable[..., Any]) -> Callable[..., Any]:
    calls = {"n": 0}

    def fake(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise OSError(errno.EIO, "Input/output error")
        return real(*args, **kwargs)

    return fake


def test_failed_rename_of_second_file_changes_neither(
    empty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(empty)
    monkeypatch.setattr(os, "replace", failing_on_call(2, os.replace))
    with pytest.raises(WriteError) as info:
        Store(empty).write_files(new_texts())
    monkeypatch.undo()
    assert info.value.exit_code == 7
    assert info.value.message == "could not write (Input/output error); no file was changed"
    assert snapshot(empty) == before
    assert temp_files(empty) == []


def test_failed_rename_of_a_new_file_removes_it(
    empty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(empty)
    monkeypatch.setattr(os, "replace", failing_on_call(2, os.replace))
    with pytest.raises(WriteError):
        Store(empty).write_files({"contacts.toml": "schema_version = 1\n", "zz.toml": "x = 1\n"})
    monkeypatch.undo()
    assert snapshot(empty) == before
    assert temp_files(empty) == []


def test_failed_fsync_changes_nothing(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(empty)
    monkeypatch.setattr(os, "fsync", failing_on_call(1, os.fsync))
    with pytest.raises(WriteError):
        Store(empty).write_files(new_texts())
    monkeypatch.undo()
    assert snapshot(empty) == before
    assert temp_files(empty) == []


def test_failed_fsync_through_the_cli(
    cli: Cli, empty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("contact", "list").exit_code == 0  # the config's records kept, as on a second run
    before = snapshot(empty)
    monkeypatch.setattr(os, "fsync", failing_on_call(1, os.fsync))
    result = cli("contact", "add", "Maria Chen")
    monkeypatch.undo()
    assert result.exit_code == 7
    assert result.stdout == ""
    assert result.stderr == (
        "hrtrust: error: could not write (Input/output error); no file was changed\n"
        "hint: check free space and permissions of the data home\n"
    )
    assert snapshot(empty) == before
    assert temp_files(empty) == []


def test_stale_temp_files_are_removed_on_the_next_write(cli: Cli, empty: Path) -> None:
    (empty / "log").mkdir()
    stale = [
        empty / ".contacts.toml.tmp-4242-deadbeef",
        empty / ".promises.toml.tmp-old-0badcafe",
        empty / "log" / ".2026-11.toml.tmp-4242-00ff00ff",
    ]
    for path in stale:
        path.write_text("half a fi", encoding="utf-8")
    keep = empty / "my.tmp-notes"  # not hidden: not ours, left alone
    keep.write_text("mine", encoding="utf-8")
    result = cli("contact", "add", "Maria Chen")
    assert result.exit_code == 0, result.stderr
    assert [p for p in stale if p.exists()] == []
    assert keep.read_text(encoding="utf-8") == "mine"
    assert temp_files(empty) == ["my.tmp-notes"]


def test_remove_stale_temp_files_reports_what_it_removed(empty: Path) -> None:
    stale = empty / ".contacts.toml.tmp-1-ab"
    stale.write_text("x", encoding="utf-8")
    assert Store(empty).remove_stale_temp_files() == [stale]
    assert Store(empty).remove_stale_temp_files() == []


# -- the lock ----------------------------------------------------------------------------------

HOLD_LOCK = """
import sys
from hrtrust.storage.lock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire(5)
print("held", flush=True)
sys.stdin.read()
lock.release()
"""


@pytest.fixture
def held_lock(empty: Path) -> Iterator[Path]:
    """Another process holds the data-home lock until the test ends."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(empty / ".lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "held\n"
        yield empty
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def test_transaction_gives_up_when_locked(held_lock: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "LOCK_TIMEOUT", 0.2)
    before = snapshot(held_lock)
    start = time.monotonic()
    with pytest.raises(LockError) as info, Store(held_lock).transaction() as txn:
        txn.save(ContactsFile(next_id=7))
    assert time.monotonic() - start < 2
    assert info.value.exit_code == 6
    assert info.value.message == (
        f"{held_lock / '.lock'}: another hrtrust is writing; gave up after 0.2s"
    )
    assert snapshot(held_lock) == before


def test_cli_exits_6_when_locked(
    cli: Cli, held_lock: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod, "LOCK_TIMEOUT", 0.2)
    before = snapshot(held_lock)
    result = cli("contact", "add", "Maria Chen")
    assert result.exit_code == 6
    assert result.stdout == ""
    assert result.stderr == (
        f"hrtrust: error: {held_lock / '.lock'}: another hrtrust is writing; gave up after 0.2s\n"
        "hint: try again in a moment; if no hrtrust is running, run `hrtrust doctor`\n"
    )
    assert snapshot(held_lock) == before


def test_transaction_works_once_the_lock_is_free(cli: Cli, empty: Path) -> None:
    with Store(empty).transaction() as txn:
        txn.save(ContactsFile(next_id=7))
    assert raw_toml(empty / "contacts.toml") == {"schema_version": 1, "next_id": 7}


def test_failing_body_writes_nothing(empty: Path) -> None:
    before = snapshot(empty)
    with pytest.raises(RuntimeError), Store(empty).transaction() as txn:
        txn.save(ContactsFile(next_id=7))
        raise RuntimeError("boom")
    assert snapshot(empty) == before


def test_reader_never_sees_half_a_file(empty: Path) -> None:
    store = Store(empty)
    docs = [
        ContactsFile(
            next_id=n + 1,
            contact=[
                Contact(id=f"c{i}", name=f"Person {i}", notes="lorem ipsum " * 40)
                for i in range(1, n + 1)
            ],
        )
        for n in (150, 400)
    ]
    texts = [dumps(d) for d in docs]
    path = empty / "contacts.toml"
    path.write_text(texts[0], encoding="utf-8")
    stop = threading.Event()
    errors: list[BaseException] = []
    writes = 0

    def writer() -> None:
        nonlocal writes
        try:
            while not stop.is_set():
                store.write_files({"contacts.toml": texts[writes % 2]})
                writes += 1
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    seen: set[int] = set()
    reads = 0
    try:
        # at least a second, and at least a few writes and reads (a loaded machine is slow)
        deadline, cap = time.monotonic() + 1.0, time.monotonic() + 30.0
        while time.monotonic() < cap and (time.monotonic() < deadline or writes <= 5 or reads <= 5):
            doc = parse_document(ContactsFile, path.read_text(encoding="utf-8"), str(path))
            seen.add(len(doc.contact))
            reads += 1
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert seen <= {150, 400}
    assert writes > 5 and reads > 5
    assert temp_files(empty) == []


# -- permissions for every writing command, symlinks, the commit journal ---------------------


def test_every_writing_command_is_private_whatever_the_umask(
    cli: Cli, home: Path, open_umask: None
) -> None:
    assert cli("init", "--demo").exit_code == 0
    for args in (
        ("contact", "add", "Nora Diaz", "--dept", "Sales"),
        ("contact", "edit", "maria", "--note", "likes tea"),
        ("log", "check-in", "--with", "maria", "--date", "2026-12-02", "--promise", "x",
         "--due", "2026-12-04", "--learned", "new job"),
        ("log", "coffee-chat", "--with", "nora", "--date", "2027-01-05"),
        ("activity", "add", "Ops sync", "--kind", "hr-ops-sync", "--rule", "weekly on tue"),
        ("promise", "add", "send deck", "--to", "maria", "--due", "fri"),
        ("promise", "done", "p1"),
        ("feedback", "add", "parking", "--from", "maria"),
        ("pulse", "add", "--dept", "Sales", "--score", "4"),
        ("forget", "nora", "--yes"),
        ("doctor", "--fix"),
        ("contact", "list"),  # writes the derived cache
        ("plan", "week"),
    ):  # fmt: skip
        result = cli(*args, today=dt.date(2027, 1, 11))
        assert result.exit_code == 0, (args, result.output)
    assert (home / "log" / "2026-12.toml").is_file()
    assert (home / "log" / "2027-01.toml").is_file()
    assert any((home / ".cache").iterdir())
    assert_private_tree(home)


def test_missing_parents_of_a_new_home_are_private_too(
    cli: Cli, tmp_path: Path, open_umask: None
) -> None:
    home = tmp_path / "a" / "b" / "hrtrust"
    assert cli("--home", str(home), "init").exit_code == 0
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", home)] == [0o700] * 3


def test_a_symlinked_file_stays_a_link_and_its_target_is_replaced(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    dotfiles = tmp_path / "dotfiles"  # e.g. a folder kept in git
    dotfiles.mkdir()
    target = dotfiles / "contacts.toml"
    (empty / "contacts.toml").rename(target)
    (empty / "contacts.toml").symlink_to(target)
    stale = dotfiles / ".contacts.toml.tmp-4242-deadbeef"  # a writer killed here earlier
    stale.write_text("half", encoding="utf-8")
    mine = dotfiles / ".gitignore"
    mine.write_text("*.bak\n", encoding="utf-8")
    result = cli("contact", "add", "Maria Chen")
    assert (result.exit_code, result.stderr) == (0, "")
    assert (empty / "contacts.toml").is_symlink()
    assert os.readlink(empty / "contacts.toml") == str(target)
    assert [c["name"] for c in raw_toml(target)["contact"]] == ["Maria Chen"]
    assert mode(target) == 0o600
    assert sorted(p.name for p in dotfiles.iterdir()) == [".gitignore", "contacts.toml"]
    assert Store(empty).temp_files() == []


def test_rollback_journal_puts_the_old_files_back(empty: Path) -> None:
    """A writer hit an I/O error, marked its journal "rollback", and was killed undoing."""
    contacts = empty / "contacts.toml"
    old_bytes = contacts.read_bytes()
    old = empty / ".contacts.toml.tmp-old-0badcafe"
    os.link(contacts, old)
    newer = empty / "newer"
    newer.write_text("schema_version = 1\nnext_id = 42\n", encoding="utf-8")
    os.replace(newer, contacts)  # renamed in
    (empty / "log").mkdir()
    new_file = empty / "log" / "2026-12.toml"
    new_file.write_text("schema_version = 1\n", encoding="utf-8")  # a new file, renamed in
    Journal(empty, lambda _: True).write(
        "rollback",
        [
            Entry(
                empty / ".contacts.toml.tmp-1-aa",
                contacts,
                old,
                digest(contacts.read_bytes()),
                digest(old_bytes),
            ),
            Entry(
                empty / "log" / ".2026-12.toml.tmp-1-bb",
                new_file,
                None,
                digest(new_file.read_bytes()),
                None,
            ),
        ],
    )
    assert Store(empty).recover() == "back"
    assert contacts.read_bytes() == old_bytes
    assert not new_file.exists()
    assert temp_files(empty) == [] and not (empty / ".journal").exists()
    assert Store(empty).recover() is None


def test_a_failed_multi_file_write_leaves_no_journal(
    empty: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(empty)
    monkeypatch.setattr(os, "replace", failing_on_call(3, os.replace))  # after the journal's
    with pytest.raises(WriteError):
        Store(empty).write_files(new_texts())
    monkeypatch.undo()
    assert snapshot(empty) == before
    assert temp_files(empty) == [] and not (empty / ".journal").exists()


@given(
    data=st.binary(max_size=4096) | st.just(bytes(range(256)) * 9000), told=st.integers(-1, 4 << 20)
)
@settings(max_examples=25, deadline=None)
def test_reading_a_whole_file_gets_every_byte_whatever_size_it_was_said_to_have(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, told: int
) -> None:
    from hrtrust.storage.atomic import read_all

    path = tmp_path_factory.mktemp("read") / "f"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_all(fd, told) == data  # a file that grew, shrank, or is as said
    finally:
        os.close(fd)


@given(
    words=st.lists(st.text(alphabet="ab.1-", max_size=5)),
    prefix=st.text(alphabet="ab.1-", max_size=3),
)
def test_the_strings_starting_with_a_prefix_are_found_by_bisection(
    words: list[str], prefix: str
) -> None:
    from hrtrust.storage.store import _starting

    ordered = sorted(words)
    assert _starting(ordered, prefix) == [w for w in ordered if w.startswith(prefix)]
