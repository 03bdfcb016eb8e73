"""Departments are one registry: matching, creation, internal ones, rename, remove, doctor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli, raw_toml, snapshot
from hrtrust.domain import departments as ops
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.models import Config, Department

NOTE_TAICHUNG = (
    "hrtrust: note: new department Taichung Office (a client department; if it is HR's own: "
    'hrtrust dept add "Taichung Office" --internal)\n'
)


def registry(*names: str) -> Config:
    return Config(department=[Department(name=n) for n in names])


def test_matching_ignores_case_accents_and_spacing() -> None:
    config = registry("Taichung Office", "Ventes")
    assert ops.resolve_department(config, "taichung  OFFICE").name == "Taichung Office"
    assert ops.resolve_department(config, "véntes").name == "Ventes"
    assert ops.resolve_department(config, "ＴＡＩＣＨＵＮＧ office").name == "Taichung Office"
    with pytest.raises(UsageError) as typo:
        ops.resolve_department(config, "Taichung Ofice")
    assert typo.value.hint is not None
    assert typo.value.hint.startswith("did you mean Taichung Office?")
    with pytest.raises(NotFoundError):
        ops.resolve_department(config, "Legal", create=False)
    made = ops.resolve_department(config, "Legal")
    assert made.created == Department(name="Legal")
    assert [d.name for d in config.department] == ["Taichung Office", "Ventes", "Legal"]


def test_numbered_departments_are_not_typos() -> None:
    config = registry("Plant 1")
    assert ops.resolve_department(config, "Plant 2").created is not None


def test_a_second_spelling_never_makes_a_second_department(cli: Cli, empty: Path) -> None:
    r = cli("contact", "add", "Lin Mei", "--dept", "Taichung Office", "--tag", "ally")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "Added Lin Mei (c1).\n", NOTE_TAICHUNG)
    r = cli("contact", "add", "Chang Wei", "--dept", "taichung office")
    assert (r.exit_code, r.stderr) == (0, "")
    r = cli("contact", "add", "Hsu Ping", "--dept", "Taichung Ofice")
    assert r.exit_code == 2
    assert r.stderr == (
        "hrtrust: error: unknown department 'Taichung Ofice'\n"
        "hint: did you mean Taichung Office? (a new one: hrtrust dept add 'Taichung Ofice')\n"
    )
    assert [c["dept"] for c in raw_toml(empty / "contacts.toml")["contact"]] == [
        "Taichung Office",
        "Taichung Office",
    ]
    coverage = json.loads(cli("report", "coverage", "--json").stdout)
    (row,) = [r for r in coverage["departments"] if r["dept"] == "Taichung Office"]
    assert (row["people"], row["allies"], "no ally" in row["flags"]) == (2, ["Lin Mei"], False)


def test_init_registers_hr_as_internal_and_peers_make_internal_departments(
    cli: Cli, empty: Path
) -> None:
    assert raw_toml(empty / "config.toml")["department"] == [
        {"name": "HR", "client": False, "window": "2w"}
    ]
    assert cli("contact", "add", "Grace Liu", "--dept", "hr", "--tag", "peer").stderr == ""
    r = cli("contact", "add", "Tom Wu", "--dept", "Finance", "--tag", "peer")
    assert r.stderr == (
        "hrtrust: note: new department Finance (internal, as it was first named for a peer; "
        "if you serve it: hrtrust dept add Finance --client)\n"
    )
    cli("contact", "add", "Maria Chen", "--dept", "Sales", "--tag", "manager")
    listed = json.loads(cli("dept", "list", "--json").stdout)
    assert [(d["name"], d["client"], d["people"]) for d in listed] == [
        ("Sales", True, 1),
        ("Finance", False, 1),
        ("HR", False, 1),
    ]
    coverage = json.loads(cli("report", "coverage", "--json").stdout)
    assert [r["dept"] for r in coverage["departments"]] == ["Sales"]
    plan = json.loads(cli("plan", "week", "--json").stdout)
    assert [c["dept"] for c in plan["coverage"]] == ["Sales"]


def test_dept_add_list_and_update(cli: Cli, empty: Path) -> None:
    r = cli("dept", "add", "Taichung Office", "--headcount", "30")
    assert (r.exit_code, r.stdout) == (
        0,
        "Added Taichung Office (a client department, 30 people).\n",
    )
    r = cli("dept", "add", "taichung office", "--internal")
    assert r.stdout == "Updated Taichung Office (internal, 30 people).\n"
    r = cli("dept", "add", "Sales", "--headcount", "0")
    assert r.exit_code == 2
    out = cli("dept", "list").stdout
    assert [line.split() for line in out.splitlines()[2:]] == [
        ["HR", "internal", "0", "2w"],
        ["Taichung", "Office", "internal", "0", "30", "2w"],
    ]


def test_rename_rewrites_every_reference_in_one_change(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Lin Mei", "--dept", "Taichung Office")
    cli("activity", "add", "Office hours", "--kind", "check-in", "--rule", "weekly on thu",
        "--dept", "taichung office")  # fmt: skip
    cli("promise", "add", "Send the FAQ", "--dept", "Taichung Office", "--due", "fri")
    cli("feedback", "add", "Parking is full", "--dept", "Taichung Office")
    cli("pulse", "add", "--dept", "Taichung Office", "--score", "3.5")
    cli("log", "newsletter", "--dept", "Taichung Office", "--note", "Q4")
    r = cli("dept", "rename", "taichung office", "Taichung Branch")
    assert (r.exit_code, r.stdout) == (
        0,
        "Renamed Taichung Office to Taichung Branch (6 records changed).\n",
    )
    text = "".join(p.read_text() for p in sorted(empty.rglob("*.toml")))
    assert "Taichung Office" not in text
    assert text.count("Taichung Branch") == 7  # the registry and six records
    r = cli("dept", "remove", "Taichung Branch")
    assert r.exit_code == 2
    assert r.stderr == (
        "hrtrust: error: Taichung Branch is still in use (1 contacts, 1 activities, 1 promises, "
        "1 feedback, 1 pulse results, 1 log entries)\n"
        "hint: move them first, or merge it: hrtrust dept rename 'Taichung Branch' OTHER\n"
    )
    cli("dept", "add", "Old Plant")
    before = snapshot(empty)
    assert cli("dept", "remove", "Old Plan").exit_code == 2  # a near miss removes nothing
    assert snapshot(empty) == before
    assert cli("dept", "remove", "old plant").stdout == "Removed Old Plant.\n"


def test_rename_onto_a_known_department_merges(cli: Cli, empty: Path) -> None:
    cli("dept", "add", "Sales")
    cli("dept", "add", "Sales Taipei")
    cli("contact", "add", "Maria Chen", "--dept", "Sales Taipei")
    assert cli("dept", "rename", "Sales Taipei", "sales").exit_code == 0
    assert [d["name"] for d in raw_toml(empty / "config.toml")["department"]] == ["HR", "Sales"]
    assert raw_toml(empty / "contacts.toml")["contact"][0]["dept"] == "Sales"


def test_doctor_reports_departments_differing_only_by_case(cli: Cli, demo: Path) -> None:
    path = demo / "contacts.toml"
    text = path.read_text()
    path.write_text(text.replace('dept = "Taichung Office"', 'dept = "Taichung office"', 1))
    r = cli("doctor")
    assert r.exit_code == 9
    assert (
        "problem: departments: 'Taichung Office' and 'Taichung office' differ only by case or "
        'accents (merge them: hrtrust dept rename "Taichung office" "Taichung Office")'
    ) in r.stdout.splitlines()
    fixed = cli("dept", "rename", "Taichung office", "Taichung Office")
    assert fixed.stdout == "Spelled Taichung Office the same everywhere (1 record changed).\n"
    assert cli("doctor").exit_code == 0


def test_csv_import_matches_departments(cli: Cli, empty: Path, tmp_path: Path) -> None:
    cli("dept", "add", "Taichung Office")
    csv = tmp_path / "staff.csv"
    csv.write_text("name,department\nLin Mei,taichung office\nChang Wei,Legal\n")
    r = cli("import", "contacts", str(csv))
    assert r.exit_code == 0, r.output
    assert "New departments: Legal (client departments;" in r.stdout
    people = raw_toml(empty / "contacts.toml")["contact"]
    assert [c["dept"] for c in people] == ["Taichung Office", "Legal"]
    assert [d["name"] for d in raw_toml(empty / "config.toml")["department"]] == [
        "HR",
        "Taichung Office",
        "Legal",
    ]
    csv.write_text("name,department\nHsu Ping,Taichung Ofice\n")
    r = cli("import", "contacts", str(csv))
    assert r.exit_code == 2
    assert (
        "  row 2  rejected   Hsu Ping: unknown department 'Taichung Ofice': did you mean "
        "Taichung Office? (a new one: hrtrust dept add 'Taichung Ofice')"
    ) in r.stdout.splitlines()


def test_log_touches_several_departments_once_each(cli: Cli, empty: Path) -> None:
    for name, dept in (("Maria Chen", "Sales"), ("Lin Mei", "Engineering")):
        cli("contact", "add", name, "--dept", dept)
    r = cli("log", "newsletter", "--all-depts")
    assert r.stdout == "Logged newsletter with Engineering, Sales on Mon Nov 23 (2026-11-23.1).\n"
    r = cli("log", "open-forum", "--dept", "sales", "--dept", "Engineering", "--with", "maria")
    assert r.exit_code == 0, r.output
    coverage = json.loads(cli("report", "coverage", "--json").stdout)
    assert [(x["dept"], x["touchpoints_30d"]) for x in coverage["departments"]] == [
        ("Engineering", 2),
        ("Sales", 2),
    ]
    balance = json.loads(cli("report", "balance", "--by", "dept", "--json").stdout)
    assert sorted((x["name"], x["touchpoints"]) for x in balance["rows"]) == [
        ("Engineering", 2),
        ("Sales", 2),
    ]
    digest = json.loads(cli("digest", "--next", "--format", "json").stdout)
    assert digest["review"]["touchpoints"]["by_dept"] == {"Engineering": 2, "Sales": 2}


def test_a_home_from_before_the_registry_keeps_its_client_departments(
    cli: Cli, empty: Path
) -> None:
    config = empty / "config.toml"
    config.write_text(config.read_text().split("[[department]]")[0])  # no registry at all
    for name, dept in (("Maria Chen", "Sales"), ("Lin Mei", "Engineering")):
        contacts = empty / "contacts.toml"
        text = contacts.read_text()
        n = text.count("[[contact]]") + 1
        contacts.write_text(
            text.replace("next_id = ", "next_id_old = ").replace("next_id_old = 1", "")
            + f'\n[[contact]]\nid = "c{n}"\nname = "{name}"\ndept = "{dept}"\n'
        )
    assert cli("dept", "add", "Legal", "--internal").exit_code == 0
    listed = json.loads(cli("dept", "list", "--json").stdout)
    assert [(d["name"], d["client"]) for d in listed] == [
        ("Engineering", True),
        ("Sales", True),
        ("Legal", False),
    ]
    coverage = json.loads(cli("report", "coverage", "--json").stdout)
    assert [d["dept"] for d in coverage["departments"]] == ["Engineering", "Sales"]


def test_import_json_matches_departments(cli: Cli, demo: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    assert cli("export", "json", "--output", str(backup)).exit_code == 0
    data = json.loads(backup.read_text())
    data["contacts"]["contact"][0]["dept"] = "engineering"
    data["contacts"]["contact"][1]["dept"] = "Legal"
    backup.write_text(json.dumps(data))
    fresh = tmp_path / "fresh"
    assert cli("--home", str(fresh), "init").exit_code == 0
    r = cli("--home", str(fresh), "import", "json", str(backup))
    assert r.exit_code == 0, r.output
    people = raw_toml(fresh / "contacts.toml")["contact"]
    assert (people[0]["dept"], people[1]["dept"]) == ("Engineering", "Legal")
    assert "Legal" in [d["name"] for d in raw_toml(fresh / "config.toml")["department"]]
    data["contacts"]["contact"][1]["dept"] = "Enginering"
    backup.write_text(json.dumps(data))
    again = tmp_path / "again"
    assert cli("--home", str(again), "init").exit_code == 0
    r = cli("--home", str(again), "import", "json", str(backup))
    assert r.exit_code == 2
    assert r.stderr.endswith(
        "unknown department 'Enginering'\n"
        "hint: did you mean Engineering? (a new one: hrtrust dept add 'Enginering')\n"
    )


def test_the_plan_says_how_many_more_are_overdue(cli: Cli, empty: Path) -> None:
    import datetime as dt

    for i in range(7):
        cli("contact", "add", f"Person {i}", today=dt.date(2026, 9, 1))
    out = cli("plan", "week").stdout
    assert "2 more overdue beyond this week's budget — see `hrtrust overdue`" in out
