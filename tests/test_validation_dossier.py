"""Validation in the example's dossier (issue 17): the device-process protocols' recorded executions as executed
reports in Annex II 6, the QMS software's own validation in its own folder (ISO 13485 4.1.6), a validation summary
that states scope, references, deviations and validated state from the records, OQ-002's actual results in the
terms of its expected ones, PQ-002's file count, and the verification reports the VER records cite."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.text.paragraph import Paragraph
from support import ROOT, copy_example, git, validate_json

from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.dossier import build_dossier

AS_OF = dt.date(2026, 11, 25)
VV, QS = "06-verification-validation", "qms-software-validation"
# The example's execution records of the device-process protocols: protocol -> (record, date)
EXECUTIONS = {"IQ-001": ("EXE-2026-001", "2026-12-01"), "OQ-001": ("EXE-2026-002", "2026-12-02"),
              "PQ-001": ("EXE-2026-003", "2026-12-02")}


def _yaml(rel: str) -> dict:
    return yaml.safe_load((ROOT / rel).read_text("utf-8"))


def _build(repo: Path, out: Path, protocols: bool) -> object:
    loaded = load_repository(repo, use_cache=False)
    return build_dossier(repo, loaded, RecordSet(loaded.records, loaded.config), AS_OF, out, protocols=protocols)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's full dossier, the automated protocols executed."""
    base = tmp_path_factory.mktemp("validation")
    repo = copy_example(base / "repo")
    built = _build(repo, base / "out", protocols=True)
    assert built.errors == 0 and built.protocols == {"IQ-002": "pass", "OQ-002": "pass", "PQ-002": "pass"}, built.notes
    return base / "out"


def _pairs(table) -> dict[str, str]:
    return {row.cells[0].text: row.cells[1].text for row in table.rows}


def _rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def _table_after(doc, heading: str):
    """The first table after the heading whose text ends with `heading` (numbered headings; not the contents)."""
    body = doc.element.body
    seen = False
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "p" and Paragraph(child, doc).style.name.startswith("Heading") \
                and "".join(child.itertext()).strip().endswith(heading):
            seen = True
        elif tag == "tbl" and seen:
            return next(t for t in doc.tables if t._tbl is child)
    raise AssertionError(f"no table after {heading!r}")


def _under(doc, heading: str) -> str:
    """The paragraph that follows the heading whose text ends with `heading`."""
    paras = doc.paragraphs
    at = next(i for i, p in enumerate(paras) if p.style.name.startswith("Heading") and p.text.endswith(heading))
    return paras[at + 1].text


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


@pytest.mark.parametrize("pid", sorted(EXECUTIONS))
def test_each_recorded_execution_has_its_executed_report_in_annex_ii_6(dossier: Path, pid: str) -> None:
    exe_id, day = EXECUTIONS[pid]
    record = _yaml(f"records/validation/executions/{exe_id}.yaml")
    protocol = _yaml(f"protocols/{pid}.yaml")
    evidence = ROOT / "records/validation/executions" / record["evidence"][0]["path"]
    # the evidence in the dossier is the recorded file, byte for byte, and the record's hash is its hash
    shipped = dossier / VV / "protocols" / pid / "evidence.json"
    assert shipped.read_bytes() == evidence.read_bytes()
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == record["evidence"][0]["sha256"]

    doc = Document(str(dossier / VV / "protocols" / pid / f"{pid}-executed.docx"))
    facts = _pairs(_table_after(doc, "Result"))
    assert facts["Execution record"] == exe_id
    assert facts["Evidence"] == (f"records/validation/executions/{exe_id}/evidence.json, "
                                 f"SHA-256 {record['evidence'][0]['sha256']}")
    assert facts["Executed on"] == day
    assert facts["Executed by"] == "Daniel Okafor (Production)"  # USR-004, role ROLE-PROD
    assert (facts["Started"], facts["Finished"]) == (record["started"], record["finished"])
    assert facts["Protocol"] == f"{pid}, content SHA-256 {record['protocol_sha256']}"
    steps = _rows(_table_after(doc, "Steps"))
    assert steps[0] == ["Step", "Expected", "Actual", "Result"]
    assert [(r[0], r[1], r[3]) for r in steps[1:]] == [(s["id"], s["expected"], "PASS") for s in protocol["steps"]]
    assert all(r[2] for r in steps[1:])
    assert f"PASS: {len(protocol['steps'])} of {len(protocol['steps'])} step(s) met their acceptance criteria." \
        in _paragraphs(doc)
    assert _under(doc, "Deviations") == "None."


