"""Production and post-production information in the risk file (ISO 14971:2019 clauses 9 c, 10): the analysis,
rule QMS317 and the risk management report's conclusion, on the worked example and on a copy in which a QA
engineer records the risk file reviews and completes the FMEA action."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from support import Built, clean_git_config, copy_example, git, run_qms, validate_json  # noqa: F401 (autouse)

from generator.analysis.postmarket import analyse_postmarket
from generator.analysis.risk import analyse_risk
from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.document import DocumentSet
from generator.render.risk_report import risk_report
from generator.rules import check

REPORT = "05-benefit-risk-management/risk_management_report.docx"
NOT_SUPPORTED = ("Release is not supported until the risk file is reviewed against CMP-2026-001 (serious incident), "
                 "CMP-2026-002 (reportable complaint) and FM-012 (open action priority H line, RPN 288).")
# The example waives QMS317 on all three (WVR-003..005, signed by Priya Nair): release rests on those interim
# assessments, and the conclusion says so rather than "supported" or a bare "not supported" beside a releasable build.
INTERIM = ("Release is supported on an interim basis only: the risk file is still to be reviewed against CMP-2026-001 "
           "(serious incident), CMP-2026-002 (reportable complaint) and FM-012 (open action priority H line, RPN 288), "
           "and release rests on the interim assessments WVR-003, WVR-004 and WVR-005 records (justification and "
           "expiry in the waiver records). When a waiver lapses before the review is done, release is no longer "
           "supported.")
SUPPORTED = ("The risk management plan has been implemented, the overall residual risk is acceptable and production "
             "and post-production information has been reviewed against the risk file: the review supports the "
             "release of the device.")

# What the QA engineer writes once CAPA-2026-003 has confirmed the cause and FM-012's action is done.
REVIEW = """\
id: CC-2026-004
title: Risk file review against CMP-2026-001, CMP-2026-002 and FM-012
status: approved
owner: USR-003
created: 2026-11-20
type: design
reason: Post-market information (a serious incident, a reportable malfunction) bears on HS-002, HS-008 and HS-007.
affected: [CMP-2026-001, CMP-2026-002, FM-012]
impact:
  design: None.
  risk: HS-002, HS-008 and HS-007 re-assessed against the events; FM-012 re-rated after its action.
  validation: None.
  regulatory: Vigilance follow-up reports reference this review.
