"""``hrtrust feedback ...`` (the "you said, we did" loop) and ``hrtrust pulse ...``."""

from __future__ import annotations

from typing import Annotated

import typer

from hrtrust.domain import feedback as ops
from hrtrust.domain.contacts import resolve
from hrtrust.domain.dates import parse_past_date
from hrtrust.domain.departments import find_department
from hrtrust.errors import UsageError
from hrtrust.locale import _, ngettext
from hrtrust.models import Config, ContactsFile, FeedbackFile
from hrtrust.present import terminal
from hrtrust.present.json_views import feedback_json, pulses_json
from hrtrust.present.output import render

from .common import JsonOption, say, state, unlock
from .depts import resolve_depts

app = typer.Typer(
    help='The feedback loop ("you said, we did"): record, act, close.', no_args_is_help=True
)
pulse_app = typer.Typer(help="Trust pulse (survey) results per department.", no_args_is_help=True)

FeedbackId = Annotated[str, typer.Argument(metavar="ID", help="Feedback id, e.g. f3 or 3.")]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="DATE", help="When (default: today).")
]


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What they said.")],
    from_: Annotated[str | None, typer.Option("--from", help="The person who said it.")] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="The department it came from.")] = None,
    date: DateOption = None,
    private: Annotated[
        bool,
        typer.Option(
            "--private",
            help="Personal: encrypted at rest (after `key init`), never in the newsletter.",
        ),
    ] = False,
    responses: Annotated[
        int | None,
        typer.Option(
            "--responses",
            metavar="N",
            help="From a survey N people answered (under 5: reports hide it).",
        ),
    ] = None,
) -> None:
    """Record feedback from a person (--from REF) or a whole department (--dept D).

    Example: hrtrust feedback add "Night shift feels forgotten" --from 劉建國
    """
    st = state(ctx)
    if not from_ and not dept:
        raise UsageError(_("say who it came from: --from REF or --dept D"))
    day = parse_past_date(date, st.today) if date else st.today
    with st.ready_store().transaction() as txn:
        contacts = txn.get(ContactsFile).contact
        person = resolve(from_, contacts) if from_ else None
        name = resolve_depts(st, txn, [dept])[0] if dept else None
        item = ops.add(
            txn.edit(FeedbackFile),
            text=text,
            person=person,
            dept=name,
            day=day,
            private=private,
            responses=responses,
        )
    source = person.name if person else item.dept
    say(_("Feedback {id} from {source}: {text}").format(id=item.id, source=source, text=item.text))


@app.command("act")
def act(
    ctx: typer.Context,
    feedback_id: FeedbackId,
    text: Annotated[str, typer.Argument(help="What HR did about it.")],
    date: DateOption = None,
) -> None:
    """Record what HR did about a piece of feedback (as many times as needed).

    Example: hrtrust feedback act f3 "HR office hours on site Thursdays 18:00-20:00"
    """
    st = state(ctx)
    day = parse_past_date(date, st.today) if date else st.today
    with st.ready_store().transaction() as txn:
        item = ops.act(txn.edit(FeedbackFile), feedback_id, text, day)
    n = len(item.actions)
    say(_("Feedback {id}: action {n} recorded.").format(id=item.id, n=n))
    say(_("Once they know what came of it: hrtrust feedback close {id}").format(id=item.id))


@app.command("close")
def close(ctx: typer.Context, feedback_id: FeedbackId, date: DateOption = None) -> None:
    """Close the loop: the person (or department) was told what came of their feedback.

    Example: hrtrust feedback close f3
    """
    st = state(ctx)
    day = parse_past_date(date, st.today) if date else st.today
    with st.ready_store().transaction() as txn:
        item = ops.close(txn.edit(FeedbackFile), feedback_id, day)
    if item.actions:
        say(_("Closed feedback {id}.").format(id=item.id))
    else:
        say(_("Closed feedback {id} (no action was recorded).").format(id=item.id))


