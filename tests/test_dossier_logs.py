"""The post-market logs and the register of approvals and signatures in the dossier (issue 17): one build of the
worked example, each Word table and workbook sheet read back and compared with the records."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from support import Built, clean_git_config, copy_example, git  # noqa: F401 (clean_git_config is autouse)
from test_build import build

PMS = "07-post-market-surveillance"


@pytest.fixture
def built(example_build: Built) -> tuple[Path, Path]:
    # Built once per run (conftest), exit 0: releasable, the new documents' numbers are registered. Read only.
    return example_build.repo, example_build.output


def table(path: Path, first: str) -> list[list[str]]:
    """The rows of the document's table whose header starts with `first`, and the document number."""
    doc = Document(str(path))
    found = [t for t in doc.tables if t.rows[0].cells[0].text == first]
    assert len(found) == 1, [t.rows[0].cells[0].text for t in doc.tables]
    return [[c.text for c in row.cells] for row in found[0].rows]


def number(path: Path) -> str:
    return {r.cells[0].text: r.cells[1].text for r in Document(str(path)).tables[0].rows}["Document number"]


def sheet(path: Path, name: str) -> list[list[str]]:
    ws = load_workbook(path)[name]
    assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape"
    return [["" if v is None else v.date().isoformat() if hasattr(v, "date") else str(v) for v in row]
            for row in ws.iter_rows(values_only=True)]


CMP_001 = "CMP-2026-001 Heparin over-infusion with bleeding, Duisburg"
CMP_002 = "CMP-2026-002 Pump stopped with power interruption error during vasopressor infusion"
EU, EVENT = "EU MDR competent authority", "Death or serious deterioration in health"


def test_vigilance_log_lists_every_report_with_its_due_and_sent_dates(built: tuple[Path, Path]) -> None:
    _, out = built
    rows = table(out / PMS / "vigilance_log.docx", "Complaint")
    # Due: awareness + the policy's clock (EU MDR Art. 87(5) 10 days for a serious deterioration; 21 CFR 803.50 30
    # days for a malfunction); the follow-up stops no clock.
    assert rows == [
        ["Complaint", "Event class", "Aware", "Authority", "Report", "Reference", "Due", "Sent", "Status"],
        [CMP_002, "Malfunction", "2026-06-03", "FDA (21 CFR 803)", "Initial", "3012894471-2026-00001", "2026-07-03",
         "2026-06-26", "on time"],
        [CMP_001, EVENT, "2026-09-14", EU, "Initial", "BfArM 02871/26", "2026-09-24", "2026-09-22", "on time"],
        [CMP_001, EVENT, "2026-09-14", EU, "Follow-up", "BfArM 02871/26", "—", "2026-11-12", "sent (follow-up)"],
    ]
    assert sheet(out / PMS / "pms_logs.xlsx", "Vigilance") == rows
    assert number(out / PMS / "vigilance_log.docx") == "NWM-LOG-003"


def test_complaint_and_nc_logs_name_records_people_and_labels(built: tuple[Path, Path]) -> None:
    repo, out = built
    complaints = table(out / PMS / "complaint_log.docx", "Complaint")
    ids = sorted(p.stem for p in (repo / "records/events/complaints").glob("*.yaml"))
    assert [r[0].split()[0] for r in complaints[1:]] == ids
    assert complaints[1] == [CMP_001, "2026-09-14", "DE", "MAT-001 FlowSure VP-200 volumetric infusion pump",
                             "Serious injury", EVENT, "yes",
                             "CAPA-2026-003 Drug library update failure not visible to the hospital",
                             "Marco Bellini (Regulatory affairs and vigilance)", "investigation", "open"]
    ncs = table(out / PMS / "nc_log.docx", "Nonconformance")
    assert [r[0].split()[0] for r in ncs[1:]] == sorted(p.stem for p in (repo / "records/events/nc").glob("*.yaml"))
    assert ncs[5] == ["NC-2026-005 Final test performed by operators not trained on WI rev F", "Nonconformance",
                      "Audit", "IA-2026-04", "2026-11-06", "—", "not dispositioned",
                      "CAPA-2026-004 Work instruction revisions released before operator training",
                      "Priya Nair (Quality assurance)", "open", "open"]
    workbook = out / PMS / "pms_logs.xlsx"
    assert sheet(workbook, "Complaints") == complaints and sheet(workbook, "Nonconformances") == ncs
    assert (number(out / PMS / "complaint_log.docx"), number(out / PMS / "nc_log.docx")) == ("NWM-LOG-001",
                                                                                              "NWM-LOG-002")


def test_approvals_register_judges_every_signature(built: tuple[Path, Path]) -> None:
    repo, out = built
    rows = table(out / "approvals_register.docx", "Approval")
    assert rows[0] == ["Approval", "Record signed", "Meaning", "Signer", "Signed", "Content hash", "Commit", "Status"]
    by_id = {r[0]: r for r in rows[1:]}
    assert sorted(by_id) == sorted(p.stem for p in (repo / "records/approvals").glob("*.yaml"))
    record = yaml.safe_load((repo / "records/approvals/APR-DOC-001-2.yaml").read_text())
    added = git(repo, "log", "--diff-filter=A", "--format=%H %ad", "--date=short", "--",
                "records/approvals/APR-DOC-001-2.yaml").split()
    assert by_id["APR-DOC-001-2"] == [
        "APR-DOC-001-2", "DOC-001 Risk management plan - FlowSure VP-200", "Approval", "Helena Marsh (Top management)",
        "2026-12-02T00:41:41+00:00", record["record_hash"][:12], f"{added[0][:12]} ({added[1]})", "valid"]
    revoked = by_id["APR-DOC-001-1"]
    assert revoked[3] == "Priya Nair (Quality assurance)" and revoked[-1] == "revoked"
    assert {r[-1] for r in rows[1:]} == {"valid", "revoked"}  # the example validates clean
    assert sheet(out / "approvals_register.xlsx", "Approvals") == rows
    assert number(out / "approvals_register.docx") == "NWM-ESIG-001"


def test_a_faulted_signature_shows_its_finding(tmp_path: Path) -> None:
    """An approval re-dated after it was committed is not valid: the register says so with the rule's finding."""
    repo = copy_example(tmp_path / "repo")
    path = repo / "records/approvals/APR-DOC-002-1.yaml"
    path.write_text(path.read_text().replace("signed: 2026-12-02T00:41:41+00:00", "signed: 2026-11-20T10:00:00+00:00"))
    git(repo, "commit", "-q", "-am", "re-date an approval")
    proc = build(repo, "--out", str(tmp_path / "out"))
    assert proc.returncode == 1, proc.stderr
    row = {r[0]: r for r in table(tmp_path / "out/approvals_register.docx", "Approval")[1:]}["APR-DOC-002-1"]
    assert row[-1].startswith("not valid: QMS612 APR-DOC-002-1 signed 2026-11-20T10:00:00+00:00 but its commit "), row
    assert row[-1].endswith(" was made 2026-12-02T00:41:41+00:00"), row
