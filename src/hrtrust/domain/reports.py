"""Relationship health reports: coverage, balance across managers, promise keeping, the feedback
loop and the trust pulse. Pure functions of (data, today): nothing here reads the clock, prints,
or touches files; `cli/load.py` reads the data and `present/` renders the results.

The figures, defined exactly (the tests check each one):

- A log entry *touches a department* when its ``dept`` is that department or anyone it was
  with belongs to it; an entry counts once per department however many people it had.
- *The last N days* are today and the N-1 days before it; entries dated after today are ignored.
- *Gini coefficient* of counts x_1..x_n: G = sum_i sum_j |x_i - x_j| / (2 n^2 mean); 0 when
  every count is 0, undefined (None) with nobody to compare. 0 is perfectly even; the closer
  to 1, the more the touchpoints go to a few.
- *Keeping rate* of a month: among the promises I owe whose first missed due date (or else
  their due date) falls in the month and that are kept or past due: kept on time / (kept on
  time + kept late + broken), with kept late and broken as :mod:`hrtrust.domain.promises`
  defines them (a deferral after the due date does not make a promise on time). Cancelled and
  not-yet-due promises are left out; a month with none has no rate (None, shown "n/a").
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from hrtrust.domain.contacts import fold, number_key
from hrtrust.domain.days import count_days
from hrtrust.domain.departments import (
    by_department,
    client_departments,
    days_quiet,
    gone_quiet,
    last_touch,
    non_client_names,
    touched_depts,
)
from hrtrust.domain.promises import as_of, days_late, keeping_rate, late_since, outcome
from hrtrust.domain.shifts import count_shifts
from hrtrust.models import (
    ALLY,
    MANAGER,
    MIN_RESPONSES,
    MIN_RESPONSES_FLOOR,
    Action,
    Config,
    Contact,
    Department,
    Feedback,
    Interaction,
    Promise,
    Pulse,
    Touched,
    Touches,
)

# -- shared helpers ----------------------------------------------------------------------------


def in_last_days(day: dt.date, today: dt.date, days: int) -> bool:
    """True when ``day`` is today or one of the ``days - 1`` days before it."""
    return today - dt.timedelta(days=days) < day <= today


def gini(values: Sequence[float]) -> float | None:
    """G = sum_i sum_j |x_i - x_j| / (2 n^2 mean); 0 when all are 0; None for no values.

    Example: ``gini([0, 2, 4])`` is 16 / 36 = 4/9.
    """
    n = len(values)
    if n == 0:
        return None
    total = sum(values)
    if total == 0:
        return 0.0
    mean = total / n
    diffs = sum(abs(a - b) for a in values for b in values)
    return diffs / (2 * n * n * mean)


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: dt.date, n: int) -> list[tuple[dt.date, dt.date]]:
    """The first and last day of the ``n`` calendar months ending with today's, oldest first."""
    out = []
    year, month = today.year, today.month
    for _ in range(n):
        first = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        out.append((first, nxt - dt.timedelta(days=1)))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    out.reverse()
    return out


# -- what the reports read ---------------------------------------------------------------------


@dataclass
class ReportInput:
    """The data the reports need: the small files, the log since ``since`` (what counting
    reads of it, and its whole entries when a report shows them), the touch index."""

    config: Config
    contacts: list[Contact]
    promises: list[Promise]
    feedback: list[Feedback]
    pulses: list[Pulse]
    entries: list[Interaction]
    touches: Touches
    touchpoints: Sequence[Touched] = ()
    # The touchpoints already counted per day and department (count_days's departments, as
    # storage keeps them): what coverage sums instead of counting the touchpoints again.
    by_day: Mapping[dt.date, Mapping[str, int]] | None = None

    def __post_init__(self) -> None:
        if not self.touchpoints:  # given the whole entries only: they are what is counted
            self.touchpoints = self.entries


# -- coverage ----------------------------------------------------------------------------------

Flag = Literal["no ally", "gone quiet", "one person known"]


@dataclass(frozen=True)
class CoverageRow:
    """One client department: who HR knows there, how often HR was there, and what is missing."""

    dept: str
    window: str
    people: int
    headcount: int | None
    allies: tuple[str, ...]  # names
    last_30: int
    last_90: int
    last: dt.date | None
    days_since: int | None
    flags: tuple[Flag, ...]
    shifts: tuple[tuple[str, int], ...] = ()  # people by shift: 日班 12, 夜班 3


