"""The root command: global options, the command groups, and the one place errors become exits."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from hrtrust import __version__
from hrtrust.errors import HrtrustError

from .common import State

# Each command lives in its own module, imported only when that command runs: `hrtrust log`
# should not pay for importing the iCalendar writer or building forty other commands.
# name: (module under hrtrust.cli, attribute: a Typer group or a command function, short help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("setup", "init", "Create the data home (folder 0700, files 0600)."),
    "contact": ("contact", "app", "Add, list, show, edit and remove contacts."),
    "activity": ("activity", "app", "Recurring activities: meetings, lunch & learns, syncs."),
    "log": (
        "log",
        "app",
        "Log a touchpoint: hrtrust log KIND --with REF [--promise TEXT --due DATE]...",
    ),
    "promise": ("promise", "app", "Promises I owe and promises I am waiting for."),
    "overdue": (
        "promise",
        "overdue",
        "What is past due: promises I owe, things I am waiting for, people gone quiet.",
    ),
    "plan": ("plan", "app", "Plan the week's relationship work."),
    "digest": (
        "digest",
        "digest",
        "The Monday digest: last week in review, then this week's plan.",
    ),
    "brief": ("brief", "brief", "Before a meeting: everything you should remember about REF."),
    "report": (
        "report",
        "app",
        "Relationship health: coverage, balance, promises, feedback, pulse.",
    ),
    "feedback": ("feedback", "app", 'The feedback loop ("you said, we did"): record, act, close.'),
    "pulse": ("feedback", "pulse_app", "Trust pulse (survey) results per department."),
    "export": (
        "interop",
        "export_app",
        "Export the plan to a calendar (ics), everything (json) or contacts (csv).",
    ),
    "import": (
        "interop",
        "import_app",
        "Import contacts from an HRIS/spreadsheet CSV, or restore a JSON export.",
    ),
    "forget": (
        "setup",
        "forget",
        "Erase a person everywhere: contact, log, promises, activities and feedback.",
    ),
    "purge": (
        "retention",
        "purge",
        "Remove learned facts, log notes and closed feedback text older than the retention limit.",
    ),
    "key": (
        "key",
        "app",
        "Encrypt private notes at rest: key init, key rotate, key export-public.",
    ),
    "doctor": ("doctor", "doctor", "Check files, references, permissions, lock and temp files."),
}


def load_command(name: str) -> Any:
    """Build the Click command for ``name`` from its module."""
    import importlib

    module_name, attr, _ = COMMANDS[name]
    target = getattr(importlib.import_module(f"hrtrust.cli.{module_name}"), attr)
    holder = typer.Typer(rich_markup_mode=None, add_completion=False)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
        holder.command("-")(lambda: None)  # two commands, so Typer builds a group to pick from
    return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


class HrtrustGroup(TyperGroup):
    """Loads each command on demand, and turns an HrtrustError into a one-line message on
    stderr and its exit code.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        return load_command(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        # The short help comes from the table, so `hrtrust --help` imports no command module.
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

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
        finally:  # the store's warnings (comments lost to a rewrite, a home others can read)
            store = getattr(ctx.obj, "__dict__", {}).get("store")
            for line in getattr(store, "warnings", ()):
                sys.stderr.write(f"hrtrust: warning: {line}\n")


def _debug(ctx: Any) -> bool:
    obj = ctx.obj
    return bool(getattr(obj, "debug", False) or ctx.params.get("debug"))


def report(exc: HrtrustError) -> None:
    sys.stderr.write(f"hrtrust: error: {exc.message}\n")
    if exc.hint:
        sys.stderr.write(f"hint: {exc.hint}\n")


app = typer.Typer(
    cls=HrtrustGroup,
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
        from hrtrust.domain.dates import parse_date

        state.today = parse_date(today, real_today)


def main() -> None:
    """Console-script entry point."""
    import os

    # hrtrust uses no pydantic plugins; without this, pydantic scans every installed package's
    # entry points (importlib.metadata) the first time a model is built.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="hrtrust")
