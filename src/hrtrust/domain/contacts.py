"""Contacts: finding a person by a short, forgiving reference, their effective cadence, and
adding, editing, removing and forgetting people (pure functions of the documents)."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hrtrust.domain.dates import cadence_days, parse_cadence, parse_date, parse_past_date
from hrtrust.errors import AmbiguousError, NotFoundError, UsageError
from hrtrust.locale import N_, _
from hrtrust.models import (
    ALLY,
    MANAGER,
    NEW_HIRE,
    PEER,
    ActivitiesFile,
    Config,
    Contact,
    ContactsFile,
    FeedbackFile,
    LogFile,
    PromisesFile,
    allocate_id,
    is_locked,
    is_sealed,
)

# One address, no spaces, line breaks or control characters (a CR/LF in an address would
# break every calendar and mail header it goes into).
EMAIL = re.compile(r"[^@\s,;<>\x00-\x1f\x7f]+@[^@\s,;<>\x00-\x1f\x7f]+")


def check_email(text: str) -> str:
    """``text`` when it is one e-mail address, else a UsageError."""
    if not EMAIL.fullmatch(text):
        raise UsageError(
            _("{text!r} is not an e-mail address").format(text=text),
            hint=_("one address like maria@example.com"),
        )
    return text


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Normalise text for matching: NFKC (full-width forms), case-folded, spaces collapsed.
    Remembered per text: a plan sorts the same names several times over."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _names(c: Contact) -> tuple[str, ...]:
    """The names a reference can use, folded: the name, and the English name an HRIS gives
    (``Jack Liu`` for 劉家豪)."""
    if c.english_name:
        return fold(c.name), fold(c.english_name)
    return (fold(c.name),)


def _candidates(contacts: Sequence[Contact], needle: str) -> list[Contact]:
    exact = [c for c in contacts if needle in _names(c)]
    if exact:
        return exact
    squashed = needle.replace(" ", "")
    out = []
    for c in contacts:
        for name in _names(c):
            words = name.split()
            if (
                name.startswith(needle)
                or name.replace(" ", "").startswith(squashed)
                or any(w.startswith(needle) for w in words)
                or (len(words) == 1 and _given_name(name, squashed))
            ):
                out.append(c)
                break
    return out


def _given_name(name: str, ref: str) -> bool:
    """``ref`` is the given name of ``name``, a name in a script written without spaces
    (Chinese, Korean): 王小明 is called 小明, 김민수 민수. Two characters at least, of a name of
    three at least: one character (明, 村) is not how anyone is called, and a two-character
    name (李明, 中村) is said whole."""
    return (
        len(ref) >= 2
        and len(name) >= 3
        and name.endswith(ref)
        and all("\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7a3" for ch in ref)
    )


def resolve(ref: str, contacts: Sequence[Contact]) -> Contact:
    """The one contact ``ref`` names: an id, a name, an unambiguous prefix of a name or of one
    of its words, or the given name ending a name written without spaces (小明 for 王小明);
    the English name counts as a name (``Jack Liu``, ``jack`` for 劉家豪).

    Example: ``resolve("maria", contacts)`` finds Maria Chen if she is the only Maria.
    """
    needle = fold(ref)
    if not needle:
        raise NotFoundError(_("an empty name matches nobody"))
    for c in contacts:
        if c.id.casefold() == needle:
            return c
    found = _candidates(contacts, needle)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousError(
            _("{ref!r} matches {n} people").format(ref=ref, n=len(found)),
            hint=_one_of(found, 8, more=True),
        )
    names = {n: c.name for c in contacts for n in _names(c)}
    close = difflib.get_close_matches(needle, list(names), n=3, cutoff=0.6)
    if not close:  # also try against first names and surnames
        parts = {w: c.name for c in contacts for n in _names(c) for w in n.split()}
        close_parts = difflib.get_close_matches(needle, list(parts), n=3, cutoff=0.7)
        suggestions = sorted({parts[p] for p in close_parts})
    else:
        suggestions = list(dict.fromkeys(names[n] for n in close))
    hint = (
        _("did you mean {names}?").format(names=_(" or ").join(suggestions))
        if suggestions
        else _("see `hrtrust contact list`, or add them with `hrtrust contact add`")
    )
    raise NotFoundError(_("no contact matches {ref!r}").format(ref=ref), hint=hint)


def _one_of(found: Sequence[Contact], limit: int, more: bool = False) -> str:
    """``use one of: Maria Chen (c1), Maria Lin (c7)`` (``and 3 more`` past ``limit``)."""
    listed = _(", ").join(
        _("{name} ({id})").format(name=c.name, id=c.id) for c in sorted(found, key=id_key)[:limit]
    )
    if more and len(found) > limit:
        return _("use one of: {people} and {n} more").format(people=listed, n=len(found) - limit)
    return _("use one of: {people}").format(people=listed)


def resolve_all(refs: Iterable[str], contacts: Sequence[Contact]) -> list[Contact]:
    """Resolve several references, keeping order and dropping repeats."""
    out: list[Contact] = []
    for ref in refs:
        c = resolve(ref, contacts)
        if c not in out:
            out.append(c)
    return out


def id_key(contact: Contact) -> tuple[int, str]:
    """Sort contacts by the number in their id (c2 before c10)."""
    return number_key(contact.id)


def number_key(ident: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ident if ch.isdigit())
    return (int(digits) if digits else 0, ident)


def new_id(doc: ContactsFile) -> str:
    return allocate_id(doc, "c", (r.id for r in doc.contact))


def cadence_source(contact: Contact, config: Config) -> str:
    """Where a contact's cadence comes from: ``own``, ``tags`` or ``default``."""
    if contact.every:
        return "own"
    return "tags" if any(t in config.cadence for t in contact.tags) else "default"


