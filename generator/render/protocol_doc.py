"""Validation documents: the protocol for approval, the executed protocol with its evidence, and the
validation summary report (21 CFR 820.75; ISO 13485:2016 4.1.6, 7.5.6; GHTF SG3/N99-10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..load.features import FeatureFile, ProtocolFiles
from ..model.conformity import Standard
from ..model.documents import Document
from ..model.labels import label, status_label
from ..model.validation import Protocol, SampleSize
from ..recordset import RecordSet
from .document import DocumentSet

if TYPE_CHECKING:
    from ..model.raw import RawMapping
    from .document import ControlledDocument

KIND_NAMES = {"IQ": "Installation qualification", "OQ": "Operational qualification",
              "PQ": "Performance qualification"}


def _scenario_lines(feature: FeatureFile | None, protocol: Protocol, step: Any) -> list[str]:
    if feature is None:
        return [f"(feature file {step.feature} cannot be read)"]
    if step.scenario is not None:
        chosen = [s for s in feature.scenarios if s.name == step.scenario]
    else:
        chosen = feature.tagged(step.tag or "")
    lines: list[str] = []
    for sc in chosen:
        lines.append(f"Scenario: {sc.name}")
        lines += [f"  {line}" for line in feature.background]
        lines += [f"  {line}" for line in sc.steps]
        if sc.examples:
            lines.append("  Examples:")
            lines += ["    | " + " | ".join(row) + " |" for row in sc.examples]
    return lines


def _front(doc: Any, records: RecordSet, protocol: Protocol, sample: tuple[int | None, str] | None,
           names: Any) -> None:
    pre = protocol.prerequisites
    doc.heading("Protocol")
    doc.table(("Item", "Value"), [
        ("Protocol", protocol.id),
        ("Title", protocol.title),
        ("Type", KIND_NAMES.get(protocol.id.split("-")[0], protocol.id.split("-")[0])),
        ("Subject", label(Protocol, "subject", protocol.subject)),
        ("Equipment or system", names.lines(protocol.equipment) or "none"),
        ("Status", status_label(protocol.status)),
        ("Approved for execution", protocol.approved or "not approved"),
        ("Owner", names.person(protocol.owner) or "none"),
    ])
    doc.heading("Purpose")
    doc.paragraph(protocol.purpose)
    if protocol.scope:
        doc.heading("Scope")
        doc.paragraph(protocol.scope)
    doc.heading("References")
    rows = [(str(r), getattr(records.get(str(r)), "title", "")) for r in protocol.references]
    doc.table(("Reference", "Title"), rows) if rows else doc.paragraph("None.")
    doc.heading("Prerequisites")
    instruments = []
    for ref in (pre.instruments if pre else ()):
        eq = records.get(str(ref))
        cal = getattr(eq, "calibration", None)
        instruments.append((str(ref), getattr(eq, "title", ""), getattr(cal, "last", None) or "",
                            getattr(cal, "due", None) or ""))
    if instruments:
        doc.table(("Instrument", "Description", "Calibrated", "Due"), instruments)
    people = [(names.person(r),) for r in (pre.executors if pre else ())]
    if people:
        doc.table(("Executor",), people)
    doc.paragraph("Training required: " + (", ".join(names.title(r) for r in pre.training) if pre and pre.training
                                           else "none") + ".")
    doc.heading("Acceptance criteria")
    for i, criterion in enumerate(protocol.acceptance_criteria, 1):
        doc.paragraph(f"{i}. {criterion}")
    if protocol.sample_size is not None:
        s = protocol.sample_size
        doc.heading("Sample size and its justification")
        rows = [("Stated n", s.n), ("Method", label(SampleSize, "method", s.method))]
        rows += [(label, value) for label, value in (("Confidence", s.confidence), ("Reliability", s.reliability),
                                                      ("Failures allowed", s.failures if s.method == "success_run"
                                                       else None), ("Cpk target", s.cpk_target),
                                                      ("Cpk planned", s.cpk_planned)) if value is not None]
        if sample is not None:
            rows.append(("Computed by the generator", sample[1]))
        doc.table(("Item", "Value"), rows)
        if s.rationale:
            doc.paragraph(s.rationale)
    if protocol.data:
        doc.paragraph(f"Measurement data: {', '.join(protocol.data)}.")


def protocol_document(docs: DocumentSet, records: RecordSet, protocol: Protocol, files: ProtocolFiles | None,
                      sample: tuple[int | None, str] | None) -> ControlledDocument:
    """The unexecuted protocol, for review and approval: every step with the Gherkin it runs."""
    doc = docs.document("protocol", protocol.id, f"{protocol.id} {protocol.title}",
                        records=[protocol.id, *map(str, protocol.references)], subject=protocol.id,
                        signatories=("Author", "Reviewer", "Quality assurance (approval for execution)"))
    _front(doc, records, protocol, sample, docs.names)
    doc.heading("Test steps")
    features = files.features if files else {}
    for step in protocol.steps:
        doc.heading(f"Step {step.id}", level=2)
        doc.paragraph(f"Feature: {step.feature}; "
                      + (f"scenario '{step.scenario}'" if step.scenario else f"scenarios tagged @{step.tag}"))
        if step.expected:
            doc.paragraph(f"Expected result: {step.expected}")
        doc.table(("Gherkin",), [(line,) for line in _scenario_lines(features.get(step.feature), protocol, step)])
    return doc


def executed_document(docs: DocumentSet, records: RecordSet, protocol: Protocol, evidence: RawMapping,
                      record: tuple[str, tuple[str, str]] | None = None) -> ControlledDocument:
    """The executed protocol: pass/fail summary, each step's actual against expected, deviations, evidence.
    `record`: the execution record it reports, with its evidence file's (path, SHA-256)."""
    ex = evidence["execution"]
    doc = docs.document("protocol_report", protocol.id,
                        f"{protocol.id} {protocol.title}: executed protocol",
                        records=[protocol.id, *evidence["deviations"]], subject=None,
                        signatories=("Executed by", "Reviewed by", "Quality assurance (approval of results)"))
    summary = evidence["summary"]
    doc.heading("Result")
    verdict = "PASS" if evidence["result"] == "pass" else "FAIL"
    doc.paragraph(f"{verdict}: {summary['passed']} of {summary['steps']} step(s) met their acceptance criteria"
                  + (f"; failed: {', '.join(summary['failed_steps'])}." if summary["failed_steps"] else "."))
    who = ex["executed_by"]
    recorded = [("Execution record", record[0]), ("Evidence", f"{record[1][0]}, SHA-256 {record[1][1]}")] if record else []
    doc.table(("Item", "Value"), [
        ("Protocol", f"{protocol.id}, content SHA-256 {evidence['protocol']['content_sha256']}"),
        *recorded,
        ("Executed on", ex["date"]),
        ("Executed by", docs.names.person(who["id"]) if who else f"automated ({ex['runner']})"),
        ("Started", ex["started"] or "not recorded (reproducible build)"),
        ("Finished", ex["finished"] or "not recorded (reproducible build)"),
        ("Repository commit", evidence["repository"]["commit"]),
        ("Working tree", {True: "clean", False: "had uncommitted changes", None: "not a git repository"}[
            evidence["repository"]["clean"]]),
        ("Python", f"{evidence['environment']['python']} on {evidence['environment']['os']}"),
        ("Generator", evidence["environment"]["generator"]),
    ])
    if evidence.get("sample_size"):
        s = evidence["sample_size"]
        doc.paragraph(f"Sample size: stated n = {s['stated']}; {s['justification']}.")
    doc.heading("Steps")
    doc.table(("Step", "Expected", "Actual", "Result"),
              [(s["id"], s["expected"] or "", _actual(s), s["result"].upper()) for s in evidence["steps"]])
    for s in evidence["steps"]:
        doc.heading(f"Step {s['id']}: {s['result'].upper()}", level=2)
        rows: list[tuple[str, ...]] = []
        for sc in s["scenarios"]:
            example = ", ".join(f"{k} = {v}" for k, v in sc["example"].items())
            scenario = sc["scenario"] + (f" [{example}]" if example else "")
            for st in sc["steps"]:
                checks = st["checks"] or [{"check": "", "actual": st["error"] or "", "expected": "", "ok": None}]
                for c in checks:
                    rows.append((scenario, f"{st['keyword']} {st['text']}", c["check"], _text(c["expected"]),
                                 _text(c["actual"]), st["status"]))
            if sc["error"]:
                rows.append((scenario, "", "scenario error", "", sc["error"], sc["status"]))
        doc.table(("Scenario", "Gherkin step", "Check", "Expected", "Actual", "Status"), _grouped(rows))
    doc.heading("Deviations")
    if evidence["deviations"]:
        doc.table(("Deviation", "Raised for"), [(d, "failed step(s) " + ", ".join(summary["failed_steps"]))
                                                for d in evidence["deviations"]])
    elif summary["failed_steps"]:
        doc.paragraph("Failed steps were not recorded as deviations by this run (automated build run): "
                      "execute the protocol with `qms protocol run` to draft them.")
    else:
        doc.paragraph("None.")
    doc.heading("Data files read")
    files = evidence["files_read"]
    doc.table(("File", "SHA-256"), list(files.items())) if files else doc.paragraph("None.")
    return doc


