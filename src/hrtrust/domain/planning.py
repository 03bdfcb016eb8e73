"""Who needs attention: broken promises, people whose cadence has lapsed. Pure functions of
(data, today): nothing here reads the clock, prints, or touches files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from itertools import compress, count, repeat
from types import MappingProxyType
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from hrtrust.domain import roster
from hrtrust.domain.catalogue import kinds
from hrtrust.domain.contacts import cadence_for, cadence_of, fold, number_key
from hrtrust.domain.dates import (
    add_cadence,
    cadence_days,
    cadence_delta,
    parse_weekday,
    week_label,
    week_monday,
)
from hrtrust.domain.departments import (
    by_department,
    client_departments,
    days_quiet,
    gone_quiet,
    last_touch,
)
from hrtrust.domain.lapsed import (
    RANKED,
    Kind,
    Lapse,
    Ranking,
    Run,
    lapse,
    latest_due_by,
    most_overdue_first,
)
from hrtrust.domain.people import (
    Everyone,
    People,
    celebrating,
    client_departments_of,
    newcomers,
    pick,
    with_moments,
    with_topics,
)
from hrtrust.domain.promises import Late, as_of, outcome, overdue
from hrtrust.domain.recurrence import occurrences, to_rrule
from hrtrust.domain.shifts import count_shifts, handover, shift_counts, shift_kind
from hrtrust.models import (
    ALLY,
    MANAGER,
    NEW_HIRE,
    Activity,
    Config,
    Contact,
    Interaction,
    MomentKind,
    Promise,
    PublicDays,
    Touches,
    is_locked,
)

# How much a lapse matters, by tag: allies carry the department's trust, managers shape it.
WEIGHTS = {ALLY: 3.0, MANAGER: 2.0, NEW_HIRE: 2.0}
_NEVER = dt.date.max  # the last touch of someone never touched, where a date must stand


def weight(contact: Contact) -> float:
    return weight_of(contact.tags)


def weight_of(tags: Sequence[str]) -> float:
    """How much a lapse of someone with these tags matters (:data:`WEIGHTS`; 1 otherwise)."""
    return max((WEIGHTS.get(t, 1.0) for t in tags), default=1.0)


def lapses(
    contacts: Sequence[Contact],
    config: Config,
    last_touch: Mapping[str, dt.date],
    today: dt.date,
    horizon: dt.date | None = None,
) -> list[Lapse]:
    """People due for a touch by ``horizon`` (default today), most urgent first.

    Due = last touch + cadence; never touched = one cadence after the day they were added (a
    contact with no such day: today). Archived people and people paused on ``today`` are left
    out; after a pause, nobody is due before the day it ended.
    Urgency = weight(tags) x (1 + days overdue / cadence length); ties by due date, name, id.
    """
    horizon = horizon or today
    out = []
    # A person's cadence, its length and their weight follow from their own cadence and tags
    # alone: worked out once per combination, not once per person.
    by_kind: dict[tuple[str | None, tuple[str, ...]], tuple[str, int, float, Any]] = {}
    for c in contacts:
        # c.active(today) and next_due(), written out for the usual person (this loop sees
        # everyone, every plan): someone paused or a new hire takes next_due() itself
        if (c.added is not None and c.added > today) or (
            c.archived is not None and c.archived <= today
        ):
            continue
        special = c.paused_until is not None or (c.hired is not None and NEW_HIRE in c.tags)
        if special and c.paused(today):
            continue
        kind = (c.every, tuple(c.tags))
        known = by_kind.get(kind)
        if known is None:
            cadence = cadence_of(c, config)
            known = by_kind[kind] = (
                cadence,
                max(cadence_days(cadence), 1),
                weight(c),
                cadence_delta(cadence),
            )
        cadence, length, w, delta = known
        last = last_touch.get(c.id)
        if special:
            due = next_due(c, cadence, last, today)
        elif last is not None:
            due = last + delta
        else:
            due = today if c.added is None else c.added + delta
        if due > horizon:
            continue
        over = (today - due).days
        score = w * (1 + max(over, 0) / length)
        out.append(lapse(c, cadence, last, due, over, round(score, 4)))
    out.sort(key=RANKED)
    return out


def lapses_of(
    people: People,
    config: Config,
    last_touch: Mapping[str, dt.date],
    today: dt.date,
    horizon: dt.date | None = None,
) -> Ranking:
    """:func:`lapses` of everyone, as a :class:`Ranking` whose lapses are made as they are
    read: the usual people of each kind from the columns (a person decoded when first asked
    for), the special ones (paused, new hires, archived later than ``today``) one by one."""
    horizon = horizon or today
    t = today.toordinal()
    ids, keys, added, decode = people.ids, people.name_keys, people.added, people.decode
    from_ordinal = dt.date.fromordinal
    get = last_touch.get
    runs: list[Run] = []
    fixed: list[Lapse] = []
    for every, tags, members in people.kinds:
        member_ids = people.ids_of(members)
        cadence = cadence_for(every, tags, config)
        kind = Kind(cadence, max(cadence_days(cadence), 1), weight_of(tags), cadence_delta(cadence))
        # touched after ``latest``: not due by the horizon (a cadence is never less after a
        # later day), so passed over; so is everyone added after today
        latest = latest_due_by(horizon, kind.delta)
        lasts: list[dt.date | None] = list(map(get, member_ids, repeat(_NEVER)))
        # touched by ``latest`` and added by today: their last touch starts their cadence
        # (picked at C speed: a large kind has thousands of members, most of them lapsed)
        at = list(compress(count(), map(latest.__ge__, lasts)))  # type: ignore[arg-type]
        if at:
            at = list(compress(at, map(t.__ge__, pick(added, pick(members, at)))))
        starts: list[dt.date] = list(pick(lasts, at))  # type: ignore[arg-type]
        for k in compress(count(), map(_NEVER.__eq__, lasts)):  # never touched (a few)
            lasts[k] = None
            i = members[k]
            a = added[i]
            if a > t:
                continue
            if a:
                start = from_ordinal(a)
                if start > latest:
                    continue
                starts.append(start)
                at.append(k)
            elif today <= horizon:  # added on a day not known: due today
                w = kind.weight
                fixed.append(Lapse.later(decode, i, ids[i], keys[i], cadence, None, today, 0, w))
        if at:
            runs.append(
                Run(
                    kind,
                    today,
                    decode,
                    starts,
                    [members[k] for k in at],
                    [member_ids[k] for k in at],
                    [keys[members[k]] for k in at],
                    [lasts[k] for k in at],
                )
            )
    # the rest (paused, new hires, archived) as :func:`lapses` has them, from their columns
    for i, every, hired, until, since in people.special:
        gone = people.archived[i]
        if (gone and gone <= t) or added[i] > t:
            continue
        if until and t < until and (not since or since <= t):
            continue  # paused today
        tags = people.tags[i]
        cadence = cadence_for(every, tags, config)
        cid = ids[i]
        last = get(cid)
        due = due_on(
            from_ordinal(hired) if hired else None,
            tags,
            from_ordinal(added[i]) if added[i] else None,
            from_ordinal(until) if until else None,
            from_ordinal(since) if since else None,
            cadence,
            last,
            today,
        )
        if due > horizon:
            continue
        over = (today - due).days
        score = weight_of(tags) * (1 + max(over, 0) / max(cadence_days(cadence), 1))
        fixed.append(
            Lapse.later(decode, i, cid, keys[i], cadence, last, due, over, round(score, 4))
        )

    def find(contact: Contact) -> Lapse | None:
        return next(iter(lapses([contact], config, last_touch, today, horizon)), None)

    return Ranking(runs, fixed, find)


def lapses_for(data: PlanInput, today: dt.date, horizon: dt.date | None = None) -> Sequence[Lapse]:
    """:func:`lapses` of the input's people: from its columns when it has them."""
    if data.people is None:
        return lapses(data.contacts, data.config, data.touches.people, today, horizon)
    return lapses_of(data.people, data.config, data.touches.people, today, horizon)


