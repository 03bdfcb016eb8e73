# ruff: noqa: E501  (exact report lines)
"""The Taiwanese HRIS, read fully (issue 26): a Kaohsiung fab's roster with Chinese headers,
ROC dates, 英文名, 員工編號, 班別, 直屬主管 and an effective-date column, saved by Excel (UTF-8
with a BOM) or as Big5.

The English name is an alias a reference can use; rows match on the employee number first,
so a changed e-mail is an update; a night-shift person is proposed at their shift handover
and coverage counts shifts; the people 直屬主管 names are managers, so `report balance` works
right after an import; moments carry the day the file gives; a full roster archives only
people an import brought in, and its first run says whom it left alone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import Cli, raw_toml
from hrtrust.interop.csv_import import column_fields, parse_cell_date, read_table

HEADER = "員工編號,姓名,英文名,部門,職稱,班別,直屬主管,到職日,生效日,電子郵件,工作地點"
ROWS = [
    "T0001,黃志明,Jimmy Huang,製造部,製造部經理,日班,林國華,民國 98/03/02,,jimmy.huang@kfab.example.com,高雄廠",
    "T0012,劉家豪,Jack Liu,製造部,夜班領班,夜班,T0001,102/07/15,,jack.liu@kfab.example.com,高雄廠",
    "T0105,王怡婷,Tina Wang,製造部,製程工程師,日班,黃志明,1080901,,tina.wang@kfab.example.com,高雄廠",
    "T0231,陳建宏,,製造部,製造技術員,夜班,Jack Liu,110-04-06,,jianhong.chen@kfab.example.com,高雄廠",
    "T0232,張雅雯,Vivian Chang,製造部,製造技術員,夜班,T0012,111/02/14,,vivian.chang@kfab.example.com,高雄廠",
    "T0240,李宗翰,,製造部,製造技術員,大夜班,劉家豪,112/10/02,,zonghan.li@kfab.example.com,高雄廠",
    "T0620,林欣怡,Cindy Lin,製造部,製造技術員,夜班,劉家豪,115/11/16,,cindy.lin@kfab.example.com,高雄廠",
    "T0310,吳美玲,Meiling Wu,設備工程部,設備工程部經理,日班,林國華,民國100年8月1日,,meiling.wu@kfab.example.com,高雄廠",
    "T0311,蔡承恩,Ethan Tsai,設備工程部,設備工程師,輪班,吳美玲,109/06/15,,ethan.tsai@kfab.example.com,高雄廠",
    "T0318,許志偉,,設備工程部,設備技術員,夜班,吳美玲,113/03/18,,zhiwei.xu@kfab.example.com,高雄廠",
    "T0402,鄭淑芬,Sophie Cheng,品保部,品保部經理,日班,林國華,104/01/05,,sophie.cheng@kfab.example.com,高雄廠",
    "T0405,楊佳穎,Joy Yang,品保部,品保工程師,中班,鄭淑芬,111/09/26,,joy.yang@kfab.example.com,高雄廠",
    "T0501,郭俊傑,,廠務部,廠務課長,日班,林國華,099/11/01,,junjie.guo@kfab.example.com,高雄廠",
    "T0502,謝明哲,,廠務部,廠務技術員,輪班,郭俊傑,112/05/22,,mingzhe.hsieh@kfab.example.com,高雄廠",
]
# A week later: 劉家豪's address changed (same 員工編號), 蔡承恩 moved to 製造部 and 楊佳穎 was
# promoted (both effective Dec 1), 許志偉 left, 周冠宇 joined on Dec 1 (a graveyard shift).
V2_ROWS = [
    row.replace("jack.liu@", "jiahao.liu@")
    .replace(
        "設備工程部,設備工程師,輪班,吳美玲,109/06/15,,",
        "製造部,設備工程師,輪班,黃志明,109/06/15,115/12/01,",
    )
    .replace(
        "品保工程師,中班,鄭淑芬,111/09/26,,", "資深品保工程師,中班,鄭淑芬,111/09/26,2026/12/01,"
    )
    for row in ROWS
    if not row.startswith("T0318")
] + [
    "T0633,周冠宇,Kevin Chou,製造部,製造技術員,大夜班,Jack Liu,115/12/01,,guanyu.chou@kfab.example.com,高雄廠"
]

V1_DAY = dt.date(2026, 11, 30)  # a Monday
V2_DAY = dt.date(2026, 12, 7)  # the next Monday


def excel(rows: list[str], header: str = HEADER) -> bytes:
    """The roster as Excel's "CSV UTF-8" writes it: a BOM, CRLF."""
    return "\ufeff".encode() + "\r\n".join([header, *rows, ""]).encode("utf-8")


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "員工名冊-1130.csv"
    path.write_bytes(excel(ROWS))
    return path


