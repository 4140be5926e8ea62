"""Cold loads of many files are parsed in forked children (load.parallel): the output is byte for byte a
serial load's, bad files are reported at the same places, and a child that fails, dies or hangs loses
no file."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from support import ROOT

from generator.load import parallel, repo
from generator.load.cache import CACHE_DIR, LoadCache
from generator.load.repo import load_repository

AS_OF = "2026-11-25"
BAD_SYNTAX = "id: REQ-9998\ntitle: [never closed\nstatus: draft\n"
BAD_SCHEMA = "id: REQ-9999\ntitle: A date that is none\nstatus: draft\nowner: USR-001\ncreated: 2026-02-30\n"


def _make_corpus(n: int, dest: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_corpus(n, dest, seed=7)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 600 record files (a workbook among them), with bad files of every kind a child cannot read."""
    root = tmp_path_factory.mktemp("parallel") / "repo"
    _make_corpus(760, root)
    folder = root / "specs" / "requirements"
    (folder / "REQ-9998.yaml").write_text(BAD_SYNTAX)
    (folder / "REQ-9999.yaml").write_text(BAD_SCHEMA)
    (folder / "REQ-9997.yaml").write_text("id: REQ-9997\n" + "# padding\n" * 120_000)  # over the 1 MiB limit
    os.mkfifo(folder / "REQ-9996.yaml")  # a read would block: refused before it is opened
    return root


def _validate(root: Path, workers: int) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, QMS_LOAD_WORKERS=str(workers))
    return subprocess.run([sys.executable, "-m", "generator", "--repo", str(root), "validate", "--as-of", AS_OF,
                           "--format", "json"], capture_output=True, env=env, timeout=300)


def test_a_parallel_cold_run_prints_the_serial_run_byte_for_byte(corpus):
    files = len(repo.discover(corpus))
    assert 550 <= files <= 700
    shutil.rmtree(corpus / CACHE_DIR, ignore_errors=True)
    serial = _validate(corpus, 1)
    shutil.rmtree(corpus / CACHE_DIR)
    forked = _validate(corpus, 2)
    assert forked.stderr == serial.stderr == b""
    assert (forked.returncode, forked.stdout) == (serial.returncode, serial.stdout)
    assert serial.returncode == 2  # findings made while loading
    # The cache the children's entries went into serves a warm run that says the same.
    (corpus / CACHE_DIR / "validate.json").unlink(missing_ok=True)
    warm = _validate(corpus, 2)
    assert (warm.returncode, warm.stdout) == (serial.returncode, serial.stdout)
    shutil.rmtree(corpus / CACHE_DIR)


