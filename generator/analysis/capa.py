"""CAPA triggers (ISO 13485:2016 8.5.2, 8.5.3; 21 CFR 820.100): which nonconformances demand a CAPA.

A trigger is one of:

- `risk`: a live nonconformance whose risk estimate lands in a region the risk policy in force lists in
  `nc_capa_region` (the region is looked up with the risk analysis' own `Lookup`/`evaluate_estimate`);
- `required`: a live nonconformance whose `capa_required` decision is true;
- `recurrence`: `count` live nonconformances sharing the same value of every `by` key of the CAPA
  policy's recurrence (category, material, supplier) whose detection dates all fall within
  `window_days` of each other (first to last: a difference of exactly `window_days` is inside).
  Overlapping qualifying windows are merged, so a trend is one trigger (one cluster) however long it
  lasts; the cluster's ID is its sorted NC IDs.

`capa_required: false` never silences a trigger: the policies give no such exemption, and a finding
can only be accepted by a waiver record. Keys: a nonconformance without a category or without
materials does not cluster on that key (an unclassified NC is no trend); one without a supplier
shares the value "no supplier" (in-house) with the others that have none.

A trigger is answered when a live (not cancelled) CAPA lists any of its NCs in `sources`.

For a draft CAPA the trigger also names the owner (CAPA policy `owners[area]`, else `default_owner`)
and the due date: the as-of date (the draft's `opened`) plus `due_days`, because the policy defines
`due_days` as days from opening to target closure; counting from the NC's detection would make drafts
for older NCs overdue on the day they are written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..model.events import Capa, Nonconformance
from ..model.policy import CapaPolicy, RiskPolicy
from ..recordset import RecordSet
from .policies import in_force
from .risk import Lookup, evaluate_estimate

NO_SUPPLIER = "(no supplier)"


@dataclass(frozen=True)
class Trigger:
    id: str  # the NC ID for risk/required, the sorted NC IDs joined by '+' for a recurrence cluster
    reason: str  # "risk" | "required" | "recurrence"
    ncs: tuple[str, ...]  # sorted
    detail: str  # a sentence saying why
    key: tuple[tuple[str, str], ...] = ()  # recurrence: (by key, shared value)
    region: str | None = None
    latest: str = ""  # the NC detected last (the one that completes a trend); findings are raised there
    latest_detected: dt.date | None = None
    area: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    answered_by: tuple[str, ...] = ()

    @property
    def answered(self) -> bool:
        return bool(self.answered_by)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "reason": self.reason, "ncs": list(self.ncs), "detail": self.detail,
            "key": dict(self.key), "region": self.region, "latest": self.latest,
            "latest_detected": self.latest_detected.isoformat() if self.latest_detected else None,
            "area": self.area, "owner": self.owner, "due": self.due.isoformat() if self.due else None,
            "answered_by": list(self.answered_by),
        }


@dataclass
class _Ctx:
    records: RecordSet
    as_of: dt.date
    policy: CapaPolicy | None
    answered: dict[str, list[str]] = field(default_factory=dict)  # NC ID → live CAPAs listing it


def live_ncs(records: RecordSet, as_of: dt.date | None = None) -> list[Nonconformance]:
    """Nonconformances not cancelled (and detected by `as_of`), in detection order then ID."""
    out = [nc for nc in records.of_type(Nonconformance)
           if not nc.retired and (as_of is None or nc.detected <= as_of)]
    return sorted(out, key=lambda nc: (nc.detected, nc.id))


def capas_answering(records: RecordSet) -> dict[str, list[str]]:
    """Source record ID → IDs of the live CAPAs that list it in `sources`."""
    out: dict[str, list[str]] = {}
    for capa in records.of_type(Capa):
        if not capa.retired:
            for ref in capa.sources:
                out.setdefault(ref.id, []).append(capa.id)
    return {k: sorted(set(v)) for k, v in out.items()}


def key_values(nc: Nonconformance, by: Iterable[str]) -> list[tuple[tuple[str, str], ...]]:
    """Every combination of the NC's values of the `by` keys (an NC lists several materials)."""
    combos: list[tuple[tuple[str, str], ...]] = [()]
    for key in by:
        if key == "category":
            values = [nc.category.strip().lower()] if nc.category and nc.category.strip() else []
        elif key == "material":
            values = sorted({r.id for r in nc.materials})
        elif key == "supplier":
            values = [nc.supplier.id if nc.supplier is not None else NO_SUPPLIER]
        else:
            values = []
        if not values:
            return []
        combos = [c + ((key, v),) for c in combos for v in values]
    return combos


