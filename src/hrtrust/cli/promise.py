"""``hrtrust promise ...`` and ``hrtrust overdue``: follow-ups, both ways."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import promises as ops
from hrtrust.domain.contacts import resolve
from hrtrust.domain.dates import parse_date
from hrtrust.domain.people import Everyone
from hrtrust.domain.planning import lapses_of, overdue_report
from hrtrust.errors import UsageError
from hrtrust.locale import _
from hrtrust.models import PromisesFile
from hrtrust.present import views
from hrtrust.present.common import short_date
from hrtrust.present.json_views import overdue_json, promise_json
from hrtrust.present.output import View, render
from hrtrust.storage.indexes import live_promises
from hrtrust.storage.touches import touches

from . import load
from .common import JsonOption, say, state, warn
from .depts import resolve_depts

app = typer.Typer(help="Promises I owe and promises I am waiting for.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What will be done.")],
    due: Annotated[str, typer.Option("--due", help="When: fri, +3d, end of month, 2026-12-01.")],
    to: Annotated[str | None, typer.Option("--to", help="I owe this to REF.")] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="I am waiting for this from REF.")
    ] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="Owed to a whole department.")] = None,
) -> None:
    """Record a promise: --to REF (I owe it) or --from REF (I am waiting for it).

    Example: hrtrust promise add "Send the new shift-allowance policy" --to 王小明 --due fri
    """
    st = state(ctx)
    if bool(to) == bool(from_) and not (dept and not to and not from_):
        raise UsageError(_("say who the promise is with: --to REF (I owe) or --from REF (I wait)"))
    due_day = parse_date(due, st.today)
    store = st.ready_store()
    with store.transaction() as txn:
        from hrtrust.models import ContactsFile

        ref = to or from_
        person = resolve(ref, txn.get(ContactsFile).contact) if ref else None
        if dept and not person:
            (dept,) = resolve_depts(st, txn, [dept])
        p = ops.make(
            txn.edit(PromisesFile),
            text=text,
            direction="await" if from_ else "owe",
            person=person.id if person else None,
            dept=dept if not person else None,
            due=due_day,
            today=st.today,
        )
    whom = person.name if person else dept
    made = (
        _("Promise {id}: I owe {whom}: {text} (due {due}).")
        if p.direction == "owe"
        else _("Promise {id}: I am waiting for {whom}: {text} (due {due}).")
    )
    say(made.format(id=p.id, whom=whom, text=p.text, due=short_date(p.due)))
    if p.due < st.today:
        warn(_("{id} is already late: it was due {due}").format(id=p.id, due=short_date(p.due)))


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Also kept and cancelled ones.")] = False,
    with_: Annotated[str | None, typer.Option("--with", help="Only promises with REF.")] = None,
    json: JsonOption = False,
) -> None:
    """List open promises by due date (--all: with their outcomes)."""
    st = state(ctx)
    store = st.ready_store()
    contacts = store.contacts().contact
    names = {c.id: c.name for c in contacts}
    rows = ops.listing(store.promises().promise, include_closed=all_)
    if with_:
        pid = resolve(with_, contacts).id
        rows = [p for p in rows if p.person == pid]

    def view() -> View:
        if not rows:
            return _("No open promises.") if not all_ else _("No promises yet.")
        from hrtrust.present import terminal  # Rich's tables: only for a list

        return [terminal.promises_table(rows, names, st.today)]

    render(json=json, data=lambda: [promise_json(p, names, st.today) for p in rows], view=view)


PromiseId = Annotated[str, typer.Argument(metavar="ID", help="Promise id, e.g. p12 or 12.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (kept in the history).")]


@app.command("done")
def done(ctx: typer.Context, promise_id: PromiseId) -> None:
    """Mark a promise kept (today, or the --today date)."""
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        p = ops.done(txn.edit(PromisesFile), promise_id, st.today)
    late = ops.days_late(p, st.today)
    since = short_date(ops.late_since(p))
    if late:
        say(
            _("Kept {id}: {text} ({n}d late, due {due}).").format(
                id=p.id, text=p.text, n=late, due=since
            )
        )
    else:
        say(_("Kept {id}: {text} (on time).").format(id=p.id, text=p.text))


@app.command("defer")
def defer(
    ctx: typer.Context,
    promise_id: PromiseId,
    due: Annotated[str, typer.Option("--due", help="The renegotiated due date.")],
    reason: Reason = None,
) -> None:
    """Renegotiate a due date; tell them, and keep the reason."""
    st = state(ctx)
    new_due = parse_date(due, st.today)
    with st.ready_store().transaction() as txn:
        p = ops.defer(txn.edit(PromisesFile), promise_id, new_due, reason, st.today)
    say(
        _("Deferred {id} to {due} (deferred {n}x).").format(
            id=p.id, due=short_date(p.due), n=len(p.deferrals)
        )
    )


@app.command("cancel")
def cancel(ctx: typer.Context, promise_id: PromiseId, reason: Reason = None) -> None:
    """Cancel a promise that no longer applies (say why)."""
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        p = ops.cancel(txn.edit(PromisesFile), promise_id, reason, st.today)
    say(_("Cancelled {id}: {text}.").format(id=p.id, text=p.text))


def overdue(
    ctx: typer.Context,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="List everything past due, not only the 25 most overdue promises of each kind "
            "and the 15 people most urgently due.",
        ),
    ] = False,
    json: JsonOption = False,
) -> None:
    """What is past due: promises I owe, things I am waiting for, people gone quiet.

    Exits 0 even when things are overdue.
    """
    st = state(ctx)
    store = st.ready_store()
    everyone = load.everyone(store)
    config = store.config()
    last_touch = touches(store, st.today).people
    report = overdue_report(
        Everyone(everyone),
        live_promises(store, closed_since=st.today),  # open as of today: closed ones never are
        config,
        last_touch,
        st.today,
        lapsed=lapses_of(everyone, config, last_touch, st.today),
    )
    names = everyone.names_by_id()
    render(
        json=json,
        data=lambda: overdue_json(report, names),
        view=lambda: [
            shown
            for part in views.overdue_view(report, names, everything=all_)
            for shown in (part, "")
        ],
    )