# The onboarding rhythm HR partners keep with a new hire: check-ins around day 30, 60 and 90
# after the hire date (a touch within ONBOARDING_SLACK days before one counts for it).
ONBOARDING_DAYS = (30, 60, 90)
ONBOARDING_SLACK = 10


def onboarding_due(contact: Contact, last: dt.date | None) -> dt.date | None:
    """The next onboarding check-in a new hire is due (day 30, 60 or 90 after their hire date
    that no touch has covered yet), or None: not a new hire, or every check-in is done."""
    return _onboarding(contact.hired, contact.tags, last)


def _onboarding(hired: dt.date | None, tags: Sequence[str], last: dt.date | None) -> dt.date | None:
    if hired is None or NEW_HIRE not in tags:
        return None
    for n in ONBOARDING_DAYS:
        at = hired + dt.timedelta(days=n)
        if last is None or last < at - dt.timedelta(days=ONBOARDING_SLACK):
            return at
    return None


def next_due(contact: Contact, cadence: str, last: dt.date | None, today: dt.date) -> dt.date:
    """When a person is next due a touch: one cadence after the last touch, or after the day
    they were added when never touched; a new hire at their next onboarding check-in (day 30,
    60, 90 after the hire date); never before a pause ended."""
    c = contact
    return due_on(c.hired, c.tags, c.added, c.paused_until, c.paused_on, cadence, last, today)


