"""`qms import strictdoc`: strictdoc's own requirement documents, and the parser checked against strictdoc's."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import make_repo, run_qms, validate_json

from generator.interchange.strictdoc import parse

FIXTURES = Path(__file__).parent / "fixtures" / "interchange" / "strictdoc"
DOCS = sorted(FIXTURES.glob("*.sdoc"))
GRAMMAR = FIXTURES.parent / "strictdoc_grammar"  # composite nodes, free field names, a fragment


def _import(repo: Path, *files: Path, extra: tuple[str, ...] = ()) -> tuple[int, dict, str]:
    proc = run_qms("--repo", str(repo), "import", "strictdoc", *map(str, files), "--format", "json", *extra)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, (json.loads(proc.stdout) if proc.returncode == 0 else {}), proc.stderr


def _count(pattern: str) -> int:
    """Occurrences of a line pattern in the source documents, counted without the parser."""
    return sum(len(re.findall(pattern, p.read_text(), flags=re.MULTILINE)) for p in DOCS)


def test_strictdocs_own_documents_import_whole_and_validate(tmp_path):
    assert [p.name for p in DOCS] == [
        "strictdoc_20_l1_system_requirements.sdoc", "strictdoc_21_l2_high_level_requirements.sdoc",
        "strictdoc_22_l3_low_level_requirements.sdoc", "strictdoc_40_DO178_requirements.sdoc",
        "strictdoc_41_Zephyr_requirements.sdoc"]
    requirements, texts, sections = _count(r"^\[REQUIREMENT\]$"), _count(r"^\[TEXT\]$"), _count(r"^\[\[SECTION\]\]$")
    parents = _count(r"^- TYPE: Parent$")
    assert (requirements, texts, sections, parents) == (272, 16, 85, 216)

    repo = make_repo(tmp_path / "q")
    code, report, err = _import(repo, *DOCS)
    assert code == 0, err
    s = report["summary"]
    # The 16 TEXT nodes are informative section records now (their text kept), listed with the headings.
    assert (s["items_read"], s["records"], s["headings"], s["items_dropped"]) == (373, 288, 101, 0)
    assert (s["links_read"], s["links"], s["links_dropped"], s["renamed"]) == (216, 216, 0, 288)
    assert s["refused"] == 0
    assert [d["items"] for d in report["documents"]] == [69, 133, 36, 19, 15]
    assert report["dropped"] == []

    by_source = {r["source"]: r for r in report["records"]}
    srs26 = yaml.safe_load((repo / by_source["SDOC-SRS-26"]["file"]).read_text())
    assert srs26["origin"] == {"tool": "strictdoc", "source": "strictdoc_21_l2_high_level_requirements.sdoc",
                               "uid": "SDOC-SRS-26"}
    assert srs26["title"] == "Requirement model"
    assert srs26["statement"] == "StrictDoc's data model shall support modeling requirements."
    assert srs26["derived_from"] == [by_source["SDOC-SSS-4"]["id"]]
    assert srs26["attributes"] == {
        "document": "StrictDoc High-Level Requirements (L2)", "section": "1 SDoc data model",
        "MID": "3b31cad22529476db01aca41caf39750", "STATUS": "Active"}
    # A custom grammar field (DO-178 COMPLIANCE) is kept.
    do1 = yaml.safe_load((repo / by_source["DO178-1"]["file"]).read_text())
    assert do1["attributes"]["COMPLIANCE"] == "C"

    code, out = validate_json(repo)
    assert code == 0 and out["summary"]["errors"] == 0 and out["summary"]["warnings"] == 0
    assert out["summary"]["kinds"]["requirement"] == 272


def test_an_unclosed_multiline_field_is_located(tmp_path):
    bad = tmp_path / "bad.sdoc"
    bad.write_text("[DOCUMENT]\nTITLE: T\n\n[REQUIREMENT]\nUID: R-1\nSTATEMENT: >>>\nThe pump shall stop.\n")
    repo = make_repo(tmp_path / "q")
    code, _, err = _import(repo, bad)
    assert code == 2
    assert err.strip() == f"qms: error: {bad.as_posix()}:6: field STATEMENT opened with '>>>' is not closed by '<<<'"
    assert not (repo / "specs").exists()


def test_a_parent_outside_the_documents_stops_the_import(tmp_path):
    repo = make_repo(tmp_path / "q")
    code, _, err = _import(repo, DOCS[1])  # L2 alone: its parents live in L1
    assert code == 2
    assert "links to SDOC-SSS-" in err and "which is neither in the import nor a record imported earlier from " \
           "strictdoc_21_l2_high_level_requirements.sdoc" in err
    assert not (repo / "specs").exists()


def test_the_parser_agrees_with_strictdocs_reader():
    """On every .sdoc in tests/fixtures: strictdoc's own documents, and the grammar fixture with composite
    nodes, field names with hyphens and lowercase letters, and a [DOCUMENT_FROM_FILE] fragment."""
    reader = pytest.importorskip("strictdoc.backend.sdoc.reader")
    every = sorted(Path(__file__).parent.joinpath("fixtures").rglob("*.sdoc"))
    assert GRAMMAR / "composite.sdoc" in every and len(every) >= len(DOCS) + 2
    for path in every:
        text = path.read_text()
        theirs: list[tuple[object, ...]] = []

        def walk(node: Any, found: list[tuple[object, ...]]) -> None:
            for n in getattr(node, "section_contents", None) or []:
                kind = type(n).__name__
                if kind == "DocumentFromFile":  # strictdoc resolves it later, in its processor
                    found.append(("DOCUMENT_FROM_FILE", n.file))
                elif kind in ("SDocNode", "SDocCompositeNode") and n.node_type != "SECTION":
                    rels = n.relations or []
                    statement = n.reserved_statement  # strictdoc keeps the newline before '<<<'
                    found.append((n.node_type, n.reserved_uid, n.reserved_title,
                                   statement[:-1] if statement and statement.endswith("\n") else statement,
                                   sorted(r.ref_uid for r in rels if r.ref_type == "Parent"),
                                   sum(1 for r in rels if r.ref_type == "File"),
                                   sorted({f.field_name for f in n.fields} - {"RELATIONS"})))
                    walk(n, found)
                else:
                    walk(n, found)

        walk(reader.SDReader().read(text, file_path=str(path)), theirs)
        ours = [("DOCUMENT_FROM_FILE", n.fields.get("FILE")) if n.tag == "DOCUMENT_FROM_FILE" else
                (n.tag, n.fields.get("UID"), n.fields.get("TITLE"), n.fields.get("STATEMENT"),
                 sorted(r["VALUE"] for r in n.relations if r["TYPE"] == "Parent"),
                 sum(1 for r in n.relations if r["TYPE"] == "File"), sorted(n.fields))
                for n in parse(text, path.name).nodes]
        assert ours == theirs, path.name


def test_a_folder_imports_every_document_under_it_once(tmp_path):
    # strictdoc's grammar fixture: composite.sdoc includes fragment.sdoc; the folder imports what the document does.
    repo = make_repo(tmp_path / "q")
    code, by_file, err = _import(repo, GRAMMAR / "composite.sdoc", extra=("--dry-run",))
    assert code == 0, err
    code, by_folder, err = _import(repo, GRAMMAR, extra=("--dry-run",))
    assert code == 0, err
    assert by_folder["records"] == by_file["records"] and len(by_file["records"]) > 0
    assert any("fragment.sdoc:" in r["origin"] for r in by_folder["records"])

    src = tmp_path / "docs"
    (src / "parts").mkdir(parents=True)
    (src / "sub").mkdir()
    (src / "top.sdoc").write_text("[DOCUMENT]\nTITLE: Top\n\n[REQUIREMENT]\nUID: T-1\nSTATEMENT: The top shall hold.\n\n"
                                  "[DOCUMENT_FROM_FILE]\nFILE: parts/part.sdoc\n")
    (src / "parts" / "part.sdoc").write_text("[DOCUMENT]\nTITLE: Part\n\n[REQUIREMENT]\nUID: P-1\n"
                                             "STATEMENT: The part shall fit.\n")
    (src / "sub" / "low.sdoc").write_text("[DOCUMENT]\nTITLE: Low\n\n[REQUIREMENT]\nUID: L-1\n"
                                          "STATEMENT: The low one shall follow.\nRELATIONS:\n- TYPE: Parent\n  VALUE: T-1\n")
    (src / "notes.txt").write_text("not a document")
    code, report, err = _import(repo, src)
    assert code == 0, err
    # In path order (parts/part.sdoc, sub/low.sdoc, top.sdoc), the included part only through top.sdoc.
    assert [(r["source"], r["id"], r["origin"]) for r in report["records"]] == [
        ("L-1", "REQ-001", f"{(src / 'sub/low.sdoc').as_posix()}:4"),
        ("T-1", "REQ-002", f"{(src / 'top.sdoc').as_posix()}:4"),
        ("P-1", "REQ-003", f"{(src / 'parts/part.sdoc').as_posix()}:4")]
    low = yaml.safe_load((repo / "specs/requirements/REQ-001.yaml").read_text())
    assert low["derived_from"] == ["REQ-002"]
    assert low["origin"] == {"tool": "strictdoc", "source": "sub/low.sdoc", "uid": "L-1"}
    code, again, err = _import(repo, src)
    assert code == 0 and [r["action"] for r in again["records"]] == ["unchanged"] * 3

    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_qms("--repo", str(repo), "import", "strictdoc", str(empty))
    assert proc.returncode == 2 and f"{empty.as_posix()}: no .sdoc document in the folder" in proc.stderr
