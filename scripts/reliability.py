#!/usr/bin/env python3
"""Run hrtrust's reliability and privacy battery and print the figures that back
docs/RELIABILITY.md.

    python scripts/reliability.py                  # the quick version (under a minute)
    python scripts/reliability.py --full --write   # the full battery, into docs/RELIABILITY.md

The battery is the test files listed below; each test hands the figures it observed back
through a JSON lines file named by $HRTRUST_FIGURES, and $HRTRUST_RELIABILITY=full makes them
run long. When any test fails, no figure is printed or written and the exit status is non-zero:
a figure is only ever a count from a battery that passed.
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
    "tests/test_hardening.py",
    "tests/test_hardening_edges.py",
    "tests/test_rotation.py",
    "tests/test_journal.py",
    "tests/test_forget.py",
    "tests/test_calendar_bounds.py",
]


def n(value: int) -> str:
    return f"{value:,}"


def merge(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One figure set per test name: most tests record once; per-case tests (hand edits)
    record a row per case, summed here."""
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = row.pop("test")
        if name == "hand-edits":
            h = out.setdefault(
                name, {"commands": 0, "files": set(), "keys": 0, "lost": 0, "bak": 0}
            )
            h["commands"] += 1
            h["files"].add(row["file"])
            h["keys"] += row["keys_checked"]
            h["lost"] += row["keys_lost"]
            h["bak"] += bool(row["backed_up"])
        else:
            out[name] = row
    return out


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
    rot, loop = figures.get("rotate: kill at every step"), figures.get("rotate: random kills")
    if rot and loop:
        lines.append(
            f"key rotation:   killed before each of its {rot['steps']} renames, once and in "
            f"{n(rot['cases'] - rot['steps'])} pairs (a second kill while it recovers); "
            f"{n(loop['rotations'])} rotations in a row, {n(loop['killed'])} of them killed at a "
            f"random rename: {rot['unreadable'] + loop['unreadable']} notes unreadable at any "
            "point, every rotation finished by the next `key rotate`"
        )
    if c := figures.get("concurrency"):
        lines.append(
            f"concurrency:    {c['writers']} processes × {c['logs'] // c['writers']} logs = "
            f"{n(c['logs'])} concurrent logs (+{c['promises']} promises), {c['lost']} lost, "
            f"{c['duplicated']} duplicated; {n(c['reads'])} reads alongside, "
            f"{c['reader_errors']} reader errors"
        )
    if fa := figures.get("faults"):
        lines.append(
            f"I/O faults:     {fa['points']} fault points in {fa['commands']} commands × "
            f"{fa['errors']} errors (ENOSPC, EIO, EROFS): {fa['failed']} failed with exit 7 and "
            f"one line, {fa['files_changed']} files changed; {fa['cache_only']} hit only the "
            "derived cache "
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
            f"hand edits:     {h['commands']} rewriting commands over {len(h['files'])} "
            f"hand-edited files: {n(h['keys'])} unknown keys checked, {h['lost']} lost; "
            f"{h['bak']} of {h['commands']} kept the commented file in a .bak"
        )
    if p := figures.get("privacy"):
        skipped = ", ".join(p["skipped"]) or "none"
        lines.append(
            f"privacy:        {p['commands']} commands walked, {n(p['outputs'])} outputs "
            f"checked for {p['sentinels']} sentinels: {p['leaks']} leaks; skipped: {skipped}"
        )
    if z := figures.get("fuzz"):
        lines.append(
            f"fuzzing:        {n(z['examples'])} generated inputs to the loader and parsers: "
            f"{z['other_errors']} exceptions other than hrtrust's own"
        )
    if hs := figures.get("hardening-storage"):
        lines.append(
            f"outside home:   {n(sum(hs.values()))} runs aimed outside the data home or through "
            f"a link: {_classes(hs)}; 0 files outside the home changed, 0 data files changed "
            "by a refused command"
        )
    if he := figures.get("hardening-edges"):
        lines.append(
            f"edges:          {n(sum(he.values()))} runs with hostile names, values and files: "
            f"{_classes(he)}; 0 internal errors, 0 control characters or secrets printed, "
            "0 files changed by a failed command"
        )
    if ca := figures.get("calendar-attacks"):
        lines.append(
            f"calendars:      {n(sum(ca.values()))} hostile calendar files imported twice: "
            f"{_classes(ca)}; 0 internal errors, 0 control characters printed, at most one "
            "entry a day for a meeting, 0 files changed by a second import or a refused file"
        )
    if (z := figures.get("fuzz")) and z.get("cli_examples"):
        lines.append(
            f"fuzzing (CLI):  {n(z['cli_examples'])} generated command lines, environments and "
            "config values: every exit code documented, 0 internal errors, 0 files changed by a "
            "failed command"
        )
    return lines


def _classes(counts: dict[str, Any]) -> str:
    """``output: fifo 4, journal: planted 30`` from a test's per-class counts."""
    return ", ".join(f"{name} {value}" for name, value in sorted(counts.items()))


DOC = ROOT / "docs" / "RELIABILITY.md"
DOC_MARK = "Output of `python scripts/reliability.py --full`:\n\n```\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the full battery (minutes)")
    parser.add_argument(
        "--write", action="store_true", help="put the figures into docs/RELIABILITY.md"
    )
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
        rows = []
        if figures_file.exists():
            rows = [json.loads(line) for line in figures_file.read_text("utf-8").splitlines()]
    tail = [line for line in run.stdout.splitlines() if line.strip()][-1:]
    if run.returncode != 0:
        sys.stdout.write(run.stdout[-6000:])
        sys.stderr.write(run.stderr[-2000:])
        sys.stderr.write(
            f"reliability: the battery failed ({tail[0] if tail else 'no summary'}); "
            "no figures are reported from a failing battery\n"
        )
        return run.returncode
    out = [
        f"hrtrust reliability battery ({'full' if args.full else 'quick'}): "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {'root' if os.geteuid() == 0 else 'not root'}",
        *summarise(merge(rows)),
        f"pytest:         {tail[0] if tail else '(no summary)'} ({took:.0f} s in all)",
    ]
    print("\n".join(out))
    if args.write:
        text = DOC.read_text(encoding="utf-8")
        head, _, rest = text.partition(DOC_MARK)
        _, _, after = rest.partition("```\n")
        if not rest:
            sys.stderr.write(f"reliability: {DOC} has no figures block to replace\n")
            return 1
        DOC.write_text(head + DOC_MARK + "\n".join(out) + "\n```\n" + after, encoding="utf-8")
        print(f"wrote the figures into {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
