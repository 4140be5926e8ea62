"""Cold chain (ISO 13485 6.4, 7.5.11; USP <1079>): an excursion beyond what the product allows demands a deviation.

A temperature log's readings (loaded from its logger export) are judged against the storage
conditions of the materials it monitors: the narrowest range, the smallest cumulative allowance
outside it, and the lowest MKT limit. Within the allowance an excursion is recorded, not escalated.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.coldchain import deviation_raised, excursion_breaches
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
    for log in ctx.records.of_type(TemperatureLog):
        export = ctx.exports.get(log.id)
        if log.retired or export is None:
            continue
        breaches = excursion_breaches(ctx.records, log, export)
        if not breaches or _deviation_for(ctx, log.id):
            continue
        yield excursion_without_deviation.finding(
            ctx.at(log.id, ("data",)), "; ".join(breaches), log.id,
            hint=f"raise a deviation: a nonconformance with source: excursion and origin: [{log.id}]")


def _deviation_for(ctx: Context, log_id: str) -> bool:
    return deviation_raised(ctx.records, log_id)
