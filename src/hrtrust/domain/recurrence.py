"""Recurring activity rules: read them as people type them, describe them, expand them.

Rules are stored as RFC 5545 RRULE values (without the ``RRULE:`` prefix) and expanded
with :func:`dateutil.rrule.rrulestr`; nothing here hand-rolls a date loop. Expansion works
on naive local wall-clock datetimes and attaches the time zone afterwards, so a weekly
10:00 meeting stays at 10:00 local on both sides of a daylight-saving change.

Pure: no clock, no I/O, no printing. Every malformed input raises
:class:`hrtrust.errors.UsageError`.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable

from dateutil.rrule import rrule as RRule
from dateutil.rrule import rrulestr

from hrtrust.domain.dates import WEEKDAYS, parse_time, parse_weekday
from hrtrust.errors import UsageError
from hrtrust.locale import N_, _
from hrtrust.models import lazy_re

__all__ = [
    "ACCEPTED_RULE_FORMS",
    "describe_rule",
    "nearest_occurrences",
    "next_occurrence",
    "occurrences",
    "to_rrule",
]

ACCEPTED_RULE_FORMS = N_(
    "use e.g. daily, weekdays, weekly on tue, every 2 weeks on thu, monthly on first thu, "
    "monthly on the 15th, bimonthly, quarterly, yearly, or an RRULE like FREQ=MONTHLY;BYDAY=1TH"
)

_MAX_INTERVAL = 999
_ALLOWED_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_FORBIDDEN_KEYS = {  # said with _()
    "DTSTART": N_("the start date belongs in --start, not in the rule"),
    "BYHOUR": N_("the time of day belongs in --at, not in the rule"),
    "BYMINUTE": N_("the time of day belongs in --at, not in the rule"),
    "BYSECOND": N_("the time of day belongs in --at, not in the rule"),
}
_KEY_ORDER = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS")
_RULE_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_CODES = "MO,TU,WE,TH,FR"
_VALIDATION_START = datetime.datetime(2000, 1, 3)  # any fixed date; a Monday
# Feasibility probe: 400 years (a whole Gregorian cycle) before dateutil gives up at 9999,
# so a rule that can never occur is rejected in well under a second.
_PROBE_START = datetime.datetime(9599, 1, 1)
# Allowed numeric ranges for list-valued keys (RFC 5545 3.3.10); 0 is never allowed.
_RANGES = {"BYMONTHDAY": 31, "BYMONTH": 12, "BYYEARDAY": 366, "BYWEEKNO": 53, "BYSETPOS": 366}
_SIGNED_RE = lazy_re(r"[+-]?\d{1,3}", re.ASCII)
_UNSIGNED_RE = lazy_re(r"\d{1,3}", re.ASCII)
_UNTIL_RE = lazy_re(r"\d{8}(?:T\d{6})?", re.ASCII)

_F = re.ASCII
_RAW_PART_RE = lazy_re(r"[A-Z][A-Z-]*=[A-Z0-9,+:-]+", _F)
_EVERY_N_RE = lazy_re(r"every (?P<n>\d+) (?P<unit>day|week|month|year)s?", _F)
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
_MONTH_DAY_RE = lazy_re(r"(?:day )?(?P<d>\d{1,2})(?:st|nd|rd|th)?(?: day)?", _F)
_OF_MONTH_RE = lazy_re(r" of (?:the|each|every) month$", _F)

# head phrase -> (FREQ, INTERVAL)
_HEADS: dict[str, tuple[str, int]] = {
    "daily": ("DAILY", 1),
    "every day": ("DAILY", 1),
    "weekly": ("WEEKLY", 1),
    "every week": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2),
    "fortnightly": ("WEEKLY", 2),
    "every other week": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "every month": ("MONTHLY", 1),
    "bimonthly": ("MONTHLY", 2),
    "every other month": ("MONTHLY", 2),
    "quarterly": ("MONTHLY", 3),
    "every quarter": ("MONTHLY", 3),
    "yearly": ("YEARLY", 1),
    "annually": ("YEARLY", 1),
    "every year": ("YEARLY", 1),
}
_BI_SEMI = re.compile(r"\b(bi|semi)[- ](?=(weekly|monthly|annually|yearly)\b)", _F)
_UNIT_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


def _bad_rule(text: str, why: str | None = None) -> UsageError:
    """``why``: already in the language of the run."""
    if why:
        message = _("cannot read rule {text!r}: {why}").format(text=text, why=why)
    else:
        message = _("cannot read rule {text!r}").format(text=text)
    return UsageError(message, hint=_(ACCEPTED_RULE_FORMS))


def _join(parts: dict[str, str]) -> str:
    """Join rule parts in the canonical key order (other keys after, as given)."""
    ordered = [key for key in _KEY_ORDER if key in parts]
    ordered += [key for key in parts if key not in _KEY_ORDER]
    return ";".join(f"{key}={parts[key]}" for key in ordered)


# --------------------------------------------------------------------------- raw RRULEs


def _build(value: str, dtstart: datetime.datetime, text: str | None = None) -> RRule:
    """Build a normalised RRULE value with dateutil, or raise UsageError quoting ``text``."""
    shown = value if text is None else text
    try:
        built = rrulestr(value, dtstart=dtstart)
    except Exception as exc:  # dateutil raises many types on malformed rules
        raise _bad_rule(shown, str(exc) or type(exc).__name__) from None
    if not isinstance(built, RRule):
        raise _bad_rule(shown)
    return built


def _raw_to_rrule(text: str) -> str:
    stripped = text.strip()
    if not stripped.isascii() or not stripped.isprintable():
        raise _bad_rule(text)
    value = stripped.upper()
    if value.startswith("RRULE:"):
        value = value[len("RRULE:") :]
    if "DTSTART" in value:
        raise _bad_rule(text, _(_FORBIDDEN_KEYS["DTSTART"]))
    parts = [part.strip() for part in value.split(";") if part.strip()]
    fields: dict[str, str] = {}
    for part in parts:
        if not _RAW_PART_RE.fullmatch(part):
            raise _bad_rule(text)
        key, _eq, val = part.partition("=")
        if key in _FORBIDDEN_KEYS:
            raise _bad_rule(text, _(_FORBIDDEN_KEYS[key]))
        if key in fields:
            raise _bad_rule(text, _("{key} is given twice").format(key=key))
        fields[key] = val
    freq = fields.get("FREQ")
    if freq is None:
        raise _bad_rule(text, _("FREQ is missing"))
    if freq not in _ALLOWED_FREQS:
        raise _bad_rule(text, _("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY"))
    interval = fields.get("INTERVAL")
    if interval is not None and not (
        interval.isdigit() and len(interval) <= 3 and 1 <= int(interval) <= _MAX_INTERVAL
    ):
        raise _bad_rule(text, _("INTERVAL must be 1 to {most}").format(most=_MAX_INTERVAL))
    for key, limit in _RANGES.items():
        if key in fields and not _in_range(fields[key], limit, signed=key != "BYMONTH"):
            sign = "" if key == "BYMONTH" else "±"
            raise _bad_rule(
                text,
                _("{key} values must be {sign}1 to {sign}{limit}").format(
                    key=key, sign=sign, limit=limit
                ),
            )
    byday = fields.get("BYDAY")
    if byday is not None:
        # a numbered day (1MO, -1FR) counts within a month (±5) or a year (±53); dateutil
        # itself fails on anything further, and on a numbered day in a weekly or daily rule
        most = 53 if freq == "YEARLY" and "BYMONTH" not in fields else 5
        for day in byday.split(","):
            n = day.strip()[:-2]
            if not n:
                continue
            if freq not in ("MONTHLY", "YEARLY"):
                raise _bad_rule(
                    text,
                    _("BYDAY {day}: a numbered day needs a monthly or yearly rule").format(day=day),
                )
            if not (n.lstrip("+-").isdigit() and 1 <= abs(int(n)) <= most):
                raise _bad_rule(
                    text,
                    _("BYDAY {day}: the number must be ±1 to ±{most} here").format(
                        day=day, most=most
                    ),
                )
    until = fields.get("UNTIL")
    if until is not None and not _UNTIL_RE.fullmatch(until):
        raise _bad_rule(text, _("UNTIL must be a local date like 20261231 (or use --until)"))
    normalised = ";".join(parts)
    _build(normalised, _VALIDATION_START, text)
    if interval in (None, "1"):
        # With INTERVAL=1 whether a rule can ever occur does not depend on its start.
        probe = ";".join(part for part in parts if not part.startswith(("UNTIL=", "COUNT=")))
        if _build(probe, _PROBE_START, text).after(_PROBE_START, inc=True) is None:
            raise _bad_rule(text, _("this rule never occurs"))
    return normalised


def _in_range(values: str, limit: int, *, signed: bool) -> bool:
    """Every comma-separated value is an integer in 1..limit (or -limit..-1 when signed)."""
    pattern = _SIGNED_RE if signed else _UNSIGNED_RE
    return all(
        pattern.fullmatch(value) is not None and 1 <= abs(int(value)) <= limit
        for value in values.split(",")
    )


# --------------------------------------------------------------------------- friendly rules


def _weekday_codes(text: str, phrase: str) -> list[str]:
    """``"mon wed"`` / ``"mon and wed"`` / ``"weekdays"`` → sorted RRULE day codes."""
    indexes: set[int] = set()
    words = [word for word in text.split(" ") if word and word != "and"]
    if not words:
        raise _bad_rule(phrase, _("which days?"))
    for word in words:
        if word in ("weekdays", "weekday"):
            indexes.update(range(5))
            continue
        try:
            indexes.add(parse_weekday(word))
        except UsageError:
            raise _bad_rule(phrase, _("{word!r} is not a weekday").format(word=word)) from None
    return [_RULE_CODES[i] for i in sorted(indexes)]


def _monthly_tail(tail: str, phrase: str) -> dict[str, str]:
    """``first thu`` / ``last fri`` / ``the 15th`` / ``last day`` / ``first weekday``."""
    tail = _OF_MONTH_RE.sub("", tail)
    if tail.startswith("the "):
        tail = tail[len("the ") :]
    if tail == "last day":
        return {"BYMONTHDAY": "-1"}
    day_match = _MONTH_DAY_RE.fullmatch(tail)
    if day_match is not None:
        day = int(day_match["d"])
        if not 1 <= day <= 31:
            raise _bad_rule(phrase, _("a day of the month is 1 to 31"))
        return {"BYMONTHDAY": str(day)}
    words = tail.split(" ")
    if len(words) == 2 and words[0] in _ORDINALS:
        nth = _ORDINALS[words[0]]
        if words[1] in ("weekday", "working day", "workday"):
            return {"BYDAY": _WEEKDAY_CODES, "BYSETPOS": str(nth)}
        try:
            code = _RULE_CODES[parse_weekday(words[1])]
        except UsageError:
            raise _bad_rule(phrase, _("{word!r} is not a weekday").format(word=words[1])) from None
        return {"BYDAY": f"{nth}{code}"}
    if len(words) == 3 and words[0] in _ORDINALS and words[1:] == ["working", "day"]:
        return {"BYDAY": _WEEKDAY_CODES, "BYSETPOS": str(_ORDINALS[words[0]])}
    raise _bad_rule(phrase, _("say e.g. on first thu, on last fri, on the 15th or on last day"))


def _friendly_to_rrule(text: str) -> str:
    norm = " ".join(text.lower().replace(",", " ").split())
    norm = _BI_SEMI.sub(r"\1", norm)  # "bi-monthly", "bi monthly" = "bimonthly"
    head, sep, tail = norm.partition(" on ")
    if sep and not tail:
        raise _bad_rule(text)
    if head in ("weekdays", "every weekday") and not sep:
        return f"FREQ=WEEKLY;BYDAY={_WEEKDAY_CODES}"

    freq: str
    interval: int
    if head in _HEADS:
        freq, interval = _HEADS[head]
    elif (every_n := _EVERY_N_RE.fullmatch(head)) is not None:
        digits = every_n["n"]
        interval = int(digits) if len(digits) <= 4 else _MAX_INTERVAL + 1
        if not 1 <= interval <= _MAX_INTERVAL:
            raise _bad_rule(text, _("the interval must be 1 to {most}").format(most=_MAX_INTERVAL))
        freq = _UNIT_FREQ[every_n["unit"]]
    elif head.startswith("every ") and not sep:
        # ``every tuesday``, ``every mon and thu``
        days = _weekday_codes(head[len("every ") :], text)
        return f"FREQ=WEEKLY;BYDAY={','.join(days)}"
    else:
        raise _bad_rule(text)

    parts: dict[str, str] = {"FREQ": freq}
    if interval != 1:
        parts["INTERVAL"] = str(interval)
    if sep:
        if freq == "WEEKLY":
            parts["BYDAY"] = ",".join(_weekday_codes(tail, text))
        elif freq == "MONTHLY":
            parts.update(_monthly_tail(tail, text))
        else:
            raise _bad_rule(text, _("an 'on ...' part only works with weekly or monthly rules"))
    return _join(parts)


@functools.lru_cache(maxsize=512)  # pure; a data set has a few rules, read per activity
def to_rrule(text: str) -> str:
    """Turn a rule as a person types it into an RFC 5545 RRULE value (no ``RRULE:`` prefix).

    Friendly forms (case-insensitive; days separated by spaces, commas or ``and``):
    ``daily``, ``every 3 days``, ``weekdays``, ``weekly`` (day from the start date),
    ``weekly on tue``, ``every tuesday``, ``weekly on mon, wed``, ``every 2 weeks on thu``,
    ``biweekly on thu``, ``fortnightly on thu``, ``monthly`` (day from the start date),
    ``monthly on first thu`` (also second, third, fourth, last), ``monthly on the 15th``,
    ``monthly on last day``, ``monthly on first weekday``, ``every 2 months on first mon``,
    ``bimonthly``, ``quarterly`` (every 3 months), ``yearly`` / ``annually``.

    Keys come out in the order FREQ;INTERVAL;BYDAY;BYMONTHDAY;BYSETPOS and INTERVAL=1 is
    left out. A raw RRULE (``FREQ=WEEKLY;INTERVAL=2;BYDAY=TH``, with or without
    ``RRULE:``) is validated with dateutil and returned upper-cased without the prefix; it
    may not carry DTSTART (use the start date) or BYHOUR/BYMINUTE/BYSECOND (use the time),
    and FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.

    Raises:
        UsageError: for anything else.
    """
    stripped = text.strip()
    if "=" in stripped or stripped.upper().startswith("RRULE:"):
        return _raw_to_rrule(text)
    return _friendly_to_rrule(text)


# --------------------------------------------------------------------------- describing


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    if n < 0:
        return f"{_ordinal(-n)} to last"
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _every(n: int, unit: str, single: str) -> str:
    return single if n == 1 else f"every {n} {unit}s"


_BYDAY_RE = lazy_re(r"(?P<n>[+-]?\d{1,2})?(?P<code>MO|TU|WE|TH|FR|SA|SU)", _F)


def _describe_parts(fields: dict[str, str]) -> str | None:
    freq = fields.pop("FREQ", "")
    interval_text = fields.pop("INTERVAL", "1")
    if not interval_text.isdigit():
        return None
    interval = int(interval_text)
    byday = fields.pop("BYDAY", None)
    bymonthday = fields.pop("BYMONTHDAY", None)
    bysetpos = fields.pop("BYSETPOS", None)
    if fields:
        return None  # COUNT, UNTIL, BYMONTH, ...: show the raw rule

    if freq in ("DAILY", "YEARLY"):
        if byday or bymonthday or bysetpos:
            return None
        if freq == "DAILY":
            return _every(interval, "day", "daily")
        return _every(interval, "year", "yearly")

    if freq == "WEEKLY":
        if bymonthday or bysetpos:
            return None
        base = _every(interval, "week", "weekly")
        if byday is None:
            return base
        if byday == _WEEKDAY_CODES and interval == 1:
            return "weekdays"
        codes = byday.split(",")
        if not all(code in _RULE_CODES for code in codes):
            return None
        names = [WEEKDAYS[_RULE_CODES.index(code)].title() for code in codes]
        return f"{base} on {', '.join(names)}"

    if freq == "MONTHLY":
        base = _every(interval, "month", "monthly")
        if byday is None and bymonthday is None and bysetpos is None:
            return base
        if byday == _WEEKDAY_CODES and bymonthday is None and bysetpos in ("1", "-1"):
            return f"{base} on the {'first' if bysetpos == '1' else 'last'} weekday"
        if bysetpos is not None:
            return None
        if byday is not None and bymonthday is None:
            match = _BYDAY_RE.fullmatch(byday)
            if match is None or match["n"] is None or int(match["n"]) == 0:
                return None
            name = WEEKDAYS[_RULE_CODES.index(match["code"])].title()
            return f"{base} on the {_ordinal(int(match['n']))} {name}"
        if bymonthday is not None and byday is None:
            try:
                day = int(bymonthday)
            except ValueError:
                return None
            if day == -1:
                return f"{base} on the last day"
            if 1 <= day <= 31:
                return f"{base} on the {_ordinal(day)}"
        return None
    return None


def describe_rule(rrule: str) -> str:
    """Short human text for a rule: ``weekly on Tue``, ``every 2 weeks on Thu``,
    ``monthly on the 1st Thu``, ``monthly on the last Fri``, ``every 3 months``, ``daily``,
    ``weekdays``. Unusual rules (COUNT, UNTIL, BYMONTH...) fall back to the raw RRULE.
    """
    value = rrule.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    fields: dict[str, str] = {}
    for part in value.split(";"):
        key, sep, val = part.strip().partition("=")
        if not sep or key.upper() in fields:
            return value
        fields[key.upper()] = val.upper()
    described = _describe_parts(fields)
    return value if described is None else described


# --------------------------------------------------------------------------- expanding


def _local_rule(
    rrule: str, start: datetime.date, at: str | None, *, near: datetime.date | None = None
) -> RRule:
    """The rule built from naive local ``start`` at wall-clock ``at`` (00:00 when None).

    With ``near``, the rule may start later than ``start``, at an equivalent DTSTART on or
    before ``near`` (see :func:`aligned_start`): it gives the same occurrences from ``near``
    on without walking every period since ``start`` (an activity started years ago)."""
    value = to_rrule(rrule)
    clock = datetime.time(0, 0)
    if at is not None:
        hours, minutes = parse_time(at).split(":")
        clock = datetime.time(int(hours), int(minutes))
    if near is not None:
        start = aligned_start(value, start, near)
    return _build(value, datetime.datetime.combine(start, clock))


def aligned_start(value: str, start: datetime.date, near: datetime.date) -> datetime.date:
    """The latest DTSTART on or before ``near`` (and not before ``start``) that gives the rule
    ``value`` exactly the occurrences it has from ``start``, on and after that DTSTART.

    It moves ``start`` forward by whole periods (INTERVAL days, weeks, months or years), which
    keeps every alignment the rule takes from its start: the weekday, the day of the month,
    the month, the week an every-other-week rule counts from. Only occurrences before the new
    DTSTART (so before ``near``) are lost. These keep ``start``: a rule with COUNT or BYSETPOS
    (see below), and a day of the month some months lack (29–31 with no BYDAY/BYMONTHDAY, or
    Feb 29), which would be clipped."""
    if near <= start:
        return start
    parts = dict(p.split("=", 1) for p in value.split(";") if "=" in p)
    if "COUNT" in parts or "BYSETPOS" in parts:
        # COUNT counts from the first start; BYSETPOS picks within a first period that
        # dateutil cuts short at the start (a week from a Friday), so moving it moves the pick
        return start
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return start
    if interval < 1:
        return start
    freq = parts.get("FREQ")
    if freq == "DAILY":
        step = (near - start).days // interval * interval
        return start + datetime.timedelta(days=step)
    if freq == "WEEKLY":
        step = (near - start).days // (7 * interval) * 7 * interval
        return start + datetime.timedelta(days=step)
    explicit_day = any(k in parts for k in ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"))
    if start.day > 28 and not explicit_day:
        return start
    if freq == "MONTHLY":
        months = (near.year - start.year) * 12 + near.month - start.month
    elif freq == "YEARLY":
        if start.month == 2 and start.day == 29:
            return start
        months = (near.year - start.year) * 12
    else:
        return start
    unit = interval if freq == "MONTHLY" else 12 * interval
    steps = months // unit
    while steps > 0:
        moved = _add_months(start, steps * unit)
        if moved <= near:
            return moved
        steps -= 1
    return start


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months, to the same day of the month or the month's last."""
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def occurrences(
    rrule: str,
    *,
    start: datetime.date,
    at: str | None,
    tz: datetime.tzinfo,
    window_start: datetime.date,
    window_end: datetime.date,
    until: datetime.date | None = None,
    skip: Iterable[datetime.date] = (),
) -> list[datetime.datetime]:
    """Every occurrence whose local date is in ``[window_start, window_end]``, sorted.

    Only occurrences on or after ``start`` (the rule's DTSTART, so COUNT counts from it),
    on or before ``until`` and not on a date in ``skip`` are kept. Each is an aware
    datetime in ``tz`` at local wall-clock ``at`` (``"HH:MM"``); ``at=None`` means all-day
    and gives 00:00 local. The rule is expanded on naive local time and ``tz`` attached
    afterwards, so the wall-clock time is stable across DST changes (the UTC offset moves).
    A wall-clock time that does not exist on a spring-forward day is kept as typed
    (``fold=0``), which zoneinfo maps to the pre-change offset.

    ``rrule`` may be any form :func:`to_rrule` accepts.

    Raises:
        UsageError: when the rule or ``at`` cannot be read.
    """
    first = max(window_start, start)
    last = window_end if until is None else min(window_end, until)
    if first > last:
        return []
    rule = _local_rule(rrule, start, at, near=first)
    skipped = frozenset(skip)
    naive = rule.between(
        datetime.datetime.combine(first, datetime.time.min),
        datetime.datetime.combine(last, datetime.time.max),
        inc=True,
    )
    return [moment.replace(tzinfo=tz) for moment in naive if moment.date() not in skipped]