@pytest.fixture
def v2(tmp_path: Path) -> Path:
    path = tmp_path / "員工名冊-1207.csv"
    path.write_bytes(excel(V2_ROWS))
    return path


@pytest.fixture
def fab(cli: Cli, empty: Path, v1: Path) -> Path:
    """A new partner's home: an HR colleague added by hand, then the roster imported (not
    --full: the first export is often "everyone in my departments")."""
    added = cli("contact", "add", "陳怡君", "--dept", "人資部", "--tag", "peer", today=V1_DAY)
    assert added.exit_code == 0, added.output
    result = cli("import", "contacts", str(v1), today=V1_DAY)
    assert result.exit_code == 0, result.output
    return empty


def people(home: Path) -> dict[str, dict[str, object]]:
    return {c["name"]: c for c in raw_toml(home / "contacts.toml")["contact"]}


# -- reading the file -------------------------------------------------------------------------


def test_chinese_headers_are_read_without_map() -> None:
    columns = "工號,員工姓名,英文姓名,單位,職稱,班次,主管,到職日期,異動日期,Email,工作地點".split(
        ","
    )
    fields = column_fields(columns, [])
    assert [fields[i] for i in range(len(columns))] == [
        "employee_number",
        "name",
        "english_name",
        "dept",
        "role",
        "shift",
        "manager",
        "hired",
        "effective_date",
        "email",
        "location",
    ]
    more = column_fields(["員編", "姓名", "班別", "直屬主管", "生效日", "電子郵件", "部門"], [])
    assert sorted(more.values()) == sorted(
        ["employee_number", "name", "shift", "manager", "effective_date", "email", "dept"]
    )


def test_map_takes_the_three_new_fields(cli: Cli, empty: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "人員代號,姓名,Preferred Name EN,排班,部門\r\nA-77,劉家豪,Jack Liu,夜班,製造部\r\n", "utf-8"
    )
    result = cli(
        "import",
        "contacts",
        str(path),
        "--map",
        "人員代號=employee_number",
        "--map",
        "Preferred Name EN=english_name",
        "--map",
        "排班=shift",
        "--json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ignored_columns"] == []
    (c,) = people(empty).values()
    assert (c["employee_number"], c["english_name"], c["shift"]) == ("A-77", "Jack Liu", "夜班")


@pytest.mark.parametrize(
    "text",
    ["民國 115/12/03", "民國115/12/03", "115-12-03", "115/12/3", "1151203", "民國115年12月3日"],
)
def test_roc_dates(text: str) -> None:
    assert parse_cell_date(text, "hire date", None) == dt.date(2026, 12, 3)


def test_roc_era_makes_a_two_digit_year_a_roc_year() -> None:
    assert parse_cell_date("民國99/05/21", "hire date", None) == dt.date(2010, 5, 21)


def test_big5_as_excel_saves_it_in_taiwan_reads_like_utf8(tmp_path: Path) -> None:
    big5 = "\r\n".join([HEADER, *ROWS, ""]).encode("cp950")
    assert read_table(big5, "big5.csv") == read_table(excel(ROWS), "utf8.csv")


