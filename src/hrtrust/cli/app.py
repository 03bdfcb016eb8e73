"""The root command: global options, the command groups, and the one place errors become exits."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from hrtrust import __version__
from hrtrust.errors import HrtrustError
from hrtrust.errors import UsageError as HrtrustUsageError
from hrtrust.locale import N_, _

from .common import State

try:  # Typer 0.29's coercion layer; another Typer keeps its own (slower, same results)
    from . import coercion
except ImportError:  # pragma: no cover
    pass
else:
    coercion.install()

# Each command lives in its own module, imported only when that command runs: `hrtrust log`
# should not pay for importing the iCalendar writer or building forty other commands.
# name: (module under hrtrust.cli, attribute: a Typer group or a command function, short help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("setup", "init", "Create the data home (folder 0700, files 0600)."),
    "config": (
        "config",
        "app",
        "Show and change settings: time zone, country, workdays, budget, retention, cadences.",
    ),
    "contact": ("contact", "app", "Add, list, show, edit and remove contacts."),
    "dept": ("depts", "app", "Departments: the ones you serve and HR's own."),
    "activity": ("activity", "app", "Recurring activities: meetings, lunch & learns, syncs."),
    "log": (
        "log",
        "app",
        "Log a touchpoint: hrtrust log KIND --with REF [--promise TEXT --due DATE]...",
    ),
    "topic": ("topic", "app", "Talking points to raise with someone next time."),
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
        "Import contacts (HRIS CSV), meetings from a calendar (.ics), or a JSON export.",
    ),
    "handover": (
        "handover",
        "handover",
        "Hand departments over to the next HR partner: one pack, sealed to their key.",
    ),
    "backup": (
        "interop",
        "backup",
        "Back up everything, personal notes included, to one file only you can read.",
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
    """Build the Click command for ``name`` from its module. A group's subcommands are built
    when asked for (`contact show` does not build the other nine `contact` commands: reading
    each one's signature costs ~0.6 ms); help and completion still list them all."""
    import copy
    import importlib

    module_name, attr, _short = COMMANDS[name]
    target = getattr(importlib.import_module(f"hrtrust.cli.{module_name}"), attr)
    holder = typer.Typer(rich_markup_mode=None, add_completion=False)
    if isinstance(target, typer.Typer) and not target.registered_groups:
        shell = copy.copy(target)  # the group itself (help, callback), without its commands
        shell.registered_commands = []
        holder.add_typer(shell, name=name)
        group = typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]
        _readable(group, (name,))
        builders = {
            info.name or typer.main.get_command_name(info.callback.__name__): info
            for info in target.registered_commands
            if info.callback is not None
        }
        group.commands = LazyCommands(builders, holder, (name,))
        return group
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
        holder.command("-")(lambda: None)  # two commands, so Typer builds a group to pick from
    command = typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]
    _readable(command, (name,))
    return command


class LazyCommands(MutableMapping[str, Any]):
    """A group's subcommands by name, each built by Typer the first time it is looked up.
    Listing the names (for "did you mean", help and completion) builds nothing."""

    def __init__(self, infos: dict[str, Any], holder: typer.Typer, path: tuple[str, ...]):
        self._infos = infos
        self._built: dict[str, Any] = {}
        self._holder = holder
        self._path = path

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            info = self._infos[name]  # KeyError: no such command
            command = typer.main.get_command_from_info(
                command_info=info,
                pretty_exceptions_short=self._holder.pretty_exceptions_short,
                rich_markup_mode=self._holder.rich_markup_mode,
            )
            _readable(command, (*self._path, name))
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._infos.setdefault(name, None)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._infos[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)


# What a value is, by option or argument name, for --help (`--with REF`, not `<list[str]>`).
# Anything not listed is named after itself: --dept DEPT, --kind KIND, --rule RULE.
METAVARS = {
    **dict.fromkeys(("with", "to", "from", "manager", "ref"), "REF"),
    **dict.fromkeys(("date", "due", "since", "until", "start", "birthday", "hired"), "DATE"),
    **dict.fromkeys(
        ("text", "note", "learned", "promise", "reason", "search", "title", "role", "name"),
        "TEXT",
    ),
    **dict.fromkeys(("location",), "PLACE"),
    **dict.fromkeys(("activity", "id", "entry_id", "feedback_id", "pulse_id"), "ID"),
    **dict.fromkeys(("limit", "months", "weeks"), "N"),
    **dict.fromkeys(("score", "scale"), "NUMBER"),
    "at": "HH:MM",
    "every": "CADENCE",
    "untag": "TAG",
    "timezone": "TZ",
}


