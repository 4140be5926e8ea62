"""The producers of the dossier's files: each takes the loaded and analysed repository (a Context) and
yields its outputs, paths relative to its section's folder (render.dossier_sections declares which
producer fills which section). A producer writes nothing itself: the build writes what it yields, so
every file of the dossier is listed with its description and, for a controlled document, its number.
The one exception is a protocol run, whose evidence the execution writes beside its report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..paths import name as file_name

if TYPE_CHECKING:
    from ..model.raw import JsonObject
    from ..recordset import RecordSet
    from ..rules import Report

T = TypeVar("T")


@dataclass(frozen=True)
class Output:
    rel: str  # inside the section's folder
    description: str
    document: Any = None  # a controlled document: written with its number, the records it draws on noted
    data: bytes | None = None  # the file's bytes; both None: a file the producer's helper wrote (evidence)


Key = tuple[str, str]  # a controlled document's (type, subject): its entry in the number register


def _none(_records: Any) -> list[Key]:
    return []


@dataclass(frozen=True)
class Producer:
    name: str  # the progress bar's label while it runs
    make: Callable[[Context, Path], Iterator[Output]]  # (context, the section's folder in the dossier)
    documents: Callable[[Any], Iterable[Key]] = _none  # the controlled documents it makes, from the records


@dataclass
class Context:
    """What every producer may read: the repository as loaded and validated, and the build's settings.
    `notes` and `executed` are the two things producers add to (the build's notes, protocol results)."""

    root: Path
    loaded: Any
    records: Any
    as_of: dt.date
    documents: Any  # render.document.DocumentSet
    report: Any  # the validation report (rules.check)
    commit: str
    dirty: bool | None
    trail: Any = None  # the audit trail from git, None outside git
    run_protocols: bool = True
    notes: list[str] = field(default_factory=list)
    executed: dict[str, str] = field(default_factory=dict)  # automated protocol -> pass | fail | not run
    _risk_findings: Any = None
    _worklist: Any = None

    def worklist(self) -> dict[str, Any]:
        """Every open obligation on the as-of date as `qms due --within all --format json` gives it, computed
        once for the management review and the index."""
        if self._worklist is None:
            from .worklist import open_obligations

            self._worklist = open_obligations(self.root, self.records, self.loaded.exports, self.as_of)
        return self._worklist

    def analysed(self, analysis: Callable[[RecordSet], T]) -> T:
        """`analysis(records)`, computed once for the whole build."""
        from ..analysis import once

        return once(analysis, self.records)

    def named(self, record_id: str) -> str:
        """A record ID as a file name in the dossier, refused (exit 2) when it would leave its folder."""
        source = self.records.sources.get(record_id)
        return file_name(record_id, f"{source.at(('id',))}: record ID" if source is not None else "record ID")

    def risk_findings(self) -> Report:
        """The risk rules' findings, as `qms risk` reports them."""
        if self._risk_findings is None:
            from ..rules import check

            self._risk_findings = check(self.records, (), self.as_of, area="risk")
        return self._risk_findings


def json_bytes(doc: JsonObject) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


# --- the dossier's top level ----------------------------------------------------------------------------

FINDINGS = "findings.json"
AUDIT_TRAIL = "audit_trail.xlsx"


def findings(ctx: Context, _here: Path) -> Iterator[Output]:
    from ..model import KINDS

    report, records = ctx.report, ctx.records
    yield Output(FINDINGS, "Validation findings (qms validate) and the waived ones", data=json_bytes({
        "as_of": ctx.as_of.isoformat(),
        "summary": {"errors": report.errors, "warnings": report.warnings, "waived": len(report.waived),
                    "records": len(records),
                    "kinds": {kind: len(records.of_kind(kind)) for kind in sorted(KINDS)}},
        "findings": [f.as_json() for f in report.findings],
        "waived": [f.as_json() for f in report.waived],
    }))


def audit_trail(ctx: Context, _here: Path) -> Iterator[Output]:
    if ctx.trail is None:
        return
    from .audit_trail import audit_trail_workbook
    from .xlsx import workbook_bytes

    yield Output(AUDIT_TRAIL, "Audit trail: every change to every record, field by field, from git",
                 data=workbook_bytes(audit_trail_workbook(ctx.trail, ctx.records.of_kind("user"))))


def approvals_keys(records: RecordSet) -> list[Key]:
    from .approvals_register import DOC_TYPE, SUBJECT

    return [(DOC_TYPE, SUBJECT)]


def approvals_register(ctx: Context, _here: Path) -> Iterator[Output]:
    """Every approval with its signature status as the validation judged it (ctx.report), not a second check."""
    from .approvals_register import DOCX_NAME, WORKBOOK, register_document, register_rows, register_workbook
    from .xlsx import workbook_bytes

    rows = register_rows(ctx.records, ctx.report, ctx.trail, ctx.documents.names)
    yield Output(DOCX_NAME, "Register of approvals and electronic signatures (21 CFR Part 11 §11.50, §11.70)",
                 register_document(rows, ctx.records, ctx.documents, ctx.trail))
    yield Output(WORKBOOK, "Register of approvals and electronic signatures workbook",
                 data=workbook_bytes(register_workbook(rows)))


# --- Annex II 1 and 2 -----------------------------------------------------------------------------------

def device_description(ctx: Context, _here: Path) -> Iterator[Output]:
    from .device_doc import device_description as document

    yield Output("device_description.docx", "Device description and specification, from qms.yaml",
                 document(ctx.documents))


def device_keys(_records: RecordSet) -> list[Key]:
    return [("device", "description")]


def labelling_keys(records: RecordSet) -> list[Key]:
    from .labelling_doc import labelling_records

    return [("labelling", "register")] if labelling_records(records) else []


def information_supplied(ctx: Context, _here: Path) -> Iterator[Output]:
    from ..load.evidence import read_text
    from .labelling_doc import DOCX_NAME, labelling_records
    from .labelling_doc import information_supplied as document

    texts = {doc.id: read_text(ctx.root, doc.file) if doc.file else None for doc in labelling_records(ctx.records)}
    labelling = document(ctx.records, ctx.loaded.exports, texts, ctx.documents)
    if labelling is not None:
        yield Output(DOCX_NAME, "Labels and instructions for use under control: number, revision, approval, "
                                "file and SHA-256, and their controlled text", labelling)


# --- Annex II 3 -----------------------------------------------------------------------------------------

def manufacturing_keys(records: RecordSet) -> list[Key]:
    from .manufacturing_doc import live

    return [("manufacturing", "process")] if live(records, "site") or live(records, "process_step") else []


def manufacturing(ctx: Context, _here: Path) -> Iterator[Output]:
    from .manufacturing_doc import DOCX_NAME, live, manufacturing_document

    if live(ctx.records, "site") or live(ctx.records, "process_step"):
        yield Output(DOCX_NAME, "Manufacturing sites and process flow: sites, certificates, steps, controls and "
                                "validation status", manufacturing_document(ctx.records, ctx.documents, ctx.as_of))


def change_controls(ctx: Context, _here: Path) -> Iterator[Output]:
    from .change_record import change_document

    for change in ctx.records.of_kind("change"):
        yield Output(f"change-control/{ctx.named(change.id)}.docx", f"Change control record {change.id}: {change.title}",
                     change_document(ctx.records, change, ctx.documents))


def change_keys(records: RecordSet) -> list[Key]:
    return [("change", c.id) for c in records.of_kind("change")]


def supplier_keys(records: RecordSet) -> list[Key]:
    return [("supplier", "report")] if records.of_kind("supplier") else []


def suppliers(ctx: Context, _here: Path) -> Iterator[Output]:
    from ..analysis.suppliers import scorecard
    from .supplier_report import DOCX_NAME, supplier_document
    from .supplier_scorecard import WORKBOOK, chart_name, scorecard_workbook, trend_png
    from .xlsx import workbook_bytes

    card = scorecard(ctx.records, ctx.as_of)
    if card.policy is None:
        ctx.notes.append("suppliers: no supplier policy in force, so no scorecard (add specs/policies/POL-SUPPLIER.yaml)")
        return
    for s in card.suppliers:
        ctx.named(s.supplier)  # each names its trend chart
    yield Output(f"suppliers/{DOCX_NAME}", "Supplier evaluation report", supplier_document(ctx.records, card, ctx.documents))
    yield Output(f"suppliers/{WORKBOOK}", "Supplier scorecard workbook", data=workbook_bytes(scorecard_workbook(card)))
    for s in card.suppliers:
        yield Output(f"suppliers/{chart_name(s)}", f"Score trend of {s.supplier} {s.title}", data=trend_png(card, s))
    yield Output("suppliers/suppliers.json", "Supplier scorecard (JSON)", data=json_bytes(card.as_json()))


# --- Annex II 4 -----------------------------------------------------------------------------------------

def gspr_keys(records: RecordSet) -> list[Key]:
    from .conformity_doc import live

    return [("gspr", "checklist")] if live(records, "gspr") else []


def standards_keys(records: RecordSet) -> list[Key]:
    from .conformity_doc import live

    return [("standards", "list")] if live(records, "standard") else []


def gspr_checklist(ctx: Context, _here: Path) -> Iterator[Output]:
    from .conformity_doc import GSPR_NAME, live
    from .conformity_doc import gspr_checklist as document

    if live(ctx.records, "gspr"):
        yield Output(GSPR_NAME, "GSPR checklist (EU MDR Annex I): applicability, standards, evidence",
                     document(ctx.records, ctx.documents))


def standards_list(ctx: Context, _here: Path) -> Iterator[Output]:
    from .conformity_doc import STANDARDS_NAME, live
    from .conformity_doc import standards_list as document

    if live(ctx.records, "standard"):
        yield Output(STANDARDS_NAME, "Standards applied", document(ctx.records, ctx.documents))


# --- Annex II 5 -----------------------------------------------------------------------------------------

def _risk(ctx: Context) -> Any:
    from ..analysis.risk import analyse_risk

    return ctx.analysed(analyse_risk)


def _fmea(ctx: Context) -> Any:
    from ..analysis.fmea import analyse_fmea

    return ctx.analysed(analyse_fmea)


def risk_plan_keys(_records: RecordSet) -> list[Key]:
    return [("rmp", "plan")]


def risk_report_keys(_records: RecordSet) -> list[Key]:
    return [("risk", "report")]


def fmea_keys(_records: RecordSet) -> list[Key]:
    return [("fmea", "report")]


def risk_plan(ctx: Context, _here: Path) -> Iterator[Output]:
    from .risk_report import PLAN_NAME, plan_summary

    yield Output(PLAN_NAME, "Risk management plan summary", plan_summary(ctx.records, _risk(ctx), ctx.documents))


def risk_management_report(ctx: Context, _here: Path) -> Iterator[Output]:
    from .risk_report import REPORT_NAME, risk_report

    yield Output(REPORT_NAME, "Risk management report (ISO 14971:2019 clause 9)",
                 risk_report(ctx.records, _risk(ctx), ctx.risk_findings().findings, ctx.documents,
                             waived=ctx.risk_findings().waived))


def fmea_report(ctx: Context, _here: Path) -> Iterator[Output]:
    from .fmea_report import DOCX_NAME, fmea_document

    yield Output(DOCX_NAME, "FMEA report", fmea_document(_fmea(ctx), ctx.documents))


def risk_register(ctx: Context, _here: Path) -> Iterator[Output]:
    from .heatmap import heatmap_png
    from .risk_xlsx import risk_workbook
    from .xlsx import workbook_bytes

    risk, fmea, found = _risk(ctx), _fmea(ctx), ctx.risk_findings()
    yield Output("risk_register.xlsx", "Risk register workbook",
                 data=workbook_bytes(risk_workbook(risk, fmea, ctx.documents.names)))
    for which in ("initial", "residual"):
        yield Output(f"heatmap_{which}.png", f"Heat map of {which} risk", data=heatmap_png(risk, which))
    doc: dict[str, Any] = risk.as_json()
    doc["fmea"] = fmea.as_json()
    doc["findings"] = [f.as_json() for f in found.findings]
    doc["waived"] = [f.as_json() for f in found.waived]
    yield Output("risk.json", "Risk analysis, FMEA and risk findings (JSON)", data=json_bytes(doc))


# --- Annex II 6 -----------------------------------------------------------------------------------------

def trace_keys(_records: RecordSet) -> list[Key]:
    return [("trace", "matrix")]


def _protocols(records: Any, software: bool) -> list[Any]:
    """The live protocols of one side: the QMS's own software (ISO 13485 4.1.6) or the device's processes
    and equipment (Annex II 6)."""
    from ..model.validation import QMS_SOFTWARE

    return sorted((p for p in records.of_kind("protocol") if not p.retired and (p.subject == QMS_SOFTWARE) == software),
                  key=lambda p: p.id)


def _keys(records: Any, software: bool, summary: str) -> list[Key]:
    from ..validation.execute import latest_executions

    live = _protocols(records, software)
    recorded = latest_executions(records)
    keys = [("protocol", p.id) for p in live]
    keys += [("protocol_report", p.id) for p in live if p.automated or p.id in recorded]
    return keys + ([("validation_summary", summary)] if live else [])


def protocol_keys(records: RecordSet) -> list[Key]:
    return _keys(records, False, "report")


def software_protocol_keys(records: RecordSet) -> list[Key]:
    return _keys(records, True, SOFTWARE_SUMMARY)


SOFTWARE_SUMMARY = "qms_software"


def trace(ctx: Context, _here: Path) -> Iterator[Output]:
    from ..rules.trace import traced
    from .trace_doc import DOCX_NAME, trace_document
    from .trace_xlsx import trace_workbook
    from .xlsx import workbook_bytes

    result = traced(ctx.records)
    yield Output(DOCX_NAME, "Design traceability matrix", trace_document(result, ctx.documents))
    yield Output("trace_matrix.xlsx", "Design traceability matrix workbook", data=workbook_bytes(trace_workbook(result)))
    yield Output("trace.json", "Trace matrix, coverage and gaps (JSON)", data=json_bytes(result.as_json()))


def protocols(ctx: Context, here: Path) -> Iterator[Output]:
    """Annex II 6: the device's process and equipment protocols for approval, each recorded execution as
    its executed report with its evidence, and their validation summary."""
    yield from _validation(ctx, here, _protocols(ctx.records, False), "report")


def software_protocols(ctx: Context, here: Path) -> Iterator[Output]:
    """ISO 13485 4.1.6: the protocols validating the QMS's own software, the automated ones executed by this
    build, and their validation summary."""
    yield from _validation(ctx, here, _protocols(ctx.records, True), SOFTWARE_SUMMARY)


def _validation(ctx: Context, here: Path, live: list[Any], summary: str) -> Iterator[Output]:
    from ..findings import QmsError
    from ..validation.execute import (
        EVIDENCE,
        NotReady,
        latest_executions,
        recorded_evidence,
        run_protocol,
        sample_justification,
        summary_rows,
    )
    from .protocol_doc import executed_document, protocol_document, summary_document

    records, docs = ctx.records, ctx.documents
    if not live:
        return
    evidence: dict[str, dict[str, Any]] = {}
    recorded = latest_executions(records)
    for protocol in live:
        ctx.named(protocol.id)  # names its document and its evidence folder
        files = ctx.loaded.exports.get(protocol.id)
        yield Output(f"protocols/{protocol.id}-protocol.docx", f"{protocol.id} protocol: {protocol.title}",
                     protocol_document(docs, records, protocol, files, sample_justification(protocol)[1]))
        if protocol.id in recorded and not protocol.automated:
            exe = recorded[protocol.id]
            try:
                data, doc, hashed = recorded_evidence(ctx.root, exe)
            except QmsError as err:
                ctx.notes.append(f"validation: the executed report of {protocol.id} is not in the dossier: {err}")
                continue
            yield Output(f"protocols/{protocol.id}/{EVIDENCE}", f"{protocol.id} executed ({exe.id}): evidence (JSON)",
                         data=data)
            yield Output(f"protocols/{protocol.id}/{protocol.id}-executed.docx",
                         f"{protocol.id} executed protocol and result ({exe.id})",
                         executed_document(docs, records, protocol, doc, record=(exe.id, hashed)))
            continue
        if not (ctx.run_protocols and protocol.automated):
            continue
        try:
            done = run_protocol(ctx.root, records, protocol, files, date=ctx.as_of, out=here / "protocols" / protocol.id,
                                commit=ctx.commit, clean=None if ctx.dirty is None else not ctx.dirty)
        except (NotReady, QmsError) as err:
            ctx.executed[protocol.id] = "not run"
            ctx.notes.append(f"validation: {protocol.id} was not executed: {err}")
            continue
        ctx.executed[protocol.id] = done.evidence["result"]
        evidence[protocol.id] = done.evidence
        yield Output(f"protocols/{protocol.id}/{EVIDENCE}", f"{protocol.id} executed: evidence (JSON)")
        report = f"protocols/{protocol.id}/{done.report_name}"
        yield Output(report, f"{protocol.id} executed protocol and result",
                     executed_document(docs, records, protocol, done.evidence))
        if done.evidence["result"] != "pass":
            ctx.notes.append(f"validation: {protocol.id} FAILED steps {', '.join(done.evidence['summary']['failed_steps'])}"
                             f" (see {here.name}/{report})")
    software = summary == SOFTWARE_SUMMARY
    yield Output("qms_software_validation_summary.docx" if software else "validation_summary.docx",
                 "Validation summary report" + (" of the QMS software" if software else "")
                 + ": scope, references, every protocol's latest execution, deviations and validated state",
                 summary_document(docs, records, summary_rows(records, evidence, [p.id for p in live]),
                                  summary, software=software))


def evidence_keys(records: RecordSet) -> list[Key]:
    from .conformity_doc import live

    return [("evidence", "register")] if live(records, "evidence") else []


def evidence_register(ctx: Context, _here: Path) -> Iterator[Output]:
    from .conformity_doc import EVIDENCE_NAME, live
    from .conformity_doc import evidence_register as document

    if live(ctx.records, "evidence"):
        yield Output(EVIDENCE_NAME, "External evidence documents: path, SHA-256 and state",
                     document(ctx.records, ctx.loaded.exports, ctx.documents))


# --- Annex III ------------------------------------------------------------------------------------------

def capa_keys(records: RecordSet) -> list[Key]:
    return [("capa", c.id) for c in records.of_kind("capa")]


def review_keys(_records: RecordSet) -> list[Key]:
    return [("kpi", "review")]


def capa_reports(ctx: Context, _here: Path) -> Iterator[Output]:
    from .capa import capa_document

    for capa in ctx.records.of_kind("capa"):
        yield Output(f"capa/{ctx.named(capa.id)}.docx", f"CAPA report {capa.id}: {capa.title}",
                     capa_document(ctx.records, capa, ctx.documents))


def management_review(ctx: Context, _here: Path) -> Iterator[Output]:
    from ..analysis.kpi import kpis
    from .kpi import DOCX_NAME, XLSX_NAME, review_document, review_workbook
    from .xlsx import workbook_bytes

    kpi = kpis(ctx.records, ctx.as_of, None)
    yield Output(DOCX_NAME, f"Management review input {kpi.period.label} (ISO 13485 5.6.2)", review_document(kpi, ctx.documents, ctx.worklist()))
    yield Output(XLSX_NAME, "Quality KPIs workbook", data=workbook_bytes(review_workbook(kpi)))
    yield Output("kpi.json", "Quality KPIs (JSON)", data=json_bytes(kpi.as_json()))


def _logs(ctx: Context) -> Any:
    from .logs import logs

    return logs(ctx.records, ctx.documents.names, ctx.as_of)


def _log_output(ctx: Context, which: int, description: str) -> Output:
    from .logs import log_document

    log = _logs(ctx)[which]
    return Output(log.file, description, log_document(log, ctx.documents))


def complaint_log_keys(_records: RecordSet) -> list[Key]:
    return [("log", "complaints")]


def nc_log_keys(_records: RecordSet) -> list[Key]:
    return [("log", "nonconformances")]


def vigilance_log_keys(_records: RecordSet) -> list[Key]:
    return [("log", "vigilance")]


def complaint_log(ctx: Context, _here: Path) -> Iterator[Output]:
    yield _log_output(ctx, 0, "Complaint log: every complaint with its classification, reportability and CAPA")


def nc_log(ctx: Context, _here: Path) -> Iterator[Output]:
    yield _log_output(ctx, 1, "Nonconformance log: every nonconformance and deviation with its disposition and CAPA")


def vigilance_log(ctx: Context, _here: Path) -> Iterator[Output]:
    yield _log_output(ctx, 2, "Vigilance log: every report to a competent authority with its reference, due and "
                              "sent dates")


def logs_workbook(ctx: Context, _here: Path) -> Iterator[Output]:
    from .logs import WORKBOOK
    from .logs import logs_workbook as workbook
    from .xlsx import workbook_bytes

    yield Output(WORKBOOK, "Complaint, nonconformance and vigilance logs workbook", data=workbook_bytes(workbook(_logs(ctx))))


# --- Annex III: the PMS plan and the PSURs; Art. 19: the declaration of conformity ------------------------

def pms_plan_keys(records: RecordSet) -> list[Key]:
    from .pms_doc import current_plan

    return [("pms", "plan")] if current_plan(records) is not None else []


def pms_plan(ctx: Context, _here: Path) -> Iterator[Output]:
    from .pms_doc import PLAN_NAME, current_plan, pms_plan_document

    plan = current_plan(ctx.records)
    if plan is not None:
        yield Output(PLAN_NAME, "Post-market surveillance plan (EU MDR Art. 84, Annex III 1.1)",
                     pms_plan_document(ctx.records, plan, ctx.documents))


def psur_keys(records: RecordSet) -> list[Key]:
    from .pms_doc import live_psurs

    return [("psur", p.id) for p in live_psurs(records)]


def psurs(ctx: Context, _here: Path) -> Iterator[Output]:
    from .pms_doc import live_psurs, psur_document

    for psur in live_psurs(ctx.records):
        yield Output(f"psur/{ctx.named(psur.id)}.docx", f"Periodic safety update report {psur.id} (EU MDR Art. 86): "
                     "stated figures beside the records of its period", psur_document(ctx.records, psur, ctx.documents))


def declaration_keys(records: RecordSet) -> list[Key]:
    from ..analysis.declaration import declaration_due

    return [("declaration", "eu")] if declaration_due(records) else []


def declaration(ctx: Context, _here: Path) -> Iterator[Output]:
    from ..analysis.declaration import declaration_due
    from .pms_doc import DECLARATION_NAME, declaration_document

    if declaration_due(ctx.records):
        yield Output(DECLARATION_NAME, "EU declaration of conformity (EU MDR Art. 19, Annex IV)",
                     declaration_document(ctx.records, ctx.documents))