def test_latin1_is_never_guessed_as_big5(cli: Cli, empty: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("Name,Dept\r\nRenée Müller,Sales\r\n".encode("cp1252"))
    result = cli("import", "contacts", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"hrtrust: error: {path}:2: not UTF-8 text (byte 0xe9)\n")


# -- the first import ---------------------------------------------------------------------------


def test_first_import_keeps_every_field_and_tags_the_managers(
    cli: Cli, empty: Path, v1: Path
) -> None:
    result = cli("import", "contacts", str(v1), today=V1_DAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-3:] == [
        "Tagged manager (the manager column names them): 黃志明 (c1), 劉家豪 (c2), 吳美玲 (c8), 鄭淑芬 (c11), 郭俊傑 (c13).",
        "Managers who are not contacts: 林國華 (4 reports) (`contact add NAME --tag manager` puts one in `report balance`).",
        "Saved contacts.toml (14 created, 0 updated).",
    ]
    found = people(empty)
    jack = found["劉家豪"]
    assert jack["english_name"] == "Jack Liu"
    assert jack["employee_number"] == "T0012"
    assert jack["shift"] == "夜班"
    assert jack["hired"] == dt.date(2013, 7, 15)  # ROC 102/07/15
    assert jack["manager"] == "黃志明"  # 直屬主管 "T0001": his employee number
    assert jack["tags"] == ["manager"]
    assert jack["imported"] == V1_DAY  # an import brought him in
    assert found["黃志明"]["hired"] == dt.date(2009, 3, 2)  # 民國 98/03/02
    assert found["吳美玲"]["hired"] == dt.date(2011, 8, 1)  # 民國100年8月1日
    assert found["王怡婷"]["hired"] == dt.date(2019, 9, 1)  # 1080901
    # a manager written by English name or employee number is stored by name
    assert found["陳建宏"]["manager"] == "劉家豪"  # "Jack Liu"
    assert found["張雅雯"]["manager"] == "劉家豪"  # "T0012"
    assert "tags" not in found["陳建宏"]
    assert found["林欣怡"]["tags"] == ["new-hire"]  # 到職 115/11/16, two weeks ago


def test_a_manager_already_stored_is_tagged_and_named(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    assert cli("contact", "add", "黃志明", "--dept", "製造部").exit_code == 0
    path = tmp_path / "team.csv"
    path.write_bytes(excel([ROWS[2]]))  # 王怡婷, whose manager is 黃志明
    result = cli("import", "contacts", str(path))
    assert result.exit_code == 0, result.output
    assert "Tagged manager (the manager column names them): 黃志明 (c1)." in result.stdout
    assert people(empty)["黃志明"]["tags"] == ["manager"]


def test_report_balance_works_right_after_an_import(cli: Cli, fab: Path) -> None:
    result = cli("report", "balance", "--json", today=V1_DAY)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert sorted(r["name"] for r in rows) == ["劉家豪", "吳美玲", "郭俊傑", "鄭淑芬", "黃志明"]
    assert all(r["touchpoints"] == 0 for r in rows)
    assert cli("log", "one-on-one", "--with", "Jimmy", today=V1_DAY).exit_code == 0
    again = json.loads(cli("report", "balance", "--json", today=V1_DAY).stdout)
    assert {r["name"]: r["touchpoints"] for r in again["rows"]}["黃志明"] == 1


# -- the English name is an alias -------------------------------------------------------------


def test_the_english_name_finds_the_person(cli: Cli, fab: Path) -> None:
    result = cli("log", "coffee-chat", "--with", "Jack Liu", "--with", "vivian", today=V1_DAY)
    assert result.exit_code == 0, result.output
    assert "Logged coffee-chat with 劉家豪, 張雅雯" in result.stdout
    # once more, now that the name index is built and kept
    again = cli("log", "check-in", "--with", "jack liu", today=V1_DAY)
    assert again.exit_code == 0, again.output
    assert "with 劉家豪" in again.stdout
    card = cli("contact", "show", "Jack Liu", today=V1_DAY).stdout.splitlines()
    assert card[0] == "劉家豪 (Jack Liu)  (c3)"
    assert [line.split() for line in card[1:7]] == [
        ["Employee", "no.", "T0012"],
        ["Department", "製造部"],
        ["Role", "夜班領班"],
        ["Location", "高雄廠"],
        ["Shift", "夜班"],
        ["Email", "jack.liu@kfab.example.com"],
    ]
    assert cli("brief", "jack", today=V1_DAY).exit_code == 0


def test_a_word_of_the_english_name_is_a_reference_too(cli: Cli, fab: Path) -> None:
    result = cli("log", "coffee-chat", "--with", "Wang", today=V1_DAY)  # Tina Wang
    assert result.exit_code == 0, result.output
    assert "with 王怡婷" in result.stdout
    both = cli("log", "coffee-chat", "--with", "ch", today=V1_DAY)  # Chang and Cheng
    assert both.exit_code != 0
    assert both.stderr.splitlines() == [
        "hrtrust: error: 'ch' matches 2 people",
        "hint: use one of: 張雅雯 (c6), 鄭淑芬 (c12)",
    ]


# -- rows match on the employee number ----------------------------------------------------------


def test_a_changed_email_with_the_same_number_is_an_update(cli: Cli, fab: Path, v2: Path) -> None:
    result = cli("import", "contacts", str(v2), "--full", "--json", today=V2_DAY)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jack = next(r for r in report["rows"] if r["name"] == "劉家豪")
    assert (jack["status"], jack["id"], jack["changed"]) == ("updated", "c3", ["email"])
    about_jack = [m for m in report["moments"] if m["name"] == "劉家豪"]
    assert about_jack == []  # not a leaver, not a new hire
    stored = people(fab)["劉家豪"]
    assert stored["email"] == "jiahao.liu@kfab.example.com"
    assert "archived" not in stored
    assert len([c for c in people(fab) if c == "劉家豪"]) == 1


def test_a_row_whose_email_is_another_numbers_is_rejected(
    cli: Cli, fab: Path, tmp_path: Path
) -> None:
    path = tmp_path / "clash.csv"
    path.write_bytes(
        excel(["T0999,劉家豪,,製造部,製造技術員,夜班,,,,jack.liu@kfab.example.com,高雄廠"])
    )
    result = cli("import", "contacts", str(path), today=V1_DAY)
    assert result.exit_code == 2
    assert (
        "  row 2  rejected   劉家豪: e-mail jack.liu@kfab.example.com belongs to 劉家豪 (c3), "
        "not to employee number T0999"
    ) in result.stdout


def test_leading_zeros_a_spreadsheet_dropped_still_match(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    first = tmp_path / "a.csv"
    first.write_bytes(excel(["000123,吳俊傑,,廠務部,技術員,日班,,,,,"], header=HEADER))
    second = tmp_path / "b.csv"
    second.write_bytes(excel(["123,吳俊傑,,廠務部,資深技術員,日班,,,,,"], header=HEADER))
    assert cli("import", "contacts", str(first)).exit_code == 0
    result = cli("import", "contacts", str(second))
    assert "  row 2  updated    吳俊傑 (c1): role" in result.stdout


# -- the plan meets shift workers on site -------------------------------------------------------


def test_a_night_shift_person_is_proposed_at_the_shift_handover(
    cli: Cli, fab: Path, v2: Path
) -> None:
    assert cli("import", "contacts", str(v2), "--full", today=V2_DAY).exit_code == 0
    plan = json.loads(cli("plan", "week", "--json", today=V2_DAY).stdout)
    reach = {r["name"]: r for r in plan["reach_out"]}
    assert reach["劉家豪"]["at"] == "20:00"  # 夜班
    assert reach["劉家豪"]["reason"] == (
        "introduction: you have not met them yet; at the 20:00 shift handover (夜班)"
    )
    assert reach["周冠宇"]["at"] == "08:00"  # 大夜班: as they hand over in the morning
    assert reach["楊佳穎"]["at"] == "16:00"  # 中班
    assert reach["蔡承恩"]["at"] is None  # 輪班: no fixed time
    assert reach["蔡承恩"]["reason"].endswith(
        "; on a rotating shift (輪班): check their roster for the day"
    )
    assert reach["吳美玲"]["at"] is None  # 日班: office hours
    text = cli("plan", "week", today=V2_DAY, env={"COLUMNS": "80"}).stdout
    assert "at the 20:00 shift handover (夜班)" in " ".join(text.split())


def test_coverage_counts_people_by_shift(cli: Cli, fab: Path) -> None:
    plan = json.loads(cli("plan", "week", "--json", today=V1_DAY).stdout)
    shifts = {c["dept"]: c["shifts"] for c in plan["coverage"]}
    assert shifts["製造部"] == {"日班": 2, "夜班": 4, "大夜班": 1}
    assert shifts["設備工程部"] == {"日班": 1, "夜班": 1, "輪班": 1}
    text = cli("plan", "week", today=V1_DAY, env={"COLUMNS": "80"}).stdout
    assert "shifts: 日班 2, 夜班 4, 大夜班 1" in text  # in the order of the day
    report = cli("report", "coverage", today=V1_DAY, env={"COLUMNS": "80"}).stdout
    assert "製造部: 日班 2, 夜班 4, 大夜班 1" in report.splitlines()
    data = json.loads(cli("report", "coverage", "--json", today=V1_DAY).stdout)
    assert {d["dept"]: d["shifts"] for d in data["departments"]}["廠務部"] == {
        "日班": 1,
        "輪班": 1,
    }


# -- the full roster: moments with their dates, leavers, people left alone ----------------------


def test_a_full_roster_after_a_plain_import_dates_its_moments_and_archives_the_leaver(
    cli: Cli, fab: Path, v2: Path
) -> None:
    result = cli("import", "contacts", str(v2), "--full", today=V2_DAY)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("Roster moments (5; each asks for a reach-out in the plan):")
    assert lines[at:] == [
        "Roster moments (5; each asks for a reach-out in the plan):",
        "  transfer     蔡承恩 (c10): 設備工程部 → 製造部, 2026-12-01 (effective date)",
        "  new manager  蔡承恩 (c10): 吳美玲 → 黃志明, 2026-12-01 (effective date)",
        "  new title    楊佳穎 (c13): 品保工程師 → 資深品保工程師, 2026-12-01 (effective date)",
        "  new hire     周冠宇 (c16): 製造部, 2026-12-01 (hire date)",
        "  left         許志偉 (c11): archived (was in 設備工程部), 2026-12-07 (import date)",
        "Left alone: 1 stored person not in this roster was added by hand, not by an import; a "
        "roster archives only people an import brought in (if they left: `hrtrust contact "
        "archive REF`).",
        "Saved contacts.toml (1 created, 3 updated).",
    ]
    after = people(fab)
    assert after["許志偉"]["archived"] == V2_DAY  # brought in by the first (plain) import
    assert "archived" not in after["陳怡君"]  # added by hand: never archived by a roster
    assert after["蔡承恩"]["moments"][0] == {
        "date": dt.date(2026, 12, 1),
        "kind": "transfer",
        "before": "設備工程部",
        "after": "製造部",
        "dated": "effective-date",
        "found": V2_DAY,
    }
    assert after["周冠宇"]["moments"] == [
        {
            "date": dt.date(2026, 12, 1),
            "kind": "hired",
            "after": "製造部",
            "dated": "hire-date",
            "found": V2_DAY,
        }
    ]
    card = cli("contact", "show", "Ethan", today=V2_DAY).stdout
    assert "2026-12-01   transfer: 設備工程部 → 製造部 (effective date)" in card
    plan = json.loads(cli("plan", "week", "--json", today=V2_DAY).stdout)
    reasons = {r["name"]: r["reason"] for r in plan["reach_out"]}
    assert reasons["周冠宇"].startswith("new in 製造部 on Dec 1 — welcome them")
    assert reasons["蔡承恩"].startswith("moved to 製造部 on Dec 1 — say hello in their new team")
    # JSON says where each date comes from
    data = json.loads(cli("import", "contacts", str(v2), "--full", "--json", today=V2_DAY).stdout)
    assert data["moments"] == [] and data["left_alone"] is None  # the second full import


def test_the_left_alone_line_is_said_by_the_first_full_import_only(
    cli: Cli, fab: Path, v1: Path
) -> None:
    first = cli("import", "contacts", str(v1), "--full", today=V1_DAY)
    assert "Left alone: 1 stored person" in first.stdout
    second = cli("import", "contacts", str(v1), "--full", today=V2_DAY)
    assert "Left alone" not in second.stdout
    assert "archived" not in people(fab)["陳怡君"]


def test_people_added_by_hand_are_never_archived_even_after_an_import_updated_them(
    cli: Cli, empty: Path, tmp_path: Path, v1: Path
) -> None:
    # added by hand, then listed (and updated) by a roster, then absent from one
    assert cli("contact", "add", "許志偉", "--email", "zhiwei.xu@kfab.example.com").exit_code == 0
    assert cli("import", "contacts", str(v1), "--full", today=V1_DAY).exit_code == 0
    assert people(empty)["許志偉"]["employee_number"] == "T0318"
    shorter = tmp_path / "shorter.csv"
    shorter.write_bytes(excel([r for r in ROWS if not r.startswith("T0318")]))
    result = cli("import", "contacts", str(shorter), "--full", today=V2_DAY)
    assert result.exit_code == 0, result.output
    assert "left " not in result.stdout and "Roster: no moments" in result.stdout
    assert "archived" not in people(empty)["許志偉"]


def test_an_effective_date_older_than_the_last_roster_is_not_the_change_s_date(
    cli: Cli, fab: Path, tmp_path: Path, v1: Path
) -> None:
    assert cli("import", "contacts", str(v1), "--full", today=V1_DAY).exit_code == 0
    moved = [
        r.replace(
            "設備工程部,設備工程師,輪班,吳美玲,109/06/15,,",
            "品保部,設備工程師,輪班,吳美玲,109/06/15,2020/06/15,",
        )
        for r in ROWS
    ]
    path = tmp_path / "moved.csv"
    path.write_bytes(excel(moved))
    data = json.loads(cli("import", "contacts", str(path), "--full", "--json", today=V2_DAY).stdout)
    (m,) = data["moments"]
    assert (m["kind"], m["date"], m["dated_by"]) == ("transfer", "2026-12-07", "import")


# -- in Chinese, at 80 columns ------------------------------------------------------------------


def test_the_import_the_card_and_the_plan_in_chinese(cli: Cli, fab: Path, v2: Path) -> None:
    result = cli("--lang", "zh-TW", "import", "contacts", str(v2), "--full", today=V2_DAY)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "  調動         蔡承恩（c10）：設備工程部 → 製造部，2026-12-01（生效日）" in out
    assert "  新進同仁     周冠宇（c16）：製造部，2026-12-01（到職日）" in out
    assert "  離職         許志偉（c11）：已封存（原屬設備工程部），2026-12-07（匯入日）" in out
    assert "未處理：1位已存聯絡人不在這份名單上" in out
    card = cli("--lang", "zh-TW", "contact", "show", "Ethan Tsai", today=V2_DAY).stdout
    assert card.splitlines()[0] == "蔡承恩（Ethan Tsai）  (c10)"
    assert "員工編號   T0311" in card and "班別       輪班" in card
    assert "2026-12-01   調動：設備工程部 → 製造部（生效日）" in card
    env = {"COLUMNS": "80"}
    plan = cli("--lang", "zh-TW", "plan", "week", today=V2_DAY, env=env).stdout
    words = " ".join(plan.split())  # wrapped at 80 columns, at a space
    assert "約在 20:00 交接班時（夜班）" in words
    assert "約在 08:00 交接班時（大夜班）" in words
    assert "班別：日班 2、夜班 4、大夜班 2、輪班 1" in plan
    coverage = cli("--lang", "zh-TW", "report", "coverage", today=V2_DAY, env=env).stdout
    assert "製造部：日班 2、夜班 4、大夜班 2、輪班 1" in coverage
    for text in (card, plan, coverage):
        assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_the_example_roster_imports_cleanly(cli: Cli, empty: Path) -> None:
    example = Path(__file__).parents[1] / "examples" / "roster-tw.csv"
    result = cli("import", "contacts", str(example), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["rejected"] == 0 and report["ignored_columns"] == []
