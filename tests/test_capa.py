"""CAPA (ISO 13485 8.5.2/8.5.3, 21 CFR 820.100): triggers, rules QMS401-QMS409, `qms capa draft` and `report`."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest
from support import ROOT, make_repo, run_qms, validate_json

from generator.analysis.capa import capa_triggers
from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.rules import check

AS_OF = dt.date(2026, 11, 25)

RISK = """\
id: POL-RISK
title: Risk policy
status: effective
owner: USR-001
policy: risk
severity:
  - {level: 1, name: Minor}
  - {level: 2, name: Serious}
  - {level: 3, name: Critical}
probability:
  - {level: 1, name: Rare}
  - {level: 2, name: Possible}
  - {level: 3, name: Likely}
regions:
  - {name: low, acceptable: true}
  - {name: medium, acceptable: false, benefit_risk_required: true}
  - {name: high, acceptable: false}
acceptability:
  - [low, low, low]
  - [low, low, medium]
  - [medium, high, high]
nc_capa_region: [high]
"""

CAPA_POLICY = """\
id: POL-CAPA
title: CAPA policy
status: effective
owner: USR-001
policy: capa
recurrence: {count: 3, window_days: 90, by: [category, supplier]}
owners: {production: USR-002}
default_owner: USR-001
due_days: 90
effectiveness_wait_days: 60
"""

USER2 = """\
id: USR-002
title: Production engineer
status: active
name: Bo Lee
email: bo@example.com
"""


def nc(nid: str, detected: str, *, category: str = "scratch", risk: str = "", extra: str = "") -> str:
    return (f"id: {nid}\ntitle: Defect {nid}\nstatus: open\nsource: production\ncategory: {category}\n"
            f"area: production\ndetected: {detected}\ncapa_required: false\n"
            f"capa_rationale: isolated\n{risk}{extra}")


def capa(cid: str, sources: str = "[]", body: str = "") -> str:
    return f"id: {cid}\ntitle: CAPA {cid}\nowner: USR-001\nsources: {sources}\n" + textwrap.dedent(body)


CLOSED = """\
status: closed
root_cause: {method: five_whys, statement: Worn fixture}
actions:
  - {type: corrective, description: Replace fixture, status: done, done: 2026-03-01, due: 2026-03-05}
effectiveness:
  criteria: No recurrence in 10 lots
  criteria_set: 2026-02-20
  checked: 2026-05-01
  result: effective
  verified_by: USR-001
  evidence_records: [DOC-001]
