"""The feedback loop ("you said, we did") and trust pulse results.

Feedback is received (from a person or a department), acted on (each action dated), and closed
when the person was told what came of it. Pulse results are one score per department per survey.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Sequence

from hrtrust.domain.contacts import fold, number_key
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.models import Action, Config, Contact, Feedback, FeedbackFile, Pulse, allocate_id


def new_id(doc: FeedbackFile) -> str:
    return allocate_id(doc, "f", (r.id for r in doc.feedback))


def department_names(config: Config, contacts: Sequence[Contact]) -> list[str]:
    """Known departments: the config's, else (none configured) those the contacts belong to."""
    if config.department:
        return [d.name for d in config.department]
    return sorted({c.dept for c in contacts if c.dept}, key=fold)


def resolve_dept(text: str, config: Config, contacts: Sequence[Contact]) -> str:
    """The department ``text`` names, in any case; a did-you-mean when it names none.

    With no departments known at all (a new data home), the name is taken as typed.
    """
    name = " ".join(text.split())
    if not name:
        raise UsageError("the department name is empty")
    known = department_names(config, contacts)
    if not known:
        return name
    for d in known:
        if fold(d) == fold(name):
            return d
    folded = {fold(d): d for d in known}
    close = difflib.get_close_matches(fold(name), list(folded), n=3, cutoff=0.5)
    prefix = [d for d in known if fold(d).startswith(fold(name))]
    suggestions = list(dict.fromkeys(prefix + [folded[c] for c in close]))
    hint = (
        f"did you mean {' or '.join(suggestions)}?"
        if suggestions
        else f"known departments: {', '.join(known)} (add one as [[department]] in config.toml)"
    )
    raise UsageError(f"unknown department {text!r}", hint=hint)


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
    private: bool = False,
    responses: int | None = None,
) -> Feedback:
    """Record feedback from a person (attributed to their department too) or a department.

    ``private``: its text is personal (encrypted at rest in an encrypted home, never in the
    newsletter); ``responses``: it came from a survey that many people answered."""
    check_responses(responses)
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
        private=private,
        responses=responses,
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


def check_responses(responses: int | None) -> None:
    """A respondent count is a whole number of at least 1."""
    if responses is not None and responses < 1:
        raise UsageError(f"--responses must be at least 1, not {responses}")


def add_pulse(
    doc: FeedbackFile,
    *,
    dept: str,
    score: float,
    day: dt.date,
    scale: float = 5,
    responses: int | None = None,
) -> tuple[Pulse, bool]:
    """Record a trust-pulse result: ``score`` out of ``scale`` for ``dept`` on ``day``, from
    ``responses`` respondents (when known).

    A scale other than 5 is stored with the result; a second result for the same department
    and day replaces the first (the flag returned says so).
    """
    check_responses(responses)
    if not (math.isfinite(scale) and scale > 0):
        raise UsageError(f"the scale must be a positive number, not {scale:g}")
    if not (math.isfinite(score) and 0 <= score <= scale):
        raise UsageError(
            f"score {score:g} is outside the scale 0..{scale:g}",
            hint="give --scale if the survey is not scored out of 5",
        )
    extra = {"scale": int(scale) if float(scale).is_integer() else scale} if scale != 5 else {}
    result = Pulse(dept=dept, date=day, score=score, responses=responses, **extra)
    kept = [p for p in doc.pulse if not (p.dept == dept and p.date == day)]
    replaced = len(kept) != len(doc.pulse)
    doc.pulse = kept
    doc.pulse.append(result)
    doc.pulse.sort(key=lambda p: (p.date, fold(p.dept)))
    return result, replaced