def due_on(
    hired: dt.date | None,
    tags: Sequence[str],
    added: dt.date | None,
    paused_until: dt.date | None,
    paused_on: dt.date | None,
    cadence: str,
    last: dt.date | None,
    today: dt.date,
) -> dt.date:
    """:func:`next_due` of someone hired, tagged, added and paused so."""
    onboarding = _onboarding(hired, tags, last)
    if onboarding is not None:
        due = onboarding
    elif last is not None:
        due = add_cadence(last, cadence)
    elif added is not None:
        due = add_cadence(added, cadence)
    else:
        due = today
    if paused_until is not None and (paused_on is None or paused_on <= today):
        due = max(due, paused_until)
    return due


class OverdueReport(NamedTuple):
    """Everything past due as of a day: promises I owe, promises owed to me, lapsed contacts."""

    today: dt.date
    owe: list[Late]
    waiting: list[Late]
    lapsed: Sequence[Lapse]


def overdue_report(
    contacts: Sequence[Contact],
    promises: list[Promise],
    config: Config,
    last_touch: Mapping[str, dt.date],
    today: dt.date,
    *,
    lapsed: Sequence[Lapse] | None = None,
) -> OverdueReport:
    """``lapsed``: :func:`lapses` of ``contacts`` as of ``today``, when the caller has them."""
    if lapsed is None:
        lapsed = lapses(contacts, config, last_touch, today)
    return OverdueReport(
        today=today,
        owe=overdue(promises, today, "owe"),
        waiting=overdue(promises, today, "await"),
        # gone quiet, longest first (the table reads as days): the plan ranks by urgency
        lapsed=lapsed.overdue_first()
        if isinstance(lapsed, Ranking)
        else sorted((x for x in lapsed if x.days_over > 0), key=most_overdue_first),
    )


# -- the week's plan -------------------------------------------------------------------------

SUGGESTED_KIND = {ALLY: "ally-meeting", MANAGER: "one-on-one", NEW_HIRE: "check-in"}


class Occurrence(NamedTuple):
    """One occurrence of a recurring activity, and whether it was logged as attended."""

    activity: Activity
    start: dt.datetime
    all_day: bool
    attended: bool

    @property
    def day(self) -> dt.date:
        return self.start.date()

    @property
    def end(self) -> dt.datetime | None:
        if self.all_day or not self.activity.duration:
            return None
        return self.start + dt.timedelta(minutes=self.activity.duration)


# What the plan says about a reach-out is data here; present/reasons.py puts it in words
# (English for --json and exported files, the run's language where a person reads it).


@dataclass(frozen=True)
class Topics:
    """A person's open talking points: the texts, and how many more are stored encrypted (the
    plan never needs the key: those are counted, not shown)."""

    texts: tuple[str, ...]
    locked: int = 0


@dataclass(frozen=True)
class Occasion:
    """What makes a reach-out's day: an activity they are at (``see``) or their department's
    (``attend``), by its title; or a shift worker's hours: the ``handover`` of their shift at
    ``at``, or a ``rotating`` shift (no fixed time)."""

    kind: Literal["see", "attend", "handover", "rotating"]
    activity: str | None = None
    shift: str | None = None
    at: dt.time | None = None


@dataclass(frozen=True)
class Reason:
    """Why a reach-out is suggested.

    ``moment``: a roster moment (``moment``, on ``day``, ``after`` its new department, title or
    manager); ``introduction``: an ally or manager not met yet; ``onboarding``: a new hire's
    check-in, ``n`` days after the hire date; ``never``: never touched; ``overdue``: ``n``
    days past their ``cadence``; ``due``: due on ``day`` by their ``cadence``. ``occasion``:
    what makes the day, if anything.
    """

    kind: Literal["moment", "introduction", "onboarding", "never", "overdue", "due"]
    n: int = 0
    day: dt.date | None = None
    cadence: str = ""  # canonical: ``2w``
    moment: MomentKind | None = None
    after: str | None = None
    occasion: Occasion | None = None


@dataclass(frozen=True)
class Hook:
    """Something to talk about. Private hooks (topics to raise, learned facts) stay out of
    digests unless asked.

    ``raise``: the ``topics`` to raise; ``owe``/``await``: the first open promise to them or
    from them (``text``, due on ``day``); ``ask``: the newest learned fact (``text``);
    ``last``: the last touch, on ``day``, of kind ``touch`` (None: not known), whose label is
    ``label``.
    """

    kind: Literal["raise", "owe", "await", "ask", "last"]
    private: bool
    text: str = ""
    day: dt.date | None = None
    topics: Topics | None = None
    touch: str | None = None
    label: str | None = None


class Reach(NamedTuple):
    """A suggested touchpoint with someone whose cadence has lapsed or is about to."""

    lapse: Lapse
    kind: str
    day: dt.date | None  # None: no room left this week
    hooks: tuple[Hook, ...]
    reason: Reason
    at: dt.time | None = None  # a shift worker: when they are on site (their shift handover)


