"""`qms capability FILE`: Cp, Cpk, Pp, Ppk of one measured column of a CSV or xlsx file."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import click

from ..analysis.capability import Capability
from ..analysis.capability import capability as compute_capability
from ..findings import Location, QmsError, column_letter
from .app import FORMAT


@click.command("capability")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--column", required=True, metavar="NAME", help="Header of the column holding the measurements.")
@click.option("--lsl", type=float, default=None, metavar="L", help="Lower specification limit.")
@click.option("--usl", type=float, default=None, metavar="U", help="Upper specification limit.")
@click.option("--subgroup-size", "subgroup_size", type=int, default=1, show_default=True, metavar="N",
              help="Consecutive values per rational subgroup; 1 = individuals (moving ranges).")
@click.option("--sheet", default=None, metavar="NAME", help="Sheet of an xlsx workbook (default: the first).")
@FORMAT
def capability(file: Path, column: str, lsl: float | None, usl: float | None, subgroup_size: int,
                       sheet: str | None, fmt: str) -> None:
    """Process capability of the values in column NAME of FILE (.csv or .xlsx), in production order.

    Cp, Cpk use sigma within: R-bar / d2(N) for subgroups of N, average moving range / d2(2) for
    individuals. Pp, Ppk use the overall sample standard deviation. Give --lsl, --usl or both; with one
    limit only Cpk and Ppk are computed. Exit 2 if the file or a cell cannot be read (the message names it).
    """
    if lsl is None and usl is None:
        raise QmsError("give a specification limit: --lsl, --usl or both")
    values = read_column(file, str(file), column, sheet)
    try:
        result = compute_capability(values, lsl, usl, subgroup_size)
    except ValueError as err:
        raise QmsError(f"{file}: {err}") from None
    if fmt == "json":
        out = {"file": str(file), "column": column, **result.as_json()}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        click.echo(_text(result, str(file), column))


def _text(r: Capability, file: str, column: str) -> str:
    def num(x: float | None, digits: int = 3) -> str:
        return "—" if x is None else f"{x:.{digits}f}"

    limits = " · ".join(f"{name} {value:g}" for name, value in (("LSL", r.lsl), ("USL", r.usl)) if value is not None)
    if r.subgroup_size == 1:
        within = (f"average moving range {r.average_range:.6g} over {r.subgroups} moving ranges "
                  f"/ d2(2) {r.d2:g}")
    else:
        within = (f"R-bar {r.average_range:.6g} over {r.subgroups} subgroups of {r.subgroup_size} "
                  f"/ d2({r.subgroup_size}) {r.d2:g}")
    lines = [
        f"Process capability of '{column}' in {file}",
        f"  {r.n} values · mean {r.mean:.8g} · {limits}",
        f"  sigma within   {r.sigma_within:.6g}  ({within})",
        f"  sigma overall  {r.stdev_overall:.6g}  (sample standard deviation, n - 1)",
        "",
        f"  Cp  {num(r.cp)}   Cpk {num(r.cpk)}   (sigma within: potential capability)",
        f"  Pp  {num(r.pp)}   Ppk {num(r.ppk)}   (sigma overall: performance)",
    ]
    if r.cp is None:
        lines.append("  Cp and Pp need both limits; Cpk and Ppk are from the one limit given.")
    outside = []
    if r.lsl is not None:
        outside.append(f"{r.below_lsl} below LSL")
    if r.usl is not None:
        outside.append(f"{r.above_usl} above USL")
    lines.append(f"  observed: {', '.join(outside)}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Reading one column of measurements, each value's cell known for the error message


def read_column(path: Path, name: str, column: str, sheet: str | None) -> list[float]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise QmsError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise QmsError(f"{name}: is a folder, not a data file") from None
    except OSError as err:
        raise QmsError(f"{name}: cannot be read: {err.strerror or err}") from None
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or raw.startswith(b"PK\x03\x04"):
        rows, sheet_name = _workbook_rows(raw, name, sheet)
    elif suffix == ".csv" or suffix == ".txt":
        if sheet is not None:
            raise QmsError(f"{name}: --sheet applies to .xlsx workbooks, not to a CSV file")
        rows, sheet_name = _csv_rows(raw, name), ""
    else:
        raise QmsError(f"{name}: expected a .csv or .xlsx file")
    return _values(rows, name, sheet_name, column)


def _workbook_rows(raw: bytes, name: str, sheet: str | None) -> tuple[list[list[Any]], str]:
    from python_calamine import CalamineError, CalamineWorkbook

    from ..load.tabular import _workbook_problem

    problem = _workbook_problem(raw, name)
    if problem is not None:
        raise QmsError(f"{name}: {problem.message}" + (f" (hint: {problem.hint})" if problem.hint else ""))
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        names = list(book.sheet_names)
    except (CalamineError, ValueError, OSError) as err:
        raise QmsError(f"{name}: workbook cannot be read: {err}") from None
    if not names:
        raise QmsError(f"{name}: the workbook has no sheets")
    chosen = names[0] if sheet is None else sheet
    if chosen not in names:
        raise QmsError(f"{name}: no sheet '{sheet}'; the sheets are: {', '.join(names)}")
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except (CalamineError, ValueError) as err:
        raise QmsError(f"{Location(name, sheet=chosen)}: sheet cannot be read: {err}") from None
    return [list(r) for r in rows], chosen


def _csv_rows(raw: bytes, name: str) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise QmsError(f"{name}:{line}: bytes that are not UTF-8 (save the file as UTF-8)") from None
    sample = text[:4096]
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
            rows.append(cells)
    except csv.Error as err:
        raise QmsError(f"{name}:{reader.line_num}: CSV cannot be read: {err}") from None
    return rows


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _values(rows: list[list[Any]], name: str, sheet: str, column: str) -> list[float]:
    def where(row: int, col: int) -> str:
        if sheet:
            return str(Location(name, row, col, sheet))
        return f"{name}:{row} (column {column_letter(col)})"

    filled = [i for i, r in enumerate(rows) if not all(_blank(c) for c in r)]
    if not filled:
        raise QmsError(f"{Location(name, sheet=sheet) if sheet else name}: no header row: the data are empty")
    header_index = filled[0]
    header = [str(c).strip() if not _blank(c) else "" for c in rows[header_index]]
    if column in header:
        col = header.index(column)
    else:
        folded = [h.casefold() for h in header]
        if folded.count(column.strip().casefold()) != 1:
            named = ", ".join(f"'{h}'" for h in header if h)
            at = Location(name, header_index + 1, sheet=sheet) if sheet else f"{name}:{header_index + 1}"
            raise QmsError(f"{at}: no column '{column}'; the columns are: {named}")
        col = folded.index(column.strip().casefold())
    last = filled[-1]
    values: list[float] = []
    for index in range(header_index + 1, last + 1):  # blank rows after the last value are not data
        cells = rows[index]
        cell = cells[col] if col < len(cells) else None
        values.append(_number(cell, where(index + 1, col)))
    if not values:
        raise QmsError(f"{where(header_index + 1, col)}: column '{column}' has no values under its header")
    return values


def _number(cell: Any, where: str) -> float:
    if isinstance(cell, bool):
        raise QmsError(f"{where}: {cell!r} is not a number")
    if isinstance(cell, (int, float)):
        number = float(cell)
    elif _blank(cell):
        raise QmsError(f"{where}: the cell is empty; every row under the header needs a measurement")
    elif isinstance(cell, str):
        text = cell.strip().replace("\u2212", "-")
        try:
            number = float(text)
        except ValueError:
            raise QmsError(f"{where}: {cell.strip()!r} is not a number") from None
    else:  # a date or time cell
        raise QmsError(f"{where}: {str(cell)!r} is not a number")
    if not math.isfinite(number):
        raise QmsError(f"{where}: {cell!r} is not a finite number")
    return number
