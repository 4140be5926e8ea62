"""The risk register (ISO 14971:2019): every hazardous situation read against the risk policy in force.

Per hazardous situation: its hazard, sequence of events and harms; the initial and
residual risk estimates, each placed in a region of the policy's acceptability
matrix; the risk controls in the priority order of clause 7.1 with the
verification of their implementation and effectiveness (7.2); hazards the
controls introduce (7.5); and the benefit-risk analyses that cover it (7.4).

Nothing about acceptability lives here: scales, the P1 × P2 combination, region
names, colours and whether a region is acceptable all come from the RiskPolicy
in force. The helpers `policy_problems` and `estimate_problems` say where a
policy or an estimate does not fit together; the rules report them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..model.base import RiskEstimate
from ..model.design import VerificationTest
from ..model.policy import RiskPolicy, RiskRegion
from ..model.risk import BenefitRisk, Harm, Hazard, HazardousSituation, RiskControl
from ..recordset import RecordSet
from .policies import in_force
from .trace import latest_result

# The options of ISO 14971:2019 7.1 in their priority order, as the model lists them.
_TYPE_EXTRA: Any = RiskControl.model_fields["type"].json_schema_extra
CONTROL_PRIORITY: tuple[str, ...] = tuple(_TYPE_EXTRA["enum"])
DESIGN_CONTROLS = ("inherent_safety", "protective_measure")
ESTIMATES = ("initial_risk", "residual_risk")

Path_ = tuple[Any, ...]



# --------------------------------------------------------------------------- the policy


def _levels(scale: list[Any]) -> dict[int, int]:
    """Level number → position in the scale (lowest first)."""
    out: dict[int, int] = {}
    for i, lvl in enumerate(scale):
        out.setdefault(lvl.level, i)
    return out


def _names(scale: list[Any]) -> dict[int, str]:
    return {lvl.level: lvl.name for lvl in scale}


def policy_problems(policy: RiskPolicy) -> list[tuple[Path_, str]]:
    """Where the policy does not hold together: (path inside the policy, message)."""
    problems: list[tuple[Path_, str]] = []
    scales = [("severity", policy.severity), ("probability", policy.probability)]
    if policy.split_probability:
        scales += [("p1", policy.p1), ("p2", policy.p2)]
    for name, scale in scales:
        numbers = [lvl.level for lvl in scale]
        if numbers != list(range(1, len(scale) + 1)):
            problems.append(((name,), f"the {name} scale is numbered {numbers}; levels must run 1, 2, 3 ... "
                                      "lowest first, one entry each"))
    n_prob, n_sev = len(policy.probability), len(policy.severity)
    if len(policy.acceptability) != n_prob:
        problems.append((("acceptability",), f"the acceptability matrix has {len(policy.acceptability)} row(s) "
                                             f"but the probability scale has {n_prob} level(s)"))
    for i, row in enumerate(policy.acceptability):
        if len(row) != n_sev:
            problems.append((("acceptability", i), f"row {i + 1} of the acceptability matrix has {len(row)} "
                                                   f"cell(s) but the severity scale has {n_sev} level(s)"))
    names = [r.name for r in policy.regions]
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append((("regions", i, "name"), f"region '{name}' is defined twice"))
    known = set(names)
    for i, row in enumerate(policy.acceptability):
        for j, cell in enumerate(row):
            if cell not in known:
                problems.append((("acceptability", i, j),
                                 f"acceptability cell (probability {i + 1}, severity {j + 1}) names region "
                                 f"'{cell}', which the policy does not define"))
    for i, name in enumerate(policy.nc_capa_region):
        if name not in known:
            problems.append((("nc_capa_region", i), f"nc_capa_region names region '{name}', which the policy "
                                                    "does not define"))
    used = {cell for row in policy.acceptability for cell in row}
    if used and not any(r.acceptable for r in policy.regions if r.name in used):
        problems.append((("regions",), "no cell of the acceptability matrix is in an acceptable region"))
    if policy.split_probability:
        if len(policy.p1) < 2 or len(policy.p2) < 2:
            problems.append((("split_probability",), "split_probability needs P1 and P2 scales of at least two "
                                                     "levels each"))
        if len(policy.p_combination) != len(policy.p1):
            problems.append((("p_combination",), f"p_combination has {len(policy.p_combination)} row(s) but the "
                                                 f"P1 scale has {len(policy.p1)} level(s)"))
        probability_levels = set(_levels(policy.probability))
        for i, p_row in enumerate(policy.p_combination):
            if len(p_row) != len(policy.p2):
                problems.append((("p_combination", i), f"row {i + 1} of p_combination has {len(p_row)} cell(s) "
                                                       f"but the P2 scale has {len(policy.p2)} level(s)"))
            for j, value in enumerate(p_row):
                if value not in probability_levels:
                    problems.append((("p_combination", i, j),
                                     f"p_combination cell (P1 {i + 1}, P2 {j + 1}) is {value}, not a level of the "
                                     "probability scale"))
    return problems


class Lookup:
    """The policy's tables, indexed for reading estimates."""

    def __init__(self, policy: RiskPolicy):
        self.policy = policy
        self.severity = _levels(policy.severity)
        self.probability = _levels(policy.probability)
        self.p1 = _levels(policy.p1)
        self.p2 = _levels(policy.p2)
        self.regions: dict[str, RiskRegion] = {}
        for r in policy.regions:
            self.regions.setdefault(r.name, r)

    def region_name(self, severity: int | None, probability: int | None) -> str | None:
        """The region of the matrix cell (probability row, severity column), or None off the matrix."""
        if severity is None or probability is None:
            return None
        row_i, col_i = self.probability.get(probability), self.severity.get(severity)
        if row_i is None or col_i is None or row_i >= len(self.policy.acceptability):
            return None
        row = self.policy.acceptability[row_i]
        return row[col_i] if col_i < len(row) else None

    def region(self, name: str | None) -> RiskRegion | None:
        return self.regions.get(name) if name else None

    def combine(self, p1: int | None, p2: int | None) -> int | None:
        """Probability level for P1 × P2 from the policy's p_combination table, or None."""
        if not self.policy.split_probability or p1 is None or p2 is None:
            return None
        i, j = self.p1.get(p1), self.p2.get(p2)
        table = self.policy.p_combination
        if i is None or j is None or i >= len(table) or j >= len(table[i]):
            return None
        return table[i][j]


