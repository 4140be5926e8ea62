"""The YAML skeleton of a new record: every required field to fill, the optional ones as comments.

Each field carries its type, allowed values and link targets as a comment, so the file teaches its own
shape; `qms validate` then says which required value is still empty. Values the tool knows (ID, first
lifecycle status, owner, creation date, a policy's type) are filled in.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from pydantic import BaseModel

from ..model import Kind
from ..model.describe import EXPECTED, FieldWords, fields

_KNOWN = ("id", "status", "owner", "created", "policy")


def _note(f: FieldWords) -> str:
    parts = [f.kind_of_value]
    if f.allowed:
        parts.append("one of: " + " | ".join(f.allowed))
    if f.links:
        parts.append("links to: " + ("any record" if "*" in f.links else ", ".join(f.links)))
    if f.bounds:
        parts.append(f.bounds)
    if f.description:
        parts.append(f.description)
    return "; ".join(parts)


def _value(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) and ":" in value else str(value)


def _field_lines(f: FieldWords, indent: str, lead: str) -> list[str]:
    """A required field as YAML lines: its own line, then a group's required fields nested under it."""
    lines = [f"{lead}{f.name}:  # required, {_note(f)}"]
    if f.nested is not None and f.kind_of_value.startswith("list"):
        lines += _group_lines(f.nested, indent + "    ", indent + "  - ")
    elif f.nested is not None:
        lines += _group_lines(f.nested, indent + "  ", indent + "  ")
    elif f.kind_of_value.startswith(("list", "map")):
        lines.append(f"{indent}  # one entry a line: '- value'" if f.kind_of_value.startswith("list") else
                     f"{indent}  # one entry a line: 'name: value'")
    return lines


def _wrapped(text: str) -> list[str]:
    return [f"# {line}" for line in textwrap.wrap(text, 114)]


def _commented_group(model: type[BaseModel], listed: bool) -> list[str]:
    """An optional group's fields as comments, nested under it (as a list item when it is a list)."""
    first, rest = ("#   - ", "#     ") if listed else ("#   ", "#   ")
    return [f"{first if n == 0 else rest}{g.name}:  # {_note(g)}" for n, g in enumerate(fields(model))]


def _group_lines(model: type[BaseModel], indent: str, first: str) -> list[str]:
    lines: list[str] = []
    for f in (f for f in fields(model) if f.required):
        lines += _field_lines(f, indent, first if not lines else indent)
    return lines


def skeleton(kind: Kind, model: type[BaseModel], record_id: str, owner: str | None, today: dt.date,
             policy: str | None = None) -> str:
    """The text of a new `kind` record `record_id`, to be filled in."""
    known: dict[str, object] = {"id": record_id, "status": kind.lifecycle[0], "created": today.isoformat()}
    if owner:
        known["owner"] = owner
    if policy:
        known["policy"] = policy
    lines = [f"# A new {kind.name.replace('_', ' ')} record. Fill in every field marked 'required' "
             "(`qms validate` names any still empty);",
             "# the optional fields are listed as comments below. `qms schema --markdown` describes every kind.",
             f"# Lifecycle: {' -> '.join(kind.lifecycle)}."]
    if kind.name in EXPECTED:
        lines += _wrapped(f"The checks also expect: {EXPECTED[kind.name]}")
    optional: list[str] = []
    for f in fields(model):
        if f.name in known:
            note = "lifecycle state: " + " | ".join(kind.lifecycle) if f.name == "status" else _note(f)
            lines.append(f"{f.name}: {_value(known[f.name])}  # {note}")
        elif f.required:
            lines += _field_lines(f, "", "")
        else:
            optional.append(f"# {f.name}:  # {_note(f)}")
            if f.nested is not None:  # its fields too, so the group's shape is on the page
                optional += _commented_group(f.nested, f.kind_of_value.startswith("list"))
    if optional:
        lines += ["", "# Optional fields:", *optional]
    return "\n".join(lines) + "\n"

