"""Reading what a command's domain call needs from the store, and nothing more.

The domain takes data, not a Store; this is the one place that knows which files and which
part of the log each kind of result reads (a plan reads the week's log only; a brief reads
back month by month until it has the person's last few entries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hrtrust.domain.brief import RECENT, Brief, make_brief
from hrtrust.domain.digest import DigestInput, review_week
from hrtrust.domain.planning import PlanInput
from hrtrust.domain.reports import ReportInput
from hrtrust.models import Config, Contact, ContactsFile, PublicDays, Touches
from hrtrust.storage.crypto import reveal_contact, reveal_entry
from hrtrust.storage.store import Store
from hrtrust.storage.touches import last_touch_before, recent_with, touches


def public_days(config: Config, first: dt.date, last: dt.date) -> PublicDays:
    """The configured country's public holidays and make-up working days in [first, last],
    from the ``holidays`` package (imported only here, and only when a country is set)."""
    if not config.country:
        return PublicDays()
    import holidays

    years = list(range(first.year, last.year + 1))
    try:
        found = holidays.country_holidays(config.country, years=years)
        if "en_US" in found.supported_languages:  # names in English where it has them
            found = holidays.country_holidays(config.country, years=years, language="en_US")
    except NotImplementedError:
        from hrtrust.errors import UsageError

        raise UsageError(
            f"config.toml: no public holiday data for country {config.country!r}",
            hint="hrtrust config set country TW (or none)",
        ) from None
    days = {d: str(name) for d, name in found.items() if first <= d <= last}
    extra: set[dt.date] = getattr(
        found, "weekend_workdays", set()
    )  # Taiwan's make-up Saturdays (補班)
    return PublicDays(
        holidays=dict(sorted(days.items())),
        workdays=frozenset(d for d in extra if first <= d <= last and d not in days),
    )


def known_countries() -> dict[str, str]:
    """ISO code -> country name, for every country the ``holidays`` package knows."""
    import re

    from holidays.registry import COUNTRIES

    return {entry[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0]) for entry in COUNTRIES.values()}


def known_zones() -> set[str]:
    from zoneinfo import available_timezones

    return available_timezones()


def plan_input(store: Store, monday: dt.date, today: dt.date) -> PlanInput:
    """The small files, the touch index as of today, the planned week's log only, and the
    week's public holidays."""
    config = store.config()
    return PlanInput(
        config=config,
        contacts=store.contacts().contact,
        activities=store.activities().activity,
        promises=store.promises().promise,
        touches=touches(store, today),
        week_entries=list(store.iter_log(monday, monday + dt.timedelta(days=6))),
        public=public_days(config, monday, monday + dt.timedelta(days=6)),
    )


def digest_input(store: Store, monday: dt.date, today: dt.date) -> DigestInput:
    """The plan's input, the review week's log, and the last touch before it of anyone the
    index has seen since (usually nobody, on a Monday morning)."""
    first, last = review_week(monday)
    plan = plan_input(store, monday, today)
    entries = list(store.iter_log(first, last))
    later = {cid for cid, day in plan.touches.people.items() if day > last}
    return DigestInput(plan, entries, last_touch_before(store, later, last), store.feedback().pulse)


def report_input(store: Store, since: dt.date, today: dt.date, *, log: bool = True) -> ReportInput:
    """The small files, and (with ``log``) the log from ``since`` to today and the index."""
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


def brief(
    store: Store,
    contact: Contact,
    today: dt.date,
    *,
    limit: int = RECENT,
    reveal: Callable[[str], str] | None = None,
) -> Brief:
    """A pre-meeting brief: the person's last few log entries only, read back month by month.

    With ``reveal`` (an encrypted home, private text wanted) the person's notes and those
    entries are opened, and nothing else: a brief decrypts a handful of fields."""
    if reveal is None:
        recent = recent_with(store, contact.id, today, limit)
    else:
        raw = next(c for c in store.read(ContactsFile, raw=True).contact if c.id == contact.id)
        contact = reveal_contact(raw, reveal)
        recent = [
            reveal_entry(e, reveal) for e in recent_with(store, contact.id, today, limit, raw=True)
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
