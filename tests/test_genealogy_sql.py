"""Genealogy as SQL (analysis/genealogy_sql.py) on DuckDB and Spark, over the Parquet table cache."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
from pathlib import Path

import pytest
from support import git, make_repo, run_qms, validate_json

from generator.analysis.genealogy import RecallError, recall
from generator.analysis.genealogy_engines import DuckDBEngine, parquet_tables, prepare
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


def test_sql_answers_exactly_as_the_record_path_on_the_example(example_repo):
    loaded = load_repository(example_repo)
    records = RecordSet(loaded.records, loaded.config)
    selectors = [{"lot": lot.id} for lot in records.of_kind("lot")]
    selectors += [{"supplier_lot": n} for n in sorted({lot.supplier_lot for lot in records.of_kind("lot")
                                                       if lot.supplier_lot})]
    selectors += [{"serial": u.serial} for u in records.of_kind("serial_unit")][:5]
    assert len(selectors) > 20
    expected = _answers(lambda **s: recall(records, **s).as_json(), selectors)
    assert _duckdb(example_repo, selectors) == expected


def test_engine_text_output_is_the_record_paths(example_repo):
    for args in (("--supplier-lot", "KPM-25-1187"), ("--serial", "VP2-2601-003")):
        slow = run_qms("--repo", str(example_repo), "recall", *args)
        fast = run_qms("--repo", str(example_repo), "recall", *args, "--engine", "duckdb")
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


def _plant_units(repo: Path, manifest: bool) -> None:
    """A false answer in every cached units table (every unit moved to LOT-F-2), its manifest made to match
    when `manifest` (as someone who meant it would)."""
    import duckdb

    for path in (repo / ".qms-cache/tables").glob("*/units.parquet"):
        con = duckdb.connect()
        con.execute(f"COPY (SELECT id, serial, 'LOT-F-2' AS lot, status, udi, rn FROM read_parquet('{path}')) "
                    f"TO '{path}.new' (FORMAT parquet)")
        shutil.move(f"{path}.new", path)
        if manifest:
            listed = json.loads((path.parent / "manifest.json").read_text())
            listed["units.parquet"] = hashlib.sha256(path.read_bytes()).hexdigest()
            (path.parent / "manifest.json").write_text(json.dumps(listed))


def test_a_cache_tracked_by_git_is_never_read(tmp_path):
    repo = make_repo(tmp_path, FILES)
    truth = _duckdb(repo, SELECTORS[:1])
    _plant_units(repo, manifest=True)
    assert _duckdb(repo, SELECTORS[:1]) != truth  # a consistent planted folder is what an untracked cache would give
    git(repo, "init", "-q")
    git(repo, "add", "-f", ".qms-cache")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "cache committed by mistake")
    assert _duckdb(repo, SELECTORS[:1]) == truth


def test_a_damaged_cache_is_rebuilt_from_the_sources(tmp_path):
    repo = make_repo(tmp_path, FILES)
    args = ("--repo", str(repo), "recall", "--supplier-lot", "Y7", "--engine", "duckdb", "--format", "json")
    truth = run_qms(*args)
    assert truth.returncode == 0, truth.stderr
    assert truth.stderr.endswith("qms: 1 finding(s) in the bulk tables: rows refused are missing from the genealogy; "
                                 "run `qms validate`\n")  # the row 'not an id' (QMS114)
    base = repo / ".qms-cache/tables"
    lots = next(base.glob("*/lots.parquet"))

    def damage(how):
        how()
        proc = run_qms(*args)
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, truth.stdout, truth.stderr)
        assert lots.stat().st_size > 100 and not list(base.glob("*/planted*"))  # rebuilt in its place

    damage(lambda: _plant_units(repo, manifest=False))  # replaced by a readable table of the right schema
    damage(lambda: lots.write_bytes(lots.read_bytes()[:40]))  # truncated
    damage(lambda: lots.write_bytes(b"PAR1"))  # cut to its magic
    damage(lambda: shutil.copy(next(base.glob("*/shipments.parquet")), lots))  # another table's schema
    damage(lambda: (lots.parent / "planted.parquet").write_bytes(b"x"))  # a file planted in a folder
    damage(lambda: (lots.parent / "manifest.json").write_text("{"))  # its manifest broken
    assert _duckdb(repo, SELECTORS) == _record_path(repo, SELECTORS)


# One bulk source of each kind with one of each mistake the record loader and the reference rules locate:
# a bad date and a number for a date, a malformed ID, a row without an ID, a required value missing, a
# link to a lot, unit or receipt that does not exist, an ID used twice (in one file and across two), and
# a cell with a line break above a bad row (the location is the line the row ends on).
BAD = {
    "records/production/lots.csv":
        "id,status,lot_type,material,supplier,receipt,consumes,released,expiry\n"
        "LOT-C-1,accepted,component,MAT-002,SUP-001,RCV-1,,,\n"
        "LOT-C-2,accepted,component,,,,,2026-13-45,\n"
        "LOT-C-1,accepted,component,MAT-002,,,,,\n"
        "LOT-F-1,released,finished,MAT-001,,,\"LOT-C-1=2\nLOT-ZZ=1\",2026-02-20,soon\n"
        "lot 7,accepted,component,MAT-002,,,,,\n"
        ",accepted,component,MAT-002,,,,,\n"
        "LOT-F-2,released,finished,MAT-001,,RCV-404,LOT-C-1=1,45000,\n",
    "records/production/serial_units.csv":
        "id,status,lot,serial\n"
        "SN-1,shipped,LOT-F-1,S1\n"
        "SN-2,released,LOT-NOPE,S2\n"
        "SN-3,released,,S3\n"
        "SN-1,released,LOT-F-1,S1\n",
    "records/production/shipments.csv":
        "id,status,customer,shipped,units,lots\n"
        "SHP-1,delivered,Acme,2026-02-24,SN-1; SN-9,LOT-F-1=1\n"
        "SHP-2,delivered,,2026-02-31,SN-3,LOT-F-404=2\n",
    "records/supply/receipts.csv":
        "id,status,supplier,material,lot,quantity,received\n"
        "RCV-1,accepted,SUP-001,MAT-002,LOT-C-1,100,2026-01-05\n"
        "RCV-2,accepted,SUP-001,MAT-002,LOT-Q-1,100,2026-01-06\n",
    "records/supply/more/receipts.csv":
        "id,status,supplier,material,lot,quantity,received\n"
        "RCV-1,accepted,SUP-001,MAT-002,LOT-C-1,100,2026-01-05\n",
}
# The codes the engine path answers for; the rest (materials, suppliers, lifecycles ...) are `qms validate`'s.
ENGINE_CODES = {"QMS112", "QMS113", "QMS114", "QMS120", "QMS122", "QMS128"}
GENEALOGY_KINDS = ("LOT-", "SN-", "SHP-", "RCV-")


def _validated(repo: Path) -> list[tuple[str, str, str]]:
    code, out = validate_json(repo, "--as-of", "2026-11-25")
    return sorted((f["code"], f["location"], f["message"]) for f in out["findings"]
                  if f["code"] in ENGINE_CODES and f["location"].startswith("records/")
                  and (f["code"] != "QMS122" or f["message"].split(" links to ")[1].startswith(GENEALOGY_KINDS)))


def test_the_engine_finds_the_record_paths_findings_at_the_same_cells(tmp_path):
    repo = make_repo(tmp_path, BAD)
    in_order, validated_in_order = _engine_and_record_path(repo)
    assert in_order == validated_in_order  # in the same order too: on one row, by the cell's column
    expected = _validated(repo)
    _, findings = prepare(repo)
    got = sorted((f.code, str(f.location), f.message) for f in findings)
    assert got == expected
    # By hand, so the comparison is not between two wrong answers.
    assert len(got) == 18
    assert ("QMS113", "records/production/lots.csv:6", "'expiry' is not a real date: 'soon'") in got
    assert ("QMS122", "records/production/lots.csv:6", "'consumes.lot' links to LOT-ZZ, which does not exist") in got
    assert ("QMS112", "records/production/lots.csv:8", "row 8 has data but no id") in got
    assert ("QMS120", "records/supply/receipts.csv:2",
            "ID RCV-1 is already used by records/supply/more/receipts.csv:2") in got
    # The second run reads the findings from the cache, and the CLI shows them, located, without failing.
    assert sorted((f.code, str(f.location), f.message) for f in prepare(repo)[1]) == got
    proc = run_qms("--repo", str(repo), "recall", "--lot", "LOT-C-1", "--engine", "duckdb")
    assert proc.returncode == 0, proc.stderr
    assert "qms: error: records/production/lots.csv:3: required field 'material' is missing (QMS112)\n" in proc.stderr
    assert proc.stderr.endswith("qms: 18 finding(s) in the bulk tables: rows refused are missing from the genealogy; "
                                "run `qms validate`\n")


def test_every_lot_cycle_is_found_once_with_its_path_not_only_those_a_recall_passes(tmp_path):
    lots = ("id,status,lot_type,material,consumes\n"
            "LOT-A,accepted,subassembly,MAT-1,LOT-C=1\n"
            "LOT-B,accepted,subassembly,MAT-1,LOT-A=1\n"
            "LOT-C,accepted,subassembly,MAT-1,LOT-B=1; LOT-D=1\n"
            "LOT-D,accepted,subassembly,MAT-1,LOT-C=1\n"
            "LOT-E,accepted,subassembly,MAT-1,LOT-F=1\n"
            "LOT-F,accepted,subassembly,MAT-1,LOT-E=1\n"
            "LOT-X,accepted,component,MAT-1,\n")
    repo = make_repo(tmp_path, {"records/production/lots.csv": lots})
    found = [(f.code, str(f.location), f.message) for f in prepare(repo)[1] if f.code == "QMS128"]
    assert found == [
        ("QMS128", "records/production/lots.csv:2",
         "'consumes.lot' links form a cycle: LOT-A → LOT-C → LOT-B → LOT-A; also caught in this cycle: LOT-D"),
        ("QMS128", "records/production/lots.csv:6", "'consumes.lot' links form a cycle: LOT-E → LOT-F → LOT-E")]
    assert found == [(c, loc, m) for c, loc, m in _validated(repo) if c == "QMS128"]
    # A recall of a lot outside every cycle still fails: the genealogy it answers from holds cycles.
    proc = run_qms("--repo", str(repo), "recall", "--lot", "LOT-X", "--engine", "duckdb")
    slow = run_qms("--repo", str(repo), "recall", "--lot", "LOT-X")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, slow.stdout, slow.stderr)
    assert proc.stderr.count("(QMS128)") == 2 and "(LOT-A, LOT-B, LOT-C, LOT-D)" in proc.stderr


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


def test_duckdbs_csv_reader_gives_the_row_readers_and_the_record_loaders_tables(tmp_path):
    import duckdb

    from generator.analysis.genealogy import KINDS_READ, scan_inputs
    from generator.analysis.genealogy_engines import input_rows, records_to_parquet
    from generator.load.columnar import TABLES, csv_to_parquet, rows_to_parquet, scan
    from generator.model import kind_of_sheet

    repo = make_repo(tmp_path, FILES)
    con = duckdb.connect()
    for rel in (r for r in FILES if r.endswith(".csv")):
        kind = kind_of_sheet(Path(rel).stem).name
        fast, rows, records = tmp_path / "fast" / rel, tmp_path / "rows" / rel, tmp_path / "records" / rel
        assert csv_to_parquet(con, repo / rel, kind, fast)  # DuckDB read it (no fallback)
        rows_to_parquet(con, input_rows(*scan_inputs(scan(repo, KINDS_READ, only={rel}))), rows)
        records_to_parquet(con, repo, [(rel, "csv")], records)  # as a file DuckDB cannot read is read
        for table in [*TABLES, "rows", "refs"]:
            got, *want = (sorted(con.execute(f"SELECT * EXCLUDE (rn) FROM '{d / table}.parquet'").fetchall())
                          if (d / f"{table}.parquet").exists() else [] for d in (fast, records, rows))
            assert got == want[0], (rel, table)
            if table in TABLES:
                assert got == want[1], (rel, table)


def test_line_breaks_in_cells_place_each_finding_on_its_line_and_a_blank_line_goes_to_the_row_reader(tmp_path):
    import duckdb

    from generator.load.columnar import csv_to_parquet

    # Every record one line (line = record + 1), and line breaks in quoted cells above a bad row.
    repo = make_repo(tmp_path, {
        "records/production/lots.csv":
            "id,status,lot_type,material,released\n"
            "LOT-C-1,accepted,component,MAT-002,\n"
            "LOT-C-2,accepted,component,MAT-002,2026-02-30\n",
        "records/supply/receipts.csv":
            "id,status,supplier,material,lot,quantity,received\n"
            "RCV-1,accepted,SUP-001,\"MAT-002\nand\r\nmore\",LOT-C-1,100,2026-01-05\n"
            "RCV-2,accepted,SUP-001,MAT-002,LOT-C-1,100,someday"})  # no line break at the end
    got, expected = _engine_and_record_path(repo)
    assert got == expected == [
        ("QMS113", "records/production/lots.csv:3", "'released' is not a real date: '2026-02-30'"),
        # A link with line breaks in it is no ID: the record loader reads that row, which ends on line 4.
        ("QMS111", "records/supply/receipts.csv:4",
         "'material.id': 'MAT-002\\nand\\r\\nmore' is not a record ID: IDs are ASCII letters, digits and '-'"),
        ("QMS113", "records/supply/receipts.csv:5", "'received' is not a real date: 'someday'")]
    # A blank line: DuckDB would skip it where the csv module counts it, so the row reader reads that file.
    blank = repo / "records/production/lots.csv"
    blank.write_text("id,status,lot_type,material\nLOT-C-1,accepted,component,MAT-002\n\n"
                     "LOT-C-2,accepted,component,MAT-002\n")
    assert not csv_to_parquet(duckdb.connect(), blank, "lot", tmp_path / "out")


def _engine_and_record_path(repo: Path) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The bulk path's findings (`qms recall --engine duckdb`) and the record path's (`qms validate`) that it
    answers for: the loader's errors in the files it reads (every one, where the record loader read the
    file), the checks across sources (QMS120, QMS122 to the genealogy's kinds, QMS128); each in the order
    it gives them (by place, to the cell's column, then code)."""
    from generator.analysis.genealogy_engines import sources
    from generator.rules import RULES

    read = {rel for files, _ in sources(repo) for rel, _ in files}
    code, out = validate_json(repo, "--as-of", "2026-11-25")
    expected = [(f["code"], f["location"], f["message"]) for f in out["findings"]
                if f["severity"] == "error" and f["location"].split("[")[0].split(":")[0] in read
                and (RULES[f["code"]].area == "schema" or f["code"] in ENGINE_CODES)
                and (f["code"] != "QMS122" or f["message"].split(" links to ")[1].startswith(GENEALOGY_KINDS))]
    return [(f.code, str(f.location), f.message) for f in prepare(repo)[1]], expected


