"""`qms validate` replays its stored result (.qms-cache/validate.json) only while every part of the key is
unchanged: each part changed in turn recomputes the findings, and a replayed run prints byte for byte what
a fresh run prints.

To see which path a run took, the stored result is doctored with a message no rule writes: a replayed
run prints it, a recomputed one cannot.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import pytest
from support import clean_git_config, git, make_repo, run_qms  # noqa: F401 - autouse fixture

from generator.load.cachedir import CACHE_DIR
from generator.load.replay import CACHE_FILE

AS_OF = "2026-11-25"
PLANTED = "planted in the stored result: only a replayed run prints this"

REQ = """\
id: REQ-0001
title: Flow accuracy
status: approved
owner: USR-001
created: 2025-01-10
statement: The pump shall deliver 1-999 mL/h within 5 %.
"""


def _validate(repo: Path, *args: str) -> tuple[int, str]:
    proc = run_qms("--repo", str(repo), "validate", *args)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout


def _settle() -> None:
    """A file changed within the last second is keyed by content alone (its stamp could not be trusted): let the
    stamps settle, so the stored result keys every file as a later edit finds it."""
    time.sleep(1.1)


def _stored(repo: Path) -> dict:
    return json.loads((repo / CACHE_DIR / CACHE_FILE).read_text())


def _plant(repo: Path) -> None:
    """Doctor the stored result's first finding, as only a replay would show."""
    path = repo / CACHE_DIR / CACHE_FILE
    doc = json.loads(path.read_text())
    doc["result"]["findings"][0][6] = PLANTED
    path.write_text(json.dumps(doc))


def _store_and_plant(repo: Path, *args: str) -> None:
    _settle()
    _validate(repo, "--format", "json", *args)  # computes and stores
    _plant(repo)
    code, out = _validate(repo, "--format", "json", *args)
    assert PLANTED in out, "the unchanged repository was not replayed"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", {"records/requirements/REQ-0001.yaml": REQ})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first")
    return repo


def test_a_replayed_run_prints_byte_for_byte_what_a_fresh_run_prints(repo):
    _settle()
    fresh = {fmt: _validate(repo, "--as-of", AS_OF, "--format", fmt, "--no-cache") for fmt in ("json", "text", "sarif")}
    assert fresh["json"][0] == 1 and "QMS202" in fresh["json"][1]  # an approved requirement with no test
    assert not (repo / CACHE_DIR / CACHE_FILE).exists()  # --no-cache neither reads nor writes it
    assert _validate(repo, "--as-of", AS_OF, "--format", "json") == fresh["json"]  # computed, then stored
    stored = _stored(repo)
    assert stored["key"]["as_of"] == AS_OF and "records/requirements/REQ-0001.yaml" in stored["files"]
    assert "qms.yaml" in stored["files"] and not any(rel.startswith((".git/", CACHE_DIR)) for rel in stored["files"])
    for fmt, expected in fresh.items():
        assert _validate(repo, "--as-of", AS_OF, "--format", fmt) == expected  # replayed, in every format
    _plant(repo)
    assert PLANTED in _validate(repo, "--as-of", AS_OF, "--format", "json")[1]  # ...so it was a replay


def test_an_edited_record_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / "records/requirements/REQ-0001.yaml"
    path.write_text(REQ.replace("status: approved", "status: draft"))  # a draft needs no verification
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
    assert PLANTED not in out
    assert code == 0 and [f["code"] for f in json.loads(out)["findings"]] == ["QMS609"]  # the test's git identity


def test_the_same_bytes_rewritten_are_read_and_still_replayed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / "records/requirements/REQ-0001.yaml"
    path.write_bytes(path.read_bytes())  # a new stamp, the same content hash
    assert PLANTED in _validate(repo, "--as-of", AS_OF, "--format", "json")[1]


