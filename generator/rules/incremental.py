"""Which rules an edit can affect: the incremental part of `qms validate`.

Each rule's footprint is what it read of the RecordSet while it ran (recordset.Watch: the record kinds, ANY,
ALWAYS for git and data files). A record is a function of its file's bytes alone (the load cache relies on
it too), so the records that differ between two runs are those of the record files whose content differs,
added and removed ones included. A rule is run again when its footprint meets the kinds of those records,
before and after the edit, or holds ALWAYS; every other rule's stored findings stand.

A per-record rule (codes.registry.Rule.per_record) reads every record, so any edit meets its footprint; but
each of its findings depends only on its own record and on which IDs exist with which kinds and statuses
(a link to a retired record ...). When every edited file holds the same IDs of the same kinds and statuses as
before, in the same order, it runs on the edited records alone, and its stored findings about the others stand.
A neighbourhood rule (Rule.neighbourhood: the trace gaps) reads further, but each of its findings depends only
on its record, that record's neighbours through links, and the structure (IDs, kinds, statuses and links):
when the edited files also hold the same links, it runs on the edited records and their neighbours alone. An
edited file's links are compared with those of the load result the load cache held for its stored content
(only the edited files are decoded twice; without that result, the links count as changed).
Both run on that one focus: re-checking more records than a rule needs changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from ..codes.registry import RULES
from ..load.cache import BAD_ENTRY
from ..load.codec import decode_result
from ..load.replay import FileTokens, RuleResults
from ..load.source import Unvalidated
from ..model import Record, collect_links
from ..recordset import ALWAYS, ANY, PREFIX_KIND, id_token

if TYPE_CHECKING:
    from ..load.repo import Loaded
    from ..recordset import RecordSet

_NO_IDS = "0"  # the ID digest of a file that holds no record (or of one not read before)


def file_tokens(loaded: Loaded, before: FileTokens | None = None) -> FileTokens:
    """Each record file read, as "content-hash ids-digest token ...": a digest of the kinds, IDs and statuses of
    the records it held, in order (validated or not), then the tokens of those records, each record's kind and
    the kind its ID's prefix names (they agree unless the ID has no known prefix: ANY).

    A file whose content hash is the one in `before` holds the same records: its string is taken from there."""
    known = before or {}
    kept: dict[str, str] = {}
    for rel, (hashed, *_) in loaded.hashed.items():
        old = known.get(rel)
        if old is not None and old.startswith(f"{hashed} "):
            kept[rel] = old
    tokens: dict[str, set[str]] = {}
    ids: dict[str, list[str]] = {}
    for record, source in loaded.records:  # a hundred thousand records: id_token inlined
        if source.file in kept:
            continue
        prefix, sep, _ = record.id.partition("-")
        held = tokens.get(source.file)
        if held is None:
            held = tokens[source.file] = set()
            ids[source.file] = []
        held.add(record.KIND)
        held.add(PREFIX_KIND.get(prefix, ANY) if sep else ANY)
        ids[source.file].append(f"{record.KIND} {record.id} {record.status}")
    for u in loaded.unvalidated:
        if u.source.file in kept:
            continue
        tokens.setdefault(u.source.file, set()).update((u.kind, id_token(u.id)))
        ids.setdefault(u.source.file, []).append(f"?{u.kind} {u.id}")
    files: FileTokens = {}
    for rel, (hashed, *_) in loaded.hashed.items():
        held = tokens.pop(rel, None)
        files[rel] = kept.get(rel) or " ".join([hashed, _digest(ids.get(rel)), *sorted(held or ())])
    for rel, held in tokens.items():  # records from a file without a hash: always counted as changed
        files[rel] = " ".join(["-", _digest(ids.get(rel)), *sorted(held)])
    return files


def _digest(held: list[str] | None) -> str:
    if not held:
        return _NO_IDS
    return hashlib.blake2b("\n".join(held).encode(), digest_size=12).hexdigest()


@dataclass(frozen=True)
class Changes:
    """What differs between the stored run and this one: the record files, their records' footprint tokens
    (before and after), whether those files hold the same IDs of the same kinds and statuses, and whether they
    also hold the same links."""

    files: frozenset[str]
    tokens: frozenset[str]
    same_ids: bool
    same_links: bool = False


def changes(before: FileTokens, after: FileTokens, loaded: Loaded | None = None) -> Changes:
    """The record files whose content differs between the two runs (or is not known), and what they held;
    with `loaded`, whether they hold the same links as before too (same_links).

    A file that gave records was hashed as read; one that gave none this time (unreadable, refused) may
    still show the hash of what it held before, so a file whose tokens differ counts as changed too."""
    files: set[str] = set()
    tokens: set[str] = set()
    same_ids = True
    for rel in before.keys() | after.keys():
        old, new = before.get(rel, "-"), after.get(rel, "-")
        if old != new or old.startswith("-"):
            files.add(rel)
            old_parts, new_parts = old.split(" "), new.split(" ")
            tokens.update(old_parts[2:], new_parts[2:])
            same_ids &= (old_parts[1:2] or [_NO_IDS]) == (new_parts[1:2] or [_NO_IDS])
    same_links = same_ids and loaded is not None and _same_links(loaded, files, before)
    return Changes(frozenset(files), frozenset(tokens), same_ids, same_links)


def _same_links(loaded: Loaded, files: set[str], before: FileTokens) -> bool:
    """Whether each of these files holds the links it held when its content hash was the one in `before`: those
    of the load result the load cache held for that content (Loaded.before; without it, no)."""
    now: dict[str, tuple[list[Record], list[Unvalidated]]] = {rel: ([], []) for rel in files}
    for record, source in loaded.records:
        if source.file in now:
            now[source.file][0].append(record)
    for u in loaded.unvalidated:
        if u.source.file in now:
            now[u.source.file][1].append(u)
    for rel, (records, unvalidated) in now.items():
        held = loaded.before.get(rel)
        if held is None or held[0] != before.get(rel, "-").split(" ")[0]:
            return False
        try:
            old_records, _, old_unvalidated = decode_result(orjson.loads(held[1]))
        except (*BAD_ENTRY, orjson.JSONDecodeError):
            return False
        if _links([r for r, _ in old_records], old_unvalidated) != _links(records, unvalidated):
            return False
    return True


def _links(records: list[Record], unvalidated: list[Unvalidated]) -> list[tuple[Any, ...]]:
    """Every link the records hold, as (source, role, target, review stamp, where written)."""
    found: list[tuple[Any, ...]] = []
    uses: list[Any] = []
    for record in records:
        uses.clear()
        collect_links(record, uses)
        found += [(record.id, role, ref.id, ref.fingerprint, path) for path, role, ref, _ in uses]
    for u in unvalidated:
        found += [(u.id, role, ref.id, ref.fingerprint, path) for path, role, ref, _ in u.links]
    return found


def edited_ids(loaded: Loaded, files: frozenset[str], records: RecordSet) -> frozenset[str]:
    """The IDs of the records (validated or not) loaded from these files, of the records linking to them and
    of the records they link to: the records a narrowed rule runs on after an edit that keeps every ID, kind
    and status (a rule that reads its links' targets, Rule.reads_targets, finds something new on a record
    linking to an edited one; a neighbourhood rule, about a record either side of a link; every other rule only
    on the edited records, and re-checking more records than that changes nothing)."""
    edited = {record.id for record, source in loaded.records if source.file in files}
    edited.update(u.id for u in loaded.unvalidated if u.source.file in files)
    linking = {link.source for record_id in edited for link in records.links_to(record_id)}
    linked = {link.target for record_id in edited for link in records.links_from(record_id)}
    return frozenset(edited | linking | linked)


def affected(footprint: frozenset[str], changed: frozenset[str]) -> bool:
    return ALWAYS in footprint or bool(changed) and (ANY in footprint or not footprint.isdisjoint(changed))


def plan(previous: RuleResults, change: Changes, focus: frozenset[str]) -> tuple[RuleResults, RuleResults]:
    """(the stored results of the rules no change affects, and those of the rules to run on `focus` alone, with
    only their findings about other records kept: the per-record rules when the edit keeps every ID, kind and
    status, the neighbourhood rules when it keeps every link too)."""
    reuse: RuleResults = {}
    narrow: RuleResults = {}
    for code, (footprint, found) in previous.items():
        rule = RULES.get(code)
        if not affected(footprint, change.tokens):
            reuse[code] = (footprint, found)
        elif rule is not None and ALWAYS not in footprint and (
                change.same_ids and rule.per_record or change.same_links and rule.neighbourhood):
            narrow[code] = (footprint, [f for f in found if f.record not in focus])
    return reuse, narrow
