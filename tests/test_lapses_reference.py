"""lapses() writes active() and next_due() out for the usual person: for anyone at all it
lists exactly whom the two functions themselves say is due, in the same order."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hrtrust.domain.contacts import cadence_of, fold
from hrtrust.domain.dates import cadence_days
from hrtrust.domain.planning import lapses, next_due, weight
from hrtrust.models import Config, Contact

TODAY = dt.date(2026, 11, 23)
days = st.integers(-400, 60).map(lambda n: TODAY + dt.timedelta(days=n))
maybe_day = st.none() | days


@st.composite
def people(draw: st.DrawFn) -> list[Contact]:
    out = []
    for n in range(draw(st.integers(0, 25))):
        c = Contact(
            id=f"c{n + 1}",
            name=draw(st.sampled_from(["Ana", "Bo", "陳美玲", "ana"])),
            tags=draw(
                st.lists(st.sampled_from(["ally", "manager", "new-hire", "peer"]), max_size=2)
            ),
            every=draw(st.none() | st.sampled_from(["1w", "3w", "1m", "2m"])),
        )
        c.added, c.archived, c.hired = draw(maybe_day), draw(maybe_day), draw(maybe_day)
        c.paused_until, c.paused_on = draw(maybe_day), draw(maybe_day)
        out.append(c)
    return out


@settings(max_examples=300, deadline=None)
@given(contacts=people(), touched=st.lists(maybe_day, max_size=25), ahead=st.integers(0, 6))
def test_lapses_are_what_active_and_next_due_say(
    contacts: list[Contact], touched: list[dt.date | None], ahead: int
) -> None:
    config = Config()
    last = {c.id: d for c, d in zip(contacts, touched, strict=False) if d is not None}
    horizon = TODAY + dt.timedelta(days=ahead)
    want = []
    for c in contacts:
        if not c.active(TODAY):
            continue
        cadence = cadence_of(c, config)
        due = next_due(c, cadence, last.get(c.id), TODAY)
        if due <= horizon:
            over = (TODAY - due).days
            score = round(weight(c) * (1 + max(over, 0) / max(cadence_days(cadence), 1)), 4)
            want.append((c.id, cadence, last.get(c.id), due, over, score))
    want.sort(
        key=lambda x: (-x[5], x[3], fold(next(c.name for c in contacts if c.id == x[0])), x[0])
    )
    got = [
        (x.contact.id, x.cadence, x.last, x.due, x.days_over, x.score)
        for x in lapses(contacts, config, last, TODAY, horizon)
    ]
    assert got == want
