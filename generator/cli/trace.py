"""`qms trace`: the design trace matrix — coverage per level and the gaps, as text, JSON or a workbook."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..analysis.trace import TraceResult
from ..load.repo import load_repository
from ..recordset import RecordSet
from ..render.trace_xlsx import write_trace_workbook
from ..rules import Context, Report
from ..rules.trace import trace_findings, traced
from .app import FORMAT, App, refuse_dossier_out
from .validate import _line


@click.command("trace")
@FORMAT
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the trace matrix workbook here (.xlsx).")
@click.pass_obj
def trace(app: App, fmt: str, out: Path | None) -> None:
    """Trace needs → requirements → outputs → tests; exit 1 when the trace has gaps."""
    refuse_dossier_out(app, out)
    if out is not None and out.suffix.lower() != ".xlsx":
        raise click.BadParameter(f"'{out}' is not an .xlsx file name", param_hint="--out")
    loaded = load_repository(app.root)
    records = RecordSet(loaded.records, loaded.config)
    result = traced(records)
    open_, waived = trace_findings(Context(records, app.as_of(None)))
    load_errors = [f for f in loaded.findings if f.severity == "error"]
    if out is not None:
        write_trace_workbook(result, out)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        _text(result, open_, waived)
        if out is not None:
            click.echo(f"wrote the trace matrix to {out}")
    if load_errors:
        click.echo(f"qms: {len(load_errors)} record(s) could not be loaded and are missing from the trace; "
                   "run `qms validate`", err=True)
    raise SystemExit(Report(load_errors + open_).exit_code)


def _text(result: TraceResult, findings: list, waived: list) -> None:
    def count(kind: str) -> str:
        rows = [r for r in result.rows if r.kind == kind]
        outside = sum(1 for r in rows if not r.in_scope)
        return f"{len(rows)} {kind.replace('_', ' ')}(s)" + (f" ({outside} draft or obsolete, not in the coverage)"
                                                              if outside else "")

    click.echo(f"Trace matrix: {count('requirement')}, {count('risk_control')}\n")
    width = max(len(level.label) for level in result.coverage)
    click.echo(f"{'Coverage':<{width}}  {'covered':>7}  {'total':>5}  {'%':>6}")
    for level in result.coverage:
        percent = "n/a" if level.percent is None else f"{level.percent:.1f}%"
        click.echo(f"{level.label:<{width}}  {level.covered:>7}  {level.total:>5}  {percent:>6}")
    click.echo("")
    if not findings:
        click.echo("Gaps: none")
    else:
        errors = sum(1 for f in findings if f.severity == "error")
        click.echo(f"Gaps: {errors} error(s), {len(findings) - errors} warning(s)")
        for f in findings:
            click.echo(_line(f))
            if f.hint:
                click.echo(f"    hint: {f.hint}")
    for f in waived:
        click.echo(f"  waived: {_line(f)}  (by {f.waived_by})")
