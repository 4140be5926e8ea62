"""Scale benchmark: time `qms validate` on a synthetic repository of N records.

    python benchmarks/bench_validate.py                 # N = 10,000 in a temporary folder
    python benchmarks/bench_validate.py --n 2000 --keep /tmp/qms-2k

Builds the corpus with make_corpus.py, then runs

    python -m generator --repo DIR validate --as-of 2026-11-25 --format json

as a subprocess: cold (DIR/.qms-cache deleted before each run) and warm (cache
present), several times each, and reports best and median wall time against the
targets (cold < 3 s, warm < 1 s). Every run must exit 0 with zero findings and
the expected record count. "Cold" means no load cache; the operating system's
file cache is warm in every run, as it is for a developer who just ran git.

Also reports the start-up cost of the CLI alone (`python -m generator
--version`) and the import time of `generator.cli` from `python -X importtime`.
Not a test: pytest collects tests/ only, and this file is named bench_*.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus, print_summary  # noqa: E402

AS_OF = "2026-11-25"
TARGET_COLD = 3.0
TARGET_WARM = 1.0
CACHE_DIR = ".qms-cache"


def validate_cmd(repo: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "--repo", str(repo), "validate", "--as-of", AS_OF, "--format", "json"]


def run_once(repo: Path, expect_records: int | None) -> tuple[float, dict]:
    cmd = validate_cmd(repo)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout)[-2000:]
        raise SystemExit(f"qms validate exited {proc.returncode}:\n{tail}")
    out = json.loads(proc.stdout)
    summary = out["summary"]
    if out["findings"] or summary["errors"] or summary["warnings"]:
        shown = "\n".join(f"  {f['location']}: {f['code']} {f['message']}" for f in out["findings"][:10])
        raise SystemExit(f"expected no findings, got {len(out['findings'])}:\n{shown}")
    if expect_records is not None and summary["records"] != expect_records:
        raise SystemExit(f"expected {expect_records} records, validate loaded {summary['records']}")
    return elapsed, summary


def time_runs(repo: Path, count: int, cold: bool, expect: int | None) -> tuple[list[float], dict]:
    times: list[float] = []
    summary: dict = {}
    for _ in range(count):
        if cold:
            shutil.rmtree(repo / CACHE_DIR, ignore_errors=True)
        elif not (repo / CACHE_DIR).exists():
            run_once(repo, expect)  # prime the cache
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
    parser.add_argument("--warm", type=int, default=5, help="warm runs (default 5)")
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
        cold, info = time_runs(repo, args.cold, True, expect)
        warm, info = time_runs(repo, args.warm, False, expect)
        cache = repo / CACHE_DIR / "load.json"
        cache_mb = cache.stat().st_size / 1e6 if cache.exists() else 0.0
        bare, version, imports = startup_times(5)
    finally:
        if tmp is not None:
            tmp.cleanup()

    cold_best, cold_med = min(cold), statistics.median(cold)
    warm_best, warm_med = min(warm), statistics.median(warm)
    cold_ok = cold_med < TARGET_COLD
    warm_ok = warm_med < TARGET_WARM
    print()
    print(f"{'N':>7} {'files':>6} {'records':>8} | {'cold best':>9} {'median':>7} | {'warm best':>9} {'median':>7}"
          f" | targets (median)      | result")
    print(f"{args.n:>7,} {info['files']:>6,} {info['records']:>8,} | {cold_best:>8.2f}s {cold_med:>6.2f}s |"
          f" {warm_best:>8.2f}s {warm_med:>6.2f}s | cold < {TARGET_COLD:.0f} s, warm < {TARGET_WARM:.0f} s |"
          f" cold {'PASS' if cold_ok else 'MISS'}, warm {'PASS' if warm_ok else 'MISS'}")
    print(f"\nruns: cold {', '.join(f'{t:.2f}' for t in cold)} s; warm {', '.join(f'{t:.2f}' for t in warm)} s")
    print(f"start-up: python -c pass {bare:.3f} s; python -m generator --version {version:.3f} s; "
          f"import generator.cli {imports:.3f} s (-X importtime, cumulative)")
    print(f"load cache: {cache_mb:.1f} MB")
    return 1 if args.strict and not (cold_ok and warm_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
