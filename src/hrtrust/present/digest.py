"""The Monday digest as plain text, Rich, Markdown, HTML and JSON.

Every format is written from one outline (:func:`outline`), so they carry the same figures in the
same order. Personal notes and learned facts enter the outline only when ``private`` is true.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from hrtrust.domain.dates import describe_cadence
from hrtrust.domain.digest import Digest, Review
from hrtrust.domain.planning import Lapse, Occurrence, Reach
from hrtrust.domain.promises import days_late, missed_due
from hrtrust.models import Contact, Interaction, Promise, lazy_re
from hrtrust.present import plain
from hrtrust.present.common import (
    CELEBRATIONS_SHOWN,
    DUE_SHOWN,
    MAKEUP_DAY,
    OVERDUE_SHOWN,
    celebration_text,
    clash_text,
    day_title,
    first_of,
    free_day,
    holiday_text,
    more_due_text,
    one_line,
    participation_text,
    planned_text,
    plural,
    short_date,
    shown_clashes,
    skip_hint,
    span,
    visible,
    week_json,
    who,
)
from hrtrust.present.json_views import entry_json, lapse_json, plan_json, pulse_json

if TYPE_CHECKING:  # the report module loads only in a week with pulse results, Rich only
    from rich.console import RenderableType  # for a terminal

    from hrtrust.domain.reports import PulseTrend

Tone = Literal["", "bad", "warn", "good", "dim", "private"]
WIDTH = 80
GONE_QUIET_SHOWN = 5
# A digest is read in a few minutes: longer lists show their first rows and say where the rest is.
PROMISES_SHOWN = 20
MISSED_SHOWN = 15
ENTRIES_SHOWN = 30


T = TypeVar("T")


def _capped(rows: list[Row], limit: int, where: str) -> list[Row]:
    """The first ``limit`` rows, then ``and N more — see `where```."""
    return _first_rows(rows, limit, lambda row: row, where)


def _first_rows(items: Sequence[T], limit: int, row: Callable[[T], Row], where: str) -> list[Row]:
    """The rows of the first ``limit`` items (only those are made: a busy week logs
    thousands of entries), then ``and N more — see `where```."""
    rows = [row(item) for item in items[:limit]]
    if len(items) > limit:
        rows.append(Row("", f"and {len(items) - limit} more — see `{where}`", "dim"))
    return rows


RATE_DEFINITION = "kept on time / (kept on time + kept late + broken)"


@dataclass
class Row:
    """One line of a block: a short label, the text, and indented sub-lines."""

    label: str
    text: str
    tone: Tone = ""
    more: list[tuple[str, Tone]] = field(default_factory=list)


class Block(NamedTuple):
    title: str
    rows: list[Row]
    empty: str = ""


class Part(NamedTuple):
    title: str
    subtitle: str
    blocks: list[Block]


class Outline(NamedTuple):
    title: str
    subtitle: str
    parts: list[Part]


# -- the outline -------------------------------------------------------------------------------


def rate_text(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def glance(d: Digest) -> Block:
    """The review's headline figures."""
    r = d.review
    t = r.promises
    rows = []
    touch = Row(
        "Touchpoints",
        f"{len(r.entries)} logged with {plural(len(r.people_touched), 'person', 'people')}",
    )
    if r.by_kind:
        kinds = ", ".join(f"{d.kind_labels.get(k, k)} {n}" for k, n in r.by_kind)
        touch.more.append((f"by kind: {kinds}", ""))
    if r.by_dept:
        touch.more.append((f"by department: {', '.join(f'{k} {n}' for k, n in r.by_dept)}", ""))
    if r.depts_quiet:
        touch.more.append((f"not touched: {', '.join(r.depts_quiet)}", "warn"))
    rows.append(touch)
    act = Row(
        "Activities",
        f"{len(r.attended)} of {plural(len(r.occurrences), 'planned occurrence')} logged as "
        "attended",
        "warn" if r.missed else "",
    )
    rows.append(act)
    rows.append(
        Row(
            "Promises",
            f"kept on time {len(t.kept_on_time)} · kept late {len(t.kept_late)} · "
            f"broken {len(t.broken)}",
            "bad" if t.broken else "",
            [
                (
                    f"made {len(t.made)} · deferred {len(t.deferred)} · "
                    f"cancelled {len(t.cancelled)}",
                    "",
                )
            ],
        )
    )
    counted = len(t.kept_on_time) + len(t.kept_late) + len(t.broken)
    rows.append(
        Row(
            "Keeping rate",
            f"{rate_text(t.rate)} kept on time ({len(t.kept_on_time)} of {counted})",
            "good" if t.rate == 1 else ("bad" if t.rate is not None and t.rate < 0.5 else ""),
            [(f"rate = {RATE_DEFINITION}", "dim")],
        )
    )
    rows.append(
        Row(
            "Gone quiet",
            f"{plural(len(r.gone_quiet), 'person', 'people')} past their cadence",
            "warn" if r.gone_quiet else "",
        )
    )
    return Block("At a glance", rows)


