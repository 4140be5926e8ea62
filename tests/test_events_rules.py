"""Change control (QMS420-QMS424), complaints and vigilance (QMS430-QMS435) and the reporting clocks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from support import ROOT, make_repo, validate_json

from generator.analysis import vigilance
from generator.load.repo import load_repository
from generator.model.policy import Clock
from generator.recordset import RecordSet
from generator.rules import RULES, check

D = dt.date
AS_OF = D(2026, 11, 25)
CHANGE_CODES = {f"QMS42{n}" for n in range(5)}
COMPLAINT_CODES = {f"QMS43{n}" for n in range(8)}
CODES = CHANGE_CODES | COMPLAINT_CODES

POLICY = (ROOT / "specs/policies/POL-VIGILANCE.yaml").read_text()

BASE = {
    "specs/requirements/REQ-0001.yaml": "id: REQ-0001\ntitle: Flow accuracy\nstatus: draft\nowner: USR-001\n"
                                        "statement: The pump shall deliver the programmed rate within 5 %.\n",
    "records/risk/hazards/HAZ-001.yaml": "id: HAZ-001\ntitle: Over-infusion\nstatus: draft\nowner: USR-001\n",
    "records/equipment/EQ-001.yaml": "id: EQ-001\ntitle: Calibration station\nstatus: active\nowner: USR-001\n"
                                     "type: machine\nvalidated: true\n",
    "records/equipment/EQ-002.yaml": "id: EQ-002\ntitle: Bench scale\nstatus: active\nowner: USR-001\n"
                                     "type: instrument\nvalidated: false\n",
    "protocols/OQ-001.yaml": "id: OQ-001\ntitle: Station OQ\nstatus: approved\nowner: USR-001\nsubject: process\n"
                             "purpose: Qualify the station.\n",
    "specs/policies/POL-VIGILANCE.yaml": POLICY,
}


def change(**fields: Any) -> str:
    base: dict[str, Any] = {"id": "CC-2026-001", "title": "A change", "status": "approved", "owner": "USR-001",
                            "reason": "Because.", "affected": "[EQ-002]", "submitted": "2026-03-01",
                            "approved": "2026-03-02"}
    base.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)


def complaint(**fields: Any) -> str:
    base: dict[str, Any] = {"id": "CMP-2026-001", "title": "A complaint", "status": "investigation",
                            "owner": "USR-001", "received": "2026-03-02", "awareness": "2026-03-02",
                            "country": "DE", "event_class": "other_serious_incident", "remedial_action": "false",
                            "investigation": "Looked into it.", "reportable": "true",
                            "reportability_rationale": "Serious incident.", "capa_required": "false",
                            "capa_rationale": "Not needed."}
    base.update(fields)
    return "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)


def line_of(text: str, key: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key}:"))


def repo_with(tmp_path: Path, files: dict[str, str]) -> Path:
    return make_repo(tmp_path, {**BASE, **files})


def findings(path: Path, as_of: dt.date = AS_OF) -> list[tuple[str, str, str]]:
    loaded = load_repository(path)
    assert not [f for f in loaded.findings if f.severity == "error"], loaded.findings
    report = check(RecordSet(loaded.records, loaded.config), [], as_of)
    return sorted((f.code, f.record or "", str(f.location)) for f in report.findings if f.code in CODES)


def cc(tmp_path: Path, **fields: Any) -> tuple[list[tuple[str, str, str]], str]:
    text = change(**fields)
    return findings(repo_with(tmp_path, {"records/events/change/CC-2026-001.yaml": text})), text


def cmp_(tmp_path: Path, as_of: dt.date = AS_OF, **fields: Any) -> tuple[list[tuple[str, str, str]], str]:
    text = complaint(**fields)
    return findings(repo_with(tmp_path, {"records/events/complaints/CMP-2026-001.yaml": text}), as_of), text


CC_FILE = "records/events/change/CC-2026-001.yaml"
CMP_FILE = "records/events/complaints/CMP-2026-001.yaml"


def at(file: str, text: str, key: str) -> str:
    return f"{file}:{line_of(text, key)}"


def test_codes_are_registered_in_the_events_area():
    for code in CODES:
        severity = "warning" if code == "QMS437" else "error"
        assert RULES[code].area == "events" and RULES[code].severity == severity and RULES[code].check


def test_a_clean_change_and_complaint_have_no_findings(tmp_path):
    assert cc(tmp_path / "a")[0] == []
    assert cmp_(tmp_path / "b", reports="[{authority: eu_mdr, type: initial, submitted: 2026-03-10}]")[0] == []


# --------------------------------------------------------------------------- QMS420 risk review


@pytest.mark.parametrize("affected", ["[EQ-002, REQ-0001]", "[HAZ-001]"])
def test_approved_change_to_risk_records_without_risk_review(tmp_path, affected):
    found, text = cc(tmp_path, affected=affected)
    assert found == [("QMS420", "CC-2026-001", at(CC_FILE, text, "affected"))]


@pytest.mark.parametrize("fields", [
    {"risk_reviewed": "[HAZ-001]"},
    {"impact": "{risk: HAZ-001 reviewed; estimate unchanged.}"},
    {"status": "submitted", "approved": None},  # not yet approved: the review may still come
    {"status": "rejected"},
    {"affected": "[EQ-002]"},
])
def test_risk_review_not_needed_or_recorded(tmp_path, fields):
    assert cc(tmp_path, **{"affected": "[REQ-0001]", **fields})[0] == []


def test_blank_risk_impact_does_not_count_as_a_review(tmp_path):
    found, _ = cc(tmp_path, affected="[HAZ-001]", impact="{risk: '  ', design: None.}")
    assert [f[0] for f in found] == ["QMS420"]


# --------------------------------------------------------------------------- QMS421 implemented before approval


def test_implemented_before_approval(tmp_path):
    found, text = cc(tmp_path, status="implemented", implemented="2026-03-01")
    assert found == [("QMS421", "CC-2026-001", at(CC_FILE, text, "implemented"))]


def test_implemented_on_the_approval_day_is_fine(tmp_path):
    assert cc(tmp_path, status="implemented", implemented="2026-03-02")[0] == []


def test_implemented_without_approval_date(tmp_path):
    # Status implemented without an approval date is also QMS424 (two different gaps).
    found, text = cc(tmp_path, status="implemented", approved=None, implemented="2026-03-05")
    assert found == [("QMS421", "CC-2026-001", at(CC_FILE, text, "implemented")),
                     ("QMS424", "CC-2026-001", at(CC_FILE, text, "status"))]


def test_implementation_date_on_a_cancelled_change_still_counts(tmp_path):
    found, _ = cc(tmp_path, status="cancelled", approved=None, implemented="2026-03-05")
    assert [f[0] for f in found] == ["QMS421"]


# --------------------------------------------------------------------------- QMS422 revalidation


@pytest.mark.parametrize("affected,first", [("[EQ-002, EQ-001]", "affected"), ("[OQ-001]", "affected")])
def test_validated_equipment_or_protocol_without_revalidation(tmp_path, affected, first):
    found, text = cc(tmp_path, affected=affected)
    assert found == [("QMS422", "CC-2026-001", at(CC_FILE, text, first))]


@pytest.mark.parametrize("fields", [
    {"affected": "[EQ-001]", "revalidation": "[OQ-001]"},
    {"affected": "[EQ-001]", "impact": "{validation: 'Software only; OQ-001 unaffected because ...'}"},
    {"affected": "[EQ-002]"},  # not validated
    {"affected": "[EQ-001]", "status": "draft", "approved": None},
])
def test_revalidation_planned_or_not_needed(tmp_path, fields):
    assert cc(tmp_path, **fields)[0] == []


def test_revalidation_finding_names_the_validated_records(tmp_path):
    loaded_repo = repo_with(tmp_path, {CC_FILE: change(affected="[EQ-002, EQ-001, OQ-001]")})
    code, out = validate_json(loaded_repo, "--as-of", "2026-11-25")
    (f,) = [f for f in out["findings"] if f["code"] == "QMS422"]
    assert code == 1 and "EQ-001, OQ-001" in f["message"] and "EQ-002" not in f["message"]
    assert f["location"] == f"{CC_FILE}:{line_of(change(), 'affected')}" and f["hint"]


# --------------------------------------------------------------------------- QMS423 verified before implemented


def test_verified_before_implemented(tmp_path):
    found, text = cc(tmp_path, status="verified", implemented="2026-03-10", verified="2026-03-09")
    assert found == [("QMS423", "CC-2026-001", at(CC_FILE, text, "verified"))]


def test_verified_without_implementation(tmp_path):
    found, text = cc(tmp_path, status="verified", verified="2026-03-09")
    assert found == [("QMS423", "CC-2026-001", at(CC_FILE, text, "verified"))]


def test_verified_on_the_implementation_day_is_fine(tmp_path):
    assert cc(tmp_path, status="closed", implemented="2026-03-10", verified="2026-03-10")[0] == []


# --------------------------------------------------------------------------- QMS424 approval date


@pytest.mark.parametrize("status", ["approved", "closed"])
def test_approved_or_later_without_approval_date(tmp_path, status):
    found, text = cc(tmp_path, status=status, approved=None)
    assert found == [("QMS424", "CC-2026-001", at(CC_FILE, text, "status"))]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_approval_date_not_needed_before_approval(tmp_path, status):
    assert cc(tmp_path, status=status, approved=None)[0] == []


# --------------------------------------------------------------------------- the reporting clocks


def clock(authority: str, event_class: str, days: int, business: bool = False,
          remedial: bool | None = None) -> Clock:
    return Clock(authority=authority, event_class=event_class, days=days, business_days=business,
                 when_remedial_action=remedial)


def test_calendar_deadline_is_awareness_plus_n_days():
    assert vigilance.due_date(D(2026, 3, 2), 15) == D(2026, 3, 17)
    assert vigilance.due_date(D(2026, 3, 2), 0) == D(2026, 3, 2)


def test_business_days_skip_weekends():
    thursday = D(2026, 3, 5)
    assert thursday.weekday() == 3
    assert vigilance.add_business_days(thursday, 5) == D(2026, 3, 12)  # the following Thursday
    assert vigilance.add_business_days(thursday, 1) == D(2026, 3, 6)  # Friday
    assert vigilance.add_business_days(thursday, 2) == D(2026, 3, 9)  # Monday
    assert vigilance.add_business_days(D(2026, 3, 7), 1) == D(2026, 3, 9)  # Saturday + 1 → Monday
    assert vigilance.add_business_days(D(2026, 3, 7), 5) == D(2026, 3, 13)  # Saturday + 5 → Friday


@pytest.mark.parametrize("country,reports,expected", [
    ("DE", "", ("eu_mdr",)), ("US", "", ("fda_mdr",)), ("no", "", ("eu_mdr",)), ("EL", "", ("eu_mdr",)),
    ("CH", "", ()), (None, "", ()),
    ("CH", "[{authority: eu_mdr}]", ("eu_mdr",)), ("DE", "[{authority: fda_mdr}]", ("eu_mdr", "fda_mdr")),
])
def test_authorities_from_country_and_reports(tmp_path, country, reports, expected):
    text = complaint(country=country, reports=reports or None)
    path = repo_with(tmp_path, {CMP_FILE: text})
    loaded = load_repository(path)
    (c,) = [r for r, _ in loaded.records if r.id == "CMP-2026-001"]
    assert vigilance.authorities(c) == expected


def test_remedial_action_clock_applies_only_with_remedial_action(tmp_path):
    clocks = [clock("fda_mdr", "malfunction", 30), clock("fda_mdr", "malfunction", 5, True, True)]
    path = repo_with(tmp_path, {CMP_FILE: complaint(country="US", event_class="malfunction",
                                                    awareness="2026-03-05")})
    (c,) = [r for r, _ in load_repository(path).records if r.id == "CMP-2026-001"]
    (d,) = vigilance.deadlines(c, clocks)
    assert (d.authority, d.due, d.days, d.business_days) == ("fda_mdr", D(2026, 4, 4), 30, False)
    with_remedial = c.model_copy(update={"remedial_action": True})
    (d,) = vigilance.deadlines(with_remedial, clocks)
    assert (d.due, d.clock) == (D(2026, 3, 12), "5 work day(s)")


# --------------------------------------------------------------------------- QMS431 / QMS432 deadlines


def test_report_on_the_last_day_is_on_time(tmp_path):
    # Awareness 2026-03-02, EU MDR other serious incident: 15 days → due 2026-03-17.
    found, _ = cmp_(tmp_path, reports="[{authority: eu_mdr, submitted: 2026-03-17}]")
    assert found == []


def test_report_one_day_after_is_one_day_late(tmp_path):
    text = complaint(reports="\n  - {authority: eu_mdr, submitted: 2026-03-18}")
    path = repo_with(tmp_path, {CMP_FILE: text})
    code, out = validate_json(path, "--as-of", "2026-11-25")
    (f,) = [f for f in out["findings"] if f["code"] in CODES]
    assert code == 1 and f["code"] == "QMS432" and f["record"] == "CMP-2026-001"
    assert f["location"] == f"{CMP_FILE}:{line_of(text, 'reports') + 1}"
    assert "submitted 2026-03-18, 1 day(s) late (due by 2026-03-17" in f["message"]


def test_no_report_is_not_overdue_on_the_last_day(tmp_path):
    assert cmp_(tmp_path, as_of=D(2026, 3, 17))[0] == []


def test_no_report_is_overdue_the_day_after(tmp_path):
    found, text = cmp_(tmp_path, as_of=D(2026, 3, 18))
    assert found == [("QMS431", "CMP-2026-001", at(CMP_FILE, text, "reportable"))]


def test_received_starts_the_clock_when_awareness_is_missing(tmp_path):
    assert cmp_(tmp_path / "a", as_of=D(2026, 3, 18), awareness=None, received="2026-03-03")[0] == []
    assert [f[0] for f in cmp_(tmp_path / "b", as_of=D(2026, 3, 19), awareness=None,
                               received="2026-03-03")[0]] == ["QMS431"]


def test_awareness_not_received_starts_the_clock(tmp_path):
    # Received earlier by a sales rep, quality became aware later: the clock starts at awareness.
    assert cmp_(tmp_path, as_of=D(2026, 3, 18), received="2026-02-20", awareness="2026-03-03")[0] == []


def test_fda_five_work_day_clock_with_remedial_action(tmp_path):
    # Awareness Thursday 2026-03-05 + 5 work days = Thursday 2026-03-12.
    fields = dict(country="US", event_class="malfunction", remedial_action="true", awareness="2026-03-05",
                  received="2026-03-05")
    assert cmp_(tmp_path / "a", as_of=D(2026, 3, 12), **fields)[0] == []
    assert [f[0] for f in cmp_(tmp_path / "b", as_of=D(2026, 3, 13), **fields)[0]] == ["QMS431"]
    assert cmp_(tmp_path / "c", reports="[{authority: fda_mdr, submitted: 2026-03-12}]", **fields)[0] == []
    assert [f[0] for f in cmp_(tmp_path / "d", reports="[{authority: fda_mdr, submitted: 2026-03-13}]",
                               **fields)[0]] == ["QMS432"]


def test_without_remedial_action_fda_gives_30_calendar_days(tmp_path):
    fields = dict(country="US", event_class="malfunction", awareness="2026-03-05", received="2026-03-05")
    assert cmp_(tmp_path / "a", as_of=D(2026, 4, 4), **fields)[0] == []
    assert [f[0] for f in cmp_(tmp_path / "b", as_of=D(2026, 4, 5), **fields)[0]] == ["QMS431"]


def test_each_authority_has_its_own_clock(tmp_path):
    # DE event also reported to FDA: EU 15 days met, FDA 30 days met by a later report.
    found, _ = cmp_(tmp_path, reports="[{authority: eu_mdr, submitted: 2026-03-10}, "
                                      "{authority: fda_mdr, submitted: 2026-03-31}]")
    assert found == []


def test_earliest_report_stops_the_clock_and_follow_ups_do_not_count_as_late(tmp_path):
    found, _ = cmp_(tmp_path, reports="[{authority: eu_mdr, type: follow_up, submitted: 2026-05-01}, "
                                      "{authority: eu_mdr, type: initial, submitted: 2026-03-16}]")
    assert found == []


def test_not_reportable_or_no_clock_means_no_deadline(tmp_path):
    assert cmp_(tmp_path / "a", reportable="false")[0] == []
    # The EU policy has no malfunction clock: no deadline is computed, and QMS437 says so.
    found, text = cmp_(tmp_path / "b", event_class="malfunction")
    assert found == [("QMS437", "CMP-2026-001", at(CMP_FILE, text, "event_class"))]


def test_no_clock_message_names_the_authority_and_class(tmp_path):
    path = repo_with(tmp_path, {CMP_FILE: complaint(event_class="malfunction")})
    code, out = validate_json(path, "--as-of", "2026-11-25")
    (f,) = [f for f in out["findings"] if f["code"] == "QMS437"]
    assert f["severity"] == "warning"
    assert f["message"] == "the vigilance policy has no eu_mdr clock for 'malfunction': no deadline is checked"


def test_report_before_awareness(tmp_path):
    text = complaint(received="2026-03-01", reports="\n  - {authority: eu_mdr, submitted: 2026-02-27}")
    path = repo_with(tmp_path, {CMP_FILE: text})
    code, out = validate_json(path, "--as-of", "2026-11-25")
    (f,) = [f for f in out["findings"] if f["code"] == "QMS436"]
    assert code == 1 and f["location"] == f"{CMP_FILE}:{line_of(text, 'reports') + 1}"
    assert f["message"] == "eu_mdr report submitted 2026-02-27, before the manufacturer became aware on 2026-03-02"
    # Submitted on the day of awareness is possible (a serious public health threat is reported at once).
    assert cmp_(tmp_path / "same-day", reports="[{authority: eu_mdr, submitted: 2026-03-02}]")[0] == []


def test_reportable_without_event_class_or_authority(tmp_path):
    found, text = cmp_(tmp_path / "a", event_class=None)
    assert found == [("QMS431", "CMP-2026-001", at(CMP_FILE, text, "reportable"))]
    found, text = cmp_(tmp_path / "b", country="CH")
    assert found == [("QMS431", "CMP-2026-001", at(CMP_FILE, text, "country"))]


def test_no_policy_in_force_no_deadline_findings(tmp_path):
    draft = POLICY.replace("status: effective", "status: draft")
    path = make_repo(tmp_path, {**BASE, "specs/policies/POL-VIGILANCE.yaml": draft,
                                CMP_FILE: complaint(reports="[{authority: eu_mdr, submitted: 2026-05-01}]")})
    assert findings(path) == []


# --------------------------------------------------------------------------- QMS430 reportability decision


def test_decision_missing_once_investigating(tmp_path):
    found, text = cmp_(tmp_path, reportable=None)
    assert found == [("QMS430", "CMP-2026-001", at(CMP_FILE, text, "status"))]


def test_decision_missing_with_investigation_text_while_received(tmp_path):
    found, _ = cmp_(tmp_path, reportable=None, status="received", as_of=D(2026, 3, 3))
    assert [f[0] for f in found] == ["QMS430"]


def test_decision_due_by_the_shortest_clock(tmp_path):
    # DE: the shortest EU clock is 2 days → the decision is due by 2026-03-04.
    fields = dict(reportable=None, status="received", investigation=None, event_class=None)
    assert cmp_(tmp_path / "a", as_of=D(2026, 3, 4), **fields)[0] == []
    found, text = cmp_(tmp_path / "b", as_of=D(2026, 3, 5), **fields)
    assert found == [("QMS430", "CMP-2026-001", at(CMP_FILE, text, "status"))]
    # US without remedial action: 30 calendar days.
    us = dict(fields, country="US")
    assert cmp_(tmp_path / "c", as_of=D(2026, 4, 1), **us)[0] == []
    assert [f[0] for f in cmp_(tmp_path / "d", as_of=D(2026, 4, 2), **us)[0]] == ["QMS430"]


# --------------------------------------------------------------------------- QMS433-QMS435 closure and CAPA


def test_closed_without_investigation(tmp_path):
    found, text = cmp_(tmp_path, status="closed", closed="2026-04-01", investigation=None, reportable="false")
    assert found == [("QMS433", "CMP-2026-001", at(CMP_FILE, text, "closed"))]


def test_closed_status_without_date_and_investigation(tmp_path):
    found, text = cmp_(tmp_path, status="closed", investigation="' '", reportable="false")
    assert found == [("QMS433", "CMP-2026-001", at(CMP_FILE, text, "status"))]


def test_closed_without_capa_decision(tmp_path):
    found, text = cmp_(tmp_path, status="closed", closed="2026-04-01", capa_required=None, reportable="false")
    assert found == [("QMS434", "CMP-2026-001", at(CMP_FILE, text, "closed"))]


def test_open_complaint_may_still_lack_a_capa_decision(tmp_path):
    assert cmp_(tmp_path, capa_required=None, reportable="false")[0] == []


def test_capa_required_without_capa(tmp_path):
    found, text = cmp_(tmp_path, capa_required="true", reportable="false")
    assert found == [("QMS435", "CMP-2026-001", at(CMP_FILE, text, "capa_required"))]


def test_capa_required_with_capa_linked(tmp_path):
    capa = "id: CAPA-2026-001\ntitle: A CAPA\nstatus: open\nowner: USR-001\nopened: 2026-03-10\n" \
           "due: 2026-12-31\nsources: [CMP-2026-001]\n"
    path = repo_with(tmp_path, {CMP_FILE: complaint(capa_required="true", capa="CAPA-2026-001",
                                                    reportable="false"),
                                "records/events/capa/CAPA-2026-001.yaml": capa})
    assert findings(path) == []


# --------------------------------------------------------------------------- the worked example


def test_worked_example_deadlines_are_met(example_repo):
    loaded = load_repository(example_repo)
    rs = RecordSet(loaded.records, loaded.config)
    from generator.analysis.policies import in_force
    from generator.model.policy import VigilancePolicy
    clocks = in_force(rs, VigilancePolicy).clocks
    got = {c.id: [(d.authority, d.due, d.state(AS_OF)) for d in vigilance.deadlines(c, clocks)]
           for c in rs.of_kind("complaint") if c.reportable}
    assert got == {"CMP-2026-001": [("eu_mdr", D(2026, 9, 24), "on_time")],
                   "CMP-2026-002": [("fda_mdr", D(2026, 7, 3), "on_time")]}
