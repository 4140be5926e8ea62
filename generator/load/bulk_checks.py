"""A bulk CSV file checked column by column in SQL: the record loader's row findings without a model per row.

DuckDB reads the file once (again only for line breaks in its cells) into `raw`: per record its number
`rn`, the text `line` the csv module ends it on (as the record loader locates it), its ID stripped
(`_id`), and each cell of the kind's fields stripped once (`c_<field>`, blank is NULL); every row check
is worked out in the same pass, so `ok` (the row makes a record), `_flag` (the row draws a finding SQL
words) and `_suspect` come out of that one scan. SQL words a row with data but no ID, an ID not of the
sheet's kind (QMS112, QMS114) and a required value missing (QMS112). A row whose cells might fail any
other check of the record loader (a cell not surely valid for its field's type: a date, a number, an
allowed value, a boolean, a link, a list of lot uses; a control character anywhere in the row) is
`_suspect`: those rows alone, with the header, are read again by the record loader itself
(`recheck`), and its findings and its verdict (record, unvalidated, or neither) stand for them. What needs
every source (duplicate IDs, links to records that do not exist, cycles) is checked over the tables
written here (`rows`, `refs`), by analysis.genealogy_checks.
"""

from __future__ import annotations

import csv
import io
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import NoneType
from typing import TYPE_CHECKING, Any

from ..codes.schema import BAD_ID, HEADER, MISSING_FIELD, UNSAFE
from ..datewindow import DATE_MAX, DATE_MIN
from ..findings import Finding, Location
from ..model import KINDS, collect_links, plan
from ..model.production import Consumption
from .source import LinkUse, Unvalidated
from .tabular import csv_dialect, field_columns, header_name, load_rows, present, row_fields
from .yamlfile import YamlProblem, decode

if TYPE_CHECKING:
    import duckdb

_WS = "' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)"  # what str.strip() strips (ASCII)
# What the record loader refuses as a control character (yamlfile.BAD_CHARS; no surrogate is valid UTF-8),
# for RE2.
_BAD_CHARS = "[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\x{FDD0}-\\x{FDEF}" + "".join(
    f"\\x{{{p:X}FFFE}}\\x{{{p:X}FFFF}}" for p in range(17)) + "]"
_LOT_USE = "[!-:<>-~]+ *= *[1-9][0-9]{0,11}(\\.[0-9]{1,6})?"  # LOT-C-1=2 (production.Consumption), no ';'
_TRUE_FALSE = ("true", "false", "yes", "no", "0", "1")

# Links among the genealogy's own kinds, checked against every source's IDs: (role, field, target kind, many).
REFS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "lot": (("receipt", "receipt", "receipt", False), ("consumes.lot", "consumes", "lot", True)),
    "serial_unit": (("lot", "lot", "lot", False),),
    "shipment": (("units", "units", "serial_unit", True), ("lots.lot", "lots", "lot", True)),
    "receipt": (("lot", "lot", "lot", False),),
}
# The checks' own tables (analysis.genealogy_checks), columns and types in order: every well-formed ID of a
# source with its line, row number and whether it made a record; its links to the genealogy's kinds by row
# number; and, for a source the record loader read, where each ID (role 'id') and each link stands.
CHECK_COLUMNS: dict[str, dict[str, str]] = {
    "rows": {"id": "VARCHAR", "kind": "VARCHAR", "line": "BIGINT", "rn": "BIGINT", "ok": "BOOLEAN"},
    "refs": {"rn": "BIGINT", "role": "VARCHAR", "target": "VARCHAR", "kind": "VARCHAR", "pos": "BIGINT"},
    "places": {"rn": "BIGINT", "role": "VARCHAR", "pos": "BIGINT", "file": "VARCHAR", "sheet": "VARCHAR",
               "line": "BIGINT", "col": "BIGINT"},
}
ROLES = {kind: {role: target for role, _, target, _ in refs} for kind, refs in REFS.items()}  # role -> kind named

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


