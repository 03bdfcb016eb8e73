"""The only module that touches the data files: where they live, how they are read, and how
they are written without ever losing or tearing anything.

Layout of a data home (see the README for the why)::

    config.toml          time zone, working week, cadences, departments, custom kinds
    contacts.toml        people
    activities.toml      recurring commitments
    promises.toml        follow-ups, both ways, with their history
    feedback.toml        "you said, we did" items and pulse (trust audit) results
    log/YYYY-MM.toml     interactions, one file per month: logging rewrites one small file
    .lock                taken (flock) for every read-modify-write

Writes go to a temp file in the same folder (0600), are flushed and fsynced, then renamed over
the original with ``os.replace`` and the folder is fsynced. A command that changes several files
writes every temp file first and renames them together; if a rename fails, the files already
renamed are put back, so a failed command changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import stat
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from pydantic import ValidationError

from hrtrust.errors import DataFileError, LockError, NotInitialisedError, WriteError
from hrtrust.models import (
    ActivitiesFile,
    Config,
    ContactsFile,
    Document,
    FeedbackFile,
    Interaction,
    LogFile,
    PromisesFile,
    to_toml_dict,
)

D = TypeVar("D", bound=Document)

CONFIG = "config.toml"
CONTACTS = "contacts.toml"
ACTIVITIES = "activities.toml"
PROMISES = "promises.toml"
FEEDBACK = "feedback.toml"
LOG_DIR = "log"
LOCK = ".lock"
LOCK_TIMEOUT = 5.0
TEMP_MARK = ".tmp-"

DOCUMENT_FILES: dict[type[Document], str] = {
    Config: CONFIG,
    ContactsFile: CONTACTS,
    ActivitiesFile: ACTIVITIES,
    PromisesFile: PROMISES,
    FeedbackFile: FEEDBACK,
}

_TOML_POS = re.compile(r"^(?P<msg>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.toml$")


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
    return f"{LOG_DIR}/{day.year:04d}-{day.month:02d}.toml"


def dumps(doc: Document) -> str:
    """Serialise a document: same data, same bytes.

    Every array of tables is written as ``[[name]]`` sections, never inline. tomli_w inlines
    arrays whose tables are all short, so one record growing past a line would reformat the
    whole file (churn in git), and error messages could not name the line of a record.
    """
    return "".join(_table_chunks(to_toml_dict(doc), ""))


def _table_chunks(table: Mapping[str, Any], name: str, *, in_array: bool = False) -> Iterator[str]:
    literals: dict[str, Any] = {}
    tables: list[tuple[str, Mapping[str, Any], bool]] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            tables.append((key, value, False))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            tables.extend((key, item, True) for item in value)
        else:
            literals[key] = value
    started = False
    if in_array or (name and (literals or not tables)):
        started = True
        yield f"[[{name}]]\n" if in_array else f"[{name}]\n"
    if literals:
        started = True
        yield tomli_w.dumps(literals)  # only keys and values here: no table to inline
    for key, value, is_item in tables:
        if started:
            yield "\n"
        started = True
        full = f"{name}.{_toml_key(key)}" if name else _toml_key(key)
        yield from _table_chunks(value, full, in_array=is_item)


def _toml_key(key: str) -> str:
    """A key as TOML spells it: bare when it can be, quoted and escaped when not."""
    return tomli_w.dumps({key: 0}).removesuffix(" = 0\n")


class Store:
    """Reads and writes one data home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._cache: dict[str, tuple[tuple[int, int], Document]] = {}

    # -- where things are -------------------------------------------------------------------

    def path(self, rel: str) -> Path:
        return self.home / rel

    def exists(self) -> bool:
        return (self.home / CONFIG).is_file()

    def require(self) -> None:
        """Fail clearly when the data home has not been created."""
        if not self.exists():
            raise NotInitialisedError(
                f"no hrtrust data in {self.home}",
                hint="run `hrtrust init` (or `hrtrust init --demo` to try the demo data)",
            )

    def log_months(self) -> list[str]:
        """Relative paths of the month files, oldest first."""
        folder = self.home / LOG_DIR
        if not folder.is_dir():
            return []
        names = sorted(n for n in os.listdir(folder) if _MONTH_FILE.match(n))
        return [f"{LOG_DIR}/{n}" for n in names]

    # -- reading ----------------------------------------------------------------------------

    def read(self, cls: type[D], rel: str | None = None) -> D:
        """Load and validate one file; a missing file is an empty document."""
        rel = rel or DOCUMENT_FILES[cls]
        path = self.path(rel)
        try:
            st = path.stat()
        except FileNotFoundError:
            return cls()
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._cache.get(rel)
        if cached and cached[0] == stamp and isinstance(cached[1], cls):
            return cached[1].model_copy(deep=True)
        text = self._read_text(path)
        doc = parse_document(cls, text, str(path))
        self._cache[rel] = (stamp, doc)
        return doc.model_copy(deep=True)

    def _read_text(self, path: Path) -> str:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataFileError(f"{path}: cannot read: {exc.strerror}") from exc
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise DataFileError(
                f"{path}:{line}:{col}: not UTF-8 text", hint=_HAND_EDIT_HINT
            ) from exc

    def config(self) -> Config:
        return self.read(Config)

    def contacts(self) -> ContactsFile:
        return self.read(ContactsFile)

    def activities(self) -> ActivitiesFile:
        return self.read(ActivitiesFile)

    def promises(self) -> PromisesFile:
        return self.read(PromisesFile)

    def feedback(self) -> FeedbackFile:
        return self.read(FeedbackFile)

    def log_month(self, rel: str) -> LogFile:
        return self.read(LogFile, rel)

    def iter_log(
        self, since: dt.date | None = None, until: dt.date | None = None
    ) -> Iterator[Interaction]:
        """Interactions in date order, reading only the month files the range needs."""
        lo = f"{LOG_DIR}/{since.year:04d}-{since.month:02d}.toml" if since else ""
        hi = f"{LOG_DIR}/{until.year:04d}-{until.month:02d}.toml" if until else "\uffff"
        for rel in self.log_months():
            if rel < lo or rel > hi:
                continue
            entries = sorted(self.log_month(rel).entry, key=entry_sort_key)
            for entry in entries:
                if since and entry.date < since:
                    continue
                if until and entry.date > until:
                    continue
                yield entry

    # -- writing ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Take the lock, hand out fresh copies of the files, write the changed ones on success.

        If the body raises, nothing is written.
        """
        self.require()
        from filelock import FileLock, Timeout  # imported here: only writers pay for it

        lock = FileLock(str(self.home / LOCK), timeout=LOCK_TIMEOUT, mode=0o600)
        try:
            lock.acquire()
        except Timeout as exc:
            raise LockError(
                f"{self.home / LOCK}: another hrtrust is writing; gave up after {LOCK_TIMEOUT:g}s",
                hint="try again in a moment; if no hrtrust is running, run `hrtrust doctor`",
            ) from exc
        try:
            self._cache.clear()  # re-read everything after the lock is ours
            self.remove_stale_temp_files()
            txn = Transaction(self)
            yield txn
            txn.commit()
        finally:
            lock.release()

    def drop_cache(self) -> None:
        """Delete the derived indexes (they are rebuilt from the TOML files on next use)."""
        folder = self.home / CACHE_DIR
        if folder.is_dir():
            for name in os.listdir(folder):
                with contextlib.suppress(OSError):
                    (folder / name).unlink()

    def remove_stale_temp_files(self) -> list[Path]:
        """Delete temp files a killed writer left behind (only safe while holding the lock)."""
        removed = []
        for folder in (self.home, self.home / LOG_DIR):
            if not folder.is_dir():
                continue
            for name in os.listdir(folder):
                if name.startswith(".") and TEMP_MARK in name:
                    with contextlib.suppress(FileNotFoundError):
                        (folder / name).unlink()
                        removed.append(folder / name)
        return removed

    def write_files(self, files: Mapping[str, str]) -> None:
        """Write several files so that either all change or none does."""
        prepared: list[tuple[Path, Path]] = []
        try:
            for rel, text in sorted(files.items()):
                target = self.path(rel)
                ensure_private_dir(target.parent)
                prepared.append((_write_temp(target, text.encode("utf-8")), target))
        except OSError as exc:
            for tmp, _ in prepared:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise WriteError(_os_reason(exc), hint=_WRITE_HINT) from exc
        _replace_all(prepared)
        self._cache.clear()


class Transaction:
    """Copies of the files read under the lock; ``save`` marks one to be written at the end."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._docs: dict[str, Document] = {}
        self._dirty: set[str] = set()

    def get(self, cls: type[D], rel: str | None = None) -> D:
        rel = rel or DOCUMENT_FILES[cls]
        if rel not in self._docs:
            self._docs[rel] = self.store.read(cls, rel)
        doc = self._docs[rel]
        assert isinstance(doc, cls)
        return doc

    def save(self, doc: Document, rel: str | None = None) -> None:
        rel = rel or DOCUMENT_FILES[type(doc)]
        self._docs[rel] = doc
        self._dirty.add(rel)

    def commit(self) -> None:
        files: dict[str, str] = {}
        for rel in sorted(self._dirty):
            text = dumps(self._docs[rel])
            path = self.store.path(rel)
            with contextlib.suppress(OSError):
                if path.read_text(encoding="utf-8") == text:
                    continue  # unchanged: leave the file and its mtime alone
            files[rel] = text
        if files:
            self.store.write_files(files)


