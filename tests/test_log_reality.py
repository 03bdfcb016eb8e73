"""Log entries that match reality: duplicates, ids never reused, names among the people there,
ambiguous kinds, bi-monthly, tag typos."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import Cli, raw_toml
from hrtrust.domain.catalogue import resolve_kind
from hrtrust.domain.contacts import one_typo
from hrtrust.domain.dates import parse_cadence
from hrtrust.domain.recurrence import to_rrule
from hrtrust.errors import AmbiguousError
from hrtrust.models import Config


@pytest.fixture
def people(cli: Cli, empty: Path) -> Path:
    for name in ("Maria Chen", "David Okafor"):
        assert cli("contact", "add", name, "--dept", "Sales").exit_code == 0
    return empty


def test_the_same_touchpoint_twice_is_refused(cli: Cli, people: Path) -> None:
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    r = cli("log", "coffee", "--with", "Maria Chen", "--note", "again?")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        "hrtrust: error: already logged as 2026-11-23.1; --again to log another\n"
        "hint: see it with `hrtrust log list --since 2026-11-23`\n"
    )
    r = cli("log", "coffee-chat", "--with", "maria", "--again")
    assert r.stdout == "Logged coffee-chat with Maria Chen on Mon Nov 23 (2026-11-23.2).\n"
    assert cli("log", "coffee-chat", "--with", "maria", "--with", "david").exit_code == 0
    assert cli("log", "newsletter", "--dept", "Sales").exit_code == 0
    assert cli("log", "newsletter", "--dept", "sales").exit_code == 2


def test_an_attended_occurrence_is_logged_once(cli: Cli, people: Path) -> None:
    rule = ["--rule", "weekly on mon", "--at", "10:00", "--start", "2026-11-01", "--dept", "Sales"]
    cli(
        "activity", "add", "Staff meeting", "--kind", "department-meeting", "--dept", "Sales", *rule
    )
    assert cli("log", "department-meeting", "--activity", "a1", "--dept", "Sales").exit_code == 0
    r = cli("log", "check-in", "--activity", "a1", "--with", "maria")
    assert r.exit_code == 2
    assert r.stderr.startswith("hrtrust: error: already logged as 2026-11-23.1; --again")


def test_entry_ids_are_never_reused_after_a_delete(cli: Cli, people: Path) -> None:
    r = cli("log", "coffee-chat", "--with", "maria", "--promise", "send it", "--due", "fri")
    assert "(2026-11-23.1)" in r.stdout
    cli("log", "check-in", "--with", "david")
    assert cli("log", "delete", "2026-11-23.2").exit_code == 0
    assert cli("log", "delete", "2026-11-23.1").exit_code == 0
    r = cli("log", "coffee-chat", "--with", "david")
    assert r.stdout == "Logged coffee-chat with David Okafor on Mon Nov 23 (2026-11-23.3).\n"
    (p,) = raw_toml(people / "promises.toml")["promise"]
    assert p["source"] == "2026-11-23.1"  # points at no other entry
    log = raw_toml(people / "log" / "2026-11.toml")
    assert log["issued"] == {"2026-11-23": 2}
    cli("log", "check-in", "--with", "maria", "--date", "2026-11-20")
    assert cli("log", "edit", "2026-11-20.1", "--date", "2026-11-19").exit_code == 0
    r = cli("log", "check-in", "--with", "david", "--date", "2026-11-20")
    assert "(2026-11-20.2)" in r.stdout


def test_a_name_prefix_is_looked_up_among_the_people_there(cli: Cli, people: Path) -> None:
    r = cli(
        "log", "coffee-chat", "--with", "maria", "--promise", "OK: will send it", "--due", "fri"
    )
    assert r.exit_code == 0, r.output
    (p,) = raw_toml(people / "promises.toml")["promise"]
    assert (p["person"], p["text"]) == ("c1", "OK: will send it")  # Maria's, not David Okafor's
    r = cli("log", "lunch-and-learn", "--with", "maria", "--with", "david",
            "--learned", "david: plays go", "--learned", "Maria: runs marathons")  # fmt: skip
    assert r.exit_code == 0, r.output
    facts = {c["id"]: [f["text"] for f in c.get("learned", [])] for c in raw_toml(
        people / "contacts.toml")["contact"]}  # fmt: skip
    assert facts == {"c1": ["runs marathons"], "c2": ["plays go"]}


def test_an_ambiguous_kind_lists_the_candidates(cli: Cli, people: Path) -> None:
    with pytest.raises(AmbiguousError) as err:
        resolve_kind("lunch", Config())
    assert err.value.hint == "use one of: lunch-and-learn, peer-lunch"
    assert resolve_kind("check", Config()).name == "check-in"
    r = cli("log", "lunch", "--with", "maria")
    assert (r.exit_code, r.stderr) == (
        4,
        "hrtrust: error: kind 'lunch' could be 2 kinds\n"
        "hint: use one of: lunch-and-learn, peer-lunch\n",
    )


def test_bi_monthly_is_bimonthly() -> None:
    assert to_rrule("bi-monthly") == to_rrule("bimonthly") == "FREQ=MONTHLY;INTERVAL=2"
    assert to_rrule("Bi-weekly on thu") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    assert parse_cadence("bi-monthly") == parse_cadence("bimonthly") == "2m"
    assert parse_cadence("bi weekly") == "2w"


def test_a_new_tag_one_typo_from_a_known_one_is_refused(cli: Cli, people: Path) -> None:
    assert one_typo("mangaer", "manager")
    assert one_typo("allly", "ally") and one_typo("peers", "peer")
    assert not one_typo("hr", "vr") and not one_typo("finance", "manager")
    r = cli("contact", "add", "Lin Mei", "--tag", "mangaer")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        "hrtrust: error: new tag 'mangaer' is one letter off manager\n"
        "hint: did you mean manager? (--new-tag to add 'mangaer' anyway)\n"
    )
    assert cli("contact", "add", "Lin Mei", "--tag", "influencer").exit_code == 0
    assert cli("contact", "edit", "maria", "--tag", "influencr").exit_code == 2
    assert cli("contact", "edit", "maria", "--tag", "influencr", "--new-tag").exit_code == 0


def test_log_date_in_the_future_is_still_refused(cli: Cli, people: Path) -> None:
    r = cli("log", "coffee-chat", "--with", "maria", "--date", "2026-11-24")
    assert r.exit_code == 2
    assert dt.date(2026, 11, 24).isoformat() in r.stderr


def test_a_prefix_names_someone_there_only_as_a_whole_name(cli: Cli, people: Path) -> None:
    """Issue 25: with several people, "OK: fine" picked David Okafor by the start of his
    family name. Only an id, a full, given or family name names a person."""
    r = cli("log", "lunch-and-learn", "--with", "maria", "--with", "david",
            "--promise", "OK: fine, will send it", "--due", "fri",
            "--learned", "Okafor: plays go", "--learned", "c1: runs marathons")  # fmt: skip
    assert r.exit_code == 0, r.output
    (p,) = raw_toml(people / "promises.toml")["promise"]
    assert (p["person"], p["text"]) == ("c1", "OK: fine, will send it")  # the first one there
    facts = {c["id"]: [f["text"] for f in c.get("learned", [])] for c in raw_toml(
        people / "contacts.toml")["contact"]}  # fmt: skip
    assert facts == {"c1": ["runs marathons"], "c2": ["plays go"]}
    r = cli("log", "check-in", "--with", "maria", "--with", "david", "--learned", "Mar: likes tea")
    assert r.exit_code == 2  # "Mar" is only part of a name: whose fact it is must be said
    assert "with several people, say whose learned it is" in r.stderr
