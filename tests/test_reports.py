"""Relationship-health reports on hand-built data: every figure checked to its exact value."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from hrtrust.domain.reports import gini, last_months

D = dt.date


def write(home: Path, rel: str, data: dict[str, Any]) -> None:
    path = home / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps({"schema_version": 1, **data}), encoding="utf-8")


def entry(eid: str, kind: str = "coffee-chat", **fields: Any) -> dict[str, Any]:
    return {"id": eid, "date": D.fromisoformat(eid.split(".")[0]), "kind": kind, **fields}


def logs(home: Path, *entries: dict[str, Any]) -> None:
    months: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        months.setdefault(f"{e['date']:%Y-%m}", []).append(e)
    for month, rows in months.items():
        write(home, f"log/{month}.toml", {"entry": rows})


def run_json(cli: Any, *args: str) -> Any:
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# -- Gini -------------------------------------------------------------------------------------


def test_gini_by_hand() -> None:
    # [0, 2, 4]: |differences| over ordered pairs = 2*(2 + 4 + 2) = 16; 2 n^2 mean = 2*9*2 = 36
    assert gini([0, 2, 4]) == pytest.approx(4 / 9)
    # [0, 0, 0, 12]: 6 ordered pairs differ by 12 = 72; 2*16*3 = 96
    assert gini([0, 0, 0, 12]) == pytest.approx(0.75)
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 0]) == 0.0
    assert gini([]) is None


def test_last_months_crosses_the_year() -> None:
    assert last_months(D(2026, 2, 10), 3) == [
        (D(2025, 12, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
    ]


# -- coverage ---------------------------------------------------------------------------------


@pytest.fixture
def coverage_home(empty: Path) -> Path:
    write(
        empty,
        "config.toml",
        {
            "timezone": "Asia/Taipei",
            "department": [
                {"name": "Alpha", "window": "2w"},
                {"name": "Beta", "window": "4w"},
                {"name": "Gamma", "window": "2w"},
                {"name": "Empty", "window": "2w"},
                {"name": "HR", "client": False},
            ],
        },
    )
    write(
        empty,
        "contacts.toml",
        {
            "next_id": 7,
            "contact": [
                {"id": "c1", "name": "Ann Ally", "dept": "Alpha", "tags": ["ally"]},
                {"id": "c2", "name": "Al Two", "dept": "Alpha"},
                {"id": "c3", "name": "Bea Only", "dept": "Beta"},
                {"id": "c4", "name": "Gus One", "dept": "Gamma"},
                {"id": "c5", "name": "Gil Two", "dept": "Gamma"},
                {"id": "c6", "name": "Hal Peer", "dept": "HR"},
            ],
        },
    )
    logs(
        empty,
        entry("2026-08-20.1", **{"with": ["c1"]}),  # 95 days ago: outside 90
        entry("2026-08-26.1", **{"with": ["c1"]}),  # 89 days ago: inside 90
        entry("2026-10-24.1", **{"with": ["c3"]}),  # 30 days ago: outside the last 30
        entry("2026-10-25.1", **{"with": ["c1", "c4"]}),  # touches Alpha and Gamma once each
        entry("2026-11-01.1", kind="department-meeting", dept="Alpha"),
        entry("2026-11-20.1", dept="Alpha", **{"with": ["c1", "c2"]}),  # counts once
        entry("2026-11-21.1", **{"with": ["c6"]}),  # HR: not a client
        entry("2026-11-24.1", **{"with": ["c1", "c3"]}),  # tomorrow: ignored
    )
    return empty


def test_coverage_counts_and_flags(cli: Any, coverage_home: Path) -> None:
    data = run_json(cli, "report", "coverage")
    rows = {r["dept"]: r for r in data["departments"]}
    # HR is not a client; client departments are listed by name everywhere (plan, digest, reports)
    assert list(rows) == ["Alpha", "Beta", "Empty", "Gamma"]
    a, b, g, e = rows["Alpha"], rows["Beta"], rows["Gamma"], rows["Empty"]
    assert (a["people"], a["allies"], a["touchpoints_30d"], a["touchpoints_90d"]) == (
        2,
        ["Ann Ally"],
        3,
        4,
    )
    assert (a["last_touch"], a["days_since"], a["flags"]) == ("2026-11-20", 3, [])
    assert (b["people"], b["touchpoints_30d"], b["touchpoints_90d"]) == (1, 0, 1)
    # 30 days since the last touch, window 4 weeks = 28 days
    assert (b["last_touch"], b["days_since"]) == ("2026-10-24", 30)
    assert b["flags"] == ["no ally", "gone quiet", "one person known"]
    assert (g["people"], g["touchpoints_30d"], g["touchpoints_90d"]) == (2, 1, 1)
    assert (g["days_since"], g["flags"]) == (29, ["no ally", "gone quiet"])
    assert (e["people"], e["touchpoints_90d"], e["last_touch"]) == (0, 0, None)
    assert e["flags"] == ["no ally", "gone quiet", "one person known"]


def test_coverage_window_boundary_is_exact(cli: Any, coverage_home: Path) -> None:
    """Alpha's window is 2 weeks: 14 days since the last touch is fine, 15 is gone quiet."""

    def alpha(day: D) -> dict[str, Any]:
        rows: list[dict[str, Any]] = run_json(cli.__class__(day), "report", "coverage")[
            "departments"
        ]
        return rows[0]

    # once Nov 24 has passed, its entry counts: 14 days later is still within the window
    assert (alpha(D(2026, 12, 8))["days_since"], alpha(D(2026, 12, 8))["flags"]) == (14, [])
    assert (alpha(D(2026, 12, 9))["days_since"], alpha(D(2026, 12, 9))["flags"]) == (
        15,
        ["gone quiet"],
    )


