"""Where things are in a data home: the folder, the file names, the one month file per day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    PromisesFile,
    lazy_re,
)

CONFIG = "config.toml"

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


def resolve_home(option: str | None, environ: Mapping[str, str]) -> Path:
    """The data home: --home, $HRTRUST_HOME, $XDG_DATA_HOME/hrtrust, else ~/.local/share."""
    if option:
        return Path(option).expanduser()
    if environ.get("HRTRUST_HOME"):
        return Path(environ["HRTRUST_HOME"]).expanduser()
    if environ.get("XDG_DATA_HOME"):
        return Path(environ["XDG_DATA_HOME"]).expanduser() / "hrtrust"
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share" / "hrtrust"


def month_file(day: dt.date) -> str:
    """The log file (relative to the home) that holds entries of ``day``."""
    return month_rel(f"{day.year:04d}-{day.month:02d}")


def month_rel(month: str) -> str:
    """The log file for a month written ``2026-11``."""
    return f"{LOG_DIR}/{month}.toml"


def month_of(rel: str) -> str:
    """``2026-11`` for ``log/2026-11.toml``."""
    return rel.removeprefix(f"{LOG_DIR}/").removesuffix(".toml")
