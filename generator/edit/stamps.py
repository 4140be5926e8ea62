"""Write review stamps onto a YAML record's links, leaving the rest of the file as it was.

A stamp is the target's fingerprint held on the link: a bare `REQ-0001` becomes the flow mapping
`{REQ-0001: 3f2a9c1b}`, an existing stamp is updated, and the long form `{id: ..., fingerprint: ...}`
keeps its shape. The file is edited by the round-trip edit every record editor uses (roundtrip.py:
ruamel.yaml for the change, the original text for every line the edit does not touch), so a stamp
never re-indents a block scalar elsewhere in the file. The result is parsed again and must hold the
same record with the new stamps, or nothing is returned.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from ..load.yamlfile import YamlProblem, parse_yaml
from .roundtrip import dump, merge, round_trip_yaml, splice

# Link path inside the record, e.g. ("verifies", 0) or ("hazard",) → (target ID, fingerprint).
Stamps = dict[tuple[Any, ...], tuple[str, str]]


class StampError(Exception):
    """The file does not hold the links to stamp where the loaded record said it does."""


def stamp_text(text: str, stamps: Stamps, name: str = "record") -> str:
    """`text` (a YAML record) with `stamps` applied; unchanged when there is nothing to do."""
    if not stamps:
        return text
    crlf = "\r\n" in text
    original = text.replace("\r\n", "\n")
    yaml = round_trip_yaml(original)
    try:
        data = yaml.load(original)
    except YAMLError as err:
        raise StampError(f"{name} cannot be read for editing: {err}") from None
    baseline = dump(yaml, data)
    for path, (target, fp) in sorted(stamps.items(), key=lambda item: repr(item[0])):
        _stamp_one(data, path, target, fp, name)
    edited = dump(yaml, data)
    for candidate in (merge(original, baseline, edited), splice(yaml, original, edited, [p[0] for p in stamps]),
                      edited):
        if candidate is not None and _holds(candidate, original, stamps):
            return candidate.replace("\n", "\r\n") if crlf else candidate
    raise StampError(f"{name}: the edited file would not hold the same record; it was left unchanged")


def _stamp_one(data: Any, path: tuple[Any, ...], target: str, fp: str, name: str) -> None:
    parent = data
    try:
        for key in path[:-1]:
            parent = parent[key]
        node = parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        raise StampError(f"{name}: no link at {'.'.join(map(str, path))}") from None
    bare = isinstance(node, str) and node.strip() == target
    if bare or (isinstance(node, CommentedMap) and list(node) == [target] and node.fa.flow_style()):
        stamped = CommentedMap([(target, fp)])  # a fresh `{ID: fp}`, quoted only where YAML needs it
        stamped.fa.set_flow_style()
        parent[path[-1]] = stamped
    elif isinstance(node, dict) and list(node) == [target]:
        node[target] = fp  # block style `- ID: fp` keeps its shape
    elif isinstance(node, dict) and str(node.get("id", "")).strip() == target:
        node["fingerprint"] = fp
    else:
        raise StampError(f"{name}: {'.'.join(map(str, path))} is not a link to {target}")


def _holds(text: str, original: str, stamps: Stamps) -> bool:
    """Whether `text` is the original record with exactly the stamps applied."""
    try:
        before = parse_yaml(original.encode("utf-8"), "before").data
        after = parse_yaml(text.encode("utf-8"), "after").data
    except YamlProblem:
        return False
    for path, (target, fp) in stamps.items():
        try:
            old, new = _at(before, path), _at(after, path)
        except (KeyError, IndexError, TypeError):
            return False
        if _ref(new) != (target, fp) or _ref(old)[0] != target:
            return False
        _put(before, path, target)
        _put(after, path, target)
    return before == after


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _put(data: Any, path: tuple[Any, ...], value: Any) -> None:
    _at(data, path[:-1])[path[-1]] = value


def _ref(value: Any) -> tuple[str, str | None]:
    """(id, fingerprint) of a link as parsed: a bare ID, {ID: fp} or {id: ..., fingerprint: ...}."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict) and "id" in value:
        fp = value.get("fingerprint")
        return str(value["id"]), None if fp is None else str(fp)
    if isinstance(value, dict) and len(value) == 1:
        ((key, fp),) = value.items()
        return str(key), None if fp is None else str(fp)
    return "", None
