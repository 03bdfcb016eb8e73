"""``hrtrust log KIND ...``: record a touchpoint right after it happens; find and fix entries."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from hrtrust.domain import logbook, topics
from hrtrust.domain.catalogue import label_for, resolve_kind
from hrtrust.domain.contacts import resolve, resolve_all
from hrtrust.domain.dates import parse_date, parse_past_date
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import ENGLISH, _, language
from hrtrust.models import ActivitiesFile, ContactsFile, LogFile, Promise, PromisesFile
from hrtrust.present.common import short_date
from hrtrust.present.output import render
from hrtrust.storage import touches
from hrtrust.storage.crypto import mask, reveal_entry
from hrtrust.storage.paths import month_file

from . import load
from .common import JsonOption, PrivateOption, opener, say, state, unlock, warn

SUBCOMMANDS = ("add", "list", "show", "edit", "delete")


class LogGroup(TyperGroup):
    """`hrtrust log coffee-chat ...` means `hrtrust log add coffee-chat ...`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in SUBCOMMANDS and args[0] not in ("--help", "-h"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=LogGroup,
    help="Log a touchpoint: hrtrust log KIND --with REF [--promise TEXT --due DATE]...",
    no_args_is_help=True,
)


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command("add")
def add(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(help="coffee-chat, one-on-one, check-in, ... (see `activity kinds`).")
    ],
    with_: Annotated[
        list[str] | None, typer.Option("--with", "-w", help="Who was there (repeatable).")
    ] = None,
    dept: Annotated[
        list[str] | None,
        typer.Option("--dept", help="A department it was with (repeatable: a newsletter...)."),
    ] = None,
    all_depts: Annotated[
        bool, typer.Option("--all-depts", help="It was with every client department.")
    ] = False,
    date: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
    note: Annotated[
        str | None, typer.Option("--note", "-n", help="What happened (private).")
    ] = None,
    learned: Annotated[
        list[str] | None,
        typer.Option("--learned", "-l", help="A fact learned about them (private; repeatable)."),
    ] = None,
    promise: Annotated[
        list[str] | None,
        typer.Option("--promise", "-p", help="A promise I made (repeatable, each with --due)."),
    ] = None,
    due: Annotated[
        list[str] | None, typer.Option("--due", help="Due date of each --promise, in order.")
    ] = None,
    activity: Annotated[
        str | None, typer.Option("--activity", help="The recurring activity this was (id).")
    ] = None,
    keep: Annotated[
        bool,
        typer.Option(
            "--keep", help="They asked you to remember: retention never purges this note or facts."
        ),
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Log it even if the same is already logged that day.")
    ] = False,
    covered: Annotated[
        list[str] | None,
        typer.Option("--covered", metavar="ID", help="A topic raised here (repeatable)."),
    ] = None,
) -> None:
    """Log a touchpoint, with who was there, what you learned and what you promised.

    --covered ID closes a talking point (`topic list`) with this entry.

    Example: hrtrust log coffee-chat --with maria --learned "training for a marathon"
    --promise "send the promotion criteria" --due fri
    """
    st = state(ctx)
    store = st.ready_store()
    today = st.today
    config = store.config()
    kind_name = resolve_kind(kind, config).name
    day = parse_past_date(date, today) if date else today
    if day > today:
        raise UsageError(
            _("{day} is in the future: log what has happened").format(day=day),
            hint=_("for a promise use --promise TEXT --due DATE; for a plan, `activity add`"),
        )
    refs = list(with_ or [])
    dept_texts = list(dept or [])
    promises = list(promise or [])
    dues = list(due or [])
    if not refs and not dept_texts and not all_depts:
        if not interactive():
            raise UsageError(_("say who it was with (--with REF) or which department (--dept D)"))
        answer = typer.prompt(
            _("With whom? (names, comma-separated)"), default="", show_default=False
        )
        refs = [r.strip() for r in answer.replace("，", ",").split(",") if r.strip()]
        if not refs:
            dept_texts = [t for t in [typer.prompt(_("Which department?"))] if t]
    if len(dues) > len(promises):
        raise UsageError(
            _("each --due belongs to a --promise: there are more --due than --promise")
        )
    while len(dues) < len(promises):
        missing = promises[len(dues)]
        if not interactive():
            raise UsageError(
                _("promise {text!r} has no due date").format(text=missing),
                hint=_("give each --promise its own --due: fri, +3d, 2026-12-01"),
            )
        dues.append(
            typer.prompt(
                _("Due date for {text!r}").format(text=missing),
                default="fri" if language() == ENGLISH else "週五",
            )
        )
    due_days = [parse_date(d, today) for d in dues]

    rel = month_file(day)
    with store.transaction() as txn:
        if activity and activity not in {a.id for a in txn.get(ActivitiesFile).activity}:
            raise NotFoundError(
                _("no activity {id}").format(id=activity),
                hint=_("see `hrtrust activity list`"),
            )
        before = store.stamp(rel)
        made: list[Promise] = []
        depts = []
        if dept_texts or all_depts:
            from .depts import resolve_depts  # only with --dept: most logs name people

            depts = resolve_depts(st, txn, dept_texts, all_depts=all_depts)
        contacts = None
        if learned or covered:
            contacts = txn.edit(ContactsFile)  # facts learned, topics covered: changed
            people = resolve_all(refs, contacts.contact)
        elif promises:
            people = resolve_all(refs, txn.get(ContactsFile).contact)
        else:  # the usual case: names from the name index (contacts.toml is not parsed)
            people = load.people(store, refs)
        entry, made = logbook.record(
            # the entry is usually appended to its month's file, the month unread
            add=lambda new, number: txn.add_entry(rel, new, number),
            promises=txn.edit(PromisesFile) if promises else None,
            people=people,
            kind=kind_name,
            depts=depts,
            day=day,
            note=note,
            learned=list(learned or []),
            owed=list(zip(promises, due_days, strict=True)),
            activity=activity,
            today=today,
            keep=keep,
            again=again,
        )
        if covered and contacts is not None:
            closed = topics.cover(contacts, covered, entry.id, day)
            entry.covered = [t.id for t in closed]
        txn.after_commit.append(lambda: touches.record(store, rel, before, [entry]))
    names = _(", ").join(p.name for p in people) or _(", ").join(entry.depts)
    kind_shown = entry.kind if language() == ENGLISH else label_for(entry.kind)
    say(
        _("Logged {kind} with {names} on {day} ({id}).").format(
            kind=kind_shown, names=names, day=short_date(entry.date), id=entry.id
        )
    )
    for p in made:
        say(
            _("Promise {id}: {text} (due {day}).").format(
                id=p.id, text=p.text, day=short_date(p.due)
            )
        )
        if p.due < today:
            warn(_("{id} is already late: it was due {day}").format(id=p.id, day=short_date(p.due)))
    if entry.covered:
        say(_("Covered: {topics}.").format(topics=_(", ").join(entry.covered)))


