"""Records: the classes of the stored data, declared once, validated by pydantic only when
something is validated.

A command that reads only what was validated when it was written (the records in ``.cache/``)
builds its records with no pydantic at all: importing ``pydantic.main`` and building the model
classes costs ~45 ms, half as much again as starting Python with every library hrtrust uses.
So a record class is a plain class declared like a dataclass (annotations, defaults,
:func:`Field` for constraints and the key a field has in the file). Validating a record reads
that declaration twice over, never a copy of it: first a native check (the end of this module)
accepts data whose every value is already exactly its declared type and within its
constraints, which is what a command makes and what a file about to be written holds; anything
else goes to the pydantic model derived from the declaration the first time it is needed,
which converts (``"2026-11-02"`` to a date) or gives the error. The native check accepts only
what pydantic would accept unchanged (held by property tests), so a ``log`` validates its entry
and the month it writes without importing pydantic's models at all.

Semantics follow pydantic's (``extra="allow"``, ``populate_by_name``): keys the class does not
know are kept in :attr:`Record.model_extra` and written back; making a record validates it and
raises pydantic's ``ValidationError``; ``model_construct`` and ``model_copy`` do not validate.
Two differences: a record given inside another record's data is validated again into a new
record (pydantic kept the very object), and an attribute a class does not declare is not a
field (pydantic put it among the unknown keys): set ``model_extra[key]`` for that. mypy holds
typed code to declared fields.
"""

from __future__ import annotations

import copy
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Literal, TypeVar, dataclass_transform

R = TypeVar("R", bound="Record")

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()


class FieldSpec:
    """One declared field: its default (or factory), the key it has in a file, constraints."""

    __slots__ = ("alias", "annotation", "constraints", "default", "factory", "module", "name")

    def __init__(
        self,
        default: Any = MISSING,
        factory: Callable[[], Any] | None = None,
        alias: str | None = None,
        constraints: dict[str, Any] | None = None,
    ) -> None:
        self.default = default
        self.factory = factory
        self.alias = alias
        self.constraints = constraints or {}
        self.name = ""
        self.annotation: Any = None  # the annotation as written (a string), resolved lazily
        self.module = ""

    @property
    def required(self) -> bool:
        return self.default is MISSING and self.factory is None

    def default_value(self) -> Any:
        """A fresh default: a factory is called each time and a mutable default is copied, as
        pydantic does (no two records share a list)."""
        if self.factory is not None:
            return self.factory()
        if isinstance(self.default, list | dict | set):
            return copy.deepcopy(self.default)
        return self.default

    def __repr__(self) -> str:
        return f"FieldSpec({self.name!r}, alias={self.alias!r})"


def Field(  # noqa: N802  (the name pydantic gives it)
    default: Any = MISSING,
    *,
    default_factory: Callable[[], Any] | None = None,
    key: str | None = None,
    **constraints: Any,
) -> Any:
    """A field with a default or ``default_factory``, the ``key`` it has in a file when that is
    not its name (``with``), and pydantic constraints (``min_length=1``, ``ge=0``...)."""
    return FieldSpec(default, default_factory, key, constraints)


class _Validator:
    """A validator, recorded on the class and handed to pydantic with the derived model."""

    __slots__ = ("fields", "func", "kind", "mode")

    def __init__(self, kind: str, fields: tuple[str, ...], mode: str, func: Any) -> None:
        self.kind = kind
        self.fields = fields
        self.mode = mode
        self.func = func


def field_validator(*fields: str) -> Callable[[Any], Any]:
    """pydantic's ``field_validator`` (mode "after"), for a record class."""
    return lambda func: _Validator("field", fields, "after", func)


def model_validator(*, mode: Literal["before", "after"]) -> Callable[[Any], Any]:
    """pydantic's ``model_validator``, for a record class. An "after" validator is given the
    pydantic instance (the same fields and ``model_extra``)."""
    return lambda func: _Validator("model", (), mode, func)


