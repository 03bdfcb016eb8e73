"""Contacts: finding a person by a short, forgiving reference, and their effective cadence."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence

from hrtrust.errors import AmbiguousError, NotFoundError
from hrtrust.models import Config, Contact, ContactsFile, allocate_id


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
