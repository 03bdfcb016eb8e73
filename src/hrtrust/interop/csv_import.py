"""Contacts from an HRIS or spreadsheet export (CSV).

Reads UTF-8 with or without a BOM (also UTF-16, Excel's "Unicode text"), the Excel dialect
with ``,``, ``;`` or tab between cells, and recognises the usual column names whatever their
case or spacing (``Employee Name``, ``Work Email``, ``Org Unit`` with ``--map``...). Rows are
matched to existing contacts by e-mail (any case), else by an ``id`` column, else by the same
name when that contact has no e-mail; a non-empty cell overwrites, an empty one leaves the
field alone, tags are added. Every value goes through the same validation as `contact add`.
A row that is not a row of its header (a cell missing or one too many, a quote never closed)
or that holds a control character (NUL, ESC) is rejected with its row number.

Row numbers are spreadsheet rows: the header is row 1.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hrtrust.domain import roster
from hrtrust.domain.contacts import (
    EMAIL,
    ContactChanges,
    apply_changes,
    fold,
    parse_birthday,
)
from hrtrust.domain.dates import parse_date
from hrtrust.domain.departments import resolve_department
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.interop.dump import FORMULA_STARTS
from hrtrust.models import Config, Contact, ContactsFile, Moment, allocate_id, lazy_re, to_toml_dict

Status = Literal["created", "updated", "unchanged", "rejected"]
DateOrder = Literal["dmy", "mdy"]

FIELDS = (
    "id",
    "name",
    "first_name",
    "last_name",
    "email",
    "dept",
    "role",
    "location",
    "hired",
    "manager",
    "birthday",
    "tags",
    "every",
    "notes",
)
IGNORE = "ignore"

_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "contact id", "hrtrust id"),
    "name": (
        "name",
        "full name",
        "employee name",
        "employee full name",
        "display name",
        "姓名",
        "員工姓名",
    ),
    "first_name": ("first name", "given name", "firstname", "first", "名"),
    "last_name": ("last name", "surname", "family name", "lastname", "last", "姓"),
    "email": (
        "email",
        "e-mail",
        "work email",
        "email address",
        "work email address",
        "business email",
        "mail",
        "電子郵件",
        "信箱",
    ),
    "dept": (
        "department",
        "dept",
        "department name",
        "org unit",
        "organisation unit",
        "organization unit",
        "部門",
    ),
    "role": ("title", "job title", "position", "role", "job", "position title", "職稱"),
    "location": ("location", "office", "site", "work location", "地點", "工作地點"),
    "hired": (
        "hire date",
        "start date",
        "hired",
        "date of hire",
        "date hired",
        "original hire date",
        "到職日",
        "到職日期",
        "報到日",
    ),
    "manager": (
        "manager",
        "manager name",
        "supervisor",
        "reports to",
        "line manager",
        "direct manager",
        "主管",
        "直屬主管",
        "主管姓名",
    ),
    "birthday": ("birthday", "date of birth", "dob", "birth date", "birthdate", "生日"),
    "tags": ("tags", "tag", "labels"),
    "every": ("every", "cadence"),
    "notes": ("notes", "note"),
}


def _key(text: str) -> str:
    """A header for comparing: case, spaces and punctuation ignored (``Work_E-mail``)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


HEADERS: dict[str, str] = {_key(a): f for f, names in _ALIASES.items() for a in names}
FIELD_NAMES: dict[str, str] = {**HEADERS, **{_key(f): f for f in FIELDS}, IGNORE: IGNORE}

