"""What a rule sees: the RecordSet, the as-of date and the repository settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..findings import Location
from ..recordset import RecordSet


@dataclass(frozen=True)
class Context:
    records: RecordSet
    as_of: dt.date

    def at(self, record_id: str, path: tuple[Any, ...] = ()) -> Location:
        return self.records.sources[record_id].at(path)
