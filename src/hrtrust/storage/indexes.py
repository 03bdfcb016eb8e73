"""Indexes that let a command read what its output needs: the open promises (not the years
of closed ones) and the people's names (to resolve ``--with maria`` without reading every
contact). Each is derived from one file and keyed by its stamp (mtime, size, inode): a changed
file means a rebuilt index. Never the truth; ``hrtrust doctor`` rebuilds them.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Callable
from typing import Any

from hrtrust.models import ContactsFile, Promise, PromisesFile
from hrtrust.storage.cache import decode, encode, keyed_index, read_index
from hrtrust.storage.paths import CONTACTS, PROMISES
from hrtrust.storage.store import Store

PROMISES_INDEX = "promises.bin"
NAMES_INDEX = "names.bin"


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _build_promises(store: Store) -> dict[str, Any]:
    open_: list[Any] = []
    closed: dict[str, list[Any]] = {}
    for n, p in enumerate(store.read(PromisesFile).promise):
        if p.status == "open" or p.closed is None:
            open_.append((n, encode(p)))
        else:
            closed.setdefault(_month(p.closed), []).append((n, encode(p)))
    return {
        "open": marshal.dumps(open_),
        "closed": {m: marshal.dumps(recs) for m, recs in closed.items()},
    }


def live_promises(store: Store, closed_since: dt.date | None = None) -> list[Promise]:
    """The open promises (and, with ``closed_since``, those closed on or after that day), in
    file order, without reading the promises closed in earlier months."""
    stamp = store.stamp(PROMISES)
    if stamp is None:
        return []
    try:
        index = keyed_index(store.home, PROMISES_INDEX, stamp, lambda: _build_promises(store))
        recs = list(marshal.loads(index["open"]))
        if closed_since is not None:
            first = _month(closed_since)
            for month, blob in index["closed"].items():
                if month >= first:
                    recs += marshal.loads(blob)
        recs.sort(key=lambda r: r[0])
        found = [decode(Promise, r) for _, r in recs]
    except (KeyError, TypeError, ValueError, EOFError):
        return _from_file(store, closed_since)
    return [p for p in found if _live(p, closed_since)]


def _live(p: Promise, closed_since: dt.date | None) -> bool:
    if p.status == "open" or p.closed is None:
        return True
    return closed_since is not None and p.closed >= closed_since


def _from_file(store: Store, closed_since: dt.date | None) -> list[Promise]:
    return [p for p in store.read(PromisesFile).promise if _live(p, closed_since)]


def name_index(store: Store, key: Callable[[str], str]) -> list[tuple[str, str, str | None, str]]:
    """Every contact as (id, name, department, ``key(name)``: the name as lookups compare
    it, folded and without spaces), from the index."""
    stamp = store.stamp(CONTACTS)
    if stamp is None:
        return []

    def build() -> list[tuple[str, str, str | None, str]]:
        return [(c.id, c.name, c.dept, key(c.name)) for c in store.read(ContactsFile).contact]

    got = keyed_index(store.home, NAMES_INDEX, stamp, build)
    if not isinstance(got, list):
        return build()
    return got


def check(store: Store, promises: PromisesFile | None) -> list[tuple[str, str]]:
    """(index, what is wrong) when the promise index, fresh by its stamp, does not hold the
    open promises of ``promises`` (the file as doctor read it)."""
    stamp = store.stamp(PROMISES)
    got = read_index(store.home, PROMISES_INDEX)
    if promises is None or stamp is None or not isinstance(got, tuple) or tuple(got[0]) != stamp:
        return []
    try:
        shown = [decode(Promise, r) for _, r in marshal.loads(got[1]["open"])]
    except (KeyError, TypeError, ValueError, EOFError, IndexError):
        return [(PROMISES_INDEX, "the promise index cannot be read")]
    if shown != [p for p in promises.promise if p.status == "open" or p.closed is None]:
        return [(PROMISES_INDEX, "the open promises in the index differ from promises.toml")]
    return []
