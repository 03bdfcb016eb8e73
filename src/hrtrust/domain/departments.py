"""Departments: which ones HR serves, which an entry touches, and when one has gone quiet.

One definition of each, used by the plan, the digest and every report:

- The *client departments* are config ``[[department]]`` entries with ``client = true``; with
  none configured, the departments the contacts belong to. Sorted by name, ignoring case.
- A log entry *touches* its own ``dept`` and the department of everyone it was with; an
  entry counts once per department however many people it had.
- A department's *last touch* is the latest day on or before today that an entry named it or
  anyone in it was touched (the touch index is built as of today, so the future never counts).
- A department has *gone quiet* when it was never touched, or its last touch is more than its
  window (config ``window``, 30 days by default) ago.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from hrtrust.domain.contacts import fold
from hrtrust.domain.dates import cadence_days
from hrtrust.models import Config, Contact, Department, Interaction, Touches


def client_departments(config: Config, contacts: Sequence[Contact]) -> list[Department]:
    """The departments HR serves, sorted by name (case and width ignored)."""
    if config.department:
        depts = [d for d in config.department if d.client]
    else:
        depts = [Department(name=n) for n in {c.dept for c in contacts if c.dept}]
    return sorted(depts, key=lambda d: (fold(d.name), d.name))


def non_client_names(config: Config) -> set[str]:
    """Departments configured as HR's own or otherwise not served (``client = false``)."""
    return {d.name for d in config.department if not d.client}


def touched_depts(entry: Interaction, dept_of: Mapping[str, str | None]) -> list[str]:
    """The departments a log entry touches: its own, then those of the people in it (each once,
    in that order)."""
    depts = [entry.dept] if entry.dept else []
    depts += [d for w in entry.with_ if (d := dept_of.get(w))]
    return list(dict.fromkeys(depts))


def last_touch(dept: str, members: Iterable[Contact], touches: Touches) -> dt.date | None:
    """A department's last touch: an entry for it, or a touch of anyone in it."""
    days = [touches.depts[dept]] if dept in touches.depts else []
    days += [touches.people[c.id] for c in members if c.id in touches.people]
    return max(days) if days else None


def days_quiet(last: dt.date | None, today: dt.date) -> int | None:
    """Days since the last touch (None: never touched)."""
    return (today - last).days if last is not None else None


def gone_quiet(dept: Department, last: dt.date | None, today: dt.date) -> bool:
    """Never touched, or last touched longer ago than the department's window."""
    since = days_quiet(last, today)
    return since is None or since > cadence_days(dept.window)


def members_of(dept: str, contacts: Iterable[Contact]) -> list[Contact]:
    """The contacts in a department."""
    return [c for c in contacts if c.dept == dept]
