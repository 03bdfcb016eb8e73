"""Dates typed in Chinese (hrtrust.domain.chinese_dates, through parse_date): every form reads
as the same day as its English twin, whatever today is, for a date to come and a date past."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli
from hrtrust import locale
from hrtrust.domain.chinese_dates import parse_chinese_date
from hrtrust.domain.dates import WEEKDAYS, parse_date, week_monday
from hrtrust.errors import UsageError

D = datetime.date
MON = D(2026, 11, 23)
SAT = D(2026, 11, 28)

todays = st.dates(min_value=D(1990, 1, 1), max_value=D(2200, 12, 31))
pasts = st.booleans()
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Chinese weekday characters by datetime's weekday (0 = Monday); Sunday is 日 or 天.
ZH_WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
WEEK_WORDS = ("週", "周", "星期", "禮拜")


@contextmanager
def chinese() -> Iterator[None]:
    """hrtrust speaking Chinese (for 12/3), back to English afterwards."""
    locale.set_language(locale.CHINESE)
    try:
        yield
    finally:
        locale.reset()


def same(zh: str, en: str, today: datetime.date, past: bool) -> None:
    """``zh`` and ``en`` read as the same day, or are refused alike."""
    try:
        expected = parse_date(en, today, past=past)
    except UsageError:
        with pytest.raises(UsageError):
            parse_date(zh, today, past=past)
        return
    assert parse_date(zh, today, past=past) == expected, (zh, en, today, past)


# --------------------------------------------------------------------------- words


@given(today=todays, past=pasts)
def test_day_words_are_their_english_twins(today: datetime.date, past: bool) -> None:
    for zh, en in (
        ("今天", "today"),
        ("明天", "tomorrow"),
        ("昨天", "yesterday"),
        ("後天", "+2d"),
        ("前天", "-2d"),
        ("大後天", "+3d"),
        ("月底", "end of month"),
        ("年底", "end of year"),
    ):
        same(zh, en, today, past)


# --------------------------------------------------------------------------- weekdays


@given(today=todays, past=pasts, weekday=st.integers(0, 6), word=st.sampled_from(WEEK_WORDS))
def test_a_weekday_is_the_coming_one_like_fri(
    today: datetime.date, past: bool, weekday: int, word: str
) -> None:
    day = ZH_WEEKDAYS[weekday]
    for zh in (f"{word}{day}", f"這{word}{day}", f"本{word}{day}"):
        same(zh, WEEKDAYS[weekday], today, past)
    if weekday == 6:
        same(f"{word}天", "sun", today, past)


@given(today=todays, past=pasts, weekday=st.integers(0, 6), word=st.sampled_from(WEEK_WORDS))
def test_next_week_s_day_is_next_day(
    today: datetime.date, past: bool, weekday: int, word: str
) -> None:
    day = ZH_WEEKDAYS[weekday]
    for zh in (f"下{word}{day}", f"下個{word}{day}"):
        same(zh, f"next {WEEKDAYS[weekday]}", today, past)
    # and that is the day of the Mon–Sun week after this one, as a Taiwanese reader means it
    expected = week_monday(today) + datetime.timedelta(days=7 + weekday)
    assert parse_date(f"下{word}{day}", today) == expected


@given(today=todays, weekday=st.integers(0, 6))
def test_last_week_and_the_week_after_next_go_by_the_calendar_week(
    today: datetime.date, weekday: int
) -> None:
    monday = week_monday(today)
    day = ZH_WEEKDAYS[weekday]
    assert parse_date(f"上週{day}", today) == monday + datetime.timedelta(days=weekday - 7)
    assert parse_date(f"下下週{day}", today) == monday + datetime.timedelta(days=weekday + 14)


def test_last_week_s_friday_is_not_yesterday_on_a_saturday() -> None:
    assert parse_date("last fri", SAT) == D(2026, 11, 27)
    assert parse_date("上週五", SAT) == D(2026, 11, 20)


# --------------------------------------------------------------------------- calendar dates


@given(today=todays, past=pasts, month=st.integers(1, 12), day=st.integers(1, 31))
def test_month_and_day_are_mon_d(today: datetime.date, past: bool, month: int, day: int) -> None:
    en = f"{MONTHS[month - 1]} {day}"
    for zh in (f"{month}月{day}日", f"{month}月{day}號", f"{month}月{day}"):
        same(zh, en, today, past)


@given(today=todays, past=pasts, month=st.integers(1, 12), day=st.integers(1, 31))
def test_slashed_month_and_day_when_hrtrust_speaks_chinese(
    today: datetime.date, past: bool, month: int, day: int
) -> None:
    with chinese():
        same(f"{month}/{day}", f"{MONTHS[month - 1]} {day}", today, past)
        same(f"{month:02d}/{day:02d}", f"{MONTHS[month - 1]} {day}", today, past)


def test_slashed_dates_stay_ambiguous_in_english() -> None:
    with pytest.raises(UsageError) as info:
        parse_date("12/3", MON)
    assert "ambiguous" in info.value.message
    assert parse_chinese_date("12/3", MON) is None
    assert parse_chinese_date("12/3", MON, slashes=True) == D(2026, 12, 3)


@given(
    today=todays,
    past=pasts,
    year=st.integers(2, 9997),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
)
def test_dates_with_a_year_western_and_roc(
    today: datetime.date, past: bool, year: int, month: int, day: int
) -> None:
    en = f"{day} {MONTHS[month - 1]} {year}"
    if year >= 1000:
        same(f"{year}年{month}月{day}日", en, today, past)
        with chinese():
            same(f"{year}/{month}/{day}", en, today, past)
    roc = year - 1911
    if roc >= 1:
        same(f"民國{roc}年{month}月{day}日", en, today, past)
        if roc < 1000:
            same(f"{roc}年{month}月{day}日", en, today, past)
            with chinese():
                same(f"{roc:03d}/{month}/{day}", en, today, past)


def test_roc_year_115_is_2026() -> None:
    assert parse_date("民國115年12月3日", MON) == D(2026, 12, 3)
    assert parse_date("民國一一五年十二月三日", MON) == D(2026, 12, 3)
    assert parse_date("民國一百一十五年十二月三日", MON) == D(2026, 12, 3)


# --------------------------------------------------------------------------- offsets


UNITS = [("天", "days"), ("週", "weeks"), ("個月", "months"), ("年", "years")]


@given(today=todays, past=pasts, n=st.integers(0, 400), unit=st.sampled_from(UNITS))
def test_offsets_are_in_n_units_and_n_units_ago(
    today: datetime.date, past: bool, n: int, unit: tuple[str, str]
) -> None:
    zh, en = unit
    same(f"{n}{zh}後", f"in {n} {en}", today, past)
    same(f"{n}{zh}以後", f"in {n} {en}", today, past)
    same(f"{n}{zh}前", f"{n} {en} ago", today, past)
    same(f"+{n}{zh}", f"+{n} {en}", today, past)
    same(f"-{n}{zh}", f"-{n} {en}", today, past)


@given(today=todays, n=st.integers(1, 99))
def test_chinese_and_full_width_numbers_are_numbers(today: datetime.date, n: int) -> None:
    zh = _chinese_number(n)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    assert parse_date(f"{zh}天後", today) == parse_date(f"in {n} days", today)
    assert parse_date(f"{wide}週後", today) == parse_date(f"in {n} weeks", today)
    assert parse_date(f"＋{wide}天", today) == parse_date(f"+{n}d", today)


def _chinese_number(n: int) -> str:
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if not tens:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天", MON),
        ("明天", D(2026, 11, 24)),
        ("後天", D(2026, 11, 25)),
        ("昨天", D(2026, 11, 22)),
        ("下週二", D(2026, 12, 1)),
        ("這週五", D(2026, 11, 27)),
        ("本週五", D(2026, 11, 27)),
        ("週五", D(2026, 11, 27)),
        ("星期五", D(2026, 11, 27)),
        ("禮拜五", D(2026, 11, 27)),
        ("12月3日", D(2026, 12, 3)),
        ("民國115年12月3日", D(2026, 12, 3)),
        ("+3天", D(2026, 11, 26)),
        ("3天後", D(2026, 11, 26)),
        ("2週後", D(2026, 12, 7)),
        ("3天", D(2026, 11, 26)),
        (" 12 月 3 日 ", D(2026, 12, 3)),
        ("12月7日（一）", D(2026, 12, 7)),  # as hrtrust's own Chinese output writes it
        ("12月7日 星期一", D(2026, 12, 7)),
    ],
)
def test_the_forms_people_type(text: str, expected: datetime.date) -> None:
    assert parse_date(text, MON) == expected


def test_past_dates_are_the_latest_ones() -> None:
    assert parse_date("週五", MON, past=True) == D(2026, 11, 20)
    assert parse_date("12月24日", D(2027, 1, 2), past=True) == D(2026, 12, 24)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2月30日", "not a real date"),
        ("13月1日", "not a real date"),
        ("12月7日（二）", "weekday"),  # Dec 7 2026 is a Monday
        ("+9999年", "out of range"),
        ("民國9000年1月1日", "out of range"),
    ],
)
def test_chinese_forms_that_are_no_date_are_refused(text: str, words: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_date(text, MON)
    assert words in info.value.message
    assert info.value.hint is not None and "2026-12-01" in info.value.hint


@pytest.mark.parametrize("text", ["2026年", "3年", "下週", "星期八", "十天天", "三"])
def test_what_is_no_chinese_date_is_left_to_the_english_error(text: str) -> None:
    assert parse_chinese_date(text, MON) is None
    with pytest.raises(UsageError) as info:
        parse_date(text, MON)
    assert info.value.message == f"cannot read date {text!r}"


@given(text=st.text(st.characters(max_codepoint=0x7F), max_size=20).filter(lambda t: "/" not in t))
def test_english_text_is_never_read_as_chinese(text: str) -> None:
    assert parse_chinese_date(text, MON) is None


@given(text=st.text(max_size=12), today=todays, past=pasts)
def test_any_text_is_a_date_or_a_usage_error(text: str, today: datetime.date, past: bool) -> None:
    try:
        found = parse_chinese_date(text, today, past=past, slashes=True)
    except UsageError:
        return
    assert found is None or isinstance(found, datetime.date)


# --------------------------------------------------------------------------- where dates are read


def test_chinese_dates_are_read_wherever_a_date_is(cli: Cli, demo: object) -> None:
    paused = cli("--lang", "zh-TW", "contact", "pause", "maria", "--until", "下週二")
    assert paused.exit_code == 0, paused.output
    assert json.loads(cli("contact", "show", "maria", "--json").stdout)["paused_until"] == (
        "2026-12-01"
    )
    # in English too: 昨天 is no English word, so nothing else could have been meant
    logged = cli("log", "coffee-chat", "--with", "david", "--date", "昨天")
    assert logged.exit_code == 0, logged.output
    entries = json.loads(cli("log", "list", "--json", "--since", "2026-11-22").stdout)
    assert [e["date"] for e in entries if e["kind"] == "coffee-chat"] == ["2026-11-22"]
