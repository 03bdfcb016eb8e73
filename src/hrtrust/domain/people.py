"""Everyone in ``contacts.toml`` as a plan asks about them, without decoding each person.

A plan looks at ten thousand people to show a dozen: who has lapsed, whose birthday falls
this week, who had a roster moment, which departments have gone quiet. :class:`People` holds
what those questions need (a column per field they read, and the few lists a week asks
about) and decodes a person only when the answer names them. Storage keeps it in ``.cache/``,
keyed on ``contacts.toml``'s stamp (``storage/people.py``); it is built from the contacts
themselves by :func:`index_people`, and nothing here reads a file.

Each function gives exactly what its reference in :mod:`hrtrust.domain.planning` gives over
every ``Contact`` (``tests/test_people.py`` holds them to it on random homes): the index
either narrows whom the reference looks at (birthdays, moments, introductions, topics) or
does the reference's arithmetic on the columns (the lapse scan, a department's coverage).
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import operator
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar, overload

from hrtrust.domain.contacts import fold
from hrtrust.domain.departments import client_departments
from hrtrust.domain.lapsed import ByValue
from hrtrust.domain.shifts import shift_counts
from hrtrust.models import ALLY, MANAGER, NEW_HIRE, Config, Contact, Department

T = TypeVar("T")
FORMAT = 5  # the layout of :class:`People`'s columns, as kept


@dataclass(frozen=True)
class People:
    """Everyone in the file, by position (file order): the columns a plan reads, and where
    to look for this week's occasions. ``decode(i)`` is the whole person at position ``i``."""

    ids: Sequence[str]
    names: Sequence[str]
    name_keys: Sequence[str]  # fold(name): how lists of people are ordered
    tags: Sequence[Sequence[str]]
    depts: Sequence[str | None]
    shifts: Sequence[str | None]
    added: Sequence[int]  # ordinal; 0: not known
    archived: Sequence[int]  # ordinal; 0: not archived
    # (own cadence, tags, the usual people of that kind and their ids): not archived, not
    # paused, not a new hire with a hire date. Everyone else is ``special``: (position, own
    # cadence, hired, paused until, paused on), the days as ordinals (0: none), due as
    # :func:`next_due` has it.
    kinds: Sequence[tuple[str | None, Sequence[str], Sequence[int]]]
    special: Sequence[tuple[int, str | None, int, int, int]]
    birthdays: Mapping[str, Sequence[int]]  # "MM-DD" -> people not archived
    anniversaries: Mapping[str, Sequence[int]]  # the hire day's "MM-DD" -> people not archived
    moments: Sequence[int]  # people with a roster moment
    topics: Sequence[int]  # people with a topic
    newcomers: Sequence[tuple[int, int]]  # (added, position) of allies and managers, by added
    by_dept: Mapping[str, Sequence[int]]  # a department's people (archived too)
    # a department's (latest added, anyone archived, ids, allies, people by shift): what its
    # coverage reads on a day everyone in it is there (added by then, nobody archived)
    dept_info: Mapping[str, tuple[int, bool, Sequence[int], Any]]
    decode: Callable[[int], Contact]

    def __len__(self) -> int:
        return len(self.ids)

    def contacts(self, where: Sequence[int]) -> list[Contact]:
        return [self.decode(i) for i in where]

    def ids_of(self, where: Sequence[int]) -> Sequence[str]:
        """The ids of the people at these positions (picked at C speed)."""
        return pick(self.ids, where)

    def names_by_id(self) -> Mapping[str, str]:
        """Each person's name by id, looked up when asked (a view shows a few)."""
        return _NamesById(self)

    @cached_property
    def position(self) -> dict[str, int]:
        """Where each person is, by id (made once, when first asked, at C speed)."""
        return dict(zip(self.ids, range(len(self.ids)), strict=True))


class _NamesById(Mapping[str, str]):
    def __init__(self, people: People) -> None:
        self.people = people

    def __getitem__(self, cid: str) -> str:
        return self.people.names[self.people.position[cid]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.people.ids)

    def __len__(self) -> int:
        return len(self.people.ids)


