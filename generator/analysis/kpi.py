"""Quality KPIs for the management review input (ISO 13485 5.6.2, 8.4).

`kpis(records, as_of, period)` computes, for one period:

- **CAPA on-time rate**: CAPAs closed in the period (not cancelled) whose `closed <= due`, over all
  CAPAs closed in the period, in percent. A CAPA closed without a `due` date cannot be shown on
  time: it counts in the denominator only. Computed only over at least `min_capas` CAPAs.
- **CAPA cycle time**: median of `closed - opened` in days over the CAPAs closed in the period that
  have an `opened` date.
- **Open CAPAs by age**: CAPAs not cancelled, opened on or before the end of the period and not
  closed by then, banded by age at the end of the period in days: 0-30, 31-90, 91-180, >180. CAPAs
  opened after the period (up to `as_of`) are listed apart (`after_period`), never in the bands.
- **NCs by source and by supplier**: nonconformances (not cancelled) detected in the period, counted
  by `source` and by `supplier` (those without a supplier are counted apart).
- **Complaint rate per 1,000 units shipped**: complaints received in the period, over the units in
  shipments whose `shipped` date falls in the period (each serial unit listed on such a shipment,
  plus the non-serialised lot quantities of its `lots`), times 1000. None when fewer than
  `min_units` units shipped: a rate over a handful of units says nothing.
- **First-pass yield by production line**: over finished lots manufactured in the period that give
  both `units_started` (> 0 in total) and `units_passed_first`, sum(passed first) / sum(started) in
  percent, per `production_line` (lots without one under "(no line)"). All statuses count: a
  rejected lot's yield is still yield. A line with fewer than `min_units` units started has no rate.
- **Outstanding vigilance reports**: complaints received by the end of the period with
  `reportable: true` and no report `submitted` by then. A state at the period's end; the reporting
  clocks, references and dates are in the review input's reporting section.

The minimums (`min_units`, `min_capas`) and the default period length come from the management
review policy in force (`policy: management_review`), else from that model's defaults, and the
result says which. A rate below its minimum is None in the data and reads "n/a — fewer than N …
(count)" for people.

Periods: `2026` (year), `2026-Q3` (quarter), `2026-07` (month). The default is the last complete
period of the policy's length (a quarter by default) before `as_of`. Dates after `as_of`
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

from ..model.events import Capa, Complaint, Nonconformance
from ..model.labels import label as label_of
from ..model.labels import status_label
from ..model.policy import ReviewPolicy
from ..model.production import Lot, Shipment
from .policies import in_force
from .tables import Rec

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


def default_period(as_of: dt.date, unit: str = "quarter") -> Period:
    """The last complete period of `unit` (year, quarter, month) before `as_of`."""
    return _period_at(as_of, unit).previous()


@dataclass(frozen=True)
class Minimums:
    """The smallest populations a rate is computed over, and where they come from."""

    units: int
    capas: int
    period: str  # the default period's length: year | quarter | month
    policy: str | None  # the management review policy in force; None: the model's defaults

    @classmethod
    def of(cls, records: RecordSet) -> Minimums:
        policy = in_force(records, ReviewPolicy)
        if policy is not None:
            return cls(policy.min_units, policy.min_capas, policy.period, policy.id)
        fields = ReviewPolicy.model_fields
        return cls(fields["min_units"].default, fields["min_capas"].default, fields["period"].default, None)

    @property
    def source(self) -> str:
        return (f"management review policy {self.policy}" if self.policy
                else "defaults: no management review policy (policy: management_review) is in force")

    def as_json(self) -> dict[str, Any]:
        return {"units": self.units, "capas": self.capas, "period": self.period, "policy": self.policy}


def gated(value: float | None, count: int | float, minimum: int, noun: str) -> str | float | None:
    """The rate for people: the value, or why there is none."""
    if count < minimum:
        return f"n/a — fewer than {minimum} {noun} ({_num(count)})"
    return value


@dataclass
class Kpi:
    """One KPI: a summary line and a table (header + rows, one per record) for people, `data` for machines,
    and the records behind it. An empty table is never shown: `summary` says what there is."""

    name: str
    title: str
    definition: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    data: dict[str, Any]
    sources: list[str]
    summary: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"title": self.title, "definition": self.definition, **self.data, "summary": self.summary,
                "sources": self.sources}


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
    minimums: Minimums
    trend: list[TrendPoint] = field(default_factory=list)
    inputs: list[Any] = field(default_factory=list)  # review.ReviewInput, the ISO 13485 5.6.2 inputs a) to l)

    @property
    def complete(self) -> bool:
        return self.period.end < self.as_of

    @property
    def cut(self) -> dt.date:
        """The day states are taken at: the period's end, or the as-of date inside a running period."""
        return min(self.period.end, self.as_of)

    def kpi(self, name: str) -> Kpi:
        return next(k for k in self.kpis if k.name == name)

    @property
    def sources(self) -> list[str]:
        return sorted({s for k in self.kpis for s in k.sources} | {s for i in self.inputs for s in i.sources})

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "period": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "complete": self.complete,
            "minimums": self.minimums.as_json(),
            "kpis": {k.name: k.as_json() for k in self.kpis},
            "trend": [t.as_json() for t in self.trend],
            "inputs": [i.as_json() for i in self.inputs],
            "sources": self.sources,
        }


