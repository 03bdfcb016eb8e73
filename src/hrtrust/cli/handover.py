"""``hrtrust handover DEPT...`` and ``hrtrust import handover FILE``: pass departments'
relationships to the next HR partner in one pack sealed to their key.

Nothing here imports pyrage, the domain or the views until a command runs: ``import handover``
is registered on ``import``'s group, which every ``import contacts`` builds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from hrtrust.errors import IdentityError, UsageError, WriteError
from hrtrust.locale import _

from .common import JsonOption, ask_passphrase, say, state

if TYPE_CHECKING:
    from hrtrust.domain.handover import Selection
    from hrtrust.models import Document
    from hrtrust.storage.store import Store

    D = TypeVar("D", bound=Document)


def _interactive() -> bool:
    """Whether a person is at the terminal to confirm (tests stand in for one)."""
    return sys.stdin.isatty()


def _departments(ctx: typer.Context, incomplete: str) -> list[str]:
    """The shell completes department names (as for every --dept)."""
    from .complete import departments

    found: list[str] = departments(ctx, None, incomplete)
    return found


def handover(
    ctx: typer.Context,
    depts: Annotated[
        list[str],
        typer.Argument(
            metavar="DEPT...",
            help="The departments to hand over.",
            autocompletion=_departments,
        ),
    ],
    to: Annotated[
        str,
        typer.Option(
            "--to",
            metavar="RECIPIENT",
            help="The receiver's age public key (what their `hrtrust key export-public` "
            "prints), or a file holding it.",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The pack (encrypted; 0600, replaced atomically; - for stdout). Not inside "
            "the data home; the folder must exist.",
        ),
    ] = None,
    giver: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="NAME",
            help="Your name as the receiver sees it (default: your account's full name).",
        ),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help="Add notes, learned facts, talking points and private feedback (asks first).",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask before adding private notes.")
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show the brief and what would go in; write nothing."),
    ] = False,
    archive: Annotated[
        bool,
        typer.Option(
            "--archive",
            help="Then archive what was handed over: people, departments, activities, "
            "open promises.",
        ),
    ] = False,
) -> None:
    """Hand departments over to the next HR partner: one pack, sealed to their key.

    The pack holds the departments, their people (tags, roles, cadence, ally and manager
    marks, pause and archive state, moments, birthdays, hire dates), the activities with
    them, open promises both ways, open feedback and its history, pulse results, and per
    person the touch history as dates and kinds (no notes); beside the data, a readable
    brief: the ally and managers and when each was last met, open promises, what is raised
    and not closed, who has gone quiet, the pulse trend. Private notes, learned facts and
    talking points go only with --include-private, which says how many and asks first (--yes
    in a script). It is sealed to the receiver's key in memory: no clear copy touches the
    disk. The receiver runs `hrtrust import handover FILE`.

    Example: hrtrust handover Sales --to age1... --output ~/sales-handover.age
    """
    from hrtrust.domain import handover as ho
    from hrtrust.interop import handover as packs
    from hrtrust.models import ContactsFile, FeedbackFile
    from hrtrust.present import handover as view
    from hrtrust.storage.output import check_output, write_output
    from hrtrust.storage.touches import touches

    st = state(ctx)
    store = st.ready_store()
    recipient = _recipient(to)
    if output is None and not dry_run:
        raise UsageError(
            _("handover needs --output FILE for the pack"),
            hint=_("or --dry-run to see what goes in"),
        )
    target = None if output is None else check_output(output, store.home)
    config = store.config()
    contacts = store.read(ContactsFile, raw=True).contact
    names = ho.department_names(depts, config, contacts)
    fb = store.read(FeedbackFile, raw=True)
    sel = ho.select(
        names,
        config=config,
        contacts=contacts,
        activities=store.activities().activity,
        promises=store.promises().promise,
        feedback=fb.feedback,
        pulses=fb.pulse,
        entries=store.iter_log(until=st.today, raw=True),
        today=st.today,
    )
    fields = ho.private_fields(sel)
    if include_private and fields and not dry_run and not yes:
        if not _interactive():
            raise UsageError(
                _("--include-private asks before adding private notes, and this is not a terminal"),
                hint=_("add --yes to include them from a script"),
            )
        typer.confirm(view.private_prompt(fields), abort=True)
    if include_private and store.encrypted():
        _open_private(sel, store)
    name = (giver if giver is not None else _account_name()).strip()
    if not name:
        raise UsageError(_("--from is empty"), hint=_('give your name: --from "Alice Wu"'))
    brief = ho.handover_brief(
        sel,
        config=config,
        touches=touches(store, st.today),
        giver=name,
        to=recipient,
        today=st.today,
        private=include_private,
    )
    mine = config.encryption.recipient if config.encryption else None
    pack = ho.make_pack(
        sel,
        pack_id=os.urandom(16).hex(),
        giver=ho.Giver(name=name, recipient=mine),
        to=recipient,
        today=st.today,
        private=include_private,
        brief=view.markdown(brief),
    )
    lines = view.pack_lines(pack, fields)
    if dry_run:
        say(pack.brief.rstrip("\n"))
        say("")
        say("\n".join(lines))
        if archive:
            say(_("--archive would then archive these people, departments and activities."))
        say(_("Dry run: nothing was written."))
        return
    if write_output(target, packs.seal(pack)):
        say("\n".join(lines))
        say(_("Wrote {path} (sealed to {key}).").format(path=target, key=view.short_key(recipient)))
        say(
            _("The receiver runs: {command}").format(
                command=f"hrtrust import handover {Path(str(target)).name}"
            )
        )
    if archive:
        _archive(store, sel, pack.pack, st.today)


def _recipient(to: str) -> str:
    """--to: a public key as typed, or the file holding one."""
    from hrtrust.interop import handover as packs

    if to.strip().lower().startswith("age1"):
        return packs.check_recipient(to)
    path = Path(to).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            _("--to {to!r} is neither an age public key (age1...) nor a file holding one").format(
                to=to
            ),
            hint=_("give what the receiver's `hrtrust key export-public` prints"),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or _("not a text file")
        raise UsageError(
            _("--to {to}: cannot read it ({reason})").format(to=to, reason=reason)
        ) from None
    return packs.recipient_in(text, f"--to {to}")


def _open_private(sel: Selection, store: Store) -> None:
    """Open the sealed private texts going into the pack with the giver's identity: only
    those (a handover decrypts what it hands over), in memory."""
    from hrtrust.models import FeedbackFile
    from hrtrust.storage.crypto import IdentityUnavailable, Keys, map_private, reveal_contact

    keys = Keys.from_env(os.environ, ask=ask_passphrase, warn=store.warn)
    try:
        keys.identities()
    except IdentityUnavailable as exc:
        raise IdentityError(
            _("--include-private opens the encrypted notes with your identity: {reason}").format(
                reason=exc.message
            ),
            hint=_("run it where your identity is (see $HRTRUST_IDENTITY), or leave the notes out"),
        ) from None
    sel.people = [reveal_contact(c, keys.open) for c in sel.people]
    opened = map_private(FeedbackFile.model_construct(feedback=sel.feedback), keys.open)
    if opened is not None:
        sel.feedback = opened.feedback


def _archive(store: Store, sel: Selection, pack_id: str, today: object) -> None:
    import datetime as dt

    from hrtrust.domain import handover as ho
    from hrtrust.models import ActivitiesFile, Config, ContactsFile, PromisesFile
    from hrtrust.present import handover as view

    assert isinstance(today, dt.date)
    with store.transaction() as txn:
        done = ho.archive(
            sel,
            config=txn.edit(Config),
            contacts=txn.edit(ContactsFile),
            activities=txn.edit(ActivitiesFile),
            promises=txn.edit(PromisesFile),
            reason=_("handed over (pack {id})").format(id=pack_id[:8]),
            today=today,
        )
    say(view.archived_line(done))


def _account_name() -> str:
    """The giver's name when --from is not given: the account's full name, else its login."""
    try:
        import pwd

        full = pwd.getpwuid(os.getuid()).pw_gecos.split(",")[0].strip()
        if full:
            return full
    except (ImportError, KeyError, OSError):
        pass
    import getpass

    try:
        return getpass.getuser()
    except (ImportError, KeyError, OSError):
        return ""


def import_handover(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="The pack `hrtrust handover` wrote.")],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show the brief and the merge plan; write nothing."),
    ] = False,
    json: JsonOption = False,
) -> None:
    """Take over departments from another HR partner: merge their handover pack.

    Opens the pack with your identity, then merges it: departments, people (matched to yours
    by employee number, e-mail, then full name; a match is shown, and a person who could be
    one of several is added apart with a note, never merged), activities, inherited promises
    both ways, open feedback and pulse results, every one with a new id. The giver's touch
    history stays on each person ("before handover" in `brief`) and never counts as your own
    touches in the plan, coverage, balance or the digest. Importing the same pack again
    changes nothing. A pack sealed to another key (exit 10), damaged or cut short (exit 5),
    or from a newer hrtrust (exit 2) writes nothing.

    Example: hrtrust import handover ~/Downloads/sales-handover.age --dry-run
    """
    from hrtrust.domain import handover as ho
    from hrtrust.interop import handover as packs
    from hrtrust.models import ActivitiesFile, Config, ContactsFile, FeedbackFile, PromisesFile
    from hrtrust.present import handover as view
    from hrtrust.present.output import render
    from hrtrust.storage.crypto import IdentityUnavailable, Keys

    st = state(ctx)
    store = st.ready_store()
    try:
        data = Path(file).expanduser().read_bytes()
    except OSError as exc:
        raise WriteError(
            _("{path}: cannot read: {reason}; nothing was changed").format(
                path=file, reason=exc.strerror or type(exc).__name__
            ),
            hint=_("check the file's name and that you may read it"),
        ) from None
    keys = Keys.from_env(os.environ, ask=ask_passphrase, warn=store.warn)
    try:
        identities = keys.identities()
    except IdentityUnavailable as exc:
        raise IdentityError(
            _("{path}: a pack opens with your identity: {reason}; nothing was written").format(
                path=file, reason=exc.message
            ),
            hint=_("the identity whose public key the giver sealed it to ($HRTRUST_IDENTITY)"),
        ) from None
    pack = packs.open_pack(data, identities, file, str(keys.path))
    if pack.private and not dry_run and not store.encrypted():
        raise UsageError(
            _(
                "{path} holds private notes, and {home} is not encrypted: they would be "
                "written in clear; nothing was written"
            ).format(path=file, home=store.home),
            hint=_("encrypt it first with the key the pack was sealed to: hrtrust key init"),
        )
    if dry_run:  # copies: the store's own documents stay as read

        def copy(cls: type[D]) -> D:
            return store.read(cls, raw=True).model_copy(deep=True)

        docs = ho.Receiving(
            config=copy(Config),
            contacts=copy(ContactsFile),
            activities=copy(ActivitiesFile),
            promises=copy(PromisesFile),
            feedback=copy(FeedbackFile),
        )
        plan = ho.merge(pack, docs, st.today)
    else:
        with store.transaction() as txn:
            docs = ho.Receiving(
                config=txn.get(Config),
                contacts=txn.get(ContactsFile),
                activities=txn.get(ActivitiesFile),
                promises=txn.get(PromisesFile),
                feedback=txn.get(FeedbackFile),
            )
            plan = ho.merge(pack, docs, st.today)
            for key in sorted(plan.changed):
                txn.save(getattr(docs, key))
    names = {c.id: c.name for c in docs.contacts.contact}

    def text() -> str:
        lines = view.plan_lines(plan, names, dry_run=dry_run)
        brief = f"{pack.brief.rstrip()}\n\n" if dry_run else ""
        return brief + "\n".join(lines)

    render(json=json, data=lambda: view.plan_json(plan, dry_run=dry_run), view=text)
