"""Executable validation: protocol rules, pytest-bdd runs, evidence, deviations and documents.

Runs use copies of the worked example (committed to a fresh git repository, as a clean clone is)
and the real `qms` CLI; the scenarios run with pytest-bdd in the CLI's process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from support import ROOT, copy_example, git, make_repo, run_qms, validate_json


def _git(repo: Path, *args: str) -> str:
    return git(repo, *args)


def example_copy(base: Path) -> Path:
    """The worked example, committed as a clean clone is. A run checks calibration on the true day it runs,
    so the balance every example protocol names (EQ-001) is kept in date: these tests must not expire with
    the example's calibration certificate."""
    repo = copy_example(base, commit=False)
    eq = repo / "records/equipment/EQ-001.yaml"
    text = eq.read_text()
    due = dt.date.fromisoformat(re.search(r"\bdue: (\S+)", text).group(1))
    today = dt.datetime.now(dt.UTC).date()
    if due <= today + dt.timedelta(days=30):
        eq.write_text(text.replace(f"due: {due}", f"due: {today + dt.timedelta(days=365)}"))
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "example")
    return repo


@pytest.fixture(scope="module")
def clean_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("clone") / "repo")


# An execution is dated by the clock, not by the example's as-of date (2026-12-02).
TODAY = dt.datetime.now(dt.UTC).date()
EXECUTIONS = "records/validation/executions"


def _first_nc(taken_in_2026: int) -> str:
    """The ID the next drafted deviation gets: numbered in the year of the run, past the example's NCs."""
    return f"NC-{TODAY.year}-{taken_in_2026 + 1 if TODAY.year == 2026 else 1:03d}"


def _exe(n: int) -> str:
    """The ID of the n-th execution recorded this year in a copy of the worked example (which holds some)."""
    held = len(list((ROOT / EXECUTIONS).glob(f"EXE-{TODAY.year}-*.yaml")))
    return f"EXE-{TODAY.year}-{held + n:03d}"


def _recorded(stdout: str) -> str:
    """The execution record a `qms protocol run` named in its text output."""
    m = re.search(r"^recorded execution (EXE-[0-9]{4}-[0-9]{3,}) \(([^)]+)\), started (\S+), finished (\S+)$",
                  stdout, re.M)
    assert m, stdout
    assert m.group(2) == f"{EXECUTIONS}/{m.group(1)}.yaml"
    return m.group(1)


def _execution(repo: Path, exe: str) -> tuple[dict, dict]:
    """The execution record and its evidence, after checking the evidence files against their hashes."""
    record = yaml.safe_load((repo / EXECUTIONS / f"{exe}.yaml").read_text())
    assert [e["path"] for e in record["evidence"]] == [f"{exe}/evidence.json"]
    for item in record["evidence"]:
        assert hashlib.sha256((repo / EXECUTIONS / item["path"]).read_bytes()).hexdigest() == item["sha256"]
    return record, json.loads((repo / EXECUTIONS / exe / "evidence.json").read_text())


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
    exe = _exe(1)
    assert ev["execution"]["id"] == exe and ev["execution"]["record"] == f"{EXECUTIONS}/{exe}.yaml"
    assert ev["execution"]["executed_by"] == {"id": "USR-004", "name": _user_name(clean_clone, "USR-004")}
    # Dated by the clock (UTC), not by qms.yaml's as_of: 2026-12-02.
    assert ev["execution"]["date"] == TODAY.isoformat()
    started, finished = ev["execution"]["started"], ev["execution"]["finished"]
    assert started.startswith(TODAY.isoformat() + "T") and started.endswith("Z") and started <= finished
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
    record, evidence = _execution(clean_clone, exe)
    assert evidence == ev
    assert {k: record[k] for k in ("id", "status", "protocol", "executed_by", "runner", "started", "finished",
                                   "result", "commit", "clean", "deviations")} == {
        "id": exe, "status": "executed", "protocol": "PQ-001", "executed_by": "USR-004",
        "runner": "qms protocol run", "started": started, "finished": finished, "result": "pass",
        "commit": ev["repository"]["commit"], "clean": True, "deviations": []}
    assert [(s["id"], s["result"]) for s in record["steps"]] == [("1", "pass"), ("2", "pass"), ("3", "pass")]
    assert all(started <= s["started"] <= s["finished"] <= finished for s in record["steps"])
    out = clean_clone / "qms-work/protocols/PQ-001"
    assert not (out / "evidence.json").exists()  # the evidence is the record's, not the output folder's
    cells = _cells(out / "PQ-001-executed.docx")
    assert "59 of 59 measurements within 98.0 to 102.0 mL/h" in cells
    assert cells.count("PASS") >= 3
    assert TODAY.isoformat() in cells and started in cells
    assert not (clean_clone / f"records/events/nc/{_first_nc(8)}.yaml").exists()