def coverage_report(data: ReportInput, today: dt.date) -> list[CoverageRow]:
    """Client departments × people known, allies, touchpoints in the last 30 and 90 days.

    Flags: ``no ally`` (no contact tagged ally), ``gone quiet`` (no touch, or the last one
    longer ago than the department's window), ``one person known`` (at most one contact).
    """
    # One pass over the entries, or over their counts kept per day: each entry's departments
    # once (days.count_days); the windows as their first days (in_last_days' meaning).
    after_90 = today - dt.timedelta(days=90)
    after_30 = today - dt.timedelta(days=30)
    by_day = data.by_day
    if by_day is None:
        dept_of = {c.id: c.dept for c in data.contacts}
        counted = count_days((e for e in data.touchpoints if after_90 < e.date <= today), dept_of)
        by_day = {day: c.depts for day, c in counted.items()}
    last_90: Counter[str] = Counter()
    last_30: Counter[str] = Counter()
    for day, counts in by_day.items():
        if not after_90 < day <= today:
            continue
        last_90.update(counts)
        if day > after_30:
            last_30.update(counts)
    out = []
    grouped = by_department(data.contacts, today)
    for d in client_departments(data.config, data.contacts):
        members = grouped.get(d.name, [])
        last = last_touch(d.name, members, data.touches)
        since = days_quiet(last, today)
        # the allies by number (sorted after filtering: a stable sort keeps the same order)
        allies = tuple(
            c.name for c in sorted([c for c in members if ALLY in c.tags], key=_number_of)
        )
        flags: list[Flag] = []
        if not allies:
            flags.append("no ally")
        if gone_quiet(d, last, today, members):
            flags.append("gone quiet")
        if len(members) <= 1:
            flags.append("one person known")
        out.append(
            CoverageRow(
                dept=d.name,
                window=d.window,
                people=len(members),
                headcount=d.headcount,
                allies=allies,
                last_30=last_30[d.name],
                last_90=last_90[d.name],
                last=last,
                days_since=since,
                flags=tuple(flags),
                shifts=count_shifts(members),
            )
        )
    return out


def _number_of(c: Contact) -> tuple[int, str]:
    return number_key(c.id)


# -- balance -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    """One manager (or department) and their touchpoints over the window."""

    key: str  # contact id, or department name
    name: str
    dept: str | None
    count: int
    headcount: int | None
    value: float  # what is compared: the count, or touchpoints per head
    low: bool  # below half the median


@dataclass(frozen=True)
class MonthGini:
    month: str  # "2026-11"
    gini: float | None
    total: int


@dataclass(frozen=True)
class BalanceReport:
    """Touchpoints per manager or per department, the median, outliers and the Gini trend."""

    by: Literal["manager", "dept"]
    window_days: int
    first: dt.date
    today: dt.date
    rows: tuple[BalanceRow, ...]
    median: float | None
    gini: float | None
    per_head: bool  # dept only: values are touchpoints per head (every headcount known)
    unscaled: tuple[str, ...]  # dept only: departments without a headcount
    trend: tuple[MonthGini, ...]


def balance_managers(data: ReportInput, today: dt.date) -> list[Contact]:
    """Contacts tagged manager, except those in a department HR does not serve (non-client),
    archived ones (they left) and those paused today."""
    non_client = non_client_names(data.config)
    out = [
        c
        for c in data.contacts
        if MANAGER in c.tags and c.dept not in non_client and c.active(today)
    ]
    return sorted(out, key=lambda c: number_key(c.id))


def _manager_counts(managers: Sequence[Contact], entries: Iterable[Touched]) -> dict[str, int]:
    counts = {c.id: 0 for c in managers}
    for e in entries:
        for w in set(e.with_):
            if w in counts:
                counts[w] += 1
    return counts


def _dept_counts(
    depts: Sequence[Department], contacts: Sequence[Contact], entries: Iterable[Touched]
) -> dict[str, int]:
    dept_of = {c.id: c.dept for c in contacts}
    counts = {d.name: 0 for d in depts}
    for e in entries:
        for name in touched_depts(e, dept_of):
            if name in counts:
                counts[name] += 1
    return counts


