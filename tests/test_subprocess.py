"""The installed `hrtrust` script, run the way cron runs it: a bare environment, no terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "hrtrust"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason=f"{SCRIPT} is not installed")


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What cron gives a job: HOME and PATH, no TERM, no LANG, no LC_*."""
    return {"HOME": str(tmp_path), "PATH": os.environ["PATH"], **extra}


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), "--today", "2026-11-23", *args],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )


def test_cron_like_session_with_cjk(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = bare_env(tmp_path, HRTRUST_HOME=str(home))
    init = run(["init", "--timezone", "Asia/Taipei"], env, tmp_path)
    assert init.returncode == 0, init.stderr.decode()
    assert init.stdout.decode("utf-8").splitlines()[0] == f"Created {home} (empty, 5 files)."
    assert init.stderr == b""

    add = run(["contact", "add", "王小明", "--dept", "製造部"], env, tmp_path)
    assert (add.returncode, add.stdout.decode("utf-8"), add.stderr) == (
        0,
        "Added 王小明 (c1).\n",
        "hrtrust: note: new department 製造部 (a client department; if it is HR's own: "
        "hrtrust dept add 製造部 --internal)\n".encode(),
    )

    listed = run(["contact", "list"], env, tmp_path)
    assert listed.returncode == 0, listed.stderr.decode()
    assert listed.stderr == b""
    out = listed.stdout.decode("utf-8")
    assert "王小明" in out and "製造部" in out
    assert "\x1b[" not in out

    shown = run(["contact", "show", "王小", "--json"], env, tmp_path)
    assert shown.returncode == 0
    assert '"name": "王小明"' in shown.stdout.decode("utf-8")
    assert "王小明".encode() in (home / "contacts.toml").read_bytes()


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    home = tmp_path / "data"
    env = bare_env(tmp_path, HRTRUST_HOME=str(home))
    missing = run(["contact", "list"], env, tmp_path)
    assert missing.returncode == 8
    assert missing.stdout == b""
    err = missing.stderr.decode("utf-8")
    assert err.splitlines() == [
        f"hrtrust: error: no hrtrust data in {home}",
        "hint: run `hrtrust init` (or `hrtrust init --demo` to try the demo data)",
    ]
    assert "Traceback" not in err

    assert run(["init", "--timezone", "UTC"], env, tmp_path).returncode == 0
    typo = run(["contact", "show", "王大明"], env, tmp_path)
    assert typo.returncode == 3
    assert typo.stdout == b""
    lines = typo.stderr.decode("utf-8").splitlines()
    assert lines[0] == "hrtrust: error: no contact matches '王大明'"
    assert [line for line in lines if line.startswith("hrtrust: error:")] == lines[:1]
    assert "Traceback" not in typo.stderr.decode("utf-8")

    broken = run(["contact", "add", "X", "--every", "whenever"], env, tmp_path)
    assert broken.returncode == 2
    assert broken.stderr.decode("utf-8").startswith("hrtrust: error: cannot read cadence")
    assert b"Traceback" not in broken.stderr


def test_default_home_is_under_home_local_share(tmp_path: Path) -> None:
    env = bare_env(tmp_path)
    result = run(["init", "--timezone", "UTC"], env, tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / ".local/share/hrtrust/config.toml").is_file()
    xdg = run(
        ["init", "--timezone", "UTC"], {**env, "XDG_DATA_HOME": str(tmp_path / "x")}, tmp_path
    )
    assert xdg.returncode == 0, xdg.stderr.decode()
    assert (tmp_path / "x/hrtrust/config.toml").is_file()


def test_python_dash_m_version(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hrtrust", "--version"],
        env=bare_env(tmp_path),
        capture_output=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"hrtrust 0.1.0\n", b"")


def test_real_pipes_get_80_columns_without_trailing_spaces(tmp_path: Path) -> None:
    """The in-process check (test_piped_output) run once through a real pipe: no COLUMNS,
    no terminal, as cron or `| less` would see it."""
    from rich.cells import cell_len

    env = bare_env(tmp_path, HRTRUST_HOME=str(tmp_path / "data"))
    assert run(["init", "--demo"], env, tmp_path).returncode == 0
    for args in (["plan", "week"], ["activity", "list"], ["report", "balance"], ["log", "list"]):
        done = run(args, env, tmp_path)
        assert (done.returncode, done.stderr) == (0, b""), args
        lines = done.stdout.decode("utf-8").splitlines()
        assert len(lines) > 5
        assert [line for line in lines if line != line.rstrip() or cell_len(line) > 80] == []


def test_the_script_ends_at_once_with_all_its_output_and_its_exit_code(tmp_path: Path) -> None:
    # `hrtrust` ends its process without tearing the interpreter down (cli.app.run): what it
    # printed must all arrive, through a pipe, and every exit code must be the command's.
    home = tmp_path / "data"
    env = bare_env(tmp_path, HRTRUST_HOME=str(home))
    assert run(["init", "--demo"], env, tmp_path).returncode == 0
    export = run(["export", "json"], env, tmp_path)
    assert export.returncode == 0, export.stderr.decode()
    import json

    data = json.loads(export.stdout)  # all of it, to the last brace
    assert len(export.stdout) > 20_000 and data["contacts"]
    bad = run(["log", "coffee-chat", "--with", "nobody-at-all"], env, tmp_path)
    assert bad.returncode == 3 and bad.stderr.startswith(b"hrtrust: error:")
    usage = run(["plan", "week", "--nope"], env, tmp_path)
    assert usage.returncode == 2 and b"--nope" in usage.stderr
    module = subprocess.run(
        [sys.executable, "-m", "hrtrust", "--today", "2026-11-23", "overdue"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
    )
    assert module.returncode == 0 and module.stdout.decode("utf-8").strip()
    (home / "contacts.toml").chmod(0o644)  # readable by others: doctor's finding, exit 9
    doctor = run(["doctor"], env, tmp_path)
    assert doctor.returncode == 9 and b"contacts.toml" in doctor.stdout
