"""Reading what a command's domain call needs from the store, and nothing more.

The domain takes data, not a Store; this is the one place that knows which files and which
part of the log each kind of result reads (a plan reads the week's log only; a brief reads
back month by month until it has the person's last few entries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hrtrust.models import Contact, Touches
from hrtrust.storage.indexes import live_promises, name_index
from hrtrust.storage.store import Store
from hrtrust.storage.touches import last_touch_before, recent_with, touches

if TYPE_CHECKING:  # each command imports only the domain modules it uses
    from hrtrust.domain.brief import Brief
    from hrtrust.domain.digest import DigestInput
    from hrtrust.domain.planning import PlanInput
    from hrtrust.domain.reports import ReportInput


def plan_input(
    store: Store, monday: dt.date, today: dt.date, *, closed_since: dt.date | None = None
) -> PlanInput:
    """The small files, the open promises (and those closed since ``closed_since``), the
    touch index as of today, and the planned week's log only."""
    from hrtrust.domain.planning import PlanInput

    return PlanInput(
        config=store.config(),
        contacts=store.contacts().contact,
        activities=store.activities().activity,
        promises=live_promises(store, closed_since),
        touches=touches(store, today),
        week_entries=list(store.iter_log(monday, monday + dt.timedelta(days=6))),
    )


def digest_input(store: Store, monday: dt.date, today: dt.date) -> DigestInput:
    """The plan's input, the review week's log, and the last touch before it of anyone the
    index has seen since (usually nobody, on a Monday morning)."""
    from hrtrust.domain.digest import DigestInput, review_week

    first, last = review_week(monday)
    plan = plan_input(store, monday, today, closed_since=first)
    entries = list(store.iter_log(first, last))
    later = {cid for cid, day in plan.touches.people.items() if day > last}
    return DigestInput(plan, entries, last_touch_before(store, later, last))


def report_input(store: Store, since: dt.date, today: dt.date, *, log: bool = True) -> ReportInput:
    """The small files, and (with ``log``) the log from ``since`` to today and the index."""
    from hrtrust.domain.reports import ReportInput

    fb = store.feedback()
    return ReportInput(
        config=store.config(),
        contacts=store.contacts().contact,
        promises=store.promises().promise,
        feedback=fb.feedback,
        pulses=fb.pulse,
        entries=list(store.iter_log(since, today)) if log else [],
        touches=touches(store, today) if log else Touches(),
    )


def brief(store: Store, contact: Contact, today: dt.date, *, limit: int | None = None) -> Brief:
    """A pre-meeting brief: the person's last few log entries only, read back month by month."""
    from hrtrust.domain.brief import RECENT, make_brief

    return make_brief(
        contact,
        config=store.config(),
        activities=store.activities().activity,
        promises=store.promises().promise,
        feedback=store.feedback().feedback,
        recent=recent_with(store, contact.id, today, RECENT if limit is None else limit),
        today=today,
    )


def people(store: Store, refs: Sequence[str]) -> list[Contact]:
    """The contacts ``refs`` name (as ``domain.contacts.resolve_all`` finds them), looked up
    in the name index: only the few names that could match are made into contacts, and
    contacts.toml is read only to explain a reference that matches nobody."""
    from hrtrust.domain.contacts import fold, resolve_all
    from hrtrust.errors import NotFoundError

    index = name_index(store, fold)
    by_id = {cid.casefold(): (cid, name, dept) for cid, name, dept, _ in index}
    found: list[Contact] = []
    for ref in refs:
        needle = fold(ref)
        squashed = needle.replace(" ", "")
        # every contact the rule could pick: an id match, or a name that holds the reference
        rows = [
            (cid, name, dept)
            for cid, name, dept, folded in index
            if squashed and squashed in folded.replace(" ", "")
        ]
        if needle in by_id:
            rows.append(by_id[needle])
        few = [Contact.model_construct(id=cid, name=name, dept=dept) for cid, name, dept in rows]
        try:
            (person,) = resolve_all([ref], few)
        except NotFoundError:
            resolve_all([ref], store.contacts().contact)  # raises, with suggestions
            raise
        if person not in found:
            found.append(person)
    return found
