"""Content-hash cache of loaded files in `.qms-cache/` (git-ignored).

A file's load result (its records, sources and findings) depends only on its
bytes and on the loader and schema code, so it is keyed by a hash of both. The
cache is one file per repository, a line of JSON per record file (FORMAT, below),
written atomically. It is data only
(load.codec rebuilds records through a fixed, code-side mapping and checks every
value), so a planted cache can at worst describe a file wrongly, never run code;
a damaged or foreign entry is ignored and its file parsed again. A cache that
git tracks (committed by mistake or on purpose) is neither read nor written, and
an oversized or irregular cache file is refused before it is read.

Between two full writes, a run that changed a few files writes only those entries, to a small journal
(`load-journal.json`) that names the cache file it amends; the cache file itself is rewritten once the
journal holds more than a twentieth of the entries. A run that will not rewrite it keeps no entry's text
once the entry is decoded: the records are then held once, not also as their cache text.

Like git's index, a file whose size, mtime, ctime and inode are unchanged since
it was hashed is not read again. A stamp is trusted only if the file's ctime was
already a second old when it was hashed: a write in the same clock tick as the
read could otherwise leave the stamp unchanged ("racy git"). ctime cannot be set
by tools that restore old mtimes, so a restored file is always re-hashed.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..atomic import CacheFile, replace_cache_file
from .cachedir import CACHE_DIR, tracked_by_git
from .codec import Invalid, Result, Uncacheable, decode_result, encode_packed
from .files import read_prefix, read_regular

CACHE_FILE = "load.cache"
JOURNAL_FILE = "load-journal.json"
JOURNAL_FORMAT = "qms-load-journal/1"
# The journal is folded into a new cache file once it holds more entries than this share of them (or than
# JOURNAL_MIN, for a small repository): a journal is rewritten whole on every run that changes something.
JOURNAL_SHARE = 0.05
JOURNAL_MIN = 200
# The file: a JSON head (format, code, id) on its first line, then a line per record file, "<path as a JSON
# string> TAB <content hash> TAB <stat stamp or -> TAB <its load result as JSON>". The file is read as one buffer
# and each result parsed from its span when its file is used: no entry is a string of its own, so nothing of
# the cache is left behind in memory once the buffer goes (at 100,000 records, 115 MB read and let go whole
# instead of a hundred thousand strings), and an unchanged entry is written back as the bytes it was read as.
# /4: that layout (/3 was one JSON document of strings).
FORMAT = "qms-load-cache/4"
# Far above a real cache (about 10 MB for 10,000 records); the file is held whole while its entries are decoded.
MAX_BYTES = 256 * 1024 * 1024
_HEAD_BYTES = 4096  # the head line (format, code and id) is far shorter
MAX_REPLACED = 1000  # results of edited files kept as they were before: an edit, not a checkout of another branch
_CODE_DIRS = ("model", "load", "rules")
_WRITTEN = True  # in place of an entry already written into the cache file being written
_IN_FILE = object()  # in place of an entry's text, decoded and let go: the cache file on disk still holds it
_CODE_FILES = ("findings.py",)
# Anything a hostile entry could make decoding raise; the entry is then ignored.
BAD_ENTRY = (Invalid, TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)


def _code_fingerprint() -> str:
    """Changes whenever the code that shapes a load result changes (so a stale cache is never used)."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    paths = [p for sub in _CODE_DIRS for p in sorted((package / sub).glob("*.py"))]
    for path in paths + [package / name for name in _CODE_FILES]:
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


def _read_bytes(path: Path) -> bytes | None:
    """The cache file's bytes: only a regular file (never through a link) within MAX_BYTES, else None."""
    try:
        return read_regular(path, MAX_BYTES, nofollow=True)
    except OSError:
        return None


def stamp_text(stamp: Stamp) -> str:
    """A stat stamp as the cache keeps it: one string, not a list of four numbers, for each of many files."""
    return f"{stamp[0]} {stamp[1]} {stamp[2]} {stamp[3]}"


