"""What a generated document is generated from: the HEAD commit and what of the work tree is not in it.

Read with `git status` only (never refreshing the index), so asking does not change the repository.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Where a repository's records live: a change here (an untracked file included) means a generated document
# is not the commit's. Generated folders (output/) and caches are git-ignored and never count.
RECORD_FOLDERS = ("records", "specs", "protocols")
_NOT_SOURCES = (":(exclude)output", ":(exclude).qms-cache", ":(exclude).qms.lock")


@dataclass(frozen=True)
class GitState:
    """What a generated document is generated from: the HEAD commit, and what of the work tree is not in it.

    `records` counts the files under records/, specs/ and protocols/ that differ from HEAD (staged, not
    staged or untracked), `other` the other tracked files that differ; `dirty` is None outside git.
    """

    commit: str
    dirty: bool | None
    records: int = 0
    other: int = 0

    def __iter__(self) -> Any:  # `commit, dirty = git_state(root)`
        return iter((self.commit, self.dirty))

    @property
    def changes(self) -> str:
        """"uncommitted changes to 2 record files", "" when clean."""
        if not self.dirty:
            return ""
        parts = [f"{n} {what} file{'' if n == 1 else 's'}" for n, what in ((self.records, "record"),
                                                                          (self.other, "other")) if n]
        return "uncommitted changes to " + (" and ".join(parts) or "the work tree")

    @property
    def source(self) -> str:
        """The commit as a document names its source: "abc123… plus uncommitted changes to 2 record files"."""
        return f"{self.commit} plus {self.changes}" if self.dirty else self.commit


def _status(root: Path, *args: str) -> list[str] | None:
    """The NUL-separated entries of `git status --porcelain=v2 -z ARGS` in `root`; None when git fails."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")  # read only: never refresh the index
    try:
        proc = subprocess.run(["git", "status", "--porcelain=v2", "-z", *args], cwd=root, capture_output=True,
                              env=env, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    entries, out = proc.stdout.decode("utf-8", "surrogateescape").split("\0"), []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if entry:
            out.append(entry)
            if entry.startswith("2 "):
                i += 1  # a rename's or copy's original path
    return out


def git_state(root: Path) -> GitState:
    """The HEAD commit of the repository holding `root` and what of its work tree is not committed.

    Dirty means a tracked file differs from HEAD (staged or not), outside output/ and the caches, or a
    file under records/, specs/ or protocols/ is untracked (a new record is loaded but is in no commit).
    Outside git: GitState("unknown", None).
    """
    tracked = _status(root, "--branch", "--untracked-files=no", "--", ":/", *_NOT_SOURCES)
    if tracked is None:
        return GitState("unknown", None)
    commit = "unknown"
    for entry in tracked:
        if entry.startswith("# branch.oid "):
            oid = entry.split()[2]
            commit = oid if oid != "(initial)" else "unknown"
    changed = sum(1 for entry in tracked if not entry.startswith("#"))
    present = [f for f in RECORD_FOLDERS if (root / f).is_dir()]
    records = 0
    if present:
        found = _status(root, "--untracked-files=all", "--", *present)
        records = sum(1 for entry in (found or ()) if not entry.startswith(("#", "!")))
        changed -= sum(1 for entry in (found or ()) if not entry.startswith(("#", "!", "?")))
    return GitState(commit, records > 0 or changed > 0, records, max(changed, 0))
