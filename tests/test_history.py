"""The audit trail from git: field-level record history across renames, rows and deletions (issue 8)."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from support import make_repo, run_qms

from generator.findings import QmsError
from generator.gitio.history import audit_trail, record_history
from generator.gitio.log import HISTORY_ROOTS, iter_commits
from generator.load.repo import RECORD_ROOTS

ANN = ("Ann Smith", "ann@example.com")
BOB = ("Bob Jones", "bob@example.com")
CHEN = ("Chén Wei", "chen@example.com")

REQ = """\
id: REQ-0001
title: Flow accuracy
status: draft
owner: USR-001
derived_from: [UN-001]
text: The pump shall deliver within 5 % of the set rate.
"""

CAPA = """\
id: CAPA-2026-001
title: Fingers not seated
status: open
owner: USR-001
actions:
  - type: correction
    description: Rework the three units
    owner: USR-001
    status: open
  - type: corrective
    description: Replace the fixture
    owner: USR-001
    status: open
"""


def git(repo: Path, *args: str, who: tuple[str, str] = ANN, when: str = "2026-01-05T10:00:00+01:00") -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME=who[0], GIT_AUTHOR_EMAIL=who[1], GIT_AUTHOR_DATE=when,
               GIT_COMMITTER_NAME=who[0], GIT_COMMITTER_EMAIL=who[1], GIT_COMMITTER_DATE=when)
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return proc.stdout.strip()


def commit(repo: Path, message: str, who: tuple[str, str], when: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, who=who, when=when)
    return git(repo, "rev-parse", "HEAD")


def write(repo: Path, rel: str, text: str | bytes) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)


def lots_workbook(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lots"
    ws.append(["ID", "Lot type", "Material", "Status", "Quantity"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Five commits by three people: create, edit, move+edit, nested edit, workbook row change, deletion."""
    root = make_repo(tmp_path_factory.mktemp("hist") / "repo", {
        "specs/requirements/REQ-0001.yaml": REQ,
        "records/events/capa/CAPA-2026-001.yaml": CAPA,
        "records/production/lots.xlsx": lots_workbook([["LOT-A1", "finished", "MAT-001", "planned", 10],
                                                       ["LOT-B2", "finished", "MAT-001", "planned", 20]]),
    })
    git(root, "init", "-q", "-b", "main")
    shas = {"first": commit(root, "Start the quality records", ANN, "2026-01-05T10:00:00+01:00")}
    write(root, "specs/requirements/REQ-0001.yaml", REQ.replace("title: Flow accuracy", "title: Flow accuracy ±5 %")
          .replace("status: draft", "status: in_review").replace("[UN-001]", "[UN-001, UN-002]"))
    shas["edit"] = commit(root, "Tighten REQ-0001\n\nAfter design review DR-3.", BOB, "2026-01-06T09:30:00-05:00")
    (root / "specs/archive").mkdir()
    git(root, "mv", "specs/requirements/REQ-0001.yaml", "specs/archive/REQ-0001.yaml")
    text = (root / "specs/archive/REQ-0001.yaml").read_text()
    write(root, "specs/archive/REQ-0001.yaml", text.replace("owner: USR-001", "owner: USR-002")
          + "# moved when the flow requirements were split\n")
    shas["move"] = commit(root, "Archive REQ-0001", CHEN, "2026-01-07T08:00:00+08:00")
    write(root, "records/events/capa/CAPA-2026-001.yaml", CAPA.replace(
        "description: Replace the fixture\n    owner: USR-001\n    status: open",
        "description: Replace the fixture\n    owner: USR-001\n    status: done"))
    write(root, "records/production/lots.xlsx", lots_workbook([["LOT-A1", "finished", "MAT-001", "planned", 10],
                                                              ["LOT-B2", "finished", "MAT-001", "released", 18]]))
    shas["rows"] = commit(root, "Close CAPA action 2; release LOT-B2", ANN, "2026-01-08T12:00:00+01:00")
    git(root, "rm", "-q", "records/events/capa/CAPA-2026-001.yaml")
    shas["delete"] = commit(root, "Remove CAPA-2026-001: entered in error", BOB, "2026-01-09T10:00:00-05:00")
    return {"root": root, **shas}


