"""`hrtrust digest`: the review's definitions, exact figures on a hand-built week, every format."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hrtrust.cli.app import app
from hrtrust.domain.digest import open_at, tally
from hrtrust.domain.promises import due_as_of
from hrtrust.models import Deferral, Promise

# The hand-built week: the digest is made on Monday 2026-11-30 (W49), so the review week is
# W48, Mon 2026-11-23 to Sun 2026-11-29.
DIGEST_DAY = dt.date(2026, 11, 30)
NOTE = "SENTINEL-NOTE-7f3a"  # in 王小明's contact notes
FACT = "SENTINEL-FACT-44be"  # learned about 林美玲 during the week
LOGNOTE = "SENTINEL-LOGNOTE-91c2"  # the note of a log entry of the week
SENTINELS = (NOTE, FACT, LOGNOTE)

# What the review of W48 must say (each figure is worked out in build_week's comments).
EXPECTED_LINES = (
    "Touchpoints   3 logged with 3 people",
    "              by kind: Coffee chat 2, Department meeting 1",
    "              by department: Engineering 2, Manufacturing 1",
    "              not touched: Sales",
    "Activities    1 of 2 planned occurrences logged as attended",
    "Promises      kept on time 1 · kept late 1 · broken 1",
    "              made 2 · deferred 1 · cancelled 1",
    "Keeping rate  33% kept on time (1 of 3)",
    "Gone quiet    1 person past their cadence",
)


def run(*args: str, today: dt.date = DIGEST_DAY) -> str:
    result = CliRunner().invoke(app, ["--today", today.isoformat(), *args])
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def build_week(home: Path) -> Path:
    """A small data home whose week 2026-W48 has known outcomes, built with the real commands."""
    run("init", "--timezone", "Asia/Taipei", today=dt.date(2026, 11, 1))
    day = dt.date.fromisoformat
    run("contact", "add", "王小明", "--dept", "Engineering", "--tag", "ally", "--every", "1w",
        "--note", f"Prefers mornings {NOTE}", today=day("2026-11-01"))  # fmt: skip
    run("contact", "add", "Maria Chen", "--dept", "Engineering", "--tag", "manager",
        today=day("2026-11-01"))  # fmt: skip
    run("contact", "add", "林美玲", "--dept", "Manufacturing", "--tag", "ally",
        today=day("2026-11-01"))  # fmt: skip
    run("contact", "add", "Rahul Mehta", "--dept", "Sales", "--every", "1w",
        today=day("2026-11-01"))  # fmt: skip
    # Two weekly activities: Tuesday's is logged as attended, Wednesday's is missed.
    run("activity", "add", "Engineering staff meeting", "--kind", "department-meeting",
        "--rule", "weekly on tue", "--at", "10:00", "--dept", "Engineering",
        "--start", "2026-11-01", today=day("2026-11-01"))  # fmt: skip
    run("activity", "add", "Manufacturing management meeting", "--kind", "management-meeting",
        "--rule", "weekly on wed", "--at", "09:00", "--dept", "Manufacturing",
        "--start", "2026-11-01", today=day("2026-11-01"))  # fmt: skip
    # Touchpoints: Rahul before and after the week (he went quiet *during* it: 1w cadence,
    # last touched Nov 10), and three entries in the week (3 people, Sales not touched).
    run("log", "check-in", "--with", "Rahul", "--date", "2026-11-10", today=day("2026-11-10"))
    run("log", "department-meeting", "--with", "王小明", "--with", "Maria", "--activity", "a1",
        "--note", f"Release plans {LOGNOTE}", today=day("2026-11-24"))  # fmt: skip
    run("log", "coffee-chat", "--with", "林美玲", "--learned", f"Runs the badminton club {FACT}",
        today=day("2026-11-26"))  # fmt: skip
    run("log", "coffee-chat", "--with", "Maria", today=day("2026-11-27"))
    run("log", "coffee-chat", "--with", "Rahul", today=day("2026-11-30"))
    # Promises I owe, and what happened to them in the week:
    run("promise", "add", "Send the level guide", "--to", "Maria", "--due", "2026-11-25",
        today=day("2026-11-20"))  # fmt: skip  # p1: kept on time (Nov 24)
    run("promise", "done", "p1", today=day("2026-11-24"))
    run("promise", "add", "Book the training room", "--to", "王小明", "--due", "2026-11-20",
        today=day("2026-11-16"))  # fmt: skip  # p2: kept late (Nov 26, due Nov 20)
    run("promise", "done", "p2", today=day("2026-11-26"))
    run("promise", "add", "Draft the shift-handover form", "--to", "林美玲", "--due",
        "2026-11-26", today=day("2026-11-23"))  # fmt: skip  # p3: made, broken (still open)
    run("promise", "add", "Share the interview guide", "--to", "Maria", "--due", "2026-11-27",
        today=day("2026-11-23"))  # fmt: skip  # p4: made, deferred before it fell due
    run("promise", "defer", "p4", "--due", "2026-12-04", "--reason", "legal review",
        today=day("2026-11-26"))  # fmt: skip
    run("promise", "add", "Headcount report", "--from", "Maria", "--due", "2026-11-25",
        today=day("2026-11-20"))  # fmt: skip  # p5: owed *to me*: not in my figures
    run("promise", "add", "Visit the Sales floor", "--to", "Rahul", "--due", "2026-11-24",
        today=day("2026-11-10"))  # fmt: skip  # p6: cancelled in the week
    run("promise", "cancel", "p6", "--reason", "reorg", today=day("2026-11-23"))
    run("promise", "add", "Answer the leave question", "--to", "Rahul", "--due", "2026-11-20",
        today=day("2026-11-10"))  # fmt: skip  # p7: kept the week before: not counted
    run("promise", "done", "p7", today=day("2026-11-19"))
    return home


_BUILT: list[Path] = []


def week_template_in(factory: pytest.TempPathFactory) -> Path:
    """The hand-built week, built once per test run (two dozen commands); copy it, don't edit."""
    if not _BUILT:
        folder = factory.mktemp("week") / "home"
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HRTRUST_HOME", str(folder))
            build_week(folder)
        _BUILT.append(folder)
    return _BUILT[0]


