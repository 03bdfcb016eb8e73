"""The relationship health report as a page for your manager, a terminal summary and JSON.

The page and the terminal summary are written from one view model (:func:`page`): each
chart's title, its one-line reading and the table of the numbers behind it; the JSON is the
series themselves. Nothing private enters either: the series hold counts, dates, department
and contact names, never a note, a learned fact, a talking point or a feedback text.

The HTML page is self-contained (inline CSS and SVG, no script, no font or image to fetch)
and prints on A4 portrait; its charts come from :mod:`hrtrust.present.charts` (matplotlib),
which only the HTML form imports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hrtrust.domain.health import Health, ManagerLine, PulseLine
from hrtrust.domain.reports import month_key
from hrtrust.locale import ENGLISH, _, language, ngettext
from hrtrust.locale.phrase import said
from hrtrust.models import lazy_re
from hrtrust.present.common import (
    days_or_weeks,
    fewer_than,
    full_date,
    listed,
    month_year,
    months_count,
    one_line,
    span_text,
)
from hrtrust.present.digest import RATE_DEFINITION
from hrtrust.present.reports import month_label, month_short, percent

if TYPE_CHECKING:
    from rich.console import RenderableType

ALLY_MARK = "▲"
# A page is read in minutes: past these, the chart and its table show the ones that matter
# (the managers with the fewest touchpoints, the departments whose pulse moved most) and say
# how many more --json holds.
MANAGERS_SHOWN = 30
PULSE_LINES = 8


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart: a caption, column headings, and rows whose first cell
    names the row."""

    caption: str
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    key: str  # "coverage", "promises", "pulse", "balance", "feedback", "recognition"
    title: str
    reading: str  # what the chart says, in one line
    how: str  # how to read it
    table: Table
    notes: tuple[str, ...] = ()
    empty: str | None = None  # nothing to draw: said instead of a chart ("": the reading says it)


@dataclass(frozen=True)
class Page:
    title: str
    window: str  # "Dec 2025 – Nov 2026 (12 months)"
    covered: tuple[tuple[str, str], ...]  # (label, text): what the page covers
    charts: tuple[Chart, ...]


# -- words --------------------------------------------------------------------------------------


def month_heads(keys: Sequence[str]) -> tuple[str, ...]:
    """Column headings for months: ``Dec 2025``, ``Jan 2026``, ``Feb``, ``Mar``... (the year
    on the first and on each January), so twelve months fit an A4 page (``2025年12月``,
    ``2026年1月``, ``2月``...)."""
    return tuple(
        month_label(k) if i == 0 or k.endswith("-01") else month_short(k)
        for i, k in enumerate(keys)
    )


def short_month(day: dt.date) -> str:
    """``Mar 2026`` (``2026年3月``)."""
    return month_year(day)


def long_date(day: dt.date) -> str:
    """``Nov 23, 2026`` (``2026年11月23日``)."""
    return full_date(day)


def months_text(n: int) -> str:
    return months_count(n)


def since_words(h: Health) -> str:
    """``in 12 months``, or ``since Aug 2026`` when the log starts later than the window."""
    if h.logged == h.months:
        return _("in {months}").format(months=months_text(len(h.months)))
    return _("since {month}").format(month=month_label(h.logged[0]))


def quiet_for(days: int) -> str:
    """``9 weeks`` from 14 days on, else ``10 days``."""
    return days_or_weeks(days)


def window_words(window: str) -> str:
    """A department's window as words: ``2w`` → ``2 weeks``."""
    from hrtrust.domain.dates import cadence_days, parse_cadence

    return quiet_for(cadence_days(parse_cadence(window)))


def score(value: float) -> str:
    """A pulse score with one decimal at least: ``4.0``, ``3.45``."""
    return f"{value:.1f}" if round(value, 1) == value else f"{value:g}"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _names(names: Sequence[str], limit: int = 3) -> str:
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(_("{n} more").format(n=len(names) - limit))
    return listed(shown)


def _clauses(*clauses: str) -> str:
    """A reading's clauses, ``; ``-separated (``；`` in Chinese)."""
    return _("; ").join(c for c in clauses if c)


