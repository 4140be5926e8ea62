"""Every Word document `qms build` writes is controlled (issues #6, #16): one build of the worked example, each
document re-read with python-docx and checked for its number, its revisions (approved releases, never git
commits), its approval state (DRAFT on every page until validly approved), approval block and source records."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document
from support import EXAMPLE_KEYS, ROOT, Built, clean_git_config, copy_example, run_qms  # noqa: F401 (clean_git_config is autouse)
from test_build import _git, build

DM, RISK, VV, PMS = ("03-design-manufacturing", "05-benefit-risk-management", "06-verification-validation",
                     "07-post-market-surveillance")
QS = "qms-software-validation"  # the QMS's own software validation, outside Annex II (ISO 13485 4.1.6)
FOLDER = {"IQ-001": VV, "OQ-001": VV, "PQ-001": VV, "IQ-002": QS, "OQ-002": QS, "PQ-002": QS}
# Every Word file of the example dossier and its document number (qms.yaml numbering: {company}-{type}-{n:03d}).
NUMBERS = {
    "index.docx": "NWM-DHF-001",
    "approvals_register.docx": "NWM-ESIG-001",
    f"{PMS}/complaint_log.docx": "NWM-LOG-001",
    f"{PMS}/nc_log.docx": "NWM-LOG-002",
    f"{PMS}/vigilance_log.docx": "NWM-LOG-003",
    "01-device-description/device_description.docx": "NWM-DDS-001",
    f"{DM}/change-control/CC-2026-001.docx": "NWM-CCR-001",
    f"{DM}/change-control/CC-2026-002.docx": "NWM-CCR-002",
    f"{DM}/change-control/CC-2026-003.docx": "NWM-CCR-003",
    f"{DM}/change-control/CC-2026-004.docx": "NWM-CCR-004",
    f"{DM}/suppliers/supplier_evaluation_report.docx": "NWM-SUPR-001",
    f"{RISK}/risk_management_plan_summary.docx": "NWM-RMP-001",
    f"{RISK}/risk_management_report.docx": "NWM-RMR-001",
    f"{RISK}/fmea_report.docx": "NWM-FMEA-001",
    f"{VV}/design_traceability_matrix.docx": "NWM-DTM-001",
    f"{PMS}/capa/CAPA-2026-001.docx": "NWM-CAPR-001",
    f"{PMS}/capa/CAPA-2026-002.docx": "NWM-CAPR-002",
    f"{PMS}/capa/CAPA-2026-003.docx": "NWM-CAPR-003",
    f"{PMS}/capa/CAPA-2026-004.docx": "NWM-CAPR-004",
    f"{PMS}/management_review_input.docx": "NWM-MRI-001",
    # Validation: every protocol for approval (numbered in ID order), the executed reports (the device process's
    # from their execution records, the QMS software's run by `qms build`), and each side's validation summary.
    **{f"{FOLDER[pid]}/protocols/{pid}-protocol.docx": f"NWM-VP-{n:03d}"
       for n, pid in enumerate(("IQ-001", "IQ-002", "OQ-001", "OQ-002", "PQ-001", "PQ-002"), 1)},
    **{f"{FOLDER[pid]}/protocols/{pid}/{pid}-executed.docx": f"NWM-VR-{n:03d}"
       for n, pid in enumerate(("IQ-001", "IQ-002", "OQ-001", "OQ-002", "PQ-001", "PQ-002"), 1)},
    f"{VV}/validation_summary.docx": "NWM-VSR-001",
    f"{QS}/qms_software_validation_summary.docx": "NWM-VSR-002",
    f"{VV}/evidence_register.docx": "NWM-EVR-001",
    "04-gspr/gspr_checklist.docx": "NWM-GSPR-001",
    "04-gspr/standards_applied.docx": "NWM-STDL-001",
    "02-information-supplied/information_supplied.docx": "NWM-ISR-001",
    f"{DM}/manufacturing_sites_and_process.docx": "NWM-MSP-001",
    f"{PMS}/pms_plan.docx": "NWM-PMSP-001",
    f"{PMS}/psur/PSUR-2026-001.docx": "NWM-PSUR-001",
    "08-declaration-of-conformity/eu_declaration_of_conformity.docx": "NWM-DOC-001",
}
PLAN = f"{RISK}/risk_management_plan_summary.docx"
# Documents whose subject record carries a valid signed approval in the example: their approval block names the
# signers instead of offering signature lines.
APPROVED = {PLAN, f"{DM}/change-control/CC-2026-002.docx",
            *(f"{QS}/protocols/{pid}-protocol.docx" for pid in ("IQ-002", "OQ-002", "PQ-002"))}
DEVICE = "01-device-description/device_description.docx"
COMMITTED = ""  # the date of the example copy's commit, set by the `built` fixture
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(example_build: Built) -> tuple[Path, str]:
    repo = example_build.repo  # built once per run (conftest): read only
    global COMMITTED, REPO
    REPO = repo
    COMMITTED = _git(repo, "log", "-1", "--format=%ad", "--date=short", _git(repo, "rev-list", "--max-parents=0",
                                                                           "HEAD"))
    return repo / "output", _git(repo, "rev-parse", "HEAD")


REPO = Path()  # the example copy, set by the `built` fixture


DRAFT = "DRAFT — not approved"
HISTORY_HEADER = ["Revision", "Date", "Approved by", "Reason for change", "Approval record"]
# The record each document reports on, whose approvals control it (NWM-RMP-001 is DOC-001 by its number).
SUBJECT = {PLAN: "DOC-001", **{f"{DM}/change-control/{c}.docx": c for c in ("CC-2026-001", "CC-2026-002", "CC-2026-003",
                                                                                        "CC-2026-004")},
           **{f"{PMS}/capa/CAPA-2026-00{n}.docx": f"CAPA-2026-00{n}" for n in range(1, 5)},
           **{f"{FOLDER[p]}/protocols/{p}-protocol.docx": p for p in ("IQ-001", "IQ-002", "OQ-001", "OQ-002", "PQ-001", "PQ-002")}}


def _record(rid: str) -> dict:
    return yaml.safe_load(next(ROOT.glob(f"**/{rid}.yaml")).read_text())


def expected_history(rel: str) -> list[list[str]]:
    """The revision rows the records call for: each signed approval of the subject's content, by printed name
    and role, with the change controls (approved or later) naming the subject as its reason; else the draft."""
    subject = SUBJECT.get(rel)
    changes = [f"{c['id']} {c['title']}" for c in _yaml("records/events/change/CC-*.yaml")
               if c["status"] in ("approved", "implemented", "verified", "closed")
               and subject in (c["id"], *c["affected"])]
    signed = [a for a in _yaml("records/approvals/APR-*.yaml")
              if a["record"] == subject and a["status"] == "signed" and a["meaning"] in ("approval", "release")]
    if not signed:
        return [["A", "2026-12-02", DRAFT, "\n".join([*changes, "First issue, in draft"]), ""]]
    assert len(signed) == 1, rel  # one signature each in the example
    a = signed[0]
    role = _record(a["role"])["title"]
    reason = ("\n".join(changes) if changes else "First issue" if rel != PLAN else
              "First revision approved by electronic signature; earlier revisions are not in this history")
    return [["C" if rel == PLAN else "A", str(a["signed"])[:10], f"{a['printed_name']} ({role})", reason, a["id"]]]


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def tables_after(doc) -> dict[str, list]:
    """Each heading's text -> the tables between it and the next heading, in body order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: dict[str, list] = {}
    current = ""
    for child in doc.element.body.iterchildren():
        if child.tag == f"{W}p":
            p = Paragraph(child, doc._body)
            if p.style is not None and p.style.name.startswith("Heading"):
                current = p.text
                out.setdefault(current, [])
        elif child.tag == f"{W}tbl":
            out.setdefault(current, []).append(Table(child, doc._body))
    return out


