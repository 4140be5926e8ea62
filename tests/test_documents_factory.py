"""DocumentSet, the factory every generated document goes through: numbers, revisions, approvals from
approval records (only while they still bind the record), revision history from a callable, source paths."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document

from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.document import (DEFAULT_TYPE_CODES, DocumentSet, RevisionEntry, UncontrolledCopy,
                                       document_number)
from support import ROOT
from support import copy_example

AS_OF = dt.date(2026, 11, 25)
# APR-DOC-001-2: Helena Marsh (ROLE-MGMT) signed DOC-001 with her example key; APR-DOC-001-1, the paper-era
# transcription, is revoked and does not count.
HELENA = ["Helena Marsh", "Top management", "Approval", "2026-12-02T00:41:41+00:00"]


def records_of(root) -> RecordSet:
    loaded = load_repository(root)
    return RecordSet(loaded.records, loaded.config)


@pytest.fixture(scope="module")
def example() -> RecordSet:
    return records_of(ROOT)


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def reread(cd) -> Document:
    return Document(io.BytesIO(cd.to_bytes()))


def test_a_doc_record_with_the_number_gives_revision_effective_date_and_approvals(example):
    ds = DocumentSet.for_records(example, effective=AS_OF, commit="c0ffee")
    plan = ds.document("rmp", "plan", "Risk management plan summary", records=["POL-RISK"])
    assert (plan.number, plan.revision, plan.effective) == ("NWM-RMP-001", "C", "2025-02-10")
    assert plan.records == ["APR-DOC-001-2", "DOC-001", "POL-RISK"]
    doc = reread(plan)
    assert cells(doc.tables[1]) == [["Name", "Role", "Meaning", "Date"], HELENA]


def test_without_a_doc_record_first_revision_as_of_date_and_signature_lines(example):
    ds = DocumentSet.for_records(example, effective=AS_OF, commit="c0ffee")
    report = ds.document("risk", "report", "Risk management report", records=["HS-001"])
    assert (report.number, report.revision, report.effective) == ("NWM-RMR-001", "A", "2026-11-25")
    assert report.approvals == [] and report.records == ["HS-001"]
    assert "Not yet approved. Sign below:" in [p.text for p in reread(report).paragraphs]


def test_subject_approvals_and_numbering_defaults(example):
    ds = DocumentSet.for_records(example, effective=AS_OF)
    # the plan's own record as the subject: its approval applies whatever the document number
    cd = ds.document("change", "CC-2026-003", "A change record", subject="DOC-001")
    assert cd.number == "NWM-CCR-003" and [a.name for a in cd.approvals] == ["Helena Marsh"]
    assert cd.commit == "unknown"
    assert DEFAULT_TYPE_CODES["change"] == "CCR"
    assert document_number(example.config, "capa", 2) == "NWM-CAPR-002"  # qms.yaml numbering.types wins
    assert document_number(example.config, "kpi", 1) == "NWM-MRI-001"


def test_history_callable_gets_the_source_ids_and_fills_the_revision_table(example):
    asked = []

    def history(ids):
        asked.append(list(ids))
        return [RevisionEntry("B", dt.date(2025, 1, 3), "Priya Nair", "Scales\n revised"),
                ("C", "2025-02-10", "Priya Nair", "Acceptability matrix")]

    ds = DocumentSet.for_records(example, effective=AS_OF, history=history)
    doc = reread(ds.document("rmp", "plan", "Plan", records=["POL-RISK"]))
    assert asked == [["APR-DOC-001-2", "DOC-001", "POL-RISK"]]
    assert cells(doc.tables[1]) == [["Revision", "Date", "Author", "Description"],
                                    ["B", "2025-01-03", "Priya Nair", "Scales revised"],
                                    ["C", "2025-02-10", "Priya Nair", "Acceptability matrix"]]
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
    assert cd.revision == "D" and cd.approvals == [] and cd.records == ["DOC-001"]

    plan.write_text(plan.read_text().replace("revision: D", "revision: C"))
    approval = repo / "records/approvals/APR-DOC-001-2.yaml"
    approval.write_text(approval.read_text().replace("status: signed", "status: revoked"))
    ds = DocumentSet.for_records(records_of(repo), effective=AS_OF)
    assert ds.document("rmp", "plan", "Plan").approvals == []


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
    from generator.render.revisions import git_history
    from test_build import _git

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
    rows = history(["DOC-001", "POL-RISK"])
    assert [(r.revision, r.author, r.description) for r in rows] == [
        (head[2][:10], "Test", "example"), (head[1][:10], "Test", "Plan review date moved"),
        (head[0][:10], "Test", "Move the risk policy file")]
    assert [r.revision for r in history(["POL-RISK"])] == [head[2][:10], head[0][:10]]  # followed back
    assert [r.revision for r in history(["CAPA-2026-001"])] == [head[2][:10]]
    assert history(["NOT-A-RECORD"]) == []
    assert git_history(tmp_path, {})([]) == []  # outside git: no history
