"""Findings and the locations they point at."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Location:
    """`file:line` for text files, `workbook.xlsx[Sheet]!C14` for sheets; paths relative to the repository."""

    file: str
    line: int = 0  # text line or sheet row, 1-based; 0 = the whole file
    column: int = -1  # sheet column, 0-based; -1 = none
    sheet: str = ""

    @property
    def order(self) -> tuple[str, str, int, int]:
        return (self.file, self.sheet, self.line, self.column)

    def __str__(self) -> str:
        if self.sheet:
            if self.line == 0:
                return f"{self.file}[{self.sheet}]"
            col = column_letter(self.column) if self.column >= 0 else "A"
            return f"{self.file}[{self.sheet}]!{col}{self.line}"
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" or "warning"
    location: Location
    message: str
    record: str | None = None
    hint: str | None = None
    waived_by: str | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[Any, ...]:
        return (self.location.order, self.code, self.record or "", self.message)

    def as_json(self) -> dict[str, Any]:
        out = {
            "code": self.code,
            "severity": self.severity,
            "record": self.record,
            "location": str(self.location),
            "message": self.message,
            "hint": self.hint,
        }
        if self.waived_by:
            out["waived_by"] = self.waived_by
        return out


class QmsError(Exception):
    """Bad usage or unreadable input outside any record: a message and exit code 2."""

    exit_code = 2
