"""An incremental `qms validate` (after an edit, only the rules the edit can affect run again; the others'
findings come from .qms-cache/rules.json) prints byte for byte what a full run prints.

The repository is the benchmark corpus (benchmarks/make_corpus.py) at a few hundred records, committed to git.
Each example resets the tree to the commit, applies one to three random edits to record files (a field
value, a status, a broken or moved link, a record added, deleted, renamed or duplicated, a schema error, a
YAML syntax error, a policy value, a file replaced by a link out of the repository, a comment line inserted
anywhere, the same values written out again, a test's results passed or failed), then runs `qms validate --format json` with the cache (incremental
against whatever the previous example stored) and with `--no-cache`, and compares output and exit code.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import os
import random
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, git

from generator.cli import run

AS_OF = "2026-11-25"
RECORDS = 300
EDITS = ("field", "status", "link", "add", "delete", "schema", "syntax", "policy", "rename", "duplicate", "outside",
         "comment", "rewrite", "result")
_ID = re.compile(r"\A[A-Z]+(?:-[0-9]{4})?-[0-9]+\Z")
_RAN = re.compile(r"qms validate: ran (\d+) of (\d+) rules \((.*?)\): ?(.*)")


def _make_corpus(n: int, root: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_corpus(n, root)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "repo"
    _make_corpus(RECORDS, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "corpus")
    return root


@pytest.fixture(scope="module")
def committed(corpus: Path) -> tuple[int, str]:
    """Exit code and output of a full run on the committed tree."""
    return validate(corpus, "--no-cache")[:2]


def validate(repo: Path, *extra: str) -> tuple[int, str, str]:
    """Exit code, standard output and standard error of `qms validate --format json`, run in this process,
    with QMS_DEBUG set: validate then says on standard error which rules it ran."""
    out, err = io.StringIO(), io.StringIO()
    before = os.environ.get("QMS_DEBUG")
    os.environ["QMS_DEBUG"] = "1"
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = run(["--repo", str(repo), "validate", "--as-of", AS_OF, "--format", "json", *extra])
    finally:
        if before is None:
            del os.environ["QMS_DEBUG"]
        else:
            os.environ["QMS_DEBUG"] = before
    return code, out.getvalue(), err.getvalue()


def ran(stderr: str) -> tuple[list[str], int, str]:
    """(the rules run, how many rules there are, why) from validate's QMS_DEBUG line."""
    match = _RAN.search(stderr)
    assert match is not None, stderr
    return match[4].split(), int(match[2]), match[3].split("; ")[0]


def reset(repo: Path) -> tuple[int, str]:
    """The tree as committed, and validated (incrementally, from whatever the last run stored): the state
    an example's edits are checked against. Returns the exit code and output of that run."""
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
    subprocess.run(["git", "clean", "-q", "-f", "-d", "--", "records", "specs"], cwd=repo, check=True)
    (repo / ".qms-cache" / "validate.json").unlink(missing_ok=True)  # no replay: rules.json is brought up to date
    return validate(repo)[:2]


