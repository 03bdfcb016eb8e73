"""Promises: follow-ups I owe and ones I am waiting for, with their whole history.

"Do what you say you are going to do when you say you are going to do it." A promise is made
with a due date; it can be renegotiated (each deferral is kept, with its reason), kept (on time or
late) or cancelled. The one set of rules every figure uses (the digest, the reports, the brief,
`promise list` and `overdue`):

- A *deferral* made on or before the due date then in force moves the due date: the promise is
  simply due later.
- A deferral made *after* the due date had passed does not launder it: that due date was
  *missed*. The promise stays late: kept later it is *kept late*, and while it is open it is
  *broken*, whatever the new date. Lateness counts from the first missed due date.
- Otherwise a promise kept on or before its due date is *kept on time*, kept after it is *kept
  late*, and open past it is *broken* (overdue).
- The *keeping rate* is kept on time / (kept on time + kept late + broken), None when all three
  are zero (:func:`keeping_rate`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from hrtrust.domain.contacts import number_key
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import _
from hrtrust.models import Deferral, Direction, Promise, PromisesFile, allocate_id, find_id

Outcome = Literal["open", "overdue", "kept", "late", "cancelled"]


def new_id(doc: PromisesFile) -> str:
    return allocate_id(doc, "p", (r.id for r in doc.promise))


def as_of(p: Promise, day: dt.date) -> Promise | None:
    """The promise as it stood at the end of ``day``: None when not made yet; still open when
    closed later; without the deferrals made later. A replay with ``--today`` sees this."""
    if p.made > day:
        return None
    closed_later = p.status != "open" and p.closed is not None and p.closed > day
    deferred_later = any(d.on > day for d in p.deferrals)
    if not closed_later and not deferred_later:
        return p
    then = p.model_copy(deep=True)
    if closed_later:
        then.status, then.closed, then.reason = "open", None, None
    if deferred_later:
        then.due = due_as_of(p, day)
        then.deferrals = [d for d in then.deferrals if d.on <= day]
    return then


def due_as_of(p: Promise, day: dt.date) -> dt.date:
    """The due date in force at the end of ``day`` (deferrals made later not yet applied)."""
    return next((d.from_ for d in p.deferrals if d.on > day), p.due)


def missed_due(p: Promise, day: dt.date | None = None) -> dt.date | None:
    """The first due date that passed with the promise still open and was deferred after the
    fact (counting deferrals made by the end of ``day``, all of them without one), else None."""
    for d in p.deferrals:
        if day is not None and d.on > day:
            break
        if d.on > d.from_:
            return d.from_
    return None


def late_since(p: Promise, day: dt.date | None = None) -> dt.date:
    """The due date lateness counts from: the first missed one, else the one in force."""
    return missed_due(p, day) or (due_as_of(p, day) if day is not None else p.due)


def kept_on_time(p: Promise) -> bool:
    """Done, never deferred after a missed due date, and closed on or before the due date."""
    return p.status == "done" and missed_due(p) is None and (p.closed is None or p.closed <= p.due)


def broken_at(p: Promise, day: dt.date) -> bool:
    """Made and still open at the end of ``day``, and late then: past the due date in force, or
    deferred after a due date it had missed."""
    if p.made > day:
        return False
    still_open = p.status == "open" or (p.closed is not None and p.closed > day)
    return still_open and (missed_due(p, day) is not None or due_as_of(p, day) <= day)


def keeping_rate(on_time: int, late: int, broken: int) -> float | None:
    """Kept on time / (kept on time + kept late + broken); None when there is nothing to judge."""
    counted = on_time + late + broken
    return on_time / counted if counted else None


def outcome(p: Promise, today: dt.date) -> Outcome:
    """Where a promise stands as of ``today``: kept on time, kept late, cancelled, open, or
    overdue (broken)."""
    p = as_of(p, today) or p
    if p.status == "cancelled":
        return "cancelled"
    if p.status == "done":
        return "kept" if kept_on_time(p) else "late"
    return "overdue" if missed_due(p, today) is not None or p.due < today else "open"


def days_late(p: Promise, today: dt.date) -> int:
    """Days late against the first missed due date (else the due date): for an open promise as
    of today, for a kept one on the day it was kept."""
    p = as_of(p, today) or p
    end = p.closed if p.status == "done" and p.closed else today
    return max(0, (end - late_since(p, end)).days)


def make(
    doc: PromisesFile,
    *,
    text: str,
    direction: Direction,
    person: str | None,
    dept: str | None,
    due: dt.date,
    today: dt.date,
    source: str | None = None,
) -> Promise:
    """Record a new promise and return it (with its id)."""
    if not text.strip():
        raise UsageError(_("a promise needs some text: what will be done?"))
    promise = Promise(
        id=new_id(doc),
        text=text.strip(),
        direction=direction,
        person=person,
        dept=dept,
        made=today,
        due=due,
        source=source,
    )
    doc.promise.append(promise)
    return promise


def find(doc: PromisesFile, ref: str) -> Promise:
    """A promise by id: ``p12`` or just ``12``."""
    if (p := find_id(doc.promise, ref, "p")) is not None:
        return p
    raise NotFoundError(
        _("no promise {ref}").format(ref=ref), hint=_("see `hrtrust promise list --all`")
    )


def _open(doc: PromisesFile, ref: str) -> Promise:
    p = find(doc, ref)
    if p.status != "open":
        message = (
            _("promise {id} is already done ({closed})")
            if p.status == "done"
            else _("promise {id} is already cancelled ({closed})")
        )
        raise UsageError(message.format(id=p.id, closed=p.closed))
    return p


def done(doc: PromisesFile, ref: str, today: dt.date) -> Promise:
    p = _open(doc, ref)
    p.status = "done"
    p.closed = today
    return p


def defer(doc: PromisesFile, ref: str, due: dt.date, reason: str | None, today: dt.date) -> Promise:
    """Renegotiate the due date; the old date, the day and the reason are kept."""
    p = _open(doc, ref)
    if due == p.due:
        raise UsageError(_("promise {id} is already due {due}").format(id=p.id, due=due))
    p.deferrals.append(Deferral(on=today, from_=p.due, to=due, reason=reason or None))
    p.due = due
    return p


def cancel(doc: PromisesFile, ref: str, reason: str | None, today: dt.date) -> Promise:
    p = _open(doc, ref)
    p.status = "cancelled"
    p.closed = today
    p.reason = reason or None
    return p


class Late(NamedTuple):
    """An overdue promise with how late it is."""

    promise: Promise
    days: int


def overdue(promises: list[Promise], today: dt.date, direction: Direction) -> list[Late]:
    """Open promises past due, most late first; ties by due date, then id."""
    rows = [
        Late(then, days_late(then, today))
        for p in promises
        if p.direction == direction
        and (then := as_of(p, today)) is not None
        and then.status == "open"
        and outcome(then, today) == "overdue"
    ]
    rows.sort(key=lambda r: (-r.days, r.promise.due, number_key(r.promise.id)))
    return rows


def listing(promises: list[Promise], *, include_closed: bool) -> list[Promise]:
    """Promises for `promise list`: open ones by due date (closed ones too with --all)."""
    rows = [p for p in promises if include_closed or p.status == "open"]
    rows.sort(key=lambda p: (p.status != "open", p.due, number_key(p.id)))
    return rows