def _spans(raw: bytes, start: int) -> dict[str, Any]:
    """The cache file's entry lines from `start`: rel -> [digest, stamp text or None, (start, end) of the result's
    JSON in `raw`]. A line of another shape is skipped (its file is parsed again); what it holds is checked when
    used, as any entry is."""
    entries: dict[str, Any] = {}
    find = raw.find
    size = len(raw)
    pos = start
    while pos < size:
        end = find(b"\n", pos)
        if end < 0:
            end = size
        t1 = find(b"\t", pos, end)  # a path is written as a JSON string: a tab in it is escaped
        t2 = find(b"\t", t1 + 1, end) if t1 >= 0 else -1
        t3 = find(b"\t", t2 + 1, end) if t2 >= 0 else -1
        if t3 >= 0:
            try:
                rel = orjson.loads(raw[pos:t1])
                digest = raw[t1 + 1:t2].decode("ascii")
                stamp = raw[t2 + 1:t3].decode("ascii")
            except (orjson.JSONDecodeError, UnicodeDecodeError):
                rel = None
            if type(rel) is str:
                entries[rel] = [digest, None if stamp == "-" else stamp, (t3 + 1, end)]
        pos = end + 1
    return entries


def _journal(path: Path, code: str, file_id: str) -> dict[str, Any]:
    """The journal's entries (rel -> [digest, stamp, text] or None) when it amends the cache file `file_id` made
    by this code; none when it is missing, damaged or another's."""
    raw = _read_bytes(path.with_name(JOURNAL_FILE))
    try:
        doc = orjson.loads(raw) if raw is not None else None
    except orjson.JSONDecodeError:
        return {}
    if type(doc) is not dict or doc.get("format") != JOURNAL_FORMAT or doc.get("code") != code \
            or doc.get("file") != file_id or type(doc.get("files")) is not dict:
        return {}
    return doc["files"]


def _write_journal(path: Path, code: str, file_id: str | None, files: dict[str, Any]) -> None:
    """Replace the journal amending the cache file `file_id` (never through a linked cache folder)."""
    doc = {"format": JOURNAL_FORMAT, "code": code, "file": file_id, "files": files}
    try:
        if not path.parent.is_symlink():
            replace_cache_file(path.with_name(JOURNAL_FILE), orjson.dumps(doc))
    except (OSError, orjson.JSONEncodeError):
        pass  # a read-only checkout still validates; it is only slower next time


class StoredEntries:
    """The load cache file and its journal as they are on disk, to look up or re-stamp a few entries without
    decoding them all (load.same_records): the file's head line and the journal are read first, the file's
    entries only if an entry is not in the journal. The caller checks that git does not track the cache."""

    def __init__(self, root: Path, head: bytes, file_id: str, code: str, journal: dict[str, Any]):
        self.root, self.head = root, head
        self.file_id, self.code, self.journal = file_id, code, journal
        self.raw: bytes | None = None

    @classmethod
    def open(cls, root: Path) -> StoredEntries | None:
        """None when there is no cache file, or other code made it."""
        path = root / CACHE_DIR / CACHE_FILE
        if os.path.islink(path.parent):
            return None
        try:
            first = read_prefix(path, MAX_BYTES, _HEAD_BYTES)
        except OSError:
            return None
        head_end = first.find(b"\n")
        try:
            head = orjson.loads(first[:head_end]) if head_end > 0 else None
        except orjson.JSONDecodeError:
            return None
        code = _code_fingerprint()
        if type(head) is not dict or head.get("format") != FORMAT or head.get("code") != code \
                or type(head.get("id")) is not str:
            return None
        return cls(root, first[:head_end + 1], head["id"], code, _journal(path, code, head["id"]))

    def entry(self, rel: str) -> tuple[str, bytes] | None:
        """The content hash and load result (its JSON) held for the file `rel`: the journal's, else the cache
        file's line; None when there is none."""
        if rel in self.journal:
            item = self.journal[rel]  # [digest, stamp, text], or None: the file is no longer in the cache
            ok = type(item) is list and len(item) == 3 and type(item[0]) is str and type(item[2]) is str
            return (item[0], item[2].encode()) if ok else None
        if self.raw is None:
            raw = _read_bytes(self.root / CACHE_DIR / CACHE_FILE)
            self.raw = raw if raw is not None and raw.startswith(self.head) else b""  # b"": replaced since
        start = self.raw.find(b"\n" + orjson.dumps(rel) + b"\t", len(self.head) - 1)  # its line: rel TAB ...
        if start < 0:
            return None
        end = self.raw.find(b"\n", start + 1)
        line = self.raw[start + 1:end if end >= 0 else len(self.raw)]
        found = _spans(line, 0).get(rel)
        if found is None:
            return None
        a, b = found[2]
        return found[0], line[a:b]

    def restamp(self, files: dict[str, tuple[str, Stamp, bytes]]) -> None:
        """Record through the journal that each file (-> its new content hash, its stamp, its load result)
        holds that result, as put() would have."""
        racy = time.time_ns() - _RACY_NS
        files_now = dict(self.journal)
        for rel, (digest, stamp, text) in files.items():
            files_now[rel] = [digest, stamp_text(stamp) if stamp[2] < racy else None, text.decode()]
        _write_journal(self.root / CACHE_DIR / CACHE_FILE, self.code, self.file_id, files_now)


