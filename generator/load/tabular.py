"""Bulk records as rows: Excel workbooks (python-calamine) and CSV exports.

The first non-empty row of a sheet is its header and names the fields (`Supplier lot`
and `supplier_lot` are the same field; `initial_risk.severity` fills a nested one).
A cell in a list field may hold several values separated by `;` or line breaks.

Before a sheet is loaded its package is scanned (xlsxscan.py): a hidden sheet, a grid too large to lay
out, and formula cells are refused at their place, and no cell of such a sheet is trusted. A cell holding
a control character, and a plain number where a date belongs, are refused at their cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import typing
import zipfile
import zlib
from collections.abc import Collection, Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..codes.schema import (
    BAD_DATE,
    BAD_ID,
    HEADER,
    HIDDEN_SHEET,
    INVALID_VALUE,
    MISSING_FIELD,
    SHEET_IGNORED,
    UNKNOWN_FIELD,
    UNSAFE,
    WORKBOOK,
)
from ..findings import Finding, Location, column_letter
from ..model import FieldInfo, Kind, Record, kind_of_sheet, plan
from ..model.raw import RawValue
from .records import to_record
from .salvage import set_aside
from .source import Source, Unvalidated
from .yamlfile import YamlProblem, bad_char, clipped, decode

MAX_UNZIPPED = 2 << 30  # 2 GiB of XML at most
MAX_RATIO = 200  # a higher compression ratio than this is a zip bomb, not a spreadsheet
_SPLIT = re.compile(r"\s*[;\n]\s*")
_OLE = b"\xd0\xcf\x11\xe0"
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?")
_CHAR_HINT = "remove it: control characters cannot be kept in Word, Excel or ReqIF files"


def header_name(cell: object) -> str:
    return re.sub(r"[\s\-]+", "_", str(cell).strip().lower())


Loaded = tuple[list[tuple[Record, Source]], list[Finding]]


def load_workbook(path: Path, rel: str, raw: bytes, unvalidated: list[Unvalidated] | None = None,
                  kinds: Collection[str] | None = None) -> Loaded:
    """The workbook's records and findings; `kinds`: its sheets of these kinds only (the others are not read)."""
    problem = workbook_problem(raw, rel)
    if problem:
        return [], [problem]
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError) as err:
        return [], [WORKBOOK.finding(Location(rel), f"workbook cannot be read: {err}",
                                     hint="re-save it from Excel as .xlsx")]
    scans = scan_sheets(raw, rel)
    if isinstance(scans, Finding):
        return [], [scans]
    records: list[tuple[Record, Source]] = []
    findings: list[Finding] = []
    for name in names:
        if name.startswith("_"):
            continue
        kind = kind_of_sheet(name)
        if kinds is not None and (kind is None or kind.name not in kinds):
            continue
        if kind is None:
            findings.append(SHEET_IGNORED.finding(
                Location(rel, sheet=name), f"sheet '{name}' names no record kind; it was not loaded",
                hint="name sheets after a kind (Lots, Serial units, Shipments ...) or start the name with '_'"))
            continue
        problems, formulas = sheet_problems(scans.get(name), rel, name)
        findings += problems
        if formulas is None:
            continue
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as err:
            findings.append(WORKBOOK.finding(Location(rel, sheet=name), f"sheet cannot be read: {err}"))
            continue
        got, found = load_rows(enumerate(rows, 1), kind, rel, name, unvalidated=unvalidated, formulas=formulas)
        records += got
        findings += found
        findings += [f for cells in formulas.values() for f in cells]  # in no record's row (a header, say)
    return records, findings


if TYPE_CHECKING:
    from .xlsxscan import SheetScan


def scan_sheets(raw: bytes, rel: str) -> dict[str, SheetScan] | Finding:
    """The package scan of every sheet by name, or a finding when the package cannot be scanned."""
    from .xlsxscan import scan_workbook  # its patterns compile on first use: a warm load reads no workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            return {s.name: s for s in scan_workbook(zf)}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as err:
        return WORKBOOK.finding(Location(rel), f"workbook cannot be read: {err}", hint="re-save it from Excel as .xlsx")


