"""PMS plan, PSUR and EU declaration of conformity (EU MDR Art. 84, 86, 19; Annex III, IV; issue 17): the rules
QMS770-773 on small repositories at exact locations, and the worked example's three documents read back from Word
against figures counted by hand from its records."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from support import Built, clean_git_config, make_repo, validate_json  # noqa: F401 (autouse fixture)

QMS = """\
company: {name: Test Co, code: TC, address: 1 Test Street, srn: IE-MF-000000001}
device: {name: Test Pump, model: TP-1, classification_eu: IIb, basic_udi_di: 0123TP1XY, intended_use: Infusion,
         placed_on_market: 2025-01-10}
declaration:
  notified_body: {name: Test NB, number: "9999"}
  procedure: Annex IX
  certificates: [CERT-1]
  place: Galway
  signatory: USR-001
"""
STD = "id: STD-001\ntitle: IEC 60601-1\nstatus: draft\nnumber: IEC 60601-1\nedition: '2020'\n"
PLAN = """\
id: PMSP-001
title: PMS plan
status: {status}
scope: The test pump
sources:
  - source: complaints
    method: logged and trended
indicators:
  - name: Complaint rate
    measure: complaint_rate
    threshold: 20
    action: investigate
min_population: {min_population}
methods: counts and rates
review_frequency: monthly
psur_interval_months: 12
responsibilities:
  - task: PSUR author
    person: USR-001
"""
# Period 2026-01-01..2026-06-30: CMP-2026-001 and -002 fall in it (received 2026-03-01, 2026-06-30), -003 after it
# (2026-07-01); NC-2026-001 in it; CAPA-2026-001 opened before it (2025-12-31). Line 9 holds stated.complaints, line 6 period_end.
PSUR = """\
id: PSUR-2026-001
title: PSUR 2026 H1
status: draft
plan: PMSP-001
period_start: 2026-01-01
period_end: 2026-06-30
units_sold: 0
stated:
  complaints: {complaints}
  serious_incidents: 1
  nonconformances: 1
  capas: 0
