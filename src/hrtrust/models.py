"""The data model: a record class for every record and every file (``hrtrust.record``:
declared once, validated by a pydantic model derived from the declaration). No I/O here.

Every record keeps fields it does not know (``extra="allow"``), so a key a person added by
hand, or a newer hrtrust wrote, survives a rewrite. TOML has no null, so an absent optional
field is simply not written (see :func:`to_toml_dict`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, NamedTuple, Protocol, TypeVar, cast

from hrtrust.record import Field, Record, field_validator, model_validator

SCHEMA_VERSION = 1

# Tags that matter to planning. Any other tag is allowed and kept.
ALLY = "ally"
MANAGER = "manager"
PEER = "peer"
NEW_HIRE = "new-hire"

# Regular expressions are compiled when first used, not when their module is imported: most
# commands use a handful of the patterns the parsers define (start-up time is the product).


class _LazyPattern:
    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


def lazy_re(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled on first use."""
    return cast("re.Pattern[str]", _LazyPattern(pattern, int(flags)))


_MONTH_DAY = lazy_re(r"^(\d\d)-(\d\d)$")

# What a private text reads as when it is stored encrypted and cannot (or need not) be opened:
# the domain and the views see this marker; only a transaction's raw documents hold ciphertext
# (an ASCII-armored age message, starting with SEALED_PREFIX), which the domain leaves alone.
LOCKED = "(locked)"
SEALED_PREFIX = "-----BEGIN AGE ENCRYPTED FILE-----"
# What personal text reads as after ``hrtrust purge`` removed it from a record that must keep
# some text (a closed feedback item and its actions).
PURGED = "(purged)"

# The fewest respondents a pulse result or survey feedback may have to be shown (the default
# and the floor of ``min_responses``): smaller groups are never shown, so no one is singled out.
MIN_RESPONSES = 5
MIN_RESPONSES_FLOOR = 3


def is_locked(text: str | None) -> bool:
    """True when ``text`` is the marker of an encrypted private text that was not opened."""
    return text == LOCKED


def is_sealed(text: str | None) -> bool:
    """True when ``text`` is an encrypted private field as stored (an age message)."""
    return text is not None and text.startswith(SEALED_PREFIX)


class Fact(Record):
    """Something learned about a person, with the day it was learned (private).

    ``keep``: the person asked for it to be remembered, so ``purge`` leaves it alone."""

    date: dt.date
    text: str
    keep: bool = False


class Topic(Record):
    """A talking point to raise with a person next time (private, like notes).

    Closed by ``topic done`` (``done`` set) or by logging the entry that covered it
    (``done`` and ``covered``, the entry id).
    """

    id: str
    text: str = Field(min_length=1)
    added: dt.date
    done: dt.date | None = None
    covered: str | None = None


MomentKind = Literal["hired", "transfer", "title", "manager", "left", "returned"]
# Where a moment's date comes from: the row's hire date or effective date (the day it
# happened, as the HRIS says); absent: the day the import found it.
MomentDated = Literal["hire-date", "effective-date"]


class Moment(Record):
    """A roster change that matters to the relationship, found by ``import contacts --full``.

    ``before``/``after`` hold the old and new department, title or manager. ``date`` is the
    day it happened when the file says so (``dated`` names the column; ``found`` is then the
    day of the import), else the day of the import.
    """

    date: dt.date
    kind: MomentKind
    before: str | None = None
    after: str | None = None
    dated: MomentDated | None = None
    found: dt.date | None = None


