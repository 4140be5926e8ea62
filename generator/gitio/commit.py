"""Small git operations a command needs: who is committing, who last changed a file, committing files.

Every call runs git in the quality repository's root with paths relative to it. A missing git, or a
folder that is not a work tree, is the user's situation to fix: QmsError, one line.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..findings import QmsError


class GitError(QmsError):
    """git refused or failed; the message is git's own first line."""


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8",
                              errors="replace")
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        raise GitError(f"git {args[0]} failed: {first_line(proc.stderr) or f'exit {proc.returncode}'}")
    return proc


def first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # git prefixes the line that matters with "fatal:" or "error:"; earlier lines are often hints.
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[0] if lines else ""


def is_work_tree(root: Path) -> bool:
    try:
        proc = git(root, "rev-parse", "--is-inside-work-tree", check=False)
    except GitError:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def config_value(root: Path, key: str) -> str | None:
    proc = git(root, "config", "--get", key, check=False)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def is_modified(root: Path, rel: str) -> bool:
    """Whether the file differs from HEAD (staged, unstaged or untracked)."""
    proc = git(root, "status", "--porcelain", "--untracked-files=all", "--", rel)
    return bool(proc.stdout.strip())


def last_author(root: Path, rel: str) -> str | None:
    """Email of the author of the last commit that changed the file (None if it was never committed)."""
    proc = git(root, "log", "-1", "--format=%ae", "--", rel, check=False)
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def commit_files(root: Path, rels: Sequence[str], message: str, sign: bool) -> str:
    """Commit exactly `rels` (new or changed files) with `message`, signed with -S when asked; return the hash.

    Other staged changes stay staged and out of this commit. If anything fails the files are taken out
    of the index again and GitError says why; the caller puts the files back as they were.
    """
    git(root, "add", "--", *rels)
    args = ["commit", "--quiet", "-m", message]
    if sign:
        args.append("-S")
    proc = git(root, *args, "--only", "--", *rels, check=False)
    if proc.returncode != 0:
        git(root, "reset", "--quiet", "--", *rels, check=False)
        raise GitError(f"git commit failed: {first_line(proc.stderr) or first_line(proc.stdout) or 'no reason given'}")
    return git(root, "rev-parse", "HEAD").stdout.strip()
