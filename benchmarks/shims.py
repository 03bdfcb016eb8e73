"""What each library shim buys: whole `hrtrust` runs with it and without it (issue 27).

Usage (from the repository, with the project installed: ``pip install -e '.[test]'``)::

    python benchmarks/shims.py [--sizes realistic,large] [--repeat 15] [--repeat-large 15]
                               [--shims coercion,record,lite,plain,lite+plain,lock]
                               [--markdown FILE] [--json FILE]
    python benchmarks/shims.py --runner        # print the runner program, to run it by hand

The shims and how each is taken away ("without"):

- ``coercion`` (``cli/coercion.py``, on Typer's private ``_coercion``): options coerced
  natively instead of by a pydantic TypeAdapter per parameter. Without it: the runner puts
  ``None`` in ``sys.modules["hrtrust.cli.coercion"]`` before hrtrust is imported, so
  ``cli/app.py``'s ``from . import coercion`` raises ImportError and Typer keeps its own
  coercion (the path the app already takes under another Typer).
- ``record`` (``record.py``, for pydantic): record classes are plain classes; a pydantic model
  is derived only when a value needs pydantic, and values already of their type are checked
  natively. Without it: when a module declaring records (``hrtrust.models``,
  ``hrtrust.domain.handover``) has been imported, the pydantic model of every record class in
  it is built at once (as declaring them as pydantic models did), and ``record._checked`` is
  replaced by one that always defers, so every validation goes through pydantic. The records
  themselves stay record.py's plain objects (a pydantic model instance is slower to build and
  copy), so this saving is a lower bound.
- ``lite`` (``present/lite.py``, for Rich): the week's plan and the overdue and contact views
  are built from small stand-ins for Rich's ``Text``, ``Table.grid`` and the headed table.
  Without it: ``present.week`` and ``present.views`` get Rich's ``Text``,
  ``Table.grid(padding=(0, 2))`` and ``present.terminal.table`` instead, as before the shim;
  ``present.plain`` still lays out the Rich texts and grids and leaves headed tables to Rich.
- ``plain`` (``present/plain.py``, for Rich): piped output laid out directly instead of by
  Rich's console. Without it: ``plain.needs_rich`` says True for every text, so
  ``present.output.render`` and the digest's ``to_text`` print everything through Rich's
  console (the fallback they already have).
- ``lite+plain``: both, i.e. Rich doing all piped rendering as it did before either shim.
- ``lock`` (``storage/lock.py``, for filelock): the data home's lock taken with ``fcntl.flock``
  directly. Without it: ``hrtrust.storage.lock.FileLock`` becomes a wrapper around
  ``filelock.FileLock(path, mode=0o600)`` (its ``Timeout`` raised as ``LockTimeout``), as
  hrtrust locked before. Only commands that write take a lock, so only ``log`` shows it.

Every run, with or without, is the same runner program (``python -c RUNNER OFF ARGS...``, the
text printed by ``--runner``): it installs an import hook that applies the "without" patches
just after the patched module is first imported (so a command that never imports it pays
nothing), then calls ``hrtrust.cli.app.run`` as the ``hrtrust`` script does. ``OFF`` is a
comma-separated list of shims to take away, empty for "with". Nothing in ``src/`` changes.

For each size and command (``plan week``, ``overdue``, ``digest``, ``log``, all with
``--today 2026-11-23``), the floor (``python -c "import typer, rich, pydantic, tomllib,
tomli_w, dateutil.rrule"``), the runner with every shim and the runner without each shim run in
turn, ``--repeat`` rounds, the order rotated each round so no variant always follows another;
homes come from ``generate.py`` and are warmed as ``bench.py`` warms them (derived cache built
first; ``log`` runs one after another, each adding one entry). Reported per shim: the median
wall time with and without, the saving (median of the per-round differences without - with,
and in how many rounds it was positive), the same saving in CPU time (user + system of the
child: a cross-check that a busy machine disturbs far less than wall time), the ratio to the
floor's median with and without, and peak RSS (largest of the runs). Before timing, each
variant's output is compared with the with-shims output (it must be byte-identical, piped at
80 columns) and the modules it imports beyond those are listed (``-X importtime``), so a patch
that took no effect shows.

A shim "stays" when at some size and command it saves at least 3 ms and at least 2 % of the
run, in more than three quarters of the rounds; otherwise the verdict is "should go".
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402  (the sibling script, not a package)
import generate  # noqa: E402

RUNNER = r"""
import sys
from importlib.machinery import PathFinder
off = set(filter(None, sys.argv[1].split(",")))
sys.argv = ["hrtrust", *sys.argv[2:]]
hooks = {}
if "coercion" in off:
    sys.modules["hrtrust.cli.coercion"] = None
