"""The dossier's table of contents: the register of every file written into the sections (declared in
render.dossier_sections), and the documents that describe the dossier itself: the device description
(from qms.yaml's `device` block) and the index document.

A section the repository has nothing for stays in the index with a line naming the records that would
fill it; no placeholder document is ever written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .document import DocumentSet
from .dossier_sections import SECTIONS, TOP, section_of, title_of

if TYPE_CHECKING:
    from .control import Control
    from .document import ControlledDocument

INDEX_DOCX = "index.docx"


@dataclass
class Contents:
    """What each file of the dossier is: a description and, for a controlled document, its number,
    revision and approval state (approved or draft)."""

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (description, document number)
    control: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (revision, approval state)

    def add(self, rel: str, description: str, number: str = "") -> None:
        self.entries[rel] = (description, number)

    def add_document(self, rel: str, description: str, document: ControlledDocument | Control, number: str | None = None) -> None:
        """A controlled document (ControlledDocument, or the Control of one not yet written); `number` as it is
        shown, when not the document's own (a provisional one)."""
        self.add(rel, description, number or document.number)
        self.control[rel] = (document.revision, document.state)

    def describe(self, rel: str) -> tuple[str, str]:
        return self.entries.get(rel, ("", ""))

    def controlled(self, rel: str) -> dict[str, str]:
        """The manifest's view of a controlled document: number, revision and approval state; {} otherwise."""
        if rel not in self.control:
            return {}
        revision, state = self.control[rel]
        return {"number": self.entries[rel][1], "revision": revision, "approval": state}

    def standing(self, rel: str) -> str:
        """`NWM-RMP-001 Rev. C approved`, `NWM-RMR-001 Rev. A DRAFT`, a bare number, or empty."""
        number = self.describe(rel)[1]
        if rel not in self.control:
            return number
        revision, state = self.control[rel]
        return f"{number} Rev. {revision} {'approved' if state == 'approved' else 'DRAFT'}"


def _control(contents: Contents, rel: str) -> tuple[str, str]:
    revision, state = contents.control.get(rel, ("", ""))
    return revision, "DRAFT" if state == "draft" else state


def index_document(documents: DocumentSet, contents: Contents, files: list[str], status: list[tuple[str, Any]],
                   records: set[str]) -> ControlledDocument:
    """The controlled index: every file by section with its description and, for a controlled document, its
    number, revision and approval state (the manifest holds the hashes); an empty section says what would
    fill it. The Annex sections come first, so each one's heading number is its folder's (1 is 01-...)."""
    d = documents.document("dossier", "index", "Technical documentation index", records=records)
    by_section: dict[str, list[str]] = {}
    for rel in files:
        by_section.setdefault(section_of(rel).folder, []).append(rel)
    for section in (*SECTIONS, TOP):
        d.heading(title_of(section))
        rels = by_section.get(section.folder, [])
        if not rels:
            d.paragraph(f"No content in this repository. Filled by: {section.fills}.")
            continue
        d.table(("File", "Document", "Rev.", "State", "Description"),
                [(rel, contents.describe(rel)[1], *_control(contents, rel), contents.describe(rel)[0]) for rel in rels])
    d.heading("Dossier status")
    states = [state for _, state in contents.control.values()]
    d.table(("Item", "Value"), [*status, ("Controlled documents", f"{len(states)}: {states.count('approved')} "
                                          f"approved, {states.count('draft')} draft (DRAFT — not approved)")])
    return d
