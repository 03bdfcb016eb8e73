"""Reads of the interaction log that must not cost the whole history.

When each person and department was last touched comes from one merged index,
``.cache/touches.bin``: per person the day and kind of their last touch, per department its
last touch, and touches per person for the last year of months. It names the stamp of every
month file it reflects. Logging adds a step (the entries added to a month) to a small
companion, ``.cache/touches-steps.bin``, which also holds the stamps, and leaves the index
itself alone; a reader applies the steps, and every ``FOLD_AFTER`` steps the log folds them in.
The two files name the same random token: a crash between their writes leaves them naming
different ones, and the index is rebuilt. Any other change to a month file (an edit, a
delete, a hand edit, a crash between writing the month and its step) shows as a stamp that no
longer matches, so it is rebuilt too. Rebuilding reads only the months that changed:
``.cache/touches-months.bin`` keeps a summary per month file, with its stamp.

Both are derived and rebuildable, never the truth: delete them at will.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import marshal
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from hrtrust.errors import HrtrustError
from hrtrust.locale import _
from hrtrust.models import Interaction, LogFile, Touches, entry_sort_key
from hrtrust.storage import touch_days
from hrtrust.storage.cache import DAMAGED, Stamp, read_index, rebuilt, write_index
from hrtrust.storage.paths import month_file, month_of
from hrtrust.storage.store import Store

INDEX = "touches.bin"
STEPS = "touches-steps.bin"
MONTHS = "touches-months.bin"
COUNT_MONTHS = 12  # touches per person are kept for this many months back (and this one)

# A month summary: {"stamp": Stamp, "people": {id: (ordinal, kind, count)},
#                   "depts": {name: ordinal}, "newest": ordinal}
# The merged index: {"stamps": {rel: Stamp}, "newest": ordinal,
#                    "people": {id: (ordinal, kind)}, "depts": {name: ordinal},
#                    "counts": {"YYYY-MM": {id: count}}}
# As kept: INDEX {"token": bytes, "base": the merged index without its stamps and counts,
#                 "months": its counts, each month marshalled on its own, then together}: a
#                 plan reads a month's counts only if it asks for them (:class:`_Counts`)
#          STEPS {"token": bytes, "stamps": {rel: Stamp},
#                 "steps": [(rel, [(ordinal, kind, [id], [dept])])]}: entries logged since.
FOLD_AFTER = 64


def _summarise(entries: Iterable[Interaction], stamp: Stamp | None) -> dict[str, Any]:
    people: dict[str, tuple[int, str, int]] = {}
    depts: dict[str, int] = {}
    newest = 0
    for e in sorted(entries, key=entry_sort_key):
        day = e.date.toordinal()
        newest = max(newest, day)
        for cid in e.with_:
            count = people[cid][2] + 1 if cid in people else 1
            people[cid] = (day, e.kind, count)
        if touches_depts(e.with_, e.depts):
            for name in e.depts:
                depts[name] = max(depts.get(name, 0), day)
    return {"stamp": stamp, "people": people, "depts": depts, "newest": newest}


def touches_depts(with_: list[str], depts: list[str]) -> bool:
    """Whether an entry is a touch of the departments it names: not when it is a broadcast
    (no one in it, and two departments or more: a newsletter, `log --all-depts`), which
    reaches departments without touching one, so it never resets "gone quiet"."""
    return bool(with_) or len(depts) < 2


def _stamps(store: Store) -> dict[str, Stamp]:
    out = {}
    for rel in store.log_months():
        stamp = store.stamp(rel)
        if stamp is not None:
            out[rel] = stamp
    return out


def _opened(
    store: Store, index: Any, steps: Any, stamps: Mapping[str, Stamp] | None
) -> dict[str, Any] | None:
    """The merged index as kept, its steps applied, when it is for exactly ``stamps`` (or
    whatever its stamps are, for None); None when stale or not what it should be."""
    try:
        if not (isinstance(index, dict) and isinstance(steps, dict)):
            return None
        if index["token"] != steps["token"]:
            return None
        if stamps is not None and steps["stamps"] != stamps:
            return None
        merged: dict[str, Any] = marshal.loads(index["base"])
        if type(index["months"]) is not bytes:
            return None
        for _rel, entries in steps["steps"]:
            _apply_touches(merged, entries)
        if not (
            isinstance(merged["newest"], int)
            and all(isinstance(merged[k], dict) for k in ("people", "depts"))
        ):
            return None
        kept_stamps = dict(steps["stamps"])
        merged["counts"] = _Counts(
            index["months"],
            steps["steps"],
            merged["newest"],
            lambda: _merge(_month_summaries(store, kept_stamps), kept_stamps)["counts"],
        )
    except DAMAGED as exc:  # a damaged, foreign or planted index: rebuilt from the log
        rebuilt(f".cache/{INDEX}", exc)
        return None
    merged["stamps"] = dict(steps["stamps"])
    return merged


def load(store: Store, stamps: Mapping[str, Stamp] | None = None) -> dict[str, Any] | None:
    """The merged index as kept (for exactly ``stamps``, when given), or None."""
    return _opened(store, read_index(store.home, INDEX), read_index(store.home, STEPS), stamps)


def save(store: Store, merged: Mapping[str, Any]) -> None:
    """Keep ``merged``: the index under a new token, then its stamps and no steps."""
    token = os.urandom(8)
    base = {k: v for k, v in merged.items() if k not in ("stamps", "counts")}
    months = marshal.dumps({m: marshal.dumps(dict(c)) for m, c in merged["counts"].items()})
    write_index(store.home, INDEX, {"token": token, "base": marshal.dumps(base), "months": months})
    write_index(store.home, STEPS, {"token": token, "stamps": dict(merged["stamps"]), "steps": []})


def _apply_touches(merged: dict[str, Any], entries: Iterable[tuple[Any, ...]]) -> None:
    """Add entries (day as an ordinal, kind, people, departments) of a month, in their order
    in the file, to the merged index's last touches (its counts: :class:`_Counts`)."""
    people, depts = merged["people"], merged["depts"]
    for day, kind, with_, names in entries:
        merged["newest"] = max(merged["newest"], day)
        for cid in with_:
            if cid not in people or day >= people[cid][0]:
                people[cid] = (day, kind)
        if touches_depts(with_, names):
            for name in names:
                if day > depts.get(name, 0):
                    depts[name] = day


