"""``hrtrust init`` and ``hrtrust forget``: creating a data home and erasing a person."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import resolve_whole
from hrtrust.locale import _, ngettext
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
    from hrtrust.locale import language  # the demo's own texts in the language of the run

    files, kept = init_home(
        st.store, demo=demo, today=today, timezone=tz, country=code, language=language()
    )
    if kept:
        say(
            ngettext(
                "Set up {home}: created {files}; kept the {n} data file already there as they "
                "were.",
                "Set up {home}: created {files}; kept the {n} data files already there as they "
                "were.",
                len(kept),
            ).format(home=st.store.home, files=_(", ").join(files), n=len(kept))
        )
    elif demo:
        say(
            ngettext(
                "Created {home} (with the demo data, {n} file).",
                "Created {home} (with the demo data, {n} files).",
                len(files),
            ).format(home=st.store.home, n=len(files))
        )
    else:
        say(
            ngettext(
                "Created {home} (empty, {n} file).",
                "Created {home} (empty, {n} files).",
                len(files),
            ).format(home=st.store.home, n=len(files))
        )
    say(
        _("Next: hrtrust plan week")
        if demo
        else _("Next: hrtrust contact add NAME --dept D --tag ally")
    )


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

            raise UsageError(_("forget needs --yes when not run on a terminal"))
        typer.confirm(
            _("Erase {name} ({id}) from every file?").format(name=contact.name, id=contact.id),
            abort=True,
        )
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
    who = _("{name} ({id})").format(name=gone.contact.name, id=gone.contact.id)
    counts = _(
        "{entries} deleted, {edited} edited; {promises}, {feedback} deleted; removed from "
        "{activities}."
    ).format(
        entries=ngettext("{n} log entry", "{n} log entries", gone.log_entries_deleted).format(
            n=gone.log_entries_deleted
        ),
        edited=gone.log_entries_edited,
        promises=ngettext("{n} promise", "{n} promises", gone.promises_deleted).format(
            n=gone.promises_deleted
        ),
        feedback=ngettext("{n} feedback item", "{n} feedback items", gone.feedback_deleted).format(
            n=gone.feedback_deleted
        ),
        activities=ngettext("{n} activity", "{n} activities", gone.activities_edited).format(
            n=gone.activities_edited
        ),
    )
    if done:
        say(_("Forgot {who}: contact removed; {counts}").format(who=who, counts=counts))
    else:
        say(
            _(
                "Dry run, nothing was changed. Forgetting {who} would remove the contact; {counts}"
            ).format(who=who, counts=counts)
        )
    if gone.scrubbed:
        places = _("; ").join(gone.scrubbed)
        if done:
            say(_("Replaced their name with [forgotten] in: {places}.").format(places=places))
        else:
            say(_("Would replace their name with [forgotten] in: {places}.").format(places=places))
    if gone.review:
        listed = _("; ").join(f'{place}: "{word}"' for place, word in gone.review)
        words = sorted({word for _place, word in gone.review})
        say(
            _(
                "Left as written, for you to review (a single name may be an ordinary word or "
                "someone else's): {places}."
            ).format(places=listed)
        )
        flags = " ".join(f"--also {shlex_quote(w)}" for w in words)
        say(
            _("To rewrite those too: hrtrust forget {id} {flags}").format(
                id=gone.contact.id, flags=flags
            )
        )
    if gone.locked_dropped:
        n = gone.locked_dropped
        if done:
            message = ngettext(
                "{n} encrypted note or fact of entries shared with others could not be read to "
                "remove the name, so it was deleted.",
                "{n} encrypted notes or facts of entries shared with others could not be read to "
                "remove the name, so they were deleted.",
                n,
            )
        else:
            message = ngettext(
                "{n} encrypted note or fact of entries shared with others could not be read to "
                "remove the name, so it would be deleted.",
                "{n} encrypted notes or facts of entries shared with others could not be read to "
                "remove the name, so they would be deleted.",
                n,
            )
        say(message.format(n=n))
    if gone.sealed_unsearched:
        n = gone.sealed_unsearched
        say(
            ngettext(
                "{n} other encrypted text could not be searched for their name without the "
                "identity; they stay encrypted.",
                "{n} other encrypted texts could not be searched for their name without the "
                "identity; they stay encrypted.",
                n,
            ).format(n=n)
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
        store.warn(_("notes are locked ({reason})").format(reason=exc.message))
        return None
