"""Rich rendering of the relationship-health reports (only cli/ and render modules import
Rich). Plain text when piped: the charts are Unicode block characters, not colour. The brief
is ``present/brief.py``: a report reads no brief, no handover, and imports neither."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text

from hrtrust.domain.reports import (
    BalanceReport,
    FeedbackItem,
    Newsletter,
    PromiseReport,
    PulseTrend,
)
from hrtrust.locale import _, ngettext
from hrtrust.locale.phrase import said
from hrtrust.present.common import (
    days_late,
    fewer_than,
    full_date,
    listed,
    month_day,
    month_of,
    month_only,
    month_year,
    participation_text,
    who,
)
from hrtrust.present.terminal import heading, styled, table

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
    return _("n/a") if value is None else f"{value * 100:.0f}%"


def month_label(month: str) -> str:
    """``2026-11`` → ``Nov 2026`` (``2026年11月``)."""
    return month_year(month_of(month))


def month_short(month: str) -> str:
    """``2026-11`` → ``Nov`` (``11月``): a month in a row whose year is said elsewhere."""
    return month_only(month_of(month))


# -- balance -----------------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def balance_view(report: BalanceReport) -> list[object]:
    by_dept = report.by == "dept"
    per_head = by_dept and report.per_head
    title = (
        _("Balance across departments: touchpoints {first} – {last} ({n} days)")
        if by_dept
        else _("Balance across managers: touchpoints {first} – {last} ({n} days)")
    )
    out: list[object] = [
        Text(
            title.format(
                first=month_day(report.first), last=month_day(report.today), n=report.window_days
            ),
            style="bold",
        )
    ]
    if not report.rows:
        out.append(
            Text(
                _("No managers to compare: tag them with `hrtrust contact edit REF --tag manager`.")
                if not by_dept
                else _("No client departments to compare.")
            )
        )
        return out
    cols = [_("Department") if by_dept else _("Manager")]
    if per_head:
        cols += [_("Heads"), _("Touchpoints"), _("Per 10 heads")]
        counts: tuple[int, ...] = (1, 2, 3)
    else:
        cols += [_("Dept"), _("Touchpoints")]
        counts = (2,)
    cols += ["", ""]
    t = table(*cols)
    t.columns[0].style = "bold"
    t.columns[0].no_wrap = True
    for i in counts:  # counts line up under their header's right edge
        t.columns[i].justify = "right"
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
        row.append(Text(_("< ½ median"), style="bold red") if r.low else Text(""))
        t.add_row(*row)
    out.append(t)
    median = report.median if report.median is not None else 0.0
    med = _("{value} per 10 heads").format(value=f"{median * 10:.1f}") if per_head else _num(median)
    line = Text(
        _("Median {median}; Gini {gini}").format(median=med, gini=f"{report.gini:.2f}")
        if report.gini is not None
        else ""
    )
    line.append("  ")
    line.append(_("(0 = even, 1 = all to one)"), style="dim")
    out.append(Text())
    out.append(line)
    if report.unscaled:
        out.append(
            Text(
                _(
                    "Not scaled per head: no headcount for {depts} (set headcount in config.toml)."
                ).format(depts=listed(report.unscaled)),
                style="dim",
            )
        )
    if report.trend:
        # A month without any touchpoint has G = 0 by definition; shown as "–", not as "even".
        seen = [m for m in report.trend if m.total and m.gini is not None]
        spark = sparkline([m.gini or 0.0 for m in seen], 0.0, 1.0)
        g = Table.grid(padding=(0, 2))
        g.add_column(no_wrap=True, style="dim")
        for _m in report.trend:
            g.add_column(justify="right", no_wrap=True)
        g.add_column(no_wrap=True, style="cyan")
        g.add_row(_("Gini by month"), *(month_short(m.month) for m in report.trend), "")
        g.add_row(
            "",
            *("–" if not m.total or m.gini is None else f"{m.gini:.2f}" for m in report.trend),
            spark,
        )
        out.append(g)
        out.append(Text(_("(this month so far; – = no touchpoints that month)"), style="dim"))
    low = [r.name for r in report.rows if r.low]
    if low:
        advice = (
            _(
                "Give more time to: {names}. Equal support to every department keeps the "
                "others from seeing favourites."
            )
            if by_dept
            else _(
                "Give more time to: {names}. Equal support to every manager keeps the "
                "others from seeing favourites."
            )
        )
        out.append(Text())
        out.append(Text(advice.format(names=listed(low)), style="yellow"))
    return out


# -- promises ----------------------------------------------------------------------------------


def promises_view(report: PromiseReport, names: Mapping[str, str]) -> list[object]:
    today = report.today
    out: list[object] = [
        Text(_("Promise keeping: promises I owe, by the month they fell due"), style="bold")
    ]
    if not report.months:
        out.append(Text(_("No promises I owe fell due in these months.")))
    g = table(_("Month"), _("Kept on time"), _("Rate"), _("Outcome"))
    g.columns[0].no_wrap = g.columns[1].no_wrap = g.columns[2].no_wrap = True
    g.columns[2].justify = "right"
    g.columns[3].style = "dim"
    g.columns[3].overflow = "fold"
    for m in report.months:
        parts = [
            _("{n} on time").format(n=m.kept),
            _("{n} late").format(n=m.late),
            _("{n} broken").format(n=m.broken),
        ]
        if m.cancelled:
            parts.append(_("{n} cancelled").format(n=m.cancelled))
        if m.pending:
            parts.append(_("{n} not yet due").format(n=m.pending))
        style = (
            "dim"
            if m.rate is None
            else ("green" if m.rate >= 0.8 else ("yellow" if m.rate >= 0.5 else "red"))
        )
        g.add_row(
            month_label(m.month),
            Text(bar(m.rate or 0.0, 10), style=style),
            percent(m.rate),
            listed(parts) if m.rate is not None or m.cancelled or m.pending else _("none fell due"),
        )
    if report.months:
        out.append(g)
    out.append(Text())
    rate = percent(report.rate)
    if report.avg_lateness is None:
        summary = _("Kept on time overall: {rate}").format(rate=rate)
    else:
        summary = (
            _("Kept on time overall: {rate}; {n} kept late, on average {days} day late")
            if report.avg_lateness == 1
            else _("Kept on time overall: {rate}; {n} kept late, on average {days} days late")
        ).format(rate=rate, n=report.late_count, days=f"{report.avg_lateness:g}")
    out.append(Text(summary))
    if report.deferred:
        out.append(Text())
        out.append(heading(_("Most deferred")))
        t = table(_("ID"), _("Times"), _("Pushed"), _("With"), _("Promise"), _("Now"))
        t.columns[0].style = "dim"
        t.columns[4].overflow = "fold"
        for d in report.deferred:
            p = d.promise
            if p.status == "open" and p.due < today:
                state = days_late((today - p.due).days)
            elif p.status == "open":
                state = _("due {day}").format(day=month_day(p.due))
            else:
                state = _("kept") if p.status == "done" else _("cancelled")
            t.add_row(
                p.id,
                _("{n}x").format(n=d.times),
                _("+{n}d").format(n=d.days_pushed),
                who(p, names),
                p.text,
                state,
            )
        out.append(t)
        out.append(
            Text(_("Each deferral costs trust: renegotiate early, and only once."), style="dim")
        )
    return out


# -- feedback ----------------------------------------------------------------------------------


def feedback_view(items: Sequence[FeedbackItem], names: Mapping[str, str]) -> list[object]:
    if not items:
        return [Text(_("No open feedback: every loop is closed."))]
    out: list[object] = [
        Text(_("Open feedback, oldest first ({n})").format(n=len(items)), style="bold"),
    ]
    for x in items:
        f = x.feedback
        out.append(Text())
        head = Text(f"{f.id}  ", style="dim")
        age = _("{n}d").format(n=x.age)
        head.append(age, style="bold red" if not f.actions and x.age > 30 else "bold")
        if x.suppressed:
            head.append(f"  {said(fewer_than(x.suppressed))}", style="bold")
            out.append(head)
            out.append(Text(_("(not shown, so no one can be singled out)"), style="dim"))
        else:
            src = x.source or "?"
            person = names.get(f.person, f.person) if f.person else None
            source = _("{source} ({person})").format(source=src, person=person) if person else src
            head.append(f"  {source}", style="bold")
            out.append(head)
            out.append(Text(f.text))
        g = Table.grid(padding=(0, 2))
        g.add_column(width=8, style="dim", no_wrap=True)  # 11月19日 is 8 cells too
        g.add_column(overflow="fold")
        for a in f.actions:
            g.add_row(month_day(a.date), _("(not shown)") if x.suppressed else a.text)
        if f.actions:
            out.append(g)
            out.append(
                Text(
                    _("acted, last {n}d ago: tell them, then `hrtrust feedback close {id}`").format(
                        n=x.since_action, id=f.id
                    ),
                    style="green",
                )
            )
        else:
            out.append(
                Text(
                    _("no action yet: `hrtrust feedback act {id} TEXT`").format(id=f.id),
                    style="bold yellow",
                )
            )
    return out


def newsletter_markdown(news: Newsletter) -> str:
    """The "You said, we did" section for the newsletter (Markdown), in the language of the
    run: each item, who said it (the department, or the person), what was done, and whether
    it is done."""
    lines = [_("## You said, we did"), ""]
    for item in news.items:
        f = item.feedback
        who_ = item.source or _("A colleague")
        if item.person is not None:
            who_ = (
                _("{person} ({source})").format(person=item.person, source=item.source)
                if item.source
                else item.person
            )
        lines.append(
            _("**You said** ({who}, {day}): {text}").format(
                who=who_, day=full_date(f.date), text=f.text.strip()
            )
        )
        lines.append("")
        lines.append(_("**We did:**"))
        lines.append("")
        lines += [
            "- " + _("{day}: {text}").format(day=full_date(a.date), text=a.text.strip())
            for a in item.actions
        ]
        lines.append("")
        status = _("Done.") if f.closed else _("Still in progress: more to come.")
        lines.append(f"*{status}*")
        lines.append("")
    if not news.items:
        lines += [
            _("Nothing to report yet: act on the feedback first (`hrtrust feedback act`)."),
            "",
        ]
    if news.small:
        least = said(fewer_than(news.min_responses))
        more = ngettext(
            "{n} more item from {least}: not shown, so no one can be singled out.",
            "{n} more items from {least}: not shown, so no one can be singled out.",
            news.small,
        ).format(n=news.small, least=least)
        lines += [f"*{more}*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- pulse -------------------------------------------------------------------------------------


def pulse_view(trends: Sequence[PulseTrend]) -> list[object]:
    if not trends:
        return [Text(_("No pulse results yet: hrtrust pulse add --dept D --score X"))]
    fractions = [p.score / t.scale for t in trends for p in t.points]
    lo, hi = (min(fractions), max(fractions)) if fractions else (0.0, 1.0)
    t = table(_("Department"), _("Trend"), _("Latest"), _("Change"), _("Last result"))
    t.columns[0].style = "bold"
    t.columns[2].justify = "right"
    t.columns[3].justify = "right"
    for x in trends:
        spark = sparkline([p.score / x.scale for p in x.points], lo, hi)
        if x.latest is None:
            latest = Text(said(fewer_than(x.min_responses)), style="dim")
            change = Text("")
        else:
            latest = Text(f"{x.latest:.1f} / {x.scale:g}")
            if x.change is None:
                change = Text(_("first"), style="dim")
            else:
                style = "green" if x.change > 0 else ("red" if x.change < 0 else "")
                change = Text(f"{x.change:+.1f}", style=style)
        last = month_year(x.latest_date)
        if x.participation is not None:
            last = _("{text}, {more}").format(text=last, more=participation_text(x))
        note = Text(last)
        if abs(x.streak) >= 2:
            streak = (
                _("rising {n} in a row") if x.streak > 0 else _("falling {n} in a row")
            ).format(n=abs(x.streak))
            style = "green" if x.streak > 0 else "bold red"
            note = styled(_("{text}, {more}"), "more", streak, style, text=last)
        note.style = "dim"
        t.add_row(x.dept, Text(spark, style="cyan"), latest, change, note)
    out: list[object] = [
        Text(_("Trust pulse by department (oldest → latest)"), style="bold"),
        t,
    ]
    hidden = sum(x.hidden for x in trends)
    if hidden:
        least = said(fewer_than(trends[0].min_responses))
        out.append(
            Text(
                ngettext(
                    "{n} result from {least} not shown, so no one can be singled out.",
                    "{n} results from {least} not shown, so no one can be singled out.",
                    hidden,
                ).format(n=hidden, least=least),
                style="dim",
            )
        )
    return out
