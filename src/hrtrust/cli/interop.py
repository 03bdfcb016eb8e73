"""``hrtrust export ...`` and ``hrtrust import ...``: calendars, spreadsheets, scripts."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from hrtrust.errors import UsageError
from hrtrust.models import ActivitiesFile, ContactsFile, FeedbackFile, PromisesFile
from hrtrust.present.output import render
from hrtrust.storage.paths import month_of, month_rel
from hrtrust.storage.store import Store

from .common import JsonOption, PrivateOption, say, state, unlock

export_app = typer.Typer(
    help="Export the plan to a calendar (ics), everything (json) or contacts (csv).",
    no_args_is_help=True,
)
import_app = typer.Typer(
    help="Import contacts from an HRIS/spreadsheet CSV, or restore a JSON export.",
    no_args_is_help=True,
)

Output = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (private to you, replaced atomically) instead of stdout.",
    ),
]


def _emit(text: str, output: Path | None, what: str) -> None:
    """To stdout as UTF-8 bytes (CRLF and BOM kept as they are), or atomically to a file."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    path = output.expanduser()
    # The store's all-or-nothing writer: temp file 0600, fsync, rename.
    Store(path.parent).write_files({path.name: text})
    say(f"Wrote {path} ({what}).")


@export_app.command("ics")
def export_ics(
    ctx: typer.Context,
    weeks: Annotated[
        int,
        typer.Option("--weeks", min=1, max=52, help="Weeks of reach-out to-dos, from this one."),
    ] = 1,
    output: Output = None,
    include_private: PrivateOption = False,
) -> None:
    """The plan as an iCalendar (.ics) file for any calendar program.

    Each activity is one recurring event (with its skipped dates, time zone, place and
    attendees); open promises and the week's reach-outs are to-dos. Importing a newer export
    updates the same events instead of duplicating them.

    Example: hrtrust export ics --output ~/hrtrust.ics
    """
    from hrtrust.domain.dates import week_monday
    from hrtrust.domain.planning import plan_week
    from hrtrust.interop.ics import MAX_WEEKS, build_calendar

    from .load import plan_input

    if not 1 <= weeks <= MAX_WEEKS:
        raise UsageError(f"--weeks must be 1 to {MAX_WEEKS}, not {weeks}")
    st = state(ctx)
    store = st.ready_store()
    if include_private:
        unlock(store)
    monday = week_monday(st.today)
    firsts = [monday + dt.timedelta(weeks=i) for i in range(weeks)]
    cal = build_calendar(
        config=store.config(),
        contacts=store.contacts().contact,
        activities=store.activities().activity,
        promises=store.promises().promise,
        plans=[plan_week(plan_input(store, first, st.today), st.today, first) for first in firsts],
        today=st.today,
        private=include_private,
    )
    text = cal.to_ical().decode("utf-8")
    events, todos = text.count("BEGIN:VEVENT"), text.count("BEGIN:VTODO")
    _emit(text, output, f"{events} recurring events, {todos} to-dos")


@export_app.command("json")
def export_json(
    ctx: typer.Context, output: Output = None, include_private: PrivateOption = False
) -> None:
    """Everything as one JSON document, for scripts and backups.

    Config, contacts, activities, promises, feedback and pulse results, and the whole log,
    with a format version; `import json` restores it into an empty data home.

    Without --include-private, personal notes and learned facts are left out.

    Example: hrtrust export json --include-private --output backup.json
    """
    from hrtrust.interop.dump import SECTIONS, dumps_json, export_data

    st = state(ctx)
    store = st.ready_store()
    if include_private:
        unlock(store)
    docs = {key: store.read(cls) for key, cls in SECTIONS.items()}
    logs = {month_of(rel): store.log_month(rel) for rel in store.log_months()}
    data = export_data(docs, logs, st.today, private=include_private)
    what = "with personal notes" if include_private else "without personal notes"
    _emit(dumps_json(data), output, what)


