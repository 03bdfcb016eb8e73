"""``hrtrust topic ...``: talking points to raise with someone next time."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hrtrust.domain import topics as ops
from hrtrust.domain.contacts import resolve
from hrtrust.locale import _
from hrtrust.models import Contact, ContactsFile, Topic
from hrtrust.present.common import short_date
from hrtrust.present.output import render

from .common import JsonOption, PrivateOption, say, state, unlock

app = typer.Typer(help="Talking points to raise with someone next time.", no_args_is_help=True)

TopicId = Annotated[str, typer.Argument(metavar="ID", help="Topic id, e.g. t3.")]


@app.command("add")
def add(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="REF", help="Who to raise it with.")],
    text: Annotated[str, typer.Argument(help="What to raise (private, like notes).")],
) -> None:
    """Note something to raise with REF next time you meet.

    It shows in `brief REF` and next to them in `plan week` until you mark it done, or log
    the meeting with --covered ID.

    Example: hrtrust topic add maria "ask how the Q1 reorg landed"
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        doc = txn.edit(ContactsFile)
        person = resolve(ref, doc.contact)
        topic = ops.add(doc, person, text, st.today)
    say(_("Topic {id} for {name}: {text}").format(id=topic.id, name=person.name, text=topic.text))


def _row(c: Contact, t: Topic, *, private: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": t.id,
        "person": c.id,
        "name": c.name,
        "added": t.added.isoformat(),
        "done": t.done.isoformat() if t.done else None,
        "covered": t.covered,
    }
    if private:
        row["text"] = t.text
    return row


def _line(c: Contact, t: Topic) -> str:
    since = _("(since {day})").format(day=short_date(t.added))
    if t.done and t.covered:
        since += "  " + _("(done {day} in {entry})").format(day=short_date(t.done), entry=t.covered)
    elif t.done:
        since += "  " + _("(done {day})").format(day=short_date(t.done))
    return f"{t.id:<4} {c.name}: {t.text}  {since}"


@app.command("list")
def list_(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Argument(metavar="[REF]", help="Only this person's topics.")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Include topics already done.")] = False,
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """Open talking points, everyone's or one person's (--all: done ones too).

    The text of a topic is private: --json leaves it out unless --include-private. In an
    encrypted home it is opened with the identity (without it, it shows as locked).

    Example: hrtrust topic list maria --all
    """
    st = state(ctx)
    store = st.ready_store()
    if include_private or not json:  # the text is shown: open it with the identity
        unlock(store)
    contacts = store.contacts().contact
    person = resolve(ref, contacts) if ref else None
    rows = ops.listing(contacts, person, everything=all_)
    if person is not None:
        empty = _("No topics for {name}.") if all_ else _("No open topics for {name}.")
    else:
        empty = _("No topics.") if all_ else _("No open topics.")
    render(
        json=json,
        data=lambda: [_row(c, t, private=include_private) for c, t in rows],
        view=lambda: (
            "\n".join(_line(c, t) for c, t in rows)
            if rows
            else empty.format(name=person.name if person else "")
        ),
    )


@app.command("done")
def done(ctx: typer.Context, topic_id: TopicId) -> None:
    """Mark a topic raised (logging a meeting with --covered ID does it too).

    Example: hrtrust topic done t3
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        doc = txn.edit(ContactsFile)
        person = ops.find(doc, topic_id)[0]
        topic = ops.done(doc, topic_id, st.today)
    say(_("Done: {id} ({name}).").format(id=topic.id, name=person.name))


@app.command("remove")
def remove(ctx: typer.Context, topic_id: TopicId) -> None:
    """Delete a topic entered by mistake.

    Example: hrtrust topic remove t3
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        person, topic = ops.remove(txn.edit(ContactsFile), topic_id)
    say(_("Removed {id} ({name}).").format(id=topic.id, name=person.name))
