"""Every test gets its own data home and a fixed 'today'; helpers to run the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hrtrust.cli.app import app

TODAY = dt.date(2026, 11, 23)  # a Monday: the demo data's own week


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private data home for each test, chosen through $HRTRUST_HOME (not yet created)."""
    path = tmp_path / "home"
    monkeypatch.setenv("HRTRUST_HOME", str(path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    # The age identity (`key init`) goes beside the home, never into the user's config folder.
    monkeypatch.setenv("HRTRUST_IDENTITY", str(tmp_path / "keys" / "identity.txt"))
    monkeypatch.delenv("HRTRUST_PASSPHRASE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    # English unless a test asks for another language (a developer's own locale must not
    # change what the tests read); the language is chosen again for every command.
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    from hrtrust import locale

    locale.reset()
    yield path
    locale.reset()


class Cli:
    """Runs hrtrust in-process with Typer's CliRunner, with --today fixed."""

    def __init__(self, today: dt.date = TODAY) -> None:
        self.runner = CliRunner()
        self.today = today

    def __call__(  # type: ignore[no-untyped-def]
        self,
        *args: str,
        today: dt.date | None = None,
        input: str | None = None,
        env: dict[str, str] | None = None,
    ):
        from hrtrust import locale

        locale.reset()  # each command chooses its language, as each run of hrtrust does
        day = today or self.today
        return self.runner.invoke(app, ["--today", day.isoformat(), *args], input=input, env=env)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def demo(cli: Cli, home: Path) -> Path:
    """A data home filled with the demo data as of TODAY."""
    result = cli("init", "--demo")
    assert result.exit_code == 0, result.output
    return home


@pytest.fixture
def empty(cli: Cli, home: Path) -> Path:
    """An initialised, empty data home."""
    result = cli("init", "--timezone", "Asia/Taipei")
    assert result.exit_code == 0, result.output
    return home


def record(name: str, **figures: Any) -> None:
    """Hand figures to scripts/reliability.py (a JSON line per test) when it asks for them."""
    target = os.environ.get("HRTRUST_FIGURES")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": name, **figures}) + "\n")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (but the lock and the derived cache) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock" and ".cache" not in p.parts
    }


def toml_strings(path: Path) -> list[str]:
    """Every string a TOML file holds, at any depth, read independently of hrtrust."""
    import tomllib

    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(tomllib.loads(path.read_text("utf-8")))
    return found


def raw_toml(path: Path) -> dict[str, Any]:
    """A data file's raw TOML, read independently of hrtrust's own reader."""
    import tomllib

    with path.open("rb") as fh:
        return tomllib.load(fh)
