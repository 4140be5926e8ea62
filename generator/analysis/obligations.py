"""What each person owes and by when (ISO 13485 4.1, 5.5.1): open obligations computed from the records
and the policies in force, for `qms due` worklists, calendars and digests.

Every obligation is read from a date the records or a policy carry; none is invented:

* its ID is `kind:record[:sub-item]` (never a counter), so two days' lists can be compared;
* its due date is the last day on which it is on time: overdue from the day after (as the rules judge);
* its owner is resolved, not guessed: the sub-item's or record's owner, else the CAPA policy's area
  map (`owners[area]`, `default_owner`), else the first role that may approve the record's kind. An
  owner who is not an active user on the as-of date leaves the obligation unassigned, with the reason;
* `basis` says how the date was computed: the field, or the policy ID and its clause.

Obligations whose records carry no date (an approved change control with no planned steps, a record in
review, a complaint with no complaint policy in force) are listed with no due date: they are owed now, and
no date can be computed for them without guessing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model.events import AUTHORITIES, Complaint
from ..model.labels import status_label
from ..model.people import Role, User
from ..model.policy import CapaPolicy, ComplaintPolicy, SupplierPolicy, VigilancePolicy
from ..recordset import RecordSet
from . import vigilance
from .dates import add_months
from .policies import in_force

KINDS = ("capa", "capa-stage", "capa-action", "effectiveness", "approval", "training", "calibration",
         "maintenance", "certificate", "requalification", "reevaluation", "audit", "vigilance", "reportability", "complaint",
         "fmea-action", "change", "change-action", "deviation")


@dataclass(frozen=True)
class Obligation:
    id: str
    kind: str
    record: str
    location: str
    action: str  # what is to be done
    due: dt.date | None
    basis: str  # how the due date is computed: field, or policy ID and clause
    area: str
    owner: str | None = None  # a user or role ID; None: unassigned
    owner_from: str = ""  # record | sub-item | policy POL-… owners[area] | role
    unassigned: str | None = None  # why no owner (a finding)

    def days_left(self, as_of: dt.date) -> int | None:
        return None if self.due is None else (self.due - as_of).days

    def state(self, as_of: dt.date) -> str:
        left = self.days_left(as_of)
        if left is None:
            return "no date"
        return "overdue" if left < 0 else "due today" if left == 0 else "open"

    def as_json(self, as_of: dt.date) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "record": self.record, "location": self.location,
                "action": self.action, "due": self.due.isoformat() if self.due else None,
                "days_left": self.days_left(as_of), "state": self.state(as_of), "basis": self.basis,
                "area": self.area, "owner": self.owner, "owner_from": self.owner_from,
                "unassigned": self.unassigned}


def sort_key(o: Obligation) -> tuple[Any, ...]:
    """By due date, earliest (so overdue) first; undated last; then ID for a stable order."""
    return (o.due is None, o.due or dt.date.min, o.id)




class _Builder:
    def __init__(self, records: RecordSet, as_of: dt.date):
        self.records, self.as_of = records, as_of
        self.capa_policy = in_force(records, CapaPolicy)
        self.out: list[Obligation] = []

    def at(self, record_id: str, path: tuple[Any, ...] = ()) -> str:
        return str(self.records.sources[record_id].at(path))

    def role_for(self, kind: str) -> str | None:
        roles = sorted((r for r in self.records.of_type(Role) if not r.retired), key=lambda r: r.id)
        return next((r.id for r in roles if r.may_sign("approval", kind)), None)

    def add(self, kind: str, record: Any, sub: str, path: tuple[Any, ...], action: str, due: dt.date | None,
            basis: str, area: str, owner: Any = None) -> None:
        """One obligation, its owner resolved: `owner` (a sub-item's), the record's, the area map, a role."""
        chain: list[tuple[str | None, str]] = [
            (str(owner) if owner else None, "sub-item"),
            (str(record.owner) if getattr(record, "owner", None) else None, "record")]
        p = self.capa_policy
        if p is not None:
            mapped = p.owners.get(area) or p.default_owner
            chain.append((str(mapped) if mapped else None, f"{p.id} owners[{area}]"))
        chain.append((self.role_for(record.KIND), "role"))
        who, source = next(((w, s) for w, s in chain if w), (None, ""))
        why = None
        if who is None:
            why = "no owner on the record, no area owner in the CAPA policy and no role that approves it"
        elif who.startswith("USR"):
            user = self.records.get_as(who, User)
            if user is None:
                why = f"owner {who} is not a user record"
            elif not user.active_on(self.as_of):
                since = f" since {user.active_until}" if user.active_until else ""
                why = f"owner {who} ({user.name}) is not an active user{since}"
        oid = ":".join(x for x in (kind, record.id, sub) if x)
        self.out.append(Obligation(oid, kind, record.id, self.at(record.id, path), action, due, basis, area,
                                   None if why else who, source, why))


def _live(records: RecordSet, kind: str) -> Iterator[Any]:
    return (r for r in records.of_kind(kind) if not r.retired)


def _capa(b: _Builder, stages: dict[str, Any]) -> None:
    from .capa import capa_triggers

    p = b.capa_policy
    pid = p.id if p else "CAPA policy"
    for t in capa_triggers(b.records, b.as_of):
        if t.answered:
            continue
        nc = b.records.get(t.latest)
        b.add("capa", nc, "open", ("id",), f"open a CAPA: {t.detail}", t.due,
              f"{pid} due_days from the as-of date (ISO 13485 8.5.2)", t.area or "quality", t.owner)
    for capa in _live(b.records, "capa"):
        if capa.status == "closed":
            continue
        area = capa.area or "quality"
        if capa.due is not None:
            b.add("capa", capa, "", ("due",), f"close the CAPA ({status_label(capa.status)}): {capa.title}", capa.due,
                  "target closure `due` (ISO 13485 8.5.2; QMS405)", area)
        entry = stages.get(capa.id)
        allowed = p.stage_days.get(capa.status) if p else None
        if entry is not None and allowed is not None:
            b.add("capa-stage", capa, capa.status, ("status",), f"move the CAPA on from '{status_label(capa.status)}'",
                  entry.entered + dt.timedelta(days=allowed),
                  f"{pid} stage_days[{capa.status}] {allowed} from {entry.entered} (commit {entry.commit[:10]}; "
                  "QMS410)", area)
        for i, a in enumerate(capa.actions):
            if a.status == "open":
                b.add("capa-action", capa, str(i + 1), ("actions", i, "due"),
                      f"{a.type} action {i + 1}: {a.description}", a.due,
                      "action `due` (ISO 13485 8.5.2; QMS406)" if a.due else "the action has no due date", area,
                      a.owner)
        _effectiveness(b, capa, area)


def _effectiveness(b: _Builder, capa: Any, area: str) -> None:
    eff = capa.effectiveness
    if eff is not None and eff.checked is not None:
        return
    live = [a for a in capa.actions if a.status != "cancelled"]
    if capa.status != "effectiveness_check" and (not live or any(a.status == "open" for a in live)):
        return
    p = b.capa_policy
    if eff is not None and eff.check_due is not None:
        due, basis = eff.check_due, "effectiveness `check_due` (ISO 13485 8.5.2 f)"
        path: tuple[Any, ...] = ("effectiveness", "check_due")
    else:
        done = [a.done for a in live if a.done is not None]
        if not done or p is None:
            due, basis = None, "no check_due and no completed action to count the waiting period from"
        else:
            due = max(done) + dt.timedelta(days=p.effectiveness_wait_days)
            basis = f"{p.id} effectiveness_wait_days {p.effectiveness_wait_days} from the last action done {max(done)}"
        path = ("effectiveness",) if eff is not None else ("status",)
    verifier = eff.verified_by if eff is not None else None
    b.add("effectiveness", capa, "", path, "check the effectiveness of the actions", due, basis, area,
          verifier)


def _approvals(b: _Builder) -> None:
    for rid in sorted(b.records.records):
        record = b.records.records[rid]
        if record.status == "in_review":
            b.add("approval", record, "", ("status",), f"review and sign {record.id} ({record.KIND}), in review",
                  None, "in review: the model records no reviewers or requested date", "quality")


def _training(b: _Builder) -> None:
    users = [u for u in b.records.of_type(User)]
    for doc in _live(b.records, "document"):
        if not doc.training_roles or doc.status not in ("approved", "effective"):
            continue
        roles = {str(r) for r in doc.training_roles}
        for user in users:
            if not roles & {str(r) for r in user.roles} or not user.active_on(b.as_of):
                continue
            held = [t for t in user.training if str(t.subject) == doc.id]
            if any(t.revision in (None, doc.revision) for t in held):
                continue
            was = f" (trained on {', '.join(sorted({t.revision for t in held if t.revision}))})" if held else ""
            roles_held = ", ".join(sorted(roles & {str(r) for r in user.roles}))
            b.add("training", doc, f"{doc.revision}:{user.id}", ("training_roles",),
                  f"{user.id} {user.name} to train on {doc.id} revision {doc.revision}{was}", doc.effective,
                  f"{doc.id} training_roles {roles_held}; due by the revision's `effective` date (ISO 13485 6.2)"
                  if doc.effective else "the revision has no effective date", "quality", user.id)


def _equipment(b: _Builder) -> None:
    users_of: dict[str, list[str]] = {}
    for protocol in _live(b.records, "protocol"):
        if protocol.status in ("approved", "in_review", "draft") and protocol.prerequisites:
            for ref in protocol.prerequisites.instruments:
                users_of.setdefault(str(ref), []).append(protocol.id)
    for eq in _live(b.records, "equipment"):
        if eq.status == "out_of_service":
            continue
        needed = f"; needed by {', '.join(sorted(users_of[eq.id]))}" if eq.id in users_of else ""
        cal = eq.calibration
        if cal is not None and cal.due is not None:
            b.add("calibration", eq, "", ("calibration", "due"), f"calibrate {eq.id} ({eq.title}){needed}",
                  cal.due, "calibration `due` (ISO 13485 7.6; QMS protocol readiness)", "production")
        m = eq.maintenance
        if m is not None and m.next_due is not None:
            how = f" per {m.procedure}" if m.procedure else ""
            if m.due is not None:
                basis, path = "maintenance `due`", ("maintenance", "due")
            else:
                basis, path = (f"maintenance `interval_days` {m.interval_days} from the last service {m.last}",
                               ("maintenance", "interval_days"))
            b.add("maintenance", eq, "", path, f"maintain {eq.id} ({eq.title}){how}{needed}", m.next_due,
                  f"{basis} (ISO 13485 6.3, 7.5.1; 21 CFR 820.70(g))", "production")


def _suppliers(b: _Builder) -> None:
    from .suppliers import undecided_reevaluations

    p = in_force(b.records, SupplierPolicy)
    pid = p.id if p else "supplier policy"
    for s in _live(b.records, "supplier"):
        latest: dict[str, tuple[int, Any]] = {}
        for i, cert in enumerate(s.certificates):  # only the newest certificate of each standard lapses
            key = cert.standard.strip().lower()
            if cert.expires is not None and (key not in latest or cert.expires > latest[key][1].expires):
                latest[key] = (i, cert)
        for key, (i, cert) in sorted(latest.items()):
            b.add("certificate", s, "".join(c if c.isalnum() else "-" for c in key), ("certificates", i, "expires"),
                  f"obtain the renewed {cert.standard} certificate{f' ({cert.number})' if cert.number else ''}",
                  cert.expires, f"certificate `expires` ({pid} warns {p.certificate_horizon_days if p else 60} "
                                "days ahead; ISO 13485 7.4.1; QMS502/QMS503)", "supplier")
        if s.requalification_due is not None:
            b.add("requalification", s, "", ("requalification_due",), f"re-evaluate supplier {s.id} ({s.title})",
                  s.requalification_due, "`requalification_due` (ISO 13485 7.4.1)", "supplier")
        months = p.audit_interval_months.get(s.criticality) if p else None
        if months is not None and s.status != "candidate":
            done = [a.date for a in s.audits if a.date <= b.as_of]
            if done:
                due, basis = add_months(max(done), months), (f"{pid} audit_interval_months[{s.criticality}] "
                                                            f"{months} from the audit of {max(done)} (QMS504)")
            else:
                due, basis = s.approved, f"{pid} audit_interval_months[{s.criticality}]: never audited (QMS504)"
            b.add("audit", s, "", ("audits",) if s.audits else ("criticality",),
                  f"audit {s.criticality} supplier {s.id} ({s.title})", due, basis, "supplier")
    for s, cur in undecided_reevaluations(b.records, b.as_of):
        b.add("reevaluation", s, cur.period, ("reevaluations",) if s.reevaluations else ("id",),
              f"decide the re-evaluation of {s.id}: scorecard {cur.period} score {cur.score:.1f}", cur.end,
              f"{pid} reevaluate_below {p.reevaluate_below if p else ''}: due at the end of period {cur.period} "
              "(ISO 13485 7.4.1; QMS512)", "supplier")


def _investigation_due(c: Any, policy: ComplaintPolicy | None) -> tuple[dt.date | None, str, tuple[str, ...]]:
    """The complaint's investigation due date, how it is computed, and where: the record's own
    `investigation_due` (an extension it justifies), else the complaint policy's clock from receipt."""
    clause = "ISO 13485 8.2.2; 21 CFR 820.198"
    if c.investigation_due is not None:
        return c.investigation_due, f"complaint `investigation_due` ({clause})", ("investigation_due",)
    if policy is None:
        return None, f"no investigation_due in the record and no complaint policy in force ({clause})", ("status",)
    unit = "work" if policy.business_days else "calendar"
    return (vigilance.due_date(c.received, policy.investigation_days, policy.business_days),
            f"{policy.id} investigation_days {policy.investigation_days} {unit} day(s) from receipt {c.received} "
            f"({clause})", ("received",))


def _complaints(b: _Builder) -> None:
    p = in_force(b.records, VigilancePolicy)
    clocks = list(p.clocks) if p else []
    handling = in_force(b.records, ComplaintPolicy)
    for c in b.records.of_type(Complaint):
        if c.status == "closed":
            continue
        if p is not None and c.reportable is None and clocks:
            due = vigilance.decision_due(c, clocks)
            b.add("reportability", c, "", ("reportable",), "decide whether the complaint is reportable", due,
                  f"{p.id} shortest applicable clock from {vigilance.clock_start(c)} (MDR Art. 87; QMS430)",
                  "complaints")
        if p is not None and c.reportable:
            for d in vigilance.deadlines(c, clocks):
                if d.submitted is None:
                    b.add("vigilance", c, d.authority, ("reports",) if c.reports else ("reportable",),
                          f"submit the {AUTHORITIES.get(d.authority, d.authority)} report "
                          f"({c.event_class})", d.due,
                          f"{p.id} clock {d.authority}/{c.event_class}: {d.clock} from {d.start} (QMS431)",
                          "complaints")
        due, basis, path = _investigation_due(c, handling)
        b.add("complaint", c, "", path, f"complete the investigation of {c.id} ({status_label(c.status)}): {c.title}", due, basis,
              "complaints")


def _fmea(b: _Builder) -> None:
    for line in _live(b.records, "fmea"):
        if line.recommended_action and line.action_done is None and line.status != "closed":
            b.add("fmea-action", line, "", ("action_due",), f"{line.recommended_action} ({line.item}: "
                  f"{line.failure_mode})", line.action_due,
                  "FMEA `action_due` (ISO 14971 7; QMS351)" if line.action_due else "the action has no due date",
                  "design" if line.fmea_type == "design" else "production", line.action_owner)


_CHANGE_AREA = {"design": "design", "software": "design", "labeling": "design", "process": "production",
                "supplier": "supplier"}


def _changes(b: _Builder) -> None:
    """A change's planned steps are owed once it is approved (never before: ISO 13485 7.3.9 and 21 CFR
    820.70(b) ask for approval before implementation) until each is done; a change with no open step
    is owed its next lifecycle step, undated."""
    for cc in _live(b.records, "change"):
        step = {"approved": "implement", "implemented": "verify the implementation of"}.get(cc.status)
        open_steps = [(i, a) for i, a in enumerate(cc.actions) if a.done is None] if step else []
        area = _CHANGE_AREA.get(cc.type or "", "quality")
        for i, a in open_steps:
            b.add("change-action", cc, str(i + 1), ("actions", i, "due") if a.due else ("actions", i),
                  f"{cc.id} step {i + 1} ({a.type}): {a.description}", a.due,
                  "step `due` of the approved change (ISO 13485 7.3.9; 21 CFR 820.70(b))" if a.due
                  else "the step has no due date", area, a.owner)
        if step and not open_steps:
            b.add("change", cc, cc.status, ("status",), f"{step} {cc.id}: {cc.title}", None,
                  "the change control records no planned implementation date (ISO 13485 7.3.9)",
                  _CHANGE_AREA.get(cc.type or "", "quality"))


def _deviations(b: _Builder, exports: dict[str, Any]) -> None:
    from .coldchain import deviation_needed

    for log in _live(b.records, "temperature_log"):
        export = exports.get(log.id)
        found = deviation_needed(b.records, log, export) if export is not None else None
        if found is not None:
            when, breaches = found
            b.add("deviation", log, "", ("data",), f"raise a deviation for {log.id}: {breaches}", when,
                  "excursion beyond the materials' allowance: deviation before use or shipment, from the day "
                  "the first excursion began (ISO 13485 8.3; QMS540)", "warehouse")
    for nc in _live(b.records, "nonconformance"):
        if nc.source == "excursion" and nc.status in ("open", "contained"):
            b.add("deviation", nc, nc.status, ("status",), f"disposition and close the deviation {nc.id} ({status_label(nc.status)})",
                  None, "the nonconformance records no due date (ISO 13485 8.3)", nc.area or "warehouse")


def obligations(records: RecordSet, as_of: dt.date, *, stages: dict[str, Any] | None = None,
                exports: dict[str, Any] | None = None) -> list[Obligation]:
    """Every open obligation on `as_of`, sorted by due date (overdue first), undated last.

    `stages`: CAPA ID -> when it entered its status (gitio.stages), for the CAPA policy's stage_days;
    `exports`: logger exports by temperature log ID (the load layer reads them), for excursions."""
    b = _Builder(records, as_of)
    _capa(b, stages or {})
    _approvals(b)
    _training(b)
    _equipment(b)
    _suppliers(b)
    _complaints(b)
    _fmea(b)
    _changes(b)
    _deviations(b, exports or {})
    return sorted(b.out, key=sort_key)


def within(items: Iterable[Obligation], as_of: dt.date, days: int | None) -> list[Obligation]:
    """Those due on or before `as_of + days` (every overdue one), and the undated ones; every one with None."""
    if days is None:
        return list(items)
    limit = as_of + dt.timedelta(days=days)
    return [o for o in items if o.due is None or o.due <= limit]


def counts(items: list[Obligation], as_of: dt.date) -> dict[str, Any]:
    def tally(key: Any) -> dict[str, dict[str, int]]:
        out: dict[str, Counter[str]] = {}
        for o in items:
            out.setdefault(key(o), Counter())[o.state(as_of)] += 1
            out[key(o)]["total"] += 1
        return {k: dict(sorted(v.items())) for k, v in sorted(out.items())}

    return {"total": len(items), "overdue": sum(o.state(as_of) == "overdue" for o in items),
            "unassigned": sum(o.owner is None for o in items),
            "by_area": tally(lambda o: o.area), "by_owner": tally(lambda o: o.owner or "(unassigned)"),
            "by_kind": tally(lambda o: o.kind)}


def dashboard(items: list[Obligation], as_of: dt.date, days: int | None) -> dict[str, Any]:
    """The one view of a worklist that `qms due --format json`, the management review input and the dossier
    index all show: counts by area, owner and kind, then every obligation, overdue first."""
    return {"as_of": as_of.isoformat(), "within_days": days, "counts": counts(items, as_of),
            "obligations": [o.as_json(as_of) for o in items]}
