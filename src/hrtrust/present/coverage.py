"""``report coverage`` for people: the client departments, who HR knows there, how often HR
was there, and what to act on. Built from ``present.lite`` (no Rich unless a terminal shows
it), as the plan is: piped, it is laid out by ``present.plain``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hrtrust.domain.reports import CoverageRow
from hrtrust.locale import N_, _, ngettext
from hrtrust.present.common import cadence_text, shifts_text, short_date
from hrtrust.present.lite import Table, Text, heading

FLAG_STYLE = {"no ally": "bold yellow", "gone quiet": "bold red", "one person known": "yellow"}
# The flags as a person reads them (--json carries the flags themselves).
FLAG_NAMES = {
    "no ally": N_("no ally"),
    "gone quiet": N_("gone quiet"),
    "one person known": N_("one person known"),
}


def coverage_view(rows: Sequence[CoverageRow], today: dt.date) -> list[object]:
    if not rows:
        return [
            Text(
                _(
                    "No client departments yet: add [[department]] entries to config.toml, "
                    "or give contacts a --dept."
                )
            )
        ]
    t = Table(
        _("Department"), _("People"), _("Allies"), _("30d"), _("90d"), _("Last touch"), _("Flags")
    )
    t.columns[0].style = "bold"
    for col in (1, 3, 4):
        t.columns[col].justify = "right"
    t.columns[2].overflow = "fold"
    t.columns[6].overflow = "fold"
    for r in rows:
        flags = Text()
        for i, f in enumerate(r.flags):
            if i:
                flags.append(_(", "))
            flags.append(_(FLAG_NAMES[f]), style=FLAG_STYLE[f])
        last = _("never") if r.last is None else _("{n}d ago").format(n=r.days_since)
        t.add_row(
            r.dept,
            str(r.people),
            _(", ").join(r.allies) or "—",
            str(r.last_30),
            str(r.last_90),
            last,
            flags if r.flags else Text(_("ok"), style="green"),
        )
    out: list[object] = [
        Text(_("Client department coverage, {day}").format(day=short_date(today)), style="bold"),
        Text(_("touchpoints in the last 30 and 90 days; flags: what to act on"), style="dim"),
        t,
    ]
    shifted = [r for r in rows if r.shifts]
    if shifted:  # who works when: a night shift is met at its handover (see `plan week`)
        out.append(Text())
        out.append(heading(_("Shifts (班別)")))
        out += [
            Text(_("{dept}: {shifts}").format(dept=r.dept, shifts=shifts_text(r.shifts)))
            for r in shifted
        ]
    todo = []
    for r in rows:
        if "gone quiet" in r.flags:
            window = cadence_text(r.window)
            if r.last is None:
                line = _("{dept}: never touched, window {window}: book a visit.")
            else:
                line = _("{dept}: last touch {n}d ago, window {window}: book a visit.")
            todo.append(line.format(dept=r.dept, n=r.days_since, window=window))
        if "no ally" in r.flags:
            todo.append(
                _("{dept}: no HR ally (人資之友) yet: find one (see `plan week`).").format(
                    dept=r.dept
                )
            )
        if "one person known" in r.flags:
            todo.append(
                ngettext(
                    "{dept}: only {n} person known: meet more of the team.",
                    "{dept}: only {n} people known: meet more of the team.",
                    r.people,
                ).format(dept=r.dept, n=r.people)
            )
    if todo:
        out.append(Text())
        out.append(heading(_("To act on")))
        out += [Text(f"• {line}") for line in todo]
    return out
