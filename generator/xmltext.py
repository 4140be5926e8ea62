"""Text that XML 1.0 can hold: the one guard every writer (Word, Excel, ReqIF) puts before record text.

Records are checked at load (control characters are refused there), but a writer does not trust its
input: a character XML 1.0 forbids (C0 controls other than tab, line feed and carriage return, lone
surrogates, U+FFFE, U+FFFF) would make python-docx or openpyxl raise, or a ReqIF file malformed. Each
one becomes U+FFFD REPLACEMENT CHARACTER, so a reader sees that something was there instead of
silently losing it.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids shown as U+FFFD."""
    return FORBIDDEN.sub(REPLACEMENT, text)
