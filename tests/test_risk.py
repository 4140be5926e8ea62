"""Risk management (ISO 14971): the register against a small policy, each risk rule, `qms risk` and its files."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from support import ROOT, make_repo, run_qms

from generator.analysis.policies import in_force
from generator.analysis.risk import Lookup, analyse_risk
from generator.load.repo import load_repository
from generator.model.policy import RiskPolicy
from generator.recordset import RecordSet
from generator.rules import RULES, check

AS_OF = dt.date(2026, 11, 25)
RISK_CODES = {f"QMS{n}" for n in range(301, 317)}

# Asymmetric on purpose: (probability 1, severity 3) is 'low' but (probability 3, severity 1) is 'medium',
# so a transposed lookup cannot pass.
POLICY = """\
id: POL-RISK
title: Test risk policy
status: effective
owner: USR-001
policy: risk
severity:
  - {level: 1, name: Minor}
  - {level: 2, name: Serious}
  - {level: 3, name: Critical}
probability:
  - {level: 1, name: Rare}
  - {level: 2, name: Possible}
  - {level: 3, name: Likely}
split_probability: true
p1:
  - {level: 1, name: Seldom}
  - {level: 2, name: Sometimes}
  - {level: 3, name: Often}
p2:
  - {level: 1, name: Unlikely}
  - {level: 2, name: Likely}
p_combination:
  - [1, 1]
  - [1, 2]
  - [2, 3]
regions:
  - {name: low, acceptable: true, color: "#00B050"}
  - {name: medium, acceptable: false, benefit_risk_required: true, color: "#FFC000"}
  - {name: high, acceptable: false, color: "#C00000"}
acceptability:
  - [low, low, low]
  - [low, medium, high]
  - [medium, high, high]
nc_capa_region: [medium, high]
"""

# By hand from the matrix above: (severity, probability) → region.
BY_HAND = {
    (1, 1): "low", (2, 1): "low", (3, 1): "low",
    (1, 2): "low", (2, 2): "medium", (3, 2): "high",
    (1, 3): "medium", (2, 3): "high", (3, 3): "high",
}
# By hand from p_combination: (P1, P2) → probability level.
P_BY_HAND = {(1, 1): 1, (1, 2): 1, (2, 1): 1, (2, 2): 2, (3, 1): 2, (3, 2): 3}

HAZARD = """\
id: HAZ-001
title: Over-infusion
status: approved
owner: USR-001
"""

HARM_1 = """\
id: HARM-001
title: Overdose
status: approved
owner: USR-001
severity: 3
"""

HARM_2 = """\
id: HARM-002
title: Discomfort
status: approved
owner: USR-001
severity: 2
"""

# Severity comes from the worst harm (3); residual probability is P1 1 × P2 2 → 1.
SITUATION = """\
id: HS-001
title: Pump delivers above the set rate
status: approved
owner: USR-001
hazard: HAZ-001
sequence_of_events:
  - Motor runs fast
  - Patient receives too much drug
harms: [HARM-001, HARM-002]
initial_risk:
  probability: 3
residual_risk:
  severity: 3
  p1: 1
  p2: 2
"""

REQUIREMENT = """\
id: REQ-0001
title: Rate monitor
status: approved
owner: USR-001
statement: A second processor shall stop the pump when the rate deviates by more than 10 %.
"""

CONTROL = """\
id: RC-001
title: Independent rate monitor
status: approved
owner: USR-001
type: protective_measure
mitigates: [HS-001]
implemented_by: [REQ-0001]
"""

VER_IMPL = """\
id: VER-001
title: Rate monitor implementation
status: approved
owner: USR-001
verifies: [RC-001]
purpose: implementation
results:
  - date: 2026-03-01
    result: pass
"""

VER_EFF = """\
id: VER-002
title: Rate monitor effectiveness
status: approved
owner: USR-001
verifies: [RC-001]
purpose: effectiveness
results:
  - date: 2026-03-08
    result: pass
