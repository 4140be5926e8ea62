"""The cache folder `.qms-cache/` and the one check every cache in it makes before it is read or written:
that git tracks nothing in it. Apart from the caches' codecs, so a replayed `qms validate` imports no model."""

from __future__ import annotations

import subprocess
from pathlib import Path

CACHE_DIR = ".qms-cache"


def tracked_by_git(root: Path) -> bool:
    """Whether git tracks anything under the cache folder; when git cannot say inside a work tree, yes."""
    if not any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents)):
        return False
    try:
        proc = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--cached", "--", CACHE_DIR],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return True
    return proc.returncode != 0 or bool(proc.stdout)
