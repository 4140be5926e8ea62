"""`qms build --release` refusals, and QMS609 (records changed by a git identity no user maps), in real git
repositories with commits by several identities."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import clean_git_config, make_repo, run_qms, validate_json  # noqa: F401 (autouse fixture)
from test_approvals import ANN, PRIYA, REQ, REQ_EDITED, REQ_EDITED_HASH, REQ_HASH, approve, commit_all, git, today
from test_signatures import forge, keygen, with_keys

ROGUE = ("Rob Rogue", "rogue@example.com")
INTERN = ("Ina Tern", "intern@example.com")
QMS_UNSIGNED = ("company: {name: Test Co, code: TC}\ndevice: {name: Test Pump}\n"
                "signatures: {require_signed_commits: false}\n")
REQ_002 = """\
id: REQ-002
title: Occlusion alarm
status: draft
statement: The pump shall alarm on a downstream occlusion within 30 s.
"""


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "keys").mkdir()
    return {"priya": keygen(tmp_path / "keys", "priya")}


@pytest.fixture
def repo(tmp_path: Path, keys: dict[str, Path]) -> Path:
    """Ann wrote the approved requirement REQ-001; git's own identity is Priya's (QA, may approve), signing with
    the key her user record registers."""
    root = make_repo(tmp_path / "qms", {**with_keys(keys, **{"USR-002": "priya"}),
                                         "specs/requirements/REQ-001.yaml": REQ})
    (root / ".gitignore").write_text("/output/\n.qms-cache/\n")
    git(root, "init", "-q", "-b", "main")
    assert run_qms("--repo", str(root), "numbers", "assign").returncode == 0  # a release needs registered numbers
    commit_all(root, ANN, "Add flow accuracy requirement")
    for key, value in (("user.name", PRIYA[0]), ("user.email", PRIYA[1]), ("commit.gpgSign", "false"),
                       ("gpg.format", "ssh"), ("user.signingkey", str(keys["priya"]))):
        git(root, "config", key, value)
    return root


def release(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_qms("--repo", str(repo), "build", "--release", "--as-of", "2026-04-01", *args, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def refusals(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """The detail lines, one reason a line, after the summary of counts (checked to add up to them)."""
    lines = proc.stderr.splitlines()
    detail = [line for line in lines if line.startswith("release refused: ")]
    assert lines[0] == f"release refused for {len(detail)} reason(s):"
    counts = lines[1:len(lines) - len(detail) - 1]
    assert sum(int(line.split()[0]) for line in counts) == len(detail)
    assert lines[-1] == f"qms build --release: {len(detail)} reason(s) to refuse; nothing written"
    return detail


def approved(repo: Path) -> None:
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- build --release


def test_release_of_approved_committed_content_is_built(repo: Path) -> None:
    approved(repo)
    proc = release(repo, "--format", "json")
    # Built: the release checks pass (other rules' errors, here REQ-001 verified by no test (QMS202) and implemented
    # by no design output (QMS209), only mark the dossier "not releasable", as a plain build does).
    assert proc.returncode == 1 and "release refused" not in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["errors"] == 2
    findings = json.loads((repo / "output/findings.json").read_text())["findings"]
    assert sorted(f["code"] for f in findings if f["severity"] == "error") == ["QMS202", "QMS209"]
    assert (repo / "output/manifest.json").is_file()


def test_release_refuses_a_released_record_without_approval(repo: Path) -> None:
    proc = release(repo)
    assert proc.returncode == 1
    assert refusals(proc) == ["release refused: specs/requirements/REQ-001.yaml:1: REQ-001 is approved without "
                              "a signed approval or release"]
    assert not (repo / "output").exists()


def test_release_refuses_a_dirty_tree(repo: Path) -> None:
    approved(repo)
    (repo / "records/people/USR-004.yaml").write_text((repo / "records/people/USR-004.yaml").read_text()
                                                       + "active_from: 2024-01-01\n")
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ_002)
    proc = release(repo)
    assert proc.returncode == 1
    assert refusals(proc) == [
        "release refused: working tree has uncommitted changes to 1 tracked file(s): records/people/USR-004.yaml; "
        "commit or revert them first",
        "release refused: working tree has 1 untracked file(s) among the records: specs/requirements/REQ-002.yaml; "
        "commit or remove them first",
    ]
    assert not (repo / "output").exists()


def test_release_refuses_a_record_changed_after_its_approval(repo: Path) -> None:
    approved(repo)
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ_EDITED)
    commit_all(repo, ANN, "Tighten flow accuracy")
    proc = release(repo)
    assert proc.returncode == 1
    # The integrity findings on REQ-001 say why; no second line restates it.
    assert refusals(proc) == [
        f"release refused: specs/requirements/REQ-001.yaml:1: QMS600 changed after approval: content hash is now "
        f"{REQ_EDITED_HASH[:12]}, which APR-REQ-001-1 (approval by USR-002 on {today()}, hash {REQ_HASH[:12]}) "
        "did not sign",
        f"release refused: specs/requirements/REQ-001.yaml:1: QMS601 approved record changed after APR-REQ-001-1 "
        f"(approval by USR-002 on {today()}, hash {REQ_HASH[:12]}) with no approved change control naming REQ-001",
    ]
    assert not (repo / "output").exists()


def test_release_refuses_an_unsigned_approval(repo: Path) -> None:
    sha = forge(repo, who=PRIYA, key=None)  # `qms approve` would sign the commit; this one is committed unsigned
    proc = release(repo)
    assert proc.returncode == 1
    assert refusals(proc) == [
        "release refused: specs/requirements/REQ-001.yaml:1: REQ-001 is approved, and its approval of the current "
        "content is not valid (APR-REQ-001-1: see the integrity findings)",
        f"release refused: records/approvals/APR-REQ-001-1.yaml:1: QMS607 APR-REQ-001-1 was added by commit "
        f"{sha[:10]}, which is not signed",
    ]
    # Opting out of signed approvals does not make it releasable: the opt-out is itself the reason.
    (repo / "qms.yaml").write_text(QMS_UNSIGNED)
    commit_all(repo, ANN, "Signed commits not required")
    assert refusals(release(repo)) == [
        "release refused: qms.yaml: signatures.require_signed_commits is false, so no approval is shown to be its "
        "signer's own act; a release needs signed approvals (remove the setting, register keys with `qms keys add` "
        "and approve with `qms approve`)"]
    assert not (repo / "output").exists()


# --------------------------------------------------------------------------- QMS609


def test_unknown_identity_is_one_finding_at_the_first_record_it_changed(repo: Path) -> None:
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ_002)
    first = commit_all(repo, ROGUE, "Occlusion alarm")
    (repo / "records/data").mkdir(parents=True)
    (repo / "records/data/notes.csv").write_text("a,b\n1,2\n")  # a data file, no record: not counted
    commit_all(repo, ROGUE, "Notes")
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ_002.replace("30 s", "20 s"))
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ.replace("Flow accuracy", "Flow rate accuracy"))
    last = commit_all(repo, ROGUE, "Faster alarm")
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ)
    commit_all(repo, ("Ann S.", "ANN@Example.com"), "Revert title")  # Ann, in other capitals: known
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ_002)
    intern = commit_all(repo, INTERN, "Alarm back to 30 s")
    _, out = validate_json(repo)
    found = [(f["code"], f["severity"], f["record"], f["location"], f["message"]) for f in out["findings"]
             if f["code"] == "QMS609"]
    assert found == [
        ("QMS609", "warning", "REQ-002", "specs/requirements/REQ-002.yaml:1",
         f"git identity intern@example.com (Ina Tern) maps to no user but changed records in 1 commit(s), "
         f"first {intern[:10]}, last {intern[:10]}"),
        ("QMS609", "warning", "REQ-002", "specs/requirements/REQ-002.yaml:1",
         f"git identity rogue@example.com (Rob Rogue) maps to no user but changed records in 2 commit(s), "
         f"first {first[:10]}, last {last[:10]}"),
    ]


def test_an_identity_mapped_on_a_user_record_is_known(repo: Path) -> None:
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ_002)
    commit_all(repo, ROGUE, "Occlusion alarm")
    assert [f["code"] for f in validate_json(repo)[1]["findings"]].count("QMS609") == 1
    user = repo / "records/people/USR-004.yaml"
    user.write_text(user.read_text() + "git_identities: [Rogue@Example.com]\n")
    commit_all(repo, ANN, "Ray commits as rogue@example.com from his laptop")
    assert [f["code"] for f in validate_json(repo)[1]["findings"]].count("QMS609") == 0


def test_unknown_identity_waived_on_its_record(repo: Path) -> None:
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ_002)
    commit_all(repo, ROGUE, "Occlusion alarm")
    (repo / "records/waivers").mkdir(parents=True)
    (repo / "records/waivers/WVR-001.yaml").write_text(
        "id: WVR-001\ntitle: Migration identity\nstatus: approved\ncode: QMS609\nrecord: REQ-002\n"
        "justification: Imported from the legacy document system by the migration account.\n"
        "approver: USR-002\napproved: 2026-03-01\n")
    commit_all(repo, ANN, "Waive the migration identity")
    _, out = validate_json(repo)
    assert [f["code"] for f in out["findings"] if f["code"] in ("QMS609", "QMS130", "QMS131")] == []
    assert [(f["code"], f["waived_by"]) for f in out["waived"]] == [("QMS609", "WVR-001")]


def test_without_git_the_rule_is_silent_and_its_waiver_not_stale(tmp_path: Path) -> None:
    waiver = ("id: WVR-001\ntitle: Migration identity\nstatus: approved\ncode: QMS609\nrecord: REQ-002\n"
              "justification: Imported from the legacy document system by the migration account.\n"
              "approver: USR-001\napproved: 2026-03-01\n")
    root = make_repo(tmp_path / "plain", {"specs/requirements/REQ-002.yaml": REQ_002,
                                          "records/waivers/WVR-001.yaml": waiver})
    _, out = validate_json(root)
    # Not a git repository: QMS609 cannot run, so its waiver is not reported as matching nothing (QMS130).
    assert [f for f in out["findings"] if f["code"] in ("QMS609", "QMS130")] == []


# --------------------------------------------------------------------------- refusals grouped (issue 21)


def test_release_refusals_of_the_example_are_counted_by_reason_and_kind_before_the_detail(tmp_path: Path) -> None:
    # On a copy of the worked example (which releases as it is): three requirements and two hazards added as
    # approved with no signature, committed, and one record then edited without committing.
    from support import copy_example
    from support import git as plain_git

    repo = copy_example(tmp_path / "example")
    statement = "statement: The pump shall log each alarm.\n"
    for n in (901, 902, 903):
        (repo / f"specs/requirements/REQ-0{n}.yaml").write_text(
            f"id: REQ-0{n}\ntitle: Alarm log {n}\nstatus: approved\nowner: USR-003\n{statement}")
    for n in (901, 902):
        (repo / f"records/risk/hazards/HAZ-{n}.yaml").write_text(
            f"id: HAZ-{n}\ntitle: Hazard {n}\nstatus: approved\nowner: USR-003\ncategory: mechanical\n")
    plain_git(repo, "add", "-A")
    plain_git(repo, "commit", "-q", "-m", "Add five records as approved")
    with (repo / "specs/requirements/REQ-0901.yaml").open("a") as fh:
        fh.write("rationale: Uncommitted.\n")
    proc = run_qms("--repo", str(repo), "build", "--release", "--as-of", "2026-11-25", "--out", str(tmp_path / "out"),
                   timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and not (tmp_path / "out").exists()
    lines = proc.stderr.splitlines()
    assert lines[:3] == [
        "release refused for 6 reason(s):",
        "  5  in force without a signed approval (requirement 3, hazard 2)",
        "  1  working tree not clean",
    ]
    assert lines[3:] == [
        "release refused: working tree has uncommitted changes to 1 tracked file(s): "
        "specs/requirements/REQ-0901.yaml; commit or revert them first",
        "release refused: records/risk/hazards/HAZ-901.yaml:1: HAZ-901 is approved without a signed approval or "
        "release",
        "release refused: records/risk/hazards/HAZ-902.yaml:1: HAZ-902 is approved without a signed approval or "
        "release",
        *[f"release refused: specs/requirements/REQ-0{n}.yaml:1: REQ-0{n} is approved without a signed approval "
          "or release" for n in (901, 902, 903)],
        "qms build --release: 6 reason(s) to refuse; nothing written",
    ]
    proc = run_qms("--repo", str(repo), "build", "--release", "--as-of", "2026-11-25", "--format", "json",
                   "--out", str(tmp_path / "out"), timeout=300)
    out = json.loads(proc.stdout)
    assert out["summary"] == [
        {"reason": "in force without a signed approval", "count": 5, "kinds": {"requirement": 3, "hazard": 2}},
        {"reason": "working tree not clean", "count": 1, "kinds": {}},
    ]
    assert len(out["reasons"]) == 6
