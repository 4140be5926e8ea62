"""Hostile files and workbooks: each ends as a located finding and exit 1 or 2, never a crash or a hang.

Every hostile input is built here at run time (a FIFO, a device node, a sparse 2 GiB file, sheet XML
edited inside the zip) and fed to the real CLI in a subprocess with a timeout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import git, make_repo, run_qms

LIMIT = 60  # seconds: every command here finishes well within this, or the case is a hang
LOT_HEADER = ["id", "lot_type", "material", "status", "quantity", "manufactured"]
LOT_ROW = ["LOT-F-001", "finished", "MAT-100", "released", 200, dt.datetime(2026, 3, 4)]
BOOK = "records/production/lots.xlsx"


def validate(repo: Path) -> tuple[int, list[dict[str, Any]], float]:
    start = time.monotonic()
    proc = run_qms("--repo", str(repo), "validate", "--format", "json", "--no-cache", timeout=LIMIT)
    took = time.monotonic() - start
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode in (1, 2), (proc.returncode, proc.stderr)
    return proc.returncode, json.loads(proc.stdout)["findings"], took


def found(findings: list[dict[str, Any]], code: str) -> list[str]:
    return sorted(f["location"] for f in findings if f["code"] == code)


def workbook(path: Path, sheets: dict[str, list[list[Any]]], hidden: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = (hidden or {}).get(name, "visible")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def edit_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one XML part inside the zip, as a tool (or an attacker) other than Excel would."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == part:
                new = change(data)
                assert new != data, f"{part} unchanged"
                data = new
            zout.writestr(info, data)


SHEET1 = "xl/worksheets/sheet1.xml"


def lots_repo(tmp_path: Path, rows: list[list[Any]] | None = None) -> Path:
    repo = make_repo(tmp_path / "repo")
    workbook(repo / BOOK, {"Lots": [LOT_HEADER, *(rows or [LOT_ROW])]})
    return repo


# --------------------------------------------------------------------------- 1. only regular files, size first


def test_a_fifo_among_the_records_is_refused_without_waiting(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    os.mkfifo(repo / "records/people/USR-002.yaml")
    os.mkfifo(repo / "records/people/lots.csv")
    os.symlink("USR-002.yaml", repo / "records/people/USR-003.yaml")  # a link inside the tree, to the FIFO
    code, findings, took = validate(repo)
    assert code == 2 and took < LIMIT
    assert found(findings, "QMS100") == ["records/people/USR-002.yaml", "records/people/USR-003.yaml",
                                         "records/people/lots.csv"]
    assert all("named pipe (FIFO), not a regular file" in f["message"] for f in findings if f["code"] == "QMS100")


def test_a_device_is_never_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    os.symlink("/dev/zero", repo / "records/people/USR-002.yaml")  # leads outside: refused as before
    try:
        os.mknod(repo / "records/people/USR-003.yaml", 0o600 | 0o020000, os.makedev(1, 5))  # /dev/zero's numbers
    except (PermissionError, OSError):
        pytest.skip("this machine does not allow creating device nodes")
    code, findings, took = validate(repo)
    assert code == 2 and took < LIMIT
    assert found(findings, "QMS100") == ["records/people/USR-002.yaml", "records/people/USR-003.yaml"]
    device = next(f for f in findings if f["location"] == "records/people/USR-003.yaml")
    assert device["message"] == "cannot read file: it is a character device, not a regular file"


def test_a_2_gib_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    for rel in ("records/people/USR-002.yaml", "records/production/lots.csv", BOOK):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(repo / rel, "wb") as fh:
            fh.truncate(2 << 30)  # sparse: no disk, and reading it whole would take seconds and 2 GiB
    code, findings, took = validate(repo)
    assert code == 2 and took < 20
    assert found(findings, "QMS103") == ["records/people/USR-002.yaml", "records/production/lots.csv", BOOK]
    yaml_one = next(f for f in findings if f["location"] == "records/people/USR-002.yaml")
    assert yaml_one["message"] == "file is 2,147,483,648 bytes; a record may hold at most 1,048,576"


def test_data_files_records_name_are_stat_checked_too(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    data = repo / "records/coldchain/data"
    data.mkdir(parents=True)
    os.mkfifo(data / "pipe.csv")
    with open(data / "huge.csv", "wb") as fh:
        fh.truncate(2 << 30)
    for cmd in (("mkt", str(data / "pipe.csv")), ("mkt", str(data / "huge.csv")),
                ("capability", str(data / "pipe.csv"), "--column", "x", "--lsl", "1")):
        proc = run_qms("--repo", str(repo), *cmd, timeout=LIMIT)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert "not a regular file" in proc.stderr or "2,147,483,648 bytes" in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- 2. absurd sheet extents


@pytest.mark.parametrize("dimension", ["honest", "A1:B2", None])
def test_a_cell_at_xfd1048576_is_refused_at_that_cell(tmp_path: Path, dimension: str | None) -> None:
    repo = make_repo(tmp_path / "repo")
    book = workbook(repo / BOOK, {"Lots": [LOT_HEADER, LOT_ROW]})
    wb = openpyxl.load_workbook(book)
    wb["Lots"]["XFD1048576"] = "x"
    wb.save(book)
    if dimension != "honest":  # the declared dimension lies or is absent: the cells themselves decide
        edit_part(book, SHEET1, lambda x: re.sub(rb'<dimension ref="[^"]*"/>',
                                                 b'<dimension ref="%s"/>' % dimension.encode() if dimension else b"", x))
    code, findings, took = validate(repo)
    assert code == 2 and took < LIMIT
    assert found(findings, "QMS103") == [f"{BOOK}[Lots]!XFD1048576"]
    assert "LOT-F-001" not in json.dumps([f for f in findings if f["code"] != "QMS103"])


def test_a_reference_beyond_excel_and_odd_attribute_spelling_are_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    book = workbook(repo / BOOK, {"Lots": [LOT_HEADER, LOT_ROW], "Shipments": [["id"]]})
    edit_part(book, SHEET1, lambda x: x.replace(b'<c r="A2"', b"<c r = 'A9000000'", 1))
    edit_part(book, "xl/worksheets/sheet2.xml", lambda x: x.replace(b'<c r="A1"', b"<c r='XFD1048576'", 1))
    code, findings, _ = validate(repo)
    assert code == 2
    assert found(findings, "QMS103") == [f"{BOOK}[Lots]", f"{BOOK}[Shipments]!XFD1048576"]


# --------------------------------------------------------------------------- 3. formulas


def test_formula_cells_are_refused_and_their_cached_values_not_loaded(tmp_path: Path) -> None:
    repo = lots_repo(tmp_path, [LOT_ROW, ["LOT-F-002", "finished", "MAT-100", "released", 5, dt.date(2026, 3, 5)]])
    edit_part(repo / BOOK, SHEET1, lambda x: x.replace(b'<c r="E2" t="n"><v>200</v>', b'<c r="E2"><f>1+1</f><v>999</v>')
              .replace(b'<c r="C3" t="inlineStr"><is><t>MAT-100</t></is>',
                       b'<c r="C3" t="str"><f>[1]Sheet1!A1</f><v>MAT-100</v>'))
    code, findings, _ = validate(repo)
    assert code == 1
    assert found(findings, "QMS111") == [f"{BOOK}[Lots]!C3", f"{BOOK}[Lots]!E2"]
    messages = {f["location"]: f["message"] for f in findings if f["code"] == "QMS111"}
    assert messages[f"{BOOK}[Lots]!E2"].startswith("cell holds a formula (1+1)")
    assert messages[f"{BOOK}[Lots]!C3"].startswith("cell holds a formula ([1]Sheet1!A1)")
    assert all(f["record"] not in ("LOT-F-001", "LOT-F-002") for f in findings if f["code"] != "QMS111")


# --------------------------------------------------------------------------- 4. unread types, hidden sheets


def test_workbooks_of_types_not_read_are_named(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    workbook(repo / "records/production/lots.xlsm", {"Lots": [LOT_HEADER, LOT_ROW]})
    for name in ("old.xls", "bin.xlsb", "calc.ods", "mac.numbers"):
        (repo / "records/production" / name).write_bytes(b"PK\x03\x04 not read")
    (repo / "records/production/data").mkdir()
    (repo / "records/production/data/export.xls").write_bytes(b"a data file, not records")
    code, findings, _ = validate(repo)
    assert code == 2
    assert found(findings, "QMS117") == [f"records/production/{n}" for n in
                                         ("bin.xlsb", "calc.ods", "lots.xlsm", "mac.numbers", "old.xls")]


def test_hidden_and_very_hidden_record_sheets_are_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    workbook(repo / BOOK, {"Lots": [LOT_HEADER, LOT_ROW], "Shipments": [["id", "status"], ["SHP-1", "shipped"]],
                           "_helper": [["anything"]], "_readme": [["Excel wants one visible sheet"]]},
             hidden={"Lots": "veryHidden", "Shipments": "hidden", "_helper": "hidden"})
    code, findings, _ = validate(repo)
    assert code == 1
    assert found(findings, "QMS116") == [f"{BOOK}[Lots]", f"{BOOK}[Shipments]"]
    assert [f["message"] for f in findings if f["location"] == f"{BOOK}[Lots]"] == [
        "sheet 'Lots' is very hidden (Excel's Unhide menu does not show it); its rows were not read"]
    assert not [f for f in findings if f["record"] in ("LOT-F-001", "SHP-1")]


# --------------------------------------------------------------------------- 5. control characters


def test_control_characters_in_csv_and_workbook_cells_are_refused(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {
        "records/production/lots.csv": "id,lot_type,material,status,quantity\n"
                                       "LOT-C-1,component,MAT-001,accepted,5\n"
                                       "LOT-C-2,component,MAT\x00001,accepted,5\n",
    })
    workbook(repo / "records/production/more.xlsx", {"Lots": [LOT_HEADER, LOT_ROW, [
        "LOT-F-002", "finished", "MAT-\x7f", "released", 1, dt.datetime(2026, 3, 4)]]})
    edit_part(repo / "records/production/more.xlsx", SHEET1, lambda x: x.replace(b"MAT-100", b"MAT_x001B_100"))
    code, findings, _ = validate(repo)
    assert code == 2
    assert found(findings, "QMS103") == ["records/production/lots.csv:3", "records/production/more.xlsx[Lots]!C2",
                                         "records/production/more.xlsx[Lots]!C3"]
    messages = sorted(f["message"][:24] for f in findings if f["code"] == "QMS103")
    assert messages == ["character U+0000 is not ", "character U+001B is not ", "character U+007F is not "]


# --------------------------------------------------------------------------- 6. numbers are not dates


def test_a_plain_number_in_a_date_field_is_a_bad_date(tmp_path: Path) -> None:
    repo = lots_repo(tmp_path, [["LOT-F-001", "finished", "MAT-100", "released", 200, 1702080000],
                                ["LOT-F-002", "finished", "MAT-100", "released", 200, 45000],
                                ["LOT-F-003", "finished", "MAT-100", "released", 200, dt.datetime(2026, 3, 4)]])
    (repo / "records/production/receipts.csv").write_text("id,lot_type,material,status,manufactured\n"
                                                          "LOT-C-9,component,MAT-1,accepted,1702080000\n"
                                                          "LOT-C-8,component,MAT-1,accepted,2026-03-04\n")
    (repo / "records/production/receipts.csv").rename(repo / "records/production/lots.csv")
    code, findings, _ = validate(repo)
    assert code == 1
    assert found(findings, "QMS113") == ["records/production/lots.csv:2", f"{BOOK}[Lots]!F2", f"{BOOK}[Lots]!F3"]
    one = next(f for f in findings if f["location"] == f"{BOOK}[Lots]!F2")
    assert one["record"] == "LOT-F-001" and "holds the number 1702080000, not a date" in one["message"]
    assert not [f for f in findings if f["code"] == "QMS112"]  # the number taken out is not "missing"


# --------------------------------------------------------------------------- the same workbooks in qms excel import


@pytest.fixture()
def exported(tmp_path: Path) -> tuple[Path, Path]:
    files = {f"specs/needs/UN-00{i}.yaml": f"id: UN-00{i}\ntitle: Need {i}\nstatus: draft\nstatement: A need.\n"
             for i in (1, 2)}
    repo = make_repo(tmp_path / "repo", files)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "needs")
    book = tmp_path / "needs.xlsx"
    proc = run_qms("--repo", str(repo), "excel", "export", "--kinds", "UN", "--out", str(book))
    assert proc.returncode == 0, proc.stderr
    return repo, book


def _import(repo: Path, book: Path) -> subprocess.CompletedProcess[str]:
    start = time.monotonic()
    proc = run_qms("--repo", str(repo), "excel", "import", str(book), timeout=LIMIT)
    assert time.monotonic() - start < LIMIT
    assert "Traceback" not in proc.stderr, proc.stderr
    assert git(repo, "status", "--porcelain", "--", "specs", "records") == ""  # nothing was written
    return proc


def _cell(ws: Any, record_id: str, field: str) -> Any:
    head = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == record_id)
    return ws.cell(row, head.index(field) + 1)


def test_import_refuses_a_far_cell_before_walking_the_grid(exported: tuple[Path, Path]) -> None:
    repo, book = exported
    wb = openpyxl.load_workbook(book)
    wb["user_need"]["XFD1048576"] = "x"
    _cell(wb["user_need"], "UN-001", "title").value = "Changed"
    wb.save(book)
    proc = _import(repo, book)
    assert proc.returncode == 2
    assert f"{book}[user_need]!XFD1048576: cells reach XFD1048576" in proc.stderr


def test_import_refuses_a_hidden_sheet_and_applies_nothing_from_it(exported: tuple[Path, Path]) -> None:
    repo, book = exported
    wb = openpyxl.load_workbook(book)
    _cell(wb["user_need"], "UN-001", "title").value = "Changed on a hidden sheet"
    wb.create_sheet("_notes")  # Excel wants one visible sheet
    wb["user_need"].sheet_state = "veryHidden"
    wb.save(book)
    proc = _import(repo, book)
    assert proc.returncode == 1
    assert f"{book}[user_need]: error QMS116: sheet 'user_need' is very hidden" in proc.stdout


def test_import_refuses_control_characters_and_numbers_as_dates(exported: tuple[Path, Path]) -> None:
    repo, book = exported
    wb = openpyxl.load_workbook(book)
    ws = wb["user_need"]
    title = _cell(ws, "UN-001", "title")
    title.value = "Bad\x7f title"
    created = _cell(ws, "UN-002", "created")
    created.value = 1702080000
    wb.save(book)
    proc = _import(repo, book)
    assert proc.returncode == 1
    assert f"{book}[user_need]!{title.coordinate} (title): error QMS103: character U+007F is not allowed" in proc.stdout
    assert f"{book}[user_need]!{created.coordinate} (created): error QMS113 [UN-002]: 'created' holds the number " \
           "1702080000, not a date" in proc.stdout
