"""The log counted per day, kept: what ``report coverage`` sums instead of reading every entry
of the last 90 days (a large log's quarter holds about 30,000), and the digest's review instead
of reading last week's (about 7,000 at twice that).

``.cache/touches-days.bin`` holds, for a few recent month files, each day's count
(:class:`~hrtrust.models.DayCount`: its entries per department, kind and in all, and the people
and activities in them), under the stamp of the month file it reflects (the stamps the touch
index uses). A day's departments are kept apart from the rest, which is marshalled on its own
and loaded only by a reader of whole counts: a quarter's coverage never loads its people.
Whom an entry touches depends on the people's departments, so the counts are kept under a key
of the departments they were counted with (every contact's id and department): when anyone
changes department, every month is counted again. The counting itself is the domain's rule,
passed in by the caller (``domain.days.count_days``).

``log`` adds a step: its entries, still uncounted, to the month's pending list, and the month's
new stamp. A reader counts them with the departments of the day, so logging reads no contact.
Anything else that changes a month file (an edit, a delete, a hand edit, a crash between the
month and the step) shows as a stamp that no longer matches: that month is counted again from
the log, and only that one. A file that cannot be read is rebuilt, and ``--debug`` says so.

:class:`DayEntries` gives the entries of those days themselves, a day at a time as they are
reached: the digest shows the first few of a week and counts the rest.

Derived and rebuildable, never the truth: delete it at will.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from hrtrust.locale import _
from hrtrust.models import DayCount, Interaction, Touched, Touchpoint, entry_sort_key
from hrtrust.storage.cache import DAMAGED, Stamp, read_index, rebuilt, write_index
from hrtrust.storage.paths import month_file, month_of
from hrtrust.storage.store import Store

NAME = "touches-days.bin"
FORMAT = 2  # 2: each day's kinds, people and activities beside its departments
MONTHS_KEPT = 6  # months kept at most: the window's few, and a few a replay asked for
PENDING_AT_MOST = 1000  # entries logged since a month was counted; past it, it is counted again

# As kept: {"format": FORMAT, "key": bytes (the departments counted with: see _key),
#           "months": {rel: (Stamp, {ordinal: ({dept: count}, detail)},
#                            [(ordinal, kind, [id], [dept], activity)])}}
# (a month's stamp, its days, and the entries logged since, still to be counted); a day's
# ``detail`` is marshal.dumps((entries, {kind: count}, untouched, [id], [activity])).
Day = tuple[dict[str, int], bytes]
Days = dict[int, Day]
Count = Callable[[Iterable[Touched]], Mapping[dt.date, DayCount]]


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
    the others counted from the log and kept. Only the departments are loaded."""
    out: dict[dt.date, dict[str, int]] = {}
    for day, parts in _days(store, since, until, dept_of, count).items():
        into = out[dt.date.fromordinal(day)] = {}
        for depts, _detail in parts:
            for name, n in depts.items():
                into[name] = into.get(name, 0) + n
    return out


def counted(
    store: Store,
    since: dt.date,
    until: dt.date,
    dept_of: Mapping[str, str | None],
    count: Count,
) -> dict[dt.date, DayCount]:
    """As :func:`by_day`, each day's whole count (a day with no entry is left out)."""
    days = _days(store, since, until, dept_of, count)
    try:
        opened = {day: [_opened(*part) for part in parts] for day, parts in days.items()}
    except DAMAGED as exc:  # a planted or damaged day: these months are counted again
        rebuilt(f".cache/{NAME}", exc)
        _forget(store, [rel for rel in store.log_months() if _within(rel, since, until)])
        return {
            day: c
            for day, c in count(store.touchpoints(since, until)).items()
            if c.entries and since <= day <= until
        }
    out: dict[dt.date, DayCount] = {}
    for day, parts in opened.items():
        total = parts[0]
        for part in parts[1:]:
            total = total.plus(part)
        if total.entries:
            out[dt.date.fromordinal(day)] = total
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
            *(
                (e.date.toordinal(), e.kind, list(e.with_), list(e.depts), e.activity)
                for e in entries
            ),
        ]
    except DAMAGED as exc:  # the next reader rebuilds it
        rebuilt(f".cache/{NAME}", exc)
        return
    if len(pending) > PENDING_AT_MOST:
        del months[rel]
    else:
        months[rel] = (after, month[1], pending)
    write_index(store.home, NAME, payload)


