"""Whether edited record files still hold exactly what they held: a comment, a blank line at the end or a
value written another way changes a file's bytes but not its load result (its records, their positions and its
findings), and then nothing any rule reads has changed.

`qms validate` asks this when its stored result's key differs only in the content of a few record files
(load/replay.py): it parses those files again and compares each load result, as the load cache encodes it,
with the one the cache holds for the content the stored result was computed from. Equal results mean equal
records, sources and load findings, so every finding of the stored result stands (a rule reads records through
the RecordSet, and git and data files are other parts of the key).
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from ..findings import Finding
from .cache import Stamp, StoredEntries, content_hash
from .codec import Uncacheable, encode_packed
from .repo import load_file, read_record_file, record_format
from .source import Unvalidated

# Beyond this many edited files, checking them is no longer much cheaper than the run it would spare.
MAX_FILES = 100


def same_records(root: Path, changed: dict[str, str], stamps: dict[str, Stamp],
                 links: Collection[str]) -> dict[str, str] | None:
    """For `changed` (record file -> the content hash the stored result was computed from), each file's content
    hash now, if every one of them is a record file whose load result is byte for byte the one the load cache
    holds for that stored content; else None. `stamps`: each file's stat stamp as walked (a file changed since
    is not vouched for)."""
    if not changed or len(changed) > MAX_FILES:
        return None
    cache = StoredEntries.open(root)
    if cache is None:
        return None
    now: dict[str, tuple[str, Stamp, bytes]] = {}
    for rel, before in sorted(changed.items()):
        fmt = record_format(rel)
        if fmt not in ("yaml", "xlsx", "csv") or rel in links or rel not in stamps:
            return None
        stored = cache.entry(rel)
        if stored is None or stored[0] != before:
            return None
        path = os.path.join(root, rel)
        raw = read_record_file(path, rel, fmt, nofollow=True)
        if isinstance(raw, Finding):
            return None
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != stamps[rel]:
            return None  # changed since the walk: these bytes may not be the ones the key will name
        unvalidated: list[Unvalidated] = []
        try:
            entry = encode_packed((*load_file(root, rel, fmt, raw, unvalidated), unvalidated))
        except Uncacheable:
            return None
        if entry != stored[1]:
            return None
        now[rel] = (content_hash(raw).hex(), stamps[rel], entry)
    cache.restamp(now)  # the load cache too: the next run that computes need not parse them again
    return {rel: digest for rel, (digest, _, _) in now.items()}