def _user_name(repo: Path, uid: str) -> str:
    return yaml.safe_load((repo / f"records/people/{uid}.yaml").read_text())["name"]


def test_every_example_protocol_passes(clean_clone: Path) -> None:
    for pid, who in (("IQ-001", "USR-004"), ("OQ-001", "USR-004"), ("IQ-002", "USR-002")):
        proc = run_qms("--repo", str(clean_clone), "protocol", "run", pid, "--executed-by", who, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert f"{pid} executed on {TODAY} by {who}: PASS" in proc.stdout
        record, ev = _execution(clean_clone, _recorded(proc.stdout))
        assert (record["protocol"], record["result"], ev["protocol"]["id"]) == (pid, "pass", pid)
        if pid == "OQ-001":
            oq = ev
    outline = oq["steps"][0]["scenarios"]
    assert [sc["example"] for sc in outline] == [{"rate": "1"}, {"rate": "25"}, {"rate": "100"}, {"rate": "999"}]


# ------------------------------------------------------------------------------- a failed run drafts a deviation

def test_corrupted_measurement_fails_the_pq_and_drafts_one_deviation(tmp_path: Path) -> None:
    repo = example_copy(tmp_path / "repo")
    book = repo / "protocols/data/measurements.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Measurements"]
    column = [c.value for c in ws[1]].index("flow_rate_ml_h") + 1
    ws.cell(row=50, column=column, value=102.3)  # one mechanism out of the 98-102 mL/h PQ limit
    wb.save(book)
    letter = openpyxl.utils.get_column_letter(column)
    nc_id = _first_nc(8)  # the example holds NC-2026-001 to 008
    exe1, exe2 = _exe(1), _exe(2)

    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-004", timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"PQ-001 executed on {TODAY} by USR-004: FAIL (2 of 3 step(s) passed)" in proc.stdout
    assert "step 1: FAIL" in proc.stdout and "step 2: PASS" in proc.stdout
    failed = (f"every value of \"flow_rate_ml_h\" within limits: expected all within 98.0 to 102.0, actual 58 of "
              f"59 within; min 98.36, max 102.3; first outside: 102.3 at "
              f"protocols/data/measurements.xlsx[Measurements]!{letter}50")
    assert failed in proc.stdout
    assert f"  drafted deviation {nc_id} (records/events/nc/{nc_id}.yaml)" in proc.stdout
    assert _recorded(proc.stdout) == exe1

    nc = yaml.safe_load((repo / f"records/events/nc/{nc_id}.yaml").read_text())
    assert {k: nc[k] for k in ("id", "status", "type", "source", "origin", "protocol_step", "owner", "detected")} == {
        "id": nc_id, "status": "open", "type": "deviation", "source": "validation",
        "origin": ["PQ-001", exe1], "protocol_step": "1", "owner": "USR-004", "detected": TODAY}
    assert "actual 58 of 59 within" in nc["description"]
    assert f"Evidence: {EXECUTIONS}/{exe1}/evidence.json" in nc["description"]

    record, ev = _execution(repo, exe1)
    assert (record["result"], record["deviations"], record["clean"]) == ("fail", [nc_id], False)
    assert [(s["id"], s["result"]) for s in record["steps"]] == [("1", "fail"), ("2", "pass"), ("3", "pass")]
    assert ev["result"] == "fail" and ev["deviations"] == [nc_id]
    assert ev["summary"]["failed_steps"] == ["1"]
    assert ev["execution"]["date"] == TODAY.isoformat()  # the clock's date, whatever qms.yaml's as_of says
    cells = _cells(repo / "qms-work/protocols/PQ-001/PQ-001-executed.docx")
    assert "FAIL" in cells and nc_id in cells
    assert "all within 98.0 to 102.0" in cells  # expected ...
    assert any(c.startswith("58 of 59 within; min 98.36, max 102.3") for c in cells)  # ... against actual

    # `qms protocol list` shows the failure, read from the execution record (the file still says PASS on 2026-05-06).
    listed = run_qms("--repo", str(repo), "protocol", "list", "--format", "json")
    row = next(r for r in json.loads(listed.stdout)["protocols"] if r["id"] == "PQ-001")
    assert row["latest_execution"] == {"date": TODAY.isoformat(), "executed_by": "USR-004", "result": "fail",
                                       "record": exe1, "started": record["started"], "finished": record["finished"]}
    text = run_qms("--repo", str(repo), "protocol", "list").stdout
    assert f"last run {TODAY} by USR-004: FAIL ({exe1})" in text

    # A second failing run adds to the open deviation of step 1 instead of drafting another.
    before = (repo / f"records/events/nc/{nc_id}.yaml").read_bytes()
    ncs_before = sorted(p.name for p in (repo / "records/events/nc").iterdir())
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-004", timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"  added to open deviation {nc_id} (records/events/nc/{nc_id}.yaml)" in proc.stdout
    assert "drafted deviation" not in proc.stdout
    assert _recorded(proc.stdout) == exe2
    assert sorted(p.name for p in (repo / "records/events/nc").iterdir()) == ncs_before
    assert (repo / f"records/events/nc/{nc_id}.yaml").read_bytes() == before
    record2, ev2 = _execution(repo, exe2)
    assert record2["deviations"] == ev2["deviations"] == [nc_id]
    assert _execution(repo, exe1)[0] == record  # the first record is never rewritten

    # Exactly one open deviation against PQ-001 step 1; the records written are valid records (dated today,
    # so checked as of today: the example is a snapshot as of 2026-12-02).
    code, report = validate_json(repo, "--as-of", TODAY.isoformat())
    open_ = [f for f in (repo / "records/events/nc").glob("*.yaml")
             if (d := yaml.safe_load(f.read_text()))["status"] in ("open", "contained", "dispositioned")
             and "PQ-001" in d.get("origin", []) and d.get("protocol_step") == "1"]
    assert [f.stem for f in open_] == [nc_id]
    assert [f for f in report["findings"] if f["record"] in (nc_id, exe1, exe2) and f["severity"] == "error"] == []
    listed = json.loads(run_qms("--repo", str(repo), "protocol", "list", "--format", "json").stdout)
    assert next(r for r in listed["protocols"] if r["id"] == "PQ-001")["latest_execution"]["record"] == exe2


