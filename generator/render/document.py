"""The controlled-document engine: every generated Word document shares one frame.

A `ControlledDocument` gives a python-docx Document with

- a title page: company, device, title, document number, revision, approval state, effective date (or,
  for a draft, "DRAFT — not approved" and the date of the draft), source commit;
- a header and footer on every page: document number, revision, "Effective <date>" or the DRAFT mark, and
  "Page X of Y" as real Word fields (PAGE, NUMPAGES);
- a revision-history table of approved releases (render.control) and an approval block (signature lines
  when nobody has approved the current content);
- a table of contents field, refreshed by Word on opening (settings `w:updateFields`);
- the caller's body (`heading`, `paragraph`, `table`);
- a closing section naming every source record and the git commit the document was generated from.

Bytes are deterministic (render.docx: fixed core properties, pinned zip). With the repository's reference
template (render.docx.read_template) a document starts as the template's empty copy: its styles, page setup
and header/footer logo, with the frame's header and footer text added after the template's own content.

`add_table` builds a table's XML in one pass with lxml: python-docx's `add_table` plus per-cell
`.text` re-walks the table on every cell access and slows down quadratically with its size.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import write_bytes
from ..config import RepoConfig
from ..findings import QmsError
from ..model.documents import Document
from ..model.events import ChangeControl
from ..model.people import Approval as ApprovalRecord
from ..model.people import Role, User
from ..rules.changes import APPROVED_OR_LATER
from ..xmltext import xml_text
from .control import DRAFT, Control, RevisionEntry, Signature, control
from .docx import docx_bytes, new_document, read_template
from .fonts import use_embeddable_fonts
from .layout import METRIC_FONTS, OTHER_FONT_FACTOR, code_spans, column_extents, text_width
from .names import Names
from .numbers import document_number
from .revisions import History, SourceCommits, no_history
from .xlsx import EPOCH

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from ..findings import Finding
    from ..recordset import RecordSet
    from .numbers import Numbers

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOC_INSTR = ' TOC \\o "1-3" \\h \\z \\u '
DEFAULT_SIGNATORIES = ("Author", "Reviewer", "Quality assurance")
REVISION_HEADER = ("Revision", "Date", "Approved by", "Reason for change", "Approval record")
APPROVAL_HEADER = ("Name", "Role", "Meaning", "Date")
SIGNATURE_HEADER = ("Role", "Name", "Signature", "Date")
BLANK_LINE = "______________________"

_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")

# Elements that follow w:updateFields in CT_Settings (schema order); it is inserted before the first present.
_AFTER_UPDATE_FIELDS = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
                        "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                        "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
                        "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                        "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def clean_text(value: object) -> str:
    """The value as text Word can hold: None is empty, characters XML 1.0 forbids are shown as U+FFFD."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return xml_text(str(value))


# ---------------------------------------------------------------------------------------------- tables

def _twips(width: Any) -> int:
    """A python-docx Length (EMU) as twentieths of a point."""
    return int(width) // 635


def _fill_run(r: Any, text: str) -> None:
    """Append w:t (w:br / w:tab for line breaks and tabs, w:noBreakHyphen inside codes) to a run element."""
    from lxml import etree

    if "\n" not in text and "\r" not in text and "\t" not in text and "-" not in text:
        _add_text(r, text)
        return
    for piece in _BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(r, _w("tab"))
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(r, _w("br"))
        elif piece:
            at = 0
            for start, end in code_spans(piece):
                code = piece[start:end].split("-")
                _add_text(r, piece[at:start] + code[0])
                for part in code[1:]:  # IDs and dates keep their hyphens on one line (REQ-0001, not REQ- / 0001)
                    etree.SubElement(r, _w("noBreakHyphen"))
                    _add_text(r, part)
                at = end
            _add_text(r, piece[at:])


def _add_text(r: Any, text: str) -> None:
    from lxml import etree

    if not text:
        return
    t = etree.SubElement(r, _w("t"))
    if text != text.strip():
        t.set(XML_SPACE, "preserve")
    t.text = text


def _half_points(style_element: Any) -> int | None:
    """The font size a style element sets (w:rPr/w:sz), in half-points."""
    if style_element is None:
        return None
    sz = style_element.find(f"{_w('rPr')}/{_w('sz')}")
    return int(sz.get(_w("val"))) if sz is not None and (sz.get(_w("val")) or "").isdigit() else None


