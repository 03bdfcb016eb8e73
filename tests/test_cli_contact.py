"""`hrtrust contact ...`, `hrtrust init` and `hrtrust forget` through the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, raw_toml, snapshot

Result = Any


def lines(text: str) -> list[str]:
    """Output lines without the padding Rich adds at the end of table cells."""
    return [line.rstrip() for line in text.splitlines()]


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    # a department named for the first time is registered, with a note on stderr
    assert [
        x for x in result.stderr.splitlines() if not x.startswith("hrtrust: note: new dep")
    ] == []
    return str(result.stdout)


def contacts_of(home: Path) -> list[dict[str, Any]]:
    return list(raw_toml(home / "contacts.toml").get("contact", []))


@pytest.fixture
def people(cli: Cli, empty: Path) -> Path:
    """Three people, Maria with every field filled in."""
    ok(
        cli(
            "contact", "add", "Maria Chen", "--dept", "Engineering", "--role", "Director",
            "--tag", "manager", "--tag", "Ally", "--every", "2w", "--email", "m@example.org",
            "--location", "Taipei", "--birthday", "Dec 3", "--hired", "2020-02-29",
            "--note", "Daughter Amy starts college", "--manager", "Bob Wu",
        )
    )  # fmt: skip
    ok(cli("contact", "add", "王小明", "--dept", "製造部"))
    ok(cli("contact", "add", "Mark Lee", "--dept", "Sales", "--tag", "peer"))
    return empty


# -- add ---------------------------------------------------------------------------------------


def test_add_prints_the_new_id_and_stores_every_field(cli: Cli, empty: Path) -> None:
    result = cli(
        "contact", "add", "Maria Chen", "--dept", "Engineering", "--role", "Director",
        "--tag", "manager", "--tag", "Ally", "--every", "every 2 weeks", "--email",
        "m@example.org", "--location", "Taipei", "--birthday", "Dec 3", "--hired", "2020-02-29",
        "--note", "Daughter Amy starts college", "--manager", "Bob Wu",
    )  # fmt: skip
    assert ok(result) == "Added Maria Chen (c1).\n"
    assert contacts_of(empty) == [
        {
            "id": "c1",
            "name": "Maria Chen",
            "dept": "Engineering",
            "role": "Director",
            "location": "Taipei",
            "email": "m@example.org",
            "manager": "Bob Wu",
            "tags": ["manager", "ally"],
            "every": "2w",
            "birthday": "12-03",
            "hired": dt.date(2020, 2, 29),
            "added": dt.date(2026, 11, 23),
            "notes": "Daughter Amy starts college",
        }
    ]
    assert raw_toml(empty / "contacts.toml")["next_id"] == 2


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Dec 3", "12-03"), ("12-03", "12-03"), ("3 december", "12-03"), ("feb 29", "02-29")],
)
def test_birthday_keeps_month_and_day(cli: Cli, empty: Path, typed: str, stored: str) -> None:
    ok(cli("contact", "add", "Maria Chen", "--birthday", typed))
    assert contacts_of(empty)[0]["birthday"] == stored


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("--every", "fortnightlyish"),
            "hrtrust: error: cannot read cadence 'fortnightlyish'\n"
            "hint: use e.g. 2w, 14d, 3m, 1y, every 2 weeks, weekly, biweekly, monthly, "
            "bimonthly, quarterly or yearly\n",
        ),
        (
            ("--birthday", "02-30"),
            "hrtrust: error: no such birthday '02-30'\nhint: use MM-DD or Dec 3\n",
        ),
        (
            ("--hired", "2021-02-29"),
            "hrtrust: error: '2021-02-29' is not a real date (day is out of range for month)\n",
        ),
    ],
)
def test_bad_values_exit_2_and_write_nothing(
    cli: Cli, empty: Path, args: tuple[str, ...], stderr: str
) -> None:
    before = snapshot(empty)
    result = cli("contact", "add", "Maria Chen", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(stderr)
    assert result.stderr.count("\n") == 2  # the reason, then one hint line
    assert snapshot(empty) == before


def test_bad_every_on_edit_writes_nothing(cli: Cli, people: Path) -> None:
    before = snapshot(people)
    result = cli("contact", "edit", "maria", "--every", "sometimes", "--dept", "Sales")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "hrtrust: error: cannot read cadence 'sometimes'"
    assert snapshot(people) == before


def test_blank_name_is_refused(cli: Cli, empty: Path) -> None:
    before = snapshot(empty)
    result = cli("contact", "add", "   ")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "hrtrust: error: a contact needs a name\n",
    )
    assert snapshot(empty) == before


def test_same_name_twice_is_kept_apart_by_id(cli: Cli, empty: Path) -> None:
    ok(cli("contact", "add", "Maria Chen", "--dept", "Engineering"))
    result = cli("contact", "add", "Maria Chen", "--dept", "Sales")
    assert result.exit_code == 0
    assert result.stdout == "Added Maria Chen (c2).\n"
    assert result.stderr == (
        "hrtrust: warning: 1 other contact named Maria Chen (c1); refer to this one as c2\n"
        "hrtrust: note: new department Sales (a client department; if it is HR's own: "
        "hrtrust dept add Sales --internal)\n"
    )
    assert [(c["id"], c["dept"]) for c in contacts_of(empty)] == [
        ("c1", "Engineering"),
        ("c2", "Sales"),
    ]
    ambiguous = cli("contact", "show", "Maria Chen")
    assert (ambiguous.exit_code, ambiguous.stdout, ambiguous.stderr) == (
        4,
        "",
        "hrtrust: error: 'Maria Chen' matches 2 people\n"
        "hint: use one of: Maria Chen (c1), Maria Chen (c2)\n",
    )
    shown = json.loads(ok(cli("contact", "show", "c2", "--json")))
    assert shown["dept"] == "Sales"


# -- list and show -----------------------------------------------------------------------------


def test_list_table(cli: Cli, people: Path) -> None:
    out = lines(ok(cli("contact", "list")))
    assert len(out) == 5
    assert re.fullmatch(r"ID +Name +Dept +(Role +)?Tags +Every +Last touch", out[0])
    assert set(out[1]) == {"─"}
    # the role column only shows on a wide terminal
    assert re.fullmatch(
        r"c1 +Maria Chen +Engineering +(Director +)?manager, ally +2w +never", out[2]
    )
    assert re.fullmatch(r"c2 +王小明 +製造部 +6w +never", out[3])
    assert re.fullmatch(r"c3 +Mark Lee +Sales +peer +1m +never", out[4])


def test_list_filters(cli: Cli, people: Path) -> None:
    by_dept = lines(ok(cli("contact", "list", "--dept", "engineering")))
    assert [line.split()[0] for line in by_dept[2:]] == ["c1"]
    by_cjk_dept = lines(ok(cli("contact", "list", "--dept", "製造部")))
    assert [line.split()[0] for line in by_cjk_dept[2:]] == ["c2"]
    by_tag = lines(ok(cli("contact", "list", "--tag", "PEER")))
    assert [line.split()[0] for line in by_tag[2:]] == ["c3"]
    assert ok(cli("contact", "list", "--tag", "nobody")) == "No contacts match.\n"
    ids = [c["id"] for c in json.loads(ok(cli("contact", "list", "--tag", "ally", "--json")))]
    assert ids == ["c1"]
    both = json.loads(ok(cli("contact", "list", "--dept", "Sales", "--tag", "ally", "--json")))
    assert both == []


def test_list_empty(cli: Cli, empty: Path) -> None:
    assert ok(cli("contact", "list")) == (
        "No contacts yet. Add one with: hrtrust contact add NAME --dept D\n"
    )
    assert json.loads(ok(cli("contact", "list", "--json"))) == []


def test_list_json_leaves_private_fields_out(cli: Cli, people: Path) -> None:
    data = json.loads(ok(cli("contact", "list", "--json")))
    assert [c["id"] for c in data] == ["c1", "c2", "c3"]
    assert data[0] == {
        "id": "c1",
        "name": "Maria Chen",
        "dept": "Engineering",
        "role": "Director",
        "location": "Taipei",
        "email": "m@example.org",
        "manager": "Bob Wu",
        "tags": ["manager", "ally"],
        "every": "2w",
        "birthday": "12-03",
        "hired": "2020-02-29",
        "added": "2026-11-23",
        "cadence": "2w",
        "cadence_text": "every 2 weeks",
        "last_touch": None,
    }
    assert data[1]["name"] == "王小明"
    for contact in data:
        assert "notes" not in contact and "learned" not in contact
    assert "Amy" not in json.dumps(data)


def test_show_json_private_only_when_asked(cli: Cli, people: Path) -> None:
    plain = json.loads(ok(cli("contact", "show", "maria", "--json")))
    assert "notes" not in plain and "learned" not in plain
    private = json.loads(ok(cli("contact", "show", "maria", "--json", "--include-private")))
    assert private["notes"] == "Daughter Amy starts college"
    assert {k: v for k, v in private.items() if k != "notes"} == plain


def test_show_card(cli: Cli, people: Path) -> None:
    assert lines(ok(cli("contact", "show", "chen"))) == [
        "Maria Chen  (c1)",
        "Department   Engineering",
        "Role         Director",
        "Location     Taipei",
        "Email        m@example.org",
        "Manager      Bob Wu",
        "Tags         manager, ally",
        "Cadence      every 2 weeks",
        "Last touch   never",
        "Birthday     Dec 3",
        "Hired        2020-02-29",
        "Notes        Daughter Amy starts college",
    ]
    cjk = lines(ok(cli("contact", "show", "王小")))
    assert cjk[0] == "王小明  (c2)"
    assert cjk[1] == "Department   製造部"


def test_show_typo_and_ambiguity(cli: Cli, people: Path) -> None:
    typo = cli("contact", "show", "Maira")
    assert (typo.exit_code, typo.stdout, typo.stderr) == (
        3,
        "",
        "hrtrust: error: no contact matches 'Maira'\nhint: did you mean Maria Chen?\n",
    )
    both = cli("contact", "show", "Ma")
    assert (both.exit_code, both.stdout, both.stderr) == (
        4,
        "",
        "hrtrust: error: 'Ma' matches 2 people\nhint: use one of: Maria Chen (c1), Mark Lee (c3)\n",
    )


# -- edit, remove ------------------------------------------------------------------------------


def test_edit_sets_clears_and_untags(cli: Cli, people: Path) -> None:
    result = cli(
        "contact", "edit", "maria", "--dept", "", "--untag", "ALLY", "--tag", "new-hire",
        "--role", "VP", "--every", "", "--note", "", "--name", "Maria Chen-Wu",
    )  # fmt: skip
    assert ok(result) == "Updated Maria Chen-Wu (c1).\n"
    maria = contacts_of(people)[0]
    assert "dept" not in maria and "every" not in maria and "notes" not in maria
    assert maria["role"] == "VP"
    assert maria["tags"] == ["manager", "new-hire"]
    assert maria["name"] == "Maria Chen-Wu"
    assert maria["birthday"] == "12-03"  # untouched
    ok(cli("contact", "edit", "c1", "--untag", "manager", "--untag", "new-hire"))
    assert "tags" not in contacts_of(people)[0]


def test_edit_only_touches_the_one_contact(cli: Cli, people: Path) -> None:
    before = contacts_of(people)
    ok(cli("contact", "edit", "lee", "--birthday", "02-29", "--hired", "2024-01-02"))
    after = contacts_of(people)
    assert after[:2] == before[:2]
    assert after[2]["birthday"] == "02-29"
    assert str(after[2]["hired"]) == "2024-01-02"


def test_edit_unknown_person_writes_nothing(cli: Cli, people: Path) -> None:
    before = snapshot(people)
    result = cli("contact", "edit", "nobody", "--dept", "X")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith("hrtrust: error: no contact matches 'nobody'\n")
    assert snapshot(people) == before


def test_remove(cli: Cli, people: Path) -> None:
    result = cli("contact", "remove", "lee")
    assert ok(result) == "Removed Mark Lee (c3). To erase them from history too: hrtrust forget\n"
    assert [c["id"] for c in contacts_of(people)] == ["c1", "c2"]
    assert ok(cli("contact", "add", "Li Na")) == "Added Li Na (c4).\n"  # ids are not reused
    gone = cli("contact", "remove", "lee")
    assert gone.exit_code == 3
    assert gone.stdout == ""


# -- forget ------------------------------------------------------------------------------------

LOG_NOV = """\
schema_version = 1