def _promise_rows(r: Review, names: Mapping[str, str], still_overdue: set[str]) -> list[Row]:
    t = r.promises
    rows = []
    listed_below = [p.id for p in t.broken if p.id in still_overdue]
    if listed_below:
        rows.append(
            Row("broken", f"{', '.join(listed_below)}: still open, see Overdue below", "bad")
        )
    for p in t.broken:
        if p.id not in still_overdue:
            rows.append(
                Row(f"{t.broken_days[p.id]}d late", f"{p.id} {p.text} → {who(p, names)}", "bad")
            )
    for p in t.kept_late:
        days = days_late(p, p.closed) if p.closed else 0  # from the first due date missed
        rows.append(Row("kept late", f"{p.id} {p.text} → {who(p, names)} ({days}d late)", "warn"))
    for p in t.kept_on_time:
        rows.append(Row("kept", f"{p.id} {p.text} → {who(p, names)}", "good"))
    for p in t.deferred:
        moved = [x for x in p.deferrals if r.first <= x.on <= r.last]
        to = moved[-1].to if moved else p.due
        missed = missed_due(p)
        late = f", late since {short_date(missed)}" if missed else ""
        rows.append(
            Row("deferred", f"{p.id} {p.text} → {who(p, names)} (now due {short_date(to)}{late})")
        )
    for p in t.cancelled:
        rows.append(Row("cancelled", f"{p.id} {p.text} → {who(p, names)}", "dim"))
    return rows


def _entry_row(e: Interaction, d: Digest, private: bool) -> Row:
    names = d.names
    people = ", ".join(names.get(w, w) for w in e.with_)
    text = d.kind_labels.get(e.kind, e.kind)
    if people:
        text += f" with {people}"
    if e.depts:
        text += f" ({', '.join(e.depts)})"
    row = Row(short_date(e.date), text)
    if private:
        if e.note:
            row.more.append((f"note: {e.note}", "private"))
        for fact in e.learned:
            row.more.append((f"learned: {fact}", "private"))
    return row


def _lapse_text(x: Lapse) -> str:
    c = x.contact
    role = ", ".join(v for v in (c.dept, "/".join(c.tags)) if v)
    return c.name + (f" ({role})" if role else "")


def review_part(d: Digest, private: bool) -> Part:
    r = d.review
    blocks = [glance(d)]
    promises = _promise_rows(r, d.names, {x.promise.id for x in d.plan.owe})
    if promises:
        blocks.append(
            Block("Promises", _capped(promises, PROMISES_SHOWN, "hrtrust promise list --all"))
        )
    if r.missed:
        missed = [Row(short_date(o.day), _occurrence_title(o)) for o in r.missed]
        blocks.append(
            Block(
                "Planned but not logged as attended",
                _capped(missed, MISSED_SHOWN, "hrtrust digest --format json"),
            )
        )
    since = f"hrtrust log list --since {r.first.isoformat()}"
    blocks.append(
        Block(
            "Touchpoints logged",
            _first_rows(r.entries, ENTRIES_SHOWN, lambda e: _entry_row(e, d, private), since),
            "none logged",
        )
    )
    if r.gone_quiet:
        quiet = [
            Row(f"{x.days_over}d over", _lapse_text(x), "warn")
            for x in r.gone_quiet[:GONE_QUIET_SHOWN]
        ]
        rest = len(r.gone_quiet) - GONE_QUIET_SHOWN
        if rest > 0:
            quiet.append(Row("", f"and {rest} more — see `hrtrust overdue`", "dim"))
        blocks.append(Block("Gone quiet by the end of the week, most urgent first", quiet))
    if r.pulses:
        blocks.append(Block("Trust pulse results", [_pulse_row(t) for t in r.pulses]))
    subtitle = f"{r.label} · {short_date(r.first)} – {short_date(r.last)}"
    return Part("Last week in review", subtitle, blocks)


