"""`qms diff BASE [TARGET]`: records added, removed and changed between two baselines, field by field."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..findings import QmsError
from .app import FORMAT, App, IsoDate, refuse_dossier_out

if TYPE_CHECKING:
    from ..gitio.diff import Diff


@click.command("diff")
@click.argument("base")
@click.argument("target", required=False, default="HEAD")
@FORMAT
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the comparison as a controlled Word document (FILE.docx).")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Date of the Word document, a draft until approved (default: qms.yaml's as_of, else today).")
@click.pass_obj
def diff(app: App, base: str, target: str, fmt: str, out: Path | None, as_of: dt.date | None) -> None:
    """Records added, removed and changed from BASE to TARGET, with field-level changes and whether an
    approved change control covers each one.

    BASE and TARGET are baseline names (the tags baseline/NAME of `qms baseline create`) or any git
    revision; TARGET defaults to HEAD (committed content: uncommitted edits are not compared). Records
    are matched by ID, so a renamed or moved file is the same record; a move without a content change
    is listed as moved, not changed. A change is covered by a change control in TARGET that names the
    record under affected, is approved or later, approved no later than TARGET's commit date, and was
    not yet closed at BASE. Exit 0, 2 for an unknown baseline or revision.
    """
    refuse_dossier_out(app, out)
    from ..gitio.diff import diff as compare

    if out is not None and out.suffix.lower() != ".docx":
        raise QmsError(f"--out {out}: the comparison is written as a Word document, so name it FILE.docx")
    result = compare(app.root, base, target)
    if out is not None:
        from ..render.diff_doc import write_diff_docx
        from ..render.document import DocumentSet

        loaded, records = app.load_readable()
        documents = DocumentSet.on_demand(app.root, loaded.config, records, effective=app.as_of(as_of))
        write_diff_docx(result, documents, set(records.records), out)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    _text(result)
    if out is not None:
        click.echo(f"wrote {out}")


def _text(result: Diff) -> None:
    from .history import show_value

    s = result.as_json()["summary"]
    click.echo(f"Records from {result.base.label} to {result.target.label}: {s['added']} added, {s['removed']} "
               f"removed, {s['changed']} changed, {s['moved']} moved; {s['uncovered']} not covered by an "
               "approved change control")
    for title, entries in (("added", result.added), ("removed", result.removed), ("changed", result.changed)):
        if not entries:
            continue
        click.echo(f"\n{title}:")
        for e in entries:
            where = e.path if e.old_path is None else f"{e.old_path} -> {e.path}"
            cover = ("covered by " + ", ".join(c.id for c in e.change_controls)) if e.covered else "NOT COVERED"
            click.echo(f"  {e.id}  {e.kind}  {where}  {cover}")
            if title == "changed":
                for f in e.fields:
                    click.echo(f"    {f.field}: {show_value(f.old)} -> {show_value(f.new)}")
    if result.moved:
        click.echo("\nmoved (content unchanged):")
        for m in result.moved:
            click.echo(f"  {m.id}  {m.kind}  {m.old_path} -> {m.path}")
