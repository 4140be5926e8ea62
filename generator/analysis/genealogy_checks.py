"""The genealogy's checks across every bulk source, in SQL over the cached tables: the record path's findings.

Each source left its row findings (`findings.json`), its well-formed IDs (`rows.parquet`) and its
links to the genealogy's kinds (`refs.parquet`) in its cache folder (load.bulk_checks for a CSV file
DuckDB read; genealogy_engines.records_to_parquet for files the record loader read, which also place
each ID and link: `places.parquet`). Here, over all of them at once, the folders in the record path's
load order: an ID made a record twice (QMS120, at the second, naming the first), a link of the record
that stands for its ID to a lot, unit, shipment or receipt no source holds (QMS122), lots consuming each
other (QMS128, each cycle once with its path, from its smallest lot, as rules.cycles reports it). The
answer depends only on the folders, so it is kept beside them, named by them, and computed once per
cache build.
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

FORMAT = b"qms-genealogy-checks/3"
_KIND_OF_TABLE = {"lots": "lot", "units": "serial_unit", "shipments": "shipment", "receipts": "receipt"}


def _files(folders: list[Path], name: str) -> str | None:
    found = [str(f / f"{name}.parquet").replace("'", "''") for f in folders if (f / f"{name}.parquet").is_file()]
    return "[" + ", ".join(f"'{p}'" for p in found) + "]" if found else None


def _quoted(text: str | Path) -> str:
    return str(text).replace("'", "''")


def _finding(code: str, file: str | None, line: int | None, message: str, record: str | None,
             hint: str | None = None, column: int = -1, sheet: str = "") -> Finding:
    """Every code here is an error (the loader's and the reference rules' alike)."""
    return Finding(code, "error", Location(file or "", line or 0, column, sheet), message, record, hint)


def check_all(con: duckdb.DuckDBPyConnection, folders: list[Path]) -> list[Finding]:
    """Every source's row findings, then the checks across sources; sorted as `qms validate` sorts them.
    `folders` come in the record path's load order: a source's index (`src`), then its row number (`rn`),
    put an ID's records in the order `qms validate` meets them."""
    out: list[Finding] = []
    for folder in folders:
        stored = folder / "findings.json"
        if not stored.is_file():
            continue
        rel = orjson.loads((folder / "source.json").read_bytes())
        for code, line, column, message, record, hint, *place in orjson.loads(stored.read_bytes()):
            file, sheet = place if place else (rel, "")  # a CSV file's are on its own lines
            out.append(_finding(code, file, line, message, record, hint, column, sheet))
    # Every ID a source holds, with its file and line: a CSV source names its file once (source.json); one the
    # record loader read names each ID's place and each link's (places.parquet: file, sheet, line, column).
    known = []
    places = []
    # A CSV source's columns of the ID and of each link, by role (columns.json): the column of a finding on them.
    columns: dict[int, dict[str, int]] = {}
    for src, folder in enumerate(folders):
        rows, placed = folder / "rows.parquet", folder / "places.parquet"
        if not rows.is_file():
            continue
        if placed.is_file():
            known.append(f"SELECT r.id, r.kind, p.file, p.line, r.rn, r.ok, {src} AS src "
                         f"FROM read_parquet('{_quoted(rows)}') r JOIN read_parquet('{_quoted(placed)}') p "
                         f"ON p.rn = r.rn AND p.role = 'id'")
            places.append(f"SELECT {src} AS src, * FROM read_parquet('{_quoted(placed)}')")
        else:
            file = _quoted(orjson.loads((folder / "source.json").read_bytes()))
            columns[src] = orjson.loads((folder / "columns.json").read_bytes())
            known.append(f"SELECT id, kind, '{file}' AS file, line, rn, ok, {src} AS src "
                         f"FROM read_parquet('{_quoted(rows)}')")
    if not known:
        return sorted(out, key=lambda f: f.sort_key)
    con.execute(f"CREATE OR REPLACE TEMP TABLE known AS {' UNION ALL '.join(known)}")
    nowhere = ("SELECT CAST(0 AS BIGINT) AS src, CAST(0 AS BIGINT) AS rn, '' AS role, CAST(0 AS BIGINT) AS pos, "
               "'' AS file, '' AS sheet, CAST(0 AS BIGINT) AS line, CAST(0 AS BIGINT) AS col WHERE false")
    con.execute(f"CREATE OR REPLACE TEMP TABLE places AS {' UNION ALL '.join(places) or nowhere}")
    # The IDs made twice, of the kinds that may hold one (by a hash aggregate; only their rows are put in order).
    kinds = ", ".join(f"'{kind}'" for kind in sorted(_twice_possible(con, folders)))
    twice = con.execute(f"""
        WITH t AS (
            SELECT id, src, rn, file, line, first_value(src) OVER w AS first_src, first_value(rn) OVER w AS first_rn,
                   first_value(file) OVER w AS first_file, first_value(line) OVER w AS first_line
            FROM known WHERE ok AND kind IN ({kinds})
              AND id IN (SELECT id FROM known WHERE ok AND kind IN ({kinds}) GROUP BY id HAVING count(*) > 1)
            WINDOW w AS (PARTITION BY id ORDER BY src, rn)
            QUALIFY row_number() OVER w > 1)
        SELECT t.id, t.file, t.line, p.sheet, coalesce(p.col, -1), t.src, t.first_file, t.first_line, q.sheet,
               coalesce(q.col, -1), t.first_src
        FROM t LEFT JOIN places p ON p.src = t.src AND p.rn = t.rn AND p.role = 'id'
        LEFT JOIN places q ON q.src = t.first_src AND q.rn = t.first_rn AND q.role = 'id'""").fetchall() \
        if kinds else []
    for record_id, file, line, sheet, col, src, first_file, first_line, first_sheet, first_col, first_src in twice:
        first = Location(first_file or "", first_line or 0, columns.get(first_src, {}).get("id", first_col),
                         first_sheet or "")
        out.append(_finding("QMS120", file, line, f"ID {record_id} is already used by {first}", record_id,
                            "give one of them a new ID; IDs are never reused", columns.get(src, {}).get("id", col),
                            sheet or ""))
    refs = " UNION ALL ".join(f"SELECT {i} AS src, rn, role, target, pos FROM read_parquet('{_quoted(f / 'refs.parquet')}')"
                              for i, f in enumerate(folders) if (f / "refs.parquet").is_file())
    if refs:
        patterns = [(kind, KINDS[kind].id_re.pattern.replace("\\A", "^").replace("\\Z", "$")) for kind in KINDS]
        con.execute("CREATE OR REPLACE TEMP TABLE id_shapes (kind VARCHAR, pattern VARCHAR)")
        con.executemany("INSERT INTO id_shapes VALUES (?, ?)", patterns)
        # A link names its row by number: the few that dangle are placed by their row's ID and line, or where
        # the record loader placed the link.
        dangling = con.execute(f"""
            WITH d AS (SELECT r.src, r.rn, r.role, r.target, r.pos FROM ({refs}) r
                       WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.id = r.target)
                         AND EXISTS (SELECT 1 FROM id_shapes s WHERE regexp_full_match(r.target, s.pattern)))
            SELECT coalesce(p.file, k.file), coalesce(p.line, k.line), p.sheet, coalesce(p.col, -1), d.role,
                   d.target, k.id, d.src, d.rn
            FROM d JOIN known k ON k.src = d.src AND k.rn = d.rn
            LEFT JOIN places p ON p.src = d.src AND p.rn = d.rn AND p.role = d.role AND p.pos = d.pos""").fetchall()
        # Only the record that stands for its ID has its links checked, as in the RecordSet: the first that
        # validated, else the first that did not.
        standing = set(con.execute(
            "SELECT src, rn FROM known WHERE id IN (SELECT unnest(?::VARCHAR[])) "
            "QUALIFY row_number() OVER (PARTITION BY id ORDER BY NOT ok, src, rn) = 1",
            [sorted({row[6] for row in dangling})]).fetchall()) if dangling else set()
        for file, line, sheet, col, role, target, record_id, src, rn in dangling:
            if (src, rn) not in standing:
                continue
            out.append(_finding("QMS122", file, line, f"'{role}' links to {target}, which does not exist", record_id,
                                "fix the ID or create the record", columns.get(src, {}).get(role, col), sheet or ""))
    out += lot_cycles(con, folders, columns)
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


