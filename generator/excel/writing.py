"""The files an import writes: round-trip edits of YAML records, new YAML files, cells of bulk workbooks.

Every new content is built in memory and read back through the loader before anything is written: it
must hold exactly the record the sheet gives. Then all files are written, each atomically; if one
write fails, the ones already written are put back.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any

from ..atomic import write_bytes
from ..codes.schema import INVALID_VALUE
from ..edit.fields import DELETE, FieldEditError, new_text, set_fields
from ..findings import Location, QmsError
from ..gitio.history import diff_fields
from ..load.records import to_record
from ..load.repo import Loaded
from ..load.source import Source
from ..load.tabular import header_name, load_workbook, present
from ..load.yamlfile import YamlProblem, parse_yaml
from ..model import Kind, Record
from ..paths import UnsafePath
from ..paths import name as file_name
from ..recordset import RecordSet
from ..render.xlsx import pin_zip
from ..xmltext import xml_text
from .reading import Row
from .results import Change, ImportPlan
from .sheets import Column, cell_of, content, part, put, value_at

SPEC_KINDS = ("user_need", "requirement", "policy")  # kinds whose YAML lives under specs/


def _yaml_value(record: Record, column: Column) -> Any:
    value = value_at(record, column)
    if value is None or value == [] or value == "":
        return DELETE
    if isinstance(value, list):
        cell = cell_of(value, column, record.id)
        return [p.strip() for p in str(cell).split(";")] if cell else DELETE  # a list's cell is text
    cell = cell_of(value, column, record.id)
    return value if isinstance(value, (dt.date, bool, int, float)) else cell


def _folder(kind: Kind, loaded: Loaded) -> str:
    """Where the kind's YAML records live: the folder most of them are in, else the usual place."""
    folders = Counter(s.file.rsplit("/", 1)[0] for r, s in loaded.records
                      if r.KIND == kind.name and not s.sheet and s.file.endswith((".yaml", ".yml")))
    if folders:
        return sorted(folders.items(), key=lambda item: (-item[1], item[0]))[0][0]
    if kind.folder == "protocols":
        return "protocols"
    return f"{'specs' if kind.name in SPEC_KINDS else 'records'}/{kind.folder}"


def build_writes(plan: ImportPlan, root: Path, loaded: Loaded, records: RecordSet,
                 updated: dict[str, tuple[Record, Row, Record | None]]) -> None:
    workbooks: dict[str, list[tuple[Record, Row, Record | None, Source | None]]] = {}
    for rid in sorted(updated):
        new, row, old = updated[rid]
        source = records.sources.get(rid) if old is not None else None
        if source is None and row.kind.bulk:
            source = _bulk_home(row.kind, loaded)
        fields = diff_fields(content(old), content(new)) if old is not None else diff_fields({}, content(new))
        if source is not None and source.sheet:
            workbooks.setdefault(source.file, []).append((new, row, old, source))
            plan.changes.append(Change(rid, row.kind.name, "changed" if old else "created", source.file,
                                       source.sheet, fields))
            continue
        if source is not None and not source.file.endswith((".yaml", ".yml")):
            plan.errors.append(INVALID_VALUE.finding(row.source.at(("id",)), f"{rid} is a row of {source.file}, "
                                                     "which an import does not edit", rid,
                                                     hint="edit it in that file"))
            continue
        try:
            if old is not None and source is not None:  # a record loaded has a source
                rel = source.file
                _yaml_change(plan, root, rel, new, old, row)
            else:
                rel = f"{_folder(row.kind, loaded)}/{file_name(rid, 'ID')}.yaml"
                _yaml_new(plan, root, rel, new, row)
        except (FieldEditError, UnsafePath, OSError) as err:
            plan.errors.append(INVALID_VALUE.finding(row.source.at(("id",)), f"{rid}: {err}", rid))
            continue
        plan.changes.append(Change(rid, row.kind.name, "changed" if old else "created", rel, "", fields))
    for rel, items in sorted(workbooks.items()):
        try:
            _workbook_change(plan, root, rel, items)
        except (QmsError, OSError) as err:
            plan.errors.append(INVALID_VALUE.finding(Location(rel), f"{err}"))
    if plan.errors:
        plan.writes.clear()


def _bulk_home(kind: Kind, loaded: Loaded) -> Source | None:
    """The first workbook sheet holding rows of `kind`: where a new row of it goes."""
    homes = sorted({(s.file, s.sheet) for r, s in loaded.records if r.KIND == kind.name and s.sheet})
    return Source(homes[0][0], homes[0][1], (0, -1), {}) if homes else None


def _holds(text: str, rel: str, new: Record) -> bool:
    try:
        doc = parse_yaml(text.encode("utf-8"), rel)
    except YamlProblem:
        return False
    record, _ = to_record(doc.data, None, Source(rel), fallback_id=Path(rel).stem)
    return record is not None and content(record) == content(new)


