"""Design traceability: the trace analysis, its rules (QMS201-208), `qms trace` and `qms review`.

Small real repositories in tmp folders, the real CLI, and the issue's done-when on a copy of the
worked example.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from support import ROOT, make_repo, run_qms, validate_json

from generator.analysis.trace import latest_result, trace, trace_gaps
from generator.load.repo import load_repository
from generator.model.canonical import content_hash, fingerprint
from generator.recordset import RecordSet
from generator.rules import RULES, Context, check
from generator.rules.trace import trace_findings

AS_OF = dt.date(2026, 11, 25)
FOLDERS = {"UN": "needs", "REQ": "requirements", "DO": "outputs", "VER": "verification", "VAL": "validation",
           "RC": "risk/controls", "HS": "risk/situations", "HAZ": "risk/hazards", "DOC": "documents"}


# --------------------------------------------------------------------------- small records


def _head(record_id: str, status: str) -> str:
    return f"id: {record_id}\ntitle: {record_id} title\nstatus: {status}\nowner: USR-001\n"


def need(record_id: str, status: str = "approved") -> str:
    return _head(record_id, status) + "statement: Nurses need the pump to deliver the dose they set.\n"


def req(record_id: str, *upstream: str, status: str = "approved", statement: str = "The pump shall do it.") -> str:
    text = _head(record_id, status) + f"statement: {statement}\n"
    return text + (f"derived_from: [{', '.join(upstream)}]\n" if upstream else "")


def output(record_id: str, *implements: str, status: str = "approved") -> str:
    return _head(record_id, status) + (f"implements: [{', '.join(implements)}]\n" if implements else "")


def _results(results: tuple[tuple[str, str], ...]) -> str:
    if not results:
        return ""
    return "results:\n" + "".join(f"  - {{date: {day}, result: {outcome}}}\n" for day, outcome in results)


def ver(record_id: str, *targets: str, results=(("2025-03-01", "pass"),), status: str = "approved") -> str:
    return _head(record_id, status) + f"verifies: [{', '.join(targets)}]\n" + _results(results)


def val(record_id: str, *needs: str, results=(("2025-03-01", "pass"),), status: str = "approved") -> str:
    return _head(record_id, status) + f"validates: [{', '.join(needs)}]\n" + _results(results)


def control(record_id: str, *implemented_by: str, status: str = "approved") -> str:
    return _head(record_id, status) + f"type: protective_measure\nimplemented_by: [{', '.join(implemented_by)}]\n"


def repo_of(base: Path, records: dict[str, str]) -> Path:
    """A repository holding each record at records/<kind folder>/<ID>.yaml."""
    files = {f"records/{FOLDERS[rid.split('-')[0]]}/{rid}.yaml": text for rid, text in records.items()}
    return make_repo(base, files)


def path_of(repo: Path, record_id: str) -> Path:
    return repo / "records" / FOLDERS[record_id.split("-")[0]] / f"{record_id}.yaml"


def loaded(repo: Path) -> RecordSet:
    result = load_repository(repo, use_cache=False)
    return RecordSet(result.records, result.config)


def trace_codes(repo: Path, skip: tuple[str, ...] = ("QMS208",)) -> list[tuple[str, str, str | None]]:
    """(code, location, record) of the traceability findings of a full check, in report order."""
    rs = loaded(repo)
    report = check(rs, [], AS_OF)
    return [(f.code, str(f.location), f.record) for f in report.findings
            if f.code.startswith("QMS2") and f.code not in skip]


def findings_of(repo: Path, code: str) -> list:
    rs = loaded(repo)
    return [f for f in check(rs, [], AS_OF).findings if f.code == code]


# A repository with a bit of everything, whose coverage is worked out by hand in the test below.
MIXED = {
    "UN-001": need("UN-001"),
    "UN-002": need("UN-002"),  # no requirement, no validation
    "UN-003": need("UN-003", status="obsolete"),  # retired: expects nothing
    "REQ-0001": req("REQ-0001", "UN-001"),
    "REQ-0002": req("REQ-0002", "REQ-0001"),  # reaches UN-001 through its parent
    "REQ-0003": req("REQ-0003", "UN-001", status="draft"),  # a draft needs no verification yet
    "REQ-0004": req("REQ-0004", "UN-001", status="obsolete"),
    "DO-001": output("DO-001", "REQ-0001", "REQ-0002"),
    "DO-002": output("DO-002", "REQ-0004"),  # implements only an obsolete requirement
    "VER-001": ver("VER-001", "REQ-0001"),
    "VER-002": ver("VER-002", "REQ-0002", results=(("2025-01-10", "pass"), ("2025-02-10", "fail"))),
    "VER-003": ver("VER-003", "RC-001"),
    "VER-004": ver("VER-004", "REQ-0002", status="obsolete"),  # an obsolete test verifies nothing
    "VAL-001": val("VAL-001", "UN-001"),
    "RC-001": control("RC-001", "REQ-0002"),
}


# --------------------------------------------------------------------------- the analysis


def test_coverage_rows_and_gaps_on_a_small_repository_worked_by_hand(tmp_path):
    result = trace(loaded(repo_of(tmp_path, MIXED)))
    coverage = {lv.key: (lv.covered, lv.total, lv.percent) for lv in result.coverage}
    assert coverage == {
        "needs_with_requirements": (1, 2, 50.0),  # UN-001 of UN-001, UN-002 (UN-003 is obsolete)
        "needs_validated": (1, 2, 50.0),
        "requirements_with_verification": (2, 2, 100.0),  # REQ-0001, REQ-0002 (draft and obsolete excluded)
        "requirements_verified": (1, 2, 50.0),  # REQ-0002's only live test failed last
        "outputs_linked": (1, 2, 50.0),  # DO-002 implements only an obsolete requirement
        "risk_controls_verified": (1, 1, 100.0),
    }
    rows = {r.id: r for r in result.rows}
    assert [r.id for r in result.rows] == ["REQ-0001", "REQ-0002", "REQ-0003", "REQ-0004", "RC-001"]
    r2 = rows["REQ-0002"]
    assert (r2.upstream, r2.needs, r2.risk_controls, r2.outputs, r2.tests) == (
        ("REQ-0001",), ("UN-001",), ("RC-001",), ("DO-001",), ("VER-002",))
    assert [str(o) for o in r2.results] == ["VER-002: fail (2025-02-10)"]
    assert r2.covered is False and r2.gaps == ("latest result of VER-002: fail (2025-02-10)",)
    assert (rows["REQ-0001"].covered, rows["REQ-0001"].gaps, rows["REQ-0001"].outputs) == (True, (), ("DO-001",))
    assert (rows["REQ-0003"].in_scope, rows["REQ-0003"].covered, rows["REQ-0003"].gaps) == (False, False, ())
    assert (rows["REQ-0004"].needs, rows["REQ-0004"].gaps) == ((), ())
    rc = rows["RC-001"]
    assert (rc.kind, rc.outputs, rc.tests, rc.covered, rc.gaps) == ("risk_control", ("REQ-0002",), ("VER-003",), True, ())
    assert [(g.kind, g.record, str(g.location)) for g in result.gaps] == [
        ("need_without_requirement", "UN-002", "records/needs/UN-002.yaml:1"),
        ("need_without_validation", "UN-002", "records/needs/UN-002.yaml:1"),
        ("orphan_output", "DO-002", "records/outputs/DO-002.yaml:5"),
        ("test_not_passed", "VER-002", "records/verification/VER-002.yaml:8"),
    ]


def test_validate_computes_the_same_gaps_without_the_matrix_rows(tmp_path):
    # `qms validate` reads trace_gaps (no matrix rows); the gaps, their locations and order are trace()'s
    records = {**MIXED, "REQ-0005": req("REQ-0005", "UN-001"),  # approved, no test: a verification gap
               "REQ-0006": req("REQ-0006", "UN-001", status="draft")}
    rs = loaded(repo_of(tmp_path, records))
    gaps = trace_gaps(rs)
    assert [(g.kind, g.record, str(g.location), g.message) for g in gaps] == [
        ("need_without_requirement", "UN-002", "records/needs/UN-002.yaml:1", "no requirement is derived from UN-002"),
        ("need_without_validation", "UN-002", "records/needs/UN-002.yaml:1", "no validation test validates UN-002"),
        ("orphan_output", "DO-002", "records/outputs/DO-002.yaml:5", "DO-002 implements no current requirement or "
                                                                     "risk control"),
        ("requirement_without_verification", "REQ-0005", "records/requirements/REQ-0005.yaml:1",
         "no verification test verifies REQ-0005"),
        ("test_not_passed", "VER-002", "records/verification/VER-002.yaml:8",
         "latest result of VER-002 is fail (2025-02-10)"),
    ]
    assert gaps == trace(rs).gaps


def test_the_same_gaps_as_findings_with_codes_and_locations(tmp_path):
    repo = repo_of(tmp_path, MIXED)
    assert trace_codes(repo) == [
        ("QMS201", "records/needs/UN-002.yaml:1", "UN-002"),
        ("QMS204", "records/needs/UN-002.yaml:1", "UN-002"),
        ("QMS205", "records/outputs/DO-002.yaml:5", "DO-002"),
        ("QMS206", "records/outputs/DO-002.yaml:5", "DO-002"),
        ("QMS203", "records/verification/VER-002.yaml:8", "VER-002"),
    ]
    rs = loaded(repo)
    open_, waived = trace_findings(Context(rs, AS_OF))
    assert waived == [] and sum(f.severity == "error" for f in open_) == 4
    messages = {f.code: f.message for f in open_}
    assert messages["QMS203"] == "latest result of VER-002 is fail (2025-02-10)"
    assert messages["QMS206"] == "'implements' links to REQ-0004, which is obsolete"


def test_latest_result_is_by_date_and_the_later_entry_on_a_tie(tmp_path):
    repo = repo_of(tmp_path, {
        "VER-001": ver("VER-001", results=(("2025-03-01", "pass"), ("2025-01-01", "fail"))),
        "VER-002": ver("VER-002", results=(("2025-01-01", "pass"), ("2025-01-01", "blocked"))),
        "VER-003": ver("VER-003", results=()),
    })
    rs = loaded(repo)
    assert [(o.result, o.date) for o in map(latest_result, rs.of_kind("verification"))] == [
        ("pass", dt.date(2025, 3, 1)), ("blocked", dt.date(2025, 1, 1)), ("none", None)]


def test_needs_reach_through_parents_and_a_derivation_cycle_does_not_hang(tmp_path):
    repo = repo_of(tmp_path, {
        "UN-001": need("UN-001"), "UN-002": need("UN-002"),
        "REQ-0001": req("REQ-0001", "UN-001", "REQ-0003"),
        "REQ-0002": req("REQ-0002", "REQ-0001"),
        "REQ-0003": req("REQ-0003", "REQ-0002", "UN-002"),  # REQ-0001 → REQ-0003 → REQ-0002 → REQ-0001
        "REQ-0004": req("REQ-0004", "REQ-0002"),
    })
    rows = {r.id: r.needs for r in trace(loaded(repo)).rows}
    assert rows == {"REQ-0001": ("UN-001", "UN-002"), "REQ-0002": ("UN-001", "UN-002"),
                    "REQ-0003": ("UN-001", "UN-002"), "REQ-0004": ("UN-001", "UN-002")}


# --------------------------------------------------------------------------- each rule fires, and only where it should


def test_QMS201_need_without_requirement(tmp_path):
    repo = repo_of(tmp_path / "a", {
        "UN-001": need("UN-001"),  # nothing derived from it
        "UN-002": need("UN-002"), "REQ-0001": req("REQ-0001", "UN-002", status="draft"),  # a draft counts
        "UN-003": need("UN-003"), "REQ-0002": req("REQ-0002", "UN-003", status="obsolete"),  # an obsolete does not
        "UN-004": need("UN-004", status="draft"),  # a draft need expects nothing yet
    })
    found = findings_of(repo, "QMS201")
    assert [(str(f.location), f.record, f.severity) for f in found] == [
        ("records/needs/UN-001.yaml:1", "UN-001", "error"), ("records/needs/UN-003.yaml:1", "UN-003", "error")]
    assert found[0].message == "no requirement is derived from UN-001"
    assert found[0].hint == "derive a requirement from UN-001 (derived_from: [UN-001]), or set the need obsolete"


def test_QMS202_requirement_without_verification(tmp_path):
    repo = repo_of(tmp_path, {
        "REQ-0001": req("REQ-0001"),  # no test at all
        "REQ-0002": req("REQ-0002"), "VER-002": ver("VER-002", "REQ-0002", status="obsolete"),
        "REQ-0003": req("REQ-0003"), "VER-003": ver("VER-003", "REQ-0003", results=(), status="draft"),
        "REQ-0004": req("REQ-0004"), "VER-004": ver("VER-004", "REQ-0004", results=(("2025-01-01", "fail"),)),
        "REQ-0005": req("REQ-0005"), "VER-005": ver("VER-005", "REQ-0005"),  # verified
        "REQ-0006": req("REQ-0006", status="draft"),
        "REQ-0007": req("REQ-0007", status="obsolete"),
        "REQ-0008": req("REQ-0008", status="done"),  # not a lifecycle state: QMS124's finding, not a gap
    })
    found = findings_of(repo, "QMS202")
    assert [(str(f.location), f.message) for f in found] == [
        ("records/requirements/REQ-0001.yaml:1", "no verification test verifies REQ-0001"),
        ("records/requirements/REQ-0002.yaml:1", "no verification test verifies REQ-0002"),
        ("records/requirements/REQ-0003.yaml:1", "no passing verification of REQ-0003: VER-003 (draft)"),
    ]
    # REQ-0004's failed test is reported where it stands, once
    assert [f.record for f in findings_of(repo, "QMS203")] == ["VER-004"]


def test_QMS202_leaves_risk_controls_to_the_risk_rules(tmp_path):
    repo = repo_of(tmp_path, {"RC-001": control("RC-001")})
    assert findings_of(repo, "QMS202") == []
    row = trace(loaded(repo)).rows[0]
    assert (row.id, row.covered, row.gaps) == ("RC-001", False, ("no verification test verifies RC-001",))


def test_QMS203_latest_result_fail_blocked_or_missing(tmp_path):
    repo = repo_of(tmp_path, {
        "VER-001": ver("VER-001", results=(("2025-03-01", "pass"), ("2025-01-01", "fail"))),  # latest is the pass
        "VER-002": ver("VER-002", results=(("2025-01-01", "pass"), ("2025-01-01", "blocked"))),
        "VER-003": ver("VER-003", results=()),
        "VER-004": ver("VER-004", results=(), status="draft"),  # a draft protocol is not expected to have run
        "VER-005": ver("VER-005", results=(("2025-01-01", "fail"),), status="obsolete"),
        "VAL-001": val("VAL-001", results=(("2025-01-01", "pass"), ("2025-02-01", "fail"))),
    })
    found = findings_of(repo, "QMS203")
    assert [(str(f.location), f.record, f.message) for f in found] == [
        ("records/validation/VAL-001.yaml:8", "VAL-001", "latest result of VAL-001 is fail (2025-02-01)"),
        ("records/verification/VER-002.yaml:8", "VER-002", "latest result of VER-002 is blocked (2025-01-01)"),
        ("records/verification/VER-003.yaml:1", "VER-003", "VER-003 has no results: it has never been executed"),
    ]
    assert found[0].severity == "error" and "result: pass" in found[0].hint


def test_QMS204_need_without_validation(tmp_path):
    repo = repo_of(tmp_path, {
        "UN-001": need("UN-001"),
        "UN-002": need("UN-002"), "VAL-002": val("VAL-002", "UN-002"),
        "UN-003": need("UN-003"), "VAL-003": val("VAL-003", "UN-003", results=(("2025-01-01", "fail"),)),
        "UN-004": need("UN-004"), "VAL-004": val("VAL-004", "UN-004", status="obsolete"),
        "UN-005": need("UN-005", status="obsolete"),
    })
    found = findings_of(repo, "QMS204")
    assert [(f.record, f.message) for f in found] == [
        ("UN-001", "no validation test validates UN-001"), ("UN-004", "no validation test validates UN-004")]
    assert [f.record for f in findings_of(repo, "QMS203")] == ["VAL-003"]  # UN-003's failure, reported once


def test_QMS205_design_output_that_implements_nothing(tmp_path):
    repo = repo_of(tmp_path, {
        "REQ-0001": req("REQ-0001", status="draft"),
        "REQ-0002": req("REQ-0002", status="obsolete"),
        "DO-001": output("DO-001"),
        "DO-002": output("DO-002", "REQ-0002"),
        "DO-003": output("DO-003", "REQ-0001"),
        "DO-004": output("DO-004"), "RC-001": control("RC-001", "DO-004"),  # implements a risk control
        "DO-005": output("DO-005", status="draft"),
    })
    found = findings_of(repo, "QMS205")
    assert [(str(f.location), f.message) for f in found] == [
        ("records/outputs/DO-001.yaml:1", "DO-001 implements no current requirement or risk control"),
        ("records/outputs/DO-002.yaml:5", "DO-002 implements no current requirement or risk control"),
    ]


def test_QMS206_trace_link_to_a_retired_record(tmp_path):
    doc = "type: sop\nrevision: B\n"
    repo = repo_of(tmp_path, {
        "REQ-0001": req("REQ-0001", status="obsolete"),
        "VER-001": ver("VER-001", "REQ-0001"),
        "VER-002": ver("VER-002", "REQ-0001", status="obsolete"),  # retired itself: no finding
        "DOC-001": _head("DOC-001", "obsolete") + doc,
        "DOC-002": _head("DOC-002", "effective") + doc + "supersedes: [DOC-001]\n",  # not a trace link
    })
    found = findings_of(repo, "QMS206")
    assert [(str(f.location), f.record, f.severity, f.message) for f in found] == [
        ("records/verification/VER-001.yaml:5", "VER-001", "warning",
         "'verifies' links to REQ-0001, which is obsolete"),
    ]


def test_QMS207_suspect_link_names_both_fingerprints_and_review_clears_it(tmp_path):
    repo = repo_of(tmp_path, {
        "UN-001": need("UN-001"),
        "REQ-0001": req("REQ-0001", "{UN-001: 0badf00d}"),
        "REQ-0002": req("REQ-0002", "{UN-001: 0badf00d}", status="obsolete"),  # retired: not reported
    })
    current = fingerprint(loaded(repo).get("UN-001"))
    found = findings_of(repo, "QMS207")
    assert [(str(f.location), f.record, f.severity) for f in found] == [
        ("records/requirements/REQ-0001.yaml:6", "REQ-0001", "error")]
    assert found[0].message == (f"'derived_from' link to UN-001 was reviewed at fingerprint 0badf00d; "
                                f"UN-001 is now {current}")
    assert found[0].hint == "check REQ-0001 still fits the change, then run `qms review REQ-0001`"
    proc = run_qms("--repo", str(repo), "review", "REQ-0001")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (f"REQ-0001 (records/requirements/REQ-0001.yaml):\n"
                           f"  derived_from UN-001: 0badf00d -> {current}\n"
                           f"1 link(s) stamped in 1 record(s); 0 already up to date\n")
    assert findings_of(repo, "QMS207") == []


def test_QMS208_unreviewed_trace_link_on_an_approved_record(tmp_path):
    repo = repo_of(tmp_path, {
        "UN-001": need("UN-001"),
        "REQ-0001": req("REQ-0001", "UN-001"),
        "REQ-0002": req("REQ-0002", "UN-001", status="draft"),
        "HAZ-001": _head("HAZ-001", "approved"),
        "HS-001": _head("HS-001", "approved") + "hazard: HAZ-001\n",  # not a design trace role
    })
    fp = fingerprint(loaded(repo).get("UN-001"))
    found = findings_of(repo, "QMS208")
    assert [(str(f.location), f.record, f.severity, f.message) for f in found] == [
        ("records/requirements/REQ-0001.yaml:6", "REQ-0001", "warning",
         "'derived_from' link to UN-001 carries no review stamp")]
    path_of(repo, "REQ-0001").write_text(req("REQ-0001", f"{{UN-001: {fp}}}"))
    assert findings_of(repo, "QMS208") == []


def test_the_rules_are_registered_in_the_design_area():
    codes = {code: RULES[code] for code in RULES if code.startswith("QMS2")}
    assert {c: (r.severity, r.title) for c, r in codes.items()} == {
        "QMS201": ("error", "User need without requirement"),
        "QMS202": ("error", "Requirement without verification"),
        "QMS203": ("error", "Test's latest result is a fail or missing"),
        "QMS204": ("error", "User need without validation"),
        "QMS205": ("error", "Design output implements nothing"),
        "QMS206": ("warning", "Trace link to a retired record"),
        "QMS207": ("error", "Suspect link: target changed since review"),
        "QMS208": ("warning", "Trace link not reviewed"),
        "QMS209": ("error", "Approved requirement without a design output"),
    }
    assert all(r.area == "design" and r.check is not None and "820.30" in r.clause for r in codes.values())


# --------------------------------------------------------------------------- qms trace


def test_trace_json_contract_and_exit_code(tmp_path):
    repo = repo_of(tmp_path, MIXED)
    proc = run_qms("--repo", str(repo), "trace", "--format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"requirements", "coverage", "gaps"}
    for item in out["requirements"]:
        assert {"id", "needs", "tests", "covered"} <= set(item) and isinstance(item["covered"], bool)
    by_id = {item["id"]: item for item in out["requirements"]}
    assert by_id["REQ-0002"]["needs"] == ["UN-001"] and by_id["REQ-0002"]["tests"] == ["VER-002"]
    assert by_id["REQ-0002"]["results"] == [{"test": "VER-002", "result": "fail", "date": "2025-02-10"}]
    assert out["coverage"]["requirements_verified"] == {
        "key": "requirements_verified", "label": "Requirements verified (latest result pass)",
        "covered": 1, "total": 2, "percent": 50.0}
    assert [g["record"] for g in out["gaps"]] == ["UN-002", "UN-002", "DO-002", "VER-002"]


def test_trace_text_shows_coverage_and_gaps(tmp_path):
    repo = repo_of(tmp_path, MIXED)
    proc = run_qms("--repo", str(repo), "trace")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    # 4 requirements, 2 of them draft or obsolete: the coverage below counts the other 2
    assert lines[0] == "Trace matrix: 4 requirement(s) (2 draft or obsolete, not in the coverage), 1 risk control(s)"
    assert "Requirements verified (latest result pass)                    1      2   50.0%" in lines
    assert "records/verification/VER-002.yaml:8: error QMS203 [VER-002]: latest result of VER-002 is fail (2025-02-10)" \
        in lines


def test_trace_exits_2_on_bad_usage(tmp_path):
    repo = repo_of(tmp_path, {})
    for args in (["trace", "--out", str(tmp_path / "matrix.csv")], ["trace", "--format", "xml"]):
        proc = run_qms("--repo", str(repo), *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr


def test_trace_workbook_cells_fills_frozen_header_filter_and_identical_bytes(tmp_path):
    repo = repo_of(tmp_path / "repo", MIXED)
    first, second = tmp_path / "one.xlsx", tmp_path / "two.xlsx"
    assert run_qms("--repo", str(repo), "trace", "--out", str(first)).returncode == 1
    assert run_qms("--repo", str(repo), "trace", "--format", "json", "--out", str(second)).returncode == 1
    assert first.read_bytes() == second.read_bytes()
    wb = openpyxl.load_workbook(first)
    assert wb.sheetnames == ["Matrix", "Summary", "Gaps"]
    ws = wb["Matrix"]
    assert [c.value for c in ws[1]] == [
        "ID", "Kind", "Title", "Type", "Status", "User needs", "Derived from / mitigates", "Risk controls",
        "Implemented by", "Verification tests", "Latest results", "Covered", "Gaps"]
    assert [c.value for c in ws[3]] == [
        "REQ-0002", "requirement", "REQ-0002 title", None, "approved", "UN-001", "REQ-0001", "RC-001", "DO-001",
        "VER-002", "VER-002: fail (2025-02-10)", "no", "latest result of VER-002: fail (2025-02-10)"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M6"
    assert ws.column_dimensions["C"].width == 36
    assert {c.fill.fgColor.rgb for c in ws[3]} == {"00F8CBAD"}  # the gap row is red end to end
    assert ws["A2"].fill.fgColor.rgb != "00F8CBAD" and ws["L2"].fill.fgColor.rgb == "00C6EFCE"
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows(min_row=2)]
    assert summary[3] == ["Requirements verified (latest result pass)", 1, 2, 50]
    assert wb["Summary"]["A5"].fill.fgColor.rgb == "00F8CBAD"
    gaps = [[c.value for c in row] for row in wb["Gaps"].iter_rows(min_row=2)]
    assert gaps[-1] == ["VER-002", "test not passed", "records/verification/VER-002.yaml:8",
                        "latest result of VER-002 is fail (2025-02-10)"]


# --------------------------------------------------------------------------- qms review


def test_review_stamps_in_place_keeping_comments_order_and_quoting(tmp_path):
    original = (
        "# Design input for the occlusion alarm.\n"
        "id: REQ-0002\n"
        "title: 'Occlusion alarm'\n"
        "status: approved  # approved at DR-4\n"
        "owner: USR-001\n"
        "statement: >-\n"
        "  The pump shall alarm within 30 s of a downstream occlusion at\n"
        "  any rate from 1 to 999 mL/h.\n"
        "derived_from:\n"
        "  - UN-001   # the need\n"
        "  - {REQ-0001: 0badf00d}\n"
        "type: safety\n"
    )
    repo = repo_of(tmp_path, {"UN-001": need("UN-001"), "REQ-0001": req("REQ-0001", "UN-001"),
                              "REQ-0002": original})
    rs = loaded(repo)
    before_hash = content_hash(rs.get("REQ-0002"))
    un, r1 = fingerprint(rs.get("UN-001")), fingerprint(rs.get("REQ-0001"))
    proc = run_qms("--repo", str(repo), "review", "REQ-0002")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:3] == [f"  derived_from UN-001: not reviewed -> {un}",
                                             f"  derived_from REQ-0001: 0badf00d -> {r1}"]
    text = path_of(repo, "REQ-0002").read_text()
    assert text == original.replace("  - UN-001   # the need\n", f"  - {{UN-001: {un}}} # the need\n").replace(
        "0badf00d", r1)
    assert content_hash(loaded(repo).get("REQ-0002")) == before_hash  # stamps are not content
    again = run_qms("--repo", str(repo), "review", "REQ-0002")
    assert again.stdout == "REQ-0002: up to date\n0 link(s) stamped in 0 record(s); 1 already up to date\n"
    assert path_of(repo, "REQ-0002").read_text() == text


def test_review_turns_a_scalar_link_into_a_stamped_mapping(tmp_path):
    situation = _head("HS-001", "approved") + "hazard: HAZ-001\nharms: []\n"
    repo = repo_of(tmp_path, {"HAZ-001": _head("HAZ-001", "approved"), "HS-001": situation})
    fp = fingerprint(loaded(repo).get("HAZ-001"))
    assert run_qms("--repo", str(repo), "review", "HS-001").returncode == 0
    assert path_of(repo, "HS-001").read_text() == situation.replace("hazard: HAZ-001",
                                                                     f"hazard: {{HAZ-001: {fp}}}")


def test_review_leaves_block_scalars_in_lists_as_written(tmp_path):
    # ruamel.yaml alone would re-indent these folded items; the stamp must be the only change
    situation = (_head("HS-001", "approved") + "sequence_of_events:\n  - >-\n      Occlusion downstream while\n"
                 "      the pump keeps running\n  - Bolus released when the occlusion clears\n"
                 "hazard: HAZ-001\n")
    repo = repo_of(tmp_path, {"HAZ-001": _head("HAZ-001", "approved"), "HS-001": situation})
    fp = fingerprint(loaded(repo).get("HAZ-001"))
    assert run_qms("--repo", str(repo), "review", "HS-001").returncode == 0
    assert path_of(repo, "HS-001").read_text() == situation.replace("hazard: HAZ-001",
                                                                     f"hazard: {{HAZ-001: {fp}}}")


def test_review_all_stamps_every_yaml_record_and_validate_is_clean(tmp_path):
    repo = repo_of(tmp_path, {"UN-001": need("UN-001"), "REQ-0001": req("REQ-0001", "UN-001"),
                              "DO-001": output("DO-001", "REQ-0001"), "VER-001": ver("VER-001", "REQ-0001"),
                              "VAL-001": val("VAL-001", "UN-001")})
    assert [f["code"] for f in validate_json(repo)[1]["findings"]] == ["QMS208"] * 4
    proc = run_qms("--repo", str(repo), "review", "--all")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[-1] == "4 link(s) stamped in 4 record(s); 2 already up to date"
    code, out = validate_json(repo)
    assert code == 0 and out["findings"] == []
    proc = run_qms("--repo", str(repo), "trace")
    assert proc.returncode == 0 and proc.stdout.endswith("Gaps: none\n")


def test_review_refuses_sheet_rows_unknown_ids_and_no_arguments(tmp_path):
    repo = repo_of(tmp_path, {"UN-001": need("UN-001")})
    wb = openpyxl.Workbook()
    wb.active.title = "Lots"
    wb.active.append(["id", "status", "lot_type", "material"])
    wb.active.append(["LOT-F-001", "released", "finished", "MAT-001"])
    wb.save(repo / "records" / "production.xlsx")
    proc = run_qms("--repo", str(repo), "review", "LOT-F-001", "UN-001")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == ("qms: error: review stamps for sheet rows are not supported yet: "
                           "LOT-F-001 (records/production.xlsx[Lots]!A2); nothing was changed\n")
    proc = run_qms("--repo", str(repo), "review", "REQ-0404")
    assert proc.returncode == 2 and proc.stderr.startswith("qms: error: no record REQ-0404 in the repository")
    for args in ([], ["UN-001", "--all"]):
        proc = run_qms("--repo", str(repo), "review", *args)
        assert proc.returncode == 2 and "give one or more record IDs, or --all" in proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- done-when, on a copy of the example


@pytest.fixture()
def example(tmp_path) -> Path:
    copy = tmp_path / "example"
    for folder in ("specs", "records", "protocols", "features", "evidence"):
        shutil.copytree(ROOT / folder, copy / folder)
    shutil.copy2(ROOT / "qms.yaml", copy / "qms.yaml")
    return copy


def test_example_traces_with_full_coverage(example):
    proc = run_qms("--repo", str(example), "trace", "--format", "json")
    assert proc.returncode == 0, proc.stdout[-2000:]
    out = json.loads(proc.stdout)
    assert out["gaps"] == []
    assert all(level["covered"] == level["total"] > 0 for level in out["coverage"].values())
    assert all(item["covered"] for item in out["requirements"])


def test_example_without_a_verification_test_has_a_gap_in_trace_and_validate(example):
    out = json.loads(run_qms("--repo", str(example), "trace", "--format", "json").stdout)
    assert next(i for i in out["requirements"] if i["id"] == "REQ-0004")["tests"] == ["VER-003"]
    (example / "records/verification/VER-003.yaml").unlink()
    (example / "records/approvals/APR-VER-003-1.yaml").unlink()  # its signature goes with it
    proc = run_qms("--repo", str(example), "trace", "--format", "json")
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    row = next(i for i in out["requirements"] if i["id"] == "REQ-0004")
    assert (row["covered"], row["tests"], row["gaps"]) == (False, [], ["no verification test verifies REQ-0004"])
    assert [(g["kind"], g["record"]) for g in out["gaps"]] == [("requirement_without_verification", "REQ-0004")]
    assert out["coverage"]["requirements_verified"]["covered"] == out["coverage"]["requirements_verified"]["total"] - 1
    code, report = validate_json(example)
    assert code == 1
    # the GSPR checklist cites VER-003 as evidence: that link now points at nothing
    assert [(f["code"], f["location"]) for f in report["findings"]] == [
        ("QMS122", "records/gspr/GSPR-018.yaml:10"), ("QMS202", "specs/requirements/REQ-0004.yaml:1")]


def test_example_changed_requirement_makes_its_downstream_suspect_until_reviewed(example):
    path = example / "specs/requirements/REQ-0001.yaml"
    text = path.read_text()
    assert "within ±5 %" in text
    path.write_text(text.replace("within ±5 %", "within ±4 %"))
    downstream = ["DO-001", "DO-010", "REQ-0003", "VER-001"]
    rs = loaded(example)
    assert sorted({link.source for link in rs.links_to("REQ-0001") if link.fingerprint}) == downstream

    def link_line(rel: str, role: str) -> str:
        lines = (example / rel).read_text().splitlines()
        return f"{rel}:{next(i for i, line in enumerate(lines, 1) if line.startswith(role + ':'))}"

    # REQ-0001 is approved: its edit is also content no one signed, with no change control (QMS600, QMS601).
    unsigned = [("QMS600", "REQ-0001", "specs/requirements/REQ-0001.yaml:1"),
                ("QMS601", "REQ-0001", "specs/requirements/REQ-0001.yaml:1")]
    code, report = validate_json(example)
    assert code == 1
    assert sorted((f["code"], f["record"], f["location"]) for f in report["findings"]) == sorted([
        ("QMS207", "DO-001", link_line("records/outputs/DO-001.yaml", "implements")),
        ("QMS207", "DO-010", link_line("records/outputs/DO-010.yaml", "implements")),
        ("QMS207", "VER-001", link_line("records/verification/VER-001.yaml", "verifies")),
        ("QMS207", "REQ-0003", link_line("specs/requirements/REQ-0003.yaml", "derived_from")),
        *unsigned,
    ])
    assert run_qms("--repo", str(example), "trace").returncode == 1
    proc = run_qms("--repo", str(example), "review", *downstream)
    assert proc.returncode == 0 and proc.stdout.endswith("4 link(s) stamped in 4 record(s); 0 already up to date\n")
    # The review stamps leave the reviewed records' signed content alone: only the requirement's own edit remains.
    code, report = validate_json(example)
    assert code == 1
    assert [(f["code"], f["record"], f["location"]) for f in report["findings"]] == unsigned
