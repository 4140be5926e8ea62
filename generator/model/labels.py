"""Human labels for stored codes: what a document prints for an enumerated value or a lifecycle status.

Each enumerated field declares its labels beside its values (base.choice with a mapping); statuses share
base.STATUS_LABELS. Renderers print `label(Model, "field", value)` and `status_label(value)`, never the
code a record stores.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel

from .base import LABELS_KEY, STATUS_LABELS


@cache
def labels(model: type[BaseModel], field: str) -> dict[str, str]:
    """The label table of `model.field` (empty when the field is not enumerated)."""
    extra = model.model_fields[field].json_schema_extra
    table = extra.get(LABELS_KEY) if isinstance(extra, dict) else None
    return {str(value): str(label) for value, label in table.items()} if isinstance(table, dict) else {}


def label(model: type[BaseModel], field: str, value: object) -> str:
    """The label of `value` in `model.field`; empty for no value. A value outside the table (a record
    that failed validation still renders) reads as words, never as a code."""
    if value is None or value == "":
        return ""
    text = str(value)
    return labels(model, field).get(text) or words(text)


def status_label(status: str | None) -> str:
    """A lifecycle status as running text: `in_review` reads "in review"."""
    if not status:
        return ""
    return STATUS_LABELS.get(status) or words(status)


def words(code: str) -> str:
    """A code as words: the fallback for a value no table names."""
    return code.replace("_", " ")