class _Counts(Mapping[str, Mapping[str, int]]):
    """The merged index's touches per person by month, each month read from the kept
    ``blob`` (a marshalled month each, by month) with the steps logged since only when that
    month is first asked for: a plan reads none or the last few, not the year. Kept counts
    that cannot be read, or are not counts, are worked out again from the log
    (``rebuild``), and said so: never read as none, nor kept so by a fold."""

    def __init__(
        self,
        blob: bytes,
        steps: list[Any],
        newest: int,
        rebuild: Callable[[], Mapping[str, Mapping[str, int]]],
    ) -> None:
        self._blob, self._steps, self._newest, self._rebuild = blob, steps, newest, rebuild
        self._kept: dict[str, bytes] | None = None
        self._months: list[str] = []
        self._read: dict[str, dict[str, int]] = {}
        self._whole: Mapping[str, Mapping[str, int]] | None = None  # rebuilt from the log

    def _damaged(self, exc: BaseException) -> Mapping[str, Mapping[str, int]]:
        rebuilt(f".cache/{INDEX}", exc)
        if self._whole is None:
            self._whole = self._rebuild()
        return self._whole

    def _index(self) -> Mapping[str, Mapping[str, int]] | None:
        """The counts rebuilt from the log when the kept ones cannot be read; None: read
        them month by month."""
        if self._kept is None and self._whole is None:
            try:
                kept = marshal.loads(self._blob)
                if type(kept) is not dict or not (
                    set(map(type, kept)) <= {str} and set(map(type, kept.values())) <= {bytes}
                ):
                    raise TypeError("touch counts of another shape")
                stepped = {
                    month_of(rel) for rel, entries in self._steps if any(e[2] for e in entries)
                }
                first = _first_counted(self._newest)
                self._months = sorted(m for m in kept.keys() | stepped if m >= first)
                self._kept = kept
            except DAMAGED as exc:
                self._damaged(exc)
        return self._whole

    def __getitem__(self, month: str) -> Mapping[str, int]:
        whole = self._index()
        if whole is not None:
            return whole[month]
        got = self._read.get(month)
        if got is not None:
            return got
        if month not in self._months:
            raise KeyError(month)
        assert self._kept is not None
        try:
            counts = marshal.loads(self._kept[month]) if month in self._kept else {}
            if type(counts) is not dict or not (
                set(map(type, counts)) <= {str} and set(map(type, counts.values())) <= {int}
            ):
                raise TypeError("touch counts of another shape")
            for rel, entries in self._steps:
                if month_of(rel) == month:
                    for _day, _kind, with_, _names in entries:
                        for cid in with_:
                            counts[cid] = counts.get(cid, 0) + 1
        except DAMAGED as exc:
            return self._damaged(exc)[month]
        self._read[month] = counts
        return counts

    def __iter__(self) -> Iterator[str]:
        whole = self._index()
        return iter(whole if whole is not None else self._months)

    def __len__(self) -> int:
        whole = self._index()
        return len(whole if whole is not None else self._months)


