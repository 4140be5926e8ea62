"""Information supplied (labels and IFU, EU MDR Annex II 2) and manufacturing sites and process (Annex II 3):
the rules at their exact locations on small repositories, and the worked example's two documents read back
from Word."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from docx import Document
from support import ROOT, make_repo, validate_json

from generator.load.evidence import read_text
from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.document import DocumentSet
from generator.render.labelling_doc import information_supplied, labelling_records
from generator.render.manufacturing_doc import manufacturing_document

# FIPS 180-2, appendix B.1: SHA-256("abc").
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
OURS = {"QMS784", "QMS785", "QMS786", "QMS787", "QMS122"}


def doc(n: int, kind: str, extra: str = "", status: str = "draft") -> str:
    return (f"id: DOC-{n:03d}\ntitle: A {kind}\nstatus: {status}\ntype: {kind}\nrevision: B\n{extra}")


def ours(repo: Path) -> tuple[int, list[tuple[str, str, str, str]]]:
    code, out = validate_json(repo, "--no-cache", "--as-of", "2026-11-25")
    return code, [(f["code"], f["record"], f["location"], f["message"]) for f in out["findings"]
                  if f["code"] in OURS]


def test_label_and_ifu_files_missing_or_changed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {
        # file present, hash as recorded: clean
        "records/documents/DOC-001.yaml": doc(1, "label", f"file: labels/a.md\nsha256: {ABC_SHA256}\n"),
        "labels/a.md": b"abc",
        # file present, no hash recorded: clean (nothing to compare)
        "records/documents/DOC-002.yaml": doc(2, "ifu", "file: labels/b.md\n"),
        "labels/b.md": b"any text",
        # file changed since its hash was recorded: QMS785 at `sha256` (line 7)
        "records/documents/DOC-003.yaml": doc(3, "ifu", f"file: labels/c.md\nsha256: {ABC_SHA256}\n"),
        "labels/c.md": b"abd",
        # file absent: QMS784 at `file` (line 6)
        "records/documents/DOC-004.yaml": doc(4, "label", "file: labels/absent.pdf\n"),
        # no file named at all: QMS784 at `type` (line 4)
        "records/documents/DOC-005.yaml": doc(5, "label"),
        # a path out of the repository is refused, not read
        "records/documents/DOC-006.yaml": doc(6, "ifu", "file: ../outside.md\n"),
        # an obsolete label, and an SOP, are not the information supplied: no finding
        "records/documents/DOC-007.yaml": doc(7, "label", "file: labels/gone.md\n", status="obsolete"),
        "records/documents/DOC-008.yaml": doc(8, "sop", "file: procedures/absent.md\n"),
    })
    (tmp_path / "outside.md").write_bytes(b"abc")
    code, got = ours(repo)
    changed = hashlib.sha256(b"abd").hexdigest()
    assert got == [  # in file order
        ("QMS785", "DOC-003", "records/documents/DOC-003.yaml:7",
         f"'labels/c.md' has SHA-256 {changed}, not the {ABC_SHA256} recorded for revision B"),
        ("QMS784", "DOC-004", "records/documents/DOC-004.yaml:6",
         "label file 'labels/absent.pdf' does not exist in the repository"),
        ("QMS784", "DOC-005", "records/documents/DOC-005.yaml:4", "label DOC-005 names no controlled file"),
        ("QMS784", "DOC-006", "records/documents/DOC-006.yaml:6",
         "ifu file '../outside.md' leads outside the repository"),
    ]
    assert code == 1
    assert read_text(repo, "../outside.md") is None  # the dossier never quotes a file outside the repository


def test_malformed_sha256_is_a_schema_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"records/documents/DOC-001.yaml": doc(1, "label", "file: a.md\nsha256: ABC\n"),
                                "a.md": b"abc"})
    code, out = validate_json(repo, "--no-cache")
    assert [(f["code"], f["location"]) for f in out["findings"]] == [("QMS111", "records/documents/DOC-001.yaml:7")]
    assert code == 1


SITE = """\
id: SITE-001
title: Own site
status: approved
address: 1 Main Street, Galway
roles: [manufacture, final_release]
certificates:
  - standard: ISO 13485:2016
    number: MD 1
    expires: 2026-01-31
  - standard: ISO 13485:2016
    number: MD 2
    expires: 2029-01-31
  - standard: ISO 9001:2015
    number: Q 7
    expires: 2026-11-24
