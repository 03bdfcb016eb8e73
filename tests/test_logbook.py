"""hrtrust.domain.logbook as pure functions of documents: building an entry from what was
typed, numbering, finding, moving and filtering entries (the CLI only reads and saves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from hrtrust.domain import logbook
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.models import Contact, Interaction, LogFile, Promise, PromisesFile

D = dt.date
TODAY = D(2026, 11, 23)
MARIA = Contact(id="c1", name="Maria Chen", dept="Engineering")
DAVID = Contact(id="c2", name="David Okafor", dept="Engineering")
GRACE = Contact(id="c3", name="Grace Liu", dept="Sales")
EVERYONE = [MARIA, DAVID, GRACE]


def fresh() -> list[Contact]:
    return [c.model_copy(deep=True) for c in EVERYONE]


def into(log: LogFile) -> logbook.AddEntry:
    """Adds entries to ``log`` in memory, as a transaction does to a month it rewrites."""

    def add(entry: Interaction, number: Callable[[LogFile], str]) -> str:
        number(log)
        return logbook.add_entry(log, entry).id

    return add


def test_split_ref_names_the_person_or_takes_the_only_one() -> None:
    assert logbook.split_ref("Maria: loves hiking", [MARIA, DAVID], "learned") == (
        MARIA,
        "loves hiking",
    )
    assert logbook.split_ref("loves hiking", [MARIA], "learned") == (
        MARIA,
        "loves hiking",
    )
    assert logbook.split_ref("send slides", [], "promise") == (None, "send slides")
    # a promise to a group is owed to who came first; a fact needs a name
    assert logbook.split_ref("send slides", [DAVID, MARIA], "promise")[0] == DAVID
    with pytest.raises(UsageError, match="say whose learned it is"):
        logbook.split_ref("likes tea", [MARIA, DAVID], "learned")


def test_split_ref_keeps_text_whose_prefix_is_nobody() -> None:
    assert logbook.split_ref("Note: bring cake", [MARIA], "learned") == (
        MARIA,
        "Note: bring cake",
    )
    # only the people in the entry are looked up: "OK" is not David OKafor here
    assert logbook.split_ref("OK: will send", [MARIA], "promise") == (MARIA, "OK: will send")


def test_record_builds_the_entry_promises_and_facts() -> None:
    log, promises, contacts = LogFile(), PromisesFile(), fresh()
    maria, david = contacts[0], contacts[1]
    entry, made = logbook.record(
        add=into(log),
        promises=promises,
        people=[maria, david],
        kind="coffee-chat",
        depts=[],
        day=D(2026, 11, 20),
        note="  talked about the re-org  ",
        learned=["David: new baby girl"],
        owed=[("send the criteria", D(2026, 11, 27))],
        activity=None,
        today=TODAY,
    )
    assert (entry.id, entry.depts, entry.note) == (
        "2026-11-20.1",
        ["Engineering"],
        "talked about the re-org",
    )
    assert entry.with_ == ["c1", "c2"] and entry.learned == ["new baby girl"]
    assert [(p.id, p.person, p.due, p.source) for p in made] == [
        ("p1", "c1", D(2026, 11, 27), "2026-11-20.1")
    ]
    assert entry.promises == ["p1"] and promises.promise == made
    assert [(f.date, f.text) for f in david.learned] == [(D(2026, 11, 20), "new baby girl")]
    assert maria.learned == [] and log.entry == [entry]


def test_record_with_a_department_only() -> None:
    log, promises = LogFile(), PromisesFile()
    entry, made = logbook.record(
        add=into(log),
        promises=promises,
        people=[],
        kind="department-meeting",
        depts=["Sales"],
        day=TODAY,
        note=None,
        learned=[],
        owed=[("share the plan", D(2026, 11, 30))],
        activity="a1",
        today=TODAY,
    )
    assert (entry.with_, entry.depts, entry.activity) == ([], ["Sales"], "a1")
    assert [(p.person, p.dept) for p in made] == [(None, "Sales")]


def test_ids_number_within_the_day() -> None:
    log = LogFile()
    for day in (D(2026, 11, 2), D(2026, 11, 2), D(2026, 11, 3)):
        logbook.add_entry(log, Interaction(id="new", date=day, kind="check-in", with_=["c1"]))
    assert [e.id for e in log.entry] == ["2026-11-02.1", "2026-11-02.2", "2026-11-03.1"]


def test_find_entry_and_bad_ids() -> None:
    log = LogFile()
    e = logbook.add_entry(log, Interaction(id="new", date=TODAY, kind="check-in", with_=["c1"]))
    assert logbook.entry_day("2026-11-23.1") == TODAY
    assert logbook.find_entry(log, "2026-11-23.1") is e
    with pytest.raises(NotFoundError):
        logbook.find_entry(log, "2026-11-23.9")
    with pytest.raises(UsageError, match="not a log entry id"):
        logbook.entry_day("yesterday.1")


def test_move_entry_to_another_month_takes_its_promises_along() -> None:
    nov, dec = LogFile(), LogFile()
    logbook.add_entry(nov, Interaction(id="new", date=TODAY, kind="check-in", with_=["c1"]))
    e = logbook.add_entry(nov, Interaction(id="new", date=TODAY, kind="check-in", with_=["c2"]))
    promises = PromisesFile(
        promise=[
            Promise(
                id="p1", text="x", direction="owe", person="c2", made=TODAY, due=TODAY,
                source="2026-11-23.2",
            )
        ]
    )  # fmt: skip
    logbook.move_entry(nov, dec, e, D(2026, 12, 1), promises)
    assert [x.id for x in nov.entry] == ["2026-11-23.1"]
    assert [x.id for x in dec.entry] == ["2026-12-01.1"]
    assert promises.promise[0].source == "2026-12-01.1"


def test_matching_filters_newest_first() -> None:
    entries = [
        Interaction(id="2026-11-01.1", date=D(2026, 11, 1), kind="coffee-chat", with_=["c1"],
                    note="Marathon training"),
        Interaction(id="2026-11-02.1", date=D(2026, 11, 2), kind="check-in", with_=["c2"]),
        Interaction(id="2026-11-03.1", date=D(2026, 11, 3), kind="coffee-chat", with_=["c1"],
                    learned=["ＭＡＲＡＴＨＯＮ in March"]),
    ]  # fmt: skip
    ids = [e.id for e in logbook.matching(entries, person="c1", text="marathon")]
    assert ids == ["2026-11-03.1", "2026-11-01.1"]
    assert [e.id for e in logbook.matching(entries, kind="check-in")] == ["2026-11-02.1"]
