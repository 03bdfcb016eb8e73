"""The lock every write takes (storage/lock.py): exclusive between processes and between two
opens in one process, re-entrant on one object, gone with its holder, never through a link or
on a file that is not regular, taken again on a replaced file, a parent's alone after a fork,
and shared with filelock, which hrtrust locked with before (the same flock on the same file)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hrtrust.storage.lock import FileLock, LockTimeout, NotAFile

# A holder in another process: prints "held", keeps the lock until its stdin closes.
HOLD = {
    "hrtrust": """
import sys
from hrtrust.storage.lock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire(5)
print("held", flush=True)
sys.stdin.read()
lock.release()
""",
    "filelock": """
import sys, filelock
lock = filelock.FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()
lock.release()
""",
}

# Try to take the lock in another process: prints "got" or "timeout".
TRY = {
    "hrtrust": """
import sys
from hrtrust.storage.lock import FileLock, LockTimeout
lock = FileLock(sys.argv[1])
try:
    lock.acquire(float(sys.argv[2]))
except LockTimeout:
    print("timeout")
else:
    print("got")
""",
    "filelock": """
import sys, filelock
try:
    filelock.FileLock(sys.argv[1]).acquire(timeout=float(sys.argv[2]))
except filelock.Timeout:
    print("timeout")
else:
    print("got")
