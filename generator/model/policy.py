"""Policies: the data that parameterises computations, under change control in specs/.

Nothing about acceptability, thresholds, weights or deadlines is a constant in
code; each lives in one of these records. A policy record says which policy it
is in its `policy` field, and that picks the model.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from .base import (
    FREE_ID_PATTERN,
    MAX_COUNT,
    MAX_DAYS,
    MAX_LEVEL,
    Days,
    Level,
    Months,
    Record,
    Ref,
    Strict,
    choice,
    link,
)
from .events import AUTHORITIES

POLICY_LIFECYCLE = ("draft", "in_review", "approved", "effective", "obsolete")


class _Policy(Record):
    KIND = "policy"
    PREFIXES = ("POL",)
    ID_PATTERN = FREE_ID_PATTERN
    FOLDER = "policies"
    LIFECYCLE: ClassVar[tuple[str, ...]] = POLICY_LIFECYCLE


class ScaleLevel(Strict):
    level: int = Field(ge=1, le=MAX_LEVEL, description="Level number, 1 = lowest")
    name: str = Field(description="Name, e.g. Negligible")
    definition: str | None = Field(default=None, description="What the level means")
    range: str | None = Field(default=None, description="Quantitative range, e.g. < 1e-6 per use")


class RiskRegion(Strict):
    name: str = Field(description="Region name used in the matrix")
    acceptable: bool = Field(description="Whether a risk in this region is acceptable without further action")
    benefit_risk_required: bool = Field(default=False, description="Residual risk here needs a benefit-risk analysis")
    color: str | None = Field(default=None, pattern=r"^#[0-9A-Fa-f]{6}$", description="Colour in matrices")


class RiskPolicy(_Policy):
    policy: Literal["risk"] = Field(description="Policy type")
    severity: list[ScaleLevel] = Field(min_length=2, description="Severity scale, lowest first")
    probability: list[ScaleLevel] = Field(min_length=2, description="Probability scale, lowest first")
    split_probability: bool = Field(default=False, description="Estimate probability as P1 × P2")
    p1: list[ScaleLevel] = Field(default_factory=list, description="P1 scale (hazardous situation occurs)")
    p2: list[ScaleLevel] = Field(default_factory=list, description="P2 scale (situation leads to harm)")
    p_combination: list[list[Level]] = Field(default_factory=list,
                                           description="Probability level for P1 (rows) × P2 (columns)")
    regions: list[RiskRegion] = Field(min_length=2, description="Acceptability regions")
    acceptability: list[list[str]] = Field(
        description="Region per probability level (rows, lowest first) × severity level (columns, lowest first)"
    )
    nc_capa_region: list[str] = Field(default_factory=list,
                                      description="Regions in which a nonconformance's risk demands a CAPA")


class Recurrence(Strict):
    count: int = Field(ge=2, le=10_000, description="Nonconformances that make a trend")
    window_days: int = Field(ge=1, le=MAX_DAYS, description="Window in days")
    by: list[Literal["category", "material", "supplier"]] = Field(description="What must match")


class CapaPolicy(_Policy):
    policy: Literal["capa"] = Field(description="Policy type")
    recurrence: Recurrence | None = Field(default=None, description="Recurrence trigger")
    owners: dict[str, Ref] = Field(default_factory=dict, description="Area → CAPA owner (user)",
                                   json_schema_extra={"x-qms-link": ["user"]})
    default_owner: Ref | None = link("user", description="Owner when no area matches", many=False)
    due_days: int = Field(default=90, ge=1, le=MAX_DAYS, description="Days from opening to target closure")
    stage_days: dict[str, Days] = Field(default_factory=dict, description="Days allowed per lifecycle stage")
    effectiveness_wait_days: int = Field(default=90, ge=0, le=MAX_DAYS,
                                         description="Days between last action and the check")


class Grade(Strict):
    grade: str = Field(description="Grade letter or name")
    min_score: float = Field(ge=0, le=100, description="Lowest score for this grade")


class SupplierPolicy(_Policy):
    policy: Literal["supplier"] = Field(description="Policy type")
    weights: dict[Literal["quality", "delivery", "responsiveness"], Annotated[float, Field(ge=0, le=100)]] = Field(
        description="Score weights")
    grades: list[Grade] = Field(min_length=1, description="Grades, best first")
    reevaluate_below: float = Field(ge=0, le=100, description="Score below which the supplier is re-evaluated")
    period: Literal["month", "quarter", "year"] = Field(default="quarter", description="Scorecard period")
    certificate_horizon_days: int = Field(default=60, ge=0, le=MAX_DAYS,
                                          description="Warn this many days before expiry")
    audit_interval_months: dict[Literal["critical", "major", "minor"], Months] = Field(
        default_factory=dict, description="Longest allowed gap between audits")


class Clock(Strict):
    authority: str = choice(AUTHORITIES, description="Authority", required=True)
    event_class: str = Field(description="Event class the clock applies to")
    days: int = Field(ge=0, le=MAX_DAYS, description="Days from awareness")
    business_days: bool = Field(default=False, description="Count work days, not calendar days")
    when_remedial_action: bool | None = Field(default=None, description="Applies only when remedial action is needed")


class VigilancePolicy(_Policy):
    policy: Literal["vigilance"] = Field(description="Policy type")
    clocks: list[Clock] = Field(min_length=1, description="Reporting deadlines")


ApBand = Literal["H", "M", "L"]  # AIAG-VDA action priority


def _high_only() -> list[ApBand]:
    return ["H"]


class ComplaintPolicy(_Policy):
    """Complaint handling (ISO 13485:2016 8.2.2; 21 CFR 820.198): how long an investigation may take from receipt.

    8.2.2 asks for timely handling with documented time frames; 820.198 for every complaint to be reviewed,
    evaluated and, where necessary, investigated. The clock here is that time frame."""

    policy: Literal["complaint"] = Field(description="Policy type")
    investigation_days: int = Field(ge=1, le=MAX_DAYS,
                                    description="Days from receipt by which the investigation is complete")
    business_days: bool = Field(default=False, description="Count work days, not calendar days")


class FmeaPolicy(_Policy):
    policy: Literal["fmea"] = Field(description="Policy type")
    gate: Literal["action_priority", "rpn"] = Field(description="What gates a line for action")
    action_priority_gate: list[ApBand] = Field(default_factory=_high_only, description="AP bands that need an action")
    rpn_threshold: int | None = Field(default=None, ge=1, le=1000, description="RPN at or above which action is needed")
    always_review_severity: int = Field(default=9, ge=1, le=10, description="Severity from which a line is always reviewed")


class ReviewPolicy(_Policy):
    """The management review input (ISO 13485 5.6.2): its period and the populations a rate needs.

    A rate over a handful of units or CAPAs says nothing about the process; below its minimum the review
    shows the counts and no rate. With no review policy in force, these defaults apply and the document says so.
    """

    policy: Literal["management_review"] = Field(description="Policy type")
    period: Literal["month", "quarter", "year"] = Field(
        default="quarter", description="Review period; by default the review covers the last complete one before "
                                       "the as-of date")
    min_units: int = Field(default=30, ge=1, le=MAX_COUNT,
                           description="Fewest units in a rate's denominator (units shipped for the complaint rate, "
                                       "units started on a line for first-pass yield) for the rate to be computed")
    min_capas: int = Field(default=10, ge=1, le=MAX_COUNT,
                           description="Fewest CAPAs closed in a period for the on-time closure rate to be computed")


class DesignPolicy(_Policy):
    """Design controls (ISO 13485 7.3.3-7.3.4): which design inputs need a design output.

    With no design policy in force every approved requirement needs one; a policy may exempt requirement
    types whose output is the record of another process (e.g. regulatory requirements met by the file itself).
    """

    policy: Literal["design"] = Field(description="Policy type")
    outputs_not_required_for: list[Literal["functional", "performance", "safety", "usability", "software",
                                           "interface", "labeling", "regulatory", "environmental",
                                           "packaging"]] = Field(
        default_factory=list, description="Requirement types an approved requirement of which needs no design "
                                          "output (functional, performance, safety ...); empty: all need one")


DocumentKey = Annotated[str, Field(pattern=r"^[a-z][a-z_]*:[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=200)]


class ReleasePolicy(_Policy):
    """What a dossier needs to be releasable besides no validation errors and passed self-validation protocols:
    the controlled documents whose current content a valid approval must release. Each is named by its key in
    the document number register (document-numbers.yaml), e.g. risk:report, fmea:report,
    validation_summary:report; a named document that is a draft, or that the dossier does not hold, makes the
    dossier NOT RELEASABLE and is named in the reason."""

    policy: Literal["release"] = Field(description="Policy type")
    required_approvals: list[DocumentKey] = Field(
        default_factory=list, description="Documents (number-register keys, type:key) that must be approved")


POLICIES: dict[str, type[_Policy]] = {
    "risk": RiskPolicy,
    "capa": CapaPolicy,
    "supplier": SupplierPolicy,
    "design": DesignPolicy,
    "vigilance": VigilancePolicy,
    "complaint": ComplaintPolicy,
    "fmea": FmeaPolicy,
    "management_review": ReviewPolicy,
    "release": ReleasePolicy,
}
Policy = _Policy
