"""Tests for hrtrust.domain.dates: every accepted form, every rejection, and fuzzing."""

from __future__ import annotations

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from hrtrust.domain.dates import (
    ACCEPTED_DATE_FORMS,
    WEEKDAYS,
    cadence_days,
    cadence_delta,
    describe_cadence,
    format_duration,
    parse_cadence,
    parse_date,
    parse_duration,
    parse_iso_week,
    parse_time,
    parse_weekday,
    week_monday,
)
from hrtrust.errors import UsageError

D = datetime.date
MON = D(2026, 11, 23)  # a Monday
WED = D(2026, 11, 25)
FRI = D(2026, 11, 27)
SAT = D(2026, 11, 28)
SUN = D(2026, 11, 29)


def test_fixture_weekdays() -> None:
    assert [d.weekday() for d in (MON, WED, FRI, SAT, SUN)] == [0, 2, 4, 5, 6]


# --------------------------------------------------------------------------- simple words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", MON),
        ("  Today ", MON),
        ("TOMORROW", D(2026, 11, 24)),
        ("yesterday", D(2026, 11, 22)),
    ],
)
def test_relative_words(text: str, expected: datetime.date) -> None:
    assert parse_date(text, MON) == expected


# --------------------------------------------------------------------------- weekdays


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # the coming one; today when today is that weekday
        ("fri", MON, D(2026, 11, 27)),
        ("Friday", MON, D(2026, 11, 27)),
        ("mon", MON, MON),
        ("tues", MON, D(2026, 11, 24)),
        ("thur", MON, D(2026, 11, 26)),
        ("thurs", MON, D(2026, 11, 26)),
        ("sun", MON, SUN),
        ("fri", FRI, FRI),
        ("mon", WED, D(2026, 11, 30)),
        ("wed", WED, WED),
        ("tue", WED, D(2026, 12, 1)),
        ("mon", SUN, D(2026, 11, 30)),
        ("sun", SUN, SUN),
        ("this fri", WED, FRI),
    ],
)
def test_weekday(text: str, today: datetime.date, expected: datetime.date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # X still within this Mon–Sun week: next X is a week later
        ("next fri", MON, D(2026, 12, 4)),
        ("next mon", MON, D(2026, 11, 30)),
        ("next fri", WED, D(2026, 12, 4)),
        ("next wed", WED, D(2026, 12, 2)),
        ("next sun", SUN, D(2026, 12, 6)),
        # X of this week already past: next X is simply the coming X
        ("next mon", WED, D(2026, 11, 30)),
        ("next tue", WED, D(2026, 12, 1)),
        ("next fri", SUN, D(2026, 12, 4)),
        ("Next  Friday", MON, D(2026, 12, 4)),
    ],
)
def test_next_weekday(text: str, today: datetime.date, expected: datetime.date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("last fri", MON, D(2026, 11, 20)),
        ("last mon", MON, D(2026, 11, 16)),
        ("last sun", MON, D(2026, 11, 22)),
        ("last fri", FRI, D(2026, 11, 20)),
        ("last mon", WED, MON),
        ("last sat", SUN, SAT),
    ],
)
def test_last_weekday(text: str, today: datetime.date, expected: datetime.date) -> None:
    assert parse_date(text, today) == expected


# --------------------------------------------------------------------------- offsets


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+3d", D(2026, 11, 26)),
        ("3d", D(2026, 11, 26)),
        ("+2w", D(2026, 12, 7)),
        ("2w", D(2026, 12, 7)),
        ("+1m", D(2026, 12, 23)),
        ("1m", D(2026, 12, 23)),
        ("+1y", D(2027, 11, 23)),
        ("-2d", D(2026, 11, 21)),
        ("-1w", D(2026, 11, 16)),
        ("+0d", MON),
        ("+3 days", D(2026, 11, 26)),
        ("in 3 days", D(2026, 11, 26)),
        ("in 2 weeks", D(2026, 12, 7)),
        ("in 1 month", D(2026, 12, 23)),
        ("in a week", D(2026, 11, 30)),
        ("In  1  Year", D(2027, 11, 23)),
        ("3 days ago", D(2026, 11, 20)),
        ("2 weeks ago", D(2026, 11, 9)),
        ("1 month ago", D(2026, 10, 23)),
    ],
)
def test_offsets(text: str, expected: datetime.date) -> None:
    assert parse_date(text, MON) == expected


