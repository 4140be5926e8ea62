"""GSPR checklist, standards applied and external evidence (EU MDR Annex I, Annex II 4): the record kinds,
their rules at exact locations, evidence files checked by SHA-256 (and never read outside the repository),
and the example's checklist read back from Word."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from docx import Document
from support import ROOT, make_repo, validate_json

from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.render.conformity_doc import evidence_register, gspr_checklist, standards_list
from generator.render.document import DocumentSet

# FIPS 180-2, appendix B.1: SHA-256("abc").
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

STD = """\
id: STD-001
title: IEC 60601-1 Basic safety and essential performance
status: draft
number: IEC 60601-1
edition: "2005+A1:2012+A2:2020"
harmonised: true
"""


def gspr(n: int, item: str, applicable: bool, extra: str = "", status: str = "draft") -> str:
    return (f"id: GSPR-{n:03d}\ntitle: Annex I {item}\nstatus: {status}\nitem: \"{item}\"\n"
            f"requirement: A requirement\napplicable: {'true' if applicable else 'false'}\n{extra}")


def evidence(n: int, path: str, sha: str = ABC_SHA256) -> str:
    return (f"id: EVD-{n:03d}\ntitle: Test report\nstatus: draft\ntype: test_report\npath: {path}\n"
            f"sha256: {sha}\nissuer: A laboratory\n")


def findings(repo: Path) -> list[tuple[str, str, str]]:
    _, out = validate_json(repo, "--no-cache")
    return [(f["code"], f["record"], f["location"]) for f in out["findings"]]


def test_gspr_rules_at_their_lines(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {
        "records/standards/STD-001.yaml": STD,
        "records/evidence/EVD-001.yaml": evidence(1, "evidence/report.txt"),
        "evidence/report.txt": b"abc",
        # applicable, evidence and standard linked: clean
        "records/gspr/GSPR-001.yaml": gspr(1, "14.2(d)", True, "standards: [STD-001]\nevidence: [EVD-001]\n"),
        # applicable and past draft (in review), nothing linked: QMS760 at `applicable` (line 6)
        "records/gspr/GSPR-002.yaml": gspr(2, "17.2", True, status="in_review"),
        # the same gap in a draft entry is the checklist being built: no finding (the document shows it)
        "records/gspr/GSPR-005.yaml": gspr(5, "17.1", True),
        # not applicable with a reason: clean
        "records/gspr/GSPR-003.yaml": gspr(3, "19.3", False, "justification: Not an implantable device.\n"),
        # not applicable, no reason (blank counts as none): QMS761
        "records/gspr/GSPR-004.yaml": gspr(4, "22.1", False, "justification: '  '\n"),
    })
    code, out = validate_json(repo, "--no-cache")
    assert [(f["code"], f["severity"], f["record"], f["location"], f["message"]) for f in out["findings"]] == [
        ("QMS760", "warning", "GSPR-002", "records/gspr/GSPR-002.yaml:6", "Annex I 17.2 applies but no evidence is linked"),
        ("QMS761", "error", "GSPR-004", "records/gspr/GSPR-004.yaml:6",
         "Annex I 22.1 is marked not applicable without a justification"),
    ]
    assert code == 1


def test_gspr_links_are_typed_and_items_checked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {
        "records/gspr/GSPR-001.yaml": gspr(1, "1", True, "standards: [USR-001]\nevidence: [VER-404]\n"),
        "records/gspr/GSPR-002.yaml": gspr(2, "Annex one", True, "evidence: [USR-001]\n"),
    })
    got = findings(repo)
    assert ("QMS123", "GSPR-001", "records/gspr/GSPR-001.yaml:7") in got  # a user is no standard
    assert ("QMS122", "GSPR-001", "records/gspr/GSPR-001.yaml:8") in got  # VER-404 does not exist
    assert ("QMS111", "GSPR-002", "records/gspr/GSPR-002.yaml:4") in got  # not an Annex I item


def test_evidence_file_changed_after_its_hash_was_recorded(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"records/evidence/EVD-001.yaml": evidence(1, "evidence/report.txt"),
                                "evidence/report.txt": b"abc"})
    assert findings(repo) == []
    (repo / "evidence/report.txt").write_bytes(b"abd")
    code, out = validate_json(repo, "--no-cache")
    changed = hashlib.sha256(b"abd").hexdigest()
    assert [(f["code"], f["location"], f["message"]) for f in out["findings"]] == [
        ("QMS763", "records/evidence/EVD-001.yaml:6",
         f"'evidence/report.txt' has SHA-256 {changed}, not the {ABC_SHA256} recorded")]
    assert code == 1


@pytest.mark.parametrize("path, why", [
    ("evidence/absent.pdf", "does not exist in the repository"),
    ("../outside.txt", "leads outside the repository"),
    ("/etc/hostname", "leads outside the repository"),
    ("evidence/link.txt", "leads outside the repository"),  # a symbolic link out of the tree
    ("evidence", "cannot be read: it is a folder, not a regular file"),
])
def test_evidence_file_missing_or_refused(tmp_path: Path, path: str, why: str) -> None:
    (tmp_path / "outside.txt").write_bytes(b"abc")  # the right content, but not in the repository
    repo = make_repo(tmp_path / "repo", {"records/evidence/EVD-001.yaml": evidence(1, path)})
    (repo / "evidence").mkdir(exist_ok=True)
    os.symlink(tmp_path / "outside.txt", repo / "evidence/link.txt")
    code, out = validate_json(repo, "--no-cache")
    assert [(f["code"], f["location"], f["message"]) for f in out["findings"]] == [
        ("QMS762", "records/evidence/EVD-001.yaml:5", f"evidence file '{path}' {why}")]
    assert code == 1


# ----------------------------------------------------------------------------------- the worked example

@pytest.fixture(scope="module")
def example() -> tuple[RecordSet, DocumentSet, dict]:
    loaded = load_repository(ROOT, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    return records, DocumentSet.for_records(records, effective="2026-11-25", root=ROOT), loaded.exports


def _rows(doc: Document, first_header: str) -> list[list[str]]:
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == first_header)
    return [[c.text for c in row.cells] for row in table.rows]


def test_example_gspr_checklist_read_back(example, tmp_path: Path) -> None:
    records, docs, _ = example
    path = tmp_path / "gspr.docx"
    gspr_checklist(records, docs).save(path)
    doc = Document(str(path))
    assert doc.core_properties.identifier == "NWM-GSPR-001"
    rows = _rows(doc, "Annex I item")
    assert rows[0] == ["Annex I item", "Requirement", "Applicable", "Standards applied", "Evidence of conformity"]
    items = [r[0].split("\n")[0] for r in rows[1:]]
    assert items == ["1", "2", "3", "4", "5", "8", "10.1", "11.1", "14.1", "14.2", "17.1", "17.2", "17.4", "18.1",
                     "18.2", "19.3", "20.1", "21.1", "21.2", "22.1", "23.1", "23.4"]
    by_item = {r[0].split("\n")[0]: r for r in rows[1:]}
    assert by_item["17.2"][3] == "STD-004 IEC 62304 Medical device software: software life cycle processes"
    assert by_item["17.2"][4].split("\n") == [
        "VER-005 Drug library hard and soft limits", "VER-006 Drug library signature and version display",
        "EVD-001 Pump software SOUP list (IEC 62304)"]
    assert by_item["19.3"][2] == "No" and by_item["19.3"][4].startswith("Not applicable: The FlowSure VP-200 is not")
    gaps = [item for item, r in by_item.items() if r[4].startswith("NONE LINKED (gap)")]
    assert gaps == ["10.1", "14.1", "17.4"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert ("22 Annex I requirements assessed: 20 applicable, 2 not applicable. Applicable without evidence linked: "
            "10.1, 14.1, 17.4.") in text


def test_example_standards_and_evidence_registers(example, tmp_path: Path) -> None:
    records, docs, exports = example
    standards_list(records, docs).save(tmp_path / "std.docx")
    rows = _rows(Document(str(tmp_path / "std.docx")), "Standard")
    assert [r[0].split("\n")[0] for r in rows[1:]] == [
        "IEC 60601-1", "IEC 60601-1-2", "IEC 60601-2-24", "IEC 62304", "IEC 62366-1", "ISO 13485", "ISO 14971",
        "ISO 15223-1", "ISO 20417"]
    iec_62304 = next(r for r in rows if r[0].startswith("IEC 62304"))
    assert iec_62304[1:4] == ["2006+A1:2015", "IEC 62304 Medical device software: software life cycle processes", "Yes"]
    assert iec_62304[5] == "17.1, 17.2"
    evidence_register(records, exports, docs).save(tmp_path / "evd.docx")
    rows = _rows(Document(str(tmp_path / "evd.docx")), "Evidence")
    for row in rows[1:]:
        rel, sha = row[3], row[4]
        assert hashlib.sha256((ROOT / rel).read_bytes()).hexdigest() == sha and row[5] == "present"
    # the SOUP list, the use specification, the 26 verification reports the VER records cite and the 5 validation
    # reports the VAL records cite (usability file, simulated use, clinical evaluation)
    assert [r[0].split("\n")[0] for r in rows[1:]] == [f"EVD-{n:03d}" for n in range(1, 34)]


def test_example_device_description_states_each_field(example, tmp_path: Path) -> None:
    from generator.render.device_doc import device_description

    _, docs, _ = example
    device_description(docs).save(tmp_path / "dd.docx")
    paragraphs = [p.text for p in Document(str(tmp_path / "dd.docx")).paragraphs]
    rule = paragraphs.index("Classification rule (EU MDR Annex VIII)")
    assert paragraphs[rule + 1].startswith("Rule 12 (Annex VIII): an active device intended to administer")
    assert not any(p.startswith("Not stated in qms.yaml") for p in paragraphs)


def test_device_description_says_what_qms_yaml_does_not_state(tmp_path: Path) -> None:
    from generator.render.device_doc import device_description

    repo = make_repo(tmp_path)
    loaded = load_repository(repo, use_cache=False)
    docs = DocumentSet.for_records(RecordSet(loaded.records, loaded.config), effective="2026-11-25", root=repo)
    device_description(docs).save(tmp_path / "dd.docx")
    paragraphs = [p.text for p in Document(str(tmp_path / "dd.docx")).paragraphs]
    assert paragraphs[paragraphs.index("Contraindications") + 1] == "Not stated in qms.yaml (device.contraindications)."
    assert sum(p.startswith("Not stated in qms.yaml (device.") for p in paragraphs) == 7
