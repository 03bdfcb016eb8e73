"""`report health`: the series hand-counted on a small home built with the CLI, the page's
charts and tables found by parsing it, and private text kept off the page and out of JSON."""

from __future__ import annotations

import datetime as dt
import json
import re
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

D = dt.date
CHARTS = ["coverage", "promises", "pulse", "balance", "feedback", "recognition"]
SECRETS = (
    "SECRET-CONTACT-NOTE",
    "SECRET-LOG-NOTE",
    "SECRET-FACT",
    "SECRET-TOPIC",
    "SECRET-PRIVATE-FEEDBACK",
    "SECRET-FEEDBACK-TEXT",  # not private, but the page shows counts, never what was said
    "SECRET-ACTION",
    "SECRET-PROMISE",
)


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


@pytest.fixture
def small(cli: Cli, empty: Path) -> Path:
    """Two client departments, five people, three months of work (today: Mon Nov 23, 2026).

    With --months 3 the window is Sep 1 - Nov 23; the log's first month (Aug) is before it.
    """
    ok(cli("dept", "add", "Alpha"))
    ok(cli("dept", "add", "Beta"))
    ok(cli("contact", "add", "Ann Ally", "--dept", "Alpha", "--tag", "ally"))  # c1
    ok(cli("contact", "add", "Al Boss", "--dept", "Alpha", "--tag", "manager"))  # c2
    ok(cli("contact", "add", "王大明", "--dept", "Beta", "--tag", "manager"))  # c3
    ok(cli("contact", "add", "Bea Staff", "--dept", "Beta", "--note", "SECRET-CONTACT-NOTE"))
    ok(cli("contact", "add", "Cy Never", "--dept", "Beta", "--tag", "manager"))  # c5
    ok(cli("topic", "add", "ann", "SECRET-TOPIC"))

    def log(*args: str) -> None:
        ok(cli("log", *args))

    log("coffee-chat", "--with", "ann", "--date", "2026-08-20")  # before the window
    log("one-on-one", "--with", "boss", "--date", "2026-09-03")
    log(
        "coffee-chat",
        "--with",
        "ann",
        "--with",
        "boss",
        "--date",
        "2026-09-10",
        "--note",
        "SECRET-LOG-NOTE",
        "--learned",
        "Ann Ally: SECRET-FACT",
    )
    log(
        "department-meeting",
        "--dept",
        "Beta",
        "--with",
        "王大明",
        "--with",
        "bea",
        "--date",
        "2026-10-05",
    )
    log("newsletter", "--all-depts", "--date", "2026-10-06")  # not a touchpoint kind
    log("lunch-and-learn", "--all-depts", "--date", "2026-10-07")  # every client department
    log("recognition", "--with", "bea", "--date", "2026-11-02")
    log("check-in", "--with", "ann", "--date", "2026-11-20")

    def on(day: str, *args: str) -> None:
        ok(cli(*args, today=D.fromisoformat(day)))

    on("2026-09-01", "promise", "add", "SECRET-PROMISE one", "--to", "boss", "--due", "2026-09-15")
    on("2026-09-01", "promise", "add", "two", "--to", "boss", "--due", "2026-09-20")
    on("2026-09-14", "promise", "done", "p1")  # kept on time (Sep)
    on("2026-09-25", "promise", "done", "p2")  # kept late (Sep)
    on("2026-10-01", "promise", "add", "three", "--to", "王大明", "--due", "2026-10-10")  # broken
    on("2026-11-01", "promise", "add", "four", "--to", "bea", "--due", "2026-11-30")  # pending

    ok(cli("feedback", "add", "old", "--from", "ann", "--date", "2026-08-01"))  # f1: before
    ok(cli("feedback", "add", "SECRET-FEEDBACK-TEXT", "--from", "ann", "--date", "2026-09-05"))
    ok(cli("feedback", "act", "f2", "SECRET-ACTION", "--date", "2026-09-10"))
    ok(cli("feedback", "close", "f2", "--date", "2026-09-25"))  # 20 days
    ok(cli("feedback", "add", "b1", "--from", "bea", "--date", "2026-10-01"))  # f3
    ok(cli("feedback", "act", "f3", "did", "--date", "2026-10-03"))
    ok(cli("feedback", "close", "f3", "--date", "2026-10-11"))  # 10 days
    ok(
        cli(
            "feedback",
            "add",
            "SECRET-PRIVATE-FEEDBACK",
            "--dept",
            "Beta",
            "--private",
            "--date",
            "2026-10-20",
        )
    )
    ok(cli("feedback", "add", "b3", "--from", "王大明", "--date", "2026-11-01"))  # f5
    ok(cli("feedback", "act", "f5", "did", "--date", "2026-11-02"))

    def pulse(dept: str, score: str, day: str, *more: str) -> None:
        ok(cli("pulse", "add", "--dept", dept, "--score", score, "--date", day, *more))

    pulse("Alpha", "3.0", "2026-06-15")  # before the window
    pulse("Alpha", "3.5", "2026-09-15", "--responses", "12")
    pulse("Alpha", "3.9", "2026-11-15", "--responses", "10")
    pulse("Beta", "3.0", "2026-09-15", "--responses", "3")  # too few: never drawn
    pulse("Beta", "3.4", "2026-11-15")  # no count recorded: shown
    return empty


