"""A month replayed with --today gives the figures it gave live, and plan, digest, overdue and
the reports agree on them (one month of hand-built work, exact figures)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

D = dt.date
MONDAYS = (D(2026, 11, 9), D(2026, 11, 16), D(2026, 11, 23), D(2026, 11, 30))

# What happened, day by day (a Monday's figures are taken before that day's work).
EVENTS: list[tuple[D, tuple[str, ...]]] = [
    (D(2026, 11, 2), ("log", "one-on-one", "--with", "maria",
                      "--promise", "Send the criteria", "--due", "2026-11-04")),  # p1
    (D(2026, 11, 3), ("log", "ally-meeting", "--with", "david",
                      "--promise", "Book the room", "--due", "2026-11-06")),  # p2
    (D(2026, 11, 4), ("promise", "done", "p1")),  # on time
    (D(2026, 11, 10), ("promise", "defer", "p2", "--due", "2026-11-13")),  # after Nov 6: late
    (D(2026, 11, 11), ("log", "newsletter", "--all-depts")),
    (D(2026, 11, 12), ("promise", "add", "Update the policy", "--to", "lin",
                       "--due", "2026-11-18")),  # p3
    (D(2026, 11, 12), ("contact", "pause", "tom", "--until", "2026-12-15")),
    (D(2026, 11, 13), ("promise", "done", "p2")),  # kept late: 7 days after Nov 6
    (D(2026, 11, 17), ("promise", "defer", "p3", "--due", "2026-11-20")),  # before it fell due
    (D(2026, 11, 18), ("log", "coffee-chat", "--with", "lin")),
    (D(2026, 11, 20), ("promise", "done", "p3")),  # on time
    (D(2026, 11, 24), ("contact", "archive", "maria")),
    (D(2026, 11, 24), ("promise", "add", "Call back", "--to", "david", "--due", "2026-11-25")),
]  # fmt: skip

REPORTS = (
    ("plan", "week", "--json"),
    ("digest", "--format", "json"),
    ("overdue", "--json"),
    ("report", "promises", "--json"),
    ("report", "coverage", "--json"),
    ("report", "balance", "--json"),
    ("brief", "david", "--json"),
)


def figures(cli: Cli, day: D) -> dict[str, Any]:
    out = {}
    for args in REPORTS:
        r = cli(*args, today=day)
        assert r.exit_code == 0, (args, r.output)
        out[" ".join(args[:2])] = json.loads(r.stdout)
    return out


@pytest.fixture
def month(cli: Cli, empty: Path) -> tuple[Cli, dict[D, dict[str, Any]]]:
    oct1 = D(2026, 10, 1)
    for name, dept, tag in (
        ("Maria Chen", "Sales", "manager"),
        ("David Okafor", "Sales", "ally"),
        ("Lin Mei", "Engineering", "manager"),
        ("Tom Wu", "Engineering", "new-hire"),
        ("Grace Liu", "HR", "peer"),
    ):
        assert cli("contact", "add", name, "--dept", dept, "--tag", tag, today=oct1).exit_code == 0
    live: dict[D, dict[str, Any]] = {}
    for day, args in EVENTS:
        for monday in MONDAYS:
            if monday <= day and monday not in live:
                live[monday] = figures(cli, monday)
        r = cli(*args, today=day)
        assert r.exit_code == 0, (args, r.output)
    live[MONDAYS[-1]] = figures(cli, MONDAYS[-1])
    return cli, live


def test_a_replayed_month_gives_the_figures_it_gave_live(
    month: tuple[Cli, dict[D, dict[str, Any]]],
) -> None:
    cli, live = month
    for monday in MONDAYS:
        assert figures(cli, monday) == live[monday], monday


def test_plan_digest_overdue_and_reports_agree(month: tuple[Cli, dict[D, dict[str, Any]]]) -> None:
    _, live = month
    weekly = []
    for monday in MONDAYS:
        f = live[monday]
        plan, digest, overdue = f["plan week"], f["digest --format"], f["overdue --json"]
        owed = [p["id"] for p in overdue["promises_owed"]]
        assert [p["id"] for p in plan["overdue"]["promises_owed"]] == owed
        assert [p["id"] for p in digest["plan"]["overdue"]["promises_owed"]] == owed
        lapsed = {x["id"] for x in overdue["lapsed_contacts"]}
        reached = [r for r in plan["reach_out"] if r["id"] in lapsed]
        assert len(reached) + plan["more_due"] == len(lapsed)
        brief = f["brief david"]
        late_to_david = [(p["id"], p["days_late"]) for p in overdue["promises_owed"]
                         if p["person"] == "c2"]  # fmt: skip
        assert [(p["id"], p["days_late"]) for p in brief["promises_owed"]
                if p["outcome"] == "overdue"] == late_to_david  # fmt: skip
        t = digest["review"]["promises"]
        weekly.append((t["kept_on_time"], t["kept_late"], t["broken"], t["rate"]))
    assert weekly == [
        (1, 0, 1, 0.5),  # p1 kept on time, p2 broken (due Nov 6)
        (0, 1, 0, 0.0),  # p2 deferred after it fell due, then kept: late, not on time
        (1, 0, 0, 1.0),  # p3 deferred before it fell due, kept by the new date: on time
        (0, 0, 1, 0.0),  # p4 due Nov 25, still open
    ]
    report = live[MONDAYS[-1]]["report promises"]
    (nov,) = [m for m in report["months"] if m["month"] == "2026-11"]
    assert (nov["kept_on_time"], nov["kept_late"], nov["broken"], nov["rate"]) == (2, 1, 1, 0.5)
    assert sum(w[0] for w in weekly) == nov["kept_on_time"]
    assert sum(w[1] for w in weekly) == nov["kept_late"]
    assert report["average_lateness_days"] == 7
    nov9 = live[MONDAYS[0]]
    assert [(p["id"], p["days_late"]) for p in nov9["brief david"]["promises_owed"]] == [("p2", 3)]


def test_paused_and_archived_people_in_the_replayed_month(
    month: tuple[Cli, dict[D, dict[str, Any]]],
) -> None:
    _, live = month
    lapsed = {m: {x["name"] for x in live[m]["overdue --json"]["lapsed_contacts"]} for m in MONDAYS}
    assert "Tom Wu" in lapsed[D(2026, 11, 9)]  # a new hire, every 2 weeks since Oct 1
    assert "Tom Wu" not in lapsed[D(2026, 11, 16)]  # paused on Nov 12 until Dec 15
    balance = {m: sorted(r["name"] for r in live[m]["report balance"]["rows"]) for m in MONDAYS}
    assert balance[D(2026, 11, 23)] == ["Lin Mei", "Maria Chen"]
    assert balance[D(2026, 11, 30)] == ["Lin Mei"]  # Maria archived on Nov 24
    coverage = live[D(2026, 11, 30)]["report coverage"]["departments"]
    assert [(d["dept"], d["people"]) for d in coverage] == [("Engineering", 2), ("Sales", 1)]
