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
- taken again when the file was removed or replaced while we waited for it (its holder and we
  would otherwise each hold a lock on a different file);
- its holder's alone: a forked child (the cache's worker processes) never releases its parent's
  lock, and taking it in a child waits for the parent like any other process.

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
                held = _flock(fd, deadline)
                if held and _is_the_file(fd, self.path):
                    break
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
            if not held:
                raise LockTimeout(self.path)
            # the file was removed or replaced while we waited: lock the one there now
        self._fd, self._depth, self._pid = fd, 1, os.getpid()

    def release(self) -> None:
        """Give back one acquire; the last one unlocks and closes the file. Not held by this
        process (never taken, or a forked child's copy of its parent's): nothing to do."""
        if not self.is_locked:
            return
        self._depth -= 1
        if self._depth:
            return
        fd, self._fd = self._fd, None
        assert fd is not None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)  # a forked child's copy of the descriptor must not
        finally:  # keep it held after we close ours
            os.close(fd)


def _open(path: str) -> int:
    """The lock file opened for locking: created 0600, never through a link, a regular file."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    fd = os.open(path, flags, 0o600)  # O_NONBLOCK: a planted FIFO must not hang the open
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(0, "not a regular file", path)
        if stat.S_IMODE(st.st_mode) != 0o600 and st.st_uid == os.getuid():
            os.fchmod(fd, 0o600)  # a lock file an older release or a umask left readable
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
