"""The Monday digest works out who is due once: the review's "gone quiet" and the plan share
it, and say exactly what working each out apart says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import Cli
from hrtrust.cli import load
from hrtrust.domain import digest, planning
from hrtrust.storage.store import Store


@pytest.mark.parametrize(
    ("offset", "touch", "computed"), [(0, False, 1), (0, True, 2), (1, False, 2), (3, True, 2)]
)
def test_the_digest_is_what_the_review_and_the_plan_give_apart(
    cli: Cli, demo: Path, monkeypatch: pytest.MonkeyPatch, offset: int, touch: bool, computed: int
) -> None:
    monday = dt.date(2026, 11, 23)
    today = monday + dt.timedelta(days=offset)
    if touch:  # a touch since the week reviewed: who had gone quiet then is worked out apart
        logged = cli("log", "coffee-chat", "--with", "c1", "--date", today.isoformat(), today=today)
        assert logged.exit_code == 0, logged.output
    data = load.digest_input(Store(demo), monday, today)
    first, last = digest.review_week(monday)
    apart = (digest.review(data, first, last), planning.plan_week(data.plan, today, monday))
    calls: list[dt.date] = []
    real = digest.lapses
    monkeypatch.setattr(digest, "lapses", lambda *a, **k: calls.append(a[3]) or real(*a, **k))
    got = digest.build(data, today, monday)
    assert (got.review, got.plan) == apart
    assert got.review.gone_quiet  # the demo has people gone quiet: the test compares something
    assert len(calls) == computed