def estimate_problems(policy: RiskPolicy, estimate: RiskEstimate,
                      lookup: Lookup | None = None) -> list[tuple[str, str]]:
    """Values of an estimate the policy cannot read: (field name, message)."""
    out: list[tuple[str, str]] = []
    lookup = lookup or Lookup(policy)
    scales = {"severity": lookup.severity, "probability": lookup.probability, "p1": lookup.p1, "p2": lookup.p2}
    for name in ("severity", "probability", "p1", "p2"):
        value = getattr(estimate, name)
        if value is None:
            continue
        if name in ("p1", "p2") and not policy.split_probability:
            out.append((name, f"{name} is {value} but the risk policy {policy.id} does not split probability "
                              "into P1 × P2"))
            continue
        levels = sorted(scales[name])
        if value not in levels:
            shown = f"{levels[0]}-{levels[-1]}" if levels else "none"
            out.append((name, f"{name} {value} is not a level of the {name} scale of {policy.id} ({shown})"))
    if policy.split_probability and (estimate.p1 is None) != (estimate.p2 is None):
        given = "p1" if estimate.p1 is not None else "p2"
        out.append((given, f"{given} is given without {'p2' if given == 'p1' else 'p1'}; probability is P1 × P2"))
    if not out and estimate.probability is not None and estimate.p1 is not None and estimate.p2 is not None:
        combined = lookup.combine(estimate.p1, estimate.p2)
        if combined is not None and combined != estimate.probability:
            out.append(("probability", f"probability {estimate.probability} contradicts P1 {estimate.p1} × "
                                       f"P2 {estimate.p2}, which {policy.id} combines to {combined}"))
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Estimate:
    severity: int | None
    probability: int | None
    p1: int | None = None
    p2: int | None = None
    severity_from: str | None = None  # "estimate" | "harms"
    probability_from: str | None = None  # "estimate" | "p1_p2"
    region: str | None = None
    acceptable: bool | None = None
    benefit_risk_required: bool | None = None
    from_initial: bool = False  # residual taken as the initial risk: acceptable and nothing to control

    def as_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity, "probability": self.probability, "p1": self.p1, "p2": self.p2,
            "severity_from": self.severity_from, "probability_from": self.probability_from,
            "region": self.region, "acceptable": self.acceptable,
            "benefit_risk_required": self.benefit_risk_required, "from_initial": self.from_initial,
        }