class Celebration(NamedTuple):
    contact: Contact
    day: dt.date
    what: str  # "birthday" or "anniversary"
    years: int | None


class DeptCoverage(NamedTuple):
    """A client department's coverage: last touch against its window, and its HR ally."""

    dept: str
    window: str
    last: dt.date | None
    days_since: int | None
    gap: bool
    planned: tuple[str, ...]  # activities this week that will touch it
    allies: tuple[Contact, ...]
    candidates: tuple[Contact, ...]  # who could become the ally, best first
    shifts: tuple[tuple[str, int], ...] = ()  # people by shift: 日班 12, 夜班 3


class Clash(NamedTuple):
    """Two activities on the same day whose times overlap, from ``start`` to ``until``
    (None when either is a moment without a duration)."""

    first: Occurrence
    second: Occurrence
    start: dt.datetime
    until: dt.datetime | None


class DayPlan(NamedTuple):
    day: dt.date
    occurrences: tuple[Occurrence, ...]
    due: tuple[Promise, ...]
    reach: tuple[Reach, ...]
    celebrations: tuple[Celebration, ...]
    holiday: str | None = None  # a public holiday's name: no reach-out is placed on it
    makeup: bool = False  # a make-up working day (a weekend day worked for a bridge holiday)
    past: bool = False  # before today: nothing new is placed on it
    clashes: tuple[Clash, ...] = ()

    @property
    def workday(self) -> bool:
        return self.holiday is None

    @property
    def load(self) -> int:
        return len(self.occurrences) + len(self.due) + len(self.reach)


class WeekPlan(NamedTuple):
    """Everything `plan week` shows, computed from (data, today) alone."""

    today: dt.date
    monday: dt.date
    days: tuple[DayPlan, ...]
    owe: tuple[Late, ...]
    waiting: tuple[Late, ...]
    reach: tuple[Reach, ...]
    more_due: int  # overdue people (as `overdue` lists them) beyond this week's budget
    celebrations: tuple[Celebration, ...]
    coverage: tuple[DeptCoverage, ...]
    # Open talking points (private) of the people met this week: contact id -> topics.
    to_raise: Mapping[str, Topics] = MappingProxyType({})
    # Introductions: (allies and managers added in the last four weeks you have met, all of them)
    intros: tuple[int, int] = (0, 0)

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def gaps(self) -> tuple[DeptCoverage, ...]:
        return tuple(c for c in self.coverage if c.gap or not c.allies)


# What expands the activities' rules over a span: :func:`expand`, or the same answer kept
# from an earlier run (the CLI keeps each week's in ``.cache/``, keyed by the activities file).
Expand = Callable[[Sequence[Activity], dt.tzinfo, dt.date, dt.date], list[list[dt.datetime]]]


def expand(
    activities: Sequence[Activity], tz: dt.tzinfo, first: dt.date, last: dt.date
) -> list[list[dt.datetime]]:
    """Each activity's occurrences whose local date is in [first, last], in order (the
    rrule expansion: the one costly part of a week's activities)."""
    return [
        occurrences(
            to_rrule(a.rule),
            start=a.start,
            at=a.at,
            tz=tz,
            window_start=first,
            window_end=last,
            until=a.until,
            skip=a.skip,
        )
        for a in activities
    ]


@dataclass
class PlanInput:
    """What planning reads: the files' contents and the derived touch index."""

    config: Config
    contacts: Sequence[Contact]
    activities: list[Activity]
    promises: list[Promise]
    touches: Touches
    week_entries: list[Interaction]  # log entries dated in the planned week
    public: PublicDays = field(default_factory=PublicDays)  # the week's holidays, make-up days
    expander: Expand = expand  # the activities' rules over a span (kept by the CLI)
    # The same people as columns, decoded when shown (kept by the CLI): what a plan asks of
    # everyone is looked up there instead. None: asked of ``contacts``, person by person.
    people: People | None = None

    @classmethod
    def of_people(cls, people: People, **files: Any) -> PlanInput:
        """The input with ``people`` as the contacts (decoded only if something reads them
        all)."""
        return cls(contacts=Everyone(people), people=people, **files)


def week_days(config: Config, monday: dt.date, public: PublicDays | None = None) -> list[dt.date]:
    """The days the plan shows for the week starting ``monday``: the configured working days
    (config ``week``, Mon–Fri by default), public holidays among them included (shown, not
    worked), and any make-up working day that week."""
    wanted = sorted({parse_weekday(d) for d in config.week} or {0, 1, 2, 3, 4})
    days = {monday + dt.timedelta(days=i) for i in wanted}
    sunday = monday + dt.timedelta(days=6)
    if public is not None:
        days |= {d for d in public.workdays if monday <= d <= sunday}
    return sorted(days)


