"""Issue 21, done when: `qms init` in an empty folder, `qms new` for a record of every kind, the required values
filled in, and the repository validates, builds and, after approvals, builds as a release; no policy or file
added by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path
from typing import Any

import yaml
from support import clean_git_config, run_qms  # noqa: F401 - clean_git_config is an autouse fixture

from generator.model import KINDS

TODAY = dt.date.today().isoformat()  # `qms new` dates a record today
# The required values a QA engineer writes into each skeleton (kinds written by commands are not here).
FILL: dict[str, dict[str, Any]] = {
    "user_need": {"title": "Quick reading", "statement": "Clinicians need a reading within two seconds."},
    "requirement": {"title": "Reading time", "statement": "The device shall show a reading within 2 s."},
    "design_output": {"title": "Firmware build"},
    "verification": {"title": "Self test bench test", "verifies": ["@risk_control"], "purpose": "implementation",
                     "results": [{"date": TODAY, "result": "pass", "executed_by": "USR-002"}]},
    "validation": {"title": "Ward use study"},
    "section": {"title": "Measurement"},
    # A hazard is analysed through a situation that names it and its harm, estimated on POL-RISK's 1-3 scales,
    # and controlled by a risk control whose implementation and effectiveness are verified.
    "hazard": {"title": "Wrong reading"},
    "hazardous_situation": {"title": "Fever missed", "hazard": "@hazard", "harms": ["@harm"],
                            "sequence_of_events": ["The probe reads low", "A fever goes unnoticed"],
                            "initial_risk": {"severity": 2, "probability": 2},
                            "residual_risk": {"severity": 2, "probability": 1}},
    "harm": {"title": "Delayed treatment", "severity": 2},
    "risk_control": {"title": "Self test at power-on", "type": "protective_measure",
                     "mitigates": ["@hazardous_situation"], "implemented_by": ["@requirement"]},
    "benefit_risk": {"title": "Overall benefit-risk", "scope": "overall"},
    "fmea": {"title": "Probe crack", "fmea_type": "design", "item": "Probe", "failure_mode": "Cracked lens",
             "effect": "Reading too low", "severity": 5, "occurrence": 2, "detection": 3},
    "nonconformance": {"title": "Scratched housing", "source": "production", "detected": TODAY},
    "capa": {"title": "Housing scratches"},
    "change": {"title": "New lens supplier", "reason": "Second source for the lens"},
    "complaint": {"title": "Display hard to read", "received": TODAY},
    "document": {"title": "Instructions for use", "type": "ifu", "revision": "A", "file": "specs/labelling/ifu.txt",
                 "sha256": "@sha256:specs/labelling/ifu.txt"},
    "standard": {"title": "Clinical thermometers", "number": "ISO 80601-2-56", "edition": "2017"},
    "gspr": {"title": "Chemical properties", "item": "10.1", "requirement": "Materials are biocompatible",
             "applicable": False, "justification": "The device has no patient-contacting materials"},
    "evidence": {"title": "Bench report", "type": "test_report", "path": "evidence/report.txt",
                 "sha256": "@sha256:evidence/report.txt"},
    # Goods are received only from a supplier already evaluated and approved (QMS501).
    # ... and audited within the supplier policy's interval (QMS504).
    "supplier": {"title": "Lens Co", "status": "approved", "approved": "2025-02-01",
                 "audits": [{"date": "2025-01-20", "type": "onsite", "auditor": "USR-002", "result": "pass"}]},
    "material": {"title": "Lens", "type": "component", "approved_suppliers": ["@supplier"]},
    "receipt": {"title": "Lens delivery", "supplier": "@supplier", "material": "@material", "quantity": 100,
                "received": TODAY},
    "inspection": {"title": "Lens inspection", "receipt": "@receipt", "lot_size": 100, "aql": 1.0},
    "lot": {"title": "Lens lot", "lot_type": "component", "material": "@material"},
    "serial_unit": {"title": "First unit", "lot": "@lot", "serial": "T1-0001"},
    "shipment": {"title": "First shipment", "customer": "City Hospital"},
    "temperature_log": {"title": "Store room", "data": "records/coldchain/data/store.csv"},
    "equipment": {"title": "Calibration bath", "type": "instrument"},
    "user": {"title": "Sam Second", "name": "Sam Second", "email": "sam@example.com", "roles": ["ROLE-QA"],
             "active_from": "2025-01-06"},
    "role": {"title": "Production"},
    "waiver": {"title": "Accepted gap", "code": "QMS209", "record": "@requirement", "justification": "Interim until the design output exists",
               "approver": "USR-001"},
    "policy": {"title": "Draft supplier policy", "weights": {"quality": 1.0}, "grades": [{"grade": "A",
               "min_score": 0}], "reevaluate_below": 50},
    "protocol": {"title": "Installation check", "subject": "software", "purpose": "Installed as specified"},
    "site": {"title": "Main site", "address": "1 Example Street"},
    "process_step": {"title": "Assembly", "sequence": 10, "site": "@site", "output_verification": "verified"},
    "pms_plan": {"title": "PMS plan", "scope": "T-1", "sources": [{"source": "complaints", "method": "Monthly"}],
                 "min_population": 100, "methods": "Counts", "review_frequency": "monthly",
                 "psur_interval_months": 24},
    "psur": {"title": "First PSUR", "plan": "@pms_plan", "period_start": "2026-01-01", "period_end": "2026-06-30",
             "units_sold": 0, "stated": {"complaints": 0, "serious_incidents": 0, "nonconformances": 0, "capas": 0},
             "benefit_risk": "Unchanged", "pmcf": "None", "conclusion": "No action"},
}


def qms(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_qms("--repo", str(repo), *args, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def key(tmp: Path, name: str) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(tmp / name)], check=True)
    return tmp / f"{name}.pub"


def as_person(repo: Path, name: str, email: str, signing_key: Path) -> None:
    for k, v in (("user.name", name), ("user.email", email), ("user.signingkey", str(signing_key)[:-4])):
        subprocess.run(["git", "config", k, v], cwd=repo, check=True)


def commit(repo: Path, message: str) -> None:
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "-S", "-m", message], cwd=repo, check=True, capture_output=True)


def test_init_new_every_kind_validate_build_release(tmp_path: Path) -> None:
    repo = tmp_path / "qs"
    alex, sam = key(tmp_path, "alex"), key(tmp_path, "sam")
    proc = run_qms("init", str(repo), "--name", "Alex First", "--email", "alex@example.com", "--role",
                   "Quality manager", "--signing-key", str(alex))
    assert proc.returncode == 0, proc.stderr
    log = subprocess.run(["git", "log", "--format=%an <%ae> %G?"], cwd=repo, capture_output=True, text=True)
    assert log.stdout.split("\n")[0].startswith("Alex First <alex@example.com>")
    users = yaml.safe_load((repo / "records/people/USR-001.yaml").read_text())
    assert (users["name"], users["email"], users["roles"]) == ("Alex First", "alex@example.com", ["ROLE-QA"])
    assert users["signing_keys"] == [" ".join(alex.read_text().split())]
    assert qms(repo, "validate").returncode == 0

    # Sam joins first (Alex registers them), so that someone other than the author signs each change.
    path = qms(repo, "new", "user", "--id", "USR-002").stdout.strip()
    assert path == "records/people/USR-002.yaml"
    record = yaml.safe_load((repo / path).read_text())
    record.update(FILL["user"], signing_keys=[" ".join(sam.read_text().split())])
    (repo / path).write_text(yaml.safe_dump(record, sort_keys=False))
    commit(repo, "Sam joins")

    # Sam writes one record of every kind: first every skeleton (so links can name the new IDs), then the values.
    as_person(repo, "Sam Second", "sam@example.com", sam)
    (repo / "specs/labelling").mkdir(parents=True)
    (repo / "specs/labelling/ifu.txt").write_text("Instructions for use, revision A\n")
    (repo / "evidence").mkdir()
    (repo / "evidence/report.txt").write_text("Bench report: self test detects a drifted probe\n")
    (repo / "records/coldchain/data").mkdir(parents=True)
    (repo / "records/coldchain/data/store.csv").write_text("time,temperature_c\n2026-11-20T08:00:00+00:00,5.0\n")
    written: dict[str, str] = {}
    for kind in KINDS.values():
        if kind.name == "user":
            continue
        if kind.name in ("approval", "execution"):  # written by the commands that perform the act
            proc = qms(repo, "new", kind.name)
            assert proc.returncode == 2 and "written by `qms" in proc.stderr, proc.stderr
            continue
        extra = ["--policy", "supplier"] if kind.name == "policy" else []
        proc = qms(repo, "new", kind.prefixes[0], *extra)
        assert proc.returncode == 0, (kind.name, proc.stderr)
        written[kind.name] = proc.stdout.strip()
        assert "# required" in (repo / written[kind.name]).read_text() or kind.name == "design_output", kind.name
    # A risk control is verified twice: is it implemented, and does it reduce the risk (ISO 14971 7.2).
    written["effectiveness"] = qms(repo, "new", "verification").stdout.strip()
    ids = {name: Path(rel).stem for name, rel in written.items()}
    fills = {**FILL, "effectiveness": {"title": "Self test effectiveness", "verifies": ["@risk_control"],
                                       "purpose": "effectiveness",
                                       "results": [{"date": TODAY, "result": "pass", "executed_by": "USR-002"}]}}
    for name, rel in written.items():
        record = yaml.safe_load((repo / rel).read_text())
        record.update(_resolved(fills[name], ids, repo))
        (repo / rel).write_text(yaml.safe_dump(record, sort_keys=False))
    commit(repo, "One record of every kind")

    proc = qms(repo, "validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = qms(repo, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # Segregation of duties: nobody signs the approval of their own change. Sam signs the starter Alex laid
    # down; Alex signs what Sam wrote. Then the document numbers are registered and the dossier released.
    by_author: dict[str, list[str]] = {}
    for rid, (status, path) in _statuses(repo).items():
        if status in ("approved", "effective"):
            author = subprocess.run(["git", "log", "-1", "--format=%ae", "--", str(path)], cwd=repo,
                                    capture_output=True, text=True, check=True).stdout.strip()
            by_author.setdefault(author, []).append(rid)
    assert set(by_author) == {"alex@example.com", "sam@example.com"}, by_author
    proc = qms(repo, "approve", *by_author["alex@example.com"], "--meaning", "approval", "--yes")
    assert proc.returncode == 0, proc.stderr
    as_person(repo, "Alex First", "alex@example.com", alex)
    proc = qms(repo, "approve", *by_author["sam@example.com"], "--meaning", "approval", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert qms(repo, "numbers", "assign").returncode == 0
    commit(repo, "Register document numbers")
    proc = qms(repo, "build", "--release")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _resolved(value: Any, ids: dict[str, str], repo: Path) -> Any:
    """The fill values with '@kind' replaced by the ID `qms new` gave that kind, '@sha256:FILE' by the file's hash."""
    if isinstance(value, dict):
        return {k: _resolved(v, ids, repo) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v, ids, repo) for v in value]
    if isinstance(value, str) and value.startswith("@sha256:"):
        return hashlib.sha256((repo / value[len("@sha256:"):]).read_bytes()).hexdigest()
    if isinstance(value, str) and value.startswith("@"):
        return ids[value[1:]]
    return value


