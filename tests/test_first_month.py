"""The first month of a new HR partner (issue 26): introductions from week one, new
departments not quiet on day one, reach-outs spread over the week, the new-hire rhythm."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Cli

DAY1 = dt.date(2026, 12, 7)  # a Monday


def ok(cli: Cli, *args: str, today: dt.date = DAY1) -> str:
    result = cli(*args, today=today)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def plan(cli: Cli, today: dt.date = DAY1) -> dict:  # type: ignore[type-arg]
    return dict(json.loads(ok(cli, "plan", "week", "--json", today=today)))


def new_home(cli: Cli) -> None:
    ok(cli, "config", "set", "country", "none")
    for dept in ("Wafer Fab", "Assembly", "Quality"):
        ok(cli, "dept", "add", dept)
        ok(cli, "contact", "add", f"{dept} Ally", "--dept", dept, "--tag", "ally")
        ok(cli, "contact", "add", f"{dept} Boss", "--dept", dept, "--tag", "manager")
        ok(cli, "contact", "add", f"{dept} Peer", "--dept", dept)


def test_week_one_proposes_introductions_apart_from_the_budget(cli: Cli, empty: Path) -> None:
    new_home(cli)
    ok(cli, "config", "set", "reach-out-budget", "1")
    data = plan(cli)
    assert data["introductions"] == {"met": 0, "total": 6}
    intros = [r for r in data["reach_out"] if r["reason"].startswith("introduction")]
    # six to meet within four weeks: two this week, allies first
    assert [r["name"] for r in intros] == ["Assembly Ally", "Quality Ally"]
    days = [r["day"] for r in intros]
    assert len(set(days)) == 2  # spread over the week, not piled on Monday
    text = ok(cli, "plan", "week")
    assert "Introductions: 0 of 6 met" in text


def test_introductions_are_met_by_week_four(cli: Cli, empty: Path) -> None:
    new_home(cli)
    day = DAY1
    met: list[str] = []
    for _ in range(4):
        data = plan(cli, day)
        for r in data["reach_out"]:
            if r["reason"].startswith("introduction"):
                ok(
                    cli,
                    "log",
                    "coffee-chat",
                    "--with",
                    r["id"],
                    "--date",
                    r["day"],
                    today=day + dt.timedelta(days=4),
                )
                met.append(r["name"])
        day += dt.timedelta(days=7)
    assert sorted(met) == sorted(
        f"{d} {t}" for d in ("Wafer Fab", "Assembly", "Quality") for t in ("Ally", "Boss")
    )
    assert plan(cli, day - dt.timedelta(days=7))["introductions"]["met"] >= 4


def test_a_department_added_today_is_not_gone_quiet(cli: Cli, empty: Path) -> None:
    ok(cli, "dept", "add", "Wafer Fab")
    flags = json.loads(ok(cli, "report", "coverage", "--json"))["departments"][0]["flags"]
    assert "gone quiet" not in flags
    later = DAY1 + dt.timedelta(days=15)  # past its two-week window, never touched
    flags = json.loads(ok(cli, "report", "coverage", "--json", today=later))["departments"][0][
        "flags"
    ]
    assert "gone quiet" in flags


def test_a_new_hire_is_tagged_and_checked_in_on_day_30_60_90(cli: Cli, empty: Path) -> None:
    hired = DAY1 - dt.timedelta(days=20)
    ok(cli, "contact", "add", "Nina New", "--dept", "Assembly", "--hired", hired.isoformat())
    shown = json.loads(ok(cli, "contact", "show", "nina", "--json"))
    assert "new-hire" in shown["tags"]
    week_of_day30 = DAY1 + dt.timedelta(days=7)  # day 30 is Dec 17, in the week of Dec 14
    reach = plan(cli, week_of_day30)["reach_out"]
    assert [(r["name"], r["reason"]) for r in reach] == [
        ("Nina New", "onboarding check-in, day 30")
    ]
    ok(
        cli,
        "log",
        "check-in",
        "--with",
        "nina",
        "--date",
        "2026-12-17",
        today=dt.date(2026, 12, 17),
    )
    # next: day 60, not six weeks after the check-in
    reach = plan(cli, dt.date(2027, 1, 18))["reach_out"]  # day 60: Sat Jan 16
    assert [(r["name"], r["reason"]) for r in reach] == [
        ("Nina New", "onboarding check-in, day 60")
    ]
