"""What changed in the records between two commits (two baselines, or any git revisions), field by field.

Each side is the record content at one commit: every record file in its tree (`git ls-tree`), parsed
with the audit trail's own reader (history.VersionReader: one `git cat-file --batch` process, YAML,
workbook and CSV rows reduced to canonical fields). Records are matched by ID, not by file, so a file
renamed or a record moved to another folder or into a workbook is the same record: it is *changed*
only when its canonical content differs, and otherwise listed under `moved` for information (where a
record lives is not part of its content, as for approvals).

Coverage by change control (ISO 13485 7.3.9, 21 CFR 820.30(i)): a record's change is *covered* when a
change control in the TARGET tree names it under `affected`, is approved or later there (status
approved, implemented, verified or closed), carries an `approved` date no later than the target
commit's date, and was still open at BASE (absent there, or not yet closed). So a change control
approved before the base baseline but implemented after it covers the change; one already closed at
the base authorised nothing since, and an old approval cannot cover a new change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import QmsError
from .baseline import TAG_PREFIX, baseline_ref
from .history import FieldChange, Held, VersionReader, diff_fields, record_format
from .log import HISTORY_ROOTS, _git, require_history, resolve

if TYPE_CHECKING:
    from ..model.raw import JsonObject

# A change control counts from approval on (rules/changes.py APPROVED_OR_LATER); `closed` at the base
# means it was finished before the base baseline.
APPROVED_OR_LATER = ("approved", "implemented", "verified", "closed")
FINISHED = ("closed",)


@dataclass(frozen=True)
class Side:
    """One end of a diff: what was asked for, the baseline tag it names (if any), the commit and its date."""

    ref: str
    commit: str
    date: dt.datetime  # committer date, with its offset
    baseline: str | None = None  # the tag name, baseline/NAME

    def as_json(self) -> JsonObject:
        return {"ref": self.ref, "baseline": self.baseline, "commit": self.commit, "date": self.date.isoformat()}

    @property
    def label(self) -> str:
        name = f"baseline {self.baseline.removeprefix(TAG_PREFIX)}" if self.baseline else self.ref
        return f"{name} ({self.commit[:12]}, {self.date.date().isoformat()})"


@dataclass(frozen=True)
class Cover:
    """A change control that covers a record's change."""

    id: str
    status: str
    approved: str

    def as_json(self) -> JsonObject:
        return {"id": self.id, "status": self.status, "approved": self.approved}


@dataclass(frozen=True)
class RecordDiff:
    id: str
    kind: str
    action: str  # added | removed | changed
    path: str  # where it is at TARGET (at BASE for a removed record)
    old_path: str | None  # where it was at BASE, when it moved (None otherwise)
    fields: tuple[FieldChange, ...]
    change_controls: tuple[Cover, ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.change_controls)

    def as_json(self) -> JsonObject:
        return {"id": self.id, "kind": self.kind, "path": self.path, "old_path": self.old_path,
                "fields": [f.as_json() for f in self.fields],
                "change_controls": [c.as_json() for c in self.change_controls], "covered": self.covered}


@dataclass(frozen=True)
class Moved:
    id: str
    kind: str
    old_path: str
    path: str

    def as_json(self) -> JsonObject:
        return {"id": self.id, "kind": self.kind, "old_path": self.old_path, "path": self.path}


@dataclass(frozen=True)
class Diff:
    base: Side
    target: Side
    added: tuple[RecordDiff, ...] = ()
    removed: tuple[RecordDiff, ...] = ()
    changed: tuple[RecordDiff, ...] = ()
    moved: tuple[Moved, ...] = field(default_factory=tuple)

    @property
    def entries(self) -> tuple[RecordDiff, ...]:
        return self.added + self.removed + self.changed

    @property
    def uncovered(self) -> list[str]:
        return sorted(e.id for e in self.entries if not e.covered)

    def as_json(self) -> JsonObject:
        return {
            "base": self.base.as_json(),
            "target": self.target.as_json(),
            "summary": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed),
                        "moved": len(self.moved), "uncovered": len(self.uncovered)},
            "added": [e.as_json() for e in self.added],
            "removed": [e.as_json() for e in self.removed],
            "changed": [e.as_json() for e in self.changed],
            "moved": [m.as_json() for m in self.moved],
        }


# --------------------------------------------------------------------------- reading one side


