"""``present.lite``: the plan's text and grids stand for the Rich objects the same calls make."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.table import Table
from rich.text import Text as RichText

from hrtrust.present import lite, plain
from hrtrust.present.console import SafeConsole


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


WORDS = [
    "a",
    "ok",
    "Maria",
    "陳美玲",
    "exit-interview",
    "p12",
    "Dec 11",
    "1815d",
    "與",
    "—",
    "x" * 14,
]


@st.composite
def tables(draw: st.DrawFn) -> lite.Table:
    n = draw(st.integers(1, 5))
    phrase = st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join)
    t = lite.Table(*draw(st.lists(phrase, min_size=n, max_size=n)), title=draw(st.none() | phrase))
    t.show_header = draw(st.booleans())
    for column in t.columns:
        column.no_wrap = draw(st.booleans())
        column.overflow = draw(st.sampled_from(["fold", "ellipsis"]))
        column.justify = draw(st.sampled_from(["left", "right"]))
    for row in draw(st.lists(st.lists(phrase, min_size=n, max_size=n), max_size=5)):
        t.add_row(*row)
    return t


@settings(max_examples=300, deadline=None)
@given(t=tables(), width=st.integers(30, 140))
def test_a_table_laid_out_without_rich_is_what_rich_prints(t: lite.Table, width: int) -> None:
    got = plain.lines([t], width)
    if got is None:  # left to Rich: a word wider than its column, say
        return
    con = SafeConsole(width=width, file=io.StringIO(), color_system=None, soft_wrap=False)
    with con.capture() as captured:
        con.print(t)
    assert got == [line.rstrip() for line in captured.get().splitlines()]


def test_the_overdue_lists_and_the_contact_card_are_laid_out_without_rich() -> None:
    t = lite.Table("Late", "ID", "With", "Promise", "Was due", title="Promises I owe, past due")
    t.columns[3].overflow = "fold"
    t.add_row("43d", "p279", "馮明哲", "Introduce them to the mentoring programme lead", "Oct 18")
    got = plain.lines([t], 80)
    assert got is not None  # laid out here, not left to Rich
    assert got[:2] == [
        "Promises I owe, past due",
        "Late   ID     With     Promise                                          Was due",
    ]
    assert set(got[2]) == {"─"} and len(got[2]) == len(got[1]) == 79
    card = lite.Table("", "")
    card.show_header = False
    card.add_row("Department", "HR")
    assert plain.lines([card], 80) == ["Department   HR"]


@st.composite
def grids(draw: st.DrawFn) -> lite.Grid:
    """Grids as the brief makes them: a line per row cut with an ellipsis, or labels in one
    or two columns that never wrap (the first maybe of a given width) before a text that does."""
    phrase = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
    g = lite.Grid()
    if draw(st.booleans()):
        g.add_column(no_wrap=True, overflow="ellipsis")
        for text in draw(st.lists(phrase, max_size=6)):
            g.add_row(text)
        return g
    labels = draw(st.integers(1, 2))
    short = st.lists(st.sampled_from(WORDS[:9]), min_size=0, max_size=2).map(" ".join)
    for n in range(labels):
        g.add_column(
            no_wrap=True,
            style="dim",
            width=draw(st.none() | st.integers(8, 12)) if n == 0 else None,
        )
    g.add_column(overflow="fold")
    for _ in range(draw(st.integers(0, 5))):
        g.add_row(*[draw(short) for _ in range(labels)], draw(phrase))
    return g


@settings(max_examples=400, deadline=None)
@given(g=grids(), width=st.integers(30, 140))
def test_a_grid_laid_out_without_rich_is_what_rich_prints(g: lite.Grid, width: int) -> None:
    got = plain.lines([g], width)
    if got is None:  # left to Rich: a label wider than its column, say
        return
    con = SafeConsole(width=width, file=io.StringIO(), color_system=None, soft_wrap=False)
    with con.capture() as captured:
        con.print(g)
    assert got == [line.rstrip() for line in captured.get().splitlines()]