@dataclass_transform(kw_only_default=True, field_specifiers=(Field,))
class Record:
    """Base of every stored record and document: fields in ``__dict__``, unknown keys in
    :attr:`model_extra`."""

    __slots__ = ("__dict__", "model_extra")

    model_fields: ClassVar[dict[str, FieldSpec]] = {}
    _validators: ClassVar[dict[str, _Validator]] = {}
    _by_key: ClassVar[dict[str, str]] = {}  # a field's key in a file -> its name
    _plain: ClassVar[bool] = True  # every field has a default: ``cls()`` needs no validating

    model_extra: dict[str, Any]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields = dict(cls.model_fields)
        validators = dict(cls._validators)
        for name, annotation in cls.__dict__.get("__annotations__", {}).items():
            if str(annotation).startswith("ClassVar"):
                continue
            value = cls.__dict__.get(name, MISSING)
            spec = value if isinstance(value, FieldSpec) else FieldSpec(default=value)
            if isinstance(value, FieldSpec):
                if spec.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, spec.default)
            spec.name, spec.annotation, spec.module = name, annotation, cls.__module__
            fields[name] = spec
        for attr, value in list(cls.__dict__.items()):
            if isinstance(value, _Validator):
                validators[attr] = value
                delattr(cls, attr)
        cls.model_fields = fields
        cls._validators = validators
        cls._by_key = {spec.alias: name for name, spec in fields.items() if spec.alias}
        cls._plain = not any(spec.required for spec in fields.values())

    def __init__(self, **data: Any) -> None:
        cls = type(self)
        if not data and cls._plain:
            # Defaults only: what pydantic would give (it validates neither defaults nor, for
            # these classes, anything an "after" validator would change on them).
            self.__dict__ = {name: spec.default_value() for name, spec in cls.model_fields.items()}
            self.model_extra = {}
            return
        lowered = _lower_fields(cls, data)
        got = _checked(cls, lowered)
        if got is not None:
            self.__dict__, self.model_extra = got
            return
        checked = _pydantic(cls).model_validate(lowered)
        self.__dict__ = _lift_fields(cls, checked)
        self.model_extra = dict(checked.__pydantic_extra__ or {})

    # -- pydantic's API, as far as hrtrust uses it ------------------------------------------

    @classmethod
    def model_validate(cls: type[R], data: Any) -> R:
        """Validate ``data`` (a mapping, as read from a file) into a record of this class."""
        if isinstance(data, Record):
            data = _lower_record(data)
        lowered = _lower_fields(cls, data)
        got = _checked(cls, lowered)
        if got is not None:
            obj = cls.__new__(cls)
            obj.__dict__, obj.model_extra = got
            return obj
        checked = _pydantic(cls).model_validate(lowered)
        return _lift(checked)  # type: ignore[no-any-return]

    @classmethod
    def model_construct(cls: type[R], **values: Any) -> R:
        """A record from trusted values, not validated; absent fields get their defaults."""
        obj = cls.__new__(cls)
        d: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in values.items():
            name = cls._by_key.get(key, key)
            if name in cls.model_fields:
                d[name] = value
            else:
                extra[key] = value
        obj.__dict__ = {
            name: d[name] if name in d else spec.default_value()
            for name, spec in cls.model_fields.items()
            if name in d or not spec.required
        }
        obj.model_extra = extra
        return obj

    def model_copy(self: R, *, update: dict[str, Any] | None = None, deep: bool = False) -> R:
        """A copy (``deep``: nothing shared), with ``update`` applied, not validated."""
        cls = type(self)
        obj = cls.__new__(cls)
        d = copy.deepcopy(self.__dict__) if deep else dict(self.__dict__)
        extra = copy.deepcopy(self.model_extra) if deep else dict(self.model_extra)
        for key, value in (update or {}).items():
            if key in cls.model_fields:
                d[key] = value
            else:
                extra[key] = value
        obj.__dict__ = d
        obj.model_extra = extra
        return obj

    def model_dump(self, *, by_alias: bool = False, exclude_none: bool = False) -> dict[str, Any]:
        """Fields (then unknown keys) as plain values, nested records as dicts."""
        out: dict[str, Any] = {}
        for name, spec in type(self).model_fields.items():
            value = self.__dict__[name]
            if exclude_none and value is None:
                continue
            key = spec.alias or name if by_alias else name
            out[key] = _dump(value, by_alias, exclude_none)
        for key, value in self.model_extra.items():
            if not (exclude_none and value is None):
                out[key] = _dump(value, by_alias, exclude_none)
        return out

    @classmethod
    def field_types(cls) -> dict[str, Any]:
        """Each field's annotation, resolved (``dt.date | None``, ``list[Fact]``)."""
        got: dict[str, Any] | None = cls.__dict__.get("_resolved")
        if got is None:
            got = {
                name: _resolve(spec.annotation, spec.module)
                for name, spec in cls.model_fields.items()
            }
            cls._resolved = got  # type: ignore[attr-defined]
        return got

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self.__dict__ == other.__dict__ and self.model_extra == other.model_extra

    __hash__ = None  # type: ignore[assignment]  # mutable, like a pydantic model

    def __repr__(self) -> str:
        shown = [f"{k}={v!r}" for k, v in self.__dict__.items()]
        shown += [f"{k}={v!r}" for k, v in self.model_extra.items()]
        return f"{type(self).__name__}({', '.join(shown)})"


