"""Side by side with doorstop and strictdoc: the same requirements checked by each and by `qms validate`.

    python benchmarks/bench_peers.py 1000
    python benchmarks/bench_peers.py 3000 --runs 3 --keep /tmp/peers-3k

Writes a synthetic doorstop tree of N items (20 % user needs UN, 50 % requirements REQ, 30 % tests
TST; every requirement and test links to 1-3 items of the parent document, about 1.4 links per item
over the whole tree; every link stamped and every item reviewed as doorstop itself would, so neither
tool has anything to fix), in a git working copy as doorstop requires. It then imports the tree with

    qms --repo Q import doorstop TREE --map UN=user_need --map TST=verification

The same items (UIDs, text, parent links) are also written as a strictdoc tree: one SDoc file per
doorstop document (UN, REQ, TST), each item a [REQUIREMENT] with its Parent relations. strictdoc has no
check-only command; its lightest full run, `strictdoc export --formats json`, parses every file,
resolves every relation (it refuses a dangling one) and writes one JSON file per document.

It times, in one run, doorstop's default command (which loads and validates the tree), strictdoc's
JSON export and `qms validate` on the imported repository: cold (first doorstop run; strictdoc
without its output folder, which holds its parse cache; qms without its .qms-cache/) and warm (again,
caches kept), best of --runs each, with each command's peak resident memory (getrusage of the child).
Prints the figures and the ratios doorstop / qms and strictdoc / qms. The operating system's file
cache is warm in every run.

doorstop is needed for this benchmark only (`pip install qms-generator[bench]`), never at run time;
strictdoc comes with the `strictdoc` extra (the SDoc import is checked against it).
Stamps are computed with generator.interchange.doorstop.stamp, which reproduces doorstop's own.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.interchange.doorstop import DItem, Document, stamp  # noqa: E402

AS_OF = "2026-11-25"
SHARES = (("UN", None, 0.20), ("REQ", "UN", 0.50), ("TST", "REQ", 0.30))
LINKS_PER_CHILD = ((1, 0.35), (2, 0.55), (3, 0.10))  # mean 1.75 over 80 % of items = 1.4 per item
WORDS = ("pump", "rate", "alarm", "battery", "occlusion", "display", "dose", "sensor", "door", "log",
         "user", "shall", "detect", "limit", "within", "seconds", "volume", "pressure", "set", "record")

MEASURE = ("import resource, subprocess, sys, time\n"
           "limit = float(sys.argv[2]) or None\n"
           "t = time.perf_counter()\n"
           "try:\n"
           "    p = subprocess.run(sys.argv[3:], cwd=sys.argv[1], capture_output=True, text=True, timeout=limit)\n"
           "except subprocess.TimeoutExpired:\n"
           "    print('inf', 0, -9)\n"
           "    raise SystemExit(0)\n"
           "dt = time.perf_counter() - t\n"
           "print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n"
           "sys.stderr.write(p.stdout[-3000:] + p.stderr[-3000:])\n")


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data):  # type: ignore[no-untyped-def]
        return True


def _literal(dumper, value):  # type: ignore[no-untyped-def]
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _literal)


Item = tuple[str, str, list[str]]  # UID, text, parent UIDs


def make_tree(n: int, tree: Path, seed: int = 7) -> tuple[dict[str, int], dict[str, list[Item]]]:
    """A doorstop tree of `n` items under `tree`; returns the counts and the items by document prefix."""
    rng = random.Random(seed)
    written: dict[str, list[Item]] = {prefix: [] for prefix, _, _ in SHARES}
    counts: dict[str, int] = {}
    docs: dict[str, Document] = {}
    uids: dict[str, list[str]] = {}
    for prefix, parent, share in SHARES:
        counts[prefix] = max(1, round(n * share))
        folder = tree if parent is None else tree / prefix.lower()
        folder.mkdir(parents=True, exist_ok=True)
        settings = {"digits": 4, "prefix": prefix, "sep": ""}
        if parent:
            settings["parent"] = parent
        (folder / ".doorstop.yml").write_text(yaml.safe_dump({"settings": settings}, sort_keys=True))
        docs[prefix] = Document(prefix, parent, "", 4, "yaml", folder)
        uids[prefix] = [f"{prefix}{i:04d}" for i in range(1, counts[prefix] + 1)]
    items: dict[str, tuple[DItem, Document]] = {}
    links = 0
    for prefix, parent, _ in SHARES:
        doc = docs[prefix]
        parents = uids[parent] if parent else []
        for i, uid in enumerate(uids[prefix]):
            text = f"{uid}: the {' '.join(rng.choice(WORDS) for _ in range(12))}.\n\nRationale: " \
                   f"{' '.join(rng.choice(WORDS) for _ in range(10))}."
            chosen: set[str] = set()
            data: dict = {"active": True, "derived": False, "header": "", "level": f"{i // 50 + 1}.{i % 50 + 1}",
                          "links": [], "normative": True, "ref": "", "text": text}
            if parents:
                k = rng.choices([c for c, _ in LINKS_PER_CHILD], [w for _, w in LINKS_PER_CHILD])[0]
                chosen = {parents[i % len(parents)]}  # spread links so most parents have a child
                while len(chosen) < min(k, len(parents)):
                    chosen.add(rng.choice(parents))
                data["links"] = [{t: stamp(*items[t])} for t in sorted(chosen)]
                links += len(chosen)
            item = DItem(uid, "", data, {})
            data["reviewed"] = stamp(item, doc, links=True)
            written[prefix].append((uid, text, sorted(chosen)))
            items[uid] = (item, doc)
            (doc.folder / f"{uid}.yml").write_text(
                yaml.dump(data, Dumper=_Dumper, sort_keys=True, allow_unicode=True, width=100))
    counts["links"] = links
    return counts, written


def write_sdoc(items: dict[str, list[Item]], tree: Path) -> None:
    """The same items as strictdoc documents, one per doorstop document, in strictdoc's default grammar."""
    tree.mkdir(parents=True, exist_ok=True)
    for prefix, entries in items.items():
        out = [f"[DOCUMENT]\nTITLE: {prefix} items\n"]
        for uid, text, parents in entries:
            out.append(f"\n[REQUIREMENT]\nUID: {uid}\nTITLE: {uid}\nSTATEMENT: >>>\n{text}\n<<<\n")
            if parents:
                out.append("RELATIONS:\n" + "".join(f"- TYPE: Parent\n  VALUE: {p}\n" for p in parents))
        (tree / f"{prefix.lower()}.sdoc").write_text("".join(out), encoding="utf-8")


