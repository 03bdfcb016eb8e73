"""The whole data set as one JSON document (and back), and contacts as an Excel-friendly CSV.

The JSON export mirrors the files: ``config``, ``contacts``, ``activities``, ``promises``,
``feedback`` and one ``log`` document per month, each exactly as stored (schema version,
next ids, keys hrtrust does not know). Restoring it into an empty data home writes the same
TOML bytes back. Without ``private`` the personal fields are left out: contact notes,
learned facts, talking points and pause reasons, log notes and learned facts, and activity notes.
Keys in ``config.toml`` that look like secrets (a password, a token, an API key) are always left
out, backups included.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

# pydantic.ValidationError is this class; importing it from pydantic costs pydantic.errors
from pydantic_core import ValidationError

from hrtrust.domain.contacts import id_key
from hrtrust.domain.departments import Documents, match_references
from hrtrust.errors import HrtrustError, UsageError
from hrtrust.models import (
    LOCKED,
    MAX_DEPTH,
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    LogFile,
    PromisesFile,
    SecretPath,
    dotted,
    lazy_re,
    nesting_depth,
    secret_keys,
    to_toml_dict,
)
from hrtrust.present.common import json_safe, visible
from hrtrust.present.json_views import jsonable_dict
from hrtrust.record import Record

FORMAT = "hrtrust-export"
FORMAT_VERSION = 1

# key in the JSON document -> the file's model
SECTIONS: dict[str, type[Document]] = {
    "config": Config,
    "contacts": ContactsFile,
    "activities": ActivitiesFile,
    "promises": PromisesFile,
    "feedback": FeedbackFile,
}
_MONTH = lazy_re(r"^\d{4}-\d{2}$")
M = TypeVar("M", bound=Record)


def export_data(
    docs: Mapping[str, Document],
    logs: Mapping[str, LogFile],
    today: dt.date,
    *,
    private: bool = False,
) -> dict[str, Any]:
    """Everything in the data home as one JSON-ready document, with a format version.

    ``docs`` holds each of :data:`SECTIONS`; ``logs`` the month files by month (``2026-11``).
    """
    out: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported": today.isoformat(),
        "private": private,
    }
    for key in SECTIONS:
        out[key] = _section(docs[key], private)
    out["log"] = {month: _section(logs[month], private) for month in sorted(logs)}
    return out


def _section(doc: Document, private: bool) -> dict[str, Any]:
    data = to_toml_dict(doc)
    if isinstance(doc, Config):  # a secret is never exported, not even in a backup
        for path in secret_keys(doc):
            _drop(data, path)
    if not private:
        for record in data.get("contact", []):
            record.pop("notes", None)
            record.pop("learned", None)
            record.pop("paused_reason", None)  # parental leave, an ER case: private
            record.pop("topics", None)
        for record in data.get("entry", []):
            record.pop("note", None)
            record.pop("learned", None)
        for record in data.get("activity", []):
            record.pop("notes", None)
        for record in data.get("feedback", []):
            if record.get("private"):
                record["text"] = LOCKED  # required on restore; the words stay out
    return jsonable_dict(data)


def _drop(data: dict[str, Any], path: SecretPath) -> None:
    """Delete the key at ``path`` (keys and list positions) from a TOML-ready table."""
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    del parent[path[-1]]


def secrets_left_out(config: Config) -> str | None:
    """The warning for the keys in ``config.toml`` that look like secrets, which every export
    and backup leaves out (None when there is none). A secret for another tool does not
    belong in the data home: it is moved out, not exported."""
    paths = secret_keys(config)
    if not paths:
        return None
    names = ", ".join(dotted(p) for p in paths)
    looks = "it looks like a secret" if len(paths) == 1 else "they look like secrets"
    return (
        f"config.toml: left out {names}: {looks}, and a secret is never exported "
        "(move it out of config.toml; `hrtrust doctor` lists it)"
    )


def dumps_json(data: dict[str, Any]) -> str:
    """The export as text: UTF-8 as is (CJK readable), indented, one trailing newline; the
    characters a terminal acts on (C1 controls, bidi overrides) as ``\\u`` escapes, which
    read back as the same values."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


@dataclass(frozen=True)
class Restored:
    """What ``import json`` wrote."""

    contacts: int
    activities: int
    promises: int
    feedback: int
    log_entries: int
    log_months: int
    private: bool


