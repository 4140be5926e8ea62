"""Risk management (ISO 14971:2019) and FMEA (AIAG-VDA 2019)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import MAX_LEVEL, BulkRecord, Date, Record, Ref, RiskEstimate, choice, event_date, link, planned_date


class Hazard(Record):
    KIND = "hazard"
    PREFIXES = ("HAZ",)
    FOLDER = "risk/hazards"

    category: str | None = choice(
        {"energy": "Energy", "biological": "Biological", "chemical": "Chemical", "operational": "Operational",
         "information": "Information", "software": "Software", "environmental": "Environmental",
         "mechanical": "Mechanical", "electrical": "Electrical", "thermal": "Thermal", "radiation": "Radiation"},
        description="Hazard category (ISO 14971 Annex C)",
    )
    introduced_by: list[Ref] = link("risk_control", description="Risk controls that introduced this hazard (7.6)")


class Harm(Record):
    KIND = "harm"
    PREFIXES = ("HARM",)
    FOLDER = "risk/harms"

    severity: int | None = Field(default=None, ge=1, le=MAX_LEVEL,
                                 description="Severity level on the severity scale of the risk policy (POL-RISK)")


class HazardousSituation(Record):
    KIND = "hazardous_situation"
    PREFIXES = ("HS",)
    FOLDER = "risk/situations"

    hazard: Ref | None = link("hazard", description="The hazard", many=False)
    sequence_of_events: list[str] = Field(default_factory=list, description="Foreseeable sequence of events")
    harms: list[Ref] = link("harm", description="Harms that can result")
    initial_risk: RiskEstimate | None = Field(default=None, description="Risk before control")
    residual_risk: RiskEstimate | None = Field(default=None, description="Risk after controls")


class RiskControl(Record):
    KIND = "risk_control"
    PREFIXES = ("RC",)
    FOLDER = "risk/controls"

    type: str = choice(
        {"inherent_safety": "Inherent safety by design", "protective_measure": "Protective measure",
         "information_for_safety": "Information for safety"},
        description="Option in the priority order of ISO 14971 7.1", required=True,
    )
    mitigates: list[Ref] = link("hazardous_situation", "hazard", description="What this control reduces")
    implemented_by: list[Ref] = link("requirement", "design_output", "document",
                                     description="Requirements, outputs or documents that implement it")
    introduces: list[Ref] = link("hazard", description="New hazards introduced by this control (7.6)")
    design_infeasible_rationale: str | None = Field(
        default=None, description="Why inherent safety or a protective measure is not practicable (for information for safety)"
    )


class BenefitRisk(Record):
    KIND = "benefit_risk"
    PREFIXES = ("BRA",)
    FOLDER = "risk/benefit-risk"

    scope: str = choice({"hazardous_situation": "Individual residual risk", "overall": "Overall residual risk"},
                        description="One residual risk (7.4) or the overall residual risk (8)", required=True)
    covers: list[Ref] = link("hazardous_situation", description="Hazardous situations assessed")
    conclusion: str | None = choice({"benefits_outweigh": "Benefits outweigh the residual risk",
                                          "not_acceptable": "Residual risk not acceptable"}, description="Conclusion")
    benefits: list[str] = Field(default_factory=list, description="Medical benefits weighed")
    rationale: str | None = Field(default=None, description="Reasoning and data")
    evaluated: Date | None = event_date("Date of the evaluation")


class FmeaLine(BulkRecord):
    """One line of a design or process FMEA; usually a row of an Excel sheet."""

    KIND = "fmea"
    PREFIXES = ("FM",)
    FOLDER = "risk/fmea"
    SHEET_NAMES = ("fmea", "dfmea", "pfmea")
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("open", "action_pending", "closed")

    fmea_type: str = choice({"design": "Design", "process": "Process"}, description="Design or process FMEA",
                           required=True)
    item: str = Field(description="Item, component or process step")
    function: str | None = Field(default=None, description="Function or process requirement")
    failure_mode: str = Field(description="Failure mode")
    effect: str = Field(description="Effect of the failure")
    cause: str | None = Field(default=None, description="Cause of the failure")
    prevention_controls: str | None = Field(default=None, description="Current prevention controls")
    detection_controls: str | None = Field(default=None, description="Current detection controls")
    severity: int = Field(ge=1, le=10, description="Severity S (1-10)")
    occurrence: int = Field(ge=1, le=10, description="Occurrence O (1-10)")
    detection: int = Field(ge=1, le=10, description="Detection D (1-10)")
    recommended_action: str | None = Field(default=None, description="Recommended action")
    action_owner: Ref | None = link("user", description="Owner of the action", many=False)
    action_due: Date | None = planned_date("Action due date")
    action_done: Date | None = event_date("Date the action was completed")
    severity_after: int | None = Field(default=None, ge=1, le=10, description="S after action")
    occurrence_after: int | None = Field(default=None, ge=1, le=10, description="O after action")
    detection_after: int | None = Field(default=None, ge=1, le=10, description="D after action")
    hazards: list[Ref] = link("hazard", "hazardous_situation", description="Hazards this failure mode leads to")
    risk_controls: list[Ref] = link("risk_control", description="Risk controls that address it")
