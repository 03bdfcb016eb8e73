"""Every command and group explains itself; `--help` works everywhere; `--version`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from hrtrust import __version__
from hrtrust.cli.app import app

ROOT = typer.main.get_command(app)


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group under ``command`` (Typer may ship its own copy of Click, so the
    walk goes by what an object has, not by its class)."""
    yield path, command
    if hasattr(command, "list_commands"):  # the root loads its commands lazily
        for name in sorted(command.list_commands(None)):
            yield from walk(command.get_command(None, name), (*path, name))


COMMANDS = list(walk(ROOT))
IDS = [" ".join(path) or "hrtrust" for path, _ in COMMANDS]


def test_the_tree_has_the_commands_we_know_of() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"init", "forget", "contact", "contact add", "contact list", "contact show"} <= names
    assert {"contact edit", "contact remove"} <= names
    assert len(COMMANDS) >= 9


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_command_has_help_text(path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"`hrtrust {' '.join(path)}` has no help text"
    assert command.get_short_help_str(limit=80).strip()
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_exits_0(path: tuple[str, ...], command: Any) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], prog_name="hrtrust")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith(" ".join(("Usage: hrtrust", *path)) + " ")
    first_line = (command.help or "").strip().splitlines()[0]
    assert " ".join(first_line.split()) in " ".join(result.stdout.split())  # help is re-wrapped
    assert "\x1b[" not in result.stdout


def test_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "hrtrust 0.1.0\n", "")
    assert __version__ == "0.1.0"


def test_no_arguments_shows_help() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code in (0, 2)  # click >= 8.2 exits 2 for a missing command
    assert "Usage: " in result.stdout + result.stderr
    assert "contact" in result.stdout + result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["frobnicate"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "hrtrust: error: hrtrust has no command 'frobnicate'\nhint: see `hrtrust --help`\n"
    )


def test_the_root_help_table_matches_each_command() -> None:
    """`hrtrust --help` lists commands from a table (so it imports none of them): keep the
    table's one-liners true to each command's own help."""
    from hrtrust.cli.app import COMMANDS as TABLE
    from hrtrust.cli.app import load_command

    for name, (_, _, short) in TABLE.items():
        own = (load_command(name).help or "").strip().splitlines()[0]
        assert short == own, name


def test_root_help_imports_no_command_module() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from hrtrust.cli.app import main; sys.argv=['hrtrust','--help'];\n"
        "try: main()\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('hrtrust')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.strip().splitlines()[-1]
    assert (
        loaded == "['hrtrust', 'hrtrust.cli', 'hrtrust.cli.app', 'hrtrust.cli.coercion', "
        "'hrtrust.cli.common', 'hrtrust.errors', 'hrtrust.locale', 'hrtrust.storage', "
        "'hrtrust.storage.places']"  # the language is chosen before the help is written
    )


def test_a_group_builds_only_the_subcommand_that_runs() -> None:
    import typer

    from hrtrust.cli.app import COMMANDS, LazyCommands, load_command

    lazy = []
    for name, (module, attr, _) in COMMANDS.items():
        group = load_command(name)
        if not isinstance(group.commands if hasattr(group, "commands") else None, LazyCommands):
            continue
        lazy.append(name)
        holder = typer.Typer(rich_markup_mode=None, add_completion=False)
        holder.add_typer(
            getattr(__import__(f"hrtrust.cli.{module}", fromlist=[attr]), attr), name=name
        )
        eager = typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]
        assert list(group.commands) == list(eager.commands), name  # same names, same order
        assert group.commands._built == {}
        first = next(iter(group.commands))
        assert group.get_command(None, first).name == first
        assert list(group.commands._built) == [first]
        assert group.get_command(None, "no-such-command") is None
    assert {"contact", "log", "promise", "activity", "report"} <= set(lazy)