def _pulse_row(t: PulseTrend) -> Row:
    """A department's pulse result; from too few respondents, only that it was hidden."""
    from hrtrust.domain.reports import fewer_than

    if t.latest is None:
        row = Row(t.dept, fewer_than(t.min_responses), "dim")
    else:
        change = "first result" if t.change is None else f"{t.change:+.1f}"
        tone: Tone = "bad" if t.change is not None and t.change < 0 else ""
        row = Row(t.dept, f"{t.latest:.1f} / {t.scale:g} ({change})", tone)
    if t.participation is not None:
        row.more.append((participation_text(t), "dim"))
    return row


def _occurrence_title(o: Occurrence) -> str:
    a = o.activity
    where = ", ".join(x for x in (a.dept, a.location) if x)
    return a.title + (f" ({where})" if where else "")


def _reach_row(r: Reach, contacts: Mapping[str, Contact], private: bool, label: str) -> Row:
    c = r.lapse.contact
    role = ", ".join(x for x in (c.dept, "/".join(c.tags)) if x)
    text = f"{r.kind.replace('-', ' ')} with {c.name}" + (f" ({role})" if role else "")
    row = Row(label, f"{text} — {r.reason}")
    for h in r.hooks:
        if h.private and not private:
            continue
        row.more.append((h.text, "private" if h.private else "dim"))
    notes = contacts[c.id].notes if c.id in contacts else None
    if private and notes:
        row.more.append((f"notes: {notes}", "private"))
    return row


def plan_part(d: Digest, private: bool) -> Part:
    plan = d.plan
    names = d.names
    blocks = []
    overdue = [
        Row(f"{x.days}d late", f"{x.promise.id} {x.promise.text} → {who(x.promise, names)}", "bad")
        for x in plan.owe
    ]
    overdue += [
        Row(
            f"{x.days}d late",
            f"{x.promise.id} waiting for {who(x.promise, names)}: {x.promise.text}",
            "warn",
        )
        for x in plan.waiting
    ]
    if overdue:
        blocks.append(
            Block("Overdue: do these first", _capped(overdue, OVERDUE_SHOWN, "hrtrust overdue"))
        )
    for day in plan.days:
        rows = []
        if day.holiday:
            rows.append(Row("holiday", holiday_text(day.holiday), "warn"))
        if day.makeup:
            rows.append(Row("workday", MAKEUP_DAY))
        for o in day.occurrences:
            row = Row(span(o), _occurrence_title(o) + ("  ✓ logged" if o.attended else ""))
            if day.holiday and not day.past:
                row.more.append((skip_hint(o), "warn"))
            rows.append(row)
        listed, more = shown_clashes(day, week_json(plan))
        for k in listed:
            rows.append(Row("clash", clash_text(k), "bad"))
        if more:
            rows.append(Row("", more, "bad"))
        due, more_due = first_of(
            day.due, DUE_SHOWN, week_json(plan), "more promise due", "more promises due"
        )
        for p in due:
            arrow = "→" if p.direction == "owe" else "←"
            rows.append(Row("due", f"{p.id} {p.text} {arrow} {who(p, names)}", "warn"))
        if more_due:
            rows.append(Row("", more_due, "warn"))
        for r in day.reach:
            rows.append(_reach_row(r, d.contacts, private, "reach out"))
        blocks.append(Block(day_title(day, plan.today), rows, free_day(day)))
    later = [_reach_row(r, d.contacts, private, "no room") for r in plan.reach if r.day is None]
    if plan.more_due:
        later.append(Row("", more_due_text(plan.more_due)))
    if later:
        blocks.append(Block("Also due a touch", later))
    if plan.celebrations:
        blocks.append(
            Block(
                "Celebrations",
                _capped(
                    [Row(short_date(c.day), celebration_text(c)) for c in plan.celebrations],
                    CELEBRATIONS_SHOWN,
                    week_json(plan),
                ),
            )
        )
    gaps = []
    for c in plan.gaps:
        last = "no touch yet" if c.last is None else f"last touch {c.days_since}d ago"
        if c.days_since == 0:
            last = "last touch today"
        text = f"{last} (window {describe_cadence(c.window)})"
        row = Row(c.dept, text + (" — gone quiet" if c.gap else ""), "warn" if c.gap else "")
        if c.planned:
            row.more.append((planned_text(c.planned), "dim"))
        if not c.allies:
            cands = ", ".join(a.name for a in c.candidates) or "nobody known yet"
            row.more.append((f"no HR ally (人資之友) yet; could be: {cands}", "warn"))
        gaps.append(row)
    blocks.append(
        Block(
            "Coverage gaps",
            gaps,
            "every client department is within its window and has an HR ally",
        )
    )
    first = plan.days[0].day if plan.days else plan.monday
    last_day = plan.days[-1].day if plan.days else plan.monday
    return Part("This week", f"{plan.label} · {short_date(first)} – {short_date(last_day)}", blocks)


