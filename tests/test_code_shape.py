"""The shape checks of issue 20, run as tests so CI keeps them: ruff and mypy pass over the package, and
`# type: ignore` stays the rare exception it should be (at most ten in generator/, each saying why)."""

from __future__ import annotations

import re
import subprocess
import sys

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