def cadence_of(contact: Contact, config: Config) -> str:
    """How often to touch base: the contact's own cadence, else the shortest for its tags."""
    return cadence_for(contact.every, contact.tags, config)


def cadence_for(every: str | None, tags: Sequence[str], config: Config) -> str:
    """:func:`cadence_of` a person whose own cadence is ``every`` and whose tags are ``tags``."""
    if every:
        return every
    by_tag = [config.cadence[t] for t in tags if t in config.cadence]
    if by_tag:
        return min(by_tag, key=cadence_days)
    return config.cadence.get("default", "6w")


@dataclass
class ContactChanges:
    """Fields to set; None leaves a field alone, an empty string clears it."""

    name: str | None = None
    dept: str | None = None
    role: str | None = None
    location: str | None = None
    email: str | None = None
    manager: str | None = None
    every: str | None = None
    birthday: str | None = None
    hired: str | None = None
    note: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    known_tags: frozenset[str] | None = None  # given: a new tag one typo from one is refused


def parse_birthday(text: str, today: dt.date) -> str:
    """``Dec 3``, ``12-03`` or a full date: only month and day are kept (no age is stored)."""
    raw = text.strip()
    if len(raw) == 5 and raw[2] == "-" and raw.replace("-", "").isdigit():
        month, day = int(raw[:2]), int(raw[3:])
        try:
            dt.date(2000, month, day)
        except ValueError:
            raise UsageError(
                _("no such birthday {text!r}").format(text=text), hint=_("use MM-DD or Dec 3")
            ) from None
        return raw
    try:
        when = parse_date(raw, today)
    except UsageError:
        # "Feb 29" is a real birthday even when the coming Feb 29 does not exist: read a
        # month and day without a year against a leap year before giving up.
        when = parse_date(raw, dt.date(2000, 1, 1))
    return f"{when.month:02d}-{when.day:02d}"


