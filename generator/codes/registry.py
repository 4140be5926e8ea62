"""The code registry: every finding code, its severity, clause and rationale.

Codes raised while loading (syntax, schema) register here with `declare`; checks over the RecordSet
register through `rules.registry`, which attaches the check to the code. `qms rules` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..findings import Finding, Location


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # "error" | "warning"
    title: str
    area: str
    clause: str
    rationale: str
    # The rule's check over the RecordSet (it takes a rules.Context), attached by rules.registry; None for a
    # code raised only while reading. Typed loosely here because the ground floor does not know the Context.
    check: Callable[..., Iterable[Finding]] | None = None
    # The input could not be read at all: the run exits 2 rather than 1.
    unreadable: bool = False
    # Every finding of the check is about the record it was found on (its `record`), and depends only on that
    # record, where it stands, and which IDs exist with which kinds and statuses: after an edit that keeps every
    # ID, kind and status, `qms validate` runs it on the edited records alone (rules.incremental).
    per_record: bool = False
    # A per-record check whose findings on a record depend also on the content of the records it links to (a
    # review stamp against the target's fingerprint): it runs on the edited records and those linking to them.
    reads_targets: bool = False
    # Every finding of the check is about the record it was found on, and depends only on that record, the records
    # it links to and that link to it, and the repository's structure: which IDs exist with which kinds and
    # statuses, holding which links (a chain of links may be followed, a further record's content not read).
    # After an edit that keeps the structure, it runs on the edited records and their neighbours alone.
    neighbourhood: bool = False

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