def _completer(path: tuple[str, ...], metavar: str) -> Any:
    from . import complete

    if metavar == "REF":
        return complete.people
    if metavar == "KIND":
        return complete.kinds
    if metavar == "DEPT":
        return complete.departments
    if metavar == "ID" and (path[0] == "activity" or path[-1:] == ("--activity",)):
        return complete.activities
    return None


def _readable(command: Any, path: tuple[str, ...]) -> None:
    """Name every value in --help by what it is, let the shell complete the values only
    the data home knows (person refs, kinds, departments, activity ids), and put the help in
    the language of this run."""
    _translate_help(command)
    for sub_name, sub in getattr(command, "commands", {}).items():
        _readable(sub, (*path, sub_name))
    for param in command.params:
        if getattr(param, "is_flag", False) or param.param_type_name not in ("option", "argument"):
            continue
        key = (param.name or "").rstrip("_")
        if param.metavar is None and getattr(param, "type_descriptor", None) is not None:
            if param.type_descriptor.is_choice:
                continue
            param.metavar = METAVARS.get(key, key.upper())
        if param.param_type_name == "argument":
            # Typer adds the Python type (`ID <str>`) beside an argument's name; say it once.
            shown = param.metavar if param.required else f"[{param.metavar}]"
            param.display_type_rich = lambda ctx: None
            param._usage_display_name = lambda shown=shown: shown
        where = (*path, param.opts[0]) if param.param_type_name == "option" else path
        found = _completer(where, param.metavar or "")
        if found is not None and getattr(param, "_custom_shell_complete", "") is None:
            param._custom_shell_complete = found


def _translate_help(command: Any) -> None:
    """A command's help and its options' help in the language of this run (the English texts
    are the catalogue's keys: docstrings and ``help=`` as written)."""
    from hrtrust.locale import ENGLISH, language

    if language() == ENGLISH:
        return
    if command.help:
        command.help = _(command.help)
    if command.short_help:
        command.short_help = _(command.short_help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    _own_words(command)


# Typer 0.29 ships its own copy of Click without gettext: its two words in every --help are
# said here, through the public hooks a command has (format_usage, get_help_option).
USAGE = N_("Usage: ")
HELP_OPTION = N_("Show this message and exit.")


def _own_words(command: Any) -> None:
    def format_usage(ctx: Any, formatter: Any) -> None:
        pieces = command.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE))

    built = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = built(ctx)
        if option is not None and option.help == HELP_OPTION:
            option.help = _(HELP_OPTION)
        return option

    command.format_usage = format_usage
    command.get_help_option = get_help_option


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
        from gettext import gettext

        with formatter.section(gettext("Commands")):
            formatter.write_dl([(name, _(short)) for name, (_m, _a, short) in COMMANDS.items()])

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _translate_help(self)  # the root: its own help and the global options
        super().format_help(ctx, formatter)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        typed = list(args)
        try:
            ctx = super().make_context(info_name, args, parent, **extra)
        except _ClickUsageError as exc:  # the root's own options: `hrtrust --frob`
            raise _usage_exit(exc, typed) from None
        ctx.meta["hrtrust.args"] = typed
        return ctx

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # An argument that is not valid UTF-8 (or the locale's text) arrives with surrogate
        # escapes; it could never be written to a TOML file, so refuse it up front.
        for arg in args:
            if any("\udc80" <= ch <= "\udcff" for ch in arg):
                from hrtrust.errors import UsageError

                typed = arg.encode("utf-8", "backslashreplace").decode()
                report(
                    UsageError(
                        _("argument {arg!r} is not UTF-8 text").format(arg=typed),
                        hint=_("type it again in a UTF-8 terminal (check LANG / LC_ALL)"),
                    )
                )
                ctx.exit(UsageError.exit_code)
        result: list[str] = super().parse_args(ctx, args)
        return result

    def invoke(self, ctx: Any) -> Any:
        try:
            done = super().invoke(ctx)
            from .common import flush_notes

            flush_notes(ctx.obj)
            return done
        except _ClickUsageError as exc:  # a command's arguments: `log chat --with kevin lin`
            raise _usage_exit(exc, ctx.meta.get("hrtrust.args", [])) from None
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
                _("hrtrust: internal error ({name}); rerun with --debug for the traceback").format(
                    name=type(exc).__name__
                )
                + "\n"
            )
            raise typer.Exit(1) from None
        finally:  # the store's warnings (comments lost to a rewrite, a home others can read)
            store = getattr(ctx.obj, "__dict__", {}).get("store")
            for line in getattr(store, "warnings", ()):
                sys.stderr.write(_said(N_("hrtrust: warning: {message}"), _visible(line)))
            cache = sys.modules.get("hrtrust.storage.cache")  # loaded only if a cache was read
            if cache is not None and _debug(ctx):
                for line in cache.REBUILT:
                    sys.stderr.write(f"hrtrust: debug: {_visible(line)}\n")


