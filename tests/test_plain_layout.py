"""Piped output is laid out by `present.plain` without Rich's console and tables; it must read
exactly as Rich lays out the same views: every text command on the demo, and random grids of
labels and texts (CJK, long words, line breaks, control characters)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.table import Table
from rich.text import Text

from conftest import Cli
from hrtrust.present import plain
from hrtrust.present.console import SafeConsole

COMMANDS = [
    ("plan", "week"),
    ("plan", "week", "--next"),
    ("overdue",),
    ("overdue", "--all"),
    ("digest",),
    ("contact", "list"),
    ("contact", "show", "maria"),
    ("brief", "maria"),
    ("promise", "list", "--all"),
    ("activity", "list"),
    ("log", "list"),
    ("dept", "list"),
    ("report", "coverage"),
    ("report", "promises"),
    ("report", "balance"),
    ("report", "pulse"),
    ("report", "feedback"),
    ("topic", "list"),
    ("config", "show"),
    ("doctor",),
]


def rich_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plain, "lines", lambda parts, width: None)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_view_reads_as_rich_lays_it_out(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    laid_out = cli(*args)
    rich_only(monkeypatch)
    through_rich = cli(*args)
    assert (laid_out.exit_code, laid_out.stdout) == (through_rich.exit_code, through_rich.stdout)


def test_the_plan_is_laid_out_without_rich(cli: Cli, demo: Path) -> None:
    from hrtrust.cli import load
    from hrtrust.domain.planning import plan_week
    from hrtrust.present.week import plan_view
    from hrtrust.storage.store import Store

    store = Store(demo)
    today = cli.today
    plan = plan_week(load.plan_input(store, today, today), today, today)
    names = {c.id: c.name for c in store.contacts().contact}
    assert plain.lines(plan_view(plan, names), 80) is not None  # not left to Rich


def through_rich(parts: list[object], width: int) -> list[str]:
    buf = io.StringIO()
    con = SafeConsole(
        file=buf, width=width, color_system=None, force_terminal=False, soft_wrap=False
    )
    for part in parts:
        con.print(part)
    return [line.rstrip() for line in buf.getvalue().splitlines()]


WORDS = st.sampled_from(
    [
        "Maria", "Chen", "coffee", "王小明", "研發部", "很長的中文句子沒有空格很長的中文句子",
        "https://example.com/" + "x" * 70, "—", "(Sales)", "p12", "a" * 30, "\n",
        "\x1b[31m", "\x07", "\r\n", "  ", "é", "ｆｕｌｌ", "🙂", "[bold]",
    ]
)  # fmt: skip
TEXT = st.lists(WORDS, max_size=25).map(" ".join)
LABEL = st.one_of(
    st.just(""),
    st.sampled_from(["clash", "reach out", "10:00–11:00", "4d late", "研發部門"]),
    st.lists(WORDS, max_size=3).map(" ".join),
)


@st.composite
def parts(draw: st.DrawFn) -> list[object]:
    out: list[object] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "str", "grid1", "grid2", "fixed"]))
        if kind == "text":
            out.append(Text(draw(TEXT), style=draw(st.sampled_from(["", "bold", "dim"]))))
        elif kind == "str":
            out.append(draw(TEXT))
        else:
            g = Table.grid(padding=(0, 2))
            if kind == "grid2":
                g.add_column(style="bold", no_wrap=True)
            if kind == "fixed":  # the plan's days: an 11-cell time column
                g.add_column(style="bold", no_wrap=True, width=11, overflow="ellipsis")
            g.add_column(overflow="fold")
            for _ in range(draw(st.integers(0, 5))):
                cells = [draw(LABEL)] if kind != "grid1" else []
                g.add_row(*cells, Text(draw(TEXT), style=draw(st.sampled_from(["", "red"]))))
            out.append(g)
    return out


@settings(max_examples=300, deadline=None)
@given(shown=parts(), width=st.sampled_from([80, 60, 100, 40]))
def test_plain_lines_are_rich_s_lines(shown: list[object], width: int) -> None:
    got = plain.lines(shown, width)
    if got is not None:  # None: left to Rich
        assert got == through_rich(shown, width)
