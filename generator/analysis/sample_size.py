"""Sample sizes that justify a PQ: success run (with its binomial extension) and capability targets.

Success run: n units tested, at most K failures allowed. The test demonstrates reliability R with
confidence C when a process whose reliability were only R would pass it with probability at most 1 - C:

    sum_{i=0..K} C(n, i) (1 - R)^i R^(n - i)  <=  1 - C

For K = 0 this is R^n <= 1 - C, the closed form n = ceil(ln(1 - C) / ln R). Both are decided here in
exact rational arithmetic on the decimal figures the user wrote (0.95 is 19/20, not the nearest double),
so a boundary case can never land one off through float rounding.

Capability: Bissell's approximation (Bissell 1990, "How reliable is your capability index?", Applied
Statistics 39) gives the lower one-sided confidence bound of an estimated Cpk or Ppk from n values:

    lower = est - z_C * sqrt(1 / (9 n) + est^2 / (2 (n - 1)))
"""

from __future__ import annotations

import math
from fractions import Fraction
from statistics import NormalDist

MAX_SAMPLE = 10_000_000  # beyond this a "sample size" is no longer a test plan


def _fraction(value: float, name: str) -> Fraction:
    """The exact decimal the user wrote, checked to lie strictly between 0 and 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number between 0 and 1 (e.g. 0.95), not {value!r}")
    if not 0 < value < 1:
        raise ValueError(f"{name} must lie strictly between 0 and 1 (e.g. 0.95 for 95 %), not {value}")
    return value if isinstance(value, Fraction) else Fraction(repr(float(value)))


def _passes(n: int, failures: int, reliability: Fraction, risk: Fraction) -> bool:
    """True when n units with at most `failures` failures demonstrate `reliability` at 1 - `risk`.

    Exact: with R = a/b the pass probability is sum C(n,i) (b-a)^i a^(n-i) / b^n, compared with the
    risk in whole numbers (no Fraction normalisation of huge powers)."""
    a, b = reliability.numerator, reliability.denominator
    term = a**n  # i = 0
    total = term
    for i in range(1, failures + 1):  # C(n,i)(b-a)^i a^(n-i) from the previous term
        term = term * (n - i + 1) * (b - a) // (i * a)
        total += term
    return total * risk.denominator <= risk.numerator * b**n


def _log_chance(n: int, failures: int, reliability: float) -> float:
    """ln of the pass probability in floating point: only to find where to look."""
    p, r = 1 - reliability, reliability
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p) + (n - i) * math.log(r)
            for i in range(min(failures, n) + 1)]
    top = max(logs)
    return top + math.log(sum(math.exp(x - top) for x in logs))


def success_run(confidence: float, reliability: float, failures: int = 0) -> int:
    """Smallest number of units that demonstrates `reliability` with `confidence`, allowing `failures`."""
    c = _fraction(confidence, "confidence")
    r = _fraction(reliability, "reliability")
    if isinstance(failures, bool) or not isinstance(failures, int) or failures < 0:
        raise ValueError(f"failures allowed must be a whole number 0 or more, not {failures!r}")
    risk = 1 - c
    log_risk, rf = math.log(float(risk)), float(r)
    if failures == 0:
        n = max(1, math.ceil(log_risk / math.log(rf)))  # the closed form, right to within one
    else:
        # The pass probability falls as n grows: bracket by doubling, then bisect, in floating point.
        low, high = failures, failures + 1
        while _log_chance(high, failures, rf) > log_risk:
            low, high = high, high * 2
            if high > MAX_SAMPLE:
                raise ValueError(f"more than {MAX_SAMPLE:,} units would be needed to show reliability "
                                 f"{reliability} with confidence {confidence} allowing {failures} failure(s); "
                                 "relax a target")
        while high - low > 1:
            mid = (low + high) // 2
            if _log_chance(mid, failures, rf) <= log_risk:
                high = mid
            else:
                low = mid
        n = high
    # Settle the boundary in exact arithmetic: floating point can be one off either way.
    while n > failures + 1 and _passes(n - 1, failures, r, risk):
        n -= 1
    while not _passes(n, failures, r, risk):
        n += 1
    return n


def _index(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number (e.g. 1.33), not {value!r}")
    return float(value)


def capability_lower_bound(estimate: float, n: int, confidence: float) -> float:
    """Bissell's lower `confidence` bound of a Cpk or Ppk estimated as `estimate` from `n` values."""
    est = _index(estimate, "capability index")
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ValueError(f"the number of values must be a whole number 2 or more, not {n!r}")
    z = NormalDist().inv_cdf(float(_fraction(confidence, "confidence")))
    return est - z * math.sqrt(1 / (9 * n) + est**2 / (2 * (n - 1)))


def capability_sample_size(target: float, planned: float, confidence: float) -> int:
    """Smallest n for which a process whose true index is `planned` shows a lower bound of `target`."""
    goal = _index(target, "target index")
    true = _index(planned, "planned index")
    _fraction(confidence, "confidence")
    if goal <= 0:
        raise ValueError(f"the target index must be above 0 (e.g. 1.33), not {target}")
    if true <= goal:
        raise ValueError(f"the planned index {planned} must exceed the target {target}: a lower confidence bound "
                         "never reaches the estimate itself, however many values are taken")
    # The bound grows with n towards `planned`: bracket by doubling, then bisect.
    low, high = 1, 2
    while capability_lower_bound(true, high, confidence) < goal:
        low, high = high, high * 2
        if high > MAX_SAMPLE:
            raise ValueError(f"more than {MAX_SAMPLE:,} values would be needed; plan for a higher index than "
                             f"{planned} or accept a lower target than {target}")
    while high - low > 1:
        mid = (low + high) // 2
        if capability_lower_bound(true, mid, confidence) >= goal:
            high = mid
        else:
            low = mid
    return high