@pytest.fixture(scope="session")
def week_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return week_template_in(tmp_path_factory)


@pytest.fixture
def week(home: Path, week_template: Path) -> Path:
    shutil.copytree(week_template, home, symlinks=True)
    return home


# -- the definitions -------------------------------------------------------------------------

W_FIRST, W_LAST = dt.date(2026, 11, 23), dt.date(2026, 11, 29)


def promise(pid: str, made: str, due: str, **kw: object) -> Promise:
    return Promise.model_validate(
        {"id": pid, "text": f"promise {pid}", "made": made, "due": due, **kw}
    )


def test_tally_sorts_each_promise_into_exactly_the_right_bucket() -> None:
    ps = [
        promise("p1", "2026-11-20", "2026-11-25", status="done", closed="2026-11-25"),  # on time
        promise("p2", "2026-11-16", "2026-11-20", status="done", closed="2026-11-26"),  # late
        promise("p3", "2026-11-23", "2026-11-29"),  # due Sunday, open at the end: broken
        promise("p4", "2026-11-23", "2026-11-30"),  # due next Monday: not yet broken
        promise("p5", "2026-10-01", "2026-10-10"),  # broken long ago, still open: broken
        promise("p6", "2026-11-01", "2026-11-24", status="done", closed="2026-11-30"),  # kept
        # after the week: open at its end, so broken then
        promise("p7", "2026-11-24", "2026-11-25", direction="await"),  # owed to me: ignored
        promise("p8", "2026-11-01", "2026-11-24", status="cancelled", closed="2026-11-23"),
        promise("p9", "2026-11-30", "2026-11-20"),  # made after the week: not in it
    ]
    t = tally(ps, W_FIRST, W_LAST)
    assert [p.id for p in t.kept_on_time] == ["p1"]
    assert [p.id for p in t.kept_late] == ["p2"]
    assert sorted(p.id for p in t.broken) == ["p3", "p5", "p6"]
    assert dict(t.broken_days) == {"p5": 51, "p6": 6, "p3": 1}
    assert sorted(p.id for p in t.made) == ["p3", "p4"]
    assert [p.id for p in t.cancelled] == ["p8"]
    assert t.deferred == ()
    assert t.rate == pytest.approx(1 / 5)


