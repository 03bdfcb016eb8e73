"""The week's plan as people read it (``plan week``): overdue first, then day by day, then
who else is due and how each department is covered.

Built from ``present.lite`` (text and grids without Rich): piped, ``present.plain`` lays it
out with no Rich import at all; on a terminal Rich's console prints it in colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from string import Formatter

from hrtrust.domain.planning import DayPlan, Occurrence, Reach, Topics, WeekPlan
from hrtrust.locale import _, ngettext
from hrtrust.present.common import (
    CELEBRATIONS_SHOWN,
    DUE_SHOWN,
    MAKEUP_DAY,
    OVERDUE_SHOWN,
    ago,
    cadence_text,
    celebration_text,
    clash_text,
    day_title,
    days_late,
    first_of,
    free_day,
    holiday_text,
    kind_text,
    more_due_text,
    planned_text,
    shifts_text,
    short_date,
    shown_clashes,
    skip_hint,
    span,
    tag_text,
    week_json,
    week_name,
    where_parts,
    who,
)
from hrtrust.present.lite import Grid, Text, heading
from hrtrust.present.reasons import hook_texts, reason_text, topic_texts


def styled(t: Text, template: str, **fields: tuple[str, str | None]) -> Text:
    """``template`` (a translated message) appended to ``t``, each ``{field}`` filled with its
    text in its own style: the translation decides the word order, the view the colours."""
    for literal, name, _spec, _conv in Formatter().parse(template):
        t.append(literal)
        if name is not None:
            text, style = fields[name]
            t.append(text, style=style)
    return t


def occurrence_text(o: Occurrence) -> Text:
    a = o.activity
    t = Text(a.title, style="bold")
    where = _(", ").join(where_parts(o))
    if where:
        t.append(_(" ({where})").format(where=where), style="dim")
    if o.attended:
        t.append("  ✓ " + _("logged"), style="green")
    return t


def reach_text(r: Reach, *, with_day: bool = False) -> Text:
    c = r.lapse.contact
    t = Text()
    if with_day:
        t.append((short_date(r.day) if r.day else _("no room")) + "  ", style="cyan")
    role = _(", ").join(x for x in (c.dept, "/".join(tag_text(t) for t in c.tags)) if x)
    return styled(
        t,
        _("{kind} with {name}{role} — {reason}"),
        kind=(kind_text(r.kind), "cyan"),
        name=(c.name, "bold"),
        role=(_(" ({role})").format(role=role) if role else "", "dim"),
        reason=(reason_text(r.reason), None),
    )


def hooks_text(r: Reach, *, private: bool) -> Text | None:
    """The conversation hooks, one per line; private ones (learned facts) only when asked."""
    hooks = hook_texts(r.hooks, private=private)
    return Text("\n".join(hooks), style="italic") if hooks else None


def _day_grid(
    d: DayPlan,
    names: Mapping[str, str],
    private: bool,
    where: str,
    raise_: Mapping[str, Topics] | None = None,
) -> Grid:
    """A day: its holiday, activities, overlaps, promises due, reach-outs and celebrations
    (long lists cut, with the command ``where`` that lists them all)."""
    raise_ = raise_ or {}
    g = Grid()
    g.add_column(width=11, style="dim", no_wrap=True)
    g.add_column(overflow="fold")
    if d.holiday:
        g.add_row(Text(_("holiday"), style="magenta"), Text(holiday_text(d.holiday), style="bold"))
    if d.makeup:
        g.add_row(Text(_("workday"), style="magenta"), Text(_(MAKEUP_DAY)))
    for o in d.occurrences:
        g.add_row(span(o), occurrence_text(o))
        for cid in o.activity.with_ if private and not o.attended else ():
            if cid in raise_:
                line = _("to raise with {name}: {topics}").format(
                    name=names.get(cid, cid), topics=_("; ").join(topic_texts(raise_[cid]))
                )
                g.add_row("", Text(line, style="italic"))
        if d.holiday and not d.past:
            g.add_row("", Text(skip_hint(o), style="yellow"))
    listed, more = shown_clashes(d, where)
    for k in listed:
        g.add_row(Text(_("clash"), style="bold red"), Text(clash_text(k), style="red"))
    if more:
        g.add_row("", Text(more, style="red"))
    due, more_due = first_of(d.due, DUE_SHOWN, where, "more promise due", "more promises due")
    for p in due:
        arrow = "→" if p.direction == "owe" else "←"
        g.add_row(
            Text(_("due"), style="yellow"),
            Text(f"{p.id} {p.text} {arrow} {who(p, names)}"),
        )
    if more_due:
        g.add_row("", Text(more_due, style="yellow"))
    for r in d.reach:
        g.add_row(Text(_("reach out"), style="cyan"), reach_text(r))
        hooks = hooks_text(r, private=private)
        if hooks:
            g.add_row("", hooks)
    parties, more_parties = first_of(d.celebrations, CELEBRATIONS_SHOWN, where, "more celebration")
    for c in parties:
        g.add_row(Text(_("celebrate"), style="magenta"), celebration_text(c, d.day))
    if more_parties:
        g.add_row("", Text(more_parties, style="magenta"))
    empty = free_day(d)
    if empty and not (d.occurrences or d.due or d.reach or d.celebrations or d.makeup):
        g.add_row("", Text(empty, style="dim"))
    return g


def plan_view(plan: WeekPlan, names: Mapping[str, str], *, private: bool = True) -> list[object]:
    """The week as an HR partner reads it on Monday: overdue first, then day by day."""
    sunday = plan.monday + dt.timedelta(days=6)
    out: list[object] = []
    title = Text(_("Week {week}").format(week=week_name(plan.monday)), style="bold")
    title.append(f"  {short_date(plan.days[0].day if plan.days else plan.monday)} – ")
    title.append(short_date(plan.days[-1].day if plan.days else sunday))
    title.append("   " + _("(today {day})").format(day=short_date(plan.today)), style="dim")
    out.append(title)
    if plan.owe or plan.waiting:
        out.append(Text())
        out.append(heading(_("Overdue: do these first")))
        g = Grid()
        g.add_column(style="bold red", no_wrap=True)
        g.add_column(overflow="fold")
        owe, waiting = (
            plan.owe[:OVERDUE_SHOWN],
            plan.waiting[: max(0, OVERDUE_SHOWN - len(plan.owe))],
        )
        for r in owe:
            g.add_row(
                days_late(r.days), f"{r.promise.id} {r.promise.text} → {who(r.promise, names)}"
            )
        for r in waiting:
            g.add_row(
                days_late(r.days),
                _("{id} waiting for {who}: {text}").format(
                    id=r.promise.id, who=who(r.promise, names), text=r.promise.text
                ),
            )
        out.append(g)
        more = len(plan.owe) + len(plan.waiting) - len(owe) - len(waiting)
        if more:
            out.append(Text(_("and {n} more — see `hrtrust overdue`").format(n=more), style="dim"))
    for d in plan.days:
        out.append(Text())
        style = "bold reverse" if d.day == plan.today else "dim bold" if d.past else "bold"
        out.append(Text(day_title(d, plan.today).upper(), style=style))
        out.append(_day_grid(d, names, private, week_json(plan), plan.to_raise))
    hidden = sum(len(topic_texts(t)) for t in plan.to_raise.values()) if not private else 0
    if hidden:  # never silently: say how many, and how to see them
        out.append(Text())
        out.append(
            Text(
                ngettext(
                    "{n} talking point to raise this week is private and left out here: "
                    "see it on your terminal or with `hrtrust plan week --include-private`",
                    "{n} talking points to raise this week are private and left out here: "
                    "see them on your terminal or with `hrtrust plan week --include-private`",
                    hidden,
                ).format(n=hidden),
                style="dim",
            )
        )
    met, total = plan.intros
    if total:
        out.append(Text())
        out.append(
            Text(
                _(
                    "Introductions: {met} of {total} met (allies and managers new in the last "
                    "four weeks; apart from the weekly budget)"
                ).format(met=met, total=total),
                style="bold" if met < total else "green",
            )
        )
    unscheduled = [r for r in plan.reach if r.day is None]
    if unscheduled or plan.more_due:
        out.append(Text())
        out.append(heading(_("Also due a touch")))
        for item in unscheduled:
            out.append(reach_text(item))
            hooks = hooks_text(item, private=private)
            if hooks:
                out.append(hooks)
        if plan.more_due:
            out.append(
                Text(
                    more_due_text(plan.more_due),
                    style="dim",
                )
            )
    out.append(Text())
    out.append(heading(_("Coverage and HR allies")))
    g = Grid()
    g.add_column(style="bold", no_wrap=True)
    g.add_column(overflow="fold")
    for c in plan.coverage:
        last = (
            _("no touch yet")
            if c.last is None
            else _("last touch {ago}").format(ago=ago(c.last, plan.today))
        )
        line = Text(_("{last} (window {window})").format(last=last, window=cadence_text(c.window)))
        if c.gap:
            line.stylize("yellow")
            line.append(_(" — gone quiet"), style="bold yellow")
        if c.planned:
            line.append(_("; ") + planned_text(c.planned), style="dim")
        if c.allies:
            allies = _(", ").join(a.name for a in c.allies)
            line.append("\n" + _("ally: {names}").format(names=allies), style="green")
        else:
            cands = _(", ").join(a.name for a in c.candidates) or _("nobody known yet")
            line.append("\n" + _("no HR ally (人資之友) yet"), style="bold yellow")
            line.append(_("; ") + _("could be: {names}").format(names=cands))
        if c.shifts:
            line.append(
                "\n" + _("shifts: {shifts}").format(shifts=shifts_text(c.shifts)), style="dim"
            )
        g.add_row(c.dept, line)
    out.append(g)
    return out