@app.command("list")
def list_(
    ctx: typer.Context,
    with_: Annotated[
        str | None, typer.Option("--with", "-w", help="Only entries with this person.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date (e.g. -4w, 2026-09-01).")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-s", help="Text in the note or facts.")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (newest first).")] = 50,
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """Find past entries by person, date range, kind and text, newest first."""
    st = state(ctx)
    store = st.ready_store()
    if search:  # a search reads every note in the range: open them all
        unlock(store)
    contacts = store.contacts().contact
    person = resolve(with_, contacts).id if with_ else None
    kind_name = resolve_kind(kind, store.config()).name if kind else None
    entries = store.iter_log(
        parse_past_date(since, st.today) if since else None,
        parse_past_date(until, st.today) if until else None,
        raw=not search,
    )
    rows = logbook.matching(entries, person=person, text=search, kind=kind_name)[: max(limit, 0)]
    if not search:  # open only the entries shown (the table shows notes; JSON when asked)
        reveal = opener(store) if include_private or not json else None
        rows = [reveal_entry(e, reveal or mask) for e in rows]
    names = {c.id: c.name for c in contacts}
    from hrtrust.present.json_views import entry_json
    from hrtrust.present.terminal import log_table

    render(
        json=json,
        data=lambda: [entry_json(e, names, private=include_private) for e in rows],
        view=lambda: [log_table(rows, names, notes=True)] if rows else _("No log entries match."),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id, e.g. 2026-11-23.2.")],
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """Show one log entry in full: who was there, the note, learned facts, promises made.

    The note and learned facts are shown on your terminal; --json leaves them out unless
    --include-private. In an encrypted home they are opened with the identity (without it
    they show as locked).

    Example: hrtrust log show 2026-11-23.2
    """
    from hrtrust.domain.catalogue import kinds
    from hrtrust.present import terminal
    from hrtrust.present.json_views import entry_json

    st = state(ctx)
    store = st.ready_store()
    month = store.log_month(month_file(logbook.entry_day(entry_id)), raw=True)
    entry = logbook.find_entry(month, entry_id)
    # Open this entry's note and facts only, when they are shown (locked without the identity).
    reveal = opener(store) if include_private or not json else None
    entry = reveal_entry(entry, reveal or mask)
    names = {c.id: c.name for c in store.contacts().contact}
    activity = next((a for a in store.activities().activity if a.id == entry.activity), None)
    made = [p for p in store.promises().promise if p.id in entry.promises]
    render(
        json=json,
        data=lambda: entry_json(entry, names, private=include_private),
        view=lambda: terminal.entry_card(
            entry, names, kinds(store.config()).get(entry.kind), activity, made, st.today
        ),
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id, e.g. 2026-11-23.2.")],
    kind: Annotated[str | None, typer.Option("--kind", help="Correct the kind.")] = None,
    with_: Annotated[
        list[str] | None, typer.Option("--with", "-w", help="Replace who was there.")
    ] = None,
    dept: Annotated[
        list[str] | None,
        typer.Option("--dept", help="Replace the departments (repeatable; '' clears)."),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Correct the date.")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Replace the note.")] = None,
    keep: Annotated[
        bool | None,
        typer.Option(
            "--keep/--no-keep",
            help="Pin the entry and the facts learned that day, so retention never purges them "
            "(--no-keep: unpin).",
        ),
    ] = None,
) -> None:
    """Correct a log entry (moving its date gives it a new id).

    Example: hrtrust log edit 2026-11-23.2 --keep
    """
    st = state(ctx)
    store = st.ready_store()
    with store.transaction() as txn:
        rel = month_file(logbook.entry_day(entry_id))
        log = txn.edit(LogFile, rel)
        entry = logbook.find_entry(log, entry_id)
        if kind:
            entry.kind = resolve_kind(kind, store.config()).name
        if with_ is not None:
            entry.with_ = [c.id for c in resolve_all(with_, txn.get(ContactsFile).contact)]
        if dept is not None:
            from .depts import resolve_depts

            entry.depts = resolve_depts(st, txn, [d for d in dept if d.strip()])
        if note is not None:
            entry.note = note.strip() or None
        if keep is not None:
            logbook.pin(entry, txn.edit(ContactsFile).contact, keep)
        if date:
            new_day = parse_past_date(date, st.today)
            if new_day != entry.date:
                new_log = txn.edit(LogFile, month_file(new_day))
                logbook.move_entry(log, new_log, entry, new_day, txn.edit(PromisesFile))
    say(_("Updated {id}.").format(id=entry.id))


@app.command("delete")
def delete(
    ctx: typer.Context,
    entry_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id, e.g. 2026-11-23.2.")],
) -> None:
    """Delete a wrong log entry (promises made there are kept; cancel them separately)."""
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        log = txn.edit(LogFile, month_file(logbook.entry_day(entry_id)))
        entry = logbook.delete_entry(log, entry_id)
    if entry.promises:
        say(
            _("Deleted {id}. Its promises stay: {promises}.").format(
                id=entry.id, promises=_(", ").join(entry.promises)
            )
        )
    else:
        say(_("Deleted {id}.").format(id=entry.id))
