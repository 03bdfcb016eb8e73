"""The everyday commands: log show, pulse list/edit/remove (pulses with stable ids, old files
without ids), feedback reopen."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from conftest import Cli, snapshot
from hrtrust.models import FeedbackFile


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    # a department typed for the first time joins the registry with a note (issue 13's rule)
    other = [x for x in result.stderr.splitlines() if not x.startswith("hrtrust: note: new dep")]
    assert other == []
    return str(result.stdout)


# -- log show ----------------------------------------------------------------------------------


def test_log_show_prints_the_whole_entry(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = ok(cli("log", "show", "2026-11-04.1"))
    assert out == (
        "Management meeting on Wed Nov 4, 2026  (2026-11-04.1)\n"
        "Kind         management-meeting\n"
        "With         陳志豪 (c7)\n"
        "Department   Manufacturing\n"
        "Activity     Manufacturing management meeting (a2)\n"
        "Note         Asked for last month's overtime figures. 吳俊傑's 10-year\n"
        "             anniversary is coming up.\n"
        "Promised     p15: Last month's overtime figures from the plant (due Fri Nov 13,\n"
        "             kept)\n"
        "             p17: Order 吳俊傑's 10-year service award and tell 陳志豪 when it\n"
        "             arrives (due Tue Nov 24, open)\n"
    )


def test_log_show_learned_facts(cli: Cli, empty: Path) -> None:
    ok(cli("contact", "add", "Maria Chen"))
    ok(cli("log", "coffee-chat", "--with", "maria", "--note", "A long talk", "--learned", "runs"))
    out = ok(cli("log", "show", "2026-11-23.1"))
    assert out.endswith("Note      A long talk\nLearned   runs\n")


def test_log_show_json_keeps_private_text_out_unless_asked(cli: Cli, demo: Path) -> None:
    data = json.loads(ok(cli("log", "show", "2026-11-04.1", "--json")))
    assert "note" not in data and data["with_names"] == ["陳志豪"]
    assert data["promises"] == ["p15", "p17"]
    full = json.loads(ok(cli("log", "show", "2026-11-04.1", "--json", "--include-private")))
    assert full["note"].startswith("Asked for last month's overtime figures.")


def test_log_show_unknown_entry(cli: Cli, demo: Path) -> None:
    result = cli("log", "show", "2026-11-30.4")
    assert (result.exit_code, result.stdout) == (3, "")
    assert (
        result.stderr == "hrtrust: error: no log entry 2026-11-30.4\nhint: see `hrtrust log list`\n"
    )


# -- pulses ------------------------------------------------------------------------------------

OLD_FEEDBACK = {  # a feedback.toml written before pulses had ids
    "schema_version": 1,
    "next_id": 1,
    "pulse": [
        {"dept": "Sales", "date": dt.date(2026, 6, 1), "score": 3.5},
        {"dept": "Sales", "date": dt.date(2026, 9, 1), "score": 7.0, "scale": 10},
        {"dept": "Plant", "date": dt.date(2026, 9, 1), "score": 4.0},
    ],
}


def old_home(empty: Path) -> Path:
    (empty / "feedback.toml").write_text(tomli_w.dumps(OLD_FEEDBACK), encoding="utf-8")
    return empty


def test_old_pulses_load_with_ids_in_file_order() -> None:
    doc = FeedbackFile.model_validate(OLD_FEEDBACK)
    assert [(p.id, p.dept, p.top, p.scale) for p in doc.pulse] == [
        ("s1", "Sales", 5.0, None),
        ("s2", "Sales", 10.0, 10),
        ("s3", "Plant", 5.0, None),
    ]
    assert doc.next_pulse_id == 4
    assert doc.model_extra == {}  # scale is a declared field now, not an extra key


NO_COUNT = {"responses": None, "suppressed": None}  # recorded without --responses


def test_pulse_list(cli: Cli, empty: Path) -> None:
    old_home(empty)
    before = snapshot(empty)
    rows = json.loads(ok(cli("pulse", "list", "--json")))
    assert rows == [
        {"id": "s1", "dept": "Sales", "date": "2026-06-01", "score": 3.5, "scale": 5.0} | NO_COUNT,
        {"id": "s3", "dept": "Plant", "date": "2026-09-01", "score": 4.0, "scale": 5.0} | NO_COUNT,
        {"id": "s2", "dept": "Sales", "date": "2026-09-01", "score": 7.0, "scale": 10.0} | NO_COUNT,
    ]
    assert [r["id"] for r in json.loads(ok(cli("pulse", "list", "--dept", "sales", "--json")))] == [
        "s1",
        "s2",
    ]
    assert snapshot(empty) == before  # reading gives ids but writes nothing


def test_pulse_list_text(cli: Cli, empty: Path) -> None:
    old_home(empty)
    assert ok(cli("pulse", "list")) == (
        "ID   Date         Department     Score\n"
        "──────────────────────────────────────\n"
        "s1   2026-06-01   Sales        3.5 / 5\n"
        "s3   2026-09-01   Plant          4 / 5\n"
        "s2   2026-09-01   Sales         7 / 10\n"
    )
    assert (
        ok(cli("pulse", "list", "--dept", "Marketing")) == "No pulse results for Marketing yet.\n"
    )


def test_pulse_edit_and_remove_write_ids(cli: Cli, empty: Path) -> None:
    old_home(empty)
    assert ok(cli("pulse", "edit", "s1", "--score", "3.6")) == (
        "Updated pulse s1: Sales on 2026-06-01: 3.6 / 5.\n"
    )
    raw = tomllib.loads((empty / "feedback.toml").read_text(encoding="utf-8"))
    assert raw["next_pulse_id"] == 4
    assert [(p["id"], p["score"], p.get("scale")) for p in raw["pulse"]] == [
        ("s1", 3.6, None),
        ("s3", 4.0, None),
        ("s2", 7.0, 10),
    ]
    assert ok(cli("pulse", "remove", "2")) == "Removed pulse s2 (Sales on 2026-09-01: 7 / 10).\n"
    assert ok(cli("pulse", "add", "--dept", "Plant", "--score", "3")).startswith(
        "Recorded pulse s4 for Plant"  # s2 is not given out again
    )
    assert ok(cli("pulse", "edit", "s4", "--scale", "10", "--score", "6")) == (
        "Updated pulse s4: Plant on 2026-11-23: 6 / 10.\n"
    )


def test_pulse_edit_refuses_bad_changes(cli: Cli, empty: Path) -> None:
    old_home(empty)
    before = snapshot(empty)
    result = cli("pulse", "edit", "s1", "--date", "2026-09-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "hrtrust: error: Sales already has a pulse result on 2026-09-01 (s2)\n"
        "hint: edit that one, or remove it first: hrtrust pulse remove s2\n"
    )
    result = cli("pulse", "edit", "s1", "--score", "6")
    assert result.exit_code == 2 and "score 6 is outside the scale 0..5" in result.stderr
    result = cli("pulse", "edit", "s1")
    assert result.exit_code == 2 and "say what to change" in result.stderr
    result = cli("pulse", "remove", "s9")
    assert result.exit_code == 3
    assert result.stderr == "hrtrust: error: no pulse result s9\nhint: see `hrtrust pulse list`\n"
    assert snapshot(empty) == before


# -- feedback reopen ---------------------------------------------------------------------------


def test_feedback_reopen(cli: Cli, empty: Path) -> None:
    ok(cli("feedback", "add", "Night shift feels forgotten", "--dept", "Plant"))
    ok(cli("feedback", "act", "f1", "Office hours at 22:00"))
    ok(cli("feedback", "close", "f1"))
    assert ok(cli("feedback", "reopen", "f1")) == "Reopened feedback f1 (1 action so far).\n"
    items = json.loads(ok(cli("feedback", "list", "--json")))
    assert [(f["id"], f["status"], f.get("closed")) for f in items] == [("f1", "acted", None)]
    ok(cli("feedback", "close", "f1"))  # and it can be closed again
    result = cli("feedback", "reopen", "f2")
    assert (result.exit_code, result.stderr) == (
        3,
        "hrtrust: error: no feedback f2\nhint: see `hrtrust feedback list --all`\n",
    )


def test_reopening_an_open_item_is_an_error(cli: Cli, empty: Path) -> None:
    ok(cli("feedback", "add", "Night shift feels forgotten", "--dept", "Plant"))
    before = snapshot(empty)
    result = cli("feedback", "reopen", "f1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "hrtrust: error: feedback f1 is open\nhint: only a closed item can be reopened\n"
    )
    assert snapshot(empty) == before


# -- backup ------------------------------------------------------------------------------------


def test_backup_then_import_into_an_empty_home_is_byte_identical(
    cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import stat

    ok(cli("log", "coffee-chat", "--with", "maria", "--note", "PRIVATE-NOTE", "--learned", "x"))
    ok(cli("pulse", "add", "--dept", "Sales", "--score", "8", "--scale", "10"))
    path = tmp_path / "backup.json"
    out = ok(cli("backup", "--output", str(path)))
    assert out == (
        f"Wrote {path} (24 contacts, 184 log entries, personal notes included).\n"
        f"Restore it into an empty data home with: hrtrust import json {path}\n"
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "PRIVATE-NOTE" in path.read_text(encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8"))["private"] is True

    fresh = tmp_path / "fresh"
    monkeypatch.setenv("HRTRUST_HOME", str(fresh))
    ok(cli("init"))
    restored = ok(cli("import", "json", str(path)))
    assert restored == (
        "Restored 24 contacts, 13 activities, 39 promises, 9 feedback items and 184 log entries "
        f"(12 months) into {fresh}.\n"
    )
    original = {k: v for k, v in snapshot(demo).items() if k.endswith(".toml")}
    assert {k: v for k, v in snapshot(fresh).items() if k.endswith(".toml")} == original
    assert "PRIVATE-NOTE" in ok(cli("log", "show", "2026-11-23.1"))


def test_backup_needs_an_output_file(cli: Cli, demo: Path) -> None:
    result = cli("backup")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "hrtrust: error: missing option '--output' / '-o'\nhint: see `hrtrust backup --help`\n"
    )


def test_export_json_says_it_is_the_shareable_form(cli: Cli, demo: Path, tmp_path: Path) -> None:
    path = tmp_path / "share.json"
    assert ok(cli("export", "json", "--output", str(path))) == (
        f"Wrote {path} (without personal notes, shareable; `hrtrust backup` keeps everything).\n"
    )
    help_text = " ".join(ok(cli("export", "json", "--help")).split())
    assert "for a full backup use `hrtrust backup`" in help_text


# -- grammar -----------------------------------------------------------------------------------


def test_counts_of_one_read_as_one(
    cli: Cli, empty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("contact", "add", "Grace Liu", "--dept", "Legal", "--tag", "manager"))
    assert ok(cli("promise", "add", "Send the contract", "--from", "grace", "--due", "fri")) == (
        "Promise p1: I am waiting for Grace Liu: Send the contract (due Fri Nov 27).\n"
    )
    ok(cli("log", "check-in", "--with", "grace", "--date", "2026-11-20"))
    assert "Legal: only 1 person known: meet more of the team." in ok(cli("report", "coverage"))
    path = tmp_path / "b.json"
    assert ok(cli("backup", "--output", str(path))).startswith(
        f"Wrote {path} (1 contact, 1 log entry, personal notes included).\n"
    )
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("HRTRUST_HOME", str(fresh))
    assert ok(cli("init")).startswith(f"Created {fresh} (empty, 5 files).\n")
    assert ok(cli("import", "json", str(path))) == (
        "Restored 1 contact, 0 activities, 1 promise, 0 feedback items and 1 log entry "
        f"(1 month) into {fresh}.\n"
    )


def test_doctor_reports_a_pulse_id_used_twice(cli: Cli, empty: Path) -> None:
    data = {**OLD_FEEDBACK, "pulse": [dict(p, id="s1") for p in OLD_FEEDBACK["pulse"][:2]]}
    (empty / "feedback.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    result = cli("doctor")
    assert result.exit_code == 9
    assert (
        "problem: feedback.toml: id s1 is used 2 times (ids must be unique)"
        in result.stdout.splitlines()
    )
