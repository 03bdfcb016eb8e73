"""Reading what a command's domain call needs from the store, and nothing more.

The domain takes data, not a Store; this is the one place that knows which files and which
part of the log each kind of result reads (a plan reads the week's log only; a brief reads
back month by month until it has the person's last few entries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from hrtrust.models import (
    ActivitiesFile,
    Contact,
    ContactsFile,
    Touches,
)
from hrtrust.storage.crypto import reveal_contact, reveal_entry
from hrtrust.storage.derived import kept_expansion, public_days
from hrtrust.storage.indexes import live_promises, name_finder
from hrtrust.storage.paths import DOCUMENT_FILES
from hrtrust.storage.people import people as kept_people
from hrtrust.storage.store import Store
from hrtrust.storage.touches import last_touch_before, recent_with, touches, touches_ahead

if TYPE_CHECKING:  # each command imports only the domain modules it uses
    from hrtrust.domain.brief import Brief
    from hrtrust.domain.digest import DigestInput
    from hrtrust.domain.people import People
    from hrtrust.domain.planning import PlanInput
    from hrtrust.domain.reports import ReportInput


def everyone(store: Store) -> People:
    """Everyone in ``contacts.toml`` as a plan asks about them (the people index)."""
    from hrtrust.domain.people import index_people, people_from

    return kept_people(store, index_people, people_from)


def plan_input(
    store: Store, monday: dt.date, today: dt.date, *, closed_since: dt.date | None = None
) -> PlanInput:
    """The small files, the promises open on the planned week or on ``today`` (and those
    closed since ``closed_since``), the touch index as of today, and the planned week's log
    only. A promise closed after ``today`` was still open then: a replayed week sees it."""
    from hrtrust import locale
    from hrtrust.domain.planning import PlanInput, expand

    closed_since = min(d for d in (closed_since, monday, today) if d is not None)
    config = store.config()
    stamp = store.stamp(DOCUMENT_FILES[ActivitiesFile])  # before reading: see kept_expansion
    activities = store.activities().activity
    # a log's months to read again (a first run) are read by workers while this reads people
    with touches_ahead(store, today) as touched:
        people = everyone(store)
        promises = live_promises(store, closed_since)
        last = touched()
    week = list(store.iter_log(monday, monday + dt.timedelta(days=6)))
    public = public_days(store, config, monday, monday + dt.timedelta(days=6), locale.language())
    expander = kept_expansion(store, activities, stamp, expand)
    return PlanInput.of_people(
        people,
        config=config,
        activities=activities,
        promises=promises,
        touches=last,
        week_entries=week,
        public=public,
        expander=expander,
    )


def digest_input(store: Store, monday: dt.date, today: dt.date) -> DigestInput:
    """The plan's input, the review week's log, and the last touch before it of anyone the
    index has seen since (usually nobody, on a Monday morning)."""
    from hrtrust import locale
    from hrtrust.domain.days import count_days
    from hrtrust.domain.digest import DigestInput, dept_by_id, review_week
    from hrtrust.storage import touch_days

    first, last = review_week(monday)
    plan = plan_input(store, monday, today, closed_since=first)
    dept_of = dept_by_id(plan)
    week = touch_days.counted(store, first, last, dept_of, lambda es: count_days(es, dept_of))
    later = set(plan.touches.people_after(last))
    return DigestInput(
        plan,
        touch_days.DayEntries(store, first, last, week),
        last_touch_before(store, later, last),
        store.pulses(),
        review_public=public_days(store, plan.config, first, last, locale.language()),
        review_days=week,
    )


def report_input(
    store: Store,
    since: dt.date,
    today: dt.date,
    *,
    log: bool = True,
    entries: bool = False,
    counted: bool = False,
    promises: bool = True,
    feedback: bool = True,
) -> ReportInput:
    """The small files, and (with ``log``) the log's touchpoints from ``since`` to today and
    the index; the whole ``entries`` too only when asked (counting needs no note), or with
    ``counted`` the touchpoints counted per day and department instead (kept between runs:
    ``storage.touch_days``). A report that shows no promise or no feedback leaves that file
    unread."""
    from hrtrust.domain.reports import ReportInput
    from hrtrust.models import FeedbackFile

    fb = store.feedback() if feedback else FeedbackFile()
    config = store.config()
    contacts = store.contacts().contact
    owed = store.promises().promise if promises else []
    by_day = None
    if log and counted:
        from hrtrust.domain.days import count_days
        from hrtrust.storage import touch_days

        dept_of = {c.id: c.dept for c in contacts}
        by_day = touch_days.by_day(
            store, since, today, dept_of, lambda tps: count_days(tps, dept_of)
        )
    return ReportInput(
        config=config,
        contacts=contacts,
        promises=owed,
        feedback=fb.feedback,
        pulses=fb.pulse,
        touchpoints=store.touchpoints(since, today) if log and not counted else [],
        entries=list(store.iter_log(since, today)) if log and entries else [],
        touches=touches(store, today) if log else Touches(),
        by_day=by_day,
    )


def brief(
    store: Store,
    contact: Contact,
    today: dt.date,
    *,
    limit: int | None = None,
    reveal: Callable[[str], str] | None = None,
) -> Brief:
    """A pre-meeting brief: the person's last few log entries only, read back month by month.

    With ``reveal`` (an encrypted home, private text wanted) the person's notes and those
    entries are opened, and nothing else: a brief decrypts a handful of fields."""
    from hrtrust.domain.brief import RECENT, make_brief

    count = RECENT if limit is None else limit
    if reveal is None:
        recent = recent_with(store, contact.id, today, count)
    else:
        raw = next(c for c in store.read(ContactsFile, raw=True).contact if c.id == contact.id)
        contact = reveal_contact(raw, reveal)
        recent = [
            reveal_entry(e, reveal) for e in recent_with(store, contact.id, today, count, raw=True)
        ]
    return make_brief(
        contact,
        config=store.config(),
        activities=store.activities().activity,
        promises=store.promises().promise,
        feedback=store.feedback().feedback,
        recent=recent,
        today=today,
    )


def people(store: Store, refs: Sequence[str]) -> list[Contact]:
    """The contacts ``refs`` name (as ``domain.contacts.resolve_all`` finds them), looked up
    in the name index: only the few names that could match are made into contacts, and
    contacts.toml is read only to explain a reference that matches nobody."""
    from hrtrust.domain.contacts import fold, resolve_all
    from hrtrust.errors import NotFoundError

    find = name_finder(store, lambda name: fold(name).replace(" ", ""))
    found: list[Contact] = []
    for ref in refs:
        needle = fold(ref)
        # every contact the rule could pick: an id match, or a name that holds the reference
        rows = find(needle, needle.replace(" ", ""))
        few = [
            Contact.model_construct(id=cid, name=name, dept=dept, english_name=english)
            for cid, name, dept, english in rows
        ]
        try:
            (person,) = resolve_all([ref], few)
        except NotFoundError:
            resolve_all([ref], store.contacts().contact)  # raises, with suggestions
            raise
        if person not in found:
            found.append(person)
    return found
