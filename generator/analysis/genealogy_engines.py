"""The narrow genealogy tables as Parquet (cached per source file), and the engines that query them.

`parquet_tables(root)` gives table → [Parquet files, in source order]: each bulk CSV of lots, serial
units, shipments or receipts read by DuckDB's CSV reader (or, where DuckDB cannot read it as the csv
module does, by the record loader), and each run of workbooks and YAML records of those kinds between
two of them read by the record loader as one source; the sources in the record path's load order, so an
ID's first record is the one `qms validate` keeps. `DuckDBEngine` (embedded, the default) and
`SparkEngine` (pyspark, `local[*]` or a cluster's master URL) run genealogy_sql's text.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from ..findings import Finding
from ..load.bulk_checks import ROLES
from ..load.columnar import KIND_TABLES, TABLES, csv_to_parquet, rows_to_parquet, write_rows
from ..load.repo import discover, load_file, read_record_file, refusal
from ..load.source import LinkUse, Source, Unvalidated
from ..load.table_cache import CHECK_COLUMNS, TableCache
from ..model import Record, collect_links, kind_of_id, kind_of_sheet
from .genealogy import KINDS_READ, RECORD_INPUT, LotIn, ReceiptIn, ShipmentIn, UnitIn
from .genealogy_checks import cached_checks
from .genealogy_sql import first_sql, view_sql

if TYPE_CHECKING:
    import duckdb

Sources = dict[str, list[Path]]
MEMORY = "1.5GB"  # DuckDB's own memory while it builds the tables (the process adds Python's, about 100 MB)


def input_rows(lots_in: Iterable[LotIn], units_in: Iterable[UnitIn], shipments_in: Iterable[ShipmentIn],
               receipts_in: Iterable[ReceiptIn]) -> dict[str, list[tuple[Any, ...]]]:
    """Plain rows as the narrow tables, numbered in the order given; the first of a duplicated ID stands."""
    return numbered_rows(enumerate(lots_in), enumerate(units_in), enumerate(shipments_in), enumerate(receipts_in))


def numbered_rows(lots_in: Iterable[tuple[int, LotIn]], units_in: Iterable[tuple[int, UnitIn]],
                  shipments_in: Iterable[tuple[int, ShipmentIn]],
                  receipts_in: Iterable[tuple[int, ReceiptIn]]) -> dict[str, list[tuple[Any, ...]]]:
    """Plain rows, each with its row number, as the narrow tables; the first of a duplicated ID stands."""
    out: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    seen: set[tuple[str, str]] = set()

    def first(table: str, ident: str) -> bool:
        if (table, ident) in seen:
            return False
        seen.add((table, ident))
        return True

    for rn, (lot_id, row, used) in lots_in:
        if first("lots", lot_id):
            out["lots"].append((lot_id, *row, rn))
            out["consumes"].extend((lot_id, c, rn) for c in used)
    for rn, (unit_id, unit_row) in units_in:
        if first("units", unit_id):
            out["units"].append((unit_id, *unit_row, rn))
    for rn, (shipment_id, shipment_row, units, lots) in shipments_in:
        if first("shipments", shipment_id):
            out["shipments"].append((shipment_id, *shipment_row, rn))
            out["shipment_units"].extend((shipment_id, u, rn) for u in units)
            out["shipment_lots"].extend((shipment_id, lot_id, rn) for lot_id in lots)
    for rn, (receipt_id, receipt_row, lot) in receipts_in:
        if first("receipts", receipt_id):
            out["receipts"].append((receipt_id, *receipt_row, lot, rn))
    return out


def records_to_parquet(con: duckdb.DuckDBPyConnection, root: Path, files: list[tuple[str, str]], out: Path) -> None:
    """Files read by the record loader, exactly as `qms validate` reads them, into one source's folder: the
    narrow tables from the records that validated, and what csv_to_parquet leaves for the checks across
    sources (`rows.parquet`, `refs.parquet`, `findings.json`, `source.json`), with `places.parquet`: where
    each ID (role 'id') and each link stands, as the record path locates it (a workbook's sheet and cell,
    a YAML record's line). Records are numbered (`rn`) in load order, so the first of an ID stands."""
    narrow: dict[str, list[tuple[int, Any]]] = {kind: [] for kind in KINDS_READ}
    rows: list[tuple[Any, ...]] = []  # id, kind, line, rn, ok
    refs: list[tuple[Any, ...]] = []  # rn, role, target, kind, pos
    places: list[tuple[Any, ...]] = []  # rn, role, pos, file, sheet, line, col
    findings: list[Finding] = []
    for rel, fmt in files:
        raw = read_record_file(root / rel, rel, fmt)
        if isinstance(raw, Finding):
            findings.append(raw)
            continue
        unvalidated: list[Unvalidated] = []
        got, found = load_file(root, rel, fmt, raw, unvalidated, sheets=KINDS_READ)  # not a workbook's others
        # A YAML file named by no ID is the genealogy's only if it holds a record of its kinds.
        if fmt != "yaml" or kind_of_id(Path(rel).stem) is not None or any(
                r.KIND in KINDS_READ for r, _ in got) or any(u.kind in KINDS_READ for u in unvalidated):
            findings += [f for f in found if f.severity == "error"]
        read: list[tuple[str, str, Record | None, Source, list[LinkUse]]] = []
        for made, source in got:
            uses: list[LinkUse] = []
            collect_links(made, uses)
            read.append((made.id, made.KIND, made, source, uses))
        read += [(u.id, u.kind, None, u.source, list(u.links)) for u in unvalidated]
        for record_id, kind, record, source, links in read:
            if kind not in KINDS_READ:
                continue
            rn = len(rows)
            at = source.at(("id",))
            rows.append((record_id, kind, at.line, rn, record is not None))
            places.append((rn, "id", 0, at.file, at.sheet, at.line, at.column))
            if record is not None:
                narrow[kind].append((rn, RECORD_INPUT[kind](record)))
            for path, role, ref, _ in links:
                if role in ROLES[kind]:
                    pos = next((p for p in path if isinstance(p, int)), 0) + 1
                    refs.append((rn, role, ref.id, ROLES[kind][role], pos))
                    link = source.at(path)
                    places.append((rn, role, pos, link.file, link.sheet, link.line, link.column))
    rows_to_parquet(con, numbered_rows(narrow["lot"], narrow["serial_unit"], narrow["shipment"],
                                       narrow["receipt"]), out)
    for name, values in (("rows", rows), ("refs", refs), ("places", places)):
        write_rows(con, out / f"{name}.parquet", list(CHECK_COLUMNS[name].items()), values)
    (out / "findings.json").write_bytes(orjson.dumps([
        [f.code, f.location.line, f.location.column, f.message, f.record, f.hint, f.location.file,
         f.location.sheet] for f in findings]))
    (out / "source.json").write_bytes(orjson.dumps(files[0][0] if len(files) == 1 else [rel for rel, _ in files]))


def parquet_tables(root: Path) -> Sources:
    """The repository's genealogy tables as Parquet files, read from the cache where the sources are unchanged."""
    return prepare(root)[0]


def prepare(root: Path) -> tuple[Sources, list[Finding]]:
    """The tables, and the bulk sources' findings (row checks, duplicates, dangling links, lot cycles)."""
    import duckdb

    cache = TableCache(root)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # stdout carries the answer
    # Ten million rows of a file are more than DuckDB needs in memory at once: past MEMORY, it writes what it
    # holds to the cache's own spill folder (none is made below that, as for a million rows).
    spill = cache.dir / f".spill-{os.getpid()}"
    con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
    con.execute(f"SET memory_limit = '{MEMORY}'")
    try:
        folders, findings = _build(con, cache, root)
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    tables = {name: [f / f"{name}.parquet" for f in folders if (f / f"{name}.parquet").is_file()] for name in TABLES}
    return tables, findings


def sources(root: Path) -> list[tuple[list[tuple[str, str]], str | None]]:
    """The repository's genealogy sources in the record path's load order (discover's): each bulk CSV of lots,
    serial units, shipments or receipts with its kind, and each run of the workbooks and YAML records that
    may hold those kinds between two of them with None (the record loader reads those; a YAML record named
    by no ID may hold one, as qms validate loads it). A source's rows come in that order too, so the first
    of a duplicated ID is the one `qms validate` keeps, by (source, row) alone."""
    out: list[tuple[list[tuple[str, str]], str | None]] = []
    for rel, fmt in discover(root):
        if fmt == "csv":
            kind = kind_of_sheet(Path(rel).stem)
            if kind is not None and kind.name in KIND_TABLES:
                out.append(([(rel, fmt)], kind.name))
        elif fmt == "xlsx" or (fmt == "yaml" and ((k := kind_of_id(Path(rel).stem)) is None
                                                  or k.name in KINDS_READ)):
            if out and out[-1][1] is None:
                out[-1][0].append((rel, fmt))
            else:
                out.append(([(rel, fmt)], None))
    return out


def _build(con: Any, cache: TableCache, root: Path) -> tuple[list[Path], list[Finding]]:
    """Every source's cache folder, in load order, built where it is missing or unsound, and the bulk
    sources' findings."""
    # A file that is no regular file of the repository is never opened (a FIFO would block the hashing for
    # ever): it is named as `qms validate` names it, and its source reads the others.
    refused: list[Finding] = []
    found = []
    for files, kind_name in sources(root):
        kept = [(rel, fmt) for rel, fmt in files if not _refused(refused, root, rel)]
        if kept:
            found.append((kept, kind_name))
    folders = [cache.folder(*(f"{rel}\0{cache.digest(rel)}" for rel, _ in files)) for files, _ in found]
    todo = [i for i in range(len(found)) if not cache.sound(con, folders[i])]
    # The largest source on this connection; the others, smallest first, on a second one in a thread beside it
    # (DuckDB lets go of the interpreter while it works, and many of a build's statements use one core).
    todo.sort(key=lambda i: -sum(_size(root / rel) for rel, _ in found[i][0]))

    def build(cursor: Any, i: int) -> None:
        (files, kind_name), final = found[i], folders[i]
        staged = cache.staging(final)
        rel = files[0][0]
        # A CSV file DuckDB cannot read as the csv module does (UTF-16, bare-CR line ends, a blank line ...),
        # and the workbooks and YAML records, are read by the record loader.
        if kind_name is None or not csv_to_parquet(cursor, root / rel, kind_name, staged, rel):
            shutil.rmtree(staged, ignore_errors=True)  # none of what DuckDB may have begun to write stays
            staged = cache.staging(final)
            records_to_parquet(cursor, root, files, staged)
        cache.publish(staged, final)

    rest = todo[1:]
    side: list[BaseException] = []

    def build_rest() -> None:
        cursor = con.cursor()
        try:
            for i in reversed(rest):
                build(cursor, i)
        except BaseException as err:  # raised again in the caller's thread
            side.append(err)
        finally:
            cursor.close()

    helper = threading.Thread(target=build_rest) if rest else None
    if helper is not None:
        helper.start()
    try:
        if todo:
            build(con, todo[0])
    finally:
        if helper is not None:
            helper.join()
    if side:
        raise side[0]
    findings = cached_checks(con, folders, cache.dir)
    cache.save()
    return folders, sorted(findings + refused, key=lambda f: f.sort_key)


def _refused(out: list[Finding], root: Path, rel: str) -> bool:
    found = refusal(root, rel)
    if found is not None:
        out.append(found)
    return found is not None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _views(engine: Any, tables: Sources) -> None:
    for name, files in tables.items():
        if len(files) > 1 and name not in ("consumes", "shipment_units", "shipment_lots"):
            engine.define(f"{name}_first", first_sql(name))
    parents = {"consumes": "lots", "shipment_units": "shipments", "shipment_lots": "shipments"}
    for name in tables:
        many = len(tables[parents.get(name, name)]) > 1
        engine.define(name, view_sql(name, 2 if many else 1))


class DuckDBEngine:
    """DuckDB in this process, over the Parquet files where they lie."""

    stepwise = True  # a query starts in a millisecond

    def __init__(self, tables: Sources):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")  # stdout carries the answer
        for name, files in tables.items():
            cols = ", ".join(TABLES[name])
            if files:
                union = " UNION ALL ".join(
                    f"SELECT {cols}, rn, {i} AS src FROM read_parquet('{str(f).replace(chr(39), chr(39) * 2)}')"
                    for i, f in enumerate(files))
            else:
                nulls = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in TABLES[name])
                union = f"SELECT {nulls}, CAST(0 AS BIGINT) AS rn, 0 AS src WHERE false"
            self.con.execute(f"CREATE VIEW {name}_rows AS {union}")
        _views(self, tables)

    def define(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE VIEW {name} AS {sql}")

    def values(self, name: str, column: str, values: Iterable[str]) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT unnest(?::VARCHAR[]) AS {column}",
                         [list(values)])

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()


