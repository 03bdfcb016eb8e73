"""Styled text and two-column grids for a view, without importing Rich.

The Monday plan is mostly printed to a pipe (cron mail, a file, ``| less``), where it is laid
out by ``present.plain`` and no colour is shown; importing Rich's text and table machinery
only to read the words back out of it cost ~10 ms of every ``plan week``. So the plan is built
from these two small classes: the same calls as Rich's ``Text`` and ``Table.grid`` (the few a
view uses), keeping what was asked for, and turned into the real Rich objects (``__rich__``)
only when Rich's console prints them on a terminal. ``tests/test_plain_layout.py`` holds the
plain layout to Rich's for the plan.
"""

from __future__ import annotations

from typing import Any


class Text:
    """Rich's ``Text(text, style=...)``, ``.append(text, style)`` and ``.stylize(style)``."""

    __slots__ = ("plain", "spans", "style")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.plain = text
        self.style = style
        self.spans: list[tuple[int, int, str]] = []

    def append(self, text: str, style: str | None = None) -> Text:
        if text:
            if style:
                self.spans.append((len(self.plain), len(self.plain) + len(text), style))
            self.plain += text
        return self

    def stylize(self, style: str) -> None:
        """Style the whole text as it is now (what is appended later keeps its own style)."""
        if self.plain:
            self.spans.append((0, len(self.plain), style))

    def __rich__(self) -> Any:
        from rich.text import Text as RichText

        out = RichText(self.plain, style=self.style)
        for start, end, style in self.spans:
            out.stylize(style, start, end)
        return out


Cell = str | Text


class Grid:
    """Rich's ``Table.grid(padding=(0, 2))`` with ``add_column`` and ``add_row``."""

    __slots__ = ("columns", "rows")

    def __init__(self) -> None:
        self.columns: list[dict[str, Any]] = []
        self.rows: list[tuple[Cell, ...]] = []

    def add_column(
        self,
        *,
        style: str | None = None,
        no_wrap: bool = False,
        overflow: str = "ellipsis",
        width: int | None = None,
    ) -> None:
        self.columns.append(
            {"style": style, "no_wrap": no_wrap, "overflow": overflow, "width": width}
        )

    def add_row(self, *cells: Cell) -> None:
        self.rows.append(cells)

    def __rich__(self) -> Any:
        from rich.table import Table

        grid = Table.grid(padding=(0, 2))
        for column in self.columns:
            grid.add_column(**column)
        for row in self.rows:
            grid.add_row(*(c.__rich__() if isinstance(c, Text) else c for c in row))
        return grid
