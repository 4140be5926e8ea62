"""FMEA analysis: RPN and AIAG-VDA action priority per line, the policy gate, re-ratings, band counts.

`analyse_fmea(records)` is a pure function of the RecordSet. The FMEA policy in force
(specs/policies, `policy: fmea`) says which lines are gated for action: by action priority
(AP in `action_priority_gate`) or by classic RPN (RPN ≥ `rpn_threshold`). With no usable
policy in force every value is still computed, but no line is gated (`gated` is None) and a
rule reports the missing policy.

`FmeaResult.as_json()` is a list of one dict per line; the keys `id`, `severity`,
`occurrence`, `detection`, `rpn` and `action_priority` are a contract (`qms risk --format
json` carries the list under "fmea").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..model.policy import FmeaPolicy
from ..model.risk import FmeaLine
from ..recordset import RecordSet
from .action_priority import PRIORITIES, action_priority
from .policies import in_force

# RPN distribution bands for reporting: equal hundreds over 1..1000. A histogram, not a judgement:
# what needs action is the policy's call (rpn_threshold), never these bands.
RPN_BANDS: tuple[tuple[int, int], ...] = tuple((lo if lo else 1, lo + 99 if lo < 900 else 1000)
                                                 for lo in range(0, 1000, 100))


def rpn_band(rpn: int) -> str:
    for lo, hi in RPN_BANDS:
        if lo <= rpn <= hi:
            return f"{lo}-{hi}"
    raise ValueError(f"RPN {rpn} is outside 1-1000")


def _ref_ids(refs: Any) -> list[str]:
    return [str(r) for r in refs or ()]


@dataclass(frozen=True)
class FmeaRow:
    id: str
    fmea_type: str
    item: str
    failure_mode: str
    status: str
    severity: int
    occurrence: int
    detection: int
    rpn: int
    action_priority: str
    gated: bool | None  # None: no usable FMEA policy in force, so nothing is gated
    always_review: bool  # severity at or above the policy's always-review severity
    has_action: bool  # a recommended action and an action owner
    recommended_action: str | None
    action_owner: str | None
    action_due: dt.date | None
    action_done: dt.date | None
    severity_after: int | None
    occurrence_after: int | None
    detection_after: int | None
    rpn_after: int | None  # only when all three re-ratings are given
    action_priority_after: str | None
    hazards: tuple[str, ...]
    risk_controls: tuple[str, ...]

    @property
    def re_rated(self) -> bool:
        return self.rpn_after is not None

    @property
    def action_priority_now(self) -> str:
        """The priority the line stands at: its re-rating once it has one, else its first rating."""
        return self.action_priority_after or self.action_priority

    @property
    def partly_re_rated(self) -> bool:
        given = [v is not None for v in (self.severity_after, self.occurrence_after, self.detection_after)]
        return any(given) and not all(given)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "fmea_type": self.fmea_type,
            "item": self.item,
            "failure_mode": self.failure_mode,
            "status": self.status,
            "severity": self.severity,
            "occurrence": self.occurrence,
            "detection": self.detection,
            "rpn": self.rpn,
            "action_priority": self.action_priority,
            "gated": self.gated,
            "always_review": self.always_review,
            "has_action": self.has_action,
            "recommended_action": self.recommended_action,
            "action_owner": self.action_owner,
            "action_due": self.action_due.isoformat() if self.action_due else None,
            "action_done": self.action_done.isoformat() if self.action_done else None,
            "severity_after": self.severity_after,
            "occurrence_after": self.occurrence_after,
            "detection_after": self.detection_after,
            "rpn_after": self.rpn_after,
            "action_priority_after": self.action_priority_after,
            "hazards": list(self.hazards),
            "risk_controls": list(self.risk_controls),
        }


@dataclass(frozen=True)
class FmeaResult:
    rows: list[FmeaRow]
    policy: str | None  # ID of the FMEA policy in force, if any
    gate: str | None  # "action_priority" | "rpn" | None (no usable policy)
    action_priority_gate: tuple[str, ...] = ()
    rpn_threshold: int | None = None
    always_review_severity: int = 9
    by_action_priority: dict[str, int] = field(default_factory=dict)  # H/M/L → lines
    by_action_priority_after: dict[str, int] = field(default_factory=dict)  # re-rated lines only
    by_action_priority_now: dict[str, int] = field(default_factory=dict)  # every line, re-rated where it was
    by_rpn_band: dict[str, int] = field(default_factory=dict)  # "1-99" … "900-1000" → lines

    def row(self, line_id: str) -> FmeaRow | None:
        return next((r for r in self.rows if r.id == line_id), None)

    def ids_with_priority(self, priority: str) -> list[str]:
        return [r.id for r in self.rows if r.action_priority == priority]

    @property
    def gated(self) -> list[FmeaRow]:
        return [r for r in self.rows if r.gated]

    def as_json(self) -> list[dict[str, Any]]:
        """One dict per FMEA line, in ID order."""
        return [r.as_json() for r in self.rows]

    def summary(self) -> dict[str, Any]:
        return {
            "lines": len(self.rows),
            "policy": self.policy,
            "gate": self.gate,
            "action_priority_gate": list(self.action_priority_gate),
            "rpn_threshold": self.rpn_threshold,
            "always_review_severity": self.always_review_severity,
            "gated": len(self.gated) if self.gate else None,
            "gated_without_action": sum(1 for r in self.gated if not r.has_action) if self.gate else None,
            "by_action_priority": dict(self.by_action_priority),
            "by_action_priority_after": dict(self.by_action_priority_after),
            "by_action_priority_now": dict(self.by_action_priority_now),
            "by_rpn_band": dict(self.by_rpn_band),
        }


def default_always_review_severity() -> int:
    """The FMEA policy schema's default (severity 9–10 is always reviewed), used when no policy is in force."""
    return int(FmeaPolicy.model_fields["always_review_severity"].default)


