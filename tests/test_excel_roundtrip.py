"""`qms excel export` / `qms excel import`: real workbooks edited with openpyxl as a person would."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from support import copy_example, git, make_repo, run_qms

from generator.load.repo import load_repository
from generator.model.canonical import content_hash

# --------------------------------------------------------------------------- helpers


def export(repo: Path, out: Path, *args: str) -> None:
    proc = run_qms("--repo", str(repo), "excel", "export", "--out", str(out), *args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def run_import(repo: Path, book: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_qms("--repo", str(repo), "excel", "import", str(book), *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def columns(ws: Any) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value is not None}


def row_of(ws: Any, record_id: str) -> int:
    for cells in ws.iter_rows(min_row=2):
        if cells[0].value == record_id:
            return cells[0].row
    raise KeyError(record_id)


def edit(book: Path, out: Path, cells: dict[tuple[str, str, str], Any],
         rows: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """Set (sheet, record ID, field) cells and append rows, as a person in Excel would; save as `out`."""
    wb = load_workbook(book)
    for (sheet, record_id, name), value in cells.items():
        ws = wb[sheet]
        cell = ws.cell(row_of(ws, record_id), columns(ws)[name])
        cell.value = value
        if isinstance(value, str) and not value.startswith("="):
            cell.data_type = "s"
    for sheet, new_rows in (rows or {}).items():
        ws = wb[sheet]
        for values in new_rows:
            number = ws.max_row + 1
            for name, value in values.items():
                ws.cell(number, columns(ws)[name]).value = value
    wb.save(out)


def changed_files(repo: Path) -> list[str]:
    out = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=repo, capture_output=True, text=True,
                         check=True).stdout
    return sorted(line[3:] for line in out.splitlines())


def diff_lines(repo: Path, rel: str) -> list[str]:
    out = git(repo, "diff", "-U0", "--", rel).splitlines()
    return [line for line in out if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed worked example; each test copies it (tests write into their copy)."""
    return copy_example(tmp_path_factory.mktemp("example") / "repo")


def fresh(example: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(example), str(repo)], check=True)
    return repo


# --------------------------------------------------------------------------- the "done when"


def test_a_record_no_cell_can_keep_is_left_out_and_left_alone(example: Path, tmp_path: Path) -> None:
    # PRC-020's in-process controls are a list whose items hold ';', the cell list separator: the export leaves the
    # record out and says why (exit 0, the rest exported), and importing the untouched workbook changes nothing.
    import openpyxl

    repo = fresh(example, tmp_path)
    book = tmp_path / "all.xlsx"
    proc = run_qms("--repo", str(repo), "excel", "export", "--out", str(book))
    assert proc.returncode == 0, proc.stderr
    left_out = [line.split(" ", 3)[2] for line in proc.stderr.splitlines() if line.startswith("not exported: ")]
    assert left_out == ["PRC-020", "PRC-050", "PRC-060", "PRC-070", "PRC-080"]
    assert "process_step 3," in proc.stdout  # PRC-010, PRC-030, PRC-040
    ids = [row[0] for row in openpyxl.load_workbook(book, read_only=True)["process_step"].iter_rows(min_row=2,
                                                                                                  values_only=True)]
    assert ids == ["PRC-010", "PRC-030", "PRC-040"]
    proc = run_import(repo, book)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert changed_files(repo) == []