def health_json(cli: Cli, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(cli("report", "health", "--months", "3", *args, "--json")))
    return data


def cells(row: dict[str, Any]) -> list[tuple[int, int, int, int]]:
    return [(m["touches"], m["people"], m["allies"], m["broadcasts"]) for m in row["months"]]


def test_series_hand_counted(cli: Cli, small: Path) -> None:
    h = health_json(cli)
    assert (h["from"], h["to"], h["months"]) == (
        "2026-09-01",
        "2026-11-23",
        ["2026-09", "2026-10", "2026-11"],
    )
    assert h["coverage_months"] == h["months"]  # the log starts in August, before the window
    assert (h["departments"], h["departments_chosen"]) == (["Alpha", "Beta"], False)
    assert h["covered"] == {
        "entries": 7,  # Sep 3, Sep 10, Oct 5, 6, 7, Nov 2, Nov 20
        "broadcasts": 2,  # the newsletter, and the lunch & learn for every department
        "first_entry": "2026-09-03",
        "last_entry": "2026-11-20",
        "people": 5,
        "promises": 4,
        "feedback": 4,  # f2-f5; f1 came in August
        "pulse_results": 4,  # Sep and Nov for each; Alpha's June result is before the window
    }

    alpha, beta = h["coverage"]
    # Sep: the one-on-one with Al, the coffee with Ann and Al (2 people, Ann an ally);
    # Oct: only the two broadcasts reached Alpha; Nov: the check-in with Ann
    assert cells(alpha) == [(2, 2, 1, 0), (0, 0, 0, 2), (1, 1, 1, 0)]
    assert cells(beta) == [(0, 0, 0, 0), (1, 2, 0, 2), (1, 1, 0, 0)]
    assert (alpha["allies"], beta["allies"]) == (["Ann Ally"], [])
    assert (alpha["last_touch"], alpha["days_since"], alpha["gone_quiet"]) == (
        "2026-11-20",
        3,
        False,
    )
    assert (beta["last_touch"], beta["days_since"], beta["gone_quiet"]) == ("2026-11-02", 21, True)
    assert h["broadcasts"] == [
        {"month": "2026-09", "count": 0},
        {"month": "2026-10", "count": 2},
        {"month": "2026-11", "count": 0},
    ]

    p = h["promises"]
    months = [
        (m["month"], m["kept_on_time"], m["kept_late"], m["broken"], m["pending"], m["rate"])
        for m in p["months"]
    ]
    assert months == [
        ("2026-09", 1, 1, 0, 0, 0.5),
        ("2026-10", 0, 0, 1, 0, 0.0),
        ("2026-11", 0, 0, 0, 1, None),
    ]
    assert p["rate"] == pytest.approx(1 / 3, abs=1e-4)

    a, b = h["pulse"]
    assert [(r["date"], r["score"], r["responses"]) for r in a["results"]] == [
        ("2026-09-15", 3.5, 12),
        ("2026-11-15", 3.9, 10),
    ]
    assert (a["latest"], a["change"], a["streak"], a["suppressed"]) == (3.9, 0.4, 2, [])
    assert [(r["date"], r["score"]) for r in b["results"]] == [("2026-11-15", 3.4)]
    assert b["suppressed"] == [{"date": "2026-09-15", "reason": "fewer than 5 responses"}]

    m = h["managers"]
    rows = [
        (r["name"], r["touchpoints"], r["low"], r["last_touch"], r["never_met"]) for r in m["rows"]
    ]
    assert rows == [
        ("Al Boss", 2, False, "2026-09-10", False),
        ("王大明", 1, False, "2026-10-05", False),
        ("Cy Never", 0, True, None, True),
    ]
    assert m["median"] == 1

    assert h["feedback"] == [
        {
            "dept": "Alpha",
            "received": 1,
            "acted": 1,
            "closed": 1,
            "open": 0,
            "median_days_to_close": 20,
        },
        {
            "dept": "Beta",
            "received": 3,
            "acted": 2,
            "closed": 1,
            "open": 2,
            "median_days_to_close": 10,
        },
    ]
    assert h["recognition"] == [
        {"dept": "Alpha", "given": 0, "people": 0},
        {"dept": "Beta", "given": 1, "people": 1},
    ]


