"""Derived data in ``.cache/``: never the truth, rebuilt when stale, damaged or missing.

Two kinds live there:

* **validated records** of a large data file (``records-<file>.bin``): the records exactly as
  validating the file produced them, keyed by the file's stamp (mtime, size, inode). A file
  that has not changed since it was validated is read back without parsing TOML or
  validating again; a changed stamp means the file is read and validated as usual. The
  records are written whenever the file is validated: when it is read, and when hrtrust
  writes it (every write validates what it writes first). A month of the log keeps its
  entries in runs by day (a reader unpacks only the days it needs), and the entries a log
  appends are noted in a small companion (``records-<file>-more.bin``) rather than the
  month's records being written again.
* **indexes** (``touches``, ``names``, ``promises``): small summaries that let a command read
  what its output needs instead of the whole history. Each names the stamps of the files it
  was built from; a stale one is rebuilt from the files.

Both are ``marshal`` data (plain values only: no class, no code is ever named, and loading
imports nothing). Anything unexpected in a cache file means "no cache": the truth is read
instead. ``hrtrust doctor`` rebuilds them all; deleting ``.cache/`` is always safe.
"""

from __future__ import annotations

import datetime as dt
import io
import marshal
import os
import stat
import types
import typing
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from hrtrust.record import Record
from hrtrust.storage.atomic import read_all, replace_file
from hrtrust.storage.paths import CACHE_DIR

M = TypeVar("M", bound=Record)

Stamp = tuple[int, int, int]  # (st_mtime_ns, st_size, st_ino)

# Files smaller than this are parsed directly. Even a 1 KB config pays for its records: parsing
# it is cheap, but validating it first builds the models' validators (~15 ms a run).
RECORDS_CACHE_MIN = 0

_VERSION = 12  # 12: contacts carry english_name, employee_number, shift, imported (and the name
# index the English name); 11: a broadcast is not a department's touch in the touch index


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def cache_folder(home: Path, *, create: bool = False) -> Path | None:
    """``.cache/`` when it is a real folder of the home (created 0700 if asked); None when it
    is missing, or is a symlink or anything but a folder: a cache is never followed elsewhere."""
    folder = home / CACHE_DIR
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
        except OSError:
            return None
        return folder
    except OSError:
        return None
    return folder if stat.S_ISDIR(st.st_mode) else None


# What a damaged, foreign or planted cache file can raise while it is read or decoded (marshal,
# the records' own decoding, a shape that is not what was written): caught where a cache is
# read, and the cache is rebuilt from the files. A bug elsewhere (NameError, AssertionError,
# RecursionError...) is not hidden behind it.
DAMAGED = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    EOFError,
    OverflowError,
    OSError,
)
# The caches this run could not use and rebuilt, with why: said under --debug, and by doctor.
REBUILT: list[str] = []


def rebuilt(what: str, exc: BaseException) -> None:
    """Note that the cache ``what`` could not be used (``exc``) and is rebuilt."""
    note = f"{what}: rebuilt ({type(exc).__name__})"
    if note not in REBUILT:
        REBUILT.append(note)


def _path(home: Path, name: str) -> Path:
    return home / CACHE_DIR / name


def _open(path: Path) -> tuple[int, os.stat_result]:
    """A cache file opened for reading, and its status; a symlink or anything but a regular
    file is an OSError (nothing left open)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def _pread(fd: int, n: int, at: int) -> bytes:
    """Exactly ``n`` bytes of ``fd`` from ``at`` (EOFError when the file holds fewer)."""
    got = os.pread(fd, n, at)
    if len(got) != n:
        raise EOFError("a cache file cut short while it was read")
    return got


def _read_bytes(path: Path) -> bytes:
    """A cache file's bytes; a symlink or anything but a regular file is an OSError."""
    fd, st = _open(path)
    try:
        return read_all(fd, st.st_size)
    finally:
        os.close(fd)


def read_index(home: Path, name: str) -> Any:
    """A derived index from ``.cache/`` (never the truth); None when absent or unreadable."""
    folder = cache_folder(home)
    if folder is None:
        return None
    try:
        version, payload = marshal.loads(_read_bytes(folder / name))
    except FileNotFoundError:
        return None  # not built yet
    except DAMAGED as exc:  # a damaged cache is never worth an error
        rebuilt(f".cache/{name}", exc)
        return None
    return payload if version == _VERSION else None