class Chosen(ByValue, Sequence[Contact]):
    """Some people of a :class:`People`, by position, decoded when read: a count of them
    costs nothing. Equal to any sequence of the same contacts."""

    def __init__(
        self, people: People, where: Sequence[int], order: Callable[[int], Any] | None = None
    ) -> None:
        self.people = people
        self._where = where
        self._order = order  # sorted by it when first read: a count of them needs no order

    @property
    def where(self) -> Sequence[int]:
        if self._order is not None:
            self._where, self._order = sorted(self._where, key=self._order), None
        return self._where

    def __len__(self) -> int:
        return len(self._where)

    @overload
    def __getitem__(self, i: int) -> Contact: ...
    @overload
    def __getitem__(self, i: slice) -> list[Contact]: ...
    def __getitem__(self, i: int | slice) -> Contact | list[Contact]:
        if isinstance(i, slice):
            return self.people.contacts(self.where[i])
        return self.people.decode(self.where[i])

    def __repr__(self) -> str:
        return f"Chosen({[self.people.ids[i] for i in self.where]!r})"


def pick(values: Sequence[T], where: Sequence[int]) -> Sequence[T]:
    """``[values[i] for i in where]``, at C speed."""
    if len(where) > 1:
        return operator.itemgetter(*where)(values)  # type: ignore[no-any-return]
    return [values[i] for i in where]


def _day_key(month: int, day: int) -> str:
    return f"{month:02d}-{day:02d}"


def _ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day else 0


def index_people(contacts: Sequence[Contact]) -> dict[str, Any]:
    """The columns and lists of :class:`People` for ``contacts``, as plain values (what
    storage keeps; :func:`people_from` makes them a :class:`People` again)."""
    kinds: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}
    special: list[tuple[int, str | None, int, int, int]] = []
    birthdays: dict[str, list[int]] = {}
    anniversaries: dict[str, list[int]] = {}
    moments: list[int] = []
    topics: list[int] = []
    newcomers: list[tuple[int, int]] = []
    by_dept: dict[str, list[int]] = {}
    for i, c in enumerate(contacts):
        usual = (
            c.archived is None
            and c.paused_until is None
            and not (c.hired is not None and NEW_HIRE in c.tags)
        )
        if usual:
            kinds.setdefault((c.every, tuple(c.tags)), []).append(i)
        else:
            special.append(
                (i, c.every, _ordinal(c.hired), _ordinal(c.paused_until), _ordinal(c.paused_on))
            )
        if c.archived is None:
            if c.birthday:
                key = _day_key(int(c.birthday[:2]), int(c.birthday[3:]))
                birthdays.setdefault(key, []).append(i)
            if c.hired:
                anniversaries.setdefault(_day_key(c.hired.month, c.hired.day), []).append(i)
        if c.moments:
            moments.append(i)
        if c.topics:
            topics.append(i)
        if c.added is not None and (ALLY in c.tags or MANAGER in c.tags):
            newcomers.append((c.added.toordinal(), i))
        if c.dept:
            by_dept.setdefault(c.dept, []).append(i)
    newcomers.sort()
    dept_info = {
        name: (
            max(_ordinal(contacts[i].added) for i in members),
            any(contacts[i].archived is not None for i in members),
            [i for i in members if ALLY in contacts[i].tags],
            shift_counts(contacts[i].shift for i in members),
        )
        for name, members in by_dept.items()
    }
    return {
        "format": FORMAT,
        "ids": [c.id for c in contacts],
        "names": [c.name for c in contacts],
        "name_keys": [fold(c.name) for c in contacts],
        "tags": [tuple(c.tags) for c in contacts],
        "depts": [c.dept for c in contacts],
        "shifts": [c.shift for c in contacts],
        "added": [_ordinal(c.added) for c in contacts],
        "archived": [_ordinal(c.archived) for c in contacts],
        "kinds": [(every, tags, members) for (every, tags), members in kinds.items()],
        "special": special,
        "birthdays": birthdays,
        "anniversaries": anniversaries,
        "moments": moments,
        "topics": topics,
        "newcomers": newcomers,
        "by_dept": by_dept,
        "dept_info": dept_info,
    }


