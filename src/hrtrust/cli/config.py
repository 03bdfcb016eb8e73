"""``hrtrust config show`` and ``hrtrust config set``: settings without hand-editing TOML."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import settings as ops
from hrtrust.models import Config
from hrtrust.present.output import render
from hrtrust.storage import derived

from .common import JsonOption, say, state

app = typer.Typer(
    help="Show and change settings: time zone, country, workdays, budget, retention, cadences.",
    no_args_is_help=True,
)


@app.command("show")
def show(ctx: typer.Context, json: JsonOption = False) -> None:
    """The settings `config set` changes, with their values and what each means.

    Example: hrtrust config show
    """
    from hrtrust.present import terminal

    config = state(ctx).ready_store().config()
    rows = ops.settings(config)
    render(
        json=json,
        data=lambda: ops.settings_data(config),
        view=lambda: [terminal.settings_table(rows)],
    )


@app.command("set")
def set_(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            metavar="KEY",
            help="timezone, country, workdays, reach-out-budget, max-per-day, retention, "
            "min-responses, cadence.TAG, or delivery.NAME.kind and delivery.NAME.url-env (where "
            "`digest --post-to NAME` posts).",
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(metavar="VALUE", help="e.g. Asia/Taipei, TW, mon-fri, 5, 3w, 24m."),
    ],
) -> None:
    """Change one setting in config.toml, checked first (nothing is written if it is wrong).

    `country none` turns public holidays off; `cadence.TAG none` drops a tag's own cadence;
    `retention off` keeps personal text for ever (`retention 24m`: `hrtrust purge` removes
    what is older); `min-responses` cannot go below 3. `delivery.NAME.kind` is teams, slack,
    google-chat, ntfy or webhook (none removes NAME); `delivery.NAME.url-env` names the
    environment variable holding its URL, which is never stored.

    Example: hrtrust config set country TW
    """
    st = state(ctx)
    store = st.ready_store()
    key_ = ops.canonical_key(key)  # an unknown key fails before the lists below are built
    countries = derived.known_countries() if key_ == "country" else {}
    zones = derived.known_zones() if key_ == "timezone" else set()
    with store.transaction() as txn:
        now = ops.set_value(txn.edit(Config), key_, value, countries=countries, zones=zones)
    say(f"{now.key} = {now.value}")
