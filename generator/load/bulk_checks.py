"""A bulk CSV file checked column by column in SQL: the record loader's row findings without a model per row.

DuckDB reads the file once (again only for line breaks in its cells) into `raw`: per record its number
`rn`, the text `line` the csv module ends it on (as the record loader locates it), its ID stripped
(`_id`), and each cell of the kind's fields stripped once (`c_<field>`, blank is NULL); every row check
is worked out in the same pass, so `ok` (the row makes a record) and `_flag` (the row draws a finding)
come out of that one scan. The checks themselves: a row with data but no ID, an ID not of the sheet's
kind (QMS112, QMS114), a required value missing (QMS112), a date that is not one (QMS113). Only the
flagged rows (few, as a rule) are looked at again, check by check, and only their findings come back to
Python, to be worded as the loader words them. What needs every source (duplicate IDs, links to records
that do not exist, cycles) is checked over the tables written here (`rows`, `refs`), by
analysis.genealogy_checks.

Other validation the record loader does per value (enumerations, numbers, booleans) is `qms validate`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..codes.schema import BAD_DATE, BAD_ID, MISSING_FIELD
from ..findings import Finding, Location
from ..model import KINDS, plan
from .salvage import shown

if TYPE_CHECKING:
    import duckdb

_WS = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"  # what str.strip() strips (ASCII)
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?")

# Links among the genealogy's own kinds, checked against every source's IDs: (role, field, target kind, many).
REFS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "lot": (("receipt", "receipt", "receipt", False), ("consumes.lot", "consumes", "lot", True)),
    "serial_unit": (("lot", "lot", "lot", False),),
    "shipment": (("units", "units", "serial_unit", True), ("lots.lot", "lots", "lot", True)),
    "receipt": (("lot", "lot", "lot", False),),
}

Cell = Callable[[str], str]  # a field's stripped value in `raw` as SQL (NULL when blank or absent)


def _t(col: str) -> str:
    """A raw cell as the record loader reads it: stripped, blank is absent. Most cells need no stripping:
    trim, slow with a set of characters, is called only when the first or last character may be one."""
    c = f'"{col}"'
    return f"CASE WHEN ascii({c}) > 32 AND ascii({c}[-1]) > 32 THEN {c} ELSE NULLIF(trim({c}, {_WS}), '') END"


def pattern(kind_name: str) -> str:
    return KINDS[kind_name].id_re.pattern.replace("\\A", "^").replace("\\Z", "$")


def cell(kind_name: str, col: Callable[[str], str | None]) -> Cell:
    """The SQL for a field's stripped value in `raw` (`c_<field>`), NULL for a field the file lacks."""
    kept = {name for name in plan(KINDS[kind_name].model).fields if name != "id" and col(name)}
    return lambda name: "_id" if name == "id" else f"c_{name}" if name in kept else "CAST(NULL AS VARCHAR)"


def _date_ok(v: str) -> str:
    return f"(regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') AND try_strptime({v}, '%Y-%m-%d') IS NOT NULL)"