def test_coverage_text(cli: Any, coverage_home: Path) -> None:
    result = cli("report", "coverage")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out
    assert "Beta: last touch 30d ago, window every 4 weeks: book a visit." in out
    assert "Gamma: no HR ally (人資之友) yet" in out
    assert "Beta: only 1 person known: meet more of the team." in out
    assert "Empty: never touched" in out


# -- balance ----------------------------------------------------------------------------------


@pytest.fixture
def balance_home(empty: Path) -> Path:
    write(
        empty,
        "config.toml",
        {
            "department": [
                {"name": "Alpha", "headcount": 10},
                {"name": "Beta", "headcount": 20},
                {"name": "Gamma", "headcount": 5},
                {"name": "HR", "client": False},
            ]
        },
    )
    write(
        empty,
        "contacts.toml",
        {
            "contact": [
                {"id": "c1", "name": "Mia Most", "dept": "Alpha", "tags": ["manager"]},
                {"id": "c2", "name": "Max Mid", "dept": "Beta", "tags": ["manager"]},
                {"id": "c3", "name": "Moe None", "dept": "Gamma", "tags": ["manager"]},
                {"id": "c4", "name": "Hank HR", "dept": "HR", "tags": ["manager"]},
                {"id": "c5", "name": "Staff", "dept": "Alpha"},
            ]
        },
    )
    logs(
        empty,
        entry("2026-08-20.1", **{"with": ["c2"]}),  # 95 days ago: before the 90-day window
        entry("2026-09-10.1", **{"with": ["c1"]}),
        entry("2026-10-05.1", **{"with": ["c1", "c5"]}),
        entry("2026-10-06.1", **{"with": ["c2"]}),
        entry("2026-11-02.1", **{"with": ["c1"]}),
        entry("2026-11-03.1", **{"with": ["c1"]}),
        entry("2026-11-04.1", **{"with": ["c2"]}),
        entry("2026-11-05.1", **{"with": ["c4"]}),  # HR is not a client: not compared
    )
    return empty


def test_balance_by_manager(cli: Any, balance_home: Path) -> None:
    data = run_json(cli, "report", "balance")
    assert (data["window_days"], data["from"], data["to"]) == (90, "2026-08-26", "2026-11-23")
    rows = [(r["name"], r["touchpoints"], r["low"]) for r in data["rows"]]
    assert rows == [("Mia Most", 4, False), ("Max Mid", 2, False), ("Moe None", 0, True)]
    assert data["median"] == 2
    assert data["gini"] == 0.4444  # [4, 2, 0] -> 4/9
    trend = {m["month"]: (m["gini"], m["touchpoints"]) for m in data["gini_by_month"]}
    # no empty months from before the first touchpoint (June and July had none)
    assert list(trend) == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert trend["2026-08"] == (0.6667, 1)  # [0, 1, 0]: 4 / (2*9*(1/3))
    assert trend["2026-09"] == (0.6667, 1)  # [1, 0, 0]
    assert trend["2026-10"] == (0.3333, 2)  # [1, 1, 0]: 4 / (2*9*(2/3))
    assert trend["2026-11"] == (0.4444, 4)  # [2, 1, 0] (and HR's entry)


