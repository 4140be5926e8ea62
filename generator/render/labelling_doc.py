"""Annex II 2, the information supplied by the manufacturer: every label and IFU under document control
with its number, revision, approval state, file and the file's SHA-256 as found (and whether it is the one
recorded), followed by the controlled text of each, as the user will read it.

The files' states come from the load layer (load.evidence), as the rules QMS784/785 read them; a DOC-
record's approval state is that of its own signatures (render.control), as for any controlled document."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..load.evidence import CHANGED, MISSING, OUTSIDE, PRESENT, UNREADABLE
from ..model.documents import LABELLING, Document
from ..model.labels import label
from .control import DRAFT, Control, control
from .document import DocumentSet

if TYPE_CHECKING:
    from ..load.repo import Exports
    from ..recordset import RecordSet
    from .document import ControlledDocument

DOCX_NAME = "information_supplied.docx"
_NUMBERED = re.compile(r"\A[0-9]+(?:\.[0-9]+)*\.?\s+")

_STATE = {PRESENT: "present", MISSING: "MISSING", CHANGED: "CHANGED (differs from the recorded SHA-256)",
          OUTSIDE: "refused (path leaves the repository)", UNREADABLE: "unreadable"}


def labelling_records(records: RecordSet) -> list[Document]:
    """The live labels and IFUs, labels first, each in ID order."""
    docs = [d for d in records.of_kind("document") if isinstance(d, Document) and d.type in LABELLING and not d.retired]
    return sorted(docs, key=lambda d: (LABELLING.index(d.type), d.id))


def record_control(documents: DocumentSet, doc: Document) -> Control:
    """The approval state of a DOC- record's current content, from its own valid signatures."""
    signatures = [s for s in documents.signatures.get(doc.id, ()) if s.id not in documents.faulted]
    current = {doc.id: documents.current[doc.id]} if doc.id in documents.current else {}
    return control(doc.number or doc.id, (doc.id,), current, signatures, [],
                   first_revision=documents.config.numbering.first_revision, doc_revision=doc.revision,
                   as_of=str(documents.effective))


def _approval(ctl: Control) -> str:
    if not ctl.approved:
        return DRAFT
    return "Approved: " + "; ".join(f"{s.name} ({s.role}) {s.signed.date()}" for s in ctl.signatures)


def _file_state(doc: Any, exports: Any) -> tuple[str, str]:
    """(SHA-256 as found, state) of a document's file."""
    if not doc.file:
        return "", "NO FILE NAMED"
    found = exports.get(doc.id)
    if found is None:
        return "", "not checked"
    state = _STATE.get(found.state, found.state)
    if found.state == PRESENT and doc.sha256 is None:
        state = "present (no SHA-256 recorded)"
    return found.sha256 or "", state


def information_supplied(records: RecordSet, exports: Exports, texts: dict[str, str | None],
                         documents: DocumentSet) -> ControlledDocument | None:
    """The register and the controlled text of the labels and IFUs; None when there are none. `texts`: each
    document's file text (load.evidence.read_text), None where it is no text file."""
    docs = labelling_records(records)
    if not docs:
        return None
    d = documents.document("labelling", "register", "Information supplied by the manufacturer: labels and IFU",
                           records=[doc.id for doc in docs])
    controls = {doc.id: record_control(documents, doc) for doc in docs}
    files = {doc.id: _file_state(doc, exports) for doc in docs}
    approved = sum(1 for c in controls.values() if c.approved)
    intact = sum(1 for doc in docs if getattr(exports.get(doc.id), "state", None) == PRESENT)
    d.heading("Summary")
    d.paragraph(f"{sum(1 for x in docs if x.type == 'label')} label document(s) and "
                f"{sum(1 for x in docs if x.type == 'ifu')} instructions for use under document control "
                f"(EU MDR Annex I 23, Annex II 2): {approved} of {len(docs)} approved at their current revision; "
                f"{intact} of {len(docs)} files present as recorded. The SHA-256 is that of the file as found in "
                "the repository at the build's commit; a file whose SHA-256 differs from the one its document "
                "record states is not the approved revision (QMS785).")
    d.heading("Labels and instructions for use")
    d.table(("Document", "Number", "Type", "Rev.", "Approval", "File state"),
            [(f"{doc.id}\n{doc.title}", doc.number or doc.id, label(type(doc), "type", doc.type), doc.revision,
              _approval(controls[doc.id]), files[doc.id][1]) for doc in docs])
    for doc in docs:
        d.heading(f"{doc.number or doc.id} Rev. {doc.revision}: {doc.title}")
        d.table(("Item", "Value"), [
            ("Document record", doc.id), ("Number and revision", f"{doc.number or doc.id} Rev. {doc.revision}"),
            ("Type", label(type(doc), "type", doc.type)), ("Approval", _approval(controls[doc.id])),
            ("Effective", doc.effective or "not stated"), ("File", doc.file or "none named"),
            ("SHA-256 recorded", doc.sha256 or "none recorded"), ("SHA-256 of the file as found", files[doc.id][0]
                                                                  or "-"),
            ("File state", files[doc.id][1])])
        text = texts.get(doc.id)
        if text is None:
            d.paragraph(f"The controlled file {doc.file or '(none named)'} is not a text file the dossier can quote "
                        f"(state: {files[doc.id][1]}); it is kept in the repository at that path.")
            continue
        if files[doc.id][1].startswith("CHANGED"):
            d.paragraph("NOT THE APPROVED TEXT: the file below differs from the SHA-256 recorded for this revision.")
        _markdown(d, text)
    return d


def _markdown(d: Any, text: str) -> None:
    """A controlled text file as the document's body: its headings (the first, the file's title, is the
    section's own heading), tables and paragraphs; list items keep their bullet."""
    table: list[list[str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            d.paragraph(" ".join(paragraph))
            paragraph.clear()
        if table:
            d.table(table[0], table[1:])
            table.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            if paragraph:
                flush()
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if not all(set(c) <= set("-: ") for c in cells):  # the header's separator row
                table.append(cells)
            continue
        if table:
            flush()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            level = len(stripped) - len(stripped.lstrip("#"))
            if level > 1:  # the file's own section numbers give way to the document's
                d.heading(_NUMBERED.sub("", stripped.lstrip("#").strip()), level=2)
        elif stripped.startswith(("- ", "* ")):
            flush()
            paragraph.append("• " + stripped[2:])
        elif paragraph and line.startswith("  "):
            paragraph.append(stripped)  # a list item's continuation line
        else:
            paragraph.append(stripped)
    flush()
