"""Risk management documents (ISO 14971:2019): the plan summary and the risk management report.

The plan summary (numbered `rmp` 1, so the plan's own DOC record, e.g. NWM-RMP-001, controls it and its
approvals sign it) states the scope, the plan record, and the acceptability policy in force: scales,
regions and the acceptability matrix.

The report (numbered `risk` 1) follows clause 9, the risk management review before release:
1 Scope; 2 Risk management plan summary and acceptability policy; 3 Review of the plan's implementation
(9 a: hazards, situations, controls implemented and verified, open risk findings); 4 Risk evaluation
(matrices as tables, heat maps); 5 Overall residual risk (9 b, clause 8) and the residual risks the
information supplied must disclose; 6 Benefit-risk analyses; 7 Production and post-production information
(9 c, clause 10: complaints, nonconformances, CAPAs, FMEA lines of action priority H, risk file reviews, from
analysis.postmarket); 8 Open actions; 9 Conclusion. Section 2 also names the people responsible and the
parts of the risk management file.

The conclusion follows from the same post-market analysis as rule QMS317: while the risk file has not been
reviewed against a serious or reportable complaint or an open action priority H FMEA line, release is not
supported, and the conclusion names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..analysis import once
from ..analysis.postmarket import PostMarketResult, analyse_postmarket
from ..analysis.risk import RiskResult
from ..findings import Finding
from ..model.documents import Document
from ..model.events import CapaAction, ChangeControl, Complaint, Nonconformance, VigilanceReport
from ..model.labels import label, status_label
from ..model.risk import BenefitRisk, RiskControl
from ..recordset import RecordSet
from .document import DocumentSet
from .heatmap import heatmap_png

if TYPE_CHECKING:
    from .document import ControlledDocument

PLAN_NAME = "risk_management_plan_summary.docx"
REPORT_NAME = "risk_management_report.docx"
# QMS317 (rules.risk.postmarket_not_reflected): a risk file that has not weighed post-market information;
# the conclusion sets it apart from the other risk errors, as the one a waiver may accept for an interim.
POSTMARKET_NOT_REFLECTED = "QMS317"
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


def plan_record(records: RecordSet, documents: DocumentSet) -> Document | None:
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


def plan_summary(records: RecordSet, risk: RiskResult, documents: DocumentSet) -> ControlledDocument:
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


def risk_report(records: RecordSet, risk: RiskResult, findings: Sequence[Finding], documents: DocumentSet,
                post: PostMarketResult | None = None, waived: Sequence[Finding] = ()) -> ControlledDocument:
    """The risk management report; `findings` are the risk rules' open findings, `waived` those a waiver
    accepts (the conclusion names the waivers it rests on)."""
    post = post if post is not None else once(analyse_postmarket, records)
    d = documents.document("risk", "report", "Risk management report",
                           records=report_ids(records, risk) | postmarket_ids(post))
    names = documents.names
    d.heading("Scope")
    d.paragraph("The risk management review required before commercial release (ISO 14971:2019 clause 9): "
                "that the risk management plan has been implemented, that the overall residual risk is "
                "acceptable, and that methods are in place to collect and review production and "
                "post-production information.")
    _scope(d, documents)

    d.heading("Risk management plan summary")
    plan = plan_record(records, documents)
    plan_no = documents.number("rmp", "plan")
    d.paragraph(f"Plan summary {plan_no}" + (f" ({plan.id} {plan.title}, revision {plan.revision})" if plan else "")
                + ". Acceptability policy:")
    _acceptability(d, records, risk, 2)
    d.heading("People responsible", level=2)
    _people(d, records, risk, post, documents)
    d.heading("Risk management file", level=2)
    _risk_file(d, records, risk, documents)

    d.heading("Review of the implementation of the plan")
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

    d.heading("Risk evaluation")
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

    d.heading("Overall residual risk")
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
    d.heading("Disclosure of residual risks", level=2)
    _disclosure(d, records, risk, documents)

    d.heading("Benefit-risk analyses")
    analyses = [b for b in records.of_kind("benefit_risk") if isinstance(b, BenefitRisk)]
    if analyses:
        d.table(("Record", "Scope", "Covers", "Conclusion", "Status", "Evaluated", "Rationale"),
                [(f"{b.id} {b.title}", label(BenefitRisk, "scope", b.scope), names.lines(b.covers),
                  label(BenefitRisk, "conclusion", b.conclusion), status_label(b.status), b.evaluated,
                  " ".join((b.rationale or "").split())) for b in analyses])
    else:
        d.paragraph("No benefit-risk analysis records.")

    d.heading("Production and post-production information")
    _postmarket(d, records, post, documents)

    d.heading("Open actions")
    _open_actions(d, post, documents)

    d.heading("Conclusion")
    d.paragraph(conclusion(risk, findings, post, accepted, waived))
    return d


def conclusion(risk: RiskResult, findings: Sequence[Finding], post: PostMarketResult, accepted: int,
               waived: Sequence[Finding] = ()) -> str:
    """Whether the review supports release: not while the risk file is unreviewed against post-market
    information (the records QMS317 names), open risk errors, or residual risks not accepted. Where a waiver
    accepts a QMS317 finding (an interim assessment while the review is done), release rests on that waiver,
    and the conclusion says so, naming the waiver and what is still to be reviewed."""
    errors = [f for f in findings if f.severity == "error" and f.code != POSTMARKET_NOT_REFLECTED]
    gaps = [x for x in (
        f"{len(errors)} open risk error(s)" if errors else "",
        f"{len(risk.situations) - accepted} residual risk(s) not accepted" if accepted < len(risk.situations) else "",
        "the overall residual risk is not accepted" if not risk.overall_accepted else "") if x]
    accepting = {f.record: f.waived_by for f in waived if f.code == POSTMARKET_NOT_REFLECTED and f.waived_by}
    pending = [p for p in post.pending if p.id not in accepting]
    interim = [p for p in post.pending if p.id in accepting]
    if pending:
        return ("Release is not supported until the risk file is reviewed against " + _listed(pending) + "."
                + (" The review is also incomplete: " + "; ".join(gaps) + "." if gaps else ""))
    if interim and not gaps:
        waivers = sorted({accepting[p.id] for p in interim})
        return ("Release is supported on an interim basis only: the risk file is still to be reviewed against "
                + _listed(interim) + ", and release rests on the interim assessment" + ("s " if len(waivers) > 1
                else " ") + _join(waivers) + " records (justification and expiry in the waiver records). When a "
                "waiver lapses before the review is done, release is no longer supported.")
    if gaps:
        return "The review is NOT complete: " + "; ".join(gaps) + "."
    return ("The risk management plan has been implemented, the overall residual risk is acceptable and "
            "production and post-production information has been reviewed against the risk file: the review "
            "supports the release of the device.")


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _listed(pending: Sequence[Any]) -> str:
    return _join([f"{p.id} ({p.reason})" for p in pending])


def postmarket_ids(post: PostMarketResult) -> set[str]:
    ids = {c.id for c in post.complaints} | {n.id for n in post.nonconformances} | {c.id for c in post.capas}
    ids |= {r.id for r in post.fmea_high} | {r.id for r in post.fmea_actions} | set(post.reviews)
    for c in post.complaints:
        ids.update((*c.risk_file, *c.harms))
    return ids


def _people(d: Any, records: RecordSet, risk: RiskResult, post: PostMarketResult, documents: DocumentSet) -> None:
    """Who is responsible, from the records that carry it: owners of the plan, the policy and the risk
    records, the plan's signers, and the owners of complaints and FMEA actions."""
    names = documents.names
    plan = plan_record(records, documents)
    policy = _policy(records, risk)
    rows: list[tuple[str, str, str]] = []
    if plan is not None:
        rows.append(("Risk management plan (owner)", names.person(plan.owner), plan.id))
        signers = documents.control("rmp", "plan").signatures
        rows.append(("Risk management plan (approved by)",
                     "\n".join(f"{s.signer}, {s.meaning.lower()} {s.signed.date()}" for s in signers)
                     or "not approved", "\n".join(s.id for s in signers)))
    if policy is not None:
        rows.append(("Risk acceptability policy (owner)", names.person(policy.owner), policy.id))

    def owners(kinds: tuple[str, ...]) -> list[str]:
        return sorted({r.owner.id for k in kinds for r in records.of_kind(k) if r.owner is not None and not r.retired})

    for what, kinds in (("Risk analysis and risk controls (record owners)",
                         ("hazard", "hazardous_situation", "risk_control", "benefit_risk")),
                        ("Complaint handling and vigilance (complaint owners)", ("complaint",))):
        people = owners(kinds)
        rows.append((what, "\n".join(names.person(p) for p in people) or "none recorded",
                     f"{sum(len(records.of_kind(k)) for k in kinds)} record(s)"))
    action_owners = sorted({r.action_owner for r in post.fmea_actions if r.action_owner})
    rows.append(("Open FMEA actions (action owners)", "\n".join(names.person(p) for p in action_owners) or "none",
                 ", ".join(r.id for r in post.fmea_actions)))
    d.table(("Responsibility", "Person", "Record"), rows)


