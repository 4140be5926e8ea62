"""ReqIF (OMG Requirements Interchange Format 1.2) in and out.

Export writes one SPEC-OBJECT-TYPE per record kind whose attribute definitions are the kind's fields
(from our pydantic schema: `id` as ReqIF.ForeignID, `title` as ReqIF.Name, the statement, or the
description of kinds without one, as ReqIF.Text, every other field under its own name; values that
are not text, such as test results or tags, as JSON in a string datatype named JSON), one SPEC-OBJECT
per record, one SPEC-RELATION per trace link (SPEC-RELATION-TYPE named after the link's role, the
review stamp as its `fingerprint` value), and one SPECIFICATION per kind. The XML is built here with
the standard library so the bytes are deterministic (LAST-CHANGE is the newest `created` date of the
exported records, never the clock).

Import reads with the `reqif` package, after a safety check of its own: the XML may have no DTD
(hence no entity expansion, external or internal), a `.reqifz` member may not unpack to more than
MAX_BYTES. Objects are keyed by IDENTIFIER (unique in a file; a ReqIF.ForeignID need not be, and is
kept as an attribute). A spec object type named after one of our kinds gives that kind (else `--kind`);
attribute values named after a field fill it; ReqIF.Name / ReqIF.ChapterName is the title. The text is
the best one the object has (`best_text`: ReqIF.Text, another XHTML attribute, a description-like string
attribute, the chapter name, a plain-text attribute), and the report's `text_from` names the attribute
it came from. Every other attribute, the spec-object type and the specification name are kept under
`attributes`. Enumeration values become their labels, XHTML its text. A relation is an upstream link
from its source to its target (a type of the other tool's is kept in `relation_types`); a
`fingerprint` on it is a review stamp, checked against the target as it arrives.

Our own export names its repository in REPOSITORY-ID (interchange.home) and gives each record's ID as
the object's IDENTIFIER and ForeignID, and an imported record's origin as its `origin` (JSON): imported
back into the same repository, an object is the record of its ID (or of its origin), never a new one.

Informative content is kept, not dropped: an object with children in a specification's hierarchy, or
with only a chapter name, whose text says nothing a requirement says ("shall", "must") becomes a
section record (title, text, outline level, order, specification) that `contains` the objects below it;
a relation to or from a section is kept as structure (the section contains the other end). A reference
to an object the file does not hold is listed as dropped with its location.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from ..findings import QmsError
from ..model import KINDS, Record, kind_of_sheet
from ..model import plan as field_plan
from ..xmltext import xml_text
from .home import PREFIX
from .report import Dropped, Heading, Report
from .sources import read_source
from .writer import IMPORTABLE, LINK_FIELD, Item, Link, OriginKey, yaml_data
from .xmllines import identifier_lines

NS = "http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"
MAX_BYTES = 256 << 20
FOREIGN_ID, NAME, CHAPTER, TEXT = "ReqIF.ForeignID", "ReqIF.Name", "ReqIF.ChapterName", "ReqIF.Text"
FINGERPRINT = "fingerprint"
DT_STRING, DT_JSON = "DT-STRING", "DT-JSON"


def text_field(kind: str) -> str:
    """The field that holds a kind's prose: a statement, a section's text, else the description."""
    fields = KINDS[kind].model.model_fields
    return next((f for f in ("statement", "text") if f in fields), "description")


def standard_names(kind: str) -> dict[str, str]:
    return {"id": FOREIGN_ID, "title": NAME, text_field(kind): TEXT}


# --------------------------------------------------------------------------- export


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    # ElementTree writes forbidden characters as they are (malformed XML): every text and value is guarded.
    el = ET.SubElement(parent, tag, {k.replace("_", "-"): xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _ref(parent: ET.Element, outer: str, inner: str, value: str) -> None:
    _sub(_sub(parent, outer), inner, value)


def export(records: list[Record], kinds: list[str], title: str, home: str = "") -> tuple[bytes, list[str]]:
    """ReqIF bytes for `records` (of `kinds`), and the links left out because their target is not exported;
    `home` names the repository they are exported from (interchange.home)."""
    chosen = sorted((r for r in records if r.KIND in kinds), key=lambda r: (kinds.index(r.KIND), r.id))
    exported = {r.id for r in chosen}
    dates = [r.created.isoformat() for r in chosen if r.created]
    stamp = (max(dates) if dates else "1970-01-01") + "T00:00:00Z"
    left_out: list[str] = []

    root = ET.Element("REQ-IF", {"xmlns": NS})
    header = _sub(_sub(root, "THE-HEADER"), "REQ-IF-HEADER", IDENTIFIER="qms-header")
    _sub(header, "CREATION-TIME", stamp)
    if home:
        _sub(header, "REPOSITORY-ID", home)
    _sub(header, "REQ-IF-TOOL-ID", "qms")
    _sub(header, "REQ-IF-VERSION", "1.0")
    _sub(header, "SOURCE-TOOL-ID", "QMS Generator")
    _sub(header, "TITLE", title)
    content = _sub(_sub(root, "CORE-CONTENT"), "REQ-IF-CONTENT")
    types = _sub(content, "DATATYPES")
    _sub(types, "DATATYPE-DEFINITION-STRING", IDENTIFIER=DT_STRING, LAST_CHANGE=stamp, LONG_NAME="String",
         MAX_LENGTH="1000000")
    _sub(types, "DATATYPE-DEFINITION-STRING", IDENTIFIER=DT_JSON, LAST_CHANGE=stamp, LONG_NAME="JSON",
         MAX_LENGTH="1000000")

    spec_types = _sub(content, "SPEC-TYPES")
    roles: list[str] = []
    for kind in kinds:
        model = KINDS[kind].model
        sot = _sub(spec_types, "SPEC-OBJECT-TYPE", IDENTIFIER=f"SOT-{kind}", LAST_CHANGE=stamp, LONG_NAME=kind)
        attrs = _sub(sot, "SPEC-ATTRIBUTES")
        names = standard_names(kind)
        relation_role = LINK_FIELD.get(kind)
        for name, info in model.model_fields.items():
            if name == relation_role:
                if name not in roles:
                    roles.append(name)
                continue
            ad = _sub(attrs, "ATTRIBUTE-DEFINITION-STRING", IDENTIFIER=f"AD-{kind}-{name}", LAST_CHANGE=stamp,
                      LONG_NAME=names.get(name, name))
            if info.description:
                ad.set("DESC", xml_text(info.description))
            _ref(ad, "TYPE", "DATATYPE-DEFINITION-STRING-REF", DT_STRING if _is_text(model, name) else DT_JSON)
    for role in roles:
        srt = _sub(spec_types, "SPEC-RELATION-TYPE", IDENTIFIER=f"SRT-{role}", LAST_CHANGE=stamp, LONG_NAME=role)
        ad = _sub(_sub(srt, "SPEC-ATTRIBUTES"), "ATTRIBUTE-DEFINITION-STRING", IDENTIFIER=f"AD-{role}-fingerprint",
                  LAST_CHANGE=stamp, LONG_NAME=FINGERPRINT)
        _ref(ad, "TYPE", "DATATYPE-DEFINITION-STRING-REF", DT_STRING)
    _sub(spec_types, "SPECIFICATION-TYPE", IDENTIFIER="ST-qms", LAST_CHANGE=stamp, LONG_NAME="QMS records")

    objects = _sub(content, "SPEC-OBJECTS")
    relations_el = _sub(content, "SPEC-RELATIONS")
    for record in chosen:
        kind = record.KIND
        link_role = LINK_FIELD.get(kind)
        data = yaml_data(record)
        obj = _sub(objects, "SPEC-OBJECT", IDENTIFIER=record.id, LAST_CHANGE=stamp)
        values = _sub(obj, "VALUES")
        for name, value in data.items():
            if name == link_role:
                continue
            text = value if _is_text(type(record), name) else json.dumps(value, sort_keys=True, ensure_ascii=False)
            av = _sub(values, "ATTRIBUTE-VALUE-STRING", THE_VALUE=str(text))
            _ref(av, "DEFINITION", "ATTRIBUTE-DEFINITION-STRING-REF", f"AD-{kind}-{name}")
        _ref(obj, "TYPE", "SPEC-OBJECT-TYPE-REF", f"SOT-{kind}")
        for ref in (getattr(record, link_role) if link_role else []):
            if ref.id not in exported:
                left_out.append(f"{record.id} --{link_role}--> {ref.id}")
                continue
            rel = _sub(relations_el, "SPEC-RELATION", IDENTIFIER=f"REL-{record.id}-{link_role}-{ref.id}",
                       LAST_CHANGE=stamp)
            if ref.fingerprint is not None:
                av = _sub(_sub(rel, "VALUES"), "ATTRIBUTE-VALUE-STRING", THE_VALUE=ref.fingerprint)
                _ref(av, "DEFINITION", "ATTRIBUTE-DEFINITION-STRING-REF", f"AD-{link_role}-fingerprint")
            _ref(rel, "SOURCE", "SPEC-OBJECT-REF", record.id)
            _ref(rel, "TARGET", "SPEC-OBJECT-REF", ref.id)
            _ref(rel, "TYPE", "SPEC-RELATION-TYPE-REF", f"SRT-{link_role}")
    specs = _sub(content, "SPECIFICATIONS")
    for kind in kinds:
        spec = _sub(specs, "SPECIFICATION", IDENTIFIER=f"SPEC-{kind}", LAST_CHANGE=stamp, LONG_NAME=kind)
        _ref(spec, "TYPE", "SPECIFICATION-TYPE-REF", "ST-qms")
        children = _sub(spec, "CHILDREN")
        for record in chosen:
            if record.KIND == kind:
                h = _sub(children, "SPEC-HIERARCHY", IDENTIFIER=f"H-{record.id}", LAST_CHANGE=stamp)
                _ref(h, "OBJECT", "SPEC-OBJECT-REF", record.id)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8"), left_out


def _is_text(model: type[Record], name: str) -> bool:
    """Whether the field's values are written as plain text (else as JSON)."""
    info = field_plan(model).fields[name]
    if info.shape != "one" or info.nested is not None:
        return False
    annotation = str(model.model_fields[name].annotation)
    return "str" in annotation or info.links != () or "Ref" in annotation


