"""The interaction log: building an entry from what was typed, numbering it, finding it again,
moving it to another day, and filtering entries. Pure functions of documents: the CLI reads
and saves the month files (``storage``), this module decides what goes in them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from hrtrust.domain import promises as promise_ops
from hrtrust.domain.contacts import fold, resolve_whole
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import _
from hrtrust.models import (
    Contact,
    Fact,
    Interaction,
    LogFile,
    Promise,
    PromisesFile,
    entry_sort_key,
    highest_entry_number,
)

# Adds a new entry to its month's log: ``add(entry, number)`` gives the entry its id with
# ``number`` (called with a log holding at least the month's entries of the entry's day, and the
# numbers it issued; it may refuse the entry, raising) and puts it in the month. The CLI's is
# ``Transaction.add_entry`` for the month file, which may append it without reading the month.
AddEntry = Callable[[Interaction, Callable[[LogFile], str]], object]


def next_entry_id(log: LogFile, day: dt.date) -> str:
    """``2026-11-23.3``: the day, then the next number within that day. A number once given
    out is never given again, even after its entry was deleted or moved (``issued``). ``log``
    needs to hold only the entries of ``day`` (and ``issued``)."""
    number = highest_entry_number((e.id for e in log.entry), day.isoformat(), log.issued) + 1
    return f"{day.isoformat()}.{number}"


def retire_id(log: LogFile, entry: Interaction) -> None:
    """Remember the highest number given out on the entry's day before it leaves this log."""
    day, _dot, seq = entry.id.rpartition(".")
    if seq.isdigit():
        log.issued[day] = max(log.issued.get(day, 0), int(seq))


def delete_entry(log: LogFile, entry_id: str) -> Interaction:
    """Take an entry out of its month's log; its id is never given to another entry."""
    entry = find_entry(log, entry_id)
    log.entry.remove(entry)
    retire_id(log, entry)
    return entry


def new_entry(
    *,
    people: Sequence[Contact],
    kind: str,
    depts: Sequence[str],
    day: dt.date,
    note: str | None,
    activity: str | None,
    learned: Sequence[str] = (),
    keep: bool = False,
) -> Interaction:
    """The entry for a touchpoint, not yet numbered (its id is given when it is added). With
    no department named, the one all its people share. ``keep`` pins its note and facts:
    retention never purges them."""
    shared = shared_dept(people)
    return Interaction(
        id="new",
        date=day,
        kind=kind,
        with_=[p.id for p in people],
        depts=list(dict.fromkeys(depts)) or ([shared] if shared else []),
        activity=activity,
        note=note.strip() if note else None,
        learned=list(learned),
        keep=keep,
    )


def number_new(log: LogFile, entry: Interaction, *, again: bool = False) -> str:
    """Give a new entry its id in ``log``, refusing the same thing logged twice that day
    unless ``again``. ``log`` needs to hold only the entries of the entry's day (and
    ``issued``): ``log`` appends with just those."""
    if not again:
        twin = duplicate_of(log, entry)
        if twin is not None:
            raise UsageError(
                _("already logged as {id}; --again to log another").format(id=twin.id),
                hint=_("see it with `hrtrust log list --since {day}`").format(day=entry.date),
            )
    entry.id = next_entry_id(log, entry.date)
    return entry.id


def add_entry(log: LogFile, entry: Interaction) -> Interaction:
    """Append ``entry`` to its month's log, giving it an id."""
    entry.id = next_entry_id(log, entry.date)
    log.entry.append(entry)
    log.entry.sort(key=entry_sort_key)
    return entry


def entry_day(entry_id: str) -> dt.date:
    """The day an entry id like ``2026-11-23.2`` names (its month file holds the entry)."""
    day_text = entry_id.partition(".")[0]
    try:
        return dt.date.fromisoformat(day_text)
    except ValueError:
        raise UsageError(
            _("{id!r} is not a log entry id").format(id=entry_id),
            hint=_("ids look like 2026-11-23.2; see `log list`"),
        ) from None


def find_entry(log: LogFile, entry_id: str) -> Interaction:
    """The entry with this id in its month's log."""
    for e in log.entry:
        if e.id == entry_id:
            return e
    raise NotFoundError(
        _("no log entry {id}").format(id=entry_id), hint=_("see `hrtrust log list`")
    )


def move_entry(
    old_log: LogFile, new_log: LogFile, entry: Interaction, day: dt.date, promises: PromisesFile
) -> Interaction:
    """Move an entry to another day: it gets that day's next id, and the promises made there
    follow it (their ``source`` names the new id). The two logs may be the same document."""
    old_id = entry.id
    old_log.entry.remove(entry)
    retire_id(old_log, entry)
    entry.date = day
    add_entry(new_log, entry)
    for p in promises.promise:
        if p.source == old_id:
            p.source = entry.id
    return entry


