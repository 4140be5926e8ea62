"""The baseline comparison report: a controlled Word document of a diff (`qms diff --out FILE.docx`).

Document type `diff` (number e.g. NWM-DIFF-001; `numbering.types.diff` in qms.yaml renames the code).
It draws on the records at the target that the diff names, so their files' git history fills the
revision table. Deterministic: the same diff gives the same bytes (render.docx).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_bytes
from ..gitio.diff import Diff, RecordDiff
from ..model.labels import status_label
from .document import DocumentSet
from .names import Names

if TYPE_CHECKING:
    from .document import ControlledDocument

DOC_TYPE = "diff"
SUMMARY_HEADER = ("Item", "Value")
RECORDS_HEADER = ("Record", "Kind", "File", "Change controls", "Covered")
FIELDS_HEADER = ("Record", "Field", "Old", "New")


def _value(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value)


def _rows(entries: tuple[RecordDiff, ...], names: Names, present: set[str]) -> list[tuple[str, ...]]:
    return [(names.title(e.id) if e.id in present else e.id, e.kind.replace("_", " "),
             e.path if e.old_path is None else f"{e.old_path} → {e.path}",
             ", ".join(f"{names.title(c.id)} ({status_label(c.status)}, approved {c.approved})"
                       for c in e.change_controls) or "none",
             "yes" if e.covered else "NO") for e in entries]


def diff_document(result: Diff, documents: DocumentSet, records: set[str]) -> ControlledDocument:
    """The controlled comparison report of `result`; `records` are the IDs the current repository holds."""
    base, target = result.base.label, result.target.label
    named = {e.id for e in result.entries} | {c.id for e in result.entries for c in e.change_controls}
    d = documents.document(DOC_TYPE, "report", f"Baseline comparison: {base} to {target}",
                           records=sorted(named & records))
    d.heading("Scope", level=1)
    d.paragraph(f"Records added, removed and changed from {base} to {target}, compared by record ID on their "
                "canonical content (formatting, comments and the file a record lives in do not count). A change "
                "is covered when a change control at the target names the record under affected, is approved "
                "or later, was approved no later than the target commit and was not yet closed at the base.")
    d.table(SUMMARY_HEADER, [
        ("Base", f"{base}, commit {result.base.commit}"),
        ("Target", f"{target}, commit {result.target.commit}"),
        ("Added", str(len(result.added))), ("Removed", str(len(result.removed))),
        ("Changed", str(len(result.changed))), ("Moved without change", str(len(result.moved))),
        ("Not covered by an approved change control", ", ".join(result.uncovered) or "none"),
    ])
    for title, entries in (("Added records", result.added), ("Removed records", result.removed),
                           ("Changed records", result.changed)):
        d.heading(title, level=1)
        if not entries:
            d.paragraph("None.")
            continue
        d.table(RECORDS_HEADER, _rows(entries, documents.names, records))
        if title == "Changed records":
            d.heading("Field-level changes", level=2)
            d.table(FIELDS_HEADER, [(e.id, f.field, _value(f.old), _value(f.new)) for e in entries for f in e.fields])
    if result.moved:
        d.heading("Records moved without a change of content", level=1)
        d.table(("Record", "Kind", "From", "To"), [(documents.names.title(m.id) if m.id in records else m.id,
                                                    m.kind.replace("_", " "), m.old_path, m.path) for m in result.moved])
    return d


def write_diff_docx(result: Diff, documents: DocumentSet, records: set[str], path: Path) -> None:
    write_bytes(path, diff_document(result, documents, records).to_bytes())
