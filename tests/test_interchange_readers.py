"""The readers lose no text: informative items become section records, strictdoc's grammar is read whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.findings import QmsError
from generator.interchange.doorstop import read_tree
from generator.interchange.report import Report
from generator.interchange.reqif import read_reqif
from generator.interchange.strictdoc import read_documents

R = 'xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml"'


def _attr(ident: str, name: str, kind: str = "STRING") -> str:
    return (f'<ATTRIBUTE-DEFINITION-{kind} IDENTIFIER="{ident}" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="{name}">'
            f'<TYPE><DATATYPE-DEFINITION-{kind}-REF>dt-{kind}</DATATYPE-DEFINITION-{kind}-REF></TYPE>'
            f'</ATTRIBUTE-DEFINITION-{kind}>')


def _s(ref: str, value: str) -> str:
    return (f'<ATTRIBUTE-VALUE-STRING THE-VALUE="{value}"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>{ref}'
            '</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>')


def _obj(ident: str, *values: str) -> str:
    return (f'<SPEC-OBJECT IDENTIFIER="{ident}" LAST-CHANGE="2026-01-01T00:00:00Z"><VALUES>{"".join(values)}</VALUES>'
            '<TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE></SPEC-OBJECT>')


def _h(ident: str, obj: str, *children: str) -> str:
    kids = f"<CHILDREN>{''.join(children)}</CHILDREN>" if children else ""
    return (f'<SPEC-HIERARCHY IDENTIFIER="{ident}" LAST-CHANGE="2026-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>{obj}'
            f'</SPEC-OBJECT-REF></OBJECT>{kids}</SPEC-HIERARCHY>')


REQIF = f"""<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF {R}><THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"/></THE-HEADER><CORE-CONTENT><REQ-IF-CONTENT>
<DATATYPES><DATATYPE-DEFINITION-STRING IDENTIFIER="dt-STRING" LAST-CHANGE="2026-01-01T00:00:00Z" MAX-LENGTH="999"/>
</DATATYPES>
<SPEC-TYPES><SPEC-OBJECT-TYPE IDENTIFIER="t" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Object"><SPEC-ATTRIBUTES>
{_attr("fid", "ReqIF.ForeignID")}{_attr("ch", "ReqIF.ChapterName")}{_attr("desc", "Description")}
{_attr("pt", "ReqIF.PlainText")}</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>
<SPEC-RELATION-TYPE IDENTIFIER="rt" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="refines"/>
<SPECIFICATION-TYPE IDENTIFIER="st" LAST-CHANGE="2026-01-01T00:00:00Z"/></SPEC-TYPES>
<SPEC-OBJECTS>
{_obj("o-chap", _s("fid", "7"), _s("ch", "Braking"))}
{_obj("o-parent", _s("fid", "7"), _s("desc", "The train shall brake. Details follow."))}
{_obj("o-leaf", _s("fid", "8"), _s("pt", "Brake within 2 s."))}
{_obj("o-note", _s("ch", "Note"), _s("desc", "Informative: a brake curve is shown."))}
</SPEC-OBJECTS>
<SPEC-RELATIONS><SPEC-RELATION IDENTIFIER="r1" LAST-CHANGE="2026-01-01T00:00:00Z">
<SOURCE><SPEC-OBJECT-REF>o-leaf</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>o-note</SPEC-OBJECT-REF></TARGET>
<TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION></SPEC-RELATIONS>
<SPECIFICATIONS><SPECIFICATION IDENTIFIER="s" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="SUBSET">
<TYPE><SPECIFICATION-TYPE-REF>st</SPECIFICATION-TYPE-REF></TYPE><CHILDREN>
{_h("h1", "o-chap", _h("h2", "o-parent", _h("h3", "o-leaf")), _h("h4", "o-note"))}
</CHILDREN></SPECIFICATION></SPECIFICATIONS>
</REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>
"""


def test_reqif_keeps_every_text_and_keys_by_identifier(tmp_path):
    src = tmp_path / "s.reqif"
    src.write_text(REQIF)
    report = Report("reqif", str(src), True)
    items = {i.source: i for i in read_reqif(src, report)}
    # Repeated ForeignID 7 imports: objects are keyed by IDENTIFIER.
    assert [(s, i.kind) for s, i in items.items()] == [
        ("o-chap", "section"), ("o-parent", "requirement"), ("o-leaf", "requirement"), ("o-note", "section")]
    assert report.text_from == {"o-chap": "ReqIF.ChapterName", "o-parent": "Description",
                                "o-leaf": "ReqIF.PlainText", "o-note": "Description"}
    # A parent whose text says "shall" is a requirement, not a heading.
    assert items["o-parent"].fields["statement"] == "The train shall brake. Details follow."
    assert items["o-parent"].fields["attributes"] == {"spec_object_type": "Object", "specification": "SUBSET",
                                                      "ReqIF.ForeignID": "7"}
    assert items["o-leaf"].fields["statement"] == "Brake within 2 s."
    assert items["o-note"].fields == {"title": "Note", "document": "SUBSET", "level": "1.2", "order": 4,
                                      "attributes": {"spec_object_type": "Object"},
                                      "text": "Informative: a brake curve is shown."}
    assert items["o-chap"].fields["level"] == "1"
    # The hierarchy and the relation to the informative note are structure.
    assert [ln.target for ln in items["o-chap"].links] == ["o-parent", "o-note"]
    assert [ln.target for ln in items["o-note"].links] == ["o-leaf"]
    assert items["o-leaf"].links == []
    assert report.dropped == []


def test_an_object_typed_as_a_requirement_is_one_whatever_its_wording(tmp_path):
    # Polarion exports its requirements as objects of type "Software Requirement", with a chapter name and text
    # that need not say "shall": the type decides; an object with a chapter name only stays a heading.
    src = tmp_path / "p.reqif"
    src.write_text(REQIF.replace('LONG-NAME="Object"', 'LONG-NAME="Software Requirement"'))
    items = {i.source: i for i in read_reqif(src, Report("reqif", str(src), True))}
    assert [(s, i.kind) for s, i in items.items()] == [
        ("o-chap", "section"), ("o-parent", "requirement"), ("o-leaf", "requirement"), ("o-note", "requirement")]
    assert items["o-note"].fields["statement"] == "Informative: a brake curve is shown."


def _doc(folder: Path, prefix: str, parent: str | None, items: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    settings = f"settings:\n  prefix: {prefix}\n  sep: ''\n  digits: 3\n" + (f"  parent: {parent}\n" if parent else "")
    (folder / ".doorstop.yml").write_text(settings)
    for uid, body in items.items():
        (folder / f"{uid}.yml").write_text(body)


def test_doorstop_keeps_informative_prose_underscores_and_maps_hlt_to_tests(tmp_path):
    _doc(tmp_path / "reqs", "REQ", None, {
        "REQ001": "level: 1.0\nheader: CMD_SVC\nnormative: false\ntext: ''\n",
        "REQ002": "level: 1.1\nnormative: false\ntext: |\n  Introduction: the service takes commands.\n",
        "REQ003": "level: 1.2\ntext: |\n  CMD_SVC shall reject a malformed command.\n",
        "REQ004": "level: 2.0\nheader: Empty chapter\nnormative: false\ntext: Nothing below yet.\n",
    })
    _doc(tmp_path / "reqs" / "hlt", "HLT", "REQ", {"HLT001": "level: 1\ntext: Send a malformed command.\nlinks: [REQ003]\n"})
    report = Report("doorstop", str(tmp_path), True)
    items = {i.source: i for i in read_tree(tmp_path / "reqs", {}, report)}
    assert {s: i.kind for s, i in items.items()} == {"REQ001": "section", "REQ002": "section", "REQ003": "requirement",
                                                    "REQ004": "section", "HLT001": "verification"}
    assert items["REQ001"].fields == {"title": "CMD_SVC", "level": "1.0", "order": 1, "document": "REQ"}
    assert items["REQ002"].fields["text"] == "Introduction: the service takes commands."
    assert items["REQ004"].fields["text"] == "Nothing below yet."
    assert [ln.target for ln in items["REQ001"].links] == ["REQ002", "REQ003"]
    assert items["REQ003"].fields["title"] == "CMD_SVC shall reject a malformed command."


SDOC = """[DOCUMENT]
TITLE: Spec

