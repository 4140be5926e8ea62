"""Rules: small checks over the RecordSet, each with a code, severity, clause and rationale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..codes import numbers, schema  # noqa: F401  (declare the codes raised while reading)
from ..codes.registry import RULES, Rule
from ..findings import Finding
from ..recordset import RecordSet
from . import (  # noqa: F401  (registers the rules)
    capa,  # noqa: F401  (registers the CAPA rules)
    changes,  # noqa: F401  (registers the change-control rules)
    coldchain,  # noqa: F401  (registers the cold-chain rule)
    complaints,  # noqa: F401  (registers the complaint and vigilance rules)
    conformity,  # noqa: F401  (registers the GSPR and evidence rules)
    cycles,  # noqa: F401  (registers the link-cycle rule)
    fmea,  # noqa: F401  (registers the FMEA rules)
    integrity,  # noqa: F401  (registers the approval and signature rules)
    labelling,  # noqa: F401  (registers the label and IFU file rules)
    manufacturing,  # noqa: F401  (registers the special-process and site rules)
    pms,  # noqa: F401  (registers the PMS plan, PSUR and declaration rules)
    production,  # noqa: F401  (registers the production and UDI rules)
    references,
    risk,  # noqa: F401  (registers the rules)
    supply,  # noqa: F401  (registers the purchasing and incoming-inspection rules)
    trace,  # noqa: F401  (registers the traceability rules)
    validation,  # noqa: F401  (registers the protocol rules)
)
from .context import Context
from .waivers import apply_waivers
from .watched import WatchedContext

if TYPE_CHECKING:
    from ..gitio.signatures import GitFacts

# A rule's footprint (recordset.Watch tokens: the kinds it read, ANY, ALWAYS) and its findings.
RuleResult = tuple[frozenset[str], list[Finding]]


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    # When the RecordSet was watched: each rule's footprint and findings (before waivers), and the rules run.
    by_rule: dict[str, RuleResult] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    narrowed: list[str] = field(default_factory=list)  # of those, the per-record rules run on the focus alone

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def unreadable(self) -> bool:
        return any(RULES[f.code].unreadable for f in self.findings if f.code in RULES)

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.errors else 0


def check(records: RecordSet, load_findings: Iterable[Finding], as_of: dt.date,
          exports: dict | None = None, area: str | None = None, git: GitFacts | None = None,
          reuse: dict[str, RuleResult] | None = None, refresh: dict[str, RuleResult] | None = None,
          focus: frozenset[str] = frozenset()) -> Report:
    """Run every rule (or those of one area), then apply waivers; findings come back in a stable order.

    With `area`, only that area's rules run and only their findings are kept (waivers about other
    areas' findings are not reported as stale). A rule in `reuse` is not run: its stored result stands
    (`qms validate` passes the rules whose footprint no change since the stored run meets). A per-record
    rule in `refresh` runs on the records in `focus` alone; its findings are those kept in `refresh` (about
    the other records) and the new ones. When the RecordSet is watched (RecordSet.watch), the report holds
    each rule's footprint and findings.
    """
    watch = records.watching
    ctx = Context(records, as_of, exports or {}, git) if watch is None else \
        WatchedContext(records, as_of, exports or {}, git)
    findings = list(load_findings)
    report = Report()
    for code in sorted(RULES):
        rule = RULES[code]
        if rule.check is None or area not in (None, rule.area):
            continue
        kept = reuse.get(code) if reuse is not None else None
        partial = refresh.get(code) if refresh is not None else None
        if kept is not None:
            findings.extend(kept[1])
            report.by_rule[code] = kept
        elif partial is not None:
            found = [*partial[1], *rule.check(replace(ctx, focus=focus))]
            findings.extend(found)
            report.by_rule[code] = (partial[0], found)
            report.ran.append(code)
            report.narrowed.append(code)
        elif watch is None:
            findings.extend(rule.check(ctx))
            report.ran.append(code)
        else:
            watch.push()
            try:
                found = list(rule.check(ctx))
            finally:
                seen = watch.pop()
            findings.extend(found)
            report.by_rule[code] = (seen, found)
            report.ran.append(code)
    open_, waived = apply_waivers(findings, ctx)
    if area is not None:
        open_ = [f for f in open_ if f.code in RULES and RULES[f.code].area == area]
    report.findings = sorted(open_, key=lambda f: f.sort_key)
    report.waived = sorted(waived, key=lambda f: f.sort_key)
    return report


__all__ = ["RULES", "Context", "Report", "Rule", "RuleResult", "check"]
