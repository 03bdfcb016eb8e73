"""`hrtrust plan week`: activities, reach-outs, celebrations and coverage, as data and as text."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from conftest import Cli
from hrtrust.domain.planning import celebrations, lapses
from hrtrust.models import Config, Contact


def set_config(home: Path, **values: Any) -> None:
    path = home / "config.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def plan(cli: Cli, *args: str, today: dt.date | None = None) -> dict[str, Any]:
    result = cli("plan", "week", "--json", *args, today=today)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def occurrences(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["start"], a["title"]) for d in data["days"] for a in d["activities"]]


@pytest.fixture
def routine(cli: Cli, empty: Path) -> Path:
    """The seeds' own routine, entered with the CLI."""
    cmds = [
        [
            "Engineering staff meeting",
            "--kind",
            "department-meeting",
            "--rule",
            "weekly on tue",
            "--at",
            "10:00",
            "--dept",
            "Engineering",
            "--start",
            "2026-11-01",
        ],
        [
            "Lunch & learn",
            "--kind",
            "lunch-and-learn",
            "--rule",
            "monthly on first thu",
            "--at",
            "12:00",
            "--duration",
            "90m",
            "--start",
            "2026-11-01",
        ],
        ["HR newsletter", "--kind", "newsletter", "--rule", "quarterly", "--start", "2026-10-01"],
        [
            "Peer lunch",
            "--kind",
            "peer-lunch",
            "--rule",
            "monthly on last fri",
            "--at",
            "12:30",
            "--start",
            "2026-11-01",
        ],
        [
            "HR operations sync",
            "--kind",
            "hr-ops-sync",
            "--rule",
            "every 2 weeks on thu",
            "--at",
            "14:00",
            "--start",
            "2026-11-26",
        ],
    ]
    for args in cmds:
        result = cli("activity", "add", *args)
        assert result.exit_code == 0, result.stderr
    return empty


def test_the_seeds_routine_lands_on_the_right_days(cli: Cli, routine: Path) -> None:
    weeks = {
        "2026-W48": [
            ("2026-11-24T10:00:00+08:00", "Engineering staff meeting"),
            ("2026-11-26T14:00:00+08:00", "HR operations sync"),
            ("2026-11-27T12:30:00+08:00", "Peer lunch"),
        ],
        "2026-W49": [
            ("2026-12-01T10:00:00+08:00", "Engineering staff meeting"),
            ("2026-12-03T12:00:00+08:00", "Lunch & learn"),
        ],
        "2026-W50": [
            ("2026-12-08T10:00:00+08:00", "Engineering staff meeting"),
            ("2026-12-10T14:00:00+08:00", "HR operations sync"),
        ],
        "2026-W53": [
            ("2026-12-29T10:00:00+08:00", "Engineering staff meeting"),
            ("2027-01-01T00:00:00+08:00", "HR newsletter"),  # all day, the quarter's first
        ],
        "2027-W01": [
            ("2027-01-05T10:00:00+08:00", "Engineering staff meeting"),
            ("2027-01-07T12:00:00+08:00", "Lunch & learn"),
            ("2027-01-07T14:00:00+08:00", "HR operations sync"),
        ],
    }
    for week, expected in weeks.items():
        assert occurrences(plan(cli, "--week", week)) == expected, week


def test_skip_removes_one_occurrence(cli: Cli, routine: Path) -> None:
    assert cli("activity", "skip", "a1", "2026-12-01").exit_code == 0
    assert occurrences(plan(cli, "--week", "2026-W49")) == [
        ("2026-12-03T12:00:00+08:00", "Lunch & learn")
    ]


def test_meeting_time_stays_local_across_dst(cli: Cli, empty: Path) -> None:
    set_config(empty, timezone="America/New_York")
    cli(
        "activity",
        "add",
        "Sync",
        "--kind",
        "hr-ops-sync",
        "--rule",
        "weekly on mon",
        "--at",
        "10:00",
        "--start",
        "2026-03-01",
    )
    before = occurrences(plan(cli, "--week", "2026-W10"))
    after = occurrences(plan(cli, "--week", "2026-W11"))
    assert before == [("2026-03-02T10:00:00-05:00", "Sync")]
    assert after == [("2026-03-09T10:00:00-04:00", "Sync")]


