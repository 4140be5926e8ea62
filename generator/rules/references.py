"""Identity and references: unique, well-formed IDs, links that resolve to the right kind,
statuses from the lifecycle, dates that have happened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from ..codes.schema import BAD_ID
from ..findings import Finding
from ..model import ANY_KIND, KINDS, iter_dates, kind_of_id
from .context import Context
from .registry import also_checks, rule

_AREA = "references"
_TRACE = "ISO 13485:2016 4.2.4, 7.3.10; 21 CFR 820.30(j)"


@rule("QMS120", "error", "Duplicate ID", area=_AREA, clause="ISO 13485:2016 4.2.4, 4.2.5",
      rationale="An ID names one record, once, forever; two records with one ID make every link to it "
                "ambiguous. IDs are never reused.")
def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for record, source in rs.duplicates:
        first = rs.sources[record.id]
        yield duplicate_ids.finding(
            source.at(("id",)), f"ID {record.id} is already used by {first.at(('id',))}", record.id,
            hint="give one of them a new ID; IDs are never reused")


@rule("QMS121", "error", "File name differs from the record ID", area=_AREA, clause="ISO 13485:2016 4.2.4",
      rationale="A YAML record is one file named after its ID, so people and tools find it by ID and a "
                "rename shows in the history.", per_record=True)
def file_name_matches_id(ctx: Context) -> Iterator[Finding]:
    for record_id, source in ctx.checked_sources():
        if source.sheet or not source.file.endswith((".yaml", ".yml")):
            continue
        stem = source.file.rpartition("/")[2].rpartition(".")[0]
        if stem != record_id:
            yield file_name_matches_id.finding(
                source.at(("id",)), f"file is named '{stem}' but holds {record_id}", record_id,
                hint=f"rename the file to {record_id}{PurePosixPath(source.file).suffix}")


@also_checks(BAD_ID, per_record=True)
def malformed_ids(ctx: Context) -> Iterator[Finding]:
    for record in ctx.checked_records():
        kind = KINDS[record.KIND]
        if not kind.id_re.match(record.id):
            yield malformed_ids.finding(ctx.at(record.id, ("id",)), f"'{record.id}' is not a well-formed {kind.name} ID",
                                 record.id, hint=f"{kind.name} IDs look like {kind.id_example}")


@rule("QMS122", "error", "Link to a record that does not exist", area=_AREA, clause=_TRACE,
      rationale="Traceability is only as good as its links: a link to a missing record breaks the chain "
                "the design history file must show.", per_record=True)
def dangling_links(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for link in ctx.checked_links():
        if link.target not in rs and link.target not in rs.unvalidated and kind_of_id(link.target) is not None:
            yield dangling_links.finding(
                ctx.at(link.source, link.path), f"'{link.role}' links to {link.target}, which does not exist",
                link.source, hint="fix the ID or create the record")


@rule("QMS123", "error", "Link to a record of the wrong kind", area=_AREA, clause=_TRACE,
      rationale="Each link role joins given kinds (a test verifies requirements, a control mitigates "
                "hazardous situations); a link to another kind means the trace does not say what it seems to.",
      per_record=True)
def wrongly_typed_links(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for link in ctx.checked_links():
        target = rs.get(link.target)
        kind = target.KIND if target is not None else rs.unvalidated[link.target].kind \
            if link.target in rs.unvalidated else None
        if kind is None or ANY_KIND in link.targets or kind in link.targets:
            continue
        allowed = ", ".join(link.targets)
        yield wrongly_typed_links.finding(
            ctx.at(link.source, link.path),
            f"'{link.role}' links to {link.target}, a {kind}; it must link to: {allowed}",
            link.source, hint=f"link a {allowed} here, or move the link to the field that fits")


@rule("QMS124", "error", "Status not in the kind's lifecycle", area=_AREA, clause="ISO 13485:2016 4.2.4, 4.2.5",
      rationale="A record's status is a state of its kind's lifecycle; an unknown status cannot be reasoned "
                "about (is it approved? closed?).", per_record=True)
def status_in_lifecycle(ctx: Context) -> Iterator[Finding]:
    for record in ctx.checked_records():
        lifecycle = KINDS[record.KIND].lifecycle
        if record.status not in lifecycle:
            yield status_in_lifecycle.finding(
                ctx.at(record.id, ("status",)),
                f"status '{record.status}' is not in the {record.KIND} lifecycle", record.id,
                hint="use one of: " + ", ".join(lifecycle))


@rule("QMS125", "error", "Date in the future", area=_AREA, clause="21 CFR Part 11 §11.10(e); ALCOA+ contemporaneous",
      rationale="A date on which something happened (executed, approved, received, closed) cannot lie after "
                "the as-of date; a future date is a typo or a record written before the fact.", per_record=True)
def no_future_dates(ctx: Context) -> Iterator[Finding]:
    as_of = ctx.as_of
    for record in ctx.checked_records():
        for path, role, value in iter_dates(record):
            day = value.date() if hasattr(value, "date") else value
            if role == "event" and day > as_of:
                dotted = ".".join(str(p) for p in path)
                yield no_future_dates.finding(
                    ctx.at(record.id, path), f"'{dotted}' is {value.isoformat()}, after the as-of date {as_of}",
                    record.id, hint="correct the date, or run with --as-of if checking as of a later day")


@rule("QMS126", "warning", "Record links to itself", area=_AREA, clause=_TRACE,
      rationale="A record cannot verify, refine or mitigate itself; a self-link is almost always a "
                "copy-paste slip.", per_record=True)
def self_links(ctx: Context) -> Iterator[Finding]:
    for link in ctx.checked_links():
        if link.target == link.source:
            yield self_links.finding(ctx.at(link.source, link.path), f"'{link.role}' links to the record itself",
                                          link.source, hint="link the record you meant")


@rule("QMS127", "error", "ID prefix does not match the kind", area=_AREA, clause="ISO 13485:2016 4.2.4",
      rationale="Kinds are recognised by their ID prefix everywhere (links, sheets, reports); a link written "
                "with an unknown prefix cannot be resolved.", per_record=True)
def unknown_link_prefix(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for link in ctx.checked_links(unvalidated=False):
        if link.target not in rs and kind_of_id(link.target) is None:
            yield unknown_link_prefix.finding(
                ctx.at(link.source, link.path), f"'{link.role}' value '{link.target}' is not a record ID",
                link.source, hint="IDs start with a kind prefix, e.g. REQ-0012")
