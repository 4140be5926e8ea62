"""The narrow genealogy tables as Parquet (cached per source file), and the engines that query them.

`parquet_tables(root)` gives table → [Parquet files, in source order]: each bulk CSV of lots, serial
units, shipments or receipts read by DuckDB's CSV reader, and the workbooks and YAML records of those
kinds read by the row reader (load.columnar) as one more source. `DuckDBEngine` (embedded, the
default) and `SparkEngine` (pyspark, `local[*]` or a cluster's master URL) run genealogy_sql's text.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..load.columnar import KIND_TABLES, TABLES, csv_to_parquet, rows_to_parquet, scan
from ..load.repo import discover
from ..load.table_cache import TableCache
from ..model import kind_of_id, kind_of_sheet
from .genealogy import KINDS_READ, LotIn, ReceiptIn, ShipmentIn, UnitIn, scan_inputs
from .genealogy_checks import cached_checks
from .genealogy_sql import first_sql, view_sql

Sources = dict[str, list[Path]]
MEMORY = "1.5GB"  # DuckDB's own memory while it builds the tables (the process adds Python's, about 100 MB)


def input_rows(lots_in: Iterable[LotIn], units_in: Iterable[UnitIn], shipments_in: Iterable[ShipmentIn],
               receipts_in: Iterable[ReceiptIn]) -> dict[str, list[tuple[Any, ...]]]:
    """Plain rows as the narrow tables, with their row numbers; the first of a duplicated ID stands."""
    out: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLES}
    seen: set[tuple[str, str]] = set()

    def first(table: str, ident: str) -> bool:
        if (table, ident) in seen:
            return False
        seen.add((table, ident))
        return True

    for rn, (lot_id, row, used) in enumerate(lots_in):
        if first("lots", lot_id):
            out["lots"].append((lot_id, *row, rn))
            out["consumes"].extend((lot_id, c, rn) for c in used)
    for rn, (unit_id, unit_row) in enumerate(units_in):
        if first("units", unit_id):
            out["units"].append((unit_id, *unit_row, rn))
    for rn, (shipment_id, shipment_row, units, lots) in enumerate(shipments_in):
        if first("shipments", shipment_id):
            out["shipments"].append((shipment_id, *shipment_row, rn))
            out["shipment_units"].extend((shipment_id, u, rn) for u in units)
            out["shipment_lots"].extend((shipment_id, lot_id, rn) for lot_id in lots)
    for rn, (receipt_id, receipt_row, lot) in enumerate(receipts_in):
        if first("receipts", receipt_id):
            out["receipts"].append((receipt_id, *receipt_row, lot, rn))
    return out


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


def _build(con: Any, cache: TableCache, root: Path) -> tuple[list[Path], list[Finding]]:
    """Every source's cache folder, built where it is missing or unsound, and the bulk sources' findings."""
    bulk: list[tuple[str, str]] = []
    others: list[str] = []
    for rel, fmt in discover(root):
        if fmt == "csv":
            kind = kind_of_sheet(Path(rel).stem)
            if kind is not None and kind.name in KIND_TABLES:
                bulk.append((rel, kind.name))
        elif fmt == "xlsx" or (fmt == "yaml" and (k := kind_of_id(Path(rel).stem)) is not None
                               and k.name in KINDS_READ):
            others.append(rel)
    folders: list[Path] = []
    if others:  # workbooks and YAML records: the row reader, as one source
        final = cache.folder(*(f"{rel}\0{cache.digest(rel)}" for rel in others))
        if not cache.sound(con, final):
            staged = cache.staging(final)
            rows_to_parquet(con, input_rows(*scan_inputs(scan(root, KINDS_READ, only=set(others)))), staged)
            cache.publish(staged, final)
        folders.append(final)
    built = [cache.folder(f"{rel}\0{cache.digest(rel)}") for rel, _ in bulk]
    todo = [i for i in range(len(bulk)) if not cache.sound(con, built[i])]
    # The largest file on this connection; the others, smallest first, on a second one in a thread beside it
    # (DuckDB lets go of the interpreter while it works, and many of a build's statements use one core).
    todo.sort(key=lambda i: -_size(root / bulk[i][0]))

    def build(cursor: Any, i: int) -> None:
        (rel, kind_name), final = bulk[i], built[i]
        staged = cache.staging(final)
        if not csv_to_parquet(cursor, root / rel, kind_name, staged, rel):  # the row reader's decoding, dialects
            scanned = scan(root, KINDS_READ, only={rel})
            rows_to_parquet(cursor, input_rows(*scan_inputs(scanned)), staged)
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
    folders += built
    findings = cached_checks(con, folders, cache.dir)
    cache.save()
    return folders, findings


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