def table_font_size(doc: DocxDocument, style: str = "Table Grid") -> float:
    """The point size of table text: the table style's, else Normal's, else the document default, else 11."""
    styles = doc.styles
    for name in (style, "Normal"):
        try:
            found = _half_points(styles[name].element)
        except KeyError:
            found = None
        if found:
            return found / 2
    default = styles.element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}")
    return (_half_points(default) or 22) / 2


def metric_factor(doc: DocxDocument) -> float:
    """1 when the body font is Carlito or Calibri (the metrics layout measures with), else a safety factor."""
    from .fonts import body_font

    return 1.0 if body_font(doc).lower() in METRIC_FONTS else OTHER_FONT_FACTOR


def _apart_from_last_table(doc: DocxDocument) -> None:
    """An empty paragraph after a table the body ends with: Word and LibreOffice join two tables with nothing
    between them into one, whose first header row then repeats over the second's pages (a supplier's
    "Item / Value" above its scores by quarter)."""
    body = doc.element.body
    last = next((el for el in reversed(body) if el.tag != _w("sectPr")), None)
    if last is not None and last.tag == _w("tbl"):
        doc.add_paragraph()


def add_table(doc: DocxDocument, header: Sequence[Any], rows: Iterable[Sequence[Any]],
              widths: Sequence[Any] | None = None, style: str = "Table Grid") -> Table:
    """Append a table to the end of the document body, building its XML in one pass.

    `header` becomes the first row, flagged to repeat at the top of every page (w:tblHeader) and
    bold. `rows` are sequences of values (None is an empty cell; dates are ISO; characters XML 1.0
    forbids are dropped; line breaks and tabs become w:br and w:tab). Short rows are padded with
    empty cells, long rows are an error. No row splits across pages (w:cantSplit).

    `widths` are python-docx lengths (e.g. Cm(3)), one per column. Without them the widths come from the
    content (render.layout): every column at least as wide as its longest word or ID, the table as wide as
    the text of its section; a table that does not fit a portrait page gets a landscape section of its own
    (sections.wide_table), in a smaller size if it must. A hash is one unbreakable token: its column is made wide enough.
    Borders come from the table style. Returns a python-docx Table over the new element.
    """
    from docx.oxml.parser import oxml_parser
    from docx.table import Table
    from lxml import etree

    from .sections import place_wide_table

    ncols = len(header)
    if ncols == 0:
        raise ValueError("a table needs at least one column")
    if widths is not None and len(widths) != ncols:
        raise ValueError(f"{len(widths)} widths given for {ncols} columns")
    head = [clean_text(h) for h in header]
    body_rows = []
    for values in rows:
        if len(values) > ncols:
            raise ValueError(f"a row has {len(values)} values for {ncols} columns: {list(values)[:ncols + 1]!r}")
        body_rows.append([clean_text(v) for v in values])

    _apart_from_last_table(doc)
    sub = etree.SubElement
    tbl = oxml_parser.makeelement(_w("tbl"), nsmap={"w": W_NS})
    size: float | None = None
    if widths is not None:
        twips = [_twips(w) for w in widths]
    else:
        base = table_font_size(doc, style)
        low, high = {}, {}
        factor = metric_factor(doc)

        def extents(pt: float) -> tuple[list[int], list[int]]:
            if pt not in low:
                low[pt], high[pt] = column_extents(head, body_rows, pt, factor)
            return low[pt], high[pt]

        twips, size = place_wide_table(doc, base, extents)
    tbl_pr = sub(tbl, _w("tblPr"))
    sub(tbl_pr, _w("tblStyle")).set(_w("val"), doc.styles[style].style_id)
    tbl_w = sub(tbl_pr, _w("tblW"))
    tbl_w.set(_w("w"), str(sum(twips)))
    tbl_w.set(_w("type"), "dxa")
    sub(tbl_pr, _w("tblLayout")).set(_w("type"), "fixed")
    look = sub(tbl_pr, _w("tblLook"))
    for name, value in (("val", "04A0"), ("firstRow", "1"), ("lastRow", "0"), ("firstColumn", "1"),
                        ("lastColumn", "0"), ("noHBand", "0"), ("noVBand", "1")):
        look.set(_w(name), value)
    grid = sub(tbl, _w("tblGrid"))
    for w in twips:
        sub(grid, _w("gridCol")).set(_w("w"), str(w))
    cell_widths = [str(w) for w in twips]

    def add_row(values: Sequence[str], is_header: bool) -> None:
        tr = sub(tbl, _w("tr"))
        tr_pr = sub(tr, _w("trPr"))
        sub(tr_pr, _w("cantSplit"))
        if is_header:
            sub(tr_pr, _w("tblHeader"))
        for i in range(ncols):
            tc = sub(tr, _w("tc"))
            tc_w = sub(sub(tc, _w("tcPr")), _w("tcW"))
            tc_w.set(_w("w"), cell_widths[i])
            tc_w.set(_w("type"), "dxa")
            p = sub(tc, _w("p"))
            text = values[i] if i < len(values) else ""
            if text:
                r = sub(p, _w("r"))
                if is_header or size is not None:
                    r_pr = sub(r, _w("rPr"))
                    if is_header:
                        sub(r_pr, _w("b"))
                    if size is not None:  # direct: a paragraph style's size would beat the table style's
                        sub(r_pr, _w("sz")).set(_w("val"), str(int(size * 2)))
                        sub(r_pr, _w("szCs")).set(_w("val"), str(int(size * 2)))
                _fill_run(r, text)

    add_row(head, True)
    for row in body_rows:
        add_row(row, False)
    body = doc.element.body
    sect_pr = body.find(_w("sectPr"))
    if sect_pr is not None:
        sect_pr.addprevious(tbl)
    else:
        body.append(tbl)
    return Table(tbl, doc._body)