# ------------------------------------------------------------------------------------ readiness before running

def test_untrained_executor_is_refused_before_anything_runs(clean_clone: Path, tmp_path: Path) -> None:
    out = tmp_path / "evidence"
    executions = sorted((clean_clone / EXECUTIONS).glob("*"))
    proc = run_qms("--repo", str(clean_clone), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--out", str(out), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["result"] == "not executed"
    assert {p["kind"] for p in doc["problems"]} == {"executor", "training"}
    assert any(p["message"] == f"USR-002 holds no training on DOC-005 dated on or before {TODAY}"
               for p in doc["problems"])
    assert not out.exists()
    assert sorted((clean_clone / EXECUTIONS).glob("*")) == executions  # nothing recorded


def test_run_is_checked_on_the_true_date_not_as_of(tmp_path: Path) -> None:
    """Approved tomorrow: refused today, whatever date is asked for; an execution has no --as-of."""
    tomorrow = TODAY + dt.timedelta(days=1)
    repo = small_repo(tmp_path, protocol(STEP_1).replace("approved: 2026-02-01", f"approved: {tomorrow}"))
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--out", str(tmp_path / "x"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout == f"PQ-001 was not executed:\n  - executed on {TODAY}, before its approval on {tomorrow}\n"
    assert not (repo / EXECUTIONS).exists() and not (tmp_path / "x").exists()
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--as-of", str(tomorrow))
    assert proc.returncode == 2 and "qms: error: no such option '--as-of'" in proc.stderr and "Traceback" not in proc.stderr


def test_instrument_due_before_today_is_refused(tmp_path: Path) -> None:
    due = TODAY - dt.timedelta(days=1)
    repo = small_repo(tmp_path, protocol(STEP_1), eq_due=due)
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"  - EQ-001 calibration was due {due}, before the execution on {TODAY}\n" in proc.stdout
    assert not (repo / EXECUTIONS).exists()


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
calibration: {last: 2026-01-05, due: DUE}
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


def small_repo(base: Path, proto: str, feature: str = FEATURE, files: dict | None = None,
               eq_due: dt.date = TODAY + dt.timedelta(days=365)) -> Path:
    """A repository with one protocol; its instrument is calibrated until `eq_due` (a year from today: runs
    are checked on the true date)."""
    return make_repo(base, {"records/people/USR-002.yaml": USR, "records/documents/DOC-001.yaml": DOC,
                            "records/equipment/EQ-001.yaml": EQ.replace("DUE", str(eq_due)),
                            "protocols/PQ-001.yaml": proto,
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
    repo = small_repo(tmp_path, protocol(STEP_1, executions), eq_due=dt.date(2026, 6, 30))
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
                   "--format", "json", timeout=120)
    assert proc.returncode == 1, proc.stderr
    ev = json.loads(proc.stdout)
    assert [(s["id"], s["result"]) for s in ev["steps"]] == [("1", "pass"), ("2", "pass"), ("3", "fail")]
    undefined = ev["steps"][2]["scenarios"][0]["steps"][0]
    assert undefined["status"] == "undefined"
    assert undefined["error"].startswith("no step definition matches 'Then something nobody has defined happens'")
    assert ev["deviations"] == [f"NC-{TODAY.year}-001"]
    check = ev["steps"][1]["scenarios"][0]["steps"][0]["checks"]
    assert check == [{"check": "custom check", "actual": 1, "expected": ">= 1", "ok": True}]


def test_rerun_reuses_only_an_open_deviation_of_the_same_step(tmp_path: Path) -> None:
    steps = STEP_1 + """\
  - id: "3"
    feature: features/f.feature
    scenario: Undefined step
"""
    repo = small_repo(tmp_path, protocol(steps))
    first, second = f"NC-{TODAY.year}-001", f"NC-{TODAY.year}-002"

    def run() -> dict:
        proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                       "--format", "json", timeout=120)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        return json.loads(proc.stdout)

    assert run()["deviations"] == [first]
    assert run()["deviations"] == [first]  # still open: the same deviation
    nc = repo / f"records/events/nc/{first}.yaml"
    assert yaml.safe_load(nc.read_text())["origin"] == ["PQ-001", f"EXE-{TODAY.year}-001"]
    nc.write_text(nc.read_text().replace("status: open", "status: closed"))
    ev = run()  # closed: a new failure is a new deviation
    assert ev["deviations"] == [second] and ev["execution"]["id"] == f"EXE-{TODAY.year}-003"
    assert sorted(p.stem for p in (repo / "records/events/nc").glob("*.yaml")) == [first, second]
    assert sorted(p.name for p in (repo / EXECUTIONS).iterdir()) == [
        f"EXE-{TODAY.year}-00{i}{s}" for i in (1, 2, 3) for s in ("", ".yaml")]


def test_execution_records_are_checked(tmp_path: Path) -> None:
    """QMS641-643 check execution records as they check the protocol's own history, on the UTC start day."""
    record = """\
id: EXE-2026-001
title: PQ-001 executed by USR-001
status: executed
protocol: PQ-001
executed_by: USR-001
started: 2026-01-31T23:30:00-02:00
finished: 2026-02-01T01:40:00Z
result: pass
"""
    repo = small_repo(tmp_path, protocol(STEP_1), eq_due=dt.date(2026, 1, 31),
                      files={"records/validation/executions/EXE-2026-001.yaml": record})
    code, report = validate_json(repo)
    got = sorted((f["code"], f["location"], f["message"]) for f in report["findings"]
                 if f["code"] in ("QMS641", "QMS642", "QMS643"))
    where = "records/validation/executions/EXE-2026-001.yaml"
    assert got == [
        ("QMS641", f"{where}:6", "execution of PQ-001: EQ-001 calibration was due 2026-01-31, before the "
                                 "execution on 2026-02-01"),
        ("QMS642", f"{where}:5", "execution of PQ-001: USR-001 holds no training on DOC-001 dated on or before "
                                 "2026-02-01"),
        ("QMS642", f"{where}:5", "execution of PQ-001: USR-001 is not among the protocol's executors (USR-002)"),
    ]


def test_bad_measurement_cell_fails_the_step_at_its_cell(tmp_path: Path) -> None:
    repo = small_repo(tmp_path, protocol(STEP_1), files={"protocols/data/m.csv": "x\n1\nabc\n5\n"})
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002",
                   "--format", "json", timeout=120)
    ev = json.loads(proc.stdout)
    failed = ev["steps"][0]["scenarios"][0]["steps"][1]
    assert (failed["status"], failed["error"]) == ("failed", "protocols/data/m.csv:3 (column A): 'abc' is not a number")


