"""When each record entered its current lifecycle status, from git: the commit that set it.

A CAPA policy may allow so many days per stage (`stage_days`); a record's own fields give the date
it was opened or closed but not when it entered `investigation` or `action`. The history does: the
last commit that changed the record's `status` to its current value is the stage's entry, dated by
its author. One `git log` over the files holding records of the staged kinds (a few dozen CAPAs, not
the repository), each blob read once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..findings import QmsError
from ..recordset import RecordSet
from .history import VersionReader, commit_changes
from .log import iter_commits


@dataclass(frozen=True)
class StageEntry:
    status: str
    entered: dt.date  # author date of the commit that set the status
    commit: str


def stage_entries(root, records: RecordSet, kinds: Iterable[str]) -> dict[str, StageEntry]:
    """Record ID -> when it entered the status it has in the last commit, for records of `kinds`.

    A record whose committed status differs from its working-tree status (an uncommitted stage change)
    is left out: its stage began now, so it cannot have overstayed it.
    """
    wanted = {r.id: r for kind in kinds for r in records.of_kind(kind) if not r.retired}
    if not wanted:
        return {}
    paths = sorted({records.sources[rid].file for rid in wanted})
    entries: dict[str, StageEntry] = {}
    try:
        with VersionReader(root) as versions:
            for commit in iter_commits(root, paths=paths, renames=False):
                for change in commit_changes(commit, versions):
                    if change.record_id not in wanted:
                        continue
                    for f in change.fields:
                        if f.field == "status" and f.new is not None:
                            entries[change.record_id] = StageEntry(str(f.new), commit.author_date.date(), commit.sha)
    except QmsError:  # no history yet (no commit), or not a git repository
        return {}
    return {rid: e for rid, e in entries.items() if e.status == wanted[rid].status}


def capa_stages(root, records: RecordSet) -> dict[str, StageEntry]:
    """When each CAPA entered its stage, read from git only when the CAPA policy in force limits days per
    stage (the worklist's and the management review's `stages`)."""
    from ..analysis.policies import in_force
    from ..model.policy import CapaPolicy

    policy = in_force(records, CapaPolicy)
    if policy is None or not policy.stage_days:
        return {}
    return stage_entries(root, records, ("capa",))
