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

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # An argument that is not valid UTF-8 (or the locale's text) arrives with surrogate
        # escapes; it could never be written to a TOML file, so refuse it up front.
        for arg in args:
            if any("\udc80" <= ch <= "\udcff" for ch in arg):
                from hrtrust.errors import UsageError

                report(
                    UsageError(
                        f"argument {arg.encode('utf-8', 'backslashreplace').decode()!r} "
                        "is not UTF-8 text",
                        hint="type it again in a UTF-8 terminal (check LANG / LC_ALL)",
                    )
                )
                ctx.exit(UsageError.exit_code)
        result: list[str] = super().parse_args(ctx, args)
        return result

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
        except (OverflowError, RecursionError, OSError) as exc:
            if _debug(ctx):
                raise
            mapped = _known_failure(exc)
            report(mapped)
            raise typer.Exit(mapped.exit_code) from None
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
                sys.stderr.write(f"hrtrust: warning: {_visible(line)}\n")


def _known_failure(exc: BaseException) -> HrtrustError:
    """The clear error for a failure that is not a bug: a date past the calendar's end, data
    nested too deeply, a file or folder hrtrust may not read or write. No file was changed:
    every write happens at the end of a command, all or nothing."""
    from hrtrust.errors import DataFileError, UsageError, WriteError

    if isinstance(exc, OverflowError):
        return UsageError(
            "a date or number is out of range; no file was changed",
            hint="use dates in the years 0002 to 9997 and durations up to 24 hours",
        )
    if isinstance(exc, RecursionError):
        return DataFileError(
            "a data file is nested too deeply to handle; no file was changed",
            hint="run `hrtrust doctor` to find it, then fix it by hand",
        )
    assert isinstance(exc, OSError)
    where = f"{exc.filename}: " if exc.filename else ""
    hint = (
        "check the owner and permissions of the data home and its files"
        if isinstance(exc, PermissionError)
        else "check the data home's disk and permissions"
    )
    return WriteError(
        f"{where}cannot read or write ({exc.strerror or type(exc).__name__}); no file was changed",
        hint=hint,
    )


def _debug(ctx: Any) -> bool:
    obj = ctx.obj
    return bool(getattr(obj, "debug", False) or ctx.params.get("debug"))


def report(exc: HrtrustError) -> None:
    sys.stderr.write(f"hrtrust: error: {_visible(exc.message)}\n")
    if exc.hint:
        sys.stderr.write(f"hint: {_visible(exc.hint)}\n")


def _visible(text: str) -> str:
    """Error text on one line, with no control character (a name may hold an escape)."""
    from hrtrust.present.common import one_line

    return one_line(text)


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
        from hrtrust.domain.dates import check_plannable, parse_date

        state.today = check_plannable(parse_date(today, real_today), "--today")
    if home is not None and not home.strip():
        from hrtrust.errors import UsageError

        raise UsageError(
            "--home is empty", hint="give a folder, or leave --home out for the default"
        )


def main() -> None:
    """Console-script entry point."""
    import os

    # hrtrust uses no pydantic plugins; without this, pydantic scans every installed package's
    # entry points (importlib.metadata) the first time a model is built.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="hrtrust")
