"""Fixtures shared by the test modules, safe under pytest-xdist.

The suite runs with `-n auto --dist loadfile` (pyproject): each module goes whole to one worker, so a module's own
`scope="module"` fixtures are made once. What several modules read the same way, the example built by `qms build`,
is made once per test run for all workers: the first worker to ask builds it under a file lock in the run's shared
temporary folder, the others wait and read it. Shared things are read, never written: a test that changes or
rebuilds a repository works in its own clone (`support.clone_of`).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import Built, copy_example


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run that all its workers see (each worker's basetemp is one level down)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """`make(folder)` run by one worker of this test run; the others wait for it and get the same folder.

    A `make` that failed leaves no mark, so the next worker to ask tries again (and reports its own failure)."""
    shared = run_folder(tmp_path_factory)
    folder, done = shared / name, shared / f"{name}.done"
    with _locked(shared / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def clean_git_env(folder: Path) -> dict[str, str]:
    """The environment with git blind to this machine's global and system settings (as `support.clean_git_config`)."""
    empty = folder / "gitconfig"
    empty.write_text("")
    return {**os.environ, "GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The worked example's dossier, built once per test run and shared by every worker: read it, never write into
    it (nor run a command that writes into its repository; `support.clone_of` gives a private copy)."""

    def make(folder: Path) -> None:
        env = clean_git_env(folder)
        with pytest.MonkeyPatch.context() as mp:  # copy_example's git runs see the same clean settings
            mp.setenv("GIT_CONFIG_GLOBAL", env["GIT_CONFIG_GLOBAL"])
            mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
            repo = copy_example(folder / "repo")
        proc = subprocess.run([sys.executable, "-m", "generator", "--repo", str(repo), "build", "--format", "json"],
                              capture_output=True, text=True, timeout=900, env=env)
        (folder / "build.json").write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout,
                                                       "stderr": proc.stderr}))

    folder = made_once(tmp_path_factory, "example-build", make)
    proc = json.loads((folder / "build.json").read_text())
    assert "Traceback" not in proc["stderr"], proc["stderr"]
    assert proc["returncode"] == 0, proc["stdout"] + proc["stderr"]
    return Built(folder / "repo", folder / "repo" / "output", proc["returncode"], json.loads(proc["stdout"]),
                 proc["stderr"])


@pytest.fixture(scope="session")
def example_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worked example committed as a clean clone holds it, once per test run for every worker, for the tests
    that run the tool on the example as it stands (instead of on this repository's own tree, which no test writes
    into). The tool's only writes there are its caches, each replaced whole (`load.cache`, `load.table_cache`), so
    workers may run commands on it side by side; a test that changes a file works in `support.clone_of` instead."""

    def make(folder: Path) -> None:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("GIT_CONFIG_GLOBAL", clean_git_env(folder)["GIT_CONFIG_GLOBAL"])
            mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
            copy_example(folder / "repo")

    return made_once(tmp_path_factory, "example-repo", make) / "repo"
