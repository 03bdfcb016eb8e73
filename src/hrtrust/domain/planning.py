"""Who needs attention: broken promises, people whose cadence has lapsed. Pure functions of
(data, today): nothing here reads the clock, prints, or touches files.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hrtrust.domain.contacts import cadence_of, fold, number_key
from hrtrust.domain.dates import (
    cadence_days,
    cadence_delta,
    describe_cadence,
    parse_weekday,
    week_label,
    week_monday,
)
from hrtrust.domain.departments import (
    client_departments,
    days_quiet,
    gone_quiet,
    last_touch,
    members_of,
)
from hrtrust.domain.promises import Late, overdue
from hrtrust.domain.recurrence import occurrences, to_rrule
from hrtrust.models import (
    ALLY,
    MANAGER,
    NEW_HIRE,
    Activity,
    Config,
    Contact,
    Interaction,
    Promise,
    Touches,
    is_locked,
)

# How much a lapse matters, by tag: allies carry the department's trust, managers shape it.
WEIGHTS = {ALLY: 3.0, MANAGER: 2.0, NEW_HIRE: 2.0}


@dataclass(frozen=True)
class Lapse:
    """A person whose contact cadence has lapsed (or will, by the horizon)."""

    contact: Contact
    cadence: str
    last: dt.date | None
    due: dt.date
    days_over: int
    score: float


def weight(contact: Contact) -> float:
    return max((WEIGHTS.get(t, 1.0) for t in contact.tags), default=1.0)


def lapses(
    contacts: Sequence[Contact],
    config: Config,
    last_touch: Mapping[str, dt.date],
    today: dt.date,
    horizon: dt.date | None = None,
) -> list[Lapse]:
    """People due for a touch by ``horizon`` (default today), most urgent first.

    Due = last touch + cadence; never touched = due from the day they were added (or today).
    Urgency = weight(tags) x (1 + days overdue / cadence length); ties by due date, name, id.
    """
    horizon = horizon or today
    out = []
    for c in contacts:
        cadence = cadence_of(c, config)
        last = last_touch.get(c.id)
        due = last + cadence_delta(cadence) if last else min(c.added or today, today)
        if due > horizon:
            continue
        over = (today - due).days
        score = weight(c) * (1 + max(over, 0) / max(cadence_days(cadence), 1))
        out.append(Lapse(c, cadence, last, due, over, round(score, 4)))
    out.sort(key=lambda x: (-x.score, x.due, fold(x.contact.name), x.contact.id))
    return out


@dataclass(frozen=True)
class OverdueReport:
    """Everything past due as of a day: promises I owe, promises owed to me, lapsed contacts."""

    today: dt.date
    owe: list[Late]
    waiting: list[Late]
    lapsed: list[Lapse]


def overdue_report(
    contacts: Sequence[Contact],
    promises: list[Promise],
    config: Config,
    last_touch: Mapping[str, dt.date],
    today: dt.date,
) -> OverdueReport:
    return OverdueReport(
        today=today,
        owe=overdue(promises, today, "owe"),
        waiting=overdue(promises, today, "await"),
        lapsed=[x for x in lapses(contacts, config, last_touch, today) if x.days_over > 0],
    )


# -- the week's plan -------------------------------------------------------------------------

SUGGESTED_KIND = {ALLY: "ally-meeting", MANAGER: "one-on-one", NEW_HIRE: "check-in"}


@dataclass(frozen=True)
class Occurrence:
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


@dataclass(frozen=True)
class Hook:
    """Something to talk about. Private hooks (learned facts) stay out of digests unless asked."""

    text: str
    private: bool


@dataclass(frozen=True)
class Reach:
    """A suggested touchpoint with someone whose cadence has lapsed or is about to."""

    lapse: Lapse
    kind: str
    day: dt.date | None  # None: no room left this week
    hooks: tuple[Hook, ...]
    reason: str


@dataclass(frozen=True)
class Celebration:
    contact: Contact
    day: dt.date
    what: str  # "birthday" or "anniversary"
    years: int | None


@dataclass(frozen=True)
class DeptCoverage:
    """A client department's coverage: last touch against its window, and its HR ally."""

    dept: str
    window: str
    last: dt.date | None
    days_since: int | None
    gap: bool
    planned: tuple[str, ...]  # activities this week that will touch it
    allies: tuple[Contact, ...]
    candidates: tuple[Contact, ...]  # who could become the ally, best first


