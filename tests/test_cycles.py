"""Link cycles in hierarchical roles (QMS128): each reported once with its path, and no analysis loops on one."""

from __future__ import annotations

import json
import time
from pathlib import Path

from support import make_repo, run_qms, validate_json

from generator.analysis.cycles import cycles, hierarchical_roles, strongly_connected
from generator.analysis.trace import trace
from generator.load.source import Source
from generator.model.design import Requirement, UserNeed
from generator.recordset import RecordSet


def _req(rid: str, *parents: str) -> str:
    text = f"id: {rid}\ntitle: {rid} title\nstatus: approved\nowner: USR-001\nstatement: The pump shall stop.\n"
    return text + (f"derived_from: [{', '.join(parents)}]\n" if parents else "")


NEED = "id: UN-001\ntitle: Need\nstatus: approved\nowner: USR-001\nstatement: Nurses need to stop it.\n"


def _cyclic_requirements(base: Path) -> Path:
    return make_repo(base, {
        "records/needs/UN-001.yaml": NEED,
        "records/requirements/REQ-0001.yaml": _req("REQ-0001", "UN-001", "REQ-0003"),
        "records/requirements/REQ-0002.yaml": _req("REQ-0002", "REQ-0001"),  # below the cycle, not in it
        "records/requirements/REQ-0003.yaml": _req("REQ-0003", "REQ-0004"),
        "records/requirements/REQ-0004.yaml": _req("REQ-0004", "REQ-0001"),
    })


def _cycle_findings(out: dict) -> list[tuple[str, str, str, str]]:
    return [(f["code"], f["severity"], f["location"], f["message"]) for f in out["findings"] if f["code"] == "QMS128"]


def test_the_hierarchical_roles_are_every_self_referencing_link_but_owner():
    # `contains` is a section's: sections nest, and a section that contains itself is a cycle too.
    assert hierarchical_roles() == ("bom.material", "consumes.lot", "contains", "derived_from",
                                    "prerequisites.training", "supersedes")


def test_a_derivation_cycle_is_reported_once_at_its_smallest_id(tmp_path):
    code, out = validate_json(_cyclic_requirements(tmp_path))
    assert code == 1
    assert _cycle_findings(out) == [(
        "QMS128", "error", "records/requirements/REQ-0001.yaml:6",
        "'derived_from' links form a cycle: REQ-0001 → REQ-0003 → REQ-0004 → REQ-0001")]
    assert [f["record"] for f in out["findings"] if f["code"] == "QMS128"] == ["REQ-0001"]


def test_a_component_with_two_cycles_names_the_other_members(tmp_path):
    repo = make_repo(tmp_path, {
        "records/requirements/REQ-0005.yaml": _req("REQ-0005", "REQ-0007", "REQ-0006"),
        "records/requirements/REQ-0006.yaml": _req("REQ-0006", "REQ-0005"),
        "records/requirements/REQ-0007.yaml": _req("REQ-0007", "REQ-0008"),
        "records/requirements/REQ-0008.yaml": _req("REQ-0008", "REQ-0005"),
    })
    code, out = validate_json(repo)
    assert code == 1
    # The shortest cycle through REQ-0005 goes by its second link, so that is where the finding stands.
    assert _cycle_findings(out) == [(
        "QMS128", "error", "records/requirements/REQ-0005.yaml:6",
        "'derived_from' links form a cycle: REQ-0005 → REQ-0006 → REQ-0005; also caught in this cycle: "
        "REQ-0007, REQ-0008")]


def test_a_self_link_is_left_to_qms126(tmp_path):
    code, out = validate_json(make_repo(tmp_path, {"records/requirements/REQ-0001.yaml": _req("REQ-0001", "REQ-0001")}))
    assert [f["code"] for f in out["findings"] if f["code"] in ("QMS126", "QMS128")] == ["QMS126"]


MATERIALS = {
    "records/materials/MAT-002.yaml": "id: MAT-002\ntitle: Motor\nstatus: approved\ntype: component\n",
}
LOTS_HEADER = "id,status,lot_type,material,supplier,supplier_lot,consumes,dhr_complete,released,expiry,owner\n"


def _cyclic_lots(base: Path) -> Path:
    return make_repo(base, {**MATERIALS, "records/production/lots.csv": LOTS_HEADER
                            + "LOT-A,accepted,component,MAT-002,,,LOT-B=1,,,,\n"
                            + "LOT-B,accepted,component,MAT-002,,,LOT-A=1,,,,\n"})


def test_lots_consuming_each_other_are_a_cycle(tmp_path):
    code, out = validate_json(_cyclic_lots(tmp_path))
    assert code == 1
    assert _cycle_findings(out) == [(
        "QMS128", "error", "records/production/lots.csv:2",
        "'consumes.lot' links form a cycle: LOT-A → LOT-B → LOT-A")]