def record_files(repo: Path) -> list[Path]:
    return sorted(p for top in ("records", "specs") for p in (repo / top).rglob("*.yaml") if not p.is_symlink())


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _dump(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _new_id(old: str, rng: random.Random) -> str:
    head, _, _ = old.rpartition("-")
    return f"{head}-{rng.randint(900, 999)}"


def _ids_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if _ID.match(value) else []
    if isinstance(value, list):
        return [i for v in value for i in _ids_in(v)]
    if isinstance(value, dict):
        return [i for k, v in value.items() for i in (_ids_in(k) + _ids_in(v))]
    return []


def _replace_id(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new if value == old else value
    if isinstance(value, list):
        return [_replace_id(v, old, new) for v in value]
    if isinstance(value, dict):
        return {_replace_id(k, old, new): _replace_id(v, old, new) for k, v in value.items()}
    return value


def _changed(value: Any, rng: random.Random) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + rng.choice((-2, -1, 1, 3))
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=rng.randint(-400, 400))
    if isinstance(value, str):
        return value + " (edited)" if rng.random() < 0.7 else ""
    if isinstance(value, list):
        return value[:-1] if value else value
    if isinstance(value, dict) and value:
        return {k: v for k, v in value.items() if k != rng.choice(sorted(value, key=str))}
    return value


def edit(repo: Path, op: str, rng: random.Random, statuses: dict[str, list[str]], ids: list[str]) -> None:
    files = record_files(repo)
    if op == "policy":
        files = sorted((repo / "specs" / "policies").glob("*.yaml")) or files
        op = "field"
    elif op == "result":  # a test's results, its links kept: what the trace gaps run on a neighbourhood read
        files = sorted(p for top in ("verification", "validation") for p in (repo / "records" / top).glob("*.yaml"))
    path = rng.choice(files)
    try:
        doc = _load(path)
    except (yaml.YAMLError, AssertionError):  # broken by an earlier edit of this example
        doc = {}
        if op not in ("delete", "syntax", "duplicate", "outside"):
            return
    record_id = str(doc.get("id", path.stem))
    if op == "comment":  # the same records, or the same records on other lines
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines.insert(rng.randint(0, len(lines)), f"# comment {rng.random()}\n")
        path.write_text("".join(lines), encoding="utf-8")
    elif op == "rewrite":  # the same values written out again, perhaps in another layout
        _dump(path, doc)
    elif op == "result":
        if isinstance(doc.get("results"), list):
            doc["results"] = [{**r, "result": rng.choice(["pass", "fail", "blocked"])} if isinstance(r, dict) else r
                              for r in doc["results"]]
            _dump(path, doc)
    elif op == "field":
        key = rng.choice([k for k in doc if k != "id"] or ["id"])
        doc[key] = _changed(doc[key], rng)
        _dump(path, doc)
    elif op == "status":
        doc["status"] = rng.choice(statuses.get(path.parent.name) or ["draft"])
        _dump(path, doc)
    elif op == "link":
        links = [i for i in _ids_in({k: v for k, v in doc.items() if k != "id"}) if i != record_id]
        if links:
            old = rng.choice(links)
            new = rng.choice([_new_id(old, rng), rng.choice(ids)])  # dangling, or another record (of any kind)
            _dump(path, _replace_id(doc, old, new))
    elif op == "add":
        new = _new_id(record_id, rng)
        doc["id"] = new
        _dump(path.with_name(f"{new}.yaml"), doc)
    elif op == "delete":
        path.unlink()
    elif op == "schema":
        if rng.random() < 0.5:
            doc["bogus_field"] = 1
        else:
            doc["created"] = "not a date"
        _dump(path, doc)
    elif op == "syntax":
        path.write_text(path.read_text(encoding="utf-8") + "\nid: [unclosed\n", encoding="utf-8")
    elif op == "rename":
        new = _new_id(record_id, rng)
        doc["id"] = new
        _dump(path, doc)
        if rng.random() < 0.5:
            path.rename(path.with_name(f"{new}.yaml"))
    elif op == "duplicate":
        shutil.copyfile(path, path.with_name(f"{path.stem}-copy.yaml"))
    elif op == "outside":  # the same bytes behind a link out of the repository: refused, its records gone
        outside = repo.parent / "outside" / path.name
        outside.parent.mkdir(exist_ok=True)
        shutil.copyfile(path, outside)
        path.unlink()
        path.symlink_to(outside)


@pytest.fixture(scope="module")
def facts(corpus: Path) -> tuple[dict[str, list[str]], list[str]]:
    """The statuses records of each folder carry, and every record ID: what edits draw values from."""
    statuses: dict[str, set[str]] = {}
    ids: list[str] = []
    for path in record_files(corpus):
        doc = _load(path)
        ids.append(str(doc.get("id")))
        if isinstance(doc.get("status"), str):
            statuses.setdefault(path.parent.name, set()).add(doc["status"])
    return {k: sorted(v) for k, v in statuses.items()}, sorted(ids)


@settings(max_examples=int(os.environ.get("QMS_INCREMENTAL_EXAMPLES", "40")), deadline=None, derandomize=True,
          database=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 2**32)), min_size=1, max_size=3))
