"""Crash safety: SIGKILL a writing hrtrust at every step and at random moments.

After every kill, each data file must parse and hold exactly its old or its new bytes. Then the
next run (a transaction, which finishes a killed commit and removes temp files under the lock)
must leave the whole home exactly as before the command or exactly as after it: no temp file,
no journal, never one file new and another old.

Two ways to kill:

* at a *step*: a forked copy of this process runs the command and SIGKILLs itself just before
  its N-th file-system call (open, write, fsync, link, rename, unlink, mkdir, chmod), for every
  N, the way SQLite's crash tests walk every write;
* at a *random moment*: the installed ``hrtrust`` console script, started as a user would, is
  SIGKILLed after a random delay.

``HRTRUST_RELIABILITY=full`` (set by ``scripts/reliability.py --full``) walks every step of
every scenario and kills hundreds of times; the default is a quick version for CI.
``HRTRUST_CRASH_KILLS`` overrides the number of random kills.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import TODAY, record
from hrtrust.cli.app import app
from hrtrust.errors import DataFileError
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    LogFile,
    PromisesFile,
)
from hrtrust.storage.paths import JOURNAL, TEMP_MARK
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import parse_document

FULL = os.environ.get("HRTRUST_RELIABILITY") == "full"
KILLS = int(os.environ.get("HRTRUST_CRASH_KILLS", "400" if FULL else "16"))
RANDOM_FORK_KILLS = 800 if FULL else 0
HRTRUST = str(Path(sys.executable).parent / "hrtrust")
STEP_CALLS = ("open", "write", "fsync", "link", "replace", "rename", "unlink", "mkdir", "chmod")
WRITE_CALLS = {"fsync", "link", "replace", "rename", "unlink"}

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

CLASSES: dict[str, type[Document]] = {
    "config.toml": Config,
    "contacts.toml": ContactsFile,
    "activities.toml": ActivitiesFile,
    "promises.toml": PromisesFile,
    "feedback.toml": FeedbackFile,
}

COMMENTED = """\
# My contacts. Keep Maria first.
schema_version = 1
next_id = 3

[[contact]]
id = "c1"
name = "Maria Chen"  # plant manager
dept = "Manufacturing"
favourite_tea = "oolong"

[[contact]]
id = "c2"
name = "Mark Lee"
"""

# name: (command, the base home: plain; True: commented contacts; "retention": 1m retention)
SCENARIOS: dict[str, tuple[list[str], bool | str]] = {
    "log": (
        [
            "log",
            "coffee-chat",
            "--with",
            "maria",
            "--promise",
            "send the promotion criteria",
            "--due",
            "fri",
            "--learned",
            "training for a marathon",
        ],
        False,
    ),
    "contact-edit": (["contact", "edit", "maria", "--role", "Plant director"], False),
    "edit-with-comments": (["contact", "edit", "maria", "--role", "Plant director"], True),
    "forget": (["forget", "maria", "--yes"], False),
    # the multi-file commands of issue 25: every rename killed, then the next run
    "purge": (["purge", "--yes"], "retention"),
    "import-contacts": (["import", "contacts", "{inputs}/roster.csv"], False),
    "import-calendar": (["import", "calendar", "{inputs}/meetings.ics"], False),
}
MEETINGS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//crash//EN
BEGIN:VEVENT
UID:one@test
DTSTART:20261020T020000Z
DTEND:20261020T030000Z
SUMMARY:1:1 with Maria
ATTENDEE:mailto:maria.chen@jadeway.example
END:VEVENT
BEGIN:VEVENT
UID:two@test
DTSTART:20261118T060000Z
DTEND:20261118T070000Z
SUMMARY:Platform sync
ATTENDEE:mailto:David.Okafor@jadeway.example
ATTENDEE:mailto:maria.chen@jadeway.example
END:VEVENT
END:VCALENDAR
"""
QUICK_STEP_SCENARIOS = ("log", "edit-with-comments", "purge", "import-calendar")


# -- the state of a home ------------------------------------------------------------------------


def data_files(home: Path) -> dict[str, bytes]:
    """Every data file (and .bak) with its bytes: not the lock, cache, journal or temp files."""
    out = {}
    for p in sorted(home.rglob("*")):
        rel = str(p.relative_to(home))
        if p.is_dir() or TEMP_MARK in p.name or p.name in (".lock", JOURNAL):
            continue
        if ".cache" in p.parts:
            continue
        out[rel] = p.read_bytes()
    return out


