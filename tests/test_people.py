"""The people index answers what the plan asks of everyone exactly as the plan's own passes
over every contact do: the week's plan, the overdue report and the digest are equal, field by
field, with the index and without it, for random people, touches, weeks and days. And the
index kept in ``.cache/`` is only ever used for the very file it was built from."""

from __future__ import annotations

import datetime as dt
import marshal
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli
from hrtrust.cli import load
from hrtrust.domain import digest, planning
from hrtrust.domain.people import (
    ById,
    People,
    celebrating,
    index_people,
    newcomers,
    people_from,
)
from hrtrust.models import (
    Activity,
    Config,
    Contact,
    Department,
    Fact,
    Interaction,
    Moment,
    Promise,
    Topic,
    Touches,
)
from hrtrust.storage.cache import REBUILT, Tail, read_index_with_tail, write_index_with_tail
from hrtrust.storage.people import INDEX
from hrtrust.storage.store import Store

TODAY = dt.date(2026, 11, 23)
# days near today (a boundary: added today, four weeks ago) as often as any in the last years
days = (st.integers(-40, 10) | st.integers(-800, 90)).map(lambda n: TODAY + dt.timedelta(days=n))
maybe_day = st.none() | days
DEPTS = ["Sales", "R&D", "製造部", "sales"]
TAGS = ["ally", "manager", "new-hire", "peer", "influencer"]


@st.composite
def contacts(draw: st.DrawFn) -> list[Contact]:
    out = []
    for n in range(draw(st.integers(0, 30))):
        c = Contact(
            id=f"c{n + 1}",
            name=draw(st.sampled_from(["Ana", "Bo", "陳美玲", "ana", "Zoë Ng"])),
            tags=draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True)),
            every=draw(st.none() | st.sampled_from(["3d", "1w", "3w", "1m", "2m", "1y"])),
            dept=draw(st.none() | st.sampled_from(DEPTS)),
            shift=draw(st.none() | st.sampled_from(["日班", "夜班", "輪班", "早班"])),
            birthday=draw(
                st.none() | st.sampled_from(["02-29", "11-24", "11-28", "12-31", "01-01"])
            ),
        )
        c.added, c.archived, c.hired = draw(maybe_day), draw(maybe_day), draw(maybe_day)
        if draw(st.booleans()):
            c.paused_until, c.paused_on = draw(maybe_day), draw(maybe_day)
        if draw(st.integers(0, 4)) == 0:
            c.moments = [
                Moment(
                    date=draw(days), kind=draw(st.sampled_from(["transfer", "manager", "title"]))
                )
            ]
        if draw(st.integers(0, 3)) == 0:
            c.topics = [Topic(id="t1", text="budget", added=draw(days), done=draw(maybe_day))]
        if draw(st.integers(0, 3)) == 0:
            c.learned = [Fact(date=draw(days), text="runs marathons")]
        out.append(c)
    return out


