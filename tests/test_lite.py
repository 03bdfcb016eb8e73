"""``present.lite``: the plan's text and grids stand for the Rich objects the same calls make."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text as RichText

from hrtrust.present import lite


def test_text_becomes_the_rich_text_the_same_calls_make() -> None:
    ours = lite.Text("last touch 3d ago", style="bold")
    ours.stylize("yellow")
    ours.append(" — gone quiet", style="bold yellow").append("; plain").append("", style="red")
    theirs = RichText("last touch 3d ago", style="bold")
    theirs.stylize("yellow")
    theirs.append(" — gone quiet", style="bold yellow").append("; plain").append("", style="red")
    made = ours.__rich__()
    assert (made.plain, made.style, made.spans) == (theirs.plain, theirs.style, theirs.spans)
    empty = lite.Text()
    empty.stylize("dim")
    assert empty.__rich__().spans == []


def test_a_grid_becomes_the_rich_grid_the_same_calls_make() -> None:
    ours = lite.Grid()
    ours.add_column(width=11, style="dim", no_wrap=True)
    ours.add_column(overflow="fold")
    ours.add_row("due", lite.Text("p1 Send the guide", style="bold"))
    made = ours.__rich__()
    theirs = Table.grid(padding=(0, 2))
    theirs.add_column(width=11, style="dim", no_wrap=True)
    theirs.add_column(overflow="fold")
    assert made.padding == theirs.padding
    for a, b in zip(made.columns, theirs.columns, strict=True):
        keys = ("width", "style", "no_wrap", "overflow")
        assert [getattr(a, k) for k in keys] == [getattr(b, k) for k in keys]
    assert [type(c) for c in made.columns[1]._cells] == [RichText]
    assert made.columns[1]._cells[0].plain == "p1 Send the guide"
