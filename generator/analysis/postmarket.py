"""Production and post-production information against the risk file (ISO 14971:2019 clauses 9 c and 10).

`analyse_postmarket(records)` gathers what production and use have taught since the risk analysis —
complaints (their harms, reportability and vigilance reports), nonconformances, CAPAs and the FMEA's
open high-priority actions — and decides, for each, whether it still has to be reflected in the risk
file (10.4: information relevant to safety reopens the risk assessment).

What bears on the risk file, and when it counts as reflected:
- a complaint that is a serious incident (its event class or patient outcome says so) or that was
  decided reportable; it is reflected once a change control, approved or later, names it in `affected`,
  re-assessed risk records (`risk_reviewed`) covering every hazard, situation and FMEA line the
  complaint names in `risk_file`, and was approved on or after the day the manufacturer became aware
  of it (a review before the event cannot have weighed it);
- an FMEA line of action priority H; it is reflected once its action is done, it is re-rated out of H
  and it is closed.
A closed complaint still bears on the risk file until a review names it: closing an investigation is
not re-assessing the probability of the hazardous situation it realised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model.events import (
    APPROVED_OR_LATER,
    Capa,
    CapaAction,
    ChangeControl,
    Complaint,
    Nonconformance,
    VigilanceReport,
)
from ..model.risk import HazardousSituation
from ..recordset import RecordSet
from . import once
from .fmea import FmeaRow, analyse_fmea
from .vigilance import clock_start

# Vigilance classes and patient outcomes that make a complaint a serious incident (EU MDR Art. 2(65)).
SERIOUS_CLASSES = ("serious_public_health_threat", "death_or_serious_deterioration", "other_serious_incident")
SERIOUS_OUTCOMES = ("serious_injury", "death")
CLOSED_CAPA = ("closed", "cancelled")


@dataclass(frozen=True)
class ComplaintInfo:
    id: str
    title: str
    status: str
    aware: dt.date  # the day the clocks start: awareness, else receipt
    patient_impact: str | None
    event_class: str | None
    reportable: bool | None
    reports: tuple[VigilanceReport, ...]  # reports made to authorities
    capa: str | None
    risk_file: tuple[str, ...]  # the risk records the complaint names
    harms: tuple[str, ...]  # the harms of the hazardous situations it names
    reviewed_by: tuple[str, ...]  # change controls that re-assessed the risk file against it

    @property
    def serious(self) -> bool:
        return self.event_class in SERIOUS_CLASSES or self.patient_impact in SERIOUS_OUTCOMES

    @property
    def bears_on_risk(self) -> bool:
        return self.serious or self.reportable is True

    @property
    def pending(self) -> bool:
        """Bears on the risk file and no review has weighed it yet."""
        return self.bears_on_risk and not self.reviewed_by


@dataclass(frozen=True)
class NcInfo:
    id: str
    title: str
    status: str
    source: str
    detected: dt.date
    capas: tuple[str, ...]


@dataclass(frozen=True)
class CapaInfo:
    id: str
    title: str
    status: str
    due: dt.date | None
    sources: tuple[str, ...]
    open_actions: tuple[CapaAction, ...]
    risk_records: tuple[str, ...]  # its own risk links, those its source complaints name, changes naming it reviewed

    @property
    def open(self) -> bool:
        return self.status not in CLOSED_CAPA


@dataclass(frozen=True)
class Pending:
    """One record the risk file has not yet been reviewed against, and why it matters."""

    id: str
    reason: str


@dataclass(frozen=True)
class PostMarketResult:
    complaints: list[ComplaintInfo]
    nonconformances: list[NcInfo]
    capas: list[CapaInfo]
    fmea_high: list[FmeaRow]  # lines first rated action priority H
    fmea_pending: list[FmeaRow]  # of those, the ones whose action is not yet done, re-rated out of H and closed
    fmea_actions: list[FmeaRow]  # lines with a recommended action not yet done, any priority
    reviews: list[str]  # change controls, approved or later, that re-assessed risk records

    @property
    def pending(self) -> list[Pending]:
        """What the risk file has not been reviewed against, complaints first, in ID order."""
        out = [Pending(c.id, "serious incident" if c.serious else "reportable complaint")
               for c in self.complaints if c.pending]
        out += [Pending(r.id, f"open action priority H line, RPN {r.rpn}") for r in self.fmea_pending]
        return out

    @property
    def risk_capas(self) -> list[CapaInfo]:
        """Open CAPAs that touch the risk file."""
        return [c for c in self.capas if c.open and c.risk_records]


def fmea_reflected(row: FmeaRow) -> bool:
    """An action priority H line is reflected when its action is done, it is re-rated out of H and closed."""
    return (row.status == "closed" and row.action_done is not None and row.re_rated
            and row.action_priority_after != "H")


def _reviews(records: RecordSet) -> list[ChangeControl]:
    return [c for c in records.of_type(ChangeControl)
            if c.status in APPROVED_OR_LATER and c.risk_reviewed]


def _reviewed_by(complaint: Complaint, reviews: list[ChangeControl]) -> tuple[str, ...]:
    named = {r.id for r in complaint.risk_file}
    aware = clock_start(complaint)
    return tuple(c.id for c in reviews
                 if any(a.id == complaint.id for a in c.affected)
                 and named <= {r.id for r in c.risk_reviewed}
                 and c.approved is not None and c.approved >= aware)


def _harms(records: RecordSet, ids: tuple[str, ...]) -> tuple[str, ...]:
    harms: dict[str, None] = {}
    for rid in ids:
        situation = records.get(rid)
        if isinstance(situation, HazardousSituation):
            harms.update(dict.fromkeys(h.id for h in situation.harms))
    return tuple(harms)


def analyse_postmarket(records: RecordSet) -> PostMarketResult:
    reviews = _reviews(records)
    complaints = []
    for c in records.of_type(Complaint):
        risk_file = tuple(r.id for r in c.risk_file)
        complaints.append(ComplaintInfo(
            c.id, c.title, c.status, clock_start(c), c.patient_impact, c.event_class, c.reportable,
            tuple(c.reports), c.capa.id if c.capa else None, risk_file,
            _harms(records, risk_file), _reviewed_by(c, reviews)))
    by_complaint = {c.id: c for c in complaints}

    capas = []
    raised_by: dict[str, list[str]] = {}
    for capa in records.of_type(Capa):
        sources = tuple(s.id for s in capa.sources)
        for s in sources:
            raised_by.setdefault(s, []).append(capa.id)
        risk: dict[str, None] = dict.fromkeys(r.id for r in capa.risk.links) if capa.risk else {}
        for s in sources:
            if s in by_complaint:
                risk.update(dict.fromkeys(by_complaint[s].risk_file))
        for change in reviews:
            if any(a.id == capa.id for a in change.affected):
                risk.update(dict.fromkeys(r.id for r in change.risk_reviewed))
        capas.append(CapaInfo(capa.id, capa.title, capa.status, capa.due, sources,
                              tuple(a for a in capa.actions if a.status == "open"), tuple(risk)))

    ncs = [NcInfo(n.id, n.title, n.status, n.source, n.detected, tuple(raised_by.get(n.id, ())))
           for n in records.of_type(Nonconformance)]

    fmea = once(analyse_fmea, records)
    high = [r for r in fmea.rows if r.action_priority == "H"]
    actions = [r for r in fmea.rows if r.recommended_action and r.action_done is None and r.status != "closed"]
    return PostMarketResult(complaints, ncs, capas, high, [r for r in high if not fmea_reflected(r)], actions,
                            [c.id for c in reviews])