_TIME_TAIL = lazy_re(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_YMD = lazy_re(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT = lazy_re(r"(\d{4})(\d{2})(\d{2})")
_XYY = lazy_re(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_MONTH_NAME = lazy_re(r"[^\d\W]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?|\d{1,2}\s+[^\d\W]{3,9}\.?")
_MONTH_DASH_DAY = lazy_re(r"(\d{1,2})-(\d{1,2})")
_SLASH_MONTH_DAY = lazy_re(r"(\d{1,2})[/.](\d{1,2})")
# 2024年1月15日, 113年1月15日, 民國113年1月15日 (a 2- or 3-digit year is a ROC year)
_NIAN = lazy_re(r"(?:民國|民国)?\s*(\d{2,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_YUE_RI = lazy_re(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
# 113/01/15 or 113-01-15 or 1130115: a ROC (Minguo) year, 1911 less than the Gregorian one
_ROC = lazy_re(r"(\d{3})[-/.](\d{1,2})[-/.](\d{1,2})")
_ROC_COMPACT = lazy_re(r"(\d{3})(\d{2})(\d{2})")
_TWO_DIGIT_YEAR = lazy_re(r"(\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
ROC_OFFSET = 1911


# -- reading the file ------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A CSV file's header and its rows, each with its spreadsheet row number, and the rows
    that cannot be read as rows of that header (number, reason)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    delimiter: str
    bad: tuple[tuple[int, str], ...] = ()


# A control character in a cell is never data: NUL (which a C program stops at), ESC (which a
# terminal acts on), the C1 set. Tab and line breaks (in a quoted cell) are text.
_CONTROL = lazy_re(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def read_table(data: bytes, where: str) -> Table:
    """Decode and split a CSV file; blank rows are dropped (their numbers still count).

    A row is bad, with its reason, when it has a cell the header does not name (a comma
    inside an unquoted cell) or lacks one it names, holds a control character, or opens a
    quote it never closes (which would swallow the rest of the file as one cell)."""
    text = _decode(data, where)
    delimiter = _delimiter(text)
    reader = csv.reader(
        io.StringIO(text, newline=""), dialect="excel", delimiter=delimiter, strict=True
    )
    header: list[str] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    bad: list[tuple[int, str]] = []
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            number += 1
            if header is None:
                raise UsageError(f"{where}: cannot read the header row ({exc})") from None
            bad.append((number, _malformed(str(exc), line, reader.line_num)))
            continue
        number += 1
        if header is None:
            header = record
            continue
        if not any(cell.strip() for cell in record):
            continue
        reason = _misfit(record, header)
        if reason is None:
            rows.append((number, tuple(record)))
        else:
            bad.append((number, reason))
    if header is None or not any(cell.strip() for cell in header):
        raise UsageError(f"{where}: no header row", hint="the first row must name the columns")
    return Table(tuple(cell.strip() for cell in header), tuple(rows), delimiter, tuple(bad))


def _malformed(error: str, first: int, last: int) -> str:
    if "end of data" in error:
        return (
            f"a quoted cell opened on line {first} is never closed: lines {first} to {last} "
            "would be one cell"
        )
    return f"cannot be read as CSV on line {first} ({error}: a quote inside a quoted cell?)"


def _misfit(record: Sequence[str], header: Sequence[str]) -> str | None:
    """Why a row does not fit the header, or None: it must have a cell for every named column,
    and nothing in cells past the header's last (a trailing delimiter is fine)."""
    named = max((i + 1 for i, c in enumerate(header) if c.strip()), default=0)
    if len(record) < named:
        return f"has {len(record)} cells, but the header names {named} columns"
    extra = [i for i in range(len(header), len(record)) if record[i].strip()]
    if extra:
        return (
            f"has {len(record)} cells, but the header has {len(header)} columns "
            "(a delimiter inside a cell that is not quoted?)"
        )
    for i, cell in enumerate(record):
        found = _CONTROL.search(cell)
        if found is not None:
            what = "a NUL character" if found[0] == "\x00" else "a control character"
            column = header[i].strip() if i < len(header) and header[i].strip() else None
            where = f"column {column!r}" if column else f"cell {i + 1}"
            return f"{where} holds {what} (U+{ord(found[0]):04X})"
    return None


def _decode(data: bytes, where: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            f"{where}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})",
            hint="in Excel use Save As > 'CSV UTF-8 (Comma delimited)'",
        ) from None


def _delimiter(text: str) -> str:
    """``,``, ``;`` or tab: what csv.Sniffer finds, else what the header line has most of."""
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        return max(",;\t", key=lambda d: (header.count(d), d == ","))


# -- which column is which field -------------------------------------------------------------


def column_fields(columns: Sequence[str], maps: Sequence[str]) -> dict[int, str]:
    """Column index -> field, from the recognised headers and ``--map "Column=field"``."""
    chosen: dict[int, str] = {}
    by_key = {_key(c): i for i, c in reversed(list(enumerate(columns)))}
    for item in maps:
        column, sep, name = item.rpartition("=")
        if not sep or not column.strip():
            raise UsageError(f"cannot read --map {item!r}", hint='use --map "Org Unit=dept"')
        target = FIELD_NAMES.get(_key(name))
        if target is None:
            raise UsageError(
                f"--map {item!r}: unknown field {name.strip()!r}",
                hint="fields: " + ", ".join(FIELDS) + f", or {IGNORE}",
            )
        index = by_key.get(_key(column))
        if index is None:
            raise UsageError(
                f"--map {item!r}: no column {column.strip()!r} in the file",
                hint="its columns are: " + ", ".join(c for c in columns if c),
            )
        chosen[index] = target
    for i, column in enumerate(columns):
        if i not in chosen and _key(column) in HEADERS:
            chosen[i] = HEADERS[_key(column)]
    seen: dict[str, int] = {}
    for i, name in sorted(chosen.items()):
        if name == IGNORE:
            continue
        if name in seen:
            first, second = columns[seen[name]], columns[i]
            raise UsageError(
                f"columns {first!r} and {second!r} both give the {name}",
                hint=f'say which to leave out, e.g. --map "{second}={IGNORE}"',
            )
        seen[name] = i
    if "name" not in seen and not ({"first_name", "last_name"} & set(seen)):
        raise UsageError(
            "no name column found",
            hint="its columns are: "
            + ", ".join(c for c in columns if c)
            + '; say which one holds the name, e.g. --map "Employee=name"',
        )
    return {i: name for i, name in sorted(chosen.items()) if name != IGNORE}


# -- cell values -----------------------------------------------------------------------------


class BadValue(ValueError):
    """A cell hrtrust cannot read; the message is the row's reason."""


def parse_cell_date(text: str, what: str, order: DateOrder | None) -> dt.date:
    """A date as HR systems and spreadsheets write it.

    2024-01-15, 2024/01/15, 20240115, 15 Jan 2024, Jan 15, 2024; 15/01/2024 or 01/15/2024
    when only one reading is a real date (else ``order`` decides); a time after it is ignored.
    Taiwanese HRIS forms: 2024年1月15日, and ROC (Minguo) years: 113/01/15, 1130115,
    113年1月15日, 民國113年1月15日 (all 2024-01-15). ``99/05/21`` is refused as ambiguous.
    """
    raw = _TIME_TAIL.sub("", text.strip())
    try:
        if m := _YMD.fullmatch(raw) or _COMPACT.fullmatch(raw):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NIAN.fullmatch(raw):
            year = int(m[1])
            return dt.date(year if year >= 1000 else year + ROC_OFFSET, int(m[2]), int(m[3]))
        if m := _ROC.fullmatch(raw) or _ROC_COMPACT.fullmatch(raw):
            return dt.date(int(m[1]) + ROC_OFFSET, int(m[2]), int(m[3]))
        if m := _TWO_DIGIT_YEAR.fullmatch(raw):
            roc = int(m[1]) + ROC_OFFSET
            raise BadValue(
                f'ambiguous {what} "{text.strip()}" (ROC year {int(m[1])} = {roc}, or a '
                f"two-digit year?): write 0{m[1]}/{m[2]}/{m[3]} or {roc}-{int(m[2]):02d}-"
                f"{int(m[3]):02d}"
            )
        if m := _XYY.fullmatch(raw):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            return dt.date(year, *_month_day(a, b, order, text, what))
        if re.search(r"\d{4}", raw) and re.search(r"[^\d\W]", raw):
            return parse_date(raw, dt.date(2000, 1, 1))
    except BadValue:
        raise
    except (ValueError, UsageError):
        pass
    raise BadValue(f'bad {what} "{text.strip()}"')


def _month_day(a: int, b: int, order: DateOrder | None, text: str, what: str) -> tuple[int, int]:
    if order == "dmy" or (order is None and a > 12):
        return b, a
    if order == "mdy" or (order is None and (b > 12 or a == b)):
        return a, b
    raise BadValue(f'ambiguous {what} "{text.strip()}" (day/month or month/day? use --date-order)')


def parse_cell_birthday(text: str, order: DateOrder | None) -> str:
    """``MM-DD`` from a birthday or date of birth: only month and day are kept, never the year."""
    raw = text.strip()
    if m := _MONTH_DASH_DAY.fullmatch(raw) or _YUE_RI.fullmatch(raw):
        month, day = int(m[1]), int(m[2])
    elif m := _SLASH_MONTH_DAY.fullmatch(raw):
        month, day = _month_day(int(m[1]), int(m[2]), order, text, "birthday")
    elif _MONTH_NAME.fullmatch(raw):
        try:
            return parse_birthday(raw, dt.date(2000, 1, 1))
        except UsageError:
            raise BadValue(f'bad birthday "{raw}"') from None
    else:
        when = parse_cell_date(raw, "birthday", order)
        month, day = when.month, when.day
    try:
        dt.date(2000, month, day)
    except ValueError:
        raise BadValue(f'bad birthday "{raw}"') from None
    return f"{month:02d}-{day:02d}"


def full_name(first: str, last: str) -> str:
    """First and last name as one: ``Maria Chen``, but ``王小明`` (family name first, no space)."""
    if first and last and _is_cjk(first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def _is_cjk(text: str) -> bool:
    return all(unicodedata.east_asian_width(ch) in "WF" for ch in text if not ch.isspace())


# -- the import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowResult:
    """What happened (or would happen) to one row."""

    row: int
    status: Status
    name: str | None = None
    id: str | None = None
    changed: tuple[str, ...] = ()
    reason: str | None = None
    moments: tuple[Moment, ...] = ()


@dataclass
class ImportReport:
    """The outcome of an import, row by row."""

    where: str
    rows: list[RowResult]
    columns: dict[str, str]
    ignored: list[str]
    dry_run: bool
    skip_bad: bool
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    new_depts: list[str] = field(default_factory=list)  # registered by this import
    full: bool = False
    # Roster moments (--full), in row order then leavers: (contact id, name, moment).
    moments: list[tuple[str, str, Moment]] = field(default_factory=list)
    leavers_held: bool = False  # --full with rejected rows: nobody is archived

    @property
    def rejected(self) -> int:
        return sum(r.status == "rejected" for r in self.rows)


def unguard(cell: str) -> str:
    """A cell as hrtrust's CSV export guarded it (``'=1+1``) read back as written (``=1+1``)."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS else cell


def import_contacts(
    doc: ContactsFile,
    table: Table,
    fields: dict[int, str],
    today: dt.date,
    *,
    where: str,
    dry_run: bool = False,
    skip_bad: bool = False,
    date_order: DateOrder | None = None,
    config: Config | None = None,
    full: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert the rows into ``doc``; ``written`` says whether it should be saved: not a dry
    run, something changed, and no row was rejected (or ``skip_bad``). ``progress`` is told
    how many rows are done, every so often.

    Departments are matched to ``config``'s registry as a typed ``--dept`` is: another case or
    accent is the registered name, a near miss rejects the row, a new name is registered in
    ``config`` (save it with the contacts).

    With ``full`` the file is the whole roster: new hires, transfers, title and manager
    changes and returns are recorded as moments on each person, and people an earlier full
    roster listed who are absent now are archived as leavers (unless a row was rejected:
    then nobody is, since a rejected row may be one of them)."""
    registry = config if config is not None else Config()
    new_depts: list[str] = []
    before = to_toml_dict(doc)
    had_roster = any(c.roster is not None for c in doc.contact)
    results: list[RowResult] = []
    emails: dict[str, int] = {}  # folded e-mail -> row that had it
    touched: dict[str, int] = {}  # contact id -> row that matched it
    index = _Index(doc)
    bad = list(table.bad)
    bad.reverse()  # taken from the end as the rows pass them, so every row is in file order
    for number, cells in table.rows:
        while bad and bad[-1][0] < number:
            results.append(_unreadable(*bad.pop()))
        values = {
            name: unguard(cells[i]).strip()
            for i, name in fields.items()
            if i < len(cells) and unguard(cells[i]).strip()
        }
        try:
            results.append(
                _row(
                    doc,
                    index,
                    number,
                    values,
                    today,
                    date_order,
                    emails,
                    touched,
                    registry,
                    new_depts,
                    full,
                    had_roster,
                )
            )
        except BadValue as exc:
            name = values.get("name") or full_name(
                values.get("first_name", ""), values.get("last_name", "")
            )
            results.append(RowResult(number, "rejected", name or None, reason=str(exc)))
        if progress is not None and len(results) % 100 == 0:
            progress(len(results))
    results += [_unreadable(*row) for row in reversed(bad)]
    report = ImportReport(
        where=where,
        rows=results,
        columns={table.columns[i]: name for i, name in fields.items()},
        ignored=[c for i, c in enumerate(table.columns) if i not in fields and c],
        dry_run=dry_run,
        skip_bad=skip_bad,
        new_depts=new_depts,
        full=full,
    )
    for r in results:
        report.moments += [(r.id or "", r.name or "", m) for m in r.moments]
    if full and any(r.status == "rejected" for r in results):
        report.leavers_held = True
    elif full:
        for c in doc.contact:
            if c.id not in touched and c.archived is None and c.roster is not None:
                report.moments.append((c.id, c.name, roster.leave(c, today)))
    report.counts = {
        s: sum(r.status == s for r in results)
        for s in ("created", "updated", "unchanged", "rejected")
    }
    changed = to_toml_dict(doc) != before
    if not dry_run and (skip_bad or not report.rejected) and changed:
        report.written = True
    return report


def _unreadable(number: int, reason: str) -> RowResult:
    """A row that is not a row of the header: rejected, with no name (its cells may be
    shifted, so none is trusted)."""
    return RowResult(number, "rejected", reason=reason)


def _row(
    doc: ContactsFile,
    index: _Index,
    number: int,
    values: dict[str, str],
    today: dt.date,
    order: DateOrder | None,
    emails: dict[str, int],
    touched: dict[str, int],
    config: Config,
    new_depts: list[str],
    full: bool = False,
    had_roster: bool = False,
) -> RowResult:
    name = values.get("name") or full_name(
        values.get("first_name", ""), values.get("last_name", "")
    )
    if not name:
        raise BadValue("missing name")
    email = values.get("email")
    if email is not None:
        if not EMAIL.fullmatch(email):
            raise BadValue(f'bad email "{email}"')
        if email.casefold() in emails:
            raise BadValue(f"duplicate email {email} (also on row {emails[email.casefold()]})")
    hired = parse_cell_date(values["hired"], "hire date", order) if "hired" in values else None
    birthday = parse_cell_birthday(values["birthday"], order) if "birthday" in values else None
    dept, new_dept = _dept(values.get("dept"), config, index)
    target = index.match(email, values.get("id"), name)
    if target is not None and target.id in touched:
        raise BadValue(f"same person as row {touched[target.id]} ({target.name}, {target.id})")
    ch = ContactChanges(
        name=name,
        dept=dept,
        role=values.get("role"),
        location=values.get("location"),
        email=None if target and email and _same(target.email, email) else email,
        manager=values.get("manager"),
        every=values.get("every"),
        birthday=birthday,
        hired=hired.isoformat() if hired else None,
        note=values.get("notes"),
        add_tags=tuple(t for t in re.split(r"[,;|]", values.get("tags", "")) if t.strip()),
    )
    # A new person starts from fields already checked (a name that is not empty, today); the
    # file they go into is validated whole before it is written.
    work = (
        target.model_copy(deep=True)
        if target
        else Contact.model_construct(id="new", name=name, added=today)
    )
    try:
        apply_changes(work, ch, today)
    except UsageError as exc:
        raise BadValue(exc.message) from None
    if email is not None:
        emails[email.casefold()] = number
    if new_dept and dept and not any(d.name == dept for d in config.department):
        resolve_department(config, dept, index.dept_holders())
        new_depts.append(dept)
    moments: list[Moment] = []
    if full:
        work.roster = today
    if target is None:
        work.id = allocate_id(doc, "c", index.ids)
        if full and roster.is_new_hire(work, had_roster, today):
            moments.append(roster.record(work, Moment(date=today, kind="hired", after=work.dept)))
        doc.contact.append(work)
        index.add(work, len(doc.contact) - 1)
        touched[work.id] = number
        return RowResult(number, "created", work.name, work.id, moments=tuple(moments))
    touched[target.id] = number
    if full:
        if target.archived is not None:
            moments.append(roster.come_back(work, today))
        moments += [roster.record(work, m) for m in roster.changes(target, work, today)]
    before, after = to_toml_dict(target), to_toml_dict(work)
    if before == after:
        return RowResult(number, "unchanged", target.name, target.id)
    index.replace(target, work)
    quiet = {"roster", "moments", "archived"}  # bookkeeping, or shown as moments
    changed = tuple(
        k
        for k in sorted(before.keys() | after.keys())
        if before.get(k) != after.get(k) and k not in quiet
    )
    status: Status = "updated" if changed or moments else "unchanged"
    return RowResult(number, status, work.name, work.id, changed, moments=tuple(moments))


def _dept(text: str | None, config: Config, index: _Index) -> tuple[str | None, bool]:
    """A cell's department as registered, and whether it is new (registered once the row is
    accepted); a near miss rejects the row. Worked out once per spelling while the registry
    and the departments the contacts name stay as they are (5,000 rows name a few dozen)."""
    if not text:
        return None, False
    key = (text, index.dept_version, len(config.department))
    known = index.departments.get(key)
    if known is not None:
        return known
    try:
        name = resolve_department(config, text, index.dept_holders(), create=False).name
        # named by contacts only (not registered yet): joins the registry with this row
        found = name, not any(d.name == name for d in config.department)
    except NotFoundError:
        found = " ".join(text.split()), True
    except UsageError as exc:
        raise BadValue(f"{exc.message}: {exc.hint}") from None
    index.departments[key] = found
    return found


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


class _Index:
    """Where the contacts are (positions in ``doc.contact``) by e-mail, id, folded name and
    department, kept up to date as rows are applied, so each row is matched in constant time
    (an import is linear in its rows, not quadratic). Positions are kept in order, so a
    lookup finds what a scan of the contacts in file order finds first."""

    def __init__(self, doc: ContactsFile) -> None:
        self.doc = doc
        self.at: dict[str, int] = {}  # id -> position
        self.email: dict[str, list[int]] = {}
        self.ident: dict[str, list[int]] = {}
        self.name: dict[str, list[int]] = {}
        self.dept: dict[str, list[int]] = {}
        self.ids: set[str] = set()
        self.stand_ins: dict[str, Contact] = {}
        # Bumped whenever the departments the contacts name, or their order, change: what a
        # department cell resolves to is kept (``departments``) until then.
        self.dept_version = 0
        self._holders: tuple[int, list[Contact]] = (-1, [])
        self.departments: dict[tuple[str, int, int], tuple[str | None, bool]] = {}
        for n, c in enumerate(doc.contact):
            self.add(c, n)

    def _keys(self, c: Contact) -> list[tuple[dict[str, list[int]], str]]:
        keys = [(self.ident, c.id.casefold()), (self.name, fold(c.name))]
        if c.email is not None:
            keys.append((self.email, c.email.casefold()))
        if c.dept:
            keys.append((self.dept, c.dept))
        return keys

    def add(self, c: Contact, n: int) -> None:
        self.at[c.id] = n
        self.ids.add(c.id)
        for table, key in self._keys(c):
            at = table.setdefault(key, [])
            if table is self.dept and (not at or n < at[0]):
                self.dept_version += 1
            bisect.insort(at, n)

    def replace(self, old: Contact, new: Contact) -> None:
        n = self.at[old.id]
        self.doc.contact[n] = new
        for table, key in self._keys(old):
            first = table[key][0]
            table[key].remove(n)
            if table is self.dept and (not table[key] or table[key][0] != first):
                self.dept_version += 1
            if not table[key]:
                del table[key]
        self.add(new, n)

    def _first(self, table: dict[str, list[int]], key: str) -> Contact | None:
        at = table.get(key)
        return self.doc.contact[at[0]] if at else None

    def match(self, email: str | None, ident: str | None, name: str) -> Contact | None:
        """The existing contact a row is about: same e-mail, else same id, else the only
        contact with this name and no e-mail of their own (the first in the file, as a scan
        would find it)."""
        if email and (found := self._first(self.email, email.casefold())) is not None:
            return found
        if ident and (found := self._first(self.ident, ident.casefold())) is not None:
            return found
        same = self.name.get(fold(name), [])
        if len(same) == 1 and not self.doc.contact[same[0]].email:
            return self.doc.contact[same[0]]
        return None

    def dept_holders(self) -> list[Contact]:
        """One stand-in per department the contacts name, in the order the contacts first
        name them: all that department matching reads of the contacts
        (``domain.departments.known_departments``). Each stand-in is made once (building a
        model is far dearer than a row's dictionary lookups)."""
        if self._holders[0] == self.dept_version:
            return self._holders[1]
        order = sorted(self.dept, key=lambda d: self.dept[d][0])
        for d in order:
            if d not in self.stand_ins:
                self.stand_ins[d] = Contact.model_construct(id="", name="", dept=d)
        holders = [self.stand_ins[d] for d in order]
        self._holders = (self.dept_version, holders)
        return holders


# -- the report ------------------------------------------------------------------------------


ROWS_LISTED = 50  # accepted rows listed one per line; a bigger file lists its first ones


def report_lines(report: ImportReport) -> list[str]:
    """The report as plain lines: a summary, one line per row, what was written."""
    c = report.counts
    total = len(report.rows)
    lines = [
        f"{report.where}: {total} row{'s' if total != 1 else ''}: {c['created']} created, "
        f"{c['updated']} updated, {c['unchanged']} unchanged, {c['rejected']} rejected."
    ]
    width = len(str(max((r.row for r in report.rows), default=0)))
    accepted = 0
    for r in report.rows:
        head = f"  row {r.row:<{width}}  {r.status:<9}  "
        if r.status == "rejected":  # every rejected row, always: each needs fixing
            lines.append(head + (f"{r.name}: {r.reason}" if r.name else f"{r.reason}"))
            continue
        accepted += 1
        if total > ROWS_LISTED and accepted > ROWS_LISTED:
            continue
        more = f": {', '.join(r.changed)}" if r.changed else ""
        lines.append(head + f"{r.name} ({r.id}){more}")
    if total > ROWS_LISTED and accepted > ROWS_LISTED:
        lines.append(f"  and {accepted - ROWS_LISTED} more rows accepted (--json lists every row)")
    if report.new_depts:
        lines.append(
            "New departments: " + ", ".join(report.new_depts) + " (client departments; "
            "mark HR's own with `hrtrust dept add NAME --internal`)."
        )
    if report.ignored:
        lines.append(
            "Ignored columns: " + ", ".join(report.ignored) + ' (use --map "Column=field").'
        )
    if report.full:
        lines += moment_lines(report)
    if report.dry_run:
        tail = "Dry run: nothing was written."
        if report.rejected and not report.skip_bad:
            tail += " With rejected rows a real import writes nothing unless --skip-bad."
        lines.append(tail)
    elif report.written:
        skipped = f"; skipped {report.rejected} rejected" if report.rejected else ""
        lines.append(
            f"Saved contacts.toml ({c['created']} created, {c['updated']} updated{skipped})."
        )
    elif not report.rejected or report.skip_bad:
        lines.append("Nothing to change.")
    return lines


MOMENT_WORDS = {
    "hired": "new hire",
    "transfer": "transfer",
    "title": "new title",
    "manager": "new manager",
    "left": "left",
    "returned": "returned",
}


def moment_lines(report: ImportReport) -> list[str]:
    """The roster moments of a --full import, one per line."""
    if not report.moments:
        lines = [
            "Roster: no moments (no new hires, transfers, title or manager changes, "
            "leavers or returns)."
        ]
    else:
        lines = [f"Roster moments ({len(report.moments)}; each asks for a reach-out in the plan):"]
    for cid, name, m in report.moments:
        what = roster.describe(m)
        if m.kind == "left":
            what = f"archived (was in {m.before})" if m.before else "archived"
        lines.append(
            f"  {MOMENT_WORDS[m.kind]:<11}  {name} ({cid})" + (f": {what}" if what else "")
        )
    if report.leavers_held:
        lines.append(
            "Leavers not checked: with rejected rows, an absent person may be a rejected row."
        )
    return lines


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report for scripts."""
    return {
        "file": report.where,
        "dry_run": report.dry_run,
        "skip_bad": report.skip_bad,
        "written": report.written,
        "counts": report.counts,
        "columns": report.columns,
        "ignored_columns": report.ignored,
        "new_departments": report.new_depts,
        "full": report.full,
        "moments": [
            {
                "id": cid,
                "name": name,
                "kind": m.kind,
                "date": m.date.isoformat(),
                "before": m.before,
                "after": m.after,
            }
            for cid, name, m in report.moments
        ],
        "leavers_checked": report.full and not report.leavers_held,
        "rows": [
            {
                "row": r.row,
                "status": r.status,
                "id": r.id,
                "name": r.name,
                "changed": list(r.changed),
                "reason": r.reason,
            }
            for r in report.rows
        ],
    }
