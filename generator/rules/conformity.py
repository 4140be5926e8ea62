"""Conformity with the general safety and performance requirements (EU MDR Annex I; Annex II 4): every
applicable requirement shows its evidence, every one that does not apply says why, and the external
documents named as evidence are in the repository unchanged since their hash was recorded.

The files are found and hashed by the load layer (load.evidence); these rules read its result."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..load.evidence import CHANGED, MISSING, OUTSIDE, UNREADABLE, EvidenceFile
from ..model.conformity import Evidence, Gspr
from ..model.design import ValidationTest, VerificationTest
from .context import Context
from .registry import rule

_AREA = "design"
_GSPR = "EU MDR Art. 10(1), Annex I, Annex II 4"
_EVIDENCE = "EU MDR Annex II 4(d), 6; ISO 13485:2016 4.2.5"


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


@rule("QMS760", "warning", "Applicable GSPR without evidence", area=_AREA, clause=_GSPR,
      rationale="Annex II 4 asks, for each general safety and performance requirement that applies, the "
                "method used to demonstrate conformity and 'the precise identity of the controlled documents "
                "offering evidence of conformity'. An applicable GSPR entry that links no evidence is a gap in "
                "the demonstration. A draft entry is the checklist being built while the evidence is made: the "
                "GSPR checklist document shows its gaps, and the finding comes once the entry is approved.")
def gspr_without_evidence(ctx: Context) -> Iterator[Finding]:
    for g in ctx.records.of_type(Gspr):
        if g.applicable and not g.retired and g.status != "draft" and not g.evidence:
            yield gspr_without_evidence.finding(
                ctx.at(g.id, ("applicable",)), f"Annex I {g.item} applies but no evidence is linked", g.id,
                hint="link the verification, validation, document or evidence (EVD-) records that show "
                     "conformity (evidence: [VER-…, EVD-…])")


@rule("QMS761", "error", "GSPR not applicable without justification", area=_AREA, clause=_GSPR,
      rationale="Annex II 4(a) asks for 'an explanation as to why others do not apply': a requirement declared "
                "not applicable without a justification cannot be reviewed.")
def gspr_unjustified(ctx: Context) -> Iterator[Finding]:
    for g in ctx.records.of_type(Gspr):
        if not g.applicable and not g.retired and _blank(g.justification):
            yield gspr_unjustified.finding(
                ctx.at(g.id, ("applicable",)), f"Annex I {g.item} is marked not applicable without a justification",
                g.id, hint="say why the requirement does not apply to this device (justification: …)")


_WHY = {MISSING: "does not exist in the repository", OUTSIDE: "leads outside the repository",
        UNREADABLE: "cannot be read"}


@rule("QMS762", "error", "Evidence file missing", area=_AREA, clause=_EVIDENCE,
      rationale="An evidence record stands for a document kept in the repository; when the file it names is "
                "absent, unreadable or outside the repository, the dossier cites evidence no reviewer can "
                "open.")
def evidence_missing(ctx: Context) -> Iterator[Finding]:
    for e in ctx.records.of_type(Evidence):
        found = ctx.exports.get(e.id)
        if isinstance(found, EvidenceFile) and found.state in _WHY:
            detail = f": {found.problem}" if found.problem else ""
            yield evidence_missing.finding(
                ctx.at(e.id, ("path",)), f"evidence file '{e.path}' {_WHY[found.state]}{detail}", e.id,
                hint="add the file under the repository and record its SHA-256 (sha256sum FILE)")


@rule("QMS763", "error", "Evidence file changed since its hash was recorded", area=_AREA, clause=_EVIDENCE,
      rationale="The SHA-256 in an evidence record fixes the document that was reviewed. A file whose content "
                "no longer has that hash is not the evidence the record stands for: the new version is "
                "reviewed and its hash recorded in a change to the record, or the old version restored.")
def evidence_changed(ctx: Context) -> Iterator[Finding]:
    for e in ctx.records.of_type(Evidence):
        found = ctx.exports.get(e.id)
        if isinstance(found, EvidenceFile) and found.state == CHANGED:
            yield evidence_changed.finding(
                ctx.at(e.id, ("sha256",)), f"'{e.path}' has SHA-256 {found.sha256}, not the {e.sha256} recorded",
                e.id, hint="review the changed document and record its new SHA-256, or restore the reviewed version")


def cited(text: str) -> str:
    """A document reference as people cite it, compared without case or spacing differences."""
    return " ".join(text.split()).casefold()


@rule("QMS764", "warning", "Cited verification or validation report not in the repository", area=_AREA,
      clause=_EVIDENCE,
      rationale="A verification or validation result names the report that records it (ISO 13485:2016 7.3.6, "
                "7.3.7: 'records of the results and conclusions'); Annex II 6 asks for the reports themselves "
                "(test reports, the usability file, the clinical evaluation report). A report cited by such a "
                "record but kept by no evidence record (records/evidence/EVD-… with that reference, its file and "
                "SHA-256) is a document the dossier cannot list or a reviewer open.")
def cited_report_missing(ctx: Context) -> Iterator[Finding]:
    held = {cited(e.reference) for e in ctx.records.of_type(Evidence) if e.reference and not e.retired}
    tests = [*ctx.records.of_type(VerificationTest), *ctx.records.of_type(ValidationTest)]
    for v in sorted(tests, key=lambda r: r.id):
        if v.retired:
            continue
        for i, result in enumerate(v.results):
            if result.evidence and cited(result.evidence) not in held:
                yield cited_report_missing.finding(
                    ctx.at(v.id, ("results", i, "evidence")),
                    f"the {result.date} result cites '{result.evidence}', which no evidence record holds", v.id,
                    hint=f"add the report under evidence/ and an evidence record (records/evidence/EVD-….yaml, "
                         f"type: test_report, cer or usability_file, reference: {result.evidence}, path and sha256)")