def _risk_file(d: Any, records: RecordSet, risk: RiskResult, documents: DocumentSet) -> None:
    """Where the risk management file (ISO 14971 4.5) is: the plan, the policy, the records and the workbook."""
    plan = plan_record(records, documents)
    policy = _policy(records, risk)
    rows = [("Risk management plan", f"{documents.number('rmp', 'plan')}: " + (
        f"{plan.id} {plan.title}, revision {plan.revision}, {status_label(plan.status)}" if plan is not None
        else "no DOC record carries this number"))]
    if policy is not None:
        rows.append(("Risk acceptability criteria", f"{policy.id} {policy.title}, {status_label(policy.status)}"))
    for kinds, what in ((("hazard", "hazardous_situation", "harm"), "Hazards, hazardous situations and harms"),
                        (("risk_control",), "Risk controls"), (("benefit_risk",), "Benefit-risk analyses"),
                        (("fmea",), "Design and process FMEA lines")):
        counts = ", ".join(f"{len(records.of_kind(k))} {_NOUNS[k]}" for k in kinds)
        paths = sorted({documents.paths[r.id].rsplit("/", 1)[0] + "/" if r.KIND != "fmea" else documents.paths[r.id]
                        for k in kinds for r in records.of_kind(k) if r.id in documents.paths})
        rows.append((what, f"{counts} in " + (", ".join(paths) or "no files")))
    rows.append(("Risk register workbook", "risk_register.xlsx, beside this report: every hazard, situation, "
                                           "control, benefit-risk analysis and FMEA line"))
    rows.append(("FMEA report", f"{documents.number('fmea', 'report')}, beside this report"))
    d.table(("Part", "Where"), rows)


