"""`qms excel import`: bring an exported workbook back into the record files, all or nothing.

Each row is read the way the loader reads a sheet row (tabular.py: header names, `;` lists, dotted
nested parts), laid over the record it names and validated by the same `to_record`; the repository as
it would be is then checked by every rule. Only when no row has an error or a conflict are the files
written, each atomically, and if one write fails the files already written are put back.

A YAML record gets a round-trip edit of exactly the fields that changed (comments, key order and
quoting elsewhere survive); a record that is a row of a workbook is changed in that workbook's cells;
a new row becomes a new file in the folder where its kind lives. Equal values touch nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from ..codes.schema import BAD_ID
from ..findings import Finding
from ..gitio.history import diff_fields
from ..load.records import to_record
from ..load.repo import Loaded
from ..model import Record, kind_of_sheet
from ..model.canonical import content_hash
from ..recordset import RecordSet
from .reading import Row, open_workbook, read_meta, sheet_records
from .results import Conflict, ImportPlan
from .sheets import columns, content
from .writing import apply, build_writes

# Findings any edit of a reviewed or approved record brings, whoever makes it: downstream links to
# re-review (QMS207), an approval the change voids (QMS600), a released record changed outside change
# control (QMS601). They are what the edit asks people to do next, not a wrong value: reported, not blocking.
FOLLOW_UPS = frozenset({"QMS207", "QMS600", "QMS601"})


def _overlay(record: Record, row: Row) -> dict[str, Any]:
    """The record's current content with the sheet's columns laid over it (an empty cell clears the field)."""
    raw = record.model_dump(exclude_defaults=True)
    raw["id"] = record.id
    for column in row.columns:
        top = column.top.name
        if column.sub is None:
            if top in row.raw:
                raw[top] = row.raw[top]
            else:
                raw.pop(top, None)
            continue
        given = row.raw.get(top, {})
        part = raw.get(top)
        if column.sub.name in given:
            if not isinstance(part, dict):
                part = raw[top] = {}
            part[column.sub.name] = given[column.sub.name]
        elif isinstance(part, dict):
            part.pop(column.sub.name, None)
            if not part:
                raw.pop(top)
    return raw


def plan_import(root: Path, loaded: Loaded, records: RecordSet, as_of: dt.date, path: Path,
                display: str) -> ImportPlan:
    wb = open_workbook(path, display)
    commit, meta = read_meta(wb, display)
    plan = ImportPlan(display, commit)
    rows: list[Row] = []
    for ws in wb.worksheets:
        if ws.title.startswith("_"):
            continue
        kind = kind_of_sheet(ws.title)
        if kind is None or not columns(kind):
            plan.ignored_sheets.append(ws.title)
            continue
        rows += sheet_records(ws, kind, plan)
    seen: dict[str, Row] = {}
    for row in rows:
        rid = row.raw["id"]
        if rid in seen:
            plan.errors.append(BAD_ID.finding(row.source.at(("id",)), f"{rid} appears twice in the workbook "
                                              f"(first on {seen[rid].sheet} row {seen[rid].number})", rid))
        seen.setdefault(rid, row)
    plan.not_in_workbook = sorted(set(meta) - set(seen))

    updated: dict[str, tuple[Record, Row, Record | None]] = {}  # id -> (new record, row, old record)
    for rid, row in seen.items():
        old = records.get(rid)
        if old is not None and old.KIND != row.kind.name:
            plan.errors.append(BAD_ID.finding(row.source.at(("id",)), f"{rid} is a {old.KIND} record, "
                                              f"not a {row.kind.name}", rid))
            continue
        raw = _overlay(old, row) if old is not None else row.raw
        new, problems = to_record(raw, row.kind, row.source)
        plan.errors += [p for p in problems if p.location not in row.unread]  # a formula's cell: reported as such
        if new is None:
            continue
        if old is None:
            if rid in meta:
                plan.conflicts.append(Conflict(row.source.at(("id",)), rid, "was exported but is no longer in "
                                               "the repository (deleted or renamed since the export)"))
                continue
            updated[rid] = (new, row, None)
            continue
        before, after = content(old), content(new)
        if not diff_fields(before, after):
            continue
        exported = meta.get(rid)
        if exported is None:
            plan.conflicts.append(Conflict(row.source.at(("id",)), rid, "exists in the repository but was not "
                                           "part of this export; export it and edit that row"))
            continue
        if exported.content_hash != content_hash(old) or exported.status != old.status:
            differ = tuple((f.field, f.new, f.old) for f in diff_fields(before, after))
            plan.conflicts.append(Conflict(row.source.at(("id",)), rid, "changed in the repository since the "
                                           f"export{' at ' + commit[:12] if commit else ''}; nothing was "
                                           "overwritten", differ))
            continue
        updated[rid] = (new, row, old)

    if updated:
        _check_rules(plan, loaded, records, updated, as_of)
    if not plan.blocked:
        build_writes(plan, root, loaded, records, updated)
    return plan


def _key(f: Finding) -> tuple[str, str, str]:
    return (f.code, f.record or "", f.message)


def _check_rules(plan: ImportPlan, loaded: Loaded, records: RecordSet,
                 updated: dict[str, tuple[Record, Row, Record | None]], as_of: dt.date) -> None:
    """Errors the rules find in the repository as it would be that they do not find in it now."""
    from ..rules import check

    kept = [(r, s) for r, s in loaded.records if r.id not in updated]
    merged = RecordSet(kept + [(new, row.source) for new, row, _ in updated.values()], loaded.config)
    before = Counter(_key(f) for f in check(records, loaded.findings, as_of, loaded.exports).findings
                     if f.severity == "error")
    for finding in check(merged, loaded.findings, as_of, loaded.exports).findings:
        if finding.severity != "error":
            continue
        if before[_key(finding)]:
            before[_key(finding)] -= 1
            continue
        (plan.follow_ups if finding.code in FOLLOW_UPS else plan.errors).append(finding)


__all__ = ["ImportPlan", "apply", "plan_import"]
