"""``hrtrust plan week``: the Monday agenda."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Annotated

import typer

from hrtrust.domain.dates import parse_iso_week
from hrtrust.domain.planning import WeekPlan, plan_week, week_of
from hrtrust.errors import UsageError
from hrtrust.locale import _
from hrtrust.present.output import render

from . import load
from .common import JsonOption, PrivateOption, state

app = typer.Typer(help="Plan the week's relationship work.", no_args_is_help=True)


@app.command("week")
def week(
    ctx: typer.Context,
    next_: Annotated[bool, typer.Option("--next", help="Plan next week.")] = False,
    week: Annotated[
        str | None,
        typer.Option("--week", metavar="YYYY-Www", help="Plan this ISO week, e.g. 2026-W49."),
    ] = None,
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """This week's agenda: overdue promises, each day's activities and promises due,
    who to reach out to (with a conversation hook), celebrations, and coverage gaps.

    Example: hrtrust plan week --next
    """
    st = state(ctx)
    if next_ and week:
        raise UsageError(_("give --next or --week, not both"))
    monday = week_of(st.today, next_week=next_, week=parse_iso_week(week) if week else None)
    store = st.ready_store()
    data = load.plan_input(store, monday, st.today)
    plan = plan_week(data, st.today, monday)
    names = data.people.names_by_id() if data.people else {c.id: c.name for c in data.contacts}
    # Learned facts ("ask about ...") show on your own screen; piped (to mail, a file) only
    # with --include-private.
    private = include_private or sys.stdout.isatty()

    def as_json() -> object:
        from hrtrust.present.json_views import plan_json

        return plan_json(plan, names, private=include_private)

    def view(plan: WeekPlan, names: Mapping[str, str], *, private: bool) -> list[object]:
        from hrtrust.present.week import plan_view  # no Rich import unless on a terminal

        return plan_view(plan, names, private=private)

    render(
        json=json,
        data=as_json,
        view=lambda: view(plan, names, private=private),
    )
