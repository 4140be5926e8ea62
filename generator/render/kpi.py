"""KPI outputs for the management review (ISO 13485 5.6.2): management_review_input.docx and kpi.xlsx.

Both are views of one KpiResult. In the dossier the review input is a controlled document (MRI-1) made
through a DocumentSet; `qms kpi --out` without one writes an uncontrolled copy. Both are deterministic: fixed document properties and zip times,
PNG charts without a software stamp, so the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.kpi import Kpi, KpiResult
from ..analysis.tables import Rec
from .charts import new_figure, png_bytes
from .document import DocumentSet, UncontrolledCopy
from .names import Names
from .xlsx import EPOCH, new_workbook, save_workbook, table_sheet

if TYPE_CHECKING:
    from openpyxl import Workbook

    from .document import ControlledDocument

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


def _cell(names: Names, value: Any) -> str:
    """A table cell: records by ID and title, several one per line."""
    if isinstance(value, Rec):
        return names.title(value)
    if isinstance(value, tuple):
        return "\n".join(_cell(names, v) for v in value)
    return _text(value)


def _table(d: Any, names: Names, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    d.table(header, [[_cell(names, v) for v in row] for row in rows])


def _kpi(d: Any, names: Names, kpi: Kpi, level: int) -> None:
    d.heading(kpi.title, level=level)
    d.paragraph(f"{kpi.definition}. {kpi.summary}")
    if kpi.rows:
        _table(d, names, kpi.header, kpi.rows)


def review_body(d: ControlledDocument, result: KpiResult, level: int, sources_heading: str, names: Names,
                worklist: dict[str, Any] | None = None) -> None:
    p, m = result.period, result.minimums
    state = "" if result.complete else " (period still running at the as-of date)"
    d.paragraph(f"Period: {p.label} ({p.start.isoformat()} to {p.end.isoformat()}){state}. "
                f"As of: {result.as_of.isoformat()}. The inputs of ISO 13485:2016 5.6.2 a) to l), computed from the "
                "records of the period; records dated after the period, up to the as-of date, are listed apart "
                "for information, and states (open CAPAs, open actions) are taken at the end of the period.")
    if m is not None:
        d.paragraph(f"Minimum populations ({m.source}): a rate is computed only over at least {m.units} units "
                    f"(units shipped for the complaint rate, units started on a line for first-pass yield) and "
                    f"at least {m.capas} CAPAs closed (on-time closure rate); below that the counts are shown "
                    "and the rate reads n/a.")
    by_name = {k.name: k for k in result.kpis}
    for section in result.inputs:
        d.heading(section.heading, level=level)
        for text in section.text:
            d.paragraph(text)
        for table in section.tables:
            if table.rows:
                d.paragraph(f"{table.caption}:")
                _table(d, names, table.header, table.rows)
            else:
                d.paragraph(f"{table.caption}: {table.none}")
        if section.missing:
            d.paragraph(f"Not held in the records: {section.missing}")
        for name in section.kpis:  # after the section's own tables, which would otherwise fall under the KPI
            _kpi(d, names, by_name[name], level + 1)
    d.heading("Trends", level=level)
    d.paragraph(f"CAPA on-time rate and nonconformance count, {result.trend[0].period} to "
                f"{result.trend[-1].period}; the on-time rate over at least {m.capas if m else 1} CAPAs closed.")
    d.table(("Period", "CAPAs closed", "On time", "On-time %", "NCs"),
            [[_text(v) for v in (t.period, t.capa_closed, t.capa_on_time,
                                 "n/a" if t.capa_on_time_percent is None else t.capa_on_time_percent, t.nc_count)]
             for t in result.trend])
    d.picture(trend_chart(result))
    if worklist is not None:
        from .worklist import worklist_section

        worklist_section(d, worklist, names, level)
    d.heading(sources_heading, level=level)
    inputs = {s: [i.clause + ")" for i in result.inputs if s in i.sources] for s in result.sources}
    if not inputs:
        d.paragraph("None.")
    for record_id, clauses in inputs.items():
        d.paragraph(f"{names.title(record_id)}: {', '.join(clauses) or 'KPIs'}", style="List Bullet")


def review_document(result: KpiResult, documents: DocumentSet | None = None,
                    worklist: dict[str, Any] | None = None) -> ControlledDocument:
    """A ControlledDocument (MRI-1) with `documents`, else an UncontrolledCopy; `worklist`, the open
    obligations' dashboard (analysis.obligations.dashboard), adds its section."""
    title = f"Management review input {result.period.label} (ISO 13485 5.6.2)"
    if documents is None:
        d: Any = UncontrolledCopy(title)
        d.heading(title, level=1)
        review_body(d, result, 2, "Source records", Names(), worklist)
        return d
    d = documents.document("kpi", "review", title, records=result.sources)
    review_body(d, result, 1, "Records by input", documents.names, worklist)
    return d


def review_workbook(result: KpiResult) -> Workbook:
    wb = new_workbook()
    p = result.period
    table_sheet(wb, "Summary", ("Item", "Value"),
                [("Period", p.label), ("Start", p.start), ("End", p.end), ("As of", result.as_of),
                 ("Complete", "yes" if result.complete else "no")]
                + ([("Minimum units", result.minimums.units), ("Minimum CAPAs", result.minimums.capas),
                    ("Minimums from", result.minimums.source)] if result.minimums else []), (16, 30))
    for kpi in result.kpis:
        table_sheet(wb, kpi.title[:31].strip(), kpi.header, ([_value(v) for v in row] for row in kpi.rows))
    table_sheet(wb, "Trend", ("Period", "CAPAs closed", "CAPAs on time", "On-time %", "NCs"),
                ((t.period, t.capa_closed, t.capa_on_time, t.capa_on_time_percent, t.nc_count)
                 for t in result.trend))
    table_sheet(wb, "Sources", ("Record", "KPIs"),
                ((s, "; ".join(k.title for k in result.kpis if s in k.sources)) for s in result.sources), (18, 80))
    return wb


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return "; ".join(map(str, value))
    return "" if value is None else str(value) if isinstance(value, Rec) else value


def write_outputs(result: KpiResult, out: Path, documents: DocumentSet | None = None,
                  worklist: dict[str, Any] | None = None) -> list[Path]:
    docx_path, xlsx_path = out / DOCX_NAME, out / XLSX_NAME
    review_document(result, documents, worklist).save(docx_path)
    save_workbook(review_workbook(result), xlsx_path, EPOCH)
    return [docx_path, xlsx_path]
