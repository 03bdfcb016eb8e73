"""Promises both ways, their life cycle, and `hrtrust overdue`."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest

from conftest import Cli, snapshot
from hrtrust.domain.promises import days_late, outcome
from hrtrust.models import Deferral, Promise


@pytest.fixture
def people(cli: Cli, empty: Path) -> Path:
    cli("contact", "add", "Maria Chen", "--dept", "Engineering", "--tag", "manager")
    cli("contact", "add", "Grace Liu", "--dept", "HR", "--tag", "peer")
    return empty


def promises_file(home: Path) -> list[dict]:  # type: ignore[type-arg]
    return tomllib.loads((home / "promises.toml").read_text(encoding="utf-8"))["promise"]


def test_life_cycle_with_deferrals_and_late_completion(cli: Cli, people: Path) -> None:
    add = cli("promise", "add", "Send the promotion criteria", "--to", "maria", "--due", "wed")
    assert add.stdout == (
        "Promise p1: I owe Maria Chen: Send the promotion criteria (due Wed Nov 25).\n"
    )
    d1 = cli("promise", "defer", "p1", "--due", "fri", "--reason", "waiting for the VP")
    assert d1.stdout == "Deferred p1 to Fri Nov 27 (deferred 1x).\n"
    d2 = cli("promise", "defer", "1", "--due", "2026-12-02", today=dt.date(2026, 11, 26))
    assert d2.stdout == "Deferred p1 to Wed Dec 2 (deferred 2x).\n"
    done = cli("promise", "done", "p1", today=dt.date(2026, 12, 4))
    assert done.stdout == "Kept p1: Send the promotion criteria (2d late, due Wed Dec 2).\n"
    (p,) = promises_file(people)
    assert p["status"] == "done"
    assert str(p["closed"]) == "2026-12-04"
    assert [
        (str(d["on"]), str(d["from"]), str(d["to"]), d.get("reason")) for d in p["deferrals"]
    ] == [
        ("2026-11-23", "2026-11-25", "2026-11-27", "waiting for the VP"),
        ("2026-11-26", "2026-11-27", "2026-12-02", None),
    ]
    listed = json.loads(
        cli("promise", "list", "--all", "--json", today=dt.date(2026, 12, 4)).stdout
    )
    assert (listed[0]["outcome"], listed[0]["days_late"], listed[0]["deferred"]) == ("late", 2, 2)
    replayed = json.loads(cli("promise", "list", "--all", "--json").stdout)  # as of Nov 23
    assert (replayed[0]["outcome"], replayed[0]["days_late"]) == ("open", 0)
    again = cli("promise", "done", "p1")
    assert again.exit_code == 2
    assert "already done" in again.stderr


def test_kept_on_time_cancelled_and_waiting_for(cli: Cli, people: Path) -> None:
    cli("promise", "add", "Book the room", "--to", "maria", "--due", "fri")
    cli("promise", "add", "Headcount report", "--from", "grace", "--due", "tue")
    cli("promise", "add", "Old idea", "--to", "maria", "--due", "+2w")
    assert cli("promise", "done", "p1").stdout == "Kept p1: Book the room (on time).\n"
    assert cli("promise", "cancel", "p3", "--reason", "superseded").exit_code == 0
    rows = json.loads(cli("promise", "list", "--all", "--json").stdout)
    got = {r["id"]: (r["direction"], r["status"], r["outcome"], r.get("reason")) for r in rows}
    assert got == {
        "p1": ("owe", "done", "kept", None),
        "p2": ("await", "open", "open", None),
        "p3": ("owe", "cancelled", "cancelled", "superseded"),
    }
    open_only = json.loads(cli("promise", "list", "--json").stdout)
    assert [r["id"] for r in open_only] == ["p2"]


def test_promise_add_needs_exactly_one_side(cli: Cli, people: Path) -> None:
    before = snapshot(people)
    result = cli("promise", "add", "x", "--to", "maria", "--from", "grace", "--due", "fri")
    assert result.exit_code == 2
    assert cli("promise", "add", "x", "--due", "fri").exit_code == 2
    assert cli("promise", "add", "x", "--to", "nobody", "--due", "fri").exit_code == 3
    assert cli("promise", "add", "x", "--to", "maria", "--due", "someday").exit_code == 2
    assert snapshot(people) == before


def test_outcome_rules() -> None:
    base = Promise(id="p1", text="t", made=dt.date(2026, 11, 1), due=dt.date(2026, 11, 10))
    today = dt.date(2026, 11, 12)
    assert outcome(base, today) == "overdue"
    assert days_late(base, today) == 2
    assert outcome(base, dt.date(2026, 11, 10)) == "open"
    kept = base.model_copy(update={"status": "done", "closed": dt.date(2026, 11, 10)})
    assert (outcome(kept, today), days_late(kept, today)) == ("kept", 0)
    late = base.model_copy(update={"status": "done", "closed": dt.date(2026, 11, 13)})
    assert (outcome(late, today), days_late(late, today)) == ("overdue", 2)  # as of Nov 12
    after = dt.date(2026, 11, 13)
    assert (outcome(late, after), days_late(late, after)) == ("late", 3)
    moved = base.model_copy(
        update={
            "due": dt.date(2026, 11, 20),
            "deferrals": [
                Deferral(
                    on=dt.date(2026, 11, 5), from_=dt.date(2026, 11, 10), to=dt.date(2026, 11, 20)
                )
            ],
        }
    )
    assert moved.original_due == dt.date(2026, 11, 10)
    assert outcome(moved, today) == "open"


def test_overdue_order_is_most_late_first_and_deterministic(cli: Cli, people: Path) -> None:
    cli("promise", "add", "B two days", "--to", "maria", "--due", "2026-11-21")
    cli("promise", "add", "A five days", "--to", "grace", "--due", "2026-11-18")
    cli("promise", "add", "C two days too", "--to", "grace", "--due", "2026-11-21")
    cli("promise", "add", "Waiting", "--from", "grace", "--due", "2026-11-20")
    cli("promise", "add", "Not yet", "--to", "maria", "--due", "2026-11-30")
    result = cli("overdue", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(p["id"], p["days_late"]) for p in data["promises_owed"]] == [
        ("p2", 5),
        ("p1", 2),
        ("p3", 2),
    ]
    assert [p["id"] for p in data["waiting_for"]] == ["p4"]
    text = cli("overdue").stdout
    assert text.index("Promises I owe, past due") < text.index("Waiting for, past due")
    assert text.index("A five days") < text.index("B two days") < text.index("C two days too")


def test_gone_quiet_is_listed_longest_first(cli: Cli, people: Path) -> None:
    # Maria (manager, every 3w) and Grace (peer, monthly) last seen on the same day.
    cli("contact", "add", "Ann Lee", "--every", "2w")
    for who in ("maria", "grace", "ann"):
        cli("log", "coffee-chat", "-w", who, "--date", "2026-09-01")
    data = json.loads(cli("overdue", "--json").stdout)
    rows = [(x["name"], x["cadence"], x["days_over"]) for x in data["lapsed_contacts"]]
    # Ann: due Sep 15 (69d over); Maria: due Sep 22 (62d, a manager); Grace: due Oct 1 (53d).
    # The table reads as days, so longest first (issue 26); the plan still ranks by urgency.
    assert rows == [("Ann Lee", "2w", 69), ("Maria Chen", "3w", 62), ("Grace Liu", "1m", 53)]


def test_time_travel_makes_a_promise_overdue(cli: Cli, demo: Path) -> None:
    """The issue's new-user walk-through on the demo data."""
    logged = cli(
        "log",
        "coffee-chat",
        "--with",
        "maria",
        "--promise",
        "send the level guide",
        "--due",
        "tomorrow",
    )
    assert logged.exit_code == 0, logged.stderr
    new_id = logged.stdout.splitlines()[1].split()[1].rstrip(":")
    now = cli("overdue", "--json")
    assert new_id not in [p["id"] for p in json.loads(now.stdout)["promises_owed"]]
    later = cli("overdue", "--json", today=dt.date(2026, 11, 25))
    owed = json.loads(later.stdout)["promises_owed"]
    assert new_id in [p["id"] for p in owed]
    assert [p for p in owed if p["id"] == new_id][0]["days_late"] == 1
    text = cli("overdue", today=dt.date(2026, 11, 25)).stdout
    first_section = text.split("\n\n")[0]
    assert first_section.startswith("Promises I owe, past due")
    assert "send the level guide" in first_section