def people_from(kept: Mapping[str, Any], decode: Callable[[int], Contact]) -> People:
    """The :class:`People` :func:`index_people` kept. A payload of another layout or shape
    raises ValueError, TypeError or KeyError (storage then builds it again)."""
    if kept["format"] != FORMAT:
        raise ValueError(f"people index format {kept['format']!r}")
    _check(kept)
    return People(
        ids=kept["ids"],
        names=kept["names"],
        name_keys=kept["name_keys"],
        tags=kept["tags"],
        depts=kept["depts"],
        shifts=kept["shifts"],
        added=kept["added"],
        archived=kept["archived"],
        kinds=kept["kinds"],
        special=kept["special"],
        birthdays=kept["birthdays"],
        anniversaries=kept["anniversaries"],
        moments=kept["moments"],
        topics=kept["topics"],
        newcomers=kept["newcomers"],
        by_dept=kept["by_dept"],
        dept_info=kept["dept_info"],
        decode=decode,
    )


_TEXT: set[type] = {str}
_MAYBE_TEXT: set[type] = {str, type(None)}
_INT: set[type] = {int}
_LIST: set[type] = {list}
_TUPLE: set[type] = {tuple}
_DICT: set[type] = {dict}
_LAST_DAY = dt.date.max.toordinal()
_NOT_NONE = functools.partial(operator.is_not, None)


def _of(kinds: set[type[Any]], values: Iterable[Any]) -> bool:
    """Every value is of one of these types (at C speed: a set of their types)."""
    return set(map(type, values)) <= kinds


def _check(kept: Mapping[str, Any]) -> None:
    """ValueError (or the TypeError or OverflowError of a C routine given a value of another
    type, or a negative number) unless ``kept`` has the shape :func:`index_people` gives:
    every column as long as the ids, of its types, every position one of them, every day a
    day. A kept index that is not what hrtrust wrote is built again, never half used. Texts
    are checked by joining them and numbers by making an unsigned array of them, a column at a
    time, at C speed."""
    n = len(kept["ids"])

    def within(values: Sequence[Any], top: int) -> bool:
        array("Q", values)  # TypeError unless every value is an int, OverflowError if < 0
        return not values or max(values) <= top

    def positions(values: Sequence[Any]) -> bool:
        return within(values, n - 1)

    def days(values: Sequence[Any]) -> bool:
        return within(values, _LAST_DAY)

    def chain(lists: Iterable[Iterable[Any]]) -> list[Any]:
        return list(itertools.chain.from_iterable(lists))

    def texts(values: Iterable[Any]) -> bool:
        "".join(values)  # TypeError unless every value is a text
        return True

    columns = ("ids", "names", "name_keys", "tags", "depts", "shifts", "added", "archived")
    if not _of(_LIST, (kept[c] for c in columns)) or any(len(kept[c]) != n for c in columns):
        raise ValueError("people index columns of different lengths")
    tags = kept["tags"]
    kinds, special, newcomers = kept["kinds"], kept["special"], kept["newcomers"]
    good = (
        all(texts(kept[c]) for c in ("ids", "names", "name_keys"))
        and _of(_TUPLE, tags)
        and texts(itertools.chain.from_iterable(tags))
        and all(texts(filter(_NOT_NONE, kept[c])) for c in ("depts", "shifts"))
        and days(kept["added"])
        and days(kept["archived"])
        and _of(_LIST, (kinds, special, newcomers, kept["moments"], kept["topics"]))
        and positions(kept["moments"])
        and positions(kept["topics"])
        and _of(_TUPLE, kinds)
        and all(
            len(k) == 3
            and type(k[0]) in _MAYBE_TEXT
            and type(k[1]) is tuple
            and _of(_TEXT, k[1])
            and type(k[2]) is list
            for k in kinds
        )
        and positions(chain([k[2] for k in kinds]))
        and _of(_TUPLE, special)
        and all(len(x) == 5 and type(x[1]) in _MAYBE_TEXT for x in special)
        and positions([x[0] for x in special])
        and days(chain([x[2:] for x in special]))
        and _of(_TUPLE, newcomers)
        and all(len(x) == 2 for x in newcomers)
        and days([x[0] for x in newcomers])
        and positions([x[1] for x in newcomers])
        and all(
            _of(_DICT, [table])
            and _of(_TEXT, table)
            and _of(_LIST, table.values())
            and positions(chain(table.values()))
            for table in (kept["birthdays"], kept["anniversaries"], kept["by_dept"])
        )
        and _of(_DICT, [kept["dept_info"]])
        and all(
            type(name) is str
            and type(info) is tuple
            and len(info) == 4
            and type(info[1]) is bool
            and type(info[2]) is list
            and type(info[3]) is tuple
            and all(
                type(p) is tuple and len(p) == 2 and type(p[0]) is str and type(p[1]) is int
                for p in info[3]
            )
            for name, info in kept["dept_info"].items()
        )
        and days([info[0] for info in kept["dept_info"].values()])
        and positions(chain([info[2] for info in kept["dept_info"].values()]))
    )
    if not good:
        raise ValueError("people index of another shape")


