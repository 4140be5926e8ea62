"""The design traceability matrix as a controlled Word document (ISO 13485 7.3.2, 21 CFR 820.30(j)).

One row per requirement and risk control, in the order of the analysis (the same rows as
trace_matrix.xlsx and trace.json), then coverage per level and the gap list. Landscape pages: the
matrix is wide. Built with the one-pass add_table: a product's matrix runs to thousands of cells.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..analysis.trace import Row, TraceResult
from .document import DocumentSet
from .names import Names

if TYPE_CHECKING:
    from .document import ControlledDocument

DOCX_NAME = "design_traceability_matrix.docx"
MATRIX_HEADER = ("ID", "Kind", "Title", "User needs", "Derived from / mitigates", "Risk controls",
                 "Implemented by", "Latest results", "Covered", "Gaps")
COVERAGE_HEADER = ("Coverage level", "Covered", "Total", "Percent")
GAPS_HEADER = ("Record", "Gap", "Location", "Message")


def matrix_row(row: Row, names: Names | None = None) -> tuple[str, ...]:
    """A matrix line as the document shows it: linked records by ID and title; tests list each test's
    latest result."""
    ids = (names or Names()).lines
    return (row.id, row.kind.replace("_", " "), row.title, ids(row.needs), ids(row.upstream),
            ids(row.risk_controls), ids(row.outputs), "\n".join(str(o) for o in row.results) or "none",
            "yes" if row.covered else "no", "\n".join(row.gaps))


def source_ids(result: TraceResult) -> set[str]:
    ids: set[str] = set()
    for row in result.rows:
        ids.update((row.id, *row.needs, *row.upstream, *row.risk_controls, *row.outputs, *row.tests))
    return ids


def trace_document(result: TraceResult, documents: DocumentSet) -> ControlledDocument:
    d = documents.document("trace", "matrix", "Design traceability matrix", records=source_ids(result))
    d.heading("Purpose and scope")
    d.paragraph("Traces every requirement and risk control to the user needs it derives from, the design "
                "outputs that implement it and the verification and validation tests that prove it, with "
                "each test's latest result (ISO 13485:2016 7.3.2 f, 21 CFR 820.30(j)). Records in draft or "
                "retired states are listed but not counted in coverage.")
    d.heading("Coverage")
    d.table(COVERAGE_HEADER, [(lv.label, lv.covered, lv.total, "n/a" if lv.percent is None else f"{lv.percent:g} %")
                              for lv in result.coverage])
    d.heading("Matrix")
    d.paragraph(f"{len(result.rows)} row(s): {sum(r.kind == 'requirement' for r in result.rows)} requirement(s) "
                f"and {sum(r.kind == 'risk_control' for r in result.rows)} risk control(s).")
    d.paragraph("trace_matrix.xlsx, beside this document, holds the full matrix for filtering, with each record's "
                "type and status and the verification tests apart from their results.")
    d.table(MATRIX_HEADER, [matrix_row(r, documents.names) for r in result.rows])
    d.heading("Gaps")
    if result.gaps:
        d.table(GAPS_HEADER, [(g.record, g.kind.replace("_", " "), str(g.location), g.message) for g in result.gaps])
    else:
        d.paragraph("None: every requirement and risk control in scope is traced and verified.")
    return d
