"""A lapse (someone due a touch) and the ranking of everyone who has lapsed.

A plan ranks thousands of lapses and shows a dozen; ``overdue`` shows fifteen and counts the
rest. :class:`Ranking` is that ranking as a sequence whose lapses are made as they are read:
each kind of person (own cadence and tags) keeps its lapsed people in the order of their
last touch, which is the order of their due day (a cadence is never less after a later
day), and the kinds are merged by urgency as far as a reader goes. Counting them, and
counting those past due, needs no lapse made at all.

Every ranking here is, item for item, what :func:`hrtrust.domain.planning.lapses` lists
(``tests/test_people.py`` holds them to it on random homes).
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from hrtrust.domain.contacts import fold
from hrtrust.models import Contact

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta


class _LapseFields(NamedTuple):
    urgency: float  # -score
    due: dt.date
    name_key: str  # fold(name)
    id: str
    cadence: str
    last: dt.date | None
    days_over: int
    source: Any  # the Contact, or (decode, position) to decode it from


class Lapse(_LapseFields):
    """A person whose contact cadence has lapsed (or will, by the horizon).

    Its fields are in the order lapses are ranked (:data:`RANKED`: urgency, due
    day, name, id), so a list of them sorts without a key. Its person is decoded when first
    asked for: a plan ranks thousands of lapses and shows a dozen, so it sorts and counts
    them by ``id`` and ``name_key`` alone. Make one with :func:`lapse` or :meth:`later`.
    """

    __slots__ = ()

    @classmethod
    def later(
        cls,
        decode: Callable[[int], Contact],
        at: int,
        cid: str,
        name_key: str,
        cadence: str,
        last: dt.date | None,
        due: dt.date,
        days_over: int,
        score: float,
    ) -> Lapse:
        """A lapse whose person ``decode(at)`` gives when first asked for (``cid`` is their
        id, ``name_key`` their folded name)."""
        return tuple.__new__(
            cls, (-score, due, name_key, cid, cadence, last, days_over, (decode, at))
        )

    @property
    def score(self) -> float:
        return -self.urgency

    @property
    def contact(self) -> Contact:
        source = self.source
        if isinstance(source, tuple):
            decode, at = source
            got: Contact = decode(at)  # decoded once: the decoder keeps what it made
            return got
        assert isinstance(source, Contact)
        return source

    def _fields_compared(self) -> tuple[Any, ...]:
        return (self.contact, self.cadence, self.last, self.due, self.days_over, self.score)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Lapse):
            return NotImplemented
        return self._fields_compared() == other._fields_compared()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]  # compared by person, as it always was

    def __repr__(self) -> str:
        return (
            f"Lapse(id={self.id!r}, cadence={self.cadence!r}, last={self.last!r}, "
            f"due={self.due!r}, days_over={self.days_over!r}, score={self.score!r})"
        )


def lapse(
    contact: Contact,
    cadence: str,
    last: dt.date | None,
    due: dt.date,
    days_over: int,
    score: float,
) -> Lapse:
    """A lapse of ``contact``."""
    return Lapse(-score, due, fold(contact.name), contact.id, cadence, last, days_over, contact)


# How lapses are ranked, most urgent first: urgency (-score), then due day, name and id, as C
# reads them (a lapse's first four fields)
RANKED = operator.itemgetter(0, 1, 2, 3)


def most_overdue_first(x: Lapse) -> tuple[int, float, str, str]:
    """How ``overdue`` lists people gone quiet: longest over first (the table reads as days),
    then urgency, name and id."""
    return (-x.days_over, -x.score, x.name_key, x.id)


class ByValue:
    """Mixin for a sequence made as it is read: equal to any sequence of equal items, as the
    list or tuple it stands for was."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or not isinstance(self, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


class Ranked(ByValue, Sequence[Lapse]):
    """A sequence of ``length`` lapses, made from ``items`` as far as they are read."""

    def __init__(self, items: Iterator[Lapse], length: int) -> None:
        self._items = items
        self._length = length
        self._made: list[Lapse] = []

    def _upto(self, n: int) -> None:
        made = self._made
        if len(made) < n:
            made.extend(itertools.islice(self._items, n - len(made)))
            if len(made) < n:
                raise AssertionError(f"a ranking of {self._length} made only {len(made)}")

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> Lapse: ...
    @overload
    def __getitem__(self, i: slice) -> list[Lapse]: ...
    def __getitem__(self, i: int | slice) -> Lapse | list[Lapse]:
        if isinstance(i, slice):
            wanted = range(*i.indices(self._length))
            if wanted:
                self._upto(max(wanted) + 1)
            return [self._made[j] for j in wanted]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError(i)
        self._upto(i + 1)
        return self._made[i]

    def __iter__(self) -> Iterator[Lapse]:
        for i in range(self._length):
            yield self[i]

    def __repr__(self) -> str:
        return f"Ranked({len(self)} lapses)"


class Kind(NamedTuple):
    """What a kind of person is due by: their cadence, its length in days, the weight of
    their tags, and what one cadence adds to a day."""

    cadence: str
    length: int
    weight: float
    delta: Any  # a timedelta, or a relativedelta for months and years


