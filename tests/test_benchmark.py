"""The benchmark instruments: the data generator and a small run of the benchmark itself.

These check that the instruments work and what they produce, never how fast anything is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from hrtrust.domain.promises import outcome
from hrtrust.domain.recurrence import to_rrule
from hrtrust.models import ALLY, MANAGER, NEW_HIRE, PEER
from hrtrust.storage.paths import month_file
from hrtrust.storage.store import Store

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import bench  # noqa: E402
import generate  # noqa: E402

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("gen") / "small"
    generate.generate("small", home, seed=1)
    return home


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    first = generate.files("small", seed=3)
    again = generate.files("small", seed=3)
    other = generate.files("small", seed=4)
    assert first == again
    assert first["contacts.toml"] != other["contacts.toml"]
    assert set(first) >= {
        "config.toml",
        "contacts.toml",
        "activities.toml",
        "promises.toml",
        "feedback.toml",
    }


def test_written_files_are_the_generated_text_and_private(small: Path) -> None:
    expected = generate.files("small", seed=1)
    written = {
        str(p.relative_to(small)): p.read_text(encoding="utf-8")
        for p in small.rglob("*")
        if p.is_file()
    }
    assert written == expected
    assert oct(small.stat().st_mode & 0o777) == "0o700"
    assert {oct(p.stat().st_mode & 0o777) for p in small.rglob("*.toml")} == {"0o600"}


def test_small_home_loads_through_the_store_with_the_promised_counts(small: Path) -> None:
    store = Store(small)
    config = store.config()
    contacts = store.contacts().contact
    activities = store.activities().activity
    promises = store.promises().promise
    feedback = store.feedback()
    entries = list(store.iter_log())

    size = generate.SIZES["small"]
    assert len(contacts) == size.contacts == 60
    assert len(entries) == size.interactions == 700
    assert len(promises) == size.promises == 40
    assert len(activities) == size.activities == 8
    assert len(feedback.feedback) == size.feedback
    assert feedback.pulse
    assert config.timezone == "Asia/Taipei"
    clients = [d.name for d in config.department if d.client]
    assert clients == ["Engineering", "Manufacturing", "Sales", "Taichung Office"]
    assert len({c.name for c in contacts}) == len(contacts)  # a full name finds one person

    # one year of history up to the Friday before the anchor Monday
    assert min(e.date for e in entries) >= dt.date(2025, 11, 23)
    assert max(e.date for e in entries) == dt.date(2026, 11, 20)
    assert all(e.date.weekday() < 5 for e in entries)

    # every tag planning cares about, and exactly one client department without an ally
    tags = Counter(t for c in contacts for t in c.tags)
    assert tags[PEER] >= 3 and tags[MANAGER] >= 1 and tags[NEW_HIRE] >= 1
    allied = {c.dept for c in contacts if ALLY in c.tags}
    assert len(allied) == tags[ALLY] == len(clients) - 1
    assert any(c.learned for c in contacts) and any(c.notes for c in contacts)
    assert any(c.birthday for c in contacts) and any(c.hired for c in contacts)


def test_log_files_months_and_ids_follow_hrtrusts_layout(small: Path) -> None:
    store = Store(small)
    months = store.log_months()
    assert months[0] == "log/2025-11.toml" and months[-1] == "log/2026-11.toml"
    assert len(months) == 13
    for rel in months:
        log = store.log_month(rel)
        ids = [e.id for e in log.entry]
        assert len(ids) == len(set(ids))
        for e in log.entry:
            assert month_file(e.date) == rel
            assert re.fullmatch(rf"{e.date.isoformat()}\.[1-9]\d*", e.id)
        per_day = Counter(e.date for e in log.entry)
        for day, count in per_day.items():  # numbered 1..n within each day
            seqs = sorted(int(e.id.rsplit(".", 1)[1]) for e in log.entry if e.date == day)
            assert seqs == list(range(1, count + 1))


def test_references_between_files_all_resolve(small: Path) -> None:
    store = Store(small)
    contact_ids = {c.id for c in store.contacts().contact}
    activity_ids = {a.id for a in store.activities().activity}
    entries = {e.id: e for e in store.iter_log()}
    promises = store.promises().promise
    for e in entries.values():
        assert set(e.with_) <= contact_ids
        assert e.activity is None or e.activity in activity_ids
    for p in promises:
        assert p.person in contact_ids
        assert p.made <= p.due
        if p.source is not None:
            assert p.id in entries[p.source].promises
            assert p.made == entries[p.source].date
        for before, after in zip(p.deferrals, p.deferrals[1:], strict=False):
            assert before.to == after.from_
        if p.deferrals:
            assert p.deferrals[-1].to == p.due
    for a in store.activities().activity:
        assert to_rrule(a.rule) == a.rule  # stored in hrtrust's own RRULE form
        assert set(a.with_) <= contact_ids


def test_promises_come_in_every_state(small: Path) -> None:
    promises = Store(small).promises().promise
    states = Counter(outcome(p, TODAY) for p in promises)
    assert set(states) == {"kept", "late", "overdue", "open", "cancelled"}
    assert {p.direction for p in promises} == {"owe", "await"}
    assert any(p.deferrals for p in promises)


def test_generator_cli_writes_a_home_and_refuses_a_full_folder(tmp_path: Path) -> None:
    dest = tmp_path / "home"
    assert generate.main(["small", str(dest), "--seed", "2"]) == 0
    assert (dest / "config.toml").read_text(encoding="utf-8") == generate.files("small", 2)[
        "config.toml"
    ]
    assert generate.main(["small", str(dest)]) == 1


def _hrtrust() -> str:
    return str(Path(sys.executable).parent / "hrtrust")


def test_plan_week_on_the_small_home_exits_0(small: Path) -> None:
    env = {**os.environ, "HRTRUST_HOME": str(small), "NO_COLOR": "1", "COLUMNS": "80"}
    done = subprocess.run(
        [_hrtrust(), "--today", "2026-11-23", "plan", "week"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Week 2026-W48")
    assert done.stderr == ""


def test_budgets_are_the_ones_issue_27_sets() -> None:
    assert bench.budget("realistic", "plan week") == bench.Budget(1.3)
    assert bench.budget("realistic", "--help") == bench.Budget(1.1)
    assert bench.budget("realistic", "import 5k csv") == bench.Budget(8.0)
    assert bench.budget("realistic", "import 5k events") == bench.Budget(10.0)
    assert bench.budget("realistic", "import 50k csv") == bench.Budget(None, 150.0)
    assert bench.budget("small", "log") == bench.Budget(1.3)
    assert bench.budget("large", "log") == bench.Budget(1.3, 150.0)
    assert bench.budget("large", "plan week") == bench.Budget(2.0, 150.0)
    assert bench.budget("large", "overdue") == bench.Budget(2.0, 150.0)
    assert bench.budget("large", "digest") == bench.Budget(2.5, 150.0)
    assert bench.budget("large", "report coverage") == bench.Budget(3.0, 150.0)
    assert bench.budget("large", "brief") == bench.Budget(3.0, 150.0)
    assert bench.budget("large", "first plan week") == bench.Budget(seconds=4.0)
    assert bench.budget("xlarge", "plan week") == bench.Budget(of_large=1.25)
    assert bench.budget("xlarge", "contact show") == bench.Budget()  # memory only
    assert bench.Budget(3.0, 150.0).text() == "<= 3x, < 150 MiB"
    assert bench.Budget(of_large=1.25).text() == "<= 1.25x large, < 150 MiB"


def test_a_budget_relative_to_large_is_judged_on_the_same_command_at_large() -> None:
    r = bench.Result("xlarge", "plan week", [], [0.26] * 3, [0.1] * 3, [90.0], [20.0])
    assert r.within is False  # no large figure to compare with
    r.large_median = 0.2
    assert r.of_large == pytest.approx(1.3) and r.within is False
    r.large_median = 0.22
    assert r.within is True
    r.peak_mib = [151.0]
    assert r.within is False


def test_restore_puts_back_content_and_times_and_drops_new_files(tmp_path: Path) -> None:
    home, baseline = tmp_path / "home", tmp_path / "baseline"
    (baseline / "log").mkdir(parents=True)
    (baseline / "log" / "2026-11.toml").write_text("old\n", encoding="utf-8")
    (baseline / "contacts.toml").write_text("people\n", encoding="utf-8")
    os.utime(baseline / "log" / "2026-11.toml", ns=(1_000_000_000, 1_000_000_000))
    stamps = bench._stamps(baseline)
    (home / "log").mkdir(parents=True)
    (home / "log" / "2026-11.toml").write_text("old\nand a new entry\n", encoding="utf-8")
    (home / ".lock").write_text("", encoding="utf-8")

    bench.restore(home, baseline, stamps)

    assert (home / "log" / "2026-11.toml").read_text(encoding="utf-8") == "old\n"
    assert (home / "log" / "2026-11.toml").stat().st_mtime_ns == 1_000_000_000
    assert (home / "contacts.toml").read_text(encoding="utf-8") == "people\n"
    assert not (home / ".lock").exists()
    assert bench._stamps(home) == stamps


def test_a_small_benchmark_run_reports_every_command_with_a_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    md, js = tmp_path / "t.md", tmp_path / "t.json"
    code = bench.main(
        [
            "--sizes",
            "small",
            "--repeat",
            "1",
            "--markdown",
            str(md),
            "--json",
            str(js),
            "--cache",
            str(tmp_path / "cache"),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "size", "command", "median", "floor", "ratio", "no-exit", "ratio", "of", "large", "peak",
        "memory", "budget", "verdict",
    ]  # fmt: skip

    text = md.read_text(encoding="utf-8")
    header = (
        "| size | command | median | floor | ratio | no-exit ratio | of large | peak memory "
        "| budget |"
    )
    assert header in text and "Python's exit (tearing the interpreter down) takes" in text
    assert "Measured with `python benchmarks/bench.py --sizes small --repeat 1`" in text
    assert "- small: 60 contacts, 700 interactions over 1 year, 40 promises, 8 activities" in text
    rows = [line for line in text.splitlines() if line.startswith("| small |")]
    commands = [row.split(" | ")[1] for row in rows]
    expected = [
        "`plan week`", "`overdue`", "`digest`", "`contact show`", "`brief`", "`report coverage`",
        "`log`", "`--help`",
    ]  # fmt: skip
    if "Not measured: `digest` (this hrtrust has no digest command)" in text:
        expected.remove("`digest`")
    assert commands == expected
    for row in rows:
        cells = row.strip("|").split(" | ")
        assert re.fullmatch(r"\d+ ms", cells[2].strip()) and re.fullmatch(r"\d+ ms", cells[3])
        assert re.fullmatch(r"\d+\.\d\dx", cells[4]) and re.fullmatch(r"\d+\.\d\dx", cells[5])
        assert float(cells[5][:-1]) >= float(cells[4][:-1])  # the floor less its exit
        assert re.fullmatch(r"\d+ MiB", cells[7])
    log_row = rows[commands.index("`log`")]
    assert "<= 1.3x" in log_row

    data = json.loads(js.read_text(encoding="utf-8"))
    assert [r["command"] for r in data["results"]] == [c[1:-1] for c in commands]
    log = data["results"][commands.index("`log`")]
    assert log["argv"][:4] == ["hrtrust", "--today", "2026-11-23", "log"]
    assert len(log["seconds"]) == len(log["floor_seconds"]) == 1
    assert data["sizes"]["small"]["contacts"] == 60
    assert data["teardown_seconds"] >= 0
    # the cached home was left as generated: logging did not grow its history
    (cached,) = (tmp_path / "cache").iterdir()
    assert (cached / "log" / "2026-11.toml").read_text(encoding="utf-8") == generate.files(
        "small", 1
    )["log/2026-11.toml"]


class RecordingSpawner(bench.Spawner):
    """Runs nothing: records each run asked of it (which home, floor or which command) and
    answers with the run's own position as its time, so a measurement says when it was taken."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []  # (size of the home, "floor" or the command)

    def run(self, argv: Sequence[str], env: dict[str, str], scratch: Path) -> bench.Run:
        home = Path(env["HRTRUST_HOME"])
        size = home.parent.name.removeprefix("hrtrust-bench-").split("-")[0]
        floor = list(argv) == bench.floor_argv()
        self.calls.append((size, "floor" if floor else " ".join(argv[1:])))
        return bench.Run(len(self.calls) / 1000, 30.0, 0, "")

    def close(self) -> None:
        pass

    @staticmethod
    def position(seconds: float) -> int:
        """Where in ``calls`` the run that took ``seconds`` is."""
        return round(seconds * 1000) - 1


