"""The device description (EU MDR Annex II 1): the manufacturer and the device block of qms.yaml."""

from __future__ import annotations

from .document import ControlledDocument, DocumentSet

# The device block's descriptive fields (EU MDR Annex II 1.1), in the order the description gives them.
DESCRIPTION = (
    ("classification_rule", "Classification rule (EU MDR Annex VIII)"),
    ("principle_of_operation", "Principle of operation"),
    ("variants_and_accessories", "Variants, configurations and accessories"),
    ("patient_population", "Intended patient population"),
    ("indications", "Indications"),
    ("contraindications", "Contraindications"),
    ("previous_generations", "Previous and similar generations"),
)


def device_description(documents: DocumentSet) -> ControlledDocument:
    """Annex II 1 as far as qms.yaml states it: the manufacturer and the device block."""
    cfg = documents.config
    dev, company = cfg.device, cfg.company
    d = documents.document("device", "description", "Device description and specification")
    d.heading("Manufacturer")
    d.table(("Item", "Value"), [("Name", company.name), ("Address", company.address or "not stated"),
                                ("Single registration number (SRN)", company.srn or "not stated")])
    d.heading("Device")
    d.table(("Item", "Value"), [
        ("Trade name", dev.name), ("Model", dev.model or "not stated"),
        ("Basic UDI-DI", dev.basic_udi_di or "not stated"),
        ("EU MDR class", dev.classification_eu or "not stated"),
        ("FDA class", dev.classification_us or "not stated"),
    ])
    d.heading("Intended purpose")
    d.paragraph(" ".join(dev.intended_use.split()) if dev.intended_use else
                "Not stated: add device.intended_use to qms.yaml.")
    for field, heading in DESCRIPTION:
        d.heading(heading)
        text = getattr(dev, field)
        d.paragraph(" ".join(text.split()) if text and text.strip() else f"Not stated in qms.yaml (device.{field}).")
    d.paragraph("Source: the device block of qms.yaml, under change control with the quality records.")
    return d