def _required(kind_name: str) -> list[str]:
    """The required fields the rows are checked for in SQL (the ID is checked on its own)."""
    model = KINDS[kind_name].model
    return [n for n, f in model.model_fields.items() if f.is_required() and n != "id" and n in plan(model).fields]


def _plain(annotation: object) -> object:
    """`int` of `int | None`."""
    args = [a for a in typing.get_args(annotation) if a is not NoneType]
    return args[0] if NoneType in typing.get_args(annotation) and len(args) == 1 else annotation


def _within(c: str, metadata: list[Any], sql_type: str) -> str:
    """The field's bounds (ge, gt, le, lt) on the cell read as a number."""
    ops = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))
    return " AND ".join([f"TRY_CAST({c} AS {sql_type}) {op} {getattr(m, name)}" for m in metadata
                         for name, op in ops if getattr(m, name, None) is not None] or ["true"])


def _printable(c: str, newlines: bool) -> str:
    """Printable ASCII (model.base.Ref), with line breaks between links (`newlines`): ASCII alone, as the
    other control characters make the row suspect wherever they are (a test of length, where a regular
    expression takes several times as long)."""
    breaks = ["chr(9)", "chr(13)"] if newlines else ["chr(9)", "chr(10)", "chr(13)"]
    return f"(strlen({c}) = length({c}){''.join(f' AND NOT contains({c}, {b})' for b in breaks)})"


def surely_valid(kind_name: str, name: str, c: str) -> str | None:
    """SQL that is true where the cell `c` (stripped, not blank) surely passes every check the record loader
    makes of field `name` (a cell it is false for may pass too: the record loader then says); None where
    any text passes. Dates are real and within the window records hold, allowed values are listed, numbers
    plain and within the field's bounds, links ASCII (model.base.Ref), lot uses `LOT=QUANTITY`."""
    model = KINDS[kind_name].model
    info, spec = plan(model).fields[name], model.model_fields[name]
    one = info.shape == "one"
    if info.date:  # YYYY-MM-DD compares as text
        return f"({_date_ok(c)} AND {c} BETWEEN '{DATE_MIN.isoformat()}' AND '{DATE_MAX.isoformat()}')" \
            if one and info.nested is None else "false"
    if info.enum:
        return f"{c} IN ({', '.join(map(_literal, info.enum))})" if one else "false"
    if info.nested is Consumption and not one:
        return f"regexp_full_match({c}, '{_LOT_USE}( *[;\\n] *{_LOT_USE})*')"
    if info.nested is not None:
        return "false"
    if info.links:
        return _printable(c, newlines=not one)
    kind = _plain(spec.annotation)
    if kind is bool:
        return f"{c} IN ({', '.join(map(_literal, _TRUE_FALSE))})"
    if kind is int:
        return f"(regexp_full_match({c}, '0|[1-9][0-9]{{0,17}}') AND {_within(c, spec.metadata, 'HUGEINT')})"
    if kind is float:
        return (f"(regexp_full_match({c}, '(0|[1-9][0-9]{{0,14}})(\\.[0-9]{{1,6}})?') AND "
                f"{_within(c, spec.metadata, 'DOUBLE')})")
    if kind is str:
        # str.strip() takes Unicode spaces too: a no-break space alone is a missing value to the loader, and
        # one around a supplier lot is not part of it. ASCII alone, or no other character at either end.
        return f"(strlen({c}) = length({c}) OR NOT (ascii({c}) > 127 OR ascii({c}[-1]) > 127))"
    if typing.get_origin(kind) is list and typing.get_args(kind) == (str,):
        return None  # tags: in no table
    return "false"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _odd(kind_name: str, names: list[str], chars: bool) -> str:
    """SQL over the file's columns for a row the record loader must read whatever its fields hold: a control
    character in any cell (looked for only when the file holds one, `chars`), a value in a nested field's
    column (`consumes.lot`)."""
    fields = plan(KINDS[kind_name].model).fields
    odd = [f'"{n}" IS NOT NULL' for n in names if "." in header_name(n) and header_name(n).partition(".")[0] in fields]
    if chars:
        odd += [f"regexp_matches(\"{n}\", '{_BAD_CHARS}')" for n in names]
    return " OR ".join(odd) or "false"


