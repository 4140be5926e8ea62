"""Post-market surveillance of one device (EU MDR Art. 83-86, Annex III): the plan, and the periodic
safety update reports it schedules.

The PMS plan is a record of its own, not a policy: it is a controlled document of the technical
documentation (Annex III 1.1) that a notified body reads as such, it names the device, the people and
the procedures, and it is approved like any plan. Its thresholds and minimum population still
parameterise the PSUR's computations, as a policy's would.
"""

from __future__ import annotations

from pydantic import Field

from .base import MAX_COUNT, MAX_MONTHS, Date, Record, Ref, Strict, choice, event_date, link
from .events import YEAR_ID

SOURCES = {
    "complaints": "Complaints and user feedback",
    "vigilance": "Serious incidents and field safety corrective actions (vigilance)",
    "literature": "Scientific literature",
    "registries": "Registries and databases (EUDAMED, MAUDE, registries)",
    "pmcf": "Post-market clinical follow-up (PMCF)",
    "trend_reporting": "Trend reporting (Art. 88)",
    "service_records": "Service and repair records",
    "similar_devices": "Information on similar devices",
    "nonconformances": "Production nonconformances and CAPAs",
}

MEASURES = {
    "complaint_rate": "Complaints per 1,000 units sold",
    "serious_incident_rate": "Serious incidents per 1,000 units sold",
    "complaint_count": "Complaints in the period",
    "serious_incidents": "Serious incidents in the period",
    "trend": "Most complaints received in one calendar quarter of the period (Art. 88 trend)",
    "other": "Other",
}


class DataSource(Strict):
    source: str = choice(SOURCES, description="Source of post-market data", required=True)
    method: str = Field(description="How the data is collected and analysed")
    frequency: str | None = Field(default=None, description="How often, e.g. monthly, continuously")


class Indicator(Strict):
    name: str = Field(description="What is watched")
    measure: str = choice(MEASURES, description="The quantity compared with the threshold", required=True)
    threshold: float = Field(ge=0, le=MAX_COUNT, description="Value above which the plan's action is taken")
    action: str = Field(description="What exceeding the threshold triggers (investigation, CAPA, Art. 88 report)")


class Responsibility(Strict):
    task: str = Field(description="The task, e.g. complaint trending, PSUR author")
    person: Ref = link("user", description="Who is responsible", many=False, required=True)


class PmsPlan(Record):
    """The post-market surveillance plan of the device (EU MDR Art. 84, Annex III 1.1)."""

    KIND = "pms_plan"
    PREFIXES = ("PMSP",)
    FOLDER = "postmarket"

    scope: str = Field(description="The device(s) and variants the plan covers")
    sources: list[DataSource] = Field(min_length=1, description="Post-market data sources and how each is used")
    indicators: list[Indicator] = Field(default_factory=list, description="Indicators and their thresholds")
    min_population: int = Field(ge=1, le=MAX_COUNT, description="Fewest units sold in a period for a rate to be "
                                "stated; below it the PSUR states counts only")
    methods: str = Field(description="Methods of analysis: statistical tools, trend and signal detection")
    review_frequency: str = Field(description="How often the PMS data are reviewed, e.g. monthly")
    psur_interval_months: int = Field(ge=1, le=MAX_MONTHS, description="PSUR update interval in months "
                                      "(Art. 86: 12 for class IIb and III, 24 for class IIa at most)")
    responsibilities: list[Responsibility] = Field(default_factory=list, description="Who does what")
    procedures: list[Ref] = link("document", description="The procedures the plan relies on: complaint handling "
                                 "and vigilance, CAPA, trend reporting")


class PsurFigures(Strict):
    """What a PSUR states for its period; the PSUR document sets the records' figures beside them."""

    complaints: int = Field(ge=0, le=MAX_COUNT, description="Complaints received in the period")
    serious_incidents: int = Field(ge=0, le=MAX_COUNT, description="Serious incidents in the period")
    nonconformances: int = Field(ge=0, le=MAX_COUNT, description="Nonconformances detected in the period")
    capas: int = Field(ge=0, le=MAX_COUNT, description="CAPAs opened in the period")


class Psur(Record):
    """A periodic safety update report (EU MDR Art. 86) for one period."""

    KIND = "psur"
    PREFIXES = ("PSUR",)
    ID_PATTERN = YEAR_ID
    FOLDER = "postmarket"

    plan: Ref = link("pms_plan", description="The PMS plan the report follows", many=False, required=True)
    period_start: Date = event_date("First day of the period", required=True)
    period_end: Date = event_date("Last day of the period (data lock point)", required=True)
    units_sold: int = Field(ge=0, le=MAX_COUNT, description="Units placed on the market in the period")
    units_in_use: int | None = Field(default=None, ge=0, le=MAX_COUNT, description="Estimated units in use at the "
                                     "end of the period")
    stated: PsurFigures = Field(description="The counts the report states for its period")
    benefit_risk: str = Field(description="Conclusions of the benefit-risk determination")
    pmcf: str = Field(description="Main findings of the PMCF")
    fscas: list[str] = Field(default_factory=list, description="Field safety corrective actions in the period")
    conclusion: str = Field(description="Overall conclusion and actions")
    issued: Date | None = event_date("Date the report was issued")


__all__ = ["DataSource", "Indicator", "PmsPlan", "Psur", "PsurFigures", "Responsibility"]