class Run:
    """The lapsed people of one kind, in the order of their due day (then name and id),
    made into lapses as they are read.

    ``starts[k]`` is the day person ``k``'s cadence runs from (their last touch, or the day
    they were added), ``at[k]`` their position, ``ids[k]`` and ``keys[k]`` their id and
    folded name, ``last[k]`` their last touch (None: never touched); only those due by the
    horizon are given."""

    def __init__(
        self,
        kind: Kind,
        today: dt.date,
        decode: Callable[[int], Contact],
        starts: list[dt.date],
        at: list[int],
        ids: list[str],
        keys: list[str],
        last: list[dt.date | None],
    ) -> None:
        self.kind, self.today, self.decode = kind, today, decode
        self.order = sorted(range(len(starts)), key=starts.__getitem__)  # at C speed
        self.starts, self.at, self.ids, self.keys, self.last = starts, at, ids, keys, last
        # past due today: due before today, so started on or before the last such day
        ordered = [starts[k] for k in self.order]
        self.overdue = bisect.bisect_right(ordered, latest_due_by(today - ONE_DAY, kind.delta))

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self) -> Iterator[Lapse]:
        """The lapses in due order; people due on the same day by name and id."""
        kind, today = self.kind, self.today
        w, length, delta, cadence = kind.weight, kind.length, kind.delta, kind.cadence
        starts, keys, ids = self.starts, self.keys, self.ids
        later = Lapse.later
        group: list[int] = []
        due: dt.date | None = None
        for k in [*self.order, -1]:
            this = starts[k] + delta if k >= 0 else None
            if group and this != due:
                if len(group) > 1:
                    group.sort(key=lambda j: (keys[j], ids[j]))
                assert due is not None
                over = (today - due).days
                score = round(w * (1 + max(over, 0) / length), 4)
                for j in group:
                    yield later(
                        self.decode,
                        self.at[j],
                        ids[j],
                        keys[j],
                        cadence,
                        self.last[j],
                        due,
                        over,
                        score,
                    )
                group = []
            group.append(k)
            due = this


ONE_DAY = dt.timedelta(days=1)


def latest_due_by(horizon: dt.date, delta: relativedelta | dt.timedelta) -> dt.date:
    """The last day whose ``+ delta`` is on or before ``horizon`` (a month from Jan 31 is
    Feb 28: days near a month's end can share a due day)."""
    try:
        day: dt.date = horizon - delta
        while day + ONE_DAY + delta <= horizon:
            day += ONE_DAY
        while day + delta > horizon:
            day -= ONE_DAY
    except OverflowError:  # near the ends of the calendar: everyone is worked out
        return dt.date.max
    return day


class Ranking(Ranked):
    """Everyone lapsed, most urgent first (:data:`RANKED`), as :func:`lapses`
    lists them: the kinds' :class:`Run` merged, with the lapses worked out one by one
    (``fixed``: paused people, new hires...). ``find(contact)`` is that person's lapse as
    the ranking has it, or None (:func:`lapses` of them alone)."""

    def __init__(
        self,
        runs: Sequence[Run],
        fixed: list[Lapse],
        find: Callable[[Contact], Lapse | None],
        *,
        without: frozenset[str] = frozenset(),
        gone: Sequence[Lapse] = (),
    ) -> None:
        self.runs, self.fixed, self.find, self.without = runs, fixed, find, without
        fixed.sort(key=RANKED)
        self.overdue_count = (
            sum(r.overdue for r in runs)
            + sum(1 for x in fixed if x.days_over > 0)
            - sum(1 for x in gone if x.days_over > 0)
        )
        length = sum(len(r) for r in runs) + len(fixed) - len(gone)
        super().__init__(self._merged(RANKED, overdue=False), length)

    def _sources(self, overdue: bool) -> list[Iterable[Lapse]]:
        runs: list[Iterable[Lapse]] = [
            itertools.islice(r, r.overdue) if overdue else r for r in self.runs
        ]
        if self.without:  # the people ranked again are in ``fixed``, as they are now
            runs = [(x for x in run if x.id not in self.without) for run in runs]
        fixed = [x for x in self.fixed if x.days_over > 0] if overdue else self.fixed
        return [*runs, fixed]

    def _merged(self, key: Callable[[Lapse], Any], *, overdue: bool) -> Iterator[Lapse]:
        sources = self._sources(overdue)
        if key is not RANKED:  # each run is in due order: in this order too; the rest sorted
            sources[-1] = sorted(sources[-1], key=key)
        return heapq.merge(*sources, key=key)

    def overdue(self) -> Ranked:
        """Those past due (``days_over`` > 0), most urgent first."""
        return Ranked(self._merged(RANKED, overdue=True), self.overdue_count)

    def overdue_first(self) -> Ranked:
        """Those past due, longest over first (:func:`most_overdue_first`)."""
        return Ranked(self._merged(most_overdue_first, overdue=True), self.overdue_count)

    def replaced(self, people: Sequence[Contact], again: Iterable[Lapse]) -> Ranking:
        """This ranking with ``people`` ranked as ``again`` has them instead (once: a
        ranking replaced is not replaced again)."""
        assert not self.without, "a ranking is replaced once"
        out = {c.id for c in people}
        fixed = {x.id for x in self.fixed}
        found = [x for c in people if (x := self.find(c)) is not None]
        return Ranking(
            self.runs,
            [*(x for x in self.fixed if x.id not in out), *again],
            self.find,
            without=frozenset(out),
            gone=[x for x in found if x.id not in fixed],
        )
