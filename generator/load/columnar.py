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
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import KINDS, Record, kind_of_id, kind_of_sheet, plan
from .files import read_regular
from .repo import LIMITS, discover, load_file
from .tabular import cell_value, header_name, present, scan_sheets, sheet_problems, workbook_problem
from .yamlfile import YamlProblem, decode

if TYPE_CHECKING:
    import duckdb


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


def scan(root: Path, kinds: Iterable[str], only: set[str] | None = None) -> Scanned:
    """`only`: these files (relative paths) and no others."""
    wanted = set(kinds)
    out = Scanned({k: Columns(k) for k in wanted})
    for rel, fmt in discover(root):
        if only is not None and rel not in only:
            continue
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


# --------------------------------------------------------------------------- narrow tables as Parquet

# The genealogy's narrow tables (analysis/genealogy_sql.py queries them); every column text. Each
# source's Parquet file adds `rn`, the row that carried the value, so the first of a duplicated ID stands.
TABLES: dict[str, tuple[str, ...]] = {
    "lots": ("id", "lot_type", "material", "supplier", "supplier_lot", "receipt", "status", "released", "expiry"),
    "consumes": ("lot", "component"),
    "units": ("id", "serial", "lot", "status", "udi"),
    "shipments": ("id", "customer", "country", "status", "shipped"),
    "shipment_units": ("shipment", "unit"),
    "shipment_lots": ("shipment", "lot"),
    "receipts": ("id", "material", "supplier", "supplier_lot", "status", "lot"),
}
KIND_TABLES = {"lot": ("lots", "consumes"), "serial_unit": ("units",),
               "shipment": ("shipments", "shipment_units", "shipment_lots"), "receipt": ("receipts",)}


# A superset of the UTF-8 of the characters no record may hold (yamlfile.BAD_CHARS): C0 and C1 controls, DEL,
# and the noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF.
_BAD_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xb7[\x90-\xaf]|\xbf[\xbe\xbf]")
# Bytes no such character can begin with or hold alone: a piece that is only these needs no search (a
# translate() in milliseconds, where the search takes a tenth of a second for 10 MB).
_INNOCENT = bytes(sorted({9, 10, 13, *range(32, 127), *range(128, 256)} - {0xc2, 0xef, 0xbf}))


def _shape(path: Path) -> tuple[bytes, int, bool]:
    """(the first 4 KiB, how many lines, whether a character no record may hold may be in it) of the file,
    read in pieces: its line breaks, and one more when its last line has none."""
    head = b""
    breaks = 0
    last = b""
    chars = False
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            if len(head) < 4096:
                head += chunk[:4096 - len(head)]
            breaks += chunk.count(b"\n")
            # A character may straddle two pieces: the seam is looked at too.
            if not chars and (chunk.translate(None, _INNOCENT) or (last + chunk[:2]).translate(None, _INNOCENT)):
                chars = _BAD_BYTES.search(last + chunk) is not None
            last = chunk[-2:]
    return head, breaks + (1 if last[-1:] and last[-1:] != b"\n" else 0), chars


def _blank(path: Path) -> bool:
    """Whether a line of the file is blank (slow where line breaks are frequent: only asked when the lines
    and the records DuckDB read disagree)."""
    last = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            seam = last + chunk[:2]  # a blank line may straddle two pieces
            if b"\n\n" in chunk or b"\n\r\n" in chunk or b"\n\n" in seam or b"\n\r\n" in seam:
                return True
            last = chunk[-2:]
    return False


