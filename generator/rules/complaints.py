"""Complaint handling (ISO 13485:2016 8.2.2) and vigilance reporting (EU MDR Art. 87; 21 CFR 803).

Deadlines come from the vigilance policy in force (specs/policies) through `analysis.vigilance`, which
states the conventions: clock from the awareness date (received if none), the deadline is the last
on-time day (awareness + N days), work days are Mon-Fri without public holidays, and the authorities
are those reported to plus the one of the event's country. Without a vigilance policy in force no
deadline is computed, and QMS431/QMS432 stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..analysis import vigilance
from ..analysis.policies import in_force
from ..findings import Finding
from ..model.events import Complaint
from ..model.policy import VigilancePolicy
from .context import Context
from .registry import rule

_AREA = "events"
_HANDLING = "ISO 13485:2016 8.2.2, 8.2.3; 21 CFR 820.198"
_CAPA = "ISO 13485:2016 8.2.2, 8.5.2; 21 CFR 820.198, 820.100"
_REPORTING = "EU MDR Art. 87; 21 CFR 803.50, 803.53; ISO 13485:2016 8.2.3"


def _clocks(ctx: Context) -> list[Any]:
    policy = in_force(ctx.records, VigilancePolicy)
    return list(policy.clocks) if policy is not None else []


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _closed(complaint: Any) -> bool:
    return complaint.status == "closed" or complaint.closed is not None


@rule("QMS430", "error", "Complaint without a reportability decision", area=_AREA,
      clause="ISO 13485:2016 8.2.2, 8.2.3; 21 CFR 820.198(a)(3); EU MDR Art. 87",
      rationale="Every complaint is assessed for whether it must be reported to a regulatory authority (ISO "
                "13485 8.2.2 d, 8.2.3; 21 CFR 820.198(a)(3)). The decision (`reportable`) is missing too late "
                "once the investigation has started (status past received, or an investigation recorded), or "
                "once the earliest deadline any clock of the vigilance policy could impose on the complaint "
                "has passed (EU MDR: 2 days for a serious public health threat) — deciding later could "
                "already mean reporting late. The event class is not needed for this: it is part of the "
                "decision.")
def decision_missing(ctx: Context) -> Iterator[Finding]:
    clocks = _clocks(ctx)
    for c in ctx.records.of_type(Complaint):
        if c.reportable is not None:
            continue
        due = vigilance.decision_due(c, clocks) if clocks else None
        if c.status != "received" or _closed(c):
            why = f"status is '{c.status}'"
        elif not _blank(c.investigation):
            why = "the investigation has started"
        elif due is not None and ctx.as_of > due:
            why = f"it was due by {due} ({vigilance.clock_start(c)} + the shortest reporting clock)"
        else:
            continue
        yield decision_missing.finding(
            ctx.at(c.id, ("status",)), f"no reportability decision (reportable is unset) and {why}", c.id,
            hint="decide whether the complaint is reportable (reportable: true/false), classify it (event_class) "
                 "and record the reportability_rationale")


@rule("QMS431", "error", "Vigilance report overdue", area=_AREA, clause=_REPORTING,
      rationale="A reportable complaint is reported to each authority it answers to within the clock the "
                "vigilance policy sets for its event class: EU MDR Art. 87(3)-(5) 'not later than 15 days' "
                "(10, 2) 'after the manufacturer becomes aware'; 21 CFR 803.50 'no later than 30 calendar "
                "days after the day that you receive or otherwise become aware', 803.53 '5 work days'. The "
                "deadline is awareness + N days; with no report submitted and the as-of date past it, the "
                "report is overdue. A reportable complaint whose deadline cannot be computed (no event "
                "class, or no authority from the country or the reports) is reported here too.")
def report_overdue(ctx: Context) -> Iterator[Finding]:
    clocks = _clocks(ctx)
    if not clocks:
        return
    for c in ctx.records.of_type(Complaint):
        if c.reportable is not True:
            continue
        if c.event_class is None:
            yield report_overdue.finding(
                ctx.at(c.id, ("reportable",)), "reportable, but no event_class: no reporting deadline can be "
                "computed", c.id, hint="classify the event (event_class) so the policy's reporting clock applies")
            continue
        if not vigilance.authorities(c):
            yield report_overdue.finding(
                ctx.at(c.id, ("country",) if c.country else ("reportable",)),
                f"reportable, but no authority follows from country '{c.country or ''}' or the reports: no "
                "reporting deadline can be computed", c.id,
                hint="record the country of the event (ISO 3166 alpha-2), or the authority under reports")
            continue
        for d in vigilance.deadlines(c, clocks):
            if d.overdue(ctx.as_of):
                late = (ctx.as_of - d.due).days
                yield report_overdue.finding(
                    ctx.at(c.id, ("reportable",)),
                    f"{d.authority} report ({c.event_class}, {d.clock} from {d.start}) was due by {d.due}; none "
                    f"submitted, {late} day(s) overdue", c.id,
                    hint=f"submit the {d.authority} report now and record it under reports (authority, type, "
                         "submitted, reference); document the reason for the delay")


@rule("QMS432", "error", "Vigilance report submitted late", area=_AREA, clause=_REPORTING,
      rationale="The first report to an authority is on time when submitted on or before the deadline the "
                "vigilance policy sets (awareness + N days, the last on-time day); one submitted later "
                "missed the regulatory deadline and needs an explanation to the authority and an internal "
                "review of the complaint-handling process.")
def report_late(ctx: Context) -> Iterator[Finding]:
    clocks = _clocks(ctx)
    if not clocks:
        return
    for c in ctx.records.of_type(Complaint):
        if c.reportable is not True or c.event_class is None:
            continue
        for d in vigilance.deadlines(c, clocks):
            if d.days_late and d.report is not None:
                yield report_late.finding(
                    ctx.at(c.id, ("reports", d.report, "submitted")),
                    f"{d.authority} report submitted {d.submitted}, {d.days_late} day(s) late (due by {d.due}: "
                    f"{d.clock} from {d.start}, {c.event_class})", c.id,
                    hint="check the awareness date and the event class; if the report was late, record the "
                         "reason and raise a nonconformance or CAPA on the reporting process")


@rule("QMS433", "error", "Complaint closed without an investigation", area=_AREA, clause=_HANDLING,
      rationale="A complaint is investigated, or the reason for not investigating is recorded, before it is "
                "closed (ISO 13485 8.2.2; 21 CFR 820.198(b)-(e)). A closed complaint (status closed or a "
                "closed date) with an empty `investigation` has neither.")
def closed_without_investigation(ctx: Context) -> Iterator[Finding]:
    for c in ctx.records.of_type(Complaint):
        if _closed(c) and _blank(c.investigation):
            yield closed_without_investigation.finding(
                ctx.at(c.id, ("closed",) if c.closed is not None else ("status",)),
                "closed without an investigation", c.id,
                hint="record the investigation, or the justified reason no investigation was needed, under "
                     "investigation")


@rule("QMS434", "error", "Complaint closed without a CAPA decision", area=_AREA, clause=_CAPA,
      rationale="Whether a complaint needs corrective action is decided and recorded before it is closed "
                "(ISO 13485 8.2.2 e, 8.5.2; 21 CFR 820.198, 820.100): a closed complaint with `capa_required` "
                "unset has no such decision.")
def closed_without_capa_decision(ctx: Context) -> Iterator[Finding]:
    for c in ctx.records.of_type(Complaint):
        if _closed(c) and c.capa_required is None:
            yield closed_without_capa_decision.finding(
                ctx.at(c.id, ("closed",) if c.closed is not None else ("status",)),
                "closed without a CAPA decision (capa_required is unset)", c.id,
                hint="decide capa_required (true with the CAPA linked, or false with a capa_rationale)")


@rule("QMS435", "error", "Complaint requires a CAPA but links none", area=_AREA, clause=_CAPA,
      rationale="When a complaint is decided to need corrective action, the CAPA is opened and linked so the "
                "action can be followed to effectiveness (ISO 13485 8.5.2; 21 CFR 820.100); `capa_required: "
                "true` with no `capa` link leaves the decision without an action.")
def capa_missing(ctx: Context) -> Iterator[Finding]:
    for c in ctx.records.of_type(Complaint):
        if c.capa_required is True and c.capa is None:
            yield capa_missing.finding(
                ctx.at(c.id, ("capa_required",)), "capa_required is true but no CAPA is linked", c.id,
                hint="open the CAPA and link it (capa: CAPA-YYYY-NNN)")


@rule("QMS436", "error", "Vigilance report dated before the manufacturer became aware", area=_AREA,
      clause=_REPORTING,
      rationale="A report to an authority describes an event the manufacturer knows of: it cannot be submitted "
                "before the awareness date (or, without one, before the complaint was received). Such a date is "
                "a typing error or a report filed against the wrong complaint, and the reporting clock computed "
                "from it cannot be trusted (ALCOA+: accurate, contemporaneous).")
def report_before_awareness(ctx: Context) -> Iterator[Finding]:
    for c in ctx.records.of_type(Complaint):
        start = vigilance.clock_start(c)
        for i, report in enumerate(c.reports):
            if report.submitted is not None and start is not None and report.submitted < start:
                yield report_before_awareness.finding(
                    ctx.at(c.id, ("reports", i, "submitted")),
                    f"{report.authority} report submitted {report.submitted}, before the manufacturer became "
                    f"aware on {start}", c.id,
                    hint="correct the submission date or the awareness date, whichever is wrong")


@rule("QMS437", "warning", "Reportable event with no reporting clock for an authority", area=_AREA,
      clause=_REPORTING,
      rationale="A reportable complaint answers to each authority of its country and of its reports; the "
                "vigilance policy gives each (authority, event class) a deadline. Where the policy has no clock "
                "for the pair, no deadline is checked and a late report would go unnoticed: add the clock, or "
                "record why that authority does not take reports of this class.")
def no_clock(ctx: Context) -> Iterator[Finding]:
    clocks = _clocks(ctx)
    if not clocks:
        return
    for c in ctx.records.of_type(Complaint):
        if c.reportable is not True or c.event_class is None or _closed(c):
            continue
        for authority in vigilance.authorities(c):
            if not any(vigilance.applies(clock, c, authority) for clock in clocks):
                yield no_clock.finding(
                    ctx.at(c.id, ("event_class",)),
                    f"the vigilance policy has no {authority} clock for '{c.event_class}': no deadline is checked",
                    c.id, hint=f"add a clock for authority {authority} and event class {c.event_class} to the "
                               "vigilance policy, or correct the event class")