def _checked(kind_name: str, v: Cell) -> tuple[list[str], list[str]]:
    """(required fields, date fields) the rows are checked for, by the fields the file has."""
    kind = KINDS[kind_name]
    fields = plan(kind.model).fields
    required = [n for n, f in kind.model.model_fields.items() if f.is_required() and n != "id" and n in fields]
    dates = [n for n, f in fields.items() if f.date and f.nested is None and v(n) != "CAST(NULL AS VARCHAR)"]
    return required, dates


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage_raw(con: duckdb.DuckDBPyConnection, source: str, params: list[Any], names: list[str], kind_name: str,
              col: Callable[[str], str | None], lines: int, blank: Callable[[], bool]) -> bool:
    """`raw` (see the module's text) over `cells`, which DuckDB's CSV reader fills with every row's stripped
    cells and checks, in parallel and in file order (so `rowid` numbers the records; a row_number() over
    the reader would make it one thread), without keeping the raw text. Record `rn` ends on line `rn + 1`
    when the file has `lines` (header and records). Otherwise a line is blank (`blank()`: DuckDB skips it,
    the csv module counts it, so the lines would differ; False, and the caller reads the file with the
    row reader) or a cell holds line breaks, and the file is read once more for the breaks in each
    record's cells."""
    v = cell(kind_name, col)
    kept = {name: col(name) or "" for name in plan(KINDS[kind_name].model).fields if name != "id" and col(name)}
    required, dates = _checked(kind_name, v)
    present = " OR ".join(f"{_t(n)} IS NOT NULL" for n in names) or "false"
    ok = " AND ".join(["_named", *(f"{v(n)} IS NOT NULL" for n in required),
                       *(f"({v(n)} IS NULL OR {_date_ok(v(n))})" for n in dates)])
    trimmed = "".join(f", {_t(raw_name)} AS c_{name}" for name, raw_name in kept.items())
    columns = "".join(f", c_{name}" for name in kept)
    for kind, name in (("VIEW", "raw"), ("TABLE", "cells"), ("TABLE", "lines")):
        con.execute(f"DROP {kind} IF EXISTS {name}")
    con.execute(f"CREATE TEMP TABLE cells AS SELECT _id, _named, ok, "
                f"(_id IS NULL AND _present) OR (_id IS NOT NULL AND NOT ok) AS _flag{columns} "
                f"FROM (SELECT *, {ok} AS ok FROM (SELECT *, "
                f"coalesce(regexp_full_match(_id, {_literal(pattern(kind_name))}), false) AS _named "
                f"FROM (SELECT {_t(col('id') or '')} AS _id, "
                f"CASE WHEN {_t(col('id') or '')} IS NULL THEN {present} ELSE true END AS _present{trimmed} "
                f"FROM {source})))", params)
    records = con.execute("SELECT count(*) FROM cells").fetchone()
    if records is not None and lines == records[0] + 1:
        con.execute("CREATE TEMP VIEW raw AS SELECT CAST(rowid + 1 AS BIGINT) AS rn, CAST(rowid + 2 AS BIGINT) AS line, "
                    "* FROM cells")
        return True
    if blank():
        return False
    breaks = " + ".join(f"coalesce(length(\"{n}\") - length(replace(\"{n}\", chr(10), '')), 0)" for n in names)
    con.execute(f"CREATE TEMP TABLE lines AS SELECT rn, CAST(1 + sum(1 + b) OVER (ORDER BY rn ROWS BETWEEN "
                f"UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS line FROM "
                f"(SELECT row_number() OVER () AS rn, {breaks or '0'} AS b FROM {source})", params)
    con.execute("CREATE TEMP VIEW raw AS SELECT l.rn, l.line, c.* FROM cells c JOIN lines l ON l.rn = c.rowid + 1")
    return True


def row_findings(con: duckdb.DuckDBPyConnection, rel: str, kind_name: str, col: Callable[[str], str | None],
                 names: list[str]) -> list[Finding]:
    """The loader's findings for the flagged rows of `raw`, one query per check over those rows alone."""
    kind = KINDS[kind_name]
    v = cell(kind_name, col)
    id_index = names.index(col("id") or "")
    required, dates = _checked(kind_name, v)
    con.execute("CREATE OR REPLACE TEMP TABLE flagged AS SELECT * FROM raw WHERE _flag")
    checks = ["SELECT line, rn, 'noid' AS what, NULL AS field, NULL AS value FROM flagged WHERE _id IS NULL",
              "SELECT line, rn, 'badid', NULL, _id FROM flagged WHERE _id IS NOT NULL AND NOT _named"]
    for name in required:
        checks.append(f"SELECT line, rn, 'missing', '{name}', NULL FROM flagged WHERE _named AND {v(name)} IS NULL")
    for name in dates:
        checks.append(f"SELECT line, rn, 'date', '{name}', {v(name)} FROM flagged WHERE _named AND {v(name)} IS NOT "
                      f"NULL AND NOT {_date_ok(v(name))}")
    rows = con.execute(" UNION ALL ".join(checks)).fetchall()
    ids = dict(con.execute("SELECT rn, _id FROM flagged").fetchall())
    con.execute("DROP TABLE flagged")
    out = []
    for line, rn, what, name, value in sorted(rows, key=lambda r: (r[0], r[2], r[3] or "")):
        record_id = ids.get(rn)
        at = Location(rel, line, names.index(col(name) or "") if name and col(name) else id_index)
        if what == "noid":
            out.append(MISSING_FIELD.finding(at, f"row {line} has data but no id", hint="give every row an ID"))
        elif what == "badid":
            out.append(BAD_ID.finding(at, f"'{value}' is not a {kind.name} ID on sheet '{rel}'", value,
                                      hint=f"{kind.name} IDs look like {kind.id_example}"))
        elif what == "missing":
            out.append(MISSING_FIELD.finding(at, f"required field '{name}' is missing", record_id,
                                             f"add '{name}:' to the record"))
        elif _NUMBER.fullmatch(value):
            out.append(BAD_DATE.finding(at, f"'{name}' holds the number {value}, not a date: only a date-formatted "
                                        "cell holds a date", record_id,
                                        hint="format the cell as a date, or write the date as YYYY-MM-DD"))
        else:
            out.append(BAD_DATE.finding(at, f"'{name}' is not a real date: {shown(value)}", record_id,
                                        "write dates as YYYY-MM-DD"))
    return out


