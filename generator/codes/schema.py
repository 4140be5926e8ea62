"""Codes raised while reading files and validating them against the schemas (area: schema)."""

from .registry import declare

_DI = "21 CFR Part 11 §11.10(a); ISO 13485:2016 4.2.5"
_REC = "ISO 13485:2016 4.2.4, 4.2.5"

UNREADABLE = declare(
    "QMS100", "error", "File cannot be read", area="schema", clause=_DI, unreadable=True,
    rationale="A record that cannot be read cannot be relied on: bytes that are not UTF-8, a missing or "
              "unreadable file, or a link that leads outside the repository make the record's content uncertain.",
)
SYNTAX = declare(
    "QMS101", "error", "YAML syntax error", area="schema", clause=_DI, unreadable=True,
    rationale="A record whose syntax is broken has no defined content; the parser's position is reported so "
              "the author can mend it. Tabs are not allowed for indentation in YAML.",
)
NOT_A_RECORD = declare(
    "QMS102", "error", "File does not hold one record", area="schema", clause=_REC, unreadable=True,
    rationale="A record file holds exactly one YAML mapping. An empty file, a list, a bare value or several "
              "documents in one file leave the record undefined.",
)
UNSAFE = declare(
    "QMS103", "error", "Unsafe or oversized input", area="schema", clause=_DI, unreadable=True,
    rationale="Records are data: YAML tags that construct objects, aliases (which allow exponential "
              "'billion laughs' expansion), pathological nesting and oversized files are refused before they "
              "can exhaust the machine or run code.",
)
WORKBOOK = declare(
    "QMS104", "error", "Workbook or CSV cannot be read", area="schema", clause=_DI, unreadable=True,
    rationale="A corrupt, encrypted (password-protected) or zip-bombed workbook cannot be read reliably; "
              "its rows are not loaded and the file is named so it can be re-exported.",
)
HEADER = declare(
    "QMS105", "error", "Sheet header row missing or malformed", area="schema", clause=_REC, unreadable=True,
    rationale="Bulk records are rows under a header row that names the fields; without it, or without an "
              "'id' column, no cell can be given a meaning.",
)
UNKNOWN_KIND = declare(
    "QMS106", "error", "Unknown record kind", area="schema", clause=_REC,
    rationale="Every record's ID prefix (or every sheet's name) must name a record kind, so the record can be "
              "checked against its schema and lifecycle.",
)
SHEET_IGNORED = declare(
    "QMS107", "warning", "Worksheet is not a record kind", area="schema", clause=_REC,
    rationale="A sheet whose name names no record kind is not loaded; if it holds records, rename it. Sheets "
              "whose names start with '_' are helper sheets and are skipped silently.",
)
DUPLICATE_KEY = declare(
    "QMS108", "error", "Duplicate field in a record", area="schema", clause=_DI,
    rationale="YAML silently keeps the last of two equal keys; the first value would vanish without trace. "
              "Each field may appear once.",
)
DATA_FILE = declare(
    "QMS109", "error", "Data file named by a record cannot be read", area="schema", clause=_DI,
    rationale="Logger exports and measurement files are evidence the records point at; a missing, unreadable "
              "or malformed file (or a path leading outside the repository) leaves the record without its "
              "data. The finding names the record's field and the problem in the file.",
)
UNKNOWN_FIELD = declare(
    "QMS110", "error", "Unknown field", area="schema", clause=_REC,
    rationale="A misspelt field name would otherwise be dropped silently and its content lost; every field "
              "must be one the kind's schema defines.",
)
INVALID_VALUE = declare(
    "QMS111", "error", "Value of the wrong type or out of range", area="schema", clause=_REC,
    rationale="Each field has a type, a range or a list of allowed values in the kind's schema; a value "
              "outside them cannot be computed on.",
)
MISSING_FIELD = declare(
    "QMS112", "error", "Required field missing", area="schema", clause=_REC,
    rationale="Fields a kind requires carry the minimum content that makes the record meaningful "
              "(e.g. a requirement's statement, a lot's material).",
)
BAD_DATE = declare(
    "QMS113", "error", "Not a real date", area="schema", clause=_DI,
    rationale="Dates are evidence (ALCOA+ 'contemporaneous'); a date that does not exist, such as "
              "2026-02-30, or text where a date belongs is an error, not a guess.",
)
BAD_ID = declare(
    "QMS114", "error", "Malformed ID", area="schema", clause=_REC,
    rationale="IDs carry the kind prefix and the kind's numbering pattern so that they are unique, stable "
              "and recognisable across the repository.",
)
BAD_CONFIG = declare(
    "QMS115", "error", "Repository settings invalid", area="schema", clause=_REC,
    rationale="qms.yaml names the company, the device and the document-numbering settings every generated "
              "document carries; it must match its schema.",
)
HIDDEN_SHEET = declare(
    "QMS116", "error", "Record sheet is hidden", area="schema", clause=_REC,
    rationale="Rows on a hidden or very hidden sheet are records nobody reviewing the workbook sees; they are "
              "neither loaded nor imported. Unhide the sheet, or start its name with '_' if it is a helper.",
)
UNREAD_FILE = declare(
    "QMS117", "error", "Records file of a type that is not read", area="schema", clause=_DI, unreadable=True,
    rationale="Bulk records are read from .xlsx workbooks and .csv exports only. A macro-enabled (.xlsm), "
              "binary (.xls, .xlsb), OpenDocument (.ods) or Numbers workbook under records/ would otherwise be "
              "skipped without a word, and the records it holds would go missing.",
)