def test_next_and_week_options(cli: Cli, routine: Path) -> None:
    assert plan(cli)["week"] == "2026-W48"
    assert plan(cli, "--next")["week"] == "2026-W49"
    assert plan(cli, "--week", "2027-w01")["start"] == "2027-01-04"
    both = cli("plan", "week", "--next", "--week", "2026-W50")
    assert both.exit_code == 2
    bad = cli("plan", "week", "--week", "2026-W60")
    assert bad.exit_code == 2
    assert "2026-W49" in bad.stderr


def test_cadence_from_tags_versus_per_contact() -> None:
    config = Config()
    today = dt.date(2026, 11, 23)
    people = [
        Contact(id="c1", name="Ally", tags=["ally"]),
        Contact(id="c2", name="Boss", tags=["manager", "ally"]),
        Contact(id="c3", name="Own", tags=["ally"], every="10d"),
        Contact(id="c4", name="Plain"),
    ]
    seen = {c.id: dt.date(2026, 11, 1) for c in people}
    got = {
        x.contact.name: (x.cadence, x.due.isoformat())
        for x in lapses(people, config, seen, today, horizon=dt.date(2026, 12, 31))
    }
    assert got == {
        "Ally": ("2w", "2026-11-15"),
        "Boss": ("2w", "2026-11-15"),  # the shortest of its tags
        "Own": ("10d", "2026-11-11"),
        "Plain": ("6w", "2026-12-13"),
    }


def test_ranking_ties_are_broken_by_due_then_name_then_id() -> None:
    config = Config()
    today = dt.date(2026, 11, 23)
    people = [
        Contact(id="c3", name="Bo"),
        Contact(id="c1", name="bo"),
        Contact(id="c2", name="Al"),
    ]
    seen = {c.id: dt.date(2026, 9, 1) for c in people}
    order = [x.contact.id for x in lapses(people, config, seen, today)]
    assert order == ["c2", "c1", "c3"]
    assert order == [x.contact.id for x in lapses(list(reversed(people)), config, seen, today)]


def test_feb_29_birthday_in_a_common_year_and_anniversary_years() -> None:
    people = [
        Contact(id="c1", name="Leap", birthday="02-29"),
        Contact(id="c2", name="Ten", hired=dt.date(2017, 2, 26)),
        Contact(id="c3", name="New", hired=dt.date(2027, 2, 24)),
    ]
    got = [
        (c.contact.name, c.day.isoformat(), c.what, c.years)
        for c in celebrations(people, dt.date(2027, 2, 22), dt.date(2027, 2, 28))
    ]
    assert got == [
        ("Ten", "2027-02-26", "anniversary", 10),
        ("Leap", "2027-02-28", "birthday", None),
    ]
    leap = celebrations(people, dt.date(2028, 2, 28), dt.date(2028, 3, 1))
    assert [(c.contact.name, c.day.isoformat()) for c in leap] == [("Leap", "2028-02-29")]