class ById(Mapping[str, Contact]):
    """Every person of a :class:`People` by id, each decoded when first looked up."""

    def __init__(self, people: People) -> None:
        self.people = people

    def __getitem__(self, cid: str) -> Contact:
        return self.people.decode(self.people.position[cid])

    def __contains__(self, cid: object) -> bool:
        return cid in self.people.position

    def __iter__(self) -> Iterator[str]:
        return iter(self.people.ids)

    def __len__(self) -> int:
        return len(self.people)

    def names(self) -> Mapping[str, str]:
        """Name by id, without decoding anyone."""
        return self.people.names_by_id()


class Everyone(Sequence[Contact]):
    """Every person of a :class:`People`, decoded when first read: for the few passes that
    still need them all (a plan that finds them in the index never reads it)."""

    def __init__(self, people: People) -> None:
        self.people = people
        self._all: list[Contact] | None = None

    def _contacts(self) -> list[Contact]:
        if self._all is None:
            self._all = self.people.contacts(range(len(self.people)))
        return self._all

    def __len__(self) -> int:
        return len(self.people)

    @overload
    def __getitem__(self, i: int) -> Contact: ...
    @overload
    def __getitem__(self, i: slice) -> list[Contact]: ...
    def __getitem__(self, i: int | slice) -> Contact | list[Contact]:
        return self._contacts()[i]

    def __iter__(self) -> Iterator[Contact]:
        return iter(self._contacts())


# -- what a plan asks -------------------------------------------------------------------------


def celebrating(people: People, first: dt.date, last: dt.date) -> list[Contact]:
    """Everyone whose birthday or work anniversary can fall from ``first`` to ``last`` (a
    29 February is kept on the 28th in other years), in file order: whom
    :func:`planning.celebrations` needs to see."""
    keys: set[str] = set()
    day = first
    while day <= last:
        keys.add(_day_key(day.month, day.day))
        if (day.month, day.day) == (2, 28):
            keys.add("02-29")
        day += dt.timedelta(days=1)
    found = {
        i for k in keys for i in (*people.birthdays.get(k, ()), *people.anniversaries.get(k, ()))
    }
    return people.contacts(sorted(found))


def with_moments(people: People) -> list[Contact]:
    """Everyone with a roster moment: whom :func:`roster.pending_all` needs to see."""
    return people.contacts(people.moments)


def newcomers(people: People, today: dt.date, days: int) -> list[Contact]:
    """Allies and managers added in the ``days`` days up to ``today``, in file order: whom
    :func:`planning.introductions` needs to see."""
    lo = bisect.bisect_right(
        people.newcomers, ((today - dt.timedelta(days=days)).toordinal(), 1 << 62)
    )
    hi = bisect.bisect_right(people.newcomers, (today.toordinal(), 1 << 62))
    return people.contacts(sorted(i for _, i in people.newcomers[lo:hi]))


def with_topics(people: People, ids: set[str]) -> list[Contact]:
    """Those of ``ids`` with a topic, in file order: whom :func:`planning.to_raise` needs."""
    return people.contacts([i for i in people.topics if people.ids[i] in ids])


def client_departments_of(config: Config, people: People) -> list[Department]:
    """:func:`departments.client_departments`: with no registry, the departments of the
    people not archived."""
    if config.department:
        return client_departments(config, ())
    live = [
        Department(name=name)
        for name, members in people.by_dept.items()
        if any(not people.archived[i] for i in members)
    ]
    return sorted(live, key=lambda d: (fold(d.name), d.name))
