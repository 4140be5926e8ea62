"""Quality events (ISO 13485 8.2-8.5, 21 CFR 820.100/198, EU MDR Art. 87)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import ANY_KIND, MAX_COUNT, Date, Record, Ref, RiskEstimate, Strict, choice, event_date, link, planned_date

YEAR_ID = r"[0-9]{4}-[0-9]{3,}"


class Nonconformance(Record):
    """A nonconformance or a (planned or unplanned) deviation."""

    KIND = "nonconformance"
    PREFIXES = ("NC",)
    ID_PATTERN = YEAR_ID
    FOLDER = "events/nc"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("open", "contained", "dispositioned", "closed", "cancelled")
    RETIRED: ClassVar[tuple[str, ...]] = ("cancelled",)

    type: str = choice({"nonconformance": "Nonconformance", "deviation": "Deviation"},
                       description="Nonconformance or deviation",
                       default="nonconformance")
    source: str = choice(
        {"incoming_inspection": "Incoming inspection", "production": "Production",
         "process_deviation": "Process deviation", "complaint": "Complaint", "audit": "Audit",
         "excursion": "Temperature excursion", "validation": "Validation", "field": "Field (post-market)"},
        description="Where it was detected", required=True,
    )
    category: str | None = Field(default=None, description="Defect category, for recurrence (e.g. dimensional)")
    area: str | None = Field(default=None, description="Area responsible, for the CAPA owner map")
    detected: Date = event_date("Date detected", required=True)
    affected_lots: list[Ref] = link("lot", description="Affected lots")
    affected_units: list[Ref] = link("serial_unit", description="Affected serial units")
    materials: list[Ref] = link("material", description="Affected materials")
    supplier: Ref | None = link("supplier", description="Supplier at fault, if any", many=False)
    origin: list[Ref] = link("inspection", "complaint", "temperature_log", "protocol", "execution", "receipt",
                             description="Record that raised it")
    audit: str | None = Field(default=None, description="Report number of the audit that raised it (internal, "
                                                       "supplier or external), e.g. IA-2026-04")
    protocol_step: str | None = Field(default=None, description="Protocol step that failed (validation deviations)")
    risk: RiskEstimate | None = Field(default=None, description="Risk rating on the risk policy scales")
    containment: str | None = Field(default=None, description="Immediate containment")
    disposition: str | None = choice(
        {"use_as_is": "Use as is", "rework": "Rework", "repair": "Repair", "scrap": "Scrap",
         "return_to_supplier": "Return to supplier", "regrade": "Regrade"}, description="Disposition"
    )
    disposition_justification: str | None = Field(default=None, description="Why the disposition is acceptable")
    disposition_by: Ref | None = link("user", description="Who authorised the disposition", many=False)
    capa_required: bool | None = Field(default=None, description="Decision whether a CAPA is needed")
    capa_rationale: str | None = Field(default=None, description="Reason for the CAPA decision")
    closed: Date | None = event_date("Date closed")


class RootCause(Strict):
    method: str | None = choice({"five_whys": "5 Whys", "fishbone": "Fishbone (Ishikawa) diagram",
                                 "fault_tree": "Fault tree analysis", "is_is_not": "Is / is not analysis",
                                 "other": "Other"},
                                description="Analysis method")
    category: str | None = choice(
        {"man": "Man (people)", "machine": "Machine", "method": "Method", "material": "Material",
         "measurement": "Measurement", "environment": "Environment"},
        description="Fishbone (6M) category",
    )
    whys: list[str] = Field(default_factory=list, description="The chain of whys")
    statement: str | None = Field(default=None, description="Root cause statement")


class CapaAction(Strict):
    type: str = choice({"correction": "Correction", "corrective": "Corrective action",
                        "preventive": "Preventive action"}, description="Kind of action", required=True)
    description: str = Field(description="What will be done")
    owner: Ref | None = link("user", description="Owner", many=False)
    due: Date | None = planned_date("Due date")
    status: str = choice({"open": "open", "done": "done", "cancelled": "cancelled"}, description="Action state",
                          default="open")
    done: Date | None = event_date("Date completed")
    evidence: str | None = Field(default=None, description="Evidence of completion")


class CapaRisk(Strict):
    """ISO 13485 8.5.2 b)-c), ISO 14971 10: the problem weighed against the risk file."""
    assessment: str | None = Field(default=None, description="Risk assessment of the problem and its actions")
    links: list[Ref] = link("hazard", "hazardous_situation", "fmea", description="Hazards, situations or FMEA lines")


class Reportability(Strict):
    """The decision whether the problem is reportable to a competent authority (ISO 13485 8.2.3, MDR Art. 87)."""
    reportable: bool = Field(description="Reportable to an authority")
    decided: Date | None = event_date("Date decided")
    by: Ref | None = link("user", description="Who decided", many=False)
    rationale: str | None = Field(default=None, description="Why (criteria applied), or the report reference")


class AdverseEffectCheck(Strict):
    """ISO 13485 8.5.2 e): the actions do not adversely affect the device's ability to meet requirements."""
    verified: Date | None = event_date("Date verified")
    by: Ref | None = link("user", description="Who verified", many=False)
    evidence: str | None = Field(default=None, description="How: tests, analysis, records")


