"""Reads of the interaction log that must not cost the whole history.

When each person and department was last touched comes from a derived index in
``.cache/touches.json``: a summary per month file, keyed by that file's size and modification
time, recomputed only for the month files that changed. Delete it at will.
"""

from __future__ import annotations

import datetime as dt

from hrtrust.models import Interaction, Touches, entry_sort_key
from hrtrust.storage.cache import read_cache, write_cache
from hrtrust.storage.paths import month_file
from hrtrust.storage.store import Store

INDEX = "touches.json"
INDEX_VERSION = 3


def _summarise(entries: list[Interaction]) -> dict[str, object]:
    people: dict[str, list[object]] = {}
    depts: dict[str, str] = {}
    for e in sorted(entries, key=entry_sort_key):
        day = e.date.isoformat()
        for cid in e.with_:
            count = int(str(people[cid][2])) + 1 if cid in people else 1
            people[cid] = [day, e.kind, count]
        for name in e.depts:
            depts[name] = max(depts.get(name, ""), day)
    return {"people": people, "depts": depts}


def touches(store: Store, as_of: dt.date) -> Touches:
    """Last touches on or before ``as_of``, from the index; only changed month files are read
    again. Month files after ``as_of`` are left out, and the month of ``as_of`` is summarised
    again without its later entries when it has any (a replay with ``--today``)."""
    cached = read_cache(store.home, INDEX)
    months: dict[str, dict[str, object]] = {}
    if isinstance(cached, dict) and cached.get("version") == INDEX_VERSION:
        months = cached.get("months", {})
    fresh: dict[str, dict[str, object]] = {}
    changed = False
    for rel in store.log_months():
        st = store.path(rel).stat()
        stamp = [st.st_mtime_ns, st.st_size]
        old = months.get(rel)
        if isinstance(old, dict) and old.get("stamp") == stamp:
            fresh[rel] = old
        else:
            fresh[rel] = {"stamp": stamp, **_summarise(store.log_month(rel).entry)}
            changed = True
    if changed or set(fresh) != set(months):
        write_cache(store.home, INDEX, {"version": INDEX_VERSION, "months": fresh})
    current = month_file(as_of)
    out = Touches()
    for rel, summary in sorted(fresh.items()):
        if rel > current:
            continue
        if rel == current and _has_after(summary, as_of):
            entries = [e for e in store.log_month(rel).entry if e.date <= as_of]
            summary = _summarise(entries)
        _merge(out, rel, summary)
    return out


def _has_after(summary: dict[str, object], as_of: dt.date) -> bool:
    day = as_of.isoformat()
    people, depts = summary.get("people"), summary.get("depts")
    return (isinstance(people, dict) and any(v[0] > day for v in people.values())) or (
        isinstance(depts, dict) and any(v > day for v in depts.values())
    )


def _merge(out: Touches, rel: str, summary: dict[str, object]) -> None:
    month = rel.rsplit("/", 1)[-1].removesuffix(".toml")
    people = summary.get("people")
    if isinstance(people, dict):
        out.counts[month] = {cid: int(v[2]) for cid, v in people.items()}
        for cid, (day, kind, _) in people.items():
            d = dt.date.fromisoformat(day)
            if cid not in out.people or d >= out.people[cid]:
                out.people[cid] = d
                out.last_kind[cid] = kind
    depts = summary.get("depts")
    if isinstance(depts, dict):
        for name, day in depts.items():
            d = dt.date.fromisoformat(day)
            if name not in out.depts or d > out.depts[name]:
                out.depts[name] = d


def recent_with(
    store: Store, contact_id: str, today: dt.date, limit: int = 5, *, raw: bool = False
) -> list[Interaction]:
    """The last few entries with one person up to ``today``, newest first, reading back month
    by month (``raw``: private texts as stored, for a caller that opens just these)."""
    out: list[Interaction] = []
    for rel in reversed(store.log_months()):
        if rel > month_file(today):
            continue
        entries = sorted(store.log_month(rel, raw=raw).entry, key=entry_sort_key, reverse=True)
        out += [e for e in entries if contact_id in e.with_ and e.date <= today]
        if len(out) >= limit:
            break
    return out[:limit]


def last_touch_before(store: Store, people: set[str], day: dt.date) -> dict[str, dt.date | None]:
    """The last touch on or before ``day`` of each person, reading months backwards.

    Only needed for people touched again after ``day``: none, usually, on a Monday morning.
    """
    found: dict[str, dt.date | None] = {}
    wanted = set(people)
    if not wanted:
        return found
    for rel in reversed(store.log_months()):
        if rel > month_file(day):
            continue
        for e in sorted(store.log_month(rel).entry, key=entry_sort_key, reverse=True):
            if e.date > day:
                continue
            for cid in e.with_:
                if cid in wanted:
                    found[cid] = e.date
                    wanted.discard(cid)
        if not wanted:
            break
    for cid in wanted:
        found[cid] = None
    return found