def test_one_department(cli: Cli, small: Path) -> None:
    h = health_json(cli, "--dept", "beta")
    assert (h["departments"], h["departments_chosen"]) == (["Beta"], True)
    assert [r["dept"] for r in h["coverage"]] == ["Beta"]
    assert [r["name"] for r in h["managers"]["rows"]] == ["王大明", "Cy Never"]
    assert h["managers"]["median"] == 0.5
    assert [f["dept"] for f in h["feedback"]] == ["Beta"]
    # only the promises to people in Beta: three (broken in Oct) and four (pending in Nov)
    assert [(m["month"], m["broken"], m["pending"]) for m in h["promises"]["months"]] == [
        ("2026-10", 1, 0),
        ("2026-11", 0, 1),
    ]
    assert h["covered"]["people"] == 3


def test_unknown_department_is_refused_with_a_hint(cli: Cli, small: Path) -> None:
    result = cli("report", "health", "--dept", "Bta")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "did you mean Beta?" in result.stderr


def test_the_heat_map_starts_with_the_log(cli: Cli, small: Path) -> None:
    """No empty columns from before anything was logged (the log starts in August)."""
    h = health_json(cli, "--months", "6")
    assert h["months"][0] == "2026-06"
    assert h["coverage_months"] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert [m["touches"] for m in h["coverage"][0]["months"]] == [1, 2, 0, 1]


