"""Content-hash cache of loaded files in `.qms-cache/` (git-ignored).

A file's load result (its records, sources and findings) depends only on its
bytes and on the loader and schema code, so it is keyed by a hash of both. The
cache is one pickle per repository, written atomically; a damaged or foreign
cache is ignored, never trusted.

Like git's index, a file whose size, mtime, ctime and inode are unchanged since
it was hashed is not read again. A stamp is trusted only if the file's ctime was
already a second old when it was hashed: a write in the same clock tick as the
read could otherwise leave the stamp unchanged ("racy git"). ctime cannot be set
by tools that restore old mtimes, so a restored file is always re-hashed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

from .. import __version__

CACHE_DIR = ".qms-cache"
_CODE_DIRS = ("model", "load", "rules")


def _code_fingerprint() -> str:
    """Changes whenever the code that shapes a load result changes (so a stale cache is never used)."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for sub in _CODE_DIRS:
        for path in sorted((package / sub).glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def content_hash(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


Stamp = tuple[int, int, int, int]
_RACY_NS = 1_000_000_000


def file_stamp(path: str | Path) -> Stamp:
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class LoadCache:
    def __init__(self, root: Path, enabled: bool = True):
        self.path = root / CACHE_DIR / "load.pickle"
        self.enabled = enabled
        self.code = _code_fingerprint() if enabled else ""
        # rel path -> (content hash, trusted stat stamp or None, load result)
        self.entries: dict[str, tuple[bytes, Stamp | None, Any]] = {}
        self.dirty = False
        if enabled:
            self._read()

    def _read(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                code, entries = pickle.load(fh)
        except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return
        if code == self.code and isinstance(entries, dict):
            self.entries = entries

    def unchanged(self, rel: str, stamp: Stamp) -> Any | None:
        """The cached result if the file's stat stamp says it cannot have changed."""
        hit = self.entries.get(rel)
        return hit[2] if hit is not None and hit[1] == stamp else None

    def get(self, rel: str, digest: bytes) -> Any | None:
        hit = self.entries.get(rel)
        return hit[2] if hit is not None and hit[0] == digest else None

    def put(self, rel: str, digest: bytes, stamp: Stamp, value: Any) -> None:
        if not self.enabled:
            return
        trusted = stamp if stamp[2] < time.time_ns() - _RACY_NS else None
        old = self.entries.get(rel)
        if old is None or old[0] != digest or old[1] != trusted:
            self.entries[rel] = (digest, trusted, value)
            self.dirty = True

    def prune(self, keep: set[str]) -> None:
        stale = set(self.entries) - keep
        for rel in stale:
            del self.entries[rel]
        self.dirty |= bool(stale)

    def save(self) -> None:
        if not (self.enabled and self.dirty):
            return
        try:
            self.path.parent.mkdir(exist_ok=True)
            gitignore = self.path.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("*\n")
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".load-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((self.code, self.entries), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout still validates; it is only slower next time
