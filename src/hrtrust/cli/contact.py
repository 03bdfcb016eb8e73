"""``hrtrust contact ...``: the people you build trust with."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import contacts as domain
from hrtrust.domain.contacts import cadence_of, cadence_source, id_key, resolve
from hrtrust.domain.dates import parse_date
from hrtrust.domain.departments import resolve_department
from hrtrust.locale import _, ngettext
from hrtrust.models import PEER, Config, ContactsFile
from hrtrust.present import views
from hrtrust.present.common import short_date
from hrtrust.present.json_views import contact_json
from hrtrust.present.output import View, render
from hrtrust.storage.crypto import reveal_contact
from hrtrust.storage.touches import touches

from .common import JsonOption, PrivateOption, opener, say, state, warn
from .depts import resolve_depts

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
NewTag = Annotated[
    bool,
    typer.Option("--new-tag", help="Add a new tag even if it looks like a typo of another."),
]


def is_peer(tags: list[str] | None) -> bool:
    """A department first named for a peer is HR's side (a peer function), not a client."""
    return any(t.strip().lower() == PEER for t in tags or ())


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
    new_tag: NewTag = False,
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
        if dept and dept.strip():
            (changes.dept,) = resolve_depts(st, txn, [dept], internal=is_peer(tag))
        if not new_tag:
            known = domain.known_tags(txn.get(ContactsFile).contact, txn.get(Config))
            changes.known_tags = known
        contact = domain.add_contact(txn.edit(ContactsFile), name, changes, st.today)
        twins = domain.same_name(txn.get(ContactsFile), contact)
    say(_("Added {name} ({id}).").format(name=contact.name, id=contact.id))
    if twins:
        others = _(", ").join(c.id for c in twins)
        warn(
            ngettext(
                "{n} other contact named {name} ({others}); refer to this one as {id}",
                "{n} other contacts named {name} ({others}); refer to this one as {id}",
                len(twins),
            ).format(n=len(twins), name=contact.name, others=others, id=contact.id)
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    dept: Annotated[str | None, typer.Option("--dept", help="Only this department.")] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Only people with this tag.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Archived people too.")] = False,
    json: JsonOption = False,
) -> None:
    """List contacts, with their cadence and when you last touched base (paused people are
    marked; archived ones only with --all)."""
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    people = sorted(store.contacts().contact, key=id_key)
    hidden = 0 if all_ else sum(c.archived is not None for c in people)
    if not all_:
        people = [c for c in people if c.archived is None]
    if dept:
        name = resolve_department(config, dept, people, create=False).name
        people = [c for c in people if c.dept == name]
    if tag:
        people = [c for c in people if tag.lower() in c.tags]
    last = touches(store, st.today).people
    cadences = {c.id: cadence_of(c, config) for c in people}

    def view() -> View:
        if not people:
            if dept or tag:
                return _("No contacts match.")
            return _("No contacts yet. Add one with: hrtrust contact add NAME --dept D")
        from hrtrust.present import terminal  # Rich's tables: only for a list
        from hrtrust.present.console import console

        wide = console().width >= 110
        shown: list[object] = [terminal.contacts_table(people, cadences, last, st.today, wide=wide)]
        if hidden:
            shown.append(_("{n} archived not shown (--all shows them).").format(n=hidden))
        return shown

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
        view=lambda: views.contact_card(
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
    new_tag: NewTag = False,
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
        if dept and dept.strip():
            (changes.dept,) = resolve_depts(st, txn, [dept], internal=is_peer(tag))
        if not new_tag:
            known = domain.known_tags(txn.get(ContactsFile).contact, txn.get(Config))
            changes.known_tags = known
        contact = domain.edit_contact(txn.edit(ContactsFile), ref, changes, st.today)
    say(_("Updated {name} ({id}).").format(name=contact.name, id=contact.id))


@app.command("pause")
def pause(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
    until: Annotated[str, typer.Option("--until", help="The day they are back: Mar 1, +3m.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, for you (private: parental leave...).")
    ] = None,
) -> None:
    """Pause a person until a day: no reach-outs, not overdue, not gone quiet until then.

    Example: hrtrust contact pause maria --until +4m --reason "parental leave"
    """
    st = state(ctx)
    day = parse_date(until, st.today)
    with st.ready_store().transaction() as txn:
        contact = domain.pause(txn.edit(ContactsFile), ref, day, reason, st.today)
    say(
        _("Paused {name} ({id}) until {day}, {year}.").format(
            name=contact.name, id=contact.id, day=short_date(day), year=day.year
        )
    )


@app.command("archive")
def archive(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
) -> None:
    """Archive a leaver: their history stays; they leave plans, overdue, coverage and balance.

    Example: hrtrust contact archive "Tom Wu"
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        contact = domain.archive(txn.edit(ContactsFile), ref, st.today)
    say(
        _("Archived {name} ({id}). `contact list --all` still shows them.").format(
            name=contact.name, id=contact.id
        )
    )


@app.command("unarchive")
def unarchive(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
) -> None:
    """Bring an archived person back into plans and figures.

    Example: hrtrust contact unarchive "Tom Wu"
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        contact = domain.unarchive(txn.edit(ContactsFile), ref)
    say(_("Unarchived {name} ({id}).").format(name=contact.name, id=contact.id))


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
) -> None:
    """Remove a contact from the address book (past log entries keep them; see `forget`)."""
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        contact = domain.remove_contact(txn.edit(ContactsFile), ref)
    say(
        _("Removed {name} ({id}). To erase them from history too: hrtrust forget").format(
            name=contact.name, id=contact.id
        )
    )
