"""`qms approve` and the integrity rules, in real git repositories with commits by several people."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from support import QMS_YAML, clean_git_config, make_repo, run_qms, validate_json  # noqa: F401 (autouse fixture)

ANN = ("Ann Smith", "ann@example.com")  # USR-001, engineer, author of the requirement
PRIYA = ("Priya Nair", "priya@example.com")  # USR-002, quality assurance
OLAF = ("Olaf Berg", "olaf@example.com")  # USR-003, left the company on 2025-12-31
RAY = ("Ray Lim", "ray@example.com")  # USR-004, production

USERS = {
    "records/people/USR-001.yaml": """\
        id: USR-001
        title: Ann Smith
        status: active
        name: Ann Smith
        email: ann@example.com
        roles: [ROLE-ENG]
        active_from: 2024-01-08
        """,
    "records/people/USR-002.yaml": """\
        id: USR-002
        title: Priya Nair
        status: active
        name: Priya Nair
        email: priya.nair@corp.example
        git_identities: [priya@example.com]
        roles: [ROLE-QA]
        active_from: 2022-03-01
        """,
    "records/people/USR-003.yaml": """\
        id: USR-003
        title: Olaf Berg
        status: inactive
        name: Olaf Berg
        email: olaf@example.com
        roles: [ROLE-QA]
        active_from: 2020-01-06
        active_until: 2025-12-31
        """,
    "records/people/USR-004.yaml": """\
        id: USR-004
        title: Ray Lim
        status: active
        name: Ray Lim
        email: ray@example.com
        roles: [ROLE-PROD]
        """,
    "records/people/roles/ROLE-ENG.yaml": """\
        id: ROLE-ENG
        title: Engineering
        status: active
        may_review: [requirement]
        may_approve: [requirement]
        """,
    "records/people/roles/ROLE-QA.yaml": """\
        id: ROLE-QA
        title: Quality assurance
        status: active
        may_review: ["*"]
        may_approve: ["*"]
        may_release: [lot]
        """,
    "records/people/roles/ROLE-PROD.yaml": """\
        id: ROLE-PROD
        title: Production
        status: active
        may_approve: [protocol]
        """,
}

REQ = """\
id: REQ-001
title: Flow accuracy
status: approved
statement: The pump shall deliver the set rate within 5 %.
"""
REQ_EDITED = REQ.replace("within 5 %", "within 4 %")
# The canonical content, written out by hand: fields without defaults, no status, sorted keys, compact JSON.
REQ_CANONICAL = ('{"id":"REQ-001","statement":"The pump shall deliver the set rate within 5 %.",'
                 '"title":"Flow accuracy"}')
REQ_HASH = hashlib.sha256(REQ_CANONICAL.encode()).hexdigest()
REQ_EDITED_HASH = hashlib.sha256(REQ_CANONICAL.replace("5 %", "4 %").encode()).hexdigest()


# These tests are about roles, segregation of duties and content binding, in a repository that opts out of
# signed approval commits (tests/test_signatures.py covers the signatures, with real keys). Signing times are
# the clock's, so the dates they expect are today's.
UNSIGNED_QMS = QMS_YAML + "signatures: {require_signed_commits: false}\n"


def today() -> str:
    return dt.datetime.now().astimezone().date().isoformat()


def git(repo: Path, *args: str, who: tuple[str, str] | None = None) -> str:
    ident = ["-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}"] if who else []
    return subprocess.run(["git", *ident, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, who: tuple[str, str], message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, who=who)
    return git(repo, "rev-parse", "HEAD").strip()


def integrity(repo: Path) -> list[tuple[str, str | None, str, str]]:
    """(code, record, location, message) of the integrity findings (QMS6xx) of `qms validate`."""
    _, out = validate_json(repo)
    return [(f["code"], f["record"], f["location"], f["message"]) for f in out["findings"]
            if f["code"].startswith("QMS6")]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Ann wrote the approved requirement and committed everything; git's own identity is Priya's."""
    root = make_repo(tmp_path / "qms", {**USERS, "specs/requirements/REQ-001.yaml": REQ})
    (root / "qms.yaml").write_text(UNSIGNED_QMS)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, ANN, "Add flow accuracy requirement")
    git(root, "config", "user.name", PRIYA[0])
    git(root, "config", "user.email", PRIYA[1])
    return root


def hand_written_approval(repo: Path, n: int, *, meaning: str, signer: str, printed_name: str, signed: str,
                          role: str | None = None) -> None:
    """APR-REQ-001-n written by hand, not by `qms approve`: signer on line 7, printed name 8, role 9."""
    (repo / "records/approvals").mkdir(exist_ok=True)
    (repo / f"records/approvals/APR-REQ-001-{n}.yaml").write_text(
        f"id: APR-REQ-001-{n}\ntitle: Approval of REQ-001\nstatus: signed\nrecord: REQ-001\n"
        f"record_hash: {REQ_HASH}\nmeaning: {meaning}\nsigner: {signer}\nprinted_name: {printed_name}\n"
        + (f"role: {role}\n" if role else "") + f"signed: {signed}\n")


