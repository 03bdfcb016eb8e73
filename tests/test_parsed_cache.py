"""The parsed-file cache: used when fresh, ignored when stale or tampered with, never fatal."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.models import ContactsFile
from hrtrust.storage.cache import parsed_path
from hrtrust.storage.store import Store


def test_cache_is_written_used_and_invalidated_by_an_edit(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    first = store.read(ContactsFile)
    cache = parsed_path(store.home, "contacts.toml")
    assert cache.is_file()
    assert cache.stat().st_mode & 0o777 == 0o600
    again = Store(demo).read(ContactsFile)
    assert again == first
    path = demo / "contacts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Maria Chen", "Maria Chan"), "utf-8")
    assert [c.name for c in Store(demo).read(ContactsFile).contact][0] == "Maria Chan"


def test_a_tampered_cache_is_ignored(cli: Cli, demo: Path) -> None:
    store = Store(demo)
    store.read(ContactsFile)
    cache = parsed_path(store.home, "contacts.toml")
    version, stamp, _ = pickle.loads(cache.read_bytes())
    cache.write_bytes(pickle.dumps((version, stamp, {"contact": [{"id": "x"}]})))
    assert len(Store(demo).read(ContactsFile).contact) > 1  # invalid: read the TOML instead
    cache.write_bytes(pickle.dumps((version, stamp, os.system)))  # names code: refused
    assert len(Store(demo).read(ContactsFile).contact) > 1


def test_a_cache_that_cannot_be_written_is_skipped(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("hrtrust.storage.atomic.write_temp", refuse)
    result = cli("plan", "week")
    assert result.exit_code == 0, result.stderr