def _month_summaries(store: Store, stamps: Mapping[str, Stamp]) -> dict[str, dict[str, Any]]:
    """A summary of every month file, re-reading only the months whose stamp changed."""
    with contextlib.ExitStack() as stack:
        return _start_summaries(store, stamps, stack)()


def _start_summaries(
    store: Store, stamps: Mapping[str, Stamp], stack: contextlib.ExitStack
) -> Callable[[], dict[str, dict[str, Any]]]:
    """:func:`_month_summaries`, begun now and finished by the call returned. The stale months
    are read one at a time and let go once summarised, so a rebuild holds one month, not the
    whole history: sent to worker processes now when there is much to read (their shutdown put
    on ``stack``), the rest read by the call returned."""
    kept = read_index(store.home, MONTHS)
    if not isinstance(kept, dict):
        kept = {}
    out: dict[str, dict[str, Any]] = {}
    stale: dict[str, Stamp] = {}
    for rel, stamp in stamps.items():
        old = kept.get(rel)
        if isinstance(old, dict) and _summary_ok(old) and old.get("stamp") == stamp:
            out[rel] = old
        else:
            stale[rel] = stamp
    sizes = {rel: stamp[1] for rel, stamp in stale.items()}
    workers = _workers()
    apart = None
    if workers > 1 and len(stale) > 1 and sum(sizes.values()) >= PARALLEL_BYTES:
        order = sorted(stale, key=sizes.__getitem__)
        apart = _summarise_apart(store, stale, order, workers, stack)

    def finish() -> dict[str, dict[str, Any]]:
        if apart is not None:
            out.update(apart())
        for rel, stamp in stale.items():
            if rel not in out:  # read here: a small rebuild, or a month a worker could not read
                out[rel] = _summarise(store.log_month_passing(rel).entry, stamp)
        if stale or set(kept) != set(stamps):
            write_index(store.home, MONTHS, {rel: out[rel] for rel in stamps})
        return out

    return finish


# Summarising is parsing, and parsing a month is the costly part of a rebuild (a large log's
# 60 months: seconds). When this much of the log must be read again (a first run, a cache
# deleted or from an older version), the months are read in worker processes, one month at a
# time each; below it, starting the workers would cost more than it saves.
PARALLEL_BYTES = 4 << 20


