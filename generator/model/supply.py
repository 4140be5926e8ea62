"""Purchasing controls (ISO 13485 7.4, 21 CFR 820.50) and incoming inspection (ISO 2859-1)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from .base import (
    FREE_ID_PATTERN,
    MAX_COUNT,
    MAX_HOURS,
    MAX_MONTHS,
    MAX_QUANTITY,
    TEMPERATURE_MAX_C,
    TEMPERATURE_MIN_C,
    BulkRecord,
    Date,
    Record,
    Ref,
    Strict,
    choice,
    event_date,
    link,
    planned_date,
)


class Certificate(Strict):
    standard: str = Field(description="Standard certified against, e.g. ISO 13485:2016")
    number: str | None = Field(default=None, description="Certificate number")
    issuer: str | None = Field(default=None, description="Certification body")
    issued: Date | None = event_date("Issue date")
    expires: Date | None = planned_date("Expiry date")


class SupplierAudit(Strict):
    date: Date = event_date("Audit date", required=True)
    type: str | None = choice({"onsite": "On-site", "remote": "Remote", "questionnaire": "Questionnaire"},
                              description="Audit type")
    auditor: Ref | None = link("user", description="Lead auditor", many=False)
    result: str | None = choice({"pass": "Pass", "conditional": "Conditional", "fail": "Fail"}, description="Outcome")
    findings: int = Field(default=0, ge=0, le=MAX_COUNT, description="Number of findings")
    report: str | None = Field(default=None, description="Report reference")


class QualityAgreement(Strict):
    document: Ref | None = link("document", description="The signed agreement", many=False)
    signed: Date | None = event_date("Date signed")
    expires: Date | None = planned_date("Expiry or review date")


class Reevaluation(Strict):
    """The decision a re-evaluation ends in (ISO 13485 7.4.1): what the scorecard or an audit asked, what was decided."""
    period: str = Field(description="Scorecard period that called for it, e.g. 2026-Q3")
    decided: Date = event_date("Date decided", required=True)
    decision: str = choice({"continue": "Continue approval", "conditional": "Conditional approval",
                            "disqualify": "Disqualify"}, description="Decision", required=True)
    by: Ref | None = link("user", description="Who decided", many=False)
    rationale: str | None = Field(default=None, description="Why, and what it is conditional on")


class Supplier(Record):
    KIND = "supplier"
    PREFIXES = ("SUP",)
    FOLDER = "suppliers"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("candidate", "approved", "conditional", "disqualified", "inactive")
    RETIRED: ClassVar[tuple[str, ...]] = ("disqualified", "inactive")

    scope: str | None = Field(default=None, description="What the supplier is approved to supply")
    criticality: str = choice({"critical": "Critical", "major": "Major", "minor": "Minor"},
                              description="Effect on device safety", default="major")
    country: str | None = Field(default=None, description="Country (ISO 3166 alpha-2)")
    contact: str | None = Field(default=None, description="Quality contact")
    approved: Date | None = event_date("Date approved")
    requalification_due: Date | None = planned_date("Next re-evaluation")
    certificates: list[Certificate] = Field(default_factory=list, description="Certificates held")
    audits: list[SupplierAudit] = Field(default_factory=list, description="Audits performed")
    quality_agreement: QualityAgreement | None = Field(default=None, description="Quality agreement")
    reevaluations: list[Reevaluation] = Field(default_factory=list, description="Re-evaluation decisions")


class StorageConditions(Strict):
    min_c: float | None = Field(default=None, ge=TEMPERATURE_MIN_C, le=TEMPERATURE_MAX_C,
                                 description="Lowest allowed storage temperature, °C")
    max_c: float | None = Field(default=None, ge=TEMPERATURE_MIN_C, le=TEMPERATURE_MAX_C,
                                 description="Highest allowed storage temperature, °C")
    excursion_allowance_hours: float | None = Field(default=None, ge=0, le=MAX_HOURS,
                                                    description="Cumulative time allowed outside the range")
    mkt_max_c: float | None = Field(default=None, ge=TEMPERATURE_MIN_C, le=TEMPERATURE_MAX_C,
                                     description="Highest allowed mean kinetic temperature, °C")
    activation_energy_kj_mol: float = Field(default=83.144, gt=0, le=1_000,
                                            description="ΔH for MKT (USP <1079> default 83.144 kJ/mol)")


class BomLine(Strict):
    material: Ref = link("material", description="Component", many=False, required=True)
    quantity: float = Field(gt=0, le=MAX_QUANTITY, description="Quantity per unit")


class InspectionPlan(Strict):
    aql: float = Field(gt=0, le=1_000, description="Acceptance quality limit, %")
    level: str = choice(("I", "II", "III", "S-1", "S-2", "S-3", "S-4"), description="Inspection level", default="II")


class Material(Record):
    KIND = "material"
    PREFIXES = ("MAT",)
    FOLDER = "materials"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "approved", "obsolete")

    type: str = choice({"component": "Component", "raw_material": "Raw material", "subassembly": "Subassembly",
                         "finished_device": "Finished device", "packaging": "Packaging", "label": "Label",
                         "software": "Software"}, description="What it is", required=True)
    part_number: str | None = Field(default=None, description="Internal part number")
    revision: str | None = Field(default=None, description="Drawing or specification revision")
    critical: bool = Field(default=False, description="Critical to device safety or performance")
    approved_suppliers: list[Ref] = link("supplier", description="Suppliers approved for this material")
    specification: Ref | None = link("design_output", "document", description="Specification", many=False)
    gtin: str | None = Field(default=None, description="GS1 GTIN (finished devices)")
    shelf_life_months: int | None = Field(default=None, ge=1, le=MAX_MONTHS, description="Shelf life")
    storage: StorageConditions | None = Field(default=None, description="Storage conditions")
    bom: list[BomLine] = Field(default_factory=list, description="Bill of materials (finished devices)")
    inspection: InspectionPlan | None = Field(default=None, description="Incoming inspection plan")

    @field_validator("gtin")
    @classmethod
    def _gtin_check_digit(cls, value: str | None) -> str | None:
        """A GTIN is checked when the record is loaded (and cached), like any other field's format."""
        if value is None:
            return value
        from biip import ParseError
        from biip.gtin import Gtin

        try:
            Gtin.parse(value)
        except ParseError as err:
            raise ValueError(str(err)) from None
        return value


