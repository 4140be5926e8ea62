"""Scale benchmark: time `qms validate` on a synthetic repository of N records.

    python benchmarks/bench_validate.py                 # N = 10,000 in a temporary folder
    python benchmarks/bench_validate.py --n 2000 --keep /tmp/qms-2k

Builds the corpus with make_corpus.py, then runs

    python -m generator --repo DIR validate --as-of 2026-11-25 --format json

as a subprocess, several times each, in four states, and reports best and median wall time, median CPU
time and peak memory against the targets of issue 22 (10,000 records: cold <= 1.2 s, unchanged <= 0.3 s,
one file edited <= 0.35 s; 100,000 records: cold <= 8 s, unchanged <= 1 s, edited <= 1 s, peak <= 600 MB):

- cold: DIR/.qms-cache deleted before each run (no load cache, no stored result);
- warm: the load cache present, the stored validate result and rule results deleted (every file's load
  result is reused, every rule runs);
- unchanged: nothing changed since the last run (the stored result is replayed);
- edited: one record's field changed before each run (the title of the first verification test, as a QA
  engineer edits it): the rules that read its kind or every kind run again (rules.json), the per-record
  rules on that record alone;
- comment: one record file's comment line changed before each run: its bytes differ, its record does not.

Every run must exit 0 with zero findings and the expected record count. The operating system's file
cache is warm in every run, as it is for a developer who just ran git.

Also reports the start-up cost of the CLI alone (`python -m generator
--version`) and the import time of `generator.cli` from `python -X importtime`.
Not a test: pytest collects tests/ only, and this file is named bench_*.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from child import run_child  # noqa: E402
from make_corpus import make_corpus, print_summary  # noqa: E402

AS_OF = "2026-11-25"
TARGETS = {"cold": 1.2, "warm": 1.0, "unchanged": 0.3, "edited": 0.35, "comment": 0.35}  # s, 10,000 records
TARGETS_100K = {"cold": 8.0, "warm": 8.0, "unchanged": 1.0, "edited": 1.0, "comment": 1.0}  # "warm": the cold one
PEAK_MB_100K = 600
CACHE_DIR = ".qms-cache"
STORED_RESULT = "validate.json"
STORED_RULES = "rules.json"


def validate_cmd(repo: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "--repo", str(repo), "validate", "--as-of", AS_OF, "--format", "json"]


class Run(NamedTuple):
    wall: float
    cpu: float  # user + system, of the process and the children it waited for (load children, git)
    peak_mb: float  # the largest of those processes' peak resident memory (child.py)


def run_once(repo: Path, expect_records: int | None) -> tuple[Run, dict]:
    child = run_child(validate_cmd(repo))  # exits the benchmark when validate does not exit 0
    out = json.loads(str(child["stdout"]))
    summary = out["summary"]
    if out["findings"] or summary["errors"] or summary["warnings"]:
        shown = "\n".join(f"  {f['location']}: {f['code']} {f['message']}" for f in out["findings"][:10])
        raise SystemExit(f"expected no findings, got {len(out['findings'])}:\n{shown}")
    if expect_records is not None and summary["records"] != expect_records:
        raise SystemExit(f"expected {expect_records} records, validate loaded {summary['records']}")
    return Run(float(child["wall_s"]), float(child["cpu_s"]), float(child["peak_mb"])), summary


def _edit(repo: Path, field: bool) -> None:
    """Change one record: its title (`field`), or its file's trailing comment line and nothing else; never back
    to an earlier content, which the stored result would rightly replay. The record is a verification test:
    no link carries its fingerprint, so a new title leaves the corpus without findings."""
    path = min((repo / "records" / "verification").glob("VER-*.yaml"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    mark = "# edited by bench_validate"
    kept = [line for line in lines if not line.startswith(mark)]
    if field:
        kept = [f"title: Edited by bench_validate {time.time_ns()}\n" if line.startswith("title:") else line
                for line in kept]
        path.write_text("".join(kept), encoding="utf-8")
    else:
        path.write_text("".join(kept) + f"{mark} {time.time_ns()}\n", encoding="utf-8")


def time_runs(repo: Path, count: int, state: str, expect: int | None) -> tuple[list[Run], dict]:
    times: list[Run] = []
    summary: dict = {}
    for _ in range(count):
        if state == "cold":
            shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
        else:
            if not (repo / CACHE_DIR).exists():
                run_once(repo, expect)  # prime the load cache
            if state == "unchanged" and not (repo / CACHE_DIR / STORED_RESULT).exists():
                time.sleep(1.1)  # a result is stored only when no file changed within the last second
                run_once(repo, expect)
            elif state == "warm":
                (repo / CACHE_DIR / STORED_RESULT).unlink(missing_ok=True)
                (repo / CACHE_DIR / STORED_RULES).unlink(missing_ok=True)
            elif state in ("edited", "comment"):
                _edit(repo, field=state == "edited")
        elapsed, summary = run_once(repo, expect)
        times.append(elapsed)
    return times, summary


def startup_times(reps: int) -> tuple[float, float, float]:
    """(best `python -c pass`, best `python -m generator --version`, importtime of generator.cli in s)."""
    def best(cmd: list[str]) -> float:
        out = []
        for _ in range(reps):
            t = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            out.append(time.perf_counter() - t)
        return min(out)

    bare = best([sys.executable, "-c", "pass"])
    version = best([sys.executable, "-m", "generator", "--version"])
    imports = []
    for _ in range(reps):
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", "import generator.cli"],
                              capture_output=True, text=True, check=True)
        # "import time: self [us] | cumulative | imported package"; the top-level line for generator.cli
        for line in proc.stderr.splitlines():
            m = re.match(r"import time:\s*\d+\s*\|\s*(\d+)\s*\|\s?(\S.*)$", line)
            if m and m.group(2).strip() == "generator.cli":
                imports.append(int(m.group(1)) / 1e6)
    return bare, version, min(imports) if imports else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time `qms validate` cold and warm on a synthetic repository.")
    parser.add_argument("--n", type=int, default=10_000, help="records in the corpus (default 10000)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="build the corpus in DIR and keep it (an existing corpus there is reused)")
    parser.add_argument("--cold", type=int, default=3, help="cold runs (default 3)")
    parser.add_argument("--warm", type=int, default=5, help="runs in each warm state (default 5)")
    parser.add_argument("--seed", type=int, default=2026, help="corpus seed (default 2026)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    tmp: tempfile.TemporaryDirectory[str] | None = None
    if args.keep is not None:
        repo = args.keep.resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="qms-bench-")
        repo = Path(tmp.name) / "repo"
    try:
        expect: int | None
        if (repo / "qms.yaml").exists():
            print(f"reusing the corpus in {repo}")
            expect = None
        else:
            summary = make_corpus(args.n, repo, args.seed)
            print_summary(repo, summary)
            expect = summary["records"]
        print(f"\ncommand: {' '.join(validate_cmd(repo))}")
        runs: dict[str, list[Run]] = {}
        for state in TARGETS:
            runs[state], info = time_runs(repo, args.cold if state == "cold" else args.warm, state, expect)
        cache = repo / CACHE_DIR / "load.cache"
        cache_mb = cache.stat().st_size / 1e6 if cache.exists() else 0.0
        bare, version, imports = startup_times(5)
    finally:
        if tmp is not None:
            tmp.cleanup()

    targets = TARGETS_100K if args.n >= 100_000 else TARGETS
    walls = {state: [r.wall for r in done] for state, done in runs.items()}
    ok = {state: statistics.median(times) <= targets[state] for state, times in walls.items()}
    print()
    print(f"N = {args.n:,}: {info['files']:,} files, {info['records']:,} records; load average {os.getloadavg()[0]:.1f}")
    print(f"{'state':<10} {'best':>7} {'median':>7} {'target':>8}  result  {'CPU':>6} {'peak MB':>8}   runs (s)")
    for state, times in walls.items():
        cpu = statistics.median(r.cpu for r in runs[state])
        peak = max(r.peak_mb for r in runs[state])
        print(f"{state:<10} {min(times):>6.2f}s {statistics.median(times):>6.2f}s {targets[state]:>7.2f}s "
              f" {'PASS' if ok[state] else 'MISS'}  {cpu:>5.2f}s {peak:>8.0f}   {', '.join(f'{t:.2f}' for t in times)}")
    if args.n >= 100_000:
        peak = max(r.peak_mb for done in runs.values() for r in done)
        ok["peak"] = peak <= PEAK_MB_100K
        print(f"peak memory {peak:.0f} MB, target {PEAK_MB_100K} MB: {'PASS' if ok['peak'] else 'MISS'}")
    print("CPU: median user + system seconds, load children and git included; peak MB: the largest resident "
          "set of any one process of a run (the parent or a load child), over the runs")
    print(f"start-up: python -c pass {bare:.3f} s; python -m generator --version {version:.3f} s; "
          f"import generator.cli {imports:.3f} s (-X importtime, cumulative)")
    print(f"load cache: {cache_mb:.1f} MB")
    return 1 if args.strict and not all(ok.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
