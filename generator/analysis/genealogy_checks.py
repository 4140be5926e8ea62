"""The genealogy's checks across every bulk source, in SQL over the cached tables: the record path's findings.

Each CSV source left its row findings (`findings.json`), its well-formed IDs (`rows.parquet`) and its
links to the genealogy's kinds (`refs.parquet`) in its cache folder (load.bulk_checks). Here, over all
of them at once: an ID made a record twice (QMS120, at the second, naming the first), a link to a lot,
unit, shipment or receipt no source holds (QMS122), lots consuming each other (QMS128, each cycle once
with its path, from its smallest lot, as rules.cycles reports it). The answer depends only on the
folders, so it is kept beside them, named by them, and computed once per cache build.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from ..findings import Finding, Location
from ..model import KINDS
from ..recordset import Link
from .cycles import cycle_through, cyclic_part, strongly_connected

if TYPE_CHECKING:
    import duckdb

FORMAT = b"qms-genealogy-checks/2"
_KIND_OF_TABLE = {"lots": "lot", "units": "serial_unit", "shipments": "shipment", "receipts": "receipt"}


def _files(folders: list[Path], name: str) -> str | None:
    found = [str(f / f"{name}.parquet").replace("'", "''") for f in folders if (f / f"{name}.parquet").is_file()]
    return "[" + ", ".join(f"'{p}'" for p in found) + "]" if found else None


def _quoted(text: str | Path) -> str:
    return str(text).replace("'", "''")


def _finding(code: str, file: str | None, line: int | None, message: str, record: str | None,
             hint: str | None = None, column: int = -1) -> Finding:
    """Every code here is an error (the loader's and the reference rules' alike)."""
    return Finding(code, "error", Location(file or "", line or 0, column), message, record, hint)


def check_all(con: duckdb.DuckDBPyConnection, folders: list[Path]) -> list[Finding]:
    """Every source's row findings, then the checks across sources; sorted as `qms validate` sorts them."""
    out: list[Finding] = []
    for folder in folders:
        stored = folder / "findings.json"
        if not stored.is_file():
            continue
        rel = orjson.loads((folder / "source.json").read_bytes())
        for code, line, column, message, record, hint in orjson.loads(stored.read_bytes()):
            out.append(_finding(code, rel, line, message, record, hint, column))
    # Every ID a source holds: the row reader's tables (YAML records, workbooks) name no line.
    known = []
    for table, kind in _KIND_OF_TABLE.items():
        files = _files([f for f in folders if not (f / "rows.parquet").is_file()], table)
        if files:
            known.append(f"SELECT id, '{kind}' AS kind, CAST(NULL AS VARCHAR) AS file, CAST(NULL AS BIGINT) AS line, "
                         f"rn, true AS ok, 1000000 AS src FROM read_parquet({files})")
    rows = [f for f in folders if (f / "rows.parquet").is_file()]
    for i, folder in enumerate(rows):  # a CSV source: its file is named once, in its folder's source.json
        file = _quoted(orjson.loads((folder / "source.json").read_bytes()))
        known.append(f"SELECT id, kind, '{file}' AS file, line, rn, ok, {i} AS src "
                     f"FROM read_parquet('{_quoted(folder / 'rows.parquet')}')")
    if not known:
        return sorted(out, key=lambda f: f.sort_key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE known AS {' UNION ALL '.join(known)}")
    # The IDs made twice, of the kinds that may hold one (by a hash aggregate; only their rows are put in order).
    kinds = ", ".join(f"'{kind}'" for kind in sorted(_twice_possible(con, folders)))
    twice = con.execute(f"""
        SELECT id, kind, file, line, first_value(file) OVER w, first_value(line) OVER w, row_number() OVER w
        FROM known WHERE ok AND kind IN ({kinds})
          AND id IN (SELECT id FROM known WHERE ok AND kind IN ({kinds}) GROUP BY id HAVING count(*) > 1)
        WINDOW w AS (PARTITION BY id ORDER BY src, rn)
        QUALIFY row_number() OVER w > 1""").fetchall() if kinds else []
    for record_id, _, file, line, first_file, first_line, _ in twice:
        first = Location(first_file or "", first_line or 0)
        out.append(_finding("QMS120", file, line, f"ID {record_id} is already used by {first}", record_id,
                            "give one of them a new ID; IDs are never reused"))
    refs = " UNION ALL ".join(f"SELECT {i} AS src, rn, role, target FROM read_parquet('{_quoted(f / 'refs.parquet')}')"
                              for i, f in enumerate(rows) if (f / "refs.parquet").is_file())
    if refs:
        patterns = [(kind, KINDS[kind].id_re.pattern.replace("\\A", "^").replace("\\Z", "$")) for kind in KINDS]
        con.execute("CREATE OR REPLACE TEMP TABLE id_shapes (kind VARCHAR, pattern VARCHAR)")
        con.executemany("INSERT INTO id_shapes VALUES (?, ?)", patterns)
        # A link names its row by number: the few that dangle are placed by their row's ID and line.
        dangling = con.execute(f"""
            WITH d AS (SELECT r.src, r.rn, r.role, r.target FROM ({refs}) r
                       WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.id = r.target)
                         AND EXISTS (SELECT 1 FROM id_shapes s WHERE regexp_full_match(r.target, s.pattern)))
            SELECT k.file, k.line, d.role, d.target, k.id FROM d JOIN known k ON k.src = d.src AND k.rn = d.rn""").fetchall()
        for file, line, role, target, record_id in dangling:
            out.append(_finding("QMS122", file, line, f"'{role}' links to {target}, which does not exist", record_id,
                                "fix the ID or create the record"))
    out += lot_cycles(con, folders)
    return sorted(out, key=lambda f: f.sort_key)


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """A count(*) query's one value (such a query always gives one row)."""
    row = con.execute(sql).fetchone()
    return int(row[0]) if row is not None else 0


def _twice_possible(con: duckdb.DuckDBPyConnection, folders: list[Path]) -> set[str]:
    """The kinds in which an ID may be made twice: IDs of two kinds never meet (each kind's IDs have a prefix
    of their own), so a kind only one source holds is one to search only if that source kept fewer records
    than it has good rows of it (its first of an ID stands). The counts come from the Parquet files' footers
    and a scan of one boolean column."""
    holders: dict[str, int] = {}
    possible: set[str] = set()
    for folder in folders:
        checked = folder / "rows.parquet"
        for table, kind in _KIND_OF_TABLE.items():
            path = folder / f"{table}.parquet"
            if not path.is_file():
                continue
            kept = _count(con, f"SELECT count(*) FROM read_parquet('{_quoted(path)}')")
            good = kept
            if checked.is_file():
                good = _count(con, f"SELECT count(*) FROM read_parquet('{_quoted(checked)}') WHERE ok")
            if kept < good:
                possible.add(kind)
            if good:
                holders[kind] = holders.get(kind, 0) + 1
    return possible | {kind for kind, n in holders.items() if n > 1}


def lot_cycles(con: duckdb.DuckDBPyConnection, folders: list[Path]) -> list[Finding]:
    """Lots consuming each other, over every lot: one finding per cycle, at its smallest lot's row."""
    consumes = _files(folders, "consumes")
    if consumes is None:
        return []
    # A link can be on a cycle only if its component consumes something and its lot is consumed: the others
    # are peeled off in SQL, round by round (an acyclic genealogy, the usual one, is left with nothing in a
    # round or two), and only what remains comes to Python, in written order.
    con.execute(f"CREATE OR REPLACE TEMP TABLE edges AS SELECT c.lot, c.component, "
                f"row_number() OVER () AS k FROM read_parquet({consumes}) c "
                f"WHERE c.lot <> c.component AND c.component IN (SELECT id FROM known WHERE kind = 'lot')")
    while True:
        peeled = con.execute("DELETE FROM edges WHERE component NOT IN (SELECT lot FROM edges) "
                             "OR lot NOT IN (SELECT component FROM edges)").fetchone()
        if not peeled or not peeled[0]:
            break
    edges: dict[str, list[Link]] = {}
    for lot, component in con.execute("SELECT lot, component FROM edges ORDER BY k").fetchall():
        edges.setdefault(lot, []).append(Link(lot, "consumes.lot", component, ("consumes",), None, ("lot",)))
    con.execute("DROP TABLE edges")
    onward = cyclic_part({lot: [link.target for link in links] for lot, links in edges.items()})
    out = []
    for component in strongly_connected(sorted(onward), onward.__getitem__):
        if len(component) < 2:
            continue
        cycle = cycle_through("consumes.lot", set(component), edges)
        start = cycle.path[0]
        where = con.execute("SELECT file, line FROM known WHERE id = ? AND kind = 'lot' ORDER BY src, rn LIMIT 1",
                            [start]).fetchone()
        others = [m for m in cycle.members if m not in cycle.path]
        also = f"; also caught in this cycle: {', '.join(others)}" if others else ""
        out.append(_finding("QMS128", where[0] if where else None, where[1] if where else None,
                            f"'consumes.lot' links form a cycle: {cycle}{also}", start,
                            f"remove or redirect one link of the cycle, e.g. {start} 'consumes.lot' → "
                            f"{cycle.path[1]}"))
    return sorted(out, key=lambda f: f.sort_key)


def cycle_members(finding: Finding) -> list[str]:
    """Every lot of a QMS128 finding's cycle, sorted: its path and the others caught in it (IDs hold no
    space, arrow or semicolon, so the message, cached as text, says them exactly)."""
    path, _, others = finding.message.partition(": ")[2].partition("; also caught in this cycle: ")
    return sorted(set(path.split(" → ")) | set(others.split(", ") if others else ()))


def cached_checks(con: duckdb.DuckDBPyConnection, folders: list[Path], base: Path) -> list[Finding]:
    """`check_all`, read from `base/checks-<folders>.json` when these very folders were checked before."""
    h = hashlib.sha256(FORMAT)
    for folder in folders:
        h.update(folder.name.encode() + b"\0")
    stored = base / f"checks-{h.hexdigest()}.json"
    try:
        return [_finding(*entry) for entry in orjson.loads(stored.read_bytes())]
    except (OSError, orjson.JSONDecodeError, TypeError, ValueError, KeyError):
        pass  # absent or damaged: checked again
    found = check_all(con, folders)
    entries = [[f.code, f.location.file, f.location.line, f.message, f.record, f.hint, f.location.column]
               for f in found]
    tmp = stored.with_name(f".checks-{os.getpid()}.json")
    try:
        tmp.write_bytes(orjson.dumps(entries))
        os.replace(tmp, stored)
    except OSError:
        pass
    return found