def _resolve(annotation: Any, module: str) -> Any:
    if not isinstance(annotation, str):
        return annotation
    key = (annotation, module)  # a few dozen spellings (``str | None``) across ~150 fields
    if key not in _RESOLVED:
        _RESOLVED[key] = eval(annotation, vars(sys.modules[module]))  # noqa: S307  (our own)
    return _RESOLVED[key]


_RESOLVED: dict[tuple[str, str], Any] = {}


def _dump(value: Any, by_alias: bool, exclude_none: bool) -> Any:
    if isinstance(value, Record):
        return value.model_dump(by_alias=by_alias, exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dump(v, by_alias, exclude_none) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v, by_alias, exclude_none) for k, v in value.items()}
    return value


def _nested(cls: type[Record]) -> tuple[tuple[str, str, type[Record]], ...]:
    """The fields of ``cls`` that hold records: (name, key in a file, record class)."""
    got = _NESTED.get(cls)
    if got is None:
        got = _NESTED[cls] = tuple(
            (name, cls.model_fields[name].alias or name, sub)
            for name, annotation in cls.field_types().items()
            if (sub := _record_in(annotation)) is not None
        )
    return got


_NESTED: dict[type[Record], tuple[tuple[str, str, type[Record]], ...]] = {}


def _record_in(annotation: Any) -> type[Record] | None:
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for arg in typing.get_args(annotation):
        found = _record_in(arg)
        if found is not None:
            return found
    return None


def _lower_fields(cls: type[Record], data: Any) -> Any:
    """``data`` for ``cls`` with each record in it (where a record can be: a field that holds
    records) as a dict by field name, for pydantic to validate again. Only the fields that
    hold records are looked at, and nothing is copied when there is no record to turn."""
    if type(data) is not dict:
        return data
    out = None
    for name, key, sub in _nested(cls):
        for k in (name, key) if key != name else (name,):
            if k in data:
                value = data[k]
                new = _lower_value(sub, value)
                if new is not value:
                    out = out if out is not None else dict(data)
                    out[k] = new
    return data if out is None else out


def _lower_value(sub: type[Record], value: Any) -> Any:
    if isinstance(value, Record):
        return _lower_record(value)
    if type(value) is dict:
        return _lower_fields(sub, value)
    if type(value) is list or type(value) is tuple:  # pydantic takes a tuple for a list
        new = [_lower_value(sub, v) for v in value]
        return value if all(a is b for a, b in zip(new, value, strict=True)) else new
    return value


def _lower_record(record: Record) -> dict[str, Any]:
    data = _lower_fields(type(record), dict(record.__dict__))
    assert isinstance(data, dict)
    data.update(record.model_extra)
    return data


# -- the derived pydantic models --------------------------------------------------------------

_PYDANTIC: dict[type[Record], Any] = {}


def _pydantic(cls: type[Record]) -> Any:
    """The pydantic model that validates ``cls``, derived from its declaration once."""
    model = _PYDANTIC.get(cls)
    if model is not None:
        return model
    import pydantic

    fields: dict[str, Any] = {}
    for name, spec in cls.model_fields.items():
        info: dict[str, Any] = dict(spec.constraints)
        if spec.alias:
            info["alias"] = spec.alias
        if spec.factory is not None:
            info["default_factory"] = spec.factory
        elif spec.default is not MISSING:
            info["default"] = spec.default
        fields[name] = (_as_pydantic(cls.field_types()[name]), pydantic.Field(**info))
    validators: dict[str, Any] = {}
    for attr, v in cls._validators.items():
        if v.kind == "field":
            validators[attr] = pydantic.field_validator(*v.fields)(v.func)
        else:
            validators[attr] = pydantic.model_validator(mode=v.mode)(v.func)  # type: ignore[call-overload]
    # hide_input_in_errors: a validation error (and a --debug traceback) never echoes the
    # value it refused, which may be a private note or a password.
    config = pydantic.ConfigDict(extra="allow", populate_by_name=True, hide_input_in_errors=True)
    model = pydantic.create_model(
        cls.__name__,
        __config__=config,
        __validators__=validators,
        __module__=cls.__module__,
        **fields,
    )
    model.__hrtrust_record__ = cls
    _PYDANTIC[cls] = model
    return model


