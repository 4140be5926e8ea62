"""Purchasing controls and incoming inspection (QMS501-QMS509), the supplier scorecard and `qms supplier`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from support import make_repo, run_qms

from generator.analysis.sampling import plan
from generator.analysis.suppliers import period_of, scorecard
from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.rules import RULES, check

D = dt.date
SUPPLY_CODES = {f"QMS50{n}" for n in range(1, 10)}
EARLY = D(2026, 5, 1)  # 2026-Q1 complete, 2026-Q2 running
LATE = D(2026, 11, 25)  # 2026-Q2 is the latest complete quarter with receipts

POLICY = """\
id: POL-SUPPLIER
title: Supplier policy
status: effective
owner: USR-001
policy: supplier
weights: {quality: 0.5, delivery: 0.3, responsiveness: 0.2}
grades:
  - {grade: A, min_score: 90}
  - {grade: B, min_score: 75}
  - {grade: C, min_score: 60}
  - {grade: D, min_score: 0}
reevaluate_below: 70
period: quarter
certificate_horizon_days: 60
audit_interval_months: {critical: 12, major: 24, minor: 36}
"""

USER2 = """\
id: USR-002
title: Supplier quality engineer
status: active
name: Bo Lind
email: bo@example.com
"""


def supplier(sid: str, status: str = "approved", criticality: str = "critical",
             audits: tuple[str, ...] = ("2026-02-10",), certs: tuple[tuple[str, str], ...] = (("ISO 13485:2016",
                                                                                              "2028-01-31"),)) -> str:
    lines = [f"id: {sid}", f"title: Supplier {sid}", f"status: {status}", "owner: USR-002",
             f"criticality: {criticality}", "certificates:"]
    lines += [f"  - {{standard: '{std}', number: C-{i}, expires: {exp}}}" for i, (std, exp) in enumerate(certs)]
    if not certs:
        lines[-1] = "certificates: []"
    lines.append("audits:" if audits else "audits: []")
    lines += [f"  - {{date: {a}, type: onsite, result: pass}}" for a in audits]
    return "\n".join(lines) + "\n"


def sup(sid: str, **kw: Any) -> dict[str, str]:
    return {f"records/suppliers/{sid}.yaml": supplier(sid, **kw)}


def material(mid: str, suppliers: list[str]) -> str:
    return (f"id: {mid}\ntitle: Component {mid}\nstatus: approved\nowner: USR-001\ntype: component\n"
            f"approved_suppliers: [{', '.join(suppliers)}]\ninspection: {{aql: 0.65, level: II}}\n")


RECEIPT_HEADER = ("id", "status", "owner", "supplier", "material", "lot", "quantity", "promised", "received")
INSPECTION_HEADER = ("id", "status", "owner", "receipt", "lot_size", "level", "aql", "severity", "sample_size",
                     "defects", "decision", "inspected")

# The hand-computed case: SUP-001 / MAT-001, lots of 100 at AQL 0.65 level II → ISO 2859-1 code letter F,
# n = 20, Ac 0, Re 1.
RECEIPTS: list[tuple[Any, ...]] = [
    ("RCV-01", "accepted", "USR-002", "SUP-001", "MAT-001", "LOT-C-01", 100, D(2026, 1, 10), D(2026, 1, 10)),
    ("RCV-02", "rejected", "USR-002", "SUP-001", "MAT-001", "LOT-C-02", 100, D(2026, 2, 1), D(2026, 2, 5)),
    ("RCV-03", "accepted", "USR-002", "SUP-001", "MAT-001", "LOT-C-03", 100, None, D(2026, 2, 20)),
    ("RCV-04", "accepted", "USR-002", "SUP-001", "MAT-001", "LOT-C-04", 100, D(2026, 3, 20), D(2026, 3, 15)),
    ("RCV-05", "accepted", "USR-002", "SUP-001", "MAT-001", "LOT-C-05", 100, D(2026, 4, 12), D(2026, 4, 10)),
]
INSPECTIONS: list[tuple[Any, ...]] = [
    ("INS-01", "complete", "USR-002", "RCV-01", 100, "II", 0.65, "normal", 20, 0, "accept", D(2026, 1, 11)),
    ("INS-02", "complete", "USR-002", "RCV-02", 100, "II", 0.65, "normal", 20, 1, "reject", D(2026, 2, 6)),
    ("INS-03", "complete", "USR-002", "RCV-03", 100, "II", 0.65, "normal", 20, 0, "accept", D(2026, 2, 21)),
    ("INS-05", "complete", "USR-002", "RCV-05", 100, "II", 0.65, "normal", 20, 0, "accept", D(2026, 4, 11)),
]
LOT_HEADER = ("id", "status", "owner", "lot_type", "material", "receipt", "quantity", "consumes")
LOTS: list[tuple[Any, ...]] = [
    *((f"LOT-C-0{i}", "accepted", "USR-002", "component", "MAT-001", f"RCV-0{i}", 100, None) for i in (1, 3, 4, 5)),
    ("LOT-C-02", "quarantine", "USR-002", "component", "MAT-001", "RCV-02", 100, None),
]

CAPA_ON_TIME = """\
id: CAPA-2026-001
title: Supplier SCAR on burrs
status: closed
owner: USR-002
sources: [SUP-001]
opened: 2026-01-15
due: 2026-03-01
closed: 2026-02-25
"""
CAPA_LATE = """\
id: CAPA-2026-002
title: Supplier SCAR on the rejected lot
status: closed
owner: USR-002
sources: [NC-2026-001]
opened: 2026-02-07
due: 2026-03-20
closed: 2026-04-02
"""
NC = """\
id: NC-2026-001
title: Lot rejected at incoming inspection
status: closed
owner: USR-002
source: incoming_inspection
detected: 2026-02-06
supplier: SUP-001
materials: [MAT-001]
"""


def xlsx(sheets: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]) -> bytes:
    import io

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def repo(tmp_path: Path, receipts: list[tuple[Any, ...]] | None = None,
         inspections: list[tuple[Any, ...]] | None = None, lots: list[tuple[Any, ...]] | None = None,
         files: dict[str, str] | None = None) -> Path:
    base: dict[str, str | bytes] = {
        "records/people/USR-002.yaml": USER2,
        "specs/policies/POL-SUPPLIER.yaml": POLICY,
        "records/suppliers/SUP-001.yaml": supplier("SUP-001"),
        "records/suppliers/SUP-002.yaml": supplier("SUP-002", criticality="minor"),
        "records/materials/MAT-001.yaml": material("MAT-001", ["SUP-001"]),
        "records/events/capa/CAPA-2026-001.yaml": CAPA_ON_TIME,
        "records/events/capa/CAPA-2026-002.yaml": CAPA_LATE,
        "records/events/nc/NC-2026-001.yaml": NC,
        "records/supply/receiving.xlsx": xlsx({
            "Receipts": (RECEIPT_HEADER, RECEIPTS if receipts is None else receipts),
            "Inspections": (INSPECTION_HEADER, INSPECTIONS if inspections is None else inspections)}),
        "records/production/production.xlsx": xlsx({"Lots": (LOT_HEADER, LOTS if lots is None else lots)}),
    }
    base.update(files or {})
    return make_repo(tmp_path, base)


def records_of(path: Path) -> RecordSet:
    loaded = load_repository(path)
    assert not [f for f in loaded.findings if f.severity == "error"], loaded.findings
    return RecordSet(loaded.records, loaded.config)


def supply_findings(path: Path, as_of: dt.date = LATE) -> list[tuple[str, str]]:
    report = check(records_of(path), [], as_of)
    return sorted((f.code, f.record or "") for f in report.findings if f.code in SUPPLY_CODES)


def with_row(rows: list[tuple[Any, ...]], index: int, **changes: Any) -> list[tuple[Any, ...]]:
    header = RECEIPT_HEADER if str(rows[index][0]).startswith("RCV") else INSPECTION_HEADER
    out = list(rows)
    row = list(out[index])
    for key, value in changes.items():
        row[header.index(key)] = value
    out[index] = tuple(row)
    return out


# --------------------------------------------------------------------------- the rules


def test_supply_rules_are_registered_with_clause_and_area():
    for code in SUPPLY_CODES:
        rule = RULES[code]
        assert rule.area == "supply" and rule.check is not None
        assert "7.4" in rule.clause or "2859" in rule.clause
        assert len(rule.rationale) > 60


def test_clean_case_has_no_supply_findings(tmp_path):
    assert supply_findings(repo(tmp_path), LATE) == []


def test_receipt_from_supplier_not_on_the_list(tmp_path):
    rows = [*RECEIPTS, ("RCV-06", "accepted", "USR-002", "SUP-002", "MAT-001", None, 50, None, D(2026, 5, 5))]
    assert supply_findings(repo(tmp_path, receipts=rows)) == [("QMS501", "RCV-06")]


def test_receipt_from_supplier_on_the_list_but_not_approved(tmp_path):
    path = repo(tmp_path, files=sup("SUP-001", status="candidate"))
    assert ("QMS501", "RCV-01") in supply_findings(path)
    conditional = repo(tmp_path / "c", files=sup("SUP-001", status="conditional"))
    assert supply_findings(conditional) == []


def test_certificate_expired_and_expiring(tmp_path):
    def minor(*certs: tuple[str, str], status: str = "approved") -> dict[str, str]:
        return sup("SUP-002", criticality="minor", certs=certs, status=status)

    expired = repo(tmp_path / "a", files=minor(("ISO 9001:2015", "2026-11-24")))
    assert supply_findings(expired) == [("QMS502", "SUP-002")]
    expiring = repo(tmp_path / "b", files=minor(("ISO 9001:2015", "2027-01-24")))  # 60 days: inside the horizon
    assert supply_findings(expiring) == [("QMS503", "SUP-002")]
    later = repo(tmp_path / "c", files=minor(("ISO 9001:2015", "2027-01-25")))  # 61 days
    assert supply_findings(later) == []
    renewed = repo(tmp_path / "d", files=minor(("ISO 9001:2015", "2026-01-01"), ("ISO 9001:2015", "2029-01-01")))
    assert supply_findings(renewed) == []
    retired = repo(tmp_path / "e", files=minor(("ISO 9001:2015", "2026-01-01"), status="inactive"))
    assert supply_findings(retired) == []


def test_critical_supplier_audit_overdue(tmp_path):
    path = repo(tmp_path / "a", files=sup("SUP-001", audits=("2025-11-24",)))
    assert supply_findings(path) == [("QMS504", "SUP-001")]
    inside = repo(tmp_path / "b", files=sup("SUP-001", audits=("2025-11-25",)))
    assert supply_findings(inside) == []
    never = repo(tmp_path / "c", files=sup("SUP-001", audits=()))
    assert supply_findings(never) == [("QMS504", "SUP-001")]
    # the same gap is within the 36 months the policy allows a minor supplier
    minor = repo(tmp_path / "d", files=sup("SUP-002", criticality="minor", audits=("2024-01-10",)))
    assert supply_findings(minor) == []


def test_sample_smaller_than_the_plan(tmp_path):
    rows = with_row(INSPECTIONS, 0, sample_size=13)
    path = repo(tmp_path / "a", inspections=rows)
    assert supply_findings(path) == [("QMS505", "INS-01")]
    report = check(records_of(path), [], LATE)
    (finding,) = [f for f in report.findings if f.code == "QMS505"]
    assert "needs 20" in finding.message and "code letter F" in finding.message
    assert str(finding.location).endswith("receiving.xlsx[Inspections]!I2")
    # a lot of 10: code letter B, the arrow leads to n = 20 ≥ 10, so 100 % of the lot is the requirement
    small = with_row(with_row(INSPECTIONS, 0, lot_size=10, sample_size=10), 1, lot_size=10, sample_size=8)
    assert supply_findings(repo(tmp_path / "b", inspections=small)) == [("QMS505", "INS-02")]


def test_decision_contradicting_the_acceptance_number(tmp_path):
    rows = with_row(INSPECTIONS, 1, decision="accept")  # 1 found, Ac 0
    assert supply_findings(repo(tmp_path / "a", inspections=rows)) == [("QMS506", "INS-02")]
    rows = with_row(INSPECTIONS, 0, decision="reject")  # 0 found: must be accepted
    assert ("QMS506", "INS-01") in supply_findings(repo(tmp_path / "b", inspections=rows))


def test_rejected_component_lot_consumed(tmp_path):
    finished = ("LOT-F-01", "in_production", "USR-002", "finished", "MAT-001", None, 10, "LOT-C-01=5; LOT-C-02=5")
    path = repo(tmp_path / "a", lots=[*LOTS, finished])
    assert supply_findings(path) == [("QMS507", "LOT-F-01")]  # LOT-C-02: its receipt's inspection rejected it
    ok = ("LOT-F-01", "in_production", "USR-002", "finished", "MAT-001", None, 10, "LOT-C-01=5; LOT-C-03=5")
    assert supply_findings(repo(tmp_path / "b", lots=[*LOTS, ok])) == []
    rejected_lot = [*LOTS[:-1], ("LOT-C-02", "rejected", "USR-002", "component", "MAT-001", None, 100, None)]
    uses = ("LOT-F-01", "in_production", "USR-002", "finished", "MAT-001", None, 10, "LOT-C-02=5")
    assert supply_findings(repo(tmp_path / "c", lots=[*rejected_lot, uses])) == [("QMS507", "LOT-F-01")]
    scrapped = ("LOT-F-01", "rejected", "USR-002", "finished", "MAT-001", None, 10, "LOT-C-02=5")
    assert supply_findings(repo(tmp_path / "d", lots=[*LOTS, scrapped])) == []  # retired lot


def test_severity_against_the_switching_rules(tmp_path):
    # two of the last lots not accepted (INS-02, INS-03 now 1 found → reject): the next lot needs tightened
    rows = with_row(with_row(INSPECTIONS, 2, defects=1, decision="reject"), 3, severity="normal")
    path = repo(tmp_path / "a", inspections=rows)
    assert supply_findings(path) == [("QMS508", "INS-05")]
    (finding,) = [f for f in check(records_of(path), [], LATE).findings if f.code == "QMS508"]
    assert finding.severity == "warning" and "require tightened" in finding.message
    n = plan(100, 0.65, "II", "tightened").sample_size  # Table 2-B: ↓ from F to G, n = 32
    assert n == 32
    tightened = with_row(rows, 3, severity="tightened", sample_size=n)
    assert supply_findings(repo(tmp_path / "b", inspections=tightened)) == []
    # reduced without a switching score of 30 is not allowed
    reduced = with_row(INSPECTIONS, 3, severity="reduced")
    assert supply_findings(repo(tmp_path / "c", inspections=reduced)) == [("QMS508", "INS-05")]


def test_reevaluation_warning_and_what_answers_it(tmp_path):
    path = repo(tmp_path / "a")
    assert supply_findings(path, EARLY) == [("QMS509", "SUP-001")]
    (finding,) = [f for f in check(records_of(path), [], EARLY).findings if f.code == "QMS509"]
    assert finding.severity == "warning" and finding.message.startswith("re-evaluate supplier")
    assert "2026-Q1 score 67.5" in finding.message
    assert supply_findings(path, LATE) == []  # 2026-Q2 (100) is now the latest complete quarter
    audited = repo(tmp_path / "b", files=sup("SUP-001", audits=("2026-02-10", "2026-04-15")))
    assert supply_findings(audited, EARLY) == []  # re-evaluated after the period ended
    retired = repo(tmp_path / "c", files=sup("SUP-001", status="inactive"))
    assert ("QMS509", "SUP-001") not in supply_findings(retired, EARLY)


# --------------------------------------------------------------------------- the scorecard


def test_periods():
    assert period_of(D(2026, 2, 28), "quarter") == ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31))
    assert period_of(D(2026, 12, 31), "quarter") == ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31))
    assert period_of(D(2026, 2, 3), "month") == ("2026-02", D(2026, 2, 1), D(2026, 2, 28))
    assert period_of(D(2026, 7, 3), "year") == ("2026", D(2026, 1, 1), D(2026, 12, 31))


def test_scorecard_by_hand(tmp_path):
    card = scorecard(records_of(repo(tmp_path)), EARLY)
    s = card.get("SUP-001")
    assert s is not None and [p.period for p in s.periods] == ["2026-Q1", "2026-Q2"]
    q1, q2 = s.periods
    # quality: RCV-01, -03 accepted by inspection, -04 accepted by status (no inspection), -02 rejected: 3/4
    assert (q1.lots_decided, q1.lots_accepted, q1.quality) == (4, 3, 75.0)
    # ppm: 1 defect in 3 × 20 inspected units
    assert (q1.units_inspected, q1.defects) == (60, 1) and q1.ppm == pytest.approx(1e6 / 60)
    # delivery: RCV-01 on the day, RCV-04 early, RCV-02 late, RCV-03 has no promised date: 2/3
    assert (q1.promised, q1.on_time) == (3, 2) and q1.delivery == pytest.approx(200 / 3)
    # responsiveness: CAPA-2026-001 (sources SUP-001) on time, CAPA-2026-002 (via NC-2026-001) late
    assert q1.capas_due == ["CAPA-2026-001", "CAPA-2026-002"] and q1.capas_on_time == ["CAPA-2026-001"]
    assert q1.responsiveness == 50.0
    # 0.5 × 75 + 0.3 × 66.67 + 0.2 × 50 = 37.5 + 20 + 10
    assert q1.score == pytest.approx(67.5) and q1.grade == "C" and q1.reevaluate and q1.complete
    assert (q2.quality, q2.delivery, q2.responsiveness, q2.score, q2.grade) == (100.0, 100.0, 100.0, 100.0, "A")
    assert not q2.complete and s.current is q1 and s.reevaluate
    assert card.get("SUP-002").periods == [] and card.get("SUP-002").current is None
    doc = card.as_json()
    assert doc["policy"] == "POL-SUPPLIER" and doc["period"] == "quarter"
    row = doc["suppliers"][0]["periods"][0]
    assert (row["quality"], row["delivery"], row["ppm"], row["score"]) == (75.0, 66.67, 16666.7, 67.5)
    later = scorecard(records_of(repo(tmp_path)), LATE).get("SUP-001")
    assert later.current.period == "2026-Q2" and not later.reevaluate


def test_scorecard_counts_only_receipts_up_to_as_of(tmp_path):
    card = scorecard(records_of(repo(tmp_path)), D(2026, 2, 10))
    (q1,) = card.get("SUP-001").periods
    assert q1.receipts == ["RCV-01", "RCV-02"] and q1.capas_due == [] and q1.responsiveness == 100.0


def test_the_example_marks_sup_004_for_reevaluation(example_repo):
    card = scorecard(records_of(example_repo), LATE)
    flagged = [s.supplier for s in card.suppliers if s.reevaluate]
    assert flagged == ["SUP-004"]
    q3 = card.get("SUP-004").current
    # 2026-Q3: 6 receipts, RCV-2026-0015 and -0021 rejected, 2 of 6 delivered on time, no CAPA due yet
    assert (q3.period, q3.lots_decided, q3.lots_accepted, q3.promised, q3.on_time) == ("2026-Q3", 6, 4, 6, 2)
    assert q3.score == pytest.approx(0.5 * 400 / 6 + 0.3 * 200 / 6 + 0.2 * 100) and q3.grade == "C"
    report = check(records_of(example_repo), [], LATE)
    # besides WVR-001 on the re-evaluation, WVR-006..009 record the review of each critical supplier's past
    # audit-interval lapse (QMS510)
    assert [(f.code, f.record, f.waived_by) for f in report.waived if f.code.startswith("QMS5")] == [
        ("QMS510", "SUP-001", "WVR-006"), ("QMS510", "SUP-002", "WVR-007"), ("QMS510", "SUP-003", "WVR-008"),
        ("QMS509", "SUP-004", "WVR-001"), ("QMS510", "SUP-004", "WVR-009")]
    assert not [f for f in report.findings if f.code in SUPPLY_CODES]


# --------------------------------------------------------------------------- the command and its files


def test_cli_json_and_text(tmp_path):
    path = repo(tmp_path)
    proc = run_qms("--repo", str(path), "supplier", "scorecard", "--as-of", "2026-05-01", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    (sup1,) = [s for s in doc["suppliers"] if s["supplier"] == "SUP-001"]
    assert (sup1["current_period"], sup1["score"], sup1["grade"], sup1["reevaluate"]) == ("2026-Q1", 67.5, "C", True)
    text = run_qms("--repo", str(path), "supplier", "scorecard", "--as-of", "2026-05-01")
    assert text.returncode == 0 and "Marked for re-evaluation: SUP-001" in text.stdout
    assert "2026-Q2" in text.stdout and "(partial)" in text.stdout


def test_cli_without_policy_is_a_clear_error(tmp_path):
    path = repo(tmp_path)
    (path / "specs/policies/POL-SUPPLIER.yaml").unlink()
    proc = run_qms("--repo", str(path), "supplier", "scorecard")
    assert proc.returncode == 2 and "no supplier policy is in force" in proc.stderr and "Traceback" not in proc.stderr


def test_workbook_and_charts(example_repo, tmp_path):
    out1, out2 = tmp_path / "o1", tmp_path / "o2"
    for out in (out1, out2):
        proc = run_qms("--repo", str(example_repo), "supplier", "scorecard", "--as-of", "2026-11-25", "--out", str(out))
        assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out1.iterdir())
    assert names == ["supplier_scorecard.xlsx", *(f"supplier_trend_SUP-00{i}.png" for i in range(1, 7))]
    for name in names:  # byte-identical twice: PNGs and the workbook
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name
    png = (out1 / "supplier_trend_SUP-004.png").read_bytes()
    assert png.startswith(b"\x89PNG") and b"Software" not in png
    wb = load_workbook(out1 / "supplier_scorecard.xlsx")
    assert wb.sheetnames == ["Summary", "Periods", "Policy"]
    summary = wb["Summary"]
    header = [c.value for c in summary[1]]
    rows = {r[0].value: r for r in summary.iter_rows(min_row=2)}
    assert sorted(rows) == [f"SUP-00{i}" for i in range(1, 7)]
    sup4 = {h: c.value for h, c in zip(header, rows["SUP-004"])}
    assert (sup4["Period"], sup4["Score"], sup4["Grade"], sup4["Re-evaluate"]) == ("2026-Q3", 63.3, "C", "yes")
    assert all(c.fill.fgColor.rgb.endswith("FFC7CE") for c in rows["SUP-004"])
    assert not any(c.fill.fgColor.rgb.endswith("FFC7CE") for c in rows["SUP-001"])
    periods = wb["Periods"]
    pheader = [c.value for c in periods[1]]
    prow = [dict(zip(pheader, (c.value for c in r))) for r in periods.iter_rows(min_row=2)]
    assert len(prow) == 13
    q3 = next(r for r in prow if r["Supplier"] == "SUP-004" and r["Period"] == "2026-Q3")
    got = (q3["Receipts"], q3["Lots accepted"], q3["Quality %"], q3["Delivery %"], q3["PPM"])
    assert got == (6, 4, 66.7, 33.3, 25000)
    assert q3["Re-evaluate"] == "yes"
    assert periods.freeze_panes == "A2" and periods["A1"].font.bold
