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
    return xdg_dir(environ, "XDG_DATA_HOME", ".local/share") / "hrtrust"


def xdg_dir(environ: Mapping[str, str], name: str, default: str) -> Path:
    """The XDG base folder ``$name`` (``XDG_DATA_HOME``, ``XDG_CONFIG_HOME``), else
    ``default`` under the user's home (``.local/share``, ``.config``).

    The XDG Base Directory spec says a relative value is invalid and must be ignored: taken
    as it is, it would put private data under whatever folder the command runs in. A leading
    ``~`` is expanded first (a value quoted in the shell before it was expanded)."""
    value = environ.get(name)
    if value:
        path = Path(value).expanduser()
        if path.is_absolute():
            return path
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / default


def month_file(day: dt.date) -> str:
    """The log file (relative to the home) that holds entries of ``day``."""
    return month_rel(f"{day.year:04d}-{day.month:02d}")


def month_rel(month: str) -> str:
    """The log file for a month written ``2026-11``."""
    return f"{LOG_DIR}/{month}.toml"


def month_of(rel: str) -> str:
    """``2026-11`` for ``log/2026-11.toml``."""
    return rel.removeprefix(f"{LOG_DIR}/").removesuffix(".toml")