def leftovers(home: Path) -> list[str]:
    return sorted(
        str(p.relative_to(home))
        for p in home.rglob("*")
        if TEMP_MARK in p.name or p.name == JOURNAL
    )


def torn_files(home: Path, before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """Files that do not parse, or hold neither their old nor their new bytes."""
    bad = []
    now = data_files(home)
    for rel in sorted(set(now) | set(before) | set(after)):
        if now.get(rel) not in (before.get(rel), after.get(rel)):
            bad.append(f"{rel}: neither before nor after")
            continue
        if rel not in now or rel.endswith(".bak"):
            continue
        cls = LogFile if rel.startswith("log/") else CLASSES.get(rel)
        if cls is not None:
            try:
                parse_document(cls, now[rel].decode("utf-8"), rel)
            except (DataFileError, UnicodeDecodeError) as exc:
                bad.append(f"{rel}: {exc}")
    return bad


def next_run(home: Path) -> None:
    """What the next hrtrust write does first: recover under the lock, remove temp files."""
    with Store(home).transaction():
        pass


# -- homes --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A demo home, and one whose contacts file was edited by hand (comments)."""
    from typer.testing import CliRunner

    root = tmp_path_factory.mktemp("bases")
    demo = root / "demo"
    result = CliRunner().invoke(
        app, ["--home", str(demo), "--today", TODAY.isoformat(), "init", "--demo"]
    )
    assert result.exit_code == 0, result.output
    commented = root / "commented"
    shutil.copytree(demo, commented)
    (commented / "contacts.toml").write_text(COMMENTED, encoding="utf-8")
    retention = root / "retention"
    shutil.copytree(demo, retention)
    result = CliRunner().invoke(
        app,
        [
            "--home",
            str(retention),
            "--today",
            TODAY.isoformat(),
            "config",
            "set",
            "retention",
            "1m",
        ],
    )
    assert result.exit_code == 0, result.output
    INPUTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(__file__).parents[1] / "examples" / "contacts.csv", INPUTS / "roster.csv")
    (INPUTS / "meetings.ics").write_text(MEETINGS, encoding="utf-8")
    return {"plain": demo, "commented": commented, "retention": retention}


INPUTS = Path(os.environ.get("TMPDIR", "/tmp")) / f"hrtrust-crash-inputs-{os.getpid()}"


def fresh(bases: dict[str, Path], scenario: str, dest: Path) -> Path:
    _, base = SCENARIOS[scenario]
    if dest.exists():
        shutil.rmtree(dest)
    name = base if isinstance(base, str) else "commented" if base else "plain"
    shutil.copytree(bases[name], dest)
    return dest


def argv(scenario: str, home: Path) -> list[str]:
    command = [part.replace("{inputs}", str(INPUTS)) for part in SCENARIOS[scenario][0]]
    return ["--home", str(home), "--today", TODAY.isoformat(), *command]


# -- killing a forked copy at its N-th file-system call ------------------------------------------


class Killed(Exception):
    pass


