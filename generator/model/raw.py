"""Names for free-form data: what YAML, JSON and spreadsheet cells hold before a model gives it a shape.

These are deliberately loose (a record's fields are checked by its pydantic model, not here); the names say at a
module's boundary that a value is data read from or written to a file, not a record, finding or result object.
"""

from __future__ import annotations

from typing import Any, TypeAlias

RawValue: TypeAlias = Any
"""A scalar, list or mapping as parsed from YAML or JSON, or a spreadsheet cell's value."""

RawMapping: TypeAlias = dict[str, RawValue]
"""A parsed YAML/JSON mapping: a record's fields before validation, a manifest, an evidence file."""

JsonObject: TypeAlias = dict[str, RawValue]
"""A mapping about to be written as JSON or YAML (`as_json()` of a result, a report, a summary)."""
