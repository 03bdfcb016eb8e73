"""`export ics`: read back with an independent reader (recurring-ical-events), the expanded
week must be exactly what `plan week --json` shows, across both DST changes."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from conftest import Cli
from hrtrust.models import (
    ActivitiesFile,
    Activity,
    Contact,
    ContactsFile,
    Fact,
    Promise,
    PromisesFile,
)
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps

NY = ZoneInfo("America/New_York")
TODAY = dt.date(2026, 11, 2)  # the Monday after DST ended (Sun 2026-11-01)


@pytest.fixture
def routine(cli: Cli, home: Path) -> Path:
    """A hand-built home in New York with the seeds' routine, one skipped date, an ended series."""
    assert cli("init", "--timezone", "America/New_York").exit_code == 0
    contacts = ContactsFile(
        next_id=4,
        contact=[
            Contact(
                id="c1",
                name="Maria Chen",
                dept="Engineering",
                email="maria.chen@example.com",
                tags=["manager"],
                added=dt.date(2026, 1, 1),
                notes="PRIVATE-NOTE prefers mornings",
                learned=[Fact(date=dt.date(2026, 9, 1), text="PRIVATE-FACT marathon")],
            ),
            Contact(
                id="c2", name="王小明", dept="Engineering", tags=["ally"], added=dt.date(2026, 1, 1)
            ),
            Contact(id="c3", name="Grace Liu", dept="HR", email="grace@example.com", tags=["peer"]),
        ],
    )
    activities = ActivitiesFile(
        next_id=6,
        activity=[
            Activity(
                id="a1",
                title="Engineering staff meeting",
                kind="department-meeting",
                rule="FREQ=WEEKLY;BYDAY=TU",
                start=dt.date(2026, 1, 6),
                at="10:00",
                duration=60,
                dept="Engineering",
                location="HQ, Room 7",
                with_=["c1", "c2"],
                skip=[dt.date(2026, 11, 3)],  # Election Day
                notes="PRIVATE-ACTIVITY-NOTE",
            ),
            Activity(
                id="a2",
                title="Lunch & learn",
                kind="lunch-and-learn",
                rule="FREQ=MONTHLY;BYDAY=1TH",
                start=dt.date(2026, 1, 1),
                at="12:00",
                duration=90,
            ),
            Activity(
                id="a3",
                title="HR operations sync",
                kind="hr-ops-sync",
                rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                start=dt.date(2026, 1, 8),
                at="14:00",
                duration=45,
                with_=["c3"],
            ),
            Activity(
                id="a4",
                title="Quarterly newsletter",
                kind="newsletter",
                rule="FREQ=MONTHLY;INTERVAL=3",
                start=dt.date(2026, 2, 4),
            ),
            Activity(  # starts on a Monday but meets on Fridays; ends on 2026-03-13
                id="a5",
                title="New-manager coaching",
                kind="one-on-one",
                rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
                start=dt.date(2026, 2, 9),
                until=dt.date(2026, 3, 13),
                at="16:00",
                duration=45,
            ),
        ],
    )
    promises = PromisesFile(
        next_id=4,
        promise=[
            Promise(
                id="p1",
                text="Send the level guide",
                person="c1",
                made=dt.date(2026, 10, 20),
                due=dt.date(2026, 11, 6),
            ),
            Promise(
                id="p2",
                text="Headcount report",
                direction="await",
                person="c3",
                made=dt.date(2026, 10, 1),
                due=dt.date(2026, 11, 12),
            ),
            Promise(  # closed long ago: not in the calendar any more
                id="p3",
                text="Old favour",
                person="c1",
                made=dt.date(2026, 1, 5),
                due=dt.date(2026, 1, 9),
                status="done",
                closed=dt.date(2026, 1, 9),
            ),
        ],
    )
    Store(home).write_files(
        {
            "contacts.toml": dumps(contacts),
            "activities.toml": dumps(activities),
            "promises.toml": dumps(promises),
        }
    )
    return home


