"""``hrtrust dept ...``: the one registry of departments, and the matching every ``--dept`` uses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer

from hrtrust.domain import departments as ops
from hrtrust.domain.dates import parse_cadence
from hrtrust.errors import UsageError
from hrtrust.locale import N_, _, ngettext
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Department,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.present.output import render

from .common import JsonOption, State, say, state

if TYPE_CHECKING:
    from hrtrust.storage.store import Transaction

app = typer.Typer(help="Departments: the ones you serve and HR's own.", no_args_is_help=True)


def announce(dept: Department) -> str:
    """The one-line note for a department a ``--dept`` created."""
    if dept.client:
        return _(
            "new department {name} (a client department; if it is HR's own: "
            "hrtrust dept add {quoted} --internal)"
        ).format(name=dept.name, quoted=_quoted(dept.name))
    return _(
        "new department {name} (internal, as it was first named for a peer; "
        "if you serve it: hrtrust dept add {quoted} --client)"
    ).format(name=dept.name, quoted=_quoted(dept.name))


# What `dept add` says, by (new, client, headcount known).
_ADDED = {
    (True, True, False): N_("Added {name} (a client department)."),
    (True, True, True): N_("Added {name} (a client department, {n} people)."),
    (True, False, False): N_("Added {name} (internal)."),
    (True, False, True): N_("Added {name} (internal, {n} people)."),
    (False, True, False): N_("Updated {name} (a client department)."),
    (False, True, True): N_("Updated {name} (a client department, {n} people)."),
    (False, False, False): N_("Updated {name} (internal)."),
    (False, False, True): N_("Updated {name} (internal, {n} people)."),
}


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def resolve_depts(
    st: State,
    txn: Transaction,
    texts: Iterable[str],
    *,
    all_depts: bool = False,
    internal: bool = False,
) -> list[str]:
    """The registered names for departments typed on the command line, adding new ones to the
    registry (written with the rest of the transaction) with a note on stderr once the command
    has succeeded."""
    config = txn.edit(Config)  # written only if a department is added
    contacts = txn.get(ContactsFile).contact
    names: list[str] = []
    if all_depts:
        names += [d.name for d in ops.client_departments(config, contacts)]
        if not names:
            raise UsageError(
                _("--all-depts: there are no client departments yet"), hint="hrtrust dept add NAME"
            )
    for text in texts:
        match = ops.resolve_department(config, text, contacts, internal=internal)
        if match.created is not None:
            st.notes.append(announce(match.created))
        names.append(match.name)
    return list(dict.fromkeys(names))


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The department's name, e.g. 'Taichung Office'.")],
    internal: Annotated[
        bool | None,
        typer.Option(
            "--internal/--client",
            help="HR's own or a peer function (--internal), or one you serve (--client).",
            show_default=False,
        ),
    ] = None,
    headcount: Annotated[
        int | None, typer.Option("--headcount", help="How many people work there.")
    ] = None,
    window: Annotated[
        str | None,
        typer.Option("--window", help="How long it may go without a touchpoint (2w, 30d)."),
    ] = None,
) -> None:
    """Add a department (a client one unless --internal); for one already there, change it.

    Example: hrtrust dept add "Taichung Office" --headcount 30
    """
    st = state(ctx)
    every = parse_cadence(window) if window else None
    with st.ready_store().transaction() as txn:
        dept, new = ops.add_department(
            txn.edit(Config),
            name,
            txn.get(ContactsFile).contact,
            internal=internal,
            headcount=headcount,
            window=every,
            today=st.today,
        )
    say(_(_ADDED[new, dept.client, bool(dept.headcount)]).format(name=dept.name, n=dept.headcount))


@app.command("list")
def list_(ctx: typer.Context, json: JsonOption = False) -> None:
    """List departments: client or internal, headcount, window, and the people you know there.

    Example: hrtrust dept list --json
    """
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    contacts = store.contacts().contact
    rows = ops.department_rows(config, contacts)
    from hrtrust.present import terminal
    from hrtrust.present.json_views import departments_json

    render(
        json=json,
        data=lambda: departments_json(rows),
        view=lambda: [terminal.departments_table(rows)] if rows else _("No departments yet."),
    )


def _documents(txn: Transaction, store_months: list[str]) -> ops.Documents:
    return ops.Documents(
        config=txn.edit(Config),
        contacts=txn.edit(ContactsFile),
        activities=txn.edit(ActivitiesFile),
        promises=txn.edit(PromisesFile),
        feedback=txn.edit(FeedbackFile),
        logs=[txn.edit(LogFile, rel) for rel in store_months],
    )


@app.command("rename")
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The department's name now.")],
    new: Annotated[str, typer.Argument(help="Its new name (an existing one: merge into it).")],
) -> None:
    """Rename a department everywhere: contacts, activities, promises, feedback, pulses and the
    log, in one change (to an existing name: merge the two).

    Example: hrtrust dept rename "Taichung office" "Taichung Office"
    """
    st = state(ctx)
    store = st.ready_store()
    with store.transaction() as txn:
        was, changed = ops.rename_department(_documents(txn, store.log_months()), old, new)
        now = ops.find_department(new, txn.get(Config)) or new
    if ops.dept_key(was) == ops.dept_key(now):
        message = ngettext(
            "Spelled {new} the same everywhere ({n} record changed).",
            "Spelled {new} the same everywhere ({n} records changed).",
            changed,
        )
    else:
        message = ngettext(
            "Renamed {old} to {new} ({n} record changed).",
            "Renamed {old} to {new} ({n} records changed).",
            changed,
        )
    say(message.format(old=was, new=now, n=changed))


@app.command("remove")
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The department to remove.")],
) -> None:
    """Remove a department nothing names any more (refused while in use).

    Example: hrtrust dept remove "Old Plant"
    """
    st = state(ctx)
    store = st.ready_store()
    with store.transaction() as txn:
        dept = ops.remove_department(_documents(txn, store.log_months()), name)
    say(_("Removed {name}.").format(name=dept.name))