def test_balance_window_option(cli: Any, balance_home: Path) -> None:
    data = run_json(cli, "report", "balance", "--window", "30d")
    assert [(r["name"], r["touchpoints"]) for r in data["rows"]] == [
        ("Mia Most", 2),
        ("Max Mid", 1),
        ("Moe None", 0),
    ]
    assert data["from"] == "2026-10-25"


def test_balance_by_dept_per_head(cli: Any, balance_home: Path) -> None:
    data = run_json(cli, "report", "balance", "--by", "dept")
    assert data["per_head"] is True
    rows = [(r["name"], r["touchpoints"], r["value"], r["low"]) for r in data["rows"]]
    # Alpha 4/10, Beta 2/20, Gamma 0/5; median 0.1, so below 0.05 is low
    assert rows == [("Alpha", 4, 0.4, False), ("Beta", 2, 0.1, False), ("Gamma", 0, 0.0, True)]
    assert data["median"] == 0.1
    # [0.4, 0.1, 0]: ordered-pair differences 2*(0.3 + 0.4 + 0.1) = 1.6; 2*9*(0.5/3) = 3
    assert data["gini"] == 0.5333


def test_balance_by_dept_without_a_headcount(cli: Any, balance_home: Path) -> None:
    write(
        balance_home,
        "config.toml",
        {"department": [{"name": "Alpha", "headcount": 10}, {"name": "Beta"}, {"name": "Gamma"}]},
    )
    data = run_json(cli, "report", "balance", "--by", "dept")
    assert data["per_head"] is False
    assert data["headcount_unknown"] == ["Beta", "Gamma"]
    assert [r["value"] for r in data["rows"]] == [4.0, 2.0, 0.0]
    assert data["gini"] == 0.4444


def test_balance_text_flags_the_low_ones(cli: Any, balance_home: Path) -> None:
    out = cli("report", "balance").stdout
    assert "Median 2; Gini 0.44" in out
    assert "Give more time to: Moe None." in out
    low_lines = [line for line in out.splitlines() if "< ½ median" in line]
    assert len(low_lines) == 1 and "Moe None" in low_lines[0]


def test_balance_bad_options(cli: Any, balance_home: Path) -> None:
    assert cli("report", "balance", "--by", "team").exit_code == 2
    result = cli("report", "balance", "--window", "soon")
    assert result.exit_code == 2
    assert "cannot read cadence" in result.stderr


# -- promises ---------------------------------------------------------------------------------


def promise(pid: str, due: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": pid,
        "text": f"Promise {pid}",
        "made": D(2026, 8, 1),
        "due": D.fromisoformat(due),
        **fields,
    }


def deferrals(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"on": D(2026, 9, 1), "from": D.fromisoformat(a), "to": D.fromisoformat(b)}
        for a, b in pairs
    ]


@pytest.fixture
def promises_home(empty: Path) -> Path:
    done = {"status": "done"}
    write(
        empty,
        "promises.toml",
        {
            "promise": [
                promise("p1", "2026-09-10", closed=D(2026, 9, 10), **done),  # kept
                promise("p2", "2026-09-20", closed=D(2026, 9, 25), **done),  # 5 days late
                promise("p3", "2026-09-30", status="cancelled", closed=D(2026, 9, 1)),
                promise(
                    "p4",
                    "2026-11-05",
                    deferrals=deferrals(("2026-10-26", "2026-11-01"), ("2026-11-01", "2026-11-05")),
                ),
                promise("p5", "2026-11-10", closed=D(2026, 11, 19), **done),  # 9 days late
                promise("p6", "2026-11-30", deferrals=deferrals(("2026-11-10", "2026-11-30"))),
                promise(
                    "p7",
                    "2026-11-12",
                    closed=D(2026, 11, 1),
                    deferrals=deferrals(("2026-11-07", "2026-11-12")),
                    **done,
                ),
                promise("p8", "2026-10-15", direction="await"),  # theirs: not my keeping rate
                promise(
                    "p9", "2026-08-15", closed=D(2026, 9, 1), **done
                ),  # before the months shown
            ]
        },
    )
    return empty