def test_three_edits_and_a_new_row_land_exactly_with_comments_intact(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book)
    mat_before = (repo / "records/materials/MAT-001.yaml").read_text()
    edit(book, edited, {
        ("material", "MAT-001", "title"): "FlowSure VP-200 volumetric infusion pump, rev. C",
        ("supplier", "SUP-003", "requalification_due"): dt.datetime(2027, 1, 29),  # a typed date
        ("requirement", "REQ-0002", "status"): "in_review",
    }, {"document": [{"id": "DOC-014", "title": "Editing records in Excel", "status": "draft", "owner": "USR-003",
                      "created": dt.date(2026, 11, 2), "type": "work_instruction",
                      "revision": "A", "training_roles": "ROLE-QA; ROLE-ENG"}]})
    proc = run_import(repo, edited)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert changed_files(repo) == ["records/documents/DOC-014.yaml", "records/materials/MAT-001.yaml",
                                   "records/suppliers/SUP-003.yaml", "specs/requirements/REQ-0002.yaml"]
    assert diff_lines(repo, "records/materials/MAT-001.yaml") == [
        "-title: FlowSure VP-200 volumetric infusion pump",
        "+title: FlowSure VP-200 volumetric infusion pump, rev. C"]
    assert diff_lines(repo, "records/suppliers/SUP-003.yaml") == [
        "-requalification_due: 2027-03-03", "+requalification_due: 2027-01-29"]
    assert diff_lines(repo, "specs/requirements/REQ-0002.yaml") == ["-status: approved", "+status: in_review"]
    mat_after = (repo / "records/materials/MAT-001.yaml").read_text()
    assert mat_after.startswith("# Finished device. GTIN-14 with GS1 check digit;")
    assert 'gtin: "05391234562002"' in mat_after
    assert mat_after.replace(", rev. C", "") == mat_before
    assert "# The ISO 9001 certificate expires on 2027-02-12" in (repo / "records/suppliers/SUP-003.yaml").read_text()
    assert (repo / "records/documents/DOC-014.yaml").read_text() == (
        "id: DOC-014\ntitle: Editing records in Excel\nstatus: draft\nowner: USR-003\ncreated: 2026-11-02\n"
        "type: work_instruction\nrevision: A\ntraining_roles: [ROLE-QA, ROLE-ENG]\n")
    assert "changed REQ-0002 in specs/requirements/REQ-0002.yaml\n" \
           '    status: "approved" -> "in_review"\n' in proc.stdout
    assert "imported: 12 field change(s) in 4 record(s) (1 new), 4 file(s) written" in proc.stdout
    # The imported repository still loads: the new document is a record like any other.
    ids = {r.id for r, _ in load_repository(repo, use_cache=False).records}
    assert "DOC-014" in ids


def test_a_bad_value_in_one_row_writes_nothing_and_names_the_cell(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "REQ,HS")
    wb = load_workbook(book)
    hs_row = row_of(wb["hazardous_situation"], "HS-003")
    sev_col = columns(wb["hazardous_situation"])["initial_risk.severity"]
    edit(book, edited, {
        ("requirement", "REQ-0001", "title"): "Flow rate accuracy, all rates",  # fine on its own
        ("hazardous_situation", "HS-003", "initial_risk.severity"): "high",  # not a number
    })
    proc = run_import(repo, edited)
    assert proc.returncode == 1
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[sev_col - 1]
    where = f"{edited}[hazardous_situation]!{letter}{hs_row} (initial_risk.severity)"
    assert f"{where}: error QMS111 [HS-003]: 'initial_risk.severity':" in proc.stdout
    assert "nothing imported: 1 error(s), 0 conflict(s)" in proc.stdout
    assert changed_files(repo) == []


