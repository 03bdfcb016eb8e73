"""The touch index's counts per person are read only when asked for, and say what reading
them whole says: after logs (its steps), after a fold, and when the kept counts are damaged
(then they are empty, and the run says the index was rebuilt, as for any damaged cache)."""

from __future__ import annotations

import datetime as dt
import marshal
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.storage import touches as touch_index
from hrtrust.storage.cache import REBUILT, read_index, write_index
from hrtrust.storage.store import Store

DAY = dt.date(2026, 11, 23)


def counts_from_the_log(demo: Path) -> dict[str, dict[str, int]]:
    store = Store(demo)
    stamps = {rel: store.stamp(rel) for rel in store.log_months()}
    summaries = {
        rel: touch_index._summarise(store.log_month(rel).entry, stamps[rel]) for rel in stamps
    }
    return dict(touch_index._merge(summaries, stamps)["counts"])  # type: ignore[arg-type]


def test_the_counts_are_read_only_when_asked_for(cli: Cli, demo: Path) -> None:
    assert cli("plan", "week").exit_code == 0  # keeps the index
    got = touch_index.touches(Store(demo), DAY)
    assert got.people  # the last touches are there at once ...
    assert got.counts._months is None  # type: ignore[attr-defined]  # ... the counts are not
    merged = touch_index.merged_index(Store(demo))
    recent = [m for m in merged["counts"] if m >= "2026-09"]
    assert recent and merged["counts"]._read == {}  # type: ignore[attr-defined]
    assert [merged["counts"][m] for m in recent]
    assert set(merged["counts"]._read) == set(recent)  # type: ignore[attr-defined]  # those only
    assert dict(got.counts) == {
        m: c for m, c in counts_from_the_log(demo).items() if m >= "2025-11"
    }


def test_the_counts_with_steps_and_after_a_fold_are_the_logs(cli: Cli, demo: Path) -> None:
    assert cli("plan", "week").exit_code == 0
    for who in ("maria", "david", "maria"):
        assert cli("log", "coffee-chat", "--with", who, "--again").exit_code == 0
        assert read_index(demo, touch_index.STEPS)["steps"]  # read through the steps
        merged = touch_index.merged_index(Store(demo))
        assert dict(merged["counts"]) == counts_from_the_log(demo)
    touch_index.save(Store(demo), touch_index.merged_index(Store(demo)))  # folded
    assert read_index(demo, touch_index.STEPS)["steps"] == []
    assert dict(touch_index.merged_index(Store(demo))["counts"]) == counts_from_the_log(demo)


def test_damaged_counts_are_worked_out_again_from_the_log_and_said_so(cli: Cli, demo: Path) -> None:
    assert cli("plan", "week").exit_code == 0
    kept = read_index(demo, touch_index.INDEX)
    months = marshal.loads(kept["months"])
    plants = [
        b"\x00not marshal",  # not marshal at all
        marshal.dumps({1: marshal.dumps({})}),  # a month that is not a month's name
        marshal.dumps(dict.fromkeys(months, b"garbage")),  # every month unreadable
        marshal.dumps({m: marshal.dumps({"c1": "x"}) for m in months}),  # counts not numbers
    ]
    for planted in plants:
        write_index(demo, touch_index.INDEX, {**kept, "months": planted})
        REBUILT.clear()
        got = touch_index.touches(Store(demo), DAY)
        want = {m: c for m, c in counts_from_the_log(demo).items() if m >= "2025-11"}
        assert {m: dict(got.counts[m]) for m in got.counts} == want
        assert any(touch_index.INDEX in note for note in REBUILT)
        assert cli("plan", "week").exit_code == 0
        assert cli("digest").exit_code == 0


def test_a_fold_over_damaged_counts_keeps_the_counts_of_the_log(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged month is worked out again, so the next fold keeps the truth, not nothing."""
    monkeypatch.setattr(touch_index, "FOLD_AFTER", 2)
    assert cli("plan", "week").exit_code == 0
    kept = read_index(demo, touch_index.INDEX)
    months = marshal.loads(kept["months"])
    write_index(
        demo, touch_index.INDEX, {**kept, "months": marshal.dumps(dict.fromkeys(months, b"x"))}
    )
    for _ in range(3):  # the third log folds the steps into the index
        assert cli("log", "coffee-chat", "--with", "maria", "--again").exit_code == 0
    assert read_index(demo, touch_index.STEPS)["steps"] == []  # folded
    REBUILT.clear()
    merged = touch_index.merged_index(Store(demo))
    assert dict(merged["counts"]) == counts_from_the_log(demo)
    assert not any(touch_index.INDEX in note for note in REBUILT)  # kept right this time
    assert cli("doctor").exit_code == 0


def test_an_index_kept_before_the_counts_were_apart_is_rebuilt(cli: Cli, demo: Path) -> None:
    assert cli("plan", "week").exit_code == 0
    kept = read_index(demo, touch_index.INDEX)
    write_index(demo, touch_index.INDEX, {"token": kept["token"], "base": kept["base"]})
    merged = touch_index.merged_index(Store(demo))
    assert dict(merged["counts"]) == counts_from_the_log(demo)
    assert "months" in read_index(demo, touch_index.INDEX)  # kept again, in today's layout


def test_the_touches_of_a_day_read_only_the_months_asked_for(cli: Cli, demo: Path) -> None:
    """Coverage's candidates count the last three months: only those are read."""
    assert cli("plan", "week").exit_code == 0
    got = touch_index.touches(Store(demo), DAY)
    months = list(got.counts)
    assert months and all(m >= "2025-11" for m in months)
    counts = got.counts._all  # type: ignore[attr-defined]
    assert counts._read == {}  # listing the months read none of them
    since = got.counts_since(dt.date(2026, 9, 1))
    assert set(counts._read) == {m for m in months if m >= "2026-09"}
    want: dict[str, int] = {}
    for month, per_person in counts_from_the_log(demo).items():
        if month >= "2026-09":
            for cid, n in per_person.items():
                want[cid] = want.get(cid, 0) + n
    assert since == want
