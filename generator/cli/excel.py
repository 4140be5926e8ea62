"""`qms excel export` and `qms excel import`: records out to a workbook and back, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import FORMAT, App, parse_kinds, refuse_dossier_out
from .history import show_value

if TYPE_CHECKING:
    from ..excel.results import ImportPlan
    from ..findings import Location


@click.group("excel")
def excel() -> None:
    """Edit records in Excel: export a workbook, edit it, import it back."""


@excel.command("export")
@click.option("--kinds", default=None, help="Kinds to export, by prefix or name: REQ,HAZ (default: every kind "
                                             "with records).")
@click.option("--where", "where", multiple=True, metavar="FIELD=VALUE",
              help="Only records whose FIELD has VALUE (alternatives: status=draft,in_review); repeat to narrow.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .xlsx to write.")
@click.pass_obj
def export(app: App, kinds: str | None, where: tuple[str, ...], out: Path) -> None:
    """One sheet per kind, with dropdowns, frozen filtered headers and a hidden _meta sheet of record hashes.

    Exit 0 when written, 2 for an unknown kind or field, or a repository that cannot be read.
    """
    refuse_dossier_out(app, out)
    from ..atomic import write_bytes
    from ..excel.export import Selection, export_bytes, export_commit, exportable, parse_where
    from ..findings import QmsError
    from ..load.repo import TABLE_ROOTS
    from ..model import KINDS

    if out.suffix.lower() != ".xlsx":
        raise QmsError(f"--out {out}: the export is an Excel workbook; name it .xlsx")
    if any(out.resolve().is_relative_to(app.root / top) for top in TABLE_ROOTS):
        raise QmsError(f"{out} is inside {'/'.join(TABLE_ROOTS)}/ where it would load as records; "
                       "write the export outside the record folders")
    _, records = app.load_readable()
    chosen = parse_kinds(kinds, [k.name for k in KINDS.values() if exportable(k)],
                         "cannot be exported (their fields differ by type); edit their YAML files")
    default = [k for k in KINDS.values() if exportable(k) and records.of_kind(k.name)]
    selection = Selection(tuple(chosen or default), parse_where(where))
    skipped: list[tuple[str, str]] = []
    data, counts = export_bytes(records, selection, export_commit(app.root), skipped)
    write_bytes(out, data)
    total = sum(counts.values())
    shown = ", ".join(f"{kind.name} {n}" for kind, n in counts.items())
    click.echo(f"wrote {out}: {total} record(s) on {len(counts)} sheet(s) ({shown})")
    for _, reason in skipped:
        click.echo(f"not exported: {reason}", err=True)


@excel.command("import")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the field changes it would make; write nothing.")
@FORMAT
@click.pass_obj
def import_(app: App, workbook: Path, dry_run: bool, fmt: str) -> None:
    """Apply the workbook's edits to the record files: every row is checked first, and any error or
    conflict means nothing is written.

    Exit 0 when applied (or nothing to apply), 1 for errors or conflicts (nothing written), 2 for an
    unreadable workbook or repository.
    """
    from ..excel.importer import apply, plan_import
    from ..excel.results import location_text
    from ..lock import repository_lock

    # Load, conflict check against the export's hashes, and write under one lock: a second import
    # waits, then sees this one's change as a conflict instead of overwriting it.
    with repository_lock(app.root, f"qms excel import {workbook}", enabled=not dry_run):
        loaded, records = app.load_readable()
        plan = plan_import(app.root, loaded, records, app.as_of(None), workbook, str(workbook))
        applied = not plan.blocked and not dry_run and bool(plan.writes)
        if applied:
            apply(plan, app.root)
    if fmt == "json":
        out = {
            "workbook": plan.workbook,
            "export_commit": plan.export_commit or None,
            "dry_run": dry_run,
            "applied": applied,
            "changes": [c.as_json() for c in plan.changes] if not plan.blocked else [],
            "errors": [dict(f.as_json(), field=plan.field_at(f.location)) for f in plan.errors],
            "conflicts": [c.as_json() for c in plan.conflicts],
            "follow_ups": [f.as_json() for f in plan.follow_ups] if not plan.blocked else [],
            "not_in_workbook": plan.not_in_workbook,
            "ignored_sheets": plan.ignored_sheets,
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _text(plan, dry_run, applied, location_text)
    if plan.blocked:
        raise SystemExit(1)


def _text(plan: ImportPlan, dry_run: bool, applied: bool,
          location_text: Callable[[ImportPlan, Location], str]) -> None:
    for f in plan.errors:
        hint = f" ({f.hint})" if f.hint else ""
        record = f" [{f.record}]" if f.record else ""
        click.echo(f"{location_text(plan, f.location)}: {f.severity} {f.code}{record}: {f.message}{hint}")
    for c in plan.conflicts:
        click.echo(f"{location_text(plan, c.location)}: conflict [{c.record}]: {c.message}")
        for name, sheet, repo in c.fields:
            click.echo(f"    {name}: sheet {show_value(sheet)}, repository {show_value(repo)}")
    if plan.blocked:
        click.echo(f"nothing imported: {len(plan.errors)} error(s), {len(plan.conflicts)} conflict(s) "
                   f"in {plan.workbook}")
        return
    verb = {"changed": "would change" if dry_run else "changed", "created": "would create" if dry_run else "created"}
    for change in plan.changes:
        click.echo(f"{verb[change.action]} {change.record_id} in {change.where}")
        for field in change.fields:
            click.echo(f"    {field.field}: {show_value(field.old)} -> {show_value(field.new)}")
    for f in plan.follow_ups:
        click.echo(f"follow-up: {f.location}: {f.code} [{f.record}]: {f.message}")
    for name in plan.ignored_sheets:
        click.echo(f"note: sheet '{name}' names no record kind; it was ignored")
    if plan.not_in_workbook:
        click.echo(f"note: {len(plan.not_in_workbook)} exported record(s) are not in the workbook and were left "
                   f"as they are (records are never deleted; retire one by its status): "
                   f"{', '.join(plan.not_in_workbook)}")
    fields = sum(len(c.fields) for c in plan.changes)
    created = sum(1 for c in plan.changes if c.action == "created")
    if not plan.changes:
        click.echo(f"nothing to import: {plan.workbook} matches the records")
    elif dry_run:
        click.echo(f"dry run: {fields} field change(s) in {len(plan.changes)} record(s) ({created} new), "
                   f"{len(plan.writes)} file(s) would be written; nothing written")
    else:
        click.echo(f"imported: {fields} field change(s) in {len(plan.changes)} record(s) ({created} new), "
                   f"{len(plan.writes)} file(s) written")
