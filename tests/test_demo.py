"""The bundled demo: the storefront a new user sees first (issue 32)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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
