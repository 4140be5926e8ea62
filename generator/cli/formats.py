"""Findings and protocol runs in the formats CI and code review already show: SARIF 2.1.0 and JUnit XML.

SARIF (OASIS SARIF 2.1.0) is what code-review tools annotate pull requests from: one result per finding
with its rule, level, file and line. JUnit XML is what CI test-report views read. Both are built from
the same findings `--format json` prints, and are byte-identical for the same findings.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from .. import __version__
from ..findings import Finding
from ..rules import RULES, Rule
from ..xmltext import xml_text

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning"}  # anything else a rule may say is shown as a note


# --------------------------------------------------------------------------------------------- SARIF

def sarif(findings: list[Finding], waived: list[Finding], summary: dict[str, Any], exit_code: int) -> str:
    """A SARIF 2.1.0 log of one `qms validate` run: open findings, then waived ones as suppressed results."""
    used = sorted({f.code for f in (*findings, *waived)})
    index = {code: i for i, code in enumerate(used)}
    results = [_result(f, index) for f in findings] + [_result(f, index, suppressed=True) for f in waived]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "qms", "version": __version__, "semanticVersion": __version__,
                                "rules": [_descriptor(code) for code in used]}},
            "invocations": [{"executionSuccessful": exit_code != 2, "exitCode": exit_code,
                             "commandLine": "qms validate --format sarif"}],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {"summary": summary},
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def _descriptor(code: str) -> dict[str, Any]:
    rule: Rule | None = RULES.get(code)
    if rule is None:  # a code no rule declares (it should not happen): still a valid, named descriptor
        return {"id": code}
    return {
        "id": code,
        "name": _pascal(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": f"{rule.title} ({rule.clause}). {rule.rationale}"},
        "defaultConfiguration": {"level": LEVEL.get(rule.severity, "note")},
        "properties": {"clause": rule.clause, "area": rule.area, "tags": [rule.area]},
    }


def _pascal(title: str) -> str:
    """SARIF's `name` is an identifier-like name ("RequiredFieldMissing"); the title gives it."""
    words = "".join(c if c.isalnum() else " " for c in title).split()
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def _result(f: Finding, index: dict[str, int], suppressed: bool = False) -> dict[str, Any]:
    loc = f.location
    # Relative to the repository root, as review tools resolve it against their checkout; a URI, so encoded.
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(loc.file, safe="/")}}
    if loc.line and not loc.sheet:  # a sheet's row is no line of the file: the cell goes in the message
        physical["region"] = {"startLine": loc.line}
    location: dict[str, Any] = {"physicalLocation": physical}
    logical = []
    if loc.sheet:
        logical.append({"name": str(loc)[len(loc.file):], "fullyQualifiedName": str(loc), "kind": "element"})
    if f.record:
        logical.append({"name": f.record, "kind": "object"})
    if logical:
        location["logicalLocations"] = logical
    where = f"{loc}: " if loc.sheet else ""
    who = f"[{f.record}] " if f.record else ""
    text = f"{where}{who}{f.message}" + (f"\nhint: {f.hint}" if f.hint else "")
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVEL.get(f.severity, "note"),
        "message": {"text": text},
        "locations": [location],
        "properties": {"record": f.record, "location": str(loc), "hint": f.hint},
    }
    if suppressed:
        out["suppressions"] = [{"kind": "external", "status": "accepted",
                                "justification": f"waived by {f.waived_by}",
                                "properties": {"waiver": f.waived_by}}]
    return out


# --------------------------------------------------------------------------------------------- JUnit
#
# `qms validate` as one test case per rule checked, failing with every error finding of that rule. CI
# test views (GitLab merge requests, Jenkins, GitHub test-report actions) follow tests by name from run to
# run and say "new failure", "fixed", "still failing": rule codes are stable names, findings are not (a
# test per finding would be a new test each time a record changes, and a clean repository would report no
# tests at all). Each failure lists its findings with their locations, so nothing is lost. Warnings do not
# fail the run (`qms validate` exits 0 on them), so they do not fail a test case either: they are listed in
# its system-out, as are waived findings.

