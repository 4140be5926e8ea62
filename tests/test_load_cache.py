"""The load cache (.qms-cache/load.cache) is data, never code: planted, hostile, tracked or stale caches
change nothing but speed, and a warm run says byte for byte what a cold one says."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from support import ROOT, clean_git_config, copy_example, git, make_repo, run_qms  # noqa: F401 - autouse fixture

from generator.load import codec
from generator.load.cache import CACHE_DIR, CACHE_FILE, JOURNAL_FILE, MAX_BYTES
from generator.load.replay import CACHE_FILE as REPLAY_FILE
from generator.load.replay import RULES_FILE
from generator.load.repo import discover, load_file, load_repository
from generator.load.source import Unvalidated
from generator.model.canonical import content_hash

AS_OF = "2026-11-25"

REQ = """\
id: REQ-0001
title: Flow accuracy
status: draft
owner: USR-001
created: 2026-01-05
statement: The pump shall deliver the programmed rate within ±5 %.
"""
# A rule finding (QMS124, located through the record's anchors) and a load finding (kept in the cache).
REQ_BAD_STATUS = REQ.replace("REQ-0001", "REQ-0002").replace("status: draft", "status: done")
REQ_UNKNOWN_FIELD = REQ.replace("REQ-0001", "REQ-0003") + "colour: blue\n"


def _validate(repo: Path, *extra: str) -> tuple[int, str]:
    # Every run here loads: a stored validate result (replayed when nothing changed, tests/test_validate_replay.py)
    # would answer without reading the load cache these tests plant, damage and check; and every rule runs: the
    # stored rule results (tests/test_validate_incremental.py) would stand for the records of unchanged files.
    (repo / CACHE_DIR / REPLAY_FILE).unlink(missing_ok=True)
    (repo / CACHE_DIR / RULES_FILE).unlink(missing_ok=True)
    proc = run_qms("--repo", str(repo), "validate", "--format", "json", "--as-of", AS_OF, *extra)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr
    return proc.returncode, proc.stdout


def _cache(repo: Path) -> Path:
    return repo / CACHE_DIR / CACHE_FILE


def _small_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", {"records/requirements/REQ-0001.yaml": REQ,
                                         "records/requirements/REQ-0002.yaml": REQ_BAD_STATUS,
                                         "records/requirements/REQ-0003.yaml": REQ_UNKNOWN_FIELD})
    time.sleep(1.1)  # older than a clock tick, so the cache trusts the files' stat stamps
    return repo


def _cold(repo: Path) -> tuple[int, str]:
    return _validate(repo, "--no-cache")


# --------------------------------------------------------------------------- (1) planted caches


class _Payload:
    """Unpickling this creates `marker`: what a hostile pickle in the cache would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.parametrize("name", ["load.pickle", CACHE_FILE])
def test_a_planted_pickle_runs_nothing(tmp_path, name):
    repo = make_repo(tmp_path / "repo", {"records/requirements/REQ-0001.yaml": REQ})
    marker = tmp_path / "pwned"
    (repo / CACHE_DIR).mkdir()
    (repo / CACHE_DIR / name).write_bytes(pickle.dumps(("code", {"x": _Payload(marker)})))
    assert not marker.exists()
    code, out = _validate(repo)
    assert not marker.exists()
    assert (code, out) == _cold(repo) and code == 0
    assert json.loads(out)["summary"]["records"] == 2


def _read_cache(repo: Path) -> dict:
    """The cache file as data: its head (format, code, id) and "files": rel -> [digest, stamp, result text]."""
    head, *lines = _cache(repo).read_bytes().split(b"\n")
    doc = json.loads(head)
    doc["files"] = {}
    for line in lines:
        if line.count(b"\t") >= 3:  # as the loader does, a line of another shape is skipped
            rel, digest, stamp, text = line.split(b"\t", 3)
            doc["files"][json.loads(rel)] = [digest.decode(), None if stamp == b"-" else stamp.decode(), text.decode()]
    return doc


