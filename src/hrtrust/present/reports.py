"""Rich rendering of the brief and the relationship-health reports (only cli/ and render modules
import Rich). Plain text when piped: the charts are Unicode block characters, not colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text

from hrtrust.domain.brief import Brief
from hrtrust.domain.dates import describe_cadence
from hrtrust.domain.handover import inherited_from
from hrtrust.domain.reports import (
    BalanceReport,
    CoverageRow,
    FeedbackItem,
    PromiseReport,
    PulseTrend,
    fewer_than,
)
from hrtrust.models import Promise
from hrtrust.present.common import participation_text, plural, short_date, when, who
from hrtrust.present.handover import inherited_lines
from hrtrust.present.terminal import heading, table

SPARKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"


def sparkline(values: Sequence[float], lo: float | None = None, hi: float | None = None) -> str:
    """One block per value, ▁ for ``lo`` up to █ for ``hi`` (default: the values' own range)."""
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    if hi <= lo:
        return SPARKS[3] * len(values)
    top = len(SPARKS) - 1
    return "".join(SPARKS[max(0, min(top, round((v - lo) / (hi - lo) * top)))] for v in values)


def bar(fraction: float, width: int) -> str:
    """A horizontal bar ``fraction`` (0..1) of ``width`` cells, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return ("█" * full + (EIGHTHS[part] if part else "")).ljust(width)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def month_label(month: str) -> str:
    """``2026-11`` → ``Nov 2026``."""
    return f"{dt.date(int(month[:4]), int(month[5:7]), 1):%b %Y}"


# -- brief -------------------------------------------------------------------------------------


def _grid(first_width: int | None = None) -> Table:
    g = Table.grid(padding=(0, 2))
    g.add_column(style="dim", no_wrap=True, width=first_width)
    g.add_column(overflow="fold")
    return g


def _tenure(b: Brief) -> str:
    if b.tenure is None:
        return ""
    years, months = b.tenure
    parts = []
    if years:
        parts.append(plural(years, "year"))
    if months or not years:
        parts.append(plural(months, "month"))
    return " ".join(parts)


def _touch_line(b: Brief) -> Text:
    cad = describe_cadence(b.cadence)
    if b.last is None:
        return Text(f"No touchpoint logged yet (cadence {cad}).", style="yellow")
    t = Text(f"Last touch {b.days_since}d ago ({(b.last_kind or 'touch').replace('-', ' ')}); ")
    t.append(f"cadence {cad}: ")
    due_in = b.due_in or 0
    if due_in < 0:
        t.append(f"{-due_in}d overdue", style="bold yellow")
    elif due_in == 0:
        t.append("due today", style="yellow")
    else:
        t.append(f"next due in {due_in}d", style="green")
    return t


def _promise_text(p: Promise) -> str:
    """``p3 Send the deck``, and who it was inherited from in a handover."""
    giver = inherited_from(p)
    return f"{p.id} {p.text}" + (f" (inherited from {giver})" if giver else "")


def brief_view(b: Brief, names: Mapping[str, str], *, private: bool = True) -> list[object]:
    """One screen before a meeting: who, what I know, what we said, what is owed, what is next."""
    c = b.contact
    today = b.today
    out: list[object] = []
    head = Text(c.name, style="bold")
    head.append(f"  ({c.id})", style="dim")
    role = " · ".join(x for x in (c.role, c.dept) if x)
    if role:
        head.append(f"  {role}")
    out.append(head)
    facts = []
    tenure = _tenure(b)
    if tenure and c.hired:
        facts.append(f"{tenure} at the company (hired {c.hired:%b %Y})")
    if c.tags:
        facts.append(", ".join(c.tags))
    if c.location:
        facts.append(c.location)
    if facts:
        out.append(Text(" · ".join(facts), style="dim"))
    out.append(_touch_line(b))
    for x in b.celebrations:
        what = (
            "birthday"
            if x.what == "birthday"
            else f"{x.years} year{'s' if x.years != 1 else ''} at the company"
        )
        out.append(Text(f"Celebrate: {what} on {short_date(x.day)}", style="magenta"))

    if private and (c.notes or b.facts):
        out.append(Text())
        out.append(heading("Remember (private)"))
        g = _grid(8)
        if c.notes:
            g.add_row("notes", c.notes)
        for f in b.facts[:3]:
            g.add_row(f"{f.date:%b} {f.date.day}", Text(f"ask about: {f.text}", style="italic"))
        if len(b.facts) > 3:
            g.add_row(
                "",
                Text(
                    f"{plural(len(b.facts) - 3, 'older fact')}: hrtrust contact show", style="dim"
                ),
            )
        out.append(g)

    raise_ = [t for t in c.topics if t.done is None]
    if private and raise_:
        out.append(Text())
        out.append(heading("To raise (private)"))
        g = _grid(8)
        for t in raise_:
            g.add_row(t.id, t.text)
        out.append(g)

    out.append(Text())
    out.append(heading("Last touchpoints"))
    if b.recent:
        width = max(len(e.kind) for e in b.recent)
        one_line = Table.grid()  # a touchpoint per line: the note is cut, not wrapped
        one_line.add_column(no_wrap=True, overflow="ellipsis")
        for e in b.recent:
            line = Text()
            line.append(f"{e.date:%b} {e.date.day}".ljust(8), style="dim")
            line.append(e.kind.replace("-", " ").ljust(width + 2))
            if private and e.note:
                line.append(e.note, style="italic")
            one_line.add_row(line)
        out.append(one_line)
    else:
        out.append(Text("none logged yet", style="dim"))
    for said in inherited_lines(b.before):  # the previous partner's: not counted as yours
        out.append(Text(said, style="dim"))

    out.append(Text())
    out.append(heading("Open promises"))
    if b.owe or b.waiting:
        g = Table.grid(padding=(0, 2))
        g.add_column(no_wrap=True)
        g.add_column(no_wrap=True)
        g.add_column(overflow="fold")
        for p in b.owe:
            style = "bold red" if p.due < today else ""
            g.add_row(Text(f"due {when(p.due, today)}", style=style), "I owe", _promise_text(p))
        for p in b.waiting:
            style = "bold red" if p.due < today else ""
            g.add_row(Text(f"due {when(p.due, today)}", style=style), "they owe", _promise_text(p))
        out.append(g)
    else:
        out.append(Text("none either way", style="dim"))

    if b.feedback:
        out.append(Text())
        out.append(heading("Their feedback, still open"))
        g = _grid()
        for item in b.feedback:
            n = len(item.actions)
            state = plural(n, "action") if n else "no action yet"
            g.add_row(f"{item.id} {(today - item.date).days}d", f"{item.text} ({state})")
        out.append(g)

    out.append(Text())
    out.append(heading("Coming up together (next 4 weeks)"))
    if b.upcoming:
        g = Table.grid(padding=(0, 2))
        g.add_column(no_wrap=True, style="cyan")
        g.add_column(overflow="fold")
        for u in b.upcoming:
            at = "" if u.all_day else f" {u.start:%H:%M}"
            more = f" (+{u.count - 1} more)" if u.count > 1 else ""
            g.add_row(f"{short_date(u.start.date())}{at}", f"{u.activity.title}{more}")
        out.append(g)
    else:
        out.append(Text("nothing scheduled: book a coffee chat?", style="dim"))
    return out


# -- coverage ----------------------------------------------------------------------------------

FLAG_STYLE = {"no ally": "bold yellow", "gone quiet": "bold red", "one person known": "yellow"}


def coverage_view(rows: Sequence[CoverageRow], today: dt.date) -> list[object]:
    if not rows:
        return [
            Text(
                "No client departments yet: add [[department]] entries to config.toml, "
                "or give contacts a --dept."
            )
        ]
    t = table("Department", "People", "Allies", "30d", "90d", "Last touch", "Flags")
    t.columns[0].style = "bold"
    for col in (1, 3, 4):
        t.columns[col].justify = "right"
    t.columns[2].overflow = "fold"
    t.columns[6].overflow = "fold"
    for r in rows:
        flags = Text()
        for i, f in enumerate(r.flags):
            if i:
                flags.append(", ")
            flags.append(f, style=FLAG_STYLE[f])
        last = "never" if r.last is None else f"{r.days_since}d ago"
        t.add_row(
            r.dept,
            str(r.people),
            ", ".join(r.allies) or "—",
            str(r.last_30),
            str(r.last_90),
            last,
            flags if r.flags else Text("ok", style="green"),
        )
    out: list[object] = [
        Text(f"Client department coverage, {short_date(today)}", style="bold"),
        Text("touchpoints in the last 30 and 90 days; flags: what to act on", style="dim"),
        t,
    ]
    todo = []
    for r in rows:
        if "gone quiet" in r.flags:
            ago = "never touched" if r.last is None else f"last touch {r.days_since}d ago"
            todo.append(f"{r.dept}: {ago}, window {describe_cadence(r.window)}: book a visit.")
        if "no ally" in r.flags:
            todo.append(f"{r.dept}: no HR ally (人資之友) yet: find one (see `plan week`).")
        if "one person known" in r.flags:
            known = plural(r.people, "person", "people")
            todo.append(f"{r.dept}: only {known} known: meet more of the team.")
    if todo:
        out.append(Text())
        out.append(heading("To act on"))
        out += [Text(f"• {line}") for line in todo]
    return out


# -- balance -----------------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def balance_view(report: BalanceReport) -> list[object]:
    by_dept = report.by == "dept"
    per_head = by_dept and report.per_head
    what = "department" if by_dept else "manager"
    out: list[object] = [
        Text(
            f"Balance across {what}s: touchpoints {report.first:%b} {report.first.day} – "
            f"{report.today:%b} {report.today.day} ({report.window_days} days)",
            style="bold",
        )
    ]
    if not report.rows:
        out.append(
            Text(
                "No managers to compare: tag them with `hrtrust contact edit REF --tag manager`."
                if not by_dept
                else "No client departments to compare."
            )
        )
        return out
    cols = ["Department" if by_dept else "Manager"]
    cols += ["Heads", "Touchpoints", "Per 10 heads"] if per_head else ["Dept", "Touchpoints"]
    cols += ["", ""]
    t = table(*cols)
    t.columns[0].style = "bold"
    t.columns[0].no_wrap = True
    for col in t.columns:  # counts line up under their header's right edge
        if col.header in ("Heads", "Touchpoints", "Per 10 heads"):
            col.justify = "right"
    top = max(r.value for r in report.rows) or 1.0
    for r in report.rows:
        row: list[str | Text] = [r.name]
        if per_head:
            row += [str(r.headcount), str(r.count), f"{r.value * 10:.1f}"]
        elif by_dept:
            row += ["", str(r.count)]
        else:
            row += [r.dept or "", str(r.count)]
        row.append(Text(bar(r.value / top, 10), style="red" if r.low else "cyan"))
        row.append(Text("< ½ median", style="bold red") if r.low else Text(""))
        t.add_row(*row)
    out.append(t)
    median = report.median if report.median is not None else 0.0
    med = f"{median * 10:.1f} per 10 heads" if per_head else _num(median)
    line = Text(f"Median {med}; Gini {report.gini:.2f}" if report.gini is not None else "")
    line.append("  (0 = even, 1 = all to one)", style="dim")
    out.append(Text())
    out.append(line)
    if report.unscaled:
        out.append(
            Text(
                f"Not scaled per head: no headcount for {', '.join(report.unscaled)} "
                "(set headcount in config.toml).",
                style="dim",
            )
        )
    if report.trend:
        # A month without any touchpoint has G = 0 by definition; shown as "–", not as "even".
        seen = [m for m in report.trend if m.total and m.gini is not None]
        spark = sparkline([m.gini or 0.0 for m in seen], 0.0, 1.0)
        g = Table.grid(padding=(0, 2))
        g.add_column(no_wrap=True, style="dim")
        for _ in report.trend:
            g.add_column(justify="right", no_wrap=True)
        g.add_column(no_wrap=True, style="cyan")
        g.add_row("Gini by month", *(month_label(m.month)[:3] for m in report.trend), "")
        g.add_row(
            "",
            *("–" if not m.total or m.gini is None else f"{m.gini:.2f}" for m in report.trend),
            spark,
        )
        out.append(g)
        out.append(Text("(this month so far; – = no touchpoints that month)", style="dim"))
    low = [r.name for r in report.rows if r.low]
    if low:
        out.append(Text())
        out.append(
            Text(
                f"Give more time to: {', '.join(low)}. Equal support to every "
                f"{what} keeps the others from seeing favourites.",
                style="yellow",
            )
        )
    return out


# -- promises ----------------------------------------------------------------------------------


def promises_view(report: PromiseReport, names: Mapping[str, str]) -> list[object]:
    today = report.today
    out: list[object] = [
        Text("Promise keeping: promises I owe, by the month they fell due", style="bold")
    ]
    if not report.months:
        out.append(Text("No promises I owe fell due in these months."))
    g = table("Month", "Kept on time", "Rate", "Outcome")
    g.columns[0].no_wrap = g.columns[1].no_wrap = g.columns[2].no_wrap = True
    g.columns[2].justify = "right"
    g.columns[3].style = "dim"
    g.columns[3].overflow = "fold"
    for m in report.months:
        parts = [f"{m.kept} on time", f"{m.late} late", f"{m.broken} broken"]
        if m.cancelled:
            parts.append(f"{m.cancelled} cancelled")
        if m.pending:
            parts.append(f"{m.pending} not yet due")
        style = (
            "dim"
            if m.rate is None
            else ("green" if m.rate >= 0.8 else ("yellow" if m.rate >= 0.5 else "red"))
        )
        g.add_row(
            month_label(m.month),
            Text(bar(m.rate or 0.0, 10), style=style),
            percent(m.rate),
            ", ".join(parts) if m.rate is not None or m.cancelled or m.pending else "none fell due",
        )
    if report.months:
        out.append(g)
    out.append(Text())
    summary = Text(f"Kept on time overall: {percent(report.rate)}")
    if report.avg_lateness is not None:
        n = report.late_count
        summary.append(
            f"; {n} kept late, on average {report.avg_lateness:g} day"
            f"{'s' if report.avg_lateness != 1 else ''} late"
        )
    out.append(summary)
    if report.deferred:
        out.append(Text())
        out.append(heading("Most deferred"))
        t = table("ID", "Times", "Pushed", "With", "Promise", "Now")
        t.columns[0].style = "dim"
        t.columns[4].overflow = "fold"
        for d in report.deferred:
            p = d.promise
            state = (
                f"due {p.due:%b} {p.due.day}"
                if p.status == "open"
                else ("kept" if p.status == "done" else "cancelled")
            )
            if p.status == "open" and p.due < today:
                state = f"{(today - p.due).days}d late"
            t.add_row(p.id, f"{d.times}x", f"+{d.days_pushed}d", who(p, names), p.text, state)
        out.append(t)
        out.append(
            Text("Each deferral costs trust: renegotiate early, and only once.", style="dim")
        )
    return out


# -- feedback ----------------------------------------------------------------------------------


def feedback_view(items: Sequence[FeedbackItem], names: Mapping[str, str]) -> list[object]:
    if not items:
        return [Text("No open feedback: every loop is closed.")]
    out: list[object] = [
        Text(f"Open feedback, oldest first ({len(items)})", style="bold"),
    ]
    for x in items:
        f = x.feedback
        out.append(Text())
        head = Text(f"{f.id}  ", style="dim")
        head.append(f"{x.age}d", style="bold red" if not f.actions and x.age > 30 else "bold")
        if x.suppressed:
            head.append(f"  {x.suppressed}", style="bold")
            out.append(head)
            out.append(Text("(not shown, so no one can be singled out)", style="dim"))
        else:
            src = x.source or "?"
            person = names.get(f.person, f.person) if f.person else None
            head.append(f"  {src}" + (f" ({person})" if person else ""), style="bold")
            out.append(head)
            out.append(Text(f.text))
        g = Table.grid(padding=(0, 2))
        g.add_column(width=8, style="dim", no_wrap=True)
        g.add_column(overflow="fold")
        for a in f.actions:
            g.add_row(f"{a.date:%b} {a.date.day}", "(not shown)" if x.suppressed else a.text)
        if f.actions:
            out.append(g)
            out.append(
                Text(
                    f"acted, last {x.since_action}d ago: tell them, then `hrtrust feedback close "
                    f"{f.id}`",
                    style="green",
                )
            )
        else:
            out.append(
                Text(
                    f"no action yet: `hrtrust feedback act {f.id} TEXT`",
                    style="bold yellow",
                )
            )
    return out


# -- pulse -------------------------------------------------------------------------------------


def pulse_view(trends: Sequence[PulseTrend]) -> list[object]:
    if not trends:
        return [Text("No pulse results yet: hrtrust pulse add --dept D --score X")]
    fractions = [p.score / t.scale for t in trends for p in t.points]
    lo, hi = (min(fractions), max(fractions)) if fractions else (0.0, 1.0)
    t = table("Department", "Trend", "Latest", "Change", "Last result")
    t.columns[0].style = "bold"
    t.columns[2].justify = "right"
    t.columns[3].justify = "right"
    for x in trends:
        spark = sparkline([p.score / x.scale for p in x.points], lo, hi)
        if x.latest is None:
            latest = Text(fewer_than(x.min_responses), style="dim")
            change = Text("")
        else:
            latest = Text(f"{x.latest:.1f} / {x.scale:g}")
            if x.change is None:
                change = Text("first", style="dim")
            else:
                style = "green" if x.change > 0 else ("red" if x.change < 0 else "")
                change = Text(f"{x.change:+.1f}", style=style)
        note = Text(f"{x.latest_date:%b %Y}", style="dim")
        if x.participation is not None:
            note.append(f", {participation_text(x)}")
        if abs(x.streak) >= 2:
            word = "rising" if x.streak > 0 else "falling"
            note.append(
                f", {word} {abs(x.streak)} in a row", style="green" if x.streak > 0 else "bold red"
            )
        t.add_row(x.dept, Text(spark, style="cyan"), latest, change, note)
    out: list[object] = [
        Text("Trust pulse by department (oldest → latest)", style="bold"),
        t,
    ]
    hidden = sum(x.hidden for x in trends)
    if hidden:
        least = fewer_than(trends[0].min_responses)
        out.append(
            Text(
                f"{hidden} result{'s' if hidden != 1 else ''} from {least} not shown, "
                "so no one can be singled out.",
                style="dim",
            )
        )
    return out
