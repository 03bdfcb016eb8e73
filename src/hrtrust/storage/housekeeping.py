"""Housekeeping of a data home: the temp files killed writers leave, the ``.bak`` copies of
hand-commented files, the derived ``.cache`` folder, and the files' permissions.

None of it is data: it is what `doctor` lists and `doctor --fix` tidies, what a write sweeps
under the lock, and what `forget`, `purge` and `key` clear of private text. Every walk here
touches only regular files in real folders of the home, and never follows a symlink.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from collections.abc import Callable
from pathlib import Path

from hrtrust.storage.atomic import read_file
from hrtrust.storage.cache import cache_folder
from hrtrust.storage.journal import Journal
from hrtrust.storage.paths import (
    BACKUP_SUFFIX,
    DOCUMENT_FILES,
    LOG_DIR,
    MONTH_FILE_RE,
    TEMP_MARK,
)


class Housekeeping:
    """The non-data files of the home at ``home`` (``journal``: its commit journal, whose
    set-aside copies name temp files a person must look at, so they are never swept)."""

    def __init__(self, home: Path, journal: Journal) -> None:
        self.home = home
        self.journal = journal

    def data_link_targets(self) -> set[Path]:
        """The final targets of data files that are symlinks (a commit replaces those)."""
        links = [rel for rel in DOCUMENT_FILES.values() if (self.home / rel).is_symlink()]
        log = self.home / LOG_DIR
        with contextlib.suppress(OSError):
            if log.is_dir():  # the entries' own types: no stat of every month of the log
                with os.scandir(log) as entries:
                    links += [
                        f"{LOG_DIR}/{e.name}"
                        for e in entries
                        if e.is_symlink() and MONTH_FILE_RE.match(e.name)
                    ]
        return {Path(os.path.realpath(self.home / rel)) for rel in links}

    def drop_cache(self) -> None:
        """Delete the derived indexes (they are rebuilt from the TOML files on next use).

        Only regular files in a real ``.cache`` folder: a ``.cache`` that is a symlink is left
        alone (hrtrust never wrote through it), and so is anything in it but plain files."""
        folder = cache_folder(self.home)
        if folder is None:
            return
        for path in _regular_files(folder):
            with contextlib.suppress(OSError):
                path.unlink()

    def real_dirs(self) -> list[Path]:
        """The home and those of its folders hrtrust writes in, when they are real folders
        (``log`` may be a symlink a user set up; ``.cache`` never is followed)."""
        out = [self.home] if _is_dir(self.home) else []
        if (self.home / LOG_DIR).is_dir():
            out.append(self.home / LOG_DIR)
        folder = cache_folder(self.home)
        if folder is not None:
            out.append(folder)
        return out

    def temp_folders(self) -> list[tuple[Path, str]]:
        """Where temp files may be: (folder, name prefix). Symlinked data files write theirs
        next to the link's target, so those folders are searched for that target's temp files."""
        places: list[tuple[Path, str]] = [(folder, ".") for folder in self.real_dirs()]
        for real in sorted(self.data_link_targets()):
            places.append((real.parent, f".{real.name}{TEMP_MARK}"))
        return places

    def temp_files(self) -> list[Path]:
        """Temp files killed writers left behind (hidden names with ``.tmp-`` in them)."""
        found: list[Path] = []
        for folder, prefix in self.temp_folders():
            found += _regular_files(folder, functools.partial(_is_temp_name, prefix))
        kept = self.journal.kept_for_aside() if found else set()  # a person looks at those
        return sorted(set(found) - kept)

    def remove_stale_temp_files(self) -> list[Path]:
        """Delete temp files a killed writer left behind (only safe while holding the lock)."""
        removed = []
        for path in self.temp_files():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
        return removed

    def backups(self) -> list[Path]:
        """The ``NAME.bak`` copies kept when a file with comments was rewritten (regular files
        only: a ``.bak`` that is a symlink is not hrtrust's)."""
        return sorted(
            path
            for folder in (self.home, self.home / LOG_DIR)
            if folder.is_dir()
            for path in _regular_files(folder)
            if path.name.endswith(BACKUP_SUFFIX)
        )

    def remove_backups_mentioning(self, needles: tuple[str, ...]) -> list[Path]:
        """Delete the backups whose text contains any of ``needles``; returns them."""
        removed = []
        for path in self.backups():
            try:
                text, _ = read_file(path)
            except OSError:
                continue
            if any(n and n.encode("utf-8") in text for n in needles):
                path.unlink()
                removed.append(path)
        return removed

    def loose_permissions(self) -> list[tuple[Path, int]]:
        """Folders and files of the home that others may read or write, with their mode.

        Walks the home without following symlinks, except a data file's link, whose target
        holds the data (reported, never chmodded by ``doctor --fix``)."""
        found: list[tuple[Path, int]] = []
        if not self.home.is_dir():
            return found
        links = {self.home / rel for rel in DOCUMENT_FILES.values()}
        for path in [self.home, *_walk(self.home)]:
            with contextlib.suppress(OSError):
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    if path not in links and path.parent != self.home / LOG_DIR:
                        continue
                    st = path.stat()
                if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
                    found.append((path, stat.S_IMODE(st.st_mode)))
        return found

    def tighten_permissions(self) -> list[Path]:
        """chmod 0700 every folder and 0600 every regular file of the home; returns what
        changed. Symlinks are never followed: a link's target is the user's to change."""
        changed = []
        for path, _mode in self.loose_permissions():
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode):
                os.chmod(path, 0o700, follow_symlinks=False)
            elif stat.S_ISREG(st.st_mode):
                os.chmod(path, 0o600, follow_symlinks=False)
            else:
                continue
            changed.append(path)
        return changed


def _is_temp_name(prefix: str, name: str) -> bool:
    return name.startswith(prefix) and TEMP_MARK in name


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode) or path.is_dir()
    except OSError:
        return False


def _regular_files(folder: Path, named: Callable[[str], bool] | None = None) -> list[Path]:
    """The regular files directly in ``folder`` (not following symlinks), only those whose
    name ``named`` accepts when given (only they are looked at: a large ``.cache`` is listed,
    not stat-ed file by file)."""
    out: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return out
    for name in names:
        if named is not None and not named(name):
            continue
        path = folder / name
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.lstat(path).st_mode):
                out.append(path)
    return out


def _walk(root: Path) -> list[Path]:
    """Everything under ``root``, sorted, never descending through a symlink."""
    out: list[Path] = []
    for top, dirs, names in os.walk(root, followlinks=False):
        out += [Path(top) / n for n in dirs + names]
    return sorted(out)
