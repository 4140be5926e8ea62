"""The dossier folder belongs to `qms build` alone, and generated documents say when their source is not
committed (issue #15).

`qms capa report`, `qms protocol render` and `qms protocol run` write to their own folder (qms-work/,
git-ignored) and refuse an --out inside a dossier, so `qms verify` still passes after them and the next
build loses nothing. Every document and manifest generated from a work tree whose records differ from
HEAD (untracked files included) says so. Real git repositories, the real CLI.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import docx
import pytest
import yaml
from support import git, make_repo, run_qms

AS_OF = "2026-03-01"
# `qms protocol run` checks calibration on the true (UTC) day it runs: the balance stays in date a year ahead.
TODAY = dt.datetime.now(dt.UTC).date()
CAL_DUE = TODAY + dt.timedelta(days=365)

FILES = {
    "records/people/USR-002.yaml": """\
        id: USR-002
        title: Validation engineer
        status: active
        name: Bo Lind
        email: bo@example.com
        training:
          - subject: DOC-001
            date: 2026-01-10
        """,
    "records/documents/DOC-001.yaml": """\
        id: DOC-001
        title: Validation procedure
        status: effective
        owner: USR-001
        type: procedure
        """,
    "records/equipment/EQ-001.yaml": f"""\
        id: EQ-001
        title: Balance
        status: active
        owner: USR-001
        type: instrument
        calibration: {{last: 2026-01-05, due: {CAL_DUE}}}
        """,
    "protocols/PQ-001.yaml": """\
        id: PQ-001
        title: Small PQ
        status: approved
        owner: USR-001
        subject: process
        purpose: Show it works.
        prerequisites:
          instruments: [EQ-001]
          executors: [USR-002]
          training: [DOC-001]
        steps:
          - id: "1"
            feature: features/f.feature
            scenario: Values in range
        approved: 2026-02-01
        """,
    "features/f.feature": """\
        Feature: Checks on a sheet
          Scenario: Values in range
            Given the measurement file "protocols/data/m.csv"
            Then every value of "x" lies between 1 and 5
        """,
    "protocols/data/m.csv": "x\n1\n2.5\n5\n",
    "records/events/capa/CAPA-2026-001.yaml": """\
        id: CAPA-2026-001
        title: Worn fixture
        owner: USR-001
        sources: []
        status: open
        opened: 2026-02-01
        due: 2026-06-01
        """,
    ".gitignore": "/output/\n/qms-work/\n.qms-cache/\n.qms.lock\n",
}


def qms(repo: Path, *args: str) -> tuple[int, str, str]:
    proc = run_qms("--repo", str(repo), *args, timeout=180)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def committed_repo(base: Path) -> Path:
    repo = make_repo(base, FILES)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "records")
    return repo


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_repo(tmp_path / "repo")


def title_commit(path: Path) -> str:
    """The title page's "Generated from commit" value of a controlled Word document."""
    rows = {r.cells[0].text: r.cells[1].text for r in docx.Document(str(path)).tables[0].rows}
    return rows["Generated from commit"]


# ------------------------------------------------------------------------------- the dossier is build's alone

def test_commands_between_build_and_verify_leave_the_dossier_untouched(repo: Path) -> None:
    code, _, err = qms(repo, "build", "--as-of", AS_OF)
    assert code in (0, 1), err
    before = tree(repo / "output")

    assert qms(repo, "capa", "report", "CAPA-2026-001") == (0, f"wrote {repo}/qms-work/capa/CAPA-2026-001.docx\n", "")
    code, out, err = qms(repo, "protocol", "render", "PQ-001")
    assert (code, out) == (0, f"wrote {repo}/qms-work/protocols/PQ-001/PQ-001-protocol.docx\n"), err
    code, out, err = qms(repo, "protocol", "run", "PQ-001", "--executed-by", "USR-002")
    assert code == 0, out + err
    exe = f"EXE-{TODAY.year}-001"
    assert f"evidence: records/validation/executions/{exe}/evidence.json" in out
    assert sorted(tree(repo / "qms-work")) == ["capa/CAPA-2026-001.docx", "protocols/PQ-001/PQ-001-executed.docx",
                                               "protocols/PQ-001/PQ-001-protocol.docx"]

    code, out, _ = qms(repo, "verify")
    assert code == 0 and out == f"{repo}/output: all {len(before) - 1} file(s) match the manifest\n"
    assert tree(repo / "output") == before
    # qms-work/ is ignored; what is left to commit is the execution record and its evidence, nothing else.
    assert git(repo, "status", "--porcelain", "-uall").splitlines() == [
        f"?? records/validation/executions/{exe}.yaml", f"?? records/validation/executions/{exe}/evidence.json"]