[[entry]]
id = "2026-11-20.1"
date = 2026-11-20
kind = "coffee"
with = ["c1"]
note = "Maria talked about Amy"

[[entry]]
id = "2026-11-20.2"
date = 2026-11-20
kind = "meeting"
with = ["c1", "c3"]
promises = ["p1", "p2"]

[[entry]]
id = "2026-11-21.1"
date = 2026-11-21
kind = "lunch"
with = ["c3"]
"""

LOG_OCT = """\
schema_version = 1

[[entry]]
id = "2026-10-02.1"
date = 2026-10-02
kind = "coffee"
with = ["c2"]
"""

PROMISES = """\
schema_version = 1
next_id = 3

[[promise]]
id = "p1"
text = "send Maria the training plan"
person = "c1"
made = 2026-11-20
due = 2026-11-27

[[promise]]
id = "p2"
text = "book the room"
person = "c3"
made = 2026-11-20
due = 2026-11-25
"""

ACTIVITIES = """\
schema_version = 1
next_id = 3

[[activity]]
id = "a1"
title = "Engineering staff meeting"
kind = "dept-meeting"
rule = "weekly on tue"
start = 2026-01-06
with = ["c1", "c3"]

[[activity]]
id = "a2"
title = "Sales lunch"
kind = "peer-lunch"
rule = "monthly"
start = 2026-01-06
with = ["c3"]
"""

FEEDBACK = """\
schema_version = 1
next_id = 3