def test_promise_keeping_rate_by_month(cli: Any, promises_home: Path) -> None:
    data = run_json(cli, "report", "promises", "--months", "3")
    months = {m["month"]: m for m in data["months"]}
    assert list(months) == ["2026-09", "2026-10", "2026-11"]
    sep, oct_, nov = months["2026-09"], months["2026-10"], months["2026-11"]
    assert (sep["kept_on_time"], sep["kept_late"], sep["broken"], sep["cancelled"]) == (1, 1, 0, 1)
    assert sep["rate"] == 0.5
    assert oct_["rate"] is None  # only an awaited promise fell due: n/a
    assert (nov["kept_on_time"], nov["kept_late"], nov["broken"], nov["not_yet_due"]) == (
        1,
        1,
        1,
        1,
    )
    assert nov["rate"] == 0.3333
    assert data["rate"] == 0.4  # 2 on time of 5 judged
    assert (data["kept_late"], data["average_lateness_days"]) == (2, 7.0)  # (5 + 9) / 2
    deferred = [(d["id"], d["times_deferred"], d["days_pushed"]) for d in data["most_deferred"]]
    assert deferred == [("p4", 2, 10), ("p6", 1, 20), ("p7", 1, 5)]


def test_promise_report_starts_at_the_first_month_with_a_promise(
    cli: Any, promises_home: Path
) -> None:
    data = run_json(cli, "report", "promises", "--months", "6")
    # June and July held nothing; October (only an awaited promise) stays: it is information
    assert [m["month"] for m in data["months"]] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    out = cli("report", "promises", "--months", "6").stdout
    assert out.splitlines()[1:3] == [
        "Month      Kept on time   Rate   Outcome",
        "─" * 75,
    ]
    assert "Jun 2026" not in out and "Jul 2026" not in out


def test_promise_report_text_shows_na_and_chart(cli: Any, promises_home: Path) -> None:
    out = cli("report", "promises", "--months", "3").stdout
    lines = out.splitlines()
    oct_line = next(line for line in lines if line.startswith("Oct 2026"))
    assert "n/a" in oct_line and "none fell due" in oct_line
    sep_line = next(line for line in lines if line.startswith("Sep 2026"))
    assert "█" * 5 + " " * 5 in sep_line and "50%" in sep_line
    assert "Kept on time overall: 40%; 2 kept late, on average 7 days late" in out
    assert "Most deferred" in out


# -- feedback ---------------------------------------------------------------------------------


@pytest.fixture
def feedback_home(empty: Path) -> Path:
    write(
        empty,
        "contacts.toml",
        {
            "contact": [
                {"id": "c1", "name": "Wen Line", "dept": "Plant", "notes": "SECRET NOTE"},
                {"id": "c2", "name": "Sam Sales", "dept": "Sales"},
            ]
        },
    )
    write(
        empty,
        "feedback.toml",
        {
            "next_id": 4,
            "feedback": [
                {"id": "f1", "text": "Forms take too long", "person": "c1", "date": D(2026, 11, 3)},
                {
                    "id": "f2",
                    "text": "Commission is a mystery",
                    "person": "c2",
                    "dept": "Sales",
                    "date": D(2026, 10, 1),
                    "actions": [{"date": D(2026, 10, 15), "text": "Wrote a commission FAQ"}],
                },
                {
                    "id": "f3",
                    "text": "Leave answers are slow",
                    "dept": "Taichung",
                    "date": D(2026, 9, 1),
                    "closed": D(2026, 10, 30),
                    "actions": [
                        {"date": D(2026, 10, 22), "text": "Sent leave posters"},
                        {"date": D(2026, 10, 12), "text": "Gave the office dashboard access"},
                    ],
                },
            ],
        },
    )
    return empty