def _known_failure(exc: BaseException) -> HrtrustError:
    """The clear error for a failure that is not a bug: a date past the calendar's end, data
    nested too deeply, a file or folder hrtrust may not read or write. No file was changed:
    every write happens at the end of a command, all or nothing."""
    from hrtrust.errors import DataFileError, UsageError, WriteError

    if isinstance(exc, OverflowError):
        return UsageError(
            _("a date or number is out of range; no file was changed"),
            hint=_("use dates in the years 0002 to 9997 and durations up to 24 hours"),
        )
    if isinstance(exc, RecursionError):
        return DataFileError(
            _("a data file is nested too deeply to handle; no file was changed"),
            hint=_("run `hrtrust doctor` to find it, then fix it by hand"),
        )
    assert isinstance(exc, OSError)
    hint = (
        _("check the owner and permissions of the data home and its files")
        if isinstance(exc, PermissionError)
        else _("check the data home's disk and permissions")
    )
    reason = exc.strerror or type(exc).__name__
    if exc.filename:
        message = _("{path}: cannot read or write ({reason}); no file was changed").format(
            path=exc.filename, reason=reason
        )
    else:
        message = _("cannot read or write ({reason}); no file was changed").format(reason=reason)
    return WriteError(message, hint=hint)


# Typer ships its own copy of Click; its UsageError (and BadParameter, NoSuchOption,
# MissingParameter under it) is reached through the one class Typer exports.
_ClickUsageError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)
GLOBAL_OPTIONS = ("--home", "--today", "--debug", "--version", "--lang")


def _usage_exit(exc: Any, args: list[str]) -> BaseException:
    """A framework usage error as hrtrust's own: one `hrtrust: error:` line and a hint, exit 2.

    Click's "no arguments: show the help" travels as a usage error too; it keeps its help."""
    settle_language(args, os.environ)  # parsing failed before the root could settle it
    if type(exc).__name__ == "NoArgsIsHelpError":
        return exc  # type: ignore[no-any-return]
    command = getattr(getattr(exc, "ctx", None), "command_path", "") or "hrtrust"
    command = " ".join(["hrtrust", *command.split()[1:]])
    message = " ".join(str(exc.format_message()).split()).rstrip(".")
    name = type(exc).__name__
    see = _("see `{command} --help`").format(command=command)
    hint = see
    if name == "NoSuchOption" and exc.option_name in GLOBAL_OPTIONS:
        message = _("{option} is a global option: it goes before the command").format(
            option=exc.option_name
        )
        hint = f"hrtrust {exc.option_name} ... {command.removeprefix('hrtrust ')} ..."
    elif name == "NoSuchOption":
        message = _("{command} has no option {option}").format(
            command=command.removeprefix("hrtrust "), option=exc.option_name
        )
        if exc.possibilities:
            hint = _("did you mean {options}? ({see})").format(
                options=_(" or ").join(exc.possibilities), see=see
            )
    elif "unexpected extra argument" in message:
        extra = re.findall(r"\(([^()]*)\)$", message)
        words = extra[0].split() if extra else []
        message = _("unexpected extra argument {words!r}").format(words=" ".join(words))
        hint = _quote_hint(args, words[0] if words else "")
    elif message.startswith("No such command"):
        group = command.removeprefix("hrtrust").strip() or "hrtrust"
        typed = re.findall(r"'([^']*)'", message)
        if typed:
            message = _("{group} has no command {name!r}").format(group=group, name=typed[0])
        if "Did you mean" in str(exc.format_message()):
            hint = _("did you mean {name!r}? ({see})").format(name=typed[-1], see=see)
    elif name == "MissingParameter":
        message = _missing(message)
    elif isinstance(exc, typer.BadParameter) and exc.param is not None:
        option = exc.param.opts[0] if exc.param.opts else exc.param.name
        given = _given(args, exc.param.opts)
        reason = message.partition(": ")[2].removeprefix("Value error, ")
        kind = next((k for w, k in NUMBERS.items() if w in reason), None)
        if kind and given is not None:
            message = _(NEEDS[kind]).format(option=option, given=given)
            if "," in given and kind == "a number":  # a decimal comma
                hint = _("write decimals with a point: {option} {value}").format(
                    option=option, value=given.replace(",", ".")
                )
        else:
            message = f"{option}: {_choice(exc, reason) or reason or message}"
    elif message[:1].isupper() and not message[1:2].isupper():
        message = message[:1].lower() + message[1:]
    report(HrtrustUsageError(message, hint=hint))
    return typer.Exit(2)


