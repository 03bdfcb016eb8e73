"""Retention: `purge` removes learned facts, log notes and closed feedback text past the limit,
keeps the dated skeleton and what was pinned; `doctor` says what is due."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import raw_toml, snapshot
from hrtrust.domain.retention import parse_retention
from hrtrust.errors import UsageError

D = dt.date.fromisoformat


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


def set_retention(home: Path, value: str) -> None:
    path = home / "config.toml"
    text = "".join(
        line
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("retention = ")
    )
    path.write_text(
        text.replace("schema_version = 1\n", f'schema_version = 1\nretention = "{value}"\n', 1),
        encoding="utf-8",
    )


@pytest.fixture
def aged(cli: Any, empty: Path) -> Path:
    """Two people and a history spanning the 12-month limit (today is 2026-11-23, so the
    cut-off is 2025-11-23: text dated that day is kept)."""
    ok(cli("contact", "add", "Maria Chen", "--dept", "Engineering", "--note", "current note"))
    ok(cli("contact", "add", "Lee Wang", "--dept", "Sales"))
    log = ("log", "coffee-chat")
    ok(cli(*log, "--with", "maria", "--date", "2025-06-02", "--note", "old", "--learned", "f1"))
    ok(cli(*log, "--with", "lee", "--date", "2025-11-23", "--note", "boundary note"))
    ok(
        cli("log", "one-on-one", "--with", "maria", "--date", "2025-07-01", "--note", "pinned",
            "--learned", "keep me", "--keep")
    )  # fmt: skip
    ok(cli("log", "check-in", "--with", "lee", "--date", "2025-08-04", "--learned", "lee fact"))
    ok(cli(*log, "--with", "maria", "--date", "2026-10-01", "--note", "new", "--learned", "f2"))
    ok(cli("feedback", "add", "old closed", "--from", "lee", "--date", "2025-01-10"))
    ok(cli("feedback", "act", "f1", "did it", "--date", "2025-01-20"))
    ok(cli("feedback", "close", "f1", "--date", "2025-02-01"))
    ok(cli("feedback", "add", "recently closed", "--dept", "Sales", "--date", "2025-10-01"))
    ok(cli("feedback", "close", "f2", "--date", "2026-01-05"))
    ok(cli("feedback", "add", "old but open", "--dept", "Sales", "--date", "2024-12-01"))
    set_retention(empty, "12m")
    return empty


LISTING = [
    "retention 12m: personal text dated before 2025-11-23):",
    "  2025-02-01  feedback f1 (Lee Wang): text and 1 action",
    "  2025-06-02  contact c1 (Maria Chen): learned fact",
    "  2025-06-02  log entry 2025-06-02.1 (Maria Chen): note and 1 learned fact",
    "  2025-08-04  contact c2 (Lee Wang): learned fact",
    "  2025-08-04  log entry 2025-08-04.1 (Lee Wang): 1 learned fact",
]


def test_dry_run_lists_and_changes_nothing(cli: Any, aged: Path) -> None:
    before = snapshot(aged)
    out = ok(cli("purge", "--dry-run"))
    lines = out.splitlines()
    assert lines[0] == "Would remove (" + LISTING[0]
    assert lines[1:-1] == LISTING[1:]
    assert lines[-1] == "Would remove the personal text of 5 records."
    assert snapshot(aged) == before


def test_purge_exact_before_and_after(cli: Any, aged: Path) -> None:
    assert raw_toml(aged / "log" / "2025-06.toml")["entry"] == [
        {
            "id": "2025-06-02.1",
            "date": D("2025-06-02"),
            "kind": "coffee-chat",
            "with": ["c1"],
            "depts": ["Engineering"],
            "note": "old",
            "learned": ["f1"],
        }
    ]
    out = ok(cli("purge", "--yes"))
    assert out.splitlines() == [
        "Removed (" + LISTING[0],
        *LISTING[1:],
        "Removed the personal text of 5 records.",
    ]
    # The dated skeleton stays: who, when, which kind (and the department).
    assert raw_toml(aged / "log" / "2025-06.toml")["entry"] == [
        {
            "id": "2025-06-02.1",
            "date": D("2025-06-02"),
            "kind": "coffee-chat",
            "with": ["c1"],
            "depts": ["Engineering"],
        }
    ]
    assert raw_toml(aged / "log" / "2025-08.toml")["entry"] == [
        {
            "id": "2025-08-04.1",
            "date": D("2025-08-04"),
            "kind": "check-in",
            "with": ["c2"],
            "depts": ["Sales"],
        }
    ]
    # Kept: the pinned entry, the entry dated on the cut-off day, the recent one.
    pinned = raw_toml(aged / "log" / "2025-07.toml")["entry"][0]
    assert (pinned["note"], pinned["learned"], pinned["keep"]) == ("pinned", ["keep me"], True)
    assert raw_toml(aged / "log" / "2025-11.toml")["entry"][0]["note"] == "boundary note"
    assert raw_toml(aged / "log" / "2026-10.toml")["entry"][0]["note"] == "new"
    contacts = raw_toml(aged / "contacts.toml")["contact"]
    assert contacts[0]["notes"] == "current note"  # contact notes are not dated: not purged
    assert contacts[0]["learned"] == [
        {"date": D("2025-07-01"), "text": "keep me", "keep": True},
        {"date": D("2026-10-01"), "text": "f2"},
    ]
    assert "learned" not in contacts[1]
    feedback = raw_toml(aged / "feedback.toml")["feedback"]
    assert [(f["id"], f["text"]) for f in feedback] == [
        ("f1", "(purged)"),
        ("f2", "recently closed"),
        ("f3", "old but open"),
    ]
    assert feedback[0]["actions"] == [{"date": D("2025-01-20"), "text": "(purged)"}]
    assert (feedback[0]["person"], feedback[0]["closed"]) == ("c2", D("2025-02-01"))
    # A second run has nothing left to do, and doctor agrees.
    assert ok(cli("purge", "--yes")) == (
        "Nothing to purge (retention 12m: personal text dated before 2025-11-23).\n"
    )
    assert "note: purge" not in ok(cli("doctor"))


def test_purge_json(cli: Any, aged: Path) -> None:
    data = json.loads(ok(cli("purge", "--dry-run", "--json")))
    assert data["retention"] == "12m" and data["before"] == "2025-11-23"
    assert data["dry_run"] is True
    assert data["removed"][2] == {
        "kind": "log",
        "ref": "2025-06-02.1",
        "date": "2025-06-02",
        "with": ["Maria Chen"],
        "what": "note and 1 learned fact",
    }
    assert len(data["removed"]) == 5


def test_doctor_reports_what_is_past_due(cli: Any, aged: Path) -> None:
    out = ok(cli("doctor"))
    assert (
        "note: purge: 5 records have personal text older than the retention of 12m "
        "(dated before 2025-11-23): run `hrtrust purge`"
    ) in out.splitlines()


def test_purge_refusals(cli: Any, empty: Path) -> None:
    result = cli("purge", "--yes")
    assert result.exit_code == 2
    assert result.stderr == (
        "hrtrust: error: retention is off: nothing is ever purged\n"
        "hint: set it: hrtrust config set retention 24m\n"
    )
    set_retention(empty, "12m")
    result = cli("purge")  # no terminal, no --yes
    assert result.exit_code == 2
    assert result.stderr == (
        "hrtrust: error: purge needs --yes when not run on a terminal (or use --dry-run)\n"
    )
    set_retention(empty, "a while")
    result = cli("purge", "--yes")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: cannot read retention 'a while'\n")
    result = cli("doctor")
    assert result.exit_code == 9
    assert "problem: config.toml: cannot read retention 'a while'" in result.stdout


def test_config_set_retention_drives_purge_and_doctor(cli: Any, aged: Path) -> None:
    assert ok(cli("config", "set", "retention", "off")) == "retention = off\n"
    assert "retention" not in raw_toml(aged / "config.toml")
    assert cli("purge", "--dry-run").exit_code == 2
    assert "purge" not in ok(cli("doctor"))
    assert ok(cli("config", "set", "retention", "12 months")) == "retention = 12m\n"
    assert raw_toml(aged / "config.toml")["retention"] == "12m"
    assert json.loads(ok(cli("config", "show", "--json")))["retention"] == "12m"
    shown = [line.rstrip() for line in ok(cli("config", "show")).splitlines()]
    assert "retention          12m           how long personal text is kept (purge)" in shown
    assert ok(cli("purge", "--dry-run")).splitlines()[-1] == (
        "Would remove the personal text of 5 records."
    )
    before = snapshot(aged)
    result = cli("config", "set", "retention", "a while")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "hrtrust: error: cannot read retention 'a while'\n"
        'hint: say how long to keep personal text: "24m", "2y", "18 months", or "off"\n'
    )
    assert snapshot(aged) == before


def test_log_edit_keep_pins_the_entry_and_that_days_facts(cli: Any, aged: Path) -> None:
    ok(cli("log", "edit", "2025-06-02.1", "--keep"))
    assert raw_toml(aged / "log" / "2025-06.toml")["entry"][0]["keep"] is True
    assert raw_toml(aged / "contacts.toml")["contact"][0]["learned"][0]["keep"] is True
    out = ok(cli("purge", "--dry-run"))
    assert "2025-06-02" not in out and "of 3 records" in out
    ok(cli("log", "edit", "2025-06-02.1", "--no-keep"))
    assert "keep" not in raw_toml(aged / "log" / "2025-06.toml")["entry"][0]
    assert "of 5 records" in ok(cli("purge", "--dry-run"))


def test_log_keep_pins_on_the_append_path_and_the_full_path(cli: Any, demo: Path) -> None:
    from hrtrust.storage.cache import RECORDS_CACHE_MIN

    month = demo / "log" / "2026-11.toml"
    ok(cli("log", "coffee-chat", "--with", "maria", "--note", "a long talk " * 20))
    ok(cli("log", "list", "--json"))  # the month validated, as the next log finds it
    before = month.read_bytes()
    assert len(before) > RECORDS_CACHE_MIN
    # No facts, promises or topics: the entry is appended to the month's text.
    ok(cli("log", "check-in", "--with", "priya", "--note", "asked to remember", "--keep"))
    after = month.read_bytes()
    assert after.startswith(before) and after.endswith(b"keep = true\n")
    appended = raw_toml(month)["entry"][-1]
    assert (appended["with"], appended["note"], appended["keep"]) == (
        ["c4"],
        "asked to remember",
        True,
    )
    # A learned fact goes through the full path: the entry and that fact are both pinned.
    ok(cli("log", "one-on-one", "--with", "david", "--learned", "moving to Lisbon", "--keep"))
    entry = raw_toml(month)["entry"][-1]
    assert (entry["learned"], entry["keep"]) == (["moving to Lisbon"], True)
    david = next(c for c in raw_toml(demo / "contacts.toml")["contact"] if c["id"] == "c3")
    assert david["learned"][-1] == {
        "date": D("2026-11-23"),
        "text": "moving to Lisbon",
        "keep": True,
    }


def test_log_keep_in_a_small_month_is_pinned_and_purge_spares_it(cli: Any, aged: Path) -> None:
    ok(cli("log", "check-in", "--with", "lee", "--date", "2025-08-11", "--note", "x", "--keep"))
    assert raw_toml(aged / "log" / "2025-08.toml")["entry"][-1]["keep"] is True
    ok(cli("log", "check-in", "--with", "maria", "--date", "2025-08-12", "--note", "y"))
    out = ok(cli("purge", "--dry-run"))
    assert "2025-08-12  log entry 2025-08-12.1 (Maria Chen): note" in out
    assert "2025-08-11" not in out and "of 6 records" in out


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("24m", "24m"), ("2y", "2y"), ("18 months", "18m"), ("off", None), (None, None)],
)
def test_parse_retention(text: str | None, canonical: str | None) -> None:
    assert parse_retention(text) == canonical


def test_parse_retention_rejects_nonsense() -> None:
    with pytest.raises(UsageError, match="cannot read retention 'soon'"):
        parse_retention("soon")