def test_overdue_with_nothing_late(cli: Cli, empty: Path) -> None:
    result = cli("overdue")
    assert result.exit_code == 0
    assert result.stdout.startswith("Nothing overdue.")


def test_overdue_lists_the_15_most_urgent_quiet_people_unless_all(cli: Cli, empty: Path) -> None:
    for i in range(20):
        cli("contact", "add", f"Person {i:02d}", today=dt.date(2026, 9, 1))  # due Oct 13
    text = cli("overdue", today=dt.date(2026, 11, 30)).stdout
    assert text.count("Person ") == 15
    assert "and 5 more, quiet for less long: hrtrust overdue --all" in text
    assert cli("overdue", "--all", today=dt.date(2026, 11, 30)).stdout.count("Person ") == 20


def test_overdue_lists_the_25_most_overdue_promises_of_each_kind_unless_all(
    cli: Cli, empty: Path
) -> None:
    assert cli("contact", "add", "Maria Chen").exit_code == 0
    for i in range(30):
        due = dt.date(2026, 10, 1) + dt.timedelta(days=i)
        made = cli("promise", "add", f"task {i:02d}", "--to", "maria", "--due", due.isoformat())
        assert made.exit_code == 0, made.stderr
    text = cli("overdue", today=dt.date(2026, 11, 30)).stdout
    assert text.count("task ") == 25
    assert "task 00" in text and "task 29" not in text  # the most overdue first
    assert "and 5 more, less overdue: hrtrust overdue --all" in text
    everything = cli("overdue", "--all", today=dt.date(2026, 11, 30)).stdout
    assert everything.count("task ") == 30 and "more, less overdue" not in everything
    owed = json.loads(cli("overdue", "--json", today=dt.date(2026, 11, 30)).stdout)
    assert len(owed["promises_owed"]) == 30  # JSON is for scripts: always everything
