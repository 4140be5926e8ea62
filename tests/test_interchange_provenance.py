"""Provenance is the key of an import: another project's `REQ-0001` never becomes, links to, or overwrites ours.

Two doorstop trees that number their items as the worked example does (REQ-0001 ...) are imported one
after the other into a copy of the example: every record of the example keeps its bytes, each tree gets
records of its own in the example's numbering, links stay inside their tree, and `--update` changes
only the tree's own records and refuses an approved one. Also: a .reqifz with several members, and
locations past line 65,535.
"""

from __future__ import annotations

import json
import textwrap
import zipfile
from pathlib import Path

import yaml
from support import copy_example, make_repo, run_qms

from generator.load.repo import load_repository
from generator.model.design import _Importable

ITEM = """\
    active: true
    derived: false
    header: {header}
    level: {level}
    links: [{links}]
    normative: true
    ref: ''
    reviewed: null
    text: |
      {text}
    """


def _tree(base: Path, name: str, items: dict[str, tuple[str, str, str]], tests: dict[str, tuple[str, str]] | None = None
          ) -> Path:
    """A doorstop tree: root document REQ (REQ-0001 ...) and, if given, a child TST of test items."""
    root = base / name
    root.mkdir(parents=True)
    (root / ".doorstop.yml").write_text("settings:\n  digits: 4\n  prefix: REQ\n  sep: '-'\n")
    for i, (uid, (header, text, links)) in enumerate(items.items(), 1):
        (root / f"{uid}.yml").write_text(textwrap.dedent(ITEM).format(header=header, level=f"1.{i}", links=links,
                                                                      text=text))
    if tests:
        (root / "tests").mkdir()
        (root / "tests/.doorstop.yml").write_text(
            "settings:\n  digits: 4\n  parent: REQ\n  prefix: TST\n  sep: '-'\n")
        for i, (uid, (text, links)) in enumerate(tests.items(), 1):
            (root / "tests" / f"{uid}.yml").write_text(textwrap.dedent(ITEM).format(
                header=f"Test {i}", level=f"1.{i}", links=links, text=text))
    return root


ALPHA = {
    "REQ-0001": ("Telemetry rate", "The pump shall send telemetry every 10 s.", ""),
    "REQ-0002": ("Telemetry content", "Each message shall carry the infusion rate.", ""),
    "REQ-0003": ("Telemetry service", "The service shall store every message.", "REQ-0001"),
}
ALPHA_TESTS = {"TST-0001": ("Capture one minute of messages and count them.", "REQ-0002")}
BETA = {
    "REQ-0001": ("Dock power", "The dock shall supply 12 V.", ""),
    "REQ-0002": ("Dock ripple", "Ripple shall stay below 50 mV.", "REQ-0001"),
}


