"""Supplier scorecard (ISO 13485:2016 7.4.1, 21 CFR 820.50(a)): quality, delivery and responsiveness.

Everything that parameterises the score comes from the supplier policy in force (`specs/policies`,
`policy: supplier`): the period (month, quarter or year), the weights, the grades and the
re-evaluation threshold. Receipts are placed in periods by their `received` date; only receipts
received on or before the as-of date count. Retired suppliers (disqualified, inactive) are not
scored; cancelled CAPAs and nonconformances do not count.

For one supplier and one period:

- **quality** = accepted lots / decided lots × 100, over the supplier's receipts in the period.
  A lot is decided by its incoming inspection's decision (`accept` / `reject`; the last
  inspection of the receipt by date, then ID); a receipt without an inspection decision is
  decided by its own status (`accepted`, or `rejected` / `returned`); receipts still
  `received` or in `quarantine` with no decision are left out.
- **ppm** = defects found / units inspected × 10^6, over the inspections (with a sample size and
  a defect count) of those receipts. Reported, not weighted.
- **delivery** = on-time receipts / receipts with a promised date × 100, on time meaning
  `received <= promised`.
- **responsiveness** = supplier CAPAs closed by their due date / supplier CAPAs due in the
  period × 100, counting CAPAs due on or before the as-of date; 100 when none is due. A supplier
  CAPA is one whose `sources` name the supplier, or name a nonconformance whose `supplier` is it.
- **score** = Σ weight × component / Σ weight, over the components that have data (quality and
  delivery have none when no lot was decided or no receipt had a promised date; the weights of
  the others are then renormalised). Score is 0-100.
- **grade** = the first policy grade (best first) whose `min_score` the score reaches.
- **reevaluate** = score < `reevaluate_below`.

A period row exists for each period with a receipt or a supplier CAPA due. A period is
*complete* when it ended before the as-of date. A supplier's *current* row, the one its
re-evaluation is judged on, is its latest complete period: a quarter still running is shown but
not judged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..model.events import Capa, Nonconformance
from ..model.policy import SupplierPolicy
from ..model.supply import Inspection, Receipt, Supplier
from ..recordset import RecordSet
from . import once
from .policies import in_force

ACCEPTED_STATUS = ("accepted",)
REJECTED_STATUS = ("rejected", "returned")
COMPONENTS = ("quality", "delivery", "responsiveness")


def period_of(day: dt.date, period: str) -> tuple[str, dt.date, dt.date]:
    """(label, first day, last day) of the month, quarter or year holding `day`."""
    if period == "month":
        start = day.replace(day=1)
        label = f"{day.year}-{day.month:02d}"
        months = 1
    elif period == "quarter":
        q = (day.month - 1) // 3
        start = dt.date(day.year, 3 * q + 1, 1)
        label = f"{day.year}-Q{q + 1}"
        months = 3
    elif period == "year":
        start = dt.date(day.year, 1, 1)
        label = str(day.year)
        months = 12
    else:
        raise ValueError(f"period '{period}' is not month, quarter or year")
    month = start.month - 1 + months
    end = dt.date(start.year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return label, start, end


def grade_for(policy: SupplierPolicy, score: float) -> str:
    for g in sorted(policy.grades, key=lambda g: -g.min_score):
        if score >= g.min_score:
            return g.grade
    return policy.grades[-1].grade


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else part * 100.0 / whole


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class PeriodScore:
    supplier: str
    period: str
    start: dt.date
    end: dt.date
    complete: bool
    receipts: list[str] = field(default_factory=list)
    lots_decided: int = 0
    lots_accepted: int = 0
    units_inspected: int = 0
    defects: int = 0
    promised: int = 0
    on_time: int = 0
    capas_due: list[str] = field(default_factory=list)
    capas_on_time: list[str] = field(default_factory=list)
    quality: float | None = None
    ppm: float | None = None
    delivery: float | None = None
    responsiveness: float = 100.0
    score: float = 0.0
    grade: str = ""
    reevaluate: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier, "period": self.period, "start": self.start.isoformat(),
            "end": self.end.isoformat(), "complete": self.complete, "receipts": len(self.receipts),
            "lots_decided": self.lots_decided, "lots_accepted": self.lots_accepted,
            "units_inspected": self.units_inspected, "defects": self.defects, "ppm": _r(self.ppm, 1),
            "promised": self.promised, "on_time": self.on_time,
            "capas_due": self.capas_due, "capas_on_time": self.capas_on_time,
            "quality": _r(self.quality), "delivery": _r(self.delivery), "responsiveness": _r(self.responsiveness),
            "score": _r(self.score), "grade": self.grade, "reevaluate": self.reevaluate,
        }


@dataclass
class SupplierScore:
    supplier: str
    title: str
    status: str
    criticality: str
    periods: list[PeriodScore]
    current: PeriodScore | None  # latest complete period

    @property
    def reevaluate(self) -> bool:
        return self.current is not None and self.current.reevaluate

    def as_json(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier, "title": self.title, "status": self.status,
            "criticality": self.criticality,
            "current_period": self.current.period if self.current else None,
            "score": _r(self.current.score) if self.current else None,
            "grade": self.current.grade if self.current else None,
            "reevaluate": self.reevaluate,
            "periods": [p.as_json() for p in self.periods],
        }


@dataclass
class Scorecard:
    as_of: dt.date
    policy: str | None
    period: str
    weights: dict[str, float]
    reevaluate_below: float | None
    suppliers: list[SupplierScore]

    @property
    def rows(self) -> list[PeriodScore]:
        return [p for s in self.suppliers for p in s.periods]

    def get(self, supplier_id: str) -> SupplierScore | None:
        return next((s for s in self.suppliers if s.supplier == supplier_id), None)

    @property
    def common_period(self) -> str:
        """The latest period complete at the as-of date: the one period every supplier is compared on."""
        _, start, _ = period_of(self.as_of, self.period)
        return period_of(start - dt.timedelta(days=1), self.period)[0]

    def in_common_period(self, s: SupplierScore) -> PeriodScore | None:
        """A supplier's row for the common period, None when it had no receipt and no CAPA due in it."""
        return next((p for p in s.periods if p.period == self.common_period), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(), "policy": self.policy, "period": self.period,
            "weights": self.weights, "reevaluate_below": self.reevaluate_below,
            "suppliers": [s.as_json() for s in self.suppliers],
        }


