"""Scale benchmark for genealogy and recall: 1,000,000 serial units, 100,000 lots, 200,000 shipments.

    python benchmarks/bench_recall.py                   # full size, in a temporary folder
    python benchmarks/bench_recall.py --scale 0.1       # a tenth of it
    python benchmarks/bench_recall.py --keep /tmp/qms-recall
    python benchmarks/bench_recall.py --keep /tmp/qms-recall --reuse   # the corpus kept there, not written again

Writes a synthetic quality repository whose bulk records are CSV files under records/ (named after
their kind, so the loader picks them up as lots.csv, serial_units.csv, shipments.csv, receipts.csv):

* 60 % of the lots are component lots, one receipt each, each with its own supplier lot number;
* 10 % are subassembly lots, each consuming 3 component lots;
* 30 % are finished lots, each consuming 1 subassembly lot and 3 component lots; every component lot
  is consumed by a few lots, so a supplier lot reaches a handful of finished lots (and, through a
  subassembly, some more);
* serial units are spread evenly over the finished lots, shipments carry 5 units each.

Then it runs `qms recall --supplier-lot SL-0000042 --engine duckdb` in a fresh process each time: cold
(no Parquet cache: DuckDB reads the CSV files and writes the cache) and warm (the cache is read), and beside
them bare DuckDB in a fresh process running the same recursive CTE and joins on the same Parquet files, and
prints the ratio. Wall and CPU time (user + system) of each child; peak memory is the child's own ru_maxrss
(os.wait4). Cold and warm answers are compared, and with --records-path (the per-row record path, in-process
timings) or --spark (`--engine spark`, local[*]) those too.

Targets at 1M units: warm <= 0.6 s, cold <= 2.5 s, peak <= 500 MB; at --scale 10: warm <= 2 s, peak <= 2 GB.
Not a test (pytest collects tests/).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from child import run_child  # noqa: E402

UNITS, LOTS, SHIPMENTS = 1_000_000, 100_000, 200_000
TARGETS = {1.0: (0.6, 2.5, 0.5), 10.0: (2.0, None, 2.0)}  # scale -> warm s, cold s, peak GB
SUPPLIERS = [f"SUP-{i:03d}" for i in range(1, 21)]


def write_corpus(root: Path, scale: float, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    n_lots, n_units, n_ship = int(LOTS * scale), int(UNITS * scale), int(SHIPMENTS * scale)
    n_comp, n_sub = int(n_lots * 0.6), int(n_lots * 0.1)
    n_fin = n_lots - n_comp - n_sub
    (root / "records/production").mkdir(parents=True, exist_ok=True)
    (root / "records/supply").mkdir(parents=True, exist_ok=True)
    (root / "qms.yaml").write_text("company: {name: Bench Co, code: BC}\ndevice: {name: Bench Pump}\n")
    comp = [f"LOT-C-{i:06d}" for i in range(n_comp)]
    with open(root / "records/supply/receipts.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "status", "supplier", "material", "supplier_lot", "lot", "quantity", "received"])
        for i, lot in enumerate(comp):
            w.writerow([f"RCV-{i:06d}", "accepted", SUPPLIERS[i % 20], f"MAT-{100 + i % 50}", f"SL-{i:07d}", lot,
                        500, "2026-01-05"])
    with open(root / "records/production/lots.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "status", "lot_type", "material", "supplier", "supplier_lot", "receipt", "consumes",
                    "dhr_complete", "released", "expiry"])
        for i, lot in enumerate(comp):
            w.writerow([lot, "accepted", "component", f"MAT-{100 + i % 50}", SUPPLIERS[i % 20], f"SL-{i:07d}",
                        f"RCV-{i:06d}", "", "", "", ""])
        subs = [f"LOT-S-{i:06d}" for i in range(n_sub)]
        for lot in subs:
            used = rng.sample(comp, 3)
            w.writerow([lot, "accepted", "subassembly", "MAT-050", "", "", "", "; ".join(f"{c}=1" for c in used),
                        "true", "", ""])
        fins = [f"LOT-F-{i:06d}" for i in range(n_fin)]
        for lot in fins:
            used = [rng.choice(subs)] + rng.sample(comp, 3)
            w.writerow([lot, "released", "finished", "MAT-001", "", "", "", "; ".join(f"{c}=1" for c in used),
                        "true", "2026-02-01", "2031-02-01"])
    per_lot = max(1, n_units // n_fin)
    with open(root / "records/production/serial_units.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "status", "lot", "serial", "udi"])
        for i in range(n_units):
            lot = fins[min(i // per_lot, n_fin - 1)]
            w.writerow([f"SN-{i:07d}", "shipped", lot, f"S{i:07d}",
                        f"(01)05391234562002(17)310201(10){lot}(21)S{i:07d}"])
    per_ship = max(1, n_units // n_ship)
    with open(root / "records/production/shipments.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "status", "customer", "country", "shipped", "units"])
        for s in range(n_ship):
            units = "; ".join(f"SN-{u:07d}" for u in range(s * per_ship, min((s + 1) * per_ship, n_units)))
            w.writerow([f"SHP-{s:07d}", "delivered", f"Customer {s % 5000:04d}", ["DE", "FR", "US", "IT", "ES"][s % 5],
                        "2026-03-01", units])
    return {"lots": n_lots, "serial_units": n_units, "shipments": n_ship, "receipts": n_comp}


def measure(repo: Path, supplier_lot: str) -> dict[str, float]:
    """Runs inside a fresh process: load, RecordSet, index, recall; times and peak memory."""
    import gc

    gc.disable()  # as the CLI does
    from generator.analysis.genealogy import index, recall
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet

    t0 = time.perf_counter()
    loaded = load_repository(repo)
    t1 = time.perf_counter()
    records = RecordSet(loaded.records, loaded.config)
    t2 = time.perf_counter()
    index(records)
    t3 = time.perf_counter()
    first = recall(records, supplier_lot=supplier_lot)
    t4 = time.perf_counter()
    again = recall(records, supplier_lot=supplier_lot)
    t5 = time.perf_counter()
    assert again.as_json() == first.as_json()
    errors = [f for f in loaded.findings if f.severity == "error"]
    return {
        "records": len(records), "load_errors": len(errors), "load_s": t1 - t0, "recordset_s": t2 - t1,
        "index_s": t3 - t2, "first_query_s": t4 - t3, "query_s": t5 - t4,
        "affected_lots": len(first.affected_lots), "affected_serials": len(first.affected_serials),
        "customers": len(first.customers), "result": first.as_json(),
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20),  # KiB on Linux
    }


def qms_recall(repo: Path, supplier_lot: str, engine: str = "duckdb") -> dict[str, object]:
    return run_child([sys.executable, "-m", "generator", "--repo", str(repo), "recall", "--supplier-lot",
                      supplier_lot, "--engine", engine, "--format", "json"])


# Bare DuckDB, fresh process, the same Parquet files: the recursive CTE over consumes, then the joins.
BARE = """
import duckdb, json, sys
from pathlib import Path
cache = Path(sys.argv[1]) / ".qms-cache/tables"
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
for name in ("lots", "consumes", "units", "shipment_units", "shipments"):
    files = [str(p) for p in sorted(cache.glob(f"*/{name}.parquet"))]
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({files!r})")
row = con.execute('''
WITH RECURSIVE reached (lot) AS (
  SELECT id FROM lots WHERE supplier_lot = ?
  UNION
  SELECT c.lot FROM consumes c JOIN reached r ON c.component = r.lot
),
affected AS (SELECT l.id FROM lots l JOIN reached r ON l.id = r.lot WHERE l.lot_type = 'finished'),
hit AS (SELECT u.id FROM units u JOIN affected a ON u.lot = a.id)
SELECT (SELECT count(*) FROM affected), (SELECT count(*) FROM hit),
       (SELECT count(DISTINCT s.customer) FROM shipment_units su JOIN hit h ON su.unit = h.id
        JOIN shipments s ON s.id = su.shipment)
''', [sys.argv[2]]).fetchone()
print(json.dumps(row))
"""


def bare_duckdb(repo: Path, supplier_lot: str) -> dict[str, object]:
    return run_child([sys.executable, "-c", BARE, str(repo), supplier_lot])


def run_measure(repo: Path, supplier_lot: str) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, "--measure", str(repo), "--supplier-lot", supplier_lot],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"measuring process failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", type=Path, default=None, help="write the corpus here and keep it")
    ap.add_argument("--reuse", action="store_true", help="with --keep: read the corpus already there (same --scale)")
    ap.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--supplier-lot", default="SL-0000042", help="supplier lot to recall")
    ap.add_argument("--spark", action="store_true", help="also run --engine spark (local[*]) and compare")
    ap.add_argument("--records-path", action="store_true",
                    help="also measure the per-row pydantic record path (minutes and ~8 GB at full size)")
    args = ap.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.supplier_lot)))
        return
    root = (args.keep or Path(tempfile.mkdtemp(prefix="qms-recall-"))).resolve()
    try:
        shutil.rmtree(root / ".qms-cache", ignore_errors=True)
        t = time.perf_counter()
        if args.reuse and args.keep is not None and (root / "qms.yaml").is_file():
            print(f"corpus: as kept in {root}")
        else:
            sizes = write_corpus(root, args.scale)
            print(f"corpus: {sizes} in {root} (written in {time.perf_counter() - t:.1f} s)")
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        cold = qms_recall(root, args.supplier_lot)
        warm = qms_recall(root, args.supplier_lot)
        bare = bare_duckdb(root, args.supplier_lot)
        answer = json.loads(warm["stdout"])
        same = json.loads(cold["stdout"]) == answer
        counts = answer["counts"]
        print(f"recall of {args.supplier_lot}: {counts['affected_lots']} lot(s), {counts['affected_serials']} "
              f"unit(s), {counts['customers']} customer(s); cold and warm answers {'identical' if same else 'DIFFER'}; "
              f"bare DuckDB (lots, units, customers) {json.loads(bare['stdout'])}")
        print(f"{'fresh process':44} {'wall':>8} {'cpu':>8} {'peak':>9}")
        for name, m in (("qms recall --engine duckdb, cold (from CSV)", cold),
                        ("qms recall --engine duckdb, warm (Parquet)", warm),
                        ("bare DuckDB on the same Parquet", bare)):
            print(f"{name:44} {m['wall_s']:7.2f}s {m['cpu_s']:7.2f}s {m['peak_mb']:6.0f} MB")
        print(f"ratio qms warm / bare DuckDB: {warm['wall_s'] / bare['wall_s']:.1f}x wall, "
              f"{warm['cpu_s'] / bare['cpu_s']:.1f}x cpu (goal <= 2x, start-up included)")
        print("load average after: {:.2f} {:.2f} {:.2f} (2 cores: above 2, the wall times include waiting)".format(
            *os.getloadavg()))
        target = TARGETS.get(args.scale)
        if target is not None:
            t_warm, t_cold, t_peak = target
            peak = max(cold["peak_mb"], warm["peak_mb"]) / 1024
            print(f"target warm <= {t_warm} s: {warm['wall_s']:.2f} s {'OK' if warm['wall_s'] <= t_warm else 'MISSED'}")
            if t_cold is not None:
                print(f"target cold <= {t_cold} s: {cold['wall_s']:.2f} s "
                      f"{'OK' if cold['wall_s'] <= t_cold else 'MISSED'}")
            print(f"target peak <= {t_peak} GB: {peak:.2f} GB {'OK' if peak <= t_peak else 'MISSED'}")
        if args.spark:
            spark = qms_recall(root, args.supplier_lot, engine="spark")
            print(f"qms recall --engine spark (local[*]): {spark['wall_s']:.1f} s wall, answer "
                  f"{'identical' if json.loads(spark['stdout']) == answer else 'DIFFERS'}")
        if args.records_path:
            m = run_measure(root, args.supplier_lot)
            print(f"record path: load {m['load_s']:.1f} s, RecordSet {m['recordset_s']:.1f} s, index "
                  f"{m['index_s']:.2f} s, peak {m['peak_rss_gb']:.2f} GB; answer "
                  f"{'identical' if m['result'] == answer else 'DIFFERS'}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
