"""The dossier as a declared table: its sections after the EU MDR technical documentation (Annex II,
and Annex III for post-market surveillance), each with its folder, its heading and the producers that
fill it. `qms build` runs the producers in table order; the index groups files under these headings;
the progress bar counts these producers. Adding a document to the dossier is adding one producer here.

A section the repository has nothing for stays in the index with a line naming the records that would
fill it (`fills`); no placeholder document is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass
from . import producers as p
from .producers import Producer


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

# The dossier's own top level: the findings and the audit trail (the index and manifest are written last,
# from everything the producers returned).
TOP = Section("", "Dossier", "", "", (
    Producer("validate", p.findings),
    Producer("audit-trail", p.audit_trail),
))

SECTIONS = (
    Section(DEVICE, "Device description and specification", "EU MDR Annex II, 1",
            "the device block of qms.yaml (name, model, classification, intended purpose, Basic UDI-DI)", (
                Producer("device", p.device_description),
            )),
    Section(INFORMATION, "Information to be supplied by the manufacturer", "EU MDR Annex II, 2",
            "document records of type label or ifu (records/documents/DOC-….yaml with type: label or ifu)", (
                Producer("information-supplied", p.information_supplied),
            )),
    Section(DESIGN_MANUFACTURING, "Design and manufacturing information", "EU MDR Annex II, 3",
            "change control records (records/events/change/) and suppliers with a supplier policy "
            "(records/suppliers/, specs/policies/POL-SUPPLIER.yaml)", (
                Producer("change-control", p.change_controls),
                Producer("suppliers", p.suppliers),
            )),
    Section(GSPR, "General safety and performance requirements", "EU MDR Annex II, 4",
            "a GSPR checklist: one record per Annex I requirement naming the standards applied and the evidence "
            "of conformity; the repository has no record kind for it yet"),
    Section(RISK, "Benefit-risk analysis and risk management", "EU MDR Annex II, 5",
            "hazards, hazardous situations, risk controls, benefit-risk records and a risk policy (records/risk/, "
            "specs/policies/POL-RISK.yaml)", (
                Producer("risk-plan", p.risk_plan),
                Producer("risk-report", p.risk_management_report),
                Producer("fmea", p.fmea_report),
                Producer("risk-register", p.risk_register),
            )),
    Section(VV, "Product verification and validation", "EU MDR Annex II, 6",
            "requirements, design outputs, verification and validation records (specs/requirements/, "
            "records/verification/, records/validation/)", (
                Producer("trace", p.trace),
                Producer("validation", p.protocols),
            )),
    Section(PMS, "Post-market surveillance", "EU MDR Annex III",
            "complaints, nonconformances and CAPAs (records/events/)", (
                Producer("capa", p.capa_reports),
                Producer("management-review", p.management_review),
            )),
)


def producers() -> list[tuple[Section, Producer]]:
    """Every producer of the dossier with its section, in the order the build runs them."""
    return [(section, producer) for section in (TOP, *SECTIONS) for producer in section.producers]


def section_of(rel: str) -> Section:
    top = rel.split("/", 1)[0] if "/" in rel else ""
    return next((s for s in SECTIONS if s.folder == top), TOP)


def heading_of(section: Section) -> str:
    number = section.folder.split("-", 1)[0]
    return f"{int(number)} {section.title} ({section.reference})" if section.folder else section.title
