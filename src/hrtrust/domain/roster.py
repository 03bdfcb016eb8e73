"""The roster as a source of moments: new hires, transfers, new titles, new managers,
leavers and returns, found by comparing a full HRIS roster with what is stored.

Each moment is recorded on its person (``[[contact.moments]]``) with the day it happened
where the file says it (the hire date for a new hire, the row's effective date for the rest:
see :func:`when`), else the day the import found it, and asks for a reach-out in the plan
until a touch is logged after it (or it is more than :data:`FRESH` days old, counted from
the later of those two days): the plan's reason is the moment itself, which
``present/reasons.py`` puts in words. Pure functions of (contacts, today).

A leaver is someone a CSV import brought in (``imported``) whom a full roster no longer
lists (:func:`is_leaver`); people added by hand are never archived by a roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from hrtrust.domain.contacts import fold
from hrtrust.models import Contact, Moment, MomentDated, MomentKind

FRESH = 30  # days a moment keeps asking for a reach-out
NEW_HIRE_DAYS = 90  # a person new to the roster hired this recently is a new hire


class When(NamedTuple):
    """The day a moment happened, and which column of the file said so (None: nothing did,
    so it is the day of the import)."""

    date: dt.date
    dated: MomentDated | None = None


def when(today: dt.date, effective: dt.date | None, since: dt.date | None) -> When:
    """The day a change in a row happened: the row's effective date (生效日, 異動日期) when it
    has one later than ``since`` (the last day a roster listed the person as they were: an
    older date is about an earlier change), else ``today``, the day of the import."""
    if effective is not None and (since is None or effective > since):
        return When(effective, "effective-date")
    return When(today)


def hired_on(contact: Contact, today: dt.date, effective: dt.date | None) -> When:
    """The day a new hire joined: their hire date (到職日) when recent, else the row's
    effective date, else the day of the import."""
    if contact.hired is not None and is_new_hire(contact, False, today):
        return When(contact.hired, "hire-date")
    return when(today, effective, None)


def moment(
    kind: MomentKind,
    on: When,
    today: dt.date,
    before: str | None = None,
    after: str | None = None,
) -> Moment:
    """A moment of ``kind`` on ``on``; one dated by the file also keeps the day it was found."""
    found = today if on.dated is not None else None
    return Moment(date=on.date, kind=kind, before=before, after=after, dated=on.dated, found=found)


def changes(
    before: Contact, after: Contact, today: dt.date, on: When | None = None
) -> list[Moment]:
    """Transfers, title changes and manager changes between two versions of a person, on
    ``on`` (default: ``today``).

    A field filled in for the first time is not a moment (nothing changed for them)."""
    on = on or When(today)
    out = []
    pairs: tuple[tuple[str, MomentKind], ...] = (
        ("dept", "transfer"),
        ("role", "title"),
        ("manager", "manager"),
    )
    for attr, kind in pairs:
        old, new = getattr(before, attr), getattr(after, attr)
        if old and new and fold(old) != fold(new):
            out.append(moment(kind, on, today, before=old, after=new))
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


def is_leaver(contact: Contact, listed: bool) -> bool:
    """Archived by a full roster that does not list them (``listed`` false): only someone a
    CSV import brought in and not archived already. People added by hand (an HR colleague, an
    ally at another site) are never archived by a roster."""
    return not listed and contact.archived is None and contact.imported is not None


def left_alone(contact: Contact, listed: bool, today: dt.date) -> bool:
    """Someone a full roster does not list but leaves alone: present, added by hand."""
    return not listed and contact.present(today) and contact.imported is None


def leave(contact: Contact, today: dt.date) -> Moment:
    """Archive a person who left (never deleted: their history stays)."""
    contact.archived = today
    return record(contact, Moment(date=today, kind="left", before=contact.dept))


def come_back(contact: Contact, today: dt.date, on: When | None = None) -> Moment:
    contact.archived = None
    return record(contact, moment("returned", on or When(today), today, after=contact.dept))


def pending(contact: Contact, last_touch: dt.date | None, today: dt.date) -> Moment | None:
    """The newest moment still asking for a reach-out: not a leave, known and happened by
    ``today``, at most FRESH days old (from the day it happened or, if later, was found), and
    no touch logged on or after the day it happened."""
    if contact.archived is not None:
        return None
    for m in sorted(contact.moments, key=lambda m: m.date, reverse=True):
        known = m.found or m.date
        if m.kind == "left" or m.date > today or known > today:
            continue
        if (today - max(m.date, known)).days > FRESH:
            continue
        if last_touch is not None and last_touch >= m.date:
            return None
        return m
    return None


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