def _import(repo: Path, tree: Path, *extra: str) -> tuple[int, dict, str]:
    proc = run_qms("--repo", str(repo), "import", "doorstop", str(tree), "--format", "json", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, (json.loads(proc.stdout) if proc.stdout.strip() else {}), proc.stderr


def _files(repo: Path) -> dict[str, bytes]:
    return {p.relative_to(repo).as_posix(): p.read_bytes()
            for top in ("specs", "records") for p in sorted((repo / top).rglob("*")) if p.is_file()}


def test_two_foreign_trees_never_touch_the_example_nor_each_other(tmp_path):
    repo = copy_example(tmp_path / "example", commit=False)
    example = _files(repo)
    alpha = _tree(tmp_path / "src", "alpha", ALPHA, ALPHA_TESTS)
    beta = _tree(tmp_path / "src", "beta", BETA)

    code, report, err = _import(repo, alpha)
    assert code == 0, err
    # The example's requirements end at REQ-0031 (four digits), its verifications at VER-028 (three).
    assert [(r["source"], r["id"], r["action"]) for r in report["records"]] == [
        ("REQ-0001", "REQ-0032", "create"), ("REQ-0002", "REQ-0033", "create"), ("REQ-0003", "REQ-0034", "create"),
        ("TST-0001", "VER-029", "create")]
    assert [(n["source"], n["target"], n["was"]) for n in report["links"]] == [
        ("REQ-0034", "REQ-0032", "REQ-0003 -> REQ-0001"), ("VER-029", "REQ-0033", "TST-0001 -> REQ-0002")]
    code, report, err = _import(repo, beta)
    assert code == 0, err
    assert [(r["source"], r["id"], r["action"]) for r in report["records"]] == [
        ("REQ-0001", "REQ-0035", "create"), ("REQ-0002", "REQ-0036", "create")]

    after = _files(repo)
    assert {k: v for k, v in after.items() if k in example} == example  # not a byte of the example changed
    assert sorted(set(after) - set(example)) == [
        "records/verification/VER-029.yaml", *(f"specs/requirements/REQ-00{n}.yaml" for n in range(32, 37))]

    records = {r.id: r for r, _ in load_repository(repo).records}
    origins = {rid: (r.origin.tool, r.origin.source, r.origin.uid) for rid, r in records.items()
               if isinstance(r, _Importable) and r.origin is not None}
    assert origins == {
        "REQ-0032": ("doorstop", "alpha", "REQ-0001"), "REQ-0033": ("doorstop", "alpha", "REQ-0002"),
        "REQ-0034": ("doorstop", "alpha", "REQ-0003"), "VER-029": ("doorstop", "alpha", "TST-0001"),
        "REQ-0035": ("doorstop", "beta", "REQ-0001"), "REQ-0036": ("doorstop", "beta", "REQ-0002")}
    # Every link of a foreign record points at a record of its own tree.
    for rid, (_, source, _) in origins.items():
        for ref in getattr(records[rid], "derived_from", []) + getattr(records[rid], "verifies", []):
            assert origins[ref.id][1] == source, (rid, ref.id)
    assert records["REQ-0034"].derived_from[0].id == "REQ-0032"
    assert records["REQ-0036"].derived_from[0].id == "REQ-0035"
    assert records["REQ-0035"].statement == "The dock shall supply 12 V."
    assert records["REQ-0032"].statement == "The pump shall send telemetry every 10 s."

    # Re-running either import changes nothing.
    for tree in (alpha, beta):
        code, report, err = _import(repo, tree)
        assert code == 0 and report["summary"]["unchanged"] == len(report["records"]), err
    assert _files(repo) == after

    # alpha changes upstream; its REQ-0033 (their REQ-0002) has been approved here meanwhile, and its
    # REQ-0032 was given an owner and a type here.
    req33, req32 = repo / "specs/requirements/REQ-0033.yaml", repo / "specs/requirements/REQ-0032.yaml"
    req33.write_text(req33.read_text().replace("status: draft", "status: approved"))
    req32.write_text(req32.read_text() + "owner: USR-001\ntype: performance\nverification_method: test\n")
    for uid, old, new in (("REQ-0001", "every 10 s", "every 5 s"), ("REQ-0002", "infusion rate", "infusion rate and volume")):
        path = alpha / f"{uid}.yml"
        path.write_text(path.read_text().replace(old, new))
    before = _files(repo)
    req32_text = req32.read_text()
    code, report, err = _import(repo, alpha, "--update")
    assert code == 1, err
    # Only the changed field's line differs; the fields added here stay where they were, byte for byte.
    assert req32.read_text() == req32_text.replace("every 10 s", "every 5 s")
    assert [(r["id"], r["action"], r.get("changed")) for r in report["records"]] == [
        ("REQ-0032", "update", ["statement"]), ("REQ-0033", "refused", ["statement"]),
        ("REQ-0034", "unchanged", None), ("VER-029", "unchanged", None)]
    assert [(r["id"], r["status"]) for r in report["refused"]] == [("REQ-0033", "approved")]
    after = _files(repo)
    assert [k for k in after if after[k] != before[k]] == ["specs/requirements/REQ-0032.yaml"]
    req = yaml.safe_load(req32.read_text())
    assert req["statement"] == "The pump shall send telemetry every 5 s."
    assert (req["owner"], req["type"], req["verification_method"]) == ("USR-001", "performance", "test")
    # doorstop gave the link no stamp: it stays an unreviewed link to REQ-0032, unchanged.
    assert yaml.safe_load((repo / "specs/requirements/REQ-0034.yaml").read_text())["derived_from"] == ["REQ-0032"]


def test_a_record_whose_id_or_legacy_id_equals_a_foreign_uid_is_not_matched(tmp_path):
    repo = make_repo(tmp_path / "q", {
        "specs/requirements/REQ-0001.yaml": """\
            id: REQ-0001
            title: Ours
            status: approved
            legacy_id: REQ-0002
            statement: Our own requirement.
            """})
    tree = _tree(tmp_path / "src", "beta", BETA)
    code, report, err = _import(repo, tree, "--update")
    assert code == 0, err
    assert [(r["source"], r["id"], r["action"]) for r in report["records"]] == [
        ("REQ-0001", "REQ-0002", "create"), ("REQ-0002", "REQ-0003", "create")]
    assert yaml.safe_load((repo / "specs/requirements/REQ-0001.yaml").read_text())["title"] == "Ours"


def test_source_names_the_origin_so_a_moved_tree_is_found_again(tmp_path):
    repo = make_repo(tmp_path / "q")
    first = _tree(tmp_path / "v1", "checkout", BETA)
    assert _import(repo, first, "--source", "dock-spec")[0] == 0
    moved = _tree(tmp_path / "v2", "elsewhere", BETA)
    code, report, _ = _import(repo, moved, "--source", "dock-spec")
    assert code == 0 and [r["action"] for r in report["records"]] == ["unchanged", "unchanged"]
    # Without the name the moved tree is another source: new records, never a merge.
    code, report, _ = _import(repo, moved)
    assert code == 0 and [(r["id"], r["action"]) for r in report["records"]] == [
        ("REQ-003", "create"), ("REQ-004", "create")]


def _reqif(ids: list[str], pad: int = 0, relations: tuple[tuple[str, str], ...] = ()) -> str:
    """A small ReqIF file of requirements whose ForeignIDs are `ids`, with `pad` comment lines before them,
    and `relations` (source, target IDENTIFIER) of type "Refines"."""
    objects = "".join(f"""
      <SPEC-OBJECT IDENTIFIER="o-{i}" LAST-CHANGE="2026-01-01T00:00:00Z">
        <VALUES>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="{i}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="The unit shall do {i}."><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-text</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
        </VALUES>
        <TYPE><SPEC-OBJECT-TYPE-REF>t-req</SPEC-OBJECT-TYPE-REF></TYPE>
      </SPEC-OBJECT>""" for i in ids)
    rels = "".join(f"""
      <SPEC-RELATION IDENTIFIER="r-{a}-{b}" LAST-CHANGE="2026-01-01T00:00:00Z">
        <SOURCE><SPEC-OBJECT-REF>{a}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>{b}</SPEC-OBJECT-REF></TARGET>
        <TYPE><SPEC-RELATION-TYPE-REF>t-ref</SPEC-RELATION-TYPE-REF></TYPE>
      </SPEC-RELATION>""" for a, b in relations)
    rels = f"\n    <SPEC-RELATIONS>{rels}\n    </SPEC-RELATIONS>" if relations else ""
    rtype = ('\n      <SPEC-RELATION-TYPE IDENTIFIER="t-ref" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Refines"/>'
             if relations else "")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>Spec</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="dt-s" LAST-CHANGE="2026-01-01T00:00:00Z" MAX-LENGTH="255"/></DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="t-req" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Requirement">
        <SPEC-ATTRIBUTES>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="ReqIF.ForeignID">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-text" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="ReqIF.Text">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
        </SPEC-ATTRIBUTES>
      </SPEC-OBJECT-TYPE>{rtype}
    </SPEC-TYPES>
    <SPEC-OBJECTS>{"<!-- - -->" + chr(10) * pad if pad else ""}{objects}
    </SPEC-OBJECTS>{rels}
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"""


def test_a_reqifz_with_several_members_imports_every_member(tmp_path):
    packed = tmp_path / "bundle.reqifz"
    with zipfile.ZipFile(packed, "w") as z:  # written out of name order, on purpose
        z.writestr("b.reqif", _reqif(["B-1", "B-2"]))
        z.writestr("a.reqif", _reqif(["A-1"]))
        z.writestr("notes.txt", "not ReqIF")
    repo = make_repo(tmp_path / "q")
    proc = run_qms("--repo", str(repo), "import", "reqif", str(packed), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [(r["source"], r["id"], r["origin"]) for r in report["records"]] == [
        ("o-A-1", "REQ-001", f"{packed.as_posix()}!a.reqif:17"),
        ("o-B-1", "REQ-002", f"{packed.as_posix()}!b.reqif:17"),
        ("o-B-2", "REQ-003", f"{packed.as_posix()}!b.reqif:24")]  # keyed by IDENTIFIER


def test_a_relation_between_two_members_of_an_archive_is_kept(tmp_path):
    packed = tmp_path / "bundle.reqifz"
    member = _reqif(["B-1"], relations=(("o-B-1", "o-A-1"), ("o-B-1", "o-GONE")))
    with zipfile.ZipFile(packed, "w") as z:  # the relation is in b.reqif, its target in a.reqif
        z.writestr("a.reqif", _reqif(["A-1"]))
        z.writestr("b.reqif", member)
    dangling = next(n for n, line in enumerate(member.split("\n"), 1) if 'IDENTIFIER="r-o-B-1-o-GONE"' in line)
    repo = make_repo(tmp_path / "q")
    proc = run_qms("--repo", str(repo), "import", "reqif", str(packed), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [(r["source"], r["id"]) for r in report["records"]] == [("o-A-1", "REQ-001"), ("o-B-1", "REQ-002")]
    assert report["dropped"] == [{"what": "link o-B-1 -> o-GONE (Refines)", "origin": f"{packed.as_posix()}!b.reqif:{dangling}",
                                  "why": "o-GONE is not a spec object of the archive"}]
    b1 = yaml.safe_load((repo / "specs/requirements/REQ-002.yaml").read_text())
    assert b1["derived_from"] == ["REQ-001"]
    assert b1["attributes"]["relation_types"] == {"o-A-1": "Refines"}


def test_locations_past_line_65535_are_exact(tmp_path):
    src = tmp_path / "long.reqif"
    src.write_text(_reqif(["L-1", "L-2"], pad=70_000))
    lines = src.read_text().split("\n")
    expected = [n for n, line in enumerate(lines, 1) if "<SPEC-OBJECT IDENTIFIER" in line]
    assert expected == [70_017, 70_024]  # the reference: counted here from the text
    repo = make_repo(tmp_path / "q")
    proc = run_qms("--repo", str(repo), "import", "reqif", str(src), "--format", "json", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert [r["origin"] for r in json.loads(proc.stdout)["records"]] == [
        f"{src.as_posix()}:70017", f"{src.as_posix()}:70024"]


def _reqif_import(repo: Path, file: Path, *extra: str) -> tuple[int, dict]:
    proc = run_qms("--repo", str(repo), "import", "reqif", str(file), "--format", "json", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


KVO = "rate of 1 mL/h (or the programmed rate if lower)"  # REQ-0004's statement, approved in the example


def test_our_own_reqif_export_comes_back_as_the_same_records(tmp_path):
    repo = copy_example(tmp_path / "example", commit=False)
    exported = tmp_path / "example.reqif"
    proc = run_qms("--repo", str(repo), "export", "reqif", "--out", str(exported), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    count = json.loads(proc.stdout)["records"]
    before = _files(repo)

    code, report = _reqif_import(repo, exported)
    s = report["summary"]
    assert code == 0 and (s["records"], s["created"], s["unchanged"], s["updated"], s["exists"]) == (
        count, 0, count, 0, 0)
    assert all(r["source"] == r["id"] for r in report["records"])  # each object is the record of its ID
    assert _files(repo) == before

    # One requirement's text edited in the file: with --update, a copy where it is a draft changes that
    # record only, and only its statement; the example, where it is approved, refuses and changes nothing.
    edited = tmp_path / "edited.reqif"
    assert exported.read_text().count(KVO) == 1
    edited.write_text(exported.read_text().replace(KVO, KVO.replace("1 mL/h", "2 mL/h")))
    draft = copy_example(tmp_path / "draft", commit=False)
    req = draft / "specs/requirements/REQ-0004.yaml"
    req.write_text(req.read_text().replace("status: approved", "status: draft"))
    draft_before = _files(draft)
    code, report = _reqif_import(draft, edited, "--update")
    assert code == 0
    assert [(r["id"], r["action"], r["changed"]) for r in report["records"] if r["action"] != "unchanged"] == [
        ("REQ-0004", "update", ["statement"])]
    after = _files(draft)
    assert [f for f in after if after[f] != draft_before.get(f)] == ["specs/requirements/REQ-0004.yaml"]
    data = yaml.safe_load(after["specs/requirements/REQ-0004.yaml"])
    assert "keep-vein-open rate of 2 mL/h (or the programmed rate if lower)" in data["statement"]
    assert data["status"] == "draft" and data["owner"] == "USR-003" and "origin" not in data

    code, report = _reqif_import(repo, edited, "--update")
    assert code == 1
    assert [(r["id"], r["status"]) for r in report["refused"]] == [("REQ-0004", "approved")]
    assert _files(repo) == before

    # Another company's repository with the same IDs: the file is not its own export, nothing is matched by ID.
    other = copy_example(tmp_path / "other", commit=False)
    (other / "qms.yaml").write_text((other / "qms.yaml").read_text().replace("code: NWM", "code: OTH"))
    code, report = _reqif_import(other, exported, "--dry-run")
    assert code == 0 and report["summary"]["created"] == count and report["summary"]["unchanged"] == 0


PRE_ORIGIN = {  # records imported from the alpha tree before imports recorded an origin (legacy_id only)
    "specs/requirements/REQ-010.yaml": """\
        id: REQ-010
        title: Telemetry rate
        status: draft
        legacy_id: REQ-0001
        # imported from the alpha tree
        statement: The pump shall send telemetry every 10 s.
        """,
    "specs/requirements/REQ-011.yaml": """\
        id: REQ-011
        title: Telemetry content
        status: approved
        legacy_id: REQ-0002
        statement: Each message shall carry the infusion rate.
        """,
    # Our own record that happens to bear a foreign UID as its ID, without legacy_id: never adopted.
    "specs/requirements/REQ-0003.yaml": """\
        id: REQ-0003
        title: Dock power
        status: draft
        statement: The dock shall supply 12 V.
        """,
}


def test_adopt_adds_the_origin_to_records_imported_before_origins(tmp_path):
    repo = make_repo(tmp_path / "q", PRE_ORIGIN)
    tree = _tree(tmp_path / "src", "alpha", {**ALPHA, "REQ-0003": ("Dock power", "The dock shall supply 12 V.", "")})
    before = _files(repo)

    code, report, _ = _import(repo, tree, "--adopt", "--dry-run")
    assert code == 1  # REQ-011 is approved: refused, as --update refuses it
    assert [(r["source"], r["id"], r["action"]) for r in report["records"]] == [
        ("REQ-0001", "REQ-010", "adopt"), ("REQ-0002", "REQ-011", "refused"), ("REQ-0003", "", "unmatched")]
    assert (report["summary"]["adopted"], report["summary"]["unmatched"], report["summary"]["created"]) == (1, 1, 0)
    assert [(r["id"], r["status"]) for r in report["refused"]] == [("REQ-011", "approved")]
    assert _files(repo) == before

    proc = run_qms("--repo", str(repo), "import", "doorstop", str(tree), "--adopt")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "adopt     REQ-010 (was REQ-0001) requirement -> specs/requirements/REQ-010.yaml [origin]" in proc.stdout
    assert "unmatched REQ-0003 requirement: no record without origin has it as legacy_id" in proc.stdout
    after = _files(repo)
    assert [f for f in after if after[f] != before[f]] == ["specs/requirements/REQ-010.yaml"]
    # Only the origin is added, in the model's field order (after legacy_id); the rest of the file, its
    # comment included, stays as it was.
    assert after["specs/requirements/REQ-010.yaml"].decode() == textwrap.dedent("""\
        id: REQ-010
        title: Telemetry rate
        status: draft
        legacy_id: REQ-0001
        origin:
          tool: doorstop
          source: alpha
          uid: REQ-0001
        # imported from the alpha tree
        statement: The pump shall send telemetry every 10 s.
        """)

    # Adopting again changes nothing; an import now finds REQ-010 by its origin instead of creating a copy.
    code, report, _ = _import(repo, tree, "--adopt")
    assert [r["action"] for r in report["records"]] == ["unchanged", "refused", "unmatched"]
    code, report, _ = _import(repo, tree, "--dry-run")
    assert [(r["source"], r["id"], r["action"], r.get("changed")) for r in report["records"]] == [
        ("REQ-0001", "REQ-010", "exists", ["attributes"]),  # doorstop's level, kept by today's import
        # new IDs follow the highest in use (REQ-011) in the width most records use (3 digits)
        ("REQ-0002", "REQ-012", "create", None), ("REQ-0003", "REQ-013", "create", None)]

    proc = run_qms("--repo", str(repo), "import", "doorstop", str(tree), "--adopt", "--update")
    assert proc.returncode == 2 and "--adopt and --update" in proc.stderr
