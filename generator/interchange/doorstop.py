"""Read a doorstop tree as doorstop itself defines it (doorstop 3.x), without needing doorstop installed.

- A document is a folder holding `.doorstop.yml` (`settings`: prefix, parent, sep, digits, itemformat;
  `attributes`: defaults, reviewed, publish). Folders holding `.doorstop.skip`, and hidden folders, are
  not searched. Exactly one document has no parent: the root.
- Its items are the files below it (not below an embedded document) named after its prefix: `.yml`
  for `itemformat: yaml`, `.md` with YAML front matter (`# Header` as the first line) for `markdown`.
- An item has `level`, `header`, `text`, `normative`, `active`, `derived`, `links` (each `UID: stamp`),
  `reviewed`, `ref`, `references`, and any custom attributes.
- Stamps are recomputed as doorstop computes them (`Item.stamp`: SHA-256 over UID, text, ref, references
  and the document's extended-reviewed attributes, URL-safe base64), so a link whose stamp no longer
  matches its parent is recognised as suspect, and an item whose `reviewed` stamp no longer matches as
  carrying unreviewed changes.

What becomes of what: a normative item becomes a record of the document's kind (`--map`, else the
root document → requirement, a child whose prefix looks like tests → verification (doorstop's own tree
names its test documents HLT and LLT), other children → requirement); a non-normative item (a heading,
an introduction, an informative example) becomes a section record that keeps its text and `contains`
the items below it by level, and the items below keep its title as their `section` attribute;
`header` (else the first line of `text`, markdown marks removed, underscores in names kept) becomes the
title, `text` the statement (description for kinds without one); `active: false` → status obsolete;
`level`, `derived`, `ref`, `references`, `reviewed` and custom attributes are kept under `attributes`.
"""

from __future__ import annotations

import hashlib
import os
import re
from base64 import urlsafe_b64encode
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import QmsError
from ..load.yamlfile import MAX_BYTES, YamlProblem, parse_yaml
from .report import Dropped, Heading, Report
from .sources import check_inside, read_source
from .writer import Item, Link

CONFIG = ".doorstop.yml"
SKIP = ".doorstop.skip"
STANDARD = ("active", "derived", "header", "level", "links", "normative", "ref", "references", "reviewed", "text")
# doorstop's own tree names its test documents HLT (high-level tests) and LLT (low-level tests).
TEST_PREFIX = re.compile(r"^(TST|TEST|TESTS|TC|TS|VER|VT|VTS|QT|ATP|UT|IT|ST|HLT|LLT)\b|TEST", re.IGNORECASE)
STATEMENT_KINDS = ("requirement", "user_need")
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0", "")


@dataclass
class DItem:
    uid: str
    path: str  # relative to the tree root given
    data: dict[str, Any]
    anchors: dict[tuple[Any, ...], tuple[int, int]]

    def line(self, *key: str | int) -> int:
        return self.anchors.get(key, (1, 0))[0]


@dataclass
class Document:
    prefix: str
    parent: str | None
    sep: str
    digits: int
    itemformat: str
    folder: Path
    reviewed: list[str] = field(default_factory=list)  # extended reviewed attributes
    defaults: dict[str, Any] = field(default_factory=dict)
    items: list[DItem] = field(default_factory=list)


def _bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if value is not None else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise QmsError(f"{where}: '{value}' is not true or false")


def _rel(path: Path, base: Path) -> str:
    """`path` as the user would find it: under the tree folder as they named it."""
    return (base / path.relative_to(base)).as_posix() if path.is_relative_to(base) else path.as_posix()


def _read(path: Path, tree: Path) -> bytes:
    """A file of the tree; a symbolic link leading out of it is refused by name, never followed."""
    return read_source(path, tree, _rel(path, tree), f"the doorstop tree {tree}", MAX_BYTES)


def _load_yaml(path: Path, base: Path, text: str | None = None, offset: int = 0) -> tuple[dict, dict]:
    rel = _rel(path, base)
    try:
        raw = _read(path, base) if text is None else text.encode("utf-8")
        doc = parse_yaml(raw, rel)
    except YamlProblem as problem:
        loc = problem.finding.location
        raise QmsError(f"{loc.file}:{loc.line + offset}: {problem.finding.message}") from None
    anchors = {k: (line + offset, col) for k, (line, col) in doc.anchors.items()}
    return doc.data, anchors


