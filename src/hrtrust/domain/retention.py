"""Retention: personal text is kept only as long as it is needed.

With ``retention = "24m"`` in config.toml, learned facts, log notes and the text of feedback
closed more than 24 months ago are due for removal. ``purge`` removes them and keeps the dated
skeleton (who, when, which kind), so counts, coverage and "last touched" stay right. A fact or
a log entry pinned with ``keep`` (the person asked for it to be remembered) is never purged.
Works the same on encrypted text: a sealed note is removed whole, without opening it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, NamedTuple

from hrtrust.domain.dates import cadence_delta, parse_cadence
from hrtrust.errors import UsageError
from hrtrust.locale import _, ngettext
from hrtrust.locale.phrase import Phrase
from hrtrust.models import PURGED, Config, ContactsFile, FeedbackFile, LogFile

OFF = ("off", "none", "never", "forever", "")

RemovalKind = Literal["log", "fact", "feedback"]


class Removal(NamedTuple):
    """One record's personal text that is (or would be) removed."""

    kind: RemovalKind  # log: an entry's note and facts; fact: a contact's fact; feedback
    ref: str  # the entry, contact or feedback id
    date: dt.date  # the day it dates from (for feedback: the day it was closed)
    who: tuple[str, ...]  # contact ids it is about
    what: str  # "note and 2 learned facts", "learned fact", "text and 1 action" (a Phrase)


def parse_retention(text: str | None) -> str | None:
    """The canonical retention (``24m``, ``2y``, ``400d``), or None when it is off."""
    if text is None or text.strip().lower() in OFF:
        return None
    try:
        return parse_cadence(text)
    except UsageError:
        raise UsageError(
            _("cannot read retention {text!r}").format(text=text),
            hint=_('say how long to keep personal text: "24m", "2y", "18 months", or "off"'),
        ) from None


def cutoff(config: Config, today: dt.date) -> dt.date | None:
    """Text dated before this day is past due for purging (None: retention is off)."""
    canonical = parse_retention(config.retention)
    if canonical is None:
        return None
    return today - cadence_delta(canonical)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _log_what(note: bool, facts: int) -> Phrase:
    """What a log entry loses: ``note``, ``2 learned facts``, ``note and 1 learned fact``."""
    parts = (["note"] if note else []) + ([_count(facts, "learned fact")] if facts else [])

    def said() -> str:
        if not facts:
            return _("note")
        if not note:
            return ngettext("{n} learned fact", "{n} learned facts", facts).format(n=facts)
        return ngettext("note and {n} learned fact", "note and {n} learned facts", facts).format(
            n=facts
        )

    return Phrase(" and ".join(parts), said)


def _feedback_what(actions: int) -> Phrase:
    """What a feedback item loses: ``text``, ``text and 2 actions``."""
    english = "text" + (f" and {_count(actions, 'action')}" if actions else "")
    if not actions:
        return Phrase(english, lambda: _("text"))
    return Phrase(
        english,
        lambda: ngettext("text and {n} action", "text and {n} actions", actions).format(n=actions),
    )


def _fact() -> str:
    return _("learned fact")


def purge(
    *,
    contacts: ContactsFile,
    logs: Sequence[LogFile],
    feedback: FeedbackFile,
    before: dt.date,
    apply: bool,
) -> list[Removal]:
    """What is older than ``before`` and not pinned, oldest first; with ``apply`` it is also
    removed from the documents (a log entry keeps its id, date, kind, people, department,
    activity and promises; a feedback item its source and dates, its text becoming
    ``(purged)``)."""
    out: list[Removal] = []
    for log in logs:
        for e in log.entry:
            if e.keep or e.date >= before or not (e.note or e.learned):
                continue
            what = _log_what(bool(e.note), len(e.learned))
            out.append(Removal("log", e.id, e.date, tuple(e.with_), what))
            if apply:
                e.note = None
                e.learned = []
    for c in contacts.contact:
        old = [f for f in c.learned if not f.keep and f.date < before]
        for f in old:
            out.append(Removal("fact", c.id, f.date, (c.id,), Phrase("learned fact", _fact)))
        if apply and old:
            c.learned = [f for f in c.learned if f.keep or f.date >= before]
    for item in feedback.feedback:
        if item.closed is None or item.closed >= before or item.text == PURGED:
            continue
        what = _feedback_what(len(item.actions))
        who = (item.person,) if item.person else ()
        out.append(Removal("feedback", item.id, item.closed, who, what))
        if apply:
            item.text = PURGED
            for action in item.actions:
                action.text = PURGED
    out.sort(key=lambda r: (r.date, r.kind, r.ref))
    return out
