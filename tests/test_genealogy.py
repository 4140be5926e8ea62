"""Genealogy, recall and the production/UDI rules (QMS520-QMS527)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from support import ROOT, make_repo, run_qms, validate_json

# --------------------------------------------------------------------------- the worked example, by hand


def _sheet(path: Path, name: str) -> list[dict]:
    ws = load_workbook(path, read_only=True, data_only=True)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:] if r and r[0]]


def _split(cell) -> list[str]:
    return [p.strip() for p in re.split(r"[;\n]", str(cell or "")) if p.strip()]


def _expected(supplier_lot: str) -> tuple[set[str], set[str], set[str], set[str]]:
    """(finished lots, serials, customers, shipments) the workbook implies for a supplier lot, read with openpyxl."""
    book = ROOT / "records/production/production.xlsx"
    lots = _sheet(book, "Lots")
    units = _sheet(book, "Serial units")
    shipments = _sheet(book, "Shipments")
    receipts = _sheet(ROOT / "records/supply/receiving.xlsx", "Receipts")
    start = {lot["id"] for lot in lots if lot["supplier_lot"] == supplier_lot}
    start |= {r["lot"] for r in receipts if r["supplier_lot"] == supplier_lot and r["lot"]}
    consumed_by = {lot["id"]: {c.split("=")[0].strip() for c in _split(lot["consumes"])} for lot in lots}
    reached = set(start)
    changed = True
    while changed:  # a fixed point, not the index's graph walk
        changed = False
        for lot_id, used in consumed_by.items():
            if lot_id not in reached and used & reached:
                reached.add(lot_id)
                changed = True
    finished = {lot["id"] for lot in lots if lot["id"] in reached and lot["lot_type"] == "finished"}
    unit_ids = {u["id"] for u in units if u["lot"] in finished}
    serials = {u["serial"] for u in units if u["lot"] in finished}
    carrying = [s for s in shipments if set(_split(s["units"])) & unit_ids]
    return finished, serials, {s["customer"] for s in carrying}, {s["id"] for s in carrying}


@pytest.mark.parametrize("supplier_lot", ["KPM-25-1187", "SON-A-26-213", "BEM-D-25120"])
def test_recall_of_an_example_supplier_lot_is_exactly_what_the_workbook_implies(example_repo, supplier_lot):
    finished, serials, customers, shipments = _expected(supplier_lot)
    assert finished and serials and customers  # the example supplier lots reach the field
    proc = run_qms("--repo", str(example_repo), "recall", "--supplier-lot", supplier_lot, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {lot["id"] for lot in out["affected_lots"]} == finished
    assert {u["serial"] for u in out["affected_serials"]} == serials
    assert set(out["customers"]) == customers
    assert {s["id"] for s in out["shipments"]} == shipments
    assert out["counts"]["affected_serials"] == len(serials)
    assert {"affected_lots", "affected_serials", "customers", "shipments", "counts", "countries", "components",
            "suppliers"} <= set(out)


def test_recall_text_and_backward_trace_of_a_finished_lot(example_repo):
    proc = run_qms("--repo", str(example_repo), "recall", "--lot", "LOT-F-2604")
    assert proc.returncode == 0, proc.stderr
    assert "LOT-F-2604" in proc.stdout and "Ospedale San Lorenzo" in proc.stdout
    out = json.loads(run_qms("--repo", str(example_repo), "recall", "--lot", "LOT-F-2604", "--format", "json").stdout)
    lots = _sheet(ROOT / "records/production/production.xlsx", "Lots")
    row = next(lot for lot in lots if lot["id"] == "LOT-F-2604")
    used = {c.split("=")[0].strip() for c in _split(row["consumes"])}
    assert {c["lot"] for c in out["components"]} == used
    assert set(out["suppliers"]) == {lot["supplier"] for lot in lots if lot["id"] in used}


def test_recall_by_serial_and_by_udi_name_the_one_unit(example_repo):
    for args in (("--serial", "VP2-2601-003"), ("--serial", "SN-VP2-2601-003"),
                 ("--udi", "(01)05391234562002(17)360209(10)LOT-F-2601(21)VP2-2601-003")):
        out = json.loads(run_qms("--repo", str(example_repo), "recall", *args, "--format", "json").stdout)
        assert [u["id"] for u in out["affected_serials"]] == ["SN-VP2-2601-003"]
        assert [s["id"] for s in out["shipments"]] == ["SHP-2026-001"]
        assert out["countries"] == ["DE"]


@pytest.mark.parametrize("args", [(), ("--lot", "LOT-F-2601", "--serial", "VP2-2601-001"),
                                  ("--lot", "LOT-NOPE"), ("--supplier-lot", "NOPE"), ("--serial", "NOPE"),
                                  ("--udi", "(01)05391234562003(10)LOT-F-2601"),
                                  ("--supplier-lot", "SUP-001:SON-A-26-213")])
def test_selector_errors_exit_2_with_a_message(example_repo, args):
    proc = run_qms("--repo", str(example_repo), "recall", *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


def test_qualified_supplier_lot_and_ambiguity(tmp_path):
    repo = make_repo(tmp_path, {
        "records/production/lots.csv": LOTS_HEADER
        + "LOT-C-1,accepted,component,MAT-002,SUP-001,ABC,,,,,\n"
        + "LOT-C-2,accepted,component,MAT-002,SUP-002,ABC,,,,,\n"
        + "LOT-F-1,released,finished,MAT-001,,,LOT-C-1=1,true,2026-02-20,2036-02-09,\n",
    })
    proc = run_qms("--repo", str(repo), "recall", "--supplier-lot", "ABC")
    assert proc.returncode == 2 and "SUP-001:ABC" in proc.stderr and "SUP-002:ABC" in proc.stderr
    out = json.loads(run_qms("--repo", str(repo), "recall", "--supplier-lot", "SUP-001:ABC", "--format", "json").stdout)
    assert [lot["id"] for lot in out["affected_lots"]] == ["LOT-F-1"]
    out = json.loads(run_qms("--repo", str(repo), "recall", "--supplier-lot", "SUP-002:ABC", "--format", "json").stdout)
    assert out["affected_lots"] == [] and [c["lot"] for c in out["components"]] == ["LOT-C-2"]


def test_transitive_through_a_subassembly(tmp_path):
    repo = make_repo(tmp_path, {
        "records/production/lots.csv": LOTS_HEADER
        + "LOT-C-1,accepted,component,MAT-002,SUP-001,X1,,,,,\n"
        + "LOT-S-1,consumed,subassembly,MAT-003,,,LOT-C-1=2,true,,,\n"
        + "LOT-F-1,released,finished,MAT-001,,,LOT-S-1=1,true,2026-02-20,2036-02-09,\n",
        "records/production/serial_units.csv": UNITS_HEADER + f"SN-1,shipped,LOT-F-1,S1,{GOOD_UDI}\n",
        "records/production/shipments.csv": SHIP_HEADER + "SHP-1,delivered,Acme Hospital,DE,2026-02-24,SN-1\n",
    })
    out = json.loads(run_qms("--repo", str(repo), "recall", "--supplier-lot", "X1", "--format", "json").stdout)
    assert [lot["id"] for lot in out["affected_lots"]] == ["LOT-F-1"]
    assert out["intermediate_lots"] == ["LOT-C-1", "LOT-S-1"]
    assert out["customers"] == ["Acme Hospital"] and out["countries"] == ["DE"]
    back = json.loads(run_qms("--repo", str(repo), "recall", "--lot", "LOT-F-1", "--format", "json").stdout)
    assert [c["lot"] for c in back["components"]] == ["LOT-C-1", "LOT-S-1"]
    assert back["suppliers"] == ["SUP-001"]


def test_out_writes_a_workbook_and_summary_byte_for_byte(example_repo, tmp_path):
    paths = []
    for name in ("a", "b"):
        proc = run_qms("--repo", str(example_repo), "recall", "--supplier-lot", "KPM-25-1187", "--out", str(tmp_path / name))
        assert proc.returncode == 0, proc.stderr
        paths.append(tmp_path / name)
    for f in ("recall_impact.xlsx", "recall_summary.docx"):
        assert (paths[0] / f).read_bytes() == (paths[1] / f).read_bytes()
    wb = load_workbook(paths[0] / "recall_impact.xlsx")
    assert wb.sheetnames == ["Summary", "Units by customer", "Affected lots", "Affected serials", "Components"]
    rows = list(wb["Units by customer"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Customer", "Country", "Shipment", "Shipped", "Serial unit")
    _, serials, customers, _ = _expected("KPM-25-1187")
    shipped = {r[5] for r in rows[1:]}
    assert shipped <= serials and {r[0] for r in rows[1:]} == customers
    assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
    from docx import Document

    text = "\n".join(p.text for p in Document(str(paths[0] / "recall_summary.docx")).paragraphs)
    assert "KPM-25-1187" in text and "LOT-F-2601" in text


# --------------------------------------------------------------------------- rules on small repositories

GTIN = "05391234562002"
GOOD_UDI = f"(01){GTIN}(17)360209(10)LOT-F-1(21)S1"
MATERIALS = {
    "records/materials/MAT-001.yaml": f"id: MAT-001\ntitle: Pump\nstatus: approved\ntype: finished_device\n"
                                      f"gtin: \"{GTIN}\"\n",
    "records/materials/MAT-002.yaml": "id: MAT-002\ntitle: Motor\nstatus: approved\ntype: component\n",
    "records/materials/MAT-003.yaml": "id: MAT-003\ntitle: Drive\nstatus: approved\ntype: subassembly\n",
}
LOTS_HEADER = "id,status,lot_type,material,supplier,supplier_lot,consumes,dhr_complete,released,expiry,owner\n"
UNITS_HEADER = "id,status,lot,serial,udi\n"
SHIP_HEADER = "id,status,customer,country,shipped,units\n"


def _production(component="accepted", finished="released,finished,MAT-001,,,LOT-C-1=1,true,2026-02-20,2036-02-09",
                udi=GOOD_UDI, shipped="2026-02-24", ncs: dict | None = None, tmp: Path | None = None,
                materials: dict | None = None) -> list[dict]:
    files = dict(materials or MATERIALS)
    files.update({
        "records/production/lots.csv": LOTS_HEADER + f"LOT-C-1,{component},component,MAT-002,,K1,,,,,\n"
        + f"LOT-F-1,{finished},\n",
        "records/production/serial_units.csv": UNITS_HEADER + f"SN-1,shipped,LOT-F-1,S1,\"{udi}\"\n",
        "records/production/shipments.csv": SHIP_HEADER + f"SHP-1,delivered,Acme,DE,{shipped},SN-1\n",
    })
    files.update(ncs or {})
    repo = make_repo(tmp, files)
    _, out = validate_json(repo, "--no-cache", "--as-of", "2026-11-25")
    return [f for f in out["findings"] if f["code"].startswith("QMS52")]


def _codes(findings: list[dict]) -> list[str]:
    return sorted(f["code"] for f in findings)


def test_clean_production_fires_no_rule(tmp_path):
    assert _production(tmp=tmp_path) == []


@pytest.mark.parametrize("udi,code,words", [
    ("(01)05391234562003(17)360209(10)LOT-F-1(21)S1", "QMS520", "check digit"),
    ("(01)0539123456(10)LOT-F-1", "QMS520", "cannot be read"),
    (f"(01){GTIN}(17)360209(10)LOT-F-9(21)S1", "QMS521", "LOT-F-9"),
    (f"(01){GTIN}(17)360209(10)LOT-F-1(21)S2", "QMS521", "S2"),
    (f"(01){GTIN}(17)360210(10)LOT-F-1(21)S1", "QMS522", "2036-02-10"),
    ("(01)05391234562019(17)360209(10)LOT-F-1(21)S1", "QMS523", "05391234562019"),
])
def test_udi_rules(tmp_path, udi, code, words):
    found = _production(udi=udi, tmp=tmp_path)
    assert _codes(found) == [code]
    assert words in found[0]["message"]
    assert "serial_units.csv:2" in found[0]["location"] and found[0]["record"] == "SN-1"


def test_a_label_matching_its_records_is_still_checked_for_a_bad_gtin(tmp_path):
    """Labels equal to what the records say skip the parser, but never a GTIN whose check digit is wrong."""
    bad = GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10)
    label = f"(01){bad}(17)360209(10)LOT-F-1(21)S1"
    materials = dict(MATERIALS)
    materials["records/materials/MAT-001.yaml"] = materials["records/materials/MAT-001.yaml"].replace(GTIN, bad)
    found = _production(udi=label, tmp=tmp_path, materials=materials)
    assert _codes(found) == ["QMS520"] and "check digit" in found[0]["message"]


def test_a_material_gtin_with_a_wrong_check_digit_is_a_located_schema_error(tmp_path):
    bad = GTIN[:-1] + str((int(GTIN[-1]) + 1) % 10)
    repo = make_repo(tmp_path, {"records/materials/MAT-001.yaml": MATERIALS["records/materials/MAT-001.yaml"]
                                .replace(GTIN, bad)})
    _, out = validate_json(repo, "--no-cache", "--as-of", "2026-11-25")
    assert [(f["code"], f["location"]) for f in out["findings"]] == [("QMS111", "records/materials/MAT-001.yaml:5")]
    assert f"Expected {GTIN[-1]}, got {bad[-1]}" in out["findings"][0]["message"]


def test_the_same_label_scanned_raw_passes_like_its_printed_form(tmp_path):
    raw = GOOD_UDI.replace("(01)", "01").replace("(17)", "17").replace("(10)", "10").replace("(21)", "\x1d21")
    assert _production(udi=raw.encode().decode("unicode_escape"), tmp=tmp_path) == []


def test_shipped_before_release_and_from_unreleased_lot(tmp_path):
    found = _production(shipped="2026-02-10", tmp=tmp_path / "early")
    assert _codes(found) == ["QMS524"] and "before the lot's release on 2026-02-20" in found[0]["message"]
    assert found[0]["record"] == "SHP-1" and "shipments.csv:2" in found[0]["location"]
    found = _production(finished="quarantine,finished,MAT-001,,,LOT-C-1=1,true,,2036-02-09", tmp=tmp_path / "q")
    assert _codes(found) == ["QMS524"] and "quarantine" in found[0]["message"]


def test_released_lot_checks(tmp_path):
    found = _production(component="quarantine", tmp=tmp_path / "c")
    assert _codes(found) == ["QMS526"] and "LOT-C-1" in found[0]["message"]
    found = _production(finished="released,finished,MAT-001,,,LOT-C-1=1,false,2026-02-20,2036-02-09",
                        tmp=tmp_path / "d")
    assert _codes(found) == ["QMS527"] and found[0]["record"] == "LOT-F-1"
    nc = ("id: NC-2026-001\ntitle: Scratch\nstatus: {status}\nsource: production\ndetected: 2026-02-15\n"
          "affected_lots: [LOT-F-1]\n")
    found = _production(ncs={"records/events/nc/NC-2026-001.yaml": nc.format(status="open")}, tmp=tmp_path / "n")
    assert "QMS525" in _codes(found)
    found = _production(ncs={"records/events/nc/NC-2026-001.yaml": nc.format(status="closed")}, tmp=tmp_path / "k")
    assert "QMS525" not in _codes(found)
    # detected after the release of 2026-02-20: a field problem, not a release made over an open NC
    later = nc.format(status="open").replace("detected: 2026-02-15", "detected: 2026-03-02")
    found = _production(ncs={"records/events/nc/NC-2026-001.yaml": later}, tmp=tmp_path / "l")
    assert "QMS525" not in _codes(found)
    # the lot put back in quarantine: the finding clears, as its hint says
    found = _production(finished="quarantine,finished,MAT-001,,,LOT-C-1=1,true,2026-02-20,2036-02-09",
                        ncs={"records/events/nc/NC-2026-001.yaml": nc.format(status="open")}, tmp=tmp_path / "qn")
    assert "QMS525" not in _codes(found)


def test_rules_are_listed():
    proc = run_qms("rules")
    for code in ("QMS520", "QMS521", "QMS522", "QMS523", "QMS524", "QMS525", "QMS526", "QMS527"):
        assert code in proc.stdout


# --------------------------------------------------------------------------- the columnar fast path


@pytest.mark.parametrize("args", [("--supplier-lot", "KPM-25-1187"), ("--supplier-lot", "SON-A-26-181"),
                                  ("--lot", "LOT-F-2604"), ("--serial", "VP2-2602-009"),
                                  ("--udi", "(01)05391234562002(17)360511(10)LOT-F-2603")])
def test_fast_path_answers_exactly_as_the_record_path(example_repo, args):
    slow = run_qms("--repo", str(example_repo), "recall", *args, "--format", "json")
    fast = run_qms("--repo", str(example_repo), "recall", *args, "--format", "json", "--fast")
    assert slow.returncode == fast.returncode == 0, slow.stderr + fast.stderr
    assert json.loads(fast.stdout) == json.loads(slow.stdout)


def test_fast_index_equals_record_index_on_csv_and_yaml(tmp_path):
    from generator.analysis.genealogy import KINDS_READ, build_index, index_from_scan
    from generator.load.columnar import scan
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet

    repo = make_repo(tmp_path, {
        "records/production/lots.csv": LOTS_HEADER
        + "LOT-C-1,accepted,component,MAT-002,SUP-001,X1,,,,,\n"
        + "LOT-S-1,consumed,subassembly,MAT-003,,,LOT-C-1=2; LOT-C-2=1,true,,,\n"
        + "LOT-F-1,released,finished,MAT-001,,,LOT-S-1=1,true,2026-02-20,2036-02-09,\n",
        "records/production/LOT-C-2.yaml": "id: LOT-C-2\nstatus: accepted\nlot_type: component\nmaterial: MAT-002\n"
                                           "supplier: SUP-002\nsupplier_lot: Y7\n",
        "records/production/serial_units.csv": UNITS_HEADER + f"SN-1,shipped,LOT-F-1,S1,{GOOD_UDI}\n",
        "records/production/shipments.csv": SHIP_HEADER + "SHP-1,delivered,Acme Hospital,DE,2026-02-24,SN-1\n"
        + "SHP-2,planned,Beta Clinic,FR,,\n",
    })
    loaded = load_repository(repo, use_cache=False)
    assert build_index(RecordSet(loaded.records)) == index_from_scan(scan(repo, KINDS_READ))