# ---------------------------------------------------------------------------------------------- fields

def add_field(paragraph: Paragraph, instr: str, placeholder: str = "") -> None:
    """A complex Word field (fldChar begin / instrText / separate / result / end) at the end of a paragraph.

    The field is marked dirty so Word recomputes it; `placeholder` is the result shown until then.
    """
    from docx.oxml import OxmlElement

    def run() -> Any:
        r = OxmlElement("w:r")
        paragraph._p.append(r)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(_w("fldCharType"), "begin")
    begin.set(_w("dirty"), "true")
    run().append(begin)
    instr_text = OxmlElement("w:instrText")
    instr_text.set(XML_SPACE, "preserve")
    instr_text.text = instr
    run().append(instr_text)
    separate = OxmlElement("w:fldChar")
    separate.set(_w("fldCharType"), "separate")
    run().append(separate)
    if placeholder:
        t = OxmlElement("w:t")
        t.text = placeholder
        run().append(t)
    end = OxmlElement("w:fldChar")
    end.set(_w("fldCharType"), "end")
    run().append(end)


def set_update_fields(doc: DocxDocument) -> None:
    """Ask Word to refresh every field (TOC, page counts) when it opens the document."""
    from docx.oxml import OxmlElement

    settings = doc.settings.element
    existing = settings.find(_w("updateFields"))
    if existing is not None:
        existing.set(_w("val"), "true")
        return
    element = OxmlElement("w:updateFields")
    element.set(_w("val"), "true")
    for child in settings:
        if isinstance(child.tag, str) and child.tag.split("}")[-1] in _AFTER_UPDATE_FIELDS:
            child.addprevious(element)
            return
    settings.append(element)