def test_the_qms_software_validation_is_outside_annex_ii(dossier: Path) -> None:
    files = sorted(p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file())
    # Annex II 6 holds the device process's protocols only; the QMS software's are in their own folder
    annex = {f for f in files if f.startswith(f"{VV}/protocols/")}
    assert annex == {f"{VV}/protocols/{pid}{tail}" for pid in ("IQ-001", "OQ-001", "PQ-001")
                     for tail in ("-protocol.docx", "/evidence.json", f"/{pid}-executed.docx")}
    assert {f for f in files if f.startswith(f"{QS}/")} == {
        f"{QS}/qms_software_validation_summary.docx",
        *(f"{QS}/protocols/{pid}{tail}" for pid in ("IQ-002", "OQ-002", "PQ-002")
          for tail in ("-protocol.docx", "/evidence.json", f"/{pid}-executed.docx"))}
    manifest = json.loads((dossier / "manifest.json").read_text())
    numbers = {e["path"]: e["document"]["number"] for e in manifest["files"] if "document" in e}
    # the moved documents keep their numbers; the new ones take the register's
    assert numbers[f"{QS}/protocols/OQ-002-protocol.docx"] == "NWM-VP-004"
    assert numbers[f"{QS}/protocols/PQ-002/PQ-002-executed.docx"] == "NWM-VR-006"
    assert numbers[f"{VV}/protocols/IQ-001/IQ-001-executed.docx"] == "NWM-VR-001"
    assert numbers[f"{VV}/validation_summary.docx"] == "NWM-VSR-001"
    assert numbers[f"{QS}/qms_software_validation_summary.docx"] == "NWM-VSR-002"
    index = (dossier / "index.html").read_text("utf-8")
    assert "QMS software validation (ISO 13485:2016 4.1.6)" in index
    assert "Annex II, 6" in index


def test_the_validation_summary_states_scope_references_deviations_and_validated_state(dossier: Path) -> None:
    doc = Document(str(dossier / VV / "validation_summary.docx"))
    text = _paragraphs(doc)
    scope = _under(doc, "Scope")
    assert scope.startswith("This report summarises the validation of the device's production equipment and "
                            "processes: 3 protocol(s) (IQ-001, OQ-001, PQ-001), covering EQ-006 ")
    assert _rows(_table_after(doc, "Protocols"))[1:] == [
        ["IQ-001", "NWM-VP-001", _yaml("protocols/IQ-001.yaml")["title"], "executed", "2026-04-01"],
        ["OQ-001", "NWM-VP-003", _yaml("protocols/OQ-001.yaml")["title"], "executed", "2026-04-14"],
        ["PQ-001", "NWM-VP-005", _yaml("protocols/PQ-001.yaml")["title"], "executed", "2026-04-24"]]
    assert [r[0] for r in _rows(_table_after(doc, "Validation plan and procedures"))[1:]] == ["DO-010", "DOC-005",
                                                                                              "DOC-006"]
    assert "21 CFR 820.75 (process validation)" in text
    assert not any("4.1.6" in p for p in text)  # the QMS software's clause belongs to the other summary
    assert _rows(_table_after(doc, "Protocols and their latest execution"))[1:] == [
        [pid, day, exe, "Daniel Okafor (Production)", "PASS", "none"] for pid, (exe, day) in sorted(EXECUTIONS.items())]
    assert "No deviation was raised against these protocols." in text
    assert _rows(_table_after(doc, "Statement of validated state"))[1:] == [
        [pid, f"Validated: passed on {day} with no open deviation"] for pid, (_, day) in sorted(EXECUTIONS.items())]
    assert ("Overall: the device's production equipment and processes are in a validated state: every protocol "
            "(IQ-001, OQ-001, PQ-001) passed its latest execution and no deviation remains open.") in text

    software = Document(str(dossier / QS / "qms_software_validation_summary.docx"))
    assert _rows(_table_after(software, "Protocols and their latest execution"))[1:] == [
        [pid, "2026-11-25", "this build", "automated (qms build)", "PASS", "none"]
        for pid in ("IQ-002", "OQ-002", "PQ-002")]
    assert any("ISO 13485:2016 4.1.6" in p for p in _paragraphs(software))


