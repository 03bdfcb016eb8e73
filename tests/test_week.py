"""The week, crafted: settings, public holidays and make-up days, how days are chosen, clashes,
a mid-week plan, today in the configured time zone, skipping only real occurrences."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli, raw_toml, snapshot
from hrtrust.cli.common import State
from hrtrust.domain.planning import Occurrence, clashes
from hrtrust.domain.recurrence import nearest_occurrences
from hrtrust.models import Activity, Config, PublicDays
from hrtrust.storage.derived import public_days
from hrtrust.storage.store import Store

D = dt.date.fromisoformat


def ok(cli: Cli, *args: str, today: dt.date | None = None) -> str:
    result = cli(*args, today=today)
    assert result.exit_code == 0, (args, result.stderr)
    out: str = result.stdout
    return out


def plan(cli: Cli, *args: str, today: dt.date | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(cli, "plan", "week", "--json", *args, today=today))
    return data


def text_plan(cli: Cli, *args: str, today: dt.date | None = None) -> list[str]:
    return [line.rstrip() for line in ok(cli, "plan", "week", *args, today=today).splitlines()]


def section(lines: list[str], head: str) -> list[str]:
    """The lines of one day (or section), from its heading to the next blank line."""
    start = lines.index(head)
    end = lines.index("", start)
    return lines[start:end]


# -- config show / config set ----------------------------------------------------------------


def test_config_set_and_show_through_the_cli(cli: Cli, empty: Path) -> None:
    assert ok(cli, "config", "set", "country", "tw") == "country = TW\n"
    assert ok(cli, "config", "set", "workdays", "sun-thu") == "workdays = sun-thu\n"
    assert ok(cli, "config", "set", "reach-out-budget", "3") == "reach-out-budget = 3\n"
    assert ok(cli, "config", "set", "max-per-day", "2") == "max-per-day = 2\n"
    assert ok(cli, "config", "set", "cadence.ally", "10 days") == "cadence.ally = 10d\n"
    assert ok(cli, "config", "set", "cadence.vip", "1w") == "cadence.vip = 1w\n"
    assert ok(cli, "config", "set", "timezone", "europe/london") == "timezone = Europe/London\n"
    assert ok(cli, "config", "set", "language", "zh_tw") == "language = zh-TW\n"
    assert raw_toml(empty / "config.toml")["language"] == "zh-TW"
    assert ok(cli, "config", "set", "language", "auto") == "language = auto\n"
    raw = raw_toml(empty / "config.toml")
    assert (raw["country"], raw["week"], raw["timezone"]) == (
        "TW",
        ["mon", "tue", "wed", "thu", "sun"],
        "Europe/London",
    )
    assert (raw["reach_out_per_week"], raw["max_per_day"]) == (3, 2)
    assert raw["cadence"] == {
        "ally": "10d",
        "manager": "3w",
        "new-hire": "2w",
        "peer": "1m",
        "default": "6w",
        "vip": "1w",
    }
    assert json.loads(ok(cli, "config", "show", "--json")) == {
        "timezone": "Europe/London",
        "country": "TW",
        "workdays": ["mon", "tue", "wed", "thu", "sun"],
        "reach-out-budget": 3,
        "max-per-day": 2,
        "retention": None,
        "min-responses": 5,
        "language": "auto",
        "cadence": raw["cadence"],
    }
    lines = [line.rstrip() for line in ok(cli, "config", "show").splitlines()]
    assert lines[2:6] == [
        "timezone           Europe/London   meeting times, and the date of today",
        "country            TW              public holidays to plan around",
        "workdays           sun-thu         the days reach-outs go on",
        "reach-out-budget   3               reach-outs suggested per week",
    ]
    assert "cadence.vip        1w              weekly: tagged vip" in lines
    assert lines[-1] == "cadence.default    6w              every 6 weeks: everyone else"
    # clearing
    assert ok(cli, "config", "set", "country", "none") == "country = none\n"
    assert "country" not in raw_toml(empty / "config.toml")
    assert ok(cli, "config", "set", "cadence.vip", "none") == "cadence.vip = none\n"
    assert "vip" not in raw_toml(empty / "config.toml")["cadence"]


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("timezone", "Asia/Taipe"),
            "hrtrust: error: unknown time zone 'Asia/Taipe'\n"
            "hint: did you mean Asia/Taipei? use an IANA name like Asia/Taipei or Europe/London\n",
        ),
        (
            ("timezone", "Mars/Olympus"),
            "hrtrust: error: unknown time zone 'Mars/Olympus'\n"
            "hint: use an IANA name like Asia/Taipei or Europe/London\n",
        ),
        (
            ("country", "Taiwn"),
            "hrtrust: error: unknown country 'Taiwn'\n"
            "hint: did you mean TW (Taiwan)? use a two-letter ISO 3166 code like TW, JP, US or "
            "GB; none turns public holidays off\n",
        ),
        (
            ("country", "XX"),
            "hrtrust: error: unknown country 'XX'\n"
            "hint: use a two-letter ISO 3166 code like TW, JP, US or GB; none turns public "
            "holidays off\n",
        ),
        (
            ("workdays", "mon-fry"),
            "hrtrust: error: cannot read workdays 'mon-fry'\n"
            "hint: use e.g. mon-fri, sun-thu or mon,tue,thu\n",
        ),
        (
            ("reach-out-budget", "lots"),
            "hrtrust: error: reach-out-budget must be a whole number from 0 to 100, not 'lots'\n"
            "hint: e.g. hrtrust config set reach-out-budget 5\n",
        ),
        (
            ("cadence.ally", "sometimes"),
            None,
        ),
        (
            ("timezon", "UTC"),
            "hrtrust: error: unknown setting 'timezon'\n"
            "hint: did you mean timezone? settings: timezone, country, workdays, "
            "reach-out-budget, max-per-day, retention, min-responses, language, cadence.TAG\n",
        ),
    ],
)
def test_config_set_rejects_bad_values_and_changes_nothing(
    cli: Cli, empty: Path, args: tuple[str, str], stderr: str | None
) -> None:
    before = snapshot(empty)
    result = cli("config", "set", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    if stderr is None:
        assert result.stderr.startswith("hrtrust: error: cannot read cadence 'sometimes'\n")
    else:
        assert result.stderr == stderr
    assert snapshot(empty) == before


def test_config_needs_a_data_home(cli: Cli, home: Path) -> None:
    result = cli("config", "show")
    assert result.exit_code == 8


def test_init_takes_timezone_and_country(cli: Cli, home: Path) -> None:
    ok(cli, "init", "--timezone", "Asia/Tokyo", "--country", "jp")
    raw = raw_toml(home / "config.toml")
    assert (raw["timezone"], raw["country"]) == ("Asia/Tokyo", "JP")


def test_init_rejects_an_unknown_country_and_creates_nothing(cli: Cli, home: Path) -> None:
    result = cli("init", "--country", "Atlantis")
    assert result.exit_code == 2
    assert result.stderr.startswith("hrtrust: error: unknown country 'Atlantis'\n")
    assert not home.exists()


def test_the_demo_lives_in_taiwan(cli: Cli, demo: Path) -> None:
    raw = raw_toml(demo / "config.toml")
    assert (raw["timezone"], raw["country"]) == ("Asia/Taipei", "TW")


# -- public holidays -------------------------------------------------------------------------


def test_public_days_for_a_taiwan_week_with_a_make_up_saturday(tmp_path: Path) -> None:
    store = Store(tmp_path)
    got = public_days(store, Config(country="TW"), D("2024-02-12"), D("2024-02-18"))
    assert got == PublicDays(
        holidays={
            D("2024-02-12"): "Chinese New Year",
            D("2024-02-13"): "Chinese New Year (observed)",
            D("2024-02-14"): "Chinese New Year (observed)",
        },
        workdays=frozenset({D("2024-02-17")}),
    )
    assert public_days(store, Config(), D("2024-02-12"), D("2024-02-18")) == PublicDays()
    founding = public_days(store, Config(country="TW"), D("2026-12-28"), D("2027-01-03"))
    assert founding.holidays == {D("2027-01-01"): "Founding Day of the Republic of China"}


def test_a_country_s_year_of_holidays_is_computed_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    first = public_days(store, Config(country="TW"), D("2024-02-12"), D("2024-02-18"))
    assert (tmp_path / ".cache" / "holidays-TW-2024.bin").is_file()

    def never(country: str, year: int, language: str) -> Any:
        raise AssertionError("computed again")

    monkeypatch.setattr("hrtrust.storage.derived._compute_holidays", never)
    assert public_days(store, Config(country="TW"), D("2024-02-12"), D("2024-02-18")) == first
    # another week of the same year comes from the same table
    assert public_days(store, Config(country="TW"), D("2024-10-07"), D("2024-10-13")).holidays == {
        D("2024-10-10"): "National Day"
    }
    (tmp_path / ".cache" / "holidays-TW-2024.bin").write_bytes(b"damaged")
    with pytest.raises(AssertionError, match="computed again"):
        public_days(store, Config(country="TW"), D("2024-02-12"), D("2024-02-18"))


@pytest.fixture
def lunar_new_year(cli: Cli, home: Path) -> Path:
    """Taiwan, Chinese New Year 2024: Mon–Wed are holidays, Saturday Feb 17 is worked.
    The people are added in December, so by mid-February they are due a touch (a new contact
    is first due one cadence after it was added)."""
    day = D("2023-12-01")
    ok(cli, "init", "--timezone", "Asia/Taipei", "--country", "TW", today=day)
    ok(cli, "config", "set", "reach-out-budget", "4", today=day)
    ok(cli, "config", "set", "max-per-day", "1", today=day)
    for name in ("Amy Wu", "Ben Lee", "Cai Lin", "Dan Ho"):
        ok(cli, "contact", "add", name, today=day)
    ok(cli, "activity", "add", "Staff meeting", "--kind", "department-meeting",
       "--rule", "weekly on mon", "--at", "10:00", "--start", "2024-01-01", today=day)  # fmt: skip
    return home


def test_a_taiwan_week_with_holidays_and_a_make_up_saturday(cli: Cli, lunar_new_year: Path) -> None:
    today = D("2024-02-12")  # a holiday itself
    data = plan(cli, today=today)
    days = [(d["date"], d["holiday"], d["makeup_workday"], d["past"]) for d in data["days"]]
    assert days == [
        ("2024-02-12", "Chinese New Year", False, False),
        ("2024-02-13", "Chinese New Year (observed)", False, False),
        ("2024-02-14", "Chinese New Year (observed)", False, False),
        ("2024-02-15", None, False, False),
        ("2024-02-16", None, False, False),
        ("2024-02-17", None, True, False),
    ]
    # no reach-out on a holiday; the make-up Saturday holds one; one a day (max-per-day 1)
    assert [(r["name"], r["day"]) for r in data["reach_out"]] == [
        ("Amy Wu", "2024-02-15"),
        ("Ben Lee", "2024-02-16"),
        ("Cai Lin", "2024-02-17"),
        ("Dan Ho", None),
    ]
    monday = data["days"][0]["activities"]
    assert [(a["title"], a["on_holiday"]) for a in monday] == [("Staff meeting", True)]
    lines = text_plan(cli, today=today)
    assert lines[0] == "Week 2024-W07  Mon Feb 12 – Sat Feb 17   (today Mon Feb 12)"
    assert section(lines, "MONDAY FEB 12 (TODAY)") == [
        "MONDAY FEB 12 (TODAY)",
        "holiday      Chinese New Year — public holiday",
        "10:00–11:00  Staff meeting",
        "             falls on a public holiday — skip it? (hrtrust activity skip a1 2024-02-12)",
    ]
    assert section(lines, "TUESDAY FEB 13") == [
        "TUESDAY FEB 13",
        "holiday      Chinese New Year (observed) — public holiday",
    ]
    assert section(lines, "SATURDAY FEB 17") == [
        "SATURDAY FEB 17",
        "workday      make-up working day: reach-outs can go here",
        "reach out    coffee chat with Cai Lin — never logged a touch yet",
    ]
    assert section(lines, "Also due a touch") == [
        "Also due a touch",
        "coffee chat with Dan Ho — never logged a touch yet",
    ]


def test_skipping_the_holiday_occurrence_clears_the_flag(cli: Cli, lunar_new_year: Path) -> None:
    today = D("2024-02-12")
    assert ok(cli, "activity", "skip", "a1", "2024-02-12", today=today) == (
        "Skipping Staff meeting (a1) on Mon Feb 12, 2024.\n"
    )
    assert plan(cli, today=today)["days"][0]["activities"] == []


def test_export_ics_leaves_holidays_alone(cli: Cli, lunar_new_year: Path) -> None:
    today = D("2024-02-12")

    def events(ics: str) -> list[str]:  # the activities (to-dos follow the plan's days)
        return [part.split("END:VEVENT")[0] for part in ics.split("BEGIN:VEVENT")[1:]]

    with_holidays = ok(cli, "export", "ics", today=today)
    ok(cli, "config", "set", "country", "none", today=today)
    assert events(ok(cli, "export", "ics", today=today)) == events(with_holidays)
    assert len(events(with_holidays)) == 1
    assert "EXDATE" not in with_holidays


def test_a_birthday_on_a_holiday_is_celebrated_on_the_working_day_before(
    cli: Cli, lunar_new_year: Path
) -> None:
    ok(cli, "contact", "add", "Eve Su", "--birthday", "02-14", today=D("2024-02-01"))
    data = plan(cli, today=D("2024-02-12"))
    days = {d["date"]: [c["name"] for c in d["celebrations"]] for d in data["days"]}
    # no working day before it in the week: the first working day
    assert days["2024-02-15"] == ["Eve Su"]


# -- choosing days ---------------------------------------------------------------------------


def test_earliest_due_first_and_days_with_that_person_or_department(cli: Cli, empty: Path) -> None:
    start = D("2026-11-01")
    ok(cli, "config", "set", "reach-out-budget", "4", today=start)
    ok(cli, "config", "set", "max-per-day", "2", today=start)
    for name, every in (("Wed Due", "2w"), ("Mon Due", "2w")):
        ok(cli, "contact", "add", name, "--every", every, today=start)
    ok(cli, "contact", "add", "Rae Seen", "--dept", "Legal", "--every", "2w", today=start)
    ok(cli, "contact", "add", "Sam Sales", "--dept", "Sales", "--every", "2w", today=start)
    # last touches: Wed Due is due Wed Nov 25, Mon Due on Mon Nov 23; Rae and Sam are overdue
    ok(cli, "log", "coffee-chat", "-w", "wed due", "--date", "2026-11-11")
    ok(cli, "log", "coffee-chat", "-w", "mon due", "--date", "2026-11-09")
    ok(cli, "log", "coffee-chat", "-w", "rae", "--date", "2026-11-02")
    ok(cli, "log", "coffee-chat", "-w", "sam", "--date", "2026-11-03")
    ok(cli, "activity", "add", "Contract review", "--kind", "check-in", "--rule", "weekly on thu",
       "--at", "11:00", "--with", "rae", "--start", "2026-11-01", today=start)  # fmt: skip
    ok(cli, "activity", "add", "Sales pipeline", "--kind", "department-meeting",
       "--rule", "weekly on wed", "--at", "16:00", "--dept", "Sales",
       "--start", "2026-11-01", today=start)  # fmt: skip
    data = plan(cli)
    got = [(r["name"], r["day"], r["reason"]) for r in data["reach_out"]]
    assert got == [
        ("Rae Seen", "2026-11-26",
         "7d overdue (every 2 weeks); you will see them at Contract review"),
        ("Sam Sales", "2026-11-25", "6d overdue (every 2 weeks); you will be at Sales pipeline"),
        ("Mon Due", "2026-11-23", "due Mon (every 2 weeks)"),
        ("Wed Due", "2026-11-24", "due Wed (every 2 weeks)"),  # spread: Monday has one
    ]  # fmt: skip


def test_a_mid_week_plan_places_nothing_on_past_days(cli: Cli, empty: Path) -> None:
    ok(cli, "config", "set", "max-per-day", "1")
    for name in ("Amy Wu", "Ben Lee", "Cai Lin"):
        ok(cli, "contact", "add", name, today=D("2026-09-01"))
    today = D("2026-11-26")  # Thursday
    data = plan(cli, today=today)
    assert [(d["date"], d["past"]) for d in data["days"]] == [
        ("2026-11-23", True),
        ("2026-11-24", True),
        ("2026-11-25", True),
        ("2026-11-26", False),
        ("2026-11-27", False),
    ]
    assert [(r["name"], r["day"]) for r in data["reach_out"]] == [
        ("Amy Wu", "2026-11-26"),
        ("Ben Lee", "2026-11-27"),
        ("Cai Lin", None),
    ]
    lines = text_plan(cli, today=today)
    assert lines[2:12] == [
        "MONDAY NOV 23 (PAST)",
        "",
        "TUESDAY NOV 24 (PAST)",
        "",
        "WEDNESDAY NOV 25 (PAST)",
        "",
        "THURSDAY NOV 26 (TODAY)",
        "reach out    coffee chat with Amy Wu — never logged a touch yet",
        "",
        "FRIDAY NOV 27",
    ]
    assert "free for relationship work" not in "\n".join(lines)


@pytest.fixture
def clash_week(cli: Cli, empty: Path) -> Path:
    start = D("2026-11-01")
    ok(cli, "activity", "add", "Engineering staff meeting", "--kind", "department-meeting",
       "--rule", "weekly on tue", "--at", "10:00", "--start", "2026-11-01",
       today=start)  # fmt: skip
    ok(cli, "activity", "add", "Taichung visit", "--kind", "check-in", "--rule",
       "monthly on fourth tue", "--at", "10:00", "--duration", "3h", "--start", "2026-11-01",
       today=start)  # fmt: skip
    ok(cli, "activity", "add", "Ally coffee", "--kind", "ally-meeting", "--rule", "weekly on tue",
       "--at", "13:00", "--duration", "30m", "--start", "2026-11-01", today=start)  # fmt: skip
    return empty


def test_overlapping_activities_are_a_clash_on_that_day(cli: Cli, clash_week: Path) -> None:
    data = plan(cli)
    tuesday = data["days"][1]
    assert tuesday["clashes"] == [
        {
            "activities": ["a1", "a2"],
            "titles": ["Engineering staff meeting", "Taichung visit"],
            "start": "2026-11-24T10:00:00+08:00",
            "until": "2026-11-24T11:00:00+08:00",
        }
    ]  # 13:00 starts as the visit ends: no clash
    assert all(d["clashes"] == [] for d in data["days"] if d is not tuesday)
    lines = text_plan(cli)
    assert section(lines, "TUESDAY NOV 24") == [
        "TUESDAY NOV 24",
        "10:00–11:00  Engineering staff meeting",
        "10:00–13:00  Taichung visit",
        "13:00–13:30  Ally coffee",
        "clash        Engineering staff meeting 10:00–11:00 overlaps Taichung visit 10:00–13:00",
    ]
    assert plan(cli, "--next")["days"][1]["clashes"] == []  # the visit is monthly


def test_the_digest_shows_the_clash(cli: Cli, clash_week: Path) -> None:
    text = ok(cli, "digest", "--week", "2026-W48")
    assert "clash        Engineering staff meeting 10:00–11:00 overlaps Taichung visit" in text
    data = json.loads(ok(cli, "digest", "--week", "2026-W48", "--format", "json"))
    assert [c["activities"] for c in data["plan"]["days"][1]["clashes"]] == [["a1", "a2"]]


def _occ(aid: str, at: str, minutes: int | None) -> Occurrence:
    a = Activity(id=aid, title=aid, kind="check-in", rule="FREQ=DAILY", start=D("2026-01-01"))
    a.duration = minutes
    hour, minute = map(int, at.split(":"))
    return Occurrence(a, dt.datetime(2026, 11, 24, hour, minute), False, False)


def test_clashes_between_moments_and_spans() -> None:
    span, moment, same, later = (
        _occ("a1", "10:00", 60),
        _occ("a2", "10:30", None),
        _occ("a3", "10:30", None),
        _occ("a4", "11:00", 30),
    )
    got = [(k.first.activity.id, k.second.activity.id, k.until) for k in clashes(
        [span, moment, same, later])]  # fmt: skip
    assert got == [("a1", "a2", None), ("a1", "a3", None), ("a2", "a3", None)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(8 * 4, 18 * 4), st.one_of(st.none(), st.integers(1, 12))),
        max_size=12,
    )
)
def test_clashes_are_every_overlapping_pair(times: list[tuple[int, int | None]]) -> None:
    occ = [
        _occ(f"a{i}", f"{q // 4:02d}:{q % 4 * 15:02d}", None if d is None else d * 15)
        for i, (q, d) in enumerate(times)
    ]
    got = {(k.first.activity.id, k.second.activity.id) for k in clashes(occ)}
    want = set()
    for a in occ:
        for b in occ:
            if a is b or (b.start, b.activity.id) < (a.start, a.activity.id):
                continue
            a_end, b_end = a.end or a.start, b.end or b.start
            if a.start == b.start or (a.start < b_end and b.start < a_end):
                want.add((a.activity.id, b.activity.id))
    assert got == want


def test_a_crowded_day_lists_a_few_clashes_and_counts_the_rest(cli: Cli, empty: Path) -> None:
    start = D("2026-11-01")
    for n in range(8):  # eight meetings at 10:00 on Tuesday: 28 overlapping pairs
        ok(cli, "activity", "add", f"Meeting {n}", "--kind", "check-in", "--dept", "Sales",
           "--rule", "weekly on tue", "--at", "10:00", "--duration", "1h",
           "--start", "2026-11-01", today=start)  # fmt: skip
    assert len(plan(cli)["days"][1]["clashes"]) == 28
    tuesday = section(text_plan(cli), "TUESDAY NOV 24")
    assert [line for line in tuesday if line.startswith("clash")] == [
        "clash        Meeting 0 10:00–11:00 overlaps Meeting 1 10:00–11:00",
        "clash        Meeting 0 10:00–11:00 overlaps Meeting 2 10:00–11:00",
        "clash        Meeting 0 10:00–11:00 overlaps Meeting 3 10:00–11:00",
        "clash        Meeting 0 10:00–11:00 overlaps Meeting 4 10:00–11:00",
        "clash        Meeting 0 10:00–11:00 overlaps Meeting 5 10:00–11:00",
    ]
    assert tuesday[-1].strip() == "and 23 more overlaps — see `hrtrust plan week --json`"
    coverage = "\n".join(text_plan(cli))
    assert "this week: Meeting 0, Meeting 1, Meeting 2 and 5 more" in " ".join(coverage.split())
    digest = ok(cli, "digest", "--week", "2026-W48")
    assert digest.count("overlaps Meeting") == 5
    assert "and 23 more overlaps — see `hrtrust plan week --json`" in digest


def test_a_crowded_day_lists_a_few_promises_and_celebrations_and_counts_the_rest(
    cli: Cli, empty: Path
) -> None:
    start = D("2026-11-01")
    for n in range(11):
        ok(cli, "contact", "add", f"Person {n:02d}", "--birthday", "11-24", today=start)
        ok(cli, "promise", "add", f"task {n:02d}", "--to", f"Person {n:02d}", "--due",
           "2026-11-24", today=start)  # fmt: skip
    data = plan(cli)["days"][1]
    assert (len(data["promises_due"]), len(data["celebrations"])) == (11, 11)
    tuesday = section(text_plan(cli), "TUESDAY NOV 24")
    assert sum(line.startswith("due ") for line in tuesday) == 8
    assert sum(line.startswith("celebrate ") for line in tuesday) == 8
    assert "             and 3 more promises due — see `hrtrust plan week --json`" in tuesday
    assert "             and 3 more celebrations — see `hrtrust plan week --json`" in tuesday
    digest = ok(cli, "digest", "--week", "2026-W48")
    assert digest.count("task ") == 8 and "and 3 more promises due" in digest
    assert digest.count(": birthday") == 8
    assert "and 3 more — see `hrtrust plan week --json`" in digest


def test_the_more_line_of_another_week_names_that_week(cli: Cli, empty: Path) -> None:
    start = D("2026-11-01")
    for n in range(9):
        ok(cli, "contact", "add", f"Person {n:02d}", today=start)
        ok(cli, "promise", "add", f"task {n:02d}", "--to", f"Person {n:02d}", "--due",
           "2026-12-01", today=start)  # fmt: skip
    tuesday = section(text_plan(cli, "--next"), "TUESDAY DEC 1")
    assert sum(line.startswith("due ") for line in tuesday) == 8
    # `plan week --json` is this week (Nov 23-29): the line names the week it is about.
    more = "             and 1 more promise due — see `hrtrust plan week --week 2026-W49 --json`"
    assert more in tuesday


# -- today in the configured time zone --------------------------------------------------------


def test_today_is_the_date_in_the_configured_time_zone(cli: Cli, empty: Path) -> None:
    monday_night_utc = dt.datetime(2026, 11, 30, 22, 39, tzinfo=dt.UTC)
    state = State(home_option=str(empty), now=lambda: monday_night_utc)
    assert state.today == D("2026-12-01")  # already Tuesday in Taipei
    relative = State(home_option=str(empty), today_option="tomorrow", now=lambda: monday_night_utc)
    assert relative.today == D("2026-12-02")
    fixed = State(home_option=str(empty), today_option="2026-11-23", now=lambda: monday_night_utc)
    assert fixed.today == D("2026-11-23")
    ok(cli, "config", "set", "timezone", "America/Chicago")
    assert State(home_option=str(empty), now=lambda: monday_night_utc).today == D("2026-11-30")


# -- skipping only real occurrences ----------------------------------------------------------


def test_skip_accepts_only_a_real_occurrence(cli: Cli, clash_week: Path) -> None:
    before = snapshot(clash_week)
    result = cli("activity", "skip", "a2", "2026-12-01")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "hrtrust: error: Taichung visit (a2) does not happen on Tue Dec 1, 2026\n"
        "hint: nearest: Tue Nov 24, 2026 and Tue Dec 22, 2026\n"
    )
    early = cli("activity", "skip", "a1", "2026-10-27")
    assert early.stderr.endswith("hint: nearest: Tue Nov 3, 2026\n")
    assert snapshot(clash_week) == before
    assert ok(cli, "activity", "skip", "a2", "2026-12-22") == (
        "Skipping Taichung visit (a2) on Tue Dec 22, 2026.\n"
    )


def test_nearest_occurrences_respect_until() -> None:
    got = nearest_occurrences(
        "FREQ=WEEKLY;BYDAY=FR", start=D("2026-10-02"), at=None, day=D("2026-12-04"),
        until=D("2026-10-30"),
    )  # fmt: skip
    assert got == (D("2026-10-30"), None, False)


# -- the demo moves whole ---------------------------------------------------------------------


@pytest.mark.parametrize("today", ["2026-11-23", "2026-12-01", "2027-02-10", "2027-06-15"])
def test_a_fresh_demo_is_doctor_clean_and_its_skips_are_occurrences(
    cli: Cli, home: Path, today: str
) -> None:
    ok(cli, "init", "--demo", today=D(today))
    result = cli("doctor", today=D(today))
    assert result.exit_code == 0
    assert "note:" not in result.stdout, result.stdout
    for a in raw_toml(home / "activities.toml")["activity"]:
        for day in a.get("skip", []):
            hit = nearest_occurrences(
                a["rule"], start=a["start"], at=a.get("at"), day=day, until=a.get("until")
            )
            assert hit[2], (a["id"], day)


def test_the_digest_shows_holidays_and_the_make_up_day(cli: Cli, lunar_new_year: Path) -> None:
    lines = ok(cli, "digest", today=D("2024-02-12")).splitlines()
    monday = lines.index("Monday Feb 12 (today)")
    assert lines[monday + 1 : monday + 4] == [
        "holiday      Chinese New Year — public holiday",
        "10:00–11:00  Staff meeting",
        "             falls on a public holiday — skip it? (hrtrust activity skip a1",
    ]
    saturday = lines.index("Saturday Feb 17")
    assert lines[saturday + 1] == "workday    make-up working day: reach-outs can go here"
    data = json.loads(ok(cli, "digest", "--format", "json", today=D("2024-02-12")))
    assert [d["holiday"] for d in data["plan"]["days"]][:4] == [
        "Chinese New Year",
        "Chinese New Year (observed)",
        "Chinese New Year (observed)",
        None,
    ]