def outline(d: Digest, *, private: bool = False) -> Outline:
    """The digest's content, format-neutral; private text only when ``private``."""
    plan = d.plan
    title = f"hrtrust digest — week {plan.label}"
    subtitle = f"as of {short_date(d.today)}" + (" · includes private notes" if private else "")
    return Outline(title, subtitle, [review_part(d, private), plan_part(d, private)])


# -- plain text and Rich ------------------------------------------------------------------------

RICH_TONE = {
    "": "",
    "bad": "bold red",
    "warn": "yellow",
    "good": "green",
    "dim": "dim",
    "private": "italic",
}


def renderables(o: Outline) -> list[RenderableType]:
    """The outline as Rich renderables: bold headings, a label column, wrapped text."""
    from rich.table import Table
    from rich.text import Text

    out: list[RenderableType] = [Text(o.title, style="bold"), Text(o.subtitle, style="dim")]
    for part in o.parts:
        out.append(Text())
        head = Text(part.title.upper(), style="bold")
        head.append(f"   {part.subtitle}", style="dim")
        out.append(head)
        for block in part.blocks:
            out.append(Text())
            out.append(Text(block.title, style="bold underline"))
            labelled = any(row.label for row in block.rows)
            grid = Table.grid(padding=(0, 2))
            if labelled:
                grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")
            lead = [""] if labelled else []
            for row in block.rows:
                label = [row.label] if labelled else []
                grid.add_row(*label, Text(row.text, style=RICH_TONE[row.tone]))
                for text, tone in row.more:
                    grid.add_row(*lead, Text(text, style=RICH_TONE[tone]))
            if not block.rows and block.empty:
                grid.add_row(Text(block.empty, style="dim"))
            out.append(grid)
    return out


def to_text(o: Outline, width: int = WIDTH) -> str:
    """Plain text at ``width`` columns: no escape codes, no trailing spaces (for cron mail).

    Laid out as :func:`renderables` is on a console, by :mod:`hrtrust.present.plain`, without
    building Rich tables (a long digest spent most of its time in them); a layout that module
    leaves to Rich (a label too wide for its column, a tab) goes through Rich."""
    if any(plain.needs_rich(text) for text in _texts(o)):
        return _rich_text(o, width)
    out: list[str] = [*plain.wrapped(o.title, width), *plain.wrapped(o.subtitle, width)]
    for part in o.parts:
        out.append("")
        out += plain.wrapped(f"{part.title.upper()}   {part.subtitle}", width)
        for block in part.blocks:
            out.append("")
            out += plain.wrapped(block.title, width)
            cells: list[tuple[str, str]] = []
            for row in block.rows:
                cells.append((row.label, row.text))
                cells += [("", text) for text, _ in row.more]
            if not any(row.label for row in block.rows):
                texts = [text for _, text in cells] or ([block.empty] if block.empty else [])
                out += [line for text in texts for line in plain.wrapped(text, width)]
                continue
            grid = plain.grid_lines(cells, width)
            if grid is None:
                return _rich_text(o, width)
            out += grid
    lines = [visible(line).rstrip() for line in out]
    return "\n".join(lines).strip("\n") + "\n"


