"""The touchpoints kept per day and department (``.cache/touches-days.bin``): what `report
coverage` sums. Whatever happened to the log (a `log`, a hand edit, an entry in another month's
file, someone moving department, a deleted or damaged cache), the counts it gives are a recount
of the log read independently of hrtrust."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY, Cli
from hrtrust.cli import load
from hrtrust.storage import touch_days
from hrtrust.storage.cache import read_index, write_index
from hrtrust.storage.store import Store

DEPTS = ["Engineering", "Manufacturing", "Sales", "Taichung Office"]
PEOPLE = [f"c{n}" for n in range(1, 25)]


def recount(home: Path, since: dt.date, until: dt.date) -> dict[dt.date, dict[str, int]]:
    """Entries per day and department, from the TOML itself: every entry dated from ``since``
    to ``until`` in the month files of those months, once for each department it names or
    anyone in it belongs to (their department now)."""
    with (home / "contacts.toml").open("rb") as fh:
        dept_of = {c["id"]: c.get("dept") for c in tomllib.load(fh).get("contact", [])}
    first, last = f"{since:%Y-%m}.toml", f"{until:%Y-%m}.toml"
    out: dict[dt.date, Counter[str]] = {}
    for path in sorted((home / "log").glob("*.toml")):
        if not first <= path.name <= last:
            continue
        with path.open("rb") as fh:
            entries = tomllib.load(fh).get("entry", [])
        for e in entries:
            if since <= e["date"] <= until:
                names = set(e.get("depts", [])) | {
                    d for w in e.get("with", []) if (d := dept_of.get(w))
                }
                day = out.setdefault(e["date"], Counter())
                for name in names:
                    day[name] += 1
    return {day: dict(c) for day, c in out.items()}


def counted(home: Path, today: dt.date) -> dict[dt.date, dict[str, int]] | None:
    since = today - dt.timedelta(days=89)
    data = load.report_input(Store(home), since, today, counted=True, promises=False)
    return None if data.by_day is None else {d: dict(c) for d, c in data.by_day.items()}


def assert_counts_are_a_recount(home: Path) -> None:
    for today in (TODAY, TODAY - dt.timedelta(days=40), TODAY + dt.timedelta(days=20)):
        since = today - dt.timedelta(days=89)
        assert counted(home, today) == recount(home, since, today), today


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """The demo home, made once: each example works on its own copy."""
    folder = Path(tempfile.mkdtemp(prefix="hrtrust-days-"))
    result = Cli()("--home", str(folder / "home"), "init", "--demo")
    assert result.exit_code == 0, result.output
    yield folder / "home"
    shutil.rmtree(folder)


def _edit_toml(path: Path, change: Any) -> None:
    with path.open("rb") as fh:
        doc = tomllib.load(fh)
    change(doc)
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")


def _log(home: Path, step: tuple[Any, ...]) -> None:
    _, offset, people, depts = step
    args = ["--home", str(home), "log", "check-in", "--again"]
    for cid in people:
        args += ["--with", cid]
    for name in depts:
        args += ["--dept", name]
    day = TODAY - dt.timedelta(days=offset)
    result = Cli()(*args, "--date", day.isoformat())
    assert result.exit_code == 0, result.output + result.stderr


def _hand_edit(home: Path, step: tuple[Any, ...]) -> None:
    """Change one entry of a recent month by hand: drop it, move its day (into another month
    too: the file still holds it), or change whom it was with."""
    _, month, pick, how, arg = step
    path = home / "log" / f"2026-{month:02d}.toml"

    def change(doc: dict[str, Any]) -> None:
        entries = doc.get("entry", [])
        if not entries:
            return
        e = entries[pick % len(entries)]
        if how == "drop":
            entries.remove(e)
        elif how == "day":
            e["date"] = e["date"] + dt.timedelta(days=arg)
        else:
            e["with"] = [PEOPLE[arg % len(PEOPLE)]]

    _edit_toml(path, change)


def _move(home: Path, step: tuple[Any, ...]) -> None:
    """Someone changes department: by `contact edit`, or by hand in contacts.toml."""
    _, cid, dept, by_hand = step
    if not by_hand:
        result = Cli()("--home", str(home), "contact", "edit", cid, "--dept", dept)
        assert result.exit_code == 0, result.output + result.stderr
        return

    def change(doc: dict[str, Any]) -> None:
        for c in doc["contact"]:
            if c["id"] == cid:
                c["dept"] = dept

    _edit_toml(home / "contacts.toml", change)


LOG_STEPS = st.tuples(
    st.just("log"),
    st.integers(0, 100),
    st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True),
    st.lists(st.sampled_from(DEPTS), max_size=2, unique=True),
).filter(lambda s: s[2] or s[3])
OTHER_STEPS = st.one_of(  # all but a log
    st.tuples(
        st.just("edit"),
        st.integers(8, 11),
        st.integers(0, 50),
        st.sampled_from(["drop", "day", "with"]),
        st.integers(-40, 40),
    ),
    st.tuples(st.just("move"), st.sampled_from(PEOPLE), st.sampled_from(DEPTS), st.booleans()),
    st.tuples(st.sampled_from(["drop cache", "damage", "check"])),
)
STEPS = st.one_of(LOG_STEPS, OTHER_STEPS)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=1, max_size=6))
def test_the_kept_day_counts_are_a_recount_of_the_log(
    template: Path, steps: list[tuple[Any, ...]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(template, home)
        assert_counts_are_a_recount(home)  # built
        assert_counts_are_a_recount(home)  # kept
        apply_steps(home, steps, assert_counts_are_a_recount, _log)
        assert_counts_are_a_recount(home)


def apply_steps(
    home: Path,
    steps: list[tuple[Any, ...]],
    check: Callable[[Path], None],
    log: Callable[[Path, tuple[Any, ...]], None],
) -> None:
    """Make each change of ``steps`` to ``home`` (``log`` logs; a "check" step runs ``check``
    between two changes, or not: a log right after a hand edit)."""
    for step in steps:
        kind = step[0]
        if kind == "log":
            log(home, step)
        elif kind == "edit":
            _hand_edit(home, step)
        elif kind == "move":
            _move(home, step)
        elif kind == "drop cache":
            shutil.rmtree(home / ".cache", ignore_errors=True)
        elif kind == "damage":
            (home / ".cache").mkdir(exist_ok=True)
            (home / ".cache" / touch_days.NAME).write_bytes(b"\xe3garbage")
        else:
            check(home)


def _no_recount(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        pytest.fail("a month was counted again")

    monkeypatch.setattr(touch_days, "_month_touchpoints", fail)


def test_a_log_steps_the_counts_and_the_report_counts_no_month_again(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cli("report", "coverage")
    assert before.exit_code == 0
    assert cli("log", "coffee-chat", "--with", "maria", "--dept", "Sales").exit_code == 0
    assert (
        cli("log", "check-in", "--dept", "Taichung Office", "--date", "2026-11-01").exit_code == 0
    )
    months = read_index(demo, touch_days.NAME)["months"]
    assert len(months["log/2026-11.toml"][2]) == 2  # waiting, uncounted
    with monkeypatch.context() as m:
        _no_recount(m)
        stepped = cli("report", "coverage")
        assert stepped.exit_code == 0
        assert counted(demo, TODAY) == recount(demo, TODAY - dt.timedelta(days=89), TODAY)
    assert read_index(demo, touch_days.NAME)["months"]["log/2026-11.toml"][2] == []  # folded
    shutil.rmtree(demo / ".cache")
    assert cli("report", "coverage").stdout == stepped.stdout != before.stdout
    # Maria (Engineering) and Sales: one more each today; Taichung Office one more on Nov 1
    assert "Sales                  4   —          4     9" in stepped.stdout


def test_a_log_after_a_hand_edit_leaves_the_month_to_be_counted_again(cli: Cli, demo: Path) -> None:
    assert cli("report", "coverage").exit_code == 0
    _hand_edit(demo, ("edit", 11, 0, "drop", 0))  # the kept counts no longer reflect it
    assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
    assert counted(demo, TODAY) == recount(demo, TODAY - dt.timedelta(days=89), TODAY)


def test_a_month_logged_to_while_it_was_counted_is_not_kept_for_its_old_stamp(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader takes no lock: a log may write the month between the reader's look at its
    stamp and its count, and take its step after the reader kept what it counted."""
    held: list[tuple[Any, ...]] = []
    monkeypatch.setattr(touch_days, "record", lambda *a: held.append(a))  # the log's step, held
    real = touch_days._month_touchpoints

    def racing(store: Store, rel: str) -> Any:
        if rel == "log/2026-11.toml" and not held:
            assert cli("log", "coffee-chat", "--with", "maria").exit_code == 0
        return real(store, rel)

    monkeypatch.setattr(touch_days, "_month_touchpoints", racing)
    counted(demo, TODAY)
    monkeypatch.undo()
    assert len(held) == 1
    touch_days.record(*held[0])  # the step lands after the reader kept its counts
    assert counted(demo, TODAY) == recount(demo, TODAY - dt.timedelta(days=89), TODAY)


