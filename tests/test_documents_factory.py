"""DocumentSet, the factory every generated document goes through: numbers, revisions that are approved
releases of the content (approval records, only while signed; the current content's approvals make the
document effective, else it is a draft), change controls as the reasons, the git reference from a callable,
source paths."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from docx import Document
from support import copy_example

from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.control import RevisionEntry, step_revision
from generator.render.document import DocumentSet, SourceCommits, UncontrolledCopy, document_number
from generator.render.numbers import DEFAULT_TYPE_CODES

AS_OF = dt.date(2026, 11, 25)
# APR-DOC-001-2: Helena Marsh (ROLE-MGMT) signed DOC-001 with her example key; APR-DOC-001-1, the paper-era
# transcription, is revoked and does not count.
HELENA = ["Helena Marsh", "Top management", "Approval", "2026-12-02T00:41:41+00:00"]


def records_of(root) -> RecordSet:
    loaded = load_repository(root)
    return RecordSet(loaded.records, loaded.config)


@pytest.fixture(scope="module")
def example(example_repo: Path) -> RecordSet:
    return records_of(example_repo)


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def reread(cd) -> Document:
    return Document(io.BytesIO(cd.to_bytes()))


def test_a_doc_record_with_the_number_gives_revision_and_its_approval_the_effective_date(example):
    ds = DocumentSet.for_records(example, effective=AS_OF, commit="c0ffee")
    plan = ds.document("rmp", "plan", "Risk management plan summary", records=["POL-RISK"])
    # DOC-001's own revision letter; effective on the day Helena Marsh signed, not the record's paper date
    assert (plan.number, plan.revision, plan.approved, plan.effective) == ("NWM-RMP-001", "C", True, "2026-12-02")
    assert plan.records == ["APR-DOC-001-2", "DOC-001", "POL-RISK"]
    doc = reread(plan)
    assert cells(doc.tables[1]) == [["Revision", "Date", "Approved by", "Reason for change", "Approval record"],
                                    ["C", "2026-12-02", "Helena Marsh (Top management)",
                                     "First revision approved by electronic signature; earlier revisions are not "
                                     "in this history", "APR-DOC-001-2"]]
    assert cells(doc.tables[2]) == [["Name", "Role", "Meaning", "Date"], HELENA]


def test_without_a_doc_record_a_first_issue_in_draft_with_signature_lines(example):
    ds = DocumentSet.for_records(example, effective=AS_OF, commit="c0ffee")
    report = ds.document("risk", "report", "Risk management report", records=["HS-001"])
    assert (report.number, report.revision, report.approved, report.effective) == ("NWM-RMR-001", "A", False,
                                                                                 "2026-11-25")
    assert report.approvals == [] and report.records == ["HS-001"]
    doc = reread(report)
    assert cells(doc.tables[1]) == [["Revision", "Date", "Approved by", "Reason for change", "Approval record"],
                                    ["A", "2026-11-25", "DRAFT — not approved", "First issue, in draft", ""]]
    assert "Not yet approved. Sign below:" in [p.text for p in doc.paragraphs]


def test_a_change_control_is_the_reason_of_its_own_record_and_of_what_it_affects(example):
    ds = DocumentSet.for_records(example, effective=AS_OF)
    change = ds.control("change", "CC-2026-002", subject="CC-2026-002")  # approved 2026-10-20, signed by Priya Nair
    assert (change.revision, change.state, change.date) == ("A", "approved", "2026-12-02")
    assert change.history == (RevisionEntry("A", "2026-12-02", "Priya Nair (Quality assurance)",
                                            "CC-2026-002 Main controller firmware 2.1.3: outdated drug library "
                                            "advisory", "APR-CC-2026-002-1"),)
    # DO-002 is signed (APR-DO-002-1) and CC-2026-002 names it: the change control is that revision's reason
    output = ds.control("change", "DO-002", subject="DO-002")
    assert [(h.revision, h.reason) for h in output.history] == [
        ("A", "CC-2026-002 Main controller firmware 2.1.3: outdated drug library advisory")]
    # CC-2026-001 is closed, but nobody signed it: a draft, with itself as the reason
    closed = ds.control("change", "CC-2026-001", subject="CC-2026-001")
    assert (closed.revision, closed.state, closed.date) == ("A", "draft", "2026-11-25")
    assert closed.history == (RevisionEntry("A", "2026-11-25", "DRAFT — not approved",
                                            "CC-2026-001 Automated flow calibration station FTS-2 on Line 1\n"
                                            "First issue, in draft"),)


def test_revision_letters_step_through_letters_and_numbers():
    assert [step_revision("A", i) for i in (0, 1, 25, 26, -1)] == ["A", "B", "Z", "AA", None]
    assert [step_revision("Z", 1), step_revision("AA", -1), step_revision("C", -2)] == ["AA", "Z", "A"]
    assert [step_revision("01", 1), step_revision("09", 1), step_revision("00", -1)] == ["02", "10", None]
    assert [step_revision("v1", 0), step_revision("v1", 1)] == ["v1", None]


def test_subject_approvals_and_numbering_defaults(example):
    ds = DocumentSet.for_records(example, effective=AS_OF)
    # the plan's own record as the subject: its approval applies whatever the document number
    cd = ds.document("change", "CC-2026-003", "A change record", subject="DOC-001")
    assert cd.number == "NWM-CCR-003" and [a.name for a in cd.approvals] == ["Helena Marsh"]
    assert cd.commit == "unknown"
    assert DEFAULT_TYPE_CODES["change"] == "CCR"
    assert document_number(example.config, "capa", 2) == "NWM-CAPR-002"  # qms.yaml numbering.types wins
    assert document_number(example.config, "kpi", 1) == "NWM-MRI-001"


def test_history_callable_gets_the_source_ids_and_gives_the_commit_reference(example):
    asked = []

    def history(ids):
        asked.append(list(ids))
        return SourceCommits(3, "0123456789", dt.date(2026, 11, 30), "The history is shallow.")

    ds = DocumentSet.for_records(example, effective=AS_OF, history=history)
    doc = reread(ds.document("rmp", "plan", "Plan", records=["POL-RISK"]))
    assert asked == [["APR-DOC-001-2", "DOC-001", "POL-RISK"]]
    assert [r[0] for r in cells(doc.tables[1])] == ["Revision", "C"]  # commits are no revisions
    assert ("A revision is an approved release of this document's content, signed electronically. The 3 git "
            "commit(s) that changed its source records, the latest 0123456789 of 2026-11-30, are listed change by "
            "change in the audit trail (audit_trail.xlsx). The history is shallow.") in [p.text for p in doc.paragraphs]
    # the git pass reads the files the records came from
    assert ds.paths["DOC-001"] == "records/documents/DOC-001.yaml"
    assert ds.source_paths(["POL-RISK", "DOC-001", "NOPE-1"]) == ["records/documents/DOC-001.yaml",
                                                                  "specs/policies/POL-RISK.yaml"]


def test_an_approval_of_changed_content_or_a_revoked_one_does_not_count(tmp_path):
    repo = copy_example(tmp_path / "repo", commit=False)
    plan = repo / "records/documents/DOC-001.yaml"
    plan.write_text(plan.read_text().replace("revision: C", "revision: D"))
    ds = DocumentSet.for_records(records_of(repo), effective=AS_OF)
    cd = ds.document("rmp", "plan", "Plan")
    # revision D in draft; C, signed over the earlier content, stays in the history
    assert (cd.revision, cd.approved, cd.effective) == ("D", False, "2026-11-25")
    assert cd.approvals == [] and cd.records == ["APR-DOC-001-2", "DOC-001"]
    assert [(h.revision, h.date, h.approved_by, h.approval) for h in cd.history] == [
        ("C", "2026-12-02", "Helena Marsh (Top management)", "APR-DOC-001-2"),
        ("D", "2026-11-25", "DRAFT — not approved", "")]
    assert cd.history[1].reason == "Draft: the content changed since revision C was approved"

    plan.write_text(plan.read_text().replace("revision: D", "revision: C"))
    approval = repo / "records/approvals/APR-DOC-001-2.yaml"
    approval.write_text(approval.read_text().replace("status: signed", "status: revoked"))
    ds = DocumentSet.for_records(records_of(repo), effective=AS_OF)
    revoked = ds.document("rmp", "plan", "Plan")
    assert revoked.approvals == [] and not revoked.approved and [h.revision for h in revoked.history] == ["C"]


def test_an_approval_the_integrity_rules_fault_releases_nothing(example):
    from generator.findings import Finding, Location

    ds = DocumentSet.for_records(example, effective=AS_OF)
    warning = Finding("QMS612", "warning", Location("records/approvals/APR-DOC-001-2.yaml"), "x", "APR-DOC-001-2")
    ds.disregard([warning])
    assert ds.control("rmp", "plan").approved
    ds.disregard([Finding("QMS608", "error", Location("records/approvals/APR-DOC-001-2.yaml"), "not her key",
                          "APR-DOC-001-2")])
    assert (ds.control("rmp", "plan").state, ds.control("rmp", "plan").revision) == ("draft", "C")


def test_without_settings_no_controlled_document(example):
    from generator.findings import QmsError

    bare = RecordSet([(r, example.sources[r.id]) for r in example.records.values()], None)
    with pytest.raises(QmsError, match="qms.yaml"):
        DocumentSet.for_records(bare, effective=AS_OF)


def test_an_uncontrolled_copy_says_so_first():
    copy = UncontrolledCopy("Recall impact: lot LOT-1")
    copy.heading("Recall impact")
    doc = Document(io.BytesIO(copy.to_bytes()))
    assert doc.paragraphs[0].text.startswith("Uncontrolled copy: generated on demand")
    assert not re.search(r"Rev\.", doc.sections[0].header.paragraphs[0].text)
    assert copy.to_bytes() == copy.to_bytes()


def test_git_history_lists_the_commits_that_changed_the_source_files(tmp_path):
    from test_build import _git

    from generator.render.revisions import git_history

    repo = copy_example(tmp_path / "repo")  # the commit "example", then the signers' approval commits
    plan = repo / "records/documents/DOC-001.yaml"
    plan.write_text(plan.read_text().replace("review_due: 2027-02-10", "review_due: 2027-03-10"))
    _git(repo, "commit", "-qam", "Plan review date moved\n\nbody text")
    _git(repo, "mv", "specs/policies/POL-RISK.yaml", "specs/policies/POL-RISK-moved.yaml")
    _git(repo, "commit", "-qm", "Move the risk policy file")
    head = _git(repo, "log", "--format=%H", "-2").split() + _git(repo, "rev-list", "--max-parents=0", "HEAD").split()
    records = records_of(repo)
    ds = DocumentSet.for_records(records, effective=AS_OF)
    history = git_history(repo, ds.paths)
    today = dt.date.fromisoformat(_git(repo, "log", "-1", "--format=%ad", "--date=short"))
    first = dt.date.fromisoformat(_git(repo, "log", "-1", "--format=%ad", "--date=short", head[2]))
    assert history(["DOC-001", "POL-RISK"]) == SourceCommits(3, head[0][:10], today)
    assert history(["POL-RISK"]) == SourceCommits(2, head[0][:10], today)  # followed back through the move
    assert history(["CAPA-2026-001"]) == SourceCommits(1, head[2][:10], first)
    assert history(["NOT-A-RECORD"]) == SourceCommits()
    assert git_history(tmp_path, {})([]) == SourceCommits()  # outside git: none
