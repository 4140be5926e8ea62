"""KPI outputs for the management review (ISO 13485 5.6.2): management_review_input.docx and kpi.xlsx.

Both are views of one KpiResult. In the dossier the review input is a controlled document (MRI-1) made
through a DocumentSet; `qms kpi --out` without one writes an uncontrolled copy. Both are deterministic: fixed document properties and zip times,
PNG charts without a software stamp, so the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..analysis.kpi import KpiResult
from .charts import new_figure, png_bytes
from .document import DocumentSet, UncontrolledCopy
from .xlsx import EPOCH, new_workbook, save_workbook, table_sheet

DOCX_NAME = "management_review_input.docx"
XLSX_NAME = "kpi.xlsx"


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def trend_chart(result: KpiResult) -> bytes:
    """Two bar charts side by side: CAPA on-time rate (%) and NC count, for the trend periods."""
    fig = new_figure((8.0, 3.0))
    labels = [t.period for t in result.trend]
    x = list(range(len(labels)))
    left, right = fig.subplots(1, 2)
    rates = [t.capa_on_time_percent for t in result.trend]
    left.bar(x, [r or 0 for r in rates], color="#1F3864")
    for i, (r, t) in enumerate(zip(rates, result.trend)):
        left.text(i, (r or 0) + 2, "n/a" if r is None else f"{r:g}% ({t.capa_on_time}/{t.capa_closed})",
                  ha="center", fontsize=7)
    left.set_ylim(0, 115)
    left.set_title("CAPA on-time rate (%)", fontsize=9)
    counts = [t.nc_count for t in result.trend]
    right.bar(x, counts, color="#C55A11")
    for i, c in enumerate(counts):
        right.text(i, c, str(c), ha="center", va="bottom", fontsize=7)
    right.set_ylim(0, max(counts + [1]) * 1.2)
    right.set_title("Nonconformances detected", fontsize=9)
    for ax in (left, right):
        ax.set_xticks(x)
        ax.set_xticklabels(labels, fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    return png_bytes(fig)


def review_body(d: Any, result: KpiResult, level: int, sources_heading: str) -> None:
    p = result.period
    state = "" if result.complete else " (period still running at the as-of date)"
    d.paragraph(f"Period: {p.label} ({p.start.isoformat()} to {p.end.isoformat()}){state}. "
                f"As of: {result.as_of.isoformat()}. ISO 13485 5.6.2 review input.")
    for kpi in result.kpis:
        d.heading(kpi.title, level=level)
        d.paragraph(kpi.definition)
        d.table(kpi.header, [[_text(value) for value in row] for row in kpi.rows])
        if not kpi.rows:
            d.paragraph("No records in the period.")
    d.heading("Trends", level=level)
    d.paragraph(f"CAPA on-time rate and nonconformance count, {result.trend[0].period} to "
                f"{result.trend[-1].period}.")
    d.table(("Period", "CAPAs closed", "On-time %", "NCs"),
            [[_text(v) for v in (t.period, t.capa_closed, t.capa_on_time_percent, t.nc_count)] for t in result.trend])
    d.picture(trend_chart(result))
    d.heading(sources_heading, level=level)
    by_kpi = {s: [k.title for k in result.kpis if s in k.sources] for s in result.sources}
    if not by_kpi:
        d.paragraph("None.")
    for record_id, titles in by_kpi.items():
        d.paragraph(f"{record_id}: {'; '.join(titles)}", style="List Bullet")


def review_document(result: KpiResult, documents: DocumentSet | None = None) -> Any:
    """A ControlledDocument (MRI-1) with `documents`, else an UncontrolledCopy (`qms kpi --out`)."""
    title = f"Management review input: quality KPIs {result.period.label}"
    if documents is None:
        d: Any = UncontrolledCopy(title)
        d.heading(f"Management review input — quality KPIs {result.period.label}", level=1)
        review_body(d, result, 2, "Source records")
        return d
    d = documents.document("kpi", "review", title, records=result.sources)
    review_body(d, result, 1, "Records by KPI")
    return d


def review_workbook(result: KpiResult) -> Any:
    wb = new_workbook()
    p = result.period
    table_sheet(wb, "Summary", ("Item", "Value"),
                [("Period", p.label), ("Start", p.start), ("End", p.end), ("As of", result.as_of),
                 ("Complete", "yes" if result.complete else "no")], (16, 30))
    for kpi in result.kpis:
        table_sheet(wb, kpi.title[:31].strip(), kpi.header, ([_cell(v) for v in row] for row in kpi.rows))
    table_sheet(wb, "Trend", ("Period", "CAPAs closed", "CAPAs on time", "On-time %", "NCs"),
                ((t.period, t.capa_closed, t.capa_on_time, t.capa_on_time_percent, t.nc_count)
                 for t in result.trend))
    table_sheet(wb, "Sources", ("Record", "KPIs"),
                ((s, "; ".join(k.title for k in result.kpis if s in k.sources)) for s in result.sources), (18, 80))
    return wb


def _cell(value: Any) -> Any:
    return "" if value is None else value


def write_outputs(result: KpiResult, out: Path, documents: DocumentSet | None = None) -> list[Path]:
    docx_path, xlsx_path = out / DOCX_NAME, out / XLSX_NAME
    review_document(result, documents).save(docx_path)
    save_workbook(review_workbook(result), xlsx_path, EPOCH)
    return [docx_path, xlsx_path]