# ---------------------------------------------------------------------------------------------- list and render

def test_list_and_render(tmp_path: Path) -> None:
    clean_clone = example_copy(tmp_path / "repo")  # never executed here: the history the protocol files keep
    proc = run_qms("--repo", str(clean_clone), "protocol", "list", "--format", "json")
    rows = json.loads(proc.stdout)["protocols"]
    assert [(r["id"], r["automated"]) for r in rows] == [
        ("IQ-001", False), ("IQ-002", True), ("OQ-001", False), ("OQ-002", True), ("PQ-001", False),
        ("PQ-002", True)]
    # PQ-001's record (qms protocol run, 2026-12-02) is newer than the 2026-05-06 execution its file's history keeps
    assert rows[4]["latest_execution"] == {"date": "2026-12-02", "executed_by": "USR-004", "result": "pass",
                                           "record": "EXE-2026-003", "started": "2026-12-02T03:49:25.982Z",
                                           "finished": "2026-12-02T03:49:27.169Z"}
    assert rows[1]["latest_execution"] is None
    # IQ-001 was executed with `qms protocol run` in the example: its record is newer than the file's history.
    iq = rows[0]["latest_execution"]
    assert (iq["record"], iq["executed_by"], iq["result"]) == ("EXE-2026-001", "USR-004", "pass")
    assert iq["started"].startswith(iq["date"] + "T") and iq["date"] > "2026-04-08"

    target = tmp_path / "PQ-001.docx"
    proc = run_qms("--repo", str(clean_clone), "protocol", "render", "PQ-001", "--out", str(target))
    assert proc.returncode == 0, proc.stderr
    document = docx.Document(str(target))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Scenario: Process performance" in cells
    assert "  Then the Ppk of \"flow_rate_ml_h\" against the limits 95.0 and 105.0 is at least 1.33" in cells
    assert "success run, C = 0.95, R = 0.95, 0 failure(s) allowed: n = 59" in cells
    header = [p.text for p in document.sections[0].header.paragraphs[-2:]]  # after the company template's logo
    assert header[0].startswith("NWM-VP-005   Rev. A   Draft of 2026-12-02\tPQ-001 ")  # nobody signed PQ-001
    assert header[1] == "DRAFT — not approved"
