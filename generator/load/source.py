"""Where each loaded value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..findings import Location

Path_ = tuple[Any, ...]


@dataclass(slots=True)
class Source:
    """The file (and sheet) a record came from, and the position of each of its values.

    `anchors` maps a value's path inside the record, e.g. ("actions", 0, "owner"),
    to (line, column): the YAML line, or the sheet row and 0-based column.
    """

    file: str
    sheet: str = ""
    root: tuple[int, int] = (1, -1)
    anchors: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path_ = ()) -> Location:
        """The location of the value at `path`, or of its nearest located parent."""
        anchors = self.anchors
        for end in range(len(path), 0, -1):
            pos = anchors.get(path[:end])
            if pos is not None:
                return Location(self.file, pos[0], pos[1], self.sheet)
        return Location(self.file, self.root[0], self.root[1], self.sheet)

    @property
    def whole(self) -> Location:
        return Location(self.file, sheet=self.sheet)