def next_occurrence(
    rrule: str,
    *,
    start: datetime.date,
    at: str | None,
    tz: datetime.tzinfo,
    after: datetime.date,
    until: datetime.date | None = None,
    skip: Iterable[datetime.date] = (),
) -> datetime.datetime | None:
    """The first occurrence whose local date is on or after ``after`` (see :func:`occurrences`).

    Returns ``None`` when the rule has no further occurrence (COUNT exhausted, past
    ``until``, or every remaining one skipped).
    """
    rule = _local_rule(rrule, start, at, near=max(after, start))
    skipped = frozenset(skip)
    cursor = datetime.datetime.combine(max(after, start), datetime.time.min)
    candidate = rule.after(cursor, inc=True)
    while candidate is not None:
        if until is not None and candidate.date() > until:
            return None
        if candidate.date() not in skipped:
            return candidate.replace(tzinfo=tz)
        candidate = rule.after(candidate, inc=False)
    return None


def nearest_occurrences(
    rrule: str,
    *,
    start: datetime.date,
    at: str | None,
    day: datetime.date,
    until: datetime.date | None = None,
) -> tuple[datetime.date | None, datetime.date | None, bool]:
    """The rule's last occurrence before ``day``, its first after, and whether it occurs on
    ``day`` itself (skipped dates count: they are still occurrences of the rule)."""
    rule = _local_rule(rrule, start, at)
    midnight = datetime.datetime.combine(day, datetime.time.min)
    before = rule.before(midnight, inc=False)
    hit = rule.after(midnight, inc=True)
    on_day = hit is not None and hit.date() == day and (until is None or day <= until)
    after = rule.after(datetime.datetime.combine(day, datetime.time.max), inc=False)
    if until is not None and after is not None and after.date() > until:
        after = None
    if until is not None and before is not None and before.date() > until:
        before = rule.before(datetime.datetime.combine(until, datetime.time.max), inc=True)
    return (before.date() if before else None, after.date() if after else None, on_day)