@dataclass(frozen=True)
class TestRun:
    id: str
    result: str | None  # latest result, None if never executed
    date: str | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "result": self.result, "date": self.date}


@dataclass(frozen=True)
class Verification:
    """The verification of one purpose (implementation or effectiveness) of one control."""

    purpose: str
    tests: tuple[TestRun, ...]

    @property
    def status(self) -> str:
        """verified | failed | blocked | not_run | missing."""
        if not self.tests:
            return "missing"
        results = [t.result for t in self.tests]
        if "fail" in results:
            return "failed"
        if "blocked" in results:
            return "blocked"
        if "pass" in results:
            return "verified"
        return "not_run"

    @property
    def verified(self) -> bool:
        return self.status == "verified"

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "verified": self.verified, "tests": [t.as_json() for t in self.tests]}


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    type: str
    via: str  # "situation" | "hazard": the control mitigates the situation itself or its hazard
    implementation: Verification
    effectiveness: Verification
    introduces: tuple[str, ...]
    design_infeasible_rationale: bool

    @property
    def priority(self) -> int:
        return CONTROL_PRIORITY.index(self.type) if self.type in CONTROL_PRIORITY else len(CONTROL_PRIORITY)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "type": self.type, "priority": self.priority + 1, "via": self.via,
            "implementation": self.implementation.as_json(), "effectiveness": self.effectiveness.as_json(),
            "introduces": list(self.introduces), "design_infeasible_rationale": self.design_infeasible_rationale,
        }


@dataclass(frozen=True)
class BenefitRiskCover:
    id: str
    status: str
    conclusion: str | None

    def accepts(self) -> bool:
        return self.status == "approved" and self.conclusion == "benefits_outweigh"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "conclusion": self.conclusion, "accepts": self.accepts()}


@dataclass(frozen=True)
class HarmInfo:
    id: str
    title: str | None
    severity: int | None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "severity": self.severity}


@dataclass(frozen=True)
class SituationRisk:
    id: str
    title: str
    status: str
    hazard: str | None
    hazard_title: str | None
    sequence_of_events: tuple[str, ...]
    harms: tuple[HarmInfo, ...]
    initial: Estimate | None
    residual: Estimate | None
    controls: tuple[Control, ...]
    new_hazards: tuple[str, ...]
    benefit_risk: tuple[BenefitRiskCover, ...]

    @property
    def needs_benefit_risk(self) -> bool:
        r = self.residual
        return bool(r is not None and r.acceptable is False and r.benefit_risk_required)

    @property
    def benefit_risk_accepted(self) -> bool:
        return any(b.accepts() for b in self.benefit_risk)

    @property
    def residual_accepted(self) -> bool | None:
        """Residual risk accepted: in an acceptable region, or accepted by an approved benefit-risk analysis
        where the policy lets one accept the region's risks; None when it cannot be placed."""
        r = self.residual
        if r is None or r.acceptable is None:
            return None
        if r.acceptable:
            return True
        return bool(r.benefit_risk_required and self.benefit_risk_accepted)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "status": self.status,
            "hazard": self.hazard, "hazard_title": self.hazard_title,
            "sequence_of_events": list(self.sequence_of_events),
            "harms": [h.as_json() for h in self.harms],
            "initial": self.initial.as_json() if self.initial else None,
            "residual": self.residual.as_json() if self.residual else None,
            "residual_accepted": self.residual_accepted,
            "controls": [c.as_json() for c in self.controls],
            "new_hazards": list(self.new_hazards),
            "benefit_risk": {
                "required": self.needs_benefit_risk,
                "accepted": self.benefit_risk_accepted,
                "records": [b.as_json() for b in self.benefit_risk],
            },
        }


@dataclass(frozen=True)
class RegionInfo:
    name: str
    acceptable: bool
    benefit_risk_required: bool
    color: str | None

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "acceptable": self.acceptable,
                "benefit_risk_required": self.benefit_risk_required, "color": self.color}


@dataclass(frozen=True)
class HazardInfo:
    id: str
    title: str
    situations: tuple[str, ...]
    introduced_by: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "situations": list(self.situations),
                "introduced_by": list(self.introduced_by)}