[[SECTION]]
TITLE: Commands

[[REQUIREMENT]]
UID: CMP-1
TITLE: Composite
STATEMENT: The service shall handle commands.
SPDX-Req-Sys: yes

[REQUIREMENT]
UID: CMP-1-1
STATEMENT: A command shall be acknowledged.

[[/REQUIREMENT]]

[DOCUMENT_FROM_FILE]
FILE: part.sdoc

[TEXT]
STATEMENT: >>>
This chapter is informative.
<<<

[[/SECTION]]
"""

PART = """[DOCUMENT]
TITLE: Part

[REQUIREMENT]
UID: PART-1
STATEMENT: A fragment requirement shall arrive.
"""


def test_strictdoc_composites_hyphenated_fields_fragments_and_text(tmp_path):
    (tmp_path / "spec.sdoc").write_text(SDOC)
    (tmp_path / "part.sdoc").write_text(PART)
    report = Report("strictdoc", "", True)
    items = {i.source: i for i in read_documents([tmp_path / "spec.sdoc"], "requirement", report)}
    assert [(s, i.kind) for s, i in items.items()][:3] == [
        ("CMP-1", "requirement"), ("CMP-1-1", "requirement"), ("PART-1", "requirement")]
    assert items["CMP-1"].fields["attributes"] == {"document": "Spec", "section": "1 Commands", "SPDX-Req-Sys": "yes"}
    assert items["CMP-1-1"].fields["attributes"]["composite"] == "CMP-1"
    assert items["PART-1"].fields["statement"] == "A fragment requirement shall arrive."
    assert items["PART-1"].origin == f"{(tmp_path / 'part.sdoc').as_posix()}:4"
    text = [i for i in items.values() if i.kind == "section"]
    assert [i.fields["text"] for i in text] == ["This chapter is informative."]
    assert report.dropped == []


def test_uid_less_nodes_of_a_document_and_its_fragment_stay_apart(tmp_path):
    # A node without a UID is known by its file and line: a [TEXT] at line 4 of the including document and one at
    # line 4 of the fragment it includes are two nodes (Zephyr's composed index.sdoc stopped the import on this).
    (tmp_path / "index.sdoc").write_text("[DOCUMENT]\nTITLE: Index\n\n[TEXT]\nSTATEMENT: Index prose.\n\n"
                                         "[DOCUMENT_FROM_FILE]\nFILE: part.sdoc\n")
    (tmp_path / "part.sdoc").write_text("[DOCUMENT]\nTITLE: Part\n\n[TEXT]\nSTATEMENT: Part prose.\n")
    items = read_documents([tmp_path / "index.sdoc"], "requirement", Report("strictdoc", "", True))
    assert [(i.source, i.fields["text"]) for i in items] == [
        (f"{(tmp_path / 'index.sdoc').as_posix()}#4", "Index prose."),
        (f"{(tmp_path / 'part.sdoc').as_posix()}#4", "Part prose.")]


def test_a_fragment_outside_the_import_root_is_listed_never_read(tmp_path):
    (tmp_path / "outside.sdoc").write_text(PART)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link.sdoc").symlink_to(tmp_path / "outside.sdoc")
    (tmp_path / "in" / "spec.sdoc").write_text(SDOC.replace("FILE: part.sdoc", "FILE: ../outside.sdoc\n\n"
                                                            "[DOCUMENT_FROM_FILE]\nFILE: link.sdoc"))
    report = Report("strictdoc", "", True)
    items = read_documents([tmp_path / "in" / "spec.sdoc"], "requirement", report)
    assert "PART-1" not in [i.source for i in items]
    spec, root = (tmp_path / "in" / "spec.sdoc").as_posix(), (tmp_path / "in").as_posix()
    why = f"the fragment is not inside the import root {root}; it is not followed (copy it into that folder to import it)"
    assert [(d.what, d.origin, d.why) for d in report.dropped] == [
        ("item [DOCUMENT_FROM_FILE] ../outside.sdoc", f"{spec}:19", why),
        ("item [DOCUMENT_FROM_FILE] link.sdoc", f"{spec}:22", why)]


def test_a_fragment_that_includes_itself_is_refused(tmp_path):
    (tmp_path / "spec.sdoc").write_text(SDOC)
    (tmp_path / "part.sdoc").write_text(PART + "\n[DOCUMENT_FROM_FILE]\nFILE: part.sdoc\n")
    with pytest.raises(QmsError) as err:
        read_documents([tmp_path / "spec.sdoc"], "requirement", Report("strictdoc", "", True))
    assert str(err.value) == (f"{(tmp_path / 'part.sdoc').as_posix()}:8: [DOCUMENT_FROM_FILE] part.sdoc includes "
                              "itself (through spec.sdoc -> part.sdoc)")


def test_the_grammar_fixture_imports_whole_and_validates(tmp_path):
    import json

    import yaml
    from support import make_repo, run_qms, validate_json

    fixture = Path(__file__).parent / "fixtures" / "interchange" / "strictdoc_grammar"
    repo = make_repo(tmp_path / "q")
    proc = run_qms("--repo", str(repo), "import", "strictdoc", str(fixture / "composite.sdoc"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    # The TEXT node has no UID: it is known by its place (the ID it gets is the writer's to allocate).
    assert [(r["source"], r["kind"]) for r in report["records"]] == [
        ("GC-1", "requirement"), ("GC-2", "requirement"), ("GC-3", "requirement"),
        (f"{(fixture / 'composite.sdoc').as_posix()}#63", "section")]
    assert report["dropped"] == []
    files = {r["source"]: repo / r["file"] for r in report["records"]}
    gc1 = yaml.safe_load(files["GC-1"].read_text())
    assert gc1["attributes"] == {"document": "Grammar coverage", "section": "1 Commands", "SPDX-Req-Sys": "yes",
                                 "Verification_method": "Test"}
    gc2 = yaml.safe_load(files["GC-2"].read_text())
    assert gc2["statement"] == "A command shall be acknowledged\nwithin 100 ms."
    assert gc2["derived_from"] == [files["GC-1"].stem] and gc2["attributes"]["composite"] == "GC-1"
    sec = yaml.safe_load((repo / report["records"][3]["file"]).read_text())
    assert (sec["title"], sec["text"], sec["document"]) == (
        "This chapter is informative.", "This chapter is informative.", "Grammar coverage")
    code, out = validate_json(repo)
    assert code == 0, out["findings"]


def test_dangling_references_of_an_exporting_tool_are_listed_not_fatal(tmp_path):
    src = tmp_path / "d.reqif"
    src.write_text(REQIF.replace("<SOURCE><SPEC-OBJECT-REF>o-leaf<", "<SOURCE><SPEC-OBJECT-REF>gone<")
                   .replace(_h("h4", "o-note"), _h("h4", "o-note") + _h("h5", "o-missing")))
    report = Report("reqif", str(src), True)
    items = {i.source: i for i in read_reqif(src, report)}
    assert [ln.target for ln in items["o-chap"].links] == ["o-parent", "o-note"]
    assert [(d.what, d.why) for d in report.dropped] == [
        ("link o-chap -> o-missing (hierarchy)", "o-missing is not a spec object of the file"),
        ("link gone -> o-note (refines)", "gone is not a spec object of the file")]
    assert all(d.origin.startswith(f"{src.as_posix()}:") for d in report.dropped)