def stage_raw(con: duckdb.DuckDBPyConnection, source: str, params: list[Any], names: list[str], kind_name: str,
              col: Callable[[str], str | None], lines: int, blank: Callable[[], bool], chars: bool) -> bool:
    """`raw` (see the module's text) over `cells`, which DuckDB's CSV reader fills with every row's stripped
    cells and checks, in parallel and in file order (so `rowid` numbers the records; a row_number() over
    the reader would make it one thread), without keeping the raw text. Record `rn` ends on line `rn + 1`
    when the file has `lines` (header and records). Otherwise a line is blank (`blank()`: DuckDB skips it,
    the csv module counts it, so the lines would differ; False, and the caller reads the file with the
    row reader) or a cell holds line breaks, and the file is read once more for the breaks in each
    record's cells. `chars`: whether the file holds a character no record may hold."""
    v = cell(kind_name, col)
    kept = {name: col(name) or "" for name in plan(KINDS[kind_name].model).fields if name != "id" and col(name)}
    present_any = " OR ".join(f"{_t(n)} IS NOT NULL" for n in names) or "false"
    # Beyond ASCII in a row without an ID: its data may be Unicode spaces alone, which the loader strips away.
    wide_any = " OR ".join(f"strlen({_t(n)}) <> length({_t(n)})" for n in names) or "false"
    ok = " AND ".join(["_named", *(f"{v(n)} IS NOT NULL" for n in _required(kind_name))])
    valid = [f"({v(n)} IS NULL OR {check})" for n in kept if (check := surely_valid(kind_name, n, v(n))) is not None]
    # A row the record loader reads again (`recheck`): odd, a cell of a named row not surely valid for its
    # field, or an ID not of the kind holding what the loader strips or refuses (a no-break space).
    suspect = (f"_odd OR (_named AND NOT coalesce({' AND '.join(valid) or 'true'}, false)) OR "
               f"(_id IS NOT NULL AND NOT _named AND NOT regexp_full_match(_id, '[ -~]+')) OR "
               f"(_id IS NULL AND _present AND coalesce(_wide, false))")
    trimmed = "".join(f", {_t(raw_name)} AS c_{name}" for name, raw_name in kept.items())
    columns = "".join(f", c_{name}" for name in kept)
    for kind, name in (("VIEW", "raw"), ("TABLE", "cells"), ("TABLE", "lines")):
        con.execute(f"DROP {kind} IF EXISTS {name}")
    con.execute(f"CREATE TEMP TABLE cells AS SELECT _id, _named, ok, _suspect, NOT _suspect AND "
                f"((_id IS NULL AND _present) OR (_id IS NOT NULL AND NOT ok)) AS _flag{columns} "
                f"FROM (SELECT *, {ok} AS ok, {suspect} AS _suspect FROM (SELECT *, "
                f"coalesce(regexp_full_match(_id, {_literal(pattern(kind_name))}), false) AS _named "
                f"FROM (SELECT {_t(col('id') or '')} AS _id, "
                f"CASE WHEN {_t(col('id') or '')} IS NULL THEN {present_any} ELSE true END AS _present, "
                f"CASE WHEN {_t(col('id') or '')} IS NULL THEN {wide_any} ELSE false END AS _wide, "
                f"{_odd(kind_name, names, chars)} AS _odd{trimmed} FROM {source})))", params)
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
    con.execute("CREATE OR REPLACE TEMP TABLE flagged AS SELECT * FROM raw WHERE _flag")
    checks = ["SELECT line, rn, 'noid' AS what, NULL AS field, NULL AS value FROM flagged WHERE _id IS NULL",
              "SELECT line, rn, 'badid', NULL, _id FROM flagged WHERE _id IS NOT NULL AND NOT _named"]
    for name in _required(kind_name):
        checks.append(f"SELECT line, rn, 'missing', '{name}', NULL FROM flagged WHERE _named AND {v(name)} IS NULL")
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
        else:
            out.append(MISSING_FIELD.finding(at, f"required field '{name}' is missing", record_id,
                                             f"add '{name}:' to the record"))
    return out


