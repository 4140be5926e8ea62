"""History benchmark: the audit trail of a repository with 5,000 records and 20,000 commits.

    python benchmarks/bench_history.py                        # build in a temporary folder
    python benchmarks/bench_history.py --keep /tmp/qms-hist   # build there (or reuse it) and keep it

Builds a git repository with `git fast-import` (one process, not 20,000 `git commit` calls): 4,800
YAML records created over the first 1,000 commits, then 19,000 commits of realistic edits by eight
people in several time zones: one to three field changes each (titles, statuses, owners, links,
CAPA action statuses), moves to another folder with an edit in the same commit, deletions, a
requirement edited about 400 times, and a workbook of 200 lot rows (records/production/lots.xlsx)
whose rows change in about 200 commits. Everything comes from a seeded random generator.

Then times, in this process, `audit_trail` over the whole history and `record_history` of the
requirement with the long history, best of --runs each, against the targets (full trail < 20 s,
one record < 1 s), and checks that the one-record history equals the full trail's entries for it.
Not a test: pytest collects tests/ only, and this file is named bench_*.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from generator.gitio.history import audit_trail, record_history  # noqa: E402
from generator.render.xlsx import pin_zip  # noqa: E402

TARGET_TRAIL = 20.0
TARGET_RECORD = 1.0
RECORDS = 5_000
WORKBOOK_ROWS = 200
COMMITS = 20_000
CREATION_COMMITS = 1_000
HOT = "REQ-0001"
WORKBOOK = "records/production/lots.xlsx"
START = dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.UTC)

PEOPLE = [
    ("Ann Smith", "ann.smith@example.com", "+0100"), ("Bob Jones", "bob.jones@example.com", "-0500"),
    ("Chen Wei", "chen.wei@example.com", "+0800"), ("Dana Novak", "dana.novak@example.com", "+0200"),
    ("Eli Cohen", "eli.cohen@example.com", "+0300"), ("Fatima Ali", "fatima.ali@example.com", "+0000"),
    ("Gus Berg", "gus.berg@example.com", "+0100"), ("Hana Sato", "hana.sato@example.com", "+0900"),
]
USERS = [f"USR-{i:03d}" for i in range(1, 9)]
WORDS = ("flow", "occlusion", "alarm", "battery", "bolus", "rate", "pressure", "display", "keypad", "door",
         "sensor", "label", "housing", "tubing", "valve", "motor", "software", "audio", "clamp", "filter")
# kind: (prefix, folder, alternative folder a record may move to, share of the YAML records)
KINDS = {
    "requirement": ("REQ", "specs/requirements", "specs/requirements/archive", 0.30),
    "verification": ("VER", "records/verification", "records/verification/2025", 0.25),
    "hazard": ("HAZ", "records/risk/hazards", "records/risk/hazards/software", 0.15),
    "nonconformance": ("NC", "records/events/nc", "records/events/nc/closed", 0.15),
    "capa": ("CAPA", "records/events/capa", "records/events/capa/closed", 0.15),
}


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: dict[str, Any]) -> bytes:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100).encode()


def _title(rng: random.Random) -> str:
    return " ".join(rng.sample(WORDS, 3)).capitalize()


def _new_record(kind: str, record_id: str, rng: random.Random, day: dt.date) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record_id, "title": _title(rng), "status": "draft", "owner": rng.choice(USERS),
                            "created": day.isoformat()}
    if kind == "requirement":
        data["derived_from"] = [f"UN-{rng.randint(1, 40):03d}"]
        data["text"] = f"The pump shall keep {rng.choice(WORDS)} within {rng.randint(2, 10)} %."
    elif kind == "verification":
        data["verifies"] = [f"REQ-{rng.randint(1, 1400):04d}" for _ in range(rng.randint(1, 3))]
        data["sample_size"] = rng.choice((3, 5, 10, 30))
    elif kind == "hazard":
        data["category"] = rng.choice(("energy", "biological", "operational", "information"))
    elif kind == "nonconformance":
        data["severity"] = rng.choice(("minor", "major"))
        data["disposition"] = {"decision": "pending"}
    else:
        data["sources"] = [f"NC-2025-{rng.randint(1, 700):03d}"]
        data["actions"] = [{"type": t, "description": f"{t.capitalize()} of {rng.choice(WORDS)}",
                            "owner": rng.choice(USERS), "status": "open"}
                           for t in ("correction", "corrective", "preventive")[: rng.randint(1, 3)]]
    return data


def _edit(kind: str, data: dict[str, Any], rng: random.Random) -> None:
    """One to three realistic field changes."""
    for _ in range(rng.randint(1, 3)):
        what = rng.random()
        if what < 0.25:
            data["title"] = _title(rng)
        elif what < 0.45:
            data["status"] = rng.choice(("draft", "in_review", "approved", "obsolete"))
        elif what < 0.6:
            data["owner"] = rng.choice(USERS)
        elif what < 0.8 and kind in ("requirement", "verification"):
            key = "derived_from" if kind == "requirement" else "verifies"
            links = data.setdefault(key, [])
            if links and rng.random() < 0.4:
                links.pop(rng.randrange(len(links)))
            else:
                links.append(f"UN-{rng.randint(1, 40):03d}" if kind == "requirement" else
                             f"REQ-{rng.randint(1, 1400):04d}")
        elif kind == "capa" and data.get("actions"):
            action = rng.choice(data["actions"])
            action["status"] = rng.choice(("open", "in_progress", "done"))
        else:
            data["description"] = f"Reviewed {rng.choice(WORDS)} and {rng.choice(WORDS)}; rev {rng.randint(1, 99)}"


def _workbook(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Lots")
    ws.append(["id", "lot_type", "status", "material", "quantity", "manufactured"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return pin_zip(buffer.getvalue())


class Importer:
    """Writes a `git fast-import` stream for branch main."""

    def __init__(self, repo: Path):
        self.proc = subprocess.Popen(["git", "-C", str(repo), "fast-import", "--quiet", "--done"],
                                     stdin=subprocess.PIPE)
        self.out = self.proc.stdin
        assert self.out is not None
        self.when = START

    def commit(self, who: int, message: str, ops: list[tuple[str, str, Any]]) -> None:
        name, email, tz = PEOPLE[who]
        self.when += dt.timedelta(minutes=37)
        stamp = f"{name} <{email}> {int(self.when.timestamp())} {tz}"
        msg = message.encode()
        parts = [f"commit refs/heads/main\nauthor {stamp}\ncommitter {stamp}\ndata {len(msg)}\n".encode(), msg, b"\n"]
        for op, path, payload in ops:
            if op == "M":
                parts += [f"M 100644 inline {path}\ndata {len(payload)}\n".encode(), payload, b"\n"]
            elif op == "D":
                parts.append(f"D {path}\n".encode())
            else:  # R: payload is the new path
                parts.append(f"R {path} {payload}\n".encode())
        parts.append(b"\n")
        self.out.write(b"".join(parts))

    def close(self) -> None:
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def build(repo: Path, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    repo.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    imp = Importer(repo)
    imp.commit(0, "Start the quality repository", [("M", "qms.yaml", b"company: {name: Bench Co, code: BC}\n"
                                                    b"device: {name: Bench Pump}\n")])
    yaml_count = RECORDS - WORKBOOK_ROWS
    plan: list[str] = []
    for kind, (_, _, _, share) in KINDS.items():
        plan += [kind] * round(yaml_count * share)
    plan = plan[:yaml_count]
    plan.sort(key=lambda k: (k != "requirement", rng.random()))  # REQ-0001 comes first
    numbers = {kind: 0 for kind in KINDS}
    live: dict[str, tuple[str, str, dict[str, Any]]] = {}  # id -> (kind, path, data)
    per_commit = -(-len(plan) // (CREATION_COMMITS - 2))
    commits = 1
    day = START.date()
    for start in range(0, len(plan), per_commit):
        ops = []
        for kind in plan[start:start + per_commit]:
            prefix, folder, _, _ = KINDS[kind]
            numbers[kind] += 1
            record_id = f"{prefix}-2025-{numbers[kind]:03d}" if kind in ("nonconformance", "capa") else \
                f"{prefix}-{numbers[kind]:04d}"
            data = _new_record(kind, record_id, rng, day)
            path = f"{folder}/{record_id}.yaml"
            live[record_id] = (kind, path, data)
            ops.append(("M", path, _yaml(data)))
        imp.commit(rng.randrange(len(PEOPLE)), f"Add {len(ops)} records", ops)
        commits += 1
        day += dt.timedelta(days=1)
    lots = [[f"LOT-{i:05d}", "finished", "planned", "MAT-001", rng.randint(10, 500),
             (START.date() + dt.timedelta(days=i)).isoformat()] for i in range(1, WORKBOOK_ROWS + 1)]
    imp.commit(5, "Import the lot register", [("M", WORKBOOK, _workbook(lots))])
    commits += 1
    stats = {"renames": 0, "deletions": 0, "workbook": 1, "hot": 1}
    ids = sorted(live)
    while commits < COMMITS:
        who = rng.randrange(len(PEOPLE))
        roll = rng.random()
        if roll < 0.02:
            kind, path, data = live[HOT]
            _edit(kind, data, rng)
            if stats["hot"] % 150 == 0:  # now and then the long-lived record moves folder as it is edited
                _, folder, other, _ = KINDS[kind]
                target = f"{other if path.startswith(folder + '/' + HOT) else folder}/{HOT}.yaml"
                live[HOT] = (kind, target, data)
                imp.commit(who, f"Move {HOT} and update it", [("R", path, target), ("M", target, _yaml(data))])
            else:
                imp.commit(who, f"{HOT}: revise after design review", [("M", path, _yaml(data))])
            stats["hot"] += 1
        elif roll < 0.03:
            for _ in range(rng.randint(1, 3)):
                row = rng.choice(lots)
                row[2] = rng.choice(("in_production", "quarantine", "accepted", "released"))
                row[4] = rng.randint(10, 500)
            imp.commit(who, "Update lot register from MES", [("M", WORKBOOK, _workbook(lots))])
            stats["workbook"] += 1
        elif roll < 0.06:
            record_id = rng.choice(ids)
            if record_id not in live or record_id == HOT:
                continue
            kind, path, data = live[record_id]
            _, folder, other, _ = KINDS[kind]
            target = f"{other if path.startswith(folder + '/' + record_id) else folder}/{record_id}.yaml"
            _edit(kind, data, rng)
            live[record_id] = (kind, target, data)
            imp.commit(who, f"Move {record_id} and update it", [("R", path, target), ("M", target, _yaml(data))])
            stats["renames"] += 1
        elif roll < 0.065:
            record_id = rng.choice(ids)
            if record_id not in live or record_id == HOT:
                continue
            kind, path, _ = live.pop(record_id)
            imp.commit(who, f"Remove {record_id}: entered in error", [("D", path, None)])
            stats["deletions"] += 1
        else:
            ops = []
            for record_id in rng.sample(ids, rng.randint(1, 2)):
                if record_id in live and record_id != HOT:
                    kind, path, data = live[record_id]
                    _edit(kind, data, rng)
                    ops.append(("M", path, _yaml(data)))
            if not ops:
                continue
            imp.commit(who, f"Update {', '.join(path.rsplit('/', 1)[1][:-5] for _, path, _ in ops)}", ops)
        commits += 1
    imp.close()
    subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "main"], check=True)
    stats.update(commits=commits, records=len(live) + WORKBOOK_ROWS, created=RECORDS)
    return stats


def best_of(runs: int, fn: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the audit trail over 20,000 commits of 5,000 records.")
    parser.add_argument("--keep", type=Path, default=None, help="build the repository in DIR and keep it "
                        "(an existing one there is reused)")
    parser.add_argument("--runs", type=int, default=2, help="timed runs of each (default 2, best is reported)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    tmp: tempfile.TemporaryDirectory[str] | None = None
    repo = args.keep.resolve() if args.keep else Path((tmp := tempfile.TemporaryDirectory(prefix="qms-hist-")).name)
    try:
        if (repo / ".git").exists():
            print(f"reusing the repository in {repo}")
        else:
            started = time.perf_counter()
            stats = build(repo, args.seed)
            print(f"built {repo} in {time.perf_counter() - started:.1f} s: {stats['commits']:,} commits, "
                  f"{stats['created']:,} records created ({stats['records']:,} at HEAD), {stats['renames']:,} moves, "
                  f"{stats['deletions']:,} deletions, {stats['workbook']:,} workbook versions, "
                  f"{stats['hot']:,} commits to {HOT}")
        trail_time, trail = best_of(args.runs, lambda: audit_trail(repo))
        record_time, history = best_of(max(args.runs, 3), lambda: record_history(repo, HOT))
    finally:
        if tmp is not None:
            tmp.cleanup()
    expected = [c for c in trail.changes if c.record_id == HOT]
    if history != expected:
        raise SystemExit(f"record_history({HOT}) gave {len(history)} changes, the full trail {len(expected)}")
    moves = sum(c.action == "renamed" for c in history)
    trail_ok, record_ok = trail_time < TARGET_TRAIL, record_time < TARGET_RECORD
    print(f"full trail:     {trail_time:6.2f} s  ({trail.commits:,} commits, {len(trail.changes):,} record changes, "
          f"{trail.field_changes:,} field changes, {trail.records:,} records)  target < {TARGET_TRAIL:.0f} s  "
          f"{'PASS' if trail_ok else 'MISS'}")
    print(f"one record:     {record_time:6.2f} s  ({HOT}: {len(history):,} changes, {moves} moves)  target < {TARGET_RECORD:.0f} s  "
          f"{'PASS' if record_ok else 'MISS'}")
    return 1 if args.strict and not (trail_ok and record_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
