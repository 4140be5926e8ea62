"""Deterministic Word documents: fixed core properties and a pinned zip, so the same records give the same bytes.

Shared by every Word renderer (recall summary, KPI review, CAPA report).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from .atomic import write_bytes
from .xlsx import EPOCH, pin_zip


def new_document(title: str, stamp: dt.datetime = EPOCH) -> Any:
    """A python-docx Document whose core properties carry no wall-clock time or user name."""
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "QMS Generator"
    props.title = title
    props.created = props.modified = stamp
    props.revision = 1
    return doc


def docx_bytes(doc: Any, stamp: dt.datetime = EPOCH) -> bytes:
    """The saved package with fixed entry times and fixed created/modified properties."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return pin_zip(buffer.getvalue(), stamp)


def save_docx(doc: Any, path: Path, stamp: dt.datetime = EPOCH) -> None:
    """Write the document atomically (temporary file, then rename)."""
    write_bytes(path, docx_bytes(doc, stamp))