def _write_cache(repo: Path, doc: dict) -> None:
    """Write `doc` (as _read_cache gives it) as the cache file; an entry of another shape is written as its JSON."""
    head = {k: v for k, v in doc.items() if k != "files"}
    lines = [json.dumps(head)]
    for rel, item in doc["files"].items():
        if isinstance(item, list) and len(item) == 3 and isinstance(item[2], str):
            lines.append("\t".join([json.dumps(rel), str(item[0]), item[1] if isinstance(item[1], str) else "-",
                                    item[2]]))
        else:
            lines.append("\t".join([json.dumps(rel), json.dumps(item)]))
    _cache(repo).write_bytes(("\n".join(lines) + "\n").encode())


def _effective(repo: Path) -> dict:
    """The cache file with its journal laid over it (a run that changes a few entries writes them there)."""
    doc = _read_cache(repo)
    journal = repo / CACHE_DIR / JOURNAL_FILE
    if journal.exists():
        amends = json.loads(journal.read_bytes())
        if amends["file"] == doc["id"]:
            for rel, item in amends["files"].items():
                if item is None:
                    doc["files"].pop(rel, None)
                else:
                    doc["files"][rel] = item
    return doc


def _entry(repo: Path, rel: str) -> tuple[dict, list]:
    """The cache (file and journal) and one file's entry in it, its result (kept as JSON text) parsed for editing."""
    doc = _effective(repo)
    entry = doc["files"][rel]
    assert isinstance(entry[2], str)  # the result is kept as its JSON text (load.cache FORMAT /2)
    entry[2] = json.loads(entry[2])
    return doc, entry


def _write(repo: Path, doc: dict) -> None:
    """Write the cache file back (and no journal), each result edited as data stored as JSON text again, as the
    cache keeps it."""
    for entry in doc["files"].values():
        if isinstance(entry, list) and len(entry) == 3 and isinstance(entry[2], list):
            entry[2] = json.dumps(entry[2])
    _write_cache(repo, doc)
    (repo / CACHE_DIR / JOURNAL_FILE).unlink(missing_ok=True)


def _record(entry: list) -> list:
    return entry[2][0][0]  # [class name, model data, content hash, source]