def measure(cmd: list[str], cwd: Path, limit: float = 0) -> tuple[float, float, int, str]:
    """(seconds, peak MiB, exit code, output tail) of one run of `cmd`; seconds is inf past `limit` (0: none)."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(cwd), str(limit), *cmd], capture_output=True, text=True)
    seconds, rss, code = proc.stdout.split()
    return float(seconds), int(rss) / 1024, int(code), proc.stderr


def best(runs: int, cmd: list[str], cwd: Path, before: Any = None) -> tuple[float, float, int, str]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(cmd, cwd))
    return min(results, key=lambda r: r[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="items in the doorstop tree")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (best is reported)")
    ap.add_argument("--keep", type=Path, default=None, help="build in this folder and keep it")
    ap.add_argument("--limit", type=float, default=600,
                    help="seconds one doorstop run may take before it is reported as not finishing (default 600)")
    args = ap.parse_args()
    doorstop = shutil.which("doorstop")
    if doorstop is None:
        raise SystemExit("doorstop is not installed: pip install 'qms-generator[bench]' (or pip install doorstop)")
    base = args.keep or Path(tempfile.mkdtemp(prefix="qms-peers-"))
    if base.exists() and any(base.iterdir()):
        raise SystemExit(f"{base} is not empty")
    strictdoc = shutil.which("strictdoc")
    tree, repo, sdoc, sdoc_out = base / "doorstop", base / "qms", base / "strictdoc", base / "strictdoc-out"
    started = time.perf_counter()
    counts, items = make_tree(args.n, tree / "reqs")
    write_sdoc(items, sdoc)
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    print(f"doorstop tree: {sum(v for k, v in counts.items() if k != 'links'):,} items "
          f"({', '.join(f'{k} {v:,}' for k, v in counts.items() if k != 'links')}), {counts['links']:,} links "
          f"({counts['links'] / args.n:.2f} per item), written in {time.perf_counter() - started:.1f} s")

    repo.mkdir(parents=True)
    (repo / "qms.yaml").write_text("company: {name: Bench Co, code: BC}\ndevice: {name: Bench Pump}\n")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "import", "doorstop",
                           str(tree / "reqs"), "--map", "UN=user_need", "--map", "TST=verification",
                           "--format", "json"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"qms import doorstop exited {proc.returncode}: {proc.stderr[-2000:]}")
    summary = json.loads(proc.stdout)["summary"]
    print(f"qms import doorstop: {summary['records']:,} records, {summary['links']:,} links "
          f"({summary['links_reviewed']:,} reviewed) in {time.perf_counter() - started:.1f} s")

    validate = [sys.executable, "-m", "generator", "--repo", str(repo), "validate", "--as-of", AS_OF,
                "--format", "json"]
    cache = repo / ".qms-cache"
    rows = []
    d_cold = measure([doorstop], tree, args.limit)  # doorstop keeps no cache: its first run is its cold run
    finished = d_cold[0] != float("inf")
    d_warm = best(args.runs, [doorstop], tree) if finished else d_cold
    peers = [("doorstop cold", d_cold), ("doorstop warm", d_warm)]
    if strictdoc is not None:
        export = [strictdoc, "export", "--formats", "json", "--output-dir", str(sdoc_out), str(sdoc)]
        s_cold = best(args.runs, export, base, before=lambda: shutil.rmtree(sdoc_out, ignore_errors=True))
        measure(export, base)  # fill its parse cache
        s_warm = best(args.runs, export, base)
        peers += [("strictdoc cold", s_cold), ("strictdoc warm", s_warm)]
    else:
        print("strictdoc is not installed (pip install 'qms-generator[strictdoc]'): its lines are left out")
    q_cold = best(args.runs, validate, repo, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    measure(validate, repo)  # fill the cache
    q_warm = best(args.runs, validate, repo)
    for name, result in (*peers, ("qms validate cold", q_cold), ("qms validate warm", q_warm)):
        seconds, mib, code, tail = result
        if code == -9:
            print(f"{name}: did not finish within {args.limit:.0f} s")
            continue
        if code != 0:
            print(tail, file=sys.stderr)
            raise SystemExit(f"{name} exited {code}")
        rows.append((name, seconds, mib))
    print(f"\nN = {args.n:,}, best of {args.runs} (cold doorstop: first run)")
    print(f"{'':20} {'seconds':>9} {'peak MiB':>9}")
    for name, seconds, mib in rows:
        print(f"{name:20} {seconds:9.2f} {mib:9.0f}")
    if finished:
        print(f"\nratio doorstop / qms: cold {d_cold[0] / q_cold[0]:.1f}x, warm {d_warm[0] / q_warm[0]:.1f}x; "
              f"peak memory {d_warm[1] / q_warm[1]:.1f}x")
    else:
        print(f"\nratio doorstop / qms: more than {args.limit / q_cold[0]:.0f}x cold and {args.limit / q_warm[0]:.0f}x "
              f"warm (doorstop did not finish within {args.limit:.0f} s)")
    if strictdoc is not None:
        print(f"ratio strictdoc / qms: cold {s_cold[0] / q_cold[0]:.1f}x (goal >= 12x), warm {s_warm[0] / q_warm[0]:.1f}x; "
              f"peak memory cold {s_cold[1] / q_cold[1]:.1f}x")
    if args.keep is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
