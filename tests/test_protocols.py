"""Executable validation: protocol rules, pytest-bdd runs, evidence, deviations and documents.

Runs use copies of the worked example (committed to a fresh git repository, as a clean clone is)
and the real `qms` CLI; the scenarios run with pytest-bdd in the CLI's process.
"""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from support import copy_example, git, make_repo, run_qms, validate_json

def _git(repo: Path, *args: str) -> str:
    return git(repo, *args)


def example_copy(base: Path) -> Path:
    return copy_example(base)


@pytest.fixture(scope="module")
def clean_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("clone") / "repo")


def _cells(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [c.text for t in document.tables for row in t.rows for c in row.cells]


# ------------------------------------------------------------------------------------------- a clean run

def test_pq_run_on_a_clean_clone_passes_and_writes_evidence(clean_clone: Path) -> None:
    proc = run_qms("--repo", str(clean_clone), "protocol", "run", "PQ-001", "--executed-by", "USR-004",
                   "--format", "json", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ev = json.loads(proc.stdout)
    assert ev["result"] == "pass"
    assert ev["summary"] == {"steps": 3, "passed": 3, "failed": 0, "failed_steps": []}
    assert ev["execution"]["executed_by"] == {"id": "USR-004", "name": _user_name(clean_clone, "USR-004")}
    assert ev["execution"]["started"] and ev["execution"]["finished"]
    assert ev["repository"]["clean"] is True
    assert ev["repository"]["commit"] == _git(clean_clone, "rev-parse", "HEAD").strip()
    data = (clean_clone / "protocols/data/measurements.xlsx").read_bytes()
    import hashlib

    assert ev["files_read"] == {"protocols/data/measurements.xlsx": hashlib.sha256(data).hexdigest()}
    assert ev["sample_size"] == {"stated": 59, "justified": 59, "sufficient": True,
                                 "justification": "success run, C = 0.95, R = 0.95, 0 failure(s) allowed: n = 59"}
    assert ev["deviations"] == []
    assert set(ev["environment"]["packages"]) >= {"qms-generator", "pytest-bdd", "pytest"}
    # Every step of every scenario was timed and recorded actual against expected.
    steps = [st for s in ev["steps"] for sc in s["scenarios"] for st in sc["steps"]]
    assert all(st["status"] == "passed" and st["started"] and st["finished"] for st in steps)
    ppk = [c for st in steps for c in st["checks"] if c["check"].startswith("Ppk")]
    assert ppk == [{"check": 'Ppk of "flow_rate_ml_h" (n = 59, LSL 95.0, USL 105.0)', "actual": 3.0326,
                    "expected": ">= 1.33", "ok": True}]
    out = clean_clone / "qms-work/protocols/PQ-001"
    assert json.loads((out / "evidence.json").read_text()) == ev
    cells = _cells(out / "PQ-001-executed.docx")
    assert "59 of 59 measurements within 98.0 to 102.0 mL/h" in cells
    assert cells.count("PASS") >= 3
    assert not list((clean_clone / "records/events/nc").glob("NC-2026-009.yaml"))


def _user_name(repo: Path, uid: str) -> str:
    return yaml.safe_load((repo / f"records/people/{uid}.yaml").read_text())["name"]


def test_every_example_protocol_passes(clean_clone: Path) -> None:
    for pid, who in (("IQ-001", "USR-004"), ("OQ-001", "USR-004"), ("IQ-002", "USR-002")):
        proc = run_qms("--repo", str(clean_clone), "protocol", "run", pid, "--executed-by", who, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert f"{pid} executed on 2026-11-25 by {who}: PASS" in proc.stdout
    ev = json.loads((clean_clone / "qms-work/protocols/OQ-001/evidence.json").read_text())
    outline = ev["steps"][0]["scenarios"]
    assert [sc["example"] for sc in outline] == [{"rate": "1"}, {"rate": "25"}, {"rate": "100"}, {"rate": "999"}]


# ------------------------------------------------------------------------------- a failed run drafts a deviation

def test_corrupted_measurement_fails_the_pq_and_drafts_a_deviation(tmp_path: Path) -> None:
    repo = example_copy(tmp_path / "repo")
    book = repo / "protocols/data/measurements.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Measurements"]
    column = [c.value for c in ws[1]].index("flow_rate_ml_h") + 1
    ws.cell(row=50, column=column, value=102.3)  # one mechanism out of the 98-102 mL/h PQ limit
    wb.save(book)
    letter = openpyxl.utils.get_column_letter(column)

    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-004", timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "PQ-001 executed on 2026-11-25 by USR-004: FAIL (2 of 3 step(s) passed)" in proc.stdout
    assert "step 1: FAIL" in proc.stdout and "step 2: PASS" in proc.stdout
    failed = (f"every value of \"flow_rate_ml_h\" within limits: expected all within 98.0 to 102.0, actual 58 of "
              f"59 within; min 98.36, max 102.3; first outside: 102.3 at "
              f"protocols/data/measurements.xlsx[Measurements]!{letter}50")
    assert failed in proc.stdout
    assert "drafted deviation NC-2026-009 (records/events/nc/NC-2026-009.yaml)" in proc.stdout

    nc = yaml.safe_load((repo / "records/events/nc/NC-2026-009.yaml").read_text())
    assert {k: nc[k] for k in ("id", "status", "type", "source", "origin", "protocol_step", "owner")} == {
        "id": "NC-2026-009", "status": "open", "type": "deviation", "source": "validation",
        "origin": ["PQ-001"], "protocol_step": "1", "owner": "USR-004"}
    assert "actual 58 of 59 within" in nc["description"]
    # The drafted deviation is a valid record of the repository.
    code, report = validate_json(repo)
    assert [f for f in report["findings"] if f["record"] == "NC-2026-009" and f["severity"] == "error"] == []

    ev = json.loads((repo / "qms-work/protocols/PQ-001/evidence.json").read_text())
    assert ev["result"] == "fail" and ev["deviations"] == ["NC-2026-009"]
    assert ev["summary"]["failed_steps"] == ["1"]
    cells = _cells(repo / "qms-work/protocols/PQ-001/PQ-001-executed.docx")
    assert "FAIL" in cells and "NC-2026-009" in cells
    assert "all within 98.0 to 102.0" in cells  # expected ...
    assert any(c.startswith("58 of 59 within; min 98.36, max 102.3") for c in cells)  # ... against actual

    # A second failing run drafts the next deviation; the first is never overwritten.
    before = (repo / "records/events/nc/NC-2026-009.yaml").read_bytes()
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-004", timeout=120)
    assert "drafted deviation NC-2026-010" in proc.stdout
    assert (repo / "records/events/nc/NC-2026-009.yaml").read_bytes() == before


# ------------------------------------------------------------------------------------ readiness before running

def test_untrained_executor_is_refused_before_anything_runs(clean_clone: Path, tmp_path: Path) -> None:
    out = tmp_path / "evidence"
    proc = run_qms("--repo", str(clean_clone), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--out", str(out), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["result"] == "not executed"
    assert {p["kind"] for p in doc["problems"]} == {"executor", "training"}
    assert not out.exists()


def test_run_before_approval_is_refused(clean_clone: Path, tmp_path: Path) -> None:
    proc = run_qms("--repo", str(clean_clone), "protocol", "run", "PQ-001", "--executed-by", "USR-004",
                   "--as-of", "2026-04-20", "--out", str(tmp_path / "x"))
    assert proc.returncode == 1
    assert "executed on 2026-04-20, before its approval on 2026-04-24" in proc.stdout


def test_unknown_protocol_is_a_clear_error(clean_clone: Path) -> None:
    proc = run_qms("--repo", str(clean_clone), "protocol", "run", "PQ-404", "--executed-by", "USR-004")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "no protocol 'PQ-404' (protocols: IQ-001, IQ-002, OQ-001, OQ-002, PQ-001, PQ-002)" in proc.stderr


# ------------------------------------------------------------------------------------------- small repositories

USR = """\
id: USR-002
title: Validation engineer
status: active
name: Bo Lind
email: bo@example.com
training:
  - subject: DOC-001
    date: 2026-01-10
"""
DOC = """\
id: DOC-001
title: Validation procedure
status: effective
owner: USR-001
type: procedure
"""
EQ = """\
id: EQ-001
title: Balance
status: active
owner: USR-001
type: instrument
calibration: {last: 2026-01-05, due: 2026-06-30}
"""
FEATURE = """\
Feature: Checks on a sheet
  Scenario: Values in range
    Given the measurement file "protocols/data/m.csv"
    Then every value of "x" lies between 1 and 5

  @extra
  Scenario: Custom step
    Then the custom check of "x" passes

  Scenario: Undefined step
    Then something nobody has defined happens
"""


def protocol(steps: str, extra: str = "") -> str:
    return f"""\
id: PQ-001
title: Small PQ
status: approved
owner: USR-001
subject: process
purpose: Show it works.
prerequisites:
  instruments: [EQ-001]
  executors: [USR-002]
  training: [DOC-001]
steps:
{steps}
approved: 2026-02-01
{extra}"""


STEP_1 = """\
  - id: "1"
    feature: features/f.feature
    scenario: Values in range
"""


def small_repo(base: Path, proto: str, feature: str = FEATURE, files: dict | None = None) -> Path:
    return make_repo(base, {"records/people/USR-002.yaml": USR, "records/documents/DOC-001.yaml": DOC,
                            "records/equipment/EQ-001.yaml": EQ, "protocols/PQ-001.yaml": proto,
                            "features/f.feature": feature, "protocols/data/m.csv": "x\n1\n2.5\n5\n",
                            **(files or {})})


def _codes(report: dict) -> list[tuple[str, str]]:
    return [(f["code"], f["location"]) for f in report["findings"]]


def test_step_naming_a_missing_scenario_or_tag_is_located(tmp_path: Path) -> None:
    steps = STEP_1 + """\
  - id: "2"
    feature: features/f.feature
    scenario: Values in rnage
  - id: "3"
    feature: features/f.feature
    tag: missing
"""
    repo = small_repo(tmp_path, protocol(steps))
    code, report = validate_json(repo)
    assert code == 1
    found = [f for f in report["findings"] if f["code"] == "QMS640"]
    assert [(f["location"], f["message"]) for f in found] == [
        ("protocols/PQ-001.yaml:17", "step 2: features/f.feature has no scenario 'Values in rnage' (scenarios: "
                                     "'Values in range'; 'Custom step'; 'Undefined step')"),
        ("protocols/PQ-001.yaml:20", "step 3: no scenario of features/f.feature is tagged @missing"),
    ]


def test_missing_or_broken_feature_file_is_qms109(tmp_path: Path) -> None:
    repo = small_repo(tmp_path, protocol(STEP_1), feature="Feature: x\n  Scenario: a\n    Given b\n  Scenari: c\n")
    code, report = validate_json(repo)
    assert ("QMS109", "protocols/PQ-001.yaml:13") in _codes(report)
    message = next(f["message"] for f in report["findings"] if f["code"] == "QMS109")
    assert message.startswith("feature file features/f.feature:4: Gherkin syntax error: expected:")


def test_recorded_executions_are_checked(tmp_path: Path) -> None:
    executions = """\
executions:
  - date: 2026-01-20
    executed_by: USR-002
    result: pass
  - date: 2026-07-15
    executed_by: USR-001
    result: pass
"""
    repo = small_repo(tmp_path, protocol(STEP_1, executions))
    code, report = validate_json(repo)
    got = sorted((f["code"], f["message"]) for f in report["findings"] if f["code"] in ("QMS641", "QMS642", "QMS643"))
    assert got == [
        ("QMS641", "execution 2: EQ-001 calibration was due 2026-06-30, before the execution on 2026-07-15"),
        ("QMS642", "execution 2: USR-001 holds no training on DOC-001 dated on or before 2026-07-15"),
        ("QMS642", "execution 2: USR-001 is not among the protocol's executors (USR-002)"),
        ("QMS643", "execution 1: executed on 2026-01-20, before its approval on 2026-02-01"),
    ]


@pytest.mark.parametrize(("sample", "message"), [
    ("{n: 58, method: success_run, confidence: 0.95, reliability: 0.95}",
     "n = 58 but success run, C = 0.95, R = 0.95, 0 failure(s) allowed: n = 59"),
    ("{n: 92, method: success_run, confidence: 0.95, reliability: 0.95, failures: 1}",
     "n = 92 but success run, C = 0.95, R = 0.95, 1 failure(s) allowed: n = 93"),
    ("{n: 59, method: success_run, confidence: 0.95}",
     "sample size cannot be justified: success-run needs both confidence and reliability"),
])
def test_pq_sample_smaller_than_its_justification(tmp_path: Path, sample: str, message: str) -> None:
    repo = small_repo(tmp_path, protocol(STEP_1, f"sample_size: {sample}\n"))
    code, report = validate_json(repo)
    assert [f["message"] for f in report["findings"] if f["code"] == "QMS644"] == [message]


def test_justified_sample_passes(tmp_path: Path) -> None:
    repo = small_repo(tmp_path, protocol(STEP_1, "sample_size: {n: 59, method: success_run, confidence: 0.95, "
                                                 "reliability: 0.95}\n"))
    code, report = validate_json(repo)
    assert [f for f in report["findings"] if f["code"].startswith("QMS64")] == []


def test_user_steps_and_undefined_steps(tmp_path: Path) -> None:
    steps = STEP_1 + """\
  - id: "2"
    feature: features/f.feature
    tag: extra
  - id: "3"
    feature: features/f.feature
    scenario: Undefined step
"""
    user_steps = '''\
from pytest_bdd import parsers, then


@then(parsers.parse('the custom check of "{column}" passes'))
def custom(qms, column):
    values = qms.current_table().numbers(column) if qms.table else [1.0]
    qms.check("custom check", len(values), ">= 1", len(values) >= 1)
'''
    repo = small_repo(tmp_path, protocol(steps), files={"features/steps/custom.py": user_steps})
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--as-of", "2026-03-01", "--format", "json", timeout=120)
    assert proc.returncode == 1, proc.stderr
    ev = json.loads(proc.stdout)
    assert [(s["id"], s["result"]) for s in ev["steps"]] == [("1", "pass"), ("2", "pass"), ("3", "fail")]
    undefined = ev["steps"][2]["scenarios"][0]["steps"][0]
    assert undefined["status"] == "undefined"
    assert undefined["error"].startswith("no step definition matches 'Then something nobody has defined happens'")
    assert ev["deviations"] == ["NC-2026-001"]
    check = ev["steps"][1]["scenarios"][0]["steps"][0]["checks"]
    assert check == [{"check": "custom check", "actual": 1, "expected": ">= 1", "ok": True}]


def test_bad_measurement_cell_fails_the_step_at_its_cell(tmp_path: Path) -> None:
    repo = small_repo(tmp_path, protocol(STEP_1), files={"protocols/data/m.csv": "x\n1\nabc\n5\n"})
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--as-of", "2026-03-01", "--format", "json", timeout=120)
    ev = json.loads(proc.stdout)
    failed = ev["steps"][0]["scenarios"][0]["steps"][1]
    assert (failed["status"], failed["error"]) == ("failed", "protocols/data/m.csv:3 (column A): 'abc' is not a number")


# ---------------------------------------------------------------------------------------------- list and render

def test_list_and_render(clean_clone: Path, tmp_path: Path) -> None:
    proc = run_qms("--repo", str(clean_clone), "protocol", "list", "--format", "json")
    rows = json.loads(proc.stdout)["protocols"]
    assert [(r["id"], r["automated"]) for r in rows] == [
        ("IQ-001", False), ("IQ-002", True), ("OQ-001", False), ("OQ-002", True), ("PQ-001", False),
        ("PQ-002", True)]
    assert rows[4]["latest_execution"] == {"date": "2026-05-06", "executed_by": "USR-007", "result": "pass"}

    target = tmp_path / "PQ-001.docx"
    proc = run_qms("--repo", str(clean_clone), "protocol", "render", "PQ-001", "--out", str(target))
    assert proc.returncode == 0, proc.stderr
    document = docx.Document(str(target))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Scenario: Process performance" in cells
    assert "  Then the Ppk of \"flow_rate_ml_h\" against the limits 95.0 and 105.0 is at least 1.33" in cells
    assert "success run, C = 0.95, R = 0.95, 0 failure(s) allowed: n = 59" in cells
    header = document.sections[0].header.paragraphs[-1].text  # after the company template's logo
    assert header.startswith("NWM-VP-005   Rev. A")
