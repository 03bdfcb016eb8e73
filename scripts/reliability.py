#!/usr/bin/env python3
"""Run hrtrust's reliability and privacy battery and print the figures that back
docs/RELIABILITY.md.

    python scripts/reliability.py          # the quick version CI runs (under a minute)
    python scripts/reliability.py --full   # the full battery (several minutes)

The battery is the test files listed below; each test hands its figures back through a JSON
lines file named by $HRTRUST_FIGURES, and $HRTRUST_RELIABILITY=full makes them run long.
Exits non-zero when any test fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BATTERY = [
    "tests/test_crash.py",
    "tests/test_concurrency.py",
    "tests/test_faults.py",
    "tests/test_hand_edits.py",
    "tests/test_privacy.py",
    "tests/test_fuzz.py",
    "tests/test_doctor.py",
    "tests/test_store.py",
]


def n(value: int) -> str:
    return f"{value:,}"


def summarise(figures: dict[str, dict[str, Any]]) -> list[str]:
    lines: list[str] = []
    steps = figures.get("crash-steps", {})
    forks = figures.get("crash-random-fork", {})
    script = figures.get("crash-script", {})
    kills = sum(f.get("kills", 0) for f in (steps, forks, script))
    if kills:
        landed: dict[str, int] = {}
        for f in (steps, forks, script):
            for k, v in f.get("outcomes", {}).items():
                landed[k] = landed.get(k, 0) + v
        lines.append(
            f"crash safety:   {n(kills)} SIGKILLs of writing commands ({n(steps.get('kills', 0))} "
            f"at each file-system step, {n(forks.get('kills', 0))} at random moments in a fork, "
            f"{n(script.get('kills', 0))} of the installed console script): 0 torn files; "
            "after the next run 0 commands half applied, 0 temp files left"
        )
        lines.append(
            f"                {n(landed.get('mid-write', 0))} kills landed mid-write (temp files "
            f"or a journal left), {n(landed.get('before', 0))} before any write, "
            f"{n(landed.get('after', 0))} after the last rename; "
            f"{n(landed.get('finished first (not a kill)', 0))} more runs finished before the "
            "signal (not counted)"
        )
    if c := figures.get("concurrency"):
        lines.append(
            f"concurrency:    {c['writers']} processes × {c['logs'] // c['writers']} logs = "
            f"{n(c['logs'])} concurrent logs (+{c['promises']} promises), 0 lost, 0 duplicated; "
            f"{n(c['reads'])} reads alongside, 0 reader errors"
        )
    if fa := figures.get("faults"):
        lines.append(
            f"I/O faults:     {fa['points']} fault points in {fa['commands']} commands × "
            f"{fa['errors']} errors (ENOSPC, EIO, EROFS): {fa['failed']} failed with exit 7 and "
            f"one line, 0 files changed; {fa['cache_only']} hit only the derived cache "
            "(command succeeded)"
        )
    if ro := figures.get("read-only-home"):
        lines.append(
            f"read-only home: {ro['commands']} writing commands refused (exit 7), 0 files "
            f"changed; {ro['reads_ok']} reading commands worked"
        )
    else:
        lines.append("read-only home: skipped (needs root and mount); monkeypatched test ran")
    if disk := figures.get("full-disk"):
        lines.append(
            f"full disk:      {disk['commands']} writing commands on a full 64 KiB tmpfs: exit 7, "
            "0 files changed, 0 temp files left"
        )
    else:
        lines.append("full disk:      skipped (needs root and mount for a tmpfs)")
    if h := figures.get("hand-edits"):
        lines.append(
            f"hand edits:     {h['commands']} rewriting commands over {h['files']} hand-edited "
            "files: 0 unknown keys lost, 0 comments lost without a .bak and a warning"
        )
    if p := figures.get("privacy"):
        skipped = ", ".join(p["skipped"]) or "none"
        lines.append(
            f"privacy:        {p['commands']} commands walked, {n(p['outputs'])} outputs "
            f"checked for {p['sentinels']} sentinels: 0 leaks; skipped: {skipped}"
        )
    if z := figures.get("fuzz"):
        lines.append(
            f"fuzzing:        {n(z['examples'])} generated inputs to the loader and parsers: "
            "0 exceptions other than hrtrust's own"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the full battery (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures_file = Path(tmp) / "figures.jsonl"
        env = {**os.environ, "HRTRUST_FIGURES": str(figures_file)}
        env["HRTRUST_RELIABILITY"] = "full" if args.full else "quick"
        start = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *BATTERY],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        took = time.monotonic() - start
        figures: dict[str, dict[str, Any]] = {}
        if figures_file.exists():
            for line in figures_file.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                figures[row.pop("test")] = row
    tail = [line for line in run.stdout.splitlines() if line.strip()][-1:]
    print(
        f"hrtrust reliability battery ({'full' if args.full else 'quick'}): "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {'root' if os.geteuid() == 0 else 'not root'}"
    )
    for line in summarise(figures):
        print(line)
    print(f"pytest:         {tail[0] if tail else '(no summary)'} ({took:.0f} s in all)")
    if run.returncode != 0:
        sys.stdout.write(run.stdout[-6000:])
        sys.stderr.write(run.stderr[-2000:])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
