"""Read strictdoc `.sdoc` documents with a small parser for the SDoc subset real documents use.

Why not strictdoc's own reader: strictdoc 0.30 pulls in a web server (FastAPI, uvicorn), a browser
driver (selenium), pandas, plotly, tree-sitter grammars and more, some 60 packages, to read a text
format whose structure is a handful of line rules. So this module parses SDoc itself, and the tests
check it against strictdoc's reader on strictdoc's own requirement documents when strictdoc is
installed (the optional extra `qms[strictdoc]`); the import never needs it.

The subset, line by line, as strictdoc's grammar defines it:

- `[DOCUMENT]` then `FIELD: value` lines (`OPTIONS:` with indented `KEY: value` lines);
- `[GRAMMAR]`: the element definitions, skipped (fields outside our schema are kept by name anyway);
- `[[SECTION]]` … `[[/SECTION]]` (and the older `[SECTION]` … `[/SECTION]`), with TITLE, UID, MID …;
- nodes `[REQUIREMENT]`, `[TEXT]` or any custom element `[TAG]`: `FIELD: value` on one line, or
  `FIELD: >>>` followed by lines up to `<<<`; `RELATIONS:` followed by `- TYPE: Parent|Child|File`
  entries with indented `VALUE:`, `ROLE:`, `FORMAT:` lines; a blank line ends a node;
- `[[TAG]]` … `[[/TAG]]` composite nodes (and the older `[COMPOSITE_REQUIREMENT]` … `[/COMPOSITE_REQUIREMENT]`):
  a node whose fields come first, then the nodes inside it;
- field names as strictdoc's grammar has them: a capital, then letters, digits, `_` and `-` (SPDX-Req-Sys);
- `[LINK: UID]` lines between nodes (references to sections), and `[DOCUMENT_FROM_FILE]` with `FILE:`,
  a fragment whose nodes stand in its place: followed only inside the import root (the folder of the
  document named on the command line), never outside it.

Mapping: a requirement (any node with a STATEMENT, other than TEXT) becomes a record: UID → ID (kept
when it fits our ID rules, else renumbered with the UID as legacy_id), TITLE → title (else the
statement's first line), STATEMENT → statement, RATIONALE → rationale, Parent relations → upstream
links, Child relations → upstream links of the child; File relations, STATUS, MID, COMMENT and every
custom grammar field are kept under `attributes`, the enclosing sections as `section` and an enclosing
composite node's UID as `composite`. Sections are document structure (listed as headings); TEXT nodes
(and nodes with neither statement nor title) are informative: section records that keep their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import QmsError
from ..paths import UnsafePath, inside
from .report import Dropped, Heading, Report
from .sources import read_source
from .writer import Item, Link

# Field names as strictdoc's grammar has them (REGEX_FIELD_NAME): SPDX-Req-Sys, Custom_field ...
_FIELD = re.compile(r"^([A-Z]+[A-Za-z0-9_\-]*):(?: (.*))?$")
_SUB = re.compile(r"^  ([A-Z]+[A-Za-z0-9_\-]*): ?(.*)$")
_COMPOSITE = re.compile(r"^\[\[([A-Z][A-Z0-9_]*)\]\]$")
_COMPOSITE_END = re.compile(r"^\[\[/([A-Z][A-Z0-9_]*)\]\]$|^\[/(COMPOSITE_[A-Z0-9_]*)\]$")
_NODE = re.compile(r"^\[([A-Z][A-Z0-9_]*)\]$")
STATEMENT_KINDS = ("requirement", "user_need")
MAX_BYTES = 64 << 20  # a requirements document is text: 64 MiB is far beyond any real one


@dataclass
class Node:
    tag: str
    line: int
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # field -> line it starts on
    relations: list[dict[str, str]] = field(default_factory=list)
    sections: tuple[str, ...] = ()
    composite: str = ""  # UID of the composite node it stands in
    file: str = ""  # the fragment it was read from, when another document included it
    repeated: set[str] = field(default_factory=set)  # fields given more than once


@dataclass
class SDoc:
    path: str
    title: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    sections: list[tuple[str, int, str, str]] = field(default_factory=list)  # (number, line, title, uid)
    links: list[tuple[int, str]] = field(default_factory=list)  # [LINK: UID] lines


class _Lines:
    def __init__(self, text: str, path: str):
        self.lines = text.replace("\r\n", "\n").split("\n")
        self.i = 0
        self.path = path

    def at_end(self) -> bool:
        return self.i >= len(self.lines)

    def peek(self) -> str:
        return self.lines[self.i]

    def take(self) -> str:
        line = self.lines[self.i]
        self.i += 1
        return line

    def fail(self, message: str, line: int | None = None) -> QmsError:
        return QmsError(f"{self.path}:{line or self.i + 1}: {message}")


def _read_fields(src: _Lines, node: Node) -> None:
    """FIELD lines up to a blank line (or the next bracketed line)."""
    while not src.at_end():
        line = src.peek()
        if not line.strip() or line.startswith("["):
            return
        number = src.i + 1
        match = _FIELD.match(line)
        if not match:
            raise src.fail(f"expected 'FIELD: value', found {line.strip()[:60]!r}")
        src.take()
        name, value = match.group(1), match.group(2)
        node.lines.setdefault(name, number)
        if value == ">>>":
            body: list[str] = []
            while True:
                if src.at_end():
                    raise src.fail(f"field {name} opened with '>>>' is not closed by '<<<'", number)
                text = src.take()
                if text == "<<<":
                    break
                body.append(text)
            _put(node, name, "\n".join(body))
        elif value is None or value == "":
            if name == "RELATIONS":
                node.relations = _read_relations(src)
            else:
                _put(node, name, _read_mapping(src))
        else:
            _put(node, name, value.strip())


def _put(node: Node, name: str, value: Any) -> None:
    """A field given more than once (several COMMENTs) keeps every value, as a list."""
    if name not in node.fields:
        node.fields[name] = value
    elif name in node.repeated:
        node.fields[name].append(value)
    else:
        node.fields[name] = [node.fields[name], value]
        node.repeated.add(name)


def _read_relations(src: _Lines) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    while not src.at_end():
        line = src.peek()
        if line.startswith("- "):
            sub = _SUB.match("  " + line[2:])
            if not sub:
                raise src.fail(f"expected '- TYPE: ...', found {line.strip()[:60]!r}")
            out.append({sub.group(1): sub.group(2).strip(), "line": str(src.i + 1)})
            src.take()
        elif line.startswith("  ") and out:
            sub = _SUB.match(line)
            if not sub:
                raise src.fail(f"expected '  KEY: value' in a relation, found {line.strip()[:60]!r}")
            out[-1][sub.group(1)] = sub.group(2).strip()
            src.take()
        else:
            break
    for rel in out:
        # A File relation names its file by VALUE or (newer grammar) PATH.
        if "TYPE" not in rel or not ("VALUE" in rel or rel["TYPE"] == "File" and "PATH" in rel):
            raise src.fail("a relation needs TYPE and VALUE", int(rel["line"]))
    return out


def _read_mapping(src: _Lines) -> dict[str, str]:
    out: dict[str, str] = {}
    while not src.at_end() and src.peek().startswith("  "):
        sub = _SUB.match(src.peek())
        if not sub:
            raise src.fail(f"expected '  KEY: value', found {src.peek().strip()[:60]!r}")
        out[sub.group(1)] = sub.group(2).strip()
        src.take()
    return out


def parse(text: str, path: str) -> SDoc:
    src = _Lines(text, path)
    doc = SDoc(path)
    stack: list[tuple[str, str]] = []  # (number, title) of the open sections
    counters: list[int] = [0]
    composites: list[Node] = []  # the open composite nodes ([[REQUIREMENT]] ... [[/REQUIREMENT]])
    while not src.at_end():
        line = src.peek().rstrip()
        number = src.i + 1
        if not line:
            src.take()
            continue
        if line == "[DOCUMENT]":
            src.take()
            head = Node("DOCUMENT", number)
            _read_fields(src, head)
            doc.fields = head.fields
            doc.title = str(head.fields.get("TITLE", ""))
        elif line == "[GRAMMAR]":
            src.take()
            while not src.at_end() and not src.peek().startswith("["):
                src.take()
        elif line in ("[[SECTION]]", "[SECTION]"):
            src.take()
            sec = Node("SECTION", number)
            _read_fields(src, sec)
            counters[-1] += 1
            num = ".".join(str(c) for c in counters)
            title = str(sec.fields.get("TITLE", ""))
            doc.sections.append((num, number, title, str(sec.fields.get("UID", ""))))
            stack.append((num, title))
            counters.append(0)
        elif line in ("[[/SECTION]]", "[/SECTION]"):
            src.take()
            if not stack:
                raise src.fail(f"{line} without an open section", number)
            stack.pop()
            counters.pop()
        elif (opened := _COMPOSITE.match(line)) is not None or line == "[COMPOSITE_REQUIREMENT]":
            src.take()
            tag = opened.group(1) if opened else "COMPOSITE_REQUIREMENT"
            node = Node(tag, number, sections=tuple(f"{n} {t}" for n, t in stack),
                        composite=str(composites[-1].fields.get("UID", "")) if composites else "")
            _read_fields(src, node)
            doc.nodes.append(node)
            composites.append(node)
        elif (closed := _COMPOSITE_END.match(line)) is not None:
            src.take()
            tag = closed.group(1) or closed.group(2)
            if not composites or composites[-1].tag != tag:
                raise src.fail(f"{line} closes no open [[{tag}]]", number)
            composites.pop()
        elif line.startswith("[LINK:") and line.endswith("]"):
            src.take()
            doc.links.append((number, line[6:-1].strip()))
        elif (tag := _NODE.match(line)) is not None:
            src.take()
            node = Node(tag.group(1), number, sections=tuple(f"{n} {t}" for n, t in stack),
                        composite=str(composites[-1].fields.get("UID", "")) if composites else "")
            _read_fields(src, node)
            doc.nodes.append(node)
        else:
            raise src.fail(f"expected a [NODE], [[SECTION]] or FIELD line, found {line.strip()[:60]!r}", number)
    if composites:
        raise QmsError(f"{path}:{composites[-1].line}: [[{composites[-1].tag}]] is not closed by [[/{composites[-1].tag}]]")
    if stack:
        raise QmsError(f"{path}: section '{stack[-1][1]}' is not closed by [[/SECTION]]")
    return doc


def _title(node: Node, statement: str, fallback: str) -> str:
    title = str(node.fields.get("TITLE") or "").strip()
    if title:
        return title
    for line in statement.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 100 else line[:97].rsplit(" ", 1)[0] + " ..."
    return fallback


def _read_text(path: Path, root: Path) -> str:
    # The file's source is its folder: a link to a file elsewhere is refused, never followed.
    raw = read_source(path, root, path.as_posix(), f"its folder {root.as_posix()}", MAX_BYTES)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise QmsError(f"{path}: not UTF-8 text (byte {err.start})") from None


def _expand(doc: SDoc, path: Path, root: Path, report: Report, seen: tuple[Path, ...],
            included: set[Path] | None = None) -> list[Node]:
    """The document's nodes with each [DOCUMENT_FROM_FILE] replaced by the nodes of that fragment (each
    fragment's resolved path added to `included`). A fragment is followed only inside the import root
    (the folder named on the command line, or the folder of the document named): an absolute path, `..`
    or a symbolic link out of it is refused, never read."""
    out: list[Node] = []
    for node in doc.nodes:
        if node.tag != "DOCUMENT_FROM_FILE":
            out.append(node)
            continue
        where = f"{node.file or doc.path}:{node.line}"
        rel_dir = path.parent.relative_to(root).as_posix()
        given = str(node.fields.get("FILE", "")).strip()
        try:
            target = inside(root, given if rel_dir == "." else f"{rel_dir}/{given}", "[DOCUMENT_FROM_FILE]")
        except UnsafePath:  # listed, never opened: a path in a document may point anywhere
            report.items_read += 1
            report.dropped.append(Dropped(f"item [DOCUMENT_FROM_FILE] {given}", where,
                                          f"the fragment is not inside the import root {root.as_posix()}; "
                                          "it is not followed (copy it into that folder to import it)"))
            continue
        if target in seen:
            raise QmsError(f"{where}: [DOCUMENT_FROM_FILE] {given} includes itself (through "
                           f"{' -> '.join(p.name for p in seen)})")
        if included is not None:
            included.add(target.resolve())
        fragment = parse(_read_text(target, root), target.as_posix())
        for num, line, title, uid in fragment.sections:
            report.headings.append(Heading(uid or f"section {num}", f"{fragment.path}:{line}", num, title))
            report.items_read += 1
        for sub in _expand(fragment, target, root, report, seen + (target,), included):
            sub.sections = node.sections + sub.sections
            sub.file = sub.file or fragment.path
            out.append(sub)
    return out


def documents_in(folder: Path) -> list[Path]:
    """Every .sdoc under `folder`, in the order of their paths (a symbolic link out of it is refused when read)."""
    found = sorted((p for p in folder.rglob("*.sdoc") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())
    if not found:
        raise QmsError(f"{folder.as_posix()}: no .sdoc document in the folder")
    return found


def _fragments(paths: list[Path], roots: list[Path]) -> set[Path]:
    """The documents that one of `paths` includes through [DOCUMENT_FROM_FILE]: imported there, not again."""
    included: set[Path] = set()
    for path, root in zip(paths, roots):
        _expand(parse(_read_text(path, root), path.as_posix()), path, root, Report("strictdoc", "", True), (path,),
                included)
    return included


def read_documents(paths: list[Path], kind: str, report: Report, roots: list[Path] | None = None) -> list[Item]:
    """The items of the documents at `paths`, each read inside its import root (`roots`, by default its
    folder); a document another one includes is imported there, as part of it, only."""
    roots = roots or [p.parent for p in paths]
    fragments = _fragments(paths, roots)
    items: list[Item] = []
    children: list[tuple[str, Link]] = []  # (child UID, link to the parent) from Child relations
    for path, root in zip(paths, roots):
        if path.resolve() in fragments:
            continue
        doc = parse(_read_text(path, root), path.as_posix())
        source = path.relative_to(root).as_posix()  # the file's name when it was named itself
        count = 0
        for num, line, title, uid in doc.sections:
            report.headings.append(Heading(uid or f"section {num}", f"{doc.path}:{line}", num, title))
            report.items_read += 1
        for line, uid in doc.links:
            report.items_read += 1
            report.dropped.append(Dropped(f"item [LINK: {uid}]", f"{doc.path}:{line}",
                                          "a link to a section, shown in the source document only"))
        for node in _expand(doc, path, root, report, (path,)):
            where = f"{node.file or doc.path}:{node.line}"
            statement = str(node.fields.get("STATEMENT") or "")
            uid = str(node.fields.get("UID") or node.fields.get("MID") or f"{node.file or doc.path}#{node.line}")
            if node.tag == "TEXT" or "STATEMENT" not in node.fields and "TITLE" not in node.fields:
                # Narrative: an informative section record that keeps the text.
                body = str(node.fields.get("STATEMENT") or node.fields.get("CONTENT") or "")
                extra = {k: v for k, v in node.fields.items() if k not in ("UID", "STATEMENT", "CONTENT", "TITLE")}
                if node.sections:
                    extra["section"] = node.sections[-1]
                fields: dict[str, Any] = {"title": _title(node, body, uid), "document": doc.title,
                                          "order": len(items) + 1}
                if body:
                    fields["text"] = body
                if extra:
                    fields["attributes"] = extra
                report.headings.append(Heading(uid, where, "", fields["title"]))
                items.append(Item("section", uid, fields, where, document=source))
                continue
            count += 1
            attributes: dict[str, Any] = {"document": doc.title}
            if node.tag != "REQUIREMENT":
                attributes["element"] = node.tag
            if node.composite:
                attributes["composite"] = node.composite
            if node.sections:
                attributes["section"] = node.sections[-1]
            for name, value in node.fields.items():
                if name not in ("UID", "TITLE", "STATEMENT", "RATIONALE"):
                    attributes[name] = value
            files = [{k: v for k, v in r.items() if k not in ("TYPE", "line")}
                     for r in node.relations if r["TYPE"] == "File"]
            if files:
                attributes["files"] = files
            fields = {"title": _title(node, statement, uid), "attributes": attributes}
            if kind in STATEMENT_KINDS:
                fields["statement"] = statement
            elif statement:
                fields["description"] = statement
            if node.fields.get("RATIONALE") and kind == "requirement":
                fields["rationale"] = node.fields["RATIONALE"]
            elif node.fields.get("RATIONALE"):
                attributes["RATIONALE"] = node.fields["RATIONALE"]
            links: list[Link] = []
            roles: dict[str, str] = {}
            for rel in node.relations:
                origin = f"{doc.path}:{rel['line']}"
                if rel["TYPE"] == "Parent":
                    links.append(Link(rel["VALUE"], "unreviewed", None, origin))
                elif rel["TYPE"] == "Child":
                    children.append((rel["VALUE"], Link(uid, "unreviewed", None, origin)))
                elif rel["TYPE"] != "File":
                    raise QmsError(f"{origin}: unknown relation type {rel['TYPE']} (Parent, Child or File)")
                if rel.get("ROLE") and rel["TYPE"] != "File":
                    roles[rel["VALUE"]] = rel["ROLE"]
            if roles:
                attributes["relation_roles"] = roles
            items.append(Item(kind, uid, fields, where, links, document=source))
        report.documents.append({"name": doc.title, "kind": kind, "items": count, "path": doc.path})
    by_uid = {item.source: item for item in items}
    for child, ln in children:
        if child not in by_uid:
            raise QmsError(f"{ln.origin}: Child relation to {child}, which is in none of the documents")
        by_uid[child].links.append(ln)
    return items
