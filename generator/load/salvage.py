"""What can still be read from a record that failed its schema, so one `qms validate` reports everything
independent at once: the allowed values of its fields that pydantic had no quarrel with, and its links,
which the reference rules check like any record's (a broken link is not hidden behind a misspelled field)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ..codes.schema import INVALID_VALUE
from ..findings import Finding
from ..model import FieldInfo, Record, Ref, plan
from .source import LinkUse, Source, Unvalidated

Path = tuple[Any, ...]


def set_aside(record: Record, source: Source, unvalidated: list[Unvalidated] | None, trusted: bool = True) -> None:
    """Keep a record that passed its schema but is refused all the same (a formula, a number for a date,
    a value outside its allowed ones) as unvalidated: its links read as written, or none when no value
    of it is `trusted` (a row holding a formula)."""
    from ..model import collect_links

    if unvalidated is not None:
        links: list[LinkUse] = []
        if trusted:
            collect_links(record, links)
        unvalidated.append(Unvalidated(record.id, record.KIND, source, tuple(links)))


def touched(path: Path, errors: Iterable[Path]) -> bool:
    """Whether a schema error stands at `path`, inside it or around it."""
    n = len(path)
    return any(e[:n] == path or path[:len(e)] == e for e in errors)


def salvage(model: type[BaseModel], raw: dict[str, Any], errors: set[Path], source: Source,
            record_id: str | None) -> tuple[list[Finding], list[LinkUse]]:
    """Findings on the allowed values of the fields the schema errors leave alone, and the links that read."""
    findings: list[Finding] = []
    links: list[LinkUse] = []
    _walk(model, raw, (), "", errors, source, record_id, findings, links)
    return findings, links


def _items(shape: str, value: Any) -> Iterator[tuple[Any, Any]]:
    """(key or None, item) of a field's raw value in its shape; a value of another shape gives none."""
    if shape == "one":
        yield None, value
    elif shape == "many" and isinstance(value, list):
        yield from enumerate(value)
    elif shape == "map" and isinstance(value, dict):
        yield from value.items()


def _walk(model: type[BaseModel], raw: dict[str, Any], path: Path, role: str, errors: set[Path], source: Source,
          record_id: str | None, findings: list[Finding], links: list[LinkUse]) -> None:
    for info in plan(model).fields.values():
        value = raw.get(info.name)
        if value is None:
            continue
        here = path + (info.name,)
        name = f"{role}.{info.name}" if role else info.name
        if info.enum:
            if not touched(here, errors):
                findings += enum_findings(info, value, here, source, record_id)
            continue
        if not info.links and info.nested is None:
            continue
        for key, item in _items(info.shape, value):
            at = here if key is None else here + (key,)
            if info.links:
                if not touched(at, errors):
                    try:
                        links.append((at, name, Ref.model_validate(item), info.links))
                    except ValidationError:
                        pass
            elif info.nested is not None:
                if isinstance(item, dict):
                    _walk(info.nested, item, at, name, errors, source, record_id, findings,
                          links if info.shape != "map" else [])
                elif not touched(at, errors):  # a nested value written in a cell's short form
                    _read_nested(info.nested, item, at, name, source, record_id, findings,
                                 links if info.shape != "map" else [])


def _read_nested(model: type[BaseModel], item: Any, at: Path, role: str, source: Source, record_id: str | None,
                 findings: list[Finding], links: list[LinkUse]) -> None:
    from ..model import collect_links

    try:
        value = model.model_validate(item)
    except ValidationError:
        return
    collect_links(value, links, at, role)
    findings += model_enum_findings(value, at, source, record_id)


def enum_findings(info: FieldInfo, value: object, here: Path, source: Source,
                  record_id: str | None) -> Iterator[Finding]:
    """A finding for each value of an enumerated field that is not one of its allowed values."""
    items = enumerate(value) if isinstance(value, list) else [(None, value)] if isinstance(value, str) else []
    for i, item in items:
        if not isinstance(item, str) or item.strip() in info.enum:
            continue
        where = here if i is None else here + (i,)
        dotted = ".".join(str(p) for p in where)
        close = difflib.get_close_matches(item.strip(), info.enum, n=1)
        yield INVALID_VALUE.finding(
            source.at(where), f"'{dotted}': {shown(item)} is not one of: {', '.join(info.enum)}",
            record_id, f"did you mean '{close[0]}'?" if close else "use one of the values listed")


def model_enum_findings(obj: BaseModel, path: Path, source: Source, record_id: str | None) -> Iterator[Finding]:
    """Enumerated text fields (`choice`) carry their allowed values as metadata only; they are checked here."""
    for info in plan(type(obj)).fields.values():
        value = getattr(obj, info.name)
        if value is None:
            continue
        here = path + (info.name,)
        if info.enum:
            yield from enum_findings(info, value, here, source, record_id)
        elif info.nested is not None:
            if isinstance(value, BaseModel):
                yield from model_enum_findings(value, here, source, record_id)
                continue
            children = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in children:
                yield from model_enum_findings(child, here + (key,), source, record_id)


def shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
