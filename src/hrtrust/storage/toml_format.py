"""TOML in and out: stable bytes on write, errors that name file:line:col on read."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import tomli
import tomli_w

# pydantic.ValidationError is this class; importing it from pydantic costs pydantic.errors
from pydantic_core import ValidationError

from hrtrust.errors import DataFileError
from hrtrust.locale import N_, _
from hrtrust.models import MAX_DEPTH, Document, lazy_re, nesting_depth, to_toml_dict
from hrtrust.record import Record

D = TypeVar("D", bound=Document)
R = TypeVar("R", bound=Record)

# said with _()
HAND_EDIT_HINT = N_("fix the file by hand (hrtrust never overwrites a file it cannot read)")

_TOML_POS = lazy_re(r"^(?P<msg>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def dumps(doc: Document) -> str:
    """Serialise a document: same data, same bytes.

    Every array of tables is written as ``[[name]]`` sections, never inline. tomli_w inlines
    arrays whose tables are all short, so one record growing past a line would reformat the
    whole file (churn in git), and error messages could not name the line of a record.
    """
    return "".join(_table_chunks(to_toml_dict(doc), ""))


BY_ITEM_MIN = 1000  # records in a list at which a document declaring it is checked item by item


def dumps_checked(doc: D, where: str) -> tuple[str, D]:
    """Serialise a document after validating what will be written (every write does this):
    the text, and the document as reading that text back gives it.

    A document that declares ``checked_by_item`` (its long list of records, as contacts.toml
    its people) is done a record at a time when the list is long: each record's TOML data,
    check and text exist only while it is done, and a checked record equal to the one given
    is the one given, so a large file is not held three times over while it is written. The
    bytes and the document are the same either way."""
    by_item = getattr(type(doc), "checked_by_item", None)
    if by_item is not None and len(getattr(doc, by_item[0])) >= BY_ITEM_MIN:
        done = _dumps_checked_by_item(doc, where, *by_item)
        if done is not None:
            blocks, checked = done
            return "".join(blocks), checked
    data = to_toml_dict(doc)
    checked = _validated(type(doc), data, where, ())
    return "".join(_table_chunks(data, "")), checked


def dumps_checked_bytes(doc: D, where: str) -> tuple[bytes, D]:
    """:func:`dumps_checked`, as the UTF-8 bytes a write puts on disk. A long document is
    encoded a block at a time, so its text is never held whole beside its bytes (50,000
    people with Chinese names: 19 MiB of text for 9 MiB of bytes)."""
    by_item = getattr(type(doc), "checked_by_item", None)
    if by_item is not None and len(getattr(doc, by_item[0])) >= BY_ITEM_MIN:
        done = _dumps_checked_by_item(doc, where, *by_item, encode=True)
        if done is not None:
            blocks, checked = done
            return b"".join(blocks), checked
    text, checked = dumps_checked(doc, where)
    return text.encode("utf-8"), checked


def _validated(cls: type[R], data: Mapping[str, Any], where: str, at: tuple[Any, ...]) -> R:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise DataFileError(
            _("{path}: refusing to write {field}: {why}").format(
                path=where, field=_format_loc((*at, *err["loc"])), why=err["msg"]
            ),
            hint=_("no file was changed"),
        ) from exc


def _dumps_checked_by_item(
    doc: D, where: str, name: str, item_cls: type[Record], *, encode: bool = False
) -> tuple[list[Any], D] | None:
    """:func:`dumps_checked` a record of the list ``name`` at a time, as blocks of its text
    (``encode``: of its UTF-8 bytes) to be joined; None when the document is not shaped for
    it (another table, or a key after the list), to be done whole."""
    items = getattr(doc, name)
    head = to_toml_dict(doc.model_copy(update={name: []}))  # the list left out: it is empty
    if (
        list(type(doc).model_fields)[-1] != name  # the list is written last ...
        or doc.model_extra  # ... after every other key
        or name in head
        or any(isinstance(v, (Mapping, list)) for v in head.values())  # and no other table
    ):
        return None
    checked_shell = _validated(type(doc), head, where, ())
    # The text is joined a block at a time, then the blocks: 50,000 records' small pieces are
    # never all held at once (each a string object of its own, beside the text they make).
    blocks: list[Any] = []  # str, or bytes when encoded
    parts = list(_table_chunks(head, ""))
    checked: list[Record] = []
    for n, item in enumerate(items):
        data = to_toml_dict(item)
        got = _validated(item_cls, data, where, (name, n))
        checked.append(item if got == item else got)
        parts.append("\n")
        parts.extend(_table_chunks(data, name, in_array=True))
        if len(parts) >= JOIN_EVERY:
            block = "".join(parts)
            blocks.append(block.encode("utf-8") if encode else block)
            parts.clear()
    block = "".join(parts)
    blocks.append(block.encode("utf-8") if encode else block)
    return blocks, checked_shell.model_copy(update={name: checked})


JOIN_EVERY = 4096  # pieces of text joined into one block (some 1,000 records)


def _table_chunks(table: Mapping[str, Any], name: str, *, in_array: bool = False) -> Iterator[str]:
    literals: dict[str, Any] = {}
    tables: list[tuple[str, Mapping[str, Any], bool]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            tables.append((key, value, False))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            tables.extend((key, item, True) for item in value)
        else:
            literals[key] = value
    started = False
    if in_array or (name and (literals or not tables)):
        started = True
        yield f"[[{name}]]\n" if in_array else f"[{name}]\n"
    if literals:
        started = True
        yield tomli_w.dumps(literals)  # only keys and values here: no table to inline
    for key, value, is_item in tables:
        if started:
            yield "\n"
        started = True
        full = f"{name}.{_toml_key(key)}" if name else _toml_key(key)
        yield from _table_chunks(value, full, in_array=is_item)


def _toml_key(key: str) -> str:
    """A key as TOML spells it: bare when it can be, quoted and escaped when not."""
    return tomli_w.dumps({key: 0}).removesuffix(" = 0\n")


def parse_document(cls: type[D], text: str, where: str) -> D:
    """Parse TOML text into a validated document, or raise DataFileError naming file:line:col."""
    return parse_with_raw(cls, text, where)[0]


def parse_with_raw(cls: type[D], text: str, where: str) -> tuple[D, dict[str, Any]]:
    """The validated document and the raw TOML data it came from."""
    try:
        data = tomli.loads(text)
    except RecursionError as exc:  # the parser recurses into nested arrays and inline tables
        raise _too_deep(where) from exc
    except tomli.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.match(msg)
        if m:
            msg = f"{where}:{m['line']}:{m['col']}: {m['msg']}"
        else:
            msg = f"{where}: {msg}"
        raise DataFileError(msg, hint=_(HAND_EDIT_HINT)) from exc
    if nesting_depth(data) > MAX_DEPTH:
        raise DataFileError(
            _("{path}: tables or arrays nested more than {most} levels deep").format(
                path=where, most=MAX_DEPTH
            ),
            hint=_(HAND_EDIT_HINT),
        )
    try:
        return cls.model_validate(data), data
    except RecursionError as exc:
        raise _too_deep(where) from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        line = _line_of(text, loc)
        field = _format_loc(loc)
        place = f"{where}:{line}" if line else where
        more = exc.error_count() - 1
        message = f"{place}: {field}: {err['msg']}"
        if more:
            message = _("{problem} (and {n} more)").format(problem=message, n=more)
        raise DataFileError(message, hint=_(HAND_EDIT_HINT)) from exc


def _too_deep(where: str) -> DataFileError:
    return DataFileError(
        _("{path}: nested too deeply to read").format(path=where), hint=_(HAND_EDIT_HINT)
    )


def check_meaning(doc: Document, where: str) -> None:
    """What parses must also mean something: today the time zone of ``config.toml`` (every
    plan and calendar is built in it). ``hrtrust doctor`` checks the rest, record by record."""
    from hrtrust.models import Config

    if isinstance(doc, Config) and not known_timezone(doc.timezone):
        raise DataFileError(
            _("{path}: timezone {zone!r} is not a known time zone").format(
                path=where, zone=doc.timezone
            ),
            hint=_("use an IANA name like Asia/Taipei or UTC"),
        )


def known_timezone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows."""
    from zoneinfo import ZoneInfo

    if not name or not name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best effort: the line of ``[[table]]`` number N, then of the key inside it."""
    lines = text.splitlines()
    start = 0
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(loc[0])}\s*\]\]")
        seen = -1
        for i, line in enumerate(lines):
            if header.match(line):
                seen += 1
                if seen == loc[1]:
                    start = i
                    break
        else:
            return None
        keys = [p for p in loc[2:] if isinstance(p, str)]
        if keys:
            key = re.compile(rf"^\s*\"?{re.escape(keys[0])}\"?\s*=")
            for i in range(start + 1, len(lines)):
                if lines[i].lstrip().startswith("["):
                    break
                if key.match(lines[i]):
                    return i + 1
        return start + 1
    if loc and isinstance(loc[0], str):
        key = re.compile(rf"^\s*\"?{re.escape(loc[0])}\"?\s*=")
        for i, line in enumerate(lines):
            if key.match(line):
                return i + 1
    return None


def has_comments(text: str) -> bool:
    """True when TOML ``text`` has a comment (a ``#`` outside every kind of string)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            return True
        if c in "\"'":
            triple = text.startswith(c * 3, i)
            close = c * 3 if triple else c
            i += 3 if triple else 1
            while i < n:
                if c == '"' and text[i] == "\\":
                    i += 2
                    continue
                if text.startswith(close, i):
                    i += len(close)
                    if triple:  # up to two more quotes may belong to the string
                        while i < n and text[i] == c:
                            i += 1
                    break
                if not triple and text[i] == "\n":
                    break
                i += 1
            continue
        i += 1
    return False