def days_differ(store: Store, dept_of: Mapping[str, str | None], count: Count) -> str | None:
    """What is wrong with the kept day counts (for ``doctor``), or None: each month kept for
    its file as it is now must be, with its pending entries counted in, what ``count`` gives
    of the month (kept for other departments: counted again by the next reader)."""
    payload = read_index(store.home, NAME)
    if payload is None:
        return None
    try:
        if payload["format"] != FORMAT or type(payload["key"]) is not bytes:
            raise ValueError("not the kept day counts")
        if payload["key"] != _key(dept_of):
            return None
        current: list[tuple[str, Days]] = []  # each month kept for its file as it is now
        for rel, month in dict(payload["months"]).items():
            stamp = store.stamp(rel)
            if stamp is None or tuple(month[0]) != stamp:
                continue  # stale: counted again by the next reader
            kept = _kept_days(month, stamp, count)
            if kept is None:
                raise ValueError(f"the counts of {rel}")
            current.append((rel, kept[0]))
        as_kept = [(rel, _plain(days)) for rel, days in current]
    except DAMAGED:
        return _("not a cache hrtrust wrote")
    for rel, days in as_kept:
        if days != _plain(_ordinals(count(_month_touchpoints(store, rel)))):
            return _("the kept day counts differ from the log")
    return None


def _plain(days: Days) -> dict[int, tuple[Any, ...]]:
    """Days as comparable values (the people and activities in any order)."""
    out = {}
    for day, kept_day in days.items():
        c = _opened(*kept_day)
        out[day] = (c.depts, c.entries, c.kinds, c.untouched, sorted(c.people), sorted(c.attended))
    return out


class DayEntries(Sequence[Interaction]):
    """The log's entries from ``since`` to ``until`` (read from the month files of that span,
    as :meth:`Store.iter_log` reads them), by day and then number, each day read only when an
    entry of it is asked for. ``counts`` says how many each day holds (its length)."""

    def __init__(
        self, store: Store, since: dt.date, until: dt.date, counts: Mapping[dt.date, DayCount]
    ) -> None:
        self._store = store
        self._span = (since, until)
        self._days = sorted(day for day, c in counts.items() if c.entries and since <= day <= until)
        self._len = sum(counts[day].entries for day in self._days)
        self._read: list[Interaction] = []
        self._next = 0  # the first of _days not read yet

    def _reach(self, k: int | None) -> None:
        """Read days until ``k`` entries are read (None: every day, in one read)."""
        while self._next < len(self._days) and (k is None or len(self._read) < k):
            first = self._days[self._next]
            last = self._days[-1] if k is None else first
            self._next = len(self._days) if k is None else self._next + 1
            got = self._store.iter_log(first, last, within=self._span)
            self._read += sorted(got, key=entry_sort_key)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, i: int) -> Interaction: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Interaction]: ...
    def __getitem__(self, i: int | slice) -> Interaction | Sequence[Interaction]:
        if isinstance(i, slice):
            start, stop, step = i.indices(self._len)
            if step < 0:  # from the end: every day
                self._reach(None)
                return self._read[i]
            self._reach(stop)
            return self._read[start:stop:step]
        self._reach(None if i < 0 else i + 1)
        return self._read[i]

    def __iter__(self) -> Iterator[Interaction]:
        self._reach(None)
        return iter(self._read)


def _opened(depts: dict[str, int], detail: bytes) -> DayCount:
    """A kept day whole (TypeError or ValueError unless its detail is of the kept shape)."""
    entries, kinds, untouched, people, attended = marshal.loads(detail)
    if not (
        type(entries) is int
        and type(untouched) is int
        and type(kinds) is dict
        and all(type(k) is str and type(n) is int for k, n in kinds.items())
        and type(people) is list
        and type(attended) is list
    ):
        raise TypeError("not a day's count")
    "".join(people)  # TypeError unless every one is a text
    "".join(attended)
    return DayCount(depts, entries, kinds, untouched, people, attended)


def _kept_day(c: DayCount) -> Day:
    detail = (c.entries, dict(c.kinds), c.untouched, list(c.people), list(c.attended))
    return dict(c.depts), marshal.dumps(detail)


def _within(rel: str, since: dt.date, until: dt.date) -> bool:
    return month_file(since) <= rel <= month_file(until)


def _days(
    store: Store,
    since: dt.date,
    until: dt.date,
    dept_of: Mapping[str, str | None],
    count: Count,
) -> dict[int, list[Day]]:
    """Each day from ``since`` to ``until`` (ordinals) with its kept counts, one for each month
    file it has entries in: kept months are read, the others counted from the log and kept."""
    key = _key(dept_of)
    months = store.log_months()
    wanted = [rel for rel in months if _within(rel, since, until)]
    payload = read_index(store.home, NAME)
    kept = _kept(payload, key)
    fresh: dict[str, tuple[Stamp, Days, list[Any]]] = {}
    changed = kept is None  # not built, damaged, or for other departments
    kept = kept or {}
    out: dict[int, list[Day]] = {}
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
        for day, kept_day in counted.items():
            if lo <= day <= hi:
                out.setdefault(day, []).append(kept_day)
    others = [rel for rel in sorted(kept, reverse=True) if rel not in wanted and rel in months]
    for rel in others[: max(0, MONTHS_KEPT - len(fresh))]:
        fresh[rel] = kept[rel]
    if changed or set(fresh) != set(kept):
        write_index(store.home, NAME, {"format": FORMAT, "key": key, "months": fresh})
    return out