def working_days(
    config: Config, monday: dt.date, public: PublicDays | None = None
) -> list[dt.date]:
    """The days of the week a reach-out may go on: :func:`week_days` less public holidays."""
    off = public.holidays if public is not None else {}
    return [d for d in week_days(config, monday, public) if d not in off]


def clashes(occ: Sequence[Occurrence]) -> list[Clash]:
    """Pairs of timed activities on the same day whose times overlap, in time order.

    An activity without a duration is a moment: it clashes with one running at that moment,
    or with another moment at the same time. All-day items clash with nothing.
    """
    timed = sorted((o for o in occ if not o.all_day), key=lambda o: (o.start, o.activity.id))
    ends = [o.end for o in timed]  # each worked out once, not once per pair looked at
    days = [o.day for o in timed]
    out = []
    for i, a in enumerate(timed):
        a_end = ends[i] or a.start  # a moment ends as it starts
        for j in range(i + 1, len(timed)):
            b = timed[j]
            if days[j] != days[i] or (b.start >= a_end and b.start != a.start):
                break  # sorted by start: nothing later overlaps ``a`` either
            b_end = ends[j] or b.start
            if not (a.start == b.start or (a.start < b_end and b.start < a_end)):
                continue
            until = min(a_end, b_end) if ends[i] and ends[j] else None
            out.append(Clash(a, b, b.start, until))
    return out


def activity_occurrences(
    activities: Sequence[Activity],
    tz: dt.tzinfo,
    first: dt.date,
    last: dt.date,
    entries: Sequence[Interaction] = (),
    *,
    attended: Set[tuple[str, dt.date]] | None = None,
    expander: Expand = expand,
) -> list[Occurrence]:
    """Every occurrence of every activity in [first, last], in time order; attended when an
    entry of ``entries`` was logged for it that day (or ``attended`` has its id and day)."""
    if attended is None:
        attended = {(e.activity, e.date) for e in entries if e.activity}
    out = [
        Occurrence(a, start, a.at is None, (a.id, start.date()) in attended)
        for a, starts in zip(activities, expander(activities, tz, first, last), strict=True)
        for start in starts
    ]
    out.sort(key=lambda o: (o.start.date(), not o.all_day, o.start, o.activity.id))
    return out


def celebrations(contacts: Sequence[Contact], first: dt.date, last: dt.date) -> list[Celebration]:
    """Birthdays and work anniversaries between ``first`` and ``last``.

    A 29 February falls on 28 February in years that have none.
    """
    out = []
    for year in sorted({first.year, last.year}):
        for c in contacts:
            if c.archived is not None:
                continue
            if c.birthday:
                day = _on_year(year, int(c.birthday[:2]), int(c.birthday[3:]))
                if first <= day <= last:
                    out.append(Celebration(c, day, "birthday", None))
            if c.hired and c.hired.year < year:
                day = _on_year(year, c.hired.month, c.hired.day)
                if first <= day <= last:
                    out.append(Celebration(c, day, "anniversary", year - c.hired.year))
    out.sort(key=lambda x: (x.day, x.what, fold(x.contact.name), x.contact.id))
    return out


def _on_year(year: int, month: int, day: int) -> dt.date:
    if month == 2 and day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, month, day)


def planned_titles(planned: Sequence[Occurrence]) -> dict[str | None, dict[str, None]]:
    """The titles of the week's activities, per department, in time order."""
    titles: dict[str | None, dict[str, None]] = {}
    for o in planned:
        titles.setdefault(o.activity.dept, {})[o.activity.title] = None
    return titles


def coverage(
    config: Config,
    contacts: Sequence[Contact],
    touches: Touches,
    today: dt.date,
    planned: Sequence[Occurrence] = (),
) -> list[DeptCoverage]:
    """Client departments: gone without a touch longer than their window? an HR ally?"""
    out = []
    grouped = by_department(contacts, today)
    recent = today - dt.timedelta(days=90)
    counts: dict[str, int] | None = None  # touches since ``recent``, counted when first needed
    titles = planned_titles(planned)
    for d in client_departments(config, contacts):
        members = grouped.get(d.name, [])
        last = last_touch(d.name, members, touches)
        since = days_quiet(last, today)
        gap = gone_quiet(d, last, today, members)
        allies = tuple(c for c in members if ALLY in c.tags)
        candidates: tuple[Contact, ...] = ()
        if not allies:
            if counts is None:
                counts = touches.counts_since(recent)
            seen = counts
            pool = [c for c in members if MANAGER not in c.tags]
            pool.sort(
                key=lambda c: (
                    -("influencer" in c.tags),
                    -seen.get(c.id, 0),
                    fold(c.name),
                    c.id,
                )
            )
            candidates = tuple(pool[:3])
        names = tuple(titles.get(d.name, ()))
        out.append(
            DeptCoverage(
                d.name, d.window, last, since, gap, names, allies, candidates, count_shifts(members)
            )
        )
    return out