def _texts(o: Outline) -> Iterator[str]:
    yield o.title
    yield o.subtitle
    for part in o.parts:
        yield part.title
        yield part.subtitle
        for block in part.blocks:
            yield block.title
            yield block.empty
            for row in block.rows:
                yield row.label
                yield row.text
                yield from (text for text, _ in row.more)


def _rich_text(o: Outline, width: int) -> str:
    """The plain text through Rich's console and tables (the layout ``to_text`` follows)."""
    from hrtrust.present.console import SafeConsole

    buf = io.StringIO()
    con = SafeConsole(
        file=buf,
        width=width,
        color_system=None,
        force_terminal=False,
        no_color=True,
        soft_wrap=False,
    )
    for item in renderables(o):
        con.print(item)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    return "\n".join(lines).strip("\n") + "\n"


# -- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = lazy_re(r"([\\`*_\[\]<>|~])")


_MD_LINE_START = lazy_re(r"^(\s*)([#+=\-]|\d+[.)])")


def md(text: str) -> str:
    """Escape Markdown so names and promise texts show as typed: inline marks are escaped,
    line breaks become spaces (so no text starts a heading, rule or list of its own), a
    leading ``#``, ``-``, ``+``, ``=`` or ``1.`` is escaped, and controls are made visible."""
    text = _MD_SPECIAL.sub(r"\\\1", one_line(text))
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def to_markdown(o: Outline) -> str:
    lines = [f"# {md(o.title)}", "", f"_{md(o.subtitle)}_"]
    for part in o.parts:
        lines += ["", f"## {md(part.title)}", "", f"_{md(part.subtitle)}_"]
        for block in part.blocks:
            lines += ["", f"### {md(block.title)}", ""]
            for row in block.rows:
                label = f"**{md(row.label)}** " if row.label else ""
                lines.append(f"- {label}{md(row.text)}")
                lines += [f"  - {md(text)}" for text, _ in row.more]
            if not block.rows and block.empty:
                lines.append(f"- _{md(block.empty)}_")
    return "\n".join(lines) + "\n"


# -- HTML -------------------------------------------------------------------------------------

HTML_TONE = {
    "": "",
    "bad": "color:#b00020;font-weight:bold;",
    "warn": "color:#8a5a00;",
    "good": "color:#1b7f3b;",
    "dim": "color:#666666;",
    "private": "color:#555555;font-style:italic;",
}
_FONT = "font-family:-apple-system,'Segoe UI',Helvetica,Arial,'Noto Sans CJK TC',sans-serif;"