risk: {assessment: Over-delivery within the severity already in the risk file}
reportability: {reportable: false, decided: 2026-02-05, by: USR-002, rationale: Found before release}
adverse_effect: {verified: 2026-04-20, by: USR-002, evidence: Requalification of the line}
opened: 2026-02-01
due: 2026-06-01
closed: 2026-05-02
"""


def repo_with(tmp: Path, files: dict[str, str]) -> Path:
    base = {"specs/policies/POL-RISK.yaml": RISK, "specs/policies/POL-CAPA.yaml": CAPA_POLICY,
            "records/people/USR-002.yaml": USER2,
            "records/documents/DOC-001.yaml": "id: DOC-001\ntitle: Line requalification report\nstatus: draft\n"
                                               "owner: USR-001\ntype: record\nrevision: A\n"}
    base.update(files)
    return make_repo(tmp, base)


def _records(repo: Path) -> RecordSet:
    loaded = load_repository(repo, use_cache=False)
    assert [f for f in loaded.findings if f.severity == "error"] == []
    return RecordSet(loaded.records, loaded.config)


# The 8.5.2 completeness rules have their own module (test_capa_completeness.py).
COMPLETENESS = {"QMS411", "QMS412", "QMS413", "QMS414"}


def findings(repo: Path, as_of: dt.date = AS_OF) -> list[tuple[str, str | None]]:
    loaded = load_repository(repo, use_cache=False)
    report = check(RecordSet(loaded.records, loaded.config), loaded.findings, as_of)
    return sorted((f.code, f.record) for f in report.findings if f.code.startswith("QMS4") and f.code not in COMPLETENESS)


def _nc_path(nid: str) -> str:
    return f"records/events/nc/{nid}.yaml"


def _capa_path(cid: str) -> str:
    return f"records/events/capa/{cid}.yaml"


# --------------------------------------------------------------------------- triggers


def test_trigger_by_risk_region_uses_the_policy_matrix(tmp_path):
    repo = repo_with(tmp_path, {
        # (probability 3, severity 2) is 'high' but (probability 2, severity 3) is 'medium': a transposed
        # lookup would get both wrong.
        _nc_path("NC-2026-001"): nc("NC-2026-001", "2026-01-10", category="a",
                                    risk="risk: {severity: 2, probability: 3}\n"),
        _nc_path("NC-2026-002"): nc("NC-2026-002", "2026-01-11", category="b",
                                    risk="risk: {severity: 3, probability: 2}\n"),
    })
    triggers = capa_triggers(_records(repo), AS_OF)
    assert [(t.id, t.reason, t.region) for t in triggers] == [("NC-2026-001", "risk", "high")]
    t = triggers[0]
    assert (t.owner, t.due, t.answered) == ("USR-002", AS_OF + dt.timedelta(days=90), False)
    assert findings(repo) == [("QMS401", "NC-2026-001")]


def test_trigger_by_capa_required_and_cancelled_nc_ignored(tmp_path):
    repo = repo_with(tmp_path, {
        _nc_path("NC-2026-001"): nc("NC-2026-001", "2026-01-10", extra="").replace("capa_required: false",
                                                                                  "capa_required: true"),
        _nc_path("NC-2026-002"): nc("NC-2026-002", "2026-01-10", category="x",
                                    risk="risk: {severity: 3, probability: 3}\n").replace("status: open",
                                                                                          "status: cancelled"),
    })
    assert [(t.id, t.reason) for t in capa_triggers(_records(repo), AS_OF)] == [("NC-2026-001", "required")]


@pytest.mark.parametrize("third_day, expected", [("2026-04-01", True), ("2026-04-02", False)])
def test_recurrence_window_boundary(tmp_path, third_day, expected):
    # 2026-01-01 + 90 days = 2026-04-01: day 90 is inside the window, day 91 outside.
    repo = repo_with(tmp_path, {
        _nc_path("NC-2026-001"): nc("NC-2026-001", "2026-01-01", extra="supplier: SUP-001\n"),
        _nc_path("NC-2026-002"): nc("NC-2026-002", "2026-02-15", extra="supplier: SUP-001\n"),
        _nc_path("NC-2026-003"): nc("NC-2026-003", third_day, extra="supplier: SUP-001\n"),
        # same category, other supplier: never part of the cluster
        _nc_path("NC-2026-004"): nc("NC-2026-004", "2026-01-20", extra="supplier: SUP-002\n"),
    })
    triggers = capa_triggers(_records(repo), AS_OF)
    got = [(t.id, t.reason, t.key) for t in triggers]
    if expected:
        assert got == [("NC-2026-001+NC-2026-002+NC-2026-003", "recurrence",
                        (("category", "scratch"), ("supplier", "SUP-001")))]
        assert [(c, r) for c, r in findings(repo) if c == "QMS401"] == [("QMS401", "NC-2026-003")]
    else:
        assert got == []


def test_recurrence_cluster_merges_overlapping_windows_and_is_answered_by_any_nc(tmp_path):
    days = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-15", "2026-05-20"]
    files = {_nc_path(f"NC-2026-00{i}"): nc(f"NC-2026-00{i}", d) for i, d in enumerate(days, 1)}
    repo = repo_with(tmp_path, files)
    triggers = capa_triggers(_records(repo), AS_OF)
    assert [t.id for t in triggers] == ["+".join(f"NC-2026-00{i}" for i in range(1, 6))]
    files[_capa_path("CAPA-2026-001")] = capa("CAPA-2026-001", "[NC-2026-004]", "status: open\nopened: 2026-05-01\n"
                                                                               "due: 2027-01-01\n")
    repo2 = repo_with(tmp_path / "b", files)
    assert [t.answered_by for t in capa_triggers(_records(repo2), AS_OF)] == [("CAPA-2026-001",)]
    assert findings(repo2) == []


# --------------------------------------------------------------------------- rules


def test_closed_capa_with_everything_in_order_is_clean(tmp_path):
    repo = repo_with(tmp_path, {_capa_path("CAPA-2026-001"): capa("CAPA-2026-001", body=CLOSED)})
    assert findings(repo) == []


@pytest.mark.parametrize("old, new, code", [
    ("root_cause: {method: five_whys, statement: Worn fixture}", "root_cause: {method: five_whys}", "QMS402"),
    ("status: done, done: 2026-03-01", "status: open", "QMS403"),
    ("  result: effective\n", "  result: not_effective\n", "QMS404"),
    ("  verified_by: USR-001\n", "", "QMS404"),
    ("  criteria_set: 2026-02-20", "  criteria_set: 2026-05-10", "QMS407"),
    ("  checked: 2026-05-01", "  checked: 2026-04-29", "QMS407"),  # 2026-03-01 + 60 days = 2026-04-30
    ("status: closed\n", "status: cancelled\n", "QMS409"),
])
def test_capa_rules_fire_one_at_a_time(tmp_path, old, new, code):
    body = CLOSED.replace(old, new)
    assert body != CLOSED
    repo = repo_with(tmp_path, {_capa_path("CAPA-2026-001"): capa("CAPA-2026-001", body=body)})
    got = findings(repo)
    if code == "QMS403":  # an open action in a closed CAPA is also an unfinished action at the check
        assert got == [("QMS403", "CAPA-2026-001"), ("QMS407", "CAPA-2026-001")]
    else:
        assert got == [(code, "CAPA-2026-001")]


def test_effectiveness_checked_on_the_first_allowed_day_is_fine(tmp_path):
    body = CLOSED.replace("  checked: 2026-05-01", "  checked: 2026-04-30")
    repo = repo_with(tmp_path, {_capa_path("CAPA-2026-001"): capa("CAPA-2026-001", body=body)})
    assert findings(repo) == []


def test_cancelled_with_reason_is_fine(tmp_path):
    body = "status: cancelled\ncancel_reason: Duplicate of CAPA-2026-002\n"
    repo = repo_with(tmp_path, {_capa_path("CAPA-2026-001"): capa("CAPA-2026-001", body=body)})
    assert findings(repo) == []


def test_overdue_capa_is_an_error_and_overdue_action_a_warning(tmp_path):
    body = """\
    status: action
    actions:
      - {type: corrective, description: Fix, status: open, due: 2026-11-24}
      - {type: corrective, description: Fix more, status: open, due: 2026-11-25}
    opened: 2026-08-01
    due: 2026-11-24
    """
    repo = repo_with(tmp_path, {_capa_path("CAPA-2026-001"): capa("CAPA-2026-001", body=body)})
    assert findings(repo) == [("QMS405", "CAPA-2026-001"), ("QMS406", "CAPA-2026-001")]
    _, out = validate_json(repo, "--as-of", "2026-11-25")
    sev = {f["code"]: f["severity"] for f in out["findings"]}
    assert {c: v for c, v in sev.items() if c not in COMPLETENESS} == {"QMS405": "error", "QMS406": "warning"}
    # due today: not overdue yet
    assert findings(repo, dt.date(2026, 11, 24)) == []


def test_recurrence_after_closure_warns_within_the_window_only(tmp_path):
    files = {
        _nc_path("NC-2026-001"): nc("NC-2026-001", "2026-01-10"),
        _capa_path("CAPA-2026-001"): capa("CAPA-2026-001", "[NC-2026-001]", CLOSED),  # closed 2026-05-02
        _nc_path("NC-2026-002"): nc("NC-2026-002", "2026-07-31"),  # 2026-05-02 + 90 days
    }
    assert findings(repo_with(tmp_path / "a", files)) == [("QMS408", "CAPA-2026-001")]
    files[_nc_path("NC-2026-002")] = nc("NC-2026-002", "2026-08-01")
    assert findings(repo_with(tmp_path / "b", files)) == []
    files[_nc_path("NC-2026-002")] = nc("NC-2026-002", "2026-07-31", category="other")
    assert findings(repo_with(tmp_path / "c", files)) == []


# --------------------------------------------------------------------------- qms capa draft


def test_draft_writes_once_and_never_overwrites(tmp_path):
    repo = repo_with(tmp_path, {
        _nc_path("NC-2026-001"): nc("NC-2026-001", "2026-01-10", risk="risk: {severity: 3, probability: 3}\n"),
        # a cancelled CAPA keeps its ID: never reused
        _capa_path("CAPA-2026-001"): capa("CAPA-2026-001", body="status: cancelled\ncancel_reason: dup\n"),
    })
    (repo / "records/events/capa/CAPA-2026-002.yaml.txt").write_text("not a record\n")  # not an ID: ignored
    dry = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would write records/events/capa/CAPA-2026-002.yaml" in dry.stdout
    assert not (repo / _capa_path("CAPA-2026-002")).exists()
    first = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25")
    assert first.returncode == 0, first.stderr
    assert "wrote records/events/capa/CAPA-2026-002.yaml: sources NC-2026-001 (risk)" in first.stdout
    text = (repo / _capa_path("CAPA-2026-002")).read_text()
    for line in ("status: draft", "owner: USR-002", "sources: [NC-2026-001]", "opened: 2026-11-25",
                 "due: 2027-02-23", 'area: "production"'):
        assert line in text.splitlines()
    second = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25")
    assert second.returncode == 0 and "nothing to draft" in second.stdout
    assert sorted(p.name for p in (repo / "records/events/capa").iterdir()) == [
        "CAPA-2026-001.yaml", "CAPA-2026-002.yaml", "CAPA-2026-002.yaml.txt"]
    code, out = validate_json(repo, "--as-of", "2026-11-25")
    assert [f["code"] for f in out["findings"] if f["code"].startswith("QMS4")] == []


def test_draft_skips_an_existing_file_and_joins_triggers_sharing_an_nc(tmp_path):
    from generator.cli.capa import create_exclusive

    target = tmp_path / "x.yaml"
    create_exclusive(target, "a: 1\n")
    with pytest.raises(FileExistsError):
        create_exclusive(target, "a: 2\n")
    assert target.read_text() == "a: 1\n" and sorted(p.name for p in tmp_path.iterdir()) == ["x.yaml"]

    days = ["2026-01-01", "2026-02-01", "2026-03-01"]
    files = {_nc_path(f"NC-2026-00{i}"): nc(f"NC-2026-00{i}", d) for i, d in enumerate(days, 1)}
    files[_nc_path("NC-2026-001")] = nc("NC-2026-001", days[0], risk="risk: {severity: 3, probability: 3}\n")
    repo = repo_with(tmp_path / "r", files)
    out = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25")
    assert out.stdout.splitlines() == [
        "wrote records/events/capa/CAPA-2026-001.yaml: sources NC-2026-001, NC-2026-002, NC-2026-003 "
        "(recurrence, risk)"]


def _example_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "example"
    dest.mkdir()
    for name in ("qms.yaml", "records", "specs", "protocols", "features", "evidence"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".qms-cache"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    return dest


def test_draft_on_the_worked_example(tmp_path):
    repo = _example_copy(tmp_path)
    nothing = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25")
    assert nothing.returncode == 0 and "nothing to draft" in nothing.stdout
    path = repo / _capa_path("CAPA-2026-004")
    text = path.read_text()
    assert "sources: [NC-2026-005]\n" in text
    _, before = validate_json(repo, "--as-of", "2026-11-25")  # the example's own warnings stay as they are
    path.write_text(text.replace("sources: [NC-2026-005]\n", ""))
    code, out = validate_json(repo, "--as-of", "2026-11-25")
    assert [(f["code"], f["record"]) for f in out["findings"] if f not in before["findings"]] == [
        ("QMS401", "NC-2026-005")]
    first = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25")
    assert first.stdout.splitlines() == [
        "wrote records/events/capa/CAPA-2026-005.yaml: sources NC-2026-005 (required)"]
    second = run_qms("--repo", str(repo), "capa", "draft", "--as-of", "2026-11-25")
    assert "nothing to draft" in second.stdout
    assert len(list((repo / "records/events/capa").glob("CAPA-*.yaml"))) == 5
    code, out = validate_json(repo, "--as-of", "2026-11-25")
    assert out["findings"] == before["findings"] and code == 0


# --------------------------------------------------------------------------- qms capa report


def test_report_sections_in_order_and_byte_identical(tmp_path):
    from docx import Document

    repo = _example_copy(tmp_path)
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (a, b):
        proc = run_qms("--repo", str(repo), "capa", "report", "CAPA-2026-001", "--out", str(out))
        assert proc.returncode == 0, proc.stderr
    assert a.read_bytes() == b.read_bytes()
    doc = Document(str(a))
    # The controlled document of the dossier: CAPR-1 (the first CAPA in ID order), with its frame.
    assert doc.core_properties.identifier == "NWM-CAPR-001"
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Revision history", "Approvals", "Contents", "Problem", "Containment", "Investigation",
                        "Root cause", "Risk and reportability", "Actions", "Adverse effect",
                        "Effectiveness", "Source records"]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "NC-2026-003" in text and "Worn hard stop" in text and "Uncontrolled copy" not in text
    # title page, revision history (nobody signed CAPA-2026-001: a first issue in draft), signature lines (CAPA
    # owner, QA, management representative), facts
    assert [[c.text for c in r.cells] for r in doc.tables[1].rows] == [
        ["Revision", "Date", "Approved by", "Reason for change", "Approval record"],
        ["A", "2026-12-02", "DRAFT — not approved", "First issue, in draft", ""]]
    signatures = doc.tables[2]
    assert [r.cells[0].text for r in signatures.rows] == ["Role", "CAPA owner", "Quality assurance",
                                                          "Management representative"]
    actions = doc.tables[5]  # after the facts and the risk and reportability table
    assert [c.text for c in actions.rows[0].cells][:3] == ["#", "Type", "Description"]
    assert len(actions.rows) == 5
    default = run_qms("--repo", str(repo), "capa", "report", "CAPA-2026-001")
    assert default.returncode == 0
    assert (repo / "qms-work/capa/CAPA-2026-001.docx").read_bytes() == a.read_bytes()


def test_report_of_unknown_capa_exits_2(tmp_path):
    repo = repo_with(tmp_path, {})
    proc = run_qms("--repo", str(repo), "capa", "report", "CAPA-2026-009")
    assert proc.returncode == 2 and "not a CAPA" in proc.stderr and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- QMS410: days per stage, from git

STAGED_POLICY = CAPA_POLICY + "stage_days: {investigation: 30, action: 60}\n"


def _commit(repo: Path, message: str, when: str) -> None:
    import os
    import subprocess

    env = dict(os.environ, GIT_AUTHOR_NAME="Ann Smith", GIT_AUTHOR_EMAIL="ann@example.com", GIT_AUTHOR_DATE=when,
               GIT_COMMITTER_NAME="Ann Smith", GIT_COMMITTER_EMAIL="ann@example.com", GIT_COMMITTER_DATE=when)
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=repo, env=env, check=True,
                       capture_output=True)


def _staged_capa(status: str) -> str:
    return textwrap.dedent(f"""\
        id: CAPA-2026-001
        title: Seal leaks
        status: {status}
        owner: USR-001
        problem: Seals leak.
        opened: 2026-01-05
        due: 2026-12-31
        """)


def _stage_findings(repo: Path, as_of: str) -> list[tuple[str, str, str]]:
    code, report = validate_json(repo, "--as-of", as_of)
    return [(f["code"], f["location"], f["message"]) for f in report["findings"] if f["code"] == "QMS410"]


def test_capa_stage_days_are_counted_from_the_commit_that_set_the_status(tmp_path):
    import subprocess

    repo = make_repo(tmp_path, {"specs/policies/POL-CAPA.yaml": STAGED_POLICY,
                                "records/events/capa/CAPA-2026-001.yaml": _staged_capa("open")})
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    _commit(repo, "Open CAPA", "2026-01-05T09:00:00+01:00")
    (repo / "records/events/capa/CAPA-2026-001.yaml").write_text(_staged_capa("investigation"))
    _commit(repo, "Start the investigation", "2026-01-12T10:00:00+01:00")
    where = "records/events/capa/CAPA-2026-001.yaml:3"
    # 30 days allowed: 2026-02-11 is day 30, still within; 2026-02-12 is day 31.
    assert _stage_findings(repo, "2026-02-11") == []
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    assert _stage_findings(repo, "2026-02-12") == [
        ("QMS410", where, f"CAPA-2026-001 has been 'investigation' since 2026-01-12 (commit {head[:10]}): 31 days, "
                          "more than the 30 POL-CAPA allows")]
    # The next stage starts its own clock when its status is committed.
    (repo / "records/events/capa/CAPA-2026-001.yaml").write_text(_staged_capa("action"))
    _commit(repo, "Actions planned", "2026-02-10T10:00:00+01:00")
    assert _stage_findings(repo, "2026-02-12") == []
    # An uncommitted stage change began now: it cannot have overstayed.
    (repo / "records/events/capa/CAPA-2026-001.yaml").write_text(_staged_capa("investigation"))
    assert _stage_findings(repo, "2026-06-30") == []


def test_capa_stage_days_need_history(tmp_path):
    repo = make_repo(tmp_path, {"specs/policies/POL-CAPA.yaml": STAGED_POLICY,
                                "records/events/capa/CAPA-2026-001.yaml": _staged_capa("investigation")})
    assert _stage_findings(repo, "2026-12-01") == []  # not a git repository: the stage's start is unknown