def test_a_protocol_without_an_execution_is_reported_as_not_executed(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo", commit=False)
    (repo / "records/validation/executions/EXE-2026-002.yaml").unlink()
    oq = repo / "protocols/OQ-001.yaml"
    text = oq.read_text()
    oq.write_text(text[:text.index("executions:")])  # and no hand-written history either
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "example without OQ-001's execution")
    _build(repo, tmp_path / "out", protocols=False)
    doc = Document(str(tmp_path / "out" / VV / "validation_summary.docx"))
    assert _rows(_table_after(doc, "Statement of validated state"))[1:] == [
        ["IQ-001", "Validated: passed on 2026-12-01 with no open deviation"],
        ["OQ-001", "Not executed: validated state not established"],
        ["PQ-001", "Validated: passed on 2026-12-02 with no open deviation"]]
    assert ("Overall: the device's production equipment and processes are not in a validated state: "
            "not executed: OQ-001.") in _paragraphs(doc)
    assert not (tmp_path / "out" / VV / "protocols/OQ-001").exists()


def test_oq_002_shows_each_actual_beside_its_expected(dossier: Path) -> None:
    doc = Document(str(dossier / QS / "protocols/OQ-002/OQ-002-executed.docx"))
    steps = {r[0]: r for r in _rows(_table_after(doc, "Steps"))[1:]}
    assert steps["4"][1:] == ["22, 59, 299, 459 (no failure); 93 and 124 (one and two failures)",
                              "success run C=0.9 R=0.9 failures=0: 22; success run C=0.95 R=0.95 failures=0: 59; "
                              "success run C=0.95 R=0.99 failures=0: 299; success run C=0.99 R=0.99 failures=0: 459; "
                              "success run C=0.95 R=0.95 failures=1: 93; success run C=0.95 R=0.95 failures=2: 124",
                              "PASS"]
    assert steps["5"][2].endswith('Cp of "diameter_mm": 1.703; Cpk of "diameter_mm": 1.663')
    # step 1: every fixture's actual names the code and location its expected names
    fixtures = [r for r in _rows(_table_after(doc, "Step 1: PASS"))[1:] if r[2].startswith("fixture ")]
    expected = yaml.safe_load((ROOT / "tests/fixtures/bad/expected.yaml").read_text())
    assert len(fixtures) == sum(1 for c in expected.values() if not c.get("written_at_test_time")
                                and (ROOT / "tests/fixtures/bad").is_dir())
    for row in fixtures:
        case = expected[row[2].removeprefix("fixture ")]
        assert row[3] == f"{case['code']} at {case['location']}, exit {case['exit']}"
        assert row[4].startswith(row[3] + " (") and row[4].endswith(" finding(s) in all)"), row


