"""Writes that never leave a half-written file: the one helper lives at the ground (generator/atomic.py)."""

from __future__ import annotations

from ..atomic import create_new, write_bytes, write_text

__all__ = ["create_new", "write_bytes", "write_text"]