def split_ref(text: str, people: Sequence[Contact], what: str) -> tuple[Contact | None, str]:
    """``"Maria: loves hiking"`` → (Maria, "loves hiking"); one person present → them.

    The name before the colon is looked up among the people in the entry only, and only as a
    whole name: their id, full name, given or family name (or a CJK given name). ``"OK: will
    send it"`` with Maria and David Okafor stays text, never a promise to Okafor.
    """
    head, sep, rest = text.partition(":")
    if sep and head.strip() and rest.strip() and people:
        try:
            return resolve_whole(head.strip(), people), rest.strip()
        except (NotFoundError, UsageError):
            pass  # not a whole name of anyone there: the colon is part of the text
    if len(people) == 1 or (people and what == "promise"):
        return people[0], text.strip()  # a promise made to a group is owed to who came first
    if not people:
        return None, text.strip()
    raise UsageError(
        _("with several people, say whose {what} it is").format(what=what),
        hint=_("prefix it with a name: --{what} {example}").format(
            what=what, example=f'"{people[0].name}: {text.strip()}"'
        ),
    )


def record(
    *,
    add: AddEntry,
    promises: PromisesFile | None,
    people: Sequence[Contact],
    kind: str,
    depts: Sequence[str],
    day: dt.date,
    note: str | None,
    learned: Sequence[str],
    owed: Sequence[tuple[str, dt.date]],
    activity: str | None,
    today: dt.date,
    keep: bool = False,
    again: bool = False,
) -> tuple[Interaction, list[Promise]]:
    """Log a touchpoint: the entry in its month's log (through ``add``), each promise made
    there, and each fact learned added to the person it is about (validated before anything
    changes). ``promises`` is needed only when promises were made (``owed``).

    The same kind with the same people (or departments) on the same day twice, or a second
    entry for a planned activity's occurrence, is refused unless ``again``."""
    facts = [split_ref(t, people, "learned") for t in learned]
    made_to = [(split_ref(t, people, "promise"), d) for t, d in owed]
    entry = new_entry(
        people=people,
        kind=kind,
        depts=depts,
        day=day,
        note=note,
        activity=activity,
        learned=[text for _, text in facts],
        keep=keep,
    )
    entry_depts = entry.depts
    if made_to and promises is None:
        raise ValueError("promises made need the promises document")
    add(entry, lambda log: number_new(log, entry, again=again))
    made = [
        promise_ops.make(
            promises,
            text=text,
            direction="owe",
            person=person.id if person else None,
            dept=None if person else (entry_depts[0] if len(entry_depts) == 1 else None),
            due=due_day,
            today=today,
            source=entry.id,
        )
        for (person, text), due_day in made_to
        if promises is not None  # always, with promises made
    ]
    entry.promises = [p.id for p in made]
    for person, text in facts:
        if person is not None:
            person.learned.append(Fact(date=day, text=text, keep=keep))
    return entry, made


def pin(entry: Interaction, contacts: Sequence[Contact], keep: bool) -> int:
    """Pin (or unpin) an entry and the facts learned that day about the people in it, so
    retention keeps (or may purge) them. Returns how many contact facts changed."""
    entry.keep = keep
    changed = 0
    for c in contacts:
        if c.id not in entry.with_:
            continue
        for fact in c.learned:
            if fact.date == entry.date and fact.keep != keep:
                fact.keep = keep
                changed += 1
    return changed


def matching(
    entries: Iterable[Interaction],
    *,
    person: str | None = None,
    text: str | None = None,
    kind: str | None = None,
) -> list[Interaction]:
    """Entries matching every given filter, newest first."""
    needle = fold(text) if text else None
    out = []
    for e in entries:
        if person and person not in e.with_:
            continue
        if kind and e.kind != kind:
            continue
        if needle and needle not in fold(" ".join([e.note or "", *e.learned, e.kind])):
            continue
        out.append(e)
    out.reverse()
    return out


def duplicate_of(log: LogFile, entry: Interaction) -> Interaction | None:
    """An entry already in the log for the same thing: the same kind with the same people (or,
    with nobody named, the same departments) on the same day, or the same occurrence of a
    planned activity (an occurrence is attended once)."""
    for e in log.entry:
        if e.date != entry.date:
            continue
        if entry.activity and e.activity == entry.activity:
            return e
        if e.kind != entry.kind or set(e.with_) != set(entry.with_):
            continue
        if entry.with_ or set(e.depts) == set(entry.depts):
            return e
    return None


def shared_dept(people: Sequence[Contact]) -> str | None:
    """The department all these people share, if they share one."""
    depts = {p.dept for p in people}
    return depts.pop() if len(depts) == 1 else None
