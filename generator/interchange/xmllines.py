"""The line each identified element of an XML text starts on, for lines of any size.

libxml2 (under lxml, hence under the reqif package) keeps an element's line in a 16-bit field: past
line 65,535 the true line survives only in side data that a copy of the tree drops, and the reqif
package parses a deep copy, so its elements report no line at all there. expat counts lines in a
machine word, so a second, cheap pass with it gives every IDENTIFIER'd element its real line.
"""

from __future__ import annotations

from xml.parsers import expat


def identifier_lines(text: str) -> dict[tuple[str, str], int]:
    """(local tag name, IDENTIFIER) -> the line its start tag is on. The text was checked (no DTD) already."""
    lines: dict[tuple[str, str], int] = {}
    parser = expat.ParserCreate(encoding="utf-8")  # the text is decoded already: its declaration no longer applies

    def start(tag: str, attrs: dict[str, str]) -> None:
        identifier = attrs.get("IDENTIFIER")
        if identifier is not None:
            lines.setdefault((tag.rpartition(":")[2], identifier), parser.CurrentLineNumber)

    parser.StartElementHandler = start
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError:  # lxml read it; a disagreement only costs the line numbers
        pass
    return lines
