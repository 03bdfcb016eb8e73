"""The relationship health report: the series behind one printable page of charts for your
manager. Pure functions of (data, today): nothing here reads the clock, prints or opens a file;
``cli/load.py`` reads the data and ``present/health.py`` draws the page.

The report covers the last ``months`` calendar months ending with today's (the *window*: the
first day of the oldest month to today), for the client departments, or the departments
``--dept`` names. It reuses the rules of :mod:`hrtrust.domain.reports` and
:mod:`hrtrust.domain.departments` (client departments, which departments an entry touches,
last touch, gone quiet, keeping rate, balance across managers, small groups), and adds these:

- A *broadcast* is a log entry that reaches departments rather than people: a kind that is not
  a touchpoint in the catalogue (``touch = false``: a newsletter, a pulse survey), or an entry
  that names every client department (what ``log --all-depts`` writes), two at least. A
  broadcast reaches the departments it names, or every department when it names none.
- *Coverage* of a department in a month: the log entries that are not broadcasts and touch it
  (:func:`~hrtrust.domain.departments.touched_depts`, once per entry), the distinct people of
  the department in them, the distinct allies among those people, and apart from them the
  broadcasts that reached it. Its months start with the window, or with the oldest month the
  log holds when that is later: no empty months from before anything was logged (the rule
  ``report promises`` and ``report balance`` follow).
- *Promise keeping* by month is :func:`~hrtrust.domain.reports.promise_report`'s over the
  window (from the first month a promise fell due); with ``--dept`` only promises to those
  departments (or to people in them) count.
- *Pulse*: each department's results dated in the window; a result from fewer respondents than
  ``min-responses`` is never drawn (:func:`~hrtrust.domain.reports.too_few`), only its date kept.
- *Balance* is :func:`~hrtrust.domain.reports.balance_report` by manager over the whole window;
  a manager is *never met* when the touch index holds no touch of them up to today.
- *Feedback loop*: the feedback received in the window (by department, as the newsletter
  attributes it), how many of those items have an action by today, how many are closed by
  today, and the median days from received to closed over the closed ones.
- *Recognition*: log entries of kind ``recognition`` (the catalogue's "give credit in public")
  in the window, counted once per department they touch, with the distinct people recognised.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from hrtrust.domain import catalogue
from hrtrust.domain.contacts import fold, number_key
from hrtrust.domain.departments import (
    by_department,
    client_departments,
    days_quiet,
    gone_quiet,
    last_touch,
    touched_depts,
)
from hrtrust.domain.reports import (
    BalanceReport,
    PromiseMonth,
    PulseTrend,
    ReportInput,
    balance_report,
    feedback_source,
    last_months,
    month_key,
    promise_report,
    pulse_report,
    too_few,
)
from hrtrust.models import ALLY, MANAGER, Department, Interaction, Kind, Pulse

RECOGNITION = "recognition"  # the catalogue's kind for giving credit in public
MONTHS = 12  # the window when not asked otherwise: a year, four quarterly pulses


@dataclass(frozen=True)
class CoverageCell:
    """One department in one month."""

    touches: int  # entries that are not broadcasts and touched the department
    people: int  # distinct people of the department in those entries
    allies: int  # distinct allies of the department among them
    broadcasts: int  # broadcasts that reached the department


@dataclass(frozen=True)
class CoverageLine:
    """One department's row of the heat map, and where it stands today."""

    dept: str
    window: str  # the department's coverage window ("2w")
    allies: tuple[str, ...]  # the allies known there today (names)
    cells: tuple[CoverageCell, ...]  # one per month of the heat map (``Health.logged``)
    last: dt.date | None  # last touch up to today (any time, not only in the window)
    days_since: int | None
    gone_quiet: bool

    @property
    def touches(self) -> int:
        return sum(c.touches for c in self.cells)


