"""Turning domain results into Rich tables and text. Only this module and cli/ import Rich."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from hrtrust.domain.departments import DeptRow
from hrtrust.domain.planning import Occurrence
from hrtrust.domain.promises import days_late, outcome
from hrtrust.domain.settings import Setting
from hrtrust.locale import ENGLISH, N_, _, language, ngettext
from hrtrust.models import Activity, Contact, Feedback, Interaction, Kind, Promise, Pulse
from hrtrust.present.common import (
    ago,
    cadence_short,
    contact_status,
    month_day,
    short_date,
    tags_text,
    who,
)
from hrtrust.present.common import days_late as late_text


def styled(message: str, field: str, value: str, style: str, **params: object) -> Text:
    """``message`` (a whole sentence from the catalogue) formatted with ``params``, and its
    ``{field}`` filled with ``value`` in ``style``: the translation places the styled part."""
    marker = "\x00"
    before, _sep, after = message.format(**params, **{field: marker}).partition(marker)
    text = Text(before)
    text.append(value, style=style)
    text.append(after)
    return text


def table(*columns: str, title: str | None = None) -> Table:
    """A table that reads as plain text too: no side borders, a rule under the header."""
    t = Table(
        *columns,
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    return t


def contacts_table(
    contacts: Sequence[Contact],
    cadences: Mapping[str, str],
    last_touch: Mapping[str, dt.date],
    today: dt.date,
    *,
    wide: bool = False,
) -> Table:
    """People, one line each at 80 columns; the role too on a wide terminal."""
    cols = [_("ID"), _("Name"), _("Dept")] + ([_("Role")] if wide else [])
    cols += [_("Tags"), _("Every"), _("Last touch")]
    t = table(*cols)
    t.columns[0].style = "dim"
    t.columns[1].style = "bold"
    for i in (0, len(cols) - 2, len(cols) - 1):  # the id, the cadence, the last touch
        t.columns[i].no_wrap = True
    for c in contacts:
        row = [c.id, c.name, c.dept or ""] + ([c.role or ""] if wide else [])
        last = ago(last_touch.get(c.id), today)
        state = contact_status(c, today)
        shown = _("{last} ({state})").format(last=last, state=state) if state else last
        row += [tags_text(c.tags), cadence_short(cadences[c.id]) if c.id in cadences else "", shown]
        t.add_row(*row)
    return t


OUTCOME_STYLE = {"overdue": "bold red", "late": "yellow", "kept": "green", "cancelled": "dim"}


def promises_table(promises: Sequence[Promise], names: Mapping[str, str], today: dt.date) -> Table:
    """Promises by due date: → I owe them, ← they owe me (inherited ones say from whom)."""
    from hrtrust.domain.inherited import inherited_from

    t = table(_("ID"), _("Due"), _("Status"), _("With"), _("Promise"))
    t.columns[0].style = "dim"
    for col in t.columns[:3]:
        col.no_wrap = True
    t.columns[4].overflow = "fold"
    t.columns[4].ratio = 1
    for p in promises:
        state = outcome(p, today)
        late = days_late(p, today)
        label = {
            "open": _("due today") if p.due == today else ago(p.due, today),
            "overdue": late_text(late),
            "kept": _("kept"),
            "late": _("kept {n}d late").format(n=late),
            "cancelled": _("cancelled"),
        }[state]
        if p.deferrals:
            label = _("{status}, {n}x moved").format(status=label, n=len(p.deferrals))
        arrow = "→ " if p.direction == "owe" else "← "
        t.add_row(
            p.id,
            month_day(p.due),
            Text(label, style=OUTCOME_STYLE.get(state, "")),
            arrow + who(p, names),
            p.text + (f" (inherited from {giver})" if (giver := inherited_from(p)) else ""),
        )
    return t


def log_table(entries: Sequence[Interaction], names: Mapping[str, str], *, notes: bool) -> Table:
    """One line per entry (the id carries the date); the note cut to fit 80 columns."""
    t = table(_("ID"), _("Kind"), _("With"), *([_("Note")] if notes else [_("Dept")]))
    t.columns[0].style = "dim"
    t.columns[0].no_wrap = t.columns[1].no_wrap = True
    t.columns[-1].no_wrap = True
    t.columns[-1].overflow = "ellipsis"
    # Chinese names are listed one a line: 、 leaves Rich no space to wrap a long list at.
    separator = ", " if language() == ENGLISH else "\n"
    for e in entries:
        depts = separator.join(e.depts)
        with_ = separator.join(names.get(w, w) for w in e.with_) or depts
        last = _cut(e.note.splitlines()[0], 26) if notes and e.note else ("" if notes else depts)
        t.add_row(e.id, kind_name(e.kind), with_, last or "")
    return t


def entry_card(
    e: Interaction,
    names: Mapping[str, str],
    kind: Kind | None,
    activity: Activity | None,
    promises: Sequence[Promise],
    today: dt.date,
) -> list[Text | Table]:
    """One log entry in full: who, what, the note and learned facts, the promises made."""
    from hrtrust.domain.catalogue import label_for

    head = Text()
    title = label_for(kind) if kind else e.kind
    head.append(_("{kind} on {day}").format(kind=title, day=dated(e.date)), "bold")
    head.append(f"  ({e.id})", style="dim")
    fields = table("", "")
    fields.show_header = False
    fields.columns[0].style = "dim"
    fields.columns[0].no_wrap = True
    fields.columns[1].overflow = "fold"
    kind_shown = (
        e.kind
        if language() == ENGLISH
        else _("{name} ({id})").format(name=label_for(e.kind), id=e.kind)
    )
    rows = [
        (_("Kind"), kind_shown),
        (
            _("With"),
            _(", ").join(_("{name} ({id})").format(name=names.get(w, w), id=w) for w in e.with_),
        ),
        (_("Department"), _(", ").join(e.depts)),
        (
            _("Activity"),
            _("{name} ({id})").format(name=activity.title, id=activity.id)
            if activity
            else e.activity or "",
        ),
        (_("Note"), e.note or ""),
    ]
    for label, value in rows:
        if value:
            fields.add_row(label, value)
    for i, fact in enumerate(e.learned):
        fields.add_row(_("Learned") if i == 0 else "", fact)
    for i, p in enumerate(promises):
        result = outcome(p, today)  # as --json says it, in English
        state = result if language() == ENGLISH else _(OUTCOMES[result])
        fields.add_row(
            _("Promised") if i == 0 else "",
            _("{id}: {text} (due {day}, {state})").format(
                id=p.id, text=p.text, day=short_date(p.due), state=state
            ),
        )
    return [head, fields]


# Promise outcomes as a person reads them in Chinese (the log card shows the outcome itself in
# English, as --json carries it).
OUTCOMES = {
    "open": N_("open"),
    "overdue": N_("overdue"),
    "kept": N_("kept"),
    "late": N_("kept late"),
    "cancelled": N_("cancelled"),
}


def kind_name(kind: str) -> str:
    """A kind in a table: its id in English (``coffee-chat``, as typed), a built-in kind's
    label in Chinese (``咖啡聊天``, which is typed too)."""
    if language() == ENGLISH:
        return kind
    from hrtrust.domain.catalogue import label_for

    return label_for(kind)


def dated(day: dt.date) -> str:
    """``Fri Nov 20, 2026`` (``2026年11月20日（五）``): a day with its weekday and year."""
    if language() == ENGLISH:
        return f"{short_date(day)}, {day.year}"
    return f"{day.year}年{short_date(day)}"


# -- plan week ---------------------------------------------------------------------------------


def heading(text: str) -> Text:
    return Text(text, style="bold underline")


# -- activities ------------------------------------------------------------------------------


def activities_table(rows: Sequence[Activity], nexts: Mapping[str, dt.datetime | None]) -> Table:
    """One activity per row, two lines each at 80 columns: the title over its kind and
    department, the rule over its time, and the next occurrence."""
    from hrtrust.domain.dates import format_duration
    from hrtrust.domain.recurrence import describe_rule, to_rrule

    t = table("ID", "Activity", "When", "Next")
    t.columns[0].style = "dim"
    t.columns[0].no_wrap = t.columns[3].no_wrap = True
    t.columns[1].ratio = 3
    t.columns[2].ratio = 2
    for a in rows:
        title = Text(a.title, style="bold")
        title.append("\n" + " · ".join(x for x in (a.kind, a.dept) if x), style="dim")
        when_ = describe_rule(to_rrule(a.rule))
        if a.at:
            when_ += f"\n{a.at}" + (f" ({format_duration(a.duration)})" if a.duration else "")
        nxt = nexts.get(a.id)
        t.add_row(a.id, title, when_, short_date(nxt) if nxt else "ended")
    return t


def activity_card(a: Activity, occ: Sequence[Occurrence], names: Mapping[str, str]) -> list[object]:
    from hrtrust.domain.dates import format_duration
    from hrtrust.domain.recurrence import describe_rule, to_rrule

    head = Text(a.title, style="bold")
    head.append(f"  ({a.id})", style="dim")
    g = table("", "")
    g.show_header = False
    g.columns[0].style = "dim"
    rows = [
        ("Kind", a.kind),
        ("Rule", f"{describe_rule(to_rrule(a.rule))}  [{to_rrule(a.rule)}]"),
        ("Time", (a.at or "all day") + (f", {format_duration(a.duration)}" if a.duration else "")),
        ("Department", a.dept or ""),
        ("Location", a.location or ""),
        ("With", ", ".join(names.get(w, w) for w in a.with_)),
        ("From", a.start.isoformat() + (f" until {a.until}" if a.until else "")),
        ("Skipped", ", ".join(d.isoformat() for d in a.skip)),
    ]
    for label, value in rows:
        if value:
            g.add_row(label, value)
    coming = Text("Coming: " + (", ".join(short_date(o.start) for o in occ) or "none"))
    return [head, g, coming]


def kinds_table(rows: Sequence[Kind]) -> Table:
    """The catalogue: each kind's name, its label over what it is for, its default cadence."""
    from hrtrust.domain.catalogue import label_for

    t = table(_("Kind"), _("What"), _("Cadence"))
    t.columns[0].style = "bold"
    t.columns[0].no_wrap = t.columns[2].no_wrap = True
    t.columns[1].overflow = "fold"  # Chinese has no spaces to wrap at: a line is folded
    for k in rows:
        what = Text(label_for(k))
        if k.about:
            what.append("\n" + _(k.about), style="dim")
        t.add_row(k.name, what, _cadence(k.cadence) if k.cadence else _("as needed"))
    return t