def test_month_arithmetic_clamps_to_month_end() -> None:
    assert parse_date("+1m", D(2026, 1, 31)) == D(2026, 2, 28)
    assert parse_date("+1m", D(2028, 1, 31)) == D(2028, 2, 29)
    assert parse_date("+1m", D(2026, 3, 31)) == D(2026, 4, 30)
    assert parse_date("+1y", D(2028, 2, 29)) == D(2029, 2, 28)
    assert parse_date("-1m", D(2026, 3, 31)) == D(2026, 2, 28)


# --------------------------------------------------------------------------- ends


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("end of week", MON, FRI),
        ("eow", WED, FRI),
        ("EOW", FRI, FRI),
        ("end of week", SAT, SUN),
        ("end of week", SUN, SUN),
        ("end of month", MON, D(2026, 11, 30)),
        ("eom", D(2026, 2, 1), D(2026, 2, 28)),
        ("eom", D(2028, 2, 29), D(2028, 2, 29)),
        ("end of year", MON, D(2026, 12, 31)),
    ],
)
def test_ends(text: str, today: datetime.date, expected: datetime.date) -> None:
    assert parse_date(text, today) == expected


# --------------------------------------------------------------------------- calendar dates


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("2026-12-01", MON, D(2026, 12, 1)),
        ("2020-01-05", MON, D(2020, 1, 5)),
        ("Dec 3", MON, D(2026, 12, 3)),
        ("3 Dec", MON, D(2026, 12, 3)),
        ("December 3", MON, D(2026, 12, 3)),
        ("december 3rd", MON, D(2026, 12, 3)),
        ("the 3rd of December", MON, D(2026, 12, 3)),
        ("dec 3 2027", MON, D(2027, 12, 3)),
        ("Dec 3, 2027", MON, D(2027, 12, 3)),
        ("3 dec 2027", MON, D(2027, 12, 3)),
        ("sept 1", MON, D(2027, 9, 1)),
        # on or after today: the same day is today, a passed day is next year
        ("Nov 23", MON, MON),
        ("Nov 22", MON, D(2027, 11, 22)),
        ("Dec 3", D(2026, 12, 3), D(2026, 12, 3)),
        ("Dec 3", D(2026, 12, 4), D(2027, 12, 3)),
        ("Feb 29", D(2027, 6, 1), D(2028, 2, 29)),
        ("feb 29 2028", MON, D(2028, 2, 29)),
    ],
)
def test_calendar_dates(text: str, today: datetime.date, expected: datetime.date) -> None:
    assert parse_date(text, today) == expected