def test_pq_002_counts_what_it_says(dossier: Path) -> None:
    ev = json.loads((dossier / QS / "protocols/PQ-002/evidence.json").read_text())
    checks = [c for s in ev["steps"] for sc in s["scenarios"] for st in sc["steps"] for c in st["checks"]]
    compared = next(c for c in checks if c["check"].startswith("files whose SHA-256 differs"))
    assert compared["check"] == ("files whose SHA-256 differs between the builds (each dossier without the automated "
                                 "protocols' executed reports and evidence, and without manifest.json)")
    files = [p.relative_to(dossier).as_posix() for p in dossier.rglob("*") if p.is_file()]
    runs = [f for f in files if any(f.startswith(f"{QS}/protocols/{p}/") for p in ("IQ-002", "OQ-002", "PQ-002"))]
    assert len(runs) == 6
    assert compared["expected"] == f"none of {len(files) - len(runs) - 1} files" and compared["actual"] == "none"


def test_every_cited_verification_report_is_held_and_a_missing_one_is_named(tmp_path: Path) -> None:
    cited = {r["evidence"] for p in (ROOT / "records/verification").glob("VER-*.yaml")
             for r in yaml.safe_load(p.read_text()).get("results", []) if r.get("evidence")}
    held = {yaml.safe_load(p.read_text()).get("reference"): yaml.safe_load(p.read_text())
            for p in (ROOT / "records/evidence").glob("EVD-*.yaml")}
    assert len(cited) == 26 and cited <= set(held)
    for ref in cited:
        data = (ROOT / held[ref]["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == held[ref]["sha256"]
        assert data.startswith(f"# {ref}: verification report\n".encode())
    report = (ROOT / held["VTR-009 rev B"]["path"]).read_text()
    assert "| Result | PASS |" in report and "Retest with firmware 2.0.4: 60/60 detected" in report

    repo = copy_example(tmp_path / "repo", commit=False)
    for rel in ("records/evidence/EVD-015.yaml", "records/approvals/APR-EVD-015-1.yaml"):  # VTR-009 rev B
        (repo / rel).unlink()
    code, out = validate_json(repo, "--no-cache")
    found = [(f["code"], f["location"], f["record"], f["message"]) for f in out["findings"] if f["code"] == "QMS764"]
    assert found == [("QMS764", "records/verification/VER-009.yaml:24", "VER-009",
                      "the 2025-07-02 result cites 'VTR-009 rev B', which no evidence record holds")]
    assert code == 0 and out["summary"]["warnings"] == 1
    # a validation result's report too: the clinical evaluation report
    for rel in ("records/evidence/EVD-031.yaml", "records/approvals/APR-EVD-031-1.yaml"):
        (repo / rel).unlink()
    code, out = validate_json(repo, "--no-cache")
    assert [(f["location"], f["message"]) for f in out["findings"] if f["code"] == "QMS764"] == [
        ("records/validation/VAL-003.yaml:16", "the 2025-12-02 result cites 'CER-200 rev A', which no evidence "
                                               "record holds"),
        ("records/verification/VER-009.yaml:24", "the 2025-07-02 result cites 'VTR-009 rev B', which no evidence "
                                                 "record holds")]


def test_the_evidence_register_lists_each_cited_report(dossier: Path) -> None:
    doc = Document(str(dossier / VV / "evidence_register.docx"))
    rows = _rows(_table_after(doc, "Reports cited by verification and validation records"))
    assert rows[0] == ["Verification or validation", "Date", "Result", "Report cited", "Evidence record"]
    vr9 = [r for r in rows if r[0].startswith("VER-009\n")]
    assert [r[1:] for r in vr9] == [["2025-05-14", "FAIL", "VTR-009 rev A", "EVD-006, present"],
                                    ["2025-07-02", "PASS", "VTR-009 rev B", "EVD-015, present"]]
    # 29 verification results and the 5 validation results (usability file, simulated use, CER-200 rev A)
    assert [r[1:] for r in rows if r[0].startswith("VAL-003\n")] == [
        ["2025-12-02", "PASS", "CER-200 rev A", "EVD-031, present"]]
    assert len(rows) - 1 == 34 and not [r for r in rows if r[4].startswith("missing")]
