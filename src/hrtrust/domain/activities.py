"""Recurring activities: the relationship work that is put in the calendar so it happens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from hrtrust.domain.catalogue import resolve_kind
from hrtrust.domain.contacts import number_key, resolve_all
from hrtrust.domain.dates import parse_date, parse_duration, parse_time
from hrtrust.domain.recurrence import describe_rule, nearest_occurrences, to_rrule
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import _
from hrtrust.models import ActivitiesFile, Activity, Config, Contact, allocate_id, find_id


@dataclass
class ActivityChanges:
    """Fields to set; None leaves a field alone, an empty string clears an optional one."""

    title: str | None = None
    kind: str | None = None
    rule: str | None = None
    at: str | None = None
    duration: str | None = None
    dept: str | None = None
    location: str | None = None
    with_: list[str] | None = None
    start: str | None = None
    until: str | None = None


def new_id(doc: ActivitiesFile) -> str:
    return allocate_id(doc, "a", (r.id for r in doc.activity))


def find(doc: ActivitiesFile, ref: str) -> Activity:
    """An activity by id (``a3`` or ``3``) or by an unambiguous title prefix."""
    if (by_id := find_id(doc.activity, ref, "a")) is not None:
        return by_id
    key = ref.strip().lower()
    found = [a for a in doc.activity if a.title.lower().startswith(key)] if key else []
    if len(found) == 1:
        return found[0]
    if found:
        listed = _(", ").join(f"{a.id} {a.title}" for a in found)
        raise UsageError(
            _("{ref!r} matches {n} activities").format(ref=ref, n=len(found)),
            hint=_("use one of: {activities}").format(activities=listed),
        )
    raise NotFoundError(
        _("no activity {ref!r}").format(ref=ref), hint=_("see `hrtrust activity list`")
    )


def apply_changes(
    contacts: Sequence[Contact], a: Activity, ch: ActivityChanges, config: Config, today: dt.date
) -> None:
    """Validate every change first, then apply them all."""
    values: dict[str, object] = {}
    if ch.title is not None:
        if not ch.title.strip():
            raise UsageError(_("an activity needs a title"))
        values["title"] = ch.title.strip()
    if ch.kind is not None:
        values["kind"] = resolve_kind(ch.kind, config).name
    if ch.rule is not None:
        values["rule"] = to_rrule(ch.rule)
    if ch.at is not None:
        values["at"] = parse_time(ch.at) if ch.at.strip() else None
    if ch.duration is not None:
        values["duration"] = parse_duration(ch.duration) if ch.duration.strip() else None
    for attr in ("dept", "location"):
        new = getattr(ch, attr)
        if new is not None:
            values[attr] = new.strip() or None
    if ch.with_ is not None:
        values["with_"] = [c.id for c in resolve_all(ch.with_, contacts)]
    if ch.start is not None:
        values["start"] = parse_date(ch.start, today)
    if ch.until is not None:
        values["until"] = parse_date(ch.until, today) if ch.until.strip() else None
    start = values.get("start", a.start)
    until = values.get("until", a.until)
    if isinstance(start, dt.date) and isinstance(until, dt.date) and until < start:
        raise UsageError(
            _("--until {until} is before --start {start}").format(until=until, start=start)
        )
    for attr, value in values.items():
        setattr(a, attr, value)


def add(
    doc: ActivitiesFile,
    contacts: Sequence[Contact],
    ch: ActivityChanges,
    config: Config,
    today: dt.date,
) -> Activity:
    if not ch.title or not ch.kind or not ch.rule:
        raise UsageError(_("an activity needs a title, --kind and --rule"))
    a = Activity(id="new", title=ch.title, kind="x", rule="FREQ=WEEKLY", start=today)
    apply_changes(contacts, a, ch, config, today)
    if a.duration is None and a.at is not None:
        a.duration = 60
    a.id = new_id(doc)
    doc.activity.append(a)
    doc.activity.sort(key=lambda x: number_key(x.id))
    return a


def edit(
    doc: ActivitiesFile,
    contacts: Sequence[Contact],
    ref: str,
    ch: ActivityChanges,
    config: Config,
    today: dt.date,
) -> Activity:
    a = find(doc, ref)
    apply_changes(contacts, a, ch, config, today)
    return a


def remove(doc: ActivitiesFile, ref: str) -> Activity:
    a = find(doc, ref)
    doc.activity.remove(a)
    return a


def skip(doc: ActivitiesFile, ref: str, day: dt.date, *, undo: bool = False) -> Activity:
    """Skip one occurrence (a holiday), or with ``undo`` put it back.

    Only a real occurrence can be skipped; otherwise the error names the nearest ones.
    """
    a = find(doc, ref)
    if undo:
        if day not in a.skip:
            raise UsageError(_("{id} is not skipped on {day}").format(id=a.id, day=day))
        a.skip.remove(day)
    elif day not in a.skip:
        before, after, on_day = nearest_occurrences(
            a.rule, start=a.start, at=a.at, day=day, until=a.until
        )
        if not on_day:
            # the translation may write a date its own way ({day.month}月{day.day}日)
            near = [
                _("{day:%a %b} {day.day}, {day.year}").format(day=d)
                for d in (before, after)
                if d is not None
            ]
            raise UsageError(
                _("{title} ({id}) does not happen on {day:%a %b} {day.day}, {day.year}").format(
                    title=a.title, id=a.id, day=day
                ),
                hint=(
                    _("nearest: {days}").format(days=_(" and ").join(near))
                    if near
                    else _("it has no occurrences ({rule})").format(
                        rule=describe_rule(to_rrule(a.rule))
                    )
                ),
            )
        a.skip.append(day)
        a.skip.sort()
    return a