def test_an_incremental_run_prints_what_a_full_run_prints(corpus: Path, committed: tuple[int, str], facts: Any,
                                                          edits: list[tuple[str, int]]):
    statuses, ids = facts
    assert reset(corpus) == committed
    for op, seed in edits:
        edit(corpus, op, random.Random(seed), statuses, ids)
    code, out, _ = validate(corpus)
    full_code, full_out, _ = validate(corpus, "--no-cache")
    assert (code, out) == (full_code, full_out)


def test_an_edited_requirement_re_runs_only_the_rules_that_read_requirements(corpus: Path):
    reset(corpus)  # the stored state: the committed tree
    path = sorted((corpus / "specs" / "requirements").glob("REQ-*.yaml"))[3]
    doc = _load(path)
    doc["title"] = "An edited title"
    _dump(path, doc)
    code, out, err = validate(corpus)
    rules, total, why = ran(err)
    assert why == "changed kinds: requirement"
    # The trace rules read requirements; closed CAPAs (QMS402), suppliers (QMS502) and lots (QMS507) do not.
    assert {"QMS201", "QMS203"} <= set(rules)
    assert not {"QMS402", "QMS502", "QMS507"} & set(rules)
    assert len(rules) < total / 2
    assert (code, out) == validate(corpus, "--no-cache")[:2]


PER_RECORD = {"QMS114", "QMS121", "QMS122", "QMS123", "QMS124", "QMS125", "QMS126", "QMS127", "QMS206", "QMS207",
              "QMS208"}


def narrowed(stderr: str) -> tuple[int, set[str]]:
    """(how many records, which rules) validate ran on the edited records and their neighbours alone, from its
    QMS_DEBUG line."""
    match = re.search(r"; on (\d+) edited records and their neighbours only: ([A-Z0-9 ]+)\)", stderr)
    return (int(match[1]), set(match[2].split())) if match else (0, set())


NEIGHBOURHOOD = {"QMS201", "QMS202", "QMS203", "QMS204", "QMS205"}  # the trace gaps


def test_the_per_record_and_neighbourhood_rules_are_those_declared():
    from generator.rules import RULES

    assert {code for code, r in RULES.items() if r.per_record} == PER_RECORD
    assert {code for code, r in RULES.items() if r.neighbourhood} == NEIGHBOURHOOD


def test_an_edit_that_keeps_every_id_and_link_runs_the_narrowed_rules_on_the_edited_record_and_neighbours(corpus: Path):
    reset(corpus)
    path = sorted((corpus / "specs" / "requirements").glob("REQ-*.yaml"))[4]
    doc = _load(path)
    linking = linking_to(corpus, doc["id"])
    linked = set(_ids_in({k: v for k, v in doc.items() if k != "id"}))
    assert linking and linked  # tests verify it, outputs implement it; it is derived from a need
    doc["created"] = "2031-01-01"  # QMS125, found on the edited record by the narrowed run
    _dump(path, doc)
    code, out, err = validate(corpus)
    # and those linking to it (their stamps: QMS207) and it links to: the trace gaps about them (same links)
    assert narrowed(err) == (len({doc["id"]} | linking | linked), PER_RECORD | NEIGHBOURHOOD)
    assert f'"record": "{doc["id"]}"' in out and '"QMS125"' in out
    assert (code, out) == validate(corpus, "--no-cache")[:2]
    _dump(path, {**doc, "created": "2024-01-01"})  # and the finding goes again
    code, out, err = validate(corpus)
    assert narrowed(err) == (len({doc["id"]} | linking | linked), PER_RECORD | NEIGHBOURHOOD)
    assert '"QMS125"' not in out
    assert (code, out) == validate(corpus, "--no-cache")[:2]