def side(root: Path, ref: str) -> Side:
    """The commit a baseline name (its tag baseline/NAME) or any git revision names; QmsError if none."""
    tag = baseline_ref(root, ref)
    try:
        commit = resolve(root, tag or ref)
    except QmsError:
        raise QmsError(f"unknown baseline or git revision '{ref}': no tag {TAG_PREFIX}{ref} and no commit "
                       f"by that name in {root}") from None
    proc = _git(root, "show", "-s", "--format=%cI", commit)
    if proc.returncode != 0:
        raise QmsError(f"git show failed in {root} for {commit}")
    date = dt.datetime.fromisoformat(proc.stdout.decode().strip())
    return Side(ref, commit, date, tag.removeprefix("refs/tags/") if tag else None)


def tree_blobs(root: Path, commit: str) -> list[tuple[str, str]]:
    """(path, blob) of every record file in the commit's tree, sorted by path."""
    proc = _git(root, "ls-tree", "-r", "-z", commit, "--", *HISTORY_ROOTS)
    if proc.returncode != 0:
        raise QmsError(f"git ls-tree failed in {root} for {commit}")
    out = []
    for entry in proc.stdout.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        parts = meta.split(b" ")
        if not name or len(parts) != 3 or parts[0] not in (b"100644", b"100755"):
            continue
        path = name.decode("utf-8", "surrogateescape")
        if record_format(path) is not None:
            out.append((path, parts[2].decode("ascii")))
    return sorted(out)


def records_at(root: Path, commit: str, versions: VersionReader) -> dict[str, tuple[str, Held]]:
    """Record ID -> (file, content) at the commit; a duplicated ID keeps its first file by path."""
    found: dict[str, tuple[str, Held]] = {}
    for path, blob in tree_blobs(root, commit):
        for record_id, held in versions.records(blob, path).items():
            found.setdefault(record_id, (path, held))
    return found


# --------------------------------------------------------------------------- change controls


def _refs(fields: dict[str, Any], name: str) -> set[str]:
    """The IDs of a flattened link list (`affected[0]`, `affected[1]` ...) or single link (`affected`)."""
    return {str(v) for k, v in fields.items() if (k == name or k.startswith(f"{name}[")) and v is not None}


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def covering(before: dict[str, tuple[str, Held]], after: dict[str, tuple[str, Held]],
             until: dt.date) -> dict[str, list[Cover]]:
    """Record ID -> the change controls that cover its change (see the module docstring), sorted by ID."""
    out: dict[str, list[Cover]] = {}
    for cc_id, (_, held) in sorted(after.items()):
        if held.kind != "change":
            continue
        status = str(held.fields.get("status", ""))
        approved = _day(held.fields.get("approved"))
        if status not in APPROVED_OR_LATER or approved is None or approved > until:
            continue
        earlier = before.get(cc_id)
        if earlier is not None and earlier[1].kind == "change" and earlier[1].fields.get("status") in FINISHED:
            continue
        for record_id in sorted(_refs(held.fields, "affected")):
            out.setdefault(record_id, []).append(Cover(cc_id, status, approved.isoformat()))
    return out


# --------------------------------------------------------------------------- the diff


def diff(root: Path, base: str, target: str = "HEAD") -> Diff:
    """The records added, removed, changed (and moved) from `base` to `target`."""
    require_history(root)
    old_side, new_side = side(root, base), side(root, target)
    with VersionReader(root) as versions:
        before = records_at(root, old_side.commit, versions)
        after = records_at(root, new_side.commit, versions)
    covers = covering(before, after, new_side.date.date())
    added, removed, changed, moved = [], [], [], []
    for record_id in sorted(before.keys() | after.keys()):
        old, new = before.get(record_id), after.get(record_id)
        ccs = tuple(covers.get(record_id, ()))
        if old is None:
            assert new is not None
            added.append(RecordDiff(record_id, new[1].kind, "added", new[0], None,
                                    diff_fields({}, new[1].fields), ccs))
        elif new is None:
            removed.append(RecordDiff(record_id, old[1].kind, "removed", old[0], None,
                                      diff_fields(old[1].fields, {}), ccs))
        else:
            where_old, where_new = _where(old), _where(new)
            fields = diff_fields(old[1].fields, new[1].fields)
            if fields:
                changed.append(RecordDiff(record_id, new[1].kind or old[1].kind, "changed", where_new,
                                          where_old if where_old != where_new else None, fields, ccs))
            elif where_old != where_new:
                moved.append(Moved(record_id, new[1].kind, where_old, where_new))
    return Diff(old_side, new_side, tuple(added), tuple(removed), tuple(changed), tuple(moved))


def _where(entry: tuple[str, Held]) -> str:
    path, held = entry
    return f"{path}[{held.sheet}]" if held.sheet else path
