"""Contacts: finding a person by a short, forgiving reference, their effective cadence, and
adding, editing, removing and forgetting people (pure functions of the documents)."""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hrtrust.domain.dates import parse_cadence, parse_date
from hrtrust.errors import AmbiguousError, NotFoundError, UsageError
from hrtrust.models import (
    ActivitiesFile,
    Config,
    Contact,
    ContactsFile,
    FeedbackFile,
    LogFile,
    PromisesFile,
    allocate_id,
    is_locked,
)


def fold(text: str) -> str:
    """Normalise text for matching: NFKC (full-width forms), case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _candidates(contacts: Sequence[Contact], needle: str) -> list[Contact]:
    exact = [c for c in contacts if fold(c.name) == needle]
    if exact:
        return exact
    squashed = needle.replace(" ", "")
    out = []
    for c in contacts:
        name = fold(c.name)
        words = name.split()
        if (
            name.startswith(needle)
            or name.replace(" ", "").startswith(squashed)
            or any(w.startswith(needle) for w in words)
        ):
            out.append(c)
    return out


def resolve(ref: str, contacts: Sequence[Contact]) -> Contact:
    """The one contact ``ref`` names: an id, a name, or an unambiguous prefix of a name.

    Example: ``resolve("maria", contacts)`` finds Maria Chen if she is the only Maria.
    """
    needle = fold(ref)
    if not needle:
        raise NotFoundError("an empty name matches nobody")
    for c in contacts:
        if c.id.casefold() == needle:
            return c
    found = _candidates(contacts, needle)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(f"{c.name} ({c.id})" for c in sorted(found, key=id_key)[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise AmbiguousError(
            f"{ref!r} matches {len(found)} people", hint=f"use one of: {listed}{more}"
        )
    names = {fold(c.name): c.name for c in contacts}
    close = difflib.get_close_matches(needle, list(names), n=3, cutoff=0.6)
    if not close:  # also try against first names and surnames
        parts = {w: c.name for c in contacts for w in fold(c.name).split()}
        close_parts = difflib.get_close_matches(needle, list(parts), n=3, cutoff=0.7)
        suggestions = sorted({parts[p] for p in close_parts})
    else:
        suggestions = [names[n] for n in close]
    hint = (
        f"did you mean {' or '.join(suggestions)}?"
        if suggestions
        else "see `hrtrust contact list`, or add them with `hrtrust contact add`"
    )
    raise NotFoundError(f"no contact matches {ref!r}", hint=hint)


def resolve_all(refs: Iterable[str], contacts: Sequence[Contact]) -> list[Contact]:
    """Resolve several references, keeping order and dropping repeats."""
    out: list[Contact] = []
    for ref in refs:
        c = resolve(ref, contacts)
        if c not in out:
            out.append(c)
    return out


def id_key(contact: Contact) -> tuple[int, str]:
    """Sort contacts by the number in their id (c2 before c10)."""
    return number_key(contact.id)


def number_key(ident: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ident if ch.isdigit())
    return (int(digits) if digits else 0, ident)


def new_id(doc: ContactsFile) -> str:
    return allocate_id(doc, "c", (r.id for r in doc.contact))


def cadence_source(contact: Contact, config: Config) -> str:
    """Where a contact's cadence comes from: ``own``, ``tags`` or ``default``."""
    if contact.every:
        return "own"
    return "tags" if any(t in config.cadence for t in contact.tags) else "default"


def cadence_of(contact: Contact, config: Config) -> str:
    """How often to touch base: the contact's own cadence, else the shortest for its tags."""
    if contact.every:
        return contact.every
    from hrtrust.domain.dates import cadence_days

    by_tag = [config.cadence[t] for t in contact.tags if t in config.cadence]
    if by_tag:
        return min(by_tag, key=cadence_days)
    return config.cadence.get("default", "6w")


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