def _statuses(repo: Path) -> dict[str, tuple[str, Path]]:
    out = {}
    for path in [*repo.glob("records/**/*.yaml"), *repo.glob("specs/**/*.yaml")]:
        data = yaml.safe_load(path.read_text())
        if isinstance(data, dict) and "id" in data:
            out[data["id"]] = (data.get("status"), path.relative_to(repo))
    return out


def test_records_reference_is_the_commands_output() -> None:
    """docs/records.md is `qms schema --markdown`, regenerated whenever a model changes."""
    proc = run_qms("schema", "--markdown")
    assert proc.returncode == 0, proc.stderr
    committed = (Path(__file__).parent.parent / "docs/records.md").read_text(encoding="utf-8")
    assert proc.stdout == committed, "docs/records.md is stale: qms schema --markdown > docs/records.md"
    harm = committed[committed.index("## Harm\n"):committed.index("## Risk control\n")]
    assert "Lifecycle: `draft` → `in_review` → `approved` → `obsolete`." in harm
    assert ("| `severity` | no | whole number | from 1; the policy's scale sets the levels | Severity level on the "
            "severity scale of the risk policy (POL-RISK) |") in harm
    situation = committed[committed.index("## Hazardous situation\n"):committed.index("## Harm\n")]
    assert "| `hazard` | no | link | links to hazard | The hazard |" in situation
    assert "The *RiskEstimate* group holds:" in situation
    assert "| `scope` | yes | text | one of `hazardous_situation`, `overall` |" in committed


def test_severity_outside_the_policy_scale_is_located(tmp_path: Path) -> None:
    """The starter's scales are POL-RISK's 1-3: the skeleton says so, and a 4 is an error at its line."""
    repo = tmp_path / "qs"
    assert run_qms("init", str(repo), "--name", "Alex First", "--email", "alex@example.com").returncode == 0
    rel = qms(repo, "new", "harm").stdout.strip()
    text = (repo / rel).read_text()
    assert "risk policy's severity scale (specs/policies/POL-RISK.yaml)" in " ".join(text.replace("#", "").split())
    assert "# severity:  # whole number; from 1; the policy's scale sets the levels; Severity level on the severity " \
           "scale of the risk policy (POL-RISK)\n" in text
    (repo / rel).write_text(text.replace("title:", 'title: "Burn"', 1).replace("# severity:", "severity: 4", 1))
    lines = (repo / rel).read_text().splitlines()
    line = next(n for n, t in enumerate(lines, 1) if t.startswith("severity: 4"))
    proc = qms(repo, "validate")
    assert proc.returncode == 1
    assert (f"{rel}:{line}: error QMS303 [{Path(rel).stem}]: severity 4 is not a level of the severity scale of "
            "POL-RISK (1-3)") in proc.stdout, proc.stdout
