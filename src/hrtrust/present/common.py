"""Plain-text pieces every view shares (terminal, plain text, Markdown, HTML): how a date, a
time span, a promise's counterpart, a celebration and a count read. One definition each."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from hrtrust.models import Promise, lazy_re

T = TypeVar("T")

if TYPE_CHECKING:
    from hrtrust.domain.planning import Celebration, Clash, DayPlan, Occurrence, WeekPlan
    from hrtrust.domain.reports import PulseTrend

# What must never reach a terminal raw: C0 controls but tab and newline (ESC starts every
# escape sequence: title change, screen clear, OSC 52 clipboard writes), DEL, C1 controls
# (0x9b is a one-byte CSI), and the bidirectional overrides that reorder what is shown.
_CONTROL = lazy_re("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), so a name or a
    note can never drive the terminal. Every text view goes through this (present.output.say,
    the Rich console of present.terminal, the plain-text digest, error messages)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_shown, text)


def _shown(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# What JSON may carry raw but a terminal still acts on: json.dumps escapes the C0 controls
# (ESC included) itself, but with ensure_ascii=False it leaves DEL, the C1 controls (0x9b is a
# one-byte CSI) and the bidirectional overrides as they are.
_JSON_RAW = lazy_re("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every character a
    terminal would act on written as a ``\\u`` escape: the same JSON value, CJK still
    readable, and nothing in it can drive a terminal when it is printed."""
    if not _JSON_RAW.search(text):
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """``text`` on one line: line breaks become spaces, other controls are made visible."""
    return visible(" ".join(text.splitlines()))


def visible_all(texts: Iterable[str]) -> list[str]:
    return [visible(t) for t in texts]


def short_date(day: dt.date) -> str:
    """``Mon Nov 23``: the date as people read it in a week's context."""
    return f"{day:%a %b} {day.day}"


def span(o: Occurrence) -> str:
    """``10:00–11:00``, or ``all day``."""
    if o.all_day:
        return "all day"
    end = o.end
    return f"{o.start:%H:%M}" + (f"–{end:%H:%M}" if end else "")


def where(o: Occurrence) -> str:
    """An occurrence's department and location, comma-separated (may be empty)."""
    return ", ".join(x for x in (o.activity.dept, o.activity.location) if x)


def who(p: Promise, names: Mapping[str, str]) -> str:
    """The other side of a promise: the person's name, else the department, else ``?``."""
    person = names.get(p.person, p.person) if p.person else None
    return person or p.dept or "?"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 promise``, ``2 promises``; ``plural(2, "person", "people")``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def celebration_text(c: Celebration, on: dt.date | None = None) -> str:
    """``Maria Chen: birthday``; ``(on Sat Nov 28)`` when it falls on another day."""
    if c.what == "birthday":
        what = "birthday"
    else:
        what = f"{plural(c.years or 0, 'year')} at the company"
    when = f" (on {short_date(c.day)})" if on is not None and on != c.day else ""
    return f"{c.contact.name}: {what}{when}"


def more_due_text(n: int) -> str:
    """The plan's line for the overdue people beyond the week's reach-out budget (the same
    people `overdue` lists after the ones planned)."""
    return f"{n} more overdue beyond this week's budget — see `hrtrust overdue`"


# -- the days of a plan ---------------------------------------------------------------------

ON_HOLIDAY = "falls on a public holiday — skip it?"
MAKEUP_DAY = "make-up working day: reach-outs can go here"
PAST_DAY = "past"


def holiday_text(name: str) -> str:
    """``Founding Day of the Republic of China — public holiday``."""
    return f"{name} — public holiday"


def skip_hint(o: Occurrence) -> str:
    """The command that skips an occurrence falling on a holiday."""
    return f"{ON_HOLIDAY} (hrtrust activity skip {o.activity.id} {o.day.isoformat()})"


def clash_text(k: Clash) -> str:
    """``Sales pipeline 10:00–10:45 overlaps Taichung Office visit 10:00–16:00``."""
    return (
        f"{k.first.activity.title} {span(k.first)} overlaps "
        f"{k.second.activity.title} {span(k.second)}"
    )


CLASHES_SHOWN = 5  # overlaps listed per day in text; --json lists every one
OVERDUE_SHOWN = 10  # late promises listed in the plan and the digest; `overdue` shows more
PLANNED_SHOWN = 3  # a department's activities named in its coverage line
DUE_SHOWN = 8  # promises due listed per day in text; --json lists every one
CELEBRATIONS_SHOWN = 8  # birthdays and anniversaries listed per day (the digest: per week)


def week_json(plan: WeekPlan) -> str:
    """The command that lists everything in ``plan``: this week's, or the week it is for."""
    from hrtrust.domain.dates import week_monday

    if plan.monday == week_monday(plan.today):
        return "hrtrust plan week --json"
    return f"hrtrust plan week --week {plan.label} --json"


def first_of(
    items: Sequence[T], limit: int, where: str, what: str, many: str | None = None
) -> tuple[list[T], str | None]:
    """The first ``limit`` items, and the line saying how many more there are and the
    command ``where`` that lists them all (None when all are shown)."""
    if len(items) <= limit:
        return list(items), None
    more = len(items) - limit
    return list(items[:limit]), f"and {plural(more, what, many)} — see `{where}`"


def shown_clashes(d: DayPlan, where: str) -> tuple[list[Clash], str | None]:
    """The day's first few overlaps, and the line saying how many more there are (None when
    they are all shown): a day of forty meetings should not print hundreds of pairs."""
    return first_of(d.clashes, CLASHES_SHOWN, where, "more overlap")


def planned_text(titles: Sequence[str]) -> str:
    """``this week: A, B, C and 4 more``: a department's activities this week."""
    shown = ", ".join(titles[:PLANNED_SHOWN])
    more = len(titles) - PLANNED_SHOWN
    return f"this week: {shown}" + (f" and {more} more" if more > 0 else "")


def day_title(d: DayPlan, today: dt.date) -> str:
    """``Tuesday Dec 1``, with ``(today)`` or ``(past)`` after it when it is."""
    title = f"{d.day:%A %b} {d.day.day}"
    if d.day == today:
        return f"{title} (today)"
    return f"{title} ({PAST_DAY})" if d.past else title


def free_day(d: DayPlan) -> str:
    """What an empty day says: free on a working day to come, nothing on a holiday or past."""
    return "" if d.past or not d.workday else "free for relationship work"


def participation_text(t: PulseTrend) -> str:
    """``32 of 40 answered (80%)``: how many of a department answered its latest survey."""
    return f"{t.responses} of {t.headcount} answered ({t.participation:.0%})"


def ago(day: dt.date | None, today: dt.date) -> str:
    """``today``, ``4d ago``, ``in 3d`` or ``never``."""
    if day is None:
        return "never"
    delta = (day - today).days
    return "today" if delta == 0 else (f"in {delta}d" if delta > 0 else f"{-delta}d ago")


def when(day: dt.date | None, today: dt.date) -> str:
    """A short date with how far it is from today: ``Nov 20 (3d ago)``."""
    return "never" if day is None else f"{day:%b} {day.day} ({ago(day, today)})"
