"""The Monday digest as plain text, Rich, Markdown, HTML and JSON.

Every format is written from one outline (:func:`outline`), so they carry the same figures in the
same order. Personal notes and learned facts enter the outline only when ``private`` is true.

The outline is in the language of the run (English, or Traditional Chinese for Taiwan), and so
is the mail's :func:`subject`; the JSON is for scripts and never changes with the language (its
``subject`` is always the English one).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar

from hrtrust import locale
from hrtrust.domain.digest import NO_DEPT, Digest, Review
from hrtrust.domain.lapsed import Lapse
from hrtrust.domain.planning import Occurrence, Reach
from hrtrust.domain.promises import days_late as late_by
from hrtrust.domain.promises import missed_due
from hrtrust.locale import CHINESE, ENGLISH, N_, _, language, ngettext
from hrtrust.locale.phrase import said
from hrtrust.models import Contact, Interaction, Promise, lazy_re
from hrtrust.present import plain
from hrtrust.present.common import (
    CELEBRATIONS_SHOWN,
    DUE_SHOWN,
    MAKEUP_DAY,
    OVERDUE_SHOWN,
    cadence_text,
    celebration_text,
    clash_text,
    day_title,
    days_late,
    fewer_than,
    first_of,
    free_day,
    holiday_text,
    kind_text,
    more_due_text,
    one_line,
    participation_text,
    planned_text,
    short_date,
    shown_clashes,
    skip_hint,
    span,
    tags_text,
    visible,
    week_json,
    week_name,
    where_parts,
    who,
)
from hrtrust.present.common import md as md  # delivery escapes its Markdown with it
from hrtrust.present.json_views import entry_json, lapse_json, plan_json, pulse_json
from hrtrust.present.reasons import hook_text, reason_text

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
        more = _("and {n} more — see `{where}`").format(n=len(items) - limit, where=where)
        rows.append(Row("", more, "dim", pointer=True))
    return rows


# What --json carries as rate_definition (English whatever the language); the views say it.
RATE_DEFINITION = N_("kept on time / (kept on time + kept late + broken)")


@dataclass
class Row:
    """One line of a block: a short label, the text, and indented sub-lines. A ``pointer``
    row says where the rest of a shortened list is (``and 4 more — see `hrtrust overdue```)."""

    label: str
    text: str
    tone: Tone = ""
    more: list[tuple[str, Tone]] = field(default_factory=list)
    pointer: bool = False


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
    lang: str = ENGLISH  # the language its words are in (en, zh-TW)


# -- words shared by the rows ------------------------------------------------------------------


def _listed(items: Iterable[str]) -> str:
    """``a, b, c`` (``a、b、c``)."""
    return _(", ").join(items)


def _with_detail(text: str, detail: str) -> str:
    """``text (detail)`` (``text（detail）``), or ``text`` when there is no detail."""
    return _("{text} ({detail})").format(text=text, detail=detail) if detail else text


def _kind_label(d: Digest, kind: str) -> str:
    """A logged kind as the digest names it: its label (a built-in kind's from the catalogue,
    a user's as they wrote it), else its id."""
    label = d.kind_labels.get(kind)
    return _(label) if label else kind


def _dept(name: str) -> str:
    """A department as typed; the entries with none under ``(no department)``."""
    return _(NO_DEPT) if name == NO_DEPT else name


def _role(c: Contact) -> str:
    """``Engineering, manager``: a person's department and tags."""
    return _listed(v for v in (c.dept or "", tags_text(c.tags, "/")) if v)


def _promise_text(p: Promise, names: Mapping[str, str]) -> str:
    """``p2 Send the draft → 林美玲`` (``←`` for a promise made to me)."""
    arrow = "→" if p.direction == "owe" else "←"
    return f"{p.id} {p.text} {arrow} {who(p, names)}"


# -- the outline -------------------------------------------------------------------------------


def rate_text(rate: float | None) -> str:
    return _("n/a") if rate is None else f"{rate:.0%}"


def glance(d: Digest) -> Block:
    """The review's headline figures."""
    r = d.review
    t = r.promises
    rows = []
    people = len(r.people_touched)
    touch = Row(
        _("Touchpoints"),
        ngettext(
            "{logged} logged with {n} person", "{logged} logged with {n} people", people
        ).format(logged=len(r.entries), n=people),
    )
    if r.by_kind:
        kinds = _listed(f"{_kind_label(d, k)} {n}" for k, n in r.by_kind)
        touch.more.append((_("by kind: {kinds}").format(kinds=kinds), ""))
    if r.by_dept:
        depts = _listed(f"{_dept(k)} {n}" for k, n in r.by_dept)
        touch.more.append((_("by department: {depts}").format(depts=depts), ""))
    if r.depts_quiet:
        quiet = _listed(r.depts_quiet)
        touch.more.append((_("not touched: {depts}").format(depts=quiet), "warn"))
    rows.append(touch)
    planned = len(r.occurrences)
    act = Row(
        _("Activities"),
        ngettext(
            "{attended} of {n} planned occurrence logged as attended",
            "{attended} of {n} planned occurrences logged as attended",
            planned,
        ).format(attended=len(r.attended), n=planned),
        "warn" if r.missed else "",
    )
    rows.append(act)
    rows.append(
        Row(
            _("Promises"),
            _("kept on time {on_time} · kept late {late} · broken {broken}").format(
                on_time=len(t.kept_on_time), late=len(t.kept_late), broken=len(t.broken)
            ),
            "bad" if t.broken else "",
            [
                (
                    _("made {made} · deferred {deferred} · cancelled {cancelled}").format(
                        made=len(t.made), deferred=len(t.deferred), cancelled=len(t.cancelled)
                    ),
                    "",
                )
            ],
        )
    )
    counted = len(t.kept_on_time) + len(t.kept_late) + len(t.broken)
    rows.append(
        Row(
            _("Keeping rate"),
            _("{rate} kept on time ({kept} of {counted})").format(
                rate=rate_text(t.rate), kept=len(t.kept_on_time), counted=counted
            ),
            "good" if t.rate == 1 else ("bad" if t.rate is not None and t.rate < 0.5 else ""),
            [(_("rate = {definition}").format(definition=_(RATE_DEFINITION)), "dim")],
        )
    )
    quiet_n = len(r.gone_quiet)
    rows.append(
        Row(
            _("Gone quiet"),
            ngettext(
                "{n} person past their cadence", "{n} people past their cadence", quiet_n
            ).format(n=quiet_n),
            "warn" if r.gone_quiet else "",
        )
    )
    return Block(_("At a glance"), rows)


def _promise_rows(r: Review, names: Mapping[str, str], still_overdue: set[str]) -> list[Row]:
    t = r.promises
    rows = []
    listed_below = [p.id for p in t.broken if p.id in still_overdue]
    if listed_below:
        rows.append(
            Row(
                _("broken"),
                _("{ids}: still open, see Overdue below").format(ids=_listed(listed_below)),
                "bad",
            )
        )
    for p in t.broken:
        if p.id not in still_overdue:
            rows.append(Row(days_late(t.broken_days[p.id]), _promise_text(p, names), "bad"))
    for p in t.kept_late:
        days = late_by(p, p.closed) if p.closed else 0  # from the first due date missed
        text = _("{promise} ({late})").format(promise=_promise_text(p, names), late=days_late(days))
        rows.append(Row(_("kept late"), text, "warn"))
    for p in t.kept_on_time:
        rows.append(Row(_("kept"), _promise_text(p, names), "good"))
    for p in t.deferred:
        moved = [x for x in p.deferrals if r.first <= x.on <= r.last]
        to = moved[-1].to if moved else p.due
        missed = missed_due(p)
        promise = _promise_text(p, names)
        if missed:
            text = _("{promise} (now due {day}, late since {missed})").format(
                promise=promise, day=short_date(to), missed=short_date(missed)
            )
        else:
            text = _("{promise} (now due {day})").format(promise=promise, day=short_date(to))
        rows.append(Row(_("deferred"), text))
    for p in t.cancelled:
        rows.append(Row(_("cancelled"), _promise_text(p, names), "dim"))
    return rows


def _entry_row(e: Interaction, d: Digest, private: bool) -> Row:
    names = d.names
    people = _listed(names.get(w, w) for w in e.with_)
    text = _kind_label(d, e.kind)
    if people:
        text = _("{kind} with {people}").format(kind=text, people=people)
    row = Row(short_date(e.date), _with_detail(text, _listed(e.depts)))
    if private:
        if e.note:
            row.more.append((_("note: {note}").format(note=e.note), "private"))
        for fact in e.learned:
            row.more.append((_("learned: {fact}").format(fact=fact), "private"))
    return row


def _lapse_text(x: Lapse) -> str:
    return _with_detail(x.contact.name, _role(x.contact))


def review_part(d: Digest, private: bool) -> Part:
    r = d.review
    blocks = [glance(d)]
    promises = _promise_rows(r, d.names, {x.promise.id for x in d.plan.owe})
    if promises:
        blocks.append(
            Block(_("Promises"), _capped(promises, PROMISES_SHOWN, "hrtrust promise list --all"))
        )
    if r.missed:
        missed = [Row(short_date(o.day), _occurrence_title(o)) for o in r.missed]
        blocks.append(
            Block(
                _("Planned but not logged as attended"),
                _capped(missed, MISSED_SHOWN, "hrtrust digest --format json"),
            )
        )
    since = f"hrtrust log list --since {r.first.isoformat()}"
    blocks.append(
        Block(
            _("Touchpoints logged"),
            _first_rows(r.entries, ENTRIES_SHOWN, lambda e: _entry_row(e, d, private), since),
            _("none logged"),
        )
    )
    if r.gone_quiet:
        quiet = [
            Row(_("{n}d over").format(n=x.days_over), _lapse_text(x), "warn")
            for x in r.gone_quiet[:GONE_QUIET_SHOWN]
        ]
        rest = len(r.gone_quiet) - GONE_QUIET_SHOWN
        if rest > 0:
            more = _("and {n} more — see `{where}`").format(n=rest, where="hrtrust overdue")
            quiet.append(Row("", more, "dim", pointer=True))
        blocks.append(Block(_("Gone quiet by the end of the week, most urgent first"), quiet))
    if r.pulses:
        blocks.append(Block(_("Trust pulse results"), [_pulse_row(t) for t in r.pulses]))
    return Part(_("Last week in review"), _week_span(r.first, r.first, r.last), blocks)


def _week_span(monday: dt.date, first: dt.date, last: dt.date) -> str:
    """``2026-W47 · Mon Nov 16 – Sun Nov 22`` (``第47週（11月16日（一）～11月22日（日））``)."""
    return _("{week} · {first} – {last}").format(
        week=week_name(monday), first=short_date(first), last=short_date(last)
    )


def _pulse_row(t: PulseTrend) -> Row:
    """A department's pulse result; from too few respondents, only that it was hidden."""
    if t.latest is None:
        row = Row(t.dept, said(fewer_than(t.min_responses)), "dim")
    else:
        change = _("first result") if t.change is None else f"{t.change:+.1f}"
        tone: Tone = "bad" if t.change is not None and t.change < 0 else ""
        score = f"{t.latest:.1f} / {t.scale:g}"
        row = Row(t.dept, _with_detail(score, change), tone)
    if t.participation is not None:
        row.more.append((participation_text(t), "dim"))
    return row


def _occurrence_title(o: Occurrence) -> str:
    a = o.activity
    return _with_detail(a.title, _listed(where_parts(o)))


def _reach_row(r: Reach, contacts: Mapping[str, Contact], private: bool, label: str) -> Row:
    c = r.lapse.contact
    text = _("{kind} with {people}").format(kind=kind_text(r.kind), people=c.name)
    text = _("{text} — {reason}").format(
        text=_with_detail(text, _role(c)), reason=reason_text(r.reason)
    )
    row = Row(label, text)
    for h in r.hooks:
        if h.private and not private:
            continue
        row.more.append((hook_text(h), "private" if h.private else "dim"))
    notes = contacts[c.id].notes if c.id in contacts else None
    if private and notes:
        row.more.append((_("notes: {notes}").format(notes=notes), "private"))
    return row


def plan_part(d: Digest, private: bool) -> Part:
    plan = d.plan
    names = d.names
    blocks = []
    overdue = [Row(days_late(x.days), _promise_text(x.promise, names), "bad") for x in plan.owe]
    overdue += [
        Row(
            days_late(x.days),
            _("{id} waiting for {who}: {text}").format(
                id=x.promise.id, who=who(x.promise, names), text=x.promise.text
            ),
            "warn",
        )
        for x in plan.waiting
    ]
    if overdue:
        blocks.append(
            Block(
                _("Overdue: do these first"),
                _capped(overdue, OVERDUE_SHOWN, "hrtrust overdue"),
            )
        )
    for day in plan.days:
        rows = []
        if day.holiday:
            rows.append(Row(_("holiday"), holiday_text(day.holiday), "warn"))
        if day.makeup:
            rows.append(Row(_("workday"), _(MAKEUP_DAY)))
        for o in day.occurrences:
            title = _occurrence_title(o)
            if o.attended:
                title = _("{title}  ✓ logged").format(title=title)
            row = Row(span(o), title)
            if day.holiday and not day.past:
                row.more.append((skip_hint(o), "warn"))
            rows.append(row)
        listed, more = shown_clashes(day, week_json(plan))
        for k in listed:
            rows.append(Row(_("clash"), clash_text(k), "bad"))
        if more:
            rows.append(Row("", more, "bad", pointer=True))
        due, more_due = first_of(
            day.due, DUE_SHOWN, week_json(plan), "more promise due", "more promises due"
        )
        for p in due:
            rows.append(Row(_("due"), _promise_text(p, names), "warn"))
        if more_due:
            rows.append(Row("", more_due, "warn", pointer=True))
        for r in day.reach:
            rows.append(_reach_row(r, d.contacts, private, _("reach out")))
        blocks.append(Block(day_title(day, plan.today), rows, free_day(day)))
    later = [_reach_row(r, d.contacts, private, _("no room")) for r in plan.reach if r.day is None]
    if plan.more_due:
        later.append(Row("", more_due_text(plan.more_due), pointer=True))
    if later:
        blocks.append(Block(_("Also due a touch"), later))
    if plan.celebrations:
        blocks.append(
            Block(
                _("Celebrations"),
                _capped(
                    [Row(short_date(c.day), celebration_text(c)) for c in plan.celebrations],
                    CELEBRATIONS_SHOWN,
                    week_json(plan),
                ),
            )
        )
    gaps = []
    for c in plan.gaps:
        if c.last is None:
            last = _("no touch yet")
        elif c.days_since == 0:
            last = _("last touch today")
        else:
            last = _("last touch {n}d ago").format(n=c.days_since)
        text = _("{last} (window {cadence})").format(last=last, cadence=cadence_text(c.window))
        if c.gap:
            text = _("{text} — gone quiet").format(text=text)
        row = Row(c.dept, text, "warn" if c.gap else "")
        if c.planned:
            row.more.append((planned_text(c.planned), "dim"))
        if not c.allies:
            cands = _listed(a.name for a in c.candidates) or _("nobody known yet")
            row.more.append(
                (_("no HR ally (人資之友) yet; could be: {names}").format(names=cands), "warn")
            )
        gaps.append(row)
    blocks.append(
        Block(
            _("Coverage gaps"),
            gaps,
            _("every client department is within its window and has an HR ally"),
        )
    )
    first = plan.days[0].day if plan.days else plan.monday
    last_day = plan.days[-1].day if plan.days else plan.monday
    return Part(_("This week"), _week_span(plan.monday, first, last_day), blocks)


def outline(d: Digest, *, private: bool = False) -> Outline:
    """The digest's content, format-neutral, in the language of the run; private text only
    when ``private``."""
    plan = d.plan
    title = _("hrtrust digest — week {week}").format(week=week_name(plan.monday))
    if private:
        subtitle = _("as of {day} · includes private notes").format(day=short_date(d.today))
    else:
        subtitle = _("as of {day}").format(day=short_date(d.today))
    parts = [review_part(d, private), plan_part(d, private)]
    return Outline(title, subtitle, parts, language())


def _english_ngettext(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def subject(d: Digest, *, english: bool = False) -> str:
    """A mail subject with the headline figures (no names, no promise texts), short: a long
    one gets folded. In the language of the run; ``english``: as --json carries it."""
    # One wording for both: the catalogue's forms, or (for scripts) English's own. The name
    # stays ``ngettext`` so that the messages are extracted into the catalogue.
    ngettext = _english_ngettext if english else locale.ngettext
    week = d.plan.label if english else week_name(d.plan.monday)
    owed = len(d.plan.owe)
    rate = d.review.promises.rate
    if rate is None:
        text = ngettext(
            "hrtrust {week}: {n} promise overdue", "hrtrust {week}: {n} promises overdue", owed
        )
        return text.format(week=week, n=owed)
    text = ngettext(
        "hrtrust {week}: {n} promise overdue, {rate} kept on time",
        "hrtrust {week}: {n} promises overdue, {rate} kept on time",
        owed,
    )
    return text.format(week=week, n=owed, rate=f"{rate:.0%}")


# The HTML page's lang attribute by the outline's language: a screen reader, a browser's
# font choice and a mail client's translate offer read it.
HTML_LANG = {ENGLISH: "en", CHINESE: "zh-Hant-TW"}


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
                cells += [("", text) for text, _tone in row.more]
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
                yield from (text for text, _tone in row.more)


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


def to_markdown(o: Outline) -> str:
    lines = [f"# {md(o.title)}", "", f"_{md(o.subtitle)}_"]
    for part in o.parts:
        lines += ["", f"## {md(part.title)}", "", f"_{md(part.subtitle)}_"]
        for block in part.blocks:
            lines += ["", f"### {md(block.title)}", ""]
            for row in block.rows:
                label = f"**{md(row.label)}** " if row.label else ""
                lines.append(f"- {label}{md(row.text)}")
                lines += [f"  - {md(text)}" for text, _tone in row.more]
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
# Chinese text in the fonts Taiwan's Macs and Windows PCs have (PingFang TC, Microsoft
# JhengHei), not in whatever a Western font's fallback picks (often Simplified glyph forms).
_FONTS = {
    CHINESE: "font-family:-apple-system,'Segoe UI','PingFang TC','Microsoft JhengHei',"
    "'Noto Sans CJK TC',Helvetica,Arial,sans-serif;"
}
# A command the digest names (``see `hrtrust overdue```) is set in code type, not between
# Markdown's backticks; other backticks (in what people typed) are shown as typed.
_HTML_COMMAND = lazy_re(r"`(hrtrust [^`<>]*)`")
_CODE = (
    r'<code style="font-family:Menlo,Consolas,monospace;font-size:13px;background:#f3f3f3;'
    r'padding:0 3px;">\1</code>'
)


def to_html(o: Outline) -> str:
    """A self-contained page (inline CSS, no external resources) that a mail client renders.

    Every text is escaped, on one line, with its control characters shown as in the other
    formats (``\\x1b``): HTML has no way to carry them, and the page may be printed."""
    import html  # only the HTML format needs it

    def e(text: str) -> str:
        return _HTML_COMMAND.sub(_CODE, html.escape(one_line(text)))

    font = _FONTS.get(o.lang, _FONT)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{HTML_LANG.get(o.lang, "en")}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(o.title)}</title></head>",
        f'<body style="{font}margin:0;padding:16px;color:#222222;background:#ffffff;">',
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
            "touched": [k for k, _n in r.by_dept],
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
        "subject": subject(d, english=True),
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
