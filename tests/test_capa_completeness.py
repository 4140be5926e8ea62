"""CAPA completeness (ISO 13485 8.5.2): risk assessment (QMS411), reportability decision (QMS412), adverse-effect
verification (QMS413), each a warning while the CAPA is open past the stage it is due in and an error once closed,
and effectiveness criteria shown met by cited records (QMS414)."""

from __future__ import annotations

from support import make_repo, validate_json
from test_capa import CAPA_POLICY, CLOSED, RISK, USER2, capa

CODES = ("QMS411", "QMS412", "QMS413", "QMS414")
DOC = "id: DOC-001\ntitle: Line requalification report\nstatus: draft\nowner: USR-001\ntype: record\nrevision: A\n"


def _found(tmp, body: str) -> list[tuple[str, str, str]]:
    repo = make_repo(tmp, {"specs/policies/POL-RISK.yaml": RISK, "specs/policies/POL-CAPA.yaml": CAPA_POLICY,
                           "records/people/USR-002.yaml": USER2, "records/documents/DOC-001.yaml": DOC,
                           "records/events/capa/CAPA-2026-001.yaml": capa("CAPA-2026-001", body=body)})
    _, doc = validate_json(repo, "--as-of", "2026-11-25")
    return sorted((f["code"], f["severity"], f["location"]) for f in doc["findings"] if f["code"] in CODES)


def _without(*keys: str) -> str:
    return "".join(line + "\n" for line in CLOSED.splitlines() if not line.startswith(keys))


AT = "records/events/capa/CAPA-2026-001.yaml"


def test_complete_closed_capa_is_clean(tmp_path):
    assert _found(tmp_path, CLOSED) == []


def test_closed_capa_missing_each_element_is_an_error_at_its_status(tmp_path):
    body = _without("risk:", "reportability:", "adverse_effect:")
    assert _found(tmp_path, body) == [("QMS411", "error", f"{AT}:5"), ("QMS412", "error", f"{AT}:5"),
                                      ("QMS413", "error", f"{AT}:5")]


def test_open_capa_gets_warnings_only_for_what_its_stage_needs(tmp_path):
    action = "status: action\nopened: 2026-10-01\ndue: 2026-12-30\n"
    assert _found(tmp_path / "a", action) == [("QMS411", "warning", f"{AT}:5"), ("QMS412", "warning", f"{AT}:5")]
    check = action.replace("status: action", "status: effectiveness_check") + \
        "risk: {assessment: ''}\nreportability: {reportable: false}\n"
    # an empty assessment with no links is no assessment; located at the field that is there
    assert _found(tmp_path / "b", check) == [("QMS411", "warning", f"{AT}:8"), ("QMS413", "warning", f"{AT}:5")]
    investigation = action.replace("status: action", "status: investigation")
    assert _found(tmp_path / "c", investigation) == []


def test_effectiveness_needs_the_records_its_criteria_call_for(tmp_path):
    none_cited = CLOSED.replace("  evidence_records: [DOC-001]\n", "")
    assert _found(tmp_path / "a", none_cited) == [("QMS414", "warning", f"{AT}:13")]
    short = CLOSED.replace("  evidence_records: [DOC-001]\n", "  needed: 2\n  evidence_records: [DOC-001]\n")
    (hit,) = _found(tmp_path / "b", short)
    assert hit == ("QMS414", "warning", f"{AT}:16")  # at evidence_records


def test_the_example_capas_show_their_evidence_after_review(example_repo, tmp_path):
    # On review CAPA-2026-001 was reopened and re-checked on the second lot its criteria name (LOT-F-2604) and
    # CAPA-2026-002 recorded its adverse-effect verification: no CAPA finding left.
    rc, doc = validate_json(example_repo, "--as-of", "2026-11-25")
    assert rc == 0 and not [f for f in doc["findings"] + doc["waived"] if f["code"] in CODES]
    # The example as it stood before that review: both findings, exactly.
    from support import copy_example
    repo = copy_example(tmp_path / "ex", commit=False)
    capa1 = repo / "records/events/capa/CAPA-2026-001.yaml"
    capa1.write_text(capa1.read_text().replace("[LOT-F-2603, LOT-F-2604, PQ-001]", "[LOT-F-2603, PQ-001]"))
    capa2 = repo / "records/events/capa/CAPA-2026-002.yaml"
    capa2.write_text(capa2.read_text().split("adverse_effect:")[0])
    rc, doc = validate_json(repo, "--as-of", "2026-11-25")
    got = sorted((f["code"], f["severity"], f["record"], f["message"]) for f in doc["findings"] if f["code"] in CODES)
    assert got == [
        ("QMS413", "warning", "CAPA-2026-002", "CAPA-2026-002 is 'effectiveness_check' without verification that "
                                               "its actions do not adversely affect the device"),
        ("QMS414", "warning", "CAPA-2026-001", "CAPA-2026-001 is recorded effective but cites 2 evidence record(s) "
                                               "(LOT-F-2603, PQ-001) where its criteria call for 3"),
    ]