def balance_report(
    data: ReportInput,
    today: dt.date,
    *,
    window_days: int = 90,
    by: Literal["manager", "dept"] = "manager",
    months: int = 6,
) -> BalanceReport:
    """ "Equal support to every manager": touchpoints each got in the last ``window_days`` days.

    A row is *low* when its value is below half the median. By department, values are
    touchpoints per head when every client department has a headcount (else raw counts, and
    the departments lacking one are listed). The Gini coefficient is taken of the same values,
    over the window and for each of the last ``months`` calendar months.
    """
    window = [e for e in data.touchpoints if in_last_days(e.date, today, window_days)]
    rows: list[BalanceRow] = []
    per_head = False
    unscaled: tuple[str, ...] = ()
    if by == "manager":
        managers = balance_managers(data, today)
        counts = _manager_counts(managers, window)
        rows = [
            BalanceRow(c.id, c.name, c.dept, counts[c.id], None, float(counts[c.id]), False)
            for c in managers
        ]
    else:
        depts = client_departments(data.config, data.contacts)
        unscaled = tuple(d.name for d in depts if not d.headcount)
        per_head = bool(depts) and not unscaled
        counts = _dept_counts(depts, data.contacts, window)
        for d in depts:
            n = counts[d.name]
            value = n / d.headcount if per_head and d.headcount else float(n)
            rows.append(BalanceRow(d.name, d.name, d.name, n, d.headcount, value, False))
    values = [r.value for r in rows]
    median = statistics.median(values) if values else None
    if median is not None:
        rows = [
            BalanceRow(r.key, r.name, r.dept, r.count, r.headcount, r.value, r.value < median / 2)
            for r in rows
        ]
    rows.sort(key=lambda r: (-r.value, fold(r.name), r.key))

    trend = []
    for first, last in last_months(today, months):
        inside = [e for e in data.touchpoints if first <= e.date <= min(last, today)]
        if by == "manager":
            mc = _manager_counts(balance_managers(data, today), inside)
            month_values = [float(v) for v in mc.values()]
        else:
            depts = client_departments(data.config, data.contacts)
            dc = _dept_counts(depts, data.contacts, inside)
            month_values = [
                dc[d.name] / d.headcount if per_head and d.headcount else float(dc[d.name])
                for d in depts
            ]
        trend.append(MonthGini(month_key(first), _round(gini(month_values)), len(inside)))
    trend = _from_first(trend, lambda m: m.total > 0)
    return BalanceReport(
        by=by,
        window_days=window_days,
        first=today - dt.timedelta(days=window_days - 1),
        today=today,
        rows=tuple(rows),
        median=median,
        gini=_round(gini(values)),
        per_head=per_head,
        unscaled=unscaled,
        trend=tuple(trend),
    )


T = TypeVar("T")


def _from_first(months: list[T], has_data: Callable[[T], bool]) -> list[T]:
    """The months from the first one with a record on: no empty months from before hrtrust
    held anything (empty months after that stay: they are information)."""
    first = next((i for i, m in enumerate(months) if has_data(m)), len(months))
    return months[first:]


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


# -- promises ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PromiseMonth:
    """Promises I owe that fell due in one month, by outcome, and the keeping rate."""

    month: str
    kept: int
    late: int
    broken: int
    cancelled: int
    pending: int  # due later this month, not kept yet
    rate: float | None  # kept / (kept + late + broken); None when there were none


@dataclass(frozen=True)
class Deferred:
    promise: Promise
    times: int
    days_pushed: int  # final due date minus the first one agreed


@dataclass(frozen=True)
class PromiseReport:
    today: dt.date
    months: tuple[PromiseMonth, ...]
    rate: float | None  # over all the months shown
    late_count: int
    avg_lateness: float | None  # days, over promises kept late in the months shown
    deferred: tuple[Deferred, ...]


