"""What the imports do to stay cheap (issue 27) changes nothing they write."""

from __future__ import annotations

import datetime as dt

from hrtrust.interop import calendar_import as cal
from hrtrust.interop.csv_import import _same_toml
from hrtrust.models import Contact, ContactsFile, Interaction, LogFile, to_toml_dict


def test_the_contacts_are_compared_one_at_a_time_as_the_whole_file_would_be() -> None:
    def doc() -> ContactsFile:
        return ContactsFile(
            next_id=3,
            contact=[
                Contact(id="c1", name="Maria Chen", email="maria@example.com"),
                Contact(id="c2", name="王小明", tags=["ally"]),
            ],
        )

    before = to_toml_dict(doc())
    assert _same_toml(doc(), before)
    for change in (
        lambda d: d.contact[1].tags.append("manager"),
        lambda d: d.contact.append(Contact(id="c3", name="New")),
        lambda d: d.contact.pop(),
        lambda d: setattr(d, "next_id", 4),
        lambda d: setattr(d, "next_topic", 2),
    ):
        changed = doc()
        change(changed)
        assert not _same_toml(changed, before)
        assert (to_toml_dict(changed) == before) is _same_toml(changed, before)
    assert _same_toml(ContactsFile(), to_toml_dict(ContactsFile()))


def test_apply_plan_names_each_month_it_changed_once() -> None:
    may, june = dt.date(2026, 5, 1), dt.date(2026, 6, 1)
    logs = {
        may: LogFile(),
        june: LogFile(
            entry=[
                Interaction(
                    id="2026-06-02.1",
                    date=dt.date(2026, 6, 2),
                    kind="meeting",
                    with_=["c1"],
                    uid=["old"],
                )
            ]
        ),
    }
    day = dt.date(2026, 5, 4)
    events = [cal.CalEvent(f"k{i}", "M", day, None, None, "", ()) for i in range(2)]
    merged = cal.CalEvent("k9", "M", dt.date(2026, 6, 2), None, None, "", ())
    plan = cal.ImportPlan(
        [
            cal.Decision(events[0], "log", "", kind="meeting", with_=("c1",)),
            cal.Decision(events[1], "log", "", kind="meeting", with_=("c2",)),
            cal.Decision(merged, "merge", "", with_=("c2",), entry="2026-06-02.1"),
        ],
        0,
        {},
        None,
    )
    told: list[dt.date] = []
    cal.apply_plan(plan, lambda d: logs[d.replace(day=1)], lambda m, log: told.append(m))
    assert told == [may, june]
    assert [e.id for e in logs[may].entry] == ["2026-05-04.1", "2026-05-04.2"]
    assert logs[june].entry[0].uid == ["old", "k9"]
    assert logs[june].entry[0].with_ == ["c1", "c2"]
