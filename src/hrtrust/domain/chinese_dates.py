"""Dates typed in Chinese, the way people in Taiwan write them.

Each form means what its English twin in :mod:`hrtrust.domain.dates` means, so a date reads
the same in both languages:

==============================  =====================================================
今天, 明天, 後天, 昨天, 前天       today, tomorrow, +2d, yesterday, -2d
週五, 星期五, 禮拜五, 這週五, 本週五  fri (the coming one; with ``past`` the latest one)
下週二, 下星期二, 下個禮拜二         next tue (the Tuesday of next Mon–Sun week)
下下週二                         the Tuesday of the week after next
上週五                           the Friday of last Mon–Sun week (not ``last fri``, which on
                                 a Saturday is yesterday)
12月3日, 12月3號, 12/3            Dec 3 (the slashed form only when hrtrust speaks Chinese:
                                 in English 12/03 stays ambiguous)
2026年12月3日, 2026/12/3          3 Dec 2026
民國115年12月3日, 115年12月3日,     3 Dec 2026 (ROC year + 1911)
115/12/3
+3天, 3天, -2天, +2週, +1個月, +1年  +3d, 3d, -2d, +2w, +1m, +1y
3天後, 2週後, 1個月後, 3天前        in 3 days, in 2 weeks, in 1 month, 3 days ago
月底, 年底                        end of month, end of year
==============================  =====================================================

Numbers may be written with ASCII or full-width digits or in Chinese (三天後, 十二月三日,
民國一一五年); a date copied from hrtrust's own Chinese output (``12月7日（一）``,
``12月7日 星期一``) is read too, and refused when its weekday is not the date's.

Pure: ``today`` is an argument, nothing reads the clock.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from dateutil.relativedelta import relativedelta

from hrtrust.domain.date_forms import ACCEPTED_DATE_FORMS
from hrtrust.errors import UsageError
from hrtrust.locale import CHINESE, N_, _, language
from hrtrust.models import lazy_re

__all__ = ["CALENDAR_REASONS", "ROC_OFFSET", "parse_chinese_date"]

ROC_OFFSET = 1911  # 民國 1 is 1912

_WEEKDAY_CHARS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_WORDS = {
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "後天": 2,
    "后天": 2,
    "大後天": 3,
    "大后天": 3,
    "昨天": -1,
    "昨日": -1,
    "前天": -2,
    "大前天": -3,
}
_DIGIT_CHARS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGIT_CHARS |= {"六": 6, "七": 7, "八": 8, "九": 9}

_F = re.ASCII  # \d means 0-9 (full-width digits are made ASCII first)
_NUM = r"(?:\d{1,7}|[〇零一二兩两三四五六七八九十百]{1,8})"
_WEEK = r"(?:週|周|星期|禮拜|礼拜)"
_WEEKDAY_RE = lazy_re(
    rf"(?P<rel>下下個?|下個?|上個?|這個?|这个?|本)?{_WEEK}(?P<wd>[一二三四五六日天])", _F
)
_SUFFIX = rf"(?:[(（]?{_WEEK}?[一二三四五六日天][)）]?)"
_MONTH_DAY_RE = lazy_re(
    rf"(?:(?P<roc>民國|民国)?(?P<y>{_NUM})年)?(?P<m>{_NUM})月(?P<d>{_NUM})[日號号]?"
    rf"(?P<wd>{_SUFFIX})?",
    _F,
)
_SLASHED_RE = lazy_re(
    rf"(?:(?P<y>\d{{3,4}})/)?(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})(?P<wd>{_SUFFIX})?", _F
)
_UNITS = {
    "天": "d",
    "日": "d",
    "週": "w",
    "周": "w",
    "星期": "w",
    "個星期": "w",
    "禮拜": "w",
    "個禮拜": "w",
    "個月": "m",
    "个月": "m",
    "年": "y",
}
_UNIT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_SIGNED_RE = lazy_re(rf"(?P<sign>[+-]?)(?P<n>{_NUM})(?P<unit>{_UNIT})", _F)
_AROUND_RE = lazy_re(
    rf"(?P<n>{_NUM})(?P<unit>{_UNIT})(?P<way>後|后|以後|以后|之後|之后|前|以前|之前)", _F
)
# A bare "3年" or "2026年" is no offset: only days, weeks and months go without + or 後.
_BARE_UNITS = ("d", "w", "m")


def parse_chinese_date(
    text: str, today: datetime.date, *, past: bool = False, slashes: bool | None = None
) -> datetime.date | None:
    """The date ``text`` names in one of the Chinese forms above, or None when it is none of
    them (the English forms are :func:`hrtrust.domain.dates.parse_date`'s).

    ``past`` means what it means there: a weekday or a month and day without a year is the
    latest one, today included. ``slashes``: whether ``12/3`` is read as month/day (by
    default, when hrtrust speaks Chinese: in Taiwan 12/3 is December 3rd).

    Raises:
        UsageError: for a form that is Chinese but not a real date (``2月30日``), a weekday
            that is not the date's, or a date out of the calendar's range.
    """
    if text.isascii() and "/" not in text:
        return None  # the English forms' business (checked first: it is the common case)
    norm = "".join(unicodedata.normalize("NFKC", text).split())
    if not norm:
        return None
    if slashes is None:
        slashes = language() == CHINESE
    try:
        return _parse(text, norm, today, past, slashes)
    except (OverflowError, ValueError):
        raise UsageError(
            _("date {text!r} is out of range").format(text=text.strip()), hint=_accepted()
        ) from None


def _parse(
    text: str, norm: str, today: datetime.date, past: bool, slashes: bool
) -> datetime.date | None:
    if norm in _DAY_WORDS:
        return today + datetime.timedelta(days=_DAY_WORDS[norm])
    if norm == "月底":
        return today + relativedelta(day=31)
    if norm == "年底":
        return datetime.date(today.year, 12, 31)
    if (weekday := _WEEKDAY_RE.fullmatch(norm)) is not None:
        return _weekday(weekday["rel"], _WEEKDAY_CHARS[weekday["wd"]], today, past)
    found = _MONTH_DAY_RE.fullmatch(norm)
    if found is None and slashes:
        found = _SLASHED_RE.fullmatch(norm)
    if found is not None:
        return _month_day(text, found, today, past)
    return _offset(norm, today)


def _weekday(rel: str | None, weekday: int, today: datetime.date, past: bool) -> datetime.date:
    """週五 and 這週五 as ``fri``; 下週二 as ``next tue``; 上週五 and 下下週二 by the
    calendar week (Monday to Sunday)."""
    monday = today - datetime.timedelta(days=today.weekday())
    if rel is None or rel[0] in "這这本":
        if past:
            return today - datetime.timedelta(days=(today.weekday() - weekday) % 7)
        return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
    weeks = {"下": 1, "上": -1}[rel[0]] * (2 if rel.startswith("下下") else 1)
    return monday + datetime.timedelta(weeks=weeks, days=weekday)


def _month_day(
    text: str, found: re.Match[str], today: datetime.date, past: bool
) -> datetime.date | None:
    month, day = _number(found["m"]), _number(found["d"])
    year_text = found["y"]
    if month is None or day is None:
        return None
    if year_text is not None:
        year = _number(year_text)
        if year is None:
            return None
        # 民國115年, and 115年 or 115/12/3 as Taiwan writes the ROC year (a Western year has 4
        # digits); 2026年 is the year 2026.
        if found.groupdict().get("roc") or len(str(year)) <= 3:
            year += ROC_OFFSET
        when = _real(text, year, month, day)
    else:
        year = today.year
        if past and (month, day) > (today.month, today.day):
            year -= 1  # 12月24日 typed on Jan 2 for something that happened: last December
        elif not past and (month, day) < (today.month, today.day):
            year += 1
        when = _real(text, year, month, day)
    if found["wd"]:
        said = _WEEKDAY_CHARS[found["wd"].strip("()（）")[-1]]
        if said != when.weekday():
            raise UsageError(
                _("{text!r}: the weekday is not that date's").format(text=text.strip()),
                hint=_accepted(),
            )
    return when


def _real(text: str, year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        if not 1 <= year <= 9999:
            raise OverflowError(year) from None
        raise UsageError(
            _("{text!r} is not a real date ({reason})").format(
                text=text.strip(), reason=_(str(exc))
            ),
            hint=_accepted(),
        ) from None


def _offset(norm: str, today: datetime.date) -> datetime.date | None:
    sign = 1
    found = _SIGNED_RE.fullmatch(norm)
    if found is not None:
        if not found["sign"] and _UNITS[found["unit"]] not in _BARE_UNITS:
            return None
        sign = -1 if found["sign"] == "-" else 1
    else:
        found = _AROUND_RE.fullmatch(norm)
        if found is None:
            return None
        sign = -1 if "前" in found["way"] else 1
    n = _number(found["n"])
    if n is None:
        return None
    n *= sign
    unit = _UNITS[found["unit"]]
    if unit == "d":
        return today + datetime.timedelta(days=n)
    if unit == "w":
        return today + datetime.timedelta(weeks=n)
    if unit == "m":
        return today + relativedelta(months=n)
    return today + relativedelta(years=n)


def _number(text: str) -> int | None:
    """``12``, ``十二``, ``二十三``, ``一百一十五``, ``一一五`` (digit by digit) as a number."""
    if text.isdigit():
        return int(text)
    if "十" not in text and "百" not in text:
        digits = [_DIGIT_CHARS.get(ch) for ch in text]
        if any(d is None for d in digits):
            return None
        return int("".join(str(d) for d in digits))
    total = 0
    rest = text
    for unit, size in (("百", 100), ("十", 10)):
        head, sep, tail = rest.partition(unit)
        if not sep:
            continue
        if head and (len(head) != 1 or head not in _DIGIT_CHARS):
            return None
        total += (_DIGIT_CHARS[head] if head else 1) * size
        rest = tail.lstrip("〇零")
    if rest:
        if len(rest) != 1 or rest not in _DIGIT_CHARS:
            return None
        total += _DIGIT_CHARS[rest]
    return total


# Python's own reasons a date is not real, said in the language of the run by _(str(exc)).
CALENDAR_REASONS = (N_("day is out of range for month"), N_("month must be in 1..12"))


def _accepted() -> str:
    return _(ACCEPTED_DATE_FORMS)