# Lots whose CSV DuckDB does not read as the csv module does, so the record loader reads it: a bad date, a
# required value missing, a link to a lot that does not exist, an ID used twice in the file.
LOTS_ODD = ("id,status,lot_type,material,consumes,released\n"
            "LOT-C-1,accepted,component,MAT-002,,\n"
            "LOT-C-2,accepted,component,MAT-002,,2026-02-30\n"
            "LOT-F-1,released,finished,MAT-001,LOT-C-1=1; LOT-ZZ=2,2026-02-20\n"
            "LOT-C-1,accepted,component,MAT-002,,\n"
            "LOT-C-3,accepted,component,,,\n")
UNITS_OK = "id,status,lot,serial\nSN-1,released,LOT-F-1,S1\nSN-2,released,LOT-NOPE,S2\n"


def _odd_lots(tmp_path: Path, raw: bytes, duckdb_reads: bool = False) -> Path:
    import duckdb

    from generator.load.columnar import csv_to_parquet

    repo = make_repo(tmp_path / "repo", {"records/production/lots.csv": raw,
                                         "records/production/serial_units.csv": UNITS_OK})
    read = csv_to_parquet(duckdb.connect(), repo / "records/production/lots.csv", "lot", tmp_path / "out")
    assert read == duckdb_reads
    return repo


