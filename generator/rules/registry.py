"""Checks over the RecordSet register here with `@rule`, which declares the code in the code registry
(`codes.registry`, where the codes raised while loading are declared too) and attaches the check to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..codes.registry import RULES, Rule, declare
from ..findings import Finding

if TYPE_CHECKING:
    from .context import Context

Check = Callable[["Context"], Iterable[Finding]]


def rule(code: str, severity: str, title: str, *, area: str, clause: str,
         rationale: str) -> Callable[[Check], Check]:
    """Register a check over the RecordSet; the function gets `.rule` for making its findings."""
    return also_checks(declare(code, severity, title, area=area, clause=clause, rationale=rationale))


def also_checks(declared: Rule) -> Callable[[Check], Check]:
    """Attach a RecordSet check to a code that loading raises too (e.g. malformed IDs)."""
    def register(check: Check) -> Check:
        RULES[declared.code] = replace(declared, check=check)
        check.rule = RULES[declared.code]  # type: ignore[attr-defined]
        return check

    return register
