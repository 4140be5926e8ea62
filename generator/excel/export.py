"""`qms excel export`: records into a workbook people can edit and bring back.

One sheet per kind, named after the kind so the loader and the import read it back as that kind; a
header row of field names (each with its description as a cell comment), dropdowns for enumerated
fields and links (the valid IDs on the hidden `_lists` sheet), and a hidden `_meta` sheet holding the
export commit and each record's content hash and status, against which the import finds conflicts.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from ..findings import QmsError
from ..model import ANY_KIND, Kind, Record
from ..model.canonical import content_hash
from ..recordset import RecordSet
from ..render.xlsx import BORDER, HEADER_FILL, HEADER_FONT, WRAP, new_workbook, workbook_bytes
from ..xmltext import xml_text
from .sheets import Column, cell_of, columns, put, value_at

META = "_meta"
LISTS = "_lists"
META_HEADER = ("id", "kind", "sheet", "row", "content_hash", "status")
META_FIRST = 4  # row of META_HEADER
LAST_ROW = 1048576


@dataclass(frozen=True)
class Selection:
    kinds: tuple[Kind, ...]
    where: tuple[tuple[str, tuple[str, ...]], ...]  # (field, accepted values)

    def describe(self) -> str:
        kinds = ",".join(k.prefixes[0] for k in self.kinds)
        wheres = " ".join(f"{f}={','.join(v)}" for f, v in self.where)
        return f"kinds={kinds}" + (f" where {wheres}" if wheres else "")


def exportable(kind: Kind) -> bool:
    return bool(columns(kind))


def parse_where(items: Iterable[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QmsError(f"--where {item!r}: write FIELD=VALUE (VALUE may list alternatives: status=draft,in_review)")
        out.append((name.strip(), tuple(v.strip() for v in value.split(","))))
    return tuple(out)


def _matches(record: Record, kind: Kind, where: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    by_header = {c.header: c for c in columns(kind)}
    for name, accepted in where:
        column = by_header.get(name)
        if column is None:
            return False
        value = cell_of(value_at(record, column), column, record.id)
        shown = [] if value is None else [p.strip() for p in str(value).split(";")] if column.many else [
            value.isoformat() if hasattr(value, "isoformat") else str(value)]
        if not any(v in accepted for v in shown) and not (not shown and "" in accepted):
            return False
    return True


def select(records: RecordSet, selection: Selection) -> dict[Kind, list[Record]]:
    out: dict[Kind, list[Record]] = {}
    for kind in selection.kinds:
        for where_field, _ in selection.where:
            if where_field not in {c.header for c in columns(kind)}:
                raise QmsError(f"--where: '{where_field}' is not a column of {kind.name} records")
        out[kind] = [r for r in records.of_kind(kind.name) if _matches(r, kind, selection.where)]
    return out


def export_commit(root: Path) -> str:
    """HEAD's SHA, or '' outside git (the export then has no commit to name)."""
    try:
        proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _cells(record: Record, cols: list[Column]) -> list[Any]:
    """The record's row of cells; QmsError when a value cannot be kept in a cell (see cell_of)."""
    return [cell_of(value_at(record, column), column, f"{record.id} '{column.header}'") for column in cols]


