# ruff: noqa: E501  (exact output lines)
"""Talking points: add, list, done, remove; carried into brief and plan; closed by `log`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import Cli, raw_toml, snapshot


@pytest.fixture
def people(cli: Cli, empty: Path) -> Path:
    for name in ("Maria Chen", "David Okafor"):
        # added two months ago: due a touch this week (a new contact is due one cadence on)
        added = cli("contact", "add", name, "--dept", "Sales", today=dt.date(2026, 9, 21))
        assert added.exit_code == 0
    return empty


def test_add_list_done_remove(cli: Cli, home: Path, people: Path) -> None:
    assert cli("topic", "add", "maria", "Q1 reorg").stdout == "Topic t1 for Maria Chen: Q1 reorg\n"
    assert cli("topic", "add", "david", "quota relief").exit_code == 0
    assert cli("topic", "add", "maria", "offsite budget").exit_code == 0
    assert cli("topic", "list").stdout == (
        "t1   Maria Chen: Q1 reorg  (since Mon Nov 23)\n"
        "t2   David Okafor: quota relief  (since Mon Nov 23)\n"
        "t3   Maria Chen: offsite budget  (since Mon Nov 23)\n"
    )
    assert cli("topic", "done", "t1").stdout == "Done: t1 (Maria Chen).\n"
    assert (
        cli("topic", "list", "maria").stdout
        == "t3   Maria Chen: offsite budget  (since Mon Nov 23)\n"
    )
    assert cli("topic", "list", "maria", "--all").stdout == (
        "t1   Maria Chen: Q1 reorg  (since Mon Nov 23)  (done Mon Nov 23)\n"
        "t3   Maria Chen: offsite budget  (since Mon Nov 23)\n"
    )
    assert cli("topic", "remove", "3").stdout == "Removed t3 (Maria Chen).\n"
    assert cli("topic", "list", "maria").stdout == "No open topics for Maria Chen.\n"
    stored = raw_toml(home / "contacts.toml")
    assert stored["next_topic"] == 4
    day = dt.date(2026, 11, 23)
    assert stored["contact"][0]["topics"] == [
        {"id": "t1", "text": "Q1 reorg", "added": day, "done": day}
    ]


def test_errors_change_nothing(cli: Cli, home: Path, people: Path) -> None:
    assert cli("topic", "add", "maria", "Q1 reorg").exit_code == 0
    assert cli("topic", "done", "t1").exit_code == 0
    before = snapshot(home)
    again = cli("topic", "done", "t1")
    assert (again.exit_code, again.stderr) == (
        2, "hrtrust: error: topic t1 is already done (2026-11-23)\n"
    )  # fmt: skip
    missing = cli("topic", "remove", "t9")
    assert missing.exit_code == 3
    assert missing.stderr.startswith("hrtrust: error: no topic t9\n")
    blank = cli("topic", "add", "maria", "  ")
    assert blank.exit_code == 2
    covered = cli("log", "coffee", "--with", "maria", "--covered", "t1")
    assert covered.exit_code == 2 and "already done" in covered.stderr
    assert snapshot(home) == before


def test_log_covered_closes_topics_with_the_entry(cli: Cli, home: Path, people: Path) -> None:
    for text in ("Q1 reorg", "offsite budget", "quota relief"):
        who = "david" if text == "quota relief" else "maria"
        assert cli("topic", "add", who, text).exit_code == 0
    logged = cli("log", "coffee", "--with", "maria", "--covered", "t1", "--covered", "2")
    assert logged.stdout == (
        "Logged coffee-chat with Maria Chen on Mon Nov 23 (2026-11-23.1).\nCovered: t1, t2.\n"
    )
    entry = raw_toml(home / "log" / "2026-11.toml")["entry"][0]
    assert entry["covered"] == ["t1", "t2"]
    topics = raw_toml(home / "contacts.toml")["contact"][0]["topics"]
    assert [(t["id"], t.get("covered")) for t in topics] == [
        ("t1", "2026-11-23.1"),
        ("t2", "2026-11-23.1"),
    ]
    assert cli("topic", "list").stdout == "t3   David Okafor: quota relief  (since Mon Nov 23)\n"


def test_topics_are_private_in_json(cli: Cli, people: Path) -> None:
    assert cli("topic", "add", "maria", "Q1 reorg").exit_code == 0
    plain = json.loads(cli("topic", "list", "--json").stdout)
    assert plain == [
        {"id": "t1", "person": "c1", "name": "Maria Chen", "added": "2026-11-23",
         "done": None, "covered": None}
    ]  # fmt: skip
    private = json.loads(cli("topic", "list", "--json", "--include-private").stdout)
    assert private[0]["text"] == "Q1 reorg"
    for args in (("brief", "maria", "--json"), ("export", "json"), ("contact", "list", "--json")):
        out = cli(*args)
        assert out.exit_code == 0, out.output
        assert "Q1 reorg" not in out.stdout, args
    assert "Q1 reorg" in cli("export", "json", "--include-private").stdout
    assert "Q1 reorg" not in cli("plan", "week", "--json").stdout
    assert "Q1 reorg" not in cli("digest").stdout


def test_brief_and_plan_show_open_topics(cli: Cli, people: Path) -> None:
    assert cli("topic", "add", "maria", "Q1 reorg").exit_code == 0
    assert cli("topic", "add", "maria", "offsite budget").exit_code == 0
    brief = [line.rstrip() for line in cli("brief", "maria").stdout.splitlines()]
    at = brief.index("To raise (private)")
    assert brief[at + 1 : at + 3] == ["t1        Q1 reorg", "t2        offsite budget"]
    plan = json.loads(cli("plan", "week", "--json", "--include-private").stdout)
    assert plan["to_raise"] == {"c1": ["Q1 reorg", "offsite budget"]}
    reach = next(r for r in plan["reach_out"] if r["id"] == "c1")
    assert reach["hooks"][0] == "to raise: Q1 reorg; offsite budget"
