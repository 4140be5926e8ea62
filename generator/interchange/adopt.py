"""`qms import … --adopt`: give records imported before origins existed the origin they came from.

Such a record has no origin, so a later import cannot find it again and would create a second one. Its
`legacy_id` recorded the item's ID in the source; adopting matches each item of the source to the one
record without origin, of the item's kind, whose legacy_id is that ID, and adds the item's origin to it.
Nothing else of the record changes (an `--update` afterwards brings the content), an item matched by no
record is listed and nothing is created, a bare ID never matches, and an approved or effective record is
refused as `--update` refuses it (adding the origin changes it).
"""

from __future__ import annotations

from pathlib import Path

from ..findings import QmsError
from ..model import KINDS
from .report import Mapped, Refused, Report
from .writer import FROZEN, LINK_FIELD, Item, Write, apply, build_record, edited_text, existing_records

ORIGIN = ("origin",)


def plan_adoption(root: Path, items: list[Item], report: Report, source: str = "") -> list[Write]:
    """The record files to write with their origin added, and `report` filled in (actions: adopt,
    unchanged when the record already carries the origin, unmatched, refused)."""
    by_id, by_origin, _ = existing_records(root)
    candidates: dict[str, list[str]] = {}  # legacy ID -> records without origin that record it
    for rid, (rec, _src) in by_id.items():
        legacy = getattr(rec, "legacy_id", None)
        if rec.KIND in LINK_FIELD and legacy and getattr(rec, "origin", None) is None:
            candidates.setdefault(legacy, []).append(rid)
    writes: list[Write] = []
    seen: dict[str, str] = {}
    for item in items:
        if item.source in seen:
            raise QmsError(f"{item.origin}: {item.source} appears twice (first at {seen[item.source]})")
        seen[item.source] = item.origin
        key = (report.tool, report.source or item.document or source, item.source)
        if key in by_origin:
            rid = by_origin[key]
            report.records.append(Mapped(item.source, rid, item.kind, item.origin, "unchanged", by_id[rid][1].file))
            continue
        hits = sorted(rid for rid in candidates.get(item.source, []) if by_id[rid][0].KIND == item.kind)
        if len(hits) > 1:
            raise QmsError(f"{item.origin}: {item.source} is the legacy_id of {', '.join(hits)}; --adopt cannot tell "
                           "which one came from it (correct the legacy_id of the others)")
        if not hits:
            report.records.append(Mapped(item.source, "", item.kind, item.origin, "unmatched", ""))
            continue
        rid = hits[0]
        rec, src = by_id[rid]
        if rec.status in FROZEN:
            report.refused.append(Refused(rid, item.source, item.origin, src.file, rec.status, ORIGIN))
            report.records.append(Mapped(item.source, rid, item.kind, item.origin, "refused", src.file, ORIGIN))
            continue
        if src.sheet or not src.file.endswith((".yaml", ".yml")):
            raise QmsError(f"{item.origin}: {rid} is a row of {src.at()}; --adopt can change only records kept "
                           "in YAML files")
        data = rec.model_dump(mode="json", exclude_defaults=True)
        data["origin"] = {"tool": key[0], "source": key[1], "uid": key[2]}
        adopted = build_record(KINDS[rec.KIND], data, item.origin, item.source)
        writes.append(Write(root / src.file, edited_text(root / src.file, adopted, ORIGIN)))
        report.records.append(Mapped(item.source, rid, item.kind, item.origin, "adopt", src.file, ORIGIN))
    return writes


def run_adoption(root: Path, items: list[Item], report: Report, *, dry_run: bool, source: str = "") -> Report:
    report.items_read += len(items)
    writes = plan_adoption(root, items, report, source)
    if not dry_run:
        apply(writes)
    return report