NUMBERS = {"valid integer": "a whole number", "valid number": "a number"}
NEEDS = {
    "a whole number": N_("{option} needs a whole number, not {given!r}"),
    "a number": N_("{option} needs a number, not {given!r}"),
}


_MISSING = {
    "option": N_("missing option {names}"),
    "argument": N_("missing argument {names}"),
    "parameter": N_("missing parameter {names}"),
}


def _missing(message: str) -> str:
    """Click's "Missing option '--until'" as hrtrust says it: "missing option '--until'"."""
    found = re.match(r"^Missing (option|argument|parameter) (.*)$", message, re.DOTALL)
    if found is None:
        return message[:1].lower() + message[1:]
    return _(_MISSING[found[1]]).format(names=found[2])


def _choice(exc: Any, reason: str) -> str | None:
    """Click's "'x' is not one of 'a', 'b'" in the language of the run (None in English:
    Click's words as they are)."""
    from hrtrust.locale import ENGLISH, language

    choices = getattr(getattr(exc, "param", None), "type", None)
    found = re.match(r"^('.*') is not (?:one of )?(.*?)\.?$", reason)
    if language() == ENGLISH or found is None or not hasattr(choices, "choices"):
        return None
    return _("{value} is not one of {choices}").format(value=found[1], choices=found[2])


def _quote_hint(args: list[str], extra: str) -> str:
    """``--with "kevin lin"``: the option and value the stray word most likely belonged to."""
    if extra in args:
        i = args.index(extra)
        if i >= 2 and args[i - 2].startswith("-") and not args[i - 1].startswith("-"):
            return _("put quotes around a value with spaces: {option} {value}").format(
                option=args[i - 2], value=f'"{args[i - 1]} {extra}"'
            )
    return _('put quotes around a value with spaces, e.g. --with "Kevin Lin"')


def _given(args: list[str], opts: list[str]) -> str | None:
    """The value typed after one of ``opts`` (last one wins), if it can be found."""
    found = None
    for i, arg in enumerate(args):
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                found = args[i + 1]
            elif arg.startswith(opt + "="):
                found = arg[len(opt) + 1 :]
    return found


def _debug(ctx: Any) -> bool:
    obj = ctx.obj
    return bool(getattr(obj, "debug", False) or ctx.params.get("debug"))


def report(exc: HrtrustError) -> None:
    sys.stderr.write(_said(N_("hrtrust: error: {message}"), _visible(exc.message)))
    if exc.hint:
        sys.stderr.write(_said(N_("hint: {message}"), _visible(exc.hint)))


def _said(frame: str, message: str) -> str:
    """One line of the error frame (``hrtrust: error: …``, ``hint: …``) in the language of
    the run; English is written as it always was, without a catalogue lookup."""
    return _(frame).format(message=message) + "\n"


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
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="LANG",
            help="Language: zh-TW (Traditional Chinese) or en (default: config.toml's "
            "language, else the locale).",
        ),
    ] = None,
) -> None:
    """hrtrust: plan the weekly relationship work that earns trust in HR.

    Start with `hrtrust init --demo` and `hrtrust plan week`.
    """
    # Today is resolved on first use, in the configured time zone (see State.today).
    ctx.obj = State(home_option=home, today_option=today, debug=debug)
    cache = sys.modules.get("hrtrust.storage.cache")
    if cache is not None:  # run in-process again (tests): this run's rebuilds only
        cache.REBUILT.clear()
    from hrtrust import locale

    if lang is not None and locale.parse(lang) is None:
        from hrtrust.errors import UsageError

        raise UsageError(
            _("--lang {lang!r}: unknown language").format(lang=lang), hint=_("use zh-TW or en")
        )
    if not locale.chosen():  # settled here, from the config the command reads anyway
        state = ctx.obj
        configured: str | None = None
        try:
            if state.store.exists():
                configured = state.store.config().language
        except HrtrustError:
            pass  # a config that cannot be read: the command says why, in the locale's words
        locale.set_language(locale.choose(lang, configured, os.environ))
    if home is not None and not home.strip():
        from hrtrust.errors import UsageError

        raise UsageError(
            _("--home is empty"), hint=_("give a folder, or leave --home out for the default")
        )


def main() -> None:
    """Run one command (raises SystemExit with its exit code, as a Typer app does)."""
    lean_start()
    speak(sys.argv[1:], os.environ)
    app(prog_name="hrtrust")


