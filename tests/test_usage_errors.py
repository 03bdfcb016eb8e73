"""Every framework error (Click's parsing) reads like hrtrust's own: one line, a hint, exit 2,
nothing on stdout and no file changed; and --help names values by what they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Cli, snapshot
from hrtrust.cli.app import app

CASES = [
    (
        ["log", "coffee-chat", "--with", "kevin", "lin"],
        "unexpected extra argument 'lin'",
        'put quotes around a value with spaces: --with "kevin lin"',
    ),
    (
        ["pulse", "add", "--dept", "Sales", "--score", "2,9"],
        "--score needs a number, not '2,9'",
        "write decimals with a point: --score 2.9",
    ),
    (
        ["plan", "week", "--today", "2026-11-30"],
        "--today is a global option: it goes before the command",
        "hrtrust --today ... plan week ...",
    ),
    (
        ["contact", "list", "--frob"],
        "contact list has no option --frob",
        "see `hrtrust contact list --help`",
    ),
    (
        ["log", "list", "--wiht", "maria"],
        "log list has no option --wiht",
        "did you mean --with or --limit? (see `hrtrust log list --help`)",
    ),
    (
        ["log", "list", "--limit", "ten"],
        "--limit needs a whole number, not 'ten'",
        "see `hrtrust log list --help`",
    ),
    (
        ["contact", "lst"],
        "contact has no command 'lst'",
        "did you mean 'list'? (see `hrtrust contact --help`)",
    ),
    (
        ["pulse", "add", "--score", "3"],
        "missing option '--dept'",
        "see `hrtrust pulse add --help`",
    ),
    (
        ["digest", "--format", "pdf"],
        "--format: 'pdf' is not one of 'text', 'markdown', 'html', 'json'",
        "see `hrtrust digest --help`",
    ),
]


@pytest.mark.parametrize(("args", "message", "hint"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_framework_errors_read_like_hrtrust_errors(
    cli: Cli, demo: Path, args: list[str], message: str, hint: str
) -> None:
    before = snapshot(demo)
    result = cli(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"hrtrust: error: {message}\nhint: {hint}\n"
    assert snapshot(demo) == before


def test_an_unknown_root_option() -> None:
    result = CliRunner().invoke(app, ["--frob", "plan"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == "hrtrust: error: hrtrust has no option --frob\nhint: see `hrtrust --help`\n"
    )


def test_a_group_without_a_command_still_shows_its_help() -> None:
    result = CliRunner().invoke(app, ["contact"])
    assert result.exit_code == 2
    assert "Commands:" in result.stdout + result.stderr
    assert "hrtrust: error" not in result.stderr


def test_help_names_values_by_what_they_are() -> None:
    result = CliRunner().invoke(app, ["log", "add", "--help"], prog_name="hrtrust")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: hrtrust log add [OPTIONS] KIND\n")
    lines = [" ".join(line.split()[:3]) for line in result.stdout.splitlines()]
    assert "-w, --with REF" in lines
    assert "--date DATE When" in lines
    assert "-n, --note TEXT" in lines
    assert "--activity ID The" in lines
    assert "KIND coffee-chat, one-on-one," in lines


def test_no_help_shows_a_python_type() -> None:
    from test_help import COMMANDS

    for path, _ in COMMANDS:
        out = CliRunner().invoke(app, [*path, "--help"]).stdout
        assert "<str>" not in out and "list[" not in out and "<float>" not in out, path
        assert "<int>" not in out, path
