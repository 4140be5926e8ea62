"""Analyses: pure functions RecordSet → result objects (trace, risk, FMEA, ...).

Results sit between analysis and render: a document, a workbook and
`--format json` are three views of one computed result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from ..recordset import RecordSet

R = TypeVar("R")

_MEMO: WeakKeyDictionary[RecordSet, dict[Callable[..., object], object]] = WeakKeyDictionary()


def once(analysis: Callable[[RecordSet], R], records: RecordSet) -> R:
    """`analysis(records)`, computed once per RecordSet however many rules and commands read it."""
    results = _MEMO.setdefault(records, {})
    if analysis not in results:
        results[analysis] = analysis(records)
    return results[analysis]  # type: ignore[return-value]


def peek(analysis: Callable[[RecordSet], R], records: RecordSet) -> R | None:
    """`analysis(records)` if some reader already computed it, else None (nothing is computed)."""
    return _MEMO.get(records, {}).get(analysis)  # type: ignore[return-value]