def _forget(store: Store, rels: Sequence[str]) -> None:
    """Drop the months ``rels`` from the kept counts (to be counted again when next read)."""
    payload = read_index(store.home, NAME)
    try:
        months = payload["months"]
        for rel in rels:
            months.pop(rel, None)
    except DAMAGED:
        payload = None
    if payload is not None:
        write_index(store.home, NAME, payload)


def _key(dept_of: Mapping[str, str | None]) -> bytes:
    """Every person's department (none and "" alike: neither is a department), in the
    contacts' order, spelled out: equal for the same departments, different when one
    changes. Kept whole rather than digested: comparing it costs less than importing hashlib
    (3 ms, a tenth of a small digest), and two differing never compare equal."""
    ids = "\0".join(dept_of)
    depts = "\0".join([d or "" for d in dept_of.values()])
    if ids.count("\0") == depts.count("\0") == len(dept_of) - 1:  # no NUL inside a name
        return len(ids).to_bytes(8, "little") + (ids + "\0" + depts).encode()
    # a name holding NUL (or no contact): as a list (its first bytes are never a length's)
    return repr([(i, d or "") for i, d in dept_of.items()]).encode()


def _kept(payload: Any, key: bytes) -> dict[str, Any] | None:
    """The kept months, when ``payload`` is what is written here and is for ``key``; None
    otherwise (not built yet, damaged: said so, or for other departments)."""
    if payload is None:
        return None
    try:
        if payload["format"] != FORMAT:
            raise ValueError(f"day counts of format {payload['format']!r}")
        if not isinstance(payload["months"], dict) or type(payload["key"]) is not bytes:
            raise TypeError("not the kept day counts")
    except DAMAGED as exc:  # a damaged, foreign or planted file: counted again
        rebuilt(f".cache/{NAME}", exc)
        return None
    return payload["months"] if payload["key"] == key else None


def _kept_days(month: Any, stamp: Stamp | None, count: Count) -> tuple[Days, bool] | None:
    """A kept month's days, with its pending entries counted in (and whether there were
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
            and all(map(_is_pending, pending))
            and all(
                type(day) is int
                and type(kept_day) is tuple
                and len(kept_day) == 2
                and isinstance(kept_day[0], dict)
                and type(kept_day[1]) is bytes
                and all(type(n) is int and type(name) is str for name, n in kept_day[0].items())
                for day, kept_day in days.items()
            )
        ):
            raise TypeError("not a month's day counts")
        if not pending:
            return days, False
        added = _ordinals(
            count(
                Touchpoint(dt.date.fromordinal(day), kind, list(with_), list(depts), activity)
                for day, kind, with_, depts, activity in pending
            )
        )
        merged = dict(days)
        for day, (depts, detail) in added.items():
            before = merged.get(day)
            if before is None:
                merged[day] = (depts, detail)
            else:  # the day's count so far, and the entries logged since
                merged[day] = _kept_day(_opened(*before).plus(_opened(depts, detail)))
    except DAMAGED as exc:  # a damaged or planted month: counted again
        rebuilt(f".cache/{NAME}", exc)
        return None
    return merged, True


def _is_pending(step: Any) -> bool:
    """An entry :func:`record` left to be counted: (ordinal, kind, [id], [dept], activity)."""
    return (
        type(step) is tuple
        and len(step) == 5
        and type(step[0]) is int
        and type(step[1]) is str
        and type(step[2]) is list
        and type(step[3]) is list
        and type(step[4]) in (str, type(None))
        and all(type(x) is str for x in (*step[2], *step[3]))
    )


def _ordinals(counted: Mapping[dt.date, DayCount]) -> Days:
    return {day.toordinal(): _kept_day(c) for day, c in counted.items()}


def _month_touchpoints(store: Store, rel: str) -> list[Touchpoint]:
    """Every entry of the month file ``rel`` as a touchpoint, whatever its date: an entry a
    hand edit put in another month's file counts where the file is read, as it always has."""
    first = dt.date.fromisoformat(month_of(rel) + "-01")
    last = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1) - dt.timedelta(1)
    inside = store.touchpoints(first, last)
    if len(inside) == len(store.log_touches(rel)):
        return inside
    return [
        Touchpoint(e.date, e.kind, e.with_, e.depts, e.activity)
        for e in store.log_month(rel, raw=True).entry
    ]
