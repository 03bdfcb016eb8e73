"""Generate a complete, realistic hrtrust data home of a given size, deterministically.

Usage::

    python benchmarks/generate.py small|realistic|large|xlarge DEST [--seed N]

Every record is built with hrtrust's own models and written with ``hrtrust.storage.store.dumps``, so
the files are byte for byte what hrtrust itself would write. The same size and seed always give
the same bytes: all randomness comes from one seeded ``random.Random``, dates are anchored to
:data:`TODAY` (a Monday), and nothing depends on the clock, the machine or hash order.

The files are written directly (not through the CLI): the large size has 200,000 interactions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import sys
import time
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hrtrust.domain.contacts import cadence_of
from hrtrust.domain.dates import cadence_days
from hrtrust.domain.recurrence import occurrences, to_rrule
from hrtrust.models import (
    ALLY,
    MANAGER,
    NEW_HIRE,
    PEER,
    Action,
    ActivitiesFile,
    Activity,
    Config,
    Contact,
    ContactsFile,
    Deferral,
    Department,
    Fact,
    Feedback,
    FeedbackFile,
    Interaction,
    Kind,
    LogFile,
    Promise,
    PromisesFile,
    PromiseStatus,
    Pulse,
    entry_sort_key,
)
from hrtrust.storage.paths import ACTIVITIES, CONFIG, CONTACTS, FEEDBACK, PROMISES, month_file
from hrtrust.storage.toml_format import dumps

TODAY = dt.date(2026, 11, 23)  # a Monday; pass `--today 2026-11-23` to hrtrust
DEFAULT_SEED = 1
HQ_DEPT = "HR"  # the HR partner's own function: peers live here; not a client


@dataclass(frozen=True)
class Size:
    """How much data one size holds."""

    contacts: int
    years: int
    interactions: int
    promises: int
    activities: int
    departments: int
    feedback: int


SIZES: dict[str, Size] = {
    "small": Size(
        contacts=60,
        years=1,
        interactions=700,
        promises=40,
        activities=8,
        departments=4,
        feedback=8,
    ),
    "realistic": Size(
        contacts=400,
        years=3,
        interactions=6_000,
        promises=300,
        activities=30,
        departments=8,
        feedback=40,
    ),
    "large": Size(
        contacts=10_000,
        years=5,
        interactions=200_000,
        promises=20_000,
        activities=500,
        departments=40,
        feedback=600,
    ),
    # Twice the people and twice the history of large, in the same organisation (the same
    # departments, activities, promises and feedback): the week's plan barely changes, so its
    # cost must barely change either (issue 27: cost follows the output, not the history).
    "xlarge": Size(
        contacts=20_000,
        years=5,
        interactions=400_000,
        promises=20_000,
        activities=500,
        departments=40,
        feedback=600,
    ),
}

# --------------------------------------------------------------------------- vocabulary

_FUNCTIONS = (
    "Engineering",
    "Manufacturing",
    "Sales",
    "Taichung Office",
    "Finance",
    "Customer Support",
    "Quality Assurance",
    "Procurement",
    "Logistics",
    "Marketing",
    "R&D",
    "IT",
    "Legal",
    "Facilities",
    "Product",
    "Data Platform",
    "Security",
    "Supply Chain",
    "Field Service",
    "Test Lab",
    "Design",
)
_SITES = ("Taipei HQ", "Taoyuan Plant", "Hsinchu", "Taichung Office", "Kaohsiung", "Tainan Plant")
_REGIONAL = ("Taichung Office", "Kaohsiung", "Tainan Plant")
_FIRST = (
    "Maria", "David", "Priya", "James", "Aiko", "Daniel", "Sofia", "Ahmed", "Grace", "Lucas",
    "Mei", "Oliver", "Ananya", "Ethan", "Hana", "Noah", "Isabel", "Ravi", "Chloe", "Mateo",
    "Fatima", "Leo", "Yuki", "Samuel", "Elena", "Kevin", "Amara", "Jonas", "Lina", "Marcus",
    "Nadia", "Oscar", "Paula", "Quentin", "Rosa", "Stefan", "Tara", "Umar", "Vera", "Wei",
    "Xavier", "Yasmin", "Zoe", "Arjun", "Bianca", "Carlos", "Dina", "Emil", "Freya", "Gabriel",
    "Helen", "Ivan", "Julia", "Kenji", "Laura", "Mohan", "Nora", "Pedro", "Sara", "Tomas",
)  # fmt: skip
_LAST = (
    "Chen", "Okafor", "Nair", "Smith", "Tanaka", "Lee", "Garcia", "Hassan", "Kim", "Silva",
    "Lin", "Brown", "Iyer", "Wang", "Sato", "Martin", "Rossi", "Patel", "Dubois", "Lopez",
    "Khan", "Muller", "Suzuki", "Johnson", "Petrov", "Huang", "Mensah", "Berg", "Novak", "Reyes",
    "Costa", "Nguyen", "Yamamoto", "Fischer", "Ali", "Moreau", "Santos", "Wu", "Clark", "Singh",
    "Ito", "Walker", "Kowalski", "Tsai", "Evans", "Romero", "Lim", "Andersen", "Mehta", "Liu",
    "Park", "Hughes", "Jensen", "Cruz", "Yang", "Baker", "Sharma", "Kato", "Ortiz", "Hall",
)  # fmt: skip
_CJK_SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高鄭梁謝宋唐許韓馮鄧曹彭"
_CJK_GIVEN = (
    "小明", "美玲", "俊傑", "怡君", "志豪", "淑芬", "家豪", "雅婷", "建宏", "佩君",
    "冠宇", "詩涵", "宗翰", "欣怡", "承恩", "婉婷", "柏翰", "思妤", "育成", "曉雯",
    "彥廷", "佳穎", "宇軒", "依婷", "哲維", "靜宜", "明哲", "子晴", "俊宏", "心怡",
)  # fmt: skip
_ROLES = (
    "Engineer",
    "Senior Engineer",
    "Team Lead",
    "Specialist",
    "Analyst",
    "Coordinator",
    "Technician",
    "Supervisor",
    "Planner",
    "Account Executive",
)
_TOPICS = (
    "the year-end review timeline",
    "overtime on the night shift",
    "promotion criteria",
    "a hiring freeze rumour",
    "the new parental-leave policy",
    "onboarding for the new hires",
    "team morale after the reorg",
    "training budget for next year",
    "a conflict between two team leads",
    "the shuttle bus schedule",
    "remote-work days",
    "the engagement survey results",
    "succession planning",
    "a resignation on the team",
    "the office move",
)
_FACTS = (
    "Training for the Taipei Marathon",
    "Daughter starts university in September",
    "Learning Japanese on weekends",
    "Just adopted a dog",
    "Caring for an elderly parent",
    "Moved house last month",
    "Plays in a company basketball team",
    "Back from parental leave",
    "Studying for an MBA part-time",
    "Loves hiking in Yangmingshan",
    "Second child born this spring",
    "Commutes from Keelung every day",
)
_NOTES = (
    "Prefers LINE messages to email.",
    "Quiet in meetings; speaks up one-to-one.",
    "First-time manager; check in often.",
    "Very direct; appreciates short answers.",
    "Our informal bridge to the night shift.",
    "Asked to be kept informed about the reorg.",
)
_PROMISES = (
    "Send the draft promotion criteria",
    "Find out the training budget for next year",
    "Share the exit-interview themes",
    "Check the overtime figures with payroll",
    "Book a room for the team offsite",
    "Send the parental-leave FAQ",
    "Ask C&B about the salary band",
    "Introduce them to the mentoring programme lead",
    "Follow up on the shuttle bus request",
    "Share the engagement survey breakdown",
)
_AWAITED = (
    "Headcount plan for next quarter",
    "Feedback on the draft job description",
    "Names for the lunch & learn panel",
    "Their team's training wishes",
)
_FEEDBACK = (
    "Shift handover forms take too long",
    "Engineers want clearer promotion criteria",
    "Night shift feels forgotten by HR",
    "Onboarding is too short for field staff",
    "Managers do not know the new leave policy",
    "Exit interviews never lead to changes",
    "Too many surveys, too little follow-up",
    "Training requests vanish into a black hole",
)
_ACTIONS = (
    "Raised it with the department head",
    "Collected examples from three teams",
    "Drafted a proposal with C&B",
    "Agreed a trial with the team lead",
    "Shared the outcome at the department meeting",
)
_REASONS = (
    "Waiting on C&B",
    "Payroll figures not ready",
    "Agreed a later date with them",
    "Holiday week",
)
_AD_HOC_KINDS = ("coffee-chat", "one-on-one", "check-in", "recognition", "ally-meeting")
_AD_HOC_WEIGHTS = (40, 25, 20, 5, 10)


# --------------------------------------------------------------------------- building


@dataclass
class _Built:
    """Everything one data home holds, as hrtrust's own documents."""

    config: Config
    contacts: ContactsFile
    activities: ActivitiesFile
    promises: PromisesFile
    feedback: FeedbackFile
    logs: dict[str, LogFile]


