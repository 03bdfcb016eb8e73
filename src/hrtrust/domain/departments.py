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
- Departments are *one registry* (config ``[[department]]``). A name typed anywhere (``--dept``,
  a CSV cell, a JSON restore) is matched to it ignoring case, accents and spacing
  (:func:`dept_key`); a near miss is an error with a did-you-mean; a genuinely new name is
  added (:func:`resolve_department`). *Internal* departments (``client = false``: HR's own,
  and those of HR's peers) are never client departments.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from hrtrust.domain.contacts import fold
from hrtrust.domain.dates import cadence_days
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import N_, _
from hrtrust.models import (
    ActivitiesFile,
    Activity,
    Config,
    Contact,
    ContactsFile,
    Department,
    Feedback,
    FeedbackFile,
    LogFile,
    Promise,
    PromisesFile,
    Pulse,
    Touched,
    Touches,
)


def client_departments(config: Config, contacts: Sequence[Contact]) -> list[Department]:
    """The departments HR serves, sorted by name (case and width ignored). With no registry
    (a data home from before it), the departments of the contacts who are not archived."""
    if config.department:
        depts = [d for d in config.department if d.client]
    else:
        depts = [
            Department(name=n) for n in {c.dept for c in contacts if c.dept and not c.archived}
        ]
    return sorted(depts, key=lambda d: (fold(d.name), d.name))


def non_client_names(config: Config) -> set[str]:
    """Departments configured as HR's own or otherwise not served (``client = false``)."""
    return {d.name for d in config.department if not d.client}


def touched_depts(entry: Touched, dept_of: Mapping[str, str | None]) -> list[str]:
    """The departments a log entry touches: its own (one or several), then those of the people
    in it (each once, in that order)."""
    depts = list(entry.depts)
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


def gone_quiet(
    dept: Department, last: dt.date | None, today: dt.date, members: Sequence[Contact] = ()
) -> bool:
    """Never touched, or last touched longer ago than the department's window. A department
    new to you (registered, and everyone in it added, within its window) has the grace new
    contacts have: not quiet on its first day."""
    since = days_quiet(last, today)
    if since is None:
        start = started(dept, members)
        return start is None or (today - start).days > cadence_days(dept.window)
    return since > cadence_days(dept.window)


def started(dept: Department, members: Sequence[Contact]) -> dt.date | None:
    """When the department became yours: the day it was registered or its first person was
    added, whichever is earlier; None when that is not known (data from before either date
    was kept: an old department, with no grace)."""
    days = [c.added for c in members]
    if dept.added is None and not days:
        return None
    if any(d is None for d in days):
        return None
    known = [d for d in [dept.added, *days] if d is not None]
    return min(known) if known else None


def by_department(
    contacts: Iterable[Contact], today: dt.date | None = None
) -> dict[str | None, list[Contact]]:
    """The contacts in each department, in file order: archived people (who left) are not;
    with ``today``, the people as they were that day (added by then, not archived by then)."""
    out: dict[str | None, list[Contact]] = {}
    for c in contacts:
        if c.archived is None if today is None else c.present(today):
            out.setdefault(c.dept, []).append(c)
    return out


# -- the registry ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # pure, and asked for the same few names again and again
def dept_key(name: str) -> str:
    """A department name for matching: case, accents, full-width forms and spacing ignored
    (``taichung  OFFICE`` and ``Taichung Office`` are one; so are ``Ventes`` and ``véntes``)."""
    decomposed = unicodedata.normalize("NFKD", fold(name))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def known_departments(config: Config, contacts: Sequence[Contact] = ()) -> list[str]:
    """Every department name in use: the registry first, then any only a contact names (a data
    home from before the registry, or a hand edit)."""
    names = [d.name for d in config.department]
    keys = {dept_key(n) for n in names}
    for c in contacts:
        if c.dept and dept_key(c.dept) not in keys:
            names.append(c.dept)
            keys.add(dept_key(c.dept))
    return names


def find_department(text: str, config: Config, contacts: Sequence[Contact] = ()) -> str | None:
    """The known department ``text`` names (case, accents and spacing ignored), else None."""
    key = dept_key(text)
    return next((n for n in known_departments(config, contacts) if dept_key(n) == key), None)


def near_departments(text: str, names: Sequence[str]) -> list[str]:
    """Known names ``text`` is probably a typo or a fragment of, best first."""
    key = dept_key(text)
    digits = _digits(key)
    # "Plant 2" beside "Plant 1" is another department, not a typo: numbers must agree
    keyed = {k: n for n in names if _digits(k := dept_key(n)) == digits}
    close = difflib.get_close_matches(key, list(keyed), n=3, cutoff=0.75)
    prefix = [n for k, n in keyed.items() if len(key) >= 3 and (k.startswith(key) or key in k)]
    return list(dict.fromkeys([keyed[k] for k in close] + prefix))[:3]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class DeptMatch(NamedTuple):
    """A typed department name resolved against the registry."""

    name: str
    created: Department | None  # the department added to the registry, if it was new


def resolve_department(
    config: Config,
    text: str,
    contacts: Sequence[Contact] = (),
    *,
    create: bool = True,
    internal: bool = False,
) -> DeptMatch:
    """The department ``text`` names; with ``create``, a genuinely new name is added to the
    registry (``config``), internal or a client department.

    A name close to a known one (``Taichung Ofice``) is refused with a did-you-mean, so a typo
    never makes a second department beside the real one.
    """
    name = " ".join(text.split())
    if not name:
        raise UsageError(_("the department name is empty"))
    found = find_department(name, config, contacts)
    if found is not None:
        if not create or any(d.name == found for d in config.department):
            return DeptMatch(found, None)
        _start_registry(config, contacts)
        if any(d.name == found for d in config.department):
            return DeptMatch(found, None)
        dept = Department(name=found, client=not internal)  # named by contacts only so far
        config.department.append(dept)
        return DeptMatch(found, dept)
    known = known_departments(config, contacts)
    near = near_departments(name, known)
    if near:
        raise UsageError(
            _("unknown department {name!r}").format(name=name),
            hint=_("did you mean {names}? (a new one: hrtrust dept add {name!r})").format(
                names=_(" or ").join(near), name=name
            ),
        )
    if not create:
        listed = _(", ").join(known) if known else _("none yet")
        raise NotFoundError(
            _("no department {name!r}").format(name=name),
            hint=_("known departments: {names} (see `dept list`)").format(names=listed),
        )
    _start_registry(config, contacts)
    dept = Department(name=name, client=not internal)
    config.department.append(dept)
    return DeptMatch(name, dept)


def _start_registry(config: Config, contacts: Sequence[Contact]) -> None:
    """Before the first department is registered, the ones the contacts already name join the
    registry, so they stay client departments (a data home from before the registry)."""
    if not config.department:
        config.department = [Department(name=n) for n in known_departments(config, contacts)]


def add_department(
    config: Config,
    name: str,
    contacts: Sequence[Contact] = (),
    *,
    internal: bool | None = None,
    headcount: int | None = None,
    window: str | None = None,
    today: dt.date | None = None,
) -> tuple[Department, bool]:
    """``dept add``: register a department, or change one already registered. Returns it and
    whether it is new."""
    if headcount is not None and headcount < 1:
        raise UsageError(
            _("--headcount {n}: give the number of people, 1 or more").format(n=headcount)
        )
    match = resolve_department(config, name, contacts, internal=bool(internal))
    _start_registry(config, contacts)
    dept = next((d for d in config.department if d.name == match.name), None)
    if dept is None:  # named by contacts only (a hand edit): register it now
        dept = Department(name=match.name)
        config.department.append(dept)
    if internal is not None:
        dept.client = not internal
    if headcount is not None:
        dept.headcount = headcount
    if window is not None:
        dept.window = window
    if match.created is not None and today is not None:
        dept.added = today
    return dept, match.created is not None


class DeptRow(NamedTuple):
    """A department for `dept list`."""

    name: str
    client: bool
    headcount: int | None
    window: str
    people: int  # contacts there (archived ones not counted)
    registered: bool  # False: only a contact names it (a data home from before the registry)


def department_rows(config: Config, contacts: Sequence[Contact]) -> list[DeptRow]:
    """Every department, client ones first, then by name."""
    registered = {d.name for d in config.department}
    clients = {d.name for d in client_departments(config, contacts)}
    depts = {d.name: d for d in config.department}
    rows = []
    members = by_department(contacts)
    for name in known_departments(config, contacts):
        d = depts.get(name) or Department.model_construct(name=name, client=name in clients)
        rows.append(
            DeptRow(
                name=name,
                client=d.client and (name in clients or name in registered),
                headcount=d.headcount,
                window=d.window,
                people=len(members.get(name, ())),
                registered=name in registered,
            )
        )
    rows.sort(key=lambda r: (not r.client, fold(r.name), r.name))
    return rows


@dataclass
class Documents:
    """Every file that can name a department (log months included): what ``dept rename`` and
    ``dept remove`` look through."""

    config: Config
    contacts: ContactsFile
    activities: ActivitiesFile
    promises: PromisesFile
    feedback: FeedbackFile
    logs: Sequence[LogFile]


def uses(docs: Documents, name: str) -> dict[str, int]:
    """Where a department is named: counts by kind of record (only the non-zero ones)."""
    key = dept_key(name)

    def named(value: str | None) -> bool:
        return value is not None and dept_key(value) == key

    counts = {
        "contacts": sum(named(c.dept) for c in docs.contacts.contact),
        "activities": sum(named(a.dept) for a in docs.activities.activity),
        "promises": sum(named(p.dept) for p in docs.promises.promise),
        "feedback": sum(named(f.dept) for f in docs.feedback.feedback),
        "pulse results": sum(named(p.dept) for p in docs.feedback.pulse),
        "log entries": sum(any(named(d) for d in e.depts) for log in docs.logs for e in log.entry),
    }
    return {k: v for k, v in counts.items() if v}


# How remove_department says what still names a department, by the keys of :func:`uses`.
USE_COUNTS = {
    "contacts": N_("{n} contacts"),
    "activities": N_("{n} activities"),
    "promises": N_("{n} promises"),
    "feedback": N_("{n} feedback"),
    "pulse results": N_("{n} pulse results"),
    "log entries": N_("{n} log entries"),
}


def rename_department(docs: Documents, old: str, new: str) -> tuple[str, int]:
    """Rename a department everywhere it is named (registry, contacts, activities, promises,
    feedback, pulses, log entries). Returns the old name as registered and the records changed.

    Renaming onto another known department merges the two (the old entry leaves the registry).
    """
    name = find_department(old, docs.config, docs.contacts.contact)
    if name is None:
        resolve_department(docs.config, old, docs.contacts.contact, create=False)
        raise AssertionError  # resolve_department raised
    target = " ".join(new.split())
    if not target:
        raise UsageError(_("the new department name is empty"))
    key = dept_key(name)
    other = find_department(target, docs.config)
    if other is not None and dept_key(other) != key:
        target = other  # merge into the department already registered
        docs.config.department = [d for d in docs.config.department if dept_key(d.name) != key]
    else:
        for d in docs.config.department:
            if dept_key(d.name) == key:
                d.name = target
    changed = 0
    records: list[Contact | Activity | Promise | Feedback | Pulse] = [
        *docs.contacts.contact,
        *docs.activities.activity,
        *docs.promises.promise,
        *docs.feedback.feedback,
        *docs.feedback.pulse,
    ]
    for r in records:
        value = getattr(r, "dept", None)
        if value is not None and dept_key(value) == key and value != target:
            r.dept = target
            changed += 1
    for log in docs.logs:
        for e in log.entry:
            if any(dept_key(d) == key and d != target for d in e.depts):
                e.depts = list(dict.fromkeys(target if dept_key(d) == key else d for d in e.depts))
                changed += 1
    return name, changed


def remove_department(docs: Documents, name: str) -> Department:
    """Take a department out of the registry; refused while anything still names it."""
    found = find_department(name, docs.config)
    if found is None:
        resolve_department(docs.config, name, create=False)
        raise AssertionError  # resolve_department raised
    used = uses(docs, found)
    if used:
        listed = _(", ").join(_(USE_COUNTS[what]).format(n=n) for what, n in used.items())
        raise UsageError(
            _("{name} is still in use ({uses})").format(name=found, uses=listed),
            hint=_("move them first, or merge it: hrtrust dept rename {name!r} OTHER").format(
                name=found
            ),
        )
    dept = next(d for d in docs.config.department if d.name == found)
    docs.config.department.remove(dept)
    return dept


def match_references(docs: Documents) -> list[str]:
    """Match every department a set of documents names (an import) to their registry, as a
    typed ``--dept`` is: the registered spelling replaces another case or accent, a near miss is
    an error, a new name is registered. Returns the names registered."""
    _start_registry(docs.config, docs.contacts.contact)
    added: list[str] = []

    def canonical(value: str | None) -> str | None:
        if value is None or not value.strip():
            return value
        match = resolve_department(docs.config, value)  # against the registry only
        if match.created is not None:
            added.append(match.name)
        return match.name

    named: list[Contact | Activity | Promise | Feedback] = [
        *docs.contacts.contact,
        *docs.activities.activity,
        *docs.promises.promise,
        *docs.feedback.feedback,
    ]
    for r in named:
        r.dept = canonical(r.dept)
    for pulse in docs.feedback.pulse:
        pulse.dept = canonical(pulse.dept) or pulse.dept
    for log in docs.logs:
        for e in log.entry:
            e.depts = list(dict.fromkeys(canonical(d) or d for d in e.depts))
    return added


def case_twins(names: Iterable[str]) -> list[list[str]]:
    """Groups of department names that differ only by case, accents or spacing."""
    groups: dict[str, list[str]] = {}
    for n in names:
        bucket = groups.setdefault(dept_key(n), [])
        if n not in bucket:
            bucket.append(n)
    return [sorted(g) for g in groups.values() if len(g) > 1]
