"""Manufacturing sites and the process flow (EU MDR Annex II 3; ISO 13485:2016 7.5.6, 4.1.5): a
special process, whose output later inspection cannot fully verify, runs only under an approved
validation; a site's certificates are in force. A step at a site that is not a record is the
reference rules' finding (QMS122)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..model.manufacturing import ProcessStep, Site
from ..model.validation import Protocol
from ..recordset import RecordSet
from .context import Context
from .registry import rule
from .supply import current_certificates

_AREA = "production"
_SPECIAL = "ISO 13485:2016 7.5.6; 21 CFR 820.75(a); EU MDR Annex II 3(b)"
_SITES = "EU MDR Annex II 3(b); ISO 13485:2016 4.1.5, 7.4.1"

# A protocol that governs a process: approved, or approved and since executed.
APPROVED_PROTOCOL = ("approved", "executed")


def validated_by(records: RecordSet, step: ProcessStep) -> list[str]:
    """The approved protocols among those a process step names (the dossier shows the same)."""
    found = (records.get_as(ref, Protocol) for ref in step.validation)
    return [p.id for p in found if p is not None and p.status in APPROVED_PROTOCOL and p.approved is not None]


@rule("QMS786", "error", "Special process without an approved validation", area=_AREA, clause=_SPECIAL,
      rationale="ISO 13485 7.5.6 requires the validation of any process whose resulting output cannot be or is "
                "not verified by subsequent monitoring or measurement. A process step declared a special "
                "process must name the approved protocols (IQ, OQ, PQ) that validate it; a draft protocol or "
                "none leaves product made by an unvalidated process.")
def special_process_unvalidated(ctx: Context) -> Iterator[Finding]:
    for step in ctx.records.of_type(ProcessStep):
        if step.retired or step.output_verification != "special_process" or validated_by(ctx.records, step):
            continue
        named = ", ".join(str(r) for r in step.validation)
        yield special_process_unvalidated.finding(
            ctx.at(step.id, ("validation",) if step.validation else ("output_verification",)),
            f"step {step.sequence} '{step.title}' is a special process "
            + (f"but none of {named} is an approved protocol" if named else "with no validation protocol named"),
            step.id, hint="name the approved IQ/OQ/PQ protocols that validate it (validation: [IQ-…, OQ-…, PQ-…])")


@rule("QMS787", "error", "Site certificate expired", area=_AREA, clause=_SITES,
      rationale="The technical documentation names the sites where design and manufacturing are done, and the "
                "manufacturer relies on their certified quality systems (ISO 13485, a notified body's "
                "certificate). A certificate whose expiry date lies before the date of the check no longer "
                "supports that reliance: a renewed certificate is recorded, or the site's use reassessed. The "
                "latest certificate for each standard counts; a supplier's own certificates are QMS502's.")
def site_certificate_expired(ctx: Context) -> Iterator[Finding]:
    for site in ctx.records.of_type(Site):
        if site.retired:
            continue
        for i, cert, expires in current_certificates(site.certificates):
            if expires < ctx.as_of:
                yield site_certificate_expired.finding(
                    ctx.at(site.id, ("certificates", i, "expires")),
                    f"{cert.standard} certificate {cert.number or ''} of {site.title} expired on {cert.expires}, "
                    f"before {ctx.as_of}", site.id,
                    hint="record the renewed certificate (number and expiry), or reassess the site")