def _yaml_change(plan: ImportPlan, root: Path, rel: str, new: Record, old: Record, row: Row) -> None:
    raw = (root / rel).read_bytes()
    text = raw.decode("utf-8-sig")
    before, after = content(old), content(new)
    changes, links = {}, set()
    for column in row.columns:
        if part(before, column.path) != part(after, column.path):
            changes[column.path] = _yaml_value(new, column)
            if column.links:
                links.add(column.path)
    merged, whole = set_fields(text, changes, frozenset(links), rel, type(new))
    for candidate in (merged, whole):
        if _holds(candidate, rel, new):
            bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
            plan.writes[rel] = (raw, (bom + candidate).encode("utf-8"))
            return
    raise FieldEditError(f"{rel}: the edited file would not hold the record as the sheet gives it; "
                         "it was left unchanged")


def _yaml_new(plan: ImportPlan, root: Path, rel: str, new: Record, row: Row) -> None:
    if (root / rel).exists() or rel in plan.writes:
        raise FieldEditError(f"{rel} already exists (a record that does not load?); run `qms validate`")
    fields: list[tuple[str, Any]] = []
    links = set()
    nested: dict[str, dict[str, Any]] = {}
    for column in row.columns:
        value = _yaml_value(new, column)
        if value is DELETE:
            continue
        if column.links:
            links.add((column.top.name,))
        if column.sub is None:
            fields.append((column.top.name, value))
        else:
            if column.top.name not in nested:
                nested[column.top.name] = {}
                fields.append((column.top.name, nested[column.top.name]))
            nested[column.top.name][column.sub.name] = value
    text = new_text(fields, frozenset(links))
    if not _holds(text, rel, new):
        raise FieldEditError(f"{rel}: the new file would not hold the record as the sheet gives it")
    plan.writes[rel] = (None, text.encode("utf-8"))


def _workbook_change(plan: ImportPlan, root: Path, rel: str,
                     items: list[tuple[Record, Row, Record | None, Source | None]]) -> None:
    """Change the cells of bulk records in their own workbook, and append new rows to it."""
    from openpyxl import load_workbook as open_workbook

    raw = (root / rel).read_bytes()
    wb = open_workbook(io.BytesIO(raw), rich_text=False)
    stamp = wb.properties.created
    for new, row, old, source in items:
        assert source is not None
        ws = wb[source.sheet]
        header_row, header = _header_of(ws)
        number = source.root[0] if old is not None else _last_row(ws) + 1
        before = content(old) if old is not None else {}
        after = content(new)
        for column in row.columns:
            if old is not None and part(before, column.path) == part(after, column.path):
                continue
            value = cell_of(value_at(new, column), column, new.id)
            col = header.get(column.header)
            if col is None:
                if value is None:
                    continue  # the workbook has no column for a value the record does not have
                col = max(header.values(), default=0) + 1
                ws.cell(header_row, col, column.header)
                header[column.header] = col
            put(ws.cell(number, col), xml_text(value) if isinstance(value, str) else value, column)
    out = io.BytesIO()
    wb.save(out)
    data = pin_zip(out.getvalue(), stamp) if stamp else pin_zip(out.getvalue())
    got, problems = load_workbook(root / rel, rel, data)
    by_id = {r.id: r for r, _ in got}
    for new, *_ in items:
        loaded = by_id.get(new.id)
        if loaded is None or content(loaded) != content(new):
            raise QmsError(f"{rel}: the edited workbook would not hold {new.id} as the sheet gives it; "
                           "it was left unchanged")
    plan.writes[rel] = (raw, data)


def _header_of(ws: Any) -> tuple[int, dict[str, int]]:
    for cells in ws.iter_rows():
        if any(present(c.value) for c in cells):
            return cells[0].row, {header_name(c.value): c.column for c in cells if present(c.value)}
    return 1, {}


def _last_row(ws: Any) -> int:
    last = 0
    for cells in ws.iter_rows():
        if any(present(c.value) for c in cells):
            last = cells[0].row
    return last


# --------------------------------------------------------------------------- writing


def apply(plan: ImportPlan, root: Path) -> None:
    """Write every planned file; if one write fails, put back those already written."""
    done: list[tuple[str, bytes | None]] = []
    for rel, (old, new) in sorted(plan.writes.items()):
        try:
            write_bytes(root / rel, new)
        except OSError as err:
            lost = _restore(root, done)
            tail = f"; could not restore {', '.join(lost)}" if lost else "; the files already written were restored"
            raise QmsError(f"writing {rel} failed ({err.strerror or err}){tail}, nothing was imported") from None
        done.append((rel, old))


def _restore(root: Path, done: list[tuple[str, bytes | None]]) -> list[str]:
    """Put back the files written so far (remove those created); the ones that could not be, by path."""
    lost = []
    for rel, old in reversed(done):
        try:
            if old is None:
                (root / rel).unlink(missing_ok=True)
            else:
                write_bytes(root / rel, old)
        except OSError:
            lost.append(rel)
    return lost
