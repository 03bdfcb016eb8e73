"""One way to write a log entry (issue 27): ``Transaction.add_entry``. The usual entry is
appended to its month file unparsed; whenever appending would not give the very bytes a full
rewrite gives (a second entry, an entry that does not sort last, a hand-edited month, a month
the transaction reads anyway), the month is rewritten whole, in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from hrtrust.domain import logbook
from hrtrust.models import Interaction, LogFile, PromisesFile, entry_sort_key
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps

REL = "log/2026-11.toml"
DAY = dt.date(2026, 11, 23)


@pytest.fixture
def small_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep validated records of every file, however small (the demo's months are small)."""
    monkeypatch.setattr("hrtrust.storage.store.RECORDS_CACHE_MIN", 0)


@pytest.fixture
def month(cli: Cli, demo: Path, small_cache: None) -> Path:
    """The demo's current month, last written by hrtrust (so its records allow appending)."""
    result = cli("log", "coffee-chat", "--with", "maria")
    assert result.exit_code == 0, result.stderr
    return demo / REL


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file read as a document from now on (parsed from its TOML or made from
    its records): an entry appended to its month reads neither."""
    read: list[str] = []
    real = Store._read

    def spy(self: Store, cls: type[Any], rel: str) -> Any:
        read.append(rel)
        return real(self, cls, rel)

    monkeypatch.setattr(Store, "_read", spy)
    return read


def as_rewritten(home: Path) -> str:
    """The month as a full rewrite writes it (parsed from the file, whatever the cache)."""
    return dumps(Store(home).read_checked(LogFile, REL))


def logged_id(stdout: str) -> str:
    return stdout.rpartition("(")[2].partition(")")[0]


def with_added(month: LogFile, *entries: Interaction) -> str:
    """The month as a full rewrite writes it with ``entries`` added."""
    doc = month.model_copy(deep=True)
    doc.entry += entries
    doc.entry.sort(key=entry_sort_key)
    return dumps(doc)


def new(day: dt.date, who: str, kind: str = "check-in") -> Interaction:
    return Interaction(id="new", date=day, kind=kind, with_=[who])


def numbering(entry: Interaction) -> Callable[[LogFile], str]:
    return lambda log: logbook.number_new(log, entry)


def test_the_usual_log_appends_to_the_month_without_parsing_it(
    cli: Cli, month: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = month.read_bytes()
    read = reads(monkeypatch)
    result = cli("log", "check-in", "--with", "david", "--note", "x")
    assert result.exit_code == 0, result.stderr
    assert REL not in read
    after = month.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    monkeypatch.undo()
    home = month.parent.parent
    assert after.decode("utf-8") == as_rewritten(home)  # what a rewrite gives
    assert Store(home).cached_records_differ(LogFile, REL) is None  # its records kept up


def test_an_entry_with_facts_promises_and_topics_appends_as_it_is_at_commit(
    cli: Cli, month: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """record() fills in the promises made after the entry was added, and the CLI the topics
    covered: the appended text is the entry as it is at commit, not when it was added."""
    before = month.read_bytes()
    read = reads(monkeypatch)
    result = cli(
        "log", "one-on-one", "--with", "david", "--learned", "likes tea",
        "--promise", "send the plan", "--due", "2026-11-30", "--covered", "t1",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert REL not in read
    after = month.read_bytes()
    assert after.startswith(before)
    monkeypatch.undo()
    home = month.parent.parent
    assert after.decode("utf-8") == as_rewritten(home)
    entry = Store(home).read_checked(LogFile, REL).entry[-1]
    made = Store(home).read_checked(PromisesFile, "promises.toml").promise
    assert entry.learned == ["likes tea"]
    assert entry.promises and entry.promises == [p.id for p in made if p.source == entry.id]
    assert entry.covered == ["t1"]


def test_two_entries_in_one_transaction_rewrite_the_month_in_order(month: Path) -> None:
    home = month.parent.parent
    expected = Store(home).read_checked(LogFile, REL)
    store = Store(home)
    first, second = new(DAY, "c2"), new(DAY, "c3")
    with store.transaction() as txn:
        txn.add_entry(REL, first, numbering(first))
        txn.add_entry(REL, second, numbering(second))
    for e in (new(DAY, "c2"), new(DAY, "c3")):
        logbook.number_new(expected, e)
        logbook.add_entry(expected, e)
    assert [first.id, second.id] == [e.id for e in expected.entry[-2:]]
    assert int(second.id.rpartition(".")[2]) == int(first.id.rpartition(".")[2]) + 1
    text = month.read_text(encoding="utf-8")
    assert text == dumps(expected) == as_rewritten(home)
    assert Store(home).cached_records_differ(LogFile, REL) is None


def test_an_entry_that_does_not_sort_last_rewrites_the_month(cli: Cli, month: Path) -> None:
    home = month.parent.parent
    expected = Store(home).read_checked(LogFile, REL)
    early = dt.date(2026, 11, 2)
    assert max(e.date for e in expected.entry) > early
    before = month.read_bytes()
    result = cli("log", "check-in", "--with", "grace", "--date", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    assert not month.read_bytes().startswith(before)  # rewritten: the entry in its place
    entries = Store(home).read_checked(LogFile, REL).entry
    (added,) = [e for e in entries if e.id == logged_id(result.stdout)]
    assert added.date == early and added not in expected.entry
    assert month.read_text(encoding="utf-8") == with_added(expected, added) == as_rewritten(home)
    assert entries == sorted(entries, key=entry_sort_key) and entries[-1] != added


def test_a_hand_edited_month_is_rewritten_with_its_backup(cli: Cli, month: Path) -> None:
    home = month.parent.parent
    edited = "# my own note\n" + month.read_text(encoding="utf-8")
    month.write_text(edited, encoding="utf-8")
    expected = Store(home).read_checked(LogFile, REL)
    result = cli("log", "check-in", "--with", "david")
    assert result.exit_code == 0, result.stderr
    assert "had comments" in result.stderr
    assert (home / (REL + ".bak")).read_text(encoding="utf-8") == edited
    (added,) = [
        e for e in Store(home).read_checked(LogFile, REL).entry if e.id == logged_id(result.stdout)
    ]
    assert month.read_text(encoding="utf-8") == with_added(expected, added) == as_rewritten(home)


def test_a_month_read_after_an_entry_was_added_holds_it(month: Path) -> None:
    """An append is only an optimisation: a later get/edit of the month in the same
    transaction sees the entry, and what it changes is written with it."""
    home = month.parent.parent
    store = Store(home)
    entry = new(DAY, "c2")
    with store.transaction() as txn:
        txn.add_entry(REL, entry, numbering(entry))
        doc = txn.edit(LogFile, REL)
        assert doc.entry[-1] is entry
        entry.note = "changed after adding"
        doc.entry[0].note = "an older entry edited too"
    again = Store(home).read_checked(LogFile, REL)
    assert again.entry[-1].id == entry.id and again.entry[-1].note == "changed after adding"
    assert again.entry[0].note == "an older entry edited too"
    assert month.read_text(encoding="utf-8") == dumps(again)


def test_a_refused_entry_changes_nothing(cli: Cli, month: Path) -> None:
    before = month.read_bytes()
    twice = cli("log", "coffee-chat", "--with", "maria", "--learned", "likes tea")
    assert twice.exit_code == 2 and "already logged as" in twice.stderr
    assert month.read_bytes() == before


def test_record_needs_the_promises_only_for_promises_made() -> None:
    log = LogFile()

    def add(entry: Interaction, number: Callable[[LogFile], str]) -> str:
        number(log)
        return logbook.add_entry(log, entry).id

    common: dict[str, Any] = {
        "people": [], "kind": "check-in", "depts": ["Sales"], "day": DAY, "note": None,
        "learned": [], "activity": None, "today": DAY,
    }  # fmt: skip
    entry, made = logbook.record(add=add, promises=None, owed=[], **common)
    assert made == [] and log.entry == [entry] and entry.id == "2026-11-23.1"
    with pytest.raises(ValueError, match="promises"):
        logbook.record(add=add, promises=None, owed=[("x", DAY)], **common)
    assert log.entry == [entry]  # refused before anything was added
