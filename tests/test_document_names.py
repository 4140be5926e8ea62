"""Documents name records and codes as a reviewer reads them (issue #16): one build of the worked example,
every .docx read back. A hazard, situation, harm or user never stands as a bare ID; no stored enum code
(a snake_case value of an enumerated field or a lifecycle status) appears; known cells hold the titles and
labels the records and the model's label tables give. The audit trail names the user a git identity maps to.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from support import clean_git_config, copy_example, git  # noqa: F401 - clean_git_config is an autouse fixture

from generator.model import KINDS, plan

ROOT = Path(__file__).resolve().parent.parent
# An ID standing alone; inside another record's ID (APR-HARM-001-1, an approval's own ID) it is not a reference.
NAMED = re.compile(r"(?<![\w-])(?:HAZ|HS|HARM|USR)-[0-9]{3,}(?![\w-])")
SUBJECT = "USR-008 works the second shift"


def _enum_codes() -> set[str]:
    """Every stored code that has an underscore: enumerated field values and lifecycle statuses."""
    codes: set[str] = set()
    seen: set[Any] = set()

    def walk(model: Any) -> None:
        if model in seen:
            return
        seen.add(model)
        for f in plan(model).fields.values():
            codes.update(f.enum)
            if f.nested is not None:
                walk(f.nested)

    for kind in KINDS.values():
        codes.update(kind.lifecycle)
        for model in kind.models:
            walk(model)
    return {c for c in codes if "_" in c}


CODES = _enum_codes()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_example(tmp_path_factory.mktemp("names") / "repo")
    user = repo / "records/people/USR-008.yaml"
    user.write_text(user.read_text().replace("cold-chain technician.", "cold-chain technician, second shift."))
    git(repo, "add", "-A")
    subprocess.run(["git", "-c", "user.name=P. Nair", "-c", "user.email=Priya.Nair@northwind-medical.example",
                    "-c", "commit.gpgsign=false", "commit", "-q", "-m", f"{SUBJECT}\n\nSecond paragraph of the why."],
                   cwd=repo, check=True)
    proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "build"], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return repo


def _records(repo: Path) -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in (repo / "records").rglob("*.yaml")}


def _prose(records: dict[str, dict[str, Any]]) -> list[str]:
    """Free text people wrote in records (it may name IDs or codes in its own words), longest first."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str) and len(value.split()) >= 3:
            out.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for key, v in value.items():
                if key not in ("title", "name", "printed_name"):  # shown beside an ID, not prose
                    walk(v)
                elif key == "title" and isinstance(v, str) and NAMED.search(v):
                    out.append(" ".join(v.split()))  # a title that names other records in its own words
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for record in records.values():
        walk(record)
    return sorted(set(out), key=len, reverse=True)


def _texts(doc: Any) -> Iterator[tuple[str, list[str]]]:
    """(text, the other cells of its row) for every paragraph and table cell, headers and footers included."""
    for p in doc.paragraphs:
        yield p.text, []
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            for i, text in enumerate(cells):
                yield text, cells[:i] + cells[i + 1:]
    for section in doc.sections:
        for p in (*section.header.paragraphs, *section.footer.paragraphs):
            yield p.text, []


def _named(record: dict[str, Any]) -> str:
    return record["name"] if str(record["id"]).startswith("USR-") else record["title"]


def test_no_bare_hazard_situation_harm_or_user_id(built: Path) -> None:
    records = _records(built)
    prose = _prose(records)
    bare: list[str] = []
    documents = sorted((built / "output").rglob("*.docx"))
    assert len(documents) > 20
    for path in documents:
        for text, row in _texts(Document(path)):
            flat = " ".join(text.split())
            for words in prose:  # a record's own prose is quoted as written
                flat = flat.replace(words, "")
            for m in NAMED.finditer(flat):
                name = _named(records[m.group()])
                # the name follows the ID in the same text, or stands in another cell of the same row
                if not flat[m.end():].lstrip().startswith(name) and name not in row:
                    bare.append(f"{path.name}: {m.group()} in {flat[:90]!r}")
    assert bare == []