def source_records(doc) -> list[str]:
    tables = tables_after(doc)["Source records"]
    if not tables:  # a document drawn from no record (the device description: qms.yaml)
        return []
    rows = cells(tables[0])
    assert rows[0] == ["Record"]
    return [r[0].split(" ", 1)[0] for r in rows[1:]]  # each cell is "ID title" (test_document_names)


def open_doc(out: Path, rel: str):
    return Document(str(out / rel))


def test_every_word_file_is_a_controlled_document(built):
    out, head = built
    found = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert found == sorted(NUMBERS)
    commits = _git(REPO, "rev-list", "--all").split()
    for rel, number in NUMBERS.items():
        doc = open_doc(out, rel)
        history = tables_after(doc)["Revision history"]
        rows = expected_history(rel)
        assert cells(history[0]) == [HISTORY_HEADER, *rows], rel
        revision, date = rows[-1][0], rows[-1][1]
        # no git commit is a revision: no cell of the table names one
        assert not any(c[:7] in cell for c in commits for row in cells(history[0]) for cell in row), rel
        approved = rel in APPROVED
        standing = f"Effective {date}" if approved else f"Draft of {date}"
        for section in doc.sections:  # the landscape sections of wide tables too
            header = [p.text for p in section.header.paragraphs][1:]  # after the template's logo paragraph
            assert header[0].startswith(f"{number}   Rev. {revision}   {standing}\t"), (rel, header)
            assert header[1:] == ([] if approved else [DRAFT]), (rel, header)
        footer = doc.sections[0].footer.paragraphs[0].text
        assert footer.startswith(f"Northwind Medical Ltd   {number} Rev. {revision}{'' if approved else '   ' + DRAFT}"
                                 "   Page "), rel
        title_page = dict(map(tuple, cells(doc.tables[0])[1:]))
        assert title_page["Document number"] == number and title_page["Generated from commit"] == head, rel
        assert title_page["Revision"] == revision
        if approved:
            assert title_page["Approval state"] == f"Approved by {rows[-1][2]}" and title_page["Effective date"] == date
            assert "Draft of" not in title_page
        else:
            assert title_page["Approval state"] == DRAFT and title_page["Draft of"] == "2026-12-02", rel
            assert "Effective date" not in title_page
        texts = [p.text for p in doc.paragraphs]
        assert (DRAFT in texts[:5]) is not approved, rel  # under the title on the title page
        assert doc.core_properties.content_status == ("Approved" if approved else "Draft")
        assert f"Generated by QMS Generator from commit {head} of the quality repository, drawing on " \
               f"{len(source_records(doc))} record(s)." in texts, rel
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        assert headings[:3] == ["Revision history", "Approvals", "Contents"] and headings[-1] == "Source records"


