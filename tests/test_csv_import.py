"""`import contacts FILE.csv`: headers, BOM, dialects, upsert, the report, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pytest

from conftest import Cli, snapshot
from hrtrust.interop.csv_import import full_name, parse_cell_birthday, parse_cell_date

HRIS = (
    "\ufeffEmployee Name,Work Email,Dept,Job Title,Office,Hire Date,Manager Name,"
    "Date of Birth,Employee ID\r\n"
    "王小明,Xiaoming.Wang@example.com,Engineering,Firmware Team Lead,Taipei HQ,2018-05-21,"
    "Maria Chen,1990-03-08,E1001\r\n"
    "Maria Chen,MARIA.CHEN@example.com,Engineering,Engineering Director,Taipei HQ,,,,E1002\r\n"
    "Priya Nair,,Sales,Account Manager,Taipei HQ,03/15/2022,,Jul 4,E1003\r\n"
    "Tom Baker,tom.baker@example.com,Sales,Rep,Taipei HQ,2024-13-45,,,E1004\r\n"
    ",nobody@example.com,Sales,Rep,,,,,E1005\r\n"
    '"Wang, Xiaoming",xiaoming.wang@EXAMPLE.com,Engineering,,,,,,E1006\r\n'
    ",,,,,,,,\r\n"
)

REPORT = [
    "hris.csv: 6 rows: 2 created, 1 updated, 0 unchanged, 3 rejected.",
    "  row 2  created    王小明 (c2)",
    "  row 3  updated    Maria Chen (c1): employee_number, location, role, tags",
    "  row 4  created    Priya Nair (c3)",
    '  row 5  rejected   Tom Baker: bad hire date "2024-13-45"',
    "  row 6  rejected   missing name",
    "  row 7  rejected   Wang, Xiaoming: duplicate email xiaoming.wang@EXAMPLE.com (also on row 2)",
    "New departments: Sales (client departments; mark HR's own with "
    "`hrtrust dept add NAME --internal`).",
    "Tagged manager (the manager column names them): Maria Chen (c1).",
]


@pytest.fixture
def hris(cli: Cli, empty: Path, tmp_path: Path) -> Path:
    """An empty home with Maria Chen in it, and the HRIS export above."""
    added = cli(
        "contact", "add", "Maria Chen", "--email", "maria.chen@example.com", "--dept", "Engineering"
    )
    assert added.exit_code == 0, added.output
    path = tmp_path / "hris.csv"
    path.write_bytes(HRIS.encode("utf-8"))
    return path


def contacts(home: Path) -> list[dict[str, object]]:
    with (home / "contacts.toml").open("rb") as fh:
        found: list[dict[str, object]] = tomllib.load(fh).get("contact", [])
    return found


def test_rejected_rows_mean_nothing_is_written(cli: Cli, home: Path, hris: Path) -> None:
    before = snapshot(home)
    result = cli("import", "contacts", str(hris))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == REPORT
    assert result.stderr == (
        "hrtrust: error: 3 of 6 rows rejected, so nothing was written\n"
        "hint: fix those rows, or add --skip-bad to import the others\n"
    )
    assert snapshot(home) == before


def test_dry_run_writes_nothing_and_says_so(cli: Cli, home: Path, hris: Path) -> None:
    before = snapshot(home)
    result = cli("import", "contacts", str(hris), "--dry-run", "--skip-bad")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [*REPORT, "Dry run: nothing was written."]
    assert snapshot(home) == before


def test_skip_bad_imports_the_good_rows_and_upserts_by_email(
    cli: Cli, home: Path, hris: Path
) -> None:
    result = cli("import", "contacts", str(hris), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "Saved contacts.toml (2 created, 1 updated; skipped 3 rejected)."
    )
    assert contacts(home) == [
        {
            "id": "c1",
            "name": "Maria Chen",
            "employee_number": "E1002",  # Employee ID
            "dept": "Engineering",
            "role": "Engineering Director",
            "location": "Taipei HQ",
            "email": "maria.chen@example.com",  # matched in any case, kept as it was
            "tags": ["manager"],  # 王小明's manager
            "added": dt.date(2026, 11, 23),  # added by hand: no `imported`
        },
        {
            "id": "c2",
            "name": "王小明",
            "employee_number": "E1001",
            "dept": "Engineering",
            "role": "Firmware Team Lead",
            "location": "Taipei HQ",
            "email": "Xiaoming.Wang@example.com",
            "manager": "Maria Chen",
            "birthday": "03-08",  # month and day only: no age is kept
            "hired": dt.date(2018, 5, 21),
            "added": dt.date(2026, 11, 23),
            "imported": dt.date(2026, 11, 23),
        },
        {
            "id": "c3",
            "name": "Priya Nair",
            "employee_number": "E1003",
            "dept": "Sales",
            "role": "Account Manager",
            "location": "Taipei HQ",
            "birthday": "07-04",
            "hired": dt.date(2022, 3, 15),
            "added": dt.date(2026, 11, 23),
            "imported": dt.date(2026, 11, 23),
        },
    ]
    # the same file again changes nothing: Priya (no e-mail) is found by her name
    again = cli("import", "contacts", str(hris), "--skip-bad", "--json")
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    assert report["counts"] == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 3}
    assert report["written"] is False


def test_json_report(cli: Cli, hris: Path) -> None:
    result = cli("import", "contacts", str(hris), "--json", "--dry-run")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["counts"] == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 3}
    assert report["ignored_columns"] == []
    assert report["columns"]["Employee ID"] == "employee_number"
    assert report["columns"]["Job Title"] == "role"
    assert report["rows"][1] == {
        "row": 3,
        "status": "updated",
        "id": "c1",
        "name": "Maria Chen",
        "changed": ["employee_number", "location", "role", "tags"],
        "reason": None,
    }
    assert report["rows"][3] == {
        "row": 5,
        "status": "rejected",
        "id": None,
        "name": "Tom Baker",
        "changed": [],
        "reason": 'bad hire date "2024-13-45"',
    }
    assert (report["dry_run"], report["written"]) == (True, False)


def test_map_semicolons_and_first_last_names(
    cli: Cli, home: Path, empty: Path, tmp_path: Path
) -> None:
    path = tmp_path / "org.csv"
    path.write_text(
        "Nachname;Vorname;Org Unit;E-Mail;Tags\n"
        "王;小明;Engineering;xm@example.com;Ally, manager\n"
        "Chen;Maria;Engineering;mc@example.com;\n",
        encoding="utf-8",
    )
    unmapped = cli("import", "contacts", str(path))
    assert unmapped.exit_code == 2
    assert unmapped.stderr.startswith("hrtrust: error: no name column found\n")
    result = cli(
        "import", "contacts", str(path),
        "--map", "nachname=last_name", "--map", "Vorname=first_name", "--map", "Org Unit=dept",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(c["name"], c["dept"], c.get("tags")) for c in contacts(home)] == [
        ("王小明", "Engineering", ["ally", "manager"]),
        ("Maria Chen", "Engineering", None),
    ]


def test_bad_map_and_unreadable_file(cli: Cli, empty: Path, hris: Path, tmp_path: Path) -> None:
    result = cli("import", "contacts", str(hris), "--map", "Cost Center=dept")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "hrtrust: error: --map 'Cost Center=dept': no column 'Cost Center' in the file"
    )
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Name\nJosé\n".encode("cp1252"))
    result = cli("import", "contacts", str(latin))
    assert result.exit_code == 2
    assert result.stderr == (
        f"hrtrust: error: {latin}:2: not UTF-8 text (byte 0xe9)\n"
        "hint: in Excel use Save As > 'CSV UTF-8 (Comma delimited)'\n"
    )


def test_exported_csv_imports_back_unchanged(cli: Cli, demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    assert cli("export", "csv", "--output", str(out)).exit_code == 0
    result = cli("import", "contacts", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 24,
        "rejected": 0,
    }


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2024-01-15", None, "2024-01-15"),
        ("2024/1/5", None, "2024-01-05"),
        ("20240115", None, "2024-01-15"),
        ("15/01/2024", None, "2024-01-15"),
        ("01/15/2024", None, "2024-01-15"),
        ("03/04/2024", "dmy", "2024-04-03"),
        ("03/04/2024", "mdy", "2024-03-04"),
        ("15 Jan 2024", None, "2024-01-15"),
        ("Jan 15, 2024", None, "2024-01-15"),
        ("2024-01-15 00:00:00", None, "2024-01-15"),
    ],
)
def test_cell_dates(text: str, order: str | None, expected: str) -> None:
    assert parse_cell_date(text, "hire date", order).isoformat() == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "03/04/2024",
            'ambiguous hire date "03/04/2024" (day/month or month/day? use --date-order)',
        ),
        ("2024-02-30", 'bad hire date "2024-02-30"'),
        ("tomorrow", 'bad hire date "tomorrow"'),
        ("soon", 'bad hire date "soon"'),
    ],
)
def test_bad_cell_dates(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(reason) + "$"):
        parse_cell_date(text, "hire date", None)


def test_birthdays_and_names() -> None:
    assert [parse_cell_birthday(t, None) for t in ("12-03", "1990-12-03", "Dec 3", "3 Dec")] == [
        "12-03"
    ] * 4
    assert parse_cell_birthday("2000-02-29", None) == "02-29"
    assert full_name("小明", "王") == "王小明"
    assert full_name("Maria", "Chen") == "Maria Chen"
    assert full_name("", "Chen") == "Chen"


def test_a_long_import_shows_a_progress_bar_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io
    import sys

    from hrtrust.present.progress import progress_bar

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    with progress_bar(5000, "Importing rows") as piped:
        assert piped is None  # stderr is not a terminal under pytest
    screen = Tty()
    monkeypatch.setattr(sys, "stderr", screen)
    with progress_bar(999, "Importing rows") as short:
        assert short is None
    with progress_bar(5000, "Importing rows") as bar:
        assert bar is not None
        bar(2500)
    assert "Importing rows" in screen.getvalue()


def test_import_of_many_rows_matches_each_row_once(cli: Cli, empty: Path, tmp_path: Path) -> None:
    rows = ["Name,Email"] + [f"Person {n},p{n}@example.com" for n in range(1500)]
    rows += ["Person 7 Again,p7@example.com"]  # same e-mail as row 9: the same person
    path = tmp_path / "many.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("import", "contacts", str(path))
    assert result.exit_code != 0
    assert "duplicate email p7@example.com (also on row 9)" in result.stdout
    assert cli("import", "contacts", str(path), "--skip-bad").exit_code == 0
    again = cli("import", "contacts", str(path), "--skip-bad")
    assert again.stdout.startswith(
        "many.csv: 1501 rows: 0 created, 0 updated, 1500 unchanged, 1 rejected."
    )


def test_a_big_import_lists_its_first_rows_and_every_rejected_one(
    cli: Cli, empty: Path, tmp_path: Path
) -> None:
    rows = ["Name,Email"] + [f"Person {n:02d},p{n}@example.com" for n in range(60)]
    rows[58] = "Person 57,not-an-email"  # file row 59 (the header is row 1)
    path = tmp_path / "sixty.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = cli("import", "contacts", str(path), "--skip-bad")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "sixty.csv: 60 rows: 59 created, 0 updated, 0 unchanged, 1 rejected."
    listed = [line for line in lines if line.startswith("  row ")]
    assert len(listed) == 51  # the first 50 accepted rows, and the rejected one
    assert listed[-1] == '  row 59  rejected   Person 57: bad email "not-an-email"'
    assert "  and 9 more rows accepted (--json lists every row)" in lines
    data = json.loads(cli("import", "contacts", str(path), "--dry-run", "--json").stdout)
    assert len(data["rows"]) == 60


def test_rows_match_as_a_scan_of_the_contacts_in_file_order_would() -> None:
    from hrtrust.interop.csv_import import _Index
    from hrtrust.models import Contact, ContactsFile

    doc = ContactsFile(
        contact=[
            Contact(id="c1", name="Ann Lee", email="x@x.com", dept="sales"),
            Contact(id="c2", name="Bea Ray", email="x@x.com", dept="Sales"),  # a hand edit
            Contact(id="c3", name="Cy Day", dept="Ops"),
        ]
    )
    index = _Index(doc)
    assert index.match(None, "X@x.com", None, "whoever") is doc.contact[0]
    moved = doc.contact[0].model_copy(update={"email": "y@x.com"})
    index.replace(doc.contact[0], moved)  # Ann's address changes
    assert index.match(None, "x@x.com", None, "Bea Ray") is doc.contact[1]  # then Bea has it
    # departments in the order the contacts first name them, whatever was updated since
    assert [c.dept for c in index.dept_holders()] == ["sales", "Sales", "Ops"]
    index.replace(doc.contact[0], doc.contact[0].model_copy(update={"role": "lead"}))
    assert [c.dept for c in index.dept_holders()] == ["sales", "Sales", "Ops"]
    index.replace(doc.contact[0], doc.contact[0].model_copy(update={"dept": "Ops"}))
    assert [c.dept for c in index.dept_holders()] == ["Ops", "Sales"]
