"""Derived indexes: the merged touch index (as of a day), the open-promise and name indexes,
and `log` appending its entry without reading contacts or the month. Each index must give
exactly what the files give, be kept up to date on write, and be checked by doctor."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import TODAY as MONDAY
from conftest import Cli
from hrtrust.cli import load
from hrtrust.domain.contacts import resolve_all
from hrtrust.errors import HrtrustError
from hrtrust.models import (
    ContactsFile,
    Interaction,
    LogFile,
    PromisesFile,
    Touches,
    entry_sort_key,
    to_toml_dict,
)
from hrtrust.storage import derived
from hrtrust.storage import store as store_module
from hrtrust.storage import touches as touch_index
from hrtrust.storage.cache import read_index, write_index
from hrtrust.storage.indexes import live_promises
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import dumps, parse_document


@pytest.fixture
def small_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep validated records of every file, however small (the demo's months are small)."""
    monkeypatch.setattr("hrtrust.storage.store.RECORDS_CACHE_MIN", 0)


def brute_force(store: Store, as_of: dt.date) -> Touches:
    """Touches as of a day, straight from every entry (the meaning the index must keep)."""
    out = Touches()
    for e in sorted(store.iter_log(), key=entry_sort_key):
        if e.date > as_of:
            continue
        for cid in e.with_:
            out.people[cid] = e.date
            out.last_kind[cid] = e.kind
        for name in e.depts:
            if e.date > out.depts.get(name, dt.date.min):
                out.depts[name] = e.date
    return out