def test_out_inside_a_dossier_is_refused_and_nothing_written(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "dossier"
    assert qms(repo, "build", "--as-of", AS_OF, "--out", str(elsewhere))[0] in (0, 1)
    before = tree(elsewhere)
    output = repo / "output"
    for args, target, folder in (
            (("capa", "report", "CAPA-2026-001"), elsewhere / "capa" / "C.docx", elsewhere),
            (("protocol", "render", "PQ-001"), output / "P.docx", output),  # output/ even before a build
            (("protocol", "run", "PQ-001", "--executed-by", "USR-002"), elsewhere / "run",
             elsewhere)):
        code, out, err = qms(repo, *args, "--out", str(target))
        assert code == 2, out + err
        assert err == (f"qms: error: --out {target} is inside the dossier folder {folder}, which only `qms build` "
                       f"writes; choose a folder outside it (the default is {repo}/qms-work)\n")
    assert tree(elsewhere) == before and not output.exists()
    assert not (repo / "records/events/nc").exists() and not (repo / "records/validation").exists()


def test_a_deviation_names_the_evidence_where_it_really_is(repo: Path, tmp_path: Path) -> None:
    """The evidence is the execution record's, wherever --out puts the executed document; a rerun that
    fails the same step adds to the open deviation rather than drafting another."""
    (repo / "protocols/data/m.csv").write_text("x\n1\n2.5\n7\n")  # one value out of 1..5: step 1 fails
    out = tmp_path / "documents"
    code, stdout, err = qms(repo, "protocol", "run", "PQ-001", "--executed-by", "USR-002", "--out", str(out))
    assert code == 1, stdout + err
    nc_id, exe = f"NC-{TODAY.year}-001", f"EXE-{TODAY.year}-001"
    assert f"drafted deviation {nc_id}" in stdout and (out / "PQ-001-executed.docx").is_file()
    nc = yaml.safe_load((repo / f"records/events/nc/{nc_id}.yaml").read_text())
    assert nc["description"].endswith(f"\nEvidence: records/validation/executions/{exe}/evidence.json")
    assert (repo / f"records/validation/executions/{exe}/evidence.json").is_file()

    code, stdout, _ = qms(repo, "protocol", "run", "PQ-001", "--executed-by", "USR-002")
    assert code == 1
    assert f"added to open deviation {nc_id}" in stdout
    assert sorted(p.name for p in (repo / "records/events/nc").iterdir()) == [f"{nc_id}.yaml"]


# ------------------------------------------------------------------------- documents say what is not committed

def manifest_repository(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())["repository"]


def test_a_clean_tree_is_its_commit(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    (repo / ".qms-cache").mkdir(exist_ok=True)
    (repo / ".qms-cache" / "stray.json").write_text("{}")  # caches and generated folders never count
    assert qms(repo, "build", "--as-of", AS_OF)[0] in (0, 1)
    assert manifest_repository(repo / "output") == {"commit": head, "dirty": False}
    assert qms(repo, "capa", "report", "CAPA-2026-001")[0] == 0
    assert title_commit(repo / "qms-work/capa/CAPA-2026-001.docx") == head
    assert qms(repo, "build", "--as-of", AS_OF)[0] in (0, 1)  # a second build: output/ and qms-work/ exist
    assert manifest_repository(repo / "output") == {"commit": head, "dirty": False}


def test_an_untracked_record_makes_every_document_and_the_manifest_say_so(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    capa = repo / "records/events/capa/CAPA-2026-002.yaml"
    capa.write_text((repo / "records/events/capa/CAPA-2026-001.yaml").read_text().replace("001", "002"))
    assert git(repo, "status", "--porcelain") == "?? records/events/capa/CAPA-2026-002.yaml"

    assert qms(repo, "capa", "report", "CAPA-2026-002")[0] == 0
    source = f"{head} plus uncommitted changes to 1 record file"
    assert title_commit(repo / "qms-work/capa/CAPA-2026-002.docx") == source
    closing = [p.text for p in docx.Document(str(repo / "qms-work/capa/CAPA-2026-002.docx")).paragraphs
               if p.text.startswith("Generated by QMS Generator")]
    assert closing == [f"Generated by QMS Generator from commit {source} of the quality repository, "
                       "drawing on 2 record(s)."]

    assert qms(repo, "build", "--as-of", AS_OF)[0] in (0, 1)
    assert manifest_repository(repo / "output") == {"commit": head, "dirty": True,
                                                    "changes": "uncommitted changes to 1 record file"}
    assert title_commit(repo / "output/07-post-market-surveillance/capa/CAPA-2026-002.docx") == source
    assert f"<code>{head}</code> plus uncommitted changes to 1 record file" in (repo / "output/index.html").read_text()

    # A changed tracked record and a changed file outside the records are counted apart.
    (repo / "protocols/data/m.csv").write_text("x\n1\n2\n")
    (repo / "qms.yaml").write_text((repo / "qms.yaml").read_text() + "# a comment\n")
    assert qms(repo, "protocol", "render", "PQ-001")[0] == 0
    assert title_commit(repo / "qms-work/protocols/PQ-001/PQ-001-protocol.docx") == \
        f"{head} plus uncommitted changes to 2 record files and 1 other file"


def test_staged_changes_count_and_a_commit_makes_the_tree_clean_again(repo: Path) -> None:
    (repo / "specs").mkdir()
    (repo / "specs/REQ-0001.yaml").write_text("id: REQ-0001\ntitle: Flow\nstatus: draft\nowner: USR-001\n")
    git(repo, "add", "-A")
    assert qms(repo, "protocol", "render", "PQ-001")[0] == 0
    head = git(repo, "rev-parse", "HEAD")
    path = repo / "qms-work/protocols/PQ-001/PQ-001-protocol.docx"
    assert title_commit(path) == f"{head} plus uncommitted changes to 1 record file"
    git(repo, "commit", "-q", "-m", "requirement")
    assert qms(repo, "protocol", "render", "PQ-001")[0] == 0
    assert title_commit(path) == git(repo, "rev-parse", "HEAD")


@pytest.mark.parametrize("args", [
    ("risk", "--out", "{d}/risk"), ("trace", "--out", "{d}/t.xlsx"), ("kpi", "--out", "{d}/kpi"),
    ("supplier", "scorecard", "--out", "{d}/s"), ("recall", "--lot", "LOT-1", "--out", "{d}/r"),
    ("audit-trail", "--out", "{d}/a.xlsx"), ("diff", "HEAD", "--out", "{d}/d.docx"),
    ("excel", "export", "--out", "{d}/x.xlsx"), ("export", "reqif", "--kinds", "REQ", "--out", "{d}/r.reqif"),
    ("schema", "--out", "{d}/schemas")])
def test_no_command_writes_into_the_dossier(repo: Path, args: tuple[str, ...]) -> None:
    dossier = repo / "output"
    target = args[-1].format(d=dossier)
    code, out, err = qms(repo, *args[:-1], target)
    assert (code, out) == (2, "")
    assert err == (f"qms: error: --out {target} is inside the dossier folder {dossier}, which only `qms build` "
                   f"writes; choose a folder outside it (the default is {repo}/qms-work)\n")
    assert not dossier.exists()
