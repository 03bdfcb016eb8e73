"""Handover views: the readable brief that travels in a pack (Markdown), what a pack holds,
and the merge plan of ``import handover`` (text and JSON). No Rich: plain lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hrtrust.domain.handover import (
    Archived,
    DeptBrief,
    HandoverBrief,
    MergePlan,
    Met,
    Pack,
    PersonPlan,
)
from hrtrust.domain.reports import PulseTrend
from hrtrust.locale import N_, _, ngettext
from hrtrust.locale.phrase import said
from hrtrust.models import Feedback, Promise
from hrtrust.present.common import (
    ago,
    cadence_text,
    english,
    fewer_than,
    full_date,
    kind_text,
    listed,
    md,
    one_line,
    tags_text,
)
from hrtrust.present.json_views import jsonable_dict


def long_date(day: dt.date) -> str:
    """``Nov 23, 2026`` (``2026年11月23日``)."""
    return full_date(day)


def short_key(recipient: str) -> str:
    """``age1qyqs…x8f3``: enough of a public key to recognise it."""
    return recipient if len(recipient) <= 16 else f"{recipient[:9]}…{recipient[-4:]}"


def _met(m: Met, today: dt.date) -> str:
    if m.last:
        last = _("last met {day} ({ago})").format(day=long_date(m.last), ago=ago(m.last, today))
    else:
        last = _("never met")
    name = md(m.contact.name)
    if m.contact.role:
        name = _("{name}, {role}").format(name=name, role=md(m.contact.role))
    return f"{name} — {last}"


def _promise(p: Promise, names: Mapping[str, str], today: dt.date) -> str:
    who = names.get(p.person, p.person) if p.person else p.dept
    n = len(p.deferrals)
    due = (
        ngettext("due {day}, moved {n} time", "due {day}, moved {n} times", n)
        if n
        else _("due {day}")
    ).format(day=long_date(p.due), n=n)
    line = _("{who}: {text} ({due})").format(who=md(who or "?"), text=md(p.text), due=due)
    if p.due < today:
        line = _("{line} — **{n}d late**").format(line=line, n=(today - p.due).days)
    return line


def _feedback(f: Feedback, names: Mapping[str, str]) -> str:
    who = names.get(f.person, f.person) if f.person else f.dept
    line = _("{day} — {who}: {text}").format(
        day=long_date(f.date), who=md(who or "?"), text=md(f.text)
    )
    if f.actions:
        last = f.actions[-1]
        n = len(f.actions)
        return ngettext(
            "{line} — {n} action, the last on {day}: {text}",
            "{line} — {n} actions, the last on {day}: {text}",
            n,
        ).format(line=line, n=n, day=long_date(last.date), text=md(last.text))
    return _("{line} — nothing done about it yet").format(line=line)


def pulse_text(t: PulseTrend) -> str:
    """``3.4 → 3.6 → 3.2 of 5 (latest Nov 3, 2026, down 0.4)``; small groups never shown."""
    scores = " → ".join(f"{p.score:.1f}" for p in t.points)
    day = long_date(t.latest_date)
    if t.latest is None:
        latest = _("latest {day}: {hidden}").format(
            day=day, hidden=said(fewer_than(t.min_responses))
        )
        if not scores:
            return latest
        return _("{scores} of {scale} ({latest})").format(
            scores=scores, scale=f"{t.scale:g}", latest=latest
        )
    if t.change is None:
        message = _("{scores} of {scale} (latest {day})")
    elif t.change == 0:
        message = _("{scores} of {scale} (latest {day}, no change)")
    elif t.change > 0:
        message = _("{scores} of {scale} (latest {day}, up {change})")
    else:
        message = _("{scores} of {scale} (latest {day}, down {change})")
    change = f"{abs(t.change):.1f}" if t.change is not None else ""
    return message.format(scores=scores, scale=f"{t.scale:g}", day=day, change=change)


def _dept(d: DeptBrief, b: HandoverBrief) -> list[str]:
    today = b.given
    if d.dept.headcount:
        known = ngettext(
            "{n} person known of {headcount}", "{n} people known of {headcount}", d.people
        )
    else:
        known = ngettext("{n} person known", "{n} people known", d.people)
    head = [known.format(n=d.people, headcount=d.dept.headcount)]
    if d.last is None:
        head.append(_("never touched"))
    else:
        head.append(
            _("last touch {day} ({ago})").format(day=long_date(d.last), ago=ago(d.last, today))
        )
    if d.quiet:
        head.append(
            _("**gone quiet** (window {window})").format(window=cadence_text(d.dept.window))
        )
    lines = [f"## {md(d.dept.name)}", "", f"_{' · '.join(head)}_"]
    lines += _heading(_("Ally and managers"))
    if d.allies:
        lines += [_item(_("**Ally** {person}").format(person=_met(m, today))) for m in d.allies]
    else:
        lines.append(_item(_("_No HR ally yet: finding one is the first job._")))
    lines += [_item(_("**Manager** {person}").format(person=_met(m, today))) for m in d.managers]
    lines += _heading(_("Promises still open"))
    lines += [
        _item(_("**Owed to them** {promise}").format(promise=_promise(p, b.names, today)))
        for p in d.owe
    ]
    lines += [
        _item(_("**They owe** {promise}").format(promise=_promise(p, b.names, today)))
        for p in d.waiting
    ]
    if not d.owe and not d.waiting:
        lines.append(_item(_("_None either way._")))
    lines += _heading(_("Raised and not closed"))
    lines += [_item(_feedback(f, b.names)) for f in d.feedback] or [_item(_("_Nothing open._"))]
    lines += _heading(_("Gone quiet"))
    for x in d.gone_quiet:
        who = md(x.contact.name)
        if x.contact.tags:
            who = _("{name} ({tags})").format(name=who, tags=md(tags_text(x.contact.tags)))
        last = _("last touch {day}").format(day=long_date(x.last)) if x.last else _("never touched")
        lines.append(
            _item(
                _("{who} — {last}, {cadence}, {n}d overdue").format(
                    who=who, last=last, cadence=cadence_text(x.cadence), n=x.days_over
                )
            )
        )
    if not d.gone_quiet:
        lines.append(_item(_("_Nobody: every cadence is kept._")))
    lines += _heading(_("Trust pulse"))
    lines.append(_item(pulse_text(d.pulse) if d.pulse else _("_No pulse results._")))
    if d.activities:
        lines += _heading(_("Standing activities"))
        lines += [
            "- " + _("{title} ({kind})").format(title=md(a.title), kind=md(_kind_name(a.kind)))
            for a in d.activities
        ]
    if d.topics:
        topics = (
            ngettext(
                "_{n} open talking point with its people (in the pack)._",
                "_{n} open talking points with its people (in the pack)._",
                d.topics,
            )
            if b.private
            else ngettext(
                "_{n} open talking point with its people (their texts stay with the giver)._",
                "_{n} open talking points with its people (their texts stay with the giver)._",
                d.topics,
            )
        )
        lines += ["", topics.format(n=d.topics)]
    return lines


def _heading(title: str) -> list[str]:
    return ["", f"### {title}", ""]


def _item(text: str) -> str:
    return f"- {text}"


def markdown(b: HandoverBrief) -> str:
    """The handover brief: per department the ally and managers and when each was last met,
    promises still open, what was raised and not closed, who has gone quiet, the pulse (in
    the giver's language, as they read it before sealing the pack)."""
    names = listed([d.dept.name for d in b.depts])
    sealed = (
        _("_From {giver}, {day}, sealed to {key}. Private notes included._")
        if b.private
        else _("_From {giver}, {day}, sealed to {key}. Private notes not included._")
    )
    lines = [
        _("# Handover: {departments}").format(departments=md(names)),
        "",
        sealed.format(giver=md(b.giver), day=long_date(b.given), key=short_key(b.to)),
    ]
    for d in b.depts:
        lines += ["", *_dept(d, b)]
    return "\n".join(lines) + "\n"


# -- the handover command -------------------------------------------------------------------


def pack_lines(pack: Pack, private_fields: int) -> list[str]:
    """What a pack holds, in a few lines (the pack is sealed: this is all the giver sees)."""
    depts = listed([d.name for d in pack.departments])
    touches = sum(len(d) for p in pack.people for d in p.touches.values())
    people = ngettext("{n} person", "{n} people", len(pack.people)).format(n=len(pack.people))
    held = [
        _("{people} (with {touches} as dates and kinds)").format(
            people=people,
            touches=ngettext("{n} touch", "{n} touches", touches).format(n=touches),
        ),
        ngettext("{n} activity", "{n} activities", len(pack.activities)).format(
            n=len(pack.activities)
        ),
        ngettext("{n} open promise", "{n} open promises", len(pack.promises)).format(
            n=len(pack.promises)
        ),
        ngettext("{n} open feedback item", "{n} open feedback items", len(pack.feedback)).format(
            n=len(pack.feedback)
        ),
        ngettext("{n} pulse result", "{n} pulse results", len(pack.pulse)).format(
            n=len(pack.pulse)
        ),
    ]
    lines = [
        _("Handover of {departments} to {key}, from {giver}:").format(
            departments=depts, key=short_key(pack.to), giver=pack.giver.name
        ),
        "  " + listed(held),
    ]
    if pack.private:
        lines.append(
            "  "
            + ngettext(
                "private notes included: {n} private field",
                "private notes included: {n} private fields",
                private_fields,
            ).format(n=private_fields)
        )
    elif private_fields:
        lines.append(
            "  "
            + ngettext(
                "private notes left out ({n} field; --include-private adds them)",
                "private notes left out ({n} fields; --include-private adds them)",
                private_fields,
            ).format(n=private_fields)
        )
    return [one_line(line) for line in lines]


def private_prompt(n: int) -> str:
    return ngettext(
        "--include-private adds {n} private field (notes, learned facts, talking points, "
        "pause reasons, private feedback, activity notes) to the pack. Include them?",
        "--include-private adds {n} private fields (notes, learned facts, talking points, "
        "pause reasons, private feedback, activity notes) to the pack. Include them?",
        n,
    ).format(n=n)


def archived_line(done: Archived) -> str:
    parts = [
        ngettext("{n} person", "{n} people", done.people).format(n=done.people),
        ngettext(
            "{n} department no longer served", "{n} departments no longer served", done.departments
        ).format(n=done.departments),
        ngettext("{n} activity ended", "{n} activities ended", done.activities_ended).format(
            n=done.activities_ended
        ),
        ngettext(
            "{n} open promise cancelled as handed over",
            "{n} open promises cancelled as handed over",
            done.promises,
        ).format(n=done.promises),
    ]
    if done.activities_removed:
        parts.append(
            ngettext(
                "{n} activity not started removed",
                "{n} activities not started removed",
                done.activities_removed,
            ).format(n=done.activities_removed)
        )
    return _("Archived: {what}.").format(what=listed(parts))


# -- import handover ----------------------------------------------------------------------------

# How a person of the pack was matched (the plan's ``how``, which --json carries), as said.
HOW = {
    "again": N_("imported from this pack before"),
    "employee number": N_("same employee number"),
    "e-mail": N_("same e-mail"),
    "name": N_("same name"),
}


def _person_line(p: PersonPlan, names: Mapping[str, str]) -> str:
    if p.how == "new":
        if p.namesakes:
            return _(
                "{name} → {into} (new); not {others}, who has the same name but another e-mail"
            ).format(name=p.name, into=p.into, others=listed(p.namesakes))
        return _("{name} → {into} (new)").format(name=p.name, into=p.into)
    if p.how == "apart":
        candidates = listed([f"{c} {names.get(c, '')}".strip() for c in p.candidates])
        return _("{name} → {into} (new, kept apart: may be {candidates}; not merged)").format(
            name=p.name, into=p.into, candidates=candidates
        )
    return _("{name} → {into} {theirs} ({how})").format(
        name=p.name, into=p.into, theirs=names.get(p.into, ""), how=_(HOW[p.how])
    )


def plan_lines(plan: MergePlan, names: Mapping[str, str], *, dry_run: bool) -> list[str]:
    """The merge plan: where each person went, what was added, what was there already."""
    pack = plan.pack
    depts = listed([plan.depts.get(d.name, d.name) for d in pack.departments])
    if pack.private:
        given = _(
            "Handover of {departments} from {giver}, given {day} "
            "(sealed to {key}, with private notes)"
        )
    else:
        given = _("Handover of {departments} from {giver}, given {day} (sealed to {key})")
    lines = [
        given.format(
            departments=depts,
            giver=pack.giver.name,
            day=long_date(pack.given),
            key=short_key(pack.to),
        )
    ]
    if plan.new_depts:
        lines.append(_("New departments: {names}").format(names=listed(plan.new_depts)))
    if not plan.changed:
        lines.append(
            _("Already imported: nothing to change.")
            if plan.already
            else _("The pack holds nothing for this home.")
        )
        return [one_line(line) for line in lines]
    placed = [p for p in plan.people if p.how != "again"]
    if placed:
        matched = sum(p.how in HOW for p in placed)
        apart = sum(p.how == "apart" for p in placed)
        summary = (
            _("People: {new} new, {matched} matched, {apart} kept apart")
            if apart
            else _("People: {new} new, {matched} matched")
        )
        lines.append(summary.format(new=len(placed) - matched, matched=matched, apart=apart))
        lines += [f"  {_person_line(p, names)}" for p in placed]
    added = [
        ngettext("{n} activity", "{n} activities", len(plan.activities)).format(
            n=len(plan.activities)
        ),
        ngettext("{n} inherited promise", "{n} inherited promises", len(plan.promises)).format(
            n=len(plan.promises)
        ),
        ngettext("{n} open feedback item", "{n} open feedback items", len(plan.feedback)).format(
            n=len(plan.feedback)
        ),
        ngettext("{n} pulse result", "{n} pulse results", len(plan.pulses)).format(
            n=len(plan.pulses)
        ),
    ]
    lines.append(_("Added: {what}").format(what=listed(added)))
    if plan.already:
        lines.append(
            ngettext(
                "Already here: {n} record (left as they are)",
                "Already here: {n} records (left as they are)",
                plan.already,
            ).format(n=plan.already)
        )
    if plan.late:
        lines.append(
            ngettext(
                "{n} inherited promise is already past due: renegotiate with "
                "`hrtrust promise defer ID --due DATE`",
                "{n} inherited promises are already past due: renegotiate with "
                "`hrtrust promise defer ID --due DATE`",
                plan.late,
            ).format(n=plan.late)
        )
    if dry_run:
        lines.append(_("Dry run: nothing was written."))
    return [one_line(line) for line in lines]


def plan_json(plan: MergePlan, *, dry_run: bool) -> dict[str, Any]:
    pack = plan.pack
    return jsonable_dict(
        {
            "pack": pack.pack,
            "from": {"name": pack.giver.name, "recipient": pack.giver.recipient},
            "given": pack.given,
            "to": pack.to,
            "private": pack.private,
            "dry_run": dry_run,
            "changed": bool(plan.changed),
            "departments": plan.depts,
            "new_departments": plan.new_depts,
            "people": [
                {
                    "was": p.was,
                    "name": p.name,
                    "into": p.into,
                    "how": p.how,
                    "candidates": list(p.candidates),
                    "namesakes": list(p.namesakes),
                }
                for p in plan.people
            ],
            "activities": plan.activities,
            "promises": plan.promises,
            "feedback": plan.feedback,
            "pulses": plan.pulses,
            "already": plan.already,
            "late_promises": plan.late,
            "brief": pack.brief,
        }
    )


def _kind_name(kind: str) -> str:
    """A kind as the brief names it: its id in English, its label in Chinese."""
    return kind if english() else kind_text(kind)