@dataclass
class RiskResult:
    policy: str | None
    severity_scale: list[tuple[int, str]] = field(default_factory=list)
    probability_scale: list[tuple[int, str]] = field(default_factory=list)
    regions: list[RegionInfo] = field(default_factory=list)
    acceptability: list[list[str]] = field(default_factory=list)
    situations: list[SituationRisk] = field(default_factory=list)
    hazards: list[HazardInfo] = field(default_factory=list)
    # Every live control's (implementation, effectiveness) verification, whether or not it mitigates anything.
    verifications: dict[str, tuple[Verification, Verification]] = field(default_factory=dict)
    overall: list[BenefitRiskCover] = field(default_factory=list)  # benefit-risk records with scope overall

    # ---- summaries

    def region(self, name: str | None) -> RegionInfo | None:
        return next((r for r in self.regions if r.name == name), None) if name else None

    def counts(self, which: str) -> dict[str, int]:
        """Situations per region for 'initial' or 'residual'; those not placed count under None → 'unplaced'."""
        out = {r.name: 0 for r in self.regions}
        unplaced = 0
        for s in self.situations:
            est = getattr(s, which)
            if est is not None and est.region in out:
                out[est.region] += 1
            else:
                unplaced += 1
        out["unplaced"] = unplaced
        return out

    def matrix(self, which: str) -> list[list[int]]:
        """Situations per cell: rows probability levels lowest first × columns severity levels lowest first."""
        rows = {lvl: i for i, (lvl, _) in enumerate(self.probability_scale)}
        cols = {lvl: j for j, (lvl, _) in enumerate(self.severity_scale)}
        grid = [[0] * len(cols) for _ in rows]
        for s in self.situations:
            est = getattr(s, which)
            if est is None or est.probability not in rows or est.severity not in cols:
                continue
            grid[rows[est.probability]][cols[est.severity]] += 1
        return grid

    @property
    def needs_benefit_risk(self) -> list[str]:
        return [s.id for s in self.situations if s.needs_benefit_risk]

    @property
    def overall_accepted(self) -> bool:
        return any(b.accepts() for b in self.overall)

    def as_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "scales": {
                "severity": [{"level": lvl, "name": name} for lvl, name in self.severity_scale],
                "probability": [{"level": lvl, "name": name} for lvl, name in self.probability_scale],
            },
            "regions": [r.as_json() for r in self.regions],
            "acceptability": [list(row) for row in self.acceptability],
            "situations": [s.as_json() for s in self.situations],
            "hazards": [h.as_json() for h in self.hazards],
            "counts": {"initial": self.counts("initial"), "residual": self.counts("residual")},
            "matrices": {"initial": self.matrix("initial"), "residual": self.matrix("residual")},
            "needs_benefit_risk": self.needs_benefit_risk,
            "overall_benefit_risk": {"accepted": self.overall_accepted,
                                     "records": [b.as_json() for b in self.overall]},
        }


# --------------------------------------------------------------------------- analysis


def _latest(test: VerificationTest) -> TestRun:
    run = latest_result(test)
    if run.date is None:
        return TestRun(test.id, None, None)
    return TestRun(test.id, run.result, run.date.isoformat())


def verification_of(rs: RecordSet, control_id: str, purpose: str) -> Verification:
    tests: list[TestRun] = []
    for link in rs.links_to(control_id, "verifies"):
        test = rs.get(link.source)
        if isinstance(test, VerificationTest) and not test.retired and test.purpose == purpose:
            if all(t.id != test.id for t in tests):
                tests.append(_latest(test))
    return Verification(purpose, tuple(sorted(tests, key=lambda t: t.id)))


def evaluate_estimate(lookup: Lookup | None, est: RiskEstimate | None, harm_severity: int | None) -> Estimate | None:
    """Place an estimate on the policy: severity (else the worst harm's), probability (or P1 x P2), region."""
    if est is None:
        return None
    severity, severity_from = (est.severity, "estimate") if est.severity is not None else (
        (harm_severity, "harms") if harm_severity is not None else (None, None))
    probability, probability_from = (est.probability, "estimate") if est.probability is not None else (None, None)
    if lookup is not None and est.p1 is not None and est.p2 is not None:
        combined = lookup.combine(est.p1, est.p2)
        if combined is not None:
            probability, probability_from = combined, "p1_p2"
    region = lookup.region_name(severity, probability) if lookup else None
    info = lookup.region(region) if lookup else None
    return Estimate(severity, probability, est.p1, est.p2, severity_from, probability_from, region,
                    info.acceptable if info else None, info.benefit_risk_required if info else None)