"""

OVERALL = """\
id: BRA-001
title: Overall residual risk
status: approved
owner: USR-001
scope: overall
covers: [HS-001]
conclusion: benefits_outweigh
"""

BASE = {
    "specs/policies/POL-RISK.yaml": POLICY,
    "records/risk/HAZ-001.yaml": HAZARD,
    "records/risk/HARM-001.yaml": HARM_1,
    "records/risk/HARM-002.yaml": HARM_2,
    "records/risk/HS-001.yaml": SITUATION,
    "records/REQ-0001.yaml": REQUIREMENT,
    "records/risk/RC-001.yaml": CONTROL,
    "records/VER-001.yaml": VER_IMPL,
    "records/VER-002.yaml": VER_EFF,
    "records/risk/BRA-001.yaml": OVERALL,
}

POL, HS, RC, BRA = ("specs/policies/POL-RISK.yaml", "records/risk/HS-001.yaml", "records/risk/RC-001.yaml",
                    "records/risk/BRA-001.yaml")


def _repo(tmp_path: Path) -> Path:
    """The base repository: one hazardous situation, controlled, verified and evaluated; no risk findings."""
    return make_repo(tmp_path / "repo", dict(BASE))


def _load(repo: Path) -> RecordSet:
    loaded = load_repository(repo, use_cache=False)
    assert loaded.findings == [], loaded.findings
    return RecordSet(loaded.records, loaded.config)


def _findings(repo: Path) -> list[tuple[str, str, str | None]]:
    records = _load(repo)
    report = check(records, [], AS_OF)
    return [(f.code, str(f.location), f.record) for f in report.findings if f.code in RISK_CODES]


def _messages(repo: Path, code: str) -> list[str]:
    records = _load(repo)
    return [f.message for f in check(records, [], AS_OF).findings if f.code == code]


# --------------------------------------------------------------------------- the policy and the register


def test_every_cell_of_the_matrix_reads_the_region_the_policy_gives(tmp_path):
    policy = in_force(_load(_repo(tmp_path)), RiskPolicy)
    assert policy is not None
    lookup = Lookup(policy)
    assert {(s, p): lookup.region_name(s, p) for s in (1, 2, 3) for p in (1, 2, 3)} == BY_HAND
    assert lookup.region_name(4, 1) is None and lookup.region_name(1, 0) is None
    assert lookup.region_name(None, 2) is None
    assert [lookup.region(n).acceptable for n in ("low", "medium", "high")] == [True, False, False]


def test_p1_times_p2_combines_through_the_policy_table(tmp_path):
    policy = in_force(_load(_repo(tmp_path)), RiskPolicy)
    lookup = Lookup(policy)
    assert {(a, b): lookup.combine(a, b) for a in (1, 2, 3) for b in (1, 2)} == P_BY_HAND
    assert lookup.combine(4, 1) is None and lookup.combine(1, None) is None
    unsplit = policy.model_copy(update={"split_probability": False})
    assert Lookup(unsplit).combine(3, 2) is None


def test_register_of_a_clean_repository(tmp_path):
    repo = _repo(tmp_path)
    assert _findings(repo) == []
    result = analyse_risk(_load(repo))
    (s,) = result.situations
    assert (s.hazard, s.hazard_title, [h.id for h in s.harms]) == ("HAZ-001", "Over-infusion", ["HARM-001", "HARM-002"])
    assert s.sequence_of_events == ("Motor runs fast", "Patient receives too much drug")
    i, r = s.initial, s.residual
    assert (i.severity, i.severity_from, i.probability, i.probability_from, i.region, i.acceptable) == (
        3, "harms", 3, "estimate", "high", False)
    assert (r.severity, r.severity_from, r.probability, r.probability_from, r.p1, r.p2, r.region, r.acceptable) == (
        3, "estimate", 1, "p1_p2", 1, 2, "low", True)
    assert [(c.id, c.type, c.implementation.status, c.effectiveness.status) for c in s.controls] == [
        ("RC-001", "protective_measure", "verified", "verified")]
    assert s.residual_accepted is True and not s.needs_benefit_risk
    assert result.counts("initial") == {"low": 0, "medium": 0, "high": 1, "unplaced": 0}
    assert result.counts("residual") == {"low": 1, "medium": 0, "high": 0, "unplaced": 0}
    assert result.matrix("initial") == [[0, 0, 0], [0, 0, 0], [0, 0, 1]]
    assert result.matrix("residual") == [[0, 0, 1], [0, 0, 0], [0, 0, 0]]
    assert result.overall_accepted


def test_controls_are_listed_in_the_priority_order_of_7_1(tmp_path):
    ifs = CONTROL.replace("RC-001", "RC-002").replace("protective_measure", "information_for_safety")
    inherent = CONTROL.replace("RC-001", "RC-003").replace("protective_measure", "inherent_safety") \
        .replace("mitigates: [HS-001]", "mitigates: [HAZ-001]")  # via the hazard
    repo = _repo(tmp_path)
    (repo / "records/risk/RC-002.yaml").write_text(ifs)
    (repo / "records/risk/RC-003.yaml").write_text(inherent)
    (s,) = analyse_risk(_load(repo)).situations
    assert [(c.id, c.type, c.via) for c in s.controls] == [
        ("RC-003", "inherent_safety", "hazard"), ("RC-001", "protective_measure", "situation"),
        ("RC-002", "information_for_safety", "situation")]


def test_an_acceptable_uncontrolled_risk_keeps_its_initial_estimate_as_residual(tmp_path):
    situation = SITUATION.replace("  probability: 3\nresidual_risk:\n  severity: 3\n  p1: 1\n  p2: 2\n",
                                  "  severity: 1\n  probability: 1\n")
    repo = _repo(tmp_path)
    (repo / HS).write_text(situation)
    for rel in (RC, "records/VER-001.yaml", "records/VER-002.yaml"):
        (repo / rel).unlink()
    assert _findings(repo) == []
    (s,) = analyse_risk(_load(repo)).situations
    assert s.residual.from_initial and s.residual.region == "low" and s.residual_accepted


# --------------------------------------------------------------------------- each rule fires, and only there


def _edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text()
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1))


def test_no_policy_in_force(tmp_path):
    repo = _repo(tmp_path)
    (repo / POL).unlink()
    assert _findings(repo) == [("QMS301", "records/risk/HAZ-001.yaml:1", "HAZ-001")]
    repo2 = _repo(tmp_path / "draft")
    _edit(repo2, POL, "status: effective", "status: draft")
    assert _findings(repo2) == [("QMS301", "specs/policies/POL-RISK.yaml:3", "POL-RISK")]


def test_no_policy_needed_without_risk_records(tmp_path):
    repo = make_repo(tmp_path, {"records/REQ-0001.yaml": REQUIREMENT})
    assert _findings(repo) == []


def test_inconsistent_policy(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, POL, "  - [low, medium, high]\n", "  - [low, medium]\n")
    _edit(repo, POL, "  - [medium, high, high]\n", "  - [medium, hgih, high]\n")
    _edit(repo, POL, "nc_capa_region: [medium, high]", "nc_capa_region: [medium, severe]")
    _edit(repo, POL, "  - [2, 3]\n", "  - [2, 4]\n")
    assert _findings(repo) == [
        ("QMS302", "specs/policies/POL-RISK.yaml:25", "POL-RISK"),
        ("QMS302", "specs/policies/POL-RISK.yaml:32", "POL-RISK"),
        ("QMS302", "specs/policies/POL-RISK.yaml:33", "POL-RISK"),
        ("QMS302", "specs/policies/POL-RISK.yaml:34", "POL-RISK"),
    ]
    assert sorted(_messages(repo, "QMS302")) == sorted([
        "p_combination cell (P1 3, P2 2) is 4, not a level of the probability scale",
        "row 2 of the acceptability matrix has 2 cell(s) but the severity scale has 3 level(s)",
        "acceptability cell (probability 3, severity 2) names region 'hgih', which the policy does not define",
        "nc_capa_region names region 'severe', which the policy does not define",
    ])


def test_matrix_with_too_few_rows_is_inconsistent(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, POL, "  - [medium, high, high]\n", "")
    assert [f[:2] for f in _findings(repo)] == [("QMS302", "specs/policies/POL-RISK.yaml:30")]
    assert _messages(repo, "QMS302") == [
        "the acceptability matrix has 2 row(s) but the probability scale has 3 level(s)"]


def test_estimate_outside_the_scales_is_reported_where_it_is_written(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "  probability: 3\n", "  severity: 4\n  probability: 3\n")
    _edit(repo, HS, "  p1: 1\n", "  p1: 5\n")
    _edit(repo, "records/risk/HARM-002.yaml", "severity: 2", "severity: 7")
    found = _findings(repo)
    assert ("QMS303", "records/risk/HS-001.yaml:11", "HS-001") in found
    assert ("QMS303", "records/risk/HS-001.yaml:15", "HS-001") in found
    assert ("QMS303", "records/risk/HARM-002.yaml:5", "HARM-002") in found
    assert {c for c, _, _ in found} == {"QMS303"}
    assert sorted(_messages(repo, "QMS303")) == [
        "initial_risk: severity 4 is not a level of the severity scale of POL-RISK (1-3)",
        "residual_risk: p1 5 is not a level of the p1 scale of POL-RISK (1-3)",
        "severity 7 is not a level of the severity scale of POL-RISK (1-3)",
    ]


def test_p1_p2_without_a_split_policy_and_a_contradicting_probability(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "  p1: 1\n", "  probability: 2\n  p1: 1\n")
    assert _findings(repo) == [("QMS303", "records/risk/HS-001.yaml:14", "HS-001")]
    assert _messages(repo, "QMS303") == [
        "residual_risk: probability 2 contradicts P1 1 × P2 2, which POL-RISK combines to 1"]
    _edit(repo, HS, "  probability: 2\n", "")
    _edit(repo, POL, "split_probability: true", "split_probability: false")
    assert _findings(repo) == [("QMS303", "records/risk/HS-001.yaml:14", "HS-001"),
                               ("QMS303", "records/risk/HS-001.yaml:15", "HS-001")]


def test_hazard_without_situation(tmp_path):
    repo = _repo(tmp_path)
    (repo / "records/risk/HAZ-002.yaml").write_text(HAZARD.replace("HAZ-001", "HAZ-002"))
    assert _findings(repo) == [("QMS304", "records/risk/HAZ-002.yaml:1", "HAZ-002")]


def test_situation_without_hazard_or_harm_and_so_without_severity(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "hazard: HAZ-001\n", "")
    _edit(repo, HS, "harms: [HARM-001, HARM-002]\n", "")
    (repo / "records/risk/HARM-001.yaml").unlink()
    (repo / "records/risk/HARM-002.yaml").unlink()
    assert _findings(repo) == [
        ("QMS304", "records/risk/HAZ-001.yaml:1", "HAZ-001"),
        ("QMS305", "records/risk/HS-001.yaml:1", "HS-001"),
        ("QMS305", "records/risk/HS-001.yaml:1", "HS-001"),
        ("QMS306", "records/risk/HS-001.yaml:8", "HS-001"),
    ]
    assert _messages(repo, "QMS305") == ["HS-001 names no harm", "HS-001 names no hazard"]
    assert _messages(repo, "QMS306") == [
        "initial_risk has no severity and none of HS-001's harms gives one"]


def test_risk_not_estimated(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "initial_risk:\n  probability: 3\n", "")
    assert _findings(repo) == [("QMS306", "records/risk/HS-001.yaml:1", "HS-001")]
    repo2 = _repo(tmp_path / "noprob")
    _edit(repo2, HS, "  probability: 3\n", "  severity: 3\n")
    assert _findings(repo2) == [("QMS306", "records/risk/HS-001.yaml:10", "HS-001")]
    assert _messages(repo2, "QMS306") == ["initial_risk has no probability"]


def test_unacceptable_initial_risk_without_control(tmp_path):
    repo = _repo(tmp_path)
    for rel in (RC, "records/VER-001.yaml", "records/VER-002.yaml"):
        (repo / rel).unlink()
    assert _findings(repo) == [("QMS307", "records/risk/HS-001.yaml:10", "HS-001")]


def test_information_for_safety_needs_a_design_control_or_a_rationale(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, RC, "type: protective_measure", "type: information_for_safety")
    assert _findings(repo) == [("QMS308", "records/risk/RC-001.yaml:5", "RC-001")]
    with_rationale = (repo / RC).read_text() + "design_infeasible_rationale: The motor cannot be made slower.\n"
    (repo / RC).write_text(with_rationale)
    assert _findings(repo) == []
    repo2 = _repo(tmp_path / "design")
    _edit(repo2, RC, "type: protective_measure", "type: information_for_safety")
    design = CONTROL.replace("RC-001", "RC-002").replace("protective_measure", "inherent_safety")
    (repo2 / "records/risk/RC-002.yaml").write_text(design)
    for rel in ("records/VER-001.yaml", "records/VER-002.yaml"):
        _edit(repo2, rel, "verifies: [RC-001]", "verifies: [RC-001, RC-002]")
    assert _findings(repo2) == []


def test_implementation_and_effectiveness_are_two_separate_verifications(tmp_path):
    repo = _repo(tmp_path)
    (repo / "records/VER-002.yaml").unlink()
    assert _findings(repo) == [("QMS310", "records/risk/RC-001.yaml:1", "RC-001")]
    assert _messages(repo, "QMS310") == [
        "RC-001 has no verification of its effectiveness: no test with 'purpose: effectiveness' verifies it"]
    repo2 = _repo(tmp_path / "impl")
    _edit(repo2, "records/VER-001.yaml", "    result: pass\n",
          "    result: pass\n  - date: 2026-03-05\n    result: fail\n")
    assert _findings(repo2) == [("QMS309", "records/risk/RC-001.yaml:1", "RC-001")]
    assert _messages(repo2, "QMS309") == [
        "RC-001 has no verification of its implementation: latest result of VER-001 (fail on 2026-03-05)"]
    # a test verifying requirements (purpose: requirement) does not verify a control
    _edit(repo2, "records/VER-001.yaml", "purpose: implementation", "purpose: requirement")
    assert _messages(repo2, "QMS309") == [
        "RC-001 has no verification of its implementation: no test with 'purpose: implementation' verifies it"]


def test_the_latest_result_is_the_latest_date_not_the_last_line(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, "records/VER-001.yaml", "  - date: 2026-03-01\n    result: pass\n",
          "  - date: 2026-03-01\n    result: pass\n  - date: 2026-02-01\n    result: fail\n")
    assert _findings(repo) == []


def test_residual_risk_not_evaluated(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "residual_risk:\n  severity: 3\n  p1: 1\n  p2: 2\n", "")
    assert _findings(repo) == [("QMS311", "records/risk/HS-001.yaml:10", "HS-001")]
    assert _messages(repo, "QMS311") == ["HS-001 has no residual risk estimate, but 1 risk control(s) mitigate it"]


BRA_HS = """\
id: BRA-002
title: Benefit-risk of residual over-infusion
status: approved
owner: USR-001
scope: hazardous_situation
covers: [HS-001]
conclusion: benefits_outweigh
"""


def test_residual_risk_needing_benefit_risk(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "  severity: 3\n  p1: 1\n  p2: 2\n", "  severity: 2\n  p1: 2\n  p2: 2\n")  # S2 × P2 → medium
    assert _findings(repo) == [("QMS312", "records/risk/HS-001.yaml:12", "HS-001")]
    (s,) = analyse_risk(_load(repo)).situations
    assert s.needs_benefit_risk and s.residual.region == "medium" and s.residual_accepted is False
    bra = repo / "records/risk/BRA-002.yaml"
    bra.write_text(BRA_HS)
    assert _findings(repo) == []
    assert analyse_risk(_load(repo)).situations[0].residual_accepted is True
    for old, new in (("status: approved", "status: draft"), ("benefits_outweigh", "not_acceptable")):
        bra.write_text(BRA_HS.replace(old, new))
        assert _findings(repo) == [("QMS312", "records/risk/HS-001.yaml:12", "HS-001")]
    assert _messages(repo, "QMS312") == [
        "residual risk of HS-001 is in region 'medium' (not acceptable) and no approved benefit-risk analysis "
        "concludes its benefits outweigh it (BRA-002 is approved (not_acceptable))"]
    bra.unlink()
    # the overall evaluation (clause 8) does not stand in for the situation's own analysis (7.4)
    assert _findings(repo) == [("QMS312", "records/risk/HS-001.yaml:12", "HS-001")]


def test_residual_risk_in_a_region_no_benefit_risk_can_accept(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "  severity: 3\n  p1: 1\n  p2: 2\n", "  severity: 2\n  p1: 3\n  p2: 2\n")  # S2 × P3 → high
    (repo / "records/risk/BRA-002.yaml").write_text(BRA_HS)
    assert _findings(repo) == [("QMS313", "records/risk/HS-001.yaml:12", "HS-001")]
    (s,) = analyse_risk(_load(repo)).situations
    assert s.residual.region == "high" and not s.needs_benefit_risk and s.residual_accepted is False


def test_residual_risk_higher_than_initial_is_a_warning(tmp_path):
    repo = _repo(tmp_path)
    _edit(repo, HS, "  probability: 3\n", "  severity: 3\n  probability: 1\n")  # S3 P1 low
    _edit(repo, HS, "  p1: 1\n  p2: 2\n", "  p1: 2\n  p2: 2\n")  # P2 → S3 P2 high
    found = _findings(repo)
    assert ("QMS314", "records/risk/HS-001.yaml:13", "HS-001") in found
    assert RULES["QMS314"].severity == "warning"
    assert _messages(repo, "QMS314") == [
        "residual risk of HS-001 is higher than its initial risk (probability 1 → 2)"]


def test_introduced_hazard_recorded_on_one_side(tmp_path):
    repo = _repo(tmp_path)
    new_hazard = HAZARD.replace("HAZ-001", "HAZ-002").replace("Over-infusion", "Nuisance alarms")
    (repo / "records/risk/HAZ-002.yaml").write_text(new_hazard)
    situation = SITUATION.replace("HS-001", "HS-002").replace("HAZ-001", "HAZ-002")
    (repo / "records/risk/HS-002.yaml").write_text(situation)
    _edit(repo, BRA, "covers: [HS-001]", "covers: [HS-001, HS-002]")
    control = CONTROL.replace("RC-001", "RC-002").replace("HS-001", "HS-002")
    (repo / "records/risk/RC-002.yaml").write_text(control)
    for rel in ("records/VER-001.yaml", "records/VER-002.yaml"):
        _edit(repo, rel, "verifies: [RC-001]", "verifies: [RC-001, RC-002]")
    (repo / RC).write_text(CONTROL + "introduces: [HAZ-002]\n")
    assert _findings(repo) == [("QMS315", "records/risk/RC-001.yaml:8", "RC-001")]
    (s, _) = analyse_risk(_load(repo)).situations
    assert s.new_hazards == ("HAZ-002",)
    (repo / "records/risk/HAZ-002.yaml").write_text(new_hazard + "introduced_by: [RC-001]\n")
    assert _findings(repo) == []
    (repo / RC).write_text(CONTROL)
    assert _findings(repo) == [("QMS315", "records/risk/HAZ-002.yaml:5", "HAZ-002")]


def test_overall_residual_risk_evaluation(tmp_path):
    repo = _repo(tmp_path)
    (repo / BRA).unlink()
    assert _findings(repo) == [("QMS316", "specs/policies/POL-RISK.yaml:1", "POL-RISK")]
    (repo / BRA).write_text(OVERALL.replace("status: approved", "status: in_review"))
    assert _findings(repo) == [("QMS316", "records/risk/BRA-001.yaml:3", "BRA-001")]
    (repo / BRA).write_text(OVERALL.replace("benefits_outweigh", "not_acceptable"))
    assert _findings(repo) == [("QMS316", "records/risk/BRA-001.yaml:7", "BRA-001")]


def test_risk_rules_are_listed_with_clauses():
    risk = {c: r for c, r in RULES.items() if c in RISK_CODES}
    assert sorted(risk) == sorted(RISK_CODES)
    assert all(r.area == "risk" and r.clause.startswith("ISO 14971:2019") and r.rationale for r in risk.values())
    assert {c for c, r in risk.items() if r.severity == "warning"} == {"QMS314", "QMS315"}


# --------------------------------------------------------------------------- qms risk


def test_qms_risk_json(tmp_path):
    repo = _repo(tmp_path)
    proc = run_qms("--repo", str(repo), "risk", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert {"policy", "scales", "regions", "acceptability", "situations", "hazards", "counts", "matrices",
            "needs_benefit_risk", "overall_benefit_risk", "fmea", "findings"} <= set(out)
    assert out["policy"] == "POL-RISK" and out["fmea"] == [] and out["findings"] == []
    assert out["counts"] == {"initial": {"low": 0, "medium": 0, "high": 1, "unplaced": 0},
                             "residual": {"low": 1, "medium": 0, "high": 0, "unplaced": 0}}
    assert out["matrices"]["residual"] == [[0, 0, 1], [0, 0, 0], [0, 0, 0]]
    (s,) = out["situations"]
    assert s["initial"]["region"] == "high" and s["residual"]["region"] == "low"
    assert s["residual"]["probability"] == 1 and s["residual"]["probability_from"] == "p1_p2"
    assert s["controls"][0]["implementation"] == {"status": "verified", "verified": True,
                                                  "tests": [{"id": "VER-001", "result": "pass",
                                                             "date": "2026-03-01"}]}
    assert out["regions"][1] == {"name": "medium", "acceptable": False, "benefit_risk_required": True,
                                 "color": "#FFC000"}


FMEA_SHEET = [
    ["id", "status", "fmea_type", "item", "failure_mode", "effect", "severity", "occurrence", "detection"],
    ["FM-001", "open", "design", "Motor", "Runs fast", "Overdose", 4, 3, 2],
]


def test_qms_risk_json_carries_the_fmea_lines(tmp_path):
    repo = _repo(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "fmea"
    for row in FMEA_SHEET:
        ws.append(row)
    wb.save(repo / "records/risk/fmea.xlsx")
    proc = run_qms("--repo", str(repo), "risk", "--format", "json")
    out = json.loads(proc.stdout)
    (line,) = out["fmea"]
    assert {k: line[k] for k in ("id", "severity", "occurrence", "detection", "rpn")} == {
        "id": "FM-001", "severity": 4, "occurrence": 3, "detection": 2, "rpn": 24}
    assert line["action_priority"] in ("H", "M", "L")


def test_qms_risk_exits_1_on_risk_errors_and_prints_counts(tmp_path):
    repo = _repo(tmp_path)
    (repo / "records/VER-002.yaml").unlink()
    proc = run_qms("--repo", str(repo), "risk")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "records/risk/RC-001.yaml:1: error QMS310 [RC-001]" in proc.stdout
    assert "  Situations per region    initial  residual\n" in proc.stdout
    assert "  low                            0         1\n  medium                         0         0\n" \
           "  high                           1         0\n" in proc.stdout
    assert "1 risk error(s), 0 risk warning(s), 0 waived" in proc.stdout


def _cell_rgb(cell) -> str:
    return cell.fill.fgColor.rgb[-6:]


def test_register_workbook_and_heat_maps(tmp_path):
    repo = _repo(tmp_path)
    repo2 = _repo(tmp_path / "second")
    out1, out2 = tmp_path / "out1", tmp_path / "out2"
    for r, o in ((repo, out1), (repo2, out2)):
        proc = run_qms("--repo", str(r), "risk", "--out", str(o))
        assert proc.returncode == 0, proc.stdout + proc.stderr
    for name in ("risk_register.xlsx", "heatmap_initial.png", "heatmap_residual.png"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    for name in ("heatmap_initial.png", "heatmap_residual.png"):
        data = (out1 / name).read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and b"Software" not in data
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (700, 500)
    assert (out1 / "heatmap_initial.png").read_bytes() != (out1 / "heatmap_residual.png").read_bytes()

    wb = openpyxl.load_workbook(out1 / "risk_register.xlsx")
    assert wb.sheetnames == ["Register", "Initial matrix", "Residual matrix", "Regions"]
    reg = wb["Register"]
    assert reg.freeze_panes == "A2" and reg.auto_filter.ref == "A1:S2"
    header = [c.value for c in reg[1]]
    row = dict(zip(header, [c.value for c in reg[2]]))
    assert row["Situation"] == "HS-001" and row["Hazard"] == "HAZ-001 Over-infusion"
    assert row["Sequence of events"] == "1. Motor runs fast\n2. Patient receives too much drug"
    assert (row["Initial S"], row["Initial P"], row["Initial region"]) == (3, 3, "high")
    assert (row["Residual S"], row["Residual P"], row["Residual P1×P2"], row["Residual region"]) == (
        3, 1, "1×2", "low")
    assert row["Implementation verified"] == "RC-001: verified (VER-001 pass)"
    assert row["Residual accepted"] == "yes"
    assert _cell_rgb(reg.cell(2, header.index("Initial region") + 1)) == "C00000"
    assert _cell_rgb(reg.cell(2, header.index("Residual region") + 1)) == "00B050"

    # Matrix sheets: probability highest first (row 2 = P3), severity lowest first (column B = S1).
    for title, expected in (("Initial matrix", {(2, 4): 1}), ("Residual matrix", {(4, 4): 1})):
        ws = wb[title]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D4"
        assert [c.value for c in ws[1]] == ["Probability \\ Severity", "S1 Minor", "S2 Serious", "S3 Critical"]
        assert [ws.cell(r, 1).value for r in (2, 3, 4)] == ["P3 Likely", "P2 Possible", "P1 Rare"]
        colours = {"low": "00B050", "medium": "FFC000", "high": "C00000"}
        for r, p in ((2, 3), (3, 2), (4, 1)):
            for c, s in ((2, 1), (3, 2), (4, 3)):
                assert ws.cell(r, c).value == expected.get((r, c), 0), (title, r, c)
                assert _cell_rgb(ws.cell(r, c)) == colours[BY_HAND[(s, p)]], (title, r, c)
    regions = wb["Regions"]
    assert [[c.value for c in row] for row in regions.iter_rows(min_row=2)] == [
        ["low", "yes", "no", "#00B050", 0, 1],
        ["medium", "no", "yes", "#FFC000", 0, 0],
        ["high", "no", "no", "#C00000", 1, 0],
        ["(not placed)", None, None, None, 0, 0],
    ]


def test_out_must_be_a_folder(tmp_path):
    repo = _repo(tmp_path)
    (tmp_path / "file").write_text("x")
    proc = run_qms("--repo", str(repo), "risk", "--out", str(tmp_path / "file"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and proc.stderr


# --------------------------------------------------------------------------- the worked example


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("example")
    for name in ("specs", "records", "protocols", "features", "evidence"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy2(ROOT / "qms.yaml", target / "qms.yaml")
    return target


def test_worked_example_risk_register(example):
    proc = run_qms("--repo", str(example), "risk", "--format", "json")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    out = json.loads(proc.stdout)
    assert out["findings"] == [] and out["policy"] == "POL-RISK"
    assert out["counts"] == {
        "initial": {"acceptable": 1, "investigate": 5, "unacceptable": 5, "unplaced": 0},
        "residual": {"acceptable": 6, "investigate": 5, "unacceptable": 0, "unplaced": 0},
    }
    assert "HS-001" in out["needs_benefit_risk"]
    hs1 = next(s for s in out["situations"] if s["id"] == "HS-001")
    assert hs1["residual"]["region"] == "investigate" and hs1["benefit_risk"]["required"]
    assert [b["id"] for b in hs1["benefit_risk"]["records"] if b["accepts"]] == ["BRA-001"]
    assert (example / "records/risk/benefit-risk/BRA-001.yaml").is_file()
    hs3 = next(s for s in out["situations"] if s["id"] == "HS-003")
    assert [(c["id"], c["type"]) for c in hs3["controls"]] == [("RC-002", "inherent_safety"),
                                                               ("RC-010", "information_for_safety")]
    assert out["overall_benefit_risk"]["accepted"]
    assert len(out["fmea"]) > 0 and {"id", "severity", "occurrence", "detection", "rpn", "action_priority"} <= set(
        out["fmea"][0])
    text = run_qms("--repo", str(example), "risk")
    assert text.returncode == 0 and "0 risk error(s), 0 risk warning(s)" in text.stdout
