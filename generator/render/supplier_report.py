"""The supplier evaluation report (ISO 13485:2016 7.4.1, 21 CFR 820.50): the approved-supplier list with
each supplier's certificates, audits, quality agreement and scores by period against the policy's
re-evaluation threshold, with its trend chart. A controlled document numbered `supplier` 1; the same
Scorecard gives supplier_scorecard.xlsx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.suppliers import PeriodScore, Scorecard, SupplierScore
from ..model.labels import label, status_label
from ..model.supply import Reevaluation, Supplier, SupplierAudit
from ..recordset import RecordSet
from .document import DocumentSet
from .supplier_scorecard import SUMMARY_HEADER, summary_rows, trend_png

if TYPE_CHECKING:
    from .document import ControlledDocument

DOCX_NAME = "supplier_evaluation_report.docx"
# The summary columns the report shows (the scorecard workbook has them all).
_SUMMARY_AT = tuple(SUMMARY_HEADER.index(c) for c in ("Supplier", "Name", "Status", "Criticality", "Period", "Score",
                                                       "Grade", "Re-evaluate"))
# Each component with the counts it is computed from: "100.0 %" of lots accepted beside 14,286 ppm of sample
# defects reads as a contradiction until the table shows 2 of 2 lots accepted and 1 defect in 70 units sampled.
PERIOD_HEADER = ("Period", "Complete", "Lots accepted (quality)", "Defects in samples", "On time (delivery)",
                 "CAPAs closed on time (responsiveness)", "Score", "Grade", "Re-evaluate")


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


def supplier_document(records: RecordSet, card: Scorecard, documents: DocumentSet) -> ControlledDocument:
    d = documents.document("supplier", "report", "Supplier evaluation report", records=source_ids(records, card))
    d.heading("Evaluation criteria")
    weights = ", ".join(f"{k} {v:g}" for k, v in card.weights.items())
    d.paragraph(f"Policy {card.policy}: score per {card.period} = weighted mean of {weights}; a supplier scoring "
                f"below {card.reevaluate_below:g} in a complete period is re-evaluated. As of "
                f"{card.as_of.isoformat()}." if card.reevaluate_below is not None else
                f"Policy {card.policy}: score per {card.period}, weights {weights}; no re-evaluation threshold.")
    d.paragraph("Quality is the share of the lots decided at incoming inspection that were accepted. The defects "
                "found in the inspection samples are shown beside it in parts per million of the units sampled, "
                "and are not weighted: a sampling plan accepts a lot whose sample holds no more defects than its "
                "acceptance number, so an accepted lot can show defects. Delivery is the share of receipts with a "
                "promised date received by it; responsiveness the share of the supplier's CAPAs due in the period "
                "that were closed by their due date (100 % when none is due).")
    d.heading("Summary")
    if not card.suppliers:  # a new quality system: say so rather than compare nobody in an empty table
        d.paragraph("No supplier is recorded yet, so none is scored or due for re-evaluation.")
    else:
        d.paragraph(f"All suppliers compared over {card.common_period}, the latest {card.period} complete at "
                    f"{card.as_of.isoformat()}; a supplier with no receipt and no CAPA due in it has no score for "
                    "it. The figures of every period follow per supplier below, and supplier_scorecard.xlsx, beside "
                    "this report, holds every column of every period.")
        score_at = SUMMARY_HEADER.index("Score")
        d.table([SUMMARY_HEADER[i] for i in _SUMMARY_AT],
                [[("no receipt" if i == score_at and row[i] is None else row[i]) for i in _SUMMARY_AT]
                 for row in summary_rows(card)])
        flagged = [s for s in card.suppliers if s.reevaluate and s.current is not None]
        d.paragraph("To re-evaluate: " + ("; ".join(_reevaluation(records, documents, s) for s in flagged)
                                          if flagged else "none") + ".")
    for s in card.suppliers:
        sup = record if isinstance(record := records.get(s.supplier), Supplier) else None
        d.heading(f"{s.supplier} {s.title}")
        facts: list[tuple[str, Any]] = [("Status", status_label(s.status)), ("Criticality", label(Supplier, "criticality", s.criticality))]
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
        if sup is not None and sup.reevaluations:
            d.table(("Re-evaluation of", "Decided", "Decision", "By", "Rationale"),
                    [(r.period, r.decided, label(Reevaluation, "decision", r.decision), documents.names.person(r.by),
                      " ".join((r.rationale or "—").split())) for r in sup.reevaluations])
        d.table(PERIOD_HEADER, [_period_row(p) for p in s.periods])
        d.picture(trend_png(card, s), 5.5)
    return d


def _share(part: int, whole: int, percent: float | None, none: str) -> str:
    """"3 of 3" over "100.0 %" (two short lines keep nine columns readable on a portrait page), or what stands in
    for a share of nothing."""
    return none if not whole or percent is None else f"{part} of {whole}\n{percent:.1f} %"


def _period_row(p: PeriodScore) -> tuple[Any, ...]:
    defects = ("none sampled" if not p.units_inspected or p.ppm is None else
               f"{p.defects} in {p.units_inspected:,} units\n{p.ppm:,.0f} ppm")
    capas = _share(len(p.capas_on_time), len(p.capas_due), p.responsiveness, f"none due\n{p.responsiveness:.1f} %")
    return (p.period, "yes" if p.complete else "no",
            _share(p.lots_accepted, p.lots_decided, p.quality, "none decided"), defects,
            _share(p.on_time, p.promised, p.delivery, "no promised date"), capas, f"{p.score:.1f}", p.grade,
            "yes" if p.reevaluate else "no")


def _reevaluation(records: RecordSet, documents: DocumentSet, s: SupplierScore) -> str:
    """"SUP-004 (2026-Q3 score 63.3): decision …" — or that none is recorded, which QMS512 reports."""
    assert s.current is not None
    sup = records.get(s.supplier)
    head = f"{s.supplier} ({s.current.period} score {s.current.score:.1f})"
    done = [r for r in getattr(sup, "reevaluations", []) if r.period == s.current.period]
    if not done:
        return f"{head}: no decision recorded"
    r = max(done, key=lambda r: r.decided)
    return (f"{head}: {label(Reevaluation, 'decision', r.decision).lower()}, decided {r.decided} by "
            f"{documents.names.person(r.by)}")
