"""Time whole `hrtrust` runs at three data sizes against the cost of starting Python.

Usage (from the repository, with hrtrust installed in the active environment)::

    python benchmarks/bench.py [--sizes small,realistic,large,xlarge] [--repeat 15]
                               [--markdown FILE] [--json FILE] [--check]

hrtrust's bytecode is written first (as a wheel install does). For each size a data home is
generated once (``generate.py``, cached under the temp folder by
size, seed and generator version) and copied to a scratch folder. Each command is run once
untimed, as a user's second run would find the derived cache in ``.cache/`` already built; then
the floor (``python -c "import typer, rich, ..."``: starting Python and importing the
libraries, the least any command can cost) and the command are run alternately, ``--repeat``
times each, so machine noise hits both alike. A run is a whole process: wall clock from spawn
to exit (``time.perf_counter``) and its peak resident memory (``os.wait4``). ``log`` adds one
entry per run, each to the month the previous run wrote (as a user logs, one after another);
the CSV import's home is put back to its state before each run (untimed).

The report gives medians, the ratio median(command) / median(floor) of the same run, the peak
memory, and the budget each is held to (issue 27): a ratio to the floor, a wall time (the first
command after ``.cache/`` is deleted: ``first plan week``, the cache deleted before each run,
untimed), or at ``xlarge`` (twice large) a ratio to the same command at large ("of large": cost
follows the output, not the history); peak memory under 150 MiB everywhere. The commands held to
"of large" (``plan week``, ``overdue``, ``digest``, ``log``) are timed at large and xlarge
alternately in one loop, when both sizes are measured: both homes are set up and warmed as
above, then the floor and the command on the large home, the floor and the command on the xlarge
home, and again, as many times as at those sizes (``log`` adds its entries one after another on
each home). Their large and xlarge rows are that loop's runs, each against its own floor, and
"of large" is median(xlarge) / median(large) of that loop, so the machine's drift between one
size's turn and the next does not enter it. The other commands' "of large" divides the medians
of each size's own turn. The imports are measured on the realistic home: 5,000 CSV rows, 50,000
CSV rows (memory) and a 5,000-event calendar export (``write_ics``), each home put back between
runs.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402  (the sibling script, not a package)

FLOOR_CODE = "import typer, rich, pydantic, tomli, tomli_w, dateutil.rrule"
# The same imports, ending without Python's exit (tearing the interpreter down): the
# `hrtrust` script ends that way (cli.app.run), so the difference is reported beside the floor.
BARE_FLOOR_CODE = FLOOR_CODE + "; import os; os._exit(0)"
TODAY = generate.TODAY.isoformat()
DEFAULT_REPEAT = 15
DEFAULT_REPEAT_LARGE = 5
COLD_REPEAT = 3  # the first run after .cache/ is deleted: seconds each, at large
ORDER = ("small", "realistic", "large", "xlarge")


@dataclass(frozen=True)
class Command:
    """One command measured: its name in the report and how to build its arguments."""

    name: str
    mutates: bool = False

    def args(self, refs: dict[str, str]) -> list[str]:
        today = ["--today", TODAY]
        if self.name == "plan week":
            return [*today, "plan", "week"]
        if self.name == "overdue":
            return [*today, "overdue"]
        if self.name == "digest":
            return [*today, "digest"]
        if self.name == "contact show":
            return [*today, "contact", "show", refs["show"]]
        if self.name == "log":
            return [*today, "log", "coffee-chat", "--with", refs["log"], "--note", "x", "--again"]
        if self.name == "--help":
            return ["--help"]
        if self.name == "report coverage":
            return [*today, "report", "coverage"]
        if self.name == "brief":
            return [*today, "brief", refs["show"]]
        if self.name == "first plan week":
            return [*today, "plan", "week"]
        if self.name == "import 5k csv":
            return [*today, "import", "contacts", refs["csv"]]
        if self.name == "import 50k csv":
            return [*today, "import", "contacts", refs["csv50k"]]
        if self.name == "import 5k events":
            return [*today, "import", "calendar", refs["ics"]]
        raise ValueError(self.name)

    @property
    def cold(self) -> bool:
        """Run with the derived cache deleted first (untimed): the first command after an
        upgrade, a restore or a deleted ``.cache/``."""
        return self.name == "first plan week"


COMMANDS = (
    Command("plan week"),
    Command("overdue"),
    Command("digest"),
    Command("contact show"),
    Command("brief"),
    Command("report coverage"),
    Command("log", mutates=True),
    Command("--help"),
    Command("first plan week", mutates=True),
    Command("import 5k csv", mutates=True),
    Command("import 50k csv", mutates=True),
    Command("import 5k events", mutates=True),
)
CSV_ROWS = 5000
BIG_CSV_ROWS = 50_000
ICS_EVENTS = 5000
# Where each command is measured: the imports on the realistic home (a partner's first week
# with a new HRIS export or calendar), the first run after the cache is lost at large.
ONLY_AT = {
    "import 5k csv": ("realistic",),
    "import 50k csv": ("realistic",),
    "import 5k events": ("realistic",),
    "first plan week": ("large",),
}
# Commands whose cost must follow the output, not the history: at xlarge (twice large) each
# may cost at most this much more than at large, the two sizes timed alternately in one loop
# (bench_pair) when both are measured.
XLARGE_OF_LARGE = 1.25
FOLLOWS_OUTPUT = ("plan week", "overdue", "digest", "log")
PAIR = ("large", "xlarge")  # (the size "of large" divides by, the size held to it)
MIB = 150.0  # peak memory, everywhere


@dataclass(frozen=True)
class Budget:
    """The most a command may cost: a ratio to the floor (or, ``seconds``, a wall time; or,
    ``of_large``, a ratio to the same command at the large size) and a peak memory."""

    ratio: float | None = None
    mib: float | None = MIB
    seconds: float | None = None
    of_large: float | None = None

    def text(self) -> str:
        parts = []
        if self.ratio is not None:
            parts.append(f"<= {self.ratio:g}x")
        if self.seconds is not None:
            parts.append(f"<= {self.seconds:g} s")
        if self.of_large is not None:
            parts.append(f"<= {self.of_large:g}x large")
        if self.mib is not None:
            parts.append(f"< {self.mib:g} MiB")
        return ", ".join(parts)


def budget(size: str, command: str) -> Budget | None:
    """The budget of issue 27 for a command at a size (None: no budget there)."""
    if command == "import 5k csv":
        return Budget(8.0)
    if command == "import 5k events":
        return Budget(10.0)
    if command == "import 50k csv":
        return Budget()
    if command == "first plan week":
        return Budget(seconds=4.0)
    if size == "realistic":
        return Budget(1.1 if command == "--help" else 1.3)
    if size == "large":
        ratio = {
            "log": 1.3,
            "plan week": 2.0,
            "overdue": 2.0,
            "digest": 2.5,
            "report coverage": 3.0,
            "brief": 3.0,
        }.get(command)
        return Budget(ratio)
    if size == "xlarge":
        return Budget(of_large=XLARGE_OF_LARGE if command in FOLLOWS_OUTPUT else None)
    return Budget(1.3 if command == "log" else None)  # small


@dataclass
class Result:
    """The measurements of one command at one size."""

    size: str
    command: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    floor_seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    floor_peak_mib: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def floor_median(self) -> float:
        return statistics.median(self.floor_seconds)

    @property
    def ratio(self) -> float:
        return self.median / self.floor_median

    @property
    def peak(self) -> float:
        return max(self.peak_mib)

    @property
    def budget(self) -> Budget | None:
        return budget(self.size, self.command)

    # the same command's median at the large size, for a budget relative to it (from the
    # loop that timed both sizes alternately, for the commands held to that budget)
    large_median: float | None = None

    @property
    def of_large(self) -> float | None:
        return self.median / self.large_median if self.large_median else None

    @property
    def within(self) -> bool | None:
        b = self.budget
        if b is None:
            return None
        checks = [b.mib is None or self.peak < b.mib]
        if b.ratio is not None:
            checks.append(self.ratio <= b.ratio)
        if b.seconds is not None:
            checks.append(self.median <= b.seconds)
        if b.of_large is not None:
            checks.append(self.of_large is not None and self.of_large <= b.of_large)
        return all(checks)

    def as_json(self) -> dict[str, Any]:
        b = self.budget
        return {
            "size": self.size,
            "command": self.command,
            "argv": self.argv,
            "median_s": self.median,
            "floor_median_s": self.floor_median,
            "ratio": self.ratio,
            "peak_mib": self.peak,
            "floor_peak_mib": max(self.floor_peak_mib),
            "budget": dataclasses.asdict(b) if b else None,
            "of_large": self.of_large,
            "within_budget": self.within,
            "seconds": self.seconds,
            "floor_seconds": self.floor_seconds,
        }


class BenchError(Exception):
    """A command failed or the environment is not usable; the message says which."""


# --------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    code: int
    stderr: str


# On Linux a child's peak RSS (ru_maxrss) starts at the RSS of the process it was forked or
# spawned from, so children of this script (which has generated data and imported pydantic)
# would all report at least this script's size. Runs are therefore spawned by a tiny helper
# process (``python -S``, a few MiB) that times them and reports wall clock and peak RSS.
_SPAWNER = r"""
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
    ]
    started = time.perf_counter()
    pid = os.posix_spawn(req["argv"][0], req["argv"], req["env"], file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    sys.stdout.write(json.dumps([seconds, usage.ru_maxrss, code]) + "\n")
    sys.stdout.flush()
"""


class Spawner:
    """A small long-lived process that runs commands one at a time and measures each."""

    def __init__(self, code: str = _SPAWNER) -> None:
        """``code``: the spawner's program (a line of JSON in, one out, per run)."""
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def run(self, argv: Sequence[str], env: dict[str, str], scratch: Path) -> Run:
        """Run one process (stdout to /dev/null, stderr kept): wall time, peak RSS, status."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        err = scratch / "stderr.txt"
        request = {"argv": list(argv), "env": env, "stderr": str(err)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise BenchError("the process spawner stopped unexpectedly")
        seconds, maxrss, code = json.loads(line)
        # ru_maxrss is KiB on Linux, bytes on macOS
        rss = maxrss / (2**20 if sys.platform == "darwin" else 2**10)
        return Run(seconds, rss, code, err.read_text(encoding="utf-8", errors="replace"))

    def checked(self, argv: Sequence[str], env: dict[str, str], scratch: Path) -> Run:
        """Run, and fail with the command's own error when it does not exit 0."""
        result = self.run(argv, env, scratch)
        if result.code != 0:
            shown = " ".join(argv[1:])
            raise BenchError(f"`{shown}` exited {result.code}:\n{result.stderr.strip()}")
        return result

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


# --------------------------------------------------------------------------- data homes


def generator_version() -> str:
    """A short hash of the generator's source: a changed generator means new homes."""
    return hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:12]


