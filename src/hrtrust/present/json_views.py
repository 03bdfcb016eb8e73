"""Plain-data (JSON-ready) views of records, with private fields only when asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hrtrust.domain.dates import describe_cadence
from hrtrust.domain.departments import DeptRow
from hrtrust.domain.lapsed import Lapse
from hrtrust.domain.planning import (
    Celebration,
    Clash,
    DeptCoverage,
    Occurrence,
    OverdueReport,
    Reach,
    WeekPlan,
)
from hrtrust.domain.promises import days_late, outcome
from hrtrust.models import (
    Activity,
    Contact,
    Feedback,
    Interaction,
    Promise,
    Pulse,
    to_toml_dict,
)
from hrtrust.present.common import fewer_than
from hrtrust.present.reasons import hook_texts, reason_text, topic_texts

if TYPE_CHECKING:  # the report and brief modules load only for those views
    from hrtrust.domain.brief import Brief
    from hrtrust.domain.inherited import Inherited
    from hrtrust.domain.reports import BalanceReport, CoverageRow, PromiseReport, PulseTrend

PRIVATE_CONTACT_FIELDS = ("notes", "learned", "paused_reason", "topics")


def jsonable_dict(value: dict[str, Any]) -> dict[str, Any]:
    """Dates as ISO strings, recursively."""
    out: dict[str, Any] = _jsonable(value)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def contact_json(
    contact: Contact, cadence: str, last: dt.date | None, *, private: bool = False
) -> dict[str, Any]:
    data = to_toml_dict(contact)
    if not private:
        for key in PRIVATE_CONTACT_FIELDS:
            data.pop(key, None)
    data["cadence"] = cadence
    data["cadence_text"] = describe_cadence(cadence)
    data["last_touch"] = last
    return jsonable_dict(data)


def promise_json(p: Promise, names: Mapping[str, str], today: dt.date) -> dict[str, Any]:
    """A promise for scripts: who it is with by name too, and where it stands today."""
    data = to_toml_dict(p)
    data["person_name"] = names.get(p.person, p.person) if p.person else None
    data["outcome"] = outcome(p, today)
    data["days_late"] = days_late(p, today)
    data["deferred"] = len(p.deferrals)
    return jsonable_dict(data)


def entry_json(
    e: Interaction, names: Mapping[str, str], *, private: bool = False
) -> dict[str, Any]:
    """A log entry; its note and learned facts only when asked for."""
    data = to_toml_dict(e)
    if not private:
        data.pop("note", None)
        data.pop("learned", None)
    data["with_names"] = [names.get(w, w) for w in e.with_]
    return jsonable_dict(data)


def lapse_json(x: Lapse) -> dict[str, Any]:
    return jsonable_dict(
        {
            "id": x.contact.id,
            "name": x.contact.name,
            "dept": x.contact.dept,
            "tags": x.contact.tags,
            "cadence": x.cadence,
            "last_touch": x.last,
            "due": x.due,
            "days_over": x.days_over,
            "score": x.score,
        }
    )


def overdue_json(report: OverdueReport, names: Mapping[str, str]) -> dict[str, Any]:
    return {
        "today": report.today.isoformat(),
        "promises_owed": [promise_json(r.promise, names, report.today) for r in report.owe],
        "waiting_for": [promise_json(r.promise, names, report.today) for r in report.waiting],
        "lapsed_contacts": [lapse_json(x) for x in report.lapsed],
    }


def _reach_json(r: Reach, private: bool) -> dict[str, Any]:
    return {
        **lapse_json(r.lapse),
        "kind": r.kind,
        "day": r.day,
        "at": r.at.strftime("%H:%M") if r.at else None,  # a shift worker's handover
        "reason": reason_text(r.reason, english=True),
        "hooks": hook_texts(r.hooks, private=private, english=True),
    }


def plan_json(plan: WeekPlan, names: Mapping[str, str], *, private: bool = False) -> dict[str, Any]:
    """The same content as the text plan, for scripts."""

    def occ(o: Occurrence) -> dict[str, Any]:
        a = o.activity
        return {
            "activity": a.id,
            "title": a.title,
            "kind": a.kind,
            "dept": a.dept,
            "location": a.location,
            "start": o.start.isoformat(),
            "end": o.end.isoformat() if o.end else None,
            "all_day": o.all_day,
            "attended": o.attended,
            "with": [names.get(w, w) for w in a.with_],
        }

    def clash(k: Clash) -> dict[str, Any]:
        return {
            "activities": [k.first.activity.id, k.second.activity.id],
            "titles": [k.first.activity.title, k.second.activity.title],
            "start": k.start.isoformat(),
            "until": k.until.isoformat() if k.until else None,
        }

    def party(c: Celebration) -> dict[str, Any]:
        return {
            "id": c.contact.id,
            "name": c.contact.name,
            "day": c.day,
            "what": c.what,
            "years": c.years,
        }

    def cov(c: DeptCoverage) -> dict[str, Any]:
        return {
            "dept": c.dept,
            "window": c.window,
            "last_touch": c.last,
            "days_since": c.days_since,
            "gap": c.gap,
            "planned": list(c.planned),
            "allies": [a.name for a in c.allies],
            "ally_candidates": [a.name for a in c.candidates],
            "shifts": dict(c.shifts),
        }

    today = plan.today
    return jsonable_dict(
        {
            "week": plan.label,
            "today": today,
            "start": plan.days[0].day if plan.days else plan.monday,
            "end": plan.days[-1].day if plan.days else plan.monday,
            "overdue": {
                "promises_owed": [promise_json(r.promise, names, today) for r in plan.owe],
                "waiting_for": [promise_json(r.promise, names, today) for r in plan.waiting],
            },
            "days": [
                {
                    "date": d.day,
                    "holiday": d.holiday,
                    "makeup_workday": d.makeup,
                    "past": d.past,
                    "activities": [
                        {**occ(o), "on_holiday": d.holiday is not None} for o in d.occurrences
                    ],
                    "clashes": [clash(k) for k in d.clashes],
                    "promises_due": [promise_json(p, names, today) for p in d.due],
                    "reach_out": [_reach_json(r, private) for r in d.reach],
                    "celebrations": [party(c) for c in d.celebrations],
                }
                for d in plan.days
            ],
            "reach_out": [_reach_json(r, private) for r in plan.reach],
            "more_due": plan.more_due,
            "introductions": {"met": plan.intros[0], "total": plan.intros[1]},
            "celebrations": [party(c) for c in plan.celebrations],
            "coverage": [cov(c) for c in plan.coverage],
            **(
                {
                    "to_raise": {
                        cid: topic_texts(t, english=True) for cid, t in plan.to_raise.items()
                    }
                }
                if private
                else {}
            ),
        }
    )


def activity_json(a: Activity, next_start: dt.datetime | None) -> dict[str, Any]:
    from hrtrust.domain.recurrence import describe_rule, to_rrule

    data = to_toml_dict(a)
    data.pop("notes", None)
    data["rrule"] = to_rrule(a.rule)
    data["rule_text"] = describe_rule(to_rrule(a.rule))
    data["next"] = next_start.isoformat() if next_start else None
    return jsonable_dict(data)


# -- briefs and reports ---------------------------------------------------------------------


def brief_json(b: Brief, names: Mapping[str, str], *, private: bool = False) -> dict[str, Any]:
    """The brief for scripts: notes, learned facts and log notes only with ``private``."""
    c = b.contact
    return jsonable_dict(
        {
            "today": b.today,
            "contact": contact_json(c, b.cadence, b.last, private=private),
            "tenure": {"years": b.tenure[0], "months": b.tenure[1]} if b.tenure else None,
            "last_touch": b.last,
            "last_kind": b.last_kind,
            "days_since": b.days_since,
            "due_in_days": b.due_in,
            "recent": [entry_json(e, names, private=private) for e in b.recent],
            "promises_owed": [promise_json(p, names, b.today) for p in b.owe],
            "waiting_for": [promise_json(p, names, b.today) for p in b.waiting],
            "upcoming": [
                {
                    "activity": u.activity.id,
                    "title": u.activity.title,
                    "kind": u.activity.kind,
                    "next": u.start.isoformat(),
                    "all_day": u.all_day,
                    "occurrences": u.count,
                }
                for u in b.upcoming
            ],
            "celebrations": [
                {"day": x.day, "what": x.what, "years": x.years} for x in b.celebrations
            ],
            "open_feedback": [
                {"id": f.id, "text": f.text, "date": f.date, "actions": len(f.actions)}
                for f in b.feedback
            ],
            "before_handover": _before_handover(b),
        }
    )


def _before_handover(b: Brief) -> list[dict[str, Any]]:
    """The touches a previous HR partner handed over (not the receiver's own)."""
    return inherited_json(b.before)


def coverage_json(rows: Sequence[CoverageRow], today: dt.date) -> dict[str, Any]:
    return jsonable_dict(
        {
            "today": today,
            "departments": [
                {
                    "dept": r.dept,
                    "window": r.window,
                    "people": r.people,
                    "headcount": r.headcount,
                    "allies": list(r.allies),
                    "touchpoints_30d": r.last_30,
                    "touchpoints_90d": r.last_90,
                    "last_touch": r.last,
                    "days_since": r.days_since,
                    "flags": list(r.flags),
                    "shifts": dict(r.shifts),
                }
                for r in rows
            ],
        }
    )


def balance_json(report: BalanceReport) -> dict[str, Any]:
    return jsonable_dict(
        {
            "by": report.by,
            "window_days": report.window_days,
            "from": report.first,
            "to": report.today,
            "median": report.median,
            "gini": report.gini,
            "per_head": report.per_head,
            "headcount_unknown": list(report.unscaled),
            "rows": [
                {
                    "id": r.key if report.by == "manager" else None,
                    "name": r.name,
                    "dept": r.dept,
                    "touchpoints": r.count,
                    "headcount": r.headcount,
                    "value": round(r.value, 4),
                    "low": r.low,
                }
                for r in report.rows
            ],
            "gini_by_month": [
                {"month": m.month, "gini": m.gini, "touchpoints": m.total} for m in report.trend
            ],
        }
    )


def promise_report_json(report: PromiseReport, names: Mapping[str, str]) -> dict[str, Any]:
    return jsonable_dict(
        {
            "today": report.today,
            "direction": "owe",
            "rate": report.rate,
            "months": [
                {
                    "month": m.month,
                    "kept_on_time": m.kept,
                    "kept_late": m.late,
                    "broken": m.broken,
                    "cancelled": m.cancelled,
                    "not_yet_due": m.pending,
                    "rate": m.rate,
                }
                for m in report.months
            ],
            "kept_late": report.late_count,
            "average_lateness_days": report.avg_lateness,
            "most_deferred": [
                {
                    **promise_json(d.promise, names, report.today),
                    "times_deferred": d.times,
                    "days_pushed": d.days_pushed,
                }
                for d in report.deferred
            ],
        }
    )


def feedback_json(
    items: Sequence[Feedback],
    contacts: Sequence[Contact],
    today: dt.date,
    suppressed: Mapping[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Feedback items with their age, source and status.

    An item in ``suppressed`` (id → "fewer than 5 responses") keeps only its id, dates, counts
    and status: no text, no source, no action text."""
    names = {c.id: c.name for c in contacts}
    out = []
    for f in items:
        data = to_toml_dict(f)
        data["person_name"] = names.get(f.person, f.person) if f.person else None
        from hrtrust.domain.reports import feedback_source

        data["source"] = feedback_source(f, contacts)
        why = (suppressed or {}).get(f.id)
        if why:
            for key in ("text", "person", "dept", "person_name", "source"):
                data.pop(key, None)
            data["actions"] = [{"date": a.date} for a in f.actions]
            data["suppressed"] = fewer_than(why)
        data["age_days"] = (today - f.date).days
        last_action = max((a.date for a in f.actions), default=None)
        data["days_since_action"] = (today - last_action).days if last_action else None
        data["status"] = "closed" if f.closed else ("acted" if f.actions else "new")
        out.append(jsonable_dict(data))
    return out


def pulses_json(rows: Sequence[Pulse], min_responses: int) -> list[dict[str, Any]]:
    """Pulse results as stored, with the scale spelled out (5 when not stored); a result from
    too small a group has no score here (``suppressed`` says why)."""
    from hrtrust.domain.reports import too_few

    out = []
    for p in rows:
        hidden = too_few(p.responses, min_responses)
        out.append(
            jsonable_dict(
                {
                    "id": p.id,
                    "dept": p.dept,
                    "date": p.date,
                    "score": None if hidden else p.score,
                    "scale": p.top,
                    "responses": p.responses,
                    "suppressed": fewer_than(min_responses) if hidden else None,
                }
            )
        )
    return out


def pulse_json(trends: Sequence[PulseTrend]) -> list[dict[str, Any]]:
    """Pulse trends; a result from too few respondents has no score here (``latest`` null,
    ``suppressed`` says why) and is not among ``results``."""
    return [
        jsonable_dict(
            {
                "dept": t.dept,
                "latest": t.latest,
                "latest_date": t.latest_date,
                "scale": t.scale,
                "change": t.change,
                "streak": t.streak,
                "suppressed": fewer_than(t.min_responses) if t.latest is None else None,
                "hidden_results": t.hidden,
                "responses": t.responses,
                "headcount": t.headcount,
                "participation": t.participation,
                "results": [
                    {"id": p.id, "date": p.date, "score": p.score, "responses": p.responses}
                    for p in t.points
                ],
            }
        )
        for t in trends
    ]


def departments_json(rows: Sequence[DeptRow]) -> list[dict[str, Any]]:
    """`dept list --json`: each department, client or internal, with the people known there."""
    return [
        {
            "name": r.name,
            "client": r.client,
            "internal": not r.client,
            "headcount": r.headcount,
            "window": r.window,
            "people": r.people,
            "registered": r.registered,
        }
        for r in rows
    ]


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
