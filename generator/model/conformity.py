"""Conformity with the general safety and performance requirements (EU MDR Annex I, Annex II 4): the
standards applied, one checklist entry per Annex I item, and the external documents that are the
evidence (test reports, clinical evaluation, usability file) by repository path and SHA-256."""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field, field_validator

from .base import ANY_KIND, Date, Record, Ref, choice, event_date, link

_SHA256 = re.compile(r"\A[0-9a-f]{64}\Z")


class Standard(Record):
    """A standard (or common specification) the manufacturer applies, in one edition."""

    KIND = "standard"
    PREFIXES = ("STD",)
    FOLDER = "standards"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "in_review", "approved", "withdrawn")
    RETIRED: ClassVar[tuple[str, ...]] = ("withdrawn",)

    number: str = Field(description="Standard number, e.g. IEC 60601-1")
    edition: str = Field(description="Edition with amendments as applied, e.g. 2005+A1:2012+A2:2020")
    harmonised: bool | None = Field(default=None, description="Harmonised under EU MDR (reference published in "
                                    "the Official Journal), giving presumption of conformity")
    scope: str | None = Field(default=None, description="What the standard is applied to and how far (in full, "
                              "clauses, or parts not applied)")


class Gspr(Record):
    """One general safety and performance requirement of EU MDR Annex I: does it apply, by which
    standards is it met, and which records show it."""

    KIND = "gspr"
    PREFIXES = ("GSPR",)
    FOLDER = "gspr"

    item: str = Field(description="Annex I item, e.g. 1, 14.2(d), 17.2")
    requirement: str = Field(description="The requirement in short")
    applicable: bool = Field(description="Whether the requirement applies to the device")
    justification: str | None = Field(default=None, description="Why it does not apply (required when not applicable)")
    standards: list[Ref] = link("standard", description="Standards applied to meet it")
    evidence: list[Ref] = link(ANY_KIND, description="Records that show conformity: tests, validations, documents, "
                               "external evidence (EVD-)")

    @field_validator("item")
    @classmethod
    def _item(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9]{1,2}(?:\.[0-9]{1,2})*(?:\s?\([a-z]{1,3}\))?", value, re.ASCII):
            raise ValueError(f"{value!r} is not an Annex I item (e.g. 1, 14.2, 14.2(d))")
        return value


class Evidence(Record):
    """An external document kept in the repository (a test laboratory's report, the clinical evaluation
    report), named by path and fixed by its SHA-256: a changed file no longer is the evidence reviewed."""

    KIND = "evidence"
    PREFIXES = ("EVD",)
    FOLDER = "evidence"

    type: str = choice({"test_report": "Test report", "cer": "Clinical evaluation report",
                        "usability_file": "Usability engineering file", "software": "Software documentation",
                        "certificate": "Certificate", "other": "Other"}, description="Kind of document",
                       required=True)
    path: str = Field(description="The file, relative to the repository root")
    sha256: str = Field(description="SHA-256 of the file as reviewed (64 lower-case hex digits)")
    issuer: str | None = Field(default=None, description="Who issued it (test laboratory, author)")
    issued: Date | None = event_date("Date of issue")
    reference: str | None = Field(default=None, description="The issuer's report or document number")

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _SHA256.match(value):
            raise ValueError("a SHA-256 is 64 lower-case hexadecimal digits")
        return value
