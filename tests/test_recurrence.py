"""Tests for hrtrust.domain.recurrence: friendly rules, raw RRULEs, expansion, DST, fuzzing."""

from __future__ import annotations

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hrtrust.domain.recurrence import (
    ACCEPTED_RULE_FORMS,
    describe_rule,
    next_occurrence,
    occurrences,
    to_rrule,
)
from hrtrust.errors import UsageError

D = datetime.date
UTC = ZoneInfo("UTC")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
TAIPEI = ZoneInfo("Asia/Taipei")


def dates_in_2026(rule: str, start: datetime.date = D(2026, 1, 1)) -> list[datetime.date]:
    found = occurrences(
        rule,
        start=start,
        at="10:00",
        tz=UTC,
        window_start=D(2026, 1, 1),
        window_end=D(2026, 12, 31),
    )
    return [moment.date() for moment in found]


# --------------------------------------------------------------------------- to_rrule


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily", "FREQ=DAILY"),
        ("every day", "FREQ=DAILY"),
        ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
        ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("weekly", "FREQ=WEEKLY"),
        ("weekly on tue", "FREQ=WEEKLY;BYDAY=TU"),
        ("Weekly  On  Tuesday", "FREQ=WEEKLY;BYDAY=TU"),
        ("every tuesday", "FREQ=WEEKLY;BYDAY=TU"),
        ("every mon and thu", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("weekly on mon, wed", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("weekly on mon and wed", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("weekly on wed,mon", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("every 2 weeks on thu", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("biweekly on thu", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("fortnightly on thu", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "FREQ=MONTHLY"),
        ("monthly on first thu", "FREQ=MONTHLY;BYDAY=1TH"),
        ("monthly on the first thursday", "FREQ=MONTHLY;BYDAY=1TH"),
        ("monthly on second tue", "FREQ=MONTHLY;BYDAY=2TU"),
        ("monthly on third wed", "FREQ=MONTHLY;BYDAY=3WE"),
        ("monthly on fourth mon", "FREQ=MONTHLY;BYDAY=4MO"),
        ("monthly on last fri", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("monthly on the last fri of the month", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("monthly on 15", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("monthly on last day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("monthly on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("monthly on first weekday", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1"),
        ("every 2 months on first mon", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO"),
        ("bimonthly", "FREQ=MONTHLY;INTERVAL=2"),
        ("bimonthly on first thu", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TH"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("quarterly on first tue", "FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU"),
        ("yearly", "FREQ=YEARLY"),
        ("annually", "FREQ=YEARLY"),
        # raw RRULEs, normalised
        ("FREQ=MONTHLY;BYDAY=1TH", "FREQ=MONTHLY;BYDAY=1TH"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
        (" rrule:freq=daily;count=5 ", "FREQ=DAILY;COUNT=5"),
        ("FREQ=WEEKLY; BYDAY=TH;", "FREQ=WEEKLY;BYDAY=TH"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("FREQ=WEEKLY;UNTIL=20261231", "FREQ=WEEKLY;UNTIL=20261231"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        ("FREQ=MONTHLY;BYMONTHDAY=-31,1", "FREQ=MONTHLY;BYMONTHDAY=-31,1"),
    ],
)
def test_to_rrule(text: str, expected: str) -> None:
    assert to_rrule(text) == expected
    assert to_rrule(expected) == expected  # canonical output reads back unchanged


@pytest.mark.parametrize(
    "text",
    ["", "  ", "sometimes", "weekly on", "weekly on funday", "daily on mon", "yearly on tue",
     "every 0 weeks", "every 1000 weeks", "every 99999999999999 days", "monthly on the 32nd",
     "monthly on fifth thu", "every", "every other", "weekdays on mon", "monthly on tue",
     "weekly on 15", "every funday", "weekly\x00", "wéekly"],
)  # fmt: skip
def test_bad_friendly_rules(text: str) -> None:
    with pytest.raises(UsageError) as info:
        to_rrule(text)
    assert info.value.message.startswith(f"cannot read rule {text!r}")
    assert info.value.hint == ACCEPTED_RULE_FORMS
    for example in ("weekly on tue", "every 2 weeks on thu", "monthly on first thu"):
        assert example in ACCEPTED_RULE_FORMS


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("DTSTART:20260101T100000\nRRULE:FREQ=DAILY", None),
        ("FREQ=DAILY;DTSTART=20260101", "--start"),
        ("FREQ=WEEKLY;BYHOUR=9", "--at"),
        ("FREQ=HOURLY", "FREQ must be"),
        ("FREQ=SECONDLY", "FREQ must be"),
        ("FREQ=FOO", "FREQ must be"),
        ("BYDAY=MO", "FREQ is missing"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=WEEKLY;INTERVAL=99999999999", "INTERVAL"),
        ("FREQ=WEEKLY;BYDAY=XX", None),
        ("FREQ=WEEKLY;FREQ=DAILY", "twice"),
        ("FREQ=WEEKLY;COUNT=abc", None),
        ("FREQ=MONTHLY;BYMONTHDAY=40", "BYMONTHDAY"),
        ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH"),
        ("FREQ=YEARLY;BYMONTH=-1", "BYMONTH"),
        ("FREQ=MONTHLY;BYMONTHDAY=+-3", "BYMONTHDAY"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never occurs"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2", "never occurs"),
        ("FREQ=WEEKLY;NOPE=1", None),
        ("FREQ=WEEKLY;UNTIL=2026", "UNTIL"),  # dateutil would read this relative to today
        ("FREQ=WEEKLY;UNTIL=20261231T000000Z", "UNTIL"),
        ("RRULE:", None),
        ("=", None),
    ],
)
def test_bad_raw_rules(text: str, why: str | None) -> None:
    with pytest.raises(UsageError) as info:
        to_rrule(text)
    assert info.value.message.startswith(f"cannot read rule {text!r}")
    assert info.value.hint == ACCEPTED_RULE_FORMS
    if why is not None:
        assert why in info.value.message


# --------------------------------------------------------------------------- describe_rule


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("FREQ=DAILY", "daily"),
        ("FREQ=DAILY;INTERVAL=3", "every 3 days"),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "weekdays"),
        ("FREQ=WEEKLY", "weekly"),
        ("FREQ=WEEKLY;BYDAY=TU", "weekly on Tue"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "weekly on Mon, Wed"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "every 2 weeks on Thu"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=MONTHLY", "monthly"),
        ("FREQ=MONTHLY;BYDAY=1TH", "monthly on the 1st Thu"),
        ("FREQ=MONTHLY;BYDAY=+2TU", "monthly on the 2nd Tue"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "monthly on the last Fri"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "monthly on the 15th"),
        ("FREQ=MONTHLY;BYMONTHDAY=22", "monthly on the 22nd"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "monthly on the last day"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "monthly on the last weekday"),
        ("FREQ=MONTHLY;INTERVAL=3", "every 3 months"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "every 2 months on the 1st Mon"),
        ("FREQ=YEARLY", "yearly"),
        ("RRULE:FREQ=WEEKLY;BYDAY=TU", "weekly on Tue"),
        # unusual ones fall back to the raw rule
        ("FREQ=DAILY;COUNT=5", "FREQ=DAILY;COUNT=5"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
        ("FREQ=MONTHLY;BYDAY=TU", "FREQ=MONTHLY;BYDAY=TU"),
        ("garbage", "garbage"),
    ],
)
def test_describe_rule(rule: str, expected: str) -> None:
    assert describe_rule(rule) == expected


# --------------------------------------------------------------------------- expansion


def test_monthly_first_thursday_2026() -> None:
    found = dates_in_2026("monthly on first thu")
    assert len(found) == 12
    assert found[:4] == [D(2026, 1, 1), D(2026, 2, 5), D(2026, 3, 5), D(2026, 4, 2)]
    assert found[-1] == D(2026, 12, 3)
    assert all(d.weekday() == 3 and d.day <= 7 for d in found)


def test_every_two_weeks_on_thursday() -> None:
    found = dates_in_2026("every 2 weeks on thu", start=D(2026, 1, 8))
    assert len(found) == 26
    assert found[:3] == [D(2026, 1, 8), D(2026, 1, 22), D(2026, 2, 5)]
    assert found[-1] == D(2026, 12, 24)


def test_quarterly_keeps_the_start_day() -> None:
    assert dates_in_2026("quarterly", start=D(2026, 1, 15)) == [
        D(2026, 1, 15),
        D(2026, 4, 15),
        D(2026, 7, 15),
        D(2026, 10, 15),
    ]


@pytest.mark.parametrize(
    ("rule", "count"),
    [
        ("daily", 365),
        ("weekdays", 261),
        ("weekly on tue", 52),
        ("every thursday", 53),  # 2026 starts on a Thursday
        ("weekly on mon, wed", 104),
        ("weekly", 53),  # from the start date, a Thursday
        ("monthly", 12),
        ("monthly on last fri", 12),
        ("monthly on last day", 12),
        ("monthly on the 31st", 7),  # months without a 31st are skipped (RFC 5545)
        ("bimonthly", 6),
        ("yearly", 1),
        ("FREQ=MONTHLY;BYDAY=1TH", 12),
    ],
)
def test_counts_over_2026(rule: str, count: int) -> None:
    assert len(dates_in_2026(rule)) == count


def test_last_day_and_last_friday() -> None:
    assert dates_in_2026("monthly on last day")[1] == D(2026, 2, 28)
    assert dates_in_2026("monthly on last fri")[0] == D(2026, 1, 30)
    assert dates_in_2026("monthly on first weekday")[:2] == [D(2026, 1, 1), D(2026, 2, 2)]


def test_weekly_day_comes_from_start() -> None:
    found = dates_in_2026("weekly", start=D(2026, 1, 6))
    assert found[0] == D(2026, 1, 6)
    assert all(d.weekday() == 1 for d in found)


def test_results_are_aware_sorted_and_at_the_time() -> None:
    found = occurrences(
        "weekly on mon, wed",
        start=D(2026, 1, 1),
        at="2:30pm",
        tz=TAIPEI,
        window_start=D(2026, 11, 23),
        window_end=D(2026, 12, 6),
    )
    assert found == sorted(found)
    assert [m.date() for m in found] == [D(2026, 11, 23), D(2026, 11, 25), D(2026, 11, 30),
                                         D(2026, 12, 2)]  # fmt: skip
    for moment in found:
        assert moment.tzinfo is TAIPEI
        assert (moment.hour, moment.minute) == (14, 30)


def test_all_day_is_midnight_local() -> None:
    (moment,) = occurrences(
        "yearly",
        start=D(2026, 3, 1),
        at=None,
        tz=LONDON,
        window_start=D(2026, 1, 1),
        window_end=D(2026, 12, 31),
    )
    assert moment == datetime.datetime(2026, 3, 1, tzinfo=LONDON)


def test_window_is_inclusive_and_respects_start() -> None:
    found = occurrences(
        "daily",
        start=D(2026, 11, 25),
        at="09:00",
        tz=UTC,
        window_start=D(2026, 11, 23),
        window_end=D(2026, 11, 29),
    )
    assert [m.date() for m in found] == [D(2026, 11, d) for d in range(25, 30)]
    assert occurrences(
        "daily", start=D(2027, 1, 1), at=None, tz=UTC,
        window_start=D(2026, 1, 1), window_end=D(2026, 12, 31),
    ) == []  # fmt: skip
    assert occurrences(
        "daily", start=D(2026, 1, 1), at=None, tz=UTC,
        window_start=D(2026, 2, 1), window_end=D(2026, 1, 1),
    ) == []  # fmt: skip


def test_raw_rule_expands() -> None:
    found = dates_in_2026("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", start=D(2026, 1, 8))
    assert found == dates_in_2026("every 2 weeks on thu", start=D(2026, 1, 8))


def test_count_counts_from_start() -> None:
    found = occurrences(
        "FREQ=WEEKLY;COUNT=5",
        start=D(2026, 1, 5),
        at="10:00",
        tz=UTC,
        window_start=D(2026, 1, 19),
        window_end=D(2026, 12, 31),
    )
    assert [m.date() for m in found] == [D(2026, 1, 19), D(2026, 1, 26), D(2026, 2, 2)]
    assert (
        occurrences(
            "FREQ=DAILY;COUNT=3",
            start=D(2025, 1, 1),
            at=None,
            tz=UTC,
            window_start=D(2026, 1, 1),
            window_end=D(2026, 12, 31),
        )
        == []
    )


def test_skip_removes_a_date() -> None:
    found = occurrences(
        "weekly on tue",
        start=D(2026, 1, 1),
        at="10:00",
        tz=UTC,
        window_start=D(2026, 12, 1),
        window_end=D(2026, 12, 31),
        skip=[D(2026, 12, 22), D(2026, 12, 23)],
    )
    assert [m.date() for m in found] == [D(2026, 12, 1), D(2026, 12, 8), D(2026, 12, 15),
                                         D(2026, 12, 29)]  # fmt: skip


def test_until_is_honoured() -> None:
    found = occurrences(
        "monthly on first thu",
        start=D(2026, 1, 1),
        at="10:00",
        tz=UTC,
        window_start=D(2026, 1, 1),
        window_end=D(2026, 12, 31),
        until=D(2026, 3, 5),
    )
    assert [m.date() for m in found] == [D(2026, 1, 1), D(2026, 2, 5), D(2026, 3, 5)]


def test_fast_for_a_week_when_start_is_long_ago() -> None:
    began = time.perf_counter()
    found = occurrences(
        "weekdays",
        start=D(2000, 1, 3),
        at="09:00",
        tz=UTC,
        window_start=D(2026, 11, 23),
        window_end=D(2026, 11, 29),
    )
    assert len(found) == 5
    assert time.perf_counter() - began < 2


def test_bad_at_and_bad_rule_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        occurrences(
            "weekly", start=D(2026, 1, 1), at="25:00", tz=UTC,
            window_start=D(2026, 1, 1), window_end=D(2026, 1, 31),
        )  # fmt: skip
    with pytest.raises(UsageError):
        occurrences(
            "FREQ=NOPE", start=D(2026, 1, 1), at=None, tz=UTC,
            window_start=D(2026, 1, 1), window_end=D(2026, 1, 31),
        )  # fmt: skip


# --------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("tz", "before", "after", "offsets"),
    [
        # US DST starts Sun 2026-03-08; EU/UK summer time starts Sun 2026-03-29
        (NEW_YORK, D(2026, 3, 5), D(2026, 3, 12), (-5, -4)),
        (LONDON, D(2026, 3, 26), D(2026, 4, 2), (0, 1)),
        (TAIPEI, D(2026, 3, 26), D(2026, 4, 2), (8, 8)),
    ],
)
def test_weekly_meeting_keeps_local_time_across_dst(
    tz: ZoneInfo,
    before: datetime.date,
    after: datetime.date,
    offsets: tuple[int, int],
) -> None:
    found = occurrences(
        "weekly on thu",
        start=D(2026, 1, 1),
        at="10:00",
        tz=tz,
        window_start=before,
        window_end=after,
    )
    assert [m.date() for m in found] == [before, after]
    for moment, hours in zip(found, offsets, strict=True):
        assert (moment.hour, moment.minute) == (10, 0)
        assert moment.utcoffset() == datetime.timedelta(hours=hours)
    utc_hours = [m.astimezone(UTC).hour for m in found]
    assert utc_hours == [10 - offsets[0], 10 - offsets[1]]


def test_daily_across_the_new_york_change() -> None:
    found = occurrences(
        "daily",
        start=D(2026, 3, 1),
        at="10:00",
        tz=NEW_YORK,
        window_start=D(2026, 3, 7),
        window_end=D(2026, 3, 9),
    )
    assert [m.hour for m in found] == [10, 10, 10]
    assert [m.astimezone(UTC).hour for m in found] == [15, 14, 14]


# --------------------------------------------------------------------------- next_occurrence


def _next_first_thu(
    after: datetime.date,
    *,
    until: datetime.date | None = None,
    skip: tuple[datetime.date, ...] = (),
) -> datetime.datetime | None:
    return next_occurrence(
        "monthly on first thu",
        start=D(2026, 1, 1),
        at="10:00",
        tz=LONDON,
        after=after,
        until=until,
        skip=skip,
    )


def test_next_occurrence() -> None:
    assert _next_first_thu(D(2026, 1, 2)) == datetime.datetime(2026, 2, 5, 10, 0, tzinfo=LONDON)
    same_day = _next_first_thu(D(2026, 2, 5))
    assert same_day is not None and same_day.date() == D(2026, 2, 5)
    skipped = _next_first_thu(D(2026, 1, 2), skip=(D(2026, 2, 5),))
    assert skipped is not None and skipped.date() == D(2026, 3, 5)
    assert _next_first_thu(D(2026, 1, 2), until=D(2026, 2, 4)) is None
    assert _next_first_thu(D(2026, 1, 2), until=D(2026, 2, 5)) is not None


def test_next_occurrence_before_start_and_after_count() -> None:
    assert next_occurrence(
        "weekly on mon", start=D(2026, 11, 23), at=None, tz=UTC, after=D(2020, 1, 1)
    ) == datetime.datetime(2026, 11, 23, tzinfo=UTC)
    assert (
        next_occurrence(
            "FREQ=DAILY;COUNT=3", start=D(2026, 1, 1), at=None, tz=UTC, after=D(2026, 1, 4)
        )
        is None
    )


# --------------------------------------------------------------------------- fuzzing

_RULEISH = st.text(
    alphabet="FREQ=;:DAILYWEEKLYMONTHLYBYDAYMOTUWETHFRSAINTERVALCOUNTSETPOS0123456789,+- ",
    max_size=40,
)


@given(st.one_of(st.text(), _RULEISH, st.sampled_from(["RRULE:", "FREQ=WEEKLY;"]).flatmap(
    lambda prefix: _RULEISH.map(lambda rest: prefix + rest)
)))  # fmt: skip
def test_to_rrule_never_leaks(text: str) -> None:
    try:
        result = to_rrule(text)
    except UsageError:
        return
    assert isinstance(result, str)
    assert to_rrule(result) == result
    assert isinstance(describe_rule(result), str)


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ("FREQ=MONTHLY;BYDAY=20SU", "BYDAY 20SU: the number must be ±1 to ±5 here"),
        ("FREQ=WEEKLY;BYDAY=2MO", "BYDAY 2MO: a numbered day needs a monthly or yearly rule"),
        ("FREQ=DAILY;BYDAY=-1FR", "BYDAY -1FR: a numbered day needs a monthly or yearly rule"),
        ("FREQ=YEARLY;BYDAY=60MO", "BYDAY 60MO: the number must be ±1 to ±53 here"),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=20MO", "BYDAY 20MO: the number must be ±1 to ±5 here"),
    ],
)
def test_numbered_days_out_of_range_are_refused_before_dateutil_fails(rule: str, why: str) -> None:
    with pytest.raises(UsageError) as caught:
        to_rrule(rule)
    assert caught.value.message == f"cannot read rule {rule!r}: {why}"


def test_numbered_days_in_range_are_kept() -> None:
    assert to_rrule("FREQ=MONTHLY;BYDAY=-1FR") == "FREQ=MONTHLY;BYDAY=-1FR"
    assert to_rrule("FREQ=YEARLY;BYDAY=20MO") == "FREQ=YEARLY;BYDAY=20MO"