def test_a_link_to_a_missing_record_is_a_cross_record_error_at_its_cell(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "REQ")
    edit(book, edited, {("requirement", "REQ-0004", "derived_from"): "UN-002; UN-077"})
    proc = run_import(repo, edited, "--format", "json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    col = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[columns(load_workbook(book)["requirement"])["derived_from"] - 1]
    assert [(e["code"], e["record"], e["location"], e["field"]) for e in out["errors"]] == [
        ("QMS122", "REQ-0004", f"{edited}[requirement]!{col}5", "derived_from")]
    assert out["applied"] is False and out["changes"] == []
    assert changed_files(repo) == []


def test_formula_looking_title_survives_the_round_trip_as_text(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited, again = tmp_path / "all.xlsx", tmp_path / "edited.xlsx", tmp_path / "again.xlsx"
    export(repo, book, "--kinds", "REQ")
    title = '=HYPERLINK("http://evil.example","Flow")'
    wb = load_workbook(book)
    ws = wb["requirement"]
    cell = ws.cell(row_of(ws, "REQ-0001"), columns(ws)["title"])
    cell.value, cell.data_type = title, "s"  # typed with a leading apostrophe in Excel: text
    wb.save(edited)
    assert run_import(repo, edited).returncode == 0
    assert diff_lines(repo, "specs/requirements/REQ-0001.yaml") == [
        "-title: Flow rate accuracy", f"+title: {title}"]
    git(repo, "commit", "-qam", "formula-looking title")
    export(repo, again, "--kinds", "REQ")
    ws = load_workbook(again)["requirement"]
    cell = ws.cell(row_of(ws, "REQ-0001"), columns(ws)["title"])
    assert (cell.value, cell.data_type, cell.quotePrefix) == (title, "s", True)
    assert run_import(repo, again).stdout.endswith("matches the records\n")
    assert changed_files(repo) == []


def test_a_formula_in_a_cell_is_rejected_with_its_location(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "HAZ")
    edit(book, edited, {("hazard", "HAZ-002", "title"): '=CONCAT("Under","-infusion")'})
    proc = run_import(repo, edited)
    assert proc.returncode == 1
    # One cause, one finding, naming its record: not also "required field 'title' is missing" for the same cell.
    assert f"{edited}[hazard]!B3 (title): error QMS111 [HAZ-002]: cell holds a formula" in proc.stdout
    assert "QMS112" not in proc.stdout
    assert "1 error(s), 0 conflict(s)" in proc.stdout
    assert changed_files(repo) == []


# --------------------------------------------------------------------------- conflicts, removed rows, dry run


def test_a_record_changed_in_git_since_the_export_is_a_conflict(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "HAZ")
    path = repo / "records/risk/hazards/HAZ-002.yaml"
    path.write_text(path.read_text().replace("status: approved", "status: obsolete"))
    git(repo, "commit", "-qam", "retire HAZ-002")
    edit(book, edited, {("hazard", "HAZ-002", "title"): "Under-infusion", ("hazard", "HAZ-003", "category"):
                        "biological"})
    proc = run_import(repo, edited)
    assert proc.returncode == 1
    assert f"{edited}[hazard]!A3 (id): conflict [HAZ-002]: changed in the repository since the export" in proc.stdout
    assert '    status: sheet "approved", repository "obsolete"' in proc.stdout
    assert "nothing imported: 0 error(s), 1 conflict(s)" in proc.stdout
    assert changed_files(repo) == []  # HAZ-003's edit waits too: all or nothing


def test_rows_removed_from_the_sheet_never_delete_records(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "HARM")
    wb = load_workbook(book)
    ws = wb["harm"]
    ws.delete_rows(row_of(ws, "HARM-002"))
    wb.save(edited)
    proc = run_import(repo, edited)
    assert proc.returncode == 0
    assert "note: 1 exported record(s) are not in the workbook and were left as they are (records are never " \
           "deleted; retire one by its status): HARM-002" in proc.stdout
    assert changed_files(repo) == []


def test_dry_run_prints_the_field_changes_and_writes_nothing(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "REQ")
    edit(book, edited, {("requirement", "REQ-0005", "tags"): "alarm; safety",
                        ("requirement", "REQ-0005", "verification_method"): None})
    proc = run_import(repo, edited, "--dry-run")
    assert proc.returncode == 0, proc.stdout
    block = proc.stdout.split("would change REQ-0005 in specs/requirements/REQ-0005.yaml\n", 1)[1]
    assert block.startswith('    tags[0]: (none) -> "alarm"\n    tags[1]: (none) -> "safety"\n'
                            '    verification_method: "test" -> (none)\n')
    assert "dry run: 3 field change(s) in 1 record(s) (0 new), 1 file(s) would be written; nothing written" \
           in proc.stdout
    assert changed_files(repo) == []


# --------------------------------------------------------------------------- bulk kinds live in their workbooks


def test_lots_are_changed_and_added_in_their_own_workbook(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "LOT,SN")
    edit(book, edited, {("lot", "LOT-C-0002", "quantity"): "95"},  # a number stored as text
         {"serial_unit": [{"id": "SN-VP2-2601-099", "status": "in_production", "lot": "LOT-F-2601",
                           "serial": "VP2-2601-099", "manufactured": dt.date(2026, 2, 10)}]})
    proc = run_import(repo, edited)
    assert proc.returncode == 0, proc.stdout
    assert changed_files(repo) == ["records/production/production.xlsx"]
    wb = load_workbook(repo / "records/production/production.xlsx")
    assert wb.sheetnames == ["Lots", "Serial units", "Shipments", "_Notes"]
    lots = wb["Lots"]
    assert lots.cell(row_of(lots, "LOT-C-0002"), columns(lots)["quantity"]).value == 95
    units = wb["Serial units"]
    last = units.max_row
    assert [c.value for c in units[last]][:6] == ["SN-VP2-2601-099", "in_production", "LOT-F-2601", "VP2-2601-099",
                                              None, dt.datetime(2026, 2, 10)]
    before = {r.id: content_hash(r) for r, s in load_repository(example, use_cache=False).records}
    after = {r.id: content_hash(r) for r, s in load_repository(repo, use_cache=False).records}
    assert {k for k in after if before.get(k) != after[k]} == {"LOT-C-0002", "SN-VP2-2601-099"}


# --------------------------------------------------------------------------- the export itself


def test_export_sheet_has_comments_dropdowns_frozen_filtered_header_dates_and_meta(example: Path,
                                                                                     tmp_path: Path) -> None:
    book, twice = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export(example, book, "--kinds", "HAZ,HS", "--where", "status=approved")
    export(example, twice, "--kinds", "HAZ,HS", "--where", "status=approved")
    assert book.read_bytes() == twice.read_bytes()
    wb = load_workbook(book)
    assert wb.sheetnames == ["hazard", "hazardous_situation", "_lists", "_meta"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "hidden", "hidden"]
    ws = wb["hazardous_situation"]
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    assert head[:3] == ["id", "title", "status"]
    assert "initial_risk.severity" in head and "hazard" in head
    assert ws.cell(1, head.index("hazard") + 1).comment.text == "The hazard"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{ws.max_row}"
    created = ws.cell(2, head.index("created") + 1)
    assert created.is_date and created.number_format == "yyyy-mm-dd"
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = validations["C2:C1048576"]
    lists = wb["_lists"]
    ref = status.formula1
    letter = ref.split("!$")[1][0]
    assert [c.value for c in lists[letter] if c.value] == ["draft", "in_review", "approved", "obsolete"]
    hazard_col = ws.cell(1, head.index("hazard") + 1).column_letter
    hazard_ref = validations[f"{hazard_col}2:{hazard_col}1048576"].formula1
    ids = [c.value for c in lists[hazard_ref.split("!$")[1][0]] if c.value]
    assert ids == sorted(ids) and ids[0] == "HAZ-001" and all(i.startswith("HAZ-") for i in ids)
    meta = list(wb["_meta"].iter_rows(values_only=True))
    head_commit = git(example, "rev-parse", "HEAD")
    assert meta[0] == ("export_commit", head_commit, None, None, None, None)
    assert meta[3] == ("id", "kind", "sheet", "row", "content_hash", "status")
    hashes = {r.id: content_hash(r) for r, _ in load_repository(example, use_cache=False).records}
    rows = [row for row in meta[4:] if row[0]]
    assert all(row[4] == hashes[row[0]] and row[5] == "approved" for row in rows)
    assert {row[0] for row in rows if row[1] == "hazard"} == {
        r.id for r, _ in load_repository(example, use_cache=False).records
        if r.KIND == "hazard" and r.status == "approved"}


def test_text_excel_would_run_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    titles = {"UN-001": "=1+1", "UN-002": "+44 20 7946 0000", "UN-003": "-3 dB at the alarm",
              "UN-004": "@SUM(A1)", "UN-005": "#N/A"}
    files = {f"specs/needs/{i}.yaml": f"id: {i}\ntitle: '{t}'\nstatus: draft\nstatement: A need.\n"
             for i, t in titles.items()}
    repo = make_repo(tmp_path / "repo", files)
    book = tmp_path / "needs.xlsx"
    export(repo, book, "--kinds", "UN")
    ws = load_workbook(book)["user_need"]
    got = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 2).data_type, ws.cell(r, 2).quotePrefix)
           for r in range(2, 7)}
    assert got == {"UN-001": ("=1+1", "s", True), "UN-002": ("+44 20 7946 0000", "s", True),
                   "UN-003": ("-3 dB at the alarm", "s", True), "UN-004": ("@SUM(A1)", "s", True),
                   "UN-005": ("#N/A", "s", False)}
    proc = run_import(repo, book)  # no git here: no commit in _meta, still a clean no-op
    assert proc.returncode == 0 and proc.stdout.endswith("matches the records\n")


