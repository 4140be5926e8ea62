"""Where a quality repository is: the folder holding qms.yaml. Apart from the configuration's models, so a
command that may answer from a stored result (`qms validate`) finds its repository without importing them."""

from __future__ import annotations

from pathlib import Path

from .findings import QmsError

MARKER = "qms.yaml"


def find_root(start: Path) -> Path:
    """The quality repository containing `start`: the nearest folder upward holding qms.yaml."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise QmsError(f"no {MARKER} found in {here} or any parent folder; "
                   "run qms inside a quality repository, pass --repo PATH, or create one with `qms init DIR`")
