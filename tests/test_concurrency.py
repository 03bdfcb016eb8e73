"""Concurrency: several `hrtrust log` processes at once while others read in a loop.

Every logged entry must be present exactly once (ids unique, count exact), every promise made
with it too, and no reader may fail or see half a file. The real installed console script runs
in separate processes, as cron and a person at a terminal would.

``HRTRUST_RELIABILITY=full`` runs 4 writers × 25 logs; the default is 4 × 4 for CI.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from conftest import TODAY, Cli, record
from hrtrust.storage.store import Store

FULL = os.environ.get("HRTRUST_RELIABILITY") == "full"
WRITERS = 4
LOGS_EACH = int(os.environ.get("HRTRUST_CONCURRENT_LOGS", "25" if FULL else "4"))
HRTRUST = str(Path(sys.executable).parent / "hrtrust")
PEOPLE = ["Ana Ruiz", "Ben Ito", "Chloe Wu", "Dev Patel"]


def hrtrust(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [HRTRUST, "--today", TODAY.isoformat(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HRTRUST_HOME": str(home)},
        timeout=60,
    )


def test_concurrent_logs_lose_nothing_and_readers_never_fail(cli: Cli, empty: Path) -> None:
    for i, name in enumerate(PEOPLE):
        assert cli("contact", "add", name, "--dept", f"Dept {i}", "--every", "2w").exit_code == 0
    failures: list[str] = []
    reads = Counter[str]()
    done = threading.Event()

    def writer(w: int) -> None:
        for j in range(LOGS_EACH):
            args = ["log", "check-in", "--with", PEOPLE[w].split()[0], "--again"]
            args += ["--note", f"w{w}-n{j}"]
            if j % 2 == 0:
                args += ["--promise", f"follow up w{w}-n{j}", "--due", "fri"]
            result = hrtrust(empty, *args)
            if result.returncode != 0:
                failures.append(f"writer {w} log {j}: {result.returncode} {result.stderr}")

    def reader() -> None:
        commands = [["plan", "week", "--json"], ["overdue", "--json"], ["log", "list", "--json"]]
        i = 0
        while not done.is_set():
            args = commands[i % len(commands)]
            i += 1
            result = hrtrust(empty, *args)
            if result.returncode != 0:
                failures.append(f"reader {' '.join(args)}: {result.returncode} {result.stderr}")
                continue
            try:
                json.loads(result.stdout)
            except ValueError:
                failures.append(f"reader {' '.join(args)}: not JSON")
            reads[args[0]] += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    read_thread = threading.Thread(target=reader)
    read_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    read_thread.join()

    assert failures == []
    store = Store(empty)
    entries = list(store.iter_log())
    notes = Counter(e.note for e in entries)
    expected = {f"w{w}-n{j}" for w in range(WRITERS) for j in range(LOGS_EACH)}
    assert set(notes) == expected
    assert all(n == 1 for n in notes.values())  # nothing duplicated
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids)) == WRITERS * LOGS_EACH
    assert sorted(ids, key=lambda i: int(i.rpartition(".")[2])) == [
        f"{TODAY.isoformat()}.{n}" for n in range(1, WRITERS * LOGS_EACH + 1)
    ]
    promises = store.promises().promise
    made = Counter(p.text for p in promises)
    assert set(made) == {
        f"follow up w{w}-n{j}" for w in range(WRITERS) for j in range(0, LOGS_EACH, 2)
    }
    assert all(n == 1 for n in made.values())
    by_id = {p.id: p for p in promises}
    for e in entries:  # each entry points at its own promise, and the promise back at it
        for pid in e.promises:
            assert by_id[pid].source == e.id
            assert by_id[pid].text == f"follow up {e.note}"
    assert len({p.id for p in promises}) == len(promises)
    assert sum(reads.values()) >= 3
    record(
        "concurrency",
        writers=WRITERS,
        logs=WRITERS * LOGS_EACH,
        promises=len(promises),
        lost=0,
        duplicated=0,
        reads=sum(reads.values()),
        reader_errors=0,
    )
