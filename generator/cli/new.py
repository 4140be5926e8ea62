"""`qms new KIND [--id ID] [DIR]`: write the skeleton of a new record, with the next free ID, and print its path."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from ..atomic import create_new
from ..edit.skeleton import skeleton
from ..findings import QmsError
from ..load.repo import RECORD_ROOTS
from ..model import KINDS, Kind
from ..model.numbering import IdAllocator
from ..model.policy import POLICIES
from ..paths import child, inside
from ..recordset import RecordSet
from .app import App, parse_kinds

# Kinds whose records a command writes, because their content is an act that command performs.
_WRITTEN_BY = {"approval": "qms approve ID --meaning approval", "execution": "qms protocol run"}
# Where a kind lives when the repository holds none yet (else: records/<kind folder>).
_HOME = {"policy": "specs/policies", "protocol": "protocols"}


def _folder(root: Path, kind: Kind, sources: list[str]) -> str:
    """The folder most records of `kind` are kept in, else the kind's home."""
    folders = Counter(str(Path(s).parent.as_posix()) for s in sources if s.endswith((".yaml", ".yml")))
    if folders:
        return max(folders.items(), key=lambda kv: (kv[1], kv[0]))[0]
    return _HOME.get(kind.name, f"records/{kind.folder}")


def _taken(root: Path, ids: set[str]) -> set[str]:
    """IDs in use: the loaded records' and every file named like a record, loaded or not."""
    taken = set(ids)
    for top in RECORD_ROOTS:
        base = root / top
        if base.is_dir():
            taken.update(p.stem for p in base.rglob("*.y*ml"))
    return taken


def _owner(root: Path, records: RecordSet) -> str | None:
    from ..gitio.identity import caller

    try:
        return caller(root, records).id
    except QmsError:  # no git identity or not one user's: the owner is left for the author to fill in
        return None


@click.command("new")
@click.argument("kind_name", metavar="KIND")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--id", "record_id", default=None, help="The new record's ID (default: the next free one).")
@click.option("--policy", "policy_type", type=click.Choice(sorted(POLICIES)), default=None,
              help="For KIND policy: which policy (risk, supplier, release ...).")
@click.pass_obj
def new(app: App, kind_name: str, directory: Path | None, record_id: str | None, policy_type: str | None) -> None:
    """Write the skeleton of a new KIND record (a kind name such as requirement, or an ID prefix such as REQ):
    every required field to fill in, allowed values as comments, the next free ID; print its path. DIR is the
    folder (default: where records of that kind are kept)."""
    kinds = parse_kinds(kind_name, KINDS, "", option="KIND")
    if len(kinds) != 1:
        raise QmsError(f"name one record kind, not '{kind_name}'")
    kind = kinds[0]
    if kind.name in _WRITTEN_BY:
        raise QmsError(f"{kind.name} records are written by `{_WRITTEN_BY[kind.name]}`, which performs the act "
                       "they record; they are not written by hand")
    if kind.name == "policy" and policy_type is None:
        raise QmsError(f"qms new policy: name the policy with --policy ({', '.join(sorted(POLICIES))})")
    root = app.root
    _, records = app.load_readable()
    taken = _taken(root, set(records.records))
    today = app.as_of(None)
    if record_id is None:
        record_id = IdAllocator(taken).new(kind, today.year)
    elif not kind.id_re.match(record_id):
        raise QmsError(f"--id {record_id} is not a {kind.name} ID (e.g. {kind.id_example})")
    elif record_id in taken:
        raise QmsError(f"{record_id} already exists; an ID is never reused")
    if directory is None:
        rel = _folder(root, kind, [records.sources[r].file for r, rec in records.records.items()
                                   if rec.KIND == kind.name])
    else:
        try:
            rel = directory.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise QmsError(f"{directory} lies outside the repository {root}") from None
    target = child(inside(root, rel, "folder") if rel != "." else root, record_id, ".yaml", "record ID")
    model = POLICIES[policy_type] if policy_type else kind.models[0]
    text = skeleton(kind, model, record_id, _owner(root, records), today, policy_type)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_new(target, text.encode("utf-8"))
    except FileExistsError:
        raise QmsError(f"{target} already exists; nothing was written") from None
    click.echo(target.relative_to(root).as_posix())