def find_documents(tree: Path) -> list[Document]:
    """Every document below `tree`, in path order."""
    docs: list[Document] = []
    for folder, dirs, files in os.walk(tree):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(folder)
        for d in dirs:  # os.walk does not enter linked folders; one leading out is refused, not skipped
            if (here / d).is_symlink():
                check_inside(here / d, tree, _rel(here / d, tree), f"the doorstop tree {tree}")
        if SKIP in files:
            dirs[:] = []
            continue
        if CONFIG not in files:
            continue
        data, _ = _load_yaml(here / CONFIG, tree)
        settings = data.get("settings") or {}
        where = _rel(here / CONFIG, tree)
        if not isinstance(settings, dict) or not settings.get("prefix"):
            raise QmsError(f"{where}:1: settings.prefix is missing")
        attributes = data.get("attributes") or {}
        docs.append(Document(
            prefix=str(settings["prefix"]),
            parent=str(settings["parent"]) if settings.get("parent") else None,
            sep=str(settings.get("sep") or ""),
            digits=int(settings.get("digits") or 3),
            itemformat=str(settings.get("itemformat") or "yaml"),
            folder=here,
            reviewed=sorted({str(k) for k in (attributes.get("reviewed") or [])}),
            defaults=dict(attributes.get("defaults") or {}),
        ))
    if not docs:
        raise QmsError(f"{tree}: no doorstop document ({CONFIG}) found")
    prefixes = [d.prefix for d in docs]
    for document in docs:
        where = _rel(document.folder / CONFIG, tree)
        if prefixes.count(document.prefix) > 1:
            raise QmsError(f"{where}:1: prefix {document.prefix} is used by more than one document")
        if document.parent is not None and document.parent not in prefixes:
            raise QmsError(f"{where}:1: parent document {document.parent} is not in the tree")
    roots = [d.prefix for d in docs if d.parent is None]
    if len(roots) != 1:
        raise QmsError(f"{tree}: a doorstop tree has one root document, found {len(roots)}: "
                       f"{', '.join(roots) or 'none'}")
    return docs


def _item_files(doc: Document) -> list[Path]:
    ext = ".md" if doc.itemformat == "markdown" else ".yml"
    found: list[Path] = []
    for folder, dirs, files in os.walk(doc.folder):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not (here / d / CONFIG).exists() and not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(ext) or not name.startswith(doc.prefix):
                continue
            found.append(here / name)
    return found


def _markdown(path: Path, tree: Path) -> tuple[dict, dict]:
    try:
        text = _read(path, tree).decode("utf-8")
    except UnicodeDecodeError as err:
        raise QmsError(f"{_rel(path, tree)}: not UTF-8 text (byte {err.start})") from None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise QmsError(f"{_rel(path, tree)}:1: a markdown item starts with YAML front matter ('---')")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise QmsError(f"{_rel(path, tree)}:1: the front matter is not closed by '---'") from None
    data, anchors = _load_yaml(path, tree, "\n".join(lines[1:end]) + "\n", offset=1)
    body = lines[end + 1:]
    header = None
    rest: list[str] = []
    for i, line in enumerate(body):
        if not line.strip():
            continue
        match = re.match(r"^#\s+(.*)", line.strip())
        if match:
            header = match.group(1)
            rest = body[i + 1:]
        else:
            rest = body[i:]
        break
    if header is not None:
        data["header"] = header
    data["text"] = "\n".join(rest)
    return data, anchors


def read_items(doc: Document, tree: Path) -> None:
    for path in _item_files(doc):
        if doc.itemformat == "markdown":
            data, anchors = _markdown(path, tree)
        else:
            data, anchors = _load_yaml(path, tree)
        doc.items.append(DItem(path.stem, _rel(path, tree), data, anchors))


# --------------------------------------------------------------------------- doorstop's stamps


