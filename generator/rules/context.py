"""What a rule sees: the RecordSet, the as-of date and the repository settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Location
from ..recordset import RecordSet

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

    def at(self, record_id: str, path: tuple[Any, ...] = ()) -> Location:
        source = self.records.sources.get(record_id)
        if source is None:  # a record that failed its schema, whose links the reference rules check
            source = self.records.unvalidated[record_id].source
        return source.at(path)