@pytest.mark.parametrize("how", ["blank lines", "bom"])
def test_a_csv_file_duckdb_cannot_read_is_read_by_the_record_loader_with_every_finding_in_place(tmp_path, how):
    # Blank lines: DuckDB skips them where the csv module counts them, so the record loader reads the file.
    # A UTF-8 BOM (Excel's "CSV UTF-8"): DuckDB skips it as the record loader does, and reads the file itself.
    text = LOTS_ODD
    if how == "blank lines":
        lines = text.splitlines(keepends=True)
        text = "".join([*lines[:2], "\n", *lines[2:4], "\n\n", *lines[4:]])
    repo = _odd_lots(tmp_path, b"\xef\xbb\xbf" + text.encode() if how == "bom" else text.encode(),
                     duckdb_reads=how == "bom")
    got, expected = _engine_and_record_path(repo)
    assert got == expected
    # By hand, on the lines the file holds.
    line = {"blank lines": {3: 4, 4: 5, 5: 8, 6: 9}}.get(how, {n: n for n in range(2, 7)})
    at = "records/production/lots.csv"
    assert sorted(got) == sorted([
        ("QMS113", f"{at}:{line[3]}", "'released' is not a real date: '2026-02-30'"),
        ("QMS122", f"{at}:{line[4]}", "'consumes.lot' links to LOT-ZZ, which does not exist"),
        ("QMS120", f"{at}:{line[5]}", f"ID LOT-C-1 is already used by {at}:2"),
        ("QMS112", f"{at}:{line[6]}", "required field 'material' is missing"),
        ("QMS122", "records/production/serial_units.csv:3", "'lot' links to LOT-NOPE, which does not exist")])
    # The narrow tables hold the records that validated, the first LOT-C-1 standing: the record path's answer.
    assert _duckdb(repo, SELECTORS[4:8]) == _record_path(repo, SELECTORS[4:8])