def approve(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = run_qms("--repo", str(repo), "approve", *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_approve_writes_and_commits_the_signature(repo: Path) -> None:
    proc = approve(repo, "REQ-001", "--meaning", "approval",
                   "--comment", "Checked: 5 % is what the risk file needs.", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["approval"] == "APR-REQ-001-1" and out["record_hash"] == REQ_HASH
    assert (out["signer"], out["role"], out["commit_signature"]) == ("USR-002", "ROLE-QA", None)
    signed = dt.datetime.fromisoformat(out["signed"])
    assert abs(dt.datetime.now(dt.UTC) - signed) < dt.timedelta(minutes=1)  # the clock's time, with offset
    text = (repo / "records/approvals/APR-REQ-001-1.yaml").read_text()
    assert text == (
        "# Electronic signature (21 CFR Part 11 §11.50, §11.70) written by `qms approve`: binds the signer\n"
        "# and the meaning to the SHA-256 of REQ-001's canonical content at the moment of signing.\n"
        "id: APR-REQ-001-1\n"
        'title: "Approval of REQ-001: Flow accuracy"\n'
        "status: signed\n"
        "record: REQ-001\n"
        f"record_hash: {REQ_HASH}\n"
        "meaning: approval\n"
        "signer: USR-002\n"
        "printed_name: Priya Nair\n"
        "role: ROLE-QA\n"
        f"signed: {out['signed']}\n"
        'comment: "Checked: 5 % is what the risk file needs."\n'
    )
    # Exactly that file was committed, by git's identity, with the agreed message; nothing else is pending.
    assert git(repo, "log", "-1", "--format=%s|%ae").strip() == \
        "Approve REQ-001 (approval) as USR-002|priya@example.com"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["records/approvals/APR-REQ-001-1.yaml"]
    assert git(repo, "status", "--porcelain") == ""
    assert integrity(repo) == []
    # The same person signing the same content with the same meaning again is refused; a second meaning is not.
    again = approve(repo, "REQ-001", "--meaning", "approval")
    assert again.returncode == 2
    assert again.stderr.strip() == ("qms: error: USR-002 already signed this content of REQ-001 with meaning "
                                     "'approval' (APR-REQ-001-1)")
    assert approve(repo, "REQ-001", "--meaning", "review").returncode == 0
    assert (repo / "records/approvals/APR-REQ-001-2.yaml").is_file()


def test_editing_an_approved_requirement_names_the_approval_and_the_missing_change_control(repo: Path) -> None:
    assert approve(repo, "REQ-001", "--meaning", "approval").returncode == 0
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ_EDITED)
    commit_all(repo, ANN, "Tighten flow accuracy")
    assert integrity(repo) == [
        ("QMS600", "REQ-001", "specs/requirements/REQ-001.yaml:1",
         f"changed after approval: content hash is now {REQ_EDITED_HASH[:12]}, which APR-REQ-001-1 (approval by "
         f"USR-002 on {today()}, hash {REQ_HASH[:12]}) did not sign"),
        ("QMS601", "REQ-001", "specs/requirements/REQ-001.yaml:1",
         f"approved record changed after APR-REQ-001-1 (approval by USR-002 on {today()}, hash {REQ_HASH[:12]}) "
         "with no approved change control naming REQ-001"),
    ]


CHANGE = """\
id: CC-2026-001
title: Tighten flow accuracy
status: approved
reason: Field data show 5 % is not enough for neonatal use.
affected: [REQ-001]
impact: {{risk: Reviewed HAZ-001; no new hazard.}}
approved: {approved}
"""


def test_an_approved_change_control_leaves_only_the_re_approval(repo: Path) -> None:
    assert approve(repo, "REQ-001", "--meaning", "approval").returncode == 0
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ_EDITED)
    # A change control approved before the signature it would cover does not count.
    (repo / "records/events/change").mkdir(parents=True)
    yesterday = (dt.date.fromisoformat(today()) - dt.timedelta(days=1)).isoformat()
    (repo / "records/events/change/CC-2026-001.yaml").write_text(CHANGE.format(approved=yesterday))
    commit_all(repo, ANN, "Tighten flow accuracy")
    codes = [(code, message) for code, _, _, message in integrity(repo)]
    assert [c for c, _ in codes] == ["QMS600", "QMS601"]
    assert codes[1][1].endswith("with no approved change control naming REQ-001 (CC-2026-001 approved before it)")

    (repo / "records/events/change/CC-2026-001.yaml").write_text(CHANGE.format(approved=today()))
    commit_all(repo, ANN, "Approve the change")
    assert [f[0] for f in integrity(repo)] == ["QMS600"]
    # Signing the new content clears it; the edit is covered by the change control, so nothing remains.
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 0, proc.stderr
    assert "APR-REQ-001-2: approval of REQ-001 by USR-002" in proc.stdout
    assert integrity(repo) == []


def test_self_approval_is_refused_and_reported(repo: Path) -> None:
    git(repo, "config", "user.email", ANN[1])
    head = git(repo, "rev-parse", "HEAD")
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("qms: error: USR-001 (ann@example.com) authored the last change to REQ-001 and "
                                   "may not sign its approval (segregation of duties); another authorised person "
                                   "signs it")
    assert not (repo / "records/approvals").exists() and git(repo, "rev-parse", "HEAD") == head
    # Hand-written and committed anyway (by Priya, say): the rule finds the author among the signer's identities.
    hand_written_approval(repo, 1, meaning="approval", signer="USR-001", printed_name="Ann Smith",
                          signed="2026-03-02T10:15:00+01:00")
    first = git(repo, "log", "-1", "--format=%H", "--", "specs/requirements/REQ-001.yaml").strip()
    commit_all(repo, PRIYA, "Record Ann's approval")
    assert integrity(repo) == [
        ("QMS605", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:7",
         f"USR-001 signed the approval of REQ-001 but authored its last change (commit {first[:10]} by "
         "ann@example.com)"),
    ]
    # A review by the author is allowed by default (signatures.author_may_not_sign: [approval, release]).
    assert approve(repo, "REQ-001", "--meaning", "review").returncode == 0


def test_a_role_without_the_authority_is_refused_and_reported(repo: Path) -> None:
    git(repo, "config", "user.email", RAY[1])
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("qms: error: none of USR-004's roles (ROLE-PROD) may sign a requirement with "
                                   "meaning 'approval' (may_approve); REQ-001 was not signed")
    hand_written_approval(repo, 1, meaning="release", signer="USR-001", printed_name="Ann Smith",
                          signed="2026-03-02T10:15:00+01:00", role="ROLE-ENG")
    first = git(repo, "rev-parse", "HEAD").strip()
    # Uncommitted: the author rule takes the record's newest change, which Ann made too.
    assert integrity(repo) == [
        ("QMS605", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:7",
         f"USR-001 signed the release of REQ-001 but authored its last change (commit {first[:10]} by "
         "ann@example.com)"),
        ("QMS602", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:9",
         "ROLE-ENG may not sign a requirement with meaning 'release' (not in may_release)"),
    ]


def test_an_inactive_signer_is_refused_and_reported(repo: Path) -> None:
    git(repo, "config", "user.email", OLAF[1])
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"qms: error: USR-003 acted on {today()}, outside their active period "
                                   "2020-01-06 to 2025-12-31; the signature would not count")
    hand_written_approval(repo, 1, meaning="approval", signer="USR-003", printed_name="Olaf Berg",
                          signed="2026-01-05T09:00:00+00:00")
    assert integrity(repo) == [
        ("QMS603", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:9",
         "signed by USR-003 acted on 2026-01-05, outside their active period 2020-01-06 to 2025-12-31"),
    ]


