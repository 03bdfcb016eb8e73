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
from hrtrust.storage.cache import decode, encode, keyed_index, read_index, write_index
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


# The name index, as kept: the keys (names folded, without spaces) joined by a NUL, the ids
# folded and joined likewise, and each contact as "id<US>name<US>dept" (no dept: two parts).
# One string is searched with ``str.find`` and rows are split only for the matches; loading
# strings costs nothing next to 10,000 tuples. A name or id holding a separator is kept as rows.
_SEP, _UNIT = "\x00", "\x1f"
Row = tuple[str, str, str | None]


def name_finder(store: Store, key: Callable[[str], str]) -> Callable[[str, str], list[Row]]:
    """A lookup in the name index: given ``needle`` (a folded reference) and ``squashed``
    (it without spaces), every contact (id, name, department) whose ``key(name)`` holds
    ``squashed`` or whose folded id is ``needle``, in file order."""
    stamp = store.stamp(CONTACTS)
    if stamp is None:
        return lambda needle, squashed: []

    def build() -> Any:
        return names_kept([(c.id, c.name, c.dept) for c in store.read(ContactsFile).contact], key)

    index = keyed_index(store.home, NAMES_INDEX, stamp, build)

    def find(needle: str, squashed: str) -> list[Row]:
        nonlocal index
        try:
            return _search(index, needle, squashed)
        except Exception:  # an index of another shape, damaged or planted: rebuilt
            index = build()
            write_index(store.home, NAMES_INDEX, (stamp, index))  # rebuilt once, and kept
            return _search(index, needle, squashed)

    return find


def names_kept(rows: list[Row], key: Callable[[str], str]) -> Any:
    """The name index of these contacts (id, name, department), as kept."""
    keys = [key(name) for _, name, _ in rows]
    texts = [*keys, *(t for row in rows for t in row if t is not None)]
    if any(_SEP in t or _UNIT in t for t in texts):
        return ("rows", [(*row, k) for row, k in zip(rows, keys, strict=True)])
    packed = [_UNIT.join(r[:2] if r[2] is None else r) for r in rows]  # type: ignore[arg-type]
    return ("joined", _SEP.join(keys), _SEP.join(cid.casefold() for cid, _, _ in rows), packed)


def _search(index: Any, needle: str, squashed: str) -> list[Row]:
    if index[0] == "rows":
        return [
            (cid, name, dept)
            for cid, name, dept, k in index[1]
            if (squashed and squashed in k) or cid.casefold() == needle
        ]
    _, keys, ids, rows = index
    if not rows:  # "" joins no items and one empty item alike
        return []
    found: set[int] = set()
    if squashed and _SEP not in squashed:
        found.update(_items_holding(keys, squashed))
    if _SEP not in needle:  # the id itself: the item from separator to separator
        found.update(_items_holding(_SEP + ids + _SEP, _SEP + needle + _SEP, pad=1))
    out: list[Row] = []
    for n in sorted(found):
        parts = rows[n].split(_UNIT)
        out.append((parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    return out


def _items_holding(text: str, part: str, pad: int = 0) -> list[int]:
    """The numbers of the NUL-separated items of ``text`` that hold ``part`` (after ``pad``
    leading separators), counting separators as the search moves on: linear in ``text``."""
    out: list[int] = []
    separators, counted = 0, 0
    at = text.find(part)
    while at != -1:
        separators += text.count(_SEP, counted, at + pad)
        counted = at + pad
        n = separators - pad
        if not out or out[-1] != n:
            out.append(n)
        at = text.find(part, at + 1)
    return out


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
