"""An activity started years ago is expanded from a later, equivalent DTSTART
(`recurrence.aligned_start`): it must give exactly the occurrences the rule gives from its
real start, for every kind of rule hrtrust accepts."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hrtrust.domain.recurrence import aligned_start, occurrences

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.integers(1, 5))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if freq in ("WEEKLY", "DAILY") and draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        parts.append("BYDAY=" + ",".join(days))
        if freq == "WEEKLY" and len(days) > 1 and draw(st.booleans()):
            parts.append(f"BYSETPOS={draw(st.sampled_from([1, 2, -1]))}")
    if freq in ("MONTHLY", "YEARLY"):
        how = draw(st.sampled_from(["none", "nth", "monthday", "weekday-setpos"]))
        if how == "nth":
            n = draw(st.sampled_from([1, 2, 3, 4, -1]))
            parts.append(f"BYDAY={n}{draw(st.sampled_from(DAYS))}")
        elif how == "monthday":
            parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 15, 28, 29, 30, 31, -1]))}")
        elif how == "weekday-setpos":
            parts.append("BYDAY=MO,TU,WE,TH,FR")
            parts.append(f"BYSETPOS={draw(st.sampled_from([1, -1]))}")
    if freq == "YEARLY" and draw(st.booleans()):
        parts.append(f"BYMONTH={draw(st.integers(1, 12))}")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"COUNT={draw(st.integers(1, 60))}")
    return ";".join(parts)


def expand(rule: str, start: dt.date, first: dt.date, last: dt.date) -> list[dt.datetime]:
    built = rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time(9, 30)))
    return list(
        built.between(
            dt.datetime.combine(first, dt.time.min), dt.datetime.combine(last, dt.time.max), True
        )
    )


@settings(max_examples=400, deadline=None)
@example(rule="FREQ=MONTHLY", start=dt.date(2020, 1, 31), ahead=2074, span=70)  # 31st: clipped
@example(rule="FREQ=YEARLY", start=dt.date(2016, 2, 29), ahead=2950, span=70)  # leap day
@example(rule="FREQ=WEEKLY;INTERVAL=3;COUNT=40", start=dt.date(2020, 1, 6), ahead=700, span=70)
@example(rule="FREQ=WEEKLY;BYDAY=MO,SA,SU;BYSETPOS=2", start=dt.date(2026, 11, 6), ahead=22, span=8)
@given(
    rule=rules(),
    start=st.dates(dt.date(2016, 1, 1), dt.date(2026, 12, 31)),
    ahead=st.integers(0, 3000),
    span=st.integers(0, 70),
)
def test_an_aligned_start_gives_the_same_occurrences(
    rule: str, start: dt.date, ahead: int, span: int
) -> None:
    first = start + dt.timedelta(days=ahead)
    last = first + dt.timedelta(days=span)
    moved = aligned_start(rule, start, first)
    assert start <= moved <= first
    assert expand(rule, moved, first, last) == expand(rule, start, first, last)


def test_a_weekly_rule_started_years_ago_starts_near_the_window() -> None:
    start = dt.date(2019, 1, 3)  # a Thursday
    moved = aligned_start("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start, dt.date(2026, 11, 23))
    assert moved == dt.date(2026, 11, 12)  # a Thursday of the same every-other-week series
    assert (moved - start).days % 14 == 0


def test_rules_that_cannot_move_keep_their_start() -> None:
    near = dt.date(2026, 11, 23)
    assert aligned_start("FREQ=WEEKLY;COUNT=10", dt.date(2020, 1, 1), near) == dt.date(2020, 1, 1)
    assert aligned_start("FREQ=MONTHLY", dt.date(2020, 1, 31), near) == dt.date(2020, 1, 31)
    assert aligned_start("FREQ=YEARLY", dt.date(2020, 2, 29), near) == dt.date(2020, 2, 29)
    # with the day named by the rule, a 31st start can move
    assert aligned_start("FREQ=MONTHLY;BYMONTHDAY=1", dt.date(2020, 1, 31), near) <= near


def test_occurrences_of_an_old_activity_are_those_of_the_rule() -> None:
    tz = dt.UTC
    got = occurrences(
        "every 2 weeks on thu",
        start=dt.date(2019, 1, 3),
        at="10:00",
        tz=tz,
        window_start=dt.date(2026, 11, 23),
        window_end=dt.date(2026, 12, 31),
    )
    assert [o.date() for o in got] == [
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 10),
        dt.date(2026, 12, 24),
    ]