class Contact(Record):
    """A person the HR partner works with."""

    id: str
    name: str = Field(min_length=1)
    # From the HRIS: the English name (an alias a reference can use: "Jack Liu" for 劉家豪),
    # the employee number (員工編號: what import rows match on first) and the shift (班別, as
    # the file writes it: 日班, 夜班, 輪班...; the plan meets a shift worker at a handover).
    english_name: str | None = None
    employee_number: str | None = None
    dept: str | None = None
    role: str | None = None
    location: str | None = None
    shift: str | None = None
    email: str | None = None
    manager: str | None = None
    tags: list[str] = Field(default_factory=list)
    every: str | None = None
    birthday: str | None = None
    hired: dt.date | None = None
    added: dt.date | None = None
    notes: str | None = None
    learned: list[Fact] = Field(default_factory=list)
    paused_until: dt.date | None = None  # no reach-outs, not overdue, not quiet before this day
    paused_on: dt.date | None = None  # the day the pause was recorded
    paused_reason: str | None = None
    archived: dt.date | None = None  # the day they were archived (left): history kept

    def paused(self, today: dt.date) -> bool:
        """Paused on ``today`` (parental leave, an employee-relations case...)."""
        return (
            self.paused_until is not None
            and today < self.paused_until
            and (self.paused_on is None or self.paused_on <= today)
        )

    def present(self, today: dt.date) -> bool:
        """Known on ``today``: added by then and not archived by then (so a replay with an
        earlier ``--today`` sees the people as they were)."""
        added = self.added is None or self.added <= today
        return added and (self.archived is None or self.archived > today)

    def active(self, today: dt.date) -> bool:
        """Present and not paused on ``today``: someone to plan for."""
        return self.present(today) and not self.paused(today)

    # The last day a full roster (`import contacts --full`) listed them.
    roster: dt.date | None = None
    # The day a CSV import brought them in (made them): only such people are archived as
    # leavers by a full roster; people added by hand never are.
    imported: dt.date | None = None
    topics: list[Topic] = Field(default_factory=list)
    moments: list[Moment] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _number_as_text(cls, data: Any) -> Any:
        """An employee number typed by hand as a TOML integer (``employee_number = 1024``) is
        read as the text it is."""
        if isinstance(data, dict) and type(data.get("employee_number")) is int:
            data = {**data, "employee_number": str(data["employee_number"])}
        return data

    @field_validator("birthday")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is None:
            return None
        m = _MONTH_DAY.match(value)
        if not m:
            raise ValueError("birthday must be MM-DD, e.g. 03-14")
        month, day = int(m.group(1)), int(m.group(2))
        try:
            dt.date(2000, month, day)  # a leap year, so 02-29 is a valid birthday
        except ValueError as exc:
            raise ValueError(f"no such day: {value}") from exc
        return value


class Kind(Record):
    """A kind of relationship work, with the cadence the articles recommend."""

    name: str
    label: str
    cadence: str | None = None
    touch: bool = True
    about: str | None = None


class Activity(Record):
    """A recurring commitment: a department meeting, a lunch & learn, a newsletter..."""

    id: str
    title: str = Field(min_length=1)
    kind: str
    rule: str
    start: dt.date
    until: dt.date | None = None
    at: str | None = None
    duration: int | None = Field(default=None, ge=0, le=24 * 60)  # minutes
    dept: str | None = None
    location: str | None = None
    with_: list[str] = Field(default_factory=list, key="with")
    skip: list[dt.date] = Field(default_factory=list)
    notes: str | None = None


class Interaction(Record):
    """One logged touchpoint. ``depts``: the departments it was with (a newsletter or an
    all-hands touches several); a file from before holds a single ``dept``, read as one."""

    id: str
    date: dt.date
    kind: str
    with_: list[str] = Field(default_factory=list, key="with")
    depts: list[str] = Field(default_factory=list)
    activity: str | None = None
    note: str | None = None
    learned: list[str] = Field(default_factory=list)
    promises: list[str] = Field(default_factory=list)
    # The calendar events this entry came from (UID, plus ``;RECURRENCE-ID`` for one instance
    # of a series), so a re-import never logs the same meeting twice.
    uid: list[str] = Field(default_factory=list)
    covered: list[str] = Field(default_factory=list)  # topic ids this touchpoint covered

    @model_validator(mode="before")
    @classmethod
    def _single_dept(cls, data: Any) -> Any:
        if isinstance(data, dict) and "dept" in data:
            data = dict(data)
            single = data.pop("dept")
            if isinstance(single, str) and single:
                data["depts"] = [single, *[d for d in data.get("depts", []) if d != single]]
        return data

    keep: bool = False  # pinned: ``purge`` keeps this entry's note and learned facts


