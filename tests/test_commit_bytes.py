"""A commit writes bytes made a block at a time: the same bytes as the text encoded, and the
same decisions about the file on disk (unchanged, including with CRLF line ends; comments
backed up)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Cli
from hrtrust.models import Contact, ContactsFile
from hrtrust.storage.store import Store
from hrtrust.storage.toml_format import BY_ITEM_MIN, dumps_checked, dumps_checked_bytes

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None)
@given(
    some=st.lists(names, min_size=1, max_size=20),
    extra=st.integers(0, 50),
    notes=st.none() | names,
)
def test_the_bytes_are_the_text_encoded(some: list[str], extra: int, notes: str | None) -> None:
    """A roster long enough to be done a record at a time, names of any script."""
    doc = ContactsFile(
        contact=[
            Contact(id=f"c{n}", name=some[n % len(some)], notes=notes, added=dt.date(2026, 1, 1))
            for n in range(BY_ITEM_MIN + extra)
        ]
    )
    text, checked = dumps_checked(doc, "contacts.toml")
    data, checked_too = dumps_checked_bytes(doc, "contacts.toml")
    assert data == text.encode("utf-8")
    assert checked_too == checked


def test_a_file_equal_but_for_crlf_line_ends_is_left_alone(cli: Cli, demo: Path) -> None:
    path = demo / "contacts.toml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    store = Store(demo)
    with store.transaction() as txn:
        txn.save(txn.get(ContactsFile))  # saved as it is: nothing to write
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_file_with_comments_is_backed_up_as_its_text(cli: Cli, demo: Path) -> None:
    path = demo / "contacts.toml"
    original = path.read_bytes()
    path.write_bytes(b"# my notes\r\n" + original.replace(b"\n", b"\r\n"))
    got = cli("contact", "edit", "maria", "--dept", "Sales")
    assert got.exit_code == 0, got.output
    backup = demo / "contacts.toml.bak"
    assert backup.read_bytes() == b"# my notes\n" + original  # as read as text
    assert b"# my notes" not in path.read_bytes()