"""


def step(n: int, extra: str, site: str = "SITE-001") -> str:
    return (f"id: PRC-{n:03d}\ntitle: Step {n}\nstatus: approved\nsequence: {n}\nsite: {site}\n{extra}")


def protocol(pid: str, status: str, approved: str | None) -> str:
    return (f"id: {pid}\ntitle: Qualification {pid}\nstatus: {status}\nsubject: process\npurpose: Qualify it\n"
            + (f"approved: {approved}\n" if approved else ""))


def test_special_process_site_certificate_and_unknown_site(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {
        "records/manufacturing/SITE-001.yaml": SITE,
        "protocols/PQ-001.yaml": protocol("PQ-001", "executed", "2026-04-24"),
        "protocols/PQ-002.yaml": protocol("PQ-002", "draft", None),
        # verified output: no validation needed
        "records/manufacturing/PRC-010.yaml": step(10, "output_verification: verified\n"),
        # special process validated by an approved (executed) protocol: clean
        "records/manufacturing/PRC-020.yaml": step(20, "output_verification: special_process\n"
                                                       "validation: [PQ-001]\n"),
        # special process, only a draft protocol: QMS786 at `validation` (line 7)
        "records/manufacturing/PRC-030.yaml": step(30, "output_verification: special_process\n"
                                                       "validation: [PQ-002]\n"),
        # special process, none named: QMS786 at `output_verification` (line 6)
        "records/manufacturing/PRC-040.yaml": step(40, "output_verification: special_process\n"),
        # at a site that is not a record: the reference rule's finding at `site` (line 5)
        "records/manufacturing/PRC-050.yaml": step(50, "output_verification: verified\n", site="SITE-009"),
    })
    code, got = ours(repo)
    assert got == [  # in file order
        ("QMS786", "PRC-030", "records/manufacturing/PRC-030.yaml:7",
         "step 30 'Step 30' is a special process but none of PQ-002 is an approved protocol"),
        ("QMS786", "PRC-040", "records/manufacturing/PRC-040.yaml:6",
         "step 40 'Step 40' is a special process with no validation protocol named"),
        ("QMS122", "PRC-050", "records/manufacturing/PRC-050.yaml:5", "'site' links to SITE-009, which does not exist"),
        # the ISO 13485 certificate MD 1 expired but MD 2 renews it; the ISO 9001 one lapsed the day before
        ("QMS787", "SITE-001", "records/manufacturing/SITE-001.yaml:15",
         "ISO 9001:2015 certificate Q 7 of Own site expired on 2026-11-24, before 2026-11-25"),
    ]
    assert code == 1


def test_special_process_validation_naming_another_kind(tmp_path: Path) -> None:
    # A process step's `validation` naming an approved requirement, not a protocol: the reference rule's
    # QMS123, and no validation (QMS786). The check once read the requirement's `approved` date, which a
    # requirement has not, and stopped `qms validate` with an internal error.
    repo = make_repo(tmp_path, {
        "records/manufacturing/SITE-001.yaml": SITE,
        "specs/requirements/REQ-0001.yaml": "id: REQ-0001\ntitle: Flow accuracy\nstatus: approved\n"
                                            "statement: The pump shall deliver within 5 %.\n",
        "records/manufacturing/PRC-010.yaml": step(10, "output_verification: special_process\n"
                                                       "validation: [REQ-0001]\n"),
    })
    code, out = validate_json(repo, "--no-cache", "--as-of", "2026-11-25")
    assert [(f["code"], f["location"], f["message"]) for f in out["findings"] if f["record"] == "PRC-010"] == [
        ("QMS123", "records/manufacturing/PRC-010.yaml:7",
         "'validation' links to REQ-0001, a requirement; it must link to: protocol"),
        ("QMS786", "records/manufacturing/PRC-010.yaml:7",
         "step 10 'Step 10' is a special process but none of REQ-0001 is an approved protocol"),
    ]
    assert code == 1

# ----------------------------------------------------------------------------------- the worked example

@pytest.fixture(scope="module")
def example() -> tuple[RecordSet, DocumentSet, dict]:
    loaded = load_repository(ROOT, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    return records, DocumentSet.for_records(records, effective="2026-11-25", root=ROOT), loaded.exports


def _table(doc: Document, first_header: str) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == first_header)
    return [[c.text for c in row.cells] for row in table.rows]


def test_example_information_supplied_read_back(example, tmp_path: Path) -> None:
    records, docs, exports = example
    texts = {d.id: read_text(ROOT, d.file) for d in labelling_records(records)}
    information_supplied(records, exports, texts, docs).save(tmp_path / "is.docx")
    word = Document(str(tmp_path / "is.docx"))
    assert word.core_properties.identifier == "NWM-ISR-001"
    rows = _table(word, "Document")
    assert rows[0] == ["Document", "Number", "Type", "Rev.", "Approval", "File state"]
    assert [r[:4] for r in rows[1:]] == [
        ["DOC-201\nDevice label and shipping carton label - FlowSure VP-200", "NWM-LBL-201", "Label", "A"],
        ["DOC-202\nInstructions for use - FlowSure VP-200", "NWM-IFU-202", "Instructions for use", "A"]]
    assert [r[5] for r in rows[1:]] == ["present", "present"]
    cards = [t for t in word.tables if t.rows[0].cells[0].text == "Item" and len(t.rows) == 10]
    for card, rel in zip(cards, ("specs/labelling/VP-200-label.md", "specs/labelling/VP-200-IFU.md")):
        values = {r.cells[0].text: r.cells[1].text for r in card.rows}
        sha = hashlib.sha256((ROOT / rel).read_bytes()).hexdigest()
        assert (values["File"], values["SHA-256 recorded"], values["SHA-256 of the file as found"]) == (rel, sha, sha)
    # the controlled text itself: the label's symbols table and the IFU's warnings
    symbols = _table(word, "Field")
    assert ["Unique device identifier", "UDI carrier, GS1 DataMatrix and human-readable text: "
            "(01)05391234562002(11)YYMMDD(10)LOT(21)SERIAL", "5.7.10 Unique device identifier"] in symbols
    paragraphs = [p.text for p in word.paragraphs]
    assert "Contraindications" in paragraphs and "Warnings" in paragraphs
    assert any(p.startswith("• WARNING: Close the roller clamp before opening the door.") for p in paragraphs)


def test_example_manufacturing_sites_and_process_read_back(example, tmp_path: Path) -> None:
    records, docs, _ = example
    import datetime as dt

    manufacturing_document(records, docs, dt.date(2026, 11, 25)).save(tmp_path / "msp.docx")
    word = Document(str(tmp_path / "msp.docx"))
    assert word.core_properties.identifier == "NWM-MSP-001"
    sites = _table(word, "Site")
    assert [r[0] for r in sites[1:]] == ["SITE-001\nNorthwind Medical Ltd, Galway",
                                         "SITE-002\nBaltic Electronics Manufacturing UAB, Kaunas"]
    assert sites[2][3] == "Supplier: SUP-002 Baltic Electronics Manufacturing UAB"
    assert sites[2][4] == ("ISO 13485:2016 MD 742119, BSI Group The Netherlands B.V., valid to 2027-09-29 "
                           "(supplier record SUP-002)")
    flow = _table(word, "No.")
    assert [(r[0], r[1].split("\n")[0]) for r in flow[1:]] == [
        ("10", "PRC-010"), ("20", "PRC-020"), ("30", "PRC-030"), ("40", "PRC-040"), ("50", "PRC-050"),
        ("60", "PRC-060"), ("70", "PRC-070"), ("80", "PRC-080")]
    calibration = flow[4]
    assert calibration[2] == "SITE-001\nNorthwind Medical Ltd, Galway"
    assert calibration[3] == ("EQ-006 Automated gravimetric flow calibration station FTS-2\n"
                              "EQ-007 Final test software FTS-SW 3.2")
    assert calibration[5] == ("Special process, validated by:\nIQ-001 approved 2026-04-01, executed\n"
                              "OQ-001 approved 2026-04-14, executed\nPQ-001 approved 2026-04-24, executed")
    assert flow[2][2].startswith("SITE-002") and flow[2][5] == "Output verified by later inspection and test"
