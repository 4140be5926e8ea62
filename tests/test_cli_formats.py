"""Findings where people already look: SARIF for code review, JUnit XML for CI, a pre-commit hook; and one
CLI style (usage errors, bare `qms`, --kinds)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from support import ROOT, git, make_repo, run_qms

from generator.rules import RULES

SCHEMA = json.loads((Path(__file__).parent / "fixtures/sarif/sarif-schema-2.1.0.json").read_text())

# Three independent defects, each with its reference location.
REQ = """\
id: REQ-000{n}
title: Flow accuracy
status: draft
owner: USR-001
statement: The pump shall deliver the set flow within 5 %.
"""
BAD_REQ = REQ.format(n=1) + "colour: blue\n"  # a field requirements do not have
BAD_LINK = REQ.format(n=2) + "derived_from:\n  - UN-999\n"  # and there is no UN-999
MAT = "id: MAT-001\ntitle: Pump housing\nstatus: approved\ntype: component\n"
WANT = [  # (code, level, uri, startLine or None, logical location or None) in the order validate reports
    ("QMS111", "error", "records/production.xlsx", None, "records/production.xlsx[Lots]!E3"),
    ("QMS110", "error", "records/requirements/REQ-0001.yaml", 6, None),
    ("QMS122", "error", "records/requirements/REQ-0002.yaml", 7, None),
]


def _bad_repo(base: Path) -> Path:
    from openpyxl import Workbook

    repo = make_repo(base, {"records/requirements/REQ-0001.yaml": BAD_REQ, "records/requirements/REQ-0002.yaml": BAD_LINK,
                            "records/materials/MAT-001.yaml": MAT})
    book = Workbook()
    sheet = book.active
    sheet.title = "Lots"
    for row in (["id", "status", "lot_type", "material", "quantity"],
                ["LOT-0001", "planned", "component", "MAT-001", 100],
                ["LOT-0002", "planned", "component", "MAT-001", "many"]):
        sheet.append(row)
    book.save(repo / "records/production.xlsx")
    return repo


def _sarif(repo: Path) -> tuple[int, dict]:
    proc = run_qms("--repo", str(repo), "validate", "--format", "sarif", "--no-cache")
    assert "Traceback" not in proc.stderr, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.Draft4Validator(SCHEMA).validate(log)  # the official OASIS schema, offline
    return proc.returncode, log


def _json(repo: Path) -> dict:
    return json.loads(run_qms("--repo", str(repo), "validate", "--format", "json", "--no-cache").stdout)


def test_schema_is_the_official_sarif_2_1_0_schema() -> None:
    import hashlib

    data = (Path(__file__).parent / "fixtures/sarif/sarif-schema-2.1.0.json").read_bytes()
    assert hashlib.sha256(data).hexdigest() == "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    # The schema does reject what SARIF forbids, so passing it means something.
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SCHEMA).validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_sarif_of_a_repository_with_findings(tmp_path: Path) -> None:
    code, log = _sarif(_bad_repo(tmp_path))
    assert code == 1
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    got = []
    for r in run["results"]:
        phys = r["locations"][0]["physicalLocation"]
        logical = [x["fullyQualifiedName"] for x in r["locations"][0].get("logicalLocations", [])
                   if "fullyQualifiedName" in x]
        got.append((r["ruleId"], r["level"], phys["artifactLocation"]["uri"],
                    phys.get("region", {}).get("startLine"), logical[0] if logical else None))
    assert got == WANT
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["QMS111"]["message"]["text"].startswith("records/production.xlsx[Lots]!E3: [LOT-0002] ")
    assert by_rule["QMS122"]["message"]["text"].startswith("[REQ-0002] ")
    assert "UN-999" in by_rule["QMS122"]["message"]["text"]
    # Every rule used is described once, with the registry's title, clause and rationale; ruleIndex points at it.
    rules = run["tool"]["driver"]["rules"]
    assert [d["id"] for d in rules] == ["QMS110", "QMS111", "QMS122"]
    for d in rules:
        rule = RULES[d["id"]]
        assert d["shortDescription"]["text"] == rule.title and d["fullDescription"]["text"] == rule.rationale
        assert d["properties"]["clause"] == rule.clause and d["defaultConfiguration"]["level"] == rule.severity
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert run["invocations"][0]["exitCode"] == 1 and run["invocations"][0]["executionSuccessful"] is True
    assert run["properties"]["summary"]["errors"] == 3
    assert not any("suppressions" in r for r in run["results"])


def test_sarif_of_the_worked_example_shows_waived_findings_as_suppressed(example_repo: Path) -> None:
    code, log = _sarif(example_repo)
    report = _json(example_repo)
    assert code == 0 and report["findings"] == []
    results = log["runs"][0]["results"]
    assert len(results) == len(report["waived"]) > 0
    for r, f in zip(results, report["waived"]):
        assert r["ruleId"] == f["code"] and r["suppressions"] == [
            {"kind": "external", "status": "accepted", "justification": f"waived by {f['waived_by']}",
             "properties": {"waiver": f["waived_by"]}}]
        assert r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
            f["location"].split("[")[0].rsplit(":", 1)[0]
    # The workbook location the FMEA waiver names: the file as URI, the sheet and cell as a logical location.
    fmea = [r for r in results if r["properties"]["location"] == "records/risk/fmea.xlsx[FMEA]!A13"]
    assert fmea and fmea[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "records/risk/fmea.xlsx"}}
    assert {"name": "[FMEA]!A13", "fullyQualifiedName": "records/risk/fmea.xlsx[FMEA]!A13", "kind": "element"} in \
        fmea[0]["locations"][0]["logicalLocations"]
    # Byte-identical on a second run (no clock in it).
    assert run_qms("--repo", str(example_repo), "validate", "--format", "sarif").stdout == json.dumps(log, indent=2,
                                                                                             ensure_ascii=False) + "\n"


def test_junit_of_validate_has_one_case_per_rule_and_fails_those_with_errors(tmp_path: Path) -> None:
    proc = run_qms("--repo", str(_bad_repo(tmp_path)), "validate", "--format", "junit", "--no-cache")
    assert proc.returncode == 1, proc.stderr
    root = ET.fromstring(proc.stdout)
    suite = root.find("testsuite")
    assert root.tag == "testsuites" and suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == len(RULES)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (str(len(RULES)), "3", "0")
    assert (suite.get("tests"), suite.get("failures")) == (str(len(RULES)), "3")
    failed = {c.get("name").split()[0]: c.find("failure") for c in cases if c.find("failure") is not None}
    assert sorted(failed) == ["QMS110", "QMS111", "QMS122"]
    assert failed["QMS122"].get("message").startswith("1 finding(s): records/requirements/REQ-0002.yaml:7: [REQ-0002]")
    assert failed["QMS111"].text.startswith("records/production.xlsx[Lots]!E3: [LOT-0002] ")
    names = [c.get("name") for c in cases]
    assert f"QMS122 {RULES['QMS122'].title}" in names and len(set(names)) == len(names)


def test_junit_of_the_worked_example_passes_every_case_and_lists_waivers(example_repo: Path) -> None:
    proc = run_qms("--repo", str(example_repo), "validate", "--format", "junit")
    assert proc.returncode == 0
    root = ET.fromstring(proc.stdout)
    assert (root.get("tests"), root.get("failures")) == (str(len(RULES)), "0")
    outs = "\n".join(o.text for o in root.iter("system-out"))
    assert outs.count("waived by WVR-") == len(_json(example_repo)["waived"])


def test_junit_of_a_protocol_run_has_one_case_per_step(tmp_path: Path) -> None:
    from support import copy_example

    repo = copy_example(tmp_path / "example")
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-004", "--format", "junit",
                   timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    root = ET.fromstring(proc.stdout)
    suite = root.find("testsuite")
    assert suite.get("name") == "qms protocol run PQ-001"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "0", "0")
    cases = suite.findall("testcase")
    assert [c.get("name").split(":")[0] for c in cases] == ["step 1", "step 2", "step 3"]
    assert all(c.get("classname") == "qms.protocol.PQ-001" and float(c.get("time")) >= 0 for c in cases)
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["executed_by"] == "USR-004" and props["execution"].startswith("EXE-")
    # Not executable today (USR-002 is not trained for it): one failing case naming why, exit 1.
    proc = run_qms("--repo", str(repo), "protocol", "run", "PQ-001", "--executed-by", "USR-002", "--format", "junit")
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    assert (root.get("tests"), root.get("failures")) == ("1", "1")
    assert root.find("testsuite/testcase/failure").get("message").startswith("PQ-001 was not executed: ")


# --------------------------------------------------------------------------------------------- pre-commit

@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This tool as a hook repository: its package and .pre-commit-hooks.yaml committed, as a tag would be."""
    if shutil.which("pre-commit") is None and not _has_pre_commit():
        pytest.skip("pre-commit is not installed (pip install -e .[test])")
    tool = tmp_path_factory.mktemp("tool")
    for name in ("generator", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tool / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, tool / name)
    git(tool, "init", "-q")
    git(tool, "add", "-A")
    git(tool, "commit", "-q", "-m", "tool")
    return tool, git(tool, "rev-parse", "HEAD")


