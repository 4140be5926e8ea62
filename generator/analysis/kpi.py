"""Quality KPIs for the management review input (ISO 13485 5.6.2, 8.4).

`kpis(records, as_of, period)` computes, for one period:

- **CAPA on-time rate**: CAPAs closed in the period (not cancelled) whose `closed <= due`, over all
  CAPAs closed in the period, in percent. A CAPA closed without a `due` date cannot be shown on
  time: it counts in the denominator only.
- **CAPA cycle time**: median of `closed - opened` in days over the CAPAs closed in the period that
  have an `opened` date.
- **Open CAPAs by age**: CAPAs not cancelled, opened on or before `as_of` and not closed by `as_of`
  (no `closed`, or `closed > as_of`), banded by `as_of - opened` in days: 0-30, 31-90, 91-180, >180.
  A state at `as_of`, not bound to the period.
- **NCs by source and by supplier**: nonconformances (not cancelled) detected in the period, counted
  by `source` and by `supplier` (those without a supplier are counted apart).
- **Complaint rate per 1,000 units shipped**: complaints received in the period, over the units in
  shipments whose `shipped` date falls in the period (each serial unit listed on such a shipment,
  plus the non-serialised lot quantities of its `lots`), times 1000. None when nothing shipped.
- **First-pass yield by production line**: over finished lots manufactured in the period that give
  both `units_started` (> 0 in total) and `units_passed_first`, sum(passed first) / sum(started) in
  percent, per `production_line` (lots without one under "(no line)"). All statuses count: a
  rejected lot's yield is still yield.
- **Overdue vigilance reports**: complaints received on or before `as_of` with `reportable: true`
  and no report with a `submitted` date on or before `as_of`. A simple count at `as_of`; the exact
  reporting clocks are the vigilance analysis's job.

Periods: `2026` (year), `2026-Q3` (quarter), `2026-07` (month). The default is the last complete
quarter before `as_of`: the latest quarter whose last day is before `as_of`. Dates after `as_of`
never count (a period still running at `as_of` is marked incomplete). Percentages, rates and
medians are rounded to 2 decimals. The trend covers the selected period and the three before it,
of the same length.

Each KPI names the record IDs it was computed from (`sources`).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.events import Nonconformance
from ..model.labels import label as label_of

if TYPE_CHECKING:
    from ..recordset import RecordSet

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30), ("31-90", 31, 90), ("91-180", 91, 180), (">180", 181, None),
)
NO_LINE = "(no line)"
TREND_PERIODS = 4

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:[Qq](?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])))?$")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # inclusive
    unit: str  # year | quarter | month

    def contains(self, day: dt.date | None, as_of: dt.date) -> bool:
        return day is not None and self.start <= day <= min(self.end, as_of)

    def previous(self) -> Period:
        return _period_at(self.start - dt.timedelta(days=1), self.unit)


def _period_at(day: dt.date, unit: str) -> Period:
    if unit == "year":
        return Period(str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), unit)
    if unit == "quarter":
        q = (day.month - 1) // 3 + 1
        start = dt.date(day.year, 3 * q - 2, 1)
        return Period(f"{day.year}-Q{q}", start, _month_end(day.year, 3 * q), unit)
    return Period(f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1), _month_end(day.year, day.month),
                  unit)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """`2026`, `2026-Q3` or `2026-07`; ValueError with a clear message otherwise."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a period: use YYYY, YYYY-Qn (n = 1-4) or YYYY-MM")
    year = int(match["year"])
    if match["q"]:
        return _period_at(dt.date(year, 3 * int(match["q"]) - 2, 1), "quarter")
    if match["m"]:
        return _period_at(dt.date(year, int(match["m"]), 1), "month")
    return _period_at(dt.date(year, 1, 1), "year")


def default_period(as_of: dt.date) -> Period:
    """The last complete quarter before `as_of`: the latest quarter ending before that day."""
    return _period_at(as_of, "quarter").previous()


@dataclass
class Kpi:
    """One KPI: a table (header + rows) for people, `data` for machines, and the records behind it."""

    name: str
    title: str
    definition: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    data: dict[str, Any]
    sources: list[str]

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "definition": self.definition, **self.data, "sources": self.sources}