@export_app.command("csv")
def export_csv(
    ctx: typer.Context, output: Output = None, include_private: PrivateOption = False
) -> None:
    """Contacts as CSV for a spreadsheet.

    UTF-8 with a BOM, so Excel shows CJK names. The notes and learned columns appear only
    with --include-private.

    Example: hrtrust export csv --output contacts.csv
    """
    from hrtrust.interop.dump import contacts_csv

    st = state(ctx)
    store = st.ready_store()
    if include_private:
        unlock(store)
    contacts = store.contacts()
    _emit(
        contacts_csv(contacts, private=include_private), output, f"{len(contacts.contact)} contacts"
    )


def _read(name: str) -> bytes:
    try:
        return Path(name).expanduser().read_bytes()
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror or exc}") from None


@import_app.command("contacts")
def import_contacts(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The CSV file to import.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Read COLUMN as FIELD (name, email, dept, role, location, hired, manager, "
            "birthday, tags, first_name, last_name, id, every, notes, or ignore). Repeatable.",
        ),
    ] = None,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good rows even if some are rejected.")
    ] = False,
    date_order: Annotated[
        str | None,
        typer.Option("--date-order", metavar="dmy|mdy", help="How to read dates like 03/04/2024."),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Add or update contacts from an HRIS or spreadsheet export.

    Recognises the usual columns (name or first/last name, email, department, title, location,
    hire date, manager, birthday, tags) in any case; UTF-8 with or without BOM; comma,
    semicolon or tab. Rows match existing contacts by e-mail, else by id. If any row is
    rejected nothing is written, unless --skip-bad.

    Example: hrtrust import contacts hris.csv --map "Org Unit=dept" --dry-run
    """
    from hrtrust.interop import csv_import as imp

    if date_order not in (None, "dmy", "mdy"):
        raise UsageError(f"--date-order must be dmy or mdy, not {date_order!r}")
    st = state(ctx)
    store = st.ready_store()
    table = imp.read_table(_read(file), str(file))
    fields = imp.column_fields(table.columns, map_ or [])
    with store.transaction() as txn:
        contacts = txn.get(ContactsFile)
        report = imp.import_contacts(
            contacts,
            table,
            fields,
            st.today,
            where=Path(file).name,
            dry_run=dry_run,
            skip_bad=skip_bad,
            date_order="dmy" if date_order == "dmy" else "mdy" if date_order else None,
        )
        if report.written:
            txn.save(contacts)
    render(
        json=json,
        data=lambda: imp.report_json(report),
        view=lambda: "\n".join(imp.report_lines(report)),
    )
    if report.rejected and not dry_run and not skip_bad:
        n = report.rejected
        raise UsageError(
            f"{n} of {len(report.rows)} rows rejected, so nothing was written",
            hint="fix those rows, or add --skip-bad to import the others",
        )


@import_app.command("json")
def import_json(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A `hrtrust export json` file.")],
) -> None:
    """Restore a JSON export into an empty data home.

    Run `hrtrust init` in a new folder first; the export's settings replace the new ones.

    Example: hrtrust --home ~/hrtrust-restored import json backup.json
    """
    from hrtrust.interop import dump

    st = state(ctx)
    store = st.ready_store()
    raw = _read(file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{file}: not UTF-8 text") from None
    data = dump.parse_export(text, str(file))
    docs, logs, done = dump.restorable(data, str(file))
    with store.transaction() as txn:
        counts = {
            "contacts": len(txn.get(ContactsFile).contact),
            "activities": len(txn.get(ActivitiesFile).activity),
            "promises": len(txn.get(PromisesFile).promise),
            "feedback items": len(txn.get(FeedbackFile).feedback),
            "log months": len(store.log_months()),
        }
        held = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
        if held:
            raise UsageError(
                f"{store.home} already holds data ({held}); import json only restores "
                "into an empty data home",
                hint="create one first: hrtrust --home NEW_FOLDER init, then import with --home",
            )
        for doc in docs.values():
            txn.save(doc)
        for month, log in logs.items():
            txn.save(log, month_rel(month))
    say(
        f"Restored {done.contacts} contacts, {done.activities} activities, "
        f"{done.promises} promises, {done.feedback} feedback items and {done.log_entries} "
        f"log entries ({done.log_months} months) into {store.home}."
    )
    if not done.private:
        say("This export had no personal notes (it was made without --include-private).")
