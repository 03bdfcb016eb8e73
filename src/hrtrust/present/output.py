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
    """JSON on stdout: UTF-8 as is (CJK names readable), stable key order from the views."""
    import json  # only when JSON is asked for

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


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
    from hrtrust.present.terminal import console

    con = console()
    if con.is_terminal:
        for part in shown:
            con.print(part)
        return
    # Piped: plain lines, laid out as Rich would lay them out but without its rendering
    # machinery (present.plain), or through Rich for what that does not lay out. Either way
    # no trailing spaces (Rich pads table lines to the full width): for diff, grep, e-mail.
    from hrtrust.present import plain

    shown = list(shown)
    laid_out = plain.lines(shown, con.width)
    if laid_out is not None:
        sys.stdout.write("".join(line + "\n" for line in laid_out))
        return
    with con.capture() as captured:
        for part in shown:
            con.print(part)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