def test_a_failed_test_result_is_found_by_the_trace_gaps_run_on_its_neighbourhood(corpus: Path):
    """A verification test's results turned to fails: the test itself has a gap now (QMS203), found by the trace
    gaps run on the test and its neighbours (the requirements it verifies: nothing more to report on them
    while the test's own gap stands)."""
    reset(corpus)
    path = next(p for p in sorted((corpus / "records" / "verification").glob("VER-*.yaml"))
                if _load(p).get("status") == "approved" and _load(p).get("results"))
    doc = _load(path)
    passed = doc["results"]
    doc["results"] = [{**r, "result": "fail"} for r in passed]  # who executed it (a link) unchanged
    _dump(path, doc)
    code, out, err = validate(corpus)
    assert NEIGHBOURHOOD <= narrowed(err)[1], err
    found = json.loads(out)["findings"]
    assert [f["record"] for f in found if f["code"] == "QMS203"] == [doc["id"]]
    assert (code, out) == validate(corpus, "--no-cache")[:2]
    _dump(path, {**doc, "results": passed})  # and the gaps go again
    code, out, err = validate(corpus)
    assert NEIGHBOURHOOD <= narrowed(err)[1] and '"QMS203"' not in out
    assert (code, out) == validate(corpus, "--no-cache")[:2]


def test_a_comment_then_an_edit_of_the_same_file_still_runs_on_the_neighbourhood(corpus: Path):
    """A comment leaves the stored result standing and re-keys the stored rules by the file's new content, so
    the edit that follows is compared with what the file held after the comment."""
    reset(corpus)
    path = sorted((corpus / "records" / "verification").glob("VER-*.yaml"))[1]
    path.write_text(path.read_text(encoding="utf-8") + "# checked against the drawing\n", encoding="utf-8")
    code, out, err = validate(corpus)
    assert "the stored result stands: 1 edited record files" in err
    doc = _load(path)
    doc["title"] = "Edited after a comment"
    _dump(path, doc)
    code, out, err = validate(corpus)
    assert narrowed(err)[1] == PER_RECORD | NEIGHBOURHOOD
    assert (code, out) == validate(corpus, "--no-cache")[:2]


def test_a_moved_link_runs_the_trace_gaps_whole(corpus: Path):
    """Which records a need is reached from can change far from the edited record: a changed link is a
    change of structure, and the neighbourhood rules run whole (the per-record ones still narrowed)."""
    reset(corpus)
    path = sorted((corpus / "specs" / "requirements").glob("REQ-*.yaml"))[5]
    doc = _load(path)
    old = _ids_in(doc.get("derived_from"))[0]
    needs = sorted(p.stem for p in (corpus / "specs" / "needs").glob("*.yaml"))
    _dump(path, _replace_id(doc, old, next(n for n in needs if n != old)))
    code, out, err = validate(corpus)
    rules, _, _ = ran(err)
    assert narrowed(err)[1] == PER_RECORD and NEIGHBOURHOOD <= set(rules)
    assert (code, out) == validate(corpus, "--no-cache")[:2]


def linking_to(repo: Path, record_id: str) -> set[str]:
    """The records whose files link to `record_id`."""
    found = set()
    for path in record_files(repo):
        doc = _load(path)
        if record_id in _ids_in({k: v for k, v in doc.items() if k != "id"}):
            found.add(str(doc["id"]))
    return found


def test_a_changed_record_makes_the_stamped_links_to_it_suspect_in_a_narrowed_run(corpus: Path):
    """QMS207 reads the records a link leads to: a new statement makes every reviewed link to the requirement
    suspect, and the narrowed run finds that on the records linking to it, whose files did not change."""
    reset(corpus)
    code, before, _ = validate(corpus)
    path = sorted((corpus / "specs" / "requirements").glob("REQ-*.yaml"))[2]
    doc = _load(path)
    doc["statement"] = "The pump shall stop within 1 s of an occlusion alarm (edited)."
    _dump(path, doc)
    code, out, err = validate(corpus)
    assert "QMS207" in narrowed(err)[1]
    suspect = {f["record"] for f in json.loads(out)["findings"] if f["code"] == "QMS207"} - {
        f["record"] for f in json.loads(before)["findings"] if f["code"] == "QMS207"}
    assert suspect and suspect <= linking_to(corpus, doc["id"])
    assert (code, out) == validate(corpus, "--no-cache")[:2]


