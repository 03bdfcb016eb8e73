"""The log counted a day at a time (``domain.days``), kept in ``.cache/touches-days.bin``: the
digest's review sums a week of these counts and reads only the entries it shows. Whatever
happened to the log (a `log`, a hand edit, an entry in another month's file, someone moving
department, a deleted, damaged or planted cache), a week's counts are a recount of the TOML
read independently of hrtrust, its entries are the TOML's in order, and the digest is the one
counted from every entry of the week."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, Cli
from hrtrust.cli import load
from hrtrust.domain import digest
from hrtrust.domain.days import count_days
from hrtrust.models import DayCount, Interaction, Touchpoint
from hrtrust.present.digest import to_json_data
from hrtrust.storage import touch_days
from hrtrust.storage.cache import read_index, write_index
from hrtrust.storage.store import Store
from test_coverage_index import (  # the same home and the same changes to it
    DEPTS,
    OTHER_STEPS,
    PEOPLE,
    apply_steps,
    template,
)

__all__ = ["template"]  # a fixture, used by name

# Mondays: the demo's own week, weeks across a month's end, and a week after the last entry
MONDAYS = [
    TODAY,
    TODAY - dt.timedelta(days=7),
    dt.date(2026, 10, 26),
    dt.date(2026, 11, 30),
    dt.date(2026, 9, 28),
    TODAY + dt.timedelta(days=35),
]
ACTIVITIES = ["a1", "a2", "a3"]

Week = dict[dt.date, tuple[int, dict[str, int], dict[str, int], int, set[str], set[str]]]


def toml_entries(home: Path, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """The entries dated from ``first`` to ``last`` in the month files of those months."""
    lo, hi = f"{first:%Y-%m}.toml", f"{last:%Y-%m}.toml"
    out = []
    for path in sorted((home / "log").glob("*.toml")):
        if lo <= path.name <= hi:
            with path.open("rb") as fh:
                out += [e for e in tomllib.load(fh).get("entry", []) if first <= e["date"] <= last]
    return out


def recount(home: Path, first: dt.date, last: dt.date) -> Week:
    """Each day's entries, kinds, departments, entries touching none, people and activities,
    from the TOML itself (departments: the entry's, and those of its people now)."""
    with (home / "contacts.toml").open("rb") as fh:
        dept_of = {c["id"]: c.get("dept") for c in tomllib.load(fh).get("contact", [])}
    days: dict[dt.date, list[dict[str, Any]]] = {}
    for e in toml_entries(home, first, last):
        days.setdefault(e["date"], []).append(e)
    out: Week = {}
    for day, entries in days.items():
        depts: Counter[str] = Counter()
        untouched = 0
        for e in entries:
            names = set(e.get("depts", [])) | {
                d for w in e.get("with", []) if (d := dept_of.get(w))
            }
            depts.update(names)
            untouched += not names
        out[day] = (
            len(entries),
            dict(Counter(e["kind"] for e in entries)),
            dict(depts),
            untouched,
            {w for e in entries for w in e.get("with", [])},
            {e["activity"] for e in entries if e.get("activity")},
        )
    return out


def in_order(home: Path, first: dt.date, last: dt.date) -> list[str]:
    """The week's entry ids by day, then number (``2026-11-23.2`` before ``.10``)."""

    def key(e: dict[str, Any]) -> tuple[dt.date, int, str]:
        seq = e["id"].rpartition(".")[2]
        return (e["date"], int(seq) if seq.isdigit() else 0, e["id"])

    return [e["id"] for e in sorted(toml_entries(home, first, last), key=key)]


def as_week(counts: dict[dt.date, DayCount]) -> Week:
    return {
        day: (c.entries, c.kinds, c.depts, c.untouched, set(c.people), set(c.attended))
        for day, c in counts.items()
    }


def kept(home: Path, monday: dt.date) -> tuple[dict[dt.date, DayCount], list[str], int]:
    """The review week's kept counts, its entries' ids as the digest reads them, and how many
    it says there are."""
    store = Store(home)
    first, last = digest.review_week(monday)
    data = load.digest_input(store, monday, monday)
    assert data.review_days is not None
    entries = data.review_entries
    return dict(data.review_days), [e.id for e in entries], len(entries)


def assert_weeks_are_a_recount(home: Path) -> None:
    for today in (TODAY, TODAY - dt.timedelta(days=20)):
        touches = load.touches(Store(home), today)
        for day in (today - dt.timedelta(days=8), today - dt.timedelta(days=1), today):
            every = {cid: last for cid, last in touches.people.items() if last > day}
            assert touches.people_after(day) == every
        assert touches.latest is None or touches.latest >= max(touches.people.values())
    for monday in MONDAYS:
        first, last = digest.review_week(monday)
        counts, ids, n = kept(home, monday)
        assert as_week(counts) == recount(home, first, last), monday
        assert ids == in_order(home, first, last), monday
        assert n == len(ids)


def _log(home: Path, step: tuple[Any, ...]) -> None:
    _, offset, people, depts, activity, kind = step
    args = ["--home", str(home), "log", kind, "--again"]
    for cid in people:
        args += ["--with", cid]
    for name in depts:
        args += ["--dept", name]
    if activity:
        args += ["--activity", activity]
    day = TODAY - dt.timedelta(days=offset)
    result = Cli()(*args, "--date", day.isoformat())
    assert result.exit_code == 0, result.output + result.stderr


LOGS = st.tuples(
    st.just("log"),
    st.integers(0, 40),
    st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True),
    st.lists(st.sampled_from(DEPTS), max_size=2, unique=True),
    st.sampled_from([None, *ACTIVITIES]),
    st.sampled_from(["check-in", "coffee-chat", "newsletter"]),
).filter(lambda s: s[2] or s[3])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(LOGS, OTHER_STEPS), max_size=6))
def test_a_kept_week_is_a_recount_of_the_log_and_its_entries_are_the_logs(
    template: Path, steps: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(template, home)
        assert_weeks_are_a_recount(home)  # built
        assert_weeks_are_a_recount(home)  # kept
        apply_steps(home, steps, assert_weeks_are_a_recount, _log)
        assert_weeks_are_a_recount(home)


def reference(store: Store, monday: dt.date, today: dt.date) -> digest.Digest:
    """The digest counted from every entry of the review week (no kept counts)."""
    data = load.digest_input(store, monday, today)
    first, last = digest.review_week(monday)
    every = dataclasses.replace(
        data, review_entries=list(store.iter_log(first, last)), review_days=None
    )
    return digest.build(every, today, monday)


@pytest.mark.parametrize("monday", MONDAYS)
@pytest.mark.parametrize("private", [False, True])
def test_the_digest_from_kept_counts_is_the_one_counted_from_every_entry(
    demo: Path, monday: dt.date, private: bool
) -> None:
    for today in (monday, monday + dt.timedelta(days=2)):
        got = digest.build(load.digest_input(Store(demo), monday, today), today, monday)
        want = reference(Store(demo), monday, today)
        assert got.review._replace(entries=()) == want.review._replace(entries=())
        assert list(got.review.entries) == list(want.review.entries)
        assert to_json_data(got, private=private) == to_json_data(want, private=private)


def test_the_digest_shows_its_first_entries_reading_only_the_days_it_needs(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(demo)
    data = load.digest_input(store, TODAY, TODAY)
    entries = data.review_entries
    read: list[tuple[dt.date | None, dt.date | None]] = []
    iter_log = Store.iter_log

    def counting(self: Store, since: Any = None, until: Any = None, **kw: Any) -> Any:
        read.append((since, until))
        return iter_log(self, since, until, **kw)

    monkeypatch.setattr(Store, "iter_log", counting)
    first, last = digest.review_week(TODAY)
    days = sorted({e["date"] for e in toml_entries(demo, first, last)})
    assert len(days) > 2
    assert [e.id for e in entries[:1]] == in_order(demo, first, last)[:1]
    assert read == [(days[0], days[0])]
    assert [e.id for e in entries] == in_order(demo, first, last)
    assert read == [(days[0], days[0]), (days[1], days[-1])]  # the rest in one read
    assert entries[-1].id == in_order(demo, first, last)[-1]
    assert len(read) == 2


def test_a_day_logged_to_since_it_was_counted_adds_the_log_without_counting_again(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monday = TODAY + dt.timedelta(days=7)
    first, last = digest.review_week(monday)
    kept(demo, monday)  # counted and kept
    on = first.isoformat()
    for args in (
        ["log", "add", "coffee-chat", "--with", "c3", "--activity", "a2", "--date", on],
        ["log", "add", "newsletter", "--dept", "Sales", "--date", on],
        ["log", "add", "check-in", "--with", "c5", "--date", (first + dt.timedelta(1)).isoformat()],
    ):
        assert cli(*args, today=monday).exit_code == 0
    payload = read_index(demo, touch_days.NAME)
    assert len(payload["months"][f"log/{first:%Y-%m}.toml"][2]) == 3  # waiting, uncounted

    def fail(*_: object) -> None:
        pytest.fail("a month was counted again")

    monkeypatch.setattr(touch_days, "_month_touchpoints", fail)
    counts, ids, n = kept(demo, monday)
    assert as_week(counts) == recount(demo, first, last)
    assert "a2" in counts[first].attended
    assert (ids, n) == (in_order(demo, first, last), len(ids))


@pytest.mark.parametrize(
    "detail",
    [
        b"garbage",
        (1, {"check-in": "one"}, 0, [], []),
        (1, {}, 0, ["c1", 2], []),
        (1, {}, 0, [], None),
        ("1", {}, 0, [], []),
        (1, {}, 0, []),
    ],
)
def test_a_day_planted_under_the_right_key_and_stamp_is_counted_again(
    cli: Cli, demo: Path, detail: Any
) -> None:
    import marshal

    first, last = digest.review_week(TODAY)
    kept(demo, TODAY)
    payload = read_index(demo, touch_days.NAME)
    stamp, days, pending = payload["months"][f"log/{first:%Y-%m}.toml"]
    depts, _ = days[first.toordinal()]
    blob = detail if type(detail) is bytes else marshal.dumps(detail)
    days[first.toordinal()] = (depts, blob)
    write_index(demo, touch_days.NAME, payload)
    result = cli("--debug", "digest", "--format", "json")
    assert result.exit_code == 0
    assert f".cache/{touch_days.NAME}: rebuilt" in result.stderr
    counts, ids, _n = kept(demo, TODAY)
    assert as_week(counts) == recount(demo, first, last)
    assert cli("digest", "--format", "json").stdout == result.stdout


def test_counts_of_the_layout_before_are_counted_again(cli: Cli, demo: Path) -> None:
    first, last = digest.review_week(TODAY)
    kept(demo, TODAY)
    payload = read_index(demo, touch_days.NAME)
    del payload["format"]  # the first layout had none, and a day's departments only
    for _stamp, days, _pending in payload["months"].values():
        for day, (depts, _detail) in list(days.items()):
            days[day] = depts
    write_index(demo, touch_days.NAME, payload)
    result = cli("--debug", "report", "coverage")
    assert result.exit_code == 0 and "rebuilt" in result.stderr
    assert as_week(kept(demo, TODAY)[0]) == recount(demo, first, last)


def test_count_days_counts_an_entry_once_a_day_for_each_thing_it_touches() -> None:
    day, other = dt.date(2026, 11, 16), dt.date(2026, 11, 17)
    dept_of: dict[str, str | None] = {"c1": "Sales", "c2": "Sales", "c3": None, "c4": "HR"}
    entries = [
        Interaction(id="1", date=day, kind="coffee-chat", with_=["c1", "c2"], activity="a1"),
        Interaction(id="2", date=day, kind="check-in", with_=["c3"]),
        Touchpoint(day, "newsletter", [], ["Sales", "Ops"], "a1"),
        Touchpoint(other, "check-in", ["c4", "c1"], ["HR"]),
    ]
    assert count_days(entries, dept_of) == {
        day: DayCount(
            {"Sales": 2, "Ops": 1},
            3,
            {"coffee-chat": 1, "check-in": 1, "newsletter": 1},
            1,
            ["c1", "c2", "c3"],
            ["a1"],
        ),
        other: DayCount({"HR": 1, "Sales": 1}, 1, {"check-in": 1}, 0, ["c4", "c1"], []),
    }
    both = count_days(entries[:2], dept_of)[day].plus(count_days(entries[2:3], dept_of)[day])
    assert both == count_days(entries[:3], dept_of)[day]


def test_a_month_s_kept_records_are_read_once_a_run_and_again_once_the_file_changed(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import store as store_module

    monkeypatch.setattr(store_module, "RECORDS_CACHE_MIN", 0)
    store = Store(demo)
    rel = store.log_months()[-2]  # November's
    first = dt.date.fromisoformat(rel[4:11] + "-01")
    want = [e.id for e in Store(demo).iter_log(first, first + dt.timedelta(days=27))]
    reads: list[str] = []
    real = store_module.fresh_records
    monkeypatch.setattr(
        store_module, "fresh_records", lambda home, r, *a: reads.append(r) or real(home, r, *a)
    )
    week = [e.id for e in store.iter_log(first, first + dt.timedelta(days=6))]
    later = [e.id for e in store.iter_log(first + dt.timedelta(days=7), first + dt.timedelta(27))]
    assert (week + later, reads) == (want, [rel])
    assert cli("log", "coffee-chat", "--with", "c3", "--date", first.isoformat()).exit_code == 0
    reads.clear()  # the log's own
    again = [e.id for e in store.iter_log(first, first + dt.timedelta(days=27))]
    assert reads == [rel]
    assert len(again) == len(want) + 1 and set(want) < set(again)


@pytest.mark.parametrize("what", ["depts", "detail", "pending"])
def test_doctor_finds_day_counts_that_differ_from_the_log_and_fix_counts_them_again(
    cli: Cli, demo: Path, what: str
) -> None:
    import marshal

    assert cli("report", "coverage").exit_code == 0  # keeps the counts
    assert cli("doctor").exit_code == 0
    payload = read_index(demo, touch_days.NAME)
    rel = f"log/{TODAY:%Y-%m}.toml"
    stamp, days, pending = payload["months"][rel]
    day = max(days)
    depts, detail = days[day]
    entries, kinds, untouched, people, attended = marshal.loads(detail)
    if what == "depts":  # planted under the very stamp: one more touch of a department
        days[day] = ({**depts, "Sales": depts.get("Sales", 0) + 1}, detail)
    elif what == "detail":  # someone who was not there
        days[day] = (depts, marshal.dumps((entries, kinds, untouched, [*people, "c99"], [])))
    else:  # an entry waiting to be counted that the month does not hold
        payload["months"][rel] = (stamp, days, [(day, "check-in", ["c3"], [], None)])
    write_index(demo, touch_days.NAME, payload)
    found = cli("doctor")
    assert found.exit_code != 0
    assert f".cache/{touch_days.NAME}" in found.output
    assert "day counts differ from the log" in found.output
    fixed = cli("doctor", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert cli("report", "coverage").exit_code == 0
    assert cli("doctor").exit_code == 0
    first, last = digest.review_week(TODAY)
    assert as_week(kept(demo, TODAY)[0]) == recount(demo, first, last)


@given(
    start=st.one_of(st.none(), st.integers(-12, 12)),
    stop=st.one_of(st.none(), st.integers(-12, 12)),
    step=st.one_of(st.none(), st.sampled_from([1, 2, 3, -1, -2])),
    index=st.integers(-12, 11),
)
@settings(max_examples=60, deadline=None)
def test_the_week_s_entries_slice_and_index_as_a_list_does(
    template: Path, start: int | None, stop: int | None, step: int | None, index: int
) -> None:
    monday = TODAY
    data = load.digest_input(Store(template), monday, monday)
    every = list(load.digest_input(Store(template), monday, monday).review_entries)
    days = {e.date for e in every}
    assert 5 < len(every) < 12 and len(days) > 2  # indices cover both ends and past them
    got = data.review_entries[start:stop:step]  # first, on a fresh sequence
    assert [e.id for e in got] == [e.id for e in every[start:stop:step]]
    fresh = load.digest_input(Store(template), monday, monday).review_entries
    if -len(every) <= index < len(every):
        assert fresh[index].id == every[index].id
    else:
        with pytest.raises(IndexError):
            fresh[index]


@pytest.mark.parametrize(
    "step",
    [
        (0, "check-in", "c1", [], None),  # people as one text: never read letter by letter
        (0, "check-in", ["c1"], "Sales", None),
        (0, "check-in", [1], [], None),
        (0, 5, ["c1"], [], None),
        (0, "check-in", ["c1"], [], 7),
        ("0", "check-in", ["c1"], [], None),
        (0, "check-in", ["c1"], []),
        [0, "check-in", ["c1"], [], None],
    ],
)
def test_a_planted_pending_entry_of_another_shape_is_counted_again_from_the_log(
    cli: Cli, demo: Path, step: Any
) -> None:
    first, last = digest.review_week(TODAY)
    kept(demo, TODAY)
    payload = read_index(demo, touch_days.NAME)
    rel = f"log/{first:%Y-%m}.toml"
    stamp, days, _pending = payload["months"][rel]
    if type(step) is tuple and type(step[0]) is int:
        step = (first.toordinal(), *step[1:])
    payload["months"][rel] = (stamp, days, [step])
    write_index(demo, touch_days.NAME, payload)
    result = cli("--debug", "digest", "--format", "json")
    assert result.exit_code == 0 and f".cache/{touch_days.NAME}: rebuilt" in result.stderr
    assert as_week(kept(demo, TODAY)[0]) == recount(demo, first, last)
    assert cli("digest", "--format", "json").stdout == result.stdout
