"""Turn items read from another tool into our records, and write them all or none.

Provenance is the key. Every record an import writes carries its origin (tool, source, the item's ID
there), and an import finds a record again only by that origin: never by a bare ID or a legacy ID,
because another project's `REQ-0001` is not ours. A new record gets the next free ID of its kind in the
repository's own numbering (the prefix and digit width its records use), so it can never collide with
a record that exists; links resolve inside the same import, or to records imported earlier from the
same source, never to the repository's own IDs.

`plan` does everything that can fail before a byte is written: it gives each item our ID, rewrites
every link, stamps links the other tool had reviewed with the target's fingerprint (and keeps the
other tool's stamp on a suspect link, so it stays suspect here: QMS207), validates every record with
its model, and decides for each whether it is created, updated (only with `update`, only the fields
the import carries, and never an approved or effective record: those are refused and reported),
unchanged, or left alone because it already exists. `apply` writes every file beside its target first
and renames them into place only when all were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from ..atomic import put_in_place, stage
from ..edit.fields import DELETE, Changes, FieldEditError, set_fields
from ..findings import QmsError
from ..load.records import to_record
from ..load.source import Source
from ..load.yamlfile import YamlProblem, parse_yaml
from ..model import KINDS, Kind, Record
from ..model import plan as field_plan
from ..model.canonical import fingerprint
from ..model.design import Origin
from ..model.numbering import IdAllocator
from ..paths import name as file_name
from .home import repository_key
from .report import Dropped, LinkNote, Mapped, Refused, Report

if TYPE_CHECKING:
    from ..model.raw import RawMapping

# Kinds an import may create, and the field that holds each one's upstream links.
LINK_FIELD = {
    "user_need": None,
    "requirement": "derived_from",
    "design_output": "implements",
    "verification": "verifies",
    "validation": "validates",
    "section": "contains",  # informative content: its links are document structure, pointing down
}
IMPORTABLE = tuple(LINK_FIELD)
# The lifecycle belongs to this system (approvals move it): an update never changes it.
NOT_UPDATED = ("id", "status")
# Released records change by a new revision through approval, never by an import.
FROZEN = ("approved", "effective")
SUSPECT_STAMP = "suspect"  # kept on a suspect link when the other tool had no stamp of its own


OriginKey = tuple[str, str, str]  # (tool, source, uid)


@dataclass
class Link:
    """One upstream link as the other tool wrote it."""

    target: str  # the target's ID in the other tool
    state: str = "unreviewed"  # reviewed | unreviewed | suspect | stamped (our own stamp, checked on arrival)
    stamp: str | None = None  # the other tool's stamp, kept on a suspect link
    origin: str = ""


@dataclass
class Item:
    """One record-to-be: our field names and values, links still by the other tool's IDs."""

    kind: str
    source: str  # its ID in the other tool
    fields: dict[str, Any]
    origin: str  # file:line it was read from
    links: list[Link] = field(default_factory=list)
    document: str = ""  # the source document it belongs to, when the reader knows it (else the import's)
    # A qms export names its repository (interchange.home), each record's ID there and the origin it had:
    # in that same repository the item is that record again, never a new one.
    home: str = ""
    own_id: str = ""
    carried: OriginKey | None = None


@dataclass
class Write:
    path: Path
    text: str


def folder_of(kind: Kind) -> str:
    top = "specs" if kind.name in ("user_need", "requirement") else "records"
    return f"{top}/{kind.folder}"


def existing_records(root: Path) -> tuple[dict[str, tuple[Record, Any]], dict[OriginKey, str], str]:
    """Every record by ID, the imported ones by origin (two records claiming one origin are refused), and
    the repository's name as its exports give it."""
    from ..load.repo import load_repository

    loaded = load_repository(root)
    by_id = {rec.id: (rec, src) for rec, src in loaded.records}
    by_origin: dict[OriginKey, str] = {}
    for rec, src in loaded.records:
        origin = getattr(rec, "origin", None)
        if not isinstance(origin, Origin):  # not imported (a nonconformance's `origin` is its links)
            continue
        key = (origin.tool, origin.source, origin.uid)
        if key in by_origin:
            raise QmsError(f"{src.at()}: {rec.id} and {by_origin[key]} both record the origin {_shown(key)}; "
                           "an import cannot tell which one it is (correct the origin of the copy)")
        by_origin[key] = rec.id
    return by_id, by_origin, repository_key(loaded.config)