@pytest.mark.parametrize("op", ["rename", "add", "delete", "schema", "status"])
def test_an_edit_that_changes_which_ids_exist_runs_the_per_record_rules_in_full(corpus: Path, op: str):
    reset(corpus)
    path = sorted((corpus / "specs" / "requirements").glob("REQ-*.yaml"))[6]
    if op == "schema":  # the record now fails its schema: still an ID, but of an unvalidated record
        doc = _load(path)
        doc["created"] = "not a date"
        _dump(path, doc)
    elif op == "status":  # links to it from other records may now lead to a retired record (QMS206)
        doc = _load(path)
        doc["status"] = "obsolete"
        _dump(path, doc)
    else:
        doc = _load(path)
        if op == "delete":
            path.unlink()
        else:
            doc["id"] = _new_id(str(doc["id"]), random.Random(7))
            _dump(path.with_name(f"{doc['id']}.yaml") if op == "add" else path, doc)
    code, out, err = validate(corpus)
    rules, _, _ = ran(err)
    assert narrowed(err) == (0, set()) and PER_RECORD <= set(rules)
    assert (code, out) == validate(corpus, "--no-cache")[:2]
    if op == "status":  # found on the tests that verify it, in files this edit did not touch
        assert '"QMS206"' in out


def test_a_policy_edit_re_runs_the_rules_reading_policies(corpus: Path):
    reset(corpus)
    path = corpus / "specs" / "policies" / "POL-CAPA.yaml"
    doc = _load(path)
    doc["due_days"] = 5  # every open CAPA now overdue
    _dump(path, doc)
    code, out, err = validate(corpus)
    rules, total, why = ran(err)
    assert why == "changed kinds: policy"
    assert {"QMS301", "QMS401", "QMS407"} <= set(rules)
    assert not {"QMS402", "QMS420", "QMS507"} & set(rules)
    assert (code, out) == validate(corpus, "--no-cache")[:2]


def test_a_settings_change_runs_every_rule(corpus: Path):
    reset(corpus)
    with (corpus / "qms.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# a comment\n")
    code, out, err = validate(corpus)
    rules, total, why = ran(err)
    assert why == "every rule run" and len(rules) == total
    assert (code, out) == validate(corpus, "--no-cache")[:2]


def test_a_record_file_turned_unreadable_counts_as_changed(corpus: Path):
    """A file refused this time (a link out of the repository) gives no records, while the load cache may
    still hold the hash of what it held: its records are gone all the same, and the rules reading them rerun."""
    reset(corpus)
    edit(corpus, "outside", random.Random(3), {}, [])
    code, out, err = validate(corpus)
    assert (code, out) == validate(corpus, "--no-cache")[:2]
    assert "QMS122" in ran(err)[0] and '"QMS122"' in out  # a link to a record that no longer loads dangles


# What rules and analyses may read besides the RecordSet and the Context. An incremental run sees a change only
# to records (by kind), to ctx.git and ctx.exports (their readers rerun every time), to qms.yaml, git HEAD, the
# code and the as-of date (every rule runs), and to the clock up to `valid_until` (QMS612's signing times).
# A rule reading the clock or a file in any other way would go stale after an edit: this test names the place.
_OUTSIDE = re.compile(r"\.now\(|today\(|\btime\.\w+\(|perf_counter|\bopen\(|read_text\(|read_bytes\(|\bos\.|subprocess"
                      r"|environ|\.is_file\(|\.exists\(|iterdir\(|glob\(|\.stat\(")
_ALLOWED = {
    # QMS612 and QMS613 compare signing times with now: validate keeps its result only until the soonest of them.
    ("rules/integrity.py", "return dt.datetime.now(dt.UTC) + CLOCK_SKEW"),
    # Tables shipped in the package (importlib.resources): part of the code, which keys every stored result.
    ("analysis/action_priority.py", 'text = resources.files("generator").joinpath("data", TABLE_FILE)'
                                    '.read_text(encoding="utf-8")'),
    ("analysis/capability.py", 'return parse_d2(resources.files("generator.data").joinpath(D2_FILE)'
                               '.read_text(encoding="utf-8"))'),
    ("analysis/sampling.py", 'return resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")'),
}
# The genealogy engines read Parquet tables from the cache; `qms recall` uses them, no rule does.
_NOT_FOR_RULES = ("genealogy_engines", "genealogy_checks", "genealogy_sql")


