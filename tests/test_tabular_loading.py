"""Bulk records from real .xlsx and .csv files: typed cells, list cells, cell-exact locations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from generator.load.tabular import load_csv, load_workbook


def _workbook(path: Path, sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path.read_bytes()


LOT_HEADER = ["ID", "Lot type", "Material", "Status", "Quantity", "Manufactured", "Consumes", "Supplier lot"]


def test_rows_become_records_with_typed_values(tmp_path):
    raw = _workbook(tmp_path / "p.xlsx", {
        "Lots": [
            LOT_HEADER,
            ["LOT-F-001", "finished", "MAT-100", "released", 200, dt.datetime(2026, 3, 4), "LOT-C-1=50; LOT-C-2=1.5", None],
            [None, None, None, None, None, None, None, None],  # an empty row is skipped
            ["LOT-C-1", "component", "MAT-001", "accepted", 500, dt.date(2026, 1, 2), None, 40123],
        ],
    })
    records, findings = load_workbook(tmp_path / "p.xlsx", "records/p.xlsx", raw)
    assert findings == []
    (first, src1), (second, src2) = records
    assert first.id == "LOT-F-001" and first.manufactured == dt.date(2026, 3, 4)
    assert [(c.lot.id, c.quantity) for c in first.consumes] == [("LOT-C-1", 50), ("LOT-C-2", 1.5)]
    assert second.supplier_lot == "40123"  # a number typed in a text column stays the lot number
    assert str(src1.at(("consumes", 1))) == "records/p.xlsx[Lots]!G2"
    assert str(src2.at(("quantity",))) == "records/p.xlsx[Lots]!E4"
    assert str(src2.at(("not_there",))) == "records/p.xlsx[Lots]!A4"


def test_bad_cell_is_reported_at_its_cell(tmp_path):
    raw = _workbook(tmp_path / "p.xlsx", {
        "Lots": [LOT_HEADER, ["LOT-1", "finished", "MAT-1", "released", "many", None, None, None]],
    })
    records, findings = load_workbook(tmp_path / "p.xlsx", "records/p.xlsx", raw)
    assert records == []
    assert [(f.code, str(f.location), f.record) for f in findings] == [
        ("QMS111", "records/p.xlsx[Lots]!E2", "LOT-1"),
    ]


def test_header_problems(tmp_path):
    raw = _workbook(tmp_path / "p.xlsx", {
        "Lots": [["Lot type", "Material"], ["finished", "MAT-1"]],
        "Serial units": [],
        "Shipments": [["id", "customer", "colour"], ["SHP-1", "St Mary", "red"]],
        "Pivot": [["anything"]],
        "_lookup": [["ignored"]],
    })
    records, findings = load_workbook(tmp_path / "p.xlsx", "records/p.xlsx", raw)
    got = sorted((f.code, str(f.location)) for f in findings)
    assert got == sorted([
        ("QMS105", "records/p.xlsx[Lots]!A1"),  # no id column
        ("QMS105", "records/p.xlsx[Serial units]!A1"),  # no header at all
        ("QMS110", "records/p.xlsx[Shipments]!C1"),  # unknown column, reported once at its header
        ("QMS112", "records/p.xlsx[Shipments]!A2"),  # status missing
        ("QMS107", "records/p.xlsx[Pivot]"),
    ])
    assert records == []


def test_row_with_id_of_another_kind(tmp_path):
    raw = _workbook(tmp_path / "p.xlsx", {"Shipments": [["id", "customer", "status"], ["LOT-1", "X", "shipped"]]})
    _, findings = load_workbook(tmp_path / "p.xlsx", "records/p.xlsx", raw)
    assert [(f.code, str(f.location)) for f in findings] == [("QMS114", "records/p.xlsx[Shipments]!A2")]


def test_corrupt_and_encrypted_workbooks(tmp_path):
    _, corrupt = load_workbook(tmp_path / "c.xlsx", "records/c.xlsx", b"PK\x03\x04 not really a zip")
    _, encrypted = load_workbook(tmp_path / "e.xlsx", "records/e.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert [(f.code, str(f.location)) for f in corrupt] == [("QMS104", "records/c.xlsx")]
    assert [(f.code, str(f.location)) for f in encrypted] == [("QMS104", "records/e.xlsx")]
    assert "password" in encrypted[0].message


def test_csv_rows_are_located_by_line(tmp_path):
    path = tmp_path / "shipments.csv"
    path.write_text("id,customer,country,status,units,shipped\n"
                    "SHP-001,St Mary,GB,shipped,SN-1;SN-2,2026-05-01\n"
                    "SHP-002,Charité,DE,shipped,SN-3,2026-13-01\n")
    records, findings = load_csv(path, "records/shipments.csv", path.read_bytes())
    assert [r.id for r, _ in records] == ["SHP-001"]
    assert [u.id for u in records[0][0].units] == ["SN-1", "SN-2"]
    assert [(f.code, str(f.location)) for f in findings] == [("QMS113", "records/shipments.csv:3")]
