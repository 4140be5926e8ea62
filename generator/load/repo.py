"""Find and load every record file of a quality repository."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeAlias

import orjson

from ..codes.schema import BAD_CONFIG, DATA_FILE, UNREAD_FILE, UNREADABLE, UNSAFE
from ..config import MARKER, RepoConfig
from ..findings import Finding, Location, QmsError
from ..model import Record
from ..model.canonical import content_hash
from ..model.production import TemperatureLog
from ..paths import within
from . import parallel
from .cache import BAD_ENTRY, LoadCache, Stamp, file_stamp
from .cache import content_hash as file_hash
from .codec import Result, decode_result, encode_packed
from .evidence import EvidenceFile, read_controlled_file, read_evidence
from .features import FeatureFile, ProtocolFiles
from .files import MAX_TABLE_BYTES, Refused, check_regular, read_regular
from .loggers import LoggerExport, read_export
from .records import _finding as _schema_finding
from .records import to_record
from .source import Source, Unvalidated
from .tabular import load_csv, load_workbook
from .yamlfile import MAX_BYTES, YamlProblem, parse_yaml

RECORD_ROOTS = ("records", "specs", "protocols")
YAML_SUFFIXES = (".yaml", ".yml")
TABLE_ROOTS = ("records",)
# Workbook types the loader does not read: named as findings, or the records in them would silently go missing.
UNREAD_SUFFIXES = (".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".fods", ".numbers")
# The most a record file of each format may hold, checked (with the file's type) before it is read.
LIMITS = {"yaml": MAX_BYTES, "xlsx": MAX_TABLE_BYTES, "csv": MAX_TABLE_BYTES}
# Logger exports and measurement files live in folders named `data`: files records point at, not records.
DATA_FOLDER = "data"


Exports: TypeAlias = dict[str, LoggerExport | ProtocolFiles | EvidenceFile]
"""Record ID -> the file it points at, as read: a logger export, a protocol's feature files, an evidence file."""


