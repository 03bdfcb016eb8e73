"""``hrtrust.record``: record classes declared once, validated by a derived pydantic model; the
plain class behaves as the pydantic model did (defaults, unknown keys, copies, errors)."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hrtrust import models
from hrtrust.models import Config, Contact, FeedbackFile, Interaction, Promise, to_toml_dict
from hrtrust.record import Record

RECORDS = [
    cls
    for _, cls in inspect.getmembers(models, inspect.isclass)
    if issubclass(cls, Record) and cls is not Record
]


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_defaults_without_validating_equal_what_pydantic_gives(cls: type[Record]) -> None:
    if not cls._plain:
        with pytest.raises(ValidationError):
            cls()
        return
    assert cls() == cls.model_validate({})


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_a_default_factory_is_called_per_record(cls: type[Record]) -> None:
    if not cls._plain:
        return
    a, b = cls(), cls()
    for name, value in a.__dict__.items():
        if isinstance(value, list | dict):
            assert value is not b.__dict__[name], name


def test_nested_records_come_back_as_record_classes() -> None:
    c = Contact.model_validate(
        {"id": "c1", "name": "陳美玲", "learned": [{"date": "2026-11-02", "text": "runs"}]}
    )
    assert type(c.learned[0]) is models.Fact
    assert c.learned[0].date == dt.date(2026, 11, 2)


def test_unknown_keys_are_kept_and_written_back() -> None:
    c = Contact.model_validate({"id": "c1", "name": "Maria", "pronouns": "she/her"})
    assert c.model_extra == {"pronouns": "she/her"}
    assert to_toml_dict(c)["pronouns"] == "she/her"
    assert Contact.model_validate(to_toml_dict(c)) == c


def test_a_field_is_given_by_name_or_by_its_key_in_the_file() -> None:
    by_name = Interaction(id="2026-11-02.1", date=dt.date(2026, 11, 2), kind="chat", with_=["c1"])
    by_key = Interaction.model_validate(
        {"id": "2026-11-02.1", "date": "2026-11-02", "kind": "chat", "with": ["c1"]}
    )
    assert by_name == by_key
    assert to_toml_dict(by_name)["with"] == ["c1"]


def test_validators_run_field_before_and_after() -> None:
    with pytest.raises(ValidationError, match="birthday must be MM-DD"):
        Contact(id="c1", name="Maria", birthday="March 3")
    legacy = Interaction.model_validate(
        {"id": "x", "date": "2026-11-02", "kind": "chat", "dept": "Sales"}
    )
    assert legacy.depts == ["Sales"]
    fb = FeedbackFile.model_validate(
        {"pulse": [{"dept": "Sales", "date": "2026-01-05", "score": 3}]}
    )
    assert [p.id for p in fb.pulse] == ["s1"] and fb.next_pulse_id == 2
    with pytest.raises(ValidationError, match="password is never read"):
        Config.model_validate({"smtp": {"password": "hunter2"}})


def test_making_a_record_validates_it_and_never_echoes_the_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Promise(id="p1", text="", made=dt.date(2026, 11, 2), due=dt.date(2026, 11, 9))
    assert "at least 1 character" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        Config.model_validate({"reach_out_per_week": "secret-ish"})
    assert "secret-ish" not in str(caught.value)


def test_copy_construct_and_dump() -> None:
    p = Promise(id="p1", text="Send the band", made=dt.date(2026, 11, 2), due=dt.date(2026, 11, 9))
    q = p.model_copy(update={"status": "done", "note": "extra"})
    assert (q.status, q.model_extra, p.status) == ("done", {"note": "extra"}, "open")
    deep = p.model_copy(deep=True)
    assert deep == p and deep.deferrals is not p.deferrals
    built = Promise.model_construct(id="p2", text="t", made=p.made, due=p.due)
    assert built.status == "open" and built.deferrals == []
    assert p.model_dump(exclude_none=True)["due"] == dt.date(2026, 11, 9)
    assert "person" not in p.model_dump(exclude_none=True)
    assert p != q and p == p.model_copy()


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(
    name=texts,
    tags=st.lists(texts, max_size=3),
    added=st.none() | days,
    facts=st.lists(st.tuples(days, texts), max_size=3),
    extra=st.dictionaries(st.sampled_from(["pronouns", "team", "desk"]), texts, max_size=2),
)
def test_a_contact_survives_toml_form_and_validation(
    name: str,
    tags: list[str],
    added: dt.date | None,
    facts: list[tuple[dt.date, str]],
    extra: dict[str, Any],
) -> None:
    c = Contact.model_validate(
        {
            "id": "c1",
            "name": name,
            "tags": tags,
            "added": added,
            "learned": [{"date": d, "text": t} for d, t in facts],
            **extra,
        }
    )
    again = Contact.model_validate(to_toml_dict(c))
    assert again == c
    assert again.model_extra == extra
    assert Contact.model_validate(c.model_dump(by_alias=True)) == c


def test_the_built_in_kinds_are_valid_records() -> None:
    # They are made with model_construct (no validating on every import): check them here.
    from hrtrust.domain.catalogue import BUILTIN_KINDS

    for kind in BUILTIN_KINDS:
        assert models.Kind.model_validate(to_toml_dict(kind)) == kind


def test_records_given_inside_data_are_validated_again_with_their_unknown_keys() -> None:
    fact = models.Fact(date=dt.date(2026, 11, 2), text="runs marathons")
    inner = {"id": "c1", "name": "Maria", "learned": [fact]}
    doc = models.ContactsFile.model_validate({"contact": [inner]})
    assert doc.contact[0].learned == [fact]
    keeper = Contact.model_validate({"id": "c2", "name": "Ann", "desk": "4F"})
    again = models.ContactsFile(contact=[keeper])
    assert again.contact[0].model_extra == {"desk": "4F"} and again.contact[0] == keeper
    assert Contact.model_validate(keeper) == keeper
    with pytest.raises(ValidationError):
        models.ContactsFile(contact=[Contact.model_construct(id="c3", name="")])


def test_records_given_in_a_tuple_are_accepted_as_pydantic_accepted_them() -> None:
    # pydantic takes any sequence for a list field, records in it included.
    keeper = Contact.model_validate({"id": "c2", "name": "Ann", "desk": "4F"})
    doc = models.ContactsFile(contact=(keeper,))  # type: ignore[arg-type]
    assert doc.contact == [keeper] and doc.contact[0].model_extra == {"desk": "4F"}
    assert models.ContactsFile.model_validate({"contact": (keeper,)}).contact == [keeper]