def add_contact(doc: ContactsFile, name: str, ch: ContactChanges, today: dt.date) -> Contact:
    """Create a contact; a second person with the same name is allowed and told apart by id."""
    contact = Contact(id="new", name=name.strip() or "?", added=today)
    ch.name = name
    apply_changes(contact, ch, today)
    contact.id = new_id(doc)
    doc.contact.append(contact)
    return contact


def same_name(doc: ContactsFile, contact: Contact) -> list[Contact]:
    return [c for c in doc.contact if c.id != contact.id and c.name == contact.name]


def edit_contact(doc: ContactsFile, ref: str, ch: ContactChanges, today: dt.date) -> Contact:
    contact = resolve(ref, doc.contact)
    apply_changes(contact, ch, today)
    return contact


def remove_contact(doc: ContactsFile, ref: str) -> Contact:
    """Remove a contact from the address book; the log keeps its past entries with them."""
    contact = resolve(ref, doc.contact)
    doc.contact = [c for c in doc.contact if c.id != contact.id]
    return contact


@dataclass
class Forgotten:
    contact: Contact
    log_entries_deleted: int = 0
    log_entries_edited: int = 0
    promises_deleted: int = 0
    activities_edited: int = 0
    feedback_deleted: int = 0
    locked_dropped: int = 0  # encrypted notes or facts of shared entries that could not be read


def forget(
    contact: Contact,
    *,
    contacts: ContactsFile,
    promises: PromisesFile,
    activities: ActivitiesFile,
    feedback: FeedbackFile,
    logs: Sequence[LogFile],
) -> Forgotten:
    """Erase a person everywhere: contact, their log entries, promises, activities, feedback.

    An entry with other people in it stays, without them; an entry only about them goes.
    The name is scrubbed from the notes kept; a note or fact that is locked (encrypted and
    not opened) cannot be scrubbed, so it goes: erasure wins over keeping a note.
    """
    out = Forgotten(contact)
    cid = contact.id
    contacts.contact = [c for c in contacts.contact if c.id != cid]
    for other in contacts.contact:  # `manager` holds a name (as an HRIS export gives it)
        if other.manager and other.manager in (contact.name, cid):
            other.manager = None

    gone_promises = {p.id for p in promises.promise if p.person == cid}
    kept = [p for p in promises.promise if p.person != cid]
    out.promises_deleted = len(promises.promise) - len(kept)
    promises.promise = kept

    for log in logs:
        entries = []
        for e in log.entry:
            if cid not in e.with_:
                entries.append(e)
                continue
            if e.with_ == [cid]:
                out.log_entries_deleted += 1
                continue
            e.with_ = [w for w in e.with_ if w != cid]
            e.promises = [p for p in e.promises if p not in gone_promises]
            locked = [t for t in [e.note, *e.learned] if is_locked(t)]
            out.locked_dropped += len(locked)
            e.note = _scrub(e.note, contact.name) if e.note and not is_locked(e.note) else None
            e.learned = [_scrub(t, contact.name) for t in e.learned if not is_locked(t)]
            out.log_entries_edited += 1
            entries.append(e)
        log.entry = entries

    for a in activities.activity:
        if cid in a.with_:
            a.with_ = [w for w in a.with_ if w != cid]
            out.activities_edited += 1

    for p in promises.promise:  # others' promises may name them
        if contact.name in p.text:
            p.text = _scrub(p.text, contact.name)

    kept_fb = [f for f in feedback.feedback if f.person != cid]
    out.feedback_deleted = len(feedback.feedback) - len(kept_fb)
    for f in kept_fb:
        f.text = _scrub(f.text, contact.name)
        for act in f.actions:
            act.text = _scrub(act.text, contact.name)
    feedback.feedback = kept_fb
    return out


def _scrub(text: str, name: str) -> str:
    """Remove a forgotten person's name (and first name) from a note shared with others."""
    for part in sorted({name, *name.split()}, key=len, reverse=True):
        if len(part) >= 2:
            text = text.replace(part, "[forgotten]")
    return text