def controls_of(rs: RecordSet, situation: HazardousSituation) -> list[tuple[RiskControl, str]]:
    """Live controls mitigating the situation itself or its hazard, in 7.1 priority order then by ID."""
    found: dict[str, tuple[RiskControl, str]] = {}
    targets = [(situation.id, "situation")]
    if situation.hazard is not None:
        targets.append((situation.hazard.id, "hazard"))
    for target, via in targets:
        for link in rs.links_to(target, "mitigates"):
            control = rs.get(link.source)
            if isinstance(control, RiskControl) and not control.retired and control.id not in found:
                found[control.id] = (control, via)
    rank = {t: i for i, t in enumerate(CONTROL_PRIORITY)}
    return sorted(found.values(), key=lambda cv: (rank.get(cv[0].type, len(rank)), cv[0].id))


def analyse_risk(records: RecordSet) -> RiskResult:
    policy = in_force(records, RiskPolicy)
    lookup = Lookup(policy) if policy is not None else None
    result = RiskResult(policy.id if policy else None)
    if policy is not None:
        result.severity_scale = [(lvl.level, lvl.name) for lvl in policy.severity]
        result.probability_scale = [(lvl.level, lvl.name) for lvl in policy.probability]
        result.regions = [RegionInfo(r.name, r.acceptable, r.benefit_risk_required, r.color) for r in policy.regions]
        result.acceptability = [list(row) for row in policy.acceptability]

    result.hazards = [
        HazardInfo(h.id, h.title,
                   tuple(sorted({link.source for link in records.links_to(h.id, "hazard")
                                 if isinstance(records.get(link.source), HazardousSituation)
                                 and not records.records[link.source].retired})),
                   tuple(r.id for r in h.introduced_by))
        for h in records.of_type(Hazard) if not h.retired
    ]
    for control in records.of_type(RiskControl):
        if not control.retired:
            result.verifications[control.id] = (verification_of(records, control.id, "implementation"),
                                                verification_of(records, control.id, "effectiveness"))

    for situation in records.of_type(HazardousSituation):
        if situation.retired:
            continue
        hazard = records.get(situation.hazard)
        harms = []
        for ref in situation.harms:
            harm = records.get(ref)
            harms.append(HarmInfo(ref.id, harm.title if isinstance(harm, Harm) else None,
                                  harm.severity if isinstance(harm, Harm) else None))
        severities = [h.severity for h in harms if h.severity is not None]
        worst = max(severities) if severities else None
        controls = []
        new_hazards: list[str] = []
        for control, via in controls_of(records, situation):
            controls.append(Control(
                control.id, control.title, control.type, via,
                *result.verifications[control.id],
                tuple(r.id for r in control.introduces), bool(control.design_infeasible_rationale),
            ))
            new_hazards.extend(r.id for r in control.introduces if r.id not in new_hazards)
        initial = evaluate_estimate(lookup, situation.initial_risk, worst)
        residual = evaluate_estimate(lookup, situation.residual_risk, worst)
        if residual is None and initial is not None and initial.acceptable and not controls:
            # Acceptable before any control and nothing controls it: the residual risk is the initial risk.
            residual = replace(initial, from_initial=True)
        covers: list[BenefitRiskCover] = []
        for link in records.links_to(situation.id, "covers"):
            bra = records.get(link.source)
            if isinstance(bra, BenefitRisk) and not bra.retired and bra.scope == "hazardous_situation":
                if all(c.id != bra.id for c in covers):
                    covers.append(BenefitRiskCover(bra.id, bra.status, bra.conclusion))
        result.situations.append(SituationRisk(
            situation.id, situation.title, situation.status,
            situation.hazard.id if situation.hazard else None,
            hazard.title if isinstance(hazard, Hazard) else None,
            tuple(situation.sequence_of_events), tuple(harms), initial, residual, tuple(controls),
            tuple(new_hazards), tuple(sorted(covers, key=lambda c: c.id)),
        ))
    for bra in records.of_type(BenefitRisk):
        if not bra.retired and bra.scope == "overall":
            result.overall.append(BenefitRiskCover(bra.id, bra.status, bra.conclusion))
    return result
