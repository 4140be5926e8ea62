"""Waivers: a finding is accepted only by a justified, approved, attributed waiver record."""

from __future__ import annotations

from collections.abc import Iterable

from ..codes.registry import RULES, declare
from ..findings import Finding
from ..model.people import Waiver
from .context import Context
from .integrity import NEEDS_GIT

UNUSED = declare(
    "QMS130", "warning", "Waiver matches no finding", area="references",
    clause="ISO 13485:2016 4.2.5",
    rationale="A waiver that no longer matches a finding is stale: the problem was fixed or the waiver names "
              "the wrong code or record. Retire it (status: revoked) so the waiver log stays true.",
)
INVALID = declare(
    "QMS131", "error", "Waiver cannot apply", area="references", clause="ISO 13485:2016 4.2.5; 21 CFR 820.30",
    rationale="Only a finding a rule can raise may be waived, and a waiver may not be approved by the author "
              "of the record it excuses.",
)


def active(waiver: Waiver, ctx: Context) -> bool:
    return waiver.status == "approved" and (waiver.expires is None or waiver.expires >= ctx.as_of)


def apply_waivers(findings: Iterable[Finding], ctx: Context) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (open, waived) and add findings about the waivers themselves."""
    waivers = ctx.records.of_type(Waiver)
    by_key: dict[tuple[str, str], Waiver] = {}
    extra: list[Finding] = []
    for waiver in waivers:
        if waiver.code not in RULES or RULES[waiver.code].unreadable:
            extra.append(INVALID.finding(ctx.at(waiver.id, ("code",)),
                                         f"{waiver.code} is not a finding code that can be waived", waiver.id,
                                         hint="`qms rules` lists the codes"))
            continue
        target = ctx.records.get(waiver.record)
        if target is not None and target.owner is not None and target.owner.id == waiver.approver.id:
            extra.append(INVALID.finding(ctx.at(waiver.id, ("approver",)),
                                         f"{waiver.approver.id} owns {target.id} and cannot approve its waiver",
                                         waiver.id, hint="segregation of duties: another person approves"))
            continue
        if active(waiver, ctx):
            by_key[(waiver.code, waiver.record.id)] = waiver
    open_: list[Finding] = []
    waived: list[Finding] = []
    used: set[str] = set()
    for finding in findings:
        covering = by_key.get((finding.code, finding.record or ""))
        if covering is None:
            open_.append(finding)
        else:
            used.add(covering.id)
            waived.append(Finding(finding.code, finding.severity, finding.location, finding.message,
                                  finding.record, finding.hint, waived_by=covering.id))
    for waiver in by_key.values():
        # Without git history the git-based rules cannot run, so their waivers are not shown to be stale.
        if waiver.id not in used and not (ctx.git is None and waiver.code in NEEDS_GIT):
            extra.append(UNUSED.finding(ctx.at(waiver.id, ("record",)),
                                        f"no {waiver.code} finding on {waiver.record.id} to waive", waiver.id,
                                        hint="set the waiver's status to revoked if it is no longer needed"))
    return open_ + extra, waived