def _has_pre_commit() -> bool:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return False
    return True


def _pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the hook runs its own installed copy
    # The hook's virtualenv sees the packages installed here, so installing the hook builds only this package
    # (about 40 s) instead of downloading every dependency again.
    env.update(PRE_COMMIT_HOME=str(home), VIRTUALENV_SYSTEM_SITE_PACKAGES="1")
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def _quality_repo(path: Path, tool: Path, rev: str) -> Path:
    proc = run_qms("init", str(path))
    assert proc.returncode == 0, proc.stderr
    if not (path / ".git").exists():
        git(path, "init", "-q")
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {tool}\n    rev: {rev}\n    hooks:\n      - id: qms-validate\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "quality system")
    return path


def test_pre_commit_hook_passes_a_clean_repository_and_stops_a_bad_record(hook_repo, tmp_path_factory) -> None:
    tool, rev = hook_repo
    home = tmp_path_factory.mktemp("pre-commit-home")
    repo = _quality_repo(tmp_path_factory.mktemp("clean") / "qms", tool, rev)
    clean = _pre_commit(repo, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "qms validate" in clean.stdout and "Passed" in clean.stdout

    (repo / "records/requirements").mkdir(parents=True, exist_ok=True)
    (repo / "records/requirements/REQ-0098.yaml").write_text(BAD_REQ.replace("REQ-0001", "REQ-0098"))
    (repo / "records/requirements/REQ-0099.yaml").write_text(BAD_LINK.replace("REQ-0002", "REQ-0099"))
    git(repo, "add", "-A")  # staged, as on `git commit`
    bad = _pre_commit(repo, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and "- exit code: 1" in bad.stdout
    assert "records/requirements/REQ-0099.yaml:7: error QMS122 [REQ-0099]" in bad.stdout
    assert "records/requirements/REQ-0098.yaml:6: error QMS110 [REQ-0098]" in bad.stdout


# --------------------------------------------------------------------------------------------- one CLI style

@pytest.mark.parametrize("args, message", [
    (["validate", "--bogus"], "qms: error: no such option '--bogus' (see `qms validate --help`)\n"),
    (["no-such-command"], "qms: error: no such command 'no-such-command' (see `qms --help`)\n"),
    (["validate", "--format", "xml"],
     "qms: error: invalid value for '--format': 'xml' is not one of 'text', 'json', 'sarif', 'junit' "
     "(see `qms validate --help`)\n"),
    (["sampling", "1000"], "qms: error: missing option '--aql' (see `qms sampling --help`)\n"),
    (["recall"], "qms: error: give exactly one of --lot, --serial, --udi or --supplier-lot (none was given) "
                 "(see `qms recall --help`)\n"),
])
def test_usage_errors_are_one_line_in_the_qms_style(tmp_path: Path, args: list[str], message: str) -> None:
    repo = make_repo(tmp_path)
    proc = run_qms("--repo", str(repo), *args)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", message)


@pytest.mark.parametrize("args", [[], ["protocol"], ["excel"]])
def test_bare_command_prints_help_and_exits_0(args: list[str]) -> None:
    proc = run_qms(*args)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith(f"Usage: qms {' '.join(args) + ' ' if args else ''}[OPTIONS] COMMAND [ARGS]...")


def test_kinds_accepts_prefixes_and_names_in_export_reqif_and_excel_export(example_repo: Path, tmp_path: Path) -> None:
    outs = []
    for kinds in ("REQ", "requirement", "Requirements"):
        out = tmp_path / f"{kinds}.reqif"
        proc = run_qms("--repo", str(example_repo), "export", "reqif", "--kinds", kinds, "--out", str(out), "--format", "json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["kinds"] == ["requirement"]
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    proc = run_qms("--repo", str(example_repo), "export", "reqif", "--kinds", "REQ,VER", "--kinds", "UN", "--out",
                   str(tmp_path / "three.reqif"), "--format", "json")
    assert json.loads(proc.stdout)["kinds"] == ["requirement", "verification", "user_need"]
    proc = run_qms("--repo", str(example_repo), "export", "reqif", "--kinds", "HAZ", "--out", str(tmp_path / "h.reqif"))
    assert (proc.returncode, proc.stderr) == (2, "qms: error: --kinds: hazard records cannot be exported as ReqIF "
                                                 "(exportable: user_need, requirement, design_output, verification, "
                                                 "validation, section)\n")
    for command in (["export", "reqif"], ["excel", "export"]):
        out = tmp_path / ("x.reqif" if command[0] == "export" else "x.xlsx")
        proc = run_qms("--repo", str(example_repo), *command, "--kinds", "XYZ", "--out", str(out))
        assert (proc.returncode, proc.stderr) == (2, "qms: error: --kinds: 'XYZ' is not a record kind (use ID "
                                                     "prefixes such as REQ,HAZ or kind names such as requirement)\n")
    proc = run_qms("--repo", str(example_repo), "excel", "export", "--kinds", "requirement,HAZ", "--out",
                   str(tmp_path / "two.xlsx"))
    assert proc.returncode == 0 and "(requirement 31, hazard " in proc.stdout, proc.stdout + proc.stderr


def test_udi_with_month_13_is_an_invalid_date() -> None:
    proc = run_qms("udi", "(01)09506000134352(17)261301(10)A1")
    assert (proc.returncode, proc.stderr) == (2, "qms: error: AI (17) USE BY or EXPIRY at character 19: '261301' is "
                                                 "not a valid date (YYMMDD: there is no month 13)\n")
