"""The import report: every item and every link of the source, and what became of it.

An item becomes a record (created, updated, unchanged, left as it was because it already exists, or
refused: an approved or effective record is never changed by an import),
or document structure (a heading), or is dropped with the reason. A link becomes one of our links
(reviewed, unreviewed or suspect) or is dropped with the reason. The counts add up to what was read,
so nothing is lost without a line saying so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model.raw import JsonObject


@dataclass(frozen=True)
class Mapped:
    source: str  # ID in the other tool
    id: str  # our ID
    kind: str
    origin: str  # file:line it was read from
    action: str  # create | update | unchanged | exists | refused
    file: str  # where the record is (or will be) kept, relative to the repository
    changed: tuple[str, ...] = ()  # fields an update changes


@dataclass(frozen=True)
class LinkNote:
    source: str  # our ID of the linking record
    role: str
    target: str  # our ID of the target
    state: str  # reviewed | unreviewed | suspect
    was: str  # the link as the other tool wrote it, "A -> B"


@dataclass(frozen=True)
class Dropped:
    what: str  # "item X", "link A -> B", "attribute K of X"
    origin: str
    why: str


@dataclass(frozen=True)
class Refused:
    """An update the import would make to a released record: not made, and said why."""

    id: str
    source: str
    origin: str
    file: str
    status: str
    changed: tuple[str, ...]

    @property
    def why(self) -> str:
        if self.changed == ("origin",):  # --adopt
            return (f"{self.id} is {self.status}: an import does not change a released record, not even to add "
                    f"its origin (revise {self.id} through approval, then adopt it)")
        return (f"{self.id} is {self.status}: an import does not change a released record; "
                f"the source changed {', '.join(self.changed)} (revise {self.id} through approval to take it)")


@dataclass(frozen=True)
class Heading:
    source: str
    origin: str
    level: str
    text: str


@dataclass
class Report:
    tool: str
    path: str
    dry_run: bool
    source: str = ""  # the name given with --source for the source's records (else each reader's own)
    documents: list[dict[str, Any]] = field(default_factory=list)
    records: list[Mapped] = field(default_factory=list)
    links: list[LinkNote] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    items_read: int = 0
    links_read: int = 0
    text_from: dict[str, str] = field(default_factory=dict)  # source ID -> attribute its text was taken from

    def count(self, action: str) -> int:
        return sum(1 for r in self.records if r.action == action)

    def summary(self) -> dict[str, int]:
        dropped_links = sum(1 for d in self.dropped if d.what.startswith("link "))
        dropped_items = sum(1 for d in self.dropped if d.what.startswith("item "))
        return {
            "items_read": self.items_read,
            "records": len(self.records),
            "headings": len(self.headings),
            "items_dropped": dropped_items,
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "exists": self.count("exists"),
            "refused": self.count("refused"),
            "links_read": self.links_read,
            "links": len(self.links),
            "links_reviewed": sum(1 for n in self.links if n.state == "reviewed"),
            "links_unreviewed": sum(1 for n in self.links if n.state == "unreviewed"),
            "links_suspect": sum(1 for n in self.links if n.state == "suspect"),
            "links_dropped": dropped_links,
            "renamed": sum(1 for r in self.records if r.source != r.id and r.id),
            # --adopt: records given their origin, and items no record was found for
            **({"adopted": self.count("adopt"), "unmatched": self.count("unmatched")}
               if self.count("adopt") or self.count("unmatched") else {}),
        }

    def as_json(self) -> JsonObject:
        return {
            "tool": self.tool,
            "path": self.path,
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "documents": self.documents,
            "records": [
                {"source": r.source, "id": r.id, "kind": r.kind, "origin": r.origin, "action": r.action,
                 "file": r.file, **({"changed": list(r.changed)} if r.changed else {})}
                for r in self.records
            ],
            "links": [{"source": n.source, "role": n.role, "target": n.target, "state": n.state, "was": n.was}
                      for n in self.links],
            "headings": [{"source": h.source, "origin": h.origin, "level": h.level, "text": h.text}
                         for h in self.headings],
            "dropped": [{"what": d.what, "origin": d.origin, "why": d.why} for d in self.dropped],
            "refused": [{"id": r.id, "source": r.source, "origin": r.origin, "file": r.file, "status": r.status,
                         "changed": list(r.changed), "why": r.why} for r in self.refused],
            **({"text_from": self.text_from} if self.text_from else {}),
        }

    def json(self) -> str:
        return json.dumps(self.as_json(), indent=2, ensure_ascii=False)

    def text(self) -> str:
        s = self.summary()
        verb = "would be" if self.dry_run else "were"
        lines = [f"{self.tool} import from {self.path}" + (" (dry run: nothing written)" if self.dry_run else "")]
        for doc in self.documents:
            lines.append(f"  document {doc['name']} -> {doc['kind']}: {doc['items']} item(s)")
        lines.append("")
        for r in self.records:
            if r.action == "unmatched":
                lines.append(f"  unmatched {r.source} {r.kind}: no record without origin has it as legacy_id")
                continue
            renamed = f" (was {r.source})" if r.source != r.id else ""
            extra = f" [{', '.join(r.changed)}]" if r.changed else ""
            lines.append(f"  {r.action:9} {r.id}{renamed} {r.kind} -> {r.file}{extra}")
        for h in self.headings:
            lines.append(f"  heading   {h.source} {h.level} {h.text}")
        for d in self.dropped:
            lines.append(f"  dropped   {d.what} ({d.origin}): {d.why}")
        for refusal in self.refused:
            lines.append(f"  refused   {refusal.why} ({refusal.origin})")
        lines.append("")
        lines.append(
            f"{s['items_read']} item(s) read: {s['records']} record(s), {s['headings']} heading(s), "
            f"{s['items_dropped']} dropped; {s['created']} {verb} created, {s['updated']} updated, "
            f"{s['unchanged']} unchanged, {s['exists']} already existed (use --update to change them)"
            + (f", {s['refused']} refused (approved or effective)" if s["refused"] else "")
            + (f", {s['adopted']} {verb} adopted (origin added), {s['unmatched']} unmatched" if "adopted" in s else ""))
        lines.append(
            f"{s['links_read']} link(s) read: {s['links']} kept ({s['links_reviewed']} reviewed, "
            f"{s['links_unreviewed']} unreviewed, {s['links_suspect']} suspect), {s['links_dropped']} dropped; "
            f"{s['renamed']} record(s) renamed (original ID kept in origin)")
        return "\n".join(lines)