def header_findings(head: bytes, whole: bool, names: list[str], kind_name: str, rel: str) -> list[Finding] | None:
    """The record loader's findings on the file's header row (columns that name no field), read from the
    file's first bytes `head` (`whole`: all of it) as load_csv reads it; None where the loader refuses the
    header (a column twice, a control character) or DuckDB names its columns otherwise (the caller then
    has the record loader read the file)."""
    if not whole:
        head = head[:head.rfind(b"\n") + 1]
    try:
        text = head.decode("utf-8-sig")
        reader = csv.reader(io.StringIO(text), csv_dialect(text))
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error):
        return None
    if header is None or len(header) != len(names) or any(
            present(h) and header_name(h) != header_name(n) for h, n in zip(header, names, strict=True)):
        return None
    _, found = load_rows([(reader.line_num, header)], KINDS[kind_name], rel, "")
    if any(f.code in (HEADER.code, UNSAFE.code) for f in found):
        return None
    return [f for f in found if f.severity == "error"]


@dataclass
class Rechecked:
    """The record loader's verdict on the suspect rows: its findings (the header's too), the rows that made
    a record (by `rn`), and `rows` and `refs` as rows_and_refs_sql gives them for the others."""

    findings: list[Finding] = field(default_factory=list)
    made: list[int] = field(default_factory=list)
    # Per row that made a record, its fields' cells as the record loader strips and splits them (Unicode
    # spaces too; list items joined by line breaks), by field name ('id' too).
    cells: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # id, kind, line, rn, ok
    refs: list[tuple[Any, ...]] = field(default_factory=list)  # rn, role, target, kind, pos


def recheck(path: Path, rel: str, kind_name: str, suspects: dict[int, int]) -> Rechecked | None:
    """The header and the rows ending on the lines of `suspects` (line -> rn) read by the record loader, as
    load_csv feeds it (the csv module's rows and line numbers); None where the file cannot be read so."""
    try:
        text = decode(path.read_bytes(), rel)
    except (YamlProblem, OSError):
        return None
    reader = csv.reader(io.StringIO(text), csv_dialect(text))

    rows: dict[int, list[str]] = {}

    def picked() -> Iterator[tuple[int, list[str]]]:
        for number, row in enumerate(reader):
            if number == 0 or reader.line_num in suspects:  # no blank line here: the header is the first row
                rows[reader.line_num] = row
                yield reader.line_num, row

    unvalidated: list[Unvalidated] = []
    try:
        records, found = load_rows(picked(), KINDS[kind_name], rel, "", unvalidated=unvalidated)
    except csv.Error:
        return None
    if len(rows) != len(suspects) + 1:  # DuckDB's rows and the csv module's disagree: the loader reads it all
        return None
    out = Rechecked([f for f in found if f.severity == "error"])
    read: list[tuple[str, int, bool, list[LinkUse]]] = []
    for record, source in records:
        uses: list[LinkUse] = []
        collect_links(record, uses)
        read.append((record.id, source.at(("id",)).line or 0, True, uses))
    read += [(u.id, u.source.at(("id",)).line or 0, False, list(u.links)) for u in unvalidated]
    header_line = min(rows)
    columns, _ = field_columns(rows[header_line], header_line, KINDS[kind_name], rel, "")
    fields = plan(KINDS[kind_name].model).fields
    for record_id, line, made, links in read:
        rn = suspects[line]
        out.rows.append((record_id, kind_name, line, rn, made))
        if made:
            out.made.append(rn)
            raw, _ = row_fields(rows[line], columns, fields)
            out.cells.append((rn, {name: "\n".join(map(str, value)) if isinstance(value, list) else str(value)
                                   for name, value in raw.items()}))
        for link_path, role, ref, _ in links:
            if role in ROLES[kind_name]:
                pos = next((p for p in link_path if isinstance(p, int)), 0) + 1
                out.refs.append((rn, role, ref.id, ROLES[kind_name][role], pos))
    return out