def test_no_enum_code_in_any_document(built: Path) -> None:
    assert {"protective_measure", "benefits_outweigh", "five_whys", "fault_tree", "incoming_inspection",
            "effectiveness_check", "in_review", "hazardous_situation"} <= CODES
    prose = _prose(_records(built))
    found = []
    for path in sorted((built / "output").rglob("*.docx")):
        for text, _ in _texts(Document(path)):
            flat = " ".join(text.split())
            for words in prose:
                flat = flat.replace(words, "")
            found += [f"{path.name}: {code} in {flat[:90]!r}" for code in CODES
                      if re.search(rf"(?<![\w/.]){code}(?![\w/.])", flat)]
    assert found == []


def _table(path: Path, first_header: str) -> list[list[str]]:
    for table in Document(path).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table headed {first_header!r} in {path.name}")


def test_risk_report_names_situations_hazards_harms_and_labels_codes(built: Path) -> None:
    report = built / "output/05-benefit-risk-management/risk_management_report.docx"
    evaluation = _table(report, "Situation")
    assert evaluation[1] == [
        "HS-001 Mechanism or software fault delivers above the programmed rate",
        "HAZ-001 Delivery above the programmed rate (over-infusion)",
        "HARM-001 Death or permanent injury from drug overdose (S5)", "S5 P3 unacceptable",
        "RC-001 Independent safety processor monitors delivered rate", "S5 P1 investigate", "yes"]
    hs = yaml.safe_load((built / "records/risk/situations/HS-001.yaml").read_text())
    assert evaluation[1][0] == f"HS-001 {hs['title']}"
    controls = {row[0]: row for row in _table(report, "Control")[1:]}
    assert controls["RC-001"][2] == "Protective measure"
    analyses = {row[0].split()[0]: row for row in _table(report, "Record")[1:]}
    assert analyses["BRA-001"][1:4] == [
        "Individual residual risk",
        "HS-001 Mechanism or software fault delivers above the programmed rate\n"
        "HS-002 Tenfold programming error with a high-alert drug\n"
        "HS-008 Outdated drug library without current limits",
        "Benefits outweigh the residual risk"]
    text = "\n".join(p.text for p in Document(report).paragraphs)
    assert "BRA-003 " in text and "(approved: Benefits outweigh the residual risk); accepted." in text


def test_capa_and_change_record_name_people_and_label_codes(built: Path) -> None:
    capa = built / "output/07-post-market-surveillance/capa/CAPA-2026-001.docx"
    facts = dict(_table(capa, "Field")[1:])
    assert yaml.safe_load((built / "records/events/capa/CAPA-2026-001.yaml").read_text())["owner"] == "USR-004"
    assert facts["Owner"] == "Daniel Okafor (Production)"
    paragraphs = [p.text for p in Document(capa).paragraphs]
    assert "Method: 5 Whys; category: Machine" in paragraphs
    actions = _table(capa, "#")
    assert {row[1] for row in actions[1:]} <= {"Correction", "Corrective action", "Preventive action"}
    assert "Daniel Okafor (Production)" in {row[3] for row in actions[1:]}
    change = built / "output/03-design-manufacturing/change-control/CC-2026-001.docx"
    facts = dict(_table(change, "Field")[1:])
    assert facts["Owner"] == "Daniel Okafor (Production)" and facts["Type"] == "Process"


def test_audit_trail_maps_the_author_to_a_user_and_keeps_the_first_line(built: Path) -> None:
    ws = load_workbook(built / "output/audit_trail.xlsx")["Audit trail"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows[0]
    assert header[:7] == ["Date", "Commit", "Author", "Email", "User", "Printed name", "Record"]
    ours = [dict(zip(header, r)) for r in rows[1:] if r[header.index("Record")] == "USR-008"
            and r[header.index("Action")] == "changed"]
    assert [(r["Author"], r["User"], r["Printed name"], r["Field"], r["Message"]) for r in ours] == [
        ("P. Nair", "USR-002", "Priya Nair", "description", SUBJECT)]
    # The copy's first commit (by "Test") created the records, and the revoked paper-era APR-DOC-001-1; the
    # signers' own commits created their signed approvals.
    created = [dict(zip(header, r)) for r in rows[1:] if r[header.index("Action")] == "created"]
    signed = [r for r in created if r["Record"].startswith("APR-") and r["Record"] != "APR-DOC-001-1"]
    assert {(r["User"], r["Printed name"]) for r in created if r not in signed} == {(None, "maps to no user")}
    assert {(r["User"], r["Printed name"]) for r in signed} == {
        ("USR-001", "Helena Marsh"), ("USR-002", "Priya Nair"), ("USR-003", "Tomasz Kowalczyk")}
