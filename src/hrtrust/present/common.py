"""Plain-text pieces every view shares (terminal, plain text, Markdown, HTML): how a date, a
time span, a promise's counterpart, a celebration and a count read. One definition each, in
the language of the run (English as it always read; Traditional Chinese the Taiwanese way:
``12月7日（一）``, ``12月7日 星期一``, ``2026年12月``, ``第50週``, ``14:30``, ``3天前``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from hrtrust.locale import ENGLISH, N_, _, language, ngettext
from hrtrust.locale.phrase import Phrase, phrase, said
from hrtrust.models import MIN_RESPONSES_FLOOR, Contact, Promise, lazy_re

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


# Markdown: what would start a mark inside a line, and a block at the start of one.
_MD_SPECIAL = lazy_re(r"([\\`*_\[\]<>|~])")


_MD_LINE_START = lazy_re(r"^(\s*)([#+=\-]|\d+[.)])")


def md(text: str) -> str:
    """Escape Markdown so names and promise texts show as typed: inline marks are escaped,
    line breaks become spaces (so no text starts a heading, rule or list of its own), a
    leading ``#``, ``-``, ``+``, ``=`` or ``1.`` is escaped, and controls are made visible."""
    text = _MD_SPECIAL.sub(r"\\\1", one_line(text))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def visible_all(texts: Iterable[str]) -> list[str]:
    return [visible(t) for t in texts]


# -- dates as people read them ------------------------------------------------------------------
# Chinese dates are written with numbers and these characters (not translated words): the
# weekday of 12月7日（一） and 12月7日 星期一.
_ZH_WEEKDAYS = "一二三四五六日"


def english() -> bool:
    """Whether the run speaks English (else the forms are Chinese)."""
    return language() == ENGLISH


def short_date(day: dt.date) -> str:
    """``Mon Nov 23`` (``11月23日（一）``): the date as people read it in a week's context."""
    if english():
        return f"{day:%a %b} {day.day}"
    return f"{day.month}月{day.day}日（{_ZH_WEEKDAYS[day.weekday()]}）"


def month_day(day: dt.date) -> str:
    """``Nov 23`` (``11月23日``): a date without its weekday (a due date in a table, a
    reminder's "paused until"). The one place this form is written."""
    if english():
        return f"{day:%b} {day.day}"
    return f"{day.month}月{day.day}日"


def long_date(day: dt.date) -> str:
    """``Tuesday Dec 1`` (``12月1日 星期二``): a day's title."""
    if english():
        return f"{day:%A %b} {day.day}"
    return f"{day.month}月{day.day}日 星期{_ZH_WEEKDAYS[day.weekday()]}"


def month_name(day: dt.date) -> str:
    """``December 2026`` (``2026年12月``): a month."""
    if english():
        return f"{day:%B %Y}"
    return f"{day.year}年{day.month}月"


def week_name(day: dt.date) -> str:
    """The ISO week ``day`` falls in, as a person reads it: ``2026-W50`` (``第50週``). Where a
    script reads it (--json, a command to type) it is always ``week_label``'s 2026-W50."""
    from hrtrust.domain.dates import week_label

    if english():
        return week_label(day)
    return f"第{day.isocalendar()[1]}週"


def clock(moment: dt.datetime | dt.time) -> str:
    """``14:30``: a time of day, 24-hour in both languages."""
    return f"{moment:%H:%M}"


def days_late(n: int) -> str:
    """``5d late`` (``逾期5天``)."""
    return _("{n}d late").format(n=n)


def span(o: Occurrence) -> str:
    """``10:00–11:00``, or ``all day``."""
    if o.all_day:
        return _("all day")
    end = o.end
    return clock(o.start) + (f"–{clock(end)}" if end else "")


def where(o: Occurrence) -> str:
    """An occurrence's department and location, comma-separated (may be empty); what the
    title or the place already says is not said twice ("Night shift handover (Wafer Fab)",
    "Taichung Office visit" at "Taichung Office")."""
    return ", ".join(where_parts(o))


def where_parts(o: Occurrence) -> list[str]:
    """The department and the location to name beside an occurrence's title, each only when
    the title (or, for the department, the place) does not already say it."""
    a = o.activity
    title = a.title.casefold()
    place = (a.location or "").casefold()
    dept = a.dept if a.dept and a.dept.casefold() not in title + " " + place else None
    location = a.location if a.location and place not in title else None
    return [x for x in (dept, location) if x]


