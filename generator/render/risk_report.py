"""Risk management documents (ISO 14971:2019): the plan summary and the risk management report.

The plan summary (numbered `rmp` 1, so the plan's own DOC record, e.g. NWM-RMP-001, controls it and its
approvals sign it) states the scope, the plan record, and the acceptability policy in force: scales,
regions and the acceptability matrix.

The report (numbered `risk` 1) follows clause 9, the risk management review before release:
1 Scope; 2 Risk management plan summary and acceptability policy; 3 Review of the plan's implementation
(9 a: hazards, situations, controls implemented and verified, open risk findings); 4 Risk evaluation
(matrices as tables, heat maps); 5 Overall residual risk (9 b, clause 8); 6 Benefit-risk analyses;
7 Production and post-production information (9 c, clause 10); 8 Conclusion.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..analysis.risk import RiskResult
from ..findings import Finding
from ..model.labels import label, status_label
from ..model.risk import BenefitRisk, RiskControl
from ..recordset import RecordSet
from .document import DocumentSet
from .heatmap import heatmap_png

PLAN_NAME = "risk_management_plan_summary.docx"
REPORT_NAME = "risk_management_report.docx"
# Record kinds that carry production and post-production information (clause 10) into the risk file.
POST_PRODUCTION = (
    ("complaint", "Complaints and vigilance assessment"),
    ("nonconformance", "Nonconformances in production and receiving"),
    ("capa", "Corrective and preventive actions"),
    ("change", "Change control: risk review of each change"),
    ("fmea", "Design and process FMEA lines"),
)


def _policy(records: RecordSet, risk: RiskResult) -> Any:
    return records.get(risk.policy) if risk.policy else None


def plan_record(records: RecordSet, documents: DocumentSet) -> Any:
    """The DOC record that controls the plan summary (it carries the plan's document number), if any."""
    return documents.controlled.get(documents.number("rmp", "plan"))


def _scope(d: Any, documents: DocumentSet) -> None:
    device = documents.config.device
    d.table(("Item", "Value"), [
        ("Device", device.name + (f" ({device.model})" if device.model else "")),
        ("Intended purpose", " ".join((device.intended_use or "not stated in qms.yaml").split())),
        ("EU MDR class", device.classification_eu or "not stated"),
        ("Basic UDI-DI", device.basic_udi_di or "not stated"),
    ])


def _acceptability(d: Any, records: RecordSet, risk: RiskResult, level: int) -> None:
    policy = _policy(records, risk)
    if policy is None:
        d.paragraph("No risk acceptability policy is in force (add specs/policies/POL-RISK.yaml): risks "
                    "cannot be evaluated.")
        return
    d.paragraph(f"Risk acceptability criteria: {policy.id} {policy.title}, status {status_label(policy.status)}.")
    d.heading("Severity scale", level=level)
    d.table(("Level", "Name", "Definition"), [(s.level, s.name, " ".join((s.definition or "").split()))
                                              for s in policy.severity])
    d.heading("Probability scale", level=level)
    d.table(("Level", "Name", "Range", "Definition"),
            [(p.level, p.name, p.range or "", " ".join((p.definition or "").split())) for p in policy.probability])
    d.heading("Acceptability regions", level=level)
    d.table(("Region", "Acceptable", "Benefit-risk analysis required"),
            [(r.name, "yes" if r.acceptable else "no", "yes" if r.benefit_risk_required else "no")
             for r in policy.regions])
    d.heading("Acceptability matrix", level=level)
    d.paragraph("Region per probability level (rows, highest first) and severity level (columns).")
    d.table(_matrix_header(risk), [(f"{lvl} {name}", *(risk.acceptability[i] if i < len(risk.acceptability) else ()))
                                   for i, (lvl, name) in reversed(list(enumerate(risk.probability_scale)))])


def _matrix_header(risk: RiskResult) -> tuple[str, ...]:
    return ("Probability \\ severity", *(f"{lvl} {name}" for lvl, name in risk.severity_scale))


def _count_matrix(risk: RiskResult, which: str) -> list[tuple[Any, ...]]:
    grid = risk.matrix(which)
    return [(f"{lvl} {name}", *grid[i]) for i, (lvl, name) in reversed(list(enumerate(risk.probability_scale)))]


def plan_ids(records: RecordSet, risk: RiskResult) -> set[str]:
    return {i for i in (risk.policy,) if i}


def plan_summary(records: RecordSet, risk: RiskResult, documents: DocumentSet) -> Any:
    d = documents.document("rmp", "plan", "Risk management plan summary", records=plan_ids(records, risk))
    plan = plan_record(records, documents)
    d.heading("Scope")
    _scope(d, documents)
    d.heading("Risk management plan")
    if plan is None:
        d.paragraph(f"No document record carries the number {documents.number('rmp', 'plan')}: add the risk "
                    "management plan as a DOC record with that number to control this summary.")
    else:
        d.paragraph(f"{plan.id} {plan.title}, revision {plan.revision}, status {status_label(plan.status)}.")
        d.paragraph(" ".join((plan.description or "").split()) or "The plan record has no description.")
    d.heading("Risk acceptability policy")
    _acceptability(d, records, risk, 2)
    return d


def _verification_text(v: Any) -> str:
    tests = ", ".join(f"{t.id} {t.result or 'not run'}" for t in v.tests)
    return status_label(v.status) + (f" ({tests})" if tests else "")


def report_ids(records: RecordSet, risk: RiskResult) -> set[str]:
    ids = plan_ids(records, risk)
    for s in risk.situations:
        ids.update((s.id, *(h.id for h in s.harms), *(c.id for c in s.controls), *(b.id for b in s.benefit_risk)))
        if s.hazard:
            ids.add(s.hazard)
    ids.update(h.id for h in risk.hazards)
    ids.update(b.id for b in risk.overall)
    return ids


def risk_report(records: RecordSet, risk: RiskResult, findings: Sequence[Finding], documents: DocumentSet) -> Any:
    """The risk management report; `findings` are the risk rules' open findings (waived ones excluded)."""
    d = documents.document("risk", "report", "Risk management report", records=report_ids(records, risk))
    names = documents.names
    d.heading("1 Scope")
    d.paragraph("The risk management review required before commercial release (ISO 14971:2019 clause 9): "
                "that the risk management plan has been implemented, that the overall residual risk is "
                "acceptable, and that methods are in place to collect and review production and "
                "post-production information.")
    _scope(d, documents)

    d.heading("2 Risk management plan summary")
    plan = plan_record(records, documents)
    plan_no = documents.number("rmp", "plan")
    d.paragraph(f"Plan summary {plan_no}" + (f" ({plan.id} {plan.title}, revision {plan.revision})" if plan else "")
                + ". Acceptability policy:")
    _acceptability(d, records, risk, 2)

    d.heading("3 Review of the implementation of the plan")
    placed = sum(1 for s in risk.situations if s.initial is not None)
    d.paragraph(f"{len(risk.hazards)} hazard(s) and {len(risk.situations)} hazardous situation(s) analysed; "
                f"{placed} with an initial risk estimate placed in the matrix.")
    d.heading("Risk controls and their verification", level=2)
    controls: dict[str, Any] = {}
    for s in risk.situations:
        for c in s.controls:
            controls.setdefault(c.id, c)
    d.table(("Control", "Title", "Type", "Implementation verified", "Effectiveness verified"),
            [(c.id, c.title, label(RiskControl, "type", c.type), _verification_text(c.implementation), _verification_text(c.effectiveness))
             for c in sorted(controls.values(), key=lambda c: c.id)])
    d.heading("Open risk findings", level=2)
    if findings:
        d.table(("Code", "Severity", "Record", "Message"), [(f.code, f.severity, names.title(f.record) if f.record else "",
                                                            f.message)
                                                           for f in findings])
    else:
        d.paragraph("None: the risk rules found nothing open.")

    d.heading("4 Risk evaluation")
    d.table(("Situation", "Hazard", "Worst harm", "Initial", "Controls", "Residual", "Residual accepted"),
            [(f"{s.id} {s.title}", names.title(s.hazard) if s.hazard else "", _worst_harm(s), _estimate(s.initial),
              "\n".join(f"{c.id} {c.title}" for c in s.controls),
              _estimate(s.residual), {True: "yes", False: "no", None: "not placed"}[s.residual_accepted])
             for s in risk.situations])
    for which, heading in (("initial", "Initial risk"), ("residual", "Residual risk")):
        d.heading(f"{heading} matrix", level=2)
        d.paragraph("Hazardous situations per cell: probability (rows, highest first) by severity (columns).")
        d.table(_matrix_header(risk), _count_matrix(risk, which))
        counts = risk.counts(which)
        d.paragraph("Per region: " + ", ".join(f"{name} {n}" for name, n in counts.items()) + ".")
        d.picture(heatmap_png(risk, which), 6.0)

    d.heading("5 Overall residual risk")
    accepted = sum(1 for s in risk.situations if s.residual_accepted)
    d.paragraph(f"{accepted} of {len(risk.situations)} hazardous situation(s) have an accepted residual risk.")
    if risk.needs_benefit_risk:
        d.paragraph("Residual risks that need a benefit-risk analysis:")
        for situation in risk.needs_benefit_risk:
            d.paragraph(names.title(situation), style="List Bullet")
    overall = ", ".join(f"{names.title(b.id)} ({status_label(b.status)}: "
                        f"{label(BenefitRisk, 'conclusion', b.conclusion) or 'no conclusion'})" for b in risk.overall)
    d.paragraph(f"Overall residual risk evaluation (clause 8): {overall or 'no overall benefit-risk record'}; "
                f"{'accepted' if risk.overall_accepted else 'NOT accepted'}.")

    d.heading("6 Benefit-risk analyses")
    analyses = records.of_kind("benefit_risk")
    if analyses:
        d.table(("Record", "Scope", "Covers", "Conclusion", "Status", "Evaluated", "Rationale"),
                [(f"{b.id} {b.title}", label(BenefitRisk, "scope", b.scope), names.lines(b.covers),
                  label(BenefitRisk, "conclusion", b.conclusion), status_label(b.status), b.evaluated,
                  " ".join((b.rationale or "").split())) for b in analyses])
    else:
        d.paragraph("No benefit-risk analysis records.")

    d.heading("7 Production and post-production information")
    d.paragraph("Information on the device in production and use is collected and reviewed through these "
                "records (ISO 14971:2019 clause 10); each can reopen the risk analysis.")
    d.table(("Source", "Records"), [(source, len(records.of_kind(kind))) for kind, source in POST_PRODUCTION])
    sops = [doc for doc in records.of_kind("document") if doc.type == "sop" and not doc.retired]
    if sops:
        d.paragraph("Procedures:")
        for doc in sops:
            d.paragraph(f"{doc.number or doc.id} {doc.title} (revision {doc.revision})", style="List Bullet")

    d.heading("8 Conclusion")
    errors = [f for f in findings if f.severity == "error"]
    ok = risk.overall_accepted and not errors and accepted == len(risk.situations)
    d.paragraph("The risk management plan has been implemented, the overall residual risk is acceptable and "
                "production and post-production information is collected: the review supports the release of the device."
                if ok else
                "The review is NOT complete: " + "; ".join(x for x in (
                    f"{len(errors)} open risk error(s)" if errors else "",
                    f"{len(risk.situations) - accepted} residual risk(s) not accepted"
                    if accepted < len(risk.situations) else "",
                    "the overall residual risk is not accepted" if not risk.overall_accepted else "") if x) + ".")
    return d


def _estimate(est: Any) -> str:
    if est is None:
        return "not estimated"
    return f"S{est.severity} P{est.probability} {est.region or 'unplaced'}"


def _worst_harm(s: Any) -> str:
    rated = [h for h in s.harms if h.severity is not None]
    if not rated:
        return ""
    worst = max(rated, key=lambda h: (h.severity, h.id))
    return f"{worst.id} {worst.title} (S{worst.severity})" if worst.title else f"{worst.id} (S{worst.severity})"