@dataclass(frozen=True)
class PulseLine:
    """One department's pulse results in the window."""

    dept: str
    scale: float  # the top score of its latest result
    points: tuple[Pulse, ...]  # the results that may be shown, oldest first
    suppressed: tuple[dt.date, ...]  # dates of results from too few respondents: not drawn
    trend: PulseTrend  # latest, change and streak as ``report pulse`` gives them


@dataclass(frozen=True)
class ManagerLine:
    """A manager's touchpoints over the window."""

    id: str
    name: str
    dept: str | None
    touches: int
    low: bool  # below half the median
    last: dt.date | None  # last touch up to today, from the touch index
    never_met: bool  # no touch of them at all up to today


@dataclass(frozen=True)
class FeedbackLine:
    """The feedback loop for one department (``""``: a source with no department)."""

    dept: str
    received: int
    acted: int
    closed: int
    median_days_to_close: float | None

    @property
    def open(self) -> int:
        return self.received - self.closed


@dataclass(frozen=True)
class RecognitionLine:
    dept: str
    given: int  # recognition entries that touched the department
    people: int  # distinct people of the department recognised


@dataclass(frozen=True)
class Covered:
    """What data the page covers, said at its top."""

    entries: int  # log entries in the window
    broadcasts: int  # of which broadcasts
    first_entry: dt.date | None  # the oldest and newest entry in the window
    last_entry: dt.date | None
    people: int  # contacts known today in the departments shown
    promises: int  # promises I owe that fell due in the window (any outcome)
    feedback: int  # feedback received in the window
    pulses: int  # pulse results in the window, shown or not


@dataclass(frozen=True)
class Health:
    """Every series of the health report."""

    today: dt.date
    first: dt.date  # the window's first day (the first of its oldest month)
    months: tuple[str, ...]  # the window's months, "2026-01", oldest first
    logged: tuple[str, ...]  # the months of the coverage heat map (from the log's first on)
    depts: tuple[str, ...]
    chosen: bool  # the departments were chosen with --dept (else: every client department)
    min_responses: int
    covered: Covered
    coverage: tuple[CoverageLine, ...]
    broadcasts: tuple[int, ...]  # broadcasts per heat-map month (each once, whatever it reached)
    promises: tuple[PromiseMonth, ...]  # by month, from the first month a promise fell due
    promise_rate: float | None  # over the window
    pulse: tuple[PulseLine, ...]
    managers: tuple[ManagerLine, ...]  # most touched first
    manager_median: float | None
    feedback: tuple[FeedbackLine, ...]
    recognition: tuple[RecognitionLine, ...]


def is_broadcast(entry: Interaction, kinds: Mapping[str, Kind], client: Sequence[str]) -> bool:
    """A newsletter, a survey or an ``--all-depts`` entry: it reaches departments, not people
    (``kinds``: :func:`~hrtrust.domain.catalogue.kinds`; ``client``: the client departments)."""
    kind = kinds.get(entry.kind)
    if kind is not None and not kind.touch:
        return True
    return len(client) >= 2 and set(client) <= set(entry.depts)