def who(p: Promise, names: Mapping[str, str]) -> str:
    """The other side of a promise: the person's name, else the department, else ``?``."""
    person = names.get(p.person, p.person) if p.person else None
    return person or p.dept or "?"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 promise``, ``2 promises``; ``plural(2, "person", "people")``. English only: a text
    a person reads counts with ``ngettext("{n} promise", "{n} promises", n)``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def celebration_text(c: Celebration, on: dt.date | None = None) -> str:
    """``Maria Chen: birthday``; ``(on Sat Nov 28)`` when it falls on another day."""
    if c.what == "birthday":
        what = _("birthday")
    else:
        n = c.years or 0
        what = ngettext("{n} year at the company", "{n} years at the company", n).format(n=n)
    if on is not None and on != c.day:
        return _("{name}: {what} (on {day})").format(
            name=c.contact.name, what=what, day=short_date(c.day)
        )
    return _("{name}: {what}").format(name=c.contact.name, what=what)


def more_due_text(n: int) -> str:
    """The plan's line for the overdue people beyond the week's reach-out budget (the same
    people `overdue` lists after the ones planned)."""
    return _("{n} more overdue beyond this week's budget — see `hrtrust overdue`").format(n=n)


# -- the days of a plan ---------------------------------------------------------------------

# Shown with _(): ``_(MAKEUP_DAY)``.
ON_HOLIDAY = N_("falls on a public holiday — skip it?")
MAKEUP_DAY = N_("make-up working day: reach-outs can go here")
PAST_DAY = N_("past")


def holiday_text(name: str) -> str:
    """``Founding Day of the Republic of China — public holiday`` (the name as the holiday
    tables give it in the language of the run)."""
    return _("{name} — public holiday").format(name=said(name))


def skip_hint(o: Occurrence) -> str:
    """The command that skips an occurrence falling on a holiday."""
    return _("{question} (hrtrust activity skip {id} {day})").format(
        question=_(ON_HOLIDAY), id=o.activity.id, day=o.day.isoformat()
    )