def _load(root: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> repo.Loaded:
    """A cold load with `workers` children (1: serial), checked to have forked that many."""
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    monkeypatch.setenv(parallel.WORKERS_ENV, str(workers))
    # A thread an earlier test left in this worker process (DuckDB's pool ...) would make the loader stay
    # serial, rightly; these children run work that takes no lock such a thread could hold.
    monkeypatch.setattr(parallel, "_threads", lambda: 1)
    forked: list[range] = []
    fork = parallel._fork

    def counted(items: Sequence[Any], chunk: range, work: Callable[[Any], bytes]) -> Any:
        forked.append(chunk)
        return fork(items, chunk, work)

    monkeypatch.setattr(parallel, "_fork", counted)
    loaded = load_repository(root)
    assert len(forked) == (workers if workers > 1 else 0)
    return loaded


def _summary(loaded: repo.Loaded) -> tuple[list[object], list[str], list[object]]:
    records = [(record.id, record._content_hash, source.file, source.sheet, source.root, sorted(source.anchors.items()))
               for record, source in loaded.records]
    return records, [f.as_json() for f in loaded.findings], [(u.id, u.source.file) for u in loaded.unvalidated]


def test_bad_files_are_found_at_the_same_places_in_both_modes(corpus, monkeypatch):
    serial = _load(corpus, monkeypatch, 1)
    forked = _load(corpus, monkeypatch, 2)
    assert _summary(forked) == _summary(serial)
    where = {(f.location.file, f.location.line, f.code) for f in forked.findings
             if "REQ-999" in f.location.file}
    assert where == {
        ("specs/requirements/REQ-9996.yaml", 0, "QMS100"),  # a FIFO: not a regular file
        ("specs/requirements/REQ-9997.yaml", 0, "QMS103"),  # over the size limit
        ("specs/requirements/REQ-9998.yaml", 3, "QMS101"),  # YAML syntax
        ("specs/requirements/REQ-9999.yaml", 1, "QMS112"),  # schema: a required field missing
        ("specs/requirements/REQ-9999.yaml", 5, "QMS113"),  # schema: no such date
    }


def test_a_child_that_dies_or_fails_loses_no_file(corpus, monkeypatch):
    serial = _load(corpus, monkeypatch, 1)
    real = repo._child_work

    def work(root: Path, cache: LoadCache, item: repo._ToRead) -> bytes:
        if item[0].endswith("0007.yaml"):
            os._exit(9)  # a crash, mid-chunk
        if item[0].endswith("0003.yaml"):
            raise RuntimeError("a bug in a child")
        if item[0].endswith("0005.yaml"):
            return b"nonsense"
        return real(root, cache, item)

    monkeypatch.setattr(repo, "_child_work", work)
    forked = _load(corpus, monkeypatch, 3)
    assert _summary(forked) == _summary(serial)


def test_run_delivers_every_item_or_names_it_missing():
    taken: dict[int, bytes] = {}

    def work(i: int) -> bytes:
        if i % 7 == 3:
            raise ValueError(i)
        return str(i).encode() * (i % 5)

    missing = parallel.run(list(range(200)), work, 3, [1 + i % 4 for i in range(200)], taken.__setitem__)
    assert missing == [i for i in range(200) if i % 7 == 3]
    assert taken == {i: str(i).encode() * (i % 5) for i in range(200) if i % 7 != 3}


def test_a_child_that_dies_leaves_the_rest_of_its_chunk_to_the_caller():
    taken: dict[int, bytes] = {}

    def work(i: int) -> bytes:
        if i == 30:
            os._exit(5)
        return b"%d" % i

    missing = parallel.run(list(range(100)), work, 2, [1] * 100, taken.__setitem__)
    # What it had made but not yet written is lost with it (a child writes in batches).
    assert missing == list(range(0, 50))
    assert sorted(taken) == list(range(50, 100))


def test_a_chunk_that_could_not_be_forked_is_left_to_the_caller(monkeypatch):
    fork, calls = parallel.os.fork, []

    def refused() -> int:
        calls.append(1)
        if len(calls) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return fork()

    monkeypatch.setattr(parallel.os, "fork", refused)
    taken: dict[int, bytes] = {}
    missing = parallel.run(list(range(30)), lambda i: b"%d" % i, 3, [1] * 30, taken.__setitem__)
    assert missing == list(range(10, 20))
    assert taken == {i: b"%d" % i for i in [*range(10), *range(20, 30)]}


def test_a_child_that_falls_silent_is_killed_and_its_items_named(monkeypatch):
    monkeypatch.setattr(parallel, "SILENCE", 0.5)
    taken: dict[int, bytes] = {}

    def work(i: int) -> bytes:
        if i == 10:
            time.sleep(120)
        return b"ok"

    started = time.monotonic()
    missing = parallel.run(list(range(40)), work, 2, [1] * 40, taken.__setitem__)
    assert time.monotonic() - started < 30
    assert missing == list(range(0, 20))
    assert sorted(taken) == list(range(20, 40))


def test_the_number_of_children(monkeypatch):
    monkeypatch.delenv(parallel.WORKERS_ENV, raising=False)
    assert parallel.workers(parallel.MIN_ITEMS - 1) == 0
    cores = len(os.sched_getaffinity(0))
    if parallel._threads() > 1:  # a thread another test left behind: never fork then
        assert parallel.workers(10_000) == 0
    monkeypatch.setattr(parallel, "_threads", lambda: 1)
    assert parallel.workers(10_000) == (min(cores, 64) if cores > 1 else 0)
    for value, children in (("1", 0), ("0", 0), ("x", 0), ("3", 3), ("8", 5)):
        monkeypatch.setenv(parallel.WORKERS_ENV, value)
        assert parallel.workers(5) == children


def test_threads_started_in_c_keep_the_load_serial(monkeypatch):
    """DuckDB starts its thread pool in C, unseen by `threading`; a fork then copies locks those threads may
    hold, and a child could wait on one for ever. The loader counts every thread of the process."""
    import duckdb

    monkeypatch.delenv(parallel.WORKERS_ENV, raising=False)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SELECT 1").fetchall()
    try:
        assert len(os.listdir("/proc/self/task")) > threading.active_count()
        assert parallel._threads() == len(os.listdir("/proc/self/task")) > 1
        assert parallel.workers(10_000) == 0
    finally:
        con.close()


def test_split_covers_the_items_in_contiguous_shares_of_about_equal_weight():
    weights = [1] * 50 + [100] + [1] * 49
    ranges = parallel.split(weights, 2)
    assert ranges == [range(0, 50), range(50, 100)]
    assert parallel.split([1] * 9, 3) == [range(0, 3), range(3, 6), range(6, 9)]
    assert parallel.split([5], 3) == [range(0, 1)]