# --------------------------------------------------------------------------- workbooks as people leave them


def test_empty_rows_extra_sheets_hidden_columns_text_numbers_and_typed_dates(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "VER,HS")
    wb = load_workbook(book)
    ver = wb["verification"]
    ver.insert_rows(5, 2)  # two empty rows in the middle
    ver.column_dimensions["D"].hidden = True
    notes = wb.create_sheet("My notes")
    notes["A1"] = "remember to check VER-004"
    hs = wb["hazardous_situation"]
    col = columns(hs)
    hs.cell(row_of(hs, "HS-002"), col["initial_risk.probability"]).value = "3"  # number stored as text
    vr = row_of(ver, "VER-003")
    ver.cell(vr, columns(ver)["created"]).value = dt.datetime(2024, 5, 6)  # typed date, time 00:00
    wb.save(edited)
    proc = run_import(repo, edited)
    assert proc.returncode == 0, proc.stdout
    assert "note: sheet 'My notes' names no record kind; it was ignored" in proc.stdout
    changed = changed_files(repo)
    hs_file = "records/risk/situations/HS-002.yaml"
    old_probability = [line for line in (example / hs_file).read_text().splitlines() if "probability" in line]
    expected = ["records/verification/VER-003.yaml"]
    if old_probability[0].strip() != "probability: 3":
        expected.insert(0, hs_file)
    assert changed == expected
    created = [line for line in diff_lines(repo, "records/verification/VER-003.yaml")]
    assert created[-1] == "+created: 2024-05-06"


