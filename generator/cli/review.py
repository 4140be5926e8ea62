"""`qms review ID [ID ...] | --all`: stamp a record's trace links with their targets' current fingerprints.

Reviewing a record says "I checked this record against what it links to, as they are now". The
stamp makes a later change to a target show up as a suspect link (QMS207). Stamps are not part of
a record's canonical content, so reviewing never makes the reviewed record's own downstream suspect.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from ..analysis.trace import REVIEW_ROLES
from ..atomic import write_bytes
from ..edit.stamps import StampError, Stamps, stamp_text
from ..findings import QmsError
from ..load.repo import load_repository
from ..load.source import Source
from ..lock import repository_lock
from ..model.canonical import fingerprint
from ..recordset import RecordSet
from .app import App


@dataclass(frozen=True)
class Change:
    role: str
    target: str
    old: str | None
    new: str


def _changes(records: RecordSet, record_id: str) -> tuple[Stamps, list[Change]]:
    """Stamps to write on the record's review-role links whose targets exist, and what they change."""
    stamps: Stamps = {}
    changes: list[Change] = []
    for link in records.links_from(record_id):
        target = records.get(link.target)
        if link.role not in REVIEW_ROLES or target is None:
            continue
        current = fingerprint(target)
        if link.fingerprint != current:
            stamps[link.path] = (link.target, current)
            changes.append(Change(link.role, link.target, link.fingerprint, current))
    return stamps, changes


def _editable(source: Source) -> bool:
    return not source.sheet and source.file.endswith((".yaml", ".yml"))


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "review_all", is_flag=True, help="Review every record kept in a YAML file.")
@click.pass_obj
def review(app: App, ids: tuple[str, ...], review_all: bool) -> None:
    """Stamp the trace links of records ID... with their targets' current fingerprints."""
    if bool(ids) == review_all:
        raise click.UsageError("give one or more record IDs, or --all")
    # Held until the command ends: the fingerprints read and the stamps written agree.
    click.get_current_context().with_resource(repository_lock(app.root, "qms review"))
    loaded = load_repository(app.root)
    records = RecordSet(loaded.records, loaded.config)
    if review_all:
        chosen = sorted(i for i, s in records.sources.items() if _editable(s))
    else:
        chosen = list(dict.fromkeys(ids))
        missing = [i for i in chosen if i not in records]
        if missing:
            raise QmsError(f"no record {', '.join(missing)} in the repository "
                           "(a record that fails to load cannot be reviewed: run `qms validate`)")
        rows = [i for i in chosen if not _editable(records.sources[i])]
        if rows:
            where = ", ".join(f"{i} ({records.sources[i].at()})" for i in rows)
            raise QmsError(f"review stamps for sheet rows are not supported yet: {where}; nothing was changed")
    stamped = links = 0
    for record_id in chosen:
        stamps, changes = _changes(records, record_id)
        source = records.sources[record_id]
        if not stamps:
            if not review_all:
                click.echo(f"{record_id}: up to date")
            continue
        path = app.root / source.file
        raw = path.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        try:
            text = stamp_text(raw.decode("utf-8-sig"), stamps, source.file)
        except StampError as err:
            raise QmsError(str(err)) from None
        write_bytes(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        stamped += 1
        links += len(changes)
        click.echo(f"{record_id} ({source.file}):")
        for c in changes:
            click.echo(f"  {c.role} {c.target}: {c.old or 'not reviewed'} -> {c.new}")
    click.echo(f"{links} link(s) stamped in {stamped} record(s); {len(chosen) - stamped} already up to date")
