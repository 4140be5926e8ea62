"""The information supplied with the device (EU MDR Annex I 23, Annex II 2): every label and IFU under
document control is a file in the repository, and, once its SHA-256 is recorded, that very file.

The files are found and hashed by the load layer (load.evidence); these rules read its result."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..load.evidence import CHANGED, MISSING, OUTSIDE, UNREADABLE, EvidenceFile
from ..model.documents import LABELLING, Document
from .context import Context
from .registry import rule

_AREA = "design"
_CLAUSE = "EU MDR Annex I 23, Annex II 2; ISO 13485:2016 4.2.4"
_WHY = {MISSING: "does not exist in the repository", OUTSIDE: "leads outside the repository",
        UNREADABLE: "cannot be read"}


def _labelling(ctx: Context) -> Iterator:
    return (d for d in ctx.records.of_type(Document) if d.type in LABELLING and not d.retired)


@rule("QMS784", "error", "Label or IFU file missing", area=_AREA, clause=_CLAUSE,
      rationale="Annex II 2 asks for 'a complete set of the label or labels on the device and on its packaging' "
                "and the instructions for use. A label or IFU document record that names no file, or a file "
                "absent from the repository, puts a number in the technical documentation with nothing behind "
                "it: the reviewer cannot read what the user will read.")
def labelling_missing(ctx: Context) -> Iterator[Finding]:
    for d in _labelling(ctx):
        found = ctx.exports.get(d.id)
        if not d.file:
            yield labelling_missing.finding(
                ctx.at(d.id, ("type",)), f"{d.type} {d.id} names no controlled file", d.id,
                hint="add the label or IFU under the repository and name it (file: specs/labelling/…)")
        elif isinstance(found, EvidenceFile) and found.state in _WHY:
            detail = f": {found.problem}" if found.problem else ""
            yield labelling_missing.finding(
                ctx.at(d.id, ("file",)), f"{d.type} file '{d.file}' {_WHY[found.state]}{detail}", d.id,
                hint="add the file under the repository, or correct the path")


@rule("QMS785", "error", "Label or IFU file differs from its recorded SHA-256", area=_AREA, clause=_CLAUSE,
      rationale="The SHA-256 in a label or IFU document record fixes the text that was reviewed and approved "
                "at that revision. A file with other content is an unapproved change to the information "
                "supplied: revise the document (new revision, new SHA-256, new approval) or restore the file.")
def labelling_changed(ctx: Context) -> Iterator[Finding]:
    for d in _labelling(ctx):
        found = ctx.exports.get(d.id)
        if isinstance(found, EvidenceFile) and found.state == CHANGED:
            yield labelling_changed.finding(
                ctx.at(d.id, ("sha256",)), f"'{d.file}' has SHA-256 {found.sha256}, not the {d.sha256} recorded "
                f"for revision {d.revision}", d.id,
                hint="raise a revision with the new file's SHA-256 and approve it, or restore the approved file")
