"""``hrtrust init`` and ``hrtrust forget``: creating a data home and erasing a person."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import resolve_whole
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.present.common import plural
from hrtrust.storage.crypto import OpenedForEdit
from hrtrust.storage.home import detect_timezone, init_home
from hrtrust.storage.store import Store

from .common import say, state


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

        from . import load

        code = country_code(country, load.known_countries())
    if not demo and tz is None:
        tz = _timezone(detect_timezone())
    files, kept = init_home(st.store, demo=demo, today=st.today, timezone=tz, country=code)
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

        from . import load

        return timezone_name(name, load.known_zones())


def forget(
    ctx: typer.Context,
    ref: Annotated[
        str, typer.Argument(help="Id, full name, or a whole given or family name (no prefixes).")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a person everywhere: contact, log, promises, activities and feedback.

    Entries shared with others are kept without them. There is no undo and no backup:
    erasure means erasure.
    """
    st = state(ctx)
    store = st.ready_store()
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
        txn.forgetting(
            f'"{contact.id}"', *domain.mention_terms(contact)
        )  # no backup of the erased person is kept
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
        )
        if opened is not None:
            opened.reseal_unchanged()
    store.drop_cache()
    say(
        f"Forgot {gone.contact.name} ({gone.contact.id}): contact removed; "
        f"{plural(gone.log_entries_deleted, 'log entry', 'log entries')} deleted, "
        f"{gone.log_entries_edited} edited; {plural(gone.promises_deleted, 'promise')}, "
        f"{plural(gone.feedback_deleted, 'feedback item')} deleted; removed from "
        f"{plural(gone.activities_edited, 'activity', 'activities')}."
    )
    if gone.scrubbed:
        say(f"Replaced their name with [forgotten] in: {'; '.join(gone.scrubbed)}.")
    if gone.locked_dropped:
        n = gone.locked_dropped
        say(
            f"{n} encrypted note{'s' if n != 1 else ''} or fact{'s' if n != 1 else ''} of "
            "entries shared with others could not be read to remove the name, so "
            f"{'they were' if n != 1 else 'it was'} deleted."
        )
    if gone.sealed_unsearched:
        n = gone.sealed_unsearched
        say(
            f"{plural(n, 'other encrypted text')} could not be searched for their name without "
            "the identity; they stay encrypted."
        )


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
