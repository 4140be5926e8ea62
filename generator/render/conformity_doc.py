"""Annex II 4 and the evidence behind it: the GSPR checklist (one row per Annex I item: does it apply,
by which standards, shown by which records), the list of standards applied, and the register of external
evidence documents with their SHA-256 and whether the file is there unchanged.

The evidence files' states come from the load layer (load.evidence), as the rules QMS762/763 read them."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..load.evidence import CHANGED, MISSING, OUTSIDE, PRESENT, UNREADABLE
from ..model.conformity import Evidence
from ..model.labels import label, status_label
from .document import DocumentSet

if TYPE_CHECKING:
    from ..load.repo import Exports
    from ..model import Record
    from ..recordset import RecordSet
    from .document import ControlledDocument
    from .names import Names

GSPR_NAME = "gspr_checklist.docx"
STANDARDS_NAME = "standards_applied.docx"
EVIDENCE_NAME = "evidence_register.docx"

_STATE = {PRESENT: "present", MISSING: "missing", CHANGED: "changed (SHA-256 differs)",
          OUTSIDE: "refused (path leaves the repository)", UNREADABLE: "unreadable"}


def _item_order(item: str) -> tuple[Any, ...]:
    """Annex I order: 2 before 10, 14.2 before 14.2(a) before 14.10."""
    return tuple(int(n) if n.isdigit() else n for n in re.findall(r"[0-9]+|[a-z]+", item))


def live(records: RecordSet, kind: str) -> list[Any]:
    return [r for r in records.of_kind(kind) if not r.retired]


def gspr_entries(records: RecordSet) -> list[Any]:
    return sorted(live(records, "gspr"), key=lambda g: (_item_order(g.item), g.id))


def _yes_no(value: bool | None) -> str:
    return "not stated" if value is None else "Yes" if value else "No"


def gspr_checklist(records: RecordSet, documents: DocumentSet) -> ControlledDocument:
    """The GSPR checklist (Annex II 4): every entry in Annex I order, the gaps said first."""
    entries = gspr_entries(records)
    names = documents.names
    cited = {r.id for g in entries for r in (*g.standards, *g.evidence)}
    d = documents.document("gspr", "checklist", "General safety and performance requirements checklist",
                           records=[g.id for g in entries] + sorted(cited))
    applicable = [g for g in entries if g.applicable]
    gaps = [g for g in applicable if not g.evidence]
    d.heading("Summary")
    d.paragraph(f"{len(entries)} Annex I requirements assessed: {len(applicable)} applicable, "
                f"{len(entries) - len(applicable)} not applicable. Applicable without evidence linked: "
                + (", ".join(g.item for g in gaps) if gaps else "none") + ".")
    d.paragraph("Each row is a GSPR record (records/gspr/); the standards are those of the standards-applied list, "
                "the evidence the verification, validation, document and evidence records named.")
    d.heading("Checklist (EU MDR Annex I)")
    d.table(("Annex I item", "Requirement", "Applicable", "Standards applied", "Evidence of conformity"), [
        (f"{g.item}\n{g.id}", g.requirement, "Yes" if g.applicable else "No", names.lines(g.standards) or "none",
         _evidence(g, names)) for g in entries])
    d.heading("Record status")
    d.paragraph("Entries by status: " + ", ".join(
        f"{status_label(s)} {n}" for s, n in sorted(_count(g.status for g in entries).items())) + ".")
    return d


def _evidence(g: Any, names: Names) -> str:
    """The evidence cell: the records linked; for a gap, what the entry says is missing; for an item that
    does not apply, why."""
    if not g.applicable:
        return f"Not applicable: {g.justification or 'NO JUSTIFICATION GIVEN'}"
    if g.evidence:
        return names.lines(g.evidence)
    note = " ".join((g.description or "").split())
    return "NONE LINKED (gap)" + (f": {note}" if note else "")


def _count(values: Any) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def standards_list(records: RecordSet, documents: DocumentSet) -> ControlledDocument:
    """The standards applied, each with the Annex I items it is cited for."""
    standards = sorted(live(records, "standard"), key=lambda s: (s.number, s.id))
    used: dict[str, list[str]] = {}
    for g in gspr_entries(records):
        for ref in g.standards:
            used.setdefault(ref.id, []).append(g.item)
    d = documents.document("standards", "list", "Standards applied", records=[s.id for s in standards])
    d.heading("Standards and common specifications applied")
    harmonised = sum(1 for s in standards if s.harmonised)
    d.paragraph(f"{len(standards)} standards applied, {harmonised} of them harmonised under EU MDR (presumption of "
                "conformity, Art. 8).")
    d.table(("Standard", "Edition", "Title", "Harmonised", "Scope of application", "Annex I items"), [
        (f"{s.number}\n{s.id}", s.edition, s.title, _yes_no(s.harmonised), s.scope or "not stated",
         ", ".join(used.get(s.id, ())) or "none cited") for s in standards])
    return d


def evidence_state(exports: Exports, record: Record) -> str:
    found = exports.get(record.id)
    return _STATE.get(getattr(found, "state", ""), "not checked")


def evidence_register(records: RecordSet, exports: Exports, documents: DocumentSet) -> ControlledDocument:
    """Every external evidence document: what it is, where it is, its recorded SHA-256 and its state."""
    items = sorted(live(records, "evidence"), key=lambda e: e.id)
    citing: dict[str, list[str]] = {}
    for g in gspr_entries(records):
        for ref in g.evidence:
            citing.setdefault(ref.id, []).append(g.item)
    d = documents.document("evidence", "register", "Register of external evidence documents",
                           records=[e.id for e in items])
    states = [evidence_state(exports, e) for e in items]
    d.heading("Summary")
    d.paragraph(f"{len(items)} evidence documents: " + ", ".join(
        f"{n} {s}" for s, n in sorted(_count(states).items())) + ". A document is present when the file at its path "
        "has the SHA-256 the record states.")
    d.heading("Evidence documents")
    d.table(("Evidence", "Type", "Issuer and date", "File", "SHA-256 (recorded)", "State", "GSPR items"), [
        (f"{e.id}\n{e.title}", label(Evidence, "type", e.type),
         "\n".join(x for x in (e.issuer, e.reference, e.issued.isoformat() if e.issued else None) if x) or "not stated",
         e.path, e.sha256, state, ", ".join(citing.get(e.id, ())) or "none")
        for e, state in zip(items, states)])
    _cited_reports(d, records, items, dict(zip((e.id for e in items), states)))
    return d


def _cited_reports(d: ControlledDocument, records: RecordSet, items: list[Any], states: dict[str, str]) -> None:
    """Each report a verification or validation result cites, with the evidence record that holds it, or
    missing (QMS764)."""
    from ..rules.conformity import cited

    held = {cited(e.reference): e for e in items if e.reference}
    rows = []
    for v in sorted([*live(records, "verification"), *live(records, "validation")], key=lambda r: r.id):
        for r in v.results:
            if r.evidence:
                e = held.get(cited(r.evidence))
                rows.append((f"{v.id}\n{v.title}", r.date.isoformat(), r.result.upper(), r.evidence,
                             f"{e.id}, {states[e.id]}" if e else "missing: no evidence record holds it (QMS764)"))
    if rows:
        d.heading("Reports cited by verification and validation records")
        missing = sum(1 for row in rows if row[-1].startswith("missing"))
        d.paragraph(f"{len(rows)} verification or validation result(s) cite a report; "
                    + (f"{missing} of them cite a report no evidence record holds." if missing
                       else "each report is held by an evidence record."))
        d.table(("Verification or validation", "Date", "Result", "Report cited", "Evidence record"), rows)