def _heading_numbering(doc: Any) -> str:
    """The w:numId of the outline numbering (1, 1.1, 1.1.1) body headings carry, added to the document's
    numbering part once."""
    from lxml import etree

    numbering = doc.part.numbering_part.element
    cached = getattr(doc, "_qms_outline", None)
    if cached is not None:
        return cached
    abstract_ids = [int(a.get(_w("abstractNumId"))) for a in numbering.findall(_w("abstractNum"))
                    if (a.get(_w("abstractNumId")) or "").isdigit()]
    num_ids = [int(n.get(_w("numId"))) for n in numbering.findall(_w("num")) if (n.get(_w("numId")) or "").isdigit()]
    abstract_id, num_id = str(max(abstract_ids, default=0) + 1), str(max(num_ids, default=0) + 1)
    sub = etree.SubElement
    abstract = numbering.makeelement(_w("abstractNum"), {_w("abstractNumId"): abstract_id})
    sub(abstract, _w("multiLevelType")).set(_w("val"), "multilevel")
    for level in range(3):
        lvl = sub(abstract, _w("lvl"), {_w("ilvl"): str(level)})
        sub(lvl, _w("start")).set(_w("val"), "1")
        sub(lvl, _w("numFmt")).set(_w("val"), "decimal")
        sub(lvl, _w("lvlText")).set(_w("val"), ".".join(f"%{i + 1}" for i in range(level + 1)))
        sub(lvl, _w("lvlJc")).set(_w("val"), "left")
        indent = 567 + 284 * level
        sub(sub(lvl, _w("pPr")), _w("ind"), {_w("left"): str(indent), _w("hanging"): str(indent)})
    first_num = numbering.find(_w("num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = sub(numbering, _w("num"), {_w("numId"): num_id})
    sub(num, _w("abstractNumId")).set(_w("val"), abstract_id)
    doc._qms_outline = num_id
    return num_id


def number_heading(doc: DocxDocument, paragraph: Paragraph, level: int) -> None:
    """Show the heading's outline number (Word list numbering: the heading's text stays its own)."""
    from lxml import etree

    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = etree.Element(_w("numPr"))
    etree.SubElement(num_pr, _w("ilvl")).set(_w("val"), str(level - 1))
    etree.SubElement(num_pr, _w("numId")).set(_w("val"), _heading_numbering(doc))
    style = p_pr.find(_w("pStyle"))
    if style is not None:
        style.addnext(num_pr)  # schema order: pStyle, keepNext, keepLines, ..., numPr (python-docx sets only pStyle)
    else:
        p_pr.insert(0, num_pr)


def fill_contents(paragraph: Paragraph, headings: Sequence[tuple[int, str, str]]) -> None:
    """The table of contents, written out: a TOC field whose result is one line per heading (number and
    text, indented by level), so Word and a PDF show it as built; Word can still update it with page numbers."""
    from docx.oxml import OxmlElement
    from lxml import etree

    def fld(p: Any, kind: str) -> None:
        r = etree.SubElement(p, _w("r"))
        etree.SubElement(r, _w("fldChar")).set(_w("fldCharType"), kind)

    first = paragraph._p
    fld(first, "begin")
    r = etree.SubElement(first, _w("r"))
    instr = etree.SubElement(r, _w("instrText"))
    instr.set(XML_SPACE, "preserve")
    instr.text = TOC_INSTR
    fld(first, "separate")
    entries = list(headings) or [(1, "", "No headings.")]
    current = first
    for i, (level, number, text) in enumerate(entries):
        if i:
            p = OxmlElement("w:p")
            current.addnext(p)
            current = p
        p_pr = current.find(_w("pPr"))
        if p_pr is None:
            p_pr = etree.Element(_w("pPr"))
            current.insert(0, p_pr)
        indent = 284 * (level - 1)
        tab = etree.SubElement(etree.SubElement(p_pr, _w("tabs")), _w("tab"))
        tab.set(_w("val"), "left")
        tab.set(_w("pos"), str(indent + 851))
        etree.SubElement(p_pr, _w("spacing")).set(_w("after"), "40")
        ind = etree.SubElement(p_pr, _w("ind"))  # the number hangs, the heading text aligns after it
        ind.set(_w("left"), str(indent + 851))
        ind.set(_w("hanging"), "851")
        run = etree.SubElement(current, _w("r"))
        if level == 1:
            etree.SubElement(etree.SubElement(run, _w("rPr")), _w("b"))
        _fill_run(run, f"{number}\t{text}" if number else text)
    fld(current, "end")


# ---------------------------------------------------------------------------------------------- document

def landscape(doc: DocxDocument) -> None:
    """Turn the (single-section) document to landscape with 1.5 cm side margins, for wide tables."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = doc.sections[0]
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE
    if width is not None and height is not None:  # a template section without a size keeps Word's default
        section.page_width, section.page_height = max(width, height), min(width, height)
    section.left_margin = section.right_margin = Cm(1.5)


@dataclass(frozen=True)
class Approval:
    name: str
    role: str
    meaning: str
    date: dt.date | str


def _date(value: dt.date | str | None) -> str:
    return clean_text(value)


def _free_paragraph(part: Any) -> Any:
    """The header's (footer's) empty first paragraph, or a new paragraph after a template's content (a logo)."""
    first = part.paragraphs[0]
    if len(part.paragraphs) == 1 and not len(first._p.xpath("./w:r | ./w:hyperlink | ./w:fldSimple")):
        return first
    return part.add_paragraph()


class _Body:
    """The body methods every generated document has, and its deterministic bytes."""

    doc: Any
    stamp: dt.datetime

    def heading(self, text: str, level: int = 1) -> Paragraph:
        from .sections import close_wide_section

        if level <= 1:
            close_wide_section(self.doc)  # a wide table's landscape pages end with its chapter
        return self.doc.add_heading(clean_text(text), level=level)

    def paragraph(self, text: Any = "", style: str | None = None) -> Paragraph:
        return self.doc.add_paragraph(clean_text(text), style=style)

    def table(self, header: Sequence[Any], rows: Iterable[Sequence[Any]], widths: Sequence[Any] | None = None) -> Table:
        return add_table(self.doc, header, rows, widths)

    def picture(self, png: bytes, width_inches: float = 6.5) -> Any:
        import io

        from docx.shared import Inches

        return self.doc.add_picture(io.BytesIO(png), width=Inches(width_inches))

    def finish(self) -> DocxDocument:
        return self.doc

    def to_bytes(self) -> bytes:
        return docx_bytes(self.finish(), self.stamp)

    def save(self, path: Path) -> None:
        write_bytes(path, self.to_bytes())


class ControlledDocument(_Body):
    """A controlled Word document: build the frame, add the body, then `finish()` (or `to_bytes()` / `save()`).

    `approved` says whether valid approvals release its current content: then `effective` is the date it
    took effect, else it is a DRAFT (on the title page and in every page header) and `effective` is the date
    of the draft. `history` rows are its revisions (RevisionEntry or (revision, date, approved by, reason,
    approval records)), oldest first, as render.control computes them from the approvals; `commits` is the
    reference to the git commits behind them. `approvals` are Approval or (name, role, meaning, date); when
    empty the approval block is blank signature lines for `signatories`. `records` are the IDs of every
    record the document draws on (listed sorted and unique at the end), `commit` the git commit the
    document was generated from.
    """

    def __init__(self, config: RepoConfig, doc_type: str, title: str, *, number: int | str, revision: str,
                 effective: dt.date | str, records: Iterable[str], commit: str, approved: bool = False,
                 history: Iterable[RevisionEntry | Sequence[Any]] = (),
                 approvals: Iterable[Approval | Sequence[Any]] = (), commits: SourceCommits | None = None,
                 signatories: Sequence[str] = DEFAULT_SIGNATORIES, stamp: dt.datetime = EPOCH,
                 template: bytes | None = None, names: Names | None = None, registered: bool = True) -> None:
        self.config = config
        self.names = names or Names()  # how the source-records list names each record
        self.doc_type = doc_type
        self.title = clean_text(title)
        self.number = clean_text(number if isinstance(number, str) else document_number(config, doc_type, number))
        self.registered = registered  # False: a provisional number, not yet in the number register
        self.revision = clean_text(revision)
        self.approved = approved
        self.effective = _date(effective)
        self.records = sorted({clean_text(r) for r in records})
        self.commit = clean_text(commit)
        self.history = [h if isinstance(h, RevisionEntry) else RevisionEntry(*h) for h in history]
        self.approvals = [a if isinstance(a, Approval) else Approval(*a) for a in approvals]
        self.commits = commits
        self.signatories = tuple(signatories)
        self.stamp = stamp
        self._finished = False
        self._counters = [0, 0, 0]
        self.headings: list[tuple[int, str, str]] = []
        self.doc = new_document(f"{self.number} {self.title}", stamp, template)
        use_embeddable_fonts(self.doc)
        props = self.doc.core_properties
        props.identifier = self.number
        props.version = self.revision
        props.subject = self.title
        props.content_status = "Approved" if approved else "Draft"
        self._header_footer()
        self._title_page()
        self._front_matter()

    @property
    def state(self) -> str:
        """The approval state the index and manifest show: approved or draft."""
        return "approved" if self.approved else "draft"

    @property
    def standing(self) -> str:
        """`Effective 2026-12-02`, or `Draft of 2026-11-25` (never called effective)."""
        return f"Effective {self.effective}" if self.approved else f"Draft of {self.effective}"

    # -- frame
    def _header_footer(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Twips

        section = self.doc.sections[0]  # landscape sections added later share this header and footer
        header = _free_paragraph(section.header)
        header.text = f"{self.number}   Rev. {self.revision}   {self.standing}"
        # The title's tab stop a clear gap after the text before it (measured at the Header style's size or
        # above): with only the default stops, a text ending just short of one ran into the title.
        size = header.style.font.size.pt if header.style is not None and header.style.font.size else 9.0
        header.paragraph_format.tab_stops.add_tab_stop(Twips(int(text_width(header.text, max(size, 9.0))) + 340))
        header.add_run("\t")
        header.add_run(self.title)
        if not self.approved:  # a line of its own on every page, whatever the length of the title
            section.header.add_paragraph().add_run(DRAFT).bold = True
        footer = _free_paragraph(section.footer)
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = "" if self.approved else f"   {DRAFT}"
        footer.add_run(clean_text(f"{self.config.company.name}   {self.number} Rev. {self.revision}{mark}   Page "))
        add_field(footer, " PAGE ", "1")
        footer.add_run(" of ")
        add_field(footer, " NUMPAGES ", "1")

    def _title_page(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        doc, cfg = self.doc, self.config
        company = doc.add_paragraph()
        company.alignment = WD_ALIGN_PARAGRAPH.CENTER
        company.add_run(clean_text(cfg.company.name)).bold = True
        device = cfg.device.name + (f" ({cfg.device.model})" if cfg.device.model else "")
        doc.add_paragraph(clean_text(device)).alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.add_paragraph(self.title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not self.approved:
            mark = doc.add_paragraph()
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            mark.add_run(DRAFT).bold = True
        signed = "; ".join(f"{a.name} ({a.role})" if a.role else a.name for a in self.approvals
                           if a.meaning in ("Approval", "Release"))
        add_table(doc, ("Item", "Value"), [
            ("Document number", self.number if self.registered else f"{self.number} (provisional: not registered)"),
            ("Revision", self.revision),
            ("Approval state", f"Approved by {signed}" if self.approved and signed else
                               "Approved" if self.approved else DRAFT),
            ("Effective date" if self.approved else "Draft of", self.effective),
            ("Manufacturer", cfg.company.name),
            ("Device", device),
            ("Generated from commit", self.commit),
        ])
        doc.add_page_break()

    def _front_matter(self) -> None:
        doc = self.doc
        doc.add_heading("Revision history", level=1)
        if self.history:
            add_table(doc, REVISION_HEADER, [(h.revision, _date(h.date), h.approved_by, h.reason, h.approval)
                                             for h in self.history])
        else:
            doc.add_paragraph("No revision history recorded.")
        doc.add_paragraph(self._commit_note())
        doc.add_heading("Approvals", level=1)
        if self.approvals:
            add_table(doc, APPROVAL_HEADER, [(a.name, a.role, a.meaning, _date(a.date)) for a in self.approvals])
        if not self.approved:
            doc.add_paragraph("Not yet approved. Sign below:" if not self.approvals else
                              "Not yet approved: the signatures above do not release this content. Sign below:")
            add_table(doc, SIGNATURE_HEADER, [(role, BLANK_LINE, BLANK_LINE, "____________")
                                              for role in self.signatories])
        doc.add_heading("Contents", level=1)
        self._toc = doc.add_paragraph()
        doc.add_page_break()

    def _commit_note(self) -> str:
        """Where the git commits went: revisions are approvals; the commits are a reference, in the audit trail."""
        note = "A revision is an approved release of this document's content, signed electronically."
        c = self.commits
        if c is not None and c.count:
            note += (f" The {c.count} git commit(s) that changed its source records, the latest {c.latest} of "
                     f"{_date(c.date)}, are listed change by change in the audit trail (audit_trail.xlsx).")
        if c is not None and c.gap:
            note += f" {c.gap}"
        return clean_text(note)

    # -- body headings: numbered here alone (1, 1.1, 1.1.1, Word list numbering), so the page and the contents
    # agree; callers pass unnumbered titles
    def heading(self, text: str, level: int = 1) -> Paragraph:
        level = max(1, min(level, len(self._counters)))
        self._counters[level - 1] += 1
        for i in range(level, len(self._counters)):
            self._counters[i] = 0
        number = ".".join(str(n) for n in self._counters[:level])
        paragraph = super().heading(text, level)
        number_heading(self.doc, paragraph, level)
        self.headings.append((level, number, clean_text(text)))
        return paragraph

    # -- closing
    def finish(self) -> DocxDocument:
        """Append the closing section (once) and return the python-docx Document."""
        if not self._finished:
            self._finished = True
            doc = self.doc
            self.heading("Source records")
            doc.add_paragraph(f"Generated by QMS Generator from commit {self.commit} "
                              f"of the quality repository, drawing on {len(self.records)} record(s).")
            if self.records:
                add_table(doc, ("Record",), [(self.names.title(r),) for r in self.records])
            fill_contents(self._toc, self.headings)
        return self.doc


# ---------------------------------------------------------------------------------------------- the factory

class DocumentSet:
    """The one factory every generated document goes through.

    It holds what the frame of each document needs: the repository settings, the commit the documents are
    generated from, the date of a draft (`effective`: the as-of date), the `DOC-` records (by document
    number) that control generated documents, every signed approval, the change controls, each record's
    source file (`paths`) and `history(record_ids)`, the git commits that changed a document's source records
    (a reference only: git commits are not revisions).

    A generated document is controlled by the `DOC-` record carrying its number (NWM-RMP-001 is DOC-001)
    and by its `subject`, the record it reports on when that is approvable (a CAPA, a change control). Its
    revisions are their approved releases (render.control): the DOC- record's `revision` is the letter of its
    current content; without one the first release is `numbering.first_revision`. Without a valid approval
    of the current content it is a DRAFT of the as-of date. An approval counts while it is signed (not
    revoked) and the integrity rules name no error on it (`disregard`, from the build's validation).

    `template` is the company's reference .docx (render.docx.read_template; `for_records` reads it when
    given the repository `root`): every document takes its styles, page setup and header/footer logo.
    """

    def __init__(self, config: RepoConfig, *, effective: dt.date | str, commit: str = "unknown",
                 records: RecordSet | None = None, history: History = no_history, template: bytes | None = None,
                 numbers: Numbers | None = None) -> None:
        from ..model.canonical import content_hash
        from ..model.labels import label
        from .numbers import Numbers

        self.config = config
        self.numbers = numbers if numbers is not None else Numbers(config)  # render.numbers: the number register
        self.template = template
        self.effective = effective
        self.names = Names(records)
        self.commit = commit
        self.history = history
        self.paths: dict[str, str] = {}
        self.controlled: dict[str, Document] = {}
        self.signatures: dict[str, list[Signature]] = {}  # record ID -> its signed approvals, oldest first
        self.current: dict[str, str] = {}  # record ID -> its content hash now, for the records signatures sign
        self.changes: dict[str, list[tuple[str, dt.date | None]]] = {}  # record ID -> (change ID, approved date)
        self.faulted: frozenset[str] = frozenset()
        if records is None:
            return
        self.paths = {rid: source.file for rid, source in records.sources.items()}
        for doc in records.of_kind("document"):
            if isinstance(doc, Document) and not doc.retired:
                self.controlled.setdefault(doc.number or doc.id, doc)
        names = {u.id: u.name for u in records.of_kind("user") if isinstance(u, User)}
        roles = {r.id: r.title for r in records.of_kind("role") if isinstance(r, Role)}
        approvals = [a for a in records.of_kind("approval") if isinstance(a, ApprovalRecord)]
        for apr in sorted(approvals, key=lambda a: (a.signed, a.id)):
            signed = records.get(apr.record)
            if apr.retired or signed is None:
                continue  # revoked, or the record it signed is gone
            if signed.id not in self.current:
                self.current[signed.id] = content_hash(signed)
            at = apr.signed if apr.signed.tzinfo is not None else apr.signed.replace(tzinfo=dt.UTC)
            self.signatures.setdefault(signed.id, []).append(Signature(
                apr.id, signed.id, apr.record_hash, apr.printed_name or names.get(apr.signer.id, apr.signer.id),
                roles.get(apr.role.id, apr.role.id) if apr.role is not None else "",
                label(type(apr), "meaning", apr.meaning), apr.meaning, at, apr.comment or ""))
        for change in records.of_kind("change"):
            if isinstance(change, ChangeControl) and change.status in APPROVED_OR_LATER:
                for ref in {change.id, *(a.id for a in change.affected)}:  # a change record is its own reason
                    self.changes.setdefault(ref, []).append((change.id, change.approved))

    def disregard(self, findings: Iterable[Finding]) -> None:
        """Approvals an error finding names (the integrity rules: wrong role, inactive signer, unsigned or
        foreign commit, ...) release nothing."""
        self.faulted = self.faulted | {f.record for f in findings
                                       if f.severity == "error" and f.record in self.approval_ids()}

    def approval_ids(self) -> set[str]:
        return {s.id for sigs in self.signatures.values() for s in sigs}

    @classmethod
    def for_records(cls, records: RecordSet, *, effective: dt.date | str, commit: str = "unknown",
                    history: History = no_history, root: Path | None = None) -> DocumentSet:
        """The documents of `records`; with the repository `root`, in the look of its template."""
        from .dossier_sections import document_keys
        from .numbers import Numbers, read_register

        config = _required(records.config)
        template = read_template(root, config) if root is not None else None
        register = read_register(root)[0] if root is not None else None
        return cls(config, effective=effective, commit=commit, records=records, history=history,
                   template=template, numbers=Numbers(config, register, document_keys(records)))

    @classmethod
    def on_demand(cls, root: Path, config: RepoConfig | None, records: RecordSet | None = None, *,
                  effective: dt.date | str) -> DocumentSet:
        """For a command run outside `qms build` (capa report, kpi --out, recall --out): the frame the
        dossier gives, from the repository's current commit, its template and, with `records`, the git
        history of their files. Without records (recall --fast) only qms.yaml: no DOC- records, approvals
        or history."""
        from ..gitio.state import git_state
        from .numbers import Numbers, read_register
        from .revisions import git_history

        config = _required(config)
        state = git_state(root)
        if records is None:
            return cls(config, effective=effective, commit=state.source, template=read_template(root, config),
                       numbers=Numbers(config, read_register(root)[0]))
        history = no_history if state.dirty is None else git_history(
            root, {rid: source.file for rid, source in records.sources.items()})
        return cls.for_records(records, effective=effective, commit=state.source, history=history, root=root)

    def source_paths(self, record_ids: Iterable[str]) -> list[str]:
        """The files the records were loaded from, sorted and unique (what the git history is read for)."""
        return sorted({self.paths[r] for r in record_ids if r in self.paths})

    def number(self, doc_type: str, key: str) -> str:
        """The number of the document `doc_type:key` from the number register (render.numbers), or the
        provisional number it would be given."""
        return self.numbers.number(doc_type, key)

    def control(self, doc_type: str, key: str, subject: str | None = None) -> Control:
        """The control of a document: its revisions, approval state and date (render.control)."""
        code = self.number(doc_type, key)
        doc_record = self.controlled.get(code)
        by = tuple(dict.fromkeys(r for r in (doc_record.id if doc_record is not None else None, subject)
                                 if r is not None))
        signatures = [s for rid in by for s in self.signatures.get(rid, ()) if s.id not in self.faulted]
        changes = [(self.names.title(cid), day) for cid, day in
                   dict.fromkeys(c for rid in by for c in self.changes.get(rid, ()))]
        return control(code, by, {rid: self.current[rid] for rid in by if rid in self.current}, signatures,
                       changes, first_revision=self.config.numbering.first_revision,
                       doc_revision=doc_record.revision if doc_record is not None else None,
                       as_of=_date(self.effective))

    def document(self, doc_type: str, key: str, title: str, *, records: Iterable[str] = (),
                 subject: str | None = None, signatories: Sequence[str] = DEFAULT_SIGNATORIES) -> ControlledDocument:
        """A controlled document of `doc_type`, its number registered under `doc_type:key` (a record ID, or a
        fixed name such as "report" for the one document of its type), drawing on `records`.

        `subject` is the record the document reports on when it is itself approvable (a CAPA, a change
        control): its approvals control the document with the document record's.
        """
        ctl = self.control(doc_type, key, subject)
        ids = set(records) | set(ctl.controlled_by)
        ids.update(s.id for s in ctl.signatures)
        ids.update(a for h in ctl.history for a in h.approval.split("\n") if a)
        ids.update(cid for rid in ctl.controlled_by for cid, _ in self.changes.get(rid, ()))
        approvals = [Approval(s.name, s.role, s.meaning, s.signed.isoformat()) for s in ctl.signatures]
        return ControlledDocument(self.config, doc_type, title, number=ctl.number, revision=ctl.revision,
                                  effective=ctl.date, approved=ctl.approved, records=ids, commit=self.commit,
                                  history=ctl.history, approvals=approvals, commits=self.history(sorted(ids)),
                                  signatories=signatories, template=self.template, names=self.names,
                                  registered=self.numbers.registered(doc_type, key))


def _required(config: RepoConfig | None) -> RepoConfig:
    if config is None:
        raise QmsError("qms.yaml is missing or invalid: controlled documents need its company, device "
                       "and numbering settings")
    return config


class UncontrolledCopy(_Body):
    """A plain Word document with the same body methods as ControlledDocument, for a command run outside
    `qms build` that was given no DocumentSet: its first line says it is an uncontrolled copy."""

    NOTE = "Uncontrolled copy: generated on demand, outside the controlled dossier (`qms build`)."

    def __init__(self, title: str, stamp: dt.datetime = EPOCH, template: bytes | None = None) -> None:
        self.title = clean_text(title)
        self.stamp = stamp
        self.doc = new_document(self.title, stamp, template)
        use_embeddable_fonts(self.doc)
        self.doc.add_paragraph(self.NOTE)
