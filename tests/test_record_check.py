"""The native check of a record (``hrtrust.record._checked``) against pydantic.

A record made from values that are already exactly their declared type is checked without
pydantic; anything else goes to pydantic. The rule that makes this safe: whenever the native
check accepts data, pydantic accepts the same data and gives an equal record. These tests hold
it on generated data, near-misses included (a bool for an int, a datetime for a date, a tuple
for a list, a lone surrogate, NaN, a key given twice), and make sure the check is not dead:
the demo data and the records commands make are accepted by it.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hrtrust import models
from hrtrust.record import (
    Field,
    Record,
    _checked,
    _lift,
    _lower_fields,
    _pydantic,
    field_validator,
    model_validator,
)

RECORDS = sorted(
    (
        c
        for c in vars(models).values()
        if isinstance(c, type) and issubclass(c, Record) and c is not Record
    ),
    key=lambda c: c.__name__,
)
DEMO = Path(models.__file__).parent / "demo_data"

SURROGATE = "a\udc80"
# Text as commands and files hold it: any text, and the forms some fields must have.
good_text = st.one_of(
    st.text(min_size=1, max_size=6),
    st.sampled_from(["03-14", "02-29", "09:00", "off", "open", "owe", "瑪麗亞", SURROGATE]),
)
near_scalar = st.one_of(
    st.sampled_from(["", " ", SURROGATE, "12-31x", "24:00", "2026-11-02"]),
    st.integers(-3, 2000),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.none(),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
    st.just(dt.datetime(2026, 11, 2, 0, 0)),
    st.just(["x"]),
    st.just({"text": "x"}),
)


def well_typed(annotation: Any, depth: int) -> st.SearchStrategy[Any]:
    """Values of ``annotation`` (within its constraints or not: the check decides)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(well_typed(a, depth) for a in args))
    if annotation is type(None):
        return st.none()
    if origin is Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(well_typed(args[0], depth + 1), max_size=3) if depth < 2 else st.just([])
    if origin is dict:
        return st.dictionaries(good_text, well_typed(args[1], depth + 1), max_size=3)
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return data_for(annotation, depth + 1) if depth < 2 else st.just({})
    if annotation is str:
        return good_text
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(-3, 2000)
    if annotation is float:
        return st.floats(allow_nan=True, allow_infinity=True, width=32)
    if annotation is dt.date:
        return st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    return near_scalar


def near_miss(annotation: Any, depth: int) -> st.SearchStrategy[Any]:
    """A value that is not quite ``annotation``: another type, or a list or dict of it that
    holds one, or a tuple where a list belongs."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        item = well_typed(args[0], depth + 1)
        return st.one_of(
            near_scalar,
            st.lists(item, min_size=1, max_size=2).map(tuple),
            st.tuples(item, near_scalar).map(list),
        )
    if origin is dict:
        return st.one_of(near_scalar, st.dictionaries(good_text, near_scalar, min_size=1))
    return near_scalar


FORMS = {"birthday": ["03-14", "02-29", None], "promise_alarm": ["09:00", "off"], "smtp": [None]}


@st.composite
def _data(draw: st.DrawFn, cls: type[Record], depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = list(cls.field_types())
    missed = draw(st.sets(st.sampled_from(names), max_size=2)) if names else set()
    for name, annotation in cls.field_types().items():
        spec = cls.model_fields[name]
        how = draw(st.sampled_from(["value"] * 6 + ["omit", "alias", "alias", "both"]))
        if how == "omit" and (not spec.required or draw(st.integers(0, 9)) == 0):
            continue
        typed = near_miss if name in missed else well_typed
        value = draw(typed(annotation, depth))
        if name in FORMS and name not in missed and draw(st.integers(0, 4)):
            value = draw(st.sampled_from(FORMS[name]))
        if how == "alias" and spec.alias:
            out[spec.alias] = value
        elif how == "both" and spec.alias:
            out[spec.alias] = value
            out[name] = draw(well_typed(annotation, depth))
        else:
            out[name] = value
    if draw(st.booleans()):
        unknown = st.one_of(st.sampled_from(["extra", "note_2", "dept", "password"]), good_text)
        out[draw(unknown)] = draw(near_scalar)
    return out


def data_for(cls: type[Record], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    return _data(cls, depth)


def pydantic_result(cls: type[Record], data: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    try:
        record = _lift(_pydantic(cls).model_validate(_lower_fields(cls, data)))
    except ValidationError:
        return None
    return record.__dict__, record.model_extra


def same(a: Any, b: Any) -> bool:
    """Equal, with NaN equal to NaN and types compared too (1 is not 1.0 nor True here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, Record):
        return same(a.__dict__, b.__dict__) and same(a.model_extra, b.model_extra)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_what_the_native_check_accepts_pydantic_accepts_alike(
    cls: type[Record], data: st.DataObject
) -> None:
    raw = data.draw(data_for(cls))
    native = _checked(cls, _lower_fields(cls, raw))
    if native is None:
        return  # pydantic decides: nothing to compare
    theirs = pydantic_result(cls, raw)
    assert theirs is not None, f"accepted natively, refused by pydantic: {raw!r}"
    assert same(native[0], theirs[0]) and same(native[1], theirs[1])


