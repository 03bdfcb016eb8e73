"""The plan as an RFC 5545 calendar: activities as recurring events, to-dos for the rest.

Each activity is ONE VEVENT with its RRULE, a DTSTART in the configured time zone (with a
VTIMEZONE), its DURATION, LOCATION, ATTENDEEs and an EXDATE per skipped date; an activity
without a time is an all-day event. Birthdays and work anniversaries are yearly all-day
VEVENTs. The week's reach-out suggestions and the promises are VTODOs with a DUE date; an
open promise rings (VALARM) on the morning of its due day (``promise_alarm`` in the config).
UIDs come from ids (``activity-a3@hrtrust``, ``promise-p7@hrtrust``, ``birthday-c12@hrtrust``,
``reach-c12@hrtrust``: one per person while the suggestion stays open, whatever the week) so
importing a newer export updates instead of duplicating, and DTSTAMP is ``today`` at 00:00
UTC, so the same data on the same day gives the same bytes. The VTIMEZONE carries no COMMENT
(libical rejects one there).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Todo, vCalAddress, vRecur

from hrtrust import __version__
from hrtrust.domain.catalogue import kinds
from hrtrust.domain.contacts import EMAIL, number_key
from hrtrust.domain.planning import WeekPlan
from hrtrust.domain.recurrence import describe_rule, next_occurrence, occurrences, to_rrule
from hrtrust.models import Activity, Config, Contact, Promise
from hrtrust.present.reasons import hook_texts, reason_text

DOMAIN = "hrtrust"
MAX_WEEKS = 52
# Closed promises stay in the export this long, so re-importing marks them done in the calendar.
CLOSED_KEPT = dt.timedelta(days=28)
_UTC = dt.UTC
# RFC 5545 TEXT allows no control character but tab; a line break is written escaped (\n).
# DEL and the C1 controls (a terminal reads 0x9b as ESC [) go too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def safe_text(value: str) -> str:
    """``value`` as an RFC 5545 TEXT value may hold it: control characters dropped, tab and
    line breaks kept (a lone CR is a line break, which the writer escapes as ``\\n``)."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def build_calendar(
    *,
    config: Config,
    contacts: Sequence[Contact],
    activities: Sequence[Activity],
    promises: Sequence[Promise],
    plans: Sequence[WeekPlan],
    today: dt.date,
    private: bool = False,
) -> Calendar:
    """Activities as VEVENTs, then promises and reach-out suggestions as VTODOs."""
    tz = ZoneInfo(config.timezone)
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=_UTC)
    people = {c.id: c for c in contacts}
    labels = {name: k.label for name, k in kinds(config).items()}

    cal = Calendar()
    cal.add("prodid", f"-//{DOMAIN}//{DOMAIN} {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "hrtrust: relationship work")

    first_day = today
    for a in sorted(activities, key=lambda a: number_key(a.id)):
        event = activity_event(a, tz, people, labels, private=private)
        if event is None:
            continue
        event.add("dtstamp", stamp)
        cal.add_component(event)
        first_day = min(first_day, a.start)

    for c in sorted(contacts, key=lambda c: number_key(c.id)):
        if c.archived is not None:
            continue
        for event in celebration_events(c):
            event.add("dtstamp", stamp)
            cal.add_component(event)

    alarm = parse_alarm(config.promise_alarm)
    since = (plans[0].monday if plans else today) - CLOSED_KEPT
    shown = [p for p in promises if p.status == "open" or (p.closed and p.closed >= since)]
    for p in sorted(shown, key=lambda p: number_key(p.id)):
        todo = promise_todo(p, people)
        todo.add("dtstamp", stamp)
        if alarm is not None and p.status == "open":
            todo.add_component(promise_alarm(p, alarm, tz))
        cal.add_component(todo)

    suggested: set[str] = set()
    for plan in plans:
        for r in plan.reach:
            cid = r.lapse.contact.id
            if cid in suggested:  # suggested in an earlier week: assume that one happens
                continue
            suggested.add(cid)
            todo = Todo()
            # One UID per person, not per week: next week's export updates this to-do.
            todo.add("uid", f"reach-{cid}@{DOMAIN}")
            todo.add("dtstamp", stamp)
            kind = labels.get(r.kind, r.kind)
            todo.add("summary", safe_text(f"{kind} with {r.lapse.contact.name}"))
            todo.add("due", r.day or (plan.days[-1].day if plan.days else plan.monday))
            lines = [f"Reach out: {reason_text(r.reason, english=True)}."]
            lines += hook_texts(r.hooks, private=private, english=True)
            todo.add("description", safe_text("\n".join(lines)))
            todo.add("categories", ["reach-out"])
            todo.add("status", "NEEDS-ACTION")
            cal.add_component(todo)

    # Enough VTIMEZONE to cover the oldest activity and ten years ahead (the calendar's end at
    # the latest: `--today 9997-12-20` is a day hrtrust takes).
    last_year = min(max(today.year, first_day.year) + 10, dt.MAXYEAR)
    cal.add_missing_timezones(dt.date(first_day.year, 1, 1), dt.date(last_year, 1, 1))
    for zone in cal.walk("VTIMEZONE"):
        zone.pop("COMMENT", None)  # icalendar notes the range covered; libical rejects it
    return cal


def parse_alarm(text: str) -> dt.time | None:
    """``promise_alarm`` from the config (validated there): ``HH:MM``, or ``off``."""
    return None if text.strip().lower() == "off" else dt.time.fromisoformat(text.strip())


def promise_alarm(p: Promise, at: dt.time, tz: ZoneInfo) -> Alarm:
    """A reminder at ``at`` local time on the due day (an absolute UTC trigger)."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", safe_text(f"Due today: {p.text}"))
    when = dt.datetime.combine(p.due, at, tzinfo=tz).astimezone(_UTC)
    # RFC 5545 3.8.6.3: an absolute trigger says VALUE=DATE-TIME (libical drops the alarm
    # without it, and strict readers refuse the file)
    alarm.add("trigger", when, parameters={"VALUE": "DATE-TIME"})
    return alarm


def _yearly(month: int, day: int) -> vRecur:
    """Every year on this day; 29 February falls on the last day of February."""
    if (month, day) == (2, 29):
        return vRecur({"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1})
    return vRecur({"FREQ": "YEARLY"})


def celebration_events(c: Contact) -> list[Event]:
    """A yearly all-day event for the birthday (no year: none is stored) and for the work
    anniversary (from the first one), each with a UID that stays the person's."""
    out = []
    if c.birthday:
        month, day = int(c.birthday[:2]), int(c.birthday[3:])
        event = Event()
        event.add("uid", f"birthday-{c.id}@{DOMAIN}")
        event.add("summary", safe_text(f"Birthday: {c.name}"))
        start = dt.date(2000, month, day)  # a leap year, so 02-29 is a real first day
        event.add("dtstart", start)
        event.add("duration", dt.timedelta(days=1))
        event.add("rrule", _yearly(month, day))
        event.add("transp", "TRANSPARENT")
        event.add("categories", ["birthday"])
        out.append(event)
    if c.hired:
        h = c.hired
        first = (
            h.replace(year=h.year + 1)
            if (h.month, h.day) != (2, 29)
            else dt.date(h.year + 1, 2, 28)
        )
        event = Event()
        event.add("uid", f"anniversary-{c.id}@{DOMAIN}")
        event.add("summary", safe_text(f"Work anniversary: {c.name}"))
        event.add("dtstart", first)
        event.add("duration", dt.timedelta(days=1))
        event.add("rrule", _yearly(h.month, h.day))
        event.add("transp", "TRANSPARENT")
        event.add("description", f"Hired {h:%b} {h.day}, {h.year}.")
        event.add("categories", ["anniversary"])
        out.append(event)
    return out


def activity_event(
    a: Activity,
    tz: ZoneInfo,
    people: Mapping[str, Contact],
    labels: Mapping[str, str],
    *,
    private: bool = False,
) -> Event | None:
    """One VEVENT for every occurrence of ``a`` (None when the rule never occurs)."""
    rule = to_rrule(a.rule)
    # DTSTART is always an occurrence in RFC 5545, so it must be the first real one.
    first = next_occurrence(rule, start=a.start, at=a.at, tz=tz, after=a.start, until=a.until)
    if first is None:
        return None
    event = Event()
    event.add("uid", f"activity-{a.id}@{DOMAIN}")
    event.add("summary", safe_text(a.title))
    if a.at is None:
        event.add("dtstart", first.date())
        event.add("duration", dt.timedelta(days=1))
    else:
        event.add("dtstart", first)
        if a.duration:
            event.add("duration", dt.timedelta(minutes=a.duration))
    event.add("rrule", vRecur.from_ical(_bounded_rule(a, rule, tz)))
    skipped = sorted(d for d in a.skip if d >= first.date())
    if skipped:
        if a.at is None:
            event.add("exdate", skipped)
        else:
            event.add("exdate", [dt.datetime.combine(d, first.time(), tzinfo=tz) for d in skipped])
    if a.location:
        event.add("location", safe_text(a.location))
    kind = labels.get(a.kind, a.kind)
    event.add("categories", [safe_text(kind)])
    lines = [f"{kind}, {describe_rule(rule)}" + (f", {a.dept}" if a.dept else "") + "."]
    names = [people[w].name if w in people else w for w in a.with_]
    if names:
        lines.append("With: " + ", ".join(names) + ".")
    if private and a.notes:
        lines.append(a.notes)
    event.add("description", safe_text("\n".join(lines)))
    for w in a.with_:
        c = people.get(w)
        # An address hand-edited into something else (a line break) is left out, not fatal;
        # `hrtrust doctor` names it.
        if c is not None and c.email and EMAIL.fullmatch(c.email):
            who = vCalAddress(f"mailto:{c.email}")
            who.params["CN"] = safe_text(c.name)
            who.params["ROLE"] = "REQ-PARTICIPANT"
            event.add("attendee", who)
    return event


def _bounded_rule(a: Activity, rule: str, tz: ZoneInfo) -> str:
    """The RRULE value with the activity's end date folded in as an RFC 5545 UNTIL.

    UNTIL must be UTC when DTSTART has a time zone and a DATE for all-day events; a rule's
    own UNTIL is local wall-clock time (as hrtrust expands it), and ``--until`` is a whole
    local day. COUNT and UNTIL may not both appear, so COUNT with --until becomes the UNTIL
    of the last occurrence.
    """
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    limits: list[dt.datetime] = []
    if "UNTIL" in parts:
        raw = parts["UNTIL"]
        fmt = "%Y%m%dT%H%M%S" if "T" in raw else "%Y%m%d"
        limits.append(dt.datetime.strptime(raw.rstrip("Z"), fmt))
    if a.until is not None:
        limits.append(dt.datetime.combine(a.until, dt.time(23, 59, 59)))
    if not limits:
        return rule
    limit = min(limits)
    if "COUNT" in parts:
        found = occurrences(
            rule,
            start=a.start,
            at=a.at,
            tz=tz,
            window_start=a.start,
            window_end=limit.date(),
            until=a.until,
        )
        del parts["COUNT"]
        if found:
            limit = found[-1].replace(tzinfo=None)
    if a.at is None:
        parts["UNTIL"] = f"{limit:%Y%m%d}"
    else:
        parts["UNTIL"] = f"{limit.replace(tzinfo=tz).astimezone(_UTC):%Y%m%dT%H%M%SZ}"
    return ";".join(f"{k}={v}" for k, v in parts.items())


def promise_todo(p: Promise, people: Mapping[str, Contact]) -> Todo:
    """A promise as a VTODO due on its (renegotiated) due date."""
    who = people[p.person].name if p.person and p.person in people else (p.dept or p.person or "")
    todo = Todo()
    todo.add("uid", f"promise-{p.id}@{DOMAIN}")
    verb = "Promised" if p.direction == "owe" else "Waiting for"
    todo.add("summary", safe_text(f"{verb} {who}: {p.text}" if who else f"{verb}: {p.text}"))
    todo.add("due", p.due)
    lines = [f"Made {p.made:%b} {p.made.day}, {p.made.year} ({p.id})."]
    if p.deferrals:
        first = p.original_due
        times = "once" if len(p.deferrals) == 1 else f"{len(p.deferrals)} times"
        lines.append(f"Renegotiated {times}; first due {first:%b} {first.day}.")
    todo.add("description", safe_text("\n".join(lines)))
    todo.add("categories", ["promise"])
    if p.status == "open":
        todo.add("status", "NEEDS-ACTION")
    elif p.status == "done":
        todo.add("status", "COMPLETED")
        if p.closed:
            todo.add("completed", dt.datetime.combine(p.closed, dt.time(0, 0), tzinfo=_UTC))
    else:
        todo.add("status", "CANCELLED")
    return todo
