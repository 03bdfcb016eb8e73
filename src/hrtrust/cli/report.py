"""``hrtrust report ...``: coverage, balance, promise keeping, the feedback loop, the pulse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType
from typing import Annotated, Literal

import typer

from hrtrust.domain import reports
from hrtrust.domain.dates import cadence_days, parse_cadence, parse_past_date
from hrtrust.errors import UsageError
from hrtrust.locale import N_, _
from hrtrust.present.coverage import coverage_view
from hrtrust.present.output import render

from . import load
from .common import JsonOption, PrivateOption, state


def _views() -> ModuleType:
    """The people's views of balance, promises, feedback and pulse (Rich tables: coverage has
    its own, without them)."""
    from hrtrust.present import reports

    return reports


def _json() -> ModuleType:
    """The JSON forms of the reports, imported only for ``--json``."""
    from hrtrust.present import json_views

    return json_views


app = typer.Typer(
    help="Relationship health: coverage, balance, promises, feedback, pulse.",
    no_args_is_help=True,
)


@app.command("coverage")
def coverage(ctx: typer.Context, json: JsonOption = False) -> None:
    """Client departments: people known, HR allies, touchpoints in the last 30 and 90 days,
    last touch, and flags: no ally, gone quiet (past the department's window), one person known.

    Example: hrtrust report coverage
    """
    st = state(ctx)
    since = st.today - dt.timedelta(days=89)
    data = load.report_input(
        st.ready_store(), since, st.today, counted=True, promises=False, feedback=False
    )
    rows = reports.coverage_report(data, st.today)
    render(
        json=json,
        data=lambda: _json().coverage_json(rows, st.today),
        view=lambda: coverage_view(rows, st.today),
    )


@app.command("balance")
def balance(
    ctx: typer.Context,
    window: Annotated[
        str, typer.Option("--window", metavar="SPAN", help="How far back: 90d, 12w, 6m.")
    ] = "90d",
    by: Annotated[
        str, typer.Option("--by", metavar="manager|dept", help="Compare managers or departments.")
    ] = "manager",
    json: JsonOption = False,
) -> None:
    """Equal support to every manager: touchpoints per manager (or per department, per head
    when the headcount is known) over the window; those below half the median are flagged.
    The Gini coefficient (0 = even) is shown for the window and for each of the last 6 months.

    Example: hrtrust report balance --window 90d --by dept
    """
    st = state(ctx)
    if by not in ("manager", "dept"):
        raise UsageError(_("--by {by!r}: give manager or dept").format(by=by))
    days = cadence_days(parse_cadence(window))
    mode: Literal["manager", "dept"] = "manager" if by == "manager" else "dept"
    months = reports.last_months(st.today, 6)
    since = min(st.today - dt.timedelta(days=days - 1), months[0][0])
    data = load.report_input(st.ready_store(), since, st.today, promises=False, feedback=False)
    report = reports.balance_report(data, st.today, window_days=days, by=mode)
    render(
        json=json,
        data=lambda: _json().balance_json(report),
        view=lambda: _views().balance_view(report),
    )


@app.command("promises")
def promises(
    ctx: typer.Context,
    months: Annotated[int, typer.Option("--months", min=1, max=36, help="Months shown.")] = 6,
    json: JsonOption = False,
) -> None:
    """Promise keeping by month (kept on time / kept or broken; n/a when none fell due),
    average lateness of promises kept late, and the most deferred ones, as a small chart.

    Example: hrtrust report promises --months 12
    """
    st = state(ctx)
    store = st.ready_store()
    report = reports.promise_report(store.promises().promise, st.today, months=months)
    names = {c.id: c.name for c in store.contacts().contact}
    render(
        json=json,
        data=lambda: _json().promise_report_json(report, names),
        view=lambda: _views().promises_view(report, names),
    )


# What a report shows of feedback given in confidence, unless --include-private.
PRIVATE_FEEDBACK = N_("(given in confidence: `hrtrust report feedback --include-private`)")


@app.command("feedback")
def feedback(
    ctx: typer.Context,
    markdown: Annotated[
        bool, typer.Option("--markdown", help='Print a "You said, we did" newsletter section.')
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Markdown: only actions from DATE on."),
    ] = None,
    names: Annotated[
        bool, typer.Option("--names", help="Markdown: name the person, not only the department.")
    ] = False,
    json: JsonOption = False,
    include_private: PrivateOption = False,
) -> None:
    """Open feedback by age (days since received), with what was done about each;
    --markdown writes the "You said, we did" section for the newsletter, attributed to
    departments (--names: to people). Feedback given in confidence (feedback add
    --private) shows its department and what was done, never its text or who gave it,
    unless --include-private.

    Example: hrtrust report feedback --markdown --since -3m > newsletter.md
    """
    st = state(ctx)
    store = st.ready_store()
    items = store.feedback().feedback
    if not include_private:  # in confidence: the department and the actions, no words, no name
        items = [
            f.model_copy(update={"text": _(PRIVATE_FEEDBACK), "person": None}) if f.private else f
            for f in items
        ]
    contacts = store.contacts().contact
    if markdown:
        start = parse_past_date(since, st.today) if since else None
        import sys

        news = reports.you_said_we_did(
            items, contacts, names=names, since=start, min_responses=store.config().min_responses
        )
        sys.stdout.write(_views().newsletter_markdown(news))
        return
    rows = reports.feedback_report(items, contacts, st.today, store.config().min_responses)
    hidden = {r.feedback.id: r.suppressed for r in rows if r.suppressed}
    render(
        json=json,
        data=lambda: _json().feedback_json([r.feedback for r in rows], contacts, st.today, hidden),
        view=lambda: _views().feedback_view(rows, {c.id: c.name for c in contacts}),
    )


@app.command("pulse")
def pulse(ctx: typer.Context, json: JsonOption = False) -> None:
    """Each department's trust pulse over time as a sparkline, the latest score and the
    change from the previous result.

    Example: hrtrust report pulse
    """
    st = state(ctx)
    store = st.ready_store()
    trends = reports.pulse_report(store.feedback().pulse, store.config(), st.today)
    render(
        json=json, data=lambda: _json().pulse_json(trends), view=lambda: _views().pulse_view(trends)
    )


@app.command("health")
def health(
    ctx: typer.Context,
    months: Annotated[
        int, typer.Option("--months", min=1, max=36, help="Calendar months shown, this one last.")
    ] = 12,
    dept: Annotated[
        list[str] | None,
        typer.Option(
            "--dept", metavar="D", help="Only this department (repeatable). Default: every client."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE.html",
            help="Write the page to FILE (atomically, readable only by you; - for stdout). "
            "Not inside the data home; the folder must exist.",
        ),
    ] = None,
    json: JsonOption = False,
) -> None:
    """A one-page relationship health report to show your manager: coverage by department
    and month, promise keeping, the trust pulse, balance across managers, the feedback loop
    and recognition given, each chart with a one-line reading and its numbers in a table.

    One self-contained HTML page (no scripts, nothing fetched), printable on A4. Counts and
    names only: no notes, learned facts, talking points or feedback text. On a terminal
    without --output it prints the readings and how to write the page; piped, it writes the
    page. --json gives the same series.

    Example: hrtrust report health --output ~/health.html
    """
    import sys

    from hrtrust.domain.departments import resolve_department
    from hrtrust.domain.health import health_report
    from hrtrust.storage.output import check_output, write_output

    st = state(ctx)
    store = st.ready_store()
    target = check_output(output, store.home) if output is not None else None
    config = store.config()
    contacts = store.contacts().contact
    names = [resolve_department(config, d, contacts, create=False).name for d in dept or ()]
    first = reports.last_months(st.today, months)[0][0]
    data = load.report_input(store, first, st.today, entries=True)
    logged = store.log_months()  # "log/2026-08.toml", oldest first
    start = dt.date.fromisoformat(Path(logged[0]).stem + "-01") if logged else None
    report = health_report(data, st.today, months=months, depts=names, log_start=start)

    from hrtrust.present import health as page

    if json:
        import json as json_module

        from hrtrust.present.common import json_safe

        text = json_safe(json_module.dumps(page.to_json(report), ensure_ascii=False, indent=2))
        text += "\n"
    elif output is None and sys.stdout.isatty():
        where = f"--months {months} " if months != 12 else ""
        where += "".join(f"--dept {_quoted(n)} " for n in names)
        hint = _("The page, with its charts: {command}").format(
            command=f"hrtrust report health {where}--output health.html"
        )
        render(
            json=False,
            data=lambda: page.to_json(report),
            view=lambda: page.summary(page.page(report), hint),
        )
        return
    else:
        text = page.to_html(report)
    if write_output(target, text) and sys.stdout.isatty():
        wrote = (
            _("Wrote the health report's series ({n} months) to {path}.")
            if json
            else _("Wrote the health report's page ({n} months) to {path}.")
        )
        sys.stdout.write(wrote.format(n=months, path=target) + "\n")


def _quoted(name: str) -> str:
    return f'"{name}"' if not name.replace("-", "").isalnum() else name
