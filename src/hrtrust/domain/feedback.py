"""The feedback loop ("you said, we did") and trust pulse results.

Feedback is received (from a person or a department), acted on (each action dated), and closed
when the person was told what came of it. Pulse results are one score per department per survey.
"""

from __future__ import annotations

import datetime as dt
import math
import shlex
from collections.abc import Mapping, Sequence

from hrtrust.domain.contacts import fold, number_key
from hrtrust.domain.departments import dept_key
from hrtrust.errors import NotFoundError, UsageError
from hrtrust.locale import N_, _
from hrtrust.models import (
    Action,
    Config,
    Contact,
    Feedback,
    FeedbackFile,
    Pulse,
    allocate_id,
    find_id,
    new_pulse_id,
)


def new_id(doc: FeedbackFile) -> str:
    return allocate_id(doc, "f", (r.id for r in doc.feedback))


def find(doc: FeedbackFile, ref: str) -> Feedback:
    """A feedback item by id: ``f3`` or just ``3``."""
    if (item := find_id(doc.feedback, ref, "f")) is not None:
        return item
    raise NotFoundError(
        _("no feedback {ref}").format(ref=ref), hint=_("see `hrtrust feedback list --all`")
    )


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
        raise UsageError(_("the feedback needs some text: what did they say?"))
    if person is None and not dept:
        raise UsageError(_("say who it came from: --from REF or --dept D"))
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
            _("feedback {id} was closed on {day}").format(id=item.id, day=item.closed),
            hint=_("closed means the person was told; record new feedback with `feedback add`"),
        )
    return item


ONLY_RECEIVED = N_("feedback {id} was only received on {day}")


def act(doc: FeedbackFile, ref: str, text: str, day: dt.date) -> Feedback:
    """Record what HR did about a piece of feedback."""
    if not text.strip():
        raise UsageError(_("say what was done about it"))
    item = _open(doc, ref)
    if day < item.date:
        raise UsageError(_(ONLY_RECEIVED).format(id=item.id, day=item.date))
    item.actions.append(Action(date=day, text=text.strip()))
    item.actions.sort(key=lambda a: a.date)
    return item


def close(doc: FeedbackFile, ref: str, day: dt.date) -> Feedback:
    """Close the loop: the person was told what came of their feedback."""
    item = _open(doc, ref)
    if day < item.date:
        raise UsageError(_(ONLY_RECEIVED).format(id=item.id, day=item.date))
    item.closed = day
    return item


def reopen(doc: FeedbackFile, ref: str) -> Feedback:
    """Open a closed loop again: the issue came back. Its actions stay; it can be acted on
    and closed anew."""
    item = find(doc, ref)
    if item.closed is None:
        raise UsageError(
            _("feedback {id} is open").format(id=item.id),
            hint=_("only a closed item can be reopened"),
        )
    item.closed = None
    return item


def listing(items: Sequence[Feedback], *, include_closed: bool) -> list[Feedback]:
    """Open items oldest first (closed ones after them with ``include_closed``)."""
    rows = [f for f in items if include_closed or f.closed is None]
    rows.sort(key=lambda f: (f.closed is not None, f.date, number_key(f.id)))
    return rows


def check_responses(responses: int | None) -> None:
    """A respondent count is a whole number of at least 1."""
    if responses is not None and responses < 1:
        raise UsageError(_("--responses must be at least 1, not {n}").format(n=responses))


def headcounts(config: Config) -> dict[str, int]:
    """The departments whose headcount is known (``dept add --headcount``), by matching key."""
    return {dept_key(d.name): d.headcount for d in config.department if d.headcount}


def check_headcount(
    responses: int | None, dept: str, counts: Mapping[str, int], recorded: str | None = None
) -> None:
    """More respondents than the department has people is a typo, not a result: it would
    show as "167% answered". ``counts`` comes from :func:`headcounts`; ``recorded`` is the
    pulse whose stored count is checked (moved to a smaller department), else the count was
    typed as ``--responses N``."""
    headcount = counts.get(dept_key(dept))
    if responses is None or headcount is None or responses <= headcount:
        return
    if recorded:
        message = _("pulse {id} has {n} responses, more than {dept}'s headcount of {headcount}")
    else:
        message = _("--responses {n} is more than {dept}'s headcount of {headcount}")
    raise UsageError(
        message.format(id=recorded, n=responses, dept=dept, headcount=headcount),
        hint=_(
            "check how many answered; if the department has grown: "
            "hrtrust dept add {dept} --headcount N"
        ).format(dept=shlex.quote(dept)),
    )


