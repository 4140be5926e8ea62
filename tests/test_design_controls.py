"""Design controls (ISO 13485 7.3.3-7.3.4): an approved requirement no current design output implements is an
error (QMS209), unless the design policy in force exempts its type."""

from __future__ import annotations

from support import make_repo, validate_json


def _req(rid: str, rtype: str, status: str = "approved") -> str:
    return (f"id: {rid}\ntitle: Requirement {rid}\nstatus: {status}\nowner: USR-001\n"
            f"statement: The pump shall do {rid}.\ntype: {rtype}\n")


def _output(oid: str, implements: str, status: str = "approved") -> str:
    return (f"id: {oid}\ntitle: Output {oid}\nstatus: {status}\nowner: USR-001\ntype: specification\n"
            f"implements: {implements}\n")


POLICY = ("id: POL-DESIGN\ntitle: Design policy\nstatus: effective\nowner: USR-001\npolicy: design\n"
          "outputs_not_required_for: [regulatory]\n")


def _repo(tmp, files):
    return make_repo(tmp, {"specs/requirements/REQ-0001.yaml": _req("REQ-0001", "performance"),
                           "specs/requirements/REQ-0002.yaml": _req("REQ-0002", "regulatory"),
                           "specs/requirements/REQ-0003.yaml": _req("REQ-0003", "safety", status="draft"),
                           **files})


def _qms209(repo):
    _, doc = validate_json(repo, "--as-of", "2026-11-25")
    return sorted((f["severity"], f["record"], f["location"]) for f in doc["findings"] if f["code"] == "QMS209")


def test_requirements_without_any_output_are_errors(tmp_path):
    # the repository the issue describes: requirements, no design outputs; the draft one is not yet an input
    assert _qms209(_repo(tmp_path, {})) == [("error", "REQ-0001", "specs/requirements/REQ-0001.yaml:1"),
                                            ("error", "REQ-0002", "specs/requirements/REQ-0002.yaml:1")]


def test_an_output_realises_its_requirements_but_an_obsolete_one_does_not(tmp_path):
    current = _repo(tmp_path / "a", {"records/outputs/DO-001.yaml": _output("DO-001", "[REQ-0001, REQ-0002]")})
    assert _qms209(current) == []
    obsolete = _repo(tmp_path / "b", {"records/outputs/DO-001.yaml": _output("DO-001", "[REQ-0001]"),
                                      "records/outputs/DO-002.yaml": _output("DO-002", "[REQ-0002]", "obsolete")})
    assert _qms209(obsolete) == [("error", "REQ-0002", "specs/requirements/REQ-0002.yaml:1")]


def test_the_design_policy_exempts_requirement_types(tmp_path):
    repo = _repo(tmp_path, {"specs/policies/POL-DESIGN.yaml": POLICY})
    assert _qms209(repo) == [("error", "REQ-0001", "specs/requirements/REQ-0001.yaml:1")]


def test_every_approved_requirement_of_the_example_has_an_output(example_repo):
    assert _qms209(example_repo) == []