def test_feedback_report_open_items_by_age(cli: Any, feedback_home: Path) -> None:
    data = run_json(cli, "report", "feedback")
    got = [(f["id"], f["age_days"], f["days_since_action"], f["source"]) for f in data]
    assert got == [("f2", 53, 39, "Sales"), ("f1", 20, None, "Plant")]
    assert "SECRET" not in json.dumps(data)
    out = cli("report", "feedback").stdout
    assert out.index("f2  53d") < out.index("f1  20d")
    assert "Oct 15    Wrote a commission FAQ" in out
    assert "no action yet: `hrtrust feedback act f1 TEXT`" in out


def test_you_said_we_did_markdown(cli: Any, feedback_home: Path) -> None:
    result = cli("report", "feedback", "--markdown")
    assert result.exit_code == 0
    assert result.stdout == (
        "## You said, we did\n"
        "\n"
        "**You said** (Taichung, Sep 1, 2026): Leave answers are slow\n"
        "\n"
        "**We did:**\n"
        "\n"
        "- Oct 12, 2026: Gave the office dashboard access\n"
        "- Oct 22, 2026: Sent leave posters\n"
        "\n"
        "*Done.*\n"
        "\n"
        "**You said** (Sales, Oct 1, 2026): Commission is a mystery\n"
        "\n"
        "**We did:**\n"
        "\n"
        "- Oct 15, 2026: Wrote a commission FAQ\n"
        "\n"
        "*Still in progress: more to come.*\n"
    )
    named = cli("report", "feedback", "--markdown", "--names", "--since", "2026-10-13").stdout
    assert named == (
        "## You said, we did\n"
        "\n"
        "**You said** (Taichung, Sep 1, 2026): Leave answers are slow\n"
        "\n"
        "**We did:**\n"
        "\n"
        "- Oct 22, 2026: Sent leave posters\n"
        "\n"
        "*Done.*\n"
        "\n"
        "**You said** (Sam Sales (Sales), Oct 1, 2026): Commission is a mystery\n"
        "\n"
        "**We did:**\n"
        "\n"
        "- Oct 15, 2026: Wrote a commission FAQ\n"
        "\n"
        "*Still in progress: more to come.*\n"
    )


def test_markdown_with_nothing_done(cli: Any, empty: Path) -> None:
    out = cli("report", "feedback", "--markdown").stdout
    assert out.startswith("## You said, we did\n\nNothing to report yet")


# -- pulse ------------------------------------------------------------------------------------


def test_pulse_trend_and_deltas(cli: Any, empty: Path) -> None:
    write(
        empty,
        "config.toml",
        {"department": [{"name": "Beta"}, {"name": "Alpha"}, {"name": "Solo"}]},
    )

    def p(dept: str, day: str, score: float, **extra: Any) -> dict[str, Any]:
        return {"dept": dept, "date": D.fromisoformat(day), "score": score, **extra}

    write(
        empty,
        "feedback.toml",
        {
            "pulse": [
                p("Alpha", "2026-06-15", 3.6),
                p("Alpha", "2026-03-15", 3.1),
                p("Alpha", "2026-09-15", 3.3),
                p("Beta", "2026-03-15", 2.0),
                p("Beta", "2026-06-15", 3.5),
                p("Beta", "2026-09-15", 4.0),
                p("Beta", "2026-12-15", 1.0),  # future: not yet
                p("Solo", "2026-09-15", 7.0, scale=10),
            ]
        },
    )
    data = run_json(cli, "report", "pulse")
    got = [(t["dept"], t["latest"], t["change"], t["streak"], t["scale"]) for t in data]
    assert got == [
        ("Beta", 4.0, 0.5, 2, 5.0),
        ("Alpha", 3.3, -0.3, -1, 5.0),
        ("Solo", 7.0, None, 0, 10.0),
    ]
    # ids are given in file order to a file written before pulse ids; results by date
    assert [(r["id"], r["score"]) for r in data[1]["results"]] == [
        ("s2", 3.1),
        ("s1", 3.6),
        ("s3", 3.3),
    ]
    out = cli("report", "pulse").stdout
    beta = next(line for line in out.splitlines() if line.startswith("Beta"))
    # one range for every department: 2/5 = 0.4 (lowest) .. 4/5 = 0.8 (highest), so
    # 3.5/5 = 0.7 is 0.75 of the way: round(0.75 * 7) = 5, the sixth block
    assert "▁▆█" in beta and "4.0 / 5" in beta and "+0.5" in beta and "rising 2 in a row" in beta
    alpha = next(line for line in out.splitlines() if line.startswith("Alpha"))
    assert "▅▇▆" in alpha and "3.3 / 5" in alpha and "-0.3" in alpha
    solo = next(line for line in out.splitlines() if line.startswith("Solo"))
    assert "7.0 / 10" in solo and "first" in solo


