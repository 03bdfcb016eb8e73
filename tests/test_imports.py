"""A command imports only what it uses: the modules a real `plan week` run (a new Python
process, through the console entry point) ends up with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import Cli

RUN = """
import sys
from hrtrust.cli.app import main
sys.argv = ["hrtrust", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
with open(OUT, "w") as fh:
    fh.write("\\n".join(sorted(sys.modules)))
"""

# Never on a plan: mail, CSV, calendars, archives and the metadata scan that pulls them in.
NEVER = {
    "email",
    "smtplib",
    "socket",
    "csv",
    "zipfile",
    "importlib.metadata",
    "hrtrust.interop",
    "hrtrust.interop.mail",
    "hrtrust.interop.ics",
    "hrtrust.interop.csv_import",
    "hrtrust.interop.dump",
    "hrtrust.domain.reports",
    "hrtrust.domain.digest",
    "hrtrust.present.reports",
    "hrtrust.present.digest",
    "statistics",
    "filelock",  # hrtrust's lock is its own (storage/lock.py)
    "hrtrust.storage.lock",  # reading takes no lock
    "pyrage",  # nothing to seal or open
    "matplotlib",  # only `report health` draws charts
    "numpy",
    "hrtrust.domain.health",
    "hrtrust.present.health",
    "hrtrust.present.charts",
}


def modules(home: Path, tmp: Path, *args: str) -> set[str]:
    out = tmp / "modules.json"
    code = RUN.replace("OUT", repr(str(out)))
    env = {**os.environ, "HRTRUST_HOME": str(home)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    result = subprocess.run(
        [sys.executable, "-c", code, "--today", "2026-11-23", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(out.read_text(encoding="utf-8").split())


def test_plan_week_imports_no_mail_csv_calendar_or_archive(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    assert cli("plan", "week").exit_code == 0  # indexes built, as on a second run
    seen = modules(demo, tmp_path, "plan", "week")
    assert "hrtrust.domain.planning" in seen  # the run did plan
    assert sorted(seen & NEVER) == []
    assert "json" not in seen  # no JSON asked for, none parsed: the caches are marshal
    assert "pydantic.main" not in seen  # records read back, not validated: no pydantic models
    assert "rich.console" not in seen  # piped: laid out by present.plain, no console built
    assert sorted(m for m in seen if m in ("rich.table", "rich.text", "rich.style")) == []
    assert "typer._adapters" not in seen  # options coerced natively (cli.coercion)


def test_plan_week_json_imports_no_rich_and_no_pickle(cli: Cli, demo: Path, tmp_path: Path) -> None:
    assert cli("plan", "week").exit_code == 0
    seen = modules(demo, tmp_path, "plan", "week", "--json")
    assert sorted(seen & NEVER) == []
    assert sorted(m for m in seen if m == "pickle" or m.startswith("rich.console")) == []


def test_log_imports_no_terminal_views(cli: Cli, demo: Path, tmp_path: Path) -> None:
    seen = modules(demo, tmp_path, "log", "coffee-chat", "--with", "maria", "--note", "x")
    assert "hrtrust.storage.lock" in seen  # it wrote, under the lock
    assert sorted(seen & (NEVER - {"hrtrust.storage.lock"})) == []
    assert [m for m in seen if m.startswith(("rich.", "hrtrust.present.terminal"))] == []
    # the entry it made and the month it wrote were checked natively (hrtrust.record): every
    # value was already of its type, so pydantic was not needed to say so
    assert "pydantic.main" not in seen


def test_in_an_encrypted_home_only_a_log_with_text_to_seal_loads_pyrage(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    assert cli("key", "init").exit_code == 0
    assert cli("plan", "week").exit_code == 0
    seen = modules(demo, tmp_path, "plan", "week")
    assert "hrtrust.domain.planning" in seen
    assert sorted(seen & NEVER) == []  # private texts are masked by a prefix, never opened
    seen = modules(demo, tmp_path, "log", "check-in", "--with", "david")
    assert "hrtrust.storage.lock" in seen and "pyrage" not in seen  # no note: nothing to seal
    seen = modules(demo, tmp_path, "log", "coffee-chat", "--with", "maria", "--note", "x")
    assert "pyrage" in seen  # the note is sealed to the public key as it is written
    assert sorted(seen & (NEVER - {"hrtrust.storage.lock", "pyrage"})) == []


def test_the_plain_text_digest_builds_no_rich_console_or_table(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    assert cli("digest").exit_code == 0
    seen = modules(demo, tmp_path, "digest")
    assert "hrtrust.present.digest" in seen  # the run did render the digest
    assert sorted(m for m in seen if m in ("rich.console", "rich.table", "rich.segment")) == []
    assert sorted(m for m in seen if m in ("json", "html")) == []  # only their own formats


def test_piped_overdue_and_contact_show_import_no_rich_layout(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    rich_layout = ("rich.console", "rich.table", "rich.text", "rich.style")
    for args in (("overdue",), ("contact", "show", "maria")):
        assert cli(*args).exit_code == 0
        seen = modules(demo, tmp_path, *args)
        assert "hrtrust.present.views" in seen, args  # the run did render
        assert sorted(m for m in seen if m in rich_layout) == [], args


def test_only_the_health_page_loads_the_plotting_library(
    cli: Cli, demo: Path, tmp_path: Path
) -> None:
    plotting = {"matplotlib", "numpy", "hrtrust.present.charts"}
    seen = modules(demo, tmp_path, "report", "health", "--json")
    assert "hrtrust.domain.health" in seen  # the run did make the series
    assert sorted(seen & plotting) == []  # the same series, without drawing them
    seen = modules(demo, tmp_path, "report", "health", "--output", str(tmp_path / "h.html"))
    assert plotting <= seen
    for args in (("report", "pulse"), ("digest",), ("overdue",)):
        assert sorted(modules(demo, tmp_path, *args) & plotting) == [], args
