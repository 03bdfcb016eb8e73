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
import itertools
import re
import sys
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from hrtrust.domain import roster
from hrtrust.domain.contacts import (
    EMAIL,
    ContactChanges,
    apply_changes,
    fold,
    number_key,
    parse_birthday,
)
from hrtrust.domain.dates import parse_date
from hrtrust.domain.departments import resolve_department
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.interop.dump import FORMULA_STARTS
from hrtrust.locale import N_, _, ngettext
from hrtrust.models import (
    MANAGER,
    Config,
    Contact,
    ContactsFile,
    Moment,
    allocate_id,
    lazy_re,
    to_toml_dict,
)

Status = Literal["created", "updated", "unchanged", "rejected"]
DateOrder = Literal["dmy", "mdy"]

FIELDS = (
    "id",
    "name",
    "first_name",
    "last_name",
    "english_name",
    "employee_number",
    "email",
    "dept",
    "role",
    "location",
    "shift",
    "hired",
    "effective_date",
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
    "english_name": (
        "english name",
        "preferred name",
        "英文名",
        "英文姓名",
        "英文名字",
        "英文名稱",
    ),
    "employee_number": (
        "employee number",
        "employee no",
        "employee id",
        "emp no",
        "emp id",
        "staff id",
        "staff number",
        "badge number",
        "員工編號",
        "員工工號",
        "員工代號",
        "工號",
        "員編",
    ),
    "email": (
        "email",
        "e-mail",
        "work email",
        "email address",
        "work email address",
        "business email",
        "mail",
        "電子郵件",
        "電子信箱",
        "信箱",
        "公司信箱",
        "公司email",
    ),
    "dept": (
        "department",
        "dept",
        "department name",
        "org unit",
        "organisation unit",
        "organization unit",
        "部門",
        "部門名稱",
        "單位",
        "單位名稱",
    ),
    "role": ("title", "job title", "position", "role", "job", "position title", "職稱", "職位"),
    "location": ("location", "office", "site", "work location", "地點", "工作地點", "廠區"),
    "shift": ("shift", "work shift", "shift type", "班別", "班次", "班別名稱", "輪班別"),
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
    "effective_date": (
        "effective date",
        "change date",
        "生效日",
        "生效日期",
        "異動日期",
        "異動日",
        "異動生效日",
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
        "直屬主管姓名",
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
# 民國 115/12/03, 民國99/05/21: with the era named, a 2- or 3-digit year is a ROC year
_ROC_ERA = lazy_re(r"(?:民國|民国)\s*(\d{2,3})[-/.](\d{1,2})[-/.](\d{1,2})")
ROC_OFFSET = 1911


# -- reading the file ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Table:
    """A CSV file's header, how many rows it has, and the rows that cannot be read as rows of
    that header (number, reason). The rows themselves are read again from ``text`` as they
    are used (:meth:`iter_rows`): a file of 50,000 people is never held as 50,000 rows."""

    columns: tuple[str, ...]
    text: str
    delimiter: str
    bad: tuple[tuple[int, str], ...] = ()
    size: int = 0  # rows read as rows of the header (blank ones left out)

    def iter_rows(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Each row that is a row of the header, with its spreadsheet row number, in order:
        what the reading found, read again (the same text gives the same rows)."""
        skip = {number for number, _ in self.bad}
        for number, record, failure in _records(self.text, self.delimiter):
            if number == 1 or failure is not None or number in skip:
                continue
            if any(cell.strip() for cell in record):
                yield number, tuple(record)

    @property
    def rows(self) -> tuple[tuple[int, tuple[str, ...]], ...]:
        """Every row at once (:meth:`iter_rows` holds only the one in hand)."""
        return tuple(self.iter_rows())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return (self.columns, self.delimiter, self.bad, self.size, self.rows) == (
            other.columns,
            other.delimiter,
            other.bad,
            other.size,
            other.rows,
        )


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
    header: list[str] | None = None
    bad: list[tuple[int, str]] = []
    size = 0
    for number, record, failure in _records(text, delimiter):
        if failure is not None:
            exc, first, last = failure
            if header is None:
                raise UsageError(f"{where}: cannot read the header row ({exc})") from None
            bad.append((number, _malformed(str(exc), first, last)))
            continue
        if header is None:
            header = record
            continue
        if not any(cell.strip() for cell in record):
            continue
        reason = _misfit(record, header)
        if reason is None:
            size += 1
        else:
            bad.append((number, reason))
    if header is None or not any(cell.strip() for cell in header):
        raise UsageError(f"{where}: no header row", hint="the first row must name the columns")
    return Table(tuple(cell.strip() for cell in header), text, delimiter, tuple(bad), size)


def _records(
    text: str, delimiter: str
) -> Iterator[tuple[int, list[str], tuple[csv.Error, int, int] | None]]:
    """Each record of the file with its number (the header is 1), or, for one the csv module
    cannot read, no cells and (the error, its first line, its last line)."""
    reader = csv.reader(_lines(text), dialect="excel", delimiter=delimiter, strict=True)
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield number, [], (exc, line, reader.line_num)
            continue
        number += 1
        yield number, record, None


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ``io.StringIO(text, newline="")`` gives them (ending in \\r\\n,
    \\r or \\n, kept), read a block at a time: a StringIO of the whole holds it again, at four
    bytes a character. A block ends just after a \\n, where a line ends whichever way."""
    return itertools.chain.from_iterable(
        io.StringIO(block, newline="") for block in _blocks(text, LINES_BLOCK)
    )


LINES_BLOCK = 1 << 16  # characters read as lines at a time, at least


def _blocks(text: str, size: int) -> Iterator[str]:
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


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
    """UTF-8 (with or without a BOM), UTF-16 with a BOM, or Big5 (cp950: what Excel on a
    Traditional Chinese Windows saves as "CSV") when its header row names columns in Chinese.
    Big5 is never guessed for a file whose header is not Chinese: Latin-1 text often decodes as
    Big5 too, into the wrong characters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        big5 = _big5(data)
        if big5 is not None:
            return big5
        line = data[: exc.start].count(b"\n") + 1
        raise UsageError(
            _("{where}:{line}: not UTF-8 text (byte 0x{byte:02x})").format(
                where=where, line=line, byte=data[exc.start]
            ),
            hint=_("in Excel use Save As > 'CSV UTF-8 (Comma delimited)'"),
        ) from None


def _big5(data: bytes) -> str | None:
    """``data`` read as Big5 (cp950), when it is that and its header names a column in
    Chinese (姓名, 部門...); else None."""
    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        return None
    header = text.split("\n", 1)[0]
    cells = (_key(c) for c in re.split(r"[,;\t]", header))
    if any(c in HEADERS and not c.isascii() for c in cells):
        return text
    return None


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
    Taiwanese HRIS forms: 2024年1月15日, and ROC (Minguo) years: 113/01/15, 113-01-15, 1130115,
    113年1月15日, 民國113年1月15日, 民國 113/01/15 (all 2024-01-15). ``99/05/21`` is refused as
    ambiguous; ``民國99/05/21`` is 2010-05-21.
    """
    raw = _TIME_TAIL.sub("", text.strip())
    try:
        if m := _ROC_ERA.fullmatch(raw):
            return dt.date(int(m[1]) + ROC_OFFSET, int(m[2]), int(m[3]))
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


@dataclass(frozen=True, slots=True)
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
    # The first --full import: how many people it did not list and left alone (added by hand).
    left_alone: int | None = None
    # The people the manager column names, tagged manager by this import: (id, name).
    managers_tagged: list[tuple[str, str]] = field(default_factory=list)
    # Managers the file names who are not contacts: (name as written, how many reports).
    managers_unknown: list[tuple[str, int]] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(r.status == "rejected" for r in self.rows)


def unguard(cell: str) -> str:
    """A cell as hrtrust's CSV export guarded it (``'=1+1``) read back as written (``=1+1``)."""
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS else cell


def employee_key(text: str) -> str:
    """An employee number for matching: case and width ignored, and leading zeros (a
    spreadsheet drops them: 000123 comes back as 123)."""
    folded = fold(text).replace(" ", "")
    return folded.lstrip("0") or folded if folded.isdigit() else folded


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

    A row is matched to a contact by employee number, else e-mail, else an ``id`` column,
    else name (see ``_Index.match``). A contact the import makes is marked ``imported``. The
    people the manager column names are tagged ``manager``, and a manager named by employee
    number, e-mail or English name is stored by their name.

    Departments are matched to ``config``'s registry as a typed ``--dept`` is: another case or
    accent is the registered name, a near miss rejects the row, a new name is registered in
    ``config`` (save it with the contacts).

    With ``full`` the file is the whole roster: new hires, transfers, title and manager
    changes and returns are recorded as moments on each person (dated by the hire date or
    the effective-date column where the file gives one, else today), and people an earlier
    import brought in who are absent now are archived as leavers (unless a row was rejected:
    then nobody is, since a rejected row may be one of them). People added by hand are never
    archived; the first full import counts them (``left_alone``)."""
    registry = config if config is not None else Config()
    new_depts: list[str] = []
    before = to_toml_dict(doc)
    had_import = any(c.roster is not None or c.imported is not None for c in doc.contact)
    first_full = full and not any(c.roster is not None for c in doc.contact)
    results: list[RowResult] = []
    emails: dict[str, int] = {}  # folded e-mail -> row that had it
    touched: dict[str, int] = {}  # contact id -> row that matched it
    index = _Index(doc, fields.values())
    bad = list(table.bad)
    bad.reverse()  # taken from the end as the rows pass them, so every row is in file order
    # Who the manager column names is known only once every row is read (a manager may be a
    # row further down): the file is read once more for that, and only when it has one.
    named = "manager" in fields.values()
    managers = _Managers(
        doc, (_values(cells, fields) for _, cells in table.iter_rows()) if named else None, today
    )
    for number, cells in table.iter_rows():
        values = _values(cells, fields)
        while bad and bad[-1][0] < number:
            results.append(_unreadable(*bad.pop()))
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
                    managers,
                    full,
                    had_import,
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
    _tag_managers(doc, report, managers, touched)
    for r in results:
        report.moments += [(r.id or "", r.name or "", m) for m in r.moments]
    if full and any(r.status == "rejected" for r in results):
        report.leavers_held = True
    elif full:
        alone = 0
        for c in doc.contact:
            listed = c.id in touched
            if roster.is_leaver(c, listed):
                report.moments.append((c.id, c.name, roster.leave(c, today)))
            elif roster.left_alone(c, listed, today):
                alone += 1
        report.left_alone = alone if first_full else None
    report.counts = {
        s: sum(r.status == s for r in report.rows)
        for s in ("created", "updated", "unchanged", "rejected")
    }
    changed = not _same_toml(doc, before)
    if not dry_run and (skip_bad or not report.rejected) and changed:
        report.written = True
    return report


def _values(cells: Sequence[str], fields: dict[int, str]) -> dict[str, str]:
    """A row's non-empty cells by field, as written (a guarded formula read back). A value
    many rows repeat (a title, a site, a shift) is kept once, not once per person."""
    values = {}
    for i, name in fields.items():
        if i < len(cells) and (value := unguard(cells[i]).strip()):
            values[name] = sys.intern(value) if name in _REPEATED else value
    return values


_REPEATED = frozenset({"dept", "role", "location", "shift", "every", "manager"})


def _same_toml(doc: ContactsFile, before: dict[str, Any]) -> bool:
    """``to_toml_dict(doc) == before``, one contact at a time: the TOML forms of 50,000
    people are never all held at once."""
    people = before.get("contact", [])
    if len(doc.contact) != len(people):
        return False
    rest = to_toml_dict(doc.model_copy(update={"contact": []}))
    rest.pop("contact", None)
    if rest != {k: v for k, v in before.items() if k != "contact"}:
        return False
    return all(to_toml_dict(c) == was for c, was in zip(doc.contact, people, strict=True))


def _unreadable(number: int, reason: str) -> RowResult:
    """A row that is not a row of the header: rejected, with no name (its cells may be
    shifted, so none is trusted)."""
    return RowResult(number, "rejected", reason=reason)


class _Managers:
    """Who the manager column (直屬主管) names: a manager may be written by name, English
    name, employee number or e-mail, and be a row of this file or a stored contact. Each way
    of writing them leads to their name; the people the rows name are counted, and tagged
    ``manager`` once the rows are in."""

    def __init__(
        self, doc: ContactsFile, rows: Iterable[dict[str, str]] | None, today: dt.date
    ) -> None:
        """``rows``: the values of every row, or None when the file has no manager column
        (then no cell is ever looked up, and nobody is listed)."""
        self.names: dict[str, str | None] = {}  # a way of writing someone -> their name
        self.reports: dict[str, int] = {}  # folded manager name -> reports naming them
        self.written: dict[str, str] = {}  # folded manager name -> as first written
        if rows is None:
            return
        file_people = (
            (
                name,
                values.get("english_name"),
                values.get("employee_number"),
                values.get("email"),
            )
            for values in rows
            if (
                name := values.get("name")
                or full_name(values.get("first_name", ""), values.get("last_name", ""))
            )
        )
        people = (
            (c.name, c.english_name, c.employee_number, c.email)
            for c in doc.contact
            if c.present(today)
        )
        # The file first: what it says of a person is the news; a stored contact fills in.
        for group in (file_people, people):
            seen: dict[str, str | None] = {}
            for name, english, number, email in group:
                keys = [fold(name)]
                keys += [fold(english)] if english else []
                keys += [_NUMBER + employee_key(number)] if number else []
                keys += [_EMAIL + email.casefold()] if email else []
                for key in keys:
                    if key not in seen:
                        seen[key] = name
                    elif fold(seen[key] or name) != fold(name):
                        seen[key] = None  # two people: ambiguous, kept as written
            for key, known in seen.items():
                self.names.setdefault(key, known)

    def name_for(self, cell: str) -> str:
        """The manager a cell names, by their name when the cell is one way of writing a
        person the file or the contacts know (``T1001``, ``Jack Liu``); else the cell."""
        for key in (_NUMBER + employee_key(cell), _EMAIL + cell.casefold(), fold(cell)):
            name = self.names.get(key)
            if name is not None:
                return name
        return cell

    def count(self, name: str) -> None:
        key = fold(name)
        self.reports[key] = self.reports.get(key, 0) + 1
        self.written.setdefault(key, name)


_NUMBER, _EMAIL = "#", "@"  # key prefixes: an employee number, an e-mail


def _tag_managers(
    doc: ContactsFile, report: ImportReport, managers: _Managers, touched: dict[str, int]
) -> None:
    """Tag ``manager`` each contact the accepted rows name as a manager (one contact by that
    name: the one in this file, else the only one stored); list the others."""
    if not managers.reports:
        return
    by_name: dict[str, list[Contact]] = {}
    for c in doc.contact:
        if c.archived is None and fold(c.name) in managers.reports:
            by_name.setdefault(fold(c.name), []).append(c)
    at = {r.id: n for n, r in enumerate(report.rows) if r.id is not None}
    for key, reports in managers.reports.items():
        found = by_name.get(key, [])
        listed = [c for c in found if c.id in touched]
        person = listed[0] if len(listed) == 1 else found[0] if len(found) == 1 else None
        if person is None:
            if not found:
                report.managers_unknown.append((managers.written[key], reports))
            continue
        if MANAGER in person.tags:
            continue
        person.tags.append(MANAGER)
        report.managers_tagged.append((person.id, person.name))
        n = at.get(person.id)
        if n is not None:  # their own row: updated, with its tags
            r = report.rows[n]
            changed = tuple(sorted({*r.changed, "tags"}))
            status: Status = "created" if r.status == "created" else "updated"
            report.rows[n] = replace(
                r, status=status, changed=changed if status != "created" else ()
            )
    report.managers_tagged.sort(key=lambda m: number_key(m[0]))


def _one_line(value: str | None, what: str) -> str | None:
    """A cell that must be one line (an employee number, a shift, an English name)."""
    if value is not None and ("\n" in value or "\r" in value):
        raise BadValue(_("{what} holds a line break").format(what=what))
    return value


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
    managers: _Managers,
    full: bool = False,
    had_import: bool = False,
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
    employee = _one_line(values.get("employee_number"), _("the employee number"))
    english = _one_line(values.get("english_name"), _("the English name"))
    shift = _one_line(values.get("shift"), _("the shift"))
    hired = parse_cell_date(values["hired"], "hire date", order) if "hired" in values else None
    effective = (
        parse_cell_date(values["effective_date"], _("effective date"), order)
        if "effective_date" in values
        else None
    )
    birthday = parse_cell_birthday(values["birthday"], order) if "birthday" in values else None
    dept, new_dept = _dept(values.get("dept"), config, index)
    target = index.match(employee, email, values.get("id"), name)
    if target is not None and target.id in touched:
        raise BadValue(f"same person as row {touched[target.id]} ({target.name}, {target.id})")
    if email is not None:
        holder = index.email_holder(email)
        if holder is not None and holder is not target:
            raise BadValue(
                _(
                    "e-mail {email} belongs to {name} ({id}), not to employee number {number}"
                ).format(email=email, name=holder.name, id=holder.id, number=employee)
            )
    manager = managers.name_for(values["manager"]) if "manager" in values else None
    ch = ContactChanges(
        name=name,
        dept=dept,
        role=values.get("role"),
        location=values.get("location"),
        email=None if target and email and _same(target.email, email) else email,
        manager=manager,
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
    # The HRIS's own fields: a cell overwrites, an empty one leaves the field alone (and the
    # same number as stored, its leading zeros lost to a spreadsheet, leaves it as it was).
    if employee is not None and target is not None and target.employee_number is not None:
        if employee_key(employee) == employee_key(target.employee_number):
            employee = target.employee_number
    for attr, value in (("english_name", english), ("employee_number", employee), ("shift", shift)):
        if value is not None:
            setattr(work, attr, value)
    if email is not None:
        emails[_casefold(email)] = number
    if new_dept and dept and not any(d.name == dept for d in config.department):
        resolve_department(config, dept, index.dept_holders())
        new_depts.append(dept)
    if manager is not None:
        managers.count(manager)
    moments: list[Moment] = []
    if full:
        work.roster = today
    if target is None:
        work.id = allocate_id(doc, "c", index.ids)
        work.imported = today
        if full and roster.is_new_hire(work, had_import, today):
            on = roster.hired_on(work, today, effective)
            moments.append(roster.record(work, roster.moment("hired", on, today, after=work.dept)))
        doc.contact.append(work)
        index.add(work, len(doc.contact) - 1)
        touched[work.id] = number
        return RowResult(number, "created", work.name, work.id, moments=tuple(moments))
    touched[target.id] = number
    if full:
        on = roster.when(today, effective, target.roster)
        if target.archived is not None:
            moments.append(roster.come_back(work, today, on))
        moments += [roster.record(work, m) for m in roster.changes(target, work, today, on)]
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


# Where a key is in ``doc.contact``: one position (most keys: an id, an e-mail, a name), or
# several in order. A list for every key of 50,000 contacts would be 20 MB.
_Spots = int | list[int]


def _first_spot(at: _Spots) -> int:
    return at if isinstance(at, int) else at[0]


def _casefold(text: str) -> str:
    """``text.casefold()``: see :func:`_kept`."""
    return _kept(text, text.casefold())


def _kept(text: str, folded: str) -> str:
    """``folded``, or ``text`` itself when they are equal: a key that is the contact's own
    string costs no second copy of it."""
    return text if folded == text else folded


# fold() without its cache: an import folds each of its names once, and 50,000 of them would
# stay in the cache after the import, while the file is written.
_fold_once: Callable[[str], str] = getattr(fold, "__wrapped__", fold)


class _Index:
    """Where the contacts are (positions in ``doc.contact``) by e-mail, id, folded name and
    department, kept up to date as rows are applied, so each row is matched in constant time
    (an import is linear in its rows, not quadratic). Positions are kept in order, so a
    lookup finds what a scan of the contacts in file order finds first."""

    def __init__(self, doc: ContactsFile, columns: Collection[str] | None = None) -> None:
        """``columns``: the fields the rows can give (None: all); a contact is looked up by
        id, e-mail or employee number only when the rows can name one."""
        self.doc = doc
        wanted = set(FIELDS if columns is None else columns)
        self.by_ident = "id" in wanted
        self.by_email = "email" in wanted
        self.by_number = "employee_number" in wanted
        # The stored contacts' ids and places: a row updates (replaces) only a stored
        # contact, and an id is allocated after every id made in this import.
        self.at: dict[str, int] = {}  # id -> position
        self.email: dict[str, _Spots] = {}
        self.ident: dict[str, _Spots] = {}
        self.name: dict[str, _Spots] = {}
        self.number: dict[str, _Spots] = {}  # employee_key(employee number) -> positions
        self.dept: dict[str, _Spots] = {}
        self.ids: set[str] = set()
        self.stand_ins: dict[str, Contact] = {}
        # Bumped whenever the departments the contacts name, or their order, change: what a
        # department cell resolves to is kept (``departments``) until then.
        self.dept_version = 0
        self._holders: tuple[int, list[Contact]] = (-1, [])
        self.departments: dict[tuple[str, int, int], tuple[str | None, bool]] = {}
        self._folded = ("", "")  # the last name folded: a row's name is matched, then added
        for n, c in enumerate(doc.contact):
            self.at[c.id] = n
            self.ids.add(c.id)
            self.add(c, n)

    def fold(self, name: str) -> str:
        if self._folded[0] != name:
            self._folded = (name, _kept(name, _fold_once(name)))
        return self._folded[1]

    def _keys(self, c: Contact) -> list[tuple[dict[str, _Spots], str]]:
        keys = [(self.name, self.fold(c.name))]
        if self.by_ident:
            keys.append((self.ident, _casefold(c.id)))
        if self.by_email and c.email is not None:
            keys.append((self.email, _casefold(c.email)))
        if self.by_number and c.employee_number:
            keys.append((self.number, employee_key(c.employee_number)))
        if c.dept:
            keys.append((self.dept, c.dept))
        return keys

    def add(self, c: Contact, n: int) -> None:
        for table, key in self._keys(c):
            at = table.get(key)
            if table is self.dept and (at is None or n < _first_spot(at)):
                self.dept_version += 1
            if at is None:
                table[key] = n
            elif isinstance(at, int):
                table[key] = [at, n] if at < n else [n, at]
            else:
                bisect.insort(at, n)

    def replace(self, old: Contact, new: Contact) -> None:
        n = self.at[old.id]
        self.doc.contact[n] = new
        for table, key in self._keys(old):
            at = table[key]
            first = _first_spot(at)
            if isinstance(at, int):
                del table[key]
            else:
                at.remove(n)
                if len(at) == 1:
                    table[key] = at[0]
            if table is self.dept and (key not in table or _first_spot(table[key]) != first):
                self.dept_version += 1
        self.at[new.id] = n
        self.ids.add(new.id)
        self.add(new, n)

    def _first(self, table: dict[str, _Spots], key: str) -> Contact | None:
        at = table.get(key)
        return self.doc.contact[_first_spot(at)] if at is not None else None

    def match(
        self, number: str | None, email: str | None, ident: str | None, name: str
    ) -> Contact | None:
        """The existing contact a row is about: same employee number, else same e-mail, else
        same id, else the only contact with this name and no e-mail of their own (the first
        in the file, as a scan would find it). A row with an employee number never matches a
        contact with another one: that is someone else (a namesake, an address reused)."""
        if number and (found := self._first(self.number, employee_key(number))) is not None:
            return found

        def free(c: Contact | None) -> Contact | None:
            return c if c is not None and not (number and c.employee_number) else None

        if email and (found := free(self._first(self.email, email.casefold()))) is not None:
            return found
        if ident and (found := free(self._first(self.ident, ident.casefold()))) is not None:
            return found
        same = self.name.get(self.fold(name))
        if isinstance(same, int) and not self.doc.contact[same].email:
            return free(self.doc.contact[same])
        return None

    def email_holder(self, email: str) -> Contact | None:
        """The contact whose e-mail this is (any case), if any."""
        return self._first(self.email, email.casefold())

    def dept_holders(self) -> list[Contact]:
        """One stand-in per department the contacts name, in the order the contacts first
        name them: all that department matching reads of the contacts
        (``domain.departments.known_departments``). Each stand-in is made once (building a
        model is far dearer than a row's dictionary lookups)."""
        if self._holders[0] == self.dept_version:
            return self._holders[1]
        order = sorted(self.dept, key=lambda d: _first_spot(self.dept[d]))
        for d in order:
            if d not in self.stand_ins:
                self.stand_ins[d] = Contact.model_construct(id="", name="", dept=d)
        holders = [self.stand_ins[d] for d in order]
        self._holders = (self.dept_version, holders)
        return holders


# -- the report ------------------------------------------------------------------------------


ROWS_LISTED = 50  # accepted rows listed one per line; a bigger file lists its first ones
MANAGERS_LISTED = 8  # people named in a line of the report; more are counted

# A row's status as a person reads it (--json carries the status itself).
STATUS_WORDS = {
    "created": N_("created"),
    "updated": N_("updated"),
    "unchanged": N_("unchanged"),
    "rejected": N_("rejected"),
}


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal cells (a CJK character takes two)."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - cells, 0)


def _people(people: Sequence[tuple[str, str]]) -> str:
    """``陳志明 (c2), 黃淑芬 (c9)``, and how many more past :data:`MANAGERS_LISTED`."""
    shown = _(", ").join(
        _("{name} ({id})").format(name=name, id=cid) for cid, name in people[:MANAGERS_LISTED]
    )
    more = len(people) - MANAGERS_LISTED
    return shown if more <= 0 else _("{people} and {n} more").format(people=shown, n=more)


def report_lines(report: ImportReport) -> list[str]:
    """The report as plain lines: a summary, one line per row, what was written."""
    c = report.counts
    total = len(report.rows)
    lines = [
        ngettext(
            "{where}: {total} row: {created} created, {updated} updated, {unchanged} unchanged, "
            "{rejected} rejected.",
            "{where}: {total} rows: {created} created, {updated} updated, {unchanged} "
            "unchanged, {rejected} rejected.",
            total,
        ).format(
            where=report.where,
            total=total,
            created=c["created"],
            updated=c["updated"],
            unchanged=c["unchanged"],
            rejected=c["rejected"],
        )
    ]
    width = len(str(max((r.row for r in report.rows), default=0)))
    status_width = max(len("unchanged"), *(_width(_(w)) for w in STATUS_WORDS.values()))
    accepted = 0
    for r in report.rows:
        head = "  " + _("row {n}").format(n=f"{r.row:<{width}}") + "  "
        head += _pad(_(STATUS_WORDS[r.status]), status_width) + "  "
        if r.status == "rejected":  # every rejected row, always: each needs fixing
            lines.append(head + (f"{r.name}: {r.reason}" if r.name else f"{r.reason}"))
            continue
        accepted += 1
        if total > ROWS_LISTED and accepted > ROWS_LISTED:
            continue
        more = f": {', '.join(r.changed)}" if r.changed else ""
        lines.append(head + f"{r.name} ({r.id}){more}")
    if total > ROWS_LISTED and accepted > ROWS_LISTED:
        lines.append(
            "  "
            + _("and {n} more rows accepted (--json lists every row)").format(
                n=accepted - ROWS_LISTED
            )
        )
    if report.new_depts:
        lines.append(
            _(
                "New departments: {depts} (client departments; mark HR's own with "
                "`hrtrust dept add NAME --internal`)."
            ).format(depts=_(", ").join(report.new_depts))
        )
    if report.ignored:
        lines.append(
            _('Ignored columns: {columns} (use --map "Column=field").').format(
                columns=_(", ").join(report.ignored)
            )
        )
    lines += manager_lines(report)
    if report.full:
        lines += moment_lines(report)
    if report.dry_run:
        tail = _("Dry run: nothing was written.")
        if report.rejected and not report.skip_bad:
            tail += _(" With rejected rows a real import writes nothing unless --skip-bad.")
        lines.append(tail)
    elif report.written:
        if report.rejected:
            saved = _(
                "Saved contacts.toml ({created} created, {updated} updated; skipped {rejected} "
                "rejected)."
            )
        else:
            saved = _("Saved contacts.toml ({created} created, {updated} updated).")
        lines.append(
            saved.format(created=c["created"], updated=c["updated"], rejected=report.rejected)
        )
    elif not report.rejected or report.skip_bad:
        lines.append(_("Nothing to change."))
    return lines


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def manager_lines(report: ImportReport) -> list[str]:
    """Who the manager column made a manager, and the managers it names who are no contact."""
    lines = []
    if report.managers_tagged:
        lines.append(
            _("Tagged manager (the manager column names them): {people}.").format(
                people=_people(report.managers_tagged)
            )
        )
    if report.managers_unknown:
        named = [
            (ngettext("{n} report", "{n} reports", n).format(n=n), name)
            for name, n in report.managers_unknown
        ]
        lines.append(
            _(
                "Managers who are not contacts: {people} (`contact add NAME --tag manager` "
                "puts one in `report balance`)."
            ).format(people=_people(named))
        )
    return lines


# A moment's kind as the import report says it (--json carries the kind itself).
MOMENT_WORDS = {
    "hired": N_("new hire"),
    "transfer": N_("transfer"),
    "title": N_("new title"),
    "manager": N_("new manager"),
    "left": N_("left"),
    "returned": N_("returned"),
}
# Where a moment's date comes from, as the import report says it.
DATED_WORDS = {
    "hire-date": N_("hire date"),
    "effective-date": N_("effective date"),
    None: N_("import date"),
}


def moment_lines(report: ImportReport) -> list[str]:
    """The roster moments of a --full import, one per line, each with its date and where the
    date comes from (the hire date, the effective date, or the day of the import)."""
    if not report.moments:
        lines = [
            _(
                "Roster: no moments (no new hires, transfers, title or manager changes, "
                "leavers or returns)."
            )
        ]
    else:
        lines = [
            _("Roster moments ({n}; each asks for a reach-out in the plan):").format(
                n=len(report.moments)
            )
        ]
    kind_width = max(11, *(_width(_(w)) for w in MOMENT_WORDS.values()))
    for cid, name, m in report.moments:
        what = roster.describe(m)
        if m.kind == "left":
            what = (
                _("archived (was in {dept})").format(dept=m.before) if m.before else _("archived")
            )
        when = _("{day} ({source})").format(day=m.date.isoformat(), source=_(DATED_WORDS[m.dated]))
        line = "  " + _pad(_(MOMENT_WORDS[m.kind]), kind_width) + "  "
        line += _("{name} ({id})").format(name=name, id=cid)
        line += _(": {what}, {when}").format(what=what, when=when) if what else f", {when}"
        lines.append(line)
    if report.leavers_held:
        lines.append(
            _("Leavers not checked: with rejected rows, an absent person may be a rejected row.")
        )
    if report.left_alone:
        lines.append(
            ngettext(
                "Left alone: {n} stored person not in this roster was added by hand, not by an "
                "import; a roster archives only people an import brought in (if they left: "
                "`hrtrust contact archive REF`).",
                "Left alone: {n} stored people not in this roster were added by hand, not by an "
                "import; a roster archives only people an import brought in (if one left: "
                "`hrtrust contact archive REF`).",
                report.left_alone,
            ).format(n=report.left_alone)
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
                "dated_by": m.dated or "import",
                "before": m.before,
                "after": m.after,
            }
            for cid, name, m in report.moments
        ],
        "leavers_checked": report.full and not report.leavers_held,
        "left_alone": report.left_alone,
        "managers_tagged": [{"id": cid, "name": name} for cid, name in report.managers_tagged],
        "managers_not_contacts": [
            {"name": name, "reports": n} for name, n in report.managers_unknown
        ],
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
