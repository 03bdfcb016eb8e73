"""``hrtrust export ...`` and ``hrtrust import ...``: calendars, spreadsheets, scripts."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from hrtrust.errors import UsageError, WriteError
from hrtrust.locale import N_, _, ngettext
from hrtrust.models import ActivitiesFile, Config, ContactsFile, FeedbackFile, LogFile, PromisesFile
from hrtrust.present.output import render
from hrtrust.storage.crypto import OpenedForEdit
from hrtrust.storage.paths import month_file, month_of, month_rel
from hrtrust.storage.store import Store

from .common import JsonOption, PrivateOption, say, state, unlock

export_app = typer.Typer(
    help="Export the plan to a calendar (ics), everything (json) or contacts (csv).",
    no_args_is_help=True,
)
import_app = typer.Typer(
    help="Import contacts (HRIS CSV), meetings from a calendar (.ics), or a JSON export.",
    no_args_is_help=True,
)

Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (private to you, replaced atomically; - for stdout) instead of "
        "stdout. Not inside the data home; the folder must exist.",
    ),
]


def _target(output: str | None, store: Store) -> Path | None:
    """The checked --output (None: stdout), before any work is done."""
    from hrtrust.storage.output import check_output

    return None if output is None else check_output(output, store.home)


def _emit(text: str, target: Path | None, what: str) -> None:
    """To stdout as UTF-8 bytes (CRLF and BOM kept as they are), or to the --output file."""
    from hrtrust.storage.output import write_output

    if write_output(target, text):  # a file, not stdout, a pipe or a device
        say(_("Wrote {path} ({what}).").format(path=target, what=what))


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
        raise UsageError(
            _("--weeks must be 1 to {most}, not {weeks}").format(most=MAX_WEEKS, weeks=weeks)
        )
    st = state(ctx)
    store = st.ready_store()
    if include_private:
        unlock(store)
    target = _target(output, store)
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
    _emit(
        text,
        target,
        _("{events} recurring events, {todos} to-dos").format(events=events, todos=todos),
    )


@export_app.command("json")
def export_json(
    ctx: typer.Context, output: Output = None, include_private: PrivateOption = False
) -> None:
    """Everything but personal notes as one JSON document, for scripts and moving homes.

    Config, contacts, activities, promises, feedback and pulse results, and the whole log,
    with a format version; `import json` restores it into an empty data home. Personal notes
    and learned facts are left out (--include-private keeps them): for a full backup use
    `hrtrust backup`. It is your data in full, small groups' pulse scores and survey answers
    included: to share results, share the reports, which hide groups under min_responses.

    Example: hrtrust export json --output hrtrust.json
    """
    from hrtrust.interop.dump import dumps_json

    st = state(ctx)
    store = st.ready_store()
    target = _target(output, store)
    if include_private:
        unlock(store)
    data = _export(store, st.today, private=include_private)
    what = (
        _("with personal notes: keep it private")
        if include_private
        else _("without personal notes, shareable; `hrtrust backup` keeps everything")
    )
    _emit(dumps_json(data), target, what)


def _export(store: Store, today: dt.date, *, private: bool, raw: bool = False) -> dict[str, Any]:
    """Everything as JSON data (``raw``: private texts as stored, sealed in an encrypted home)."""
    from hrtrust.interop.dump import SECTIONS, export_data

    docs = {key: store.read(cls, raw=raw) for key, cls in SECTIONS.items()}
    logs = {month_of(rel): store.log_month(rel, raw=raw) for rel in store.log_months()}
    return export_data(docs, logs, today, private=private)


def backup(
    ctx: typer.Context,
    output: Annotated[
        str,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The backup file (written 0600, replaced atomically).",
        ),
    ],
) -> None:
    """Back up everything, personal notes included, to one file only you can read.

    The file is JSON (0600, written atomically); restore it with `hrtrust import json FILE`
    into an empty data home. In an encrypted home the private notes are copied as they are
    stored, still encrypted: a backup never needs the identity and never holds them in clear,
    and the restored home opens them with the same key.

    Example: hrtrust backup --output ~/hrtrust-backup.json
    """
    from hrtrust.interop.dump import dumps_json

    st = state(ctx)
    store = st.ready_store()
    target = _target(output, store)
    data = _export(store, st.today, private=True, raw=True)  # sealed texts stay sealed
    entries = sum(len(month.get("entry", [])) for month in data["log"].values())
    people = len(data["contacts"].get("contact", []))
    what = (
        _("{contacts}, {entries}, personal notes included (still encrypted)")
        if store.encrypted()
        else _("{contacts}, {entries}, personal notes included")
    ).format(
        contacts=ngettext("{n} contact", "{n} contacts", people).format(n=people),
        entries=ngettext("{n} log entry", "{n} log entries", entries).format(n=entries),
    )
    _emit(dumps_json(data), target, what)
    say(
        _("Restore it into an empty data home with: {command}").format(
            command=f"hrtrust import json {output}"
        )
    )


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
    target = _target(output, store)
    contacts = store.contacts()
    n = len(contacts.contact)
    _emit(
        contacts_csv(contacts, private=include_private),
        target,
        ngettext("{n} contact", "{n} contacts", n).format(n=n),
    )


def _read(name: str) -> bytes:
    """The whole file to import; a file that cannot be read is an I/O failure (exit 7)."""
    try:
        return Path(name).expanduser().read_bytes()
    except OSError as exc:
        raise _unreadable(name, exc) from None


def _unreadable(name: str, exc: OSError) -> WriteError:
    return WriteError(
        _("{path}: cannot read: {reason}; nothing was changed").format(
            path=name, reason=exc.strerror or type(exc).__name__
        ),
        hint=_("check the file's name and that you may read it"),
    )


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
            help="Read COLUMN as FIELD (name, english_name, employee_number, email, dept, "
            "role, location, shift, hired, effective_date, manager, birthday, tags, "
            "first_name, last_name, id, every, notes, or ignore). Repeatable.",
        ),
    ] = None,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Import the good rows even if some are rejected.")
    ] = False,
    date_order: Annotated[
        str | None,
        typer.Option("--date-order", metavar="dmy|mdy", help="How to read dates like 03/04/2024."),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="The file is the whole roster: record new hires, transfers, title and "
            "manager changes, leavers (archived) and returns.",
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Add or update contacts from an HRIS or spreadsheet export.

    Recognises the usual columns (name or first/last name, English name, employee number,
    email, department, title, location, shift, hire date, effective date, manager, birthday,
    tags) in any case; UTF-8 with or without BOM, UTF-16, or Big5 with Chinese headers;
    comma, semicolon or tab. Rows match existing contacts by employee number, else e-mail,
    else id, else name. The people the manager column names are tagged manager. If any row
    is rejected nothing is written, unless --skip-bad.

    \b
    Taiwanese exports are read too:
    headers 員工編號/工號, 英文名, 班別, 直屬主管, 職稱, 到職日, 生效日,
    生日, 工作地點;
    ROC dates such as 113/01/15, 民國 113/01/15, 1130115 and 2024年1月15日.

    With --full the file is the whole roster: compared with what is stored, new hires,
    transfers, title and manager changes, leavers and returns are reported and recorded on
    each person (dated by the hire date or effective date where the file gives one),
    leavers are archived (never deleted), and each moment asks for a reach-out in the next
    plan. A leaver is someone an earlier import brought in; people added by hand are never
    archived. Without --full, people missing from the file mean nothing.

    Example: hrtrust import contacts hris.csv --map "Org Unit=dept" --dry-run
    """
    from hrtrust.interop import csv_import as imp

    if date_order not in (None, "dmy", "mdy"):
        raise UsageError(
            _("--date-order must be dmy or mdy, not {order!r}").format(order=date_order)
        )
    st = state(ctx)
    store = st.ready_store()
    table = imp.read_table(_read(file), str(file))
    fields = imp.column_fields(table.columns, map_ or [])
    from hrtrust.present.progress import progress_bar

    rows = table.size + len(table.bad)
    with store.transaction() as txn, progress_bar(rows, _("Importing rows")) as progress:
        contacts = txn.get(ContactsFile)
        config = txn.get(Config)
        # A notes column is compared with the stored notes: in an encrypted home they are
        # opened first (an unchanged note keeps its bytes; a new one is sealed at commit).
        opened = (
            _open_for_compare(store, contacts)
            if "notes" in fields.values() and config.encryption is not None
            else None
        )
        report = imp.import_contacts(
            contacts,
            table,
            fields,
            st.today,
            where=Path(file).name,
            dry_run=dry_run,
            skip_bad=skip_bad,
            date_order="dmy" if date_order == "dmy" else "mdy" if date_order else None,
            progress=progress,
            config=config,
            full=full,
        )
        del table  # its rows are in the contacts now: not held while they are written
        if opened is not None:
            opened.reseal_unchanged()
        if report.written:
            txn.save(contacts)
            if report.new_depts:
                txn.save(config)
    render(
        json=json,
        data=lambda: imp.report_json(report),
        view=lambda: "\n".join(imp.report_lines(report)),
    )
    if report.rejected and not dry_run and not skip_bad:
        rows = len(report.rows)
        raise UsageError(
            ngettext(
                "{n} of {rows} row rejected, so nothing was written",
                "{n} of {rows} rows rejected, so nothing was written",
                rows,
            ).format(n=report.rejected, rows=rows),
            hint=_("fix those rows, or add --skip-bad to import the others"),
        )


