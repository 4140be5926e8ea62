"""Recall impact: a workbook of affected units by customer, and a short summary document.

The summary is a controlled document (RIR-1) when given a DocumentSet; `qms recall --out` writes it on
demand as an uncontrolled copy (the repository has no recall or field-action record kind, so the
dossier does not include one).

Both are deterministic: the workbook through xlsx.py, the document with fixed core properties and
zip times (pin_zip), so the same records give the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from ..analysis.genealogy import RecallResult
from ..atomic import write_bytes
from ..model.labels import label, status_label
from ..model.production import Lot
from .document import DocumentSet, UncontrolledCopy
from .xlsx import WARN_FILL, new_workbook, save_workbook, table_sheet

if TYPE_CHECKING:
    from .document import ControlledDocument

SUMMARY_HEADER = ("Item", "Value")
UNITS_HEADER = ("Customer", "Country", "Shipment", "Shipped", "Serial unit", "Serial", "Lot", "Unit status", "UDI")
UNITS_WIDTHS = (44, 9, 15, 12, 18, 16, 13, 12, 60)
LOTS_HEADER = ("Lot", "Type", "Material", "Status", "Released", "Expiry", "Units")
SERIALS_HEADER = ("Serial unit", "Serial", "Lot", "Status", "Shipments", "UDI")
COMPONENTS_HEADER = ("Lot", "Type", "Material", "Supplier", "Supplier lot", "Receipt", "Status")


def selector_text(result: RecallResult) -> str:
    (key, value), = result.selector.items()
    return f"{key.replace('_', ' ')} {value}"


def recall_workbook(result: RecallResult) -> Workbook:
    wb = new_workbook()
    counts = result.counts
    summary: list[tuple[str, Any]] = [("Selector", selector_text(result)), ("Matched", ", ".join(result.matched))]
    summary += [(name.replace("_", " ").capitalize(), value) for name, value in counts.items()]
    summary += [("Customers", "\n".join(result.customers)), ("Countries", ", ".join(result.countries)),
                ("Suppliers", ", ".join(result.suppliers))]
    table_sheet(wb, "Summary", SUMMARY_HEADER, summary, (22, 80))
    rows = [(customer, country, s["id"], s["shipped"], u["id"], u["serial"], u["lot"], u["status"], u["udi"])
            for customer, country, s, u in result.units_by_customer()]
    for s in result.shipments:  # lot quantities shipped without serial numbers
        for lot_id in s["lots"]:
            rows.append((s["customer"], s["country"] or "", s["id"], s["shipped"], "", "", lot_id, "", ""))
    rows.sort(key=lambda r: (r[0], r[4], r[2], r[6]))
    table_sheet(wb, "Units by customer", UNITS_HEADER, rows, UNITS_WIDTHS)
    table_sheet(wb, "Affected lots", LOTS_HEADER,
                ((lot["id"], lot["lot_type"], lot["material"], lot["status"], lot["released"], lot["expiry"],
                  lot["units"]) for lot in result.affected_lots), (13, 12, 10, 10, 12, 12, 8))
    serials = table_sheet(wb, "Affected serials", SERIALS_HEADER,
                          ((u["id"], u["serial"], u["lot"], u["status"], u["shipments"], u["udi"])
                           for u in result.affected_serials), (18, 16, 13, 12, 16, 60))
    for i, u in enumerate(result.affected_serials, start=2):
        if not u["shipments"]:  # still in house: quarantine rather than field action
            for cell in serials[i]:
                cell.fill = WARN_FILL
    table_sheet(wb, "Components", COMPONENTS_HEADER,
                ((c["lot"], c["lot_type"], c["material"], c["supplier"], c["supplier_lot"], c["receipt"],
                  c["status"]) for c in result.components), (13, 12, 10, 10, 16, 15, 12))
    return wb


def write_recall_workbook(result: RecallResult, path: Path) -> None:
    save_workbook(recall_workbook(result), path)


def recall_body(d: ControlledDocument, result: RecallResult, level: int) -> None:
    d.paragraph(f"Matched: {', '.join(result.matched) or 'nothing'}")
    d.table(("Count", "Value"), [(name.replace("_", " "), str(value)) for name, value in result.counts.items()])
    d.heading("Customers to notify", level=level)
    to_notify = result.to_notify()
    if not to_notify:
        d.paragraph("None: no affected unit has been shipped.")
    for (customer, country), held in to_notify.items():
        notify = f"{customer} ({country})" if country else customer
        d.paragraph(f"{notify}: {', '.join(held)}", style="List Bullet")
    d.heading("Affected lots", level=level)
    for lot in result.affected_lots:
        d.paragraph(f"{lot['id']} ({label(Lot, 'lot_type', lot['lot_type'])}, {status_label(lot['status'])}): "
                    f"{lot['units']} unit(s)", style="List Bullet")
    if not result.affected_lots:
        d.paragraph("None.")


def recall_source_ids(result: RecallResult) -> set[str]:
    """The lots, units, shipments and component lots the recall trace went through."""
    ids = {*result.matched, *(lot["id"] for lot in result.affected_lots), *(u["id"] for u in result.affected_serials),
           *(s["id"] for s in result.shipments), *(c["lot"] for c in result.components), *result.intermediate_lots}
    return {i for i in ids if i}


def recall_document(result: RecallResult, documents: DocumentSet | None = None) -> ControlledDocument:
    """The recall impact report: a ControlledDocument (RIR-1) with `documents`, else an UncontrolledCopy
    (what `qms recall --out` writes on demand: no recall record kind exists to number it by)."""
    title = f"Recall impact: {selector_text(result)}"
    if documents is None:
        d: Any = UncontrolledCopy(title)
        d.heading(f"Recall impact — {selector_text(result)}", level=1)
        recall_body(d, result, 2)
        return d
    d = documents.document("recall", "report", title, records=recall_source_ids(result))
    recall_body(d, result, 1)
    return d


def recall_docx_bytes(result: RecallResult, documents: DocumentSet | None = None) -> bytes:
    """The recall summary document's bytes: fixed properties, pinned zip."""
    return recall_document(result, documents).to_bytes()


def write_recall_docx(result: RecallResult, path: Path, documents: DocumentSet | None = None) -> None:
    write_bytes(path, recall_docx_bytes(result, documents))
