"""A long contacts or promises file is written and checked a record at a time: the same bytes,
the same document and the same refusal as checking it whole (storage.toml_format)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from hrtrust.errors import DataFileError
from hrtrust.models import Contact, ContactsFile, PromisesFile
from hrtrust.storage import toml_format
from hrtrust.storage.toml_format import dumps, dumps_checked, parse_document

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate  # noqa: E402


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generate.files("realistic", 1)


def both(doc: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    monkeypatch.setattr(toml_format, "BY_ITEM_MIN", 10**9)
    whole = dumps_checked(doc, "f.toml")
    monkeypatch.setattr(toml_format, "BY_ITEM_MIN", 1)
    spied: list[int] = []
    real = toml_format._dumps_checked_by_item

    def spy(*a: Any) -> Any:
        done = real(*a)
        spied.append(done is not None)
        return done

    monkeypatch.setattr(toml_format, "_dumps_checked_by_item", spy)
    by_item = dumps_checked(doc, "f.toml")
    assert spied == [True]  # done a record at a time, not handed back to the whole check
    return whole, by_item


@pytest.mark.parametrize(
    ("rel", "cls"), [("contacts.toml", ContactsFile), ("promises.toml", PromisesFile)]
)
def test_by_item_is_the_whole_check_s_bytes_and_document(
    files: dict[str, str], rel: str, cls: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = parse_document(cls, files[rel], rel)
    (text, checked), (text2, checked2) = both(doc, monkeypatch)
    assert text2 == text == dumps(doc) == files[rel]
    assert checked2 == checked and checked2.model_dump() == checked.model_dump()
    listed = getattr(doc, cls.checked_by_item[0])
    assert all(
        a is b for a, b in zip(listed, getattr(checked2, cls.checked_by_item[0]), strict=True)
    )


def test_a_record_that_cannot_be_written_is_refused_by_its_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = [Contact(id=f"c{n}", name=f"Person {n}") for n in range(1, 8)]
    people[5].name = 12345  # type: ignore[assignment]  # set after validation, as a bug would
    doc = ContactsFile.model_construct(next_id=8, contact=people)
    messages = []
    for least in (10**9, 1):
        monkeypatch.setattr(toml_format, "BY_ITEM_MIN", least)
        with pytest.raises(DataFileError) as caught:
            dumps_checked(doc, "contacts.toml")
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "refusing to write contact[5].name" in messages[0]


def test_a_document_with_a_key_after_its_list_is_checked_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    doc = parse_document(
        ContactsFile,
        'schema_version = 1\nnext_id = 3\n\n[[contact]]\nid = "c1"\nname = "A"\n\n'
        '[[contact]]\nid = "c2"\nname = "B"\n\n[later]\nkept = true\n',
        "contacts.toml",
    )
    monkeypatch.setattr(toml_format, "BY_ITEM_MIN", 1)
    text, checked = dumps_checked(doc, "contacts.toml")
    assert text == dumps(doc) and "[later]" in text and checked == doc