def write_index(home: Path, name: str, payload: Any) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk, a ``.cache``
    that is not a real folder) is just skipped."""
    try:
        data = marshal.dumps((_VERSION, payload))
    except ValueError:  # a value marshal cannot hold: no cache
        return
    _put(home, name, data)


class Tail:
    """The bytes after an index's own data in its file (:func:`read_index_with_tail`), read a
    range at a time from the file as it was opened (replaced files are new files: what is
    read is the very file the index came from)."""

    def __init__(self, fd: int, at: int, size: int) -> None:
        self._fd, self._at, self.size = fd, at, size
        weakref.finalize(self, os.close, fd)

    def read(self, start: int, end: int) -> bytes:
        """Bytes ``start`` to ``end`` of the tail (EOFError past its end)."""
        if not 0 <= start <= end <= self.size:
            raise EOFError(f"bytes {start}-{end} of a tail of {self.size}")
        return _pread(self._fd, end - start, self._at + start)


def write_index_with_tail(home: Path, name: str, payload: Any, tail: bytes) -> None:
    """:func:`write_index`, with ``tail`` after the index in the same file: bytes a reader
    reads a range at a time, when it needs them (best effort, as write_index is)."""
    try:
        head = marshal.dumps((_VERSION, payload))
    except ValueError:
        return
    _put(home, name, len(head).to_bytes(8, "little") + head + tail)


def read_index_with_tail(home: Path, name: str) -> tuple[Any, Tail] | None:
    """An index :func:`write_index_with_tail` wrote, and its tail, unread; None when absent,
    unreadable, damaged or of another version (said under ``--debug``, as read_index does).
    Only the index is read: a large tail costs nothing until a range of it is."""
    folder = cache_folder(home)
    if folder is None:
        return None
    try:
        fd, st = _open(folder / name)
    except FileNotFoundError:
        return None
    except OSError as exc:
        rebuilt(f".cache/{name}", exc)
        return None
    try:
        n = int.from_bytes(_pread(fd, 8, 0), "little")
        if not 0 < n <= st.st_size - 8:
            raise EOFError("not an index with a tail")
        version, payload = marshal.loads(_pread(fd, n, 8))
    except DAMAGED as exc:
        os.close(fd)
        rebuilt(f".cache/{name}", exc)
        return None
    if version != _VERSION:
        os.close(fd)
        return None
    return payload, Tail(fd, 8 + n, st.st_size - 8 - n)


def _put(home: Path, name: str, data: bytes) -> None:
    """:func:`write_index` of what is already marshalled (best effort, as it is)."""
    folder = cache_folder(home, create=True)
    if folder is None:
        return
    try:
        replace_file(folder / name, data, durable=False)
    except OSError:
        return


def drop_index(home: Path, name: str) -> None:
    folder = cache_folder(home)
    if folder is None:
        return
    try:
        os.unlink(folder / name)
    except OSError:
        return


# --------------------------------------------------------------------------- records


def records_name(rel: str) -> str:
    return "records-" + rel.replace("/", "-") + ".bin"


def records_path(home: Path, rel: str) -> Path:
    return _path(home, records_name(rel))


# How each field is kept: as is, a date as its ordinal, or a nested record.
_PLAIN, _DATE, _DATES, _MODEL, _MODELS = range(5)

_Spec = tuple[tuple[str, int, "type[Record] | None"], ...]
_SPECS: dict[type[Record], _Spec] = {}


def _kind(annotation: Any) -> tuple[int, type[Record] | None]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if annotation is dt.date:
        return _DATE, None
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _MODEL, annotation
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        inner, model = _kind(args[0])
        if inner in (_DATE, _MODEL):
            return inner, model
        if inner == _PLAIN:
            return _PLAIN, None
    if origin is list and len(args) == 1:
        if args[0] is dt.date:
            return _DATES, None
        if isinstance(args[0], type) and issubclass(args[0], Record):
            return _MODELS, args[0]
    if _holds_other(annotation):
        raise ValueError(f"no record encoding for {annotation!r}")
    return _PLAIN, None


def _holds_other(annotation: Any) -> bool:
    """True when a type mentions a date or a model somewhere we do not encode."""
    if annotation in (dt.date, dt.datetime, dt.time):
        return True
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return True
    return any(_holds_other(a) for a in typing.get_args(annotation))


def _spec(cls: type[Record]) -> _Spec:
    spec = _SPECS.get(cls)
    if spec is None:
        spec = tuple((name, *_kind(annotation)) for name, annotation in cls.field_types().items())
        _SPECS[cls] = spec
    return spec


def encode(model: Record) -> tuple[Any, ...]:
    """A validated record as plain values (its fields in order, then its unknown keys)."""
    values: list[Any] = []
    d = model.__dict__
    for name, kind, _ in _spec(type(model)):
        v = d[name]
        if v is None or kind == _PLAIN:
            values.append(v)
        elif kind == _DATE:
            values.append(v.toordinal())
        elif kind == _DATES:
            values.append([x.toordinal() for x in v])
        elif kind == _MODEL:
            values.append(encode(v))
        else:
            values.append([encode(x) for x in v])
    return (tuple(values), model.model_extra)


def decode(cls: type[M], rec: tuple[Any, ...]) -> M:
    """The record :func:`encode` kept, rebuilt without validating again (a record of another
    shape raises)."""
    return _decoder(cls)(*rec)  # type: ignore[no-any-return]


_DECODERS: dict[type[Record], Callable[[Any, Any], Any]] = {}

# A document with more records than this is decoded by functions compiled for its classes:
# they take half the time per record, and compiling them costs ~0.15 ms a class, which only
# pays back over hundreds of records.
COMPILE_OVER = 2000


def _decoder(cls: type[Record]) -> Callable[[Any, Any], Any]:
    """The function that rebuilds a record of ``cls`` from its stored values: a loop over the
    fields, or the compiled one once :func:`_compile` made it. None and empty lists are kept
    as stored (no date is ordinal 0)."""
    got = _DECODERS.get(cls)
    if got is not None:
        return got
    spec = _spec(cls)
    names = tuple(name for name, _, _ in spec)
    special = tuple(field for field in spec if field[1] != _PLAIN)
    from_ordinal = dt.date.fromordinal

    def decode_one(values: Any, extra: Any) -> Any:
        d = dict(zip(names, values, strict=True))  # plain fields in one C-level pass
        for name, kind, sub in special:
            v = d[name]
            if not v:
                continue
            if kind == _DATE:
                d[name] = from_ordinal(v)
            elif kind == _DATES:
                d[name] = [from_ordinal(x) for x in v]
            elif kind == _MODEL:
                d[name] = decode(sub, v)  # type: ignore[arg-type]  # a record class here
            else:
                d[name] = [decode(sub, x) for x in v]  # type: ignore[arg-type]
        obj = cls.__new__(cls)
        obj.__dict__ = d
        obj.model_extra = extra if type(extra) is dict else {}
        return obj

    _DECODERS[cls] = decode_one
    return decode_one


def _compile(cls: type[Record]) -> Callable[[Any, Any], Any]:
    """Replace the decoder of ``cls`` (and of the records it holds) by a function made for it,
    as dataclasses makes ``__init__``: one unpacking and one dict display with each field's
    conversion written in."""
    got = _DECODERS.get(cls)
    if got is not None and got.__name__ == "compiled":
        return got
    if cls in _COMPILING:  # a record that holds its own kind: that level keeps the loop
        return _decoder(cls)
    _COMPILING.add(cls)
    try:
        return _compile_one(cls)
    finally:
        _COMPILING.discard(cls)


_COMPILING: set[type[Record]] = set()


def _compile_one(cls: type[Record]) -> Callable[[Any, Any], Any]:
    spec = _spec(cls)
    scope: dict[str, Any] = {"new": cls.__new__, "cls": cls, "fo": dt.date.fromordinal}
    items = []
    for i, (name, kind, sub) in enumerate(spec):
        v = f"v{i}"
        if kind == _PLAIN:
            expr = v
        elif kind == _DATE:
            expr = f"fo({v}) if {v} else {v}"
        elif kind == _DATES:
            expr = f"[fo(x) for x in {v}] if {v} else {v}"
        else:
            assert sub is not None
            scope[f"d{i}"] = _compile(sub)
            one = f"d{i}(*{v})" if kind == _MODEL else f"[d{i}(*x) for x in {v}]"
            expr = f"{one} if {v} else {v}"
        items.append(f"{name!r}: {expr}")
    unpack = "".join(f"v{i}, " for i in range(len(spec)))
    source = (
        "def compiled(values, extra):\n"
        f"    ({unpack}) = values\n"
        "    obj = new(cls)\n"
        f"    obj.__dict__ = {{{', '.join(items)}}}\n"
        "    obj.model_extra = extra if type(extra) is dict else {}\n"
        "    return obj\n"
    )
    exec(source, scope)  # noqa: S102  (our own source, from the record's declaration)
    made: Callable[[Any, Any], Any] = scope["compiled"]
    _DECODERS[cls] = made
    return made


# -- a long list kept in runs ------------------------------------------------------------------
#
# A document may declare ``records_runs = (list field, key field, listed field)``: its records
# cache keeps that list as runs of consecutive records with the same key (a month's entries by
# day), each run marshalled on its own, and the listed field of every record beside them,
# sorted (the entries' ids: those of one day are found by bisection). A reader unpacks only
# the runs it needs: a week of a large month, or the last day, for a log that appends one
# entry without unpacking the month.

RUNS = "runs"
Runs = tuple[str, list[tuple[Any, bytes]], list[Any]]  # (RUNS, [(key, records)], sorted listed)
_RUN_FIELDS: dict[type[Record], tuple[int, int, int] | None] = {}


def run_fields(cls: type[Record]) -> tuple[int, int, int] | None:
    """(list field, key field, listed field) by position, for a document that keeps runs."""
    if cls in _RUN_FIELDS:
        return _RUN_FIELDS[cls]
    got = None
    declared = getattr(cls, "records_runs", None)
    if declared is not None:
        name, key, listed = declared
        spec = _spec(cls)
        at = [n for n, _, _ in spec].index(name)
        sub = spec[at][2]
        assert sub is not None and spec[at][1] == _MODELS, f"{cls.__name__}.{name}: not records"
        inner = [n for n, _, _ in _spec(sub)]
        got = (at, inner.index(key), inner.index(listed))
    _RUN_FIELDS[cls] = got
    return got


def pack_runs(recs: list[Any], key: int, listed: int) -> Runs:
    """Encoded records in runs of one key each, in order (a key may come back later)."""
    runs: list[tuple[Any, bytes]] = []
    start = 0
    for i in range(1, len(recs) + 1):
        if i == len(recs) or recs[i][0][key] != recs[start][0][key]:
            runs.append((recs[start][0][key], marshal.dumps(recs[start:i])))
            start = i
    return (RUNS, runs, sorted(r[0][listed] for r in recs))


def unpack_runs(packed: Any, keep: Callable[[Any], bool] | None = None) -> list[Any]:
    """The encoded records of the runs whose key ``keep`` accepts (all of them by default).
    Anything but runs raises ValueError (a cache of another shape is never trusted)."""
    if type(packed) is not tuple or len(packed) != 3 or packed[0] != RUNS:
        raise ValueError("not kept in runs")
    out: list[Any] = []
    for key, blob in packed[1]:
        if keep is None or keep(key):
            out += marshal.loads(blob)
    return out


def extend_runs(cls: type[Record], packed: Any, recs: list[Any]) -> Runs:
    """The runs ``packed`` of a ``cls`` document with encoded records added at the end of its
    list (only the last run is unpacked, and only when the first one joins it)."""
    fields = run_fields(cls)
    assert fields is not None, f"{cls.__name__} keeps no runs"
    _, key, listed = fields
    _, runs, names = packed
    runs, names = list(runs), sorted([*names, *(r[0][listed] for r in recs)])
    if recs and runs and runs[-1][0] == recs[0][0][key]:
        recs = [*marshal.loads(runs.pop()[1]), *recs]
    return (RUNS, runs + pack_runs(recs, key, listed)[1], names)


def _pack(cls: type[Record], rec: tuple[Any, ...]) -> tuple[Any, ...]:
    fields = run_fields(cls)
    if fields is None:
        return rec
    at, key, listed = fields
    values = list(rec[0])
    values[at] = pack_runs(values[at], key, listed)
    return (tuple(values), rec[1])


def _unpack(cls: type[Record], rec: tuple[Any, ...]) -> tuple[Any, ...]:
    fields = run_fields(cls)
    if fields is None:
        return rec
    values = list(rec[0])
    values[fields[0]] = unpack_runs(values[fields[0]])
    return (tuple(values), rec[1])


def decode_document(cls: type[M], rec: tuple[Any, ...]) -> M:
    """A whole document as :func:`save_records` kept it: with compiled decoders when it is
    large."""
    rec = _unpack(cls, rec)
    values = rec[0]
    if sum(len(v) for v in values if type(v) is list) > COMPILE_OVER:
        return _compile(cls)(*rec)  # type: ignore[no-any-return]
    return decode(cls, rec)


def load_records(home: Path, rel: str, stamp: Stamp, cls: type[M]) -> M | None:
    """The validated document kept for ``rel`` at exactly this stamp, or None."""
    got = fresh_records(home, rel, stamp, cls)
    if got is None:
        return None
    try:
        return decode_document(cls, got[2])
    except DAMAGED as exc:  # a damaged, foreign or planted cache: read the file itself
        rebuilt(f"records of {rel}", exc)
        return None


def save_records(home: Path, rel: str, stamp: Stamp, doc: Record, *, written: bool = False) -> None:
    """Keep a just-validated document for the next read (best effort). ``written``: the file
    holds exactly what hrtrust wrote for ``doc`` (not a hand edit it only read and checked),
    so more can be appended to its text as a rewrite would write it."""
    cls = type(doc)
    if run_fields(cls) is None and _long_lists(doc):
        try:
            data = _marshal_records(stamp, doc, written, os.urandom(8))
        except (ValueError, AttributeError):
            return
        _put(home, records_name(rel), data)
        return
    try:
        rec = _pack(cls, encode(doc))
    except (ValueError, AttributeError):
        return
    _save(home, rel, stamp, cls, rec, written)


# A document whose lists of records are this long (contacts.toml after a 50,000-row import) is
# kept a record at a time: :func:`_marshal_records`.
STREAM_MIN = 1000

# Marshal's format 2 refers to no object written before (3 and later do, by its place in the
# whole stream, which a piece marshalled alone cannot know): pieces of format 2 joined under
# the headers of their tuples and lists are one stream, read back as the whole would be.
_PIECES = 2


def _long_lists(doc: Record) -> list[str]:
    """The fields of ``doc`` that are lists of at least :data:`STREAM_MIN` records."""
    d = doc.__dict__
    return [
        name
        for name, kind, _ in _spec(type(doc))
        if kind == _MODELS and d[name] is not None and len(d[name]) >= STREAM_MIN
    ]


def _head(code: bytes, n: int) -> bytes:
    """The header of a marshalled tuple (``(``) or list (``[``) of ``n`` items."""
    return code + n.to_bytes(4, "little", signed=True)


def _marshal_records(stamp: Stamp, doc: Record, written: bool, token: bytes) -> bytes:
    """What ``write_index`` writes for ``_save(..., encode(doc), written)`` with this token,
    as it reads back (:func:`read_index`), made a record at a time: each record of a long
    list is encoded and marshalled on its own, into one buffer (no list of 50,000 encoded
    records, and no table of every object marshal has seen). A document that keeps runs is
    not done so (its list is packed in runs)."""
    long = _long_lists(doc)
    values, extra = encode(doc.model_copy(update=dict.fromkeys(long, [])))
    out = io.BytesIO()
    out.write(_head(b"(", 2) + marshal.dumps(_VERSION, _PIECES))
    out.write(_head(b"(", 5))
    out.write(marshal.dumps(stamp, _PIECES) + marshal.dumps(type(doc).__name__, _PIECES))
    out.write(_head(b"(", 2) + _head(b"(", len(values)))
    d = doc.__dict__
    for (name, _, _), value in zip(_spec(type(doc)), values, strict=True):
        if name not in long:
            out.write(marshal.dumps(value, _PIECES))
            continue
        records = d[name]
        out.write(_head(b"[", len(records)))
        for record in records:
            out.write(marshal.dumps(encode(record), _PIECES))
    out.write(marshal.dumps(extra, _PIECES))
    out.write(marshal.dumps(written, _PIECES) + marshal.dumps(token, _PIECES))
    return out.getvalue()  # the buffer itself, not a copy


def _save(home: Path, rel: str, stamp: Stamp, cls: type[Record], rec: Any, written: bool) -> None:
    # the token ties records appended later (``-more``) to exactly this copy; those noted
    # beside an earlier copy go (an entry since deleted must not linger there)
    write_index(home, records_name(rel), (stamp, cls.__name__, rec, written, os.urandom(8)))
    if run_fields(cls) is not None:
        drop_index(home, _more_name(rel))


# Records appended to a file that keeps runs (a log entry added to its month) are kept in a
# small companion, ``records-<file>-more.bin``, naming the copy of the records they follow (its
# token and stamp) and the file's stamp with them: a log writes a few hundred bytes, not the
# month's records again. Past this many they are folded into the records.
MORE_AT_MOST = 64

# (stamp, class name, records, written, (token, stamp of the copy, records appended to it))
Kept = tuple[Stamp, str, Any, bool, tuple[bytes, Stamp, list[Any]]]


def _more_name(rel: str) -> str:
    return records_name(rel).removesuffix(".bin") + "-more.bin"


def fresh_records(home: Path, rel: str, stamp: Stamp, cls: type[Record]) -> Kept | None:
    """The kept records of ``rel`` (a ``cls`` document) as stored, with any appended since,
    when they are for exactly this stamp; None otherwise (absent, stale, damaged, planted)."""
    got = read_index(home, records_name(rel))
    if got is None:
        return None  # not kept yet (or unreadable: read_index said so)
    try:
        base_stamp, name, rec, written, token = got
        base_stamp = tuple(base_stamp)
        if name != cls.__name__ or type(token) is not bytes:
            return None
        if base_stamp == stamp:
            return (stamp, name, rec, written, (token, base_stamp, []))
        fields = run_fields(cls)
        if fields is None:  # nothing is ever noted beside its records
            return None
        more = read_index(home, _more_name(rel))
        if not (
            isinstance(more, dict)
            and more["token"] == token
            and tuple(more["from"]) == base_stamp
            and tuple(more["stamp"]) == stamp
            and type(more["more"]) is list
        ):
            return None
        at, key, listed = fields
        values = list(rec[0])
        _, runs, names = values[at]  # the records noted beside as runs of their own
        added = pack_runs(more["more"], key, listed)
        values[at] = (RUNS, [*runs, *added[1]], sorted([*names, *added[2]]))
        return (stamp, name, (tuple(values), rec[1]), written, (token, base_stamp, more["more"]))
    except DAMAGED as exc:
        rebuilt(f"records of {rel}", exc)
        return None


def keep_appended(
    home: Path, rel: str, stamp: Stamp, cls: type[Record], kept: Kept, added: list[Any]
) -> None:
    """After hrtrust appended records ``added`` to ``rel`` (kept as ``kept`` before; its
    stamp is now ``stamp``): note them in the companion, or, once there are more than
    :data:`MORE_AT_MOST`, keep the records with them again, whole."""
    token, base_stamp, more = kept[4]
    more = [*more, *added]
    if len(more) > MORE_AT_MOST:
        fields = run_fields(cls)
        assert fields is not None, f"{cls.__name__} keeps no runs"
        values, extra = kept[2]
        values = list(values)
        values[fields[0]] = extend_runs(cls, values[fields[0]], added)
        _save(home, rel, stamp, cls, (tuple(values), extra), kept[3])
        return
    payload = {"token": token, "from": base_stamp, "stamp": stamp, "more": more}
    write_index(home, _more_name(rel), payload)


def keyed_index(
    home: Path, name: str, stamp: Stamp, build: Callable[[], Any], *, save: bool = True
) -> Any:
    """The index ``name`` built from one file with this stamp; rebuilt (and kept) when stale."""
    got = read_index(home, name)
    try:
        if isinstance(got, tuple) and len(got) == 2 and tuple(got[0]) == stamp:
            return got[1]
    except TypeError:  # a planted or foreign index: rebuild it
        pass
    payload = build()
    if save:
        write_index(home, name, (stamp, payload))
    return payload
