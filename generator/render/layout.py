"""Table geometry for Word documents: column widths from content, measured with Carlito's font metrics.

Carlito is metric-compatible with Calibri (same advance widths), so one table serves both; a document in
another font is measured with a safety factor. A column never gets narrower than its longest unbreakable
token (an ID such as REQ-0001, a word, a SHA-256 value), so the line breaker of Word or
LibreOffice never has to split one; the rest of the width goes to the columns whose text wraps.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Advance widths of Carlito 1.103 (fonts-crosextra-carlito, metric-compatible with Calibri), per 1000 em,
# for the printable ASCII characters 32..126, read from its hmtx table.
_REGULAR = (226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, 507, 507, 507, 507,
            507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533, 615, 488, 459, 631,
            623, 252, 319, 520, 420, 855, 646, 662, 517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 307,
            386, 307, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455, 229, 799, 525, 527,
            525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498)
_BOLD = (226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430, 507, 507, 507, 507,
         507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463, 898, 606, 561, 529, 630, 488, 459, 637,
         631, 267, 331, 547, 423, 874, 659, 676, 532, 686, 563, 473, 495, 653, 591, 906, 551, 520, 478, 325,
         430, 325, 498, 498, 300, 494, 537, 418, 537, 503, 316, 474, 537, 246, 255, 480, 246, 813, 537, 538,
         537, 537, 355, 399, 347, 537, 473, 745, 459, 474, 397, 344, 475, 344, 498)
_OTHER = 600  # a character outside ASCII: wider than most Latin letters
_WIDE = 1000  # East Asian full-width characters
METRIC_FONTS = ("carlito", "calibri")
OTHER_FONT_FACTOR = 1.15  # a font not metric-compatible with Carlito is measured this much wider

# A hyphenated code with a digit (REQ-0001, CAPA-2026-007, NWM-VP-003, 2026-11-25): its hyphens do not break.
_CODE = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])")
_SPACE = re.compile(r"\s+")
_AFTER_HYPHEN = re.compile(r"(?<=[^\W\d]-)(?=[^\W\d])")  # a word's own hyphen (free-flow) may end a line

CELL_MARGINS = 2 * 108  # twips: Table Grid's left and right cell margins
SAFETY = 1.04  # rounding in the renderers' layout


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where the hyphenated codes (IDs, dates) are: their hyphens become non-breaking hyphens."""
    return [m.span() for m in _CODE.finditer(text)]


def text_width(text: str, size: float, bold: bool = False, factor: float = 1.0) -> float:
    """Width of one line of text in twips at `size` points."""
    table = _BOLD if bold else _REGULAR
    units = 0
    for ch in text:
        o = ord(ch)
        if 32 <= o <= 126:
            units += table[o - 32]
        elif o >= 0x1100 and (0x1100 <= o <= 0x115F or 0x2E80 <= o <= 0xA4CF or 0xAC00 <= o <= 0xD7A3
                              or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFF60):
            units += _WIDE
        else:
            units += _OTHER
    return units * size * 20 / 1000 * factor


def tokens(text: str) -> list[str]:
    """The pieces a line breaker may not split: words (a plain word also breaks after its own hyphen),
    codes and hash pieces."""
    out: list[str] = []
    for word in _SPACE.split(text):
        if _CODE.fullmatch(word) or "-" not in word:
            out.append(word)
        else:
            out.extend(p for p in _AFTER_HYPHEN.split(word) if p)
    return out


def cell_extent(text: str, size: float, bold: bool, factor: float) -> tuple[float, float]:
    """(minimum, preferred) width of a cell's text in twips, without margins."""
    lines = text.splitlines() or [""]
    preferred = max(text_width(line, size, bold, factor) for line in lines)
    minimum = max((text_width(t, size, bold, factor) for t in tokens(text)), default=0.0)
    return minimum, preferred


def column_extents(header: Sequence[str], rows: Sequence[Sequence[str]], size: float,
                   factor: float = 1.0) -> tuple[list[int], list[int]]:
    """(minimum, preferred) width of every column in twips, margins included."""
    ncols = len(header)
    low = [0.0] * ncols
    high = [0.0] * ncols
    for r, row in enumerate((header, *rows)):
        for i in range(ncols):
            text = row[i] if i < len(row) else ""
            if not text:
                continue
            lo, hi = cell_extent(text, size, r == 0, factor)
            low[i] = max(low[i], lo)
            high[i] = max(high[i], hi)
    pad = lambda w: int(round(w * SAFETY)) + CELL_MARGINS + 20  # noqa: E731
    return [pad(w) for w in low], [pad(w) for w in high]


def fit(minimum: Sequence[int], preferred: Sequence[int], available: int) -> list[int] | None:
    """Column widths (twips) filling `available`, or None when even the minimum widths do not fit.

    Every column gets at least its minimum; when everything fits on one line each column grows in
    proportion to its text; otherwise the room above the minimums goes to the columns that wrap, in
    proportion to how much they would still need.
    """
    if sum(minimum) > available:
        return None
    if sum(preferred) <= available:
        base, weights = list(preferred), list(preferred)
    else:
        base, weights = list(minimum), [p - m for p, m in zip(preferred, minimum)]
    spare = available - sum(base)
    total = sum(weights)
    if total <= 0:
        weights, total = [1] * len(base), len(base)
    widths = [b + spare * w // total for b, w in zip(base, weights)]
    widths[-1] += available - sum(widths)  # rounding: the table is exactly as wide as the text
    return widths


def squeeze(minimum: Sequence[int], available: int) -> list[int]:
    """When not even the minimums fit: the minimums scaled down to the width (long tokens will wrap)."""
    total = sum(minimum)
    widths = [m * available // total for m in minimum]
    widths[-1] += available - sum(widths)
    return widths
