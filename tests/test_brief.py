"""`hrtrust brief REF`: the pre-meeting screen, on hand-built data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from hrtrust.domain.brief import tenure

D = dt.date


def write(home: Path, rel: str, data: dict[str, Any]) -> None:
    path = home / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps({"schema_version": 1, **data}), encoding="utf-8")


@pytest.fixture
def brief_home(empty: Path) -> Path:
    write(
        empty,
        "config.toml",
        {"timezone": "Asia/Taipei", "department": [{"name": "Plant"}, {"name": "Sales"}]},
    )
    write(
        empty,
        "contacts.toml",
        {
            "contact": [
                {
                    "id": "c1",
                    "name": "Dana Okoro",
                    "dept": "Plant",
                    "role": "Night-Shift Manager",
                    "location": "Taoyuan",
                    "tags": ["manager"],
                    "every": "2w",
                    "birthday": "12-01",
                    "hired": D(2020, 1, 15),
                    "notes": "PRIVATE-NOTE prefers mornings",
                    "learned": [
                        {"date": D(2026, 9, 1), "text": "PRIVATE-FACT-OLD daughter to college"},
                        {"date": D(2026, 11, 2), "text": "PRIVATE-FACT-NEW runs marathons"},
                    ],
                },
                {"id": "c2", "name": "Sam Sales", "dept": "Sales"},
            ]
        },
    )

    def e(eid: str, kind: str, who: list[str], note: str, **more: Any) -> dict[str, Any]:
        day = D.fromisoformat(eid.split(".")[0])
        return {"id": eid, "date": day, "kind": kind, "with": who, "note": note, **more}

    write(
        empty,
        "log/2026-10.toml",
        {"entry": [e("2026-10-01.1", "coffee-chat", ["c1"], "PRIVATE-LOG-1 oldest")]},
    )
    write(
        empty,
        "log/2026-11.toml",
        {
            "entry": [
                e("2026-11-02.1", "one-on-one", ["c1"], "PRIVATE-LOG-2"),
                e("2026-11-05.1", "coffee-chat", ["c2"], "not with Dana"),
                e("2026-11-09.1", "management-meeting", ["c1", "c2"], "PRIVATE-LOG-3"),
                e("2026-11-12.1", "check-in", ["c1"], "PRIVATE-LOG-4 newest"),
                e("2026-11-30.1", "one-on-one", ["c1"], "future, not yet"),
            ]
        },
    )
    write(
        empty,
        "promises.toml",
        {
            "promise": [
                {"id": "p1", "text": "Send the allowance rules", "person": "c1",
                 "made": D(2026, 11, 2), "due": D(2026, 11, 20)},
                {"id": "p2", "text": "Overtime figures", "person": "c1", "direction": "await",
                 "made": D(2026, 11, 2), "due": D(2026, 11, 27)},
                {"id": "p3", "text": "Already done", "person": "c1", "status": "done",
                 "made": D(2026, 10, 1), "due": D(2026, 10, 5), "closed": D(2026, 10, 5)},
                {"id": "p4", "text": "For Sam", "person": "c2",
                 "made": D(2026, 11, 2), "due": D(2026, 11, 25)},
            ]
        },
    )  # fmt: skip
    write(
        empty,
        "activities.toml",
        {
            "activity": [
                {"id": "a1", "title": "Plant management meeting", "kind": "management-meeting",
                 "rule": "FREQ=WEEKLY;BYDAY=WE", "start": D(2026, 1, 7), "at": "09:00",
                 "dept": "Plant"},
                {"id": "a2", "title": "Night-shift walk", "kind": "site-visit",
                 "rule": "FREQ=MONTHLY;BYDAY=1TH", "start": D(2026, 1, 1), "at": "19:00",
                 "with": ["c1"]},
                {"id": "a3", "title": "Sales pipeline", "kind": "department-meeting",
                 "rule": "FREQ=WEEKLY;BYDAY=MO", "start": D(2026, 1, 5), "dept": "Sales"},
                {"id": "a4", "title": "Far off", "kind": "site-visit", "rule": "FREQ=YEARLY",
                 "start": D(2026, 3, 1), "with": ["c1"]},
            ]
        },
    )  # fmt: skip
    write(
        empty,
        "feedback.toml",
        {
            "feedback": [
                {"id": "f1", "text": "Night shift feels forgotten", "person": "c1",
                 "date": D(2026, 9, 9)},
                {"id": "f2", "text": "Closed one", "person": "c1", "date": D(2026, 9, 1),
                 "closed": D(2026, 10, 1)},
            ]
        },
    )  # fmt: skip
    return empty


def test_tenure() -> None:
    assert tenure(D(2020, 1, 15), D(2026, 11, 23)) == (6, 10)
    assert tenure(D(2026, 11, 24), D(2026, 11, 23)) is None
    assert tenure(None, D(2026, 11, 23)) is None
    # a 29 February hire has the anniversary on 28 February, as `plan week` celebrates it
    assert tenure(D(2024, 2, 29), D(2025, 2, 28)) == (1, 0)
    assert tenure(D(2024, 2, 29), D(2025, 2, 27)) == (0, 11)


def test_brief_json_content(cli: Any, brief_home: Path) -> None:
    result = cli("brief", "dana", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["contact"]["name"] == "Dana Okoro"
    assert data["tenure"] == {"years": 6, "months": 10}
    # last touch Nov 12 (the Nov 30 entry is in the future); every 2 weeks: due Nov 26
    assert (data["last_touch"], data["last_kind"], data["days_since"], data["due_in_days"]) == (
        "2026-11-12",
        "check-in",
        11,
        3,
    )
    assert [e["id"] for e in data["recent"]] == ["2026-11-12.1", "2026-11-09.1", "2026-11-02.1"]
    assert [p["id"] for p in data["promises_owed"]] == ["p1"]
    assert data["promises_owed"][0]["outcome"] == "overdue"
    assert [p["id"] for p in data["waiting_for"]] == ["p2"]
    # next 4 weeks = Nov 23 .. Dec 20: Wednesdays Nov 25, Dec 2, 9, 16; first Thursday Dec 3
    assert [(u["activity"], u["next"][:16], u["occurrences"]) for u in data["upcoming"]] == [
        ("a1", "2026-11-25T09:00", 4),
        ("a2", "2026-12-03T19:00", 1),
    ]
    assert data["celebrations"] == [{"day": "2026-12-01", "what": "birthday", "years": None}]
    assert data["open_feedback"] == [
        {"id": "f1", "text": "Night shift feels forgotten", "date": "2026-09-09", "actions": 0}
    ]
    assert "PRIVATE" not in result.stdout


def test_brief_json_private_only_when_asked(cli: Any, brief_home: Path) -> None:
    result = cli("brief", "c1", "--json", "--include-private")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["contact"]["notes"] == "PRIVATE-NOTE prefers mornings"
    assert [f["text"][:16] for f in data["contact"]["learned"]] == [
        "PRIVATE-FACT-OLD",
        "PRIVATE-FACT-NEW",
    ]
    assert data["recent"][0]["note"] == "PRIVATE-LOG-4 newest"


def test_brief_in_the_terminal(cli: Any, brief_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("brief", "Dana")
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()
    assert len(lines) <= 30
    assert all(len(line) <= 80 for line in lines)
    assert "\x1b[" not in out
    assert lines[0].startswith("Dana Okoro  (c1)  Night-Shift Manager · Plant")
    assert "6 years 10 months at the company (hired Jan 2020)" in lines[1]
    assert "Last touch 11d ago (check in); cadence every 2 weeks: next due in 3d" in out
    assert "Celebrate: birthday on Tue Dec 1" in out
    # the user's own screen: notes and the newest facts first
    assert "PRIVATE-NOTE prefers mornings" in out
    assert out.index("PRIVATE-FACT-NEW") < out.index("PRIVATE-FACT-OLD")
    assert "PRIVATE-LOG-4" in out and "PRIVATE-LOG-1" not in out  # only the last three
    assert "due Nov 20 (3d ago)  I owe" in out
    assert "they owe  p2 Overtime figures" in out
    assert "Already done" not in out and "For Sam" not in out
    assert "Wed Nov 25 09:00  Plant management meeting (+3 more)" in out
    assert "Sales pipeline" not in out and "Far off" not in out
    assert "f1 75d  Night shift feels forgotten (no action yet)" in out


def test_brief_overdue_cadence_and_nobody_logged(cli: Any, brief_home: Path) -> None:
    later = cli.__class__(D(2026, 11, 29))
    assert "cadence every 2 weeks: 3d overdue" in later("brief", "dana").stdout
    out = cli("brief", "sam").stdout
    # with Sam on Nov 5 and Nov 9; no cadence or tag: the default, every 6 weeks
    assert "Last touch 14d ago (management meeting); cadence every 6 weeks: next due in 28d" in out
    assert "For Sam" in out


def test_brief_unknown_person(cli: Any, brief_home: Path) -> None:
    result = cli("brief", "dnaa")
    assert result.exit_code == 3
    assert "did you mean" in result.stderr
