"""Process and software validation protocols (IQ/OQ/PQ; 21 CFR 820.75, ISO 13485 4.1.6, 7.5.6)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .base import MAX_COUNT, Date, Record, Ref, Strict, choice, event_date, link


class ProtocolStep(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="Step number, e.g. 3.1")
    feature: str = Field(description="Feature file under features/")
    scenario: str | None = Field(default=None, description="Scenario name (or use tag)")
    tag: str | None = Field(default=None, description="Scenario tag, without @")
    expected: str | None = Field(default=None, description="Expected result, as protocol text")


class SampleSize(Strict):
    n: int = Field(ge=1, le=MAX_COUNT, description="Stated sample size")
    method: str = choice(("success_run", "capability", "attribute", "rationale"),
                         description="How n is justified", required=True)
    confidence: float | None = Field(default=None, gt=0, lt=1, description="Confidence C")
    reliability: float | None = Field(default=None, gt=0, lt=1, description="Reliability R")
    # The binomial sample size sums a term per allowed failure: a thousand is far past any real plan.
    failures: int = Field(default=0, ge=0, le=1_000, description="Failures allowed")
    cpk_target: float | None = Field(default=None, gt=0, le=100, description="Cpk/Ppk to demonstrate")
    cpk_planned: float | None = Field(default=None, gt=0, le=100, description="Cpk/Ppk the process is expected to have")
    rationale: str | None = Field(default=None, description="Justification text")


class Prerequisites(Strict):
    instruments: list[Ref] = link("equipment", description="Calibrated instruments used")
    executors: list[Ref] = link("user", description="Who may execute")
    training: list[Ref] = link("document", "protocol", description="Training executors must hold")


class Execution(Strict):
    """One recorded execution of an approved protocol (the evidence file names it by hash)."""

    date: Date = event_date("Date executed", required=True)
    executed_by: Ref = link("user", description="Executor", many=False, required=True)
    result: str = choice(("pass", "fail"), description="Overall result", required=True)
    evidence: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$",
                                 description="SHA-256 of the evidence JSON the run wrote")
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,40}$", description="Git commit executed from")
    deviations: list[Ref] = link("nonconformance", description="Deviations the run raised")


class Protocol(Record):
    KIND = "protocol"
    PREFIXES = ("IQ", "OQ", "PQ")
    FOLDER = "protocols"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "in_review", "approved", "executed", "obsolete")

    subject: str = choice(("equipment", "process", "software"), description="What is qualified", required=True)
    equipment: list[Ref] = link("equipment", description="Equipment or system qualified")
    purpose: str = Field(description="Purpose")
    scope: str | None = Field(default=None, description="Scope")
    references: list[Ref] = link("document", "requirement", "design_output", description="References")
    prerequisites: Prerequisites | None = Field(default=None, description="Prerequisites")
    acceptance_criteria: list[str] = Field(default_factory=list, description="Acceptance criteria")
    steps: list[ProtocolStep] = Field(default_factory=list, description="Steps, each a Gherkin scenario")
    sample_size: SampleSize | None = Field(default=None, description="PQ sample size and its justification")
    data: list[str] = Field(default_factory=list, description="Measurement files, relative to the repository")
    approved: Date | None = event_date("Date approved for execution")
    automated: bool = Field(default=False, description="Executed by every `qms build` (self-validation)")
    executions: list[Execution] = Field(default_factory=list, description="Recorded executions, oldest first")
