"""Paths built from data stay in their folder: the one gate every such join goes through.

A record ID or a name read from a foreign file (an import, a workbook row, a record's `data:` field)
becomes part of a file name in many places: dossier documents, drafted records, approvals, imported
records. The schema rules report a malformed ID, but `qms build` and the drafting commands still run
on a repository with errors, so the join itself refuses anything not strictly inside its folder:
absolute paths, `..`, a separator inside one name, NUL and control characters, empty names, and
symbolic links that resolve outside.
"""

from __future__ import annotations

from pathlib import Path

from .findings import QmsError


class UnsafePath(QmsError):
    """A name or relative path from data that would leave its folder (exit 2, or a located finding)."""


def _problem(name: str) -> str | None:
    """Why `name` cannot be one file or folder name, or None."""
    if not isinstance(name, str) or not name:
        return "it is empty"
    if name in (".", ".."):
        return f"'{name}' is not a name of its own"
    if "/" in name or "\\" in name:
        return "it contains a path separator"
    if any(ord(c) < 32 or ord(c) == 127 for c in name) or not name.isprintable():
        return "it contains control characters"
    if name != name.strip():
        return "it starts or ends with white space"
    return None


def _shown(what: str, value: str) -> str:
    return f"{what} {value!r}" if what else repr(value)


def name(value: str, what: str = "") -> str:
    """`value` when it is one plain file name component; UnsafePath (naming `what`) otherwise."""
    why = _problem(value)
    if why is not None:
        raise UnsafePath(f"{_shown(what, value)} cannot name a file: {why}")
    return value


def child(folder: Path, value: str, suffix: str = "", what: str = "") -> Path:
    """`folder / (value + suffix)` for one name from data, refusing what would leave `folder`."""
    path = folder / (name(value, what) + suffix)  # the value alone: "" + ".docx" is no name of its own
    name(path.name, what)
    _stays_inside(folder, path, value, what)
    return path


def inside(folder: Path, rel: str, what: str = "") -> Path:
    """`folder / rel` for a relative POSIX path from data: plain components only (no absolute path, no
    `..`), and, after following the symbolic links that exist, still under `folder`."""
    if not isinstance(rel, str) or not rel:
        raise UnsafePath(f"{what or 'path'} is empty")
    if rel.startswith("/") or "\\" in rel:
        raise UnsafePath(f"{_shown(what, rel)} is not a relative path inside {folder}")
    for part in rel.split("/"):
        why = _problem(part) if part else "it has an empty part"
        if why is not None:
            raise UnsafePath(f"{_shown(what, rel)} does not stay inside {folder}: {why}")
    path = folder.joinpath(*rel.split("/"))
    _stays_inside(folder, path, rel, what)
    return path


def _stays_inside(folder: Path, path: Path, shown: str, what: str) -> None:
    try:
        real_folder, real = folder.resolve(), path.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop (RuntimeError before Python 3.13)
        raise UnsafePath(f"{_shown(what, shown)}: a symbolic link in the way cannot be resolved") from None
    if real == real_folder or not real.is_relative_to(real_folder):
        raise UnsafePath(f"{_shown(what, shown)} leads outside {folder} (through a symbolic link)")


def within(folder: Path, rel: str) -> Path | None:
    """inside() for a caller that reports its own located finding: None where `rel` would leave `folder`."""
    try:
        return inside(folder, rel)
    except UnsafePath:
        return None
