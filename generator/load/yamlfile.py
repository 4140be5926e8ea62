"""Safe YAML reading with line marks.

Parsing goes through libyaml's C composer (`yaml.compose` with CSafeLoader),
which keeps each node's position; values are then built here, so that aliases,
object-constructing tags and duplicate keys are refused instead of silently
accepted. Only YAML 1.2-style plain values are typed: `yes`, `no`, `on`, `off`
stay text (a Norwegian country code `NO` is not `False`), and numbers with a
leading zero stay text (`0012` is not octal 10).

Text that no record should hold is refused here, at the line of the value or key: control characters
(C0 but tab, LF and CR; DEL; C1) and the code points XML cannot carry (U+FFFE, U+FFFF and the other
non-characters). libyaml already refuses them written raw; a double-quoted string can still spell
them as escapes (`"\\x01"`, `"\\0"`, `"\\e"`, `"\\uFFFE"`), so scalars are checked whenever the
text holds a backslash. Numbers must be finite: `.nan` and `.inf` mean nothing in a record.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..codes.schema import DUPLICATE_KEY, INVALID_VALUE, NOT_A_RECORD, SYNTAX, UNREADABLE, UNSAFE
from ..findings import Finding, Location

MAX_BYTES = 1 << 20  # 1 MiB: a record is prose and links, not a data dump
MAX_DEPTH = 32
# Nesting libyaml's composer can take without risk to the C stack (it crashes somewhere past 100,000).
_COMPOSE_SAFE = 1000

if TYPE_CHECKING:  # typed as libyaml's loader, the one used wherever PyYAML was built with it
    _BaseLoader = yaml.CSafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_TAG = "tag:yaml.org,2002:"
# Tag constants, compared once per node on the hot path of every load.
_SEQ, _MAP, _MERGE = _TAG + "seq", _TAG + "map", _TAG + "merge"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# yaml's implicit resolvers by first character; the safe loader has neither wildcard nor path resolvers.
_IMPLICIT = {first: tuple(pairs) for first, pairs in _BaseLoader.yaml_implicit_resolvers.items()}
assert None not in _IMPLICIT and not _BaseLoader.yaml_path_resolvers


class _Loader(_BaseLoader):
    """The safe loader, resolving tags exactly as PyYAML's resolver does, in fewer Python steps.

    libyaml's composer calls back into Python to resolve every node's tag (and to descend and ascend path
    resolvers, of which the safe loader has none); at 250,000 nodes for 10,000 records those calls are a
    sixth of parsing.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass
# Characters a record may not hold: they break XML (ReqIF, docx, xlsx) and terminals, and are never data.
BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(rf"\U{p:04X}FFFE\U{p:04X}FFFF" for p in range(1, 17)) + "]")
MAX_DIGITS = 30


def bad_char(text: str) -> str | None:
    """A description of the first character of `text` a record may not hold (`U+0001`), or None."""
    found = BAD_CHARS.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


@dataclass(slots=True)
class YamlDoc:
    data: dict[str, Any]
    anchors: dict[tuple[Any, ...], tuple[int, int]]


class YamlProblem(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


def decode(raw: bytes, rel: str) -> str:
    """UTF-8 text of a file, or a finding at the line of the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise YamlProblem(UNREADABLE.finding(
            Location(rel, line),
            f"bytes that are not UTF-8 at line {line} (byte 0x{raw[err.start]:02x})",
            hint="save the file as UTF-8",
        )) from None


def parse_yaml(raw: bytes, rel: str, *, expect_mapping: bool = True) -> YamlDoc:
    """Parse one YAML record; raise YamlProblem with a located finding if it is not one."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(UNSAFE.finding(
            Location(rel), f"file is {len(raw):,} bytes; a record may hold at most {MAX_BYTES:,}",
            hint="keep bulk data in an Excel sheet or a data file the record names",
        ))
    text = decode(raw, rel)
    _check_depth(text, rel)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        problem = err.problem or str(err)
        if "nesting depth" in problem:  # libyaml >= 0.2.6 (PyYAML 6.0.4 wheels) has a limit of its own
            raise YamlProblem(UNSAFE.finding(Location(rel, line), f"nesting deeper than {MAX_DEPTH} levels",
                                             hint="a record needs only a few levels of nesting")) from None
        if "expected a single document" in str(err):
            raise YamlProblem(NOT_A_RECORD.finding(
                Location(rel, line), "more than one YAML document in a record file",
                hint="one record per file; remove the '---' separator")) from None
        hint = None
        lines = text.splitlines()
        bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
        if "tab" in problem.lower() or bad_line[: len(bad_line) - len(bad_line.lstrip())].count("\t"):
            hint = "indent with spaces, not tabs"
        raise YamlProblem(SYNTAX.finding(Location(rel, line), f"YAML syntax error: {problem}", hint=hint)) from None
    except yaml.reader.ReaderError as err:  # a raw character YAML does not allow, e.g. a control character
        line = text.count("\n", 0, err.position) + 1
        shown = f"U+{err.character:04X}" if isinstance(err.character, int) else repr(err.character)
        raise YamlProblem(UNSAFE.finding(Location(rel, line), f"character {shown} is not allowed in a record "
                                         f"({err.reason})", hint=_CHAR_HINT)) from None
    except yaml.YAMLError as err:
        raise YamlProblem(SYNTAX.finding(Location(rel, 1), f"YAML syntax error: {err}")) from None
    if node is None:
        raise YamlProblem(NOT_A_RECORD.finding(Location(rel, 1), "file is empty",
                                               hint="a record file holds one mapping of fields"))
    if expect_mapping and not isinstance(node, yaml.MappingNode):
        what = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise YamlProblem(NOT_A_RECORD.finding(Location(rel, node.start_mark.line + 1),
                                               f"file holds {what}, not a mapping of fields",
                                               hint="write the record as 'field: value' lines"))
    anchors: dict[tuple[Any, ...], tuple[int, int]] = {}
    # Escapes are the only way left to spell a forbidden character: without a backslash, no scalar is checked.
    builder = _Builder(rel, anchors, check_chars="\\" in text)
    data = builder.build(node, (), 0, node.start_mark.line + 1)
    return YamlDoc(data, anchors)