def dept_label(dept: str) -> str:
    return one_line(dept) if dept else _("(no department)")


# -- the view model -------------------------------------------------------------------------------


def page(h: Health) -> Page:
    """The page's content, format-neutral."""
    n = len(h.months)
    span = month_label(h.months[0])
    if n > 1:
        span = span_text(span, month_label(h.months[-1]))
    window = _("{span} ({months})").format(span=span, months=months_text(n))
    c = h.covered
    dates = span_text(long_date(h.first), long_date(h.today))
    if h.logged != h.months:
        dates = _("{dates} (the log starts in {month})").format(
            dates=dates, month=month_label(h.logged[0])
        )
    depts = listed([one_line(d) for d in h.depts]) or _("none yet")
    which = (
        _("{departments} (chosen with --dept)")
        if h.chosen
        else _("{departments} (every client department)")
    ).format(departments=depts)
    if c.first_entry and c.last_entry:
        entries = ngettext(
            "{n} log entry dated {first} – {last}",
            "{n} log entries dated {first} – {last}",
            c.entries,
        ).format(n=c.entries, first=long_date(c.first_entry), last=long_date(c.last_entry))
    else:
        entries = ngettext("{n} log entry", "{n} log entries", c.entries).format(n=c.entries)
    if c.broadcasts:
        entries = ngettext(
            "{entries} ({n} broadcast among them)",
            "{entries} ({n} broadcasts among them)",
            c.broadcasts,
        ).format(entries=entries, n=c.broadcasts)
    data = _clauses(
        entries,
        ngettext(
            "{n} promise I owe, due in the window",
            "{n} promises I owe, due in the window",
            c.promises,
        ).format(n=c.promises),
        ngettext("{n} feedback item received", "{n} feedback items received", c.feedback).format(
            n=c.feedback
        ),
        ngettext("{n} pulse result", "{n} pulse results", c.pulses).format(n=c.pulses),
        ngettext(
            "{n} person known in these departments",
            "{n} people known in these departments",
            c.people,
        ).format(n=c.people),
    )
    covered = (
        (_("Window"), dates),
        (_("Departments"), which),
        (_("Data"), data),
        (
            _("Privacy"),
            _(
                "counts and names only: no notes, learned facts, talking points or feedback "
                "text; pulse results from {least} are not shown"
            ).format(least=said(fewer_than(h.min_responses))),
        ),
    )
    charts = (
        _coverage(h),
        _promises(h),
        _pulse(h),
        _balance(h),
        _feedback(h),
        _recognition(h),
    )
    return Page(_("Relationship health"), window, covered, charts)


def _coverage(h: Health) -> Chart:
    rows = h.coverage
    head = (_("Department"), *month_heads(h.logged))
    body = [
        (
            coverage_label(r.dept, bool(r.allies)),
            *(f"{c.touches} / {c.people}" + (f" {ALLY_MARK}" if c.allies else "") for c in r.cells),
        )
        for r in rows
    ]
    body.append((_("Broadcasts"), *(str(b) for b in h.broadcasts)))
    table = Table(
        _("Touchpoints / distinct people by month; {mark}: an ally was met").format(mark=ALLY_MARK),
        head,
        tuple(body),
    )
    how = _(
        "Each cell: touchpoints / distinct people met; darker is more. {mark} an ally (人資之友) "
        "was met that month. Broadcasts (newsletters, surveys, entries logged for every "
        "department) are the grey strip, not counted above."
    ).format(mark=ALLY_MARK)
    title = _("Coverage")
    if not rows:
        return Chart(
            "coverage",
            title,
            _("No client departments yet"),
            how,
            table,
            empty=_("No departments to show: add them with `hrtrust dept add NAME`."),
        )
    return Chart("coverage", title, coverage_reading(h), how, table)


def coverage_label(dept: str, has_ally: bool) -> str:
    if has_ally:
        return dept_label(dept)
    return _("{dept} (no ally)").format(dept=dept_label(dept))