@dataclass
class TrendPoint:
    period: str
    capa_closed: int
    capa_on_time: int
    capa_on_time_percent: float | None
    nc_count: int

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class KpiResult:
    as_of: dt.date
    period: Period
    kpis: list[Kpi]
    trend: list[TrendPoint] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.period.end < self.as_of

    def kpi(self, name: str) -> Kpi:
        return next(k for k in self.kpis if k.name == name)

    @property
    def sources(self) -> list[str]:
        return sorted({s for k in self.kpis for s in k.sources})

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "period": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "complete": self.complete,
            "kpis": {k.name: k.as_json() for k in self.kpis},
            "trend": [t.as_json() for t in self.trend],
            "sources": self.sources,
        }


def _pct(num: float, den: float) -> float | None:
    return None if not den else round(100.0 * num / den, 2)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _capas_closed(records: RecordSet, period: Period, as_of: dt.date) -> list[Any]:
    return [c for c in records.of_kind("capa") if not c.retired and period.contains(c.closed, as_of)]


def _ncs(records: RecordSet, period: Period, as_of: dt.date) -> list[Any]:
    return [n for n in records.of_kind("nonconformance") if not n.retired and period.contains(n.detected, as_of)]


def _on_time(capa: Any) -> bool:
    return capa.due is not None and capa.closed <= capa.due