def supplier_capas(records: RecordSet) -> dict[str, list[Any]]:
    """Supplier ID → the CAPAs (not cancelled) raised against it, directly or through a nonconformance."""
    out: dict[str, list[Any]] = {}
    for capa in records.of_type(Capa):
        if capa.retired:
            continue
        named: set[str] = set()
        for ref in capa.sources:
            source = records.get(ref)
            if source is None or source.retired:
                continue
            if isinstance(source, Supplier):
                named.add(source.id)
            elif isinstance(source, Nonconformance) and source.supplier is not None:
                named.add(source.supplier.id)
        for supplier in sorted(named):
            out.setdefault(supplier, []).append(capa)
    return out


def lot_decision(records: RecordSet, receipt: Receipt) -> str | None:
    """"accept", "reject" or None (undecided) for a receipt; see the module docstring."""
    inspections = [i for i in inspections_by_receipt(records).get(receipt.id, []) if i.decision]
    if inspections:
        return inspections[-1].decision
    if receipt.status in ACCEPTED_STATUS:
        return "accept"
    if receipt.status in REJECTED_STATUS:
        return "reject"
    return None


def _index_inspections(records: RecordSet) -> dict[str, list[Inspection]]:
    out: dict[str, list[Inspection]] = {}
    for ins in records.of_type(Inspection):
        out.setdefault(ins.receipt.id, []).append(ins)
    for items in out.values():
        items.sort(key=lambda i: (i.inspected or dt.date.min, i.id))
    return out


def inspections_by_receipt(records: RecordSet) -> dict[str, list[Inspection]]:
    """Receipt ID → its inspections by date then ID."""
    return once(_index_inspections, records)


