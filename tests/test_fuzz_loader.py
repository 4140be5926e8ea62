"""Generated hostile input never crashes the loader: every run of `qms validate` ends 0, 1 or 2.

Hypothesis writes YAML records, CSV bulk files and workbooks — well-formed shapes filled with awkward
values (control characters, non-ASCII digits, huge and non-finite numbers, numbers where dates
belong, odd keys) and raw byte noise — into a small real repository and runs the real command
in-process. Exit 3 is the CLI's "internal error": an exception nothing located. The examples are
derandomised so CI is reproducible; set QMS_FUZZ_EXAMPLES to explore more locally.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import string
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import make_repo

from generator.cli import run

EXAMPLES = int(os.environ.get("QMS_FUZZ_EXAMPLES", "0"))
FUZZ = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Values a hostile or careless editor writes: the edges every loader meets sooner or later.
AWKWARD_TEXT = st.sampled_from([
    "", " ", "REQ-0001", "REQ-٠٠٠٢", "REQ-０００２", "REQ-0001\n", "CC-2026-001/../../../../outside/x", "../x",
    "\x00", "\x01", "\x1b[31m", "\ufffe", "\u202e", "NO", "yes", "~", "null", ".nan", ".inf", "-.inf",
    "1702080000", "0", "9999-12-31", "0001-01-01", "2026-02-30", "=1+1", "@SUM(A1)", "é" * 40,
])
SCALARS = st.one_of(
    AWKWARD_TEXT,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(), st.dates(),
)
FIELDS = st.sampled_from([
    "id", "title", "status", "owner", "created", "statement", "derived_from", "verifies", "mitigates",
    "consumes", "window_days", "days", "max_c", "min_c", "done", "due", "quantity", "policy", "severity",
    "probability", "lot", "material", "supplier", "actions", "x",
])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(FIELDS, inner, max_size=3)), max_leaves=8)
PREFIXES = st.sampled_from(["REQ-0001", "HAZ-001", "CAPA-2026-001", "POL-RISK", "LOT-1", "TL-001", "NC-2026-001",
                            "USR-002", "SUP-001", "CC-2026-001", "FM-001", "X-1"])


def _yaml_scalar(value: object) -> str:
    """A value as YAML text; strings double-quoted with escapes, so control characters arrive escaped."""
    if isinstance(value, str):
        escaped = value.encode("unicode_escape").decode("ascii").replace('"', '\\"')
        return f'"{escaped}"'
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return ".nan" if value != value else (".inf" if value == float("inf") else
                                              "-.inf" if value == float("-inf") else repr(value))
    return str(value)


def _yaml(value: object, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "\n" + "\n".join(f"{pad}{k}: {_yaml(v, indent + 2)}".rstrip() for k, v in value.items())
    if isinstance(value, list):
        if not value:
            return "[]"
        return "\n" + "\n".join(f"{pad}- {_yaml(v, indent + 2).lstrip()}" for v in value)
    return _yaml_scalar(value)


def _validate(repo: Path) -> int:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["--repo", str(repo), "validate", "--format", "json", "--no-cache"])
    assert code in (0, 1, 2), f"exit {code}: {err.getvalue()[-500:]}"
    assert "Traceback" not in err.getvalue()
    return code


@contextlib.contextmanager
def _repo(files: dict[str, bytes]):
    base = Path(tempfile.mkdtemp(prefix="qms-fuzz-"))
    try:
        yield make_repo(base / "repo", files)  # type: ignore[arg-type]
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QMS_DEBUG", raising=False)


@settings(FUZZ, max_examples=EXAMPLES or 250)
@given(record_id=PREFIXES, fields=st.dictionaries(FIELDS, VALUES, max_size=6), noise=st.binary(max_size=40),
       mode=st.sampled_from(["record", "record", "record", "noise", "spliced"]))
def test_yaml_records(record_id: str, fields: dict, noise: bytes, mode: str) -> None:
    text = f"id: {record_id}\ntitle: fuzz\nstatus: draft" + _yaml(fields)
    raw = text.encode("utf-8")
    if mode == "noise":
        raw = noise
    elif mode == "spliced":
        cut = len(raw) // 2
        raw = raw[:cut] + noise + raw[cut:]
    with _repo({f"records/fuzz/{record_id}.yaml": raw}) as repo:
        _validate(repo)


CSV_HEADERS = st.sampled_from([
    ["id", "status", "material", "quantity", "manufactured", "consumes"],
    ["id", "status", "lot", "serial", "udi", "manufactured"],
    ["id", "title", "status", "quantity"],
    ["", "id", "id"],
])
CSV_CELLS = st.one_of(AWKWARD_TEXT, st.text(alphabet=string.printable + "\x00\x01\x1bé;,\"", max_size=15),
                      st.integers(min_value=-(10**15), max_value=10**15).map(str))


@settings(FUZZ, max_examples=EXAMPLES or 150)
@given(header=CSV_HEADERS, rows=st.lists(st.lists(CSV_CELLS, min_size=1, max_size=7), max_size=5),
       name=st.sampled_from(["lots.csv", "serial_units.csv", "shipments.csv", "notes.csv"]),
       noise=st.binary(max_size=30), mode=st.sampled_from(["rows", "rows", "noise"]))
def test_csv_bulk_files(header: list[str], rows: list[list[str]], name: str, noise: bytes, mode: str) -> None:
    import csv

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    raw = text.getvalue().encode("utf-8") if mode == "rows" else noise
    with _repo({f"records/production/{name}": raw}) as repo:
        _validate(repo)


SHEET_NAMES = st.sampled_from(["Lots", "Serial units", "Shipments", "Receipts", "Inspections", "FMEA", "_Notes",
                               "Other"])
CELL_VALUES = st.one_of(
    AWKWARD_TEXT,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=__import__("datetime").date(1900, 3, 1)),
    st.none(),
)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _cell(value: object) -> object:
    """openpyxl refuses to write control characters (the hostile-files tests plant them in the XML)
    and would store '=…' as a formula; keep both out of these generated sheets."""
    if isinstance(value, str):
        value = _NOT_XML.sub("", value)
        return "'" + value if value.startswith("=") else value
    return value


def _workbook_bytes(sheets: list[tuple[str, list[str], list[list[object]]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, (name, header, rows) in enumerate(sheets):
        sheet = book.create_sheet(f"{name}{i or ''}" if name in book.sheetnames else name)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(FUZZ, max_examples=EXAMPLES or 150)
@given(sheets=st.lists(st.tuples(SHEET_NAMES, st.lists(FIELDS, min_size=1, max_size=6),
                                 st.lists(st.lists(CELL_VALUES, max_size=6), max_size=4)), min_size=1, max_size=3),
       flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=3))
def test_workbooks(sheets: list, flips: list[tuple[int, int]]) -> None:
    raw = bytearray(_workbook_bytes(sheets))
    for where, byte in flips:  # flipped bytes exercise the corrupt-workbook paths (bad CRC, bad XML)
        raw[where % len(raw)] = byte
    with _repo({"records/production/production.xlsx": bytes(raw)}) as repo:
        _validate(repo)