def _shown(key: OriginKey) -> str:
    return f"{key[0]} {key[1]} {key[2]}"


def _validation_message(err: ValidationError) -> str:
    first = err.errors(include_url=False)[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def build_record(kind: Kind, data: dict[str, Any], origin: str, source: str) -> Record:
    try:
        return kind.model.model_validate(data)
    except ValidationError as err:
        raise QmsError(f"{origin}: {source} cannot become a {kind.name} record: {_validation_message(err)}") from None


def plan(root: Path, items: list[Item], report: Report, *, update: bool = False,
         status: str = "draft", source: str = "") -> list[Write]:
    """The files to write for `items`, with `report` filled in; raises QmsError naming file:line on bad input.

    `source` names the source for items whose reader did not name their document (and, given with
    `--source`, overrides it)."""
    tool = report.tool
    seen: dict[str, str] = {}
    for item in items:
        if item.kind not in LINK_FIELD:
            raise QmsError(f"{item.origin}: cannot import into record kind '{item.kind}' "
                           f"(importable: {', '.join(IMPORTABLE)})")
        if item.source in seen:
            raise QmsError(f"{item.origin}: {item.source} appears twice (first at {seen[item.source]})")
        seen[item.source] = item.origin

    def origin_of(item: Item) -> OriginKey:
        if item.carried is not None:  # an imported record coming back through an export keeps its origin
            return item.carried
        return (tool, report.source or item.document or source, item.source)

    by_id, by_origin, home = existing_records(root)

    def own(item: Item) -> str | None:
        """The ID of this repository's own record that `item` is, when the file is this repository's export
        and the record still stands as exported (of no origin: an imported one is found by its origin)."""
        if not home or item.home != home or item.carried is not None or item.own_id not in by_id:
            return None
        return item.own_id if getattr(by_id[item.own_id][0], "origin", None) is None else None

    ids = IdAllocator(set(by_id))
    ours: dict[str, str] = {}  # source ID -> our ID
    matched: dict[str, str] = {}  # source ID -> ID of the existing record it is
    native: set[str] = set()  # our IDs of this repository's own records that came back
    for item in items:  # an item already imported from the same origin is that record, of the same kind
        hit = by_origin.get(origin_of(item))
        if hit is None and (hit := own(item)) is not None:
            native.add(hit)
        if hit is not None and by_id[hit][0].KIND != item.kind:
            raise QmsError(f"{item.origin}: {item.source} was imported as {hit}, a {by_id[hit][0].KIND}; "
                           f"it cannot become a {item.kind} (check --map)")
        if hit is not None:
            ours[item.source] = matched[item.source] = hit
    for item in items:
        if item.source not in ours:
            ours[item.source] = ids.new(KINDS[item.kind])

    kind_of_source = {item.source: item.kind for item in items}

    def resolve(item: Item, target: str) -> tuple[str, str] | None:
        """(our ID, kind) of a link target: in this import, or imported earlier from the same source."""
        if target in kind_of_source:
            return ours[target], kind_of_source[target]
        hit = by_origin.get((tool, origin_of(item)[1], target))
        return (hit, by_id[hit][0].KIND) if hit is not None else None

    # Records without stamps first: a fingerprint does not depend on the stamps a record holds.
    drafts: dict[str, tuple[Item, dict[str, Any], list[tuple[str, Link]]]] = {}
    for item in items:
        kind = KINDS[item.kind]
        record_id = ours[item.source]
        data: dict[str, Any] = {"id": record_id, "status": status}
        data.update(item.fields)
        key = origin_of(item)
        if record_id not in native:  # a record of this repository's own has no origin elsewhere
            data["origin"] = {"tool": key[0], "source": key[1], "uid": key[2]}
        role = LINK_FIELD[item.kind]
        allowed = field_plan(kind.model).fields[role].links if role else ()
        kept: list[tuple[str, Link]] = []
        for ln in item.links:
            report.links_read += 1
            what = f"link {item.source} -> {ln.target}"
            target = resolve(item, ln.target)
            if target is None:
                raise QmsError(f"{ln.origin or item.origin}: {item.source} links to {ln.target}, which is neither "
                               f"in the import nor a record imported earlier from {key[1]} (a link never "
                               "resolves to this repository's own IDs)")
            if role is None:
                report.dropped.append(Dropped(what, ln.origin or item.origin,
                                              f"a {kind.name} has no upstream links in this system"))
                continue
            if target[1] not in allowed:
                report.dropped.append(Dropped(what, ln.origin or item.origin,
                                              f"'{role}' of a {kind.name} may point at {', '.join(allowed)}, "
                                              f"not at a {target[1]} ({target[0]})"))
                continue
            if any(t == target[0] for t, _ in kept):
                report.dropped.append(Dropped(what, ln.origin or item.origin, "the same link is given twice"))
                continue
            kept.append((target[0], ln))
        if role:
            data[role] = [t for t, _ in kept]
        drafts[record_id] = (item, data, kept)

    final: dict[str, Record] = {}
    for record_id, (item, data, _) in drafts.items():
        final[record_id] = build_record(KINDS[item.kind], data, item.origin, item.source)

    def decide(old: Record, new: Record) -> tuple[str, tuple[str, ...]]:
        changed = _changed(old, new)
        if not changed:
            return "unchanged", ()
        if not update:
            return "exists", changed
        if old.status in FROZEN:
            return "refused", changed
        return "update", changed

    def merged(old: Record, new: Record, changed: tuple[str, ...], item: Item) -> Record:
        """`old` with the `changed` fields the import carries; every field it does not carry stays."""
        data = old.model_dump(mode="json", exclude_defaults=True)
        data.update({k: v for k, v in new.model_dump(mode="json").items() if k in changed})
        return build_record(KINDS[item.kind], data, item.origin, item.source)

    # What each existing record becomes (updated ones change their content, hence their fingerprint).
    decisions: dict[str, tuple[str, tuple[str, ...], Record]] = {}
    for record_id, (item, _, _) in drafts.items():
        if item.source not in matched:
            decisions[record_id] = ("create", (), final[record_id])
            continue
        old = by_id[record_id][0]
        action, changed = decide(old, final[record_id])
        decisions[record_id] = (action, changed, merged(old, final[record_id], changed, item)
                                if action == "update" else old)

    def current(target: str) -> Record:
        if target in decisions:
            return decisions[target][2]
        return by_id[target][0]

    writes: list[Write] = []
    for record_id, (item, data, kept) in drafts.items():
        kind = KINDS[item.kind]
        role = LINK_FIELD[item.kind]
        if role:
            stamped: list[Any] = []
            for linked, ln in kept:
                now = fingerprint(current(linked))
                state = ln.state
                if state == "stamped":  # a stamp of ours (a ReqIF round trip): still current, or suspect
                    state = "reviewed" if ln.stamp == now else "suspect"
                if state == "reviewed":
                    stamped.append({linked: now})
                elif state == "suspect":
                    stamp = ln.stamp or SUSPECT_STAMP
                    stamped.append({linked: stamp if stamp != now else SUSPECT_STAMP})
                else:
                    stamped.append(linked)
                report.links.append(LinkNote(record_id, role, linked, state, f"{item.source} -> {ln.target}"))
            if record_id in native:
                stamped = _with_unexported(by_id[record_id][0], role, stamped, set(ours.values()))
            data[role] = stamped
        record = build_record(kind, data, item.origin, item.source)
        action, changed, _ = decisions[record_id]
        if action != "create":
            old = by_id[record_id][0]
            action, changed = decide(old, record)
            record = merged(old, record, changed, item) if action == "update" else old
        if action == "create":
            rel = f"{folder_of(kind)}/{file_name(record_id, 'imported ID')}.yaml"
            writes.append(Write(root / rel, render(record)))
        else:
            source_file = by_id[record_id][1]
            rel = source_file.file
            if action == "update":
                if source_file.sheet or not rel.endswith((".yaml", ".yml")):
                    raise QmsError(f"{item.origin}: {record_id} is a row of {source_file.at()}; "
                                   "an import can update only records kept in YAML files")
                writes.append(Write(root / rel, edited_text(root / rel, record, changed)))
            elif action == "refused":
                report.refused.append(Refused(record_id, item.source, item.origin, rel, old.status, changed))
        report.records.append(Mapped(item.source, record_id, kind.name, item.origin, action, rel,
                                     changed if action in ("update", "exists", "refused") else ()))
    return writes


def _with_unexported(old: Record, role: str, links: list[Any], imported: set[str]) -> list[Any]:
    """A record's own links back from its export: those to records the export left out (of kinds not
    exported) stand as they are, in their place, for the file cannot have said anything about them."""
    given = {next(iter(v)) if isinstance(v, dict) else v: v for v in links}
    out: list[Any] = []
    for ref in getattr(old, role):
        if ref.id not in imported:
            out.append(ref.id if ref.fingerprint is None else {ref.id: ref.fingerprint})
        elif ref.id in given:
            out.append(given.pop(ref.id))
    return out + list(given.values())


def _comparable(record: Record) -> dict[str, Any]:
    return {k: v for k, v in record.model_dump(mode="json", exclude_defaults=True).items() if k not in NOT_UPDATED}


def _changed(old: Record, new: Record) -> tuple[str, ...]:
    """The fields the import carries (those set on `new`) whose value differs from `old`'s: a field the
    import does not carry (owner, created, a type set here) is never changed, let alone removed."""
    a, b = _comparable(old), _comparable(new)
    return tuple(k for k in new.model_fields
                 if k not in NOT_UPDATED and k in new.model_fields_set and a.get(k) != b.get(k))


# --------------------------------------------------------------------------- YAML out


if TYPE_CHECKING:  # typed as libyaml's dumper, the one used wherever PyYAML was built with it
    _BaseDumper = yaml.CSafeDumper
else:
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):
    """Plain YAML as people write it: no aliases (the loader refuses them), prose as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def yaml_data(record: Record) -> RawMapping:
    """The record's fields as they are written in its file: links in their short forms, defaults left out."""
    dumped = record.model_dump(mode="json", exclude_defaults=True)
    dumped["id"] = record.id
    dumped["status"] = record.status
    links = {f.name for f in field_plan(type(record)).links}
    out: dict[str, Any] = {}
    for name in type(record).model_fields:
        if name not in dumped:
            continue
        value = dumped[name]
        if name in links:
            value = [_short(v) for v in value] if isinstance(value, list) else _short(value)
        out[name] = value
    return out