def coverage_reading(h: Health) -> str:
    """The department longest without a touch past its window, else the busiest one."""
    quiet = [r for r in h.coverage if r.gone_quiet]
    if quiet:
        never = [r for r in quiet if r.days_since is None]
        if never:
            return _("{departments}: never touched").format(
                departments=_names([dept_label(r.dept) for r in never])
            )
        worst = max(quiet, key=lambda r: r.days_since or 0)
        others = len(quiet) - 1
        words = {
            "dept": dept_label(worst.dept),
            "quiet": quiet_for(worst.days_since or 0),
            "window": window_words(worst.window),
            "n": others,
        }
        if not others:
            return _("{dept}: no touch in {quiet} (window {window})").format(**words)
        return ngettext(
            "{dept}: no touch in {quiet} (window {window}); {n} other department past its window",
            "{dept}: no touch in {quiet} (window {window}); {n} other departments past their "
            "window",
            others,
        ).format(**words)
    busiest = max(h.coverage, key=lambda r: r.touches)
    return _(
        "Every department touched within its window; most touches: {dept} ({n} {since})"
    ).format(dept=dept_label(busiest.dept), n=busiest.touches, since=since_words(h))


def _promises(h: Health) -> Chart:
    rows = h.promises
    table = Table(
        _("Promises I owe, by the month they fell due"),
        ("", *month_heads([r.month for r in rows])),
        (
            (_("Kept on time"), *(str(r.kept) for r in rows)),
            (_("Kept late"), *(str(r.late) for r in rows)),
            (_("Broken"), *(str(r.broken) for r in rows)),
            (_("Rate"), *(percent(r.rate) for r in rows)),
        ),
    )
    how = _(
        "Bars: promises that fell due each month, kept on time (dark), kept late (hatched) "
        "or broken (light, crossed). Line: the keeping rate, {definition}."
    ).format(definition=_(RATE_DEFINITION))
    title = _("Promise keeping")
    kept = sum(r.kept for r in rows)
    counted = kept + sum(r.late + r.broken for r in rows)
    if not counted:
        return Chart("promises", title, _("No promise fell due in the window"), how, table)
    broken = sum(r.broken for r in rows)
    judged = [r for r in rows if r.rate is not None]
    reading = _clauses(
        _("{rate} kept on time ({kept} of {counted})").format(
            rate=percent(h.promise_rate), kept=kept, counted=counted
        ),
        _("{n} broken").format(n=broken) if broken else "",
        _("{month}: {rate}").format(
            month=month_label(judged[-1].month), rate=percent(judged[-1].rate)
        )
        if len(judged) > 1
        else "",
    )
    return Chart("promises", title, reading, how, table)


def _pulse(h: Health) -> Chart:
    least = said(fewer_than(h.min_responses))
    hidden = [
        _("{dept} ({months})").format(
            dept=dept_label(line.dept), months=listed([short_month(d) for d in line.suppressed])
        )
        for line in h.pulse
        if line.suppressed
    ]
    notes = (
        [_("Not drawn, from {least}: {results}").format(least=least, results=_clauses(*hidden))]
        if hidden
        else []
    )
    undrawn = sum(1 for line in h.pulse if line.points) - len(pulse_lines(h))
    if undrawn > 0:
        notes.append(
            ngettext(
                "Drawn: the {shown} departments whose latest result moved most; "
                "{n} other department in the table only.",
                "Drawn: the {shown} departments whose latest result moved most; "
                "{n} other departments in the table only.",
                undrawn,
            ).format(shown=PULSE_LINES, n=undrawn)
        )
    months = sorted(
        {
            month_key(d)
            for line in h.pulse
            for d in (*(p.date for p in line.points), *line.suppressed)
        }
    )
    body = []
    for line in h.pulse:
        cells: dict[str, list[str]] = {}
        for p in line.points:
            n = "" if p.responses is None else f" (n={p.responses})"
            cells.setdefault(month_key(p.date), []).append(f"{score(p.score)}{n}")
        for day in line.suppressed:
            cells.setdefault(month_key(day), []).append(least)
        body.append((dept_label(line.dept), *(listed(cells.get(m, [])) for m in months)))
    scales = sorted({line.scale for line in h.pulse})
    caption = (
        _("Trust pulse scores (of {scale}) by month of the survey; n: how many answered").format(
            scale=f"{scales[0]:g}"
        )
        if len(scales) == 1
        else _("Trust pulse scores by month of the survey; n: how many answered")
    )
    table = Table(caption, (_("Department"), *month_heads(months)), tuple(body))
    how = _(
        "One line per department, each with its own marker and dash; n: how many answered its "
        "latest survey (the table has every count). A result from {least} is not drawn."
    ).format(least=least)
    title = _("Trust pulse")
    if not any(line.points for line in h.pulse):
        return Chart(
            "pulse",
            title,
            _("No pulse result to show in the window"),  # any hidden ones are in the notes
            how,
            table,
            tuple(notes),
            empty="",
        )
    return Chart("pulse", title, pulse_reading(h), how, table, tuple(notes))


