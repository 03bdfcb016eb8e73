"""Shifts (班別) as a Taiwanese HRIS writes them, and when an HR partner can meet a shift worker.

A contact's ``shift`` is kept as the file wrote it (日班, 夜班, 大夜班, 輪班...); this module reads
it as one of a few kinds. A day-shift worker is met in office hours like anyone else. The
others are on site when the office is not, so the plan proposes the shift handover (交接班),
when both shifts are there and a few minutes are easy to find:

- day (日班, 常日班, 白班, 早班, day, D): office hours, no time given;
- evening (中班, 小夜班, 晚班, evening, swing, E): 16:00, as their shift starts;
- night (夜班, night, N): 20:00, as their shift starts (12-hour shifts change over at 08:00
  and 20:00);
- graveyard (大夜班, graveyard, overnight): 08:00, as they hand over in the morning;
- rotating (輪班, 輪值, 三班, 四班二輪, rotating): no fixed time; check their roster for the day.

Pure functions of text; the words people read are in ``present/``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Literal

from hrtrust.models import Contact

ShiftKind = Literal["day", "evening", "night", "graveyard", "rotating"]

# Tried in order, as substrings of the folded text: 大夜 before 夜, 小夜 before 夜.
_WORDS: tuple[tuple[str, ShiftKind], ...] = (
    ("大夜", "graveyard"),
    ("graveyard", "graveyard"),
    ("overnight", "graveyard"),
    ("輪", "rotating"),
    ("三班", "rotating"),
    ("rotat", "rotating"),
    ("小夜", "evening"),
    ("中班", "evening"),
    ("晚班", "evening"),
    ("evening", "evening"),
    ("swing", "evening"),
    ("afternoon", "evening"),
    ("夜", "night"),
    ("night", "night"),
    ("日", "day"),
    ("白班", "day"),
    ("早班", "day"),
    ("day", "day"),
    ("morning", "day"),
)
# Codes some HRIS exports use for a shift: the whole cell.
_CODES: dict[str, ShiftKind] = {"d": "day", "e": "evening", "n": "night"}

# When a worker of each kind is on site and free for a few minutes: their shift handover.
HANDOVER: dict[ShiftKind, dt.time] = {
    "evening": dt.time(16, 0),
    "night": dt.time(20, 0),
    "graveyard": dt.time(8, 0),
}


def shift_kind(text: str | None) -> ShiftKind | None:
    """The kind of shift ``text`` names (夜班 is ``night``), or None when it names none."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold().strip()
    if folded in _CODES:
        return _CODES[folded]
    return next((kind for word, kind in _WORDS if word in folded), None)


def handover(text: str | None) -> dt.time | None:
    """The time to meet someone on this shift (its handover), or None: office hours (a day
    shift, no shift) or no fixed time (a rotating shift)."""
    kind = shift_kind(text)
    return HANDOVER.get(kind) if kind is not None else None


def count_shifts(people: Iterable[Contact]) -> tuple[tuple[str, int], ...]:
    """How many people work each shift, as the HRIS names it (日班 12, 夜班 3), in the order
    of the day (day, evening, night, graveyard, rotating, then others); empty when nobody has
    a shift."""
    return shift_counts(c.shift for c in people)


def shift_counts(shifts: Iterable[str | None]) -> tuple[tuple[str, int], ...]:
    """:func:`count_shifts` of people whose shifts are ``shifts``."""
    counts: dict[str, int] = {}
    for shift in shifts:
        if shift:
            counts[shift] = counts.get(shift, 0) + 1
    return tuple(sorted(counts.items(), key=lambda kv: (_ORDER.get(shift_kind(kv[0]), 5), kv[0])))


# The shifts in the order of the day, as coverage lists them (then any other, by name).
_ORDER: dict[ShiftKind | None, int] = {
    "day": 0,
    "evening": 1,
    "night": 2,
    "graveyard": 3,
    "rotating": 4,
}
