"""Cold chain: mean kinetic temperature and excursions from a temperature-logger export (USP <1079>).

Mean kinetic temperature (Haynes 1971; USP <1160>, <1079.2>) is the single temperature that would
cause the same total degradation as the recorded ones, for a reaction with activation energy ΔH:

    MKT = (ΔH/R) / −ln( Σ wᵢ·exp(−ΔH/(R·Tᵢ)) / Σ wᵢ )        (Tᵢ in kelvin)

Constants are those USP states: ΔH = 83.144 kJ/mol unless the product's own is known, and
R = 8.3144 × 10⁻³ kJ/(mol·K), so that the default ΔH/R is exactly 10,000 K. (CODATA's R of
8.3144598 J/(mol·K) would move an MKT near room temperature by less than 0.001 °C.)

Weights. A logger reading stands for the time until the next reading: reading i carries
wᵢ = tᵢ₊₁ − tᵢ, and the last reading carries one logging interval (the median spacing). When every
spacing is equal, all weights are equal and the formula is USP's equal-interval one, Σ/n, exactly;
when they are not (a missed reading, a logger paused, a changed rate), each reading counts for the
time it covers, so a gap does not make the readings around it count less or more than their time.
The mean reported beside the MKT uses the same weights, so MKT ≥ mean always holds (Jensen).

Excursions use the same model: a run of readings outside LOW..HIGH (the limits themselves are
inside) starts at its first reading and ends when the next reading is taken, so a single reading out
of range counts as one logging interval. High and low excursions are reported separately, each with
its peak (the highest, or lowest, reading). Spacings of 1.5 logging intervals or more are reported as
gaps: across a gap the last reading before it is assumed to have held.

Reading the export: CSV (comma, semicolon or tab separated; decimal commas accepted) or xlsx. The
header row is found by its names, after any preamble lines: the timestamp column is one named like
time, timestamp, date/time (or separate Date and Time columns), the temperature column one named like
temp, temperature, °C; either can be named explicitly. A timestamp or temperature that cannot be read
is an error at its cell (`file:line`, `book.xlsx[Sheet]!B14`), and so is a timestamp that is not later
than the one before it; nothing is skipped silently.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..findings import Location, QmsError
from ..load.loggers import KELVIN, ColdChainError, LoggerExport, Reading
from ..model.production import TemperatureLog
from ..model.supply import Material
from ..recordset import RecordSet

DEFAULT_ACTIVATION_ENERGY = 83.144  # kJ/mol, USP <1160> / <1079.2>
GAS_CONSTANT = 8.3144e-3  # kJ/(mol·K), as USP states it
GAP_FACTOR = 1.5  # a spacing this many logging intervals or more is a gap


# --------------------------------------------------------------------------------------------------
# The calculation


def mean_kinetic_temperature(celsius: Sequence[float], weights: Sequence[float] | None = None,
                             activation_energy_kj_mol: float = DEFAULT_ACTIVATION_ENERGY,
                             gas_constant: float = GAS_CONSTANT) -> float:
    """MKT in °C of temperatures in °C, each weighted by the time it stands for (equal when `weights` is None)."""
    values = [float(c) for c in celsius]
    if not values:
        raise ValueError("no temperatures")
    if any(not math.isfinite(c) or c <= -KELVIN for c in values):
        raise ValueError("temperatures must be finite and above absolute zero")
    if activation_energy_kj_mol <= 0 or gas_constant <= 0:
        raise ValueError("the activation energy and the gas constant must be positive")
    w = [1.0] * len(values) if weights is None else [float(x) for x in weights]
    if len(w) != len(values) or any(not math.isfinite(x) or x < 0 for x in w) or not math.fsum(w) > 0:
        raise ValueError("one non-negative weight per temperature, not all zero")
    if min(values) == max(values):
        return values[0]  # a constant temperature is its own MKT, without round-off
    k = activation_energy_kj_mol / gas_constant  # ΔH/R in kelvin
    exponents = [-k / (c + KELVIN) for c in values]
    top = max(exponents)  # factored out so that no term underflows
    average = math.fsum(wi * math.exp(x - top) for wi, x in zip(w, exponents)) / math.fsum(w)
    return k / -(top + math.log(average)) - KELVIN


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Excursion:
    kind: str  # "high" or "low"
    start: dt.datetime  # first reading out of range
    end: dt.datetime  # next reading (back in range), or the last reading plus one interval
    peak: float
    readings: int
    location: Location  # the temperature cell of the first reading out of range

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    def as_json(self) -> dict[str, Any]:
        minutes = self.duration.total_seconds() / 60
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "duration_minutes": round(minutes, 3),
            "duration_hours": round(minutes / 60, 4),
            "peak": self.peak,
            "readings": self.readings,
            "location": str(self.location),
        }


@dataclass(frozen=True)
class Gap:
    start: dt.datetime
    end: dt.datetime
    location: Location  # of the reading after the gap

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "duration_minutes": round((self.end - self.start).total_seconds() / 60, 3),
                "location": str(self.location)}


@dataclass(frozen=True)
class ColdChainResult:
    file: str
    readings: int
    first: dt.datetime
    last: dt.datetime
    interval: dt.timedelta  # the logging interval: median spacing (zero for a single reading)
    weighting: str  # "equal" or "time"
    activation_energy_kj_mol: float
    mkt_c: float
    min: float
    max: float
    mean: float
    low: float | None
    high: float | None
    excursions: tuple[Excursion, ...] = ()
    gaps: tuple[Gap, ...] = field(default=())

    @property
    def time_out_of_range(self) -> dt.timedelta:
        return sum((e.duration for e in self.excursions), dt.timedelta(0))

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "mkt_c": round(self.mkt_c, 3),
            "min": self.min,
            "max": self.max,
            "mean": round(self.mean, 3),
            "excursions": [e.as_json() for e in self.excursions],
            "range": None if self.low is None and self.high is None else {"low": self.low, "high": self.high},
            "time_out_of_range_hours": round(self.time_out_of_range.total_seconds() / 3600, 4),
            "readings": self.readings,
            "start": self.first.isoformat(),
            "end": self.last.isoformat(),
            "interval_minutes": round(self.interval.total_seconds() / 60, 3),
            "weighting": self.weighting,
            "activation_energy_kj_mol": self.activation_energy_kj_mol,
            "gas_constant_j_mol_k": round(GAS_CONSTANT * 1000, 6),
            "gaps": [g.as_json() for g in self.gaps],
        }


def analyse(export: LoggerExport, low: float | None = None, high: float | None = None,
            activation_energy_kj_mol: float = DEFAULT_ACTIVATION_ENERGY) -> ColdChainResult:
    """MKT, min, max, mean, excursions outside [low, high] and gaps of one logger export."""
    readings = export.readings
    if not readings:
        raise ColdChainError(Location(export.file, sheet=export.sheet), "the export holds no readings")
    if low is not None and high is not None and low > high:
        raise QmsError(f"the range {low}:{high} is empty: LOW is above HIGH")
    times = [r.time for r in readings]
    values = [r.celsius for r in readings]
    spacings = [b - a for a, b in zip(times, times[1:])]
    interval = statistics.median_low(spacings) if spacings else dt.timedelta(0)
    equal = len(set(spacings)) <= 1
    spans = [*spacings, interval]  # the time each reading stands for
    weights = None if equal else [s.total_seconds() for s in spans]
    if weights is not None and not math.fsum(weights) > 0:
        weights = None
    mkt = mean_kinetic_temperature(values, weights, activation_energy_kj_mol)
    if weights is None:
        mean = math.fsum(values) / len(values)
    else:
        mean = math.fsum(w * v for w, v in zip(weights, values)) / math.fsum(weights)
    mean = min(max(mean, min(values)), max(values))  # never outside the readings by round-off
    gaps = tuple(Gap(times[i], times[i + 1], readings[i + 1].location)
                 for i, s in enumerate(spacings) if interval and s >= interval * GAP_FACTOR)
    return ColdChainResult(
        file=export.file, readings=len(readings), first=times[0], last=times[-1], interval=interval,
        weighting="equal" if weights is None else "time", activation_energy_kj_mol=activation_energy_kj_mol,
        mkt_c=mkt, min=min(values), max=max(values), mean=mean, low=low, high=high,
        excursions=tuple(_excursions(readings, spans, low, high)), gaps=gaps,
    )


def _excursions(readings: Sequence[Reading], spans: Sequence[dt.timedelta], low: float | None,
                high: float | None) -> Iterator[Excursion]:
    def kind_of(c: float) -> str | None:
        if high is not None and c > high:
            return "high"
        if low is not None and c < low:
            return "low"
        return None

    i = 0
    while i < len(readings):
        kind = kind_of(readings[i].celsius)
        if kind is None:
            i += 1
            continue
        j = i
        while j + 1 < len(readings) and kind_of(readings[j + 1].celsius) == kind:
            j += 1
        run = [r.celsius for r in readings[i:j + 1]]
        yield Excursion(kind, readings[i].time, readings[j].time + spans[j],
                        max(run) if kind == "high" else min(run), j - i + 1, readings[i].value_location)
        i = j + 1


def _limits(records: RecordSet, log: TemperatureLog) -> tuple[Any, ...] | None:
    """The narrowest range, smallest allowance, lowest MKT limit and highest ΔH of the materials a log monitors."""
    materials = (records.get_as(ref, Material) for ref in log.materials)
    limits = [m.storage for m in materials if m is not None and m.storage]
    if not limits:
        return None
    low = max((s.min_c for s in limits if s.min_c is not None), default=None)
    high = min((s.max_c for s in limits if s.max_c is not None), default=None)
    allowance = min((s.excursion_allowance_hours or 0.0 for s in limits), default=0.0)
    mkt_limit = min((s.mkt_max_c for s in limits if s.mkt_max_c is not None), default=None)
    return low, high, allowance, mkt_limit, max(s.activation_energy_kj_mol for s in limits)


def _judged(records: RecordSet, log: TemperatureLog, export: LoggerExport) -> tuple[ColdChainResult, list[str]] | None:
    limits = _limits(records, log)
    if limits is None:
        return None
    low, high, allowance, mkt_limit, energy = limits
    result = analyse(export, low, high, energy)
    out = []
    hours = result.time_out_of_range.total_seconds() / 3600
    if result.excursions and hours > allowance:
        worst = max(result.excursions, key=lambda e: e.duration)
        out.append(f"{hours:.1f} h outside {result.low}..{result.high} °C, more than the {allowance:g} h "
                   f"allowed (longest from {worst.start:%Y-%m-%d %H:%M}, peak {worst.peak} °C)")
    if mkt_limit is not None and result.mkt_c > mkt_limit:
        out.append(f"mean kinetic temperature {result.mkt_c:.2f} °C above the {mkt_limit:g} °C limit")
    return result, out


def excursion_breaches(records: RecordSet, log: TemperatureLog, export: LoggerExport) -> list[str]:
    """What about a log goes beyond what its materials allow (QMS540 demands a deviation for it), or []."""
    judged = _judged(records, log, export)
    return judged[1] if judged else []


def deviation_raised(records: RecordSet, log_id: str) -> bool:
    """A live nonconformance names the log as its origin."""
    return any(link.role == "origin" and (nc := records.get(link.source)) is not None
               and nc.KIND == "nonconformance" and not nc.retired for link in records.links_to(log_id))


def deviation_needed(records: RecordSet, log: TemperatureLog, export: LoggerExport) -> tuple[dt.date, str] | None:
    """(day the first excursion began, what was breached) for a log that needs a deviation and has none."""
    judged = _judged(records, log, export)
    if not judged or not judged[1] or deviation_raised(records, log.id):
        return None
    result, breaches = judged
    first = min((e.start for e in result.excursions), default=None)
    day = first.date() if first is not None else (log.end.date() if log.end else None)
    return (day, "; ".join(breaches)) if day else None
