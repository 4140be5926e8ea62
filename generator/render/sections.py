"""Page sections for wide tables: a table that does not fit the text width of a portrait page gets a
landscape section of its own, and the document returns to portrait at its next chapter.

In WordprocessingML a section ends with the paragraph whose w:pPr holds its w:sectPr; the body's last
w:sectPr describes the last section. A landscape section is opened by copying the current (portrait)
section properties into the paragraph before the table's heading and turning the body's own section
to landscape; it is closed the same way. Headers and footers are shared (the copies keep their
references), page numbers run on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .layout import fit, squeeze

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.section import CT_SectPr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SMALLER_SIZES = (9.0, 8.0)  # points: a wide table steps down to these before its words must break
CROWDED_COLUMNS = 6  # a table of this many columns whose text would wrap a lot goes landscape
CROWDED_RATIO = 1.5


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _int(element: Any, attr: str, default: int = 0) -> int:
    value = element.get(_w(attr)) if element is not None else None
    return int(value) if value is not None and value.lstrip("-").isdigit() else default


def final_section(doc: DocxDocument) -> CT_SectPr:
    return doc.element.body.get_or_add_sectPr()


def text_width(sect_pr: CT_SectPr) -> int:
    """The width between the margins of a section, in twips (A4 with 2.54 cm margins when unstated)."""
    size, margins = sect_pr.find(_w("pgSz")), sect_pr.find(_w("pgMar"))
    return _int(size, "w", 11906) - _int(margins, "left", 1440) - _int(margins, "right", 1440)


def is_landscape(sect_pr: CT_SectPr) -> bool:
    size = sect_pr.find(_w("pgSz"))
    return _int(size, "w", 11906) > _int(size, "h", 16838)


def in_wide_section(doc: DocxDocument) -> bool:
    """True when the body's current section is a landscape section opened for a wide table."""
    body = doc.element.body
    if not is_landscape(final_section(doc)):
        return False
    return any(not is_landscape(ended) for p in body.iterchildren(_w("p"))
               for ended in p.findall(f"{_w('pPr')}/{_w('sectPr')}"))


def _turn(sect_pr: Any) -> None:
    """Swap a section's page between portrait and landscape; the side margins stay the side margins."""
    size = sect_pr.find(_w("pgSz"))
    if size is None:
        size = sect_pr.makeelement(_w("pgSz"), {})
        size.set(_w("w"), "11906")
        size.set(_w("h"), "16838")
        sect_pr.insert(0, size)
    w, h = _int(size, "w", 11906), _int(size, "h", 16838)
    size.set(_w("w"), str(h))
    size.set(_w("h"), str(w))
    if h > w:
        size.set(_w("orient"), "landscape")
    elif size.get(_w("orient")) is not None:
        del size.attrib[_w("orient")]


def _is_heading(p: Any) -> bool:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return style is not None and (style.get(_w("val")) or "").lower().startswith("heading")


def _page_break_only(p: Any) -> bool:
    runs = p.findall(_w("r"))
    return bool(runs) and all(len(r) == 1 and r[0].tag == _w("br") and r[0].get(_w("type")) == "page" for r in runs)


def _end_section_before(doc: Any, anchor: Any | None) -> None:
    """End the current section just before `anchor` (None: at the end of the body) with a copy of its properties."""
    body = doc.element.body
    sect_pr = final_section(doc)
    before = anchor.getprevious() if anchor is not None else sect_pr.getprevious()
    if before is not None and before.tag == _w("p") and before.find(f"{_w('pPr')}/{_w('sectPr')}") is None:
        if _page_break_only(before):  # the section break starts the new page itself
            for r in before.findall(_w("r")):
                before.remove(r)
        host = before
    else:
        host = body.makeelement(_w("p"), {})
        (anchor if anchor is not None else sect_pr).addprevious(host)
    p_pr = host.find(_w("pPr"))
    if p_pr is None:
        p_pr = host.makeelement(_w("pPr"), {})
        host.insert(0, p_pr)
    p_pr.append(copy.deepcopy(sect_pr))


def _heading_anchor(doc: Any) -> Any | None:
    """The heading (with the paragraphs after it) that introduces the table about to be appended, so that
    it moves to the landscape page with the table; None when the table follows other content directly."""
    sect_pr = final_section(doc)
    node = sect_pr.getprevious()
    seen = 0
    while node is not None and node.tag == _w("p") and seen < 4:
        if node.find(f"{_w('pPr')}/{_w('sectPr')}") is not None or _page_break_only(node):
            return None
        if _is_heading(node):
            return node
        node, seen = node.getprevious(), seen + 1
    return None


def open_wide_section(doc: DocxDocument) -> None:
    _end_section_before(doc, _heading_anchor(doc))
    _turn(final_section(doc))


def close_wide_section(doc: DocxDocument) -> None:
    """Back to portrait after a wide table's section (at the next chapter, or the end of the document)."""
    if in_wide_section(doc):
        _end_section_before(doc, None)
        _turn(final_section(doc))


def place_wide_table(doc: DocxDocument, base: float,
                     extents: Callable[[float], tuple[list[int], list[int]]]) -> tuple[list[int], float]:
    """The column widths (twips) and point size of a table about to be appended, opening a landscape
    section first when the table needs one."""
    sect_pr = final_section(doc)
    here = text_width(sect_pr)
    sizes = (base, *(s for s in SMALLER_SIZES if s < base))
    low, high = extents(base)
    crowded = len(low) >= CROWDED_COLUMNS and sum(high) > CROWDED_RATIO * here
    if not is_landscape(sect_pr):
        widths = fit(low, high, here)
        if widths is not None and not crowded:
            return widths, base
        wide = here + (_int(sect_pr.find(_w("pgSz")), "h", 16838) - _int(sect_pr.find(_w("pgSz")), "w", 11906))
        for size in sizes:
            wide_widths = fit(*extents(size), wide)
            if wide_widths is not None:
                open_wide_section(doc)
                return wide_widths, size
        if widths is not None:
            return widths, base
        open_wide_section(doc)
        here = wide
    for size in sizes:
        widths = fit(*extents(size), here)
        if widths is not None:
            return widths, size
    return squeeze(extents(sizes[-1])[0], here), sizes[-1]
