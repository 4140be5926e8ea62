"""One `qms validate` finds everything independent (issue 21): a record's schema errors come all at once,
its readable links are still checked, and one cause gives one finding."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from support import make_repo, run_qms, validate_json

from generator.load import codec
from generator.load.repo import load_file
from generator.load.source import Unvalidated

REQ = "specs/requirements/REQ-0001.yaml"

# Five independent mistakes, one per line: a misspelt optional field (line 6), an impossible date (5),
# a value outside the allowed ones (7), a link to a record that does not exist (8), and the required
# 'statement' left out.
FIVE_MISTAKES = """\
id: REQ-0001
title: Flow accuracy
status: draft
owner: USR-001
created: 2026-02-30
rationalle: Users set the rate in mL/h.
type: functionl
derived_from: [UN-999]
"""


def findings_of(repo: Path, *extra: str) -> list[tuple[str, str, str | None]]:
    code, out = validate_json(repo, "--as-of", "2026-11-25", *extra)
    assert code == 1
    return sorted((f["code"], f["location"], f["record"]) for f in out["findings"])


def test_five_independent_mistakes_in_one_file_are_all_found_in_one_run(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {REQ: FIVE_MISTAKES})
    expected = [
        ("QMS110", f"{REQ}:6", "REQ-0001"),  # unknown field 'rationalle'
        ("QMS111", f"{REQ}:7", "REQ-0001"),  # 'type': 'functionl' is not one of ...
        ("QMS112", f"{REQ}:1", "REQ-0001"),  # required field 'statement' is missing
        ("QMS113", f"{REQ}:5", "REQ-0001"),  # 'created' is not a real date
        ("QMS122", f"{REQ}:8", "REQ-0001"),  # 'derived_from' links to UN-999, which does not exist
    ]
    assert findings_of(repo, "--no-cache") == expected
    # The load cache carries the record that failed and its links: a warm run reports the same.
    assert findings_of(repo) == expected  # cold, writes the cache
    assert (repo / ".qms-cache/load.cache").is_file()
    assert findings_of(repo) == expected  # warm
    _, out = validate_json(repo, "--as-of", "2026-11-25")
    messages = {f["code"]: f["message"] for f in out["findings"]}
    assert messages["QMS111"].startswith("'type': 'functionl' is not one of: functional, performance")
    assert messages["QMS122"] == "'derived_from' links to UN-999, which does not exist"


def test_a_misspelt_required_field_is_one_finding(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {REQ: "id: REQ-0001\ntitle: Flow\nstatus: draft\n"
                                               "statment: The pump shall deliver within 5 %.\n"})
    _, out = validate_json(repo, "--as-of", "2026-11-25", "--no-cache")
    assert [(f["code"], f["location"], f["message"], f["hint"]) for f in out["findings"]] == [
        ("QMS110", f"{REQ}:4", "unknown field 'statment'", "did you mean 'statement'? It is a required field")]


def test_a_link_to_a_record_with_schema_errors_is_not_reported_missing(tmp_path: Path) -> None:
    # REQ-0001's own error is the one cause; the requirement deriving from it and the user need it names
    # are fine, and a link of the wrong kind from the failed record is still caught.
    repo = make_repo(tmp_path / "repo", {
        REQ: "id: REQ-0001\ntitle: Flow\nstatus: draft\nstatement: The pump shall x.\ncreated: 2026-13-01\n"
             "derived_from: [USR-001]\n",
        "specs/requirements/REQ-0002.yaml": "id: REQ-0002\ntitle: Flow detail\nstatus: draft\n"
                                            "statement: The pump shall y.\nderived_from: [REQ-0001]\n",
    })
    assert findings_of(repo, "--no-cache") == [
        ("QMS113", f"{REQ}:5", "REQ-0001"),
        ("QMS123", f"{REQ}:6", "REQ-0001"),  # 'derived_from' links to USR-001, a user
    ]


def test_a_record_refused_only_for_a_value_outside_its_allowed_ones_keeps_its_links_checked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {REQ: "id: REQ-0001\ntitle: Flow\nstatus: draft\n"
                                               "statement: The pump shall x.\ntype: saftey\nderived_from: [UN-404]\n"})
    assert findings_of(repo, "--no-cache") == [("QMS111", f"{REQ}:5", "REQ-0001"),
                                               ("QMS122", f"{REQ}:6", "REQ-0001")]


def test_nested_items_are_checked_on_their_own(tmp_path: Path) -> None:
    # A CAPA whose first action has an impossible date: the second action's unknown status and its
    # owner who does not exist are still found.
    capa = """\
