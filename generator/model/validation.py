"""Process and software validation protocols (IQ/OQ/PQ; 21 CFR 820.75, ISO 13485 4.1.6, 7.5.6)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field, field_validator

from .base import MAX_COUNT, Date, DateTime, Record, Ref, Strict, choice, event_date, link
from .events import YEAR_ID


class ProtocolStep(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="Step number, e.g. 3.1")
    feature: str = Field(description="Feature file under features/")
    scenario: str | None = Field(default=None, description="Scenario name (or use tag)")
    tag: str | None = Field(default=None, description="Scenario tag, without @")
    expected: str | None = Field(default=None, description="Expected result, as protocol text")


class SampleSize(Strict):
    n: int = Field(ge=1, le=MAX_COUNT, description="Stated sample size")
    method: str = choice({"success_run": "Success run", "capability": "Process capability",
                          "attribute": "Attribute sampling plan", "rationale": "Rationale"},
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


QMS_SOFTWARE = "software"  # the subject of a protocol that validates the QMS's own software


class Protocol(Record):
    KIND = "protocol"
    PREFIXES = ("IQ", "OQ", "PQ")
    FOLDER = "protocols"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "in_review", "approved", "executed", "obsolete")

    subject: str = choice({"equipment": "Equipment", "process": "Process",
                           "software": "QMS software (ISO 13485 4.1.6)"},
                          description="What is qualified: production equipment, a production process, or "
                                      "software used in the quality management system (validated apart from "
                                      "the device's technical documentation)", required=True)
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
    executions: list[Execution] = Field(default_factory=list,
                                        description="Executions recorded by hand, oldest first (history; "
                                                    "`qms protocol run` writes EXE- records instead)")


SHA256 = r"^[0-9a-f]{64}$"


class StepTiming(Strict):
    """One protocol step of an execution: when it ran (UTC) and its verdict."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", description="Protocol step number")
    result: str = choice(("pass", "fail"), description="Step result", required=True)
    started: DateTime | None = Field(default=None, description="UTC time the step's first scenario step started")
    finished: DateTime | None = Field(default=None, description="UTC time the step's last scenario step finished")


class EvidenceFile(Strict):
    """A file of evidence kept beside the execution record, named relative to the executions folder."""

    path: str = Field(pattern=r"^[A-Z]+-[0-9]{4}-[0-9]{3,}/[A-Za-z0-9][A-Za-z0-9._-]*$",
                      description="Path relative to the folder of the execution record, e.g. EXE-2026-001/evidence.json")
    sha256: str = Field(pattern=SHA256, description="SHA-256 of the file as written by the run")


class ProtocolExecution(Record):
    """One execution of a protocol as it happened: written by `qms protocol run` with the true UTC times
    (21 CFR 820.75(a), Part 11 §11.10(e); ALCOA+ contemporaneous, original)."""

    KIND = "execution"
    PREFIXES = ("EXE",)
    ID_PATTERN = YEAR_ID
    FOLDER = "validation/executions"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("executed", "reviewed", "invalidated")
    RETIRED: ClassVar[tuple[str, ...]] = ("invalidated",)

    protocol: Ref = link("protocol", description="Protocol executed", many=False, required=True)
    protocol_sha256: str | None = Field(default=None, pattern=SHA256,
                                        description="Canonical content hash of the protocol as executed")
    executed_by: Ref = link("user", description="Executor", many=False, required=True)
    runner: str = Field(default="qms protocol run", description="What executed it")
    started: DateTime = Field(description="UTC time the run started (the execution date is its day)")
    finished: DateTime = Field(description="UTC time the run finished")
    result: str = choice(("pass", "fail"), description="Overall result", required=True)
    commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,40}$", description="Git commit executed from")
    clean: bool | None = Field(default=None, description="Whether the working tree was clean when executed")
    steps: list[StepTiming] = Field(default_factory=list, description="Each protocol step's times and result")
    evidence: list[EvidenceFile] = Field(default_factory=list, description="Evidence files and their SHA-256")
    deviations: list[Ref] = link("nonconformance", description="Deviations raised or reused for failed steps")

    @field_validator("started", "finished")
    @classmethod
    def _with_offset(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("give the time with its UTC offset, e.g. 2026-12-01T21:12:05.120Z")
        return value

    @property
    def date(self) -> dt.date:
        """The execution date: the UTC day the run started."""
        return self.started.astimezone(dt.UTC).date()