class Receipt(BulkRecord):
    KIND = "receipt"
    PREFIXES = ("RCV",)
    ID_PATTERN = FREE_ID_PATTERN
    FOLDER = "supply"
    SHEET_NAMES = ("receipts", "receipt", "goods receipts")
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("received", "quarantine", "accepted", "rejected", "returned")

    supplier: Ref = link("supplier", description="Supplier", many=False, required=True)
    material: Ref = link("material", description="Material received", many=False, required=True)
    supplier_lot: str | None = Field(default=None, description="Supplier's lot number")
    lot: Ref | None = link("lot", description="Component lot created at receipt", many=False)
    quantity: int = Field(ge=1, le=MAX_COUNT, description="Quantity received")
    purchase_order: str | None = Field(default=None, description="Purchase order")
    promised: Date | None = planned_date("Promised delivery date")
    received: Date = event_date("Date received", required=True)


class Inspection(BulkRecord):
    KIND = "inspection"
    PREFIXES = ("INS",)
    ID_PATTERN = FREE_ID_PATTERN
    FOLDER = "supply"
    SHEET_NAMES = ("inspections", "inspection", "incoming inspections")
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("planned", "in_progress", "complete")

    receipt: Ref = link("receipt", description="Receipt inspected", many=False, required=True)
    lot_size: int = Field(ge=1, le=MAX_COUNT, description="Lot size")
    level: str = choice(("I", "II", "III", "S-1", "S-2", "S-3", "S-4"), description="Inspection level", default="II")
    aql: float = Field(gt=0, le=1_000, description="AQL, %")
    severity: str = choice({"normal": "Normal", "tightened": "Tightened", "reduced": "Reduced"},
                           description="Inspection severity", default="normal")
    sample_size: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="Units inspected")
    defects: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="Nonconforming units found")
    decision: str | None = choice({"accept": "Accept", "reject": "Reject"}, description="Lot decision")
    inspected: Date | None = event_date("Date inspected")
    inspector: Ref | None = link("user", description="Inspector", many=False)
