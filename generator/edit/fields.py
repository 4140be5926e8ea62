"""Set or remove fields of a YAML record, leaving the rest of the file as it was.

The one field editor of record files (Excel import, an import's --update, signing keys), on the
round-trip edit the review stamps use too (roundtrip.py): ruamel.yaml keeps comments, key order and
quoting, and the lines the edit does not touch are taken from the original text, so changing one field
never re-indents a block scalar elsewhere. A new field goes in the model's field order, a changed link
list keeps the stamped entries (`{REQ-0001: 3f2a9c1b}`) of the targets it still names, and a changed text
keeps its style (quoted, literal, or folded where it was folded).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

from ..model import plan
from .folding import fold_positions
from .roundtrip import dump, merge, round_trip_yaml, splice

DELETE = object()  # a change that removes the field

# Field path, ("title",) or ("initial_risk", "severity") -> new value (plain Python) or DELETE.
Changes = dict[tuple[str, ...], Any]


class FieldEditError(Exception):
    """The file cannot be edited as asked (not a mapping, or a parent that is not one)."""


def set_fields(text: str, changes: Changes, links: frozenset[tuple[str, ...]] = frozenset(),
               name: str = "record", schema: type[BaseModel] | None = None) -> tuple[str, str]:
    """(three-way merged text, ruamel's whole rendering) of `text` with `changes` applied.

    `links` are the paths of link fields: their values are IDs, and an existing node naming the same ID
    (bare or stamped) is kept as it is. A field the file does not have yet goes after the nearest field
    before it in `schema`'s field order (the record's model), at the end without one. The caller checks
    which candidate holds the intended record.
    """
    crlf = "\r\n" in text
    original = text.replace("\r\n", "\n")
    # One top-level field at a time, each rendered with the indent that field has in the file (a file may
    # indent its block scalars by 2 and its mappings by 4); ruamel's whole rendering is the last resort.
    merged = original
    for top in dict.fromkeys(path[0] for path in changes):
        group = {path: value for path, value in changes.items() if path[0] == top}
        merged = _edit(merged, group, links, name, schema, top)[0]
    edited = _edit(original, changes, links, name, schema, None)[1]
    if crlf:
        merged, edited = merged.replace("\n", "\r\n"), edited.replace("\n", "\r\n")
    return merged, edited


def _edit(original: str, changes: Changes, links: frozenset[tuple[str, ...]], name: str,
          schema: type[BaseModel] | None, top: str | None) -> tuple[str, str]:
    yaml = round_trip_yaml(original, top)
    try:
        data = yaml.load(original)
    except YAMLError as err:
        raise FieldEditError(f"{name} cannot be read for editing: {err}") from None
    if not isinstance(data, CommentedMap):
        raise FieldEditError(f"{name} does not hold a mapping")
    baseline = dump(yaml, data)
    for path, value in changes.items():
        _set(data, path, value, path in links, name, schema)
    edited = dump(yaml, data)
    merged = (merge(original, baseline, edited) or splice(yaml, original, edited, [p[0] for p in changes])
              or edited)
    return merged, edited


def new_text(fields: list[tuple[str, Any]], links: frozenset[tuple[str, ...]] = frozenset()) -> str:
    """A new YAML record holding `fields` in the order given (nested values as dicts, in their order)."""
    yaml = round_trip_yaml("")
    data = CommentedMap()
    for key, value in fields:
        _set(data, (key,), value, (key,) in links, "new record")
    return dump(yaml, data)


def _set(data: CommentedMap, path: tuple[str, ...], value: Any, is_link: bool, name: str,
         schema: type[BaseModel] | None = None) -> None:
    parent: dict[Any, Any] = data
    for depth, key in enumerate(path[:-1]):
        child = parent.get(key)
        if child is None:
            if value is DELETE:
                return
            child = CommentedMap()
            _add(parent, key, child, _order(schema, path[:depth]))
        if not isinstance(child, dict):
            raise FieldEditError(f"{name}: '{key}' is not a mapping")
        parent = child
    key = path[-1]
    if value is DELETE:
        if key in parent:
            del parent[key]
        if len(path) > 1 and not parent:
            _drop_empty(data, path[:-1])
        return
    old = parent.get(key)
    if key in parent:
        parent[key] = _node(value, old, is_link)
    else:
        _add(parent, key, _node(value, old, is_link), _order(schema, path[:-1]))


def _order(schema: type[BaseModel] | None, path: tuple[str, ...]) -> tuple[str, ...]:
    """The field order of the model at `path` inside `schema` (the record's model); empty if unknown."""
    model = schema
    for key in path:
        info = plan(model).fields.get(key) if model is not None else None
        model = info.nested if info is not None else None
    return tuple(plan(model).fields) if model is not None else ()


def _add(parent: dict[Any, Any], key: str, node: Any, order: tuple[str, ...]) -> None:
    """A new field, after the nearest field before it in `order` that the mapping has (first if none is)."""
    if key not in order or not isinstance(parent, CommentedMap):
        parent[key] = node
        return
    before = [k for k in order[:order.index(key)] if k in parent]
    keys = list(parent)
    parent.insert(keys.index(before[-1]) + 1 if before else 0, key, node)


def _drop_empty(data: CommentedMap, path: tuple[str, ...]) -> None:
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if not parent[path[-1]]:
        del parent[path[-1]]


def _node(value: Any, old: Any, is_link: bool) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap((k, _node(v, None, False)) for k, v in value.items())
        if is_link and len(value) == 1:  # a stamped link is written `{REQ-0001: 3f2a9c1b}`, as a review stamps it
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list):
        kept = {_link_id(item): item for item in old} if is_link and isinstance(old, list) else {}
        seq = CommentedSeq(kept.get(item, item) if isinstance(item, str) else _node(item, None, is_link)
                           for item in value)
        # A list keeps its style; a new one is written inline when it fits on a line (roles: [ROLE-QA]) and as
        # a block otherwise (a list of SSH keys).
        inline = old.fa.flow_style() if isinstance(old, CommentedSeq) else sum(len(str(v)) + 2 for v in value) <= 72
        if inline:
            seq.fa.set_flow_style()
        return seq
    if is_link and isinstance(value, str) and _link_id(old) == value:
        return old
    if isinstance(value, str):
        return _text(value, old)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _text(value: str, old: Any) -> Any:
    """A changed text in the style of the one it replaces: a block stays a block of its own kind (with its
    chomping, as strings are stripped when read), a folded one broken where it was; a new line needs `|`."""
    if isinstance(old, (FoldedScalarString, LiteralScalarString)) and old.endswith("\n") and value.strip():
        value = value.rstrip("\n") + "\n"
    if "\n" in value.rstrip("\n") or isinstance(old, LiteralScalarString):
        return _header_comment(LiteralScalarString(value), old)
    if isinstance(old, FoldedScalarString):
        folded = FoldedScalarString(value)
        folded.fold_pos = fold_positions(str(old), list(getattr(old, "fold_pos", [])), value)
        return _header_comment(folded, old)
    return value


def _header_comment(new: Any, old: Any) -> Any:
    """`new` with the comment after the old block's `|` or `>` indicator, if it had one."""
    comment = getattr(old, "comment", None)
    if comment is not None:
        object.__setattr__(new, "comment", comment)  # a slot ruamel's types do not declare
    return new


def _link_id(node: Any) -> str | None:
    if isinstance(node, str):
        return node.strip()
    if isinstance(node, dict):
        if "id" in node:
            return str(node["id"]).strip()
        if len(node) == 1:
            return str(next(iter(node))).strip()
    return None
