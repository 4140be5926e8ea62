"""Cycles in hierarchical links (area: references): each reported once, with its path."""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis.cycles import cycles
from ..findings import Finding
from .context import Context
from .registry import rule


@rule("QMS128", "error", "Link cycle in a hierarchy", area="references",
      clause="ISO 13485:2016 4.2.4, 7.3.3, 7.5.9; 21 CFR 820.30(c), 820.184",
      rationale="Links of a role that joins a kind to itself form a hierarchy: derived_from (requirements), "
                "consumes.lot (lots), supersedes (documents), bom.material (materials) and "
                "prerequisites.training (protocols) — every self-referencing link role of the model except "
                "owner. A cycle in them (REQ-0001 → REQ-0003 → REQ-0004 → REQ-0001, lots consuming each "
                "other, parent cycles imported from doorstop or strictdoc) makes a record its own ancestor, so "
                "the trace, the genealogy and the supersession history say nothing. Each cycle is reported "
                "once, from its smallest ID, at that record's link.")
def link_cycles(ctx: Context) -> Iterator[Finding]:
    for cycle in cycles(ctx.records):
        others = [m for m in cycle.members if m not in cycle.path]
        also = f"; also caught in this cycle: {', '.join(others)}" if others else ""
        start = cycle.path[0]
        yield link_cycles.finding(
            ctx.at(start, cycle.link.path), f"'{cycle.role}' links form a cycle: {cycle}{also}", start,
            hint=f"remove or redirect one link of the cycle, e.g. {start} '{cycle.role}' → {cycle.path[1]}")
