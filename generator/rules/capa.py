"""Corrective and preventive action (ISO 13485:2016 8.5.2, 8.5.3; 21 CFR 820.100).

Triggers (risk region, capa_required, recurrence) come from `analysis.capa`; deadlines and the
effectiveness waiting period from the CAPA policy in force. Cancelled CAPAs are only checked for
their cancel reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..analysis.capa import capa_triggers, key_values, live_ncs
from ..analysis.policies import in_force
from ..findings import Finding
from ..model.events import Capa
from ..model.policy import CapaPolicy
from .context import Context
from .registry import rule

_AREA = "events"
_CAPA = "ISO 13485:2016 8.5.2 a)-c), 8.5.3; 21 CFR 820.100(a)(1)-(2)"
_CAUSE = "ISO 13485:2016 8.5.2 b); 21 CFR 820.100(a)(2)"
_ACTIONS = "ISO 13485:2016 8.5.2 d); 21 CFR 820.100(a)(3), (a)(5)"
_EFFECTIVE = "ISO 13485:2016 8.5.2 e)-f); 21 CFR 820.100(a)(4)"
_TIMELY = "ISO 13485:2016 8.5.2 ('without undue delay'); 21 CFR 820.100(a)"
_RECUR = "ISO 13485:2016 8.5.2 f), 8.5.3; 21 CFR 820.100(a)(1), (a)(4)"
_RECORDS = "ISO 13485:2016 4.2.5, 8.5.2; 21 CFR 820.100(b)"


def _capas(ctx: Context, *, status: str | None = None) -> Iterator[Capa]:
    for capa in ctx.records.of_type(Capa):
        if status is None or capa.status == status:
            yield capa


@rule("QMS401", "error", "Nonconformance needs a CAPA and none answers it", area=_AREA, clause=_CAPA,
      rationale="A nonconformance whose risk lies in a region the risk policy marks as demanding a CAPA "
                "(nc_capa_region), one decided capa_required: true, and a recurrence trend of the CAPA policy "
                "(count nonconformances sharing category/material/supplier within window_days) must each be "
                "answered by a CAPA that lists the nonconformances in its sources. `qms capa draft` writes one.")
def unanswered_trigger(ctx: Context) -> Iterator[Finding]:
    for t in capa_triggers(ctx.records, ctx.as_of):
        if t.answered:
            continue
        field = {"risk": ("risk",), "required": ("capa_required",), "recurrence": (t.key[0][0] if t.key else "category",)}
        path = field[t.reason]
        if path == ("material",):
            path = ("materials",)
        others = [n for n in t.ncs if n != t.latest]
        yield unanswered_trigger.finding(
            ctx.at(t.latest, path),
            f"{t.latest} needs a CAPA: {t.detail}" + (f" (with {', '.join(others)})" if others else "")
            + "; no CAPA lists it in sources", t.latest,
            hint="run `qms capa draft` to write a draft CAPA, or add the nonconformance(s) to the sources of the "
                 "CAPA that already addresses them")


@rule("QMS402", "error", "CAPA closed without a root cause statement", area=_AREA, clause=_CAUSE,
      rationale="8.5.2 b) and 820.100(a)(2) require the cause of the nonconformity to be determined before "
                "action is taken; a closed CAPA must state its root cause.")
def closed_without_root_cause(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx, status="closed"):
        if capa.root_cause is None or not (capa.root_cause.statement or "").strip():
            yield closed_without_root_cause.finding(
                ctx.at(capa.id, ("root_cause",) if capa.root_cause is not None else ("status",)),
                f"{capa.id} is closed but has no root cause statement", capa.id,
                hint="record root_cause.statement (and the method that led to it), or reopen the CAPA")


@rule("QMS403", "error", "CAPA closed with actions still open", area=_AREA, clause=_ACTIONS,
      rationale="A CAPA is closed only when every action it planned is done (with evidence) or cancelled "
                "with a reason; 820.100(a)(4) and 8.5.2 d) require the actions to be implemented.")
def closed_with_open_actions(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx, status="closed"):
        for i, action in enumerate(capa.actions):
            if action.status not in ("done", "cancelled"):
                yield closed_with_open_actions.finding(
                    ctx.at(capa.id, ("actions", i, "status")),
                    f"{capa.id} is closed but action {i + 1} ({action.type}) is '{action.status}'", capa.id,
                    hint="complete the action (status done, done date, evidence) or cancel it, or reopen the CAPA")


@rule("QMS404", "error", "CAPA closed without verified effectiveness", area=_AREA, clause=_EFFECTIVE,
      rationale="8.5.2 e) and 820.100(a)(4) require verification that the action was effective and did not "
                "adversely affect the device: a closed CAPA needs an effectiveness check performed, with result "
                "'effective' and the verifier named.")
def closed_not_effective(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx, status="closed"):
        eff = capa.effectiveness
        missing = []
        if eff is None or eff.checked is None:
            missing.append("no check date")
        if eff is None or eff.result != "effective":
            missing.append(f"result '{eff.result}'" if eff is not None and eff.result else "no result")
        if eff is None or eff.verified_by is None:
            missing.append("no verifier")
        if missing:
            yield closed_not_effective.finding(
                ctx.at(capa.id, ("effectiveness",) if eff is not None else ("status",)),
                f"{capa.id} is closed but its effectiveness is not verified as effective ({', '.join(missing)})",
                capa.id, hint="perform the effectiveness check against the criteria and record checked, result: "
                              "effective and verified_by; if not effective, reopen the CAPA with further actions")


@rule("QMS405", "error", "CAPA past its target closure date", area=_AREA, clause=_TIMELY,
      rationale="A CAPA's due date is the commitment tracked by management review; an open CAPA past it is "
                "an untimely CAPA (820.100, 8.5.2 'without undue delay'). Move the date only with a recorded "
                "justification.")
def capa_overdue(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx):
        if capa.status in ("closed", "cancelled") or capa.due is None or capa.due >= ctx.as_of:
            continue
        yield capa_overdue.finding(
            ctx.at(capa.id, ("due",)),
            f"{capa.id} is '{capa.status}' and was due {capa.due} ({(ctx.as_of - capa.due).days} day(s) overdue "
            f"as of {ctx.as_of})", capa.id,
            hint="close the CAPA, or extend `due` with a justification approved by the owner's manager")


@rule("QMS406", "warning", "CAPA action past its due date", area=_AREA, clause=_TIMELY,
      rationale="Actions are the CAPA's milestones; one past its due date and not done puts the CAPA's "
                "closure at risk. A warning: the CAPA's own due date is the commitment (QMS405).")
def action_overdue(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx):
        if capa.status in ("closed", "cancelled"):
            continue
        for i, action in enumerate(capa.actions):
            if action.status == "open" and action.due is not None and action.due < ctx.as_of:
                yield action_overdue.finding(
                    ctx.at(capa.id, ("actions", i, "due")),
                    f"{capa.id} action {i + 1} ({action.type}) was due {action.due} and is not done", capa.id,
                    hint="complete the action (status done, done date, evidence), or re-plan its due date")


_CHECKED = ("effectiveness", "checked")  # located only when reported: most CAPAs pass


@rule("QMS407", "error", "Effectiveness checked too early", area=_AREA, clause=_EFFECTIVE,
      rationale="Effectiveness is judged against criteria set beforehand, and only after the actions have had "
                "time to work: the check date must not precede the date the criteria were set, nor the last "
                "action's completion plus the CAPA policy's effectiveness_wait_days.")
def checked_too_early(ctx: Context) -> Iterator[Finding]:
    policy = in_force(ctx.records, CapaPolicy)
    wait = policy.effectiveness_wait_days if policy is not None else 0
    for capa in _capas(ctx):
        eff = capa.effectiveness
        if capa.retired or eff is None or eff.checked is None:
            continue
        if eff.criteria_set is None or not (eff.criteria or "").strip():
            yield checked_too_early.finding(
                ctx.at(capa.id, _CHECKED),
                f"{capa.id} effectiveness was checked on {eff.checked} but no criteria (and date set) "
                "are recorded", capa.id,
                hint="record effectiveness.criteria and criteria_set; criteria set after the check cannot be used")
        elif eff.checked < eff.criteria_set:
            yield checked_too_early.finding(
                ctx.at(capa.id, _CHECKED),
                f"{capa.id} effectiveness was checked on {eff.checked}, before its criteria were set "
                f"({eff.criteria_set})", capa.id,
                hint="set measurable criteria first, then repeat the check against them")
        live = [a for a in capa.actions if a.status != "cancelled"]
        unfinished = [i + 1 for i, a in enumerate(capa.actions) if a.status == "open"]
        if unfinished:
            yield checked_too_early.finding(
                ctx.at(capa.id, _CHECKED),
                f"{capa.id} effectiveness was checked on {eff.checked} while action(s) "
                f"{', '.join(map(str, unfinished))} are not done", capa.id,
                hint="complete the actions, wait the policy's effectiveness period, then check")
            continue
        done = [a.done for a in live if a.done is not None]
        if done:
            earliest = max(done) + dt.timedelta(days=wait)
            if eff.checked < earliest:
                yield checked_too_early.finding(
                    ctx.at(capa.id, _CHECKED),
                    f"{capa.id} effectiveness was checked on {eff.checked}, before the last action done "
                    f"({max(done)}) plus {wait} day(s) = {earliest}", capa.id,
                    hint=f"repeat the check on or after {earliest} (CAPA policy effectiveness_wait_days)")


@rule("QMS408", "warning", "Problem recurred after the CAPA was closed", area=_AREA, clause=_RECUR,
      rationale="A new nonconformance of the same category/material/supplier (the CAPA policy's recurrence "
                "keys) as a nonconformance the CAPA addressed, detected after closure and within the recurrence "
                "window, suggests the action was not effective; the CAPA should be reviewed or reopened.")
def recurred_after_closure(ctx: Context) -> Iterator[Finding]:
    policy = in_force(ctx.records, CapaPolicy)
    rec = policy.recurrence if policy is not None else None
    if rec is None or not rec.by:
        return
    ncs = live_ncs(ctx.records, ctx.as_of)
    by_id = {nc.id: nc for nc in ncs}
    keys: dict[tuple, list] = {}
    for nc in ncs:
        for combo in key_values(nc, rec.by):
            keys.setdefault(combo, []).append(nc)
    window = dt.timedelta(days=rec.window_days)
    for capa in _capas(ctx, status="closed"):
        if capa.closed is None:
            continue
        sources = {r.id for r in capa.sources}
        recurring: dict[str, set[str]] = {}
        for src in sorted(sources):
            source = by_id.get(src)
            if source is None:
                continue
            for combo in key_values(source, rec.by):
                for other in keys.get(combo, []):
                    if other.id not in sources and capa.closed < other.detected <= capa.closed + window:
                        recurring.setdefault(other.id, set()).add(src)
        for other_id in sorted(recurring):
            yield recurred_after_closure.finding(
                ctx.at(capa.id, ("closed",)),
                f"{other_id} (detected {by_id[other_id].detected}) repeats {', '.join(sorted(recurring[other_id]))} "
                f"of {capa.id}, within {rec.window_days} days after it was closed on {capa.closed}", capa.id,
                hint=f"review the effectiveness of {capa.id}: reopen it or open a new CAPA listing {other_id}")


@rule("QMS409", "error", "CAPA cancelled without a reason", area=_AREA, clause=_RECORDS,
      rationale="Cancelling a CAPA ends the organisation's response to a problem; the record must say why "
                "(duplicate, merged into another CAPA, problem disproved) so the decision can be reviewed.")
def cancelled_without_reason(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx, status="cancelled"):
        if not (capa.cancel_reason or "").strip():
            yield cancelled_without_reason.finding(
                ctx.at(capa.id, ("status",)), f"{capa.id} is cancelled without a cancel_reason", capa.id,
                hint="record cancel_reason (e.g. duplicate of CAPA-..., merged, problem not confirmed)")


@rule("QMS410", "warning", "CAPA longer in its stage than the policy allows", area=_AREA, clause=_TIMELY,
      rationale="A CAPA policy may set the days allowed in each lifecycle stage (stage_days: investigation, "
                "action, effectiveness_check ...), so a CAPA stalled in one stage shows before its overall due "
                "date does. The stage began when the status was committed: the git history dates it, the record "
                "itself does not. Checked only where the history is available.")
def stage_overstayed(ctx: Context) -> Iterator[Finding]:
    policy = in_force(ctx.records, CapaPolicy)
    stages = ctx.git.stages if ctx.git is not None else {}
    if policy is None or not policy.stage_days or not stages:
        return
    for capa in _capas(ctx):
        allowed = policy.stage_days.get(capa.status)
        entry = stages.get(capa.id)
        if allowed is None or entry is None:
            continue
        days = (ctx.as_of - entry.entered).days
        if days > allowed:
            yield stage_overstayed.finding(
                ctx.at(capa.id, ("status",)),
                f"{capa.id} has been '{capa.status}' since {entry.entered} (commit {entry.commit[:10]}): {days} "
                f"days, more than the {allowed} {policy.id} allows", capa.id,
                hint="move the CAPA on, or record why this stage takes longer and agree a new due date")


# --------------------------------------------------------------------------- completeness (8.5.2)
# Each element is due from a stage on: before it, nothing; open CAPAs past it get a warning, closed ones an error.

def _due(capa: Capa, stage: str) -> bool:
    order = Capa.LIFECYCLE
    return capa.status in order and capa.status != "cancelled" and order.index(capa.status) >= order.index(stage)


def _missing(rule_fn: Any, ctx: Context, capa: Capa, field: str, what: str, hint: str) -> Finding:
    closed = capa.status == "closed"
    where = (field,) if getattr(capa, field) is not None else ("status",)
    return rule_fn.finding(
        ctx.at(capa.id, where), f"{capa.id} is '{capa.status}' {what}", capa.id, hint=hint,
        severity="error" if closed else "warning")


@rule("QMS411", "error", "CAPA without a risk assessment", area=_AREA,
      clause="ISO 13485:2016 8.5.2 a)-c), 7.1; ISO 14971:2019 10",
      rationale="Actions are proportionate to the effects of the problem, which the risk file measures: from the "
                "action stage on a CAPA records its risk assessment and the hazards, hazardous situations or "
                "FMEA lines it touches (risk: assessment, links). Warning while open, error once closed.")
def capa_without_risk(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx):
        if _due(capa, "action") and (capa.risk is None or not ((capa.risk.assessment or "").strip()
                                                             or capa.risk.links)):
            yield _missing(capa_without_risk, ctx, capa, "risk", "without a risk assessment or link to the risk file",
                           "record risk: assessment (effect on patient/user, severity, probability) and links "
                           "(HS-…, HAZ-… or the FMEA)")


@rule("QMS412", "error", "CAPA without a reportability decision", area=_AREA,
      clause="ISO 13485:2016 8.5.2, 8.2.3; EU MDR 2017/745 Art. 87; 21 CFR 803",
      rationale="Whether the problem must be reported to a competent authority is decided and recorded with the "
                "CAPA, so the vigilance clocks are not missed: reportability: reportable, decided, by, "
                "rationale. Due from the action stage; warning while open, error once closed.")
def capa_without_reportability(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx):
        if _due(capa, "action") and capa.reportability is None:
            yield _missing(capa_without_reportability, ctx, capa, "reportability", "without a reportability decision",
                           "record reportability: reportable (true/false), decided, by, rationale")


@rule("QMS413", "error", "CAPA actions not verified free of adverse effect", area=_AREA, clause=_EFFECTIVE,
      rationale="8.5.2 e) requires verifying that the corrective action does not adversely affect the ability "
                "to meet regulatory requirements or the safety and performance of the device: adverse_effect: "
                "verified, by, evidence. Due from the effectiveness check; warning until closed, error once "
                "closed.")
def capa_adverse_effect(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx):
        if _due(capa, "effectiveness_check") and (capa.adverse_effect is None or capa.adverse_effect.verified is None):
            yield _missing(capa_adverse_effect, ctx, capa, "adverse_effect",
                           "without verification that its actions do not adversely affect the device",
                           "record adverse_effect: verified (date), by, evidence (tests or analysis)")


@rule("QMS414", "warning", "CAPA effectiveness criteria not shown met", area=_AREA, clause=_EFFECTIVE,
      rationale="An effectiveness result is shown by the records the criteria name: 'effective' needs "
                "effectiveness.evidence_records citing them, and at least the number the criteria call for "
                "(effectiveness.needed, e.g. 2 for 'the next two production lots'). A result the cited records "
                "do not cover is a claim, not a verification.")
def effectiveness_not_shown(ctx: Context) -> Iterator[Finding]:
    for capa in _capas(ctx):
        eff = capa.effectiveness
        if capa.retired or eff is None or eff.result != "effective":
            continue
        cited = len(eff.evidence_records)
        if cited == 0:
            gap = "cites no evidence records"
        elif eff.needed is not None and cited < eff.needed:
            gap = f"cites {cited} evidence record(s) ({', '.join(r.id for r in eff.evidence_records)}) where its " \
                  f"criteria call for {eff.needed}"
        else:
            continue
        yield effectiveness_not_shown.finding(
            ctx.at(capa.id, ("effectiveness", "evidence_records") if cited else ("effectiveness", "result")),
            f"{capa.id} is recorded effective but {gap}", capa.id,
            hint="cite the lots, inspections or reports the criteria name under effectiveness.evidence_records; "
                 "if they do not exist yet, the check was premature: reopen the CAPA to effectiveness_check")
