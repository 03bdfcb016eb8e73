"""Talking points: what to raise with a person next time, carried until it is covered.

Topics live on their person in ``contacts.toml`` (``[[contact.topics]]``), numbered ``t1``,
``t2``... from the file's ``next_topic`` counter. Pure functions of the contacts document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from hrtrust.domain.contacts import number_key
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import N_, _
from hrtrust.models import Contact, ContactsFile, Topic


def open_topics(contact: Contact) -> list[Topic]:
    """A person's topics not yet raised, oldest first."""
    return [t for t in contact.topics if t.done is None]


def _new_id(doc: ContactsFile) -> str:
    taken = {t.id for c in doc.contact for t in c.topics}
    n = max(doc.next_topic or 1, 1)
    while f"t{n}" in taken:
        n += 1
    doc.next_topic = n + 1
    return f"t{n}"


def add(doc: ContactsFile, contact: Contact, text: str, today: dt.date) -> Topic:
    """Note something to raise with ``contact`` (a contact of ``doc``)."""
    if not text.strip():
        raise UsageError(_("a topic needs some text"), hint='hrtrust topic add maria "the offsite"')
    topic = Topic(id=_new_id(doc), text=text.strip(), added=today)
    contact.topics.append(topic)
    return topic


def _key(ref: str) -> str:
    key = ref.strip().lower()
    return f"t{key}" if key.isdigit() else key


def find(doc: ContactsFile, ref: str) -> tuple[Contact, Topic]:
    """The topic with id ``ref`` (``t3`` or ``3``) and its person."""
    key = _key(ref)
    for c in doc.contact:
        for t in c.topics:
            if t.id == key:
                return c, t
    raise NotFoundError(
        _("no topic {ref}").format(ref=ref), hint=_("see `hrtrust topic list --all`")
    )


ALREADY_DONE = N_("topic {id} is already done ({day})")


def done(doc: ContactsFile, ref: str, today: dt.date, covered: str | None = None) -> Topic:
    """Mark a topic raised (``covered``: the log entry where it was)."""
    topic = find(doc, ref)[1]
    if topic.done is not None:
        raise UsageError(_(ALREADY_DONE).format(id=topic.id, day=topic.done))
    topic.done = today
    topic.covered = covered
    return topic


def cover(doc: ContactsFile, refs: Iterable[str], entry_id: str, day: dt.date) -> list[Topic]:
    """Close every topic in ``refs`` with the entry that covered them; all are checked first."""
    found = [find(doc, ref)[1] for ref in refs]
    for t in found:
        if t.done is not None:
            raise UsageError(_(ALREADY_DONE).format(id=t.id, day=t.done))
    for t in found:
        t.done = day
        t.covered = entry_id
    return found


def remove(doc: ContactsFile, ref: str) -> tuple[Contact, Topic]:
    """Delete a topic altogether (entered by mistake)."""
    contact, topic = find(doc, ref)
    contact.topics = [t for t in contact.topics if t is not topic]
    return contact, topic


def listing(
    contacts: Sequence[Contact], person: Contact | None = None, *, everything: bool = False
) -> list[tuple[Contact, Topic]]:
    """Topics (open ones unless ``everything``) of one person or of everyone, in id order."""
    rows = [
        (c, t)
        for c in contacts
        if person is None or c.id == person.id
        for t in c.topics
        if everything or t.done is None
    ]
    rows.sort(key=lambda ct: number_key(ct[1].id))
    return rows
