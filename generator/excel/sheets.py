"""The columns a kind's sheet has, and how a record value becomes a cell and back.

A column is a field the loader can read from a sheet row (generator/load/tabular.py): a plain value,
a link, a list (`;`-separated), or a part of a nested model (`initial_risk.severity`). Lists of nested
models and free mappings have no cell form, except those whose model reads from a cell (`LOT=QUANTITY`);
they stay out of the workbook and are never touched by an import.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from pydantic import BaseModel

from ..findings import QmsError
from ..gitio.history import canonical_fields
from ..model import FieldInfo, Kind, Record, Ref, plan
from ..model.production import Consumption

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

CellValue: TypeAlias = str | dt.date | bool | int | float | None
"""What a record's value becomes in a cell (`cell_of`): text, a date, a flag or a number, or an empty cell."""

# Characters at the start of a text that make Excel (or a CSV importer) read a formula (CWE-1236).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
MAX_CELL = 32767  # Excel's limit on the characters of one cell
_CANONICAL = {"canonical": True}


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


# Nested models that have a one-cell form (their model validator reads it back).
CELL_FORMS: dict[type[BaseModel], Any] = {
    Consumption: lambda c: f"{c.lot.id}={_number(c.quantity)}",
}


@dataclass(frozen=True)
class Column:
    header: str  # field name as the sheet's header row names it: `title`, `initial_risk.severity`
    top: FieldInfo
    sub: FieldInfo | None
    description: str
    python: Any  # the value type inside Optional/list: str, int, dt.date, Ref ...

    @property
    def path(self) -> tuple[str, ...]:
        return (self.top.name, self.sub.name) if self.sub else (self.top.name,)

    @property
    def info(self) -> FieldInfo:
        return self.sub or self.top

    @property
    def many(self) -> bool:
        return self.sub is None and self.top.shape == "many"

    @property
    def links(self) -> tuple[str, ...]:
        return self.info.links

    @property
    def is_date(self) -> bool:
        return self.python is dt.date


def _inner(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:  # model.base's Date: a date with its validator
        return _inner(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _inner(args[0]) if len(args) == 1 else str
    if origin is list:
        return _inner(typing.get_args(annotation)[0])
    return annotation


def columns(kind: Kind) -> list[Column]:
    """The kind's columns in field order; policies have none (their fields differ by policy type)."""
    if len(kind.models) != 1:
        return []
    model = kind.models[0]
    out: list[Column] = []
    for name, info in plan(model).fields.items():
        spec = model.model_fields[name]
        if info.shape == "map":
            continue
        if info.nested is None:
            out.append(Column(name, info, None, spec.description or "", _inner(spec.annotation)))
        elif info.nested in CELL_FORMS and info.shape == "many":
            out.append(Column(name, info, None, spec.description or "", info.nested))
        elif info.shape == "one":
            for sub_name, sub in plan(info.nested).fields.items():
                if sub.nested is None and sub.shape == "one":
                    sub_spec = info.nested.model_fields[sub_name]
                    out.append(Column(f"{name}.{sub_name}", info, sub, sub_spec.description or "",
                                      _inner(sub_spec.annotation)))
    return out


def value_at(record: BaseModel, column: Column) -> object:
    value = getattr(record, column.top.name)
    if column.sub is not None and value is not None:
        value = getattr(value, column.sub.name)
    return value


def cell_of(value: object, column: Column, where: str) -> CellValue:
    """The cell value for a record's value; QmsError (naming `where`) when a cell cannot hold it."""
    if value is None:
        return None
    if isinstance(value, list):
        items = [_item(v) for v in value]
        for item in items:
            if ";" in item or "\n" in item:
                raise QmsError(f"{where}: list item {item!r} holds ';' or a line break, which a cell list "
                               "cannot keep apart; edit this record in its YAML file")
        return "; ".join(items) if items else None
    if isinstance(value, Ref):
        return value.id
    if isinstance(value, dt.datetime):
        return value.isoformat()  # a time of day (and zone) Excel cannot keep: written as text
    if isinstance(value, (dt.date, bool, int, float)):
        return value
    text = str(value)
    if len(text) > MAX_CELL:
        raise QmsError(f"{where}: {len(text):,} characters, more than an Excel cell holds ({MAX_CELL:,})")
    return text


def _item(value: Any) -> str:
    if isinstance(value, Ref):
        return value.id
    form = CELL_FORMS.get(type(value))
    if form is not None:
        return form(value)
    if isinstance(value, float):
        return _number(value)
    return str(value)


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START)


def put(cell: Cell, value: CellValue, column: Column) -> None:
    """Write a cell value: text always as text (never a formula nor an error code, CWE-1236), dates as dates."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if formula_like(value):
            cell.quotePrefix = True  # Excel shows it as text and keeps it text when the cell is edited
    elif column.is_date and value is not None:
        cell.number_format = DATE_FORMAT


def content(record: Record) -> dict[str, Any]:
    """The record's fields as an import compares and shows them: the flattened canonical values of
    `qms history` (links by ID, review stamps left out), status included."""
    data = record.model_dump(mode="json", exclude_defaults=True, context=_CANONICAL)
    data["id"] = record.id
    data["status"] = record.status
    return canonical_fields(data, None)


def part(flat: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The entries of a flattened content that belong to the field at `path`."""
    prefix = ".".join(path)
    return {k: v for k, v in flat.items() if k == prefix or k.startswith((prefix + ".", prefix + "["))}
