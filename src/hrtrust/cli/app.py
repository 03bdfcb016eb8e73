"""The root command: global options, the command groups, and the one place errors become exits."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from hrtrust import __version__
from hrtrust.errors import HrtrustError

from . import activity, contact, log, plan, promise, setup
from .common import State


class HrtrustGroup(TyperGroup):
    """Turns an HrtrustError into a one-line message on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HrtrustError as exc:
            if _debug(ctx):
                raise
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so without echoing data (it may be private)
            if _debug(ctx):
                raise
            sys.stderr.write(
                f"hrtrust: internal error ({type(exc).__name__}); "
                "rerun with --debug for the traceback\n"
            )
            raise typer.Exit(1) from None


def _debug(ctx: Any) -> bool:
    obj = ctx.obj
    return bool(getattr(obj, "debug", False) or ctx.params.get("debug"))


def report(exc: HrtrustError) -> None:
    sys.stderr.write(f"hrtrust: error: {exc.message}\n")
    if exc.hint:
        sys.stderr.write(f"hint: {exc.hint}\n")


app = typer.Typer(
    cls=HrtrustGroup,
    help="Plan the relationship work that builds trust: contacts, activities, promises.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hrtrust {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            metavar="PATH",
            help="Data folder (default: $HRTRUST_HOME, $XDG_DATA_HOME/hrtrust, "
            "~/.local/share/hrtrust).",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="DATE", help="Pretend today is DATE (plan ahead, replay)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """hrtrust: plan the weekly relationship work that earns trust in HR.

    Start with `hrtrust init --demo` and `hrtrust plan week`.
    """
    real_today = dt.date.today()
    state = State(home_option=home, debug=debug, today=real_today)
    ctx.obj = state
    if today is not None:
        from hrtrust.dates import parse_date

        state.today = parse_date(today, real_today)


setup.register(app)
app.add_typer(contact.app, name="contact")
app.add_typer(activity.app, name="activity")
app.add_typer(log.app, name="log")
app.add_typer(promise.app, name="promise")
app.command("overdue")(promise.overdue)
app.add_typer(plan.app, name="plan")

from . import digest as digest_cli  # noqa: E402

app.command("digest")(digest_cli.digest)

from . import brief, feedback  # noqa: E402
from . import report as report_cli  # noqa: E402  (app.py has its own `report`)

app.command("brief")(brief.brief)
app.add_typer(report_cli.app, name="report")
app.add_typer(feedback.app, name="feedback")
app.add_typer(feedback.pulse_app, name="pulse")

from . import interop  # noqa: E402

app.add_typer(interop.export_app, name="export")
app.add_typer(interop.import_app, name="import")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="hrtrust")