def junit_validate(findings: list[Finding], waived: list[Finding], rules: Iterable[Rule] | None = None) -> str:
    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    waived_by: dict[str, list[Finding]] = {}
    for f in waived:
        waived_by.setdefault(f.code, []).append(f)
    codes = sorted({*(r.code for r in (rules if rules is not None else RULES.values())), *by_code, *waived_by})
    suite = ET.Element("testsuite", name="qms validate")
    failures = 0
    for code in codes:
        rule = RULES.get(code)
        title = rule.title if rule else code
        case = ET.SubElement(suite, "testcase", classname=f"qms.validate.{rule.area if rule else 'other'}",
                             name=f"{code} {title}")
        errors = [f for f in by_code.get(code, []) if f.severity == "error"]
        notes = [f for f in by_code.get(code, []) if f.severity != "error"]
        if errors:
            failures += 1
            failure = ET.SubElement(case, "failure", type=code,
                                    message=f"{len(errors)} finding(s): {_finding_line(errors[0])}")
            failure.text = "\n".join(_finding_text(f) for f in errors)
        out = [f"{f.severity}: {_finding_text(f)}" for f in notes]
        out += [f"waived by {f.waived_by}: {_finding_text(f)}" for f in waived_by.get(code, [])]
        if out:
            ET.SubElement(case, "system-out").text = "\n".join(out)
    return _junit(suite, len(codes), failures)


def _finding_line(f: Finding) -> str:
    who = f" [{f.record}]" if f.record else ""
    return f"{f.location}:{who} {f.message}"


def _finding_text(f: Finding) -> str:
    return _finding_line(f) + (f"\n    hint: {f.hint}" if f.hint else "")


def junit_protocol(ev: dict[str, Any]) -> str:
    """One test case per protocol step of an executed protocol, failing with the checks that failed."""
    pid = ev["protocol"]["id"]
    suite = ET.Element("testsuite", name=f"qms protocol run {pid}")
    failures = 0
    total = 0.0
    for step in ev["steps"]:
        seconds = _seconds(step)
        total += seconds
        case = ET.SubElement(suite, "testcase", classname=f"qms.protocol.{pid}",
                             name=f"step {step['id']}" + (f": {step['expected']}" if step["expected"] else ""),
                             time=f"{seconds:.3f}")
        if step["result"] != "pass":
            failures += 1
            lines = _failed_checks(step)
            ET.SubElement(case, "failure", type=step["result"],
                          message=lines[0] if lines else f"step {step['id']} did not pass").text = "\n".join(lines)
    ex = ev["execution"]
    props = ET.Element("properties")
    for name, value in (("execution", ex.get("id")), ("record", ex.get("record")), ("date", ex.get("date")),
                        ("executed_by", (ex.get("executed_by") or {}).get("id")),
                        ("deviations", ", ".join(ev.get("deviations", [])))):
        if value:
            ET.SubElement(props, "property", name=name, value=str(value))
    suite.insert(0, props)
    return _junit(suite, len(ev["steps"]), failures, total)


def junit_not_executed(protocol_id: str, problems: list[str]) -> str:
    """A protocol that may not be executed today: one failing test case naming every reason."""
    suite = ET.Element("testsuite", name=f"qms protocol run {protocol_id}")
    case = ET.SubElement(suite, "testcase", classname=f"qms.protocol.{protocol_id}", name="ready to execute")
    ET.SubElement(case, "failure", type="not executed",
                  message=f"{protocol_id} was not executed: {problems[0] if problems else ''}").text = \
        "\n".join(problems)
    return _junit(suite, 1, 1)


def _failed_checks(step: dict[str, Any]) -> list[str]:
    lines = []
    for sc in step["scenarios"]:
        for st in sc["steps"]:
            for c in st["checks"]:
                if not c["ok"]:
                    lines.append(f"{sc['scenario']}: {c['check']}: expected {c['expected']}, actual {c['actual']}")
            if st["status"] == "undefined" or (st["status"] == "failed" and not st["checks"]):
                lines.append(f"{sc['scenario']}: {st['keyword']} {st['text']}: {st['error']}")
        if sc["status"] == "error":
            lines.append(f"{sc['scenario']}: {sc['error']}")
    return lines


def _seconds(step: dict[str, Any]) -> float:
    times = [(st.get("started"), st.get("finished")) for sc in step["scenarios"] for st in sc["steps"]]
    starts = [s for a, _ in times if a and (s := _instant(a))]
    ends = [e for _, b in times if b and (e := _instant(b))]
    return max(0.0, (max(ends) - min(starts)).total_seconds()) if starts and ends else 0.0


def _instant(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _junit(suite: ET.Element, tests: int, failures: int, seconds: float | None = None) -> str:
    """The suite wrapped in <testsuites>, counts on both (some readers take one, some the other)."""
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0"}
    if seconds is not None:
        counts["time"] = f"{seconds:.3f}"
    suite.attrib.update(counts)
    root = ET.Element("testsuites", {"name": suite.get("name", ""), **counts})
    root.append(suite)
    for node in root.iter():  # record text may hold what XML 1.0 cannot carry
        node.text = xml_text(node.text) if node.text else node.text
        for key, value in node.attrib.items():
            node.attrib[key] = xml_text(value)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
