"""Touchpoints from a calendar export (.ics from Outlook, Google Calendar or Apple Calendar).

Pure: :func:`read_events` (``interop.ics_reader``) turns the file into one :class:`CalEvent`
per occurrence in the window, reading one event at a time and expanding a series only over
that window; :func:`plan_import` decides, from the events and the data, what to log, which
planned activity occurrences to mark attended and what to skip, and why; :func:`apply_plan`
writes that into the month logs it is given. The CLI opens the file and saves the logs.

An entry made from an event keeps the event's key in ``uid``: the UID, plus
``;RECURRENCE-ID`` for one instance of a series. Importing the same file again, or a newer
export, finds the key and skips the event, so nothing is logged twice. The same meeting with
the same people on the same day (the same title) is one entry, however many events say so.
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
from hrtrust.domain.logbook import shared_dept
from hrtrust.domain.planning import Occurrence, activity_occurrences
from hrtrust.interop.ics_reader import (
    DEFAULT_DURATION,
    CalEvent,
    Person,
    ReadResult,
    Unread,
    read_events,
)
from hrtrust.models import (
    Activity,
    Config,
    Contact,
    Interaction,
    LogFile,
    entry_sort_key,
    highest_entry_number,
)

__all__ = ["CalEvent", "Person", "ReadResult", "Unread", "read_events"]

DEFAULT_KIND = "meeting"
OWN_UID = "@hrtrust"  # events from `hrtrust export ics` are plans, not meetings that happened
FUTURE_WINDOW = dt.timedelta(days=28)  # how far ahead future events are counted
EVENTS_LISTED = 1000  # past events listed one per line; a bigger import lists its first ones

Action = Literal["log", "attend", "merge", "skip"]
Meeting = tuple[dt.date, str, tuple[str, ...]]  # day, folded title, the people's ids sorted


@dataclass(frozen=True, slots=True)
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
    """Every past event's decision in time order, future events counted, strangers listed,
    and the events that could not be read."""

    decisions: list[Decision]
    future: int
    unmatched: dict[str, tuple[str | None, int]]  # folded e-mail -> (display name, events)
    me: str | None
    written: list[Interaction] = field(default_factory=list)
    unread: Sequence[Unread] = ()

    def count(self, action: Action) -> int:
        return sum(d.action == action for d in self.decisions)

    @property
    def changes(self) -> list[Decision]:
        return [d for d in self.decisions if d.action != "skip"]


# -- deciding --------------------------------------------------------------------------------


def guess_kind(title: str, config: Config) -> str:
    """The kind a title names: the longest kind name, label or alias found in it as whole
    words (``Coffee with Maria`` → coffee-chat, ``1:1 Maria / me`` → one-on-one), else
    ``meeting``. Kinds that are not touchpoints (newsletter, pulse survey) are never guessed."""
    return KindGuesser(config)(title)


class KindGuesser:
    """:func:`guess_kind` for one configuration: the phrases compiled once, and each title
    guessed once (a series repeats its title)."""

    def __init__(self, config: Config) -> None:
        table = {name: k for name, k in kinds(config).items() if k.touch}
        phrases: dict[str, str] = {}
        for name, k in table.items():
            for text in (name, name.replace("-", " "), k.label):
                phrases.setdefault(text.casefold(), name)
        for alias, name in ALIASES.items():
            if name in table:
                phrases.setdefault(alias, name)
                phrases.setdefault(alias.replace("-", " "), name)
        # Longest first; of equally long ones the first named, as a scan keeping the longest.
        ordered = sorted(phrases.items(), key=lambda item: -len(item[0]))
        self.patterns = [
            (re.compile(rf"(?<![\w]){re.escape(fold(phrase))}(?![\w])"), name)
            for phrase, name in ordered
        ]
        self.known: dict[str, str] = {}

    def __call__(self, title: str) -> str:
        found = self.known.get(title)
        if found is None:
            haystack = fold(title)
            found = next((n for p, n in self.patterns if p.search(haystack)), DEFAULT_KIND)
            self.known[title] = found
        return found


def plan_import(
    events: Sequence[CalEvent],
    *,
    contacts: Sequence[Contact],
    activities: Sequence[Activity],
    entries: Iterable[Interaction],
    config: Config,
    today: dt.date,
    me: str | None = None,
    future: int = 0,
    unread: Sequence[Unread] = (),
) -> ImportPlan:
    """What to do with each past event. ``entries`` are the log entries of the days the
    events cover (to find keys already imported, occurrences already logged and meetings
    already logged from another event), read once as they come."""
    by_email: dict[str, Contact] = {}
    for c in contacts:
        if c.email:
            by_email.setdefault(c.email.casefold(), c)
    imported: dict[str, str] = {}
    logged: dict[tuple[str, dt.date], str] = {}
    # A meeting is its day, its title (folded) and its people (sorted ids): the same meeting
    # logged, and the same meeting this import logs. One folded string per distinct title.
    folds: dict[str, str] = {}

    def meeting(day: dt.date, title: str, ids: Iterable[str]) -> Meeting:
        key = folds.get(title)
        if key is None:
            key = folds[title] = fold(title)
        return day, key, tuple(sorted(ids))

    meetings: dict[Meeting, str] = {}
    for e in entries:
        for key in e.uid:
            imported.setdefault(key, e.id)
        if e.activity:
            logged.setdefault((e.activity, e.date), e.id)
        if e.note:
            meetings.setdefault(meeting(e.date, e.note, e.with_), e.id)
    past = [e.day for e in events if e.day <= today]
    tz = ZoneInfo(config.timezone)
    occ: dict[dt.date, list[Occurrence]] = {}
    if past:
        for o in activity_occurrences(activities, tz, min(past), max(past)):
            occ.setdefault(o.day, []).append(o)
    mine = me.casefold() if me else None
    guess = KindGuesser(config)

    decisions: list[Decision] = []
    texts: dict[str, str] = {}  # one string for each reason (a file may repeat one 100,000 times)

    def skip(ev: CalEvent, why: str) -> None:
        decisions.append(Decision(ev, "skip", texts.setdefault(why, why)))

    unmatched: dict[str, tuple[str | None, int]] = {}
    claimed: dict[tuple[str, dt.date], str] = {}  # occurrences this import already marks
    seen: set[str] = set()
    same: dict[Meeting, CalEvent] = {}
    for ev in events:
        if ev.day > today:
            future += 1
            continue
        if ev.key.split(";")[0].endswith(OWN_UID):
            skip(ev, "exported by hrtrust (a plan, not a meeting)")
            continue
        if not ev.key:
            skip(ev, "no UID, so a re-import could not be told")
            continue
        if ev.key in seen:
            skip(ev, "the same event twice in the file")
            continue
        seen.add(ev.key)
        for p in ev.people:
            folded = p.email.casefold()
            if not p.resource and folded != mine and folded not in by_email:
                name, n = unmatched.get(folded, (p.name, 0))
                unmatched[folded] = (name or p.name, n + 1)
        present, declined = _contacts(ev, by_email, mine)
        if ev.key in imported:
            skip(ev, f"already imported ({imported[ev.key]})")
            # Its copies in the file (the same meeting under other UIDs) are copies still.
            same.setdefault(meeting(ev.day, ev.title, (c.id for c in present)), ev)
            continue
        if ev.status == "CANCELLED":
            skip(ev, "cancelled")
            continue
        if mine and any(p.email.casefold() == mine and p.partstat == "DECLINED" for p in ev.people):
            skip(ev, "you declined")
            continue
        if not present:
            why = "every contact invited declined" if declined else "no contact among the people"
            skip(ev, why)
            continue
        ids = tuple(c.id for c in present)
        this = meeting(ev.day, ev.title, ids)
        if this in meetings:
            skip(ev, f"the same meeting with the same people is already logged ({meetings[this]})")
            continue
        if this in same:
            skip(ev, f"the same meeting with the same people as {_when(same[this])}")
            continue
        same[this] = ev
        hit = _occurrence(ev, occ.get(ev.day, ()), present)
        if hit is None:
            decisions.append(
                Decision(
                    ev,
                    "log",
                    "a past meeting with a contact",
                    kind=guess(ev.title),
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
    return ImportPlan(decisions, future, unmatched, me, unread=unread)


def _contacts(
    ev: CalEvent, by_email: Mapping[str, Contact], mine: str | None
) -> tuple[list[Contact], list[Contact]]:
    """The contacts an event names (rooms and you left out): those there, those who
    declined."""
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
    return present, declined


def _occurrence(
    ev: CalEvent, same_day: Sequence[Occurrence], present: Sequence[Contact]
) -> Occurrence | None:
    """The planned occurrence (of those on the event's day) this event is: the same title, or
    overlapping times with someone there who belongs (invited to the activity, or in its
    department, or the activity names neither); a title match wins, then the earliest
    start."""
    title = fold(ev.title)
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


def apply_plan(
    plan: ImportPlan,
    log_for: Callable[[dt.date], LogFile],
    changed: Callable[[dt.date, LogFile], None] | None = None,
) -> list[Interaction]:
    """Write the plan into the month logs ``log_for(day)`` returns; the new entries, in
    order. A merge adds the event's key and any missing attendees to the existing entry.
    ``changed(first_of_month, log)`` is told once of each month the plan changed, after the
    changes (the caller saves those, and need not compare the others with what they were).

    Each month is numbered and sorted once, however many entries it gains (a day's next
    number is found once, then counted on), not once per entry. Entries logged by this import
    for an occurrence are merged into the same way: they are created first, then merges find
    them by the event key recorded in ``entry``.
    """
    made: dict[str, Interaction] = {}
    out: list[Interaction] = []
    by_month: dict[dt.date, list[Interaction]] = {}
    touched: dict[dt.date, LogFile] = {}  # the months changed, by their first day
    for d in plan.decisions:
        if d.action in ("log", "attend"):
            # Made from values already of their types; the month is validated whole when it
            # is written (every write is), so each entry is not validated twice.
            entry = Interaction.model_construct(
                id="new",
                date=d.event.day,
                kind=d.kind or DEFAULT_KIND,
                with_=list(d.with_),
                depts=[d.dept] if d.dept else [],
                activity=d.activity,
                note=d.event.title,
                uid=[d.event.key],
            )
            by_month.setdefault(d.event.day.replace(day=1), []).append(entry)
            made[d.event.key] = entry
            out.append(entry)
    for month, new in by_month.items():
        log = log_for(month)
        numbers: dict[dt.date, int] = {}
        for entry in new:
            day = entry.date
            if day not in numbers:
                numbers[day] = highest_entry_number(
                    (e.id for e in log.entry), day.isoformat(), log.issued
                )
            numbers[day] += 1
            entry.id = f"{day.isoformat()}.{numbers[day]}"
        log.entry.extend(new)
        log.entry.sort(key=entry_sort_key)
        touched[month] = log
    for d in plan.decisions:
        if d.action != "merge" or d.entry is None:
            continue
        target = made.get(d.entry)
        month = (target.date if target is not None else d.event.day).replace(day=1)
        log = touched[month] if month in touched else log_for(month)
        if target is None:
            target = next((e for e in log.entry if e.id == d.entry), None)
        if target is None:
            continue
        uid = target.uid if d.event.key in target.uid else [*target.uid, d.event.key]
        with_ = list(dict.fromkeys([*target.with_, *d.with_]))
        if uid != target.uid or with_ != target.with_:
            touched[month] = log
        target.uid = uid
        target.with_ = with_
    if changed is not None:
        for month in sorted(touched):
            changed(month, touched[month])
    plan.written = out
    return out


# -- the report ------------------------------------------------------------------------------


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


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
    for listed, d in enumerate(plan.decisions):
        if listed == EVENTS_LISTED:
            lines.append(
                f"  and {n - listed:,} more past events (--json lists every one; the counts "
                "above are of all of them)"
            )
            break
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
    if plan.unread:
        lines.append(
            f"Not read: {_n(len(plan.unread), 'event')} (fix them in your calendar, or log "
            "them by hand):"
        )
        for listed, u in enumerate(plan.unread):
            if listed == EVENTS_LISTED:
                lines.append(f"  and {len(plan.unread) - listed:,} more (--json lists every one)")
                break
            day = f"{u.day.isoformat()}  " if u.day else ""
            lines.append(f"  not read  {day}{u.title}: {u.reason}")
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
            "unreadable": len(plan.unread),
        },
        "events": rows,
        "unmatched": [
            {"email": email, "name": name, "events": count}
            for email, (name, count) in _strangers(plan)
        ],
        "unreadable": [
            {
                "uid": u.uid,
                "title": u.title,
                "date": u.day.isoformat() if u.day else None,
                "reason": u.reason,
            }
            for u in plan.unread
        ],
    }
