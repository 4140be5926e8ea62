"""The fonts generated documents are set in: the template's own when this machine has them, else Carlito.

A PDF embeds the fonts the converting machine has. A template font it lacks (Calibri and Cambria on
Linux) would be replaced by whatever fontconfig offers, with other metrics (DejaVu): lines, tables and
page breaks would no longer be what the layout measured. So each theme font (headings, body) the machine
cannot provide is replaced in the document by Carlito (fonts-crosextra-carlito), metric-compatible with
Calibri and free to embed, and the build says so. `fc-match` answers what is installed.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

FALLBACK = "Carlito"
THEME_REL = "/theme"
_THEME_FONT = re.compile(rb"(<a:(major|minor)Font>\s*<a:latin typeface=\")([^\"]*)(\")")
ROLES = {b"major": "heading", b"minor": "body"}


@functools.cache
def matched(name: str) -> str | None:
    """The family fontconfig renders `name` with, or None without fontconfig."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--format=%{family[0]}", name], capture_output=True, text=True, timeout=30,
                             check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


def installed(name: str) -> bool | None:
    """Whether the font is installed (None: fontconfig cannot tell)."""
    found = matched(name)
    return None if found is None else found.lower() == name.lower()


def _theme(doc: Any) -> Any | None:
    for rel in doc.part.rels.values():
        if rel.reltype.endswith(THEME_REL) and not rel.is_external:
            return rel.target_part
    return None


def theme_fonts(doc: DocxDocument) -> dict[str, str]:
    """{"heading": family, "body": family} from the document's theme."""
    part = _theme(doc)
    if part is None:
        return {}
    return {ROLES[m.group(2)]: m.group(3).decode("utf-8", "replace") for m in _THEME_FONT.finditer(part.blob)}


def replacement(name: str) -> str | None:
    """The font to use instead of `name`, or None to keep it: kept when installed, or when fontconfig
    cannot tell (no fc-match: nothing to decide on, the document stays as the template made it)."""
    if not name or name == FALLBACK or installed(name) is not False:
        return None
    return FALLBACK


def use_embeddable_fonts(doc: DocxDocument) -> None:
    """Replace the theme fonts this machine lacks by Carlito, in the document's theme part."""
    part = _theme(doc)
    if part is None:
        return

    def swap(m: re.Match[bytes]) -> bytes:
        new = replacement(m.group(3).decode("utf-8", "replace"))
        return m.group(0) if new is None else m.group(1) + new.encode() + m.group(4)

    replaced = {m.group(3).decode("utf-8", "replace") for m in _THEME_FONT.finditer(part.blob)
                if replacement(m.group(3).decode("utf-8", "replace")) is not None}
    blob = _THEME_FONT.sub(swap, part.blob)
    if blob != part.blob:
        part._blob = blob
    if not replaced:
        return
    # styles naming a replaced theme font directly (Normal: Calibri) follow it; other fonts (Courier) stay
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for rfonts in doc.styles.element.iter(f"{w}rFonts"):
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            if rfonts.get(f"{w}{attr}") in replaced:
                rfonts.set(f"{w}{attr}", FALLBACK)


def body_font(doc: DocxDocument) -> str:
    """The family body text is set in: Normal's or the document default's explicit font, else the theme's."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    styles = doc.styles.element
    candidates = [styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}rFonts")]
    for style in styles.findall(f"{w}style"):
        if style.get(f"{w}styleId") == "Normal":
            candidates.insert(0, style.find(f"{w}rPr/{w}rFonts"))
    fonts = theme_fonts(doc)
    for rfonts in candidates:
        if rfonts is None:
            continue
        if rfonts.get(f"{w}ascii"):
            return rfonts.get(f"{w}ascii")
        theme = rfonts.get(f"{w}asciiTheme") or ""
        if theme.startswith("major"):
            return fonts.get("heading", FALLBACK)
        if theme.startswith("minor"):
            return fonts.get("body", FALLBACK)
    return fonts.get("body", FALLBACK)


def font_notes(doc: DocxDocument) -> list[str]:
    """What the build should say about fonts, for the template's fonts as given (before replacement)."""
    notes = []
    for role, name in sorted(theme_fonts(doc).items()):
        new = replacement(name)
        if new is not None:
            notes.append(f"fonts: the template's {role} font {name} is not installed (fc-match gives "
                         f"{matched(name)}), so documents use {new}"
                         + (" (metric-compatible)" if name.lower() == "calibri" else ""))
    if notes and installed(FALLBACK) is False:
        notes.append(f"fonts: {FALLBACK} is not installed either (Debian: fonts-crosextra-carlito); PDFs "
                     f"substitute {matched(FALLBACK)}")
    if matched(FALLBACK) is None:
        notes.append("fonts: fontconfig (fc-match) is not available, so the template's fonts are used as they are")
    return notes