def health_report(
    data: ReportInput,
    today: dt.date,
    *,
    months: int = MONTHS,
    depts: Sequence[str] = (),
    log_start: dt.date | None = None,
) -> Health:
    """The health report's series over the last ``months`` calendar months, for the client
    departments or, when given, exactly ``depts`` (registered names, in that order).
    ``log_start``: a day in the oldest month the log holds (None: it holds nothing)."""
    spans = last_months(today, months)
    first = spans[0][0]
    window = tuple(month_key(a) for a, _ in spans)
    start = month_key(min(max(first, log_start), today)) if log_start else window[0]
    keys = window[window.index(start) :]
    client = client_departments(data.config, data.contacts)
    registry = {d.name: d for d in data.config.department}
    shown = (
        [registry.get(n) or Department(name=n) for n in dict.fromkeys(depts)] if depts else client
    )
    names = [d.name for d in shown]
    entries = [e for e in data.entries if first <= e.date <= today]
    table = catalogue.kinds(data.config)
    client_names = [d.name for d in client]
    casts: list[Interaction] = []
    touches: list[Interaction] = []
    month_of = {k: i for i, k in enumerate(keys)}
    for e in entries:
        if month_key(e.date) in month_of:  # always, when log_start is the log's first month
            (casts if is_broadcast(e, table, client_names) else touches).append(e)
    coverage = _coverage(data, today, shown, keys, month_of, touches, casts)
    cast_counts = [0] * len(keys)
    for e in casts:
        cast_counts[month_of[month_key(e.date)]] += 1

    promises, rate, promised = _promises(data, today, months, names if depts else None)
    pulse = _pulse(data, today, first, names)
    managers, median = _managers(data, today, first, names if depts else None)
    feedback = _feedback(data, today, first, names, chosen=bool(depts))
    recognition = _recognition(data, names, [e for e in entries if e.kind == RECOGNITION])
    grouped = by_department(data.contacts, today)
    covered = Covered(
        entries=len(entries),
        broadcasts=len(casts),
        first_entry=min((e.date for e in entries), default=None),
        last_entry=max((e.date for e in entries), default=None),
        people=sum(len(grouped.get(n, [])) for n in names),
        promises=promised,
        feedback=sum(f.received for f in feedback),
        pulses=sum(len(p.points) + len(p.suppressed) for p in pulse),
    )
    return Health(
        today=today,
        first=first,
        months=window,
        logged=keys,
        depts=tuple(names),
        chosen=bool(depts),
        min_responses=data.config.min_responses,
        covered=covered,
        coverage=coverage,
        broadcasts=tuple(cast_counts),
        promises=promises,
        promise_rate=rate,
        pulse=pulse,
        managers=managers,
        manager_median=median,
        feedback=feedback,
        recognition=recognition,
    )


def _coverage(
    data: ReportInput,
    today: dt.date,
    shown: Sequence[Department],
    keys: Sequence[str],
    month_of: dict[str, int],
    touches: Sequence[Interaction],
    casts: Sequence[Interaction],
) -> tuple[CoverageLine, ...]:
    """Each department's heat-map row; the log is walked once, not once per department."""
    dept_of = {c.id: c.dept for c in data.contacts}
    allies = {c.id for c in data.contacts if ALLY in c.tags}
    names = {d.name for d in shown}
    count = {n: [0] * len(keys) for n in names}
    people: dict[str, list[set[str]]] = {n: [set() for _ in keys] for n in names}
    reached = {n: [0] * len(keys) for n in names}
    for e in touches:
        i = month_of[month_key(e.date)]
        for name in touched_depts(e, dept_of):
            if name in names:
                count[name][i] += 1
                people[name][i].update(w for w in e.with_ if dept_of.get(w) == name)
    for e in casts:
        i = month_of[month_key(e.date)]
        for name in names if not e.depts else names.intersection(e.depts):
            reached[name][i] += 1
    grouped = by_department(data.contacts, today)
    out = []
    for d in shown:
        members = grouped.get(d.name, [])
        last = last_touch(d.name, members, data.touches)
        met = people[d.name]
        out.append(
            CoverageLine(
                dept=d.name,
                window=d.window,
                allies=tuple(
                    c.name
                    for c in sorted(members, key=lambda c: number_key(c.id))
                    if ALLY in c.tags
                ),
                cells=tuple(
                    CoverageCell(count[d.name][i], len(met[i]), len(met[i] & allies), n)
                    for i, n in enumerate(reached[d.name])
                ),
                last=last,
                days_since=days_quiet(last, today),
                gone_quiet=gone_quiet(d, last, today),
            )
        )
    return tuple(out)


