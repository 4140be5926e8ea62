"""FMEA (AIAG-VDA 2019 action priority or classic RPN): gated lines get actions, actions get done,
severe lines reach the risk file, re-ratings are whole and honest, and a policy says what is gated."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import once
from ..analysis.fmea import FmeaResult, FmeaRow, analyse_fmea
from ..analysis.policies import in_force
from ..findings import Finding
from ..model.policy import FmeaPolicy
from ..model.risk import FmeaLine, RiskControl
from .context import Context
from .registry import rule

_AREA = "risk"
_AP = "AIAG-VDA FMEA Handbook (2019) Step 5 Risk Analysis (action priority)"
_OPT = "AIAG-VDA FMEA Handbook (2019) Step 6 Optimization"
_AFTER = ("severity_after", "occurrence_after", "detection_after")


def _analysis(ctx: Context) -> FmeaResult:
    """One FMEA analysis per RecordSet, shared by the rules below (it does not depend on the as-of date)."""
    return once(analyse_fmea, ctx.records)


def _basis(result: FmeaResult, row: FmeaRow) -> str:
    if result.gate == "rpn":
        return f"RPN {row.rpn} (S{row.severity}×O{row.occurrence}×D{row.detection}) ≥ {result.rpn_threshold}"
    return f"action priority {row.action_priority} (S{row.severity} O{row.occurrence} D{row.detection})"


@rule("QMS350", "error", "Gated FMEA line without a recommended action and an owner", area=_AREA,
      clause=f"{_AP}; {_OPT}; ISO 14971:2019 7.1; ISO 13485:2016 7.1",
      rationale="The FMEA policy in force says which lines must be acted on: those whose AIAG-VDA action "
                "priority is in its gate (High, normally) or, under the classic method, whose RPN reaches its "
                "threshold. Such a line needs a recommended action and someone who owns it, or the analysis "
                "stops at naming the risk and never reduces it.")
def gated_line_needs_action(ctx: Context) -> Iterator[Finding]:
    result = _analysis(ctx)
    for row in result.gated:
        if row.has_action:
            continue
        missing = [name for name, value in (("recommended action", row.recommended_action),
                                            ("action owner", row.action_owner)) if not value]
        path = ("action_owner",) if row.recommended_action else ("recommended_action",)
        yield gated_line_needs_action.finding(
            ctx.at(row.id, path),
            f"{_basis(result, row)} is gated for action by {result.policy}, but the line has no "
            f"{' and no '.join(missing)}",
            row.id, hint="write the recommended action and name its owner (a user ID) in action_owner, "
                         "with a due date in action_due")


@rule("QMS351", "warning", "FMEA action past its due date", area=_AREA,
      clause=f"{_OPT} (responsibility and target completion date); ISO 14971:2019 7.2; ISO 13485:2016 7.1",
      rationale="An FMEA action has an owner and a due date so that it is done, not only planned; an action "
                "past its due date with no completion date leaves the risk at its original rating.")
def overdue_action(ctx: Context) -> Iterator[Finding]:
    for row in _analysis(ctx).rows:
        if row.recommended_action and row.action_due and row.action_done is None and row.action_due < ctx.as_of:
            days = (ctx.as_of - row.action_due).days
            yield overdue_action.finding(
                ctx.at(row.id, ("action_due",)),
                f"action due {row.action_due.isoformat()} is {days} day(s) overdue and not done "
                f"(owner {row.action_owner or 'none'})", row.id,
                hint="finish the action and enter action_done, or agree a new due date with its owner")


@rule("QMS352", "error", "Severity 9–10 FMEA line not linked to the risk file", area=_AREA,
      clause="ISO 14971:2019 5.4, 5.5; AIAG-VDA FMEA Handbook (2019) Step 5 Risk Analysis (severity 9–10: safety or "
             "regulatory effect); ISO 13485:2016 7.1",
      rationale="A line whose severity is 9–10 (at or above the FMEA policy's always-review severity) is "
                "always reviewed, whatever its action priority: its effect touches safety. It must name the "
                "hazard or hazardous situation it leads to, so that it appears in the ISO 14971 risk file and "
                "its risk is estimated and controlled there, not only in the FMEA.")
def severe_line_in_risk_file(ctx: Context) -> Iterator[Finding]:
    result = _analysis(ctx)
    for row in result.rows:
        if row.always_review and not row.hazards:
            yield severe_line_in_risk_file.finding(
                ctx.at(row.id, ("severity",)),
                f"severity {row.severity} (always reviewed from {result.always_review_severity}) but the line "
                f"names no hazard or hazardous situation", row.id,
                hint="link the hazard (HAZ-…) and hazardous situation (HS-…) in the hazards column")


@rule("QMS353", "error", "FMEA line only partly re-rated", area=_AREA,
      clause=f"{_OPT} (re-rating after the action); ISO 14971:2019 7.3",
      rationale="After an action the line is re-rated in severity, occurrence and detection together; the "
                "action priority and RPN after the action need all three, and a partial re-rating leaves the "
                "residual risk undefined.")
def partial_re_rating(ctx: Context) -> Iterator[Finding]:
    for row in _analysis(ctx).rows:
        if not row.partly_re_rated:
            continue
        values = dict(zip(_AFTER, (row.severity_after, row.occurrence_after, row.detection_after)))
        given = [name for name in _AFTER if values[name] is not None]
        missing = [name for name in _AFTER if values[name] is None]
        yield partial_re_rating.finding(
            ctx.at(row.id, (given[0],)),
            f"re-rated in {', '.join(given)} but not in {', '.join(missing)}", row.id,
            hint="give all three re-ratings (repeat a value that did not change), or none until the action is done")


def _design_controls(ctx: Context, row: FmeaRow) -> list[str]:
    found = []
    for ref in row.risk_controls:
        control = ctx.records.get(ref)
        if isinstance(control, RiskControl) and control.type == "inherent_safety":
            found.append(control.id)
    return found


@rule("QMS354", "warning", "Severity changed on re-rating without a design change", area=_AREA,
      clause=f"{_AP}; {_OPT}; ISO 14971:2019 7.1, 7.3",
      rationale="Severity rates the effect, not the cause: detection and prevention actions lower occurrence "
                "or detection, never severity. Severity after an action may be lower only when the design "
                "itself removed or reduced the effect (an inherent-safety risk control, ISO 14971 7.1 a)); "
                "a higher severity after the action means the original rating understated the effect.")
def severity_change(ctx: Context) -> Iterator[Finding]:
    for row in _analysis(ctx).rows:
        if row.severity_after is None or row.severity_after == row.severity:
            continue
        where = ctx.at(row.id, ("severity_after",))
        if row.severity_after > row.severity:
            yield severity_change.finding(
                where, f"severity after the action ({row.severity_after}) is higher than before ({row.severity})",
                row.id, hint="correct the original severity to the effect's true severity, or record the new "
                             "effect as a line of its own")
        elif not _design_controls(ctx, row):
            yield severity_change.finding(
                where, f"severity lowered from {row.severity} to {row.severity_after} but no design change is "
                       f"linked (no inherent-safety risk control in risk_controls)",
                row.id, hint="link the inherent-safety risk control (RC-…) that changed the design, or keep "
                             "the original severity and let occurrence or detection carry the improvement")


@rule("QMS355", "warning", "No usable FMEA policy in force", area=_AREA,
      clause="ISO 14971:2019 4.4 d) (criteria for risk acceptability), 5.5, 6; ISO 13485:2016 7.1",
      rationale="Which FMEA lines must be acted on (by action priority or by RPN threshold) and from which "
                "severity a line is always reviewed are decisions of the risk management plan, kept as an "
                "approved or effective FMEA policy under change control. Without one the action priority and "
                "RPN are still computed, but no line is gated for action.")
def fmea_policy_in_force(ctx: Context) -> Iterator[Finding]:
    lines = ctx.records.of_type(FmeaLine)
    if not lines:
        return
    policy = in_force(ctx.records, FmeaPolicy)
    first = lines[0].id
    if policy is None:
        yield fmea_policy_in_force.finding(
            ctx.records.sources[first].whole,
            f"{len(lines)} FMEA line(s) but no approved or effective FMEA policy; no line is gated for action",
            None, hint="add specs/policies/POL-FMEA.yaml (policy: fmea, gate: action_priority, "
                       "action_priority_gate: [H]) and approve it")
    elif policy.gate == "rpn" and policy.rpn_threshold is None:
        yield fmea_policy_in_force.finding(
            ctx.at(policy.id, ("gate",)),
            f"{policy.id} gates FMEA lines by RPN but sets no rpn_threshold; no line is gated for action",
            policy.id, hint="set rpn_threshold (1-1000), or gate by action_priority")


@rule("QMS356", "warning", "FMEA line re-rated before its action is done", area=_AREA,
      clause=f"{_OPT} (re-rating after implementation); ISO 14971:2019 7.2, 7.3",
      rationale="Re-rating records the risk that remains once the action is implemented and its effectiveness "
                "verified; re-rated values on a line whose action has no completion date (or that has no action "
                "at all) claim a reduction that has not happened yet.")
def re_rated_before_done(ctx: Context) -> Iterator[Finding]:
    for row in _analysis(ctx).rows:
        if not row.re_rated or row.action_done is not None:
            continue
        why = "its action has no action_done date" if row.recommended_action else "it has no recommended action"
        yield re_rated_before_done.finding(
            ctx.at(row.id, ("severity_after",)), f"re-rated (AP after {row.action_priority_after}) but {why}",
            row.id, hint="enter action_done once the action is implemented and verified, or clear the re-rating")
