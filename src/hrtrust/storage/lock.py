"""An exclusive lock between processes: ``flock(2)`` on a file, held by one open descriptor.

Every write takes the data home's lock (``Store.holding_lock``), so a cron digest and an
interactive ``log`` never interleave their commits, and a key rotation also takes one beside
the identity. The lock is

- exclusive between processes, and between two opens of the file in one process: a flock
  belongs to the open file description, not to the process as ``fcntl``/``lockf`` record locks
  do, so closing some other descriptor of the file never drops it;
- re-entrant on one object: a process that holds it (a rotation around its transaction) takes
  it again without waiting on itself;
- dropped by the kernel when its holder dies, however it dies: there is nothing stale to clean
  up, and a killed writer's lock never outlives it;
- never taken through a symbolic link, nor on anything but a regular file (``O_NOFOLLOW``, then
  the opened file's type), so a planted link cannot make hrtrust create or change another file;
  a file it creates is made 0600, one that exists is left as it is (``doctor`` checks modes);
- taken again when the file was removed or replaced while we waited for it (its holder and we
  would otherwise each hold a lock on a different file), until the timeout;
- its holder's alone: a forked child (the cache's worker processes) closes its copy of the
  descriptor at once, so it never releases its parent's lock nor keeps it held after the parent
  dies, and taking it in a child waits for the parent like any other process.

This is the part of ``filelock`` (``UnixFileLock``) hrtrust used before: the same flock on the
same file, so an hrtrust from before and this one exclude each other. Importing ``filelock``
cost every write about half of what a ``log`` costs beyond the import floor; the README ("What
the library shims buy") gives the measured figures, and ``benchmarks/shims.py --shims lock``
takes this module away to measure them again. Like the rest of hrtrust's storage
(``os.fchmod``, ``O_NOFOLLOW``), it is POSIX only.
"""

from __future__ import annotations

import fcntl
import os
import stat
import time
import weakref

POLL = 0.05  # seconds between tries while another process holds the lock (as filelock polls)


class LockTimeout(Exception):
    """Another process held the lock for the whole timeout."""


class NotAFile(OSError):
    """The lock's path is something other than a regular file (a device, a FIFO, a folder)."""


class FileLock:
    """The lock on ``path``, created 0600 when missing (see the module)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._fd: int | None = None
        self._depth = 0
        self._pid = 0

    @property
    def is_locked(self) -> bool:
        """True while this process holds the lock through this object."""
        return self._fd is not None and self._pid == os.getpid()

    def acquire(self, timeout: float) -> None:
        """Take the lock, waiting at most ``timeout`` seconds for another holder (0: try once).

        Raises LockTimeout when it stays held, NotAFile for a path that is not a regular file,
        and OSError when the file cannot be opened or locked (a read-only home)."""
        if self.is_locked:
            self._depth += 1
            return
        deadline = time.monotonic() + timeout
        while True:
            fd = _open(self.path)
            try:
                if _flock(fd, deadline) and _is_the_file(fd, self.path):
                    self._fd, self._depth, self._pid = fd, 1, os.getpid()
                    _HELD.add(self)
                    return
            finally:
                if self._fd != fd:  # not ours after all (held, replaced, or interrupted)
                    os.close(fd)
            if time.monotonic() >= deadline:
                raise LockTimeout(self.path)
            # the file was removed or replaced while we waited: lock the one there now

    def release(self) -> None:
        """Give back one acquire; the last one unlocks and closes the file. Not held by this
        process (never taken, or a forked child's copy of its parent's): nothing to do."""
        if not self.is_locked:
            return
        self._depth -= 1
        if self._depth:
            return
        fd, self._fd = self._fd, None
        _HELD.discard(self)
        assert fd is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)  # a descriptor still open elsewhere (one a child
        finally:  # inherited before it closed it) must not keep it held
            os.close(fd)

    def _forget(self) -> None:
        """In a forked child: close the inherited descriptor, which leaves the parent's lock
        held by the parent alone (a flock is released by its last descriptor's close, and the
        parent keeps its own), so it dies with the parent, not with its last worker."""
        fd, self._fd, self._depth = self._fd, None, 0
        if fd is not None:
            os.close(fd)


_HELD: weakref.WeakSet[FileLock] = weakref.WeakSet()  # the locks this process holds


def _forget_in_child() -> None:
    for lock in list(_HELD):
        lock._forget()
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def _open(path: str) -> int:
    """The lock file opened for locking, never through a link, and a regular file; when this
    creates it, 0600 whatever the umask. One that exists is left as it is (``doctor`` reports
    a mode that is not private, ``--fix`` mends it): taking a lock changes no other file, not
    even one hard-linked at the lock's path."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # O_NONBLOCK: a planted
    while True:  # FIFO must not hang the open (on systems where opening one read-write can)
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
            created = True
        except FileExistsError:
            try:
                fd = os.open(path, flags)
            except FileNotFoundError:
                continue  # removed in between: create it
            created = False
        break
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotAFile(0, "not a regular file", path)
        if created:
            os.fchmod(fd, 0o600)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _flock(fd: int, deadline: float) -> bool:
    """Lock ``fd`` exclusively, trying until ``deadline`` (time.monotonic); False if it stayed
    held by another."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:  # EWOULDBLOCK: held by another open of the file
            pass
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(POLL, left))


def _is_the_file(fd: int, path: str) -> bool:
    """True when ``fd`` is still the file at ``path`` (not removed or replaced meanwhile)."""
    held = os.fstat(fd)
    try:
        there = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return held.st_nlink > 0 and (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)
