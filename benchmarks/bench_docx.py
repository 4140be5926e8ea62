"""Time a large Word table: render.document.add_table (one-pass lxml) against python-docx's naive API.

    python benchmarks/bench_docx.py [--rows 10000] [--naive-rows 2000]

The fast path builds and saves a ROWS x 6 table. Two naive python-docx paths are timed beside it:
"preallocated" (doc.add_table(rows=N) then cell.text per cell) and "add_row" (table.add_row() per row,
then cell.text, as the first Word renderers did). They are timed for NAIVE_ROWS rows (default: ROWS);
when that is fewer than ROWS the time is extrapolated to ROWS, quadratically and linearly, and the
output says so. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.render.document import add_table  # noqa: E402
from generator.render.docx import docx_bytes, new_document  # noqa: E402

HEADER = ("ID", "Title", "Type", "Parent", "Status", "Verified by")


def rows(n: int) -> list[tuple[str, ...]]:
    return [(f"REQ-{i:05d}", f"Requirement {i} & <detail> \"quoted\"", "software", f"UN-{i // 10:04d}",
             "approved", f"TC-{i:05d}") for i in range(n)]


def fast(n: int, out: Path) -> tuple[float, float]:
    data = rows(n)
    start = time.perf_counter()
    doc = new_document("bench")
    add_table(doc, HEADER, data)
    built = time.perf_counter()
    out.write_bytes(docx_bytes(doc))
    return built - start, time.perf_counter() - start


def naive(n: int, out: Path) -> tuple[float, float]:
    data = rows(n)
    start = time.perf_counter()
    doc = new_document("bench")
    table = doc.add_table(rows=1 + n, cols=len(HEADER))
    table.style = "Table Grid"
    for row_cells, values in zip(table.rows, [HEADER, *data]):
        for cell, value in zip(row_cells.cells, values):
            cell.text = value
    built = time.perf_counter()
    out.write_bytes(docx_bytes(doc))
    return built - start, time.perf_counter() - start


def naive_add_row(n: int, out: Path) -> tuple[float, float]:
    data = rows(n)
    start = time.perf_counter()
    doc = new_document("bench")
    table = doc.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, HEADER):
        cell.text = value
    for values in data:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    built = time.perf_counter()
    out.write_bytes(docx_bytes(doc))
    return built - start, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--naive-rows", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        build, total = fast(args.rows, Path(tmp) / "fast.docx")
        size = (Path(tmp) / "fast.docx").stat().st_size
        print(f"fast  add_table   {args.rows:>6} rows x 6: build {build:6.2f} s, build+save {total:6.2f} s "
              f"({size / 1e6:.1f} MB)")
        nrows = min(args.naive_rows or args.rows, args.rows)
        for name, func in (("preallocated", naive), ("add_row", naive_add_row)):
            build, total = func(nrows, Path(tmp) / "naive.docx")
            print(f"naive {name:<12}{nrows:>6} rows x 6: build {build:6.2f} s, build+save {total:6.2f} s (measured)")
            if nrows < args.rows:
                scale = args.rows / nrows
                print(f"naive {name:<12}{args.rows:>6} rows x 6: build+save ~{total * scale * scale:6.0f} s if "
                      f"quadratic, ~{total * scale:6.1f} s if linear (EXTRAPOLATED from {nrows} rows, not measured)")

if __name__ == "__main__":
    main()