@st.composite
def homes(draw: st.DrawFn) -> tuple[Config, list[Contact], Touches, list[Promise], list[Activity]]:
    people = draw(contacts())
    config = Config()
    if draw(st.booleans()):  # a registry of departments, or the people's own
        config.department = [
            Department(
                name=n, window=draw(st.sampled_from(["1w", "2w", "1m"])), added=draw(maybe_day)
            )
            for n in draw(st.lists(st.sampled_from([*DEPTS, "Legal"]), unique=True, max_size=4))
        ]
    touches = Touches()
    for c in people:
        day = draw(maybe_day)
        if day is not None and day <= TODAY:
            touches.people[c.id] = day
            touches.last_kind[c.id] = "coffee-chat"
            month = f"{day.year:04d}-{day.month:02d}"
            touches.counts.setdefault(month, {})[c.id] = draw(st.integers(1, 3))
    for name in draw(st.lists(st.sampled_from(DEPTS), unique=True, max_size=2)):
        touches.depts[name] = draw(days.filter(lambda d: d <= TODAY))
    ids = [c.id for c in people] or ["c1"]
    promises = [
        Promise(
            id=f"p{n + 1}",
            text="send the deck",
            person=draw(st.sampled_from(ids)),
            made=TODAY - dt.timedelta(days=40),
            due=draw(days),
            direction=draw(st.sampled_from(["owe", "await"])),
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    activities = [
        Activity(
            id="a1",
            title="Sales staff meeting",
            kind="dept-meeting",
            rule="FREQ=WEEKLY;BYDAY=TU",
            start=TODAY - dt.timedelta(days=100),
            at="09:00",
            duration=60,
            dept="Sales",
            with_=draw(st.lists(st.sampled_from(ids), max_size=2, unique=True)),
        )
    ]
    return config, people, touches, promises, activities


def indexed(people: list[Contact]) -> People:
    """The index of ``people`` as storage keeps it (plain values) and reads it back."""
    return people_from(index_people(people), lambda i: people[i])


def inputs(
    home: tuple[Config, list[Contact], Touches, list[Promise], list[Activity]], monday: dt.date
) -> tuple[planning.PlanInput, planning.PlanInput]:
    config, people, touches, promises, activities = home
    week = [Interaction(id="e1", date=monday, kind="coffee-chat", with_=[c.id for c in people[:2]])]
    files = {
        "config": config,
        "activities": activities,
        "promises": promises,
        "touches": touches,
        "week_entries": week,
    }
    return (
        planning.PlanInput(contacts=people, **files),  # type: ignore[arg-type]
        planning.PlanInput.of_people(indexed(people), **files),
    )


weeks = st.integers(-3, 2)
offsets = st.integers(-2, 8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(home=homes(), week=weeks, offset=offsets)
def test_the_plan_is_the_same_with_the_index(
    home: tuple[Config, list[Contact], Touches, list[Promise], list[Activity]],
    week: int,
    offset: int,
) -> None:
    monday = TODAY + dt.timedelta(weeks=week)
    today = monday + dt.timedelta(days=offset)
    plain, fast = inputs(home, monday)
    assert planning.plan_week(fast, today, monday) == planning.plan_week(plain, today, monday)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(home=homes(), offset=st.integers(-400, 60), ahead=st.integers(0, 6))
def test_the_lapses_and_the_coverage_are_the_same_with_the_index(
    home: tuple[Config, list[Contact], Touches, list[Promise], list[Activity]],
    offset: int,
    ahead: int,
) -> None:
    config, people, touches, promises, _ = home
    today = TODAY + dt.timedelta(days=offset)
    horizon = today + dt.timedelta(days=ahead)
    index = indexed(people)
    want = planning.lapses(people, config, touches.people, today, horizon)
    got = planning.lapses_of(index, config, touches.people, today, horizon)
    assert got == want
    assert [(x.id, x.name_key) for x in got] == [(x.id, x.name_key) for x in want]
    planned = planning.planned_titles([])
    assert planning.coverage_of(config, index, touches, today, planned) == planning.coverage(
        config, people, touches, today
    )
    lapsed = planning.lapses_of(index, config, touches.people, today)
    assert planning.overdue_report(
        people, promises, config, touches.people, today, lapsed=lapsed
    ) == planning.overdue_report(people, promises, config, touches.people, today)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(home=homes(), offset=st.integers(0, 6), touched=st.booleans())
def test_the_digest_is_the_same_with_the_index(
    home: tuple[Config, list[Contact], Touches, list[Promise], list[Activity]],
    offset: int,
    touched: bool,
) -> None:
    monday = TODAY
    today = monday + dt.timedelta(days=offset)
    plain, fast = inputs(home, monday)
    first, last = digest.review_week(monday)
    entries = [
        Interaction(id="e9", date=first + dt.timedelta(days=2), kind="coffee-chat", with_=[c.id])
        for c in home[1][:3]
    ]
    # someone touched today, after the week reviewed: their last touch before it is earlier
    earlier = {c.id: None for c in home[1][:1]} if touched else {}
    before: dict[str, dt.date | None] = dict(earlier)
    got = digest.build(digest.DigestInput(fast, entries, before), today, monday)
    want = digest.build(digest.DigestInput(plain, entries, before), today, monday)
    assert isinstance(got.contacts, ById)
    assert (got.review, got.plan, got.names) == (want.review, want.plan, want.names)
    assert dict(got.contacts) == dict(want.contacts)


def test_a_29_february_birthday_is_found_on_the_28th_in_other_years() -> None:
    leap = Contact(id="c1", name="Ana", birthday="02-29", hired=dt.date(2024, 2, 29))
    other = Contact(id="c2", name="Bo", birthday="03-01")
    for first in (dt.date(2026, 2, 23), dt.date(2028, 2, 28)):
        last = first + dt.timedelta(days=6)
        want = planning.celebrations([leap, other], first, last)
        assert {(x.contact.id, x.what) for x in want} == {
            ("c1", "birthday"),
            ("c1", "anniversary"),
            ("c2", "birthday"),
        }
        assert (
            planning.celebrations(celebrating(indexed([leap, other]), first, last), first, last)
            == want
        )


def test_someone_added_today_with_a_short_cadence_is_due_by_the_horizon() -> None:
    """The edge of "added by today": due three days after being added, inside the week."""
    new = Contact(id="c1", name="Ana", every="3d", added=TODAY)
    later = Contact(id="c2", name="Bo", every="3d", added=TODAY + dt.timedelta(days=1))
    horizon = TODAY + dt.timedelta(days=6)
    want = planning.lapses([new, later], Config(), {}, TODAY, horizon)
    assert [x.id for x in want] == ["c1"]
    assert planning.lapses_of(indexed([new, later]), Config(), {}, TODAY, horizon) == want


def test_an_ally_added_four_weeks_ago_is_no_longer_introduced() -> None:
    """The edge of the four weeks of introductions: added 28 days ago is out, 27 is in."""
    people = [
        Contact(id=f"c{n}", name=f"Ally {n}", tags=["ally"], added=TODAY - dt.timedelta(days=n))
        for n in (27, 28)
    ]
    found = newcomers(indexed(people), TODAY, planning.INTRO_DAYS)
    assert [c.id for c in found] == ["c27"]
    assert planning.introductions(found, {}, TODAY, TODAY) == planning.introductions(
        people, {}, TODAY, TODAY
    )


@settings(max_examples=300, deadline=None)
@given(
    people=contacts(),
    first=st.dates(dt.date(2023, 1, 1), dt.date(2029, 12, 31)),
    length=st.integers(0, 13),
)
def test_the_celebrations_are_the_same_with_the_index(
    people: list[Contact], first: dt.date, length: int
) -> None:
    """Any window, in any year: a 29 February birthday on the 28th in other years."""
    last = first + dt.timedelta(days=length)
    found = celebrating(indexed(people), first, last)
    assert planning.celebrations(found, first, last) == planning.celebrations(people, first, last)


# -- the kept index ---------------------------------------------------------------------------


def test_the_index_is_kept_for_the_file_and_built_again_when_it_changes(
    cli: Cli, demo: Path
) -> None:
    store = Store(demo)
    first = load.everyone(store)
    kept = demo / ".cache" / INDEX
    assert kept.exists()
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    assert [c.id for c in store.contacts().contact] == list(first.ids)
    # a person added: the stamp of contacts.toml changed, so the index is built again
    assert cli("contact", "add", "Zhang Wei", "--dept", "Sales").exit_code == 0
    again = load.everyone(Store(demo))
    assert "Zhang Wei" in again.names
    assert len(again) == len(first) + 1
    assert [again.decode(i) for i in range(len(again))] == Store(demo).contacts().contact


def read_kept(home: Path) -> tuple[Any, bytes]:
    """The kept people index as written (``(stamp, payload)``) and every record's bytes."""
    got = read_index_with_tail(home, INDEX)
    assert got is not None
    return got[0], got[1].read(0, got[1].size)


def write_kept(home: Path, kept: Any, records: bytes) -> None:
    """Plant ``kept`` (``(stamp, payload)``) and ``records`` as the people index."""
    write_index_with_tail(home, INDEX, kept, records)


def test_a_damaged_or_planted_index_is_built_again(demo: Path) -> None:
    load.everyone(Store(demo))
    kept = demo / ".cache" / INDEX
    want = Store(demo).contacts().contact
    whole = kept.read_bytes()
    n = int.from_bytes(whole[:8], "little")
    plants = (
        b"garbage",
        whole[:-40],  # records cut short
        whole[: 8 + n],  # no records at all
        whole[:8] + whole[9 : 8 + n] + whole[8 + n :],  # the index cut short
        (10**9).to_bytes(8, "little") + whole[8:],  # an index longer than the file
        marshal.dumps(marshal.loads(whole[8 : 8 + n])),  # the layout before: no tail
    )
    for planted in plants:
        kept.write_bytes(planted)
        REBUILT.clear()
        got = load.everyone(Store(demo))
        assert [got.decode(i) for i in range(len(got))] == want
        assert kept.read_bytes() == whole  # built again, as it was
    # a symlink in its place is never followed
    kept.unlink()
    os.symlink("/dev/zero", kept)
    got = load.everyone(Store(demo))
    assert [got.decode(i) for i in range(len(got))] == want


def test_a_person_decoded_reads_only_their_record_of_the_kept_file(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load.everyone(Store(demo))
    ends = read_kept(demo)[0][1]["ends"]
    read: list[int] = []
    real = Tail.read
    monkeypatch.setattr(Tail, "read", lambda self, a, b: read.append(b - a) or real(self, a, b))
    got = load.everyone(Store(demo))
    assert read == []  # the columns only
    want = Store(demo).contacts().contact
    assert [got.decode(i) for i in (3, 0, 3)] == [want[3], want[0], want[3]]
    assert read == [ends[3] - ends[2], ends[0]]  # those two records' bytes, once each


def test_a_record_that_decodes_to_someone_else_is_read_from_the_file(demo: Path) -> None:
    load.everyone(Store(demo))
    (stamp, payload), blob = read_kept(demo)
    ends = payload["ends"]
    first, second = blob[: ends[0]], blob[ends[0] : ends[1]]
    swapped = second + first + blob[ends[1] :]  # the first two people swapped
    payload["ends"] = [len(second), *ends[1:]]
    write_kept(demo, (stamp, payload), swapped)
    REBUILT.clear()
    got = load.everyone(Store(demo))
    want = Store(demo).contacts().contact
    assert [got.decode(0), got.decode(1)] == want[:2]
    assert any(INDEX in note for note in REBUILT)


def test_an_unreadable_contacts_file_is_an_error_not_an_answer_from_the_index(
    cli: Cli, demo: Path
) -> None:
    assert cli("plan", "week").exit_code == 0  # keeps the index
    (demo / "contacts.toml").chmod(0)
    try:
        if os.geteuid() == 0:  # root reads anything: a directory in its place instead
            (demo / "contacts.toml").chmod(0o600)
            (demo / "contacts.toml").rename(demo / "contacts.bak")
            (demo / "contacts.toml").mkdir()
        got = cli("plan", "week")
        assert got.exit_code != 0
        assert "contacts.toml" in got.output
    finally:
        if (demo / "contacts.toml").is_dir():
            (demo / "contacts.toml").rmdir()
            (demo / "contacts.bak").rename(demo / "contacts.toml")
        (demo / "contacts.toml").chmod(0o600)


def test_doctor_finds_an_index_that_differs_from_the_file_and_fix_builds_it_again(
    cli: Cli, demo: Path
) -> None:
    assert cli("plan", "week").exit_code == 0  # keeps the index
    assert cli("doctor").exit_code == 0
    (stamp, payload), records = read_kept(demo)
    payload["names"][0] = "Somebody Else"  # a planted index, under the file's very stamp
    write_kept(demo, (stamp, payload), records)
    found = cli("doctor")
    assert found.exit_code != 0
    assert f".cache/{INDEX}" in found.output
    assert "people index differs" in found.output
    fixed = cli("doctor", "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert cli("doctor").exit_code == 0
    got = load.everyone(Store(demo))
    assert got.names[0] == Store(demo).contacts().contact[0].name


@settings(max_examples=400, deadline=None)
@given(
    horizon=st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
    cadence=st.sampled_from(["1d", "3d", "1w", "6w", "1m", "2m", "3m", "1y"]),
)
def test_the_latest_day_due_by_a_horizon_is_exact(horizon: dt.date, cadence: str) -> None:
    """Everyone touched on or before it is due by the horizon, nobody touched after it is:
    with months, too (a month from Jan 29, 30 or 31 is the same Feb 28)."""
    from hrtrust.domain.dates import cadence_delta

    delta = cadence_delta(cadence)
    latest = planning.latest_due_by(horizon, delta)
    assert latest + delta <= horizon
    assert latest + dt.timedelta(days=1) + delta > horizon


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    home=homes(),
    offset=st.integers(-400, 60),
    ahead=st.integers(0, 6),
    moved=st.sets(st.integers(0, 29), max_size=4),
    read=st.integers(0, 40),
)
def test_a_ranking_reads_as_the_list_of_lapses(
    home: tuple[Config, list[Contact], Touches, list[Promise], list[Activity]],
    offset: int,
    ahead: int,
    moved: set[int],
    read: int,
) -> None:
    """Read in part or whole, counted, past due only, longest over first, or with a few
    people ranked again: each is what the list of :func:`lapses` gives."""
    from hrtrust.domain.lapsed import most_overdue_first

    config, people, touches, _, _ = home
    today = TODAY + dt.timedelta(days=offset)
    horizon = today + dt.timedelta(days=ahead)
    want = planning.lapses(people, config, touches.people, today, horizon)
    got = planning.lapses_of(indexed(people), config, touches.people, today, horizon)
    assert got[:read] == want[:read]  # a part first: the rest is made as it is read
    assert len(got) == len(want)
    assert list(got) == want
    if want:
        assert got[-1] == want[-1]
    assert got.overdue_count == sum(1 for x in want if x.days_over > 0)
    assert list(got.overdue()) == [x for x in want if x.days_over > 0]
    assert list(got.overdue_first()) == sorted(
        (x for x in want if x.days_over > 0), key=most_overdue_first
    )
    # some people touched since: ranked again from their new last touch
    again_people = [c for n, c in enumerate(people) if n in moved]
    later = {**touches.people, **{c.id: today for c in again_people}}
    again = planning.lapses(again_people, config, later, today, horizon)
    replaced = got.replaced(again_people, again)
    kept = [x for x in want if x.id not in {c.id for c in again_people}]
    expected = sorted([*kept, *again], key=planning.RANKED)
    assert list(replaced) == expected
    assert len(replaced) == len(expected)
    assert list(replaced.overdue()) == [x for x in expected if x.days_over > 0]


def test_people_due_the_same_day_are_ranked_by_name_then_id() -> None:
    """Touched on the same day, or on 29, 30 and 31 January with a monthly cadence (all due
    on 28 February): the ranking orders them by name and id, not by file order."""
    names = ["Zoë Ng", "ana", "Bo", "Ana", "陳美玲", "bo"]
    people = [Contact(id=f"c{n}", name=name, every="1m") for n, name in enumerate(names)]
    today = dt.date(2027, 3, 10)
    for lasts in (
        [dt.date(2027, 1, 15)] * len(names),
        [dt.date(2027, 1, 29 + n % 3) for n in range(len(names))],
    ):
        touched = {c.id: day for c, day in zip(people, lasts, strict=True)}
        want = planning.lapses(people, Config(), touched, today)
        got = planning.lapses_of(indexed(people), Config(), touched, today)
        assert [x.id for x in got] == [x.id for x in want]
        assert [x.name_key for x in want] == sorted(x.name_key for x in want)


def test_an_index_of_the_wrong_shape_under_the_files_stamp_is_built_again(
    cli: Cli, demo: Path
) -> None:
    """Planted under the very stamp of contacts.toml, with values of the wrong type or
    positions out of range: never an internal error, never half used."""
    assert cli("plan", "week").exit_code == 0
    (stamp, payload), records = read_kept(demo)
    n = len(payload["ids"])
    want = [cli(*c).output for c in (("plan", "week"), ("overdue",), ("digest",))]
    plants = [
        {"kinds": [None]},
        {"names": [1] * n},
        {"names": [None] * n},
        {"tags": [None] * n},
        {"depts": [1] * n},
        {"added": ["x"] * n},
        {"added": [-5] * n},
        {"archived": ["x"] * n},
        {"ids": [[1]] * n},
        {"moments": [999]},
        {"by_dept": {"Sales": [999]}},
        {"birthdays": {"01-01": ["x"]}},
        {"special": [(0, None, "x", 0, 0)]},
        {"newcomers": [(1, 999)]},
        {"dept_info": {"Sales": (0, False, [999], ())}},
    ]
    for plant in plants:
        write_kept(demo, (stamp, {**payload, **plant}), records)
        got = [cli(*c) for c in (("plan", "week"), ("overdue",), ("digest",))]
        assert [g.exit_code for g in got] == [0, 0, 0], (plant, got[0].output)
        assert [g.output for g in got] == want, plant


def test_doctor_says_a_people_index_with_bytes_after_its_records_is_not_hrtrust_s(
    cli: Cli, demo: Path
) -> None:
    assert cli("plan", "week").exit_code == 0  # keeps the index
    kept = demo / ".cache" / INDEX
    kept.write_bytes(kept.read_bytes() + b"more")  # every reader builds it again
    found = cli("doctor")
    assert found.exit_code != 0 and "not a cache hrtrust wrote" in found.output
    assert cli("doctor", "--fix").exit_code == 0
    assert cli("doctor").exit_code == 0
