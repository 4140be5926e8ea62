"""`qms supplier`: purchasing controls. `qms supplier scorecard` scores suppliers by period (ISO 13485 7.4.1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from ..analysis.suppliers import Scorecard
from ..analysis.suppliers import scorecard as compute
from ..findings import QmsError
from .app import AS_OF, FORMAT, App, refuse_dossier_out


@click.group("supplier")
def supplier() -> None:
    """Suppliers: scorecard by period (quality, delivery, responsiveness) per the supplier policy."""


@supplier.command("scorecard")
@AS_OF
@FORMAT
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write supplier_scorecard.xlsx and one supplier_trend_SUP-….png per supplier into this folder.")
@click.pass_obj
def scorecard_cmd(app: App, as_of: dt.date | None, fmt: str, out: Path | None) -> None:
    """Supplier scores per period, grades and the suppliers to re-evaluate (policy: supplier)."""
    refuse_dossier_out(app, out)
    as_of = app.as_of(as_of)
    loaded, records = app.load_readable()
    card = compute(records, as_of)
    if card.policy is None:
        raise QmsError("no supplier policy is in force: add specs/policies/POL-SUPPLIER.yaml (policy: supplier) "
                       "with weights, grades and reevaluate_below, and approve it")
    if out is not None and out.exists() and not out.is_dir():
        raise QmsError(f"--out {out} exists and is not a folder")
    if fmt == "json":
        click.echo(json.dumps(card.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(text(card))
    if out is not None:
        from ..render.supplier_scorecard import write_outputs

        for path in write_outputs(card, out):
            click.echo(f"wrote {path}", err=fmt == "json")


def _f(value: float | None, width: int, digits: int = 1) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def text(card: Scorecard) -> str:
    weights = ", ".join(f"{k} {v:g}" for k, v in card.weights.items())
    lines = [f"Supplier scorecard as of {card.as_of} ({card.policy}: by {card.period}; weights {weights}; "
             f"re-evaluate below {card.reevaluate_below:g})", "",
             f"  {'Supplier':<9} {'Period':<9} {'Lots':>4} {'Qual%':>6} {'PPM':>7} {'Deliv%':>6} {'Resp%':>6} "
             f"{'Score':>6} Grade"]
    for s in card.suppliers:
        for p in s.periods:
            flag = "  RE-EVALUATE" if p.reevaluate and p is s.current else ""
            partial = "" if p.complete else " (partial)"
            lines.append(f"  {s.supplier:<9} {p.period:<9} {len(p.receipts):>4} {_f(p.quality, 6)} "
                         f"{_f(p.ppm, 7, 0)} {_f(p.delivery, 6)} {_f(p.responsiveness, 6)} {p.score:>6.1f} "
                         f"{p.grade:<5}{partial}{flag}".rstrip())
    lines += ["", "  Current (latest complete period):"]
    for s in card.suppliers:
        c = s.current
        verdict = "no complete period yet" if c is None else (
            f"{c.period} score {c.score:.1f} grade {c.grade}" + ("  -> re-evaluate" if s.reevaluate else ""))
        lines.append(f"  {s.supplier:<9} {s.title[:40]:<40} {s.status:<12} {verdict}")
    flagged = [s.supplier for s in card.suppliers if s.reevaluate]
    lines += ["", f"Marked for re-evaluation: {', '.join(flagged) if flagged else 'none'}"]
    return "\n".join(lines)
