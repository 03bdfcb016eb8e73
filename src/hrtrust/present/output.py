"""The one place a command's result is written out: as JSON for scripts, or as a view for
people (Rich on a terminal, plain text when piped). Commands call :func:`render` instead of
repeating ``if json: ...; return`` (pipx's ``render_result`` is the model).

Both forms are built lazily, so ``--json`` never imports Rich and a view never builds JSON.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

View = Iterable[object] | str  # renderables for the console, or one plain message


def print_json(data: Any) -> None:
    """JSON on stdout: UTF-8 as is (CJK names readable), stable key order from the views, and
    no character that drives a terminal (see present.common.json_safe)."""
    import json  # only when JSON is asked for

    from hrtrust.present.common import json_safe

    sys.stdout.write(json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str)) + "\n")


# Environment that changes what Rich takes for a terminal (colour forced, a notebook...).
_RICH_SETTINGS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "DATABRICKS_RUNTIME_VERSION")


def piped_width() -> int | None:
    """The width Rich's console would lay out plain (piped) output at, found without importing
    the console (~5 ms): stdout is not a terminal and nothing in the environment tells Rich
    otherwise; COLUMNS when set, else the size of a terminal on stdin or stderr, else 80.
    None when this cannot be told without Rich: then Rich decides (``console()``).
    ``tests/test_piped_output.py`` holds it to Rich's own answer."""
    import builtins
    import os

    env = os.environ
    if any(key in env for key in _RICH_SETTINGS) or hasattr(builtins, "get_ipython"):
        return None
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return None
    try:
        if sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    columns = env.get("COLUMNS")
    if columns is not None:
        return int(columns) if columns.isdigit() and int(columns) > 0 else None
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


def say(message: str) -> None:
    """A short message on stdout, plain text (control characters made visible)."""
    from hrtrust.present.common import visible

    sys.stdout.write(visible(message) + "\n")


def render(*, json: bool, data: Callable[[], Any], view: Callable[[], View]) -> None:
    """Write a result: ``data()`` as JSON with ``json``, else ``view()`` for people."""
    if json:
        print_json(data())
        return
    shown = view()
    if isinstance(shown, str):
        say(shown)
        return
    # Piped: plain lines, laid out as Rich would lay them out but without its rendering
    # machinery (present.plain), or through Rich for what that does not lay out. Either way
    # no trailing spaces (Rich pads table lines to the full width): for diff, grep, e-mail.
    from hrtrust.present import plain

    shown = list(shown)
    width = piped_width()
    if width is None:  # only Rich can tell: a terminal, or an environment that says so
        from hrtrust.present.console import console

        con = console()
        if con.is_terminal:
            for part in shown:
                con.print(part)
            return
        width = con.width
    laid_out = plain.lines(shown, width)
    if laid_out is not None:
        sys.stdout.write("".join(line + "\n" for line in laid_out))
        return
    from hrtrust.present.console import console

    con = console()
    with con.capture() as captured:
        for part in shown:
            con.print(part)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
