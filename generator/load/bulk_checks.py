"""A bulk CSV file checked column by column in SQL: the record loader's row findings without a model per row.

DuckDB reads the file once into `raw` (every cell text, `rn` the record's number, `line` the text line
the csv module ends the record on, as the record loader locates it). Each check is one set-wise query
over a column: a row with data but no ID, an ID not of the sheet's kind (QMS112, QMS114), a required
value missing (QMS112), a date that is not one (QMS113). Only the findings come back to Python, to be
worded as the loader words them. What needs every source (duplicate IDs, links to records that do
not exist, cycles) is checked over the tables written here (`rows`, `refs`), by analysis.genealogy_checks.

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


def _t(col: str | None) -> str:
    return "CAST(NULL AS VARCHAR)" if col is None else f"NULLIF(trim(\"{col}\", {_WS}), '')"


def pattern(kind_name: str) -> str:
    return KINDS[kind_name].id_re.pattern.replace("\\A", "^").replace("\\Z", "$")


def stage_raw(con: duckdb.DuckDBPyConnection, source: str, params: list[Any], names: list[str], kind_name: str,
              id_col: str) -> None:
    """`raw`: every record of the file with its number, the line it ends on (a quoted cell may hold line
    breaks; the file holds no blank line, which the csv module counts and DuckDB skips), its ID stripped
    (`_id`) and whether that ID is one of the kind's (`_named`, the ID pattern matched once per row); `ok`
    starts as `_named` and row_findings clears it for the rows it refuses."""
    breaks = " + ".join(f"coalesce(length(\"{n}\") - length(replace(\"{n}\", chr(10), '')), 0)" for n in names) or "0"
    con.execute("DROP TABLE IF EXISTS raw")
    con.execute(f"CREATE TEMP TABLE raw AS SELECT *, coalesce(regexp_full_match(_id, ?), false) AS _named, "
                f"coalesce(regexp_full_match(_id, ?), false) AS ok FROM (SELECT *, {_t(id_col)} AS _id, "
                f"CAST(1 + sum(1 + ({breaks})) OVER (ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) "
                f"AS BIGINT) AS line FROM (SELECT row_number() OVER () AS rn, * FROM {source}))",
                [pattern(kind_name), pattern(kind_name), *params])


def row_findings(con: duckdb.DuckDBPyConnection, rel: str, kind_name: str, col: Callable[[str], str | None],
                 names: list[str]) -> list[Finding]:
    """The loader's findings for the rows of `raw`; `ok` is set on `raw` for the rows that make a record."""
    kind = KINDS[kind_name]
    fields = plan(kind.model).fields
    id_index = names.index(col("id") or "")
    present = " OR ".join(f"{_t(n)} IS NOT NULL" for n in names) or "false"
    required = [n for n, f in kind.model.model_fields.items() if f.is_required() and n != "id" and n in fields]
    dates = [n for n, f in fields.items() if f.date and f.nested is None]
    checks = [f"SELECT line, rn, 'noid' AS what, NULL AS field, NULL AS value FROM raw WHERE _id IS NULL AND ({present})",
              "SELECT line, rn, 'badid', NULL, _id FROM raw WHERE _id IS NOT NULL AND NOT _named"]
    well = "_named"
    for name in required:
        checks.append(f"SELECT line, rn, 'missing', '{name}', NULL FROM raw WHERE {well} AND {_t(col(name))} IS NULL")
    for name in dates:
        if col(name) is None:
            continue
        v = _t(col(name))
        checks.append(f"SELECT line, rn, 'date', '{name}', {v} FROM raw WHERE {well} AND {v} IS NOT NULL AND NOT "
                      f"(regexp_full_match({v}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') AND try_strptime({v}, '%Y-%m-%d') "
                      f"IS NOT NULL)")
    rows = con.execute(" UNION ALL ".join(checks)).fetchall()
    bad = sorted({rn for _, rn, *_ in rows})
    ids: dict[int, str] = {}
    if bad:  # few rows, as a rule: only they are touched
        con.execute("UPDATE raw SET ok = false WHERE list_contains(?::BIGINT[], rn)", [bad])
        ids = dict(con.execute("SELECT rn, _id FROM raw WHERE list_contains(?::BIGINT[], rn)", [bad]).fetchall())
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


def rows_and_refs_sql(rel: str, kind_name: str, col: Callable[[str], str | None]) -> dict[str, str]:
    """`rows` (every well-formed ID, where, and whether it made a record) and `refs` (its links to the genealogy's kinds, in written
    order) as SELECTs over `raw`, for the checks across sources."""
    i = "_id"
    file = "'" + rel.replace("'", "''") + "'"
    named = "_named"  # rows refused for a value still name their record, and their links are checked (`unvalidated`)
    refs = []
    for role, name, target, many in REFS[kind_name]:
        if col(name) is None:
            continue
        if many:
            parts = f"list_filter(regexp_split_to_array({_t(col(name))}, '\\s*[;\\n]\\s*'), lambda x: x <> '')"
            value = ("CASE WHEN regexp_matches(part, '^\\s*[^=\\s]+') THEN regexp_extract(part, '^\\s*([^=\\s]+)', 1) "
                     "ELSE part END") if "." in role else "part"
            refs.append(f"SELECT id, line, rn, '{role}' AS role, {value} AS target, '{target}' AS kind, pos FROM "
                        f"(SELECT id, line, rn, unnest(parts) AS part, CAST(generate_subscripts(parts, 1) AS BIGINT) "
                        f"AS pos FROM (SELECT {i} AS id, line, rn, {parts} AS parts FROM raw WHERE {named} AND "
                        f"{_t(col(name))} IS NOT NULL))")
        else:
            refs.append(f"SELECT {i} AS id, line, rn, '{role}' AS role, {_t(col(name))} AS target, '{target}' AS kind, "
                        f"CAST(1 AS BIGINT) AS pos FROM raw "
                        f"WHERE {named} AND {_t(col(name))} IS NOT NULL")
    none = ("SELECT CAST(NULL AS VARCHAR) AS id, CAST(0 AS BIGINT) AS line, CAST(0 AS BIGINT) AS rn, '' AS role, "
            "'' AS target, '' AS kind, CAST(0 AS BIGINT) AS pos WHERE false")
    return {"rows": f"SELECT {i} AS id, '{kind_name}' AS kind, {file} AS file, line, rn, ok FROM raw WHERE {named}",
            "refs": f"SELECT *, {file} AS file FROM ({' UNION ALL '.join(refs) or none})"}
