"""Codes of the document-number register (document-numbers.yaml; see render.numbers), which the build and
`qms validate` read beside the records: a number, once assigned to a document, is never changed or reused."""

from .registry import declare

_DOC = "ISO 13485:2016 4.2.4 (identification of documents and their changes); EU MDR Annex II"

REGISTER_ENTRY = declare(
    "QMS650", "error", "Document number register entry malformed", area="schema", clause=_DOC,
    rationale="The register maps a document key ('type:subject', e.g. protocol:OQ-001) to the number the document "
              "carries; an entry that is not a key and a number as text cannot identify a document.",
)
NUMBER_TWICE = declare(
    "QMS651", "error", "Document number assigned twice", area="schema", clause=_DOC,
    rationale="A document number identifies one document; two documents with one number make every reference "
              "to it ambiguous.",
)
RENUMBERED = declare(
    "QMS652", "error", "Document renumbered without a change control", area="schema", clause=_DOC,
    rationale="References to a document (in records, other documents, submissions) use its number, so once "
              "committed it keeps it: an entry changed or removed since its first commit needs an approved change "
              "control that names the document's key or its earlier number.",
)
