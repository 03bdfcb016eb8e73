"""``hrtrust init`` and ``hrtrust forget``: creating a data home and erasing a person."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import resolve_whole
from hrtrust.models import (
    ActivitiesFile,
    Config,
    Contact,
    ContactsFile,
    Document,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.present.common import plural
from hrtrust.storage.crypto import OpenedForEdit
from hrtrust.storage.home import detect_timezone, init_home
from hrtrust.storage.store import Store, Transaction

from .common import State, say, state


def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help="Fill it with the demo data set.")] = False,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone",
            metavar="TZ",
            help="IANA time zone, e.g. Asia/Taipei (default: this machine's; "
            "the demo's: Asia/Taipei).",
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="CODE",
            help="ISO country code whose public holidays to plan around, e.g. TW "
            "(default: none; the demo's: TW).",
        ),
    ] = None,
) -> None:
    """Create the data home (folder 0700, files 0600).

    Example: hrtrust init --timezone Asia/Taipei --country TW
    """
    st = state(ctx)
    tz = _timezone(timezone) if timezone else None
    code = None
    if country is not None:
        from hrtrust.domain.settings import country_code
        from hrtrust.storage import derived

        code = country_code(country, derived.known_countries())
    if not demo and tz is None:
        tz = _timezone(detect_timezone())
    today = _demo_today(st, tz) if demo else st.today
    files, kept = init_home(st.store, demo=demo, today=today, timezone=tz, country=code)
    what = "with the demo data" if demo else "empty"
    if kept:
        say(
            f"Set up {st.store.home}: created {', '.join(files)}; kept the "
            f"{plural(len(kept), 'data file')} already there as they were."
        )
    else:
        say(f"Created {st.store.home} ({what}, {plural(len(files), 'file')}).")
    say("Next: hrtrust plan week" if demo else "Next: hrtrust contact add NAME --dept D --tag ally")


def _timezone(name: str) -> str:
    """``name`` if zoneinfo knows it, else an error naming the nearest zones."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
        return name
    except (ZoneInfoNotFoundError, ValueError):
        from hrtrust.domain.settings import timezone_name
        from hrtrust.storage import derived

        return timezone_name(name, derived.known_zones())


def _demo_today(st: State, timezone: str | None) -> dt.date:
    """Today as every command will read it in the demo's home: the date in the time zone that
    home gets (``--timezone``, else the demo's own), or the day ``--today`` names. The State
    cannot tell it yet, with no config.toml to read the zone from: on a Sunday evening UTC it
    is already Monday in Taipei, and the demo's weeks must be Taipei's."""
    from zoneinfo import ZoneInfo

    from hrtrust.storage.home import demo_timezone

    day = st.now().astimezone(ZoneInfo(timezone or demo_timezone())).date()
    if st.today_option is None:
        return day
    from hrtrust.domain.dates import check_plannable, parse_date

    return check_plannable(parse_date(st.today_option, day), "--today")


def forget(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help="Id, full name, or a whole given or family name (no prefixes).")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show every change and write nothing.")
    ] = False,
    also: Annotated[
        list[str] | None,
        typer.Option(
            "--also",
            metavar="WORD",
            help="Also rewrite this word (exactly as typed, whole words) in others' texts: a "
            "single given or family name that forget lists for review.",
        ),
    ] = None,
) -> None:
    """Erase a person everywhere: contact, log, promises, activities and feedback.

    Entries shared with others are kept without them. In other people's texts, what names
    the person unambiguously (full name, e-mail, id, a CJK given name no one else has) becomes
    [forgotten]; a single given or family name ("Will", "Hope") may be an ordinary word, so it
    is listed for review and rewritten only with --also WORD. There is no undo and no backup:
    erasure means erasure (--dry-run shows every change first).

    Example: hrtrust forget "Will Hope" --dry-run
    """
    st = state(ctx)
    store = st.ready_store()
    if dry_run:
        _forget_dry_run(store, ref, also or [])
        return
    if not yes:
        contact = resolve_whole(ref, store.contacts().contact)
        import sys

        if not sys.stdin.isatty():
            from hrtrust.errors import UsageError

            raise UsageError("forget needs --yes when not run on a terminal")
        typer.confirm(f"Erase {contact.name} ({contact.id}) from every file?", abort=True)
    with store.transaction() as txn:
        contacts = txn.edit(ContactsFile)
        contact = resolve_whole(ref, contacts.contact)
        gone = _forget_in(txn, store, contact, also or [])
    store.drop_cache()
    _say_forgotten(gone, also or [], done=True)