HOSTILE = {
    "unknown class": lambda rec, fields: rec.__setitem__(0, "os.system"),
    "class of another kind": lambda rec, fields: rec.__setitem__(0, "Capa"),
    "text field holds a number": lambda rec, fields: rec[1].__setitem__(fields.index("title"), 5),
    "text field holds a list": lambda rec, fields: rec[1].__setitem__(fields.index("id"), ["REQ-0001"]),
    "link holds a mapping": lambda rec, fields: rec[1].__setitem__(fields.index("owner"), {"id": "USR-001"}),
    "date that is no date": lambda rec, fields: rec[1].__setitem__(fields.index("created"), "2026-02-30"),
    "date out of range": lambda rec, fields: rec[1].__setitem__(fields.index("created"), "9999-12-31"),
    "fields-set mask out of range": lambda rec, fields: rec[1].__setitem__(-1, 1 << 40),
    "a field too many": lambda rec, fields: rec[1].insert(0, "x"),
    "content hash is a number": lambda rec, fields: rec.__setitem__(2, 7),
    "source line is text": lambda rec, fields: rec[3].__setitem__(2, "1"),
    "huge text": lambda rec, fields: rec[1].__setitem__(fields.index("title"), ["x" * 1_000_000] * 20),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_entries_in_the_cache_are_ignored(tmp_path, case):
    repo = _small_repo(tmp_path)
    expected = _cold(repo)
    assert _validate(repo) == expected  # writes the cache
    doc, entry = _entry(repo, "records/requirements/REQ-0001.yaml")
    fields = list(codec.RECORD_CLASSES["Requirement"].model_fields)
    HOSTILE[case](_record(entry), fields)
    _write(repo, doc)
    assert _validate(repo) == expected
    # The damaged entry was replaced by a good one.
    assert _record(_entry(repo, "records/requirements/REQ-0001.yaml")[1])[0] == "Requirement"
    assert _validate(repo) == expected


@pytest.mark.parametrize("case", ["finding line is text", "finding of another shape", "entry of another shape",
                                  "digest that is no hex", "stamp of floats", "result as data, not text",
                                  "result text that is no JSON"])
def test_hostile_findings_and_keys_are_ignored(tmp_path, case):
    repo = _small_repo(tmp_path)
    expected = _cold(repo)
    _validate(repo)
    good = _effective(repo)["files"]["records/requirements/REQ-0003.yaml"][2]
    doc, entry = _entry(repo, "records/requirements/REQ-0003.yaml")
    finding = entry[2][1][0]  # [code, severity, [file, line, column, sheet], message, record, hint, waived_by]
    if case == "finding line is text":
        finding[2][1] = "7"
    elif case == "finding of another shape":
        finding.append("extra")
    elif case == "entry of another shape":
        doc["files"]["records/requirements/REQ-0003.yaml"] = {"digest": entry[0]}
    elif case == "digest that is no hex":
        entry[0] = "z" * 32
    elif case == "stamp of floats":
        entry[1] = " ".join(str(float(n)) for n in entry[1].split())
    _write(repo, doc)
    if case.startswith("result"):  # written after _write, which keeps every result as its JSON text
        planted = _read_cache(repo)
        rel = "records/requirements/REQ-0003.yaml"
        text = planted["files"][rel][2]
        # a result that is JSON data rather than text cannot be written in the file's layout: a number instead
        planted["files"][rel][2] = "7" if case == "result as data, not text" else text[:-1]
        _write_cache(repo, planted)
    assert _validate(repo) == expected
    # Whatever was planted, the entry is replaced by the good one, its result kept as text.
    kept = _effective(repo)["files"]["records/requirements/REQ-0003.yaml"][2]
    assert isinstance(kept, str) and json.loads(kept) == json.loads(good)


def test_damaged_anchors_cost_only_the_line_of_a_finding(tmp_path):
    """Anchors are read only when a location is asked for; text of another shape then yields none, and the
    finding is placed at its record instead of its field: never a crash."""
    repo = _small_repo(tmp_path)
    code, out = _validate(repo)
    [finding] = [f for f in json.loads(out)["findings"] if f["code"] == "QMS124"]
    assert finding["location"] == "records/requirements/REQ-0002.yaml:3"
    doc, entry = _entry(repo, "records/requirements/REQ-0002.yaml")
    _record(entry)[3][4] = '[[["status", {"x": 1}]], [3, "-1"]]'
    _write(repo, doc)
    code2, out2 = _validate(repo)
    [moved] = [f for f in json.loads(out2)["findings"] if f["code"] == "QMS124"]
    assert code2 == code and moved == {**finding, "location": "records/requirements/REQ-0002.yaml:1"}


def test_oversized_irregular_and_garbage_cache_files_are_refused(tmp_path):
    repo = _small_repo(tmp_path)
    expected = _cold(repo)
    (repo / CACHE_DIR).mkdir()
    cache = _cache(repo)
    with open(cache, "wb") as fh:  # sparse: costs no disk, but its size is over the limit
        fh.truncate(MAX_BYTES + 1)
    assert _validate(repo) == expected
    assert cache.stat().st_size < MAX_BYTES  # replaced by a real cache
    cache.unlink()
    os.mkfifo(cache)  # would block a plain open() for ever
    assert _validate(repo) == expected
    cache.unlink()
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    cache.symlink_to(outside)
    assert _validate(repo) == expected
    assert outside.read_text() == "{}"  # the link was replaced, not written through
    for garbage in (b"", b"\xff\xfe", b"[1, 2]", b'{"format": "qms-load-cache/1", "code": 1, "files": []}'):
        cache.unlink()
        cache.write_bytes(garbage)
        assert _validate(repo) == expected


# --------------------------------------------------------------------------- (2) a cache git tracks


def test_a_cache_that_git_tracks_is_neither_read_nor_written(tmp_path):
    repo = _small_repo(tmp_path)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "records")
    expected = _cold(repo)
    assert _validate(repo) == expected
    # A cache entry that lies about its file: same key, a finding the file does not have.
    doc, entry = _entry(repo, "records/requirements/REQ-0001.yaml")
    entry[2][1].append(["QMS999", "error", ["records/requirements/REQ-0001.yaml", 2, -1, ""],
                        "planted", "REQ-0001", None, None])
    _write(repo, doc)
    code, out = _validate(repo)
    assert "planted" in out  # untracked, the entry is trusted: it describes the file's exact bytes
    planted = _cache(repo).read_bytes()
    git(repo, "add", "-f", f"{CACHE_DIR}/{CACHE_FILE}")
    git(repo, "commit", "-q", "-m", "a cache committed by mistake")
    assert _validate(repo) == expected
    assert _cache(repo).read_bytes() == planted  # not rewritten either: the tree stays clean
    assert git(repo, "status", "--porcelain") == ""


