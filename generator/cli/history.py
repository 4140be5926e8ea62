"""`qms history ID`: every change to one record, oldest first, field by field, from git."""

from __future__ import annotations

import json

import click

from ..gitio.history import RecordChange, record_history
from ..gitio.shallow import HistoryGap, history_gaps
from .app import FORMAT, App


@click.command("history")
@click.argument("record_id", metavar="ID")
@FORMAT
@click.pass_obj
def history(app: App, record_id: str, fmt: str) -> None:
    """Every committed change to record ID: commit, author, date, message and old -> new per field.

    The record is followed by its ID across renames, moves and workbook rows. A shallow or grafted
    history is named at the top (JSON: "history_complete": false). Exit 0 when shown, 2 for an ID
    the history does not hold or a folder without git history.
    """
    changes = record_history(app.root, record_id)
    gaps = history_gaps(app.root)
    if fmt == "json":
        out = {"record": changes[0].record_id, "kind": changes[-1].kind, "history_complete": not gaps,
               "history_gaps": [str(g) for g in gaps], "changes": [c.as_json() for c in changes]}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    warn_incomplete(gaps)
    click.echo(f"History of {changes[0].record_id}: {len(changes)} change(s), oldest first")
    for change in changes:
        click.echo("")
        click.echo(change_block(change))


def warn_incomplete(gaps: tuple[HistoryGap, ...]) -> None:
    """The first lines of a history read from an incomplete git history (QMS610), on stdout with the history."""
    for gap in gaps:
        click.echo(f"warning: history incomplete: {gap}")
    if gaps:
        click.echo("warning: the first change shown may not be the record's creation; use a full clone "
                   "(git fetch --unshallow)\n")


def show_value(value: object) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else json.dumps(value)


def change_block(change: RecordChange) -> str:
    """One commit's change to a record as text: header lines, then `field: old -> new`."""
    lines = [f"commit {change.commit}",
             f"  {change.author_date.isoformat()}  {change.author_name} <{change.author_email}>"]
    lines += [f"  | {line}" if line else "  |" for line in change.message.splitlines() or [""]]
    where = change.where
    if change.action == "renamed":
        lines.append(f"  renamed {change.old_where} -> {where}")
    else:
        lines.append(f"  {change.action} {where}")
    for f in change.fields:
        lines.append(f"    {f.field}: {show_value(f.old)} -> {show_value(f.new)}")
    return "\n".join(lines)