def sheet_problems(scan: SheetScan | None, rel: str, name: str) -> tuple[list[Finding], dict[int, list[Finding]] | None]:
    """What the package scan says against a record sheet, and the findings on its formula cells by row (a row
    holding one gives no record; load_rows names the row's record in them); None instead of the rows when no
    cell of the sheet may be read at all. Shared with the import."""
    from .xlsxscan import MAX_CELLS, MAX_COLUMNS, MAX_LISTED, MAX_ROWS

    where = Location(rel, sheet=name)
    if scan is None:  # the reader sees a sheet the package index does not list: do not guess
        return [WORKBOOK.finding(where, f"sheet '{name}' is not listed in the workbook's index; it was not loaded",
                                 hint="re-save it from Excel as .xlsx")], None
    if scan.hidden:
        how = "very hidden (Excel's Unhide menu does not show it)" if scan.state == "veryHidden" else "hidden"
        return [HIDDEN_SHEET.finding(where, f"sheet '{name}' is {how}; its rows were not read",
                                     hint="unhide the sheet, or start its name with '_' if it holds no records")], None
    if scan.absurd:
        if scan.beyond:
            message = f"a cell reference {scan.beyond} lies beyond Excel's {MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns"
        else:
            where = Location(rel, scan.rows, scan.columns - 1, name)
            message = (f"cells reach {column_letter(scan.columns - 1)}{scan.rows}: a grid of {scan.rows:,} rows x "
                       f"{scan.columns:,} columns is more than the {MAX_CELLS:,} cells a sheet may span")
        return [UNSAFE.finding(where, message + "; the sheet was not read",
                               hint="delete the stray cells far from the data (Ctrl+End shows the last one)")], None
    formulas: dict[int, list[Finding]] = {}
    for row, col, text in scan.formulas:
        formulas.setdefault(row, []).append(INVALID_VALUE.finding(
            Location(rel, row, col, name), f"cell holds a formula ({text}); formulas are not loaded and their "
            "cached results are not trusted", hint="type the value itself"))
    if scan.formula_count > len(scan.formulas):
        problems = [f for cells in formulas.values() for f in cells]
        problems.append(INVALID_VALUE.finding(where, f"sheet holds {scan.formula_count:,} formula cells (the first "
                                              f"{MAX_LISTED} are listed); none of its rows were read",
                                              hint="paste the values over the formulas"))
        return problems, None
    return [], formulas