class Effectiveness(Strict):
    criteria: str | None = Field(default=None, description="Measurable criteria, set before the check")
    criteria_set: Date | None = event_date("Date the criteria were set")
    check_due: Date | None = planned_date("Earliest date for the check, after the waiting period")
    checked: Date | None = event_date("Date the check was performed")
    result: str | None = choice({"effective": "Effective", "not_effective": "Not effective"},
                                description="Outcome of the check")
    verified_by: Ref | None = link("user", description="Who verified effectiveness", many=False)
    evidence: str | None = Field(default=None, description="Data supporting the result")
    needed: int | None = Field(default=None, ge=1, le=MAX_COUNT,
                               description="Evidence records (lots, runs, reports) the criteria call for")
    evidence_records: list[Ref] = link(ANY_KIND, description="Records that show the criteria met")


class Capa(Record):
    KIND = "capa"
    PREFIXES = ("CAPA",)
    ID_PATTERN = YEAR_ID
    FOLDER = "events/capa"
    LIFECYCLE: ClassVar[tuple[str, ...]] = (
        "draft", "open", "investigation", "action", "effectiveness_check", "closed", "cancelled",
    )
    RETIRED: ClassVar[tuple[str, ...]] = ("cancelled",)

    sources: list[Ref] = link("nonconformance", "complaint", "inspection", "supplier", "protocol",
                              description="Records that raised this CAPA")
    area: str | None = Field(default=None, description="Area responsible")
    problem: str | None = Field(default=None, description="Problem statement")
    containment: str | None = Field(default=None, description="Containment taken")
    investigation: str | None = Field(default=None, description="Investigation summary")
    root_cause: RootCause | None = Field(default=None, description="Root cause")
    actions: list[CapaAction] = Field(default_factory=list, description="Corrections, corrective and preventive actions")
    effectiveness: Effectiveness | None = Field(default=None, description="Effectiveness check")
    opened: Date | None = event_date("Date opened")
    due: Date | None = planned_date("Target closure date")
    closed: Date | None = event_date("Date closed")
    cancel_reason: str | None = Field(default=None, description="Why the CAPA was cancelled")
    risk: CapaRisk | None = Field(default=None, description="Risk assessment and links to the risk file")
    reportability: Reportability | None = Field(default=None, description="Reportability decision")
    adverse_effect: AdverseEffectCheck | None = Field(
        default=None, description="Verification that the actions do not adversely affect the device")


class Impact(Strict):
    design: str | None = Field(default=None, description="Impact on design inputs/outputs")
    risk: str | None = Field(default=None, description="Impact on the risk file")
    validation: str | None = Field(default=None, description="Impact on validated processes or software")
    regulatory: str | None = Field(default=None, description="Impact on registrations, notified body notification")
    supplier_notification: str | None = Field(default=None, description="Suppliers or customers to notify")


# A change control's decisions count once it is approved: from then on it stands for what it reviewed.
APPROVED_OR_LATER = ("approved", "implemented", "verified", "closed")


class ChangeAction(Strict):
    """One step of a change's implementation plan (ISO 13485 7.3.9, 4.1.4; 21 CFR 820.70(b), 820.30(i))."""
    type: str = choice({"implement": "Implementation", "document": "Document update", "train": "Training",
                        "notify": "Notification", "verify": "Verification"},
                       description="Kind of step", required=True)
    description: str = Field(description="What will be done")
    owner: Ref | None = link("user", description="Owner", many=False)
    due: Date | None = planned_date("Due date")
    done: Date | None = event_date("Date completed")
    evidence: str | None = Field(default=None, description="Evidence of completion")