_NOUNS = {"hazard": "hazard(s)", "hazardous_situation": "hazardous situation(s)", "harm": "harm(s)",
          "risk_control": "risk control(s)", "benefit_risk": "benefit-risk analysis record(s)", "fmea": "FMEA line(s)"}


def _disclosure(d: Any, records: RecordSet, risk: RiskResult, documents: DocumentSet) -> None:
    """What the information supplied must disclose (clauses 7.4, 8; EU MDR Annex I 23.4 g): residual risks
    not in an acceptable region or accepted on benefit-risk grounds, and the information-for-safety
    controls, whose text is itself the control."""
    names = documents.names
    rows = []
    for s in risk.situations:
        r = s.residual
        needs = r is not None and (r.acceptable is False or bool(r.benefit_risk_required))
        info = [c for c in s.controls if c.type == "information_for_safety"]
        if not needs and not info:
            continue
        why = (f"residual risk {_estimate(r)}: " + ("accepted on benefit-risk grounds" if r.benefit_risk_required
                                                    else "not acceptable")) if needs and r is not None else ""
        where = []
        for c in info:
            control = records.get(c.id)
            implemented = [names.title(x) for x in getattr(control, "implemented_by", ())]
            where.append(f"{c.id} {c.title}" + (f" ({'; '.join(implemented)})" if implemented else ""))
        rows.append((f"{s.id} {s.title}", why or "information for safety is a risk control",
                     "\n".join(where) or "no information-for-safety control names where it is disclosed"))
    if rows:
        d.paragraph("The instructions for use and labelling disclose these residual risks and carry the "
                    "information for safety that controls them:")
        d.table(("Hazardous situation", "Why disclosed", "Information for safety (implemented by)"), rows)
    else:
        d.paragraph("No residual risk needs disclosure beyond the general warnings: every residual risk is in an "
                    "acceptable region and no risk control is information for safety.")


def _reports(reports: Sequence[VigilanceReport]) -> str:
    return "\n".join(" ".join(x for x in (label(VigilanceReport, "authority", r.authority),
                                          label(VigilanceReport, "type", r.type).lower(),
                                          str(r.submitted or "not submitted"), r.reference or "") if x)
                     for r in reports)


