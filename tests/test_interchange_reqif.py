"""`qms export reqif` and `qms import reqif`: a lossless round trip, a foreign file, unsafe XML refused."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from support import make_repo, run_qms, validate_json

from generator.load.repo import load_repository

RECORDS = {
    "specs/needs/UN-001.yaml": """\
        id: UN-001
        title: Accurate delivery
        status: approved
        owner: USR-001
        created: 2026-01-05
        statement: I need the pump to deliver the rate I set.
        tags: [delivery, core]
        """,
    "specs/requirements/REQ-001.yaml": """\
        id: REQ-001
        title: Flow rate accuracy
        status: approved
        created: 2026-01-10
        statement: |
          The pump shall deliver the programmed rate within ±5 %
          over 1 to 999 mL/h.
        rationale: Comparable pumps; clinical board.
        type: performance
        verification_method: test
        derived_from: [UN-001]
        """,
    "specs/requirements/REQ-002.yaml": """\
        id: REQ-002
        title: Occlusion alarm
        status: draft
        legacy_id: SRS-17
        attributes: {level: '1.2', risk: high, reviewed: true}
        statement: The pump shall alarm within 30 s of a downstream occlusion.
        derived_from: [REQ-001, UN-001]
        """,
    "records/outputs/DO-001.yaml": """\
        id: DO-001
        title: Pump firmware
        status: approved
        type: software
        revision: 2.1.0
        implements: [REQ-001, REQ-002]
        """,
    "records/verification/VER-001.yaml": """\
        id: VER-001
        title: Gravimetric flow test
        status: approved
        method: IEC 60601-2-24 201.12.1.102
        sample_size: 3
        verifies: [REQ-001]
        results:
          - date: 2026-02-01
            result: pass
            executed_by: USR-001
            evidence: VTR-001
        """,
    "records/validation/VAL-001.yaml": """\
        id: VAL-001
        title: Summative usability study
        status: approved
        type: summative_usability
        validates: [UN-001]
        results:
          - {date: 2026-03-01, result: pass}
        """,
}
KINDS = "user_need,requirement,design_output,verification,validation"


def _qms(*args: str) -> str:
    proc = run_qms(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def _records(repo: Path) -> dict[str, dict]:
    return {r.id: r.model_dump(mode="json") for r, _ in load_repository(repo).records if r.KIND != "user"}


def _content(repo: Path) -> dict[str, dict]:
    """The records without their import origin (which only the imported copy has)."""
    return {rid: {k: v for k, v in rec.items() if k != "origin"} for rid, rec in _records(repo).items()}


def _source_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "a", RECORDS)
    _qms("--repo", str(repo), "review", "--all")
    # UN-001 changes after the review: REQ-001's and VAL-001's links to it are now suspect.
    need = repo / "specs/needs/UN-001.yaml"
    need.write_text(need.read_text().replace("the rate I set", "the rate I programmed"))
    return repo


def test_round_trip_is_lossless(tmp_path):
    a = _source_repo(tmp_path)
    code, before = validate_json(a)
    suspect_before = sorted((f["code"], f["record"]) for f in before["findings"] if f["code"] == "QMS207")
    assert suspect_before == [("QMS207", "REQ-001"), ("QMS207", "REQ-002"), ("QMS207", "VAL-001")]

    first = tmp_path / "first.reqif"
    out = json.loads(_qms("--repo", str(a), "export", "reqif", "--kinds", KINDS, "--out", str(first), "--format", "json"))
    assert out == {"out": str(first), "kinds": KINDS.split(","), "records": 6, "links_left_out": []}

    b = make_repo(tmp_path / "b")
    report = json.loads(_qms("--repo", str(b), "import", "reqif", str(first), "--format", "json"))
    s = report["summary"]
    assert (s["records"], s["created"], s["renamed"], s["links_read"], s["links"]) == (6, 6, 0, 7, 7)
    assert (s["links_reviewed"], s["links_suspect"], s["links_unreviewed"]) == (4, 3, 0)
    assert _content(b) == _content(a)
    assert {rid: rec["origin"] for rid, rec in _records(b).items()} == {
        rid: {"tool": "reqif", "source": "first.reqif", "uid": rid} for rid in _records(a)}
    code, after = validate_json(b)
    assert sorted((f["code"], f["record"]) for f in after["findings"] if f["code"] == "QMS207") == suspect_before

    # Same records, same bytes: exporting again gives the identical file; the imported copy's export is the
    # same but for the origin each of its records carries (so that it finds them again).
    again, copy = tmp_path / "again.reqif", tmp_path / "copy.reqif"
    _qms("--repo", str(a), "export", "reqif", "--kinds", KINDS, "--out", str(again))
    _qms("--repo", str(b), "export", "reqif", "--kinds", KINDS, "--out", str(copy))
    assert again.read_bytes() == first.read_bytes()
    origin_value = re.compile(r'\n *<ATTRIBUTE-VALUE-STRING THE-VALUE="\{&quot;source&quot;: &quot;first.reqif&quot;, '
                              r'&quot;tool&quot;: &quot;reqif&quot;, &quot;uid&quot;: &quot;[A-Z]+-00[12]&quot;\}">\n'
                              r'.*\n.*\n.*\n *</ATTRIBUTE-VALUE-STRING>')
    assert len(origin_value.findall(copy.read_text())) == 6
    assert origin_value.sub("", copy.read_text()) == first.read_text()
    report = json.loads(_qms("--repo", str(b), "import", "reqif", str(copy), "--format", "json"))
    assert report["summary"]["unchanged"] == 6 and report["summary"]["created"] == 0

    # Importing the same file again changes nothing.
    report = json.loads(_qms("--repo", str(b), "import", "reqif", str(first), "--format", "json"))
    assert report["summary"]["unchanged"] == 6


def test_reqifz_archive(tmp_path):
    a = _source_repo(tmp_path)
    plain = tmp_path / "x.reqif"
    _qms("--repo", str(a), "export", "reqif", "--kinds", KINDS, "--out", str(plain))
    packed = tmp_path / "x.reqifz"
    with zipfile.ZipFile(packed, "w") as z:
        z.write(plain, "x.reqif")
    b = make_repo(tmp_path / "b")
    _qms("--repo", str(b), "import", "reqif", str(packed))
    assert _content(b) == _content(a)


def test_export_names_links_to_kinds_left_out(tmp_path):
    a = _source_repo(tmp_path)
    out = json.loads(_qms("--repo", str(a), "export", "reqif", "--kinds", "requirement,verification",
                          "--out", str(tmp_path / "r.reqif"), "--format", "json"))
    assert out["records"] == 3
    assert out["links_left_out"] == ["REQ-001 --derived_from--> UN-001", "REQ-002 --derived_from--> UN-001"]


DTD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE REQ-IF [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd"><THE-HEADER/>&lol2;</REQ-IF>
"""


