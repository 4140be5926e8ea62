"""Supplier controls (ISO 13485 7.4.1): audit-interval lapses (QMS510), critical suppliers approved without a
quality agreement or audit (QMS511), re-evaluation decisions (QMS512), and the one-period supplier summary."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from support import Built, make_repo, validate_json
from test_supply import POLICY, USER2

QA = "quality_agreement: {document: DOC-001, signed: 2025-01-10}\n"
DOC = "id: DOC-001\ntitle: Quality agreement\nstatus: draft\nowner: USR-001\ntype: record\nrevision: A\n"


def _supplier(sid: str, audits: list[str], approved: str | None = "2025-01-10", qa: bool = True,
              status: str = "approved", criticality: str = "critical", extra: str = "") -> str:
    text = (f"id: {sid}\ntitle: Supplier {sid}\nstatus: {status}\nowner: USR-002\ncriticality: {criticality}\n"
            + (f"approved: {approved}\n" if approved else "")
            + "audits:\n" + "".join(f"  - {{date: {a}, type: onsite, result: pass}}\n" for a in audits)
            + (QA if qa else "") + extra)
    return text if audits else text.replace("audits:\n", "audits: []\n")


def _repo(tmp: Path, suppliers: dict[str, str]) -> Path:
    files = {"specs/policies/POL-SUPPLIER.yaml": POLICY, "records/people/USR-002.yaml": USER2,
             "records/documents/DOC-001.yaml": DOC}
    files.update({f"records/suppliers/{k}.yaml": v for k, v in suppliers.items()})
    return make_repo(tmp, files)


def _found(repo: Path, codes: set[str], as_of: str = "2026-06-30") -> list[tuple[str, str, str, str]]:
    rc, doc = validate_json(repo, "--as-of", as_of)
    return sorted((f["code"], f["severity"], f["record"], f["location"]) for f in doc["findings"]
                  if f["code"] in codes)


def test_a_late_audit_is_reported_at_its_date_even_when_the_supplier_is_audited_now(tmp_path):
    # critical: 12 months from 2025-01-05 runs out on 2026-01-05; the audit of 2026-03-01 is 55 days late.
    # major: 24 months from 2024-06-01 runs out 2026-06-01; 2026-05-30 is in time.
    repo = _repo(tmp_path, {"SUP-001": _supplier("SUP-001", ["2024-12-20", "2025-01-05", "2026-03-01"]),
                            "SUP-002": _supplier("SUP-002", ["2024-06-01", "2026-05-30"], criticality="major")})
    rc, doc = validate_json(repo, "--as-of", "2026-06-30")
    (gap,) = [f for f in doc["findings"] if f["code"] == "QMS510"]
    assert (gap["record"], gap["severity"], gap["location"]) == ("SUP-001", "warning",
                                                                 "records/suppliers/SUP-001.yaml:10")
    assert "2026-03-01, 55 day(s) after the 12-month interval from the audit of 2025-01-05" in gap["message"]
    assert not [f for f in doc["findings"] if f["code"] in ("QMS504", "QMS511")]


def test_critical_supplier_without_agreement_or_qualification_audit(tmp_path):
    repo = _repo(tmp_path, {
        "SUP-001": _supplier("SUP-001", ["2025-06-01"], approved="2025-01-10", qa=False),  # audited after approval
        "SUP-002": _supplier("SUP-002", ["2025-06-01"], approved=None, status="candidate", qa=False),  # not approved
        "SUP-003": _supplier("SUP-003", ["2025-06-01"], approved="2025-01-10", qa=False, criticality="minor"),
        "SUP-004": _supplier("SUP-004", ["2025-01-02", "2026-01-02"], status="conditional", qa=False,
                             extra="quality_agreement: {document: DOC-001}\n"),  # agreement never signed
    })
    assert _found(repo, {"QMS511"}) == [
        ("QMS511", "error", "SUP-001", "records/suppliers/SUP-001.yaml:3"),
        ("QMS511", "error", "SUP-001", "records/suppliers/SUP-001.yaml:6"),
        ("QMS511", "error", "SUP-004", "records/suppliers/SUP-004.yaml:10"),
    ]


def test_the_example_reports_the_lapsed_audit_intervals_and_no_undecided_reevaluation(example_repo):
    # Every lapse is found, and each is accepted by the waiver that records its review (WVR-006..009).
    rc, doc = validate_json(example_repo, "--as-of", "2026-11-25")
    assert rc == 0 and doc["summary"]["errors"] == 0
    lapses = sorted((f["record"], f["message"].split(",")[0], f["waived_by"]) for f in doc["waived"]
                    if f["code"] == "QMS510")
    assert lapses == [("SUP-001", "critical supplier audited on 2025-12-03", "WVR-006"),
                      ("SUP-002", "critical supplier audited on 2026-03-18", "WVR-007"),
                      ("SUP-003", "critical supplier audited on 2026-05-26", "WVR-008"),
                      ("SUP-004", "critical supplier audited on 2026-09-22", "WVR-009")]
    assert not [f for f in doc["findings"] + doc["waived"] if f["code"] in ("QMS504", "QMS511", "QMS512")]


def test_reevaluation_needs_a_decision_for_the_period(tmp_path):
    # The example's SUP-004 without its decision: QMS512 at SUP-004; with a decision for another period, still.
    import shutil

    from support import copy_example
    repo = copy_example(tmp_path / "ex", commit=False)
    path = repo / "records/suppliers/SUP-004.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("# The decision")])
    assert _found(repo, {"QMS512"}, "2026-11-25") == [("QMS512", "warning", "SUP-004", "records/suppliers/SUP-004.yaml:3")]
    path.write_text(text.replace("period: 2026-Q3", "period: 2026-Q2"))
    (hit,) = _found(repo, {"QMS512"}, "2026-11-25")
    assert hit[0] == "QMS512" and hit[3].startswith("records/suppliers/SUP-004.yaml:") and hit[3] != \
        "records/suppliers/SUP-004.yaml:3"
    shutil.rmtree(repo)


def test_the_example_report_shows_each_component_with_the_counts_behind_it(example_build: Built):
    # SUP-002 accepted both lots of 2026-Q1 although its inspections found 1 defect in 70 units sampled: the table
    # shows the counts, so 100 % of lots accepted beside 14,286 ppm (1 / 70 x 10^6) reads as what it is.
    out = example_build.output
    doc = Document(str(out / "03-design-manufacturing/suppliers/supplier_evaluation_report.docx"))
    periods = [t for t in doc.tables if t.rows[0].cells[0].text == "Period"]
    assert len(periods) == 6  # one per supplier, each a table of its own (not joined to the audits above it)
    header = [c.text for c in periods[1].rows[0].cells]
    assert header == ["Period", "Complete", "Lots accepted (quality)", "Defects in samples", "On time (delivery)",
                      "CAPAs closed on time (responsiveness)", "Score", "Grade", "Re-evaluate"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in periods[1].rows[1:]}
    assert rows["2026-Q1"] == ["2026-Q1", "yes", "2 of 2\n100.0 %", "1 in 70 units\n14,286 ppm", "2 of 2\n100.0 %",
                               "none due\n100.0 %", "100.0", "A", "no"]
    sup004 = {r.cells[0].text: [c.text for c in r.cells] for r in periods[3].rows[1:]}
    # 0.5 x 4/6 + 0.3 x 2/6 + 0.2 x 100 % = 63.3; 3 defects in 120 units = 25,000 ppm
    assert sup004["2026-Q3"][2:] == ["4 of 6\n66.7 %", "3 in 120 units\n25,000 ppm", "2 of 6\n33.3 %",
                                      "none due\n100.0 %", "63.3", "C", "yes"]
    for table in periods:  # a paragraph before each: Word would otherwise join it to the table above
        assert table._tbl.getprevious().tag.endswith("}p")


def test_the_example_report_compares_one_period(example_build: Built):
    out = example_build.output  # `qms build` of the committed example, once per run (conftest)
    doc = Document(str(out / "03-design-manufacturing/suppliers/supplier_evaluation_report.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "All suppliers compared over 2026-Q3, the latest quarter complete at 2026-12-02" in text
    assert ("To re-evaluate: SUP-004 (2026-Q3 score 63.3): conditional approval, decided 2026-10-06 by Priya Nair "
            "(Quality assurance).") in text
    summary = next(t for t in doc.tables if t.rows[0].cells[0].text == "Supplier")
    header = [c.text for c in summary.rows[0].cells]
    rows = [[c.text for c in r.cells] for r in summary.rows[1:]]
    assert {r[header.index("Period")] for r in rows} == {"2026-Q3"}
    scores = {r[0]: r[header.index("Score")] for r in rows}
    assert scores == {"SUP-001": "no receipt", "SUP-002": "no receipt", "SUP-003": "100.0", "SUP-004": "63.3",
                      "SUP-005": "100.0", "SUP-006": "no receipt"}