@import_app.command("calendar")
def import_calendar(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The .ics calendar export.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be logged, marked or skipped.")
    ] = False,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events from this date on.")
    ] = None,
    me: Annotated[
        str | None,
        typer.Option(
            "--me", metavar="EMAIL", help="Your own address, so events you declined are skipped."
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """Log past meetings with your contacts from a calendar export (Outlook, Google, Apple).

    An event whose attendees include contacts (matched by e-mail, any case) becomes a log
    entry on its local day, with a kind guessed from the title (else `meeting`) and the title
    as the note. An event that is a planned activity occurrence marks it attended instead.
    Cancelled and declined events, future events and events with no contact are skipped;
    attendees who match no contact are listed. The same meeting with the same people on the
    same day is one entry, and importing the same file again logs nothing twice. An event
    that cannot be read (no start, a broken rule, a rule repeating more often than daily over
    several days) is listed with the reason; the rest of the file is still imported.

    Example: hrtrust import calendar ~/Downloads/calendar.ics --dry-run
    """
    from zoneinfo import ZoneInfo

    from hrtrust.domain.contacts import id_key
    from hrtrust.domain.dates import parse_date
    from hrtrust.interop import calendar_import as cal
    from hrtrust.present.progress import progress_bar

    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    first = parse_date(since, st.today) if since else None
    where = Path(file).name
    try:  # read as a stream: a calendar of years is never held whole
        with Path(file).expanduser().open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            with progress_bar(size // 1024, _("Reading the calendar")) as progress:
                found = cal.read_events(
                    stream,
                    where,
                    ZoneInfo(config.timezone),
                    first,
                    st.today + cal.FUTURE_WINDOW,
                    progress=progress,
                )
    except OSError as exc:
        raise _unreadable(file, exc) from None
    past = [e.day for e in found.events if e.day <= st.today]
    with store.transaction() as txn:
        contacts = txn.get(ContactsFile).contact
        plan = cal.plan_import(
            found.events,
            contacts=contacts,
            activities=txn.get(ActivitiesFile).activity,
            entries=store.iter_log(min(past), max(past)) if past else (),
            config=config,
            today=st.today,
            me=me or found.owner,
            unread=found.unread,
        )
        if not dry_run and plan.changes:
            # Each month the plan changes is saved (and only those): nothing is written
            # twice to find out whether it changed.
            cal.apply_plan(
                plan,
                lambda day: txn.get(LogFile, month_file(day)),
                lambda day, log: txn.save(log, month_file(day)),
            )
    names = {c.id: c.name for c in sorted(contacts, key=id_key)}
    render(
        json=json,
        data=lambda: cal.report_json(plan, where, dry_run=dry_run),
        view=lambda: "\n".join(cal.report_lines(plan, where, names, dry_run=dry_run)),
    )


def _open_for_compare(store: Store, contacts: ContactsFile) -> OpenedForEdit | None:
    """The stored notes opened with the identity, or None (with one warning) without it: the
    file's notes then replace the stored ones, which cannot be compared."""
    import os

    from hrtrust.storage.crypto import IdentityUnavailable, Keys

    from .common import ask_passphrase

    try:
        return OpenedForEdit.open([contacts], Keys.from_env(os.environ, ask=ask_passphrase))
    except IdentityUnavailable as exc:
        store.warn(
            _("notes are locked ({reason}): the file's notes replace them").format(
                reason=exc.message
            )
        )
        return None


@import_app.command("json")
def import_json(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="A `hrtrust export json` file.")],
) -> None:
    """Restore a backup or JSON export into an empty data home.

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
        raise UsageError(_("{path}: not UTF-8 text").format(path=file)) from None
    data = dump.parse_export(text, str(file))
    docs, logs, done = dump.restorable(data, str(file))
    with store.transaction() as txn:
        counts = (
            (N_("{n} contacts"), len(txn.get(ContactsFile).contact)),
            (N_("{n} activities"), len(txn.get(ActivitiesFile).activity)),
            (N_("{n} promises"), len(txn.get(PromisesFile).promise)),
            (N_("{n} feedback items"), len(txn.get(FeedbackFile).feedback)),
            (N_("{n} log months"), len(store.log_months())),
        )
        held = _(", ").join(_(what).format(n=n) for what, n in counts if n)
        if held:
            raise UsageError(
                _(
                    "{home} already holds data ({held}); import json only restores into an "
                    "empty data home"
                ).format(home=store.home, held=held),
                hint=_("create one first: hrtrust --home NEW_FOLDER init, then import with --home"),
            )
        for doc in docs.values():
            txn.save(doc)
        for month, log in logs.items():
            txn.save(log, month_rel(month))
    say(
        _(
            "Restored {contacts}, {activities}, {promises}, {feedback} and {entries} "
            "({months}) into {home}."
        ).format(
            contacts=ngettext("{n} contact", "{n} contacts", done.contacts).format(n=done.contacts),
            activities=ngettext("{n} activity", "{n} activities", done.activities).format(
                n=done.activities
            ),
            promises=ngettext("{n} promise", "{n} promises", done.promises).format(n=done.promises),
            feedback=ngettext("{n} feedback item", "{n} feedback items", done.feedback).format(
                n=done.feedback
            ),
            entries=ngettext("{n} log entry", "{n} log entries", done.log_entries).format(
                n=done.log_entries
            ),
            months=ngettext("{n} month", "{n} months", done.log_months).format(n=done.log_months),
            home=store.home,
        )
    )
    if not done.private:
        say(
            _("This export had no personal notes (it was a shareable `export json`, not a backup).")
        )


# `import handover FILE`: its body lives beside `handover` (cli/handover.py), which imports
# nothing heavy until it runs; it is registered here, on the group it belongs to.
from .handover import import_handover  # noqa: E402

import_app.command("handover")(import_handover)
