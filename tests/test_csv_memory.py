"""A 50,000-row import holds less at once (issue 27): the rows are read again rather than kept,
contacts.toml's text is joined a block at a time, and a long document's records are kept a
record at a time. Each of these gives what the whole-at-once way gives."""

from __future__ import annotations

import csv
import io
import marshal
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli, snapshot
from hrtrust.interop import csv_import
from hrtrust.interop.csv_import import read_table
from hrtrust.models import ContactsFile, PromisesFile
from hrtrust.record import Record
from hrtrust.storage import cache, toml_format
from hrtrust.storage.toml_format import dumps, dumps_checked, parse_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate  # noqa: E402

# The characters that make CSV and its lines hard: quotes, delimiters, every line ending, and
# the ones str.splitlines would split on but a file read with newline="" does not.
TRICKY = st.text(alphabet=st.sampled_from('ab é王",;\t\r\n\x85\u2028\x0b\x00'), max_size=80)


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generate.files("realistic", 1)


@given(TRICKY, st.integers(0, 9))
def test_lines_are_those_a_file_opened_with_newline_empty_gives(text: str, block: int) -> None:
    expected = list(io.StringIO(text, newline=""))
    assert list(csv_import._lines(text)) == expected
    assert [
        line for part in csv_import._blocks(text, block) for line in io.StringIO(part, newline="")
    ] == expected


def _rows_read_whole(data: bytes) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """The rows as the import read them before it read them again: every one kept at once."""
    text = csv_import._decode(data, "t.csv")
    reader = csv.reader(
        io.StringIO(text, newline=""),
        dialect="excel",
        delimiter=csv_import._delimiter(text),
        strict=True,
    )
    header: list[str] | None = None
    rows = []
    number = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            number += 1
            continue
        number += 1
        if header is None:
            header = record
        elif any(c.strip() for c in record) and csv_import._misfit(record, header) is None:
            rows.append((number, tuple(record)))
    return tuple(rows)


@settings(max_examples=300)
@given(TRICKY)
def test_rows_read_again_are_the_rows_read_at_once(body: str) -> None:
    data = ("name,email,dept\n" + body).encode("utf-8")
    try:
        table = read_table(data, "t.csv")
    except Exception as exc:  # a file the import refuses: it refuses it either way
        assert type(exc).__name__ == "UsageError"
        return
    rows = _rows_read_whole(data)
    assert table.rows == rows == tuple(table.iter_rows())
    assert table.size == len(rows)
    assert not {n for n, _ in table.bad} & {n for n, _ in rows}


@pytest.mark.parametrize("every", [1, 2, 3, 7, 4096])
def test_the_text_joined_by_blocks_is_the_whole_text(
    files: dict[str, str], every: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(toml_format, "BY_ITEM_MIN", 1)
    monkeypatch.setattr(toml_format, "JOIN_EVERY", every)
    for rel, cls in (("contacts.toml", ContactsFile), ("promises.toml", PromisesFile)):
        doc = parse_document(cls, files[rel], rel)
        text, checked = dumps_checked(doc, rel)
        assert text == dumps(doc) == files[rel]
        assert checked == doc


def _whole(stamp: cache.Stamp, doc: Record, written: bool, token: bytes) -> Any:
    """What write_index keeps for the records, encoded and marshalled whole."""
    payload = (stamp, type(doc).__name__, cache.encode(doc), written, token)
    return marshal.loads(marshal.dumps((cache._VERSION, payload)))


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(
        st.fixed_dictionaries(
            {"name": st.text(min_size=1, max_size=12).filter(str.strip)},
            optional={
                "email": st.from_regex(r"[a-z]{1,5}@[a-z]{1,5}\.com", fullmatch=True),
                "tags": st.lists(st.sampled_from(["ally", "manager", "vip"]), unique=True),
                "hired": st.dates(),
                "every": st.sampled_from(["2w", "6w"]),
                "notes": st.text(max_size=30),
                "extra_key": st.one_of(st.integers(), st.text(max_size=5), st.booleans()),
            },
        ),
        max_size=12,
    ),
    next_id=st.integers(1, 10**6),
    written=st.booleans(),
    big=st.integers(0, 2**62),
)
def test_records_kept_one_at_a_time_read_back_as_the_whole(
    people: list[dict[str, Any]], next_id: int, written: bool, big: int
) -> None:
    doc = ContactsFile.model_validate(
        {"next_id": next_id, "contact": [{"id": f"c{n}", **p} for n, p in enumerate(people)]}
    )
    stamp = (big, len(people), 7)
    token = bytes(8)
    streamed = marshal.loads(cache._marshal_records(stamp, doc, written, token))
    assert streamed == _whole(stamp, doc, written, token)
    decoded = cache.decode_document(ContactsFile, streamed[1][2])
    assert decoded == doc


