"""The audit trail of records, from git: who changed which field of which record, when, and why.

Each changed file version is parsed into record content (YAML with the project's safe loader,
workbook and CSV rows keyed by their ID column) and reduced to canonical field values: formatting,
comments, key order, the file a record lives in and the review stamps on its links do not count
(as in model/canonical.py). Unlike the content an approval signs, `status` is kept: the trail must
show lifecycle moves. The old and new content of every record a commit touches are compared field
by field (`actions[1].status`, `verifies[2]`, `root_cause.method`).

A record is followed by its ID, not by its file: within one commit, the record an old file version
held and the record a new one holds are the same record when they carry the same ID. So a rename or
a move to another folder (git mv plus an edit), or a row moving from a workbook to a YAML file, stay
one history. Each change is a diff against the commit's parent, so nothing is carried between
commits and merges or branches cannot mislead it.

Parsing never builds pydantic models (field-level diff of the mapping is what is asked) and caches
parsed content by blob SHA: a file version is the new side of one change and the old side of the next.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import QmsError
from ..load.repo import DATA_FOLDER, RECORD_ROOTS, TABLE_ROOTS, YAML_SUFFIXES
from ..load.tabular import header_name, present, row_fields, workbook_problem
from ..load.yamlfile import YamlProblem, decode, parse_yaml
from ..model import FieldInfo, Kind, kind_of_id, kind_of_sheet, plan
from .log import BlobReader, Commit, changed_paths, iter_commits, parents, require_history, resolve, tree_files
from .shallow import HistoryGap, history_gaps

if TYPE_CHECKING:
    from ..model.raw import JsonObject, RawMapping

ACTIONS = ("created", "changed", "renamed", "deleted")
UNREADABLE = "(unreadable)"  # the field under which a version that does not parse shows its problem


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new canonical value; None where the field is absent."""

    field: str
    old: Any
    new: Any

    def as_json(self) -> JsonObject:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class RecordChange:
    """What one commit did to one record."""

    record_id: str
    kind: str
    action: str  # created | changed | renamed | deleted
    commit: str
    author_name: str
    author_email: str
    author_date: dt.datetime
    message: str
    path: str  # the file holding the record after the commit (before it, for a deletion)
    old_path: str | None  # the file before the commit; None for a creation
    sheet: str = ""  # worksheet of a workbook row ("" for YAML and CSV)
    old_sheet: str = ""
    fields: tuple[FieldChange, ...] = ()

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def where(self) -> str:
        return f"{self.path}[{self.sheet}]" if self.sheet else self.path

    @property
    def old_where(self) -> str | None:
        if self.old_path is None:
            return None
        return f"{self.old_path}[{self.old_sheet}]" if self.old_sheet else self.old_path

    def as_json(self) -> JsonObject:
        return {
            "record": self.record_id,
            "kind": self.kind,
            "action": self.action,
            "commit": self.commit,
            "author": self.author_name,
            "email": self.author_email,
            "date": self.author_date.isoformat(),
            "message": self.message,
            "path": self.path,
            "sheet": self.sheet or None,
            "old_path": self.old_path,
            "old_sheet": self.old_sheet or None,
            "fields": [f.as_json() for f in self.fields],
        }


@dataclass(frozen=True)
class AuditTrail:
    """Every record change in the repository's history (from `since`, exclusive, to `head`), oldest first."""

    head: str
    since: str | None
    commits: int  # commits that changed a record file
    changes: tuple[RecordChange, ...]
    gaps: tuple[HistoryGap, ...] = ()  # why the history is not whole (gitio.shallow); empty when it is

    @property
    def records(self) -> int:
        return len({c.record_id for c in self.changes})

    @property
    def field_changes(self) -> int:
        return sum(len(c.fields) for c in self.changes)

    def as_json(self) -> JsonObject:
        return {
            "head": self.head,
            "since": self.since,
            "history_complete": not self.gaps,
            "history_gaps": [str(g) for g in self.gaps],
            "summary": {"commits": self.commits, "records": self.records, "changes": len(self.changes),
                        "field_changes": self.field_changes},
            "changes": [c.as_json() for c in self.changes],
        }


# --------------------------------------------------------------------------- which files hold records


