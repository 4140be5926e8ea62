"""The trace matrix workbook: the matrix, coverage per level, and the gap list.

One matrix row per requirement and risk control; a row with gaps is filled red (GAP_FILL), a covered
row's "Covered" cell green. Bytes are deterministic (see xlsx.py).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ..analysis.trace import Row, TraceResult
from .xlsx import GAP_FILL, OK_FILL, new_workbook, save_workbook, table_sheet

MATRIX_HEADER = (
    "ID", "Kind", "Title", "Type", "Status", "User needs", "Derived from / mitigates", "Risk controls",
    "Implemented by", "Verification tests", "Latest results", "Covered", "Gaps",
)
MATRIX_WIDTHS = (11, 13, 36, 14, 10, 14, 18, 14, 22, 16, 30, 9, 48)
COVERED_COL = MATRIX_HEADER.index("Covered") + 1
SUMMARY_HEADER = ("Coverage level", "Covered", "Total", "Percent")
GAPS_HEADER = ("Record", "Gap", "Location", "Message")
PERCENT = '0.0"%"'


def _matrix_row(row: Row) -> list[object]:
    return [
        row.id, row.kind.replace("_", " "), row.title, row.type, row.status, row.needs, row.upstream,
        row.risk_controls, row.outputs, row.tests, "\n".join(str(o) for o in row.results),
        "yes" if row.covered else "no", "\n".join(row.gaps),
    ]


def trace_workbook(result: TraceResult) -> Workbook:
    wb = new_workbook()
    matrix = table_sheet(wb, "Matrix", MATRIX_HEADER, (_matrix_row(r) for r in result.rows), MATRIX_WIDTHS)
    for index, row in enumerate(result.rows, start=2):
        if row.gaps:
            for cell in matrix[index]:
                cell.fill = GAP_FILL
        elif row.covered:
            matrix.cell(index, COVERED_COL).fill = OK_FILL
    summary = table_sheet(wb, "Summary", SUMMARY_HEADER,
                          ([lv.label, lv.covered, lv.total, lv.percent if lv.total else "n/a"]
                           for lv in result.coverage), (56, 10, 10, 10))
    for index, level in enumerate(result.coverage, start=2):
        summary.cell(index, 4).number_format = PERCENT
        if level.covered < level.total:
            for cell in summary[index]:
                cell.fill = GAP_FILL
    table_sheet(wb, "Gaps", GAPS_HEADER,
                ([g.record, g.kind.replace("_", " "), str(g.location), g.message] for g in result.gaps),
                (12, 30, 44, 80))
    return wb


def write_trace_workbook(result: TraceResult, path: Path) -> None:
    save_workbook(trace_workbook(result), path)