class SparkEngine:
    """The same views on a SparkSession: `local[*]` by default, or a cluster's master URL. The Parquet files
    must be readable where the executors run (a shared or object-store path on a cluster)."""

    stepwise = False  # a query starts in a second or so: the walk is one recursive query

    def __init__(self, tables: Sources, master: str = "local[*]"):
        from pyspark.sql import SparkSession
        from pyspark.sql.functions import lit

        builder = (SparkSession.builder.master(master).appName("qms-recall")
                   .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false"))
        if master.startswith("local"):
            # A local session reads one repository's tables, small for Spark: one partition per shuffle and per
            # local collection, and no per-query Java code generation or adaptive re-planning, which cost more
            # than such a query's work (a cluster, given its master URL, keeps Spark's planning).
            builder = (builder.config("spark.sql.shuffle.partitions", "1").config("spark.default.parallelism", "1")
                       .config("spark.sql.codegen.wholeStage", "false").config("spark.sql.adaptive.enabled", "false"))
        else:
            builder = builder.config("spark.sql.shuffle.partitions", "4")
        self.spark = builder.getOrCreate()
        self.spark.sparkContext.setLogLevel("ERROR")
        for name, files in tables.items():
            schema = ", ".join(f"{c} STRING" for c in TABLES[name]) + ", rn BIGINT, src INT"
            frame = self.spark.createDataFrame([], schema)
            for i, f in enumerate(files):
                part = self.spark.read.parquet(str(f)).selectExpr(*TABLES[name], "CAST(rn AS BIGINT) AS rn")
                frame = frame.unionByName(part.withColumn("src", lit(i)))
            # Every query of a recall reads these tables again: read each Parquet file once, then from memory.
            frame.cache().createOrReplaceTempView(f"{name}_rows")
        _views(self, tables)

    def define(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)

    def values(self, name: str, column: str, values: Iterable[str]) -> None:
        self.spark.createDataFrame([(v,) for v in values], f"{column} STRING").createOrReplaceTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def stop(self) -> None:
        self.spark.stop()