if "record" in off:
    def eager(mod):
        from hrtrust import record
        record._checked = lambda cls, data: None
        for obj in list(vars(mod).values()):
            if (isinstance(obj, type) and issubclass(obj, record.Record)
                    and obj.__module__ == mod.__name__):
                record._pydantic(obj)
    hooks["hrtrust.models"] = hooks["hrtrust.domain.handover"] = eager
if "lite" in off:
    def week(mod):
        from rich.table import Table
        from rich.text import Text
        mod.Text, mod.Grid = Text, lambda: Table.grid(padding=(0, 2))
    def views(mod):
        from rich.text import Text
        from hrtrust.present.terminal import table
        mod.Text, mod.Table = Text, table
    hooks["hrtrust.present.week"], hooks["hrtrust.present.views"] = week, views
if "plain" in off:
    hooks["hrtrust.present.plain"] = lambda mod: setattr(mod, "needs_rich", lambda text: True)
if "lock" in off:
    def lock(mod):
        import filelock
        class FileLock:
            def __init__(self, path):
                self.lock = filelock.FileLock(str(path), mode=0o600)
            is_locked = property(lambda self: self.lock.is_locked)
            def acquire(self, timeout):
                try:
                    self.lock.acquire(timeout=timeout)
                except filelock.Timeout as exc:
                    raise mod.LockTimeout(self.lock.lock_file) from exc
            def release(self):
                self.lock.release()
        mod.FileLock = FileLock
    hooks["hrtrust.storage.lock"] = lock
class Hook:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in hooks:
            return None
        spec = PathFinder.find_spec(name, path)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            hooks[name](module)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Hook)