def test_a_deferral_moves_the_due_date_from_the_day_it_was_made() -> None:
    p = promise(
        "p1",
        "2026-11-02",
        "2026-12-04",
        deferrals=[
            Deferral.model_validate({"on": "2026-11-18", "from": "2026-11-20", "to": "2026-11-27"}),
            Deferral.model_validate({"on": "2026-11-26", "from": "2026-11-27", "to": "2026-12-04"}),
        ],
    )
    assert due_as_of(p, dt.date(2026, 11, 17)) == dt.date(2026, 11, 20)
    assert due_as_of(p, dt.date(2026, 11, 18)) == dt.date(2026, 11, 27)
    assert due_as_of(p, dt.date(2026, 11, 29)) == dt.date(2026, 12, 4)
    t = tally([p], W_FIRST, W_LAST)
    assert [x.id for x in t.deferred] == ["p1"] and t.broken == () and t.rate is None
    # deferred only after it fell due: broken in the week it fell due
    late = promise(
        "p2",
        "2026-11-02",
        "2026-12-04",
        deferrals=[
            Deferral.model_validate({"on": "2026-12-01", "from": "2026-11-25", "to": "2026-12-04"})
        ],
    )
    assert [x.id for x in tally([late], W_FIRST, W_LAST).broken] == ["p2"]


def test_open_at_the_end_of_a_day() -> None:
    p = promise("p1", "2026-11-23", "2026-11-25", status="done", closed="2026-11-27")
    assert not open_at(p, dt.date(2026, 11, 22))  # not made yet
    assert open_at(p, dt.date(2026, 11, 26))
    assert not open_at(p, dt.date(2026, 11, 27))


# -- the review on a hand-built week ------------------------------------------------------------


def test_text_review_has_the_exact_figures(week: Path) -> None:
    out = run("digest")
    lines = out.splitlines()
    assert lines[0] == "hrtrust digest — week 2026-W49"
    assert "LAST WEEK IN REVIEW   2026-W48 · Mon Nov 23 – Sun Nov 29" in lines
    for expected in EXPECTED_LINES:
        assert expected in lines, expected
    assert "broken     p3: still open, see Overdue below" in lines
    assert "kept late  p2 Book the training room → 王小明 (6d late)" in lines
    assert "kept       p1 Send the level guide → Maria Chen" in lines
    assert "deferred   p4 Share the interview guide → Maria Chen (now due Fri Dec 4)" in lines
    assert "cancelled  p6 Visit the Sales floor → Rahul Mehta" in lines
    assert "Wed Nov 25  Manufacturing management meeting" in lines
    assert "13d over  Rahul Mehta (Sales)" in lines
    # this week: the broken promise first, 王小明 is due a touch (1w cadence), placed on the
    # day you will be with his department anyway
    assert "4d late  p3 Draft the shift-handover form → 林美玲" in lines
    assert "5d late  p5 waiting for Maria Chen: Headcount report" in lines
    tuesday = lines.index("Tuesday Dec 1")
    assert lines[tuesday + 2 : tuesday + 4] == [
        "reach out    ally meeting with 王小明 (Engineering, ally) — due Tue (weekly);",
        "             you will be at Engineering staff meeting",
    ]
    assert max(len(line) for line in lines) <= 80
    assert not any(s in out for s in SENTINELS)


def test_json_carries_the_same_figures(week: Path) -> None:
    data = json.loads(run("digest", "--format", "json"))
    r = data["review"]
    assert (r["week"], r["start"], r["end"]) == ("2026-W48", "2026-11-23", "2026-11-29")
    assert r["touchpoints"]["logged"] == 3 and r["touchpoints"]["people"] == 3
    assert r["touchpoints"]["by_kind"] == {"coffee-chat": 2, "department-meeting": 1}
    assert r["touchpoints"]["by_dept"] == {"Engineering": 2, "Manufacturing": 1}
    assert r["departments"]["not_touched"] == ["Sales"]
    assert (r["activities"]["planned"], r["activities"]["attended"]) == (2, 1)
    assert r["activities"]["missed"] == [
        {"activity": "a2", "title": "Manufacturing management meeting", "date": "2026-11-25"}
    ]
    p = r["promises"]
    counts = {k: p[k] for k in ("made", "kept_on_time", "kept_late", "broken", "deferred")}
    assert counts == {"made": 2, "kept_on_time": 1, "kept_late": 1, "broken": 1, "deferred": 1}
    assert p["cancelled"] == 1 and p["rate"] == 0.3333
    assert p["ids"]["broken"] == ["p3"] and p["broken_days_late"] == {"p3": 4}
    assert [x["name"] for x in r["people"]["gone_quiet"]] == ["Rahul Mehta"]
    assert data["plan"]["week"] == "2026-W49"
    assert data["subject"] == "hrtrust 2026-W49: 1 promise overdue, 33% kept on time"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_include_private_brings_in_notes_facts_and_log_notes(week: Path, fmt: str) -> None:
    without = run("digest", "--format", fmt)
    with_ = run("digest", "--format", fmt, "--include-private")
    for sentinel in SENTINELS:
        assert sentinel not in without
        assert sentinel in with_
    if fmt == "json":
        data = json.loads(with_)
        assert data["notes"] == {"c1": f"Prefers mornings {NOTE}"}
        [entry] = [e for e in data["review"]["touchpoints"]["entries"] if e["id"] == "2026-11-26.1"]
        assert entry["learned"] == [f"Runs the badminton club {FACT}"]


