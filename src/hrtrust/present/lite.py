"""Styled text and two-column grids for a view, without importing Rich.

The Monday plan is mostly printed to a pipe (cron mail, a file, ``| less``), where it is laid
out by ``present.plain`` and no colour is shown; importing Rich's text and table machinery
only to read the words back out of it cost ~10 ms of every ``plan week``. So the plan, the
overdue lists and the contact card are built from these small classes: the same calls as
Rich's ``Text``, ``Table.grid`` and hrtrust's headed ``table()`` (the few a view uses),
keeping what was asked for, and turned into the real Rich objects (``__rich__``) only when
Rich's console prints them on a terminal. ``tests/test_plain_layout.py`` and
``tests/test_lite.py`` hold the plain layout to Rich's.
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


def heading(text: str) -> Text:
    """A section's heading (Rich's ``present.terminal.heading``, as lite text)."""
    return Text(text, style="bold underline")


def sentence(message: str, field: str, value: str, style: str, **params: object) -> Text:
    """``message`` (a whole sentence from the catalogue) formatted with ``params``, and its
    ``{field}`` filled with ``value`` in ``style``: the translation places the styled part
    (Rich's ``present.terminal.styled``, as lite text)."""
    marker = "\x00"
    before, _sep, after = message.format(**params, **{field: marker}).partition(marker)
    return Text(before).append(value, style=style).append(after)


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


class Column:
    """What a view sets on a column of a :class:`Table` (Rich's ``Column`` attributes)."""

    __slots__ = ("header", "justify", "no_wrap", "overflow", "style")

    def __init__(self, header: str) -> None:
        self.header = header
        self.style: str | None = None
        self.no_wrap = False
        self.overflow = "ellipsis"
        self.justify = "left"  # or "right": a column of counts


class Table:
    """hrtrust's table (``present.terminal.table``): a header, a rule under it, no side
    borders; ``show_header = False`` for a label/value card."""

    __slots__ = ("columns", "rows", "show_header", "title")

    def __init__(self, *headers: str, title: str | None = None) -> None:
        self.columns = [Column(h) for h in headers]
        self.rows: list[tuple[Cell, ...]] = []
        self.title = title
        self.show_header = True

    def add_row(self, *cells: Cell) -> None:
        self.rows.append(cells)

    def __rich__(self) -> Any:
        from hrtrust.present.terminal import table

        out = table(*(c.header for c in self.columns), title=self.title)
        out.show_header = self.show_header
        for ours, theirs in zip(self.columns, out.columns, strict=True):
            theirs.style = ours.style or ""
            theirs.no_wrap = ours.no_wrap
            theirs.overflow = ours.overflow  # type: ignore[assignment]
            theirs.justify = ours.justify  # type: ignore[assignment]
        for row in self.rows:
            out.add_row(*(c.__rich__() if isinstance(c, Text) else c for c in row))
        return out
