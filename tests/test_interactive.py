"""On a terminal, `hrtrust log` asks for what is missing; the installed command, on a real pty."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from conftest import Cli

HRTRUST = str(Path(sys.executable).parent / "hrtrust")


def run_on_pty(args: list[str], answers: list[tuple[str, str]], env: dict[str, str]) -> str:
    """Run a command on a pseudo-terminal, answering each prompt as it appears."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = b""
    pending = list(answers)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if pending and pending[0][0].encode() in seen.split(b"\n")[-1]:
            os.write(master, (pending.pop(0)[1] + "\n").encode())
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=10)
    os.close(master)
    assert proc.returncode == 0, seen.decode(errors="replace")
    return seen.decode(errors="replace")


def test_log_prompts_for_people_and_due_dates_on_a_terminal(cli: Cli, empty: Path) -> None:
    cli("contact", "add", "Maria Chen", "--dept", "Engineering")
    env = {**os.environ, "HRTRUST_HOME": str(empty), "TERM": "xterm"}
    out = run_on_pty(
        [HRTRUST, "--today", "2026-11-23", "log", "coffee-chat", "--promise", "send the guide"],
        [("With whom?", "maria"), ("Due date for 'send the guide'", "fri")],
        env,
    )
    assert "Logged coffee-chat with Maria Chen on Mon Nov 23" in out
    promises = tomllib.loads((empty / "promises.toml").read_text(encoding="utf-8"))["promise"]
    assert [(p["text"], str(p["due"]), p["person"]) for p in promises] == [
        ("send the guide", "2026-11-27", "c1")
    ]
