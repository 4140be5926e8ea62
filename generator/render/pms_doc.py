"""Post-market surveillance documents (EU MDR Annex III) and the EU declaration of conformity (Annex IV).

- The PMS plan (Art. 84, Annex III 1.1): the approved PMSP- record as a document.
- Each PSUR (Art. 86): what the PSUR- record states, beside what the records of its period give
  (analysis.psur, built on analysis.postmarket); rates only over the plan's minimum population.
- The declaration of conformity (Art. 19): Annex IV item by item from qms.yaml, the standards records and
  the signatory's user record; the items the repository cannot fill (analysis.declaration, rule QMS773)
  are said in place. It is a DRAFT until a DOC- record carrying its number is approved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.declaration import declaration_gaps, signatory, standards_applied
from ..analysis.psur import COUNTS, PsurFacts, plan_of, psur_facts_of
from ..model.labels import label, status_label
from ..model.postmarket import DataSource, Indicator, PmsPlan, Psur
from .document import DocumentSet

if TYPE_CHECKING:
    from ..recordset import RecordSet
    from .document import ControlledDocument

PLAN_NAME = "pms_plan.docx"
DECLARATION_NAME = "eu_declaration_of_conformity.docx"


def psur_name(psur_id: str) -> str:
    return f"psur/{psur_id}.docx"


def current_plan(records: RecordSet) -> PmsPlan | None:
    """The plan the dossier shows: the latest approved one, else the latest not retired."""
    plans = [p for p in records.of_type(PmsPlan) if not p.retired]
    approved = [p for p in plans if p.status == "approved"]
    return (approved or plans)[-1] if plans else None


def live_psurs(records: RecordSet) -> list[Any]:
    return sorted((p for p in records.of_kind("psur") if not p.retired), key=lambda p: p.id)


def _number(value: float) -> str:
    return f"{value:g}"


def _device(config: Any) -> str:
    dev = config.device
    parts = [dev.name, f"model {dev.model}" if dev.model else None,
             f"class {dev.classification_eu}" if dev.classification_eu else None]
    return ", ".join(p for p in parts if p)


# --- the plan -------------------------------------------------------------------------------------------

def pms_plan_document(records: RecordSet, plan: PmsPlan, documents: DocumentSet) -> ControlledDocument:
    config = records.config
    assert config is not None  # the dossier is built from a repository's qms.yaml
    names = documents.names
    d = documents.document("pms", "plan", "Post-market surveillance plan",
                           records=[plan.id, *(r.person.id for r in plan.responsibilities),
                                    *(p.id for p in plan.procedures)])
    d.heading("Scope")
    d.paragraph(f"Device: {_device(config)}. {plan.scope}")
    d.paragraph(f"This document is the PMS plan {names.title(plan.id)} (status {status_label(plan.status)}), "
                "required by EU MDR Art. 84 and Annex III 1.1.")
    d.heading("Data sources")
    d.table(("Source", "Method of collection and use", "Frequency"),
            [(label(DataSource, "source", s.source), s.method, s.frequency or "not stated") for s in plan.sources])
    d.heading("Indicators and thresholds")
    d.paragraph(f"Rates are stated per 1,000 units sold, and only for a period in which at least {plan.min_population} "
                "units were sold (the plan's minimum population); below it the PSUR states counts only. An "
                "indicator is exceeded when its value is above the threshold.")
    if plan.indicators:
        d.table(("Indicator", "Measure", "Threshold", "Action when exceeded"),
                [(i.name, label(Indicator, "measure", i.measure), _number(i.threshold), i.action)
                 for i in plan.indicators])
    else:
        d.paragraph("The plan names no indicator.")
    d.heading("Methods")
    d.paragraph(plan.methods)
    d.heading("Frequency and reporting")
    d.paragraph(f"Review of the post-market data: {plan.review_frequency}. Periodic safety update report (Art. 86): "
                f"every {plan.psur_interval_months} months"
                + (f"; for a class {config.device.classification_eu} device the Regulation asks at least "
                   + ("annually." if config.device.classification_eu in ("IIb", "III") else "every two years.")
                   if config.device.classification_eu in ("IIa", "IIb", "III") else "."))
    d.heading("Responsibilities")
    if plan.responsibilities:
        d.table(("Task", "Responsible"), [(r.task, names.title(r.person)) for r in plan.responsibilities])
    else:
        d.paragraph("The plan names no responsibilities.")
    d.heading("Procedures")
    d.paragraph("The plan relies on these controlled procedures (complaint handling and vigilance, CAPA):")
    d.paragraph(names.lines(plan.procedures) or "none named")
    return d


# --- the PSUR -------------------------------------------------------------------------------------------

def _agrees(stated: Any, found: Any) -> str:
    return "agrees" if stated == found else "DIFFERS"


def psur_document(records: RecordSet, psur: Psur, documents: DocumentSet) -> ControlledDocument:
    names = documents.names
    facts = psur_facts_of(records, psur)
    plan = plan_of(records, psur)
    counted = [*facts.complaints, *facts.nonconformances, *facts.capas, *facts.shipments]
    d = documents.document("psur", psur.id, f"Periodic safety update report {psur.id}",
                           records=[psur.id, *([plan.id] if plan is not None else []), *counted])
    period = f"{psur.period_start.isoformat()} to {psur.period_end.isoformat()}"
    d.heading("Period and device")
    d.paragraph(f"Device: {_device(records.config)}. Period: {period} (data lock point "
                f"{psur.period_end.isoformat()}). PMS plan: {names.title(psur.plan)}. Report status: "
                f"{status_label(psur.status)}" + (f", issued {psur.issued.isoformat()}." if psur.issued else "."))
    d.heading("Figures of the period: stated and from the records")
    d.paragraph("The PSUR record states its figures; beside them are those the records of the same period give: "
                "complaints by date received, nonconformances by date detected, CAPAs by date opened, units sold as "
                "the serial units and lot quantities on shipments shipped in the period, units in use as all units "
                "shipped up to its end. A difference is a finding (QMS771).")
    rows: list[tuple[str, Any, Any, str, str]] = [(text, getattr(psur.stated, name), facts.count(name), _agrees(getattr(psur.stated, name), facts.count(name)),
             ", ".join(getattr(facts, name)) or "none") for name, text in COUNTS]
    rows.append(("Units sold", psur.units_sold, facts.units_sold, _agrees(psur.units_sold, facts.units_sold),
                 ", ".join(facts.shipments) or "none"))
    rows.append(("Units in use (end of period)", psur.units_in_use if psur.units_in_use is not None else "not stated",
                 facts.units_in_use, _agrees(psur.units_in_use, facts.units_in_use), "shipments up to the period's end"))
    d.table(("Figure", "Stated", "Records", "Check", "Records counted"), rows)
    d.heading("Rates")
    d.paragraph(_rates(facts, names, psur))
    _postmarket_tables(d, records, facts, names)
    d.heading("Trend (Art. 88)")
    d.paragraph("Complaints received per calendar quarter of the period (quarters cut at the period's ends):")
    d.table(("Quarter", "Complaints"), list(facts.by_quarter))
    d.heading("Indicators against the PMS plan's thresholds")
    if facts.indicators:
        d.table(("Indicator", "Measure", "Threshold", "Value", "Exceeded", "Action"),
                [(i.name, label(Indicator, "measure", i.measure), _number(i.threshold),
                  _number(i.value) if i.value is not None else "not stated (population below the minimum)"
                  if i.measure.endswith("_rate") else "not computed",
                  "not assessed" if i.exceeded is None else "YES" if i.exceeded else "no", i.action)
                 for i in facts.indicators])
    else:
        d.paragraph("The PMS plan names no indicators." if plan is not None else
                    f"{psur.plan.id} is not a PMS plan in this repository: no thresholds to compare with.")
    d.heading("Field safety corrective actions")
    d.paragraph("\n".join(psur.fscas) if psur.fscas else "None in the period.")
    d.heading("Conclusions of the benefit-risk determination")
    d.paragraph(psur.benefit_risk)
    d.heading("Main findings of the PMCF")
    d.paragraph(psur.pmcf)
    d.heading("Conclusion")
    d.paragraph(psur.conclusion)
    return d


def _rates(facts: PsurFacts, names: Any, psur: Any) -> str:
    if facts.min_population is None:
        return (f"No rate is stated: {psur.plan.id} is not a PMS plan in this repository, so no minimum "
                "population is set.")
    if not facts.rated:
        return (f"No rate is stated: {facts.units_sold} units were sold in the period, fewer than the minimum "
                f"population of {facts.min_population} units the PMS plan {names.title(psur.plan)} names for a rate; "
                "the counts above are the figures of the period.")
    return (f"Per 1,000 units sold ({facts.units_sold} units, at least the minimum population of {facts.min_population} "
            f"the PMS plan names): complaints {facts.rate('complaints'):.2f}, serious incidents "
            f"{facts.rate('serious_incidents'):.2f}.")


def _postmarket_tables(d: Any, records: Any, facts: PsurFacts, names: Any) -> None:
    from ..model.events import Complaint, VigilanceReport

    d.heading("Complaints and serious incidents in the period")
    rows = []
    for cid in facts.complaints:
        c = records.get(cid)
        reports = "\n".join(f"{label(VigilanceReport, 'authority', r.authority)} {r.reference or ''}".strip()
                            for r in c.reports) or "none"
        rows.append((names.title(c), c.received, label(Complaint, "event_class", c.event_class) or "not classified",
                     "yes" if cid in facts.serious_incidents else "no", reports,
                     names.title(c.capa) if c.capa else "none", status_label(c.status)))
    if rows:
        d.table(("Complaint", "Received", "Event class", "Serious incident", "Reports", "CAPA", "Status"), rows)
    else:
        d.paragraph("No complaint was received in the period.")
    d.heading("Nonconformances and CAPAs in the period")
    if facts.nonconformances:
        d.paragraph(f"{len(facts.nonconformances)} nonconformance(s) detected in the period:")
        d.table(("Nonconformance", "Detected", "Status"),
                [(names.title(n), records.get(n).detected, status_label(records.get(n).status))
                 for n in facts.nonconformances])
    else:
        d.paragraph("No nonconformance was detected in the period.")
    if facts.capas:
        d.paragraph(f"{len(facts.capas)} CAPA(s) opened in the period:")
        d.table(("CAPA", "Opened", "Status"),
                [(names.title(c), records.get(c).opened, status_label(records.get(c).status)) for c in facts.capas])
    else:
        d.paragraph("No CAPA was opened in the period.")


# --- the declaration of conformity ----------------------------------------------------------------------

def declaration_document(records: RecordSet, documents: DocumentSet) -> ControlledDocument:
    config = records.config
    assert config is not None  # declaration_due, the caller's gate, holds only with a qms.yaml
    c, dev, dec = config.company, config.device, config.declaration
    names = documents.names
    standards = standards_applied(records)
    signer = signatory(records, config)
    gaps = declaration_gaps(records)
    missing: dict[str, list[str]] = {}
    for g in gaps:
        missing.setdefault(g.item, []).append(g.what)
    signer_text = names.person(signer.id) if signer is not None else None
    d = documents.document("declaration", "eu", "EU declaration of conformity",
                           records=[s.id for s in standards] + ([signer.id] if signer is not None else []),
                           signatories=(signer_text or "Signatory (not named)",))

    def item(number: str, title: str, *lines: str | None) -> None:
        d.heading(f"{title} (Annex IV item {number})", 2)
        for line in lines:
            if line:
                d.paragraph(line)
        for what in missing.get(number, ()):
            d.paragraph(f"NOT RECORDED: {what}.")

    d.heading("Declaration (EU MDR Article 19, Annex IV)")
    item("1", "Manufacturer", c.name, c.address and f"Registered address: {c.address}",
         c.srn and f"Single registration number (SRN): {c.srn}")
    item("2", "Responsibility", "This declaration of conformity is issued under the sole responsibility of the "
                                "manufacturer.")
    item("3", "Basic UDI-DI", dev.basic_udi_di)
    item("4", "Device", f"Product and trade name: {dev.name}", dev.model and f"Model (product code): {dev.model}",
         dev.intended_use and f"Intended purpose: {' '.join(dev.intended_use.split())}")
    item("5", "Risk class", dev.classification_eu and f"Class {dev.classification_eu}.",
         dev.classification_rule and f"Classification: {' '.join(dev.classification_rule.split())}")
    item("6", "Conformity", "The device described above is in conformity with Regulation (EU) 2017/745 on medical "
                            "devices" + ("; and with " + "; ".join(dec.other_legislation) if dec and dec.other_legislation
                                         else "") + ".")
    item("7", "Standards and common specifications applied",
         "The standards below are applied in the editions stated; those marked harmonised give presumption of "
         "conformity (Art. 8)." if standards else None)
    if standards:
        d.table(("Standard", "Edition", "Title", "Harmonised"),
                [(s.number, s.edition, s.title, "yes" if s.harmonised else "no" if s.harmonised is False
                  else "not stated") for s in standards])
    nb = dec.notified_body if dec else None
    item("8", "Notified body and conformity assessment",
         f"Notified body: {nb.name}, identification number {nb.number}" if nb else None,
         f"Conformity assessment procedure: {' '.join(dec.procedure.split())}" if dec and dec.procedure else None,
         "Certificates:\n" + "\n".join(dec.certificates) if dec and dec.certificates else None)
    item("9", "Additional information", (dec.additional_information if dec else None) or "None.")
    state = (f"Date of issue: {d.effective}" if d.approved else
             f"Date of issue: not issued (this is a DRAFT of {d.effective}; it is issued when approved)")
    item("10", "Place, date and signature", f"Place of issue: {dec.place}" if dec and dec.place else None, state,
         f"Signed for and on behalf of {c.name}" + (f" by {signer_text}" if signer_text else "") + ".")
    if gaps:
        d.heading("Items the repository cannot fill")
        d.table(("Annex IV item", "Missing", "Filled by"), [(g.item, g.what, g.fill) for g in gaps])
    return d
