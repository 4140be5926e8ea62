"""Cycles in the hierarchical links: strongly connected components, found without recursion.

A hierarchical role joins records of one kind to others of the same kind (a requirement derived from a
parent requirement, a lot consuming a component lot, a document superseding an older one). In such a
role a cycle is a contradiction: a requirement cannot be its own ancestor, a lot cannot contain itself.
The roles come from the link metadata, so a new self-referencing link field is checked without a change
here; `owner` (a user accountable for a user record) joins people, not a hierarchy, and is left out.

Tarjan's algorithm with an explicit stack: linear in records and links, and no recursion limit at
100,000 records in one chain.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from ..model import ANY_KIND, MODELS, plan
from ..recordset import Link, RecordSet

N = TypeVar("N", bound=Hashable)

# Self-referencing roles that are accountability, not hierarchy.
_NOT_HIERARCHY = ("owner",)


def _roles(model: type, prefix: str = "") -> Iterator[tuple[str, tuple[str, ...]]]:
    for f in plan(model).fields.values():
        name = prefix + f.name
        if f.links:
            yield name, f.links
        elif f.nested is not None:
            yield from _roles(f.nested, name + ".")


@cache
def hierarchical_roles() -> tuple[str, ...]:
    """Link roles (dotted as the RecordSet names them) whose targets include the declaring kind."""
    found = {role for model in MODELS for role, targets in _roles(model)
             if model.KIND in targets and ANY_KIND not in targets and role not in _NOT_HIERARCHY}
    return tuple(sorted(found))


def strongly_connected(nodes: Iterable[N], successors: Callable[[N], Iterable[N]]) -> list[list[N]]:
    """Strongly connected components, each listed after every component it reaches (sinks first).

    `successors` may name nodes outside `nodes`; they are visited too.
    """
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    on_stack: set[N] = set()
    stack: list[N] = []
    out: list[list[N]] = []
    for root in nodes:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work: list[tuple[N, Iterator[N]]] = [(root, iter(successors(root)))]
        while work:
            node, it = work[-1]
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors(nxt))))
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            else:
                work.pop()
                if work and low[node] < low[work[-1][0]]:
                    low[work[-1][0]] = low[node]
                if low[node] == index[node]:
                    component: list[N] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(component)
    return out


@dataclass(frozen=True)
class Cycle:
    """One cycle in one role: `path` starts and ends at the smallest ID of its component."""

    role: str
    path: tuple[str, ...]
    link: Link  # the link from path[0] to path[1], where the cycle is reported
    members: tuple[str, ...]  # every record of the strongly connected component, sorted

    def __str__(self) -> str:
        return " → ".join(self.path)


def cycles(rs: RecordSet, roles: Iterable[str] | None = None) -> list[Cycle]:
    """One cycle per strongly connected component of each hierarchical role, by role then first ID.

    A component with several cycles is reported once, with the shortest cycle through its smallest ID
    and the names of the other records caught in it; a self-link is QMS126's to report.
    """
    found: list[Cycle] = []
    by_role: dict[str, dict[str, list[Link]]] = {r: {} for r in (roles if roles is not None else hierarchical_roles())}
    records = rs.records
    # Only records of the kinds that declare one of the roles can hold such a link: their links alone are read.
    for kind in _kinds_declaring(tuple(sorted(by_role))):
        for record in rs.of_kind(kind):
            for link in rs.outgoing.get(record.id, ()):
                edges = by_role.get(link.role)
                if edges is not None and link.target != link.source and link.target in records:
                    edges.setdefault(link.source, []).append(link)
    for role, edges in sorted(by_role.items()):
        onward = cyclic_part({source: [link.target for link in links] for source, links in edges.items()})
        if not onward:
            continue
        for component in strongly_connected(sorted(onward), onward.__getitem__):
            if len(component) > 1:
                found.append(cycle_through(role, set(component), edges))
    return sorted(found, key=lambda c: (c.role, c.path))


def cyclic_part(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """The nodes of `graph` on a cycle or leading into one, with their edges among themselves.

    The rest is peeled off from the leaves up (Kahn's algorithm, linear), so an acyclic hierarchy (the
    usual case) leaves nothing for the search of components.
    """
    waiting = {node: sum(1 for t in targets if t in graph) for node, targets in graph.items()}
    above: dict[str, list[str]] = {}
    for node, targets in graph.items():
        for t in targets:
            if t in graph:
                above.setdefault(t, []).append(node)
    free = [node for node, count in waiting.items() if count == 0]
    while free:
        node = free.pop()
        del waiting[node]
        for parent in above.get(node, ()):
            waiting[parent] -= 1
            if waiting[parent] == 0:
                free.append(parent)
    return {node: [t for t in graph[node] if t in waiting] for node in waiting}


@cache
def _kinds_declaring(roles: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({model.KIND for model in MODELS for role, _ in _roles(model) if role in roles}))


def cycle_through(role: str, members: set[str], edges: dict[str, list[Link]]) -> Cycle:
    """The shortest cycle through the smallest member (breadth first, links in written order)."""
    start = min(members)
    first: dict[str, Link] = {}  # node -> the link that first reached it
    frontier = [start]
    while start not in first and frontier:  # always met in a strongly connected component
        reached: list[str] = []
        for node in frontier:
            for link in edges.get(node, ()):
                if link.target in members and link.target not in first:
                    first[link.target] = link
                    reached.append(link.target)
        frontier = reached
    path = [start]
    node = first[start].source
    while node != start:
        path.append(node)
        node = first[node].source
    path.append(start)
    path.reverse()
    link = next(edge for edge in edges[start] if edge.target == path[1])
    return Cycle(role, tuple(path), link, tuple(sorted(members)))
