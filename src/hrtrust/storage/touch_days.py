"""Touchpoints per day and department, kept: what ``report coverage`` sums instead of reading
every entry of the last 90 days (a large log's quarter holds about 30,000).

``.cache/touches-days.bin`` holds, for a few recent month files, the count of each day's
entries per department they touch, under the stamp of the month file it reflects (the stamps
the touch index uses). Whom an entry touches depends on the people's departments, so the counts
are kept under a key of the departments they were counted with (every contact's id and
department): when anyone changes department, every month is counted again. The counting itself
is the domain's rule, passed in by the caller (``reports.touches_by_day``).

``log`` adds a step: its entries, still uncounted, to the month's pending list, and the month's
new stamp. A reader counts them with the departments of the day, so logging reads no contact.
Anything else that changes a month file (an edit, a delete, a hand edit, a crash between the
month and the step) shows as a stamp that no longer matches: that month is counted again from
the log, and only that one. A file that cannot be read is rebuilt, and ``--debug`` says so.

Derived and rebuildable, never the truth: delete it at will.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hrtrust.models import Interaction, Touched, Touchpoint
from hrtrust.storage.cache import DAMAGED, Stamp, read_index, rebuilt, write_index
from hrtrust.storage.paths import month_file, month_of
from hrtrust.storage.store import Store

NAME = "touches-days.bin"
MONTHS_KEPT = 6  # months kept at most: the window's few, and a few a replay asked for
PENDING_AT_MOST = 1000  # entries logged since a month was counted; past it, it is counted again

# As kept: {"key": bytes (the departments counted with: see _key),
#           "months": {rel: (Stamp, {ordinal: {dept: count}}, [(ordinal, kind, [id], [dept])])}}
#           (a month's stamp, its counts, and the entries logged since, still to be counted)
Days = dict[int, dict[str, int]]
Count = Callable[[Iterable[Touched]], Mapping[dt.date, Mapping[str, int]]]


def by_day(
    store: Store,
    since: dt.date,
    until: dt.date,
    dept_of: Mapping[str, str | None],
    count: Count,
) -> dict[dt.date, dict[str, int]]:
    """The entries of the month files from ``since``'s month to ``until``'s (as
    :meth:`Store.touchpoints` reads them) per day from ``since`` to ``until`` and department,
    as ``count`` counts them with the departments ``dept_of`` gives: kept months are read,
    the others counted from the log and kept."""
    key = _key(dept_of)
    months = store.log_months()
    wanted = [rel for rel in months if month_file(since) <= rel <= month_file(until)]
    payload = read_index(store.home, NAME)
    kept = _kept(payload, key)
    fresh: dict[str, tuple[Stamp, Days, list[Any]]] = {}
    changed = kept is None  # not built, damaged, or for other departments
    kept = kept or {}
    out: dict[dt.date, dict[str, int]] = {}
    lo, hi = since.toordinal(), until.toordinal()
    for rel in wanted:
        stamp = store.stamp(rel)
        days = _kept_days(kept.get(rel), stamp, count)
        if days is None or days[1]:
            changed = True
        if days is None:
            counted = _ordinals(count(_month_touchpoints(store, rel)))
            # kept only for the stamp it was counted at: a month logged to meanwhile would
            # otherwise take that entry's step a second time
            if stamp is not None and store.stamp(rel) == stamp:
                fresh[rel] = (stamp, counted, [])
        else:
            counted = days[0]
            if stamp is not None:
                fresh[rel] = (stamp, counted, [])
        for day, counts in counted.items():
            if lo <= day <= hi:
                into = out.setdefault(dt.date.fromordinal(day), {})
                for name, n in counts.items():
                    into[name] = into.get(name, 0) + n
    others = [rel for rel in sorted(kept, reverse=True) if rel not in wanted and rel in months]
    for rel in others[: max(0, MONTHS_KEPT - len(fresh))]:
        fresh[rel] = kept[rel]
    if changed or set(fresh) != set(kept):
        write_index(store.home, NAME, {"key": key, "months": fresh})
    return out


def record(store: Store, rel: str, before: Stamp | None, entries: Iterable[Interaction]) -> None:
    """Step the kept counts after ``entries`` were added to the month file ``rel`` (whose
    stamp was ``before``): the entries wait, uncounted, for the next reader. A month not kept,
    or kept for another stamp, is left as it is (to be counted again when read)."""
    payload = read_index(store.home, NAME)
    after = store.stamp(rel)
    if not isinstance(payload, dict) or after is None:
        return
    try:
        months = payload["months"]
        month = months.get(rel)
        if month is None or tuple(month[0]) != before:
            return
        pending = [
            *month[2],
            *((e.date.toordinal(), e.kind, list(e.with_), list(e.depts)) for e in entries),
        ]
    except DAMAGED as exc:  # the next reader rebuilds it
        rebuilt(f".cache/{NAME}", exc)
        return
    if len(pending) > PENDING_AT_MOST:
        del months[rel]
    else:
        months[rel] = (after, month[1], pending)
    write_index(store.home, NAME, payload)


def _key(dept_of: Mapping[str, str | None]) -> bytes:
    """A digest of every person's department (none and "" alike: neither is a department),
    in the contacts' order: the same for the same departments, different when one changes."""
    import hashlib  # here: a log, which steps the counts, has no use for it

    ids = "\0".join(dept_of)
    depts = "\0".join([d or "" for d in dept_of.values()])
    h = hashlib.blake2b(digest_size=16)
    if ids.count("\0") == depts.count("\0") == len(dept_of) - 1:  # no NUL inside a name
        h.update(len(ids).to_bytes(8, "little") + ids.encode() + b"\0" + depts.encode())
    else:  # a name holding NUL (or no contact): spelled out, unambiguously
        h.update(repr([(i, d or "") for i, d in dept_of.items()]).encode())
    return h.digest()


