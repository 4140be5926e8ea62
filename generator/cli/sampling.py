"""`qms sampling`: the ISO 2859-1 single sampling plan for one incoming lot."""

from __future__ import annotations

import json

import click

from ..analysis.sampling import AQL_SERIES, LEVELS, SEVERITIES, SamplingPlan, plan
from ..findings import QmsError
from .app import FORMAT


@click.command("sampling")
@click.argument("lot_size", metavar="LOTSIZE")
@click.option("--aql", required=True, metavar="AQL",
              help=f"Acceptance quality limit, one of the ISO 2859-1 series: {', '.join(AQL_SERIES)}.")
@click.option("--level", default="II", show_default=True, metavar="LEVEL",
              help=f"Inspection level: {', '.join(LEVELS)}.")
@click.option("--severity", type=click.Choice(SEVERITIES, case_sensitive=False), default="normal",
              show_default=True, help="Inspection severity given by the switching rules.")
@FORMAT
def sampling(lot_size: str, aql: str, level: str, severity: str, fmt: str) -> None:
    """Sample size and accept/reject numbers for a lot of LOTSIZE items (ISO 2859-1 single sampling)."""
    text = lot_size.strip().replace("_", "")
    if not text.isdigit():
        raise QmsError(f"lot size must be a whole number of items (2 or more), not '{lot_size}'")
    try:
        result = plan(int(text), aql, level, severity)
    except ValueError as err:
        raise QmsError(str(err)) from None
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(_text(result))


def _text(p: SamplingPlan) -> str:
    one, many = ("nonconformity", "nonconformities") if p.aql > 10 else ("nonconforming item", "nonconforming items")
    accept = f"if no {one} is found" if p.accept == 0 else f"if {p.accept} or fewer {many} are found"
    lines = [
        f"ISO 2859-1 single sampling, {p.severity} inspection (Table {p.table})",
        f"  lot {p.lot_size:,} items · inspection level {p.level} · AQL {p.aql_label} · code letter {p.code_letter}",
        "",
        f"  INSPECT  {p.sample_size:,} items, drawn at random from the lot",
        f"  ACCEPT   the lot {accept} (Ac {p.accept})",
        f"  REJECT   the lot if {p.reject} or more are found (Re {p.reject})",
    ]
    if p.full_inspection:
        lines += ["", f"  100 % INSPECTION: the sample size {p.sample_size:,} is not smaller than the lot of "
                      f"{p.lot_size:,}; ISO 2859-1 calls for every item to be inspected."]
    remarks = [n for n in p.notes if "100 %" not in n]
    if remarks:
        lines += [""] + [f"  Note: {n}" for n in remarks]
    return "\n".join(lines)
