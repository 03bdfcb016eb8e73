"""`hrtrust log`: touchpoints with several people, learned facts, promises, and clean failures."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from conftest import Cli, snapshot


@pytest.fixture
def people(cli: Cli, empty: Path) -> Path:
    for args in (
        ["Maria Chen", "--dept", "Engineering", "--tag", "manager"],
        ["王小明", "--dept", "Engineering", "--tag", "ally"],
        ["David Okafor", "--dept", "Sales"],
    ):
        assert cli("contact", "add", *args).exit_code == 0
    return empty


def read(path: Path) -> dict:  # type: ignore[type-arg]
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_log_with_several_people_and_promises_in_one_command(cli: Cli, people: Path) -> None:
    result = cli(
        "log",
        "lunch-and-learn",
        "--with",
        "maria",
        "--with",
        "王小明",
        "--note",
        "benefits Q&A",
        "--promise",
        "Maria: send the slides",
        "--due",
        "fri",
        "--promise",
        "王小明: book the room for December",
        "--due",
        "+2w",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Logged lunch-and-learn with Maria Chen, 王小明 on Mon Nov 23 (2026-11-23.1).",
        "Promise p1: send the slides (due Fri Nov 27).",
        "Promise p2: book the room for December (due Mon Dec 7).",
    ]
    entry = read(people / "log" / "2026-11.toml")["entry"]
    assert entry == [
        {
            "id": "2026-11-23.1",
            "date": entry[0]["date"],
            "kind": "lunch-and-learn",
            "with": ["c1", "c2"],
            "depts": ["Engineering"],
            "note": "benefits Q&A",
            "promises": ["p1", "p2"],
        }
    ]
    promises = read(people / "promises.toml")["promise"]
    assert [(p["id"], p["person"], str(p["due"]), p["source"]) for p in promises] == [
        ("p1", "c1", "2026-11-27", "2026-11-23.1"),
        ("p2", "c2", "2026-12-07", "2026-11-23.1"),
    ]
    # A lunch & learn with two people is a touch for each of them.
    listing = json.loads(cli("contact", "list", "--json").stdout)
    assert {c["name"]: c["last_touch"] for c in listing} == {
        "Maria Chen": "2026-11-23",
        "王小明": "2026-11-23",
        "David Okafor": None,
    }


def test_second_entry_same_day_gets_next_number(cli: Cli, people: Path) -> None:
    cli("log", "coffee-chat", "--with", "maria")
    result = cli("log", "check-in", "--with", "david", "--date", "today")
    assert "(2026-11-23.2)" in result.stdout


def test_learned_fact_is_kept_on_the_person_with_the_date(cli: Cli, people: Path) -> None:
    result = cli(
        "log",
        "coffee-chat",
        "--with",
        "maria",
        "--date",
        "last fri",
        "--learned",
        "training for the Taipei marathon",
    )
    assert result.exit_code == 0, result.stderr
    maria = read(people / "contacts.toml")["contact"][0]
    assert [(str(f["date"]), f["text"]) for f in maria["learned"]] == [
        ("2026-11-20", "training for the Taipei marathon")
    ]
    shown = cli("contact", "show", "maria").stdout
    assert "training for the Taipei marathon" in shown
    hidden = json.loads(cli("contact", "show", "maria", "--json").stdout)
    assert "learned" not in hidden
    private = json.loads(cli("contact", "show", "maria", "--json", "--include-private").stdout)
    assert private["learned"] == [
        {"date": "2026-11-20", "text": "training for the Taipei marathon"}
    ]


def test_learned_with_several_people_needs_a_name(cli: Cli, people: Path) -> None:
    before = snapshot(people)
    result = cli("log", "coffee-chat", "-w", "maria", "-w", "david", "--learned", "has a dog")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: with several people, say whose learned")
    assert snapshot(people) == before
    ok = cli("log", "coffee-chat", "-w", "maria", "-w", "david", "--learned", "david: has a dog")
    assert ok.exit_code == 0
    david = read(people / "contacts.toml")["contact"][2]
    assert david["learned"][0]["text"] == "has a dog"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["coffee-chat", "--with", "marai"], 3, "no contact matches 'marai'"),
        (["coffee-chat", "--with", "maria", "--date", "someday"], 2, "cannot read date 'someday'"),
        (["cofee-chat", "--with", "maria"], 2, "unknown kind 'cofee-chat'"),
        (["coffee-chat", "--with", "maria", "--promise", "call back"], 2, "has no due date"),
        (
            ["coffee-chat", "--with", "maria", "--promise", "x", "--due", "soonish"],
            2,
            "cannot read",
        ),
        (["coffee-chat"], 2, "say who it was with"),
        (["coffee-chat", "--with", "maria", "--activity", "a9"], 3, "no activity a9"),
    ],
)
def test_a_failed_log_writes_nothing(
    cli: Cli, people: Path, args: list[str], code: int, message: str
) -> None:
    before = snapshot(people)
    result = cli("log", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert snapshot(people) == before


def test_did_you_mean_for_kinds_and_people(cli: Cli, people: Path) -> None:
    result = cli("log", "cofee-chat", "--with", "maria")
    assert result.stderr.splitlines()[1] == "hint: did you mean coffee-chat?"
    result = cli("log", "coffee-chat", "--with", "marai")
    assert result.stderr.splitlines()[1] == "hint: did you mean Maria Chen?"


def test_log_list_filters_and_privacy(cli: Cli, people: Path) -> None:
    cli("log", "coffee-chat", "-w", "maria", "--date", "2026-10-05", "--note", "promotion talk")
    cli("log", "check-in", "-w", "david", "--date", "2026-11-02", "--note", "pipeline worries")
    cli("log", "one-on-one", "-w", "maria", "--date", "2026-11-20", "--note", "team morale")
    assert (people / "log" / "2026-10.toml").is_file()

    def ids(*args: str) -> list[str]:
        result = cli("log", "list", "--json", *args)
        assert result.exit_code == 0, result.stderr
        return [e["id"] for e in json.loads(result.stdout)]

    assert ids() == ["2026-11-20.1", "2026-11-02.1", "2026-10-05.1"]
    assert ids("--with", "maria") == ["2026-11-20.1", "2026-10-05.1"]
    assert ids("--since", "2026-11-01") == ["2026-11-20.1", "2026-11-02.1"]
    assert ids("--search", "PIPELINE") == ["2026-11-02.1"]
    assert ids("--kind", "one-on-one") == ["2026-11-20.1"]
    plain = json.loads(cli("log", "list", "--json").stdout)
    assert all("note" not in e for e in plain)
    private = json.loads(cli("log", "list", "--json", "--include-private").stdout)
    assert private[0]["note"] == "team morale"
    assert private[0]["with_names"] == ["Maria Chen"]


def test_log_edit_moves_an_entry_and_its_promises_follow(cli: Cli, people: Path) -> None:
    cli("log", "coffee-chat", "-w", "maria", "--promise", "send it", "--due", "fri")
    result = cli("log", "edit", "2026-11-23.1", "--date", "2026-10-30", "--kind", "one-on-one")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Updated 2026-10-30.1.\n"
    assert read(people / "log" / "2026-11.toml").get("entry", []) == []
    moved = read(people / "log" / "2026-10.toml")["entry"][0]
    assert (moved["id"], moved["kind"]) == ("2026-10-30.1", "one-on-one")
    assert read(people / "promises.toml")["promise"][0]["source"] == "2026-10-30.1"


def test_log_delete_keeps_its_promises(cli: Cli, people: Path) -> None:
    cli("log", "coffee-chat", "-w", "maria", "--promise", "send it", "--due", "fri")
    result = cli("log", "delete", "2026-11-23.1")
    assert result.stdout == "Deleted 2026-11-23.1. Its promises stay: p1.\n"
    assert read(people / "log" / "2026-11.toml").get("entry", []) == []
    assert len(read(people / "promises.toml")["promise"]) == 1
    missing = cli("log", "delete", "2026-11-23.1")
    assert missing.exit_code == 3


def test_touch_index_follows_hand_edits_and_can_be_deleted(cli: Cli, people: Path) -> None:
    cli("log", "coffee-chat", "-w", "maria", "--date", "2026-11-02")

    def last():
        return {
            c["name"]: c["last_touch"] for c in json.loads(cli("contact", "list", "--json").stdout)
        }

    assert last()["Maria Chen"] == "2026-11-02"
    month = people / "log" / "2026-11.toml"
    month.write_text(
        month.read_text(encoding="utf-8").replace("2026-11-02", "2026-11-09"), encoding="utf-8"
    )
    assert last()["Maria Chen"] == "2026-11-09"
    for f in (people / ".cache").iterdir():
        f.unlink()
    assert last()["Maria Chen"] == "2026-11-09"


def test_logging_does_not_rewrite_other_months(cli: Cli, people: Path) -> None:
    cli("log", "coffee-chat", "-w", "maria", "--date", "2026-10-05")
    october = (people / "log" / "2026-10.toml").stat().st_mtime_ns
    cli("log", "coffee-chat", "-w", "maria")
    assert (people / "log" / "2026-10.toml").stat().st_mtime_ns == october


def test_a_touchpoint_cannot_be_logged_in_the_future(cli: Cli, people: Path) -> None:
    before = snapshot(people)
    result = cli("log", "coffee-chat", "-w", "maria", "--date", "tomorrow")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: 2026-11-24 is in the future")
    assert snapshot(people) == before
