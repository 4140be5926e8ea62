"""Write review stamps onto a YAML record's links, leaving the rest of the file as it was.

A stamp is the target's fingerprint held on the link: a bare `REQ-0001` becomes the flow mapping
`{REQ-0001: 3f2a9c1b}`, an existing stamp is updated, and the long form `{id: ..., fingerprint: ...}`
keeps its shape. The file is edited with ruamel.yaml's round-trip mode (comments, key order and
quoting survive); lines the edit does not touch are then taken from the original text, so a stamp
never re-indents a block scalar elsewhere in the file. The result is parsed again and must hold the
same record with the new stamps, or nothing is returned.
"""

from __future__ import annotations

import difflib
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from ..load.yamlfile import YamlProblem, parse_yaml

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
    yaml = _round_trip(original)
    try:
        data = yaml.load(original)
    except YAMLError as err:
        raise StampError(f"{name} cannot be read for editing: {err}") from None
    baseline = _dump(yaml, data)
    for path, (target, fp) in sorted(stamps.items(), key=lambda item: repr(item[0])):
        _stamp_one(data, path, target, fp, name)
    edited = _dump(yaml, data)
    for candidate in (_merge(original, baseline, edited), edited):
        if candidate is not None and _holds(candidate, original, stamps):
            return candidate.replace("\n", "\r\n") if crlf else candidate
    raise StampError(f"{name}: the edited file would not hold the same record; it was left unchanged")


def _round_trip(text: str) -> YAML:
    yaml = YAML()  # round-trip mode
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap a long line
    yaml.brace_single_entry_mapping_in_flow_sequence = True
    try:
        _, indent, block_seq_indent = load_yaml_guess_indent(text)
    except YAMLError:
        indent, block_seq_indent = None, None
    indent = indent or 2
    offset = block_seq_indent or 0
    yaml.indent(mapping=indent, sequence=max(indent, offset + 2), offset=offset)
    return yaml


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


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


def _merge(original: str, baseline: str, edited: str) -> str | None:
    """Apply the baseline→edited line changes to the original text (a three-way merge).

    `baseline` is ruamel's rendering of the unchanged file; it may differ from the original in lines
    the edit never touched (the indentation of a block scalar inside a list, say). None when an edited
    line is one of those, so that the caller falls back to ruamel's whole rendering.
    """
    a, b, c = original.splitlines(True), baseline.splitlines(True), edited.splitlines(True)
    b_to_a: dict[int, int] = {}
    for block in difflib.SequenceMatcher(None, b, a, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            b_to_a[block.a + k] = block.b + k
    b_to_a[len(b)] = len(a)  # the end of one is the end of the other
    out: list[str] = []
    done = 0  # lines of `a` already copied
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, b, c, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # new lines (a new field): before the comments and blank lines that lead into the next one
            if i1 not in b_to_a:
                return None
            start = end = _lead_in(a, b_to_a[i1], done, _indent(c[j1]))
        elif any(i not in b_to_a for i in range(i1, i2)):
            return None
        else:
            start, end = b_to_a[i1], b_to_a[i2 - 1] + 1
        if end - start != i2 - i1 or start < done:
            return None
        out.extend(a[done:start])
        out.extend(c[j1:j2])
        done = end
    out.extend(a[done:])
    return "".join(out)


def _lead_in(lines: list[str], at: int, floor: int, indent: int) -> int:
    """`at`, moved up over the blank lines and the comments no deeper than `indent` just before it (a `#`
    line indented further may be text of a block scalar); not above `floor`."""
    while at > floor and (not lines[at - 1].strip()
                          or (lines[at - 1].lstrip().startswith("#") and _indent(lines[at - 1]) <= indent)):
        at -= 1
    return at


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


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
