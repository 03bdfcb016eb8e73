# ruff: noqa: E501  (exact report lines)
"""`import contacts --full`: a roster v1 → v2 with every kind of moment, and Taiwanese dates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli, raw_toml, snapshot
from hrtrust.interop.csv_import import BadValue, parse_cell_birthday, parse_cell_date

# A Taiwanese HRIS export: ROC dates, 年月日, Chinese headers.
V1 = (
    "\ufeff姓名,電子郵件,部門,職稱,直屬主管,到職日,生日,工作地點\r\n"
    "王小明,xiaoming.wang@example.com,Engineering,Firmware Engineer,Maria Chen,107/05/21,3月8日,Taipei HQ\r\n"
    "Maria Chen,maria.chen@example.com,Engineering,Engineering Manager,David Okafor,2016年2月1日,,Taipei HQ\r\n"
    "劉建國,jianguo.liu@example.com,Manufacturing,Line Supervisor,陳美玲,100/09/01,,Taichung Plant\r\n"
    "Priya Nair,priya.nair@example.com,Sales,Account Manager,David Okafor,2022-03-15,07-04,Taipei HQ\r\n"
    "Tom Baker,tom.baker@example.com,Sales,Sales Rep,David Okafor,2023-01-09,,Taipei HQ\r\n"
)
# Three weeks later: 王小明 moved to Sales, Maria promoted, 劉建國 has a new manager, Tom
# left, Lin joined; then (V3) Tom comes back.
V2 = (
    "\ufeff姓名,電子郵件,部門,職稱,直屬主管,到職日,生日,工作地點\r\n"
    "王小明,xiaoming.wang@example.com,Sales,Firmware Engineer,David Okafor,107/05/21,3月8日,Taipei HQ\r\n"
    "Maria Chen,maria.chen@example.com,Engineering,Engineering Director,David Okafor,2016年2月1日,,Taipei HQ\r\n"
    "劉建國,jianguo.liu@example.com,Manufacturing,Line Supervisor,黃志豪,100/09/01,,Taichung Plant\r\n"
    "Priya Nair,priya.nair@example.com,Sales,Account Manager,David Okafor,2022-03-15,07-04,Taipei HQ\r\n"
    "林怡君,yijun.lin@example.com,Engineering,QA Engineer,Maria Chen,115年11月16日,,Taipei HQ\r\n"
)
V3 = V2 + "Tom Baker,tom.baker@example.com,Sales,Sales Rep,David Okafor,2023-01-09,,Taipei HQ\r\n"

V1_DAY = dt.date(2026, 11, 2)
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in (("v1", V1), ("v2", V2), ("v3", V3)):
        path = tmp_path / f"roster-{name}.csv"
        path.write_bytes(text.encode("utf-8"))
        out[name] = path
    return out


def people(home: Path) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in raw_toml(home / "contacts.toml")["contact"]}


def test_v1_then_v2_records_every_moment(
    cli: Cli, home: Path, empty: Path, files: dict[str, Path]
) -> None:
    first = cli("import", "contacts", str(files["v1"]), "--full", today=V1_DAY)
    assert first.exit_code == 0, first.output
    # The first roster: nobody is "new" (everyone was hired long ago), nothing moved.
    assert first.stdout.splitlines()[-2:] == [
        "Roster: no moments (no new hires, transfers, title or manager changes, leavers or returns).",
        "Saved contacts.toml (5 created, 0 updated).",
    ]
    v1 = people(home)
    assert v1["王小明"]["hired"] == dt.date(2018, 5, 21)  # ROC 107
    assert v1["王小明"]["birthday"] == "03-08"  # 3月8日
    assert v1["Maria Chen"]["hired"] == dt.date(2016, 2, 1)  # 2016年2月1日
    assert v1["劉建國"]["hired"] == dt.date(2011, 9, 1)  # ROC 100
    assert v1["劉建國"]["manager"] == "陳美玲"  # 直屬主管
    assert v1["劉建國"]["location"] == "Taichung Plant"  # 工作地點
    assert all(c["roster"] == V1_DAY for c in v1.values())

    second = cli("import", "contacts", str(files["v2"]), "--full")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == [
        "roster-v2.csv: 5 rows: 1 created, 3 updated, 1 unchanged, 0 rejected.",
        "  row 2  updated    王小明 (c1): dept, manager",
        "  row 3  updated    Maria Chen (c2): role",
        "  row 4  updated    劉建國 (c3): manager",
        "  row 5  unchanged  Priya Nair (c4)",
        "  row 6  created    林怡君 (c6)",
        "Managers who are not contacts: David Okafor (3 reports), 黃志豪 (1 report) "
        "(`contact add NAME --tag manager` puts one in `report balance`).",
        "Roster moments (6; each asks for a reach-out in the plan):",
        "  transfer     王小明 (c1): Engineering → Sales, 2026-11-23 (import date)",
        "  new manager  王小明 (c1): Maria Chen → David Okafor, 2026-11-23 (import date)",
        "  new title    Maria Chen (c2): Engineering Manager → Engineering Director, 2026-11-23 (import date)",
        "  new manager  劉建國 (c3): 陳美玲 → 黃志豪, 2026-11-23 (import date)",
        "  new hire     林怡君 (c6): Engineering, 2026-11-16 (hire date)",
        "  left         Tom Baker (c5): archived (was in Sales), 2026-11-23 (import date)",
        "Saved contacts.toml (1 created, 3 updated).",
    ]
    v2 = people(home)
    assert v2["Tom Baker"]["archived"] == TODAY  # archived, not deleted
    assert v2["王小明"]["moments"] == [
        {"date": TODAY, "kind": "transfer", "before": "Engineering", "after": "Sales"},
        {"date": TODAY, "kind": "manager", "before": "Maria Chen", "after": "David Okafor"},
    ]
    assert v2["林怡君"]["hired"] == dt.date(2026, 11, 16)  # 115年11月16日
    card = [line.rstrip() for line in cli("contact", "show", "王小明").stdout.splitlines()]
    at = card.index("Roster moments")
    assert card[at + 1 : at + 3] == [
        "2026-11-23   transfer: Engineering → Sales",
        "2026-11-23   manager: Maria Chen → David Okafor",
    ]
    assert "Archived     2026-11-23 (left)" in cli("contact", "show", "tom").stdout

    # Each moment asks for a reach-out with its reason; Tom is out of the plan.
    plan = json.loads(cli("plan", "week", "--json").stdout)
    reasons = {r["name"]: r["reason"] for r in plan["reach_out"]}
    assert reasons == {
        "王小明": "moved to Sales on Nov 23 — say hello in their new team",
        "Maria Chen": "new title on Nov 23: Engineering Director — congratulate them",
        "劉建國": "new manager: 黃志豪 (since Nov 23)",
        "林怡君": "new in Engineering on Nov 16 — welcome them",  # her 到職日
    }  # Priya, unchanged and first listed today, is first due one cadence from now
    overdue = json.loads(cli("overdue", "--json").stdout)
    assert "Tom Baker" not in json.dumps(overdue, ensure_ascii=False)

    # A touch after the moment answers it; the plan goes back to cadences.
    assert cli("log", "coffee", "--with", "王小明").exit_code == 0
    plan = json.loads(cli("plan", "week", "--json").stdout)
    assert "王小明" not in {r["name"] for r in plan["reach_out"]}

    # The same roster again: no moment twice, nothing rewritten.
    before = snapshot(home)
    again = cli("import", "contacts", str(files["v2"]), "--full")
    assert "Roster: no moments" in again.stdout
    assert snapshot(home) == before

    # Tom comes back.
    back = cli("import", "contacts", str(files["v3"]), "--full", "--json")
    data = json.loads(back.stdout)
    assert [(m["id"], m["kind"], m["after"]) for m in data["moments"]] == [
        ("c5", "returned", "Sales")
    ]
    assert "archived" not in people(home)["Tom Baker"]


def test_without_full_absent_rows_mean_nothing(
    cli: Cli, home: Path, empty: Path, files: dict[str, Path]
) -> None:
    assert cli("import", "contacts", str(files["v1"]), "--full", today=V1_DAY).exit_code == 0
    partial = cli("import", "contacts", str(files["v2"]))
    assert partial.exit_code == 0, partial.output
    assert "Roster" not in partial.stdout
    after = people(home)
    assert "archived" not in after["Tom Baker"]
    assert "moments" not in after["王小明"]
    assert after["王小明"]["dept"] == "Sales"  # still an ordinary upsert


def test_full_with_a_rejected_row_archives_nobody(
    cli: Cli, home: Path, empty: Path, files: dict[str, Path], tmp_path: Path
) -> None:
    assert cli("import", "contacts", str(files["v1"]), "--full", today=V1_DAY).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_bytes(V2.replace("2022-03-15", "99/03/15").encode("utf-8"))
    result = cli("import", "contacts", str(bad), "--full", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert (
        '  row 5  rejected   Priya Nair: ambiguous hire date "99/03/15" (ROC year 99 = 2010, '
        "or a two-digit year?): write 099/03/15 or 2010-03-15"
    ) in result.stdout
    assert "Leavers not checked: with rejected rows, an absent person may be a rejected row." in (
        result.stdout
    )
    after = people(home)
    assert "archived" not in after["Tom Baker"] and "archived" not in after["Priya Nair"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("113/01/15", dt.date(2024, 1, 15)),
        ("113-1-15", dt.date(2024, 1, 15)),
        ("113.01.15", dt.date(2024, 1, 15)),
        ("1130115", dt.date(2024, 1, 15)),
        ("2024年1月15日", dt.date(2024, 1, 15)),
        ("113年1月15日", dt.date(2024, 1, 15)),
        ("民國113年1月15日", dt.date(2024, 1, 15)),
        ("100/09/01", dt.date(2011, 9, 1)),
        ("2024/01/15", dt.date(2024, 1, 15)),
    ],
)
def test_roc_and_nian_dates(text: str, day: dt.date) -> None:
    assert parse_cell_date(text, "hire date", None) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "99/05/21",
            'ambiguous hire date "99/05/21" (ROC year 99 = 2010, or a two-digit year?): write 099/05/21 or 2010-05-21',
        ),
        ("113/02/30", 'bad hire date "113/02/30"'),
        ("2024年13月1日", 'bad hire date "2024年13月1日"'),
        (
            "03/04/2024",
            'ambiguous hire date "03/04/2024" (day/month or month/day? use --date-order)',
        ),
    ],
)
def test_ambiguous_or_impossible_dates_stay_errors(text: str, message: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_cell_date(text, "hire date", None)
    assert str(caught.value) == message


def test_birthdays_in_chinese_and_roc() -> None:
    assert parse_cell_birthday("3月8日", None) == "03-08"
    assert parse_cell_birthday("079/03/08", None) == "03-08"
    assert parse_cell_birthday("民國79年3月8日", None) == "03-08"


@given(st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2910, 12, 31)))
def test_every_roc_form_reads_back(day: dt.date) -> None:
    roc = day.year - 1911
    for text in (
        f"{roc}/{day.month:02d}/{day.day:02d}",
        f"{roc}-{day.month}-{day.day}",
        f"{roc}{day.month:02d}{day.day:02d}",
        f"民國{roc}年{day.month}月{day.day}日",
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert parse_cell_date(text, "hire date", None) == day, text


def test_forget_removes_a_manager_from_others_moments(
    cli: Cli, home: Path, empty: Path, files: dict[str, Path]
) -> None:
    assert cli("import", "contacts", str(files["v1"]), "--full", today=V1_DAY).exit_code == 0
    assert cli("import", "contacts", str(files["v2"]), "--full").exit_code == 0
    assert cli("contact", "add", "黃志豪").exit_code == 0
    assert cli("forget", "黃志豪", "--yes").exit_code == 0
    moments = people(home)["劉建國"]["moments"]
    assert moments == [
        {"date": TODAY, "kind": "manager", "before": "陳美玲", "after": "[forgotten]"}
    ]
    assert "黃志豪" not in (home / "contacts.toml").read_text(encoding="utf-8")
