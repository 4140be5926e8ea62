"""The supplier scorecard as a workbook (a row per supplier × period, the summary over the latest complete period, the same for all) and one
trend chart per supplier (score by period against the re-evaluation threshold). Deterministic bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.styles import PatternFill

from ..analysis.suppliers import PeriodScore, Scorecard, SupplierScore
from ..atomic import write_bytes
from .charts import new_figure, png_bytes
from .xlsx import new_workbook, save_workbook, table_sheet

if TYPE_CHECKING:
    from openpyxl import Workbook

WORKBOOK = "supplier_scorecard.xlsx"
REEVALUATE_FILL = PatternFill("solid", fgColor="FFC7CE")  # red: marked for re-evaluation
SIZE_INCHES = (7.0, 4.0)

PERIOD_HEADER = (
    "Supplier", "Name", "Period", "Start", "End", "Complete", "Receipts", "Lots decided", "Lots accepted",
    "Quality %", "Units inspected", "Defects", "PPM", "Promised", "On time", "Delivery %", "CAPAs due",
    "CAPAs on time", "Responsiveness %", "Score", "Grade", "Re-evaluate",
)
PERIOD_WIDTHS = (10, 34, 10, 11, 11, 9, 9, 9, 9, 9, 10, 8, 9, 9, 8, 9, 18, 18, 14, 8, 7, 10)
SUMMARY_HEADER = ("Supplier", "Name", "Status", "Criticality", "Period", "Score", "Grade", "Quality %",
                  "PPM", "Delivery %", "Responsiveness %", "Re-evaluate")
SUMMARY_WIDTHS = (10, 36, 12, 11, 10, 8, 7, 10, 9, 10, 14, 11)


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def period_rows(card: Scorecard) -> list[list[object]]:
    rows: list[list[object]] = []
    for s in card.suppliers:
        for p in s.periods:
            rows.append([s.supplier, s.title, p.period, p.start, p.end, _yes(p.complete), len(p.receipts),
                         p.lots_decided, p.lots_accepted, _r(p.quality), p.units_inspected, p.defects,
                         _r(p.ppm, 0), p.promised, p.on_time, _r(p.delivery), p.capas_due, p.capas_on_time,
                         _r(p.responsiveness), _r(p.score), p.grade, _yes(p.reevaluate)])
    return rows


def summary_rows(card: Scorecard) -> list[list[object]]:
    rows: list[list[object]] = []
    for s in card.suppliers:  # one period for all, so the rows compare like with like
        c = card.in_common_period(s)
        rows.append([s.supplier, s.title, s.status, s.criticality, card.common_period,
                     _r(c.score) if c else None, c.grade if c else None, _r(c.quality) if c else None,
                     _r(c.ppm, 0) if c else None, _r(c.delivery) if c else None,
                     _r(c.responsiveness) if c else None, _yes(s.reevaluate)])
    return rows


def scorecard_workbook(card: Scorecard) -> Workbook:
    wb = new_workbook()
    summary = table_sheet(wb, "Summary", SUMMARY_HEADER, summary_rows(card), SUMMARY_WIDTHS)
    periods = table_sheet(wb, "Periods", PERIOD_HEADER, period_rows(card), PERIOD_WIDTHS)
    for i, s in enumerate(card.suppliers, start=2):
        if s.reevaluate:
            for cell in summary[i]:
                cell.fill = REEVALUATE_FILL
    for i, p in enumerate((p for s in card.suppliers for p in s.periods), start=2):
        if p.reevaluate:
            for cell in periods[i]:
                cell.fill = REEVALUATE_FILL
    for ws in (periods,):
        for row in ws.iter_rows(min_row=2, min_col=4, max_col=5):
            for cell in row:
                cell.number_format = "yyyy-mm-dd"
    table_sheet(wb, "Policy", ("Setting", "Value"), [
        ("As of", card.as_of), ("Policy", card.policy), ("Period", card.period),
        *((f"Weight {k}", v) for k, v in card.weights.items()),
        ("Re-evaluate below", card.reevaluate_below),
    ], (22, 16))["B2"].number_format = "yyyy-mm-dd"
    return wb


def write_scorecard_workbook(card: Scorecard, path: Path) -> None:
    save_workbook(scorecard_workbook(card), path)


def trend_png(card: Scorecard, supplier: SupplierScore) -> bytes:
    """Score by period for one supplier, with the re-evaluation threshold; red markers below it."""
    fig = new_figure(SIZE_INCHES)
    ax = fig.add_axes((0.1, 0.16, 0.86, 0.72))
    periods: list[PeriodScore] = supplier.periods
    xs = list(range(len(periods)))
    ys = [p.score for p in periods]
    if xs:
        ax.plot(xs, ys, color="#1F3864", linewidth=1.5, zorder=2)
    for x, p in zip(xs, periods):
        colour = "#C00000" if p.reevaluate else "#1F3864"
        ax.scatter([x], [p.score], s=40, zorder=3, edgecolors=colour,
                   facecolors=colour if p.complete else "white", linewidths=1.5)
        ax.annotate(f"{p.score:.1f}", (x, p.score), textcoords="offset points",
                    xytext=(0, -14) if p.reevaluate else (0, 7), ha="center",
                    fontsize=8)
    if card.reevaluate_below is not None:
        ax.axhline(card.reevaluate_below, color="#C00000", linestyle="--", linewidth=1, zorder=1,
                   label=f"re-evaluate below {card.reevaluate_below:g}")
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_xticks(xs)
    ax.set_xticklabels([p.period + ("" if p.complete else " (partial)") for p in periods], fontsize=8)
    ax.set_xlim(-0.5, max(len(periods), 1) - 0.5)
    ax.set_ylim(0, 110)
    ax.set_ylabel("Score (0-100)")
    ax.grid(axis="y", color="#E0E0E0", linewidth=0.5)
    ax.set_title(f"{supplier.supplier} {supplier.title}: score by {card.period}", fontsize=10)
    return png_bytes(fig)


def chart_name(supplier: SupplierScore) -> str:
    return f"supplier_trend_{supplier.supplier}.png"


def write_outputs(card: Scorecard, out: Path) -> list[Path]:
    paths = [out / WORKBOOK]
    write_scorecard_workbook(card, paths[0])
    for s in card.suppliers:
        path = out / chart_name(s)
        write_bytes(path, trend_png(card, s))
        paths.append(path)
    return paths
