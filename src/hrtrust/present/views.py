"""Views built from ``present.lite`` (no Rich import when the output is piped): what is past
due (``overdue``) and everything known about one person (``contact show``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from hrtrust.domain.lapsed import Lapse
from hrtrust.domain.planning import OverdueReport
from hrtrust.domain.promises import Late, late_since
from hrtrust.domain.roster import describe as describe_moment
from hrtrust.locale import ENGLISH, N_, _, language
from hrtrust.models import Contact
from hrtrust.present.common import (
    cadence_short,
    cadence_text,
    contact_status,
    display_name,
    month_day,
    tags_text,
    when,
    who,
)
from hrtrust.present.lite import Table, Text


def late_table(rows: Sequence[Late], names: Mapping[str, str], title: str) -> Table:
    t = Table(_("Late"), _("ID"), _("With"), _("Promise"), _("Was due"), title=title)
    t.columns[0].style = "bold red"
    t.columns[3].overflow = "fold"
    for r in rows:
        p = r.promise
        was = late_since(p)  # the first due date it missed, even if deferred since
        t.add_row(_("{n}d").format(n=r.days), p.id, who(p, names), p.text, month_day(was))
    return t


def lapse_table(rows: Sequence[Lapse], today: dt.date, title: str) -> Table:
    t = Table(_("Over"), _("Name"), _("Dept"), _("Tags"), _("Every"), _("Last touch"), title=title)
    t.columns[0].style = "bold yellow"
    for x in rows:
        t.add_row(
            _("{n}d").format(n=x.days_over) if x.days_over > 0 else _("due"),
            x.contact.name,
            x.contact.dept or "",
            tags_text(x.contact.tags),
            cadence_short(x.cadence),
            when(x.last, today),
        )
    return t


def overdue_view(
    report: OverdueReport, names: Mapping[str, str], *, everything: bool = False
) -> list[Table | Text]:
    """Late promises, most overdue first, and the people gone quiet, most urgent first: the first
    :data:`LATE_SHOWN` promises of each kind and :data:`QUIET_SHOWN` people, or (``everything``)
    all of them."""
    parts: list[Table | Text] = []
    lists = (
        (report.owe, LATE_SHOWN, _("Promises I owe, past due")),
        (report.waiting, LATE_SHOWN, _("Waiting for, past due")),
    )
    for late, limit, title in lists:
        if late:
            shown = late if everything else late[:limit]
            parts.append(late_table(shown, names, title))
            more = len(late) - len(shown)
            parts += _more_line(_("and {n} more, less overdue: hrtrust overdue --all"), more)
    if report.lapsed:
        quiet = report.lapsed if everything else report.lapsed[:QUIET_SHOWN]
        parts.append(
            lapse_table(quiet, report.today, _("Gone quiet (cadence lapsed), longest first"))
        )
        more = len(report.lapsed) - len(quiet)
        parts += _more_line(_("and {n} more, quiet for less long: hrtrust overdue --all"), more)
    if not parts:
        parts.append(
            Text(_("Nothing overdue. Every promise is on track and nobody has gone quiet."))
        )
    return parts


LATE_SHOWN = 25  # most overdue promises of each kind `overdue` lists (all with --all)
QUIET_SHOWN = 15  # people gone quiet `overdue` lists (all with --all)


def _more_line(message: str, more: int) -> list[Text]:
    return [Text(message.format(n=more), style="dim")] if more else []


def contact_card(
    contact: Contact,
    cadence: str,
    last: dt.date | None,
    today: dt.date,
    *,
    source: str = "own",
    private: bool = True,
) -> Iterable[Text | Table]:
    """Everything known about one person."""
    head = Text()
    head.append(display_name(contact.name, contact.english_name), style="bold")
    head.append(f"  ({contact.id})", style="dim")
    yield head
    fields = Table("", "", title=None)
    fields.show_header = False
    fields.columns[0].style = "dim"
    source_text = {"own": "", "tags": _(" (from tags)")}.get(source, _(" (default)"))
    rows: list[tuple[str, str]] = [
        (_("Employee no."), contact.employee_number or ""),
        (_("Department"), contact.dept or ""),
        (_("Role"), contact.role or ""),
        (_("Location"), contact.location or ""),
        (_("Shift"), contact.shift or ""),
        (_("Email"), contact.email or ""),
        (_("Manager"), contact.manager or ""),
        (_("Tags"), tags_text(contact.tags)),
        (_("Cadence"), cadence_text(cadence) + source_text),
        (_("Last touch"), when(last, today)),
        (_("Birthday"), _month_day(contact.birthday)),
        (_("Hired"), contact.hired.isoformat() if contact.hired else ""),
        (_("Status"), contact_status(contact, today)),
        (
            _("Archived"),
            _("{day} (left)").format(day=contact.archived.isoformat()) if contact.archived else "",
        ),
    ]
    if private and contact.paused(today) and contact.paused_reason:
        rows.append((_("Paused for"), contact.paused_reason))
    if private and contact.notes:
        rows.append((_("Notes"), contact.notes))
    for label, value in rows:
        if value:
            fields.add_row(label, value)
    yield fields
    if private and contact.learned:
        learned = Table(_("Learned"), "")
        learned.show_header = False
        for fact in sorted(contact.learned, key=lambda f: f.date, reverse=True):
            learned.add_row(f"{fact.date:%Y-%m-%d}", fact.text)
        yield Text(_("Learned"), style="bold")
        yield learned
    if contact.moments:
        moments = Table(_("Roster moments"), "")
        moments.show_header = False
        for m in sorted(contact.moments, key=lambda m: m.date, reverse=True):
            change = describe_moment(m)
            what = moment_name(m.kind)
            shown = _("{what}: {change}").format(what=what, change=change) if change else what
            if m.dated is not None:  # the day the file gives, not the day of the import
                shown += _(DATED_BY[m.dated])
            moments.add_row(f"{m.date:%Y-%m-%d}", shown)
        yield Text(_("Roster moments"), style="bold")
        yield moments
    open_topics = [t for t in contact.topics if t.done is None]
    if private and open_topics:
        topics = Table(_("To raise"), "")
        topics.show_header = False
        for t in open_topics:
            topics.add_row(t.id, t.text)
        yield Text(_("To raise"), style="bold")
        yield topics


# What happened in the roster, as a person reads it (English shows the moment's kind as
# stored: hired, transfer, title, manager, left, returned).
MOMENT_NAMES = {
    "hired": N_("joined the company"),
    "transfer": N_("moved department"),
    "title": N_("new title"),
    "manager": N_("new manager"),
    "left": N_("left the company"),
    "returned": N_("came back"),
}


# A moment dated by the file: which date it is.
DATED_BY = {"hire-date": N_(" (hire date)"), "effective-date": N_(" (effective date)")}


def moment_name(kind: str) -> str:
    """A roster moment's kind: as stored in English (``transfer``), said in Chinese (調動)."""
    if language() == ENGLISH or kind not in MOMENT_NAMES:
        return kind
    return _(MOMENT_NAMES[kind])


def _month_day(value: str | None) -> str:
    if not value:
        return ""
    return month_day(dt.date(2000, int(value[:2]), int(value[3:])))
