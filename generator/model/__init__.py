"""Record kinds: the registry by kind name and ID prefix, and each model's field plan.

The field plan is computed once per model class from field metadata: which
fields are links (and to which kinds), which are dates (event or planned),
which hold nested models. Loaders, the RecordSet and rules walk records through
it instead of knowing field names.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from pydantic import BaseModel

from .base import ANY_KIND, DATE_KEY, ENUM_KEY, LINK_KEY, BulkRecord, Record, Ref, RiskEstimate, Strict
from .conformity import Evidence, Gspr, Standard
from .design import DesignOutput, Requirement, Section, UserNeed, ValidationTest, VerificationTest
from .documents import Document
from .events import Capa, ChangeControl, Complaint, Nonconformance
from .manufacturing import ProcessStep, Site
from .people import Approval, Role, User, Waiver
from .policy import POLICIES, Policy
from .postmarket import PmsPlan, Psur
from .production import Equipment, Lot, SerialUnit, Shipment, TemperatureLog
from .risk import BenefitRisk, FmeaLine, Harm, Hazard, HazardousSituation, RiskControl
from .supply import Inspection, Material, Receipt, Supplier
from .validation import Protocol, ProtocolExecution

MODELS: tuple[type[Record], ...] = (
    UserNeed, Requirement, DesignOutput, VerificationTest, ValidationTest, Section,
    Hazard, HazardousSituation, Harm, RiskControl, BenefitRisk, FmeaLine,
    Nonconformance, Capa, ChangeControl, Complaint, Document, Standard, Gspr, Evidence,
    Supplier, Material, Receipt, Inspection,
    Lot, SerialUnit, Shipment, TemperatureLog, Equipment,
    User, Role, Approval, Waiver, Policy, Protocol, ProtocolExecution,
    Site, ProcessStep,
    PmsPlan, Psur,
)


@dataclass(frozen=True)
class Kind:
    """One record kind: its model, ID rules and lifecycle."""

    name: str
    model: type[Record]
    prefixes: tuple[str, ...]
    id_re: re.Pattern[str]
    lifecycle: tuple[str, ...]
    retired: tuple[str, ...]
    folder: str
    bulk: bool
    sheet_names: tuple[str, ...]

    def model_for(self, raw: dict[str, Any]) -> type[Record] | None:
        """The model that validates `raw`; policies pick theirs by their `policy` field."""
        if self.model is Policy:
            policy = raw.get("policy")
            return POLICIES.get(policy) if isinstance(policy, str) else None
        return self.model

    @property
    def models(self) -> tuple[type[Record], ...]:
        if self.model is Policy:
            return tuple(POLICIES.values())
        return (self.model,)

    @property
    def id_example(self) -> str:
        yearly = "[0-9]{4}-" in self.id_re.pattern
        return f"{self.prefixes[0]}-{'2026-001' if yearly else '001'}"


def _kind(model: type[Record]) -> Kind:
    prefixes = "|".join(model.PREFIXES)
    return Kind(
        name=model.KIND,
        model=model,
        prefixes=model.PREFIXES,
        # Whole and ASCII: \Z (not $, which also matches before a final newline) and re.ASCII.
        id_re=re.compile(rf"\A(?:{prefixes})-(?:{model.ID_PATTERN})\Z", re.ASCII),
        lifecycle=model.LIFECYCLE,
        retired=model.RETIRED,
        folder=model.FOLDER,
        bulk=model.BULK,
        sheet_names=model.SHEET_NAMES,
    )


KINDS: dict[str, Kind] = {m.KIND: _kind(m) for m in MODELS}
BY_PREFIX: dict[str, Kind] = {p: k for k in KINDS.values() for p in k.prefixes}


def kind_of_id(record_id: str) -> Kind | None:
    """The kind an ID's prefix names, or None."""
    prefix, sep, _ = record_id.partition("-")
    return BY_PREFIX.get(prefix) if sep else None


