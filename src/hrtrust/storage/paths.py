"""Where things are in a data home: the folder, the file names, the one month file per day."""

from __future__ import annotations

import datetime as dt

from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    PromisesFile,
    lazy_re,
)
from hrtrust.storage.places import CONFIG, resolve_home, xdg_dir

__all__ = ["CONFIG", "resolve_home", "xdg_dir"]  # kept here too: where they were first

CONTACTS = "contacts.toml"

ACTIVITIES = "activities.toml"

PROMISES = "promises.toml"

FEEDBACK = "feedback.toml"

LOG_DIR = "log"

LOCK = ".lock"

LOCK_TIMEOUT = 5.0

TEMP_MARK = ".tmp-"

JOURNAL = ".journal"

BACKUP_SUFFIX = ".bak"

CACHE_DIR = ".cache"

DOCUMENT_FILES: dict[type[Document], str] = {
    Config: CONFIG,
    ContactsFile: CONTACTS,
    ActivitiesFile: ACTIVITIES,
    PromisesFile: PROMISES,
    FeedbackFile: FEEDBACK,
}

MONTH_FILE_RE = lazy_re(r"^(\d{4})-(\d{2})\.toml$")


def month_file(day: dt.date) -> str:
    """The log file (relative to the home) that holds entries of ``day``."""
    return month_rel(f"{day.year:04d}-{day.month:02d}")


def month_rel(month: str) -> str:
    """The log file for a month written ``2026-11``."""
    return f"{LOG_DIR}/{month}.toml"


def month_of(rel: str) -> str:
    """``2026-11`` for ``log/2026-11.toml``."""
    return rel.removeprefix(f"{LOG_DIR}/").removesuffix(".toml")
