"""The pre-meeting brief: who they are, the last touch and what is due, what you promised each
other, the last few entries, what to raise. Built from ``present.lite`` (no Rich unless a
terminal shows it), as the plan is: piped, it is laid out by ``present.plain``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.cells import cell_len

from hrtrust.domain.brief import Brief
from hrtrust.domain.inherited import inherited_from
from hrtrust.locale import _, ngettext
from hrtrust.models import Promise
from hrtrust.present.common import (
    cadence_text,
    clock,
    kind_text,
    month_day,
    month_year,
    short_date,
    tags_text,
    when,
)
from hrtrust.present.inherited import inherited_lines
from hrtrust.present.lite import Grid, Text, heading, sentence

# -- brief -------------------------------------------------------------------------------------


def _grid(first_width: int | None = None) -> Grid:
    g = Grid()
    g.add_column(style="dim", no_wrap=True, width=first_width)
    g.add_column(overflow="fold")
    return g


def _tenure(b: Brief) -> str:
    """``7 years 8 months`` (``7年8個月``); ``0 months`` in the first month."""
    if b.tenure is None:
        return ""
    years, months = b.tenure
    in_years = ngettext("{n} year", "{n} years", years).format(n=years)
    in_months = ngettext("{n} month", "{n} months", months).format(n=months)
    if years and months:
        return _("{years} {months}").format(years=in_years, months=in_months)
    return in_years if years else in_months


def _touch_line(b: Brief) -> Text:
    cad = cadence_text(b.cadence)
    if b.last is None:
        return Text(
            _("No touchpoint logged yet (cadence {cadence}).").format(cadence=cad), style="yellow"
        )
    kind = kind_text(b.last_kind) if b.last_kind else _("touch")
    due_in = b.due_in or 0
    if due_in < 0:
        status, style = _("{n}d overdue").format(n=-due_in), "bold yellow"
    elif due_in == 0:
        status, style = _("due today"), "yellow"
    else:
        status, style = _("next due in {n}d").format(n=due_in), "green"
    return sentence(
        _("Last touch {n}d ago ({kind}); cadence {cadence}: {status}"),
        "status",
        status,
        style,
        n=b.days_since,
        kind=kind,
        cadence=cad,
    )


def _promise_text(p: Promise) -> str:
    """``p3 Send the deck``, and who it was inherited from in a handover."""
    giver = inherited_from(p)
    if giver:
        return _("{id} {text} (inherited from {giver})").format(id=p.id, text=p.text, giver=giver)
    return f"{p.id} {p.text}"


def _dates_width(days: Sequence[dt.date]) -> int:
    """The cells a column of ``month_day`` dates takes, with two spaces after (8 in English:
    ``Nov 19``; ``11月19日`` is eight cells wide in Chinese)."""
    return max([8, *(cell_len(month_day(d)) + 2 for d in days)])


def _pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` terminal cells (CJK counts two)."""
    return text + " " * max(0, cells - cell_len(text))


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
        facts.append(
            _("{tenure} at the company (hired {month})").format(
                tenure=tenure, month=month_year(c.hired)
            )
        )
    if c.tags:
        facts.append(tags_text(c.tags))
    if c.location:
        facts.append(c.location)
    if facts:
        out.append(Text(" · ".join(facts), style="dim"))
    out.append(_touch_line(b))
    for x in b.celebrations:
        n = x.years or 0
        what = (
            _("birthday")
            if x.what == "birthday"
            else ngettext("{n} year at the company", "{n} years at the company", n).format(n=n)
        )
        out.append(
            Text(
                _("Celebrate: {what} on {day}").format(what=what, day=short_date(x.day)),
                style="magenta",
            )
        )

    if private and (c.notes or b.facts):
        out.append(Text())
        out.append(heading(_("Remember (private)")))
        g = _grid(8)
        if c.notes:
            g.add_row(_("notes"), c.notes)
        for f in b.facts[:3]:
            g.add_row(
                month_day(f.date), Text(_("ask about: {fact}").format(fact=f.text), style="italic")
            )
        if len(b.facts) > 3:
            older = len(b.facts) - 3
            g.add_row(
                "",
                Text(
                    ngettext(
                        "{n} older fact: hrtrust contact show",
                        "{n} older facts: hrtrust contact show",
                        older,
                    ).format(n=older),
                    style="dim",
                ),
            )
        out.append(g)

    raise_ = [t for t in c.topics if t.done is None]
    if private and raise_:
        out.append(Text())
        out.append(heading(_("To raise (private)")))
        g = _grid(8)
        for t in raise_:
            g.add_row(t.id, t.text)
        out.append(g)

    out.append(Text())
    out.append(heading(_("Last touchpoints")))
    if b.recent:
        dates = _dates_width([e.date for e in b.recent])
        width = max(cell_len(kind_text(e.kind)) for e in b.recent)
        one_line = Grid()  # a touchpoint per line: the note is cut, not wrapped
        one_line.add_column(no_wrap=True, overflow="ellipsis")
        for e in b.recent:
            line = Text()
            line.append(_pad(month_day(e.date), dates), style="dim")
            line.append(_pad(kind_text(e.kind), width + 2))
            if private and e.note:
                line.append(e.note, style="italic")
            one_line.add_row(line)
        out.append(one_line)
    else:
        out.append(Text(_("none logged yet"), style="dim"))
    for before in inherited_lines(b.before):  # the previous partner's: not counted as yours
        out.append(Text(before, style="dim"))

    out.append(Text())
    out.append(heading(_("Open promises")))
    if b.owe or b.waiting:
        g = Grid()
        g.add_column(no_wrap=True)
        g.add_column(no_wrap=True)
        g.add_column(overflow="fold")
        for side, owed in ((_("I owe"), b.owe), (_("they owe"), b.waiting)):
            for p in owed:
                style = "bold red" if p.due < today else ""
                due = _("due {when}").format(when=when(p.due, today))
                g.add_row(Text(due, style=style), side, _promise_text(p))
        out.append(g)
    else:
        out.append(Text(_("none either way"), style="dim"))

    if b.feedback:
        out.append(Text())
        out.append(heading(_("Their feedback, still open")))
        g = _grid()
        for item in b.feedback:
            n = len(item.actions)
            state = (
                ngettext("{n} action", "{n} actions", n).format(n=n) if n else _("no action yet")
            )
            age = _("{n}d").format(n=(today - item.date).days)
            g.add_row(f"{item.id} {age}", _("{text} ({state})").format(text=item.text, state=state))
        out.append(g)

    out.append(Text())
    out.append(heading(_("Coming up together (next 4 weeks)")))
    if b.upcoming:
        g = Grid()
        g.add_column(no_wrap=True, style="cyan")
        g.add_column(overflow="fold")
        for u in b.upcoming:
            at = "" if u.all_day else f" {clock(u.start)}"
            title = u.activity.title
            if u.count > 1:
                title = _("{title} (+{n} more)").format(title=title, n=u.count - 1)
            g.add_row(f"{short_date(u.start.date())}{at}", title)
        out.append(g)
    else:
        out.append(Text(_("nothing scheduled: book a coffee chat?"), style="dim"))
    return out