def _cadence(text: str) -> str:
    """A kind's cadence as its catalogue or config gives it (``weekly``, ``every 2 weeks``),
    said in the language of the run."""
    from hrtrust.domain.dates import parse_cadence
    from hrtrust.errors import UsageError
    from hrtrust.locale import ENGLISH, language
    from hrtrust.present.common import cadence_text

    if language() == ENGLISH:
        return text
    try:
        return cadence_text(parse_cadence(text))
    except UsageError:
        return text


def settings_table(rows: Sequence[Setting]) -> Table:
    """`config show`: each setting, its value, what it means."""
    t = table("Setting", "Value", "Meaning")
    t.columns[0].style = "bold"
    t.columns[2].overflow = "fold"
    for s in rows:
        t.add_row(s.key, s.value, s.about)
    return t


def _cut(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells (CJK counts two), with an ellipsis."""
    from rich.cells import cell_len

    if cell_len(text) <= cells:
        return text
    while text and cell_len(text) > cells - 1:
        text = text[:-1]
    return text + "…"


def feedback_table(rows: Sequence[Feedback], contacts: Sequence[Contact], today: dt.date) -> Table:
    """Feedback items: age, who it came from, the text, and where the loop stands."""
    from hrtrust.domain.reports import feedback_source

    names = {c.id: c.name for c in contacts}
    t = table(_("ID"), _("Age"), _("From"), _("Feedback"), _("Status"))
    t.columns[0].style = "dim"
    t.columns[1].justify = "right"
    t.columns[2].no_wrap = True
    t.columns[3].overflow = "fold"
    t.columns[4].no_wrap = True
    for f in rows:
        person = names.get(f.person, f.person) if f.person else None
        if f.closed:
            status = _("closed {day}").format(day=month_day(f.closed))
        elif f.actions:
            n = len(f.actions)
            status = ngettext("{n} action", "{n} actions", n).format(n=n)
        else:
            status = _("no action yet")
        age = _("{n}d").format(n=(today - f.date).days)
        t.add_row(f.id, age, person or feedback_source(f, contacts), f.text, status)
    return t


def departments_table(rows: Sequence[DeptRow]) -> Table:
    """`dept list`: client departments first, then HR's own and its peers'."""
    t = table("Department", "Kind", "People", "Headcount", "Window")
    for r in rows:
        kind = "client" if r.client else "internal"
        if not r.registered:
            kind += " (not registered)"
        t.add_row(r.name, kind, str(r.people), str(r.headcount or ""), r.window)
    return t


def pulses_table(rows: Sequence[Pulse], min_responses: int) -> Table:
    """Pulse results, oldest first: id, date, department, score out of its scale (never one
    from too small a group), and how many answered when any result says."""
    from hrtrust.domain.reports import too_few
    from hrtrust.locale.phrase import said
    from hrtrust.present.common import fewer_than

    answered = any(p.responses is not None for p in rows)
    t = table(
        _("ID"), _("Date"), _("Department"), _("Score"), *([_("Answered")] if answered else [])
    )
    t.columns[0].style = "dim"
    t.columns[3].justify = "right"
    if answered:
        t.columns[4].justify = "right"
    for p in rows:
        score: str | Text = f"{p.score:g} / {p.top:g}"
        if too_few(p.responses, min_responses):
            score = Text(said(fewer_than(min_responses)), style="dim")
        count = ["" if p.responses is None else str(p.responses)] if answered else []
        t.add_row(p.id, p.date.isoformat(), p.dept, score, *count)
    return t