def csv_to_parquet(con: duckdb.DuckDBPyConnection, path: Path, kind_name: str, out: Path,
                   rel: str | None = None) -> bool:
    """One bulk CSV file of `kind_name` read by DuckDB's CSV reader into its narrow tables under `out`
    (`<table>.parquet`), with its row findings (`findings.json`) and the IDs and links the checks across
    sources need (`rows.parquet`, `refs.parquet`, `columns.json`; load.bulk_checks); False when DuckDB
    cannot read it as the csv module does (the caller has the record loader read it)."""
    import duckdb
    import orjson

    from .bulk_checks import (
        REFS,
        cell,
        header_findings,
        recheck,
        row_findings,
        rows_and_refs_sql,
        stage_parts,
        stage_raw,
        take_verdict,
    )

    source = "read_csv(?, all_varchar = true, header = true, auto_detect = true, delim = ?)"
    head, lines, chars = _shape(path)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\r" in head and b"\n" not in head):
        return False  # UTF-16 and bare-CR line ends: the caller has the record loader read them
    try:  # DuckDB skips a UTF-8 BOM (Excel's "CSV UTF-8" writes one), as the record loader does
        sample = head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter if sample.strip() else ","
    except csv.Error:
        delim = ","
    try:
        names = [d[0] for d in con.execute(f"SELECT * FROM {source} LIMIT 0", [str(path), delim]).description]
        fields = {header_name(n): n for n in reversed(names) if n.strip()}
        if "id" not in fields:
            return False
        col = fields.get
        findings = header_findings(head, len(head) < 4096, names, kind_name, rel or path.name)
        if findings is None:
            return False
        if not stage_raw(con, source, [str(path), delim], names, kind_name, col, lines, lambda: _blank(path), chars):
            return False
        # The rows whose cells the SQL checks cannot vouch for are the record loader's: its findings (the
        # header's with them) and its verdict stand for them.
        suspects = dict(con.execute("SELECT line, rn FROM raw WHERE _suspect").fetchall())
        if suspects:
            rechecked = recheck(path, rel or path.name, kind_name, suspects)
            if rechecked is None:
                return False
            findings = rechecked.findings
            take_verdict(con, kind_name, col, rechecked)
        findings += row_findings(con, rel or path.name, kind_name, col, names)
        twice = con.execute("SELECT count(*) - count(DISTINCT _id) FROM raw WHERE ok").fetchone()
        standing = "ok"
        if twice and twice[0]:  # the first of a duplicated ID stands (a copy; without duplicates, none is made)
            con.execute("CREATE OR REPLACE TEMP TABLE first_rows AS SELECT * FROM raw WHERE ok "
                        "QUALIFY row_number() OVER (PARTITION BY _id ORDER BY rn) = 1")
            con.execute("CREATE OR REPLACE TEMP VIEW bulk AS SELECT * FROM first_rows")
            standing = "rn IN (SELECT rn FROM first_rows)"
        else:
            con.execute("CREATE OR REPLACE TEMP VIEW bulk AS SELECT * FROM raw WHERE ok")
        v = cell(kind_name, col)
        stage_parts(con, kind_name, v)
        selects = {**_selects(kind_name, v, standing), **rows_and_refs_sql(kind_name, v, bool(suspects))}
        out.mkdir(parents=True, exist_ok=True)
        for table, sql in selects.items():
            con.execute(f"COPY ({sql}) TO '{_quoted(out / (table + '.parquet'))}' (FORMAT parquet)")
        (out / "findings.json").write_bytes(orjson.dumps([
            [f.code, f.location.line, f.location.column, f.message, f.record, f.hint] for f in findings]))
        (out / "source.json").write_bytes(orjson.dumps(rel or path.name))
        # The columns of the ID and of each link, by role: where the record path places a finding on them.
        (out / "columns.json").write_bytes(orjson.dumps({"id": names.index(col("id") or ""), **{
            role: names.index(col(name) or "") for role, name, _, _ in REFS[kind_name] if col(name)}}))
        return True
    except duckdb.Error:
        return False
    finally:
        for kind, name in (("VIEW", "bulk"), ("TABLE", "first_rows"), ("VIEW", "raw"), ("TABLE", "cells"), ("TABLE", "lines"),
                           ("TABLE", "parts_consumes"), ("TABLE", "parts_units"), ("TABLE", "parts_lots"),
                           ("TABLE", "rechecked_rows"), ("TABLE", "rechecked_refs")):
            con.execute(f"DROP {kind} IF EXISTS {name}")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _date(v: str) -> str:
    """A date cell as genealogy._date gives it: ISO when its first ten characters are a date, else as written."""
    return (f"CASE WHEN try_strptime(left({v}, 10), '%Y-%m-%d') IS NOT NULL "
            f"THEN strftime(try_strptime(left({v}, 10), '%Y-%m-%d'), '%Y-%m-%d') ELSE {v} END")