class Touched(Protocol):
    """A log entry as counting sees it: an :class:`Interaction` or a :class:`Touchpoint`."""

    @property
    def date(self) -> dt.date: ...
    @property
    def with_(self) -> list[str]: ...
    @property
    def depts(self) -> list[str]: ...
    @property
    def kind(self) -> str: ...
    @property
    def activity(self) -> str | None: ...


class Touchpoint(NamedTuple):
    """What counting reads of a log entry: its day, kind, people, departments and activity
    (read from the validated records without rebuilding the entry: a quarter of a large log
    holds tens of thousands)."""

    date: dt.date
    kind: str
    with_: list[str]
    depts: list[str]
    activity: str | None = None


class DayCount(NamedTuple):
    """A day of the log, counted (``domain.days.count_days`` says how): what the digest's
    review and ``report coverage`` read of a week or a quarter instead of its entries."""

    depts: dict[str, int]  # entries per department they touch, each entry once per department
    entries: int  # entries that day
    kinds: dict[str, int]  # entries per kind
    untouched: int  # entries that touch no department
    people: list[str]  # everyone in them, each once
    attended: list[str]  # the activities they were logged as attending, each once

    def plus(self, other: DayCount) -> DayCount:
        """The two counts of the same day as one (the entries of both)."""

        def added(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
            out = dict(a)
            for name, n in b.items():
                out[name] = out.get(name, 0) + n
            return out

        return DayCount(
            added(self.depts, other.depts),
            self.entries + other.entries,
            added(self.kinds, other.kinds),
            self.untouched + other.untouched,
            list(dict.fromkeys([*self.people, *other.people])),
            list(dict.fromkeys([*self.attended, *other.attended])),
        )


class Deferral(Record):
    """A renegotiated due date."""

    on: dt.date
    from_: dt.date = Field(key="from")
    to: dt.date
    reason: str | None = None


PromiseStatus = Literal["open", "done", "cancelled"]
Direction = Literal["owe", "await"]


class Promise(Record):
    """A follow-up: one I owe (``owe``) or one I am waiting for (``await``)."""

    id: str
    text: str = Field(min_length=1)
    direction: Direction = "owe"
    person: str | None = None
    dept: str | None = None
    made: dt.date
    due: dt.date
    status: PromiseStatus = "open"
    closed: dt.date | None = None
    reason: str | None = None
    source: str | None = None
    deferrals: list[Deferral] = Field(default_factory=list)

    @property
    def original_due(self) -> dt.date:
        """The due date first agreed, before any renegotiation."""
        return self.deferrals[0].from_ if self.deferrals else self.due


class Action(Record):
    """What HR did about a piece of feedback."""

    date: dt.date
    text: str


class Feedback(Record):
    """Something a person or department told HR ("you said...")."""

    id: str
    text: str = Field(min_length=1)
    person: str | None = None
    dept: str | None = None
    date: dt.date
    actions: list[Action] = Field(default_factory=list)
    closed: dt.date | None = None
    private: bool = False  # its text is personal: stored encrypted in an encrypted home
    responses: int | None = None  # from a survey: how many answered (small groups are hidden)


class Pulse(Record):
    """One trust-audit (pulse survey) result for a department.

    ``id`` (``s3``) came in later: a file written before it loads with ids given in file order
    (see :class:`FeedbackFile`), and they are stored on the next write. ``scale`` is the top
    of the survey's scale, stored only when it is not the usual 5.
    """

    id: str = ""
    dept: str
    date: dt.date
    score: float = Field(allow_inf_nan=False)
    scale: int | float | None = Field(default=None, gt=0)
    responses: int | None = None  # how many answered; below ``min_responses`` it is not shown

    @property
    def top(self) -> float:
        """The survey's top score: ``scale``, else 5."""
        return float(self.scale) if self.scale else 5.0


class Department(Record):
    """A department the HR partner serves, and how long it may go without a touchpoint."""

    name: str
    client: bool = True
    window: str = "2w"
    headcount: int | None = None
    added: dt.date | None = None  # registered that day: not "gone quiet" before its window


class Smtp(Record):
    """Where `digest --mail-to` sends mail. The password comes from an environment variable."""

    host: str = "localhost"
    port: int = 587
    starttls: bool = True
    user: str | None = None
    password_env: str = "HRTRUST_SMTP_PASSWORD"
    sender: str | None = None

    @model_validator(mode="after")
    def _no_password(self) -> Smtp:
        if any(key.casefold() in SECRET_KEYS for key in self.model_extra or {}):
            raise ValueError(
                "a password is never read from config.toml: delete it and put it in the "
                f"environment variable password_env names ({self.password_env})"
            )
        return self


SECRET_KEYS = {"password", "pass", "passwd", "secret", "token"}

# What `digest --post-to NAME` can post to (``config set delivery.NAME.kind``).
DELIVERY_KINDS = ("teams", "slack", "google-chat", "ntfy", "webhook")


class Delivery(Record):
    """``[[delivery]]`` in config.toml: a place `digest --post-to NAME` posts the digest.

    A webhook URL is itself the credential, so only the name of the environment variable that
    holds it (``url_env``) is kept here; a URL found in the table is refused, as a password in
    ``[smtp]`` is. ``kind`` is checked when something is posted, so a typo in it fails that
    command only, not every command that reads config.toml.
    """

    name: str
    kind: str | None = None
    url_env: str | None = None

    @model_validator(mode="after")
    def _no_url(self) -> Delivery:
        extra = self.model_extra or {}
        texts = [self.url_env or "", *(v for v in extra.values() if isinstance(v, str))]
        if any(k.casefold() in ("url", "uri", "webhook") for k in extra) or any(
            "://" in text for text in texts
        ):
            raise ValueError(
                "a delivery URL is never read from config.toml (it carries a secret): delete "
                "it, put it in an environment variable and name that variable in url_env"
            )
        return self


# The last word of a key that holds a credential (``smtp_password``, ``auth-token``,
# ``clientSecret``); ``key`` counts after another word (``api_key``, ``private_key``).
_SECRET_WORDS = frozenset(
    "password passwd pwd passphrase secret token apikey credential credentials".split()
)
_KEY_WORDS = lazy_re(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")

SecretPath = tuple[str | int, ...]


def is_secret_key(key: str) -> bool:
    """Whether a key's name says it holds a secret: ``password``, ``passwd``, ``token``,
    ``API_KEY``, ``smtpPassword``, ``auth-token``, ``client_secret``: any case, any separator.
    (``password_env`` names an environment variable: it is not one.)"""
    if key.casefold() in SECRET_KEYS:
        return True
    words = [w.casefold() for w in _KEY_WORDS.findall(key)]
    if not words:
        return False
    return words[-1] in _SECRET_WORDS or (words[-1] == "key" and len(words) > 1)


def secret_keys(record: Record) -> list[SecretPath]:
    """Where ``record`` (``config.toml``) holds a key that :func:`is_secret_key` names, at any
    depth, among the keys hrtrust does not know and keeps as they are (its own fields hold no
    secret; a secret under one is found all the same): each as its path of keys and list
    positions in the file's TOML table, e.g. ``("integrations", "slack", "token")``."""
    found: list[SecretPath] = []
    _secrets_in_record(record, (), found)
    return found


def _secrets_in_record(record: Record, path: SecretPath, found: list[SecretPath]) -> None:
    for name, info in type(record).model_fields.items():
        _secrets_in_field(getattr(record, name), (*path, info.alias or name), found)
    for key, value in (record.model_extra or {}).items():
        _secrets_in_unknown(key, value, path, found)


def _secrets_in_field(value: Any, path: SecretPath, found: list[SecretPath]) -> None:
    """A field hrtrust knows: only the records in it can hold unknown keys (the keys of a
    known table, such as ``[cadence]``'s tag names, are data, never secrets)."""
    if isinstance(value, Record):
        _secrets_in_record(value, path, found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _secrets_in_field(item, (*path, i), found)


def _secrets_in_unknown(key: str, value: Any, path: SecretPath, found: list[SecretPath]) -> None:
    here = (*path, key)
    if is_secret_key(key):
        found.append(here)
    elif isinstance(value, dict):
        for sub, item in value.items():
            _secrets_in_unknown(str(sub), item, here, found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                for sub, inner in item.items():
                    _secrets_in_unknown(str(sub), inner, (*here, i), found)


def dotted(path: SecretPath) -> str:
    """``integrations.slack.token``, ``department[2].api_key``: a key's place in a file."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


DEFAULT_CADENCE = {ALLY: "2w", MANAGER: "3w", NEW_HIRE: "2w", PEER: "1m", "default": "6w"}
DEFAULT_WEEK = ["mon", "tue", "wed", "thu", "fri"]


class Document(Record):
    """A whole data file: a schema version, then its records."""

    schema_version: int = SCHEMA_VERSION


class Encryption(Record):
    """``[encryption]`` in config.toml: the public age recipient private fields are sealed to.

    Only the public half lives in the data home; the identity (secret key) is kept elsewhere."""

    recipient: str


class Config(Document):
    """``config.toml``: time zone, working week, default cadences, budgets, departments."""

    timezone: str = "UTC"
    country: str | None = None  # ISO 3166 code whose public holidays the plan respects
    week: list[str] = Field(default_factory=lambda: list(DEFAULT_WEEK))
    cadence: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CADENCE))
    reach_out_per_week: int = Field(default=5, ge=0)
    max_per_day: int = Field(default=4, ge=1)
    # When a promise's calendar to-do rings on its due day (HH:MM local, or "off").
    promise_alarm: str = "09:00"
    department: list[Department] = Field(default_factory=list)
    kind: list[Kind] = Field(default_factory=list)
    smtp: Smtp | None = None
    # How long learned facts, log notes and closed feedback text are kept ("24m", "2y");
    # None keeps them for ever. ``hrtrust purge`` removes what is older.
    retention: str | None = None
    # The fewest respondents a pulse score or survey feedback needs to be shown.
    min_responses: int = Field(default=MIN_RESPONSES, ge=MIN_RESPONSES_FLOOR)
    encryption: Encryption | None = None
    # The language hrtrust speaks: zh-TW, en, or auto (the locale's). Read before the
    # models, from the file itself (storage.places.configured_language).
    language: str = "auto"
    # ``[[delivery]]``: where `digest --post-to NAME` posts (names and variables, no URL).
    delivery: list[Delivery] = Field(default_factory=list)

    @field_validator("promise_alarm")
    @classmethod
    def _alarm(cls, value: str) -> str:
        if value.strip().lower() == "off" or re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            return value
        raise ValueError('promise_alarm must be a time like "09:00", or "off"')


class ContactsFile(Document):
    """``contacts.toml``."""

    next_id: int = 1
    next_topic: int | None = None  # the next talking point's number (absent: 1)
    contact: list[Contact] = Field(default_factory=list)

    # written and checked a contact at a time (storage.toml_format.dumps_checked): a roster of
    # 50,000 is never held twice over as TOML data and as a validated copy
    checked_by_item: ClassVar[tuple[str, type[Record]]] = ("contact", Contact)


class ActivitiesFile(Document):
    """``activities.toml``."""

    next_id: int = 1
    activity: list[Activity] = Field(default_factory=list)


class PromisesFile(Document):
    """``promises.toml``."""

    next_id: int = 1
    promise: list[Promise] = Field(default_factory=list)

    checked_by_item: ClassVar[tuple[str, type[Record]]] = ("promise", Promise)


class FeedbackFile(Document):
    """``feedback.toml``: feedback items and pulse results."""

    next_id: int = 1
    next_pulse_id: int = 1
    feedback: list[Feedback] = Field(default_factory=list)
    pulse: list[Pulse] = Field(default_factory=list)

    @model_validator(mode="after")
    def _number_pulses(self) -> FeedbackFile:
        """Pulses from before pulse ids get theirs now, in file order (stored on next write)."""
        for p in self.pulse:
            if not p.id:
                p.id = new_pulse_id(self)
        return self


def new_pulse_id(doc: FeedbackFile) -> str:
    """A fresh pulse id like ``s3`` (s for survey; never reused)."""
    n = max(doc.next_pulse_id, 1)
    taken = {p.id for p in doc.pulse}
    while f"s{n}" in taken:
        n += 1
    doc.next_pulse_id = n + 1
    return f"s{n}"


class LogFile(Document):
    """``log/YYYY-MM.toml``: one month of interactions. ``issued``: the highest entry number
    given out on a day, kept once an entry of that day is deleted or moved, so its id is never
    given to another entry (a promise's ``source`` must not point elsewhere)."""

    issued: dict[str, int] = Field(default_factory=dict)
    entry: list[Interaction] = Field(default_factory=list)

    # Its validated records keep the entries in runs by day, with every id beside them
    # (``storage.cache``): a week, or the day a log appends to, is read without the month.
    records_runs: ClassVar[tuple[str, str, str]] = ("entry", "date", "id")


class Numbered(Protocol):
    """A file whose records get ids ``<prefix><n>`` from its ``next_id`` counter."""

    next_id: int


def allocate_id(doc: Numbered, prefix: str, used: Iterable[str]) -> str:
    """A fresh id like ``c12``; ids are never reused, so old references never point elsewhere."""
    taken = used if isinstance(used, set | frozenset) else set(used)  # a set is not copied
    n = max(doc.next_id, 1)
    while f"{prefix}{n}" in taken:
        n += 1
    doc.next_id = n + 1
    return f"{prefix}{n}"


class HasId(Protocol):
    id: str


R = TypeVar("R", bound=HasId)


def find_id(records: Iterable[R], ref: str, prefix: str) -> R | None:
    """The record whose id ``ref`` names: ``p12``, ``P12`` or just ``12`` (with ``prefix``
    ``p``); None when there is none (the caller says what was not found)."""
    key = ref.strip().lower()
    if key.isdigit():
        key = f"{prefix}{key}"
    return next((r for r in records if r.id.lower() == key), None)


def to_toml_dict(model: Record) -> dict[str, Any]:
    """The TOML-ready form of a model, keyed by alias.

    TOML has no null, so an unset optional field is left out; so is a list or table left at
    its empty default (``tags = []``), and a flag left at its default false (``keep``), so
    records written before the flag existed keep their bytes. Keys hrtrust does not know are
    written back as they were read, empty or not.
    """
    out: dict[str, Any] = {}
    empty_default = _empty_defaults(type(model))
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        if (value == [] or value == {} or value is False) and name in empty_default:
            continue
        out[info.alias or name] = _plain(value)
    for key, value in (model.model_extra or {}).items():
        out[key] = _plain(value)
    return out


_EMPTY_DEFAULTS: dict[type[Record], frozenset[str]] = {}


def _empty_defaults(cls: type[Record]) -> frozenset[str]:
    """The fields of ``cls`` whose default is an empty list or table or false, found once per
    class (not by calling each factory per record)."""
    found = _EMPTY_DEFAULTS.get(cls)
    if found is None:
        found = frozenset(
            name
            for name, info in cls.model_fields.items()
            if not info.required and _is_bare(info.default_value())
        )
        _EMPTY_DEFAULTS[cls] = found
    return found


def _is_bare(default: Any) -> bool:
    """An empty list or table, or ``false``: what a file need not spell out."""
    return default is False or (isinstance(default, list | dict) and not default)


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return to_toml_dict(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


MAX_DEPTH = 64  # tables and arrays inside each other; real files use about 4


def nesting_depth(value: Any) -> int:
    """How deeply ``value``'s dicts and lists nest (iteratively: no recursion limit). Only
    containers are visited: a month of the log holds a million scalars and a few thousand
    tables."""
    if not isinstance(value, (dict, list)):
        return 0
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, (dict, list)):
                stack.append((child, depth + 1))
    return deepest


def entry_sort_key(entry: Interaction) -> tuple[dt.date, int, str]:
    """Log entries sort by day, then by their number within the day (``2026-11-23.2``)."""
    _, _, seq = entry.id.rpartition(".")
    return (entry.date, int(seq) if seq.isdigit() else 0, entry.id)


def highest_entry_number(ids: Iterable[str], day: str, issued: dict[str, int]) -> int:
    """The highest number given out on ``day`` (``2026-11-23``): the entry ids ``ids`` that
    name the day (``2026-11-23.3``) and what ``issued`` remembers of deleted or moved ones."""
    prefix = day + "."
    n = len(prefix)
    used = [int(i[n:]) for i in ids if i.startswith(prefix) and i[n:].isdigit()]
    return max(*used, issued.get(day, 0), 0)


@dataclass(frozen=True)
class PublicDays:
    """Public holidays (date -> name) and make-up working days (a Saturday worked in exchange
    for a bridge holiday) over some span, for the configured country.

    Built outside the domain (the CLI asks the ``holidays`` package) and handed in as data.
    """

    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: frozenset[dt.date] = frozenset()


@dataclass
class Touches:
    """When each person (by id) and department (by name) was last touched, as of a day, and
    how often: ``counts`` holds, per month (``"2026-11"``), touches per person id.

    Built by ``storage.touches`` from a derived index; entries after the "as of" day are not in
    it, so every figure built on it (gone quiet, coverage, reach-outs) ignores the future.
    """

    people: dict[str, dt.date] = field(default_factory=dict)
    last_kind: Mapping[str, str] = field(default_factory=dict)
    depts: dict[str, dt.date] = field(default_factory=dict)
    counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    # no touch in it is later than this day (None: not known; the people say)
    latest: dt.date | None = None

    def people_after(self, day: dt.date) -> dict[str, dt.date]:
        """The people last touched after ``day``, with that day (usually nobody: a week
        reviewed on the Monday after it)."""
        if self.latest is not None and self.latest <= day:
            return {}
        return {cid: last for cid, last in self.people.items() if last > day}

    def count_since(self, contact_id: str, since: dt.date) -> int:
        """Touches of a person in the months from ``since``'s month on (month granularity)."""
        return self.counts_since(since).get(contact_id, 0)

    def counts_since(self, since: dt.date) -> dict[str, int]:
        """Touches per person id in the months from ``since``'s month on, for everyone at once
        (one pass over the months, not one per person)."""
        total: dict[str, int] = {}
        for per_person in self.months_since(since):
            for cid, n in per_person.items():
                total[cid] = total.get(cid, 0) + n
        return total

    def months_since(self, since: dt.date) -> list[Mapping[str, int]]:
        """Touches per person id of each month from ``since``'s month on: only those months'
        counts are read (the index keeps each month apart)."""
        first = f"{since.year:04d}-{since.month:02d}"
        return [self.counts[month] for month in self.counts if month >= first]
