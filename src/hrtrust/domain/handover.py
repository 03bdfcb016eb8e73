"""Handing departments over to the next HR partner: what goes into a pack, the brief that
travels with it, and how a pack merges into the receiver's data home.

Pure functions of (data, today), like the rest of the domain: the CLI reads the files, the
identity and the clock, and ``interop/handover.py`` seals the pack to the receiver's key.

What a pack holds, for the departments named (:func:`select`): their registry entries; their
people (everyone whose department it is, archived ones too, with tags, roles, cadence,
pause and archive state, moments, birthdays, hire dates and an ``employee_number`` when a
contact carries one); the running activities of those departments (or, without a department,
only with their people); open promises both ways; open feedback from them with its actions;
the pulse results; and per person the touch history as dates and kinds (no notes). Private
texts -- contact notes, learned facts, talking points, pause reasons, private feedback and
activity notes -- only with ``private``; without it a person's open talking points travel as
a count.

How a pack merges (:func:`merge`), changing the receiver's documents in place:

- Departments are matched to the receiver's registry as a typed ``--dept`` is (a near miss
  is an error with a did-you-mean); a new one is added as a client department.
- People are matched to the receiver's contacts, in this order: the same person from this
  very pack (a re-import), the same ``employee_number``, the same e-mail (any case), the same
  full name (case and width ignored; a namesake whose e-mail or employee number differs is
  not a match). A match fills only what the receiver's contact lacks, adds tags, moments and
  (with private texts) facts and talking points. Two or more candidates, or two people of the
  pack matching one contact, are never merged: the person is kept as a new contact, with a
  note naming the candidates.
- Every record gets a new id of the receiver's series (ids never collide) and a ``handover``
  table naming the pack, the giver, the day it was given and its id there. Promises keep
  their direction (what the giver owed the department is now owed by the receiver) and are
  inherited; their source log entry stays behind.
- The giver's touch history goes on each person as a ``[[contact.handover]]`` record (its
  ``touches``: dates by kind), never into the log: coverage, balance, the plan and the digest
  count only the receiver's own touches, and ``brief`` shows it as "before handover". A new
  person is added on the day of the import, so they are first due one cadence later.
- A record already there (from this pack, or the same content) is left alone, so importing
  the same pack twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from hrtrust.domain.contacts import fold, id_key, new_id, number_key
from hrtrust.domain.departments import (
    by_department,
    days_quiet,
    dept_key,
    find_department,
    gone_quiet,
    known_departments,
    last_touch,
    near_departments,
    resolve_department,
)
from hrtrust.domain.inherited import HANDOVER
from hrtrust.domain.lapsed import Lapse
from hrtrust.domain.planning import lapses
from hrtrust.domain.topics import add as add_topic
from hrtrust.domain.topics import open_topics
from hrtrust.errors import UsageError
from hrtrust.locale import _
from hrtrust.models import (
    ALLY,
    MANAGER,
    ActivitiesFile,
    Activity,
    Config,
    Contact,
    ContactsFile,
    Department,
    Fact,
    Feedback,
    FeedbackFile,
    Interaction,
    Promise,
    PromisesFile,
    Pulse,
    Touches,
    allocate_id,
    is_sealed,
    new_pulse_id,
    to_toml_dict,
)
from hrtrust.record import Field, Record

if TYPE_CHECKING:  # the reports' rules are loaded by the one command that makes a brief
    from hrtrust.domain.reports import PulseTrend

FORMAT = "hrtrust-handover"
FORMAT_VERSION = 1

# A contact's employee number, when the contacts carry one (a key of their own: hrtrust keeps
# any key it does not know). The strongest match there is.
EMPLOYEE_NUMBER = "employee_number"
# The key of the handover record on the receiver's records (see the module docstring).
# What the text of private feedback reads as in a pack made without private texts.
PRIVATE_FEEDBACK = "(private feedback: its text was not handed over)"


# -- the pack -----------------------------------------------------------------------------------


class Giver(Record):
    """Who gave a pack: the name they gave, and their own public key when their home is
    encrypted (so the receiver can answer in kind)."""

    name: str = Field(min_length=1)
    recipient: str | None = None


class PackPerson(Record):
    """One person in a pack, with the giver's touch history: the dates of their touches by
    kind (a date listed twice: two touches that day). ``open_topics`` counts the talking
    points still open, whose texts travel only with private texts."""

    contact: Contact
    touches: dict[str, list[dt.date]] = Field(default_factory=dict)
    open_topics: int = Field(default=0, ge=0)


class Pack(Record):
    """A handover pack as its JSON document holds it (sealed to the receiver's key)."""

    format: str
    format_version: int
    pack: str = Field(min_length=8)  # a random id: what a re-import recognises
    given: dt.date
    giver: Giver = Field(key="from")
    to: str  # the public key it is sealed to
    private: bool = False  # holds private texts
    departments: list[Department] = Field(default_factory=list)
    people: list[PackPerson] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    promises: list[Promise] = Field(default_factory=list)
    feedback: list[Feedback] = Field(default_factory=list)
    pulse: list[Pulse] = Field(default_factory=list)
    brief: str = ""  # the readable brief (Markdown)


# -- what goes in ---------------------------------------------------------------------------------


@dataclass
class Selection:
    """The giver's records that go into a pack (as stored: private texts may be sealed)."""

    departments: list[Department]
    people: list[Contact]
    touches: dict[str, dict[str, list[dt.date]]]  # person id -> kind -> dates, oldest first
    activities: list[Activity]
    promises: list[Promise]
    feedback: list[Feedback]
    pulses: list[Pulse]


def department_names(
    typed: Sequence[str], config: Config, contacts: Sequence[Contact]
) -> list[str]:
    """The departments ``typed`` names, as registered (case and accents ignored), each once;
    an unknown one is an error with a did-you-mean."""
    out: list[str] = []
    for text in typed:
        name = find_department(text, config, contacts)
        if name is None:
            resolve_department(config, text, contacts, create=False)  # raises, with a hint
            raise AssertionError  # pragma: no cover
        if name not in out:
            out.append(name)
    return out


def select(
    names: Sequence[str],
    *,
    config: Config,
    contacts: Sequence[Contact],
    activities: Sequence[Activity],
    promises: Sequence[Promise],
    feedback: Sequence[Feedback],
    pulses: Sequence[Pulse],
    entries: Iterable[Interaction],
    today: dt.date,
) -> Selection:
    """What a pack for the departments ``names`` holds (see the module docstring)."""
    keys = {dept_key(n) for n in names}

    def ours(dept: str | None) -> bool:
        return dept is not None and dept_key(dept) in keys

    registry = {dept_key(d.name): d for d in config.department}
    depts = [registry.get(dept_key(n)) or Department(name=n) for n in names]
    people = sorted((c for c in contacts if ours(c.dept)), key=id_key)
    ids = {c.id for c in people}
    acts = [
        a
        for a in activities
        # the departments' own, or one without a department that only their people attend
        # (a company-wide lunch & learn some of them join stays the giver's)
        if (ours(a.dept) or (a.dept is None and a.with_ and set(a.with_) <= ids))
        and (a.until is None or a.until >= today)
    ]
    proms = [p for p in promises if p.status == "open" and (p.person in ids or ours(p.dept))]
    items = [f for f in feedback if f.closed is None and (f.person in ids or ours(f.dept))]
    touches: dict[str, dict[str, list[dt.date]]] = {}
    for e in entries:
        if e.date > today:
            continue
        for cid in e.with_:
            if cid in ids:
                touches.setdefault(cid, {}).setdefault(e.kind, []).append(e.date)
    for kinds in touches.values():
        for dates in kinds.values():
            dates.sort()
    return Selection(
        departments=depts,
        people=people,
        touches=touches,
        activities=acts,
        promises=proms,
        feedback=items,
        pulses=[p for p in pulses if ours(p.dept)],
    )


def is_private_feedback(f: Feedback) -> bool:
    """Feedback whose text is private (marked so, or stored encrypted)."""
    return f.private or is_sealed(f.text)


def private_fields(sel: Selection) -> int:
    """How many private texts ``private`` adds to a pack: contact notes, pause reasons, learned
    facts, open talking points, private feedback and activity notes."""
    n = 0
    for c in sel.people:
        n += bool(c.notes) + bool(c.paused_reason) + len(c.learned) + len(open_topics(c))
    n += sum(is_private_feedback(f) for f in sel.feedback)
    n += sum(bool(a.notes) for a in sel.activities)
    return n


_PRIVATE_CONTACT = ("notes", "learned", "paused_reason", "topics")


def _known(record: Record) -> dict[str, Any]:
    """The record's fields as stored, without the keys hrtrust does not know (a pack carries
    hrtrust's data, not whatever else a hand edit put beside it)."""
    data = to_toml_dict(record)
    for key in record.model_extra:
        data.pop(key, None)
    return data


def make_pack(
    sel: Selection,
    *,
    pack_id: str,
    giver: Giver,
    to: str,
    today: dt.date,
    private: bool,
    brief: str,
) -> Pack:
    """The pack of ``sel``: private texts only with ``private`` (then opened: the caller opens
    sealed texts first)."""
    people = []
    for c in sel.people:
        data = _known(c)
        number = c.employee_number
        if number is not None and number.strip():
            data[EMPLOYEE_NUMBER] = number.strip()
        topics = open_topics(c)
        if private:
            data["topics"] = [to_toml_dict(t) for t in topics]
        else:
            for key in _PRIVATE_CONTACT:
                data.pop(key, None)
        people.append(
            PackPerson(
                contact=Contact.model_validate(data),
                touches=sel.touches.get(c.id, {}),
                open_topics=len(topics),
            )
        )
    ids = {c.id for c in sel.people}
    activities = []
    for a in sel.activities:
        data = _known(a)
        data["with"] = [w for w in a.with_ if w in ids]
        if not private:
            data.pop("notes", None)
        activities.append(Activity.model_validate(data))
    feedback = []
    for f in sel.feedback:
        data = _known(f)
        if is_private_feedback(f):
            data["private"] = True
            if not private:
                data["text"] = PRIVATE_FEEDBACK
        feedback.append(Feedback.model_validate(data))
    return Pack(
        format=FORMAT,
        format_version=FORMAT_VERSION,
        pack=pack_id,
        given=today,
        giver=giver,
        to=to,
        private=private,
        departments=[Department.model_validate(_known(d)) for d in sel.departments],
        people=people,
        activities=activities,
        promises=[Promise.model_validate(_known(p)) for p in sel.promises],
        feedback=feedback,
        pulse=[Pulse.model_validate(_known(p)) for p in sel.pulses],
        brief=brief,
    )


# -- the brief ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Met:
    """An ally or manager, and when the giver last met them."""

    contact: Contact
    last: dt.date | None


@dataclass(frozen=True)
class DeptBrief:
    """One department as the next HR partner needs to know it."""

    dept: Department
    people: int  # known there (archived people not counted)
    last: dt.date | None  # the department's last touch
    days_since: int | None
    quiet: bool  # the department has gone quiet (its window passed without a touch)
    allies: tuple[Met, ...]
    managers: tuple[Met, ...]
    owe: tuple[Promise, ...]  # open, the giver owes them: by due date
    waiting: tuple[Promise, ...]  # open, they owe the giver
    feedback: tuple[Feedback, ...]  # raised and not closed, oldest first
    gone_quiet: tuple[Lapse, ...]  # people whose cadence has lapsed, most urgent first
    pulse: PulseTrend | None
    topics: int  # open talking points with its people
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class HandoverBrief:
    """The readable brief that travels in a pack."""

    giver: str
    given: dt.date
    to: str
    private: bool
    depts: tuple[DeptBrief, ...]
    names: Mapping[str, str]  # person id -> name, for the promises and feedback


def handover_brief(
    sel: Selection,
    *,
    config: Config,
    touches: Touches,
    giver: str,
    to: str,
    today: dt.date,
    private: bool,
) -> HandoverBrief:
    """Per department: the ally and the managers with when each was last met, open promises,
    feedback raised and not closed, who has gone quiet and the pulse trend -- by the rules the
    plan and the reports use (``departments.last_touch``/``gone_quiet``, ``planning.lapses``,
    ``reports.pulse_report``)."""
    from hrtrust.domain.reports import pulse_report

    grouped = by_department(sel.people, today)  # present: added by then, not archived
    shown = [
        f
        if private or not is_private_feedback(f)
        else f.model_copy(update={"text": PRIVATE_FEEDBACK})
        for f in sel.feedback
    ]
    trends = {t.dept: t for t in pulse_report(sel.pulses, config, today)}
    out = []
    for d in sel.departments:
        key = dept_key(d.name)
        members = [c for c in sel.people if c.dept and dept_key(c.dept) == key]
        everyone = {c.id for c in members}
        members = [c for c in members if c in grouped.get(c.dept, ())]
        member_ids = {c.id for c in members}
        last = last_touch(d.name, members, touches)

        def met(tag: str, people: Sequence[Contact] = members) -> tuple[Met, ...]:
            return tuple(Met(c, touches.people.get(c.id)) for c in people if tag in c.tags)

        def about(
            record: Promise | Feedback | Activity, k: str = key, ids: set[str] = everyone
        ) -> bool:
            if isinstance(record, Activity):
                return any(w in ids for w in record.with_) and record.dept is None
            return record.person in ids or (record.dept is not None and dept_key(record.dept) == k)

        mine = sorted(
            (p for p in sel.promises if about(p)), key=lambda p: (p.due, number_key(p.id))
        )
        quiet = [x for x in lapses(members, config, touches.people, today) if x.days_over > 0]
        out.append(
            DeptBrief(
                dept=d,
                people=len(members),
                last=last,
                days_since=days_quiet(last, today),
                quiet=gone_quiet(d, last, today),
                allies=met(ALLY),
                managers=met(MANAGER),
                owe=tuple(p for p in mine if p.direction == "owe"),
                waiting=tuple(p for p in mine if p.direction == "await"),
                feedback=tuple(
                    sorted(
                        (f for f in shown if about(f)),
                        key=lambda f: (f.date, number_key(f.id)),
                    )
                ),
                gone_quiet=tuple(quiet),
                pulse=trends.get(d.name),
                topics=sum(len(open_topics(c)) for c in sel.people if c.id in member_ids),
                activities=tuple(
                    a
                    for a in sel.activities
                    if (a.dept is not None and dept_key(a.dept) == key) or about(a)
                ),
            )
        )
    return HandoverBrief(
        giver=giver,
        given=today,
        to=to,
        private=private,
        depts=tuple(out),
        names={c.id: c.name for c in sel.people},
    )


# -- handing over: what the giver archives ---------------------------------------------------------


@dataclass
class Archived:
    """What ``handover --archive`` changed in the giver's home."""

    people: int = 0
    departments: int = 0
    activities_ended: int = 0
    activities_removed: int = 0  # not started yet: they live on in the pack
    promises: int = 0


def archive(
    sel: Selection,
    *,
    config: Config,
    contacts: ContactsFile,
    activities: ActivitiesFile,
    promises: PromisesFile,
    reason: str,
    today: dt.date,
) -> Archived:
    """Archive what was handed over: the people (their history stays), the departments (no
    longer served: out of coverage), the activities (ended today; one that has not started is
    removed), and the open promises (cancelled with ``reason``: no longer the giver's, and
    left out of their keeping rate). Feedback stays as it is."""
    done = Archived()
    people = {c.id for c in sel.people}
    for c in contacts.contact:
        if c.id in people and c.archived is None:
            c.archived = today
            done.people += 1
    keys = {dept_key(d.name) for d in sel.departments}
    for d in config.department:
        if dept_key(d.name) in keys and d.client:
            d.client = False
            done.departments += 1
    handed = {a.id for a in sel.activities}
    kept = []
    for a in activities.activity:
        if a.id in handed and a.start > today:
            done.activities_removed += 1
            continue
        if a.id in handed and (a.until is None or a.until > today):
            a.until = today
            done.activities_ended += 1
        kept.append(a)
    activities.activity = kept
    open_ids = {p.id for p in sel.promises}
    for p in promises.promise:
        if p.id in open_ids and p.status == "open":
            p.status = "cancelled"
            p.closed = today
            p.reason = reason
            done.promises += 1
    return done


# -- receiving: the merge --------------------------------------------------------------------------


@dataclass
class Receiving:
    """The receiver's documents a merge changes in place (raw: private texts as stored)."""

    config: Config
    contacts: ContactsFile
    activities: ActivitiesFile
    promises: PromisesFile
    feedback: FeedbackFile


How = Literal["again", "employee number", "e-mail", "name", "new", "apart"]


@dataclass(frozen=True)
class PersonPlan:
    """Where one person of the pack went: ``into`` the receiver's contact, and ``how`` it was
    found (``again``: imported from this pack before; ``new``: added; ``apart``: added beside
    the ``candidates`` it might be, never merged)."""

    was: str
    name: str
    into: str
    how: How
    candidates: tuple[str, ...] = ()
    namesakes: tuple[str, ...] = ()  # same name, another e-mail or number: not matched


@dataclass
class MergePlan:
    """What importing a pack does (or did): people placed, records added with their new ids,
    and which of the receiver's files change."""

    pack: Pack
    people: list[PersonPlan] = field(default_factory=list)
    new_depts: list[str] = field(default_factory=list)
    depts: dict[str, str] = field(default_factory=dict)  # the pack's name -> the receiver's
    activities: dict[str, str] = field(default_factory=dict)  # the pack's id -> new id
    promises: dict[str, str] = field(default_factory=dict)
    feedback: dict[str, str] = field(default_factory=dict)
    pulses: dict[str, str] = field(default_factory=dict)
    already: int = 0  # records already in the receiver's home (from this pack, or the same)
    late: int = 0  # inherited promises already past their due date
    changed: set[str] = field(default_factory=set)  # "config", "contacts", ...

    @property
    def added_people(self) -> int:
        return sum(p.how in ("new", "apart") for p in self.people)


def origin(pack: Pack, was: str) -> dict[str, str]:
    """The handover table a merged record carries."""
    return {"pack": pack.pack, "from": pack.giver.name, "given": pack.given.isoformat(), "was": was}


def _from_pack(record: Record, pack: Pack, was: str) -> bool:
    """True when ``record`` came from this pack's record ``was``."""
    marks = record.model_extra.get(HANDOVER)
    marks = marks if isinstance(marks, list) else [marks]
    return any(
        isinstance(m, dict) and m.get("pack") == pack.pack and m.get("was") == was for m in marks
    )


def _number(c: Contact) -> str | None:
    value = c.employee_number
    return fold(value) if value is not None and value.strip() else None


def _email(c: Contact) -> str | None:
    return fold(c.email) if c.email else None


def _find(
    person: Contact, pack: Pack, existing: Sequence[Contact]
) -> tuple[How, list[Contact], list[Contact]]:
    """How ``person`` matches the receiver's contacts: the way, the candidates (one: a match),
    and the namesakes left out because their e-mail or number differs."""
    again = [c for c in existing if _from_pack(c, pack, person.id)]
    if again:
        return "again", again[:1], []
    number = _number(person)
    if number is not None:
        found = [c for c in existing if _number(c) == number]
        if found:
            return "employee number", found, []
    email = _email(person)
    if email is not None:
        found = [c for c in existing if _email(c) == email]
        if found:
            return "e-mail", found, []
    name = fold(person.name)
    same = [c for c in existing if fold(c.name) == name]

    def differs(c: Contact) -> bool:
        mine, theirs = (number, _number(c)), (email, _email(c))
        return any(a is not None and b is not None and a != b for a, b in (mine, theirs))

    return "name", [c for c in same if not differs(c)], [c for c in same if differs(c)]


def _apart_note(pack: Pack, candidates: Sequence[Contact]) -> str:
    """The note on a person kept apart, in the receiver's language (it is their note)."""
    listed = _(", ").join(f"{c.id} {c.name}" for c in candidates)
    return _(
        "From {giver}'s handover of {day}: may be the same person as {people}; kept apart, "
        "not merged."
    ).format(giver=pack.giver.name, day=pack.given.isoformat(), people=listed)


def merge(pack: Pack, docs: Receiving, today: dt.date) -> MergePlan:
    """Merge ``pack`` into the receiver's documents (see the module docstring); the plan says
    what changed. Nothing is written here: the caller saves the documents ``plan.changed``
    names (or none, for a dry run)."""
    plan = MergePlan(pack=pack)
    _merge_departments(pack, docs, plan)
    ids = _merge_people(pack, docs, plan, today)
    dept = plan.depts

    def mapped(name: str | None) -> str | None:
        """The receiver's name for a department; None for one they do not know (a promise
        to someone of the pack, made about another department: the person carries it)."""
        return dept.get(name) if name is not None else None

    # activities: the same title, rule and start is the same activity
    for a in pack.activities:
        same = [
            b
            for b in docs.activities.activity
            if _from_pack(b, pack, a.id)
            or (fold(b.title), b.rule, b.start) == (fold(a.title), a.rule, a.start)
        ]
        if same:
            plan.already += 1
            continue
        new = a.model_copy(deep=True)
        new.id = allocate_id(docs.activities, "a", (x.id for x in docs.activities.activity))
        new.with_ = [ids[w] for w in a.with_ if w in ids]
        new.dept = mapped(a.dept)
        new.model_extra = {HANDOVER: origin(pack, a.id)}
        docs.activities.activity.append(new)
        plan.activities[a.id] = new.id
        plan.changed.add("activities")
    # promises: inherited, both ways; the same text, way, person and due date is the same one
    for p in pack.promises:
        person = ids.get(p.person) if p.person else None
        same_p = [
            q
            for q in docs.promises.promise
            if _from_pack(q, pack, p.id)
            or (q.text, q.direction, q.person, q.due) == (p.text, p.direction, person, p.due)
        ]
        if same_p:
            plan.already += 1
            continue
        new_p = p.model_copy(deep=True)
        new_p.id = allocate_id(docs.promises, "p", (x.id for x in docs.promises.promise))
        new_p.person = person
        new_p.dept = mapped(p.dept)
        new_p.source = None  # an entry of the giver's log: never another entry here
        new_p.model_extra = {HANDOVER: origin(pack, p.id)}
        docs.promises.promise.append(new_p)
        plan.promises[p.id] = new_p.id
        plan.late += new_p.status == "open" and new_p.due < today
        plan.changed.add("promises")
    # feedback: the same text, day and person is the same item
    for f in pack.feedback:
        person = ids.get(f.person) if f.person else None
        if any(
            _from_pack(g, pack, f.id) or (g.text, g.date, g.person) == (f.text, f.date, person)
            for g in docs.feedback.feedback
        ):
            plan.already += 1
            continue
        new_f = f.model_copy(deep=True)
        new_f.id = allocate_id(docs.feedback, "f", (x.id for x in docs.feedback.feedback))
        new_f.person = person
        new_f.dept = mapped(f.dept)
        new_f.model_extra = {HANDOVER: origin(pack, f.id)}
        docs.feedback.feedback.append(new_f)
        plan.feedback[f.id] = new_f.id
        plan.changed.add("feedback")
    # pulse results: one per department and day (the receiver's own stays)
    for s in pack.pulse:
        name = mapped(s.dept) or s.dept
        if any(
            _from_pack(r, pack, s.id) or (dept_key(r.dept), r.date) == (dept_key(name), s.date)
            for r in docs.feedback.pulse
        ):
            plan.already += 1
            continue
        new_s = s.model_copy(deep=True)
        new_s.id = new_pulse_id(docs.feedback)
        new_s.dept = name
        new_s.model_extra = {HANDOVER: origin(pack, s.id)}
        docs.feedback.pulse.append(new_s)
        plan.pulses[s.id] = new_s.id
        plan.changed.add("feedback")
    docs.feedback.pulse.sort(key=lambda p: (p.date, fold(p.dept)))
    return plan


def _merge_departments(pack: Pack, docs: Receiving, plan: MergePlan) -> None:
    contacts = docs.contacts.contact
    before = [d.model_copy() for d in docs.config.department]
    for d in pack.departments:
        found = find_department(d.name, docs.config, contacts)
        if found is None:
            near = near_departments(d.name, known_departments(docs.config, contacts))
            if near:  # a typo's twin must not be made beside the real one: the user decides
                raise UsageError(
                    _(
                        "the pack's department {name!r} is new here, but close to {near}; "
                        "nothing was written"
                    ).format(name=d.name, near=_(" and ").join(near)),
                    hint=_(
                        "if it is the same, rename yours first: hrtrust dept rename {near!r} "
                        "{name!r}; if not, add it: hrtrust dept add {name!r}; then import again"
                    ).format(near=near[0], name=d.name),
                )
            match = resolve_department(docs.config, d.name, contacts)
            if match.created is not None:
                match.created.window = d.window
                match.created.headcount = d.headcount
                plan.new_depts.append(match.name)
            found = match.name
        else:
            mine = next((r for r in docs.config.department if r.name == found), None)
            if mine is None:  # named by contacts only (a home from before the registry)
                resolve_department(docs.config, found, contacts)
            elif mine.headcount is None and d.headcount is not None:
                mine.headcount = d.headcount
        plan.depts[d.name] = found
    if [to_toml_dict(d) for d in docs.config.department] != [to_toml_dict(d) for d in before]:
        plan.changed.add("config")
    # records may name departments the pack does not list (a promise to one of its people
    # about another department): the receiver's own when they know it
    for name in _named_depts(pack):
        if name not in plan.depts:
            known = find_department(name, docs.config, contacts)
            if known is not None:
                plan.depts[name] = known


def _named_depts(pack: Pack) -> list[str]:
    named: list[str | None] = [p.contact.dept for p in pack.people]
    named += [a.dept for a in pack.activities] + [p.dept for p in pack.promises]
    named += [f.dept for f in pack.feedback] + [s.dept for s in pack.pulse]
    return list(dict.fromkeys(n for n in named if n))


def _merge_people(pack: Pack, docs: Receiving, plan: MergePlan, today: dt.date) -> dict[str, str]:
    """Place every person of the pack; returns the pack's id -> the receiver's id."""
    existing = list(docs.contacts.contact)
    found = [(p, *_find(p.contact, pack, existing)) for p in pack.people]
    claims: dict[str, int] = {}
    for _person, _how, candidates, _others in found:
        if len(candidates) == 1:
            claims[candidates[0].id] = claims.get(candidates[0].id, 0) + 1
    ids: dict[str, str] = {}
    for person, how, candidates, namesakes in found:
        c = person.contact
        if len(candidates) == 1 and (how == "again" or claims[candidates[0].id] == 1):
            target = candidates[0]
            if how != "again":
                _fill(target, person, pack)
                _add_topics(docs.contacts, target, c, today)
                plan.changed.add("contacts")
            else:
                plan.already += 1
            plan.people.append(PersonPlan(c.id, c.name, target.id, how))
            ids[c.id] = target.id
            continue
        apart = bool(candidates)
        new = _new_contact(person, pack, docs.contacts, plan.depts, today)
        if apart:
            note = _apart_note(pack, candidates)
            new.notes = f"{new.notes}\n\n{note}" if new.notes else note
        plan.people.append(
            PersonPlan(
                c.id,
                c.name,
                new.id,
                "apart" if apart else "new",
                tuple(x.id for x in candidates),
                tuple(x.id for x in namesakes),
            )
        )
        ids[c.id] = new.id
        plan.changed.add("contacts")
    return ids


def _history(person: PackPerson, pack: Pack) -> dict[str, Any]:
    """The ``[[contact.handover]]`` record: the pack, and the giver's touches (ISO dates by
    kind: plain values, as the records cache keeps them)."""
    record: dict[str, Any] = origin(pack, person.contact.id)
    record["touches"] = {
        kind: [d.isoformat() for d in dates] for kind, dates in sorted(person.touches.items())
    }
    return record


def _new_contact(
    person: PackPerson,
    pack: Pack,
    doc: ContactsFile,
    depts: Mapping[str, str],
    today: dt.date,
) -> Contact:
    new = person.contact.model_copy(deep=True)
    new.id = new_id(doc)
    new.dept = depts.get(new.dept, new.dept) if new.dept else None
    new.added = today  # new to the receiver: first due one cadence from now
    new.roster = None  # no roster of the receiver's has listed them yet
    new.topics = []
    extra: dict[str, Any] = {}
    extra[HANDOVER] = [_history(person, pack)]
    new.model_extra = extra
    doc.contact.append(new)
    _add_topics(doc, new, person.contact, today)
    return new


def _add_topics(doc: ContactsFile, into: Contact, source: Contact, today: dt.date) -> None:
    """The pack's open talking points (with private texts) as the receiver's own, numbered in
    their series; one already open there with the same text is not added twice."""
    have = {t.text for t in open_topics(into)}
    for t in open_topics(source):
        if t.text in have:
            continue
        topic = add_topic(doc, into, t.text, today)
        topic.added = t.added
        have.add(t.text)


def _fill(target: Contact, person: PackPerson, pack: Pack) -> None:
    """A matched contact: what the receiver lacks, from the pack; nothing they have is
    replaced. Tags and moments are added; with private texts, facts and talking points too
    (the giver's notes as a fact of the day it was given, when the receiver has notes)."""
    c = person.contact
    for name in (
        "role",
        "location",
        "email",
        "manager",
        "birthday",
        "hired",
        "every",
        "english_name",
        "employee_number",
        "shift",
    ):
        if getattr(target, name) is None and getattr(c, name) is not None:
            setattr(target, name, getattr(c, name))
    target.tags += [t for t in c.tags if t not in target.tags]
    target.moments += [m for m in c.moments if m not in target.moments]
    facts = {(f.date, f.text) for f in target.learned}
    target.learned += [f for f in c.learned if (f.date, f.text) not in facts]
    if c.notes:
        if target.notes is None:
            target.notes = c.notes
        else:
            target.learned.append(
                Fact(
                    date=pack.given,
                    text=_("{giver}'s notes: {notes}").format(giver=pack.giver.name, notes=c.notes),
                )
            )
    if target.paused_until is None and c.paused_until is not None:
        target.paused_until, target.paused_on = c.paused_until, c.paused_on
        target.paused_reason = c.paused_reason
    marks = target.model_extra.get(HANDOVER)
    history = _history(person, pack)
    target.model_extra[HANDOVER] = [*marks, history] if isinstance(marks, list) else [history]
