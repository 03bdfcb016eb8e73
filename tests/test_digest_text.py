"""The digest's plain text is laid out without Rich's console and tables (a long digest spent
most of its time in them), and must read exactly as Rich lays out the same outline: a label
column, two spaces, the text wrapped where Rich wraps it, whatever the names hold (CJK,
long words, tabs, line breaks, control characters)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hrtrust.present.digest import Block, Outline, Part, Row, _rich_text, to_text

WORDS = st.sampled_from(
    [
        "Maria", "Chen", "coffee", "chat", "with", "王小明", "研發部", "很長的中文句子沒有空格",
        "https://example.com/" + "x" * 70, "—", "·", "(Sales)", "p12", "4d", "late", "a" * 30,
        "\t", "\n", "\x1b[31m", "\x07", "\r\n", "  ", "é", "ｆｕｌｌ", "🙂",
    ]
)  # fmt: skip
TEXT = st.lists(WORDS, max_size=30).map(" ".join)
LABEL = st.one_of(
    st.just(""),
    st.sampled_from(["clash", "reach out", "10:00–11:00", "Mon Nov 16", "4d late", "研發部門"]),
    st.lists(WORDS, max_size=4).map(" ".join),
)
ROWS = st.builds(
    Row,
    label=LABEL,
    text=TEXT,
    more=st.lists(st.tuples(TEXT, st.just("")), max_size=2),
)
BLOCKS = st.builds(Block, title=TEXT, rows=st.lists(ROWS, max_size=5), empty=TEXT)
OUTLINES = st.builds(
    Outline,
    title=TEXT,
    subtitle=TEXT,
    parts=st.lists(
        st.builds(Part, title=TEXT, subtitle=TEXT, blocks=st.lists(BLOCKS, max_size=3)),
        max_size=2,
    ),
)


@settings(max_examples=300, deadline=None)
@given(outline=OUTLINES, width=st.sampled_from([80, 60, 100, 40]))
def test_plain_text_reads_as_rich_lays_it_out(outline: Outline, width: int) -> None:
    assert to_text(outline, width) == _rich_text(outline, width)


def test_a_long_label_and_a_long_word() -> None:
    outline = Outline(
        "hrtrust digest",
        "as of Mon Nov 23",
        [
            Part(
                "This week",
                "2026-W48",
                [
                    Block(
                        "Overdue: do these first",
                        [Row("4d late", "p1 send " + "x" * 90 + " now → 王小明" * 3)],
                    )
                ],
            )
        ],
    )
    text = to_text(outline)
    assert text == _rich_text(outline, 80)
    assert text.splitlines()[6:9] == [
        "4d late  p1 send",
        "         " + "x" * 71,
        "         " + "x" * 19 + " now → 王小明 now → 王小明 now → 王小明",
    ]


def test_line_separators_and_control_characters_read_as_rich_shows_them() -> None:
    for odd in ("a\u2028b", "end\x1c", "x\x85y", "tab\there", "bell\x07", "esc\x1b[31m"):
        outline = Outline(
            "t", "s", [Part("p", "q", [Block("b", [Row("label", f"note {odd} done")])])]
        )
        assert to_text(outline) == _rich_text(outline, 80), odd
