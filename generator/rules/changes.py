"""Change control (ISO 13485:2016 4.1.4, 7.3.9, 7.5.6; 21 CFR 820.30(i), 820.70(b)).

"Approved or later" means status approved, implemented, verified or closed; rejected and cancelled
changes are retired. The date-order rules (QMS421, QMS423) apply whatever the status: the dates are
what happened. An impact field counts as filled when it holds any text (an explicit "None: ..." is a
recorded assessment); only an absent or blank field is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..findings import Finding
from ..model.events import (
    APPROVED_OR_LATER,  # noqa: F401  (render.document and rules.integrity read it here)
    ChangeControl,
)
from ..model.production import Equipment
from ..model.validation import Protocol
from .context import Context
from .registry import rule

_AREA = "events"
_CHANGE = "ISO 13485:2016 7.3.9, 4.1.4; 21 CFR 820.30(i), 820.70(b)"
_VALIDATION = "ISO 13485:2016 7.5.6, 4.1.6, 7.3.9; 21 CFR 820.70(b), 820.75(c)"
RISK_KINDS = ("requirement", "hazard", "hazardous_situation", "risk_control")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _impact(change: Any, field: str) -> str | None:
    return getattr(change.impact, field) if change.impact is not None else None


def _approved_or_later(change: Any) -> bool:
    return change.status in APPROVED_OR_LATER


@rule("QMS420", "error", "Change approved without revisiting the risk assessment", area=_AREA, clause=_CHANGE,
      rationale="Design changes are reviewed for their effect on the product and on the risk management file "
                "before they are approved (ISO 13485 7.3.9 and 7.1, ISO 14971 10). A change approved (or "
                "further along) that names a requirement, hazard, hazardous situation or risk control in "
                "`affected` records which risk records it revisited (`risk_reviewed`) or its risk impact "
                "(`impact.risk`); with both empty there is no evidence the risk file was looked at.")
def risk_not_reviewed(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for change in rs.of_type(ChangeControl):
        if not _approved_or_later(change) or change.risk_reviewed or not _blank(_impact(change, "risk")):
            continue
        hits = [(i, ref.id) for i, ref in enumerate(change.affected)
                if (rec := rs.get(ref)) is not None and rec.KIND in RISK_KINDS]
        if not hits:
            continue
        yield risk_not_reviewed.finding(
            ctx.at(change.id, ("affected", hits[0][0])),
            f"'{change.status}' change affects {', '.join(r for _, r in hits)} but records no risk review "
            "(risk_reviewed and impact.risk are empty)", change.id,
            hint="revisit the risk file: list the hazards, hazardous situations, risk controls or FMEA lines "
                 "reviewed under risk_reviewed and summarise the outcome in impact.risk")


@rule("QMS421", "error", "Change implemented before it was approved", area=_AREA, clause=_CHANGE,
      rationale="Changes are reviewed, verified or validated as appropriate, and approved before their "
                "implementation (ISO 13485 7.3.9; 21 CFR 820.30(i), 820.70(b)). An implementation date "
                "earlier than the approval date, or with no approval date at all, is an unapproved change.")
def implemented_before_approval(ctx: Context) -> Iterator[Finding]:
    for change in ctx.records.of_type(ChangeControl):
        if change.implemented is None:
            continue
        if change.approved is None:
            message = f"implemented on {change.implemented} with no approval date"
        elif change.implemented < change.approved:
            message = f"implemented on {change.implemented}, before approval on {change.approved}"
        else:
            continue
        yield implemented_before_approval.finding(
            ctx.at(change.id, ("implemented",)), message, change.id,
            hint="a change is implemented only after approval: correct the dates if they are wrong, otherwise "
                 "raise a nonconformance for the unapproved change and assess the product made meanwhile")


@rule("QMS422", "error", "Change to a validated process, equipment or software without revalidation planned",
      area=_AREA, clause=_VALIDATION,
      rationale="When a change affects a validated process, equipment or software, the need for revalidation "
                "is assessed and the revalidation planned as part of the change (ISO 13485 7.5.6, 4.1.6; "
                "21 CFR 820.75(c)). An approved (or later) change that names equipment marked `validated: "
                "true` or a qualification protocol in `affected`, with neither protocols under `revalidation` "
                "nor a validation impact (`impact.validation`, which may justify why none is needed), has "
                "not done that assessment.")
def revalidation_missing(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for change in rs.of_type(ChangeControl):
        if not _approved_or_later(change) or change.revalidation or not _blank(_impact(change, "validation")):
            continue
        hits = []
        for i, ref in enumerate(change.affected):
            rec = rs.get(ref)
            if isinstance(rec, Protocol) or (isinstance(rec, Equipment) and rec.validated is True):
                hits.append((i, rec.id))
        if not hits:
            continue
        yield revalidation_missing.finding(
            ctx.at(change.id, ("affected", hits[0][0])),
            f"'{change.status}' change affects validated {', '.join(r for _, r in hits)} with no revalidation "
            "planned (revalidation and impact.validation are empty)", change.id,
            hint="list the IQ/OQ/PQ protocols to repeat under revalidation, or justify in impact.validation why "
                 "the validated state is unaffected")


@rule("QMS423", "error", "Change verified before it was implemented", area=_AREA, clause=_CHANGE,
      rationale="Verification of a change confirms its implementation; a verification date earlier than the "
                "implementation date, or with no implementation date, verifies something that had not "
                "happened yet.")
def verified_before_implemented(ctx: Context) -> Iterator[Finding]:
    for change in ctx.records.of_type(ChangeControl):
        if change.verified is None:
            continue
        if change.implemented is None:
            message = f"verified on {change.verified} with no implementation date"
        elif change.verified < change.implemented:
            message = f"verified on {change.verified}, before implementation on {change.implemented}"
        else:
            continue
        yield verified_before_implemented.finding(
            ctx.at(change.id, ("verified",)), message, change.id,
            hint="record the implementation date, and verify the change after it is implemented")


@rule("QMS424", "error", "Change approved (or later) without an approval date", area=_AREA, clause=_CHANGE,
      rationale="Approval of a change is a dated, attributable decision (ISO 13485 4.2.5, 7.3.9; 21 CFR "
                "820.30(i), 820.40). A change in status approved, implemented, verified or closed without an "
                "approval date cannot show it was approved before implementation.")
def approval_date_missing(ctx: Context) -> Iterator[Finding]:
    for change in ctx.records.of_type(ChangeControl):
        if _approved_or_later(change) and change.approved is None:
            yield approval_date_missing.finding(
                ctx.at(change.id, ("status",)), f"status '{change.status}' but no approval date", change.id,
                hint="record the date the change was approved (approved: YYYY-MM-DD), or set the status back to "
                     "submitted until it is")
