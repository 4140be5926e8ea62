"""The supplier evaluation report (ISO 13485:2016 7.4.1, 21 CFR 820.50): the approved-supplier list with
each supplier's certificates, audits, quality agreement and scores by period against the policy's
re-evaluation threshold, with its trend chart. A controlled document numbered `supplier` 1; the same
Scorecard gives supplier_scorecard.xlsx.
"""

from __future__ import annotations

from typing import Any

from ..analysis.suppliers import Scorecard
from ..model.labels import label, status_label
from ..model.supply import Supplier, SupplierAudit
from ..recordset import RecordSet
from .document import DocumentSet
from .supplier_scorecard import SUMMARY_HEADER, _r, summary_rows, trend_png

DOCX_NAME = "supplier_evaluation_report.docx"
# The summary columns the report shows (the scorecard workbook has them all).
_SUMMARY_AT = tuple(SUMMARY_HEADER.index(c) for c in ("Supplier", "Name", "Status", "Criticality", "Period", "Score",
                                                       "Grade", "Re-evaluate"))
PERIOD_HEADER = ("Period", "Complete", "Quality %", "PPM", "Delivery %", "Responsiveness %", "Score", "Grade",
                 "Re-evaluate")


def source_ids(records: RecordSet, card: Scorecard) -> set[str]:
    ids = {s.supplier for s in card.suppliers} | ({card.policy} if card.policy else set())
    for s in card.suppliers:
        for p in s.periods:
            ids.update((*p.receipts, *p.capas_due))
        sup = records.get(s.supplier)
        agreement = getattr(sup, "quality_agreement", None)
        if agreement is not None and agreement.document is not None:
            ids.add(agreement.document.id)
    return ids


def supplier_document(records: RecordSet, card: Scorecard, documents: DocumentSet) -> Any:
    d = documents.document("supplier", "report", "Supplier evaluation report", records=source_ids(records, card))
    d.heading("Evaluation criteria")
    weights = ", ".join(f"{k} {v:g}" for k, v in card.weights.items())
    d.paragraph(f"Policy {card.policy}: score per {card.period} = weighted mean of {weights}; a supplier scoring "
                f"below {card.reevaluate_below:g} in a complete period is re-evaluated. As of "
                f"{card.as_of.isoformat()}." if card.reevaluate_below is not None else
                f"Policy {card.policy}: score per {card.period}, weights {weights}; no re-evaluation threshold.")
    d.heading("Summary")
    d.paragraph("Each supplier's current period; the quality, PPM, delivery and responsiveness figures of every "
                "period follow per supplier below, and supplier_scorecard.xlsx, beside this report, holds every "
                "column of every period.")
    d.table([SUMMARY_HEADER[i] for i in _SUMMARY_AT], [[row[i] for i in _SUMMARY_AT] for row in summary_rows(card)])
    flagged = [s.supplier for s in card.suppliers if s.reevaluate]
    d.paragraph("To re-evaluate: " + (", ".join(flagged) if flagged else "none") + ".")
    for s in card.suppliers:
        sup = records.get(s.supplier)
        d.heading(f"{s.supplier} {s.title}")
        facts = [("Status", status_label(s.status)), ("Criticality", label(Supplier, "criticality", s.criticality))]
        if sup is not None:
            facts += [("Scope", " ".join((sup.scope or "—").split())), ("Country", sup.country or "—"),
                      ("Approved", sup.approved or "—"), ("Re-evaluation due", sup.requalification_due or "—")]
            qa = sup.quality_agreement
            facts.append(("Quality agreement", "none" if qa is None else
                          f"{qa.document.id if qa.document else 'no document'}, signed {qa.signed or '—'}, "
                          f"expires {qa.expires or '—'}"))
        d.table(("Item", "Value"), facts)
        if sup is not None and sup.certificates:
            d.table(("Certificate", "Number", "Issuer", "Issued", "Expires"),
                    [(c.standard, c.number or "", c.issuer or "", c.issued, c.expires) for c in sup.certificates])
        if sup is not None and sup.audits:
            d.table(("Audit", "Type", "Auditor", "Result", "Findings", "Report"),
                    [(a.date, label(SupplierAudit, "type", a.type), documents.names.person(a.auditor),
                      label(SupplierAudit, "result", a.result), a.findings,
                      a.report or "") for a in sup.audits])
        d.table(PERIOD_HEADER, [(p.period, "yes" if p.complete else "no", _r(p.quality), _r(p.ppm, 0),
                                 _r(p.delivery), _r(p.responsiveness), _r(p.score), p.grade,
                                 "yes" if p.reevaluate else "no") for p in s.periods])
        d.picture(trend_png(card, s), 5.5)
    return d
