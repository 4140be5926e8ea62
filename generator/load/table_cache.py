"""Parquet copies of the bulk production tables in `.qms-cache/tables/`, one folder per source content.

A folder is named by the SHA-256 of the source's bytes (and of the code that shapes the tables), so a
changed file gets a new folder and an unchanged one is read from Parquet alone. Parquet is data: a
planted folder can at worst describe a file wrongly, never run code. As for the load cache, a cache
that git tracks is neither read nor written (the tables then go to a temporary folder for this run),
and a file whose size, mtime, ctime and inode are unchanged since it was hashed (ctime a second old
then) is not hashed again.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from .bulk_checks import CHECK_COLUMNS
from .cache import _RACY_NS, CACHE_DIR, file_stamp, tracked_by_git
from .columnar import TABLES

if TYPE_CHECKING:
    import duckdb

FORMAT = b"qms-tables/5"  # /5: suspect rows are the record loader's (load.bulk_checks)
_SHAPING = ("load/columnar.py", "load/bulk_checks.py", "load/tabular.py", "load/records.py", "load/yamlfile.py",
            "load/repo.py", "analysis/genealogy.py", "analysis/genealogy_engines.py")
MANIFEST = "manifest.json"
# Every Parquet file a folder may hold, with its columns in order (the narrow tables, then the checks' own).
COLUMNS: dict[str, tuple[str, ...]] = {
    **{name: (*columns, "rn") for name, columns in TABLES.items()},
    **{name: tuple(columns) for name, columns in CHECK_COLUMNS.items()},
}


def _code() -> bytes:
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(FORMAT)
    for rel in _SHAPING:
        h.update((package / rel).read_bytes())
    return h.digest()


class TableCache:
    def __init__(self, root: Path):
        self.root = root
        if tracked_by_git(root):
            self.dir = Path(tempfile.mkdtemp(prefix="qms-tables-"))
            atexit.register(shutil.rmtree, self.dir, True)
            self.stamps_file = None
        else:
            self.dir = root / CACHE_DIR / "tables"
            self.stamps_file = self.dir / "stamps.json"
        self._code = _code()
        self._stamps: dict[str, list] = {}
        self._changed = False
        if self.stamps_file is not None and self.stamps_file.is_file() and \
                self.stamps_file.stat().st_size < 16 * 1024 * 1024:
            try:
                loaded = orjson.loads(self.stamps_file.read_bytes())
                if isinstance(loaded, dict):
                    self._stamps = loaded
            except orjson.JSONDecodeError:
                pass

    def digest(self, rel: str) -> str:
        """SHA-256 of the file's bytes, from its stamp when it is unchanged since it was hashed."""
        path = self.root / rel
        stamp = list(file_stamp(path))
        known = self._stamps.get(rel)
        if isinstance(known, list) and len(known) == 5 and known[:4] == stamp and isinstance(known[4], str):
            return known[4]
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        digest = h.hexdigest()
        if time.time_ns() - stamp[2] >= _RACY_NS:  # a write in this clock tick could leave the stamp as it is
            self._stamps[rel] = [*stamp, digest]
            self._changed = True
        return digest

    def folder(self, *digests: str) -> Path:
        h = hashlib.sha256(self._code)
        for d in digests:
            h.update(d.encode())
        return self.dir / h.hexdigest()

    def staging(self, final: Path) -> Path:
        final.parent.mkdir(parents=True, exist_ok=True)
        top = self.root / CACHE_DIR
        if final.is_relative_to(top):  # keeps the cache out of git; never follows a link planted in its place
            try:
                fd = os.open(top / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0))
                os.write(fd, b"*\n")
                os.close(fd)
            except OSError:
                pass
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=final.parent))

    def sound(self, con: duckdb.DuckDBPyConnection, final: Path) -> bool:
        """Whether `final` holds what a build wrote there: its manifest's files, no other, each with the hash
        it was written with, each Parquet file readable with its table's columns. Anything else (a
        truncated or replaced file, a planted one, a folder left half-deleted) is moved aside and rebuilt."""
        if not final.exists() and not final.is_symlink():
            return False
        if final.is_dir() and not final.is_symlink() and self._matches(con, final):
            return True
        aside = final.with_name(f".broken-{os.getpid()}-{final.name}")
        try:
            os.rename(final, aside)
        except OSError:
            return False  # another run moved it first; the caller builds and publishes anew
        if aside.is_dir() and not aside.is_symlink():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            aside.unlink(missing_ok=True)
        return False

    def _matches(self, con: duckdb.DuckDBPyConnection, folder: Path) -> bool:
        import duckdb

        manifest = folder / MANIFEST
        try:
            if manifest.is_symlink() or manifest.stat().st_size > 1 << 20:
                return False
            listed = orjson.loads(manifest.read_bytes())
            present = {p.name for p in folder.iterdir()} - {MANIFEST}
        except (OSError, orjson.JSONDecodeError):
            return False
        if not isinstance(listed, dict) or set(listed) != present:
            return False
        for name, digest in listed.items():
            path = folder / name
            if path.is_symlink() or not path.is_file() or self.digest(str(path)) != digest:
                return False
            columns = COLUMNS.get(name.removesuffix(".parquet")) if name.endswith(".parquet") else ()
            if columns is None:
                return False
            if columns:
                try:
                    got = con.execute("SELECT * FROM read_parquet(?) LIMIT 0", [str(path)]).description
                except duckdb.Error:
                    return False
                if tuple(d[0] for d in got) != columns:
                    return False
        return True

    def publish(self, staged: Path, final: Path) -> None:
        """Made visible whole (rename), so a reader never sees half a folder; its manifest lists every file's hash."""
        listed = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(staged.iterdir())}
        (staged / MANIFEST).write_bytes(orjson.dumps(listed))
        try:
            os.rename(staged, final)
        except OSError:  # another run published it first
            shutil.rmtree(staged, ignore_errors=True)

    def save(self) -> None:
        if self._changed and self.stamps_file is not None:
            tmp = self.stamps_file.with_name(f".stamps-{os.getpid()}.json")
            tmp.write_bytes(orjson.dumps(self._stamps))
            os.replace(tmp, self.stamps_file)
