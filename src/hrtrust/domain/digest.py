"""The Monday digest: last week in review, then this week's plan.

Pure functions of (data, today); `cli/load.py` reads what the digest needs.
Nothing here reads the clock, prints, or decides what is private: the renderers get the whole
:class:`Digest` and leave personal notes and learned facts out unless asked to include them.

The review week is the Monday-to-Sunday week before the planned week. Its promise figures count
only promises I owe (``direction = "owe"``); things I am waiting for are in the plan's overdue
list instead:

* **made**: promises whose ``made`` date is in the review week;
* **kept on time**: marked done during the review week, on or before their due date, and never
  deferred after a due date had passed;
* **kept late**: marked done during the review week, and not on time;
* **broken**: still open at the end of the review week (not done or cancelled by its Sunday)
  with the due date then in force on or before that Sunday, or deferred (by then) after a due
  date it had missed. A promise broken weeks ago counts every week until it is kept or
  cancelled: an unkept promise keeps costing trust;
* **deferred**: renegotiated (given a new due date) during the review week, on or before the
  due date it moved: that promise is not broken. A new date agreed after the old one had
  passed is not a deferral: the promise is broken until kept, then kept late;
* **cancelled**: cancelled during the review week (not counted in the rate).

The **promise-keeping rate** is kept on time / (kept on time + kept late + broken), from the
figures above; there is no rate when all three are zero.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from hrtrust.domain.catalogue import kinds
from hrtrust.domain.contacts import fold, number_key
from hrtrust.domain.dates import week_label
from hrtrust.domain.days import count_days
from hrtrust.domain.departments import client_departments
from hrtrust.domain.lapsed import RANKED, Lapse, Ranking
from hrtrust.domain.people import ById, Chosen, client_departments_of
from hrtrust.domain.planning import (
    Occurrence,
    PlanInput,
    WeekPlan,
    activity_occurrences,
    lapses,
    lapses_for,
    lapses_of,
    plan_week,
    week_days,
)
from hrtrust.domain.promises import (
    broken_at,
    keeping_rate,
    kept_on_time,
    late_since,
)
from hrtrust.locale import N_
from hrtrust.models import (
    Config,
    Contact,
    DayCount,
    Interaction,
    Promise,
    PublicDays,
    Pulse,
    entry_sort_key,
)

if TYPE_CHECKING:
    from hrtrust.domain.reports import PulseTrend

# The key the entries with no department are counted under (in --json; the views say it).
NO_DEPT = N_("(no department)")


class PromiseTally(NamedTuple):
    """What happened to the promises I owe during one week (see the module docstring)."""

    made: tuple[Promise, ...]
    kept_on_time: tuple[Promise, ...]
    kept_late: tuple[Promise, ...]
    broken: tuple[Promise, ...]
    deferred: tuple[Promise, ...]
    cancelled: tuple[Promise, ...]
    broken_days: Mapping[str, int]  # promise id → days past due at the end of the week

    @property
    def rate(self) -> float | None:
        """Kept on time / (kept on time + kept late + broken); None when nothing counts."""
        return keeping_rate(len(self.kept_on_time), len(self.kept_late), len(self.broken))


class Review(NamedTuple):
    """Last week in review: touchpoints, activities attended, promises, who went quiet."""

    first: dt.date  # Monday
    last: dt.date  # Sunday
    entries: Sequence[Interaction]  # by day and number; read when shown
    by_kind: tuple[tuple[str, int], ...]  # most logged first
    by_dept: tuple[tuple[str, int], ...]  # entries touching each department, most first
    occurrences: tuple[Occurrence, ...]  # planned activity occurrences, attended or not
    promises: PromiseTally
    people_touched: Sequence[Contact]  # decoded when read
    depts_quiet: tuple[str, ...]  # client departments with no touchpoint in the week
    gone_quiet: Sequence[Lapse]  # cadence lapsed by the end of the week, most urgent first
    # Departments with a pulse result recorded during the week (a small group's score hidden)
    pulses: tuple[PulseTrend, ...] = ()

    @property
    def label(self) -> str:
        return week_label(self.first)

    @property
    def attended(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if o.attended)

    @property
    def missed(self) -> tuple[Occurrence, ...]:
        return tuple(o for o in self.occurrences if not o.attended)


@dataclass(frozen=True)
class Digest:
    """Everything the Monday digest shows."""

    today: dt.date
    review: Review
    plan: WeekPlan
    contacts: Mapping[str, Contact]  # by id
    kind_labels: Mapping[str, str]

    @cached_property
    def names(self) -> Mapping[str, str]:
        """Name by contact id (built once: renderers look names up per row)."""
        if isinstance(self.contacts, ById):
            return self.contacts.names()
        return {cid: c.name for cid, c in self.contacts.items()}


@dataclass
class DigestInput:
    """What the digest reads: the plan's input plus the review week's log entries. With
    ``review_days`` (the week counted a day at a time: :func:`days.count_days`), the entries are
    those of the week already, by day and number, and only the ones shown are read."""

    plan: PlanInput
    review_entries: Sequence[Interaction]
    # last touch on or before the review week's Sunday, where the touch index knows a later one
    earlier_touch: dict[str, dt.date | None]
    pulses: list[Pulse] = field(default_factory=list)  # trust pulse results (feedback.toml)
    review_public: PublicDays = field(default_factory=PublicDays)  # the review week's holidays
    review_days: Mapping[dt.date, DayCount] | None = None


def review_week(monday: dt.date) -> tuple[dt.date, dt.date]:
    """The Monday and Sunday of the week before the week starting ``monday``."""
    return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1)


def open_at(p: Promise, day: dt.date) -> bool:
    """Was the promise made and still open at the end of ``day``?"""
    if p.made > day:
        return False
    if p.status == "open":
        return True
    return p.closed is not None and p.closed > day


def tally(promises: Sequence[Promise], first: dt.date, last: dt.date) -> PromiseTally:
    """The week's promise figures for promises I owe (definitions in the module docstring and
    in :mod:`hrtrust.domain.promises`)."""
    mine = sorted(
        (p for p in promises if p.direction == "owe"), key=lambda p: (p.due, number_key(p.id))
    )

    def within(day: dt.date | None) -> bool:
        return day is not None and first <= day <= last

    done = [p for p in mine if p.status == "done" and within(p.closed)]
    broken = [p for p in mine if broken_at(p, last)]
    end = last + dt.timedelta(days=1)
    return PromiseTally(
        made=tuple(p for p in mine if within(p.made)),
        kept_on_time=tuple(p for p in done if kept_on_time(p)),
        kept_late=tuple(p for p in done if not kept_on_time(p)),
        broken=tuple(broken),
        # renegotiated in time: a new date agreed after the old one had passed is a promise
        # kept late (or broken), never "deferred"
        deferred=tuple(
            p for p in mine if any(within(d.on) and d.on <= d.from_ for d in p.deferrals)
        ),
        cancelled=tuple(p for p in mine if p.status == "cancelled" and within(p.closed)),
        broken_days={p.id: (end - late_since(p, last)).days for p in broken},
    )


def review(
    data: DigestInput, first: dt.date, last: dt.date, lapsed: Sequence[Lapse] | None = None
) -> Review:
    """Last week (``first`` to ``last``) in review. ``lapsed``: the people due by a later day
    as of the day after ``last`` from the same last touches (the plan's), when known."""
    plan = data.plan
    config = plan.config
    contacts = by_id(plan)
    entries: Sequence[Interaction]
    counted: Mapping[dt.date, DayCount]
    if data.review_days is None:  # the reference: the entries counted here
        entries = sorted(
            (e for e in data.review_entries if first <= e.date <= last), key=entry_sort_key
        )
        counted = count_days(entries, dept_by_id(plan))
    else:
        entries = data.review_entries
        counted = data.review_days
    week = [(day, counted[day]) for day in sorted(counted) if first <= day <= last]
    kinds_count: Counter[str] = Counter()
    depts_count: Counter[str] = Counter()
    for _day, c in week:
        kinds_count.update(c.kinds)
        depts_count.update(c.depts)
        if c.untouched:
            depts_count[NO_DEPT] += c.untouched
    touched_ids = list(dict.fromkeys(itertools.chain.from_iterable(c.people for _, c in week)))
    people: Sequence[Contact]
    if plan.people is None:
        people = sorted(
            (contacts[cid] for cid in touched_ids if cid in contacts),
            key=lambda c: (fold(c.dept or ""), fold(c.name), c.id),
        )
    else:  # sorted by the columns: a person is decoded only if shown
        cols, at = plan.people, plan.people.position
        where = [at[cid] for cid in touched_ids if cid in at]
        people = Chosen(
            cols, where, lambda i: (fold(cols.depts[i] or ""), cols.name_keys[i], cols.ids[i])
        )
    clients = [
        d.name
        for d in (
            client_departments(config, plan.contacts)
            if plan.people is None
            else client_departments_of(config, plan.people)
        )
    ]
    occ = activity_occurrences(
        plan.activities,
        ZoneInfo(config.timezone),
        first,
        last,
        attended={(a, day) for day, c in week for a in c.attended},
        expander=plan.expander,
    )
    # an occurrence on a public holiday was flagged in the plan ("skip it?"): unless it was
    # attended anyway, it was not planned, so it is not missed
    occ = [o for o in occ if o.attended or o.day not in data.review_public.holidays]
    # the last touches as of the end of the week: the plan's (as of today), but for whoever
    # was touched after the week (their last touch before it) or the week's own entries say
    # later (the index behind); the plan's mapping itself when that is nobody
    now = plan.touches.people
    changes: dict[str, dt.date | None] = {
        cid: data.earlier_touch.get(cid) for cid in plan.touches.people_after(last)
    }
    for on, c in week:  # the week's own entries, in case the index is behind
        for cid in c.people:
            current = changes[cid] if cid in changes else now.get(cid)
            if current is None or current < on:
                changes[cid] = on
    moved = {cid for cid, day in changes.items() if day != now.get(cid)}
    last_touch: Mapping[str, dt.date] = now
    if moved:
        last_touch = dict(now)
        for cid in moved:
            day = changes[cid]
            if day is None:
                del last_touch[cid]
            else:
                last_touch[cid] = day
    end = last + dt.timedelta(days=1)
    if lapsed is None:
        lapsed = (
            lapses(plan.contacts, config, last_touch, end)
            if plan.people is None
            else lapses_of(plan.people, config, last_touch, end)
        )
    elif moved:
        # touched since the week reviewed (this morning, say): only those people are due
        # otherwise than the plan has them; everyone else's line is the plan's own
        touched = [contacts[cid] for cid in moved if cid in contacts]
        again = lapses(touched, config, last_touch, end)
        if isinstance(lapsed, Ranking):
            lapsed = lapsed.replaced(touched, again)
        else:
            kept = [x for x in lapsed if x.id not in moved]
            lapsed = sorted([*kept, *again], key=RANKED)
    # gone quiet: past due on the day after the week (those due later are only due)
    quiet: Sequence[Lapse] = (
        lapsed.overdue()
        if isinstance(lapsed, Ranking)
        else tuple(x for x in lapsed if x.days_over > 0)
    )
    return Review(
        first=first,
        last=last,
        entries=entries,
        by_kind=_ranked(kinds_count),
        by_dept=_ranked(depts_count),
        occurrences=tuple(occ),
        promises=tally(plan.promises, first, last),
        people_touched=tuple(people) if plan.people is None else people,
        depts_quiet=tuple(d for d in clients if d not in depts_count),
        gone_quiet=quiet,
        pulses=_week_pulses(data.pulses, config, first, last),
    )


def dept_by_id(plan: PlanInput) -> dict[str, str | None]:
    """Each of the plan's people's department, by id (from its columns, at C speed)."""
    if plan.people is None:
        return {c.id: c.dept for c in plan.contacts}
    return dict(zip(plan.people.ids, plan.people.depts, strict=True))


def by_id(plan: PlanInput) -> Mapping[str, Contact]:
    """The plan's people by id: looked up in its columns when it has them."""
    if plan.people is not None:
        return ById(plan.people)
    return {c.id: c for c in plan.contacts}


def _week_pulses(
    pulses: Sequence[Pulse], config: Config, first: dt.date, last: dt.date
) -> tuple[PulseTrend, ...]:
    """Departments whose latest pulse result (as of ``last``) was recorded in the week."""
    if not any(first <= p.date <= last for p in pulses):
        return ()
    from hrtrust.domain.reports import pulse_report  # a large module: only when needed

    return tuple(t for t in pulse_report(pulses, config, last) if first <= t.latest_date <= last)


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], fold(kv[0]), kv[0])))


def build(data: DigestInput, today: dt.date, monday: dt.date) -> Digest:
    """The digest for the week starting ``monday``, as seen on ``today``."""
    first, last = review_week(monday)
    plan = data.plan
    # The plan's people due by the week's end, as of today: the review's "gone quiet" too when
    # today is the day after the week reviewed (the usual Monday digest), so worked out once.
    days = week_days(plan.config, monday, plan.public)
    lapsed = lapses_for(plan, today, days[-1])
    reviewed = lapsed if today == last + dt.timedelta(days=1) else None
    return Digest(
        today=today,
        review=review(data, first, last, reviewed),
        plan=plan_week(plan, today, monday, lapsed),
        contacts=by_id(plan),
        kind_labels={name: k.label for name, k in kinds(data.plan.config).items()},
    )