def _grouped(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rows with the scenario and the step written once, on the first row of each (a reader scans down
    the checks of one step rather than reading the same sentence on every line)."""
    out: list[tuple[str, ...]] = []
    previous: tuple[str, ...] = ("", "")
    for row in rows:
        scenario, step = row[0], row[1]
        shown_scenario = "" if scenario == previous[0] else scenario
        shown_step = "" if (scenario, step) == previous and step else step
        out.append((shown_scenario, shown_step, *row[2:]))
        previous = (scenario, step)
    return out


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


SHOWN_CHECKS = 6  # a step with more checks is summarised in the overview and listed in full under its heading


def _actual(step: dict[str, Any]) -> str:
    """A step's actual result in the overview, beside its expected one: the values found (each check's own
    actual), or which checks failed and what they found."""
    checks = [c for sc in step["scenarios"] for st in sc["steps"] for c in st["checks"]]
    failed = [c for c in checks if not c["ok"]]
    if failed:
        return "; ".join(f"{c['check']}: {_text(c['actual'])} (expected {_text(c['expected'])})" for c in failed[:3])
    errors = [st["error"] for sc in step["scenarios"] for st in sc["steps"] if st["error"]]
    if errors:
        return errors[0]
    if not checks:
        return "no check recorded"
    if len(checks) <= SHOWN_CHECKS:
        return "; ".join(f"{c['check']}: {_text(c['actual'])}" for c in checks)
    last = checks[-1]  # the step's concluding check, after any set-up checks of its background
    return (f"all {len(checks)} checks equal their expected values, the last {last['check']}: "
            f"{_text(last['actual'])} (each listed under Step {step['id']} below)")


def _person(docs: DocumentSet, who: str | None) -> str:
    if not who:
        return ""
    return docs.names.person(who) if who.startswith("USR-") else f"automated ({who})"


# The clauses each side of validation answers to.
BASIS = {True: ("ISO 13485:2016 4.1.6 (validation of computer software used in the quality management system)",
                "21 CFR 820.70(i) (automated processes: software validated for its intended use)"),
         False: ("ISO 13485:2016 7.5.6 (validation of processes for production and service provision)",
                 "21 CFR 820.75 (process validation)", "GHTF SG3/N99-10:2004 (process validation guidance)")}


def _state(row: dict[str, Any]) -> str:
    """The validated state a row's records support, and no more."""
    if not row["result"]:
        return "Not executed: validated state not established"
    if row["result"] != "pass":
        return f"Not validated: the latest execution ({row['date']}) failed"
    if row["open_deviations"]:
        return f"Not validated: deviation(s) {', '.join(row['open_deviations'])} still open"
    return f"Validated: passed on {row['date']} with no open deviation"


