"""What an .xlsx package says about its sheets, read from the zip before any cell is loaded.

Both readers need this first: calamine (the loader) lays a sheet out as one dense grid from its first to
its farthest cell, so a single cell at XFD1048576 asks for 512 GB and aborts the process; openpyxl (the
import) walks that grid cell by cell and never ends. The `<dimension ref=…>` a sheet declares is read but
cannot be trusted (calamine ignores it: a sheet declaring A1:B2 with a cell at XFD1048576 still aborts),
so the extent comes from the cells' own references. The scan also finds formula cells (calamine shows
only their cached values) and each sheet's visibility.

The XML is searched with byte patterns, never parsed into a tree: a chunk at a time, cut at a tag
boundary, so memory stays small and no entity or DTD is ever expanded.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_ROWS = 1_048_576  # Excel's own limits: a reference beyond them is not a spreadsheet's
MAX_COLUMNS = 16_384
MAX_CELLS = 50_000_000  # the grid calamine lays out (about 32 bytes a cell): rows x columns up to the farthest cell
MAX_LISTED = 50  # formula cells named one by one per sheet
_CHUNK = 8 << 20
_PART_LIMIT = 16 << 20  # workbook.xml and its relationships are small

_TAG_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\s([^>]*)>")
_REL = re.compile(rb"<(?:[\w.-]+:)?Relationship\s([^>]*)>")
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*?ref\s*=\s*["\']([^"\']*)')
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s>/]")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
_FORMULA = (re.compile(rb"<f[\s>/]"), re.compile(rb":f[\s>/]"))  # a cell's formula element, with or without a prefix
_CELL_START = (b"<c ", b":c ", b"<c\t", b"<c\n", b"<c\r")
_REF = re.compile(rb'\sr\s*=\s*["\']([A-Z]*)(\d+)')
_BEYOND = re.compile(rb' r="(?:[A-Z]{4}|[A-Z]{0,3}\d{8})')  # a column past ZZZ or a row past 9,999,999
_ODD_R = (b"r =", b"r\t", b"r\n", b"r\r")
_COLUMN_SEEN = {n: re.compile(rb' r="[A-Z]{%d}\d' % n) for n in (1, 2, 3)}
_DIGITS = {n: re.compile(rb' r="[A-Z]{0,3}\d{%d}"' % n) for n in range(1, 8)}
_NUMBER_OF = {n: re.compile(rb' r="[A-Z]{0,3}(\d{%d})"' % n) for n in range(1, 8)}
_COLUMN_OF = {n: re.compile(rb' r="([A-Z]{%d})\d' % n) for n in (1, 2, 3)}


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


@dataclass
class SheetScan:
    name: str
    state: str = "visible"  # "visible", "hidden" or "veryHidden"
    part: str | None = None  # the sheet's XML inside the zip (None for a chartsheet or a missing part)
    dimension: str | None = None  # as declared; not trusted
    rows: int = 0  # the farthest row and column any cell names (1-based); an upper bound when not `exact`
    columns: int = 0
    beyond: str | None = None  # a reference past Excel's limits, as written
    formulas: list[tuple[int, int, str]] = field(default_factory=list)  # (row, 0-based column, formula text)
    formula_count: int = 0

    @property
    def hidden(self) -> bool:
        return self.state in ("hidden", "veryHidden")

    @property
    def absurd(self) -> bool:
        """A grid no reader should lay out."""
        return (self.beyond is not None or self.rows > MAX_ROWS or self.columns > MAX_COLUMNS
                or self.rows * self.columns > MAX_CELLS)


def _attrs(tag: bytes) -> dict[str, str]:
    out = {}
    for m in _TAG_ATTR.finditer(tag):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        out[m.group(1).decode("utf-8", "replace")] = html.unescape(value.decode("utf-8", "replace"))
    return out


def _small(zf: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _PART_LIMIT:
        raise ValueError(f"{name} is {info.file_size:,} bytes; a workbook's index is small")
    with zf.open(info) as fh:
        return fh.read(_PART_LIMIT + 1)[:_PART_LIMIT]


def _targets(zf: zipfile.ZipFile, rels_name: str, base: str) -> dict[str, str]:
    raw = _small(zf, rels_name) or b""
    out = {}
    for m in _REL.finditer(raw):
        a = _attrs(m.group(1))
        target = a.get("Target", "")
        if a.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[a.get("Id", "")] = path
    return out


def scan_workbook(zf: zipfile.ZipFile) -> list[SheetScan]:
    """Every sheet of the workbook in order, with its visibility, extent and formula cells."""
    book = next((p for p in _targets(zf, "_rels/.rels", "").values() if p.endswith(".xml") and
                 "workbook" in posixpath.basename(p).lower()), "xl/workbook.xml")
    raw = _small(zf, book)
    if raw is None:
        raise ValueError(f"the package has no {book}")
    folder = posixpath.dirname(book)
    parts = _targets(zf, posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels"), folder)
    sheets = []
    for m in _SHEET.finditer(raw):
        a = _attrs(m.group(1))
        rid = next((v for k, v in a.items() if k == "id" or k.endswith(":id")), "")
        sheet = SheetScan(a.get("name", ""), a.get("state", "visible"), parts.get(rid))
        if sheet.part is not None and sheet.part in zf.NameToInfo:
            _scan_sheet(zf, sheet)
        sheets.append(sheet)
    return sheets


def _canonical(data: bytes) -> bool:
    """Whether every `r` attribute in `data` is spelt ` r="…"` (no other quote, no space around '=')."""
    return data.count(b"r=") == data.count(b' r="') and not any(odd in data for odd in _ODD_R)


class _Extent:
    """The farthest row and column the references in a sheet name, gathered a chunk at a time.

    Where every `r=` in a chunk is written ` r="…"` (as Excel and openpyxl write it), the longest column
    name and row number are found by a few C-speed searches and only the longest are counted exactly;
    any other spelling sends that chunk through the general (slower) pattern."""

    def __init__(self) -> None:
        self.letters = self.digits = 0
        self.widest = self.highest = 0  # exact, among 3-letter columns and 7-digit rows
        self.col = self.row = 0  # exact, from chunks read the general way
        self.beyond: str | None = None

    def add(self, data: bytes) -> None:
        if not _canonical(data):
            for m in _REF.finditer(data):
                col, row = column_number(m.group(1).decode()), int(m.group(2)[:12])
                if (col > MAX_COLUMNS or row > MAX_ROWS) and self.beyond is None:
                    self.beyond = (m.group(1) + m.group(2)[:12]).decode()
                self.col, self.row = max(self.col, col), max(self.row, row)
            return
        beyond = _BEYOND.search(data)
        if beyond and self.beyond is None:
            ref = _REF.search(data, beyond.start())
            self.beyond = (ref.group(1) + ref.group(2)[:12]).decode() if ref else "a reference"
        for n in (3, 2, 1):
            if n < self.letters:
                break
            if _COLUMN_SEEN[n].search(data):
                self.letters = max(self.letters, n)
                if n == 3:
                    self.widest = max([self.widest, *(column_number(x.decode()) for x in _COLUMN_OF[3].findall(data))])
                break
        for n in range(7, max(self.digits, 1) - 1, -1):
            if _DIGITS[n].search(data):
                self.digits = max(self.digits, n)
                if n == 7:  # rows past 999,999: count them exactly
                    self.highest = max([self.highest, *map(int, _NUMBER_OF[7].findall(data))])
                break

    def exact(self, data: bytes) -> None:
        """Second pass over a large sheet: the longest references counted exactly."""
        if not _canonical(data) or not self.letters or not self.digits:
            return  # read the general way already (or nothing to count)
        self.widest = max([self.widest, *(column_number(x.decode()) for x in _COLUMN_OF[self.letters].findall(data))])
        self.highest = max([self.highest, *map(int, _NUMBER_OF[self.digits].findall(data))])

    def bounds(self, exact: bool = False) -> tuple[int, int]:
        cols = self.widest if exact or self.letters == 3 else (0, 26, 702)[self.letters]
        rows = self.highest if exact or self.digits == 7 else 10 ** self.digits - 1 if self.digits else 0
        return max(rows, self.row), max(cols, self.col)


def _chunks(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's bytes a chunk at a time, each cut just before its last '<' so no tag is split."""
    carry = b""
    with zf.open(part) as fh:
        while True:
            block = fh.read(_CHUNK)
            if not block:
                if carry:
                    yield carry
                return
            data = carry + block
            cut = data.rfind(b"<")
            data, carry = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
            if len(carry) > _CHUNK:  # one tag of megabytes: not a sheet anyone wrote; search it as it is
                data, carry = data + carry, b""
            yield data


