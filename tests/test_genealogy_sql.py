"""Genealogy as SQL (analysis/genealogy_sql.py) on DuckDB and Spark, over the Parquet table cache."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from support import ROOT, git, make_repo, run_qms

from generator.analysis.genealogy import RecallError, recall
from generator.analysis.genealogy_engines import DuckDBEngine, parquet_tables
from generator.analysis.genealogy_sql import recall_sql
from generator.load.repo import load_repository
from generator.recordset import RecordSet

GTIN = "05391234562002"

FILES = {
    # Padded cells, a lot naming its supplier lot but not its supplier, a row without an ID (skipped).
    "records/production/lots.csv":
        "id,status,lot_type,material,supplier,supplier_lot,receipt,consumes,dhr_complete,released,expiry\n"
        "LOT-C-1, accepted ,component,MAT-002,SUP-001,X1,RCV-1,,,,\n"
        "LOT-C-2,accepted,component,MAT-002,,Y7,,,,,\n"
        "LOT-S-1,consumed,subassembly,MAT-003,,,,LOT-C-1=2; LOT-C-2=1,true,,\n"
        "LOT-F-1,released,finished,MAT-001,,,,LOT-S-1=1,true,2026-02-20,2036-02-09\n"
        "LOT-F-2,released,finished,MAT-001,,,,LOT-C-2=1,true,2026-02-21,2036-02-09\n"
        "not an id,accepted,component,MAT-002,,,,,,,\n",
    # Semicolon-separated, as a spreadsheet in a German locale saves it.
    "records/production/serial_units.csv":
        "id;status;lot;serial;udi\n"
        f"SN-1;shipped;LOT-F-1;S1;(01){GTIN}(17)360209(10)LOT-F-1(21)S1\n"
        f"SN-2;released;LOT-F-1;S2;(01){GTIN}(17)360209(10)LOT-F-1(21)S2\n"
        f"SN-3;shipped;LOT-F-2;S3;(01){GTIN}(17)360209(10)LOT-F-2(21)S3\n",
    "records/production/shipments.csv":
        "id,status,customer,country,shipped,units,lots\n"
        "SHP-1,delivered,Acme Hospital,DE,2026-02-24,SN-1,\n"
        "SHP-2,delivered,Beta Clinic,FR,2026-02-25,\"SN-3\nSN-1\",\n"
        "SHP-3,delivered,Gamma Care,IT,2026-02-26,,LOT-F-2=5\n",
    "records/supply/receipts.csv":
        "id,status,supplier,material,supplier_lot,lot,quantity,received\n"
        "RCV-1,accepted,SUP-001,MAT-002,X1,LOT-C-1,100,2026-01-05\n"
        "RCV-2,rejected,SUP-002,MAT-002,Y7,,50,2026-01-06\n",
    # A YAML record of a bulk kind beside the CSV files: the row reader's source.
    "records/production/LOT-C-3.yaml": "id: LOT-C-3\nstatus: accepted\nlot_type: component\nmaterial: MAT-004\n"
                                       "supplier: SUP-003\nsupplier_lot: Z9\n",
}
SELECTORS = [{"supplier_lot": "X1"}, {"supplier_lot": "Y7"}, {"supplier_lot": "SUP-002:Y7"}, {"supplier_lot": "Z9"},
             {"lot": "LOT-C-1"}, {"lot": "LOT-S-1"}, {"lot": "LOT-F-1"}, {"lot": "LOT-F-2"}, {"serial": "S1"},
             {"serial": "SN-2"}, {"udi": f"(01){GTIN}(17)360209(10)LOT-F-2(21)S3"},
             {"udi": f"(01){GTIN}(10)LOT-F-1"}, {"lot": "LOT-NOPE"}, {"supplier_lot": "NOPE"}, {"serial": "NOPE"}]


def _answers(fn, selectors) -> list:
    out = []
    for sel in selectors:
        try:
            out.append(fn(**sel))
        except RecallError as err:
            out.append(f"error: {err}")
    return out


def _record_path(repo: Path, selectors) -> list:
    loaded = load_repository(repo, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    return _answers(lambda **s: recall(records, **s).as_json(), selectors)


def _duckdb(repo: Path, selectors) -> list:
    engine = DuckDBEngine(parquet_tables(repo))
    return _answers(lambda **s: recall_sql(engine, **s)[0].as_json(), selectors)


def test_sql_answers_exactly_as_the_record_path_on_csv_yaml_and_odd_cells(tmp_path):
    repo = make_repo(tmp_path, FILES)
    assert _duckdb(repo, SELECTORS) == _record_path(repo, SELECTORS)
    x1, y7 = _duckdb(repo, SELECTORS[:2])
    # By hand: X1 is LOT-C-1, in LOT-S-1, in LOT-F-1 (SN-1, SN-2); SN-1 went out on SHP-1 and SHP-2.
    assert [lot["id"] for lot in x1["affected_lots"]] == ["LOT-F-1"]
    assert x1["affected_lots"][0]["released"] == "2026-02-20"
    assert [(u["id"], u["shipments"]) for u in x1["affected_serials"]] == [("SN-1", ["SHP-1", "SHP-2"]),
                                                                           ("SN-2", [])]
    assert [(s["id"], s["units"]) for s in x1["shipments"]] == [("SHP-1", ["SN-1"]), ("SHP-2", ["SN-1"])]
    assert x1["intermediate_lots"] == ["LOT-C-1", "LOT-S-1"]
    assert [(c["lot"], c["supplier"], c["receipt"]) for c in x1["components"]] == [("LOT-C-1", "SUP-001", "RCV-1")]
    # Y7: LOT-C-2 (no supplier named on the lot) belongs with the rejected receipt's SUP-002; it reaches
    # LOT-F-1 through LOT-S-1, and LOT-F-2 whose SN-3 and 5 unserialised units went to Beta and Gamma.
    assert [lot["id"] for lot in y7["affected_lots"]] == ["LOT-F-1", "LOT-F-2"]
    assert y7["customers"] == ["Acme Hospital", "Beta Clinic", "Gamma Care"]
    assert [(s["id"], s["units"], s["lots"]) for s in y7["shipments"]] == [
        ("SHP-1", ["SN-1"], []), ("SHP-2", ["SN-1", "SN-3"], []), ("SHP-3", [], ["LOT-F-2"])]
    assert [(c["lot"], c["receipt"], c["status"]) for c in y7["components"]] == [("LOT-C-2", None, "accepted"),
                                                                                 (None, "RCV-2", "rejected")]


def test_sql_answers_exactly_as_the_record_path_on_the_example():
    loaded = load_repository(ROOT)
    records = RecordSet(loaded.records, loaded.config)
    selectors = [{"lot": lot.id} for lot in records.of_kind("lot")]
    selectors += [{"supplier_lot": n} for n in sorted({lot.supplier_lot for lot in records.of_kind("lot")
                                                       if lot.supplier_lot})]
    selectors += [{"serial": u.serial} for u in records.of_kind("serial_unit")][:5]
    assert len(selectors) > 20
    expected = _answers(lambda **s: recall(records, **s).as_json(), selectors)
    assert _duckdb(ROOT, selectors) == expected


def test_engine_text_output_is_the_record_paths():
    for args in (("--supplier-lot", "KPM-25-1187"), ("--serial", "VP2-2601-003")):
        slow = run_qms("--repo", str(ROOT), "recall", *args)
        fast = run_qms("--repo", str(ROOT), "recall", *args, "--engine", "duckdb")
        assert slow.returncode == fast.returncode == 0, slow.stderr + fast.stderr
        assert fast.stdout == slow.stdout


def _folders(repo: Path) -> dict[str, float]:
    base = repo / ".qms-cache/tables"
    return {p.relative_to(base).as_posix(): p.stat().st_mtime_ns for p in base.glob("*/*.parquet")}


def test_second_run_reads_the_parquet_cache_and_a_changed_file_is_read_again(tmp_path):
    repo = make_repo(tmp_path, FILES)
    first = _duckdb(repo, SELECTORS[:1])
    cached = _folders(repo)
    assert len({k.split("/")[0] for k in cached}) == 5  # four CSV files and the YAML/workbook source
    assert (repo / ".qms-cache/.gitignore").read_text() == "*\n"
    assert _duckdb(repo, SELECTORS[:1]) == first and _folders(repo) == cached  # nothing rewritten
    # A changed file is a new folder; the old one is not read for it.
    units = repo / "records/production/serial_units.csv"
    units.write_text(units.read_text().replace("SN-2;released", "SN-2;shipped"))
    again = _duckdb(repo, SELECTORS[:1])[0]
    assert [u["status"] for u in again["affected_serials"]] == ["shipped", "shipped"]
    assert len({k.split("/")[0] for k in _folders(repo)}) == len({k.split("/")[0] for k in cached}) + 1


def test_a_cache_tracked_by_git_is_never_read(tmp_path):
    repo = make_repo(tmp_path, FILES)
    truth = _duckdb(repo, SELECTORS[:1])
    # Plant a false answer in every cached units table, then commit the cache.
    import duckdb

    for path in (repo / ".qms-cache/tables").glob("*/units.parquet"):
        con = duckdb.connect()
        con.execute(f"COPY (SELECT id, serial, 'LOT-F-2' AS lot, status, udi, rn FROM read_parquet('{path}')) "
                    f"TO '{path}.new' (FORMAT parquet)")
        shutil.move(f"{path}.new", path)
    assert _duckdb(repo, SELECTORS[:1]) != truth  # the planted table is what an untracked cache would give
    git(repo, "init", "-q")
    git(repo, "add", "-f", ".qms-cache")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "cache committed by mistake")
    assert _duckdb(repo, SELECTORS[:1]) == truth


def test_cycles_are_reported_on_the_engine(tmp_path):
    repo = make_repo(tmp_path, {"records/production/lots.csv":
                                "id,status,lot_type,material,consumes\n"
                                "LOT-A,accepted,subassembly,MAT-1,LOT-B=1\n"
                                "LOT-B,accepted,subassembly,MAT-1,LOT-A=1\n"})
    proc = run_qms("--repo", str(repo), "recall", "--lot", "LOT-A", "--engine", "duckdb", "--format", "json")
    assert proc.returncode == 1 and "lots consume each other (LOT-A, LOT-B)" in proc.stderr
    assert [c["lot"] for c in json.loads(proc.stdout)["components"]] == ["LOT-A", "LOT-B"]


def _java() -> bool:
    return shutil.which("java") is not None


@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None or not _java(),
                    reason="needs pyspark (the spark extra) and a Java runtime")
def test_spark_and_duckdb_give_the_same_answers(tmp_path):
    from generator.analysis.genealogy_engines import SparkEngine

    repo = make_repo(tmp_path, FILES)
    tables = parquet_tables(repo)
    spark = SparkEngine(tables)
    try:
        picked = SELECTORS[:3] + SELECTORS[8:10] + SELECTORS[12:13]
        on_spark = _answers(lambda **s: recall_sql(spark, **s)[0].as_json(), picked)
    finally:
        spark.stop()
    assert on_spark == _duckdb(repo, picked) == _record_path(repo, picked)


def test_duckdbs_csv_reader_gives_the_row_readers_tables(tmp_path):
    import duckdb

    from generator.analysis.genealogy import KINDS_READ, scan_inputs
    from generator.analysis.genealogy_engines import input_rows
    from generator.load.columnar import TABLES, csv_to_parquet, rows_to_parquet, scan
    from generator.model import kind_of_sheet

    repo = make_repo(tmp_path, FILES)
    con = duckdb.connect()
    for rel in (r for r in FILES if r.endswith(".csv")):
        kind = kind_of_sheet(Path(rel).stem).name
        fast, rows = tmp_path / "fast" / rel, tmp_path / "rows" / rel
        assert csv_to_parquet(con, repo / rel, kind, fast)  # DuckDB read it (no fallback)
        rows_to_parquet(con, input_rows(*scan_inputs(scan(repo, KINDS_READ, only={rel}))), rows)
        for table in TABLES:
            if not (fast / f"{table}.parquet").exists():
                assert not con.execute(f"SELECT * FROM '{rows / table}.parquet'").fetchall()
                continue
            got, want = (sorted(con.execute(f"SELECT * EXCLUDE (rn) FROM '{d / table}.parquet'").fetchall())
                         for d in (fast, rows))
            assert got == want, (rel, table)
