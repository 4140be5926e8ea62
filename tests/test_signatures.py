"""Signatures that prove who signed: two real users with real SSH keys (ssh-keygen), approvals verified by git
against the keys their user records register, attributed to their git identities, dated by the clock.

Each forgery is made the way a person at a keyboard would make it (a hand-written approval committed with
`git commit -S` under some identity and key); `qms validate` must name it and `qms build --release` must
refuse. The genuine approval, made with `qms approve` by the signer, passes both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from support import QMS_YAML, make_repo, run_qms, validate_json
from test_approvals import ANN, PRIYA, REQ, REQ_HASH, USERS, approve, commit_all, git, integrity

SIGNED_QMS = QMS_YAML  # signed approvals are the default: nothing to set


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


def with_keys(keys: dict[str, Path], **who: str) -> dict[str, str]:
    """USERS with each named user file registering the named key (user file -> key name)."""
    users = dict(USERS)
    for user_id, name in who.items():
        rel = f"records/people/{user_id}.yaml"
        public = keys[name].with_suffix(".pub").read_text().strip()
        users[rel] = USERS[rel].rstrip(" ") + f"        signing_keys:\n          - {public}\n"
    return users


@pytest.fixture
def repo(tmp_path: Path, keys: dict[str, Path]) -> Path:
    """Ann (USR-001) wrote the approved requirement; Priya (USR-002, QA) is at the keyboard with her own key.
    Both registered their keys; the rogue key belongs to nobody."""
    root = make_repo(tmp_path / "qms", {**with_keys(keys, **{"USR-001": "ann", "USR-002": "priya"}),
                                         "specs/requirements/REQ-001.yaml": REQ})
    (root / "qms.yaml").write_text(SIGNED_QMS)
    git(root, "init", "-q", "-b", "main")
    assert run_qms("--repo", str(root), "numbers", "assign").returncode == 0  # a release needs registered numbers
    commit_all(root, ANN, "Add flow accuracy requirement")
    for key, value in (("user.name", PRIYA[0]), ("user.email", PRIYA[1]), ("gpg.format", "ssh"),
                       ("user.signingkey", str(keys["priya"]))):
        git(root, "config", key, value)
    return root


def forge(repo: Path, *, who: tuple[str, str], key: Path | None, signed: str | None = None,
          signer: str = "USR-002", date: str | None = None) -> str:
    """A hand-written approval of REQ-001 in `signer`'s name, committed by `who` (signed with `key`, or unsigned),
    with commit date `date` (default now); returns the commit."""
    signed = signed or dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
    path = repo / "records/approvals/APR-REQ-001-1.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"id: APR-REQ-001-1\ntitle: Approval of REQ-001\nstatus: signed\nrecord: REQ-001\n"
                    f"record_hash: {REQ_HASH}\nmeaning: approval\nsigner: {signer}\nprinted_name: Priya Nair\n"
                    f"role: ROLE-QA\nsigned: {signed}\n")
    git(repo, "add", "-A")
    signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}"] if key else ["-c", "user.signingkey="]
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    subprocess.run(["git", "-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}", *signing, "commit", "-q",
                    *(["-S"] if key else []), "-m", "Approve REQ-001"], cwd=repo, check=True,
                   env={**os.environ, **env})
    return git(repo, "rev-parse", "HEAD").strip()


def release_reasons(repo: Path) -> list[str]:
    """The reasons `qms build --release` gives for refusing ([] when it builds)."""
    proc = run_qms("--repo", str(repo), "build", "--release", "--format", "json", "--out", str(repo / "out"),
                   timeout=180)
    assert "Traceback" not in proc.stderr, proc.stderr
    if proc.returncode == 1 and proc.stdout.startswith('{\n  "release": "refused"'):
        return json.loads(proc.stdout)["reasons"]
    assert (repo / "out/manifest.json").is_file(), proc.stderr
    return []


APR = "records/approvals/APR-REQ-001-1.yaml"


def test_fingerprint_of_a_public_key_is_ssh_keygens(keys: dict[str, Path]) -> None:
    from generator.gitio.signatures import ssh_fingerprint

    for key in keys.values():
        assert ssh_fingerprint(key.with_suffix(".pub").read_text()) == fingerprint(key)
    assert ssh_fingerprint("ssh-ed25519 not-base64!") is None


def test_the_genuine_approval_passes_validate_and_release(repo: Path, keys: dict[str, Path]) -> None:
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "  commit signature: valid, signer's registered key"
    # git itself, given only Priya's key as allowed signer, calls the commit good and names her key.
    allowed = repo.parent / "allowed"
    allowed.write_text(f"USR-002 {keys['priya'].with_suffix('.pub').read_text()}")
    status = git(repo, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--format=%G?|%GK|%ae")
    assert status.strip() == f"G|{fingerprint(keys['priya'])}|{PRIYA[1]}"
    assert integrity(repo) == []
    assert release_reasons(repo) == []


def test_a_signature_made_with_the_other_users_key_is_refused(repo: Path, keys: dict[str, Path]) -> None:
    # qms approve will not sign with a key that is not the caller's: nothing is written or committed.
    git(repo, "config", "user.signingkey", str(keys["ann"]))
    head = git(repo, "rev-parse", "HEAD")
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        f"qms: error: git would sign with key {fingerprint(keys['ann'])}, which is not USR-002's (it is registered "
        "to USR-001); sign with your own key, or register it on your user record with `qms keys add`"))
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""
    # Forged by hand with Ann's key under Priya's identity: validate names it, release refuses.
    head = forge(repo, who=PRIYA, key=keys["ann"])
    message = (f"commit {head[:10]} is signed with key {fingerprint(keys['ann'])}, not USR-002's "
               "(registered to USR-001)")
    assert integrity(repo) == [("QMS608", "APR-REQ-001-1", f"{APR}:1", message)]
    assert f"{APR}:1: QMS608 {message}" in release_reasons(repo)


def test_a_key_nobody_registered_is_refused(repo: Path, keys: dict[str, Path]) -> None:
    head = forge(repo, who=PRIYA, key=keys["rogue"])
    message = (f"commit {head[:10]} is signed with key {fingerprint(keys['rogue'])}, not USR-002's "
               "(registered on no user record)")
    assert integrity(repo) == [("QMS608", "APR-REQ-001-1", f"{APR}:1", message)]


def test_an_approval_committed_by_another_identity_is_refused(repo: Path, keys: dict[str, Path]) -> None:
    # qms approve signs only as the caller: Ann naming Priya is refused before anything is written.
    git(repo, "config", "user.email", ANN[1])
    git(repo, "config", "user.signingkey", str(keys["ann"]))
    proc = approve(repo, "REQ-001", "--meaning", "approval", "--as", "USR-002")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        "qms: error: --as USR-002: you are USR-001 (Ann Smith, git user.email ann@example.com); a signature is the "
        "signer's own act, so USR-002 approves under their own git identity and key"))
    assert not (repo / "records/approvals").exists()
    # Ann commits an approval in Priya's name with Priya's key (copied from her machine): the key is right, the
    # person is not.
    head = forge(repo, who=ANN, key=keys["priya"])
    message = (f"APR-REQ-001-1 signs as USR-002 but commit {head[:10]} that added it was made by ann@example.com "
               "(an identity of USR-001)")
    assert integrity(repo) == [("QMS611", "APR-REQ-001-1", f"{APR}:7", message)]
    assert f"{APR}:7: QMS611 {message}" in release_reasons(repo)


def test_an_approval_dated_in_the_future_or_away_from_its_commit_is_refused(repo: Path, keys: dict[str, Path]) -> None:
    # The year 9999 is no date a record may hold at all (schema, QMS113); two days ahead is a date, but not now.
    forge(repo, who=PRIYA, key=keys["priya"], signed="9999-12-31T23:59:59-23:59")
    _, out = validate_json(repo)
    assert [(f["code"], f["location"]) for f in out["findings"] if f["location"].startswith(APR)] == [
        ("QMS113", f"{APR}:10")]
    git(repo, "rm", "-q", APR)
    git(repo, "commit", "-q", "-m", "Withdraw", "--no-gpg-sign")
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0).isoformat()
    forge(repo, who=PRIYA, key=keys["priya"], signed=ahead)
    message = f"APR-REQ-001-1 signed {ahead}, which is in the future"
    assert integrity(repo) == [("QMS612", "APR-REQ-001-1", f"{APR}:10", message)]
    assert f"{APR}:10: QMS612 {message}" in release_reasons(repo)

    # Back-dated: signed a week before the commit that added it.
    git(repo, "rm", "-q", APR)
    git(repo, "commit", "-q", "-m", "Withdraw", "--no-gpg-sign")
    head = forge(repo, who=PRIYA, key=keys["priya"], signed="2026-03-02T10:15:00+01:00",
                 date="2026-03-09T10:15:00+01:00")
    assert integrity(repo) == [("QMS612", "APR-REQ-001-1", f"{APR}:10",
                                f"APR-REQ-001-1 signed 2026-03-02T10:15:00+01:00 but its commit {head[:10]} was made "
                                "2026-03-09T10:15:00+01:00")]


def test_a_signature_made_after_the_as_of_date_is_a_warning(repo: Path, keys: dict[str, Path]) -> None:
    # Signed and committed at 12:00 UTC on 3 March: the 2nd is then over everywhere (midnight at UTC-12), so a
    # check as of the 2nd warns; a second earlier it is still the 2nd somewhere, and the check as of the 3rd is
    # the day it was made.
    def as_of(day: str) -> list[tuple[str, str | None, str, str]]:
        _, out = validate_json(repo, "--as-of", day)
        return [(f["code"], f["record"], f["location"], f["message"]) for f in out["findings"]
                if f["code"] == "QMS613"]

    forge(repo, who=PRIYA, key=keys["priya"], signed="2026-03-03T12:00:00+00:00", date="2026-03-03T12:00:00+00:00")
    assert as_of("2026-03-02") == [("QMS613", "APR-REQ-001-1", f"{APR}:10",
                                    "APR-REQ-001-1 was signed 2026-03-03T12:00:00+00:00, after the as-of date "
                                    "2026-03-02: documents as of 2026-03-02 would show a signature not yet made")]
    assert as_of("2026-03-03") == []
    _, out = validate_json(repo, "--as-of", "2026-03-02")
    assert {f["severity"] for f in out["findings"] if f["code"] == "QMS613"} == {"warning"}
    git(repo, "rm", "-q", APR)
    git(repo, "commit", "-q", "-m", "Withdraw", "--no-gpg-sign")
    # 10:00 on the 3rd in Sydney (+11:00) is 23:00 UTC on the 2nd: the same day as the as-of date in London.
    forge(repo, who=PRIYA, key=keys["priya"], signed="2026-03-03T10:00:00+11:00", date="2026-03-03T10:00:00+11:00")
    assert as_of("2026-03-02") == []
    git(repo, "rm", "-q", APR)
    git(repo, "commit", "-q", "-m", "Withdraw", "--no-gpg-sign")
    forge(repo, who=PRIYA, key=keys["priya"], signed="2026-03-03T11:59:59+00:00", date="2026-03-03T11:59:59+00:00")
    assert as_of("2026-03-02") == []


def test_an_unsigned_approval_is_refused(repo: Path) -> None:
    git(repo, "config", "--unset", "user.signingkey")
    head = git(repo, "rev-parse", "HEAD")
    proc = approve(repo, "REQ-001", "--meaning", "approval")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        "qms: error: git has no signing key (user.signingkey) and qms.yaml requires signed approvals: register "
        "yours with `qms keys add ~/.ssh/id_ed25519.pub`, which also configures git to sign with it"))
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""

    forge(repo, who=PRIYA, key=None)
    head = git(repo, "rev-parse", "HEAD").strip()
    message = f"APR-REQ-001-1 was added by commit {head[:10]}, which is not signed"
    assert integrity(repo) == [("QMS607", "APR-REQ-001-1", f"{APR}:1", message)]
    assert f"{APR}:1: QMS607 {message}" in release_reasons(repo)
    # A repository that opts out of signed approvals reports nothing, and can never be released.
    (repo / "qms.yaml").write_text(QMS_YAML + "signatures: {require_signed_commits: false}\n")
    commit_all(repo, ANN, "Opt out of signatures")
    assert integrity(repo) == []
    assert release_reasons(repo) == [
        "qms.yaml: signatures.require_signed_commits is false, so no approval is shown to be its signer's own act; a "
        "release needs signed approvals (remove the setting, register keys with `qms keys add` and approve with "
        "`qms approve`)"]


def test_several_records_are_signed_in_one_commit(repo: Path) -> None:
    (repo / "specs/requirements/REQ-002.yaml").write_text(REQ.replace("REQ-001", "REQ-002"))
    commit_all(repo, ANN, "Add REQ-002")
    # Several records are confirmed first: without a terminal to ask on and without --yes, nothing is signed.
    proc = approve(repo, "REQ-001", "REQ-002", "--meaning", "approval", "--format", "json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines()[-1] == ("qms: error: 2 records would be signed and there is no terminal to "
                                            "confirm on: run it again with --yes; nothing was signed")
    assert git(repo, "status", "--porcelain") == "" and not (repo / "records/approvals").exists()
    proc = approve(repo, "REQ-001", "REQ-002", "--meaning", "approval", "--format", "json", "--yes")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [a["approval"] for a in out["approvals"]] == ["APR-REQ-001-1", "APR-REQ-002-1"]
    assert out["commit_signature"] == "valid"
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").strip().split("\n") == [
        "Approve 2 records (approval) as USR-002", "", "records/approvals/APR-REQ-001-1.yaml",
        "records/approvals/APR-REQ-002-1.yaml"]
    assert integrity(repo) == []
    # One record that may not be signed stops them all.
    proc = approve(repo, "REQ-001", "REQ-404", "--meaning", "review", "--yes")
    assert proc.returncode == 2 and "no record REQ-404" in proc.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_keys_add_registers_the_callers_own_key_and_proves_it(tmp_path: Path, keys: dict[str, Path]) -> None:
    root = make_repo(tmp_path / "qms", {**with_keys(keys, **{"USR-001": "ann"}), "specs/requirements/REQ-001.yaml": REQ})
    git(root, "init", "-q", "-b", "main")
    commit_all(root, ANN, "Start")
    git(root, "config", "user.name", PRIYA[0])
    git(root, "config", "user.email", PRIYA[1])
    # Ann's key is Ann's: Priya cannot register it.
    proc = run_qms("--repo", str(root), "keys", "add", str(keys["ann"].with_suffix(".pub")))
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        f"qms: error: key {fingerprint(keys['ann'])} is already registered to USR-001; each person signs with a key "
        "of their own"))
    proc = run_qms("--repo", str(root), "keys", "add", str(keys["priya"].with_suffix(".pub")))
    assert proc.returncode == 0, proc.stderr
    public = keys["priya"].with_suffix(".pub").read_text().strip()
    assert (root / "records/people/USR-002.yaml").read_text().endswith(f"signing_keys:\n- {public}\n")
    # Committed by Priya, signed with the key it registers; git here now signs with it.
    allowed = tmp_path / "allowed"
    allowed.write_text(f"USR-002 {public}\n")
    assert git(root, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--format=%G?|%ae|%s").strip() == \
        f"G|{PRIYA[1]}|Register signing key {fingerprint(keys['priya'])} for USR-002"
    assert git(root, "config", "user.signingkey").strip() == str(keys["priya"].resolve())
    assert approve(root, "REQ-001", "--meaning", "approval").returncode == 0
    assert integrity(root) == []
    listed = json.loads(run_qms("--repo", str(root), "keys", "list", "--format", "json").stdout)
    assert [(k["user"], k["fingerprint"]) for k in listed["keys"]] == [
        ("USR-001", fingerprint(keys["ann"])), ("USR-002", fingerprint(keys["priya"]))]
    assert listed["git_signs_with"] == fingerprint(keys["priya"])
    signers = run_qms("--repo", str(root), "keys", "allowed-signers").stdout.splitlines()
    assert sorted(line.split(" ", 1)[0] for line in signers) == ["USR-001", "USR-002"]


def test_a_new_repository_requires_signed_approvals_and_sets_them_up_in_three_commands(tmp_path: Path,
                                                                                      keys: dict[str, Path]) -> None:
    root = tmp_path / "new"
    # qms init makes the git repository and its first commit, by the person it registers as USR-001.
    assert run_qms("init", str(root), "--name", "Alex Example", "--email", "alex.example@example.com").returncode == 0
    assert "signatures:\n  require_signed_commits: true\n" in (root / "qms.yaml").read_text()
    assert git(root, "log", "--format=%an <%ae>").strip() == "Alex Example <alex.example@example.com>"
    # Without a registered key, approving is refused; `qms keys add` registers it and configures git.
    assert approve(root, "REQ-0001", "--meaning", "review").returncode == 2
    assert run_qms("--repo", str(root), "keys", "add", str(keys["ann"].with_suffix(".pub"))).returncode == 0
    proc = approve(root, "REQ-0001", "--meaning", "review")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "  commit signature: valid, signer's registered key"
    assert integrity(root) == []


# --------------------------------------------------------------------------- bulk approval (issue 21)


def _three_approved_requirements(repo: Path) -> dict[str, str]:
    """REQ-001 (the fixture's), REQ-002 and REQ-003 approved, REQ-004 a draft; their content hashes by hand."""
    hashes = {"REQ-001": REQ_HASH}
    for rid, status in (("REQ-002", "approved"), ("REQ-003", "approved"), ("REQ-004", "draft")):
        (repo / f"specs/requirements/{rid}.yaml").write_text(REQ.replace("REQ-001", rid).replace("approved", status))
        canonical = ('{"id":"' + rid + '","statement":"The pump shall deliver the set rate within 5 %.",'
                     '"title":"Flow accuracy"}')
        hashes[rid] = hashlib.sha256(canonical.encode()).hexdigest()
    commit_all(repo, ANN, "Add three more requirements")
    return hashes


def test_bulk_approval_signs_a_kind_in_a_status_in_one_signed_commit(repo: Path, keys: dict[str, Path]) -> None:
    hashes = _three_approved_requirements(repo)
    before = git(repo, "rev-parse", "HEAD").strip()
    proc = approve(repo, "--kind", "REQ", "--status", "approved", "--meaning", "approval", "--yes",
                   "--comment", "Design review DR-3", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    # What it signs is listed first (on stderr; stdout holds the JSON result).
    assert proc.stderr.splitlines()[0] == "USR-002 (Priya Nair) will sign the approval of 3 records, in one commit:"
    assert [line.split()[0] for line in proc.stderr.splitlines()[1:]] == ["REQ-001", "REQ-002", "REQ-003"]
    out = json.loads(proc.stdout)
    assert out["commit_signature"] == "valid"
    assert [(a["approval"], a["record"], a["record_hash"]) for a in out["approvals"]] == [
        (f"APR-{rid}-1", rid, hashes[rid]) for rid in ("REQ-001", "REQ-002", "REQ-003")]
    # ONE new commit, holding exactly the three approval files, each naming its record's content hash.
    assert git(repo, "rev-list", f"{before}..HEAD").split() == [out["commit"]]
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").strip().split("\n") == [
        "Approve 3 records (approval) as USR-002", "", "records/approvals/APR-REQ-001-1.yaml",
        "records/approvals/APR-REQ-002-1.yaml", "records/approvals/APR-REQ-003-1.yaml"]
    for rid in ("REQ-001", "REQ-002", "REQ-003"):
        text = (repo / f"records/approvals/APR-{rid}-1.yaml").read_text()
        assert f"\nrecord: {rid}\nrecord_hash: {hashes[rid]}\nmeaning: approval\nsigner: USR-002\n" in text
        assert 'comment: "Design review DR-3"' in text or "comment: Design review DR-3" in text
    assert not (repo / "records/approvals/APR-REQ-004-1.yaml").exists()  # the draft was not selected
    # git, given only Priya's key, calls the commit good and signed by her key; qms finds every signature valid.
    allowed = repo.parent / "allowed"
    allowed.write_text(f"USR-002 {keys['priya'].with_suffix('.pub').read_text()}")
    status = git(repo, "-c", f"gpg.ssh.allowedSignersFile={allowed}", "log", "-1", "--format=%G?|%GK|%ae")
    assert status.strip() == f"G|{fingerprint(keys['priya'])}|{PRIYA[1]}"
    assert integrity(repo) == []
    # Run again: each record's current content already carries Priya's approval, so nothing is signed.
    again = approve(repo, "--kind", "requirement", "--status", "approved", "--meaning", "approval", "--yes")
    assert (again.returncode, again.stdout) == (0, "nothing to sign: no requirement record in status approved "
                                                   "lacks your approval of its current content\n")
    assert git(repo, "rev-parse", "HEAD").strip() == out["commit"]


def test_bulk_approval_options_are_checked_before_anything_is_read(repo: Path) -> None:
    for args, message in (
        (("REQ-001", "--kind", "REQ", "--status", "approved"), "name the records to sign: IDs, or --kind KIND "
                                                                "--status S (not both)"),
        (("--kind", "REQ"), "name the records to sign: IDs, or --kind KIND --status S (not both)"),
        ((), "name the records to sign: IDs, or --kind KIND --status S (not both)"),
        (("--kind", "REQ", "--status", "aproved"), "--status aproved: not a requirement status (one of: draft, "
                                                   "in_review, approved, obsolete)"),
        (("--kind", "NOPE", "--status", "approved"), "--kind: 'NOPE' is not a record kind (use ID prefixes such "
                                                     "as REQ,HAZ or kind names such as requirement)"),
    ):
        proc = approve(repo, *args, "--meaning", "approval", "--yes")
        assert (proc.returncode, proc.stderr.strip()) == (2, f"qms: error: {message}"), args
    assert git(repo, "status", "--porcelain") == ""


def _on_a_terminal(repo: Path, answer: bytes, *args: str) -> tuple[int, str]:
    """`qms approve ARGS` with a pseudo-terminal as stdin and stderr, answering the prompt with `answer`."""
    import pty
    import select
    import sys

    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "--repo", str(repo), "approve", *args],
                            stdin=secondary, stderr=secondary, stdout=subprocess.PIPE)
    os.close(secondary)
    seen = b""
    try:
        while b"records? [y/N]" not in seen:
            ready, _, _ = select.select([primary], [], [], 60)
            assert ready, seen
            seen += os.read(primary, 4096)
        os.write(primary, answer)
        proc.wait(timeout=120)
        while select.select([primary], [], [], 0.5)[0]:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, seen.decode()


def test_bulk_approval_asks_on_a_terminal(repo: Path) -> None:
    _three_approved_requirements(repo)
    head = git(repo, "rev-parse", "HEAD").strip()
    code, screen = _on_a_terminal(repo, b"n\n", "REQ-002", "REQ-003", "--meaning", "approval")
    assert code == 2 and "REQ-002" in screen and "Sign these 2 records? [y/N]" in screen
    assert "not confirmed; nothing was signed" in screen
    assert git(repo, "rev-parse", "HEAD").strip() == head and git(repo, "status", "--porcelain") == ""
    code, screen = _on_a_terminal(repo, b"y\n", "REQ-002", "REQ-003", "--meaning", "approval")
    assert code == 0, screen
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").strip().split("\n") == [
        "Approve 2 records (approval) as USR-002", "", "records/approvals/APR-REQ-002-1.yaml",
        "records/approvals/APR-REQ-003-1.yaml"]
    assert integrity(repo) == []
