"""The feedback loop (add, act, close, list) and pulse results, through the CLI."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from conftest import snapshot


@pytest.fixture
def home_with_people(empty: Path) -> Path:
    config = tomllib.loads((empty / "config.toml").read_text(encoding="utf-8"))
    config["department"] = [
        {"name": "Manufacturing", "window": "2w"},
        {"name": "Sales", "window": "2w"},
        {"name": "HR", "client": False},
    ]
    (empty / "config.toml").write_text(tomli_w.dumps(config), encoding="utf-8")
    contacts = {
        "schema_version": 1,
        "next_id": 3,
        "contact": [
            {"id": "c1", "name": "林美玲", "dept": "Manufacturing", "notes": "SECRET"},
            {"id": "c2", "name": "Sam Sales", "dept": "Sales"},
        ],
    }
    (empty / "contacts.toml").write_text(tomli_w.dumps(contacts), encoding="utf-8")
    return empty


def feedback_file(home: Path) -> dict[str, Any]:
    return tomllib.loads((home / "feedback.toml").read_text(encoding="utf-8"))


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    out: str = result.stdout
    return out


def test_feedback_life_cycle(cli: Any, home_with_people: Path) -> None:
    home = home_with_people
    out = ok(cli("feedback", "add", "Handover forms take too long", "--from", "林"))
    assert out == "Feedback f1 from 林美玲: Handover forms take too long\n"
    out = ok(cli("feedback", "add", "Commission rules unclear", "--dept", "sales", "--date", "-3d"))
    assert out == "Feedback f2 from Sales: Commission rules unclear\n"
    data = feedback_file(home)
    assert data["next_id"] == 3
    f1, f2 = data["feedback"]
    # from a person: attributed to their department too
    assert (f1["id"], f1["person"], f1["dept"], str(f1["date"])) == (
        "f1",
        "c1",
        "Manufacturing",
        "2026-11-23",
    )
    assert (f2["id"], "person" in f2, f2["dept"], str(f2["date"])) == (
        "f2",
        False,
        "Sales",
        "2026-11-20",
    )

    ok(cli("feedback", "act", "f1", "Collected the three forms"))
    ok(cli("feedback", "act", "1", "Drafted a one-page form", "--date", "2026-11-25"))
    f1 = feedback_file(home)["feedback"][0]
    assert [(str(a["date"]), a["text"]) for a in f1["actions"]] == [
        ("2026-11-23", "Collected the three forms"),
        ("2026-11-25", "Drafted a one-page form"),
    ]
    listed = json.loads(ok(cli("feedback", "list", "--json")))
    assert [(f["id"], f["status"], f["age_days"]) for f in listed] == [
        ("f2", "new", 3),
        ("f1", "acted", 0),
    ]
    assert "SECRET" not in json.dumps(listed)

    assert ok(cli("feedback", "close", "f1")) == "Closed feedback f1.\n"
    assert feedback_file(home)["feedback"][0]["closed"].isoformat() == "2026-11-23"
    assert [f["id"] for f in json.loads(ok(cli("feedback", "list", "--json")))] == ["f2"]
    everything = json.loads(ok(cli("feedback", "list", "--all", "--json")))
    assert [(f["id"], f["status"]) for f in everything] == [("f2", "new"), ("f1", "closed")]

    # a closed item takes no more actions, and nothing is written
    before = snapshot(home)
    result = cli("feedback", "act", "f1", "One more thing")
    assert result.exit_code == 2
    assert "feedback f1 was closed on 2026-11-23" in result.stderr
    assert snapshot(home) == before

    text = ok(cli("feedback", "list", "--all"))
    assert "closed Nov 23" in text and "no action yet" in text


def test_ids_are_never_reused(cli: Any, home_with_people: Path) -> None:
    ok(cli("feedback", "add", "one", "--dept", "Sales"))
    data = feedback_file(home_with_people)
    data["feedback"] = []  # deleted by hand: f1 must not come back
    (home_with_people / "feedback.toml").write_text(tomli_w.dumps(data), encoding="utf-8")
    assert ok(cli("feedback", "add", "two", "--dept", "Sales")).startswith("Feedback f2 ")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["feedback", "add", "x"], 2, "say who it came from"),
        (["feedback", "add", "x", "--dept", "manufactring"], 2, "did you mean Manufacturing?"),
        (["feedback", "add", "x", "--from", "nobody"], 3, "no contact matches"),
        (["feedback", "add", "  ", "--dept", "Sales"], 2, "needs some text"),
        (["feedback", "act", "f9", "did it"], 3, "no feedback f9"),
        (["feedback", "close", "f9"], 3, "no feedback f9"),
        (["pulse", "add", "--dept", "Manufactring", "--score", "3"], 2, "did you mean"),
        (["pulse", "add", "--dept", "Sales", "--score", "5.5"], 2, "outside the scale 0..5"),
        (["pulse", "add", "--dept", "Sales", "--score", "-1"], 2, "outside the scale 0..5"),
        (["pulse", "add", "--dept", "Sales", "--score", "11", "--scale", "10"], 2, "0..10"),
        (["pulse", "add", "--dept", "Sales", "--score", "1", "--scale", "0"], 2, "positive"),
        (["pulse", "add", "--dept", "Sales", "--score", "1", "--date", "someday"], 2, "date"),
    ],
)
def test_bad_input_changes_nothing(
    cli: Any, home_with_people: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(home_with_people)
    result = cli(*args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert snapshot(home_with_people) == before


def test_pulse_add(cli: Any, home_with_people: Path) -> None:
    home = home_with_people
    out = ok(
        cli("pulse", "add", "--dept", "MANUFACTURING", "--score", "3.4", "--date", "2026-09-15")
    )
    assert out == "Recorded pulse s1 for Manufacturing on 2026-09-15: 3.4 / 5.\n"
    ok(cli("pulse", "add", "--dept", "sales", "--score", "8", "--scale", "10"))
    out = ok(
        cli("pulse", "add", "--dept", "Manufacturing", "--score", "3.1", "--date", "2026-09-15")
    )
    assert out.startswith("Replaced the pulse s1 for Manufacturing on 2026-09-15")
    pulses = feedback_file(home)["pulse"]
    assert [(p["dept"], str(p["date"]), p["score"], p.get("scale")) for p in pulses] == [
        ("Manufacturing", "2026-09-15", 3.1, None),
        ("Sales", "2026-11-23", 8.0, 10),
    ]
    trends = json.loads(ok(cli("report", "pulse", "--json")))
    assert [(t["dept"], t["latest"], t["scale"]) for t in trends] == [
        ("Manufacturing", 3.1, 5.0),
        ("Sales", 8.0, 10.0),
    ]


def test_departments_from_contacts_when_none_configured(cli: Any, empty: Path) -> None:
    ok(cli("contact", "add", "Ann", "--dept", "Plant"))
    assert ok(cli("pulse", "add", "--dept", "plant", "--score", "4")).startswith(
        "Recorded pulse s1 for Plant"
    )
    result = cli("pulse", "add", "--dept", "Plnat", "--score", "4")
    assert result.exit_code == 2 and "did you mean Plant?" in result.stderr