def _kept(payload: Any, key: bytes) -> dict[str, Any] | None:
    """The kept months, when ``payload`` is what is written here and is for ``key``; None
    otherwise (not built yet, damaged: said so, or for other departments)."""
    if payload is None:
        return None
    try:
        if not isinstance(payload["months"], dict) or type(payload["key"]) is not bytes:
            raise TypeError("not the kept day counts")
    except DAMAGED as exc:  # a damaged, foreign or planted file: counted again
        rebuilt(f".cache/{NAME}", exc)
        return None
    return payload["months"] if payload["key"] == key else None


def _kept_days(month: Any, stamp: Stamp | None, count: Count) -> tuple[Days, bool] | None:
    """A kept month's counts, with its pending entries counted in (and whether there were
    any), when it is kept for ``stamp``; None when it must be counted again."""
    if month is None or stamp is None:
        return None
    try:
        kept_stamp, days, pending = month
        if tuple(kept_stamp) != stamp:
            return None
        if not (
            isinstance(days, dict)
            and type(pending) is list
            and all(
                type(day) is int
                and isinstance(counts, dict)
                and all(type(n) is int and type(name) is str for name, n in counts.items())
                for day, counts in days.items()
            )
        ):
            raise TypeError("not a month's day counts")
        if not pending:
            return days, False
        added = _ordinals(
            count(
                Touchpoint(dt.date.fromordinal(day), kind, list(with_), list(depts))
                for day, kind, with_, depts in pending
            )
        )
    except DAMAGED as exc:  # a damaged or planted month: counted again
        rebuilt(f".cache/{NAME}", exc)
        return None
    merged = {day: dict(counts) for day, counts in days.items()}
    for day, counts in added.items():
        into = merged.setdefault(day, {})
        for name, n in counts.items():
            into[name] = into.get(name, 0) + n
    return merged, True


def _ordinals(counted: Mapping[dt.date, Mapping[str, int]]) -> Days:
    return {day.toordinal(): dict(counts) for day, counts in counted.items()}


def _month_touchpoints(store: Store, rel: str) -> list[Touchpoint]:
    """Every entry of the month file ``rel`` as a touchpoint, whatever its date: an entry a
    hand edit put in another month's file counts where the file is read, as it always has."""
    first = dt.date.fromisoformat(month_of(rel) + "-01")
    last = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1) - dt.timedelta(1)
    inside = store.touchpoints(first, last)
    if len(inside) == len(store.log_touches(rel)):
        return inside
    return [
        Touchpoint(e.date, e.kind, e.with_, e.depts) for e in store.log_month(rel, raw=True).entry
    ]