risk_reviewed: [HS-002, HS-008, HS-007, FM-012]
submitted: 2026-11-20
approved: 2026-11-21
"""


def _records(repo: Path) -> RecordSet:
    loaded = load_repository(repo, use_cache=False)
    return RecordSet(loaded.records, loaded.config)


def _paragraphs(docx: Path | bytes) -> list[str]:
    import io

    return [p.text for p in Document(io.BytesIO(docx) if isinstance(docx, bytes) else docx).paragraphs]


def _conclusion(paragraphs: list[str]) -> str:
    return paragraphs[paragraphs.index("Conclusion") + 1]


def _tables(docx: Path) -> dict[str, list[list[str]]]:
    """Each table by the text of its first header cell."""
    return {t.rows[0].cells[0].text: [[c.text for c in r.cells] for r in t.rows] for t in Document(docx).tables}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("pm") / "repo")


def test_analysis_of_the_example_names_what_the_risk_file_has_not_weighed(example: Path) -> None:
    post = analyse_postmarket(_records(example))
    assert [(p.id, p.reason) for p in post.pending] == [
        ("CMP-2026-001", "serious incident"), ("CMP-2026-002", "reportable complaint"),
        ("FM-012", "open action priority H line, RPN 288")]
    first = post.complaints[0]
    assert (first.id, first.aware, first.risk_file, first.harms, first.capa, first.reviewed_by) == (
        "CMP-2026-001", dt.date(2026, 9, 14), ("HS-002", "HS-008"), ("HARM-001",), "CAPA-2026-003", ())
    assert [(r.authority, r.type, r.reference) for r in first.reports] == [
        ("eu_mdr", "initial", "BfArM 02871/26"), ("eu_mdr", "follow_up", "BfArM 02871/26")]
    # CC-2026-002 re-assessed HS-002 after the incident, but for a firmware change: it names no complaint
    assert "CC-2026-002" in post.reviews and first.reviewed_by == ()
    # AIAG-VDA 2019: S9 O6 D5, S10 O4 D4, S9 O4 D4, S9 O6 D5 and S8 O6 D6 are High
    assert [r.id for r in post.fmea_high] == ["FM-001", "FM-002", "FM-007", "FM-011", "FM-012"]
    assert [(r.id, r.action_due) for r in post.fmea_pending] == [("FM-012", dt.date(2027, 1, 29))]
    # a CAPA's risk records: its own risk links (ISO 13485 8.5.2) and those of the complaints it answers
    assert [(c.id, c.risk_records, len(c.open_actions)) for c in post.risk_capas] == [
        ("CAPA-2026-002", ("HS-004", "HS-005", "FM-002"), 0), ("CAPA-2026-003", ("HS-002", "HS-008"), 3)]
    assert [(c.id, c.risk_records) for c in post.capas if not c.open] == [("CAPA-2026-001", ("HS-001", "FM-010"))]


def test_the_example_validates_clean_with_qms317_waived(example: Path) -> None:
    code, out = validate_json(example)
    assert code == 0 and out["summary"]["errors"] == 0 and out["summary"]["warnings"] == 0
    assert sorted((f["record"], f["waived_by"]) for f in out["waived"] if f["code"] == "QMS317") == [
        ("CMP-2026-001", "WVR-003"), ("CMP-2026-002", "WVR-004"), ("FM-012", "WVR-005")]


def test_the_built_report_names_them_and_rests_release_on_the_waivers(example_build: Built) -> None:
    assert example_build.returncode == 0  # `qms build` of the committed example, once per run (conftest)
    report = example_build.output / REPORT
    text = _paragraphs(report)
    assert _conclusion(text) == INTERIM
    tables = _tables(report)
    complaints = {row[0].split()[0]: row for row in tables["Complaint"][1:]}
    assert complaints["CMP-2026-001"] == [
        "CMP-2026-001 Heparin over-infusion with bleeding, Duisburg", "investigation",
        "Serious injury\nDeath or serious deterioration in health",
        "yes:\nEU MDR competent authority initial 2026-09-22 BfArM 02871/26\n"
        "EU MDR competent authority follow-up 2026-11-12 BfArM 02871/26",
        "HS-002 Tenfold programming error with a high-alert drug\nHS-008 Outdated drug library without current "
        "limits\nHARM-001 Death or permanent injury from drug overdose",
        "CAPA-2026-003 Drug library update failure not visible to the hospital (action)", "NO"]
    assert complaints["CMP-2026-002"][1:4] == ["closed", "None\nMalfunction",
                                              "yes:\nFDA (21 CFR 803) initial 2026-06-26 3012894471-2026-00001"]
    fmea = {row[0]: row for row in tables["Line"][1:]}
    assert fmea["FM-012"][2:6] == ["action pending (open)", "8 6 6", "288", "H"]
    assert fmea["FM-012"][6].endswith("Sofia Lindqvist (Quality assurance)\ndue 2027-01-29")
    actions = [row[0] for row in tables["Action on"][1:] if row[0] in ("FM-012", "CAPA-2026-003")]
    assert actions == ["FM-012", "CAPA-2026-003", "CAPA-2026-003", "CAPA-2026-003"]
    people = {row[0]: row[1] for row in tables["Responsibility"][1:]}
    assert people["Risk management plan (owner)"] == "Tomasz Kowalczyk (Design and verification engineering)"
    assert people["Risk management plan (approved by)"].startswith("Helena Marsh (Top management), approval ")
    where = {row[0]: row[1] for row in tables["Part"][1:]}
    assert where["Risk management plan"].startswith("NWM-RMP-001: DOC-001 Risk management plan - FlowSure VP-200")
    assert where["Risk register workbook"].startswith("risk_register.xlsx")
    assert [row[0].split()[0] for row in tables["Hazardous situation"][1:]] == [
        "HS-001", "HS-002", "HS-003", "HS-004", "HS-008", "HS-010"]
    # First ratings: H FM-001/002/007/011/012, M FM-003/004/006/009/010/015/017, L the other five. The seven
    # re-rated lines (FM-001/002/005/006/007/010/011) are all L now; FM-012 is the one still High.
    fmea_report = _tables(example_build.output / "05-benefit-risk-management/fmea_report.docx")
    assert fmea_report["Action priority"] == [
        ["Action priority", "Lines as first rated", "Re-rated lines after their action", "Lines now (re-rated where done)"],
        ["H", "5", "0", "1"], ["M", "7", "0", "5"], ["L", "5", "7", "11"]]


def _close_them(repo: Path) -> None:
    """As a QA engineer: close the incident, record the risk file review, finish and re-rate FM-012."""
    path = repo / "records/events/complaints/CMP-2026-001.yaml"
    path.write_text(path.read_text().replace("status: investigation", "status: closed") + "closed: 2026-11-22\n")
    (repo / "records/events/change/CC-2026-004.yaml").write_text(REVIEW)
    book = repo / "records/risk/fmea.xlsx"
    wb = openpyxl.load_workbook(book)
    sheet = wb["FMEA"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "FM-012")
    for field, value in (("status", "closed"), ("action_done", dt.datetime(2026, 11, 18)), ("severity_after", 8),
                         ("occurrence_after", 2), ("detection_after", 4)):
        row[header.index(field)].value = value
    wb.save(book)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Risk file reviewed against CMP-2026-001, CMP-2026-002 and FM-012")


def test_recording_the_reviews_makes_the_finding_go_and_the_report_support_release(
        tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo")
    _close_them(repo)
    records = _records(repo)
    post = analyse_postmarket(records)
    assert post.pending == []
    assert [(c.id, c.reviewed_by) for c in post.complaints if c.bears_on_risk] == [
        ("CMP-2026-001", ("CC-2026-004",)), ("CMP-2026-002", ("CC-2026-004",))]
    code, out = validate_json(repo)
    assert [f for f in out["findings"] + out["waived"] if f["code"] == "QMS317"] == []
    # the waivers now match nothing: QA revokes them (QMS130 says so), nothing else changed
    assert sorted(f["record"] for f in out["findings"] if f["code"] == "QMS130") == ["WVR-003", "WVR-004", "WVR-005"]
    assert {f["code"] for f in out["findings"]} == {"QMS130"} and code == 0
    as_of = dt.date(2026, 11, 25)
    risk = analyse_risk(records)
    findings = check(records, (), as_of, area="risk").findings
    documents = DocumentSet.for_records(records, effective=as_of)
    text = _paragraphs(risk_report(records, risk, findings, documents).to_bytes())
    assert _conclusion(text) == SUPPORTED
    bullets = text[text.index("Not yet reflected in the risk file") + 1]
    assert bullets.startswith("None: the risk file has been reviewed against every serious or reportable complaint")


def test_a_review_dated_before_the_event_or_not_covering_its_situations_does_not_count(tmp_path: Path) -> None:
    repo = copy_example(tmp_path / "repo", commit=False)
    _review = REVIEW.replace("approved: 2026-11-21", "approved: 2026-06-02").replace(
        "risk_reviewed: [HS-002, HS-008, HS-007, FM-012]", "risk_reviewed: [HS-002, HS-007, FM-012]")
    (repo / "records/events/change/CC-2026-004.yaml").write_text(_review)
    post = analyse_postmarket(_records(repo))
    # CMP-2026-001 names HS-008, which the review left out; CMP-2026-002 became known on 2026-06-03
    assert [p.id for p in post.pending] == ["CMP-2026-001", "CMP-2026-002", "FM-012"]


def test_the_conclusion_rests_on_the_waivers_and_without_them_does_not_support_release(example: Path) -> None:
    records = _records(example)
    as_of = dt.date(2026, 11, 25)
    risk = analyse_risk(records)
    report = check(records, (), as_of, area="risk")
    documents = DocumentSet.for_records(records, effective=as_of)
    with_waivers = _paragraphs(risk_report(records, risk, report.findings, documents, waived=report.waived).to_bytes())
    assert _conclusion(with_waivers) == INTERIM
    without = _paragraphs(risk_report(records, risk, report.findings, documents).to_bytes())
    assert _conclusion(without) == NOT_SUPPORTED
