"""Touchpoints from a calendar export (.ics from Outlook, Google Calendar or Apple Calendar).

Pure: :func:`read_events` turns the file's bytes into one :class:`CalEvent` per occurrence
(recurring series expanded by ``recurring-ical-events``, times moved to the configured time
zone); :func:`plan_import` decides, from the events and the data, what to log, which planned
activity occurrences to mark attended and what to skip, and why; :func:`apply_plan` writes
that into the month logs it is given. The CLI reads and saves the files.

An entry made from an event keeps the event's key in ``uid``: the UID, plus
``;RECURRENCE-ID`` for one instance of a series. Importing the same file again, or a newer
export, finds the key and skips the event, so nothing is logged twice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from hrtrust.domain.catalogue import ALIASES, kinds
from hrtrust.domain.contacts import fold
from hrtrust.domain.logbook import add_entry, shared_dept
from hrtrust.domain.planning import Occurrence, activity_occurrences
from hrtrust.errors import UsageError
from hrtrust.models import Activity, Config, Contact, Interaction, LogFile

DEFAULT_KIND = "meeting"
OWN_UID = "@hrtrust"  # events from `hrtrust export ics` are plans, not meetings that happened
FUTURE_WINDOW = dt.timedelta(days=28)  # how far ahead future events are counted
DEFAULT_DURATION = dt.timedelta(hours=1)
_CANCELLED_TITLE = re.compile(r"^\s*(cancel+ed|canceled)\s*:\s*", re.IGNORECASE)

Action = Literal["log", "attend", "merge", "skip"]


@dataclass(frozen=True)
class Person:
    """An attendee or organiser: address (as written), display name, reply."""

    email: str
    name: str | None
    partstat: str
    resource: bool = False


@dataclass(frozen=True)
class CalEvent:
    """One occurrence of a calendar event, its times in the configured time zone."""

    key: str  # UID, or "UID;RECURRENCE-ID" for an instance of a series
    title: str
    day: dt.date
    start: dt.datetime | None  # None for an all-day event
    end: dt.datetime | None
    status: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class Decision:
    """What happens to one event: logged, marks an occurrence attended, merged into the entry
    that already records that occurrence, or skipped (with the reason)."""

    event: CalEvent
    action: Action
    reason: str
    kind: str | None = None
    with_: tuple[str, ...] = ()  # contact ids
    activity: str | None = None
    dept: str | None = None
    entry: str | None = None  # the existing entry a merge goes into


@dataclass
class ImportPlan:
    """Every past event's decision in time order, future events counted, strangers listed."""

    decisions: list[Decision]
    future: int
    unmatched: dict[str, tuple[str | None, int]]  # folded e-mail -> (display name, events)
    me: str | None
    written: list[Interaction] = field(default_factory=list)

    def count(self, action: Action) -> int:
        return sum(d.action == action for d in self.decisions)

    @property
    def changes(self) -> list[Decision]:
        return [d for d in self.decisions if d.action != "skip"]


# -- reading the file ------------------------------------------------------------------------


def read_events(
    data: bytes, where: str, tz: ZoneInfo, first: dt.date | None, last: dt.date
) -> tuple[list[CalEvent], str | None]:
    """Every occurrence with a local day in [first, last] (``first``: the file's earliest
    event), in time order, and the calendar owner's address when the file says it (Google
    puts it in X-WR-CALNAME)."""
    import icalendar
    import recurring_ical_events  # type: ignore[import-untyped]

    try:
        cal = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise UsageError(
            f"{where}: not an iCalendar file ({exc})",
            hint="export the calendar as .ics (Outlook: Save Calendar; Google: Export)",
        ) from None
    if not isinstance(cal, icalendar.Calendar) or cal.name != "VCALENDAR":
        raise UsageError(f"{where}: not an iCalendar file (no VCALENDAR)")
    series = {
        str(c.get("UID"))
        for c in cal.walk("VEVENT")
        if c.get("RRULE") or c.get("RDATE") or c.get("RECURRENCE-ID")
    }
    owner = str(cal.get("X-WR-CALNAME", "")).strip()
    me = owner if "@" in owner and " " not in owner else None
    margin = dt.timedelta(days=1)
    if first is None:
        starts = [c.get("DTSTART").dt for c in cal.walk("VEVENT") if c.get("DTSTART")]
        days = [s.date() if isinstance(s, dt.datetime) else s for s in starts]
        first = min(days, default=last)
    try:
        found = recurring_ical_events.of(cal).between(first - margin, last + margin * 2)
    except Exception as exc:  # the library raises many kinds on malformed rules
        raise UsageError(f"{where}: cannot expand its events ({exc})") from None
    out: list[CalEvent] = []
    for ev in found:
        event = _event(ev, series, tz)
        if event is not None and first <= event.day <= last:
            out.append(event)
    out.sort(key=lambda e: (e.day, e.start is not None, e.start or dt.datetime.min, e.key))
    return out, me