def _as_pydantic(annotation: Any) -> Any:
    """``annotation`` with each record class in it replaced by its pydantic model."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _pydantic(annotation)
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_as_pydantic(a) for a in args)]  # noqa: UP007
    if origin is list:
        return list[_as_pydantic(args[0])]  # type: ignore[misc]
    if origin is dict:
        return dict[_as_pydantic(args[0]), _as_pydantic(args[1])]  # type: ignore[misc]
    return annotation


def _lift(model: Any) -> Any:
    """A validated pydantic model as its record class (the records in it too)."""
    cls = type(model).__hrtrust_record__
    obj = cls.__new__(cls)
    obj.__dict__ = _lift_fields(cls, model)
    obj.model_extra = dict(model.__pydantic_extra__ or {})
    return obj


def _lift_fields(cls: type[Record], model: Any) -> dict[str, Any]:
    d = dict(model.__dict__)
    for name, _, _ in _nested(cls):
        value = d[name]
        if type(value) is list:
            d[name] = [_lift(v) for v in value]
        elif value is not None:
            d[name] = _lift(value)
    return d


# -- validating without pydantic: values that are already what pydantic would make of them ----
#
# Most validation is of values a command made itself (``Interaction(id=..., date=day, ...)``)
# or of a document about to be written: every value is already of its declared type. For those
# pydantic changes nothing, and importing it and building the models costs more than the rest
# of a ``log``. So a record is first checked here, field by field, against its declaration:
# exact types only (a ``str`` for ``str``, a ``dt.date`` for ``dt.date``, never a subclass or a
# value pydantic would convert), the constraints, then the class's own validators. Anything
# else, a value that is not exactly its type, a failed constraint or validator, or a
# declaration this does not know, goes to pydantic, which converts it or gives the error.
# Accepting here therefore means: pydantic would accept it and give the same record (the
# property tests in tests/test_record.py hold the two equal).


class _Refuse(Exception):
    """Not certainly what pydantic would accept unchanged: let pydantic decide."""


_REFUSE = _Refuse()
_UNSUPPORTED: Any = object()


def _checked(cls: type[Record], data: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The fields and unknown keys of a ``cls`` made from ``data``, when every value is
    exactly what pydantic would make of it; ``None`` when pydantic must decide."""
    plan = _plan(cls)
    if plan is None or type(data) is not dict:
        return None
    try:
        return _run_plan(cls, plan, data)
    except Exception:  # _Refuse, or a validator refusing: pydantic gives the error
        return None


class _Plan(typing.NamedTuple):
    before: Callable[[Any, Any], Any] | None  # the "before" model validator, if any
    fields: tuple[tuple[str, str | None, Callable[[Any], Any], FieldSpec, tuple[Any, ...]], ...]
    known: frozenset[str]  # names and keys: every other key is an unknown key


_PLANS: dict[type[Record], _Plan | None] = {}


