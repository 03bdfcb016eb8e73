"""The feedback loop ("you said, we did") and trust pulse results.

Feedback is received (from a person or a department), acted on (each action dated), and closed
when the person was told what came of it. Pulse results are one score per department per survey.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from hrtrust.domain.contacts import fold, number_key
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.models import Action, Contact, Feedback, FeedbackFile, Pulse, allocate_id


def new_id(doc: FeedbackFile) -> str:
    return allocate_id(doc, "f", (r.id for r in doc.feedback))


def find(doc: FeedbackFile, ref: str) -> Feedback:
    """A feedback item by id: ``f3`` or just ``3``."""
    key = ref.strip().lower()
    if key.isdigit():
        key = f"f{key}"
    for f in doc.feedback:
        if f.id.lower() == key:
            return f
    raise NotFoundError(f"no feedback {ref}", hint="see `hrtrust feedback list --all`")


def add(
    doc: FeedbackFile,
    *,
    text: str,
    person: Contact | None,
    dept: str | None,
    day: dt.date,
) -> Feedback:
    """Record feedback from a person (attributed to their department too) or a department."""
    if not text.strip():
        raise UsageError("the feedback needs some text: what did they say?")
    if person is None and not dept:
        raise UsageError("say who it came from: --from REF or --dept D")
    item = Feedback(
        id=new_id(doc),
        text=text.strip(),
        person=person.id if person else None,
        dept=dept or (person.dept if person else None),
        date=day,
    )
    doc.feedback.append(item)
    return item


def _open(doc: FeedbackFile, ref: str) -> Feedback:
    item = find(doc, ref)
    if item.closed is not None:
        raise UsageError(
            f"feedback {item.id} was closed on {item.closed}",
            hint="closed means the person was told; record new feedback with `feedback add`",
        )
    return item


def act(doc: FeedbackFile, ref: str, text: str, day: dt.date) -> Feedback:
    """Record what HR did about a piece of feedback."""
    if not text.strip():
        raise UsageError("say what was done about it")
    item = _open(doc, ref)
    if day < item.date:
        raise UsageError(f"feedback {item.id} was only received on {item.date}")
    item.actions.append(Action(date=day, text=text.strip()))
    item.actions.sort(key=lambda a: a.date)
    return item


def close(doc: FeedbackFile, ref: str, day: dt.date) -> Feedback:
    """Close the loop: the person was told what came of their feedback."""
    item = _open(doc, ref)
    if day < item.date:
        raise UsageError(f"feedback {item.id} was only received on {item.date}")
    item.closed = day
    return item


def listing(items: Sequence[Feedback], *, include_closed: bool) -> list[Feedback]:
    """Open items oldest first (closed ones after them with ``include_closed``)."""
    rows = [f for f in items if include_closed or f.closed is None]
    rows.sort(key=lambda f: (f.closed is not None, f.date, number_key(f.id)))
    return rows


def add_pulse(
    doc: FeedbackFile, *, dept: str, score: float, day: dt.date, scale: float = 5
) -> tuple[Pulse, bool]:
    """Record a trust-pulse result: ``score`` out of ``scale`` for ``dept`` on ``day``.

    A scale other than 5 is stored with the result; a second result for the same department
    and day replaces the first (the flag returned says so).
    """
    if not (math.isfinite(scale) and scale > 0):
        raise UsageError(f"the scale must be a positive number, not {scale:g}")
    if not (math.isfinite(score) and 0 <= score <= scale):
        raise UsageError(
            f"score {score:g} is outside the scale 0..{scale:g}",
            hint="give --scale if the survey is not scored out of 5",
        )
    extra = {"scale": int(scale) if float(scale).is_integer() else scale} if scale != 5 else {}
    result = Pulse(dept=dept, date=day, score=score, **extra)
    kept = [p for p in doc.pulse if not (p.dept == dept and p.date == day)]
    replaced = len(kept) != len(doc.pulse)
    doc.pulse = kept
    doc.pulse.append(result)
    doc.pulse.sort(key=lambda p: (p.date, fold(p.dept)))
    return result, replaced
