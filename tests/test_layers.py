"""The package's layers point only down, and no module imports itself round a cycle.

FLOORS below is the one place the layers are written down (ARCHITECTURE.md explains them). Each floor is a
tuple of rooms; a room is a module or a package of `generator`, and a module belongs to the room with the
longest matching name. A module may import
  - any module of its own room (a package's modules use each other freely, cycles aside),
  - any module of a room on a lower floor,
  - a room on its own floor only where SIDEWAYS says so.
Every import counts, those inside functions too: a lazy import hides a cycle from Python, not from the design.
Imports under `if TYPE_CHECKING:` never run, so they break no cycle rule, but they must still point down.
Importing `generator.a.b` runs `generator/a/__init__.py` first, so that edge is followed too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Ground first. `generator` alone is the package's own __init__ (its version), which imports nothing.
FLOORS: tuple[tuple[str, ...], ...] = (
    # The window of plausible dates: imports nothing of ours, so the stored-result replay of `qms validate`
    # can check an as-of date without loading any model.
    ("generator.datewindow",),
    ("generator.model",),  # record kinds and their fields: pure data
    ("generator.findings",),  # a finding and the place it points at
    ("generator.codes",),  # what each finding code means: severity, clause, rationale
    ("generator.repo_root",),  # where the repository is (qms.yaml found upwards), read by config and the replay
    # Utilities with one job each: files written atomically, paths kept inside the repository, the repository
    # lock, XML-safe text, calendar files, and qms.yaml's settings.
    ("generator", "generator.paths", "generator.atomic", "generator.lock", "generator.xmltext",
     "generator.config"),
    ("generator.load",),  # files of the working tree -> records and located findings
    ("generator.recordset",),  # the loaded records, indexed and linked
    ("generator.analysis",),  # what the records mean: computations the rules and documents share
    ("generator.gitio",),  # the repository's history: signatures, authors, stages, past versions, HEAD state
    ("generator.rules",),  # checks over the RecordSet (and the git facts) -> findings
    # Writers and editors of records and evidence, each standing on the floors below only.
    ("generator.interchange", "generator.edit", "generator.validation"),
    ("generator.render",),  # controlled documents and the dossier (which runs the automated protocols)
    ("generator.excel",),  # the spreadsheet round trip: writes workbooks with render.xlsx, edits YAML with edit
    # Commands, and what drives them: the protocol step library runs `qms` itself and builds dossiers.
    ("generator.cli", "generator.validation.steps", "generator.templates"),
    ("generator.__main__",),
)

# Rooms on one floor that may use each other, one way: (importing room, imported room) -> why.
SIDEWAYS: dict[tuple[str, str], str] = {
    ("generator.validation.steps", "generator.cli"): "the step 'I run qms with' runs the command in-process",
    ("generator.interchange", "generator.edit"): "an import's --update edits a record file with the one "
                                                 "round-trip field edit that Excel import uses",
}

# Single imports that may point up, each lazy and for a reason the layers cannot express.
EXCEPTIONS: dict[tuple[str, str], str] = {
    # The protocol runner hands the step library to pytest as a plugin; the library stands on top because its
    # steps run `qms` in-process and build dossiers (the tool's own OQ protocols validate the tool).
    ("generator.validation.runner", "generator.validation.steps"): "the step library is pytest's plugin",
    # A document's provisional number is its place among every document the dossier makes, and that list is
    # the dossier's section table. To remove: have DocumentSet.for_records take the keys from its callers.
    ("generator.render.document", "generator.render.dossier_sections"): "numbering needs the dossier's documents",
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (a package means its __init__)
    file: Path
    line: int
    type_only: bool

    def __str__(self) -> str:
        return f"{self.file.relative_to(PACKAGE.parent)}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports(name: str, path: Path, known: dict[str, Path]) -> list[Import]:
    """Every import of a `generator` module in one file, resolved to module names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        targets: list[str] = []
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            # `from pkg import sub` imports the module pkg.sub; `from mod import name` imports mod.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in dict.fromkeys(targets):
            if target == "generator" or target.startswith("generator."):
                found.append(Import(name, target, path, line, type_only))
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return found


def all_imports() -> list[Import]:
    known = modules()
    return [imp for name, path in known.items() for imp in imports(name, path, known)]


def room_of(module: str) -> str:
    rooms = [room for floor in FLOORS for room in floor if module == room or module.startswith(room + ".")]
    assert rooms, f"{module} is on no floor: add its room to FLOORS in tests/test_layers.py"
    return max(rooms, key=len)