@dataclass(frozen=True)
class DayPlan:
    day: dt.date
    occurrences: tuple[Occurrence, ...]
    due: tuple[Promise, ...]
    reach: tuple[Reach, ...]
    celebrations: tuple[Celebration, ...]

    @property
    def load(self) -> int:
        return len(self.occurrences) + len(self.due) + len(self.reach)


@dataclass(frozen=True)
class WeekPlan:
    """Everything `plan week` shows, computed from (data, today) alone."""

    today: dt.date
    monday: dt.date
    days: tuple[DayPlan, ...]
    owe: tuple[Late, ...]
    waiting: tuple[Late, ...]
    reach: tuple[Reach, ...]
    more_due: int  # lapsed people beyond this week's budget
    celebrations: tuple[Celebration, ...]
    coverage: tuple[DeptCoverage, ...]

    @property
    def label(self) -> str:
        return week_label(self.monday)

    @property
    def gaps(self) -> tuple[DeptCoverage, ...]:
        return tuple(c for c in self.coverage if c.gap or not c.allies)


@dataclass
class PlanInput:
    """What planning reads: the files' contents and the derived touch index."""

    config: Config
    contacts: list[Contact]
    activities: list[Activity]
    promises: list[Promise]
    touches: Touches
    week_entries: list[Interaction]  # log entries dated in the planned week


def week_days(config: Config, monday: dt.date) -> list[dt.date]:
    """The working days of the week starting ``monday`` (config ``week``, Mon–Fri by default)."""
    wanted = sorted({parse_weekday(d) for d in config.week} or {0, 1, 2, 3, 4})
    return [monday + dt.timedelta(days=i) for i in wanted]


def activity_occurrences(
    activities: Sequence[Activity],
    tz: ZoneInfo,
    first: dt.date,
    last: dt.date,
    entries: Sequence[Interaction] = (),
) -> list[Occurrence]:
    """Every occurrence of every activity in [first, last], in time order."""
    attended = {(e.activity, e.date) for e in entries if e.activity}
    out = []
    for a in activities:
        for start in occurrences(
            to_rrule(a.rule),
            start=a.start,
            at=a.at,
            tz=tz,
            window_start=first,
            window_end=last,
            until=a.until,
            skip=a.skip,
        ):
            out.append(Occurrence(a, start, a.at is None, (a.id, start.date()) in attended))
    out.sort(key=lambda o: (o.start.date(), not o.all_day, o.start, o.activity.id))
    return out


def celebrations(contacts: Sequence[Contact], first: dt.date, last: dt.date) -> list[Celebration]:
    """Birthdays and work anniversaries between ``first`` and ``last``.

    A 29 February falls on 28 February in years that have none.
    """
    out = []
    for year in sorted({first.year, last.year}):
        for c in contacts:
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


def coverage(
    config: Config,
    contacts: Sequence[Contact],
    touches: Touches,
    today: dt.date,
    planned: Sequence[Occurrence] = (),
) -> list[DeptCoverage]:
    """Client departments: gone without a touch longer than their window? an HR ally?"""
    out = []
    for d in client_departments(config, contacts):
        members = members_of(d.name, contacts)
        last = last_touch(d.name, members, touches)
        since = days_quiet(last, today)
        gap = gone_quiet(d, last, today)
        allies = tuple(c for c in members if ALLY in c.tags)
        candidates: tuple[Contact, ...] = ()
        if not allies:
            recent = today - dt.timedelta(days=90)
            pool = [c for c in members if MANAGER not in c.tags]
            pool.sort(
                key=lambda c: (
                    -("influencer" in c.tags),
                    -touches.count_since(c.id, recent),
                    fold(c.name),
                    c.id,
                )
            )
            candidates = tuple(pool[:3])
        names = tuple(dict.fromkeys(o.activity.title for o in planned if o.activity.dept == d.name))
        out.append(DeptCoverage(d.name, d.window, last, since, gap, names, allies, candidates))
    return out


