"""``hrtrust init`` and ``hrtrust forget``: creating a data home and erasing a person."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import resolve
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.storage.home import detect_timezone, init_home
from hrtrust.storage.store import Store

from .common import say, state


def init(
    ctx: typer.Context,
    demo: Annotated[bool, typer.Option("--demo", help="Fill it with the demo data set.")] = False,
    timezone: Annotated[
        str | None,
        typer.Option(
            "--timezone", help="IANA time zone, e.g. Asia/Taipei (default: this machine's)."
        ),
    ] = None,
) -> None:
    """Create the data home (folder 0700, files 0600).

    Example: hrtrust init --demo && hrtrust plan week
    """
    st = state(ctx)
    tz = timezone or detect_timezone()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        from hrtrust.errors import UsageError

        raise UsageError(
            f"unknown time zone {tz!r}", hint="use an IANA name like Asia/Taipei"
        ) from None
    files = init_home(st.store, demo=demo, today=st.today, timezone=tz)
    what = "with the demo data" if demo else "empty"
    say(f"Created {st.store.home} ({what}, {len(files)} files).")
    say("Next: hrtrust plan week" if demo else "Next: hrtrust contact add NAME --dept D --tag ally")


def forget(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a person everywhere: contact, log, promises, activities and feedback.

    Entries shared with others are kept without them. There is no undo and no backup:
    erasure means erasure.
    """
    st = state(ctx)
    store = st.ready_store()
    if not yes:
        contact = resolve(ref, store.contacts().contact)
        import sys

        if not sys.stdin.isatty():
            from hrtrust.errors import UsageError

            raise UsageError("forget needs --yes when not run on a terminal")
        typer.confirm(f"Erase {contact.name} ({contact.id}) from every file?", abort=True)
    with store.transaction() as txn:
        contacts = txn.edit(ContactsFile)
        contact = resolve(ref, contacts.contact)
        txn.forgetting(f'"{contact.id}"', contact.name)  # no backup of the erased person is kept
        logs = [txn.edit(LogFile, rel) for rel in store.log_months()]
        if txn.get(Config).encryption is not None:
            _open_shared_notes(store, logs, contact.id)
        gone = domain.forget(
            contact,
            contacts=contacts,
            promises=txn.edit(PromisesFile),
            activities=txn.edit(ActivitiesFile),
            feedback=txn.edit(FeedbackFile),
            logs=logs,
        )
    store.drop_cache()
    say(
        f"Forgot {gone.contact.name} ({gone.contact.id}): contact removed; "
        f"{gone.log_entries_deleted} log entries deleted, {gone.log_entries_edited} edited; "
        f"{gone.promises_deleted} promises, {gone.feedback_deleted} feedback items deleted; "
        f"removed from {gone.activities_edited} activities."
    )
    if gone.locked_dropped:
        n = gone.locked_dropped
        say(
            f"{n} encrypted note{'s' if n != 1 else ''} or fact{'s' if n != 1 else ''} of "
            "entries shared with others could not be read to remove the name, so "
            f"{'they were' if n != 1 else 'it was'} deleted."
        )


def _open_shared_notes(store: Store, logs: list[LogFile], contact_id: str) -> None:
    """Open the encrypted notes of the entries the person shares with others, so their name
    can be scrubbed (the commit seals them again); without the identity they read as locked
    and forget deletes them."""
    import os

    from hrtrust.storage.crypto import Keys

    from .common import ask_passphrase

    reveal = Keys.from_env(os.environ, ask=ask_passphrase).opener(store.warn)
    for log in logs:
        for e in log.entry:
            if contact_id in e.with_ and len(e.with_) > 1:
                e.note = reveal(e.note) if e.note else e.note
                e.learned = [reveal(t) for t in e.learned]
