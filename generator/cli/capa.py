"""`qms capa`: draft CAPAs for unanswered triggers, and the Word report of one CAPA."""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections import Counter
from pathlib import Path

import click

from ..analysis.capa import Trigger, capa_triggers, draft_groups, owner_for
from ..analysis.policies import in_force
from ..atomic import create_new
from ..findings import QmsError
from ..load.repo import RECORD_ROOTS, load_repository
from ..lock import repository_lock
from ..model.events import Capa, Nonconformance
from ..model.policy import CapaPolicy
from ..paths import child
from ..recordset import RecordSet
from .app import AS_OF, App, IsoDate

_CAPA_ID = re.compile(r"\ACAPA-([0-9]{4})-([0-9]{3,})\Z")


@click.group("capa")
def capa() -> None:
    """Corrective and preventive action: draft CAPAs for triggers, report one CAPA."""


def _load(app: App) -> RecordSet:
    loaded = load_repository(app.root)
    errors = [f for f in loaded.findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise QmsError(f"{len(errors)} record(s) or file(s) cannot be loaded (first: {first.location}: "
                       f"{first.message}); run `qms validate` and fix them first")
    return RecordSet(loaded.records, loaded.config)


def existing_capa_ids(root: Path, records: RecordSet) -> set[str]:
    """Every CAPA ID in use: loaded records, plus any file named like one (even if it does not load)."""
    ids = {rid for rid in records.records if _CAPA_ID.match(rid)}
    for top in RECORD_ROOTS:
        base = root / top
        if base.is_dir():
            ids.update(p.stem for p in base.rglob("CAPA-*") if _CAPA_ID.match(p.stem))
    return ids


def next_number(ids: set[str], year: int) -> int:
    used = [int(m.group(2)) for m in map(_CAPA_ID.match, ids) if m and int(m.group(1)) == year]
    return max(used, default=0) + 1


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _folded(text: str, indent: int = 2) -> str:
    body = textwrap.fill(" ".join(text.split()), width=100 - indent)
    return ">-\n" + textwrap.indent(body, " " * indent)


def draft_text(capa_id: str, ncs: list[Nonconformance], triggers: list[Trigger], as_of: dt.date,
               policy: CapaPolicy | None) -> str:
    """The YAML of a draft CAPA answering `triggers` (their NCs in detection order)."""
    areas = Counter(nc.area for nc in ncs if nc.area)
    area = sorted(areas.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if areas else None
    owner = owner_for(policy, area)
    due = as_of + dt.timedelta(days=policy.due_days) if policy is not None else None
    if len(ncs) == 1:
        title = f"CAPA for {ncs[0].id}: {ncs[0].title}"
    else:
        recurrence = next((t for t in triggers if t.reason == "recurrence"), None)
        what = ", ".join(f"{k} {v}" for k, v in recurrence.key) if recurrence else "related issues"
        title = f"Recurring nonconformances ({what})"
    lines = [f"{nc.id} (detected {nc.detected}{', category ' + nc.category if nc.category else ''}"
             f"{', supplier ' + nc.supplier.id if nc.supplier else ''}): {nc.title.rstrip('.')}." for nc in ncs]
    why = "; ".join(sorted({f"{t.latest if t.reason != 'recurrence' else 'trend'}: {t.detail}" for t in triggers}))
    problem = " ".join(lines) + f" CAPA triggered by: {why}."
    out = [
        f"# Drafted by `qms capa draft --as-of {as_of}`: complete the problem statement, containment and plan,",
        "# then move the CAPA to open.",
        f"id: {capa_id}",
        f"title: {_quoted(title)}",
        "status: draft",
    ]
    if owner:
        out.append(f"owner: {owner}")
    out += [f"created: {as_of}", f"sources: [{', '.join(nc.id for nc in ncs)}]"]
    if area:
        out.append(f"area: {_quoted(area)}")
    out.append(f"problem: {_folded(problem)}")
    out.append(f"opened: {as_of}")
    if due:
        out.append(f"due: {due}")
    return "\n".join(out) + "\n"


def create_exclusive(path: Path, text: str) -> None:
    """Write `text` to a new file at `path`; FileExistsError if anything is there. Never half-written."""
    create_new(path, text.encode("utf-8"))


@capa.command("draft")
@AS_OF
@click.option("--dry-run", is_flag=True, help="Show what would be written; write nothing.")
@click.pass_obj
def draft(app: App, as_of: dt.date | None, dry_run: bool) -> None:
    """Write a draft CAPA (records/events/capa/CAPA-YYYY-NNN.yaml) for each unanswered CAPA trigger.

    Triggers that share a nonconformance get one draft. Existing files are never overwritten and IDs
    are never reused; a second run finds the triggers answered by the first run's drafts.
    """
    as_of = app.as_of(as_of)
    # Held until the command ends: the triggers answered and the IDs taken are read under it.
    click.get_current_context().with_resource(repository_lock(app.root, "qms capa draft", enabled=not dry_run))
    records = _load(app)
    policy = in_force(records, CapaPolicy)
    groups = draft_groups(capa_triggers(records, as_of))
    if not groups:
        click.echo(f"No unanswered CAPA triggers as of {as_of}: nothing to draft.")
        return
    ids = existing_capa_ids(app.root, records)
    folder = app.root / "records" / Capa.FOLDER
    number = next_number(ids, as_of.year)
    for group in groups:
        nc_ids = sorted({nc for t in group for nc in t.ncs})
        ncs = sorted((nc for i in nc_ids if isinstance(nc := records.records[i], Nonconformance)),
                     key=lambda nc: (nc.detected, nc.id))
        while True:
            capa_id = f"CAPA-{as_of.year}-{number:03d}"
            number += 1
            if capa_id in ids:
                continue
            path = child(folder, capa_id, ".yaml")
            text = draft_text(capa_id, ncs, group, as_of, policy)
            if dry_run:
                if path.exists():
                    continue
                break
            try:
                create_exclusive(path, text)
            except FileExistsError:
                continue
            break
        ids.add(capa_id)
        rel = path.relative_to(app.root)
        reasons = ", ".join(sorted({t.reason for t in group}))
        verb = "would write" if dry_run else "wrote"
        click.echo(f"{verb} {rel}: sources {', '.join(nc_ids)} ({reasons})")
    if dry_run:
        click.echo("(dry run: nothing written)")


@capa.command("report")
@click.argument("capa_id", metavar="ID")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Word file to write (default: qms-work/capa/ID.docx; never inside the dossier).")
@click.option("--as-of", "as_of", type=IsoDate(), default=None,
              help="Date of the report while it is a draft (no valid approval of its CAPA); an approved one is "
                   "effective on its approval's date (default: qms.yaml's as_of, else today).")
@click.pass_obj
def report(app: App, capa_id: str, out: Path | None, as_of: dt.date | None) -> None:
    """Write the Word report of one CAPA: problem, containment, investigation, root cause, actions,
    effectiveness and approvals.

    The report is the controlled document `qms build` puts in the dossier (same number, frame and
    approvals), generated from the repository's current commit.
    """
    loaded = load_repository(app.root)
    records = RecordSet(loaded.records, loaded.config)
    record = records.get(capa_id)
    if not isinstance(record, Capa):
        known = sorted(r.id for r in records.of_kind("capa"))
        raise QmsError(f"{capa_id} is not a CAPA in this repository"
                       + (f" (CAPAs: {', '.join(known)})" if known else ""))
    from ..render.capa import write_capa_report
    from ..render.document import DocumentSet
    from ..render.dossier import WORK, outside_dossier

    documents = DocumentSet.on_demand(app.root, records.config, records, effective=app.as_of(as_of))
    path = outside_dossier(out if out is not None else child(app.root / WORK / "capa", record.id, ".docx", "CAPA ID"),
                           app.root)
    write_capa_report(records, record, path, documents)
    click.echo(f"wrote {path}")
