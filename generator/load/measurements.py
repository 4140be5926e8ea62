"""Measurement tables: the data sheets protocols and calculators compute on (xlsx via calamine, or CSV).

The first non-empty row names the columns; every value keeps its cell, so a bad value is reported as
`measurements.xlsx[Measurements]!C14` (or `data.csv:14 (column C)`). Blank rows after the last value
are not data; a blank row between values is, so a missing measurement is reported, not skipped.
CSV lines that start with `#` (a source note above the header) hold no data. The SHA-256 of the
file's bytes is kept as evidence of what was read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import Location, QmsError, column_letter
from .files import read_regular

MAX_TABLE_BYTES = 200 * 1024 * 1024


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@dataclass(frozen=True)
class MeasurementTable:
    file: str  # as given, relative to the repository where it lies inside one
    sheet: str  # "" for CSV
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    row_numbers: tuple[int, ...]  # 1-based sheet row (CSV line) of each row
    sha256: str
    header_row: int = 1

    def _at(self, line: int, col: int) -> str:
        if self.sheet:
            return str(Location(self.file, line, col, self.sheet))
        return f"{self.file}:{line} (column {column_letter(col)})"

    def where(self, row: int, column: str) -> str:
        return self._at(self.row_numbers[row], self.column(column))

    def column(self, name: str) -> int:
        """The index of column `name`: exact, else the one column equal to it ignoring case."""
        if name in self.columns:
            return self.columns.index(name)
        folded = [c.casefold() for c in self.columns]
        if folded.count(name.strip().casefold()) == 1:
            return folded.index(name.strip().casefold())
        named = ", ".join(f"'{c}'" for c in self.columns if c)
        at = str(Location(self.file, self.header_row, sheet=self.sheet)) if self.sheet else \
            f"{self.file}:{self.header_row}"
        raise QmsError(f"{at}: no column '{name}'; the columns are: {named}")

    def values(self, name: str) -> list[Any]:
        i = self.column(name)
        return [row[i] for row in self.rows]

    def numbers(self, name: str) -> list[float]:
        """The column as numbers; an empty or non-numeric cell is an error naming the cell."""
        i = self.column(name)
        out = [number(row[i], self._at(self.row_numbers[r], i)) for r, row in enumerate(self.rows)]
        if not out:
            raise QmsError(f"{self._at(self.header_row, i)}: column '{self.columns[i]}' has no values under its header")
        return out

    def select(self, name: str, wanted: object) -> MeasurementTable:
        """The rows whose `name` equals `wanted` (numbers compared as numbers, text as trimmed text)."""
        i = self.column(name)
        keep = [r for r, row in enumerate(self.rows) if same(row[i], wanted)]
        return MeasurementTable(self.file, self.sheet, self.columns, tuple(self.rows[r] for r in keep),
                                tuple(self.row_numbers[r] for r in keep), self.sha256, self.header_row)

    def groups(self, name: str) -> dict[str, MeasurementTable]:
        """Rows grouped by the text of column `name`, in order of first appearance."""
        i = self.column(name)
        order: list[str] = []
        for row in self.rows:
            key = text_of(row[i])
            if key not in order:
                order.append(key)
        return {key: self.select(name, key) for key in order}


def number(cell: object, where: str) -> float:
    """A measured value: a number cell, or text that reads as one (numbers stored as text)."""
    if isinstance(cell, bool):
        raise QmsError(f"{where}: {cell!r} is not a number")
    if isinstance(cell, (int, float)):
        value = float(cell)
    elif _blank(cell):
        raise QmsError(f"{where}: the cell is empty; every row under the header needs a measurement")
    elif isinstance(cell, str):
        try:
            value = float(cell.strip().replace("\u2212", "-"))
        except ValueError:
            raise QmsError(f"{where}: {cell.strip()!r} is not a number") from None
    else:  # a date or time cell
        raise QmsError(f"{where}: {str(cell)!r} is not a number")
    if not math.isfinite(value):
        raise QmsError(f"{where}: {cell!r} is not a finite number")
    return value


def as_number(value: object) -> float | None:
    try:
        return number(value, "")
    except QmsError:
        return None


def text_of(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def same(cell: object, wanted: object) -> bool:
    a, b = as_number(cell), as_number(wanted)
    if a is not None and b is not None:
        return a == b
    return text_of(cell) == text_of(wanted)


def read_measurements(path: Path, shown: str, sheet: str | None = None) -> MeasurementTable:
    """Read one sheet (default: the first) of an .xlsx, or a .csv; errors are QmsError naming the file."""
    try:
        raw = read_regular(path, MAX_TABLE_BYTES)  # a regular file, size checked before it is read
    except FileNotFoundError:
        raise QmsError(f"{shown}: no such file") from None
    except OSError as err:
        raise QmsError(f"{shown}: cannot be read: {err.strerror or err}") from None
    digest = hashlib.sha256(raw).hexdigest()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or raw.startswith(b"PK\x03\x04"):
        grid, name = _xlsx_rows(raw, shown, sheet)
    elif suffix in (".csv", ".txt"):
        if sheet:
            raise QmsError(f"{shown}: a sheet applies to .xlsx workbooks, not to a CSV file")
        grid, name = _csv_rows(raw, shown), ""
    else:
        raise QmsError(f"{shown}: measurement data must be .xlsx or .csv, not '{suffix or 'no suffix'}'")
    filled = [i for i, row in enumerate(grid) if not all(_blank(c) for c in row)]
    if not filled:
        raise QmsError(f"{Location(shown, sheet=name) if name else shown}: no header row: the data are empty")
    first, last = filled[0], filled[-1]
    columns = tuple(text_of(c) for c in grid[first])
    width = len(columns)
    body = range(first + 1, last + 1)  # blank rows after the last value are not data
    rows = tuple(tuple(list(grid[i][:width]) + [None] * (width - len(grid[i]))) for i in body)
    return MeasurementTable(shown, name, columns, rows, tuple(i + 1 for i in body), digest, first + 1)


def _csv_rows(raw: bytes, shown: str) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise QmsError(f"{shown}:{line}: bytes that are not UTF-8 (save the file as UTF-8)") from None
    sample = "\n".join(line for line in text[:8192].splitlines() if not line.lstrip().startswith("#"))[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows: list[list[Any]] = []
    try:
        for cells in reader:
            while len(rows) < reader.line_num - 1:  # a quoted line break spans lines; keep row = line
                rows.append([])
            rows.append([] if cells and cells[0].lstrip().startswith("#") else cells)
    except csv.Error as err:
        raise QmsError(f"{shown}:{reader.line_num}: CSV cannot be read: {err}") from None
    return rows


def _xlsx_rows(raw: bytes, shown: str, sheet: str | None) -> tuple[list[list[Any]], str]:
    from python_calamine import CalamineError, CalamineWorkbook

    from .tabular import workbook_problem

    problem = workbook_problem(raw, shown)
    if problem is not None:
        raise QmsError(f"{shown}: {problem.message}" + (f" (hint: {problem.hint})" if problem.hint else ""))
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError) as err:
        raise QmsError(f"{shown}: workbook cannot be read: {err}") from None
    if not names:
        raise QmsError(f"{shown}: the workbook has no sheets")
    name = names[0] if sheet is None else sheet
    if name not in names:
        raise QmsError(f"{shown}: no sheet '{sheet}'; the sheets are: {', '.join(names)}")
    try:
        return [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)], name
    except (CalamineError, ValueError) as err:
        raise QmsError(f"{Location(shown, sheet=name)}: sheet cannot be read: {err}") from None