def coverage_of(
    config: Config,
    people: People,
    touches: Touches,
    today: dt.date,
    titles: Mapping[str | None, Mapping[str, None]],
) -> list[DeptCoverage]:
    """:func:`coverage` from the columns: a department's people are looked up, not
    found among everyone, and decoded only to be shown (its allies, the candidates)."""
    t = today.toordinal()
    added, archived, ids, tags = people.added, people.archived, people.ids, people.tags
    recent: list[Mapping[str, int]] | None = None  # touches per person, by month
    out = []
    last_of = touches.people.get
    for d in client_departments_of(config, people):
        everyone = people.by_dept.get(d.name, ())
        latest, gone, ally_at, shifts = people.dept_info.get(d.name, (0, False, (), ()))
        if latest <= t and not gone:  # everyone in it is there today: as kept
            members = everyone
            member_ids = people.ids_of(everyone)
        else:
            members = [
                i
                for i in everyone
                if (not added[i] or added[i] <= t) and (not archived[i] or archived[i] > t)
            ]
            member_ids = [ids[i] for i in members]
            ally_at = [i for i in members if ALLY in tags[i]]
            shifts = shift_counts(people.shifts[i] for i in members)
        last = max(filter(None, map(last_of, member_ids)), default=None)
        if d.name in touches.depts and (last is None or touches.depts[d.name] > last):
            last = touches.depts[d.name]
        since = days_quiet(last, today)
        gap = gone_quiet(d, last, today, people.contacts(members) if last is None else ())
        allies = tuple(people.contacts(ally_at))
        candidates: tuple[Contact, ...] = ()
        if not allies:
            if recent is None:  # touches.counts_since(), for the department's people only
                recent = touches.months_since(today - dt.timedelta(days=90))
            months = recent
            pool = [i for i in members if MANAGER not in tags[i]]
            pool.sort(
                key=lambda i: (
                    -("influencer" in tags[i]),
                    -sum(n.get(ids[i], 0) for n in months),
                    people.name_keys[i],
                    ids[i],
                )
            )
            candidates = tuple(people.contacts(pool[:3]))
        out.append(
            DeptCoverage(
                d.name,
                d.window,
                last,
                since,
                gap,
                tuple(titles.get(d.name, ())),
                allies,
                candidates,
                tuple(shifts),
            )
        )
    return out


def on_site(contact: Contact) -> tuple[dt.time | None, Occasion | None]:
    """When to meet a shift worker, and why, for the reach-out: the handover of an evening,
    night or graveyard shift (at 20:00 for 夜班); a rotating shift has no fixed time (check
    their roster). (None, None) for office hours."""
    at = handover(contact.shift)
    if at is not None:
        return at, Occasion("handover", shift=contact.shift, at=at)
    if shift_kind(contact.shift) == "rotating":
        return None, Occasion("rotating", shift=contact.shift)
    return None, None


def _hooks(
    contact: Contact,
    touches: Touches,
    promises: Sequence[Promise],
    today: dt.date,
    labels: Mapping[str, str] = MappingProxyType({}),
) -> tuple[Hook, ...]:
    """What to talk about with ``contact``. ``labels``: kind id -> label."""
    hooks: list[Hook] = []
    topics = raise_topics(contact)
    if topics is not None:
        hooks.append(Hook("raise", True, topics=topics))
    then = [q for p in promises if p.person == contact.id and (q := as_of(p, today)) is not None]
    mine = [p for p in then if p.status == "open"]
    mine.sort(key=lambda p: (p.due, number_key(p.id)))
    for p in mine[:1]:
        hooks.append(Hook("owe" if p.direction == "owe" else "await", False, p.text, p.due))
    # A fact stored encrypted and not opened (the plan never needs the key) is no hook.
    facts = sorted(
        (f for f in contact.learned if not is_locked(f.text)), key=lambda f: f.date, reverse=True
    )
    if facts:
        hooks.append(Hook("ask", True, facts[0].text))
    if contact.id in touches.people:
        kind = touches.last_kind.get(contact.id)
        label = labels.get(kind, kind) if kind else None
        hooks.append(Hook("last", False, day=touches.people[contact.id], touch=kind, label=label))
    return tuple(hooks)


# A new ally or manager is introduced within four weeks of being added (a new home, a new
# department, a new ally): they are proposed for a first meeting, apart from the budget.
INTRO_DAYS = 28


class Introductions(NamedTuple):
    """Allies and managers added in the last four weeks: how many you have met, and those to
    meet for the first time this week (most important first)."""

    met: int
    total: int
    this_week: tuple[Contact, ...]