def load_text(value: object) -> str:
    """doorstop's Text.load_text: outer blank lines and trailing spaces go."""
    if not value:
        return ""
    text = re.sub("^\n+", "", str(value))
    text = re.sub("\n+$", "", text)
    return "\n".join(s.rstrip() for s in text.split("\n"))


def _convert_to_str(value: Any, result: str) -> str:
    """doorstop's serialisation of an extended-reviewed attribute."""
    if isinstance(value, list):
        result += "\\L"
        for v in value:
            result = _convert_to_str(v, result)
        return result
    if isinstance(value, dict):
        result += "\\D"
        for k in sorted(value.keys()):
            result = _convert_to_str(value[k], result)
        return result
    return result + "\\T" + str(type(value)) + "\\V" + str(value).replace("\\", "\\\\")


def _digest(*values: Any) -> str:
    hsh = hashlib.sha256()
    for value in values:
        hsh.update(str(value).encode())
    return urlsafe_b64encode(hsh.digest()).decode("utf-8")


def _link_targets(item: DItem) -> list[tuple[str, str | None, int]]:
    """(UID, stamp, line) of each link as written: `- UID`, `- UID: stamp`."""
    raw = item.data.get("links") or []
    out = []
    for i, entry in enumerate(raw if isinstance(raw, list) else []):
        line = item.line("links", i)
        if isinstance(entry, dict) and len(entry) == 1:
            ((uid, stamp),) = entry.items()
            out.append((str(uid), None if stamp in (None, "", False) else str(stamp), line))
        elif isinstance(entry, (str, int)):
            out.append((str(entry), None, line))
        else:
            raise QmsError(f"{item.path}:{line}: a link is 'UID' or 'UID: stamp', not {entry!r}")
    return out


def _reference(ref: Any) -> Any:
    """A reference as doorstop holds it in memory: type, path (stripped), keyword, sha, in that order."""
    if not isinstance(ref, dict):
        return ref
    out = {"type": ref.get("type"), "path": str(ref.get("path", "")).strip()}
    for key in ("keyword", "sha"):
        if key in ref:
            out[key] = ref[key]
    return out


def stamp(item: DItem, doc: Document, links: bool = False) -> str:
    """doorstop's Item.stamp(links)."""
    values: list[Any] = [item.uid, load_text(item.data.get("text")), str(item.data.get("ref") or "").strip()]
    references = item.data.get("references")
    if references:
        values.append([_reference(r) for r in references])
    if links:
        values.extend(sorted(uid for uid, _, _ in _link_targets(item)))
    for key in doc.reviewed:
        if key in item.data:
            values.append(_convert_to_str(item.data[key], ""))
    return _digest(*values)


# --------------------------------------------------------------------------- mapping


def _level_parts(value: Any) -> list[int]:
    text = str(value if value is not None else "1.0")
    parts = []
    for p in text.split("."):
        p = p.strip()
        parts.append(int(p) if p.isdigit() else 0)
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return parts


def _title(header: str, text: str, fallback: str) -> str:
    if header.strip():
        return header.strip().splitlines()[0]
    for line in text.splitlines():
        # Markdown marks go; an underscore inside a name (CMD_SVC) is no mark and stays.
        line = re.sub(r"^[#>\s]+|[*`]+|(?<![\w])_+|_+(?![\w])", "", line).strip()
        if line:
            return line if len(line) <= 100 else line[:97].rsplit(" ", 1)[0] + " ..."
    return fallback


def default_kind(doc: Document) -> str:
    if doc.parent is None:
        return "requirement"
    return "verification" if TEST_PREFIX.search(doc.prefix) else "requirement"