def pulse_lines(h: Health) -> list[PulseLine]:
    """The departments drawn: those with a result to show, at most ``PULSE_LINES`` (then the
    ones whose latest result moved most), in the report's order."""
    lines = [line for line in h.pulse if line.points]
    if len(lines) <= PULSE_LINES:
        return lines
    moved = sorted(lines, key=lambda x: -abs(x.trend.change or 0))[:PULSE_LINES]
    return [line for line in lines if line in moved]


def pulse_label(line: PulseLine) -> str:
    """A department in the pulse chart's legend, with how many answered its latest result."""
    latest = line.points[-1].responses if line.points else None
    return dept_label(line.dept) + ("" if latest is None else f" (n={latest})")


def pulse_reading(h: Health) -> str:
    """The department whose latest result moved most, and how long it has moved that way."""
    moved = [line for line in h.pulse if line.trend.change is not None]
    if not moved:
        latest = [line for line in h.pulse if line.points]
        return _clauses(
            *(
                _("{dept} {score} of {scale}").format(
                    dept=dept_label(line.dept),
                    score=score(line.points[-1].score),
                    scale=f"{line.scale:g}",
                )
                for line in latest[:4]
            )
        )
    line = max(moved, key=lambda x: abs(x.trend.change or 0))
    t = line.trend
    change = t.change or 0
    if not change:
        message = _("{dept}: {score} of {scale}, unchanged")
    elif abs(t.streak) > 1:
        message = (
            _("{dept}: {score} of {scale}, up {change} (rising {n} results in a row)")
            if change > 0
            else _("{dept}: {score} of {scale}, down {change} (falling {n} results in a row)")
        )
    else:
        message = (
            _("{dept}: {score} of {scale}, up {change}")
            if change > 0
            else _("{dept}: {score} of {scale}, down {change}")
        )
    return message.format(
        dept=dept_label(line.dept),
        score=score(t.latest or 0),
        scale=f"{line.scale:g}",
        change=f"{abs(change):g}",
        n=abs(t.streak),
    )


def manager_label(m: ManagerLine) -> str:
    if m.dept:
        return _("{name} ({dept})").format(name=one_line(m.name), dept=one_line(m.dept))
    return one_line(m.name)


def manager_note(m: ManagerLine) -> str:
    """Beside a manager with no touch in the window: never met, or when last met."""
    if m.never_met:
        return _("never met")
    if m.touches:
        return str(m.touches)
    return _("none (last {day})").format(day=long_date(m.last)) if m.last else _("none")


def shown_managers(h: Health) -> tuple[ManagerLine, ...]:
    """Every manager, or the ``MANAGERS_SHOWN`` with the fewest touchpoints, those never met
    first among equals, then by name; in the report's order (most first), as drawn."""
    if len(h.managers) <= MANAGERS_SHOWN:
        return h.managers
    fewest = sorted(h.managers, key=lambda m: (m.touches, not m.never_met))[:MANAGERS_SHOWN]
    return tuple(m for m in h.managers if m in fewest)


