"""A record's canonical content and its hashes.

The canonical content is what a signature or a review stamp binds to: the
record's fields as JSON with sorted keys, no defaults, and neither its status
(the lifecycle state is what approvals move, so it cannot be part of what they
sign), nor its import origin (bookkeeping of where it came from, not what it
says: a record exported and imported elsewhere keeps its review stamps), nor the fingerprints stored on its own links (re-reviewing a downstream
record must not make its own downstream records suspect). Formatting, comments,
key order and the file a record lives in do not change it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .base import Record

_EXCLUDED = {"status", "origin"}
_CANONICAL = {"canonical": True}


def canonical_content(record: Record) -> dict[str, Any]:
    # Ref serialises as its bare ID under the "canonical" context (see base.Ref).
    data = record.model_dump(mode="json", exclude_defaults=True, exclude=_EXCLUDED, context=_CANONICAL)
    data["id"] = record.id
    return data


def canonical_bytes(record: Record) -> bytes:
    return json.dumps(canonical_content(record), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def content_hash(record: Record) -> str:
    """SHA-256 (hex) of the canonical content: what an approval signs.

    Computed once per loaded record and kept with it (the load cache stores it too, so a warm run
    hashes nothing).
    """
    if record._content_hash is None:
        record._content_hash = hashlib.sha256(canonical_bytes(record)).hexdigest()
    return record._content_hash


def fingerprint(record: Record) -> str:
    """Short form of the content hash, stored on links as a review stamp."""
    return content_hash(record)[:8]
