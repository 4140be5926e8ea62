"""`qms import doorstop`: doorstop's own published requirements tree, stamps, suspect links, all-or-nothing."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import yaml
from support import make_repo, run_qms, validate_json

from generator.interchange import doorstop as ds

FIXTURE = Path(__file__).parent / "fixtures" / "interchange" / "doorstop" / "reqs"


def _import(repo: Path, tree: Path, *extra: str) -> tuple[int, dict, str]:
    proc = run_qms("--repo", str(repo), "import", "doorstop", str(tree), "--format", "json", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, (json.loads(proc.stdout) if proc.returncode == 0 else {}), proc.stderr


def _record(repo: Path, rel: str) -> dict:
    return yaml.safe_load((repo / rel).read_text())


def _copy_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "reqs"
    shutil.copytree(FIXTURE, tree)
    return tree


def test_stamps_are_doorstops_own():
    """Every link stamp and review stamp published in doorstop's tree is reproduced (one item, TUT017,
    carries a review stamp doorstop itself reports as outdated)."""
    docs = ds.find_documents(FIXTURE)
    for doc in docs:
        ds.read_items(doc, FIXTURE)
    items = {it.uid: (it, doc) for doc in docs for it in doc.items}
    assert len(items) == 43
    links = [(uid, target, given) for uid, (it, _) in items.items() for target, given, _ in ds._link_targets(it)]
    assert len(links) == 22
    assert all(given == ds.stamp(*items[target]) for _, target, given in links)
    unreviewed = sorted(uid for uid, (it, doc) in items.items() if it.data["reviewed"] != ds.stamp(it, doc, links=True))
    assert unreviewed == ["TUT017"]
    assert ds.stamp(*items["REQ001"], links=True) == "avwblqPimDJ2OgTrRCXxRPN8FQhUBWqPIXm7kSR95C4="


def test_doorstops_published_tree_imports_whole_and_validates(tmp_path):
    repo = make_repo(tmp_path / "q")
    code, report, err = _import(repo, FIXTURE)
    assert code == 0, err
    assert report["summary"] == {
        "items_read": 43, "records": 43, "headings": 14, "items_dropped": 0,
        "created": 43, "updated": 0, "unchanged": 0, "exists": 0,
        # 22 doorstop links, and 26 'contains' links of the 14 informative items (structure, unreviewed).
        "links_read": 48, "links": 47, "links_reviewed": 21, "links_unreviewed": 26, "links_suspect": 0,
        "links_dropped": 1, "renamed": 43, "refused": 0,
    }
    # Every item and link is accounted for: records + headings + dropped items, kept + dropped links.
    assert [(d["name"], d["kind"], d["items"]) for d in report["documents"]] == [
        ("REQ", "requirement", 18), ("EXT", "requirement", 2), ("TUT", "requirement", 23)]
    assert report["dropped"] == [{"what": "link TUT022 -> REQ017", "origin": f"{FIXTURE.as_posix()}/tutorial/TUT022.yml:7",
                                  "why": "the item is informative (non-normative): nothing traces to it"}]
    assert [h["source"] for h in report["headings"]][:5] == ["REQ018", "REQ019", "REQ002", "REQ006", "REQ010"]

    # New records are numbered in reading order (document, then level), never after the other tool's IDs.
    req3 = _record(repo, "specs/requirements/REQ-001.yaml")
    assert req3 == {
        "id": "REQ-001", "title": "Identifiers", "status": "draft",
        "origin": {"tool": "doorstop", "source": "reqs", "uid": "REQ003"},
        "attributes": {"level": "2.1", "section": "2 Composition Features", "reviewed": True},
        "statement": "Doorstop **shall** provide unique and permanent identifiers to linkable\nsections of text.",
    }
    by_source = {r["source"]: r for r in report["records"]}
    # REQ003, REQ004, REQ001 are the first three requirements of document REQ (levels 2.1-2.3, under heading
    # REQ002); the 13 of REQ come before EXT's two and TUT's.
    assert [by_source[s]["id"] for s in ("REQ001", "EXT001", "EXT002", "TUT001")] == [
        "REQ-003", "REQ-014", "REQ-015", "REQ-017"]
    ext1 = _record(repo, by_source["EXT001"]["file"])
    assert ext1["origin"] == {"tool": "doorstop", "source": "reqs", "uid": "EXT001"}
    assert ext1["attributes"]["references"] == [{
        "path": "reqs/ext/test.file", "sha": "24d9b35c727e6c78676c2ad378a8c3c47cfb539f3583d3cd9e1eafee51d5679d",
        "type": "file"}]
    tut17 = next(r for r in report["records"] if r["source"] == "TUT017")
    assert _record(repo, tut17["file"])["attributes"]["reviewed"] is False
    # TUT002 links five REQ items; every link arrives reviewed (stamped), so validation finds nothing.
    tut2 = next(r for r in report["records"] if r["source"] == "TUT002")
    links = _record(repo, tut2["file"])["derived_from"]
    # REQ003, REQ004, REQ011, REQ012, REQ013 as numbered here.
    assert [next(iter(link)) for link in links] == ["REQ-001", "REQ-002", "REQ-009", "REQ-010", "REQ-011"]
    code, out = validate_json(repo)
    assert code == 0 and out["summary"]["errors"] == 0 and out["summary"]["warnings"] == 0
    assert out["summary"]["kinds"]["requirement"] == 29


def test_a_suspect_doorstop_link_arrives_suspect(tmp_path):
    tree = _copy_tree(tmp_path)
    req3 = tree / "REQ003.yml"
    req3.write_text(req3.read_text().replace("permanent identifiers", "permanent, readable identifiers"))
    repo = make_repo(tmp_path / "q")
    code, report, err = _import(repo, tree)
    assert code == 0, err
    by_source = {r["source"]: r["id"] for r in report["records"]}
    suspects = [(n["was"], n["state"]) for n in report["links"] if n["state"] == "suspect"]
    assert suspects == [(f"{t} -> REQ003", "suspect") for t in ("TUT001", "TUT002", "TUT004", "TUT008")]
    tut1 = _record(repo, f"specs/requirements/{by_source['TUT001']}.yaml")
    assert tut1["derived_from"][0] == {"REQ-001": "9TcFUzsQWUHhoh5wsqnhL7VRtSqMaIhrCXg7mfIkxKM="}
    code, out = validate_json(repo)
    assert code == 1
    assert sorted((f["code"], f["record"]) for f in out["findings"]) == sorted(
        ("QMS207", by_source[t]) for t in ("TUT001", "TUT002", "TUT004", "TUT008"))


def test_a_bad_item_stops_the_whole_import(tmp_path):
    tree = _copy_tree(tmp_path)
    (tree / "tutorial" / "TUT009.yml").write_text("active: true\nlinks: [REQ003\ntext: broken\n")
    repo = make_repo(tmp_path / "q")
    code, _, err = _import(repo, tree)
    assert code == 2
    assert err.startswith(f"qms: error: {tree.as_posix()}/tutorial/TUT009.yml:3: YAML syntax error")
    assert not (repo / "specs").exists()


def test_a_link_to_a_missing_item_is_located(tmp_path):
    tree = _copy_tree(tmp_path)
    tut = tree / "tutorial" / "TUT003.yml"
    tut.write_text(tut.read_text().replace("links: []\n", "links:\n- REQ999: abc\n", 1))
    repo = make_repo(tmp_path / "q")
    code, _, err = _import(repo, tree)
    assert code == 2
    assert f"{tree.as_posix()}/tutorial/TUT003.yml:6: TUT003 links to REQ999, which is neither in the import " \
           "nor a record imported earlier from reqs (a link never resolves to this repository's own IDs)" in err
    assert not (repo / "specs").exists()


def test_dry_run_writes_nothing(tmp_path):
    repo = make_repo(tmp_path / "q")
    proc = run_qms("--repo", str(repo), "import", "doorstop", str(FIXTURE), "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "(dry run: nothing written)" in proc.stdout
    assert "  create    REQ-001 (was REQ003) requirement -> specs/requirements/REQ-001.yaml" in proc.stdout
    assert "43 would be created" in proc.stdout
    assert not (repo / "specs").exists()


SMALL = {
    "reqs/.doorstop.yml": "settings:\n  digits: 3\n  prefix: REQ\n  sep: '-'\n",
    "reqs/REQ-001.yml": """\
        active: true
        derived: false
        header: Flow accuracy
        level: 1.1
        links: []
        normative: true
        ref: ''
        reviewed: null
        risk: high
        text: |
          The pump shall deliver the set rate within 5 %.
        """,
    "reqs/tests/.doorstop.yml": "settings:\n  digits: 3\n  parent: REQ\n  prefix: TST\n  sep: ''\n  itemformat: markdown\n",
    "reqs/tests/TST001.md": """\
        ---
        active: true
        derived: false
        level: 1.1
        links:
        - REQ-001
        normative: true
        ref: ''
        reviewed: null
        ---

        # Gravimetric flow test

        Weigh the delivered volume over one hour at 25 mL/h.
        """,
}


def _small(tmp_path: Path) -> Path:
    for rel, text in SMALL.items():
        path = tmp_path / "src" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path / "src" / "reqs"


def test_ids_kinds_markdown_and_custom_attributes(tmp_path):
    tree = _small(tmp_path)
    repo = make_repo(tmp_path / "q")
    code, report, err = _import(repo, tree)
    assert code == 0, err
    assert [(r["source"], r["id"], r["kind"]) for r in report["records"]] == [
        ("REQ-001", "REQ-001", "requirement"), ("TST001", "VER-001", "verification")]
    assert _record(repo, "specs/requirements/REQ-001.yaml") == {
        "id": "REQ-001", "title": "Flow accuracy", "status": "draft",
        "origin": {"tool": "doorstop", "source": "reqs", "uid": "REQ-001"},
        "attributes": {"level": "1.1", "reviewed": False, "risk": "high"},
        "statement": "The pump shall deliver the set rate within 5 %."}
    assert _record(repo, "records/verification/VER-001.yaml") == {
        "id": "VER-001", "title": "Gravimetric flow test", "status": "draft",
        "origin": {"tool": "doorstop", "source": "reqs", "uid": "TST001"},
        "attributes": {"level": "1.1", "reviewed": False},
        "description": "Weigh the delivered volume over one hour at 25 mL/h.", "verifies": ["REQ-001"]}
    assert report["links"] == [{"source": "VER-001", "role": "verifies", "target": "REQ-001", "state": "unreviewed",
                                "was": "TST001 -> REQ-001"}]
    # --map overrides the default kind.
    repo2 = make_repo(tmp_path / "q2")
    code, report, err = _import(repo2, tree, "--map", "TST=requirement")
    assert code == 0, err
    assert [r["id"] for r in report["records"]] == ["REQ-001", "REQ-002"]


def test_existing_records_change_only_with_update(tmp_path):
    tree = _small(tmp_path)
    repo = make_repo(tmp_path / "q")
    assert _import(repo, tree)[0] == 0
    target = repo / "specs/requirements/REQ-001.yaml"
    target.write_text("# kept comment\n" + target.read_text().replace("status: draft", "status: approved"))
    code, report, _ = _import(repo, tree)
    assert code == 0 and report["summary"]["unchanged"] == 2

    item = tree / "REQ-001.yml"
    item.write_text(item.read_text().replace("within 5 %", "within 4 %"))
    code, report, _ = _import(repo, tree)
    assert code == 0
    assert report["records"][0]["action"] == "exists" and report["records"][0]["changed"] == ["statement"]
    assert "within 5 %" in target.read_text()

    # An approved record is never changed by an import: refused by name, exit 1, the file as it was.
    before = target.read_bytes()
    proc = run_qms("--repo", str(repo), "import", "doorstop", str(tree), "--update", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [(r["id"], r["action"], r.get("changed")) for r in report["records"]] == [
        ("REQ-001", "refused", ["statement"]), ("VER-001", "unchanged", None)]
    assert report["refused"][0]["why"] == ("REQ-001 is approved: an import does not change a released record; "
                                           "the source changed statement (revise REQ-001 through approval to "
                                           "take it)")
    assert target.read_bytes() == before

    # A draft is updated: only the field the source changed; what was added here (owner) stays.
    target.write_text(target.read_text().replace("status: approved", "status: draft") + "owner: USR-001\n")
    code, report, _ = _import(repo, tree, "--update")
    assert code == 0
    assert [(r["id"], r["action"], r.get("changed")) for r in report["records"]] == [
        ("REQ-001", "update", ["statement"]), ("VER-001", "unchanged", None)]
    text = target.read_text()
    assert text.startswith("# kept comment\n") and "owner: USR-001" in text and "within 4 %" in text
