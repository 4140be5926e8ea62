"""Scale benchmark for genealogy and recall: 1,000,000 serial units, 100,000 lots, 200,000 shipments.

    python benchmarks/bench_recall.py                   # full size, in a temporary folder
    python benchmarks/bench_recall.py --scale 0.1       # a tenth of it
    python benchmarks/bench_recall.py --keep /tmp/qms-recall

Writes a synthetic quality repository whose bulk records are CSV files under records/ (named after
their kind, so the loader picks them up as lots.csv, serial_units.csv, shipments.csv, receipts.csv):

* 60 % of the lots are component lots, one receipt each, each with its own supplier lot number;
* 10 % are subassembly lots, each consuming 3 component lots;
* 30 % are finished lots, each consuming 1 subassembly lot and 3 component lots; every component lot
  is consumed by a few lots, so a supplier lot reaches a handful of finished lots (and, through a
  subassembly, some more);
* serial units are spread evenly over the finished lots, shipments carry 5 units each.

Then, in a fresh process each (so peak memory is the query's own), it loads the repository cold (no
load cache) and warm (load cache present), builds the RecordSet and the genealogy index, and times a
recall of one supplier lot (first query, which builds the index, and a warm repeat). Peak memory is
resource.getrusage(RUSAGE_SELF).ru_maxrss of the measuring process.

Targets: recall of one supplier lot < 1 s warm; peak memory < 2 GB. Not a test (pytest collects tests/).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

UNITS, LOTS, SHIPMENTS = 1_000_000, 100_000, 200_000
TARGET_QUERY_S = 1.0
TARGET_RSS_GB = 2.0
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


def measure_fast(repo: Path, supplier_lot: str) -> dict[str, float]:
    """The columnar fast path (`qms recall --fast`): no model per bulk row."""
    import gc

    gc.disable()
    from generator.analysis.genealogy import KINDS_READ, index_from_scan, recall_in
    from generator.load.columnar import scan

    t0 = time.perf_counter()
    scanned = scan(repo, KINDS_READ)
    t1 = time.perf_counter()
    idx = index_from_scan(scanned)
    del scanned
    t2 = time.perf_counter()
    first = recall_in(idx, supplier_lot=supplier_lot)
    t3 = time.perf_counter()
    recall_in(idx, supplier_lot=supplier_lot)
    t4 = time.perf_counter()
    return {
        "records": len(idx.lots) + len(idx.units) + len(idx.shipments) + len(idx.receipts), "load_errors": 0,
        "load_s": t1 - t0, "recordset_s": 0.0, "index_s": t2 - t1, "first_query_s": t3 - t2, "query_s": t4 - t3,
        "affected_lots": len(first.affected_lots), "affected_serials": len(first.affected_serials),
        "customers": len(first.customers), "result": first.as_json(),
        "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20),
    }


def run_measure(repo: Path, supplier_lot: str, fast: bool = False) -> dict[str, float]:
    flag = ["--fast"] if fast else []
    proc = subprocess.run([sys.executable, __file__, "--measure", str(repo), "--supplier-lot", supplier_lot, *flag],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"measuring process failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--keep", type=Path, default=None, help="write the corpus here and keep it")
    ap.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--supplier-lot", default="SL-0000042", help="supplier lot to recall")
    ap.add_argument("--fast", action="store_true", help="with --measure: the columnar fast path")
    ap.add_argument("--records-path", action="store_true",
                    help="also measure the per-row pydantic record path (minutes and ~8 GB at full size)")
    args = ap.parse_args()
    if args.measure is not None:
        fn = measure_fast if args.fast else measure
        print(json.dumps(fn(args.measure, args.supplier_lot)))
        return
    root = args.keep or Path(tempfile.mkdtemp(prefix="qms-recall-"))
    try:
        shutil.rmtree(root / ".qms-cache", ignore_errors=True)
        t = time.perf_counter()
        sizes = write_corpus(root, args.scale)
        print(f"corpus: {sizes} in {root} (written in {time.perf_counter() - t:.1f} s)")
        runs = [("fast (columnar)", run_measure(root, args.supplier_lot, fast=True))]
        if args.records_path:
            runs.append(("records, cold", run_measure(root, args.supplier_lot)))
            runs.append(("records, warm", run_measure(root, args.supplier_lot)))
        for name, m in runs:
            print(f"{name}: load {m['load_s']:.1f} s, RecordSet {m['recordset_s']:.1f} s, index {m['index_s']:.2f} s, "
                  f"first recall {m['first_query_s'] * 1000:.1f} ms, repeat recall {m['query_s'] * 1000:.2f} ms, "
                  f"peak RSS {m['peak_rss_gb']:.2f} GB ({m['records']:,} records, {m['load_errors']} load errors)")
        fast = runs[0][1]
        for name, m in runs[1:]:
            same = m["result"] == fast["result"]
            print(f"{name}: recall result {'identical to' if same else 'DIFFERS from'} the fast path")
        print(f"recall of {args.supplier_lot}: {fast['affected_lots']} lot(s), {fast['affected_serials']} unit(s), "
              f"{fast['customers']} customer(s)")
        query = fast["first_query_s"]
        print(f"target recall < {TARGET_QUERY_S} s warm (index built): {query:.3f} s "
              f"{'OK' if query < TARGET_QUERY_S else 'MISSED'}")
        for name, m in runs:
            peak = m["peak_rss_gb"]
            print(f"target peak memory < {TARGET_RSS_GB} GB, {name}: {peak:.2f} GB "
                  f"{'OK' if peak < TARGET_RSS_GB else 'MISSED'}")
            print(f"  end to end, {name} (fresh process): "
                  f"{m['load_s'] + m['recordset_s'] + m['index_s'] + m['first_query_s']:.1f} s")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