def _event(ev: Any, series: set[str], tz: ZoneInfo) -> CalEvent | None:
    uid = str(ev.get("UID", "")).strip()
    start_prop = ev.get("DTSTART")
    if start_prop is None:
        return None
    raw_start = start_prop.dt
    end_prop = ev.get("DTEND")
    raw_end = end_prop.dt if end_prop is not None else None
    if raw_end is None and ev.get("DURATION") is not None:
        raw_end = raw_start + ev.get("DURATION").dt
    key = uid
    rid = ev.get("RECURRENCE-ID")
    if uid in series and rid is not None:
        key = f"{uid};{_stamp(rid.dt)}"
    title = str(ev.get("SUMMARY", "")).strip()
    status = str(ev.get("STATUS", "")).strip().upper()
    if _CANCELLED_TITLE.match(title):  # Outlook keeps "Canceled: ..." on the attendee's copy
        status = "CANCELLED"
        title = _CANCELLED_TITLE.sub("", title)
    start: dt.datetime | None
    end: dt.datetime | None
    if isinstance(raw_start, dt.datetime):
        start = _local(raw_start, tz)
        end = _local(raw_end, tz) if isinstance(raw_end, dt.datetime) else start + DEFAULT_DURATION
        day: dt.date = start.date()
    else:
        start = end = None
        day = raw_start
    return CalEvent(
        key=key or "",
        title=title or "(no title)",
        day=day,
        start=start,
        end=end,
        status=status,
        people=tuple(_people(ev)),
    )


