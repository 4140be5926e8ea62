"""Turn one raw mapping (from YAML or a sheet row) into a validated record, with located findings."""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ValidationError

from ..codes.schema import BAD_DATE, INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, UNKNOWN_KIND
from ..findings import Finding
from ..model import Kind, Record, kind_of_id, plan
from .salvage import model_enum_findings, salvage, set_aside
from .salvage import shown as shown_value
from .source import Source, Unvalidated

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


def to_record(raw: dict[str, Any], kind: Kind | None, source: Source, fallback_id: str | None = None,
              unvalidated: list[Unvalidated] | None = None) -> tuple[Record | None, list[Finding]]:
    """Validate `raw` as a record of `kind` (found from its ID when None); a record that fails is
    added to `unvalidated` (when given) with the links that could still be read."""
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
        errors = err.errors(include_url=False)
        problems = _one_per_cause([(e, _finding(e, model, source, record_id)) for e in errors], model)
        if not isinstance(raw, dict):
            return None, problems
        # Every field is checked on its own: what the schema errors leave alone is still read, so one
        # run reports a bad allowed value or a broken link beside a misspelled field.
        more, links = salvage(model, raw, {_data_path(e["loc"]) for e in errors}, source, record_id)
        if record_id is not None and unvalidated is not None:
            unvalidated.append(Unvalidated(record_id, kind.name, source, tuple(links)))
        return None, problems + more
    problems = list(model_enum_findings(record, (), source, record.id))
    if problems:
        set_aside(record, source, unvalidated)
        return None, problems
    return record, []


def _one_per_cause(found: list[tuple[Any, Finding]], model: type[Record]) -> list[Finding]:
    """The findings, but a required field misspelt is one finding: the unknown field, whose hint says the
    field it stands for is required, and not also that field missing."""
    missing = {_data_path(e["loc"]) for e, _ in found if e["type"] == "missing"}
    meant: set[tuple[Any, ...]] = set()
    out = []
    for e, f in found:
        loc = _data_path(e["loc"])
        close = _meant(model, loc) if e["type"] == "extra_forbidden" else None
        if close is not None and loc[:-1] + (close,) in missing:
            meant.add(loc[:-1] + (close,))
            f = replace(f, hint=f"did you mean '{close}'? It is a required field")
        out.append(f)
    return [f for (e, _), f in zip(found, out) if e["type"] != "missing" or _data_path(e["loc"]) not in meant]


def _meant(model: Any, loc: tuple[Any, ...]) -> str | None:
    """The field an unknown field's name is closest to, if any."""
    owner = _model_at(model, loc[:-1])
    close = difflib.get_close_matches(str(loc[-1]), list(owner.model_fields) if owner else [], n=1)
    return close[0] if close else None


def _finding(error: Any, model: type[BaseModel], source: Source, record_id: str | None) -> Finding:
    loc = _data_path(error["loc"])
    dotted = ".".join(str(p) for p in loc) or "(record)"
    kind = error["type"]
    where = source.at(loc)
    if kind == "extra_forbidden":
        close = _meant(model, loc)
        hint = f"did you mean '{close}'?" if close else "remove it, or check the kind's schema (`qms schema`)"
        return UNKNOWN_FIELD.finding(where, f"unknown field '{dotted}'", record_id, hint)
    if kind == "missing":
        return MISSING_FIELD.finding(where, f"required field '{dotted}' is missing", record_id,
                                     f"add '{loc[-1]}:' to the record")
    shown = shown_value(error.get("input"))
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


def _data_path(loc: Any) -> tuple[Any, ...]:
    # pydantic inserts the name of a validator function into some paths; keep data keys only.
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith("function-"))


def _model_at(model: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(part, int) or model is None:
            continue
        info = plan(model).fields.get(str(part))
        model = info.nested if info else None
    return model
