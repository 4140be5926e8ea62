"""The figures of a periodic safety update report (EU MDR Art. 86) as the records give them for its period.

Complaints, serious incidents, nonconformances and CAPAs come from analysis.postmarket (one reading of
the post-market records); a record counts in the period when its defining date falls in it: received
(complaint), detected (nonconformance), opened (CAPA). Units sold are the serial units and lot quantities
on shipments shipped in the period, as the management review counts them; units in use are all shipped
up to the period's end. Rates are stated only over the PMS plan's minimum population.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model.events import Complaint
from ..model.postmarket import PmsPlan, Psur, PsurFigures
from ..model.production import Shipment
from ..recordset import RecordSet
from . import once
from .postmarket import analyse_postmarket

# The counts a PSUR states (model.postmarket.PsurFigures), in the order documents show them.
COUNTS = (("complaints", "Complaints received"), ("serious_incidents", "Serious incidents"),
          ("nonconformances", "Nonconformances detected"), ("capas", "CAPAs opened"))
RATE_MEASURES = {"complaint_rate": "complaints", "serious_incident_rate": "serious_incidents"}
COUNT_MEASURES = {"complaint_count": "complaints", "serious_incidents": "serious_incidents"}


@dataclass(frozen=True)
class IndicatorResult:
    name: str
    measure: str
    threshold: float
    value: float | None  # None: a rate below the minimum population, or a measure not computed here
    exceeded: bool | None
    action: str


@dataclass(frozen=True)
class PsurFacts:
    start: dt.date
    end: dt.date
    complaints: tuple[str, ...]
    serious_incidents: tuple[str, ...]
    nonconformances: tuple[str, ...]
    capas: tuple[str, ...]
    units_sold: int | float
    units_in_use: int | float
    shipments: tuple[str, ...]
    min_population: int | None  # the PMS plan's; None without a plan
    by_quarter: tuple[tuple[str, int], ...]  # complaints per quarter of the period (the trend)
    indicators: tuple[IndicatorResult, ...]

    def count(self, name: str) -> int:
        return len(getattr(self, name))

    @property
    def rated(self) -> bool:
        """Whether the population is large enough for a rate."""
        return self.min_population is not None and self.units_sold >= self.min_population > 0

    def rate(self, name: str) -> float | None:
        return round(1000.0 * self.count(name) / self.units_sold, 2) if self.rated else None

    def mismatches(self, stated: PsurFigures) -> list[tuple[str, int, int]]:
        """(field, stated, records) for each stated count the records do not give."""
        return [(name, getattr(stated, name), self.count(name)) for name, _ in COUNTS
                if getattr(stated, name) != self.count(name)]


def _in(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start <= day <= end


def _units(shipments: list[Any]) -> int | float:
    total = sum(len(s.units) for s in shipments) + sum(c.quantity for s in shipments for c in s.lots)
    return int(total) if float(total).is_integer() else total


def _quarters(start: dt.date, end: dt.date, days: list[dt.date]) -> tuple[tuple[str, int], ...]:
    out: dict[str, int] = {}
    day = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while day <= end:
        out[f"{day.year}-Q{(day.month - 1) // 3 + 1}"] = 0
        day = dt.date(day.year + (day.month + 3 > 12), (day.month + 2) % 12 + 1, 1)
    for d in days:
        out[f"{d.year}-Q{(d.month - 1) // 3 + 1}"] += 1
    return tuple(out.items())


def psur_facts(records: RecordSet, start: dt.date, end: dt.date, plan: PmsPlan | None = None) -> PsurFacts:
    pm = once(analyse_postmarket, records)
    received = {c.id: c.received for c in records.of_type(Complaint)}
    complaints = tuple(c.id for c in pm.complaints if _in(received[c.id], start, end))
    serious = tuple(c.id for c in pm.complaints if c.serious and _in(received[c.id], start, end))
    ncs = tuple(n.id for n in pm.nonconformances if _in(n.detected, start, end))
    capas = tuple(c.id for c in pm.capas if _in(getattr(records.get(c.id), "opened", None), start, end))
    shipped = [s for s in records.of_type(Shipment) if s.shipped is not None]
    in_period = sorted((s for s in shipped if _in(s.shipped, start, end)), key=lambda s: s.id)
    facts = PsurFacts(start, end, complaints, serious, ncs, capas, _units(in_period),
                      _units([s for s in shipped if s.shipped is not None and s.shipped <= end]),
                      tuple(s.id for s in in_period),
                      plan.min_population if plan is not None else None,
                      _quarters(start, end, [received[c] for c in complaints]), ())
    results = []
    for ind in (plan.indicators if plan is not None else ()):
        if ind.measure in RATE_MEASURES:
            value = facts.rate(RATE_MEASURES[ind.measure])
        elif ind.measure in COUNT_MEASURES:
            value = float(facts.count(COUNT_MEASURES[ind.measure]))
        elif ind.measure == "trend":
            value = float(max((n for _, n in facts.by_quarter), default=0))
        else:
            value = None
        results.append(IndicatorResult(ind.name, ind.measure, ind.threshold, value,
                                       None if value is None else value > ind.threshold, ind.action))
    return PsurFacts(**{**facts.__dict__, "indicators": tuple(results)})


def plan_of(records: RecordSet, psur: Psur) -> PmsPlan | None:
    return records.get_as(psur.plan, PmsPlan)


def psur_facts_of(records: RecordSet, psur: Psur) -> PsurFacts:
    return psur_facts(records, psur.period_start, psur.period_end, plan_of(records, psur))


def market_date(records: RecordSet) -> dt.date | None:
    """When the device was first placed on the market: qms.yaml's device.placed_on_market, else the first
    shipment's date; None while it is not on the market (post-market obligations start then)."""
    config = records.config
    stated = config.device.placed_on_market if config is not None else None
    if stated is not None:
        return stated
    return min((s.shipped for s in records.of_type(Shipment) if s.shipped is not None), default=None)


def approved_plans(records: RecordSet) -> list[PmsPlan]:
    return sorted((p for p in records.of_type(PmsPlan) if p.status == "approved"), key=lambda p: p.id)