DAY = dt.date(2026, 11, 2)
ENTRY = {"id": "x", "date": DAY, "kind": "k"}
ACTIVITY = {"id": "a", "title": "t", "kind": "k", "rule": "r", "start": DAY}


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (models.Interaction, {**ENTRY, "date": dt.datetime(2026, 11, 2)}),
        (models.Interaction, {**ENTRY, "date": "2026-11-02"}),
        (models.Interaction, {**ENTRY, "kind": SURROGATE}),
        (models.Interaction, {**ENTRY, "with": ["a"], "with_": ["b"]}),
        (models.Interaction, {**ENTRY, "keep": 1}),
        (models.Activity, {**ACTIVITY, "title": ""}),
        (models.Activity, {**ACTIVITY, "duration": True}),
        (models.Activity, {**ACTIVITY, "duration": 2000}),
        (models.Contact, {"id": "c1", "name": "M", "birthday": "02-30"}),
        (models.Contact, {"id": "c1", "name": "M", "learned": [{"text": "x", "on": "2026-01"}]}),
        (models.Config, {"reach_out_per_week": -1}),
        (models.Config, {"smtp": {"password": "x"}}),
        (models.Promise, {"id": "p1", "text": "t", "status": "opened"}),
        (models.Config, {"timezone": "UTC", SURROGATE: 1}),  # an unknown key pydantic refuses
    ],
)
def test_anything_not_exactly_its_type_goes_to_pydantic(cls: type[Record], data: Any) -> None:
    assert _checked(cls, _lower_fields(cls, data)) is None


@pytest.mark.parametrize(
    ("cls", "name"),
    [
        (models.ContactsFile, "contacts.toml"),
        (models.PromisesFile, "promises.toml"),
        (models.ActivitiesFile, "activities.toml"),
        (models.Config, "config.toml"),
    ],
)
def test_the_demo_files_are_accepted_natively_and_alike(cls: type[Record], name: str) -> None:
    raw = tomllib.loads((DEMO / name).read_text(encoding="utf-8"))
    native = _checked(cls, raw)
    assert native is not None  # the check is not dead: real data takes the native path
    theirs = pydantic_result(cls, raw)
    assert theirs is not None and same(native[0], theirs[0]) and same(native[1], theirs[1])


def test_a_log_entry_is_made_and_written_without_pydantic(tmp_path: Path) -> None:
    code = (
        "import sys, datetime as dt\n"
        "from hrtrust.models import Interaction, LogFile\n"
        "from hrtrust.storage.toml_format import dumps_checked\n"
        "e = Interaction(id='2026-11-02.1', date=dt.date(2026, 11, 2), kind='coffee-chat',"
        " with_=['c1'], note='x')\n"
        "text, doc = dumps_checked(LogFile(entry=[e]), 'log/2026-11.toml')\n"
        "assert doc.entry[0] == e and 'coffee-chat' in text\n"
        "print('pydantic.main' in sys.modules)\n"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# Declarations the models do not use (yet), each a case the check must leave to pydantic.


class A(Record):
    x: int


class B(Record):
    x: int
    y: int


class Either(Record):
    u: A | B


class Loud(Record):
    word: str

    @field_validator("*")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class Listed(Record):
    xs: list[str] = []  # noqa: RUF012  (declared the way pydantic allows)
    n: int = Field(default=0, ge=0)


class Marked(Record):
    seen: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _mark(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data.setdefault("seen", []).append("seen")  # changes its input in place
        return data


def test_declarations_the_check_does_not_decide_go_to_pydantic() -> None:
    """A union of two records (pydantic picks by the fields set), a validator on every field,
    a mutable default and a "before" validator that changes its input all come out as
    pydantic makes them."""
    assert _checked(Either, {"u": {"x": 1, "y": 2}}) is None
    assert Either(u={"x": 1, "y": 2}).u.__class__ is B
    assert Loud(word="hello").word == "HELLO"
    one, two = Listed(n=1), Listed(n=2)
    assert one.xs == [] and one.xs is not two.xs and one.xs is not Listed.model_fields["xs"].default
    data: dict[str, Any] = {"seen": [], "n": -1}
    assert Marked.model_validate(data).seen == ["seen"]
