"""The people index: everyone in ``contacts.toml`` as a plan asks about them.

``.cache/people.bin`` keeps an index of the contacts, made by the caller's ``index`` (the
domain's ``index_people``: the columns a plan reads, where this week's birthdays, moments and
newcomers are), and after it in the same file each person's validated record on its own, so a
plan decodes the dozen people it shows instead of ten thousand, and reads only their bytes.
It is keyed on the stamp of ``contacts.toml`` (mtime, size, inode), taken with the checks
every read makes, so a changed, unreadable or planted file is never answered from
it; a stale, damaged or foreign index is built again from the file.

It keeps the stored form only (as the records cache does): in an encrypted home a person's
private texts are masked, or opened after ``unlock``, as they are decoded, never before.
Derived and rebuildable, never the truth: delete it at will.
"""

from __future__ import annotations

import itertools
import marshal
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from hrtrust.errors import HrtrustError
from hrtrust.locale import _
from hrtrust.models import Contact, ContactsFile
from hrtrust.storage.cache import (
    DAMAGED,
    Tail,
    decode,
    encode,
    read_index_with_tail,
    rebuilt,
    write_index_with_tail,
)
from hrtrust.storage.paths import CONTACTS
from hrtrust.storage.store import Store

INDEX = "people.bin"
T = TypeVar("T")
Decode = Callable[[int], Contact]


def people(
    store: Store,
    index: Callable[[Sequence[Contact]], dict[str, Any]],
    make: Callable[[Mapping[str, Any], Decode], T],
) -> T:
    """Everyone in ``contacts.toml``: ``make(kept, decode)``, where ``kept`` is ``index`` of
    the contacts (read from ``.cache/`` when it was kept for exactly this file) and
    ``decode(i)`` the person at position ``i``. ``make`` raises ValueError, TypeError or
    KeyError for a kept index it cannot use; it is then built again."""
    stamp = store.read_stamp(CONTACTS)  # before reading, and with read's own checks
    got = read_index_with_tail(store.home, INDEX) if stamp is not None else None
    if got is not None:
        kept, tail = got
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
            try:
                payload = kept[1]
                ids, ends = payload["ids"], payload["ends"]
                if len(ends) != len(ids):
                    raise ValueError("people index records do not match its ids")
                return make(payload, _decoder(store, _Records(tail, ends), ids))
            except DAMAGED as exc:  # another layout, damaged or planted: built again
                rebuilt(f".cache/{INDEX}", exc)
    raw = store.read(ContactsFile, raw=True).contact
    payload = index(raw)
    if stamp is not None and store.stamp(CONTACTS) == stamp:  # unchanged while it was read
        one = [marshal.dumps(encode(c)) for c in raw]
        payload["ends"] = list(itertools.accumulate(len(r) for r in one))
        write_index_with_tail(store.home, INDEX, (stamp, _shared(payload)), b"".join(one))
    return make(payload, _decoder(store, None, payload["ids"], raw))


class _Records:
    """Each person's record, marshalled one after the other after the index in its file, read
    when that person is decoded (a plan decodes a dozen; reading ten thousand would cost more
    than all the columns): record ``i`` ends at ``ends[i]``."""

    def __init__(self, tail: Tail, ends: Sequence[int]) -> None:
        if (ends[-1] if ends else 0) != tail.size:  # a file cut short or run on: not ours
            raise ValueError("the records do not end where the file does")
        self.tail = tail
        self.ends = ends

    def __getitem__(self, i: int) -> Any:
        return marshal.loads(self.tail.read(self.ends[i - 1] if i else 0, self.ends[i]))


def _shared(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` with equal texts and tags in its columns made one object, which marshal
    keeps once and loads once (a department's name, not ten thousand copies of it)."""
    seen: dict[Any, Any] = {}
    for name in ("depts", "shifts", "tags"):
        payload[name] = [seen.setdefault(v, v) for v in payload[name]]
    return payload


def _decoder(
    store: Store, records: _Records | None, ids: list[str], raw: list[Contact] | None = None
) -> Decode:
    """``decode(i)``: the person at position ``i`` as :meth:`Store.read` shows them, decoded
    once (from ``raw`` when the index was just built from it). A kept record that does not
    decode, or decodes to someone else, is read from the file instead."""
    done: dict[int, Contact] = {}
    show = store.shown if store.encrypted() else None

    def one(i: int) -> Contact:
        got = done.get(i)
        if got is not None:
            return got
        if raw is not None:
            c = raw[i]
        else:
            assert records is not None
            try:
                c = decode(Contact, records[i])
                if type(c) is not Contact or c.id != ids[i]:
                    raise ValueError(f"record {i} is not {ids[i]!r}")
            except DAMAGED as exc:
                rebuilt(f".cache/{INDEX}", exc)
                c = _from_file(store, ids[i])
        done[i] = got = c if show is None else show(c)
        return got

    return one


def _from_file(store: Store, cid: str) -> Contact:
    for c in store.read(ContactsFile, raw=True).contact:
        if c.id == cid:
            return c
    raise HrtrustError(
        _("{index} does not match {file}: run `hrtrust doctor --fix`").format(
            index=f".cache/{INDEX}", file=CONTACTS
        )
    )


def people_differ(store: Store, index: Callable[[Sequence[Contact]], dict[str, Any]]) -> str | None:
    """What is wrong with the kept people index (for ``doctor``), or None: kept for the
    current ``contacts.toml``, it must be ``index`` of its contacts, and each kept record that
    person's validated record."""
    got = read_index_with_tail(store.home, INDEX)
    if got is None:
        return None
    kept, tail = got
    try:
        stamp = store.read_stamp(CONTACTS)
        if stamp is None or not isinstance(kept, tuple) or kept[0] != stamp:
            return None  # stale: built again by the next plan, nothing to check
        payload = dict(kept[1])
        raw = store.read(ContactsFile, raw=True).contact
        records = _Records(tail, payload.pop("ends"))
        if payload != _shared(index(raw)):
            return _("the people index differs from contacts.toml")
        if any(decode(Contact, records[i]) != c for i, c in enumerate(raw)):
            return _("the people index holds records that differ from contacts.toml")
    except DAMAGED:
        return _("not a cache hrtrust wrote")
    return None