def _normal(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


_SHEETS: dict[str, Kind] = {}
for _k in KINDS.values():
    for _alias in (_k.name, _k.name + "s", *_k.sheet_names, *_k.prefixes):
        _SHEETS.setdefault(_normal(_alias), _k)


def kind_of_sheet(name: str) -> Kind | None:
    """The kind a worksheet or CSV file name stands for (`Lots`, `serial units`, `LOT` ...)."""
    return _SHEETS.get(_normal(name))


# --------------------------------------------------------------------------- field plan


@dataclass(frozen=True)
class FieldInfo:
    name: str
    shape: str  # "one", "many" or "map"
    links: tuple[str, ...] = ()  # target kinds, for link fields
    date: str | None = None  # "event" or "planned"
    nested: type[BaseModel] | None = None
    enum: tuple[str, ...] = ()
    scalar_list: bool = False  # list of plain values (split from a cell)


@dataclass(frozen=True)
class Plan:
    fields: dict[str, FieldInfo] = field(default_factory=dict)

    @property
    def links(self) -> list[FieldInfo]:
        return [f for f in self.fields.values() if f.links]

    @property
    def dates(self) -> list[FieldInfo]:
        return [f for f in self.fields.values() if f.date]

    @property
    def nested(self) -> list[FieldInfo]:
        return [f for f in self.fields.values() if f.nested is not None]

    @cached_property
    def link_walk(self) -> tuple[FieldInfo, ...]:
        """Fields to visit for links: link fields and nested models that may hold some, in field order."""
        return tuple(f for f in self.fields.values()
                     if f.links or (f.nested is not None and f.shape != "map" and _holds(f.nested, "links")))

    @cached_property
    def date_walk(self) -> tuple[FieldInfo, ...]:
        return tuple(f for f in self.fields.values()
                     if f.date or (f.nested is not None and f.shape != "map" and _holds(f.nested, "date")))


def _holds(model: type[BaseModel], what: str) -> bool:
    """Whether `model` or a model nested in it has link ('links') or date ('date') fields."""
    for f in plan(model).fields.values():
        if getattr(f, what) or (f.nested is not None and _holds(f.nested, what)):
            return True
    return False


def _unwrap(annotation: Any) -> tuple[str, Any]:
    """(shape, inner type) of an annotation such as `list[Ref] | None`."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
        return "one", annotation
    if origin is list:
        return "many", typing.get_args(annotation)[0]
    if origin is dict:
        return "map", typing.get_args(annotation)[1]
    return "one", annotation


def _texts(value: object) -> tuple[str, ...]:
    """A list from a field's schema extras (link targets, enum values) as a tuple of texts."""
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@cache
def plan(model: type[BaseModel]) -> Plan:
    fields: dict[str, FieldInfo] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        shape, inner = _unwrap(info.annotation)
        nested = inner if isinstance(inner, type) and issubclass(inner, Strict) and inner is not Ref else None
        fields[name] = FieldInfo(
            name=name,
            shape=shape,
            links=_texts(extra.get(LINK_KEY)),
            date=date if isinstance(date := extra.get(DATE_KEY), str) else None,
            nested=nested,
            enum=_texts(extra.get(ENUM_KEY)),
            scalar_list=shape == "many" and nested is None,
        )
    return Plan(fields)


@dataclass(frozen=True)
class LinkUse:
    """One link as written in a record: where it stands and what it may point at."""

    path: tuple[Any, ...]
    role: str
    ref: Ref
    targets: tuple[str, ...]


# One step of a model's link walk, with everything a walk needs that does not depend on the record: the field's
# name, its shape, the role its links have under a given parent role, the kinds they may point at (empty for a
# nested model), the nested model, and the one-field path (name,).
_Step = tuple[str, str, str, tuple[str, ...], "type[BaseModel] | None", tuple[str]]
_WALKS: dict[tuple[type, str], tuple[_Step, ...]] = {}


def _walk(model: type[BaseModel], role: str) -> tuple[_Step, ...]:
    steps = _WALKS[(model, role)] = tuple(
        (f.name, f.shape, f"{role}.{f.name}" if role else f.name, f.links, f.nested, (f.name,))
        for f in plan(model).link_walk)
    return steps


def collect_links(obj: BaseModel, out: list[tuple[tuple[Any, ...], str, Ref, tuple[str, ...]]],
                  path: tuple[Any, ...] = (), role: str = "") -> None:
    """Append (path, role, ref, target kinds) for every link in a record, in field order.

    The same walk as iter_links without a generator frame or an object per link: the RecordSet
    calls it for every record on every run, so each model's walk is made once per parent role (_walk) and
    the values are read from the instance's dict (where pydantic keeps them)."""
    values = obj.__dict__
    for name, shape, full, links, nested, single in _WALKS.get((type(obj), role)) or _walk(type(obj), role):
        value = values.get(name)
        if value is None:
            continue
        here = path + single if path else single
        if links:
            if shape == "one":
                out.append((here, full, value, links))
            elif shape == "many":
                out.extend([(here + (i,), full, ref, links) for i, ref in enumerate(value)])
            else:
                out.extend([(here + (key,), full, ref, links) for key, ref in value.items()])
        elif nested is not None:
            if shape == "one":
                collect_links(value, out, here, full)
            elif shape == "many":
                for i, item in enumerate(value):
                    collect_links(item, out, here + (i,), full)


def iter_links(obj: BaseModel, path: tuple[Any, ...] = (), role: str = "") -> Iterator[LinkUse]:
    """Every link in a record, nested models included, in field order."""
    found: list[tuple[tuple[Any, ...], str, Ref, tuple[str, ...]]] = []
    collect_links(obj, found, path, role)
    return (LinkUse(*link) for link in found)


def iter_dates(obj: BaseModel, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, Any]]:
    """(path, 'event'|'planned', value) for every date in a record, nested models included."""
    for f in plan(type(obj)).date_walk:
        value = getattr(obj, f.name)
        if value is None:
            continue
        here = path + (f.name,)
        if f.date:
            yield here, f.date, value
        elif f.nested is not None:
            if f.shape == "one":
                yield from iter_dates(value, here)
            elif f.shape == "many":
                for i, item in enumerate(value):
                    yield from iter_dates(item, here + (i,))


__all__ = [
    "ANY_KIND", "BY_PREFIX", "KINDS", "MODELS", "BulkRecord", "FieldInfo", "Kind", "LinkUse", "Record",
    "Ref", "RiskEstimate", "collect_links", "iter_dates", "iter_links", "kind_of_id", "kind_of_sheet", "plan",
]
