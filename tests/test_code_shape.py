"""The shape checks of issue 20, run as tests so CI keeps them: ruff and mypy pass over the package,
`# type: ignore` stays the rare exception it should be (at most ten in generator/, each saying why), and a
public function names the types it takes and returns (no bare `Any` in its signature)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from support import ROOT

MAX_TYPE_IGNORES = 10
# `# type: ignore[code]` followed by its reason: a dash or a comment naming why the checker is wrong.
_IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?(?P<rest>.*)$")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=900)


def test_ruff_passes():
    done = _run("ruff", "check", "generator", "tests", "benchmarks")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes():
    done = _run("mypy")  # files and options from [tool.mypy] in pyproject.toml
    assert done.returncode == 0, done.stdout + done.stderr


def test_type_ignores_are_few_and_explained():
    found: list[tuple[str, int, str]] = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = _IGNORE.search(line)
            if m:
                found.append((str(path.relative_to(ROOT)), number, m.group("rest").strip(" -#:")))
    listing = "\n".join(f"{file}:{number}: {reason or '(no reason)'}" for file, number, reason in found)
    assert len(found) <= MAX_TYPE_IGNORES, f"{len(found)} type: ignore comments (at most {MAX_TYPE_IGNORES}):\n{listing}"
    unexplained = [(file, number) for file, number, reason in found if not reason]
    assert not unexplained, f"type: ignore without a reason after it:\n{listing}"


# Public signatures that keep a bare `Any`, as "file:function:parameter" ("return" for the return type), each
# with the reason no other type will do. Everything else names its types: a record model, RecordSet, Source,
# `object` for a value only inspected (a pydantic before-validator's input, a click converter's value), or an
# alias of generator/model/raw.py for free-form YAML/JSON data.
BARE_ANY_ALLOWED = {
    "generator/model/base.py:link:return": "a pydantic Field(...), typed Any as pydantic.Field is, so that "
                                           "`x: list[Ref] = link(...)` checks as the field's own type",
    "generator/model/base.py:event_date:return": "a pydantic Field(...) for a date field (as link)",
    "generator/model/base.py:planned_date:return": "a pydantic Field(...) for a date field (as link)",
    "generator/model/base.py:choice:return": "a pydantic Field(...) for an enumerated text field (as link)",
}


def _is_any(node: ast.expr) -> bool:
    """`Any` or `typing.Any`."""
    return isinstance(node, ast.Name) and node.id == "Any" or isinstance(node, ast.Attribute) and node.attr == "Any"


def _annotation(node: ast.expr) -> ast.expr:
    """The annotation itself; a quoted one ("RecordSet | None") parsed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return ast.parse(node.value, mode="eval").body
    return node


def _public_functions(body: list[ast.stmt],
                      prefix: str = "") -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Module-level functions and the methods of module-level classes (nested classes too) whose names, and
    whose classes' names, do not start with `_`."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield from _public_functions(node.body, f"{prefix}{node.name}.")


def _signature_any(root: Path) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(bare, nested): "file:function:parameter" and line of each public annotation that is exactly `Any`,
    and of each that holds `Any` inside (`dict[str, Any]`), over the public modules of generator/."""
    bare: list[tuple[str, int]] = []
    nested: list[tuple[str, int]] = []
    for path in sorted((root / "generator").rglob("*.py")):
        if path.stem.startswith("_") and path.stem not in ("__init__", "__main__"):
            continue
        rel = path.relative_to(root).as_posix()
        for name, fn in _public_functions(ast.parse(path.read_text(encoding="utf-8")).body):
            a = fn.args
            params = [*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg]
            annotated = [(p.arg, p.annotation) for p in params if p is not None and p.annotation is not None]
            if fn.returns is not None:
                annotated.append(("return", fn.returns))
            for param, node in annotated:
                node = _annotation(node)
                if _is_any(node):
                    bare.append((f"{rel}:{name}:{param}", fn.lineno))
                elif any(_is_any(n) for n in ast.walk(node) if isinstance(n, ast.expr)):
                    nested.append((f"{rel}:{name}:{param}", fn.lineno))
    return bare, nested


def test_signature_any_finder_reads_what_it_should(tmp_path):
    (tmp_path / "generator" / "room").mkdir(parents=True)
    (tmp_path / "generator" / "room" / "shape.py").write_text(
        "from typing import Any\n"
        "import typing\n"
        "def open_(value: Any, *more: typing.Any, **kw: 'Any') -> dict[str, Any]: ...\n"
        "def _private(value: Any) -> Any: ...\n"
        "class Box:\n"
        "    def get(self, key: object) -> Any: ...\n"
        "    def _own(self, key: Any) -> None: ...\n"
        "class _Hidden:\n"
        "    def get(self) -> Any: ...\n"
        "def outer() -> None:\n"
        "    def inner(x: Any) -> None: ...\n", encoding="utf-8")
    (tmp_path / "generator" / "_private_module.py").write_text("def f(x: Any) -> None: ...\n", encoding="utf-8")
    bare, nested = _signature_any(tmp_path)
    assert bare == [("generator/room/shape.py:open_:value", 3), ("generator/room/shape.py:open_:more", 3),
                    ("generator/room/shape.py:open_:kw", 3), ("generator/room/shape.py:Box.get:return", 6)]
    assert nested == [("generator/room/shape.py:open_:return", 3)]


def test_public_signatures_name_their_types():
    bare, _nested = _signature_any(ROOT)
    found = {where for where, _line in bare}
    unexplained = [f"{where.rsplit(':', 2)[0]}:{line}: `Any` in {where.split(':', 1)[1]}"
                   for where, line in bare if where not in BARE_ANY_ALLOWED]
    assert not unexplained, ("public signatures with a bare `Any` (name the type, `object` for a value only "
                             "inspected, a generator/model/raw.py alias for free-form data):\n" + "\n".join(unexplained))
    stale = sorted(set(BARE_ANY_ALLOWED) - found)
    assert not stale, f"allowed a bare `Any` that is no longer there; remove it from BARE_ANY_ALLOWED: {stale}"
    assert len(BARE_ANY_ALLOWED) <= 10
