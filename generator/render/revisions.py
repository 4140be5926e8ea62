"""The git commits behind generated documents: one `git log` pass (gitio.log.iter_commits) for a whole
build, then for each document the commits that changed any of its source records' files.

Commits are not revisions (a revision is an approved release: render.control). A document names them only
as a reference under its revision history: how many, and the latest (short name and date); the audit
trail workbook lists each change. Renames are followed back, so a record keeps its history when its file
moves. Outside git, or before the first commit, there are none. A shallow or grafted history
(gitio.shallow) is said in the reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..findings import QmsError

SHORT = 10


@dataclass(frozen=True)
class SourceCommits:
    """The git commits that changed a document's source records: a reference under its revision history."""

    count: int = 0
    latest: str = ""  # short commit name
    date: dt.date | str = ""
    gap: str = ""  # what a shallow or grafted history lacks (gitio.shallow)


History = Callable[[Sequence[str]], SourceCommits]


def no_history(_record_ids: Sequence[str]) -> SourceCommits:
    """The default git reference: none (outside git, or not asked for)."""
    return SourceCommits()


def git_history(root: Path, paths: Mapping[str, str]) -> History:
    """A `history(record_ids)` for DocumentSet: `paths` maps record IDs to their files (DocumentSet.paths)."""
    from ..gitio.log import iter_commits
    from ..gitio.shallow import history_gaps, incomplete_note

    try:
        commits = list(iter_commits(root))  # every record folder: a rename needs both of its paths
    except QmsError:
        return no_history
    gaps = history_gaps(root)
    gap = incomplete_note(gaps) if gaps else ""  # a cut history (QMS610) says so under every revision table
    touched: dict[str, set[int]] = {}  # current path -> indexes of the commits that changed the file
    current_of: dict[str, str] = {}  # a path a file had earlier -> its path now
    for index in range(len(commits) - 1, -1, -1):  # newest first, so renames map old names forward
        for change in commits[index].changes:
            now = current_of.get(change.path, change.path)
            touched.setdefault(now, set()).add(index)
            if change.status == "R" and change.old_path:
                current_of[change.old_path] = now

    def history(record_ids: Sequence[str]) -> SourceCommits:
        files = {paths[r] for r in record_ids if r in paths}
        indexes = {i for f in files for i in touched.get(f, ())}
        if not indexes:
            return SourceCommits(gap=gap)
        latest = commits[max(indexes)]
        return SourceCommits(len(indexes), latest.sha[:SHORT], latest.author_date.date(), gap)

    return history
