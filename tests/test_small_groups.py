"""Small groups are never shown: no pulse score and no attributed survey feedback from fewer
than `min_responses` (5, never below 3) respondents, in any output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import raw_toml, snapshot
from hrtrust.domain.reports import pulse_report
from hrtrust.models import Config, Department, Pulse

SECRET = "Our team lead never listens"
HIDDEN_SCORE = "2.0"


def ok(result: Any) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return str(result.stdout)


@pytest.fixture
def surveyed(cli: Any, empty: Path) -> Path:
    """Sales (40 people) answered in numbers; Legal (6 people) had 4 answers this time."""
    with (empty / "config.toml").open("a", encoding="utf-8") as fh:
        fh.write(
            '\n[[department]]\nname = "Sales"\nheadcount = 40\n'
            '\n[[department]]\nname = "Legal"\nheadcount = 6\n'
        )
    pulse = ("pulse", "add", "--dept")
    assert ok(cli(*pulse, "Sales", "--score", "3.5", "--responses", "30", "--date", "2026-06-15"))
    out = ok(cli(*pulse, "Sales", "--score", "3.9", "--responses", "32", "--date", "2026-11-18"))
    assert out == "Recorded pulse s2 for Sales on 2026-11-18: 3.9 / 5 (32 answered).\n"
    ok(cli(*pulse, "Legal", "--score", "4.0", "--responses", "5", "--date", "2026-06-15"))
    ok(cli(*pulse, "Legal", "--score", HIDDEN_SCORE, "--responses", "4", "--date", "2026-11-17"))
    fb = ("feedback", "add")
    ok(cli(*fb, SECRET, "--dept", "Legal", "--responses", "3", "--date", "2026-11-02"))
    ok(
        cli(
            *fb,
            "Need more training",
            "--dept",
            "Sales",
            "--responses",
            "25",
            "--date",
            "2026-11-02",
        )
    )
    ok(cli("feedback", "act", "f1", "Talked to the lead", "--date", "2026-11-10"))
    ok(cli("feedback", "act", "f2", "Budget approved", "--date", "2026-11-10"))
    return empty


def test_report_pulse_text(cli: Any, surveyed: Path) -> None:
    out = ok(cli("report", "pulse", env={"COLUMNS": "120"}))
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert lines[3] == "Sales ▁▇ 3.9 / 5 +0.4 Nov 2026, 32 of 40 answered (80%)"
    assert lines[4] == "Legal █ fewer than 5 responses Nov 2026, 4 of 6 answered (67%)"
    assert lines[5] == (
        "1 result from fewer than 5 responses not shown, so no one can be singled out."
    )
    assert HIDDEN_SCORE not in out and "2.0 / 5" not in out


def test_report_pulse_json(cli: Any, surveyed: Path) -> None:
    sales, legal = json.loads(ok(cli("report", "pulse", "--json")))
    assert (sales["latest"], sales["change"], sales["participation"]) == (3.9, 0.4, 0.8)
    assert legal == {
        "dept": "Legal",
        "latest": None,
        "latest_date": "2026-11-17",
        "scale": 5.0,
        "change": None,
        "streak": 0,
        "suppressed": "fewer than 5 responses",
        "hidden_results": 1,
        "responses": 4,
        "headcount": 6,
        "participation": 0.6667,
        "results": [{"id": "s3", "date": "2026-06-15", "score": 4.0, "responses": 5}],
    }


def test_report_feedback_hides_small_group_items(cli: Any, surveyed: Path) -> None:
    out = ok(cli("report", "feedback"))
    assert out.splitlines()[2:6] == [
        "f1  21d  fewer than 5 responses",
        "(not shown, so no one can be singled out)",
        "Nov 10    (not shown)",
        "acted, last 13d ago: tell them, then `hrtrust feedback close f1`",
    ]
    assert SECRET not in out and "Talked to the lead" not in out and "Legal" not in out
    assert "Need more training" in out
    items = json.loads(ok(cli("report", "feedback", "--json")))
    assert items[0] == {
        "id": "f1",
        "date": "2026-11-02",
        "actions": [{"date": "2026-11-10"}],
        "responses": 3,
        "suppressed": "fewer than 5 responses",
        "age_days": 21,
        "days_since_action": 13,
        "status": "acted",
    }
    markdown = ok(cli("report", "feedback", "--markdown"))
    assert SECRET not in markdown and "Legal" not in markdown
    assert markdown.endswith(
        "*1 more item from fewer than 5 responses: not shown, so no one can be singled out.*\n"
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_digest_shows_the_weeks_pulse_without_small_groups(
    cli: Any, surveyed: Path, fmt: str
) -> None:
    out = ok(cli("digest", "--format", fmt))
    assert SECRET not in out and "2.0 / 5" not in out and '"score": 2.0' not in out
    if fmt == "json":
        sales, legal = json.loads(out)["review"]["pulse"]
        assert (sales["latest"], legal["latest"], legal["suppressed"]) == (
            3.9,
            None,
            "fewer than 5 responses",
        )
        assert [r["score"] for r in legal["results"]] == [4.0]
        return
    assert "3.9 / 5 (+0.4)" in out and "32 of 40 answered (80%)" in out
    assert "fewer than 5 responses" in out and "4 of 6 answered (67%)" in out
    if fmt == "text":
        at = out.splitlines().index("Trust pulse results")
        assert [line.rstrip() for line in out.splitlines()[at + 1 : at + 5]] == [
            "Sales  3.9 / 5 (+0.4)",
            "       32 of 40 answered (80%)",
            "Legal  fewer than 5 responses",
            "       4 of 6 answered (67%)",
        ]


def test_min_responses_is_configurable_but_not_below_three(cli: Any, surveyed: Path) -> None:
    config = surveyed / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("min_responses = 5\n", "min_responses = 3\n"))
    legal = json.loads(ok(cli("report", "pulse", "--json")))[1]
    assert (legal["latest"], legal["suppressed"], legal["change"]) == (2.0, None, -2.0)
    out = ok(cli("report", "feedback"))
    assert SECRET in out  # 3 respondents are enough now
    config.write_text(text.replace("min_responses = 5\n", "min_responses = 2\n"))
    result = cli("report", "pulse")
    assert result.exit_code == 5
    assert "min_responses" in result.stderr and "greater than or equal to 3" in result.stderr


def test_config_set_min_responses_is_checked_and_applied(cli: Any, surveyed: Path) -> None:
    assert ok(cli("config", "set", "min_responses", "3")) == "min-responses = 3\n"
    assert raw_toml(surveyed / "config.toml")["min_responses"] == 3
    legal = json.loads(ok(cli("report", "pulse", "--json")))[1]
    assert (legal["latest"], legal["suppressed"]) == (2.0, None)
    shown = [line.rstrip() for line in ok(cli("config", "show")).splitlines()]
    assert "min-responses      3             fewest answers a survey result needs" in shown
    assert json.loads(ok(cli("config", "show", "--json")))["min-responses"] == 3
    before = snapshot(surveyed)
    for value in ("2", "five", "1001"):
        result = cli("config", "set", "min-responses", value)
        assert (result.exit_code, result.stdout) == (2, ""), value
        assert result.stderr == (
            f"hrtrust: error: min-responses must be a whole number from 3 to 1000, not {value!r}\n"
            "hint: a smaller group could single people out; e.g. hrtrust config set "
            "min-responses 5\n"
        )
    assert snapshot(surveyed) == before
    assert ok(cli("config", "set", "min-responses", "7")) == "min-responses = 7\n"
    sales = json.loads(ok(cli("report", "pulse", "--json")))[0]
    assert sales["latest"] == 3.9  # 32 answered: still shown


def test_pulse_list_hides_a_small_groups_score_and_edit_records_responses(
    cli: Any, surveyed: Path
) -> None:
    assert ok(cli("pulse", "list", "--dept", "Legal")) == (
        "ID   Date         Department                    Score   Answered\n"
        "────────────────────────────────────────────────────────────────\n"
        "s3   2026-06-15   Legal                         4 / 5          5\n"
        "s4   2026-11-17   Legal        fewer than 5 responses          4\n"
    )
    rows = json.loads(ok(cli("pulse", "list", "--dept", "Legal", "--json")))
    assert rows[1] == {
        "id": "s4",
        "dept": "Legal",
        "date": "2026-11-17",
        "score": None,
        "scale": 5.0,
        "responses": 4,
        "suppressed": "fewer than 5 responses",
    }
    assert HIDDEN_SCORE not in ok(cli("pulse", "list"))
    # A count recorded late (or corrected) applies at once.
    assert ok(cli("pulse", "edit", "s4", "--responses", "6")) == (
        "Updated pulse s4: Legal on 2026-11-17: 2 / 5 (6 answered).\n"
    )
    assert json.loads(ok(cli("pulse", "list", "--dept", "Legal", "--json")))[1]["score"] == 2.0
    legal = json.loads(ok(cli("report", "pulse", "--json")))[1]
    assert (legal["latest"], legal["responses"]) == (2.0, 6)
    result = cli("pulse", "edit", "s4", "--responses", "0")
    assert result.exit_code == 2
    assert result.stderr == "hrtrust: error: --responses must be at least 1, not 0\n"


def test_responses_must_be_positive(cli: Any, surveyed: Path) -> None:
    result = cli("pulse", "add", "--dept", "Sales", "--score", "3", "--responses", "0")
    assert result.exit_code == 2
    assert result.stderr == "hrtrust: error: --responses must be at least 1, not 0\n"


def test_pulse_report_unit() -> None:
    day = dt.date(2026, 11, 1)
    config = Config(department=[Department(name="Ops", headcount=10)])
    pulses = [
        Pulse(dept="Ops", date=day.replace(month=3), score=3.0, responses=8),
        Pulse(dept="Ops", date=day.replace(month=6), score=4.5, responses=2),  # hidden
        Pulse(dept="Ops", date=day, score=3.5, responses=9),
        Pulse(dept="Unknown", date=day, score=4.0),  # no count recorded: shown
    ]
    ops, unknown = pulse_report(pulses, config, day)
    assert [p.score for p in ops.points] == [3.0, 3.5]
    assert (ops.latest, ops.change, ops.hidden, ops.participation) == (3.5, 0.5, 1, 0.9)
    assert (unknown.latest, unknown.participation, unknown.hidden) == (4.0, None, 0)