def test_a_week_replayed_later_gives_the_same_review(week: Path) -> None:
    first = json.loads(run("digest", "--format", "json"))["review"]
    # Later on: p3 is kept (late), more touchpoints are logged; W49's digest must not change.
    run("promise", "done", "p3", today=dt.date(2026, 12, 2))
    run("log", "coffee-chat", "--with", "林美玲", today=dt.date(2026, 12, 3))
    again = json.loads(
        run("digest", "--format", "json", "--week", "2026-W49", today=dt.date(2026, 12, 15))
    )["review"]
    assert again == first


def test_next_week_reviews_this_week(week: Path) -> None:
    data = json.loads(run("digest", "--format", "json", "--next"))
    assert data["week"] == "2026-W50" and data["review"]["week"] == "2026-W49"
    assert data["review"]["touchpoints"]["logged"] == 1  # Rahul, Mon Nov 30


def test_markdown_and_html_escape_what_people_typed(empty: Path) -> None:
    run("contact", "add", "<b>Bob</b> & *Co*", "--dept", "R&D|Ops")
    run("log", "coffee-chat", "--with", "<b>Bob", today=dt.date(2026, 11, 24))
    page = run("digest", "--format", "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<b>Bob" not in page and "&lt;b&gt;Bob&lt;/b&gt; &amp; *Co*" in page
    assert not re.search(r"<(link|script|img)\b|https?://", page)  # self-contained
    md = run("digest", "--format", "markdown")
    assert r"\<b\>Bob\</b\> & \*Co\*" in md and r"R&D\|Ops" in md


def test_demo_digest_reads_as_expected(demo: Path) -> None:
    out = run("digest", today=dt.date(2026, 11, 23))
    lines = out.splitlines()
    assert "Activities    5 of 5 planned occurrences logged as attended" in lines
    assert "Promises      kept on time 5 · kept late 1 · broken 1" in lines
    assert "Keeping rate  71% kept on time (5 of 7)" in lines
    assert "Taichung Office  last touch 32d ago (window every 4 weeks) — gone quiet" in lines
    assert "\x1b" not in out and max(len(line) for line in lines) <= 80


# -- options and errors -----------------------------------------------------------------------


def test_output_file_is_private_and_stdout_stays_empty(week: Path, tmp_path: Path) -> None:
    target = tmp_path / "digest.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    assert run("digest", "--format", "markdown", "--output", str(target)) == ""
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.read_text(encoding="utf-8").startswith("# hrtrust digest — week 2026-W49")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--next", "--week", "2026-W49"], "hrtrust: error: give --next or --week, not both"),
        (["--week", "2026-W60"], "hrtrust: error: '2026-W60' is not a week of 2026"),
        (["--output", "/nonexistent/dir/d.txt"], "the folder /nonexistent/dir does not exist"),
        (["--mail-to", "not-an-address"], "is not a mail address"),
        (["--mail-to", "me@example.com"], "config.toml: no [smtp] table"),
    ],
)
def test_bad_usage_fails_with_one_reason(week: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["--today", DIGEST_DAY.isoformat(), "digest", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr.splitlines()[0]


def test_not_initialised(home: Path) -> None:
    result = CliRunner().invoke(app, ["digest"])
    assert result.exit_code == 8
    assert result.stderr.startswith(f"hrtrust: error: no hrtrust data in {home}")
