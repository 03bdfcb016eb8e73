"""A cache that cannot be used is rebuilt, and says so (issue 27): never a silent fallback."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli


def test_a_damaged_cache_is_rebuilt_and_said_under_debug_and_by_doctor(
    cli: Cli, demo: Path
) -> None:
    assert cli("plan", "week").exit_code == 0  # builds the touch index
    (demo / ".cache" / "touches.bin").write_bytes(b"garbage")
    quiet = cli("plan", "week")
    assert quiet.exit_code == 0 and "rebuilt" not in quiet.stderr
    (demo / ".cache" / "touches.bin").write_bytes(b"garbage")
    loud = cli("--debug", "plan", "week")
    assert "hrtrust: debug: .cache/touches.bin: rebuilt (" in loud.stderr
    (demo / ".cache" / "touches.bin").write_bytes(b"garbage")
    doctor = cli("doctor")
    assert "note: .cache/touches.bin: could not be read; rebuilt (" in doctor.stdout


def test_a_cache_not_built_yet_is_not_a_rebuild(cli: Cli, demo: Path) -> None:
    result = cli("--debug", "plan", "week")
    assert result.exit_code == 0
    assert "rebuilt" not in result.stderr