class ChangeControl(Record):
    KIND = "change"
    PREFIXES = ("CC",)
    ID_PATTERN = YEAR_ID
    FOLDER = "events/change"
    LIFECYCLE: ClassVar[tuple[str, ...]] = (
        "draft", "submitted", "approved", "implemented", "verified", "closed", "rejected", "cancelled",
    )
    RETIRED: ClassVar[tuple[str, ...]] = ("rejected", "cancelled")

    reason: str = Field(description="Why the change is needed")
    type: str | None = choice({"design": "Design", "process": "Process", "supplier": "Supplier",
                               "document": "Document", "software": "Software", "labeling": "Labeling"},
                              description="What kind of change")
    affected: list[Ref] = link(ANY_KIND, description="Records the change touches")
    impact: Impact | None = Field(default=None, description="Impact assessment")
    risk_reviewed: list[Ref] = link("hazard", "hazardous_situation", "risk_control", "fmea",
                                    description="Risk records revisited for this change")
    revalidation: list[Ref] = link("protocol", description="Protocols planned to revalidate")
    implementation_plan: str | None = Field(default=None, description="How and when it is implemented")
    submitted: Date | None = event_date("Date submitted")
    approved: Date | None = event_date("Date approved")
    implemented: Date | None = event_date("Date implemented")
    verification: str | None = Field(default=None, description="Verification of implementation")
    verified: Date | None = event_date("Date implementation was verified")
    actions: list[ChangeAction] = Field(
        default_factory=list, description="Implementation steps, each with its owner and due date; owed once the "
                                          "change is approved, until done")


# Competent authorities a vigilance report goes to (the vigilance policy's clocks name them too).
AUTHORITIES = {"eu_mdr": "EU MDR competent authority", "fda_mdr": "FDA (21 CFR 803)", "health_canada": "Health Canada",
               "tga": "TGA (Australia)", "other": "Other authority"}


class VigilanceReport(Strict):
    authority: str = choice(AUTHORITIES, description="Competent authority", required=True)
    type: str | None = choice({"initial": "Initial", "follow_up": "Follow-up", "final": "Final"},
                                 description="Report type", default="initial")
    submitted: Date | None = event_date("Date submitted")
    reference: str | None = Field(default=None, description="Authority reference number")


class Complaint(Record):
    KIND = "complaint"
    PREFIXES = ("CMP",)
    ID_PATTERN = YEAR_ID
    FOLDER = "events/complaints"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("received", "investigation", "closed")

    received: Date = event_date("Date received", required=True)
    awareness: Date | None = event_date("Date the manufacturer became aware (reporting clocks start)")
    occurred: Date | None = event_date("Date the event occurred")
    reporter: str | None = Field(default=None, description="Who reported it")
    country: str | None = Field(default=None, description="Country of the event (ISO 3166 alpha-2)")
    product: Ref | None = link("material", description="Product concerned", many=False)
    units: list[Ref] = link("serial_unit", description="Serial units concerned")
    lots: list[Ref] = link("lot", description="Lots concerned")
    patient_impact: str | None = choice(
        {"none": "None", "injury": "Injury", "serious_injury": "Serious injury", "death": "Death"},
        description="Outcome for patient or user"
    )
    event_class: str | None = choice(
        {"serious_public_health_threat": "Serious public health threat",
         "death_or_serious_deterioration": "Death or serious deterioration in health",
         "other_serious_incident": "Other serious incident", "malfunction": "Malfunction",
         "non_serious": "Non-serious incident"},
        description="Vigilance classification",
    )
    remedial_action: bool | None = Field(default=None, description="Remedial action to prevent serious public health risk")
    investigation: str | None = Field(default=None, description="Investigation summary")
    investigation_due: Date | None = planned_date(
        "Investigation due, when it differs from the complaint policy's clock (a justified extension)")
    reportable: bool | None = Field(default=None, description="Decision whether it is reportable")
    reportability_rationale: str | None = Field(default=None, description="Why it is or is not reportable")
    reports: list[VigilanceReport] = Field(default_factory=list, description="Reports made to authorities")
    risk_file: list[Ref] = link("hazard", "hazardous_situation", "fmea",
                                description="Entries of the risk file the event realised or bears on: hazards, "
                                            "hazardous situations, FMEA lines (ISO 14971 10.3)")
    capa_required: bool | None = Field(default=None, description="Decision whether a CAPA is needed")
    capa: Ref | None = link("capa", description="CAPA opened for it", many=False)
    capa_rationale: str | None = Field(default=None, description="Reason for the CAPA decision")
    closed: Date | None = event_date("Date closed")