def summary_document(docs: DocumentSet, records: RecordSet, rows: list[RawMapping], subject: str = "report",
                     software: bool = False) -> ControlledDocument:
    """The validation summary report (GHTF SG3/N99-10 5.4): scope, references, every protocol with its latest
    execution, result and deviations, and the validated state each protocol's records support and overall."""
    from ..model.events import Nonconformance

    what = "the QMS software" if software else "the device's production equipment and processes"
    verb = "is" if software else "are"
    doc = docs.document("validation_summary", subject,
                        "Validation summary report" + (": QMS software" if software else ""),
                        records=[r["protocol"] for r in rows] + [d for r in rows for d in r["deviations"]]
                        + [r["record"] for r in rows if r["record"]])
    doc.heading("Scope")
    equipment = sorted({str(e) for r in rows for e in getattr(records.get(r["protocol"]), "equipment", ())})
    doc.paragraph(f"This report summarises the validation of {what}: {len(rows)} protocol(s) "
                  f"({', '.join(r['protocol'] for r in rows)}), covering "
                  + ("; ".join(docs.names.title(e) for e in equipment) or "no named equipment")
                  + ". It states what the execution records show, protocol by protocol; a protocol without a "
                    "recorded execution is reported as not executed."
                  + (" ISO 13485:2016 4.1.6 requires this software to be validated for its use in the quality "
                     "management system; it is not part of the device's technical documentation (EU MDR Annex II)."
                     if software else ""))
    doc.heading("References")
    doc.heading("Protocols", level=2)
    doc.table(("Protocol", "Document", "Title", "Status", "Approved for execution"),
              [(r["protocol"], docs.number("protocol", r["protocol"]), r["title"], status_label(r["status"]),
                getattr(records.get(r["protocol"]), "approved", None) or "not approved") for r in rows])
    plans = sorted((d for d in records.of_kind("document") if isinstance(d, Document) and d.type == "plan" and "validation" in d.title.lower()
                    and not d.retired), key=lambda d: d.id)
    doc.heading("Validation plan and procedures", level=2)
    cited = sorted({str(ref) for r in rows for ref in getattr(records.get(r["protocol"]), "references", ())})
    refs = [(d.id, d.title, "validation plan") for d in plans]
    refs += [(ref, getattr(records.get(ref), "title", ""), "cited by the protocols") for ref in cited
             if ref not in {d.id for d in plans}]
    doc.table(("Reference", "Title", "Why"), refs) if refs else doc.paragraph("None cited.")
    if not plans:
        doc.paragraph("No validation plan is recorded (a document record of type plan with 'validation' in its "
                      "title); the protocols are planned individually.")
    doc.heading("Standards and guidance", level=2)
    standards = sorted((s for s in records.of_kind("standard")
                        if isinstance(s, Standard) and "13485" in s.number and not s.retired),
                       key=lambda s: s.id)
    for s in standards:
        doc.paragraph(f"{s.id} {s.title}, edition {s.edition}")
    for basis in BASIS[software]:
        doc.paragraph(basis)
    doc.heading("Protocols and their latest execution")
    doc.table(("Protocol", "Latest execution", "Record", "Executed by", "Result", "Deviations"),
              [(r["protocol"], r["date"] or "not executed", r["record"] or ("this build" if r["date"] and not
                                                                             r["record"] else ""),
                _person(docs, r["executed_by"]), (r["result"] or "").upper(), ", ".join(r["deviations"]) or "none")
               for r in rows])
    doc.heading("Deviations")
    raised = sorted({d for r in rows for d in r["deviations"]})
    if raised:
        dev_rows = []
        for d in raised:
            nc = records.get(d)
            dev_rows.append((d, ", ".join(r["protocol"] for r in rows if d in r["deviations"]),
                             getattr(nc, "title", "(not found)"), status_label(getattr(nc, "status", "")),
                             label(Nonconformance, "disposition", getattr(nc, "disposition", None))
                             if getattr(nc, "disposition", None) else "not dispositioned"))
        doc.table(("Deviation", "Protocol", "Title", "Status", "Disposition"), dev_rows)
    else:
        doc.paragraph("No deviation was raised against these protocols.")
    doc.heading("Statement of validated state")
    doc.table(("Protocol", "Validated state"), [(r["protocol"], _state(r)) for r in rows])
    failing = [r["protocol"] for r in rows if r["result"] == "fail"]
    pending = [r["protocol"] for r in rows if not r["result"]]
    open_ = [r["protocol"] for r in rows if r["open_deviations"]]
    if failing or pending or open_:
        doc.paragraph(f"Overall: {what} {verb} not in a validated state: "
                      + "; ".join(x for x in (f"failed: {', '.join(failing)}" if failing else "",
                                              f"not executed: {', '.join(pending)}" if pending else "",
                                              f"open deviations: {', '.join(open_)}" if open_ else "") if x) + ".")
    else:
        doc.paragraph(f"Overall: {what} {verb} in a validated state: every protocol ({', '.join(r['protocol'] for r in rows)}) "
                      "passed its latest execution and no deviation remains open.")
    return doc
