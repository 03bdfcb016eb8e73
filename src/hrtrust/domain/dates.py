"""Dates, durations, times, cadences and ISO weeks as people type them.

Everything here is pure: nothing reads the clock (``today`` is always an argument), nothing
prints, nothing touches a file. Every malformed input, whatever it is, raises
:class:`hrtrust.errors.UsageError` with a hint listing what is accepted.
"""

from __future__ import annotations

import datetime
import functools
import re
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from hrtrust.domain.chinese_dates import parse_chinese_date
from hrtrust.domain.date_forms import (
    ACCEPTED_CADENCE_FORMS,
    ACCEPTED_DATE_FORMS,
    ACCEPTED_DURATION_FORMS,
    ACCEPTED_TIME_FORMS,
    ACCEPTED_WEEK_FORMS,
    ACCEPTED_WEEKDAY_FORMS,
)
from hrtrust.errors import UsageError
from hrtrust.locale import N_, _
from hrtrust.locale.phrase import Phrase, phrase
from hrtrust.models import lazy_re

__all__ = [
    "ACCEPTED_CADENCE_FORMS",
    "ACCEPTED_DATE_FORMS",
    "ACCEPTED_DURATION_FORMS",
    "ACCEPTED_TIME_FORMS",
    "ACCEPTED_WEEK_FORMS",
    "ACCEPTED_WEEKDAY_FORMS",
    "MAX_CADENCE_DAYS",
    "WEEKDAYS",
    "cadence_days",
    "cadence_delta",
    "describe_cadence",
    "format_duration",
    "parse_cadence",
    "parse_date",
    "parse_duration",
    "parse_iso_week",
    "parse_past_date",
    "parse_time",
    "parse_weekday",
    "week_monday",
]

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Three-letter weekday names; the index is :meth:`datetime.date.weekday` (0 = Monday)."""

MAX_CADENCE_DAYS = 3650
"""The longest cadence accepted, in approximate days (about ten years)."""

_MAX_DURATION_MINUTES = 24 * 60
_MAX_DIGITS = 7  # longer numbers are rejected before int() so nothing can overflow

_WEEKDAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "mondays"),
        ("tue", "tues", "tuesday", "tuesdays"),
        ("wed", "weds", "wednesday", "wednesdays"),
        ("thu", "thur", "thurs", "thursday", "thursdays"),
        ("fri", "friday", "fridays"),
        ("sat", "saturday", "saturdays"),
        ("sun", "sunday", "sundays"),
    )
):
    for _name in _names:
        _WEEKDAY_NAMES[_name] = _index

_MONTH_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("jan", "january"),
        ("feb", "february"),
        ("mar", "march"),
        ("apr", "april"),
        ("may",),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "sept", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTH_NAMES[_name] = _index

# Unit words shared by date offsets and cadences, mapped to d / w / m / y.
_UNIT_WORDS: dict[str, str] = {}
for _unit, _names in (
    ("d", ("d", "day", "days")),
    ("w", ("w", "wk", "wks", "week", "weeks")),
    ("m", ("m", "mo", "mos", "month", "months")),
    ("y", ("y", "yr", "yrs", "year", "years")),
):
    for _name in _names:
        _UNIT_WORDS[_name] = _unit

_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}

_F = re.ASCII  # \d and \s must mean ASCII digits and spaces only

_NUMBER = r"\d+"
_UNIT = r"[a-z]+"
_OFFSET_RE = lazy_re(rf"(?P<sign>[+-]?)\s*(?P<n>{_NUMBER})\s*(?P<unit>{_UNIT})", _F)
_IN_RE = lazy_re(rf"in\s+(?P<n>{_NUMBER}|an?|one)\s+(?P<unit>{_UNIT})", _F)
_AGO_RE = lazy_re(rf"(?P<n>{_NUMBER}|an?|one)\s+(?P<unit>{_UNIT})\s+ago", _F)
_ISO_RE = lazy_re(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", _F)
_ORD = r"(?:st|nd|rd|th)?"
_MONTH_DAY_RE = lazy_re(
    rf"(?P<mon>[a-z]+)\.?\s+(?P<day>\d{{1,2}}){_ORD}(?:,?\s+(?P<year>\d{{4}}))?", _F
)
_DAY_MONTH_RE = lazy_re(
    rf"(?:the\s+)?(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<mon>[a-z]+)\.?(?:,?\s+(?P<year>\d{{4}}))?",
    _F,
)
_WEEKDAY_RE = lazy_re(r"(?:(?P<rel>next|last|this)\s+)?(?P<wd>[a-z]+)\.?", _F)

_TIME_12_RE = lazy_re(r"(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ampm>am|pm|a\.m\.|p\.m\.|a|p)", _F)
_TIME_24_RE = lazy_re(r"(?P<h>\d{1,2}):(?P<m>\d{2})", _F)

_DURATION_RE = lazy_re(
    r"(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours))?"
    r"\s*(?:and\s+)?"
    r"(?:(?P<m>\d+)\s*(?:m|min|mins|minute|minutes))?",
    _F,
)
_BARE_MINUTES_RE = lazy_re(r"\d+", _F)

_CADENCE_NUMBER_RE = lazy_re(rf"(?:every\s+)?(?P<n>{_NUMBER})\s*(?P<unit>{_UNIT})", _F)
_CADENCE_EVERY_RE = lazy_re(rf"every\s+(?P<other>other\s+)?(?P<unit>{_UNIT})", _F)
_CADENCE_WORDS: dict[str, str] = {
    "daily": "1d",
    "weekly": "1w",
    "biweekly": "2w",
    "fortnightly": "2w",
    "monthly": "1m",
    "bimonthly": "2m",
    "quarterly": "3m",
    "semiannually": "6m",
    "semi-annually": "6m",
    "half-yearly": "6m",
    "yearly": "1y",
    "annually": "1y",
}
_BI_RE = lazy_re(r"\b(bi|semi)[- ](?=(weekly|monthly|annually|yearly)\b)", _F)
_CANONICAL_CADENCE_RE = lazy_re(r"(?P<n>[1-9]\d*)(?P<unit>[dwmy])", _F)

_ISO_WEEK_RE = lazy_re(r"(?P<y>\d{4})[- ]?w(?P<w>\d{1,2})", _F)


def _normalise(text: str) -> str:
    """Lower-case ``text`` and collapse runs of whitespace to single spaces."""
    return " ".join(text.lower().split())


def _small_int(digits: str) -> int | None:
    """``int(digits)`` for a short run of ASCII digits, ``None`` when it is absurdly long."""
    if len(digits) > _MAX_DIGITS:
        return None
    return int(digits)


def _count(word: str) -> int | None:
    """Read ``3``, ``a``, ``an`` or ``one`` as a count."""
    if word in ("a", "an", "one"):
        return 1
    return _small_int(word)


# --------------------------------------------------------------------------- weekdays


def parse_weekday(text: str) -> int:
    """Read a weekday name (``mon``, ``Monday``, ``tues``, ``thurs``...) as 0 = Monday .. 6."""
    word = _normalise(text).rstrip(".")
    if word in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES[word]
    raise UsageError(
        _("cannot read weekday {text!r}").format(text=text), hint=_(ACCEPTED_WEEKDAY_FORMS)
    )


def week_label(d: datetime.date) -> str:
    """The ISO week ``d`` falls in, as people type it: ``2026-W49``."""
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(d: datetime.date) -> datetime.date:
    """The Monday of the Mon–Sun week that contains ``d``."""
    return d - datetime.timedelta(days=d.weekday())


# --------------------------------------------------------------------------- dates


def _bad_date(text: str) -> UsageError:
    return UsageError(_("cannot read date {text!r}").format(text=text), hint=_(ACCEPTED_DATE_FORMS))


def _make_date(text: str, year: int, month: int, day: int) -> datetime.date:
    """``date(year, month, day)`` or a UsageError that names the calendar problem."""
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise UsageError(
            _("{text!r} is not a real date ({reason})").format(
                text=text.strip(), reason=_(str(exc))
            ),
            hint=_(ACCEPTED_DATE_FORMS),
        ) from None


def _shift(today: datetime.date, n: int, unit: str) -> datetime.date:
    """``today`` moved by ``n`` units (d / w / m / y); months and years clamp to month end."""
    if unit == "d":
        return today + datetime.timedelta(days=n)
    if unit == "w":
        return today + datetime.timedelta(weeks=n)
    if unit == "m":
        return today + relativedelta(months=n)
    return today + relativedelta(years=n)


def _coming_weekday(today: datetime.date, weekday: int) -> datetime.date:
    """The next ``weekday`` on or after ``today`` (today itself when it is that weekday)."""
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)


def _parse_weekday_form(
    text: str, norm: str, today: datetime.date, past: bool = False
) -> datetime.date | None:
    match = _WEEKDAY_RE.fullmatch(norm)
    if match is None or match["wd"] not in _WEEKDAY_NAMES:
        return None
    weekday = _WEEKDAY_NAMES[match["wd"]]
    rel = match["rel"]
    if past and rel is None:
        # something that happened on a "fri": the most recent one, today included
        return today - datetime.timedelta(days=(today.weekday() - weekday) % 7)
    if rel == "last":
        back = (today.weekday() - weekday) % 7 or 7
        return today - datetime.timedelta(days=back)
    coming = _coming_weekday(today, weekday)
    if rel == "next" and weekday >= today.weekday():
        # ``fri`` would still be in this Mon–Sun week, so ``next fri`` is the one after it.
        return coming + datetime.timedelta(days=7)
    return coming


def _parse_month_name_form(
    text: str, norm: str, today: datetime.date, past: bool = False
) -> datetime.date | None:
    match = _MONTH_DAY_RE.fullmatch(norm) or _DAY_MONTH_RE.fullmatch(norm)
    if match is None or match["mon"] not in _MONTH_NAMES:
        return None
    month = _MONTH_NAMES[match["mon"]]
    day = int(match["day"])
    if match["year"] is not None:
        return _make_date(text, int(match["year"]), month, day)
    year = today.year
    if past and (month, day) > (today.month, today.day):
        year -= 1  # "Dec 24" typed on Jan 2 for something that happened: last December
    elif not past and (month, day) < (today.month, today.day):
        year += 1
    return _make_date(text, year, month, day)


def _parse_offset_form(norm: str, today: datetime.date) -> datetime.date | None:
    sign = 1
    match = _OFFSET_RE.fullmatch(norm)
    if match is not None:
        raw_n: str = match["n"]
        if match["sign"] == "-":
            sign = -1
    else:
        match = _IN_RE.fullmatch(norm)
        if match is None:
            match = _AGO_RE.fullmatch(norm)
            if match is None:
                return None
            sign = -1
        raw_n = match["n"]
    unit = _UNIT_WORDS.get(match["unit"])
    if unit is None:
        return None
    n = _count(raw_n)
    if n is None:
        raise OverflowError(raw_n)
    return _shift(today, sign * n, unit)


def _parse_date_form(
    text: str, norm: str, today: datetime.date, past: bool = False
) -> datetime.date | None:
    """Try every form in turn; ``None`` when none matches."""
    if norm == "today":
        return today
    if norm == "tomorrow":
        return today + datetime.timedelta(days=1)
    if norm == "yesterday":
        return today - datetime.timedelta(days=1)
    if norm in ("end of week", "eow", "end of the week"):
        monday = week_monday(today)
        friday = monday + datetime.timedelta(days=4)
        return friday if today <= friday else monday + datetime.timedelta(days=6)
    if norm in ("end of month", "eom", "end of the month"):
        return today + relativedelta(day=31)
    if norm in ("end of year", "eoy", "end of the year"):
        return datetime.date(today.year, 12, 31)

    iso = _ISO_RE.fullmatch(norm)
    if iso is not None:
        return _make_date(text, int(iso["y"]), int(iso["m"]), int(iso["d"]))

    for form in (_parse_weekday_form, _parse_month_name_form):
        found = form(text, norm, today, past)
        if found is not None:
            return found
    return _parse_offset_form(norm, today)


def parse_past_date(text: str, today: datetime.date) -> datetime.date:
    """Read a date typed for something that happened (a log entry, a pulse result, feedback,
    a hire date, a ``--since``): like :func:`parse_date`, except that a month and day without a
    year (``Dec 24``) and a bare weekday (``fri``) mean the most recent one, today included.

    Example: on 2026-12-25, ``Dec 24`` is 2026-12-24 (not 2027) and ``fri`` is 2026-12-25.
    """
    return parse_date(text, today, past=True)


def parse_date(text: str, today: datetime.date, *, past: bool = False) -> datetime.date:
    """Read a date as a person types it, relative to ``today``.

    This is the one place a year-less date is resolved. By default the date is for something
    to come (a due date, a plan): ``Dec 3`` and ``fri`` are the next ones. With ``past``
    (see :func:`parse_past_date`) they are the most recent ones.

    Case and surrounding whitespace are ignored. Accepted forms:

    * ``today``, ``tomorrow``, ``yesterday``;
    * a weekday (``fri``, ``friday``, ``tues``, ``thurs``...): the coming one, today
      included (``fri`` on a Friday is today); ``this fri`` is the same;
    * ``next fri``: when ``fri`` would fall in the current Mon–Sun week, the one 7 days
      later; otherwise (that weekday of this week is already past) the same as ``fri``;
    * ``last fri``: the most recent Friday strictly before today;
    * offsets ``+3d``, ``-2d``, ``2w``, ``+1m``, ``1y`` (also ``+3 days``), ``in 3 days``,
      ``in a week``, ``2 weeks ago``; months and years clamp to the month end
      (``+1m`` from Jan 31 is Feb 28 or 29);
    * ``end of week`` / ``eow``: Friday of this Mon–Sun week, or its Sunday when today is
      already Saturday or Sunday (never in the past); ``end of month`` / ``eom``;
      ``end of year`` / ``eoy``;
    * ISO ``2026-12-01``;
    * ``Dec 3``, ``3 Dec``, ``December 3rd``, ``dec 3 2027``, ``3 dec 2027``; without a
      year, the next such date on or after today.

    Slashed dates (``12/03``) are rejected: they read differently across locales.

    Raises:
        UsageError: for anything else, for impossible dates (``Feb 29`` in a common year)
            and for dates outside 0001-01-01..9999-12-31.
    """
    norm = _normalise(text)
    if (chinese := parse_chinese_date(text, today, past=past)) is not None:
        return chinese  # 明天, 下週二, 12月3日, 3天後 (and 12/3 when hrtrust speaks Chinese)
    if "/" in norm:
        raise UsageError(
            _(
                "cannot read date {text!r}: slashed dates are ambiguous (is 12/03 Dec 3 or 12 Mar?)"
            ).format(text=text),
            hint=_("write it as ISO 2026-12-01 or as Dec 3"),
        )
    try:
        found = _parse_date_form(text, norm, today, past)
    except (OverflowError, ValueError):
        raise UsageError(
            _("date {text!r} is out of range").format(text=text.strip()),
            hint=_(ACCEPTED_DATE_FORMS),
        ) from None
    if found is None:
        raise _bad_date(text)
    return found


# --------------------------------------------------------------------------- times


def parse_time(text: str) -> str:
    """Read a wall-clock time and return it as canonical 24-hour ``"HH:MM"``.

    Accepts ``14:30``, ``9:30``, ``10am``, ``2pm``, ``2:30 pm``, ``12am`` (midnight),
    ``12pm`` (noon), ``noon`` and ``midnight``. Bare digits like ``930`` are rejected.
    """
    norm = _normalise(text)
    hour: int
    minute: int
    if norm == "noon":
        hour, minute = 12, 0
    elif norm == "midnight":
        hour, minute = 0, 0
    elif (m12 := _TIME_12_RE.fullmatch(norm)) is not None:
        hour = int(m12["h"])
        minute = int(m12["m"] or "0")
        if not 1 <= hour <= 12 or minute > 59:
            raise _bad_time(text)
        hour %= 12
        if m12["ampm"].startswith("p"):
            hour += 12
    elif (m24 := _TIME_24_RE.fullmatch(norm)) is not None:
        hour = int(m24["h"])
        minute = int(m24["m"])
        if hour > 23 or minute > 59:
            raise _bad_time(text)
    else:
        raise _bad_time(text)
    return f"{hour:02d}:{minute:02d}"


def _bad_time(text: str) -> UsageError:
    return UsageError(_("cannot read time {text!r}").format(text=text), hint=_(ACCEPTED_TIME_FORMS))


# --------------------------------------------------------------------------- durations


def parse_duration(text: str) -> int:
    """Read a duration and return whole minutes, 1..1440.

    Accepts bare minutes (``90``), ``60m``, ``45 min``, ``1h``, ``1h30m``, ``1h 30m``,
    ``1.5h``, ``2 hours``, ``1 hour and 30 minutes``. Fractional hours must come out as
    whole minutes (``1.01h`` is rejected).
    """
    norm = _normalise(text)
    bad = UsageError(
        _("cannot read duration {text!r}").format(text=text), hint=_(ACCEPTED_DURATION_FORMS)
    )
    minutes: Fraction
    if _BARE_MINUTES_RE.fullmatch(norm):
        if len(norm) > _MAX_DIGITS:
            minutes = Fraction(_MAX_DURATION_MINUTES + 1)
        else:
            minutes = Fraction(int(norm))
    else:
        match = _DURATION_RE.fullmatch(norm)
        if match is None or (match["h"] is None and match["m"] is None):
            raise bad
        hours_text = match["h"] or "0"
        minutes_text = match["m"] or "0"
        if len(hours_text) > _MAX_DIGITS * 2 or len(minutes_text) > _MAX_DIGITS:
            minutes = Fraction(_MAX_DURATION_MINUTES + 1)
        else:
            minutes = Fraction(hours_text) * 60 + int(minutes_text)
    if minutes.denominator != 1:
        raise UsageError(
            _("duration {text!r} is not a whole number of minutes").format(text=text.strip()),
            hint=_(ACCEPTED_DURATION_FORMS),
        )
    if not 1 <= minutes <= _MAX_DURATION_MINUTES:
        raise UsageError(
            _("duration {text!r} must be between 1 minute and 24 hours").format(text=text.strip()),
            hint=_(ACCEPTED_DURATION_FORMS),
        )
    return int(minutes)


def format_duration(minutes: int) -> str:
    """Format minutes compactly: 45 → ``45m``, 60 → ``1h``, 90 → ``1h30m``."""
    if minutes < 0:
        return "-" + format_duration(-minutes)
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest}m"
    if rest == 0:
        return f"{hours}h"
    return f"{hours}h{rest}m"


# --------------------------------------------------------------------------- cadences


def _bad_cadence(text: str) -> UsageError:
    return UsageError(
        _("cannot read cadence {text!r}").format(text=text), hint=_(ACCEPTED_CADENCE_FORMS)
    )


def parse_cadence(text: str) -> str:
    """Read how often to contact someone; return the canonical ``"<n><unit>"`` (unit d/w/m/y).

    The canonical form keeps the unit the person chose: ``14d`` stays ``14d``, ``2w``
    stays ``2w``, ``every 2 weeks`` is ``2w``, ``weekly`` is ``1w``, ``biweekly`` and
    ``fortnightly`` are ``2w``, ``monthly`` is ``1m``, ``bimonthly`` is ``2m``,
    ``quarterly`` is ``3m``, ``yearly`` / ``annually`` are ``1y``, ``daily`` is ``1d``;
    also ``every week``, ``every other week``, ``every 3 months``. ``n`` must be at least 1
    and the cadence at most about ten years (:data:`MAX_CADENCE_DAYS`).
    """
    norm = _BI_RE.sub(r"\1", _normalise(text))  # "bi-monthly" is "bimonthly"
    if norm in _CADENCE_WORDS:
        return _CADENCE_WORDS[norm]
    raw_n: str | None
    match = _CADENCE_NUMBER_RE.fullmatch(norm)
    if match is not None:
        raw_n = match["n"]
    else:
        match = _CADENCE_EVERY_RE.fullmatch(norm)
        if match is None:
            raise _bad_cadence(text)
        raw_n = "2" if match["other"] else "1"
    unit = _UNIT_WORDS.get(match["unit"])
    if unit is None:
        raise _bad_cadence(text)
    n = _small_int(raw_n)
    if n is None or n * _UNIT_DAYS[unit] > MAX_CADENCE_DAYS:
        raise UsageError(
            _("cadence {text!r} is too long (at most about 10 years)").format(text=text.strip()),
            hint=_(ACCEPTED_CADENCE_FORMS),
        )
    if n < 1:
        raise UsageError(
            _(_AT_LEAST_ONE[unit]).format(text=text.strip()), hint=_(ACCEPTED_CADENCE_FORMS)
        )
    return f"{n}{unit}"


_AT_LEAST_ONE = {
    "d": N_("cadence {text!r} must be at least 1 day"),
    "w": N_("cadence {text!r} must be at least 1 week"),
    "m": N_("cadence {text!r} must be at least 1 month"),
    "y": N_("cadence {text!r} must be at least 1 year"),
}


@functools.lru_cache(maxsize=256)  # a data set has a handful of cadences, used per contact
def _split_cadence(canonical: str) -> tuple[int, str]:
    """``"2w"`` → ``(2, "w")``; any accepted cadence form is read via :func:`parse_cadence`."""
    match = _CANONICAL_CADENCE_RE.fullmatch(parse_cadence(canonical))
    assert match is not None  # parse_cadence only returns canonical strings
    return int(match["n"]), match["unit"]


@functools.lru_cache(maxsize=8192)  # a plan asks for the same few hundred (day, cadence) pairs
def add_cadence(day: datetime.date, canonical: str) -> datetime.date:
    """``day`` plus one cadence (a month from Jan 31 is Feb 28 or 29, as dateutil has it)."""
    due: datetime.date = day + cadence_delta(canonical)
    return due


@functools.lru_cache(maxsize=256)
def cadence_delta(canonical: str) -> relativedelta | datetime.timedelta:
    """What to add to a date for one cadence: days and weeks as a plain ``timedelta``,
    months and years as a :class:`~dateutil.relativedelta.relativedelta` (``1m`` →
    months=+1, so Jan 31 + 1m is Feb 28)."""
    n, unit = _split_cadence(canonical)
    if unit == "d":
        return datetime.timedelta(days=n)
    if unit == "w":
        return datetime.timedelta(weeks=n)
    if unit == "m":
        return relativedelta(months=n)
    return relativedelta(years=n)


@functools.lru_cache(maxsize=256)  # pure; asked once per person on every plan
def cadence_days(canonical: str) -> int:
    """The cadence in approximate days (d=1, w=7, m=30, y=365), for sorting and slack."""
    n, unit = _split_cadence(canonical)
    return n * _UNIT_DAYS[unit]


_CADENCE_NAMES = {
    "d": N_("daily"),
    "w": N_("weekly"),
    "m": N_("monthly"),
    "y": N_("yearly"),
}
_CADENCE_EVERY = {
    "d": N_("every {n} days"),
    "w": N_("every {n} weeks"),
    "m": N_("every {n} months"),
    "y": N_("every {n} years"),
}


def describe_cadence(canonical: str) -> Phrase:
    """Human text: ``weekly``, ``every 2 weeks``, ``monthly``, ``quarterly``, ``every 10 days``
    (English, what --json carries; ``said()`` gives it in the language of the run: 每2週)."""
    n, unit = _split_cadence(canonical)
    if n == 1:
        return phrase(_CADENCE_NAMES[unit])
    if unit == "m" and n == 3:
        return phrase(N_("quarterly"))
    return phrase(_CADENCE_EVERY[unit], n=n)


# --------------------------------------------------------------------------- ISO weeks


# The years a plan can be built in: a week's plan looks a year back (touches, anniversaries)
# and a year ahead (exports), so the calendar's own limits (years 1 and 9999) are kept away.
FIRST_YEAR, LAST_YEAR = 2, 9997


def check_plannable(day: datetime.date, what: str) -> datetime.date:
    """``day`` if hrtrust can plan around it, else a UsageError (instead of an overflow)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UsageError(
            _("{what} {day} is out of range").format(what=what, day=day.isoformat()),
            hint=_("use a date in the years {first} to {last}").format(
                first=f"{FIRST_YEAR:04d}", last=LAST_YEAR
            ),
        )
    return day


def parse_iso_week(text: str) -> datetime.date:
    """Read an ISO week (``2026-W49``, ``2026w49``, ``2026W49``) and return its Monday.

    Raises:
        UsageError: for other text and for weeks the year does not have (``W54``, or
            ``W53`` in a 52-week year).
    """
    norm = _normalise(text)
    match = _ISO_WEEK_RE.fullmatch(norm)
    if match is None:
        raise UsageError(
            _("cannot read week {text!r}").format(text=text), hint=_(ACCEPTED_WEEK_FORMS)
        )
    year, week = int(match["y"]), int(match["w"])
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        pass
    else:
        return check_plannable(monday, _("week"))
    if 1 <= year <= 9999:
        weeks = datetime.date(year, 12, 28).isocalendar().week
        message = _("{text!r} is not a week of {year}: it has weeks 1 to {weeks}").format(
            text=text.strip(), year=year, weeks=weeks
        )
    else:
        message = _("week {text!r} is out of range").format(text=text.strip())
    raise UsageError(message, hint=_(ACCEPTED_WEEK_FORMS))
