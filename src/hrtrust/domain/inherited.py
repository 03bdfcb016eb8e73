"""What a partner receives with a handover, as the receiver reads it back: the giver's touch
history kept on a person (``before handover (from …)``, never counted as the receiver's
touches) and the giver a promise, feedback item, activity or pulse result came from. Apart
from ``domain/handover.py`` (which makes and merges packs), so a brief or a report that shows
it imports none of that."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from hrtrust.models import Contact
from hrtrust.record import Record

HANDOVER = "handover"  # the key of the mark a handed-over record carries in its extra fields


@dataclass(frozen=True)
class Inherited:
    """A person's touch history from a handover: who gave it, when, and the touches."""

    giver: str
    given: dt.date
    touches: Mapping[str, tuple[dt.date, ...]]  # kind -> dates, oldest first

    @property
    def count(self) -> int:
        return sum(len(d) for d in self.touches.values())

    @property
    def last(self) -> tuple[dt.date, str] | None:
        """The last touch before the handover and its kind."""
        found = [(d, k) for k, dates in self.touches.items() for d in dates]
        return max(found) if found else None

    @property
    def first(self) -> dt.date | None:
        found = [d for dates in self.touches.values() for d in dates]
        return min(found) if found else None


def inherited(contact: Contact) -> list[Inherited]:
    """The touch histories handed over with ``contact``, oldest handover first. A record that
    does not read as one (a hand edit) is skipped: it is history, never what a rule counts."""
    marks = contact.model_extra.get(HANDOVER)
    out = []
    for m in marks if isinstance(marks, list) else []:
        try:
            touches = {
                str(kind): tuple(sorted(dt.date.fromisoformat(str(d)) for d in dates))
                for kind, dates in dict(m.get("touches") or {}).items()
            }
            out.append(Inherited(str(m["from"]), dt.date.fromisoformat(str(m["given"])), touches))
        except (AttributeError, KeyError, TypeError, ValueError):
            continue
    return sorted(out, key=lambda h: h.given)


def inherited_from(record: Record) -> str | None:
    """The giver a promise, feedback item, activity or pulse result was handed over by."""
    mark = record.model_extra.get(HANDOVER)
    if isinstance(mark, dict) and isinstance(mark.get("from"), str):
        return str(mark["from"])
    return None