def test_a_date_with_a_time_of_day_is_not_a_date(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "HAZ")
    edit(book, edited, {("hazard", "HAZ-001", "created"): dt.datetime(2024, 3, 18, 14, 30)})
    proc = run_import(repo, edited)
    assert proc.returncode == 1
    assert f"{edited}[hazard]!E2 (created): error QMS113 [HAZ-001]: 'created' is not a real date" in proc.stdout


def test_a_workbook_not_from_export_is_refused(example: Path, tmp_path: Path) -> None:
    proc = run_import(example, example / "records/production/production.xlsx")
    assert proc.returncode == 2
    assert "has no _meta sheet: it was not written by `qms excel export`" in proc.stderr
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    proc = run_import(example, bad)
    assert proc.returncode == 2 and "not a valid .xlsx workbook" in proc.stderr


def test_unknown_kind_or_field_for_export_is_a_usage_error(example: Path, tmp_path: Path) -> None:
    proc = run_qms("--repo", str(example), "excel", "export", "--kinds", "XYZ", "--out", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "'XYZ' is not a record kind" in proc.stderr
    proc = run_qms("--repo", str(example), "excel", "export", "--kinds", "POL", "--out", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "policy records cannot be exported" in proc.stderr
    proc = run_qms("--repo", str(example), "excel", "export", "--kinds", "REQ", "--where", "colour=red",
                   "--out", str(tmp_path / "x.xlsx"))
    assert proc.returncode == 2 and "'colour' is not a column of requirement records" in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_the_whole_example_exports_and_imports_back_without_a_change(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book = tmp_path / "all.xlsx"
    export(repo, book)
    sheets = load_workbook(book, read_only=True).sheetnames
    assert "policy" not in sheets and {"lot", "serial_unit", "fmea", "receipt", "requirement"} <= set(sheets)
    proc = run_import(repo, book, "--format", "json")
    assert proc.returncode == 0, proc.stdout
    out = json.loads(proc.stdout)
    assert (out["changes"], out["errors"], out["conflicts"], out["not_in_workbook"], out["applied"]) == (
        [], [], [], [], False)
    assert out["export_commit"] == git(repo, "rev-parse", "HEAD")
    assert changed_files(repo) == []


def test_every_exported_sheet_name_reads_back_as_its_kind() -> None:
    from generator.excel.sheets import columns as kind_columns
    from generator.model import KINDS, kind_of_sheet

    exported = [k for k in KINDS.values() if kind_columns(k)]
    assert [k.name for k in KINDS.values() if not kind_columns(k)] == ["policy"]
    assert all(kind_of_sheet(k.name) is k and len(k.name) <= 31 for k in exported)


def test_a_required_value_left_out_and_an_error_value_are_located(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "REQ")
    wb = load_workbook(book)
    ws = wb["requirement"]
    cols = columns(ws)
    ws.cell(row_of(ws, "REQ-0003", ), cols["statement"]).value = None
    ws.cell(row_of(ws, "REQ-0004", ), cols["rationale"]).value = "#N/A"  # an Excel error value, not text
    wb.save(edited)
    proc = run_import(repo, edited)
    assert proc.returncode == 1
    statement, rationale = (ws.cell(1, cols[n]).column_letter for n in ("statement", "rationale"))
    lines = proc.stdout.splitlines()
    assert f"{edited}[requirement]!{rationale}5 (rationale): error QMS111 [REQ-0004]: cell holds the Excel error #N/A " \
           "(type the value itself)" in lines
    assert f"{edited}[requirement]!{statement}4 (statement): error QMS112 [REQ-0003]: required field " \
           "'statement' is missing (add 'statement:' to the record)" in lines
    assert changed_files(repo) == []


def test_follow_ups_of_an_edit_are_reported_and_do_not_block(example: Path, tmp_path: Path) -> None:
    repo = fresh(example, tmp_path)
    book, edited = tmp_path / "all.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "REQ")
    edit(book, edited, {("requirement", "REQ-0001", "title"): "Flow rate accuracy over the full range"})
    proc = run_import(repo, edited, "--format", "json")
    assert proc.returncode == 0, proc.stdout
    out = json.loads(proc.stdout)
    assert out["applied"] is True
    assert [c["fields"] for c in out["changes"]] == [[{"field": "title", "old": "Flow rate accuracy",
                                                       "new": "Flow rate accuracy over the full range"}]]
    # Downstream links turn suspect, and the approved requirement now holds content no one signed.
    assert {(f["code"], f["record"]) for f in out["follow_ups"]} == {
        ("QMS207", "DO-001"), ("QMS207", "DO-010"), ("QMS207", "VER-001"), ("QMS207", "REQ-0003"),
        ("QMS600", "REQ-0001"), ("QMS601", "REQ-0001")}
    assert changed_files(repo) == ["specs/requirements/REQ-0001.yaml"]


def test_a_failed_write_puts_back_the_files_already_written(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    (repo / "records/people/roles").write_text("a file where the roles folder would be\n")
    user = (repo / "records/people/USR-001.yaml").read_bytes()
    book, edited = tmp_path / "people.xlsx", tmp_path / "edited.xlsx"
    export(repo, book, "--kinds", "USR,ROLE")
    edit(book, edited, {("user", "USR-001", "title"): "Senior quality engineer"},
         {"role": [{"id": "ROLE-QA", "title": "Quality assurance", "status": "active", "may_review": "*"}]})
    proc = run_import(repo, edited, "--dry-run")
    assert "would create ROLE-QA in records/people/roles/ROLE-QA.yaml" in proc.stdout
    assert "would change USR-001 in records/people/USR-001.yaml" in proc.stdout
    proc = run_import(repo, edited)
    assert proc.returncode == 2
    assert proc.stderr.startswith("qms: error: writing records/people/roles/ROLE-QA.yaml failed")
    assert "the files already written were restored, nothing was imported" in proc.stderr
    assert (repo / "records/people/USR-001.yaml").read_bytes() == user
    assert sorted(p.name for p in (repo / "records/people").iterdir()) == ["USR-001.yaml", "roles"]


def test_a_one_field_edit_changes_one_line_in_every_example_record() -> None:
    """The round-trip edit keeps every other line of every YAML record in the example as it was."""
    import difflib

    from support import ROOT

    from generator.edit.fields import set_fields

    files = sorted(p for top in ("records", "specs", "protocols") for p in (ROOT / top).rglob("*.yaml")
                   if "data" not in p.parts)
    assert len(files) > 150
    for path in files:
        text = path.read_text()
        lines = text.splitlines()
        if not any(line.startswith("title: ") and line[7:8] not in "\">|'" for line in lines):
            continue
        nested = next((line.split(":")[0].strip() for i, line in enumerate(lines[1:], 1)
                       if line.startswith("  ") and not line.lstrip().startswith(("-", "#"))
                       and lines[i - 1].endswith(":") and not lines[i - 1].startswith(" ")
                       and line.strip().endswith((": 1", ": 2", ": 3", ": 4", ": 5"))), None)
        changes: dict[tuple[str, ...], Any] = {("title",): "Edited title"}
        parent = None
        if nested is not None:
            parent = next(lines[i - 1][:-1] for i, line in enumerate(lines[1:], 1)
                          if line.strip().startswith(nested + ":") and lines[i - 1].endswith(":"))
            changes[(parent, nested)] = 9
        merged, _ = set_fields(text, changes, name=str(path))
        diff = [d for d in difflib.unified_diff(lines, merged.splitlines(), lineterm="", n=0)
                if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        expected = 2 + (2 if nested is not None else 0)
        assert len(diff) == expected, (path, diff)


def test_export_refuses_a_name_that_is_not_xlsx(example_repo, tmp_path):
    proc = run_qms("--repo", str(example_repo), "excel", "export", "--out", str(tmp_path / "records.txt"))
    assert proc.returncode == 2 and not (tmp_path / "records.txt").exists()
    assert proc.stderr.strip() == f"qms: error: --out {tmp_path / 'records.txt'}: the export is an Excel workbook; name it .xlsx"