def test_the_pair_alternates_large_and_xlarge_runs_and_of_large_divides_their_medians(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "cached_home", lambda size, seed, cache: small)
    spawner = RecordingSpawner()
    put_back = bench.restore

    def restore(home: Path, baseline: Path, stamps: dict[str, tuple[int, int]]) -> None:
        spawner.calls.append(("", "restore"))
        put_back(home, baseline, stamps)

    monkeypatch.setattr(bench, "restore", restore)
    paired = [c for c in bench.COMMANDS if c.name in bench.FOLLOWS_OUTPUT]
    exe = Path("/opt/bin/hrtrust")
    results = bench.bench_pair(spawner, bench.PAIR, 1, 3, tmp_path, paired, exe, {})

    assert [(r.size, r.command) for r in results] == [
        (size, c.name) for c in paired for size in ("large", "xlarge")
    ]
    calls = spawner.calls
    first_timed = spawner.position(min(t for r in results for t in r.floor_seconds))
    # both homes were set up and warmed before the loop began
    warmed = {size for size, what in calls[:first_timed] if "zz-nobody" in what}
    assert warmed == {"large", "xlarge"}
    for large, xlarge in zip(results[::2], results[1::2], strict=True):
        assert len(large.seconds) == len(xlarge.seconds) == 3
        # the positions of the loop's runs: floor, large, floor, xlarge, floor, large, ...
        loop = [
            spawner.position(t)
            for runs in zip(
                large.floor_seconds, large.seconds, xlarge.floor_seconds, xlarge.seconds,
                strict=True,
            )
            for t in runs
        ]  # fmt: skip
        assert loop == list(range(loop[0], loop[0] + 12))  # one run after another, nothing between
        args = " ".join(large.argv[1:])
        assert [calls[n] for n in loop] == [
            ("large", "floor"), ("large", args), ("xlarge", "floor"), ("xlarge", args)
        ] * 3  # fmt: skip
        assert xlarge.large_median == statistics.median(large.seconds)
        assert xlarge.of_large == pytest.approx(
            statistics.median(xlarge.seconds) / statistics.median(large.seconds)
        )
        assert large.of_large is None
        assert xlarge.ratio == pytest.approx(
            xlarge.median / statistics.median(xlarge.floor_seconds)
        )
    # `log` ran one after another on each home (its first run untimed), put back only after
    log = " ".join(results[-1].argv[1:])
    log_calls = [n for n, (_, what) in enumerate(calls) if what == log]
    assert [calls[n][0] for n in log_calls] == ["large", "xlarge"] + ["large", "xlarge"] * 3
    assert all(what != "restore" for _, what in calls[log_calls[0] : log_calls[-1]])
    assert [what for _, what in calls[log_calls[-1] :]].count("restore") == 2


