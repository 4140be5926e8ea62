"""The CAPA report (ISO 13485:2016 8.5.2, 21 CFR 820.100(b)): one CAPA as a Word document.

Sections in a fixed order: Problem, Containment, Investigation, Root cause, Risk and reportability, Actions,
Adverse effect, Effectiveness; what 8.5.2 asks for and the record lacks reads "Not recorded."
The report is a controlled document (number CAPR-n, n the CAPA's place in ID order) whose approval
block holds the CAPA's own approvals, the same from `qms build` and `qms capa report`; a caller without
a DocumentSet gets an uncontrolled copy that ends with an Approvals section instead. Deterministic bytes
(render.docx).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_bytes
from ..model.events import Capa, CapaAction, Effectiveness, RootCause
from ..model.labels import label, status_label
from ..model.people import Approval
from ..recordset import RecordSet
from .document import DocumentSet, UncontrolledCopy
from .names import Names

if TYPE_CHECKING:
    from .document import ControlledDocument

SECTIONS = ("Problem", "Containment", "Investigation", "Root cause", "Risk and reportability", "Actions",
            "Adverse effect", "Effectiveness")
ACTIONS_HEADER = ("#", "Type", "Description", "Owner", "Due", "Status", "Done", "Evidence")
SIGNATORIES = ("CAPA owner", "Quality assurance", "Management representative")
NOT_RECORDED = "Not recorded."


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return str(value.id if hasattr(value, "id") else value)


def _para(d: Any, text: str | None) -> None:
    d.paragraph(" ".join(text.split()) if text and text.strip() else NOT_RECORDED)


def linked_ids(records: RecordSet, record_id: str) -> set[str]:
    """The record and every record it links to: what a report on it draws on."""
    return {record_id, *(link.target for link in records.links_from(record_id))}


def capa_body(d: ControlledDocument, records: RecordSet, capa: Capa, names: Names) -> None:
    facts = [("Status", status_label(capa.status)), ("Owner", names.person(capa.owner) or "—"), ("Area", _text(capa.area)),
             ("Opened", _text(capa.opened)), ("Due", _text(capa.due)), ("Closed", _text(capa.closed))]
    if capa.cancel_reason:
        facts.append(("Cancel reason", capa.cancel_reason))
    d.table(("Field", "Value"), [[k, v] for k, v in facts])

    d.heading("Problem")
    _para(d, capa.problem)
    if capa.sources:
        d.paragraph("Source records:")
        for ref in capa.sources:
            src = records.get(ref)
            line = f"{ref.id}: {src.title}" if src is not None else f"{ref.id} (not found)"
            extra = getattr(src, "detected", None) or getattr(src, "received", None)
            d.paragraph(line + (f" ({extra})" if extra else ""), style="List Bullet")

    d.heading("Containment")
    _para(d, capa.containment)
    for ref in capa.sources:
        containment = getattr(records.get(ref), "containment", None)  # a nonconformance's or a complaint's
        if containment:
            d.paragraph(f"{names.title(ref)}: {' '.join(containment.split())}", style="List Bullet")

    d.heading("Investigation")
    _para(d, capa.investigation)

    d.heading("Root cause")
    rc = capa.root_cause
    if rc is None:
        d.paragraph(NOT_RECORDED)
    else:
        d.paragraph(f"Method: {label(RootCause, 'method', rc.method) or '—'}; "
                    f"category: {label(RootCause, 'category', rc.category) or '—'}")
        for i, why in enumerate(rc.whys, 1):
            d.paragraph(f"{i}. {why}")
        d.paragraph(f"Statement: {' '.join(rc.statement.split()) if rc.statement else NOT_RECORDED}")

    d.heading("Risk and reportability")
    risk, rep = capa.risk, capa.reportability
    d.table(("Item", "Value"), [
        ["Risk assessment", " ".join(risk.assessment.split()) if risk and risk.assessment else NOT_RECORDED],
        ["Risk file", ", ".join(names.title(r) for r in risk.links) if risk and risk.links else NOT_RECORDED],
        ["Reportable", NOT_RECORDED if rep is None else "yes" if rep.reportable else "no"],
        ["Decided", "—" if rep is None else f"{_text(rep.decided)} by {names.person(rep.by) or '—'}"],
        ["Rationale", " ".join(rep.rationale.split()) if rep and rep.rationale else "—"],
    ])

    d.heading("Actions")
    if capa.actions:
        d.table(ACTIONS_HEADER, [[str(i), label(CapaAction, "type", a.type), " ".join(a.description.split()),
                                  names.person(a.owner) or "—", _text(a.due), label(CapaAction, "status", a.status),
                                  _text(a.done), _text(a.evidence)] for i, a in enumerate(capa.actions, 1)])
    else:
        d.paragraph("No actions recorded.")

    d.heading("Adverse effect")
    adv = capa.adverse_effect
    if adv is None or adv.verified is None:
        d.paragraph("Verification that the actions do not adversely affect the device: " + NOT_RECORDED)
    else:
        d.paragraph(f"Verified {adv.verified} by {names.person(adv.by) or '—'} that the actions do not adversely "
                    f"affect the device: {' '.join((adv.evidence or '—').split())}")

    d.heading("Effectiveness")
    eff = capa.effectiveness
    if eff is None:
        d.paragraph(NOT_RECORDED)
    else:
        d.table(("Item", "Value"), [
            ["Criteria", " ".join(eff.criteria.split()) if eff.criteria else "—"],
            ["Criteria set", _text(eff.criteria_set)], ["Check due", _text(eff.check_due)],
            ["Checked", _text(eff.checked)], ["Result", label(Effectiveness, "result", eff.result) or "—"],
            ["Verified by", names.person(eff.verified_by) or "—"], ["Evidence", _text(eff.evidence)],
            ["Evidence records", ", ".join(r.id for r in eff.evidence_records) or NOT_RECORDED],
            ["Records the criteria call for", _text(eff.needed)],
        ])


def _approvals_section(d: UncontrolledCopy, records: RecordSet, capa: Capa, names: Names) -> None:
    """The uncontrolled copy's own approvals (a controlled report has them in its approval block)."""
    d.heading("Approvals")
    approvals = sorted((a for a in records.of_kind("approval") if isinstance(a, Approval) and a.record is not None
                        and a.record.id == capa.id), key=lambda a: (a.signed, a.id))
    if approvals:
        d.table(("Approval", "Meaning", "Signer", "Printed name", "Signed", "Status"),
                [[a.id, label(type(a), "meaning", a.meaning), names.person(a.signer), a.printed_name,
                  a.signed.isoformat(), status_label(a.status)] for a in approvals])
    else:
        d.paragraph("No electronic approval records name this CAPA.")
    for role in SIGNATORIES:
        d.paragraph(f"{role}: name ______________________  signature ______________________  date ____________")


def capa_document(records: RecordSet, capa: Capa, documents: DocumentSet | None = None) -> ControlledDocument:
    """The report as a ControlledDocument (with `documents`) or an UncontrolledCopy (without)."""
    if documents is None:
        d: Any = UncontrolledCopy(f"{capa.id}: {capa.title}")
        d.heading(f"{capa.id} — {capa.title}", level=0)
        names = Names(records)
        capa_body(d, records, capa, names)
        _approvals_section(d, records, capa, names)
        return d
    d = documents.document("capa", capa.id, f"CAPA report {capa.id}: {capa.title}",
                           records=linked_ids(records, capa.id), subject=capa.id, signatories=SIGNATORIES)
    capa_body(d, records, capa, documents.names)
    return d


def capa_report_bytes(records: RecordSet, capa: Capa, documents: DocumentSet | None = None) -> bytes:
    return capa_document(records, capa, documents).to_bytes()


def write_capa_report(records: RecordSet, capa: Capa, path: Path, documents: DocumentSet | None = None) -> None:
    write_bytes(path, capa_report_bytes(records, capa, documents))
