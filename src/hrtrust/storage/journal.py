"""The commit journal: how several files change together, and how a killed commit is finished.

A command that changes several files writes every new file to a temp file beside its target,
then ``.journal`` (itself written atomically), then renames the temp files over their targets
and deletes the journal. A writer killed between two renames leaves the journal behind; the
next hrtrust to take the lock finishes the renames (roll forward). A writer that hit an I/O
error marks its journal "rollback" before undoing, so a kill while undoing is undone again.

A journal renames and deletes files, so it is acted on only when it proves it belongs to the
files in front of it: each entry carries the SHA-256 of the new bytes and of the target as it
was before the commit, and every entry must match the disk (the temp file still holding the new
bytes, or the target already holding them; the kept old copy holding the old bytes) before
anything is touched. A journal that cannot prove that (copied along with a home, left by an
older hrtrust, planted, naming files that are not this home's data files) is renamed aside as
``.journal.aside-<time>-<token>``, never acted on, and reported by ``doctor``; the temp files
it names are kept for a person to look at. Recovery deletes no data file: a rollback that
undoes a file the transaction created (proved by its digest, and only inside the home) sets it
aside as ``NAME.rolled-back-<time>``; a commit entry is finished only while the target still
holds its bytes from before the commit (or already the new ones).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hrtrust.locale import _
from hrtrust.storage.atomic import fsync_dir, read_file, replace_file
from hrtrust.storage.paths import JOURNAL, LOG_DIR, TEMP_MARK

VERSION = 2
ASIDE_MARK = ".aside-"  # .journal.aside-20261206T174500Z-1a2b3c4d
# a file a rolled-back commit had created, kept: log/2026-12.toml.rolled-back-<stamp>
ROLLED_BACK = ".rolled-back-"
NAMES_READ_MAX = 1 << 20  # a journal set aside is read for the temp files it names up to this


def digest(data: bytes) -> str:
    import hashlib  # imported here, like json: readers never need the journal's machinery

    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes, None when there is no such file (raises OSError
    for anything else: a folder, a FIFO, no permission)."""
    try:
        data = read_file(path)[0]
    except FileNotFoundError:
        return None
    return digest(data)


@dataclass(frozen=True)
class Entry:
    """One file of a commit: its temp file, its target, the hard link to its old bytes (None
    when the target is new), and the digests of the new bytes and of the target before."""

    tmp: Path
    target: Path
    old: Path | None
    new: str
    was: str | None