def usable_gate(policy: FmeaPolicy | None) -> str | None:
    """The gate the policy applies, or None when there is no policy or it cannot gate (RPN without a threshold)."""
    if policy is None:
        return None
    if policy.gate == "rpn" and policy.rpn_threshold is None:
        return None
    return policy.gate


def analyse_fmea(records: RecordSet) -> FmeaResult:
    policy: FmeaPolicy | None = in_force(records, FmeaPolicy)
    gate = usable_gate(policy)
    ap_gate = tuple(policy.action_priority_gate) if policy else ()
    threshold = policy.rpn_threshold if policy else None
    review_from = policy.always_review_severity if policy else default_always_review_severity()

    rows: list[FmeaRow] = []
    for line in records.of_type(FmeaLine):
        s, o, d = line.severity, line.occurrence, line.detection
        rpn = s * o * d
        ap = action_priority(s, o, d)
        if gate == "action_priority":
            gated: bool | None = ap in ap_gate
        elif gate == "rpn" and threshold is not None:  # usable_gate gives "rpn" only with a threshold
            gated = rpn >= threshold
        else:
            gated = None
        sa, oa, da = line.severity_after, line.occurrence_after, line.detection_after
        if sa is not None and oa is not None and da is not None:
            rpn_after: int | None = sa * oa * da
            ap_after: str | None = action_priority(sa, oa, da)
        else:
            rpn_after = ap_after = None
        rows.append(FmeaRow(
            id=line.id, fmea_type=line.fmea_type, item=line.item, failure_mode=line.failure_mode,
            status=line.status, severity=s, occurrence=o, detection=d, rpn=rpn, action_priority=ap,
            gated=gated, always_review=s >= review_from,
            has_action=bool(line.recommended_action) and line.action_owner is not None,
            recommended_action=line.recommended_action,
            action_owner=str(line.action_owner) if line.action_owner is not None else None,
            action_due=line.action_due, action_done=line.action_done,
            severity_after=line.severity_after, occurrence_after=line.occurrence_after,
            detection_after=line.detection_after, rpn_after=rpn_after, action_priority_after=ap_after,
            hazards=tuple(_ref_ids(line.hazards)), risk_controls=tuple(_ref_ids(line.risk_controls)),
        ))

    by_ap = {p: sum(1 for r in rows if r.action_priority == p) for p in PRIORITIES}
    by_ap_after = {p: sum(1 for r in rows if r.action_priority_after == p) for p in PRIORITIES}
    by_ap_now = {p: sum(1 for r in rows if r.action_priority_now == p) for p in PRIORITIES}
    by_band = {f"{lo}-{hi}": 0 for lo, hi in RPN_BANDS}
    for r in rows:
        by_band[rpn_band(r.rpn)] += 1
    return FmeaResult(
        rows=rows, policy=policy.id if policy else None, gate=gate, action_priority_gate=ap_gate,
        rpn_threshold=threshold, always_review_severity=review_from, by_action_priority=by_ap,
        by_action_priority_after=by_ap_after, by_action_priority_now=by_ap_now, by_rpn_band=by_band,
    )