# --------------------------------------------------------------------------- (3) cold and warm agree


def _lots_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Lots"
    ws.append(["id", "status", "owner", "lot_type", "material", "supplier", "quantity", "manufactured"])
    ws.append(["LOT-C-9001", "accepted", "USR-008", "component", "MAT-002", "SUP-001", 10, dt.date(2026, 1, 8)])
    ws.append(["LOT-C-9002", "bogus", "USR-008", "component", "MAT-002", "SUP-001", 10, None])
    ws.append(["LOT-C-9003", "accepted", "USR-008", "component", "MAT-002", "SUP-001", 10, "not a date"])
    wb.save(path)


def test_cold_and_warm_json_are_byte_identical_on_the_worked_example(tmp_path):
    repo = copy_example(tmp_path / "example", commit=False)
    (repo / "specs/requirements/REQ-9001.yaml").write_text(REQ_BAD_STATUS.replace("REQ-0002", "REQ-9001")
                                                            .replace("USR-001", "USR-003"))
    (repo / "specs/requirements/REQ-9002.yaml").write_text(REQ_UNKNOWN_FIELD.replace("REQ-0003", "REQ-9002")
                                                            .replace("USR-001", "USR-003"))
    _lots_workbook(repo / "records/production/extra.xlsx")
    time.sleep(1.1)
    cold = _cold(repo)
    first = _validate(repo)  # writes the cache
    assert _cache(repo).is_file()
    warm = _validate(repo)
    assert cold == first == warm and cold[0] == 1
    findings = {(f["code"], f["location"]) for f in json.loads(warm[1])["findings"]}
    assert ("QMS124", "specs/requirements/REQ-9001.yaml:3") in findings  # a rule finding, through anchors
    assert ("QMS124", "records/production/extra.xlsx[Lots]!B3") in findings  # a workbook row's cell
    assert any(loc == "specs/requirements/REQ-9002.yaml:7" for _, loc in findings)  # a load finding
    assert any(loc == "records/production/extra.xlsx[Lots]!H4" for _, loc in findings)
    # Every file of the example is carried by the cache: none falls back to parsing on a warm run.
    files = _effective(repo)["files"]
    assert set(files) == {rel for rel, _ in discover(repo)}


def test_records_sources_and_findings_round_trip_exactly():
    """Every record of the worked example through the cache format: fields, fields set, the memoised
    content hash, anchors (tuple paths) and findings come back equal and of the same types."""
    for rel, fmt in discover(ROOT):
        unvalidated: list[Unvalidated] = []
        result = (*load_file(ROOT, rel, fmt, (ROOT / rel).read_bytes(), unvalidated), unvalidated)
        data = json.loads(json.dumps(codec.encode_result(result)))
        records, findings, back_unvalidated = codec.decode_result(data)
        assert findings == result[1]
        assert back_unvalidated == unvalidated
        assert len(records) == len(result[0])
        for (record, source), (back, back_source) in zip(result[0], records):
            _same(record, back)
            assert back._content_hash == record._content_hash == content_hash(back)
            assert back.model_dump_json() == record.model_dump_json()
            assert (back_source.file, back_source.sheet, back_source.root) == (source.file, source.sheet,
                                                                               source.root)
            assert back_source.anchors == source.anchors
            assert all(type(path) is tuple for path in back_source.anchors)


def _same_model(a, b) -> None:
    assert list(a.__dict__) == list(b.__dict__)
    assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__
    assert a.__pydantic_extra__ == b.__pydantic_extra__
    for x, y in zip(a.__dict__.values(), b.__dict__.values()):
        _same(x, y)


