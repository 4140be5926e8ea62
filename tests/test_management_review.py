"""The management review input (ISO 13485:2016 5.6.2) of the worked example, read back from the Word file.

Reference values by hand from records/ (2026-Q3, as of 2026-11-25):
- 8 units shipped in Q3 (SHP-2026-006 and -007, 4 pumps each): below the default minimum of 30, so no complaint rate.
- NC-2026-005 (detected 2026-11-06, after the period) came from internal audit IA-2026-04.
- CC-2026-003 was submitted and approved in Q3; CC-2026-002 was submitted 2026-10-12 (after); CC-2026-001 was
  verified 2026-05-22 (before, inside the trend window 2025-Q4 to 2026-Q3).
- CMP-2026-001: initial report to the EU MDR competent authority, BfArM 02871/26, due 2026-09-24 (10 days from
  awareness 2026-09-14), sent 2026-09-22; the follow-up of 2026-11-12 is after the period.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from support import copy_example, run_qms

INPUTS = [
    "a) Feedback", "b) Complaint handling", "c) Reporting to regulatory authorities", "d) Audits",
    "e) Monitoring and measurement of processes", "f) Monitoring and measurement of product", "g) Corrective action",
    "h) Preventive action", "i) Follow-up actions from previous management reviews",
    "j) Changes that could affect the quality management system", "k) Recommendations for improvement",
    "l) Applicable new or revised regulatory requirements",
]
START, END = dt.date(2026, 7, 1), dt.date(2026, 9, 30)
DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    from docx import Document

    repo = copy_example(tmp_path_factory.mktemp("mr") / "repo")
    out = repo / "out-mr"
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", "--out", str(out), timeout=300)
    assert proc.returncode == 0, proc.stderr
    return Document(str(out / "management_review_input.docx"))


def _blocks(doc):
    """Body in order: ("p", style, text) and ("t", rows as lists of cell texts)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            p = Paragraph(child, doc)
            yield ("p", p.style.name, p.text)
        elif child.tag.endswith("}tbl"):
            yield ("t", [[c.text for c in r.cells] for r in Table(child, doc).rows])


def _sections(doc) -> dict[str, list]:
    """Blocks under each 5.6.2 input heading, up to the next level-1 heading."""
    out: dict[str, list] = {}
    current = None
    for block in _blocks(doc):
        if block[0] == "p" and block[1] == "Heading 1":
            current = block[2] if block[2] in INPUTS else None
            if current:
                out[current] = []
        elif current:
            out[current].append(block)
    return out


def _text(blocks) -> str:
    return "\n".join(b[2] if b[0] == "p" else "\n".join("|".join(r) for r in b[1]) for b in blocks)


def test_every_input_in_order_with_content(review):
    headings = [p.text for p in review.paragraphs if p.style.name == "Heading 1"]
    assert [h for h in headings if h in INPUTS] == INPUTS
    assert headings.index(INPUTS[0]) < headings.index("Trends") and headings[-2:] == ["Records by input", "Source records"]
    sections = _sections(review)
    for name in INPUTS:
        assert _text(sections[name]).strip(), name


def test_records_named_under_their_inputs(review):
    s = {name: _text(blocks) for name, blocks in _sections(review).items()}
    # d) the internal audit behind NC-2026-005, listed after the period
    assert ("NC-2026-005 Final test performed by operators not trained on WI rev F|2026-11-06|IA-2026-04|open|"
            "CAPA-2026-004 Work instruction revisions released before operator training") in s["d) Audits"]
    # j) the three change controls, each with its title
    for cc in ("CC-2026-001 Automated flow calibration station FTS-2 on Line 1",
               "CC-2026-002 Main controller firmware 2.1.3: outdated drug library advisory",
               "CC-2026-003 Per-lot calibration certificates for Sonaris sensors"):
        assert cc in s["j) Changes that could affect the quality management system"], cc
    # c) the serious incident's report: authority, type, reference, due, sent, status
    assert ("CMP-2026-001 Heparin over-infusion with bleeding, Duisburg|Death or serious deterioration in health|"
            "EU MDR competent authority|Initial|BfArM 02871/26|2026-09-24|2026-09-22|on time"
            ) in s["c) Reporting to regulatory authorities"]
    # i) and l): no record, and which record would fill it
    assert "a management review record" in s["i) Follow-up actions from previous management reviews"]
    assert "standards and regulatory requirements record" in s["l) Applicable new or revised regulatory requirements"]


def test_complaint_rate_below_minimum(review):
    text = _text(_sections(review)["b) Complaint handling"])
    assert "8 units shipped (8 serial units, 0 in lots): per 1,000 units n/a — fewer than 30 units shipped (8)" in text
    assert "250" not in text
    body = "\n".join(p.text for p in review.paragraphs)
    assert "a rate is computed only over at least 30 units" in body and "at least 10 CAPAs closed" in body


def test_no_empty_table_row(review):
    for table in review.tables:
        for row in table.rows[1:]:
            assert any(c.text.strip() for c in row.cells), [c.text for c in table.rows[0].cells]


def test_period_tables_hold_only_the_period(review):
    """A table captioned "In the period" lists only records whose first date lies in 2026-07-01..2026-09-30;
    the records of Q4 appear only after the period."""
    last = None
    period_ids: set[str] = set()
    checked = 0
    for block in _blocks(review):
        if block[0] == "p":
            last = block[2]
            continue
        if not (last or "").startswith("In the period (2026-07-01 to 2026-09-30)"):
            continue
        header, *rows = block[1]
        for row in rows:
            days = [dt.date.fromisoformat(d) for c in row for d in DAY.findall(c)]
            if not days:  # an aggregate row (incoming inspections by decision)
                assert header[0] == "Decision", (last, row)
                continue
            assert START <= days[0] <= END, (last, row)  # the defining date comes first
            period_ids.update(re.findall(r"\b[A-Z]{2,4}-\d{4}-\d{3}\b", row[0] + " " + row[1]))
            checked += 1
    assert checked >= 15
    for q4 in ("CAPA-2026-004", "NC-2026-005", "CMP-2026-004", "CC-2026-002"):
        assert q4 not in period_ids
    # open CAPAs are counted at the period's end: CAPA-2026-004 (opened 2026-11-10) is not among them;
    # CAPA-2026-001 is (reopened on review, closed again on 2026-11-25)
    age = _text(_sections(review)["g) Corrective action"])
    assert "3 CAPA(s) open on 2026-09-30: 0-30 days 2, 31-90 days 0, 91-180 days 0, >180 days 1" in age


def test_minimums_come_from_the_policy_in_force(tmp_path):
    repo = copy_example(tmp_path / "repo", commit=False)
    policy = repo / "specs/policies/POL-REVIEW.yaml"
    policy.write_text(policy.read_text().replace("status: draft", "status: effective")
                      .replace("min_units: 30", "min_units: 8"))
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    import json

    out = json.loads(proc.stdout)
    assert out["minimums"] == {"units": 8, "capas": 10, "period": "quarter", "policy": "POL-REVIEW"}
    assert out["kpis"]["complaint_rate"]["per_1000"] == 250  # 2 complaints / 8 units x 1000
    assert [i["clause"] for i in out["inputs"]] == list("abcdefghijkl")