def read_tree(tree: Path, mapping: dict[str, str], report: Report) -> list[Item]:
    """The items of the doorstop tree at `tree` as our items; headings and the document map go to `report`."""
    docs = find_documents(tree)
    known = {d.prefix for d in docs}
    for prefix in mapping:
        if prefix not in known:
            raise QmsError(f"--map {prefix}=...: there is no document {prefix} in the tree "
                           f"(documents: {', '.join(sorted(known))})")
    for doc in docs:
        read_items(doc, tree)
    by_uid: dict[str, tuple[DItem, Document]] = {}
    for doc in docs:
        for it in doc.items:
            if it.uid in by_uid:
                raise QmsError(f"{it.path}:1: item {it.uid} also exists as {by_uid[it.uid][0].path}")
            by_uid[it.uid] = (it, doc)
    items: list[Item] = []
    for doc in docs:
        kind = mapping.get(doc.prefix) or default_kind(doc)
        report.documents.append({"name": doc.prefix, "kind": kind, "items": len(doc.items),
                                 "path": _rel(doc.folder, tree), "parent": doc.parent})
        items.extend(_document_items(doc, kind, by_uid, report))
    return items


def _document_items(doc: Document, kind: str, by_uid: dict[str, tuple[DItem, Document]],
                    report: Report) -> list[Item]:
    out: list[Item] = []
    ordered = sorted(doc.items, key=lambda it: (_level_parts(it.data.get("level")), it.uid))
    headings: list[tuple[list[int], str]] = []
    sections: list[tuple[list[int], Item]] = []  # the informative items so far, to hold what stands below
    for order, it in enumerate(ordered, 1):
        where = f"{it.path}:1"
        data = it.data  # document defaults apply to items doorstop creates, not to items it loads
        normative = _bool(data.get("normative", True), f"{it.path}:{it.line('normative')}")
        active = _bool(data.get("active", True), f"{it.path}:{it.line('active')}")
        header = str(data.get("header") or "")
        text = load_text(data.get("text"))
        level = _level_parts(data.get("level"))
        level_text = ".".join(map(str, level)) + (".0" if len(level) == 1 else "")
        above = [sec for lv, sec in sections if lv == level[:len(lv)] and lv != level]
        if above:  # structure: the nearest enclosing section contains this item
            above[-1].links.append(Link(it.uid, "unreviewed", None, where))
        if not normative:  # a heading or informative prose: a section record that keeps its text
            heading = _title(header, text, it.uid)
            headings.append((level, heading))
            report.headings.append(Heading(it.uid, where, level_text, heading))
            for uid, _, line in _link_targets(it):
                report.links_read += 1
                report.dropped.append(Dropped(f"link {it.uid} -> {uid}", f"{it.path}:{line}",
                                              "the item is informative (non-normative): nothing traces to it"))
            fields: dict[str, Any] = {"title": heading, "level": level_text, "order": order, "document": doc.prefix}
            if text:
                fields["text"] = text
            extra = {k: v for k, v in data.items() if k not in STANDARD and v is not None}
            if extra:
                fields["attributes"] = extra
            if not active:
                fields["status"] = "obsolete"
            section = Item("section", it.uid, fields, where)
            sections.append((level, section))
            out.append(section)
            continue
        attributes: dict[str, Any] = {"level": level_text}
        enclosing = [f"{'.'.join(map(str, lv))} {h}" for lv, h in headings if lv == level[:len(lv)] and lv != level]
        if enclosing:
            attributes["section"] = enclosing[-1]
        if _bool(data.get("derived", False), f"{it.path}:{it.line('derived')}"):
            attributes["derived"] = True
        if data.get("ref"):
            attributes["ref"] = str(data["ref"])
        if data.get("references"):
            attributes["references"] = data["references"]
        reviewed = data.get("reviewed")
        attributes["reviewed"] = bool(reviewed) and str(reviewed) == stamp(it, doc, links=True)
        for key, value in data.items():
            if key not in STANDARD and value is not None:
                attributes[key] = value
        fields = {"title": _title(header, text, it.uid), "attributes": attributes}
        if kind in STATEMENT_KINDS:
            fields["statement"] = text or header or it.uid
        elif text:
            fields["description"] = text
        if not active:
            fields["status"] = "obsolete"
        links: list[Link] = []
        for uid, given, line in _link_targets(it):
            target = by_uid.get(uid)
            state = "unreviewed"
            if given is not None and target is not None:
                state = "reviewed" if given == stamp(target[0], target[1]) else "suspect"
            links.append(Link(uid, state, given if state == "suspect" else None, f"{it.path}:{line}"))
        out.append(Item(kind, it.uid, fields, where, links))
    return out
