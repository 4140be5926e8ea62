"""The AIAG-VDA action priority (AP): a lookup for every (S, O, D), built from the table shipped as data.

The table lives in `generator/data/aiag_vda_action_priority.csv` in the handbook's banded
form (severity band × occurrence band × detection band → H/M/L) and names its source in its
header comment. Loading expands the bands into all 1000 triples and refuses a table that
misses a triple, covers one twice, or holds anything but H, M or L, so a typo in the data
cannot silently change a priority.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .reference import read_reference_csv

RATINGS = range(1, 11)
PRIORITIES = ("H", "M", "L")  # highest first
TABLE_FILE = "aiag_vda_action_priority.csv"
_COLUMNS = ("severity", "occurrence", "detection", "action_priority")


class ActionPriorityTableError(ValueError):
    """The action-priority data file is malformed or does not cover 1..10³ exactly once."""


@dataclass(frozen=True)
class ActionPriorityTable:
    source: str  # the `# source:` line of the data file
    bands: tuple[tuple[range, range, range, str], ...]  # the rows as written
    _cells: tuple[str, ...]  # 1000 priorities, index (s-1)*100 + (o-1)*10 + (d-1)

    def lookup(self, severity: int, occurrence: int, detection: int) -> str:
        for name, value in (("severity", severity), ("occurrence", occurrence), ("detection", detection)):
            if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
                raise ValueError(f"{name} must be an integer 1-10, not {value!r}")
        return self._cells[(severity - 1) * 100 + (occurrence - 1) * 10 + (detection - 1)]

    def items(self) -> list[tuple[tuple[int, int, int], str]]:
        """Every ((S, O, D), AP), S then O then D ascending."""
        return [((s, o, d), self._cells[(s - 1) * 100 + (o - 1) * 10 + (d - 1)])
                for s in RATINGS for o in RATINGS for d in RATINGS]


def _band(text: str, column: str, line: int) -> range:
    parts = text.strip().split("-")
    try:
        if len(parts) == 1:
            lo = hi = int(parts[0])
        elif len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise ActionPriorityTableError(f"line {line}: {column} '{text}' is not a rating or a range lo-hi") from None
    if not (1 <= lo <= hi <= 10):
        raise ActionPriorityTableError(f"line {line}: {column} '{text}' is not within 1-10 (lo ≤ hi)")
    return range(lo, hi + 1)


def parse_table(text: str) -> ActionPriorityTable:
    """Parse and expand a banded table; raises ActionPriorityTableError with the line at fault."""
    source, body = read_reference_csv(text)
    if not source:
        raise ActionPriorityTableError("the table names no source (a '# source: ...' line)")
    if not body:
        raise ActionPriorityTableError("the table has no header row")
    header_line, header = body[0]
    names = tuple(header)
    if names != _COLUMNS:
        raise ActionPriorityTableError(f"line {header_line}: header must be {','.join(_COLUMNS)}")
    cells: dict[tuple[int, int, int], tuple[str, int]] = {}
    rows: list[tuple[range, range, range, str]] = []
    for number, values in body[1:]:
        if len(values) != len(_COLUMNS):
            raise ActionPriorityTableError(f"line {number}: expected {len(_COLUMNS)} values, found {len(values)}")
        s_band, o_band, d_band = (_band(v, c, number) for v, c in zip(values[:3], _COLUMNS[:3]))
        priority = values[3].strip()
        if priority not in PRIORITIES:
            raise ActionPriorityTableError(f"line {number}: action priority '{priority}' is not H, M or L")
        rows.append((s_band, o_band, d_band, priority))
        for s in s_band:
            for o in o_band:
                for d in d_band:
                    if (s, o, d) in cells:
                        raise ActionPriorityTableError(
                            f"line {number}: S={s} O={o} D={d} is already given on line {cells[(s, o, d)][1]}")
                    cells[(s, o, d)] = (priority, number)
    missing = [(s, o, d) for s in RATINGS for o in RATINGS for d in RATINGS if (s, o, d) not in cells]
    if missing:
        shown = ", ".join(f"S={s} O={o} D={d}" for s, o, d in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise ActionPriorityTableError(f"the table does not cover {shown}{more}")
    ordered = tuple(cells[(s, o, d)][0] for s in RATINGS for o in RATINGS for d in RATINGS)
    return ActionPriorityTable(source, tuple(rows), ordered)


@lru_cache(maxsize=1)
def table() -> ActionPriorityTable:
    """The packaged AIAG-VDA table, loaded and validated once per process."""
    text = resources.files("generator").joinpath("data", TABLE_FILE).read_text(encoding="utf-8")
    return parse_table(text)


def action_priority(severity: int, occurrence: int, detection: int) -> str:
    """H, M or L for one line's ratings (each 1-10)."""
    return table().lookup(severity, occurrence, detection)
