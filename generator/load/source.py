"""Where each loaded value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
import pickle
from typing import Any

from ..findings import Location

Path_ = tuple[Any, ...]


@dataclass(slots=True)
class Source:
    """The file (and sheet) a record came from, and the position of each of its values.

    `anchors` maps a value's path inside the record, e.g. ("actions", 0, "owner"),
    to (line, column): the YAML line, or the sheet row and 0-based column.

    In the load cache the anchors are kept packed (one pickled blob per record) and unpacked on
    first use: most records never have a finding, and a warm run need not rebuild their positions.
    """

    file: str
    sheet: str = ""
    root: tuple[int, int] = (1, -1)
    _anchors: dict[Path_, tuple[int, int]] | None = field(default_factory=dict)
    _packed: bytes | None = None

    def __init__(self, file: str, sheet: str = "", root: tuple[int, int] = (1, -1),
                 anchors: dict[Path_, tuple[int, int]] | None = None):
        self.file, self.sheet, self.root = file, sheet, root
        self._anchors = {} if anchors is None else anchors
        self._packed = None

    @property
    def anchors(self) -> dict[Path_, tuple[int, int]]:
        if self._anchors is None:
            self._anchors = pickle.loads(self._packed or b"")
            self._packed = None
        return self._anchors

    def __getstate__(self) -> tuple[Any, ...]:
        packed = self._packed if self._anchors is None else pickle.dumps(self._anchors, pickle.HIGHEST_PROTOCOL)
        return (self.file, self.sheet, self.root, packed)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.file, self.sheet, self.root, self._packed = state
        self._anchors = None

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