def build_workbook(records: RecordSet, chosen: dict[Kind, list[Record]], commit: str, describe: str,
                   skipped: list[tuple[str, str]] | None = None) -> Workbook:
    """The export workbook. A record with a value no cell can keep (a list item holding ';', a text longer than a
    cell) is left out, its reason appended to `skipped`: it stays editable in its YAML file, and the import,
    which changes only the rows it finds, leaves it alone."""
    wb = new_workbook()
    lists = _Lists(records)
    meta_rows: list[list[Any]] = []
    for kind, rows in chosen.items():
        sheet = kind.name
        ws = wb.create_sheet(sheet)
        cols = columns(kind)
        for c, column in enumerate(cols, 1):
            cell = ws.cell(1, c, xml_text(column.header))
            cell.fill, cell.font, cell.alignment, cell.border = HEADER_FILL, HEADER_FONT, WRAP, BORDER
            if column.description:
                cell.comment = Comment(column.description, "qms", width=300, height=80)
        widths = [len(c.header) + 4 for c in cols]
        r = 1
        for record in rows:
            try:
                cells = _cells(record, cols)
            except QmsError as err:
                if skipped is None:
                    raise
                skipped.append((record.id, str(err)))
                continue
            r += 1
            for c, (column, value) in enumerate(zip(cols, cells), 1):
                if value is None:
                    continue
                cell = ws.cell(r, c)
                put(cell, xml_text(value) if isinstance(value, str) else value, column)
                cell.alignment = WRAP
                widths[c - 1] = max(widths[c - 1], len(str(value)) + 2)
            meta_rows.append([xml_text(record.id), kind.name, sheet, r, content_hash(record), xml_text(record.status)])
        for c, column in enumerate(cols, 1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].width = max(10, min(60, widths[c - 1]))
            lists.validate(ws, letter, kind, column)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{r}"
    lists.write(wb)
    meta = wb.create_sheet(META)
    meta.append(["export_commit", commit])
    meta.append(["selection", xml_text(describe)])
    meta.append(["note", "written by `qms excel export`; `qms excel import` compares each row with these hashes"])
    meta.append(list(META_HEADER))
    for row in meta_rows:
        meta.append(row)
    meta.sheet_state = "hidden"
    return wb


class _Lists:
    """The hidden sheet of dropdown values: one column per list (a lifecycle, an enum, the IDs of link targets)."""

    def __init__(self, records: RecordSet):
        self.records = records
        self.columns: dict[tuple[str, ...], str] = {}  # values -> column letter on the lists sheet

    def validate(self, ws: Any, letter: str, kind: Kind, column: Column) -> None:
        if column.header == "status":
            values, strict = tuple(kind.lifecycle), True
        elif column.info.enum:
            values, strict = column.info.enum, not column.many
        elif column.links and ANY_KIND not in column.links:
            values = tuple(sorted(r.id for k in column.links for r in self.records.of_kind(k)))
            strict = not column.many  # a list cell holds several IDs; the dropdown offers one at a time
        else:
            return
        if not values:
            return
        ref = self._range(values)
        dv = DataValidation(type="list", formula1=ref, allow_blank=True, showDropDown=False,
                            showErrorMessage=strict, errorStyle="stop",
                            error=f"'{column.header}' takes one of the listed values", errorTitle=column.header)
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)

    def _range(self, values: tuple[str, ...]) -> str:
        letter = self.columns.get(values)
        if letter is None:
            letter = get_column_letter(len(self.columns) + 1)
            self.columns[values] = letter
        return f"'{LISTS}'!${letter}$1:${letter}${len(values)}"

    def write(self, wb: Workbook) -> None:
        ws = wb.create_sheet(LISTS)
        for values, letter in self.columns.items():
            for i, value in enumerate(values, 1):
                cell = ws[f"{letter}{i}"]
                cell.value = xml_text(value) if isinstance(value, str) else value
                cell.data_type = "s"
        ws.sheet_state = "hidden"


def export_bytes(records: RecordSet, selection: Selection, commit: str,
                 skipped: list[tuple[str, str]] | None = None) -> tuple[bytes, dict[Kind, int]]:
    """The workbook's bytes and the records written per kind (those left out are (ID, reason) in `skipped`)."""
    chosen = select(records, selection)
    left_out: list[tuple[str, str]] = [] if skipped is None else skipped
    wb = build_workbook(records, chosen, commit, selection.describe(), left_out)
    out_ids = {rid for rid, _ in left_out}
    return workbook_bytes(wb), {k: sum(1 for r in v if r.id not in out_ids) for k, v in chosen.items()}
