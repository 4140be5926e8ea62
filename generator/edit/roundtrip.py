"""The round-trip edit every record editor uses: ruamel.yaml for the change, the original text for the rest.

ruamel's round-trip mode keeps comments, key order and quoting, but its rendering of a whole file may
still differ from the file in lines nobody touched (the indentation of a block scalar inside a list, a
flow list's spacing). So the file is rendered twice, before and after the edit, and only the lines that
rendering changed are carried onto the original text (`merge`). When a changed line is one ruamel renders
differently even unedited, the changed top-level fields' lines are spliced in whole instead (`splice`),
located by ruamel's line numbers; every other line stays byte-identical either way.
"""

from __future__ import annotations

import difflib
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

_KEY = re.compile(r"^( *)[^\s#-][^:]*:(\s|$)")
_BLOCK = re.compile(r"^[^\s#-][^:]*:\s*[>|][-+1-9]*\s*(#.*)?$")  # `key: >-`: a block scalar's text follows


def round_trip_yaml(text: str, key: str | None = None) -> YAML:
    """ruamel set to write `text` as it is written: its indents (those under `key` first), no re-wrapping."""
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
    # ruamel guesses from sequences only; a nested mapping or block scalar keeps the file's own indent
    mapping = (_mapping_indent(text, key) if key is not None else None) or _mapping_indent(text)
    yaml.indent(mapping=mapping or indent, sequence=max(indent, offset + 2), offset=offset)
    return yaml


def _mapping_indent(text: str, key: str | None = None) -> int | None:
    """How far the file indents what a top-level key holds (a mapping or a block scalar's text): under
    `key`, or the first key that holds one; None if none does."""
    parent = block = False
    for line in text.splitlines():
        if not line.strip() or (line.lstrip().startswith("#") and not block):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent > 0 and (block or (parent and _KEY.match(line))):
            return indent
        mine = key is None or line.startswith((f"{key}:", f"'{key}':", f'"{key}":'))
        parent = mine and indent == 0 and line.rstrip().endswith(":")
        block = mine and indent == 0 and _BLOCK.match(line) is not None
    return None


def dump(yaml: YAML, data: object) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def merge(original: str, baseline: str, edited: str) -> str | None:
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


def splice(yaml: YAML, original: str, edited: str, keys: list[str]) -> str | None:
    """The original text with the lines of the top-level `keys` taken from `edited` (ruamel's rendering
    after the edit); a key new to the file goes after the one before it in `edited`. None when either
    text does not read as a mapping."""
    try:
        old, new = yaml.load(original), yaml.load(edited)
    except YAMLError:
        return None
    if not isinstance(old, CommentedMap) or not isinstance(new, CommentedMap):
        return None
    a, c = original.splitlines(True), edited.splitlines(True)
    cuts: list[tuple[int, int, list[str]]] = []
    for key in dict.fromkeys(keys):
        lines = c[slice(*_span(new, key, c))] if key in new else []
        if key in old:
            start, end = _span(old, key, a)
        else:
            order = list(new)
            before = [k for k in order[:order.index(key)] if k in old] if key in new else []
            start = end = _span(old, before[-1], a)[1] if before else 0
        cuts.append((start, end, lines))
    for start, end, lines in sorted(cuts, key=lambda cut: cut[:2], reverse=True):
        a[start:end] = lines
    return "".join(a)


def _span(data: CommentedMap, key: Any, lines: list[str]) -> tuple[int, int]:
    """The lines [start, end) of a top-level key and its value, without the comments leading into the next."""
    keys = list(data)
    start = data.lc.key(key)[0]
    after = keys.index(key) + 1
    end = data.lc.key(keys[after])[0] if after < len(keys) else len(lines)
    return start, _lead_in(lines, end, start + 1, 0)
