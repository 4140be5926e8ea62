"""Document control: a generated document's revisions are the approved releases of its content.

A document is controlled through its records: the `DOC-` record carrying its number and, for a report on
an approvable record (a CAPA, a change control, a protocol), that subject record. A revision is the
content of one of them as signed by valid approvals meaning approval or release, one revision per
distinct content hash, dated by the last of those signatures. Letters run from `numbering.first_revision`
(A, B, ...); a DOC- record's own `revision` is the letter of its current content, approved or in draft,
and earlier revisions count back from it. Why a revision was made: the change controls in status approved
or later whose `affected` names the record (a change record is its own reason), approved up to that
revision, and the signers' comments.

The document is approved while every controlling record has a valid approval of its current content;
it is then effective on the date of that approval. Otherwise it is a DRAFT: dated by the as-of date,
with a draft row after the approved revisions. Git commits are no revisions here: the audit trail
(audit_trail.xlsx) holds them.

Valid means signed (not revoked), and not named by an error finding of the integrity rules when the
build has them (`faulted`): a signature in the wrong role, by an inactive signer, or not sealed by the
signer's own signed commit does not release anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..rules.integrity import APPROVING  # meanings that release content; a review does not

DRAFT = "DRAFT — not approved"


@dataclass(frozen=True)
class Signature:
    """One signed approval, as a document shows it."""

    id: str
    record: str
    record_hash: str
    name: str
    role: str
    meaning: str  # the meaning's label (Approval, Release, Review)
    code: str  # the meaning's code (approval, release, review)
    signed: dt.datetime
    comment: str

    @property
    def signer(self) -> str:
        """`Helena Marsh (Top management)`: a person by printed name and the role signed under."""
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass(frozen=True)
class RevisionEntry:
    """A row of the revision history: an approved revision, or the draft after them."""

    revision: str
    date: dt.date | str
    approved_by: str
    reason: str
    approval: str = ""  # the approval record IDs


@dataclass(frozen=True)
class Control:
    """What a document's frame says about its control: number, revision, state, date and history."""

    number: str
    revision: str
    approved: bool
    date: str  # effective date when approved, else the date of the draft
    history: tuple[RevisionEntry, ...] = ()
    signatures: tuple[Signature, ...] = ()  # the signatures of the current content, for the approval block
    controlled_by: tuple[str, ...] = ()  # the records whose approvals control it

    @property
    def state(self) -> str:
        return "approved" if self.approved else "draft"


def step_revision(revision: str, by: int) -> str | None:
    """The revision `by` steps after (before, when negative) `revision`: letters A..Z, AA..; numbers keep their
    width (01, 02). None before the first, or for a revision that is neither."""
    if revision.isascii() and revision.isdigit():
        n = int(revision) + by
        return str(n).zfill(len(revision)) if n >= 0 else None
    if not (revision.isascii() and revision.isalpha() and revision.isupper()):
        return revision if by == 0 else None
    n = 0
    for c in revision:
        n = n * 26 + ord(c) - 64
    n += by
    if n < 1:
        return None
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass(frozen=True)
class _Release:
    """The approving signatures of one record's content (one hash), oldest first."""

    record: str
    record_hash: str
    signatures: tuple[Signature, ...]

    @property
    def first(self) -> dt.datetime:
        return self.signatures[0].signed

    @property
    def date(self) -> dt.date:
        return max(s.signed for s in self.signatures).date()


def releases(signatures: Iterable[Signature]) -> list[_Release]:
    """Approving signatures grouped by the content they signed, in the order each content was first signed."""
    groups: dict[tuple[str, str], list[Signature]] = {}
    for s in sorted(signatures, key=lambda s: (s.signed, s.id)):
        if s.code in APPROVING:
            groups.setdefault((s.record, s.record_hash), []).append(s)
    out = [_Release(record, digest, tuple(sigs)) for (record, digest), sigs in groups.items()]
    return sorted(out, key=lambda r: (r.first, r.record))


def control(number: str, controlled_by: Sequence[str], current: dict[str, str], signatures: Sequence[Signature],
            changes: Sequence[tuple[str, dt.date | None]], *, first_revision: str, doc_revision: str | None,
            as_of: str) -> Control:
    """The control of document `number` by the records `controlled_by` (their current content hashes in
    `current`), from their valid `signatures` and the change controls naming them (`changes`: (ID and title,
    date approved)). `doc_revision` is the DOC- record's own revision letter, when one carries the number."""
    released = releases(signatures)
    now = [r for r in released if current.get(r.record) == r.record_hash]
    approved = bool(controlled_by) and all(any(r.record == rid for r in now) for rid in controlled_by)
    if doc_revision is not None:  # the DOC- record names the current content's letter
        anchor, at = doc_revision, (max(released.index(r) for r in now) if approved else len(released))
    else:
        anchor, at = first_revision, 0
    letters = [step_revision(anchor, i - at) or "—" for i in range(len(released) + 1)]

    # each change control explains the first revision approved on or after it; later ones the draft
    reasons: list[list[str]] = [[] for _ in range(len(released) + 1)]
    for text, day in sorted(changes, key=lambda c: (c[1] or dt.date.max, c[0])):
        slot = next((i for i, r in enumerate(released) if day is not None and r.date >= day), None)
        if slot is None:  # approved after the last revision (or undated): the draft's, else the latest revision's
            slot = len(released) if not approved else len(released) - 1
        reasons[slot].append(text)
    rows: list[RevisionEntry] = []
    for i, r in enumerate(released):
        why = reasons[i] + [" ".join(s.comment.split()) for s in r.signatures if s.comment]
        if not why:
            why = ["First issue" if letters[i] == first_revision else
                   "First revision approved by electronic signature; earlier revisions are not in this history"
                   if i == 0 else f"Not recorded: no change control names {r.record} and no signer commented"]
        rows.append(RevisionEntry(letters[i], r.date.isoformat(), "\n".join(_signers(r.signatures)),
                                  "\n".join(why), "\n".join(s.id for s in r.signatures)))
    current_sigs = tuple(s for s in sorted(signatures, key=lambda s: (s.signed, s.id))
                         if current.get(s.record) == s.record_hash)  # reviews too, for the approval block
    if approved:
        latest = max(now, key=lambda r: r.date)
        return Control(number, letters[at], True, latest.date.isoformat(), tuple(rows), current_sigs,
                       tuple(controlled_by))
    if released:
        state = f"Draft: the content changed since revision {letters[len(released) - 1]} was approved"
    else:
        state = "First issue, in draft"
    rows.append(RevisionEntry(letters[len(released)], as_of, DRAFT, "\n".join(reasons[-1] + [state])))
    return Control(number, letters[len(released)], False, as_of, tuple(rows), current_sigs, tuple(controlled_by))


def _signers(signatures: Sequence[Signature]) -> list[str]:
    out: list[str] = []
    for s in signatures:
        text = s.signer + (" — release" if s.code == "release" else "")
        if text not in out:
            out.append(text)
    return out
