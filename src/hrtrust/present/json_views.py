"""Plain-data (JSON-ready) views of records, with private fields only when asked for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hrtrust.domain.dates import describe_cadence
from hrtrust.domain.planning import (
    Celebration,
    DeptCoverage,
    Lapse,
    Occurrence,
    OverdueReport,
    Reach,
    WeekPlan,
)
from hrtrust.domain.promises import days_late, outcome
from hrtrust.models import Activity, Contact, Interaction, Promise, to_toml_dict

PRIVATE_CONTACT_FIELDS = ("notes", "learned")


def jsonable(value: Any) -> Any:
    """Dates as ISO strings, recursively."""
    return _jsonable(value)


def jsonable_dict(value: dict[str, Any]) -> dict[str, Any]:
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
        "reason": r.reason,
        "hooks": [h.text for h in r.hooks if private or not h.private],
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
                    "activities": [occ(o) for o in d.occurrences],
                    "promises_due": [promise_json(p, names, today) for p in d.due],
                    "reach_out": [_reach_json(r, private) for r in d.reach],
                    "celebrations": [party(c) for c in d.celebrations],
                }
                for d in plan.days
            ],
            "reach_out": [_reach_json(r, private) for r in plan.reach],
            "more_due": plan.more_due,
            "celebrations": [party(c) for c in plan.celebrations],
            "coverage": [cov(c) for c in plan.coverage],
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