""",
}


def try_in_another_process(path: Path, timeout: float = 0, using: str = "hrtrust") -> str:
    out = subprocess.run(
        [sys.executable, "-c", TRY[using], str(path), str(timeout)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return out.stdout.strip()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".lock"


class Holder:
    """A process holding the lock until stopped (or killed)."""

    def __init__(self, path: Path, using: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", HOLD[using], str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline() == "held\n"

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def holder(path: Path, request: pytest.FixtureRequest) -> Iterator[Holder]:
    h = Holder(path, request.param)
    try:
        yield h
    finally:
        if h.proc.poll() is None:
            h.stop()


@pytest.mark.parametrize("holder", ["hrtrust", "filelock"], indirect=True)
def test_a_holder_in_another_process_keeps_it_until_it_lets_go(path: Path, holder: Holder) -> None:
    lock = FileLock(path)
    start = time.monotonic()
    with pytest.raises(LockTimeout):
        lock.acquire(0.2)
    assert 0.2 <= time.monotonic() - start < 5  # it waited, then gave up
    with pytest.raises(LockTimeout):
        lock.acquire(0)  # tried once
    holder.stop()
    lock.acquire(0)
    assert lock.is_locked
    lock.release()


@pytest.mark.parametrize("holder", ["hrtrust"], indirect=True)
def test_a_killed_holder_leaves_no_lock_behind(path: Path, holder: Holder) -> None:
    with pytest.raises(LockTimeout):
        FileLock(path).acquire(0)
    holder.proc.send_signal(signal.SIGKILL)
    holder.proc.wait(timeout=10)
    lock = FileLock(path)
    lock.acquire(0)
    lock.release()


@pytest.mark.parametrize("using", ["hrtrust", "filelock"])
def test_while_held_here_no_other_process_takes_it(path: Path, using: str) -> None:
    lock = FileLock(path)
    lock.acquire(0)
    assert try_in_another_process(path, 0.1, using) == "timeout"
    lock.release()
    assert try_in_another_process(path, 0, using) == "got"


def test_it_is_re_entrant_on_one_object_and_exclusive_between_two(path: Path) -> None:
    one, two = FileLock(path), FileLock(path)
    one.acquire(0)
    one.acquire(0)  # the holder takes it again without waiting on itself
    with pytest.raises(LockTimeout):
        two.acquire(0)  # another open of the file, in this process: excluded
    one.release()
    assert one.is_locked  # one acquire still to give back
    assert try_in_another_process(path) == "timeout"
    with pytest.raises(LockTimeout):
        two.acquire(0)
    one.release()
    assert not one.is_locked
    two.acquire(0)
    two.release()
    one.release()  # releasing what is not held does nothing
    assert try_in_another_process(path) == "got"


def test_closing_another_descriptor_of_the_file_does_not_drop_it(path: Path) -> None:
    """What ``fcntl``/``lockf`` record locks get wrong: they belong to the process, and any
    close of the file drops them. A flock belongs to the open file it was taken on."""
    lock = FileLock(path)
    lock.acquire(0)
    with path.open("rb"):  # e.g. doctor looking at the file
        pass
    assert try_in_another_process(path) == "timeout"
    lock.release()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=25))
def test_acquires_and_releases_on_several_objects_match_a_model(
    tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[int, bool]]
) -> None:
    path = tmp_path_factory.mktemp("lock") / ".lock"
    locks = [FileLock(path) for _ in range(3)]
    depth = [0, 0, 0]
    try:
        for i, take in steps:
            owner = next((j for j, d in enumerate(depth) if d), None)
            if take:
                if owner in (None, i):
                    locks[i].acquire(0)
                    depth[i] += 1
                else:
                    with pytest.raises(LockTimeout):
                        locks[i].acquire(0)
            else:
                locks[i].release()
                depth[i] = max(depth[i] - 1, 0)
            assert [lock.is_locked for lock in locks] == [d > 0 for d in depth]
    finally:
        for i, d in enumerate(depth):
            for _ in range(d):
                locks[i].release()
    assert try_in_another_process(path) == "got"


def test_a_forked_child_neither_releases_its_parents_lock_nor_takes_it(path: Path) -> None:
    lock = FileLock(path)
    lock.acquire(0)
    pid = os.fork()
    if pid == 0:  # the child: a cache worker, say
        code = 0
        try:
            lock.release()  # not the child's to give back
            try:
                lock.acquire(0)
                code = 3  # took the lock its parent holds
            except LockTimeout:
                pass
        except BaseException:
            code = 4
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert lock.is_locked
    assert try_in_another_process(path) == "timeout"  # still held after the child is gone
    lock.release()


def test_a_release_lets_go_while_a_forked_child_still_has_the_file_open(path: Path) -> None:
    lock = FileLock(path)
    lock.acquire(0)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child keeps its copy of the descriptor until the parent says
        os.close(write)
        os.read(read, 1)
        os._exit(0)
    os.close(read)
    try:
        lock.release()
        assert try_in_another_process(path) == "got"
    finally:
        os.close(write)
        os.waitpid(pid, 0)


def start_waiter(path: Path, timeout: float) -> subprocess.Popen[str]:
    """A process waiting for the lock, once it has the file open."""
    waiter = subprocess.Popen(
        [sys.executable, "-c", TRY["hrtrust"], str(path), str(timeout)],
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 10
    while not _opened_by(waiter.pid, path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _opened_by(waiter.pid, path)
    return waiter


def test_a_waiter_takes_the_file_made_again_once_it_is_free(path: Path) -> None:
    old = FileLock(path)
    old.acquire(0)
    waiter = start_waiter(path, 5)
    try:
        path.unlink()  # removed while held; nobody holds the file made next
        old.release()
        out, _ = waiter.communicate(timeout=30)
        assert out.strip() == "got"
        assert path.is_file()  # it locked a file at the path, not the removed one
    finally:
        if waiter.poll() is None:
            waiter.kill()
            waiter.wait()


@pytest.mark.parametrize("how", ["removed", "moved aside"])
def test_a_file_replaced_while_waiting_is_locked_anew(path: Path, how: str) -> None:
    """A waiter that opened the old file must not hold it while someone holds the new one."""
    old = FileLock(path)
    old.acquire(0)
    waiter = start_waiter(path, 3)
    try:
        if how == "removed":  # doctor's hint for a lock that is not a file
            path.unlink()
        else:  # the old file still has a link: only its identity tells it apart
            path.rename(path.with_name("aside"))
        new = FileLock(path)
        new.acquire(0)
        old.release()  # the waiter now gets the old, removed file: it must look again
        out, _ = waiter.communicate(timeout=30)
        assert out.strip() == "timeout"  # the new file is held the whole time
        new.release()
    finally:
        if waiter.poll() is None:
            waiter.kill()
            waiter.wait()


def _opened_by(pid: int, path: Path) -> bool:
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd) == str(path) for fd in fds.iterdir())
    except OSError:
        return False


def test_a_symlink_is_never_followed(path: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    path.symlink_to(target)  # dangling: following it would create the target
    with pytest.raises(OSError):
        FileLock(path).acquire(0)
    assert not target.exists()
    target.write_text("keep", encoding="utf-8")
    target.chmod(0o644)
    with pytest.raises(OSError):
        FileLock(path).acquire(0)
    assert target.read_text(encoding="utf-8") == "keep"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_fifo_or_folder_is_refused_without_hanging(path: Path) -> None:
    os.mkfifo(path)
    with pytest.raises(NotAFile, match="not a regular file"):
        FileLock(path).acquire(0)
    path.unlink()
    path.mkdir()
    with pytest.raises(OSError):
        FileLock(path).acquire(0)


@pytest.mark.parametrize("umask", [0, 0o022, 0o277])
def test_a_file_it_creates_is_private_whatever_the_umask(path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        lock = FileLock(path)
        lock.acquire(0)
        lock.release()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_that_exists_is_left_as_it_is(path: Path, tmp_path: Path) -> None:
    """Taking a lock changes no file: a lock file left readable (doctor reports it, --fix
    mends it), or another file hard-linked at the lock's path, keeps its mode."""
    path.touch(mode=0o644)
    path.chmod(0o644)
    lock = FileLock(path)
    lock.acquire(0)
    lock.release()
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    path.unlink()
    other = tmp_path / "notes.txt"
    other.write_text("keep", encoding="utf-8")
    other.chmod(0o644)
    os.link(other, path)
    lock.acquire(0)
    lock.release()
    assert stat.S_IMODE(other.stat().st_mode) == 0o644
    assert other.read_text(encoding="utf-8") == "keep"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_says_why_and_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            FileLock(folder / ".lock").acquire(0)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_no_descriptor_is_left_open(path: Path, tmp_path: Path) -> None:
    before = len(os.listdir("/proc/self/fd"))
    lock = FileLock(path)
    for _ in range(50):
        lock.acquire(0)
        lock.acquire(0)
        lock.release()
        lock.release()
    other = FileLock(path)
    lock.acquire(0)
    for _ in range(20):
        with pytest.raises(LockTimeout):
            other.acquire(0)
    lock.release()
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotAFile):
        FileLock(tmp_path / "fifo").acquire(0)
    assert len(os.listdir("/proc/self/fd")) == before


