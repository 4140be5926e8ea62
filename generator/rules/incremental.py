"""Which rules an edit can affect: the incremental part of `qms validate`.

Each rule's footprint is what it read of the RecordSet while it ran (recordset.Watch: the record kinds, ANY,
ALWAYS for git and data files). A record is a function of its file's bytes alone (the load cache relies on
it too), so the records that differ between two runs are those of the record files whose content differs,
added and removed ones included. A rule is run again when its footprint meets the kinds of those records,
before and after the edit, or holds ALWAYS; every other rule's stored findings stand.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ..load.replay import FileTokens, RuleResults
from ..recordset import ALWAYS, ANY, id_token

if TYPE_CHECKING:
    from ..load.repo import Loaded


def file_tokens(loaded: Loaded) -> FileTokens:
    """Each record file read, with its content hash and the tokens of the records it held: each record's
    kind and the kind its ID's prefix names (they agree unless the ID has no known prefix: ANY)."""
    tokens: dict[str, set[str]] = defaultdict(set)
    for record, source in loaded.records:
        tokens[source.file].update((record.KIND, id_token(record.id)))
    for u in loaded.unvalidated:
        tokens[u.source.file].update((u.kind, id_token(u.id)))
    hashed = {rel: item[0] for rel, item in loaded.hashed.items()}
    return {rel: (hashed.get(rel), frozenset(tokens.get(rel, ()))) for rel in sorted(hashed.keys() | tokens.keys())}


def changed_tokens(before: FileTokens, after: FileTokens) -> set[str]:
    """The tokens of the records in files whose content differs between the two runs (or is not known).

    A file that gave records was hashed as read; one that gave none this time (unreadable, refused) may
    still show the hash of what it held before, so a file whose tokens differ counts as changed too."""
    changed: set[str] = set()
    for rel in before.keys() | after.keys():
        old, new = before.get(rel, (None, frozenset())), after.get(rel, (None, frozenset()))
        if old[0] is None or old != new:
            changed |= old[1] | new[1]
    return changed


def affected(footprint: frozenset[str], changed: set[str]) -> bool:
    return ALWAYS in footprint or bool(changed) and (ANY in footprint or not footprint.isdisjoint(changed))


def reusable(previous: RuleResults, changed: set[str]) -> RuleResults:
    """The stored results of the rules no change affects."""
    return {code: result for code, result in previous.items() if not affected(result[0], changed)}