@pytest.mark.parametrize(
    "text", ["2026-02-29", "feb 29 2027", "Feb 29", "Apr 31", "32 dec", "2026-13-01"]
)
def test_impossible_dates_are_rejected(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_date(text, MON)
    assert "not a real date" in info.value.message


@pytest.mark.parametrize("text", ["12/03", "2026/12/03", "3/12"])
def test_slashes_are_rejected_with_iso_hint(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_date(text, MON)
    assert "ambiguous" in info.value.message
    assert info.value.hint is not None and "2026-12-01" in info.value.hint


@pytest.mark.parametrize(
    "text",
    ["", "   ", "soon", "next", "last", "+d", "3x", "in days", "fri next", "dec",
     "\x00", "2026-12", "tomorrow!", "３d", "1 fortnight"],
)  # fmt: skip
def test_bad_dates_hint_lists_forms(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_date(text, MON)
    assert info.value.message == f"cannot read date {text!r}"
    assert info.value.hint == ACCEPTED_DATE_FORMS
    assert "2026-12-01" in ACCEPTED_DATE_FORMS and "next fri" in ACCEPTED_DATE_FORMS


@pytest.mark.parametrize(
    ("text", "today"),
    [
        ("+99999999999d", MON),
        ("+9999999d", MON),
        ("+9999y", MON),
        ("-9999y", MON),
        ("in 99999999999999999999999999 years", MON),
        ("+" + "9" * 5000 + "d", MON),
        ("yesterday", D.min),
        ("tomorrow", D.max),
        ("next fri", D.max),
    ],
)
def test_out_of_range_is_a_usage_error(text: str, today: datetime.date) -> None:
    with pytest.raises(UsageError):
        parse_date(text, today)


# --------------------------------------------------------------------------- weekdays


def test_weekday_names() -> None:
    assert WEEKDAYS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for index, name in enumerate(WEEKDAYS):
        assert parse_weekday(name) == index
        assert parse_weekday(name.upper()) == index
    assert parse_weekday("Wednesday") == 2
    assert parse_weekday("tues") == 1
    assert parse_weekday("thurs") == 3
    assert parse_weekday(" sun. ") == 6
    for bad in ("", "mo", "funday", "monday1"):
        with pytest.raises(UsageError):
            parse_weekday(bad)


def test_week_monday() -> None:
    assert week_monday(MON) == MON
    assert week_monday(SUN) == MON
    assert week_monday(WED) == MON
    assert week_monday(D(2026, 11, 30)) == D(2026, 11, 30)


# --------------------------------------------------------------------------- times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00", "10:00"),
        ("9:30", "09:30"),
        ("09:30", "09:30"),
        ("14:30", "14:30"),
        ("0:00", "00:00"),
        ("23:59", "23:59"),
        ("10am", "10:00"),
        ("10 AM", "10:00"),
        ("2pm", "14:00"),
        ("2:30pm", "14:30"),
        ("2:30 p.m.", "14:30"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("12:15am", "00:15"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
    ],
)
def test_parse_time(text: str, expected: str) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["", "930", "25:00", "24:00", "10:60", "13pm", "0am", "10:5", "ten", "10", "1:2:3"]
)
def test_bad_times(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_time(text)
    assert info.value.hint is not None and "14:30" in info.value.hint


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60m", 60),
        ("90", 90),
        ("1h", 60),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("0.25h", 15),
        ("45 min", 45),
        ("45 minutes", 45),
        ("2 hours", 120),
        ("1 hour and 30 minutes", 90),
        ("24h", 1440),
        ("1", 1),
    ],
)
def test_parse_duration(text: str, expected: int) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "0", "0m", "1441", "25h", "1.01h", "h", "m", "1x", "-5m", "1.5m", "99999999999999h",
     "1" * 5000, "one hour"],
)  # fmt: skip
def test_bad_durations(text: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(60, "1h"), (90, "1h30m"), (45, "45m"), (1440, "24h"), (0, "0m"), (125, "2h5m")],
)
def test_format_duration(minutes: int, expected: str) -> None:
    assert format_duration(minutes) == expected


@given(st.integers(min_value=1, max_value=1440))
def test_duration_round_trip(minutes: int) -> None:
    assert parse_duration(format_duration(minutes)) == minutes


# --------------------------------------------------------------------------- cadences


@pytest.mark.parametrize(
    ("text", "canonical", "described"),
    [
        ("2w", "2w", "every 2 weeks"),
        ("14d", "14d", "every 14 days"),
        ("10d", "10d", "every 10 days"),
        ("3m", "3m", "quarterly"),
        ("1y", "1y", "yearly"),
        ("every 2 weeks", "2w", "every 2 weeks"),
        ("Every  Week", "1w", "weekly"),
        ("every other week", "2w", "every 2 weeks"),
        ("weekly", "1w", "weekly"),
        ("biweekly", "2w", "every 2 weeks"),
        ("fortnightly", "2w", "every 2 weeks"),
        ("monthly", "1m", "monthly"),
        ("every month", "1m", "monthly"),
        ("every 3 months", "3m", "quarterly"),
        ("bimonthly", "2m", "every 2 months"),
        ("quarterly", "3m", "quarterly"),
        ("yearly", "1y", "yearly"),
        ("annually", "1y", "yearly"),
        ("daily", "1d", "daily"),
        ("every day", "1d", "daily"),
        ("6 months", "6m", "every 6 months"),
        ("every 2 years", "2y", "every 2 years"),
    ],
)
def test_cadence(text: str, canonical: str, described: str) -> None:
    assert parse_cadence(text) == canonical
    assert parse_cadence(canonical) == canonical
    assert describe_cadence(canonical) == described


