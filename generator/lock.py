"""The repository lock: one writer at a time, so no edit is lost.

Every command that writes into the repository (`excel import`, `import …`, `approve`, `review`,
`capa draft`, `protocol run`, `baseline create`) holds an exclusive `flock` on `.qms.lock` at the
repository root (git-ignored) for the whole of its read-check-write: a second writer waits, then reads
what the first one wrote, so it sees the first one's change as a conflict instead of overwriting it.
It waits a bounded time (30 s, `QMS_LOCK_WAIT` seconds if set) and then refuses, naming the holder.
The kernel drops a flock when its process ends, so a killed command never leaves a stale lock; the
holder removes the file when it is done, so a repository whose .gitignore predates the lock is not left
with a stray file in its work tree (a waiter that then wins the removed file opens the new one).

`qms build` takes no lock: it writes only `output/` (git-ignored) through a private folder renamed into
place, reads each record file whole (writers rename files into place), and a dossier built while the
tree changed is marked dirty in its manifest and refused for release. Holding the lock for a whole
build would only make every writer time out behind it.

A flock belongs to an open file description, so a second acquisition in the same process (a protocol
run that invokes qms in-process) would wait on itself: the lock is re-entrant within a process, and a
thread-level lock keeps threads of one process from writing at the same time.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .findings import QmsError

if sys.platform != "win32":  # Windows has no flock; qms runs on POSIX systems
    import fcntl

LOCK_FILE = ".qms.lock"
WAIT_ENV = "QMS_LOCK_WAIT"
DEFAULT_WAIT = 30.0
_POLL = 0.05

_guard = threading.Lock()
_held: dict[str, tuple[threading.RLock, list[int]]] = {}  # real root -> (thread lock, [fd, depth])


def wait_seconds() -> float:
    value = os.environ.get(WAIT_ENV)
    if value is None:
        return DEFAULT_WAIT
    try:
        seconds = float(value)
    except ValueError:
        raise QmsError(f"{WAIT_ENV}={value!r} is not a number of seconds") from None
    if not 0 <= seconds <= 86_400:
        raise QmsError(f"{WAIT_ENV}={value!r}: give a wait between 0 and 86400 seconds")
    return seconds


def _open(path: Path) -> int:
    """The lock file, created if missing; never through a symbolic link, only a regular file."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise QmsError(f"{path} is a symbolic link; the repository lock is a plain file: remove the link "
                           "and run the command again") from None
        raise QmsError(f"cannot open the repository lock {path}: {err.strerror}; writing commands need a "
                       "repository they may write in") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise QmsError(f"{path} is not a regular file; remove it (qms recreates the repository lock) and run the "
                       "command again")
    return fd


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 512, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
    return "".join(c if c.isprintable() else "?" for c in text)[:200]


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _acquire(path: Path, what: str, wait: float) -> int:
    """A descriptor of the lock file holding its flock. The holder removes the file when it is done, so a
    lock won on a file already removed (or replaced) is a lock on nothing: open the current one again."""
    deadline = time.monotonic() + wait
    while True:
        fd = _open(path)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        holder = _holder(fd)
                        by = f" ({holder})" if holder else ""
                        raise QmsError(f"the repository is locked by another qms command{by}: waited {wait:g} s "
                                       f"for {path}; run `{what}` again when that command has finished (the lock "
                                       f"goes when its process ends; {WAIT_ENV} sets the wait in seconds)") from None
                    time.sleep(_POLL)
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    # Who holds it, for the message a waiting command prints; the file's content is only a note.
    note = f"pid {os.getpid()}: {what}\n".encode("utf-8", "replace")
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, note, 0)
    except OSError:
        pass
    return fd


def _release(fd: int, path: Path) -> None:
    """Remove the lock file (so no stray file is left in the work tree), then drop the flock."""
    try:
        if _same_file(fd, path):
            os.unlink(path)
    except OSError:
        pass  # a file left behind holds no lock; the next writer uses it
    finally:
        os.close(fd)


@contextmanager
def repository_lock(root: Path, what: str = "", enabled: bool = True) -> Iterator[None]:
    """Hold the repository lock of `root` for the block (re-entrant in this process); `enabled=False`
    (a dry run) holds nothing. QmsError (exit 2) if another process holds it longer than the wait."""
    if not enabled or sys.platform == "win32":
        yield
        return
    what = what or "qms " + " ".join(sys.argv[1:])
    real = Path(root).resolve()
    with _guard:
        entry = _held.setdefault(str(real), (threading.RLock(), [-1, 0]))
    thread_lock, state = entry
    wait = wait_seconds()
    if not thread_lock.acquire(timeout=max(wait, 0.001)):
        raise QmsError(f"the repository is locked by another writer in this process: waited {wait:g} s")
    try:
        if state[1] == 0:
            state[0] = _acquire(real / LOCK_FILE, what, wait)
        state[1] += 1
        try:
            yield
        finally:
            state[1] -= 1
            if state[1] == 0:
                fd, state[0] = state[0], -1
                _release(fd, real / LOCK_FILE)
    finally:
        thread_lock.release()
