"""Styled, deterministic Excel workbooks (openpyxl).

openpyxl stamps the wall-clock time into docProps/core.xml and into every zip
entry; `save_workbook` pins both, so the same content gives the same bytes and
a dossier can be verified by hash.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..atomic import write_bytes
from ..xmltext import xml_text

EPOCH = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
GAP_FILL = PatternFill("solid", fgColor="F8CBAD")
OK_FILL = PatternFill("solid", fgColor="C6EFCE")
WARN_FILL = PatternFill("solid", fgColor="FFEB9C")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def table_sheet(wb: Workbook, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]],
                widths: Sequence[int] | None = None) -> Worksheet:
    """A sheet with a styled, frozen, filterable header row and the given rows."""
    ws = wb.create_sheet(title)
    ws.append([_cell(h) for h in header])
    for cell in ws[1]:
        cell.fill, cell.font, cell.alignment, cell.border = HEADER_FILL, HEADER_FONT, WRAP, BORDER
    count = 0
    for row in rows:
        ws.append([_cell(v) for v in row])
        count += 1
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment, cell.border = WRAP, BORDER
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # record text is never a formula (CWE-1236)
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(header)))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    fitted = content_widths(ws, len(header))
    for i in range(1, len(header) + 1):
        width = widths[i - 1] if widths and i - 1 < len(widths) else fitted[i - 1]
        ws.column_dimensions[get_column_letter(i)].width = width
    print_setup(ws)
    return ws


def content_widths(ws: Worksheet, ncols: int) -> list[int]:
    """Column widths (characters) from the longest line in each column, between 8 and 60."""
    longest = [8] * ncols
    for row in ws.iter_rows(max_col=ncols, values_only=True):
        for i, value in enumerate(row):
            if value is not None:
                text = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
                longest[i] = max(longest[i], *(len(line) for line in text.splitlines() or [""]))
    return [min(60, n + 2) for n in longest]


def print_setup(ws: Worksheet) -> None:
    """Printed as a reader expects: A4 landscape, all columns on the width of a page (as many pages down as
    it takes), the header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def bulk_workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]], Sequence[int] | None]]) -> Workbook:
    """A write-only workbook of large tables (an audit trail of 100,000 field changes): the header row is
    styled, frozen and filterable as in `table_sheet`, the data cells are plain, so each row costs one
    append rather than a style object per cell."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    for title, header, rows, widths in sheets:
        ws = wb.create_sheet(title)
        for i, name in enumerate(header, 1):
            width = widths[i - 1] if widths and i - 1 < len(widths) else max(10, min(60, len(str(name)) + 4))
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        print_setup(ws)
        cells = []
        for name in header:
            cell = WriteOnlyCell(ws, value=_cell(str(name)))
            cell.fill, cell.font, cell.alignment, cell.border = HEADER_FILL, HEADER_FONT, WRAP, BORDER
            cells.append(cell)
        ws.append(cells)
        count = 0
        for row in rows:
            values = []
            for v in row:
                v = _cell(v)
                if isinstance(v, str) and v.startswith("="):  # record text is never a formula (CWE-1236)
                    text = WriteOnlyCell(ws, value=v)
                    text.data_type = "s"
                    v = text
                values.append(v)
            ws.append(values)
            count += 1
        ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(header)))}{count + 1}"
    return wb


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        value = "; ".join(str(v) for v in value)
    return xml_text(value) if isinstance(value, str) else value  # openpyxl refuses what XML 1.0 cannot hold


def workbook_bytes(wb: Workbook, created: dt.datetime | None = None) -> bytes:
    """The workbook's bytes with fixed document and zip timestamps."""
    stamp = created or EPOCH
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "QMS Generator"
    buffer = io.BytesIO()
    wb.save(buffer)
    return pin_zip(buffer.getvalue(), stamp)


_STAMPS = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def pin_zip(data: bytes, stamp: dt.datetime = EPOCH) -> bytes:
    """Rewrite an OOXML package with fixed entry times and fixed 'created' and 'modified' properties.

    openpyxl and python-docx both stamp the save time; the package is otherwise deterministic.
    """
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMPS.sub(rb"\g<1>" + iso + rb"\g<3>", content)
            pinned = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o600 << 16
            dst.writestr(pinned, content)
    return out.getvalue()


def save_workbook(wb: Workbook, path: Path, created: dt.datetime | None = None) -> None:
    write_bytes(path, workbook_bytes(wb, created))
