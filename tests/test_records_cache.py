"""The validated-records cache: used only for the exact file it was built from, ignored when
stale, damaged or tampered with, never fatal; its records are the validated ones."""

from __future__ import annotations

import datetime as dt
import marshal
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli
from hrtrust.errors import DataFileError
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Deferral,
    FeedbackFile,
    LogFile,
    Promise,
    PromisesFile,
)
from hrtrust.storage.cache import (
    decode,
    encode,
    extend_runs,
    pack_runs,
    records_path,
    run_fields,
    unpack_runs,
)
from hrtrust.storage.store import Store


def test_cache_is_written_used_and_invalidated_by_an_edit(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    first = store.read(ContactsFile)
    cache = records_path(store.home, "contacts.toml")
    assert cache.is_file()
    assert cache.stat().st_mode & 0o777 == 0o600
    again = Store(demo).read(ContactsFile)
    assert again == first
    assert [c.model_extra for c in again.contact] == [c.model_extra for c in first.contact]
    assert [type(f.date) for c in again.contact for f in c.learned] == [
        type(f.date) for c in first.contact for f in c.learned
    ]
    path = demo / "contacts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Maria Chen", "Maria Chan"), "utf-8")
    assert [c.name for c in Store(demo).read(ContactsFile).contact][0] == "Maria Chan"


def test_a_write_leaves_the_validated_records_of_what_it_wrote(cli: Cli, demo: Path) -> None:
    cache = records_path(demo, "contacts.toml")
    cache.unlink(missing_ok=True)
    assert cli("contact", "add", "Zoe Quist", "--dept", "Sales").exit_code == 0
    assert cache.is_file()  # written with the file, not on the next read
    names = [c.name for c in Store(demo).read(ContactsFile).contact]
    assert "Zoe Quist" in names