def kpis(records: RecordSet, as_of: dt.date, period: Period | str | None = None) -> KpiResult:
    if period is None:
        period = default_period(as_of)
    elif isinstance(period, str):
        period = parse_period(period)
    out: list[Kpi] = []

    closed = _capas_closed(records, period, as_of)
    on_time = [c for c in closed if _on_time(c)]
    out.append(Kpi(
        "capa_on_time", "CAPA on-time closure",
        "CAPAs closed in the period with closed <= due, over CAPAs closed in the period (no due date: not on time)",
        ("CAPA", "Opened", "Due", "Closed", "On time"),
        [(c.id, c.opened, c.due, c.closed, "yes" if _on_time(c) else "no") for c in closed]
        + [("Rate %", "", "", f"{len(on_time)}/{len(closed)}", _pct(len(on_time), len(closed)))],
        {"closed": len(closed), "on_time": len(on_time), "rate_percent": _pct(len(on_time), len(closed))},
        [c.id for c in closed]))

    timed = [c for c in closed if c.opened is not None]
    days = [(c.closed - c.opened).days for c in timed]
    median = round(float(statistics.median(days)), 2) if days else None
    out.append(Kpi(
        "capa_cycle_time", "CAPA cycle time",
        "Median days from opened to closed, over CAPAs closed in the period",
        ("CAPA", "Opened", "Closed", "Days"),
        [(c.id, c.opened, c.closed, d) for c, d in zip(timed, days)] + [("Median", "", "", median)],
        {"count": len(timed), "median_days": None if median is None else _num(median)},
        [c.id for c in timed]))

    bands: dict[str, list[str]] = {label: [] for label, _, _ in AGE_BANDS}
    ages: dict[str, int] = {}
    for c in records.of_kind("capa"):
        opened = c.opened or c.created
        if c.retired or opened is None or opened > as_of or (c.closed is not None and c.closed <= as_of):
            continue
        age = (as_of - opened).days
        ages[c.id] = age
        for label, low, high in AGE_BANDS:
            if age >= low and (high is None or age <= high):
                bands[label].append(c.id)
                break
    out.append(Kpi(
        "open_capa_age", "Open CAPAs by age",
        "CAPAs open at as-of (not cancelled, not closed by then), by days since opened",
        ("Age band (days)", "Count", "CAPAs"),
        [(label, len(ids), ", ".join(f"{i} ({ages[i]} d)" for i in ids)) for label, ids in bands.items()],
        {"total": len(ages), "bands": {label: len(ids) for label, ids in bands.items()}, "ages": ages},
        sorted(ages)))

    ncs = _ncs(records, period, as_of)
    by_source: dict[str, list[str]] = {}
    for n in ncs:
        by_source.setdefault(n.source, []).append(n.id)
    by_source = dict(sorted(by_source.items()))
    out.append(Kpi(
        "nc_by_source", "Nonconformances by source",
        "Nonconformances (not cancelled) detected in the period, by source",
        ("Source", "Count", "NCs"),
        [(label_of(Nonconformance, "source", s), len(ids), ", ".join(ids)) for s, ids in by_source.items()]
        + [("Total", len(ncs), "")],
        {"total": len(ncs), "counts": {s: len(ids) for s, ids in by_source.items()}},
        [n.id for n in ncs]))

    by_supplier: dict[str, list[str]] = {}
    without = [n.id for n in ncs if n.supplier is None]
    for n in ncs:
        if n.supplier is not None:
            by_supplier.setdefault(str(n.supplier), []).append(n.id)
    by_supplier = dict(sorted(by_supplier.items()))
    out.append(Kpi(
        "nc_by_supplier", "Nonconformances by supplier",
        "Nonconformances detected in the period that name a supplier, by supplier",
        ("Supplier", "Count", "NCs"),
        [(f"{s} {getattr(records.get(s), 'title', '')}".strip(), len(ids), ", ".join(ids))
         for s, ids in by_supplier.items()]
        + [("(no supplier)", len(without), ", ".join(without))],
        {"counts": {s: len(ids) for s, ids in by_supplier.items()}, "without_supplier": len(without)},
        sorted({i for ids in by_supplier.values() for i in ids})))

    complaints = [c for c in records.of_kind("complaint") if period.contains(c.received, as_of)]
    shipments = [s for s in records.of_kind("shipment") if period.contains(s.shipped, as_of)]
    serial = sum(len(s.units) for s in shipments)
    lot_qty = _num(sum(c.quantity for s in shipments for c in s.lots))
    shipped = serial + lot_qty
    rate = None if not shipped else round(1000.0 * len(complaints) / shipped, 2)
    out.append(Kpi(
        "complaint_rate", "Complaint rate per 1,000 units shipped",
        "Complaints received in the period / units shipped in the period (serial units on shipments "
        "plus non-serialised lot quantities) x 1000",
        ("Item", "Value"),
        [("Complaints received", len(complaints)), ("Complaints", ", ".join(c.id for c in complaints)),
         ("Serial units shipped", serial), ("Lot quantities shipped", lot_qty), ("Units shipped", shipped),
         ("Shipments", ", ".join(s.id for s in shipments)), ("Per 1,000 units", rate)],
        {"complaints": len(complaints), "serial_units": serial, "lot_quantity": lot_qty, "units_shipped": shipped,
         "per_1000": None if rate is None else _num(rate)},
        sorted([c.id for c in complaints] + [s.id for s in shipments])))

    lines: dict[str, dict[str, Any]] = {}
    for lot in records.of_kind("lot"):
        if (lot.lot_type != "finished" or not period.contains(lot.manufactured, as_of)
                or lot.units_started is None or lot.units_passed_first is None):
            continue
        line = lines.setdefault(lot.production_line or NO_LINE, {"started": 0, "passed_first": 0, "lots": []})
        line["started"] += lot.units_started
        line["passed_first"] += lot.units_passed_first
        line["lots"].append(lot.id)
    lines = {k: {**v, "percent": _pct(v["passed_first"], v["started"])}
             for k, v in sorted(lines.items())}
    out.append(Kpi(
        "first_pass_yield", "First-pass yield by production line",
        "Sum of units passed first time / sum of units started, over finished lots manufactured in the period",
        ("Line", "Started", "Passed first", "FPY %", "Lots"),
        [(k, v["started"], v["passed_first"], v["percent"], ", ".join(v["lots"])) for k, v in lines.items()],
        {"lines": lines},
        sorted(i for v in lines.values() for i in v["lots"])))

    overdue = [c.id for c in records.of_kind("complaint")
               if c.reportable is True and c.received <= as_of
               and not any(r.submitted is not None and r.submitted <= as_of for r in c.reports)]
    out.append(Kpi(
        "overdue_vigilance", "Vigilance reports outstanding",
        "Complaints decided reportable with no report submitted by as-of (simple count, not the reporting clocks)",
        ("Item", "Value"),
        [("Outstanding", len(overdue)), ("Complaints", ", ".join(overdue))],
        {"count": len(overdue)},
        overdue))

    trend: list[TrendPoint] = []
    p = period
    for _ in range(TREND_PERIODS):
        done = _capas_closed(records, p, as_of)
        ok = sum(1 for c in done if _on_time(c))
        trend.append(TrendPoint(p.label, len(done), ok, _pct(ok, len(done)), len(_ncs(records, p, as_of))))
        p = p.previous()
    trend.reverse()
    return KpiResult(as_of, period, out, trend)