def lot_cycles(con: duckdb.DuckDBPyConnection, folders: list[Path], columns: dict[int, dict[str, int]]) -> list[Finding]:
    """Lots consuming each other, over every lot: one finding per cycle, at its smallest lot's link."""
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
        others = [m for m in cycle.members if m not in cycle.path]
        also = f"; also caught in this cycle: {', '.join(others)}" if others else ""
        where = _link_place(con, folders, columns, start, cycle.path[1])
        out.append(_finding("QMS128", where.file, where.line, f"'consumes.lot' links form a cycle: {cycle}{also}",
                            start, f"remove or redirect one link of the cycle, e.g. {start} 'consumes.lot' → "
                            f"{cycle.path[1]}", where.column, where.sheet))
    return sorted(out, key=lambda f: f.sort_key)


def _link_place(con: duckdb.DuckDBPyConnection, folders: list[Path], columns: dict[int, dict[str, int]], lot: str,
                component: str) -> Location:
    """Where the lot that stands links to `component`, as the record path places the link: on its row's line
    in a CSV file, where the record loader placed it otherwise (a YAML line, a workbook's cell)."""
    row = con.execute("SELECT file, line, src, rn FROM known WHERE id = ? AND kind = 'lot' AND ok "
                      "ORDER BY src, rn LIMIT 1", [lot]).fetchone()
    if row is None:
        return Location("")
    file, line, src, rn = row
    refs = folders[src] / "refs.parquet"
    if (folders[src] / "places.parquet").is_file() and refs.is_file():
        placed = con.execute(f"SELECT p.file, p.line, p.col, p.sheet FROM read_parquet('{_quoted(refs)}') r "
                             "JOIN places p ON p.src = ? AND p.rn = r.rn AND p.role = r.role AND p.pos = r.pos "
                             "WHERE r.rn = ? AND r.role = 'consumes.lot' AND r.target = ? ORDER BY r.pos LIMIT 1",
                             [src, rn, component]).fetchone()
        if placed is not None:
            return Location(*placed)
    return Location(file, line, columns.get(src, {}).get("consumes.lot", -1))


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
