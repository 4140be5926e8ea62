"""Reading an edited workbook: its `_meta` sheet and its rows, as the loader reads a sheet (tabular.py).

Values come from openpyxl with formulas as written, so a formula is found and refused (its cached result
is not trusted) and an Excel error value is reported at its cell rather than read as text. As the loader
does, the package is scanned first (load/xlsxscan.py): a sheet whose cells span an absurd grid is refused
before openpyxl would walk it, and a hidden record sheet's rows are refused, not applied.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..codes.schema import BAD_ID, HEADER, INVALID_VALUE, MISSING_FIELD
from ..findings import Finding, Location, QmsError
from ..load.files import MAX_TABLE_BYTES, read_regular
from ..load.source import Source
from ..load.tabular import (
    control_findings,
    field_columns,
    number_dates,
    present,
    row_fields,
    scan_sheets,
    sheet_problems,
    workbook_problem,
)
from ..load.xlsxscan import SheetScan
from ..model import Kind
from ..model import plan as field_plan
from .export import META, META_FIRST, META_HEADER
from .results import ImportPlan
from .sheets import Column, columns

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass
class Row:
    kind: Kind
    sheet: str
    number: int
    raw: dict[str, Any]
    source: Source
    columns: list[Column]
    # Cells holding a formula or an Excel error: reported as such, so what the schema says of them is not.
    unread: frozenset[Location] = frozenset()


@dataclass
class Meta:
    kind: str
    sheet: str
    row: int
    content_hash: str
    status: str


# --------------------------------------------------------------------------- reading the workbook


def open_workbook(path: Path, display: str) -> Workbook:
    from openpyxl import load_workbook

    try:
        raw = read_regular(path, MAX_TABLE_BYTES)  # a regular file, size checked before it is read
    except OSError as err:
        raise QmsError(f"cannot read {display}: {err.strerror or err}") from None
    problem = workbook_problem(raw, display)
    if problem:
        raise QmsError(f"{problem.location}: {problem.message}")
    scans = scan_sheets(raw, display)
    if not isinstance(scans, dict):
        raise QmsError(f"{scans.location}: {scans.message}")
    for scan in scans.values():  # any sheet, `_meta` too: openpyxl would walk the whole grid of each
        if scan.absurd:
            problem = sheet_problems(scan, display, scan.name)[0][0]
            raise QmsError(f"{problem.location}: {problem.message}")
    try:
        return load_workbook(io.BytesIO(raw), data_only=False, rich_text=False)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many types for a broken package
        raise QmsError(f"{display}: workbook cannot be read: {err}") from None


def read_meta(wb: Workbook, display: str) -> tuple[str, dict[str, Meta]]:
    if META not in wb.sheetnames:
        raise QmsError(f"{display} has no {META} sheet: it was not written by `qms excel export`, so its rows "
                       "cannot be checked for conflicts; export the records and edit that workbook")
    rows = list(wb[META].iter_rows(values_only=True))
    commit = ""
    if rows and rows[0] and rows[0][0] == "export_commit":
        commit = str(rows[0][1] or "")
    if len(rows) < META_FIRST or tuple(rows[META_FIRST - 1][:len(META_HEADER)]) != META_HEADER:
        raise QmsError(f"{display}[{META}]: the export's record hashes are not where `qms excel export` "
                       "put them; export again")
    meta: dict[str, Meta] = {}
    for row in rows[META_FIRST:]:
        if not row or not row[0]:
            continue
        rid, kind, sheet, number, digest, status = (list(row) + [None] * 6)[:6]
        meta[str(rid)] = Meta(str(kind), str(sheet), int(number or 0), str(digest or ""), str(status or ""))
    return commit, meta


def _sheet_rows(ws: Any, plan: ImportPlan, bad: dict[int, list[Finding]]) -> list[tuple[int, list[Any]]]:
    """(row number, values) of a sheet; a formula or an error value is an error at its cell, put in `bad`
    by row (the row's record is named in it once known) and read as an empty cell."""
    out = []
    for cells in ws.iter_rows():
        values = []
        for cell in cells:
            value = cell.value
            if cell.data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
                bad.setdefault(cell.row, []).append(INVALID_VALUE.finding(
                    Location(plan.workbook, cell.row, cell.column - 1, ws.title),
                    f"cell holds a formula ({str(getattr(value, 'text', value))[:40]}); formulas are not imported "
                    "and their cached results are not trusted", hint="type the value itself"))
                value = None
            elif cell.data_type == "e":
                bad.setdefault(cell.row, []).append(INVALID_VALUE.finding(
                    Location(plan.workbook, cell.row, cell.column - 1, ws.title),
                    f"cell holds the Excel error {value}", hint="type the value itself"))
                value = None
            values.append(value)
        if cells:
            out.append((cells[0].row, values))
    return out


def sheet_records(ws: Worksheet, kind: Kind, plan: ImportPlan) -> list[Row]:
    """The sheet's data rows as raw mappings, read as tabular.load_rows reads them."""
    sheet = ws.title
    if ws.sheet_state != "visible":  # refused as the loader refuses it, with the same words
        plan.errors += sheet_problems(SheetScan(sheet, ws.sheet_state), plan.workbook, sheet)[0]
        return []
    unread: dict[int, list[Finding]] = {}
    rows = iter(_sheet_rows(ws, plan, unread))
    try:
        return _rows(rows, kind, plan, sheet, unread)
    finally:  # cells in no record's row (the header, a row without an ID)
        plan.errors += [f for cells in unread.values() for f in cells]


def _rows(rows: Iterator[tuple[int, list[Any]]], kind: Kind, plan: ImportPlan, sheet: str,
          unread_cells: dict[int, list[Finding]]) -> list[Row]:
    header, header_row = None, 0
    for number, cells in rows:
        if any(present(c) for c in cells):
            header, header_row = cells, number
            break
    if header is None:
        return []
    found, problems = field_columns(header, header_row, kind, plan.workbook, sheet)
    plan.errors += problems
    names = {name for _, name in found}
    if "id" not in names:
        plan.errors.append(HEADER.finding(Location(plan.workbook, header_row, 0, sheet),
                                          f"header row {header_row} has no 'id' column"))
        return []
    by_header = {c.header: c for c in columns(kind)}
    sheet_columns = [by_header[name] for _, name in found if name in by_header]
    unusable = [name for _, name in found if name not in by_header]
    for col, name in found:
        plan.headers[(sheet, col)] = name
        if name in unusable:
            plan.errors.append(HEADER.finding(Location(plan.workbook, header_row, col, sheet),
                                              f"column '{name}' has no cell form; edit it in the record's file",
                                              hint="remove the column"))
    if unusable:
        return []
    fields = field_plan(kind.models[0]).fields
    id_col = next(i for i, name in found if name == "id")
    out = []
    for number, cells in rows:
        if not any(present(c) for c in cells):
            continue
        bad = control_findings(cells, number, plan.workbook, sheet)
        if bad:
            plan.errors += bad
            continue
        raw, anchors = row_fields(cells, found, fields, number)
        source = Source(plan.workbook, sheet, (number, id_col), anchors)
        for col, name in found:  # an empty cell still locates its field (a required value left out)
            top, _, sub = name.partition(".")
            source.anchors.setdefault((top, sub) if sub else (top,), (number, col))
        if "id" not in raw:
            plan.errors.append(MISSING_FIELD.finding(Location(plan.workbook, number, id_col, sheet),
                                                     f"row {number} has data but no id", hint="give every row an ID"))
            continue
        rid = raw["id"]
        if not isinstance(rid, str) or not kind.id_re.match(rid):
            plan.errors.append(BAD_ID.finding(source.at(("id",)), f"'{rid}' is not a {kind.name} ID",
                                              str(rid), hint=f"{kind.name} IDs look like {kind.id_example}"))
            continue
        unread = [replace(f, record=rid) for f in unread_cells.pop(number, [])]
        plan.errors += unread
        dates = number_dates(raw, kind.models[0], source, rid)
        if dates:
            plan.errors += dates
            continue
        out.append(Row(kind, sheet, number, raw, source, sheet_columns, frozenset(f.location for f in unread)))
    return out