def to_html(o: Outline) -> str:
    """A self-contained page (inline CSS, no external resources) that a mail client renders.

    Every text is escaped, on one line, with its control characters shown as in the other
    formats (``\\x1b``): HTML has no way to carry them, and the page may be printed."""
    import html  # only the HTML format needs it

    def e(text: str) -> str:
        return html.escape(one_line(text))

    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(o.title)}</title></head>",
        f'<body style="{_FONT}margin:0;padding:16px;color:#222222;background:#ffffff;">',
        '<div style="max-width:720px;margin:0 auto;">',
        f'<h1 style="font-size:20px;margin:0 0 4px 0;">{e(o.title)}</h1>',
        f'<p style="margin:0;color:#666666;font-size:13px;">{e(o.subtitle)}</p>',
    ]
    for part in o.parts:
        out.append(
            '<h2 style="font-size:17px;margin:24px 0 2px 0;border-bottom:2px solid #dddddd;'
            f'padding-bottom:2px;">{e(part.title)} '
            f'<span style="font-weight:normal;color:#666666;font-size:13px;">'
            f"{e(part.subtitle)}</span></h2>"
        )
        for block in part.blocks:
            out.append(f'<h3 style="font-size:15px;margin:14px 0 4px 0;">{e(block.title)}</h3>')
            out.append(
                '<table role="presentation" cellpadding="0" cellspacing="0" '
                'style="border-collapse:collapse;font-size:14px;line-height:1.4;">'
            )
            cell = "padding:2px 12px 2px 0;vertical-align:top;"
            for row in block.rows:
                more = "".join(
                    f'<div style="{HTML_TONE[tone]}font-size:13px;">{e(text)}</div>'
                    for text, tone in row.more
                )
                out.append(
                    f'<tr><td style="{cell}color:#666666;white-space:nowrap;">{e(row.label)}</td>'
                    f'<td style="{cell}"><span style="{HTML_TONE[row.tone]}">{e(row.text)}</span>'
                    f"{more}</td></tr>"
                )
            if not block.rows and block.empty:
                out.append(
                    f'<tr><td style="{cell}"></td>'
                    f'<td style="{cell}color:#666666;">{e(block.empty)}</td></tr>'
                )
            out.append("</table>")
    out += ["</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- JSON -------------------------------------------------------------------------------------


def _ids(promises: Sequence[Promise]) -> list[str]:
    return [p.id for p in promises]


def review_json(d: Digest, *, private: bool) -> dict[str, Any]:
    r = d.review
    t = r.promises
    names = d.names
    return {
        "week": r.label,
        "start": r.first.isoformat(),
        "end": r.last.isoformat(),
        "touchpoints": {
            "logged": len(r.entries),
            "people": len(r.people_touched),
            "by_kind": dict(r.by_kind),
            "by_dept": dict(r.by_dept),
            "entries": [entry_json(e, names, private=private) for e in r.entries],
        },
        "departments": {
            "touched": [k for k, _ in r.by_dept],
            "not_touched": list(r.depts_quiet),
        },
        "activities": {
            "planned": len(r.occurrences),
            "attended": len(r.attended),
            "missed": [
                {"activity": o.activity.id, "title": o.activity.title, "date": o.day.isoformat()}
                for o in r.missed
            ],
        },
        "promises": {
            "made": len(t.made),
            "kept_on_time": len(t.kept_on_time),
            "kept_late": len(t.kept_late),
            "broken": len(t.broken),
            "deferred": len(t.deferred),
            "cancelled": len(t.cancelled),
            "rate": None if t.rate is None else round(t.rate, 4),
            "rate_definition": RATE_DEFINITION,
            "ids": {
                "made": _ids(t.made),
                "kept_on_time": _ids(t.kept_on_time),
                "kept_late": _ids(t.kept_late),
                "broken": _ids(t.broken),
                "deferred": _ids(t.deferred),
                "cancelled": _ids(t.cancelled),
            },
            "broken_days_late": dict(t.broken_days),
        },
        "people": {
            "touched": [{"id": c.id, "name": c.name, "dept": c.dept} for c in r.people_touched],
            "gone_quiet": [lapse_json(x) for x in r.gone_quiet],
        },
        "pulse": pulse_json(r.pulses),
    }


def to_json_data(d: Digest, *, private: bool = False) -> dict[str, Any]:
    """The digest for scripts: the same figures as the text, plus the full plan."""
    data: dict[str, Any] = {
        "week": d.plan.label,
        "today": d.today.isoformat(),
        "subject": d.subject(),
        "includes_private": private,
        "review": review_json(d, private=private),
        "plan": plan_json(d.plan, d.names, private=private),
    }
    if private:
        data["notes"] = {
            r.lapse.contact.id: d.contacts[r.lapse.contact.id].notes
            for r in d.plan.reach
            if r.lapse.contact.id in d.contacts and d.contacts[r.lapse.contact.id].notes
        }
    return data
