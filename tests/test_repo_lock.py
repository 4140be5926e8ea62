"""The repository lock (`.qms.lock`): two writers at once never lose an edit; a held lock is waited for a
bounded time and then refused with a message naming it (exit 2)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from support import git, make_repo, run_qms

from generator.lock import LOCK_FILE, repository_lock


def _repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text("/output/\n.qms-cache/\n.qms.lock\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def _workbook(repo: Path, tmp_path: Path, name: str, field: str, value: str) -> Path:
    """The user sheet exported from `repo` with USR-001's `field` set to `value`, as Excel would save it."""
    book = tmp_path / f"{name}.xlsx"
    proc = run_qms("--repo", str(repo), "excel", "export", "--kinds", "USR", "--out", str(book))
    assert proc.returncode == 0, proc.stderr
    wb = load_workbook(book)
    ws = wb["user"]
    col = next(c.column for c in ws[1] if c.value == field)
    row = next(c.row for c in ws["A"] if c.value == "USR-001")
    ws.cell(row, col).value = value
    wb.save(book)
    return book


def _start(repo: Path, book: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "generator", "--repo", str(repo), "excel", "import", str(book)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("same_field", [False, True], ids=["different-fields", "same-field"])
def test_two_imports_at_once_never_lose_an_edit(tmp_path, same_field):
    """Two real `qms excel import` processes started together, each editing USR-001: one applies its
    edit, the other waits for the lock, reads the first one's change and reports it as a conflict."""
    repo = _repo(tmp_path)
    user = repo / "records/people/USR-001.yaml"
    original = user.read_bytes()
    first = _workbook(repo, tmp_path, "a", "title", "Senior quality engineer")
    second = _workbook(repo, tmp_path, "b", "title" if same_field else "name",
                       "Lead quality engineer" if same_field else "Ann Smith-Jones")
    edits = {first: ("title", "Senior quality engineer"),
             second: ("title", "Lead quality engineer") if same_field else ("name", "Ann Smith-Jones")}
    for trial in range(4):
        user.write_bytes(original)
        procs = {book: _start(repo, book) for book in (first, second)}
        outs = {book: (p.wait(timeout=120), *p.communicate()) for book, p in procs.items()}
        for _, _, err in outs.values():
            assert "Traceback" not in err, err
        record = yaml.safe_load(user.read_text())
        applied = [book for book, (code, _, _) in outs.items() if code == 0]
        # Never both exit 0 with one edit lost: each command that says it imported has its edit on disk.
        for book in applied:
            field, value = edits[book]
            assert record[field] == value, (trial, outs)
        assert len(applied) == 1, (trial, outs)  # the second always finds the first one's change
        loser = next(book for book in outs if book not in applied)
        code, out, _ = outs[loser]
        assert code == 1, (trial, outs)
        assert "conflict [USR-001]: changed in the repository since the export" in out
        assert out.rstrip().endswith(f"nothing imported: 0 error(s), 1 conflict(s) in {loser}")
        field, value = edits[loser]
        assert record[field] != value  # refused, so not applied


def test_a_held_lock_is_waited_for_then_refused_with_its_name(tmp_path):
    repo = _repo(tmp_path)
    book = _workbook(repo, tmp_path, "a", "title", "Senior quality engineer")
    user = repo / "records/people/USR-001.yaml"
    before = user.read_bytes()
    env = dict(os.environ, QMS_LOCK_WAIT="0.5")
    with repository_lock(repo, "qms test holding the lock"):
        proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "excel", "import", str(book)],
                              capture_output=True, text=True, env=env, timeout=60)
        dry = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "excel", "import", str(book),
                              "--dry-run"], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr == (
        f"qms: error: the repository is locked by another qms command (pid {os.getpid()}: qms test holding the "
        f"lock): waited 0.5 s for {repo.resolve() / LOCK_FILE}; run `qms excel import {book}` again when that "
        "command has finished (the lock goes when its process ends; QMS_LOCK_WAIT sets the wait in seconds)\n")
    assert user.read_bytes() == before
    assert dry.returncode == 0, dry.stderr  # a dry run writes nothing and takes no lock
    assert "would change USR-001" in dry.stdout
    # Released: the same import now applies.
    proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "excel", "import", str(book)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(user.read_text())["title"] == "Senior quality engineer"
    assert not (repo / LOCK_FILE).exists()  # removed by its holder: no stray file in the work tree


DOORSTOP = {
    "reqs/.doorstop.yml": "settings:\n  digits: 3\n  prefix: REQ\n  sep: '-'\n",
    "reqs/REQ-001.yml": "active: true\nlevel: 1\nlinks: []\nnormative: true\nreviewed: null\ntext: Flow.\n",
}


@pytest.mark.parametrize("args", [
    ["import", "doorstop", "{tree}"],
    ["review", "--all"],
    ["capa", "draft"],
    ["approve", "USR-001", "--meaning", "review", "--as", "USR-001"],
    ["protocol", "run", "IQ-001", "--executed-by", "USR-001"],
    ["baseline", "create", "b1"],
], ids=lambda a: " ".join(a[:2]))
def test_every_writing_command_takes_the_lock(tmp_path, args):
    repo = _repo(tmp_path)
    for rel, text in DOORSTOP.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    args = [a.format(tree=tmp_path / "reqs") for a in args]
    env = dict(os.environ, QMS_LOCK_WAIT="0.2", GIT_CONFIG_NOSYSTEM="1")
    with repository_lock(repo, "holder"):
        proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), *args],
                              capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.startswith(f"qms: error: the repository is locked by another qms command (pid "
                                  f"{os.getpid()}: holder): waited 0.2 s for {repo.resolve() / LOCK_FILE}; run `qms "
                                  f"{args[0]}")
    assert git(repo, "status", "--porcelain", "-uall") == ""  # nothing written
    assert git(repo, "tag") == ""


def test_the_lock_is_reentrant_in_a_process_and_released_after(tmp_path):
    repo = _repo(tmp_path)
    with repository_lock(repo, "outer"):
        with repository_lock(repo, "inner"):  # a nested in-process qms (PQ-002's builds) does not deadlock
            pass
        env = dict(os.environ, QMS_LOCK_WAIT="0")
        held = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "review", "--all"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert held.returncode == 2 and "(pid" in held.stderr  # still held by the outer block
    free = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "review", "--all"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert free.returncode == 0, free.stderr


def test_a_lock_file_that_is_a_symbolic_link_is_refused(tmp_path):
    repo = _repo(tmp_path)
    outside = tmp_path / "outside" / "target"
    outside.parent.mkdir()
    (repo / LOCK_FILE).symlink_to(outside)
    proc = run_qms("--repo", str(repo), "review", "--all")
    assert proc.returncode == 2
    assert proc.stderr == (f"qms: error: {repo.resolve() / LOCK_FILE} is a symbolic link; the repository lock is a "
                           "plain file: remove the link and run the command again\n")
    assert not outside.exists()


def test_a_bad_wait_setting_is_a_usage_error(tmp_path):
    repo = _repo(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "review", "--all"],
                          capture_output=True, text=True, env=dict(os.environ, QMS_LOCK_WAIT="soon"), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == "qms: error: QMS_LOCK_WAIT='soon' is not a number of seconds\n"


def test_qms_init_ignores_the_lock(tmp_path):
    target = tmp_path / "new"
    proc = run_qms("init", str(target))
    assert proc.returncode == 0, proc.stderr
    assert ".qms.lock" in (target / ".gitignore").read_text().splitlines()
    assert ".qms.lock" in (Path(__file__).resolve().parent.parent / ".gitignore").read_text().splitlines()