def instrument(on_call: Callable[[str], None]) -> Callable[[], None]:
    """Wrap os.<call> for every step call; returns a function that puts them back.

    ``on_call`` gets the call's name, and for a rename the name of the file it replaces
    (``replace:.journal``)."""
    saved = {name: getattr(os, name) for name in STEP_CALLS}

    def wrap(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            label = name
            if name in ("replace", "rename") and len(args) > 1:
                label = f"{name}:{os.path.basename(os.fspath(args[1]))}"
            on_call(label)
            return real(*args, **kwargs)

        return step

    for name, real in saved.items():
        setattr(os, name, wrap(name, real))

    def undo() -> None:
        for name, real in saved.items():
            setattr(os, name, real)

    return undo


def count_steps(bases: dict[str, Path], scenario: str, tmp: Path) -> list[str]:
    """Run the command once, uninterrupted, in a fork: the calls it makes, in order."""
    home = fresh(bases, scenario, tmp / "count")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(read_end)
        calls: list[str] = []
        _child(home, scenario, lambda name: calls.append(name))
        os.write(write_end, json.dumps(calls).encode())
        os._exit(0)
    os.close(write_end)
    data = b""
    while chunk := os.read(read_end, 65536):
        data += chunk
    os.close(read_end)
    os.waitpid(pid, 0)
    return list(json.loads(data))


def _child(home: Path, scenario: str, on_call: Callable[[str], None]) -> None:  # pragma: no cover
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    from hrtrust import locale

    locale.reset()  # every child chooses its language as a run does: the same calls each time
    undo = instrument(on_call)
    try:
        app(argv(scenario, home), prog_name="hrtrust", standalone_mode=False)
    except BaseException:  # noqa: S110 - the exit code does not matter here, the files do
        pass
    undo()


def kill_at_step(home: Path, scenario: str, n: int) -> None:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        seen = 0

        def on_call(name: str) -> None:
            nonlocal seen
            seen += 1
            if seen == n:
                os.kill(os.getpid(), signal.SIGKILL)

        _child(home, scenario, on_call)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL


def kill_after(home: Path, scenario: str, delay: float) -> bool:
    """Fork, run, SIGKILL after ``delay`` seconds; True when the kill landed before exit."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        _child(home, scenario, lambda name: None)
        os._exit(0)
    deadline = time.perf_counter() + delay
    while time.perf_counter() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False  # finished before the kill
        time.sleep(0.0005)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def run_to_the_end(home: Path, scenario: str) -> float:
    """Fork and run uninterrupted; how long it took."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        _child(home, scenario, lambda name: None)
        os._exit(0)
    os.waitpid(pid, 0)
    return time.perf_counter() - start


@pytest.fixture(scope="module")
def afters(bases: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """For each scenario: the files before, after an uninterrupted run, and its calls."""
    tmp = tmp_path_factory.mktemp("afters")
    out: dict[str, Any] = {}
    for scenario in SCENARIOS:
        home = fresh(bases, scenario, tmp / scenario)
        before = data_files(home)
        calls = count_steps(bases, scenario, tmp)
        kill_free = fresh(bases, scenario, tmp / f"{scenario}-run")
        run_to_the_end(kill_free, scenario)
        after = data_files(kill_free)
        assert after != before, scenario
        assert leftovers(kill_free) == []
        out[scenario] = {"before": before, "after": after, "calls": calls}
    return out


def check_after_kill(
    home: Path, known: dict[str, Any], outcomes: Counter[str], *, killed: bool = True
) -> None:
    before, after = known["before"], known["after"]
    if not killed:  # the command finished before the signal was sent
        assert data_files(home) == after and leftovers(home) == []
        outcomes["finished first (not a kill)"] += 1
        return
    torn = torn_files(home, before, after)
    assert torn == [], torn
    now = data_files(home)
    if leftovers(home) or now not in (before, after):
        outcomes["mid-write"] += 1
    else:
        outcomes["before" if now == before else "after"] += 1
    next_run(home)
    assert leftovers(home) == []
    assert data_files(home) in (before, after), "a command's files are all old or all new"


def test_steps_are_counted_and_the_write_phase_is_instrumented(afters: dict[str, Any]) -> None:
    calls = afters["log"]["calls"]
    # three files written behind a journal: temp file per file, then the journal, then renames
    renamed = [name.partition(":")[2] for name in calls if name.startswith("replace:")]
    journal = renamed.index(JOURNAL)
    assert sorted(renamed[journal + 1 : journal + 4]) == [
        "2026-11.toml",
        *sorted(["contacts.toml", "promises.toml"]),
    ]
    assert Counter(calls)["fsync"] >= 6
    assert "link" in calls  # hard links to the old bytes, for a roll-back
    assert afters["edit-with-comments"]["after"]["contacts.toml.bak"] == COMMENTED.encode()
    assert "contacts.toml.bak" not in afters["contact-edit"]["after"]


def test_kill_at_every_write_step(
    bases: dict[str, Path], afters: dict[str, Any], tmp_path: Path
) -> None:
    outcomes: Counter[str] = Counter()
    kills = 0
    for scenario in SCENARIOS if FULL else QUICK_STEP_SCENARIOS:
        calls = afters[scenario]["calls"]
        steps = [
            n
            for n, name in enumerate(calls, 1)
            if FULL or name.partition(":")[0] in WRITE_CALLS or n in (1, len(calls))
        ]
        for n in steps:
            home = fresh(bases, scenario, tmp_path / "home")
            kill_at_step(home, scenario, n)
            kills += 1
            check_after_kill(home, afters[scenario], outcomes)
    assert outcomes["mid-write"] > 0 and outcomes["before"] > 0  # the kills did land
    record("crash-steps", kills=kills, runs=kills, outcomes=dict(outcomes))


def test_kill_at_random_moments_in_a_fork(
    bases: dict[str, Path], afters: dict[str, Any], tmp_path: Path
) -> None:
    if not RANDOM_FORK_KILLS:
        pytest.skip("the full battery only (scripts/reliability.py --full)")
    rng = random.Random(1)
    outcomes: Counter[str] = Counter()
    spans = {}
    for scenario in SCENARIOS:
        home = fresh(bases, scenario, tmp_path / "home")
        spans[scenario] = run_to_the_end(home, scenario)
    kills = 0
    for i in range(RANDOM_FORK_KILLS):
        scenario = list(SCENARIOS)[i % len(SCENARIOS)]
        home = fresh(bases, scenario, tmp_path / "home")
        killed = kill_after(home, scenario, rng.uniform(0, spans[scenario]))
        kills += killed
        check_after_kill(home, afters[scenario], outcomes, killed=killed)
    record("crash-random-fork", kills=kills, runs=RANDOM_FORK_KILLS, outcomes=dict(outcomes))


# -- killing the installed console script --------------------------------------------------------


def run_script(home: Path, scenario: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [HRTRUST, *argv(scenario, home)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HRTRUST_HOME": str(home)},
    )


@pytest.fixture
def script_homes(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def test_sigkill_the_console_script_at_random_moments(
    bases: dict[str, Path], afters: dict[str, Any], script_homes: Path
) -> None:
    assert Path(HRTRUST).is_file(), "the package must be installed (pip install -e .)"
    rng = random.Random(2)
    scenarios = ["log", "contact-edit"] if not FULL else list(SCENARIOS)
    spans = {}
    for scenario in scenarios:  # how long an uninterrupted run takes here, to aim the kills
        home = fresh(bases, scenario, script_homes / "probe")
        start = time.perf_counter()
        assert run_script(home, scenario).wait(timeout=30) == 0
        spans[scenario] = time.perf_counter() - start
        assert data_files(home) == afters[scenario]["after"]
    outcomes: Counter[str] = Counter()
    killed = 0
    for i in range(KILLS):
        scenario = scenarios[i % len(scenarios)]
        home = fresh(bases, scenario, script_homes / "home")
        proc = run_script(home, scenario)
        # From half-way (imports done) to the end: where the reading and writing is.
        time.sleep(rng.uniform(0.5, 1.0) * spans[scenario])
        proc.send_signal(signal.SIGKILL)
        was_killed = proc.wait(timeout=30) == -signal.SIGKILL  # not if it had already exited
        killed += was_killed
        check_after_kill(home, afters[scenario], outcomes, killed=was_killed)
    assert sum(outcomes.values()) == KILLS
    assert killed > 0  # most runs were killed before they finished (the figure says how many)
    record("crash-script", kills=killed, runs=KILLS, outcomes=dict(outcomes))


def test_a_leftover_journal_is_rolled_forward_by_a_reader(
    bases: dict[str, Path], afters: dict[str, Any], tmp_path: Path
) -> None:
    """Killed between two renames: the next command, even a read, finishes the commit."""
    calls = afters["log"]["calls"]
    # the kill just before the second rename after the journal's own: one file is new
    journal = calls.index(f"replace:{JOURNAL}")
    renames = [n for n, name in enumerate(calls, 1) if name.startswith("replace:")]
    second = [n for n in renames if n > journal + 1][1]
    home = fresh(bases, "log", tmp_path / "home")
    kill_at_step(home, "log", second)
    assert (home / JOURNAL).exists()
    now = data_files(home)
    assert now != afters["log"]["before"] and now != afters["log"]["after"]  # half committed
    from typer.testing import CliRunner

    result = CliRunner().invoke(
        app, ["--home", str(home), "--today", TODAY.isoformat(), "promise", "list", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert "send the promotion criteria" in result.stdout
    assert not (home / JOURNAL).exists()
    assert data_files(home) == afters["log"]["after"]