class Page(HTMLParser):
    """The page's sections: for each chart, whether it holds an <svg>, a <table> with a
    caption and headed columns, and its reading; and every tag and URL seen."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, dict[str, Any]] = {}
        self.current: dict[str, Any] | None = None
        self.tags: set[str] = set()
        self.urls: list[str] = []
        self.ids: list[str] = []
        self.in_reading = False
        self.svg_text: list[str] = []
        self.in_svg_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        self.urls += [v for k, v in attrs if k in ("href", "src", "xlink:href") and v]
        self.ids += [v for k, v in attrs if k == "id" and v]
        if tag == "section" and "chart" in (a.get("class") or ""):
            self.current = {"svg": 0, "title": False, "table": 0, "caption": 0, "th": 0}
            self.sections[a["id"] or ""] = self.current
        elif self.current is not None:
            if tag == "svg":
                self.current["svg"] += 1
                self.current["role"] = a.get("role")
            elif tag == "title":
                self.current["title"] = True
            elif tag in ("table", "caption"):
                self.current[tag] += 1
            elif tag == "th" and a.get("scope") == "col":
                self.current["th"] += 1
            elif tag == "p" and a.get("class") == "reading":
                self.in_reading = True
            elif tag == "text":
                self.in_svg_text = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None
        self.in_reading = self.in_reading and tag != "p"
        self.in_svg_text = self.in_svg_text and tag != "text"

    def handle_data(self, data: str) -> None:
        if self.in_reading and self.current is not None:
            self.current["reading"] = self.current.get("reading", "") + data
        if self.in_svg_text:
            self.svg_text.append(data)


def test_the_page_has_each_chart_and_its_table(cli: Cli, small: Path, tmp_path: Path) -> None:
    target = tmp_path / "health.html"
    assert ok(cli("report", "health", "--months", "3", "--output", str(target))) == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    page = Page()
    page.feed(text)
    assert list(page.sections) == CHARTS
    for key, found in page.sections.items():
        assert found["svg"] == 1 and found["role"] == "img" and found["title"], key
        assert (found["table"], found["caption"]) == (1, 1), key
        assert found["th"] >= 2, key
    readings = {k: v["reading"] for k, v in page.sections.items()}
    assert readings == {
        "coverage": "Beta: no touch in 3 weeks (window 2 weeks)",
        "promises": "33% kept on time (1 of 3); 1 broken; Oct 2026: 0%",
        "pulse": "Alpha: 3.9 of 5, up 0.4 (rising 2 results in a row)",
        "balance": "Never met: Cy Never (median touchpoints per manager: 1)",
        "feedback": "4 received, 3 acted on, 2 closed; most still open: Beta (2)",
        "recognition": "1 recognition in 3 months; none for Alpha",
    }
    # self-contained: no script, no stylesheet or font to fetch, nothing linked outside
    assert not page.tags & {"script", "link", "img", "iframe", "object"}
    assert all(u.startswith("#") for u in page.urls), page.urls
    assert "@import" not in text and re.findall(r"url\((?!#)", text) == []
    assert len(page.ids) == len(set(page.ids))  # the charts' clip paths and markers too
    # text stays text, in fonts with Traditional Chinese; the CJK name is drawn as characters
    assert "王大明 (Beta)" in page.svg_text
    assert (
        "font-family: 'Microsoft JhengHei', 'PingFang TC', 'Noto Sans CJK TC', sans-serif" in text
    )
    assert "DejaVu" not in text  # what it was laid out with, not what it is drawn in
    assert "@page { size: A4 portrait" in text
    assert "fewer than 5 responses" in text  # Beta's September result, named, not drawn


def test_private_text_never_appears(cli: Cli, small: Path, tmp_path: Path) -> None:
    page = ok(cli("report", "health", "--months", "3"))  # piped: the page on stdout
    assert page.startswith("<!DOCTYPE html>")
    data = ok(cli("report", "health", "--months", "3", "--json"))
    for secret in SECRETS:
        assert secret not in page, secret
        assert secret not in data, secret


def test_same_data_same_page(cli: Cli, small: Path) -> None:
    assert ok(cli("report", "health")) == ok(cli("report", "health"))


def test_output_is_checked_before_any_work(cli: Cli, small: Path) -> None:
    result = cli("report", "health", "--output", str(small / "health.html"))
    assert result.exit_code != 0
    assert "inside the data home" in result.stderr
    assert not (small / "health.html").exists()


def test_json_to_a_file(cli: Cli, small: Path, tmp_path: Path) -> None:
    target = tmp_path / "health.json"
    ok(cli("report", "health", "--json", "--output", str(target)))
    assert json.loads(target.read_text(encoding="utf-8"))["report"] == "health"


def test_an_empty_home_still_makes_a_page(cli: Cli, empty: Path) -> None:
    page = Page()
    page.feed(ok(cli("report", "health")))
    assert list(page.sections) == CHARTS
    assert page.sections["promises"]["reading"] == "No promise fell due in the window"
    data = json.loads(ok(cli("report", "health", "--json")))
    assert data["covered"]["entries"] == 0 and data["managers"]["rows"] == []


def test_the_terminal_summary(cli: Cli, small: Path) -> None:
    """What a person at a terminal sees instead of HTML: the readings and how to get the page."""
    from hrtrust.domain.health import health_report
    from hrtrust.domain.reports import ReportInput
    from hrtrust.present.health import page, summary
    from hrtrust.present.plain import lines
    from hrtrust.storage.paths import resolve_home
    from hrtrust.storage.store import Store
    from hrtrust.storage.touches import touches

    store = Store(resolve_home(str(small), {}))
    today = D(2026, 11, 23)
    fb = store.feedback()
    data = ReportInput(
        config=store.config(),
        contacts=store.contacts().contact,
        promises=store.promises().promise,
        feedback=fb.feedback,
        pulses=fb.pulse,
        entries=list(store.iter_log(D(2026, 9, 1), today)),
        touches=touches(store, today),
    )
    shown = lines(summary(page(health_report(data, today, months=3)), "HINT"), 100)
    assert shown is not None
    text = "\n".join(shown)
    assert "Relationship health · Sep 2026 – Nov 2026 (3 months)" in text
    assert "Coverage" in text and "Beta: no touch in 3 weeks (window 2 weeks)" in text
    assert text.rstrip().endswith("HINT")


def test_nothing_is_written_outside_the_data_home(cli: Cli, demo: Path, tmp_path: Path) -> None:
    """matplotlib's settings and font list go in a temporary folder, not ~/.config or
    ~/.cache, and the folder is gone when the command ends; the real command, as cron runs it."""
    import os
    import subprocess
    import sys

    user = tmp_path / "user"
    user.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MPL"))},
        "HOME": str(user),
        "TMPDIR": str(scratch),
        "HRTRUST_HOME": str(demo),
    }
    target = tmp_path / "health.html"
    done = subprocess.run(
        [sys.executable, "-m", "hrtrust", "--today", "2026-11-23", "report", "health"]
        + ["--output", str(target)],
        env=env,
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")  # no font warnings
    assert target.read_bytes().startswith(b"<!DOCTYPE html>")
    assert list(user.iterdir()) == [] and list(scratch.iterdir()) == []


def test_a_long_page_shows_what_matters_and_says_so(cli: Cli, empty: Path) -> None:
    """Nine departments with four managers each: the chart draws the 30 managers with the
    fewest touchpoints and the 8 pulse lines that moved most; --json keeps everything."""
    for d in range(1, 10):
        ok(cli("dept", "add", f"Dept {d}"))
        for m in range(4):
            ok(cli("contact", "add", f"Boss {d}{m}", "--dept", f"Dept {d}", "--tag", "manager"))
        ok(cli("pulse", "add", "--dept", f"Dept {d}", "--score", "3", "--date", "2026-06-15"))
        score = f"{3 + d / 10:.1f}"  # Dept 1 moved least
        ok(cli("pulse", "add", "--dept", f"Dept {d}", "--score", score, "--date", "2026-09-15"))
    ok(cli("log", "check-in", "--with", "Boss 10", "--with", "Boss 11", "--date", "2026-11-02"))
    page = ok(cli("report", "health"))
    assert "The 30 managers with the fewest touchpoints of 36;" in page
    # the two met are left out, then the last by name of those never met
    assert "Boss 12 (Dept 1)" in page and "Boss 10 (Dept 1)" not in page
    assert "Boss 83 (Dept 8)" in page and "Boss 90 (Dept 9)" not in page
    assert "Drawn: the 8 departments whose latest result moved most; 1 other department" in page
    data = health_json(cli)
    assert len(data["managers"]["rows"]) == 36 and len(data["pulse"]) == 9
