"""Design controls (ISO 13485 7.3, 21 CFR 820.30): needs, inputs, outputs, V&V."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from .base import MAX_COUNT, Date, Record, Ref, Strict, choice, event_date, link

DESIGN_LIFECYCLE = ("draft", "in_review", "approved", "obsolete")


class Origin(Strict):
    """Where an imported record came from. An import finds its records again by all three, never by an ID
    alone: another project's `REQ-0001` is not this repository's REQ-0001."""

    tool: str = choice({"doorstop": "doorstop", "strictdoc": "strictdoc", "reqif": "ReqIF"},
                       description="Tool it was imported from", required=True)
    source: str = Field(min_length=1, description="The tree, document or file it was imported from")
    uid: str = Field(min_length=1, description="Its ID in that source")


class _Importable(Record):
    """Design records can come over from another requirements tool (`qms import`): what they were called
    there and the attributes that have no field here are kept, not dropped."""

    legacy_id: str | None = Field(default=None, description="ID the record had in the tool it was imported from")
    origin: Origin | None = Field(default=None, description="Tool, source and ID it was imported from "
                                  "(`qms import` matches records on it)")
    attributes: dict[str, Any] = Field(default_factory=dict,
                                       description="Custom attributes kept from the tool it was imported from")


class UserNeed(_Importable):
    KIND = "user_need"
    PREFIXES = ("UN",)
    FOLDER = "needs"

    statement: str = Field(description="The need in the user's words")
    source: str | None = Field(default=None, description="Where the need came from (user research, standard, regulation)")
    user_group: str | None = Field(default=None, description="Intended user")
    use_environment: str | None = Field(default=None, description="Intended use environment")


class Requirement(_Importable):
    """A design input. Risk controls are implemented by requirements like any other."""

    KIND = "requirement"
    PREFIXES = ("REQ",)
    FOLDER = "requirements"

    statement: str = Field(description="The requirement, verifiable as written ('shall ...')")
    rationale: str | None = Field(default=None, description="Why the requirement exists")
    type: str | None = choice(
        {"functional": "Functional", "performance": "Performance", "safety": "Safety", "usability": "Usability",
         "software": "Software", "interface": "Interface", "labeling": "Labeling", "regulatory": "Regulatory",
         "environmental": "Environmental", "packaging": "Packaging"},
        description="Requirement category",
    )
    verification_method: str | None = choice(
        {"test": "Test", "inspection": "Inspection", "analysis": "Analysis", "demonstration": "Demonstration"},
        description="How it will be verified"
    )
    derived_from: list[Ref] = link("user_need", "requirement", description="Needs or parent requirements this refines")


class DesignOutput(_Importable):
    KIND = "design_output"
    PREFIXES = ("DO",)
    FOLDER = "outputs"

    type: str | None = choice(
        {"drawing": "Drawing", "specification": "Specification", "software": "Software", "label": "Label",
         "ifu": "Instructions for use", "bom": "Bill of materials", "process": "Process", "packaging": "Packaging"},
        description="What the output is",
    )
    document: str | None = Field(default=None, description="Drawing, file or document number")
    revision: str | None = Field(default=None, description="Revision of the output")
    implements: list[Ref] = link("requirement", description="Requirements this output implements")


class TestResult(Strict):
    date: Date = event_date("Date executed", required=True)
    result: str = choice(("pass", "fail", "blocked"), description="Outcome", required=True)
    executed_by: Ref | None = link("user", description="Who executed it", many=False)
    evidence: str | None = Field(default=None, description="Report or evidence reference")
    notes: str | None = Field(default=None, description="Remarks")


class _Test(_Importable):
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "approved", "obsolete")

    method: str | None = Field(default=None, description="Test method or protocol")
    acceptance_criteria: str | None = Field(default=None, description="What counts as a pass")
    sample_size: int | None = Field(default=None, ge=1, le=MAX_COUNT, description="Units tested")
    results: list[TestResult] = Field(default_factory=list, description="Executions, oldest first")


class VerificationTest(_Test):
    """Design verification: did we build the device right (7.3.6)."""

    KIND = "verification"
    PREFIXES = ("VER",)
    FOLDER = "verification"

    verifies: list[Ref] = link("requirement", "risk_control", "design_output", description="What this test verifies")
    purpose: str | None = choice(
        {"requirement": "Requirement", "implementation": "Implementation", "effectiveness": "Effectiveness"},
        description="For risk controls: verifies implementation or effectiveness (ISO 14971 7.2)",
    )


class ValidationTest(_Test):
    """Design validation: did we build the right device (7.3.7)."""

    KIND = "validation"
    PREFIXES = ("VAL",)
    FOLDER = "validation"

    validates: list[Ref] = link("user_need", description="User needs this validates")
    type: str | None = choice(
        {"summative_usability": "Summative usability evaluation", "clinical_evaluation": "Clinical evaluation",
         "simulated_use": "Simulated use", "literature": "Literature review"},
        description="Kind of validation",
    )


class Section(_Importable):
    """Informative content of an imported specification: a heading, a chapter or a paragraph of prose.

    Not a requirement: nothing verifies it. It keeps the document's structure and text so that an import
    loses none of them; `contains` lists, in document order, the sections and records below it."""

    KIND = "section"
    PREFIXES = ("SEC",)
    FOLDER = "sections"

    text: str | None = Field(default=None, description="The section's prose, as the source document gives it")
    level: str | None = Field(default=None, description="Its number in the source document's outline (1.2.3)")
    order: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="Its position in the source document")
    document: str | None = Field(default=None, description="The source document (specification) it belongs to")
    contains: list[Ref] = link("section", "user_need", "requirement", "design_output", "verification", "validation",
                               description="What stands below it in the source document, in order")