def test_a_tampered_cache_is_ignored(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    store.read(ContactsFile)
    cache = records_path(store.home, "contacts.toml")
    version, (stamp, name, rec, written, token) = marshal.loads(cache.read_bytes())
    malformed = (stamp, name, (("x",), None, ()), written, token)
    cache.write_bytes(marshal.dumps((version, malformed)))
    assert len(Store(demo).read(ContactsFile).contact) > 1  # malformed: read the TOML instead
    cache.write_bytes(b"\x00garbage")
    assert len(Store(demo).read(ContactsFile).contact) > 1
    another = (stamp, "PromisesFile", rec, written, token)  # another file's
    cache.write_bytes(marshal.dumps((version, another)))
    assert len(Store(demo).read(ContactsFile).contact) > 1
    cache.write_bytes(marshal.dumps((version, (7, "ContactsFile", ()))))  # planted: no stamp
    assert len(Store(demo).read(ContactsFile).contact) > 1


def test_a_cache_is_never_used_for_a_file_that_cannot_be_read(cli: Cli, demo: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    Store(demo).read(ContactsFile)
    path = demo / "contacts.toml"
    path.chmod(0o000)
    try:
        with pytest.raises(DataFileError, match="cannot read"):
            Store(demo).read(ContactsFile)
    finally:
        path.chmod(0o600)


def test_a_file_replaced_by_another_with_the_same_size_and_time_is_read_again(
    cli: Cli, demo: Path
) -> None:
    Store(demo).read(ContactsFile)
    path = demo / "contacts.toml"
    st = path.stat()
    text = path.read_text(encoding="utf-8").replace("Maria Chen", "Maria Chan")
    other = demo / "other.toml"
    other.write_text(text, encoding="utf-8")
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, path)  # same size and mtime, another inode
    assert Store(demo).read(ContactsFile).contact[0].name == "Maria Chan"


def test_every_document_comes_back_equal(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    for cls in (Config, ContactsFile, ActivitiesFile, PromisesFile, FeedbackFile):
        doc = store.read(cls)
        back = decode(cls, encode(doc))
        assert back == doc
        assert back.model_dump() == doc.model_dump()


def test_a_large_document_is_decoded_by_compiled_functions_alike(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import cache

    store = Store(demo)
    monkeypatch.setattr(cache, "_DECODERS", {})
    monkeypatch.setattr(cache, "COMPILE_OVER", 0)  # the demo counts as large
    for cls in (Config, ContactsFile, ActivitiesFile, PromisesFile, FeedbackFile):
        doc = store.read(cls)
        back = cache.decode_document(cls, encode(doc))
        assert cache._DECODERS[cls].__name__ == "compiled"
        assert back == doc and back.model_dump() == doc.model_dump()
    with pytest.raises(ValueError):  # a record of another shape is refused, as by the loop
        cache.decode_document(Config, ((["mon"], 2), {}))


def test_a_cache_that_cannot_be_written_is_skipped(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hrtrust.storage.atomic.write_temp", refuse)
    result = cli("plan", "week")
    assert result.exit_code == 0, result.stderr


def test_an_unknown_key_with_a_date_in_it_is_kept_without_a_cache(cli: Cli, demo: Path) -> None:
    path = demo / "promises.toml"
    text = path.read_text(encoding="utf-8").replace(
        "[[promise]]\n", "[[promise]]\nreviewed = 2026-11-01\n", 1
    )
    path.write_text(text, encoding="utf-8")
    doc = Store(demo).read(PromisesFile)
    assert doc.promise[0].model_extra == {"reviewed": dt.date(2026, 11, 1)}
    assert Store(demo).read(PromisesFile) == doc


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@given(
    text=st.text(min_size=1),
    made=days,
    due=days,
    moved=st.lists(st.tuples(days, days, days), max_size=3),
    person=st.none() | st.text(),
    extra=st.dictionaries(
        st.text(min_size=1).filter(lambda k: k not in Promise.model_fields),
        st.integers() | st.text(),
        max_size=2,
    ),
)
def test_records_round_trip(
    text: str,
    made: dt.date,
    due: dt.date,
    moved: list[tuple[dt.date, dt.date, dt.date]],
    person: str | None,
    extra: dict[str, object],
) -> None:
    p = Promise.model_validate(
        {
            "id": "p1",
            "text": text,
            "made": made,
            "due": due,
            "person": person,
            "deferrals": [Deferral(on=a, from_=b, to=c) for a, b, c in moved],
            **extra,
        }
    )
    back = decode(Promise, encode(p))
    assert back == p
    assert back.model_extra == p.model_extra
    assert back.__dict__ == p.__dict__


# -- a month's entries kept in runs by day ---------------------------------------------------

_DAYS = st.integers(min_value=739_000, max_value=739_004)  # five days, so runs repeat
_RECS = st.lists(
    st.tuples(st.tuples(_DAYS, st.text(max_size=4), st.text(max_size=3)), st.none()), max_size=30
)


@given(recs=_RECS, wanted=st.sets(_DAYS))
def test_runs_give_back_the_records_in_order_and_only_the_days_asked(
    recs: list[tuple[Any, ...]], wanted: set[int]
) -> None:
    packed = pack_runs(recs, 0, 1)
    assert unpack_runs(packed) == recs
    assert unpack_runs(packed, wanted.__contains__) == [r for r in recs if r[0][0] in wanted]
    assert packed[2] == sorted(r[0][1] for r in recs)  # the listed field of every record
    keys = [key for key, _ in packed[1]]
    assert all(a != b for a, b in zip(keys, keys[1:], strict=False))  # runs are maximal
    assert marshal.loads(marshal.dumps(packed)) == packed  # plain values only


@given(recs=_RECS, day=_DAYS, ident=st.text(max_size=4))
def test_adding_to_runs_is_packing_the_longer_list(
    recs: list[tuple[Any, ...]], day: int, ident: str
) -> None:
    # LogFile's runs are keyed by its entries' date and list their ids: fields 0 and 1 here
    key, listed = run_fields(LogFile)[1:]  # type: ignore[index]
    one = [None] * (max(key, listed) + 1)
    one[key], one[listed] = day, ident
    shaped = []
    for (d, i, _), extra in recs:
        values = [None] * len(one)
        values[key], values[listed] = d, i
        shaped.append((tuple(values), extra))
    rec = (tuple(one), None)
    got = extend_runs(LogFile, pack_runs(shaped, key, listed), [rec])
    want = pack_runs([*shaped, rec], key, listed)
    # the same runs holding the same records (marshal's bytes may differ by its references)
    assert [(k, marshal.loads(b)) for k, b in got[1]] == [(k, marshal.loads(b)) for k, b in want[1]]
    assert got[2] == want[2]


def test_anything_but_runs_is_refused() -> None:
    for planted in ([], ("runs", []), ("other", [], []), [((1,), None)]):
        with pytest.raises(ValueError):
            unpack_runs(planted)


def test_a_month_s_records_are_kept_in_runs_and_read_back_whole(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    rel = store.log_months()[-1]
    doc = store.read(LogFile, rel)
    assert len({e.date for e in doc.entry}) > 1
    stored = marshal.loads(records_path(demo, rel).read_bytes())[1]
    runs = stored[2][0][run_fields(LogFile)[0]]  # type: ignore[index]
    assert runs[0] == "runs" and [k for k, _ in runs[1]] == sorted(
        {e.date.toordinal() for e in doc.entry}
    )
    assert runs[2] == sorted(e.id for e in doc.entry)
    again = Store(demo).read(LogFile, rel)
    assert again == doc == Store(demo).read_checked(LogFile, rel)
