"""Bulk kinds read column by column, without building a model per row: the fast path for very large sets.

`qms recall --fast` over a million serial units cannot afford a validated pydantic model, a location
map and link-graph edges per row (gigabytes). This reader keeps, per kind, one list per field holding
the cell values normalised exactly as the record loader normalises them (tabular.cell_value: numbers,
stripped text, dates, `;`-split lists), and nothing else. Rows are not validated: a row without a
well-formed ID is skipped, and everything else is taken as written. `qms validate` remains the check.

YAML records of the wanted kinds (one file per record, named after its ID) load as records, as usual.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..model import KINDS, Record, kind_of_id, kind_of_sheet, plan
from .files import read_regular
from .repo import LIMITS, discover, load_file
from .tabular import cell_value, header_name, present, scan_sheets, sheet_problems, workbook_problem
from .yamlfile import YamlProblem, decode


@dataclass
class Columns:
    """One kind's rows: field name -> values, every list as long as `ids`."""

    kind: str
    ids: list[str] = field(default_factory=list)
    values: dict[str, list[Any]] = field(default_factory=dict)

    def column(self, name: str) -> list[Any]:
        return self.values.get(name) or [None] * len(self.ids)


@dataclass
class Scanned:
    columns: dict[str, Columns] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)  # YAML records of the wanted kinds
    skipped: int = 0  # rows or files that could not be read


def scan(root: Path, kinds: Iterable[str]) -> Scanned:
    wanted = set(kinds)
    out = Scanned({k: Columns(k) for k in wanted})
    for rel, fmt in discover(root):
        path = root / rel
        if fmt == "unread":
            out.skipped += 1
            continue
        if fmt == "yaml":
            kind = kind_of_id(path.stem)
            if kind is None or kind.name not in wanted:
                continue
        try:  # a regular file only, size checked first (a FIFO or a device would hang or never end)
            raw = read_regular(path, LIMITS[fmt])
        except OSError:
            out.skipped += 1
            continue
        if fmt == "yaml":
            got, _ = load_file(root, rel, fmt, raw)
            out.records.extend(r for r, _ in got if r.KIND in wanted)
            continue
        if fmt == "csv":
            kind = kind_of_sheet(path.stem)
            if kind is not None and kind.name in wanted:
                try:
                    text = decode(raw, rel)
                except YamlProblem:
                    out.skipped += 1
                    continue
                sample = text[:4096]
                try:
                    dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
                except csv.Error:
                    dialect = csv.excel
                _rows(out, kind.name, csv.reader(io.StringIO(text), dialect))
            continue
        from python_calamine import CalamineError, CalamineWorkbook

        scans = scan_sheets(raw, rel)  # hidden, formula-holding and absurdly large sheets are not read
        if workbook_problem(raw, rel) or not isinstance(scans, dict):
            out.skipped += 1
            continue
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
            for name in book.sheet_names:
                kind = kind_of_sheet(name) if not name.startswith("_") else None
                if kind is not None and kind.name in wanted:
                    problems, _ = sheet_problems(scans.get(name), rel, name)
                    if problems:
                        out.skipped += 1
                        continue
                    _rows(out, kind.name, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
        except (CalamineError, ValueError, OSError):
            out.skipped += 1
    return out


def _rows(out: Scanned, kind_name: str, rows: Iterable[list[Any]]) -> None:
    kind = KINDS[kind_name]
    fields = plan(kind.model).fields
    cols = out.columns[kind_name]
    iterator = iter(rows)
    header = next((r for r in iterator if any(present(c) for c in r)), None)
    if header is None:
        return
    names = [header_name(c) if present(c) else "" for c in header]
    if "id" not in names:
        out.skipped += 1
        return
    id_col = names.index("id")
    keep = [(i, n, fields[n]) for i, n in enumerate(names) if n in fields and n != "id" and names.index(n) == i]
    start = len(cols.ids)
    for name in (n for _, n, _ in keep):
        cols.values.setdefault(name, [None] * start)
    for cells in iterator:
        if id_col >= len(cells):
            continue
        record_id = cells[id_col]
        if not isinstance(record_id, str) or not kind.id_re.match(record_id.strip()):
            if any(present(c) for c in cells):
                out.skipped += 1
            continue
        cols.ids.append(record_id.strip())
        width = len(cells)
        for i, name, info in keep:
            value = cells[i] if i < width else None
            cols.values[name].append(cell_value(value, info, False) if present(value) else None)
    for values in cols.values.values():  # columns this file lacked
        values.extend([None] * (len(cols.ids) - len(values)))
