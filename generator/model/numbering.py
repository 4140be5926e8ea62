"""The next free record ID in a repository's own numbering scheme.

A new ID takes the kind's prefix, the next number after the highest in use, and as many digits as the
records of that prefix (else of the repository) have; kinds numbered by year (NC-2026-007) count within
the year. An ID in use is never handed out again, so a new record cannot collide with one that exists.
"""

from __future__ import annotations

import re

from . import Kind

_SIMPLE = re.compile(r"\A([A-Z][A-Z0-9]*)-([0-9]+)\Z")
_YEARLY = re.compile(r"\A([A-Z][A-Z0-9]*)-([0-9]{4})-([0-9]+)\Z")
DEFAULT_WIDTH = 3  # the model's minimum (ID_PATTERN) when a repository has no records to copy the width from


class IdAllocator:
    """Fresh IDs after those in `taken` (loaded records and files named like records)."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)
        self.next: dict[str, int] = {}
        self.widths: dict[str, list[int]] = {}
        for t in taken:
            m = _SIMPLE.match(t) or _YEARLY.match(t)
            if m:
                self.widths.setdefault(m.group(1), []).append(len(m.group(m.lastindex or 2)))

    def _width(self, prefix: str) -> int:
        widths = self.widths.get(prefix) or [w for ws in self.widths.values() for w in ws]
        if not widths:
            return DEFAULT_WIDTH
        return max(set(widths), key=lambda w: (widths.count(w), w))  # the most used width; the wider on a tie

    def new(self, kind: Kind, year: int | None = None) -> str:
        """The next free ID of `kind`; `year` numbers the kinds whose IDs carry one (NC-2026-001)."""
        prefix = kind.prefixes[0]
        yearly = "[0-9]{4}-" in kind.id_re.pattern
        stem = f"{prefix}-{year:04d}" if yearly and year is not None else prefix
        if stem not in self.next:
            if yearly:
                used = [int(m.group(3)) for t in self.taken
                        if (m := _YEARLY.match(t)) and f"{m.group(1)}-{m.group(2)}" == stem]
            else:
                used = [int(m.group(2)) for t in self.taken if (m := _SIMPLE.match(t)) and m.group(1) == prefix]
            self.next[stem] = max(used, default=0) + 1
        width = self._width(prefix)
        while True:
            candidate = f"{stem}-{self.next[stem]:0{width}d}"
            self.next[stem] += 1
            if candidate not in self.taken and kind.id_re.match(candidate):
                self.taken.add(candidate)
                return candidate