def _run_plan(
    cls: type[Record], plan: _Plan, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    if plan.before is not None:
        data = plan.before(cls, dict(data))  # pydantic may run it again on ``data`` itself
        if type(data) is not dict:
            raise _REFUSE
    out: dict[str, Any] = {}
    for name, alias, check, spec, validators in plan.fields:
        if alias is not None and alias in data:
            if name in data:
                raise _REFUSE  # both spellings: pydantic's choice, not guessed here
            value = check(data[alias])
        elif name in data:
            value = check(data[name])
        elif spec.required:
            raise _REFUSE
        else:
            out[name] = spec.default_value()  # pydantic validates no default
            continue
        for func in validators:
            value = func(cls, value)
        out[name] = value
    extra: dict[str, Any] = {}
    if len(data) != len(out) or not plan.known.issuperset(data):
        for key, value in data.items():
            if key not in plan.known:
                if type(key) is not str or not (key.isascii() or _utf8(key)):
                    raise _REFUSE  # pydantic refuses a key it cannot encode, as a value
                extra[key] = value
    return out, extra


def _plan(cls: type[Record]) -> _Plan | None:
    if cls in _PLANS:
        return _PLANS[cls]
    plan: _Plan | None = None
    before = [v for v in cls._validators.values() if v.kind == "model" and v.mode == "before"]
    after = [v for v in cls._validators.values() if v.kind == "model" and v.mode != "before"]
    funcs = [v.func for v in cls._validators.values() if v.kind == "field"] + [
        v.func for v in before
    ]
    if not after and len(before) <= 1 and all(isinstance(f, classmethod) for f in funcs):
        fields = []
        types_ = cls.field_types()
        for name, spec in cls.model_fields.items():
            check = _checker(types_[name], dict(spec.constraints))
            if check is _UNSUPPORTED:
                break
            validators = tuple(
                v.func.__func__
                for v in cls._validators.values()
                if v.kind == "field" and (name in v.fields or "*" in v.fields)
            )
            fields.append((name, spec.alias, check, spec, validators))
        else:
            known = frozenset(cls.model_fields) | frozenset(cls._by_key)
            plan = _Plan(before[0].func.__func__ if before else None, tuple(fields), known)
    _PLANS[cls] = plan
    return plan


def _takes_mapping(annotation: Any) -> bool:
    return typing.get_origin(annotation) is dict or (
        isinstance(annotation, type) and issubclass(annotation, Record)
    )


def _utf8(text: str) -> bool:
    """pydantic refuses a string it cannot encode (a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _checker(annotation: Any, constraints: dict[str, Any]) -> Any:
    """A function giving a value of ``annotation`` back unchanged (a list or dict as a new
    one, as pydantic gives), or raising _Refuse; _UNSUPPORTED for what is not known here."""
    import datetime as dt

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in args if a is not type(None)]
        if constraints and len(members) > 1:
            return _UNSUPPORTED  # where pydantic applies them is not decided here
        if sum(_takes_mapping(a) for a in members) > 1:
            return _UNSUPPORTED  # pydantic picks among records by the fields each one sets
        checks = [_checker(a, constraints) for a in members]
        if _UNSUPPORTED in checks:
            return _UNSUPPORTED
        optional = len(members) < len(args)

        def union(value: Any) -> Any:
            if value is None and optional:
                return None
            for check in checks:
                try:
                    return check(value)
                except _Refuse:
                    continue
            raise _REFUSE

        return union
    if origin is Literal:
        if constraints or not all(type(a) is str for a in args):
            return _UNSUPPORTED
        allowed = frozenset(args)

        def literal(value: Any) -> Any:
            if type(value) is not str or value not in allowed:
                raise _REFUSE
            return value

        return literal
    if origin is list:
        item = _checker(args[0], {})
        if constraints or item is _UNSUPPORTED:
            return _UNSUPPORTED

        def list_of(value: Any) -> Any:
            if type(value) is not list:
                raise _REFUSE
            return [item(v) for v in value]

        return list_of
    if origin is dict:
        key, val = _checker(args[0], {}), _checker(args[1], {})
        if constraints or _UNSUPPORTED in (key, val):
            return _UNSUPPORTED

        def dict_of(value: Any) -> Any:
            if type(value) is not dict:
                raise _REFUSE
            return {key(k): val(v) for k, v in value.items()}

        return dict_of
    if isinstance(annotation, type) and issubclass(annotation, Record):
        if constraints:
            return _UNSUPPORTED
        sub = annotation

        def record(value: Any) -> Any:
            if type(value) is not dict:
                raise _REFUSE
            plan = _plan(sub)
            if plan is None:
                raise _REFUSE
            obj = sub.__new__(sub)
            obj.__dict__, obj.model_extra = _run_plan(sub, plan, value)
            return obj

        return record
    if annotation is Any and not constraints:
        return lambda value: value
    if annotation is str:
        low, high = constraints.pop("min_length", 0), constraints.pop("max_length", None)
        if constraints:
            return _UNSUPPORTED

        def text(value: Any) -> Any:
            if type(value) is not str or not (value.isascii() or _utf8(value)):
                raise _REFUSE
            if len(value) < low or (high is not None and len(value) > high):
                raise _REFUSE
            return value

        return text
    if annotation in (int, float):
        finite = annotation is float and constraints.pop("allow_inf_nan", True) is False
        import math
        import operator

        within = [
            (getattr(operator, k), constraints.pop(k))
            for k in ("ge", "gt", "le", "lt")
            if k in constraints
        ]
        if constraints:
            return _UNSUPPORTED

        def number(value: Any) -> Any:
            if type(value) is not annotation or (finite and not math.isfinite(value)):
                raise _REFUSE
            if not all(holds(value, bound) for holds, bound in within):
                raise _REFUSE
            return value

        return number
    if annotation in (bool, dt.date) and not constraints:
        exact = annotation

        def scalar(value: Any) -> Any:
            if type(value) is not exact:
                raise _REFUSE
            return value

        return scalar
    return _UNSUPPORTED