def speak(args: list[str], environ: MutableMapping[str, str]) -> None:
    """Choose this run's language before any command is built: ``--lang``, else config.toml's
    ``language``, else the locale. Only the global options before the command are looked at,
    as the root parses them.

    config.toml is read here only when help is about to be shown (help is translated as the
    commands are built, before the root runs); otherwise the locale's choice stands for now
    and the root settles it from the config the command reads anyway (one read, no TOML
    parse at start-up)."""
    from hrtrust import locale

    option = locale.parse(_global_value(args, "--lang") or "")
    if option is not None:
        locale.set_language(option)
    elif "--help" in args or _command_at(args) is None:
        settle_language(args, environ)
    else:
        locale.set_language(locale.from_locale(environ), settled=False)


def settle_language(args: list[str], environ: Mapping[str, str]) -> None:
    """Choose the language from config.toml itself (read before the store is: help, and a
    usage error found while the arguments are parsed), unless it is settled already."""
    from hrtrust import locale

    if locale.chosen():
        return
    from hrtrust.storage.places import configured_language

    configured = configured_language(_global_value(args, "--home"), environ)
    locale.set_language(locale.choose(_global_value(args, "--lang"), configured, environ))


def _command_at(args: list[str]) -> int | None:
    """Where the command starts among ``args`` (after the global options), or None."""
    i = 0
    while i < len(args):
        if not args[i].startswith("-"):
            return i
        i += 2 if args[i] in ("--home", "--today", "--lang") else 1
    return None


def _global_value(args: list[str], name: str) -> str | None:
    """The value of a global option typed before the command (``--lang zh-TW``, ``--lang=en``)."""
    end = _command_at(args)
    before = args if end is None else args[:end]
    for i, arg in enumerate(before):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1 :]
    return None


def run() -> NoReturn:
    """The ``hrtrust`` command: :func:`main`, then the process ends at once.

    A normal exit tears the interpreter down, freeing every object one by one, for nothing,
    since the process ends (``benchmarks/bench.py`` reports what that exit costs the floor;
    after a command it costs more, with the records read still to be freed). By
    the time a command returns there is nothing left to finish: every file it wrote is
    written, synced and closed, the lock is released (the kernel would release it too), and
    hrtrust starts no thread. Only the output is buffered, so it is flushed here; when that
    fails (a reader that went away), Python's own exit reports it as it always has.
    """
    encodable_output()
    try:
        main()
    except SystemExit as done:
        code = done.code
    else:
        code = None
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        raise SystemExit(code) from None
    if code is None or isinstance(code, int):
        os._exit(code or 0)
    raise SystemExit(code)  # a message to print: Python's exit prints it, as it always has


def encodable_output() -> None:
    """Let stdout and stderr write any text, whatever the locale. Under ``LC_ALL=C`` (with
    Python's UTF-8 mode and locale coercion off) they are ASCII, and a CJK name would end the
    command with a UnicodeEncodeError half way through its output. The locale's encoding is
    kept (the terminal may really be ASCII); only what it cannot encode is written as an escape
    (``\\u738b``), as Python itself does for stderr."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if not encoding or reconfigure is None:
            continue  # not a text stream hrtrust can set up (replaced, or closed)
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            continue
        if name.startswith("utf-") or stream.errors not in _FAILING_ERRORS:
            continue  # UTF-8 (or another UTF) writes everything; a replacing handler stays
        reconfigure(errors="backslashreplace")


# The error handlers that raise on a character the encoding lacks (surrogateescape is the C
# locale's default for stdout: it only lets undecodable input bytes through).
_FAILING_ERRORS = ("strict", "surrogateescape", None)


def lean_start() -> None:
    """Start-up settings for a short-lived command (one run reads, prints and exits)."""
    import gc
    import os
    import types

    # Reading a large home allocates hundreds of thousands of small objects and hardly any
    # cycles; the cyclic collector would walk them all again and again (a third of the read
    # time). Reference counting still frees everything as usual.
    gc.disable()
    # hrtrust uses no pydantic plugins; without this, pydantic scans every installed package's
    # entry points (importlib.metadata) the first time a model is built.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] in ("__all__", "1", "true"):
        # With plugins off pydantic's loader returns nothing, but importing it imports
        # importlib.metadata (and with it email, csv, zipfile): ~15 ms of every command.
        loader = types.ModuleType("pydantic.plugin._loader")
        loader.get_plugins = lambda: ()  # type: ignore[attr-defined]
        sys.modules.setdefault("pydantic.plugin._loader", loader)
