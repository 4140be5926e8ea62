"""Writes that never leave a half-written file, and survive a crash once they return.

Every file goes to a temporary file beside its target, is flushed to disk (fsync), and is then
renamed into place (`write_bytes`) or hard-linked into place so that a file already there is never
replaced (`create_new`); the folder is synced too, so the rename itself is durable. A reader sees the
old file or the new one, never a mix, and a crash leaves at worst a stray `.name.*` temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform without directory handles: the rename is as durable as it gets there
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def stage(path: Path, data: bytes) -> Path:
    """`data` written and synced to a new temporary file beside `path` (readable as a normal file would be)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def put_in_place(staged: list[tuple[Path, Path]]) -> None:
    """Rename each staged (temporary, target) pair into place, then sync their folders."""
    for tmp, target in staged:
        os.replace(tmp, target)
    for folder in sorted({target.parent for _, target in staged}):
        _sync_folder(folder)


def write_bytes(path: Path, data: bytes) -> None:
    tmp = stage(path, data)
    try:
        put_in_place([(tmp, path)])
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


class CacheFile:
    """A cache file written in pieces beside its place, then put there atomically without the syncs (a reader
    never sees half a file, and a crash costs only the time to rebuild it), or dropped. The folder must exist
    (its owner checked it is no link)."""

    def __init__(self, path: Path):
        self.path = path
        fd, self.tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        self.file = os.fdopen(fd, "wb")
        self.size = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.size += len(data)

    def commit(self) -> None:
        try:
            self.file.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        self.file.close()
        Path(self.tmp).unlink(missing_ok=True)


def replace_cache_file(path: Path, data: bytes) -> None:
    """Replace a cache file atomically, without the syncs (CacheFile)."""
    out = CacheFile(path)
    try:
        out.write(data)
    except BaseException:
        out.discard()
        raise
    out.commit()


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def create_new(path: Path, data: bytes) -> None:
    """Write `data` to a new file at `path`; FileExistsError if anything is there (it is left alone)."""
    tmp = stage(path, data)
    try:
        try:
            os.link(tmp, path)  # atomic, and never replaces
        except FileExistsError:
            raise
        except OSError:
            # No hard links on this file system: an exclusive create, written and synced before return.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _sync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)
