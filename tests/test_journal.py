"""The commit journal acts only on what it proves it wrote (issue 25, finding 2).

A stale or planted ``.journal`` used to delete ``contacts.toml`` on a read (``doctor``
included) when it named a rollback whose temp file did not exist; ``doctor`` then said
"All well" on an empty home. Now every entry carries the digests of the new bytes and of the
target before, the whole journal must match the disk before any file is touched, and anything
else is renamed aside, kept and reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import Cli, snapshot
from hrtrust.storage.journal import Entry, Journal, digest
from hrtrust.storage.store import Store


def data_files(home: Path) -> dict[str, bytes]:
    return {k: v for k, v in snapshot(home).items() if not k.startswith(".journal")}


def aside(home: Path) -> list[Path]:
    return sorted(home.glob(".journal.aside-*"))


OLD_FORMAT_ROLLBACK = {  # what the previous version wrote: no digests
    "state": "rollback",
    "files": [{"tmp": ".contacts.toml.tmp-1-gone", "target": "contacts.toml", "old": None}],
}


@pytest.mark.parametrize("command", [["doctor"], ["plan", "week"], ["contact", "list"]])
def test_a_stale_rollback_journal_never_deletes_contacts(
    cli: Cli, demo: Path, command: list[str]
) -> None:
    (demo / ".journal").write_text(json.dumps(OLD_FORMAT_ROLLBACK), encoding="utf-8")
    before = data_files(demo)
    result = cli(*command)
    assert (demo / "contacts.toml").exists()
    assert data_files(demo) == before
    assert len(aside(demo)) == 1
    if command != ["doctor"]:  # doctor shows it among its findings instead
        assert "set aside, not acted on: it was not written by this version" in result.stderr
    doctor = cli("doctor")
    assert doctor.exit_code == 9
    assert "All well" not in doctor.stdout
    assert aside(demo)[0].name in doctor.stdout


def test_a_journal_whose_digests_do_not_match_is_set_aside(cli: Cli, demo: Path) -> None:
    """A well-formed journal of this version, but for other bytes (copied with an older copy of
    the home): its rollback says contacts.toml was new, yet the file is not what it wrote."""
    contacts = demo / "contacts.toml"
    Journal(demo, lambda _: True).write(
        "rollback",
        [Entry(demo / ".contacts.toml.tmp-9-ab", contacts, None, digest(b"other bytes"), None)],
    )
    before = data_files(demo)
    assert cli("doctor").exit_code == 9
    assert data_files(demo) == before


def test_a_commit_journal_whose_temp_file_changed_is_not_rolled_forward(
    cli: Cli, demo: Path
) -> None:
    contacts = demo / "contacts.toml"
    tmp = demo / ".contacts.toml.tmp-1-cd"
    tmp.write_text("schema_version = 1\n", encoding="utf-8")
    Journal(demo, lambda _: True).write(
        "commit",
        [Entry(tmp, contacts, None, digest(b"what it wrote"), digest(contacts.read_bytes()))],
    )
    before = contacts.read_bytes()
    cli("contact", "list")
    assert contacts.read_bytes() == before
    assert tmp.exists()  # kept beside the journal set aside


def test_a_proved_rollback_removes_only_the_file_it_created(cli: Cli, empty: Path) -> None:
    """The one deletion recovery makes: a file the transaction created, with the bytes the
    journal says it wrote; a file that existed before is put back, never removed."""
    contacts = empty / "contacts.toml"
    old_bytes = contacts.read_bytes()
    old = empty / ".contacts.toml.tmp-old-11aa22bb"
    shutil.copy(contacts, old)
    contacts.write_text("schema_version = 1\nnext_id = 7\n", encoding="utf-8")
    (empty / "log").mkdir()
    month = empty / "log" / "2026-12.toml"
    month.write_text("schema_version = 1\n", encoding="utf-8")
    Journal(empty, lambda _: True).write(
        "rollback",
        [
            Entry(
                empty / ".contacts.toml.tmp-1",
                contacts,
                old,
                digest(contacts.read_bytes()),
                digest(old_bytes),
            ),
            Entry(
                empty / "log" / ".2026-12.toml.tmp-1", month, None, digest(month.read_bytes()), None
            ),
        ],
    )
    assert Store(empty).recover() == "back"
    assert contacts.read_bytes() == old_bytes and not month.exists()
    assert not (empty / ".journal").exists() and aside(empty) == []


def test_a_journal_that_is_a_fifo_or_folder_is_set_aside(cli: Cli, demo: Path) -> None:
    import os

    os.mkfifo(demo / ".journal")
    before = data_files(demo)
    result = cli("plan", "week")
    assert result.exit_code == 0
    assert "it is not a regular file of yours" in result.stderr
    assert data_files(demo) == before and len(aside(demo)) == 1


def test_a_forged_rollback_whose_digests_match_deletes_nothing(cli: Cli, demo: Path) -> None:
    """Red team: a rollback entry saying contacts.toml was new, with its current digest. A
    read never undoes a rollback; a write (or doctor) sets the file aside, never deletes it."""
    contacts = demo / "contacts.toml"
    before = contacts.read_bytes()
    Journal(demo, lambda _: True).write(
        "rollback",
        [Entry(demo / ".contacts.toml.tmp-1-ab", contacts, None, digest(before), None)],
    )
    assert cli("plan", "week").exit_code == 0
    assert contacts.read_bytes() == before  # a reader leaves a rollback to a writer
    cli("doctor", "--fix")  # a writer: the rollback is proved, so it is undone
    kept = sorted(demo.glob("contacts.toml.rolled-back-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == before  # set aside, every byte kept
    doctor = cli("doctor")
    assert doctor.exit_code == 9
    assert f"problem: {kept[0].name}: a file a failed commit had created" in doctor.stdout


def test_a_commit_whose_target_changed_since_is_not_finished(cli: Cli, demo: Path) -> None:
    """A commit entry is finished only while the target still holds its bytes from before."""
    contacts = demo / "contacts.toml"
    tmp = demo / ".contacts.toml.tmp-1-ef"
    tmp.write_text("schema_version = 1\n", encoding="utf-8")
    Journal(demo, lambda _: True).write(
        "commit", [Entry(tmp, contacts, None, digest(tmp.read_bytes()), digest(b"other"))]
    )
    before = contacts.read_bytes()
    cli("contact", "list")
    assert contacts.read_bytes() == before