def _check_depth(text: str, rel: str) -> None:
    """Refuse pathological nesting before libyaml's composer, which recurses in C, can overflow the stack.

    Every level of nesting needs an indicator of its own ('[', '{', '-', '?' or ':'), so a text with
    few of them cannot nest deeply and is composed directly. Otherwise the event parser, which keeps
    its own stack, measures the real depth first; counting brackets alone would be fooled by block
    nesting (`- - - x`) and by brackets inside quotes (`[']', [']', ...`).
    """
    if sum(text.count(ch) for ch in "[{-?:") <= _COMPOSE_SAFE:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark is not None else 0
                    raise YamlProblem(UNSAFE.finding(Location(rel, line),
                                                     f"nesting deeper than {MAX_DEPTH} levels",
                                                     hint="a record needs only a few levels of nesting"))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # composing stops at the same error, before any deeper nesting, and reports it


_CHAR_HINT = ("remove it: control characters and non-characters (escapes such as \\x01, \\0, \\e, \\uFFFE) "
              "cannot be kept in Word, Excel or ReqIF files")


def clipped(value: str) -> str:
    """A value as a finding quotes it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Builder:
    def __init__(self, rel: str, anchors: dict[tuple[Any, ...], tuple[int, int]], check_chars: bool = True):
        self.rel = rel
        self.anchors = anchors
        self.seen: set[int] = set()
        # Chosen once per file, so the common case pays nothing per scalar; the function, not a bound method,
        # which would make a reference cycle that keeps every file's builder and anchors alive (the CLI
        # runs with the cyclic garbage collector off).
        self.scalar: Callable[[_Builder, yaml.ScalarNode], Any] = \
            _Builder._checked_scalar if check_chars else _Builder._plain_scalar

    def _fail(self, rule: Any, node: yaml.Node, message: str, hint: str | None = None,
              line: int | None = None) -> YamlProblem:
        where = Location(self.rel, line or node.start_mark.line + 1)
        return YamlProblem(rule.finding(where, message, hint=hint))

    def build(self, node: yaml.Node, path: tuple[Any, ...], depth: int, used_at: int) -> Any:
        """Python value of `node`; `used_at` is the line where the parent refers to it."""
        if id(node) in self.seen:
            # A node met twice is an alias: report where it is used, not where it was anchored.
            raise self._fail(UNSAFE, node, "YAML aliases (*name) are not allowed in records",
                             hint="write the value out; aliases allow exponential expansion", line=used_at)
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self._fail(UNSAFE, node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(self, node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self._fail(UNSAFE, node, f"YAML tag {node.tag!r} is not allowed in records")
            items = []
            for i, item in enumerate(node.value):
                self.anchors[path + (i,)] = (item.start_mark.line + 1, -1)
                items.append(self.build(item, path + (i,), depth + 1, used_at))
            return items
        if node.tag != _MAP:
            raise self._fail(UNSAFE, node, f"YAML tag {node.tag!r} is not allowed in records")
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(SYNTAX, key_node, "a field name must be plain text")
            if key_node.tag == _MERGE:
                raise self._fail(UNSAFE, key_node, "YAML merge keys (<<) are not allowed in records")
            key = self.scalar(self, key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in out:
                raise self._fail(DUPLICATE_KEY, key_node, f"field '{key}' appears twice",
                                 hint=f"first given at line {self.anchors[path + (key,)][0]}")
            self.anchors[path + (key,)] = (key_node.start_mark.line + 1, -1)
            out[key] = self.build(value_node, path + (key,), depth + 1, key_node.start_mark.line + 1)
        return out

    def _checked_scalar(self, node: yaml.ScalarNode) -> Any:
        if BAD_CHARS.search(node.value):
            raise self._fail(UNSAFE, node, f"character {bad_char(node.value)} is not allowed in a record "
                                           f"(in {clipped(node.value)})", hint=_CHAR_HINT)
        return self._plain_scalar(node)

    def _plain_scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _INT:
            # A very long digit string stays text (a number field then refuses it by its bounds):
            # Python will not convert more than 4,300 digits, and no count has 30.
            if not _DECIMAL.match(value) or len(value) > MAX_DIGITS:
                return value
            return int(value.replace("_", ""))
        if tag == _FLOAT:
            number = _CONSTRUCTOR.construct_yaml_float(node)
            if not math.isfinite(number):
                raise self._fail(INVALID_VALUE, node, f"{value} is not a finite number",
                                 hint="a record holds real numbers only: no .nan or .inf")
            return number
        if tag == _BOOL:
            low = value.lower()
            return True if low == "true" else False if low == "false" else value
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            return value  # validated as a date by the schema, so 2026-02-30 is a located error
        raise self._fail(UNSAFE, node, f"YAML tag {tag!r} is not allowed in records",
                         hint="records hold plain values only")
