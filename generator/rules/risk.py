"""Risk management (ISO 14971:2019): the policy, estimation, control, verification and residual risk.

Every judgement of acceptability reads the risk policy in force (specs/policies);
the rules only compare records against it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import once
from ..analysis.policies import in_force
from ..analysis.risk import (
    DESIGN_CONTROLS,
    ESTIMATES,
    Lookup,
    RiskResult,
    SituationRisk,
    Verification,
    analyse_risk,
    estimate_problems,
    policy_problems,
)
from ..findings import Finding
from ..model.events import Complaint
from ..model.labels import status_label
from ..model.policy import RiskPolicy
from ..model.risk import BenefitRisk, FmeaLine, Harm, Hazard, HazardousSituation, RiskControl
from .context import Context
from .registry import rule

_AREA = "risk"
_STD = "ISO 14971:2019"
_RISK_KINDS = ("hazard", "hazardous_situation", "harm", "risk_control", "benefit_risk")

def risk_result(ctx: Context) -> RiskResult:
    """The risk analysis of this RecordSet, computed once for all the rules."""
    return once(analyse_risk, ctx.records)



def _situations(ctx: Context) -> Iterator[tuple[HazardousSituation, SituationRisk]]:
    for s in risk_result(ctx).situations:
        record = ctx.records.get(s.id)
        if isinstance(record, HazardousSituation):
            yield record, s


def _policy(ctx: Context) -> RiskPolicy | None:
    return in_force(ctx.records, RiskPolicy)


# --------------------------------------------------------------------------- the policy (4.2)


@rule("QMS301", "error", "No risk policy in force", area=_AREA, clause=f"{_STD} 4.2, 4.4(d)",
      rationale="Top management defines the policy for establishing criteria for risk acceptability. Without an "
                "effective or approved risk policy (scales and acceptability matrix in specs/) no risk estimate "
                "can be evaluated and no residual risk judged acceptable.")
def policy_missing(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    if _policy(ctx) is not None:
        return
    risk_records = [r for kind in _RISK_KINDS for r in rs.of_kind(kind) if not r.retired]
    if not risk_records:
        return
    drafts = rs.of_type(RiskPolicy)
    if drafts:
        draft = drafts[0]
        yield policy_missing.finding(
            ctx.at(draft.id, ("status",)),
            f"risk policy {draft.id} is '{draft.status}'; no risk policy is in force, so "
            f"{len(risk_records)} risk record(s) cannot be evaluated", draft.id,
            hint="approve the risk policy (status: approved or effective)")
        return
    first = risk_records[0]
    yield policy_missing.finding(
        ctx.at(first.id, ("id",)),
        f"no risk policy is in force, so {len(risk_records)} risk record(s) cannot be evaluated", first.id,
        hint="add specs/policies/POL-RISK.yaml (policy: risk) with severity and probability scales, regions and "
             "the acceptability matrix, and approve it")


@rule("QMS302", "error", "Risk policy inconsistent", area=_AREA, clause=f"{_STD} 4.2, 4.4(d)",
      rationale="The acceptability matrix has one row per probability level and one column per severity level, "
                "every cell names a region the policy defines, scales are numbered 1, 2, 3 ... lowest first, "
                "and a split probability has P1 and P2 scales and a P1 × P2 table of probability levels. "
                "Otherwise an estimate falls in no region or in one nobody defined.")
def policy_inconsistent(ctx: Context) -> Iterator[Finding]:
    policy = _policy(ctx)
    if policy is None:
        return
    for path, message in policy_problems(policy):
        yield policy_inconsistent.finding(
            ctx.at(policy.id, path), message, policy.id,
            hint="make the matrix match the scales and name only regions listed under 'regions'")


@rule("QMS303", "error", "Risk estimate outside the risk policy's scales", area=_AREA, clause=f"{_STD} 5.5",
      rationale="Severity and probability are levels of the scales of the risk policy in force (P1 and P2 "
                "where it splits probability). A level the scale does not have cannot be placed in the "
                "acceptability matrix, and a probability that contradicts its own P1 × P2 is ambiguous.")
def estimate_out_of_scale(ctx: Context) -> Iterator[Finding]:
    policy = _policy(ctx)
    if policy is None:
        return
    lookup = Lookup(policy)
    for situation, _ in _situations(ctx):
        for name in ESTIMATES:
            estimate = getattr(situation, name)
            if estimate is None:
                continue
            for field, message in estimate_problems(policy, estimate, lookup):
                yield estimate_out_of_scale.finding(
                    ctx.at(situation.id, (name, field)), f"{name}: {message}", situation.id,
                    hint=f"use a level defined in {policy.id}")
    levels = {lvl.level for lvl in policy.severity}
    for harm in ctx.records.of_type(Harm):
        if not harm.retired and harm.severity is not None and harm.severity not in levels:
            yield estimate_out_of_scale.finding(
                ctx.at(harm.id, ("severity",)),
                f"severity {harm.severity} is not a level of the severity scale of {policy.id} "
                f"({min(levels)}-{max(levels)})", harm.id, hint=f"use a severity level defined in {policy.id}")


# --------------------------------------------------------------------------- analysis (5.4, 5.5)


@rule("QMS304", "error", "Hazard without a hazardous situation", area=_AREA, clause=f"{_STD} 5.4",
      rationale="A hazard can only lead to harm through a hazardous situation; the foreseeable sequence of events "
                "and the harms it leads to are what gets estimated and controlled. A hazard listed without one "
                "has not been analysed. This applies equally to hazards introduced by risk controls (7.5).")
def hazard_without_situation(ctx: Context) -> Iterator[Finding]:
    for hazard in risk_result(ctx).hazards:
        if not hazard.situations:
            yield hazard_without_situation.finding(
                ctx.at(hazard.id, ("id",)), f"hazard {hazard.id} leads to no hazardous situation", hazard.id,
                hint=f"add a hazardous situation (HS-...) with 'hazard: {hazard.id}', its sequence of events and "
                     "harms, or retire the hazard with a rationale")


@rule("QMS305", "error", "Hazardous situation without hazard or harm", area=_AREA, clause=f"{_STD} 5.4",
      rationale="A hazardous situation joins a hazard to the harms it can cause; without its hazard it cannot be "
                "traced, and without a harm there is no severity to estimate.")
def situation_incomplete(ctx: Context) -> Iterator[Finding]:
    for situation, _ in _situations(ctx):
        if situation.hazard is None:
            yield situation_incomplete.finding(
                ctx.at(situation.id, ("id",)), f"{situation.id} names no hazard", situation.id,
                hint="add 'hazard: HAZ-...' naming the hazard this situation exposes someone to")
        if not situation.harms:
            yield situation_incomplete.finding(
                ctx.at(situation.id, ("harms",)), f"{situation.id} names no harm", situation.id,
                hint="add 'harms: [HARM-...]' with the harms this situation can lead to")


@rule("QMS306", "error", "Risk not estimated", area=_AREA, clause=f"{_STD} 5.5",
      rationale="Each hazardous situation's risk is estimated as a severity (given in the estimate or, failing "
                "that, the worst severity of its harms) and a probability (or P1 × P2). A situation without an "
                "initial estimate, or an estimate without severity or probability, cannot be evaluated.")
def risk_not_estimated(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        if situation.initial_risk is None:
            yield risk_not_estimated.finding(
                ctx.at(situation.id, ("id",)), f"{situation.id} has no initial risk estimate", situation.id,
                hint="add 'initial_risk: {severity: N, probability: N}' on the risk policy's scales")
        for name in ESTIMATES:
            given = getattr(situation, name)
            estimate = getattr(risk, name.split("_")[0])
            if given is None or estimate is None:
                continue
            if estimate.severity is None:
                yield risk_not_estimated.finding(
                    ctx.at(situation.id, (name,)),
                    f"{name} has no severity and none of {situation.id}'s harms gives one", situation.id,
                    hint="give the estimate a severity, or the harms their severity")
            if given.probability is None and given.p1 is None and given.p2 is None:
                yield risk_not_estimated.finding(
                    ctx.at(situation.id, (name,)), f"{name} has no probability", situation.id,
                    hint="give 'probability' (or 'p1' and 'p2' where the risk policy splits probability)")


# --------------------------------------------------------------------------- evaluation and control (6, 7)


@rule("QMS307", "error", "Unacceptable risk without a risk control", area=_AREA, clause=f"{_STD} 6, 7.1, 7.6",
      rationale="A risk that the policy does not find acceptable is reduced by risk control measures; a situation "
                "whose initial risk lies outside the acceptable regions and that no control mitigates has not "
                "been controlled.")
def uncontrolled_risk(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        if risk.initial is not None and risk.initial.acceptable is False and not risk.controls:
            yield uncontrolled_risk.finding(
                ctx.at(situation.id, ("initial_risk",)),
                f"initial risk of {situation.id} is in region '{risk.initial.region}' (not acceptable) and no risk "
                "control mitigates it", situation.id,
                hint=f"add a risk control (RC-...) with 'mitigates: [{situation.id}]', inherent safety by design "
                     "first (7.1)")


@rule("QMS308", "error", "Information for safety without a design control", area=_AREA, clause=f"{_STD} 7.1",
      rationale="Risk control options are used in priority order: inherent safety by design, then protective "
                "measures, then information for safety. Relying on information for safety alone is allowed only "
                "when design options are not practicable, and the record must say why.")
def information_only(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        if any(c.type in DESIGN_CONTROLS for c in risk.controls):
            continue
        for control in risk.controls:
            if control.type == "information_for_safety" and not control.design_infeasible_rationale:
                yield information_only.finding(
                    ctx.at(control.id, ("type",)),
                    f"{control.id} is information for safety and {situation.id} has no inherent-safety or "
                    "protective-measure control", control.id,
                    hint="add a design control for the situation, or state in 'design_infeasible_rationale' why "
                         "inherent safety and protective measures are not practicable")


def _verification_message(control: RiskControl, v: Verification) -> str:
    what = f"{control.id} has no verification of its {v.purpose}"
    if v.status == "missing":
        return f"{what}: no test with 'purpose: {v.purpose}' verifies it"
    if v.status in ("failed", "blocked"):
        bad = [t for t in v.tests if t.result in ("fail", "blocked")]
        shown = ", ".join(f"{t.id} ({t.result} on {t.date})" for t in bad)
        return f"{what}: latest result of {shown}"
    return f"{what}: {', '.join(t.id for t in v.tests)} not yet executed"


def _unverified(ctx: Context, purpose: str) -> Iterator[tuple[RiskControl, Verification]]:
    which = 0 if purpose == "implementation" else 1
    for control_id, pair in risk_result(ctx).verifications.items():
        control = ctx.records.get(control_id)
        if isinstance(control, RiskControl) and not pair[which].verified:
            yield control, pair[which]


@rule("QMS309", "error", "Risk control implementation not verified", area=_AREA, clause=f"{_STD} 7.2",
      rationale="The implementation of each risk control measure is verified and the verification recorded: a "
                "verification with 'purpose: implementation' that verifies the control, latest result pass, and "
                "no such test whose latest result is fail or blocked.")
def implementation_unverified(ctx: Context) -> Iterator[Finding]:
    for control, v in _unverified(ctx, "implementation"):
        yield implementation_unverified.finding(
            ctx.at(control.id, ("id",)), _verification_message(control, v), control.id,
            hint=f"add or re-run a verification (VER-...) with 'purpose: implementation' and 'verifies: "
                 f"[{control.id}]'")


@rule("QMS310", "error", "Risk control effectiveness not verified", area=_AREA, clause=f"{_STD} 7.2",
      rationale="The effectiveness of each risk control measure is verified separately from its implementation: "
                "a verification with 'purpose: effectiveness' that verifies the control, latest result pass, and "
                "no such test whose latest result is fail or blocked.")
def effectiveness_unverified(ctx: Context) -> Iterator[Finding]:
    for control, v in _unverified(ctx, "effectiveness"):
        yield effectiveness_unverified.finding(
            ctx.at(control.id, ("id",)), _verification_message(control, v), control.id,
            hint=f"add or re-run a verification (VER-...) with 'purpose: effectiveness' and 'verifies: "
                 f"[{control.id}]' (bench, simulated use or clinical data showing the risk is reduced)")


@rule("QMS311", "error", "Residual risk not evaluated", area=_AREA, clause=f"{_STD} 7.3, 7.6",
      rationale="After risk control measures are implemented the residual risk is estimated and evaluated against "
                "the policy. Only a situation whose initial risk is acceptable and that no control mitigates may "
                "omit it (its residual risk is then its initial risk).")
def residual_missing(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        if situation.residual_risk is not None or risk.initial is None or risk.initial.acceptable is None:
            continue
        if risk.residual is None:
            why = (f"{len(risk.controls)} risk control(s) mitigate it" if risk.controls
                   else f"its initial risk is in region '{risk.initial.region}' (not acceptable)")
            yield residual_missing.finding(
                ctx.at(situation.id, ("initial_risk",)), f"{situation.id} has no residual risk estimate, but {why}",
                situation.id, hint="add 'residual_risk: {severity: N, probability: N}' estimated with the controls "
                                   "in place")


@rule("QMS312", "error", "Residual risk not acceptable and no benefit-risk analysis", area=_AREA,
      clause=f"{_STD} 7.4",
      rationale="A residual risk in a region the policy does not find acceptable, but that it allows to be "
                "weighed against benefits, is accepted only by an approved benefit-risk analysis (scope "
                "hazardous_situation) that covers the situation and concludes that the benefits outweigh it.")
def residual_needs_benefit_risk(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        if not risk.needs_benefit_risk or risk.benefit_risk_accepted:
            continue
        assert risk.residual is not None
        others = "; ".join(f"{b.id} is {b.status}" + (f" ({b.conclusion})" if b.conclusion else "")
                           for b in risk.benefit_risk)
        yield residual_needs_benefit_risk.finding(
            ctx.at(situation.id, ("residual_risk",)),
            f"residual risk of {situation.id} is in region '{risk.residual.region}' (not acceptable) and no approved "
            "benefit-risk analysis concludes its benefits outweigh it" + (f" ({others})" if others else ""),
            situation.id,
            hint=f"reduce the risk further, or record a benefit-risk analysis (BRA-...) with 'scope: "
                 f"hazardous_situation', 'covers: [{situation.id}]', 'conclusion: benefits_outweigh' and approve it")


@rule("QMS313", "error", "Residual risk in a region the policy never accepts", area=_AREA,
      clause=f"{_STD} 7.3, 7.4",
      rationale="Regions that are not acceptable and do not call for a benefit-risk analysis hold risks the "
                "policy does not allow to be accepted at all: the risk is reduced further by more risk control, "
                "whatever benefit-risk record exists.")
def residual_never_acceptable(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        r = risk.residual
        if r is None or r.acceptable is not False or r.benefit_risk_required:
            continue
        yield residual_never_acceptable.finding(
            ctx.at(situation.id, ("residual_risk",) if situation.residual_risk is not None else ("initial_risk",)),
            f"residual risk of {situation.id} is in region '{r.region}', which the risk policy does not accept even "
            "after a benefit-risk analysis", situation.id,
            hint="add risk controls that reduce severity or probability out of this region (if the policy means "
                 "such risks may be accepted on benefit-risk grounds, it says so with benefit_risk_required: true)")


@rule("QMS314", "warning", "Residual risk higher than initial risk", area=_AREA, clause=f"{_STD} 7.3",
      rationale="Risk control measures reduce severity or probability; a residual estimate above the initial one "
                "is usually a swapped or mistyped estimate, or a control that makes things worse.")
def residual_above_initial(ctx: Context) -> Iterator[Finding]:
    for situation, risk in _situations(ctx):
        before, after = risk.initial, risk.residual
        if before is None or after is None or after.from_initial:
            continue
        worse = [f"{name} {b} → {a}" for name, b, a in
                 (("severity", before.severity, after.severity), ("probability", before.probability, after.probability))
                 if a is not None and b is not None and a > b]
        if worse:
            yield residual_above_initial.finding(
                ctx.at(situation.id, ("residual_risk",)),
                f"residual risk of {situation.id} is higher than its initial risk ({', '.join(worse)})", situation.id,
                hint="check the two estimates; a control that raises the risk needs its own analysis (7.5)")


@rule("QMS315", "warning", "Hazard introduced by a control recorded on one side only", area=_AREA,
      clause=f"{_STD} 7.5",
      rationale="A hazard that a risk control introduces is named both in the control ('introduces') and in the "
                "hazard ('introduced_by'), so that reviewing either shows the link; one-sided records drift apart.")
def introduced_one_sided(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for control in rs.of_type(RiskControl):
        if control.retired:
            continue
        for i, ref in enumerate(control.introduces):
            hazard = rs.get(ref)
            if isinstance(hazard, Hazard) and all(r.id != control.id for r in hazard.introduced_by):
                yield introduced_one_sided.finding(
                    ctx.at(control.id, ("introduces", i)),
                    f"{control.id} introduces {hazard.id}, but {hazard.id} does not list {control.id} in "
                    "'introduced_by'", control.id, hint=f"add {control.id} to {hazard.id}'s 'introduced_by'")
    for hazard in rs.of_type(Hazard):
        if hazard.retired:
            continue
        for i, ref in enumerate(hazard.introduced_by):
            introducer = rs.get_as(ref, RiskControl)
            if introducer is not None and all(r.id != hazard.id for r in introducer.introduces):
                yield introduced_one_sided.finding(
                    ctx.at(hazard.id, ("introduced_by", i)),
                    f"{hazard.id} is introduced by {introducer.id}, but {introducer.id} does not list {hazard.id} "
                    "in 'introduces'", hazard.id, hint=f"add {hazard.id} to {introducer.id}'s 'introduces'")


@rule("QMS316", "error", "No overall residual risk evaluation", area=_AREA, clause=f"{_STD} 8",
      rationale="Once all risk controls are implemented and verified, the overall residual risk is evaluated "
                "against the benefits of the intended use: an approved benefit-risk record with scope overall "
                "concluding that the benefits outweigh the overall residual risk.")
def overall_missing(ctx: Context) -> Iterator[Finding]:
    result = risk_result(ctx)
    if not result.situations or result.overall_accepted:
        return
    rs = ctx.records
    overall = [b for b in rs.of_type(BenefitRisk)
               if not b.retired and b.scope == "overall"]
    hint = ("record the overall residual risk evaluation (BRA-..., scope: overall, conclusion: benefits_outweigh) "
            "and have it approved")
    if overall:
        first = overall[0]
        if first.status == "approved":
            said = f"concludes '{first.conclusion}'" if first.conclusion else "has no conclusion"
            yield overall_missing.finding(
                ctx.at(first.id, ("conclusion",)),
                f"overall residual risk evaluation {first.id} {said}", first.id,
                hint="the overall residual risk is not acceptable: reduce risks further before release")
        else:
            yield overall_missing.finding(
                ctx.at(first.id, ("status",)),
                f"overall residual risk evaluation {first.id} is '{first.status}', not approved", first.id, hint=hint)
        return
    policy = _policy(ctx)
    anchor = policy.id if policy is not None else result.situations[0].id
    yield overall_missing.finding(
        ctx.at(anchor, ("id",)),
        f"no overall residual risk evaluation: {len(result.situations)} hazardous situation(s) but no benefit-risk "
        "record with scope overall", anchor, hint=hint)


# --------------------------------------------------------------------------- production and post-production (10)


@rule("QMS317", "error", "Post-market information not reflected in the risk file", area=_AREA,
      clause=f"{_STD} 9 c, 10.3, 10.4; EU MDR Annex I 3(e), Art. 83(3)(a)",
      rationale="Information from production and use that bears on safety reopens the risk assessment: a "
                "serious incident or a reportable complaint may show that a hazardous situation is more "
                "probable than estimated, and an FMEA line of action priority H is a failure mode whose risk "
                "is not yet reduced. Until a change control, approved or later and dated on or after the event, "
                "names the complaint and re-assesses every risk record it names ('risk_file'), or the FMEA "
                "action is done, re-rated out of H and the line closed, the risk file has not weighed it and the "
                "risk management review cannot support release.")
def postmarket_not_reflected(ctx: Context) -> Iterator[Finding]:
    if not ctx.records.of_type(Complaint) and not ctx.records.of_type(FmeaLine):
        return  # no post-market data: the analysis (and its import) is not needed
    from ..analysis.postmarket import analyse_postmarket

    result = once(analyse_postmarket, ctx.records)
    complaints = {c.id: c for c in result.complaints}
    for pending in result.pending:
        complaint = complaints.get(pending.id)
        if complaint is not None:
            named = ", ".join(complaint.risk_file) or "no risk record ('risk_file' is empty)"
            yield postmarket_not_reflected.finding(
                ctx.at(complaint.id, ("risk_file",) if complaint.risk_file else ("id",)),
                f"{complaint.id} is a {pending.reason} (aware {complaint.aware}) bearing on {named}, and no approved "
                "change control has re-assessed the risk file against it", complaint.id,
                hint=("" if complaint.risk_file else "name the hazardous situations it realised in 'risk_file' and ")
                     + f"record the re-assessment as a change control with 'affected: [{complaint.id}]' and "
                       f"{', '.join(complaint.risk_file) or 'those records'} in 'risk_reviewed', approved")
        else:
            row = next(r for r in result.fmea_pending if r.id == pending.id)
            due = f", action due {row.action_due}" if row.action_due else ", no action due date"
            yield postmarket_not_reflected.finding(
                ctx.at(row.id, ("action_done",)),
                f"{row.id} ({row.item}: {row.failure_mode}) is an {pending.reason}{due}, status "
                f"{status_label(row.status)}: its risk is not yet reduced", row.id,
                hint="complete the recommended action, fill action_done and the re-ratings (out of action "
                     "priority H) and close the line")