def promise_report(
    promises: Sequence[Promise], today: dt.date, *, months: int = 6, top: int = 5
) -> PromiseReport:
    """Promise keeping over the last ``months`` calendar months (promises I owe only).

    A promise belongs to the month of its first missed due date (deferred after it had passed),
    else of its due date. Average lateness: mean days late (against that date) over promises
    kept late in those months. Most deferred: promises renegotiated at least once, most times first
    (then most days pushed), at most ``top``.
    """
    # each promise as it stood on ``today`` (a replay with --today gives the figures of then)
    mine = [q for p in promises if p.direction == "owe" and (q := as_of(p, today)) is not None]
    rows = []
    lateness: list[int] = []
    totals = {"kept": 0, "late": 0, "overdue": 0}
    for first, last in last_months(today, months):
        tally = {"kept": 0, "late": 0, "overdue": 0, "cancelled": 0, "open": 0}
        for p in mine:
            if as_of(p, today) is not None and first <= late_since(p, today) <= last:
                state = outcome(p, today)
                tally[state] += 1
                if state == "late":
                    lateness.append(days_late(p, today))
        for key in totals:
            totals[key] += tally[key]
        rows.append(
            PromiseMonth(
                month=month_key(first),
                kept=tally["kept"],
                late=tally["late"],
                broken=tally["overdue"],
                cancelled=tally["cancelled"],
                pending=tally["open"],
                rate=_round(keeping_rate(tally["kept"], tally["late"], tally["overdue"])),
            )
        )
    rows = _from_first(rows, lambda m: m.kept + m.late + m.broken + m.cancelled + m.pending > 0)
    deferred = [
        Deferred(p, len(p.deferrals), (p.due - p.original_due).days) for p in mine if p.deferrals
    ]
    deferred.sort(key=lambda d: (-d.times, -d.days_pushed, number_key(d.promise.id)))
    return PromiseReport(
        today=today,
        months=tuple(rows),
        rate=_round(keeping_rate(totals["kept"], totals["late"], totals["overdue"])),
        late_count=len(lateness),
        avg_lateness=_round(sum(lateness) / len(lateness), 2) if lateness else None,
        deferred=tuple(deferred[:top]),
    )


# -- feedback ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackItem:
    feedback: Feedback
    age: int  # days since it was received
    source: str  # the department (or the person's department); "" when unknown
    since_action: int | None  # days since the last action; None: nothing done yet
    # from fewer than this many responses (the fewest a result needs): text and source are
    # not shown (present.common.fewer_than says so); None: shown
    suppressed: int | None = None


def feedback_source(item: Feedback, contacts: Sequence[Contact]) -> str:
    """Who said it, as the newsletter names them: the department, else the person's department."""
    if item.dept:
        return item.dept
    for c in contacts:
        if c.id == item.person:
            return c.dept or ""
    return ""


def feedback_report(
    items: Sequence[Feedback],
    contacts: Sequence[Contact],
    today: dt.date,
    min_responses: int = MIN_RESPONSES,
) -> list[FeedbackItem]:
    """Open feedback (not closed: the person has not been told yet), oldest first.

    An item from a survey with fewer than ``min_responses`` respondents is listed without its
    text or source (``suppressed``): a small group's words could single someone out."""
    out = []
    for f in items:
        if f.closed is not None:
            continue
        last_action = max((a.date for a in f.actions), default=None)
        out.append(
            FeedbackItem(
                feedback=f,
                age=(today - f.date).days,
                source=feedback_source(f, contacts),
                since_action=(today - last_action).days if last_action else None,
                suppressed=max(min_responses, MIN_RESPONSES_FLOOR)
                if too_few(f.responses, min_responses)
                else None,
            )
        )
    out.sort(key=lambda x: (-x.age, number_key(x.feedback.id)))
    return out


@dataclass(frozen=True)
class NewsItem:
    """One item of the newsletter: the feedback, who said it and what was done (in order)."""

    feedback: Feedback
    source: str  # the department (or the person's department); "" when unknown
    person: str | None  # the person's name, when the newsletter names people
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Newsletter:
    """The "You said, we did" section: what to tell, and how many items were left out."""

    items: tuple[NewsItem, ...]
    small: int  # items from too few respondents: left out, only counted
    min_responses: int


