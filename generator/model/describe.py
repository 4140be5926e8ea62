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

from .base import ENUM_KEY, LINK_KEY, Ref, Strict


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
        shape, inner = _inner(typing.get_args(annotation)[0])
        return ("many", inner) if shape == "one" else ("many", annotation)
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
        return f"list of lists of {word}", values, nested
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
