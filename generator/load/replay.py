"""Replaying a `qms validate` result when nothing it can depend on has changed.

The result is stored beside the load cache (`.qms-cache/validate.json`, git-ignored) as data only:
findings as lists of strings and numbers, rebuilt into Finding objects through a fixed shape, so a
planted file can at worst claim wrong findings for inputs it describes, never run code. A cache that
git tracks is neither read nor written, as for the load cache.

THE KEY: a stored result is replayed only if every part of it is unchanged.
  1. Every file of the repository but `.git` and `.qms-cache` (records, specs, protocols, features,
     evidence, logger exports, document-numbers.yaml, qms.yaml, files records name ...): the same set of
     paths, and each file's content hash (blake2b). As in git's index, a file whose size, mtime, ctime
     and inode equal a stamp that was already a second old when stored is not read again; any other
     file is read and hashed. Files over MAX_HASHED bytes and non-regular files count by stamp only.
  2. Git (when the repository is in a work tree): the HEAD commit (the history the audit-trail, author
     and signature rules read is what HEAD reaches), the shallow and graft files and replace refs
     (history gaps), the repository's git config and the user's and system's git config (signature
     verification settings), and GIT_* / GNUPG* environment variables. No rule reads the index.
     A result whose approvals carry OpenPGP or X.509 signatures is not stored: their verdict depends
     on a keyring outside the repository. (SSH signatures are checked against keys the records hold.)
  3. The as-of date, and the options that change findings (none yet besides `--no-cache`, which
     neither reads nor writes this file; the output format is applied when printing).
  4. The code: every file of the `generator` package, the Python version, and the names (with
     versions) of the installed distributions in site-packages.
  5. The clock: QMS612 compares signing times with now; a result holding a signing time still in the
     future is replayed only until that time minus the rule's clock skew (`valid_until`).
Beside it, `rules.json` (RuleCache, below) keeps each rule's footprint and findings for the incremental run
that follows an edit of record files (rules/incremental.py).
A file changed within the second before the run (its stamp cannot be trusted: "racy git") is keyed by the
hash of the bytes the loader read, and hashed again on the next run; the result is not stored when such a
file is one the loader did not read, nor when one of those changed while it ran. (A file the loader
read at the walked stamp is keyed by the hash of the very bytes it read; a file changed, added or
removed during the run shows as a different stamp or set of paths on the next run.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from ..atomic import replace_cache_file
from ..findings import Finding, Location
from ..repo_root import MARKER
from .cachedir import CACHE_DIR, tracked_by_git
from .files import check_regular, read_regular

CACHE_FILE = "validate.json"
FORMAT = "qms-validate-cache/2"
MAX_BYTES = 256 * 1024 * 1024  # the cache file itself; far above a real one
MAX_HASHED = 64 * 1024 * 1024  # larger files (evidence reports) are keyed by their stamp alone
_SKIP = {".git", CACHE_DIR}
_RACY_NS = 1_000_000_000

Stamp = tuple[int, int, int, int]
Files = dict[str, Stamp]


def digest(raw: bytes) -> str:
    """The content hash the load cache uses too (blake2b, 16 bytes, hex)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def walk(root: Path, links: set[str] | None = None) -> Files:
    """Every file under `root` but .git and .qms-cache, with its stat stamp (links are not followed; their
    paths are added to `links` when given)."""
    found: Files = {}
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # an unreadable folder is the loader's to report; it counts as empty here
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in _SKIP:
                        pending.append((entry.path, rel + "/"))
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not prefix and entry.name in _SKIP:
                continue  # .git as a file (a linked work tree)
            found[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            if links is not None and stat.S_ISLNK(st.st_mode):
                links.add(rel)
    return found


def _stamp_text(stamp: Stamp) -> str:
    return " ".join(map(str, stamp))  # one string per file: parsed several times faster than nested lists


def _hash_file(root: Path, rel: str) -> str | None:
    """Content hash of a regular file, a link's target text for a link, None when it is keyed by stamp alone."""
    path = os.path.join(root, rel)
    try:
        if os.path.islink(path):
            return digest(os.readlink(path).encode("utf-8", "surrogateescape"))
        check_regular(os.stat(path), MAX_HASHED)
        return digest(read_regular(path, MAX_HASHED, nofollow=True))
    except OSError:
        return None


def code_version() -> str:
    """Changes with any file of the generator package, the Python version or an installed distribution."""
    h = hashlib.blake2b(f"{__version__}\0{sys.version}".encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for rel, _ in sorted(walk(package).items()):
        if "__pycache__" not in rel:
            h.update(rel.encode() + b"\0")
            h.update(Path(package, rel).read_bytes())
    for folder in sys.path:
        if folder.endswith("-packages") and os.path.isdir(folder):
            h.update("\0".join(sorted(os.listdir(folder))).encode())
    return h.hexdigest()


def _in_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def git_state(root: Path) -> str:
    """The git facts the rules read, as one hash ('' outside git); see part 2 of the key."""
    if not _in_git(root):
        return ""
    env = {k: v for k, v in sorted(os.environ.items()) if k.startswith(("GIT_", "GNUPG"))}
    try:
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--git-common-dir", "--git-path", "shallow",
                               "--git-path", "info/grafts", "--git-path", "config", "--verify", "-q", "HEAD"],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    h = hashlib.blake2b(proc.stdout + orjson.dumps(env), digest_size=16)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if not lines:
        return "unknown"
    common = Path(root, lines[0])
    paths = [Path(root, line) for line in lines[1:4]]
    replace = common / "refs" / "replace"
    paths += sorted(replace.rglob("*")) if replace.is_dir() else []
    paths += [common / "packed-refs"]  # replace refs may be packed
    home = Path.home()
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    paths += [home / ".gitconfig", xdg / "git" / "config", Path("/etc/gitconfig")]
    for path in paths:
        h.update(str(path).encode() + b"\0")
        try:
            h.update(path.read_bytes() if path.is_file() else b"-")
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def key_of(root: Path, as_of: dt.date, options: dict[str, Any]) -> dict[str, Any]:
    """Parts 2 to 4 of the key (part 1, the files, is checked file by file; part 5 is `valid_until`)."""
    return {"git": git_state(root), "as_of": as_of.isoformat(), "options": options, "code": code_version()}


# --------------------------------------------------------------------------- findings as data

def _encode(f: Finding) -> list[Any]:
    loc = f.location
    return [f.code, f.severity, loc.file, loc.line, loc.column, loc.sheet, f.message, f.record, f.hint, f.waived_by]


_SHAPE: tuple[type | tuple[type, ...], ...] = (str, str, str, int, int, str, str, (str, type(None)), (str, type(None)),
                                              (str, type(None)))


def _decode(item: Any) -> Finding:
    if type(item) is not list or len(item) != len(_SHAPE) or not all(
            isinstance(v, t) and type(v) is not bool for v, t in zip(item, _SHAPE, strict=True)):
        raise ValueError("not a stored finding")
    code, severity, file, line, column, sheet, message, record, hint, waived_by = item
    return Finding(code, severity, Location(file, line, column, sheet), message, record, hint, waived_by)


# --------------------------------------------------------------------------- the cache file

def _keep(path: Path, doc: dict[str, Any]) -> None:
    """Write a stored document atomically into the cache folder, if the load cache made that folder (with its
    .gitignore) and it is no link; a failure only makes the next run slower."""
    try:
        blob = orjson.dumps(doc)
        folder = path.parent
        if len(blob) > MAX_BYTES or folder.is_symlink() or not folder.is_dir():
            return
        replace_cache_file(path, blob)
    except (OSError, orjson.JSONEncodeError):
        pass


class Stored:
    """A validate result read back: open and waived findings, the summary and the exit code."""

    def __init__(self, findings: list[Finding], waived: list[Finding], summary: dict[str, Any], exit_code: int):
        self.findings, self.waived, self.summary, self.exit_code = findings, waived, summary, exit_code


def read_keyed(path: Path, fmt: str, key: object, now: dt.datetime) -> dict[str, Any] | None:
    """A stored document of format `fmt` made under `key` and still valid at `now`; None when there is none
    or it is another's. Raises OSError or a JSON or value error on a damaged file (the caller's to ignore)."""
    if not os.path.lexists(path):
        return None
    doc = orjson.loads(read_regular(path, MAX_BYTES, nofollow=True))
    if type(doc) is not dict or doc.get("format") != fmt or doc.get("key") != key:
        return None
    until = doc.get("valid_until")
    if until is not None and now >= dt.datetime.fromisoformat(until):
        return None
    return doc


class ValidateCache:
    def __init__(self, root: Path, key: dict[str, Any]):
        self.root = root
        self.path = root / CACHE_DIR / CACHE_FILE
        self.key = key
        self.started = time.time_ns()
        self.links: set[str] = set()
        self.files = walk(root, self.links)  # before anything is read: a later change shows as a different stamp
        self._tracked: bool | None = None
        # Record files edited since the stored result that hold the same records: path -> (old, new content hash).
        self.same_records: dict[str, tuple[str, str]] = {}

    def git_tracks(self) -> bool:
        if self._tracked is None:
            self._tracked = os.path.islink(self.path.parent) or tracked_by_git(self.root)
        return self._tracked

    def lookup(self, now: dt.datetime) -> Stored | None:
        """The stored result if every part of the key is unchanged, else None. Record files whose content
        changed but whose records did not (load.same_records: a comment edited ...) leave it standing: they are
        named in `same_records`, and the stored key takes their new content."""
        if self.git_tracks():
            return None
        try:
            doc = read_keyed(self.path, FORMAT, self.key, now)
            if doc is None:
                return None
            changed = self._changed_files(doc.get("files"))
            if changed is None:
                return None
            result = doc["result"]
            summary, exit_code = result["summary"], result["exit"]
            if type(summary) is not dict or type(exit_code) is not int or exit_code not in (0, 1, 2):
                return None
            stored = Stored([_decode(f) for f in result["findings"]], [_decode(f) for f in result["waived"]],
                            summary, exit_code)
        except (OSError, orjson.JSONDecodeError, TypeError, ValueError, KeyError, AttributeError):
            return None  # a damaged or foreign file: validate computes, and store() replaces it
        if changed:
            from .same_records import same_records

            now_hashed = same_records(self.root, changed, self.files, self.links)
            if now_hashed is None:
                return None
            self.same_records = {rel: (changed[rel], now_hashed[rel]) for rel in sorted(now_hashed)}
            self._rekey(doc, now_hashed)
        return stored

    def _changed_files(self, stored: Any) -> dict[str, str] | None:
        """The files whose content differs from the stored key's (path -> the stored hash); None when the set
        of paths differs or a file is keyed by its stamp alone and that changed."""
        if type(stored) is not dict or stored.keys() != self.files.keys():
            return None
        changed: dict[str, str] = {}
        for rel, stamp in self.files.items():
            item = stored[rel]
            if type(item) is not str:
                return None
            hashed, _, at = item.partition(" ")
            if at == _stamp_text(stamp):
                continue
            if hashed == "-":
                return None
            if _hash_file(self.root, rel) != hashed:
                changed[rel] = hashed
        return changed

    def _rekey(self, doc: dict[str, Any], hashed: dict[str, str]) -> None:
        """Keep the stored result under the files' new content hashes (with their stamps when those can be
        trusted: the file's ctime a second old), so the next run need not parse them again."""
        racy = self.started - _RACY_NS
        for rel, value in hashed.items():
            stamp = self.files[rel]
            doc["files"][rel] = f"{value} {_stamp_text(stamp) if stamp[2] < racy else '-'}"
        _keep(self.path, doc)

    def store(self, known: dict[str, tuple[str, Any]], findings: Iterable[Finding], waived: Iterable[Finding],
              summary: dict[str, Any], exit_code: int, valid_until: dt.datetime | None) -> None:
        """Keep this result for replay; `known`: rel -> (content hash, stamp) the loader already took."""
        racy = self.started - _RACY_NS
        if self.git_tracks():
            return
        files: dict[str, str] = {}  # rel -> "content-hash size mtime ctime inode" ("-": keyed by stamp alone)
        hashed_now: list[str] = []
        for rel, stamp in self.files.items():
            hashed, at = known.get(rel, (None, None))
            if stamp[2] >= racy:  # changed within the last second: it could change again unseen by its stamp
                if hashed is None:
                    return  # and the bytes the rules read are not known
                files[rel] = f"{hashed} -"  # keyed by the content the loader read, hashed again next time
                continue
            if at != _stamp_text(stamp):  # not the bytes the loader read at this stamp: hash them now
                hashed = _hash_file(self.root, rel)
                hashed_now.append(rel)
            files[rel] = f"{hashed or '-'} {_stamp_text(stamp)}"
        for rel in hashed_now:  # unchanged since the walk, so validate read these same bytes
            try:
                st = os.lstat(os.path.join(self.root, rel))
            except OSError:
                return
            if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != self.files[rel]:
                return  # changed while validate ran: the findings may describe neither version
        doc = {"format": FORMAT, "key": self.key, "files": files,
               "valid_until": valid_until.isoformat() if valid_until is not None else None,
               "result": {"findings": [_encode(f) for f in findings], "waived": [_encode(f) for f in waived],
                          "summary": summary, "exit": exit_code}}
        _keep(self.path, doc)


# --------------------------------------------------------------------------- the rules' results, for an incremental run

RULES_FILE = "rules.json"
RULES_FORMAT = "qms-validate-rules/5"  # /2: each file also has the digest of its IDs; /3: and statuses (/4 held
# a digest of its links too, now compared from the load cache: rules.incremental)

# Record file -> "content-hash ids-digest token token ..." ('-' for a file not hashed): a digest of the kinds, IDs
# and statuses of the records it held, and their footprint tokens (rules.incremental.file_tokens). One string a
# file: compared whole, split only for the files that differ.
FileTokens = dict[str, str]
# Rule code -> (its footprint tokens, its findings before waivers).
RuleResults = dict[str, tuple[frozenset[str], list[Finding]]]


def config_digest(root: Path) -> str:
    """The hash of qms.yaml ('-' when it cannot be read): the settings every rule may read."""
    try:
        return digest(read_regular(os.path.join(root, MARKER), MAX_HASHED, nofollow=True))
    except OSError:
        return "-"


class Previous:
    """The last computed run: the kinds each record file held, and each rule's footprint and findings."""

    def __init__(self, files: FileTokens, rules: RuleResults):
        self.files, self.rules = files, rules


def _tokens(item: Any) -> frozenset[str]:
    if type(item) is not list or not all(type(t) is str for t in item):
        raise ValueError("not a list of footprint tokens")
    return frozenset(item)


class RuleCache:
    """`.qms-cache/rules.json`: each rule's footprint and findings of the last run that computed them, and the
    record files that run read, by content hash with the kinds of their records (cli/validate.py: which rules
    an edit can affect). Keyed as the stored result (parts 2 to 4) and by qms.yaml, and kept until `valid_until`
    (part 5); the record files are compared by content, not by stamp. Data only, as validate.json; never read
    or written when git tracks the cache."""

    def __init__(self, stored: ValidateCache):
        self.path = stored.root / CACHE_DIR / RULES_FILE
        self.key = {**stored.key, "config": config_digest(stored.root)}
        self.git_tracks = stored.git_tracks

    def lookup(self, now: dt.datetime) -> Previous | None:
        if self.git_tracks():
            return None
        try:
            doc = read_keyed(self.path, RULES_FORMAT, self.key, now)
            if doc is None:
                return None
            files = doc["files"]
            if type(files) is not dict or not all(type(v) is str for v in files.values()):
                return None
            rules: RuleResults = {}
            for code, (tokens, findings) in doc["rules"].items():
                if type(code) is not str or type(findings) is not list:
                    return None
                rules[code] = (_tokens(tokens), [_decode(f) for f in findings])
            return Previous(files, rules)
        except (OSError, orjson.JSONDecodeError, TypeError, ValueError, KeyError, AttributeError):
            return None  # a damaged or foreign file: every rule runs, and store() replaces it

    def rekey(self, hashes: dict[str, tuple[str, str]], now: dt.datetime) -> None:
        """Key the stored rules' results by the new content of record files that hold the same records as the
        old one (path -> (old, new content hash); ValidateCache.same_records): the next edit of such a file is
        then compared with what it holds now, as if its old content had been read."""
        if self.git_tracks():
            return
        try:
            doc = read_keyed(self.path, RULES_FORMAT, self.key, now)
            files = doc.get("files") if doc is not None else None
            if doc is None or type(files) is not dict:
                return
            moved = 0
            for rel, (old, new) in hashes.items():
                item = files.get(rel)
                if type(item) is str and item.startswith(f"{old} "):
                    files[rel] = new + item[len(old):]
                    moved += 1
            if moved:
                self._write(doc)
        except (OSError, orjson.JSONDecodeError, TypeError, ValueError, AttributeError):
            pass  # a damaged file: the next edit runs more rules, and store() replaces it

    def store(self, files: FileTokens, rules: RuleResults, valid_until: dt.datetime | None) -> None:
        doc = {"format": RULES_FORMAT, "key": self.key,
               "valid_until": valid_until.isoformat() if valid_until is not None else None,
               "files": files,
               "rules": {code: [sorted(tokens), [_encode(f) for f in found]]
                         for code, (tokens, found) in sorted(rules.items())}}
        self._write(doc)

    def _write(self, doc: dict[str, Any]) -> None:
        if not self.git_tracks():
            _keep(self.path, doc)
