"""Helpers shared by the test modules: tiny real repositories and the real CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

QMS_YAML = "company: {name: Test Co, code: TC}\ndevice: {name: Test Pump}\n"

USER = """\
id: USR-001
title: Quality engineer
status: active
name: Ann Smith
email: ann@example.com
"""


def make_repo(base: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """A quality repository in `base` with qms.yaml, one user, and the given files."""
    base.mkdir(parents=True, exist_ok=True)
    (base / "qms.yaml").write_text(QMS_YAML)
    all_files: dict[str, str | bytes] = {"records/people/USR-001.yaml": USER}
    all_files.update(files or {})
    for rel, content in all_files.items():
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content))
    return base


def run_qms(*args: str, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def validate_json(repo: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    proc = run_qms("--repo", str(repo), "validate", "--format", "json", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


# The worked example as a clean clone holds it: the records, and the bad-input fixtures that OQ-002
# (the generator's own operational qualification) runs.
EXAMPLE = ("specs", "records", "protocols", "features", "evidence", "qms.yaml", "document-numbers.yaml",
           "tests/fixtures/bad")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.strip()


def copy_example(dest: Path, commit: bool = True) -> Path:
    """The worked example in `dest`, committed to a new git repository (as a clean clone) unless not `commit`."""
    dest.mkdir(parents=True)
    skip = shutil.ignore_patterns(".qms-cache", "__pycache__")
    for name in EXAMPLE:
        src = ROOT / name
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dest / name, symlinks=True, ignore=skip)
        else:
            shutil.copy2(src, dest / name)
    (dest / ".gitignore").write_text("/output/\n/qms-work/\n.qms-cache/\n.qms.lock\n/out*/\n")
    if commit:
        commit_example(dest)
    return dest


EXAMPLE_KEYS = "specs/example-signing-keys"


def commit_example(dest: Path) -> None:
    """Commit a copy of the example as its history has it: the records by one identity, then each signed approval
    by its signer's git identity at its signing time, signed with the signer's example-only key. Without that
    replay the approvals would sit in an unsigned commit of a stranger and fail the integrity rules."""
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    groups: dict[tuple[str, str], list[str]] = {}
    for path in sorted((dest / "records/approvals").glob("*.yaml")):
        approval = yaml.safe_load(path.read_text())
        if approval.get("status") == "signed":
            signed = approval["signed"]
            when = signed.isoformat() if hasattr(signed, "isoformat") else str(signed)
            groups.setdefault((approval["signer"], when), []).append(path.relative_to(dest).as_posix())
    signed_files = [rel for rels in groups.values() for rel in rels]
    if signed_files:
        git(dest, "reset", "-q", "--", *signed_files)
    # The records were committed before anyone signed them.
    first = min((dt.datetime.fromisoformat(when) for _, when in groups), default=None)
    base = {"GIT_AUTHOR_DATE": (first - dt.timedelta(minutes=1)).isoformat(),
            "GIT_COMMITTER_DATE": (first - dt.timedelta(minutes=1)).isoformat()} if first else {}
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false",
                    "commit", "-q", "-m", "example"], cwd=dest, check=True, env={**os.environ, **base})
    for (signer, when), rels in sorted(groups.items(), key=lambda item: (item[0][1], item[0][0])):
        user = yaml.safe_load((dest / f"records/people/{signer}.yaml").read_text())
        key = dest / EXAMPLE_KEYS / signer
        key.chmod(0o600)  # git keeps no permissions; ssh-keygen refuses a private key others may read
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        ident = ["-c", f"user.name={user['name']}", "-c", f"user.email={user['email']}", "-c", "gpg.format=ssh",
                 "-c", f"user.signingkey={key}"]
        subprocess.run(["git", *ident, "add", "--", *rels], cwd=dest, check=True, env=env)
        subprocess.run(["git", *ident, "commit", "-q", "-S", "-m", f"Approve {len(rels)} records as {signer}"],
                       cwd=dest, check=True, env=env, capture_output=True)


@pytest.fixture(autouse=True)
def clean_git_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """git (ours and the CLI's) sees no global or system settings of the machine running the tests.

    Autouse in the modules that import it (approvals, baselines, release), whose git identities matter."""
    empty = tmp_path_factory.mktemp("home") / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@dataclass(frozen=True)
class Built:
    """The example committed as a clean clone holds it and built by `qms build --format json`."""

    repo: Path
    output: Path
    returncode: int
    summary: dict[str, Any]
    stderr: str


def clone_of(repo: Path, dest: Path) -> Path:
    """A private git clone of a shared repository (its commits, not its ignored output or caches), to write into."""
    subprocess.run(["git", "clone", "-q", str(repo), str(dest)], check=True, capture_output=True)
    return dest