def floor_of(room: str) -> int:
    return next(i for i, floor in enumerate(FLOORS) if room in floor)


def upward(imports_: list[Import]) -> list[str]:
    wrong = []
    for imp in imports_:
        source, target = room_of(imp.source), room_of(imp.target)
        if (source == target or floor_of(target) < floor_of(source) or (source, target) in SIDEWAYS
                or (imp.source, imp.target) in EXCEPTIONS):
            continue
        where = "a higher floor" if floor_of(target) > floor_of(source) else "a room beside it"
        wrong.append(f"{imp} ({target} is on {where} than {source})")
    return wrong


def runtime_edges(imports_: list[Import]) -> dict[str, dict[str, Import]]:
    """Module -> modules it makes Python run, each with the import that does it.

    Importing generator.a.b runs generator/a/__init__.py first, unless the importer is already inside
    generator.a (then that __init__ is running or has run)."""
    edges: dict[str, dict[str, Import]] = {}
    for imp in imports_:
        if imp.type_only or (imp.source, imp.target) in EXCEPTIONS:
            continue
        out = edges.setdefault(imp.source, {})
        parts = imp.target.split(".")
        for i in range(1, len(parts) + 1):
            target = ".".join(parts[:i])
            inside = imp.source == target or imp.source.startswith(target + ".")
            if target != imp.source and (target == imp.target or not inside):
                out.setdefault(target, imp)
    return edges


def cycles(edges: dict[str, dict[str, Import]]) -> list[list[Import]]:
    """One cycle for each strongly connected group of modules (Tarjan), as the imports that close it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, {})):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return [_one_cycle(group, edges) for group in groups]


def _one_cycle(group: set[str], edges: dict[str, dict[str, Import]]) -> list[Import]:
    """A shortest way round from the group's first module back to itself."""
    start = min(group)
    paths: dict[str, list[Import]] = {start: []}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for target, imp in sorted(edges.get(node, {}).items()):
                if target == start:
                    return [*paths[node], imp]
                if target in group and target not in paths:
                    paths[target] = [*paths[node], imp]
                    nxt.append(target)
        frontier = nxt
    raise AssertionError(f"no cycle through {start}")


def test_every_module_has_a_floor():
    assert [m for m in modules() if not any(m == r or m.startswith(r + ".") for f in FLOORS for r in f)] == []


def test_imports_point_only_down():
    wrong = upward(all_imports())
    assert not wrong, "imports against the layers (FLOORS in tests/test_layers.py):\n" + "\n".join(wrong)


def test_no_import_cycles():
    found = cycles(runtime_edges(all_imports()))
    shown = ["\n".join(f"  {imp}" for imp in cycle) for cycle in found]
    assert not found, f"{len(found)} import cycle(s), each shown as the imports that close it:\n" + "\n\n".join(shown)


def test_the_check_sees_what_it_must():
    """The checker itself, on cases whose answer is known: an upward import, a sibling cycle through a package
    __init__, and a type-only import that breaks no cycle."""
    lower = Import("generator.load.repo", "generator.rules.context", PACKAGE / "load" / "repo.py", 7, False)
    assert upward([lower]) == ["generator/load/repo.py:7 imports generator.rules.context (generator.rules is on "
                               "a higher floor than generator.load)"]
    down = Import("generator.rules.capa", "generator.load.repo", PACKAGE / "rules" / "capa.py", 3, False)
    assert upward([down]) == []
    # load.repo -> rules.codes runs rules/__init__, which imports load.repo: a cycle of two modules.
    a = Import("generator.load.repo", "generator.rules.codes", PACKAGE / "load" / "repo.py", 5, False)
    b = Import("generator.rules", "generator.load.repo", PACKAGE / "rules" / "__init__.py", 9, False)
    assert cycles(runtime_edges([a, b])) == [[a, b]]
    assert cycles(runtime_edges([a, Import(b.source, b.target, b.file, b.line, True)])) == []
    # A module importing a sibling does not re-run its own package's __init__.
    sibling = Import("generator.rules.capa", "generator.rules.registry", PACKAGE / "rules" / "capa.py", 2, False)
    init = Import("generator.rules", "generator.rules.capa", PACKAGE / "rules" / "__init__.py", 3, False)
    assert cycles(runtime_edges([sibling, init])) == []
