"""Indexes that let a command read what its output needs: the open promises (not the years
of closed ones) and the people's names (to resolve ``--with maria`` without reading every
contact). Each is derived from one file and keyed by its stamp (mtime, size, inode): a changed
file means a rebuilt index. Never the truth; ``hrtrust doctor`` rebuilds them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
from collections.abc import Callable
from typing import Any

from hrtrust.locale import _
from hrtrust.models import ContactsFile, Promise, PromisesFile
from hrtrust.storage.cache import (
    DAMAGED,
    decode,
    encode,
    keyed_index,
    read_index,
    rebuilt,
    write_index,
)
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


# The name index, as kept: one UTF-8 byte string, each contact as "key<US>folded id<US>id<US>
# name<US>dept<US>English name" (the key: the name folded, without spaces, then <RS> and the
# English name so, when there is one; no English name: five parts; no dept either: four; an
# English name but no dept: <RS> as the dept), joined by a NUL. A lookup is
# ``bytes.find`` over it (UTF-8 matches fall on whole characters), and only the contacts it
# hits are decoded and split: loading bytes costs nothing next to 10,000 tuples, or to
# decoding 10,000 names. A text holding a separator (NUL, US, RS), or that is not valid
# Unicode, is kept as rows instead.
_SEP, _UNIT, _RECORD = b"\x00", b"\x1f", b"\x1e"
_RS = _RECORD.decode()
Row = tuple[str, str, str | None, str | None]  # id, name, dept, English name


def name_finder(store: Store, key: Callable[[str], str]) -> Callable[[str, str], list[Row]]:
    """A lookup in the name index: given ``needle`` (a folded reference) and ``squashed``
    (it without spaces), every contact (id, name, department, English name) whose
    ``key(name)`` or ``key(English name)`` holds ``squashed`` or whose folded id is
    ``needle``, in file order."""
    stamp = store.stamp(CONTACTS)
    if stamp is None:
        return lambda needle, squashed: []

    def build() -> Any:
        contacts = store.read(ContactsFile).contact
        return names_kept([(c.id, c.name, c.dept, c.english_name) for c in contacts], key)

    index = keyed_index(store.home, NAMES_INDEX, stamp, build)

    def find(needle: str, squashed: str) -> list[Row]:
        nonlocal index
        try:
            return _search(index, needle, squashed)
        except DAMAGED as exc:  # an index of another shape, damaged or planted: rebuilt
            rebuilt(f".cache/{NAMES_INDEX}", exc)
            index = build()
            write_index(store.home, NAMES_INDEX, (stamp, index))  # rebuilt once, and kept
            return _search(index, needle, squashed)

    return find


def names_kept(rows: list[Row], key: Callable[[str], str]) -> Any:
    """The name index of these contacts (id, name, department, English name), as kept."""
    items = [
        [
            key(name) + ("" if english is None else _RS + key(english)),
            cid.casefold(),
            cid,
            name,
            *([] if dept is None and english is None else [_RS if dept is None else dept]),
            *([] if english is None else [english]),
        ]
        for cid, name, dept, english in rows
    ]
    texts = (t for row in rows for t in row if t is not None)
    if not any("\x00" in t or "\x1f" in t or _RS in t for t in texts):
        with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate: kept as rows
            return ("items", "\x00".join("\x1f".join(item) for item in items).encode("utf-8"))
    return (
        "rows",
        [(*row, [key(row[1]), *([] if row[3] is None else [key(row[3])])]) for row in rows],
    )


def _search(index: Any, needle: str, squashed: str) -> list[Row]:
    if index[0] == "rows":
        return [
            (cid, name, dept, english)
            for cid, name, dept, english, keys in index[1]
            if (squashed and any(squashed in k for k in keys)) or cid.casefold() == needle
        ]
    kind, text = index
    if kind != "items" or type(text) is not bytes:
        raise ValueError(f"a name index of another kind: {kind!r}")
    hits: dict[int, bytes] = {}  # where a contact starts: its bytes
    name_part, id_part = _utf8(squashed), _utf8(needle)
    if name_part and _SEP not in name_part and _UNIT not in name_part and _RECORD not in name_part:
        size = len(name_part)  # inside the key: it ends before the contact's first <US>
        _hits(text, name_part, lambda start, at: at + size <= text.find(_UNIT, start), hits)
    if id_part is not None and _SEP not in id_part and _UNIT not in id_part:
        # the whole of the second part: the <US> before it is the contact's first
        _hits(text, _UNIT + id_part + _UNIT, lambda start, at: text.find(_UNIT, start) == at, hits)
    out: list[Row] = []
    for start in sorted(hits):
        parts = hits[start].decode("utf-8").split("\x1f")
        dept = parts[4] if len(parts) > 4 and parts[4] != _RS else None
        out.append((parts[2], parts[3], dept, parts[5] if len(parts) > 5 else None))
    return out


def _utf8(text: str) -> bytes | None:
    """``text`` as UTF-8; None for text no kept name can hold (a lone surrogate)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _hits(
    text: bytes, part: bytes, where: Callable[[int, int], bool], hits: dict[int, bytes]
) -> None:
    """Add to ``hits`` each contact of ``text`` in which ``part`` first occurs where ``where``
    (the contact's start, the occurrence) accepts; then on to the next contact."""
    at = text.find(part)
    while at != -1:
        start = text.rfind(_SEP, 0, at) + 1
        end = text.find(_SEP, at + 1)
        end = len(text) if end == -1 else end
        if where(start, at):
            hits[start] = text[start:end]
        at = text.find(part, end)


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
        return [(PROMISES_INDEX, _("the promise index cannot be read"))]
    if shown != [p for p in promises.promise if p.status == "open" or p.closed is None]:
        return [(PROMISES_INDEX, _("the open promises in the index differ from promises.toml"))]
    return []