def _days_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _weekday_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    day = _days_between(rng, first, last)
    while day.weekday() >= 5:  # move a weekend day to the Friday before (or Monday after)
        day -= dt.timedelta(days=day.weekday() - 4)
        if day < first:
            day += dt.timedelta(days=3)
    return day


def _department_names(count: int) -> list[str]:
    if count <= len(_FUNCTIONS):
        return list(_FUNCTIONS[:count])
    names = []
    functions = [f for f in _FUNCTIONS if f not in _SITES]
    for site, function in itertools.product(_SITES, functions):
        names.append(f"{function} ({site})")
        if len(names) == count:
            break
    return names


def _names(rng: random.Random, count: int) -> list[str]:
    latin = [f"{f} {s}" for f, s in itertools.product(_FIRST, _LAST)]
    cjk = [s + g for s, g in itertools.product(_CJK_SURNAMES, _CJK_GIVEN)]
    rng.shuffle(latin)
    rng.shuffle(cjk)
    pool: list[str] = []
    for pair in itertools.zip_longest(latin[: len(latin) // 2], cjk[: len(cjk) // 4]):
        pool.extend(n for n in pair if n)
    pool += latin[len(latin) // 2 :]
    if count > len(pool):  # large sizes: add middle initials to the rest of the Latin names
        extra = [
            f"{f} {chr(ord('A') + i)}. {s}"
            for i in range(26)
            for f, s in itertools.product(_FIRST, _LAST)
        ]
        rng.shuffle(extra)
        pool += extra
    return pool[:count]


def _slug(name: str, n: int) -> str:
    ascii_name = "".join(ch for ch in name.lower() if ch.isascii() and (ch.isalnum() or ch == " "))
    parts = ascii_name.split()
    return ".".join(parts) if parts else f"employee{n}"


def build_config(depts: Sequence[str], rng: random.Random) -> Config:
    """Time zone, week, cadences, the client departments, one custom kind."""
    departments = [
        Department(
            name=name,
            client=True,
            window="4w" if any(r in name for r in _REGIONAL) else "2w",
            headcount=rng.randrange(12, 250),
        )
        for name in depts
    ]
    departments.append(Department(name=HQ_DEPT, client=False, headcount=rng.randrange(8, 40)))
    return Config(
        timezone="Asia/Taipei",
        department=departments,
        kind=[
            Kind(
                name="site-visit",
                label="Site visit",
                cadence="monthly",
                about="A day at a regional office: walk the floor, hold office hours.",
            )
        ],
    )


def build_contacts(
    rng: random.Random, size: Size, depts: Sequence[str], first: dt.date
) -> list[Contact]:
    """People across the departments: one ally each, managers, HR peers, recent hires."""
    names = _names(rng, size.contacts)
    peers = max(3, size.contacts // 20)
    contacts: list[Contact] = []
    # Every department has its HR ally but one, so the plan shows an ally gap.
    allies: set[str] = {depts[rng.randrange(len(depts))]}
    managers: dict[str, list[str]] = {}
    for n, name in enumerate(names, start=1):
        if n <= peers:
            dept = HQ_DEPT
        elif n - peers <= len(depts):
            dept = depts[n - peers - 1]  # everyone's first department member comes early
        else:
            dept = depts[rng.randrange(len(depts))]
        tags: list[str] = []
        if dept == HQ_DEPT:
            tags.append(PEER)
        elif dept not in allies:
            allies.add(dept)
            tags.append(ALLY)
        elif rng.random() < 0.12:
            tags.append(MANAGER)
            managers.setdefault(dept, []).append(name)
        r = rng.random()
        if r < 0.04:
            hired = _days_between(rng, TODAY - dt.timedelta(days=80), TODAY - dt.timedelta(days=3))
            tags.append(NEW_HIRE)
        elif r < 0.85:
            hired = _days_between(rng, dt.date(2005, 1, 1), TODAY - dt.timedelta(days=120))
        else:
            hired = None
        learned = [
            Fact(date=_days_between(rng, first, TODAY - dt.timedelta(days=1)), text=text)
            for text in rng.sample(_FACTS, k=rng.choice((0, 0, 0, 1, 1, 2)))
        ]
        learned.sort(key=lambda f: f.date)
        site = _SITES[rng.randrange(len(_SITES))]
        boss = managers.get(dept, [])
        if MANAGER in tags:
            role = f"{dept} Manager"
        elif dept == HQ_DEPT:
            role = "HR Business Partner"
        else:
            role = rng.choice(_ROLES)
        contacts.append(
            Contact(
                id=f"c{n}",
                name=name,
                dept=dept,
                role=role,
                location=site,
                email=f"{_slug(name, n)}.{n}@jadeway.example",
                manager=rng.choice(boss) if boss and rng.random() < 0.5 else None,
                tags=tags,
                every=rng.choice(("1w", "2w", "3w", "1m", "6w")) if rng.random() < 0.12 else None,
                birthday=(
                    f"{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                    if rng.random() < 0.7
                    else None
                ),
                hired=hired,
                added=max(first, hired) if hired else first,
                notes=rng.choice(_NOTES) if rng.random() < 0.15 else None,
                learned=learned,
            )
        )
    return contacts


def _activity_specs(
    size: Size, depts: Sequence[str], contacts: Sequence[Contact]
) -> list[tuple[str, str, str, str | None, list[str]]]:
    """(title, kind, friendly rule, dept, with) for each activity, in a fixed order."""
    shared: list[tuple[str, str, str, str | None, list[str]]] = [
        ("Lunch & learn", "lunch-and-learn", "monthly on first thu", None, []),
        ("HR operations sync", "hr-ops-sync", "every 2 weeks on wed", HQ_DEPT, []),
        ("Peer lunch", "peer-lunch", "monthly on last fri", HQ_DEPT, []),
        ("Open forum", "open-forum", "quarterly", None, []),
        ("HR newsletter", "newsletter", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", None, []),
        ("Trust pulse survey", "pulse-survey", "quarterly", None, []),
    ]
    by_dept: dict[str, list[Contact]] = {}
    for c in contacts:
        by_dept.setdefault(c.dept or "", []).append(c)
    per_dept: list[tuple[str, str, str, str | None, list[str]]] = []
    weekdays = ("mon", "tue", "wed", "thu", "fri")
    for i, dept in enumerate(depts):
        people = by_dept.get(dept, [])
        ally = [c.id for c in people if ALLY in c.tags]
        bosses = [c.id for c in people if MANAGER in c.tags]
        per_dept += [
            (
                f"{dept} management meeting",
                "management-meeting",
                f"weekly on {weekdays[i % 5]}",
                dept,
                bosses[:4],
            ),
            (
                f"{dept} staff meeting",
                "department-meeting",
                f"every 2 weeks on {weekdays[(i + 2) % 5]}",
                dept,
                [c.id for c in people[:3]],
            ),
            (f"{dept} ally meeting", "ally-meeting", "monthly on second tue", dept, ally),
        ]
    more: list[tuple[str, str, str, str | None, list[str]]] = []
    for dept in depts:
        more.append((f"{dept} site visit", "site-visit", "monthly on third wed", dept, []))
        more.append(
            (f"Training from {dept}", "manager-training", "every 2 months on first mon", dept, [])
        )
    one_on_ones = [
        (
            f"One-on-one with {c.name}",
            "one-on-one",
            "every 2 weeks on thu" if n % 2 else "monthly on last wed",
            c.dept,
            [c.id],
        )
        for n, c in enumerate(c for c in contacts if MANAGER in c.tags or ALLY in c.tags)
    ]
    specs = shared + per_dept + more + one_on_ones
    return specs[: size.activities]


def build_activities(
    rng: random.Random,
    size: Size,
    depts: Sequence[str],
    contacts: Sequence[Contact],
    first: dt.date,
) -> list[Activity]:
    """Recurring commitments, their rules stored as RRULEs, some ended, some with skips."""
    out: list[Activity] = []
    for n, (title, kind, rule, dept, with_) in enumerate(
        _activity_specs(size, depts, contacts), start=1
    ):
        start = _weekday_between(rng, first - dt.timedelta(days=90), TODAY - dt.timedelta(days=30))
        until = (
            _days_between(rng, start + dt.timedelta(days=60), TODAY - dt.timedelta(days=1))
            if rng.random() < 0.08 and (TODAY - start).days > 90
            else None
        )
        rrule = to_rrule(rule)
        at = (
            None
            if kind in ("newsletter", "pulse-survey")
            else rng.choice(("09:00", "10:00", "12:00", "14:00", "16:00"))
        )
        skip: list[dt.date] = []
        if rng.random() < 0.2 and until is None:
            near = occurrences(
                rrule,
                start=start,
                at=at,
                tz=dt.UTC,
                window_start=TODAY - dt.timedelta(days=60),
                window_end=TODAY + dt.timedelta(days=60),
            )
            if near:
                skip = sorted({near[rng.randrange(len(near))].date()})
        out.append(
            Activity(
                id=f"a{n}",
                title=title,
                kind=kind,
                rule=rrule,
                start=start,
                until=until,
                at=at,
                duration=None if at is None else rng.choice((30, 45, 60, 90)),
                dept=dept,
                location=f"{rng.choice(_SITES)}, Room {rng.randrange(1, 12)}",
                with_=with_,
                skip=skip,
            )
        )
    return out


class _Picker:
    """Weighted choice of contacts: the shorter a person's cadence, the more often they are
    seen (so allies and managers more than everyone else), as a diligent HR partner would.
    """

    def __init__(self, contacts: Sequence[Contact], config: Config) -> None:
        self.contacts = list(contacts)
        weights = [42 / cadence_days(cadence_of(c, config)) for c in contacts]
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Contact:
        return self.contacts[bisect_right(self.cum, rng.random() * self.cum[-1])]


def build_log(
    rng: random.Random,
    size: Size,
    contacts: Sequence[Contact],
    activities: Sequence[Activity],
    picker: _Picker,
    first: dt.date,
) -> list[Interaction]:
    """Interactions on working days from ``first`` to the Friday before :data:`TODAY`."""
    last = TODAY - dt.timedelta(days=3)
    added = {c.id: c.added or first for c in contacts}
    by_dept: dict[str, list[Contact]] = {}
    for c in contacts:
        by_dept.setdefault(c.dept or "", []).append(c)
    held: list[tuple[Activity, list[dt.date]]] = []
    for a in activities:
        days = [
            o.date()
            for o in occurrences(
                a.rule,
                start=a.start,
                at=a.at,
                tz=dt.UTC,
                window_start=max(first, a.start),
                window_end=last,
                until=a.until,
                skip=a.skip,
            )
        ]
        days = [d for d in days if d.weekday() < 5]  # a quarterly date may fall on a Sunday
        if days and a.kind not in ("newsletter", "pulse-survey"):
            held.append((a, days))
    entries: list[Interaction] = []
    for _ in range(size.interactions):
        note = f"Talked about {rng.choice(_TOPICS)}." if rng.random() < 0.6 else None
        learned = [rng.choice(_FACTS)] if rng.random() < 0.1 else []
        if held and rng.random() < 0.4:
            activity, days = held[rng.randrange(len(held))]
            day = days[rng.randrange(len(days))]
            pool = list(activity.with_)
            if activity.dept and activity.dept in by_dept:
                extra = by_dept[activity.dept]
                pool += [extra[rng.randrange(len(extra))].id for _ in range(2)]
            present = [cid for cid in dict.fromkeys(pool) if added[cid] <= day]
            with_ = present[: rng.randrange(1, 6)]
            entries.append(
                Interaction(
                    id="",
                    date=day,
                    kind=activity.kind,
                    with_=with_,
                    dept=activity.dept,
                    activity=activity.id,
                    note=note,
                    learned=learned if with_ else [],
                )
            )
            continue
        person = picker.pick(rng)
        day = _weekday_between(rng, max(first, added[person.id]), last)
        with_ = [person.id]
        if rng.random() < 0.15:
            other = picker.pick(rng)
            if other.id != person.id and added[other.id] <= day:
                with_.append(other.id)
        entries.append(
            Interaction(
                id="",
                date=day,
                kind=rng.choices(_AD_HOC_KINDS, weights=_AD_HOC_WEIGHTS)[0],
                with_=with_,
                dept=person.dept,
                note=note,
                learned=learned,
            )
        )
    entries.sort(key=lambda e: e.date)  # stable: same-day entries keep generation order
    for day, same_day in itertools.groupby(entries, key=lambda e: e.date):
        for seq, entry in enumerate(same_day, start=1):
            entry.id = f"{day.isoformat()}.{seq}"
    return entries


def build_promises(
    rng: random.Random,
    size: Size,
    contacts: Sequence[Contact],
    entries: Sequence[Interaction],
    picker: _Picker,
    first: dt.date,
) -> list[Promise]:
    """Promises in every state: kept, late, overdue, open, cancelled, renegotiated, awaited."""
    dept_of = {c.id: c.dept for c in contacts}
    with_people = [e for e in entries if e.with_]
    specs: list[tuple[dt.date, Promise, Interaction | None]] = []
    for _ in range(size.promises):
        source: Interaction | None = None
        if with_people and rng.random() < 0.6:
            source = with_people[rng.randrange(len(with_people))]
            made = source.date
            person = source.with_[0]
        else:
            chosen = picker.pick(rng)
            since = max(first, chosen.added or first)
            made = _weekday_between(rng, since, TODAY - dt.timedelta(days=1))
            person = chosen.id
        await_ = source is None and rng.random() < 0.3
        due = made + dt.timedelta(days=rng.randrange(2, 29))
        deferrals: list[Deferral] = []
        if rng.random() < 0.12:
            on = made
            for _ in range(rng.choice((1, 1, 2))):
                on = min(_days_between(rng, on, due), TODAY)
                if on >= TODAY:
                    break
                new_due = due + dt.timedelta(days=rng.randrange(7, 22))
                deferrals.append(
                    Deferral(on=on, from_=due, to=new_due, reason=rng.choice(_REASONS))
                )
                due = new_due
        status: PromiseStatus = "open"
        closed: dt.date | None = None
        reason: str | None = None
        age = (TODAY - due).days
        r = rng.random()
        if due >= TODAY:
            if r < 0.15:
                status, closed = "done", _days_between(rng, made, TODAY - dt.timedelta(days=1))
        elif r < (0.7 if age < 45 else 0.9):
            status = "done"
            late = rng.random() < 0.25
            closed = due + dt.timedelta(days=rng.randrange(1, 11) if late else -rng.randrange(0, 3))
            closed = min(max(closed, made), TODAY - dt.timedelta(days=1))
        elif r < (0.8 if age < 45 else 0.99):
            status, closed, reason = "cancelled", min(due, TODAY), "No longer needed"
        text = rng.choice(_AWAITED if await_ else _PROMISES)
        specs.append(
            (
                made,
                Promise(
                    id="",
                    text=text,
                    direction="await" if await_ else "owe",
                    person=person,
                    dept=dept_of.get(person),
                    made=made,
                    due=due,
                    status=status,
                    closed=closed,
                    reason=reason,
                    source=source.id if source else None,
                    deferrals=deferrals,
                ),
                source,
            )
        )
    specs.sort(key=lambda s: s[0])
    out = []
    for n, (_, promise, source) in enumerate(specs, start=1):
        promise.id = f"p{n}"
        if source is not None:
            source.promises.append(promise.id)
        out.append(promise)
    return out


def build_feedback(
    rng: random.Random,
    size: Size,
    contacts: Sequence[Contact],
    depts: Sequence[str],
    picker: _Picker,
    first: dt.date,
) -> FeedbackFile:
    """Feedback ("you said, we did") items (open, acted on, closed) and quarterly pulse results."""
    items = []
    for n in range(1, size.feedback + 1):
        person = picker.pick(rng)
        since = max(first, person.added or first)
        day = _weekday_between(rng, since, TODAY - dt.timedelta(days=1))
        actions = []
        when = day
        for text in rng.sample(_ACTIONS, k=rng.choice((0, 1, 1, 2, 3))):
            when = min(when + dt.timedelta(days=rng.randrange(3, 30)), TODAY)
            actions.append(Action(date=when, text=text))
        closed = when if actions and rng.random() < 0.5 else None
        items.append(
            Feedback(
                id=f"f{n}",
                text=rng.choice(_FEEDBACK),
                person=person.id,
                dept=person.dept,
                date=day,
                actions=actions,
                closed=closed,
            )
        )
    items.sort(key=lambda f: (f.date, int(f.id[1:])))
    for n, item in enumerate(items, start=1):
        item.id = f"f{n}"
    pulses = []
    for dept in depts:
        score = rng.uniform(2.8, 4.2)
        for year in range(first.year, TODAY.year + 1):
            for month in (1, 4, 7, 10):
                day = dt.date(year, month, 15)
                if first <= day < TODAY:
                    score = min(5.0, max(1.0, score + rng.uniform(-0.4, 0.45)))
                    pulses.append(Pulse(dept=dept, date=day, score=round(score, 1)))
    pulses.sort(key=lambda p: (p.date, p.dept))
    return FeedbackFile(next_id=len(items) + 1, feedback=items, pulse=pulses)


def build(size_name: str, seed: int = DEFAULT_SEED) -> _Built:
    """Every document of a data home of the given size."""
    size = SIZES[size_name]
    rng = random.Random(f"hrtrust-bench:{size_name}:{seed}")
    first = dt.date(TODAY.year - size.years, TODAY.month, TODAY.day)
    depts = _department_names(size.departments)
    config = build_config(depts, rng)
    contacts = build_contacts(rng, size, depts, first)
    activities = build_activities(rng, size, depts, contacts, first)
    picker = _Picker(contacts, config)
    entries = build_log(rng, size, contacts, activities, picker, first)
    promises = build_promises(rng, size, contacts, entries, picker, first)
    feedback = build_feedback(rng, size, contacts, depts, picker, first)
    logs: dict[str, LogFile] = {}
    for entry in entries:
        logs.setdefault(month_file(entry.date), LogFile()).entry.append(entry)
    for log in logs.values():
        log.entry.sort(key=entry_sort_key)
    return _Built(
        config=config,
        contacts=ContactsFile(next_id=len(contacts) + 1, contact=contacts),
        activities=ActivitiesFile(next_id=len(activities) + 1, activity=activities),
        promises=PromisesFile(next_id=len(promises) + 1, promise=promises),
        feedback=feedback,
        logs=logs,
    )


def files(size_name: str, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """The data home as {relative path: file text}, exactly as hrtrust writes it."""
    built = build(size_name, seed)
    out = {
        CONFIG: dumps(built.config),
        CONTACTS: dumps(built.contacts),
        ACTIVITIES: dumps(built.activities),
        PROMISES: dumps(built.promises),
        FEEDBACK: dumps(built.feedback),
    }
    for rel, log in sorted(built.logs.items()):
        out[rel] = dumps(log)
    return out


def write_home(dest: Path, content: dict[str, str]) -> None:
    """Write the files into a new (or empty) folder, private like hrtrust's own (0700/0600)."""
    if dest.exists() and any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    dest.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(dest, 0o700)
    for rel, text in sorted(content.items()):
        path = dest / rel
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))


def generate(size_name: str, dest: Path, seed: int = DEFAULT_SEED) -> dict[str, str]:
    """Build and write a data home; returns what was written."""
    content = files(size_name, seed)
    write_home(dest, content)
    return content


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write a deterministic hrtrust data home for benchmarks "
        f"(anchored to {TODAY.isoformat()}; run hrtrust with --today {TODAY.isoformat()}).",
    )
    parser.add_argument("size", choices=sorted(SIZES), help="how much data")
    parser.add_argument("dest", type=Path, help="the data home to create (new or empty folder)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 1)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        content = generate(args.size, args.dest, args.seed)
    except FileExistsError as exc:
        sys.stderr.write(f"generate: {exc}; choose a new folder\n")
        return 1
    size = SIZES[args.size]
    months = sum(1 for rel in content if rel.startswith("log/"))
    sys.stderr.write(
        f"wrote {args.dest}: {size.contacts} contacts, {size.interactions} interactions in "
        f"{months} month files, {size.promises} promises, {size.activities} activities "
        f"({time.perf_counter() - started:.1f}s)\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