[[feedback]]
id = "f1"
text = "Maria wants clearer promotion criteria"
person = "c1"
date = 2026-11-02

[[feedback]]
id = "f2"
text = "Sales wants a lunch and learn"
person = "c3"
date = 2026-11-03

[[pulse]]
dept = "Sales"
date = 2026-11-01
score = 3.5
"""


@pytest.fixture
def history(people: Path) -> Path:
    (people / "log").mkdir(mode=0o700)
    files = {
        "log/2026-11.toml": LOG_NOV,
        "log/2026-10.toml": LOG_OCT,
        "promises.toml": PROMISES,
        "activities.toml": ACTIVITIES,
        "feedback.toml": FEEDBACK,
    }
    for rel, text in files.items():
        (people / rel).write_text(text, encoding="utf-8")
    return people


def test_forget_erases_a_person_everywhere(cli: Cli, history: Path) -> None:
    ok(cli("contact", "list"))  # builds the derived cache from the log first
    october = (history / "log/2026-10.toml").read_bytes()
    result = cli("forget", "maria", "--yes")
    assert ok(result) == (
        "Forgot Maria Chen (c1): contact removed; 1 log entry deleted, 1 edited; "
        "1 promise, 1 feedback item deleted; removed from 1 activity.\n"
    )
    assert [c["id"] for c in contacts_of(history)] == ["c2", "c3"]
    nov = raw_toml(history / "log/2026-11.toml")["entry"]
    assert [(e["id"], e["with"], e.get("promises")) for e in nov] == [
        ("2026-11-20.2", ["c3"], ["p2"]),
        ("2026-11-21.1", ["c3"], None),
    ]
    assert (history / "log/2026-10.toml").read_bytes() == october
    assert [p["id"] for p in raw_toml(history / "promises.toml")["promise"]] == ["p2"]
    assert [a["with"] for a in raw_toml(history / "activities.toml")["activity"]] == [
        ["c3"],
        ["c3"],
    ]
    feedback = raw_toml(history / "feedback.toml")
    assert [f["id"] for f in feedback["feedback"]] == ["f2"]
    assert feedback["pulse"] == [  # written before pulse ids: it gets one on this write
        {"id": "s1", "dept": "Sales", "date": dt.date(2026, 11, 1), "score": 3.5}
    ]
    for rel, data in snapshot(history).items():
        assert b"Maria" not in data and b"Amy" not in data, rel
    gone = cli("contact", "show", "c1")
    assert gone.exit_code == 3


def test_forget_needs_yes_off_a_terminal(cli: Cli, history: Path) -> None:
    before = snapshot(history)
    result = cli("forget", "maria")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "hrtrust: error: forget needs --yes when not run on a terminal\n",
    )
    assert snapshot(history) == before


def test_forget_with_no_other_files(cli: Cli, people: Path) -> None:
    result = cli("forget", "c3", "-y")
    assert ok(result).startswith("Forgot Mark Lee (c3): contact removed; 0 log entries deleted")
    assert [c["id"] for c in contacts_of(people)] == ["c1", "c2"]
    assert sorted(p.name for p in people.iterdir() if not p.name.startswith(".")) == [
        "activities.toml",
        "config.toml",
        "contacts.toml",
        "feedback.toml",
        "promises.toml",
    ]


# -- not set up, set up twice -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("contact", "list"),
        ("contact", "list", "--json"),
        ("contact", "add", "Maria Chen"),
        ("contact", "show", "maria"),
        ("contact", "edit", "maria", "--dept", "X"),
        ("contact", "remove", "maria"),
        ("forget", "maria", "--yes"),
    ],
)
def test_commands_without_a_home_exit_8(cli: Cli, home: Path, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.exit_code == 8
    assert result.stdout == ""
    assert result.stderr == (
        f"hrtrust: error: no hrtrust data in {home}\n"
        "hint: run `hrtrust init` (or `hrtrust init --demo` to try the demo data)\n"
    )
    assert not home.exists()


def test_init_prints_what_it_did(cli: Cli, home: Path) -> None:
    result = cli("init", "--timezone", "Asia/Taipei")
    assert ok(result) == (
        f"Created {home} (empty, 5 files).\nNext: hrtrust contact add NAME --dept D --tag ally\n"
    )
    assert raw_toml(home / "config.toml")["timezone"] == "Asia/Taipei"
    assert raw_toml(home / "contacts.toml") == {"schema_version": 1, "next_id": 1}


def test_init_twice_exits_2_and_changes_nothing(cli: Cli, people: Path) -> None:
    before = snapshot(people)
    for args in (("init",), ("init", "--timezone", "UTC")):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"hrtrust: error: {people} already holds hrtrust data\n"
            "hint: use another --home, or remove the folder first if you mean to start over\n"
        )
    assert snapshot(people) == before


def test_init_rejects_an_unknown_time_zone(cli: Cli, home: Path) -> None:
    result = cli("init", "--timezone", "Mars/Olympus")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "hrtrust: error: unknown time zone 'Mars/Olympus'\n"
        "hint: use an IANA name like Asia/Taipei or Europe/London\n",
    )
    assert not home.exists()


# -- plain output when piped -------------------------------------------------------------------


def test_piped_output_has_no_escape_codes(
    cli: Cli, people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for args in (
        ("contact", "list"),
        ("contact", "list", "--json"),
        ("contact", "show", "maria"),
        ("contact", "show", "nobody"),
        ("contact", "add", "Ann Wong"),
    ):
        result = cli(*args)
        assert "\x1b[" not in result.stdout, args
        assert "\x1b[" not in result.stderr, args


def test_forget_scrubs_shared_notes_and_the_derived_index(cli, empty) -> None:  # type: ignore[no-untyped-def]
    cli("contact", "add", "Maria Chen")
    cli("contact", "add", "Amy Wu")
    cli(
        "log",
        "lunch-and-learn",
        "-w",
        "maria",
        "-w",
        "amy",
        "--note",
        "Maria Chen and Maria's team came",
    )
    cli("contact", "list")  # builds .cache/touches.json with Maria's id in it
    result = cli("forget", "maria", "--yes")
    assert result.exit_code == 0, result.stderr
    month = (empty / "log" / "2026-11.toml").read_text(encoding="utf-8")
    # the full name is sure; "Maria" alone may be someone else: listed, not guessed
    assert "[forgotten] and Maria's team came" in month
    assert 'log entry 2026-11-23.1 (note): "Maria"' in result.stdout
    assert "To rewrite those too: hrtrust forget c1 --also Maria" in result.stdout
    cache = empty / ".cache" / "touches.json"
    assert not cache.exists() or '"c1"' not in cache.read_text(encoding="utf-8")