def stage_parts(con: duckdb.DuckDBPyConnection, kind_name: str, v: Cell) -> None:
    """`parts_<field>` for each many-valued link field: its values split (as tabular._SPLIT splits a cell),
    one row each, for every row with a well-formed ID (`_id`, `line`, `rn`, `ok`), with the ID each names
    (`target`; `LOT-C-1=2` names LOT-C-1, as genealogy._lot_ref reads it) and its place (`pos`). Split once
    here, read by the narrow link table and by `refs` alike."""
    for role, name, _, many in REFS[kind_name]:
        if not many or v(name) == "CAST(NULL AS VARCHAR)":
            continue
        target = ("CASE WHEN regexp_matches(part, '^\\s*[^=\\s]+') THEN regexp_extract(part, '^\\s*([^=\\s]+)', 1) "
                  "ELSE part END") if "." in role else "part"
        parts = f"list_filter(regexp_split_to_array({v(name)}, '\\s*[;\\n]\\s*'), lambda x: x <> '')"
        con.execute(f"CREATE OR REPLACE TEMP TABLE parts_{name} AS SELECT _id, line, rn, ok, {target} AS target, pos FROM "
                    f"(SELECT _id, line, rn, ok, unnest(parts) AS part, CAST(generate_subscripts(parts, 1) AS BIGINT) "
                    f"AS pos FROM (SELECT _id, line, rn, ok, {parts} AS parts FROM raw WHERE _named AND "
                    f"{v(name)} IS NOT NULL))")


def rows_and_refs_sql(kind_name: str, v: Cell) -> dict[str, str]:
    """`rows` (every well-formed ID, its line, and whether it made a record) and `refs` (its links to the
    genealogy's kinds by row number, in written order) as SELECTs over `raw` and the `parts_<field>` tables,
    for the checks across sources (which name the file from the folder's source.json)."""
    named = "_named"  # rows refused for a value still name their record, and their links are checked (`unvalidated`)
    refs = []
    for role, name, target, many in REFS[kind_name]:
        if v(name) == "CAST(NULL AS VARCHAR)":
            continue
        if many:
            refs.append(f"SELECT rn, '{role}' AS role, target, '{target}' AS kind, pos FROM parts_{name}")
        else:
            refs.append(f"SELECT rn, '{role}' AS role, {v(name)} AS target, '{target}' AS kind, "
                        f"CAST(1 AS BIGINT) AS pos FROM raw WHERE {named} AND {v(name)} IS NOT NULL")
    none = "SELECT CAST(0 AS BIGINT) AS rn, '' AS role, '' AS target, '' AS kind, CAST(0 AS BIGINT) AS pos WHERE false"
    return {"rows": f"SELECT _id AS id, '{kind_name}' AS kind, line, rn, ok FROM raw WHERE {named}",
            "refs": ' UNION ALL '.join(refs) or none}
