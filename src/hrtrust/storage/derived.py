"""Derived tables the commands read as one input each: public holidays and the kept
expansion of the activities' rules. Both are computed from something slow (the ``holidays``
package and its metadata scan; dateutil's rrule over every activity) and kept in ``.cache/``
under a key that says what they were computed from. Never the truth: a stale or damaged one is
computed again (and, damaged, noted by :func:`~hrtrust.storage.cache.rebuilt`).

Storage does not know the domain's rules: the expansion itself (``domain.planning.expand``)
is handed in by the caller.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from hrtrust import __version__
from hrtrust.locale import _
from hrtrust.models import ActivitiesFile, Activity, Config, PublicDays
from hrtrust.storage.cache import DAMAGED, Stamp, read_index, rebuilt, write_index
from hrtrust.storage.paths import DOCUMENT_FILES
from hrtrust.storage.store import Store

# dateutil's expansion of activities over a span (``domain.planning.expand``'s signature)
Expansion = Callable[[Sequence[Activity], dt.tzinfo, dt.date, dt.date], list[list[dt.datetime]]]


def public_days(
    store: Store, config: Config, first: dt.date, last: dt.date, language: str = "en"
) -> PublicDays:
    """The configured country's public holidays and make-up working days in [first, last],
    from the ``holidays`` package: each name is English as its value (what ``--json`` and the
    calendar export read) and said in ``language`` (en, zh-TW) where the package has that
    language. Computed once per country, year and language and kept in ``.cache/`` (the
    package and its metadata scan cost more than a whole plan)."""
    from hrtrust.locale.phrase import known

    if not config.country:
        return PublicDays()
    days: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        named, extra = _holiday_year(store, config.country, year, "en")
        local = {} if language == "en" else _holiday_year(store, config.country, year, language)[0]
        days.update(
            (d, known(n, {language: local[d]}) if d in local else n)
            for d, n in named.items()
            if first <= d <= last
        )
        workdays.update(d for d in extra if first <= d <= last)
    return PublicDays(
        holidays=dict(sorted(days.items())),
        workdays=frozenset(d for d in workdays if d not in days),
    )


def _holiday_year(
    store: Store, country: str, year: int, language: str
) -> tuple[dict[dt.date, str], set[dt.date]]:
    """One year of a country's holidays (names) and make-up working days, from the cache
    when it was built by the same ``holidays`` package, else computed (and kept)."""
    stamp = _holidays_stamp()
    tag = "" if language == "en" else f"-{language}"
    name = (
        f"holidays-{country}-{year}{tag}.bin" if country.isascii() and country.isalnum() else None
    )
    got = read_index(store.home, name) if name and stamp else None
    if isinstance(got, tuple) and len(got) == 3 and got[0] == stamp:
        try:
            named = {dt.date.fromordinal(d): str(n) for d, n in got[1].items()}
            return named, {dt.date.fromordinal(d) for d in got[2]}
        except (TypeError, ValueError, AttributeError, OverflowError) as exc:
            rebuilt(f".cache/{name}", exc)
    named, extra = _compute_holidays(country, year, language)
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


# hrtrust's languages as the ``holidays`` package names its translations, best first
HOLIDAY_LANGUAGES = {"en": ("en_US",), "zh-TW": ("zh_TW", "zh_Hant")}


def _compute_holidays(
    country: str, year: int, language: str
) -> tuple[dict[dt.date, str], set[dt.date]]:
    import holidays

    try:
        found = holidays.country_holidays(country, years=[year])
        for code in HOLIDAY_LANGUAGES.get(language, ()):  # the package's own translations
            if code in found.supported_languages:
                found = holidays.country_holidays(country, years=[year], language=code)
                break
    except NotImplementedError:
        from hrtrust.errors import UsageError

        raise UsageError(
            _("config.toml: no public holiday data for country {country!r}").format(
                country=country
            ),
            hint=_("hrtrust config set country TW (or none)"),
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


OCCURRENCES = "occurrences.bin"
OCCURRENCE_SPANS = 6  # a plan, a digest (two weeks) and --next: the spans worth keeping


def kept_expansion(
    store: Store, activities: Sequence[Activity], stamp: Stamp | None, expand: Expansion
) -> Expansion:
    """``expand`` (:func:`domain.planning.expand`) for the file's ``activities``, with each
    span's answer kept in ``.cache/`` for the next run: keyed by the activities file's
    ``stamp`` (taken before the file was read, so a file changed in between is at worst
    expanded again, never kept under its new stamp), the time zone and this hrtrust's version
    (a new release may expand a rule differently), a few spans at a time. Derived and never
    the truth: a stale or damaged one is expanded again, and ``doctor --fix`` rebuilds it."""

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


def occurrences_differ(store: Store, expand: Expansion) -> str | None:
    """What is wrong with the kept occurrences (for ``doctor``), or None: every span kept for
    the current activities file must be what ``expand`` gives now."""
    from zoneinfo import ZoneInfo

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
                return _("kept occurrences differ from what the activities' rules give")
    except DAMAGED:
        return _("not a cache hrtrust wrote")
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