def _balance(h: Health) -> Chart:
    rows = shown_managers(h)
    more = len(h.managers) - len(rows)
    notes = (
        (
            _(
                "The {n} managers with the fewest touchpoints of {total}; "
                "`hrtrust report health --json` has them all."
            ).format(n=len(rows), total=len(h.managers)),
        )
        if more
        else ()
    )
    table = Table(
        _("Touchpoints with each manager over the window"),
        (_("Manager"), _("Department"), _("Touchpoints"), _("Last touch"), _("Note")),
        tuple(
            (
                one_line(m.name),
                one_line(m.dept or ""),
                str(m.touches),
                long_date(m.last) if m.last else _("never"),
                _("never met") if m.never_met else (_("low") if m.low else ""),
            )
            for m in rows
        ),
    )
    how = _(
        "Touchpoints with each manager (contacts tagged manager) over the window; the dashed "
        "line is the median; hatched bars are below half of it."
    )
    title = _("Balance across managers")
    if not rows:
        return Chart(
            "balance",
            title,
            _("No managers to compare"),
            how,
            table,
            empty=_("No managers yet: tag them with `hrtrust contact edit REF --tag manager`."),
        )
    return Chart("balance", title, balance_reading(h), how, table, notes)


def balance_reading(h: Health) -> str:
    """Managers never met first, then those not met in the window, then those below half the
    median; with the median touchpoints per manager."""
    rows = h.managers
    window = months_text(len(h.months))
    median = "" if h.manager_median is None else f"{h.manager_median:g}"
    never = [one_line(m.name) for m in rows if m.never_met]
    unmet = [one_line(m.name) for m in rows if not m.touches and not m.never_met]
    if never:
        return _("Never met: {names} (median touchpoints per manager: {median})").format(
            names=_names(never), median=median
        )
    if unmet:
        return _(
            "{n} of {total} managers not met in {window}: {names} "
            "(median touchpoints per manager: {median})"
        ).format(n=len(unmet), total=len(rows), window=window, names=_names(unmet), median=median)
    low = [one_line(m.name) for m in rows if m.low]
    if low:
        return _("Below half the median ({median} touchpoints): {names}").format(
            median=median, names=_names(low)
        )
    return _(
        "Every manager met in {window}; none below half the median ({median} touchpoints)"
    ).format(window=window, median=median)


def _feedback(h: Health) -> Chart:
    rows = h.feedback
    table = Table(
        _("Feedback received in the window, by department"),
        (
            _("Department"),
            _("Received"),
            _("Acted on"),
            _("Closed"),
            _("Open"),
            _("Median days to close"),
        ),
        tuple(
            (
                dept_label(r.dept),
                str(r.received),
                str(r.acted),
                str(r.closed),
                str(r.open),
                _days(r.median_days_to_close),
            )
            for r in rows
        ),
    )
    how = _(
        "For the feedback received in the window: received (light), acted on (hatched), "
        "closed: the person was told (dark). At the right: the median days to close."
    )
    title = _("The feedback loop")
    if not rows:
        return Chart(
            "feedback",
            title,
            _("No feedback received in the window"),
            how,
            table,
            empty="",
        )
    received = sum(r.received for r in rows)
    acted = sum(r.acted for r in rows)
    closed = sum(r.closed for r in rows)
    most = max(rows, key=lambda r: r.open)
    reading = _clauses(
        _("{received} received, {acted} acted on, {closed} closed").format(
            received=received, acted=acted, closed=closed
        ),
        _("most still open: {dept} ({n})").format(dept=dept_label(most.dept), n=most.open)
        if most.open
        else "",
    )
    return Chart("feedback", title, reading, how, table)


def feedback_notes(h: Health) -> list[str]:
    return [
        _("none closed yet")
        if r.median_days_to_close is None
        else _("{n} days to close").format(n=f"{r.median_days_to_close:g}")
        for r in h.feedback
    ]