def apply_changes(contact: Contact, ch: ContactChanges, today: dt.date) -> None:
    """Apply ``ch`` to ``contact``, validating every value before anything is changed."""
    values: dict[str, object] = {}
    if ch.name is not None:
        if not ch.name.strip():
            raise UsageError(_("a contact needs a name"))
        values["name"] = ch.name.strip()
    for attr in ("dept", "role", "location", "email", "manager"):
        new = getattr(ch, attr)
        if new is not None:
            values[attr] = new.strip() or None
    if values.get("email"):
        check_email(str(values["email"]))
    if ch.note is not None:
        values["notes"] = ch.note.strip() or None
    if ch.every is not None:
        values["every"] = parse_cadence(ch.every) if ch.every.strip() else None
    if ch.birthday is not None:
        values["birthday"] = parse_birthday(ch.birthday, today) if ch.birthday.strip() else None
    if ch.hired is not None:
        values["hired"] = parse_past_date(ch.hired, today) if ch.hired.strip() else None
    # Tags are stored lower-cased (below), so `--untag Ally` must remove `ally`.
    untag = {t.strip().lower() for t in ch.remove_tags}
    tags = [t for t in contact.tags if t.lower() not in untag]
    for tag in ch.add_tags:
        tag = tag.strip().lower()
        if ch.known_tags is not None and tag and tag not in ch.known_tags:
            near = sorted(k for k in ch.known_tags if one_typo(tag, k))
            if near:
                raise UsageError(
                    _("new tag {tag!r} is one letter off {tags}").format(
                        tag=tag, tags=_(" and ").join(near)
                    ),
                    hint=_("did you mean {tags}? (--new-tag to add {tag!r} anyway)").format(
                        tags=_(" or ").join(near), tag=tag
                    ),
                )
        if tag and tag not in tags:
            tags.append(tag)
    values["tags"] = tags
    for attr, value in values.items():
        setattr(contact, attr, value)
    hired = contact.hired
    if (
        ch.hired
        and hired is not None
        and today - dt.timedelta(days=NEW_HIRE_DAYS) <= hired <= today
        and NEW_HIRE not in contact.tags
        and NEW_HIRE not in untag
    ):
        contact.tags.append(NEW_HIRE)  # hired in the last 90 days: the onboarding rhythm


def known_tags(contacts: Iterable[Contact], config: Config) -> frozenset[str]:
    """Tags in use: every contact's, the ones planning knows, the config's cadence tags."""
    tags = {t for c in contacts for t in c.tags}
    tags |= {ALLY, MANAGER, PEER, NEW_HIRE} | (set(config.cadence) - {"default"})
    return frozenset(tags)


