"""Plain text laid out as Rich lays it out, without Rich's console and tables.

Piped output (cron mail, a file, ``| less``) has no colour, so what Rich's console costs there
is layout: measuring every cell and splitting lines into styled segments, which for a long plan
or digest took longer than building it. The views hrtrust prints are simple — lines of text
and grids of a label column and a text column — and this module lays those out directly: the
label column as wide as its widest label, two spaces, the text broken into lines where Rich
breaks them (Rich's own word-wrapping routine, ``rich._wrap.divide_line``). Anything else (a
table with a header, a label too wide for its column, a tab) is left to Rich: :func:`lines`
says None. Tests hold the two layouts to each other (``tests/test_plain_layout.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hrtrust.models import lazy_re
from hrtrust.present import lite
from hrtrust.present.common import visible

MIN_TEXT_WIDTH = 20  # a text column narrower than this is squeezed by Rich its own way
# Characters whose layout is Rich's own business: a tab (expanded its way), control characters
# (dropped or escaped after layout), and what str.splitlines takes for a line break.
_RICH_ONLY = lazy_re("[\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def needs_rich(text: str) -> bool:
    """True when ``text`` holds a character only Rich's console lays out as Rich does."""
    return _RICH_ONLY.search(text) is not None


# What Rich drops from any text it prints (bell, backspace, vertical tab, form feed, carriage
# return); every other control character is shown as an escape by ``visible``.
DROPPED = dict.fromkeys((7, 8, 11, 12, 13))


