"""The management review input, ISO 13485:2016 5.6.2 a) to l), computed from the records for one period.

Every input is a section, in the standard's order, with content from the records or a statement of
which record kind would fill it. Periods are kept apart: a table "in the period" holds only records
whose defining date (received, detected, opened, done, sent, submitted…) falls in the period; records
dated after it, up to the as-of date, are listed "after the period", for information; states (open
CAPAs, open actions) are taken at the end of the period. The KPIs of `kpi.kpis` are placed under the
input they serve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model.events import AUTHORITIES, Capa, ChangeControl, Complaint, Nonconformance, VigilanceReport
from ..model.labels import label, status_label
from ..model.policy import VigilancePolicy
from ..model.supply import Inspection, Supplier, SupplierAudit
from .policies import in_force
from .suppliers import scorecard
from .tables import Rec
from .vigilance import deadlines

if TYPE_CHECKING:
    from ..recordset import RecordSet
    from .kpi import KpiResult

PERIOD, AFTER, BEFORE, STATE = "period", "after", "before", "state"


@dataclass
class Table:
    scope: str  # period | after | before | state
    caption: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    none: str = ""  # what a document says instead of an empty table

    def as_json(self) -> dict[str, Any]:
        return {"scope": self.scope, "caption": self.caption, "header": list(self.header),
                "rows": [[_plain(v) for v in row] for row in self.rows], "none": self.none}


@dataclass
class ReviewInput:
    clause: str  # a … l
    title: str
    text: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)  # names of the KPIs shown under this input
    tables: list[Table] = field(default_factory=list)
    missing: str | None = None  # what the repository does not hold, and the record kind that would fill it
    sources: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.clause}) {self.title}"

    def as_json(self) -> dict[str, Any]:
        return {"clause": self.clause, "title": self.title, "text": self.text, "kpis": self.kpis,
                "tables": [t.as_json() for t in self.tables], "missing": self.missing, "sources": self.sources}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


class _Builder:
    """Captions say which scope a table covers; an empty table is a sentence, never a table."""

    def __init__(self, result: KpiResult) -> None:
        p = result.period
        self.period, self.as_of, self.cut = p, result.as_of, result.cut
        first = p
        for _ in range(len(result.trend) - 1):
            first = first.previous()
        self.window_start = first.start
        self.scopes = {
            PERIOD: f"In the period ({p.start.isoformat()} to {self.cut.isoformat()})",
            AFTER: f"After the period ({(p.end + dt.timedelta(days=1)).isoformat()} to {result.as_of.isoformat()}), "
                   "for information",
            BEFORE: f"Before the period, within the trend window ({self.window_start.isoformat()} to "
                    f"{(p.start - dt.timedelta(days=1)).isoformat()}), for information",
            STATE: f"At the end of the period ({self.cut.isoformat()})",
        }

    def scope_of(self, day: dt.date | None) -> str | None:
        if day is None or day > self.as_of:
            return None
        if self.period.start <= day <= self.cut:
            return PERIOD
        if day > self.cut:
            return AFTER
        return BEFORE if day >= self.window_start else None

    def add(self, section: ReviewInput, scope: str, what: str, header: tuple[str, ...],
            rows: Iterable[tuple[Any, ...]], none: str | None = None) -> None:
        rows = list(rows)
        if rows or none is not None:  # an empty "after the period" table is left out
            section.tables.append(Table(scope, f"{self.scopes[scope]}: {what}", header, rows, none or ""))
            section.sources.extend(v for row in rows for v in _recs(row))


def _recs(row: tuple[Any, ...]) -> Iterable[str]:
    for value in row:
        if isinstance(value, Rec):
            yield str(value)
        elif isinstance(value, tuple):
            yield from (str(v) for v in value if isinstance(v, Rec))


def _recs_of(ids: Iterable[Any]) -> tuple[Rec, ...]:
    return tuple(Rec(str(i)) for i in ids)


def _days(a: dt.date | None, b: dt.date | None) -> Any:
    return (b - a).days if a and b else "open"


def review_inputs(records: RecordSet, result: KpiResult) -> list[ReviewInput]:
    b = _Builder(result)
    sections = [section(records, result, b) for section in SECTIONS]
    for s in sections:
        s.sources = sorted(set(s.sources) | {i for k in s.kpis for i in result.kpi(k).sources})
    return sections


def _by(records: RecordSet, kind: str, day: Callable[[Any], dt.date | None], b: _Builder) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {PERIOD: [], AFTER: [], BEFORE: []}
    for r in sorted(records.of_kind(kind), key=lambda r: (day(r) or dt.date.min, r.id)):
        scope = b.scope_of(day(r))
        if scope is not None and not getattr(r, "retired", False):
            out[scope].append(r)
    return out


def _complaint_rows(items: list[Any]) -> list[tuple[Any, ...]]:
    return [(Rec(c.id), c.received, c.country or "—", label(Complaint, "event_class", c.event_class) or "not classified",
             label(Complaint, "patient_impact", c.patient_impact) or "not stated", status_label(c.status))
            for c in items]


def feedback(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("a", "Feedback")
    s.text.append("Feedback (ISO 13485 8.2.1) recorded in this repository: complaints and nonconformances raised "
                  "from the field or from complaints.")
    complaints = _by(records, "complaint", lambda c: c.received, b)
    header = ("Complaint", "Received", "Country", "Event class", "Patient impact", "Status at as-of")
    b.add(s, PERIOD, "complaints received", header, _complaint_rows(complaints[PERIOD]), "none received.")
    field_ncs = _by(records, "nonconformance", lambda n: n.detected, b)
    def rows(ns: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(n.id), n.detected, label(Nonconformance, "source", n.source), _recs_of(n.origin) or "—")
                           for n in ns if n.source in ("complaint", "field")]
    nc_header = ("Nonconformance", "Detected", "Source", "Raised from")
    b.add(s, PERIOD, "nonconformances from the field or complaints", nc_header, rows(field_ncs[PERIOD]), "none.")
    b.add(s, AFTER, "complaints received", header, _complaint_rows(complaints[AFTER]))
    b.add(s, AFTER, "nonconformances from the field or complaints", nc_header, rows(field_ncs[AFTER]))
    s.missing = ("Other feedback (customer surveys, service reports, literature, registries, PMCF) is not held as "
                 "records in this repository: a post-market surveillance record (PMS plan data, PSUR input) would "
                 "fill it.")
    return s


def complaint_handling(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("b", "Complaint handling", kpis=["complaint_rate"])
    complaints = _by(records, "complaint", lambda c: c.received, b)

    def rows(items: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(c.id), c.received, "yes" if c.reportable else "no" if c.reportable is False else "not decided",
                 Rec(c.capa) if c.capa else ("not required" if c.capa_required is False else "none yet"),
                 c.closed or "open", _days(c.received, c.closed)) for c in items]
    header = ("Complaint", "Received", "Reportable", "CAPA", "Closed", "Days to close")
    b.add(s, PERIOD, "complaints received and their handling (status at as-of)", header, rows(complaints[PERIOD]),
          "no complaint received.")
    b.add(s, AFTER, "complaints received", header, rows(complaints[AFTER]))
    return s


def _report_status(dl: Any, index: int, report: Any) -> str:
    if dl is None or dl.report != index:
        return "sent"  # a follow-up: the clock was stopped by the first report
    return f"late by {dl.days_late} day(s)" if dl.days_late else "on time"


def reporting(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("c", "Reporting to regulatory authorities", kpis=["overdue_vigilance"])
    policy = in_force(records, VigilancePolicy)
    clocks = policy.clocks if policy else []
    header = ("Complaint", "Event class", "Authority", "Report", "Reference", "Due", "Sent", "Status")
    rows: dict[str, list[tuple[Any, ...]]] = {PERIOD: [], AFTER: []}
    for c in sorted(records.of_type(Complaint), key=lambda c: (c.received, c.id)):
        if not (c.reportable or c.reports) or c.received > result.as_of:
            continue
        dls = {d.authority: d for d in deadlines(c, clocks)}
        event = label(Complaint, "event_class", c.event_class) or "not classified"
        for i, r in enumerate(c.reports):
            dl = dls.get(r.authority)
            scope = b.scope_of(r.submitted) if r.submitted else b.scope_of(c.received)
            if scope not in rows:
                continue
            due = dl.due if dl is not None and dl.report == i else "—"
            rows[scope].append((Rec(c.id), event, label(VigilanceReport, "authority", r.authority),
                                label(VigilanceReport, "type", r.type), r.reference or "none recorded", due,
                                r.submitted or "not sent",
                                _report_status(dl, i, r) if r.submitted else "not sent"))
        for authority, dl in sorted(dls.items()):
            if dl.submitted is not None or (scope := b.scope_of(c.received)) not in rows:
                continue
            if any(r.authority == authority for r in c.reports):
                continue  # its unsent report is listed above
            rows[scope].append((Rec(c.id), event, AUTHORITIES.get(authority, authority), "none", "—", dl.due,
                                "not sent", f"{dl.state(result.as_of).replace('_', ' ')} at as-of"))
    b.add(s, PERIOD, "reports to authorities sent, and reportable complaints received (status at as-of)", header,
          rows[PERIOD], "no report sent and no reportable complaint received.")
    b.add(s, AFTER, "reports sent and reportable complaints received", header, rows[AFTER])
    if policy is None:
        s.text.append("No vigilance policy is in force: no reporting deadline could be computed.")
    else:
        s.text.append(f"Deadlines from the vigilance policy {policy.id}, counted from the awareness date.")
    return s


def _audit_rows(records: RecordSet, b: _Builder) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {PERIOD: [], AFTER: [], BEFORE: []}
    for sup in records.of_type(Supplier):
        for audit in sup.audits:
            if (scope := b.scope_of(audit.date)) in rows:
                rows[scope].append((audit.date, audit.report or "no report number", "Supplier audit, "
                                    + (label(SupplierAudit, "type", audit.type) or "type not stated"), Rec(sup.id),
                                    label(SupplierAudit, "result", audit.result) or "no result", str(audit.findings)))
    return rows


def audits(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("d", "Audits")
    rows = _audit_rows(records, b)
    header = ("Date", "Audit", "Kind", "Auditee", "Result", "Findings")
    b.add(s, PERIOD, "audits performed", header, rows[PERIOD], "no audit recorded.")
    ncs = _by(records, "nonconformance", lambda n: n.detected, b)
    def nc_rows(ns: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(n.id), n.detected, n.audit or "audit not named", status_label(n.status),
                               _recs_of(c.id for c in records.of_type(Capa) if n.id in {str(x) for x in c.sources})
                               or "none")
                              for n in ns if n.source == "audit" or n.audit]
    nc_header = ("Nonconformance", "Detected", "Raised by audit", "Status at as-of", "CAPA")
    b.add(s, PERIOD, "nonconformances raised by audits", nc_header, nc_rows(ncs[PERIOD]), "none.")
    b.add(s, AFTER, "audits performed", header, rows[AFTER])
    b.add(s, AFTER, "nonconformances raised by audits", nc_header, nc_rows(ncs[AFTER]))
    s.missing = ("Internal and external (notified body) audits are not records in this repository: only supplier "
                 "audits on supplier records and audit reports named by nonconformances (field audit) appear; an "
                 "audit record (programme, scope, auditor, findings) would fill it.")
    return s


def processes(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("e", "Monitoring and measurement of processes",
                    kpis=["first_pass_yield", "nc_by_source", "nc_by_supplier"])
    card = scorecard(records, result.as_of)
    rows = []
    for sup in card.suppliers:
        record = records.get(sup.supplier)
        score = next((p for p in sup.periods if (p.start, p.end) == (result.period.start, result.period.end)), None)
        last = max((a.date for a in getattr(record, "audits", []) if a.date <= result.cut), default=None)
        rows.append((Rec(sup.supplier), label(Supplier, "criticality", sup.criticality), status_label(sup.status),
                     f"{round(score.score, 1):g} ({score.grade})" if score else "no receipts scored in the period",
                     ("yes" if score.reevaluate else "no") if score else "—", last or "none recorded"))
    s.text.append(f"Supplier status (ISO 13485 7.4.1): the supplier scorecard ({card.policy or 'no supplier policy'}) "
                  f"for this period; status at as-of; last audit on or before {result.cut.isoformat()}.")
    b.add(s, STATE, "suppliers", ("Supplier", "Criticality", "Status", "Score (grade)", "Re-evaluate",
                                  "Last audit"), rows, "no supplier recorded.")
    ncs = _by(records, "nonconformance", lambda n: n.detected, b)
    def dev(ns: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(n.id), n.detected, label(Nonconformance, "source", n.source),
                           label(Nonconformance, "disposition", n.disposition) or "not dispositioned")
                          for n in ns if n.type == "deviation"]
    header = ("Deviation", "Detected", "Source", "Disposition")
    b.add(s, PERIOD, "process deviations", header, dev(ncs[PERIOD]), "none.")
    b.add(s, AFTER, "process deviations", header, dev(ncs[AFTER]))
    return s


def product(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("f", "Monitoring and measurement of product")
    inspections = _by(records, "inspection", lambda i: i.inspected, b)

    def summary(items: list[Any]) -> list[tuple[Any, ...]]:
        by_decision: dict[str, list[str]] = {}
        for i in items:
            by_decision.setdefault(i.decision or "undecided", []).append(i.id)
        return [(label(Inspection, "decision", decision) or "undecided", len(ids),
                 _recs_of(ids) if decision != "accept" else f"{len(ids)} inspections")
                for decision, ids in sorted(by_decision.items())]
    header = ("Decision", "Inspections", "Records")
    b.add(s, PERIOD, "incoming inspections", header, summary(inspections[PERIOD]), "none.")
    lots = _by(records, "lot", lambda lot: lot.manufactured, b)
    def lot_rows(ls: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(lot.id), lot.manufactured, lot.production_line or "—", status_label(lot.status),
                                lot.units_started if lot.units_started is not None else "—",
                                lot.units_passed_first if lot.units_passed_first is not None else "—")
                               for lot in ls if lot.lot_type == "finished"]
    lot_header = ("Finished lot", "Manufactured", "Line", "Status at as-of", "Started", "Passed first")
    b.add(s, PERIOD, "finished lots manufactured", lot_header, lot_rows(lots[PERIOD]), "none.")
    ncs = _by(records, "nonconformance", lambda n: n.detected, b)
    def nc_rows(ns: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(n.id), n.detected, label(Nonconformance, "source", n.source),
                               _recs_of([*n.affected_lots, *n.materials]) or "—",
                               label(Nonconformance, "disposition", n.disposition) or "not dispositioned")
                              for n in ns if n.type != "deviation" and n.source in ("incoming_inspection", "production")]
    nc_header = ("Nonconformance", "Detected", "Source", "Lots and materials", "Disposition")
    b.add(s, PERIOD, "product nonconformances", nc_header, nc_rows(ncs[PERIOD]), "none.")
    b.add(s, AFTER, "finished lots manufactured", lot_header, lot_rows(lots[AFTER]))
    b.add(s, AFTER, "product nonconformances", nc_header, nc_rows(ncs[AFTER]))
    return s


def _capa_rows(items: list[Any]) -> list[tuple[Any, ...]]:
    return [(Rec(c.id), c.opened or c.created, _recs_of(c.sources) or "—", status_label(c.status), c.due or "—")
            for c in items]


def _actions(records: RecordSet, kind: str, b: _Builder, scope: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for c in records.of_type(Capa):
        if c.retired:
            continue
        for a in c.actions:
            if a.type != kind:
                continue
            if scope == STATE:
                if (c.opened or c.created or dt.date.max) <= b.cut and a.status != "cancelled" and (
                        a.done is None or a.done > b.cut):
                    rows.append((Rec(c.id), a.description, a.due or "—", Rec(a.owner) if a.owner else "—",
                                 f"done {a.done.isoformat()}" if a.done and a.done <= b.as_of else "open"))
            elif a.status == "done" and b.scope_of(a.done) == scope:
                rows.append((a.done, Rec(c.id), a.description, Rec(a.owner) if a.owner else "—", a.evidence or "—"))
    return rows


def corrective(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("g", "Corrective action", kpis=["capa_on_time", "capa_cycle_time", "open_capa_age"])
    capas = _by(records, "capa", lambda c: c.opened or c.created, b)
    header = ("CAPA", "Opened", "Raised from", "Status at as-of", "Due")
    b.add(s, PERIOD, "CAPAs opened", header, _capa_rows(capas[PERIOD]), "none.")
    done_header = ("Done", "CAPA", "Action", "Owner", "Evidence")
    b.add(s, PERIOD, "corrections and corrective actions completed", done_header,
          sorted(_actions(records, "corrective", b, PERIOD) + _actions(records, "correction", b, PERIOD),
                 key=lambda r: (r[0], r[1])), "none.")
    b.add(s, STATE, "corrective actions open (state at as-of in the last column)",
          ("CAPA", "Action", "Due", "Owner", "At as-of"), _actions(records, "corrective", b, STATE), "none open.")
    b.add(s, AFTER, "CAPAs opened", header, _capa_rows(capas[AFTER]))
    return s


def preventive(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("h", "Preventive action")
    b.add(s, PERIOD, "preventive actions completed", ("Done", "CAPA", "Action", "Owner", "Evidence"),
          _actions(records, "preventive", b, PERIOD), "none.")
    b.add(s, STATE, "preventive actions open (state at as-of in the last column)",
          ("CAPA", "Action", "Due", "Owner", "At as-of"), _actions(records, "preventive", b, STATE), "none open.")
    b.add(s, AFTER, "preventive actions completed", ("Done", "CAPA", "Action", "Owner", "Evidence"),
          _actions(records, "preventive", b, AFTER))
    return s


def follow_up(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    return ReviewInput("i", "Follow-up actions from previous management reviews", missing=(
        "No previous management review is recorded in this repository: a management review record (date, "
        "attendees, decisions and actions with owners and due dates) would fill this input. This record kind does "
        "not exist yet; until it does, the previous review's minutes are kept outside the repository."))


def _change_dates(cc: Any) -> list[tuple[str, dt.date]]:
    return [(name, day) for name in ("submitted", "approved", "implemented", "verified")
            if (day := getattr(cc, name)) is not None]


def changes(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("j", "Changes that could affect the quality management system")
    header = ("Change", "Dates", "Type", "Status at as-of", "Affects", "Regulatory impact")
    rows: dict[str, list[tuple[Any, ...]]] = {PERIOD: [], AFTER: [], BEFORE: []}
    for cc in records.of_type(ChangeControl):
        if cc.retired:
            continue
        for scope in (PERIOD, AFTER, BEFORE):
            acts = [(n, d) for n, d in _change_dates(cc) if b.scope_of(d) == scope]
            if acts:
                rows[scope].append((Rec(cc.id), "; ".join(f"{n} {d.isoformat()}" for n, d in acts),
                                    label(ChangeControl, "type", cc.type) or "—", status_label(cc.status),
                                    _recs_of(cc.affected) or "—",
                                    (cc.impact.regulatory if cc.impact and cc.impact.regulatory else "not assessed")))
    b.add(s, PERIOD, "change controls submitted, approved, implemented or verified", header, rows[PERIOD], "none.")
    b.add(s, AFTER, "change controls submitted, approved, implemented or verified", header, rows[AFTER])
    b.add(s, BEFORE, "change controls submitted, approved, implemented or verified", header, rows[BEFORE])
    docs = _by(records, "document", lambda d: d.effective, b)
    def doc_rows(ds: list[Any]) -> list[tuple[Any, ...]]:
        return [(Rec(d.id), d.effective, d.revision, label(type(d), "type", d.type)) for d in ds]
    b.add(s, PERIOD, "controlled documents that became effective", ("Document", "Effective", "Revision", "Type"),
          doc_rows(docs[PERIOD]), "none.")
    s.text.append("No previous management review is recorded, so change controls since the start of the trend "
                  "window are shown; once reviews are records, the window starts at the previous review.")
    return s


def recommendations(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    s = ReviewInput("k", "Recommendations for improvement")
    rows: list[tuple[Any, ...]] = []
    m = result.minimums
    for name, rate, count, minimum, noun in (("complaint_rate", "per_1000", "units_shipped", m.units, "units shipped"),
                                             ("capa_on_time", "rate_percent", "closed", m.capas, "CAPAs closed")):
        k = result.kpi(name)
        if k.data[rate] is None and k.data[count]:
            rows.append(("Rate not computed", f"{k.title}: {k.data[count]:g} {noun}, fewer than {minimum}; judge "
                         "the events one by one, or review a longer period", _recs_of(k.sources)))
    for c in records.of_type(Capa):
        if c.retired or c.closed is not None:
            continue
        eff = c.effectiveness
        if eff is not None and eff.check_due is not None and eff.checked is None:
            rows.append(("CAPA effectiveness", f"effectiveness check due {eff.check_due.isoformat()}, not yet "
                                                "performed", (Rec(c.id),)))
        late = [a for a in c.actions if a.status == "open" and a.due is not None and a.due < result.as_of]
        if late:
            rows.append(("CAPA actions", f"{len(late)} action(s) past their due date at as-of", (Rec(c.id),)))
    card = scorecard(records, result.as_of)
    for sup in card.suppliers:
        score = next((p for p in sup.periods if (p.start, p.end) == (result.period.start, result.period.end)), None)
        if score is not None and score.reevaluate:
            rows.append(("Supplier", f"score {round(score.score, 1):g} below the re-evaluation threshold "
                                     f"{card.reevaluate_below:g}: decide on re-evaluation", (Rec(sup.supplier),)))
    for complaint in records.of_type(Complaint):
        if complaint.received <= result.cut and complaint.reportable is None:
            rows.append(("Complaint", "reportability not decided", (Rec(complaint.id),)))
    s.text.append("Points computed from the records for the review to decide on; recommendations made by process "
                  f"owners are not records in this repository. Minimum populations: {m.units} units, {m.capas} "
                  "CAPAs.")
    b.add(s, STATE, "points for the review", ("Topic", "Observation", "Records"), rows, "none.")
    s.missing = ("Recommendations for improvement proposed by people would be actions of a management review record "
                 "(not yet a record kind).")
    return s


def regulatory(records: RecordSet, result: KpiResult, b: _Builder) -> ReviewInput:
    return ReviewInput("l", "Applicable new or revised regulatory requirements", missing=(
        "No new or revised regulatory requirement is recorded: the repository holds no register of applicable "
        "regulations and standards (number, edition, date of application, impact). A standards and regulatory "
        "requirements record would fill this input; the regulatory impact of each change control is under j)."))


SECTIONS: tuple[Callable[[RecordSet, KpiResult, _Builder], ReviewInput], ...] = (
    feedback, complaint_handling, reporting, audits, processes, product, corrective, preventive, follow_up, changes,
    recommendations, regulatory,
)
