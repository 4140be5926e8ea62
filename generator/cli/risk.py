"""`qms risk`: the risk register, counts per region before and after control, and the risk findings."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from ..analysis import once
from ..analysis.fmea import analyse_fmea
from ..analysis.risk import RiskResult, SituationRisk, analyse_risk
from ..findings import Finding, QmsError
from ..rules import check
from .app import AS_OF, FORMAT, App, refuse_dossier_out

AREA = "risk"
OUTPUTS = ("risk_register.xlsx", "heatmap_initial.png", "heatmap_residual.png")


def write_outputs(result: RiskResult, out: Path) -> list[Path]:
    from ..render.heatmap import write_heatmap
    from ..render.risk_xlsx import write_risk_register

    paths = [out / name for name in OUTPUTS]
    write_risk_register(result, paths[0])
    write_heatmap(result, "initial", paths[1])
    write_heatmap(result, "residual", paths[2])
    return paths


@click.command("risk")
@FORMAT
@AS_OF
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write risk_register.xlsx, heatmap_initial.png and heatmap_residual.png into this folder.")
@click.pass_obj
def risk(app: App, fmt: str, as_of: dt.date | None, out: Path | None) -> None:
    """The risk register (ISO 14971): estimates, regions, controls, verification, benefit-risk."""
    refuse_dossier_out(app, out)
    as_of = app.as_of(as_of)
    loaded, records = app.load_readable()
    result = once(analyse_risk, records)
    report = check(records, (), as_of, area=AREA)
    findings, waived = report.findings, report.waived
    load_errors = sorted((f for f in loaded.findings if f.severity == "error"), key=lambda f: f.sort_key)
    if out is not None and out.exists() and not out.is_dir():
        raise QmsError(f"--out {out} exists and is not a folder")
    if fmt == "json":
        doc: dict[str, Any] = result.as_json()
        doc["fmea"] = once(analyse_fmea, records).as_json()
        doc["findings"] = [f.as_json() for f in findings]
        doc["waived"] = [f.as_json() for f in waived]
        doc["load_findings"] = [f.as_json() for f in load_errors]
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        _text(result, findings, waived, load_errors)
    if out is not None:
        for path in write_outputs(result, out):
            click.echo(f"wrote {path}", err=fmt == "json")
    errors = sum(1 for f in findings if f.severity == "error") + len(load_errors)
    raise SystemExit(1 if errors else 0)


def _estimate(s: SituationRisk, which: str) -> str:
    e = getattr(s, which)
    if e is None:
        return "not estimated"
    p = f"P{e.probability}" if e.probability is not None else "P?"
    if e.p1 is not None and e.p2 is not None:
        p += f"({e.p1}×{e.p2})"
    sev = f"S{e.severity}" if e.severity is not None else "S?"
    return f"{sev} {p} {e.region or '(no region)'}"


def _text(result: RiskResult, findings: list[Finding], waived: list[Finding], load_errors: list[Finding]) -> None:
    policy = result.policy or "none in force"
    click.echo(f"Risk register (policy {policy}): {len(result.situations)} hazardous situation(s)")
    for s in result.situations:
        controls = " ".join(f"{c.id}({''.join(w[0] for w in c.type.split('_')).upper()})" for c in s.controls)
        bra = " ".join(b.id for b in s.benefit_risk)
        line = f"  {s.id:<8} {_estimate(s, 'initial'):<26} -> {_estimate(s, 'residual'):<26}"
        if controls:
            line += f" {controls}"
        if bra:
            line += f"  benefit-risk {bra}"
        click.echo(line.rstrip())
    before, after = result.counts("initial"), result.counts("residual")
    click.echo("")
    click.echo(f"  {'Situations per region':<24}{'initial':>8}{'residual':>10}")
    for name in before:
        if name == "unplaced" and not before[name] and not after[name]:
            continue
        click.echo(f"  {name:<24}{before[name]:>8}{after[name]:>10}")
    needs = result.needs_benefit_risk
    if needs:
        click.echo(f"\nResidual risks needing benefit-risk analysis (7.4): {', '.join(needs)}")
    if result.overall:
        shown = ", ".join(f"{b.id} {b.status} {b.conclusion or ''}".strip() for b in result.overall)
        click.echo(f"Overall residual risk evaluation (8): {shown}")
    if load_errors:
        click.echo("\nRecords that could not be loaded (see `qms validate`):")
        for f in load_errors:
            click.echo(f"  {f.location}: {f.severity} {f.code}: {f.message}")
    if findings:
        click.echo("")
    for f in findings:
        who = f" [{f.record}]" if f.record else ""
        click.echo(f"{f.location}: {f.severity} {f.code}{who}: {f.message}")
        if f.hint:
            click.echo(f"    hint: {f.hint}")
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    click.echo(f"\n{errors} risk error(s), {warnings} risk warning(s), {len(waived)} waived")