def test_a_few_months_are_kept_however_many_a_replay_asked_for(cli: Cli, demo: Path) -> None:
    for n in range(12):
        assert cli("report", "coverage", today=TODAY - dt.timedelta(days=30 * n)).exit_code == 0
    # the last asked for (Dec 28, 2025: the log's first month), then the newest kept
    assert sorted(read_index(demo, touch_days.NAME)["months"]) == [
        "log/2025-12.toml",
        "log/2026-01.toml",
        "log/2026-02.toml",
        "log/2026-03.toml",
        "log/2026-10.toml",
        "log/2026-11.toml",
    ]
    assert touch_days.MONTHS_KEPT == 6


def test_someone_changing_department_counts_every_month_again(cli: Cli, demo: Path) -> None:
    assert cli("report", "coverage").exit_code == 0
    assert cli("contact", "edit", "maria", "--dept", "Sales").exit_code == 0
    moved = cli("report", "coverage")
    shutil.rmtree(demo / ".cache")
    assert cli("report", "coverage").stdout == moved.stdout
    assert counted(demo, TODAY) == recount(demo, TODAY - dt.timedelta(days=89), TODAY)


def test_a_contact_edit_that_moves_nobody_keeps_the_counts(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("report", "coverage").exit_code == 0
    assert cli("contact", "edit", "maria", "--role", "CTO").exit_code == 0
    _no_recount(monkeypatch)
    assert counted(demo, TODAY) == recount(demo, TODAY - dt.timedelta(days=89), TODAY)


def test_a_damaged_day_count_file_is_rebuilt_and_said_under_debug(cli: Cli, demo: Path) -> None:
    good = cli("report", "coverage")
    (demo / ".cache" / touch_days.NAME).write_bytes(b"garbage")
    quiet = cli("report", "coverage")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, good.stdout, "")
    (demo / ".cache" / touch_days.NAME).write_bytes(b"garbage")
    loud = cli("--debug", "report", "coverage")
    assert loud.stdout == good.stdout
    assert f"hrtrust: debug: .cache/{touch_days.NAME}: rebuilt (" in loud.stderr