COUNT = """
import sys
from pathlib import Path
from hrtrust.storage.lock import FileLock
lock, counter = FileLock(sys.argv[1]), Path(sys.argv[2])
for _ in range(int(sys.argv[3])):
    lock.acquire(30)
    n = int(counter.read_text())
    counter.write_text(str(n + 1))  # read, then write: two steps another writer could split
    lock.release()
"""


def test_writers_in_several_processes_never_interleave(path: Path, tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    procs = [
        subprocess.Popen([sys.executable, "-c", COUNT, str(path), str(counter), "150"])
        for _ in range(4)
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    assert counter.read_text() == "600"


FORK_AND_HOLD = """
import os, sys, time
from hrtrust.storage.lock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire(5)
if os.fork() == 0:  # a worker that outlives its parent, holding what it inherited
    time.sleep(60)
    os._exit(0)
print("held", flush=True)
sys.stdin.read()
"""


def test_the_lock_dies_with_its_holder_even_if_a_forked_worker_lives_on(path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", FORK_AND_HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert try_in_another_process(path) == "timeout"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        assert try_in_another_process(path) == "got"  # the worker still runs
    finally:
        os.killpg(holder.pid, signal.SIGKILL)  # the worker too
        holder.wait()


def test_a_file_that_keeps_changing_gives_up_at_the_timeout_and_leaks_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import lock as lock_module

    tries: list[int] = []

    def never_the_same(fd: int, where: str) -> bool:
        tries.append(fd)
        return False  # as if the file were replaced after every lock

    monkeypatch.setattr(lock_module, "_is_the_file", never_the_same)
    before = len(os.listdir("/proc/self/fd"))
    lock = FileLock(path)
    start = time.monotonic()
    with pytest.raises(LockTimeout):
        lock.acquire(0.2)
    assert time.monotonic() - start < 5
    assert len(tries) >= 1
    with pytest.raises(LockTimeout):
        lock.acquire(0)
    assert not lock.is_locked
    assert len(os.listdir("/proc/self/fd")) == before
    monkeypatch.undo()
    assert try_in_another_process(path) == "got"  # nothing was left holding it


def test_an_interrupt_just_after_the_flock_leaves_nothing_held(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hrtrust.storage import lock as lock_module

    def interrupted(fd: int, where: str) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr(lock_module, "_is_the_file", interrupted)
    before = len(os.listdir("/proc/self/fd"))
    lock = FileLock(path)
    with pytest.raises(KeyboardInterrupt):
        lock.acquire(0)
    assert not lock.is_locked
    assert len(os.listdir("/proc/self/fd")) == before
    assert try_in_another_process(path) == "got"
