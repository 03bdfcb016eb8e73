"""Handover views: the readable brief that travels in a pack (Markdown), what a pack holds,
and the merge plan of ``import handover`` (text and JSON). No Rich: plain lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from hrtrust.domain.dates import describe_cadence
from hrtrust.domain.handover import (
    Archived,
    DeptBrief,
    HandoverBrief,
    Inherited,
    MergePlan,
    Met,
    Pack,
    PersonPlan,
)
from hrtrust.domain.reports import PulseTrend, fewer_than
from hrtrust.models import Feedback, Promise
from hrtrust.present.common import ago, one_line, plural
from hrtrust.present.json_views import jsonable_dict


def md(text: str) -> str:
    """Markdown-escaped text, as the digest escapes it (imported only for a brief in a pack:
    ``brief`` shows the handover lines without loading the digest's views)."""
    from hrtrust.present.digest import md as escape

    return escape(text)


def long_date(day: dt.date) -> str:
    """``Nov 23, 2026``."""
    return f"{day:%b} {day.day}, {day.year}"


def short_key(recipient: str) -> str:
    """``age1qyqs…x8f3``: enough of a public key to recognise it."""
    return recipient if len(recipient) <= 16 else f"{recipient[:9]}…{recipient[-4:]}"


def _met(m: Met, today: dt.date) -> str:
    last = f"last met {long_date(m.last)} ({ago(m.last, today)})" if m.last else "never met"
    role = f", {m.contact.role}" if m.contact.role else ""
    return f"{md(m.contact.name)}{md(role)} — {last}"


def _promise(p: Promise, names: Mapping[str, str], today: dt.date) -> str:
    who = names.get(p.person, p.person) if p.person else p.dept
    late = f" — **{(today - p.due).days}d late**" if p.due < today else ""
    moved = f", moved {plural(len(p.deferrals), 'time')}" if p.deferrals else ""
    return f"{md(who or '?')}: {md(p.text)} (due {long_date(p.due)}{moved}){late}"


def _feedback(f: Feedback, names: Mapping[str, str]) -> str:
    who = names.get(f.person, f.person) if f.person else f.dept
    line = f"{long_date(f.date)} — {md(who or '?')}: {md(f.text)}"
    if f.actions:
        last = f.actions[-1]
        line += (
            f" — {plural(len(f.actions), 'action')}, the last on {long_date(last.date)}: "
            f"{md(last.text)}"
        )
    else:
        line += " — nothing done about it yet"
    return line


def pulse_text(t: PulseTrend) -> str:
    """``3.4 → 3.6 → 3.2 of 5 (latest Nov 3, 2026, down 0.4)``; small groups never shown."""
    scores = " → ".join(f"{p.score:.1f}" for p in t.points)
    if t.latest is None:
        latest = f"latest {long_date(t.latest_date)}: {fewer_than(t.min_responses)}"
        return f"{scores} of {t.scale:g} ({latest})" if scores else latest
    change = ""
    if t.change is not None:
        change = (
            ", no change"
            if t.change == 0
            else (f", {'up' if t.change > 0 else 'down'} {abs(t.change):.1f}")
        )
    return f"{scores} of {t.scale:g} (latest {long_date(t.latest_date)}{change})"


def _dept(d: DeptBrief, b: HandoverBrief) -> list[str]:
    today = b.given
    head = [plural(d.people, "person", "people") + " known"]
    if d.dept.headcount:
        head[0] += f" of {d.dept.headcount}"
    if d.last is None:
        head.append("never touched")
    else:
        head.append(f"last touch {long_date(d.last)} ({ago(d.last, today)})")
    if d.quiet:
        head.append(f"**gone quiet** (window {describe_cadence(d.dept.window)})")
    lines = [f"## {md(d.dept.name)}", "", f"_{' · '.join(head)}_", "", "### Ally and managers", ""]
    if d.allies:
        lines += [f"- **Ally** {_met(m, today)}" for m in d.allies]
    else:
        lines.append("- _No HR ally yet: finding one is the first job._")
    lines += [f"- **Manager** {_met(m, today)}" for m in d.managers]
    lines += ["", "### Promises still open", ""]
    lines += [f"- **Owed to them** {_promise(p, b.names, today)}" for p in d.owe]
    lines += [f"- **They owe** {_promise(p, b.names, today)}" for p in d.waiting]
    if not d.owe and not d.waiting:
        lines.append("- _None either way._")
    lines += ["", "### Raised and not closed", ""]
    lines += [f"- {_feedback(f, b.names)}" for f in d.feedback] or ["- _Nothing open._"]
    lines += ["", "### Gone quiet", ""]
    for x in d.gone_quiet:
        tags = f" ({', '.join(x.contact.tags)})" if x.contact.tags else ""
        last = f"last touch {long_date(x.last)}" if x.last else "never touched"
        lines.append(
            f"- {md(x.contact.name)}{md(tags)} — {last}, {describe_cadence(x.cadence)}, "
            f"{x.days_over}d overdue"
        )
    if not d.gone_quiet:
        lines.append("- _Nobody: every cadence is kept._")
    lines += ["", "### Trust pulse", ""]
    lines.append(f"- {pulse_text(d.pulse)}" if d.pulse else "- _No pulse results._")
    if d.activities:
        lines += ["", "### Standing activities", ""]
        lines += [f"- {md(a.title)} ({md(a.kind)})" for a in d.activities]
    if d.topics:
        what = "in the pack" if b.private else "their texts stay with the giver"
        lines += ["", f"_{plural(d.topics, 'open talking point')} with its people ({what})._"]
    return lines


def markdown(b: HandoverBrief) -> str:
    """The handover brief: per department the ally and managers and when each was last met,
    promises still open, what was raised and not closed, who has gone quiet, the pulse."""
    names = ", ".join(d.dept.name for d in b.depts)
    private = "included" if b.private else "not included"
    lines = [
        f"# Handover: {md(names)}",
        "",
        f"_From {md(b.giver)}, {long_date(b.given)}, sealed to {short_key(b.to)}. "
        f"Private notes {private}._",
    ]
    for d in b.depts:
        lines += ["", *_dept(d, b)]
    return "\n".join(lines) + "\n"


# -- the handover command -------------------------------------------------------------------


def pack_lines(pack: Pack, private_fields: int) -> list[str]:
    """What a pack holds, in a few lines (the pack is sealed: this is all the giver sees)."""
    depts = ", ".join(d.name for d in pack.departments)
    touches = sum(len(d) for p in pack.people for d in p.touches.values())
    lines = [
        f"Handover of {depts} to {short_key(pack.to)}, from {pack.giver.name}:",
        f"  {plural(len(pack.people), 'person', 'people')} "
        f"(with {plural(touches, 'touch', 'touches')} as dates and kinds), "
        f"{plural(len(pack.activities), 'activity', 'activities')}, "
        f"{plural(len(pack.promises), 'open promise')}, "
        f"{plural(len(pack.feedback), 'open feedback item')}, "
        f"{plural(len(pack.pulse), 'pulse result')}",
    ]
    if pack.private:
        lines.append(f"  private notes included: {plural(private_fields, 'private field')}")
    elif private_fields:
        lines.append(
            f"  private notes left out ({plural(private_fields, 'field')}; "
            "--include-private adds them)"
        )
    return [one_line(line) for line in lines]


def private_prompt(n: int) -> str:
    return (
        f"--include-private adds {plural(n, 'private field')} (notes, learned facts, talking "
        "points, pause reasons, private feedback, activity notes) to the pack. Include them?"
    )


def archived_line(done: Archived) -> str:
    parts = [
        plural(done.people, "person", "people"),
        plural(done.departments, "department") + " no longer served",
        plural(done.activities_ended, "activity", "activities") + " ended",
        plural(done.promises, "open promise") + " cancelled as handed over",
    ]
    if done.activities_removed:
        parts.append(
            plural(done.activities_removed, "activity not started", "activities not started")
            + " removed"
        )
    return "Archived: " + ", ".join(parts) + "."


# -- import handover ----------------------------------------------------------------------------

HOW = {
    "again": "imported from this pack before",
    "employee number": "same employee number",
    "e-mail": "same e-mail",
    "name": "same name",
}


def _person_line(p: PersonPlan, names: Mapping[str, str]) -> str:
    if p.how == "new":
        line = f"{p.name} → {p.into} (new)"
        if p.namesakes:
            line += f"; not {', '.join(p.namesakes)}, who has the same name but another e-mail"
        return line
    if p.how == "apart":
        listed = ", ".join(f"{c} {names.get(c, '')}".strip() for c in p.candidates)
        return f"{p.name} → {p.into} (new, kept apart: may be {listed}; not merged)"
    return f"{p.name} → {p.into} {names.get(p.into, '')} ({HOW[p.how]})"


def plan_lines(plan: MergePlan, names: Mapping[str, str], *, dry_run: bool) -> list[str]:
    """The merge plan: where each person went, what was added, what was there already."""
    pack = plan.pack
    depts = ", ".join(plan.depts.get(d.name, d.name) for d in pack.departments)
    lines = [
        f"Handover of {depts} from {pack.giver.name}, given {long_date(pack.given)} "
        f"(sealed to {short_key(pack.to)}{', with private notes' if pack.private else ''})"
    ]
    if plan.new_depts:
        lines.append(f"New departments: {', '.join(plan.new_depts)}")
    if not plan.changed:
        lines.append(
            "Already imported: nothing to change."
            if plan.already
            else "The pack holds nothing for this home."
        )
        return [one_line(line) for line in lines]
    placed = [p for p in plan.people if p.how != "again"]
    if placed:
        matched = sum(p.how in HOW for p in placed)
        apart = sum(p.how == "apart" for p in placed)
        summary = f"People: {plural(len(placed) - matched, 'new', 'new')}, {matched} matched"
        lines.append(summary + (f", {apart} kept apart" if apart else ""))
        lines += [f"  {_person_line(p, names)}" for p in placed]
    added = [
        plural(len(plan.activities), "activity", "activities"),
        plural(len(plan.promises), "inherited promise"),
        plural(len(plan.feedback), "open feedback item"),
        plural(len(plan.pulses), "pulse result"),
    ]
    lines.append("Added: " + ", ".join(added))
    if plan.already:
        lines.append(f"Already here: {plural(plan.already, 'record')} (left as they are)")
    if plan.late:
        lines.append(
            f"{plural(plan.late, 'inherited promise is', 'inherited promises are')} already "
            "past due: renegotiate with `hrtrust promise defer ID --due DATE`"
        )
    if dry_run:
        lines.append("Dry run: nothing was written.")
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


# -- brief: before the handover ---------------------------------------------------------------


def inherited_lines(history: Sequence[Inherited]) -> list[str]:
    """``before handover (from Alice Wu, Nov 20, 2026): 12 touches, Sep 1, 2025 – Nov 2, 2026
    (7 department meetings, 5 coffee chats; the last: coffee chat)``."""
    out = []
    for h in history:
        head = f"before handover (from {h.giver}, {long_date(h.given)}): "
        last, first = h.last, h.first
        if last is None or first is None:
            out.append(one_line(head + "no touches"))
            continue
        kinds = sorted(h.touches.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        by_kind = ", ".join(plural(len(d), k.replace("-", " ")) for k, d in kinds)
        out.append(
            one_line(
                f"{head}{plural(h.count, 'touch', 'touches')}, {long_date(first)} – "
                f"{long_date(last[0])} ({by_kind}; the last: {last[1].replace('-', ' ')})"
            )
        )
    return out


def inherited_json(history: Sequence[Inherited]) -> list[dict[str, Any]]:
    return [
        jsonable_dict(
            {
                "from": h.giver,
                "given": h.given,
                "count": h.count,
                "last": h.last[0] if h.last else None,
                "touches": {k: list(v) for k, v in h.touches.items()},
            }
        )
        for h in history
    ]