def test_reports_on_an_empty_home(cli: Any, empty: Path) -> None:
    for name in ("coverage", "balance", "promises", "feedback", "pulse"):
        result = cli("report", name)
        assert result.exit_code == 0, (name, result.output)
        assert cli("report", name, "--json").exit_code == 0


def test_reports_on_demo_keep_private_notes_out_of_json(cli: Any, demo: Path) -> None:
    for name in ("coverage", "balance", "promises", "feedback", "pulse"):
        text = cli("report", name, "--json").stdout
        for secret in ("Marathon", "LINE messages", "Lagos", "David quiet"):
            assert secret not in text, (name, secret)


def test_exactly_half_the_median_is_not_low() -> None:
    """Pure: counts [4, 2, 1] have median 2; 1 is half of it, not below."""
    from hrtrust.domain.reports import ReportInput, balance_report
    from hrtrust.models import Config, Contact, Interaction, Touches

    people = [Contact(id=f"c{i}", name=f"M{i}", tags=["manager"]) for i in (1, 2, 3)]
    entries = [
        Interaction(id=f"2026-11-{day:02d}.1", date=D(2026, 11, day), kind="one-on-one", with_=[w])
        for day, w in [(1, "c1"), (2, "c1"), (3, "c1"), (4, "c1"), (5, "c2"), (6, "c2"), (7, "c3")]
    ]
    data = ReportInput(Config(), people, [], [], [], entries, Touches())
    report = balance_report(data, D(2026, 11, 23))
    assert [(r.key, r.count, r.low) for r in report.rows] == [
        ("c1", 4, False),
        ("c2", 2, False),
        ("c3", 1, False),
    ]
    assert report.median == 2
    # [4, 2, 1]: ordered-pair differences 2*(2 + 3 + 1) = 12; 2*9*(7/3) = 42
    assert report.gini == round(12 / 42, 4)


@given(
    st.lists(
        st.tuples(
            st.integers(-100, 3),
            st.lists(st.sampled_from(["c1", "c2", "c3", "c9"]), max_size=3),
            st.lists(st.sampled_from(["Sales", "Finance", "Ops"]), max_size=2),
        ),
        max_size=25,
    )
)
def test_coverage_counts_each_entry_once_per_department_it_touches(
    raw: list[tuple[int, list[str], list[str]]],
) -> None:
    """The one-pass count is touched_depts over the entries in each window, entry by entry."""
    from collections import Counter

    from hrtrust.domain.departments import touched_depts
    from hrtrust.domain.reports import ReportInput, coverage_report, in_last_days
    from hrtrust.models import Config, Contact, Department, Touches, Touchpoint

    today = D(2026, 11, 23)
    people = [
        Contact(id="c1", name="A", dept="Sales"),
        Contact(id="c2", name="B", dept="Finance"),
        Contact(id="c3", name="C", dept="Sales"),
    ]
    config = Config(department=[Department(name=n) for n in ("Sales", "Finance", "Ops")])
    tps = [Touchpoint(today + dt.timedelta(days=n), "meeting", w, d) for n, w, d in raw]
    rows = coverage_report(ReportInput(config, people, [], [], [], [], Touches(), tps), today)
    dept_of = {c.id: c.dept for c in people}
    for days, got in (
        (90, {r.dept: r.last_90 for r in rows}),
        (30, {r.dept: r.last_30 for r in rows}),
    ):
        want = Counter(
            n for t in tps if in_last_days(t.date, today, days) for n in touched_depts(t, dept_of)
        )
        assert got == {r.dept: want[r.dept] for r in rows}
