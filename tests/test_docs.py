"""The README's command reference and the Typer tree agree, both ways (as sqlite-utils checks
its docs): every command a user can run is documented, and every documented one exists."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer.main

from hrtrust.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"


def leaf_commands() -> set[str]:
    """``contact add``, ``plan week``, ``overdue``...: every runnable command in the tree."""
    found: set[str] = set()

    def walk(command: Any, path: tuple[str, ...]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(None):
                walk(command.get_command(None, name), (*path, name))
        else:
            found.add(" ".join(path))

    walk(typer.main.get_command(app), ())
    return found


def documented_commands() -> list[str]:
    """The command each row of README's "Commands" table documents: the words after
    ``hrtrust`` up to the first argument or option."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    out = []
    for cell in re.findall(r"^\| `hrtrust ([^`]*)`", section, re.M):
        words = []
        for word in cell.split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        out.append(" ".join(words))
    return out


def test_every_command_is_documented() -> None:
    missing = sorted(leaf_commands() - set(documented_commands()))
    assert missing == [], f"commands missing from README's Commands table: {missing}"


def test_every_documented_command_exists() -> None:
    unknown = sorted(set(documented_commands()) - leaf_commands())
    assert unknown == [], f"README documents commands that do not exist: {unknown}"


def test_each_command_is_documented_once() -> None:
    rows = documented_commands()
    assert sorted(r for r in set(rows) if rows.count(r) > 1) == []
