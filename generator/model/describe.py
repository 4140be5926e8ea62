"""Fields of a record kind in words: type, whether required, allowed values, link targets, bounds.

One reading of the pydantic models for the two places people learn the fields: the record reference
(`qms schema --markdown`, docs/records.md) and the skeleton `qms new` writes.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel

from .base import ENUM_KEY, LINK_KEY, MAX_LEVEL, Ref, Strict

if typing.TYPE_CHECKING:
    from . import Kind

# What a kind is, for the kinds whose model carries no docstring.
_PURPOSE = {
    "user_need": "A need of the user or patient the device answers (ISO 13485 7.3.3); validation shows it is met.",
    "design_output": "A design output (ISO 13485 7.3.4): a drawing, a software build, a specification.",
    "hazard": "A potential source of harm (ISO 14971 5.4).",
    "hazardous_situation": "A circumstance in which someone is exposed to a hazard, with the sequence of events "
                           "and the harms it can lead to; where risk is estimated (ISO 14971 5.4, 5.5).",
    "harm": "Injury or damage to health, with its severity on the risk policy's severity scale.",
    "risk_control": "A measure that reduces a risk, in ISO 14971's priority order (7.1).",
    "benefit_risk": "A benefit-risk analysis of one residual risk (ISO 14971 7.4) or of the overall residual "
                    "risk (8).",
    "capa": "A corrective or preventive action (ISO 13485 8.5.2, 8.5.3).",
    "change": "A change control: a proposed change, its assessment, approval and verification.",
    "complaint": "A complaint received from the field (ISO 13485 8.2.2).",
    "document": "A controlled document: an SOP, a form, a label or the instructions for use, at one revision.",
    "supplier": "A supplier, evaluated and approved before goods are received from it (ISO 13485 7.4.1).",
    "material": "A purchased material or component and the suppliers approved for it.",
    "receipt": "A delivery of a material from a supplier, received into incoming inspection.",
    "inspection": "An incoming inspection of a receipt by sampling (ISO 2859-1).",
    "lot": "A production or component lot.",
    "serial_unit": "One serialised unit of the device.",
    "shipment": "A shipment of lots or units to a customer.",
    "equipment": "Production or test equipment, qualified and calibrated.",
    "user": "A person who owns, executes or signs records; their email is their git author email.",
    "role": "A role people hold, and the authority it gives (review, approval, release).",
    "policy": "A policy the checks read: the risk policy's scales and acceptability matrix, the supplier "
              "scoring, the CAPA and vigilance clocks, the release conditions.",
    "protocol": "An installation, operational or performance qualification protocol (IQ, OQ, PQ), run with "
                "`qms protocol run`.",
}

# What the checks expect of a record of a kind beyond its required fields: links other records make to it, or
# files it names. The skeleton and the reference say it, so that a new record is complete on the first try.
EXPECTED = {
    "hazard": "a hazardous situation that names it (`hazard:`), so that it is analysed; or retire it.",
    "hazardous_situation": "its `hazard`, its `harms` and an `initial_risk` (severity and probability levels "
                           "of the risk policy's scales); a `residual_risk` once risk controls mitigate it.",
    "harm": "a `severity` level from the risk policy's severity scale (specs/policies/POL-RISK.yaml), named "
            "by a hazardous situation's `harms`.",
    "risk_control": "what it `mitigates` and what implements it (`implemented_by`), and two verifications "
                    "that name it in `verifies` and have a passing result: one with `purpose: implementation`, "
                    "one with `purpose: effectiveness` (ISO 14971 7.2).",
    "supplier": "status `approved` (or `conditional`) with the date `approved` before any receipt from it "
                "(a candidate supplier's goods are quarantined), and an audit (`audits:` date, type, auditor, "
                "result) within the supplier policy's interval for its criticality.",
    "receipt": "a supplier that was approved or conditional on the date received.",
    "document": "for a label or the IFU, the controlled file in the repository, named by `file` with its "
                "`sha256` (`sha256sum FILE`).",
    "evidence": "the file at `path` in the repository, its SHA-256 in `sha256` (`sha256sum FILE`); a changed "
                "file is no longer the evidence reviewed.",
    "gspr": "a `justification` when `applicable: false`; when applicable, the standards or evidence that "
            "show conformity.",
    "temperature_log": "the logger export named by `data` in the repository, e.g. under "
                       "records/coldchain/data/.",
}


def purpose(kind: Kind) -> str:
    """What records of `kind` are, in a sentence or two."""
    doc = (kind.model.__doc__ or "").strip()
    if kind.name in _PURPOSE or not doc or kind.model.__doc__ == kind.model.__mro__[1].__doc__:
        return _PURPOSE.get(kind.name, "")
    return " ".join(doc.split("\n\n")[0].split())


@dataclass(frozen=True)
class FieldWords:
    name: str
    kind_of_value: str  # "text", "date", "whole number", "list of links", "group of fields (Result)" ...
    required: bool
    description: str
    allowed: tuple[str, ...] = ()  # enumerated values
    links: tuple[str, ...] = ()  # kinds a link may point at ('*' any)
    bounds: str = ""  # "1 to 100"
    nested: type[BaseModel] | None = None  # a group of fields described on its own


def _inner(annotation: Any) -> tuple[str, Any]:
    """("one"|"many"|"map", inner annotation) with Optional and Annotated peeled off."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(args[0]) if len(args) == 1 else ("one", annotation)
    if origin is list:
        item = typing.get_args(annotation)[0]
        shape, inner = _inner(item)
        return ("many", inner) if shape == "one" else ("many", item)  # a list of lists: its items are lists
    if origin is dict:
        return "map", typing.get_args(annotation)[1]
    return "one", annotation


