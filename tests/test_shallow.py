"""A shallow, grafted or replaced git history is named (QMS610), never taken for the whole story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from support import clean_git_config, git, make_repo, run_qms  # noqa: F401  (clean_git_config: autouse)

REQ = "id: REQ-0001\ntitle: Stop\nstatus: draft\nowner: USR-001\nstatement: The pump shall stop{}.\n"
USER = ("id: USR-001\ntitle: Quality engineer\nstatus: active\nname: Ann Smith\nemail: ann@example.com\n"
        "git_identities: [bob@example.com]\n")
CUT = ("shallow clone: the history is cut at 1 commit(s), e.g. {}; earlier changes, their authors and dates are not "
       "in this repository (the oldest commit present seems to create every record)")


def _commit(repo: Path, who: str, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "-c", f"user.name={who}", "-c", f"user.email={who.lower()}@example.com", "commit", "-q",
        "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def full(tmp_path: Path) -> Path:
    """Three commits: Ann creates REQ-0001, Bob changes it, Ann changes it again."""
    repo = make_repo(tmp_path / "full", {"records/requirements/REQ-0001.yaml": REQ.format(""),
                                         "records/people/USR-001.yaml": USER})
    (repo / ".gitignore").write_text("/output/\n.qms-cache/\n")
    git(repo, "init", "-q")
    _commit(repo, "Ann", "create REQ-0001")
    (repo / "records/requirements/REQ-0001.yaml").write_text(REQ.format(" at once"))
    _commit(repo, "Bob", "sharpen REQ-0001")
    (repo / "records/requirements/REQ-0001.yaml").write_text(REQ.format(" within 1 s"))
    _commit(repo, "Ann", "time limit")
    return repo


def _shallow(full: Path) -> tuple[Path, str]:
    clone = full.parent / "shallow"
    git(full.parent, "clone", "-q", "--depth", "1", f"file://{full}", str(clone))
    return clone, git(clone, "rev-parse", "HEAD")


def _json(repo: Path, *args: str) -> dict:
    proc = run_qms("--repo", str(repo), *args, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_full_history_is_complete(full):
    out = _json(full, "history", "REQ-0001")
    assert (out["history_complete"], out["history_gaps"], len(out["changes"])) == (True, [], 3)
    assert out["changes"][0]["action"] == "created" and out["changes"][0]["author"] == "Ann"
    assert _json(full, "audit-trail")["history_complete"] is True
    text = run_qms("--repo", str(full), "history", "REQ-0001").stdout
    assert text.startswith("History of REQ-0001: 3 change(s)")
    assert [f["code"] for f in _json(full, "validate")["findings"]] == []


def test_history_in_a_shallow_clone_warns_at_the_top(full):
    clone, head = _shallow(full)
    gap = ".git/shallow: " + CUT.format(head[:10])
    proc = run_qms("--repo", str(clone), "history", "REQ-0001")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == [
        f"warning: history incomplete: {gap}",
        "warning: the first change shown may not be the record's creation; use a full clone (git fetch --unshallow)",
        ""]
    out = _json(clone, "history", "REQ-0001")
    # The one change git still has looks like the creation, by the last author: exactly what is warned of.
    assert (out["history_complete"], out["history_gaps"]) == (False, [gap])
    assert [(c["action"], c["author"]) for c in out["changes"]] == [("created", "Ann")]

    trail = _json(clone, "audit-trail")
    assert (trail["history_complete"], trail["history_gaps"]) == (False, [gap])
    proc = run_qms("--repo", str(clone), "audit-trail", "--out", str(clone.parent / "trail.xlsx"))
    assert proc.returncode == 0 and proc.stdout.startswith(f"warning: history incomplete: {gap}\n")
    wb = load_workbook(clone.parent / "trail.xlsx")
    assert wb.sheetnames == ["Scope", "Audit trail"]  # it opens on the sheet that says so
    assert wb["Scope"]["A2"].value == "History complete"
    assert wb["Scope"]["B2"].value == "HISTORY INCOMPLETE: " + CUT.format(head[:10])


def test_validate_warns_and_a_release_build_refuses(full):
    clone, head = _shallow(full)
    proc = run_qms("--repo", str(clone), "validate", "--format", "json")
    out = json.loads(proc.stdout)
    assert proc.returncode == 0
    assert [(f["code"], f["severity"], f["location"], f["message"]) for f in out["findings"]] == [
        ("QMS610", "warning", ".git/shallow", CUT.format(head[:10]))]

    proc = run_qms("--repo", str(clone), "build", "--release", "--out", str(clone.parent / "rel"), timeout=300)
    assert proc.returncode == 1
    assert f"release refused: .git/shallow: QMS610 {CUT.format(head[:10])}\n" in proc.stderr
    assert not (clone.parent / "rel").exists()

    proc = run_qms("--repo", str(clone), "build", "--out", str(clone.parent / "dossier"), timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    dossier = clone.parent / "dossier"
    findings = json.loads((dossier / "findings.json").read_text())["findings"]
    assert [(f["code"], f["location"]) for f in findings] == [("QMS610", ".git/shallow")]
    assert load_workbook(dossier / "audit_trail.xlsx").sheetnames == ["Scope", "Audit trail"]
    # Revisions are approvals; the git commits behind them are a reference under the revision table, and in
    # every document that reference says the history is incomplete.
    docs = sorted(dossier.rglob("*.docx"))
    assert docs
    for path in docs:
        texts = [p.text for p in Document(path).paragraphs]
        assert any("HISTORY INCOMPLETE: shallow clone" in t for t in texts), path


def test_grafts_and_replace_refs_are_named(full):
    second = git(full, "rev-parse", "HEAD~1")
    grafts = full / ".git" / "info" / "grafts"
    grafts.parent.mkdir(exist_ok=True)
    grafts.write_text(second + "\n")  # the second commit now seems to have no parent
    out = _json(full, "validate")
    assert [(f["code"], f["location"], f["message"]) for f in out["findings"]] == [
        ("QMS610", ".git/info/grafts", "grafted history: 1 commit(s) have their parents rewritten")]
    grafts.unlink()
    git(full, "replace", "--graft", second)
    out = _json(full, "history", "REQ-0001")
    assert out["history_complete"] is False
    assert out["history_gaps"] == [f".git/refs/replace: replaced history: 1 object(s) are shown in place of others "
                                   f"({second[:10]})"]