def export(cli: Cli, *args: str, today: dt.date = TODAY) -> bytes:
    result = cli("export", "ics", *args, today=today)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def expand(ics: bytes, monday: dt.date) -> list[tuple[str, str, str | None, bool]]:
    """(activity id, start, end, all-day) of every VEVENT occurrence Monday to Friday."""
    cal = Calendar.from_ical(ics)
    out = []
    for ev in recurring_ical_events.of(cal).between(monday, monday + dt.timedelta(days=5)):
        uid = str(ev["UID"])
        assert uid.startswith("activity-") and uid.endswith("@hrtrust")
        start = ev.decoded("DTSTART")
        if isinstance(start, dt.datetime):
            begin = start.astimezone(NY)
            end = ev.decoded("DTEND").astimezone(NY) if "DTEND" in ev else None
            if "DURATION" in ev:
                end = begin + ev.decoded("DURATION")
            out.append((uid[9:-8], begin.isoformat(), end.isoformat() if end else None, False))
        else:
            local = dt.datetime.combine(start, dt.time(0, 0), tzinfo=NY).isoformat()
            out.append((uid[9:-8], local, None, True))
    return sorted(out)


def planned(cli: Cli, week: str) -> list[tuple[str, str, str | None, bool]]:
    result = cli("plan", "week", "--week", week, "--json")
    assert result.exit_code == 0, result.output
    days = json.loads(result.stdout)["days"]
    return sorted(
        (o["activity"], o["start"], o["end"], o["all_day"]) for d in days for o in d["activities"]
    )


WEEKS = {
    # the week before and the week after DST starts (Sun 2026-03-08)
    "2026-W10": [
        ("a1", "2026-03-03T10:00:00-05:00", "2026-03-03T11:00:00-05:00", False),
        ("a2", "2026-03-05T12:00:00-05:00", "2026-03-05T13:30:00-05:00", False),
        ("a3", "2026-03-05T14:00:00-05:00", "2026-03-05T14:45:00-05:00", False),
    ],
    "2026-W11": [
        ("a1", "2026-03-10T10:00:00-04:00", "2026-03-10T11:00:00-04:00", False),
        ("a5", "2026-03-13T16:00:00-04:00", "2026-03-13T16:45:00-04:00", False),
    ],
    # the week before and the week after DST ends (Sun 2026-11-01)
    "2026-W44": [
        ("a1", "2026-10-27T10:00:00-04:00", "2026-10-27T11:00:00-04:00", False),
        ("a3", "2026-10-29T14:00:00-04:00", "2026-10-29T14:45:00-04:00", False),
    ],
    "2026-W45": [  # Tuesday's meeting is skipped
        ("a2", "2026-11-05T12:00:00-05:00", "2026-11-05T13:30:00-05:00", False),
        ("a4", "2026-11-04T00:00:00-05:00", None, True),
    ],
}


@pytest.mark.parametrize("week", sorted(WEEKS))
def test_expanded_calendar_equals_the_plan(cli: Cli, routine: Path, week: str) -> None:
    monday = dt.datetime.strptime(f"{week}-1", "%G-W%V-%u").date()
    ics = export(cli)
    assert planned(cli, week) == sorted(WEEKS[week])
    assert expand(ics, monday) == sorted(WEEKS[week])


def test_one_vevent_per_activity_with_rules_timezone_and_exdate(cli: Cli, routine: Path) -> None:
    cal = Calendar.from_ical(export(cli))
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert sorted(events) == [f"activity-a{i}@hrtrust" for i in range(1, 6)]
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["America/New_York"]
    a1 = events["activity-a1@hrtrust"]
    text = a1.to_ical().decode()
    assert "DTSTART;TZID=America/New_York:20260106T100000\r\n" in text
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU\r\n" in text
    assert "EXDATE;TZID=America/New_York:20261103T100000\r\n" in text
    assert "DURATION:PT1H\r\n" in text
    assert "LOCATION:HQ\\, Room 7\r\n" in text
    # an attendee with an e-mail; 王小明 has none, so is named in the description only
    assert str(a1["ATTENDEE"]) == "mailto:maria.chen@example.com"
    assert a1["ATTENDEE"].params["CN"] == "Maria Chen"
    assert "With: Maria Chen, 王小明." in str(a1["DESCRIPTION"])
    # DTSTART is the first real occurrence (the Monday start is not a Friday), UNTIL is UTC
    a5 = events["activity-a5@hrtrust"].to_ical().decode()
    assert "DTSTART;TZID=America/New_York:20260213T160000\r\n" in a5
    rrule = events["activity-a5@hrtrust"]["RRULE"]
    assert rrule["UNTIL"] == [dt.datetime(2026, 3, 14, 3, 59, 59, tzinfo=dt.UTC)]
    assert "UNTIL=20260314T035959Z;" in a5
    a4 = events["activity-a4@hrtrust"].to_ical().decode()
    assert "DTSTART;VALUE=DATE:20260204\r\n" in a4
    assert "DURATION:P1D\r\n" in a4