def test_a_bom_and_a_blank_line_send_a_csv_file_to_the_record_loader(tmp_path):
    text = LOTS_ODD.replace("LOT-C-3,", "\nLOT-C-3,")
    repo = _odd_lots(tmp_path, b"\xef\xbb\xbf" + text.encode())
    got, expected = _engine_and_record_path(repo)
    assert got == expected and ("QMS112", "records/production/lots.csv:7", "required field 'material' is missing") in got
    assert len(got) == 5


@pytest.mark.parametrize("raw, refusal", [
    (LOTS_ODD.encode("utf-16"), ("QMS100", "bytes that are not UTF-8 at line 1 (byte 0xff)")),
    (LOTS_ODD.replace("\n", "\r").encode(), ("QMS104", "CSV cannot be read: new-line character seen in unquoted "
                                                     "field - do you need to open the file in universal-newline mode?"))])
def test_a_csv_file_the_record_loader_refuses_is_refused_as_qms_validate_refuses_it(tmp_path, raw, refusal):
    repo = _odd_lots(tmp_path, raw)  # UTF-16, bare-CR line ends: no record, and its lots are missing
    got, expected = _engine_and_record_path(repo)
    assert got == expected == [
        (refusal[0], "records/production/lots.csv:1", refusal[1]),
        ("QMS122", "records/production/serial_units.csv:2", "'lot' links to LOT-F-1, which does not exist"),
        ("QMS122", "records/production/serial_units.csv:3", "'lot' links to LOT-NOPE, which does not exist")]