def test_plan_summary_is_doc_001_and_carries_its_approval(built):
    out, _ = built
    doc = open_doc(out, PLAN)
    approvals = tables_after(doc)["Approvals"]
    # APR-DOC-001-2, signed by Helena Marsh with her key; APR-DOC-001-1 (the paper-era transcription) is revoked.
    assert [cells(t) for t in approvals] == [[["Name", "Role", "Meaning", "Date"],
                                              ["Helena Marsh", "Top management", "Approval",
                                               "2026-12-02T00:41:41+00:00"]]]
    assert "Not yet approved. Sign below:" not in [p.text for p in doc.paragraphs]
    assert source_records(doc) == ["APR-DOC-001-2", "DOC-001", "POL-RISK"]
    # revision C of DOC-001, effective on the day Helena Marsh signed it
    assert doc.sections[0].header.paragraphs[-1].text == ("NWM-RMP-001   Rev. C   Effective 2026-12-02\t"
                                                          "Risk management plan summary")
    assert cells(tables_after(doc)["Revision history"][0])[1][:3] == ["C", "2026-12-02", "Helena Marsh (Top management)"]
    text = [p.text for p in doc.paragraphs]
    assert "DOC-001 Risk management plan - FlowSure VP-200, revision C, status effective." in text
    matrix = tables_after(doc)["Acceptability matrix"][0]
    policy = yaml.safe_load((ROOT / "specs/policies/POL-RISK.yaml").read_text())
    assert cells(matrix)[1:] == [[f"{p['level']} {p['name']}", *row] for p, row in
                                 reversed(list(zip(policy["probability"], policy["acceptability"])))]


def test_documents_without_approvals_have_signature_lines(built):
    out, _ = built
    for rel in NUMBERS:
        doc = open_doc(out, rel)
        if rel in APPROVED:
            assert "Not yet approved. Sign below:" not in [p.text for p in doc.paragraphs], rel
            assert cells(tables_after(doc)["Approvals"][0])[0] == ["Name", "Role", "Meaning", "Date"], rel
            continue
        assert "Not yet approved. Sign below:" in [p.text for p in doc.paragraphs], rel
        roles = [r[0] for r in cells(tables_after(doc)["Approvals"][0])]
        if "/capa/" in rel:
            assert roles == ["Role", "CAPA owner", "Quality assurance", "Management representative"]
        elif "/change-control/" in rel:
            assert roles == ["Role", "Change owner", "Quality assurance", "Regulatory affairs"]
        elif rel.endswith("-protocol.docx"):
            assert roles == ["Role", "Author", "Reviewer", "Quality assurance (approval for execution)"]
        elif rel.endswith("-executed.docx"):
            assert roles == ["Role", "Executed by", "Reviewed by", "Quality assurance (approval of results)"]
        elif rel.startswith("08-declaration-of-conformity/"):
            assert roles == ["Role", "Helena Marsh (Top management)"]  # the signatory qms.yaml names (Annex IV 10)
        else:
            assert roles == ["Role", "Author", "Reviewer", "Quality assurance"], rel
        assert cells(tables_after(doc)["Approvals"][0])[1][1:] == ["______________________"] * 2 + ["____________"]


