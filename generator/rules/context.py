"""What a rule sees: the RecordSet, the as-of date and the repository settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Location
from ..recordset import RecordSet

if TYPE_CHECKING:
    from ..load.loggers import LoggerExport


@dataclass(frozen=True)
class Context:
    records: RecordSet
    as_of: dt.date
    # Data files the records point at, read by the load layer: logger exports by temperature log ID.
    exports: dict[str, LoggerExport] = field(default_factory=dict)

    def at(self, record_id: str, path: tuple[Any, ...] = ()) -> Location:
        return self.records.sources[record_id].at(path)
