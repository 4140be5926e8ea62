"""The change control record (ISO 13485:2016 7.3.9, 21 CFR 820.30(i)): one change control as a Word document.

Numbered `change` n, n the change's place among all change controls in ID order; the change control's
own approvals fill the approval block. Sections: Description, Affected records, Impact assessment, Risk
review, Revalidation, Implementation, Verification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model.events import ChangeControl
from ..model.labels import label, status_label
from ..recordset import RecordSet
from .capa import linked_ids
from .document import DocumentSet

if TYPE_CHECKING:
    from .document import ControlledDocument

SIGNATORIES = ("Change owner", "Quality assurance", "Regulatory affairs")
IMPACT_AREAS = (("design", "Design"), ("risk", "Risk file"), ("validation", "Validation"),
                ("regulatory", "Regulatory"), ("supplier_notification", "Supplier and customer notification"))
NOT_RECORDED = "Not recorded."


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else NOT_RECORDED


def _record_rows(records: RecordSet, refs: list[Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for ref in refs:
        rec = records.get(ref)
        rows.append((ref.id, rec.KIND.replace("_", " ") if rec else "not found", (rec.title or "") if rec else "",
                     status_label(rec.status) if rec else ""))
    return rows


def change_document(records: RecordSet, change: ChangeControl, documents: DocumentSet) -> ControlledDocument:
    d = documents.document("change", change.id,
                           f"Change control record {change.id}: {change.title}",
                           records=linked_ids(records, change.id), subject=change.id, signatories=SIGNATORIES)
    d.table(("Field", "Value"), [
        ("Change", change.id), ("Status", status_label(change.status)),
        ("Type", label(ChangeControl, "type", change.type) or "—"),
        ("Owner", documents.names.person(change.owner) or "—"), ("Submitted", change.submitted or "—"),
        ("Approved", change.approved or "—"), ("Implemented", change.implemented or "—"),
        ("Verified", change.verified or "—"),
    ])
    d.heading("Description and reason")
    d.paragraph(_text(change.reason))
    d.heading("Affected records")
    if change.affected:
        d.table(("Record", "Kind", "Title", "Status"), _record_rows(records, change.affected))
    else:
        d.paragraph("None recorded.")
    d.heading("Impact assessment")
    impact = change.impact
    d.table(("Area", "Impact"), [(label, _text(getattr(impact, key, None) if impact else None))
                                 for key, label in IMPACT_AREAS])
    d.heading("Risk review")
    if change.risk_reviewed:
        d.table(("Record", "Kind", "Title", "Status"), _record_rows(records, change.risk_reviewed))
    else:
        d.paragraph("No risk records were revisited for this change.")
    d.heading("Revalidation")
    if change.revalidation:
        d.table(("Protocol", "Kind", "Title", "Status"), _record_rows(records, change.revalidation))
    else:
        d.paragraph("No revalidation planned.")
    d.heading("Implementation")
    d.paragraph(_text(change.implementation_plan))
    d.heading("Verification of implementation")
    d.paragraph(_text(change.verification))
    return d
