"""Checks over the RecordSet register here with `@rule`, which declares the code in the code registry
(`codes.registry`, where the codes raised while loading are declared too) and attaches the check to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..codes.registry import RULES, Rule, declare
from ..findings import Finding, Location

if TYPE_CHECKING:
    from .context import Context

Check = Callable[["Context"], Iterable[Finding]]


class RuleCheck:
    """A registered check: call it with a Context for its findings; `finding` makes one under its code.

    The decorator returns this in place of the function, so a rule body reports through its own name
    (`yield my_check.finding(...)`) and the type checker knows what that is.
    """

    __slots__ = ("_check", "rule")

    def __init__(self, check: Check, rule: Rule):
        self._check = check
        self.rule = rule

    def __call__(self, ctx: Context) -> Iterable[Finding]:
        return self._check(ctx)

    def finding(self, location: Location, message: str, record: str | None = None,
                hint: str | None = None, severity: str | None = None) -> Finding:
        return self.rule.finding(location, message, record, hint, severity)


def rule(code: str, severity: str, title: str, *, area: str, clause: str, rationale: str,
         per_record: bool = False, reads_targets: bool = False, neighbourhood: bool = False) -> Callable[[Check], RuleCheck]:
    """Register a check over the RecordSet; it reports through the returned RuleCheck's `finding`.

    `per_record`: the check reads the records through `Context.checked_records` / `checked_links` and each
    finding names the record it was found on (codes.registry.Rule.per_record, reads_targets). `neighbourhood`:
    run with `Context.focus` set, it finds what it would find about the records in focus, and nothing else
    (codes.registry.Rule.neighbourhood)."""
    return also_checks(declare(code, severity, title, area=area, clause=clause, rationale=rationale),
                       per_record=per_record, reads_targets=reads_targets, neighbourhood=neighbourhood)


def also_checks(declared: Rule, per_record: bool = False, reads_targets: bool = False,
                neighbourhood: bool = False) -> Callable[[Check], RuleCheck]:
    """Attach a RecordSet check to a code that loading raises too (e.g. malformed IDs)."""
    def register(check: Check) -> RuleCheck:
        RULES[declared.code] = replace(declared, check=check, per_record=per_record, reads_targets=reads_targets,
                                       neighbourhood=neighbourhood)
        return RuleCheck(check, RULES[declared.code])

    return register