def _local(when: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """An aware time in ``tz``; a floating (zone-less) time is read as local already."""
    return when.replace(tzinfo=tz) if when.tzinfo is None else when.astimezone(tz)


def _stamp(when: dt.date | dt.datetime) -> str:
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            return f"{when:%Y%m%dT%H%M%S}"
        return f"{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    return f"{when:%Y%m%d}"


def _people(ev: Any) -> Iterable[Person]:
    found = ev.get("ATTENDEE")
    values = found if isinstance(found, list) else [found] if found is not None else []
    organizer = ev.get("ORGANIZER")
    if organizer is not None:
        values = [*values, organizer]
    seen: set[str] = set()
    for value in values:
        address = _address(str(value))
        if not address or address.casefold() in seen:
            continue
        seen.add(address.casefold())
        params = getattr(value, "params", {})
        cutype = str(params.get("CUTYPE", "INDIVIDUAL")).upper()
        name = params.get("CN")
        yield Person(
            email=address,
            name=str(name).strip('"') if name else None,
            partstat=str(params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
            resource=cutype in ("ROOM", "RESOURCE"),
        )


def _address(value: str) -> str:
    text = value.strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:]
    return text.strip() if "@" in text else ""


# -- deciding --------------------------------------------------------------------------------


def guess_kind(title: str, config: Config) -> str:
    """The kind a title names: the longest kind name, label or alias found in it as whole
    words (``Coffee with Maria`` → coffee-chat, ``1:1 Maria / me`` → one-on-one), else
    ``meeting``. Kinds that are not touchpoints (newsletter, pulse survey) are never guessed."""
    table = {name: k for name, k in kinds(config).items() if k.touch}
    phrases: dict[str, str] = {}
    for name, k in table.items():
        for text in (name, name.replace("-", " "), k.label):
            phrases.setdefault(text.casefold(), name)
    for alias, name in ALIASES.items():
        if name in table:
            phrases.setdefault(alias, name)
            phrases.setdefault(alias.replace("-", " "), name)
    haystack = fold(title)
    best: tuple[int, str] | None = None
    for phrase, name in phrases.items():
        pattern = rf"(?<![\w]){re.escape(fold(phrase))}(?![\w])"
        if re.search(pattern, haystack) and (best is None or len(phrase) > best[0]):
            best = (len(phrase), name)
    return best[1] if best else DEFAULT_KIND


def plan_import(
    events: Sequence[CalEvent],
    *,
    contacts: Sequence[Contact],
    activities: Sequence[Activity],
    entries: Sequence[Interaction],
    config: Config,
    today: dt.date,
    me: str | None = None,
    future: int = 0,
) -> ImportPlan:
    """What to do with each past event. ``entries`` are the log entries of the days the
    events cover (to find keys already imported and occurrences already logged)."""
    by_email: dict[str, Contact] = {}
    for c in contacts:
        if c.email:
            by_email.setdefault(c.email.casefold(), c)
    imported = {key: e.id for e in entries for key in e.uid}
    logged = {(e.activity, e.date): e.id for e in entries if e.activity}
    days = sorted({e.day for e in events})
    tz = ZoneInfo(config.timezone)
    occ = activity_occurrences(activities, tz, days[0], days[-1]) if days else []
    mine = me.casefold() if me else None

    decisions: list[Decision] = []
    unmatched: dict[str, tuple[str | None, int]] = {}
    claimed: dict[tuple[str, dt.date], str] = {}  # occurrences this import already marks
    seen: set[str] = set()
    for ev in events:
        if ev.day > today:
            future += 1
            continue
        if ev.key.split(";")[0].endswith(OWN_UID):
            decisions.append(Decision(ev, "skip", "exported by hrtrust (a plan, not a meeting)"))
            continue
        if not ev.key:
            decisions.append(Decision(ev, "skip", "no UID, so a re-import could not be told"))
            continue
        if ev.key in seen:
            decisions.append(Decision(ev, "skip", "the same event twice in the file"))
            continue
        seen.add(ev.key)
        for p in ev.people:
            folded = p.email.casefold()
            if not p.resource and folded != mine and folded not in by_email:
                name, n = unmatched.get(folded, (p.name, 0))
                unmatched[folded] = (name or p.name, n + 1)
        if ev.key in imported:
            decisions.append(Decision(ev, "skip", f"already imported ({imported[ev.key]})"))
            continue
        if ev.status == "CANCELLED":
            decisions.append(Decision(ev, "skip", "cancelled"))
            continue
        if mine and any(p.email.casefold() == mine and p.partstat == "DECLINED" for p in ev.people):
            decisions.append(Decision(ev, "skip", "you declined"))
            continue
        present: list[Contact] = []
        declined: list[Contact] = []
        for p in ev.people:
            folded = p.email.casefold()
            if p.resource or folded == mine:
                continue
            found = by_email.get(folded)
            if found is None:
                continue
            if p.partstat == "DECLINED":
                declined.append(found)
            elif found not in present:
                present.append(found)
        if not present:
            why = "every contact invited declined" if declined else "no contact among the people"
            decisions.append(Decision(ev, "skip", why))
            continue
        ids = tuple(c.id for c in present)
        hit = _occurrence(ev, occ, present)
        if hit is None:
            decisions.append(
                Decision(
                    ev,
                    "log",
                    "a past meeting with a contact",
                    kind=guess_kind(ev.title, config),
                    with_=ids,
                    dept=shared_dept(present),
                )
            )
            continue
        a = hit.activity
        slot = (a.id, hit.day)
        existing = logged.get(slot) or claimed.get(slot)
        if existing is not None:
            why = (
                f"{a.title} on this day is already logged ({existing})"
                if slot in logged
                else f"{a.title} on this day is logged from another event in this file"
            )
            decisions.append(
                Decision(
                    ev,
                    "merge",
                    why,
                    kind=a.kind,
                    with_=ids,
                    activity=a.id,
                    entry=existing,
                )
            )
            continue
        claimed[slot] = ev.key
        decisions.append(
            Decision(
                ev,
                "attend",
                f"planned: {a.title} ({a.id})",
                kind=a.kind,
                with_=ids,
                activity=a.id,
                dept=a.dept or shared_dept(present),
            )
        )
    return ImportPlan(decisions, future, unmatched, me)


def _occurrence(
    ev: CalEvent, occ: Sequence[Occurrence], present: Sequence[Contact]
) -> Occurrence | None:
    """The planned occurrence this event is: same day, and the same title, or overlapping
    times with someone there who belongs (invited to the activity, or in its department,
    or the activity names neither); a title match wins, then the earliest start."""
    title = fold(ev.title)
    same_day = [o for o in occ if o.day == ev.day]
    titled = [o for o in same_day if fold(o.activity.title) == title]
    if titled:
        return titled[0]
    if ev.start is None or ev.end is None:
        return None
    for o in same_day:
        if o.all_day:
            continue
        end = o.end or o.start + DEFAULT_DURATION
        if not (o.start < ev.end and ev.start < end):
            continue
        a = o.activity
        if (not a.with_ and not a.dept) or any(
            c.id in a.with_ or (a.dept and c.dept == a.dept) for c in present
        ):
            return o
    return None


# -- writing ---------------------------------------------------------------------------------


def months(plan: ImportPlan) -> list[dt.date]:
    """The first day of each month whose log the plan changes."""
    return sorted({d.event.day.replace(day=1) for d in plan.changes})


def apply_plan(plan: ImportPlan, log_for: Callable[[dt.date], LogFile]) -> list[Interaction]:
    """Write the plan into the month logs ``log_for(day)`` returns; the new entries, in
    order. A merge adds the event's key and any missing attendees to the existing entry.

    Entries logged by this import for an occurrence are merged into the same way: they are
    created first, then merges find them by the event key recorded in ``entry``.
    """
    made: dict[str, Interaction] = {}
    out: list[Interaction] = []
    for d in plan.decisions:
        if d.action in ("log", "attend"):
            entry = Interaction(
                id="new",
                date=d.event.day,
                kind=d.kind or DEFAULT_KIND,
                with_=list(d.with_),
                depts=[d.dept] if d.dept else [],
                activity=d.activity,
                note=d.event.title,
                uid=[d.event.key],
            )
            add_entry(log_for(d.event.day), entry)
            made[d.event.key] = entry
            out.append(entry)
    for d in plan.decisions:
        if d.action != "merge" or d.entry is None:
            continue
        target = made.get(d.entry)
        if target is None:
            log = log_for(d.event.day)
            target = next((e for e in log.entry if e.id == d.entry), None)
        if target is None:
            continue
        if d.event.key not in target.uid:
            target.uid = [*target.uid, d.event.key]
        target.with_ = list(dict.fromkeys([*target.with_, *d.with_]))
    plan.written = out
    return out


# -- the report ------------------------------------------------------------------------------


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


_VERB = {"log": "log", "attend": "attended", "merge": "merge", "skip": "skip"}


def _when(ev: CalEvent) -> str:
    day = f"{ev.day:%a} {ev.day:%b} {ev.day.day}"
    return f"{day} {ev.start:%H:%M}" if ev.start else f"{day} (all day)"


def report_lines(
    plan: ImportPlan, where: str, names: Mapping[str, str], *, dry_run: bool
) -> list[str]:
    """The plan as lines: a summary, one line per past event, strangers, what was written."""
    n = len(plan.decisions)
    lines = [
        f"{where}: {_n(n, 'past event')}: {plan.count('log')} to log, "
        f"{_n(plan.count('attend'), 'planned occurrence')} to mark attended, "
        f"{plan.count('merge')} already logged, {plan.count('skip')} skipped."
    ]
    ids = iter(plan.written)
    for d in plan.decisions:
        ev = d.event
        who = ", ".join(names.get(i, i) for i in d.with_)
        if d.action == "skip":
            lines.append(f"  skip      {_when(ev)}  {ev.title}: {d.reason}")
        elif d.action == "merge":
            lines.append(f"  merge     {_when(ev)}  {ev.title} with {who}: {d.reason}")
        else:
            made = f" ({next(ids).id})" if plan.written else ""
            verb = "log" if d.action == "log" else "attended"
            what = f"{d.kind} with {who}"
            extra = f"; {d.reason}" if d.action == "attend" else ""
            lines.append(f"  {verb:<9} {_when(ev)}  {ev.title}: {what}{extra}{made}")
    if plan.future:
        lines.append(
            f"Not logged: {_n(plan.future, 'future event')} (the next {FUTURE_WINDOW.days} days)."
        )
    if plan.unmatched:
        total = len(plan.unmatched)
        lines.append(
            f"{_n(total, 'attendee')} {'matches' if total == 1 else 'match'} no contact "
            "(add the ones you work with: hrtrust contact add NAME --email ADDRESS):"
        )
        for email, (name, count) in _strangers(plan):
            label = f"{name} <{email}>" if name else email
            lines.append(f"  {label}: {_n(count, 'event')}")
    if dry_run:
        lines.append("Dry run: nothing was written.")
    elif plan.changes:
        months_changed = ", ".join(f"log/{m:%Y-%m}.toml" for m in months(plan))
        lines.append(
            f"Saved {months_changed} ({plan.count('log') + plan.count('attend')} new "
            f"entries, {plan.count('merge')} merged)."
        )
    else:
        lines.append("Nothing to log.")
    return lines


def _strangers(plan: ImportPlan) -> list[tuple[str, tuple[str | None, int]]]:
    return sorted(plan.unmatched.items(), key=lambda kv: (-kv[1][1], kv[0]))


def report_json(plan: ImportPlan, where: str, *, dry_run: bool) -> dict[str, Any]:
    """The plan for scripts."""
    made = iter(plan.written)
    rows = []
    for d in plan.decisions:
        ev = d.event
        rows.append(
            {
                "uid": ev.key,
                "date": ev.day.isoformat(),
                "start": ev.start.isoformat() if ev.start else None,
                "title": ev.title,
                "action": {"attend": "mark-attended"}.get(d.action, d.action),
                "reason": d.reason,
                "kind": d.kind,
                "with": list(d.with_),
                "activity": d.activity,
                "entry": d.entry
                if d.action == "merge"
                else (next(made).id if plan.written and d.action in ("log", "attend") else None),
            }
        )
    return {
        "file": where,
        "dry_run": dry_run,
        "counts": {
            "logged": plan.count("log"),
            "marked_attended": plan.count("attend"),
            "merged": plan.count("merge"),
            "skipped": plan.count("skip"),
            "future": plan.future,
        },
        "events": rows,
        "unmatched": [
            {"email": email, "name": name, "events": count}
            for email, (name, count) in _strangers(plan)
        ],
    }