def test_promises_and_reach_outs_are_todos_with_due(cli: Cli, routine: Path) -> None:
    cal = Calendar.from_ical(export(cli))
    todos = {str(t["UID"]): t for t in cal.walk("VTODO")}
    assert todos["promise-p1@hrtrust"].decoded("DUE") == dt.date(2026, 11, 6)
    assert (
        str(todos["promise-p1@hrtrust"]["SUMMARY"]) == "Promised Maria Chen: Send the level guide"
    )
    assert str(todos["promise-p1@hrtrust"]["STATUS"]) == "NEEDS-ACTION"
    assert todos["promise-p2@hrtrust"].decoded("DUE") == dt.date(2026, 11, 12)
    assert str(todos["promise-p2@hrtrust"]["SUMMARY"]) == "Waiting for Grace Liu: Headcount report"
    assert "promise-p3@hrtrust" not in todos
    reach = sorted(u for u in todos if u.startswith("reach-"))
    plan = json.loads(cli("plan", "week", "--json", today=TODAY).stdout)
    assert reach == sorted(f"reach-{r['id']}@hrtrust" for r in plan["reach_out"])
    assert reach  # the never-touched people are due
    for r in plan["reach_out"]:
        todo = todos[f"reach-{r['id']}@hrtrust"]
        assert todo.decoded("DUE").isoformat() == r["day"]
    grace = todos["reach-c3@hrtrust"]
    assert str(grace["SUMMARY"]) == "Coffee chat with Grace Liu"
    assert str(grace["DESCRIPTION"]) == (
        "Reach out: never logged a touch yet.\nthey owe you: Headcount report (due Nov 12)"
    )


def test_two_exports_are_byte_identical_and_uids_stable(cli: Cli, routine: Path) -> None:
    first = export(cli)
    assert export(cli) == first
    assert b"DTSTAMP:20261102T000000Z\r\n" in first
    uids = {str(c["UID"]) for c in Calendar.from_ical(first).walk() if "UID" in c}
    assert cli("promise", "add", "Call back", "--to", "Grace", "--due", "fri").exit_code == 0
    later = export(cli, today=TODAY + dt.timedelta(days=1))
    uids_later = {str(c["UID"]) for c in Calendar.from_ical(later).walk() if "UID" in c}
    assert uids_later == uids | {"promise-p4@hrtrust"}


def test_private_notes_only_when_asked(cli: Cli, routine: Path) -> None:
    plain = export(cli).decode()
    for secret in ("PRIVATE-NOTE", "PRIVATE-FACT", "PRIVATE-ACTIVITY-NOTE"):
        assert secret not in plain
    private = export(cli, "--include-private").decode()
    assert "PRIVATE-ACTIVITY-NOTE" in private
    assert "ask about: PRIVATE-FACT marathon" in private.replace("\r\n ", "")