def _same(x, y) -> None:
    """Equal and of the same types all the way down (a date is no datetime, 1.0 is no 1)."""
    from pydantic import BaseModel

    assert type(x) is type(y), (x, y)
    if isinstance(x, BaseModel):
        _same_model(x, y)
    elif isinstance(x, (list, dict)):
        assert len(x) == len(y) and (type(x) is list or list(x) == list(y))
        for p, q in zip(x, y) if type(x) is list else zip(x.values(), y.values()):
            _same(p, q)
    else:
        assert x == y


def test_every_record_model_is_carried_by_the_cache():
    """A field type the cache format cannot carry would silently leave that kind uncached (slow)."""
    assert codec.uncacheable_models() == {}


# --------------------------------------------------------------------------- (4) edits invalidate


def _journal(repo: Path) -> Path:
    return repo / CACHE_DIR / JOURNAL_FILE


def test_an_edit_is_written_to_the_journal_and_the_cache_file_is_left_alone(tmp_path):
    repo = _small_repo(tmp_path)
    _validate(repo)
    written = _cache(repo).read_bytes()
    assert not _journal(repo).exists()  # a first run writes the whole cache file
    path = repo / "records/requirements/REQ-0001.yaml"
    path.write_text(REQ.replace("status: draft", "status: drift"))
    assert _validate(repo) == _cold(repo)
    assert _cache(repo).read_bytes() == written
    journal = json.loads(_journal(repo).read_bytes())
    assert journal["file"] == json.loads(written.split(b"\n")[0])["id"]
    assert list(journal["files"]) == ["records/requirements/REQ-0001.yaml"]
    assert journal["files"]["records/requirements/REQ-0001.yaml"][0] == hashlib.blake2b(
        path.read_bytes(), digest_size=16).hexdigest()
    kept = _journal(repo).read_bytes()
    (repo / "records/requirements/REQ-0002.yaml").unlink()  # a file gone: null in the journal
    assert _validate(repo) == _cold(repo)
    digests = {rel: item and item[0] for rel, item in json.loads(_journal(repo).read_bytes())["files"].items()}
    assert digests == {rel: item[0] for rel, item in json.loads(kept)["files"].items()} | {
        "records/requirements/REQ-0002.yaml": None}
    assert _cache(repo).read_bytes() == written
    assert "REQ-0002" not in _validate(repo)[1]  # the journal's null stands over the cache file's entry


def test_a_journal_that_amends_another_cache_file_is_ignored(tmp_path):
    repo = _small_repo(tmp_path)
    expected = _cold(repo)
    _validate(repo)
    doc = _read_cache(repo)
    entry = json.loads(doc["files"]["records/requirements/REQ-0001.yaml"][2])
    entry[1].append(["QMS999", "error", ["records/requirements/REQ-0001.yaml", 2, -1, ""], "planted", "REQ-0001",
                     None, None])
    lying = [*doc["files"]["records/requirements/REQ-0001.yaml"][:2], json.dumps(entry)]
    journal = {"format": "qms-load-journal/1", "code": doc["code"], "file": doc["id"],
               "files": {"records/requirements/REQ-0001.yaml": lying}}
    _journal(repo).write_text(json.dumps({**journal, "file": "another"}))
    assert _validate(repo) == expected
    _journal(repo).write_text(json.dumps(journal))  # naming this cache file, it is read (untracked: trusted)
    assert "planted" in _validate(repo)[1]


def test_a_long_journal_is_folded_into_a_new_cache_file(tmp_path):
    repo = _small_repo(tmp_path)
    expected = _cold(repo)
    _validate(repo)
    doc = _read_cache(repo)
    gone = {f"records/requirements/REQ-{n:04}.yaml": None for n in range(100, 400)}  # past JOURNAL_MIN
    _journal(repo).write_text(json.dumps({"format": "qms-load-journal/1", "code": doc["code"], "file": doc["id"],
                                          "files": gone}))
    assert _validate(repo) == expected
    folded = _read_cache(repo)
    assert not _journal(repo).exists() and folded["id"] != doc["id"]
    assert set(folded["files"]) == set(doc["files"])  # the nulls were for files that no longer exist