def _selects(kind_name: str, v: Any, standing: str) -> dict[str, str]:
    """The narrow tables as SELECTs over `bulk` (the rows of `raw` that stand: `standing` of them), every cell
    stripped already, links from the `parts_<field>` tables (load.bulk_checks.stage_parts)."""

    def links(name: str, key: str, value: str) -> str:
        if v(name) == "CAST(NULL AS VARCHAR)":
            return f"SELECT CAST(NULL AS VARCHAR) AS {key}, CAST(NULL AS VARCHAR) AS {value}, CAST(0 AS BIGINT) AS rn " \
                   f"WHERE false"
        return f"SELECT _id AS {key}, target AS {value}, rn FROM parts_{name} WHERE {standing}"

    if kind_name == "lot":
        return {
            "lots": f"SELECT _id AS id, coalesce({v('lot_type')}, '') AS lot_type, "
                    f"coalesce({v('material')}, '') AS material, {v('supplier')} AS supplier, "
                    f"{v('supplier_lot')} AS supplier_lot, {v('receipt')} AS receipt, "
                    f"coalesce({v('status')}, '') AS status, {_date(v('released'))} AS released, "
                    f"{_date(v('expiry'))} AS expiry, rn FROM bulk",
            "consumes": links("consumes", "lot", "component"),
        }
    if kind_name == "serial_unit":
        return {"units": f"SELECT _id AS id, coalesce({v('serial')}, '') AS serial, "
                         f"coalesce({v('lot')}, '') AS lot, coalesce({v('status')}, '') AS status, "
                         f"{v('udi')} AS udi, rn FROM bulk"}
    if kind_name == "shipment":
        return {
            "shipments": f"SELECT _id AS id, coalesce({v('customer')}, '') AS customer, "
                         f"{v('country')} AS country, coalesce({v('status')}, '') AS status, "
                         f"{_date(v('shipped'))} AS shipped, rn FROM bulk",
            "shipment_units": links("units", "shipment", "unit"),
            "shipment_lots": links("lots", "shipment", "lot"),
        }
    return {"receipts": f"SELECT _id AS id, coalesce({v('material')}, '') AS material, "
                        f"coalesce({v('supplier')}, '') AS supplier, {v('supplier_lot')} AS supplier_lot, "
                        f"coalesce({v('status')}, '') AS status, {v('lot')} AS lot, rn FROM bulk"}


def rows_to_parquet(con: duckdb.DuckDBPyConnection, tables: dict[str, list[tuple[Any, ...]]], out: Path) -> None:
    """Rows already read (workbooks, YAML records, the record path) written as the narrow tables, each row
    `(*TABLES[name], rn)`."""
    out.mkdir(parents=True, exist_ok=True)
    for name, columns in TABLES.items():
        write_rows(con, out / f"{name}.parquet", [*((c, "VARCHAR") for c in columns), ("rn", "BIGINT")],
                   tables.get(name, []))


def write_rows(con: duckdb.DuckDBPyConnection, path: Path, columns: list[tuple[str, str]],
               rows: list[tuple[Any, ...]]) -> None:
    """Rows from Python written as one Parquet file of `columns` ((name, SQL type), in order): each column
    handed over as one list, unnested side by side (a row at a time would take minutes for a million)."""
    values = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    selects = ", ".join(f"unnest(${i}::{kind}[]) AS {name}" for i, (name, kind) in enumerate(columns, 1))
    con.execute(f"COPY (SELECT {selects}) TO '{_quoted(path)}' (FORMAT parquet)", values)
