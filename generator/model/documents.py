"""Controlled documents (ISO 13485 4.2.4): procedures, plans, reports, forms."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import Date, Record, Ref, choice, event_date, link, planned_date

# The document types that are the information supplied with the device (EU MDR Annex I 23, Annex II 2).
LABELLING = ("label", "ifu")


class Document(Record):
    KIND = "document"
    PREFIXES = ("DOC",)
    FOLDER = "documents"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "in_review", "approved", "effective", "obsolete")

    type: str = choice({"sop": "Standard operating procedure", "work_instruction": "Work instruction", "form": "Form",
                         "plan": "Plan", "report": "Report", "specification": "Specification", "policy": "Policy",
                         "ifu": "Instructions for use", "label": "Label", "template": "Template", "record": "Record"},
                        description="Document type", required=True)
    number: str | None = Field(default=None, description="Document number, if not the ID")
    revision: str = Field(description="Current revision")
    file: str | None = Field(default=None, description="Path of the controlled file, relative to the repository")
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the file as "
                               "approved (64 lower-case hex digits): a changed file is no longer this revision")
    effective: Date | None = event_date("Effective date")
    review_due: Date | None = planned_date("Next periodic review")
    supersedes: list[Ref] = link("document", description="Documents this one replaces")
    training_roles: list[Ref] = link("role", description="Roles that must be trained on it")
