"""The bundled demo: the storefront a new user sees first (issue 32)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import TODAY, Cli
from hrtrust.domain.catalogue import kinds
from hrtrust.domain.checks import unknown_kinds
from hrtrust.models import ActivitiesFile, Activity, Config, Interaction, Kind, LogFile
from hrtrust.storage.home import DEMO_TEXT_FIELDS, DEMO_TEXT_LISTS

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


@pytest.mark.parametrize("weeks", [1, 2, 3, 4, 5, 6, 9, -24])
def test_any_week_reads_like_the_demos_own(cli: Cli, home: Path, weeks: int) -> None:
    """Moved to another week, the demo's last week is as lived-in: a monthly activity's
    entries move onto its dates ("first Thursday" is not a whole-week move), so what was
    attended is attended; only the Taichung visit, missed on purpose, may be missed."""
    day = TODAY + dt.timedelta(weeks=weeks)
    assert cli("init", "--demo", today=day).exit_code == 0
    assert cli("doctor", today=day).stdout.startswith("All well")
    result = cli("digest", "--format", "json", today=day)
    r = json.loads(result.stdout)["review"]
    assert r["promises"]["rate"] == 0.7143 and r["promises"]["kept_late"] == 1
    assert r["departments"]["not_touched"] == ["Taichung Office"]
    assert [m["activity"] for m in r["activities"]["missed"]] in ([], ["a9"])
    assert r["activities"]["attended"] >= 3 and r["touchpoints"]["logged"] >= 8


# -- a lived-in last week ------------------------------------------------------------------------


def review(cli: Cli) -> dict[str, Any]:
    result = cli("digest", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)["review"]
    return data


def test_last_week_touches_most_departments_and_one_has_gone_quiet(cli: Cli, demo: Path) -> None:
    r = review(cli)
    assert r["week"] == "2026-W47"
    clients = ["Engineering", "Manufacturing", "Sales", "Taichung Office"]
    touched = [d for d in clients if r["touchpoints"]["by_dept"].get(d, 0) > 0]
    assert len(touched) >= 3 and len(touched) > len(clients) / 2
    assert r["departments"]["not_touched"] == ["Taichung Office"]  # honestly gone quiet
    assert r["activities"]["planned"] == r["activities"]["attended"] >= 4
    assert r["touchpoints"]["logged"] >= 8


def test_last_week_keeps_most_promises_one_late(cli: Cli, demo: Path) -> None:
    p = review(cli)["promises"]
    assert 0.5 <= p["rate"] <= 0.95
    assert p["kept_on_time"] >= 3 and p["kept_late"] >= 1 and p["broken"] >= 1
    assert p["made"] >= 1


def test_last_week_closes_a_loop_recognises_someone_and_takes_a_pulse(cli: Cli, demo: Path) -> None:
    r = review(cli)
    first, last = dt.date.fromisoformat(r["start"]), dt.date.fromisoformat(r["end"])
    kinds_logged = r["touchpoints"]["by_kind"]
    assert kinds_logged.get("recognition", 0) >= 1 and kinds_logged.get("site-visit", 0) >= 1
    assert [t["dept"] for t in r["pulse"]] == ["Manufacturing"]
    feedback = tomllib.loads((demo / "feedback.toml").read_text("utf-8"))["feedback"]
    closed = [f for f in feedback if f.get("closed") and first <= f["closed"] <= last]
    assert closed and all(any(a["date"] <= f["closed"] for a in f["actions"]) for f in closed)
    acted = {f["id"] for f in feedback for a in f.get("actions", []) if first <= a["date"] <= last}
    assert len(acted) >= 2


# -- a year of history, thinner further back -----------------------------------------------------


def test_twelve_months_of_history_thinner_further_back(cli: Cli, demo: Path) -> None:
    per_month = {
        p.stem: len(tomllib.loads(p.read_text("utf-8"))["entry"])
        for p in sorted((demo / "log").glob("*.toml"))
    }
    assert list(per_month) == ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    counts = list(per_month.values())
    assert all(n > 0 for n in counts)
    assert sum(counts[:3]) < sum(counts[3:6]) < sum(counts[6:9])  # logged more as time went on
    health = json.loads(cli("report", "health", "--json").stdout)
    assert len(health["coverage_months"]) == 12
    touched = {c["dept"]: [m["touches"] > 0 for m in c["months"]] for c in health["coverage"]}
    assert all(sum(months) >= 11 for months in touched.values()), touched
    assert not touched["Taichung Office"][-1]  # gone quiet this month, as the plan says
    assert len(health["promises"]["months"]) == 12
    assert all(m["kept_on_time"] + m["kept_late"] > 0 for m in health["promises"]["months"])
    assert {p["dept"] for p in health["pulse"] if len(p["results"]) >= 4} >= {
        "Engineering",
        "Manufacturing",
        "Sales",
        "Taichung Office",
    }
    assert sum(f["closed"] for f in health["feedback"]) >= 5
    assert {r["dept"] for r in health["recognition"]} == {
        "Engineering",
        "Manufacturing",
        "Sales",
        "Taichung Office",
    }


def test_birthdays_and_an_anniversary_in_the_demos_week(cli: Cli, demo: Path) -> None:
    plan = json.loads(cli("plan", "week", "--json").stdout)
    what = {c["what"] for c in plan["celebrations"]}
    assert what == {"birthday", "anniversary"}


def test_the_demo_uses_only_catalogue_kinds() -> None:
    root = resources.files("hrtrust") / "demo_data"
    config = tomllib.loads((root / "config.toml").read_text("utf-8"))
    assert "kind" not in config  # none of its own: the catalogue's, labelled in both languages
    known = kinds(Config())
    used = {
        a["kind"] for a in tomllib.loads((root / "activities.toml").read_text("utf-8"))["activity"]
    }
    for month in (root / "log").iterdir():
        used |= {e["kind"] for e in tomllib.loads(month.read_text("utf-8"))["entry"]}
    assert "site-visit" in used and used <= set(known)


# -- the demo in Chinese -------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")
DEMO = resources.files("hrtrust") / "demo_data"


def demo_texts() -> Iterator[tuple[str, str, str, object, object]]:
    """(file, record id, field, English, Chinese) for every text the demo holds, Chinese from
    demo_data/zh_TW/ (None where it has none)."""
    files = ["contacts.toml", "activities.toml", "promises.toml", "feedback.toml"]
    files += [f"log/{p.name}" for p in sorted((DEMO / "log").iterdir(), key=lambda p: p.name)]
    for rel in files:
        english = tomllib.loads((DEMO / rel).read_text("utf-8"))
        chinese = tomllib.loads((DEMO / "zh_TW" / rel).read_text("utf-8"))
        records = [r for v in english.values() if isinstance(v, list) for r in v if "id" in r]
        assert set(chinese) <= {r["id"] for r in records}, rel  # no text of a record gone
        for r in records:
            said = chinese.get(r["id"], {})
            assert set(said) <= set(DEMO_TEXT_FIELDS) | set(DEMO_TEXT_LISTS), (rel, r["id"])
            for key in sorted(set(r) & (set(DEMO_TEXT_FIELDS) | set(DEMO_TEXT_LISTS))):
                value = r[key]
                if key in DEMO_TEXT_LISTS:
                    sub = DEMO_TEXT_LISTS[key]
                    value = [v[sub] if isinstance(v, dict) else v for v in value]
                yield rel, r["id"], key, value, said.get(key)


def test_every_demo_text_has_its_chinese_and_no_more() -> None:
    """demo_data/zh_TW/ keeps up with the English demo: a text added, changed in shape or
    removed there fails here (each Chinese text is Chinese; a list has as many items)."""
    seen = 0
    for rel, rid, key, english, chinese in demo_texts():
        where = f"{rel} {rid} {key}"
        assert chinese is not None, f"no Chinese for {where}: {english!r}"
        if isinstance(english, list):
            assert isinstance(chinese, list) and len(chinese) == len(english), where
            assert all(CJK.search(t) for t in chinese), where
        else:
            assert isinstance(chinese, str) and CJK.search(chinese), where
        seen += 1
    assert seen > 300


def test_the_same_fact_reads_the_same_in_chinese() -> None:
    """A fact learned in a meeting is also on the person's card: one Chinese text for both."""
    said: dict[str, set[str]] = {}
    for _rel, _rid, key, english, chinese in demo_texts():
        if key == "learned":
            assert isinstance(english, list) and isinstance(chinese, list)
            for en, zh in zip(english, chinese, strict=True):
                said.setdefault(en, set()).add(zh)
    assert said and all(len(zh) == 1 for zh in said.values()), said