def you_said_we_did(
    items: Sequence[Feedback],
    contacts: Sequence[Contact],
    *,
    names: bool = False,
    since: dt.date | None = None,
    min_responses: int = MIN_RESPONSES,
) -> Newsletter:
    """The newsletter section: every item with at least one action (since ``since``, if given),
    attributed to the department (or, with ``names``, to the person), in the order received.

    Items from surveys with fewer than ``min_responses`` respondents are left out (and
    counted), and so is private feedback: a newsletter is read by everyone.
    """
    by_id = {c.id: c for c in contacts}
    shown: list[NewsItem] = []
    small = 0
    for f in sorted(items, key=lambda f: (f.date, number_key(f.id))):
        actions = sorted(f.actions, key=lambda a: a.date)
        if since is not None:
            actions = [a for a in actions if a.date >= since]
        if not actions or f.private:
            continue
        if too_few(f.responses, min_responses):
            small += 1
            continue
        person = by_id.get(f.person) if f.person and names else None
        source = feedback_source(f, contacts)
        shown.append(NewsItem(f, source, person.name if person else None, tuple(actions)))
    return Newsletter(tuple(shown), small, min_responses)


# -- pulse -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PulseTrend:
    """One department's trust pulse results over time.

    Results from fewer respondents than ``min_responses`` are never shown: they are left out of
    ``points``, and when the latest result is one of them ``latest`` is None (the views say
    "fewer than 5 responses"). A result without a recorded count is shown.
    """

    dept: str
    points: tuple[Pulse, ...]  # the results that may be shown, oldest first
    latest: float | None  # None: the latest result had too few respondents to be shown
    latest_date: dt.date
    scale: float
    change: float | None  # latest minus the previous shown result
    streak: int  # results in a row that went the same way as the last change (+ up, - down)
    min_responses: int = MIN_RESPONSES
    hidden: int = 0  # results left out for too few respondents
    responses: int | None = None  # how many answered the latest survey
    headcount: int | None = None  # the department's headcount, when config.toml knows it

    @property
    def participation(self) -> float | None:
        """Share of the department that answered the latest survey (needs both counts)."""
        if self.responses is None or not self.headcount:
            return None
        return round(self.responses / self.headcount, 4)


def too_few(responses: int | None, min_responses: int) -> bool:
    """True when a result from ``responses`` respondents must not be shown."""
    return responses is not None and responses < max(min_responses, MIN_RESPONSES_FLOOR)


def pulse_scale(p: Pulse) -> float:
    """The survey's scale (the top score): stored as ``scale`` when not the usual 5."""
    return p.top


def pulse_report(pulses: Sequence[Pulse], config: Config, today: dt.date) -> list[PulseTrend]:
    """Each department's results up to today, in date order, with the change from the
    previous result and how many changes in a row went the same way.

    Departments follow the config's order; departments not in the config come after, by name.
    """
    by_dept: dict[str, list[Pulse]] = {}
    for p in pulses:
        if p.date <= today:
            by_dept.setdefault(p.dept, []).append(p)
    order = [d.name for d in config.department]
    heads = {d.name: d.headcount for d in config.department}
    least = config.min_responses
    names = sorted(by_dept, key=lambda n: (order.index(n) if n in order else len(order), fold(n)))
    out = []
    for name in names:
        every = sorted(by_dept[name], key=lambda p: p.date)
        points = [p for p in every if not too_few(p.responses, least)]
        newest = every[-1]
        shown = bool(points) and points[-1] is newest
        latest = newest
        change = None
        streak = 0
        if shown and len(points) > 1:
            change = round(latest.score - points[-2].score, 4)
            sign = (change > 0) - (change < 0)
            if sign:
                for a, b in zip(reversed(points[:-1]), reversed(points[1:]), strict=True):
                    step = b.score - a.score
                    if (step > 0) - (step < 0) != sign:
                        break
                    streak += sign
        out.append(
            PulseTrend(
                dept=name,
                points=tuple(points),
                latest=latest.score if shown else None,
                latest_date=latest.date,
                scale=pulse_scale(latest),
                change=change,
                streak=streak,
                min_responses=least,
                hidden=len(every) - len(points),
                responses=latest.responses,
                headcount=heads.get(name),
            )
        )
    return out


# -- JSON views (nothing private in them: no notes, no learned facts) ---------------------------
