"""`qms import doorstop|strictdoc|reqif`: bring requirements over from another tool in one command.

Every import is all or nothing: the whole source is read, mapped and validated before a file is
written, and a bad item stops it with its file and line. `--dry-run` shows what would be written.
Each record keeps its origin (tool, source, ID there) and an import finds its records again only by it;
`--source` names the source when its default name (the tree folder's or the file's) is not stable.
Existing records are left as they are unless `--update` is given, and then only their changed fields
change, and never on an approved or effective record: those are refused by name and the command exits 1
(the other records are written). `--adopt` only adds the origin to records imported before origins
existed (interchange.adopt). The report (text, or `--format json`) accounts for every item and
link read.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..findings import QmsError
from ..interchange.report import Report
from ..interchange.writer import IMPORTABLE, Item, run
from .app import FORMAT, App

_DRY_RUN = click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
_UPDATE = click.option("--update", is_flag=True,
                       help="Change the changed fields of records that already exist (default: leave them).")
_SOURCE = click.option("--source", "source_name", default="", metavar="NAME",
                       help="Name of the source its records are matched on (default: the tree folder's name, "
                            "or the file's).")
_ADOPT = click.option("--adopt", is_flag=True,
                      help="Only add the origin to records imported before origins existed: each record without "
                           "origin whose legacy_id is an item's ID (listed; nothing created; see --dry-run).")
_STATUS = click.option("--status", type=click.Choice(["draft", "approved"]), default="draft", show_default=True,
                       help="Lifecycle state of the records created (approval is this system's own act).")


def _finish(app: App, items: list[Item], report: Report, update: bool, dry_run: bool, status: str,
            fmt: str, source: str = "", adopt: bool = False) -> None:
    from ..interchange.adopt import run_adoption
    from ..lock import repository_lock

    if adopt and update:
        raise QmsError("--adopt and --update: adopt first (it only adds origins), then import with --update")
    # The plan reads which records exist; it and the writes happen under one lock.
    with repository_lock(app.root, f"qms import {report.tool} {report.path}", enabled=not dry_run):
        if adopt:
            run_adoption(app.root, items, report, dry_run=dry_run, source=source)
        else:
            run(app.root, items, report, update=update, dry_run=dry_run, status=status, source=source)
    click.echo(report.json() if fmt == "json" else report.text())
    if report.refused:
        raise SystemExit(1)


def _name(source: str) -> str:
    """--source as given: a name, not blank."""
    if source and not source.strip():
        raise QmsError(f"--source {source!r}: a source needs a name")
    return source.strip()


def _source(path: str, must_be_dir: bool | None = None) -> Path:
    p = Path(path)
    if not p.exists():
        raise QmsError(f"{path}: no such file or folder")
    if must_be_dir is True and not p.is_dir():
        raise QmsError(f"{path}: not a folder (a doorstop tree is a folder holding .doorstop.yml files)")
    if must_be_dir is False and not p.is_file():
        raise QmsError(f"{path}: not a file")
    return p


@click.group("import")
def import_() -> None:
    """Import requirements from doorstop, strictdoc or ReqIF."""


# The command is called `import`, a Python keyword: the lazy loader finds it under that name.
globals()["import"] = import_


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        prefix, sep, kind = pair.partition("=")
        if not sep or not prefix.strip() or kind.strip() not in IMPORTABLE:
            raise QmsError(f"--map {pair}: expected PREFIX=KIND with KIND one of {', '.join(IMPORTABLE)}")
        out[prefix.strip()] = kind.strip()
    return out


@import_.command("doorstop")
@click.argument("path")
@click.option("--map", "maps", multiple=True, metavar="PREFIX=KIND",
              help="Record kind for a document (default: root → requirement, test-like children → verification).")
@_DRY_RUN
@_UPDATE
@_ADOPT
@_SOURCE
@_STATUS
@FORMAT
@click.pass_obj
def doorstop(app: App, path: str, maps: tuple[str, ...], dry_run: bool, update: bool, adopt: bool,
             source_name: str, status: str, fmt: str) -> None:
    """Import the doorstop tree at PATH (documents found by their .doorstop.yml)."""
    from ..interchange.doorstop import read_tree

    tree = _source(path, must_be_dir=True)
    report = Report("doorstop", path, dry_run, _name(source_name))
    items = read_tree(tree, _mapping(maps), report)
    # A doorstop tree has no name of its own: its folder's (UIDs are unique within a tree).
    _finish(app, items, report, update, dry_run, status, fmt, tree.resolve().name, adopt)


@import_.command("strictdoc")
@click.argument("files", nargs=-1, required=True, metavar="FILE.sdoc|FOLDER...")
@click.option("--kind", type=click.Choice(IMPORTABLE), default="requirement", show_default=True,
              help="Record kind of the documents' requirements.")
@_DRY_RUN
@_UPDATE
@_ADOPT
@_SOURCE
@_STATUS
@FORMAT
@click.pass_obj
def strictdoc(app: App, files: tuple[str, ...], kind: str, dry_run: bool, update: bool, adopt: bool,
              source_name: str, status: str, fmt: str) -> None:
    """Import strictdoc documents (requirements, sections, parent/child relations): files, or every .sdoc
    under a folder (a document another one includes through [DOCUMENT_FROM_FILE] is imported once, there)."""
    from ..interchange.strictdoc import documents_in, read_documents

    paths: list[Path] = []
    roots: list[Path] = []  # each document's import root: the folder named, or the document's own folder
    for given in map(_source, files):
        found = documents_in(given) if given.is_dir() else [given]
        paths += found
        roots += [given if given.is_dir() else given.parent] * len(found)
    report = Report("strictdoc", " ".join(files), dry_run, _name(source_name))
    items = read_documents(paths, kind, report, roots)
    # Each document is its own source: its file's name, as the reader names it.
    _finish(app, items, report, update, dry_run, status, fmt, paths[0].name, adopt)


@import_.command("reqif")
@click.argument("file")
@_DRY_RUN
@_UPDATE
@_ADOPT
@_SOURCE
@_STATUS
@FORMAT
@click.pass_obj
def reqif(app: App, file: str, dry_run: bool, update: bool, adopt: bool, source_name: str, status: str,
          fmt: str) -> None:
    """Import a ReqIF file (.reqif, or .reqifz archive): spec objects, attributes, relations, hierarchy."""
    from ..interchange.reqif import read_reqif

    path = _source(file, must_be_dir=False)
    report = Report("reqif", file, dry_run, _name(source_name))
    items = read_reqif(path, report)
    # The file's name, not its header's IDENTIFIER: exporters such as DOORS give every exchange a new one.
    _finish(app, items, report, update, dry_run, status, fmt, path.name, adopt)
