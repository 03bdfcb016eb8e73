"""A digest is read in a few minutes: long lists (touchpoints, promises, overdue) show their
first rows and say how many more there are and where to see them; JSON keeps everything."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Cli

MON = dt.date(2026, 11, 23)
LAST_WEEK = dt.date(2026, 11, 16)


def ok(cli: Cli, *args: str, today: dt.date = MON) -> str:
    result = cli(*args, today=today)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def test_long_lists_are_capped_with_a_pointer_to_the_rest(cli: Cli, empty: Path) -> None:
    day0 = dt.date(2026, 11, 1)
    for n in range(40):
        ok(cli, "contact", "add", f"Person {n:02d}", "--dept", "Sales", today=day0)
    for n in range(40):  # forty touchpoints and forty promises last week, all due Friday
        day = LAST_WEEK + dt.timedelta(days=n % 5)
        ok(cli, "log", "check-in", "--with", f"Person {n:02d}", "--date", day.isoformat(),
           "--promise", f"send the note {n:02d}", "--due", "2026-11-20", today=day)  # fmt: skip
    text = ok(cli, "digest", "--week", "2026-W48")
    lines = text.splitlines()
    logged = lines[lines.index("Touchpoints logged") + 1 :]
    assert sum(" Check-in with Person " in line for line in logged) == 30
    assert "and 10 more — see `hrtrust log list --since 2026-11-16`" in text
    overdue = lines[lines.index("Overdue: do these first") + 1 :]
    assert sum("send the note" in line for line in overdue[:12]) == 10
    assert "and 30 more — see `hrtrust overdue`" in text
    data = json.loads(ok(cli, "digest", "--week", "2026-W48", "--format", "json"))
    assert len(data["review"]["touchpoints"]["entries"]) == 40  # JSON keeps every one