def test_a_comment_added_to_a_record_file_leaves_the_stored_result_standing(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / "records/requirements/REQ-0001.yaml"
    for n in range(2):  # the second time against the key and load cache the first one re-stamped
        path.write_text(path.read_text() + f"# reviewed in meeting {n}\n")
        code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
        assert PLANTED in out  # the same records: the stored result stands
        assert _stored(repo)["files"]["records/requirements/REQ-0001.yaml"].startswith(
            hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() + " ")
    fresh = _validate(repo, "--as-of", AS_OF, "--format", "json", "--no-cache")[1]
    assert out == fresh.replace(json.loads(fresh)["findings"][0]["message"], PLANTED)


@pytest.mark.parametrize("damage", ["not json", "an entry of another shape", "another load result"])
def test_a_damaged_load_cache_entry_never_vouches_for_an_edited_file(repo, damage):
    """The edited file's old load result is read from the load cache's journal here: damaged, or naming
    other records, it cannot vouch that the records are the same, and the result is computed."""
    from generator.load.cache import JOURNAL_FILE, StoredEntries

    _store_and_plant(repo, "--as-of", AS_OF)
    rel = "records/requirements/REQ-0001.yaml"
    held = StoredEntries.open(repo)
    assert held is not None and held.entry(rel) is not None
    digest, text = held.entry(rel)  # type: ignore[misc]
    journal = {"format": "qms-load-journal/1", "code": held.code, "file": held.file_id, "files": {
        rel: [digest, None, "{not json" if damage == "not json"
              else text.decode().replace("Flow accuracy", "Flow accuracy, as planted")]}}
    if damage == "an entry of another shape":
        journal["files"][rel] = {"digest": digest}
    (repo / CACHE_DIR / JOURNAL_FILE).write_text(json.dumps(journal))
    path = repo / rel
    path.write_text(path.read_text() + "# a comment\n")
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
    assert PLANTED not in out and "as planted" not in out
    assert (code, out) == _validate(repo, "--as-of", AS_OF, "--format", "json", "--no-cache")


def test_a_comment_that_moves_a_record_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / "records/requirements/REQ-0001.yaml"
    before = json.loads(_validate(repo, "--as-of", AS_OF, "--format", "json", "--no-cache")[1])["findings"]
    path.write_text("# moved down a line\n" + path.read_text())  # its fields' lines, so its findings' lines
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
    assert PLANTED not in out and (code, out) == _validate(repo, "--as-of", AS_OF, "--format", "json", "--no-cache")
    moved = [f for f in json.loads(out)["findings"] if f["code"] == "QMS202"]
    assert [f["location"] for f in moved] == [
        f"{loc.rsplit(':', 1)[0]}:{int(loc.rsplit(':', 1)[1]) + 1}"
        for loc in (f["location"] for f in before if f["code"] == "QMS202")]


def test_a_comment_added_to_a_file_that_is_no_record_is_recomputed(repo):
    (repo / "features").mkdir()
    (repo / "features/flow.feature").write_text("Feature: Flow\n")
    _store_and_plant(repo, "--as-of", AS_OF)
    (repo / "features/flow.feature").write_text("# a comment\nFeature: Flow\n")
    assert PLANTED not in _validate(repo, "--as-of", AS_OF, "--format", "json")[1]


def test_a_record_file_changed_within_the_last_second_is_keyed_by_its_content(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / "records/requirements/REQ-0001.yaml"
    path.write_text(REQ.replace("status: approved", "status: draft"))
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")  # no time to settle: its stamp is racy
    assert PLANTED not in out
    assert _stored(repo)["files"]["records/requirements/REQ-0001.yaml"] == \
        hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest() + " -"  # hashed again by the next run
    _plant(repo)
    assert PLANTED in _validate(repo, "--as-of", AS_OF, "--format", "json")[1]


def test_an_added_file_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    (repo / "records/verification").mkdir()
    (repo / "records/verification/VER-001.yaml").write_text(
        "id: VER-001\ntitle: Flow test\nstatus: draft\nowner: USR-001\ncreated: 2025-02-01\nverifies: [REQ-0001]\n")
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
    assert PLANTED not in out
    assert [f["message"] for f in json.loads(out)["findings"] if f["code"] == "QMS202"] == [
        "no passing verification of REQ-0001: VER-001 (draft)"]


def test_an_edited_qms_yaml_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    qms_yaml = repo / "qms.yaml"
    qms_yaml.write_text(qms_yaml.read_text() + "as_of: 2026-01-05\n")
    code, out = _validate(repo, "--format", "json")  # the date now comes from qms.yaml
    assert PLANTED not in out and json.loads(out)["summary"]["as_of"] == "2026-01-05"


def test_a_new_commit_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    git(repo, "commit", "-q", "--allow-empty", "-m", "second")
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
    assert PLANTED not in out and code == 1


def test_another_as_of_date_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    code, out = _validate(repo, "--as-of", "2026-11-26", "--format", "json")
    assert PLANTED not in out and json.loads(out)["summary"]["as_of"] == "2026-11-26"


def test_a_cache_from_other_code_is_recomputed(repo):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / CACHE_DIR / CACHE_FILE
    doc = json.loads(path.read_text())
    doc["key"]["code"] = "0" * 32
    path.write_text(json.dumps(doc))
    assert PLANTED not in _validate(repo, "--as-of", AS_OF, "--format", "json")[1]


@pytest.mark.parametrize("damage", ["garbage", "finding of the wrong shape", "exit code 3"])
def test_a_damaged_store_is_recomputed_never_trusted(repo, damage):
    _store_and_plant(repo, "--as-of", AS_OF)
    path = repo / CACHE_DIR / CACHE_FILE
    doc = json.loads(path.read_text())
    if damage == "garbage":
        path.write_bytes(b"\x00{not json")
    else:
        if damage == "exit code 3":
            doc["result"]["exit"] = 3
        else:
            doc["result"]["findings"][0] = {"code": "QMS202", "__class__": "os.system"}
        path.write_text(json.dumps(doc))
    code, out = _validate(repo, "--as-of", AS_OF, "--format", "json")
    assert PLANTED not in out and code == 1 and "QMS202" in out


def test_a_signing_time_in_the_future_is_replayed_only_until_it_comes(repo):
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet
    from generator.rules.integrity import CLOCK_SKEW, clock_valid_until

    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    soon, later, past = (now + dt.timedelta(hours=1), now + dt.timedelta(days=2), now - dt.timedelta(days=1))
    for n, signed in enumerate((later, soon, past), start=1):
        (repo / f"records/approvals/APR-00{n}.yaml").parent.mkdir(exist_ok=True)
        (repo / f"records/approvals/APR-00{n}.yaml").write_text(
            f"id: APR-00{n}\ntitle: Approval\nstatus: signed\nrecord: REQ-0001\nrecord_hash: {'0' * 64}\n"
            f"meaning: approval\nsigner: USR-001\nprinted_name: Test User\nrole: ROLE-QA\nsigned: {signed.isoformat()}\n")
    loaded = load_repository(repo, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    assert len(records.of_kind("approval")) == 3, loaded.findings
    assert clock_valid_until(records, now) == soon - CLOCK_SKEW  # the first to stop being "in the future"
    assert clock_valid_until(records, later) is None  # none ahead any more: the clock changes nothing
