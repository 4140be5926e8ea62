"""The external documents evidence records name (EVD-), and the files of labels and IFUs under document
control (DOC- of type label or ifu): each file found by its repository path and
hashed, so a rule can say which are missing or changed and the dossier can list them with their state.
The record's path goes through paths.within (never outside the repository, symbolic links resolved) and
the file is read through files.sha256_regular (a regular file, size-checked, hashed in chunks)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import within
from .files import MAX_EVIDENCE_BYTES, read_regular, sha256_regular

if TYPE_CHECKING:
    from ..model.conformity import Evidence

PRESENT, MISSING, CHANGED, OUTSIDE, UNREADABLE = "present", "missing", "changed", "outside", "unreadable"


@dataclass(frozen=True)
class EvidenceFile:
    path: str  # as the record names it
    state: str  # present | missing | changed | outside | unreadable
    sha256: str | None = None  # of the file as found
    problem: str = ""  # why it is unreadable


def read_evidence(root: Path, record: Evidence) -> EvidenceFile:
    """The state of the file `record` (an Evidence record) names, against its recorded SHA-256."""
    return read_controlled_file(root, record.path, record.sha256)


def read_controlled_file(root: Path, rel: str, recorded: str | None) -> EvidenceFile:
    """The state of the file at `rel`, against the SHA-256 recorded for it (None: any content is present)."""
    path = within(root.resolve(), rel)
    if path is None:
        return EvidenceFile(rel, OUTSIDE)
    if not path.exists() and not path.is_symlink():
        return EvidenceFile(rel, MISSING)
    try:
        digest = sha256_regular(path, MAX_EVIDENCE_BYTES, nofollow=True)
    except OSError as err:
        return EvidenceFile(rel, UNREADABLE, problem=str(err.strerror or err))
    return EvidenceFile(rel, PRESENT if recorded in (None, digest) else CHANGED, digest)


TEXT_SUFFIXES = (".md", ".txt")
MAX_TEXT_BYTES = 1 << 20  # a label's or IFU's controlled text: quoted whole in the dossier


def read_text(root: Path, rel: str) -> str | None:
    """The text of the controlled file at `rel` when it is a small UTF-8 text file (Markdown or plain
    text) in the repository; None for any other file (a PDF artwork) or one that cannot be read."""
    path = within(root.resolve(), rel)
    if path is None or not rel.lower().endswith(TEXT_SUFFIXES):
        return None
    try:
        return read_regular(path, MAX_TEXT_BYTES, nofollow=True).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
