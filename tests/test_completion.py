"""The shell completes person refs, kinds, departments and activity ids from the data home,
and completes nothing (without failing) when there is no data home."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hrtrust.cli.app import app


def complete(line: str) -> tuple[int, list[str]]:
    words = line.split(" ")
    env = {
        "_HRTRUST_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    result = CliRunner().invoke(app, [], prog_name="hrtrust", env=env)
    return result.exit_code, result.stdout.split()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("hrtrust log add --with mar", ["maria"]),
        ("hrtrust brief 王", ["王小明"]),
        ("hrtrust promise add x --to c1", ["c1", *(f"c{n}" for n in range(10, 20))]),
        ("hrtrust log add coff", ["coffee-chat"]),
        ("hrtrust log list --kind lunch", ["lunch-and-learn"]),
        ("hrtrust contact list --dept Man", ["Manufacturing"]),
        ("hrtrust pulse add --dept sa", ["sales"]),
        ("hrtrust activity skip a1", ["a1", "a10", "a11", "a12", "a13"]),
        ("hrtrust log add chat --activity a1", ["a1", "a10", "a11", "a12", "a13"]),
    ],
)
def test_completion_from_the_demo(demo: Path, line: str, expected: list[str]) -> None:
    assert complete(line) == (0, expected)


def test_completion_without_a_data_home_completes_nothing(home: Path) -> None:
    assert not home.exists()
    assert complete("hrtrust brief ma") == (0, [])
    assert complete("hrtrust log add coff") == (0, [])
    assert not home.exists()