def _check_score(score: float, scale: float) -> None:
    if not (math.isfinite(scale) and scale > 0):
        raise UsageError(
            _("the scale must be a positive number, not {scale:g}").format(scale=scale)
        )
    if not (math.isfinite(score) and 0 <= score <= scale):
        raise UsageError(
            _("score {score:g} is outside the scale 0..{scale:g}").format(score=score, scale=scale),
            hint=_("give --scale if the survey is not scored out of 5"),
        )


def _stored_scale(scale: float) -> int | float | None:
    """The scale as stored: left out when it is the usual 5, an integer when it is one."""
    if scale == 5:
        return None
    return int(scale) if float(scale).is_integer() else scale


def _sort_pulses(doc: FeedbackFile) -> None:
    doc.pulse.sort(key=lambda p: (p.date, fold(p.dept)))


def add_pulse(
    doc: FeedbackFile,
    *,
    dept: str,
    score: float,
    day: dt.date,
    scale: float = 5,
    responses: int | None = None,
    counts: Mapping[str, int] | None = None,
) -> tuple[Pulse, bool]:
    """Record a trust-pulse result: ``score`` out of ``scale`` for ``dept`` on ``day``, from
    ``responses`` respondents (when known; never more than the department's headcount in
    ``counts``, from :func:`headcounts`).

    A scale other than 5 is stored with the result; a second result for the same department
    and day replaces the first (keeping its id; the flag returned says so).
    """
    check_responses(responses)
    check_headcount(responses, dept, counts or {})
    _check_score(score, scale)
    same = [p for p in doc.pulse if p.dept == dept and p.date == day]
    result = Pulse(
        id=same[0].id if same else new_pulse_id(doc),
        dept=dept,
        date=day,
        score=score,
        scale=_stored_scale(scale),
        responses=responses,
    )
    doc.pulse = [p for p in doc.pulse if all(p is not q for q in same)]
    doc.pulse.append(result)
    _sort_pulses(doc)
    return result, bool(same)


def find_pulse(doc: FeedbackFile, ref: str) -> Pulse:
    """A pulse result by id: ``s3`` or just ``3``."""
    if (pulse := find_id(doc.pulse, ref, "s")) is not None:
        return pulse
    raise NotFoundError(
        _("no pulse result {ref}").format(ref=ref), hint=_("see `hrtrust pulse list`")
    )


def edit_pulse(
    doc: FeedbackFile,
    ref: str,
    *,
    dept: str | None = None,
    score: float | None = None,
    day: dt.date | None = None,
    scale: float | None = None,
    responses: int | None = None,
    counts: Mapping[str, int] | None = None,
) -> Pulse:
    """Correct a pulse result; the department and day stay one result each (``responses``:
    how many answered, when it was not recorded or was wrong; never more than the
    department's headcount in ``counts``)."""
    check_responses(responses)
    item = find_pulse(doc, ref)
    new_dept = dept if dept is not None else item.dept
    if responses is not None:
        check_headcount(responses, new_dept, counts or {})
    elif dept is not None:  # the count recorded stays: it must fit the new department too
        check_headcount(item.responses, new_dept, counts or {}, item.id)
    new_day = day if day is not None else item.date
    new_scale = scale if scale is not None else item.top
    new_score = score if score is not None else item.score
    _check_score(new_score, new_scale)
    clash = [p for p in doc.pulse if p is not item and p.dept == new_dept and p.date == new_day]
    if clash:
        raise UsageError(
            _("{dept} already has a pulse result on {day} ({id})").format(
                dept=new_dept, day=new_day, id=clash[0].id
            ),
            hint=_("edit that one, or remove it first: hrtrust pulse remove {id}").format(
                id=clash[0].id
            ),
        )
    item.dept, item.date, item.score = new_dept, new_day, new_score
    item.scale = _stored_scale(new_scale)
    if responses is not None:
        item.responses = responses
    _sort_pulses(doc)
    return item


def remove_pulse(doc: FeedbackFile, ref: str) -> Pulse:
    """Remove a pulse result (entered by mistake); its id is not given out again."""
    item = find_pulse(doc, ref)
    doc.pulse.remove(item)
    return item


def pulses(items: Sequence[Pulse], dept: str | None = None) -> list[Pulse]:
    """Pulse results oldest first, by department name within a day; one department's only."""
    rows = [p for p in items if dept is None or fold(p.dept) == fold(dept)]
    return sorted(rows, key=lambda p: (p.date, fold(p.dept), number_key(p.id)))