def record_format(path: str | None) -> str | None:
    """'yaml', 'xlsx' or 'csv' for a file the loader reads records from (see load/repo.discover), else None."""
    if not path:
        return None
    parts = path.split("/")
    if len(parts) < 2 or parts[0] not in RECORD_ROOTS or DATA_FOLDER in parts[1:-1]:
        return None
    name = parts[-1]
    if name.startswith((".", "~$")) or any(p.startswith(".") for p in parts[1:-1]):
        return None
    lower = name.lower()
    if lower.endswith(YAML_SUFFIXES):
        return "yaml"
    if parts[0] in TABLE_ROOTS and lower.endswith((".xlsx", ".csv")):
        return lower.rsplit(".", 1)[1]
    return None


# --------------------------------------------------------------------------- canonical content


@dataclass(frozen=True, slots=True)
class Held:
    """One record as one file version holds it: its kind, worksheet and flattened canonical fields."""

    kind: str
    sheet: str
    fields: dict[str, Any]


def _ref(value: Any) -> Any:
    """A link's target ID: `REQ-0012`, `{REQ-0012: 3f2a9c1b}` and `{id: REQ-0012, ...}` are the same link."""
    if isinstance(value, dict):
        if "id" in value:
            return _scalar(value["id"])
        if len(value) == 1:
            return _scalar(next(iter(value)))
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.time)):  # dt.datetime is a dt.date
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _mapping(data: dict[Any, Any], fields: dict[str, FieldInfo] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        value = _value(value, fields.get(key) if fields else None)
        if not _empty(value):
            out[key] = value
    return out


def _value(value: Any, info: FieldInfo | None) -> Any:
    if info is not None and info.links:
        return [_ref(v) for v in value] if isinstance(value, list) else _ref(value)
    nested = plan(info.nested).fields if info is not None and info.nested is not None else None
    if isinstance(value, dict):
        if info is not None and info.shape == "map":
            return {str(k): _value(v, FieldInfo(str(k), "one", nested=info.nested)) for k, v in value.items()}
        return _mapping(value, nested)
    if isinstance(value, list):
        return [_mapping(v, nested) if isinstance(v, dict) else _value(v, None) for v in value]
    return _scalar(value)


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _flatten(item, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def canonical_fields(data: RawMapping, kind: Kind | None) -> RawMapping:
    """The flattened canonical content of one record's raw mapping: field path -> scalar value."""
    model = kind.model_for(data) if kind is not None else None
    fields = plan(model).fields if model is not None else None
    out: dict[str, Any] = {}
    _flatten(_mapping(data, fields), "", out)
    return out


# --------------------------------------------------------------------------- parsing file versions


def _yaml_records(raw: bytes, rel: str) -> dict[str, Held]:
    stem = rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    try:
        data = parse_yaml(raw, rel).data
    except YamlProblem as problem:
        # The record is still there, in a state nobody can read: say so rather than call it deleted.
        return {stem: Held(_kind_name(kind_of_id(stem)), "", {UNREADABLE: problem.finding.message})}
    record_id = data.get("id")
    record_id = stem if _empty(record_id) or isinstance(record_id, (dict, list)) else str(record_id).strip()
    kind = kind_of_id(record_id)
    return {record_id: Held(_kind_name(kind), "", canonical_fields(data, kind))}


def _kind_name(kind: Kind | None) -> str:
    return kind.name if kind is not None else ""


def _rows_records(rows: Iterable[list[Any]], kind: Kind, sheet: str) -> dict[str, Held]:
    """Records of a sheet's rows, keyed by their ID column; the first non-empty row is the header.

    Cells are read as load/tabular.py reads them (same header names, list splitting, dates).
    """
    out: dict[str, Held] = {}
    iterator = iter(rows)
    columns: list[tuple[int, str]] = []
    for cells in iterator:
        if any(present(c) for c in cells):
            columns = [(i, header_name(c)) for i, c in enumerate(cells) if present(c)]
            break
    if not any(name == "id" for _, name in columns):
        return out
    fields = plan(kind.model).fields
    for cells in iterator:
        raw, _ = row_fields(cells, columns, fields)
        record_id = raw.get("id")
        if _empty(record_id) or isinstance(record_id, (list, dict)):
            continue
        record_id = str(record_id)
        if record_id not in out:  # a duplicated ID is the loader's finding; the first row is the record
            out[record_id] = Held(kind.name, sheet, canonical_fields(raw, kind))
    return out


def _workbook_records(raw: bytes, rel: str) -> dict[str, Held]:
    if workbook_problem(raw, rel) is not None:
        return {}
    from python_calamine import CalamineError, CalamineWorkbook

    out: dict[str, Held] = {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError):
        return out
    for name in names:
        kind = None if name.startswith("_") else kind_of_sheet(name)
        if kind is None:
            continue
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError):
            continue
        for record_id, held in _rows_records(rows, kind, name).items():
            out.setdefault(record_id, held)
    return out


def _csv_records(raw: bytes, rel: str) -> dict[str, Held]:
    kind = kind_of_sheet(rel.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    if kind is None:
        return {}
    try:
        text = decode(raw, rel)
    except YamlProblem:
        return {}
    try:
        sample = text[:4096]
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    try:
        return _rows_records(list(csv.reader(io.StringIO(text), dialect)), kind, "")
    except csv.Error:
        return {}


class VersionReader:
    """Records held by file versions, read through one `git cat-file` process and cached by blob."""

    def __init__(self, root: Path):
        self.blobs = BlobReader(root)
        self._cache: dict[tuple[str, str], dict[str, Held]] = {}

    def records(self, blob: str, path: str) -> dict[str, Held]:
        fmt = record_format(path)
        if fmt is None:
            return {}
        # A YAML record without an `id` is named by its file, so the file name is part of the key.
        key = (blob, path.rsplit("/", 1)[-1] if fmt == "yaml" else fmt)
        found = self._cache.get(key)
        if found is None:
            raw = self.blobs.read(blob)
            found = (_yaml_records if fmt == "yaml" else _workbook_records if fmt == "xlsx" else _csv_records)(
                raw, path)
            self._cache[key] = found
        return found

    def close(self) -> None:
        self.blobs.close()

    def __enter__(self) -> VersionReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- comparing


def diff_fields(old: RawMapping, new: RawMapping) -> tuple[FieldChange, ...]:
    """Field-level changes between two flattened contents, in the order the fields are written."""
    out = [FieldChange(name, old.get(name), value) for name, value in new.items()
           if name not in old or old[name] != value or type(old[name]) is not type(value)]
    out += [FieldChange(name, value, None) for name, value in old.items() if name not in new]
    order = {name: i for i, name in enumerate(old)}
    order.update({name: i for i, name in enumerate(new)})  # the new version's order wins
    out.sort(key=lambda f: order[f.field])
    return tuple(out)


def commit_changes(commit: Commit, versions: VersionReader, only: str | None = None) -> list[RecordChange]:
    """What `commit` did to each record (or to record `only`), sorted by record ID."""
    before: dict[str, tuple[str, Held]] = {}
    after: dict[str, tuple[str, Held]] = {}
    for change in commit.changes:
        if change.old_blob is not None and change.old_path is not None:
            for record_id, held in versions.records(change.old_blob, change.old_path).items():
                if only is None or record_id == only:
                    before.setdefault(record_id, (change.old_path, held))
        if change.new_blob is not None and change.new_path is not None:
            for record_id, held in versions.records(change.new_blob, change.new_path).items():
                if only is None or record_id == only:
                    after.setdefault(record_id, (change.new_path, held))
    out: list[RecordChange] = []
    for record_id in sorted(before.keys() | after.keys()):
        old, new = before.get(record_id), after.get(record_id)
        if old is not None and new is not None:
            moved = (old[0], old[1].sheet) != (new[0], new[1].sheet)
            if not moved and old[1].fields == new[1].fields:
                continue  # formatting, comments, another row of the same workbook
            action = "renamed" if moved else "changed"
            fields = diff_fields(old[1].fields, new[1].fields)
        elif new is not None:
            action, fields = "created", diff_fields({}, new[1].fields)
        else:
            assert old is not None
            action, fields = "deleted", diff_fields(old[1].fields, {})
        now = new or old
        assert now is not None
        out.append(RecordChange(
            record_id=record_id, kind=now[1].kind or (old[1].kind if old else ""), action=action,
            commit=commit.sha, author_name=commit.author_name, author_email=commit.author_email,
            author_date=commit.author_date, message=commit.message, path=now[0],
            old_path=old[0] if old is not None else None, sheet=now[1].sheet,
            old_sheet=old[1].sheet if old is not None else "", fields=fields,
        ))
    return out


# --------------------------------------------------------------------------- the two questions


def audit_trail(root: Path, since: str | None = None) -> AuditTrail:
    """The whole repository's trail, in one pass over its history (after `since`, a git revision)."""
    head = require_history(root)
    base = resolve(root, since) if since is not None else None
    count = 0
    changes: list[RecordChange] = []
    with VersionReader(root) as versions:
        # Renames are matched by record ID, so git's own rename detection would only cost time.
        for commit in iter_commits(root, since=base, renames=False):
            found = commit_changes(commit, versions)
            if found:
                count += 1
                changes.extend(found)
    return AuditTrail(head=head, since=base, commits=count, changes=tuple(changes), gaps=history_gaps(root))


def record_history(root: Path, record_id: str) -> list[RecordChange]:
    """Every change to one record, oldest first; QmsError when the history holds no such record.

    Fast path (a record that exists at HEAD): git follows the one file holding it back through its
    renames (`git log --follow`, a single path: far cheaper than a pathspec per folder). Where git's
    similarity test loses a move (the file was rewritten as it moved), the commit that seems to create
    the record is looked at whole; if it moved the record, following resumes from the old file.
    A record that lives as rows is looked for in the workbooks and CSV files at HEAD; a record that
    no longer exists anywhere costs one extra pass over the names of all changed files.
    """
    require_history(root)
    record_id = record_id.strip()
    kind = kind_of_id(record_id)
    if kind is None:
        raise QmsError(f"'{record_id}' is not a record ID: no record kind has the prefix "
                       f"'{record_id.partition('-')[0]}'")
    files = tree_files(root)
    names = {f"{record_id}{suffix}" for suffix in YAML_SUFFIXES}
    held = [f for f in files if f.rsplit("/", 1)[-1] in names and record_format(f) == "yaml"]
    changes: list[RecordChange] = []
    with VersionReader(root) as versions:
        if held:
            changes = _follow(root, versions, record_id, held[0])
        elif kind.bulk:
            tables = [_literal(f) for f in files if record_format(f) in ("xlsx", "csv")]
            if tables:
                changes = _collect(iter_commits(root, paths=tables, renames=False), versions, record_id)
        if not changes:  # deleted, or moved where neither search looked: every file that ever held it
            ever = [_literal(f) for f in changed_paths(root) if f.rsplit("/", 1)[-1] in names
                    or kind.bulk and record_format(f) in ("xlsx", "csv")]
            if ever:
                changes = _collect(iter_commits(root, paths=ever, renames=False), versions, record_id)
    if not changes:
        raise QmsError(f"no record {record_id} in the git history of {root}")
    return changes


def _collect(commits: Iterable[Commit], versions: VersionReader, record_id: str | None) -> list[RecordChange]:
    return [change for commit in commits for change in commit_changes(commit, versions, record_id)]


def _follow(root: Path, versions: VersionReader, record_id: str, path: str) -> list[RecordChange]:
    out: list[RecordChange] = []
    rev = "HEAD"
    while True:
        part = _collect(iter_commits(root, paths=[path], rev=rev, follow=True), versions, record_id)  # --follow takes no magic
        if not part or part[0].action != "created":
            return part + out
        first = part[0]
        moved = _moved_here(root, versions, first, record_id)
        if moved is None:
            return part + out
        out = [moved] + part[1:] + out
        path, rev = moved.old_path or "", f"{first.commit}^"
        if moved.old_sheet or record_format(path) != "yaml":
            return out  # it came from a workbook row: the rows' history is not followed further here


def _moved_here(root: Path, versions: VersionReader, created: RecordChange, record_id: str) -> RecordChange | None:
    """The commit's change to the record when it looks at all its files: a move, if the record came from
    another file; None when the commit did create it (or has no parent to have moved it from)."""
    if len(parents(root, created.commit)) != 1:
        return None
    commit = next(iter_commits(root, since=f"{created.commit}^", rev=created.commit, renames=False), None)
    if commit is None:
        return None
    for change in commit_changes(commit, versions, record_id):
        if change.action == "renamed":
            return change
    return None


def _literal(path: str) -> str:
    return f":(literal){path}"
