"""Approval commits signed with real SSH keys (ssh-keygen), verified by git against the users' registered keys."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from support import make_repo
from test_approvals import ANN, PRIYA, REQ, REQ_HASH, USERS, approve, commit_all, git, integrity

QMS_SIGNED = ("company: {name: Test Co, code: TC}\ndevice: {name: Test Pump}\n"
              "signatures: {require_signed_commits: true}\n")


def keygen(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key


def fingerprint(key: Path) -> str:
    """The key's SHA256 fingerprint as ssh-keygen prints it: the independent reference."""
    out = subprocess.run(["ssh-keygen", "-l", "-f", f"{key}.pub"], check=True, capture_output=True, text=True)
    return out.stdout.split()[1]


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    return {name: keygen(folder, name) for name in ("ann", "priya", "rogue")}


@pytest.fixture
def repo(tmp_path: Path, keys: dict[str, Path]) -> Path:
    users = dict(USERS)
    for rel, who in (("records/people/USR-001.yaml", "ann"), ("records/people/USR-002.yaml", "priya")):
        public = (keys[who].with_suffix(".pub")).read_text().strip()
        # Appended with the indentation USERS is written in (make_repo dedents it).
        users[rel] = USERS[rel].rstrip(" ") + f"        signing_keys:\n          - {public}\n"
    root = make_repo(tmp_path / "qms", {**users, "specs/requirements/REQ-001.yaml": REQ})
    (root / "qms.yaml").write_text(QMS_SIGNED)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, ANN, "Add flow accuracy requirement")
    for key, value in (("user.name", PRIYA[0]), ("user.email", PRIYA[1]), ("gpg.format", "ssh")):
        git(root, "config", key, value)
    return root


def hand_written_approval(repo: Path, signer: str = "USR-002", name: str = "Priya Nair") -> Path:
    path = repo / "records/approvals/APR-REQ-001-1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""\
id: APR-REQ-001-1
title: Approval of REQ-001
status: signed
record: REQ-001
record_hash: {REQ_HASH}
meaning: approval
signer: {signer}
printed_name: {name}
signed: 2026-03-02T10:15:00+01:00
""")
    return path


def test_fingerprint_of_a_public_key_is_ssh_keygens(keys: dict[str, Path]) -> None:
    from generator.gitio.signatures import ssh_fingerprint

    for key in keys.values():
        assert ssh_fingerprint(key.with_suffix(".pub").read_text()) == fingerprint(key)
    assert ssh_fingerprint("ssh-ed25519 not-base64!") is None


def test_approval_signed_with_the_signers_registered_key_is_valid(repo: Path, keys: dict[str, Path]) -> None:
    git(repo, "config", "user.signingkey", str(keys["priya"]))
    proc = approve(repo, "REQ-001", "--meaning", "approval", "--at", "2026-03-02T10:15:00+01:00")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "  commit signature: valid, signer's registered key"
    # git itself, given only Priya's key as allowed signer, calls the commit good.
    allowed = repo.parent / "allowed"
    allowed.write_text(f"USR-002 {keys['priya'].with_suffix('.pub').read_text()}")
    status = git(repo, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--format=%G?|%GK")
    assert status.strip() == f"G|{fingerprint(keys['priya'])}"
    assert integrity(repo) == []


def test_approval_signed_with_another_users_key_is_refused_by_validate(repo: Path, keys: dict[str, Path]) -> None:
    git(repo, "config", "user.signingkey", str(keys["ann"]))
    proc = approve(repo, "REQ-001", "--meaning", "approval", "--at", "2026-03-02T10:15:00+01:00")
    ann = fingerprint(keys["ann"])
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"qms: error: the approval is committed but its signature does not count: it is "
                                   f"signed with key {ann}, which USR-002's user record does not register "
                                   "(qms validate reports it)")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert integrity(repo) == [
        ("QMS608", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:1",
         f"commit {head[:10]} is signed with key {ann}, not USR-002's (registered to USR-001)"),
    ]


def test_approval_signed_with_an_unregistered_key_is_invalid(repo: Path, keys: dict[str, Path]) -> None:
    hand_written_approval(repo)
    git(repo, "add", "-A")
    git(repo, "-c", "gpg.format=ssh", "-c", f"user.signingkey={keys['rogue']}", "commit", "-q", "-S", "-m", "Approve")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert integrity(repo) == [
        ("QMS608", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:1",
         f"commit {head[:10]} is signed with key {fingerprint(keys['rogue'])}, not USR-002's "
         "(registered on no user record)"),
    ]


def test_unsigned_or_uncommitted_approval_where_signatures_are_required(repo: Path) -> None:
    # No signing key configured: git cannot sign, so nothing is written or committed.
    head = git(repo, "rev-parse", "HEAD")
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 2
    assert proc.stderr.startswith("qms: error: git commit failed: ")
    assert proc.stderr.strip().endswith("; records/approvals/APR-REQ-001-1.yaml was removed, REQ-001 was not signed")
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""

    hand_written_approval(repo)
    assert integrity(repo) == [
        ("QMS607", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:1",
         "APR-REQ-001-1 is not committed: no commit in the history adds this file"),
    ]
    head = commit_all(repo, PRIYA, "Approve REQ-001")
    assert integrity(repo) == [
        ("QMS607", "APR-REQ-001-1", "records/approvals/APR-REQ-001-1.yaml:1",
         f"APR-REQ-001-1 was added by commit {head[:10]}, which is not signed"),
    ]
    # Without the requirement, an unsigned approval commit is no finding.
    (repo / "qms.yaml").write_text(QMS_SIGNED.replace("true", "false"))
    assert integrity(repo) == []
