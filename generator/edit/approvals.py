"""Write a new approval record: one YAML file per signature, never overwriting one already there.

The text is written field by field in a fixed order, each value plain where YAML reads it back as the
same string and double-quoted (JSON escaping, which YAML shares) otherwise, so two runs with the same
inputs give the same bytes. The file is created beside, synced and linked into place, which fails
rather than replace a file that appeared meanwhile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..atomic import create_new
from ..findings import QmsError

FOLDER = "records/approvals"
_HEADER = ("# Electronic signature (21 CFR Part 11 §11.50, §11.70) written by `qms approve`: binds the signer\n"
           "# and the meaning to the SHA-256 of {record}'s canonical content at the moment of signing.\n")


@dataclass(frozen=True)
class NewApproval:
    id: str
    title: str
    record: str
    record_hash: str
    meaning: str
    signer: str
    printed_name: str
    role: str | None
    signed: dt.datetime
    comment: str | None = None

    def numbered(self, approval_id: str) -> NewApproval:
        return dataclasses.replace(self, id=approval_id)

    def fields(self) -> list[tuple[str, str]]:
        rows = [("id", self.id), ("title", self.title), ("status", "signed"), ("record", self.record),
                ("record_hash", self.record_hash), ("meaning", self.meaning), ("signer", self.signer),
                ("printed_name", self.printed_name)]
        if self.role:
            rows.append(("role", self.role))
        rows.append(("signed", self.signed.isoformat()))
        if self.comment:
            rows.append(("comment", self.comment))
        return rows


def approval_text(approval: NewApproval) -> str:
    lines = [_HEADER.format(record=approval.record)]
    for key, value in approval.fields():
        lines.append(f"{key}: {value if key == 'signed' else _scalar(value)}\n")
    return "".join(lines)


def _scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as exactly this string."""
    if "\n" not in value and value == value.strip():
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def next_id(record_id: str, taken: set[str], folder: Path) -> str:
    """APR-<record>-<n> with the next n not used by a loaded record nor by a file in the folder."""
    pattern = re.compile(rf"\AAPR-{re.escape(record_id)}-([0-9]+)\Z")
    names = set(taken)
    if folder.is_dir():
        names |= {p.stem for p in folder.iterdir()}
    used = [int(m.group(1)) for name in names if (m := pattern.match(name))]
    return f"APR-{record_id}-{max(used, default=0) + 1}"


def create(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`; QmsError if a file is already there."""
    try:
        create_new(path, text.encode("utf-8"))
    except FileExistsError:
        raise QmsError(f"{path.name} already exists; an approval is never overwritten") from None
