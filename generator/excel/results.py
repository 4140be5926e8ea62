"""What an import found and would do: the field changes per record, errors, conflicts and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..findings import Finding, Location
from ..gitio.history import FieldChange

if TYPE_CHECKING:
    from ..model.raw import JsonObject


@dataclass(frozen=True)
class Conflict:
    location: Location
    record: str
    message: str
    fields: tuple[tuple[str, Any, Any], ...] = ()  # (field, sheet value, repository value)

    def as_json(self) -> JsonObject:
        return {"record": self.record, "location": str(self.location), "message": self.message,
                "fields": [{"field": f, "sheet": s, "repository": r} for f, s, r in self.fields]}


@dataclass(frozen=True)
class Change:
    record_id: str
    kind: str
    action: str  # changed | created
    path: str
    sheet: str  # the workbook sheet holding a bulk record, "" for YAML
    fields: tuple[FieldChange, ...]

    @property
    def where(self) -> str:
        return f"{self.path}[{self.sheet}]" if self.sheet else self.path

    def as_json(self) -> JsonObject:
        return {"record": self.record_id, "kind": self.kind, "action": self.action, "path": self.path,
                "sheet": self.sheet or None, "fields": [f.as_json() for f in self.fields]}


@dataclass
class ImportPlan:
    workbook: str
    export_commit: str
    changes: list[Change] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    follow_ups: list[Finding] = field(default_factory=list)
    not_in_workbook: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    headers: dict[tuple[str, int], str] = field(default_factory=dict)  # (sheet, column) -> field name
    writes: dict[str, tuple[bytes | None, bytes]] = field(default_factory=dict)  # rel -> (old, new)

    @property
    def blocked(self) -> bool:
        return bool(self.errors or self.conflicts)

    def field_at(self, location: Location) -> str | None:
        if location.file != self.workbook or not location.sheet:
            return None
        return self.headers.get((location.sheet, location.column))


def location_text(plan: ImportPlan, location: Location) -> str:
    name = plan.field_at(location)
    return f"{location} ({name})" if name else str(location)