def test_department_without_an_ally_is_flagged_with_candidates(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Sam Boss", "--dept", "Sales", "--tag", "manager")
    cli("contact", "add", "Una Quiet", "--dept", "Sales")
    cli("contact", "add", "Vic Busy", "--dept", "Sales")
    cli("contact", "add", "Ally One", "--dept", "Engineering", "--tag", "ally")
    cli("log", "coffee-chat", "-w", "vic", "--date", "2026-11-02")
    cli("log", "coffee-chat", "-w", "vic", "--date", "2026-11-16")
    cli("log", "coffee-chat", "-w", "ally one", "--date", "2026-09-01")
    cov = {c["dept"]: c for c in plan(cli)["coverage"]}
    assert cov["Sales"]["allies"] == []
    assert cov["Sales"]["ally_candidates"] == ["Vic Busy", "Una Quiet"]  # not the manager
    assert (cov["Sales"]["days_since"], cov["Sales"]["gap"]) == (7, False)
    assert cov["Engineering"]["allies"] == ["Ally One"]
    assert (cov["Engineering"]["days_since"], cov["Engineering"]["gap"]) == (83, True)
    text = cli("plan", "week").stdout
    assert "no HR ally (人資之友) yet; could be: Vic Busy, Una Quiet" in text


def test_reach_out_budget_and_full_days(cli: Cli, empty: Path) -> None:
    set_config(empty, reach_out_per_week=3, max_per_day=1)
    for name in ("A One", "B Two", "C Three", "D Four"):
        cli("contact", "add", name, today=dt.date(2026, 9, 1))  # first due Oct 13: overdue
    cli(
        "activity",
        "add",
        "Tuesday thing",
        "--kind",
        "check-in",
        "--rule",
        "weekly on tue",
        "--at",
        "09:00",
        "--start",
        "2026-11-01",
    )
    data = plan(cli)
    reach = data["reach_out"]
    assert len(reach) == 3
    assert data["more_due"] == 1
    days = [r["day"] for r in reach]
    assert "2026-11-24" not in days  # Tuesday is full
    assert days == ["2026-11-23", "2026-11-25", "2026-11-26"]


def test_days_already_past_get_no_suggestions(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "A One", today=dt.date(2026, 9, 1))
    data = plan(cli, today=dt.date(2026, 11, 26))
    assert [r["day"] for r in data["reach_out"]] == ["2026-11-26"]


def test_json_and_text_carry_the_same_items(cli: Cli, demo: Path) -> None:
    data = plan(cli)
    text = cli("plan", "week").stdout
    for r in data["reach_out"]:
        assert r["name"] in text
    for d in data["days"]:
        for a in d["activities"]:
            assert a["title"] in text
        for p in d["promises_due"]:
            assert f"{p['id']} " in text
    for p in data["overdue"]["promises_owed"] + data["overdue"]["waiting_for"]:
        assert f"{p['id']} " in text
    for c in data["celebrations"]:
        assert c["name"] in text
    for c in data["coverage"]:
        assert c["dept"] in text


def test_demo_plan_shows_every_section(cli: Cli, demo: Path) -> None:
    data = plan(cli)
    assert data["overdue"]["promises_owed"] and data["overdue"]["waiting_for"]
    assert all(d["activities"] for d in data["days"])
    assert any(d["promises_due"] for d in data["days"])
    assert len(data["reach_out"]) == 5
    assert {c["what"] for c in data["celebrations"]} == {"birthday", "anniversary"}
    assert any(c["gap"] for c in data["coverage"])
    assert any(not c["allies"] for c in data["coverage"])
    text = cli("plan", "week").stdout
    for heading in (
        "Overdue: do these first",
        "MONDAY NOV 23",
        "FRIDAY NOV 27",
        "reach out",
        "celebrate",
        "Coverage and HR allies",
    ):
        assert heading in text
    assert "\x1b[" not in text


def test_private_hooks_stay_out_of_json_unless_asked(cli: Cli, demo: Path) -> None:
    plain = json.dumps(plan(cli)["reach_out"], ensure_ascii=False)
    assert "ask about" not in plain
    private = json.dumps(plan(cli, "--include-private")["reach_out"], ensure_ascii=False)
    assert "ask about" in private


def test_a_weekend_birthday_is_celebrated_on_friday(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Sat Born", "--birthday", "11-28")
    fri = [d for d in plan(cli)["days"] if d["date"] == "2026-11-27"][0]
    assert [(c["name"], c["day"]) for c in fri["celebrations"]] == [("Sat Born", "2026-11-28")]
    assert "Sat Born: birthday (on Sat Nov 28)" in cli("plan", "week").stdout
