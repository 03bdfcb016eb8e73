"""The pre-meeting brief: everything worth knowing about one person before meeting them.

A pure function of (data, today); `cli/load.py` reads what it needs (the last few entries only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from hrtrust.domain.contacts import cadence_of, number_key
from hrtrust.domain.inherited import Inherited, inherited
from hrtrust.domain.planning import Celebration, activity_occurrences, celebrations, next_due
from hrtrust.domain.promises import as_of
from hrtrust.models import Activity, Config, Contact, Fact, Feedback, Interaction, Promise

UPCOMING_DAYS = 28  # "the next 4 weeks": today and the 27 days after it
RECENT = 3  # touchpoints shown


@dataclass(frozen=True)
class Upcoming:
    """A shared activity in the coming weeks: its next occurrence and how many there are."""

    activity: Activity
    start: dt.datetime
    all_day: bool
    count: int


@dataclass(frozen=True)
class Brief:
    """One person, as the HR partner wants them in mind before a meeting."""

    today: dt.date
    contact: Contact
    cadence: str
    tenure: tuple[int, int] | None  # (years, months) since hired; None: no hire date (or future)
    last: dt.date | None
    last_kind: str | None
    days_since: int | None
    due_in: int | None  # days until the cadence lapses; negative: that many days overdue
    facts: tuple[Fact, ...]  # private: newest first
    recent: tuple[Interaction, ...]  # newest first
    owe: tuple[Promise, ...]  # open, I owe them, by due date
    waiting: tuple[Promise, ...]  # open, they owe me, by due date
    upcoming: tuple[Upcoming, ...]
    celebrations: tuple[Celebration, ...]
    feedback: tuple[Feedback, ...]  # their open feedback, oldest first
    # touches handed over by a previous HR partner: shown, never counted as your own
    before: tuple[Inherited, ...] = ()


def tenure(hired: dt.date | None, today: dt.date) -> tuple[int, int] | None:
    """Whole years and months from ``hired`` to ``today``; None without a date or before it."""
    if hired is None or hired > today:
        return None
    delta = relativedelta(today, hired)
    return delta.years, delta.months


def make_brief(
    contact: Contact,
    *,
    config: Config,
    activities: Sequence[Activity],
    promises: Sequence[Promise],
    feedback: Sequence[Feedback],
    recent: Sequence[Interaction],
    today: dt.date,
) -> Brief:
    """The brief for ``contact``; ``recent`` is their last few log entries, newest first."""
    cadence = cadence_of(contact, config)
    recent = [e for e in recent if e.date <= today]
    last = recent[0].date if recent else None
    # When they are next due, as the plan has it (a pause moves it, like every other view).
    due_in = (next_due(contact, cadence, last, today) - today).days if last else None
    then = (as_of(p, today) for p in promises if p.person == contact.id)
    mine = sorted(
        (p for p in then if p is not None and p.status == "open"),
        key=lambda p: (p.due, number_key(p.id)),
    )
    shared = [
        a
        for a in activities
        if contact.id in a.with_ or (a.dept is not None and a.dept == contact.dept)
    ]
    end = today + dt.timedelta(days=UPCOMING_DAYS - 1)
    occ = activity_occurrences(shared, ZoneInfo(config.timezone), today, end)
    upcoming: dict[str, Upcoming] = {}
    for o in occ:
        seen = upcoming.get(o.activity.id)
        if seen is None:
            upcoming[o.activity.id] = Upcoming(o.activity, o.start, o.all_day, 1)
        else:
            upcoming[o.activity.id] = Upcoming(
                seen.activity, seen.start, seen.all_day, seen.count + 1
            )
    return Brief(
        today=today,
        contact=contact,
        cadence=cadence,
        tenure=tenure(contact.hired, today),
        last=last,
        last_kind=recent[0].kind if recent else None,
        days_since=(today - last).days if last else None,
        due_in=due_in,
        facts=tuple(sorted(contact.learned, key=lambda f: f.date, reverse=True)),
        recent=tuple(recent),
        owe=tuple(p for p in mine if p.direction == "owe"),
        waiting=tuple(p for p in mine if p.direction == "await"),
        upcoming=tuple(sorted(upcoming.values(), key=lambda u: (u.start, u.activity.id))),
        celebrations=tuple(celebrations([contact], today, end)),
        feedback=tuple(
            sorted(
                (f for f in feedback if f.person == contact.id and f.closed is None),
                key=lambda f: (f.date, number_key(f.id)),
            )
        ),
        before=tuple(inherited(contact)),
    )