def workbook_problem(raw: bytes, rel: str) -> Finding | None:
    where = Location(rel)
    if raw.startswith(_OLE):
        return WORKBOOK.finding(where, "workbook is encrypted (password-protected) or in the old .xls format",
                                hint="remove the password and save as .xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            total = sum(i.file_size for i in zf.infolist())
            packed = sum(i.compress_size for i in zf.infolist()) or 1
    except (zipfile.BadZipFile, ValueError, OSError):
        return WORKBOOK.finding(where, "not a valid .xlsx workbook (corrupt or not a zip archive)",
                                hint="re-save it from Excel as .xlsx")
    if total > MAX_UNZIPPED or total / packed > MAX_RATIO and total > (64 << 20):
        return WORKBOOK.finding(where, f"workbook expands to {total:,} bytes: refused as a zip bomb")
    return None


def load_csv(path: Path, rel: str, raw: bytes, unvalidated: list[Unvalidated] | None = None) -> Loaded:
    kind = kind_of_sheet(path.stem)
    if kind is None:
        return [], [SHEET_IGNORED.finding(Location(rel), f"'{path.name}' names no record kind; it was not loaded",
                                          hint="name the file after a kind (lots.csv, shipments.csv ...)")]
    try:
        text = decode(raw, rel)
    except YamlProblem as problem:
        return [], [problem.finding]
    reader = csv.reader(io.StringIO(text), csv_dialect(text))

    def rows() -> Iterable[tuple[int, list[Any]]]:
        for row in reader:
            yield reader.line_num, row

    try:
        return load_rows(rows(), kind, rel, "", check_chars=bad_char(text) is not None, unvalidated=unvalidated)
    except csv.Error as err:
        return [], [WORKBOOK.finding(Location(rel, reader.line_num), f"CSV cannot be read: {err}")]


def csv_dialect(text: str) -> type[csv.Dialect]:
    """The dialect the file's first 4,096 characters show (comma, semicolon or tab), as load_csv reads it."""
    try:
        sample = text[:4096]
        return csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        return csv.excel


def load_rows(rows: Iterable[tuple[int, list[Any]]], kind: Kind, rel: str, sheet: str,
              check_chars: bool = True, unvalidated: list[Unvalidated] | None = None,
              formulas: dict[int, list[Finding]] | None = None) -> Loaded:
    """Records from (row number, cells) pairs; the first non-empty row is the header.

    A row with a control character in any cell gives no record (`check_chars` False: none can have one);
    a row that fails its schema goes to `unvalidated` (when given). `formulas` holds the findings on formula
    cells by row: a row's are taken out, named after its record, and stand instead of what the schema says
    of those cells (one cause, one finding); the row gives no record, as a formula's result is not trusted."""
    findings: list[Finding] = []
    records: list[tuple[Record, Source]] = []
    iterator = iter(rows)
    header: list[Any] | None = None
    header_row = 0
    for number, cells in iterator:
        if any(present(c) for c in cells):
            header, header_row = cells, number
            break
    if header is None:
        return [], [HEADER.finding(Location(rel, 1, 0, sheet), "sheet has no header row",
                                   hint="put the field names (id, ...) in the first row")]
    bad = control_findings(header, header_row, rel, sheet) if check_chars else []
    if bad:
        return [], bad
    columns, problems = field_columns(header, header_row, kind, rel, sheet)
    findings += problems
    if "id" not in {name for _, name in columns}:
        findings.append(HEADER.finding(Location(rel, header_row, 0, sheet),
                                       f"header row {header_row} has no 'id' column",
                                       hint="the header row names the fields; one of them must be 'id'"))
        return [], findings
    if any(f.code == HEADER.code for f in findings):
        return [], findings
    fields = plan(kind.model).fields
    id_col = next(i for i, name in columns if name == "id")
    for number, cells in iterator:
        if not any(present(c) for c in cells):
            continue
        bad = control_findings(cells, number, rel, sheet) if check_chars else []
        if bad:
            findings += bad
            continue
        raw, anchors = row_fields(cells, columns, fields, number)
        source = Source(rel, sheet, (number, id_col), anchors)
        if "id" not in raw:
            findings.append(MISSING_FIELD.finding(Location(rel, number, id_col, sheet),
                                                  f"row {number} has data but no id", hint="give every row an ID"))
            continue
        record_id = raw["id"]
        if not isinstance(record_id, str) or not kind.id_re.match(record_id):
            findings.append(BAD_ID.finding(
                source.at(("id",)), f"'{record_id}' is not a {kind.name} ID on sheet '{sheet or rel}'",
                str(record_id), hint=f"{kind.name} IDs look like {kind.id_example}"))
            continue
        dates = number_dates(raw, kind.model, source, record_id)
        at_cells = formulas.pop(number, []) if formulas else []
        for cell in at_cells:  # a formula cell locates its field, even when it holds no cached value
            name = next((n for c, n in columns if c == cell.location.column), None)
            if name is not None:
                top, _, sub = name.partition(".")
                source.anchors.setdefault((top, sub) if sub else (top,), (number, cell.location.column))
        record, problems = to_record(raw, kind, source, unvalidated=unvalidated)
        if dates:  # the number was taken out so it is not read as a timestamp; it is not a missing value
            cells_of = {f.location for f in dates}
            problems = dates + [p for p in problems if p.code != MISSING_FIELD.code or p.location not in cells_of]
        if at_cells:
            at_formula = {f.location for f in at_cells}
            problems = [replace(f, record=record_id) for f in at_cells] + [
                p for p in problems if p.location not in at_formula]
        if (dates or at_cells) and record is not None:
            set_aside(record, source, unvalidated, trusted=not at_cells)  # a formula's row: no cell is trusted
            record = None
        findings += problems
        if record is not None:
            records.append((record, source))
    return records, findings


def control_findings(cells: list[Any], number: int, rel: str, sheet: str) -> list[Finding]:
    """A finding at each cell holding a character no record may hold (as the YAML reader refuses them)."""
    out = []
    for col, cell in enumerate(cells):
        if isinstance(cell, str):
            char = bad_char(cell)
            if char is not None:
                out.append(UNSAFE.finding(Location(rel, number, col, sheet), f"character {char} is not allowed in "
                                          f"a record (in {clipped(cell)})", hint=_CHAR_HINT))
    return out


def _holds_date(annotation: Any) -> bool:
    if isinstance(annotation, type):
        return issubclass(annotation, dt.date)
    return any(_holds_date(a) for a in typing.get_args(annotation))


@cache
def date_fields(model: type[BaseModel]) -> frozenset[str]:
    """Field names (and `field.part` for nested ones) of `model` whose values are dates or date-times."""
    names = set()
    for name, info in model.model_fields.items():
        if _holds_date(info.annotation):
            names.add(name)
            continue
        nested = plan(model).fields[name].nested
        if nested is not None:
            names.update(f"{name}.{sub}" for sub, part in nested.model_fields.items() if _holds_date(part.annotation))
    return frozenset(names)


def number_dates(raw: dict[str, Any], model: type[BaseModel], source: Source, record_id: object) -> list[Finding]:
    """A plain number where a date belongs is refused at its cell and taken out of `raw`.

    A date-formatted cell arrives as a date; a number in a General cell (1702080000, 45000) or a CSV
    is not one, whatever a timestamp or Excel serial reading of it would give."""
    out = []
    for name in date_fields(model):
        top, _, sub = name.partition(".")
        holder = raw.get(top) if sub else raw
        key = sub or top
        if not isinstance(holder, dict) or key not in holder:
            continue
        value = holder[key]
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number or (isinstance(value, str) and _NUMBER.fullmatch(value)):
            path = (top, sub) if sub else (top,)
            out.append(BAD_DATE.finding(source.at(path), f"'{name}' holds the number {value}, not a date: only a "
                                        "date-formatted cell holds a date", str(record_id),
                                        hint="format the cell as a date, or write the date as YYYY-MM-DD"))
            del holder[key]
    return out


def row_fields(cells: list[Any], columns: list[tuple[int, str]], fields: dict[str, Any],
               number: int = 0) -> tuple[dict[str, Any], dict[tuple[Any, ...], tuple[int, int]]]:
    """One sheet row as a record's raw mapping, and the cell each value stands in (row `number`).

    A dotted header (`initial_risk.severity`) fills a nested field; a list cell's items all stand in
    its cell. Empty cells are absent fields. Shared by the loader, the Excel import and the history of
    workbook rows, so the three read a row alike."""
    raw: dict[str, Any] = {}
    anchors: dict[tuple[Any, ...], tuple[int, int]] = {}
    for col, name in columns:
        value = cells[col] if col < len(cells) else None
        if not present(value):
            continue
        top, _, sub = name.partition(".")
        value = cell_value(value, fields.get(top), bool(sub))
        if sub:
            nested = raw.setdefault(top, {})
            if isinstance(nested, dict):  # a plain column of the same name came first: the loader reports it
                nested[sub] = value
            anchors[(top, sub)] = (number, col)
        else:
            raw[top] = value
        anchors.setdefault((top,), (number, col))
        if isinstance(value, list):
            for i in range(len(value)):
                anchors[(top, i)] = (number, col)
    return raw, anchors


def field_columns(header: list[Any], row: int, kind: Kind, rel: str,
                  sheet: str) -> tuple[list[tuple[int, str]], list[Finding]]:
    fields = plan(kind.model).fields
    columns: list[tuple[int, str]] = []
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for col, cell in enumerate(header):
        if not present(cell):
            continue
        name = header_name(cell)
        top, _, sub = name.partition(".")
        info = fields.get(top)
        known = info is not None and (not sub or (info.nested is not None and sub in info.nested.model_fields))
        where = Location(rel, row, col, sheet)
        if not known:
            names = [*fields, *(f"{field}.{part}" for field, spec in fields.items() if spec.nested is not None
                                for part in spec.nested.model_fields)]
            close = difflib.get_close_matches(name, names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "rename the column to a field name, or remove it"
            findings.append(UNKNOWN_FIELD.finding(where, f"column '{cell}' is not a field of {kind.name}", hint=hint))
            continue
        if name in seen:
            findings.append(HEADER.finding(where, f"column '{cell}' appears twice",
                                           hint="each field has one column"))
            continue
        seen[name] = col
        columns.append((col, name))
    return columns, findings


def present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def cell_value(value: object, info: FieldInfo | None, nested_part: bool) -> RawValue:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str):
        value = value.strip()
    elif isinstance(value, dt.datetime) and value.time() == dt.time(0):
        value = value.date()
    if info is not None and not nested_part and info.shape == "many":
        if isinstance(value, str):
            return [part for part in _SPLIT.split(value) if part]
        return [value]
    return value
