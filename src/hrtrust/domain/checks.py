"""What ``hrtrust doctor`` checks beyond syntax: that every value means something hrtrust can
use (cadences, rules, times, durations, e-mails, pulse scores, department names). Pure
functions of the documents; each problem names the file and the record."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from hrtrust.domain.contacts import EMAIL, fold
from hrtrust.domain.dates import parse_cadence, parse_time, parse_weekday
from hrtrust.domain.recurrence import to_rrule
from hrtrust.errors import HrtrustError
from hrtrust.locale import _
from hrtrust.models import ActivitiesFile, Config, ContactsFile, FeedbackFile, LogFile


@dataclass(frozen=True)
class Meaningless:
    """One value that parses as TOML but means nothing hrtrust can use."""

    file: str
    what: str


def _fails(parse: Callable[[str], object], text: str) -> str | None:
    """The parser's message when ``text`` does not parse, else None."""
    try:
        parse(text)
    except HrtrustError as exc:
        return exc.message
    except (ValueError, OverflowError, RecursionError) as exc:
        return f"{type(exc).__name__}"
    return None


def check_documents(
    *,
    config: Config | None,
    contacts: ContactsFile | None,
    activities: ActivitiesFile | None,
    feedback: FeedbackFile | None,
) -> list[Meaningless]:
    """Every value in these documents that hrtrust cannot use, file and record named."""
    out: list[Meaningless] = []

    def flag(file: str, what: str) -> None:
        out.append(Meaningless(file, what))

    if config is not None:
        where = "config.toml"
        for tag, cadence in sorted(config.cadence.items()):
            if why := _fails(parse_cadence, cadence):
                flag(where, f"cadence.{tag}: {why}")
        for day in config.week:
            if why := _fails(parse_weekday, day):
                flag(where, f"week: {why}")
        seen: dict[str, str] = {}
        for d in config.department:
            if why := _fails(parse_cadence, d.window):
                flag(where, _("department {name!r}: window: {why}").format(name=d.name, why=why))
            key = fold(d.name)
            if key in seen and seen[key] != d.name:
                flag(
                    where,
                    _(
                        "departments {first!r} and {second!r} differ only by case; "
                        "hrtrust counts them as one (keep one spelling)"
                    ).format(first=seen[key], second=d.name),
                )
            elif key in seen:
                flag(where, _("department {name!r} is listed twice").format(name=d.name))
            seen.setdefault(key, d.name)
        for k in config.kind:
            if k.cadence and (why := _fails(parse_cadence, k.cadence)):
                flag(where, _("kind {name!r}: cadence: {why}").format(name=k.name, why=why))
    if contacts is not None:
        where = "contacts.toml"
        for c in contacts.contact:
            if c.every and (why := _fails(parse_cadence, c.every)):
                flag(where, _("contact {id}: every: {why}").format(id=c.id, why=why))
            if c.email and not EMAIL.fullmatch(c.email):
                flag(
                    where,
                    _("contact {id}: email is not one address (spaces, line breaks?)").format(
                        id=c.id
                    ),
                )
    if activities is not None:
        where = "activities.toml"
        for a in activities.activity:
            if why := _fails(to_rrule, a.rule):
                flag(where, _("activity {id}: rule: {why}").format(id=a.id, why=why))
            if a.at and (why := _fails(parse_time, a.at)):
                flag(where, _("activity {id}: at: {why}").format(id=a.id, why=why))
            if a.duration is not None and not 1 <= a.duration <= 24 * 60:
                flag(
                    where,
                    _("activity {id}: duration {minutes} is not 1 to 1440 minutes").format(
                        id=a.id, minutes=a.duration
                    ),
                )
            if a.until is not None and a.until < a.start:
                flag(
                    where,
                    _("activity {id}: until {until} is before start {start}").format(
                        id=a.id, until=a.until, start=a.start
                    ),
                )
    if feedback is not None:
        where = "feedback.toml"
        for i, p in enumerate(feedback.pulse):
            scale = (p.model_extra or {}).get("scale", 5)
            name = _("pulse {n} ({dept}, {day})").format(n=i + 1, dept=p.dept, day=p.date)
            if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
                flag(
                    where,
                    _("{pulse}: scale {scale!r} is not a positive number").format(
                        pulse=name, scale=scale
                    ),
                )
            elif not 0 <= p.score <= scale:
                flag(
                    where,
                    _("{pulse}: score {score:g} is outside 0..{scale:g}").format(
                        pulse=name, score=p.score, scale=scale
                    ),
                )
    return out


def unknown_kinds(
    config: Config,
    activities: ActivitiesFile | None,
    logs: Iterable[tuple[str, LogFile]],
) -> list[Meaningless]:
    """Activities and log entries whose kind neither the catalogue nor config.toml's
    ``[[kind]]`` tables know (a kind dropped from config.toml, a hand edit, a file from another
    home): one problem per file and kind, naming a few of its records. Such a record still
    plans and logs, but its kind has no label, no cadence and no line in `activity kinds`."""
    import difflib

    from hrtrust.domain.catalogue import kinds  # the catalogue only when doctor runs
    from hrtrust.locale import ngettext

    known = kinds(config)
    shown = 5

    def hint(kind: str) -> str:
        close = difflib.get_close_matches(kind, known, n=1, cutoff=0.75)
        if close:
            return _(
                "a typo for {known!r}? Else add a [[kind]] with that name to config.toml"
            ).format(known=close[0])
        return _("add a [[kind]] with that name to config.toml, or change the kind")

    def named(ids: list[str]) -> str:
        listed = ", ".join(ids[:shown])
        if len(ids) <= shown:
            return listed
        return _("{ids} and {n} more").format(ids=listed, n=len(ids) - shown)

    out: list[Meaningless] = []

    def flag(where: str, records: Iterable[tuple[str, str]], say: Callable[[int], str]) -> None:
        by_kind: dict[str, list[str]] = {}
        for rid, kind in records:
            if kind not in known:
                by_kind.setdefault(kind, []).append(rid)
        for kind, ids in sorted(by_kind.items()):
            what = say(len(ids)).format(kind=kind, ids=named(ids), hint=hint(kind))
            out.append(Meaningless(where, what))

    if activities is not None:
        flag(
            "activities.toml",
            ((a.id, a.kind) for a in activities.activity),
            lambda n: ngettext(
                "kind {kind!r} is not in the catalogue: activity {ids} ({hint})",
                "kind {kind!r} is not in the catalogue: activities {ids} ({hint})",
                n,
            ),
        )
    for rel, log in logs:
        flag(
            rel,
            ((e.id, e.kind) for e in log.entry),
            lambda n: ngettext(
                "kind {kind!r} is not in the catalogue: log entry {ids} ({hint})",
                "kind {kind!r} is not in the catalogue: log entries {ids} ({hint})",
                n,
            ),
        )
    return out