def _temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple[Any, ...]]) -> None:
    """Rows from Python as a temporary table of `columns` (name -> SQL type, in order)."""
    values = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    selects = ", ".join(f"unnest(${i}::{kind}[]) AS {c}" for i, (c, kind) in enumerate(columns.items(), 1))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {selects}", values)


def take_verdict(con: duckdb.DuckDBPyConnection, kind_name: str, col: Callable[[str], str | None],
                 rechecked: Rechecked) -> None:
    """The record loader's verdict on the suspect rows of `cells`: whether each made a record (`ok`), and
    the cells of those that did as it reads them; `rechecked_rows` and `rechecked_refs` for rows_and_refs_sql."""
    kept = ["id", *(name for name in plan(KINDS[kind_name].model).fields if name != "id" and col(name))]
    con.execute("UPDATE cells SET ok = list_contains(?::BIGINT[], rowid + 1) WHERE _suspect", [rechecked.made])
    if rechecked.cells:
        _temp_table(con, "restripped", {"rn": "BIGINT", **dict.fromkeys(kept, "VARCHAR")},
                   [(rn, *(values.get(name) for name in kept)) for rn, values in rechecked.cells])
        sets = ", ".join(f"{'_id' if name == 'id' else 'c_' + name} = r.{name}" for name in kept)
        con.execute(f"UPDATE cells SET {sets} FROM restripped r WHERE cells.rowid + 1 = r.rn")
        con.execute("DROP TABLE restripped")
    _temp_table(con, "rechecked_rows", CHECK_COLUMNS["rows"], rechecked.rows)
    _temp_table(con, "rechecked_refs", CHECK_COLUMNS["refs"], rechecked.refs)


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
        con.execute(f"CREATE OR REPLACE TEMP TABLE parts_{name} AS SELECT _id, line, rn, ok, _suspect, {target} AS target, "
                    f"pos FROM (SELECT _id, line, rn, ok, _suspect, unnest(parts) AS part, "
                    f"CAST(generate_subscripts(parts, 1) AS BIGINT) AS pos FROM (SELECT _id, line, rn, ok, _suspect, "
                    f"{parts} AS parts FROM raw WHERE _named AND "
                    f"{v(name)} IS NOT NULL))")


def rows_and_refs_sql(kind_name: str, v: Cell, rechecked: bool) -> dict[str, str]:
    """`rows` (every well-formed ID, its line, and whether it made a record) and `refs` (its links to the
    genealogy's kinds by row number, in written order) as SELECTs over `raw` and the `parts_<field>` tables,
    for the checks across sources (which name the file from the folder's source.json); the suspect rows'
    from the record loader's reading (`rechecked_rows`, `rechecked_refs`, when `rechecked`)."""
    # Rows refused for a value still name their record, and their links are checked (`unvalidated`).
    named = "_named AND NOT _suspect"
    refs = []
    for role, name, target, many in REFS[kind_name]:
        if v(name) == "CAST(NULL AS VARCHAR)":
            continue
        if many:
            refs.append(f"SELECT rn, '{role}' AS role, target, '{target}' AS kind, pos FROM parts_{name} "
                        f"WHERE NOT _suspect")
        else:
            refs.append(f"SELECT rn, '{role}' AS role, {v(name)} AS target, '{target}' AS kind, "
                        f"CAST(1 AS BIGINT) AS pos FROM raw WHERE {named} AND {v(name)} IS NOT NULL")
    rows = f"SELECT _id AS id, '{kind_name}' AS kind, line, rn, ok FROM raw WHERE {named}"
    if rechecked:
        rows = f"SELECT * FROM ({rows} UNION ALL SELECT * FROM rechecked_rows) ORDER BY rn"
        refs.append("SELECT * FROM rechecked_refs")
    none = "SELECT CAST(0 AS BIGINT) AS rn, '' AS role, '' AS target, '' AS kind, CAST(0 AS BIGINT) AS pos WHERE false"
    return {"rows": rows, "refs": ' UNION ALL '.join(refs) or none}