LOTS_CSV = ("id,status,lot_type,material,consumes\n"
            "LOT-C-1,accepted,component,MAT-002,\n"
            "LOT-M,accepted,subassembly,MAT-003,LOT-B=1\n"
            "LOT-F-1,released,finished,MAT-001,LOT-C-1=1\n")
# LOT-C-1 again, as a YAML record linking to a lot that does not exist; and LOT-B, which LOT-M (in the CSV
# file) consumes and which consumes LOT-M.
LOT_YAML = ("id: LOT-C-1\nstatus: accepted\nlot_type: subassembly\nmaterial: MAT-009\nconsumes:\n"
            "  - lot: LOT-QQ\n    quantity: 1\n")
LOT_B_YAML = ("id: LOT-B\nstatus: accepted\nlot_type: subassembly\nmaterial: MAT-003\nconsumes:\n"
              "  - {lot: LOT-M, quantity: 2}\n")


@pytest.mark.parametrize("yaml_first", [True, False])
def test_an_id_in_a_yaml_record_and_a_csv_row_is_reported_where_qms_validate_reports_it(tmp_path, yaml_first):
    # records/production/LOT-C-1.yaml loads before lots.csv (capitals sort first); records/production/z/ after.
    folder = "records/production" if yaml_first else "records/production/z"
    repo = make_repo(tmp_path, {"records/production/lots.csv": LOTS_CSV, f"{folder}/LOT-C-1.yaml": LOT_YAML,
                                f"{folder}/LOT-B.yaml": LOT_B_YAML})
    got, expected = _engine_and_record_path(repo)
    assert got == expected
    yaml, csv = f"{folder}/LOT-C-1.yaml:1", "records/production/lots.csv:2"
    second, first = (csv, yaml) if yaml_first else (yaml, csv)
    # The YAML record's link is checked where it stands (as the RecordSet checks the links of the record that
    # stands for its ID only), at its own line; the cycle at its smallest lot's link, in LOT-B.yaml.
    dangling = [("QMS122", f"{folder}/LOT-C-1.yaml:6", "'consumes.lot' links to LOT-QQ, which does not exist")]
    assert sorted(got) == sorted([
        ("QMS120", second, f"ID LOT-C-1 is already used by {first}"), *(dangling if yaml_first else []),
        ("QMS128", f"{folder}/LOT-B.yaml:6", "'consumes.lot' links form a cycle: LOT-B → LOT-M → LOT-B")])
    # The record that stands is the one `qms validate` keeps: its lot type and what it consumed.
    picked = [{"lot": "LOT-C-1"}, {"lot": "LOT-F-1"}]
    assert _duckdb(repo, picked) == _record_path(repo, picked)