def test_unknown_signer_and_uncommitted_record_are_refused(repo: Path) -> None:
    git(repo, "config", "user.email", "stranger@example.com")
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        "qms: error: git user.email stranger@example.com maps to no user record; list it under exactly one user's "
        "email or git_identities"))
    git(repo, "config", "user.email", PRIYA[1])
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ_EDITED)
    proc = approve(repo, "REQ-001", "--meaning", "approval", "--as", "USR-002")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        "qms: error: specs/requirements/REQ-001.yaml has uncommitted changes: commit them first, so that the "
        "approval signs content that is in git"))
    assert not (repo / "records/approvals").exists()


def test_reviewer_may_not_approve_where_the_policy_asks(repo: Path) -> None:
    (repo / "qms.yaml").write_text(QMS_YAML + "signatures: {require_signed_commits: false, reviewer_may_not_approve: true}\n")
    commit_all(repo, ANN, "Segregate review and approval")
    assert approve(repo, "REQ-001", "--meaning", "review").returncode == 0
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        "qms: error: USR-002 reviewed this content of REQ-001 (APR-REQ-001-1) and may not also sign its approval "
        "(signatures.reviewer_may_not_approve)"))
    # Hand-written, with a printed name that is not the one on the user record.
    hand_written_approval(repo, 2, meaning="approval", signer="USR-002", printed_name="P. Nair",
                          signed="2026-03-02T10:15:00+01:00")
    assert integrity(repo) == [
        ("QMS606", "APR-REQ-001-2", "records/approvals/APR-REQ-001-2.yaml:7",
         "USR-002 signed the review (APR-REQ-001-1) and the approval of the same content of REQ-001"),
        ("QMS604", "APR-REQ-001-2", "records/approvals/APR-REQ-001-2.yaml:8",
         "printed name 'P. Nair' but USR-002 is 'Priya Nair'"),
    ]