def _sheet_data(zf: zipfile.ZipFile, sheet: SheetScan) -> Iterator[bytes]:
    """The chunks of the sheet's <sheetData>; sets the declared dimension on the way."""
    if sheet.part is None:  # a chartsheet: no cells (the caller scans only sheets with a part)
        return
    inside = False
    for data in _chunks(zf, sheet.part):
        if not inside:
            if sheet.dimension is None:
                d = _DIMENSION.search(data)
                if d:
                    sheet.dimension = d.group(1).decode("ascii", "replace")[:40]
            start = _SHEET_DATA.search(data)
            if start is None:
                continue
            inside, data = True, data[start.end():]
        end = _SHEET_DATA_END.search(data)
        if end is not None:
            yield data[:end.start()]
            return
        yield data


def _scan_sheet(zf: zipfile.ZipFile, sheet: SheetScan) -> None:
    extent = _Extent()
    last_ref: tuple[int, int] | None = None
    for data in _sheet_data(zf, sheet):
        extent.add(data)
        last_ref = _formulas(data, sheet, last_ref)
    sheet.beyond = extent.beyond
    sheet.rows, sheet.columns = extent.bounds()
    if sheet.rows * sheet.columns > MAX_CELLS and not sheet.beyond:
        for data in _sheet_data(zf, sheet):
            extent.exact(data)
        sheet.rows, sheet.columns = extent.bounds(exact=True)


