"""The FMEA report: design and process FMEA lines with their ratings, AIAG-VDA action priority and
RPN, recommended actions and re-ratings, and the lines the FMEA policy gates (IEC 60812, AIAG-VDA FMEA
handbook 2019). A controlled document numbered `fmea` 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.fmea import FmeaResult, FmeaRow
from ..model.labels import label
from ..model.risk import FmeaLine
from .document import DocumentSet

if TYPE_CHECKING:
    from .document import ControlledDocument
    from .names import Names

DOCX_NAME = "fmea_report.docx"
LINES_HEADER = ("Line", "Type", "Item", "Failure mode", "S", "O", "D", "RPN", "AP", "Recommended action",
                "Owner", "Due", "Done", "S' O' D'", "RPN'", "AP'")
# The columns a reader of the Word report needs; the full register is the FMEA sheet of risk_register.xlsx.
REPORT_COLUMNS = ("Line", "Item", "Failure mode", "S", "O", "D", "RPN", "AP", "Recommended action", "Owner",
                  "Due", "S' O' D'", "AP'")
_REPORT_AT = tuple(LINES_HEADER.index(c) for c in REPORT_COLUMNS)


def _after(row: FmeaRow) -> str:
    values = (row.severity_after, row.occurrence_after, row.detection_after)
    return "" if all(v is None for v in values) else " ".join("-" if v is None else str(v) for v in values)


def line_row(row: FmeaRow, names: Names) -> tuple[Any, ...]:
    return (row.id, label(FmeaLine, "fmea_type", row.fmea_type), row.item, row.failure_mode, row.severity, row.occurrence, row.detection,
            row.rpn, row.action_priority, " ".join((row.recommended_action or "").split()), names.person(row.action_owner),
            row.action_due, row.action_done, _after(row), row.rpn_after, row.action_priority_after or "")


def source_ids(result: FmeaResult) -> set[str]:
    ids = {r.id for r in result.rows} | {i for r in result.rows for i in (*r.hazards, *r.risk_controls)}
    return ids | ({result.policy} if result.policy else set())


def fmea_document(result: FmeaResult, documents: DocumentSet) -> ControlledDocument:
    d = documents.document("fmea", "report", "FMEA report", records=source_ids(result))
    d.heading("Method and policy")
    if result.gate is None:
        d.paragraph("No usable FMEA policy is in force, so no line is gated for action "
                    "(add specs/policies/POL-FMEA.yaml).")
    else:
        rule = (f"action priority {', '.join(result.action_priority_gate)}" if result.gate == "action_priority"
                else f"RPN at or above {result.rpn_threshold}")
        d.paragraph(f"Policy {result.policy}: a line needs a recommended action and an owner when its {rule}, "
                    f"and every line of severity {result.always_review_severity} or more is reviewed. Action "
                    "priority (H/M/L) per the AIAG-VDA FMEA handbook (2019); RPN = S × O × D.")
    d.heading("Summary")
    # "Now" counts every line at its re-rating where it has one, else at its first rating: the re-rated
    # lines alone would read as if no line were still High while actions are pending.
    d.table(("Action priority", "Lines as first rated", "Re-rated lines after their action",
             "Lines now (re-rated where done)"),
            [(ap, result.by_action_priority.get(ap, 0), result.by_action_priority_after.get(ap, 0),
              result.by_action_priority_now.get(ap, 0)) for ap in ("H", "M", "L")])
    re_rated = sum(1 for r in result.rows if r.re_rated)
    high = [r for r in result.rows if r.action_priority_now == "H"]
    d.paragraph(f"{re_rated} of {len(result.rows)} line(s) re-rated after their action. Still action priority H: "
                + ("; ".join(f"{r.id} {r.item} ({r.failure_mode}), RPN {r.rpn}, "
                             + (f"action due {r.action_due}" if r.action_due else "no action due date")
                             for r in high) if high else "none") + ".")
    d.table(("RPN band", "Lines"), list(result.by_rpn_band.items()))
    d.heading("Lines")
    d.paragraph(f"{len(result.rows)} line(s). S/O/D severity, occurrence, detection; primes are the re-ratings "
                f"after the recommended action. The table shows {len(REPORT_COLUMNS)} of the register's "
                f"{len(LINES_HEADER)} columns; the full register (FMEA type, completion dates, re-rated RPN) is the "
                "FMEA sheet of risk_register.xlsx, which ships beside this report.")
    names = documents.names
    d.table(REPORT_COLUMNS, [[line_row(r, names)[i] for i in _REPORT_AT] for r in result.rows])
    d.heading("Lines gated for action")
    gated = result.gated
    if result.gate is None:
        d.paragraph("None: no gate applies without a usable policy.")
    elif not gated:
        d.paragraph("None.")
    else:
        d.table(("Line", "AP", "RPN", "Action and owner", "Links"),
                [(r.id, r.action_priority, r.rpn,
                  "MISSING" if not r.has_action else f"{r.recommended_action} (owner: {names.person(r.action_owner)})",
                  names.lines((*r.hazards, *r.risk_controls))) for r in gated])
    return d
