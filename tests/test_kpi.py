"""`qms kpi`: management review KPIs (ISO 13485 5.6.2), every figure computed by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support import make_repo, run_qms

from generator.analysis.kpi import default_period, parse_period


def _capa(n: int, status: str, opened: str, due: str | None = None, closed: str | None = None) -> str:
    text = f"id: CAPA-2026-{n:03d}\ntitle: CAPA {n}\nstatus: {status}\nopened: {opened}\n"
    text += f"due: {due}\n" if due else ""
    text += f"closed: {closed}\n" if closed else ""
    return text


def _nc(n: int, status: str, source: str, detected: str, supplier: str | None = None) -> str:
    text = f"id: NC-2026-{n:03d}\ntitle: NC {n}\nstatus: {status}\nsource: {source}\ndetected: {detected}\n"
    return text + (f"supplier: {supplier}\n" if supplier else "")


def _complaint(n: int, received: str, reportable: bool, reports: str = "") -> str:
    return (f"id: CMP-2026-{n:03d}\ntitle: Complaint {n}\nstatus: investigation\nreceived: {received}\n"
            f"reportable: {'true' if reportable else 'false'}\n{reports}")


# Period 2026-Q3 = 2026-07-01 .. 2026-09-30; as of 2026-11-25.
FILES = {
    # Minimums lowered so that the figures below are rates; the defaults (30 units, 10 CAPAs) are in
    # test_minimums_by_default.
    "specs/policies/POL-REVIEW.yaml":
        "id: POL-REVIEW\ntitle: Review\nstatus: effective\npolicy: management_review\nmin_units: 20\nmin_capas: 3\n",
    # CAPAs closed in Q3:
    #   001 opened 06-01 due 08-01 closed 07-21: on time, 29 + 21 = 50 days
    #   002 opened 05-10 due 08-10 closed 09-09: late,   21 + 30 + 31 + 31 + 9 = 122 days
    #   003 opened 07-01 due 09-30 closed 09-30: on time (closed == due), 30 + 31 + 30 = 91 days
    #   => on-time 2/3 = 66.67 %, median of (50, 91, 122) = 91 days
    # 004 closed 06-20 after due 05-01: Q2 only (trend Q2 0/1 = 0 %)
    # Open at the end of Q3, 2026-09-30 (age = 09-30 - opened):
    #   006 opened 08-27: 4 + 30 = 34 d -> 31-90;   007 opened 08-26: 35 d -> 31-90
    #   008 opened 2025-12-01: 30 + 273 = 303 d -> >180
    #   005 opened 11-20: after the period, in no band; 003 closed on 09-30: not open at the end.
    # 009 cancelled: counts nowhere.
    "records/events/capa/CAPA-2026-001.yaml": _capa(1, "closed", "2026-06-01", "2026-08-01", "2026-07-21"),
    "records/events/capa/CAPA-2026-002.yaml": _capa(2, "closed", "2026-05-10", "2026-08-10", "2026-09-09"),
    "records/events/capa/CAPA-2026-003.yaml": _capa(3, "closed", "2026-07-01", "2026-09-30", "2026-09-30"),
    "records/events/capa/CAPA-2026-004.yaml": _capa(4, "closed", "2026-04-01", "2026-05-01", "2026-06-20"),
    "records/events/capa/CAPA-2026-005.yaml": _capa(5, "open", "2026-11-20", "2027-02-18"),
    "records/events/capa/CAPA-2026-006.yaml": _capa(6, "investigation", "2026-08-27", "2026-11-25"),
    "records/events/capa/CAPA-2026-007.yaml": _capa(7, "action", "2026-08-26", "2026-11-24"),
    "records/events/capa/CAPA-2026-008.yaml": _capa(8, "effectiveness_check", "2025-12-01", "2026-03-01"),
    "records/events/capa/CAPA-2026-009.yaml": _capa(9, "cancelled", "2026-07-05") + "cancel_reason: duplicate\n",
    # NCs detected in Q3: 001 (incoming, SUP-001), 002 (incoming, SUP-001), 003 (production, SUP-002, 09-30),
    # 004 (audit, no supplier, 07-01) => 4: incoming 2, production 1, audit 1; SUP-001 2, SUP-002 1, none 1.
    # Not counted: 005 (06-30, Q2 -> trend Q2 = 1), 006 (cancelled), 007 (10-01, Q4).
    "records/events/nc/NC-2026-001.yaml": _nc(1, "closed", "incoming_inspection", "2026-07-02", "SUP-001"),
    "records/events/nc/NC-2026-002.yaml": _nc(2, "open", "incoming_inspection", "2026-08-15", "SUP-001"),
    "records/events/nc/NC-2026-003.yaml": _nc(3, "open", "production", "2026-09-30", "SUP-002"),
    "records/events/nc/NC-2026-004.yaml": _nc(4, "open", "audit", "2026-07-01"),
    "records/events/nc/NC-2026-005.yaml": _nc(5, "open", "production", "2026-06-30"),
    "records/events/nc/NC-2026-006.yaml": _nc(6, "cancelled", "production", "2026-08-01"),
    "records/events/nc/NC-2026-007.yaml": _nc(7, "open", "audit", "2026-10-01"),
    # Complaints received in Q3: 001 (07-15), 002 (09-30) => 2. 003 is Q2, 004 is Q4.
    # Reportable, received by 09-30 with no report submitted by then: 001 (no reports), 002 (sent 10-05) => 2.
    # 004 (received 10-02) is after the period.
    "records/events/complaints/CMP-2026-001.yaml": _complaint(1, "2026-07-15", True),
    "records/events/complaints/CMP-2026-002.yaml": _complaint(
        2, "2026-09-30", True, "reports:\n  - authority: eu_mdr\n    submitted: 2026-10-05\n"),
    "records/events/complaints/CMP-2026-003.yaml": _complaint(3, "2026-06-30", False),
    "records/events/complaints/CMP-2026-004.yaml": _complaint(
        4, "2026-10-02", True, "reports:\n  - authority: eu_mdr\n"),
    # Finished lots manufactured in Q3 with counts: Line A = F-1 (90/100) + F-2 (49/50) = 139/150 = 92.67 %;
    # Line B = F-3 (60/80, rejected still counts) = 75 %; no line = F-5 (19/20) = 95 %.
    # Not counted: F-4 (Q2), C-1 (component), F-6 (no counts).
    "records/production/lots.csv":
        "id,status,lot_type,material,production_line,manufactured,units_started,units_passed_first\n"
        "LOT-F-1,released,finished,MAT-001,Line A,2026-07-05,100,90\n"
        "LOT-F-2,released,finished,MAT-001,Line A,2026-08-05,50,49\n"
        "LOT-F-3,rejected,finished,MAT-001,Line B,2026-09-01,80,60\n"
        "LOT-F-4,released,finished,MAT-001,Line B,2026-06-15,10,0\n"
        "LOT-F-5,released,finished,MAT-001,,2026-08-20,20,19\n"
        "LOT-C-1,accepted,component,MAT-002,Line A,2026-07-01,10,1\n"
        "LOT-F-6,released,finished,MAT-001,Line A,2026-08-01,,\n",
    "records/production/serial_units.csv":
        "id,status,lot,serial\n"
        + "".join(f"SN-{i},shipped,LOT-F-1,S{i}\n" for i in range(1, 7)),
    # Shipped in Q3: SHP-1 (07-10) 3 serial units; SHP-2 (09-30) 1 serial unit + 46 of LOT-F-3 => 50 units.
    # Not counted: SHP-3 (06-30), SHP-4 (planned, no date). Rate = 2 / 50 x 1000 = 40 per 1,000.
    "records/production/shipments.csv":
        "id,status,customer,shipped,units,lots\n"
        "SHP-1,delivered,Acme,2026-07-10,\"SN-1\nSN-2\nSN-3\",\n"
        "SHP-2,delivered,Acme,2026-09-30,SN-4,LOT-F-3=46\n"
        "SHP-3,delivered,Acme,2026-06-30,SN-5,\n"
        "SHP-4,planned,Acme,,SN-6,\n",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return make_repo(tmp_path_factory.mktemp("kpi"), FILES)


def _kpi(repo: Path, *args: str) -> dict:
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def test_every_kpi_by_hand(repo):
    out = _kpi(repo, "--period", "2026-Q3")
    assert (out["period"], out["start"], out["end"], out["complete"]) == ("2026-Q3", "2026-07-01", "2026-09-30", True)
    k = out["kpis"]
    on_time = k["capa_on_time"]
    assert (on_time["closed"], on_time["on_time"], on_time["rate_percent"]) == (3, 2, 66.67)
    assert on_time["sources"] == ["CAPA-2026-001", "CAPA-2026-002", "CAPA-2026-003"]
    assert k["capa_cycle_time"]["median_days"] == 91 and k["capa_cycle_time"]["count"] == 3
    age = k["open_capa_age"]
    assert age["bands"] == {"0-30": 0, "31-90": 2, "91-180": 0, ">180": 1} and age["total"] == 3
    assert age["ages"] == {"CAPA-2026-006": 34, "CAPA-2026-007": 35, "CAPA-2026-008": 303}
    assert age["sources"] == ["CAPA-2026-006", "CAPA-2026-007", "CAPA-2026-008"]
    assert (age["at"], age["after_period"]) == ("2026-09-30", ["CAPA-2026-005"])
    src = k["nc_by_source"]
    assert src["total"] == 4 and src["counts"] == {"audit": 1, "incoming_inspection": 2, "production": 1}
    assert src["sources"] == ["NC-2026-001", "NC-2026-002", "NC-2026-003", "NC-2026-004"]
    sup = k["nc_by_supplier"]
    assert sup["counts"] == {"SUP-001": 2, "SUP-002": 1} and sup["without_supplier"] == 1
    assert sup["sources"] == ["NC-2026-001", "NC-2026-002", "NC-2026-003"]
    rate = k["complaint_rate"]
    assert (rate["complaints"], rate["serial_units"], rate["lot_quantity"], rate["units_shipped"]) == (2, 4, 46, 50)
    assert rate["per_1000"] == 40
    assert rate["sources"] == ["CMP-2026-001", "CMP-2026-002", "SHP-1", "SHP-2"]
    fpy = k["first_pass_yield"]["lines"]
    assert {line: (v["started"], v["passed_first"], v["percent"]) for line, v in fpy.items()} == {
        "(no line)": (20, 19, 95.0), "Line A": (150, 139, 92.67), "Line B": (80, 60, 75.0)}
    assert k["first_pass_yield"]["sources"] == ["LOT-F-1", "LOT-F-2", "LOT-F-3", "LOT-F-5"]
    assert k["overdue_vigilance"]["count"] == 2
    assert k["overdue_vigilance"]["sources"] == ["CMP-2026-001", "CMP-2026-002"]
    assert out["minimums"] == {"units": 20, "capas": 3, "period": "quarter", "policy": "POL-REVIEW"}
    assert out["trend"] == [
        {"period": "2025-Q4", "capa_closed": 0, "capa_on_time": 0, "capa_on_time_percent": None, "nc_count": 0},
        {"period": "2026-Q1", "capa_closed": 0, "capa_on_time": 0, "capa_on_time_percent": None, "nc_count": 0},
        # one CAPA closed in Q2, fewer than the policy's 3: no rate
        {"period": "2026-Q2", "capa_closed": 1, "capa_on_time": 0, "capa_on_time_percent": None, "nc_count": 1},
        {"period": "2026-Q3", "capa_closed": 3, "capa_on_time": 2, "capa_on_time_percent": 66.67, "nc_count": 4},
    ]


def test_default_period_is_last_complete_quarter(repo):
    assert _kpi(repo)["period"] == "2026-Q3"
    assert default_period(dt.date(2026, 10, 1)).label == "2026-Q3"
    assert default_period(dt.date(2026, 9, 30)).label == "2026-Q2"
    assert default_period(dt.date(2026, 1, 15)).label == "2025-Q4"


def test_month_and_year_periods(repo):
    # September 2026: CAPA-002 (late) and -003 (on time) closed; NC-003 detected; CMP-002 received; SHP-2 = 47 units.
    sep = _kpi(repo, "--period", "2026-09")["kpis"]
    # two CAPAs closed in September, fewer than the policy's 3: counted, no rate
    assert (sep["capa_on_time"]["closed"], sep["capa_on_time"]["on_time"], sep["capa_on_time"]["rate_percent"]) == (
        2, 1, None)
    assert sep["nc_by_source"]["counts"] == {"production": 1}
    assert sep["complaint_rate"]["units_shipped"] == 47 and sep["complaint_rate"]["per_1000"] == 21.28
    # 2026 up to as-of: CAPAs 001-004 closed, 2 on time = 50 %; median of (50, 80, 91, 122) = 85.5 days.
    year = _kpi(repo, "--period", "2026")
    assert year["complete"] is False and year["kpis"]["capa_on_time"]["rate_percent"] == 50.0
    assert year["kpis"]["capa_cycle_time"]["median_days"] == 85.5
    assert [t["period"] for t in year["trend"]] == ["2023", "2024", "2025", "2026"]


def test_period_parsing():
    assert parse_period("2026-Q3").start == dt.date(2026, 7, 1) and parse_period("2026-q3").end == dt.date(2026, 9, 30)
    assert (parse_period("2026-02").end, parse_period("2024-02").end) == (dt.date(2026, 2, 28), dt.date(2024, 2, 29))
    assert parse_period("2026").end == dt.date(2026, 12, 31)
    assert parse_period("2026-Q1").previous().label == "2025-Q4"
    assert parse_period("2026-01").previous().label == "2025-12"
    for bad in ("2026-Q5", "2026-13", "26-Q1", "Q3", "2026-Q3x", ""):
        with pytest.raises(ValueError):
            parse_period(bad)


@pytest.mark.parametrize("bad", ["2026-Q5", "2026-00", "last quarter"])
def test_bad_period_exits_2(repo, bad):
    proc = run_qms("--repo", str(repo), "kpi", "--period", bad)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--period" in proc.stderr and "YYYY-Qn" in proc.stderr


def test_text_output(repo):
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", "--period", "2026-Q3")
    assert proc.returncode == 0, proc.stderr
    assert "Quality KPIs 2026-Q3" in proc.stdout and "Line A" in proc.stdout and "66.67" in proc.stdout


def test_documents_and_determinism(repo, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    outs = []
    for name in ("a", "b"):
        proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", "--period", "2026-Q3",
                       "--out", str(tmp_path / name))
        assert proc.returncode == 0, proc.stderr
        outs.append(tmp_path / name)
    for file in ("management_review_input.docx", "kpi.xlsx"):
        assert (outs[0] / file).read_bytes() == (outs[1] / file).read_bytes(), file
    doc = Document(str(outs[0] / "management_review_input.docx"))
    # The controlled document of the dossier (TC-MRI-001): title page, approval block and contents first.
    assert doc.core_properties.identifier == "TC-MRI-001"
    assert [p.text for p in doc.paragraphs][:3] == ["Test Co", "Test Pump",
                                                     "Management review input 2026-Q3 (ISO 13485 5.6.2)"]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    # the ISO 13485 5.6.2 inputs in order, each KPI under the input it serves
    assert headings == [
        "Revision history", "Approvals", "Contents", "a) Feedback", "b) Complaint handling",
        "Complaint rate per 1,000 units shipped", "c) Reporting to regulatory authorities",
        "Vigilance reports outstanding", "d) Audits", "e) Monitoring and measurement of processes",
        "First-pass yield by production line", "Nonconformances by source", "Nonconformances by supplier",
        "f) Monitoring and measurement of product", "g) Corrective action", "CAPA on-time closure",
        "CAPA cycle time", "Open CAPAs by age", "h) Preventive action",
        "i) Follow-up actions from previous management reviews",
        "j) Changes that could affect the quality management system", "k) Recommendations for improvement",
        "l) Applicable new or revised regulatory requirements", "Trends",
        # what is owed on the review date, as in the dossier's copy of this document (qms due's dashboard)
        "Open obligations as of 2026-11-25", "Records by input", "Source records"]
    assert "Uncontrolled copy" not in "\n".join(p.text for p in doc.paragraphs)
    assert any("Period: 2026-Q3 (2026-07-01 to 2026-09-30)" in p.text for p in doc.paragraphs)
    # title page, revision history (a first issue in draft), signature lines, 19 tables of the inputs and their
    # KPIs (none empty: the vigilance KPI lists CMP-2026-001 and -002), trend, the open obligations (by area,
    # by owner, then listed), source records
    assert len(doc.tables) == 27 and len(doc.inline_shapes) == 1
    assert [[c.text for c in r.cells] for r in doc.tables[1].rows][1][2:4] == ["DRAFT — not approved",
                                                                            "First issue, in draft"]
    fpy = doc.tables[12]
    assert [c.text for c in fpy.rows[0].cells] == ["Line", "Started", "Passed first", "FPY %", "Lots"]
    assert [[c.text for c in r.cells][:4] for r in fpy.rows[1:]] == [
        ["(no line)", "20", "19", "95"], ["Line A", "150", "139", "92.67"], ["Line B", "80", "60", "75"]]
    trend = doc.tables[22]
    assert [[c.text for c in r.cells] for r in trend.rows][-2:] == [["2026-Q2", "1", "0", "n/a", "1"],
                                                                  ["2026-Q3", "3", "2", "66.67", "4"]]
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets[0] == "CAPA-2026-001 CAPA 1: g)"
    assert doc.core_properties.created.replace(tzinfo=None) == dt.datetime(2000, 1, 1)
    wb = load_workbook(outs[0] / "kpi.xlsx")
    assert wb.sheetnames[0] == "Summary" and "Trend" in wb.sheetnames and "Sources" in wb.sheetnames
    assert wb["Trend"]["D5"].value == 66.67


def test_out_must_be_a_folder(repo, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_qms("--repo", str(repo), "kpi", "--as-of", "2026-11-25", "--out", str(blocker))
    assert proc.returncode == 2 and "is a file" in proc.stderr and blocker.read_text() == "x"


def test_worked_example(example_repo):
    """The example repository, 2026-Q3 as of 2026-11-25, by hand from records/:

    - NCs detected 07-01..09-30: NC-2026-001 (07-02), -002 (08-12), -004 (09-01), -006 (08-10), -007 (09-10),
      -008 (07-10) = 6; SUP-004 named on 001, 002, 004 = 3. (NC-003 is March, NC-005 November.)
    - Complaints received in Q3: CMP-2026-001 (09-14), CMP-2026-003 (07-08) = 2; shipments shipped in Q3:
      SHP-2026-006 (07-14, 4 units) and SHP-2026-007 (09-21, 4 units) = 8, fewer than the default minimum of 30
      units (no review policy in force: POL-REVIEW is a draft), so no rate (2 / 8 would read 250 per 1,000).
    - Open CAPAs at 09-30: CAPA-2026-002 opened 09-03 (27 d), -003 09-25 (5 d): 0-30 two; CAPA-2026-001, opened
      03-16 (198 d, >180): its June closure rested on one lot where its criteria name two, so on review it was
      reopened and closed again on 11-25 (the record's closed date); CAPA-2026-004 (11-10) is after the period.
    - No CAPA closed in Q3, nor in Q2 any more.
    """
    proc = run_qms("--repo", str(example_repo), "kpi", "--as-of", "2026-11-25", "--period", "2026-Q3", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    k = json.loads(proc.stdout)["kpis"]
    assert k["nc_by_source"]["total"] == 6 and k["nc_by_supplier"]["counts"] == {"SUP-004": 3}
    assert k["complaint_rate"]["per_1000"] is None and k["complaint_rate"]["units_shipped"] == 8
    assert k["complaint_rate"]["minimum"] == 30
    assert k["open_capa_age"]["bands"] == {"0-30": 2, "31-90": 0, "91-180": 0, ">180": 1}
    assert k["open_capa_age"]["ages"] == {"CAPA-2026-001": 198, "CAPA-2026-002": 27, "CAPA-2026-003": 5}
    assert k["open_capa_age"]["after_period"] == ["CAPA-2026-004"]
    assert k["capa_on_time"]["closed"] == 0 and k["capa_on_time"]["rate_percent"] is None
    trend = json.loads(proc.stdout)["trend"]
    assert trend[2] == {"period": "2026-Q2", "capa_closed": 0, "capa_on_time": 0, "capa_on_time_percent": None,
                        "nc_count": 0}
