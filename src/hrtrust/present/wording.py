"""Dates and counts the reports, the brief and the handover views share, in the language of
the run (English as these views always wrote them; Traditional Chinese the Taiwanese way).
Beside :mod:`hrtrust.present.common` (the week's forms: ``Mon Nov 23``, ``11月23日（一）``),
these are the forms of a longer view: a whole date with its year, a month with or without its
year, a span of days or weeks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hrtrust.locale import ENGLISH, _, language, ngettext


def _english() -> bool:
    return language() == ENGLISH


def full_date(day: dt.date) -> str:
    """``Nov 23, 2026`` (``2026年11月23日``): a date with its year, in running text."""
    if _english():
        return f"{day:%b} {day.day}, {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def month_year(day: dt.date) -> str:
    """``Nov 2026`` (``2026年11月``)."""
    if _english():
        return f"{day:%b %Y}"
    return f"{day.year}年{day.month}月"


def month_only(day: dt.date) -> str:
    """``Nov`` (``11月``): a month in a row of months whose year is said elsewhere."""
    if _english():
        return f"{day:%b}"
    return f"{day.month}月"


def year_only(day: dt.date) -> str:
    """``2026`` (``2026年``): a year under its month."""
    return str(day.year) if _english() else f"{day.year}年"


def month_of(key: str) -> dt.date:
    """``2026-11`` → the first of that month."""
    return dt.date(int(key[:4]), int(key[5:7]), 1)


def span_text(first: str, last: str) -> str:
    """``Dec 2025 – Nov 2026`` (``2025年12月～2026年11月``): two ends of a span, said."""
    return _("{first} – {last}").format(first=first, last=last)


def listed(items: Sequence[str]) -> str:
    """``A, B, C`` (``A、B、C``)."""
    return _(", ").join(items)


def days_or_weeks(days: int) -> str:
    """``9 weeks`` from 14 days on, else ``10 days`` (``9週``, ``10天``)."""
    if days >= 14:
        n = days // 7
        return ngettext("{n} week", "{n} weeks", n).format(n=n)
    return ngettext("{n} day", "{n} days", days).format(n=days)


def months_count(n: int) -> str:
    """``12 months`` (``12個月``)."""
    return ngettext("{n} month", "{n} months", n).format(n=n)
