"""Command-line values coerced without pydantic (``cli.coercion``) come out exactly as Typer's
own pydantic adapters make them, or are left to those adapters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.models import OptionInfo

from conftest import Cli
from hrtrust.cli import coercion

TYPES: list[Any] = [str, bool, int, float, list[str]]


def typer_value(annotation: Any, value: Any) -> tuple[str, Any]:
    """What Typer's own coercion makes of ``value``: ("ok", result) or ("error", None)."""
    descriptor = resolve_type_descriptor(annotation, OptionInfo())
    runtime = build_runtime_param(descriptor)

    class Param:
        type_descriptor = descriptor
        name = "x"
        opts = ["--x"]
        human_readable_name = "--x"

    try:
        return "ok", runtime._coerce_value(value, param=Param(), ctx=None)  # type: ignore[arg-type]
    except Exception:
        return "error", None


NUMERIC = st.text(alphabet="+-0123456789._e ", max_size=22)
VALUES = st.one_of(
    NUMERIC,
    st.text(max_size=12),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.lists(st.text(max_size=5), max_size=3).map(tuple),
)


@given(annotation=st.sampled_from(TYPES), value=VALUES)
def test_native_agrees_with_typer_or_defers(annotation: Any, value: Any) -> None:
    done = coercion.native(annotation, value)
    if done is coercion.DEFER:
        return
    status, expected = typer_value(annotation, value)
    assert status == "ok", (annotation, value)
    assert done == expected and type(done) is type(expected), (annotation, value, done)


@pytest.mark.parametrize(
    ("annotation", "value", "expected"),
    [
        (int, "12", 12),
        (int, "-3", -3),
        (float, "2.5", 2.5),
        (float, "7", 7.0),
        (str, "Maria Chen", "Maria Chen"),
        (list[str], ("maria", "kevin"), ["maria", "kevin"]),
        (bool, True, True),
    ],
)
def test_what_a_command_line_gives_is_coerced_natively(
    annotation: Any, value: Any, expected: Any
) -> None:
    assert coercion.native(annotation, value) == expected


@pytest.mark.parametrize(("annotation", "value"), [(int, "1e3"), (int, "٣"), (float, "1,5")])
def test_unusual_spellings_are_left_to_typer(annotation: Any, value: Any) -> None:
    assert coercion.native(annotation, value) is coercion.DEFER


def test_typer_calls_the_hook(cli: Cli, demo: Path) -> None:
    # If a Typer release stops asking ``get_runtime_param`` the hook silently does nothing;
    # then the import test fails too, but this says why.
    from typer import core

    assert core._TyperParameter.get_runtime_param is coercion._runtime_param
    assert cli("--today", "2026-11-23", "plan", "week").exit_code == 0


def test_a_bad_number_still_gets_typers_check_and_hrtrusts_message(cli: Cli, demo: Path) -> None:
    result = cli("log", "list", "--limit", "1,5")
    assert result.exit_code == 2
    assert "--limit needs a whole number, not '1,5'" in result.stderr
    assert "decimals" not in result.stderr  # a whole number has no decimal point to suggest


@pytest.mark.parametrize("value", ["text", "html", "markdown", "json", "HTML", "xml", "", " text"])
def test_a_choice_is_matched_as_typer_matches_it(value: str) -> None:
    from hrtrust.cli.digest import Format

    descriptor = resolve_type_descriptor(Format, OptionInfo())

    class Param:
        type_descriptor = descriptor
        name = "format"
        opts = ["--format"]
        human_readable_name = "--format"

    def outcome(runtime: Any) -> tuple[str, Any]:
        try:
            return "ok", runtime._coerce_value(value, param=Param(), ctx=None)
        except Exception as exc:
            return type(exc).__name__, str(exc)

    ours = coercion.ChoiceRuntimeParam(parameter_info=OptionInfo(), annotation=Format)
    assert outcome(ours) == outcome(build_runtime_param(descriptor))


def test_digest_formats_are_chosen_without_typers_adapter(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    from test_imports import modules

    assert cli("digest").exit_code == 0  # the records kept, as on a second run
    seen = modules(demo, tmp_path, "digest", "--format", "markdown")
    assert "hrtrust.domain.digest" in seen
    assert "typer._adapters" not in seen and "pydantic.main" not in seen
