"""Contact operations: add, edit, remove, and forget a person everywhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hrtrust.domain.dates import parse_cadence, parse_date
from hrtrust.domain.people import new_id, resolve
from hrtrust.errors import UsageError
from hrtrust.models import (
    ActivitiesFile,
    Contact,
    ContactsFile,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.storage.store import Transaction


@dataclass
class ContactChanges:
    """Fields to set; None leaves a field alone, an empty string clears it."""

    name: str | None = None
    dept: str | None = None
    role: str | None = None
    location: str | None = None
    email: str | None = None
    manager: str | None = None
    every: str | None = None
    birthday: str | None = None
    hired: str | None = None
    note: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()


def parse_birthday(text: str, today: dt.date) -> str:
    """``Dec 3``, ``12-03`` or a full date: only month and day are kept (no age is stored)."""
    raw = text.strip()
    if len(raw) == 5 and raw[2] == "-" and raw.replace("-", "").isdigit():
        month, day = int(raw[:2]), int(raw[3:])
        try:
            dt.date(2000, month, day)
        except ValueError:
            raise UsageError(f"no such birthday {text!r}", hint="use MM-DD or Dec 3") from None
        return raw
    try:
        when = parse_date(raw, today)
    except UsageError:
        # "Feb 29" is a real birthday even when the coming Feb 29 does not exist: read a
        # month and day without a year against a leap year before giving up.
        when = parse_date(raw, dt.date(2000, 1, 1))
    return f"{when.month:02d}-{when.day:02d}"


def apply_changes(contact: Contact, ch: ContactChanges, today: dt.date) -> None:
    """Apply ``ch`` to ``contact``, validating every value before anything is changed."""
    values: dict[str, object] = {}
    if ch.name is not None:
        if not ch.name.strip():
            raise UsageError("a contact needs a name")
        values["name"] = ch.name.strip()
    for attr in ("dept", "role", "location", "email", "manager"):
        new = getattr(ch, attr)
        if new is not None:
            values[attr] = new.strip() or None
    if ch.note is not None:
        values["notes"] = ch.note.strip() or None
    if ch.every is not None:
        values["every"] = parse_cadence(ch.every) if ch.every.strip() else None
    if ch.birthday is not None:
        values["birthday"] = parse_birthday(ch.birthday, today) if ch.birthday.strip() else None
    if ch.hired is not None:
        values["hired"] = parse_date(ch.hired, today) if ch.hired.strip() else None
    # Tags are stored lower-cased (below), so `--untag Ally` must remove `ally`.
    untag = {t.strip().lower() for t in ch.remove_tags}
    tags = [t for t in contact.tags if t.lower() not in untag]
    for tag in ch.add_tags:
        tag = tag.strip().lower()
        if tag and tag not in tags:
            tags.append(tag)
    values["tags"] = tags
    for attr, value in values.items():
        setattr(contact, attr, value)


def add_contact(txn: Transaction, name: str, ch: ContactChanges, today: dt.date) -> Contact:
    """Create a contact; a second person with the same name is allowed and told apart by id."""
    doc = txn.get(ContactsFile)
    contact = Contact(id="new", name=name.strip() or "?", added=today)
    ch.name = name
    apply_changes(contact, ch, today)
    contact.id = new_id(doc)
    doc.contact.append(contact)
    txn.save(doc)
    return contact


def same_name(doc: ContactsFile, contact: Contact) -> list[Contact]:
    return [c for c in doc.contact if c.id != contact.id and c.name == contact.name]


def edit_contact(txn: Transaction, ref: str, ch: ContactChanges, today: dt.date) -> Contact:
    doc = txn.get(ContactsFile)
    contact = resolve(ref, doc.contact)
    apply_changes(contact, ch, today)
    txn.save(doc)
    return contact


def remove_contact(txn: Transaction, ref: str) -> Contact:
    """Remove a contact from the address book; the log keeps its past entries with them."""
    doc = txn.get(ContactsFile)
    contact = resolve(ref, doc.contact)
    doc.contact = [c for c in doc.contact if c.id != contact.id]
    txn.save(doc)
    return contact


@dataclass
class Forgotten:
    contact: Contact
    log_entries_deleted: int = 0
    log_entries_edited: int = 0
    promises_deleted: int = 0
    activities_edited: int = 0
    feedback_deleted: int = 0


def forget(txn: Transaction, ref: str) -> Forgotten:
    """Erase a person everywhere: contact, their log entries, promises, activities, feedback.

    An entry with other people in it stays, without them; an entry only about them goes.
    """
    contacts = txn.get(ContactsFile)
    contact = resolve(ref, contacts.contact)
    out = Forgotten(contact)
    cid = contact.id
    txn.forgetting(f'"{cid}"', contact.name)  # no backup of the erased person is kept
    contacts.contact = [c for c in contacts.contact if c.id != cid]
    for other in contacts.contact:  # `manager` holds a name (as an HRIS export gives it)
        if other.manager and other.manager in (contact.name, cid):
            other.manager = None
    txn.save(contacts)

    promises = txn.get(PromisesFile)
    gone_promises = {p.id for p in promises.promise if p.person == cid}
    kept = [p for p in promises.promise if p.person != cid]
    out.promises_deleted = len(promises.promise) - len(kept)
    if out.promises_deleted:
        promises.promise = kept
        txn.save(promises)

    for rel in txn.store.log_months():
        log = txn.get(LogFile, rel)
        changed = False
        entries = []
        for e in log.entry:
            if cid not in e.with_:
                entries.append(e)
                continue
            changed = True
            if e.with_ == [cid]:
                out.log_entries_deleted += 1
                continue
            e.with_ = [w for w in e.with_ if w != cid]
            e.promises = [p for p in e.promises if p not in gone_promises]
            e.note = _scrub(e.note, contact.name) if e.note else None
            e.learned = [_scrub(t, contact.name) for t in e.learned]
            out.log_entries_edited += 1
            entries.append(e)
        if changed:
            log.entry = entries
            txn.save(log, rel)

    activities = txn.get(ActivitiesFile)
    for a in activities.activity:
        if cid in a.with_:
            a.with_ = [w for w in a.with_ if w != cid]
            out.activities_edited += 1
    if out.activities_edited:
        txn.save(activities)

    for p in promises.promise:  # others' promises may name them
        if contact.name in p.text:
            p.text = _scrub(p.text, contact.name)
            txn.save(promises)

    feedback = txn.get(FeedbackFile)
    kept_fb = [f for f in feedback.feedback if f.person != cid]
    out.feedback_deleted = len(feedback.feedback) - len(kept_fb)
    for f in kept_fb:
        texts = [f.text, *(a.text for a in f.actions)]
        if any(contact.name in t for t in texts):
            f.text = _scrub(f.text, contact.name)
            for act in f.actions:
                act.text = _scrub(act.text, contact.name)
            txn.save(feedback)
    if out.feedback_deleted:
        feedback.feedback = kept_fb
        txn.save(feedback)
    txn.store.drop_cache()
    return out


def _scrub(text: str, name: str) -> str:
    """Remove a forgotten person's name (and first name) from a note shared with others."""
    for part in sorted({name, *name.split()}, key=len, reverse=True):
        if len(part) >= 2:
            text = text.replace(part, "[forgotten]")
    return text