id: CAPA-2026-001
title: Pump door latch
status: investigation
owner: USR-001
opened: 2026-11-01
problem: Door latch breaks.
actions:
  - type: correction
    description: Replace latches
    owner: USR-001
    due: 2026-11-31
    status: open
  - type: corrective
    description: Redesign latch
    owner: USR-404
    due: 2026-12-20
    status: opne
"""
    rel = "records/events/capa/CAPA-2026-001.yaml"
    repo = make_repo(tmp_path / "repo", {rel: capa})
    found = findings_of(repo, "--no-cache")
    assert ("QMS113", f"{rel}:11", "CAPA-2026-001") in found  # actions.0.due
    assert ("QMS111", f"{rel}:17", "CAPA-2026-001") in found  # actions.1.status 'opne'
    assert ("QMS122", f"{rel}:15", "CAPA-2026-001") in found  # actions.1.owner USR-404


def test_a_record_that_failed_round_trips_through_the_load_cache(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {REQ: FIVE_MISTAKES})
    unvalidated: list[Unvalidated] = []
    result = (*load_file(repo, REQ, "yaml", (repo / REQ).read_bytes(), unvalidated), unvalidated)
    assert [(u.id, u.kind, [(path, role, ref.id, kinds) for path, role, ref, kinds in u.links])
            for u in unvalidated] == [("REQ-0001", "requirement", [
                (("owner",), "owner", "USR-001", ("user",)),
                (("derived_from", 0), "derived_from", "UN-999", ("user_need", "requirement"))])]
    records, findings, back = codec.decode_result(json.loads(json.dumps(codec.encode_result(result))))
    assert records == [] and findings == result[1]
    assert [(u.id, u.kind, u.links, u.source.file, u.source.anchors) for u in back] == \
        [(u.id, u.kind, u.links, u.source.file, u.source.anchors) for u in unvalidated]
    data = codec.encode_result(result)
    data[2][0][1] = "no_such_kind"
    for bad in (data, [[], [], [["REQ-0001", "requirement", data[2][0][2], [[["owner"], "owner", 7, []]]]]]):
        try:
            codec.decode_result(json.loads(json.dumps(bad)))
        except (codec.Invalid, TypeError, ValueError):
            continue
        raise AssertionError("a damaged entry was decoded")


# --------------------------------------------------------------------------- a formula in a title cell


def _formula_book(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "requirements"
    ws.append(["id", "title", "status", "statement", "derived_from"])
    ws.append(["REQ-0101", '=CONCAT("Flow ","accuracy")', "draft", "The pump shall x.", None])
    ws.append(["REQ-0102", "Flow detail", "draft", "The pump shall y.", "REQ-0101"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def test_a_formula_in_a_title_cell_is_one_finding_naming_its_record(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    _formula_book(repo / "records/design/requirements.xlsx")
    code, out = validate_json(repo, "--as-of", "2026-11-25", "--no-cache")
    assert code == 1
    assert [(f["code"], f["location"], f["record"], f["message"]) for f in out["findings"]] == [
        ("QMS111", "records/design/requirements.xlsx[requirements]!B2", "REQ-0101",
         'cell holds a formula (CONCAT("Flow ","accuracy")); formulas are not loaded and their cached results '
         "are not trusted")]  # not also "required field 'title' is missing", nor REQ-0102's link "missing"
    assert out["summary"]["records"] == 2  # USR-001 and REQ-0102: the formula's row gives no record
    proc = run_qms("--repo", str(repo), "validate", "--as-of", "2026-11-25")  # warm, as text
    assert proc.stdout.startswith("records/design/requirements.xlsx[requirements]!B2: error QMS111 [REQ-0101]: "
                                  "cell holds a formula")
    assert "1 error(s)" in proc.stdout


def test_a_formula_in_the_header_row_is_still_reported(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "requirements"
    ws.append(["id", '=LOWER("TITLE")', "status", "statement"])
    ws.append(["REQ-0101", "Flow", "draft", "The pump shall x."])
    (repo / "records/design").mkdir(parents=True)
    wb.save(repo / "records/design/requirements.xlsx")
    code, out = validate_json(repo, "--as-of", "2026-11-25", "--no-cache")
    assert code == 1
    assert ("QMS111", "records/design/requirements.xlsx[requirements]!B1", None) in \
        [(f["code"], f["location"], f["record"]) for f in out["findings"]]