def _workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _summarise_apart(
    store: Store,
    stale: Mapping[str, Stamp],
    order: list[str],
    workers: int,
    stack: contextlib.ExitStack,
) -> Callable[[], dict[str, dict[str, Any]]]:
    """The months sent to ``workers`` processes, largest first; the call returned collects
    their summaries. A month a worker could not read is left out, to be read here (which says
    why, as any read does). Leaving ``stack`` stops the workers: the months not yet begun are
    cancelled, a caller that failed meanwhile waits only for the ones under way."""
    import concurrent.futures
    import multiprocessing

    # fork where it is the platform's own way (Linux): the workers start with this process's
    # imports instead of importing everything again
    method = "fork" if sys.platform.startswith("linux") else None
    pool = concurrent.futures.ProcessPoolExecutor(
        max_workers=min(workers, len(order)),
        mp_context=multiprocessing.get_context(method),
        initializer=_die_with,
        initargs=(os.getpid(),),
    )
    stack.callback(pool.shutdown, wait=True, cancel_futures=True)
    jobs = {
        pool.submit(_summarise_month, str(store.home), rel, stale[rel]): rel
        for rel in reversed(order)
    }

    def collect() -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for job in concurrent.futures.as_completed(jobs):
            try:
                summary, warnings = job.result()
            except (OSError, concurrent.futures.process.BrokenProcessPool) as exc:
                rebuilt(f"summary of {jobs[job]} in a worker", exc)
                continue
            if summary is not None:
                out[jobs[job]] = summary
            for message in warnings:
                store.warn(message)
        return out

    return collect


