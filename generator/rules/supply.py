"""Purchasing controls (ISO 13485:2016 7.4, 21 CFR 820.50) and incoming inspection (7.4.3, 820.80(b)).

Approval, certificates, audits and the scorecard read the supplier policy in force (specs/policies);
sampling reads ISO 2859-1 through `analysis.sampling`. Retired suppliers (disqualified, inactive)
are not monitored any more, but a receipt from one is still an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..analysis import once, sampling
from ..analysis.dates import add_months
from ..analysis.policies import in_force
from ..analysis.suppliers import lot_decision, scorecard, undecided_reevaluations
from ..findings import Finding
from ..model.policy import SupplierPolicy
from ..model.production import Lot
from ..model.supply import Certificate, Inspection, Material, Receipt, Supplier
from ..recordset import RecordSet
from .context import Context
from .registry import rule

_AREA = "supply"
_PURCHASING = "ISO 13485:2016 7.4.1; 21 CFR 820.50(a)"
_INSPECTION = "ISO 13485:2016 7.4.3, 8.2.6; 21 CFR 820.80(b); ISO 2859-1:1999"
_USABLE = ("approved", "conditional")


def _policy(ctx: Context) -> SupplierPolicy | None:
    return in_force(ctx.records, SupplierPolicy)


def _audit_interval(policy: SupplierPolicy, supplier: Supplier) -> int | None:
    """Months allowed between audits of a supplier of its criticality, or None when the policy sets none."""
    return next((months for level, months in policy.audit_interval_months.items() if level == supplier.criticality),
                None)


def _plan(ins: Inspection) -> sampling.SamplingPlan | str:
    """The ISO 2859-1 plan for an inspection, or why there is none."""
    try:
        return sampling.plan(ins.lot_size, ins.aql, ins.level, ins.severity)
    except ValueError as err:
        return str(err)


def _history(records: RecordSet) -> dict[tuple[str, str], list[Inspection]]:
    """(supplier, material) → inspections with a decision, in the order inspected (date, then ID)."""
    out: dict[tuple[str, str], list[Inspection]] = {}
    for ins in records.of_type(Inspection):
        receipt = records.get_as(ins.receipt, Receipt)
        if receipt is None or ins.decision is None:
            continue
        out.setdefault((receipt.supplier.id, receipt.material.id), []).append(ins)
    for items in out.values():
        items.sort(key=lambda i: (i.inspected or dt.date.min, i.id))
    return out


# --------------------------------------------------------------------------- purchasing (7.4.1)


@rule("QMS501", "error", "Receipt from a supplier not approved for the material", area=_AREA, clause=_PURCHASING,
      rationale="Purchased product comes only from suppliers evaluated and approved for it: the material's "
                "approved supplier list names the supplier, and the supplier is approved (or conditionally "
                "approved) rather than a candidate, disqualified or inactive.")
def unapproved_supplier(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for receipt in rs.of_type(Receipt):
        supplier, material = rs.get_as(receipt.supplier, Supplier), rs.get_as(receipt.material, Material)
        if supplier is None or material is None:
            continue  # a dangling link is the references rules' finding
        listed = ", ".join(r.id for r in material.approved_suppliers)
        if supplier.id not in {r.id for r in material.approved_suppliers}:
            yield unapproved_supplier.finding(
                ctx.at(receipt.id, ("supplier",)),
                f"{supplier.id} is not on the approved supplier list of {material.id}", receipt.id,
                hint=f"receive {material.id} only from {listed or 'an approved supplier'}, or approve {supplier.id} "
                     f"for {material.id} (add it to approved_suppliers) first")
        elif supplier.status not in _USABLE:
            yield unapproved_supplier.finding(
                ctx.at(receipt.id, ("supplier",)),
                f"{supplier.id} is '{supplier.status}', not approved or conditional, when {receipt.id} was received",
                receipt.id, hint=f"quarantine the goods and complete the evaluation of {supplier.id}, or return them")


@rule("QMS502", "error", "Supplier certificate expired", area=_AREA, clause=_PURCHASING,
      rationale="The certificates a supplier was approved on (ISO 13485, ISO 9001, product certification) are "
                "evidence of its ability to meet requirements; once expired the evidence is gone. The latest "
                "certificate for each standard is what counts.")
def certificate_expired(ctx: Context) -> Iterator[Finding]:
    yield from _certificates(ctx, expired=True)


@rule("QMS503", "warning", "Supplier certificate expiring", area=_AREA, clause=_PURCHASING,
      rationale="A certificate expiring within the supplier policy's certificate horizon must be chased before it "
                "lapses, so supply is not interrupted and the approval stays supported.")
def certificate_expiring(ctx: Context) -> Iterator[Finding]:
    yield from _certificates(ctx, expired=False)


def current_certificates(certificates: list[Certificate]) -> list[tuple[int, Certificate, dt.date]]:
    """(position, certificate, expiry) of the latest-expiring certificate for each standard, in the order
    written: a renewed certificate supersedes the expired one beside it. Certificates without an expiry
    date are left out."""
    latest: dict[str, tuple[int, Certificate, dt.date]] = {}
    for i, cert in enumerate(certificates):
        if cert.expires is None:
            continue
        key = cert.standard.strip().lower()
        if key not in latest or cert.expires > latest[key][2]:
            latest[key] = (i, cert, cert.expires)
    return sorted(latest.values(), key=lambda t: t[0])


def _certificates(ctx: Context, expired: bool) -> Iterator[Finding]:
    policy = _policy(ctx)
    horizon = policy.certificate_horizon_days if policy is not None else 60
    check = certificate_expired if expired else certificate_expiring
    for supplier in ctx.records.of_type(Supplier):
        if supplier.retired:
            continue
        for i, cert, expires in current_certificates(supplier.certificates):
            days = (expires - ctx.as_of).days
            if expired and days < 0:
                yield check.finding(
                    ctx.at(supplier.id, ("certificates", i, "expires")),
                    f"{cert.standard} certificate {cert.number or ''} expired on {cert.expires}".replace("  ", " "),
                    supplier.id, hint="obtain the renewed certificate and record it, or put the supplier on "
                                      "conditional status while it is renewed")
            elif not expired and 0 <= days <= horizon:
                yield check.finding(
                    ctx.at(supplier.id, ("certificates", i, "expires")),
                    f"{cert.standard} certificate {cert.number or ''} expires on {cert.expires}, in {days} day(s)"
                    .replace("  ", " "), supplier.id,
                    hint="ask the supplier for the recertification audit date and the renewed certificate")


@rule("QMS504", "error", "Supplier audit overdue", area=_AREA, clause="ISO 13485:2016 7.4.1; 21 CFR 820.50(a)(2)",
      rationale="The type and extent of control over a supplier is based on its effect on the device: the "
                "supplier policy sets the longest allowed gap between audits for each criticality. A supplier "
                "not audited within that interval is no longer under the control the policy requires.")
def audit_overdue(ctx: Context) -> Iterator[Finding]:
    policy = _policy(ctx)
    if policy is None:
        return
    for supplier in ctx.records.of_type(Supplier):
        if supplier.retired or supplier.status == "candidate":
            continue
        months = _audit_interval(policy, supplier)
        if months is None:
            continue
        done = [a.date for a in supplier.audits if a.date <= ctx.as_of]
        last = max(done) if done else None
        if last is not None and add_months(last, months) >= ctx.as_of:
            continue
        where = ("audits",) if supplier.audits else ("criticality",)
        when = f"last audited {last}" if last else "never audited"
        yield audit_overdue.finding(
            ctx.at(supplier.id, where),
            f"{supplier.criticality} supplier {when}; {policy.id} requires an audit every {months} month(s)",
            supplier.id, hint="schedule and record the supplier audit (audits: date, type, auditor, result)")


# --------------------------------------------------------------------------- incoming inspection (7.4.3)


@rule("QMS505", "error", "Inspection sample smaller than the ISO 2859-1 plan", area=_AREA, clause=_INSPECTION,
      rationale="The sample size comes from ISO 2859-1: Table 1 gives the code letter for the lot size and "
                "inspection level, the master table of the severity in force gives the sample size (100 % "
                "inspection when that is not smaller than the lot). A smaller sample does not give the "
                "protection the AQL promises.")
def sample_too_small(ctx: Context) -> Iterator[Finding]:
    for ins in ctx.records.of_type(Inspection):
        if ins.sample_size is None and ins.status != "complete":
            continue
        p = _plan(ins)
        if isinstance(p, str):
            yield sample_too_small.finding(
                ctx.at(ins.id, ("aql",)), f"no ISO 2859-1 plan: {p}", ins.id,
                hint="use an AQL of the ISO 2859-1 series and a valid level and lot size")
            continue
        required = min(p.sample_size, ins.lot_size)
        if ins.sample_size is None:
            yield sample_too_small.finding(
                ctx.at(ins.id, ("status",)),
                f"complete inspection records no sample size; the plan needs {required}", ins.id,
                hint="record sample_size (units inspected)")
        elif ins.sample_size < required:
            plan_text = (f"code letter {p.code_letter}, Table {p.table}, n={p.sample_size}"
                         + (", i.e. 100 % of the lot" if p.full_inspection else ""))
            yield sample_too_small.finding(
                ctx.at(ins.id, ("sample_size",)),
                f"sampled {ins.sample_size} of a lot of {ins.lot_size}; ISO 2859-1 ({ins.level}, AQL {p.aql_label}, "
                f"{ins.severity}) needs {required} ({plan_text})", ins.id,
                hint=f"inspect at least {required} units before deciding the lot (`qms sampling` shows the plan)")


@rule("QMS506", "error", "Lot decision contradicts the acceptance number", area=_AREA, clause=_INSPECTION,
      rationale="Under single sampling the lot is accepted when the nonconforming items found are at most Ac "
                "and not accepted when they reach Re; a decision the other way round is not what the plan "
                "allows, and a rejected lot released into stock (or a good lot rejected) goes unexplained.")
def decision_contradicts(ctx: Context) -> Iterator[Finding]:
    for ins in ctx.records.of_type(Inspection):
        if ins.decision is None or ins.defects is None:
            continue
        p = _plan(ins)
        if isinstance(p, str):
            continue  # QMS505 says why there is no plan
        should = "accept" if ins.defects <= p.accept else "reject"
        if ins.decision != should:
            yield decision_contradicts.finding(
                ctx.at(ins.id, ("decision",)),
                f"'{ins.decision}' with {ins.defects} nonconforming found, but the plan (n={p.sample_size}, "
                f"Ac={p.accept}, Re={p.reject}) requires '{should}'", ins.id,
                hint="correct the decision; accepting a lot the plan rejects needs a nonconformance and a "
                     "documented disposition, not an override of the inspection")


@rule("QMS507", "error", "Rejected component lot consumed in production", area=_AREA,
      clause="ISO 13485:2016 7.4.3, 8.3.1; 21 CFR 820.80(b), 820.86",
      rationale="Incoming product that failed acceptance stays identified and segregated until dispositioned; "
                "a production lot that consumes a rejected component lot (status rejected, or its receipt's "
                "inspection rejected it) has used nonconforming product.")
def rejected_lot_consumed(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    rejected: dict[str, str] = {}
    for lot in rs.of_type(Lot):
        if lot.status == "rejected":
            rejected[lot.id] = "is rejected"
        elif lot.receipt is not None:
            receipt = rs.get_as(lot.receipt, Receipt)
            if receipt is not None and lot_decision(rs, receipt) == "reject":
                rejected[lot.id] = f"was rejected at incoming inspection of {receipt.id}"
    if not rejected:
        return
    for lot in rs.of_type(Lot):
        if lot.retired:
            continue
        for i, use in enumerate(lot.consumes):
            why = rejected.get(use.lot.id)
            if why is not None:
                yield rejected_lot_consumed.finding(
                    ctx.at(lot.id, ("consumes", i)),
                    f"{lot.id} consumes component lot {use.lot.id}, which {why}", lot.id,
                    hint=f"quarantine {lot.id}, raise a nonconformance and disposition it; use only accepted "
                         "component lots")


@rule("QMS508", "warning", "Inspection severity not what the switching rules require", area=_AREA,
      clause=_INSPECTION + " clause 9",
      rationale="ISO 2859-1 switching rules are part of the plan: tightened inspection after 2 of 5 or fewer "
                "consecutive lots not accepted, back to normal after 5 accepted on tightened, reduced only "
                "when the switching score reaches 30 (and the responsible authority approves), and no sampling "
                "inspection after 5 lots not accepted on tightened. The history is that of the supplier and "
                "material, in the order inspected. Normal inspection where reduced would be allowed is fine.")
def severity_mismatch(ctx: Context) -> Iterator[Finding]:
    for (supplier, material), history in sorted(once(_history, ctx.records).items()):
        items: list[bool | sampling.Lot] = []
        for ins in history:
            try:
                sampling.plan(ins.lot_size, ins.aql, ins.level)
                planned = True
            except ValueError:
                planned = False
            # A lot with a valid plan and a defect count is judged by it; any other by its recorded decision.
            items.append(sampling.Lot(ins.lot_size, ins.defects, ins.aql, ins.level)
                         if planned and ins.defects is not None else ins.decision == "accept")
        required = sampling.switching(items, approved=False)
        allowed = sampling.switching(items, approved=True)
        for i, ins in enumerate(history):
            need = required[i]
            if ins.severity == need or (ins.severity == "reduced" and allowed[i] == "reduced"):
                continue
            if need == "discontinued":
                message = (f"{supplier} / {material}: 5 lots not accepted on tightened inspection; ISO 2859-1 "
                           f"discontinues acceptance inspection, yet {ins.id} was inspected {ins.severity}")
                hint = "stop accepting from this supplier for this material until it has acted; resume on tightened"
            else:
                message = (f"{supplier} / {material}: the switching rules require {need} inspection for "
                           f"{ins.id}, it was inspected {ins.severity}")
                hint = f"inspect the next lots {need} (`qms sampling` shows the plan and the switching history)"
            yield severity_mismatch.finding(
                ctx.at(ins.id, ("severity",)), message, ins.id, hint=hint)


# --------------------------------------------------------------------------- monitoring (7.4.1)


@rule("QMS509", "warning", "Supplier scorecard below the re-evaluation threshold", area=_AREA,
      clause="ISO 13485:2016 7.4.1 (monitoring and re-evaluation); 21 CFR 820.50(a)(1)",
      rationale="Supplier performance is monitored and the supplier re-evaluated when it fails to meet the "
                "criteria: a score below the supplier policy's reevaluate_below in the latest complete "
                "scorecard period calls for a re-evaluation. An audit dated after that period ended records "
                "the re-evaluation and answers the finding.")
def reevaluate(ctx: Context) -> Iterator[Finding]:
    card = scorecard(ctx.records, ctx.as_of)
    for s in card.suppliers:
        current = s.current
        if current is None or not current.reevaluate:
            continue
        supplier = ctx.records.get_as(s.supplier, Supplier)
        if supplier is None or any(current.end < a.date <= ctx.as_of for a in supplier.audits):
            continue
        yield reevaluate.finding(
            ctx.at(s.supplier, ("id",)),
            f"re-evaluate supplier: scorecard {current.period} score {current.score:.1f} (grade {current.grade}) "
            f"is below {card.reevaluate_below:g} (quality {_show(current.quality)}, delivery "
            f"{_show(current.delivery)}, responsiveness {_show(current.responsiveness)})", s.supplier,
            hint="re-evaluate the supplier (audit after the period, record it under audits) or accept the finding "
                 "with a justified waiver; `qms supplier scorecard` shows the figures")


def _show(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f} %"


@rule("QMS510", "warning", "Supplier audit interval exceeded between audits", area=_AREA,
      clause="ISO 13485:2016 7.4.1; 21 CFR 820.50(a)(2)",
      rationale="The supplier policy's audit interval holds all the time, not only at the as-of date: an audit "
                "held later than the interval after the one before left the supplier outside the required "
                "control for the time in between. QMS504 covers the gap still open at the as-of date; this "
                "finding keeps a lapse that a later audit closed visible until it is reviewed.")
def audit_gap(ctx: Context) -> Iterator[Finding]:
    policy = _policy(ctx)
    if policy is None:
        return
    for supplier in ctx.records.of_type(Supplier):
        months = _audit_interval(policy, supplier)
        if supplier.retired or supplier.status == "candidate" or months is None:
            continue
        done = sorted((a.date, i) for i, a in enumerate(supplier.audits) if a.date <= ctx.as_of)
        for (before, _), (after, i) in zip(done, done[1:]):
            limit = add_months(before, months)
            if after > limit:
                yield audit_gap.finding(
                    ctx.at(supplier.id, ("audits", i, "date")),
                    f"{supplier.criticality} supplier audited on {after}, {(after - limit).days} day(s) after the "
                    f"{months}-month interval from the audit of {before} ran out ({limit}, {policy.id})",
                    supplier.id, hint="review the lapse (why the audit slipped, what was received meanwhile) and "
                                      "plan audits ahead of the interval; accept it with a justified waiver")


@rule("QMS511", "error", "Critical supplier approved without a quality agreement or an audit", area=_AREA,
      clause="ISO 13485:2016 7.4.1, 7.4.2; 21 CFR 820.50(a), (b)",
      rationale="A critical supplier affects device safety directly: before it is approved the manufacturer "
                "audits it and signs a quality agreement that fixes the purchasing requirements and the "
                "notification of changes. Approval (or conditional approval) without either is control on "
                "paper only.")
def critical_unqualified(ctx: Context) -> Iterator[Finding]:
    for supplier in ctx.records.of_type(Supplier):
        if supplier.criticality != "critical" or supplier.status not in _USABLE:
            continue
        qa = supplier.quality_agreement
        if qa is None or qa.document is None or qa.signed is None:
            yield critical_unqualified.finding(
                ctx.at(supplier.id, ("quality_agreement",) if qa is not None else ("status",)),
                f"critical supplier is '{supplier.status}' without a signed quality agreement", supplier.id,
                hint="record the signed agreement (quality_agreement: document, signed) or set the supplier "
                     "back to candidate")
        approved = supplier.approved or ctx.as_of
        if not any(a.date <= approved for a in supplier.audits):
            yield critical_unqualified.finding(
                ctx.at(supplier.id, ("approved",) if supplier.approved else ("status",)),
                f"critical supplier approved{f' on {supplier.approved}' if supplier.approved else ''} without "
                "a qualification audit on or before approval", supplier.id,
                hint="audit the supplier before approving it, or set it back to candidate until it is audited")


@rule("QMS512", "warning", "Supplier re-evaluation without a recorded decision", area=_AREA,
      clause="ISO 13485:2016 7.4.1 (re-evaluation, records of its results and necessary actions)",
      rationale="A re-evaluation ends in a decision that is recorded: continue the approval, approve "
                "conditionally, or disqualify. A supplier whose latest complete scorecard period calls for "
                "re-evaluation needs a decision for that period (reevaluations: period, decided, decision, "
                "by, rationale) by the as-of date.")
def reevaluation_undecided(ctx: Context) -> Iterator[Finding]:
    for supplier, current in undecided_reevaluations(ctx.records, ctx.as_of):
        yield reevaluation_undecided.finding(
            ctx.at(supplier.id, ("reevaluations",) if supplier.reevaluations else ("id",)),
            f"scorecard {current.period} calls for re-evaluation and no decision is recorded for it", supplier.id,
            hint=f"record the decision: reevaluations: - period: {current.period}, decided, decision "
                 "(continue, conditional, disqualify), by, rationale")