def test_output_file_is_private_and_same_bytes(cli: Cli, routine: Path, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    result = cli("export", "ics", "--output", str(target), "--weeks", "2", today=TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {target} (5 recurring events, 5 to-dos).\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == export(cli, "--weeks", "2")
    todos = [str(t["UID"]) for t in Calendar.from_ical(target.read_bytes()).walk("VTODO")]
    # each lapsed person is suggested once, in the first week they are due
    people = [u.split("-")[1] for u in todos if u.startswith("reach-")]
    assert len(people) == len(set(people))


def test_weeks_out_of_range_is_a_usage_error(cli: Cli, routine: Path) -> None:
    result = cli("export", "ics", "--weeks", "0")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_open_promises_ring_on_the_morning_they_are_due(cli: Cli, routine: Path) -> None:
    cal = Calendar.from_ical(export(cli))
    todos = {str(t["UID"]): t for t in cal.walk("VTODO")}
    alarms = todos["promise-p1@hrtrust"].walk("VALARM")
    assert len(alarms) == 1
    # 09:00 in New York on Fri Nov 6 (EST, UTC-5) is 14:00 UTC.
    assert alarms[0].decoded("TRIGGER") == dt.datetime(2026, 11, 6, 14, 0, tzinfo=dt.UTC)
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert str(alarms[0]["DESCRIPTION"]) == "Due today: Send the level guide"
    assert not any(t.walk("VALARM") for u, t in todos.items() if u.startswith("reach-"))
    # RFC 5545 3.8.6.3 as strict readers want it (libical drops an alarm without VALUE)
    raw = export(cli).decode("utf-8")
    assert "TRIGGER;VALUE=DATE-TIME:20261106T140000Z\r\n" in raw


def test_promise_alarm_is_configurable(cli: Cli, routine: Path, home: Path) -> None:
    config = home / "config.toml"
    text = config.read_text(encoding="utf-8")
    assert 'promise_alarm = "09:00"\n' in text  # init writes the default
    config.write_text(text.replace('"09:00"', '"07:30"'), encoding="utf-8")
    alarm = Calendar.from_ical(export(cli)).walk("VALARM")[0]
    assert alarm.decoded("TRIGGER") == dt.datetime(2026, 11, 6, 12, 30, tzinfo=dt.UTC)
    config.write_text(text.replace('"09:00"', '"off"'), encoding="utf-8")
    assert Calendar.from_ical(export(cli)).walk("VALARM") == []
    config.write_text(text.replace('"09:00"', '"9am"'), encoding="utf-8")
    bad = cli("export", "ics", today=TODAY)
    assert bad.exit_code == 5
    assert "promise_alarm" in bad.stderr and bad.stderr.startswith("hrtrust: error: ")


def test_birthdays_and_anniversaries_are_yearly_all_day_events(cli: Cli, routine: Path) -> None:
    assert (
        cli("contact", "edit", "maria", "--birthday", "02-29", "--hired", "2018-05-21").exit_code
        == 0
    )
    assert cli("contact", "edit", "grace", "--birthday", "Nov 4").exit_code == 0
    ics = export(cli)
    cal = Calendar.from_ical(ics)
    uids = [str(e["UID"]) for e in cal.walk("VEVENT") if not str(e["UID"]).startswith("activity")]
    assert uids == ["birthday-c1@hrtrust", "anniversary-c1@hrtrust", "birthday-c3@hrtrust"]
    # Read back by the independent reader, over three years.
    found = sorted(
        (str(e["UID"]).split("@")[0], e.decoded("DTSTART"))
        for e in recurring_ical_events.of(cal).between(dt.date(2027, 1, 1), dt.date(2030, 1, 1))
        if not str(e["UID"]).startswith("activity")
    )
    assert found == [
        ("anniversary-c1", dt.date(2027, 5, 21)),
        ("anniversary-c1", dt.date(2028, 5, 21)),
        ("anniversary-c1", dt.date(2029, 5, 21)),
        ("birthday-c1", dt.date(2027, 2, 28)),  # no 29 February that year
        ("birthday-c1", dt.date(2028, 2, 29)),
        ("birthday-c1", dt.date(2029, 2, 28)),
        ("birthday-c3", dt.date(2027, 11, 4)),
        ("birthday-c3", dt.date(2028, 11, 4)),
        ("birthday-c3", dt.date(2029, 11, 4)),
    ]
    # The same days the plan celebrates.
    plan = json.loads(cli("plan", "week", "--json", today=TODAY).stdout)
    assert [(c["name"], c["what"]) for c in plan["celebrations"]] == [("Grace Liu", "birthday")]
    assert b"RRULE:FREQ=YEARLY;BYMONTHDAY=-1;BYMONTH=2\r\n" in ics
    assert b"DTSTART;VALUE=DATE:20000229\r\n" in ics


def test_a_reach_out_keeps_its_uid_from_week_to_week(cli: Cli, routine: Path) -> None:
    def reach(day: dt.date) -> set[str]:
        todos = Calendar.from_ical(export(cli, today=day)).walk("VTODO")
        return {str(t["UID"]) for t in todos if str(t["UID"]).startswith("reach-")}

    this_week = reach(TODAY)
    assert this_week == {"reach-c1@hrtrust", "reach-c2@hrtrust", "reach-c3@hrtrust"}
    assert reach(TODAY + dt.timedelta(weeks=1)) == this_week  # still open: the same to-dos


def test_no_comment_inside_vtimezone(cli: Cli, routine: Path) -> None:
    cal = Calendar.from_ical(export(cli))
    zones = cal.walk("VTIMEZONE")
    assert zones and all("COMMENT" not in z for z in zones)


CONTROLS = "\x1b]52;c;cHduZWQ=\x07\x1b[31m\x00\x7f\x9b"  # OSC 52, SGR, NUL, DEL, C1 CSI


def test_control_characters_never_reach_a_text_property(
    cli: Cli, routine: Path, home: Path
) -> None:
    """RFC 5545 TEXT allows no control character but tab; line breaks are written escaped."""
    store = Store(home)
    activities = store.read(ActivitiesFile)
    a1 = activities.activity[0]
    a1.title = f"Staff{CONTROLS} meeting"
    a1.location = f"Room{CONTROLS} 7"
    a1.notes = f"bring\tslides{CONTROLS}\r\nand coffee\rtoo"
    contacts = store.read(ContactsFile)
    contacts.contact[0].name = f"Maria{CONTROLS} Chen"
    contacts.contact[0].birthday = "03-14"
    promises = store.read(PromisesFile)
    promises.promise[0].text = f"Send{CONTROLS} the guide"
    store.write_files(
        {
            "contacts.toml": dumps(contacts),
            "activities.toml": dumps(activities),
            "promises.toml": dumps(promises),
        }
    )
    ics = export(cli, "--include-private")
    controls = {b for b in ics if b < 0x20 and b not in (0x09, 0x0A, 0x0D)} | ({0x7F} & set(ics))
    assert controls == set()
    assert "\x9b" not in ics.decode("utf-8")
    assert b"\r\n" in ics and b"\r" not in ics.replace(b"\r\n", b"")  # only line ends
    cal = Calendar.from_ical(ics)
    a1_event = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "activity-a1@hrtrust")
    assert str(a1_event["SUMMARY"]) == "Staff]52;c;cHduZWQ=[31m meeting"
    assert str(a1_event["LOCATION"]) == "Room]52;c;cHduZWQ=[31m 7"
    # tab kept, CRLF and a lone CR both a line break
    assert str(a1_event["DESCRIPTION"]).endswith("bring\tslides]52;c;cHduZWQ=[31m\nand coffee\ntoo")
    assert a1_event["ATTENDEE"].params["CN"] == "Maria]52;c;cHduZWQ=[31m Chen"
    birthday = next(e for e in cal.walk("VEVENT") if str(e["UID"]) == "birthday-c1@hrtrust")
    assert str(birthday["SUMMARY"]) == "Birthday: Maria]52;c;cHduZWQ=[31m Chen"
    todo = next(t for t in cal.walk("VTODO") if str(t["UID"]) == "promise-p1@hrtrust")
    assert (
        str(todo["SUMMARY"])
        == "Promised Maria]52;c;cHduZWQ=[31m Chen: Send]52;c;cHduZWQ=[31m the guide"
    )
    assert (
        str(todo.walk("VALARM")[0]["DESCRIPTION"]) == "Due today: Send]52;c;cHduZWQ=[31m the guide"
    )


def test_export_on_the_last_days_hrtrust_takes_is_not_an_internal_error(
    cli: Cli, routine: Path
) -> None:
    # The time zone table ran ten years past --today: year 10007 was an internal error.
    ics = export(cli, "--weeks", "2", today=dt.date(9997, 12, 20))
    cal = Calendar.from_ical(ics)
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["America/New_York"]
    assert cal.walk("VTODO")