from hrtrust.cli.app import run
run()
"""

# bench.py's spawner, also reporting the child's CPU time (user + system): a machine busy with
# other work stretches wall time far more than CPU time, so the CPU saving is a cross-check.
_SPAWNER = bench._SPAWNER.replace(
    "[seconds, usage.ru_maxrss, code]",
    "[seconds, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime]",
)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    cpu: float


class Spawner(bench.Spawner):
    """bench.Spawner with each run's CPU time."""

    def __init__(self) -> None:
        super().__init__(_SPAWNER)

    def timed(self, argv: Sequence[str], env: dict[str, str], scratch: Path) -> Run:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        err = scratch / "stderr.txt"
        request = {"argv": list(argv), "env": env, "stderr": str(err)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise bench.BenchError("the process spawner stopped unexpectedly")
        seconds, maxrss, code, cpu = json.loads(line)
        if code != 0:
            text = err.read_text(encoding="utf-8", errors="replace").strip()
            raise bench.BenchError(f"`{' '.join(argv[3:])}` exited {code}:\n{text}")
        return Run(seconds, maxrss / (2**20 if sys.platform == "darwin" else 2**10), cpu)

    def run(self, argv: Sequence[str], env: dict[str, str], scratch: Path) -> bench.Run:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        err = scratch / "stderr.txt"
        request = {"argv": list(argv), "env": env, "stderr": str(err)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        seconds, maxrss, code, _ = json.loads(self.proc.stdout.readline())
        stderr = err.read_text(encoding="utf-8", errors="replace")
        return bench.Run(seconds, maxrss / 2**10, code, stderr)


SHIMS = {
    "coercion": "cli/coercion.py: Typer's pydantic TypeAdapter per option",
    "record": "record.py: pydantic models built and validating",
    "lite": "present/lite.py: Rich Text/Table objects for the views",
    "plain": "present/plain.py: Rich's console laying out piped output",
    "lite+plain": "both: Rich renders all piped output",
    "lock": "storage/lock.py: filelock's FileLock taking the same flock",
}
COMMANDS = ("plan week", "overdue", "digest", "log")
SIZES = ("realistic", "large")
STAYS_MS = 3.0
STAYS_SHARE = 0.02


@dataclass
class Series:
    seconds: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mib)


@dataclass
class Cell:
    """One size and command: the floor, the runner with every shim, and without each."""

    size: str
    command: str
    floor: Series = field(default_factory=Series)
    with_: Series = field(default_factory=Series)
    without: dict[str, Series] = field(default_factory=dict)
    identical: dict[str, bool | None] = field(default_factory=dict)
    extra_modules: dict[str, list[str]] = field(default_factory=dict)

    def saved(self, shim: str) -> float:
        """Median over rounds of (without - with), seconds."""
        pairs = zip(self.without[shim].seconds, self.with_.seconds, strict=True)
        return statistics.median(w - a for w, a in pairs)

    def cpu_saved(self, shim: str) -> float:
        """Median over rounds of (without - with) CPU time, seconds."""
        pairs = zip(self.without[shim].cpu, self.with_.cpu, strict=True)
        return statistics.median(w - a for w, a in pairs)

    def wins(self, shim: str) -> int:
        pairs = zip(self.without[shim].seconds, self.with_.seconds, strict=True)
        return sum(w > a for w, a in pairs)

    def share(self, shim: str) -> float:
        return self.saved(shim) / self.without[shim].median

    def buys(self, shim: str) -> bool:
        n = len(self.with_.seconds)
        return (
            self.saved(shim) * 1000 >= STAYS_MS
            and self.share(shim) >= STAYS_SHARE
            and self.wins(shim) * 4 > n * 3
        )


def argv_for(command: str, refs: dict[str, str]) -> list[str]:
    today = ["--today", bench.TODAY]
    if command == "log":
        return [*today, "log", "coffee-chat", "--with", refs["log"], "--note", "x", "--again"]
    return [*today, *command.split()]


def runner(off: Sequence[str], args: Sequence[str]) -> list[str]:
    return [sys.executable, "-c", RUNNER, ",".join(off), *args]


def variants(shims: Sequence[str]) -> dict[str, list[str]]:
    return {s: s.split("+") for s in shims}


def imported(argv: list[str], env: dict[str, str]) -> tuple[bytes, set[str]]:
    """One run's stdout and the modules it imported (``-X importtime``)."""
    done = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]], env=env, capture_output=True, check=False
    )
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace")
        lines = [x for x in err.splitlines() if not x.startswith("import time:")]
        raise bench.BenchError(f"{argv[3:]} exited {done.returncode}:\n" + "\n".join(lines[-15:]))
    mods = set()
    for line in done.stderr.decode(errors="replace").splitlines():
        if line.startswith("import time:") and "|" in line and "imported package" not in line:
            mods.add(line.rsplit("|", 1)[1].strip())
    return done.stdout, mods


def _top(mods: set[str]) -> list[str]:
    """The modules, by package: ``pydantic (41)``."""
    count: dict[str, int] = {}
    for m in mods:
        parts = m.split(".")
        key = ".".join(parts[:2]) if parts[0] == "hrtrust" else parts[0]
        count[key] = count.get(key, 0) + 1
    return [f"{k} ({n})" for k, n in sorted(count.items(), key=lambda kv: -kv[1])]


