"""`export json | csv` and `import json`: the whole data set out, and back exactly."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest

from conftest import Cli, snapshot


def tomls(home: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(home).items() if k.endswith(".toml")}


def test_export_then_import_into_an_empty_home_is_byte_identical(
    cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "backup.json"
    result = cli("export", "json", "--include-private", "--output", str(backup))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh"
    monkeypatch.setenv("HRTRUST_HOME", str(fresh))
    assert cli("init", "--timezone", "Europe/Berlin").exit_code == 0
    result = cli("import", "json", str(backup))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Restored 24 contacts, 13 activities, 39 promises, 9 feedback items and 183 log entries "
        f"(12 months) into {fresh}.\n"
    )
    original = tomls(demo)
    assert sorted(original) == [
        "activities.toml",
        "config.toml",
        "contacts.toml",
        "feedback.toml",
        "log/2025-12.toml",
        *(f"log/2026-{m:02d}.toml" for m in range(1, 12)),
        "promises.toml",
    ]
    assert tomls(fresh) == original


def test_export_json_shape_and_privacy(cli: Cli, demo: Path) -> None:
    result = cli("export", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["format"], data["format_version"], data["exported"]) == (
        "hrtrust-export",
        1,
        "2026-11-23",
    )
    assert data["private"] is False
    assert sorted(data) == [
        "activities",
        "config",
        "contacts",
        "exported",
        "feedback",
        "format",
        "format_version",
        "log",
        "private",
        "promises",
    ]
    assert data["config"]["timezone"] == "Asia/Taipei"
    assert data["contacts"]["contact"][1]["name"] == "王小明"  # not \u escapes
    assert "王小明" in result.stdout
    assert sorted(data["log"]) == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    assert data["feedback"]["pulse"]  # pulse results are part of feedback
    for secret in (
        "Prefers LINE messages",
        "Second child",
        "Day-one welcome coffee",
        "shutdown week",
    ):
        assert secret not in result.stdout
    private = cli("export", "json", "--include-private").stdout
    for secret in (
        "Prefers LINE messages",
        "Second child",
        "Day-one welcome coffee",
        "shutdown week",
    ):
        assert secret in private


def test_import_json_refuses_a_home_with_data(cli: Cli, demo: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    backup.write_text(cli("export", "json").stdout, encoding="utf-8")
    before = snapshot(demo)
    result = cli("import", "json", str(backup))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"hrtrust: error: {demo} already holds data (24 contacts, 13 activities, 39 promises, "
        "9 feedback items, 12 log months); import json only restores into an empty data home\n"
    )
    assert snapshot(demo) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not JSON (Expecting property name enclosed in double quotes)"),
        ('{"format": "other"}', "not an hrtrust export"),
        (
            '{"format": "hrtrust-export", "format_version": 9}',
            "export format version 9; this hrtrust reads 1",
        ),
        (
            '{"format": "hrtrust-export", "format_version": 1, '
            '"contacts": {"contact": [{"id": "c1"}]}}',
            "contacts.contact.0.name: Field required",
        ),
    ],
)
def test_import_json_rejects_bad_files(
    cli: Cli, empty: Path, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    before = snapshot(empty)
    result = cli("import", "json", str(path))
    assert result.exit_code == 2
    assert message in result.stderr.splitlines()[0]
    assert snapshot(empty) == before


def test_export_csv_is_excel_friendly(cli: Cli, demo: Path) -> None:
    result = cli("export", "csv")
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfid,name,dept,role,location,email,manager,tags,every,")
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 24
    assert rows[1]["name"] == "王小明"
    assert rows[0]["role"] == "Engineering Manager, Product Software"
    assert rows[0]["tags"] == "manager"
    assert "notes" not in rows[0]
    assert "Prefers LINE" not in raw.decode("utf-8")
    private = list(
        csv.DictReader(
            io.StringIO(cli("export", "csv", "--include-private").stdout_bytes.decode("utf-8-sig"))
        )
    )
    assert private[1]["notes"].startswith("Prefers LINE messages")
    assert private[1]["learned"] == "2026-08-18: Second child, a son, born last month"