# --------------------------------------------------------------------------- import


def _check_xml(raw: bytes, name: str) -> str:
    """The XML text, refused if it declares a DTD (entity expansion) or cannot be parsed at all."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.fromstring(raw, parser).getroottree()
    except etree.XMLSyntaxError as err:
        line = err.position[0] if err.position else 1
        raise QmsError(f"{name}:{line}: not well-formed XML: {err.msg}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise QmsError(f"{name}:1: the file declares a DTD; ReqIF needs none, and it is refused for safety "
                       "(entity expansion)")
    try:
        return raw.decode(tree.docinfo.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError):
        raise QmsError(f"{name}:1: cannot decode the file as {tree.docinfo.encoding}") from None


def _sources(path: Path) -> list[tuple[str, str]]:
    """(name, XML text) of the ReqIF file, or of each .reqif member of a .reqifz archive."""
    name = path.as_posix()
    # The file's source is its folder: a link to a file elsewhere is refused, never followed. Members
    # of a .reqifz are read from the archive itself, never as paths.
    raw = read_source(path, path.parent, name, f"its folder {path.parent.as_posix()}", MAX_BYTES)
    if path.suffix.lower() != ".reqifz":
        return [(name, _check_xml(raw, name))]
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = sorted((m for m in archive.infolist() if m.filename.lower().endswith(".reqif")),
                             key=lambda m: m.filename)
            if not members:
                raise QmsError(f"{name}: the archive holds no .reqif file")
            out = []
            for m in members:
                if m.file_size > MAX_BYTES:
                    raise QmsError(f"{name}!{m.filename}: unpacks to {m.file_size:,} bytes, more than "
                                   f"{MAX_BYTES:,}")
                raw = archive.open(m).read(MAX_BYTES + 1)
                if len(raw) > MAX_BYTES:
                    raise QmsError(f"{name}!{m.filename}: unpacks to more than {MAX_BYTES:,} bytes")
                out.append((f"{name}!{m.filename}", _check_xml(raw, f"{name}!{m.filename}")))
            return out
    except zipfile.BadZipFile:
        raise QmsError(f"{name}: not a .reqifz (zip) archive") from None


def _xhtml_text(value: Any) -> str:
    from lxml import etree

    text = str(value or "")
    try:
        # The value is a fragment whose xhtml: prefix is declared on the REQ-IF element, not in it.
        node = etree.fromstring(f'<root xmlns:xhtml="http://www.w3.org/1999/xhtml">{text}</root>'.encode(),
                                etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError:
        return text
    return "".join(node.itertext()).strip()


def read_reqif(path: Path, report: Report, default_kind: str = "requirement") -> list[Item]:
    try:
        import lxml  # noqa: F401
        import reqif  # noqa: F401
    except ImportError:
        raise QmsError("reading ReqIF needs the reqif package: pip install reqif") from None
    read = _Read()
    sources = _sources(path)
    for name, text in sources:
        _read_bundle(name, text, report, default_kind, read)
    _relate(read, "the archive" if len(sources) > 1 or path.suffix.lower() == ".reqifz" else "the file", report)
    return read.items


def _home(bundle: Any) -> str:
    """The repository a qms export names in its header ('' for any other file)."""
    header = bundle.req_if_header
    tool = getattr(header, "req_if_tool_id", None)
    home = getattr(header, "repository_id", None)
    return home if tool == "qms" and isinstance(home, str) and home.startswith(PREFIX) else ""


def _carried(value: Any, where: str) -> OriginKey:
    """The origin a record had in the repository a qms export came from."""
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value.get(k)
                                              for k in ("tool", "source", "uid")):
        raise QmsError(f"{where}: origin is not an object of tool, source and uid")
    return (value["tool"], value["source"], value["uid"])


def _line(obj: Any, lines: dict[tuple[str, str], int] | None = None) -> int:
    node = getattr(obj, "xml_node", None)
    if lines and node is not None and node.get("IDENTIFIER") is not None:  # past line 65,535 too (xmllines)
        line = lines.get((str(node.tag).rpartition("}")[2], node.get("IDENTIFIER")))
        if line:
            return line
    return getattr(node, "sourceline", None) or 1


@dataclass
class _Relation:
    source: str
    target: str
    role: str  # the relation type's name
    where: str
    stamp: str | None  # a review stamp of ours (a round trip)


@dataclass
class _Read:
    """What the members of one exchange hold, gathered before any relation is resolved."""

    items: list[Item] = field(default_factory=list)
    sections: dict[str, Item] = field(default_factory=dict)
    children_of: dict[str, list[str]] = field(default_factory=dict)  # a section's objects in its hierarchy
    relations: list[_Relation] = field(default_factory=list)


def _read_bundle(name: str, text: str, report: Report, default_kind: str, read: _Read) -> None:
    from reqif.parser import ReqIFParser

    try:
        bundle = ReqIFParser.parse_from_string(text)
    except Exception as err:  # noqa: BLE001 - the package raises its own and lxml's errors
        raise QmsError(f"{name}: not a ReqIF file the reqif package can read: {err}") from None
    content = bundle.core_content.req_if_content if bundle.core_content else None
    lines = identifier_lines(text)
    if content is None:
        raise QmsError(f"{name}: no CORE-CONTENT / REQ-IF-CONTENT")
    data_types = {dt.identifier: dt for dt in (content.data_types or [])}
    object_types: dict[str, Any] = {}
    relation_types: dict[str, Any] = {}
    for st in content.spec_types or []:
        kind_name = type(st).__name__
        if kind_name == "ReqIFSpecObjectType":
            object_types[st.identifier] = st
        elif kind_name == "ReqIFSpecRelationType":
            relation_types[st.identifier] = st
    definitions: dict[str, Any] = {}
    for st in list(object_types.values()) + list(relation_types.values()):
        for ad in st.attribute_definitions or []:
            definitions[ad.identifier] = ad

    def value_of(attr: Any) -> tuple[str, Any]:
        ad = definitions.get(attr.definition_ref)
        label = (ad.long_name if ad is not None and ad.long_name else attr.definition_ref)
        dtype = data_types.get(ad.datatype_definition) if ad is not None else None
        kind = attr.attribute_type.name
        value = attr.value
        if kind == "ENUMERATION":
            names = []
            for ref in value or []:
                ev = dtype.values_map.get(ref) if dtype is not None and getattr(dtype, "values_map", None) else None
                names.append(ev.long_name or ev.key or ref if ev is not None else ref)
            value = names[0] if len(names) == 1 else names
        elif kind == "XHTML":
            value = _xhtml_text(value)
        elif dtype is not None and getattr(dtype, "long_name", None) == "JSON" and isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise QmsError(f"{name}:{_line(attr)}: value of {label} is not JSON") from None
        elif kind == "INTEGER" and isinstance(value, str) and value.lstrip("-").isdigit():
            value = int(value)
        elif kind == "BOOLEAN" and isinstance(value, str):
            value = value.strip().lower() == "true"
        return label, value

    # The hierarchy of every specification: each object's parent, children in order, outline number.
    children_of: dict[str, list[str]] = {}
    parents: dict[str, str] = {}
    outline: dict[str, tuple[str, int, str]] = {}  # identifier -> (level, order, specification name)
    for spec in content.specifications or []:
        spec_name = spec.long_name or spec.identifier
        counters: list[int] = []
        for h in bundle.iterate_specification_hierarchy(spec):
            depth = h.level if isinstance(getattr(h, "level", None), int) else 1
            del counters[depth:]
            counters.extend([0] * (depth - len(counters)))
            counters[depth - 1] += 1
            outline.setdefault(h.spec_object, (".".join(map(str, counters)), len(outline) + 1, spec_name))
            for child in h.children or []:
                parents[child.spec_object] = h.spec_object
                children_of.setdefault(h.spec_object, []).append(child.spec_object)

    home = _home(bundle)
    items: list[Item] = []
    sections: dict[str, Item] = {}
    for obj in content.spec_objects or []:
        where = f"{name}:{_line(obj, lines)}"
        sot = object_types.get(obj.spec_object_type)
        type_name = (sot.long_name if sot is not None else None) or ""
        kind_found = KINDS.get(type_name) or kind_of_sheet(type_name)
        # A foreign "Section" type is judged by its content; our own export's section records are sections.
        typed = (kind_found is not None and kind_found.name in IMPORTABLE
                 and (kind_found.name != "section" or bool(home)))
        kind = kind_found.name if typed and kind_found is not None else default_kind
        values = dict(value_of(a) for a in obj.attributes or [])
        xhtml = {definitions[a.definition_ref].long_name or a.definition_ref for a in obj.attributes or []
                 if a.attribute_type.name == "XHTML" and a.definition_ref in definitions}
        source = obj.identifier  # IDENTIFIER is unique in a file; a ForeignID need not be
        chosen, body = best_text(values, xhtml)
        title = values.get(NAME) or values.get(CHAPTER) or obj.long_name
        has_children = bool(children_of.get(obj.identifier))
        # A chapter name marks a heading (or an informative note); an object without any text is no requirement.
        heading_like = chosen in (CHAPTER, NAME) or chosen is None or bool(values.get(CHAPTER))
        # An object whose type names it a requirement (Polarion's "Software Requirement") is one when it carries
        # text beyond a chapter name, whatever its wording.
        says_requirement = "requirement" in type_name.lower() and chosen not in (CHAPTER, NAME, None)
        informative = (not typed and not says_requirement and not SHALL.search(body or "")
                       and (has_children or heading_like))
        if chosen is not None:
            report.text_from[source] = chosen
        if chosen is not None and chosen not in (NAME, CHAPTER):
            values.pop(chosen)
        for label in (NAME, CHAPTER):
            if title is not None and values.get(label) == title:
                values.pop(label)
        own_id = ""
        if values.get(FOREIGN_ID) == source:  # our own export: the ID is the IDENTIFIER
            own_id = values.pop(FOREIGN_ID)
        attributes: dict[str, Any] = {}
        ours = typed and type_name == kind  # our own export: the type and specification are the kind
        carried = _carried(values.pop("origin"), where) if home and ours and "origin" in values else None
        if type_name and not ours:
            attributes["spec_object_type"] = type_name
        if obj.identifier in outline and not ours:
            attributes["specification"] = outline[obj.identifier][2]
        if informative:
            level, order, spec_name = outline.get(obj.identifier, (None, None, None))
            heading = str(title or _first_line(body) or source)
            fields = {"title": heading, "document": spec_name, "level": level, "order": order,
                      "attributes": {k: v for k, v in {**attributes, **values}.items() if k != "specification"}}
            if body and body != heading:
                fields["text"] = body
            report.headings.append(Heading(source, where, level or "", heading))
            sections[source] = Item("section", source, {k: v for k, v in fields.items() if v is not None}, where)
            items.append(sections[source])
            continue
        model = KINDS[kind].model
        fields = {}
        role = LINK_FIELD[kind]
        for label, value in values.items():
            if label in model.model_fields and label not in ("id", role, "attributes"):
                fields[label] = value
            else:
                attributes[label] = value
        if isinstance(values.get("attributes"), dict):  # our own export: the record's kept attributes
            attributes.pop("attributes")
            attributes = {**values["attributes"], **attributes}
        if chosen in (NAME, CHAPTER):  # a record's name is its title, not its text
            body = None
        fields["title"] = str(title or _first_line(body) or source)
        if body:
            fields[text_field(kind)] = body
        elif kind in ("requirement", "user_need") and "statement" not in fields:
            fields["statement"] = ""
        if attributes:
            fields["attributes"] = attributes
        items.append(Item(kind, source, fields, where, home=home if ours else "", own_id=own_id if ours else "",
                          carried=carried))
    read.items.extend(items)
    read.sections.update(sections)
    for ident in sections:
        read.children_of[ident] = children_of.get(ident, [])
    for rel in content.spec_relations or []:
        rtype = relation_types.get(rel.relation_type_ref)
        stamp = None
        for attr in rel.values or []:
            label, value = value_of(attr)
            if label == FINGERPRINT and value:
                stamp = str(value)
        read.relations.append(_Relation(rel.source, rel.target,
                                        (rtype.long_name if rtype is not None else None) or rel.relation_type_ref,
                                        f"{name}:{_line(rel, lines)}", stamp))


def _relate(read: _Read, whole: str, report: Report) -> None:
    """Structure and relations, once every object of the file (or of every member of an archive) is read:
    a relation may join objects of two members, for IDENTIFIERs are unique across the exchange."""
    by_source = {item.source: item for item in read.items}
    sections = read.sections
    # Structure: a section contains the objects below it in the hierarchy, in order.
    for ident, section in sections.items():
        for child in read.children_of.get(ident, []):
            if child not in by_source:
                report.links_read += 1
                report.dropped.append(Dropped(f"link {ident} -> {child} (hierarchy)", section.origin,
                                              f"{child} is not a spec object of {whole}"))
            elif not any(ln.target == child for ln in section.links):
                section.links.append(Link(child, "unreviewed", None, section.origin))
    for rel in read.relations:
        src, dst, role, where, stamp = rel.source, rel.target, rel.role, rel.where, rel.stamp
        missing = [end for end in (src, dst) if end not in by_source]
        if missing:  # the exporting tool left a dangling reference: listed, nothing to link
            report.links_read += 1
            report.dropped.append(Dropped(f"link {src} -> {dst} ({role})", where,
                                          f"{' and '.join(missing)} "
                                          + ("is not a spec object" if len(missing) == 1 else "are not spec objects")
                                          + f" of {whole}"))
            continue
        if src in sections or dst in sections:  # a relation to informative content is structure
            section, other = (sections[dst], src) if dst in sections else (sections[src], dst)
            if other in sections:
                report.links_read += 1
                report.dropped.append(Dropped(f"link {src} -> {dst} ({role})", where,
                                              "both ends are sections; their structure is the hierarchy"))
            elif any(ln.target == other for ln in section.links):
                report.links_read += 1
                report.dropped.append(Dropped(f"link {src} -> {dst} ({role})", where,
                                              f"kept as structure: {other} already stands in section {section.source}"))
            else:
                section.links.append(Link(other, "unreviewed", None, where))  # reported as the section's link
            continue
        item = by_source[src]
        if role in LINK_FIELD.values() and role != LINK_FIELD[item.kind]:
            report.links_read += 1
            report.dropped.append(Dropped(f"link {src} -> {dst}", where,
                                          f"a {item.kind} has no '{role}' links"))
            continue
        if role not in LINK_FIELD.values():  # the other tool's relation type: kept beside the link
            item.fields.setdefault("attributes", {}).setdefault("relation_types", {})[dst] = role
        item.links.append(Link(dst, "stamped" if stamp else "unreviewed", stamp, where))


# Requirement-like text: an object that says what shall be is a requirement, even with children.
SHALL = re.compile(r"\b(shall|must)\b", re.IGNORECASE)
# String attributes that hold an object's prose in the tools that export ReqIF.
DESCRIPTIVE = re.compile(r"(description|desc\b|text|txt|content|body|statement|requirement)", re.IGNORECASE)


def best_text(values: dict[str, Any], xhtml: set[str]) -> tuple[str | None, str | None]:
    """(attribute, text) of an object's best text: ReqIF.Text; else another XHTML attribute; else a
    description-like string attribute; else ReqIF.ChapterName or ReqIF.Name; else a plain-text one."""
    def text(label: str) -> str | None:
        value = values.get(label)
        return value.strip() if isinstance(value, str) and value.strip() else None

    plain = [k for k in values if "plaintext" in k.lower().replace(" ", "").replace("_", "")]
    order = ([TEXT] + [k for k in values if k in xhtml and k not in (TEXT, NAME, CHAPTER) and k not in plain]
             + [k for k in values if k not in xhtml and DESCRIPTIVE.search(k) and k not in (TEXT, *plain)]
             + [CHAPTER, NAME] + plain)
    for label in order:
        if text(label):
            return label, text(label)
    return None, None


def _first_line(body: str | None) -> str:
    for line in (body or "").splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 100 else line[:97].rsplit(" ", 1)[0] + " ..."
    return ""
