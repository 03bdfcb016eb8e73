"""``--output FILE`` for ``export`` and ``digest``: one way to put a result in a file.

- ``-`` means standard output.
- A regular file (or a symlink to one) is replaced atomically (temp file 0600, fsync, rename);
  a symlink stays a link and its target is replaced. A new file is created 0600.
- A FIFO, a pipe, a terminal, the null device or a file this process already has open
  (``/dev/stdout``, ``/dev/fd/3``, ``/dev/null``) is written into directly: its type never
  changes.
- Any other device is refused, whatever name leads to it (``/dev/fd/../../dev/sda`` too): a
  disk (``/dev/sda``), a serial line, or a character device such as ``/dev/mem`` or
  ``/dev/watchdog``, which even opening can act on.
- A name that does not exist under ``/dev``, ``/proc`` or ``/sys`` is refused: an export never
  creates a regular file among the system's devices (``--output /dev/sdz``), and a regular
  file there is the kernel's, never replaced (``--output /proc/version``). ``/dev/shm`` is an
  ordinary folder.
- A folder is refused, so is a missing folder (it is never created), and so is any path inside
  the data home (an export must not replace or sit among the data files).
- Errors name the path the user gave and the real cause, never a temp file.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from hrtrust.errors import UsageError, WriteError
from hrtrust.locale import _
from hrtrust.storage.atomic import replace_file

STDOUT = "-"

# Paths that name an open file of this process, exactly as written (``/dev/fd/../..`` is not
# one): written into, never replaced.
_OWN_FD = re.compile(r"/dev/std(?:in|out|err)|/dev/fd/\d+|/proc/self/fd/\d+")
# Kernel file systems: nothing is ever created there (``/dev/shm`` is an ordinary tmpfs).
_SYSTEM_TREES = (Path("/dev"), Path("/proc"), Path("/sys"))
_ORDINARY = (Path("/dev/shm"),)
# Terminals a user may name: the controlling terminal and pseudo-terminals. Not serial lines
# (/dev/ttyS0, /dev/ttyUSB0), which opening can reset, nor the virtual consoles.
_TERMINAL = re.compile(r"/dev/tty|/dev/pts/\d+")


def check_output(option: str, home: Path) -> Path | None:
    """Validate ``--output`` before any work is done: None means standard output."""
    if option == STDOUT:
        return None
    if not option.strip() or "\x00" in option:
        raise UsageError(_("--output needs a file name (or - for standard output)"))
    path = Path(option).expanduser()
    try:
        st: os.stat_result | None = path.stat()  # follows a symlink to what it names
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UsageError(f"--output {path}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UsageError(_("--output {path} is a folder; give a file name").format(path=path))
    if path.is_symlink() and st is None:
        raise UsageError(
            _("--output {path} is a symlink to nothing ({target})").format(
                path=path, target=os.readlink(path)
            )
        )
    if st is not None and _refused_device(path, st):
        raise UsageError(
            _("--output {path} is a device, not a file").format(path=path),
            hint=_("give a file name, - for standard output, a terminal or /dev/null"),
        )
    # An existing regular file there is the kernel's (/proc/version, a /sys attribute): it is
    # never replaced, and a temp file could not be made beside it anyway.
    replaced = st is None or (stat.S_ISREG(st.st_mode) and not _names_own_fd(path))
    tree = _in_system_tree(path) if replaced else None
    if tree is not None:
        what = (
            _(
                "--output {path}: there is no such device, and hrtrust does not create files "
                "in {tree}"
            )
            if st is None
            else _(
                "--output {path}: it is one of the kernel's files, and hrtrust does not replace "
                "files in {tree}"
            )
        )
        raise UsageError(
            what.format(path=path, tree=tree),
            hint=_("give a file name elsewhere, or - for standard output"),
        )
    if st is None and not path.parent.is_dir():
        raise UsageError(
            _("--output {path}: the folder {folder} does not exist").format(
                path=path, folder=path.parent
            ),
            hint=_("create it first; hrtrust does not create folders for an export"),
        )
    if _inside(path, home):  # a file, a link into the home, or a FIFO planted there
        raise UsageError(
            _("--output {path} is inside the data home {home}").format(path=path, home=home),
            hint=_("write exports elsewhere; the data home holds only hrtrust's own files"),
        )
    return path


def write_output(path: Path | None, text: str) -> bool:
    """Write ``text`` (UTF-8) to the checked ``path``, or to standard output for None.

    True when a regular file was written (so a confirmation does not land in a pipe)."""
    data = text.encode("utf-8")
    if path is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return False
    try:
        st: os.stat_result | None = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if st is not None and (not stat.S_ISREG(st.st_mode) or _names_own_fd(path)):
        try:
            _write_into(path, data)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        return False
    try:
        target = Path(os.path.realpath(path)) if path.is_symlink() else path
        replace_file(target, data)
        return True
    except OSError as exc:
        raise WriteError(
            _("--output {path}: cannot write ({reason}); it was not changed").format(
                path=path, reason=exc.strerror or exc
            ),
            hint=_("check the folder exists, is writable and has free space"),
        ) from None


def _cannot_write(path: Path, exc: OSError) -> WriteError:
    return WriteError(
        _("--output {path}: cannot write ({reason})").format(path=path, reason=exc.strerror or exc)
    )


def _write_into(path: Path, data: bytes) -> None:
    """Write into a device, FIFO, pipe or already-open file, without creating or truncating
    anything that is not a regular file."""
    # O_APPEND: /dev/stdout redirected to a file (``>>``) keeps what is already there.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_NOCTTY", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _names_own_fd(path: Path) -> bool:
    return _OWN_FD.fullmatch(str(path)) is not None


def _refused_device(path: Path, st: os.stat_result) -> bool:
    """True for a device an export must not go to: any disk, and any character device but
    the null device, a terminal, or one of this process's own streams (named as such, or
    whatever device one of them is)."""
    if stat.S_ISBLK(st.st_mode):
        return True
    if not stat.S_ISCHR(st.st_mode) or _names_own_fd(path):
        return False
    own: set[int] = set()
    for fd in (0, 1, 2):
        try:
            stream = os.fstat(fd)
        except OSError:
            continue
        if stat.S_ISCHR(stream.st_mode):
            own.add(stream.st_rdev)
    try:
        own.add(os.stat(os.devnull).st_rdev)
    except OSError:
        pass
    return st.st_rdev not in own and _TERMINAL.fullmatch(os.path.realpath(path)) is None


def _in_system_tree(path: Path) -> Path | None:
    """The kernel tree (``/dev``, ``/proc``, ``/sys``) a path would be created in, if any."""
    real = Path(os.path.realpath(path))
    if any(real == o or o in real.parents for o in _ORDINARY):
        return None
    for tree in _SYSTEM_TREES:
        if real == tree or tree in real.parents:
            return tree
    return None


def _inside(path: Path, home: Path) -> bool:
    """True when ``path`` (existing or to be created) lies in the data home."""
    real = Path(os.path.realpath(path))
    real_home = Path(os.path.realpath(home))
    return real == real_home or real_home in real.parents
