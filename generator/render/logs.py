"""The post-market logs (EU MDR Annex III, ISO 13485:2016 8.2.2, 8.3, 21 CFR 820.198): the complaint log,
the nonconformance log and the vigilance log, each one table of every record of its kind.

One Log holds the rows; the Word document (a controlled document of type `log`, one per log) and the
sheet of pms_logs.xlsx are two views of it. Records are named "ID title", people by printed name and
role, coded values by their labels. Vigilance deadlines are the vigilance policy's clocks
(analysis.vigilance), their state judged as of the build's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analysis.policies import in_force
from ..analysis.vigilance import deadlines
from ..model.events import AUTHORITIES, Complaint, Nonconformance, VigilanceReport
from ..model.labels import label, status_label
from ..model.policy import VigilancePolicy
from .names import Names

if TYPE_CHECKING:
    from openpyxl import Workbook

    from ..recordset import RecordSet
    from .document import ControlledDocument, DocumentSet

WORKBOOK = "pms_logs.xlsx"
DOC_TYPE = "log"


@dataclass(frozen=True)
class Log:
    subject: str  # its key in the number register: log:<subject>
    file: str  # the Word file's name in the section
    title: str
    sheet: str
    scope: str  # the one paragraph above the table: what it lists and from where
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    records: frozenset[str]  # the records it draws on


def _by_id(records: Any, kind: str) -> list[Any]:
    return sorted(records.of_kind(kind), key=lambda r: r.id)


def _decision(value: bool | None) -> str:
    return "yes" if value else "no" if value is False else "not decided"


def complaint_log(records: RecordSet, names: Names) -> Log:
    rows = [(names.title(c), c.received, c.country or "—", names.title(c.product) if c.product else "—",
             label(Complaint, "patient_impact", c.patient_impact) or "not recorded",
             label(Complaint, "event_class", c.event_class) or "not classified", _decision(c.reportable),
             names.title(c.capa) if c.capa else "not required" if c.capa_required is False else "none yet",
             names.person(c.owner) or "—", status_label(c.status), c.closed or "open")
            for c in _by_id(records, "complaint")]
    return Log("complaints", "complaint_log.docx", "Complaint log", "Complaints",
               "Every complaint recorded in this repository (records/events/complaints/), in ID order, with its "
               "vigilance classification, reportability decision and CAPA.",
               ("Complaint", "Received", "Country", "Product", "Patient impact", "Event class", "Reportable", "CAPA",
                "Owner", "Status", "Closed"), rows, frozenset(c.id for c in records.of_kind("complaint")))


def _capas_of(records: Any) -> dict[str, list[str]]:
    raised: dict[str, list[str]] = {}
    for capa in _by_id(records, "capa"):
        for source in capa.sources:
            raised.setdefault(str(getattr(source, "id", source)), []).append(capa.id)
    return raised


def nc_log(records: RecordSet, names: Names) -> Log:
    capas = _capas_of(records)
    ncs = _by_id(records, "nonconformance")

    def capa(n: Any) -> str:
        if n.id in capas:
            return names.lines(capas[n.id])
        return "not required" if n.capa_required is False else "none yet" if n.capa_required else "not decided"

    rows = [(names.title(n), label(Nonconformance, "type", n.type), label(Nonconformance, "source", n.source),
             n.audit or "", n.detected, names.title(n.supplier) if n.supplier else "—",
             label(Nonconformance, "disposition", n.disposition) or "not dispositioned", capa(n),
             names.person(n.owner) or "—", status_label(n.status), n.closed or "open") for n in ncs]
    return Log("nonconformances", "nc_log.docx", "Nonconformance log", "Nonconformances",
               "Every nonconformance and deviation recorded in this repository (records/events/nc/), in ID order, "
               "with its source, disposition and the CAPA raised from it.",
               ("Nonconformance", "Type", "Source", "Audit", "Detected", "Supplier", "Disposition", "CAPA", "Owner",
                "Status", "Closed"), rows,
               frozenset({n.id for n in ncs} | {c for n in ncs for c in capas.get(n.id, ())}))


def _state(deadline: Any, as_of: dt.date) -> str:
    state = deadline.state(as_of)
    return f"late by {deadline.days_late} day(s)" if state == "late" else state.replace("_", " ")


def vigilance_log(records: RecordSet, names: Names, as_of: dt.date) -> Log:
    """One row per report made to an authority, and one per authority a reportable complaint is due to that
    has no report yet; the due date is the policy's deadline for the report that stops the clock."""
    policy = in_force(records, VigilancePolicy)
    clocks = policy.clocks if policy is not None else []
    rows: list[tuple[Any, ...]] = []
    drawn: set[str] = {policy.id} if policy is not None else set()
    complaints = [c for c in records.of_kind("complaint") if isinstance(c, Complaint)]
    for c in sorted(complaints, key=lambda c: (c.received, c.id)):
        if not (c.reportable or c.reports):
            continue
        drawn.add(c.id)
        due = {d.authority: d for d in deadlines(c, clocks)}
        event = label(Complaint, "event_class", c.event_class) or "not classified"
        for i, r in enumerate(c.reports):
            dl = due.get(r.authority)
            first = dl is not None and dl.report == i  # the report that stopped the clock
            status = ("not sent" if r.submitted is None else _state(dl, as_of) if first else
                      "sent (follow-up)" if r.type != "initial" else "sent")
            rows.append((names.title(c), event, c.awareness or c.received,
                         label(VigilanceReport, "authority", r.authority), label(VigilanceReport, "type", r.type),
                         r.reference or "none recorded", dl.due if first and dl is not None else "—", r.submitted or "not sent", status))
        for authority, dl in sorted(due.items()):
            if dl.submitted is None and not any(r.authority == authority for r in c.reports):
                rows.append((names.title(c), event, dl.start, AUTHORITIES.get(authority, authority), "none", "—",
                             dl.due, "not sent", _state(dl, as_of)))
    clock = (f"Due dates from the vigilance policy {names.title(policy.id)}, counted from the awareness date; "
             f"status as of {as_of.isoformat()}." if policy is not None else
             "No vigilance policy is in force, so no due date could be computed.")
    return Log("vigilance", "vigilance_log.docx", "Vigilance log", "Vigilance",
               "Every report of a complaint to a competent authority (EU MDR Art. 87, 21 CFR 803) and every "
               f"reportable complaint still owed a report, in order of receipt. {clock}",
               ("Complaint", "Event class", "Aware", "Authority", "Report", "Reference", "Due", "Sent", "Status"),
               rows, frozenset(drawn))


def logs(records: RecordSet, names: Names, as_of: dt.date) -> tuple[Log, Log, Log]:
    return complaint_log(records, names), nc_log(records, names), vigilance_log(records, names, as_of)


def log_document(log: Log, documents: DocumentSet) -> ControlledDocument:
    d = documents.document(DOC_TYPE, log.subject, log.title, records=log.records)
    d.heading(log.title)
    d.paragraph(f"{log.scope} The same rows are the {log.sheet} sheet of {WORKBOOK}.")
    if log.rows:
        d.table(log.header, log.rows)
    else:
        d.paragraph("None recorded.")
    return d


def logs_workbook(all_logs: tuple[Log, ...]) -> Workbook:
    from .xlsx import new_workbook, table_sheet

    wb = new_workbook()
    for log in all_logs:
        table_sheet(wb, log.sheet, log.header, log.rows)
    return wb