def _pct(num: float, den: float) -> float | None:
    return None if not den else round(100.0 * num / den, 2)


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _capas_closed(records: RecordSet, period: Period, as_of: dt.date) -> list[Any]:
    return [c for c in records.of_type(Capa) if not c.retired and period.contains(c.closed, as_of)]


def _ncs(records: RecordSet, period: Period, as_of: dt.date) -> list[Any]:
    return [n for n in records.of_type(Nonconformance) if not n.retired and period.contains(n.detected, as_of)]


def _on_time(capa: Any) -> bool:
    return capa.due is not None and capa.closed <= capa.due


def _on_time_rate(closed: list[Any], minimum: int) -> float | None:
    return _pct(sum(1 for c in closed if _on_time(c)), len(closed)) if len(closed) >= minimum else None


def _band(age: int) -> str:
    return next(label for label, low, high in AGE_BANDS if age >= low and (high is None or age <= high))


def kpis(records: RecordSet, as_of: dt.date, period: Period | str | None = None) -> KpiResult:
    from .review import review_inputs  # the 5.6.2 inputs read this result's KPIs

    mins = Minimums.of(records)
    if period is None:
        period = default_period(as_of, mins.period)
    elif isinstance(period, str):
        period = parse_period(period)
    cut = min(period.end, as_of)
    out: list[Kpi] = []

    closed = _capas_closed(records, period, as_of)
    on_time = [c for c in closed if _on_time(c)]
    rate = _on_time_rate(closed, mins.capas)
    out.append(Kpi(
        "capa_on_time", "CAPA on-time closure",
        "CAPAs closed in the period with closed <= due, over CAPAs closed in the period (no due date: not on "
        f"time); computed over at least {mins.capas} CAPAs",
        ("CAPA", "Opened", "Due", "Closed", "On time"),
        [(Rec(c.id), c.opened, c.due, c.closed, "yes" if _on_time(c) else "no") for c in closed],
        {"closed": len(closed), "on_time": len(on_time), "rate_percent": rate, "minimum": mins.capas},
        [c.id for c in closed],
        (f"On time: {len(on_time)} of {len(closed)} CAPAs closed in the period; rate "
         f"{_shown(gated(rate, len(closed), mins.capas, 'CAPAs closed'), '%')}." if closed
         else "No CAPA was closed in the period: no on-time rate.")))

    timed = [c for c in closed if c.opened is not None]
    days = [(c.closed - c.opened).days for c in timed]
    median = round(float(statistics.median(days)), 2) if days else None
    out.append(Kpi(
        "capa_cycle_time", "CAPA cycle time",
        "Median days from opened to closed, over CAPAs closed in the period",
        ("CAPA", "Opened", "Closed", "Days"),
        [(Rec(c.id), c.opened, c.closed, d) for c, d in zip(timed, days)],
        {"count": len(timed), "median_days": None if median is None else _num(median)},
        [c.id for c in timed],
        f"Median {_num(median)} days over {len(timed)} CAPA(s)." if median is not None
        else "No CAPA with an opening date was closed in the period."))

    ages: dict[str, int] = {}
    opened_at: dict[str, Any] = {}
    after: list[str] = []
    for c in records.of_type(Capa):
        opened = c.opened or c.created
        if c.retired or opened is None or opened > as_of:
            continue
        if opened > cut:
            after.append(c.id)
        elif c.closed is None or c.closed > cut:
            ages[c.id] = (cut - opened).days
            opened_at[c.id] = (c, opened)
    bands = {label: [i for i in ages if _band(ages[i]) == label] for label, _, _ in AGE_BANDS}
    out.append(Kpi(
        "open_capa_age", "Open CAPAs by age",
        f"CAPAs open at the end of the period ({cut.isoformat()}: not cancelled, not closed by then), by days "
        "since opened",
        ("CAPA", "Opened", "Age (days)", "Age band", "Status at as-of"),
        [(Rec(i), opened_at[i][1], ages[i], _band(ages[i]), status_label(opened_at[i][0].status))
         for i in sorted(ages, key=lambda i: (-ages[i], i))],
        {"total": len(ages), "bands": {label: len(ids) for label, ids in bands.items()}, "ages": ages,
         "at": cut.isoformat(), "after_period": sorted(after)},
        sorted(ages),
        f"{len(ages)} CAPA(s) open on {cut.isoformat()}: "
        + ", ".join(f"{label} days {len(ids)}" for label, ids in bands.items()) + "."))

    ncs = _ncs(records, period, as_of)
    by_source: dict[str, list[str]] = {}
    for n in ncs:
        by_source.setdefault(n.source, []).append(n.id)
    by_source = dict(sorted(by_source.items()))
    out.append(Kpi(
        "nc_by_source", "Nonconformances by source",
        "Nonconformances (not cancelled) detected in the period, by source",
        ("Source", "Count", "NCs"),
        [(label_of(Nonconformance, "source", s), len(ids), tuple(Rec(i) for i in ids)) for s, ids in by_source.items()],
        {"total": len(ncs), "counts": {s: len(ids) for s, ids in by_source.items()}},
        [n.id for n in ncs],
        f"{len(ncs)} nonconformance(s) detected in the period."))

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
        [(Rec(s), len(ids), tuple(Rec(i) for i in ids)) for s, ids in by_supplier.items()],
        {"counts": {s: len(ids) for s, ids in by_supplier.items()}, "without_supplier": len(without)},
        sorted({i for ids in by_supplier.values() for i in ids}),
        f"{sum(map(len, by_supplier.values()))} name a supplier; {len(without)} name none."))

    complaints = [c for c in records.of_type(Complaint) if period.contains(c.received, as_of)]
    shipments = [s for s in records.of_type(Shipment) if period.contains(s.shipped, as_of)]
    serial = sum(len(s.units) for s in shipments)
    lot_qty = _num(sum(c.quantity for s in shipments for c in s.lots))
    shipped = serial + lot_qty
    per_1000 = round(1000.0 * len(complaints) / shipped, 2) if shipped and shipped >= mins.units else None
    shown = gated(per_1000, shipped, mins.units, "units shipped")
    out.append(Kpi(
        "complaint_rate", "Complaint rate per 1,000 units shipped",
        "Complaints received in the period / units shipped in the period (serial units on shipments "
        f"plus non-serialised lot quantities) x 1000; computed over at least {mins.units} units shipped",
        ("Shipment", "Shipped", "Serial units", "Lot quantity"),
        [(Rec(s.id), s.shipped, len(s.units), _num(sum(c.quantity for c in s.lots))) for s in shipments],
        {"complaints": len(complaints), "serial_units": serial, "lot_quantity": lot_qty, "units_shipped": shipped,
         "per_1000": None if per_1000 is None else _num(per_1000), "minimum": mins.units},
        sorted([c.id for c in complaints] + [s.id for s in shipments]),
        f"{len(complaints)} complaint(s) received, {_num(shipped)} units shipped ({serial} serial units, "
        f"{lot_qty} in lots): per 1,000 units {_shown(shown, '')}."))

    lines: dict[str, dict[str, Any]] = {}
    for lot in records.of_type(Lot):
        if (lot.lot_type != "finished" or not period.contains(lot.manufactured, as_of)
                or lot.units_started is None or lot.units_passed_first is None):
            continue
        line = lines.setdefault(lot.production_line or NO_LINE, {"started": 0, "passed_first": 0, "lots": []})
        line["started"] += lot.units_started
        line["passed_first"] += lot.units_passed_first
        line["lots"].append(lot.id)
    lines = {k: {**v, "percent": _pct(v["passed_first"], v["started"]) if v["started"] >= mins.units else None}
             for k, v in sorted(lines.items())}
    out.append(Kpi(
        "first_pass_yield", "First-pass yield by production line",
        "Sum of units passed first time / sum of units started, over finished lots manufactured in the period; "
        f"computed for a line with at least {mins.units} units started",
        ("Line", "Started", "Passed first", "FPY %", "Lots"),
        [(k, v["started"], v["passed_first"], gated(v["percent"], v["started"], mins.units, "units started"),
          tuple(Rec(i) for i in v["lots"])) for k, v in lines.items()],
        {"lines": lines, "minimum": mins.units},
        sorted(i for v in lines.values() for i in v["lots"]),
        f"{len(lines)} line(s) with finished lots manufactured in the period." if lines
        else "No finished lot with unit counts was manufactured in the period."))

    outstanding = [c for c in records.of_type(Complaint)
                   if c.reportable is True and c.received <= cut
                   and not any(r.submitted is not None and r.submitted <= cut for r in c.reports)]
    out.append(Kpi(
        "overdue_vigilance", "Vigilance reports outstanding",
        f"Complaints received by the end of the period decided reportable with no report submitted by then "
        f"({cut.isoformat()}); the clocks and reports are under reporting to regulatory authorities",
        ("Complaint", "Received", "Authorities reported to by as-of"),
        [(Rec(c.id), c.received, ", ".join(sorted({r.authority for r in c.reports if r.submitted
                                                    and r.submitted <= as_of})) or "none")
         for c in outstanding],
        {"count": len(outstanding), "at": cut.isoformat()},
        [c.id for c in outstanding],
        f"{len(outstanding)} reportable complaint(s) without a report at {cut.isoformat()}."))

    trend: list[TrendPoint] = []
    p = period
    for _ in range(TREND_PERIODS):
        done = _capas_closed(records, p, as_of)
        ok = sum(1 for c in done if _on_time(c))
        trend.append(TrendPoint(p.label, len(done), ok, _on_time_rate(done, mins.capas), len(_ncs(records, p, as_of))))
        p = p.previous()
    trend.reverse()
    result = KpiResult(as_of, period, out, mins, trend)
    result.inputs = review_inputs(records, result)
    return result


def _shown(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    return f"{_num(value):g}{unit}" if isinstance(value, float) else f"{value}{unit}"
