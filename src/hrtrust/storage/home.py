"""Creating a data home, empty or filled with the bundled demo data."""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path
from typing import Any

import tomli

from hrtrust.errors import UsageError
from hrtrust.locale import _
from hrtrust.models import (
    ActivitiesFile,
    Activity,
    Config,
    ContactsFile,
    Department,
    Document,
    FeedbackFile,
    Interaction,
    LogFile,
    PromisesFile,
    entry_sort_key,
    lazy_re,
)
from hrtrust.storage.paths import DOCUMENT_FILES, LOG_DIR, MONTH_FILE_RE, month_file
from hrtrust.storage.store import D, Store, write_new_home
from hrtrust.storage.toml_format import dumps, parse_document

# The demo data is written as of this Monday; `init --demo` moves every date by whole weeks so
# the demo always looks like the current week (weekdays, birthdays and anniversaries line up).
DEMO_ANCHOR = dt.date(2026, 11, 23)
# The demo's own texts in another language: demo_data/zh_TW/ holds, beside each data file, the
# texts of its records by id (an activity's title, a promise, a note...), applied by `init
# --demo` in that language. Names of people and departments are not texts: they stay as typed.
DEMO_LANGUAGES = {"zh-TW": "zh_TW"}
DEMO_TEXT_FIELDS = frozenset({"title", "role", "location", "text", "note", "notes", "reason"})
DEMO_TEXT_LISTS = {"learned": "text", "topics": "text", "actions": "text", "deferrals": "reason"}
_MONTH_DAY = lazy_re(r"^(\d\d)-(\d\d)$")
_ENTRY_ID = lazy_re(r"^(\d{4}-\d{2}-\d{2})\.(\d+)$")  # a log entry id, e.g. a promise source


def detect_timezone(environ: dict[str, str] | None = None) -> str:
    """The machine's IANA time zone name, or UTC when it cannot be told."""
    env = environ if environ is not None else dict(os.environ)
    tz = env.get("TZ", "").lstrip(":")
    if tz and "/" in tz and not tz.startswith("/"):
        return tz
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
        if name:
            return name
    except OSError:
        pass
    return "UTC"


def init_home(
    store: Store,
    *,
    demo: bool,
    today: dt.date,
    timezone: str | None,
    country: str | None = None,
    language: str = "en",
) -> tuple[list[str], list[str]]:
    """Create the data home; returns the files written and the data files kept as they were.

    An existing data file is never overwritten or emptied: in a folder that holds some of
    hrtrust's files but lacks ``config.toml``, only the missing ones are created (``--demo``
    refuses instead: demo data mixed with real data would be worse than nothing). Other files
    in the folder, and the folder's mode, are left alone.

    The demo brings its own time zone and country (Asia/Taipei, TW); ``timezone`` and
    ``country`` override them when given. Its own texts are in ``language`` where the demo has
    them in it (zh-TW), else in English.
    """
    if store.exists():
        raise UsageError(
            _("{home} already holds hrtrust data").format(home=store.home),
            hint=_("use another --home, or remove the folder first if you mean to start over"),
        )
    if store.home.exists() and not store.home.is_dir():
        raise UsageError(
            _("{home} is not a folder").format(home=store.home), hint=_("give --home a folder")
        )
    found = existing_data(store.home)
    if demo:
        if found:
            raise UsageError(
                _(
                    "{home} already holds hrtrust data files ({files}); "
                    "the demo data would mix with them"
                ).format(home=store.home, files=", ".join(found)),
                hint=_(
                    "use another --home for the demo, or `hrtrust init` to recreate only "
                    "the missing files"
                ),
            )
        files = demo_files(today, language)
        if timezone or country:
            rel = DOCUMENT_FILES[Config]
            config = parse_document(Config, files[rel], rel)
            config.timezone = timezone or config.timezone
            config.country = country or config.country
            files[rel] = dumps(config)
    else:
        files = {
            DOCUMENT_FILES[cls]: dumps(cls())
            for cls in (ContactsFile, ActivitiesFile, PromisesFile, FeedbackFile)
        }
        # HR's own department is registered as internal from the start, so HR colleagues
        # (peers) never show up as a client department with "no ally".
        hr = Department(name="HR", client=False)
        files[DOCUMENT_FILES[Config]] = dumps(
            Config(timezone=timezone or "UTC", country=country, department=[hr])
        )
        files = {rel: text for rel, text in files.items() if rel not in found}
    write_new_home(store.home, files)
    return sorted(files), found


