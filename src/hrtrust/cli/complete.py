"""Shell completion of what only the data home knows: person refs, kinds, departments and
activity ids. Completion runs on every TAB press, so it never fails: no data home, a broken
file or a busy lock simply completes nothing.

Each completer returns the words that start with what was typed, as typed (a shell only keeps
a completion that extends the word on the line).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from hrtrust.errors import HrtrustError

Completer = Callable[[Any, Any, str], list[str]]


def _store(ctx: Any) -> Any:
    from hrtrust.storage.paths import resolve_home
    from hrtrust.storage.store import Store

    home = ctx.find_root().params.get("home") if ctx is not None else None
    store = Store(resolve_home(home, os.environ))
    return store if store.exists() else None


def _safely(words: Callable[[Any], Iterable[str]]) -> Completer:
    def complete(ctx: Any, param: Any, incomplete: str) -> list[str]:
        from hrtrust.domain.contacts import fold

        try:
            store = _store(ctx)
            found = [] if store is None else list(words(store))
        except (HrtrustError, OSError, ValueError):
            return []
        typed = fold(incomplete)
        out = [incomplete + w[len(incomplete) :] for w in found if fold(w).startswith(typed)]
        return list(dict.fromkeys(out))

    return complete


def _people(store: Any) -> list[str]:
    """A word that names each contact: a first name or surname when only they carry it, else
    the contact id (a full name has a space, which a shell would split)."""
    from hrtrust.domain.contacts import fold

    contacts = store.contacts().contact
    owners: dict[str, set[str]] = {}
    for c in contacts:
        for w in c.name.split():
            owners.setdefault(fold(w), set()).add(c.id)
    out = []
    for c in contacts:
        out.append(c.id)
        out += [fold(w) for w in c.name.split() if len(owners[fold(w)]) == 1]
    return out


def _kinds(store: Any) -> list[str]:
    from hrtrust.domain.catalogue import kinds

    return list(kinds(store.config()))


def _departments(store: Any) -> list[str]:
    from hrtrust.domain.departments import known_departments

    return known_departments(store.config(), store.contacts().contact)


def _activities(store: Any) -> list[str]:
    return [a.id for a in store.activities().activity]


people = _safely(_people)
kinds = _safely(_kinds)
departments = _safely(_departments)
activities = _safely(_activities)
