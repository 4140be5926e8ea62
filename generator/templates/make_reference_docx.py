"""Make the reference Word templates, byte for byte (tests/test_templates.py checks the committed files).

- `generator/templates/init/specs/templates/reference.docx`: the clean default `qms init` lays down;
- `specs/templates/reference.docx`: the worked example's Northwind Medical template, with its logo in the header.

A reference template supplies styles (title, headings, tables, captions, lists), the A4 page setup and the
header/footer content (a logo) of every generated document; its body is sample text showing the styles and is
dropped when documents are generated. A company edits its copy in Word. Run from the repository root:

    python generator/templates/make_reference_docx.py
"""

from __future__ import annotations

import io
import math
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

from generator.render.docx import docx_bytes, new_document

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "init" / "specs" / "templates" / "reference.docx"
EXAMPLE = HERE.parent.parent / "specs" / "templates" / "reference.docx"

BLACK, GREY = "000000", "595959"
NAVY, TEAL = (0x1F, 0x3A, 0x5F), (0x1A, 0x8C, 0x8C)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "".join(f"{c:02X}" for c in rgb)


def _style(doc: Any, name: str, size: float, *, bold: bool = False, italic: bool = False, color: str = BLACK,
           before: float | None = None, after: float | None = None, font: str | None = None) -> None:
    from docx.shared import Pt, RGBColor

    style = doc.styles[name]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = RGBColor.from_string(color)
    if font:
        style.font.name = font
    if before is not None:
        style.paragraph_format.space_before = Pt(before)
    if after is not None:
        style.paragraph_format.space_after = Pt(after)


def reference(accent: str = BLACK, logo: bytes | None = None, company: str = "") -> bytes:
    """A reference template: clear styles, A4 portrait with 2 cm margins, and `logo` (PNG) in the header."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = new_document(f"{company + ' ' if company else ''}reference template for generated documents")
    _style(doc, "Normal", 10, font="Calibri", after=4)
    _style(doc, "Title", 24, bold=True, color=accent, after=12)
    _style(doc, "Heading 1", 16, bold=True, color=accent, before=18, after=6)
    _style(doc, "Heading 2", 13, bold=True, color=accent, before=12, after=4)
    _style(doc, "Heading 3", 11, bold=True, color=accent, before=10, after=4)
    _style(doc, "Caption", 9, italic=True, color=GREY, before=2, after=8)
    _style(doc, "Header", 8, color=GREY)
    _style(doc, "Footer", 8, color=GREY)
    _style(doc, "Table Grid", 9)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = section.right_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)
    if logo is not None:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run().add_picture(io.BytesIO(logo), height=Cm(1.2))

    doc.add_paragraph("Reference template", style="Title")
    doc.add_paragraph(
        "QMS Generator takes the styles, page setup and header/footer content (the logo) of this file for every "
        "document it generates, and drops this sample text. Change the look here in Word (Home > Styles, "
        "Layout > Margins, Insert > Header), save as .docx and commit it.")
    doc.add_heading("Heading 1", level=1)
    doc.add_heading("Heading 2", level=2)
    doc.add_heading("Heading 3", level=3)
    doc.add_paragraph("A list item (style List Bullet).", style="List Bullet")
    table = doc.add_table(rows=2, cols=2, style="Table Grid")
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ("Item", "Value", "Style", "Table Grid")):
        cell.text = text
    doc.add_paragraph("Table 1: a caption (style Caption).", style="Caption")
    return docx_bytes(doc)


# ---------------------------------------------------------------------------------------------- the logo

def _png(width: int, height: int, palette: list[tuple[int, int, int]], pixels: list[bytes]) -> bytes:
    """An 8-bit palette PNG whose image data are stored (uncompressed) deflate blocks, so the bytes
    do not depend on the zlib build."""
    raw = b"".join(b"\x00" + row for row in pixels)
    blocks = [raw[i:i + 65535] for i in range(0, len(raw), 65535)] or [b""]
    deflate = b"".join(bytes([int(i == len(blocks) - 1)]) + struct.pack("<HH", len(b), len(b) ^ 0xFFFF) + b
                       for i, b in enumerate(blocks))
    data = b"\x78\x01" + deflate + struct.pack(">I", zlib.adler32(raw))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", b"".join(bytes(c) for c in palette))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def northwind_logo() -> bytes:
    """Northwind Medical's mark: a navy disc with a white north arrow over a teal wave, 240 x 240 pixels."""
    size = 240
    white, navy, teal = 0, 1, 2
    centre, radius = size / 2, size / 2 - 4
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            px, py = x + 0.5 - centre, y + 0.5 - centre
            colour = white
            if px * px + py * py <= radius * radius:
                colour = navy
                # the arrow: a triangle pointing up, apex at the top of the disc
                if -70 <= py <= 30 and abs(px) <= (py + 70) * 0.42:
                    colour = white
                # the wave: a band following a sine across the lower disc
                wave = 62 + 12 * math.sin(px / 18)
                if wave <= py <= wave + 16:
                    colour = teal
            row.append(colour)
        rows.append(bytes(row))
    return _png(size, size, [(255, 255, 255), NAVY, TEAL], rows)


def templates() -> dict[Path, bytes]:
    return {
        DEFAULT: reference(),
        EXAMPLE: reference(_hex(NAVY), northwind_logo(), "Northwind Medical"),
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, data in templates().items():
        if check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path} ({len(data)} bytes)")
    for path in stale:
        print(f"{path} differs from what this script makes; run it to regenerate", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
