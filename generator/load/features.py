"""Gherkin feature files that protocols name: their scenarios and tags, each with its line.

Read in the load layer (with the Gherkin parser pytest-bdd itself uses) so that the protocol rules
can check that every step names a scenario that exists, without opening files. Running the
scenarios is the validation package's job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import QmsError
from ..paths import within
from .files import read_regular

MAX_FEATURE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Scenario:
    name: str
    line: int
    tags: tuple[str, ...]  # without '@', including the feature's own tags
    outline: bool
    steps: tuple[str, ...] = ()  # "Given ...", "And ..." as written; a data table follows its step as "| a | b |"
    examples: tuple[tuple[str, ...], ...] = ()  # outline: header row, then one row per example


@dataclass(frozen=True)
class FeatureFile:
    path: str  # relative to the repository, posix
    name: str
    tags: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    sha256: str
    background: tuple[str, ...] = ()

    def named(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)

    def tagged(self, tag: str) -> list[Scenario]:
        tag = tag.lstrip("@")
        return [s for s in self.scenarios if tag in s.tags]


def _tags(node: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(t["name"].lstrip("@") for t in node.get("tags", ()))


def read_feature(root: Path, rel: str) -> FeatureFile:
    """Parse one feature file; a missing, oversized, non-UTF-8 or malformed file raises QmsError naming its line."""
    from gherkin.errors import CompositeParserException, ParserException
    from gherkin.parser import Parser

    path = within(root, rel)
    if path is None:
        raise QmsError(f"'{rel}' leads outside the repository")
    try:
        raw = read_regular(path, MAX_FEATURE_BYTES)  # a regular file, size checked before it is read
    except OSError as err:
        raise QmsError(f"{rel}: cannot read feature file: {err.strerror or err}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise QmsError(f"{rel}: not UTF-8 text (byte {err.start})") from None
    try:
        doc = Parser().parse(text)
    except CompositeParserException as err:
        first = err.errors[0]
        raise QmsError(f"{rel}:{first.location['line']}: Gherkin syntax error: {_reason(first)}") from None
    except ParserException as err:
        raise QmsError(f"{rel}:{err.location['line']}: Gherkin syntax error: {_reason(err)}") from None
    feature = doc.get("feature")
    if not feature:
        raise QmsError(f"{rel}: holds no Feature")
    own = _tags(feature)
    scenarios: list[Scenario] = []
    background: list[str] = []

    def collect(children: Sequence[Mapping[str, Any]], inherited: tuple[str, ...]) -> None:
        for child in children:
            if "rule" in child:
                collect(child["rule"].get("children", []), inherited + _tags(child["rule"]))
            elif "background" in child and not background:
                background.extend(_step_lines(child["background"]))
            elif "scenario" in child:
                s = child["scenario"]
                examples: list[tuple[str, ...]] = []
                for block in s.get("examples", ()):
                    if block.get("tableHeader") and not examples:
                        examples.append(_cells(block["tableHeader"]))
                    examples += [_cells(row) for row in block.get("tableBody", ())]
                scenarios.append(Scenario(s["name"], s["location"]["line"], inherited + _tags(s),
                                          bool(s.get("examples")), _step_lines(s), tuple(examples)))

    collect(feature.get("children", []), own)
    return FeatureFile(Path(rel).as_posix(), feature["name"], own, tuple(scenarios), hashlib.sha256(raw).hexdigest(),
                       tuple(background))


def _cells(row: dict) -> tuple[str, ...]:
    return tuple(c["value"] for c in row["cells"])


def _step_lines(node: dict) -> tuple[str, ...]:
    lines: list[str] = []
    for st in node.get("steps", ()):
        lines.append(f"{st['keyword'].strip()} {st['text']}")
        table = st.get("dataTable")
        if table:
            lines += ["| " + " | ".join(_cells(row)) + " |" for row in table["rows"]]
    return tuple(lines)


def _reason(err: Exception) -> str:
    text = str(err)
    return text.split("): ", 1)[1] if "): " in text else text


@dataclass(frozen=True)
class ProtocolFiles:
    """The feature files a protocol's steps name, read by the load layer (by path)."""

    features: dict[str, FeatureFile]
