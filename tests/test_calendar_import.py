# ruff: noqa: E501  (exact report lines are longer than code lines)
"""`import calendar FILE.ics`: Outlook- and Google-style exports, imported twice."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli, raw_toml, snapshot
from hrtrust.domain.catalogue import kinds
from hrtrust.interop.calendar_import import guess_kind
from hrtrust.models import Config

DATA = Path(__file__).parent / "data"
OUTLOOK = str(DATA / "outlook.ics")
GOOGLE = str(DATA / "google.ics")
ME = "ann.lee@example.com"


@pytest.fixture
def people(cli: Cli, empty: Path) -> Path:
    """Taipei time; Maria (c1), 王小明 (c2), David (c3); the Tuesday staff meeting (a1)."""
    for args in (
        ("Maria Chen", "--email", "maria.chen@example.com", "--dept", "Engineering"),
        ("王小明", "--email", "xiaoming.wang@example.com", "--dept", "Engineering"),
        ("David Okafor", "--email", "david.okafor@example.com", "--dept", "Sales"),
    ):
        assert cli("contact", "add", *args).exit_code == 0
    added = cli(
        "activity", "add", "Engineering staff meeting", "--kind", "department-meeting",
        "--rule", "weekly on tue", "--at", "10:00", "--dept", "Engineering",
        "--start", "2026-10-01",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return empty


def entries(home: Path) -> list[tuple[str, str, list[str], str | None, str, list[str]]]:
    """(id, kind, with, activity, note, uid) of every log entry, in order."""
    out = []
    for path in sorted((home / "log").glob("*.toml")):
        for e in raw_toml(path).get("entry", []):
            out.append(
                (e["id"], e["kind"], e["with"], e.get("activity"), e.get("note"), e.get("uid", []))
            )
    return out


OUTLOOK_UID = "040000008200E00074C5B7101A82E00800000000"
ONE_ON_ONE = OUTLOOK_UID + "11223344556677889900AABBCCDDEEFF"

AFTER_OUTLOOK = [
    ("2026-10-15.1", "one-on-one", ["c1"], None, "1:1 Maria / Ann", [ONE_ON_ONE + ";20261015T020000Z"]),
    ("2026-11-05.1", "coffee-chat", ["c1"], None, "Coffee with Maria", [OUTLOOK_UID + "A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6"]),
    ("2026-11-12.1", "one-on-one", ["c1"], None, "1:1 Maria / Ann", [ONE_ON_ONE + ";20261112T020000Z"]),
    ("2026-11-17.1", "department-meeting", ["c2", "c1"], "a1", "Engineering weekly", [OUTLOOK_UID + "5566778899AABBCCDDEEFF0011223344"]),
]  # fmt: skip

OUTLOOK_REPORT = """\
outlook.ics: 7 past events: 3 to log, 1 planned occurrence to mark attended, 0 already logged, 3 skipped.
  log       Thu Oct 15 10:00  1:1 Maria / Ann: one-on-one with Maria Chen{0}
  skip      Thu Oct 29 10:00  1:1 Maria / Ann: cancelled
  log       Thu Nov 5 15:00  Coffee with Maria: coffee-chat with Maria Chen{1}
  skip      Tue Nov 10 14:00  Sales pipeline review: cancelled
  log       Thu Nov 12 11:00  1:1 Maria / Ann: one-on-one with Maria Chen{2}
  attended  Tue Nov 17 10:00  Engineering weekly: department-meeting with 王小明, Maria Chen; planned: Engineering staff meeting (a1){3}
  skip      Wed Nov 18 14:00  Vendor demo: onboarding portal: no contact among the people
Not logged: 3 future events (the next 28 days).
2 attendees match no contact (add the ones you work with: hrtrust contact add NAME --email ADDRESS):
  Bob Stone <bob@vendor.example>: 1 event
  Priya Nair <priya.nair@example.com>: 1 event