def cached_home(size: str, seed: int, cache: Path) -> Path:
    """The generated home for (size, seed), generating it once."""
    home = cache / f"{size}-seed{seed}-{generator_version()}"
    if (home / "config.toml").is_file():
        return home
    cache.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{size}-", dir=cache))
    started = time.perf_counter()
    note(f"generating the {size} data home (seed {seed}) ...")
    # in a child process, so this one stays small and the memory is given back at once
    subprocess.run(
        [sys.executable, generate.__file__, size, str(partial / "home"), "--seed", str(seed)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    os.replace(partial / "home", home)  # whole homes only: an interrupted run leaves no home
    partial.rmdir()
    note(f"  done in {time.perf_counter() - started:.1f}s: {home}")
    return home


def _stamps(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            st = os.stat(os.path.join(folder, name))
            rel = os.path.relpath(os.path.join(folder, name), root)
            out[rel] = (st.st_size, st.st_mtime_ns)
    return out


def restore(home: Path, baseline: Path, stamps: dict[str, tuple[int, int]]) -> None:
    """Put ``home`` back to ``baseline``: changed files copied back with their times, new ones
    removed, so the derived index (keyed by size and mtime) still matches.
    """
    now = _stamps(home)
    for rel, stamp in now.items():
        if rel not in stamps:
            (home / rel).unlink()
        elif stamp != stamps[rel]:
            shutil.copy2(baseline / rel, home / rel)
    for rel in stamps.keys() - now.keys():
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(baseline / rel, home / rel)


def write_csv(path: Path, rows: int) -> Path:
    """An HRIS export of ``rows`` new people (name, e-mail, department, title, hire date)."""
    lines = ["Name,Email,Department,Title,Hire Date"]
    for n in range(rows):
        lines.append(
            f"Person {n:05d} Example,person{n}@example.com,Dept {n % 40},Engineer,"
            f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_ics(path: Path, home: Path, events: int, seed: int) -> Path:
    """A calendar export of ``events`` past meetings over the year before the bench's day:
    one-to-ones and small meetings with contacts (by e-mail, some with a stranger too), a few
    weekly series among them, some cancelled, the odd all-day event; written with icalendar."""
    import random

    import icalendar

    with (home / "contacts.toml").open("rb") as fh:
        mails = [c["email"] for c in tomllib.load(fh)["contact"] if c.get("email")]
    rng = random.Random(f"hrtrust-bench-ics:{seed}")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//hrtrust bench//EN")
    cal.add("version", "2.0")
    end = generate.TODAY - dt.timedelta(days=1)
    titles = ("Coffee chat", "1:1", "Check-in", "Department meeting", "Lunch & learn", "Sync")
    for n in range(events):
        day = end - dt.timedelta(days=rng.randrange(365))
        start = dt.datetime(day.year, day.month, day.day, rng.choice((9, 10, 11, 14, 15, 16)))
        event = icalendar.Event()
        event.add("uid", f"bench-{seed}-{n}@example.com")
        event.add("summary", rng.choice(titles))
        if rng.random() < 0.02:
            event.add("dtstart", day)  # an all-day event
        else:
            event.add("dtstart", start)
            event.add("dtend", start + dt.timedelta(minutes=rng.choice((30, 45, 60))))
        if rng.random() < 0.03:  # a weekly series of a few months
            event.add("rrule", {"freq": "weekly", "count": rng.randrange(4, 16)})
        if rng.random() < 0.04:
            event.add("status", "CANCELLED")
        for mail in rng.sample(mails, k=min(len(mails), rng.choice((1, 1, 1, 2, 3)))):
            event.add("attendee", f"mailto:{mail}")
        if rng.random() < 0.2:
            event.add("attendee", f"mailto:guest{n}@elsewhere.example")
        cal.add_component(event)
    path.write_bytes(cal.to_ical())
    return path


def references(home: Path) -> dict[str, str]:
    """Whom to show and whom to log with: the first ally and the first manager, by full name."""
    with (home / "config.toml").open("rb") as fh:
        tomllib.load(fh)  # fail early on a broken home
    with (home / "contacts.toml").open("rb") as fh:
        contacts = tomllib.load(fh)["contact"]
    ally = next(c["name"] for c in contacts if "ally" in c.get("tags", []))
    manager = next(c["name"] for c in contacts if "manager" in c.get("tags", []))
    return {"show": ally, "log": manager}


# --------------------------------------------------------------------------- the benchmark


@dataclass
class Report:
    results: list[Result]
    skipped: list[str]
    argv: list[str]
    repeat: dict[str, int]
    # Python's own exit in the floor: median(floor) - median(floor ending with os._exit(0))
    teardown: float = 0.0
    # the commands timed at large and xlarge alternately in one loop (bench_pair)
    paired: list[str] = field(default_factory=list)

    def bare_ratio(self, r: Result) -> float:
        """The ratio against a floor that skips Python's exit, as the hrtrust script does."""
        return r.median / max(r.floor_median - self.teardown, 1e-9)


def hrtrust_executable() -> Path:
    exe = Path(sys.executable).parent / "hrtrust"
    if not exe.is_file():
        raise BenchError(f"no hrtrust next to {sys.executable}; install it first: pip install -e .")
    return exe


def compile_package() -> None:
    """Write hrtrust's bytecode first, as installing a wheel does. An editable install under
    PYTHONDONTWRITEBYTECODE (or a source just edited) would otherwise compile every changed
    module on every measured run, and the figures would be the compiler's."""
    import importlib.util

    spec = importlib.util.find_spec("hrtrust")
    if spec is None or spec.origin is None:
        raise BenchError("hrtrust is not importable here; install it first: pip install -e .")
    package = str(Path(spec.origin).parent)
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", package], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"could not compile {package}: {done.stdout.decode()[-300:]}")


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "COLUMNS": "80", "TERM": "dumb"})
    for key in ("PYTHONPROFILEIMPORTTIME", "PYTHONTRACEMALLOC", "PYTHONDEVMODE"):
        env.pop(key, None)
    return env


def has_digest(spawner: Spawner, exe: Path, env: dict[str, str], scratch: Path) -> bool:
    return spawner.run([str(exe), "digest", "--help"], env, scratch).code == 0


@dataclass(frozen=True)
class Home:
    """A scratch copy of a generated home, warmed, with the baseline it is put back to."""

    size: str
    path: Path
    scratch: Path  # holds the home, its baseline and the runs' stderr
    baseline: Path
    stamps: dict[str, tuple[int, int]]
    env: dict[str, str]  # the benchmark's environment with HRTRUST_HOME set to ``path``
    refs: dict[str, str]  # the arguments commands refer to (people, import files)


@contextlib.contextmanager
def prepared_home(
    spawner: Spawner,
    size: str,
    seed: int,
    cache: Path,
    commands: Sequence[Command],
    exe: Path,
    env: dict[str, str],
) -> Iterator[Home]:
    """The home of ``size`` copied to a scratch folder (removed on leaving) and warmed, untimed,
    for ``commands``: the floor once, each command that changes nothing once (the derived cache
    and the OS's file cache), `log`'s name index; then copied as the baseline the mutating
    commands are put back to."""
    pristine = cached_home(size, seed, cache)
    scratch = Path(tempfile.mkdtemp(prefix=f"hrtrust-bench-{size}-"))
    try:
        home, baseline = scratch / "home", scratch / "baseline"
        shutil.copytree(pristine, home)
        env = {**env, "HRTRUST_HOME": str(home)}
        refs = references(home)
        names = {c.name for c in commands}
        if "import 5k csv" in names:
            refs["csv"] = str(write_csv(scratch / "hris.csv", CSV_ROWS))
        if "import 50k csv" in names:
            refs["csv50k"] = str(write_csv(scratch / "hris-50k.csv", BIG_CSV_ROWS))
        if "import 5k events" in names:
            refs["ics"] = str(write_ics(scratch / "calendar.ics", home, ICS_EVENTS, seed))
        spawner.checked(floor_argv(), env, scratch)
        for cmd in commands:  # warm the derived cache and the OS's file cache, untimed
            if not cmd.mutates:
                spawner.checked([str(exe), *cmd.args(refs)], env, scratch)
        # `log` resolves names from an index it builds on first use; a reference that
        # matches nobody builds it and changes nothing else (the command fails)
        spawner.run(
            [str(exe), "--today", TODAY, "log", "coffee-chat", "--with", "zz-nobody"], env, scratch
        )
        shutil.copytree(home, baseline)
        yield Home(size, home, scratch, baseline, _stamps(baseline), env, refs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def floor_argv() -> list[str]:
    return [sys.executable, "-c", FLOOR_CODE]


def runs_of(cmd: Command, repeat: int) -> int:
    """How many timed runs ``cmd`` gets: fewer for those that take seconds each."""
    return min(repeat, COLD_REPEAT) if cmd.cold or cmd.name == "import 50k csv" else repeat


class Timing:
    """One command timed on one home, a run at a time, each run after one of the floor."""

    def __init__(self, spawner: Spawner, home: Home, cmd: Command, exe: Path) -> None:
        """Ready to time: a mutating command (but the cold one) is first run once, untimed,
        as the others were when the home was warmed."""
        self.spawner, self.home, self.cmd = spawner, home, cmd
        self.argv = [str(exe), *cmd.args(home.refs)]
        self.result = Result(home.size, cmd.name, ["hrtrust", *cmd.args(home.refs)])
        if cmd.mutates and not cmd.cold:
            spawner.checked(self.argv, home.env, home.scratch)  # its own warm-up

    def once(self) -> None:
        """Put the home in the state the command is timed from (untimed), then time the floor
        and the command."""
        home = self.home
        if self.cmd.cold:
            shutil.rmtree(home.path / ".cache", ignore_errors=True)
        elif self.cmd.mutates and self.cmd.name != "log":
            restore(home.path, home.baseline, home.stamps)
        # `log` runs one after another, as a user logs: each adds one entry (with
        # --again, the same touchpoint again) to a month the previous one wrote, so
        # history grows by a few entries in 200,000. Restoring the month between
        # runs would make it a new file whose kept records no longer match, which
        # is a hand edit's cost, not a log's.
        f = self.spawner.checked(floor_argv(), home.env, home.scratch)
        c = self.spawner.checked(self.argv, home.env, home.scratch)
        self.result.floor_seconds.append(f.seconds)
        self.result.floor_peak_mib.append(f.peak_mib)
        self.result.seconds.append(c.seconds)
        self.result.peak_mib.append(c.peak_mib)

    def done(self) -> Result:
        """Put the home back as the next command expects it (untimed); the measurements."""
        home = self.home
        if self.cmd.cold:  # the cache as the other commands found it
            shutil.rmtree(home.path / ".cache", ignore_errors=True)
            shutil.copytree(home.baseline / ".cache", home.path / ".cache")
        elif self.cmd.mutates:
            restore(home.path, home.baseline, home.stamps)
        r = self.result
        note(
            f"{r.size:<9} {r.command:<16} {r.median * 1000:7.0f} ms  "
            f"floor {r.floor_median * 1000:5.0f} ms  {r.ratio:5.2f}x  {r.peak:6.1f} MiB"
            + (f"  {r.of_large:.2f}x large" if r.of_large is not None else "")
        )
        return r


def bench_size(
    spawner: Spawner,
    size: str,
    seed: int,
    repeat: int,
    cache: Path,
    commands: Sequence[Command],
    exe: Path,
    env: dict[str, str],
) -> list[Result]:
    """Each of ``commands`` measured at ``size`` (where ONLY_AT has it), one after another."""
    wanted = [c for c in commands if size in ONLY_AT.get(c.name, (size,))]
    with prepared_home(spawner, size, seed, cache, wanted, exe, env) as home:
        results = []
        for cmd in wanted:
            timing = Timing(spawner, home, cmd, exe)
            for _ in range(runs_of(cmd, repeat)):
                timing.once()
            results.append(timing.done())
        return results


def bench_pair(
    spawner: Spawner,
    sizes: tuple[str, str],
    seed: int,
    repeat: int,
    cache: Path,
    commands: Sequence[Command],
    exe: Path,
    env: dict[str, str],
) -> list[Result]:
    """Each of ``commands`` measured at both ``sizes`` (large, xlarge) alternately in one loop:
    both homes set up and warmed first, then a run (after one of the floor) on the first home,
    a run on the second, and again. The second size's results divide by the first's medians
    from that loop (``large_median``). The results are in pairs: (first size, second size)."""
    base_size, big_size = sizes
    with (
        prepared_home(spawner, base_size, seed, cache, commands, exe, env) as base,
        prepared_home(spawner, big_size, seed, cache, commands, exe, env) as big,
    ):
        results = []
        for cmd in commands:
            pair = (Timing(spawner, base, cmd, exe), Timing(spawner, big, cmd, exe))
            for _ in range(runs_of(cmd, repeat)):
                for timing in pair:
                    timing.once()
            lower, upper = pair[0].result, pair[1].result
            upper.large_median = lower.median
            results += [t.done() for t in pair]
        return results


def teardown(spawner: Spawner, env: dict[str, str], scratch: Path, repeat: int) -> float:
    """How long Python's exit takes in the floor: the floor and the floor ending with
    ``os._exit(0)``, run alternately, median less median (never below 0)."""
    full, bare = [], []
    for _ in range(max(repeat, 5)):
        full.append(spawner.checked(floor_argv(), env, scratch).seconds)
        bare.append(spawner.checked([sys.executable, "-c", BARE_FLOOR_CODE], env, scratch).seconds)
    return max(statistics.median(full) - statistics.median(bare), 0.0)


def note(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count() or "?"),
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
    }


def _verdict(r: Result) -> str:
    if r.within is None:
        return ""
    return "ok" if r.within else "OVER"


def rows(report: Report) -> list[list[str]]:
    out = []
    for r in report.results:
        b = r.budget
        out.append(
            [
                r.size,
                r.command,
                f"{r.median * 1000:.0f} ms",
                f"{r.floor_median * 1000:.0f} ms",
                f"{r.ratio:.2f}x",
                f"{report.bare_ratio(r):.2f}x",
                f"{r.of_large:.2f}x" if r.of_large is not None else "",
                f"{r.peak:.0f} MiB",
                b.text() if b else "",
                _verdict(r),
            ]
        )
    return out


HEADER = [
    "size", "command", "median", "floor", "ratio", "no-exit ratio", "of large", "peak memory",
    "budget", "verdict",
]  # fmt: skip
RIGHT = {2, 3, 4, 5, 6, 7}


def text_table(report: Report) -> str:
    table = [HEADER, *rows(report)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = []
    for n, row in enumerate(table):
        cells = [
            cell.rjust(widths[i]) if i in RIGHT else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _size_line(size: str) -> str:
    s = generate.SIZES[size]
    return (
        f"{size}: {s.contacts:,} contacts, {s.interactions:,} interactions over {s.years} "
        f"year{'s' if s.years > 1 else ''}, {s.promises:,} promises, {s.activities} activities"
    )


def markdown(report: Report) -> str:
    m = machine()
    sizes = [s for s in ORDER if any(r.size == s for r in report.results)]
    lines = [
        "<!-- written by benchmarks/bench.py; rerun it rather than editing these figures -->",
        f"Measured with `python benchmarks/bench.py {' '.join(report.argv)}`".rstrip()
        + f" on {m['date']}: {m['platform']}, {m['cpu']}, {m['cores']} cores, "
        f"Python {m['python']}.",
        "",
        f'Floor: `python -c "{FLOOR_CODE}"`, run alternately with each command. '
        "Figures are medians of "
        + ", ".join(f"{report.repeat[s]} runs ({s})" for s in sizes)
        + "; ratio = median(command) / median(floor); peak memory is the largest resident "
        "set of the command's runs.",
        "",
        f"Python's exit (tearing the interpreter down) takes {report.teardown * 1000:.0f} ms of "
        "the floor (median of the floor less the median of the same imports ending with "
        "`os._exit(0)`, run alternately). The `hrtrust` script skips it, so the no-exit ratio, "
        "median(command) / (median(floor) less that), compares like with like; budgets are "
        "judged on the ratio, as issue 27 sets them; at xlarge, on the ratio to large "
        '("of large").' + _paired_text(report),
        "",
    ]
    lines += [f"- {_size_line(s)}" for s in sizes]
    lines += ["", "| " + " | ".join(HEADER) + " |"]
    lines.append("|" + "|".join("---:" if i in RIGHT else "---" for i in range(len(HEADER))) + "|")
    for row in rows(report):
        row = [*row]
        row[1] = f"`{row[1]}`"
        lines.append("| " + " | ".join(row) + " |")
    if report.skipped:
        lines += ["", *[f"Not measured: {s}" for s in report.skipped]]
    return "\n".join(lines) + "\n"


def _paired_text(report: Report) -> str:
    if not report.paired:
        return ""
    names = [f"`{c}`" for c in report.paired]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f" {listed} were timed at {PAIR[0]} and {PAIR[1]} alternately in one loop (a run on "
        f"each home in turn, each after a run of the floor), and their {PAIR[1]} ratio to "
        f"{PAIR[0]} is median({PAIR[1]}) / median({PAIR[0]}) of that loop."
    )


def as_json(report: Report) -> dict[str, Any]:
    return {
        "machine": machine(),
        "argv": report.argv,
        "floor": FLOOR_CODE,
        "teardown_seconds": report.teardown,
        "today": TODAY,
        "repeat": report.repeat,
        "sizes": {
            s: dataclasses.asdict(generate.SIZES[s])
            for s in ORDER
            if any(r.size == s for r in report.results)
        },
        "results": [r.as_json() for r in report.results],
        "skipped": report.skipped,
        "paired": {"sizes": list(PAIR), "commands": report.paired},
    }


# --------------------------------------------------------------------------- entry point


def add_output_arguments(parser: argparse.ArgumentParser, *, cache_help: str) -> None:
    """The options this script and ``shims.py`` share: the data seed, where generated homes
    are kept, and the Markdown and JSON files written."""
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED, help="data seed")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "hrtrust-bench", help=cache_help
    )
    parser.add_argument("--markdown", type=Path, help="write the Markdown table to FILE")
    parser.add_argument("--json", type=Path, help="write every measurement as JSON to FILE")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time hrtrust commands at three data sizes against the Python floor.",
    )
    parser.add_argument(
        "--sizes",
        default="small,realistic,large",
        help="comma-separated: small,realistic,large,xlarge (xlarge: twice large, slow)",
    )
    parser.add_argument(
        "--repeat", type=int, default=DEFAULT_REPEAT, help="runs per command (default 15)"
    )
    parser.add_argument(
        "--repeat-large",
        type=int,
        default=DEFAULT_REPEAT_LARGE,
        help="at most this many runs per command at the large size (default 5)",
    )
    add_output_arguments(parser, cache_help="where generated homes are kept between runs")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is not met")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in generate.SIZES]
    if unknown or not sizes:
        parser.error(f"unknown size {', '.join(unknown) or '(none)'}; use {', '.join(ORDER)}")
    if args.repeat < 1 or args.repeat_large < 1:
        parser.error("--repeat and --repeat-large must be at least 1")
    args.sizes = [s for s in ORDER if s in sizes]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    raw = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    args = parse_args(raw)
    shown = list(raw)
    for opt in ("--markdown", "--json", "--cache"):  # where files went is not the recipe
        while opt in shown:
            i = shown.index(opt)
            del shown[i : i + 2]
    try:
        exe = hrtrust_executable()
        compile_package()
        env = base_env()
        spawner = Spawner()
        scratch = Path(tempfile.mkdtemp(prefix="hrtrust-bench-probe-"))
        try:
            digest = has_digest(spawner, exe, env, scratch)
            commands = [c for c in COMMANDS if digest or c.name != "digest"]
            skipped = [] if digest else ["`digest` (this hrtrust has no digest command)"]
            report = Report([], skipped, shown, {})
            report.teardown = teardown(spawner, env, scratch, args.repeat)
            note(f"Python's exit in the floor: {report.teardown * 1000:.1f} ms")
            # at large and xlarge, the commands held to "of large" are timed in one loop
            both = set(PAIR) <= set(args.sizes)
            paired = [c for c in commands if both and c.name in FOLLOWS_OUTPUT]
            for size in args.sizes:
                big = size in ("large", "xlarge")
                repeat = min(args.repeat, args.repeat_large) if big else args.repeat
                report.repeat[size] = repeat
                alone = [c for c in commands if size not in PAIR or c not in paired]
                report.results += bench_size(
                    spawner, size, args.seed, repeat, args.cache, alone, exe, env
                )
            if paired:
                report.paired = [c.name for c in paired]
                report.results += bench_pair(
                    spawner, PAIR, args.seed, report.repeat[PAIR[1]], args.cache, paired, exe, env
                )
            place = [c.name for c in COMMANDS]
            report.results.sort(key=lambda r: (ORDER.index(r.size), place.index(r.command)))
            # the others: each size's own median
            large = {r.command: r.median for r in report.results if r.size == PAIR[0]}
            for r in report.results:
                if r.size == PAIR[1] and r.large_median is None:
                    r.large_median = large.get(r.command)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            spawner.close()
    except BenchError as exc:
        sys.stderr.write(f"bench: {exc}\n")
        return 1
    sys.stdout.write(text_table(report))
    for s in report.skipped:
        sys.stdout.write(f"not measured: {s}\n")
    if args.markdown:
        args.markdown.write_text(markdown(report), encoding="utf-8")
    if args.json:
        args.json.write_text(
            json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if args.check and any(r.within is False for r in report.results):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
