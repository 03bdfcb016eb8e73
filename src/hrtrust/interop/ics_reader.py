"""Reading a calendar export (.ics) one event at a time, each recurring series expanded only
over the days that can become touchpoints.

hrtrust first parsed the whole file with icalendar and expanded it with recurring-ical-events.
Both hold the whole calendar as objects (100,000 events took 934 MB), and a rule was expanded
from its DTSTART however often it repeats (``FREQ=SECONDLY`` ran 25 s and 300 MB per event).
Here:

- the file is read line by line, and of each VEVENT only what an import uses is kept (UID,
  SUMMARY, STATUS, SEQUENCE, times, recurrence, people); a property nobody reads (an
  attachment, a long description) is passed over without being held;
- a series is expanded with dateutil's ``rrule`` over the window only (``first`` to ``last``,
  with two days' margin for time zones), a rule without COUNT from its last period before the
  window rather than from a DTSTART years back, and at most :data:`MAX_REPEATS` times;
- a rule that repeats more often than daily is one meeting when it stays within its first
  day, and is not read otherwise (with the reason): hrtrust logs meetings, at most one a day
  from a series;
- a rule no day satisfies (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``) makes dateutil search every
  year up to 9999 for it. The window is moved forward by whole 400-year Gregorian cycles
  (which repeat every date and weekday exactly) to just below that year, so the search past
  the window is at most one cycle.

An event that cannot be read (no DTSTART, a date such as ``00000000T000000Z``, a rule dateutil
refuses) is listed with its reason; it never refuses the whole file. Times: a TZID that names an
IANA zone is that zone; else the file's VTIMEZONE of that name; else a Windows zone name
(``Taipei Standard Time``) is looked up; else the time is floating. X-WR-TIMEZONE (Google)
applies to UTC and floating times, as the ``x-wr-timezone`` package does. Of several versions of
one event (the same UID and RECURRENCE-ID) the highest SEQUENCE wins, the first on a tie.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from dateutil.rrule import rrule

from hrtrust.errors import UsageError

DEFAULT_DURATION = dt.timedelta(hours=1)
MAX_REPEATS = 10_000  # occurrences one series may give in the window (a daily meeting, 27 years)
MAX_EVENTS = 200_000  # events one import holds: about 60 MiB of them
LINE_LIMIT = 1 << 16  # a longer content line is cut: no title or address is that long
TITLE_LIMIT = 500
_CYCLE = dt.timedelta(days=146_097)  # 400 Gregorian years: every date falls on the same weekday
_UTC = dt.UTC
# Properties an import reads: in a VEVENT, in the VCALENDAR, and in a VTIMEZONE (to build it).
_KEPT = frozenset(
    {
        "BEGIN",
        "END",
        "UID",
        "SUMMARY",
        "STATUS",
        "SEQUENCE",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RECURRENCE-ID",
        "RRULE",
        "EXRULE",
        "RDATE",
        "EXDATE",
        "ATTENDEE",
        "ORGANIZER",
        "X-WR-CALNAME",
        "X-WR-TIMEZONE",
        "TZID",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "TZNAME",
    }
)
_PARAM = re.compile(r';([A-Za-z0-9-]+)=((?:"[^"]*"|[^";:,]*)(?:,(?:"[^"]*"|[^";:,]*))*)')
_ESCAPED = re.compile(r"\\([\\;,nN])")
_WHEN = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?")
_DURATION = re.compile(r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
# Control characters never belong in a title, a name or an address (ESC would reach the
# terminal in the report); line breaks and tabs become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_SUB_DAILY = {"HOURLY": 3600, "MINUTELY": 60, "SECONDLY": 1}
_DAY_PARTS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYSETPOS")
_TIME_PARTS = {
    "HOURLY": ("BYHOUR",),
    "MINUTELY": ("BYHOUR", "BYMINUTE"),
    "SECONDLY": ("BYHOUR", "BYMINUTE", "BYSECOND"),
}
_RULE_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)

When = dt.date | dt.datetime


@dataclass(frozen=True, slots=True)
class Person:
    """An attendee or organiser: address (as written), display name, reply."""

    email: str
    name: str | None
    partstat: str
    resource: bool = False


@dataclass(frozen=True, slots=True)
class CalEvent:
    """One occurrence of a calendar event, its times in the configured time zone."""

    key: str  # UID, or "UID;RECURRENCE-ID" for an instance of a series
    title: str
    day: dt.date
    start: dt.datetime | None  # None for an all-day event
    end: dt.datetime | None
    status: str
    people: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class Unread:
    """An event (or a whole series) not read, and why: its title, UID and day when known."""

    uid: str
    title: str
    day: dt.date | None
    reason: str


class _Single(NamedTuple):
    """An event with no RRULE, RDATE or RECURRENCE-ID: its SEQUENCE and DTSTART (should its
    UID turn out to be a series'), and its occurrence when it can fall in the window."""

    seq: int
    start: When
    event: CalEvent | None


class ReadResult(NamedTuple):
    """The occurrences in the window in time order, the calendar owner's address when the
    file says it (Google puts it in X-WR-CALNAME), and the events that could not be read."""

    events: list[CalEvent]
    owner: str | None
    unread: list[Unread]


class _Bad(Exception):
    """An event that cannot be read; the message is the reason."""


def _reason(exc: _Bad) -> str:
    """The reason on one line, without control characters (it may quote the file)."""
    return _CONTROL.sub(" ", str(exc)).strip()


Raw = tuple[str, dict[str, str]]  # a property's value and parameters, as written


@dataclass(slots=True)
class _Props:
    """The properties of one VEVENT an import reads, as written."""

    uid: str = ""
    seq: str = ""
    title: str = ""
    status: str = ""
    start: Raw | None = None
    end: Raw | None = None
    duration: str | None = None
    rid: Raw | None = None
    rrules: list[str] = field(default_factory=list)
    exrules: list[str] = field(default_factory=list)
    rdates: list[Raw] = field(default_factory=list)
    exdates: list[Raw] = field(default_factory=list)
    people: list[Raw] = field(default_factory=list)
    organizer: Raw | None = None


@dataclass(slots=True)
class _Event:
    """One VEVENT read: its times as dates or datetimes (aware unless floating)."""

    uid: str
    seq: int
    title: str
    status: str
    people: tuple[Person, ...]
    start: When
    end: When | None
    duration: dt.timedelta | None
    rid: When | None
    rrules: tuple[str, ...]
    exrules: tuple[str, ...]
    rdates: tuple[When, ...]
    exdates: tuple[When, ...]

    @property
    def series(self) -> bool:
        return bool(self.rrules or self.rdates or self.rid is not None)


def read_events(
    source: bytes | IO[bytes],
    where: str,
    tz: ZoneInfo,
    first: dt.date | None,
    last: dt.date,
    *,
    progress: Callable[[int], None] | None = None,
) -> ReadResult:
    """Every occurrence with a local day in [first, last] (``first``: the file's earliest
    event), in time order. ``progress`` is told the kilobytes read, every so often."""
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    return _Reader(where, tz, first, last).read(stream, progress)


class _Reader:
    def __init__(self, where: str, tz: ZoneInfo, first: dt.date | None, last: dt.date) -> None:
        self.where = where
        self.tz = tz
        self.first = first
        self.last = last
        self.earliest: dt.date | None = None
        self.owner: str | None = None
        self.wr_tz: ZoneInfo | None = None
        self.zones: dict[str, dt.tzinfo | None] = {}
        self.vtimezones: dict[str, list[str]] = {}
        self.persons: dict[tuple[str, str | None, str | None, str | None], Person | None] = {}
        self.texts: dict[str, str] = {}
        self.groups: dict[tuple[Person, ...], tuple[Person, ...]] = {}
        self.days: dict[dt.date, dt.date] = {}
        # Events with no RRULE, RDATE or RECURRENCE-ID by UID (the highest SEQUENCE), their
        # occurrence kept only when it can fall in the window.
        self.singles: dict[str, _Single] = {}
        self.no_uid: list[CalEvent] = []
        self.series: dict[str, list[_Event]] = {}
        self.held = 0
        self.unread: list[Unread] = []

    # -- the file's lines and components ----------------------------------------------------

    def read(self, stream: IO[bytes], progress: Callable[[int], None] | None) -> ReadResult:
        stack: list[str] = []
        props: _Props | None = None
        zone: list[str] | None = None
        calendars = 0
        for line in _lines(stream, progress):
            name, params, value = line
            if name == "BEGIN":
                what = value.strip().upper()
                if not stack and what != "VCALENDAR":
                    raise self._not_ical("it does not begin with BEGIN:VCALENDAR")
                stack.append(what)
                if what == "VCALENDAR":
                    calendars += 1
                elif len(stack) == 2 and what == "VEVENT":
                    props = _Props()
                elif len(stack) == 2 and what == "VTIMEZONE":
                    zone = []
                if zone is not None:
                    zone.append(f"BEGIN:{what}")
                continue
            if name == "END":
                what = value.strip().upper()
                if what in stack:  # an END without its BEGIN is ignored
                    while stack.pop() != what:
                        pass
                if zone is not None:
                    zone.append(f"END:{what}")
                    if len(stack) == 1:
                        self._zone_read(zone)
                        zone = None
                elif props is not None and len(stack) < 2:
                    self._vevent(props)
                    props = None
                continue
            if not stack:
                if calendars == 0:
                    raise self._not_ical("it does not begin with BEGIN:VCALENDAR")
                continue
            if zone is not None:
                zone.append(_unparse(name, params, value))
            elif props is not None and len(stack) == 2:
                _collect(props, name, params, value)
            elif len(stack) == 1:
                self._calendar_property(name, value)
        if calendars == 0:
            raise self._not_ical("no VCALENDAR")
        return self._finish()

    def _not_ical(self, why: str) -> UsageError:
        return UsageError(
            f"{self.where}: not an iCalendar file ({why})",
            hint="export the calendar as .ics (Outlook: Save Calendar; Google: Export)",
        )

    def _calendar_property(self, name: str, value: str) -> None:
        if name == "X-WR-CALNAME":
            owner = _unescape(value).strip()
            self.owner = owner if "@" in owner and " " not in owner else None
        elif name == "X-WR-TIMEZONE":
            self.wr_tz = _zone(_unescape(value).strip())

    def _zone_read(self, lines: list[str]) -> None:
        tzid = next((line[5:] for line in lines if line.upper().startswith("TZID:")), "")
        if tzid and tzid not in self.vtimezones and len(self.vtimezones) < 100:
            self.vtimezones[tzid] = lines[:1000]

    # -- one VEVENT ---------------------------------------------------------------------------

    def _vevent(self, props: _Props) -> None:
        uid = _unescape(props.uid).strip()
        title = self._clean(_unescape(props.title), TITLE_LIMIT)
        try:
            event = self._event(props, uid, title)
        except _Bad as exc:
            self._unread(uid, title, None, exc)
            return
        day = _day(event.start, self.tz)
        if self.earliest is None or day < self.earliest:
            self.earliest = day
        if event.series:
            self.series.setdefault(uid, []).append(event)
            self._hold(1)
            return
        occurrence = self._occurrence(event, uid, event.start, event.end)
        kept = occurrence if self._may_show(occurrence.day) else None
        if not uid:
            if kept is not None:
                self.no_uid.append(kept)
                self._hold(1)
            return
        held = self.singles.get(uid)
        if held is None or event.seq > held.seq:
            self.singles[uid] = _Single(event.seq, event.start, kept)
            self._hold(int(held is None))

    def _unread(self, uid: str, title: str, day: dt.date | None, exc: _Bad) -> None:
        reason = _reason(exc)
        self.unread.append(
            Unread(uid, title or "(no title)", day, self.texts.setdefault(reason, reason))
        )
        self._hold(1)

    def _hold(self, n: int) -> None:
        self.held += n
        if self.held > MAX_EVENTS:
            raise self._too_many()

    def _too_many(self) -> UsageError:
        return UsageError(
            f"{self.where}: more than {MAX_EVENTS:,} events to read at once",
            hint="import a shorter span at a time with --since DATE",
        )

    def _may_show(self, day: dt.date) -> bool:
        return day <= self.last and (self.first is None or day >= self.first)

    def _event(self, props: _Props, uid: str, title: str) -> _Event:
        if props.start is None:
            raise _Bad("no DTSTART (start time)")
        start = self._when(props.start, "DTSTART")
        end = self._when(props.end, "DTEND") if props.end is not None else None
        duration = _duration(props.duration) if props.duration else None
        rid = self._when(props.rid, "RECURRENCE-ID") if props.rid is not None else None
        rdates = tuple(d for raw in props.rdates for d in self._whens(raw, "RDATE"))
        exdates = tuple(d for raw in props.exdates for d in self._whens(raw, "EXDATE"))
        people = [*props.people, props.organizer] if props.organizer else props.people
        status = _unescape(props.status).strip().upper()
        seq = props.seq.strip()
        return _Event(
            uid=uid,
            seq=int(seq) if seq.isdigit() and len(seq) < 10 else 0,
            title=title,
            status=status,
            people=self._group(tuple(self._people(people))),
            start=start,
            end=end,
            duration=duration,
            rid=rid,
            rrules=tuple(props.rrules),
            exrules=tuple(props.exrules),
            rdates=rdates,
            exdates=exdates,
        )

    def _when(self, raw: Raw, what: str) -> When:
        found = self._whens(raw, what)
        if not found:
            raise _Bad(f"{what} {raw[0][:40]!r} is not a date")
        return found[0]

    def _whens(self, raw: Raw, what: str) -> list[When]:
        """The dates or times of a DTSTART, DTEND, RDATE or EXDATE (a list for the last two;
        a PERIOD's start)."""
        value, params = raw
        tzinfo = self._tz_named(params["TZID"]) if "TZID" in params else None
        out: list[When] = []
        for item in value.split(","):
            text = item.split("/", 1)[0].strip()
            m = _WHEN.fullmatch(text)
            if m is None:
                raise _Bad(f"{what} {text[:40]!r} is not a date")
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
                if m[4] is None:
                    out.append(day)
                    continue
                moment = dt.datetime.combine(day, dt.time(int(m[4]), int(m[5]), int(m[6])))
                if m[7]:
                    utc = moment.replace(tzinfo=_UTC)
                    out.append(utc.astimezone(self.wr_tz) if self.wr_tz else utc)
                elif tzinfo is not None:
                    out.append(moment.replace(tzinfo=tzinfo))
                else:
                    out.append(moment.replace(tzinfo=self.wr_tz) if self.wr_tz else moment)
            except (ValueError, OverflowError):
                raise _Bad(f"{what} {text[:40]!r} is not a date") from None
        return out

    def _tz_named(self, tzid: str) -> dt.tzinfo | None:
        """The zone a TZID names (None: floating), worked out once per file."""
        if tzid in self.zones:
            return self.zones[tzid]
        found: dt.tzinfo | None = _zone(tzid)
        if found is None and tzid in self.vtimezones:
            found = _vtimezone(self.vtimezones[tzid])
        if found is None:
            found = _known_zone(tzid)
        self.zones[tzid] = found
        return found

    def _group(self, people: tuple[Person, ...]) -> tuple[Person, ...]:
        """One tuple for each set of people (a series invites the same ones each time)."""
        return self.groups.setdefault(people, people)

    def _people(self, values: Sequence[Raw]) -> Iterator[Person]:
        seen: set[str] = set()
        for value, params in values:
            written = (value, params.get("CN"), params.get("PARTSTAT"), params.get("CUTYPE"))
            person = self.persons.get(written)
            if person is None:
                person = self._person(*written)
                self.persons[written] = person
            if person is None or person.email.casefold() in seen:
                continue
            seen.add(person.email.casefold())
            yield person

    def _person(
        self, value: str, name: str | None, partstat: str | None, cutype: str | None
    ) -> Person | None:
        """An ATTENDEE or ORGANIZER as written (its address, CN, PARTSTAT and CUTYPE); None
        when it has no address. One for each way a person is written in the file."""
        address = _address(self._clean(value, 320))
        if not address:
            return None
        return Person(
            address,
            self._clean(name, 200) or None if name else None,
            (partstat or "NEEDS-ACTION").upper(),
            (cutype or "INDIVIDUAL").upper() in ("ROOM", "RESOURCE"),
        )

    def _day(self, day: dt.date) -> dt.date:
        """One object for each day (a year of meetings falls on a few hundred)."""
        return self.days.setdefault(day, day)

    def _clean(self, text: str, limit: int) -> str:
        """``text`` on one line, without control characters, cut at ``limit``; one string
        for each distinct text (a series repeats its title and attendees)."""
        if _CONTROL.search(text):
            text = _CONTROL.sub(" ", text)
        text = text.strip()[:limit]
        return self.texts.setdefault(text, text)

    def _occurrence(
        self, event: _Event, key: str, start: When, end: When | None, duration: bool = False
    ) -> CalEvent:
        """``event`` as one occurrence from ``start`` (to ``end``), in the configured zone."""
        title = event.title
        status = event.status
        if _CANCELLED_TITLE.match(title):  # Outlook keeps "Canceled: ..." on attendees' copies
            status = "CANCELLED"
            title = _CANCELLED_TITLE.sub("", title)
        if end is None and event.duration is not None and not duration:
            try:
                end = start + event.duration
            except OverflowError:
                end = None
        if isinstance(start, dt.datetime):
            local = _local(start, self.tz)
            later = _local(end, self.tz) if isinstance(end, dt.datetime) else None
            return CalEvent(
                key=key,
                title=title or "(no title)",
                day=self._day(local.date()),
                start=local,
                end=later or local + DEFAULT_DURATION,
                status=status,
                people=event.people,
            )
        return CalEvent(key, title or "(no title)", start, None, None, status, event.people)

    # -- after the last line: series, and the events in the window ------------------------

    def _finish(self) -> ReadResult:
        first = self.first if self.first is not None else (self.earliest or self.last)
        out: list[CalEvent] = []
        for uid, single in self.singles.items():
            if uid not in self.series and single.event is not None and single.event.day >= first:
                out.append(single.event)
        out += (e for e in self.no_uid if e.day >= first)
        for uid, parts in self.series.items():
            try:
                found = self._expand(uid, parts, first, self.singles.get(uid))
            except _Bad as exc:
                core = next((p for p in parts if p.rid is None), parts[0])
                self._unread(uid, core.title, _day(core.start, self.tz), exc)
                continue
            out += (e for e in found if first <= e.day <= self.last)
            if len(out) > MAX_EVENTS:
                raise self._too_many()
        out.sort(key=lambda e: (e.day, e.start is not None, e.start or dt.datetime.min, e.key))
        self.unread.sort(key=lambda u: (u.day or dt.date.min, u.uid))
        return ReadResult(out, self.owner, self.unread)

    def _expand(
        self, uid: str, parts: list[_Event], first: dt.date, single: _Single | None
    ) -> list[CalEvent]:
        """The occurrences of one series: its master's (RRULE, RDATE, DTSTART; less EXDATE),
        each replaced by the instance that has its RECURRENCE-ID, and the other instances.
        The master may be an event of that UID with no rule (``single``): one occurrence."""
        core: _Event | None = None
        instances: dict[dt.datetime | dt.date, _Event] = {}
        for p in parts:
            if p.rid is None:
                if core is None or p.seq > core.seq:
                    core = p
                continue
            for rid in _ids(p.rid):
                if rid not in instances or p.seq > instances[rid].seq:
                    instances[rid] = p
        out: list[CalEvent] = []
        used: set[int] = set()
        skipped: set[dt.datetime | dt.date] = set()
        if single is not None and (core is None or single.seq > core.seq):
            if single.event is not None:
                ids = _ids(single.start)
                instance = next((instances[i] for i in ids if i in instances), None)
                if instance is None:
                    key = f"{uid};{_stamp(single.start)}"
                    out.append(dataclasses.replace(single.event, key=key))
                else:
                    used.add(id(instance))
                    out.append(self._instance(uid, instance))
        elif core is not None:
            margin = dt.timedelta(days=2)  # a local day is another day in the series' zone
            window = (
                dt.datetime.combine(max(first, dt.date.min + margin) - margin, dt.time.min),
                dt.datetime.combine(min(self.last, dt.date.max - margin) + margin, dt.time.max),
            )
            excluded = {i for d in core.exdates for i in _ids(d)}
            excluded_days = {d for d in core.exdates if not isinstance(d, dt.datetime)}
            for start in _starts(core, *window):
                ids = _ids(start)
                if excluded & ids or _date_of(start) in excluded_days:
                    continue
                instance = next((instances[i] for i in ids if i in instances), None)
                if instance is None:
                    end = _end_of(core, start)
                    out.append(self._occurrence(core, f"{uid};{_stamp(start)}", start, end, True))
                elif id(instance) not in used:
                    used.add(id(instance))
                    out.append(self._instance(uid, instance))
            skipped = excluded
        for instance in {id(i): i for i in instances.values()}.values():
            if id(instance) in used or instance.rid is None or _ids(instance.rid) & skipped:
                continue
            used.add(id(instance))
            out.append(self._instance(uid, instance))
        return out

    def _instance(self, uid: str, event: _Event) -> CalEvent:
        assert event.rid is not None
        return self._occurrence(event, f"{uid};{_stamp(event.rid)}", event.start, event.end)


_CANCELLED_TITLE = re.compile(r"^\s*(cancel+ed|canceled)\s*:\s*", re.IGNORECASE)


# -- recurrence --------------------------------------------------------------------------------


def _starts(core: _Event, lo: dt.datetime, hi: dt.datetime) -> Iterator[When]:
    """The start of every occurrence of ``core`` from ``lo`` to ``hi`` (wall-clock times in
    its own zone), each once: DTSTART (unless past every UNTIL), the RRULEs' and the RDATEs,
    less the EXRULEs'."""
    zone = core.start.tzinfo if isinstance(core.start, dt.datetime) else None
    all_day = not isinstance(core.start, dt.datetime)
    begin = _wall(core.start, zone)
    found: set[dt.datetime] = set()
    untils: list[dt.datetime | None] = []
    budget = [MAX_REPEATS]
    for text in core.rrules:
        walls, until = _rule(text, begin, all_day, zone, lo, hi, budget)
        found.update(walls)
        untils.append(until)
    if not untils or any(u is None for u in untils) or begin <= max(u for u in untils if u):
        if lo <= begin <= hi:
            found.add(begin)
    for d in core.rdates:
        wall = _wall(d, zone)
        if lo <= wall <= hi:
            found.add(wall)
    for text in core.exrules:
        walls, _ = _rule(text, begin, all_day, zone, lo, hi, budget)
        found.difference_update(walls)
    for wall in sorted(found):
        if all_day:
            yield wall.date()
        else:
            yield wall.replace(tzinfo=zone) if zone is not None else wall


def _rule(
    text: str,
    begin: dt.datetime,
    all_day: bool,
    zone: dt.tzinfo | None,
    lo: dt.datetime,
    hi: dt.datetime,
    budget: list[int],
) -> tuple[list[dt.datetime], dt.datetime | None]:
    """One RRULE's occurrences in [lo, hi], as wall-clock times, and its UNTIL."""
    from dateutil.rrule import rrule, rrulestr

    parts = _rule_parts(text)
    freq = parts["FREQ"]
    until = _until(parts.pop("UNTIL", None), zone, all_day)
    count = int(parts["COUNT"]) if "COUNT" in parts else None
    interval = int(parts.get("INTERVAL", "1"))
    if freq in _SUB_DAILY:
        if _within_first_day(parts, freq, begin, until, count, interval):
            return [], until  # DTSTART is its one meeting
        every = _every(freq, interval)
        raise _Bad(
            f"repeats every {every} (FREQ={freq}) on more than one day; hrtrust takes at most "
            "one meeting a day from a series: log it by hand"
        )
    if begin > hi or (until is not None and until < lo):
        return [], until
    if _no_day_fits(parts):
        return [], until  # DTSTART is its one meeting, as calendar programs show it
    try:
        found = rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=begin)
        if not isinstance(found, rrule):
            raise _Bad(f"its RRULE cannot be read ({text[:60]})")
        rule, start = (found, begin) if count is not None else _moved_to(found, parts, begin, lo)
        # The window moved forward by whole 400-year cycles, to just below the year 9999: a
        # rule no day satisfies is searched for at most one cycle past it, not to 9999.
        cycles = max(0, (dt.MAXYEAR - 1 - hi.year) // 400)
        shift = _CYCLE * cycles
        limit = hi if until is None else min(until, hi)
        # With COUNT, no UNTIL (dateutil warns of both): the loop stops at the limit itself.
        ends = None if count is not None else limit + shift
        rule = rule.replace(dtstart=start + shift, until=ends)
        out: list[dt.datetime] = []
        for moment in rule:
            budget[0] -= 1
            if budget[0] < 0:
                raise _Bad(
                    f"repeats more than {MAX_REPEATS:,} times between {lo.date()} and "
                    f"{hi.date()}: import a shorter span with --since DATE"
                )
            wall = moment - shift
            if wall > limit:
                break
            if wall >= lo:
                out.append(wall)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise _Bad(f"its RRULE cannot be expanded ({exc})") from None
    return out, until


def _no_day_fits(parts: dict[str, str]) -> bool:
    """True when no day of any year satisfies the rule's day parts (``BYMONTH=2;
    BYMONTHDAY=30``), which dateutil would search for up to the year 9999.

    The test is a yearly rule with the same parts (a weekday's number and BYSETPOS left
    out: it matches at least the days the rule can), from 9960: the forty years to 9999 have
    a leap year every fourth, so each kind of year (its first weekday, leap or not) occurs."""
    keys = ("BYMONTH", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYDAY", "WKST")
    if not any(k in parts for k in keys[1:5]):
        return False  # no day part: every month the rule names has days
    probe = "FREQ=YEARLY;" + ";".join(
        f"{k}={re.sub(r'[+-]?[0-9]+', '', parts[k]) if k == 'BYDAY' else parts[k]}"
        for k in keys
        if k in parts
    )
    return _finds_nothing(probe)


@functools.lru_cache(maxsize=256)
def _finds_nothing(probe: str) -> bool:
    from dateutil.rrule import rrulestr

    try:
        rule = rrulestr(probe, dtstart=dt.datetime(9960, 1, 1))
        return next(iter(rule), None) is None
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return False  # the rule itself says why when it is expanded


def _rule_parts(text: str) -> dict[str, str]:
    """An RRULE's parts, checked: a known FREQ, whole numbers where numbers go."""
    parts: dict[str, str] = {}
    for item in text.split(";"):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep or not key:
            continue
        if key == "BYEASTER":
            raise _Bad("its RRULE uses BYEASTER, which is not iCalendar")
        if key in _RULE_PARTS:
            parts[key] = value.strip().upper()
    freq = parts.get("FREQ")
    if freq not in _FREQS:
        raise _Bad(f"its RRULE has no known FREQ ({text[:60]})")
    for key in ("INTERVAL", "COUNT"):
        if key in parts and not (parts[key].isdigit() and 0 < int(parts[key]) < 10**9):
            raise _Bad(f"its RRULE's {key}={parts[key][:20]} is not a whole number from 1")
    return parts


def _until(value: str | None, zone: dt.tzinfo | None, all_day: bool) -> dt.datetime | None:
    """An RRULE's UNTIL as a wall-clock time in the series' zone (a date: the whole day)."""
    if value is None:
        return None
    m = _WHEN.fullmatch(value)
    if m is None:
        raise _Bad(f"its RRULE's UNTIL={value[:20]} is not a date")
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m[4] is None or all_day:
            return dt.datetime.combine(day, dt.time.max)
        moment = dt.datetime.combine(day, dt.time(int(m[4]), int(m[5]), int(m[6])))
        if m[7] and zone is not None:
            return moment.replace(tzinfo=_UTC).astimezone(zone).replace(tzinfo=None)
        return moment
    except (ValueError, OverflowError):
        raise _Bad(f"its RRULE's UNTIL={value[:20]} is not a date") from None


def _within_first_day(
    parts: dict[str, str],
    freq: str,
    begin: dt.datetime,
    until: dt.datetime | None,
    count: int | None,
    interval: int,
) -> bool:
    """True when a rule repeating more often than daily ends on the day it begins: before
    midnight by its UNTIL, or by its COUNT steps (when no BY part skips any of them)."""
    midnight = dt.datetime.combine(begin.date(), dt.time.max)
    if until is not None and until <= midnight:
        return True
    if count is None or any(p in parts for p in (*_DAY_PARTS, *_TIME_PARTS[freq])):
        return False
    left = (midnight - begin).total_seconds()
    return (count - 1) * interval * _SUB_DAILY[freq] <= left


def _every(freq: str, interval: int) -> str:
    unit = {"HOURLY": "hour", "MINUTELY": "minute", "SECONDLY": "second"}[freq]
    return unit if interval == 1 else f"{interval} {unit}s"


def _moved_to(
    rule: rrule, parts: dict[str, str], begin: dt.datetime, lo: dt.datetime
) -> tuple[rrule, dt.datetime]:
    """The same rule (without COUNT) started from the last period boundary before ``lo``,
    and that start, so a series begun years before the window is not walked from its
    DTSTART. The periods keep their phase (whole intervals), and what dateutil takes from
    DTSTART when a rule does not say it (the day of the month, the month) is said."""
    if lo <= begin:
        return rule, begin
    freq = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    if freq in ("DAILY", "WEEKLY"):
        period = interval * (7 if freq == "WEEKLY" else 1)
        steps = (lo - begin).days // period
        start = begin + dt.timedelta(days=steps * period)
    elif freq == "MONTHLY":
        steps = ((lo.year - begin.year) * 12 + lo.month - begin.month) // interval
        index = begin.month - 1 + steps * interval
        start = begin.replace(year=begin.year + index // 12, month=index % 12 + 1, day=1)
    else:  # YEARLY
        steps = (lo.year - begin.year) // interval
        start = begin.replace(year=begin.year + steps * interval, month=1, day=1)
    if steps <= 0:
        return rule, begin
    if freq in ("DAILY", "WEEKLY") or any(
        k in parts for k in ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
    ):
        return rule.replace(dtstart=start), start
    if freq == "MONTHLY" or "BYMONTH" in parts:
        return rule.replace(dtstart=start, bymonthday=begin.day), start
    return rule.replace(dtstart=start, bymonth=begin.month, bymonthday=begin.day), start


# -- times ---------------------------------------------------------------------------------


def _wall(when: When, zone: dt.tzinfo | None) -> dt.datetime:
    """A date or time as a wall-clock time in ``zone`` (naive), for the rule's arithmetic."""
    if not isinstance(when, dt.datetime):
        return dt.datetime(when.year, when.month, when.day)
    if when.tzinfo is not None and zone is not None:
        when = when.astimezone(zone)
    return when.replace(tzinfo=None)


def _ids(when: When) -> set[dt.datetime | dt.date]:
    """What a RECURRENCE-ID or EXDATE may be matched by: the UTC time and the wall-clock time
    (written in another zone, they are the same moment), or the day."""
    if not isinstance(when, dt.datetime):
        return {dt.datetime(when.year, when.month, when.day)}
    if when.tzinfo is None:
        return {when}
    return {when.astimezone(_UTC).replace(tzinfo=None), when.replace(tzinfo=None)}


def _date_of(when: When) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def _end_of(core: _Event, start: When) -> When | None:
    """An occurrence's end: its master's length after its start."""
    length: dt.timedelta | None = core.duration
    if core.end is not None and type(core.end) is type(core.start):
        try:
            length = core.end - core.start
        except TypeError:  # an aware start and a floating end
            length = None
    if length is None:
        return None
    try:
        return start + length
    except OverflowError:
        return None


def _day(when: When, tz: ZoneInfo) -> dt.date:
    return _local(when, tz).date() if isinstance(when, dt.datetime) else when


def _local(when: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """An aware time in ``tz``; a floating (zone-less) time is read as local already."""
    if when.tzinfo is None:
        return when.replace(tzinfo=tz)
    try:
        return when.astimezone(tz)
    except OverflowError:  # within hours of the calendar's ends
        return when.replace(tzinfo=tz)


def _stamp(when: When) -> str:
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            return f"{when:%Y%m%dT%H%M%S}"
        return f"{when.astimezone(_UTC):%Y%m%dT%H%M%SZ}"
    return f"{when:%Y%m%d}"


def _duration(text: str) -> dt.timedelta | None:
    m = _DURATION.fullmatch(text.strip().upper())
    if m is None:
        return None
    weeks, days, hours, minutes, seconds = (int(g) if g else 0 for g in m.groups()[1:])
    try:
        length = dt.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        return None
    return -length if m[1] == "-" else length


def _zone(name: str) -> ZoneInfo | None:
    """The IANA zone ``name`` is, or None."""
    if not name or len(name) > 64 or name.startswith("/") or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError, UnicodeError):
        return None


def _vtimezone(lines: list[str]) -> dt.tzinfo | None:
    """The zone a VTIMEZONE in the file defines, or None (dateutil builds it, as icalendar
    itself has it do)."""
    from dateutil.tz import tzical

    try:
        zones = tzical(io.StringIO("\r\n".join(lines) + "\r\n"))
        return zones.get(zones.keys()[0]) if zones.keys() else None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, OverflowError):
        return None  # a hand-made VTIMEZONE dateutil cannot build: its times are floating


def _known_zone(tzid: str) -> dt.tzinfo | None:
    """A Windows zone name (Outlook: ``Taipei Standard Time``) as icalendar knows it."""
    from icalendar.timezone import tzp

    try:
        zone = tzp.timezone(tzid)
    except (KeyError, ValueError, OSError, TypeError):
        return None
    return zone if isinstance(zone, dt.tzinfo) else None


# -- content lines -------------------------------------------------------------------------


def _lines(
    stream: IO[bytes], progress: Callable[[int], None] | None
) -> Iterator[tuple[str, dict[str, str], str]]:
    """The content lines an import reads, unfolded, as (NAME, parameters, value).

    The file is read a megabyte at a time, unfolded and searched for those lines by regular
    expressions, so the lines nobody reads (most of a file) cost no Python step each. A line
    longer than :data:`LINE_LIMIT` is cut there; the rest of it, or of a line nobody reads
    (an attachment may be megabytes), is never held."""
    carry = b""
    done = 0
    while True:
        chunk = stream.read(CHUNK)
        done += len(chunk)
        data = carry + chunk if carry else chunk
        if chunk:
            cut = _line_start(data)
            if cut is None:  # one line so far, longer than the chunk
                carry = data
                if len(carry) > LINE_LIMIT:
                    yield from _kept(carry[:LINE_LIMIT])
                    carry = b""  # what follows of it starts with a space: passed over
                continue
            carry = data[cut:]
            data = data[:cut]
        yield from _kept(data)
        if progress is not None:
            progress(done // 1024)
        if not chunk:
            return


CHUNK = 1 << 20
_FOLD = re.compile(rb"\r?\n[ \t]")
_KEPT_LINE = re.compile(
    rb"^(?:" + b"|".join(n.encode("ascii") for n in sorted(_KEPT)) + rb")[;:][^\r\n]*",
    re.MULTILINE | re.IGNORECASE,
)


def _line_start(data: bytes) -> int | None:
    """Where the last complete line of ``data`` ends and another begins (a line break not
    followed by a space or tab, which would continue the line), or None."""
    end = len(data)
    while True:
        at = data.rfind(b"\n", 0, end)
        if at < 0:
            return None
        if at + 1 < len(data) and data[at + 1] not in (32, 9):
            return at + 1
        end = at


def _kept(block: bytes) -> Iterator[tuple[str, dict[str, str], str]]:
    """The content lines of ``block`` (whole lines) an import reads."""
    for m in _KEPT_LINE.finditer(_FOLD.sub(b"", block)):
        found = _split(m.group()[:LINE_LIMIT].decode("utf-8", "replace"))
        if found is not None:
            yield found


def _split(line: str) -> tuple[str, dict[str, str], str] | None:
    """``NAME;PARAM=value:VALUE`` as its parts (a parameter's first value, unquoted), or None
    for a line that is not a content line."""
    colon = line.find(":")
    semi = line.find(";", 0, colon)
    if semi < 0:  # no parameters: most lines
        return (line[:colon].upper(), {}, line[colon + 1 :]) if colon > 0 else None
    params: dict[str, str] = {}
    if '"' not in line[semi:colon]:  # no quoted value, so the first colon ends the parameters
        for part in line[semi + 1 : colon].split(";"):
            key, _, value = part.partition("=")
            params.setdefault(key.upper(), value.split(",", 1)[0] if "," in value else value)
        return line[:semi].upper(), params, line[colon + 1 :]
    head = _HEAD.match(line)  # up to the first colon outside quotes
    colon = head.end() if head is not None else len(line)
    if colon >= len(line) or line[colon] != ":":
        return None
    for key, value in _PARAM.findall(line, semi, colon):
        if value[:1] == '"':
            value = value[1 : value.find('"', 1)]
        elif "," in value:
            value = value.split(",", 1)[0]
        params.setdefault(key.upper(), value)
    return line[:semi].upper(), params, line[colon + 1 :]


_HEAD = re.compile(r'[^":]*(?:"[^"]*"[^":]*)*')


def _unparse(name: str, params: dict[str, str], value: str) -> str:
    """A content line again (a VTIMEZONE is handed to icalendar as text)."""
    quoted = "".join(
        f';{k}="{v}"' if any(c in v for c in ";:,") else f";{k}={v}" for k, v in params.items()
    )
    return f"{name}{quoted}:{value}"


def _collect(props: _Props, name: str, params: dict[str, str], value: str) -> None:
    """Keep one property of a VEVENT (the first of those that may appear once)."""
    if name == "ATTENDEE":
        if len(props.people) < 1000:
            props.people.append((value, params))
    elif name == "ORGANIZER":
        props.organizer = props.organizer or (value, params)
    elif name == "UID":
        props.uid = props.uid or value
    elif name == "SUMMARY":
        props.title = props.title or value
    elif name == "STATUS":
        props.status = props.status or value
    elif name == "SEQUENCE":
        props.seq = props.seq or value
    elif name == "DTSTART":
        props.start = props.start or (value, params)
    elif name == "DTEND":
        props.end = props.end or (value, params)
    elif name == "DURATION":
        props.duration = props.duration or value
    elif name == "RECURRENCE-ID":
        props.rid = props.rid or (value, params)
    elif name in ("RRULE", "EXRULE"):
        rules = props.rrules if name == "RRULE" else props.exrules
        if len(rules) < 10:
            rules.append(value)
    elif name in ("RDATE", "EXDATE"):
        dates = props.rdates if name == "RDATE" else props.exdates
        if len(dates) < 10_000:
            dates.append((value, params))


def _unescape(text: str) -> str:
    """A TEXT value as written (``\\,`` is a comma, ``\\n`` a line break)."""
    if "\\" not in text:
        return text
    return _ESCAPED.sub(lambda m: "\n" if m[1] in "nN" else m[1], text)


def _address(value: str) -> str:
    text = value.strip()
    if text[:7].casefold() == "mailto:":
        text = text[7:]
    return text.strip() if "@" in text else ""
