"""The dossier as a declared table: its sections after the EU MDR technical documentation (Annex II,
and Annex III for post-market surveillance), each with its folder, its heading and the producers that
fill it. `qms build` runs the producers in table order; the index groups files under these headings;
the progress bar counts these producers. Adding a document to the dossier is adding one producer here.

A section the repository has nothing for stays in the index with a line naming the records that would
fill it (`fills`); no placeholder document is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import producers as p
from .producers import Producer

if TYPE_CHECKING:
    from ..recordset import RecordSet


@dataclass(frozen=True)
class Section:
    folder: str
    title: str
    reference: str
    fills: str  # what fills the section, said when it is empty
    producers: tuple[Producer, ...] = ()


DEVICE = "01-device-description"
INFORMATION = "02-information-supplied"
DESIGN_MANUFACTURING = "03-design-manufacturing"
GSPR = "04-gspr"
RISK = "05-benefit-risk-management"
VV = "06-verification-validation"
PMS = "07-post-market-surveillance"
DECLARATION = "08-declaration-of-conformity"
# Not part of the technical documentation: the validation of the QMS's own software (ISO 13485 4.1.6),
# kept apart so Annex II 6 holds the device's and its processes' verification and validation only.
QMS_SOFTWARE = "qms-software-validation"

# The dossier's own top level: the findings and the audit trail (the index and manifest are written last,
# from everything the producers returned).
TOP = Section("", "Dossier", "", "", (
    Producer("validate", p.findings),
    Producer("audit-trail", p.audit_trail),
    Producer("approvals-register", p.approvals_register, p.approvals_keys),
))

SECTIONS = (
    Section(DEVICE, "Device description and specification", "EU MDR Annex II, 1",
            "the device block of qms.yaml (name, model, classification, intended purpose, Basic UDI-DI)", (
                Producer("device", p.device_description, p.device_keys),
            )),
    Section(INFORMATION, "Information to be supplied by the manufacturer", "EU MDR Annex II, 2",
            "document records of type label or ifu (records/documents/DOC-….yaml with type: label or ifu)", (
                Producer("information-supplied", p.information_supplied, p.labelling_keys),
            )),
    Section(DESIGN_MANUFACTURING, "Design and manufacturing information", "EU MDR Annex II, 3",
            "manufacturing sites and process steps (records/manufacturing/SITE-….yaml, PRC-….yaml), change "
            "control records (records/events/change/) and suppliers with a supplier policy "
            "(records/suppliers/, specs/policies/POL-SUPPLIER.yaml)", (
                Producer("manufacturing", p.manufacturing, p.manufacturing_keys),
                Producer("change-control", p.change_controls, p.change_keys),
                Producer("suppliers", p.suppliers, p.supplier_keys),
            )),
    Section(GSPR, "General safety and performance requirements", "EU MDR Annex II, 4",
            "GSPR records, one per Annex I requirement (records/gspr/GSPR-….yaml), and the standards applied "
            "(records/standards/STD-….yaml)", (
                Producer("gspr", p.gspr_checklist, p.gspr_keys),
                Producer("standards", p.standards_list, p.standards_keys),
            )),
    Section(RISK, "Benefit-risk analysis and risk management", "EU MDR Annex II, 5",
            "hazards, hazardous situations, risk controls, benefit-risk records and a risk policy (records/risk/, "
            "specs/policies/POL-RISK.yaml)", (
                Producer("risk-plan", p.risk_plan, p.risk_plan_keys),
                Producer("risk-report", p.risk_management_report, p.risk_report_keys),
                Producer("fmea", p.fmea_report, p.fmea_keys),
                Producer("risk-register", p.risk_register),
            )),
    Section(VV, "Product verification and validation", "EU MDR Annex II, 6",
            "requirements, design outputs, verification and validation records (specs/requirements/, "
            "records/verification/, records/validation/)", (
                Producer("trace", p.trace, p.trace_keys),
                Producer("validation", p.protocols, p.protocol_keys),
                Producer("evidence", p.evidence_register, p.evidence_keys),
            )),
    Section(PMS, "Post-market surveillance", "EU MDR Annex III",
            "complaints, nonconformances and CAPAs (records/events/), the PMS plan and PSURs (records/postmarket/)", (
                Producer("capa", p.capa_reports, p.capa_keys),
                Producer("management-review", p.management_review, p.review_keys),
                Producer("complaint-log", p.complaint_log, p.complaint_log_keys),
                Producer("nc-log", p.nc_log, p.nc_log_keys),
                Producer("vigilance-log", p.vigilance_log, p.vigilance_log_keys),
                Producer("logs-workbook", p.logs_workbook),
                Producer("pms-plan", p.pms_plan, p.pms_plan_keys),
                Producer("psur", p.psurs, p.psur_keys),
            )),
    Section(DECLARATION, "EU declaration of conformity", "EU MDR Article 19, Annex IV",
            "qms.yaml: the company (manufacturer, address, SRN), device and declaration blocks (notified body, "
            "procedure, certificates, place, signatory), and the standards applied (records/standards/)", (
                Producer("declaration", p.declaration, p.declaration_keys),
            )),
    Section(QMS_SOFTWARE, "QMS software validation", "ISO 13485:2016 4.1.6",
            "protocols with subject: software that validate the QMS's own software (protocols/)", (
                Producer("qms-software-validation", p.software_protocols, p.software_protocol_keys),
            )),
)


def producers() -> list[tuple[Section, Producer]]:
    """Every producer of the dossier with its section, in the order the build runs them."""
    return [(section, producer) for section in (TOP, *SECTIONS) for producer in section.producers]


# The documents the build makes itself, from what the producers returned.
INDEX_KEY = ("dossier", "index")


def document_keys(records: RecordSet) -> list[tuple[str, str]]:
    """(type, subject) of every controlled document the dossier makes of `records`: what the number
    register must hold (render.numbers)."""
    return [key for _, producer in producers() for key in producer.documents(records)] + [INDEX_KEY]


def section_of(rel: str) -> Section:
    top = rel.split("/", 1)[0] if "/" in rel else ""
    return next((s for s in SECTIONS if s.folder == top), TOP)


def title_of(section: Section) -> str:
    """The section's title and Annex reference, unnumbered: a Word document numbers its headings itself."""
    return f"{section.title} ({section.reference})" if section.folder else section.title


def heading_of(section: Section) -> str:
    """The section's heading with its folder's number, as the review portal shows it (a folder outside the
    Annex II/III numbering has none)."""
    number = section.folder.split("-", 1)[0]
    return f"{int(number)} {title_of(section)}" if number.isdigit() else title_of(section)
