"""How a document names a record: its ID beside its title, a person by printed name and role.

A reviewer reads "HAZ-001 Air in the line" and "Priya Nair (Quality assurance)", never a bare HAZ-001 or
USR-004. Every producer names records through one Names, which DocumentSet builds from the RecordSet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Record, Ref
    from ..recordset import RecordSet


def _id(ref: Any) -> str:
    return str(getattr(ref, "id", ref))


class Names:
    def __init__(self, records: RecordSet | None = None) -> None:
        self.records = records  # None outside a repository's records (recall --fast): IDs stay bare

    def _get(self, ref: Any) -> Any:
        return self.records.get(_id(ref)) if self.records is not None else None

    def title(self, ref: str | Ref | Record) -> str:
        """`HAZ-001 Air in the line`; a user as `USR-004 Priya Nair (Quality assurance)`."""
        rid = _id(ref)
        record = self._get(rid)
        if record is None:
            return rid if self.records is None else f"{rid} (not found)"
        if record.KIND == "user":
            return f"{rid} {self.person(rid)}"
        text = record.title or " ".join((record.description or "").split())
        if not text and record.KIND == "fmea":  # an FMEA line is named by what fails and how
            text = f"{record.item}: {record.failure_mode}"
        return f"{rid} {text}" if text else rid

    def person(self, ref: str | Ref | None) -> str:
        """A user by printed name and role titles: `Priya Nair (Quality assurance)`."""
        if ref is None:
            return ""
        rid = _id(ref)
        user = self._get(rid)
        if user is None or user.KIND != "user":
            return rid if self.records is None else f"{rid} (no such user)"
        roles = [getattr(self._get(r), "title", None) or _id(r) for r in user.roles]
        return f"{user.name} ({', '.join(roles)})" if roles else user.name

    def lines(self, refs: Iterable[Any]) -> str:
        """Several records, one per line."""
        return "\n".join(self.title(r) for r in refs)