def _lots_workbook(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Lots"
    sheet.append(["status", "id", "lot_type", "material", "consumes"])  # the ID in column B
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


@pytest.mark.parametrize("book", ["records/production/a.xlsx", "records/production/z.xlsx"])
def test_an_id_in_a_workbook_row_and_a_csv_row_is_reported_at_the_cell_qms_validate_names(tmp_path, book):
    repo = make_repo(tmp_path, {"records/production/lots.csv": LOTS_CSV})
    _lots_workbook(repo / book, [["accepted", "LOT-W-1", "component", "MAT-002", None],
                                 ["accepted", "LOT-C-1", "subassembly", "MAT-002", "LOT-W-1=1; LOT-QQ=2"],
                                 ["accepted", "LOT-B", "subassembly", "MAT-003", "LOT-M=1"],
                                 ["accepted", "LOT-W-2", "component", None, None]])
    got, expected = _engine_and_record_path(repo)
    assert got == expected
    cell, csv = f"{book}[Lots]!B3", "records/production/lots.csv:2"
    second, first = (csv, cell) if book.endswith("a.xlsx") else (cell, csv)
    dangling = [("QMS122", f"{book}[Lots]!E3", "'consumes.lot' links to LOT-QQ, which does not exist")]
    assert sorted(got) == sorted([
        ("QMS112", f"{book}[Lots]!B5", "required field 'material' is missing"),
        ("QMS120", second, f"ID LOT-C-1 is already used by {first}"), *(dangling if book.endswith("a.xlsx") else []),
        ("QMS128", f"{book}[Lots]!E4", "'consumes.lot' links form a cycle: LOT-B → LOT-M → LOT-B")])
    picked = [{"lot": "LOT-C-1"}, {"lot": "LOT-W-1"}, {"lot": "LOT-F-1"}]
    assert _duckdb(repo, picked) == _record_path(repo, picked)


def test_a_fifo_and_links_leading_outside_are_named_as_qms_validate_names_them_never_opened(tmp_path):
    repo = make_repo(tmp_path / "repo", {"records/production/serial_units.csv": UNITS_OK})
    os.mkfifo(repo / "records/production/lots.csv")  # hashing or reading it would wait for a writer for ever
    (tmp_path / "LOT-F-1.yaml").write_text("id: LOT-F-1\nstatus: released\nlot_type: finished\nmaterial: MAT-001\n")
    (tmp_path / "receipts.csv").write_text("id,status,supplier,material,lot\nRCV-1,accepted,SUP-1,MAT-1,LOT-F-1\n")
    (repo / "records/production/LOT-F-1.yaml").symlink_to(tmp_path / "LOT-F-1.yaml")
    (repo / "records/supply").mkdir()
    (repo / "records/supply/receipts.csv").symlink_to(tmp_path / "receipts.csv")
    proc = run_qms("--repo", str(repo), "recall", "--serial", "S1", "--engine", "duckdb")
    assert proc.returncode == 0, proc.stderr
    assert ("qms: error: records/production/lots.csv: cannot read file: it is a named pipe (FIFO), not a regular "
            "file (QMS100)\n") in proc.stderr
    got, expected = _engine_and_record_path(repo)
    assert got == expected == [
        ("QMS100", "records/production/LOT-F-1.yaml", "cannot read file: link leads outside the repository"),
        ("QMS100", "records/production/lots.csv", "cannot read file: it is a named pipe (FIFO), not a regular file"),
        ("QMS122", "records/production/serial_units.csv:2", "'lot' links to LOT-F-1, which does not exist"),
        ("QMS122", "records/production/serial_units.csv:3", "'lot' links to LOT-NOPE, which does not exist"),
        ("QMS100", "records/supply/receipts.csv", "cannot read file: link leads outside the repository")]


def test_a_workbooks_other_sheets_are_not_read_and_a_broken_workbook_is_named(tmp_path):
    from openpyxl import Workbook

    repo = make_repo(tmp_path, {"records/production/serial_units.csv": UNITS_OK,
                                "records/quality/broken.xlsx": b"PK\x03\x04 not a workbook"})
    book = Workbook()
    book.active.title = "Lots"
    book.active.append(["id", "status", "lot_type", "material"])
    book.active.append(["LOT-F-1", "released", "finished", "MAT-001"])
    other = book.create_sheet("Complaints")  # a bad row of another kind: qms validate's, not recall's
    other.append(["id", "status", "received"])
    other.append(["CMP-1", "open", "not a date"])
    book.save(repo / "records/production/book.xlsx")
    got, expected = _engine_and_record_path(repo)
    assert [f for f in expected if "[Complaints]" in f[1]]  # it is there, and not read here
    assert got == [f for f in expected if "[Complaints]" not in f[1]] == [
        ("QMS122", "records/production/serial_units.csv:3", "'lot' links to LOT-NOPE, which does not exist"),
        ("QMS104", "records/quality/broken.xlsx", "not a valid .xlsx workbook (corrupt or not a zip archive)")]


def test_a_yaml_lot_named_by_no_id_is_in_the_genealogy_as_qms_validate_loads_it(tmp_path):
    repo = make_repo(tmp_path, {
        "records/production/serial_units.csv": UNITS_OK,
        "records/production/finished lot.yaml": "id: LOT-F-1\nstatus: released\nlot_type: finished\n"
                                                "material: MAT-001\nreleased: 2026-13-01\n",
        "records/notes.yaml": "id: DOC-001\ntitle: [unclosed\n"})  # not the genealogy's: qms validate's alone
    got, expected = _engine_and_record_path(repo)
    assert got == [f for f in expected if not f[1].startswith("records/notes.yaml")] == [
        ("QMS113", "records/production/finished lot.yaml:5", "'released' is not a real date: '2026-13-01'"),
        ("QMS122", "records/production/serial_units.csv:3", "'lot' links to LOT-NOPE, which does not exist")]
    assert [f for f in expected if f[1].startswith("records/notes.yaml")]


# Cells the SQL checks cannot vouch for, one kind of mistake a row, in files DuckDB reads itself: the record
# loader reads those rows again, and its findings and verdict stand for them.
LOTS_VALUES = ("id,status,lot_type,material,colour,consumes,dhr_complete,quantity,units_started,released\n"
               "LOT-C-1,accepted,widget,MAT-002,red,,,,,\n"  # an allowed value that is not one: unvalidated
               "LOT-C-2,accepted,component,MAT-002,,,maybe,,,\n"  # not a boolean
               "LOT-C-3,accepted,component,MAT-002,,,,-5,,\n"  # below the field's bounds
               "LOT-C-4,accepted,component,MAT-002,,,,,many,\n"  # not a number
               "LOT-C-1,accepted,component,MAT-009,,,,,,\n"  # the first LOT-C-1 made no record: this one stands
               "LOT-C-5,accepted,component,MAT-002,,,,,,1850-01-01\n"  # a real date outside the records' window
               "LOT-S-1,accepted,subassembly,MAT-003,,LOT-C-1=2; LOT-GONE=x,yes,,,\n"  # a lot use without quantity
               "LOT-S-2,accepted,part,,,,perhaps,lots,-1,2026-13-01\n"  # every cell wrong, and no material
               "LOT-F-1,released,finished,MAT-001,,LOT-C-2=1; LOT-S-1=1,true,12.5,10,2026-02-20\n")
UNITS_VALUES = ("id,status,lot,serial,udi\n"
                "SN-1,released,LOT-F-1,S1,\n"
                "SN-2,released,LOT-F-1,S\x072,\n"  # a control character: no record, not even an unvalidated one
                "SN-2,released,LOT-F-1,S2b,\n"
                "SN-3,released,LOT-F-1,\u00a0,\n"  # a no-break space alone is no serial to the record loader
                "SN-4,released,LOT-F-1,S4,\u00a0U4\u00a0\n"  # nor part of a value
                ",,,\u00a0,\n"  # nor data: a row of no-break spaces and no ID is a blank row, no finding
                ",,,\u00a0,x\n")  # but one with data in it has no ID
RECEIPTS_VALUES = ("id,status,supplier,material,lot,quantity,received\n"
                   "RCV-1,accepted,SUP-001,MAT-002,LOT-C-2,0,2026-01-05\n"  # above 0 it must be
                   "RCV-2,accepted,SUP-001,MAT-002,LOT-NOPE,many,2026-01-06\n")  # and its link dangles


def test_rows_with_values_the_sql_checks_cannot_vouch_for_are_the_record_loaders(tmp_path):
    import duckdb

    from generator.load.columnar import csv_to_parquet

    repo = make_repo(tmp_path, {"records/production/lots.csv": LOTS_VALUES,
                                "records/production/serial_units.csv": UNITS_VALUES,
                                "records/supply/receipts.csv": RECEIPTS_VALUES})
    for rel, kind in (("records/production/lots.csv", "lot"), ("records/production/serial_units.csv", "serial_unit"),
                      ("records/supply/receipts.csv", "receipt")):
        assert csv_to_parquet(duckdb.connect(), repo / rel, kind, tmp_path / "out" / rel)  # DuckDB read each one
    got, expected = _engine_and_record_path(repo)
    assert got == expected  # every finding, in order, worded and placed alike; none twice
    # By hand, so the comparison is not between two wrong answers.
    lots, units, receipts = "records/production/lots.csv", "records/production/serial_units.csv", \
        "records/supply/receipts.csv"
    for finding in [
            ("QMS110", f"{lots}:1", "column 'colour' is not a field of lot"),
            ("QMS111", f"{lots}:2", "'lot_type': 'widget' is not one of: component, subassembly, finished"),
            ("QMS111", f"{lots}:3", "'dhr_complete': Input should be a valid boolean, unable to interpret input "
                                    "(got 'maybe')"),
            ("QMS111", f"{lots}:4", "'quantity': Input should be greater than or equal to 0 (got '-5')"),
            ("QMS111", f"{lots}:5", "'units_started': Input should be a valid integer, unable to parse string as an "
                                    "integer (got 'many')"),
            ("QMS113", f"{lots}:7", "'released': 1850-01-01 lies outside the dates a record may hold (1900-01-01 to "
                                    "2199-12-31)"),
            ("QMS112", f"{lots}:9", "required field 'material' is missing"),
            ("QMS103", f"{units}:3", "character U+0007 is not allowed in a record (in 'S\\x072')"),
            ("QMS112", f"{units}:5", "required field 'serial' is missing"),
            ("QMS112", f"{units}:8", "row 8 has data but no id"),
            ("QMS111", f"{receipts}:2", "'quantity': Input should be greater than or equal to 1 (got '0')"),
            ("QMS122", f"{receipts}:3", "'lot' links to LOT-NOPE, which does not exist")]:
        assert finding in got
    assert [loc for code, loc, _ in got if code == "QMS120"] == []  # LOT-C-1 and SN-2 each made one record
    assert not [loc for _, loc, _ in got if loc == f"{units}:7"]  # the row of no-break spaces alone
    assert sum(loc == f"{lots}:9" for _, loc, _ in got) == 6  # the row with every cell wrong: one finding a cell
    assert sum(code == "QMS110" for code, _, _ in got) == 1  # the header's finding once
    assert not [m for c, _, m in got if c == "QMS122" and "LOT-GONE" in m]  # a lot use refused is no link to follow
    # The narrow tables hold what validated: the second LOT-C-1 (MAT-009), the second SN-2, no LOT-C-2.
    selectors = [{"lot": "LOT-C-1"}, {"lot": "LOT-F-1"}, {"serial": "S2b"}, {"serial": "S1"}, {"serial": "S4"}]
    assert _duckdb(repo, selectors) == _record_path(repo, selectors)


@pytest.mark.parametrize("header, row, duckdb_reads", [
    ("id,status,lot_type,material,status", "LOT-C-1,accepted,component,MAT-002,held", False),  # a column twice
    ("id,status,lot_type,material,consumes.lot", "LOT-C-1,accepted,component,MAT-002,LOT-X", True),  # nested part
    ("id,status,lot_type,material,colour", "LOT-C-1,accepted,component,MAT-002,red", True),  # no row suspect
    ("id,status,lot_type,material\x01", "LOT-C-1,accepted,component,MAT-002", False),  # a control character
    ("\u00a0id,status,lot_type,material", "\u00a0LOT-C-1\u00a0,accepted,component,MAT-002", True)])  # no-break spaces
def test_a_header_the_record_loader_reads_otherwise_is_read_as_qms_validate_reads_it(tmp_path, header, row,
                                                                                       duckdb_reads):
    text = f"{header}\n{row}\nLOT-F-1,released,finished,MAT-001{',' * (header.count(',') - 3)}\n"
    repo = _odd_lots(tmp_path, text.encode(), duckdb_reads=duckdb_reads)
    got, expected = _engine_and_record_path(repo)
    assert got == expected and got  # each of them draws a finding
    selectors = [{"lot": "LOT-C-1"}, {"lot": "LOT-F-1"}]
    assert _duckdb(repo, selectors) == _record_path(repo, selectors)
