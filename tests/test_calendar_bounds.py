"""`import calendar` with hostile or broken files (issue 25): a rule repeating every second, a
rule no day fits, a series begun long ago, the same meeting thousands of times, events that
cannot be read; and the reader held to dateutil and to recurring-ical-events."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, Cli, raw_toml
from hrtrust.interop import calendar_import as cal
from hrtrust.interop.ics_reader import MAX_REPEATS, read_events
from hrtrust.models import Interaction, LogFile

TAIPEI = ZoneInfo("Asia/Taipei")
LAST = TODAY + cal.FUTURE_WINDOW
MARIA = "maria.chen@example.com"


def ics(*events: str, header: str = "") -> bytes:
    """A calendar of the events (each the lines between BEGIN:VEVENT and END:VEVENT)."""
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{header}{body}END:VCALENDAR\r\n"
    return text.replace("\n\r\n", "\r\n").encode("utf-8")


def event(uid: str, start: str, *lines: str, title: str = "Sync", who: str = MARIA) -> str:
    rest = "".join(f"{line}\r\n" for line in lines)
    return (
        f"UID:{uid}\r\nDTSTART:{start}\r\nSUMMARY:{title}\r\n{rest}"
        f"ATTENDEE;CN=Maria;PARTSTAT=ACCEPTED:mailto:{who}"
    )


@pytest.fixture
def maria(cli: Cli, empty: Path) -> Path:
    added = cli("contact", "add", "Maria Chen", "--email", MARIA, "--dept", "Engineering")
    assert added.exit_code == 0, added.output
    return empty


def run(cli: Cli, tmp_path: Path, data: bytes, *args: str) -> dict[str, object]:
    path = tmp_path / "cal.ics"
    path.write_bytes(data)
    result = cli("import", "calendar", str(path), "--json", *args)
    assert result.exit_code == 0, result.output
    found: dict[str, object] = json.loads(result.stdout)
    return found


def logged(home: Path) -> list[tuple[str, str, list[str]]]:
    return [
        (e["id"], e.get("note"), e.get("uid", []))
        for path in sorted((home / "log").glob("*.toml"))
        for e in raw_toml(path).get("entry", [])
    ]


# -- repeating more often than daily ------------------------------------------------------------


def test_a_rule_repeating_every_minute_over_days_is_not_read(
    cli: Cli, maria: Path, tmp_path: Path
) -> None:
    """FREQ=SECONDLY or MINUTELY ran 25 s and 300 MB an event, and logged every occurrence."""
    data = ics(
        event("sec", "20261219T000000Z", "RRULE:FREQ=SECONDLY"),
        event("min", "20261110T010000Z", "RRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=400"),
        event("hourly", "20261111T010000Z", "RRULE:FREQ=HOURLY;COUNT=3", title="Workshop"),
        event("till", "20261112T010000Z", "RRULE:FREQ=MINUTELY;UNTIL=20261112T090000Z"),
    )
    found = run(cli, tmp_path, data)
    assert [(u["uid"], u["date"], u["reason"]) for u in found["unreadable"]] == [
        (
            "min",
            "2026-11-10",
            "repeats every 15 minutes (FREQ=MINUTELY) on more than one day; hrtrust takes at "
            "most one meeting a day from a series: log it by hand",
        ),
        (
            "sec",
            "2026-12-19",
            "repeats every second (FREQ=SECONDLY) on more than one day; hrtrust takes at most "
            "one meeting a day from a series: log it by hand",
        ),
    ]
    # Three workshops in one morning, and a series ending the day it began: one meeting each.
    events = [(e["uid"], e["date"], e["action"]) for e in found["events"]]
    assert events == [
        ("hourly;20261111T010000Z", "2026-11-11", "log"),
        ("till;20261112T010000Z", "2026-11-12", "log"),
    ]
    assert [note for _, note, _ in logged(maria)] == ["Workshop", "Sync"]


def test_the_report_lists_what_was_not_read(cli: Cli, maria: Path, tmp_path: Path) -> None:
    path = tmp_path / "cal.ics"
    path.write_bytes(ics(event("min", "20261110T010000Z", "RRULE:FREQ=MINUTELY")))
    result = cli("import", "calendar", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "cal.ics: 0 past events: 0 to log, 0 planned occurrences to mark attended, 0 already "
        "logged, 0 skipped.",
        "Not read: 1 event (fix them in your calendar, or log them by hand):",
        "  not read  2026-11-10  Sync: repeats every minute (FREQ=MINUTELY) on more than one "
        "day; hrtrust takes at most one meeting a day from a series: log it by hand",
        "Dry run: nothing was written.",
    ]


# -- expansion stops at the window ---------------------------------------------------------------


def test_a_series_begun_long_ago_is_read_from_since_only(tmp_path: Path) -> None:
    """A daily rule from 1900 is walked from the last period before --since, not from 1900;
    without --since, more than MAX_REPEATS occurrences are refused with the way out."""
    data = ics(event("daily", "19000101T020000Z", "RRULE:FREQ=DAILY"))
    since = dt.date(2026, 11, 1)
    found = read_events(data, "c.ics", TAIPEI, since, LAST)
    assert [e.day for e in found.events] == [
        since + dt.timedelta(days=n) for n in range((LAST - since).days + 1)
    ]
    assert found.events[0].key == "daily;20261101T020000Z"
    whole = read_events(data, "c.ics", TAIPEI, None, LAST)
    assert whole.events == []
    assert [u.reason for u in whole.unread] == [
        f"repeats more than {MAX_REPEATS:,} times between 1899-12-30 and 2026-12-23: import "
        "a shorter span with --since DATE"
    ]


def test_a_rule_no_day_fits_is_not_searched_for_to_the_year_9999(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """dateutil searched every day up to the year 9999 for a 30 February (2.5 s an event);
    such a rule is now its DTSTART alone, found without walking the years."""
    from dateutil import rrule

    years: list[int] = []
    rebuild = rrule._iterinfo.rebuild  # called for each year (or month) dateutil walks

    def counted(self: object, year: int, month: int) -> None:
        years.append(year)
        rebuild(self, year, month)

    monkeypatch.setattr(rrule._iterinfo, "rebuild", counted)
    data = ics(
        *(
            event(f"never{i}", "20200101T020000Z", f"RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY={d}")
            for i, d in enumerate((30, 31, -30))
        ),
        event("leap", "20200101T020000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29"),
    )
    found = read_events(data, "c.ics", TAIPEI, None, LAST)
    assert found.unread == []
    assert [(e.key, e.day) for e in found.events] == [
        ("leap;20200101T020000Z", dt.date(2020, 1, 1)),
        ("never0;20200101T020000Z", dt.date(2020, 1, 1)),
        ("never1;20200101T020000Z", dt.date(2020, 1, 1)),
        ("never2;20200101T020000Z", dt.date(2020, 1, 1)),
        ("leap;20200229T020000Z", dt.date(2020, 2, 29)),
        ("leap;20240229T020000Z", dt.date(2024, 2, 29)),
    ]
    assert len(years) < 1000  # it was 8,000 years to 9999 for each


def test_too_many_events_is_one_clear_error(
    cli: Cli, maria: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("hrtrust.interop.ics_reader.MAX_EVENTS", 5)
    data = ics(*(event(f"e{i}", f"202611{i + 1:02d}T020000Z", title=f"M{i}") for i in range(6)))
    path = tmp_path / "big.ics"
    path.write_bytes(data)
    result = cli("import", "calendar", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "hrtrust: error: big.ics: more than 5 events to read at once\n"
        "hint: import a shorter span at a time with --since DATE\n"
    )
    assert logged(maria) == []


# -- the same meeting many times ------------------------------------------------------------------


def test_the_same_meeting_with_the_same_people_on_a_day_is_one_entry(
    cli: Cli, maria: Path, tmp_path: Path
) -> None:
    """A 50 MB file logged 11,888 identical same-day meetings with one person."""
    copies = [event(f"dup-{i}", f"20261117T0{i % 8}0000Z") for i in range(40)]
    other = event("other", "20261117T090000Z", title="Budget review")
    next_day = event("next", "20261118T020000Z")
    data = ics(*copies, other, next_day)
    found = run(cli, tmp_path, data)
    assert found["counts"] == {
        "logged": 3,
        "marked_attended": 0,
        "merged": 0,
        "skipped": 39,
        "future": 0,
        "unreadable": 0,
    }
    reasons = {e["reason"] for e in found["events"] if e["action"] == "skip"}
    assert reasons == {"the same meeting with the same people as Tue Nov 17 08:00"}
    assert [(i, note) for i, note, _ in logged(maria)] == [
        ("2026-11-17.1", "Sync"),
        ("2026-11-17.2", "Budget review"),
        ("2026-11-18.1", "Sync"),
    ]
    # Again: nothing new, and the copies are not added to the entry one import at a time.
    before = logged(maria)
    again = run(cli, tmp_path, data)
    assert again["counts"]["logged"] == again["counts"]["merged"] == 0
    assert logged(maria) == before
    # The same meeting logged by hand (same note, same people) is not logged again either.
    by_hand = cli("log", "meeting", "--with", "maria", "--date", "2026-11-19", "--note", "Lunch")
    assert by_hand.exit_code == 0, by_hand.output
    lunch = run(cli, tmp_path, ics(event("lunch", "20261119T040000Z", title="lunch")))
    assert [e["reason"] for e in lunch["events"]] == [
        "the same meeting with the same people is already logged (2026-11-19.1)"
    ]


# -- events that cannot be read -----------------------------------------------------------------


def test_an_empty_event_or_a_zero_date_is_listed_not_an_internal_error(
    cli: Cli, maria: Path, tmp_path: Path
) -> None:
    data = ics(
        "",  # BEGIN:VEVENT, END:VEVENT and nothing between
        event("zero", "00000000T000000Z"),
        event("good", "20261117T020000Z"),
    ).replace(b"BEGIN:VEVENT\r\n\r\nEND:VEVENT", b"BEGIN:VEVENT\r\nEND:VEVENT")
    found = run(cli, tmp_path, data)
    assert [(u["uid"], u["title"], u["reason"]) for u in found["unreadable"]] == [
        ("", "(no title)", "no DTSTART (start time)"),
        ("zero", "Sync", "DTSTART '00000000T000000Z' is not a date"),
    ]
    assert [note for _, note, _ in logged(maria)] == ["Sync"]


@pytest.mark.parametrize(
    "text", [b"", b"hello\n", b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", b"UID:x\r\nBEGIN:VCALENDAR\r\n"]
)
def test_a_file_that_is_no_calendar_is_a_usage_error(
    cli: Cli, maria: Path, tmp_path: Path, text: bytes
) -> None:
    path = tmp_path / "x.ics"
    path.write_bytes(text)
    result = cli("import", "calendar", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("hrtrust: error: x.ics: not an iCalendar file (")
    assert len(result.stderr.splitlines()) == 2  # the error and its hint


def test_control_characters_never_reach_the_report_or_the_log(
    cli: Cli, maria: Path, tmp_path: Path
) -> None:
    evil = "Sync\x1b]52;c;cHduZWQ=\x07\x1b[2J now"
    data = ics(event("evil", "20261117T020000Z", title=evil))
    path = tmp_path / "cal.ics"
    path.write_bytes(data)
    result = cli("import", "calendar", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert [note for _, note, _ in logged(maria)] == ["Sync ]52;c;cHduZWQ= [2J now"]


def test_a_long_attachment_is_passed_over_and_a_long_title_cut() -> None:
    attachment = "ATTACH;ENCODING=BASE64;VALUE=BINARY:" + "QUJD" * 500_000  # 2 MB on one line
    folded = "\r\n ".join(attachment[i : i + 74] for i in range(0, len(attachment), 74))
    data = ics(event("big", "20261117T020000Z", folded, title="T" * 5000))
    found = read_events(data, "c.ics", TAIPEI, None, LAST)
    assert [(e.key, len(e.title)) for e in found.events] == [("big", 500)]


# -- progress ----------------------------------------------------------------------------------


def test_progress_is_told_the_kilobytes_read(
    cli: Cli, maria: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = ics(
        *(event(f"e{i}", "20261117T020000Z", title=f"M{i}" + "x" * 400) for i in range(5000))
    )
    done: list[int] = []
    read_events(data, "c.ics", TAIPEI, None, LAST, progress=done.append)
    assert done == sorted(done) and done[-1] == len(data) // 1024 and len(done) >= 2
    # The command asks for a bar of that many kilobytes (drawn only when stderr is a terminal).
    asked: list[tuple[int, str]] = []

    import contextlib

    @contextlib.contextmanager
    def bar(total: int, what: str):
        asked.append((total, what))
        yield done.append

    monkeypatch.setattr("hrtrust.present.progress.progress_bar", bar)
    path = tmp_path / "cal.ics"
    path.write_bytes(data)
    assert cli("import", "calendar", str(path), "--dry-run").exit_code == 0
    assert asked == [(len(data) // 1024, "Reading the calendar")]


# -- writing -----------------------------------------------------------------------------------


def test_entries_are_numbered_as_one_at_a_time_would_number_them() -> None:
    """Each month is sorted once (it was sorted again for every entry added)."""
    from hrtrust.domain.logbook import add_entry

    def month() -> LogFile:
        return LogFile(
            entry=[
                Interaction(id="2026-11-17.1", date=dt.date(2026, 11, 17), kind="meeting"),
                Interaction(id="2026-11-03.2", date=dt.date(2026, 11, 3), kind="meeting"),
            ],
            issued={"2026-11-17": 4},  # .2 to .4 were deleted: never given out again
        )

    days = [dt.date(2026, 11, d) for d in (17, 3, 17, 20, 3)]
    events = [cal.CalEvent(f"k{i}", f"M{i}", day, None, None, "", ()) for i, day in enumerate(days)]
    plan = cal.ImportPlan(
        [cal.Decision(e, "log", "", kind="meeting", with_=("c1",)) for e in events], 0, {}, None
    )
    batch = month()
    made = cal.apply_plan(plan, lambda day: batch)
    one_by_one = month()
    for e in events:
        add_entry(
            one_by_one,
            Interaction(id="new", date=e.day, kind="meeting", with_=["c1"], note=e.title),
        )
    assert [e.id for e in made] == ["2026-11-17.5", "2026-11-03.3", "2026-11-17.6",
                                    "2026-11-20.1", "2026-11-03.4"]  # fmt: skip
    assert [(e.id, e.note) for e in batch.entry] == [(e.id, e.note) for e in one_by_one.entry]


# -- the reader held to dateutil and to recurring-ical-events -----------------------------------

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@st.composite
def rules(draw: st.DrawFn) -> str:
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(1, 5))}")
    if draw(st.integers(0, 3)) == 0:
        parts.append(f"COUNT={draw(st.integers(1, 80))}")
    if draw(st.booleans()):
        days = draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True))
        if freq in ("MONTHLY", "YEARLY") and draw(st.booleans()):
            days = [f"{draw(st.sampled_from([1, 2, -1]))}{days[0]}"]
        parts.append("BYDAY=" + ",".join(days))
    nth = any(p[6:7] in "12-" for p in parts if p.startswith("BYDAY="))
    if freq != "WEEKLY" and not nth and draw(st.integers(0, 3)) == 0:
        # (not with BYMONTH or a numbered weekday: 31 February is no day, and dateutil, the
        # reference here, would search for it up to the year 9999)
        parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 15, 28, 29, 31, -1]))}")
    elif draw(st.integers(0, 4)) == 0:
        parts.append(f"BYMONTH={draw(st.integers(1, 12))}")
    if draw(st.integers(0, 4)) == 0:
        parts.append(f"WKST={draw(st.sampled_from(['MO', 'SU']))}")
    return ";".join(parts)


starts = st.builds(
    lambda y, m, d, h: dt.datetime(y, m, d, h, 30),
    st.integers(1995, 2026),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 23),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rules(), start=starts, since=st.dates(dt.date(2024, 1, 1), dt.date(2026, 11, 23)))
def test_a_series_gives_what_dateutil_gives_from_its_dtstart(
    rule: str, start: dt.datetime, since: dt.date
) -> None:
    """Read from --since (the rule moved to its last period before it, the window moved by
    400-year cycles), a series gives exactly what dateutil gives walking from its DTSTART."""
    from dateutil.rrule import rrulestr

    data = ics(event("s", f"{start:%Y%m%dT%H%M%S}", f"RRULE:{rule}"))
    found = read_events(data, "c.ics", TAIPEI, since, LAST)  # floating: Taipei wall time
    reference = {start} | set(
        rrulestr(rule, dtstart=start).between(
            dt.datetime.combine(since, dt.time.min),
            dt.datetime.combine(LAST, dt.time.max),
            inc=True,
        )
    )
    expected = sorted(d for d in reference if since <= d.date() <= LAST)
    assert [e.start.replace(tzinfo=None) for e in found.events if e.start] == expected
    assert found.unread == []


def test_the_reader_agrees_with_recurring_ical_events() -> None:
    """The keys, days and times hrtrust read with icalendar and recurring-ical-events before,
    on 300 random series in four zones (overrides, EXDATE, RDATE and all-day ones among them)."""
    import icalendar
    import recurring_ical_events

    from hrtrust.interop.ics_reader import _stamp

    r = random.Random(25)
    lines = []
    for i in range(300):
        y, m, d = r.choice([2015, 2024, 2026]), r.randint(1, 12), r.randint(1, 28)
        zone = r.choice(["America/New_York", "Europe/London", "Asia/Taipei", "Australia/Sydney"])
        kind = r.random()
        if kind < 0.2:
            start = f"DTSTART;VALUE=DATE:{y}{m:02d}{d:02d}"
        elif kind < 0.5:
            start = f"DTSTART:{y}{m:02d}{d:02d}T{r.randint(0, 23):02d}3000Z"
        else:
            start = f"DTSTART;TZID={zone}:{y}{m:02d}{d:02d}T{r.randint(0, 23):02d}0000"
        extra = [f"RRULE:{_random_rule(r)}", "DURATION:PT1H" if kind >= 0.2 else "DURATION:P1D"]
        if kind >= 0.5 and r.random() < 0.3:
            extra.append(
                f"EXDATE;TZID={zone}:2026{r.randint(1, 11):02d}{r.randint(1, 28):02d}T000000"
            )
            extra.append(
                f"RDATE;TZID={zone}:2026{r.randint(1, 11):02d}{r.randint(1, 28):02d}T120000"
            )
        lines.append(f"UID:u{i}\r\n{start}\r\nSUMMARY:x\r\n" + "\r\n".join(extra))
    data = ics(*lines)
    since = dt.date(2026, 3, 1)
    mine = read_events(data, "c.ics", TAIPEI, since, LAST)
    theirs = set()
    cal_ = icalendar.Calendar.from_ical(data)
    for ev in recurring_ical_events.of(cal_).between(
        since - dt.timedelta(days=1), LAST + dt.timedelta(days=2)
    ):
        when = ev["DTSTART"].dt
        day = when.astimezone(TAIPEI).date() if isinstance(when, dt.datetime) else when
        if since <= day <= LAST:
            theirs.add((f"{ev['UID']};{_stamp(ev['RECURRENCE-ID'].dt)}", day))
    assert mine.unread == []
    assert {(e.key, e.day) for e in mine.events} == theirs
    assert len(theirs) > 1000


def _random_rule(r: random.Random) -> str:
    freq = r.choice(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
    parts = [f"FREQ={freq}"]
    if r.random() < 0.4:
        parts.append(f"INTERVAL={r.randint(1, 5)}")
    if r.random() < 0.3:
        parts.append(f"COUNT={r.randint(1, 60)}")
    elif r.random() < 0.3:
        parts.append(f"UNTIL=2026{r.randint(1, 12):02d}{r.randint(1, 28):02d}T000000Z")
    if r.random() < 0.4:
        days = r.sample(DAYS, r.randint(1, 3))
        if freq in ("MONTHLY", "YEARLY") and r.random() < 0.5:
            days = [f"{r.choice([1, 2, -1, 3])}{days[0]}"]
        parts.append("BYDAY=" + ",".join(days))
    nth = any(p[6:7] in "123-" for p in parts if p.startswith("BYDAY="))
    if r.random() < 0.25 and freq != "WEEKLY" and not nth:  # (see rules())
        parts.append(f"BYMONTHDAY={r.choice([1, 15, 28, 29, 30, 31, -1])}")
    elif r.random() < 0.2:
        parts.append(f"BYMONTH={r.randint(1, 12)}")
    return ";".join(parts)


# -- the attack classes, for scripts/reliability.py ---------------------------------------------


def hostile_calendars() -> dict[str, list[bytes]]:
    """Calendar files a hostile user (or a broken export) hands `import calendar`, by class."""
    evil = "\x1b]52;c;cHduZWQ=\x07\x1b[2J\x9b31m"
    return {
        "repeats more often than daily": [
            ics(event("s", "20261101T000000Z", f"RRULE:FREQ={freq}{extra}"))
            for freq in ("SECONDLY", "MINUTELY", "HOURLY")
            for extra in ("", ";INTERVAL=7", ";COUNT=100000", ";UNTIL=20991231T000000Z")
        ],
        "no day fits": [
            ics(event("n", "20200101T020000Z", f"RRULE:FREQ={freq};{parts}"))
            for freq in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
            for parts in (
                "BYMONTH=2;BYMONTHDAY=30",
                "BYMONTH=4;BYMONTHDAY=31",
                "BYDAY=1MO;BYMONTHDAY=20",
            )
        ],
        "series from long ago": [
            ics(event("old", start, f"RRULE:{rule}"))
            for start, rule in (
                ("00010101T000000Z", "FREQ=DAILY"),
                ("19000101T000000Z", "FREQ=DAILY"),
                ("19000101T000000Z", "FREQ=MINUTELY"),
                ("00010101T000000Z", "FREQ=WEEKLY;COUNT=3"),
                ("99991230T000000Z", "FREQ=DAILY"),
            )
        ],
        "copies of one meeting": [
            ics(*(event(f"c{i}", f"2026111{i % 3}T0{i % 9}0000Z") for i in range(n)))
            for n in (2, 500, 3000)
        ],
        "broken events": [
            ics(text)
            for text in (
                "",
                "UID:x",
                event("z", "00000000T000000Z"),
                event("m", "20261399T000000Z"),
                event("r", "20261101T000000Z", "RRULE:FREQ=SOMETIMES"),
                event("i", "20261101T000000Z", "RRULE:FREQ=DAILY;INTERVAL=0"),
                event("b", "20261101T000000Z", "RRULE:FREQ=DAILY;BYDAY=XX"),
                event("e", "20261101T000000Z", "RRULE:FREQ=YEARLY;BYEASTER=0"),
                event("d", "20261101T000000Z", "DURATION:P99999999999W"),
                event("t", "20261101T000000Z", "RDATE:2026XXXX"),
                event("u", "20261101T000000Z", "RRULE:FREQ=DAILY;UNTIL=99999999"),
            )
        ],
        "control characters": [
            ics(event(f"x{evil}", "20261101T020000Z", title=f"Sync{evil}")),
            ics(event("y", "20261101T020000Z", f'ATTENDEE;CN="{evil}":mailto:a{evil}@b.c')),
        ],
        "not a calendar": [
            b"",
            b"\x00" * 1000,
            b"BEGIN:VEVENT\r\nEND:VEVENT\r\n",
            b"\xff\xfe" + "BEGIN:VCALENDAR".encode("utf-16-le"),
        ],
    }


def test_hostile_calendars_are_imported_or_refused_cleanly(
    cli: Cli, maria: Path, tmp_path: Path
) -> None:
    """Each class: exit 0 or 2 with one line, never an internal error; no control character
    printed; at most one entry a day with one person from a file; a second import of the same
    file changes nothing; a refused file changes nothing."""
    from conftest import record, snapshot

    counts: dict[str, int] = {}
    for name, files in hostile_calendars().items():
        for data in files:
            path = tmp_path / "hostile.ics"
            path.write_bytes(data)
            before = snapshot(maria)
            first = cli("import", "calendar", str(path))
            assert first.exit_code in (0, 2), (name, first.output)
            for text in (first.stdout, first.stderr):
                assert not any(ord(c) < 32 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in text)
            if first.exit_code == 2:
                assert len(first.stderr.splitlines()) <= 2 and snapshot(maria) == before
            days = [(day, note) for day, note, _ in logged(maria)]
            assert len(days) == len({(d.split(".")[0], n) for d, n in days})
            settled = snapshot(maria)
            again = cli("import", "calendar", str(path))
            assert again.exit_code == first.exit_code, (name, again.output)
            assert snapshot(maria) == settled
            counts[name] = counts.get(name, 0) + 1
    assert sum(counts.values()) == sum(len(f) for f in hostile_calendars().values())
    record("calendar-attacks", **counts)