def measure(
    spawner: Spawner,
    size: str,
    seed: int,
    repeat: int,
    cache: Path,
    shims: Sequence[str],
    commands: Sequence[str],
    env: dict[str, str],
) -> list[Cell]:
    pristine = bench.cached_home(size, seed, cache)
    scratch = Path(tempfile.mkdtemp(prefix=f"hrtrust-shims-{size}-"))
    try:
        home = scratch / "home"
        shutil.copytree(pristine, home)
        env = {**env, "HRTRUST_HOME": str(home)}
        refs = bench.references(home)
        floor = [sys.executable, "-c", bench.FLOOR_CODE]
        spawner.checked(floor, env, scratch)
        for command in commands:  # warm the derived cache and the OS's file cache
            if command != "log":
                spawner.checked(runner([], argv_for(command, refs)), env, scratch)
        spawner.run(
            runner([], ["--today", bench.TODAY, "log", "coffee-chat", "--with", "zz-nobody"]),
            env,
            scratch,
        )
        cells = []
        offs = variants(shims)
        for command in commands:
            args = argv_for(command, refs)
            cell = Cell(size, command)
            out, base_mods = imported(runner([], args), env)
            for shim, off in offs.items():
                got, mods = imported(runner(off, args), env)
                cell.identical[shim] = None if command == "log" else got == out
                cell.extra_modules[shim] = _top(mods - base_mods)
                cell.without[shim] = Series()
            plan: list[tuple[str, list[str], Series]] = [
                ("floor", floor, cell.floor),
                ("with", runner([], args), cell.with_),
            ]
            plan += [(s, runner(off, args), cell.without[s]) for s, off in offs.items()]
            for n in range(repeat):
                k = n % len(plan)
                for _, argv, series in plan[k:] + plan[:k]:
                    run = spawner.timed(argv, env, scratch)
                    series.seconds.append(run.seconds)
                    series.peak_mib.append(run.peak_mib)
                    series.cpu.append(run.cpu)
            bench.note(
                f"{size:<9} {command:<9} floor {cell.floor.median * 1000:5.0f} ms  "
                f"with {cell.with_.median * 1000:6.0f} ms  "
                + "  ".join(f"-{s} {cell.saved(s) * 1000:+.1f}" for s in shims)
            )
            cells.append(cell)
        return cells
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# --------------------------------------------------------------------------- reporting

HEADER = [
    "shim", "size", "command", "with", "without", "saved", "saved %", "rounds", "CPU saved",
    "ratio with -> without", "peak MiB with/without", "same output", "imports beyond",
]  # fmt: skip


def rows(cells: Sequence[Cell], shims: Sequence[str]) -> list[list[str]]:
    out = []
    for shim in shims:
        for c in cells:
            w = c.without[shim]
            same = c.identical[shim]
            out.append(
                [
                    shim,
                    c.size,
                    c.command,
                    f"{c.with_.median * 1000:.0f} ms",
                    f"{w.median * 1000:.0f} ms",
                    f"{c.saved(shim) * 1000:.1f} ms",
                    f"{c.share(shim) * 100:.1f} %",
                    f"{c.wins(shim)}/{len(c.with_.seconds)}",
                    f"{c.cpu_saved(shim) * 1000:.1f} ms",
                    f"{c.with_.median / c.floor.median:.2f}x -> {w.median / c.floor.median:.2f}x",
                    f"{c.with_.peak:.0f}/{w.peak:.0f}",
                    "-" if same is None else ("yes" if same else "NO"),
                    ", ".join(c.extra_modules[shim][:3]) or "-",
                ]
            )
    return out


def verdicts(cells: Sequence[Cell], shims: Sequence[str]) -> dict[str, str]:
    out = {}
    for shim in shims:
        best = max(cells, key=lambda c: c.saved(shim))
        where = f"{best.command} ({best.size}): {best.saved(shim) * 1000:.1f} ms"
        stays = any(c.buys(shim) for c in cells)
        out[shim] = f"{'stays' if stays else 'should go'}; most saved at {where}"
    return out