def _die_with(parent: int) -> None:
    """In a worker: end when ``parent`` ends, however it ends. A worker whose hrtrust was
    killed (``kill -9``, the OOM killer, a cron timeout) would otherwise wait forever on a
    queue no one reads, holding its memory. Linux ends it with the parent when asked with
    ``prctl(PR_SET_PDEATHSIG)``, reached through ctypes: the standard library has no call for
    it."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent was gone before the line above: end now
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _summarise_month(home: str, rel: str, stamp: Stamp) -> tuple[dict[str, Any] | None, list[str]]:
    """In a worker: one month's summary (None when it cannot be read: the caller reads it
    again, to report why) and the warnings reading it gave."""
    store = Store(Path(home))
    try:
        summary = _summarise(store.log_month_passing(rel).entry, stamp)
    except HrtrustError:
        return None, store.warnings
    return summary, store.warnings


def _summary_ok(s: Any) -> bool:
    return (
        isinstance(s, dict)
        and isinstance(s.get("newest"), int)
        and isinstance(s.get("people"), dict)
        and isinstance(s.get("depts"), dict)
        and all(isinstance(v, tuple) and len(v) == 3 for v in s["people"].values())
    )


def _merge(
    summaries: Mapping[str, Mapping[str, Any]], stamps: Mapping[str, Stamp]
) -> dict[str, Any]:
    people: dict[str, tuple[int, str]] = {}
    depts: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    newest = 0
    for rel, s in sorted(summaries.items()):
        newest = max(newest, s["newest"])
        for cid, (day, kind, _n) in s["people"].items():
            if cid not in people or day >= people[cid][0]:
                people[cid] = (day, kind)
        for name, day in s["depts"].items():
            if day > depts.get(name, 0):
                depts[name] = day
        counts[month_of(rel)] = {cid: v[2] for cid, v in s["people"].items()}
    return {
        "stamps": dict(stamps),
        "newest": newest,
        "people": people,
        "depts": depts,
        "counts": _recent_counts(counts, newest),
    }


def _first_counted(day: int) -> str:
    """The first month whose counts are kept, for a last day (an ordinal)."""
    d = dt.date.fromordinal(max(day, 1))
    n = d.year * 12 + d.month - 1 - COUNT_MONTHS
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _recent_counts(counts: dict[str, dict[str, int]], newest: int) -> dict[str, dict[str, int]]:
    first = _first_counted(newest)
    return {m: c for m, c in counts.items() if m >= first and c}


def merged_index(store: Store) -> dict[str, Any]:
    """The merged index, rebuilt (from the changed months only) when it is stale."""
    with contextlib.ExitStack() as stack:
        return _start_merged(store, stack)()


def _start_merged(store: Store, stack: contextlib.ExitStack) -> Callable[[], dict[str, Any]]:
    """:func:`merged_index`, begun now and finished by the call returned."""
    stamps = _stamps(store)
    merged = load(store, stamps)
    if merged is not None:
        return lambda: merged
    summaries = _start_summaries(store, stamps, stack)

    def finish() -> dict[str, Any]:
        built = _merge(summaries(), stamps)
        # Kept only if no month changed while it was read (a reader takes no lock): kept under
        # stamps older than what it read, a log's next step would add its entry a second time.
        if _stamps(store) == stamps:
            save(store, built)
        return built

    return finish


def touches(store: Store, as_of: dt.date) -> Touches:
    """Last touches on or before ``as_of``: entries after ``as_of`` never count.

    Read from the merged index when nothing in the log is later than ``as_of`` (the usual
    case); a replay with an earlier ``--today`` is summed from the month summaries up to
    ``as_of``'s month, that month summarised again without its later entries.
    """
    with touches_ahead(store, as_of) as touched:
        return touched()


@contextlib.contextmanager
def touches_ahead(store: Store, as_of: dt.date) -> Iterator[Callable[[], Touches]]:
    """:func:`touches`, begun on entering and given by the call yielded, so the caller can
    read other files meanwhile. When the index must be built again from much of the log (a
    first run, ``.cache/`` deleted), its months are being read by worker processes while the
    caller reads contacts and promises, instead of after. Leaving the block stops them."""
    with contextlib.ExitStack() as stack:
        merged_later = _start_merged(store, stack)
        yield functools.cache(lambda: _touches_as_of(store, merged_later(), as_of))


def _touches_as_of(store: Store, merged: dict[str, Any], as_of: dt.date) -> Touches:
    day = as_of.toordinal()
    if merged["newest"] <= day:
        out = _touches(merged["people"], merged["depts"], merged["counts"], as_of)
        out.latest = dt.date.fromordinal(merged["newest"]) if merged["newest"] else None
        return out
    summaries = _month_summaries(store, merged["stamps"])
    current = month_file(as_of)
    kept: dict[str, Mapping[str, Any]] = {}
    for rel, s in summaries.items():
        if rel > current:
            continue
        if rel == current and s["newest"] > day:
            s = _summarise((e for e in store.log_month(rel).entry if e.date <= as_of), None)
        kept[rel] = s
    m = _merge(kept, {})
    return _touches(m["people"], m["depts"], m["counts"], as_of)


def _touches(
    people: Mapping[str, tuple[int, str]],
    depts: Mapping[str, int],
    counts: Mapping[str, Mapping[str, int]],
    as_of: dt.date,
) -> Touches:
    from_ordinal = dt.date.fromordinal
    out = Touches()
    out.people = {cid: from_ordinal(day) for cid, (day, _) in people.items()}
    out.last_kind = _Kinds(people)
    out.depts = {name: from_ordinal(day) for name, day in depts.items()}
    out.counts = _Since(counts, _first_counted(as_of.toordinal()))
    return out


class _Kinds(Mapping[str, str]):
    """The kind of each person's last touch, looked up in the index's ``(day, kind)`` when
    asked (a plan asks for the dozen it shows, not for ten thousand)."""

    def __init__(self, people: Mapping[str, tuple[int, str]]) -> None:
        self._people = people

    def __getitem__(self, cid: str) -> str:
        return self._people[cid][1]

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)


class _Since(Mapping[str, Mapping[str, int]]):
    """The months of ``counts`` from ``first`` on: which months, known without reading
    their counts; a month's counts, read when it is."""

    def __init__(self, counts: Mapping[str, Mapping[str, int]], first: str) -> None:
        self._all, self._first = counts, first
        self._months: list[str] | None = None

    def _chosen(self) -> list[str]:
        if self._months is None:
            self._months = [m for m in self._all if m >= self._first]
        return self._months

    def __getitem__(self, month: str) -> Mapping[str, int]:
        if month < self._first:
            raise KeyError(month)
        return self._all[month]

    def __iter__(self) -> Iterator[str]:
        return iter(self._chosen())

    def __len__(self) -> int:
        return len(self._chosen())


