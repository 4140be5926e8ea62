"""Deterministic Word documents: fixed core properties and a pinned zip, so the same records give the same bytes.

Shared by every Word renderer (recall summary, KPI review, CAPA report). A company template (a reference
`.docx`, qms.yaml `documents.template`, default `specs/templates/reference.docx`) gives every document the
company's look: its styles, numbering, page setup and header/footer content (a logo) are kept, its body is
dropped. Without one, python-docx's built-in default is used, byte for byte as before templates existed.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_bytes
from ..findings import QmsError
from ..xmltext import xml_text
from .xlsx import EPOCH, pin_zip

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

    from ..config import RepoConfig

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The styles the generated documents use; a template missing one gets python-docx's definition of it.
REQUIRED_STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Table Grid", "Caption")
# Relationships of the document part that belong to its body (dropped with it when nothing refers to them).
_BODY_RELS = ("/image", "/hyperlink", "/header", "/footer", "/chart", "/oleObject", "/package", "/diagramData")
_DOTX = b"wordprocessingml.template.main+xml"
_DOCX = b"wordprocessingml.document.main+xml"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def new_document(title: str, stamp: dt.datetime = EPOCH, template: bytes | None = None) -> DocxDocument:
    """A python-docx Document whose core properties carry no wall-clock time or user name.

    `template` is a reference .docx (read_template): the document starts as its empty copy.
    """
    from docx import Document

    doc = Document() if template is None else _from_template(template)
    props = doc.core_properties
    props.author = props.last_modified_by = "QMS Generator"
    props.title = xml_text(title)
    props.created = props.modified = stamp
    props.revision = 1
    return doc


def template_font_notes(template: bytes | None) -> list[str]:
    """What a build says about the template's fonts on this machine (render.fonts)."""
    from docx import Document

    from .fonts import font_notes

    return font_notes(Document() if template is None else _from_template(template))


def docx_bytes(doc: DocxDocument, stamp: dt.datetime = EPOCH) -> bytes:
    """The saved package with fixed entry times and fixed created/modified properties."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return pin_zip(buffer.getvalue(), stamp)


def save_docx(doc: DocxDocument, path: Path, stamp: dt.datetime = EPOCH) -> None:
    """Write the document atomically (temporary file, then rename)."""
    write_bytes(path, docx_bytes(doc, stamp))


# ---------------------------------------------------------------------------------------------- templates

def template_path(root: Path, config: RepoConfig) -> tuple[Path, str] | None:
    """(path, as named in messages) of the repository's document template, or None for the built-in look.

    A template named in qms.yaml must exist; the default one is used only when it is there.
    """
    from ..config import DEFAULT_TEMPLATE

    named = config.documents.template if config is not None else None
    rel = named or DEFAULT_TEMPLATE
    path = root / rel
    if named is None and not path.exists():
        return None
    return path, rel


def read_template(root: Path, config: RepoConfig) -> bytes | None:
    """The repository's template as bytes, checked once (it opens, and has a body and styles),
    or None for the built-in default. A missing or unreadable template is a QmsError naming the file."""
    found = template_path(root, config)
    if found is None:
        return None
    path, rel = found
    where = "qms.yaml documents.template" if config is not None and config.documents.template else "default template"
    if not path.is_file():
        raise QmsError(f"{rel}: document template not found ({where}); create it or fix documents.template")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise QmsError(f"{rel}: document template cannot be read: {err.strerror}") from None
    try:
        _from_template(data)
    except QmsError as err:
        raise QmsError(f"{rel}: {err}") from None
    return data


def _from_template(data: bytes) -> Any:
    """An empty document with the template's styles, numbering, settings, last section and its headers."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        doc = Document(io.BytesIO(_as_docx(data)))
    except (PackageNotFoundError, zipfile.BadZipFile, etree.XMLSyntaxError, KeyError) as err:
        raise QmsError(f"not a Word .docx document ({type(err).__name__}: {err})") from None
    except ValueError as err:  # another main content type, e.g. a macro-enabled .docm
        kind = re.search(r"content type is '([^']*)'", str(err))
        raise QmsError(f"not a plain Word .docx document (content type {kind.group(1) if kind else err}); "
                       "save it as .docx") from None
    body = doc.element.body
    sect_pr = body.sectPr
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    if sect_pr is None:
        body.get_or_add_sectPr()
    _drop_unreferenced(doc.part)
    _complete_styles(doc)
    _clear_core(doc)
    return doc


def _as_docx(data: bytes) -> bytes:
    """A Word template (.dotx) as the document it stands for: only its main content type differs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            types = z.read("[Content_Types].xml")
            if _DOTX not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
                for info in z.infolist():
                    body = z.read(info)
                    w.writestr(info, types.replace(_DOTX, _DOCX) if info.filename == "[Content_Types].xml" else body)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError):
        return data  # Document() reports it


def _drop_unreferenced(part: Any) -> None:
    """Drop the body's images, links and section headers that went with the removed body content."""
    used = {value for el in part.element.iter() for name, value in el.attrib.items() if name.startswith(f"{{{R_NS}}}")}
    for rid, rel in list(part.rels.items()):
        if rid not in used and rel.reltype.endswith(_BODY_RELS):
            del part.rels[rid]


def _complete_styles(doc: Any) -> None:
    """Add the styles generated documents use that the template lacks (Word saves only the styles a file uses),
    copied from python-docx's default, with their basedOn ancestors. Their list numbering is dropped: it
    refers to the default's numbering part, which the template does not have."""
    from docx import Document

    styles = doc.styles.element
    names = {s.name for s in doc.styles}
    ids = {s.style_id for s in doc.styles}
    missing = [n for n in REQUIRED_STYLES if n not in names]
    if not missing:
        return
    default = {s.style_id: s for s in Document().styles}
    by_name = {s.name: s for s in default.values()}

    def add(style: Any) -> None:
        if style.style_id in ids or style.name in names:
            return
        element = copy.deepcopy(style.element)
        for num_pr in element.findall(f"{_w('pPr')}/{_w('numPr')}"):
            num_pr.getparent().remove(num_pr)
        for ref in ("link", "next"):
            el = element.find(_w(ref))
            if el is not None and el.get(_w("val")) not in ids | {style.style_id}:
                element.remove(el)
        ids.add(style.style_id)
        names.add(style.name)
        based = element.find(_w("basedOn"))
        if based is not None and based.get(_w("val")) not in ids:
            if based.get(_w("val")) in default:
                add(default[based.get(_w("val"))])
            else:
                element.remove(based)
        styles.append(element)

    for name in missing:
        add(by_name[name])


def _clear_core(doc: Any) -> None:
    """Forget the template's own core properties (author, dates, keywords, last printed)."""
    element = doc.core_properties._element
    for child in list(element):
        element.remove(child)