def history_json(root: Path, record_id: str) -> dict:
    proc = run_qms("--repo", str(root), "history", record_id, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def fields(change: dict) -> list[tuple[str, object, object]]:
    return [(f["field"], f["old"], f["new"]) for f in change["fields"]]


def test_history_follows_a_rename_with_field_level_changes(repo: dict) -> None:
    out = history_json(repo["root"], "REQ-0001")
    assert out["record"] == "REQ-0001" and out["kind"] == "requirement"
    created, edited, moved = out["changes"]
    assert created["action"] == "created" and created["commit"] == repo["first"]
    assert created["path"] == "specs/requirements/REQ-0001.yaml" and created["old_path"] is None
    assert fields(created) == [("id", None, "REQ-0001"), ("title", None, "Flow accuracy"), ("status", None, "draft"),
                               ("owner", None, "USR-001"), ("derived_from[0]", None, "UN-001"),
                               ("text", None, "The pump shall deliver within 5 % of the set rate.")]
    assert (edited["action"], edited["commit"], edited["author"], edited["email"], edited["date"]) == \
        ("changed", repo["edit"], "Bob Jones", "bob@example.com", "2026-01-06T09:30:00-05:00")
    assert edited["message"] == "Tighten REQ-0001\n\nAfter design review DR-3."
    assert fields(edited) == [("title", "Flow accuracy", "Flow accuracy ±5 %"), ("status", "draft", "in_review"),
                              ("derived_from[1]", None, "UN-002")]
    assert (moved["action"], moved["author"], moved["date"]) == ("renamed", "Chén Wei", "2026-01-07T08:00:00+08:00")
    assert (moved["old_path"], moved["path"]) == ("specs/requirements/REQ-0001.yaml", "specs/archive/REQ-0001.yaml")
    assert fields(moved) == [("owner", "USR-001", "USR-002")]  # the added comment is not a change


def test_history_text_shows_one_block_per_commit(repo: dict) -> None:
    proc = run_qms("--repo", str(repo["root"]), "history", "REQ-0001")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("History of REQ-0001: 3 change(s), oldest first\n")
    assert text.count("\ncommit ") == 3
    assert f"commit {repo['edit']}\n  2026-01-06T09:30:00-05:00  Bob Jones <bob@example.com>\n" \
           "  | Tighten REQ-0001\n  |\n  | After design review DR-3.\n  changed specs/requirements/REQ-0001.yaml\n" \
           '    title: "Flow accuracy" -> "Flow accuracy ±5 %"\n    status: "draft" -> "in_review"\n' \
           '    derived_from[1]: (none) -> "UN-002"\n' in text
    assert "  renamed specs/requirements/REQ-0001.yaml -> specs/archive/REQ-0001.yaml\n" \
           '    owner: "USR-001" -> "USR-002"' in text


def test_nested_list_item_change_and_deletion(repo: dict) -> None:
    changes = history_json(repo["root"], "CAPA-2026-001")["changes"]
    assert [c["action"] for c in changes] == ["created", "changed", "deleted"]
    assert fields(changes[1]) == [("actions[1].status", "open", "done")]
    deleted = changes[2]
    assert (deleted["commit"], deleted["path"], deleted["old_path"]) == \
        (repo["delete"], "records/events/capa/CAPA-2026-001.yaml", "records/events/capa/CAPA-2026-001.yaml")
    assert ("actions[0].description", "Rework the three units", None) in fields(deleted)
    assert all(new is None for _, _, new in fields(deleted)) and len(fields(deleted)) == 12


def test_excel_row_identified_by_its_id_column(repo: dict) -> None:
    changes = history_json(repo["root"], "LOT-B2")["changes"]
    assert [c["action"] for c in changes] == ["created", "changed"]
    row = changes[1]
    assert (row["kind"], row["path"], row["sheet"], row["commit"]) == \
        ("lot", "records/production/lots.xlsx", "Lots", repo["rows"])
    assert fields(row) == [("status", "planned", "released"), ("quantity", 20, 18)]
    untouched = history_json(repo["root"], "LOT-A1")["changes"]
    assert [c["action"] for c in untouched] == ["created"]  # the workbook changed, this row did not


def test_record_history_equals_the_full_trail(repo: dict) -> None:
    trail = audit_trail(repo["root"])
    for record_id in ("REQ-0001", "CAPA-2026-001", "LOT-A1", "LOT-B2", "USR-001"):
        assert record_history(repo["root"], record_id) == [c for c in trail.changes if c.record_id == record_id]
    assert trail.commits == 5 and trail.records == 5 and len(trail.changes) == 10


def test_audit_trail_json_keys_and_since(repo: dict) -> None:
    proc = run_qms("--repo", str(repo["root"]), "audit-trail", "--since", repo["move"], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"head", "since", "history_complete", "history_gaps", "summary", "changes"}
    assert (out["history_complete"], out["history_gaps"]) == (True, [])
    assert out["since"] == repo["move"] and out["head"] == repo["delete"]
    assert out["summary"] == {"commits": 2, "records": 2, "changes": 3, "field_changes": 15}
    assert [(c["commit"], c["record"], c["action"]) for c in out["changes"]] == [
        (repo["rows"], "CAPA-2026-001", "changed"), (repo["rows"], "LOT-B2", "changed"),
        (repo["delete"], "CAPA-2026-001", "deleted")]
    assert set(out["changes"][0]) == {"record", "kind", "action", "commit", "author", "email", "date", "message",
                                      "path", "sheet", "old_path", "old_sheet", "fields"}
    assert set(out["changes"][0]["fields"][0]) == {"field", "old", "new"}


def test_audit_trail_workbook_reads_back_and_is_deterministic(repo: dict, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "trail.xlsx", tmp_path / "b" / "trail.xlsx"
    for path in (first, second):
        proc = run_qms("--repo", str(repo["root"]), "audit-trail", "--out", str(path))
        assert proc.returncode == 0, proc.stderr
        assert f"wrote {path}" in proc.stdout
    assert first.read_bytes() == second.read_bytes()
    ws = load_workbook(first)["Audit trail"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["Date", "Commit", "Author", "Email", "User", "Printed name", "Record", "Kind", "Action",
                       "Field", "Old value", "New value", "Message"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:M{len(rows)}"
    assert ["2026-01-07T08:00:00+08:00", repo["move"], "Chén Wei", "chen@example.com", None, "maps to no user",
            "REQ-0001", "requirement", "renamed from specs/requirements/REQ-0001.yaml", "owner", "USR-001", "USR-002",
            "Archive REQ-0001"] in rows
    assert ["2026-01-08T12:00:00+01:00", repo["rows"], "Ann Smith", "ann@example.com", "USR-001", "Ann Smith",
            "LOT-B2", "lot", "changed", "quantity", 20, 18, "Close CAPA action 2; release LOT-B2"] in rows
    # a message's first line only: "Tighten REQ-0001\n\nAfter design review DR-3." reads "Tighten REQ-0001"
    assert {r[-1] for r in rows[1:] if r[6] == "REQ-0001" and r[8] == "changed"} == {"Tighten REQ-0001"}
    assert len(rows) == 1 + audit_trail(repo["root"]).field_changes


def test_unknown_id_and_ref_are_one_line_errors(repo: dict) -> None:
    for args, message in ((("history", "REQ-0099"), "no record REQ-0099 in the git history"),
                          (("history", "XYZ-001"), "'XYZ-001' is not a record ID"),
                          (("audit-trail", "--since", "v9.9"), "unknown git revision 'v9.9'"),
                          (("audit-trail", "--out", "trail.csv"), "give a .xlsx file name")):
        proc = run_qms("--repo", str(repo["root"]), *args)
        assert proc.returncode == 2, (args, proc.stdout)
        assert message in proc.stderr and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_no_git_history_is_a_clear_error(tmp_path: Path) -> None:
    plain = make_repo(tmp_path / "plain")
    proc = run_qms("--repo", str(plain), "history", "USR-001")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"qms: error: history needs git: {plain} is not in a git repository")
    empty = make_repo(tmp_path / "empty")
    git(empty, "init", "-q")
    proc = run_qms("--repo", str(empty), "audit-trail")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"qms: error: history needs git: the repository at {empty} has no commits yet"
    with pytest.raises(QmsError, match="has no commits yet"):
        list(iter_commits(empty))


def test_move_git_cannot_pair_is_still_one_history(tmp_path: Path) -> None:
    """A file rewritten as it moves defeats git's similarity test; the record's ID still joins the two."""
    root = make_repo(tmp_path / "r", {"specs/requirements/REQ-0002.yaml": REQ.replace("REQ-0001", "REQ-0002")})
    git(root, "init", "-q")
    commit(root, "Add REQ-0002", ANN, "2026-02-01T10:00:00+00:00")
    (root / "specs/requirements/REQ-0002.yaml").unlink()
    write(root, "specs/flow/REQ-0002.yaml", "id: REQ-0002\ntitle: Flow\nstatus: draft\nowner: USR-001\n"
          "derived_from:\n  - UN-001\n  - UN-003\ntext: Rewritten from scratch.\n")
    sha = commit(root, "Rewrite REQ-0002", BOB, "2026-02-02T10:00:00+00:00")
    changes = record_history(root, "REQ-0002")
    assert [(c.action, c.path, c.old_path) for c in changes] == [
        ("created", "specs/requirements/REQ-0002.yaml", None),
        ("renamed", "specs/flow/REQ-0002.yaml", "specs/requirements/REQ-0002.yaml")]
    assert changes[1].commit == sha
    assert [(f.field, f.old, f.new) for f in changes[1].fields] == [
        ("title", "Flow accuracy", "Flow"), ("derived_from[1]", None, "UN-003"),
        ("text", "The pump shall deliver within 5 % of the set rate.", "Rewritten from scratch.")]
    assert changes == [c for c in audit_trail(root).changes if c.record_id == "REQ-0002"]


def test_review_stamps_and_formatting_are_not_changes(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {"specs/requirements/REQ-0003.yaml": REQ.replace("REQ-0001", "REQ-0003")})
    git(root, "init", "-q")
    commit(root, "Add", ANN, "2026-02-01T10:00:00+00:00")
    write(root, "specs/requirements/REQ-0003.yaml", "# reviewed\nowner: USR-001\nid: REQ-0003\n"
          "title:   Flow accuracy\nstatus: draft\nderived_from: [{UN-001: 3f2a9c1b}]\n"
          "text: >-\n  The pump shall deliver\n  within 5 % of the set rate.\n")
    commit(root, "Stamp and reformat", BOB, "2026-02-02T10:00:00+00:00")
    assert [c.action for c in record_history(root, "REQ-0003")] == ["created"]
    assert audit_trail(root).commits == 1


def test_commit_stream_parses_names_messages_and_statuses(repo: dict) -> None:
    commits = list(iter_commits(repo["root"]))
    assert [c.sha for c in commits] == [repo[k] for k in ("first", "edit", "move", "rows", "delete")]
    move = commits[2]
    assert (move.author_name, move.author_email, move.author_date.isoformat()) == \
        ("Chén Wei", "chen@example.com", "2026-01-07T08:00:00+08:00")
    assert [(c.status, c.old_path, c.new_path) for c in move.changes] == \
        [("R", "specs/requirements/REQ-0001.yaml", "specs/archive/REQ-0001.yaml")]
    assert move.parents == (repo["edit"],) and move.signature is None
    assert commits[1].subject == "Tighten REQ-0001" and commits[1].message.endswith("DR-3.")
    assert {c.status for c in commits[0].changes} == {"A"} and len(commits[0].changes) == 4
    assert [c.status for c in commits[4].changes] == ["D"] and commits[4].changes[0].new_blob is None
    assert HISTORY_ROOTS == RECORD_ROOTS  # the log reads exactly the folders the loader reads
