"""Building blocks every record kind shares: the base record, typed links and dated fields.

A link is written in YAML either as a bare ID (`REQ-0012`) or, once the
downstream record has been reviewed against it, as a one-key mapping
`{REQ-0012: 3f2a9c1b}` holding the upstream's content fingerprint (the same
shape doorstop uses for its review stamps). The field that holds a link names
its role (`verifies`, `mitigates`, `derived_from`, ...) and, in its metadata,
the record kinds it may point at; the RecordSet builds the typed link graph
from that metadata, so no rule needs to know field names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    WrapValidator,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from ..datewindow import DATE_MAX, DATE_MIN

# Metadata keys carried in a field's json_schema_extra.
LINK_KEY = "x-qms-link"
DATE_KEY = "x-qms-date"
ENUM_KEY = "x-qms-enum"
LABELS_KEY = "x-qms-labels"  # an enumerated field's human label per value (model.labels reads it)

ANY_KIND = "*"
# ID patterns use ASCII classes only: `\d` matches any Unicode digit (REQ-٠٠٠٢, REQ-０００２) in Python's
# `re` and in pydantic's Rust regex alike, and an ID names files. model.Kind anchors them with \A...\Z.
FREE_ID_PATTERN = r"[A-Z0-9][A-Z0-9-]*"


class Strict(BaseModel):
    """Base of every model read from a file: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,  # an Excel cell holding 12345 is a valid lot number
        allow_inf_nan=False,  # NaN compares false with every limit: `max_c: .nan` would silence a rule
        validate_default=False,
        # Validators are built on first use: a warm run rebuilds models from the cache and needs none.
        defer_build=True,
    )


# --------------------------------------------------------------------------- bounded values
# Every number and date has a range, so no value can overflow the date arithmetic rules and analyses do
# (a due date plus a policy's days): a located finding at load instead of an OverflowError later.

# Dates a record may hold: DATE_MIN to DATE_MAX (generator/datewindow.py).
MAX_DAYS = 36_500  # a period, window or deadline in days: a hundred years
MAX_HOURS = 24 * MAX_DAYS
MAX_MONTHS = 1_200
MAX_COUNT = 1_000_000_000  # units, lots, findings, sample sizes
MAX_QUANTITY = 1e12  # amounts of material, in any unit
MAX_LEVEL = 100  # a level on a policy's scale
TEMPERATURE_MIN_C, TEMPERATURE_MAX_C = -273.15, 1_000.0

_NUMERIC_TEXT = re.compile(r"\s*[-+]?[0-9]+(?:[.,][0-9]*)?\s*\Z")


def _dated(value: Any, handler: Any) -> Any:
    """A date (or date-time) that was written as one: a number is never a date (pydantic would read 0 as
    1970-01-01 and 1702080000 as a day in 2023), and it lies between DATE_MIN and DATE_MAX."""
    cls = type(value)
    # Text with a '-' past its first character is no number: the fast path for every 2026-01-05.
    if (value.find("-", 1) < 0 and _NUMERIC_TEXT.match(value)) if cls is str else (cls is int or cls is float):
        raise PydanticCustomError("date_number", "{value} is a number, not a date", {"value": repr(value)})
    parsed = handler(value)
    day = parsed.date() if isinstance(parsed, dt.datetime) else parsed
    if not DATE_MIN <= day <= DATE_MAX:
        raise PydanticCustomError("date_range", "{value} lies outside the dates a record may hold ({low} to {high})",
                                  {"value": parsed.isoformat(), "low": DATE_MIN.isoformat(),
                                   "high": DATE_MAX.isoformat()})
    return parsed


# The one date type of every model: JSON Schema still says `format: date`.
Date = Annotated[dt.date, WrapValidator(_dated)]
DateTime = Annotated[dt.datetime, WrapValidator(_dated)]
# Bounded numbers where a field's own Field(...) cannot carry the bounds: map values and list items.
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Months = Annotated[int, Field(ge=1, le=MAX_MONTHS)]
Level = Annotated[int, Field(ge=1, le=MAX_LEVEL)]