def _short(ref: Any) -> Any:
    if isinstance(ref, dict) and "id" in ref:
        return ref["id"] if ref.get("fingerprint") is None else {ref["id"]: ref["fingerprint"]}
    return ref


def render(record: Record) -> str:
    return yaml.dump(yaml_data(record), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def edited_text(path: Path, record: Record, changed: tuple[str, ...]) -> str:
    """The record file with only `changed` fields replaced, by the round-trip field edit an Excel import
    uses: every other line stays as it was, a new field goes in the model's field order."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    new = yaml_data(record)
    changes: Changes = {(name,): new.get(name, DELETE) for name in changed}
    links = frozenset((f.name,) for f in field_plan(type(record)).links) & changes.keys()
    try:
        candidates = set_fields(text, changes, links, path.name, type(record))
    except FieldEditError as err:
        raise QmsError(f"{record.id}: {err}") from None
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    for candidate in candidates:
        if _holds(candidate, record, path.name):
            return bom + candidate
    raise QmsError(f"{path.name}: the edited file would not hold {record.id} as imported; nothing was imported")


def _holds(text: str, record: Record, name: str) -> bool:
    """Whether `text` loads as exactly `record`."""
    try:
        doc = parse_yaml(text.encode("utf-8"), name)
    except YamlProblem:
        return False
    got, _ = to_record(doc.data, None, Source(name), fallback_id=record.id)
    return got is not None and got.model_dump(mode="json") == record.model_dump(mode="json")


def apply(writes: list[Write]) -> None:
    """Write every file beside its target, then rename them all into place; on a failure, none is renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for w in writes:
            staged.append((stage(w.path, w.text.encode("utf-8")), w.path))
    except OSError as err:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise QmsError(f"cannot write {err.filename or 'a record file'}: {err.strerror}; "
                       "nothing was imported") from None
    put_in_place(staged)


def run(root: Path, items: list[Item], report: Report, *, update: bool, dry_run: bool, status: str,
        source: str = "") -> Report:
    report.items_read += len(items)
    writes = plan(root, items, report, update=update, status=status, source=source)
    if not dry_run:
        apply(writes)
    return report
