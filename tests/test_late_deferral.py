"""A promise deferred after it fell due stays late: the figures of report, digest, brief,
overdue and plan agree (hand-built week, exact figures)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.domain import promises as ops
from hrtrust.domain.digest import tally
from hrtrust.models import Deferral, Promise

D = dt.date


def P(pid: str, due: D, *, made: D = D(2026, 11, 20), **kw: object) -> Promise:
    return Promise(id=pid, text=pid, person="c1", made=made, due=due, **kw)  # type: ignore[arg-type]


LAUNDERED = P(
    "p1",
    D(2026, 12, 2),
    status="done",
    closed=D(2026, 12, 2),
    deferrals=[Deferral(on=D(2026, 11, 30), from_=D(2026, 11, 25), to=D(2026, 12, 2))],
)
RENEGOTIATED = P(
    "p4",
    D(2026, 12, 4),
    status="done",
    closed=D(2026, 12, 4),
    deferrals=[Deferral(on=D(2026, 11, 24), from_=D(2026, 11, 25), to=D(2026, 12, 4))],
)


def test_a_deferral_after_the_due_date_does_not_make_it_on_time() -> None:
    assert ops.missed_due(LAUNDERED) == D(2026, 11, 25)
    assert ops.outcome(LAUNDERED, D(2026, 12, 7)) == "late"
    assert ops.days_late(LAUNDERED, D(2026, 12, 7)) == 7
    assert ops.missed_due(RENEGOTIATED) is None
    assert ops.outcome(RENEGOTIATED, D(2026, 12, 7)) == "kept"
    # open, deferred late to a day still to come: broken meanwhile
    still_open = P("p5", D(2026, 12, 9), deferrals=LAUNDERED.deferrals)
    assert ops.outcome(still_open, D(2026, 12, 1)) == "overdue"
    assert ops.days_late(still_open, D(2026, 12, 1)) == 6
    assert ops.outcome(still_open, D(2026, 11, 25)) == "open"  # as of a day before the miss
    assert ops.keeping_rate(1, 1, 0) == 0.5
    assert ops.keeping_rate(0, 0, 0) is None


def test_the_weekly_tally_counts_the_laundered_promise_late() -> None:
    on_time = P("p3", D(2026, 12, 3), status="done", closed=D(2026, 12, 3))
    week = tally([LAUNDERED, on_time, RENEGOTIATED], D(2026, 11, 30), D(2026, 12, 6))
    assert [p.id for p in week.kept_late] == ["p1"]
    assert [p.id for p in week.kept_on_time] == ["p3", "p4"]
    assert week.rate == pytest.approx(2 / 3)
    before = tally([LAUNDERED], D(2026, 11, 23), D(2026, 11, 29))
    assert [p.id for p in before.broken] == ["p1"]
    assert before.broken_days == {"p1": 5}


@pytest.fixture
def week(cli: Cli, empty: Path) -> Cli:
    """Nov 20: two promises to Maria, due Nov 24 and Nov 25."""
    nov20 = D(2026, 11, 20)
    assert cli("contact", "add", "Maria Chen", "--dept", "Sales", today=nov20).exit_code == 0
    for text, due in (("Send the criteria", "2026-11-25"), ("Book the room", "2026-11-24")):
        r = cli("promise", "add", text, "--to", "maria", "--due", due, today=nov20)
        assert r.exit_code == 0, r.output
    assert cli("promise", "done", "p2", today=D(2026, 11, 24)).exit_code == 0
    return cli


def rate(cli: Cli, day: D) -> tuple[float | None, list[tuple[str, int, int, int]]]:
    out = json.loads(cli("report", "promises", "--json", today=day).stdout)
    months = [(m["month"], m["kept_on_time"], m["kept_late"], m["broken"]) for m in out["months"]]
    return out["rate"], [m for m in months if any(m[1:])]


def test_keeping_rate_before_and_after_a_late_deferral(week: Cli) -> None:
    nov30 = D(2026, 11, 30)
    assert rate(week, nov30) == (0.5, [("2026-11", 1, 0, 1)])
    r = week("promise", "defer", "p1", "--due", "2026-12-02", today=nov30)
    assert r.exit_code == 0, r.output
    assert rate(week, nov30) == (0.5, [("2026-11", 1, 0, 1)])  # was 1.0 before the fix
    dec1 = D(2026, 12, 1)
    overdue = json.loads(week("overdue", "--json", today=dec1).stdout)
    assert [(p["id"], p["days_late"]) for p in overdue["promises_owed"]] == [("p1", 6)]
    plan = json.loads(week("plan", "week", "--json", today=dec1).stdout)
    assert [p["id"] for p in plan["overdue"]["promises_owed"]] == ["p1"]
    assert all(p["id"] != "p1" for d in plan["days"] for p in d["promises_due"])
    brief = json.loads(week("brief", "maria", "--json", today=dec1).stdout)
    assert [(p["id"], p["outcome"], p["days_late"]) for p in brief["promises_owed"]] == [
        ("p1", "overdue", 6)
    ]
    table = week("overdue", today=dec1).stdout
    assert "6d     p1   Maria Chen   Send the criteria" in table
    assert table.split("Send the criteria")[1].split()[:2] == ["Nov", "25"]  # the missed date
    done = week("promise", "done", "p1", today=D(2026, 12, 2))
    assert done.stdout == "Kept p1: Send the criteria (7d late, due Wed Nov 25).\n"
    dec7 = D(2026, 12, 7)
    assert rate(week, dec7) == (0.5, [("2026-11", 1, 1, 0)])
    digest = json.loads(week("digest", "--format", "json", today=dec7).stdout)
    figures = digest["review"]["promises"]
    assert (figures["kept_on_time"], figures["kept_late"], figures["rate"]) == (0, 1, 0.0)
    text = week("digest", today=dec7).stdout
    assert "p1 Send the criteria → Maria Chen (7d late)" in text
    # renegotiated after it was due: kept late, never listed as "deferred" too (issue 26)
    assert "now due Wed Dec 2" not in " ".join(text.split())
    assert figures["ids"]["deferred"] == []
    last_week = json.loads(week("digest", "--format", "json", today=nov30).stdout)
    figures = last_week["review"]["promises"]
    assert (figures["kept_on_time"], figures["broken"], figures["rate"]) == (1, 1, 0.5)


def test_a_promise_due_yesterday_is_already_late(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Maria Chen", "--dept", "Sales")
    r = cli("promise", "add", "Call back", "--to", "maria", "--due", "yesterday")
    assert r.exit_code == 0
    assert r.stdout == "Promise p1: I owe Maria Chen: Call back (due Sun Nov 22).\n"
    assert r.stderr == "hrtrust: warning: p1 is already late: it was due Sun Nov 22\n"