def test_a_file_name_with_a_tab_or_a_line_break_is_kept_in_the_cache(tmp_path):
    """The cache file has a line per record file, its fields split by tabs: a path is written as a JSON string."""
    repo = _small_repo(tmp_path)
    odd = "records/requirements/REQ-0009\tcopy\n.yaml"
    (repo / odd).write_text(REQ.replace("REQ-0001", "REQ-0009"))
    time.sleep(1.1)
    expected = _cold(repo)
    assert _validate(repo) == expected
    assert odd in _read_cache(repo)["files"]
    assert _validate(repo) == expected  # read back from the cache


def test_a_run_that_writes_a_journal_lets_go_of_each_entry_text_once_decoded(tmp_path):
    from generator.load.cache import LoadCache, file_stamp

    repo = _small_repo(tmp_path)
    _validate(repo)
    rel = "records/requirements/REQ-0001.yaml"
    cache = LoadCache(repo)
    assert not cache.rewrite and isinstance(cache.entries[rel][2], tuple)  # its span of the file read
    assert cache.unchanged(rel, file_stamp(repo / rel)) is not None
    assert not isinstance(cache.entries[rel][2], str | bytes | tuple)  # the records alone hold what it said
    cache.save()
    assert not _journal(repo).exists()  # nothing changed: nothing written


def test_editing_a_file_invalidates_its_entry_even_with_its_old_size_and_mtime(tmp_path):
    repo = _small_repo(tmp_path)
    _validate(repo)
    path = repo / "records/requirements/REQ-0001.yaml"
    before = path.stat()
    old_digest = _entry(repo, "records/requirements/REQ-0001.yaml")[1][0]
    path.write_text(REQ.replace("status: draft", "status: drift"))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime: only ctime tells
    assert path.stat().st_size == before.st_size
    code, out = _validate(repo)
    assert (code, out) == _cold(repo)
    assert ("QMS124", "records/requirements/REQ-0001.yaml:3") in {
        (f["code"], f["location"]) for f in json.loads(out)["findings"]}
    new_digest = _entry(repo, "records/requirements/REQ-0001.yaml")[1][0]
    assert new_digest != old_digest == hashlib.blake2b(REQ.encode(), digest_size=16).hexdigest()


def test_no_cache_neither_reads_nor_writes(tmp_path):
    repo = _small_repo(tmp_path)
    _cold(repo)
    assert not (repo / CACHE_DIR).exists()
    loaded = load_repository(repo, use_cache=True)
    assert _cache(repo).is_file() and len(loaded.records) == 3
    shutil.rmtree(repo / CACHE_DIR)


def test_ready_made_decoders_are_current():
    """load/decoders.py is what load.codec writes from today's models, so a warm run compiles nothing;
    after a model change, `python -m generator.load.codec` rewrites it."""
    from generator.load import decoders

    assert Path(decoders.__file__).read_text(encoding="utf-8") == codec.decoders_module()
    for cls in codec.RECORD_CLASSES.values():
        codec._model(cls)
    assert set(decoders.DECODERS) == set(codec._SOURCES)
    assert all(decoders.DECODERS[key][0] == digest for key, (digest, _) in codec._SOURCES.items())


def test_a_stale_decoder_is_compiled_afresh(tmp_path):
    """A decoders file from other models (its digest differs) is not used: the decoder written from the
    models now decodes, and refuses, exactly as the ready-made one does."""
    from generator.load import decoders

    key = "generator.model.design.Requirement"
    cls = codec.RECORD_CLASSES["Requirement"]
    digest, make = decoders.DECODERS[key]
    ready = codec._model(cls).decode
    try:
        decoders.DECODERS[key] = ("0" * 16, make)
        fresh = codec._decoder(cls, [codec._field_codec(f) for f in cls.model_fields.values()], None, {},
                               lambda mask: frozenset())
    finally:
        decoders.DECODERS[key] = (digest, make)
    assert fresh.__code__ is not ready.__code__ and fresh.__code__.co_filename == "<load cache decoder of Requirement>"
    rel = "specs/requirements/REQ-0001.yaml"
    ((record, _),), _ = load_file(ROOT, rel, "yaml", (ROOT / rel).read_bytes())
    data = codec._model(cls).encode(record)
    back = fresh(data)
    assert back.__dict__ == record.__dict__ and type(back) is cls
    for bad in (data[:-1], [*data[:-1], "1"], [1, *data[1:]]):
        with pytest.raises(codec.Invalid):
            fresh(bad)
