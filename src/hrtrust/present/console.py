"""The Rich console hrtrust prints through on a terminal. Its own module: building a console
imports ``rich.console`` (~5 ms), which piped output (laid out by ``present.plain``) never needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from hrtrust.present.common import visible


class SafeConsole(Console):
    """A Rich console that never lets data drive the terminal: no markup (a name such as
    ``[link=...]`` is text), and every control character in the text it prints is shown as
    an escape by :func:`present.common.visible`. Rich's own styling is kept."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, highlight=False, emoji=False, **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            seg if seg.control else Segment(visible(seg.text), seg.style, seg.control)
            for seg in buffer
        )


def console() -> Console:
    """Stdout console: colour on a terminal, plain text when piped; NO_COLOR is honoured."""
    return SafeConsole(soft_wrap=False)