def compute_scorecard(records: RecordSet, as_of: dt.date) -> Scorecard:
    policy = in_force(records, SupplierPolicy)
    if policy is None:
        return Scorecard(as_of, None, "quarter", {}, None, [])
    given = {str(k): float(w) for k, w in policy.weights.items()}
    weights = {k: given.get(k, 0.0) for k in COMPONENTS}
    by_receipt = inspections_by_receipt(records)
    capas = supplier_capas(records)
    suppliers: list[SupplierScore] = []
    receipts_of: dict[str, list[Any]] = {}
    for receipt in records.of_type(Receipt):
        if receipt.received <= as_of:
            receipts_of.setdefault(receipt.supplier.id, []).append(receipt)
    for supplier in records.of_type(Supplier):
        if supplier.retired:
            continue
        rows: dict[str, PeriodScore] = {}

        def row(day: dt.date, sid: str = supplier.id, rows: dict[str, PeriodScore] = rows) -> PeriodScore:
            label, start, end = period_of(day, policy.period)
            if label not in rows:
                rows[label] = PeriodScore(sid, label, start, end, complete=end < as_of)
            return rows[label]

        for receipt in receipts_of.get(supplier.id, []):
            p = row(receipt.received)
            p.receipts.append(receipt.id)
            decision = lot_decision(records, receipt)
            if decision is not None:
                p.lots_decided += 1
                p.lots_accepted += decision == "accept"
            for ins in by_receipt.get(receipt.id, []):
                if ins.sample_size and ins.defects is not None:
                    p.units_inspected += ins.sample_size
                    p.defects += ins.defects
            if receipt.promised is not None:
                p.promised += 1
                p.on_time += receipt.received <= receipt.promised
        for capa in capas.get(supplier.id, []):
            if capa.due is None or capa.due > as_of:
                continue
            p = row(capa.due)
            p.capas_due.append(capa.id)
            if capa.closed is not None and capa.closed <= capa.due:
                p.capas_on_time.append(capa.id)
        periods = [rows[k] for k in sorted(rows, key=lambda k: rows[k].start)]
        for p in periods:
            p.quality = _pct(p.lots_accepted, p.lots_decided)
            p.ppm = None if not p.units_inspected else p.defects * 1e6 / p.units_inspected
            p.delivery = _pct(p.on_time, p.promised)
            # No CAPA fell due in the period: nothing was late.
            p.responsiveness = len(p.capas_on_time) * 100.0 / len(p.capas_due) if p.capas_due else 100.0
            parts = {"quality": p.quality, "delivery": p.delivery, "responsiveness": p.responsiveness}
            total = sum(weights[k] for k, v in parts.items() if v is not None)
            p.score = (sum(weights[k] * v for k, v in parts.items() if v is not None) / total) if total else 0.0
            p.grade = grade_for(policy, p.score)
            p.reevaluate = p.score < policy.reevaluate_below
        complete = [p for p in periods if p.complete]
        suppliers.append(SupplierScore(supplier.id, supplier.title, supplier.status, supplier.criticality,
                                       periods, complete[-1] if complete else None))
    return Scorecard(as_of, policy.id, policy.period, weights, policy.reevaluate_below, suppliers)


@cache
def _at(as_of: dt.date) -> Callable[[RecordSet], Scorecard]:
    def scorecard_at(records: RecordSet) -> Scorecard:
        return compute_scorecard(records, as_of)
    return scorecard_at


def scorecard(records: RecordSet, as_of: dt.date) -> Scorecard:
    """The scorecard as of a date, computed once per RecordSet and date (see `analysis.once`)."""
    return once(_at(as_of), records)


def undecided_reevaluations(records: RecordSet, as_of: dt.date) -> list[tuple[Any, PeriodScore]]:
    """(supplier record, its latest complete period) for each supplier whose scorecard calls for a re-evaluation
    that no decision recorded by `as_of` answers for that period (QMS512; a worklist obligation)."""
    out = []
    for score in scorecard(records, as_of).suppliers:
        current = score.current
        if current is None or not current.reevaluate:
            continue
        supplier = records.get_as(score.supplier, Supplier)
        if supplier is not None and not any(r.period == current.period and r.decided <= as_of for r in supplier.reevaluations):
            out.append((supplier, current))
    return out