"""


def test_dry_run_shows_what_would_happen_and_writes_nothing(
    cli: Cli, home: Path, people: Path
) -> None:
    before = snapshot(home)
    result = cli("import", "calendar", OUTLOOK, "--me", ME, "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout == OUTLOOK_REPORT.format("", "", "", "") + "Dry run: nothing was written.\n"
    )
    assert snapshot(home) == before


def test_outlook_then_google_twice_gives_exact_entries(cli: Cli, home: Path, people: Path) -> None:
    first = cli("import", "calendar", OUTLOOK, "--me", ME)
    assert first.exit_code == 0, first.output
    ids = [" (2026-10-15.1)", " (2026-11-05.1)", " (2026-11-12.1)", " (2026-11-17.1)"]
    assert first.stdout == OUTLOOK_REPORT.format(*ids) + (
        "Saved log/2026-10.toml, log/2026-11.toml (4 new entries, 0 merged).\n"
    )
    assert entries(home) == AFTER_OUTLOOK

    google = cli("import", "calendar", GOOGLE)  # the owner comes from X-WR-CALNAME
    assert google.exit_code == 0, google.output
    assert google.stdout.splitlines() == [
        "google.ics: 8 past events: 5 to log, 1 planned occurrence to mark attended, 1 already logged, 1 skipped.",
        "  log       Wed Nov 4 09:30  Sales pipeline sync: meeting with David Okafor (2026-11-04.1)",
        "  attended  Tue Nov 10 10:00  Engineering staff meeting: department-meeting with Maria Chen; planned: Engineering staff meeting (a1) (2026-11-10.1)",
        "  log       Fri Nov 13 (all day)  Sales offsite: meeting with David Okafor (2026-11-13.1)",
        "  log       Tue Nov 17 07:30  Early coffee chat: coffee-chat with Maria Chen (2026-11-17.2)",
        "  merge     Tue Nov 17 10:00  Engineering staff meeting with David Okafor, Maria Chen: Engineering staff meeting on this day is already logged (2026-11-17.1)",
        "  log       Wed Nov 18 09:30  Sales pipeline sync: meeting with David Okafor (2026-11-18.1)",
        "  log       Thu Nov 19 14:00  HR ally meeting – Engineering: ally-meeting with 王小明 (2026-11-19.1)",
        "  skip      Fri Nov 20 16:00  Sales Q&A: you declined",
        "Not logged: 3 future events (the next 28 days).",
        "1 attendee matches no contact (add the ones you work with: hrtrust contact add NAME --email ADDRESS):",
        "  Bob Stone <bob@vendor.example>: 1 event",
        "Saved log/2026-11.toml (6 new entries, 1 merged).",
    ]  # fmt: skip
    sync = "5k2q9v0s1m3n7p8r4t6u@google.com"
    after_both = [
        AFTER_OUTLOOK[0],
        ("2026-11-04.1", "meeting", ["c3"], None, "Sales pipeline sync", [sync + ";20261104T013000Z"]),
        AFTER_OUTLOOK[1],
        ("2026-11-10.1", "department-meeting", ["c1"], "a1", "Engineering staff meeting", ["z9y8x7w6v5u4t3s2r1q0@google.com"]),
        AFTER_OUTLOOK[2],
        ("2026-11-13.1", "meeting", ["c3"], None, "Sales offsite", ["allday0offsite1234567@google.com"]),
        # The same staff meeting in both calendars: one entry, both keys, everyone who came.
        ("2026-11-17.1", "department-meeting", ["c2", "c1", "c3"], "a1", "Engineering weekly", [*AFTER_OUTLOOK[3][5], "m1n2b3v4c5x6z7l8k9j0@google.com"]),
        # 23:30 UTC on the 16th is 07:30 on the 17th in Taipei; David declined, so not him.
        ("2026-11-17.2", "coffee-chat", ["c1"], None, "Early coffee chat", ["7h8i9j0k1l2m3n4o5p6q@google.com"]),
        ("2026-11-18.1", "meeting", ["c3"], None, "Sales pipeline sync", [sync + ";20261118T013000Z"]),
        ("2026-11-19.1", "ally-meeting", ["c2"], None, "HR ally meeting – Engineering", ["0a1b2c3d4e5f6g7h8i9j@google.com"]),
    ]  # fmt: skip
    assert entries(home) == after_both

    # Both files again: nothing is logged twice, no file is rewritten.
    before = snapshot(home)
    for path, me in ((OUTLOOK, ("--me", ME)), (GOOGLE, ())):
        again = cli("import", "calendar", path, *me)
        assert again.exit_code == 0, again.output
        assert "0 to log, 0 planned occurrences to mark attended, 0 already logged" in again.stdout
        assert again.stdout.endswith("Nothing to log.\n")
    assert snapshot(home) == before
    assert entries(home) == after_both

    # The staff meeting occurrences now show as attended in that week's plan.
    plan = json.loads(cli("plan", "week", "--week", "2026-W47", "--json").stdout)
    tue = next(d for d in plan["days"] if d["date"] == "2026-11-17")
    assert [(o["title"], o["attended"]) for o in tue["activities"]] == [
        ("Engineering staff meeting", True)
    ]


def test_json_lists_every_decision(cli: Cli, people: Path) -> None:
    result = cli("import", "calendar", GOOGLE, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"] == {
        "logged": 5, "marked_attended": 2, "merged": 0, "skipped": 1, "future": 3,
        "unreadable": 0,
    }  # fmt: skip
    assert [(e["date"], e["action"], e["kind"], e["with"], e["entry"]) for e in data["events"]] == [
        ("2026-11-04", "log", "meeting", ["c3"], None),
        ("2026-11-10", "mark-attended", "department-meeting", ["c1"], None),
        ("2026-11-13", "log", "meeting", ["c3"], None),
        ("2026-11-17", "log", "coffee-chat", ["c1"], None),
        ("2026-11-17", "mark-attended", "department-meeting", ["c3", "c1"], None),
        ("2026-11-18", "log", "meeting", ["c3"], None),
        ("2026-11-19", "log", "ally-meeting", ["c2"], None),
        ("2026-11-20", "skip", None, [], None),
    ]
    assert data["unmatched"] == [{"email": "bob@vendor.example", "name": "Bob Stone", "events": 1}]


def test_an_occurrence_already_logged_by_hand_is_merged_not_doubled(
    cli: Cli, home: Path, people: Path
) -> None:
    logged = cli(
        "log", "department-meeting", "--with", "maria", "--activity", "a1", "--date", "2026-11-10"
    )
    assert logged.exit_code == 0, logged.output
    result = cli("import", "calendar", GOOGLE)
    assert result.exit_code == 0, result.output
    assert (
        "  merge     Tue Nov 10 10:00  Engineering staff meeting with Maria Chen: "
        "Engineering staff meeting on this day is already logged (2026-11-10.1)"
    ) in result.stdout
    hand = [e for e in entries(home) if e[0].startswith("2026-11-10")]
    assert len(hand) == 1 and hand[0][5] == ["z9y8x7w6v5u4t3s2r1q0@google.com"]


def test_since_and_own_exports(cli: Cli, home: Path, people: Path, tmp_path: Path) -> None:
    since = cli("import", "calendar", OUTLOOK, "--me", ME, "--since", "2026-11-10", "--dry-run")
    assert since.stdout.startswith("outlook.ics: 4 past events:")
    exported = tmp_path / "mine.ics"
    assert cli("export", "ics", "--output", str(exported)).exit_code == 0
    own = cli("import", "calendar", str(exported), "--since", "2026-11-01", "--json")
    reasons = {e["reason"] for e in json.loads(own.stdout)["events"]}
    assert reasons <= {"exported by hrtrust (a plan, not a meeting)"}


def test_bad_file_is_one_line_error(cli: Cli, home: Path, people: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.ics"
    bad.write_text("hello\n")
    before = snapshot(home)
    result = cli("import", "calendar", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: notes.ics: not an iCalendar file")
    assert snapshot(home) == before
    missing = cli("import", "calendar", str(tmp_path / "nope.ics"))
    assert missing.exit_code == 7 and "cannot read" in missing.stderr  # an I/O failure


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Coffee with Maria", "coffee-chat"),
        ("1:1 Maria / Ann", "one-on-one"),
        ("Lunch & Learn: equity plans", "lunch-and-learn"),
        ("HR ally meeting – Engineering", "ally-meeting"),
        ("Engineering staff meeting", "department-meeting"),
        ("Quick check-in", "check-in"),
        ("Q&A with night shift", "open-forum"),
        ("Newsletter review", "meeting"),  # not a touchpoint kind: never guessed
        ("Coffeehouse planning", "meeting"),  # whole words only
        ("Sales pipeline sync", "meeting"),
    ],
)
def test_kind_from_title(title: str, kind: str) -> None:
    assert guess_kind(title, Config()) == kind


def test_user_kinds_are_guessed_too() -> None:
    config = Config.model_validate({"kind": [{"name": "skip-level", "label": "Skip-level chat"}]})
    assert guess_kind("Skip-level chat with Ken", config) == "skip-level"


@given(st.text(max_size=60))
def test_any_title_gets_a_known_touch_kind(title: str) -> None:
    config = Config()
    kind = guess_kind(title, config)
    assert kinds(config)[kind].touch


def test_an_overlapping_event_with_nobody_from_the_activity_is_its_own_entry(
    cli: Cli, home: Path, people: Path, tmp_path: Path
) -> None:
    ics = tmp_path / "double-booked.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
        "BEGIN:VEVENT\r\nUID:overlap-1\r\nDTSTART;TZID=Asia/Taipei:20261117T103000\r\n"
        "DTEND;TZID=Asia/Taipei:20261117T110000\r\nSUMMARY:Pipeline catch-up\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:david.okafor@example.com\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:overlap-2\r\nDTSTART;TZID=Asia/Taipei:20261117T103000\r\n"
        "DTEND;TZID=Asia/Taipei:20261117T110000\r\nSUMMARY:Hallway sync\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:maria.chen@example.com\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    result = cli("import", "calendar", str(ics))
    assert result.stdout.splitlines()[1:3] == [
        "  log       Tue Nov 17 10:30  Pipeline catch-up: meeting with David Okafor (2026-11-17.1)",
        "  attended  Tue Nov 17 10:30  Hallway sync: department-meeting with Maria Chen; planned: Engineering staff meeting (a1) (2026-11-17.2)",
    ]


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_bytes_are_read_or_refused_with_a_usage_error(data: bytes) -> None:
    from zoneinfo import ZoneInfo

    from hrtrust.errors import UsageError
    from hrtrust.interop.calendar_import import read_events

    try:
        read_events(data, "x.ics", ZoneInfo("Asia/Taipei"), None, dt.date(2026, 11, 23))
    except UsageError:
        pass


def test_a_broken_event_inside_a_real_file_is_listed_and_the_rest_read() -> None:
    """A rule that cannot be read used to refuse the whole file; now only its series is left
    out, with the reason."""
    from zoneinfo import ZoneInfo

    from hrtrust.interop.calendar_import import read_events

    text = (DATA / "google.ics").read_text(encoding="utf-8")
    broken = text.replace("RRULE:FREQ=WEEKLY;WKST=MO;COUNT=6;BYDAY=WE", "RRULE:FREQ=SOMETIMES")
    whole = read_events(text.encode(), "g.ics", ZoneInfo("Asia/Taipei"), None, TODAY_PLUS)
    found = read_events(broken.encode(), "g.ics", ZoneInfo("Asia/Taipei"), None, TODAY_PLUS)
    assert [u.reason for u in found.unread] == ["its RRULE has no known FREQ (FREQ=SOMETIMES)"]
    assert [u.title for u in found.unread] == ["Sales pipeline sync"]
    sync = "5k2q9v0s1m3n7p8r4t6u@google.com"
    assert [e.key for e in found.events] == [e.key for e in whole.events if sync not in e.key]


TODAY_PLUS = dt.date(2026, 12, 21)  # the tests' today and the 28 days ahead
