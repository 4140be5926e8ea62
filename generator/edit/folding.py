"""Where a changed folded block (`>-`) breaks its lines: where it broke before, as far as the text allows.

A folded scalar's line breaks are layout, not content, so the new text could be written on one line; a
reviewer then sees the whole paragraph as changed. Instead the old breaks are kept between the words
that are still there side by side, and a line the edit makes longer than the old block's widest line is
broken again at a space. An unchanged line of the block then stays byte-identical.
"""

from __future__ import annotations

import difflib
import re

WIDTH = 98  # a block that was one line is broken like the repository's own rendering (100 with its indent)
NARROWEST = 72  # a block of a few short lines is not made narrower still


def fold_positions(old: str, old_folds: list[int], new: str) -> list[int]:
    """Indexes of the spaces in `new` where the folded block breaks its lines."""
    spaces = [m.start() for m in re.finditer(r"(?<=\S) (?=\S)", new)]  # a break needs a word on each side
    if not spaces:
        return []
    width = max([NARROWEST, *(b - a for a, b in _lines(old, old_folds))]) if old_folds else WIDTH
    preferred = _mapped(old, old_folds, new)
    folds: list[int] = []
    start, candidate = 0, None
    for space in spaces:
        if space - start > width and candidate is not None:
            folds.append(candidate)
            start = candidate + 1
        if space in preferred:
            folds.append(space)
            start, candidate = space + 1, None
            continue
        candidate = space
    if len(new) - start > width and candidate is not None:
        folds.append(candidate)
    return folds


def _lines(text: str, folds: list[int]) -> list[tuple[int, int]]:
    bounds = [-1, *folds, len(text)]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]


def _mapped(old: str, old_folds: list[int], new: str) -> set[int]:
    """The spaces of `new` that sit where an old break did, between the same two unchanged words."""
    old_words = [(m.start(), m.end()) for m in re.finditer(r"\S+", old)]
    new_words = [(m.start(), m.end()) for m in re.finditer(r"\S+", new)]
    after = {i for i, (_, end) in enumerate(old_words) if end in old_folds}  # a break follows old word i
    matcher = difflib.SequenceMatcher(None, [old[a:b] for a, b in old_words], [new[a:b] for a, b in new_words],
                                      autojunk=False)
    out: set[int] = set()
    for block in matcher.get_matching_blocks():
        for k in range(block.size - 1):  # both words around the break unchanged
            if block.a + k in after:
                out.add(new_words[block.b + k][1])
    return out
