"""Tests for hrtrust.models: validation, the TOML form, and a property round trip through TOML."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hrtrust.models import (
    ActivitiesFile,
    Activity,
    Config,
    Contact,
    ContactsFile,
    Deferral,
    Document,
    Fact,
    Feedback,
    FeedbackFile,
    Interaction,
    LogFile,
    Promise,
    PromisesFile,
    Pulse,
    to_toml_dict,
)
from hrtrust.storage.toml_format import dumps, parse_document

D = TypeVar("D", bound=Document)


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["01-01", "02-29", "12-31", "12-03"])
def test_birthday_accepts_month_day(value: str) -> None:
    assert Contact(id="c1", name="A", birthday=value).birthday == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("02-30", "no such day: 02-30"),
        ("13-01", "no such day: 13-01"),
        ("00-10", "no such day: 00-10"),
        ("2-3", "birthday must be MM-DD, e.g. 03-14"),
        ("Dec 3", "birthday must be MM-DD, e.g. 03-14"),
        ("1990-12-03", "birthday must be MM-DD, e.g. 03-14"),
    ],
)
def test_birthday_rejects_other_forms(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        Contact(id="c1", name="A", birthday=value)
    assert info.value.errors()[0]["msg"] == f"Value error, {message}"


def test_contact_needs_a_name() -> None:
    with pytest.raises(ValidationError):
        Contact(id="c1", name="")


def test_toml_dict_uses_aliases_and_drops_empty_values() -> None:
    entry = Interaction(id="2026-11-20.1", date=dt.date(2026, 11, 20), kind="coffee", with_=["c1"])
    assert to_toml_dict(entry) == {
        "id": "2026-11-20.1",
        "date": dt.date(2026, 11, 20),
        "kind": "coffee",
        "with": ["c1"],
    }
    deferral = Deferral.model_validate(
        {"on": "2026-11-01", "from": "2026-11-02", "to": "2026-11-09"}
    )
    assert to_toml_dict(deferral) == {
        "on": dt.date(2026, 11, 1),
        "from": dt.date(2026, 11, 2),
        "to": dt.date(2026, 11, 9),
    }


def test_unknown_keys_are_kept() -> None:
    c = Contact.model_validate({"id": "c1", "name": "A", "pronouns": "they", "x": {"y": [1]}})
    assert to_toml_dict(c) == {"id": "c1", "name": "A", "pronouns": "they", "x": {"y": [1]}}


def test_original_due_is_the_first_agreed_date() -> None:
    p = Promise(id="p1", text="send", made=dt.date(2026, 11, 1), due=dt.date(2026, 11, 20))
    assert p.original_due == dt.date(2026, 11, 20)
    p.deferrals = [
        Deferral(on=dt.date(2026, 11, 5), from_=dt.date(2026, 11, 6), to=dt.date(2026, 11, 13)),
        Deferral(on=dt.date(2026, 11, 12), from_=dt.date(2026, 11, 13), to=dt.date(2026, 11, 20)),
    ]
    assert p.original_due == dt.date(2026, 11, 6)


def test_empty_documents_are_tiny() -> None:
    assert dumps(ContactsFile()) == "schema_version = 1\nnext_id = 1\n"
    assert dumps(LogFile()) == "schema_version = 1\n"


# -- round trip through TOML -------------------------------------------------------------------

NASTY = list("\x00\x01\x08\t\n\x0b\x0c\r\x1b\x1f\x7f\"'\\ #=[]{}.,王小明製造部😀🤝\u2028\u00a0")

text = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(NASTY), max_size=30),
    st.text(alphabet=st.sampled_from([*NASTY, "a", "b"]), min_size=200, max_size=600),
)
name = text.filter(lambda s: len(s) >= 1)
maybe_text = st.none() | text
dates = st.dates()
maybe_date = st.none() | dates
ids = st.from_regex(r"[a-z]{1,2}[0-9]{1,4}", fullmatch=True)
month_day = dates.map(lambda d: f"{d.month:02d}-{d.day:02d}")
extras = st.dictionaries(
    st.text(min_size=1, max_size=10).map(lambda k: "x-" + k),
    st.one_of(text, st.integers(-(2**63), 2**63 - 1), st.booleans(), dates, st.lists(text)),
    max_size=3,
)


def with_extras(
    cls: type[Any], fields: st.SearchStrategy[dict[str, Any]]
) -> st.SearchStrategy[Any]:
    return st.builds(lambda f, x: cls.model_validate({**x, **f}), fields, extras)


facts = st.builds(Fact, date=dates, text=text)
contacts = with_extras(
    Contact,
    st.fixed_dictionaries(
        {"id": ids, "name": name},
        optional={
            "dept": maybe_text,
            "role": maybe_text,
            "location": text,
            "email": text,
            "manager": text,
            "tags": st.lists(text, max_size=4),
            "every": st.sampled_from(["2w", "1m", "14d"]),
            "birthday": st.none() | month_day,
            "hired": maybe_date,
            "added": dates,
            "notes": maybe_text,
            "learned": st.lists(facts, max_size=3),
        },
    ),
)
deferrals = st.builds(Deferral, on=dates, from_=dates, to=dates, reason=maybe_text)
promises = with_extras(
    Promise,
    st.fixed_dictionaries(
        {"id": ids, "text": name, "made": dates, "due": dates},
        optional={
            "direction": st.sampled_from(["owe", "await"]),
            "person": maybe_text,
            "dept": maybe_text,
            "status": st.sampled_from(["open", "done", "cancelled"]),
            "closed": maybe_date,
            "reason": maybe_text,
            "source": text,
            "deferrals": st.lists(deferrals, max_size=3),
        },
    ),
)
interactions = with_extras(
    Interaction,
    st.fixed_dictionaries(
        {"id": ids, "date": dates, "kind": text},
        optional={
            "with": st.lists(ids, max_size=4),
            "dept": maybe_text,
            "activity": maybe_text,
            "note": maybe_text,
            "learned": st.lists(text, max_size=3),
            "promises": st.lists(ids, max_size=3),
        },
    ),
)
activities = with_extras(
    Activity,
    st.fixed_dictionaries(
        {"id": ids, "title": name, "kind": text, "rule": text, "start": dates},
        optional={
            "until": maybe_date,
            "at": st.sampled_from(["09:00", "13:30"]),
            "duration": st.integers(1, 600),
            "dept": maybe_text,
            "location": maybe_text,
            "with": st.lists(ids, max_size=3),
            "skip": st.lists(dates, max_size=3),
            "notes": maybe_text,
        },
    ),
)
feedbacks = with_extras(
    Feedback,
    st.fixed_dictionaries(
        {"id": ids, "text": name, "date": dates},
        optional={
            "person": maybe_text,
            "dept": maybe_text,
            "actions": st.lists(st.builds(dict, date=dates, text=text), max_size=3),
            "closed": maybe_date,
        },
    ),
)
pulses = st.builds(
    Pulse, dept=text, date=dates, score=st.floats(allow_nan=False, allow_infinity=False)
)

ROUND_TRIP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(doc: D) -> D:
    text = dumps(doc)
    again = parse_document(type(doc), text, "file.toml")
    assert again == doc
    assert dumps(again) == text  # stable: the same data gives the same bytes
    return again


@ROUND_TRIP
@given(st.lists(contacts, max_size=4), st.integers(1, 10_000))
def test_contacts_round_trip(people: list[Contact], next_id: int) -> None:
    round_trip(ContactsFile(next_id=next_id, contact=people))


@ROUND_TRIP
@given(st.lists(promises, max_size=4))
def test_promises_round_trip(items: list[Promise]) -> None:
    round_trip(PromisesFile(next_id=len(items) + 1, promise=items))


@ROUND_TRIP
@given(st.lists(interactions, max_size=4))
def test_log_round_trip(entries: list[Interaction]) -> None:
    round_trip(LogFile(entry=entries))


@ROUND_TRIP
@given(st.lists(activities, max_size=4))
def test_activities_round_trip(items: list[Activity]) -> None:
    round_trip(ActivitiesFile(next_id=7, activity=items))


@ROUND_TRIP
@given(st.lists(feedbacks, max_size=3), st.lists(pulses, max_size=3))
def test_feedback_round_trip(items: list[Feedback], results: list[Pulse]) -> None:
    round_trip(FeedbackFile(next_id=3, feedback=items, pulse=results))


def test_config_round_trip() -> None:
    config = Config(timezone="Asia/Taipei", cadence={"ally": "2w", "default": "6w"})
    assert round_trip(config).cadence == {"ally": "2w", "default": "6w"}


def test_round_trip_keeps_control_characters_exactly() -> None:
    nasty = "".join(chr(i) for i in range(32)) + '\x7f"\\ 王小明 😀 """ \'\'\''
    doc = ContactsFile(contact=[Contact(id="c1", name=nasty, notes=nasty, tags=[nasty])])
    again = round_trip(doc)
    assert again.contact[0].notes == nasty


def test_unknown_keys_holding_empty_values_are_kept() -> None:
    raw = {"id": "c1", "name": "A", "x-list": [], "x-table": {}}
    assert to_toml_dict(Contact.model_validate(raw)) == raw


def test_a_setting_emptied_on_purpose_is_not_reset_to_its_default() -> None:
    config = Config.model_validate({"cadence": {}, "week": ["mon"]})
    assert to_toml_dict(config)["cadence"] == {}
    assert "tags" not in to_toml_dict(Contact(id="c1", name="A"))
