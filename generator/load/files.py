"""Reading a file's bytes from a repository: only a regular file, and only after its size is known.

A FIFO would block a read forever, a character device (/dev/zero) never ends, and a file far larger
than its format allows would be read whole before being refused. So the path is stat'ed first (a
device is never even opened), opened non-blocking (a FIFO swapped in after the stat cannot block),
checked again on the open descriptor, and read no further than the limit for its format.
"""

from __future__ import annotations

import os
import stat

# Per-format ceilings on a file's size, checked before reading. A YAML record has its own (yamlfile.MAX_BYTES).
MAX_TABLE_BYTES = 512 << 20  # a records workbook or CSV export: a million rows fit well below this
MAX_DATA_BYTES = 256 << 20  # a logger export or another data file a record names
MAX_EVIDENCE_BYTES = 4 << 30  # an evidence document (a report with photographs): hashed in chunks, never held whole

_KINDS = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
)
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class Refused(OSError):
    """Not a regular file, or larger than the reader takes; `strerror` says which, `size` is set when too large."""

    def __init__(self, reason: str, size: int | None = None, limit: int = 0):
        super().__init__(0, reason)
        self.size = size
        self.limit = limit


def check_regular(st: os.stat_result, limit: int) -> None:
    """Raise Refused unless `st` is a regular file of at most `limit` bytes."""
    if not stat.S_ISREG(st.st_mode):
        what = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise Refused(f"it is {what}, not a regular file")
    if st.st_size > limit:
        raise Refused(f"it is {st.st_size:,} bytes; at most {limit:,} are read", st.st_size, limit)


def read_regular(path: str | os.PathLike[str], limit: int, nofollow: bool = False) -> bytes:
    """The bytes of the regular file at `path`, refused (Refused, an OSError) before any read if it is
    not one or is larger than `limit`. `nofollow`: the last component must not be a symbolic link."""
    check_regular(os.stat(path), limit)
    flags = _FLAGS | (getattr(os, "O_NOFOLLOW", 0) if nofollow else 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        check_regular(st, limit)  # the file opened may not be the one stat'ed
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(max(st.st_size - total, 0) + 1, limit + 1 - total) or 1)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise Refused(f"it grew past {limit:,} bytes while being read", total, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_prefix(path: str | os.PathLike[str], limit: int, size: int) -> bytes:
    """The first `size` bytes (fewer if it is shorter) of the regular file at `path`, checked as read_regular
    checks it (never through a symbolic link)."""
    check_regular(os.stat(path, follow_symlinks=False), limit)
    fd = os.open(path, _FLAGS | getattr(os, "O_NOFOLLOW", 0))
    try:
        check_regular(os.fstat(fd), limit)
        return os.read(fd, size)
    finally:
        os.close(fd)


def sha256_regular(path: str | os.PathLike[str], limit: int, nofollow: bool = False) -> str:
    """The SHA-256 (hex) of the regular file at `path`, checked as read_regular checks it and read in
    chunks, so a large report is hashed without being held in memory."""
    import hashlib

    check_regular(os.stat(path), limit)
    fd = os.open(path, _FLAGS | (getattr(os, "O_NOFOLLOW", 0) if nofollow else 0))
    try:
        check_regular(os.fstat(fd), limit)
        digest, total = hashlib.sha256(), 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:
                raise Refused(f"it grew past {limit:,} bytes while being read", total, limit)
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        os.close(fd)