def _yaml(pattern: str) -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in sorted(ROOT.glob(pattern))]


def test_each_change_control_has_its_record(built):
    out, _ = built
    changes = _yaml("records/events/change/CC-*.yaml")
    assert [c["id"] for c in changes] == ["CC-2026-001", "CC-2026-002", "CC-2026-003", "CC-2026-004"]
    for cc in changes:
        doc = open_doc(out, f"{DM}/change-control/{cc['id']}.docx")
        facts = dict(map(tuple, cells(tables_after(doc)["Contents"][0])[1:]))  # the first table of the body
        owner = _yaml(f"records/people/{cc['owner']}.yaml")[0]
        roles = ", ".join(_yaml(f"records/people/roles/{r}.yaml")[0]["title"] for r in owner["roles"])
        assert facts["Change"] == cc["id"] and facts["Status"] == cc["status"]
        assert facts["Owner"] == f"{owner['name']} ({roles})"  # a person by printed name and role, not USR-
        by_heading = tables_after(doc)
        assert [r[0] for r in cells(by_heading["Affected records"][0])[1:]] == cc["affected"]
        risk = by_heading["Risk review"]  # no table when the change names no risk record (CC-2026-004)
        assert ([r[0] for r in cells(risk[0])[1:]] if risk else []) == cc.get("risk_reviewed", [])
        signed = sorted(p.stem for p in (REPO / "records/approvals").glob(f"APR-{cc['id']}-*.yaml"))
        assert source_records(doc) == sorted({cc["id"], cc["owner"], *cc["affected"], *cc.get("risk_reviewed", []),
                                              *cc.get("revalidation", []), *signed,
                                              *(a["owner"] for a in cc.get("actions", []) if "owner" in a)})
        impact = dict(map(tuple, cells(by_heading["Impact assessment"][0])[1:]))
        assert impact["Regulatory"] == " ".join(cc["impact"]["regulatory"].split())


def test_capa_reports_are_numbered_in_capa_order_and_list_their_sources(built):
    out, _ = built
    for n, capa in enumerate(_yaml("records/events/capa/CAPA-*.yaml"), 1):
        doc = open_doc(out, f"{PMS}/capa/{capa['id']}.docx")
        assert [p.text for p in doc.sections[0].header.paragraphs[-2:]] == [
            f"NWM-CAPR-{n:03d}   Rev. A   Draft of 2026-12-02\tCAPA report {capa['id']}: {capa['title']}", DRAFT]
        assert capa["id"] in source_records(doc)
        assert set(capa.get("sources", [])) <= set(source_records(doc))
        headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
        assert headings[3:-1] == ["Problem", "Containment", "Investigation", "Root cause", "Risk and reportability",
                                  "Actions", "Adverse effect", "Effectiveness"]


def test_trace_matrix_rows_match_traced(example_repo, built):
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet
    from generator.rules.trace import traced

    out, _ = built
    loaded = load_repository(example_repo)
    result = traced(RecordSet(loaded.records, loaded.config))
    doc = open_doc(out, f"{VV}/design_traceability_matrix.docx")
    matrix = cells(tables_after(doc)["Matrix"][0])
    assert matrix[0] == ["ID", "Kind", "Title", "User needs", "Derived from / mitigates", "Risk controls",
                         "Implemented by", "Latest results", "Covered", "Gaps"]
    # 31 requirements and 11 risk controls in the example, one row each
    assert len(matrix) - 1 == len(result.rows) == 31 + 11
    assert [(r[0], r[2], r[8]) for r in matrix[1:]] == [(r.id, r.title, "yes" if r.covered else "no")
                                                        for r in result.rows]
    assert [r[7] for r in matrix[1:]] == ["\n".join(str(o) for o in r.results) or "none" for r in result.rows]
    assert matrix[1][0] == "REQ-0001"
    # the matrix gets landscape pages of its own (the last section before the closing chapter); the title is portrait
    assert doc.sections[0].page_width < doc.sections[0].page_height
    assert any(s.page_width > s.page_height for s in doc.sections[1:])
    assert set(source_records(doc)) >= {r.id for r in result.rows}


