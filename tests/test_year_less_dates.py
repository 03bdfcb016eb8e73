"""Year-less dates and weekdays are read by what the field is for: past or due."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli, raw_toml
from hrtrust.domain.dates import parse_date, parse_past_date

XMAS = dt.date(2026, 12, 25)  # a Friday


def test_past_dates_are_the_most_recent_one() -> None:
    assert parse_past_date("dec 24", XMAS) == dt.date(2026, 12, 24)
    assert parse_past_date("Dec 3", XMAS) == dt.date(2026, 12, 3)
    assert parse_past_date("dec 26", XMAS) == dt.date(2025, 12, 26)
    assert parse_past_date("fri", XMAS) == XMAS
    assert parse_past_date("thu", XMAS) == dt.date(2026, 12, 24)
    assert parse_past_date("sat", XMAS) == dt.date(2026, 12, 19)
    assert parse_past_date("2027-01-02", XMAS) == dt.date(2027, 1, 2)  # a full date is as typed


def test_due_dates_are_the_next_one() -> None:
    assert parse_date("dec 24", XMAS) == dt.date(2027, 12, 24)
    assert parse_date("dec 26", XMAS) == dt.date(2026, 12, 26)
    assert parse_date("sat", XMAS) == dt.date(2026, 12, 26)


def test_pulse_and_log_backfill_on_christmas(cli: Cli, empty: Path) -> None:
    assert cli("contact", "add", "Maria Chen", "--dept", "Sales").exit_code == 0
    r = cli("pulse", "add", "--dept", "Sales", "--score", "3.5", "--date", "dec 24", today=XMAS)
    assert r.exit_code == 0, r.output
    assert "on 2026-12-24" in r.stdout
    r = cli("log", "coffee-chat", "--with", "maria", "--date", "Dec 3", today=XMAS)
    assert r.exit_code == 0, r.output
    assert r.stdout == "Logged coffee-chat with Maria Chen on Thu Dec 3 (2026-12-03.1).\n"
    r = cli("feedback", "add", "More lunch slots", "--from", "maria", "--date", "thu", today=XMAS)
    assert r.exit_code == 0, r.output
    items = raw_toml(empty / "feedback.toml")["feedback"]
    assert items[0]["date"] == dt.date(2026, 12, 24)


@given(
    today=st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(9998, 12, 31)),
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2000, 12, 31)),
)
def test_a_past_month_and_day_is_within_the_last_year(today: dt.date, day: dt.date) -> None:
    if (day.month, day.day) == (2, 29):
        return  # not every year has one
    found = parse_past_date(f"{day:%b} {day.day}", today)
    assert (found.month, found.day) == (day.month, day.day)
    assert today - dt.timedelta(days=366) < found <= today
    due = parse_date(f"{day:%b} {day.day}", today)
    assert today <= due < today + dt.timedelta(days=366)


@given(today=st.dates(min_value=dt.date(1901, 1, 1)), wd=st.sampled_from(["mon", "thu", "sun"]))
def test_a_past_weekday_is_within_the_last_week(today: dt.date, wd: str) -> None:
    found = parse_past_date(wd, today)
    assert today - dt.timedelta(days=7) < found <= today
    assert found.strftime("%a").lower() == wd
