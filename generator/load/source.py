"""Where each loaded value came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..findings import Location

Path_ = tuple[Any, ...]
Anchors = dict[Path_, tuple[int, int]]
# A link as model.collect_links gives it: path in the record, role, the Ref, the kinds it may point at.
LinkUse = tuple[Path_, str, Any, tuple[str, ...]]


@dataclass(slots=True)
class Source:
    """The file (and sheet) a record came from, and the position of each of its values.

    `anchors` maps a value's path inside the record, e.g. ("actions", 0, "owner"),
    to (line, column): the YAML line, or the sheet row and 0-based column.

    From the load cache the anchors arrive packed (a text, and the load.codec function that reads it)
    and are unpacked on first use: most records never have a finding, and a warm run need not rebuild
    their positions.
    """

    file: str
    sheet: str = ""
    root: tuple[int, int] = (1, -1)
    _anchors: dict[Path_, tuple[int, int]] | None = field(default_factory=dict)
    _packed: tuple[str, Callable[[str], Anchors]] | None = None

    def __init__(self, file: str, sheet: str = "", root: tuple[int, int] = (1, -1),
                 anchors: dict[Path_, tuple[int, int]] | None = None):
        self.file, self.sheet, self.root = file, sheet, root
        self._anchors = {} if anchors is None else anchors
        self._packed = None

    @classmethod
    def packed(cls, file: str, sheet: str, root: tuple[int, int], blob: str,
               unpack: Callable[[str], Anchors]) -> Source:
        source = object.__new__(cls)  # a warm run makes one per record: skip __init__'s defaults
        source.file, source.sheet, source.root = file, sheet, root
        source._anchors, source._packed = None, (blob, unpack)
        return source

    def pack(self, blob: str, unpack: Callable[[str], Anchors]) -> None:
        """Hold the anchors packed from now on, as a source from the load cache does (they are most of a
        loaded record's memory); `blob` must be their packed text, which `unpack` reads back."""
        self._anchors, self._packed = None, (blob, unpack)

    def packed_anchors(self) -> str | None:
        """The packed anchors this source was made from, if they were never unpacked."""
        return self._packed[0] if self._packed is not None else None

    @property
    def anchors(self) -> dict[Path_, tuple[int, int]]:
        if self._anchors is None:
            if self._packed is None:
                self._anchors = {}
            else:
                blob, unpack = self._packed
                self._anchors = unpack(blob)
            self._packed = None
        return self._anchors

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


@dataclass(frozen=True, slots=True)
class Unvalidated:
    """A record that failed its schema: it exists (a link to it is not dangling), and the links that could
    still be read from it take part in the reference rules (load.salvage reads them); nothing else is trusted."""

    id: str
    kind: str
    source: Source
    links: tuple[LinkUse, ...]