def test_a_dtd_is_refused(tmp_path):
    bad = tmp_path / "bomb.reqif"
    bad.write_text(DTD)
    repo = make_repo(tmp_path / "q")
    proc = run_qms("--repo", str(repo), "import", "reqif", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"qms: error: {bad.as_posix()}:1: the file declares a DTD; ReqIF needs none, "
                                   "and it is refused for safety (entity expansion)")


FOREIGN = """<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><TITLE>Supplier spec</TITLE></REQ-IF-HEADER></THE-HEADER>
  <CORE-CONTENT><REQ-IF-CONTENT>
    <DATATYPES>
      <DATATYPE-DEFINITION-STRING IDENTIFIER="dt-s" LAST-CHANGE="2026-01-01T00:00:00Z" MAX-LENGTH="255"/>
      <DATATYPE-DEFINITION-XHTML IDENTIFIER="dt-x" LAST-CHANGE="2026-01-01T00:00:00Z"/>
      <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="dt-e" LAST-CHANGE="2026-01-01T00:00:00Z">
        <SPECIFIED-VALUES>
          <ENUM-VALUE IDENTIFIER="ev-hi" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="High">
            <PROPERTIES><EMBEDDED-VALUE KEY="1" OTHER-CONTENT=""/></PROPERTIES></ENUM-VALUE>
        </SPECIFIED-VALUES>
      </DATATYPE-DEFINITION-ENUMERATION>
    </DATATYPES>
    <SPEC-TYPES>
      <SPEC-OBJECT-TYPE IDENTIFIER="t-req" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Supplier Requirement">
        <SPEC-ATTRIBUTES>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-id" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="ReqIF.ForeignID">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-STRING IDENTIFIER="a-name" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="ReqIF.ChapterName">
            <TYPE><DATATYPE-DEFINITION-STRING-REF>dt-s</DATATYPE-DEFINITION-STRING-REF></TYPE></ATTRIBUTE-DEFINITION-STRING>
          <ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="a-text" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="ReqIF.Text">
            <TYPE><DATATYPE-DEFINITION-XHTML-REF>dt-x</DATATYPE-DEFINITION-XHTML-REF></TYPE></ATTRIBUTE-DEFINITION-XHTML>
          <ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER="a-prio" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Priority" MULTI-VALUED="false">
            <TYPE><DATATYPE-DEFINITION-ENUMERATION-REF>dt-e</DATATYPE-DEFINITION-ENUMERATION-REF></TYPE></ATTRIBUTE-DEFINITION-ENUMERATION>
        </SPEC-ATTRIBUTES>
      </SPEC-OBJECT-TYPE>
      <SPEC-RELATION-TYPE IDENTIFIER="t-rel" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="satisfies"/>
      <SPECIFICATION-TYPE IDENTIFIER="t-spec" LAST-CHANGE="2026-01-01T00:00:00Z"/>
    </SPEC-TYPES>
    <SPEC-OBJECTS>
      <SPEC-OBJECT IDENTIFIER="o-h" LAST-CHANGE="2026-01-01T00:00:00Z">
        <VALUES><ATTRIBUTE-VALUE-STRING THE-VALUE="Electrical"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-name</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING></VALUES>
        <TYPE><SPEC-OBJECT-TYPE-REF>t-req</SPEC-OBJECT-TYPE-REF></TYPE>
      </SPEC-OBJECT>
      <SPEC-OBJECT IDENTIFIER="o-1" LAST-CHANGE="2026-01-01T00:00:00Z">
        <VALUES>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="SUP-12"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
            <THE-VALUE><xhtml:div>The supply <xhtml:b>shall</xhtml:b> deliver 12 V.</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
          <ATTRIBUTE-VALUE-ENUMERATION><DEFINITION><ATTRIBUTE-DEFINITION-ENUMERATION-REF>a-prio</ATTRIBUTE-DEFINITION-ENUMERATION-REF></DEFINITION>
            <VALUES><ENUM-VALUE-REF>ev-hi</ENUM-VALUE-REF></VALUES></ATTRIBUTE-VALUE-ENUMERATION>
        </VALUES>
        <TYPE><SPEC-OBJECT-TYPE-REF>t-req</SPEC-OBJECT-TYPE-REF></TYPE>
      </SPEC-OBJECT>
      <SPEC-OBJECT IDENTIFIER="o-2" LAST-CHANGE="2026-01-01T00:00:00Z">
        <VALUES>
          <ATTRIBUTE-VALUE-STRING THE-VALUE="SUP-13"><DEFINITION><ATTRIBUTE-DEFINITION-STRING-REF>a-id</ATTRIBUTE-DEFINITION-STRING-REF></DEFINITION></ATTRIBUTE-VALUE-STRING>
          <ATTRIBUTE-VALUE-XHTML><DEFINITION><ATTRIBUTE-DEFINITION-XHTML-REF>a-text</ATTRIBUTE-DEFINITION-XHTML-REF></DEFINITION>
            <THE-VALUE><xhtml:div>Ripple shall stay below 50 mV.</xhtml:div></THE-VALUE></ATTRIBUTE-VALUE-XHTML>
        </VALUES>
        <TYPE><SPEC-OBJECT-TYPE-REF>t-req</SPEC-OBJECT-TYPE-REF></TYPE>
      </SPEC-OBJECT>
    </SPEC-OBJECTS>
    <SPEC-RELATIONS>
      <SPEC-RELATION IDENTIFIER="r-1" LAST-CHANGE="2026-01-01T00:00:00Z">
        <SOURCE><SPEC-OBJECT-REF>o-2</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>o-1</SPEC-OBJECT-REF></TARGET>
        <TYPE><SPEC-RELATION-TYPE-REF>t-rel</SPEC-RELATION-TYPE-REF></TYPE>
      </SPEC-RELATION>
    </SPEC-RELATIONS>
    <SPECIFICATIONS>
      <SPECIFICATION IDENTIFIER="s" LAST-CHANGE="2026-01-01T00:00:00Z" LONG-NAME="Supplier spec">
        <TYPE><SPECIFICATION-TYPE-REF>t-spec</SPECIFICATION-TYPE-REF></TYPE>
        <CHILDREN>
          <SPEC-HIERARCHY IDENTIFIER="h-h" LAST-CHANGE="2026-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>o-h</SPEC-OBJECT-REF></OBJECT>
            <CHILDREN>
              <SPEC-HIERARCHY IDENTIFIER="h-1" LAST-CHANGE="2026-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>o-1</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>
              <SPEC-HIERARCHY IDENTIFIER="h-2" LAST-CHANGE="2026-01-01T00:00:00Z"><OBJECT><SPEC-OBJECT-REF>o-2</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>
            </CHILDREN>
          </SPEC-HIERARCHY>
        </CHILDREN>
      </SPECIFICATION>
    </SPECIFICATIONS>
  </REQ-IF-CONTENT></CORE-CONTENT>
</REQ-IF>
"""


