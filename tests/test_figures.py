"""Figures that mean what they say (issue 26): a late renegotiation is not "deferred", a
holiday occurrence that was flagged and not attended is not "missed"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Cli


def ok(cli: Cli, *args: str, today: dt.date) -> str:
    result = cli(*args, today=today)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_a_promise_renegotiated_after_its_due_date_is_not_deferred(cli: Cli, empty: Path) -> None:
    day = dt.date(2026, 11, 9)
    ok(cli, "contact", "add", "Maria Chen", today=day)
    ok(
        cli,
        "promise",
        "add",
        "send the criteria",
        "--to",
        "maria",
        "--due",
        "2026-11-10",
        today=day,
    )
    ok(cli, "promise", "add", "book the room", "--to", "maria", "--due", "2026-11-20", today=day)
    late = dt.date(2026, 11, 17)  # a week after it was due
    ok(cli, "promise", "defer", "p1", "--due", "2026-11-20", today=late)
    ok(cli, "promise", "defer", "p2", "--due", "2026-11-27", today=late)  # in time
    ok(cli, "promise", "done", "p1", today=dt.date(2026, 11, 19))
    data = json.loads(ok(cli, "digest", "--format", "json", today=dt.date(2026, 11, 23)))
    ids = data["review"]["promises"]["ids"]
    assert ids["kept_late"] == ["p1"]
    assert ids["deferred"] == ["p2"]


def test_a_holiday_occurrence_not_attended_is_not_missed(cli: Cli, empty: Path) -> None:
    start = dt.date(2026, 12, 1)
    ok(cli, "config", "set", "country", "TW", today=start)
    ok(cli, "activity", "add", "Fab walk", "--kind", "check-in", "--rule", "weekly on fri",
       "--at", "10:00", "--start", "2026-12-01", today=start)  # fmt: skip
    ok(cli, "activity", "add", "Staff meeting", "--kind", "department-meeting",
       "--rule", "weekly on tue", "--at", "10:00", "--start", "2026-12-01",
       today=start)  # fmt: skip
    ok(cli, "log", "department-meeting", "--activity", "a2", "--dept", "Engineering",
       "--date", "2026-12-29",
       today=dt.date(2026, 12, 29))  # fmt: skip
    # the review week Dec 28 - Jan 3: Tuesday attended, Friday Jan 1 is a public holiday
    data = json.loads(ok(cli, "digest", "--format", "json", today=dt.date(2027, 1, 4)))
    review = data["review"]
    assert review["activities"]["planned"] == 1 and review["activities"]["attended"] == 1


def test_a_broadcast_does_not_reset_a_department_s_last_touch(cli: Cli, empty: Path) -> None:
    """Issue 26: a newsletter to every department (`log --all-depts`) is not a touch of any:
    a department that has gone quiet stays quiet."""
    day = dt.date(2026, 11, 2)
    for dept in ("Wafer Fab", "Assembly"):
        ok(cli, "dept", "add", dept, today=day)
    ok(cli, "log", "department-meeting", "--dept", "Assembly", "--date", "2026-11-02", today=day)
    ok(cli, "log", "newsletter", "--all-depts", "--date", "2026-11-20", today=dt.date(2026, 11, 20))
    rows = json.loads(ok(cli, "report", "coverage", "--json", today=dt.date(2026, 11, 23)))
    last = {d["dept"]: d["last_touch"] for d in rows["departments"]}
    assert last == {"Assembly": "2026-11-02", "Wafer Fab": None}


def test_talking_points_are_never_silently_hidden(cli: Cli, demo: Path) -> None:
    """Issue 26: piped, the plan leaves private talking points out, and says how many."""
    piped = cli("plan", "week").stdout  # CliRunner: not a terminal
    assert "talking point to raise this week is private and left out here" in " ".join(
        piped.split()
    )
    shown = cli("plan", "week", "--include-private").stdout
    assert "left out here" not in shown and "to raise with" in shown


def test_a_department_is_not_said_twice(cli: Cli, empty: Path) -> None:
    """Issue 26: "Night shift handover (Wafer Fab) (Wafer Fab)", "Taichung Office visit
    (Taichung Office, Taichung Office)"."""
    day = dt.date(2026, 11, 23)
    ok(cli, "activity", "add", "Night shift handover (Wafer Fab)", "--kind", "check-in",
       "--rule", "weekly on mon", "--at", "20:00", "--dept", "Wafer Fab", today=day)  # fmt: skip
    ok(cli, "activity", "add", "Taichung Office visit", "--kind", "check-in", "--rule",
       "weekly on tue", "--at", "10:00", "--dept", "Taichung Office", "--location",
       "Taichung Office", today=day)  # fmt: skip
    text = " ".join(ok(cli, "plan", "week", today=day).split())
    assert "Night shift handover (Wafer Fab) (Wafer Fab)" not in text
    assert "Night shift handover (Wafer Fab)" in text
    assert "Taichung Office visit (Taichung Office, Taichung Office)" not in text
    assert "Taichung Office visit" in text and "(Taichung Office)" not in text


def test_private_feedback_never_prints_its_text_or_author_in_a_report(cli: Cli, demo: Path) -> None:
    """Issue 26: `feedback add --private` printed with its text and author in report feedback."""
    secret = "SECRET about the night shift lead"
    added = cli("feedback", "add", secret, "--from", "maria", "--private")
    assert added.exit_code == 0, added.output
    for args in (("report", "feedback"), ("report", "feedback", "--json"),
                 ("report", "feedback", "--markdown", "--names"), ("digest",)):  # fmt: skip
        out = cli(*args).stdout
        assert secret not in out, args
    text = cli("report", "feedback").stdout
    assert "(given in confidence: `hrtrust report feedback --include-private`)" in text
    shown = cli("report", "feedback", "--include-private").stdout
    assert secret in shown