def test_risk_report_follows_iso_14971_clause_9(built):
    out, _ = built
    doc = open_doc(out, f"{RISK}/risk_management_report.docx")
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1[3:] == ["Scope", "Risk management plan summary", "Review of the implementation of the plan",
                          "Risk evaluation", "Overall residual risk", "Benefit-risk analyses",
                          "Production and post-production information", "Open actions", "Conclusion",
                          "Source records"]  # numbered 1 to 10 by the document (test_pdf_layout)
    assert len(doc.inline_shapes) == 2  # the initial and residual heat maps
    situations = len(list(ROOT.glob("records/risk/situations/HS-*.yaml")))
    assert situations == 11
    by_heading = tables_after(doc)
    for which in ("Initial risk matrix", "Residual risk matrix"):
        grid = cells(by_heading[which][0])
        assert grid[0] == ["Probability \\ severity", "1 Negligible", "2 Minor", "3 Serious", "4 Critical",
                           "5 Catastrophic"]
        assert sum(int(v) for row in grid[1:] for v in row[1:]) == situations
    text = [p.text for p in doc.paragraphs]
    assert "11 of 11 hazardous situation(s) have an accepted residual risk." in text
    assert "DOC-001" in source_records(doc) or "POL-RISK" in source_records(doc)
    assert {f"HS-{i:03d}" for i in range(1, 12)} <= set(source_records(doc))


def test_supplier_report_and_kpi_review(built):
    out, _ = built
    doc = open_doc(out, f"{DM}/suppliers/supplier_evaluation_report.docx")
    assert len(doc.inline_shapes) == 6
    assert {f"SUP-00{i}" for i in range(1, 7)} <= set(source_records(doc))
    kpi = open_doc(out, f"{PMS}/management_review_input.docx")
    assert len(kpi.inline_shapes) == 1
    sources = json.loads((out / PMS / "kpi.json").read_text())
    listed = {s for k in sources["kpis"].values() for s in k.get("sources", [])}
    listed |= {s for i in sources["inputs"] for s in i["sources"]}  # and the records of the 5.6.2 inputs
    assert set(source_records(kpi)) == listed == set(sources["sources"])


def test_index_document_lists_every_file_by_section(built):
    out, _ = built
    doc = open_doc(out, "index.docx")
    by_heading = tables_after(doc)
    listed = {row[0]: row for heading, tables in by_heading.items() if heading not in ("", "Approvals")
              for t in tables for row in cells(t)[1:] if heading not in ("Revision history", "Source records",
                                                                        "Dossier status")}
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(listed) == {e["path"] for e in manifest["files"]} | {"manifest.json"}
    # every Word file with its number, revision and approval state, in the index and in the manifest
    assert listed[PLAN][1:] == ["NWM-RMP-001", "C", "approved", "Risk management plan summary"]
    assert listed[f"{RISK}/risk_management_report.docx"][1:4] == ["NWM-RMR-001", "A", "DRAFT"]
    assert listed[f"{RISK}/heatmap_initial.png"][1:] == ["", "", "", "Heat map of initial risk"]
    documents = {e["path"]: e["document"] for e in manifest["files"] if "document" in e}
    assert set(documents) == set(NUMBERS)
    assert {rel: (d["number"], d["revision"], d["approval"]) for rel, d in documents.items()} == {
        rel: (number, "C" if rel == PLAN else "A", "approved" if rel in APPROVED else "draft")
        for rel, number in NUMBERS.items()}
    assert cells(by_heading["Dossier status"][0])[-1] == [
        "Controlled documents", f"{len(NUMBERS)}: {len(APPROVED)} approved, {len(NUMBERS) - len(APPROVED)} draft "
                               "(DRAFT — not approved)"]
    # drafts do not stop a build: the release policy (POL-RELEASE) names only approved documents
    assert manifest["releasable"] is True and "unapproved_documents" not in manifest
    chapters = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][3:]  # numbered 1, 2, ... in order
    for heading, tables in by_heading.items():
        for t in tables:
            for row in cells(t)[1:]:
                if row[0] in listed and row[0].startswith(f"{QS}/"):  # outside the Annex II numbering
                    assert heading == "QMS software validation (ISO 13485:2016 4.1.6)", (heading, row[0])
                elif row[0] in listed and "/" in row[0]:  # the section of folder 0N is chapter N
                    assert chapters.index(heading) + 1 == int(row[0][:2]), (heading, row[0])
    empty = [p.text for p in doc.paragraphs if p.text.startswith("No content in this repository.")]
    # every Annex II/III section has content: 2 the labels and IFU, 4 the GSPR checklist and standards list
    assert empty == []
    html = (out / "index.html").read_text()
    assert re.search(r'risk_management_plan_summary\.docx</a></td><td class="nowrap">NWM-RMP-001</td><td>C</td>'
                     r'<td class="approved">approved</td><td>Risk management plan summary <span class="muted">'
                     r'\([\d,]+ bytes\)</span></td></tr>', html)
    assert re.search(r'risk_management_report\.docx</a></td><td class="nowrap">NWM-RMR-001</td><td>A</td>'
                     r'<td class="draft">DRAFT — not approved</td>', html)
    # no section is empty: 2 holds the labels and IFU, 4 the GSPR checklist and the standards list
    assert html.count('<p class="empty">No content in this repository.') == 0
    assert re.search(r'<h2>4 General safety and performance requirements \(EU MDR Annex II, 4\)</h2>\n', html)
    assert not re.search(r'<h2>4 General safety and performance requirements \(EU MDR Annex II, 4\)</h2>\n'
                         r'<p class="empty">', html)
    assert "gspr_checklist.docx" in html and "standards_applied.docx" in html


