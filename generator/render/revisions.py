"""Revision histories of generated documents from git: one `git log` pass (gitio.log.iter_commits) for a
whole build, then each document's history is the commits that changed any of its source records' files.

A history row is (commit, date, author, subject): the short commit name stands in the Revision column
because a generated document is re-issued whenever a record it is made from changes. Renames are
followed back, so a record keeps its history when its file moves. Outside git, or before the first
commit, there is no history (the document then says "No revision history recorded."). A shallow or
grafted history (gitio.shallow) puts a first row saying the history is incomplete.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..findings import QmsError
from .document import History, RevisionEntry, no_history

SHORT = 10


def git_history(root: Path, paths: Mapping[str, str]) -> History:
    """A `history(record_ids)` for DocumentSet: `paths` maps record IDs to their files (DocumentSet.paths)."""
    from ..gitio.log import iter_commits
    from ..gitio.shallow import history_gaps, incomplete_note

    try:
        commits = list(iter_commits(root))  # every record folder: a rename needs both of its paths
    except QmsError:
        return no_history
    gaps = history_gaps(root)
    # A cut history (QMS610) says so in every revision table, above rows that may start mid-way.
    note = [RevisionEntry("—", "", "", incomplete_note(gaps))] if gaps else []
    touched: dict[str, set[int]] = {}  # current path -> indexes of the commits that changed the file
    current_of: dict[str, str] = {}  # a path a file had earlier -> its path now
    for index in range(len(commits) - 1, -1, -1):  # newest first, so renames map old names forward
        for change in commits[index].changes:
            now = current_of.get(change.path, change.path)
            touched.setdefault(now, set()).add(index)
            if change.status == "R" and change.old_path:
                current_of[change.old_path] = now

    def history(record_ids: Sequence[str]) -> list[RevisionEntry]:
        files = {paths[r] for r in record_ids if r in paths}
        indexes = sorted({i for f in files for i in touched.get(f, ())})
        return note + [RevisionEntry(commits[i].sha[:SHORT], commits[i].author_date.date(), commits[i].author_name,
                                     commits[i].message.split("\n", 1)[0]) for i in indexes]

    return history