def _promises(
    data: ReportInput, today: dt.date, months: int, names: Sequence[str] | None
) -> tuple[tuple[PromiseMonth, ...], float | None, int]:
    """Promise keeping by month, the rate over them, and how many promises they hold."""
    promises = data.promises
    if names is not None:
        dept_of = {c.id: c.dept for c in data.contacts}
        wanted = set(names)
        promises = [
            p
            for p in promises
            if p.dept in wanted or (p.person is not None and dept_of.get(p.person) in wanted)
        ]
    report = promise_report(promises, today, months=months)
    rows = report.months
    counted = sum(m.kept + m.late + m.broken + m.cancelled + m.pending for m in rows)
    return rows, report.rate, counted


def _pulse(
    data: ReportInput, today: dt.date, first: dt.date, names: Sequence[str]
) -> tuple[PulseLine, ...]:
    trends = {t.dept: t for t in pulse_report(data.pulses, data.config, today)}
    least = data.config.min_responses
    out = []
    for name in names:
        trend = trends.get(name)
        if trend is None:
            continue
        inside = sorted(
            (p for p in data.pulses if p.dept == name and first <= p.date <= today),
            key=lambda p: p.date,
        )
        points = tuple(p for p in inside if not too_few(p.responses, least))
        hidden = tuple(p.date for p in inside if too_few(p.responses, least))
        if points or hidden:
            out.append(PulseLine(name, trend.scale, points, hidden, trend))
    return tuple(out)


def _managers(
    data: ReportInput, today: dt.date, first: dt.date, names: Sequence[str] | None
) -> tuple[tuple[ManagerLine, ...], float | None]:
    """Touchpoints per manager over the window (``report balance``'s rule)."""
    if names is not None:  # only the managers of the departments asked for are compared
        wanted = set(names)
        data = replace(
            data,
            contacts=[c for c in data.contacts if c.dept in wanted or MANAGER not in c.tags],
        )
    report: BalanceReport = balance_report(
        data, today, window_days=(today - first).days + 1, by="manager"
    )
    rows = tuple(
        ManagerLine(
            id=r.key,
            name=r.name,
            dept=r.dept,
            touches=r.count,
            low=r.low,
            last=data.touches.people.get(r.key),
            never_met=r.key not in data.touches.people,
        )
        for r in report.rows
    )
    return rows, report.median


def _feedback(
    data: ReportInput, today: dt.date, first: dt.date, names: Sequence[str], *, chosen: bool
) -> tuple[FeedbackLine, ...]:
    """By department: the departments shown first, then (unless chosen with --dept) any
    other source, and last the feedback with no department."""
    by_dept: dict[str, list[tuple[bool, int | None]]] = {}
    for f in data.feedback:
        if not first <= f.date <= today:
            continue
        source = feedback_source(f, data.contacts)
        if chosen and source not in names:
            continue
        acted = any(a.date <= today for a in f.actions)
        closed = (f.closed - f.date).days if f.closed is not None and f.closed <= today else None
        by_dept.setdefault(source, []).append((acted, closed))
    order = {n: i for i, n in enumerate(names)}
    out = []
    for dept in sorted(by_dept, key=lambda n: (order.get(n, len(order)), n == "", fold(n))):
        items = by_dept[dept]
        days = [d for _, d in items if d is not None]
        out.append(
            FeedbackLine(
                dept=dept,
                received=len(items),
                acted=sum(a for a, _ in items),
                closed=len(days),
                median_days_to_close=statistics.median(days) if days else None,
            )
        )
    return tuple(out)


def _recognition(
    data: ReportInput, names: Sequence[str], entries: Sequence[Interaction]
) -> tuple[RecognitionLine, ...]:
    dept_of = {c.id: c.dept for c in data.contacts}
    given = dict.fromkeys(names, 0)
    people: dict[str, set[str]] = {n: set() for n in names}
    for e in entries:
        for name in touched_depts(e, dept_of):
            if name in given:
                given[name] += 1
                people[name].update(w for w in e.with_ if dept_of.get(w) == name)
    return tuple(RecognitionLine(n, given[n], len(people[n])) for n in names)
