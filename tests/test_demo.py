"""The bundled demo: the storefront a new user sees first (issue 32)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Cli
from hrtrust.domain.catalogue import kinds
from hrtrust.domain.checks import unknown_kinds
from hrtrust.models import ActivitiesFile, Activity, Config, Interaction, Kind, LogFile

JAN_1 = dt.date(2026, 1, 1)

# -- only catalogue kinds; doctor flags the others ----------------------------------------------


def test_the_catalogue_has_site_visits() -> None:
    visit = kinds(Config())["site-visit"]
    assert (visit.label, visit.cadence, visit.touch) == ("Site visit", "monthly", True)


def test_unknown_kinds_are_named_by_file_and_record() -> None:
    config = Config(kind=[Kind(name="floor-walk", label="Floor walk")])
    activities = ActivitiesFile(
        activity=[
            Activity(id="a1", title="Walk", kind="floor-walk", rule="monthly", start=JAN_1),
            Activity(id="a2", title="Forum", kind="forum-q", rule="monthly", start=JAN_1),
        ]
    )
    log = LogFile(
        entry=[
            Interaction(id=f"2026-11-0{n}.1", date=dt.date(2026, 11, n), kind="coffe-chat")
            for n in range(1, 8)
        ]
        + [Interaction(id="2026-11-09.1", date=dt.date(2026, 11, 9), kind="site-visit")]
    )
    found = unknown_kinds(config, activities, [("log/2026-11.toml", log)])
    assert [(m.file, m.what) for m in found] == [
        (
            "activities.toml",
            "kind 'forum-q' is not in the catalogue: activity a2 "
            "(add a [[kind]] with that name to config.toml, or change the kind)",
        ),
        (
            "log/2026-11.toml",
            "kind 'coffe-chat' is not in the catalogue: log entries 2026-11-01.1, 2026-11-02.1, "
            "2026-11-03.1, 2026-11-04.1, 2026-11-05.1 and 2 more "
            "(a typo for 'coffee-chat'? Else add a [[kind]] with that name to config.toml)",
        ),
    ]


def test_doctor_flags_a_kind_the_catalogue_lacks(cli: Cli, demo: Path) -> None:
    well = cli("doctor")
    assert (well.exit_code, well.stdout.splitlines()[0]) == (0, f"All well in {demo}:")
    month = demo / "log" / "2026-10.toml"
    month.write_text(
        month.read_text("utf-8").replace('kind = "recognition"', 'kind = "kudos"'), "utf-8"
    )
    sick = cli("doctor")
    assert sick.exit_code != 0
    assert (
        "problem: log/2026-10.toml: kind 'kudos' is not in the catalogue: log entry 2026-10-08.1 "
        "(add a [[kind]] with that name to config.toml, or change the kind)"
    ) in sick.stdout.splitlines()
    config = demo / "config.toml"
    config.write_text(
        config.read_text("utf-8") + '\n[[kind]]\nname = "kudos"\nlabel = "Kudos"\n', "utf-8"
    )
    assert cli("doctor").exit_code == 0  # a kind config.toml adds is known


# -- init --demo reads "today" as every other command does -------------------------------------


def test_init_demo_on_a_sunday_evening_utc_plans_taipeis_monday(
    cli: Cli, home: Path, tmp_path: Path
) -> None:
    """20:00 UTC on Sunday Nov 22 is 04:00 on Monday Nov 23 in Taipei, the demo's time zone:
    the demo's data is moved to Taipei's week, the one plan and digest read (the machine's
    date, still Sunday in UTC, would move it a week short)."""
    import functools
    import time

    from hrtrust.cli import app as cli_app
    from hrtrust.cli.common import State

    sunday_evening = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.UTC)
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:  # the State's clock, on a machine set to UTC
        mp.setenv("TZ", "UTC")
        time.tzset()
        mp.setattr(cli_app, "State", functools.partial(State, now=lambda: sunday_evening))
        try:
            assert runner.invoke(cli_app.app, ["init", "--demo"]).exit_code == 0
            plan = runner.invoke(cli_app.app, ["plan", "week"]).stdout
            digest = runner.invoke(cli_app.app, ["digest"]).stdout
        finally:
            mp.undo()
            time.tzset()
    assert plan.startswith("Week 2026-W48  Mon Nov 23 – Fri Nov 27   (today Mon Nov 23)\n")
    other = str(tmp_path / "other")
    assert cli("--home", other, "init", "--demo").exit_code == 0  # --today 2026-11-23
    assert plan == cli("--home", other, "plan", "week").stdout
    assert digest == cli("--home", other, "digest").stdout