def test_touches_as_of_any_day_ignore_later_entries(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    entries = list(store.iter_log())
    days = sorted({e.date for e in entries})
    probes = [days[0] - dt.timedelta(days=1), *days[:: max(1, len(days) // 12)], days[-1]]
    probes += [dt.date(2026, 11, 23), dt.date(2027, 3, 1)]
    for as_of in probes:
        got = touch_index.touches(Store(demo), as_of)
        want = brute_force(store, as_of)
        assert (got.people, got.last_kind, got.depts) == (want.people, want.last_kind, want.depts)
        for cid in got.people:
            n = sum(1 for e in entries if cid in e.with_ and dt.date(2026, 9, 1) <= e.date <= as_of)
            if as_of >= dt.date(2026, 9, 1):
                assert got.count_since(cid, dt.date(2026, 9, 15)) == n


def test_a_future_entry_written_by_hand_does_not_count_before_its_day(cli: Cli, demo: Path) -> None:
    month = demo / "log" / "2026-12.toml"
    month.write_text(
        'schema_version = 1\n\n[[entry]]\nid = "2026-12-04.1"\ndate = 2026-12-04\n'
        'kind = "coffee-chat"\nwith = ["c1"]\n',
        encoding="utf-8",
    )
    before = touch_index.touches(Store(demo), dt.date(2026, 11, 23))
    assert before.people["c1"] < dt.date(2026, 11, 24)
    after = touch_index.touches(Store(demo), dt.date(2026, 12, 4))
    assert after.people["c1"] == dt.date(2026, 12, 4)
    assert after.last_kind["c1"] == "coffee-chat"


def rebuilt_index(demo: Path) -> dict[str, Any]:
    stamps = touch_index._stamps(Store(demo))
    return touch_index._merge(touch_index._month_summaries(Store(demo), stamps), stamps)


def test_log_adds_a_step_to_the_index(cli: Cli, demo: Path, small_cache: None) -> None:
    assert cli("plan", "week").exit_code == 0  # builds the index
    index = demo / ".cache" / touch_index.INDEX
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    result = cli("log", "coffee-chat", "--with", "maria", "--date", "2026-11-23")
    assert result.exit_code == 0, result.stderr
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before  # not rewritten
    kept = read_index(demo, touch_index.STEPS)  # one step more in the small companion
    assert kept["stamps"]["log/2026-11.toml"] == Store(demo).stamp("log/2026-11.toml")
    day = dt.date(2026, 11, 23).toordinal()
    assert kept["steps"] == [("log/2026-11.toml", [(day, "coffee-chat", ["c1"], ["Engineering"])])]
    merged = touch_index.load(Store(demo))
    assert merged is not None
    assert merged["people"]["c1"] == (day, "coffee-chat")
    assert merged == rebuilt_index(demo) == touch_index.merged_index(Store(demo))


def test_steps_are_folded_into_the_index_and_reads_agree_throughout(
    cli: Cli, demo: Path, small_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(touch_index, "FOLD_AFTER", 2)
    assert cli("plan", "week").exit_code == 0
    seen = []
    for who, kind in [("maria", "coffee-chat"), ("david", "check-in"), ("c2", "peer-lunch")] * 2:
        result = cli("log", kind, "--with", who, "--again")
        assert result.exit_code == 0, result.stderr
        seen.append(len(read_index(demo, touch_index.STEPS)["steps"]))
        assert touch_index.merged_index(Store(demo)) == rebuilt_index(demo)
        got = touch_index.touches(Store(demo), dt.date(2026, 11, 23))
        assert got.people == brute_force(Store(demo), dt.date(2026, 11, 23)).people
    assert seen == [1, 2, 0, 1, 2, 0]  # the third step folds them into the block


def test_a_planted_or_damaged_step_list_means_the_index_is_rebuilt(
    cli: Cli, demo: Path, small_cache: None
) -> None:
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    assert cli("plan", "week").exit_code == 0
    kept = read_index(demo, touch_index.STEPS)
    plants = [{**kept, "steps": s} for s in (None, [("log/2026-11.toml", [("x",)])], [(1, 2)])]
    plants += [{**kept, "token": b"another"}, "steps", None]  # a crash between the two writes
    for planted in plants:
        write_index(demo, touch_index.STEPS, planted)
        assert touch_index.merged_index(Store(demo)) == rebuilt_index(demo)
        assert read_index(demo, touch_index.STEPS)["steps"] == []  # rebuilt and kept


def test_log_appends_without_parsing_contacts_or_the_month(
    cli: Cli, demo: Path, small_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("plan", "week").exit_code == 0
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0  # builds the name index
    parsed = appended_only(monkeypatch)
    result = cli("log", "check-in", "--with", "david", "--note", "Q4 plans")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Logged check-in with David Okafor on Mon Nov 23 (2026-11-23.2).\n"
    assert parsed == []
    monkeypatch.undo()
    month = demo / "log" / "2026-11.toml"
    doc = Store(demo).read_checked(LogFile, "log/2026-11.toml")
    assert month.read_text(encoding="utf-8") == dumps(doc)  # the same bytes as a rewrite
    assert doc.entry[-1].note == "Q4 plans"
    assert Store(demo).read(LogFile, "log/2026-11.toml") == doc  # the cache was kept up to date


def appended_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file `log` parses: none when it appends."""
    parsed: list[str] = []
    real = __import__("hrtrust.storage.store", fromlist=["parse_document"]).parse_document

    def spy(cls: type[Any], text: str, where: str) -> Any:
        parsed.append(Path(where).name)
        return real(cls, text, where)

    monkeypatch.setattr("hrtrust.storage.store.parse_document", spy)
    return parsed


def test_the_append_path_refuses_the_same_touchpoint_twice(
    cli: Cli, demo: Path, small_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0  # 2026-11-23.1
    month = demo / "log" / "2026-11.toml"
    before = month.read_bytes()
    parsed = appended_only(monkeypatch)
    twice = cli("log", "coffee-chat", "--with", "Maria Chen")
    assert twice.exit_code == 2
    assert twice.stderr.startswith("hrtrust: error: already logged as 2026-11-23.1; --again")
    assert month.read_bytes() == before
    again = cli("log", "coffee-chat", "--with", "maria", "--again")
    assert again.exit_code == 0, again.stderr
    assert "(2026-11-23.2)" in again.stdout
    assert parsed == []  # both decided without parsing the month


def test_the_append_path_never_gives_out_a_deleted_entry_s_number(
    cli: Cli, demo: Path, small_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    assert cli("log", "check-in", "--with", "david").exit_code == 0
    assert cli("log", "delete", "2026-11-23.2").exit_code == 0
    parsed = appended_only(monkeypatch)
    result = cli("log", "check-in", "--with", "david")
    assert result.exit_code == 0, result.stderr
    assert "(2026-11-23.3)" in result.stdout  # .2 was issued once: never again
    assert parsed == []
    monkeypatch.undo()
    doc = Store(demo).read_checked(LogFile, "log/2026-11.toml")
    assert [e.id for e in doc.entry if e.date == dt.date(2026, 11, 23)] == [
        "2026-11-23.1",
        "2026-11-23.3",
    ]
    assert doc.issued == {"2026-11-23": 2}


def test_an_entry_dated_before_the_month_s_last_rewrites_the_month_in_order(
    cli: Cli, demo: Path, small_cache: None
) -> None:
    assert cli("plan", "week").exit_code == 0
    result = cli("log", "coffee-chat", "--with", "maria", "--date", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    doc = Store(demo).read_checked(LogFile, "log/2026-11.toml")
    assert doc.entry == sorted(doc.entry, key=entry_sort_key)
    assert (demo / "log" / "2026-11.toml").read_text(encoding="utf-8") == dumps(doc)


def outcome(find: Any, ref: str) -> str:
    try:
        return ",".join(c.id for c in find([ref]))
    except HrtrustError as exc:
        return f"{type(exc).__name__}: {exc.message} / {exc.hint}"


def test_name_index_resolves_as_the_contacts_do(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    contacts = store.read(ContactsFile).contact
    refs = [c.name for c in contacts] + [c.id.upper() for c in contacts]
    refs += [
        "m",
        "ma",
        "a",
        "d",
        "王",
        "小明",
        "明",
        "mraia",
        "zz",
        "maria chen",
        "  Maria   CHEN ",
        "c99",
    ]
    refs += [c.name.split()[-1][:3] for c in contacts if " " in c.name]
    for ref in refs:
        want = outcome(lambda r: resolve_all(r, contacts), ref)
        assert outcome(lambda r: load.people(Store(demo), r), ref) == want, ref


def test_log_resolves_names_from_the_index(cli: Cli, demo: Path) -> None:
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    nobody = cli("log", "coffee-chat", "--with", "mraia")
    assert nobody.exit_code != 0
    assert nobody.stderr.startswith("hrtrust: error: no contact matches 'mraia'\n")
    assert "Maria Chen" in nobody.stderr  # the suggestion comes from the contacts themselves
    by_id = cli("log", "coffee-chat", "--with", "C2")
    assert by_id.exit_code == 0, by_id.stderr
    assert "王小明" in by_id.stdout


def test_open_promise_index_follows_the_file(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    everything = store.read(PromisesFile).promise
    assert live_promises(store) == [p for p in everything if p.status == "open"]
    first = next(p for p in everything if p.status == "open")
    assert cli("promise", "done", first.id).exit_code == 0
    fresh = Store(demo)
    assert first.id not in {p.id for p in live_promises(fresh)}
    since = live_promises(fresh, dt.date(2026, 11, 1))
    assert first.id in {p.id for p in since}
    assert since == [
        p
        for p in fresh.read(PromisesFile).promise
        if p.status == "open" or (p.closed and p.closed >= dt.date(2026, 11, 1))
    ]


def test_doctor_finds_a_wrong_index_and_fix_rebuilds_it(cli: Cli, demo: Path) -> None:
    assert cli("plan", "week").exit_code == 0
    merged = touch_index.load(Store(demo))
    assert merged is not None
    merged["people"]["c1"] = (dt.date(2020, 1, 1).toordinal(), "lunch")
    touch_index.save(Store(demo), merged)
    result = cli("doctor")
    assert result.exit_code == 9
    assert "problem: .cache/touches.bin: the touch index's people disagree with the log" in (
        result.stdout
    )
    fixed = cli("doctor", "--fix")
    assert fixed.exit_code == 0, fixed.stdout
    assert "Fixed: rebuilt the derived indexes in .cache/" in fixed.stdout
    assert touch_index.touches(Store(demo), dt.date(2026, 11, 23)).people["c1"] != dt.date(
        2020, 1, 1
    )


def test_an_index_killed_between_the_log_and_its_update_is_rebuilt(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("plan", "week").exit_code == 0

    def die(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("hrtrust.storage.touches.record", die)
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    monkeypatch.undo()
    got = touch_index.touches(Store(demo), dt.date(2026, 11, 23))
    assert got.people["c1"] == dt.date(2026, 11, 23)
    entries = [e for e in Store(demo).iter_log() if isinstance(e, Interaction)]
    assert got.people == brute_force(Store(demo), dt.date(2026, 11, 23)).people
    assert entries


def test_a_hand_edited_month_is_rewritten_whole_never_appended_to(
    cli: Cli, demo: Path, small_cache: None
) -> None:
    month = demo / "log" / "2026-11.toml"
    doc = Store(demo).read_checked(LogFile, "log/2026-11.toml")
    # valid TOML, but not hrtrust's own layout: an inline array of entries
    inline = (
        "entry = [\n" + "".join("  " + _inline(to_toml_dict(e)) + ",\n" for e in doc.entry) + "]\n"
    )
    month.write_text(inline, encoding="utf-8")
    assert cli("plan", "week").exit_code == 0  # read and checked: its records are kept
    result = cli(
        "log", "coffee-chat", "--with", "maria", "--date", "2026-11-28", today=dt.date(2026, 11, 28)
    )
    assert result.exit_code == 0, result.stderr
    text = month.read_text(encoding="utf-8")
    reread = tomllib.loads(text)  # still TOML: rewritten, not appended to
    assert len(reread["entry"]) == len(doc.entry) + 1
    assert text == dumps(Store(demo).read_checked(LogFile, "log/2026-11.toml"))
    broken = text + "kind = = broken\n"
    month.write_text(broken, encoding="utf-8")
    refused = cli("log", "check-in", "--with", "maria")
    assert refused.exit_code == 5
    assert month.read_text(encoding="utf-8") == broken  # never written over


def _inline(table: dict[str, Any]) -> str:
    return "{ " + ", ".join(f"{tomli_w.dumps({k: v}).strip()}" for k, v in table.items()) + " }"


def test_the_append_path_never_reuses_an_id_a_moved_entry_still_holds(
    cli: Cli, demo: Path, small_cache: None
) -> None:
    day = dt.date(2026, 11, 28)
    assert cli("log", "coffee-chat", "--with", "maria", today=day).exit_code == 0
    month = demo / "log" / "2026-11.toml"
    text = month.read_text(encoding="utf-8")  # its date edited by hand to the 27th
    month.write_text(text.replace("date = 2026-11-28", "date = 2026-11-27"), encoding="utf-8")
    rewrite = cli("log", "peer-lunch", "--with", "david", "--date", "2026-11-20", "--learned", "x")
    assert rewrite.exit_code == 0, rewrite.stderr  # the month as hrtrust writes it again
    result = cli("log", "check-in", "--with", "david", today=day)  # appended
    assert result.exit_code == 0, result.stderr
    assert "(2026-11-28.2)" in result.stdout  # .1 is still taken, by the entry now on the 27th
    assert "used 2 times" not in cli("doctor").stdout


def test_a_week_of_a_month_is_rebuilt_from_fresh_records_alone(
    cli: Cli, demo: Path, small_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0  # records of the month
    store = Store(demo)
    every = [e for rel in store.log_months() for e in store.read_checked(LogFile, rel).entry]
    since, until = dt.date(2026, 11, 16), dt.date(2026, 11, 23)
    want = sorted((e for e in every if since <= e.date <= until), key=entry_sort_key)
    assert want  # the demo has entries in that week
    parsed = appended_only(monkeypatch)
    assert list(Store(demo).iter_log(since, until)) == want
    assert parsed == []  # from the records, not the TOML
    monkeypatch.undo()
    month = demo / "log" / "2026-11.toml"
    month.write_text(month.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # records stale
    assert list(Store(demo).iter_log(since, until)) == want


def test_kept_occurrences_are_what_expanding_gives_and_follow_the_activities_file(
    cli: Cli, demo: Path
) -> None:
    from zoneinfo import ZoneInfo

    from hrtrust.domain.planning import expand

    store = Store(demo)
    stamp = store.stamp("activities.toml")
    activities = store.activities().activity
    # a span across the end of daylight saving time somewhere, and the demo's own zone
    for zone in ("Europe/Berlin", store.config().timezone):
        tz = ZoneInfo(zone)
        first, last = dt.date(2026, 10, 19), dt.date(2026, 11, 8)
        fresh = expand(activities, tz, first, last)
        assert sum(map(len, fresh)) > 0
        built = derived.kept_expansion(store, activities, stamp, expand)(
            activities, tz, first, last
        )
        kept = derived.kept_expansion(store, activities, stamp, expand)(activities, tz, first, last)
        assert built == fresh and kept == fresh
        assert [[m.tzinfo for m in one] for one in kept] == [[tz] * len(one) for one in fresh]
        assert [[m.utcoffset() for m in one] for one in kept] == [
            [m.utcoffset() for m in one] for one in fresh
        ]
    assert read_index(demo, derived.OCCURRENCES) is not None
    # another list than the file's (a brief's few activities) is never served from the cache
    some = activities[:1]
    assert (
        derived.kept_expansion(store, activities, stamp, expand)(some, tz, first, last) == fresh[:1]
    )

    # an edit to the activities file: expanded again, never the old answer
    assert cli("activity", "add", "Late chat", "--kind", "coffee-chat", "--rule", "weekly on fri",
               "--start", "2026-10-01").exit_code == 0  # fmt: skip
    store = Store(demo)
    stamp = store.stamp("activities.toml")
    now = store.activities().activity
    assert derived.kept_expansion(store, now, stamp, expand)(now, tz, first, last) == expand(
        now, tz, first, last
    )


def test_a_planted_or_damaged_occurrence_cache_is_expanded_again(cli: Cli, demo: Path) -> None:
    from zoneinfo import ZoneInfo

    from hrtrust.domain.planning import expand

    store = Store(demo)
    stamp = store.stamp("activities.toml")
    activities = store.activities().activity
    tz = ZoneInfo(store.config().timezone)
    first, last = dt.date(2026, 11, 23), dt.date(2026, 11, 29)
    fresh = expand(activities, tz, first, last)
    derived.kept_expansion(store, activities, stamp, expand)(activities, tz, first, last)
    key, spans = read_index(demo, derived.OCCURRENCES)
    span = (first.toordinal(), last.toordinal())
    for planted in (
        (key, {span: [[(1, 2)]]}),  # the wrong number of activities
        (key, {span: "nonsense"}),
        (key, []),
        ("other", spans),
        None,
    ):
        write_index(demo, derived.OCCURRENCES, planted)
        assert (
            derived.kept_expansion(store, activities, stamp, expand)(activities, tz, first, last)
            == fresh
        )
    plan = cli("plan", "week")
    assert plan.exit_code == 0, plan.stderr


def test_doctor_finds_kept_occurrences_that_differ_and_fix_rebuilds_them(
    cli: Cli, demo: Path
) -> None:
    assert cli("plan", "week").exit_code == 0  # the week's occurrences are kept
    key, spans = read_index(demo, derived.OCCURRENCES)
    assert cli("doctor").exit_code == 0
    moved = {span: [[(day + 1, secs) for day, secs in one] for one in starts]
             for span, starts in spans.items()}  # fmt: skip
    write_index(demo, derived.OCCURRENCES, (key, moved))
    found = cli("doctor", "--json")
    assert found.exit_code == 9
    assert "occurrences.bin" in found.stdout and "differ" in found.stdout
    assert cli("doctor", "--fix").exit_code == 0
    assert read_index(demo, derived.OCCURRENCES) in (None, (key, spans))
    assert cli("doctor").exit_code == 0


@pytest.mark.parametrize("kept", [True, False])
def test_last_touch_before_a_day_is_the_newest_entry_on_or_before_it(
    cli: Cli, demo: Path, small_cache: None, kept: bool
) -> None:
    for person, day in [("maria", "2026-10-02"), ("maria", "2026-11-20"), ("kevin", "2026-09-15"),
                        ("maria", "2026-11-03"), ("kevin", "2026-11-23")]:  # fmt: skip
        assert cli("log", "check-in", "--with", person, "--date", day).exit_code == 0
    entries = list(Store(demo).iter_log())  # which keeps every month's records
    people = {cid for e in entries for cid in e.with_} | {"nobody"}
    for day in (dt.date(2026, 11, 19), dt.date(2026, 11, 20), dt.date(2026, 10, 1)):
        truth = {
            cid: max((e.date for e in entries if cid in e.with_ and e.date <= day), default=None)
            for cid in people
        }
        if not kept:  # read from the month files themselves
            for cached in (demo / ".cache").glob("records-log-*"):
                cached.unlink()
        assert touch_index.last_touch_before(Store(demo), people, day) == truth


def test_activities_changed_while_a_plan_reads_are_never_kept_under_their_new_stamp(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The file is rewritten between the plan's read of it and the end of the plan (another
    # `hrtrust activity ...`, a hand edit): the next plan must show the new times.
    path = demo / "activities.toml"
    text = path.read_text(encoding="utf-8")
    assert 'at = "10:00"' in text
    real = load.live_promises
    edited: list[bool] = []

    def promises_then_edit(store: Store, since: dt.date) -> Any:
        path.write_text(text.replace('at = "10:00"', 'at = "11:15"', 1), encoding="utf-8")
        edited.append(True)
        return real(store, since)

    monkeypatch.setattr(load, "live_promises", promises_then_edit)
    assert cli("plan", "week", "--json").exit_code == 0
    assert edited  # the file did change in the middle of the plan
    monkeypatch.setattr(load, "live_promises", real)
    again = cli("plan", "week", "--json")
    assert again.exit_code == 0  # the Tuesday staff meeting (a1) at its new time
    assert "2026-11-24T11:15:00" in again.stdout and "2026-11-24T10:00:00" not in again.stdout
    assert cli("doctor").exit_code == 0


_PLAIN_NAMES = st.text(alphabet=st.sampled_from(list("abMAß ﬁİı王小明-.Σσς")), max_size=8)
_NAMEISH = st.text(alphabet=st.sampled_from(list("abMAß ﬁİı王小明-\x00\x1e\x1f.Σσς")), max_size=8)


@settings(max_examples=300)
@given(
    rows=st.lists(
        st.tuples(_PLAIN_NAMES, _PLAIN_NAMES, st.none() | _PLAIN_NAMES, st.none() | _PLAIN_NAMES),
        max_size=12,
    ),
    ref=_NAMEISH,
)
def test_the_name_index_kept_as_one_string_finds_what_a_scan_finds(
    rows: list[tuple[str, str, str | None, str | None]], ref: str
) -> None:
    """Kept as one string (no text holds a separator)."""
    from hrtrust.storage.indexes import names_kept

    assert names_kept(rows, _name_key)[0] == "items"
    finds_as_a_scan(rows, ref)


def _name_key(name: str) -> str:
    from hrtrust.domain.contacts import fold

    return fold(name).replace(" ", "")


@given(
    rows=st.lists(
        st.tuples(_NAMEISH, _NAMEISH, st.none() | _NAMEISH, st.none() | _NAMEISH), max_size=12
    ),
    ref=_NAMEISH,
)
def test_the_name_index_finds_what_a_scan_finds_whatever_the_names_hold(
    rows: list[tuple[str, str, str | None, str | None]], ref: str
) -> None:
    """Kept as one string, or as rows when a text holds a separator."""
    finds_as_a_scan(rows, ref)


def finds_as_a_scan(rows: list[tuple[str, str, str | None, str | None]], ref: str) -> None:
    """The kept index gives exactly the contacts a plain scan gives, in file order: ids
    matched whole, names and English names by substring."""
    from hrtrust.domain.contacts import fold
    from hrtrust.storage.indexes import _search, names_kept

    needle = fold(ref)
    squashed = needle.replace(" ", "")
    want = [
        row
        for row in rows
        if (squashed and squashed in _name_key(row[1]))
        or (squashed and row[3] is not None and squashed in _name_key(row[3]))
        or row[0].casefold() == needle
    ]
    assert _search(names_kept(rows, _name_key), needle, squashed) == want


def test_a_name_index_of_another_shape_is_rebuilt_once_and_kept(cli: Cli, demo: Path) -> None:
    from hrtrust.storage.indexes import NAMES_INDEX

    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    stamp = Store(demo).stamp("contacts.toml")
    old_shape = [("c1", "Maria Chen", "Engineering", "mariachen")]  # an earlier layout
    write_index(demo, NAMES_INDEX, (stamp, old_shape))
    result = cli("log", "check-in", "--with", "david")
    assert result.exit_code == 0, result.stderr
    kept = read_index(demo, NAMES_INDEX)
    assert tuple(kept[0]) == stamp and kept[1][0] == "items"  # not rebuilt on every log


def test_log_notes_the_entry_beside_the_month_s_records_and_folds_them_in_later(
    cli: Cli, demo: Path, small_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import cache

    monkeypatch.setattr(cache, "MORE_AT_MOST", 2)
    rel = "log/2026-11.toml"
    month = demo / rel
    # the month as hrtrust writes it, and its records: later logs append to both
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    records = demo / ".cache" / cache.records_name(rel)
    seen = []
    for who in ["maria", "david", "c2", "maria"]:
        before = (records.read_bytes(), records.stat().st_mtime_ns)
        result = cli("log", "check-in", "--with", who, "--again")
        assert result.exit_code == 0, result.stderr
        unchanged = (records.read_bytes(), records.stat().st_mtime_ns) == before
        noted = read_index(demo, cache._more_name(rel))  # gone once folded in
        seen.append((unchanged, len(noted["more"]) if noted else 0))
        truth = parse_document(LogFile, month.read_text(encoding="utf-8"), str(month))
        parsed = appended_only(monkeypatch)
        assert Store(demo).read(LogFile, rel) == truth  # records and what is noted beside
        assert parsed == []
        monkeypatch.setattr("hrtrust.storage.store.parse_document", parse_document)
    # two entries noted beside the records; the third folds all three in; then noted again
    assert seen == [(True, 1), (True, 2), (False, 0), (True, 1)]


def test_records_noted_beside_another_copy_or_stamp_are_never_used(
    cli: Cli, demo: Path, small_cache: None
) -> None:
    from hrtrust.storage import cache

    rel = "log/2026-11.toml"
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0  # written whole
    assert cli("log", "check-in", "--with", "david").exit_code == 0  # noted beside
    store = Store(demo)
    stamp = store.stamp(rel)
    assert stamp is not None
    assert cache.fresh_records(demo, rel, stamp, LogFile) is not None
    more = read_index(demo, cache._more_name(rel))
    records = demo / ".cache" / cache.records_name(rel)
    kept = records.read_bytes()
    for planted, refused in (
        ({**more, "token": b"another copy"}, True),
        ({**more, "from": (1, 2, 3)}, True),
        ({**more, "stamp": (1, 2, 3)}, True),
        ({**more, "more": "junk"}, True),
        (["not", "a", "dict"], True),
        ({**more, "more": [("junk",)]}, False),  # records of another shape: fail to decode
    ):
        records.write_bytes(kept)  # a read below keeps records of its own: put these back
        write_index(demo, cache._more_name(rel), planted)
        assert (cache.fresh_records(demo, rel, stamp, LogFile) is None) == refused
        assert Store(demo).read(LogFile, rel) == Store(demo).read_checked(LogFile, rel)
    records.write_bytes(kept)  # and a log over junk noted beside: the month rewritten whole
    result = cli("log", "peer-lunch", "--with", "maria")
    assert result.exit_code == 0, result.stderr
    text = (demo / rel).read_text(encoding="utf-8")
    assert text == dumps(Store(demo).read_checked(LogFile, rel))


def test_a_reader_rebuilding_the_index_while_a_log_commits_never_counts_an_entry_twice(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader takes the months' stamps, a log writes the month, the reader reads it: had it
    kept what it built under the older stamps, the log's step would add the entry again."""
    assert cli("plan", "week").exit_code == 0
    assert cli("log", "coffee-chat", "--with", "c1", "--note", "a").exit_code == 0
    (demo / ".cache" / touch_index.INDEX).unlink()  # stale: the next reader rebuilds it
    reader = Store(demo)
    stamps = touch_index._stamps(reader)  # the reader starts before the log writes
    real_record = touch_index.record

    def late_reader(store: Store, rel: str, before: Any, entries: Any) -> None:
        # between the log's month write and its step: the reader, whose stamps were taken
        # before the write (its first look), reads the new month
        looks = iter([stamps])
        monkeypatch.setattr(touch_index, "_stamps", lambda s: next(looks, None) or now(s))
        touch_index.merged_index(reader)
        monkeypatch.setattr(touch_index, "_stamps", now)
        real_record(store, rel, before, entries)

    now = touch_index._stamps
    monkeypatch.setattr(touch_index, "record", late_reader)
    assert cli("log", "coffee-chat", "--with", "c1", "--note", "b", "--again").exit_code == 0
    monkeypatch.setattr(touch_index, "record", real_record)
    day = dt.date(2026, 11, 23)
    got = touch_index.touches(Store(demo), day).counts
    shutil.rmtree(demo / ".cache")
    assert got["2026-11"]["c1"] == touch_index.touches(Store(demo), day).counts["2026-11"]["c1"]


def test_a_name_index_of_any_shape_is_rebuilt_never_a_crash(cli: Cli, demo: Path) -> None:
    from hrtrust.storage.indexes import NAMES_INDEX

    stamp = Store(demo).stamp("contacts.toml")
    for planted in ({"joined": 1}, ("joined",), ("joined", 1, 2, 3), 42, ("rows", {"x": 1})):
        write_index(demo, NAMES_INDEX, (stamp, planted))
        result = cli("log", "check-in", "--with", "maria", "--again")
        assert result.exit_code == 0, (planted, result.stderr)


def test_records_noted_beside_the_month_go_when_its_records_are_kept_again(
    cli: Cli, demo: Path, small_cache: None
) -> None:
    """A deleted entry's note must not linger in the companion of an earlier copy."""
    from hrtrust.storage import cache

    rel = "log/2026-11.toml"
    more = demo / ".cache" / cache._more_name(rel)
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0  # written whole
    assert cli("log", "check-in", "--with", "david", "--note", "SECRET-NOTE").exit_code == 0
    assert b"SECRET-NOTE" in more.read_bytes()  # noted beside the records
    assert cli("log", "delete", "2026-11-23.2").exit_code == 0  # the month rewritten whole
    assert not more.exists()
    assert not any(b"SECRET-NOTE" in p.read_bytes() for p in (demo / ".cache").iterdir())


def test_a_rebuild_in_worker_processes_gives_what_one_process_gives(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A large rebuild reads the months in worker processes: the index is the same."""
    other = tmp_path / "copy"
    shutil.copytree(demo, other)
    serial = rebuilt_index(demo)
    monkeypatch.setattr(touch_index, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(touch_index, "_workers", lambda: 2)
    started: list[int] = []
    real = touch_index._summarise_apart
    monkeypatch.setattr(
        touch_index,
        "_summarise_apart",
        lambda *a: started.append(1) or real(*a),  # type: ignore[func-returns-value]
    )
    apart = rebuilt_index(other)
    assert started, "the rebuild did not use the workers"
    assert {k: v for k, v in apart.items() if k != "stamps"} == {
        k: v for k, v in serial.items() if k != "stamps"
    }
    assert touch_index.touches(Store(other), dt.date(2026, 11, 23)).people == (
        touch_index.touches(Store(demo), dt.date(2026, 11, 23)).people
    )


def test_a_plan_reads_its_people_and_promises_while_workers_read_the_months(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On a first run the months are read by workers while the plan reads contacts and
    promises (not after), and the plan is the one a warm cache gives."""
    assert cli("plan", "week", "--json").exit_code == 0
    warm = load.plan_input(Store(demo), MONDAY, MONDAY)
    shutil.rmtree(demo / ".cache")
    monkeypatch.setattr(touch_index, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(touch_index, "_workers", lambda: 2)
    order: list[str] = []
    real_apart, real_everyone, real_promises = (
        touch_index._summarise_apart,
        load.everyone,
        load.live_promises,
    )
    monkeypatch.setattr(
        touch_index,
        "_summarise_apart",
        lambda *a: order.append("workers started") or real_apart(*a),  # type: ignore[func-returns-value]
    )
    monkeypatch.setattr(
        load,
        "everyone",
        lambda s: order.append("people") or real_everyone(s),  # type: ignore[func-returns-value]
    )
    monkeypatch.setattr(
        load,
        "live_promises",
        lambda s, d: order.append("promises") or real_promises(s, d),  # type: ignore[func-returns-value]
    )
    cold = load.plan_input(Store(demo), MONDAY, MONDAY)
    assert order == ["workers started", "people", "promises"]
    assert dict(cold.touches.people) == dict(warm.touches.people)
    assert dict(cold.touches.depts) == dict(warm.touches.depts)
    assert [p.id for p in cold.promises] == [p.id for p in warm.promises]
    assert touch_index.load(Store(demo)) is not None  # the index it built was kept


def test_a_plan_that_fails_while_workers_read_the_months_stops_them(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    assert cli("plan", "week", "--json").exit_code == 0
    before = cli("plan", "week", "--json").stdout
    contacts = demo / "contacts.toml"
    good = contacts.read_text(encoding="utf-8")
    contacts.write_text(good + "\n[[contact]\n", encoding="utf-8")
    shutil.rmtree(demo / ".cache")
    monkeypatch.setattr(touch_index, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(touch_index, "_workers", lambda: 2)
    with pytest.raises(HrtrustError, match=r"contacts\.toml:\d+:\d+"):
        load.plan_input(Store(demo), MONDAY, MONDAY)
    assert multiprocessing.active_children() == []  # the workers were stopped, not left
    assert touch_index.load(Store(demo)) is None  # no index kept from a run that failed
    contacts.write_text(good, encoding="utf-8")
    assert cli("plan", "week", "--json").stdout == before


KILLED_MID_REBUILD = """
import os, signal, sys, time
from pathlib import Path
from hrtrust.storage import touches
from hrtrust.storage.store import Store
touches.PARALLEL_BYTES = 0
touches._workers = lambda: 2
real_month, real_apart = touches._summarise_month, touches._summarise_apart
def slow(*a):
    time.sleep(0.2)
    return real_month(*a)
def then_killed(*a):
    collect = real_apart(*a)
    print("started", flush=True)
    time.sleep(0.3)  # the workers are at work
    os.kill(os.getpid(), signal.SIGKILL)
touches._summarise_month, touches._summarise_apart = slow, then_killed
touches.merged_index(Store(Path(sys.argv[1])))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_end_with_an_hrtrust_killed_while_they_read(cli: Cli, demo: Path) -> None:
    """A `kill -9` (the OOM killer, a cron timeout) mid-rebuild leaves no worker behind,
    waiting forever on a queue nobody reads."""
    shutil.rmtree(demo / ".cache", ignore_errors=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_REBUILD, str(demo)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "started\n"
        assert proc.wait(timeout=30) == -signal.SIGKILL
        deadline = time.monotonic() + 20
        left = True
        while left and time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)  # anyone left in its process group?
                time.sleep(0.05)
            except ProcessLookupError:
                left = False
        assert not left, "a worker outlived the hrtrust that started it"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert cli("plan", "week").exit_code == 0  # and the next run rebuilds what it left
    assert cli("doctor", "--fix").exit_code == 0
    assert cli("doctor").exit_code == 0


def test_a_broken_month_read_by_a_worker_is_reported_as_a_read_reports_it(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    month = sorted((demo / "log").glob("*.toml"))[0]
    month.write_text(month.read_text(encoding="utf-8") + "\n[[entry]\n", encoding="utf-8")
    monkeypatch.setattr(touch_index, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(touch_index, "_workers", lambda: 2)
    with pytest.raises(HrtrustError, match=rf"{month.name}:\d+:\d+"):
        touch_index.merged_index(Store(demo))


def test_a_rebuild_holds_one_month_at_a_time(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    touch_index.merged_index(store)
    assert not [rel for rel in store._cache if rel.startswith("log/")]


@given(
    st.recursive(
        st.none() | st.integers(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
        ),
        max_leaves=30,
    )
)
def test_nesting_depth_counts_tables_and_arrays_inside_each_other(value: Any) -> None:
    def depth(v: Any) -> int:
        if isinstance(v, dict):
            return 1 + max((depth(x) for x in v.values()), default=0)
        if isinstance(v, list):
            return 1 + max((depth(x) for x in v), default=0)
        return 0

    from hrtrust.models import nesting_depth

    assert nesting_depth(value) == depth(value)


@pytest.mark.parametrize("kept", [True, False])
def test_touchpoints_are_the_entries_day_kind_people_departments_and_activity(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch, kept: bool
) -> None:
    """Read from the validated records (no entry rebuilt) or from the files: the same."""
    if kept:
        monkeypatch.setattr("hrtrust.storage.store.RECORDS_CACHE_MIN", 0)
        for rel in Store(demo).log_months():
            Store(demo).log_month(rel)  # writes the records
    since, until = dt.date(2026, 9, 10), dt.date(2026, 11, 23)
    want = sorted(
        (
            (e.date, e.kind, e.with_, e.depts, e.activity)
            for e in Store(demo).iter_log(since, until)
        ),
        key=repr,
    )
    store = Store(demo)
    rebuilt_entries: list[int] = []
    real = store_module.decode
    monkeypatch.setattr(store_module, "decode", lambda *a: rebuilt_entries.append(1) or real(*a))
    if kept:  # from the records: no month read, no entry rebuilt
        monkeypatch.setattr(store, "log_month", lambda *a, **k: pytest.fail("month read"))
    got = store.touchpoints(since, until)
    assert sorted((tuple(t) for t in got), key=repr) == want and len(want) > 20
    assert any(t.activity for t in got)
    assert not (kept and rebuilt_entries)
