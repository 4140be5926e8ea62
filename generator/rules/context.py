"""What a rule sees: the RecordSet, the as-of date and the repository settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING, Any

from ..findings import Location
from ..load.source import Source
from ..model import Record
from ..recordset import Link, RecordSet

if TYPE_CHECKING:
    from ..gitio.signatures import GitFacts
    from ..load.loggers import LoggerExport


@dataclass(frozen=True)
class Context:
    records: RecordSet
    as_of: dt.date
    # Data files the records point at, read by the load layer: logger exports by temperature log ID.
    exports: dict[str, LoggerExport] = field(default_factory=dict)
    # What git knows (approval commits and signatures, who changed each file), filled by callers that
    # read the history; rules needing it are silent when it is None.
    git: GitFacts | None = None
    # The IDs a per-record rule is run on after an edit (rules.incremental); None: every record.
    focus: frozenset[str] | None = None

    def checked_records(self) -> Iterable[Record]:
        """The records a per-record rule checks: every record, or those in focus, by ID."""
        records = self.records.records
        if self.focus is None:
            return records.values()
        return [records[i] for i in sorted(self.focus) if i in records]

    def checked_sources(self) -> Iterable[tuple[str, Source]]:
        """(ID, where the record stands) of the records a per-record rule checks."""
        sources = self.records.sources
        if self.focus is None:
            return sources.items()
        return [(i, sources[i]) for i in sorted(self.focus) if i in sources]

    def checked_links(self, unvalidated: bool = True) -> Iterable[Link]:
        """The links held by the records a per-record rule checks, and (`unvalidated`) by the records that
        failed their schema, which the reference rules check too."""
        rs = self.records
        if self.focus is None:
            return chain(rs.links(), rs.unvalidated_links) if unvalidated else rs.links()
        held = [link for i in sorted(self.focus) for link in rs.links_from(i)]
        if unvalidated:
            held += [link for link in rs.unvalidated_links if link.source in self.focus]
        return held

    def at(self, record_id: str, path: tuple[Any, ...] = ()) -> Location:
        source = self.records.sources.get(record_id)
        if source is None:  # a record that failed its schema, whose links the reference rules check
            source = self.records.unvalidated[record_id].source
        return source.at(path)
