"""Bulk records as rows: Excel workbooks (python-calamine) and CSV exports.

The first non-empty row of a sheet is its header and names the fields (`Supplier lot`
and `supplier_lot` are the same field; `initial_risk.severity` fills a nested one).
A cell in a list field may hold several values separated by `;` or line breaks.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from pathlib import Path
from typing import Any, Iterable

from ..findings import Finding, Location
from ..model import Kind, Record, kind_of_sheet, plan
from ..rules.codes import BAD_ID, HEADER, MISSING_FIELD, SHEET_IGNORED, UNKNOWN_FIELD, WORKBOOK
from .records import to_record
from .source import Source
from .yamlfile import YamlProblem, decode

MAX_UNZIPPED = 2 << 30  # 2 GiB of XML at most
MAX_RATIO = 200  # a higher compression ratio than this is a zip bomb, not a spreadsheet
_SPLIT = re.compile(r"\s*[;\n]\s*")
_OLE = b"\xd0\xcf\x11\xe0"


def header_name(cell: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(cell).strip().lower())


Loaded = tuple[list[tuple[Record, Source]], list[Finding]]


def load_workbook(path: Path, rel: str, raw: bytes) -> Loaded:
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
    records: list[tuple[Record, Source]] = []
    findings: list[Finding] = []
    for name in names:
        if name.startswith("_"):
            continue
        kind = kind_of_sheet(name)
        if kind is None:
            findings.append(SHEET_IGNORED.finding(
                Location(rel, sheet=name), f"sheet '{name}' names no record kind; it was not loaded",
                hint="name sheets after a kind (Lots, Serial units, Shipments ...) or start the name with '_'"))
            continue
        try:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except (CalamineError, ValueError) as err:
            findings.append(WORKBOOK.finding(Location(rel, sheet=name), f"sheet cannot be read: {err}"))
            continue
        got, found = load_rows(enumerate(rows, 1), kind, rel, name)
        records += got
        findings += found
    return records, findings


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


def load_csv(path: Path, rel: str, raw: bytes) -> Loaded:
    kind = kind_of_sheet(path.stem)
    if kind is None:
        return [], [SHEET_IGNORED.finding(Location(rel), f"'{path.name}' names no record kind; it was not loaded",
                                          hint="name the file after a kind (lots.csv, shipments.csv ...)")]
    try:
        text = decode(raw, rel)
    except YamlProblem as problem:
        return [], [problem.finding]
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)

    def rows() -> Iterable[tuple[int, list[Any]]]:
        for row in reader:
            yield reader.line_num, row

    try:
        return load_rows(rows(), kind, rel, "")
    except csv.Error as err:
        return [], [WORKBOOK.finding(Location(rel, reader.line_num), f"CSV cannot be read: {err}")]


def load_rows(rows: Iterable[tuple[int, list[Any]]], kind: Kind, rel: str, sheet: str) -> Loaded:
    """Records from (row number, cells) pairs; the first non-empty row is the header."""
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
        record, problems = to_record(raw, kind, source)
        findings += problems
        if record is not None:
            records.append((record, source))
    return records, findings


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


def present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def cell_value(value: Any, info: Any, nested_part: bool) -> Any:
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