def _rebuild(repo: Path, out: Path):
    """`qms build` of `repo` in this process, without executing the self-validation protocols (not looked at)."""
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet
    from generator.render.dossier import build_dossier

    loaded = load_repository(repo)
    build_dossier(repo, loaded, RecordSet(loaded.records, loaded.config), loaded.config.as_of, out, protocols=False)
    return open_doc(out, PLAN)


def test_a_new_approval_of_changed_content_advances_the_revision(tmp_path):
    repo = copy_example(tmp_path / "repo")
    plan = repo / "records/documents/DOC-001.yaml"
    plan.write_text(plan.read_text().replace("revision: C", "revision: D")
                    .replace("review_due: 2027-02-10", "review_due: 2028-02-10"))
    _git(repo, "commit", "-qam", "Risk management plan revision D: review date moved")
    helena_c = ["C", "2026-12-02", "Helena Marsh (Top management)",
                "First revision approved by electronic signature; earlier revisions are not in this history",
                "APR-DOC-001-2"]

    # changed since Helena signed C: revision D is a draft, C stays in the history
    doc = _rebuild(repo, tmp_path / "draft")
    assert cells(tables_after(doc)["Revision history"][0]) == [
        HISTORY_HEADER, helena_c,
        ["D", "2026-12-02", DRAFT, "Draft: the content changed since revision C was approved", ""]]
    assert [p.text for p in doc.sections[0].header.paragraphs[-2:]] == [
        "NWM-RMP-001   Rev. D   Draft of 2026-12-02\tRisk management plan summary", DRAFT]

    # Helena approves the new content herself: her git identity, her (example-only) key
    key = tmp_path / "USR-001"
    shutil.copy(repo / EXAMPLE_KEYS / "USR-001", key)
    key.chmod(0o600)
    for name, value in (("user.name", "Helena Marsh"), ("user.email", "helena.marsh@northwind-medical.example"),
                        ("gpg.format", "ssh"), ("user.signingkey", str(key))):
        _git(repo, "config", name, value)
    proc = run_qms("--repo", str(repo), "approve", "DOC-001", "--meaning", "approval",
                   "--comment", "Annual review: the plan stands; next review in 2028.")
    assert proc.returncode == 0, proc.stderr
    signed = yaml.safe_load((repo / "records/approvals/APR-DOC-001-3.yaml").read_text())
    day = str(signed["signed"])[:10]

    doc = _rebuild(repo, tmp_path / "approved")
    assert cells(tables_after(doc)["Revision history"][0]) == [
        HISTORY_HEADER, helena_c,
        ["D", day, "Helena Marsh (Top management)", "Annual review: the plan stands; next review in 2028.",
         "APR-DOC-001-3"]]
    assert [p.text for p in doc.sections[0].header.paragraphs[1:]] == [
        f"NWM-RMP-001   Rev. D   Effective {day}\tRisk management plan summary"]
    assert dict(map(tuple, cells(doc.tables[0])[1:]))["Approval state"] == "Approved by Helena Marsh (Top management)"
    assert cells(tables_after(doc)["Approvals"][0])[1][:3] == ["Helena Marsh", "Top management", "Approval"]


