"""Validation documents: the protocol for approval, the executed protocol with its evidence, and the
validation summary report (21 CFR 820.75; ISO 13485:2016 4.1.6, 7.5.6; GHTF SG3/N99-10).
"""

from __future__ import annotations

from typing import Any

from ..load.features import FeatureFile, ProtocolFiles
from ..model.labels import label, status_label
from ..model.validation import Protocol, SampleSize
from ..recordset import RecordSet
from .document import DocumentSet

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
                      sample: tuple[int | None, str] | None) -> Any:
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


def executed_document(docs: DocumentSet, records: RecordSet, protocol: Protocol, evidence: dict[str, Any]) -> Any:
    """The executed protocol: pass/fail summary, each step's actual against expected, deviations, evidence."""
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
    doc.table(("Item", "Value"), [
        ("Protocol", f"{protocol.id}, content SHA-256 {evidence['protocol']['content_sha256']}"),
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
        rows = []
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


def _actual(step: dict[str, Any]) -> str:
    failed = [c for sc in step["scenarios"] for st in sc["steps"] for c in st["checks"] if not c["ok"]]
    if failed:
        return "; ".join(f"{c['check']}: {_text(c['actual'])}" for c in failed[:3])
    errors = [st["error"] for sc in step["scenarios"] for st in sc["steps"] if st["error"]]
    if errors:
        return errors[0]
    n = sum(len(st["checks"]) for sc in step["scenarios"] for st in sc["steps"])
    return f"{n} check(s) met in {len(step['scenarios'])} scenario(s)"


def summary_document(docs: DocumentSet, records: RecordSet, rows: list[dict[str, Any]]) -> Any:
    """The validation summary report: every protocol, its latest execution, its result and open deviations."""
    doc = docs.document("validation_summary", "report", "Validation summary report",
                        records=[r["protocol"] for r in rows] + [d for r in rows for d in r["open_deviations"]])
    doc.heading("Protocols and their latest execution")
    doc.table(("Protocol", "Title", "Status", "Latest execution", "Executed by", "Result", "Open deviations"),
              [(r["protocol"], r["title"], status_label(r["status"]), r["date"] or "not executed",
                docs.names.person(r["executed_by"]) if r["executed_by"] else "",
                r["result"] or "", ", ".join(r["open_deviations"]) or "none") for r in rows])
    failing = [r["protocol"] for r in rows if r["result"] == "fail"]
    pending = [r["protocol"] for r in rows if not r["result"]]
    doc.heading("Conclusion")
    if failing or pending or any(r["open_deviations"] for r in rows):
        doc.paragraph("Validation is not complete: "
                      + "; ".join(x for x in (f"failed: {', '.join(failing)}" if failing else "",
                                              f"not executed: {', '.join(pending)}" if pending else "",
                                              "open deviations remain" if any(r["open_deviations"] for r in rows)
                                              else "") if x) + ".")
    else:
        doc.paragraph("Every protocol has passed its latest execution and no deviation remains open.")
    return doc
