"""The interaction log: adding, finding, correcting entries, and when each person was last seen.

Entries live in one file per month (``log/2026-11.toml``), so logging one meeting rewrites one
small file however long the history. When each person and department was last touched comes from
a derived index in ``.cache/touches.json``: a summary per month file, keyed by that file's size
and modification time, recomputed only for the month files that changed. Delete it at will.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hrtrust.domain.people import fold
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.models import Contact, Interaction, LogFile, entry_sort_key
from hrtrust.storage.cache import read_cache, write_cache
from hrtrust.storage.paths import month_file
from hrtrust.storage.store import Store, Transaction

INDEX = "touches.json"
INDEX_VERSION = 2


@dataclass
class Touches:
    """When each person (by id) and department (by name) was last touched, and how often.

    ``counts`` holds, per month (``"2026-11"``), the number of touches per person id.
    """

    people: dict[str, dt.date] = field(default_factory=dict)
    last_kind: dict[str, str] = field(default_factory=dict)
    depts: dict[str, dt.date] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def dept_last(self, dept: str, contacts: Iterable[Contact]) -> dt.date | None:
        """A department's last touch: an entry for it, or a touch of anyone in it."""
        days = [self.depts[dept]] if dept in self.depts else []
        days += [self.people[c.id] for c in contacts if c.dept == dept and c.id in self.people]
        return max(days) if days else None

    def count_since(self, contact_id: str, since: dt.date) -> int:
        """Touches of a person in the months from ``since``'s month on (month granularity)."""
        first = f"{since.year:04d}-{since.month:02d}"
        return sum(m.get(contact_id, 0) for month, m in self.counts.items() if month >= first)


def _summarise(log: LogFile) -> dict[str, object]:
    people: dict[str, list[object]] = {}
    depts: dict[str, str] = {}
    for e in sorted(log.entry, key=entry_sort_key):
        day = e.date.isoformat()
        for cid in e.with_:
            count = int(str(people[cid][2])) + 1 if cid in people else 1
            people[cid] = [day, e.kind, count]
        if e.dept:
            depts[e.dept] = max(depts.get(e.dept, ""), day)
    return {"people": people, "depts": depts}


def touches(store: Store) -> Touches:
    """Last touches, from the index; only changed month files are read again."""
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
            fresh[rel] = {"stamp": stamp, **_summarise(store.log_month(rel))}
            changed = True
    if changed or set(fresh) != set(months):
        write_cache(store.home, INDEX, {"version": INDEX_VERSION, "months": fresh})
    out = Touches()
    for rel, summary in sorted(fresh.items()):
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
    return out


def next_entry_id(log: LogFile, day: dt.date) -> str:
    """``2026-11-23.3``: the day, then the next number within that day."""
    prefix = f"{day.isoformat()}."
    used = [
        int(e.id[len(prefix) :])
        for e in log.entry
        if e.id.startswith(prefix) and e.id[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(used, default=0) + 1}"


def add_entry(txn: Transaction, entry: Interaction) -> Interaction:
    """Append ``entry`` to its month file, giving it an id."""
    rel = month_file(entry.date)
    log = txn.get(LogFile, rel)
    entry.id = next_entry_id(log, entry.date)
    log.entry.append(entry)
    log.entry.sort(key=entry_sort_key)
    txn.save(log, rel)
    return entry


def find_entry(txn: Transaction, entry_id: str) -> tuple[LogFile, str, Interaction]:
    """The month file and entry for an id like ``2026-11-23.2``."""
    day_text, _, _ = entry_id.partition(".")
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        raise UsageError(
            f"{entry_id!r} is not a log entry id", hint="ids look like 2026-11-23.2; see `log list`"
        ) from None
    rel = month_file(day)
    log = txn.get(LogFile, rel)
    for e in log.entry:
        if e.id == entry_id:
            return log, rel, e
    raise NotFoundError(f"no log entry {entry_id}", hint="see `hrtrust log list`")


def search(
    store: Store,
    *,
    person: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str | None = None,
    kind: str | None = None,
) -> list[Interaction]:
    """Entries matching every given filter, newest first."""
    needle = fold(text) if text else None
    out = []
    for e in store.iter_log(since, until):
        if person and person not in e.with_:
            continue
        if kind and e.kind != kind:
            continue
        if needle and needle not in fold(" ".join([e.note or "", *e.learned, e.kind])):
            continue
        out.append(e)
    out.reverse()
    return out


def recent_for(store: Store, contact_id: str, today: dt.date, limit: int = 5) -> list[Interaction]:
    """The last few entries with one person, newest first, reading back month by month."""
    out: list[Interaction] = []
    for rel in reversed(store.log_months()):
        entries = sorted(store.log_month(rel).entry, key=entry_sort_key, reverse=True)
        out += [e for e in entries if contact_id in e.with_ and e.date <= today]
        if len(out) >= limit:
            break
    return out[:limit]


def shared_dept(people: Sequence[Contact]) -> str | None:
    """The department all these people share, if they share one."""
    depts = {p.dept for p in people}
    return depts.pop() if len(depts) == 1 else None