def test_an_approval_not_sealed_by_its_signer_advances_nothing(tmp_path):
    """A hand-written approval of the new content, committed unsigned by someone else (QMS607, QMS611): the
    build's integrity rules fault it, so the document stays a draft of revision D."""
    repo = copy_example(tmp_path / "repo")
    plan = repo / "records/documents/DOC-001.yaml"
    plan.write_text(plan.read_text().replace("revision: C", "revision: D"))
    from generator.load.repo import load_repository
    from generator.model.canonical import content_hash
    from generator.recordset import RecordSet

    loaded = load_repository(repo)
    digest = content_hash(RecordSet(loaded.records, loaded.config).get("DOC-001"))
    (repo / "records/approvals/APR-DOC-001-3.yaml").write_text(
        f"id: APR-DOC-001-3\ntitle: Approval of DOC-001\nstatus: signed\nrecord: DOC-001\nrecord_hash: {digest}\n"
        "meaning: approval\nsigner: USR-001\nprinted_name: Helena Marsh\nrole: ROLE-MGMT\n"
        f"signed: {dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Revision D, approved")
    from generator.render.document import DocumentSet

    loaded = load_repository(repo)
    # by its hash alone it would release D: the build's integrity findings are what refuse it
    assert DocumentSet.for_records(RecordSet(loaded.records, loaded.config), effective="2026-11-25").control(
        "rmp", "plan").approved
    doc = _rebuild(repo, tmp_path / "out")
    findings = json.loads((tmp_path / "out/findings.json").read_text())["findings"]
    assert {f["code"] for f in findings if f.get("record") == "APR-DOC-001-3"} >= {"QMS607"}
    assert [r[0] for r in cells(tables_after(doc)["Revision history"][0])] == ["Revision", "C", "D"]
    assert cells(tables_after(doc)["Revision history"][0])[2][2] == DRAFT
    assert doc.sections[0].header.paragraphs[-1].text == DRAFT


def test_a_document_the_release_policy_names_must_be_approved(tmp_path: Path):
    """POL-RELEASE names the documents a release needs approved. Naming the draft risk management report, and
    a CAPA report the dossier does not hold, makes the dossier NOT RELEASABLE (exit 1), each named by number
    and title in the manifest, the index and the build's verdict."""
    repo = copy_example(tmp_path / "repo")
    policy = repo / "specs/policies/POL-RELEASE.yaml"
    assert yaml.safe_load(policy.read_text())["required_approvals"] == [
        "rmp:plan", "protocol:IQ-002", "protocol:OQ-002", "protocol:PQ-002"]  # the example's approved documents
    # a policy in force that nobody has approved yet: its own approval would no longer sign the edited content
    (repo / "records/approvals/APR-POL-RELEASE-1.yaml").unlink()
    policy.write_text(policy.read_text() + "  - risk:report\n  - capa:CAPA-2026-009\n")
    _git(repo, "commit", "-qam", "The release needs the risk management report and a CAPA report approved")
    proc = build(repo, "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    reasons = ["NWM-RMR-001 Risk management report is not approved (POL-RELEASE requires its approval)",
               "NWM-CAPR-005 (capa:CAPA-2026-009), which POL-RELEASE requires approved, is not in this dossier"]
    manifest = json.loads((tmp_path / "out/manifest.json").read_text())
    assert manifest["releasable"] is False and manifest["unapproved_documents"] == reasons
    assert manifest["status"] == "not releasable: " + "; ".join(reasons)
    assert manifest["validation"]["errors"] == 0 and set(manifest["protocols"].values()) == {"pass"}
    assert f"NOT RELEASABLE ({'; '.join(reasons)})" in proc.stdout.splitlines()[-1]
    status = dict(map(tuple, cells(tables_after(Document(tmp_path / "out/index.docx"))["Dossier status"][0])))
    assert status["Release"] == "NOT RELEASABLE: " + "; ".join(reasons)
    assert "NOT RELEASABLE: " + "; ".join(reasons).replace("&", "&amp;") in (tmp_path / "out/index.html").read_text()
