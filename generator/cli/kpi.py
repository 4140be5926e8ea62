"""`qms kpi`: quality KPIs for the management review input (ISO 13485 5.6.2)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..findings import QmsError
from ..load.repo import load_repository
from ..recordset import RecordSet
from .app import AS_OF, FORMAT, App, refuse_dossier_out

if TYPE_CHECKING:
    from ..analysis.kpi import KpiResult, Period


class PeriodType(click.ParamType):
    name = "PERIOD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> Period:
        from ..analysis.kpi import Period, parse_period

        if isinstance(value, Period):
            return value
        try:
            return parse_period(str(value))
        except ValueError as err:
            self.fail(str(err), param, ctx)


@click.command("kpi")
@AS_OF
@click.option("--period", type=PeriodType(), default=None,
              help="2026 (year), 2026-Q3 (quarter) or 2026-07 (month); default: the last complete quarter "
                   "before --as-of.")
@FORMAT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write management_review_input.docx (the controlled document of the dossier) and "
                   "kpi.xlsx into this folder.")
@click.pass_obj
def kpi(app: App, as_of: dt.date | None, period: Period | None, fmt: str, out: Path | None) -> None:
    """CAPA on-time rate and cycle time, open CAPAs by age, NCs by source and supplier, complaint rate
    per 1,000 units shipped, first-pass yield by line and outstanding vigilance reports, for one period;
    with --out, the management review input (ISO 13485 5.6.2 a to l) built from them and the records.

    Exit 0 when computed, 2 for a bad --period or an unreadable repository.
    """
    refuse_dossier_out(app, out)
    from ..analysis.kpi import kpis

    as_of = app.as_of(as_of)  # --as-of, else qms.yaml as_of, else today: as every command
    if out is not None and out.exists() and not out.is_dir():
        raise QmsError(f"--out {out} exists and is not a folder")
    loaded = load_repository(app.root)
    records = RecordSet(loaded.records, loaded.config)
    result = kpis(records, as_of, period)
    documents = None
    if out is not None:  # before any output: a bad template stops the command with nothing printed
        from ..render.document import DocumentSet

        documents = DocumentSet.on_demand(app.root, records.config, records, effective=as_of)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(text(result))
    if out is not None:
        from ..render.kpi import write_outputs
        from ..render.worklist import open_obligations

        # The same review input as the dossier's, open obligations included.
        worklist = open_obligations(app.root, records, loaded.exports, as_of)
        for path in write_outputs(result, out, documents, worklist):
            click.echo(f"wrote {path}", err=fmt == "json")
    errors = [f for f in loaded.findings if f.severity == "error"]
    if errors:
        click.echo(f"qms: {len(errors)} record(s) could not be loaded and are missing from the KPIs; "
                   "run `qms validate`", err=True)


def _v(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def text(result: KpiResult) -> str:
    from ..analysis.kpi import KpiResult

    assert isinstance(result, KpiResult)
    p = result.period
    state = "" if result.complete else ", still running"
    lines = [f"Quality KPIs {p.label} ({p.start} to {p.end}{state}) as of {result.as_of}"]
    if result.minimums is not None:
        m = result.minimums
        lines.append(f"Rates over at least {m.units} units and {m.capas} CAPAs closed ({m.source})")
    for k in result.kpis:
        lines += ["", f"{k.title}  [{', '.join(k.sources) or 'no records'}]", f"  {k.summary}"]
        widths = [max(len(str(h)), *(len(_v(r[i])) for r in k.rows)) if k.rows else len(str(h))
                  for i, h in enumerate(k.header)]
        widths = [min(w, 40) for w in widths]
        if k.rows:
            lines.append("  " + "  ".join(f"{h:<{w}}" for h, w in zip(k.header, widths)).rstrip())
        for row in k.rows:
            lines.append("  " + "  ".join(f"{_v(v):<{w}}" for v, w in zip(row, widths)).rstrip())
    lines += ["", "Trend", f"  {'Period':<8}  {'CAPAs closed':>12}  {'On-time %':>9}  {'NCs':>4}"]
    for t in result.trend:
        lines.append(f"  {t.period:<8}  {t.capa_closed:>12}  {_v(t.capa_on_time_percent):>9}  {t.nc_count:>4}")
    return "\n".join(lines)