def _formulas(data: bytes, sheet: SheetScan, last_ref: tuple[int, int] | None) -> tuple[int, int] | None:
    """Record the formula cells in `data` (a chunk of sheetData); returns the last cell reference seen."""
    for pos in sorted(m.start() for pattern in _FORMULA for m in pattern.finditer(data)):
        sheet.formula_count += 1
        if len(sheet.formulas) >= MAX_LISTED:
            continue
        ref = _cell_ref(data, pos, last_ref)
        if ref is None:
            continue
        tag_end = data.find(b">", pos)
        text = b"" if tag_end < 0 or data[tag_end - 1:tag_end] == b"/" else data[tag_end + 1:data.find(b"<", tag_end)]
        sheet.formulas.append((ref[0], ref[1], html.unescape(text.decode("utf-8", "replace"))[:40]))
    return _cell_ref(data, len(data), last_ref)


def _cell_ref(data: bytes, pos: int, last_ref: tuple[int, int] | None) -> tuple[int, int] | None:
    """(row, 0-based column) of the cell whose start tag comes last before `pos`."""
    start = max(data.rfind(marker, 0, pos) for marker in _CELL_START)
    if start < 0:
        return last_ref  # the cell began in an earlier chunk
    end = data.find(b">", start)
    m = _REF.search(data, start + 2, end if end >= 0 else len(data))
    if m is None or not m.group(1):
        return None
    return int(m.group(2)[:12]), column_number(m.group(1).decode()) - 1