class Ref(Strict):
    """One typed link: the target ID and, once reviewed, the target's fingerprint."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              coerce_numbers_to_str=True)

    id: str = Field(description="ID of the linked record")
    fingerprint: str | None = Field(
        default=None,
        description="Short content hash of the linked record when this record was last reviewed against it",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_short_forms(cls, value: object) -> object:
        if isinstance(value, str):
            return {"id": value}
        if isinstance(value, dict) and len(value) == 1 and "id" not in value:
            ((key, fingerprint),) = value.items()
            if isinstance(key, str):
                return {"id": key, "fingerprint": None if fingerprint is None else str(fingerprint)}
        return value

    @field_validator("id")
    @classmethod
    def _ascii_id(cls, value: str) -> str:
        # A link names a record by its ASCII ID: REQ-０００２ is not REQ-0002, and would resolve to a
        # record whose malformed ID is an error of its own. Prose stays QMS127's to report.
        if not (value.isascii() and value.isprintable()):
            raise ValueError(f"{value!r} is not a record ID: IDs are ASCII letters, digits and '-'")
        return value

    def __str__(self) -> str:
        return self.id

    @model_serializer(mode="wrap")
    def _serialize(self, handler: Any, info: Any) -> Any:
        # A record's canonical content names its links by ID only: stamps are review data, not content.
        if info.context and info.context.get("canonical"):
            return self.id
        return handler(self)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # Editors must accept the short forms people actually write.
        return {
            "anyOf": [
                {"type": "string", "description": "Linked record ID"},
                {
                    "type": "object", "minProperties": 1, "maxProperties": 1,
                    "additionalProperties": {"type": ["string", "null"]},
                    "description": "Linked record ID mapped to its reviewed fingerprint",
                },
                {
                    "type": "object", "required": ["id"], "additionalProperties": False,
                    "properties": {"id": {"type": "string"}, "fingerprint": {"type": ["string", "null"]}},
                },
            ]
        }


def link(*targets: str, description: str, many: bool = True, required: bool = False) -> Any:
    """A link field: `targets` are record kind names (or ANY_KIND)."""
    extra: JsonDict = {LINK_KEY: list(targets)}
    if many:
        return Field(default_factory=list, description=description, json_schema_extra=extra)
    if required:
        return Field(description=description, json_schema_extra=extra)
    return Field(default=None, description=description, json_schema_extra=extra)


def event_date(description: str, required: bool = False) -> Any:
    """A date on which something happened: it cannot lie after the as-of date."""
    extra: JsonDict = {DATE_KEY: "event"}
    if required:
        return Field(description=description, json_schema_extra=extra)
    return Field(default=None, description=description, json_schema_extra=extra)


def planned_date(description: str) -> Any:
    """A due, expiry or planned date: the future is expected."""
    return Field(default=None, description=description, json_schema_extra={DATE_KEY: "planned"})


def choice(values: Mapping[str, str] | tuple[str, ...], description: str, default: object = None,
           required: bool = False) -> Any:
    """An enumerated text field; the allowed values also feed JSON Schema and Excel dropdowns.

    `values` maps each stored value to the label documents print (a bare tuple is for values whose
    label is the value itself, such as inspection levels "II" or "S-1")."""
    if not isinstance(values, Mapping) and any("_" in v for v in values):
        raise TypeError(f"choice{values}: a value written as a code needs a label for documents")
    labels = dict(values) if isinstance(values, Mapping) else {v: v for v in values}
    extra: JsonDict = {"enum": list(labels), ENUM_KEY: list(labels), LABELS_KEY: dict(labels)}
    if required:
        return Field(description=description, json_schema_extra=extra)
    return Field(default=default, description=description, json_schema_extra=extra)


# Every lifecycle status as documents print it (in running text: "status in review"). One table for all
# kinds: a status means the same wherever it appears.
STATUS_LABELS: dict[str, str] = {
    "action_pending": "action pending", "effectiveness_check": "effectiveness check",
    "in_production": "in production", "in_progress": "in progress", "in_review": "in review",
    "out_of_service": "out of service",
}


class Record(Strict):
    """Fields every quality record has.

    Status is plain text checked against the kind's LIFECYCLE by a rule (QMS124),
    so an unknown status gets its own finding and hint rather than a generic
    schema error.
    """

    KIND: ClassVar[str] = ""
    PREFIXES: ClassVar[tuple[str, ...]] = ()
    ID_PATTERN: ClassVar[str] = r"[0-9]{3,}"
    LIFECYCLE: ClassVar[tuple[str, ...]] = ("draft", "in_review", "approved", "obsolete")
    # Statuses in which a record is retired: links to it are suspicious.
    RETIRED: ClassVar[tuple[str, ...]] = ("obsolete",)
    FOLDER: ClassVar[str] = ""
    BULK: ClassVar[bool] = False
    SHEET_NAMES: ClassVar[tuple[str, ...]] = ()

    id: str = Field(description="Unique ID with the kind's prefix, e.g. REQ-0012")
    title: str = Field(description="One-line title")
    status: str = Field(description="Lifecycle state")
    owner: Ref | None = link("user", description="User accountable for the record", many=False)
    created: Date | None = event_date("Date the record was created")
    description: str | None = Field(default=None, description="Free text")
    tags: list[str] = Field(default_factory=list, description="Free classification tags")

    # SHA-256 of the canonical content, memoised by model.canonical (records are not changed after loading).
    _content_hash: str | None = PrivateAttr(default=None)

    @property
    def retired(self) -> bool:
        """In one of its kind's retired states (obsolete, cancelled, revoked ...): no longer counts."""
        return self.status in self.RETIRED


class BulkRecord(Record):
    """Rows of ERP/MES exports (lots, units, shipments ...): a title is optional there."""

    BULK: ClassVar[bool] = True
    title: str = Field(default="", description="Optional label")
    status: str = Field(description="Lifecycle state")


class RiskEstimate(Strict):
    """A point on the risk policy's scales: severity and probability levels.

    Probability is either one level (`probability`) or, where the policy splits
    it, P1 (hazardous situation occurs) and P2 (harm results).
    """

    severity: int | None = Field(default=None, ge=1, le=MAX_LEVEL,
                                 description="Severity level on the risk policy's severity scale (POL-RISK)")
    probability: int | None = Field(default=None, ge=1, le=MAX_LEVEL,
                                    description="Probability level on the risk policy's probability scale (POL-RISK)")
    p1: int | None = Field(default=None, ge=1, le=MAX_LEVEL, description="Probability the hazardous situation occurs")
    p2: int | None = Field(default=None, ge=1, le=MAX_LEVEL, description="Probability the situation leads to harm")


def today() -> dt.date:
    return dt.date.today()
