"""Analyses: pure functions RecordSet → result objects (trace, risk, FMEA, ...).

Results sit between analysis and render: a document, a workbook and
`--format json` are three views of one computed result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast
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
    # The memo maps each analysis to what it returned; one dict for all analyses cannot say so per key.
    return cast(R, results[analysis])


def peek(analysis: Callable[[RecordSet], R], records: RecordSet) -> R | None:
    """`analysis(records)` if some reader already computed it, else None (nothing is computed)."""
    return cast("R | None", _MEMO.get(records, {}).get(analysis))