@pytest.mark.parametrize(
    ("args", "env"),
    [(["--lang", "zh-TW"], {}), ([], {"LANG": "zh_TW.UTF-8"})],
    ids=["--lang", "LANG"],
)
def test_the_chinese_demo_speaks_chinese_and_keeps_names(
    cli: Cli, home: Path, tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    assert cli(*args, "init", "--demo", env=env).exit_code == 0
    english = tmp_path / "english"
    assert cli("--home", str(english), "init", "--demo").exit_code == 0

    def records(folder: Path, rel: str, table: str) -> dict[str, dict[str, Any]]:
        doc = tomllib.loads((folder / rel).read_text("utf-8"))
        return {r["id"]: r for r in doc[table]}

    zh_acts, en_acts = (records(h, "activities.toml", "activity") for h in (home, english))
    assert en_acts["a1"]["title"] == "Engineering weekly staff meeting"
    assert zh_acts["a1"]["title"] == "工程部部門週會"
    assert zh_acts["a2"]["title"] == "生產部管理會議"
    assert all(CJK.search(a["title"]) for a in zh_acts.values())
    zh_people, en_people = (records(h, "contacts.toml", "contact") for h in (home, english))
    for cid, person in en_people.items():  # names and departments stay as they are
        assert (zh_people[cid]["name"], zh_people[cid].get("dept")) == (
            person["name"],
            person.get("dept"),
        )
    assert zh_people["c8"]["notes"].startswith("上班時間20:00–08:00")
    promises = records(home, "promises.toml", "promise")
    assert promises["p2"]["text"] == "寄給林美玲一頁式的交接班表單草稿"
    out = cli("--lang", "zh-TW", "digest", env={"COLUMNS": "80"}).stdout
    assert "生產部管理會議（Manufacturing" in out
    assert "p4 寄給 David 平台組兩位離職同仁的離職面談重點 → David Okafor" in out
    # everything else is the same data: the same dates, people, promises and figures
    zh_json = cli("--home", str(home), "digest", "--format", "json").stdout
    en_json = cli("--home", str(english), "digest", "--format", "json").stdout
    assert json.loads(zh_json)["review"]["promises"] == json.loads(en_json)["review"]["promises"]


def test_an_english_locale_keeps_the_demo_english(cli: Cli, home: Path) -> None:
    assert cli("init", "--demo", env={"LANG": "C.UTF-8"}).exit_code == 0
    text = (home / "activities.toml").read_text("utf-8")
    assert 'title = "Manufacturing management meeting"' in text and not CJK.search(
        text.replace("王小明", "").replace("林美玲", "").replace("許雅雯", "")
    )
