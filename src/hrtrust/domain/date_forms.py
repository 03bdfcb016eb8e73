"""What each date, time and cadence parser reads, as its errors' hint (marked here, said with
``_()`` where an error is raised). Both parsers of dates, :mod:`hrtrust.domain.dates` and
:mod:`hrtrust.domain.chinese_dates`, name the same forms, so they live below both."""

from __future__ import annotations

from hrtrust.locale import N_

__all__ = [
    "ACCEPTED_CADENCE_FORMS",
    "ACCEPTED_DATE_FORMS",
    "ACCEPTED_DURATION_FORMS",
    "ACCEPTED_TIME_FORMS",
    "ACCEPTED_WEEK_FORMS",
    "ACCEPTED_WEEKDAY_FORMS",
]

ACCEPTED_DATE_FORMS = N_(
    "use today, tomorrow, yesterday, fri, next fri, last fri, +3d, -2d, 2w, 1m, in 3 days, "
    "2 weeks ago, end of week, end of month, end of year, 2026-12-01, Dec 3 or 3 Dec 2027"
)
ACCEPTED_TIME_FORMS = N_("use 24-hour 14:30 or 9:30, or 10am, 2pm, 2:30pm")
ACCEPTED_DURATION_FORMS = N_(
    "use minutes or hours, e.g. 45, 45m, 45 min, 1h, 1h30m, 1.5h or 2 hours (1 minute to 24 hours)"
)
ACCEPTED_CADENCE_FORMS = N_(
    "use e.g. 2w, 14d, 3m, 1y, every 2 weeks, weekly, biweekly, monthly, bimonthly, quarterly "
    "or yearly"
)
ACCEPTED_WEEK_FORMS = N_("use an ISO week such as 2026-W49 or 2026W49")
ACCEPTED_WEEKDAY_FORMS = N_("use mon, tue, wed, thu, fri, sat or sun (or the full name)")