def test_rules_read_no_clock_or_file_an_incremental_run_cannot_see():
    package = ROOT / "generator"
    found = set()
    for path in sorted([*(package / "rules").glob("*.py"), *(package / "analysis").glob("*.py")]):
        rel = path.relative_to(package).as_posix()
        text = path.read_text(encoding="utf-8")
        if path.stem in _NOT_FOR_RULES:
            continue
        assert not any(name in text for name in _NOT_FOR_RULES), f"{rel} imports a genealogy engine"
        for line in text.splitlines():
            code = line.split("#", 1)[0].strip()
            if _OUTSIDE.search(code) and not code.startswith("def "):
                found.add((rel, code))
    assert found == _ALLOWED


def test_what_a_watched_record_set_notes(corpus: Path):
    """Each way of reading the RecordSet notes the kinds it depends on; an analysis taken from the memo counts
    what it read when it was computed; git facts and data files mark the reader to run every time."""
    from generator.analysis import once
    from generator.gitio.signatures import GitFacts
    from generator.load.repo import load_repository
    from generator.recordset import ALWAYS, ANY, RecordSet
    from generator.rules.watched import WatchedContext

    reset(corpus)
    loaded = load_repository(corpus)
    rs = RecordSet(loaded.records, loaded.config, loaded.unvalidated)
    watch = rs.watch()

    def seen(read: Any) -> frozenset[str]:
        watch.push()
        read()
        return watch.pop()

    assert seen(lambda: rs.of_kind("capa")) == {"capa"}
    assert seen(lambda: rs.get("REQ-0001")) == {"requirement"}
    assert seen(lambda: "HAZ-999" in rs) == {"hazard"}  # a miss: the kind its prefix names
    assert seen(lambda: rs.get("NOPE-1")) == {ANY}  # no kind has that prefix
    assert seen(lambda: rs.sources["REQ-0001"]) == {"requirement"}
    assert seen(lambda: rs.links_from("VER-001")) == {"verification"}
    assert seen(lambda: rs.links_to("REQ-0001", "verifies")) == {"verification"}
    assert seen(lambda: rs.links_to("REQ-0001")) == {ANY}
    assert seen(lambda: list(rs.records.values())) == {ANY}
    assert seen(lambda: len(rs)) == {ANY}
    assert seen(lambda: list(rs.duplicates)) == {ANY}
    assert seen(lambda: rs.links()) == {ANY}

    def capas(records: RecordSet) -> int:
        return len(records.of_kind("capa"))

    assert seen(lambda: once(capas, rs)) == {"capa"}  # computed
    assert seen(lambda: once(capas, rs)) == {"capa"}  # from the memo

    ctx = WatchedContext(rs, dt.date(2026, 11, 25), {}, None)
    assert seen(lambda: ctx.git) == set()  # outside git it is None on every run
    assert seen(lambda: ctx.exports) == {ALWAYS}
    in_git = WatchedContext(rs, dt.date(2026, 11, 25), {}, GitFacts())
    assert seen(lambda: in_git.git) == {ALWAYS}


@pytest.mark.parametrize("damage", ["not json", "a file of another shape", "a footprint of another shape",
                                    "a finding of another shape"])
def test_a_damaged_rules_file_runs_every_rule(corpus: Path, damage: str):
    reset(corpus)
    stored = corpus / ".qms-cache" / "rules.json"
    doc = json.loads(stored.read_text(encoding="utf-8"))
    if damage == "not json":
        text = "{not json"
    else:
        if damage == "a file of another shape":
            doc["files"]["records/documents/DOC-001.yaml"] = ["digest", ["document"]]
        elif damage == "a footprint of another shape":
            doc["rules"]["QMS402"][0] = "capa"
        else:
            doc["rules"]["QMS402"][1] = [["QMS402", "error"]]
        text = json.dumps(doc)
    stored.write_text(text, encoding="utf-8")
    path = sorted((corpus / "specs" / "requirements").glob("REQ-*.yaml"))[5]
    doc = _load(path)
    doc["title"] = "Edited after the rules file was damaged"
    _dump(path, doc)
    code, out, err = validate(corpus)
    rules, total, why = ran(err)
    assert why == "every rule run" and len(rules) == total
    assert (code, out) == validate(corpus, "--no-cache")[:2]
