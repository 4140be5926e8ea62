"""The CAPA report (ISO 13485:2016 8.5.2, 21 CFR 820.100(b)): one CAPA as a Word document.

Sections in a fixed order: Problem, Containment, Investigation, Root cause, Actions, Effectiveness,
Approvals. Every record it draws on is named by ID. Deterministic bytes (render.docx).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model.events import Capa
from ..recordset import RecordSet
from .docx import docx_bytes, new_document
from .document import add_table
from .atomic import write_bytes

SECTIONS = ("Problem", "Containment", "Investigation", "Root cause", "Actions", "Effectiveness", "Approvals")
ACTIONS_HEADER = ("#", "Type", "Description", "Owner", "Due", "Status", "Done", "Evidence")
NOT_RECORDED = "Not recorded."


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return str(value.id if hasattr(value, "id") else value)


def _para(doc: Any, text: str | None) -> None:
    doc.add_paragraph(" ".join(text.split()) if text and text.strip() else NOT_RECORDED)


def _table(doc: Any, header: tuple[str, ...], rows: list[list[str]]) -> None:
    add_table(doc, header, rows)  # one-pass XML, header row repeated on each page


def capa_document(records: RecordSet, capa: Capa) -> Any:
    doc = new_document(f"{capa.id}: {capa.title}")
    doc.add_heading(f"{capa.id} — {capa.title}", level=0)
    facts = [("Status", capa.status), ("Owner", _text(capa.owner)), ("Area", _text(capa.area)),
             ("Opened", _text(capa.opened)), ("Due", _text(capa.due)), ("Closed", _text(capa.closed))]
    if capa.cancel_reason:
        facts.append(("Cancel reason", capa.cancel_reason))
    _table(doc, ("Field", "Value"), [[k, v] for k, v in facts])

    doc.add_heading("Problem", level=1)
    _para(doc, capa.problem)
    if capa.sources:
        doc.add_paragraph("Source records:")
        for ref in capa.sources:
            src = records.get(ref)
            label = f"{ref.id}: {src.title}" if src is not None else f"{ref.id} (not found)"
            extra = getattr(src, "detected", None) or getattr(src, "received", None)
            doc.add_paragraph(label + (f" ({extra})" if extra else ""), style="List Bullet")

    doc.add_heading("Containment", level=1)
    _para(doc, capa.containment)
    for ref in capa.sources:
        src = records.get(ref)
        if getattr(src, "containment", None):
            doc.add_paragraph(f"{ref.id}: {' '.join(src.containment.split())}", style="List Bullet")  # type: ignore[union-attr]

    doc.add_heading("Investigation", level=1)
    _para(doc, capa.investigation)

    doc.add_heading("Root cause", level=1)
    rc = capa.root_cause
    if rc is None:
        doc.add_paragraph(NOT_RECORDED)
    else:
        doc.add_paragraph(f"Method: {_text(rc.method)}; category: {_text(rc.category)}")
        for i, why in enumerate(rc.whys, 1):
            doc.add_paragraph(f"{i}. {why}")
        doc.add_paragraph(f"Statement: {' '.join(rc.statement.split()) if rc.statement else NOT_RECORDED}")

    doc.add_heading("Actions", level=1)
    if capa.actions:
        rows = [[str(i), a.type, " ".join(a.description.split()), _text(a.owner), _text(a.due), a.status,
                 _text(a.done), _text(a.evidence)] for i, a in enumerate(capa.actions, 1)]
        _table(doc, ACTIONS_HEADER, rows)
    else:
        doc.add_paragraph("No actions recorded.")

    doc.add_heading("Effectiveness", level=1)
    eff = capa.effectiveness
    if eff is None:
        doc.add_paragraph(NOT_RECORDED)
    else:
        _table(doc, ("Item", "Value"), [
            ["Criteria", " ".join(eff.criteria.split()) if eff.criteria else "—"],
            ["Criteria set", _text(eff.criteria_set)], ["Check due", _text(eff.check_due)],
            ["Checked", _text(eff.checked)], ["Result", _text(eff.result)],
            ["Verified by", _text(eff.verified_by)], ["Evidence", _text(eff.evidence)],
        ])

    doc.add_heading("Approvals", level=1)
    approvals = sorted((a for a in records.of_kind("approval") if getattr(a, "record", None) is not None
                        and a.record.id == capa.id), key=lambda a: (a.signed, a.id))
    if approvals:
        _table(doc, ("Approval", "Meaning", "Signer", "Printed name", "Signed", "Status"),
               [[a.id, a.meaning, a.signer.id, a.printed_name, a.signed.isoformat(), a.status] for a in approvals])
    else:
        doc.add_paragraph("No electronic approval records name this CAPA.")
    for role in ("CAPA owner", "Quality assurance", "Management representative"):
        doc.add_paragraph(f"{role}: name ______________________  signature ______________________  "
                          "date ____________")
    return doc


def capa_report_bytes(records: RecordSet, capa: Capa) -> bytes:
    return docx_bytes(capa_document(records, capa))


def write_capa_report(records: RecordSet, capa: Capa, path: Path) -> None:
    write_bytes(path, capa_report_bytes(records, capa))
