"""Annex II 3(b), where and how the device is made: the sites with their roles and certificates, and the
process flow in order, each step with its site, equipment, in-process controls and whether its output is
verified or the process validated (ISO 13485 7.5.6) by which approved protocols."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..model.labels import label
from ..model.manufacturing import ProcessStep, Site
from ..rules.manufacturing import APPROVED_PROTOCOL, validated_by
from .document import DocumentSet

if TYPE_CHECKING:
    from ..recordset import RecordSet
    from .document import ControlledDocument

DOCX_NAME = "manufacturing_sites_and_process.docx"


def live(records: RecordSet, kind: str) -> list[Any]:
    return [r for r in records.of_kind(kind) if not r.retired]


def process_steps(records: RecordSet) -> list[Any]:
    return sorted(live(records, "process_step"), key=lambda s: (s.sequence, s.id))


def _certificates(site: Any, records: Any, as_of: dt.date) -> str:
    """The site's certificates, or a supplier's site's from its supplier record, each with its expiry."""
    certs, source = site.certificates, ""
    if not certs and site.supplier is not None:
        supplier = records.get(str(site.supplier))
        certs, source = (supplier.certificates if supplier is not None else []), f" (supplier record {site.supplier})"
    if not certs:
        return "none recorded"
    lines = []
    for c in certs:
        expiry = "no expiry stated" if c.expires is None else (
            f"EXPIRED {c.expires}" if c.expires < as_of else f"valid to {c.expires}")
        lines.append(f"{c.standard} {c.number or ''}".strip() + f", {c.issuer or 'issuer not stated'}, {expiry}")
    return "\n".join(lines) + source


def _owner(site: Any, names: Any) -> str:
    return f"Supplier: {names.title(site.supplier)}" if site.supplier is not None else "Manufacturer's own site"


def _validation(step: Any, records: Any) -> str:
    if step.output_verification != "special_process":
        return "Output verified by later inspection and test"
    if not step.validation:
        return "SPECIAL PROCESS NOT VALIDATED: no protocol named"
    lines = []
    for ref in step.validation:
        p = records.get(str(ref))
        if p is None:
            lines.append(f"{ref} (not found)")
        else:
            ok = p.status in APPROVED_PROTOCOL and p.approved is not None
            lines.append(f"{p.id} approved {p.approved}, {p.status}" if ok else f"{p.id} {p.status} (NOT APPROVED)")
    return "Special process, validated by:\n" + "\n".join(lines)


def manufacturing_document(records: RecordSet, documents: DocumentSet, as_of: dt.date) -> ControlledDocument:
    """The sites table and the numbered process flow."""
    sites = sorted(live(records, "site"), key=lambda s: s.id)
    steps = process_steps(records)
    names = documents.names
    d = documents.document("manufacturing", "process", "Manufacturing sites and process",
                           records=[s.id for s in sites] + [s.id for s in steps])
    special = [s for s in steps if s.output_verification == "special_process"]
    d.heading("Summary")
    d.paragraph(f"Sites: {len(sites)}. Process steps: {len(steps)} (EU MDR Annex II 3(b)). Special processes, whose "
                "output later inspection and test do not fully verify, validated under ISO 13485:2016 7.5.6: "
                + (", ".join(f"step {s.sequence} {s.title} ({_validated(s, records)})" for s in special) or "none")
                + f". Certificates are shown as of {as_of}.")
    d.heading("Manufacturing sites")
    d.table(("Site", "Address", "Roles", "Operated by", "Certificates"), [
        (f"{s.id}\n{s.title}", s.address, ", ".join(label(Site, "roles", r) for r in s.roles) or "not stated",
         _owner(s, names), _certificates(s, records, as_of)) for s in sites])
    d.heading("Process flow")
    d.paragraph("In the order of manufacture. Equipment is named by its record; its calibration and qualification "
                "are in the equipment records and the validation section.")
    d.table(("No.", "Step", "Site", "Equipment", "In-process controls", "Verification or validation"), [
        (str(s.sequence), f"{s.id}\n{s.title}", _site_name(s, records), names.lines(s.equipment) or "none",
         "\n".join(f"• {c}" for c in s.controls) or "none stated", _validation(s, records)) for s in steps])
    d.heading("Inputs and outputs")
    d.table(("No.", "Step", "Inputs", "Outputs"), [
        (str(s.sequence), s.title, "\n".join(s.inputs) or "not stated", "\n".join(s.outputs) or "not stated")
        for s in steps])
    labels = {label(ProcessStep, "output_verification", s.output_verification) for s in steps}
    d.paragraph("Verification categories used: " + "; ".join(sorted(labels)) + ".")
    return d


def _validated(step: Any, records: Any) -> str:
    approved = validated_by(records, step)
    return "validated by " + ", ".join(approved) if approved else "NOT VALIDATED"


def _site_name(step: Any, records: Any) -> str:
    site = records.get(str(step.site))
    return f"{step.site}\n{site.title}" if site is not None else f"{step.site} (not found)"
