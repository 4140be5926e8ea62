"""`qms audit-trail`: the whole repository's record trail from git, as text, JSON or a styled workbook."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..findings import QmsError
from ..gitio.history import audit_trail as build_trail
from .app import FORMAT, App, refuse_dossier_out
from .history import warn_incomplete


@click.command("audit-trail")
@click.option("--since", "since", default=None, metavar="REF",
              help="Only commits after this git revision (tag, branch or SHA), e.g. the last baseline.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE.xlsx",
              help="Also write the trail as a styled workbook (one row per field change).")
@FORMAT
@click.pass_obj
def audit_trail(app: App, since: str | None, out: Path | None, fmt: str) -> None:
    """Every change to every record in the git history, oldest first: who, when, why, old -> new.

    One pass over the history of records/, specs/ and protocols/; a shallow or grafted history is named
    at the top (JSON: "history_complete": false). Exit 0 when produced, 2 for an
    unknown REF, an --out that is not .xlsx, or a folder without git history.
    """
    refuse_dossier_out(app, out)
    if out is not None and out.suffix.lower() != ".xlsx":
        raise QmsError(f"--out {out}: the audit trail is written as an Excel workbook; give a .xlsx file name")
    trail = build_trail(app.root, since)
    if out is not None:
        from ..render.audit_trail import write_audit_trail

        _, records = app.load_readable()  # the user records the authors' git identities map to
        write_audit_trail(trail, out, records.of_kind("user"))
    if fmt == "json":
        click.echo(json.dumps(trail.as_json(), indent=2, ensure_ascii=False))
        return
    warn_incomplete(trail.gaps)
    scope = f"after {trail.since[:12]} " if trail.since else ""
    click.echo(f"Audit trail {scope}up to {trail.head[:12]}: {trail.commits} commit(s), {len(trail.changes)} "
               f"change(s) to {trail.records} record(s), {trail.field_changes} field change(s)")
    for change in trail.changes:
        what = f"renamed from {change.old_where}" if change.action == "renamed" else change.action
        click.echo(f"  {change.author_date.isoformat()}  {change.commit[:12]}  {change.author_name:<18}  "
                   f"{change.record_id:<14} {what} ({len(change.fields)} field(s))  {change.subject}")
    if out is not None:
        click.echo(f"wrote {out}")
