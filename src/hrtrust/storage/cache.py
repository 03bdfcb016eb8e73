"""Derived data in ``.cache/``: never the truth, rebuilt when stale, damaged or missing."""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path
from typing import Any

from hrtrust.storage.atomic import replace_file
from hrtrust.storage.paths import CACHE_DIR


def cache_folder(home: Path, *, create: bool = False) -> Path | None:
    """``.cache/`` when it is a real folder of the home (created 0700 if asked); None when it
    is missing, or is a symlink or anything but a folder: a cache is never followed elsewhere."""
    folder = home / CACHE_DIR
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            folder.mkdir(mode=0o700)
            os.chmod(folder, 0o700)
        except OSError:
            return None
        return folder
    except OSError:
        return None
    return folder if stat.S_ISDIR(st.st_mode) else None


def _read_bytes(path: Path) -> bytes:
    """A cache file's bytes; a symlink or anything but a regular file is an OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


def read_cache(home: Path, name: str) -> Any:
    """A derived index from ``.cache/`` (never the truth); None when absent or unreadable."""
    folder = cache_folder(home)
    if folder is None:
        return None
    try:
        return json.loads(_read_bytes(folder / name).decode("utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(home: Path, name: str, data: Any) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk) is just skipped."""
    folder = cache_folder(home, create=True)
    if folder is None:
        return
    try:
        replace_file(folder / name, json.dumps(data, sort_keys=True).encode("utf-8"))
    except OSError:
        return


# The parsed form of a large TOML file, kept in .cache/ (so stale temp files are swept like any
# other) and keyed by the file's mtime, size and inode. tomllib is pure Python and takes about a
# second for 10,000 contacts; loading this and validating (pydantic-core) takes a fraction.
PARSED_CACHE_MIN = 4096

_PARSED_VERSION = 1

_SAFE_GLOBALS = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
}


class _DataOnlyUnpickler(pickle.Unpickler):
    """Loads plain data and dates only: a cache file can never name code to run."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


def parsed_path(home: Path, rel: str) -> Path:
    return home / CACHE_DIR / parsed_name(rel)


def parsed_name(rel: str) -> str:
    return "parsed-" + rel.replace("/", "-") + ".pickle"


def load_parsed(home: Path, rel: str, stamp: list[int]) -> dict[str, Any] | None:
    """The parsed form of ``rel`` if the cache holds it for exactly this ``stamp``. The caller
    has read the file itself first: a file that cannot be read is never served from here."""
    import io

    folder = cache_folder(home)
    if folder is None:
        return None
    try:
        data = _read_bytes(folder / parsed_name(rel))
        version, seen, raw = _DataOnlyUnpickler(io.BytesIO(data)).load()
    except Exception:  # a damaged cache is never worth an error: read the TOML instead
        return None
    if version != _PARSED_VERSION or seen != stamp or not isinstance(raw, dict):
        return None
    return raw


def save_parsed(home: Path, rel: str, stamp: list[int], raw: dict[str, Any]) -> None:
    """Best effort, like every derived cache."""
    folder = cache_folder(home, create=True)
    if folder is None:
        return
    try:
        replace_file(
            folder / parsed_name(rel), pickle.dumps((_PARSED_VERSION, stamp, raw), protocol=5)
        )
    except (OSError, RecursionError, pickle.PicklingError):
        return