def parse_export(text: str, where: str) -> dict[str, Any]:
    """Read and check an export's JSON text (format and version), or raise UsageError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{where}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg})",
            hint="give a file written by `hrtrust export json`",
        ) from None
    except RecursionError:
        data = None
    if data is None or nesting_depth(data) > MAX_DEPTH + 4:  # + the export's own levels
        raise UsageError(
            f"{where}: nested too deeply to be an hrtrust export",
            hint="give a file written by `hrtrust export json`",
        )
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(
            f"{where}: not an hrtrust export", hint="give a file written by `hrtrust export json`"
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise UsageError(
            f"{where}: export format version {version!r}; this hrtrust reads {FORMAT_VERSION}",
            hint="import it with the hrtrust version that wrote it",
        )
    return data


def restorable(
    data: dict[str, Any], where: str
) -> tuple[dict[str, Document], dict[str, LogFile], Restored]:
    """Validate an export: the documents by section, the month logs by month, and a summary."""
    docs: dict[str, Document] = {}
    for key, cls in SECTIONS.items():
        docs[key] = _validate(cls, data.get(key, {}), f"{where}: {key}")
    months = data.get("log", {})
    if not isinstance(months, dict):
        raise UsageError(f"{where}: log: expected an object of months like 2026-11")
    logs: dict[str, LogFile] = {}
    for month, value in sorted(months.items()):
        if not _MONTH.match(month) or not 1 <= int(month[5:]) <= 12 or month < "0001":
            raise UsageError(f"{where}: log: {month!r} is not a month like 2026-11")
        logs[month] = _validate(LogFile, value, f"{where}: log.{month}")
    config = docs["config"]
    assert isinstance(config, Config)
    if not _known_timezone(config.timezone):
        raise UsageError(
            f"{where}: config.timezone: {config.timezone!r} is not a known time zone",
            hint="use an IANA name like Asia/Taipei or UTC",
        )
    contacts = docs["contacts"]
    activities = docs["activities"]
    promises = docs["promises"]
    feedback = docs["feedback"]
    assert isinstance(contacts, ContactsFile) and isinstance(activities, ActivitiesFile)
    assert isinstance(promises, PromisesFile) and isinstance(feedback, FeedbackFile)
    config = docs["config"]
    assert isinstance(config, Config)
    all_docs = Documents(config, contacts, activities, promises, feedback, list(logs.values()))
    try:
        match_references(all_docs)  # the same matching as a typed --dept
    except HrtrustError as exc:
        raise UsageError(f"{where}: {exc.message}", hint=exc.hint) from None
    summary = Restored(
        contacts=len(contacts.contact),
        activities=len(activities.activity),
        promises=len(promises.promise),
        feedback=len(feedback.feedback),
        log_entries=sum(len(log.entry) for log in logs.values()),
        log_months=len(logs),
        private=bool(data.get("private")),
    )
    return docs, logs, summary


def _known_timezone(name: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return False
    return bool(name.strip())


def _validate(cls: type[M], value: Any, where: str) -> M:
    try:
        return cls.model_validate(value)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise UsageError(
            f"{where}.{loc}: {err['msg']}" if loc else f"{where}: {err['msg']}"
        ) from None


# -- contacts as CSV -------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "name",
    "dept",
    "role",
    "location",
    "email",
    "manager",
    "tags",
    "every",
    "birthday",
    "hired",
    "added",
    "english_name",
    "employee_number",
    "shift",
)
PRIVATE_CSV_COLUMNS = ("notes", "learned")


# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection"):
# the export prefixes it with ' (shown as text), and `import contacts` takes the ' off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: str) -> str:
    """``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``: text to a spreadsheet, never a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def contacts_csv(contacts: ContactsFile, *, private: bool = False) -> str:
    """Contacts as CSV for a spreadsheet: Excel dialect, a UTF-8 BOM so Excel shows CJK.

    Tags are joined with ``, ``; learned facts (with --include-private) one per line. A cell
    that a spreadsheet would run as a formula is prefixed with ``'``, and control characters
    (an escape sequence in a name) are shown as ``\\x1b``, as in every other output: the file
    is as likely to be printed on a terminal as opened in a spreadsheet.
    """
    columns = CSV_COLUMNS + (PRIVATE_CSV_COLUMNS if private else ())
    buf = io.StringIO()
    writer = csv.writer(buf, dialect="excel")
    writer.writerow(columns)
    cells: dict[str, Callable[[Any], str]] = {
        "tags": lambda v: ", ".join(v),
        "learned": lambda v: "\n".join(f"{f.date.isoformat()}: {f.text}" for f in v),
    }
    for c in sorted(contacts.contact, key=id_key):
        row = []
        for col in columns:
            value = getattr(c, col)
            if col in cells:
                row.append(cells[col](value))
            elif value is None:
                row.append("")
            elif isinstance(value, dt.date):
                row.append(value.isoformat())
            else:
                row.append(str(value))
        writer.writerow([guard(visible(cell)) for cell in row])
    return "\ufeff" + buf.getvalue()