def test_recall_and_trace_finish_on_cycles(tmp_path):
    lots = _cyclic_lots(tmp_path / "lots")
    started = time.monotonic()
    proc = run_qms("--repo", str(lots), "recall", "--lot", "LOT-A", "--format", "json", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ("qms: error: lots consume each other (LOT-A, LOT-B): the genealogy holds a cycle and this "
                           "impact cannot be trusted; run `qms validate` (QMS128)\n")
    assert [c["lot"] for c in json.loads(proc.stdout)["components"]] == ["LOT-A", "LOT-B"]
    fast = run_qms("--repo", str(lots), "recall", "--lot", "LOT-A", "--fast", timeout=60)
    assert (fast.returncode, fast.stderr) == (1, proc.stderr)
    reqs = _cyclic_requirements(tmp_path / "reqs")
    proc = run_qms("--repo", str(reqs), "trace", "--format", "json", timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    rows = {r["id"]: r for r in json.loads(proc.stdout)["requirements"]}
    # Every member of the cycle, and the requirement below it, reaches the need REQ-0001 names.
    assert {rid: rows[rid]["needs"] for rid in rows} == {rid: ["UN-001"] for rid in
                                                         ("REQ-0001", "REQ-0002", "REQ-0003", "REQ-0004")}
    proc = run_qms("--repo", str(reqs), "trace", "--out", str(tmp_path / "t.xlsx"), timeout=60)
    assert proc.returncode == 1 and (tmp_path / "t.xlsx").is_file(), proc.stderr
    # A guard against an endless walk round the cycle, not a speed figure (those are in benchmarks/): each
    # command takes seconds; the bound is wide so that a loaded CI machine never trips it.
    assert time.monotonic() - started < 240


def _in_memory(n: int, cyclic: bool) -> RecordSet:
    """`n` requirements in one derivation chain under one need, closed into a cycle when `cyclic`."""
    records: list = [(UserNeed(id="UN-001", title="n", status="approved", statement="s"), Source("UN-001.yaml"))]
    for i in range(n):
        parent = f"REQ-{i - 1:06d}" if i else (f"REQ-{n - 1:06d}" if cyclic else "UN-001")
        parents = [parent, "UN-001"] if cyclic and i == 0 else [parent]
        records.append((Requirement(id=f"REQ-{i:06d}", title="r", status="approved", statement="s",
                                    derived_from=parents), Source(f"REQ-{i:06d}.yaml")))
    return RecordSet(records)


def test_100000_records_in_one_cycle_no_recursion_linear_time():
    rs = _in_memory(100_000, cyclic=True)
    started = time.monotonic()
    found = cycles(rs)
    assert [(c.role, len(c.path), c.path[0], c.path[1], c.path[-1]) for c in found] == [
        ("derived_from", 100_001, "REQ-000000", "REQ-099999", "REQ-000000")]
    result = trace(rs)
    assert {row.needs for row in result.rows} == {("UN-001",)}
    # Linear walks take seconds here; a quadratic one over 100,000 records would take hours. The bound only
    # tells the two apart, wide enough for a loaded machine (speed itself is measured in benchmarks/).
    assert time.monotonic() - started < 300


def test_100000_records_in_one_chain_trace_without_recursion():
    rs = _in_memory(100_000, cyclic=False)
    assert cycles(rs) == []
    assert {row.needs for row in trace(rs).rows} == {("UN-001",)}


def test_strongly_connected_lists_components_sinks_first():
    graph = {"a": ["b"], "b": ["c", "d"], "c": ["b"], "d": []}
    assert strongly_connected(sorted(graph), lambda n: graph[n]) == [["d"], ["c", "b"], ["a"]]


def test_imported_parent_cycles_are_reported(tmp_path):
    sdoc = tmp_path / "c.sdoc"
    sdoc.write_text("[DOCUMENT]\nTITLE: T\n\n"
                    "[REQUIREMENT]\nUID: R-1\nTITLE: One\nSTATEMENT: The pump shall stop.\nRELATIONS:\n"
                    "- TYPE: Parent\n  VALUE: R-2\n\n"
                    "[REQUIREMENT]\nUID: R-2\nTITLE: Two\nSTATEMENT: The pump shall go.\nRELATIONS:\n"
                    "- TYPE: Parent\n  VALUE: R-1\n")
    repo = make_repo(tmp_path / "s")
    assert run_qms("--repo", str(repo), "import", "strictdoc", str(sdoc)).returncode == 0
    code, out = validate_json(repo)
    assert code == 1 and _cycle_findings(out) == [(
        "QMS128", "error", "specs/requirements/REQ-001.yaml:12",
        "'derived_from' links form a cycle: REQ-001 → REQ-002 → REQ-001")]

    tree = tmp_path / "reqs"
    tree.mkdir()
    (tree / ".doorstop.yml").write_text("settings:\n  digits: 3\n  prefix: REQ\n  sep: ''\n")
    for i in (1, 2, 3):
        (tree / f"REQ00{i}.yml").write_text(
            f"active: true\nderived: false\nheader: ''\nlevel: 1.{i}\nlinks:\n- REQ00{i % 3 + 1}: null\n"
            f"normative: true\nref: ''\nreviewed: null\ntext: |\n  The pump shall do {i}.\n")
    repo = make_repo(tmp_path / "d")
    assert run_qms("--repo", str(repo), "import", "doorstop", str(tree)).returncode == 0
    code, out = validate_json(repo)
    assert code == 1 and _cycle_findings(out) == [(
        "QMS128", "error", "specs/requirements/REQ-001.yaml:13",
        "'derived_from' links form a cycle: REQ-001 → REQ-002 → REQ-003 → REQ-001")]


def test_the_worked_example_has_no_cycle(example_repo):
    code, out = validate_json(example_repo)
    assert code == 0 and _cycle_findings(out) == []