def introductions(
    contacts: Sequence[Contact], people: Mapping[str, dt.date], today: dt.date, monday: dt.date
) -> Introductions:
    """Every ally and manager added within the last four weeks, and the unmet ones to meet this
    week: the rest spread evenly over the weeks left before each is four weeks in (allies,
    then managers; the earliest added first)."""
    cohort = [
        c
        for c in contacts
        if c.active(today)
        and (ALLY in c.tags or MANAGER in c.tags)
        and c.added is not None
        and today - dt.timedelta(days=INTRO_DAYS) < c.added <= today
    ]
    unmet = [c for c in cohort if c.id not in people]
    if not unmet:
        return Introductions(len(cohort), len(cohort), ())
    unmet.sort(key=lambda c: (-weight(c), c.added, fold(c.name), c.id))
    last_deadline = max(c.added for c in unmet if c.added) + dt.timedelta(days=INTRO_DAYS)
    weeks_left = max(1, -(-(last_deadline - monday).days // 7))
    now = -(-len(unmet) // weeks_left)  # the ceiling: all met by the last week
    return Introductions(len(cohort) - len(unmet), len(cohort), tuple(unmet[:now]))


def plan_week(
    data: PlanInput, today: dt.date, monday: dt.date, lapsed: Sequence[Lapse] | None = None
) -> WeekPlan:
    """The plan for the week starting ``monday``, as seen on ``today``.

    Who to reach out to: the most urgent people due by the end of the week, within the weekly
    budget. Where: earliest due first, each on the first working day from today on with room
    (fewer than ``max_per_day`` items), preferring a day you already see that person, else
    their department. Public holidays hold no reach-out; a make-up working day can. Days
    before ``today`` keep their activities but get nothing new. ``lapsed``: the people due by
    the week's end (:func:`lapses` to its last day), when the caller has them already.
    """
    config = data.config
    tz = ZoneInfo(config.timezone)
    public = data.public
    days = week_days(config, monday, public)
    workdays = working_days(config, monday, public)
    sunday = monday + dt.timedelta(days=6)
    occ = activity_occurrences(
        data.activities, tz, days[0], days[-1], data.week_entries, expander=data.expander
    )
    owe = overdue(data.promises, today, "owe")
    waiting = overdue(data.promises, today, "await")
    due_by_day: dict[dt.date, list[Promise]] = {}
    for p in sorted(data.promises, key=lambda p: (p.due, number_key(p.id))):
        then = as_of(p, today)
        if then is not None and then.status == "open" and then.due in days:
            if outcome(then, today) == "open":
                due_by_day.setdefault(then.due, []).append(then)
    people = data.people
    party = celebrations(
        data.contacts if people is None else celebrating(people, monday, sunday), monday, sunday
    )

    # Reach out: those due by the end of the week, most urgent first, within the budget ...
    if lapsed is None:
        lapsed = lapses_for(data, today, days[-1])
    # Roster moments (a transfer, a new manager...) come first, with their own reason; the
    # rest of the budget goes to lapsed people, placed earliest due first.
    moments = roster.pending_all(
        data.contacts if people is None else with_moments(people), data.touches.people, today
    )
    because = {c.id: Reason("moment", day=m.date, moment=m.kind, after=m.after) for c, m in moments}
    first = [
        lapse(c, cadence_of(c, config), data.touches.people.get(c.id), m.date, 0, 0.0)
        for c, m in moments
    ]
    intro = introductions(
        data.contacts if people is None else newcomers(people, today, INTRO_DAYS),
        data.touches.people,
        today,
        monday,
    )
    meeting = {c.id for c in intro.this_week} - set(because)
    for c in intro.this_week:
        if c.id in meeting:
            because[c.id] = Reason("introduction")
    first += [
        lapse(c, cadence_of(c, config), None, today, 0, 0.0)
        for c in intro.this_week
        if c.id in meeting
    ]
    # introductions are counted apart: the budget is for the people who have lapsed
    budget = max(config.reach_out_per_week - len(first) + len(meeting), 0)
    more = list(itertools.islice((x for x in lapsed if x.id not in because), budget))
    chosen = first + sorted(more, key=lambda x: (x.due, -x.score, x.name_key, x.id))
    # the people past due beyond the budget: neither chosen nor met for a moment or an
    # introduction (a ranking counts them without making their lapses)
    if isinstance(lapsed, Ranking):
        apart = [c for c, _ in moments] + [c for c in intro.this_week if c.id in meeting]
        taken = [x for c in apart if (x := lapsed.find(c)) is not None] + more
        more_due = lapsed.overdue_count - sum(1 for x in taken if x.days_over > 0)
    else:
        rest = [x for x in lapsed if x.id not in because]
        more_due = sum(1 for x in rest[len(more) :] if x.days_over > 0)
    labels = {name: k.label for name, k in kinds(config).items()}
    load = {d: sum(o.day == d for o in occ) + len(due_by_day.get(d, [])) for d in days}
    open_days = [d for d in workdays if d >= today]
    # the week's occurrences by whom they are with and by department, in time order: each
    # reach-out looks up its person's, not every occurrence of the week
    with_them: dict[str, list[Occurrence]] = {}
    in_dept: dict[str, list[Occurrence]] = {}
    for o in occ:
        for cid in dict.fromkeys(o.activity.with_):
            with_them.setdefault(cid, []).append(o)
        if o.activity.dept:
            in_dept.setdefault(o.activity.dept, []).append(o)
    reach: list[Reach] = []
    for x in chosen:
        c = x.contact
        roomy = [d for d in open_days if load[d] < config.max_per_day]
        seeing = [
            (o.day, Occasion("see", activity=o.activity.title))
            for o in with_them.get(c.id, ())
            if o.day in roomy
        ]
        at, when = on_site(c)
        # an evening or night worker is not at a daytime department activity
        if c.dept and at is None:
            seeing += [
                (o.day, Occasion("attend", activity=o.activity.title))
                for o in in_dept.get(c.dept, ())
                if o.day in roomy
            ]
        day: dt.date | None = None
        see: Occasion | None = None
        if seeing:
            day, see = seeing[0]
        elif roomy:  # spread over the week: the free-est day, the earliest of those
            day = min(roomy, key=lambda d: (load[d], d))
        if day is not None:
            load[day] += 1
        reason: Reason
        if c.id in because:
            reason = because[c.id]
        elif onboarding_due(c, x.last) == x.due:
            reason = Reason("onboarding", n=(x.due - c.hired).days if c.hired else 0)
        elif x.last is None:
            reason = Reason("never")
        elif x.days_over > 0:
            reason = Reason("overdue", n=x.days_over, cadence=x.cadence)
        else:
            reason = Reason("due", day=x.due, cadence=x.cadence)
        if see or when:
            reason = replace(reason, occasion=see or when)
        kind = next((SUGGESTED_KIND[t] for t in c.tags if t in SUGGESTED_KIND), "coffee-chat")
        hooks = _hooks(c, data.touches, data.promises, today, labels)
        reach.append(Reach(x, kind, day, hooks, reason, None if see else at))

    # A weekend or holiday birthday is celebrated on the working day before it (or the first).
    party_day = {
        id(c): max((d for d in workdays if d <= c.day), default=(workdays or days)[0])
        for c in party
    }
    clashing = clashes(occ)
    plans = []
    for d in days:
        plans.append(
            DayPlan(
                day=d,
                occurrences=tuple(o for o in occ if o.day == d),
                due=tuple(due_by_day.get(d, [])),
                reach=tuple(r for r in reach if r.day == d),
                celebrations=tuple(c for c in party if party_day[id(c)] == d),
                holiday=public.holidays.get(d),
                makeup=d in public.workdays,
                past=d < today,
                clashes=tuple(k for k in clashing if k.first.day == d),
            )
        )
    return WeekPlan(
        today=today,
        monday=monday,
        days=tuple(plans),
        owe=tuple(owe),
        waiting=tuple(waiting),
        reach=tuple(reach),
        more_due=more_due,
        celebrations=tuple(party),
        coverage=tuple(
            coverage(config, data.contacts, data.touches, today, occ)
            if people is None
            else coverage_of(config, people, data.touches, today, planned_titles(occ))
        ),
        to_raise=to_raise(
            data.contacts if people is None else with_topics(people, met_this_week(occ, reach)),
            occ,
            reach,
        ),
        intros=(intro.met, intro.total),
    )


def raise_topics(contact: Contact) -> Topics | None:
    """A person's open topics (None: none). In an encrypted home the plan reads them locked
    (it never needs the key): those are counted, not shown."""
    texts = [t.text for t in contact.topics if t.done is None]
    if not texts:
        return None
    shown = tuple(t for t in texts if not is_locked(t))
    return Topics(shown, len(texts) - len(shown))


def to_raise(
    contacts: Sequence[Contact], occ: Sequence[Occurrence], reach: Sequence[Reach]
) -> dict[str, Topics]:
    """Open topics of everyone the week brings together: at an activity not yet logged, or
    suggested for a reach-out."""
    met = met_this_week(occ, reach)
    out = {}
    for c in contacts:
        if c.topics and c.id in met:
            topics = raise_topics(c)
            if topics is not None:
                out[c.id] = topics
    return out


def met_this_week(occ: Sequence[Occurrence], reach: Sequence[Reach]) -> set[str]:
    """The ids of everyone the week brings together (:func:`to_raise`)."""
    met = {w for o in occ if not o.attended for w in o.activity.with_}
    met |= {r.lapse.id for r in reach}
    return met


def week_of(today: dt.date, *, next_week: bool = False, week: dt.date | None = None) -> dt.date:
    """The Monday of the week to plan: this week, the next, or the ISO week given."""
    if week is not None:
        return week
    monday = week_monday(today)
    return monday + dt.timedelta(weeks=1) if next_week else monday