def _hooks(
    contact: Contact, touches: Touches, promises: Sequence[Promise], today: dt.date
) -> tuple[Hook, ...]:
    hooks: list[Hook] = []
    mine = [p for p in promises if p.person == contact.id and p.status == "open"]
    mine.sort(key=lambda p: (p.due, number_key(p.id)))
    for p in mine[:1]:
        verb = "you owe them" if p.direction == "owe" else "they owe you"
        hooks.append(Hook(f"{verb}: {p.text} (due {p.due:%b} {p.due.day})", False))
    # A fact stored encrypted and not opened (the plan never needs the key) is no hook.
    facts = sorted(
        (f for f in contact.learned if not is_locked(f.text)), key=lambda f: f.date, reverse=True
    )
    if facts:
        hooks.append(Hook(f"ask about: {facts[0].text}", True))
    if contact.id in touches.people:
        last = touches.people[contact.id]
        kind = touches.last_kind.get(contact.id, "touch")
        hooks.append(Hook(f"last: {kind} on {last:%b} {last.day}", False))
    return tuple(hooks)


def plan_week(data: PlanInput, today: dt.date, monday: dt.date) -> WeekPlan:
    """The plan for the week starting ``monday``, as seen on ``today``.

    Days before ``today`` keep their activities but get no new suggestions.
    """
    config = data.config
    tz = ZoneInfo(config.timezone)
    days = week_days(config, monday)
    sunday = monday + dt.timedelta(days=6)
    occ = activity_occurrences(data.activities, tz, days[0], days[-1], data.week_entries)
    owe = overdue(data.promises, today, "owe")
    waiting = overdue(data.promises, today, "await")
    due_by_day: dict[dt.date, list[Promise]] = {}
    for p in sorted(data.promises, key=lambda p: (p.due, number_key(p.id))):
        if p.status == "open" and p.due in days and p.due >= today:
            due_by_day.setdefault(p.due, []).append(p)
    party = celebrations(data.contacts, monday, sunday)

    # Reach out: those due by the end of the week, best first, within the weekly budget.
    lapsed = lapses(data.contacts, config, data.touches.people, today, horizon=days[-1])
    chosen = lapsed[: config.reach_out_per_week]
    load = {d: sum(o.day == d for o in occ) + len(due_by_day.get(d, [])) for d in days}
    open_days = [d for d in days if d >= today]
    reach: list[Reach] = []
    for x in chosen:
        shared = [o.day for o in occ if x.contact.id in o.activity.with_ and o.day in open_days]
        roomy = [d for d in open_days if load[d] < config.max_per_day]
        day: dt.date | None = None
        reason = ""
        if shared and load[shared[0]] < config.max_per_day:
            day = shared[0]
            title = next(o.activity.title for o in occ if o.day == day)
            reason = f"you will see them at {title}"
        elif roomy:
            day = min(roomy, key=lambda d: (load[d], d))
        if day is not None:
            load[day] += 1
        if not reason:
            reason = (
                f"{x.days_over}d overdue ({describe_cadence(x.cadence)})"
                if x.days_over > 0
                else f"due {x.due:%a} ({describe_cadence(x.cadence)})"
            )
            if x.last is None:
                reason = "never logged a touch yet"
        kind = next(
            (SUGGESTED_KIND[t] for t in x.contact.tags if t in SUGGESTED_KIND), "coffee-chat"
        )
        reach.append(
            Reach(x, kind, day, _hooks(x.contact, data.touches, data.promises, today), reason)
        )

    # A weekend birthday is celebrated on the working day before it (or the first one).
    party_day = {id(c): max((d for d in days if d <= c.day), default=days[0]) for c in party}
    plans = []
    for d in days:
        plans.append(
            DayPlan(
                day=d,
                occurrences=tuple(o for o in occ if o.day == d),
                due=tuple(due_by_day.get(d, [])),
                reach=tuple(r for r in reach if r.day == d),
                celebrations=tuple(c for c in party if party_day[id(c)] == d),
            )
        )
    return WeekPlan(
        today=today,
        monday=monday,
        days=tuple(plans),
        owe=tuple(owe),
        waiting=tuple(waiting),
        reach=tuple(reach),
        more_due=max(0, len(lapsed) - len(chosen)),
        celebrations=tuple(party),
        coverage=tuple(coverage(config, data.contacts, data.touches, today, occ)),
    )


def week_of(today: dt.date, *, next_week: bool = False, week: dt.date | None = None) -> dt.date:
    """The Monday of the week to plan: this week, the next, or the ISO week given."""
    if week is not None:
        return week
    monday = week_monday(today)
    return monday + dt.timedelta(weeks=1) if next_week else monday
