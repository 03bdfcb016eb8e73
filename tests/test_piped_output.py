"""Piped output of every read command reads well at 80 columns: no trailing spaces, no line
wider than 80 terminal cells (CJK counts two), on the demo data."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import Cli
from hrtrust.storage.store import Store

READS = [
    ["plan", "week"],
    ["plan", "week", "--next"],
    ["overdue"],
    ["contact", "list"],
    ["promise", "list"],
    ["promise", "list", "--all"],
    ["activity", "list"],
    ["activity", "kinds"],
    ["log", "list"],
    ["log", "list", "--limit", "500"],
    ["feedback", "list", "--all"],
    ["pulse", "list"],
    ["report", "coverage"],
    ["report", "balance"],
    ["report", "promises"],
    ["report", "feedback"],
    ["report", "pulse"],
    ["digest"],
    ["digest", "--include-private"],
    ["doctor"],
]


def problems(text: str) -> list[str]:
    """Lines with trailing whitespace or wider than 80 cells, with their width."""
    return [
        f"{cell_len(line)}: {line!r}"
        for line in text.splitlines()
        if line != line.rstrip() or cell_len(line) > 80
    ]


@pytest.fixture
def narrow(demo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLUMNS", "80")
    return demo


def every_read(home: Path) -> list[list[str]]:
    store = Store(home)
    contacts = [["contact", "show", c.id] for c in store.contacts().contact]
    briefs = [["brief", c.id] for c in store.contacts().contact]
    activities = [["activity", "show", a.id] for a in store.activities().activity]
    entries = [["log", "show", e.id] for e in store.iter_log(None, None)]
    return READS + contacts + briefs + activities + entries


def test_every_read_command_fits_80_columns_without_trailing_spaces(cli: Cli, narrow: Path) -> None:
    runs = every_read(narrow)
    assert len(runs) > 150  # each contact, brief, activity and log entry, not a sample
    found = {}
    for args in runs:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
        bad = problems(result.stdout)
        if bad:
            found[" ".join(args)] = bad
    assert found == {}


def test_the_check_itself_catches_both_faults() -> None:
    assert problems("ok\npadded  \n" + "王" * 41 + "\n" + "x" * 80) == [
        "8: 'padded  '",
        f"82: '{'王' * 41}'",
    ]


def test_help_fits_80_columns(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_help import COMMANDS

    monkeypatch.setenv("COLUMNS", "80")
    found = {}
    for path, _ in COMMANDS:
        bad = problems(cli(*path, "--help").stdout)
        if bad:
            found[" ".join(path)] = bad
    assert found == {}


def blocks(text: str) -> dict[str, list[str]]:
    """A table's rows by their first cell (a row's later lines start with a space)."""
    out: dict[str, list[str]] = {}
    key = ""
    for line in text.splitlines()[2:]:
        if re.match(r"^\S", line):
            key = line.split()[0]
            out[key] = []
        out[key].append(line)
    return out


def test_activity_titles_take_at_most_two_lines(cli: Cli, narrow: Path) -> None:
    rows = blocks(cli("activity", "list").stdout)
    activities = Store(narrow).activities().activity
    assert sorted(rows) == sorted(a.id for a in activities)
    for a in activities:
        first_two = " ".join(" ".join(rows[a.id][:2]).split())
        assert all(word in first_two for word in a.title.split()), a.title
        assert len(rows[a.id]) <= 3


def test_activity_kinds_keep_each_label_on_one_line(cli: Cli, narrow: Path) -> None:
    from hrtrust.domain.catalogue import kinds

    rows = blocks(cli("activity", "kinds").stdout)
    for kind in kinds(Store(narrow).config()).values():
        assert kind.label in rows[kind.name][0], kind.name


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"COLUMNS": "100"},
        {"COLUMNS": "100", "LINES": "40"},
        {"COLUMNS": "0"},
        {"COLUMNS": "wide"},
        {"TERM": "dumb"},
        {"NO_COLOR": "1", "TERM": "xterm-256color"},
        {"FORCE_COLOR": "1"},
        {"TTY_COMPATIBLE": "0"},
        {"TTY_COMPATIBLE": "1"},
    ],
)
def test_the_piped_width_is_the_one_richs_console_would_use(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.present.console import console
    from hrtrust.present.output import piped_width

    for key in ("COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # piped, as under cron or `| less`
    con = console()
    got = piped_width()
    if got is None:  # left to Rich: fine, as long as the usual cases are not
        assert env and set(env) & {"FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS"}
    else:
        assert (con.is_terminal, con.width) == (False, got)
