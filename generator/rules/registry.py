"""The rule registry: every finding code, its severity, clause and rationale.

Checks that run over the RecordSet register with `@rule`; codes raised while
loading (syntax, schema) register with `declare`, so `qms rules` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..findings import Finding, Location

if TYPE_CHECKING:
    from .context import Context

Check = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" | "warning"
    title: str
    area: str
    clause: str
    rationale: str
    check: Check | None = None
    # The input could not be read at all: the run exits 2 rather than 1.
    unreadable: bool = False

    def finding(self, location: Location, message: str, record: str | None = None,
                hint: str | None = None, severity: str | None = None) -> Finding:
        return Finding(self.code, severity or self.severity, location, message, record, hint)

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code, "severity": self.severity, "title": self.title, "area": self.area,
            "clause": self.clause, "rationale": self.rationale,
        }


RULES: dict[str, Rule] = {}


def declare(code: str, severity: str, title: str, *, area: str, clause: str, rationale: str,
            unreadable: bool = False) -> Rule:
    if code in RULES:
        raise RuntimeError(f"rule code {code} registered twice")
    RULES[code] = Rule(code, severity, title, area, clause, rationale, None, unreadable)
    return RULES[code]


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


def rule(code: str, severity: str, title: str, *, area: str, clause: str,
         rationale: str) -> Callable[[Check], RuleCheck]:
    """Register a check over the RecordSet; it reports through the returned RuleCheck's `finding`."""
    return also_checks(declare(code, severity, title, area=area, clause=clause, rationale=rationale))


def also_checks(declared: Rule) -> Callable[[Check], RuleCheck]:
    """Attach a RecordSet check to a code that loading raises too (e.g. malformed IDs)."""
    def register(check: Check) -> RuleCheck:
        RULES[declared.code] = replace(declared, check=check)
        return RuleCheck(check, RULES[declared.code])

    return register
