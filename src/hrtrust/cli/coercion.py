"""Command-line values turned into Python values without building a pydantic TypeAdapter.

Typer 0.29 coerces every parameter (even a flag left at its default) through a pydantic
TypeAdapter built on first use: importing ``pydantic.types`` and generating one core schema
per parameter costs about 65 ms, which is most of what a command costs beyond the import floor.
Every hrtrust parameter is a ``str``, ``bool``, ``int``, ``float``, ``list[str]`` or a small
choice. For the values a command line actually gives those types (a string, a flag's bool, a
plain decimal number, one of the choices) the result is known without pydantic: :func:`native`
and Typer's own choice matching compute it. Anything else (``"1e3"``, ``"٣"``, a choice that
is not one, a number out of range) goes to Typer's own adapter, so every message and every
edge case stays Typer's. ``tests/test_coercion.py`` holds the two equal on generated values,
and fails if Typer stops calling the hook.
"""

from __future__ import annotations

import re
from typing import Any

from typer import core as _core
from typer._coercion import RuntimeParam, build_runtime_param
from typer._param_types import coerce_cli_choice

# Decimal spellings whose value int() and float() agree on with pydantic's lax parsing.
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?")
_NUMBERS = {int: _INTEGER, float: _DECIMAL}
DEFER = object()
"""What :func:`native` returns for a value it leaves to Typer's adapter."""


def native(annotation: Any, value: Any) -> Any:
    """``value`` as ``annotation`` when that needs no pydantic, else :data:`DEFER`."""
    if annotation is str:
        return value if type(value) is str else DEFER
    if annotation is bool:
        return value if type(value) is bool else DEFER
    number = _NUMBERS.get(annotation)
    if number is not None:
        if type(value) is annotation:
            return value
        if type(value) is str and number.fullmatch(value):
            return annotation(value)
        return DEFER
    if annotation == list[str]:
        if isinstance(value, (list, tuple)) and all(type(item) is str for item in value):
            return list(value)
        return DEFER
    return DEFER


# Typer's RuntimeParam is a frozen dataclass; these add no field, so they need no decorator
# (building a dataclass costs ~0.5 ms at import).
class NativeRuntimeParam(RuntimeParam):
    """A parameter coerced by :func:`native`, falling back to Typer's adapter."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        done = native(self.annotation, value)
        if done is not DEFER:
            return done
        fallback = build_runtime_param(param.type_descriptor)
        return fallback._coerce_value(value, param=param, ctx=ctx)


class ChoiceRuntimeParam(RuntimeParam):
    """A choice (``--format html``): Typer's own matching, which its adapter only wraps in
    pydantic; a value that matches nothing goes to the adapter for Typer's message."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        descriptor = param.type_descriptor
        try:
            return coerce_cli_choice(
                value, choices=descriptor.choices, case_sensitive=descriptor.case_sensitive, ctx=ctx
            )
        except ValueError:
            fallback = build_runtime_param(descriptor)
            return fallback._coerce_value(value, param=param, ctx=ctx)


_SIMPLE = (str, bool, int, float)


def _runtime_param(self: Any) -> RuntimeParam:
    if self._runtime_param is None:
        descriptor = self.type_descriptor
        info = descriptor.parameter_info
        simple = descriptor.annotation in _SIMPLE or descriptor.annotation == list[str]
        plain = info.parser is None and not descriptor.is_list and not descriptor.is_tuple
        if descriptor.is_choice and plain and not descriptor.is_file:
            self._runtime_param = ChoiceRuntimeParam(
                parameter_info=info, annotation=descriptor.annotation
            )
        elif (
            simple
            and info.parser is None
            and not descriptor.is_ranged
            and not descriptor.is_choice
            and not descriptor.is_path
            and not descriptor.is_file
        ):
            self._runtime_param = NativeRuntimeParam(
                parameter_info=info, annotation=descriptor.annotation
            )
        else:
            self._runtime_param = build_runtime_param(descriptor)
    return self._runtime_param  # type: ignore[no-any-return]


def install() -> None:
    """Coerce every Typer parameter through :class:`NativeRuntimeParam` where it can (when
    this Typer has the hook: another version keeps its own coercion)."""
    if hasattr(_core._TyperParameter, "get_runtime_param"):
        _core._TyperParameter.get_runtime_param = _runtime_param  # type: ignore[method-assign]
