"""The register of approvals and signatures (21 CFR Part 11 §11.50, §11.70; ISO 13485:2016 4.2.5): every
approval record with the record it signs, the meaning, the signer's printed name and role, the signing
time, the content hash it binds, the commit that added it and its status as the validation judged it.

The status is read from the build's validation report, never re-derived: an approval is "valid" when no
finding names it, "revoked" when withdrawn, otherwise the findings' codes and messages (a content change
after signing, QMS600, names the signed record and the approvals it voids). The commit is the first in
the build's audit trail that created the approval. One table in a controlled document (type `esig`), the
same rows in approvals_register.xlsx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.labels import label
from ..model.people import Approval
from .names import Names

if TYPE_CHECKING:
    from openpyxl import Workbook

    from ..gitio.history import AuditTrail
    from ..recordset import RecordSet
    from ..rules import Report
    from .document import ControlledDocument, DocumentSet

DOCX_NAME = "approvals_register.docx"
WORKBOOK = "approvals_register.xlsx"
DOC_TYPE, SUBJECT = "esig", "register"
HEADER = ("Approval", "Record signed", "Meaning", "Signer", "Signed", "Content hash", "Commit", "Status")
VOIDED_BY_CHANGE = "QMS600"  # names the signed record; its message names the approvals it voids


def _status(approval: Approval, report: Report) -> str:
    if approval.status == "revoked":
        return "revoked"
    named = [f for f in report.findings if f.record == approval.id
             or (f.code == VOIDED_BY_CHANGE and f.record == approval.record.id and approval.id in f.message)]
    waived = [f for f in report.waived if f.record == approval.id]
    if not named:
        return "valid" + "".join(f"; {f.code} waived by {f.waived_by}" for f in waived)
    judged = "not valid" if any(f.severity == "error" for f in named) else "valid with warnings"
    return judged + ": " + "; ".join(f"{f.code} {f.message}" for f in named)


def _added_by(trail: AuditTrail | None) -> dict[str, str]:
    """Approval ID -> "short commit, date" of the commit that created it."""
    added: dict[str, str] = {}
    for change in trail.changes if trail is not None else ():
        if change.kind == "approval" and change.action == "created" and change.record_id not in added:
            added[change.record_id] = f"{change.commit[:12]} ({change.author_date.date().isoformat()})"
    return added


def _signer(approval: Approval, names: Names) -> str:
    role = names.records.get(approval.role.id) if approval.role is not None and names.records is not None else None
    shown = getattr(role, "title", None) or (approval.role.id if approval.role is not None else "no role stated")
    return f"{approval.printed_name} ({shown})"


def register_rows(records: RecordSet, report: Report, trail: AuditTrail | None, names: Names) -> list[tuple[str, ...]]:
    approvals = sorted((a for a in records.of_kind("approval") if isinstance(a, Approval)), key=lambda a: (a.record.id, a.signed.isoformat(), a.id))
    added = _added_by(trail)
    no_commit = "not in git history" if trail is not None else "git history not read"
    return [(a.id, names.title(a.record), label(Approval, "meaning", a.meaning), _signer(a, names),
             a.signed.isoformat(), a.record_hash[:12], added.get(a.id, no_commit), _status(a, report))
            for a in approvals]


def register_document(rows: list[tuple[str, ...]], records: RecordSet, documents: DocumentSet, trail: AuditTrail | None) -> ControlledDocument:
    ids = {r[0] for r in rows} | {a.record.id for a in records.of_kind("approval") if isinstance(a, Approval)}
    d = documents.document(DOC_TYPE, SUBJECT, "Register of approvals and electronic signatures", records=ids)
    d.heading("Approvals and signatures")
    valid = sum(1 for r in rows if r[-1].startswith("valid"))
    revoked = sum(1 for r in rows if r[-1] == "revoked")
    d.paragraph(f"Every approval record in this repository (records/approvals/), by the record it signs: {len(rows)} "
                f"approval(s), {valid} valid, {revoked} revoked, {len(rows) - valid - revoked} not valid. The status is "
                "the validation's judgement (21 CFR Part 11 §11.50, §11.70): an approval counts only while it is signed "
                "in a commit by the signer's registered key and git identity, inside the signer's authority and active "
                "period, and while the record still has the content hash it signed (shown here shortened to 12 of its "
                "64 hexadecimal digits). Commit: the commit that added the approval"
                + (", from the git history." if trail is not None else "; the git history was not read.")
                + f" The same rows are in {WORKBOOK}.")
    if rows:
        d.table(HEADER, rows)
    else:
        d.paragraph("No approval is recorded.")
    return d


def register_workbook(rows: list[tuple[str, ...]]) -> Workbook:
    from .xlsx import new_workbook, table_sheet

    wb = new_workbook()
    table_sheet(wb, "Approvals", HEADER, rows)
    return wb