benefit_risk: favourable
pmcf: nothing new
conclusion: none
"""


def complaint(n: int, received: str, serious: bool = False) -> str:
    extra = "patient_impact: serious_injury\nevent_class: death_or_serious_deterioration\n" if serious else ""
    return f"id: CMP-2026-{n:03d}\ntitle: Complaint {n}\nstatus: received\nreceived: {received}\n{extra}"


def repo_with(tmp_path: Path, files: dict[str, str], qms: str = QMS) -> Path:
    repo = make_repo(tmp_path, {"records/standards/STD-001.yaml": STD, **files})
    (repo / "qms.yaml").write_text(qms)
    return repo


def found(repo: Path, as_of: str = "2026-11-25") -> list[tuple[str, str, str | None, str]]:
    code, out = validate_json(repo, "--no-cache", "--as-of", as_of)
    return [(f["code"], f["location"], f["record"], f["message"]) for f in out["findings"]
            if f["code"].startswith("QMS77")]


EVENTS = {
    "records/events/complaints/CMP-2026-001.yaml": complaint(1, "2026-03-01", serious=True),
    "records/events/complaints/CMP-2026-002.yaml": complaint(2, "2026-06-30"),
    "records/events/complaints/CMP-2026-003.yaml": complaint(3, "2026-07-01"),
    "records/events/nc/NC-2026-001.yaml": "id: NC-2026-001\ntitle: NC\nstatus: open\nsource: production\n"
                                          "type: nonconformance\ndetected: 2026-03-02\n",
    "records/events/capa/CAPA-2026-001.yaml": "id: CAPA-2026-001\ntitle: CAPA\nstatus: open\nopened: 2025-12-31\n",
}


def test_a_device_on_the_market_needs_an_approved_plan(tmp_path: Path) -> None:
    none = repo_with(tmp_path / "none", {})
    assert found(none) == [("QMS770", "qms.yaml", None, "the class IIb device is on the market with no approved PMS plan"),
                           ("QMS772", "qms.yaml", None,
                            "the class IIb device has been on the market since 2025-01-10 and has no PSUR")]
    draft = repo_with(tmp_path / "draft", {"records/postmarket/PMSP-001.yaml": PLAN.format(status="draft",
                                                                                           min_population=10)})
    assert found(draft, "2025-12-01") == [
        ("QMS770", "records/postmarket/PMSP-001.yaml:3", "PMSP-001",
         "the class IIb device is on the market with no approved PMS plan (PMSP-001 not approved)")]
    approved = repo_with(tmp_path / "ok", {"records/postmarket/PMSP-001.yaml": PLAN.format(status="approved",
                                                                                           min_population=10)})
    assert found(approved, "2026-01-10") == []  # twelve months on the market to the day: the PSUR is not yet late
    assert [f[0] for f in found(approved, "2026-01-11")] == ["QMS772"]


def test_a_device_not_yet_on_the_market_owes_no_plan_psur_or_declaration(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, {}, qms="company: {name: Test Co, code: TC}\n"
                                       "device: {name: Test Pump, classification_eu: III}\n")
    assert found(repo) == []


def test_psur_counts_are_checked_against_the_records_of_its_period(tmp_path: Path) -> None:
    plan = PLAN.format(status="approved", min_population=10)
    right = repo_with(tmp_path / "right", {**EVENTS, "records/postmarket/PMSP-001.yaml": plan,
                                           "records/postmarket/PSUR-2026-001.yaml": PSUR.format(complaints=2)})
    assert found(right) == []
    wrong = repo_with(tmp_path / "wrong", {**EVENTS, "records/postmarket/PMSP-001.yaml": plan,
                                           "records/postmarket/PSUR-2026-001.yaml": PSUR.format(complaints=3)})
    assert found(wrong) == [("QMS771", "records/postmarket/PSUR-2026-001.yaml:9", "PSUR-2026-001",
                             "states 3 complaints received for 2026-01-01 to 2026-06-30; the records give 2 "
                             "(CMP-2026-001, CMP-2026-002)")]
    # the latest PSUR's period ended 2026-06-30: a year and a day later it is overdue
    late = found(right, "2027-07-01")
    assert late == [("QMS772", "records/postmarket/PSUR-2026-001.yaml:6", "PSUR-2026-001",
                     "the latest PSUR's period ended 2026-06-30, more than 12 months before 2027-07-01 (class IIb)")]


def test_every_annex_iv_item_the_repository_cannot_fill_is_named(tmp_path: Path) -> None:
    repo = repo_with(tmp_path, {"records/postmarket/PMSP-001.yaml": PLAN.format(status="approved", min_population=1)},
                     qms="company: {name: Test Co, code: TC}\n"
                         "device: {name: Test Pump, classification_eu: IIa, placed_on_market: 2026-06-01}\n"
                         "declaration: {signatory: USR-404}\n")
    items = sorted(f[3] for f in found(repo) if f[0] == "QMS773")
    assert items == sorted(f"Annex IV item {i} cannot be filled: {what} not recorded" for i, what in (
        ("1", "the manufacturer's registered address"), ("1", "the manufacturer's single registration number (SRN)"),
        ("3", "the Basic UDI-DI"), ("4", "the product code or catalogue number"), ("4", "the intended purpose"),
        ("8", "the notified body's name and number"), ("8", "the conformity assessment procedure performed"),
        ("8", "the certificate(s) issued"), ("10", "the place of issue"),
        ("10", "the signatory (USR-404 is no user record)")))


# --- the worked example's documents ---------------------------------------------------------------------

PMS, DOC = "07-post-market-surveillance", "08-declaration-of-conformity"


@pytest.fixture
def out(example_build: Built) -> Path:
    return example_build.output  # built once per run (conftest), exit 0: read only


def tables(path: Path) -> dict[str, list[list[str]]]:
    return {t.rows[0].cells[0].text: [[c.text for c in r.cells] for r in t.rows] for t in Document(str(path)).tables}


def number(path: Path) -> str:
    return {r.cells[0].text: r.cells[1].text for r in Document(str(path)).tables[0].rows}["Document number"]


def text(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def test_psur_sets_the_stated_figures_beside_the_records_of_its_period(out: Path) -> None:
    path = out / PMS / "psur" / "PSUR-2026-001.docx"
    t = tables(path)
    assert number(path) == "NWM-PSUR-001"
    # Period 2025-11-01..2026-10-31, counted by hand from the records: complaints received 2026-06-03 (002),
    # 2026-07-08 (003), 2026-09-14 (001; CMP-2026-004 came 2026-11-12); the one serious incident CMP-2026-001;
    # every NC but NC-2026-005 (detected 2026-11-06); CAPA-2026-001..003 (004 opened 2026-11-10); shipments
    # SHP-2026-001..008 carry 6+4+5+3+4+4+4+3 = 33 pumps (SHP-2026-009 is planned, not shipped).
    assert [r[:4] for r in t["Figure"]] == [
        ["Figure", "Stated", "Records", "Check"], ["Complaints received", "3", "3", "agrees"],
        ["Serious incidents", "1", "1", "agrees"], ["Nonconformances detected", "7", "7", "agrees"],
        ["CAPAs opened", "3", "3", "agrees"], ["Units sold", "33", "33", "agrees"],
        ["Units in use (end of period)", "33", "33", "agrees"]]
    assert t["Figure"][3][4] == ("NC-2026-001, NC-2026-002, NC-2026-003, NC-2026-004, NC-2026-006, NC-2026-007, "
                                 "NC-2026-008")
    assert [r[0].split()[0] for r in t["Complaint"][1:]] == ["CMP-2026-001", "CMP-2026-002", "CMP-2026-003"]
    assert [r[3] for r in t["Complaint"][1:]] == ["yes", "no", "no"]
    # 33 units < the plan's minimum population of 100: no rate, and the document says why
    paragraphs = text(path)
    assert ("No rate is stated: 33 units were sold in the period, fewer than the minimum population of 100 units "
            "the PMS plan PMSP-001 Post-market surveillance plan - FlowSure VP-200 names for a rate; the counts "
            "above are the figures of the period.") in paragraphs
    assert t["Quarter"][1:] == [["2025-Q4", "0"], ["2026-Q1", "0"], ["2026-Q2", "1"], ["2026-Q3", "2"],
                                ["2026-Q4", "0"]]
    assert [r[2:5] for r in t["Indicator"][1:]] == [
        ["20", "not stated (population below the minimum)", "not assessed"],
        ["2", "not stated (population below the minimum)", "not assessed"], ["0", "1", "YES"], ["2", "2", "no"]]
    assert "None in the period." in paragraphs


def test_pms_plan_document_names_sources_thresholds_people_and_procedures(out: Path) -> None:
    path = out / PMS / "pms_plan.docx"
    t = tables(path)
    assert number(path) == "NWM-PMSP-001"
    assert len(t["Source"]) == 8 and t["Source"][1][0] == "Complaints and user feedback"
    assert t["Task"][1:] == [["Complaint handling, trending and vigilance reports",
                              "USR-006 Marco Bellini (Regulatory affairs and vigilance)"],
                             ["PMS plan owner and PSUR author", "USR-002 Priya Nair (Quality assurance)"],
                             ["PSUR approval and benefit-risk conclusion", "USR-001 Helena Marsh (Top management)"]]
    paragraphs = text(path)
    assert "DOC-003 SOP Complaint handling and vigilance reporting\nDOC-002 SOP Corrective and preventive action" \
        in paragraphs
    assert any(p.startswith("Review of the post-market data: monthly") and p.endswith(
        "every 12 months; for a class IIb device the Regulation asks at least annually.") for p in paragraphs)


def test_declaration_of_conformity_fills_every_annex_iv_item_and_is_a_draft(out: Path) -> None:
    path = out / DOC / "eu_declaration_of_conformity.docx"
    t = tables(path)
    assert number(path) == "NWM-DOC-001"
    paragraphs = text(path)
    for line in ("Northwind Medical Ltd", "Single registration number (SRN): IE-MF-000023456", "539123456VP2009U",
                 "Model (product code): VP-200", "Class IIb.",
                 "Notified body: Avalon Notified Body Ltd (fictional), identification number 0999",
                 "Place of issue: Galway, Ireland",
                 "Date of issue: not issued (this is a DRAFT of 2026-12-02; it is issued when approved)",
                 "Signed for and on behalf of Northwind Medical Ltd by Helena Marsh (Top management).",
                 "This declaration of conformity is issued under the sole responsibility of the manufacturer."):
        assert line in paragraphs, line
    assert [r[0] for r in t["Standard"][1:]] == ["IEC 60601-1", "IEC 60601-1-2", "IEC 60601-2-24", "IEC 62304",
                                                 "IEC 62366-1", "ISO 13485", "ISO 14971", "ISO 15223-1", "ISO 20417"]
    assert not any(p.startswith("NOT RECORDED") for p in paragraphs)
    assert "Items the repository cannot fill" not in paragraphs


def test_a_psur_period_that_ends_before_it_starts_is_an_error_not_a_count(tmp_path: Path) -> None:
    plan = PLAN.format(status="approved", min_population=10)
    psur = PSUR.format(complaints=0).replace("period_end: 2026-06-30", "period_end: 2025-12-31")
    repo = repo_with(tmp_path, {"records/postmarket/PMSP-001.yaml": plan, "records/postmarket/PSUR-2026-001.yaml": psur})
    assert found(repo, "2026-06-01") == [
        ("QMS771", "records/postmarket/PSUR-2026-001.yaml:6", "PSUR-2026-001",
         "the period ends 2025-12-31, before it starts 2026-01-01: no record can fall in it")]
