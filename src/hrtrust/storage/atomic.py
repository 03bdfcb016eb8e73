"""Atomic writes: a temp file in the same folder (0600), fsync, ``os.replace``, fsync the folder.

Kept apart from the Store so the one way to put bytes on disk is easy to read and test (jrnl's
``atomic_write`` is the model). The multi-file commit journal builds on these in ``store``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from hrtrust.errors import WriteError
from hrtrust.locale import N_, _
from hrtrust.storage.paths import TEMP_MARK

WRITE_HINT = N_("check free space and permissions of the data home")  # said with _()


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700, whatever the umask."""
    if folder.is_dir():
        return
    missing = [folder, *(p for p in folder.parents if not p.exists())]
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
        os.chmod(path, 0o700)


def real_target(path: Path) -> Path:
    """The file to replace: a symlink is followed (to its final target) so it stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def read_file(path: Path) -> tuple[bytes, os.stat_result]:
    """A data file's bytes and the status of the very file read. Opened without blocking, so
    a FIFO planted in place of a file is an error, not a hang; only regular files are read."""
    fd, st = _open_regular(path)
    try:
        return read_all(fd, st.st_size), st
    finally:
        os.close(fd)


def open_checked(path: Path) -> os.stat_result:
    """The status of a data file :func:`read_file` could read, opened as it opens it (a
    missing file, one that cannot be read, or anything but a regular file raises OSError as
    it would), without reading it."""
    fd, st = _open_regular(path)
    os.close(fd)
    return st


def _open_regular(path: Path) -> tuple[int, os.stat_result]:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_all(fd: int, size: int) -> bytes:
    """Everything left in the open file ``fd``, whose size was ``size``: one read of that
    size (a large file in one buffer, not joined again from chunks), then to the end, for a
    file that grew or a read that came back short."""
    chunks = [os.read(fd, max(size, 0) + 1)]
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _token() -> str:
    """Eight random hex digits for a temp name: what ``secrets.token_hex(4)`` gives (it is
    ``os.urandom`` underneath), without importing secrets, hashlib, hmac and random (~3 ms)."""
    return os.urandom(4).hex()


def write_temp(target: Path, data: bytes, *, durable: bool = True) -> Path:
    """``data`` in a new private temp file beside ``target``, on disk before it returns unless
    not ``durable`` (a derived cache: a crash can only leave one that is rebuilt)."""
    tmp = target.parent / f".{target.name}{TEMP_MARK}{os.getpid()}-{_token()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if durable:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)
    return tmp


def replace_file(target: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``target`` atomically (raises OSError; the caller decides the message).
    Not ``durable``: no fsync, for a derived cache that a crash can at worst leave torn (it
    then fails to load and is rebuilt from the files, which are always written durably)."""
    tmp = write_temp(target, data, durable=durable)
    try:
        os.replace(tmp, target)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def link_old(target: Path) -> Path | None:
    """A hard link to ``target``'s current bytes (None when it does not exist yet), so a
    commit that fails half way can put the old file back."""
    if not target.exists():
        return None
    old = target.parent / f".{target.name}{TEMP_MARK}old-{_token()}"
    os.link(target, old)
    return old


def replace_one(tmp: Path, target: Path) -> None:
    """Rename one prepared temp file over its target. If any step fails, even the folder's
    fsync after the rename, the old file is put back: a failed command changes nothing."""
    old: Path | None = None
    replaced = False
    try:
        old = link_old(target)
        os.replace(tmp, target)
        replaced = True
        fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if replaced and old is not None:
                os.replace(old, target)
            elif replaced:
                target.unlink()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(os_reason(exc), hint=_(WRITE_HINT)) from exc
    finally:
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def os_reason(exc: OSError) -> str:
    reason = exc.strerror or exc
    if exc.filename:
        return _("{path}: could not write ({reason}); no file was changed").format(
            path=exc.filename, reason=reason
        )
    return _("could not write ({reason}); no file was changed").format(reason=reason)
