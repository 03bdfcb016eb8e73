"""People: new ones are due one cadence after they were added; paused and archived people."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli

D = dt.date
SEPT = D(2026, 9, 1)  # added then with the default 6-week cadence: first due Oct 13


def jcli(cli: Cli, *args: str, today: D = TODAY) -> Any:
    r = cli(*args, "--json", today=today)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_a_new_contact_is_first_due_one_cadence_after_it_was_added(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Maria Chen", "--dept", "Sales", "--every", "quarterly")
    tomorrow = TODAY + dt.timedelta(days=1)
    assert jcli(cli, "overdue", today=tomorrow)["lapsed_contacts"] == []
    assert jcli(cli, "plan", "week")["reach_out"] == []
    late = jcli(cli, "overdue", today=D(2027, 2, 24))["lapsed_contacts"]
    assert [(x["name"], x["due"], x["days_over"]) for x in late] == [
        ("Maria Chen", "2027-02-23", 1)
    ]


def test_plan_more_beyond_the_budget_agrees_with_overdue(cli: Cli, empty: Path) -> None:
    for i in range(6):
        cli("contact", "add", f"Person {i}", today=SEPT)
    cli("contact", "add", "Zed Due Wednesday", today=SEPT)
    cli("log", "coffee-chat", "--with", "zed", today=D(2026, 10, 14))  # due Wed Nov 25
    plan = jcli(cli, "plan", "week")
    overdue = jcli(cli, "overdue")["lapsed_contacts"]
    assert len(overdue) == 6
    assert (len(plan["reach_out"]), plan["more_due"]) == (5, 1)
    shown = {r["contact"]["id"] if "contact" in r else r["id"] for r in plan["reach_out"]}
    assert len(shown) + plan["more_due"] == len(overdue)


def test_a_paused_person_is_not_due_until_the_pause_ends(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Maria Chen", "--dept", "Sales", today=SEPT)
    assert [x["name"] for x in jcli(cli, "overdue")["lapsed_contacts"]] == ["Maria Chen"]
    r = cli("contact", "pause", "maria", "--until", "2027-02-01", "--reason", "parental leave")
    assert (r.exit_code, r.stdout) == (0, "Paused Maria Chen (c1) until Mon Feb 1, 2027.\n")
    assert jcli(cli, "overdue")["lapsed_contacts"] == []
    assert jcli(cli, "plan", "week")["reach_out"] == []
    listed = cli("contact", "list").stdout
    assert "(paused until Feb 1, 2027)" in listed
    assert "parental leave" not in json.dumps(jcli(cli, "contact", "list"))  # private
    back = jcli(cli, "overdue", today=D(2027, 2, 2))["lapsed_contacts"]
    assert [(x["name"], x["due"], x["days_over"]) for x in back] == [
        ("Maria Chen", "2027-02-01", 1)
    ]
    assert cli("contact", "pause", "maria", "--until", "yesterday").exit_code == 2


def test_the_brief_and_the_plan_agree_when_a_paused_person_is_next_due(
    cli: Cli, empty: Path
) -> None:
    cli("contact", "add", "Maria Chen", "--dept", "Sales", today=SEPT)
    cli("log", "coffee-chat", "--with", "maria", today=SEPT)
    cli("contact", "pause", "maria", "--until", "2027-02-01")
    brief = jcli(cli, "brief", "maria")
    assert brief["due_in_days"] == (D(2027, 2, 1) - TODAY).days  # not "overdue since October"
    assert jcli(cli, "overdue")["lapsed_contacts"] == []


def test_archived_people_leave_coverage_balance_and_the_gini(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Ann Lee", "--dept", "Sales", "--tag", "manager", today=SEPT)
    cli("contact", "add", "Bob Wu", "--dept", "Sales", "--tag", "manager", today=SEPT)
    cli("contact", "add", "Cai Lin", "--dept", "Sales", "--tag", "manager", "--tag", "ally",
        today=SEPT)  # fmt: skip
    for day in (D(2026, 11, 2), D(2026, 11, 9)):
        cli("log", "one-on-one", "--with", "ann", today=day)
    balance = jcli(cli, "report", "balance")
    assert balance["gini"] == 0.6667  # [2, 0, 0]
    assert jcli(cli, "report", "coverage")["departments"][0]["people"] == 3
    r = cli("contact", "archive", "cai")
    assert r.stdout == "Archived Cai Lin (c3). `contact list --all` still shows them.\n"
    balance = jcli(cli, "report", "balance")
    assert [row["name"] for row in balance["rows"]] == ["Ann Lee", "Bob Wu"]
    assert balance["gini"] == 0.5  # [2, 0]
    (sales,) = jcli(cli, "report", "coverage")["departments"]
    assert (sales["people"], sales["allies"], "no ally" in sales["flags"]) == (2, [], True)
    assert [x["name"] for x in jcli(cli, "overdue")["lapsed_contacts"]] == ["Bob Wu"]
    assert [c["id"] for c in jcli(cli, "contact", "list")] == ["c1", "c2"]
    assert [c["id"] for c in jcli(cli, "contact", "list", "--all")] == ["c1", "c2", "c3"]
    assert "1 archived not shown (--all shows them)." in cli("contact", "list").stdout
    assert cli("contact", "unarchive", "cai").stdout == "Unarchived Cai Lin (c3).\n"
    assert jcli(cli, "report", "balance")["gini"] == 0.6667