def _postmarket(d: Any, records: RecordSet, post: PostMarketResult, documents: DocumentSet) -> None:
    names = documents.names
    d.paragraph("Information on the device in production and use is collected and reviewed through these "
                "records (ISO 14971:2019 clause 10). A serious incident or a reportable complaint bears on the risk "
                "file until an approved change control, dated on or after the event, names it and re-assesses the "
                "hazardous situations it realised; an FMEA line of action priority H until its action is done, it "
                "is re-rated out of H and closed.")
    d.table(("Source", "Records"), [(source, len(records.of_kind(kind))) for kind, source in POST_PRODUCTION])
    sops = [doc for doc in records.of_kind("document") if isinstance(doc, Document) and doc.type == "sop"
            and not doc.retired]
    if sops:
        d.paragraph("Procedures:")
        for doc in sops:
            d.paragraph(f"{doc.number or doc.id} {doc.title} (revision {doc.revision})", style="List Bullet")

    d.heading("Complaints and vigilance", level=2)
    if post.complaints:
        d.table(("Complaint", "Status", "Outcome and class", "Reportable; reports", "Risk file entries and harms",
                 "CAPA", "Risk file reviewed"),
                [(f"{c.id} {c.title}", status_label(c.status),
                  "\n".join(x for x in (label(Complaint, "patient_impact", c.patient_impact),
                                        label(Complaint, "event_class", c.event_class)) if x),
                  {True: "yes", False: "no", None: "not decided"}[c.reportable]
                  + (":\n" + _reports(c.reports) if c.reports else ""),
                  names.lines((*c.risk_file, *c.harms)) or "none named",
                  f"{names.title(c.capa)} ({status_label(getattr(records.get(c.capa), 'status', None))})"
                  if c.capa else "",
                  ", ".join(c.reviewed_by) if c.reviewed_by else ("NO" if c.bears_on_risk else "not needed"))
                 for c in post.complaints])
    else:
        d.paragraph("No complaints recorded.")

    d.heading("Nonconformances", level=2)
    if post.nonconformances:
        d.table(("Nonconformance", "Source", "Detected", "Status", "CAPA"),
                [(f"{n.id} {n.title}", label(Nonconformance, "source", n.source), n.detected, status_label(n.status),
                  ", ".join(n.capas)) for n in post.nonconformances])
    else:
        d.paragraph("No nonconformances recorded.")

    d.heading("Corrective and preventive actions", level=2)
    if post.capas:
        d.table(("CAPA", "Status", "Raised by", "Open actions", "Due", "Risk records"),
                [(f"{c.id} {c.title}", status_label(c.status), ", ".join(c.sources), len(c.open_actions), c.due,
                  names.lines(c.risk_records)) for c in post.capas])
    else:
        d.paragraph("No CAPAs recorded.")

    d.heading("FMEA lines of action priority H", level=2)
    if post.fmea_high:
        pending = {r.id for r in post.fmea_pending}
        d.table(("Line", "Item and failure mode", "Status", "S O D", "RPN", "AP now", "Action, owner, due", "Done",
                 "Risk file"),
                [(r.id, f"{r.item}: {r.failure_mode}", status_label(r.status) + (" (open)" if r.id in pending else ""),
                  f"{r.severity} {r.occurrence} {r.detection}", r.rpn, r.action_priority_now,
                  "\n".join(x for x in (" ".join((r.recommended_action or "").split()), names.person(r.action_owner),
                                        f"due {r.action_due}" if r.action_due else "") if x),
                  r.action_done or "", names.lines((*r.hazards, *r.risk_controls)))
                 for r in post.fmea_high])
    else:
        d.paragraph("No FMEA line was rated action priority H.")

    d.heading("Risk file reviews", level=2)
    reviews = [c for cid in post.reviews if isinstance(c := records.get(cid), ChangeControl)]
    if reviews:
        d.paragraph("Change controls, approved or later, that re-assessed risk records:")
        d.table(("Change control", "Status", "Approved", "Risk records re-assessed", "Events named"),
                [(f"{c.id} {c.title}", status_label(c.status), c.approved, names.lines(c.risk_reviewed),
                  ", ".join(a.id for a in c.affected if getattr(records.get(a.id), "KIND", "") == "complaint"))
                 for c in reviews])
    else:
        d.paragraph("No approved change control has re-assessed a risk record.")
    d.heading("Not yet reflected in the risk file", level=2)
    if post.pending:
        lines = {r.id: f"{r.id} {r.item}: {r.failure_mode}" for r in post.fmea_pending}
        for p in post.pending:
            d.paragraph(f"{lines.get(p.id) or names.title(p.id)}: {p.reason}", style="List Bullet")
    else:
        d.paragraph("None: the risk file has been reviewed against every serious or reportable complaint, and no "
                    "FMEA line of action priority H is open.")


def _open_actions(d: Any, post: PostMarketResult, documents: DocumentSet) -> None:
    names = documents.names
    rows: list[tuple[Any, ...]] = [
        (r.id, f"{r.item}: {' '.join((r.recommended_action or '').split())}", f"FMEA, action priority {r.action_priority}",
         names.person(r.action_owner), r.action_due or "", status_label(r.status))
        for r in post.fmea_actions]
    for c in post.risk_capas:
        rows += [(c.id, f"{label(CapaAction, 'type', a.type)}: {' '.join(a.description.split())}",
                  "CAPA touching\n" + names.lines(c.risk_records), names.person(a.owner), a.due or "",
                  label(CapaAction, "status", a.status)) for a in c.open_actions]
    if rows:
        d.paragraph("Open FMEA actions and the open actions of CAPAs that touch risk records:")
        d.table(("Action on", "Action", "Kind", "Owner", "Due", "Status"), rows)
    else:
        d.paragraph("None.")


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