@pytest.mark.parametrize(
    "planted",
    [
        {"key": "not bytes", "months": {}},
        {"key": b"k", "months": []},
        "a string",
        {"months": {}},
    ],
)
def test_a_planted_day_count_file_of_another_shape_is_rebuilt(
    cli: Cli, demo: Path, planted: Any
) -> None:
    good = cli("report", "coverage").stdout
    write_index(demo, touch_days.NAME, planted)
    result = cli("--debug", "report", "coverage")
    assert result.stdout == good
    assert "rebuilt" in result.stderr
    assert counted(demo, TODAY) == recount(demo, TODAY - dt.timedelta(days=89), TODAY)


def test_a_month_planted_with_the_right_key_but_wrong_counts_of_a_wrong_shape_is_recounted(
    cli: Cli, demo: Path
) -> None:
    good = cli("report", "coverage").stdout
    payload = read_index(demo, touch_days.NAME)
    stamp, days, _pending = payload["months"]["log/2026-11.toml"]
    payload["months"]["log/2026-11.toml"] = (stamp, {"x": {"Sales": 1}}, [])
    write_index(demo, touch_days.NAME, payload)
    result = cli("--debug", "report", "coverage")
    assert (result.stdout, f".cache/{touch_days.NAME}: rebuilt" in result.stderr) == (good, True)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("json", [False, True])
def test_report_coverage_reads_the_same_kept_fresh_and_after_a_log(
    cli: Cli, demo: Path, lang: str, json: bool
) -> None:
    args = ["--lang", lang, "report", "coverage", *(["--json"] if json else [])]
    fresh = cli(*args)
    kept = cli(*args)
    assert fresh.exit_code == kept.exit_code == 0
    assert fresh.stdout == kept.stdout
    assert cli("log", "coffee-chat", "--with", "c12").exit_code == 0
    stepped = cli(*args).stdout
    shutil.rmtree(demo / ".cache")
    assert cli(*args).stdout == stepped != fresh.stdout


def test_the_key_tells_departments_apart_however_the_names_read() -> None:
    key = touch_days._key
    assert key({"c1": "Sales", "c2": None}) == key({"c1": "Sales", "c2": ""})
    assert key({"c1": "Sales", "c2": None}) != key({"c1": None, "c2": "Sales"})
    assert key({"a\0b": "c"}) != key({"a": "b\0c"})
    assert key({"ab": "c"}) != key({"a": "bc"})
    assert key({}) != key({"c1": None})
