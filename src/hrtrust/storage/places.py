"""Where the data home is, and the one setting read before anything else: the language.

Kept free of the models (pydantic): ``hrtrust --help`` chooses its language from here."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

CONFIG = "config.toml"


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


def configured_language(home_option: str | None, environ: Mapping[str, str]) -> str | None:
    """``language`` in the data home's config.toml, read before any command is built (help
    texts are translated as commands are built); None when there is no such setting, or no
    readable config (the command itself reports a broken one). A regular file only: a FIFO
    planted as config.toml is not waited on."""
    import tomli

    path = resolve_home(home_option, environ) / CONFIG
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            value = tomli.load(fh).get("language")
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)
    return value if isinstance(value, str) else None