def _base(annotation: Any) -> tuple[str, tuple[str, ...], type[BaseModel] | None]:
    """(type word, literal values, nested model) of a peeled annotation."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _base(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) is Literal:
        return "text", tuple(str(a) for a in typing.get_args(annotation)), None
    if annotation is Ref:
        return "link", (), None
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return f"group of fields ({annotation.__name__})", (), annotation
    if annotation is bool:
        return "true or false", (), None
    if annotation is int:
        return "whole number", (), None
    if annotation is float:
        return "number", (), None
    if annotation is dt.datetime:
        return "date and time (YYYY-MM-DDTHH:MM:SS+00:00)", (), None
    if annotation is dt.date:
        return "date (YYYY-MM-DD)", (), None
    if typing.get_origin(annotation) is list:
        word, values, nested = _base(_inner(annotation)[1])
        return f"lists of {word}", values, nested
    return "text", (), None


def _bounds(info: Any) -> str:
    low = high = None
    for m in info.metadata:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            low = getattr(m, "ge", None) if isinstance(m, annotated_types.Ge) else m.gt
        if isinstance(m, annotated_types.Le | annotated_types.Lt):
            high = getattr(m, "le", None) if isinstance(m, annotated_types.Le) else m.lt
    if low is None and high is None:
        return ""
    if high == MAX_LEVEL:  # the real bounds are the policy's scale, read when the records are checked
        return "from 1; the policy's scale sets the levels"
    if high is None:
        return f"at least {low}"
    return f"{low if low is not None else 'up to'} to {high}" if low is not None else f"at most {high}"


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def fields(model: type[BaseModel]) -> list[FieldWords]:
    """Every field of `model`, in the model's order."""
    out = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        shape, inner = _inner(info.annotation)
        word, literal, nested = _base(inner)
        links = tuple(str(t) for t in _listed(extra.get(LINK_KEY)))
        allowed = tuple(str(v) for v in _listed(extra.get(ENUM_KEY))) or literal
        if shape == "many":
            word = f"list of {word}" if not word.startswith("group") else f"list of {word.replace('group', 'groups')}"
            word = word.replace("list of link", "list of links")
        elif shape == "map":
            word = f"map of names to {word}"
        out.append(FieldWords(name=name, kind_of_value=word, required=info.is_required(),
                              description=info.description or "", allowed=allowed, links=links,
                              bounds=_bounds(info), nested=nested))
    return out


def nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The groups of fields `model` holds, depth first, each once."""
    seen: list[type[BaseModel]] = []

    def walk(m: type[BaseModel]) -> None:
        for f in fields(m):
            if f.nested is not None and f.nested not in seen:
                seen.append(f.nested)
                walk(f.nested)

    walk(model)
    return seen
