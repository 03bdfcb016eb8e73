"""Derived data in ``.cache/``: never the truth, rebuilt when stale, damaged or missing."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

from hrtrust.storage.atomic import ensure_private_dir, replace_file
from hrtrust.storage.paths import CACHE_DIR


def read_cache(home: Path, name: str) -> Any:
    """A derived index from ``.cache/`` (never the truth); None when absent or unreadable."""
    try:
        return json.loads((home / CACHE_DIR / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(home: Path, name: str, data: Any) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk) is just skipped."""
    folder = home / CACHE_DIR
    try:
        ensure_private_dir(folder)
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
    return home / CACHE_DIR / ("parsed-" + rel.replace("/", "-") + ".pickle")


def load_parsed(home: Path, rel: str, stamp: list[int]) -> dict[str, Any] | None:
    import io

    try:
        data = parsed_path(home, rel).read_bytes()
        version, seen, raw = _DataOnlyUnpickler(io.BytesIO(data)).load()
    except Exception:  # a damaged cache is never worth an error: read the TOML instead
        return None
    if version != _PARSED_VERSION or seen != stamp or not isinstance(raw, dict):
        return None
    return raw


def save_parsed(home: Path, rel: str, stamp: list[int], raw: dict[str, Any]) -> None:
    """Best effort, like every derived cache."""
    target = parsed_path(home, rel)
    try:
        ensure_private_dir(target.parent)
        replace_file(target, pickle.dumps((_PARSED_VERSION, stamp, raw), protocol=5))
    except OSError:
        return
