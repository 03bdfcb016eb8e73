"""Why the plan suggests a reach-out, and what to talk about, in words: the one place the
week's :class:`~hrtrust.domain.planning.Reason`, :class:`~hrtrust.domain.planning.Hook` and
:class:`~hrtrust.domain.planning.Topics` (plain data from the domain) become text.

Every view that shows them calls these: the plan and the digest in the language of the run,
``--json`` and the exported calendar in English (``english=True``: the same words, as scripts
have always read them, whatever the language)::

    reason_text(r.reason)                 # "逾期28天（每2週）" in Chinese
    reason_text(r.reason, english=True)   # "28d overdue (every 2 weeks)", what --json carries

Dates are common's forms (``month_day``: ``Nov 10``, ``11月10日``), cadences its
``cadence_text``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import nullcontext
from typing import TYPE_CHECKING

from hrtrust.locale import ENGLISH, _, in_english, language, ngettext
from hrtrust.present.common import cadence_text, clock, month_day

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from hrtrust.domain.planning import Hook, Occasion, Reason, Topics
    from hrtrust.models import MomentKind


def _speaking(english: bool) -> AbstractContextManager[None]:
    return in_english() if english else nullcontext()


def reason_text(r: Reason, *, english: bool = False) -> str:
    """``28d overdue (every 2 weeks); you will see them at Sales pipeline``: why a reach-out
    is suggested, and what makes its day."""
    with _speaking(english):
        why = _why(r)
        o = r.occasion
        if o is None:
            return why
        if o.kind in ("see", "attend"):
            return _("{reason}; {see}").format(reason=why, see=_occasion(o))
        return _("{reason}; {when}").format(reason=why, when=_occasion(o))


def _why(r: Reason) -> str:
    if r.kind == "moment":
        assert r.moment is not None, r
        return moment_reason(r.moment, _day(r), r.after)
    if r.kind == "introduction":
        return _("introduction: you have not met them yet")
    if r.kind == "onboarding":
        return _("onboarding check-in, day {n}").format(n=r.n)
    if r.kind == "never":
        return _("never logged a touch yet")
    if r.kind == "overdue":
        return _("{n}d overdue ({cadence})").format(n=r.n, cadence=cadence_text(r.cadence))
    return _("due {day} ({cadence})").format(day=_due_day(_day(r)), cadence=cadence_text(r.cadence))


def _day(r: Reason | Hook) -> dt.date:
    assert r.day is not None, r  # every kind that shows a day has one
    return r.day


def _due_day(day: dt.date) -> str:
    """The day a person falls due within the week planned: its weekday in English (``Wed``),
    its date in Chinese (``12月9日``)."""
    return f"{day:%a}" if language() == ENGLISH else month_day(day)


def _occasion(o: Occasion) -> str:
    if o.kind == "see":
        return _("you will see them at {activity}").format(activity=o.activity)
    if o.kind == "attend":
        return _("you will be at {activity}").format(activity=o.activity)
    if o.kind == "handover" and o.at is not None:
        return _("at the {at} shift handover ({shift})").format(at=clock(o.at), shift=o.shift)
    return _("on a rotating shift ({shift}): check their roster for the day").format(shift=o.shift)


def moment_reason(kind: MomentKind, day: dt.date, after: str | None) -> str:
    """Why a roster moment asks for a reach-out: ``moved to Sales on Dec 3 — say hello in
    their new team``."""
    on = month_day(day)
    if kind == "transfer":
        return _("moved to {after} on {day} — say hello in their new team").format(
            after=after, day=on
        )
    if kind == "title":
        return _("new title on {day}: {after} — congratulate them").format(after=after, day=on)
    if kind == "manager":
        return _("new manager: {after} (since {day})").format(after=after, day=on)
    if kind == "hired":
        if after:
            return _("new in {after} on {day} — welcome them").format(after=after, day=on)
        return _("new in the roster on {day} — welcome them").format(day=on)
    if kind == "returned":
        return _("came back on {day} — welcome them back").format(day=on)
    return _("left on {day}").format(day=on)


def hook_text(h: Hook, *, english: bool = False) -> str:
    """``last: coffee-chat on Nov 10`` (``上次：11月10日 咖啡聊天``): something to talk about."""
    with _speaking(english):
        if h.kind == "raise":
            return _("to raise: {topics}").format(
                topics=_("; ").join(topic_texts(h.topics) if h.topics else ())
            )
        if h.kind == "owe":
            return _("you owe them: {text} (due {due})").format(text=h.text, due=month_day(_day(h)))
        if h.kind == "await":
            return _("they owe you: {text} (due {due})").format(text=h.text, due=month_day(_day(h)))
        if h.kind == "ask":
            return _("ask about: {fact}").format(fact=h.text)
        return _("last: {kind} on {day}").format(kind=_touch(h), day=month_day(_day(h)))


def _touch(h: Hook) -> str:
    """The last touch's kind: its id in English (as the plan has always shown it), its label
    in another language; ``touch`` when not known."""
    if h.touch is None:
        return _("touch")
    return h.touch if language() == ENGLISH else _(h.label or h.touch)


def hook_texts(hooks: Iterable[Hook], *, private: bool, english: bool = False) -> list[str]:
    """The hooks a view shows, in order: the private ones (topics, learned facts) only when
    ``private``."""
    return [hook_text(h, english=english) for h in hooks if private or not h.private]


def topic_texts(t: Topics, *, english: bool = False) -> list[str]:
    """A person's topics to raise: each open one, then ``2 encrypted topics (see `hrtrust
    brief`)`` for those stored encrypted."""
    with _speaking(english):
        texts = list(t.texts)
        if t.locked:
            texts.append(
                ngettext(
                    "{n} encrypted topic (see `hrtrust brief`)",
                    "{n} encrypted topics (see `hrtrust brief`)",
                    t.locked,
                ).format(n=t.locked)
            )
        return texts