def wrapped(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, where Rich breaks them (words,
    and a word longer than a line folded), each line without trailing spaces."""
    from rich._wrap import divide_line  # Rich's line breaking, without its console

    out: list[str] = []
    for line in text.translate(DROPPED).split("\n"):
        cuts = [0, *divide_line(line, width, fold=True), len(line)]
        out += [line[a:b].rstrip() for a, b in zip(cuts, cuts[1:], strict=False)] or [""]
    return out or [""]


def grid_lines(
    rows: Iterable[tuple[str, str]], width: int, label_width: int | None = None
) -> list[str] | None:
    """Rows of (label, text) as a two-column grid: the label column as wide as its widest
    label (or ``label_width``), two spaces, the text wrapped to the rest; None when a label is
    too wide or on two lines (Rich then squeezes or cuts the columns)."""
    from rich.cells import cell_len

    cells = [(label.translate(DROPPED), text) for label, text in rows]
    widest = max((cell_len(label) for label, _ in cells), default=0)
    if label_width is None:
        label_width = widest
    text_width = width - label_width - 2
    if (
        widest > label_width
        or text_width < MIN_TEXT_WIDTH
        or any("\n" in label or needs_rich(label + text) for label, text in cells)
    ):
        return None
    out: list[str] = []
    for label, text in cells:
        broken = wrapped(text, text_width)
        out.append(label + " " * (label_width - cell_len(label) + 2) + broken[0])
        out += [" " * (label_width + 2) + line for line in broken[1:]]
    return out


def lines(parts: Iterable[object], width: int) -> list[str] | None:
    """The printed lines of Rich texts, strings and simple grids, with control characters
    made visible and no trailing spaces; None when any part is something else."""
    out: list[str] = []
    for part in parts:
        got = _part(part, width)
        if got is None:
            return None
        out += got
    return [visible(line).rstrip() for line in out]


def _part(part: object, width: int) -> list[str] | None:
    if isinstance(part, str):
        return None if needs_rich(part) else wrapped(part, width)
    if isinstance(part, lite.Text):
        return None if needs_rich(part.plain) else wrapped(part.plain, width)
    if isinstance(part, lite.Grid):
        return _lite_grid(part, width)
    if isinstance(part, lite.Table):
        return _lite_table(part, width)
    from rich.table import Table
    from rich.text import Text

    if isinstance(part, Text):
        return _text(part, width)
    if isinstance(part, Table):
        return _grid(part, width)
    return None


def _text(t: Any, width: int) -> list[str] | None:
    if (
        needs_rich(t.plain)
        or t.no_wrap
        or t.justify not in (None, "default", "left")
        or t.overflow not in (None, "fold")
        or t.end != "\n"
    ):
        return None
    return wrapped(t.plain, width)


def _grid(t: Any, width: int) -> list[str] | None:
    """A ``Table.grid(padding=(0, 2))`` of one text column, or of a no-wrap label column and
    a text column; None for any other table."""
    if (
        t.box is not None
        or t.show_header
        or t.show_footer
        or t.title is not None
        or t.caption is not None
        or tuple(t.padding) != (0, 2, 0, 2)
        or not t.collapse_padding
        or t.pad_edge
        or t.expand
        or t.width is not None
        or t.min_width is not None
        or t.leading
        or len(t.columns) not in (1, 2)
    ):
        return None
    columns = t.columns
    for n, c in enumerate(columns):
        if (
            (c.width is not None and (n > 0 or len(columns) == 1))
            or c.min_width is not None
            or c.max_width is not None
            or c.ratio is not None
            or c.justify != "left"
            or c.vertical != "top"
        ):
            return None
    if len(columns) == 2 and not columns[0].no_wrap:
        return None
    if columns[-1].no_wrap or columns[-1].overflow != "fold":
        return None
    texts: list[list[str]] = []
    for c in columns:
        column: list[str] = []
        for cell in c._cells:
            plain = _cell(cell)
            if plain is None:
                return None
            column.append(plain)
        texts.append(column)
    if len(columns) == 1:
        return [line for text in texts[0] for line in wrapped(text, width)]
    return grid_lines(zip(texts[0], texts[1], strict=True), width, columns[0].width)


def _lite_grid(g: lite.Grid, width: int) -> list[str] | None:
    """A ``lite.Grid``: the layout Rich gives the grid it stands for. One column that wraps;
    one that is cut with an ellipsis (a line per row); or labels that never wrap, each column
    as wide as its widest label (the first may be given a width), two spaces apart, before
    a last column that wraps."""
    from rich.cells import cell_len

    columns = g.columns
    cells = [tuple(c.plain if isinstance(c, lite.Text) else c for c in row) for row in g.rows]
    if len(columns) == 1 and columns[0]["no_wrap"] and columns[0]["overflow"] == "ellipsis":
        if columns[0]["width"] is not None or any(needs_rich(text) for (text,) in cells):
            return None
        return [_cut(line, width) for (text,) in cells for line in text.split("\n")]
    if columns[-1]["no_wrap"] or columns[-1]["overflow"] != "fold":
        return None
    if columns[-1]["width"] is not None or any(c["width"] is not None for c in columns[1:-1]):
        return None
    if len(columns) == 1:
        if any(needs_rich(text) for (text,) in cells):
            return None
        return [line for (text,) in cells for line in wrapped(text, width)]
    if not all(c["no_wrap"] for c in columns[:-1]):
        return None
    if len(columns) == 2:
        return grid_lines(((a, b) for a, b in cells), width, columns[0]["width"])
    # labels in several columns: each padded to its column, as one label column
    if any("\n" in text or needs_rich(text) for row in cells for text in row[:-1]):
        return None
    widths = [max((cell_len(row[i]) for row in cells), default=0) for i in range(len(columns) - 1)]
    if columns[0]["width"] is not None:
        if widths[0] > columns[0]["width"]:
            return None
        widths[0] = columns[0]["width"]
    labels = [
        "  ".join(t + " " * (w - cell_len(t)) for t, w in zip(row[:-1], widths, strict=True))
        for row in cells
    ]
    label_width = sum(widths) + 2 * (len(widths) - 1)
    return grid_lines(zip(labels, (row[-1] for row in cells), strict=True), width, label_width)


def _cut(line: str, width: int) -> str:
    """A line as Rich cuts a column that does not wrap: whole when it fits, else to one cell
    less than the width and an ellipsis."""
    from rich.cells import cell_len, set_cell_size

    line = line.translate(DROPPED)
    if cell_len(line) <= width:
        return line
    return set_cell_size(line, width - 1) + "…"


def _measure(text: str) -> tuple[int, int]:
    """Rich's measurement of a text: its longest word, its longest line (cells)."""
    from rich.cells import cell_len

    widest = max((cell_len(line) for line in text.splitlines()), default=0)
    words = text.split()
    return (max(cell_len(w) for w in words) if words else widest), widest


def _collapse(widths: list[int], wrapable: list[bool], max_width: int) -> list[int]:
    """Rich's ``Table._collapse_widths``: narrow the widest wrapping columns, a step at a time,
    until the table fits."""
    from rich._ratio import ratio_reduce

    total = sum(widths)
    excess = total - max_width
    if any(wrapable):
        while total and excess > 0:
            widest = max(w for w, wrap in zip(widths, wrapable, strict=True) if wrap)
            second = max(
                w if wrap and w != widest else 0 for w, wrap in zip(widths, wrapable, strict=True)
            )
            ratios = [int(w == widest and wrap) for w, wrap in zip(widths, wrapable, strict=True)]
            if not any(ratios) or not widest - second:
                break
            widths = ratio_reduce(
                excess, ratios, [min(excess, widest - second)] * len(widths), widths
            )
            total = sum(widths)
            excess = total - max_width
    return widths


def _lite_table(t: lite.Table, width: int) -> list[str] | None:
    """hrtrust's headed table (``present.terminal.table``) laid out as Rich lays it out: each
    column as wide as its widest line, the wrapping columns narrowed as Rich narrows them when
    that is too wide, one space between columns and one of padding on each inner side; the
    header, then a rule. None when a word does not fit its column (Rich then folds or cuts it
    its own way) or a text holds what only Rich lays out."""
    from rich._ratio import ratio_reduce
    from rich.cells import cell_len

    n = len(t.columns)
    rows = [[c.plain if isinstance(c, lite.Text) else c for c in row] for row in t.rows]
    if t.show_header:
        rows.insert(0, [c.header for c in t.columns])
    title = t.title or ""
    if not rows or any(len(r) != n for r in rows) or needs_rich(title):
        return None
    if any(needs_rich(text) for row in rows for text in row):
        return None
    if any(c.justify not in ("left", "right") for c in t.columns):
        return None
    pads = [(0 if i == 0 else 1) + (0 if i == n - 1 else 1) for i in range(n)]
    max_width = width - (n - 1)  # the spaces between columns
    if max_width - max(pads) < 1:
        return None
    measured = [[_measure(row[i]) for row in rows] for i in range(n)]
    widths = [
        min(max(mx for _, mx in column) + pads[i], max_width) or 1
        for i, column in enumerate(measured)
    ]
    if sum(widths) > max_width:
        widths = _collapse(widths, [not c.no_wrap for c in t.columns], max_width)
        if sum(widths) > max_width:
            widths = ratio_reduce(sum(widths) - max_width, [1] * n, widths, widths)
        widths = [
            min(max(mx for _, mx in column) + pads[i], w)
            for i, (column, w) in enumerate(zip(measured, widths, strict=True))
        ]
    inner = [w - p for w, p in zip(widths, pads, strict=True)]
    out: list[str] = []
    table_width = sum(widths) + n - 1
    if title:
        if _measure(title)[0] > table_width:
            return None  # a word of the title wider than the table: Rich folds it its own way
        out += wrapped(title, table_width)
    for r, row in enumerate(rows):
        cells: list[list[str]] = []
        for i, text in enumerate(row):
            if measured[i][r][0] > inner[i]:
                return None  # a word wider than its column: Rich folds or cuts it
            if t.columns[i].no_wrap:
                if measured[i][r][1] > inner[i]:
                    return None
                cells.append(text.translate(DROPPED).split("\n") if text else [""])
            elif t.columns[i].overflow == "fold":
                cells.append(wrapped(text, inner[i]))
            else:
                lines = _uncut(text, inner[i])
                if lines is None:
                    return None
                cells.append(lines)
        height = max(len(c) for c in cells)
        if r == 0 and t.show_header:  # Rich sets a header's cells on the bottom line
            cells = [[""] * (height - len(c)) + c for c in cells]
        for k in range(height):
            parts = []
            for i, lines in enumerate(cells):
                line = lines[k] if k < len(lines) else ""
                left = " " if i > 0 else ""
                right = " " if i < n - 1 else ""
                room = " " * (inner[i] - cell_len(line))
                if t.columns[i].justify == "right":
                    parts.append(left + room + line + right)
                else:
                    parts.append(left + line + room + right)
            out.append(" ".join(parts))
        if r == 0 and t.show_header:
            out.append("─" * table_width)
    return out


def _uncut(text: str, width: int) -> list[str] | None:
    """``text`` wrapped as Rich wraps a column that cuts with an ellipsis, or None when Rich
    would cut a line: it trims a line's trailing spaces by characters, not cells, so a line
    ending in wide (CJK) characters just at the width keeps a space and loses its last cell."""
    from rich._wrap import divide_line
    from rich.cells import cell_len

    out: list[str] = []
    for line in text.translate(DROPPED).split("\n"):
        cuts = [0, *divide_line(line, width, fold=False), len(line)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            piece = line[a:b]
            excess = len(piece) - width
            if excess > 0:
                piece = piece[: len(piece) - min(len(piece) - len(piece.rstrip()), excess)]
            if cell_len(piece) > width:
                return None
            out.append(piece.rstrip())
    return out or [""]


def _cell(cell: object) -> str | None:
    from rich.text import Text

    if isinstance(cell, str):
        return None if needs_rich(cell) else cell
    if isinstance(cell, Text):
        if (
            needs_rich(cell.plain)
            or cell.no_wrap
            or cell.justify not in (None, "default", "left")
            or cell.overflow not in (None, "fold")
        ):
            return None
        return cell.plain
    return None
