"""Hostile or broken import files (issue 25): a CSV row that is not a row of its header, a
file that cannot be read, and an --output that names one of the kernel's files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import Cli, snapshot
from hrtrust.interop.csv_import import read_table

BROKEN = (
    "name,email,dept\r\n"
    "Ann Lee,ann@example.com,Sales\r\n"  # row 2: fine
    "Bob\x00 Ray,bob@example.com,Sales\r\n"  # row 3: a NUL byte
    "Cy Tan,cy@example.com,Sales,Taipei\r\n"  # row 4: a cell the header does not name
    "Dee Wu,dee@example.com\r\n"  # row 5: no dept cell
    "Eli \x1b]52;c;cHduZWQ=\x07Ng,eli@example.com,Sales\r\n"  # row 6: OSC 52 in a name
    "Fay Li,fay@example.com,Sales,\r\n"  # row 7: a trailing comma: fine
    '"Gus Ho,gus@example.com,Sales\r\n'  # row 8: a quote never closed...
    "Hal Ma,hal@example.com,Sales\r\n"  # ...swallows this line too
)

REJECTED = [
    "  row 3  rejected   column 'name' holds a NUL character (U+0000)",
    "  row 4  rejected   has 4 cells, but the header has 3 columns (a delimiter inside a cell "
    "that is not quoted?)",
    "  row 5  rejected   has 2 cells, but the header names 3 columns",
    "  row 6  rejected   column 'name' holds a control character (U+001B)",
    "  row 8  rejected   a quoted cell opened on line 8 is never closed: lines 8 to 9 would be "
    "one cell",
]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "staff.csv"
    path.write_bytes(BROKEN.encode("utf-8"))
    return path


def names(home: Path) -> list[str]:
    text = (home / "contacts.toml").read_text(encoding="utf-8")
    return [line[8:-1] for line in text.splitlines() if line.startswith("name = ")]


def test_rows_that_do_not_fit_the_header_are_rejected_with_their_numbers(
    cli: Cli, empty: Path, broken: Path
) -> None:
    before = snapshot(empty)
    result = cli("import", "contacts", str(broken))
    assert result.exit_code == 2, result.output
    assert result.stdout.splitlines() == [
        "staff.csv: 7 rows: 2 created, 0 updated, 0 unchanged, 5 rejected.",
        "  row 2  created    Ann Lee (c1)",
        *REJECTED[:4],
        "  row 7  created    Fay Li (c2)",
        REJECTED[4],
        "New departments: Sales (client departments; mark HR's own with "
        "`hrtrust dept add NAME --internal`).",
    ]
    assert result.stderr == (
        "hrtrust: error: 5 of 7 rows rejected, so nothing was written\n"
        "hint: fix those rows, or add --skip-bad to import the others\n"
    )
    assert snapshot(empty) == before  # nothing written


def test_skip_bad_imports_the_good_rows_and_lists_the_others(
    cli: Cli, empty: Path, broken: Path
) -> None:
    result = cli("import", "contacts", str(broken), "--skip-bad")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if "rejected  " in line] == REJECTED
    assert lines[-1] == "Saved contacts.toml (2 created, 0 updated; skipped 5 rejected)."
    assert names(empty) == ["Ann Lee", "Fay Li"]  # no NUL, no ESC, no swallowed rows stored
    data = json.loads(cli("import", "contacts", str(broken), "--dry-run", "--json").stdout)
    assert [(r["row"], r["status"]) for r in data["rows"]] == [
        (2, "unchanged"),
        (3, "rejected"),
        (4, "rejected"),
        (5, "rejected"),
        (6, "rejected"),
        (7, "unchanged"),
        (8, "rejected"),
    ]


def test_a_quote_inside_a_quoted_cell_is_a_bad_row_not_a_bad_file() -> None:
    table = read_table(b'name,email\n"Ann "Lee",ann@example.com\nBo Li,bo@example.com\n', "t.csv")
    assert table.rows == ((3, ("Bo Li", "bo@example.com")),)
    assert [n for n, _ in table.bad] == [2]
    assert table.bad[0][1].startswith("cannot be read as CSV on line 2")


def test_a_quoted_cell_may_still_hold_line_breaks_and_tabs() -> None:
    table = read_table(b'name,notes\nAnn Lee,"likes\ttea\r\nand cake"\nBo Li,\n', "t.csv")
    assert table.bad == ()
    assert table.rows == ((2, ("Ann Lee", "likes\ttea\r\nand cake")), (3, ("Bo Li", "")))


@pytest.mark.parametrize("command", ["contacts", "calendar", "json"])
def test_an_import_file_that_cannot_be_read_is_an_io_error(
    cli: Cli, empty: Path, tmp_path: Path, command: str
) -> None:
    """The README's exit code 7: a file could not be read (it was exit 2, bad usage)."""
    before = snapshot(empty)
    missing = tmp_path / "nope.file"
    result = cli("import", command, str(missing))
    assert result.exit_code == 7, result.output
    assert result.stderr == (
        f"hrtrust: error: {missing}: cannot read: No such file or directory; nothing was "
        "changed\nhint: check the file's name and that you may read it\n"
    )
    folder = cli("import", command, str(tmp_path))
    assert folder.exit_code == 7, folder.output
    assert "cannot read: Is a directory" in folder.stderr
    assert snapshot(empty) == before


@pytest.mark.skipif(not os.path.isfile("/proc/version"), reason="no /proc/version here")
@pytest.mark.parametrize("command", [("backup",), ("export", "json"), ("digest",)])
def test_output_to_a_kernel_file_names_the_real_reason(
    cli: Cli, demo: Path, command: tuple[str, ...]
) -> None:
    """It said "No such file" for /proc/version, which exists."""
    before = snapshot(demo)
    result = cli(*command, "--output", "/proc/version")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "hrtrust: error: --output /proc/version: it is one of the kernel's files, and hrtrust "
        "does not replace files in /proc\n"
        "hint: give a file name elsewhere, or - for standard output\n"
    )
    assert snapshot(demo) == before
