"""``hrtrust init`` and ``hrtrust forget``: creating a data home and erasing a person."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import resolve_whole
from hrtrust.models import (
    ActivitiesFile,
    ContactsFile,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.storage.home import detect_timezone, init_home

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
    files, kept = init_home(st.store, demo=demo, today=st.today, timezone=tz)
    what = "with the demo data" if demo else "empty"
    if kept:
        say(
            f"Set up {st.store.home}: created {', '.join(files)}; kept the {len(kept)} data "
            "files already there as they were."
        )
    else:
        say(f"Created {st.store.home} ({what}, {len(files)} files).")
    say("Next: hrtrust plan week" if demo else "Next: hrtrust contact add NAME --dept D --tag ally")


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
        gone = domain.forget(
            contact,
            contacts=contacts,
            promises=txn.edit(PromisesFile),
            activities=txn.edit(ActivitiesFile),
            feedback=txn.edit(FeedbackFile),
            logs=[txn.edit(LogFile, rel) for rel in store.log_months()],
        )
    store.drop_cache()
    say(
        f"Forgot {gone.contact.name} ({gone.contact.id}): contact removed; "
        f"{gone.log_entries_deleted} log entries deleted, {gone.log_entries_edited} edited; "
        f"{gone.promises_deleted} promises, {gone.feedback_deleted} feedback items deleted; "
        f"removed from {gone.activities_edited} activities."
    )
    if gone.scrubbed:
        say(f"Replaced their name with [forgotten] in: {'; '.join(gone.scrubbed)}.")
