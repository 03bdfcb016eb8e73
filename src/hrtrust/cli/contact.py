"""``hrtrust contact ...``: the people you build trust with."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import cadence_of, cadence_source, id_key, resolve
from hrtrust.models import ContactsFile
from hrtrust.present import terminal
from hrtrust.present.json_views import contact_json
from hrtrust.present.output import View, render
from hrtrust.storage.crypto import reveal_contact
from hrtrust.storage.touches import touches

from .common import JsonOption, PrivateOption, opener, say, state, warn

app = typer.Typer(help="Add, list, show, edit and remove contacts.", no_args_is_help=True)

Dept = Annotated[str | None, typer.Option("--dept", help="Department.")]
Role = Annotated[str | None, typer.Option("--role", help="Role or job title.")]
Tags = Annotated[
    list[str] | None,
    typer.Option("--tag", help="A tag: ally, manager, peer, new-hire or your own (repeatable)."),
]
Every = Annotated[
    str | None, typer.Option("--every", help="How often to touch base: 2w, monthly, 10d.")
]
Email = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
Location = Annotated[str | None, typer.Option("--location", help="Site, office or region.")]
Birthday = Annotated[
    str | None, typer.Option("--birthday", help="Dec 3, 12-03 or a date (only month/day kept).")
]
Hired = Annotated[str | None, typer.Option("--hired", help="Hire date (for anniversaries).")]
Note = Annotated[str | None, typer.Option("--note", help="Personal note (private).")]
Manager = Annotated[str | None, typer.Option("--manager", help="Their manager's name.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Full name, e.g. 'Maria Chen' or 王小明.")],
    dept: Dept = None,
    role: Role = None,
    tag: Tags = None,
    every: Every = None,
    email: Email = None,
    location: Location = None,
    birthday: Birthday = None,
    hired: Hired = None,
    note: Note = None,
    manager: Manager = None,
) -> None:
    """Add a person.

    Example: hrtrust contact add "Maria Chen" --dept Engineering --tag manager --every 2w
    """
    st = state(ctx)
    changes = domain.ContactChanges(
        dept=dept,
        role=role,
        location=location,
        email=email,
        manager=manager,
        every=every,
        birthday=birthday,
        hired=hired,
        note=note,
        add_tags=tuple(tag or ()),
    )
    with st.ready_store().transaction() as txn:
        contact = domain.add_contact(txn.edit(ContactsFile), name, changes, st.today)
        twins = domain.same_name(txn.get(ContactsFile), contact)
    say(f"Added {contact.name} ({contact.id}).")
    if twins:
        others = ", ".join(c.id for c in twins)
        warn(
            f"{len(twins)} other contact(s) named {contact.name} ({others}); "
            f"refer to this one as {contact.id}"
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    dept: Annotated[str | None, typer.Option("--dept", help="Only this department.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
    json: JsonOption = False,
) -> None:
    """List contacts, with their cadence and when you last touched base."""
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    people = sorted(store.contacts().contact, key=id_key)
    if dept:
        people = [c for c in people if (c.dept or "").casefold() == dept.casefold()]
    if tag:
        people = [c for c in people if tag.lower() in c.tags]
    last = touches(store, st.today).people
    cadences = {c.id: cadence_of(c, config) for c in people}

    def view() -> View:
        if not people:
            if dept or tag:
                return "No contacts match."
            return "No contacts yet. Add one with: hrtrust contact add NAME --dept D"
        wide = terminal.console().width >= 110
        return [terminal.contacts_table(people, cadences, last, st.today, wide=wide)]

    render(
        json=json,
        data=lambda: [contact_json(c, cadences[c.id], last.get(c.id)) for c in people],
        view=view,
    )


@app.command("show")
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """Show everything known about one person (notes only in the terminal or when asked)."""
    st = state(ctx)
    store = st.ready_store()
    contact = resolve(ref, store.contacts().contact)
    reveal = opener(store) if include_private or not json else None
    if reveal is not None:  # open this person's notes only
        raw = store.read(ContactsFile, raw=True).contact
        contact = reveal_contact(next(c for c in raw if c.id == contact.id), reveal)
    config = store.config()
    cadence = cadence_of(contact, config)
    last = touches(store, st.today).people.get(contact.id)
    render(
        json=json,
        data=lambda: contact_json(contact, cadence, last, private=include_private),
        view=lambda: terminal.contact_card(
            contact, cadence, last, st.today, source=cadence_source(contact, config)
        ),
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    dept: Dept = None,
    role: Role = None,
    tag: Tags = None,
    untag: Annotated[
        list[str] | None, typer.Option("--untag", help="Remove a tag (repeatable).")
    ] = None,
    every: Every = None,
    email: Email = None,
    location: Location = None,
    birthday: Birthday = None,
    hired: Hired = None,
    note: Note = None,
    manager: Manager = None,
) -> None:
    """Change a contact. An empty value clears a field: --dept ''.

    Example: hrtrust contact edit maria --tag ally --every 2w
    """
    st = state(ctx)
    changes = domain.ContactChanges(
        name=name,
        dept=dept,
        role=role,
        location=location,
        email=email,
        manager=manager,
        every=every,
        birthday=birthday,
        hired=hired,
        note=note,
        add_tags=tuple(tag or ()),
        remove_tags=tuple(untag or ()),
    )
    with st.ready_store().transaction() as txn:
        contact = domain.edit_contact(txn.edit(ContactsFile), ref, changes, st.today)
    say(f"Updated {contact.name} ({contact.id}).")


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
) -> None:
    """Remove a contact from the address book (past log entries keep them; see `forget`)."""
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        contact = domain.remove_contact(txn.edit(ContactsFile), ref)
    say(f"Removed {contact.name} ({contact.id}). To erase them from history too: hrtrust forget")
