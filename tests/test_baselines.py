"""`qms baseline create|list` and `qms diff`, in a real git repository with commits by several people.

History (dates fixed, so the coverage window is exact):

- 2026-01-10, Ann: users, REQ-001 (5 %), REQ-002, REQ-003, and CC-2025-004 (closed, naming REQ-003).
  Baseline 1.0.
- 2026-02-01, Priya: REQ-001 edited (5 % -> 4 %, and a rationale added), REQ-002's file moved into a
  sub-folder unchanged, REQ-003 deleted, REQ-004 added, and CC-2026-001 (approved 2026-01-20, before
  1.0 was taken but implemented after it) naming REQ-001 and REQ-004. Baseline 2.0.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import clean_git_config, make_repo  # noqa: F401 (autouse fixture)

ANN = ("Ann Smith", "ann@example.com")
PRIYA = ("Priya Nair", "priya@example.com")

USERS = {
    "records/people/USR-001.yaml": """\
        id: USR-001
        title: Ann Smith
        status: active
        name: Ann Smith
        email: ann@example.com
        """,
    "records/people/USR-002.yaml": """\
        id: USR-002
        title: Priya Nair
        status: active
        name: Priya Nair
        email: priya.nair@corp.example
        git_identities: [priya@example.com]
        """,
}
REQ_001 = """\
id: REQ-001
title: Flow accuracy
status: approved
statement: The pump shall deliver the set rate within 5 %.
"""
REQ_001_EDITED = """\
id: REQ-001
title: Flow accuracy
status: approved
statement: The pump shall deliver the set rate within 4 %.
rationale: Tightened after the 2025 complaint trend.
"""
REQ_002 = """\
# Occlusion alarm
id: REQ-002
title: Occlusion alarm
status: draft
statement: The pump shall alarm on a downstream occlusion within 30 s.
"""
REQ_003 = """\
id: REQ-003
title: Battery life
status: draft
statement: The pump shall run 4 h on battery.
"""
REQ_004 = """\
id: REQ-004
title: Free-flow protection
status: draft
statement: The pump shall prevent free flow when the door is opened.
"""
CC_CLOSED = """\
id: CC-2025-004
title: Battery supplier change
status: closed
reason: Second source for the battery pack.
affected: [REQ-003]
approved: 2025-11-03
"""
CC_NEW = """\
id: CC-2026-001
title: Tighter flow accuracy and free-flow protection
status: approved
reason: Complaint trend on flow accuracy.
affected: [REQ-001, REQ-004]
approved: 2026-01-20
"""


def git(repo: Path, *args: str, who: tuple[str, str] | None = None, when: str | None = None) -> str:
    ident = ["-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}"] if who else []
    env = dict(os.environ)
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    return subprocess.run(["git", *ident, *args], cwd=repo, check=True, capture_output=True, text=True,
                          env=env).stdout


def commit_all(repo: Path, who: tuple[str, str], when: str, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, who=who, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def qms(repo: Path, *args: str, when: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI; `when` fixes the date git gives a tag it creates."""
    env = dict(os.environ, **({"GIT_COMMITTER_DATE": when} if when else {}))
    proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), *args], capture_output=True,
                          text=True, env=env, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return first_commit(tmp_path / "qms")


def first_commit(where: Path) -> Path:
    root = make_repo(where, {**USERS, "specs/requirements/REQ-001.yaml": REQ_001,
                                        "specs/requirements/REQ-002.yaml": REQ_002,
                                        "specs/requirements/REQ-003.yaml": REQ_003,
                                        "records/events/change/CC-2025-004.yaml": CC_CLOSED})
    (root / ".gitignore").write_text("/output/\n.qms-cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", PRIYA[0])  # who creates the tags
    git(root, "config", "user.email", PRIYA[1])
    git(root, "config", "tag.gpgSign", "false")
    commit_all(root, ANN, "2026-01-10T09:00:00+01:00", "First requirements")
    return root