def _recognition(h: Health) -> Chart:
    rows = h.recognition
    table = Table(
        _("Recognition given over the window, by department"),
        (_("Department"), _("Recognitions"), _("People recognised")),
        tuple((dept_label(r.dept), str(r.given), str(r.people)) for r in rows),
    )
    how = _("Times credit was given in public (hrtrust log recognition) for each department.")
    title = _("Recognition given")
    window = months_text(len(h.months))
    given = sum(r.given for r in rows)
    none = [dept_label(r.dept) for r in rows if not r.given]
    if not rows:
        return Chart("recognition", title, _("No departments"), how, table, empty="")
    if not given:
        reading = _("No recognition logged in {window}").format(window=window)
    else:
        reading = _clauses(
            ngettext("{n} recognition in {window}", "{n} recognitions in {window}", given).format(
                n=given, window=window
            ),
            _("none for {departments}").format(departments=_names(none)) if none else "",
        )
    return Chart("recognition", title, reading, how, table)


# -- the terminal summary -----------------------------------------------------------------------


def summary(p: Page, hint: str) -> list[RenderableType]:
    """A few lines for a terminal: what is covered, each chart's reading, where the page is."""
    from rich.table import Table as Grid
    from rich.text import Text

    out: list[RenderableType] = [Text(f"{p.title} · {p.window}", style="bold")]
    grid = Grid.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in p.covered:
        grid.add_row(label, text)
    out.append(grid)
    out.append(Text())
    readings = Grid.grid(padding=(0, 2))
    readings.add_column(style="bold", no_wrap=True)
    readings.add_column(overflow="fold")
    for chart in p.charts:
        readings.add_row(chart.title, chart.reading)
    out.append(readings)
    out.append(Text())
    out.append(Text(hint, style="dim"))
    return out


# -- HTML -------------------------------------------------------------------------------------

CSS = """
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; padding: 24px 16px; color: #222; background: #fff;
  font-family: FONTS; font-size: 14px; line-height: 1.45; }
main { max-width: 820px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0; }
.window { margin: 2px 0 12px; color: #444; font-size: 15px; }
dl.covered { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px;
  margin: 0 0 8px; font-size: 12.5px; color: #333; }
dl.covered dt { color: #666; }
dl.covered dd { margin: 0; }
section.chart { margin: 22px 0 0; padding-top: 12px; border-top: 1px solid #ccc; }
section.chart h2 { font-size: 17px; margin: 0; }
p.reading { font-size: 15px; font-weight: bold; margin: 2px 0 6px; }
/* A page may end between a chart and its table, never inside either, nor under a heading. */
section.chart h2, p.reading { break-after: avoid; page-break-after: avoid; }
figure, .wide, p.note { break-inside: avoid; page-break-inside: avoid; }
figure { margin: 0; }
figure svg { display: block; width: 100%; height: auto; }
figcaption, p.note, p.empty { font-size: 12px; color: #555; margin: 4px 0; }
table { border-collapse: collapse; margin: 8px 0 0; font-size: 11.5px;
  font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-size: 11.5px; color: #555;
  padding-bottom: 3px; white-space: nowrap; }
th, td { border: 1px solid #d0d0d0; padding: 2px 6px; text-align: right; white-space: nowrap; }
th { background: #f3f3f3; font-weight: 600; }
th[scope=row], .text { text-align: left; }
th[scope=row] { white-space: normal; min-width: 7em; }
.wide { overflow-x: auto; }
footer { margin-top: 24px; font-size: 11px; color: #777; }
@media print {
  body { padding: 0; font-size: 10pt; }
  main { max-width: none; }
  section.chart { margin-top: 8px; padding-top: 6px; }
  figure svg { width: 90%; }
  table, caption { font-size: 7.5pt; }
  th, td { padding: 1px 3px; }
  .wide { overflow: visible; }
  section.chart.coverage table th, section.chart.coverage table td { padding: 1px 2px; }
}
"""


