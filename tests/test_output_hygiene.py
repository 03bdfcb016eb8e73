"""Issue 25's output findings: no control character reaches a terminal from any output, no
secret in config.toml leaves the home, relative XDG folders are ignored, an ASCII locale does
not crash a command, and a pulse cannot have more respondents than its department has people.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.present.common import json_safe

# An OSC 52 clipboard write, a screen clear, a one-byte CSI (C1) and a right-to-left override.
EVIL = "Eve\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m\u202eX"
EVIL_DEPT = "Ops\x1b]52;c;eHg=\x07\x9b2J"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def clean(text: str) -> bool:
    return not any(ch in text for ch in RAW)


@pytest.fixture
def hostile(cli: Cli, demo: Path) -> Path:
    """The demo with a contact, department, note, fact, promise and topic full of escapes."""
    add = cli("contact", "add", EVIL, "--tag", "ally", "--dept", EVIL_DEPT, "--note", "n\x1b[2J")
    assert add.exit_code == 0, add.stderr
    steps = [
        ("log", "check-in", "--with", "eve", "--note", "hi\x1b[2J", "--learned", "x\x9b2J"),
        ("promise", "add", "send \x1b]52;c;eA==\x07 it", "--to", "eve", "--due", "fri"),
        ("topic", "add", "eve", "raise \u202eit"),
        ("pulse", "add", "--dept", EVIL_DEPT, "--score", "3", "--responses", "6"),
    ]
    for args in steps:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return demo


# -- 1. control characters -------------------------------------------------------------------


def test_the_new_department_note_shows_escapes_instead_of_sending_them(
    cli: Cli, demo: Path
) -> None:
    result = cli("contact", "add", "Eve", "--dept", EVIL_DEPT)
    assert result.exit_code == 0, result.stderr
    assert clean(result.stderr)
    assert result.stderr == (
        "hrtrust: note: new department Ops\\x1b]52;c;eHg=\\x07\\x9b2J (a client department; "
        "if it is HR's own: hrtrust dept add Ops\\x1b]52;c;eHg=\\x07\\x9b2J --internal)\n"
    )


def test_the_html_digest_escapes_markup_and_shows_controls(cli: Cli, hostile: Path) -> None:
    promise = ("promise", "add", "<b>Bold</b> & co", "--to", "eve", "--due", "tue")
    assert cli(*promise).exit_code == 0
    result = cli("digest", "--format", "html", "--include-private")
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout)
    assert "Eve\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x9b31m\\u202eX" in result.stdout
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in result.stdout
    assert "<b>Bold" not in result.stdout


JSON_VIEWS = [
    ("contact", "list", "--json"),
    ("contact", "show", "eve", "--json", "--include-private"),
    ("plan", "week", "--json", "--include-private"),
    ("digest", "--format", "json", "--include-private"),
    ("brief", "eve", "--json", "--include-private"),
    ("log", "list", "--json"),
    ("promise", "list", "--json"),
    ("topic", "list", "--json", "--include-private"),
    ("report", "coverage", "--json"),
    ("report", "pulse", "--json"),
    ("dept", "list", "--json"),
    ("pulse", "list", "--json"),
    ("export", "json", "--include-private"),
]


@pytest.mark.parametrize("args", JSON_VIEWS, ids=lambda a: " ".join(a[:2]))
def test_json_escapes_what_a_terminal_acts_on_and_keeps_the_values(
    cli: Cli, hostile: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout)
    assert "\\u009b" in result.stdout  # the C1 CSI, escaped: JSON leaves it raw otherwise
    values = "\n".join(strings(json.loads(result.stdout)))
    assert EVIL in values or EVIL_DEPT in values  # read back, the names are as typed


def strings(data: object) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (k, *strings(v))]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return []


def test_json_safe_is_the_same_json_value() -> None:
    data = {"name": EVIL, "dept": EVIL_DEPT, "cjk": "王小明", "del": "a\x7fb\u2066c"}
    text = json_safe(json.dumps(data, ensure_ascii=False))
    assert clean(text) and "\x7f" not in text and "\u2066" not in text
    assert "王小明" in text  # still readable
    assert json.loads(text) == data


def test_the_exported_json_restores_the_names_as_they_were(
    cli: Cli, hostile: Path, tmp_path: Path
) -> None:
    out = tmp_path / "backup.json"
    assert cli("backup", "--output", str(out)).exit_code == 0
    assert clean(out.read_text(encoding="utf-8"))
    new = tmp_path / "new"
    assert cli("--home", str(new), "init").exit_code == 0
    assert cli("--home", str(new), "import", "json", str(out)).exit_code == 0
    assert (new / "contacts.toml").read_bytes() == (hostile / "contacts.toml").read_bytes()


def test_the_csv_export_shows_controls(cli: Cli, hostile: Path) -> None:
    result = cli("export", "csv", "--include-private")
    assert result.exit_code == 0, result.stderr
    assert clean(result.stdout)
    assert "Eve\\x1b]52;c;cHduZWQ=\\x07" in result.stdout


# Every other way text leaves hrtrust (`export ics` is RFC 5545's own case, handled there).
TEXT_VIEWS = [
    ("contact", "list"),
    ("contact", "show", "eve", "--include-private"),
    ("plan", "week", "--include-private"),
    ("digest", "--include-private"),
    ("digest", "--format", "markdown", "--include-private"),
    ("brief", "eve", "--include-private"),
    ("log", "list"),
    ("log", "show", "2026-11-23.1", "--include-private"),
    ("overdue",),
    ("promise", "list"),
    ("topic", "list", "--include-private"),
    ("report", "coverage"),
    ("report", "balance", "--by", "dept"),
    ("report", "pulse"),
    ("dept", "list"),
    ("pulse", "list"),
    ("doctor",),
    ("export", "json"),
    ("contact", "show", "Ev\x1b[2J"),
    ("dept", "add", "Ev\x1b]52;c;eA==\x07il"),
    ("pulse", "add", "--dept", EVIL_DEPT, "--score", "9"),
]


@pytest.mark.parametrize("args", TEXT_VIEWS, ids=lambda a: " ".join(a[:2]))
def test_no_output_carries_a_raw_control_character(
    cli: Cli, hostile: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert clean(result.stdout), args
    assert clean(result.stderr), args