def one_typo(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter added, dropped, changed, or two swapped
    (``mangaer``/``manager``); short words (under 4 letters) never count as typos."""
    if a == b or min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def add_contact(doc: ContactsFile, name: str, ch: ContactChanges, today: dt.date) -> Contact:
    """Create a contact; a second person with the same name is allowed and told apart by id."""
    contact = Contact(id="new", name=name.strip() or "?", added=today)
    ch.name = name
    apply_changes(contact, ch, today)
    contact.id = new_id(doc)
    doc.contact.append(contact)
    return contact


def same_name(doc: ContactsFile, contact: Contact) -> list[Contact]:
    return [c for c in doc.contact if c.id != contact.id and c.name == contact.name]


def edit_contact(doc: ContactsFile, ref: str, ch: ContactChanges, today: dt.date) -> Contact:
    contact = resolve(ref, doc.contact)
    apply_changes(contact, ch, today)
    return contact


def remove_contact(doc: ContactsFile, ref: str) -> Contact:
    """Remove a contact from the address book; the log keeps its past entries with them."""
    contact = resolve(ref, doc.contact)
    doc.contact = [c for c in doc.contact if c.id != contact.id]
    return contact


def pause(
    doc: ContactsFile, ref: str, until: dt.date, reason: str | None, today: dt.date
) -> Contact:
    """Pause a person until a day (parental leave, an employee-relations case): no reach-outs,
    not overdue, not quiet before it; due again from that day at the earliest."""
    contact = resolve(ref, doc.contact)
    if until <= today:
        raise UsageError(
            _("--until {day} is not after today").format(day=until),
            hint=_("give the day they are back, e.g. +3m"),
        )
    if contact.archived is not None:
        raise UsageError(
            _("{name} is archived").format(name=contact.name),
            hint=f"hrtrust contact unarchive {contact.id}",
        )
    contact.paused_until = until
    contact.paused_on = today
    contact.paused_reason = reason.strip() if reason and reason.strip() else None
    return contact


def archive(doc: ContactsFile, ref: str, today: dt.date) -> Contact:
    """Archive a leaver: their history stays; they leave plans, overdue, coverage and balance."""
    contact = resolve(ref, doc.contact)
    if contact.archived is not None:
        raise UsageError(
            _("{name} is already archived (since {day})").format(
                name=contact.name, day=contact.archived
            )
        )
    contact.archived = today
    return contact


def unarchive(doc: ContactsFile, ref: str) -> Contact:
    """Bring an archived person back (a returner)."""
    contact = resolve(ref, doc.contact)
    if contact.archived is None:
        raise UsageError(_("{name} is not archived").format(name=contact.name))
    contact.archived = None
    return contact


def resolve_whole(ref: str, contacts: Sequence[Contact]) -> Contact:
    """The one contact ``ref`` names by id, full name, or a whole given or family name; a
    prefix is not enough (``forget`` erases, so "m" must not pick Maria)."""
    needle = fold(ref)
    for c in contacts:
        if needle and c.id.casefold() == needle:
            return c
    found = [
        c
        for c in contacts
        if needle
        and (
            needle in _names(c)
            or needle in fold(c.name).split()
            or (_cjk_given(c.name) is not None and fold(_cjk_given(c.name) or "") == needle)
        )
    ]
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousError(
            _("{ref!r} matches {n} people").format(ref=ref, n=len(found)), hint=_one_of(found, 8)
        )
    partial = _("{ref!r} is only part of a name; forget needs a whole name or the id")
    try:
        near = resolve(ref, contacts)  # NotFoundError (with suggestions) goes to the user
    except AmbiguousError as exc:
        raise UsageError(partial.format(ref=ref), hint=exc.hint) from None
    raise UsageError(
        partial.format(ref=ref),
        hint=_("if you mean {name}, give {id} or their full name").format(
            name=near.name, id=near.id
        ),
    )


@dataclass
class Forgotten:
    contact: Contact
    log_entries_deleted: int = 0
    log_entries_edited: int = 0
    promises_deleted: int = 0
    activities_edited: int = 0
    feedback_deleted: int = 0
    locked_dropped: int = 0  # encrypted notes or facts of shared entries that could not be read
    sealed_unsearched: int = 0  # encrypted texts elsewhere that could not be searched for the name
    scrubbed: list[str] = field(default_factory=list)  # "activity a2 (title)", one per record
    # Single names that may be ordinary words, left as they are: ("log entry 2026-11-23.1
    # (note)", "Will"), for the user to review (``--also Will`` rewrites them).
    review: list[tuple[str, str]] = field(default_factory=list)


def forget(
    contact: Contact,
    *,
    contacts: ContactsFile,
    promises: PromisesFile,
    activities: ActivitiesFile,
    feedback: FeedbackFile,
    logs: Sequence[LogFile],
    also: Sequence[str] = (),
) -> Forgotten:
    """Erase a person everywhere: contact, their log entries, promises, activities, feedback.

    An entry with other people in it stays, without them and without the facts learned about
    them there; an entry only about them goes. What names them unambiguously (``mentions``:
    full name, e-mail, id, a CJK given name no one else has) is replaced by ``[forgotten]``
    in every remaining text: others' notes and facts, log notes, activity titles, places and
    notes, promises and feedback; ``scrubbed`` lists each record so changed. A single given
    or family name is never rewritten on a guess: each text that has one is listed in
    ``review``, and rewritten only when it is among the words ``also`` names.

    In an encrypted home opened without the identity, a note or fact of an entry they shared
    that is locked cannot be scrubbed, so it goes (erasure wins over keeping a note:
    ``locked_dropped``); any other text still encrypted is left as it is and counted
    (``sealed_unsearched``).
    """
    out = Forgotten(contact)
    cid = contact.id
    named = mentions(contact, contacts.contact, also)

    def scrub(text: str | None, where: str, field_name: str) -> str | None:
        if text is None:
            return None
        if is_sealed(text) or is_locked(text):  # encrypted: cannot be read, must not be touched
            out.sealed_unsearched += 1
            return text
        new = named.sure.sub(_forgotten_unless_kept, text)
        if named.also is not None:
            new = named.also.sub(FORGOTTEN, new)
        place = _("{record} ({field})").format(record=where, field=field_name)
        if new != text and place not in out.scrubbed:
            out.scrubbed.append(place)
        if named.doubtful is not None:  # written as a name is: "Will", not "he will"
            found = (m.group(0) for m in named.doubtful.finditer(new))
            for word in dict.fromkeys(w for w in found if not w[0].islower()):
                out.review.append((place, word))
        return new

    contacts.contact = [c for c in contacts.contact if c.id != cid]
    for other in contacts.contact:  # `manager` holds a name (as an HRIS export gives it)
        if other.manager and (
            other.manager in (contact.name, cid) or fold(other.manager) == fold(contact.name)
        ):
            other.manager = None
            out.scrubbed.append(
                _("{record} ({field})").format(
                    record=_(CONTACT).format(id=other.id), field=_("manager")
                )
            )
        where = _(CONTACT).format(id=other.id)
        other.notes = scrub(other.notes, where, _("notes"))
        for fact in other.learned:
            fact.text = scrub(fact.text, where, _("learned")) or fact.text
        for m in other.moments:  # "new manager: <them>"
            if m.before in (contact.name, cid):
                m.before = "[forgotten]"
            if m.after in (contact.name, cid):
                m.after = "[forgotten]"

    gone_promises = {p.id for p in promises.promise if p.person == cid}
    kept = [p for p in promises.promise if p.person != cid]
    out.promises_deleted = len(promises.promise) - len(kept)
    promises.promise = kept

    own_facts = {(f.date, f.text) for f in contact.learned}
    for log in logs:
        entries = []
        for e in log.entry:
            if e.with_ == [cid]:
                out.log_entries_deleted += 1
                continue
            if cid in e.with_:
                e.with_ = [w for w in e.with_ if w != cid]
                e.promises = [p for p in e.promises if p not in gone_promises]
                e.learned = [t for t in e.learned if (e.date, t) not in own_facts]
                locked = [t for t in [e.note, *e.learned] if is_locked(t) or is_sealed(t)]
                out.locked_dropped += len(locked)
                e.note = None if is_locked(e.note) or is_sealed(e.note) else e.note
                e.learned = [t for t in e.learned if not (is_locked(t) or is_sealed(t))]
                out.log_entries_edited += 1
            where = _("log entry {id}").format(id=e.id)
            e.note = scrub(e.note, where, _("note"))
            e.learned = [scrub(t, where, _("learned")) or t for t in e.learned]
            entries.append(e)
        log.entry = entries

    for a in activities.activity:
        if cid in a.with_:
            a.with_ = [w for w in a.with_ if w != cid]
            out.activities_edited += 1
        where = _("activity {id}").format(id=a.id)
        a.title = scrub(a.title, where, _("title")) or a.title
        a.location = scrub(a.location, where, _("location"))
        a.notes = scrub(a.notes, where, _("notes"))

    for p in promises.promise:  # others' promises may name them
        where = _("promise {id}").format(id=p.id)
        p.text = scrub(p.text, where, _("text")) or p.text
        p.reason = scrub(p.reason, where, _("reason"))
        for d in p.deferrals:
            d.reason = scrub(d.reason, where, _("deferral reason"))

    kept_fb = [f for f in feedback.feedback if f.person != cid]
    out.feedback_deleted = len(feedback.feedback) - len(kept_fb)
    for f in kept_fb:
        where = _("feedback {id}").format(id=f.id)
        f.text = scrub(f.text, where, _("text")) or f.text
        for act in f.actions:
            act.text = scrub(act.text, where, _("action")) or act.text
    feedback.feedback = kept_fb
    return out


FORGOTTEN = "[forgotten]"
CONTACT = N_("contact {id}")  # a record, as forget names the places it changed
NEW_HIRE_DAYS = 90  # hired this recently: a new hire (tagged, with the onboarding rhythm)


def _is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalpha()


def _cjk_given(name: str) -> str | None:
    """The given name of a CJK name of three characters or more written without spaces
    (王小明: 小明), or None."""
    name = name.strip()
    if len(name) >= 3 and all(_is_cjk(ch) for ch in name):
        return name[1:]
    return None


@dataclass(frozen=True)
class Mentions:
    """How ``forget`` finds a person in other people's words.

    ``sure``: what names them unambiguously, rewritten to ``[forgotten]``: the full name (any
    case, any spacing or hyphen between its parts), their e-mail, their id, and for a CJK name
    the whole name and the given name they are known by (王小明: 小明) unless another contact
    shares it. ``doubtful``: a single given or family name, which may be an ordinary word
    ("Will", "Hope") or someone else's: never rewritten on a guess, only listed for review
    (as written in the name, capital and all). ``also``: the words the user asked to rewrite
    as well (``forget --also WORD``: whole words, exactly as typed)."""

    sure: re.Pattern[str]
    doubtful: re.Pattern[str] | None
    also: re.Pattern[str] | None
    terms: tuple[str, ...]  # the sure terms and the told words (backups holding one go)


def _bounded(body: str, first: str, last: str) -> str:
    """``body`` as a whole word: a Latin end may not touch another letter, digit or hyphen;
    a CJK end needs no space around it."""
    head = "" if _is_cjk(first) else r"(?<![\w-])"
    tail = "" if _is_cjk(last) else r"(?![\w-])"
    return head + body + tail


def _words(words: Sequence[str], flags: int = 0) -> re.Pattern[str] | None:
    longest = sorted({w for w in words if w}, key=lambda t: (-len(t), t))
    if not longest:
        return None
    return re.compile("|".join(_bounded(re.escape(w), w[0], w[-1]) for w in longest), flags)


def _forgotten_unless_kept(m: re.Match[str]) -> str:
    """A mention becomes [forgotten]; someone else's full name around it stays as written."""
    if any(k.startswith("kept") and v is not None for k, v in m.groupdict().items()):
        return m.group(0)
    return FORGOTTEN


def mentions(contact: Contact, others: Sequence[Contact], also: Sequence[str] = ()) -> Mentions:
    """The mentions of ``contact`` (see ``Mentions``); ``others``: everyone else in the book
    (a CJK given name one of them shares is doubtful); ``also``: words to rewrite too."""
    parts = [p for p in re.split(r"[\s\-\u2010]+", contact.name) if p]
    sure: list[str] = []
    terms: list[str] = []
    doubtful: list[str] = []
    if parts:
        cjk = all(_is_cjk(ch) for ch in "".join(parts))
        gap = r"\s*" if cjk else r"[\s\-\u2010]+"
        sure.append(_bounded(gap.join(re.escape(p) for p in parts), parts[0][0], parts[-1][-1]))
        terms.append(" ".join(parts))
        joined = "".join(parts)
        if cjk and len(parts) == 1 and len(joined) >= 3:
            given = joined[1:]
            if any(given in o.name for o in others if o.id != contact.id):
                doubtful.append(given)
            else:
                sure.append(re.escape(given))
                terms.append(given)
        elif len(parts) > 1:
            doubtful += [p for p in parts if len(p) >= 2]
    if contact.email and contact.email.strip():
        email = contact.email.strip()
        # not the start of a longer address (maria@x.example is not maria@x.example.tw)
        sure.append(r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-]|\.\w)")
        terms.append(email)
    sure.append(r"(?<![\w-])" + re.escape(contact.id) + r"(?![\w-])")
    for word in also:
        if not word.strip():
            raise UsageError(_("--also needs a word"), hint=_("e.g. --also Will"))
    told = [w.strip() for w in also]
    # Someone else's full name that holds this one ("Jean-Luc Picard" forgetting "Jean Luc")
    # is matched first and kept as written: a mention of them, not of this person.
    found = re.compile("|".join(sure), re.IGNORECASE)
    theirs = sorted(
        {" ".join(o.name.split()) for o in others if o.id != contact.id and found.search(o.name)},
        key=lambda n: (-len(n), n),
    )
    gap_re = r"[\s\-\u2010]+"
    kept = []
    for i, name in enumerate(theirs):
        body = gap_re.join(re.escape(p) for p in re.split(gap_re, name))
        kept.append(f"(?P<kept{i}>{_bounded(body, name[0], name[-1])})")
    return Mentions(
        sure=re.compile("|".join([*kept, *sure]), re.IGNORECASE),
        doubtful=_words(doubtful, re.IGNORECASE),
        also=_words(told),
        terms=(*terms, *told),
    )