def clash_text(k: Clash) -> str:
    """``Sales pipeline 10:00–10:45 overlaps Taichung Office visit 10:00–16:00``."""
    return _("{first} {first_time} overlaps {second} {second_time}").format(
        first=k.first.activity.title,
        first_time=span(k.first),
        second=k.second.activity.title,
        second_time=span(k.second),
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
    known = _MORE.get(what)
    if known is not None:
        return list(items[:limit]), ngettext(*known, more).format(n=more, where=where)
    return list(items[:limit]), f"and {plural(more, what, many)} — see `{where}`"


# The lines of first_of that are in the catalogue, by the word callers pass (another word is
# shown as given, in English).
_MORE: dict[str, tuple[str, str]] = {
    "more overlap": (
        N_("and {n} more overlap — see `{where}`"),
        N_("and {n} more overlaps — see `{where}`"),
    ),
    "more promise due": (
        N_("and {n} more promise due — see `{where}`"),
        N_("and {n} more promises due — see `{where}`"),
    ),
    "more celebration": (
        N_("and {n} more celebration — see `{where}`"),
        N_("and {n} more celebrations — see `{where}`"),
    ),
}


def shown_clashes(d: DayPlan, where: str) -> tuple[list[Clash], str | None]:
    """The day's first few overlaps, and the line saying how many more there are (None when
    they are all shown): a day of forty meetings should not print hundreds of pairs."""
    return first_of(d.clashes, CLASHES_SHOWN, where, "more overlap")


def planned_text(titles: Sequence[str]) -> str:
    """``this week: A, B, C and 4 more``: a department's activities this week."""
    shown = _(", ").join(titles[:PLANNED_SHOWN])
    more = len(titles) - PLANNED_SHOWN
    if more > 0:
        return _("this week: {titles} and {n} more").format(titles=shown, n=more)
    return _("this week: {titles}").format(titles=shown)


def day_title(d: DayPlan, today: dt.date) -> str:
    """``Tuesday Dec 1``, with ``(today)`` or ``(past)`` after it when it is."""
    title = long_date(d.day)
    if d.day == today:
        return _("{day} (today)").format(day=title)
    return _("{day} ({past})").format(day=title, past=_(PAST_DAY)) if d.past else title


def free_day(d: DayPlan) -> str:
    """What an empty day says: free on a working day to come, nothing on a holiday or past."""
    return "" if d.past or not d.workday else _("free for relationship work")


def participation_text(t: PulseTrend) -> str:
    """``32 of 40 answered (80%)``: how many of a department answered its latest survey."""
    return _("{answered} of {headcount} answered ({share})").format(
        answered=t.responses, headcount=t.headcount, share=f"{t.participation:.0%}"
    )


def fewer_than(min_responses: int) -> Phrase:
    """What is shown in place of a result from too small a group (English, what --json
    carries; said in the language of the run where a person reads it)."""
    return phrase(N_("fewer than {n} responses"), n=max(min_responses, MIN_RESPONSES_FLOOR))


def contact_status(contact: Contact, today: dt.date) -> str:
    """``archived``, ``paused until Mar 1`` (``Mar 1, 2027`` in another year) or ``""``
    (active), for listings."""
    if contact.archived is not None and contact.archived <= today:
        return _("archived")
    if contact.paused(today) and contact.paused_until is not None:
        until = contact.paused_until
        day = full_date(until) if until.year != today.year else month_day(until)
        return _("paused until {day}").format(day=day)
    return ""


def ago(day: dt.date | None, today: dt.date) -> str:
    """``today``, ``4d ago``, ``in 3d`` or ``never``."""
    if day is None:
        return _("never")
    delta = (day - today).days
    if delta == 0:
        return _("today")
    return _("in {n}d").format(n=delta) if delta > 0 else _("{n}d ago").format(n=-delta)


def when(day: dt.date | None, today: dt.date) -> str:
    """A short date with how far it is from today: ``Nov 20 (3d ago)``."""
    if day is None:
        return _("never")
    return _("{day} ({ago})").format(day=month_day(day), ago=ago(day, today))


# -- people, kinds, cadences ---------------------------------------------------------------------

# The tags hrtrust gives a meaning, as a person reads them (any other tag is shown as typed).
TAG_NAMES = {
    "ally": N_("ally"),
    "manager": N_("manager"),
    "new-hire": N_("new hire"),
    "influencer": N_("influencer"),
    "peer": N_("peer"),
}


def tag_text(tag: str) -> str:
    """A tag as a person reads it: ``ally`` (人資之友); in English the tag as typed."""
    if english() or tag not in TAG_NAMES:
        return tag
    return _(TAG_NAMES[tag])


def tags_text(tags: Iterable[str], separator: str = ", ") -> str:
    """``ally, manager`` (``人資之友、主管``)."""
    return (separator if english() else "、").join(tag_text(t) for t in tags)


def shifts_text(shifts: Iterable[tuple[str, int]]) -> str:
    """People by shift as the HRIS names them: ``日班 12, 夜班 3`` (``日班 12、夜班 3``)."""
    return (", " if english() else "、").join(f"{shift} {n}" for shift, n in shifts)


def display_name(name: str, english_name: str | None) -> str:
    """A name with the English name an HRIS gives beside it: ``劉家豪 (Jack Liu)``."""
    if not english_name or english_name == name:
        return name
    return _("{name} ({english_name})").format(name=name, english_name=english_name)


def kind_text(kind: str) -> str:
    """A kind of touchpoint as the plan names it: ``coffee chat`` (``咖啡聊天``); in English
    the kind's id with spaces, in Chinese a built-in kind's label (another kind: its id)."""
    if english():
        return kind.replace("-", " ")
    from hrtrust.domain.catalogue import label_for

    return label_for(kind)


def cadence_text(canonical: str) -> str:
    """``every 2 weeks`` (``每2週``): a cadence or a department's window, said."""
    from hrtrust.domain.dates import describe_cadence

    return said(describe_cadence(canonical))


def cadence_short(canonical: str) -> str:
    """A cadence in a narrow column: ``2w`` in English (as typed), ``每2週`` in Chinese."""
    return canonical if english() else cadence_text(canonical)


# -- the longer views' forms (reports, the brief, the health page, the handover) ----------------
# A whole date with its year, a month with or without its year, a span of days or weeks.


def full_date(day: dt.date) -> str:
    """``Nov 23, 2026`` (``2026年11月23日``): a date with its year, in running text."""
    if english():
        return f"{day:%b} {day.day}, {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def month_year(day: dt.date) -> str:
    """``Nov 2026`` (``2026年11月``)."""
    if english():
        return f"{day:%b %Y}"
    return f"{day.year}年{day.month}月"


def month_only(day: dt.date) -> str:
    """``Nov`` (``11月``): a month in a row of months whose year is said elsewhere."""
    if english():
        return f"{day:%b}"
    return f"{day.month}月"


def year_only(day: dt.date) -> str:
    """``2026`` (``2026年``): a year under its month."""
    return str(day.year) if english() else f"{day.year}年"


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
