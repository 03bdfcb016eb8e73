"""The roster as a source of moments: new hires, transfers, new titles, new managers,
leavers and returns, found by comparing a full HRIS roster with what is stored.

Each moment is recorded on its person (``[[contact.moments]]``) with the day it was found,
and asks for a reach-out in the plan until a touch is logged after it (or it is older than
:data:`FRESH` days). Pure functions of (contacts, today).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from hrtrust.domain.contacts import fold
from hrtrust.locale import N_
from hrtrust.locale.phrase import Phrase, phrase
from hrtrust.models import Contact, Moment, MomentKind

FRESH = 30  # days a moment keeps asking for a reach-out
NEW_HIRE_DAYS = 90  # a person new to the roster hired this recently is a new hire


def changes(before: Contact, after: Contact, today: dt.date) -> list[Moment]:
    """Transfers, title changes and manager changes between two versions of a person.

    A field filled in for the first time is not a moment (nothing changed for them)."""
    out = []
    pairs: tuple[tuple[str, MomentKind], ...] = (
        ("dept", "transfer"),
        ("role", "title"),
        ("manager", "manager"),
    )
    for attr, kind in pairs:
        old, new = getattr(before, attr), getattr(after, attr)
        if old and new and fold(old) != fold(new):
            out.append(Moment(date=today, kind=kind, before=old, after=new))
    return out


def is_new_hire(contact: Contact, had_roster: bool, today: dt.date) -> bool:
    """A person a full roster adds: a new hire when hired in the last 90 days, or (no hire
    date) when an earlier roster was imported, so their absence then means they are new."""
    if contact.hired is not None:
        return today - dt.timedelta(days=NEW_HIRE_DAYS) <= contact.hired <= today
    return had_roster


def record(contact: Contact, moment: Moment) -> Moment:
    contact.moments.append(moment)
    return moment


def leave(contact: Contact, today: dt.date) -> Moment:
    """Archive a person who left (never deleted: their history stays)."""
    contact.archived = today
    return record(contact, Moment(date=today, kind="left", before=contact.dept))


def come_back(contact: Contact, today: dt.date) -> Moment:
    contact.archived = None
    return record(contact, Moment(date=today, kind="returned", after=contact.dept))


def pending(contact: Contact, last_touch: dt.date | None, today: dt.date) -> Moment | None:
    """The newest moment still asking for a reach-out: not a leave, at most FRESH days old,
    and no touch logged on or after its day."""
    if contact.archived is not None:
        return None
    for m in sorted(contact.moments, key=lambda m: m.date, reverse=True):
        if m.kind == "left" or (today - m.date).days > FRESH or m.date > today:
            continue
        if last_touch is not None and last_touch >= m.date:
            return None
        return m
    return None


def reason(m: Moment) -> Phrase:
    """Why to reach out, in the plan's words (English as its value, what --json carries;
    said in the language of the run). A translation writes the date its own way
    (``{day.month}月{day.day}日`` for ``{day:%b} {day.day}``)."""
    if m.kind == "transfer":
        return phrase(
            N_("moved to {after} on {day:%b} {day.day} — say hello in their new team"),
            after=m.after,
            day=m.date,
        )
    if m.kind == "title":
        return phrase(
            N_("new title on {day:%b} {day.day}: {after} — congratulate them"),
            after=m.after,
            day=m.date,
        )
    if m.kind == "manager":
        return phrase(
            N_("new manager: {after} (since {day:%b} {day.day})"), after=m.after, day=m.date
        )
    if m.kind == "hired":
        if m.after:
            return phrase(
                N_("new in {after} on {day:%b} {day.day} — welcome them"), after=m.after, day=m.date
            )
        return phrase(N_("new in the roster on {day:%b} {day.day} — welcome them"), day=m.date)
    if m.kind == "returned":
        return phrase(N_("came back on {day:%b} {day.day} — welcome them back"), day=m.date)
    return phrase(N_("left on {day:%b} {day.day}"), day=m.date)


def describe(m: Moment) -> str:
    """A moment as a short line: ``transfer: Engineering → Sales``."""
    if m.before and m.after:
        return f"{m.before} → {m.after}"
    return m.after or m.before or ""


def pending_all(
    contacts: Sequence[Contact], last_touch: Mapping[str, dt.date], today: dt.date
) -> list[tuple[Contact, Moment]]:
    """Everyone with a moment still asking for a reach-out, newest moment first."""
    out = []
    for c in contacts:
        if not c.moments:  # most people: nothing has happened to them in the roster
            continue
        m = pending(c, last_touch.get(c.id), today)
        if m is not None:
            out.append((c, m))
    out.sort(key=lambda cm: (-cm[1].date.toordinal(), fold(cm[0].name), cm[0].id))
    return out
