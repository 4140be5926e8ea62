"""Which rules an edit can affect: the incremental part of `qms validate`.

Each rule's footprint is what it read of the RecordSet while it ran (recordset.Watch: the record kinds, ANY,
ALWAYS for git and data files). A record is a function of its file's bytes alone (the load cache relies on
it too), so the records that differ between two runs are those of the record files whose content differs,
added and removed ones included. A rule is run again when its footprint meets the kinds of those records,
before and after the edit, or holds ALWAYS; every other rule's stored findings stand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..load.replay import FileTokens, RuleResults
from ..recordset import ALWAYS, ANY, PREFIX_KIND, id_token

if TYPE_CHECKING:
    from ..load.repo import Loaded


def file_tokens(loaded: Loaded) -> FileTokens:
    """Each record file read, as "content-hash token ...": the tokens of the records it held, each record's
    kind and the kind its ID's prefix names (they agree unless the ID has no known prefix: ANY)."""
    tokens: dict[str, set[str]] = {}
    for record, source in loaded.records:  # ten thousand records: id_token inlined
        prefix, sep, _ = record.id.partition("-")
        held = tokens.get(source.file)
        if held is None:
            held = tokens[source.file] = set()
        held.add(record.KIND)
        held.add(PREFIX_KIND.get(prefix, ANY) if sep else ANY)
    for u in loaded.unvalidated:
        tokens.setdefault(u.source.file, set()).update((u.kind, id_token(u.id)))
    files: FileTokens = {}
    for rel, (hashed, *_) in loaded.hashed.items():
        held = tokens.pop(rel, None)
        files[rel] = hashed if not held else f"{hashed} {next(iter(held))}" if len(held) == 1 else \
            " ".join([hashed, *sorted(held)])
    for rel, held in tokens.items():  # records from a file without a hash: always counted as changed
        files[rel] = " ".join(["-", *sorted(held)])
    return files


def changed_tokens(before: FileTokens, after: FileTokens) -> set[str]:
    """The tokens of the records in files whose content differs between the two runs (or is not known).

    A file that gave records was hashed as read; one that gave none this time (unreadable, refused) may
    still show the hash of what it held before, so a file whose tokens differ counts as changed too."""
    changed: set[str] = set()
    for rel in before.keys() | after.keys():
        old, new = before.get(rel, "-"), after.get(rel, "-")
        if old != new or old.startswith("-"):
            changed.update(old.split(" ")[1:], new.split(" ")[1:])
    return changed


def affected(footprint: frozenset[str], changed: set[str]) -> bool:
    return ALWAYS in footprint or bool(changed) and (ANY in footprint or not footprint.isdisjoint(changed))


def reusable(previous: RuleResults, changed: set[str]) -> RuleResults:
    """The stored results of the rules no change affects."""
    return {code: result for code, result in previous.items() if not affected(result[0], changed)}