def test_cadence_delta_and_days() -> None:
    assert cadence_delta("14d") == datetime.timedelta(days=14)
    assert cadence_delta("2w") == datetime.timedelta(days=14)
    assert D(2026, 12, 25) + cadence_delta("2w") == D(2027, 1, 8)
    assert cadence_delta("1m") == relativedelta(months=1)
    assert cadence_delta("1y") == relativedelta(years=1)
    assert D(2026, 1, 31) + cadence_delta("1m") == D(2026, 2, 28)
    assert cadence_days("1d") == 1
    assert cadence_days("2w") == 14
    assert cadence_days("3m") == 90
    assert cadence_days("1y") == 365
    assert cadence_days("3650d") == 3650


@pytest.mark.parametrize(
    "text",
    ["", "0w", "every 0 days", "3651d", "11y", "522w", "122m", "99999999999d", "every",
     "every other", "2", "often", "2x", "twice a week", "-1w", "1.5w"],
)  # fmt: skip
def test_bad_cadences(text: str) -> None:
    with pytest.raises(UsageError):
        parse_cadence(text)
    with pytest.raises(UsageError):
        cadence_days(text)


# --------------------------------------------------------------------------- ISO weeks


def test_year_lengths_used_below() -> None:
    assert D(2026, 12, 28).isocalendar().week == 53
    assert D(2027, 12, 28).isocalendar().week == 52


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-W49", D(2026, 11, 30)),
        ("2026-w49", D(2026, 11, 30)),
        ("2026W49", D(2026, 11, 30)),
        ("2026w48", MON),
        ("2026-W01", D(2025, 12, 29)),
        ("2026-W53", D(2026, 12, 28)),
        ("2027-W52", D(2027, 12, 27)),
        ("2027-W1", D(2027, 1, 4)),
    ],
)
def test_iso_week(text: str, expected: datetime.date) -> None:
    monday = parse_iso_week(text)
    assert monday == expected
    assert monday.weekday() == 0


@pytest.mark.parametrize("text", ["2027-W53", "2026-W54", "2026-W00", "0000-W01"])
def test_iso_week_out_of_year(text: str) -> None:
    with pytest.raises(UsageError):
        parse_iso_week(text)


@pytest.mark.parametrize("text", ["", "W49", "2026-49", "2026-W", "26-W49", "2026-W049"])
def test_bad_iso_week(text: str) -> None:
    with pytest.raises(UsageError):
        parse_iso_week(text)


# --------------------------------------------------------------------------- fuzzing

_DATEISH = st.text(alphabet="+-0123456789 dwmyinagoextfrsu/:.enowkh\t\n", max_size=20)
_TEXT = st.one_of(st.text(), _DATEISH)


@given(_TEXT, st.dates())
def test_parse_date_never_leaks(text: str, today: datetime.date) -> None:
    try:
        result = parse_date(text, today)
    except UsageError:
        return
    assert isinstance(result, datetime.date)


@given(_TEXT)
def test_parse_cadence_never_leaks(text: str) -> None:
    try:
        result = parse_cadence(text)
    except UsageError:
        return
    assert parse_cadence(result) == result
    assert 1 <= cadence_days(result) <= 3650
    assert isinstance(describe_cadence(result), str)


@given(_TEXT)
def test_parse_duration_never_leaks(text: str) -> None:
    try:
        result = parse_duration(text)
    except UsageError:
        return
    assert isinstance(result, int) and 1 <= result <= 1440


@given(_TEXT)
def test_parse_time_never_leaks(text: str) -> None:
    try:
        result = parse_time(text)
    except UsageError:
        return
    assert parse_time(result) == result
    datetime.time.fromisoformat(result)


@given(st.one_of(st.text(), st.text(alphabet="0123456789-wW ", max_size=10)))
def test_parse_iso_week_never_leaks(text: str) -> None:
    try:
        result = parse_iso_week(text)
    except UsageError:
        return
    assert isinstance(result, datetime.date) and result.weekday() == 0
