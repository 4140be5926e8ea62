"""Issue 21, done when: `qms init` in an empty folder, `qms new` for a record of every kind, the required values
filled in, and the repository validates, builds and, after approvals, builds as a release; no policy or file
added by hand."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import clean_git_config, run_qms  # noqa: F401 - clean_git_config is an autouse fixture

from generator.model import KINDS

TODAY = dt.date.today().isoformat()  # `qms new` dates a record today
# The required values a QA engineer writes into each skeleton (kinds written by commands are not here).
FILL: dict[str, dict[str, Any]] = {
    "user_need": {"title": "Quick reading", "statement": "Clinicians need a reading within two seconds."},
    "requirement": {"title": "Reading time", "statement": "The device shall show a reading within 2 s."},
    "design_output": {"title": "Firmware build"},
    "verification": {"title": "Reading time bench test"},
    "validation": {"title": "Ward use study"},
    "section": {"title": "Measurement"},
    "hazard": {"title": "Wrong reading"},
    "hazardous_situation": {"title": "Fever missed"},
    "harm": {"title": "Delayed treatment"},
    "risk_control": {"title": "Self test at power-on", "type": "protective_measure"},
    "benefit_risk": {"title": "Overall benefit-risk", "scope": "overall"},
    "fmea": {"title": "Probe crack", "fmea_type": "design", "item": "Probe", "failure_mode": "Cracked lens",
             "effect": "Reading too low", "severity": 5, "occurrence": 2, "detection": 3},
    "nonconformance": {"title": "Scratched housing", "source": "production", "detected": TODAY},
    "capa": {"title": "Housing scratches"},
    "change": {"title": "New lens supplier", "reason": "Second source for the lens"},
    "complaint": {"title": "Display hard to read", "received": TODAY},
    "document": {"title": "Instructions for use", "type": "ifu", "revision": "A"},
    "standard": {"title": "Clinical thermometers", "number": "ISO 80601-2-56", "edition": "2017"},
    "gspr": {"title": "Chemical properties", "item": "10.1", "requirement": "Materials are biocompatible",
             "applicable": False},
    "evidence": {"title": "Bench report", "type": "test_report", "path": "evidence/report.txt",
                 "sha256": "0" * 64},
    "supplier": {"title": "Lens Co"},
    "material": {"title": "Lens", "type": "component", "approved_suppliers": ["SUP-001"]},
    "receipt": {"title": "Lens delivery", "supplier": "SUP-001", "material": "MAT-001", "quantity": 100,
                "received": TODAY},
    "inspection": {"title": "Lens inspection", "receipt": "RCV-001", "lot_size": 100, "aql": 1.0},
    "lot": {"title": "Lens lot", "lot_type": "component", "material": "MAT-001"},
    "serial_unit": {"title": "First unit", "lot": "LOT-001", "serial": "T1-0001"},
    "shipment": {"title": "First shipment", "customer": "City Hospital"},
    "temperature_log": {"title": "Store room", "data": "records/coldchain/store.csv"},
    "equipment": {"title": "Calibration bath", "type": "instrument"},
    "user": {"title": "Sam Second", "name": "Sam Second", "email": "sam@example.com", "roles": ["ROLE-QA"],
             "active_from": "2025-01-06"},
    "role": {"title": "Production"},
    "waiver": {"title": "Accepted gap", "code": "QMS209", "record": "REQ-0003", "justification": "Interim until the design output exists",
               "approver": "USR-001"},
    "policy": {"title": "Draft supplier policy", "weights": {"quality": 1.0}, "grades": [{"grade": "A",
               "min_score": 0}], "reevaluate_below": 50},
    "protocol": {"title": "Installation check", "subject": "software", "purpose": "Installed as specified"},
    "site": {"title": "Main site", "address": "1 Example Street"},
    "process_step": {"title": "Assembly", "sequence": 10, "site": "SITE-001", "output_verification": "verified"},
    "pms_plan": {"title": "PMS plan", "scope": "T-1", "sources": [{"source": "complaints", "method": "Monthly"}],
                 "min_population": 100, "methods": "Counts", "review_frequency": "monthly",
                 "psur_interval_months": 24},
    "psur": {"title": "First PSUR", "plan": "PMSP-001", "period_start": "2026-01-01", "period_end": "2026-06-30",
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


@pytest.mark.xfail(reason="unfinished (issue 21): draft risk, supplier, document, evidence and GSPR records still "
                   "draw completeness errors (QMS304-310, QMS501, QMS784, QMS762, QMS761) that a skeleton plus "
                   "required values does not satisfy", strict=False)
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

    as_person(repo, "Sam Second", "sam@example.com", sam)
    written: dict[str, str] = {}
    for kind in KINDS.values():
        if kind.name == "user":
            continue
        if kind.name in ("approval", "execution"):  # written by the commands that perform the act
            assert qms(repo, "new", kind.name).returncode == 2
            continue
        extra = ["--policy", "supplier"] if kind.name == "policy" else []
        proc = qms(repo, "new", kind.prefixes[0], *extra) if False else qms(
            repo, "new", kind.prefixes[0], *extra)
        assert proc.returncode == 0, (kind.name, proc.stderr)
        rel = proc.stdout.strip()
        text = (repo / rel).read_text()
        assert "required" in text or kind.name in ("design_output",), rel
        record = yaml.safe_load(text)
        record.update(FILL[kind.name])
        (repo / rel).write_text(yaml.safe_dump(record, sort_keys=False))
        written[kind.name] = rel
    (repo / "records/coldchain/store.csv").write_text("time,temperature_c\n2026-11-20T08:00:00+00:00,5.0\n")
    commit(repo, "One record of every kind")

    proc = qms(repo, "validate")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = qms(repo, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # Sam signs what Alex wrote (the starter); numbers are registered; then the release.
    released = [rid for rid, s in _statuses(repo).items() if s in ("approved", "effective")]
    proc = qms(repo, "approve", *released, "--meaning", "approval")
    assert proc.returncode == 0, proc.stderr
    assert qms(repo, "numbers", "assign").returncode == 0
    commit(repo, "Register document numbers")
    proc = qms(repo, "build", "--release")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _statuses(repo: Path) -> dict[str, str]:
    out = {}
    for path in [*repo.glob("records/**/*.yaml"), *repo.glob("specs/**/*.yaml")]:
        data = yaml.safe_load(path.read_text())
        if isinstance(data, dict) and "id" in data:
            out[data["id"]] = data.get("status")
    return out
