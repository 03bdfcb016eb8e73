"""Reading what a command's domain call needs from the store, and nothing more.

The domain takes data, not a Store; this is the one place that knows which files and which
part of the log each kind of result reads (a plan reads the week's log only; a brief reads
back month by month until it has the person's last few entries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from hrtrust import __version__
from hrtrust.models import (
    ActivitiesFile,
    Activity,
    Config,
    Contact,
    ContactsFile,
    PublicDays,
    Touches,
)
from hrtrust.storage.cache import DAMAGED, Stamp, read_index, rebuilt, write_index
from hrtrust.storage.crypto import reveal_contact, reveal_entry
from hrtrust.storage.indexes import live_promises, name_finder
from hrtrust.storage.paths import DOCUMENT_FILES
from hrtrust.storage.store import Store
from hrtrust.storage.touches import last_touch_before, recent_with, touches

if TYPE_CHECKING:  # each command imports only the domain modules it uses
    from hrtrust.domain.brief import Brief
    from hrtrust.domain.digest import DigestInput
    from hrtrust.domain.planning import Expand, PlanInput
    from hrtrust.domain.reports import ReportInput


def public_days(store: Store, config: Config, first: dt.date, last: dt.date) -> PublicDays:
    """The configured country's public holidays and make-up working days in [first, last],
    from the ``holidays`` package: computed once per country and year and kept in
    ``.cache/`` (the package and its metadata scan cost more than a whole plan)."""
    if not config.country:
        return PublicDays()
    days: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        named, extra = _holiday_year(store, config.country, year)
        days.update((d, n) for d, n in named.items() if first <= d <= last)
        workdays.update(d for d in extra if first <= d <= last)
    return PublicDays(
        holidays=dict(sorted(days.items())),
        workdays=frozenset(d for d in workdays if d not in days),
    )


def _holiday_year(store: Store, country: str, year: int) -> tuple[dict[dt.date, str], set[dt.date]]:
    """One year of a country's holidays (names) and make-up working days, from the cache
    when it was built by the same ``holidays`` package, else computed (and kept)."""
    from hrtrust.storage.cache import read_index, write_index

    stamp = _holidays_stamp()
    name = f"holidays-{country}-{year}.bin" if country.isascii() and country.isalnum() else None
    got = read_index(store.home, name) if name and stamp else None
    if isinstance(got, tuple) and len(got) == 3 and got[0] == stamp:
        try:
            named = {dt.date.fromordinal(d): str(n) for d, n in got[1].items()}
            return named, {dt.date.fromordinal(d) for d in got[2]}
        except (TypeError, ValueError, AttributeError, OverflowError):
            pass
    named, extra = _compute_holidays(country, year)
    if name and stamp:
        write_index(
            store.home,
            name,
            (stamp, {d.toordinal(): n for d, n in named.items()}, [d.toordinal() for d in extra]),
        )
    return named, extra


def _holidays_stamp() -> tuple[str, int] | None:
    """Where the installed ``holidays`` package is and when it was installed, found without
    importing it: a new version of the package means new tables."""
    import importlib.util
    import os

    try:
        spec = importlib.util.find_spec("holidays")
        origin = spec.origin if spec else None
        return (origin, os.stat(origin).st_mtime_ns) if origin else None
    except (ImportError, ValueError, OSError):
        return None


def _compute_holidays(country: str, year: int) -> tuple[dict[dt.date, str], set[dt.date]]:
    import holidays

    try:
        found = holidays.country_holidays(country, years=[year])
        if "en_US" in found.supported_languages:  # names in English where it has them
            found = holidays.country_holidays(country, years=[year], language="en_US")
    except NotImplementedError:
        from hrtrust.errors import UsageError

        raise UsageError(
            f"config.toml: no public holiday data for country {country!r}",
            hint="hrtrust config set country TW (or none)",
        ) from None
    extra: set[dt.date] = getattr(found, "weekend_workdays", set())  # Taiwan's 補班 Saturdays
    return {d: str(n) for d, n in found.items()}, set(extra)


def known_countries() -> dict[str, str]:
    """ISO code -> country name, for every country the ``holidays`` package knows."""
    import re

    from holidays.registry import COUNTRIES

    return {entry[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0]) for entry in COUNTRIES.values()}


def known_zones() -> set[str]:
    from zoneinfo import available_timezones

    return available_timezones()


def plan_input(
    store: Store, monday: dt.date, today: dt.date, *, closed_since: dt.date | None = None
) -> PlanInput:
    """The small files, the promises open on the planned week or on ``today`` (and those
    closed since ``closed_since``), the touch index as of today, and the planned week's log
    only. A promise closed after ``today`` was still open then: a replayed week sees it."""
    from hrtrust.domain.planning import PlanInput

    closed_since = min(d for d in (closed_since, monday, today) if d is not None)
    config = store.config()
    stamp = store.stamp(DOCUMENT_FILES[ActivitiesFile])  # before reading: see kept_expansion
    activities = store.activities().activity
    return PlanInput(
        config=config,
        contacts=store.contacts().contact,
        activities=activities,
        promises=live_promises(store, closed_since),
        touches=touches(store, today),
        week_entries=list(store.iter_log(monday, monday + dt.timedelta(days=6))),
        public=public_days(store, config, monday, monday + dt.timedelta(days=6)),
        expander=kept_expansion(store, activities, stamp),
    )


OCCURRENCES = "occurrences.bin"
OCCURRENCE_SPANS = 6  # a plan, a digest (two weeks) and --next: the spans worth keeping


def kept_expansion(store: Store, activities: Sequence[Activity], stamp: Stamp | None) -> Expand:
    """:func:`domain.planning.expand` for the file's ``activities``, with each span's answer
    kept in ``.cache/`` for the next run: keyed by the activities file's ``stamp`` (taken
    before the file was read, so a file changed in between is at worst expanded again, never
    kept under its new stamp), the time zone and this hrtrust's version (a new release may
    expand a rule differently), a few spans at a time. Derived and never the truth: a stale or
    damaged one is expanded again, and ``doctor --fix`` rebuilds it with the rest."""
    from hrtrust.domain.planning import expand

    def expander(
        given: Sequence[Activity], tz: dt.tzinfo, first: dt.date, last: dt.date
    ) -> list[list[dt.datetime]]:
        zone = getattr(tz, "key", None)
        if given is not activities or stamp is None or zone is None:
            return expand(given, tz, first, last)
        key = _occurrence_key(stamp, zone)
        span = (first.toordinal(), last.toordinal())
        kept = read_index(store.home, OCCURRENCES)
        spans: dict[Any, Any] = {}
        if kept is not None:
            try:
                if kept[0] == key:  # else stale (another activities file): expanded again
                    spans = dict(kept[1])
                    starts = spans.get(span)
                    if starts is not None and len(starts) == len(given):
                        return [[_moment(day, secs, tz) for day, secs in one] for one in starts]
            except DAMAGED as exc:  # damaged or planted: expanded again
                rebuilt(f".cache/{OCCURRENCES}", exc)
                spans = {}
        got = expand(given, tz, first, last)
        spans.pop(span, None)
        spans[span] = [[_wall(m) for m in one] for one in got]
        write_index(store.home, OCCURRENCES, (key, dict(list(spans.items())[-OCCURRENCE_SPANS:])))
        return got

    return expander


def occurrences_differ(store: Store) -> str | None:
    """What is wrong with the kept occurrences (for ``doctor``), or None: every span kept for
    the current activities file must be what expanding its rules gives now."""
    from zoneinfo import ZoneInfo

    from hrtrust.domain.planning import expand

    kept = read_index(store.home, OCCURRENCES)
    if kept is None:
        return None
    activities = store.activities().activity
    tz = ZoneInfo(store.config().timezone)
    stamp = store.stamp(DOCUMENT_FILES[ActivitiesFile])
    try:
        if stamp is None or kept[0] != _occurrence_key(stamp, tz.key):
            return None  # stale: expanded again on the next plan, nothing to check
        for (first, last), starts in dict(kept[1]).items():
            fresh = expand(activities, tz, dt.date.fromordinal(first), dt.date.fromordinal(last))
            if [[_wall(m) for m in one] for one in fresh] != [list(map(tuple, s)) for s in starts]:
                return "kept occurrences differ from what the activities' rules give"
    except DAMAGED:
        return "not a cache hrtrust wrote"
    return None


def _occurrence_key(stamp: Stamp, zone: str) -> tuple[Any, ...]:
    """What kept occurrences are for: the activities file as it was, the time zone they were
    expanded in, and the hrtrust that expanded them."""
    return (tuple(stamp), zone, __version__)


def _wall(moment: dt.datetime) -> tuple[int, int]:
    """An occurrence as its local day and second of the day (its zone is the key's)."""
    return moment.toordinal(), moment.hour * 3600 + moment.minute * 60 + moment.second


def _moment(day: int, secs: int, tz: dt.tzinfo) -> dt.datetime:
    """The occurrence :func:`_wall` kept: the wall-clock time with the zone attached, as the
    expansion makes it (``fold=0``)."""
    clock = dt.time(secs // 3600, secs // 60 % 60, secs % 60)
    return dt.datetime.combine(dt.date.fromordinal(day), clock, tzinfo=tz)


def digest_input(store: Store, monday: dt.date, today: dt.date) -> DigestInput:
    """The plan's input, the review week's log, and the last touch before it of anyone the
    index has seen since (usually nobody, on a Monday morning)."""
    from hrtrust.domain.digest import DigestInput, review_week

    first, last = review_week(monday)
    plan = plan_input(store, monday, today, closed_since=first)
    entries = list(store.iter_log(first, last))
    later = {cid for cid, day in plan.touches.people.items() if day > last}
    return DigestInput(
        plan,
        entries,
        last_touch_before(store, later, last),
        store.feedback().pulse,
        review_public=public_days(store, plan.config, first, last),
    )


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
        few = [Contact.model_construct(id=cid, name=name, dept=dept) for cid, name, dept in rows]
        try:
            (person,) = resolve_all([ref], few)
        except NotFoundError:
            resolve_all([ref], store.contacts().contact)  # raises, with suggestions
            raise
        if person not in found:
            found.append(person)
    return found
