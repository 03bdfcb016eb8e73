"""Reads and writes one data home: the Store (validated reads, the lock, the journaled
multi-file commit) and the Transaction that hands out documents and writes the changed ones.

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
writes every temp file first, then a small commit journal (``.journal``, itself written
atomically) that names them, and only then renames them. A writer killed between two renames
leaves the journal behind; the next hrtrust to run takes the lock and finishes the renames
(roll forward), so every command's files end up all old or all new. If a rename fails, the
files already renamed are put back (roll back), so a failed command changes nothing.
docs/RELIABILITY.md states each guarantee and the figures that back it.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from hrtrust.errors import DataFileError, LockError, NotInitialisedError, WriteError
from hrtrust.locale import N_, _
from hrtrust.models import (
    ActivitiesFile,
    Config,
    Contact,
    ContactsFile,
    Document,
    FeedbackFile,
    Interaction,
    LogFile,
    PromisesFile,
    Pulse,
    Touchpoint,
    entry_sort_key,
    highest_entry_number,
)
from hrtrust.storage.atomic import (
    WRITE_HINT,
    ensure_private_dir,
    fsync_dir,
    link_old,
    open_checked,
    os_reason,
    read_file,
    real_target,
    replace_one,
    write_temp,
)
from hrtrust.storage.cache import (
    DAMAGED,
    RECORDS_CACHE_MIN,
    Kept,
    Stamp,
    decode,
    encode,
    fresh_records,
    keep_appended,
    load_records,
    rebuilt,
    save_records,
    stamp_of,
    unpack_runs,
)
from hrtrust.storage.crypto import (
    PRIVATE_DOCS,
    map_private,
    mask,
    reveal_contact,
    reveal_entry,
    seal,
)
from hrtrust.storage.housekeeping import Housekeeping
from hrtrust.storage.journal import Entry, Journal, digest, file_digest
from hrtrust.storage.paths import (
    BACKUP_SUFFIX,
    CONFIG,
    DOCUMENT_FILES,
    LOCK,
    LOCK_TIMEOUT,
    LOG_DIR,
    MONTH_FILE_RE,
    month_file,
)
from hrtrust.storage.toml_format import (
    HAND_EDIT_HINT,
    check_meaning,
    dumps,
    dumps_checked,
    dumps_checked_bytes,
    has_comments,
    parse_document,
)

if TYPE_CHECKING:
    from hrtrust.storage.lock import FileLock

D = TypeVar("D", bound=Document)


class Store:
    """Reads and writes one data home."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._cache: dict[str, tuple[tuple[int, int], Document]] = {}
        self._records: dict[str, tuple[Stamp, Kept]] = {}  # log months' kept records, by stamp
        self.warnings: list[str] = []  # one-line warnings the CLI prints after the command
        self._checked = False
        self._loose_warned = False
        # How readers see encrypted private texts: masked (the default: no key needed, pyrage
        # never loaded) or opened with the identity (see ``unlock``).
        self._reveal: Callable[[str], str] | None = None
        self._views: dict[str, tuple[Document, Document]] = {}
        # Run once before the first write takes the lock (the CLI finishes an interrupted key
        # rotation there: it needs the identity, which only the CLI knows how to find).
        self.before_write: Callable[[], None] | None = None
        self._file_lock: FileLock | None = None

    def warn(self, message: str) -> None:
        """Queue a warning for the user (printed once, after the command, on stderr)."""
        if message not in self.warnings:
            self.warnings.append(message)

    def _first_use(self) -> None:
        """Once per command: warn about a home others can enter; finish a killed commit.

        Files inside a 0700 home are out of others' reach whatever their own mode (doctor
        still reports those); a symlinked file is checked when it is read."""
        if self._checked:
            return
        self._checked = True
        with contextlib.suppress(OSError):
            self._check_mode(self.home, self.home.stat().st_mode)
        if self.journal.exists():
            self._try_recover()  # finished, or set aside when it proves nothing

    def _check_mode(self, path: Path, st_mode: int) -> None:
        if self._loose_warned or not st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return
        self._loose_warned = True
        mode = f"{stat.S_IMODE(st_mode):04o}"
        if path.is_symlink():  # doctor --fix never follows a link: the target is the user's
            self.warn(
                _(
                    "{path} can be read by other users (mode {mode}); "
                    "it is a symlink: run `chmod 600 {real}` to make it private"
                ).format(path=path, mode=mode, real=os.path.realpath(path))
            )
            return
        self.warn(
            _(
                "{path} can be read by other users (mode {mode}); "
                "run `hrtrust doctor --fix` to make the data home private"
            ).format(path=path, mode=mode)
        )

    # -- where things are -------------------------------------------------------------------

    def path(self, rel: str) -> Path:
        return self.home / rel

    def exists(self) -> bool:
        return (self.home / CONFIG).is_file()

    def require(self) -> None:
        """Fail clearly when the data home has not been created."""
        if not self.exists():
            raise NotInitialisedError(
                _("no hrtrust data in {home}").format(home=self.home),
                hint=_("run `hrtrust init` (or `hrtrust init --demo` to try the demo data)"),
            )

    def log_months(self) -> list[str]:
        """Relative paths of the month files, oldest first."""
        folder = self.home / LOG_DIR
        if not folder.is_dir():
            return []
        names = sorted(n for n in os.listdir(folder) if MONTH_FILE_RE.match(n))
        return [f"{LOG_DIR}/{n}" for n in names]

    # -- reading ----------------------------------------------------------------------------

    def unlock(self, reveal: Callable[[str], str]) -> None:
        """Let readers see private texts through ``reveal`` (opened with the identity)."""
        self._reveal = reveal
        self._views.clear()

    def encrypted(self) -> bool:
        """True when private fields are sealed to a public key in config.toml."""
        return self.config().encryption is not None

    def read(self, cls: type[D], rel: str | None = None, *, raw: bool = False) -> D:
        """Load and validate one file; a missing file is an empty document.

        The file's bytes are always read first, so a file that cannot be read is an error
        (never served from a cache); the validated records in ``.cache/`` only save the parsing,
        and only for the very bytes on disk (same inode, size and mtime, read through the same
        open file); they hold the stored form, never an opened private text.

        In an encrypted home a reader gets private texts masked ("(locked)") or, after
        ``unlock``, opened; ``raw`` gives the stored form (what a transaction rewrites)."""
        doc = self._read(cls, rel or DOCUMENT_FILES[cls])
        if raw or cls not in PRIVATE_DOCS or not self.encrypted():
            return doc
        rel = rel or DOCUMENT_FILES[cls]
        seen = self._views.get(rel)
        if seen is not None and seen[0] is doc:
            view = seen[1]
        else:
            view = map_private(doc, self._reveal or mask) or doc
            self._views[rel] = (doc, view)
        assert isinstance(view, cls)
        return view

    def _read(self, cls: type[D], rel: str) -> D:
        path = self.path(rel)
        opened = self._open(path)
        if opened is None:
            return cls()
        data, st = opened
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self._cache.get(rel)
        if cached and cached[0] == stamp and isinstance(cached[1], cls):
            return cached[1]
        doc = None
        if st.st_size > RECORDS_CACHE_MIN:
            # validated when it was written or last read, and these very bytes are unchanged
            doc = load_records(self.home, rel, stamp_of(st), cls)
        if doc is None:
            text = self._decode(path, data)
            doc = parse_document(cls, text, str(path))
            if len(text) > RECORDS_CACHE_MIN:
                save_records(self.home, rel, stamp_of(st), doc)
        check_meaning(doc, str(path))
        # Shared, not copied: readers do not change documents, and a transaction starts by
        # clearing this memo so what it changes is its own.
        self._cache[rel] = (stamp, doc)
        return doc

    def _open(self, path: Path, *, content: bool = True) -> tuple[bytes, os.stat_result] | None:
        """A data file's bytes and status, after the checks every read makes (a file that
        cannot be read is an error, never served from a cache); None: it is missing. Without
        ``content`` the file is opened and checked but not read (its bytes are empty)."""
        self._first_use()
        try:
            data, st = read_file(path) if content else (b"", open_checked(path))
        except FileNotFoundError:
            if path.is_symlink():
                raise DataFileError(
                    _("{path}: a symlink to nothing ({target})").format(
                        path=path, target=os.readlink(path)
                    ),
                    hint=_(HAND_EDIT_HINT),
                ) from None
            return None
        except OSError as exc:
            denied = isinstance(exc, PermissionError)
            raise DataFileError(
                _("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror or exc),
                hint=_("check the file's owner and permissions") if denied else None,
            ) from None
        if path.is_symlink():  # inside a private home a file is safe; a link's target may not be
            self._check_mode(path, st.st_mode)
        return data, st

    def read_stamp(self, rel: str) -> Stamp | None:
        """The stamp of ``rel`` as :meth:`read` would read it, with the same checks and
        errors: what an index kept for the file may be used under. None: the file is missing."""
        opened = self._open(self.path(rel), content=False)
        return None if opened is None else stamp_of(opened[1])

    def pulses(self) -> list[Pulse]:
        """The trust pulses of ``feedback.toml``, as :meth:`feedback` reads them, without
        decoding the feedback itself when the file's validated records are fresh."""
        rel = DOCUMENT_FILES[FeedbackFile]
        opened = self._open(self.path(rel), content=False)
        if opened is None:
            return []
        kept = fresh_records(self.home, rel, stamp_of(opened[1]), FeedbackFile)
        if kept is not None:
            try:
                at = list(FeedbackFile.field_types()).index("pulse")  # as encode() keeps them
                return [decode(Pulse, r) for r in kept[2][0][at]]
            except DAMAGED as exc:
                rebuilt(f"records of {rel}", exc)
        return self.feedback().pulse

    def shown(self, contact: Contact) -> Contact:
        """A contact in its stored form as :meth:`read` gives it: in an encrypted home, its
        private texts masked (or opened, after ``unlock``)."""
        if not self.encrypted():
            return contact
        return reveal_contact(contact, self._reveal or mask)

    def read_checked(self, cls: type[D], rel: str) -> D:
        """Parse and validate the file itself, whatever the cache holds (doctor)."""
        self._first_use()
        path = self.path(rel)
        if not path.exists():
            return cls()
        st = path.stat()
        text = self._read_text(path)
        doc = parse_document(cls, text, str(path))
        check_meaning(doc, str(path))
        if len(text) > RECORDS_CACHE_MIN:
            save_records(self.home, rel, stamp_of(st), doc)
        self._cache[rel] = ((st.st_mtime_ns, st.st_size), doc)
        return doc

    def cached_records_differ(self, cls: type[D], rel: str) -> str | None:
        """Why the records cache of ``rel``, fresh by its stamp, is not what validating the
        file gives (None when it agrees, or is stale or absent: then it is not used)."""
        path = self.path(rel)
        try:
            st = path.stat()
            cached = load_records(self.home, rel, stamp_of(st), cls)
            if cached is None:
                return None
            fresh = parse_document(cls, self._read_text(path), str(path))
        except (OSError, DataFileError):
            return None
        if cached == fresh and cached.model_dump() == fresh.model_dump():
            return None
        return _("validated records of {file} differ from the file").format(file=rel)

    def stamp(self, rel: str) -> Stamp | None:
        """The file's (mtime, size, inode), or None when it is missing or cannot be seen."""
        try:
            return stamp_of(self.path(rel).stat())
        except OSError:
            return None

    def _read_text(self, path: Path) -> str:
        try:
            data = read_file(path)[0]
        except OSError as exc:
            raise DataFileError(
                _("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc
        return self._decode(path, data)

    def _decode(self, path: Path, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise DataFileError(
                _("{path}:{line}:{col}: not UTF-8 text").format(path=path, line=line, col=col),
                hint=_(HAND_EDIT_HINT),
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

    def log_month(self, rel: str, *, raw: bool = False) -> LogFile:
        return self.read(LogFile, rel, raw=raw)

    def log_month_passing(self, rel: str) -> LogFile:
        """The month ``rel`` as stored, for a pass over the whole log: not kept by this store
        once read (unless it already was), so such a pass holds one month at a time."""
        kept = rel in self._cache
        month = self.read(LogFile, rel, raw=True)
        if not kept:
            self._cache.pop(rel, None)
        return month

    def iter_log(
        self,
        since: dt.date | None = None,
        until: dt.date | None = None,
        *,
        raw: bool = False,
        within: tuple[dt.date, dt.date] | None = None,
    ) -> Iterator[Interaction]:
        """Interactions in date order, reading only the month files the range needs (``raw``:
        private texts as stored, for a caller that opens only the entries it shows). With
        ``within``, the month files of that wider span are read: a day of a week finds an entry
        a hand edit put in the file of the week's other month, as the whole week would."""
        lo = month_file(within[0] if within else since) if since else ""
        hi = month_file(within[1] if within else until) if until else "\uffff"
        for rel in self.log_months():
            if rel < lo or rel > hi:
                continue
            entries = sorted(self._log_slice(rel, since, until, raw=raw), key=entry_sort_key)
            for entry in entries:
                if since and entry.date < since:
                    continue
                if until and entry.date > until:
                    continue
                yield entry

    def entries_on(self, rel: str, days: set[int], *, raw: bool = False) -> list[Interaction]:
        """The entries of the month ``rel`` dated on ``days`` (ordinals): from its validated
        records when they are fresh (only those days' runs are unpacked and rebuilt), else
        from the month as :meth:`read` reads it."""
        kept = self._kept_entries(rel, days.__contains__)
        if kept is not None:
            try:
                entries = [decode(Interaction, rec) for rec in kept]
            except DAMAGED as exc:
                rebuilt(f"records of {rel}", exc)
            else:
                if raw or not self.encrypted():
                    return entries
                return [reveal_entry(e, self._reveal or mask) for e in entries]
        month = self.log_month(rel, raw=raw).entry
        return [e for e in month if e.date.toordinal() in days]

    def _log_slice(
        self, rel: str, since: dt.date | None, until: dt.date | None, *, raw: bool = False
    ) -> list[Interaction]:
        """The entries of the month ``rel`` (at least those dated in [since, until]). When the
        month's validated records are fresh, only the entries in range are rebuilt from them
        (a week of a large month); otherwise the month is read as :meth:`read` reads it.

        The records hold private texts as stored (sealed in an encrypted home): unless
        ``raw``, the entries rebuilt from them are masked or opened as :meth:`read` would."""
        if since is None and until is None:
            return self.log_month(rel, raw=raw).entry
        lo = since.toordinal() if since else 0
        hi = until.toordinal() if until else 1 << 40
        kept = self._kept_entries(rel, lambda day: lo <= day <= hi)
        if kept is not None:
            entries: list[Interaction] | None = None
            try:
                entries = [decode(Interaction, rec) for rec in kept]
            except DAMAGED as exc:  # a record cache that is not what it should be: read the file
                rebuilt(f"records of {rel}", exc)
                entries = None
            if entries is not None:
                if raw or not self.encrypted():
                    return entries
                return [reveal_entry(e, self._reveal or mask) for e in entries]
        return self.log_month(rel, raw=raw).entry  # which says why it cannot be read, if so

    def touchpoints(self, since: dt.date, until: dt.date) -> list[Touchpoint]:
        """Day, kind, people, departments and activity of the entries from ``since`` to
        ``until``, month by month in each month's order (for counting: not sorted), from the
        months' validated records when they are fresh (no entry rebuilt), otherwise from the
        months as :meth:`read` reads them."""
        lo, hi = since.toordinal(), until.toordinal()
        out: list[Touchpoint] = []
        for rel in self.log_months():
            if not month_file(since) <= rel <= month_file(until):
                continue
            kept = self._kept_entries(rel, lambda day: lo <= day <= hi)
            month: list[Touchpoint] | None = None
            if kept is not None:
                try:
                    day = dt.date.fromordinal
                    # the kept values are this read's own (unmarshalled now): not copied
                    month = [
                        Touchpoint(
                            day(f[_DATE_FIELD]),
                            f[_KIND_FIELD],
                            f[_WITH_FIELD],
                            f[_DEPTS_FIELD],
                            f[_ACTIVITY_FIELD],
                        )
                        for f in (rec[0] for rec in kept)
                    ]
                except DAMAGED as exc:  # a record cache that is not what it should be
                    rebuilt(f"records of {rel}", exc)
            if month is None:
                month = [
                    Touchpoint(e.date, e.kind, e.with_, e.depts, e.activity)
                    for e in self.log_month(rel, raw=True).entry
                ]
            out += [t for t in month if since <= t.date <= until]
        return out

    def log_touches(self, rel: str) -> list[tuple[int, list[str]]]:
        """(day as an ordinal, people) of every entry of the month ``rel``: read from its
        validated records when they are fresh, without rebuilding a single entry (a month of
        a large log holds thousands); otherwise from the month as :meth:`read` reads it."""
        kept = self._kept_entries(rel)
        if kept is not None:
            try:
                return [(int(rec[0][_DATE_FIELD]), list(rec[0][_WITH_FIELD])) for rec in kept]
            except DAMAGED as exc:  # a record cache that is not what it should be
                rebuilt(f"records of {rel}", exc)
        return [(e.date.toordinal(), e.with_) for e in self.log_month(rel, raw=True).entry]

    def _kept_entries(
        self, rel: str, days: Callable[[int], bool] | None = None
    ) -> list[Any] | None:
        """The kept records of the month ``rel``'s entries (those of the ``days``, ordinals,
        it accepts: only their runs are unpacked), as encoded, when they are fresh for the
        file as it is now; None when the month must be read instead (not kept, stale, a
        symlink, unreadable, or already read by this store)."""
        path = self.path(rel)
        if rel in self._cache or path.is_symlink():
            return None
        try:
            stamp = stamp_of(open_checked(path))  # the records stand in only for a readable file
        except OSError:
            return None
        # read once a run: a plan reads its week, the digest the week before, often in the
        # same month (and again when the file has changed since)
        memo = self._records.get(rel)
        got = memo[1] if memo is not None and memo[0] == stamp else None
        if got is None:
            got = fresh_records(self.home, rel, stamp, LogFile)
            if got is None:
                return None
            self._records[rel] = (stamp, got)
        try:
            return unpack_runs(got[2][0][_ENTRY_FIELD], days)
        except DAMAGED as exc:  # a record cache that is not what it should be
            rebuilt(f"records of {rel}", exc)
            return None

    # -- writing ----------------------------------------------------------------------------

    def _lock(self) -> FileLock:
        """The data home's lock: one object per store, so a process that holds it (a key
        rotation around its transaction) takes it again without waiting on itself."""
        from hrtrust.storage.lock import FileLock  # imported here: only writers pay for it

        path = self.home / LOCK
        if path.is_symlink() or (path.exists() and not path.is_file()):
            # the lock refuses them too (lock.py); this says which file and what to do
            raise WriteError(
                _(
                    "{path} is not a regular file (a symlink?); hrtrust never follows it, "
                    "so nothing was changed"
                ).format(path=path),
                hint=_("remove {path} if no hrtrust is running (hrtrust doctor lists it)").format(
                    path=path
                ),
            )
        if self._file_lock is None:
            self._file_lock = FileLock(path)
        return self._file_lock

    @contextlib.contextmanager
    def holding_lock(self) -> Iterator[None]:
        """Hold the data-home lock (re-entrant within this store) for several steps."""
        from hrtrust.storage.lock import LockTimeout

        lock = self._lock()
        try:
            lock.acquire(LOCK_TIMEOUT)
        except LockTimeout as exc:
            raise LockError(
                _("{path}: another hrtrust is writing; gave up after {seconds:g}s").format(
                    path=self.home / LOCK, seconds=LOCK_TIMEOUT
                ),
                hint=_("try again in a moment; if no hrtrust is running, run `hrtrust doctor`"),
            ) from exc
        except OSError as exc:
            raise WriteError(
                _("{path}: cannot take the lock ({reason}); no file was changed").format(
                    path=self.home / LOCK, reason=exc.strerror or exc
                ),
                hint=_(WRITE_HINT),
            ) from exc
        try:
            yield
        finally:
            lock.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Take the lock, hand out fresh copies of the files, write the changed ones on success.

        If the body raises, nothing is written. Under the lock, a commit a killed writer left
        half done is finished first, then its temp files are removed.
        """
        self.require()
        self._first_use()
        hook, self.before_write = self.before_write, None
        if hook is not None:
            hook()
        with self.holding_lock():
            self._cache.clear()  # re-read everything after the lock is ours
            self.recover()
            self.remove_stale_temp_files()
            txn = Transaction(self)
            yield txn
            txn.commit()
            for update in txn.after_commit:  # derived indexes, still under the lock
                try:
                    update()
                except DAMAGED as exc:  # an index left stale is rebuilt by the next read
                    rebuilt("a derived index", exc)

    def lock_is_free(self) -> bool:
        """True when no process holds the data-home lock right now (tried without waiting)."""
        from hrtrust.storage.lock import LockTimeout

        if not (self.home / LOCK).exists():
            return True
        try:
            lock = self._lock()
        except WriteError:
            return True  # a lock that is not a file: reported by doctor on its own
        try:
            lock.acquire(0)
        except LockTimeout:
            return False
        except OSError:
            return True  # a read-only home: nobody can be writing it
        lock.release()
        return True

    def _try_recover(self) -> None:
        """A reader found a journal: finish the commit if no writer is at work right now."""
        from hrtrust.storage.lock import LockTimeout

        try:
            lock = self._lock()
            lock.acquire(0)
        except (LockTimeout, OSError, WriteError):
            return  # a writer is mid-commit (it will finish), or the home is read-only
        try:
            if self.journal.rolling_back():
                return  # undoing a failed write sets files aside: a write or doctor does it
            with contextlib.suppress(WriteError):  # the next writer reports it
                self.recover()
        finally:
            lock.release()

    def pending_commit(self) -> bool:
        """True when a killed writer left a commit journal (finished by the next run)."""
        return self.journal.exists()

    @functools.cached_property
    def journal(self) -> Journal:
        return Journal(self.home, self._may_replace)

    def recover(self) -> str | None:
        """Finish or undo the commit a killed writer left in ``.journal`` (hold the lock), or
        set aside a journal that does not prove it belongs to these files (see journal.py).

        Returns the direction taken ("forward", "back", "aside"), or None when there was
        nothing to do."""
        try:
            done = self.journal.recover()
        except OSError as exc:
            raise WriteError(
                _("{path}: cannot finish the commit ({reason})").format(
                    path=self.journal.path, reason=exc.strerror or exc
                ),
                hint=_(WRITE_HINT),
            ) from exc
        if done is None:
            return None
        self._cache.clear()
        direction, why = done
        if why is not None:
            self.warn(
                _(
                    "{path}: set aside, not acted on: {why}; no data file was changed "
                    "(`hrtrust doctor` lists it)"
                ).format(path=self.journal.path, why=why)
            )
        return direction

    def journal_names(self, path: Path) -> set[Path]:
        """The temp files a journal (or one set aside) names."""
        return self.journal.names(path)

    def journal_problem(self) -> str | None:
        """Why ``.journal`` must not be acted on, or None when it may be (or is absent)."""
        return self.journal.problem()

    def _data_link_targets(self) -> set[Path]:
        return self.housekeeping.data_link_targets()

    @functools.cached_property
    def housekeeping(self) -> Housekeeping:
        """Temp files, backups, the cache folder and permissions (storage/housekeeping.py)."""
        return Housekeeping(self.home, self.journal)

    def _may_replace(self, target: Path) -> bool:
        """True for a file a commit may replace: a data file or its backup in the home (a new
        month file too), or the target of a data file that is a symlink."""
        try:
            parts = target.relative_to(os.path.normpath(self.home)).parts
        except ValueError:
            return target in self._data_link_targets()
        if not parts:
            return False
        name = parts[-1].removesuffix(BACKUP_SUFFIX)
        if len(parts) == 1:
            return name in DOCUMENT_FILES.values()
        return len(parts) == 2 and parts[0] == LOG_DIR and bool(MONTH_FILE_RE.match(name))

    # What housekeeping does, asked of the store (doctor, forget, key, purge, the transaction).

    def drop_cache(self) -> None:
        self.housekeeping.drop_cache()

    def temp_files(self) -> list[Path]:
        return self.housekeeping.temp_files()

    def remove_stale_temp_files(self) -> list[Path]:
        return self.housekeeping.remove_stale_temp_files()

    def backups(self) -> list[Path]:
        return self.housekeeping.backups()

    def remove_backups_mentioning(self, needles: tuple[str, ...]) -> list[Path]:
        return self.housekeeping.remove_backups_mentioning(needles)

    def loose_permissions(self) -> list[tuple[Path, int]]:
        return self.housekeeping.loose_permissions()

    def tighten_permissions(self) -> list[Path]:
        return self.housekeeping.tighten_permissions()

    def write_files(self, files: Mapping[str, str | bytes]) -> None:
        """Write several files so that either all change or none does.

        A symlinked file is followed: the file it points to is replaced atomically in its own
        folder, and the link stays a link.
        """
        prepared: list[tuple[Path, Path, bytes]] = []
        try:
            for rel, text in sorted(files.items()):
                # A data file that is a symlink is followed (the link stays a link); a backup
                # never is: it is written as a new file in the home.
                path = self.path(rel)
                target = path if rel.endswith(BACKUP_SUFFIX) else real_target(path)
                ensure_private_dir(target.parent)
                data = text.encode("utf-8") if isinstance(text, str) else text
                tmp = write_temp(target, data)
                prepared.append((tmp, target, data))
        except OSError as exc:
            for tmp, *_rest in prepared:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise WriteError(os_reason(exc), hint=_(WRITE_HINT)) from exc
        if len(prepared) == 1:
            replace_one(*prepared[0][:2])
        else:
            try:  # what the journal proves itself by: the new bytes, and the target's before
                proved = [(t, g, digest(d), file_digest(g)) for t, g, d in prepared]
            except OSError as exc:
                for tmp, *_rest in prepared:
                    with contextlib.suppress(OSError):
                        tmp.unlink()
                raise WriteError(os_reason(exc), hint=_(WRITE_HINT)) from exc
            self._replace_journaled(proved)
        self._cache.clear()

    def _replace_journaled(self, prepared: list[tuple[Path, Path, str, str | None]]) -> None:
        """Rename several temp files over their targets behind a commit journal."""
        entries: list[Entry] = []
        renamed = 0
        try:
            for tmp, target, new, was in prepared:  # hard links to the old bytes: a roll-back
                entries.append(Entry(tmp, target, link_old(target), new, was))
            self.journal.write("commit", entries)  # the commit point
            fsync_dir(self.home)
            for e in entries:
                os.replace(e.tmp, e.target)
                renamed += 1
            for folder in {e.target.parent for e in entries}:
                fsync_dir(folder)
        except OSError as exc:
            self._roll_back(prepared, entries, renamed)
            raise WriteError(os_reason(exc), hint=_(WRITE_HINT)) from exc
        with contextlib.suppress(OSError):  # committed; a journal left here is harmless
            self.journal.path.unlink()
        for e in entries:
            if e.old is not None:
                with contextlib.suppress(OSError):
                    e.old.unlink()

    def _roll_back(
        self,
        prepared: list[tuple[Path, Path, str, str | None]],
        entries: list[Entry],
        renamed: int,
    ) -> None:
        if self.journal.exists() and len(entries) == len(prepared):
            # Mark the journal "rollback" first: if this process dies while undoing, the next
            # run undoes the rest instead of finishing the commit.
            with contextlib.suppress(OSError):
                self.journal.write("rollback", entries)
        for e in entries[:renamed]:
            with contextlib.suppress(OSError):
                if e.old is not None:
                    os.replace(e.old, e.target)
                else:
                    e.target.unlink()
        for path in [p[0] for p in prepared] + [e.old for e in entries if e.old]:
            with contextlib.suppress(OSError):
                path.unlink()
        with contextlib.suppress(OSError):
            self.journal.path.unlink()


# Why an erasing transaction keeps no backup, when it does not say (said with _()).
ERASES = N_("forget erases")


class Transaction:
    """Copies of the files read under the lock; ``save`` marks one to be written at the end."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._docs: dict[str, Document] = {}
        self._dirty: set[str] = set()
        self._baseline: dict[str, str] = {}
        self._erasing: tuple[str, ...] | None = None
        self._erase_reason = ERASES
        self._spared: frozenset[str] = frozenset()
        # rel: a new entry to append to the month file at commit (see ``add_entry``)
        self._appended: dict[str, _Append] = {}
        self.after_commit: list[Callable[[], None]] = []  # run once committed, under the lock

    def forgetting(
        self, *needles: str, reason: str = ERASES, spare: frozenset[str] = frozenset()
    ) -> None:
        """Mark this transaction as an erasure (``hrtrust forget``): it keeps no backup of
        the files it rewrites, and on commit deletes every ``.bak`` that contains one of
        ``needles`` (say the quoted id ``"c7"`` and the person's name). Erasure means erasure.

        ``purge`` and ``key init``/``rotate`` erase too (old text, clear text): they give their
        ``reason`` for the warning (marked with ``N_``: it is said with ``_()``), and ``spare``
        names files that hold nothing private (config.toml), which keep their backup as
        usual."""
        self._erasing = needles
        self._erase_reason = reason
        self._spared = spare

    def get(self, cls: type[D], rel: str | None = None) -> D:
        rel = rel or DOCUMENT_FILES[cls]
        if rel not in self._docs:
            self._docs[rel] = self.store.read(cls, rel, raw=True)
            if rel in self._appended:  # a month holding an entry added to it: see add_entry
                self._hold_added(rel)
        doc = self._docs[rel]
        assert isinstance(doc, cls)
        return doc

    def edit(self, cls: type[D], rel: str | None = None) -> D:
        """A document to change: read under the lock and written back at commit (only if its
        bytes changed, so an edit that changes nothing leaves the file and its mtime alone)."""
        rel = rel or DOCUMENT_FILES[cls]
        doc = self.get(cls, rel)
        if rel not in self._dirty:
            # What it would be written as unchanged: a file the command did not change in the
            # end is left as it is, even when its bytes are not hrtrust's own (a hand edit).
            self._baseline[rel] = dumps(doc)
            self._dirty.add(rel)
        return doc

    def add_entry(self, rel: str, entry: Interaction, number: Callable[[LogFile], str]) -> str:
        """Add a new entry to the month file ``rel``: the one way a log entry is written.
        ``number`` gives the entry its id (or refuses it, raising) from a log holding at least
        the month's entries of the entry's day and its ``issued`` numbers: all numbering and
        the duplicate check look at. Returns the id.

        The entry is written at commit, as it is by then (the caller may still fill in the
        promises made there). Usually its month is neither parsed nor rewritten: the entry's
        text is appended to the file. That is done only when it gives the very bytes a full
        rewrite would: the file is unchanged since it was validated (its records cache is
        fresh) and as hrtrust wrote it, has no comments, the entry sorts last, and this
        transaction has not read the month nor added an entry to it already. Otherwise the
        month is edited like any document and rewritten whole, in order; so is a month a
        later ``get``, ``edit`` or ``save`` of this transaction asks for.
        """
        if rel not in self._docs and rel not in self._appended:
            pending = self._appendable(rel, entry, number)
            if pending is not None:
                self._appended[rel] = pending
                return entry.id
        month = self.edit(LogFile, rel)  # with the entry added before, if any
        entry.id = number(month)
        _insert(month, entry)
        return entry.id

    def _appendable(
        self, rel: str, entry: Interaction, number: Callable[[LogFile], str]
    ) -> _Append | None:
        """The entry numbered and ready to be appended to ``rel`` at commit, or None (with
        nothing changed) when the month must be rewritten instead."""
        path = self.store.path(rel)
        try:
            data, st = read_file(path)  # the cache stands in only for a readable regular file
        except OSError:
            return None
        got = fresh_records(self.store.home, rel, stamp_of(st), LogFile)
        if (
            got is None
            or got[3] is not True  # not as hrtrust wrote it (a hand edit): rewrite it whole
            or b"#" in data  # maybe a comment: the full path keeps a backup
            or not data.endswith(b"\n")
        ):
            return None
        try:
            values, extra = got[2]
            runs = values[_ENTRY_FIELD]
            day = entry.date.toordinal()
            # The day's entries (for the duplicate check), and the numbers its ids were given
            # (an entry dated elsewhere may hold one, after a hand edit): all numbering needs.
            todays = unpack_runs(runs, lambda key: key == day)
            newest = max((key for key, _ in runs[1]), default=0)
            issued = dict(values[_ISSUED_FIELD])
            named = entry.date.isoformat()
            day_ids = _starting(runs[2], named + ".")  # the ids are sorted: bisected
            issued[named] = highest_entry_number(day_ids, named, issued)
            same_day = LogFile.model_construct(
                entry=[decode(Interaction, rec) for rec in todays], issued=issued
            )
        except DAMAGED as exc:  # a record cache that is not what it should be: rewrite instead
            rebuilt(f"records of {rel}", exc)
            return None
        if day < newest:
            return None  # it would not sort last: the month is rewritten in order
        entry.id = number(same_day)
        return _Append(data, got, entry)

    def _hold_added(self, rel: str) -> None:
        """Put the entry added to ``rel`` for appending into the month's document instead
        (just read, or saved): the month is then written whole at commit."""
        pending = self._appended.pop(rel)
        month = self._docs[rel]
        assert isinstance(month, LogFile)
        if rel not in self._dirty:
            self._baseline[rel] = dumps(month)
            self._dirty.add(rel)
        if all(e is not pending.entry for e in month.entry):
            _insert(month, pending.entry)

    def _appending(self, rel: str, recipient: str | None) -> tuple[bytes, Kept, Any] | None:
        """The month file's new bytes, its records kept before and the record added, for the
        entry added to ``rel`` as it is now; None when its text cannot simply follow."""
        pending = self._appended[rel]
        one = LogFile(entry=[pending.entry])
        if recipient is not None:  # sealed like every write: the text and its records
            one = seal(one, recipient) or one
        single, checked = dumps_checked(one, str(self.store.path(rel)))
        header = dumps(LogFile())
        if not single.startswith(header + "\n"):
            return None
        # the file's own bytes (UTF-8, as hrtrust wrote them) and the entry's: nothing decoded
        text = pending.data + single[len(header) :].encode("utf-8")
        return text, pending.kept, encode(checked.entry[0])

    def save(self, doc: Document, rel: str | None = None) -> None:
        rel = rel or DOCUMENT_FILES[type(doc)]
        self._docs[rel] = doc
        self._dirty.add(rel)
        self._baseline.pop(rel, None)
        if rel in self._appended:  # an entry added to the month stays added
            self._hold_added(rel)

    def commit(self) -> None:
        """Write the changed files together.

        TOML comments cannot survive a rewrite (the files are regenerated from the data), so a
        file that has comments is first copied to ``NAME.bak`` (0600, in the same commit) and
        the user is warned. After the rewrite the file has no comments, so this happens once
        per hand edit; a later backup replaces the earlier one.
        """
        files: dict[str, str | bytes] = {}
        backups: list[Path] = []
        dropped: list[Path] = []
        recipient = self._recipient()
        appends: dict[str, tuple[bytes, Kept, Any]] = {}
        for rel in list(self._appended):
            ready = self._appending(rel, recipient)
            if ready is None:
                self.edit(LogFile, rel)  # the month, holding the entry, is rewritten whole
            else:
                appends[rel] = ready
        checked: dict[str, Document] = {}
        for rel in sorted(self._dirty):
            if recipient is not None and isinstance(self._docs[rel], PRIVATE_DOCS):
                # Private text is sealed to the public key before it reaches the disk (and
                # the validated records kept of it): writing never needs the identity.
                sealed = seal(self._docs[rel], recipient)
                if sealed is not None:
                    self._docs[rel] = sealed
            # the bytes to write, never the whole text beside them (a long file is encoded a
            # block at a time: a 50,000-row roster import would hold both)
            data, checked[rel] = dumps_checked_bytes(self._docs[rel], str(self.store.path(rel)))
            baseline = self._baseline.get(rel)
            if baseline is not None and baseline.encode("utf-8") == data:
                continue  # edited, but nothing changed
            path = self.store.path(rel)
            old = _text_on_disk(path)
            if old == data:
                continue  # unchanged: leave the file and its mtime alone
            files[rel] = data
            if old is not None and _commented(old):
                if self._erasing is None or rel in self._spared:
                    files[rel + BACKUP_SUFFIX] = old
                    backups.append(path)
                else:
                    dropped.append(path)
        for rel, (data, *_kept) in appends.items():
            files[rel] = data
        if files:
            self.store.write_files(files)
            for rel, (_bytes, kept, added) in appends.items():
                stamp = self.store.stamp(rel)
                if stamp:
                    keep_appended(self.store.home, rel, stamp, LogFile, kept, [added])
            for rel, written in files.items():
                stamp = self.store.stamp(rel) if rel in checked else None
                if stamp and len(written) > RECORDS_CACHE_MIN:  # validated just now: keep it
                    save_records(self.store.home, rel, stamp, checked[rel], written=True)
        if self._erasing:
            self.store.remove_backups_mentioning(self._erasing)
        for path in dropped:
            self.store.warn(
                _(
                    "{path} had comments, which hrtrust cannot keep when it rewrites a file; "
                    "no backup was kept, because {reason}"
                ).format(path=path, reason=_(self._erase_reason))
            )
        for path in backups:
            self.store.warn(
                _(
                    "{path} had comments, which hrtrust cannot keep when it rewrites a file; "
                    "the file as it was is saved in {backup}"
                ).format(path=path, backup=f"{path}{BACKUP_SUFFIX}")
            )

    def _recipient(self) -> str | None:
        config = self.get(Config)
        return config.encryption.recipient if config.encryption else None


def _text_on_disk(path: Path) -> bytes | None:
    """The file's bytes with its line ends made ``\\n`` (as reading it as text does); None
    when it cannot be read. Bytes that are not UTF-8 never equal what hrtrust writes."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _commented(old: bytes) -> bool:
    """Whether the file's text has a TOML comment (not UTF-8: it has no text to keep)."""
    try:
        return has_comments(old.decode("utf-8"))
    except UnicodeDecodeError:
        return False


class _Append(NamedTuple):
    """A new entry to append to a month file at commit: the file's bytes and its records
    kept as they were when the entry was numbered (under the lock: they stay so)."""

    data: bytes
    kept: Kept
    entry: Interaction


def _insert(month: LogFile, entry: Interaction) -> None:
    """Put a numbered entry in its place in the month (entries are kept in order)."""
    month.entry.append(entry)
    month.entry.sort(key=entry_sort_key)


_FIELDS = list(LogFile.model_fields)
_ENTRY_FIELD = _FIELDS.index("entry")
_ISSUED_FIELD = _FIELDS.index("issued")
_WITH_FIELD = list(Interaction.model_fields).index("with_")
_DATE_FIELD = list(Interaction.model_fields).index("date")
_KIND_FIELD = list(Interaction.model_fields).index("kind")
_DEPTS_FIELD = list(Interaction.model_fields).index("depts")
_ACTIVITY_FIELD = list(Interaction.model_fields).index("activity")


def _starting(ordered: list[str], prefix: str) -> list[str]:
    """The strings of the sorted list ``ordered`` that start with ``prefix``."""
    first = bisect.bisect_left(ordered, prefix)
    last = first
    while last < len(ordered) and ordered[last].startswith(prefix):
        last += 1
    return ordered[first:last]


def write_new_home(home: Path, files: Mapping[str, str]) -> None:
    """Create a data home folder (0700) and write its first files. A folder that already has
    files in it keeps its mode (it is the user's); an empty one is made private."""
    if home.is_dir():
        if not os.listdir(home):
            os.chmod(home, 0o700)
    else:
        ensure_private_dir(home)
    Store(home).write_files(files)