def existing_data(home: Path) -> list[str]:
    """The data files already in ``home`` (a dangling symlink counts: it is not ours to
    replace)."""
    if not home.is_dir():
        return []
    found = [rel for rel in DOCUMENT_FILES.values() if os.path.lexists(home / rel)]
    log = home / LOG_DIR
    if log.is_dir():
        found += sorted(f"{LOG_DIR}/{n}" for n in os.listdir(log) if MONTH_FILE_RE.match(n))
    return found


def demo_timezone() -> str:
    """The demo's own time zone (its config.toml's): where "today" is read in its home."""
    rel = DOCUMENT_FILES[Config]
    text = (resources.files("hrtrust") / "demo_data" / rel).read_text(encoding="utf-8")
    return parse_document(Config, text, f"demo_data/{rel}").timezone


def demo_files(today: dt.date, language: str = "en") -> dict[str, str]:
    """The bundled demo data, with every date moved to the week of ``today``, its own texts in
    ``language`` where the demo has them in it."""
    weeks = ((today - dt.timedelta(days=today.weekday())) - DEMO_ANCHOR).days // 7
    shift = dt.timedelta(weeks=weeks)
    root = resources.files("hrtrust") / "demo_data"
    texts = root / DEMO_LANGUAGES[language] if language in DEMO_LANGUAGES else None
    out: dict[str, str] = {}
    sources: list[tuple[str, type[Document]]] = [
        (DOCUMENT_FILES[cls], cls)
        for cls in (Config, ContactsFile, ActivitiesFile, PromisesFile, FeedbackFile)
    ]
    sources += [
        (f"{LOG_DIR}/{p.name}", LogFile)
        for p in (root / "log").iterdir()
        if p.name.endswith(".toml")
    ]
    docs: dict[str, Document] = {}
    for rel, cls in sources:
        text = (root / rel).read_text(encoding="utf-8")
        data = parse_document(cls, text, f"demo_data/{rel}").model_dump(by_alias=True)
        if texts is not None and (texts / rel).is_file():
            said_in(data, tomli.loads((texts / rel).read_text(encoding="utf-8")))
        docs[rel] = cls.model_validate(_shift(data, shift))
    activities = _doc(docs, ActivitiesFile)
    for activity in activities.activity:
        activity.skip = _onto_occurrences(activity, activity.skip)
    entries = [e for doc in docs.values() if isinstance(doc, LogFile) for e in doc.entry]
    for entry, was in _as_planned(entries, activities.activity, shift):
        _follow(
            entry, was, _doc(docs, PromisesFile), _doc(docs, ContactsFile), _doc(docs, FeedbackFile)
        )
    ids = _numbered(entries)
    for promise in _doc(docs, PromisesFile).promise:
        promise.source = ids.get(promise.source or "", promise.source)
    logs: dict[str, LogFile] = {}
    for entry in entries:  # a moved entry may land in another month file
        logs.setdefault(month_file(entry.date), LogFile()).entry.append(entry)
    for rel, log in logs.items():
        log.entry.sort(key=entry_sort_key)
        out[rel] = dumps(log)
    out.update((rel, dumps(doc)) for rel, doc in docs.items() if not isinstance(doc, LogFile))
    return out


def _doc(docs: dict[str, Document], cls: type[D]) -> D:
    doc = docs[DOCUMENT_FILES[cls]]
    assert isinstance(doc, cls)
    return doc


def _as_planned(
    entries: list[Interaction], activities: list[Activity], shift: dt.timedelta
) -> list[tuple[Interaction, dt.date]]:
    """Entries of an activity's occurrences, moved onto the occurrence that is as many back
    from the demo's week as it was before the move; each with the date it had. A whole-week
    move keeps a weekly meeting's weekday but not "the first Thursday of the month": without
    this, last month's lunch & learn would land between two of its dates, and the one of last
    week would be missed."""
    monday = DEMO_ANCHOR + shift
    rules: dict[str, tuple[dict[dt.date, int], list[dt.date]]] = {}
    for a in activities:
        was = _occurrences(a.rule, a.start - shift, DEMO_ANCHOR)
        rules[a.id] = (
            {day: len(was) - i for i, day in enumerate(was)},
            _occurrences(a.rule, a.start, monday),
        )
    moved = []
    for entry in entries:
        if entry.activity not in rules:
            continue
        back_of, now = rules[entry.activity]
        back = back_of.get(entry.date - shift)  # 1: the last occurrence before the demo's week
        if back is not None and back <= len(now) and now[-back] != entry.date:
            moved.append((entry, entry.date))
            entry.date = now[-back]
    return moved


def _occurrences(rule: str, start: dt.date, monday: dt.date) -> list[dt.date]:
    """The days ``rule`` (from ``start``) falls on before ``monday``, oldest first."""
    from dateutil.rrule import rrulestr

    begin = dt.datetime.combine(start, dt.time.min)
    end = dt.datetime.combine(monday, dt.time.min)
    return [
        d.date() for d in rrulestr(rule, dtstart=begin).between(begin, end, inc=True) if d < end
    ]