def test_a_run_at_large_and_xlarge_reports_the_paired_commands_from_their_loop(
    small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the small home stands in for both sizes: this checks the wiring, not the sizes
    monkeypatch.setattr(bench, "cached_home", lambda size, seed, cache: small)
    md, js = tmp_path / "t.md", tmp_path / "t.json"
    argv = ["--sizes", "large,xlarge", "--repeat", "2", "--markdown", str(md), "--json", str(js)]
    assert bench.main([*argv, "--cache", str(tmp_path / "cache")]) == 0
    out, err = capsys.readouterr()
    data = json.loads(js.read_text(encoding="utf-8"))
    results = data["results"]
    names = [c.name for c in bench.COMMANDS if c.name in bench.FOLLOWS_OUTPUT]
    if "digest" not in {r["command"] for r in results}:
        names.remove("digest")
    assert data["paired"] == {"sizes": ["large", "xlarge"], "commands": names}
    # the paired commands' rows at both sizes were measured last, together, in pairs
    noted = [line.split()[:2] for line in err.splitlines() if line.startswith(("large", "xlarge"))]
    tail = [[size, *name.split()][:2] for name in names for size in ("large", "xlarge")]
    assert noted[-len(tail) :] == tail
    assert not any(n in tail for n in noted[: -len(tail)])
    # every size's rows in the usual order, the loop's among the others
    for size in ("large", "xlarge"):
        got = [r["command"] for r in results if r["size"] == size]
        want = [c.name for c in bench.COMMANDS if size in bench.ONLY_AT.get(c.name, (size,))]
        assert got == [c for c in want if c != "digest" or "digest" in names]
    assert [r["size"] for r in results] == sorted(
        (r["size"] for r in results), key=bench.ORDER.index
    )
    large = {r["command"]: r for r in results if r["size"] == "large"}
    for r in results:
        assert len(r["seconds"]) == len(r["floor_seconds"]) == 2
        if r["size"] == "xlarge":
            assert r["of_large"] == pytest.approx(
                statistics.median(r["seconds"]) / statistics.median(large[r["command"]]["seconds"])
            )
            assert r["ratio"] == pytest.approx(r["median_s"] / r["floor_median_s"])
    plan = next(line for line in out.splitlines() if re.match(r"xlarge +plan week ", line))
    assert re.search(r"\d+\.\d\dx +\d+\.\d\dx +\d+\.\d\dx +\d+ MiB", plan)  # of large printed
    assert "<= 1.25x large" in plan
    text = md.read_text(encoding="utf-8")
    assert "were timed at large and xlarge alternately in one loop" in text
    assert "| xlarge | `log` |" in text and "| large | `first plan week` |" in text
