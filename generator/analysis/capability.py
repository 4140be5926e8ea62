"""Process capability: Cp, Cpk from the within-subgroup sigma, Pp, Ppk from the overall sigma.

The conventions are those of the statistical packages validation engineers check against (Montgomery,
"Introduction to Statistical Quality Control"; the R package qcc; ASTM E2281):

- sigma within, individuals (subgroup size 1): average moving range of consecutive values / d2(2);
- sigma within, subgroups of N: the values in order, N at a time; average range R-bar / d2(N);
- sigma overall: the sample standard deviation of all values (n - 1 in the denominator);
- Cp = (USL - LSL) / 6 sigma, Cpk = min(USL - mean, mean - LSL) / 3 sigma; Pp, Ppk the same with sigma
  overall. With one specification limit only, Cpk and Ppk come from that side and Cp, Pp do not exist.

d2 is read from `generator/data/d2_constants.csv`, which names its source.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .reference import read_reference_csv

D2_FILE = "d2_constants.csv"


class ConstantsTableError(ValueError):
    """The d2 data file is malformed: the message names the file and line."""


@dataclass(frozen=True)
class D2Table:
    source: str
    values: dict[int, float]  # subgroup size → d2

    def __call__(self, n: int) -> float:
        if n not in self.values:
            sizes = sorted(self.values)
            raise ValueError(f"subgroup size {n} is outside the d2 table ({sizes[0]} to {sizes[-1]})")
        return self.values[n]


def parse_d2(text: str, name: str = D2_FILE) -> D2Table:
    source, rows = read_reference_csv(text)
    if not source:
        raise ConstantsTableError(f"{name}: the table names no source (a '# source: ...' line)")
    if not rows or rows[0][1] != ["n", "d2"]:
        raise ConstantsTableError(f"{name}: the header must be n,d2")
    values: dict[int, float] = {}
    for number, cells in rows[1:]:
        try:
            n, d2 = int(cells[0]), float(cells[1])
        except (ValueError, IndexError):
            raise ConstantsTableError(f"{name}:{number}: expected a whole n and a number d2, got {cells}") from None
        if n != len(values) + 2 or not d2 > 0:
            raise ConstantsTableError(f"{name}:{number}: sizes must run 2, 3, 4 ... with positive d2")
        values[n] = d2
    if not values:
        raise ConstantsTableError(f"{name}: the table has no rows")
    return D2Table(source=source, values=values)


@lru_cache(maxsize=1)
def d2_table() -> D2Table:
    return parse_d2(resources.files("generator.data").joinpath(D2_FILE).read_text(encoding="utf-8"))


def d2(n: int) -> float:
    """The d2 constant for subgroups (or moving ranges) of n values."""
    return d2_table()(n)


@dataclass(frozen=True)
class Capability:
    n: int
    mean: float
    stdev_overall: float
    sigma_within: float
    sigma_within_method: str  # "average moving range / d2(2)" or "R-bar / d2(N)"
    subgroup_size: int
    subgroups: int  # subgroups of subgroup_size; for individuals, the number of moving ranges
    average_range: float  # R-bar, or the average moving range
    d2: float
    lsl: float | None
    usl: float | None
    cp: float | None
    cpk: float
    pp: float | None
    ppk: float
    below_lsl: int
    above_usl: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _indices(mean: float, sigma: float, lsl: float | None, usl: float | None) -> tuple[float | None, float]:
    """(Cp, Cpk) for one sigma; Cp only when both limits exist."""
    sides = []
    if lsl is not None:
        sides.append((mean - lsl) / (3 * sigma))
    if usl is not None:
        sides.append((usl - mean) / (3 * sigma))
    spread = (usl - lsl) / (6 * sigma) if lsl is not None and usl is not None else None
    return spread, min(sides)


def capability(values: Sequence[float], lsl: float | None, usl: float | None, subgroup_size: int = 1) -> Capability:
    """Capability of `values` (in production order) against the specification limits."""
    if lsl is None and usl is None:
        raise ValueError("give at least one specification limit (LSL, USL or both)")
    for name, limit in (("LSL", lsl), ("USL", usl)):
        if limit is not None and not math.isfinite(limit):
            raise ValueError(f"{name} must be a finite number, not {limit}")
    if lsl is not None and usl is not None and not lsl < usl:
        raise ValueError(f"the lower specification limit {lsl} must be below the upper {usl}")
    if isinstance(subgroup_size, bool) or not isinstance(subgroup_size, int) or subgroup_size < 1:
        raise ValueError(f"subgroup size must be a whole number 1 or more, not {subgroup_size!r}")
    data = [float(v) for v in values]
    if any(not math.isfinite(v) for v in data):
        raise ValueError("every value must be a finite number")
    n = len(data)
    if subgroup_size == 1:
        if n < 2:
            raise ValueError(f"{n} value(s): individuals need at least 2 values for a moving range")
        ranges = [abs(b - a) for a, b in zip(data, data[1:])]
        constant = d2(2)
        method = "average moving range / d2(2)"
    else:
        d2(subgroup_size)  # refuses a size outside the table before the data are looked at
        if n % subgroup_size:
            raise ValueError(f"{n} values do not make whole subgroups of {subgroup_size}: the last subgroup has "
                             f"{n % subgroup_size} value(s); give complete subgroups or another subgroup size")
        if n // subgroup_size < 2:
            raise ValueError(f"{n} values make {n // subgroup_size} subgroup of {subgroup_size}; "
                             "capability needs at least 2 subgroups")
        groups = [data[i:i + subgroup_size] for i in range(0, n, subgroup_size)]
        ranges = [max(g) - min(g) for g in groups]
        constant = d2(subgroup_size)
        method = f"R-bar / d2({subgroup_size})"
    average_range = math.fsum(ranges) / len(ranges)
    mean = math.fsum(data) / n
    stdev = statistics.stdev(data)
    sigma_within = average_range / constant
    if sigma_within == 0 or stdev == 0:
        raise ValueError("the values do not vary, so no capability index can be computed "
                         "(check the measurement resolution)")
    cp, cpk = _indices(mean, sigma_within, lsl, usl)
    pp, ppk = _indices(mean, stdev, lsl, usl)
    return Capability(
        n=n, mean=mean, stdev_overall=stdev, sigma_within=sigma_within, sigma_within_method=method,
        subgroup_size=subgroup_size, subgroups=len(ranges), average_range=average_range, d2=constant,
        lsl=lsl, usl=usl, cp=cp, cpk=cpk, pp=pp, ppk=ppk,
        below_lsl=sum(1 for v in data if lsl is not None and v < lsl),
        above_usl=sum(1 for v in data if usl is not None and v > usl),
    )
