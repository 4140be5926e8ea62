"""Cold chain (ISO 13485 6.4, 7.5.11; USP <1079>): an excursion beyond what the product allows demands a deviation.

A temperature log's readings (loaded from its logger export) are judged against the storage
conditions of the materials it monitors: the narrowest range, the smallest cumulative allowance
outside it, and the lowest MKT limit. Within the allowance an excursion is recorded, not escalated.
"""

from __future__ import annotations

from typing import Iterator

from ..analysis.coldchain import ColdChainResult, analyse
from ..findings import Finding
from ..model.production import TemperatureLog
from .context import Context
from .registry import rule

_CLAUSE = "ISO 13485:2016 6.4, 7.5.11, 8.3; USP <1079>"


@rule("QMS540", "error", "Temperature excursion beyond the allowance without a deviation", area="production",
      clause=_CLAUSE,
      rationale="Product stored or shipped outside its labelled conditions for longer than the allowance its "
                "stability data supports, or at a mean kinetic temperature above its limit, may be degraded. "
                "Such an excursion must be investigated and dispositioned as a deviation (a nonconformance "
                "record naming the temperature log as its origin) before the product is used or shipped.")
def excursion_without_deviation(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for log in rs.of_kind("temperature_log"):
        export = ctx.exports.get(log.id)
        if not isinstance(log, TemperatureLog) or log.retired or export is None:
            continue
        limits = [m.storage for m in map(rs.get, log.materials) if m is not None and getattr(m, "storage", None)]
        if not limits:
            continue
        low = max((s.min_c for s in limits if s.min_c is not None), default=None)
        high = min((s.max_c for s in limits if s.max_c is not None), default=None)
        allowance = min((s.excursion_allowance_hours or 0.0 for s in limits), default=0.0)
        mkt_limit = min((s.mkt_max_c for s in limits if s.mkt_max_c is not None), default=None)
        energy = max(s.activation_energy_kj_mol for s in limits)
        result = analyse(export, low, high, energy)
        breaches = _breaches(result, allowance, mkt_limit)
        if not breaches or _deviation_for(ctx, log.id):
            continue
        yield excursion_without_deviation.rule.finding(  # type: ignore[attr-defined]
            ctx.at(log.id, ("data",)), "; ".join(breaches), log.id,
            hint=f"raise a deviation: a nonconformance with source: excursion and origin: [{log.id}]")


def _breaches(result: ColdChainResult, allowance_hours: float, mkt_limit: float | None) -> list[str]:
    out = []
    hours = result.time_out_of_range.total_seconds() / 3600
    if result.excursions and hours > allowance_hours:
        worst = max(result.excursions, key=lambda e: e.duration)
        out.append(f"{hours:.1f} h outside {result.low}..{result.high} °C, more than the {allowance_hours:g} h "
                   f"allowed (longest from {worst.start:%Y-%m-%d %H:%M}, peak {worst.peak} °C)")
    if mkt_limit is not None and result.mkt_c > mkt_limit:
        out.append(f"mean kinetic temperature {result.mkt_c:.2f} °C above the {mkt_limit:g} °C limit")
    return out


def _deviation_for(ctx: Context, log_id: str) -> bool:
    return any(link.role == "origin" and (nc := ctx.records.get(link.source)) is not None
               and nc.KIND == "nonconformance" and not nc.retired
               for link in ctx.records.links_to(log_id))
