"""Reads that take part of a file, or only its stamp, say what the whole read says: the
digest's pulses are feedback.toml's pulses, and a stamp taken for an index fails exactly where
reading the file fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.errors import DataFileError
from hrtrust.storage.cache import records_path
from hrtrust.storage.store import Store


def test_the_pulses_are_the_feedback_files_pulses(cli: Cli, demo: Path) -> None:
    want = Store(demo).feedback().pulse
    assert want  # the demo has pulse results: the test compares something
    assert Store(demo).pulses() == want  # from the kept records
    records_path(demo, "feedback.toml").unlink()
    assert Store(demo).pulses() == want  # from the file
    records_path(demo, "feedback.toml").write_bytes(b"planted")
    assert Store(demo).pulses() == want
    got = cli("pulse", "add", "--dept", "Sales", "--score", "4.1")
    assert got.exit_code == 0, got.output
    assert Store(demo).pulses() == Store(demo).feedback().pulse != want


def test_no_feedback_file_is_no_pulse(demo: Path) -> None:
    (demo / "feedback.toml").unlink()
    assert Store(demo).pulses() == []


@pytest.mark.parametrize("planted", ["dir", "fifo", "dangling"])
def test_a_stamp_fails_where_the_read_fails(demo: Path, planted: str) -> None:
    path = demo / "contacts.toml"
    path.unlink()
    if planted == "dir":
        path.mkdir()
    elif planted == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(demo / "nowhere.toml")
    with pytest.raises(DataFileError) as read:
        Store(demo).contacts()
    with pytest.raises(DataFileError) as stamped:
        Store(demo).read_stamp("contacts.toml")
    assert str(stamped.value) == str(read.value)


def test_a_missing_file_has_no_stamp(demo: Path) -> None:
    (demo / "contacts.toml").unlink()
    assert Store(demo).read_stamp("contacts.toml") is None
    assert Store(demo).contacts().contact == []