def clusters(ncs: list[Nonconformance], count: int, window_days: int) -> list[list[Nonconformance]]:
    """Merged qualifying windows over NCs of one key (in detection order): each a list of ≥ count NCs."""
    out: list[list[Nonconformance]] = []
    current: dict[str, Nonconformance] = {}
    window = dt.timedelta(days=window_days)
    for i, first in enumerate(ncs):
        members = [nc for nc in ncs[i:] if nc.detected - first.detected <= window]
        if len(members) < count:
            continue
        if current and any(nc.id in current for nc in members):
            current.update((nc.id, nc) for nc in members)
        else:
            if current:
                out.append(list(current.values()))
            current = {nc.id: nc for nc in members}
    if current:
        out.append(list(current.values()))
    return out


def owner_for(policy: CapaPolicy | None, area: str | None) -> str | None:
    if policy is None:
        return None
    if area and area in policy.owners:
        return policy.owners[area].id
    return policy.default_owner.id if policy.default_owner else None


def _make(c: _Ctx, reason: str, ncs: list[Nonconformance], detail: str, key: tuple[tuple[str, str], ...] = (),
          region: str | None = None) -> Trigger:
    ncs = sorted(ncs, key=lambda nc: (nc.detected, nc.id))
    ids = tuple(sorted(nc.id for nc in ncs))
    areas = Counter(nc.area for nc in ncs if nc.area)
    area = sorted(areas.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if areas else None
    answered = sorted({capa for nc_id in ids for capa in c.answered.get(nc_id, [])})
    due = c.as_of + dt.timedelta(days=c.policy.due_days) if c.policy is not None else None
    return Trigger("+".join(ids), reason, ids, detail, key, region, ncs[-1].id, ncs[-1].detected, area,
                   owner_for(c.policy, area), due, tuple(answered))


def capa_triggers(records: RecordSet, as_of: dt.date) -> list[Trigger]:
    """Every CAPA trigger among the nonconformances detected by `as_of`, answered or not, in a stable order."""
    risk_policy = in_force(records, RiskPolicy)
    c = _Ctx(records, as_of, in_force(records, CapaPolicy), capas_answering(records))
    ncs = live_ncs(records, as_of)
    out: list[Trigger] = []
    lookup = Lookup(risk_policy) if risk_policy is not None else None
    capa_regions = set(risk_policy.nc_capa_region) if risk_policy is not None else set()
    for nc in ncs:
        est = evaluate_estimate(lookup, nc.risk, None) if lookup is not None else None
        if est is not None and risk_policy is not None and est.region in capa_regions:
            out.append(_make(c, "risk", [nc], f"risk (severity {est.severity}, probability {est.probability}) "
                                              f"is in region '{est.region}', which demands a CAPA "
                                              f"({risk_policy.id} nc_capa_region)", region=est.region))
        elif nc.capa_required:
            out.append(_make(c, "required", [nc], "capa_required is true"))
    rec = c.policy.recurrence if c.policy is not None else None
    if c.policy is not None and rec is not None and rec.by:
        groups: dict[tuple[tuple[str, str], ...], list[Nonconformance]] = {}
        for nc in ncs:
            for combo in key_values(nc, rec.by):
                groups.setdefault(combo, []).append(nc)
        seen: set[str] = set()
        for combo in sorted(groups):
            for members in clusters(groups[combo], rec.count, rec.window_days):
                shared = ", ".join(f"{k} {v}" for k, v in combo)
                t = _make(c, "recurrence", members,
                          f"{len(members)} nonconformances with {shared} within {rec.window_days} days "
                          f"({c.policy.id} recurrence: {rec.count} make a trend)", key=combo)
                if t.id not in seen:  # the same NCs may share several materials
                    seen.add(t.id)
                    out.append(t)
    return sorted(out, key=lambda t: (t.latest_detected or dt.date.min, t.reason, t.id))


def draft_groups(triggers: list[Trigger]) -> list[list[Trigger]]:
    """Unanswered triggers joined when they share an NC, so one draft CAPA answers each group."""
    pending = [t for t in triggers if not t.answered]
    groups: list[list[Trigger]] = []
    for t in pending:
        hits = [g for g in groups if any(set(t.ncs) & set(o.ncs) for o in g)]
        merged = [t] + [o for g in hits for o in g]
        groups = [g for g in groups if g not in hits] + [merged]
    for g in groups:
        g.sort(key=lambda t: (t.latest_detected or dt.date.min, t.reason, t.id))
    return sorted(groups, key=lambda g: min(nc for t in g for nc in t.ncs))