def text(cells: Sequence[Cell], shims: Sequence[str]) -> str:
    table = [HEADER, *rows(cells, shims)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip() for r in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines += [f"{s}: {v}" for s, v in verdicts(cells, shims).items()]
    return "\n".join(lines) + "\n"


def markdown(cells: Sequence[Cell], shims: Sequence[str], argv: Sequence[str]) -> str:
    m = bench.machine()
    lines = [
        f"Measured with `python benchmarks/shims.py {' '.join(argv)}`".rstrip()
        + f" on {m['date']}: {m['platform']}, {m['cpu']}, {m['cores']} cores, "
        f"Python {m['python']}.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    for r in rows(cells, shims):
        r[2] = f"`{r[2]}`"
        lines.append("| " + " | ".join(r) + " |")
    lines += ["", *[f"- `{s}`: {v}" for s, v in verdicts(cells, shims).items()]]
    return "\n".join(lines) + "\n"


def as_json(cells: Sequence[Cell], shims: Sequence[str], argv: Sequence[str]) -> dict[str, Any]:
    return {
        "machine": bench.machine(),
        "argv": list(argv),
        "floor": bench.FLOOR_CODE,
        "runner": RUNNER,
        "verdicts": verdicts(cells, shims),
        "cells": [
            {
                "size": c.size,
                "command": c.command,
                "floor_seconds": c.floor.seconds,
                "with_seconds": c.with_.seconds,
                "with_peak_mib": c.with_.peak_mib,
                "with_cpu_seconds": c.with_.cpu,
                "without": {
                    s: {
                        "seconds": c.without[s].seconds,
                        "peak_mib": c.without[s].peak_mib,
                        "cpu_seconds": c.without[s].cpu,
                        "saved_s": c.saved(s),
                        "identical_output": c.identical[s],
                        "extra_modules": c.extra_modules[s],
                    }
                    for s in shims
                },
            }
            for c in cells
        ],
    }


# --------------------------------------------------------------------------- entry point


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Time hrtrust with and without each library shim.")
    p.add_argument("--sizes", default=",".join(SIZES), help="comma-separated generate.py sizes")
    p.add_argument("--repeat", type=int, default=15, help="rounds per command (default 15)")
    p.add_argument(
        "--repeat-large", type=int, default=15, help="rounds at the large size (default 15)"
    )
    p.add_argument("--shims", default=",".join(SHIMS), help="comma-separated: " + ", ".join(SHIMS))
    p.add_argument("--commands", default=",".join(COMMANDS), help="comma-separated commands")
    bench.add_output_arguments(
        p, cache_help="where generated homes are kept (shared with bench.py)"
    )
    p.add_argument("--runner", action="store_true", help="print the runner program and exit")
    args = p.parse_args(argv)
    args.sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.shims = [s.strip() for s in args.shims.split(",") if s.strip()]
    args.commands = [c.strip() for c in args.commands.split(",") if c.strip()]
    if bad := [s for s in args.sizes if s not in generate.SIZES]:
        p.error(f"unknown size {', '.join(bad)}")
    if bad := [s for s in args.shims if s not in SHIMS]:
        p.error(f"unknown shim {', '.join(bad)}; use {', '.join(SHIMS)}")
    if bad := [c for c in args.commands if c not in COMMANDS]:
        p.error(f"unknown command {', '.join(bad)}; use {', '.join(COMMANDS)}")
    if args.repeat < 1 or args.repeat_large < 1:
        p.error("--repeat and --repeat-large must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    raw = [str(a) for a in (sys.argv[1:] if argv is None else argv)]
    args = parse_args(raw)
    if args.runner:
        sys.stdout.write(RUNNER.lstrip())
        return 0
    shown = list(raw)
    for opt in ("--markdown", "--json", "--cache"):
        while opt in shown:
            i = shown.index(opt)
            del shown[i : i + 2]
    cells: list[Cell] = []
    try:
        bench.compile_package()
        env = bench.base_env()
        spawner = Spawner()
        try:
            for size in args.sizes:
                repeat = args.repeat_large if size == "large" else args.repeat
                cells += measure(
                    spawner, size, args.seed, repeat, args.cache, args.shims, args.commands, env
                )
        finally:
            spawner.close()
    except bench.BenchError as exc:
        sys.stderr.write(f"shims: {exc}\n")
        return 1
    sys.stdout.write(text(cells, args.shims))
    if args.markdown:
        args.markdown.write_text(markdown(cells, args.shims, shown), encoding="utf-8")
    if args.json:
        data = as_json(cells, args.shims, shown)
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
