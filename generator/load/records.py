"""Turn one raw mapping (from YAML or a sheet row) into a validated record, with located findings."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ..codes.schema import BAD_DATE, INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, UNKNOWN_KIND
from ..findings import Finding
from ..model import Kind, Record, kind_of_id, plan
from .source import Source

_DATE_ERRORS = {
    "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type",
    "datetime_parsing", "datetime_from_date_parsing", "datetime_type",
}
# Error types raised by model.base's Date and DateTime, with their hints.
_OWN_DATE_ERRORS = {
    "date_number": "write the date as YYYY-MM-DD (in Excel, a cell formatted as a date)",
    "date_range": "check the year",
}


def kind_for(raw: dict[str, Any], fallback_id: str | None) -> Kind | None:
    record_id = raw.get("id")
    if isinstance(record_id, str):
        kind = kind_of_id(record_id)
        if kind is not None:
            return kind
    return kind_of_id(fallback_id) if fallback_id else None


def to_record(raw: dict[str, Any], kind: Kind | None, source: Source,
              fallback_id: str | None = None) -> tuple[Record | None, list[Finding]]:
    """Validate `raw` as a record of `kind` (found from its ID when None)."""
    record_id = raw.get("id") if isinstance(raw.get("id"), str) else None
    if kind is None:
        kind = kind_for(raw, fallback_id)
    if kind is None:
        shown = record_id or fallback_id or "(no id)"
        return None, [UNKNOWN_KIND.finding(
            source.at(("id",)), f"'{shown}' does not start with a known kind prefix", record_id,
            hint="IDs look like REQ-0012, HAZ-004, CAPA-2026-007; `qms rules` and `qms schema` list the kinds",
        )]
    model = kind.model_for(raw)
    if model is None:
        from ..model.policy import POLICIES

        return None, [INVALID_VALUE.finding(
            source.at(("policy",)), f"policy type {raw.get('policy')!r} is not one of {sorted(POLICIES)}",
            record_id, hint="set 'policy:' to the policy this record defines",
        )]
    try:
        record = model.model_validate(raw)
    except ValidationError as err:
        return None, [_finding(e, model, source, record_id) for e in err.errors(include_url=False)]
    # Enumerated text fields (`choice`) carry their allowed values as metadata only; check them here.
    problems = list(_enum_findings(record, (), source, record.id))
    return (None, problems) if problems else (record, [])


def _enum_findings(obj: BaseModel, path: tuple[Any, ...], source: Source, record_id: str) -> Iterator[Finding]:
    for info in plan(type(obj)).fields.values():
        value = getattr(obj, info.name)
        if value is None:
            continue
        here = path + (info.name,)
        if info.enum:
            items = enumerate(value) if isinstance(value, list) else [(None, value)] if isinstance(value, str) else []
            for i, item in items:
                if item in info.enum:
                    continue
                where = here if i is None else here + (i,)
                dotted = ".".join(str(p) for p in where)
                close = difflib.get_close_matches(str(item), info.enum, n=1)
                yield INVALID_VALUE.finding(
                    source.at(where), f"'{dotted}': {_shown(item)} is not one of: {', '.join(info.enum)}",
                    record_id, f"did you mean '{close[0]}'?" if close else "use one of the values listed")
        elif info.nested is not None:
            if isinstance(value, BaseModel):
                yield from _enum_findings(value, here, source, record_id)
                continue
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                yield from _enum_findings(child, here + (key,), source, record_id)


def _finding(error: Any, model: type[Record], source: Source, record_id: str | None) -> Finding:
    loc = tuple(error["loc"])
    # pydantic inserts the name of a validator function into some paths; keep data keys only.
    loc = tuple(p for p in loc if isinstance(p, int) or not str(p).startswith("function-"))
    dotted = ".".join(str(p) for p in loc) or "(record)"
    kind = error["type"]
    where = source.at(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        owner = _model_at(model, loc[:-1])
        close = difflib.get_close_matches(name, list(owner.model_fields) if owner else [], n=1)
        hint = f"did you mean '{close[0]}'?" if close else "remove it, or check the kind's schema (`qms schema`)"
        return UNKNOWN_FIELD.finding(where, f"unknown field '{dotted}'", record_id, hint)
    if kind == "missing":
        return MISSING_FIELD.finding(where, f"required field '{dotted}' is missing", record_id,
                                     f"add '{loc[-1]}:' to the record")
    shown = _shown(error.get("input"))
    if kind in _OWN_DATE_ERRORS:  # model.base's Date: a number, or a date outside the window records hold
        return BAD_DATE.finding(where, f"'{dotted}': {error['msg']}", record_id, _OWN_DATE_ERRORS[kind])
    if kind in _DATE_ERRORS:
        return BAD_DATE.finding(where, f"'{dotted}' is not a real date: {shown}", record_id,
                                "write dates as YYYY-MM-DD")
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if shown not in message:
        message = f"{message} (got {shown})"
    return INVALID_VALUE.finding(where, f"'{dotted}': {message}", record_id)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _model_at(model: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        info = plan(model).fields.get(str(part))
        model = info.nested if info else None
    return model
