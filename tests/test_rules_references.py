"""Reference rules on small real repositories: each fires where it should and nowhere else."""

from __future__ import annotations

import datetime as dt

from support import make_repo

from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.rules import check

NEED = """\
id: UN-001
title: Accurate dosing
status: draft
owner: USR-001
statement: Nurses need the pump to deliver the programmed dose.
created: 2026-03-01
"""

REQ = """\
id: REQ-0001
title: Flow accuracy
status: draft
owner: USR-001
statement: The pump shall deliver the programmed rate within ±5 %.
derived_from: [UN-001]
"""

TEST = """\
id: VER-001
title: Flow accuracy test
status: draft
owner: USR-001
verifies:
  - REQ-0001
results:
  - date: 2026-04-01
    result: pass
    executed_by: USR-001
"""


def _report(repo, as_of=dt.date(2026, 11, 25)):
    loaded = load_repository(repo, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    return records, check(records, loaded.findings, as_of)


def _codes(report):
    return [(f.code, str(f.location), f.record) for f in report.findings]


def test_clean_repository_has_no_findings_and_a_link_graph(tmp_path):
    repo = make_repo(tmp_path, {"records/UN-001.yaml": NEED, "records/REQ-0001.yaml": REQ,
                                "records/VER-001.yaml": TEST})
    records, report = _report(repo)
    assert _codes(report) == [] and report.exit_code == 0
    assert [(link.source, link.role) for link in records.links_to("REQ-0001")] == [("VER-001", "verifies")]
    assert [(link.role, link.target) for link in records.links_from("VER-001")] == [
        ("owner", "USR-001"), ("results.executed_by", "USR-001"), ("verifies", "REQ-0001"),
    ]
    assert [r.id for r in records.of_kind("requirement")] == ["REQ-0001"]


def test_dangling_and_wrongly_typed_links(tmp_path):
    bad = TEST.replace("  - REQ-0001", "  - REQ-0009\n  - UN-001")
    repo = make_repo(tmp_path, {"records/UN-001.yaml": NEED, "records/VER-001.yaml": bad})
    _, report = _report(repo)
    assert _codes(report) == [
        ("QMS122", "records/VER-001.yaml:6", "VER-001"),
        ("QMS123", "records/VER-001.yaml:7", "VER-001"),
    ]
    assert report.findings[1].message == (
        "'verifies' links to UN-001, a user_need; it must link to: requirement, risk_control, design_output")
    assert report.exit_code == 1


def test_duplicate_id_names_both_files(tmp_path):
    repo = make_repo(tmp_path, {"records/a/REQ-0001.yaml": REQ.replace("derived_from: [UN-001]\n", ""),
                                "records/b/REQ-0001.yaml": REQ.replace("derived_from: [UN-001]\n", "")})
    _, report = _report(repo)
    assert _codes(report) == [("QMS120", "records/b/REQ-0001.yaml:1", "REQ-0001")]
    assert "records/a/REQ-0001.yaml:1" in report.findings[0].message


def test_event_dates_against_as_of_boundary(tmp_path):
    repo = make_repo(tmp_path, {"records/UN-001.yaml": NEED})
    assert _codes(_report(repo, dt.date(2026, 3, 1))[1]) == []
    late = _report(repo, dt.date(2026, 2, 28))[1]
    assert _codes(late) == [("QMS125", "records/UN-001.yaml:6", "UN-001")]


def test_planned_dates_may_lie_in_the_future(tmp_path):
    capa = """\
    id: CAPA-2026-001
    title: Late occlusion alarm
    status: open
    owner: USR-001
    opened: 2026-05-01
    due: 2027-05-01
    actions:
      - type: corrective
        description: Tighten the pressure threshold
        owner: USR-001
        due: 2027-01-15
    """
    repo = make_repo(tmp_path, {"records/CAPA-2026-001.yaml": capa})
    assert _codes(_report(repo, dt.date(2026, 6, 1))[1]) == []


def test_status_file_name_and_id_shape(tmp_path):
    repo = make_repo(tmp_path, {
        "records/UN-001.yaml": NEED.replace("status: draft", "status: aproved"),
        "records/REQ-0002.yaml": REQ.replace("derived_from: [UN-001]\n", ""),
        "records/REQ-12.yaml": REQ.replace("REQ-0001", "REQ-12").replace("derived_from: [UN-001]\n", ""),
    })
    _, report = _report(repo)
    assert _codes(report) == [
        ("QMS121", "records/REQ-0002.yaml:1", "REQ-0001"),
        ("QMS114", "records/REQ-12.yaml:1", "REQ-12"),
        ("QMS124", "records/UN-001.yaml:3", "UN-001"),
    ]
    assert report.findings[2].hint == "use one of: draft, in_review, approved, obsolete"


WAIVER = """\
id: WVR-001
title: Accept future-dated need created in planning
status: approved
code: QMS125
record: UN-001
justification: The need was entered from the signed plan ahead of its date.
approver: USR-002
approved: 2026-01-15
"""

USER2 = """\
id: USR-002
title: Head of QA
status: active
name: Bo Lind
email: bo@example.com
"""


def test_approved_waiver_moves_its_finding_aside(tmp_path):
    repo = make_repo(tmp_path, {"records/UN-001.yaml": NEED, "records/WVR-001.yaml": WAIVER,
                                "records/USR-002.yaml": USER2})
    _, report = _report(repo, dt.date(2026, 2, 1))
    assert _codes(report) == []
    assert [(f.code, f.record, f.waived_by) for f in report.waived] == [("QMS125", "UN-001", "WVR-001")]
    assert report.exit_code == 0


def test_draft_waiver_does_not_apply_and_unused_waiver_is_reported(tmp_path):
    repo = make_repo(tmp_path, {"records/UN-001.yaml": NEED,
                                "records/WVR-001.yaml": WAIVER.replace("status: approved", "status: draft"),
                                "records/USR-002.yaml": USER2})
    assert [f.code for f in _report(repo, dt.date(2026, 2, 1))[1].findings] == ["QMS125"]
    repo2 = make_repo(tmp_path / "two", {"records/UN-001.yaml": NEED, "records/WVR-001.yaml": WAIVER,
                                         "records/USR-002.yaml": USER2})
    _, report = _report(repo2)  # nothing in the future: the waiver is stale
    assert _codes(report) == [("QMS130", "records/WVR-001.yaml:5", "WVR-001")]
    assert report.exit_code == 0


def test_owner_cannot_approve_a_waiver_of_their_own_record(tmp_path):
    repo = make_repo(tmp_path, {"records/UN-001.yaml": NEED,
                                "records/WVR-001.yaml": WAIVER.replace("USR-002", "USR-001")})
    _, report = _report(repo, dt.date(2026, 2, 1))
    assert [(f.code, f.record) for f in report.findings] == [("QMS125", "UN-001"), ("QMS131", "WVR-001")]
