"""Measurement tables: the data sheets protocols and calculators compute on (xlsx via calamine, or CSV).

The first non-empty row names the columns; every value keeps its cell, so a bad value is reported as
`measurements.xlsx[Measurements]!C14`. The SHA-256 of the file's bytes is kept as evidence of what
was read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import Location, QmsError

MAX_TABLE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class MeasurementTable:
    file: str  # as given, relative to the repository where it lies inside one
    sheet: str  # "" for CSV
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    row_numbers: tuple[int, ...]  # 1-based sheet row (CSV line) of each row
    sha256: str

    def where(self, row: int, column: str) -> Location:
        return Location(self.file, self.row_numbers[row], self.columns.index(column), self.sheet)

    def column(self, name: str) -> int:
        try:
            return self.columns.index(name)
        except ValueError:
            place = f"{self.file}[{self.sheet}]" if self.sheet else self.file
            raise QmsError(f"{place}: no column '{name}' (columns: {', '.join(self.columns)})") from None

    def values(self, name: str) -> list[Any]:
        i = self.column(name)
        return [row[i] for row in self.rows]

    def numbers(self, name: str) -> list[float]:
        """The column as numbers; an empty or non-numeric cell is an error naming the cell."""
        i = self.column(name)
        out: list[float] = []
        for r, row in enumerate(self.rows):
            value = as_number(row[i])
            if value is None:
                shown = "an empty cell" if row[i] in (None, "") else f"'{row[i]}'"
                raise QmsError(f"{self.where(r, name)}: {shown} is not a number")
            out.append(value)
        return out

    def select(self, name: str, wanted: Any) -> MeasurementTable:
        """The rows whose `name` equals `wanted` (numbers compared as numbers, text as trimmed text)."""
        i = self.column(name)
        keep = [r for r, row in enumerate(self.rows) if same(row[i], wanted)]
        return MeasurementTable(self.file, self.sheet, self.columns, tuple(self.rows[r] for r in keep),
                                tuple(self.row_numbers[r] for r in keep), self.sha256)

    def groups(self, name: str) -> dict[str, MeasurementTable]:
        """Rows grouped by the text of column `name`, in order of first appearance."""
        i = self.column(name)
        order: list[str] = []
        for row in self.rows:
            key = text_of(row[i])
            if key not in order:
                order.append(key)
        return {key: self.select(name, key) for key in order}


def as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def text_of(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def same(cell: Any, wanted: Any) -> bool:
    a, b = as_number(cell), as_number(wanted)
    if a is not None and b is not None:
        return a == b
    return text_of(cell) == text_of(wanted)


def read_measurements(path: Path, shown: str, sheet: str | None = None) -> MeasurementTable:
    """Read one sheet (default: the first) of an .xlsx, or a .csv; errors are QmsError naming the file."""
    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            raise QmsError(f"{shown}: larger than {MAX_TABLE_BYTES >> 20} MB")
        raw = path.read_bytes()
    except OSError as err:
        raise QmsError(f"{shown}: cannot read: {err.strerror or err}") from None
    digest = hashlib.sha256(raw).hexdigest()
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet:
            raise QmsError(f"{shown}: a CSV file has no sheets (drop --sheet / the sheet name)")
        grid = _csv_rows(raw, shown)
        name = ""
    elif suffix in (".xlsx", ".xlsm"):
        grid, name = _xlsx_rows(raw, shown, sheet)
    else:
        raise QmsError(f"{shown}: measurement data must be .xlsx or .csv, not '{suffix or 'no suffix'}'")
    numbered = [(n, row) for n, row in enumerate(grid, 1) if any(c not in (None, "") for c in row)]
    if not numbered:
        raise QmsError(f"{shown}{f'[{name}]' if name else ''}: holds no header row and no data")
    header_no, header = numbered[0]
    columns = tuple(text_of(c) for c in header)
    width = len(columns)
    rows = tuple(tuple(list(row[:width]) + [None] * (width - len(row))) for _, row in numbered[1:])
    return MeasurementTable(shown, name, columns, rows, tuple(n for n, _ in numbered[1:]), digest)


def _csv_rows(raw: bytes, shown: str) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise QmsError(f"{shown}: not UTF-8 text (byte {err.start})") from None
    sample = "\n".join(line for line in text[:8192].splitlines() if not line.lstrip().startswith("#"))
    try:
        dialect = csv.Sniffer().sniff(sample[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # '#' lines (a source note above the header) count as lines but hold no data
    return [[] if r and r[0].lstrip().startswith("#") else list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(raw: bytes, shown: str, sheet: str | None) -> tuple[list[list[Any]], str]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError) as err:
        raise QmsError(f"{shown}: workbook cannot be read: {err}") from None
    name = sheet if sheet is not None else (names[0] if names else "")
    if name not in names:
        raise QmsError(f"{shown}: no sheet '{name}' (sheets: {', '.join(names)})")
    try:
        return book.get_sheet_by_name(name).to_python(skip_empty_area=False), name
    except (CalamineError, ValueError) as err:
        raise QmsError(f"{shown}[{name}]: sheet cannot be read: {err}") from None
