"""Many files' work on several cores: forked children that hand back bytes as they go.

`run` splits the items into contiguous chunks of about equal weight and forks a child for each. A child
runs the work function on each of its items and writes the bytes each returned, framed, through a pipe,
in batches; it never returns into the caller's code and leaves by `os._exit` (no atexit handler, no
flush of the parent's buffered output, no lock released twice). Meanwhile the parent hands each item's
bytes to its `take` function as they arrive (the loader rebuilds records from them, as a warm run does,
while the children parse). Only bytes cross: what they mean is the caller's affair (the loader sends
each file's load-cache entry, JSON data).

Nothing is lost and nothing hangs: an item whose work raised comes back as missing, and so does every
item a child did not deliver, whether it died, wrote something malformed or fell silent for SILENCE
seconds (it is then killed); the caller does those itself. Forking is done only where `os.fork` exists
and the process runs one thread, C threads counted (a fork copies locks another thread may hold); elsewhere, and for few
items, the caller stays serial. `QMS_LOAD_WORKERS` sets the number of children (0 or 1: serial).
"""

from __future__ import annotations

import os
import select
import signal
import struct
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

WORKERS_ENV = "QMS_LOAD_WORKERS"
MIN_ITEMS = 500  # below this, forking costs more than it saves
SILENCE = 300.0  # seconds a child may go without delivering anything before it is given up
_BATCH = 1 << 18  # bytes a child gathers before writing them
_PIPE = 1 << 20  # the pipe size asked for (Linux allows up to /proc/sys/fs/pipe-max-size, 1 MiB by default)
_MISSING = 0xFFFFFFFF  # frame length of an item whose work raised
_LEN = struct.Struct("<I")


def workers(items: int) -> int:
    """How many children should share `items` pieces of work: 0 means the caller does them all."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value:
        wanted = int(value) if value.isdigit() else 0
    elif items < MIN_ITEMS:
        return 0
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if wanted < 2 or not hasattr(os, "fork") or _threads() > 1:
        return 0
    return min(wanted, items, 64)


def _threads() -> int:
    """The threads of this process: on Linux every one, those a library started in C (DuckDB's pool, a JVM
    bridge) included, which `threading` does not see; elsewhere the Python ones."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def split(weights: Sequence[int], parts: int) -> list[range]:
    """Contiguous ranges of the items, of about equal total weight."""
    total = sum(weights)
    ranges, start, acc = [], 0, 0
    for part in range(1, parts):
        goal = total * part / parts
        end = start
        while end < len(weights) and acc + weights[end] / 2 <= goal:
            acc += weights[end]
            end += 1
        ranges.append(range(start, end))
        start = end
    ranges.append(range(start, len(weights)))
    return [r for r in ranges if r]


@dataclass
class _Child:
    pid: int
    fd: int
    items: range
    next: int  # the index of the next item expected from it
    failed: list[int] = field(default_factory=list)  # items whose work raised
    buffer: bytearray = field(default_factory=bytearray)
    heard: float = field(default_factory=time.monotonic)


def run(items: Sequence[T], work: Callable[[T], bytes], count: int, weights: Sequence[int],
        take: Callable[[int, bytes], None]) -> list[int]:
    """Run `work` over `items` in `count` forked children; `take(i, bytes)` each result in the parent as it
    arrives. Returns the indices of the items no child delivered, in order: the caller does those."""
    children: list[_Child] = []
    missing: list[int] = []
    try:
        for chunk in split(weights, count):
            try:
                children.append(_fork(items, chunk, work))
            except OSError:  # no more processes or memory for one: the caller does this chunk
                missing.extend(chunk)
        _gather(children, take)
    finally:
        _reap(children)
    for child in children:
        missing += child.failed
        missing.extend(range(child.next, child.items.stop))
    return sorted(missing)


def _gather(children: list[_Child], take: Callable[[int, bytes], None]) -> None:
    listening = {child.fd: child for child in children}
    while listening:
        now = time.monotonic()
        for fd, child in list(listening.items()):
            if now - child.heard > SILENCE:
                del listening[fd]  # killed by _reap; its undelivered items are done by the caller
        if not listening:
            return
        ready, _, _ = select.select(list(listening), [], [], 1.0)
        for fd in ready:
            child = listening[fd]
            data = os.read(fd, 1 << 20)
            if not data:
                del listening[fd]
                continue
            child.heard = time.monotonic()
            child.buffer += data
            _deliver(child, take)


def _deliver(child: _Child, take: Callable[[int, bytes], None]) -> None:
    """Hand over every complete frame in the child's buffer."""
    buffer, at = child.buffer, 0
    while child.next < child.items.stop and at + _LEN.size <= len(buffer):
        (length,) = _LEN.unpack_from(buffer, at)
        if length == _MISSING:
            at += _LEN.size
            child.failed.append(child.next)
            child.next += 1
            continue
        if at + _LEN.size + length > len(buffer):
            break
        take(child.next, bytes(buffer[at + _LEN.size:at + _LEN.size + length]))
        at += _LEN.size + length
        child.next += 1
    del buffer[:at]


def _reap(children: list[_Child]) -> None:
    """Close every pipe and wait for every child; one still running (given up, or the parent failed) is
    killed first."""
    for child in children:
        os.close(child.fd)
        try:
            if os.waitpid(child.pid, os.WNOHANG) == (0, 0):
                _kill(child.pid)
                os.waitpid(child.pid, 0)
        except ChildProcessError:
            pass


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _fork(items: Sequence[T], chunk: range, work: Callable[[T], bytes]) -> _Child:
    import fcntl  # POSIX, as fork is

    read_fd, write_fd = os.pipe()
    resize = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux: 1 MiB rather than 64 KiB, read in fewer pieces
    if resize is not None:
        try:
            fcntl.fcntl(write_fd, resize, _PIPE)
        except OSError:
            pass
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        raise
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_fd)
            _serve(items, chunk, work, write_fd)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    return _Child(pid, read_fd, chunk, chunk.start)


def _serve(items: Sequence[T], chunk: range, work: Callable[[T], bytes], fd: int) -> None:
    parts: list[bytes] = []
    size = 0
    for i in chunk:
        try:
            value: bytes | None = work(items[i])
        except Exception:  # noqa: BLE001 - the parent does this item again, and reports what it raises
            value = None
        parts.append(_LEN.pack(_MISSING if value is None else len(value)))
        if value is not None:
            parts.append(value)
            size += len(value)
        if size >= _BATCH:
            _write_all(fd, b"".join(parts))
            parts.clear()
            size = 0
    _write_all(fd, b"".join(parts))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