class _DryRun(Exception):
    """Raised inside the transaction so a dry run writes nothing."""

    def __init__(self, gone: domain.Forgotten) -> None:
        self.gone = gone


def _forget_dry_run(store: Store, ref: str, also: list[str]) -> None:
    try:
        with store.transaction() as txn:
            contact = resolve_whole(ref, txn.edit(ContactsFile).contact)
            raise _DryRun(_forget_in(txn, store, contact, also))
    except _DryRun as dry:
        _say_forgotten(dry.gone, also, done=False)


def _forget_in(
    txn: Transaction, store: Store, contact: Contact, also: list[str]
) -> domain.Forgotten:
    contacts = txn.edit(ContactsFile)
    named = domain.mentions(contact, contacts.contact, also)
    txn.forgetting(f'"{contact.id}"', *named.terms)  # no backup of the erased person is kept
    logs = [txn.edit(LogFile, rel) for rel in store.log_months()]
    feedback = txn.edit(FeedbackFile)
    opened = None
    if txn.get(Config).encryption is not None:  # to find their name in encrypted notes
        opened = _open_private(store, [contacts, feedback, *logs])
    gone = domain.forget(
        contact,
        contacts=contacts,
        promises=txn.edit(PromisesFile),
        activities=txn.edit(ActivitiesFile),
        feedback=feedback,
        logs=logs,
        also=also,
    )
    if opened is not None:
        opened.reseal_unchanged()
    return gone


def _say_forgotten(gone: domain.Forgotten, also: list[str], *, done: bool) -> None:
    who = f"{gone.contact.name} ({gone.contact.id})"
    counts = (
        f"{plural(gone.log_entries_deleted, 'log entry', 'log entries')} deleted, "
        f"{gone.log_entries_edited} edited; {plural(gone.promises_deleted, 'promise')}, "
        f"{plural(gone.feedback_deleted, 'feedback item')} deleted; removed from "
        f"{plural(gone.activities_edited, 'activity', 'activities')}."
    )
    if done:
        say(f"Forgot {who}: contact removed; {counts}")
    else:
        say(f"Dry run, nothing was changed. Forgetting {who} would remove the contact; {counts}")
    if gone.scrubbed:
        verb = "Replaced" if done else "Would replace"
        say(f"{verb} their name with [forgotten] in: {'; '.join(gone.scrubbed)}.")
    if gone.review:
        listed = "; ".join(f'{place}: "{word}"' for place, word in gone.review)
        words = sorted({word for _, word in gone.review})
        say(
            f"Left as written, for you to review (a single name may be an ordinary word or "
            f"someone else's): {listed}."
        )
        flags = " ".join(f"--also {shlex_quote(w)}" for w in words)
        say(f"To rewrite those too: hrtrust forget {gone.contact.id} {flags}")
    if gone.locked_dropped:
        n = gone.locked_dropped
        verb = "they were" if n != 1 else "it was"
        if not done:
            verb = "they would be" if n != 1 else "it would be"
        say(
            f"{n} encrypted note{'s' if n != 1 else ''} or fact{'s' if n != 1 else ''} of "
            "entries shared with others could not be read to remove the name, so "
            f"{verb} deleted."
        )
    if gone.sealed_unsearched:
        n = gone.sealed_unsearched
        say(
            f"{plural(n, 'other encrypted text')} could not be searched for their name without "
            "the identity; they stay encrypted."
        )


def shlex_quote(word: str) -> str:
    import shlex

    return shlex.quote(word)


def _open_private(store: Store, docs: list[Document]) -> OpenedForEdit | None:
    """Open the encrypted private texts, so the name can be scrubbed from them (the commit
    seals them again); without the identity they stay sealed, and forget deletes those of
    entries the person shared (it cannot scrub what it cannot read) and leaves the rest."""
    import os

    from hrtrust.storage.crypto import IdentityUnavailable, Keys

    from .common import ask_passphrase

    try:
        return OpenedForEdit.open(docs, Keys.from_env(os.environ, ask=ask_passphrase))
    except IdentityUnavailable as exc:
        store.warn(f"notes are locked ({exc.message})")
        return None
