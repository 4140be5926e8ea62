"""The audit-trail workbook: one row per field change, oldest first, and the scope it covers.

Dates are the authors' own (ISO 8601 with their UTC offset), as git recorded them; nothing here
reads the clock, so the same history gives the same bytes (see xlsx.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from ..gitio.history import AuditTrail, RecordChange
from ..gitio.shallow import incomplete_note
from ..xmltext import xml_text
from .xlsx import bulk_workbook, save_workbook

TRAIL_HEADER = ("Date", "Commit", "Author", "Email", "User", "Printed name", "Record", "Kind", "Action", "Field",
                "Old value", "New value", "Message")
TRAIL_WIDTHS = (25, 42, 18, 26, 10, 22, 15, 14, 10, 24, 36, 36, 48)
NO_USER = "maps to no user"
SCOPE_HEADER = ("Item", "Value")
MAX_CELL = 32_767  # Excel's limit on the characters of one cell


def _show(value: Any) -> Any:
    """A canonical value as a cell: text and numbers as they are, true/false as words, absent as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    return _text(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def _text(text: str) -> str:
    text = xml_text(text)  # control characters cannot be stored in a cell
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


class Signers:
    """Which user a git identity maps to: a user's email or one of its git_identities, case-insensitive."""

    def __init__(self, users: Iterable[Any]) -> None:
        self.by_email: dict[str, list[Any]] = {}
        for user in sorted(users, key=lambda u: u.id):
            for email in user.identities:
                self.by_email.setdefault(email, []).append(user)

    def cells(self, email: str) -> tuple[str, str]:
        """(user IDs, printed names) for the author email; an email two users claim names both."""
        users = self.by_email.get(email.strip().lower(), [])
        if not users:
            return "", NO_USER
        return ", ".join(u.id for u in users), _text(", ".join(u.name for u in users))


def _rows(trail: AuditTrail, signers: Signers) -> Iterator[list[Any]]:
    for change in trail.changes:
        head = [change.author_date.isoformat(), change.commit, _text(change.author_name), _text(change.author_email),
                *signers.cells(change.author_email), change.record_id, change.kind.replace("_", " "), _action(change)]
        message = _text(change.subject)  # the why in one line; the whole message stays in git
        if not change.fields:
            yield [*head, "", "", "", message]
        for f in change.fields:
            yield [*head, f.field, _show(f.old), _show(f.new), message]


def _action(change: RecordChange) -> str:
    if change.action == "renamed":
        return f"renamed from {change.old_where}"
    return change.action


def audit_trail_workbook(trail: AuditTrail, users: Iterable[Any] = ()) -> Workbook:
    """The workbook of `trail`; `users` are the user records git identities map to."""
    complete = ("History complete", "yes") if not trail.gaps else ("History complete", _text(incomplete_note(trail.gaps)))
    scope = [
        complete,
        ("History up to commit", trail.head),
        ("After commit", trail.since or "(the first commit)"),
        ("Commits that changed records", trail.commits),
        ("Records changed", trail.records),
        ("Record changes", len(trail.changes)),
        ("Field changes", trail.field_changes),
        ("User", "the user record whose email or git_identities hold the author email, or 'maps to no user'"),
        ("Message", "the first line of the commit message (the whole message stays in git)"),
        ("Source", "git history of the record folders; values are canonical (formatting and review stamps "
                   "do not count); dates are author dates"),
    ]
    sheets = [("Audit trail", TRAIL_HEADER, _rows(trail, Signers(users)), TRAIL_WIDTHS), ("Scope", SCOPE_HEADER, scope, (30, 90))]
    if trail.gaps:  # an incomplete trail opens on the sheet that says so
        sheets.reverse()
    # Written streaming: a long history has hundreds of thousands of field changes.
    return bulk_workbook(sheets)


def write_audit_trail(trail: AuditTrail, path: Path, users: Iterable[Any] = ()) -> None:
    save_workbook(audit_trail_workbook(trail, users), path)