@pytest.mark.parametrize(
    ("rel", "cls"), [("contacts.toml", ContactsFile), ("promises.toml", PromisesFile)]
)
def test_a_long_document_s_records_are_kept_one_at_a_time_and_read_back(
    files: dict[str, str], rel: str, cls: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = parse_document(cls, files[rel], rel)
    home.mkdir()
    monkeypatch.setattr(cache, "STREAM_MIN", 1)
    kept: list[bytes] = []
    real = cache._marshal_records
    monkeypatch.setattr(cache, "_marshal_records", lambda *a: kept.append(real(*a)) or kept[-1])
    stamp = (1, 2, 3)
    cache.save_records(home, rel, stamp, doc, written=True)
    assert len(kept) == 1  # made a record at a time
    got = cache.fresh_records(home, rel, stamp, cls)
    assert got is not None and got[3] is True
    assert got[2] == cache.encode(doc)
    back = cache.load_records(home, rel, stamp, cls)
    assert back == doc and dumps(back) == files[rel]
    assert cache.load_records(home, rel, (1, 2, 4), cls) is None  # another stamp: not these


def _roster(path: Path, rows: int) -> Path:
    """An HRIS export naming managers (by name, number and e-mail, some further down the file),
    with ids, a repeated e-mail, a row that is not a row and a bad date."""
    lines = ["Employee ID,Name,Email,Department,Title,Manager,Hire Date,id"]
    for n in range(rows):
        manager = ("", f"Person {n + 7}", f"E{n // 2:05d}", f"p{max(n - 3, 0)}@example.com")[n % 4]
        email = f"p{n}@example.com" if n % 11 else f"P{n - 1}@Example.com"
        hired = "2019-13-01" if n == 40 else f"20{10 + n % 15}-{1 + n % 12:02d}-01"
        ident = "c3" if n == 90 else ""
        lines.append(f"E{n:05d},Person {n},{email},Dept {n % 9},Engineer,{manager},{hired},{ident}")
    lines.insert(25, '"Broken, "quote",x')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_writes_the_same_files_and_says_the_same_whole_or_a_piece_at_a_time(
    cli: Cli, demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same import, once with every piece at a time as small as it goes and once with all
    of it at once: the same contacts.toml, config.toml, output and records kept."""
    roster = _roster(tmp_path / "hris.csv", 1500)
    before = snapshot(demo)
    seen = []
    for small in (False, True):
        for path in demo.rglob("*"):  # back to the demo home as it was
            if path.is_file() and str(path.relative_to(demo)) not in before:
                path.unlink()
        for rel, data in before.items():
            (demo / rel).write_bytes(data)
        monkeypatch.setattr(cache, "STREAM_MIN", 1 if small else 10**9)
        monkeypatch.setattr(toml_format, "BY_ITEM_MIN", 1 if small else 10**9)
        monkeypatch.setattr(toml_format, "JOIN_EVERY", 1 if small else 10**9)
        monkeypatch.setattr(csv_import, "LINES_BLOCK", 0 if small else 10**9)
        result = cli("import", "contacts", str(roster), "--skip-bad", "--full")
        assert result.exit_code == 0, result.output
        after = snapshot(demo)
        stamp = cache.stamp_of((demo / "contacts.toml").stat())
        kept = cache.load_records(demo, "contacts.toml", stamp, ContactsFile)
        assert kept is not None
        seen.append(
            (
                result.stdout,
                result.stderr,
                {k: v for k, v in after.items() if not k.startswith(".cache")},
                kept,
            )
        )
    assert seen[0] == seen[1]
    out = seen[0][0].splitlines()
    assert out[0] == "hris.csv: 1501 rows: 1362 created, 1 updated, 0 unchanged, 138 rejected."
    assert (
        "  row 13    rejected   Person 11: duplicate email P10@Example.com (also on row 12)" in out
    )
    assert any(line.startswith("Tagged manager (the manager column names them): ") for line in out)
