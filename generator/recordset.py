"""The RecordSet: one index of records by ID and one typed link graph. Nothing else.

While watched (`watch()`), it notes which record kinds the code running reads: `qms validate` keeps each
rule's footprint, and re-runs after an edit only the rules whose footprint meets a changed kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, NamedTuple, TypeVar, cast

from .config import RepoConfig
from .load.source import Source, Unvalidated
from .model import KINDS, Record, Ref, collect_links, plan

R = TypeVar("R", bound=Record)
K = TypeVar("K")
V = TypeVar("V")

# Footprint tokens besides kind names: ANY, a read that any kind's records can change (iterating every record,
# every link, a record ID of no known prefix); ALWAYS, a read of what is not a record (git, data files):
# the reader runs again on every run.
ANY = "*"
ALWAYS = "!"


def _prefix_kinds() -> dict[str, str]:
    found: dict[str, str] = {}
    for kind in KINDS.values():
        for prefix in kind.prefixes:
            found[prefix] = kind.name if found.get(prefix, kind.name) == kind.name else ANY
    return found


PREFIX_KIND = _prefix_kinds()


def id_token(record_id: object) -> str:
    """The footprint token of a read by ID: the kind its prefix names (the loader gives a record with a known
    prefix that kind, and `qms validate` counts a changed record under its prefix's kind too), else ANY."""
    prefix, sep, _ = str(record_id).partition("-")
    return PREFIX_KIND.get(prefix, ANY) if sep else ANY


@cache
def _role_holders() -> dict[str, frozenset[str]]:
    """Link role (dotted field path, as in Link.role) -> the kinds whose records can hold a link of it
    (computed when first needed: only a watched RecordSet asks)."""
    found: dict[str, set[str]] = defaultdict(set)

    def walk(model: Any, prefix: str, kind: str) -> None:
        for f in plan(model).link_walk:
            name = f"{prefix}.{f.name}" if prefix else f.name
            if f.links:
                found[name].add(kind)
            elif f.nested is not None:
                walk(f.nested, name, kind)

    for kind in KINDS.values():
        for model in kind.models:
            walk(model, "", kind.name)
    return {role: frozenset(kinds) for role, kinds in found.items()}



class Watch:
    """The footprint tokens read by the code running now: one frame per rule or analysis being computed;
    a frame closed is added to the one below it (an analysis computed inside a rule is read by that rule).

    `top` is the open frame. Once it holds ANY, which kind an ID read names no longer matters to it
    (`saturated`): reads by ID, the most frequent, then cost one attribute test. `tokens` remembers each
    ID's token."""

    __slots__ = ("frames", "saturated", "tokens", "top")

    def __init__(self) -> None:
        self.top: set[str] = set()
        self.frames: list[set[str]] = [self.top]
        self.tokens: dict[object, str] = {}
        self.saturated = False

    def push(self) -> None:
        self.top = set()
        self.frames.append(self.top)
        self.saturated = False

    def pop(self) -> frozenset[str]:
        seen = self.frames.pop()
        self.top = self.frames[-1]
        self.top |= seen
        self.saturated = ANY in self.top
        return frozenset(seen)

    def add(self, token: str) -> None:
        self.top.add(token)
        if token == ANY:
            self.saturated = True

    def merge(self, tokens: Iterable[str]) -> None:
        self.top.update(tokens)
        self.saturated = ANY in self.top

    def read(self, record_id: object) -> None:
        """Note a read by ID."""
        if self.saturated:
            return
        try:
            token = self.tokens[record_id]
        except (KeyError, TypeError):  # TypeError: a value no ID can equal (a list ...), unhashable
            token = id_token(record_id)
            if type(record_id) is str:
                self.tokens[record_id] = token
        self.top.add(token)
        if token == ANY:
            self.saturated = True


class _SeenDict(dict[K, V]):
    """A dict by record ID that notes, on its watch, the kind of each ID read and ANY for a read of the whole."""

    __slots__ = ("_watch",)

    def __init__(self, items: dict[K, V], watch: Watch):
        super().__init__(items)
        self._watch = watch

    def _seen(self, key: object) -> None:
        """Note a read of one key."""
        self._watch.read(key)

    def __getitem__(self, key: K) -> V:
        self._seen(key)
        return super().__getitem__(key)

    def get(self, key: K, default: Any = None) -> Any:
        self._seen(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self._seen(key)
        return super().__contains__(key)

    def __iter__(self) -> Iterator[K]:
        self._watch.add(ANY)
        return super().__iter__()

    def __len__(self) -> int:
        self._watch.add(ANY)
        return super().__len__()

    def keys(self) -> Any:
        self._watch.add(ANY)
        return super().keys()

    def values(self) -> Any:
        self._watch.add(ANY)
        return super().values()

    def items(self) -> Any:
        self._watch.add(ANY)
        return super().items()

    def copy(self) -> Any:
        self._watch.add(ANY)
        return super().copy()

    def __reversed__(self) -> Any:
        self._watch.add(ANY)
        return super().__reversed__()

    def __eq__(self, other: object) -> bool:
        self._watch.add(ANY)
        return super().__eq__(other)

    def __or__(self, other: Any) -> Any:
        self._watch.add(ANY)
        return super().__or__(other)


class _SeenLinks(_SeenDict[str, list["Link"]]):
    """`incoming` while watched: the links to a record come from records of any kind, so any read is ANY."""

    __slots__ = ()

    def _seen(self, key: object) -> None:
        self._watch.add(ANY)

    def __missing__(self, key: str) -> list[Link]:
        return []


class _SeenOutgoing(_SeenDict[str, list["Link"]]):
    """`outgoing` while watched: the links a record holds are read by its ID."""

    __slots__ = ()

    def __missing__(self, key: str) -> list[Link]:
        return []


class _SeenList(list[V]):
    """A list of every record's something (duplicates, links of unvalidated records): any read is ANY."""

    __slots__ = ("_watch",)

    def __init__(self, items: list[V], watch: Watch):
        super().__init__(items)
        self._watch = watch

    def __iter__(self) -> Iterator[V]:
        self._watch.add(ANY)
        return super().__iter__()

    def __len__(self) -> int:
        self._watch.add(ANY)
        return super().__len__()

    def __getitem__(self, index: Any) -> Any:
        self._watch.add(ANY)
        return super().__getitem__(index)

    def __contains__(self, item: object) -> bool:
        self._watch.add(ANY)
        return super().__contains__(item)

    def __reversed__(self) -> Iterator[V]:
        self._watch.add(ANY)
        return super().__reversed__()

    def __add__(self, other: Any) -> Any:
        self._watch.add(ANY)
        return super().__add__(other)

    def __eq__(self, other: object) -> bool:
        self._watch.add(ANY)
        return super().__eq__(other)

    def copy(self) -> list[V]:
        self._watch.add(ANY)
        return super().copy()


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
        self._watch: Watch | None = None
        self.records: dict[str, Record] = {}
        self._index = self.records  # the same dict, never swapped for a watched one: get() notes reads itself
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
        # By role, then target: keyed by the ID strings the links hold, not by a (target, role) pair made per link.
        self._incoming_by_role: dict[str, dict[str, list[Link]]] | None = None
        uses: list[tuple[Any, ...]] = []
        incoming = self.incoming
        outgoing = self.outgoing
        every = self._links
        held = self.records
        # Each link's path, shared: ("verifies", 0) is the path of a link in thousands of records, and a path of
        # its own per link would cost tens of megabytes at 100,000 records. (Its role is shared already: one
        # string per field of a model, collect_links.)
        shared: dict[Any, Any] = {}
        share = shared.setdefault
        for record_id in sorted(held):
            uses.clear()
            collect_links(held[record_id], uses)
            if not uses:
                continue
            edges = [Link(record_id, role, ref.id, share(path, path), ref.fingerprint, targets)
                     for path, role, ref, targets in uses]
            every.extend(edges)
            outgoing[record_id] = edges
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

    def watch(self) -> Watch:
        """Start noting what is read (see Watch); the footprints are read from the returned Watch's frames."""
        if self._watch is None:
            watch = self._watch = Watch()
            self.records = _SeenDict(self.records, watch)
            self.sources = _SeenDict(self.sources, watch)
            self.unvalidated = _SeenDict(self.unvalidated, watch)
            self.outgoing = _SeenOutgoing(self.outgoing, watch)
            self.incoming = _SeenLinks(self.incoming, watch)
            self.duplicates = _SeenList(self.duplicates, watch)
            self.unvalidated_links = _SeenList(self.unvalidated_links, watch)
        return self._watch

    @property
    def watching(self) -> Watch | None:
        return self._watch

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, record_id: object) -> bool:
        watch = self._watch
        if watch is not None and not watch.saturated:
            watch.read(record_id)
        return record_id in self._index

    def every_record(self) -> dict[str, Record]:
        """Every record by ID, as a plain dict, for code that reads them all (a footprint of ANY whatever it
        reads next): its reads are then not noted one by one. Not to be changed."""
        if self._watch is not None:
            self._watch.add(ANY)
        return self._index

    def get(self, record_id: str | Ref | None) -> Record | None:
        if type(record_id) is not str:  # most callers hold the ID itself: no str() call
            if record_id is None:
                return None
            record_id = str(record_id)
        watch = self._watch
        if watch is not None and not watch.saturated:
            watch.read(record_id)
        return self._index.get(record_id)

    def get_as(self, record_id: str | Ref | None, model: type[R]) -> R | None:
        """The record with this ID if it is a `model` (a Lot, a Supplier ...); None when missing or of
        another kind, which reference rules report on their own."""
        record = self.get(record_id)
        return record if isinstance(record, model) else None

    def of_kind(self, kind: str) -> list[Record]:
        """Records of one kind, sorted by ID."""
        if kind not in KINDS:
            raise KeyError(kind)
        if self._watch is not None:
            self._watch.add(kind)
        return self._by_kind.get(kind, [])

    def of_type(self, model: type[R]) -> list[R]:
        """Records of one model, sorted by ID: `of_type(Capa)` is `of_kind("capa")` typed as capas.

        A policy model (CapaPolicy ...) gives only the policies of that model, not every policy.
        """
        found = self._by_model.get(model)
        if found is None:
            found = self._by_model[model] = [r for r in self.of_kind(model.KIND) if isinstance(r, model)]
        elif self._watch is not None:
            self._watch.add(model.KIND)
        # Every record in the list passed isinstance(r, model) above; the dict cannot say so per key.
        return cast(list[R], found)

    def links(self) -> list[Link]:
        if self._watch is not None:
            self._watch.add(ANY)
        return self._links

    def links_to(self, record_id: str, role: str | None = None) -> list[Link]:
        if self._watch is not None:  # the kinds whose records can hold a link of this role, to anything
            self._watch.merge(_role_holders().get(role, (ANY,)) if role is not None else (ANY,))
        if role is None:
            return list(dict.get(self.incoming, record_id, ()))
        if self._incoming_by_role is None:
            by_role: dict[str, dict[str, list[Link]]] = {}
            for link in self._links:  # the order of `incoming`: by source ID, then position
                to = by_role.get(link.role)
                if to is None:
                    to = by_role[link.role] = {}
                held = to.get(link.target)
                if held is None:
                    to[link.target] = [link]
                else:
                    held.append(link)
            self._incoming_by_role = by_role
        return list(self._incoming_by_role.get(role, {}).get(record_id, ()))

    def links_from(self, record_id: str, role: str | None = None) -> list[Link]:
        return [link for link in self.outgoing.get(record_id, ()) if role is None or link.role == role]
