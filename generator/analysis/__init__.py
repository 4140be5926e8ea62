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
# What each memoised analysis read (recordset.Watch tokens), for a watched RecordSet: a rule that takes an
# analysis from the memo read what the analysis read when it was computed.
_READ: WeakKeyDictionary[RecordSet, dict[Callable[..., object], frozenset[str]]] = WeakKeyDictionary()
_UNKNOWN = frozenset({"!"})  # recordset.ALWAYS: computed before the watch began, so what it read is not known


def once(analysis: Callable[[RecordSet], R], records: RecordSet) -> R:
    """`analysis(records)`, computed once per RecordSet however many rules and commands read it."""
    results = _MEMO.setdefault(records, {})
    watch = records.watching
    if analysis not in results:
        if watch is None:
            results[analysis] = analysis(records)
        else:
            watch.push()
            try:
                results[analysis] = analysis(records)
            finally:
                _READ.setdefault(records, {})[analysis] = watch.pop()
    elif watch is not None:
        watch.merge(_READ.get(records, {}).get(analysis, _UNKNOWN))
    # The memo maps each analysis to what it returned; one dict for all analyses cannot say so per key.
    return cast(R, results[analysis])


def peek(analysis: Callable[[RecordSet], R], records: RecordSet) -> R | None:
    """`analysis(records)` if some reader already computed it, else None (nothing is computed)."""
    found = _MEMO.get(records, {}).get(analysis)
    watch = records.watching
    if found is not None and watch is not None:
        watch.merge(_READ.get(records, {}).get(analysis, _UNKNOWN))
    return cast("R | None", found)
