"""The log counted a day at a time: the rule behind what the digest's review and ``report
coverage`` sum over a week or a quarter.

An entry counts once on its own day: once for its kind, once for each department it touches
(:func:`departments.touched_depts`: its own, then those of the people in it, each once) or
once as touching none, and it adds the people in it and the activity it attended to the day's.
``storage.touch_days`` keeps these counts between runs; :func:`count_days` is both how they are
made and the reference they are checked against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from hrtrust.domain.departments import touched_depts
from hrtrust.models import DayCount, Touched


def count_days(
    entries: Iterable[Touched], dept_of: Mapping[str, str | None]
) -> dict[dt.date, DayCount]:
    """``entries`` counted per day, with the departments ``dept_of`` gives the people."""
    days: dict[dt.date, _Day] = {}
    for e in entries:
        day = days.get(e.date)
        if day is None:
            day = days[e.date] = _Day({}, {}, {}, {}, [0, 0])
        depts = touched_depts(e, dept_of)
        for name in depts:
            day.depts[name] = day.depts.get(name, 0) + 1
        day.kinds[e.kind] = day.kinds.get(e.kind, 0) + 1
        day.people.update(dict.fromkeys(e.with_))
        if e.activity:
            day.attended[e.activity] = None
        day.n[0] += 1
        if not depts:
            day.n[1] += 1
    return {
        date: DayCount(d.depts, d.n[0], d.kinds, d.n[1], list(d.people), list(d.attended))
        for date, d in days.items()
    }


class _Day(NamedTuple):
    depts: dict[str, int]
    kinds: dict[str, int]
    people: dict[str, None]
    attended: dict[str, None]
    n: list[int]  # entries, and those touching no department