@dataclass
class Loaded:
    root: Path
    config: RepoConfig | None
    records: list[tuple[Record, Source]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Records that failed their schema: they exist, and their readable links are still checked.
    unvalidated: list[Unvalidated] = field(default_factory=list)
    files: int = 0
    # Data files records point at, by record ID: a temperature log's logger export, a protocol's features,
    # an evidence record's file (found and hashed).
    exports: Exports = field(default_factory=dict)
    # Record file -> (content hash, the stat stamp it was hashed at or None), from the load cache: what
    # `qms validate` keys its stored result by, without reading the files a second time.
    hashed: dict[str, tuple[str, Any]] = field(default_factory=dict)
    # Record file read again this run -> (the content hash and load result, as JSON, the load cache held for it
    # before): what an edited file held, for `qms validate` to compare (rules.incremental).
    before: dict[str, tuple[str, bytes]] = field(default_factory=dict)


def discover(root: Path) -> list[tuple[str, str]]:
    """(relative path, 'yaml' | 'xlsx' | 'csv' | 'unread') of every record file, sorted."""
    found: list[tuple[str, str]] = []
    for top in RECORD_ROOTS:
        base = root / top
        if not base.is_dir():
            continue
        for folder, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            rel_folder = Path(folder).relative_to(root).as_posix()
            in_data = DATA_FOLDER in Path(folder).relative_to(base).parts
            for name in files:
                fmt = _format_of(top, in_data, name)
                if fmt is not None:
                    found.append((f"{rel_folder}/{name}", fmt))
    found.sort()
    return found


def record_format(rel: str) -> str | None:
    """The format `discover` gives the file at `rel` (a relative POSIX path), None when it is no record file."""
    top, *folders, name = ["", *rel.split("/")] if "/" not in rel else rel.split("/")
    if top not in RECORD_ROOTS or any(not d or d.startswith(".") for d in folders):
        return None
    return _format_of(top, DATA_FOLDER in folders, name)


def _format_of(top: str, in_data: bool, name: str) -> str | None:
    """A file's record format from the root folder it is under, whether a `data` folder holds it, and its name."""
    if name.startswith((".", "~$")) or in_data:
        return None
    lower = name.lower()
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    if top in TABLE_ROOTS and lower.endswith((".xlsx", ".csv")):
        return lower.rsplit(".", 1)[1]
    if top in TABLE_ROOTS and lower.endswith(UNREAD_SUFFIXES):
        return "unread"
    return None


def load_config(root: Path) -> tuple[RepoConfig | None, list[Finding]]:
    from pydantic import ValidationError

    try:
        doc = parse_yaml((root / MARKER).read_bytes(), MARKER)
    except YamlProblem as problem:
        return None, [problem.finding]
    except OSError as err:
        return None, [UNREADABLE.finding(Location(MARKER), f"cannot read {MARKER}: {err.strerror}")]
    try:
        return RepoConfig.model_validate(doc.data), []
    except ValidationError as err:
        source = Source(MARKER, anchors=doc.anchors)
        findings = []
        for e in err.errors(include_url=False):
            f = _schema_finding(e, RepoConfig, source, None)
            findings.append(BAD_CONFIG.finding(f.location, f.message, hint=f.hint))
        return None, findings


def load_file(root: Path, rel: str, fmt: str, raw: bytes, unvalidated: list[Unvalidated] | None = None,
              sheets: Collection[str] | None = None) -> tuple[list[tuple[Record, Source]], list[Finding]]:
    """One file's records and findings; each record's content hash is computed here so the cache keeps it.
    Records that fail their schema go to `unvalidated` (when given) with the links still readable.
    `sheets`: a workbook's sheets of these kinds only (its others are not read)."""
    result = _read_file(root / rel, rel, fmt, raw, unvalidated, sheets)
    for record, _ in result[0]:
        content_hash(record)
    return result


def _read_file(path: Path, rel: str, fmt: str, raw: bytes, unvalidated: list[Unvalidated] | None,
               sheets: Collection[str] | None = None) -> tuple[list[tuple[Record, Source]], list[Finding]]:
    if fmt == "xlsx":
        return load_workbook(path, rel, raw, unvalidated, sheets)
    if fmt == "csv":
        return load_csv(path, rel, raw, unvalidated)
    try:
        doc = parse_yaml(raw, rel)
    except YamlProblem as problem:
        return [], [problem.finding]
    source = Source(rel, "", (1, -1), doc.anchors)
    record, findings = to_record(doc.data, None, source, fallback_id=path.stem, unvalidated=unvalidated)
    return ([(record, source)] if record is not None else []), findings


# A file to read: (relative path, format, path as a string, whether it is a symbolic link, its stat stamp).
_ToRead: TypeAlias = tuple[str, str, str, bool, Stamp]
# Relative cost of a byte of each format, to split files between processes in shares of equal work.
_BYTE_COST = {"yaml": 1, "csv": 2, "xlsx": 4}
_FILE_COST = 300  # the fixed cost of a file, in bytes of YAML


def load_repository(root: Path, use_cache: bool = True, stamps: dict[str, Stamp] | None = None,
                    links: Collection[str] = ()) -> Loaded:
    """Every record file's records and findings, and the data files they name.

    `stamps`: each file's stat stamp (not following links), taken just before by a walk of the tree, and
    `links` the paths that were symbolic links then: a file that was none needs no stat of its own here. (A
    file changed since is read with its old stamp: its entry then names a stamp it no longer has, and the
    next run reads it again.)"""
    config, findings = load_config(root)
    loaded = Loaded(root, config, findings=list(findings))
    cache = LoadCache(root, enabled=use_cache)
    try:
        _load_files(loaded, cache, stamps or {}, links)
    finally:
        cache.close()  # a cache file still being written when loading failed is dropped
    del cache  # the entries it holds (results as JSON text) are not needed past here
    _load_logger_exports(loaded)
    _load_protocol_features(loaded)
    _load_evidence_files(loaded)
    return loaded


def _load_files(loaded: Loaded, cache: LoadCache, stamps: dict[str, Stamp], links: Collection[str]) -> None:
    """Every record file's records and findings into `loaded`, through the cache, which is then saved."""
    root = loaded.root
    files = discover(root)
    real_root = root.resolve()
    base = str(root)
    # Each file's result or finding, in the order of `files`; the files to read are gathered first, so that
    # many of them can be parsed on several cores (load.parallel), and their results merged in this order.
    results: list[Result | Finding | None] = []
    to_read: list[tuple[int, _ToRead]] = []
    for rel, fmt in files:
        if fmt == "unread":
            results.append(_unread(rel))
            continue
        path = os.path.join(base, rel)  # plain strings: pathlib costs more than the stat on a warm run
        walked = stamps.get(rel)
        if walked is not None and rel not in links:  # a regular file (or a FIFO ...: read_regular refuses it)
            result = cache.unchanged(rel, walked)
            if result is None:
                to_read.append((len(results), (rel, fmt, path, False, walked)))
            results.append(result)
            continue
        try:
            st = os.lstat(path)  # one call a file: for all but a link, its stamp too
            link = stat.S_ISLNK(st.st_mode) and _inside(path, real_root)
            stamp = file_stamp(path) if link else (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        except OSError as err:
            results.append(UNREADABLE.finding(Location(rel), f"cannot read file: {err.strerror or err}"))
            continue
        except RuntimeError:  # Path.resolve() on Python < 3.13 reports a symbolic-link loop this way
            results.append(_link_loop(rel))
            continue
        result = cache.unchanged(rel, stamp)  # a hit was a regular file when read: nothing to read now
        if result is None:
            to_read.append((len(results), (rel, fmt, path, link, stamp)))
        results.append(result)
    _read_files(root, cache, to_read, results)
    for result in results:
        if isinstance(result, Finding):
            loaded.findings.append(result)
        elif result is not None:
            loaded.records.extend(result[0])
            loaded.findings.extend(result[1])
            loaded.unvalidated.extend(result[2])
    loaded.files = len(files)
    # Only the files read this time keep their entry: one refused or unreadable now (a link out of the
    # repository, a file grown past its limit) gave no records, whatever its old entry says it held.
    cache.prune({rel for (rel, _), result in zip(files, results, strict=True)
                 if result is not None and not isinstance(result, Finding)})
    cache.save()
    loaded.hashed = cache.hashed()
    loaded.before = cache.replaced


def _inside(path: str, real_root: Path) -> bool:
    """Whether `path` is a symbolic link; OSError if it leads outside the repository (RuntimeError: round
    to itself, on Python < 3.13)."""
    link = os.path.islink(path)
    if link and not Path(path).resolve().is_relative_to(real_root):
        raise OSError(0, "link leads outside the repository")
    return link


def _link_loop(rel: str) -> Finding:
    return UNREADABLE.finding(Location(rel), "cannot read file: it is a symbolic link that leads back to itself",
                              hint="replace the link by the file")


def refusal(root: Path, rel: str) -> Finding | None:
    """The finding `qms validate` gives for the record file at `rel` before reading it, found without opening
    it: a link leading outside the repository or round to itself, or not a regular file (a FIFO would block a
    read for ever). Its size is left to its reader."""
    path = os.path.join(root, rel)
    try:
        _inside(path, root.resolve())
        check_regular(os.stat(path), sys.maxsize)
    except Refused as err:
        return _refused(rel, "", err)
    except OSError as err:
        return UNREADABLE.finding(Location(rel), f"cannot read file: {err.strerror or err}")
    except RuntimeError:
        return _link_loop(rel)
    return None


def _read_files(root: Path, cache: LoadCache, to_read: list[tuple[int, _ToRead]],
                results: list[Result | Finding | None]) -> None:
    """Read, hash and parse each file (or take its result from the cache by content), into `results`.

    Many files are parsed in forked children (load.parallel), one per core, each sending back its files'
    load-cache entries. As they come, the parent rebuilds the records from them, as a warm run does, and
    writes them into the cache file; so neither the entries nor a child's parsing debris and record
    positions take the parent's memory. What no child delivered, the parent does itself."""
    count = parallel.workers(len(to_read))
    if count:
        def take(i: int, data: bytes) -> None:
            at, (rel, _, _, _, stamp) = to_read[i]
            got = _from_child(cache, rel, data)
            if got is not None:
                cache.put(rel, got[0], stamp, got[1], got[2], stream=True)
                results[at] = got[1]

        weights = [_FILE_COST + item[4][0] * _BYTE_COST[item[1]] for _, item in to_read]
        parallel.run([item for _, item in to_read], partial(_child_work, root, cache), count, weights, take)
    for at, item in to_read:
        if results[at] is None:
            got = _read_one(root, cache, item)
            if isinstance(got, Finding):
                results[at] = got
            else:
                cache.put(item[0], got[0], item[4], got[1])
                results[at] = got[1]


# A file read: its content hash, its load result, and the result's cache entry when a child made it.
_Done: TypeAlias = tuple[bytes, Result, bytes | None]


def read_record_file(path: str | Path, rel: str, fmt: str, nofollow: bool = False) -> bytes | Finding:
    """A record file's bytes (a regular file only, its size checked first), or the finding that says why
    it cannot be read."""
    try:
        return read_regular(path, LIMITS[fmt], nofollow=nofollow)
    except Refused as err:
        return _refused(rel, fmt, err)
    except OSError as err:
        return UNREADABLE.finding(Location(rel), f"cannot read file: {err.strerror or err}")


def _read_one(root: Path, cache: LoadCache, item: _ToRead) -> _Done | Finding:
    rel, fmt, path, link, _ = item
    raw = read_record_file(path, rel, fmt, nofollow=not link)  # a path that was no link must not become one now
    if isinstance(raw, Finding):
        return raw
    digest = file_hash(raw)
    result = cache.get(rel, digest)
    if result is None:
        unvalidated: list[Unvalidated] = []
        result = (*load_file(root, rel, fmt, raw, unvalidated), unvalidated)
    return digest, result, None


_HIT, _PARSED = b"h", b"p"


def _child_work(root: Path, cache: LoadCache, item: _ToRead) -> bytes:
    """In a child process: the file's content hash, then either a mark that the cache holds that content
    or the file's load result encoded as the cache keeps it. Any problem raises: the parent reads the file."""
    rel, fmt, path, link, _ = item
    raw = read_regular(path, LIMITS[fmt], nofollow=not link)
    digest = file_hash(raw)
    known = cache.entries.get(rel)
    if type(known) is list and len(known) == 3 and known[0] == digest.hex():
        return digest + _HIT
    unvalidated: list[Unvalidated] = []
    return digest + _PARSED + encode_packed((*load_file(root, rel, fmt, raw, unvalidated), unvalidated))


def _from_child(cache: LoadCache, rel: str, data: bytes) -> _Done | None:
    """A file's result as a child sent it, rebuilt from its cache entry as a warm run does; None if unusable."""
    digest, mark, entry = data[:16], data[16:17], data[17:]
    if len(digest) != 16:
        return None
    if mark == _HIT:
        result = cache.get(rel, digest)
        return None if result is None else (digest, result, None)
    if mark != _PARSED:
        return None
    try:
        return digest, decode_result(orjson.loads(entry)), entry
    except (*BAD_ENTRY, orjson.JSONDecodeError):
        return None


def _unread(rel: str) -> Finding:
    kind = rel.rsplit(".", 1)[1]
    return UNREAD_FILE.finding(Location(rel), f"records are read from .xlsx and .csv files; this .{kind} file "
                               "was not read", hint="save it as .xlsx (no macros), or move it out of records/")


def _refused(rel: str, fmt: str, err: Refused) -> Finding:
    if err.size is None:
        return UNREADABLE.finding(Location(rel), f"cannot read file: {err.strerror}",
                                  hint="records are regular files; remove it from the repository")
    if fmt == "yaml":  # as the YAML reader words it, without reading the file first
        return UNSAFE.finding(Location(rel), f"file is {err.size:,} bytes; a record may hold at most {err.limit:,}",
                              hint="keep bulk data in an Excel sheet or a data file the record names")
    return UNSAFE.finding(Location(rel), f"file is {err.size:,} bytes; a records workbook or CSV may hold at most "
                          f"{err.limit:,}", hint="split the rows over several files")


def _load_logger_exports(loaded: Loaded) -> None:
    """Read the logger export each live temperature log names (records/**/data/...)."""
    root = loaded.root.resolve()
    for record, source in loaded.records:
        if not isinstance(record, TemperatureLog) or record.retired:
            continue
        where = source.at(("data",))
        path = within(root, record.data)
        if path is None:
            loaded.findings.append(DATA_FILE.finding(where, f"'{record.data}' leads outside the repository",
                                                     record.id, hint="keep logger exports under records/"))
            continue
        try:
            loaded.exports[record.id] = read_export(path, record.data, record.time_column,
                                                    record.temperature_column)
        except QmsError as err:
            loaded.findings.append(DATA_FILE.finding(where, f"logger export {err}", record.id,
                                                     hint="check the path and the export's columns (`qms mkt FILE`)"))


def _load_evidence_files(loaded: Loaded) -> None:
    """Find and hash the file each live evidence record names, and each live label's and IFU's
    (rules.conformity and rules.labelling report what is wrong; the dossier lists the hashes)."""
    from ..model.conformity import Evidence
    from ..model.documents import LABELLING, Document

    for record, _source in loaded.records:
        if isinstance(record, Evidence) and not record.retired:
            loaded.exports[record.id] = read_evidence(loaded.root, record)
        elif isinstance(record, Document) and record.type in LABELLING and record.file and not record.retired:
            loaded.exports[record.id] = read_controlled_file(loaded.root, record.file, record.sha256)


def _load_protocol_features(loaded: Loaded) -> None:
    """Parse the feature files live protocols' steps name (each file once); data files must exist."""
    from ..model.validation import Protocol
    from .features import read_feature

    parsed: dict[str, FeatureFile | QmsError] = {}  # path -> the file, or the error reading it raised
    root = loaded.root
    for record, source in loaded.records:
        if not isinstance(record, Protocol) or record.retired:
            continue
        features: dict[str, FeatureFile] = {}
        for i, step in enumerate(record.steps):
            rel = step.feature
            if rel not in parsed:
                try:
                    parsed[rel] = read_feature(root, rel)
                except QmsError as err:
                    parsed[rel] = err
            result = parsed[rel]
            if isinstance(result, QmsError):
                loaded.findings.append(DATA_FILE.finding(source.at(("steps", i, "feature")), f"feature file {result}",
                                                         record.id, hint="steps name files under features/"))
            else:
                features[rel] = result
        for i, rel in enumerate(record.data):
            path = within(root, rel)
            if path is None or not path.is_file():
                loaded.findings.append(DATA_FILE.finding(source.at(("data", i)), f"measurement file '{rel}' "
                                                         "does not exist in the repository", record.id))
        loaded.exports[record.id] = ProtocolFiles(features)