def to_html(h: Health) -> str:
    """One self-contained page: inline CSS and SVG charts, no script, nothing fetched."""
    import html

    e = html.escape
    p = page(h)
    svgs = _svgs(h, p)
    from hrtrust.present import charts  # imported by _svgs, with matplotlib set up

    style = CSS.replace("FONTS", charts.FONT_STACK)
    as_of = _("{window} · as of {day}").format(window=p.window, day=long_date(h.today))
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang()}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(p.title)} · {e(p.window)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{e(p.title)}</h1>",
        f'<p class="window">{e(as_of)}</p>',
        '<dl class="covered">',
        *(f"<dt>{e(label)}</dt><dd>{e(text)}</dd>" for label, text in p.covered),
        "</dl>",
        "</header>",
    ]
    for chart in p.charts:
        out += _section(chart, svgs.get(chart.key))
    footer = e(
        _(
            "Made by hrtrust on {day}. Every figure is in the table under its chart; {command} "
            "gives the same series."
        )
    ).format(day=e(long_date(h.today)), command="<code>hrtrust report health --json</code>")
    out += [
        f"<footer>{footer}</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(out) + "\n"


@contextmanager
def scratch_matplotlib() -> Iterator[None]:
    """matplotlib keeps its settings and a list of the machine's fonts in ~/.config and
    ~/.cache; hrtrust writes nothing outside the data home, so unless MPLCONFIGDIR says where,
    they go in a temporary folder, removed when the charts are drawn (the font list is made
    again each run, a few tenths of a second; and no matplotlibrc changes how a page looks).
    matplotlib reads MPLCONFIGDIR when it is first imported, inside this."""
    import os
    import tempfile

    if os.environ.get("MPLCONFIGDIR"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="hrtrust-matplotlib-") as folder:
        os.environ["MPLCONFIGDIR"] = folder
        try:
            yield
        finally:
            del os.environ["MPLCONFIGDIR"]


def _svgs(h: Health, p: Page) -> dict[str, str]:
    """Each chart that has something to draw, as inline SVG."""
    with scratch_matplotlib():
        return _draw(h, p)


def _draw(h: Health, p: Page) -> dict[str, str]:
    from hrtrust.present import charts

    named = {
        c.key: _("{title}: {reading}").format(title=c.title, reading=c.reading) for c in p.charts
    }
    drawn = {c.key for c in p.charts if c.empty is None}
    out: dict[str, str] = {}
    if "coverage" in drawn:
        labels = [coverage_label(r.dept, bool(r.allies)) for r in h.coverage]
        out["coverage"] = charts.coverage(h, labels, named["coverage"])
    if "promises" in drawn:
        out["promises"] = charts.promises(h, named["promises"])
    if "pulse" in drawn:
        lines = pulse_lines(h)
        labels = [pulse_label(line) for line in lines]
        out["pulse"] = charts.pulse(h, lines, labels, named["pulse"])
    if "balance" in drawn:
        rows = shown_managers(h)
        labels = [manager_label(m) for m in rows]
        notes = [manager_note(m) for m in rows]
        out["balance"] = charts.balance(rows, h.manager_median, labels, notes, named["balance"])
    if "feedback" in drawn:
        labels = [dept_label(r.dept) for r in h.feedback]
        out["feedback"] = charts.feedback(h, labels, feedback_notes(h), named["feedback"])
    if "recognition" in drawn:
        labels = [dept_label(r.dept) for r in h.recognition]
        out["recognition"] = charts.recognition(h, labels, named["recognition"])
    return out


_FIGURE = lazy_re(r"[-–\d.,/%▲ ()n=]*|n/a")


def _words(column: Sequence[str]) -> bool:
    """A column of words (names, dates, "never met"), read from the left; figures line up on
    the right (``n/a`` among them, in any language)."""
    return not all(_FIGURE.fullmatch(cell) or cell == _("n/a") for cell in column)


def html_lang() -> str:
    """The page's language, as HTML names it: ``en``, or ``zh-Hant-TW``."""
    return "en" if language() == ENGLISH else "zh-Hant-TW"


def _section(chart: Chart, svg: str | None) -> list[str]:
    import html

    e = html.escape
    key = chart.key
    out = [
        f'<section class="chart {key}" id="{key}" aria-labelledby="{key}-title">',
        f'<h2 id="{key}-title">{e(chart.title)}</h2>',
        f'<p class="reading">{e(chart.reading)}</p>',
    ]
    if svg is not None:
        out += ["<figure>", svg, f"<figcaption>{e(chart.how)}</figcaption>", "</figure>"]
    elif chart.empty:
        out.append(f'<p class="empty">{e(chart.empty)}</p>')
    out += [f'<p class="note">{e(n)}</p>' for n in chart.notes]
    t = chart.table
    if t.rows:
        words = [i == 0 or _words([row[i] for row in t.rows]) for i in range(len(t.head))]
        text = [' class="text"' if w else "" for w in words]
        out += [
            '<div class="wide">',
            "<table>",
            f"<caption>{e(t.caption)}</caption>",
            "<thead><tr>"
            + "".join(f'<th scope="col"{c}>{e(x)}</th>' for x, c in zip(t.head, text, strict=True))
            + "</tr></thead>",
            "<tbody>",
        ]
        for row in t.rows:
            first, *rest = row
            out.append(
                f'<tr><th scope="row">{e(first)}</th>'
                + "".join(f"<td{c}>{e(x)}</td>" for x, c in zip(rest, text[1:], strict=True))
                + "</tr>"
            )
        out += ["</tbody>", "</table>", "</div>"]
    out.append("</section>")
    return out


# -- JSON -------------------------------------------------------------------------------------


def to_json(h: Health) -> dict[str, Any]:
    """The same series for scripts: stable English keys, ISO dates, no words to parse."""
    from hrtrust.present.json_views import jsonable_dict

    least = fewer_than(h.min_responses)
    c = h.covered
    return jsonable_dict(
        {
            "report": "health",
            "today": h.today,
            "from": h.first,
            "to": h.today,
            "months": list(h.months),
            "coverage_months": list(h.logged),
            "departments": list(h.depts),
            "departments_chosen": h.chosen,
            "min_responses": h.min_responses,
            "covered": {
                "entries": c.entries,
                "broadcasts": c.broadcasts,
                "first_entry": c.first_entry,
                "last_entry": c.last_entry,
                "people": c.people,
                "promises": c.promises,
                "feedback": c.feedback,
                "pulse_results": c.pulses,
            },
            "coverage": [
                {
                    "dept": r.dept,
                    "window": r.window,
                    "allies": list(r.allies),
                    "last_touch": r.last,
                    "days_since": r.days_since,
                    "gone_quiet": r.gone_quiet,
                    "months": [
                        {
                            "month": k,
                            "touches": cell.touches,
                            "people": cell.people,
                            "allies": cell.allies,
                            "broadcasts": cell.broadcasts,
                        }
                        for k, cell in zip(h.logged, r.cells, strict=True)
                    ],
                }
                for r in h.coverage
            ],
            "broadcasts": [
                {"month": k, "count": n} for k, n in zip(h.logged, h.broadcasts, strict=True)
            ],
            "promises": {
                "rate": h.promise_rate,
                "rate_definition": RATE_DEFINITION,
                "months": [
                    {
                        "month": r.month,
                        "kept_on_time": r.kept,
                        "kept_late": r.late,
                        "broken": r.broken,
                        "cancelled": r.cancelled,
                        "pending": r.pending,
                        "rate": r.rate,
                    }
                    for r in h.promises
                ],
            },
            "pulse": [
                {
                    "dept": line.dept,
                    "scale": line.scale,
                    "latest": line.trend.latest,
                    "change": line.trend.change,
                    "streak": line.trend.streak,
                    "results": [
                        {"id": p.id, "date": p.date, "score": p.score, "responses": p.responses}
                        for p in line.points
                    ],
                    "suppressed": [{"date": d, "reason": least} for d in line.suppressed],
                }
                for line in h.pulse
            ],
            "managers": {
                "median": h.manager_median,
                "rows": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "dept": m.dept,
                        "touchpoints": m.touches,
                        "low": m.low,
                        "last_touch": m.last,
                        "never_met": m.never_met,
                    }
                    for m in h.managers
                ],
            },
            "feedback": [
                {
                    "dept": r.dept or None,
                    "received": r.received,
                    "acted": r.acted,
                    "closed": r.closed,
                    "open": r.open,
                    "median_days_to_close": r.median_days_to_close,
                }
                for r in h.feedback
            ],
            "recognition": [
                {"dept": r.dept, "given": r.given, "people": r.people} for r in h.recognition
            ],
        }
    )