class LoadCache:
    def __init__(self, root: Path, enabled: bool = True):
        self.path = root / CACHE_DIR / CACHE_FILE
        self.enabled = enabled
        self.code = _code_fingerprint() if enabled else ""
        # rel path -> [content digest (hex), trusted stat stamp (text) or None, the result's JSON: its span in
        # `buffer` (a pair), its text or bytes, or _IN_FILE once decoded]; entries read from the file are
        # checked when used. Results decoded or parsed this run are in `values`.
        self.entries: dict[str, Any] = {}
        self.buffer = b""
        self.values: dict[str, Any] = {}
        self.dirty = False
        self.root = root
        self.checked = False  # whether tracked_by_git has been asked
        # The cache file being written (put(stream=True) writes entries into it as they come), whether one may
        # be written (None: not yet asked), how many entries it holds, and whether it must be dropped.
        self.out: CacheFile | None = None
        self.writable: bool | None = None
        self.written = 0
        self.spoilt = False
        # The cache file read (its id, None when there is none) and the journal amending it: what save() writes
        # when it does not rewrite the cache file (`rewrite`), and then which entries it changed this run.
        self.file_id: str | None = None
        self.journal: dict[str, Any] = {}
        self.changed: set[str] = set()
        self.rewrite = True
        # The entries put() replaced by another content's: rel -> (the content hash, the load result's JSON) it
        # held before (rules.incremental compares an edited file's links with them).
        self.replaced: dict[str, tuple[str, bytes]] = {}
        if enabled:
            self._read(root)

    def _read(self, root: Path) -> None:
        if not os.path.lexists(self.path.parent):
            return
        self.checked = True
        if os.path.islink(self.path.parent) or tracked_by_git(root):
            self.enabled = False  # never trust, and never rewrite, what someone committed or linked
            return
        raw = _read_bytes(self.path)
        if raw is None:
            return
        head_end = raw.find(b"\n")
        try:
            doc = orjson.loads(raw[:head_end])
        except orjson.JSONDecodeError:
            return
        if type(doc) is dict and doc.get("format") == FORMAT and doc.get("code") == self.code \
                and type(doc.get("id")) is str and head_end > 0:
            self.buffer = raw
            self.entries = _spans(raw, head_end + 1)
            self.file_id = doc["id"]
            self._read_journal()
            self.rewrite = len(self.journal) > max(JOURNAL_MIN, JOURNAL_SHARE * len(self.entries))
            self.dirty = self.rewrite  # the journal is folded into a new cache file even if nothing changes now

    def _read_journal(self) -> None:
        """Lay the journal's entries over the cache file's, when it amends this very file."""
        self.journal = _journal(self.path, self.code, self.file_id or "")
        for rel, item in self.journal.items():
            if item is None:
                self.entries.pop(rel, None)  # the file was gone, or its result not cacheable
            else:
                self.entries[rel] = item

    def _entry(self, rel: str) -> list[Any] | None:
        item = self.entries.get(rel)
        if item is None or (type(item) is list and len(item) == 3 and type(item[0]) is str):
            return item
        self._drop(rel)
        return None

    def _drop(self, rel: str) -> None:
        del self.entries[rel]  # the file is parsed again, and put() writes a good entry
        self.values.pop(rel, None)
        self.dirty = True
        self.changed.add(rel)

    def _result(self, rel: str, item: list[Any]) -> Any | None:
        value = self.values.get(rel)
        if value is None:
            try:
                text = item[2]
                if type(text) is tuple:  # a span of the buffer (made by _spans: two ints)
                    text = memoryview(self.buffer)[text[0]:text[1]]
                elif type(text) is not str and type(text) is not bytes:
                    raise Invalid("a result is kept as its JSON text")
                value = self.values[rel] = decode_result(orjson.loads(text))
                if not self.rewrite and rel not in self.journal:
                    item[2] = _IN_FILE  # save() will not write it: the cache file keeps it
            except BAD_ENTRY:  # orjson.JSONDecodeError is a ValueError
                self._drop(rel)
        return value

    def unchanged(self, rel: str, stamp: Stamp) -> Any | None:
        """The cached result if the file's stat stamp says it cannot have changed."""
        item = self.entries.get(rel)
        if type(item) is list and len(item) == 3 and type(item[0]) is str:  # _entry(), inline: once per file
            return self._result(rel, item) if item[1] == stamp_text(stamp) else None
        return None if item is None else self._entry(rel)

    def get(self, rel: str, digest: bytes) -> Any | None:
        item = self._entry(rel)
        return self._result(rel, item) if item is not None and item[0] == digest.hex() else None

    def put(self, rel: str, digest: bytes, stamp: Stamp, value: Result, entry: bytes | None = None,
            stream: bool = False) -> None:
        """Keep `value`, the load result of the file `rel` whose bytes hash to `digest`. `entry` is its
        encoding (encode_packed) when it was made already; otherwise it is made here, once, which also packs
        the result's anchors (a record's positions are most of its memory). `stream`: write the entry into
        the cache file now rather than keep it until save (a cold run at scale need not hold them all)."""
        if not self.enabled:
            return
        trusted = stamp_text(stamp) if stamp[2] < time.time_ns() - _RACY_NS else None
        key = digest.hex()
        old = self._entry(rel)
        if old is not None and old[0] != key and len(self.replaced) < MAX_REPLACED:
            text = self._text(old[2])
            if text is not None:
                self.replaced[rel] = (old[0], bytes(text))
        if old is None or old[0] != key or old[1] != trusted:
            same = old is not None and old[0] == key and self.values.get(rel) is value and old[2] is not _IN_FILE
            if not same and entry is None:
                try:
                    entry = encode_packed(value)
                except Uncacheable:
                    entry = None  # parsed again on every run; only slower
            if old is not None and old[2] is _WRITTEN:
                self.spoilt = True  # its old entry is in the file already: the file is written afresh
            item = [key, trusted, old[2] if old is not None and same else entry]
            if stream and self.rewrite and type(item[2]) is bytes and self._write(rel, item):
                item[2] = _WRITTEN
            self.entries[rel] = item
            self.values[rel] = value
            self.dirty = True
            self.changed.add(rel)

    def hashed(self) -> dict[str, tuple[str, Any]]:
        """Each file's content hash (hex) and the stamp it was taken at (stamp_text; None when not trusted)."""
        return {rel: (item[0], item[1]) for rel, item in self.entries.items() if type(item) is list and len(item) == 3}

    def prune(self, keep: set[str]) -> None:
        stale = set(self.entries) - keep
        for rel in stale:
            del self.entries[rel]
        self.dirty |= bool(stale)
        self.changed |= stale

    def save(self) -> None:
        """Write the cache file (or finish the one being written), or only the journal (`rewrite` False):
        entries are JSON already (put, a child's output: load.parallel, or their bytes in the file read), so
        none is encoded twice, and the whole is never joined in memory."""
        if self.enabled and self.dirty and not self.rewrite:
            self._save_journal()
            return
        if not (self.enabled and self.dirty) or self.spoilt:
            self.close()
            if not (self.enabled and self.dirty):
                return
            self.writable = None  # the file is written afresh, from what is still held
        try:
            for rel, item in self.entries.items():
                if type(item) is list and len(item) == 3 and type(item[2]) in (str, bytes, tuple):
                    self._write(rel, item)  # a file only parsed again on every run when it fails: only slower
            if self.out is None and not self._open():
                return
            assert self.out is not None
            if self.out.size > MAX_BYTES:
                return  # it would be refused when read: this repository runs without a load cache
            self.out.commit()
            self.out = None
            self.path.with_name(JOURNAL_FILE).unlink(missing_ok=True)  # it amends the file just replaced
        except (OSError, orjson.JSONEncodeError):
            pass  # a read-only checkout still validates; it is only slower next time
        finally:
            self.close()

    def _save_journal(self) -> None:
        """Write the journal: every entry that differs from the cache file on disk (those it held already, and
        those changed this run), or null for a file no longer in it. Small: it is written whole."""
        files: dict[str, Any] = {}
        for rel in sorted(self.journal.keys() | self.changed):
            item = self.entries.get(rel)
            text = self._text(item[2]) if item is not None else None
            files[rel] = None if item is None or text is None else [item[0], item[1], text.decode()]  # None: parsed again
        if self.out is None:
            _write_journal(self.path, self.code, self.file_id, files)

    def close(self) -> None:
        """Drop a cache file being written and not saved."""
        if self.out is not None:
            self.out.discard()
            self.out = None
        self.writable, self.written, self.spoilt = False, 0, False

    def _text(self, held: object) -> bytes | None:
        """An entry's result as JSON bytes: its text, or its span of the buffer; None when it holds neither."""
        if type(held) is bytes:
            return held
        if type(held) is str:
            return held.encode()
        if type(held) is tuple:
            return self.buffer[held[0]:held[1]]
        return None

    def _write(self, rel: str, item: list[Any]) -> bool:
        """Append one entry's line to the cache file being written; False when none may be written."""
        text, digest, stamp = self._text(item[2]), item[0], item[1]
        if text is None or b"\n" in text or type(digest) is not str or not digest.isalnum() \
                or not (stamp is None or type(stamp) is str and stamp.replace(" ", "").isdigit()):
            return True  # not kept (an entry read from a journal may hold anything): parsed again next time
        if self.out is None and not self._open():
            return False
        assert self.out is not None
        try:
            self.out.write(b"".join((orjson.dumps(rel), b"\t", item[0].encode(), b"\t",
                                     (stamp or "-").encode(), b"\t", text, b"\n")))
        except OSError:
            self.close()  # entries written so far are lost: those files are parsed again next time
            return False
        self.written += 1
        return True

    def _open(self) -> bool:
        """Start the cache file (its head), where one may be written: not tracked by git, inside the repository."""
        if self.writable is None:
            self.writable = False
            if not self.enabled or (not self.checked and tracked_by_git(self.root)):
                return False
            self.checked = True
            try:
                folder = self.path.parent
                folder.mkdir(exist_ok=True)
                if folder.is_symlink():
                    return False  # written only inside the repository
                try:  # keeps the cache out of git; never follows a link planted in its place
                    fd = os.open(folder / ".gitignore",
                                 os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0))
                    os.write(fd, b"*\n")
                    os.close(fd)
                except FileExistsError:
                    pass
                (folder / "load.json").unlink(missing_ok=True)  # the cache file of format /3 and before
                self.out = CacheFile(self.path)
                head = {"format": FORMAT, "code": self.code, "id": os.urandom(12).hex()}
                self.out.write(orjson.dumps(head) + b"\n")
            except OSError:
                self.close()
                return False
            self.writable = True
        return self.out is not None
