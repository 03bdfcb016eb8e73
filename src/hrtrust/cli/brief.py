"""``hrtrust brief REF``: one screen to read before meeting someone."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain.contacts import resolve
from hrtrust.present.brief import brief_view
from hrtrust.present.output import render

from . import load
from .common import JsonOption, PrivateOption, opener, state


def brief(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, name, or an unambiguous name prefix.")],
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """Before a meeting: everything you should remember about REF.

    Who they are, what you know about them, your last touchpoints, open promises both ways,
    what is coming up together, and whether a touch is due.

    Personal notes and learned facts show in the terminal (it is your own screen); --json
    leaves them out unless --include-private is given.

    Example: hrtrust brief david
    """
    st = state(ctx)
    store = st.ready_store()
    contacts = store.contacts().contact
    contact = resolve(ref, contacts)
    reveal = opener(store) if include_private or not json else None
    b = load.brief(store, contact, st.today, reveal=reveal)
    names = {c.id: c.name for c in contacts}

    def data() -> object:
        from hrtrust.present.json_views import brief_json  # only for --json

        return brief_json(b, names, private=include_private)

    render(json=json, data=data, view=lambda: brief_view(b, names, private=True))
