"""The RecordSet: one index of records by ID and one typed link graph. Nothing else."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar, cast

from .config import RepoConfig
from .load.source import Source, Unvalidated
from .model import KINDS, Record, Ref, collect_links

R = TypeVar("R", bound=Record)


class Link(NamedTuple):
    """A typed edge: `source` --role--> `target`, as written at `path` inside the source record.

    A NamedTuple rather than a frozen dataclass: a RecordSet builds tens of thousands of them.
    """

    source: str
    role: str
    target: str
    path: tuple[Any, ...]
    fingerprint: str | None
    targets: tuple[str, ...]  # kinds the role may point at


class RecordSet:
    def __init__(self, records: Iterable[tuple[Record, Source]], config: RepoConfig | None = None,
                 unvalidated: Iterable[Unvalidated] = ()):
        self.config = config
        self.records: dict[str, Record] = {}
        self.sources: dict[str, Source] = {}
        # Second and later records claiming an ID already taken, with where they stand.
        self.duplicates: list[tuple[Record, Source]] = []
        by_kind: dict[str, list[Record]] = defaultdict(list)
        for record, source in records:
            if record.id in self.records:
                self.duplicates.append((record, source))
                continue
            self.records[record.id] = record
            self.sources[record.id] = source
            by_kind[record.KIND].append(record)
        self._by_kind = {k: sorted(v, key=lambda r: r.id) for k, v in by_kind.items()}
        self._by_model: dict[type[Record], list[Record]] = {}
        self.outgoing: dict[str, list[Link]] = defaultdict(list)
        self.incoming: dict[str, list[Link]] = defaultdict(list)
        self._links: list[Link] = []  # every link, by source ID then position in the record
        # Incoming links by (target, role), built on first use: a hazard or a policy can have thousands of
        # incoming links of other roles, which filtering `incoming` would scan on every call.
        self._incoming_by_role: dict[tuple[str, str], list[Link]] | None = None
        uses: list[tuple[Any, ...]] = []
        incoming = self.incoming
        for record_id in sorted(self.records):
            uses.clear()
            collect_links(self.records[record_id], uses)
            if not uses:
                continue
            edges = [Link(record_id, role, ref.id, path, ref.fingerprint, targets) for path, role, ref, targets in uses]
            self._links.extend(edges)
            self.outgoing[record_id] = edges
            for edge in edges:
                incoming[edge.target].append(edge)
        # Records that failed their schema, by ID: they exist (a link to one is not dangling), and the links
        # they hold are kept apart from the graph, for the reference rules alone: no other rule reads them.
        self.unvalidated: dict[str, Unvalidated] = {}
        self.unvalidated_links: list[Link] = []
        for u in unvalidated:
            if u.id in self.records or u.id in self.unvalidated:
                continue
            self.unvalidated[u.id] = u
            self.unvalidated_links += [Link(u.id, role, ref.id, path, ref.fingerprint, targets)
                                       for path, role, ref, targets in u.links]

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self.records

    def get(self, record_id: str | Ref | None) -> Record | None:
        if type(record_id) is str:  # most callers hold the ID itself: no str() call
            return self.records.get(record_id)
        if record_id is None:
            return None
        return self.records.get(str(record_id))

    def get_as(self, record_id: str | Ref | None, model: type[R]) -> R | None:
        """The record with this ID if it is a `model` (a Lot, a Supplier ...); None when missing or of
        another kind, which reference rules report on their own."""
        record = self.get(record_id)
        return record if isinstance(record, model) else None

    def of_kind(self, kind: str) -> list[Record]:
        """Records of one kind, sorted by ID."""
        if kind not in KINDS:
            raise KeyError(kind)
        return self._by_kind.get(kind, [])

    def of_type(self, model: type[R]) -> list[R]:
        """Records of one model, sorted by ID: `of_type(Capa)` is `of_kind("capa")` typed as capas.

        A policy model (CapaPolicy ...) gives only the policies of that model, not every policy.
        """
        found = self._by_model.get(model)
        if found is None:
            found = self._by_model[model] = [r for r in self.of_kind(model.KIND) if isinstance(r, model)]
        # Every record in the list passed isinstance(r, model) above; the dict cannot say so per key.
        return cast(list[R], found)

    def links(self) -> list[Link]:
        return self._links

    def links_to(self, record_id: str, role: str | None = None) -> list[Link]:
        if role is None:
            return list(self.incoming.get(record_id, ()))
        if self._incoming_by_role is None:
            by_role: dict[tuple[str, str], list[Link]] = defaultdict(list)
            for link in self._links:  # the order of `incoming`: by source ID, then position
                by_role[link.target, link.role].append(link)
            self._incoming_by_role = dict(by_role)
        return list(self._incoming_by_role.get((record_id, role), ()))

    def links_from(self, record_id: str, role: str | None = None) -> list[Link]:
        return [link for link in self.outgoing.get(record_id, ()) if role is None or link.role == role]
