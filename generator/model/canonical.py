"""A record's canonical content and its hashes.

The canonical content is what a signature or a review stamp binds to: the
record's fields as JSON with sorted keys, no defaults, and neither its status
(the lifecycle state is what approvals move, so it cannot be part of what they
sign) nor the fingerprints stored on its own links (re-reviewing a downstream
record must not make its own downstream records suspect). Formatting, comments,
key order and the file a record lives in do not change it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .base import Record

_EXCLUDED = {"status"}


def _strip_fingerprints(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) <= {"id", "fingerprint"} and "id" in value:
            return value["id"]
        return {k: _strip_fingerprints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_fingerprints(v) for v in value]
    return value


def canonical_content(record: Record) -> dict[str, Any]:
    data = record.model_dump(mode="json", exclude_defaults=True, exclude=_EXCLUDED)
    data["id"] = record.id
    return _strip_fingerprints(data)


def canonical_bytes(record: Record) -> bytes:
    return json.dumps(canonical_content(record), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def content_hash(record: Record) -> str:
    """SHA-256 (hex) of the canonical content: what an approval signs."""
    return hashlib.sha256(canonical_bytes(record)).hexdigest()


def fingerprint(record: Record) -> str:
    """Short form of the content hash, stored on links as a review stamp."""
    return content_hash(record)[:8]