def record(store: Store, rel: str, before: Stamp | None, entries: Iterable[Interaction]) -> None:
    """Bring the index up to date after ``entries`` were added to the month file ``rel``
    (whose stamp was ``before``). When the index did not reflect the file as it was, it is
    left stale, to be rebuilt by the next read. The day counts take the same step."""
    entries = list(entries)
    touch_days.record(store, rel, before, entries)
    kept = read_index(store.home, STEPS)  # the small part: the index itself is not read
    after = store.stamp(rel)
    if not isinstance(kept, dict) or after is None:
        return
    stamps, steps = kept.get("stamps"), kept.get("steps")
    if not isinstance(stamps, dict) or stamps.get(rel) != before or type(steps) is not list:
        return
    added = [
        (e.date.toordinal(), e.kind, list(e.with_), list(e.depts))
        for e in sorted(entries, key=entry_sort_key)
    ]
    stamps[rel] = after
    steps.append((rel, added))
    if len(steps) > FOLD_AFTER:
        merged = _opened(store, read_index(store.home, INDEX), kept, None)
        if merged is not None:
            save(store, merged)
        return
    write_index(store.home, STEPS, kept)


def recent_with(
    store: Store, contact_id: str, today: dt.date, limit: int = 5, *, raw: bool = False
) -> list[Interaction]:
    """The last few entries with one person up to ``today``, newest first, reading back month
    by month (``raw``: private texts as stored, for a caller that opens just these)."""
    out: list[Interaction] = []
    last = today.toordinal()
    for rel in reversed(store.log_months()):
        if rel > month_file(today):
            continue
        # the month's days and people first (nothing rebuilt), then only the days they were in
        days = {
            when for when, with_ in store.log_touches(rel) if when <= last and contact_id in with_
        }
        if not days:
            continue
        entries = sorted(store.entries_on(rel, days, raw=raw), key=entry_sort_key, reverse=True)
        out += [e for e in entries if contact_id in e.with_]
        if len(out) >= limit:
            break
    return out[:limit]


def last_touch_before(store: Store, people: set[str], day: dt.date) -> dict[str, dt.date | None]:
    """The last touch on or before ``day`` of each person, reading months backwards (each as
    its entries' days and people only: :meth:`Store.log_touches`).

    Only needed for people touched again after ``day``: none, usually, on a Monday morning.
    """
    found: dict[str, dt.date | None] = {}
    wanted = set(people)
    if not wanted:
        return found
    last = day.toordinal()
    for rel in reversed(store.log_months()):
        if rel > month_file(day):
            continue
        best: dict[str, int] = {}
        for when, with_ in store.log_touches(rel):
            if when <= last:
                for cid in with_:
                    if cid in wanted and when > best.get(cid, 0):
                        best[cid] = when
        for cid, when in best.items():  # months are read newest first: this is their last
            found[cid] = dt.date.fromordinal(when)
        wanted -= best.keys()
        if not wanted:
            break
    for cid in wanted:
        found[cid] = None
    return found


def check(store: Store, logs: Mapping[str, LogFile]) -> list[tuple[str, str]]:
    """(index, what is wrong) when the touch index, fresh by its stamps, disagrees with the
    month files as read by doctor (``logs``)."""
    stamps = _stamps(store)
    merged = load(store, stamps)
    if merged is None or set(logs) != set(stamps):
        return []
    truth = _merge({rel: _summarise(doc.entry, stamps[rel]) for rel, doc in logs.items()}, stamps)
    for key in ("newest", "people", "depts", "counts"):
        if merged[key] != truth[key]:
            return [(INDEX, _("the touch index's {key} disagree with the log").format(key=key))]
    return []