def second_commit(root: Path) -> str:
    (root / "specs/requirements/REQ-001.yaml").write_text(REQ_001_EDITED)
    (root / "specs/requirements/flow").mkdir()
    git(root, "mv", "specs/requirements/REQ-002.yaml", "specs/requirements/flow/REQ-002.yaml")
    git(root, "rm", "-q", "specs/requirements/REQ-003.yaml")
    (root / "specs/requirements/REQ-004.yaml").write_text(REQ_004)
    (root / "records/events/change/CC-2026-001.yaml").write_text(CC_NEW)
    return commit_all(root, PRIYA, "2026-02-01T10:00:00+01:00", "Flow accuracy 4 %, free-flow protection")


def tag_message(root: Path, name: str) -> str:
    """The tag's message as git stores it, read independently of the generator."""
    raw = git(root, "cat-file", "tag", f"baseline/{name}")
    return raw.split("\n\n", 1)[1]


def create(root: Path, name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return qms(root, "baseline", "create", name, "--as-of", "2026-03-01", *args, when="2026-03-01T12:00:00+01:00")


# --------------------------------------------------------------------------- baselines


def test_baseline_tag_records_the_manifest_hash(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    proc = create(repo, "1.0", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    manifest_sha = hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()
    out = json.loads(proc.stdout)
    assert (out["tag"], out["commit"], out["manifest_sha256"], out["reused"]) == \
        ("baseline/1.0", head, manifest_sha, False)
    assert git(repo, "cat-file", "-t", "baseline/1.0").strip() == "tag"  # annotated
    assert git(repo, "rev-parse", "baseline/1.0^{commit}").strip() == head
    message = tag_message(repo, "1.0")
    assert message.startswith("Baseline 1.0\n\n")
    assert f"\nCommit: {head}\n" in message
    assert f"\nManifest-SHA256: {manifest_sha}\n" in message
    assert "\nAs-of: 2026-03-01\n" in message
    manifest = json.loads((repo / "output/manifest.json").read_text())
    assert manifest["repository"] == {"commit": head, "dirty": False}


def test_baseline_reuses_a_verified_dossier_of_head(repo: Path) -> None:
    assert qms(repo, "build", "--as-of", "2026-03-01").returncode in (0, 1)
    manifest_sha = hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()
    out = json.loads(create(repo, "1.0", "--format", "json").stdout)
    assert (out["reused"], out["manifest_sha256"]) == (True, manifest_sha)
    assert f"\nManifest-SHA256: {manifest_sha}\n" in tag_message(repo, "1.0")


def test_baseline_rebuilds_a_dossier_that_was_tampered_with(repo: Path) -> None:
    assert qms(repo, "build", "--as-of", "2026-03-01").returncode in (0, 1)
    (repo / "output/findings.json").write_text("{}")
    out = json.loads(create(repo, "1.0", "--format", "json").stdout)
    assert out["reused"] is False
    assert out["manifest_sha256"] == hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()


def test_baseline_refuses_an_existing_name_and_never_moves_the_tag(repo: Path) -> None:
    assert create(repo, "1.0").returncode == 0
    before = git(repo, "rev-parse", "baseline/1.0").strip()
    second_commit(repo)
    proc = create(repo, "1.0")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("qms: error: baseline 1.0 exists already (tag baseline/1.0); a baseline is "
                                   "never moved: choose a new name")
    assert git(repo, "rev-parse", "baseline/1.0").strip() == before


def test_baseline_refuses_a_dirty_tree(repo: Path) -> None:
    (repo / "specs/requirements/REQ-001.yaml").write_text(REQ_001_EDITED)
    proc = create(repo, "1.0")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "qms: error: cannot baseline: working tree has uncommitted changes to 1 tracked file(s): "
        "specs/requirements/REQ-001.yaml; commit or revert them first")
    assert git(repo, "tag", "--list").strip() == ""
    assert not (repo / "output").exists()


def test_baseline_refuses_an_untracked_record_file(repo: Path) -> None:
    (repo / "specs/requirements/REQ-004.yaml").write_text(REQ_004)
    proc = create(repo, "1.0")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "qms: error: cannot baseline: working tree has 1 untracked file(s) among the records: "
        "specs/requirements/REQ-004.yaml; commit or remove them first")


def test_baseline_refuses_a_name_git_rejects(repo: Path) -> None:
    proc = create(repo, "bad..name")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("qms: error: 'bad..name' is not a baseline name: git does not accept "
                                   "refs/tags/baseline/bad..name")


def test_baseline_list(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD").strip()
    assert create(repo, "1.0").returncode == 0
    sha_1 = hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()
    second = second_commit(repo)
    proc = qms(repo, "baseline", "create", "2.0", "--as-of", "2026-03-01", when="2026-03-05T08:00:00+01:00")
    assert proc.returncode == 0, proc.stderr
    sha_2 = hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()
    assert sha_1 != sha_2
    listed = qms(repo, "baseline", "list")
    assert listed.stdout.splitlines() == [
        f"1.0\t{first[:12]}\t2026-03-01T12:00:00+01:00\t{sha_1}",
        f"2.0\t{second[:12]}\t2026-03-05T08:00:00+01:00\t{sha_2}",
    ]
    as_json = json.loads(qms(repo, "baseline", "list", "--format", "json").stdout)["baselines"]
    assert [(b["name"], b["commit"], b["manifest_sha256"], b["as_of"]) for b in as_json] == \
        [("1.0", first, sha_1, "2026-03-01"), ("2.0", second, sha_2, "2026-03-01")]


# --------------------------------------------------------------------------- diff


@pytest.fixture(scope="module")
def shared_baselines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Baselines 1.0 and 2.0 made once for the module (each `baseline create` builds a dossier): the diff tests
    read them; one that commits works in its own copy (`two_baselines_copy`)."""
    with pytest.MonkeyPatch.context() as mp:  # made before the autouse clean_git_config applies: the same settings
        empty = tmp_path_factory.mktemp("home") / "gitconfig"
        empty.write_text("")
        mp.setenv("GIT_CONFIG_GLOBAL", str(empty))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        root = first_commit(tmp_path_factory.mktemp("baselines") / "qms")
        assert create(root, "1.0").returncode == 0
        second_commit(root)
        assert create(root, "2.0").returncode == 0
    return root


@pytest.fixture
def two_baselines(shared_baselines: Path) -> Path:
    """The module's two baselines, to read (diff writes nothing into the repository but its caches)."""
    return shared_baselines


@pytest.fixture
def two_baselines_copy(shared_baselines: Path, tmp_path: Path) -> Path:
    """A private copy of the module's two baselines (history, tags and all), for a test that commits."""
    copy = tmp_path / "qms"
    shutil.copytree(shared_baselines, copy, symlinks=True)
    return copy


def fields(entry: dict) -> list[tuple[str, object, object]]:
    return [(f["field"], f["old"], f["new"]) for f in entry["fields"]]


def test_diff_lists_exactly_the_changed_records(two_baselines: Path) -> None:
    proc = qms(two_baselines, "diff", "1.0", "2.0", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["base"]["baseline"] == "baseline/1.0" and out["target"]["baseline"] == "baseline/2.0"
    assert out["target"]["commit"] == git(two_baselines, "rev-parse", "HEAD").strip()
    assert [(e["id"], e["kind"]) for e in out["added"]] == [("CC-2026-001", "change"), ("REQ-004", "requirement")]
    assert [(e["id"], e["kind"]) for e in out["removed"]] == [("REQ-003", "requirement")]
    assert [(e["id"], e["kind"]) for e in out["changed"]] == [("REQ-001", "requirement")]
    # The file move alone is not a change of content (REQ-002's comment line does not count either).
    assert out["moved"] == [{"id": "REQ-002", "kind": "requirement", "old_path": "specs/requirements/REQ-002.yaml",
                             "path": "specs/requirements/flow/REQ-002.yaml"}]
    changed = out["changed"][0]
    assert fields(changed) == [
        ("statement", "The pump shall deliver the set rate within 5 %.",
         "The pump shall deliver the set rate within 4 %."),
        ("rationale", None, "Tightened after the 2025 complaint trend."),
    ]
    assert fields(out["removed"][0]) == [("id", "REQ-003", None), ("title", "Battery life", None),
                                         ("status", "draft", None),
                                         ("statement", "The pump shall run 4 h on battery.", None)]
    added = {e["id"]: e for e in out["added"]}
    assert fields(added["REQ-004"])[0] == ("id", None, "REQ-004")
    assert out["summary"] == {"added": 2, "removed": 1, "changed": 1, "moved": 1, "uncovered": 2}


def test_diff_coverage_by_approved_change_control(two_baselines: Path) -> None:
    out = json.loads(qms(two_baselines, "diff", "1.0", "2.0", "--format", "json").stdout)
    cover = [{"id": "CC-2026-001", "status": "approved", "approved": "2026-01-20"}]
    by_id = {e["id"]: e for key in ("added", "removed", "changed") for e in out[key]}
    # Approved before baseline 1.0 was taken, but still open then: it covers the change implemented after it.
    assert (by_id["REQ-001"]["change_controls"], by_id["REQ-001"]["covered"]) == (cover, True)
    assert (by_id["REQ-004"]["change_controls"], by_id["REQ-004"]["covered"]) == (cover, True)
    # CC-2025-004 names REQ-003 but was closed at the base: it authorised nothing since.
    assert (by_id["REQ-003"]["change_controls"], by_id["REQ-003"]["covered"]) == ([], False)
    assert (by_id["CC-2026-001"]["change_controls"], by_id["CC-2026-001"]["covered"]) == ([], False)


def test_diff_change_control_approved_after_the_target_does_not_cover(two_baselines_copy: Path) -> None:
    two_baselines = two_baselines_copy
    path = two_baselines / "records/events/change/CC-2026-001.yaml"
    path.write_text(CC_NEW.replace("approved: 2026-01-20", "approved: 2026-03-15"))  # dated ahead of its commit
    head = commit_all(two_baselines, PRIYA, "2026-02-20T10:00:00+01:00", "Approval date as planned")
    out = json.loads(qms(two_baselines, "diff", "1.0", head, "--format", "json").stdout)
    assert out["target"]["baseline"] is None
    assert [(e["id"], e["covered"]) for e in out["changed"]] == [("REQ-001", False)]
    path.write_text(CC_NEW.replace("approved: 2026-01-20", "approved: 2026-02-20"))  # the target's own day counts
    head = commit_all(two_baselines, PRIYA, "2026-02-20T11:00:00+01:00", "Real approval date")
    out = json.loads(qms(two_baselines, "diff", "1.0", head, "--format", "json").stdout)
    assert [(e["id"], e["change_controls"]) for e in out["changed"]] == \
        [("REQ-001", [{"id": "CC-2026-001", "status": "approved", "approved": "2026-02-20"}])]


def test_diff_target_defaults_to_head(two_baselines: Path) -> None:
    out = json.loads(qms(two_baselines, "diff", "1.0", "--format", "json").stdout)
    assert (out["target"]["ref"], out["target"]["commit"]) == ("HEAD", git(two_baselines, "rev-parse", "HEAD").strip())
    assert [e["id"] for e in out["changed"]] == ["REQ-001"]
    same = json.loads(qms(two_baselines, "diff", "2.0", "--format", "json").stdout)
    assert (same["added"], same["removed"], same["changed"], same["moved"]) == ([], [], [], [])


def test_diff_text(two_baselines: Path) -> None:
    proc = qms(two_baselines, "diff", "1.0", "2.0")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"Records from baseline 1\.0 \([0-9a-f]{12}, 2026-01-10\) to baseline 2\.0 "
                        r"\([0-9a-f]{12}, 2026-02-01\): 2 added, 1 removed, 1 changed, 1 moved; 2 not covered "
                        r"by an approved change control", lines[0])
    assert lines[1:] == [
        "", "added:",
        "  CC-2026-001  change  records/events/change/CC-2026-001.yaml  NOT COVERED",
        "  REQ-004  requirement  specs/requirements/REQ-004.yaml  covered by CC-2026-001",
        "", "removed:",
        "  REQ-003  requirement  specs/requirements/REQ-003.yaml  NOT COVERED",
        "", "changed:",
        "  REQ-001  requirement  specs/requirements/REQ-001.yaml  covered by CC-2026-001",
        '    statement: "The pump shall deliver the set rate within 5 %." -> '
        '"The pump shall deliver the set rate within 4 %."',
        '    rationale: (none) -> "Tightened after the 2025 complaint trend."',
        "", "moved (content unchanged):",
        "  REQ-002  requirement  specs/requirements/REQ-002.yaml -> specs/requirements/flow/REQ-002.yaml",
    ]


def test_diff_unknown_baseline_or_revision(two_baselines: Path) -> None:
    proc = qms(two_baselines, "diff", "3.0")
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"qms: error: unknown baseline or git revision '3.0': no tag baseline/3.0 and "
                                   f"no commit by that name in {two_baselines}")
    assert qms(two_baselines, "diff", "1.0", "nope").returncode == 2


def test_diff_word_document(two_baselines: Path, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "diff.docx"
    proc = qms(two_baselines, "diff", "1.0", "2.0", "--out", str(out), "--as-of", "2026-03-01")
    assert proc.returncode == 0, proc.stderr
    first = out.read_bytes()
    assert qms(two_baselines, "diff", "1.0", "2.0", "--out", str(out), "--as-of", "2026-03-01").returncode == 0
    assert out.read_bytes() == first  # deterministic
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "TC-DIFF-001" in "\n".join(p.text for s in doc.sections for p in s.header.paragraphs) + text
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["REQ-001", "statement", "The pump shall deliver the set rate within 5 %.",
            "The pump shall deliver the set rate within 4 %."] in cells
    assert ["REQ-003", "requirement", "specs/requirements/REQ-003.yaml", "none", "NO"] in cells
    bad = qms(two_baselines, "diff", "1.0", "--out", str(tmp_path / "diff.txt"))
    assert bad.returncode == 2 and "FILE.docx" in bad.stderr


# --------------------------------------------------------------------------- baselines agree with --release


def release_reasons(root: Path) -> list[str]:
    """The reasons `qms build --release` gives for refusing the tree, one a line (nothing written)."""
    proc = qms(root, "build", "--release", "--as-of", "2026-03-01", "--out", str(root.parent / "release"))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    reasons = [line.removeprefix("release refused: ") for line in lines if line.startswith("release refused: ")]
    assert lines[-1] == f"qms build --release: {len(reasons)} reason(s) to refuse; nothing written"
    assert not (root.parent / "release").exists()
    return reasons


def test_a_baseline_is_releasable_only_when_release_would_pass(repo: Path) -> None:
    for n in range(10, 16):  # more approved requirements, none with an approval of its content
        (repo / f"specs/requirements/REQ-0{n}.yaml").write_text(REQ_001.replace("REQ-001", f"REQ-0{n}"))
    commit_all(repo, ANN, "2026-01-11T09:00:00+01:00", "More requirements")
    reasons = release_reasons(repo)
    assert len(reasons) == 8 and reasons[0].endswith("REQ-001 is approved without a signed approval or release")
    # the repository never registered its document numbers (qms numbers assign): a release needs them
    assert reasons[-1].startswith("document-numbers.yaml: 12 document(s) have no registered number: change:CC-2025-004 "
                                  "(TC-CCR-001), device:description (TC-DDS-001), ")
    proc = create(repo, "1.0", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["releasable"], out["refusals"][:len(reasons)]) == (False, reasons)
    message = tag_message(repo, "1.0")
    shown = "".join(f"- {r}\n" for r in out["refusals"][:5])
    more = f"- … and {len(out['refusals']) - 5} more (qms build --release lists them all)\n"
    assert message.endswith(f"\nReleasable: no — {len(out['refusals'])} reasons\n{shown}{more}")
    assert "Releasable: yes" not in message
    listed = json.loads(qms(repo, "baseline", "list", "--format", "json").stdout)["baselines"]
    assert [(b["name"], b["releasable"]) for b in listed] == [("1.0", "no")]
    text = create(repo, "1.1")  # the same tree, reusing the dossier: the same verdict
    assert text.returncode == 0 and text.stdout.rstrip().endswith(
        f"(reused dossier {repo}/output, NOT releasable: {len(out['refusals'])} reason(s), listed in the tag)")


def test_a_baseline_of_a_releasable_tree_says_yes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "qms", {"specs/requirements/REQ-001.yaml": REQ_001.replace("approved", "draft")})
    (root / ".gitignore").write_text("/output/\n.qms-cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", PRIYA[0])  # who creates the tag
    git(root, "config", "user.email", PRIYA[1])
    git(root, "config", "tag.gpgSign", "false")
    assert qms(root, "numbers", "assign").returncode == 0  # a release carries registered document numbers
    commit_all(root, ANN, "2026-01-10T09:00:00+01:00", "A draft requirement")
    proc = qms(root, "build", "--release", "--as-of", "2026-03-01", "--out", str(tmp_path / "release"))
    assert proc.returncode == 0, proc.stderr
    proc = qms(root, "baseline", "create", "1.0", "--as-of", "2026-03-01", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert (json.loads(proc.stdout)["releasable"], json.loads(proc.stdout)["refusals"]) == (True, [])
    assert tag_message(root, "1.0").endswith("\nReleasable: yes\n")


# --------------------------------------------------------------------------- qms verify --baseline


def test_verify_against_a_baseline(repo: Path) -> None:
    assert create(repo, "1.0").returncode == 0
    sealed = hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()
    proc = qms(repo, "verify", "--baseline", "1.0")
    count = len(json.loads((repo / "output/manifest.json").read_text())["files"])
    assert (proc.returncode, proc.stdout) == (0, f"manifest.json: matches baseline 1.0 (baseline/1.0, sha256 {sealed})\n"
                                                 f"{repo}/output: all {count} file(s) match the manifest\n")
    assert qms(repo, "verify", "--baseline", "baseline/1.0").returncode == 0

    # Edit a file and its hash in manifest.json: the manifest still agrees with the files ...
    findings = repo / "output/findings.json"
    findings.write_text('{"findings": []}\n')
    manifest = json.loads((repo / "output/manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == "findings.json":
            entry.update(sha256=hashlib.sha256(findings.read_bytes()).hexdigest(), size=findings.stat().st_size)
    (repo / "output/manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    assert qms(repo, "verify").returncode == 0
    # ... but not with the baseline.
    now = hashlib.sha256((repo / "output/manifest.json").read_bytes()).hexdigest()
    proc = qms(repo, "verify", "--baseline", "1.0")
    assert proc.returncode == 1
    assert proc.stdout == (f"manifest.json: differs from baseline 1.0: sha256 {now}, the tag baseline/1.0 recorded "
                           f"{sealed}\n{repo}/output: all {count} file(s) match the manifest\n"
                           f"{repo}/output: the manifest is not the one baseline 1.0 recorded\n")
    doc = json.loads(qms(repo, "verify", "--baseline", "1.0", "--format", "json").stdout)
    assert (doc["clean"], doc["baseline"]["matches"], doc["baseline"]["manifest_sha256"],
            doc["baseline"]["actual_sha256"]) == (False, False, sealed, now)


def test_verify_against_a_baseline_that_does_not_exist_or_records_nothing(repo: Path) -> None:
    assert create(repo, "1.0").returncode == 0
    proc = qms(repo, "verify", "--baseline", "2.0")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == f"qms: error: no baseline '2.0' (tag baseline/2.0) in {repo} (baselines: 1.0)\n"
    git(repo, "tag", "baseline/light")
    proc = qms(repo, "verify", "--baseline", "light")
    assert proc.returncode == 2
    assert proc.stderr == ("qms: error: baseline light is a lightweight tag: it records no manifest to verify "
                           "against\n")
