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
    ("offset", "touch", "computed"),
    [
        (0, False, ["all"]),
        (0, True, ["all", 1]),
        (1, False, ["all", "all"]),
        (3, True, ["all", "all"]),
    ],
)
def test_the_digest_is_what_the_review_and_the_plan_give_apart(
    cli: Cli,
    demo: Path,
    monkeypatch: pytest.MonkeyPatch,
    offset: int,
    touch: bool,
    computed: list[object],
) -> None:
    monday = dt.date(2026, 11, 23)
    today = monday + dt.timedelta(days=offset)
    first, last = digest.review_week(monday)
    if touch:  # someone quiet through the week reviewed is met today: quiet then, not now
        before = load.digest_input(Store(demo), monday, today)
        quiet = digest.review(before, first, last).gone_quiet[0].contact.id
        logged = cli(
            "log", "coffee-chat", "--with", quiet, "--date", today.isoformat(), today=today
        )
        assert logged.exit_code == 0, logged.output
    data = load.digest_input(Store(demo), monday, today)
    apart = (digest.review(data, first, last), planning.plan_week(data.plan, today, monday))
    everyone = len(data.plan.contacts)
    calls: list[object] = []
    # who is due is worked out by one of three names (over the plan's input, over the
    # people's columns, or over a list of contacts): each call is counted, by how many it saw
    for name in ("lapses", "lapses_of", "lapses_for"):
        real = getattr(digest, name)

        def spy(*a: object, real: object = real, **k: object) -> object:
            seen = a[0].contacts if isinstance(a[0], planning.PlanInput) else a[0]
            calls.append("all" if len(seen) == everyone else len(seen))  # type: ignore[arg-type]
            return real(*a, **k)  # type: ignore[operator]

        monkeypatch.setattr(digest, name, spy)
    got = digest.build(data, today, monday)
    assert (got.review, got.plan) == apart
    assert got.review.gone_quiet  # the demo has people gone quiet: the test compares something
    if touch:
        assert quiet in {x.contact.id for x in got.review.gone_quiet}
        assert quiet not in {x.lapse.contact.id for x in got.plan.reach if x.lapse.days_over > 0}
    assert calls == computed
