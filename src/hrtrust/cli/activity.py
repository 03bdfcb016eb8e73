"""``hrtrust activity ...``: recurring relationship work, and the catalogue of kinds."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from hrtrust.domain import activities as ops
from hrtrust.domain.catalogue import kinds as all_kinds
from hrtrust.domain.contacts import number_key
from hrtrust.domain.dates import parse_date
from hrtrust.domain.planning import activity_occurrences
from hrtrust.domain.recurrence import next_occurrence, to_rrule
from hrtrust.errors import UsageError
from hrtrust.locale import _
from hrtrust.models import ActivitiesFile, ContactsFile
from hrtrust.present import terminal
from hrtrust.present.common import short_date
from hrtrust.present.json_views import activity_json
from hrtrust.present.output import render

from .common import JsonOption, say, state
from .depts import resolve_depts

app = typer.Typer(
    help="Recurring activities: meetings, lunch & learns, syncs.", no_args_is_help=True
)

Kind = Annotated[str | None, typer.Option("--kind", help="Kind from `activity kinds`.")]
Rule = Annotated[
    str | None,
    typer.Option(
        "--rule",
        help="weekly on tue, every 2 weeks on thu, monthly on first thu, quarterly, or an RRULE.",
    ),
]
At = Annotated[str | None, typer.Option("--at", help="Local start time, e.g. 10:00 or 2pm.")]
Duration = Annotated[str | None, typer.Option("--duration", help="60m, 1h30m (default 60m).")]
Dept = Annotated[str | None, typer.Option("--dept", help="The client department.")]
Location = Annotated[str | None, typer.Option("--location", help="Room or place.")]
With = Annotated[list[str] | None, typer.Option("--with", help="Who attends (repeatable).")]
Start = Annotated[str | None, typer.Option("--start", help="First date (default today).")]
Until = Annotated[str | None, typer.Option("--until", help="Last date.")]
ActivityRef = Annotated[str, typer.Argument(metavar="ID", help="Activity id (a3) or title prefix.")]


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="e.g. 'Engineering staff meeting'.")],
    kind: Kind = None,
    rule: Rule = None,
    at: At = None,
    duration: Duration = None,
    dept: Dept = None,
    location: Location = None,
    with_: With = None,
    start: Start = None,
    until: Until = None,
) -> None:
    """Add a recurring activity.

    Example: hrtrust activity add "Engineering staff meeting" --kind department-meeting
    --rule "weekly on tue" --at 10:00 --dept Engineering
    """
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    if kind is None:
        raise UsageError(_("say what kind of activity: --kind (see `hrtrust activity kinds`)"))
    if rule is None:
        known = all_kinds(config)
        default = known[kind].cadence if kind in known else None
        if not default:
            raise UsageError(_("say how often: --rule 'weekly on tue', 'monthly on first thu'..."))
        rule = default
    ch = ops.ActivityChanges(
        title=title,
        kind=kind,
        rule=rule,
        at=at,
        duration=duration,
        dept=dept,
        location=location,
        with_=with_,
        start=start,
        until=until,
    )
    with store.transaction() as txn:
        if dept and dept.strip():
            (ch.dept,) = resolve_depts(st, txn, [dept])
        a = ops.add(txn.edit(ActivitiesFile), txn.get(ContactsFile).contact, ch, config, st.today)
    nxt = next_occurrence(
        a.rule,
        start=a.start,
        at=a.at,
        tz=ZoneInfo(config.timezone),
        after=st.today,
        until=a.until,
        skip=a.skip,
    )
    from hrtrust.domain.recurrence import describe_rule
    from hrtrust.locale.phrase import said

    rule = describe_rule(a.rule)
    if nxt is None:
        message = _("Added {id}: {title} ({rule}).")
    elif a.at:
        message = _("Added {id}: {title} ({rule}; next {day} {time}).")
    else:
        message = _("Added {id}: {title} ({rule}; next {day}).")
    day = short_date(nxt) if nxt else ""
    time = f"{nxt:%H:%M}" if nxt else ""
    say(message.format(id=a.id, title=a.title, rule=said(rule), day=day, time=time))


@app.command("list")
def list_(ctx: typer.Context, json: JsonOption = False) -> None:
    """List activities with their rule and next occurrence."""
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    tz = ZoneInfo(config.timezone)
    rows = sorted(store.activities().activity, key=lambda a: number_key(a.id))
    nexts = {
        a.id: next_occurrence(
            to_rrule(a.rule),
            start=a.start,
            at=a.at,
            tz=tz,
            after=st.today,
            until=a.until,
            skip=a.skip,
        )
        for a in rows
    }
    render(
        json=json,
        data=lambda: [activity_json(a, nexts[a.id]) for a in rows],
        view=lambda: (
            [terminal.activities_table(rows, nexts)]
            if rows
            else _(
                "No activities yet. Add one with: hrtrust activity add TITLE --kind K --rule RULE"
            )
        ),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    ref: ActivityRef,
    weeks: Annotated[
        int, typer.Option("--weeks", help="Show occurrences this many weeks ahead.")
    ] = 8,
    json: JsonOption = False,
) -> None:
    """Show one activity and its coming occurrences."""
    st = state(ctx)
    store = st.ready_store()
    config = store.config()
    a = ops.find(store.activities(), ref)
    occ = activity_occurrences(
        [a], ZoneInfo(config.timezone), st.today, st.today + dt.timedelta(weeks=max(weeks, 0))
    )
    names = {c.id: c.name for c in store.contacts().contact}
    render(
        json=json,
        data=lambda: {
            **activity_json(a, occ[0].start if occ else None),
            "occurrences": [o.start.isoformat() for o in occ],
        },
        view=lambda: terminal.activity_card(a, occ, names),
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: ActivityRef,
    title: Annotated[str | None, typer.Option("--title", help="New title.")] = None,
    kind: Kind = None,
    rule: Rule = None,
    at: At = None,
    duration: Duration = None,
    dept: Dept = None,
    location: Location = None,
    with_: With = None,
    start: Start = None,
    until: Until = None,
) -> None:
    """Change an activity (an empty value clears an optional field: --until '')."""
    st = state(ctx)
    store = st.ready_store()
    ch = ops.ActivityChanges(
        title=title,
        kind=kind,
        rule=rule,
        at=at,
        duration=duration,
        dept=dept,
        location=location,
        with_=with_,
        start=start,
        until=until,
    )
    with store.transaction() as txn:
        if dept and dept.strip():
            (ch.dept,) = resolve_depts(st, txn, [dept])
        a = ops.edit(
            txn.edit(ActivitiesFile),
            txn.get(ContactsFile).contact,
            ref,
            ch,
            store.config(),
            st.today,
        )
    say(_("Updated {id}: {title}.").format(id=a.id, title=a.title))


@app.command("remove")
def remove(ctx: typer.Context, ref: ActivityRef) -> None:
    """Remove an activity (log entries that mention it are kept)."""
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        a = ops.remove(txn.edit(ActivitiesFile), ref)
    say(_("Removed {id}: {title}.").format(id=a.id, title=a.title))


@app.command("skip")
def skip(
    ctx: typer.Context,
    ref: ActivityRef,
    date: Annotated[str, typer.Argument(metavar="DATE", help="The date to skip (a holiday).")],
    undo: Annotated[bool, typer.Option("--undo", help="Put a skipped date back.")] = False,
) -> None:
    """Skip one occurrence, e.g. for a public holiday."""
    st = state(ctx)
    day = parse_date(date, st.today)
    with st.ready_store().transaction() as txn:
        a = ops.skip(txn.edit(ActivitiesFile), ref, day, undo=undo)
    if undo:
        message = _("Restored {title} ({id}) on {day}, {year}.")
    else:
        message = _("Skipping {title} ({id}) on {day}, {year}.")
    say(message.format(title=a.title, id=a.id, day=short_date(day), year=day.year))


@app.command("kinds")
def kinds(ctx: typer.Context, json: JsonOption = False) -> None:
    """The catalogue of relationship work, with default cadences (add your own in config.toml)."""
    st = state(ctx)
    store = st.store
    config = store.config() if store.exists() else None
    from hrtrust.models import Config

    table = all_kinds(config or Config())
    render(
        json=json,
        data=lambda: [k.model_dump(exclude_none=True) for k in table.values()],
        view=lambda: [terminal.kinds_table(list(table.values()))],
    )