class Journal:
    """``.journal`` of one data home. ``may_replace`` says which targets a commit may replace
    (the data files, their backups, a symlinked data file's target)."""

    def __init__(self, home: Path, may_replace: Callable[[Path], bool]) -> None:
        self.home = home
        self.path = home / JOURNAL
        self.may_replace = may_replace

    # -- writing --------------------------------------------------------------------------------

    def write(self, state: str, entries: list[Entry]) -> None:
        """Write the journal atomically (the commit point when ``state`` is "commit")."""
        replace_file(self.path, self._bytes(state, entries))

    def _bytes(self, state: str, entries: list[Entry]) -> bytes:
        import json

        files = [
            {
                "tmp": self._name(e.tmp),
                "target": self._name(e.target),
                "old": self._name(e.old) if e.old else None,
                "new_sha256": e.new,
                "old_sha256": e.was,
            }
            for e in entries
        ]
        return json.dumps(
            {"hrtrust_journal": VERSION, "state": state, "files": files}, indent=1
        ).encode("utf-8")

    def _name(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.home))
        except ValueError:
            return str(path)  # a symlinked file's target outside the home

    # -- reading --------------------------------------------------------------------------------

    def exists(self) -> bool:
        return os.path.lexists(self.path)

    def read(self) -> tuple[str, list[Entry]]:
        """The state and entries; ValueError when it is not a journal this version wrote."""
        import json

        try:
            data = json.loads(read_file(self.path)[0].decode("utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(
                _("it cannot be read ({reason})").format(
                    reason=getattr(exc, "strerror", None) or exc
                )
            ) from None
        except json.JSONDecodeError as exc:
            raise ValueError(_("it is not JSON")) from exc
        if not isinstance(data, dict) or data.get("hrtrust_journal") != VERSION:
            raise ValueError(
                _("it was not written by this version of hrtrust (no content digests)")
            )
        try:
            state = data["state"]
            entries = [self._entry(f) for f in data["files"]]
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(_("it is not a journal")) from exc
        if state not in ("commit", "rollback"):
            raise ValueError(_("unknown state {state!r}").format(state=state))
        if not entries:
            raise ValueError(_("it names no file"))
        return state, entries

    def _entry(self, f: dict[str, Any]) -> Entry:
        new, was = f["new_sha256"], f["old_sha256"]
        if not _is_digest(new) or not (was is None or _is_digest(was)):
            raise ValueError(_("not a digest"))
        return Entry(
            tmp=self._path(f["tmp"]),
            target=self._path(f["target"]),
            old=self._path(f["old"]) if f.get("old") else None,
            new=new,
            was=was,
        )

    def _path(self, name: object) -> Path:
        if not isinstance(name, str) or not name or "\x00" in name:
            raise ValueError(_("not a path"))
        return Path(os.path.normpath(self.home / name))  # an absolute name stays absolute

    # -- may it be acted on? --------------------------------------------------------------------

    def problem(self) -> str | None:
        """Why the journal must not be acted on, or None when it may be (or is absent)."""
        try:
            home_st = os.stat(self.home)
            st = os.lstat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return _("it cannot be checked ({reason})").format(reason=exc.strerror or exc)
        me = os.geteuid()
        if home_st.st_uid != me or home_st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return _("the data home is not private to you (mode {mode}, owner uid {uid})").format(
                mode=f"{stat.S_IMODE(home_st.st_mode):04o}", uid=home_st.st_uid
            )
        if not stat.S_ISREG(st.st_mode) or st.st_uid != me:
            return _("it is not a regular file of yours")
        try:
            state, entries = self.read()
        except ValueError as exc:
            return str(exc)
        for e in entries:
            if not self.may_replace(e.target):
                return _("it names {path}, which is not a data file of this home").format(
                    path=e.target
                )
            for other in (e.tmp, e.old):
                if other is not None and (
                    other.parent != e.target.parent
                    or not other.name.startswith(f".{e.target.name}{TEMP_MARK}")
                ):
                    return _("it names {path}, which is not a temp file of {name}").format(
                        path=other, name=e.target.name
                    )
        try:
            for e in entries:
                why = _unproved(state, e, _within(e.target, self.home))
                if why:
                    return why
        except OSError as exc:
            return _("a file it names cannot be read ({reason})").format(reason=exc.strerror or exc)
        return None

    # -- acting on it ---------------------------------------------------------------------------

    def recover(self) -> tuple[str, str | None] | None:
        """Finish (or undo) the commit the journal proves, or set it aside. Hold the lock.

        Returns None when there is no journal, ("forward"|"back", None) when it was acted on,
        ("aside", why) when it was renamed aside without touching any other file."""
        if not self.exists():
            return None
        why = self.problem()
        if why is not None:
            self.set_aside()
            return "aside", why
        state, entries = self.read()
        for e in entries:
            if state == "commit":
                if _digest_or_none(e.tmp) == e.new:
                    os.replace(e.tmp, e.target)
            elif e.old is not None and e.was is not None and _digest_or_none(e.old) == e.was:
                os.replace(e.old, e.target)
            elif e.was is None and _digest_or_none(e.target) == e.new:
                # the transaction created it: undone by setting it aside, never deleted (a
                # journal proves what bytes it wrote, not that nobody wanted them since)
                os.rename(
                    e.target, e.target.with_name(f"{e.target.name}{ROLLED_BACK}{aside_stamp()}")
                )
        for folder in {e.target.parent for e in entries}:
            fsync_dir(folder)
        for e in entries:  # leftovers: only temp files holding what the journal says
            if _digest_or_none(e.tmp) == e.new:
                e.tmp.unlink()
            if e.old is not None and _digest_or_none(e.old) == e.was:
                e.old.unlink()
        self.path.unlink()
        fsync_dir(self.home)
        return ("forward" if state == "commit" else "back"), None

    def rolling_back(self) -> bool:
        """True for a well-formed journal in "rollback" state (a writer undoing a failed write)."""
        try:
            return self.read()[0] == "rollback"
        except ValueError:
            return False

    def rolled_back_files(self) -> list[Path]:
        """Files a rolled-back commit had created, set aside (``NAME.rolled-back-<time>``)."""
        found: list[Path] = []
        for folder in (self.home, self.home / LOG_DIR):
            with contextlib.suppress(OSError):
                found += [folder / n for n in os.listdir(folder) if ROLLED_BACK in n]
        return sorted(found)

    def set_aside(self) -> Path:
        """Rename the journal aside (never deleted: a person looks at it)."""
        aside = self.path.with_name(f"{JOURNAL}{ASIDE_MARK}{aside_stamp()}")
        os.rename(self.path, aside)
        fsync_dir(self.home)
        return aside

    def set_aside_ones(self) -> list[Path]:
        """The journals renamed aside, oldest first (regular files or not: all are shown)."""
        try:
            names = os.listdir(self.home)
        except OSError:
            return []
        return sorted(self.home / n for n in names if n.startswith(JOURNAL + ASIDE_MARK))

    def kept_for_aside(self) -> set[Path]:
        """The temp files that journals set aside name: kept, never swept as stale."""
        return {p for aside in self.set_aside_ones() for p in self.names(aside)}

    def names(self, path: Path) -> set[Path]:
        """The temp files (and kept old copies) a journal at ``path`` names, as far as it can
        be read: nothing when it cannot."""
        import json

        found: set[Path] = set()
        try:
            if os.lstat(path).st_size > NAMES_READ_MAX:  # not a journal hrtrust wrote
                return found
            data = read_file(path)[0]  # a regular file only: a FIFO is not waited on
            files = json.loads(data)["files"]
            for f in files:
                for key in ("tmp", "old"):
                    with contextlib.suppress(ValueError):
                        found.add(self._path(f.get(key)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        return found


def aside_stamp() -> str:
    """``20261206T174500Z-1a2b3c4d``: when, and a token so two names never collide."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{os.urandom(4).hex()}"


def _within(path: Path, home: Path) -> bool:
    return os.path.normpath(path).startswith(os.path.normpath(home) + os.sep)


def _is_digest(value: object) -> bool:
    return (
        isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)
    )


def _digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def _unproved(state: str, e: Entry, inside: bool) -> str | None:
    """Why the disk does not match entry ``e`` of a journal in ``state`` (None: it does)."""
    tmp = file_digest(e.tmp)
    target = file_digest(e.target)
    if state == "commit":  # the target holds its bytes from before the commit, or the new ones
        if (tmp == e.new and target in (e.was, e.new)) or (tmp is None and target == e.new):
            return None
        return _("its entry for {name} does not match the files on disk").format(name=e.target.name)
    old = file_digest(e.old) if e.old is not None else None
    if e.was is not None:
        if old == e.was or (old is None and target == e.was):
            return None
    elif target is None or (target == e.new and inside):  # never set aside a file elsewhere
        return None
    return _("its rollback entry for {name} does not match the files on disk").format(
        name=e.target.name
    )
