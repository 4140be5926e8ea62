"""Whether the git history is whole: a shallow clone, grafts or replace refs hide or rewrite the past.

In a `git clone --depth 1` the oldest commit present looks like the one that created every record,
so a history would credit the wrong author and date, and approvals' authorship would be unknowable.
Every history-reading command asks `history_gaps` first and says so; nothing here changes the repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .commit import GitError, git


@dataclass(frozen=True)
class HistoryGap:
    """One reason the history is incomplete, at the git file that causes it (relative to the repository root)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def history_gaps(root: Path) -> tuple[HistoryGap, ...]:
    """Why the history at `root` is not the whole history (empty when it is, or outside git)."""
    try:
        probe = git(root, "rev-parse", "--is-shallow-repository", "--git-path", "shallow", "--git-path",
                    "info/grafts", "--git-path", "refs/replace", check=False)
    except GitError:
        return ()
    if probe.returncode != 0:
        return ()
    shallow_flag, shallow, grafts, replace = (probe.stdout.splitlines() + [""] * 4)[:4]
    gaps: list[HistoryGap] = []
    if shallow_flag.strip() == "true":
        cut = _lines(root, shallow)
        first = f", e.g. {cut[0][:10]}" if cut else ""
        gaps.append(HistoryGap(_rel(root, shallow), (
            f"shallow clone: the history is cut at {len(cut)} commit(s){first}; earlier changes, their authors and "
            "dates are not in this repository (the oldest commit present seems to create every record)")))
    grafted = _lines(root, grafts)
    if grafted:
        gaps.append(HistoryGap(_rel(root, grafts),
                               f"grafted history: {len(grafted)} commit(s) have their parents rewritten"))
    if "GIT_NO_REPLACE_OBJECTS" not in os.environ:
        refs = git(root, "for-each-ref", "--format=%(refname)", "refs/replace/", check=False)
        replaced = refs.stdout.split() if refs.returncode == 0 else []
        if replaced:
            gaps.append(HistoryGap(_rel(root, replace), (
                f"replaced history: {len(replaced)} object(s) are shown in place of others "
                f"({', '.join(r.rsplit('/', 1)[-1][:10] for r in replaced[:3])})")))
    return tuple(gaps)


def _path(root: Path, git_path: str) -> Path:
    path = Path(git_path)
    return path if path.is_absolute() else root / path


def _lines(root: Path, git_path: str) -> list[str]:
    """Non-comment lines of a file in the git directory ([] when absent or unreadable)."""
    try:
        text = _path(root, git_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _rel(root: Path, git_path: str) -> str:
    return Path(os.path.relpath(_path(root, git_path), root)).as_posix()


def incomplete_note(gaps: tuple[HistoryGap, ...]) -> str:
    """One line for a reader of a revision history or audit trail built on an incomplete history."""
    return "HISTORY INCOMPLETE: " + "; ".join(g.message for g in gaps)