@app.command("reopen")
def reopen(ctx: typer.Context, feedback_id: FeedbackId) -> None:
    """Reopen a closed loop: the issue came back. Its actions stay; act and close it again.

    Example: hrtrust feedback reopen f3
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        item = ops.reopen(txn.edit(FeedbackFile), feedback_id)
    n = len(item.actions)
    say(
        ngettext(
            "Reopened feedback {id} ({n} action so far).",
            "Reopened feedback {id} ({n} actions so far).",
            n,
        ).format(id=item.id, n=n)
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Also closed items.")] = False,
    json: JsonOption = False,
) -> None:
    """List open feedback, oldest first (--all: closed items too).

    Example: hrtrust feedback list --all
    """
    st = state(ctx)
    store = st.ready_store()
    unlock(store)  # the list shows the text of private feedback
    contacts = store.contacts().contact
    rows = ops.listing(store.feedback().feedback, include_closed=all_)
    render(
        json=json,
        data=lambda: feedback_json(rows, contacts, st.today),
        view=lambda: (
            [terminal.feedback_table(rows, contacts, st.today)]
            if rows
            else (_("No open feedback.") if not all_ else _("No feedback yet."))
        ),
    )


@pulse_app.command("add")
def pulse_add(
    ctx: typer.Context,
    dept: Annotated[str, typer.Option("--dept", help="The department surveyed.")],
    score: Annotated[float, typer.Option("--score", help="The result, e.g. 3.8.")],
    date: DateOption = None,
    scale: Annotated[float, typer.Option("--scale", help="The top of the survey's scale.")] = 5,
    responses: Annotated[
        int | None,
        typer.Option(
            "--responses",
            metavar="N",
            help="How many answered; a result from fewer than 5 is never shown.",
        ),
    ] = None,
) -> None:
    """Record a trust pulse (survey) result for a department.

    With --responses, reports and the digest never show a score from fewer than
    `min_responses` (5 unless config.toml says otherwise, never below 3) respondents, and show
    the participation rate when the department's headcount is known (`dept add --headcount`);
    more respondents than that headcount is refused.

    Example: hrtrust pulse add --dept Manufacturing --score 3.3 --responses 41 --date 2026-12-15
    """
    st = state(ctx)
    day = parse_past_date(date, st.today) if date else st.today
    with st.ready_store().transaction() as txn:
        (name,) = resolve_depts(st, txn, [dept])
        result, replaced = ops.add_pulse(
            txn.edit(FeedbackFile),
            dept=name,
            score=score,
            day=day,
            scale=scale,
            responses=responses,
            counts=ops.headcounts(txn.get(Config)),
        )
    if replaced:
        message = _("Replaced the pulse {id} for {dept} on {day}: {score:g} / {scale:g}{answered}.")
    else:
        message = _("Recorded pulse {id} for {dept} on {day}: {score:g} / {scale:g}{answered}.")
    say(
        message.format(
            id=result.id,
            dept=name,
            day=day,
            score=result.score,
            scale=scale,
            answered=_answered(responses),
        )
    )


def _answered(responses: int | None) -> str:
    """`` (41 answered)`` after a pulse's score, when known."""
    return "" if responses is None else _(" ({n} answered)").format(n=responses)


PulseId = Annotated[str, typer.Argument(metavar="ID", help="Pulse result id, e.g. s3 or 3.")]


@pulse_app.command("list")
def pulse_list(
    ctx: typer.Context,
    dept: Annotated[str | None, typer.Option("--dept", help="Only this department.")] = None,
    json: JsonOption = False,
) -> None:
    """List pulse results, oldest first, with their ids (for edit and remove).

    A result from fewer than `min_responses` respondents shows no score, here as everywhere.

    Example: hrtrust pulse list --dept Manufacturing
    """
    st = state(ctx)
    store = st.ready_store()
    name = (
        (find_department(dept, store.config(), store.contacts().contact) or dept) if dept else None
    )
    rows = ops.pulses(store.feedback().pulse, name)
    least = store.config().min_responses
    render(
        json=json,
        data=lambda: pulses_json(rows, least),
        view=lambda: (
            [terminal.pulses_table(rows, least)]
            if rows
            else (
                _("No pulse results for {dept} yet.").format(dept=name)
                if name
                else _("No pulse results yet.")
            )
        ),
    )


@pulse_app.command("edit")
def pulse_edit(
    ctx: typer.Context,
    pulse_id: PulseId,
    dept: Annotated[str | None, typer.Option("--dept", help="Correct the department.")] = None,
    score: Annotated[float | None, typer.Option("--score", help="Correct the score.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help="Correct the date.")
    ] = None,
    scale: Annotated[
        float | None, typer.Option("--scale", help="Correct the top of the scale.")
    ] = None,
    responses: Annotated[
        int | None,
        typer.Option(
            "--responses", metavar="N", help="How many answered (fewer than 5: never shown)."
        ),
    ] = None,
) -> None:
    """Correct a pulse result (a typo in the score, the wrong department or day, how many
    answered).

    Example: hrtrust pulse edit s3 --score 3.6 --responses 41
    """
    st = state(ctx)
    if dept is None and score is None and date is None and scale is None and responses is None:
        raise UsageError(_("say what to change: --dept, --score, --date, --scale or --responses"))
    day = parse_past_date(date, st.today) if date else None
    with st.ready_store().transaction() as txn:
        name = resolve_depts(st, txn, [dept])[0] if dept else None
        item = ops.edit_pulse(
            txn.edit(FeedbackFile),
            pulse_id,
            dept=name,
            score=score,
            day=day,
            scale=scale,
            responses=responses,
            counts=ops.headcounts(txn.get(Config)),
        )
    say(
        _("Updated pulse {id}: {dept} on {day}: {score:g} / {scale:g}{answered}.").format(
            id=item.id,
            dept=item.dept,
            day=item.date,
            score=item.score,
            scale=item.top,
            answered=_answered(item.responses),
        )
    )


@pulse_app.command("remove")
def pulse_remove(ctx: typer.Context, pulse_id: PulseId) -> None:
    """Remove a pulse result recorded by mistake.

    Example: hrtrust pulse remove s3
    """
    st = state(ctx)
    with st.ready_store().transaction() as txn:
        item = ops.remove_pulse(txn.edit(FeedbackFile), pulse_id)
    say(
        _("Removed pulse {id} ({dept} on {day}: {score:g} / {scale:g}).").format(
            id=item.id, dept=item.dept, day=item.date, score=item.score, scale=item.top
        )
    )