def entry_sort_key(entry: Interaction) -> tuple[dt.date, int, str]:
    """Log entries sort by day, then by their number within the day (``2026-11-23.2``)."""
    _, _, seq = entry.id.rpartition(".")
    return (entry.date, int(seq) if seq.isdigit() else 0, entry.id)


def parse_document(cls: type[D], text: str, where: str) -> D:
    """Parse TOML text into a validated document, or raise DataFileError naming file:line:col."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_POS.match(msg)
        if m:
            msg = f"{where}:{m['line']}:{m['col']}: {m['msg']}"
        else:
            msg = f"{where}: {msg}"
        raise DataFileError(msg, hint=_HAND_EDIT_HINT) from exc
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        line = _line_of(text, loc)
        field = _format_loc(loc)
        place = f"{where}:{line}" if line else where
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise DataFileError(f"{place}: {field}: {err['msg']}{more}", hint=_HAND_EDIT_HINT) from exc


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_of(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best effort: the line of ``[[table]]`` number N, then of the key inside it."""
    lines = text.splitlines()
    start = 0
    if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(loc[0])}\s*\]\]")
        seen = -1
        for i, line in enumerate(lines):
            if header.match(line):
                seen += 1
                if seen == loc[1]:
                    start = i
                    break
        else:
            return None
        keys = [p for p in loc[2:] if isinstance(p, str)]
        if keys:
            key = re.compile(rf"^\s*\"?{re.escape(keys[0])}\"?\s*=")
            for i in range(start + 1, len(lines)):
                if lines[i].lstrip().startswith("["):
                    break
                if key.match(lines[i]):
                    return i + 1
        return start + 1
    if loc and isinstance(loc[0], str):
        key = re.compile(rf"^\s*\"?{re.escape(loc[0])}\"?\s*=")
        for i, line in enumerate(lines):
            if key.match(line):
                return i + 1
    return None


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents inside the home) as 0700, whatever the umask."""
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)


def _write_temp(target: Path, data: bytes) -> Path:
    tmp = target.parent / f".{target.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)
    return tmp


def _replace_all(prepared: list[tuple[Path, Path]]) -> None:
    """Rename every temp file over its target; on failure put the old files back."""
    backups: list[tuple[Path, Path | None]] = []  # (target, hard link to its old content)
    try:
        for tmp, target in prepared:
            old: Path | None = None
            if target.exists():
                old = target.parent / f".{target.name}{TEMP_MARK}old-{secrets.token_hex(4)}"
                os.link(target, old)
            backups.append((target, old))
            os.replace(tmp, target)
        for folder in {target.parent for _, target in prepared}:
            _fsync_dir(folder)
    except OSError as exc:
        for target, old in reversed(backups):
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, target)
                else:
                    target.unlink()
        for tmp, _ in prepared:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise WriteError(_os_reason(exc), hint=_WRITE_HINT) from exc
    finally:
        for _, old in backups:
            if old is not None:
                with contextlib.suppress(OSError):
                    old.unlink()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _os_reason(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}could not write ({exc.strerror or exc}); no file was changed"


def is_private(path: Path) -> bool:
    """True when neither group nor others can read or write ``path``."""
    return not (path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def write_new_home(home: Path, files: Mapping[str, str]) -> None:
    """Create a data home folder (0700) and write its first files."""
    ensure_private_dir(home)
    os.chmod(home, 0o700)
    Store(home).write_files(files)


def raw_toml(path: Path) -> dict[str, Any]:
    """The raw TOML of a file (for doctor and tests)."""
    with path.open("rb") as fh:
        return tomllib.load(fh)


_HAND_EDIT_HINT = "fix the file by hand (hrtrust never overwrites a file it cannot read)"
_WRITE_HINT = "check free space and permissions of the data home"


CACHE_DIR = ".cache"


def read_cache(store: Store, name: str) -> Any:
    """A derived index from ``.cache/`` (never the truth); None when absent or unreadable."""
    import json

    try:
        return json.loads((store.home / CACHE_DIR / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_cache(store: Store, name: str, data: Any) -> None:
    """Best effort: a cache that cannot be written (read-only home, full disk) is just skipped."""
    import json

    folder = store.home / CACHE_DIR
    try:
        ensure_private_dir(folder)
        tmp = _write_temp(folder / name, json.dumps(data, sort_keys=True).encode("utf-8"))
        os.replace(tmp, folder / name)
    except OSError:
        return