def _follow(
    entry: Interaction,
    was: dt.date,
    promises: PromisesFile,
    contacts: ContactsFile,
    feedback: FeedbackFile,
) -> None:
    """What happened at a moved entry moves with it: the promises made there, the facts
    learned there, the feedback heard there (never past a later date of the same record)."""
    now = entry.date
    for p in promises.promise:
        if p.source == entry.id and p.made == was:
            p.made = min(
                [now, p.due, *([p.closed] if p.closed else []), *(d.on for d in p.deferrals)]
            )
    for c in contacts.contact:
        for fact in c.learned if c.id in entry.with_ else ():
            if fact.date == was and fact.text in entry.learned:
                fact.date = now
    for f in feedback.feedback:
        if f.person not in entry.with_ and (f.person is not None or f.dept not in entry.depts):
            continue
        later = [d for d in (f.closed, *(a.date for a in f.actions if a.date != was)) if d]
        if f.date == was:
            f.date = min([now, *later])
        for action in f.actions:
            if action.date == was:
                action.date = max(f.date, min([now, *([f.closed] if f.closed else [])]))
        f.actions.sort(key=lambda a: a.date)


def _numbered(entries: list[Interaction]) -> dict[str, str]:
    """Entry ids after the move, numbered anew within each day (in their order before it);
    the old id of each entry whose id changed, with its new one."""
    ids: dict[str, str] = {}
    by_day: dict[dt.date, list[Interaction]] = {}
    for entry in sorted(entries, key=lambda e: (e.date, e.id[:10] != str(e.date), e.id)):
        by_day.setdefault(entry.date, []).append(entry)  # the entries that were there first
    for day, same in by_day.items():
        for n, entry in enumerate(same, start=1):
            new = f"{day.isoformat()}.{n}"
            if new != entry.id:
                ids[entry.id] = new
                entry.id = new
    return ids


def said_in(data: dict[str, Any], said: dict[str, Any]) -> None:
    """Put a demo file's texts in another language into its records (``data``, as dumped), in
    place: ``said`` holds, by record id, the fields of :data:`DEMO_TEXT_FIELDS` and, for those
    of :data:`DEMO_TEXT_LISTS`, the texts of the items in order."""
    for records in data.values():
        for record in records if isinstance(records, list) else ():
            texts = said.get(record.get("id", "")) if isinstance(record, dict) else None
            for key, text in (texts or {}).items():
                if key in DEMO_TEXT_FIELDS:
                    record[key] = text
                elif key in DEMO_TEXT_LISTS:
                    items = record.get(key) or []
                    for i, item_text in enumerate(text[: len(items)]):
                        if isinstance(items[i], dict):
                            items[i][DEMO_TEXT_LISTS[key]] = item_text
                        else:
                            items[i] = item_text


def _shift(value: Any, shift: dt.timedelta) -> Any:
    if isinstance(value, dict):
        return {
            k: (_shift_month_day(v, shift) if k == "birthday" else _shift(v, shift))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_shift(v, shift) for v in value]
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value + shift
    m = _ENTRY_ID.match(value) if isinstance(value, str) else None
    if m:
        return f"{(dt.date.fromisoformat(m.group(1)) + shift).isoformat()}.{m.group(2)}"
    return value


def _onto_occurrences(activity: Activity, days: list[dt.date]) -> list[dt.date]:
    """Skipped dates, each moved onto the nearest occurrence of the (moved) rule: a whole-week
    shift keeps a weekly meeting's weekday, but not "the last Friday of the month"."""
    from dateutil.rrule import rrulestr

    rule = rrulestr(activity.rule, dtstart=dt.datetime.combine(activity.start, dt.time.min))
    out = set()
    for day in days:
        midnight = dt.datetime.combine(day, dt.time.min)
        near = [
            d.date()
            for d in (rule.before(midnight, inc=True), rule.after(midnight, inc=True))
            if d is not None
        ]
        out.add(min(near, key=lambda d: (abs((d - day).days), d)) if near else day)
    return sorted(out)


def _shift_month_day(value: Any, shift: dt.timedelta) -> Any:
    m = _MONTH_DAY.match(value) if isinstance(value, str) else None
    if not m:
        return value
    day = dt.date(2000 if m.group(1) == "02" and m.group(2) == "29" else 2001, 1, 1)
    day = dt.date(day.year, int(m.group(1)), int(m.group(2))) + shift
    return f"{day.month:02d}-{day.day:02d}"