def test_a_foreign_reqif_maps_text_enumerations_hierarchy_and_relations(tmp_path):
    src = tmp_path / "supplier.reqif"
    src.write_text(FOREIGN)
    repo = make_repo(tmp_path / "q")
    report = json.loads(_qms("--repo", str(repo), "import", "reqif", str(src), "--format", "json"))
    # Objects are keyed by IDENTIFIER (a ForeignID need not be unique); the heading is a section record; the
    # supplier's IDs never become ours: the next free ones, in the repository's numbering.
    assert [(r["source"], r["id"], r["kind"]) for r in report["records"]] == [
        ("o-h", "SEC-001", "section"), ("o-1", "REQ-001", "requirement"), ("o-2", "REQ-002", "requirement")]
    assert [(h["source"], h["text"]) for h in report["headings"]] == [("o-h", "Electrical")]
    assert report["text_from"] == {"o-h": "ReqIF.ChapterName", "o-1": "ReqIF.Text", "o-2": "ReqIF.Text"}
    assert [(n["source"], n["role"], n["target"], n["was"]) for n in report["links"]] == [
        ("SEC-001", "contains", "REQ-001", "o-h -> o-1"), ("SEC-001", "contains", "REQ-002", "o-h -> o-2"),
        ("REQ-002", "derived_from", "REQ-001", "o-2 -> o-1")]
    records = _records(repo)
    assert records["REQ-001"]["statement"] == "The supply shall deliver 12 V."
    assert records["REQ-001"]["title"] == "The supply shall deliver 12 V."
    assert records["REQ-001"]["origin"] == {"tool": "reqif", "source": "supplier.reqif", "uid": "o-1"}
    assert records["REQ-001"]["attributes"] == {"spec_object_type": "Supplier Requirement",
                                                "specification": "Supplier spec", "ReqIF.ForeignID": "SUP-12",
                                                "Priority": "High"}
    assert records["REQ-002"]["attributes"]["relation_types"] == {"o-1": "satisfies"}
    assert records["REQ-002"]["derived_from"] == [{"id": "REQ-001", "fingerprint": None}]
    code, out = validate_json(repo)
    assert code == 0, out["findings"]
