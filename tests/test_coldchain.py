"""Cold chain: mean kinetic temperature against published values, excursions, logger exports, `qms mkt`.

Reference values
----------------
* USP <1160> (USP 29-NF 24, "Mean kinetic temperature") states ΔH = 83.144 kJ/mol and
  R = 8.3144 × 10⁻³ kJ/(mol·K): the default ΔH/R is 10,000 K.
* The published time-weighted worked example (Isopharm, "What is Mean Kinetic Temperature?"; the same
  scenario is on MadgeTech's MKT page): a product 2 h in a 20 °C room, 4 h in a 2 °C refrigerator and
  1 h on a 25 °C loading dock is "thermally equivalent" to 15.7 °C for 7 h.
  (MadgeTech's page gives 10.096 °C for the same profile, which is below the time-weighted arithmetic
  mean of 10.43 °C and so impossible for an MKT; Isopharm's 15.7 °C is the value the formula gives.)
* The worked example's own logger record: TL-001 in this repository states 2208 hourly readings,
  min 18.6 °C, max 27.9 °C, MKT 20.7 °C and one excursion on 2026-08-08; TL-002 states 225 readings,
  min 18.0 °C, max 31.5 °C, within -20 to +50 °C.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random

import openpyxl
import pytest
from support import ROOT, run_qms

from generator.analysis.coldchain import (
    DEFAULT_ACTIVATION_ENERGY,
    GAS_CONSTANT,
    ColdChainError,
    analyse,
    mean_kinetic_temperature,
)
from generator.load.loggers import read_export

T0 = dt.datetime(2026, 7, 1, 0, 0)


def write_csv(path, rows, header="Timestamp,Temperature (°C)", sep=","):
    lines = [header] + [f"{t:%Y-%m-%d %H:%M}{sep}{c}" for t, c in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def series(values, minutes=15, start=T0):
    return [(start + dt.timedelta(minutes=minutes * i), v) for i, v in enumerate(values)]


# ---------------------------------------------------------------------------------------------- formula


def test_usp_constants_make_delta_h_over_r_ten_thousand_kelvin():
    assert DEFAULT_ACTIVATION_ENERGY == 83.144
    assert GAS_CONSTANT == 8.3144e-3
    assert DEFAULT_ACTIVATION_ENERGY / GAS_CONSTANT == pytest.approx(10_000, rel=1e-15)


def test_published_worked_example_time_weighted():
    # 20 °C for 2 h, 2 °C for 4 h, 25 °C for 1 h  →  MKT 15.7 °C (published to 0.1 °C)
    mkt = mean_kinetic_temperature([20, 2, 25], [2, 4, 1])
    assert round(mkt, 1) == 15.7
    # the same profile logged hourly, equal intervals, is the same number
    hourly = mean_kinetic_temperature([20, 20, 2, 2, 2, 2, 25])
    assert hourly == pytest.approx(mkt, abs=1e-9)
    # and it is not the arithmetic mean that MadgeTech's 10.096 °C falls below
    assert mkt > (20 * 2 + 2 * 4 + 25 * 1) / 7 > 10.096


def test_published_worked_example_from_a_logger_with_a_gap(tmp_path):
    # hourly logger that missed 03:00-05:00: each reading stands for the time until the next
    rows = [(T0, 20), (T0 + dt.timedelta(hours=1), 20), (T0 + dt.timedelta(hours=2), 2),
            (T0 + dt.timedelta(hours=6), 25)]
    result = analyse(read_export(write_csv(tmp_path / "log.csv", rows)))
    assert result.weighting == "time"
    assert result.interval == dt.timedelta(hours=1)
    assert round(result.mkt_c, 1) == 15.7
    assert result.mean == pytest.approx((20 * 2 + 2 * 4 + 25) / 7)
    assert [(g.start, g.end) for g in result.gaps] == [(T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=6))]


@pytest.mark.parametrize("celsius", [25.0, 5.0, 2.0, -20.0, 0.0, 37.5, 21.3])
def test_constant_temperature_is_its_own_mkt_exactly(celsius):
    assert mean_kinetic_temperature([celsius] * 50) == celsius
    assert mean_kinetic_temperature([celsius] * 3, [1, 7, 0.5]) == celsius
    assert mean_kinetic_temperature([celsius] * 4, activation_energy_kj_mol=60) == celsius


def test_mkt_is_at_least_the_mean_and_at_most_the_max():
    rng = random.Random(1079)
    for _ in range(200):
        n = rng.randint(2, 60)
        values = [round(rng.uniform(-25, 45), 1) for _ in range(n)]
        weights = [rng.uniform(0.1, 5) for _ in range(n)] if rng.random() < 0.5 else None
        mkt = mean_kinetic_temperature(values, weights)
        w = weights or [1.0] * n
        mean = sum(a * b for a, b in zip(w, values)) / sum(w)
        assert mean - 1e-9 <= mkt <= max(values) + 1e-9


def test_a_higher_activation_energy_weights_heat_more():
    values = [2, 8, 8, 25, 4]
    low, usp, high = (mean_kinetic_temperature(values, activation_energy_kj_mol=e) for e in (40, 83.144, 120))
    assert low < usp < high


def test_closed_form_for_two_readings():
    k = 10_000.0
    expected = k / -math.log((math.exp(-k / 293.15) + math.exp(-k / 303.15)) / 2) - 273.15
    assert mean_kinetic_temperature([20, 30]) == pytest.approx(expected, abs=1e-9)
    assert round(expected, 2) == 26.26  # 1 °C above the arithmetic mean of 25 °C


def test_bad_arguments_are_refused():
    for args in (([],), ([20, -300],), ([20, float("nan")],), ([20, 21], [1]), ([20, 21], [0, 0]), ([20], [-1])):
        with pytest.raises(ValueError):
            mean_kinetic_temperature(*args)


# ---------------------------------------------------------------------------------------------- excursions


def test_excursion_boundaries(tmp_path):
    values = [5, 8, 8.1, 5, 1.9, 2, 9, 9.5, 7, 2, 10]
    result = analyse(read_export(write_csv(tmp_path / "log.csv", series(values))), 2, 8)
    got = [(e.kind, e.start, e.end, e.duration, e.peak, e.readings, str(e.location)) for e in result.excursions]
    q = dt.timedelta(minutes=15)
    path = str(tmp_path / "log.csv")
    assert got == [
        # the limits are inside: 8 and 2 are not excursions; one reading out is one logging interval
        ("high", T0 + 2 * q, T0 + 3 * q, q, 8.1, 1, f"{path}:4"),
        ("low", T0 + 4 * q, T0 + 5 * q, q, 1.9, 1, f"{path}:6"),
        ("high", T0 + 6 * q, T0 + 8 * q, 2 * q, 9.5, 2, f"{path}:8"),
        # out of range at the last reading: counted for one interval after it
        ("high", T0 + 10 * q, T0 + 11 * q, q, 10, 1, f"{path}:12"),
    ]
    assert result.time_out_of_range == 5 * q


def test_a_jump_from_high_to_low_is_two_excursions(tmp_path):
    result = analyse(read_export(write_csv(tmp_path / "log.csv", series([5, 12, 13, -1, 5], 60))), 2, 8)
    assert [(e.kind, e.peak, e.duration) for e in result.excursions] == [
        ("high", 13, dt.timedelta(hours=2)), ("low", -1, dt.timedelta(hours=1))]


def test_one_sided_ranges(tmp_path):
    export = read_export(write_csv(tmp_path / "log.csv", series([20, 26, 24, 14])))
    assert [e.kind for e in analyse(export, None, 25).excursions] == ["high"]
    assert [e.kind for e in analyse(export, 15, None).excursions] == ["low"]
    assert analyse(export).excursions == ()


# ---------------------------------------------------------------------------------------------- reading


def test_csv_and_xlsx_give_the_same_result(tmp_path):
    rows = series([4.5, 5.0, 9.2, 8.7, 5.1, 3.9], 10)
    from_csv = analyse(read_export(write_csv(tmp_path / "log.csv", rows)), 2, 8)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Log"
    sheet.append(["Logger TT-U 5520931"])
    sheet.append([])
    sheet.append(["Time", "Temp °C"])
    for t, c in rows:
        sheet.append([t, c])
    book.save(tmp_path / "log.xlsx")
    export = read_export(tmp_path / "log.xlsx", "log.xlsx")
    from_xlsx = analyse(export, 2, 8)
    assert (export.sheet, export.time_column, export.temperature_column) == ("Log", "Time", "Temp °C")
    assert from_xlsx.mkt_c == from_csv.mkt_c and from_xlsx.mean == from_csv.mean
    assert [(e.start, e.end, e.peak) for e in from_xlsx.excursions] == [(e.start, e.end, e.peak)
                                                                        for e in from_csv.excursions]
    assert str(from_xlsx.excursions[0].location) == "log.xlsx[Log]!B6"


def test_semicolons_decimal_commas_preamble_and_separate_date_and_time(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Device;TLG-4471\nUnit;°C\n\nDate;Time;Temperature\n"
                    "01.07.2026;00:00;5,0\n01.07.2026;00:30;5,5\n01.07.2026;01:00;6,0\n", encoding="cp1252")
    export = read_export(path)
    assert [r.time for r in export.readings] == [T0, T0 + dt.timedelta(minutes=30), T0 + dt.timedelta(hours=1)]
    assert [r.celsius for r in export.readings] == [5.0, 5.5, 6.0]
    assert export.temperature_column == "Temperature"
    quoted = tmp_path / "quoted.csv"
    quoted.write_text('Time,Temperature\n2026-07-01 00:00,"5,5"\n2026-07-01 00:30,"-0,5 °C"\n')
    assert [r.celsius for r in read_export(quoted).readings] == [5.5, -0.5]


def test_timestamp_forms(tmp_path):
    path = tmp_path / "iso.csv"
    path.write_text("time,temp\n2026-07-01T00:00:00Z,5\n2026-07-01T02:15:00+02:00,6\n2026-07-01 00:30Z,7\n")
    assert [r.time.isoformat() for r in read_export(path).readings] == [
        "2026-07-01T00:00:00+00:00", "2026-07-01T02:15:00+02:00", "2026-07-01T00:30:00+00:00"]
    slashed = tmp_path / "slashed.csv"
    slashed.write_text("time,temp\n2026/07/01 00:00,5\n2026/07/01 00:15:30,6\n")
    assert [r.time for r in read_export(slashed).readings] == [T0, T0 + dt.timedelta(minutes=15, seconds=30)]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("time,temp\n2026-07-01T00:00:00Z,5\n2026-07-01 00:15,6\n")
    with pytest.raises(ColdChainError, match=r"mixed.csv:3: .*mixes a time zone"):
        read_export(mixed)
    us = tmp_path / "us.csv"
    us.write_text("Date/Time,Temperature (C)\n07/12/2026 11:00 PM,5\n07/13/2026 12:00 AM,6\n")
    assert [r.time for r in read_export(us).readings] == [dt.datetime(2026, 7, 12, 23), dt.datetime(2026, 7, 13)]
    eu = tmp_path / "eu.csv"
    eu.write_text("Date/Time,Temperature (C)\n12/07/2026 23:00,5\n13/07/2026 00:00,6\n")
    assert [r.time for r in read_export(eu).readings] == [dt.datetime(2026, 7, 12, 23), dt.datetime(2026, 7, 13)]


def test_explicit_column_names(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("Logged at,Probe A,Probe B\n2026-07-01 00:00,5,20\n2026-07-01 01:00,6,21\n")
    export = read_export(path, time_column="logged at", temperature_column="Probe B")
    assert [r.celsius for r in export.readings] == [20, 21]
    assert (export.time_column, export.temperature_column) == ("Logged at", "Probe B")


@pytest.mark.parametrize("content, where, words", [
    ("Timestamp,Temperature (°C)\n2026-07-01 00:00,5\n2026-07-01 00:15,abc\n", ":3",
     "temperature 'abc' is not a number"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:00,5\n2026-07-01 00:15,\n", ":3", "no temperature"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:00,5\nyesterday,6\n", ":3", "timestamp 'yesterday' is not a date"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n2026-07-01 00:15,6\n", ":3", "is earlier than"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n2026-07-01 00:30,6\n", ":3", "repeats"),
    ("Timestamp,Temperature (°C)\n2026-02-30 00:30,5\n", ":2", "is not a date and time"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:00,-300\n", ":2", "not a possible reading"),
    ("Timestamp,Temperature (°F)\n2026-07-01 00:00,41\n", ":1", "°F"),
    ("Time,Temp 1,Temp 2\n2026-07-01 00:00,4,5\n", ":1", "several columns could be the temperature"),
    ("a,b\n1,2\n", ":1", "no header row naming a time column and a temperature column"),
    ("Date/Time,Temperature\n01/07/2026 00:00,5\n02/07/2026 00:00,5\n", ":2", "ambiguous"),
    ("Timestamp,Temperature (°C)\n", ":1", "header row but no readings"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:00,5,5\n", ":2", "the row has 3 cells but the header 2"),
])
def test_bad_exports_are_located_errors(tmp_path, content, where, words):
    path = tmp_path / "log.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ColdChainError) as caught:
        read_export(path, "log.csv")
    assert str(caught.value).startswith(f"log.csv{where}: ") and words in str(caught.value), str(caught.value)


def test_bad_xlsx_cell_is_located_by_sheet_and_cell(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Readings"
    sheet.append(["Timestamp", "Temperature"])
    for i in range(12):
        sheet.append([T0 + dt.timedelta(minutes=5 * i), 5 if i != 12 - 1 else "n/a"])
    book.save(tmp_path / "log.xlsx")
    with pytest.raises(ColdChainError) as caught:
        read_export(tmp_path / "log.xlsx", "log.xlsx")
    assert str(caught.value).startswith("log.xlsx[Readings]!B13: temperature 'n/a' is not a number")


def test_example_repository_logs_match_their_records():
    tl1 = analyse(read_export(ROOT / "records/coldchain/data/TL-001_TLG-4471_2026Q3.csv"), 15, 25)  # MAT-004
    assert (tl1.readings, tl1.min, tl1.max, round(tl1.mkt_c, 1)) == (2208, 18.6, 27.9, 20.7)
    assert tl1.weighting == "equal" and tl1.interval == dt.timedelta(hours=1) and not tl1.gaps
    assert [(e.kind, e.start.date(), e.peak) for e in tl1.excursions] == [("high", dt.date(2026, 8, 8), 27.9)]
    assert tl1.mkt_c <= 25  # MAT-004 mkt_max_c
    tl2 = analyse(read_export(ROOT / "records/coldchain/data/TL-002_SHP-2026-006.csv"), -20, 50)  # MAT-001
    assert (tl2.readings, tl2.min, tl2.max, tl2.excursions) == (225, 18.0, 31.5, ())


# ---------------------------------------------------------------------------------------------- qms mkt


def test_cli_json_contract_and_exit_codes(tmp_path):
    path = write_csv(tmp_path / "log.csv", series([5, 5, 9, 9.5, 5, 5]))
    proc = run_qms("mkt", str(path), "--range", "2:8", "--format", "json")
    assert proc.returncode == 1, proc.stderr  # excursions are findings
    out = json.loads(proc.stdout)
    assert {"mkt_c", "min", "max", "mean", "excursions"} <= set(out)
    assert (out["min"], out["max"]) == (5, 9.5) and out["mkt_c"] >= out["mean"]
    [exc] = out["excursions"]
    assert exc == {**exc, "start": "2026-07-01T00:30:00", "end": "2026-07-01T01:00:00", "duration_minutes": 30.0,
                   "duration_hours": 0.5, "peak": 9.5, "kind": "high"}
    clean = run_qms("mkt", str(path), "--range", "2:10")
    assert clean.returncode == 0 and "0 excursions" in clean.stdout and "MKT" in clean.stdout
    constant = write_csv(tmp_path / "flat.csv", series([5.0] * 8))
    flat = json.loads(run_qms("mkt", str(constant), "--format", "json").stdout)
    assert flat["mkt_c"] == 5.0 and flat["excursions"] == [] and flat["range"] is None


@pytest.mark.parametrize("content, args, words", [
    ("Timestamp,Temperature (°C)\n2026-07-01 00:00,5\n2026-07-01 00:15,x\n", [], "log.csv:3: temperature 'x'"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n2026-07-01 00:15,6\n", [], "log.csv:3: timestamp"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n", ["--temp-col", "Temprature (°C)"],
     "did you mean 'Temperature (°C)'?"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n", ["--range", "8:2"], "LOW must be below HIGH"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n", ["--range", "warm"], "is not LOW:HIGH"),
    ("Timestamp,Temperature (°C)\n2026-07-01 00:30,5\n", ["--activation-energy", "0"], "activation-energy"),
])
def test_cli_bad_input_exits_2_with_location_and_no_traceback(tmp_path, content, args, words):
    (tmp_path / "log.csv").write_text(content, encoding="utf-8")
    proc = run_qms("mkt", "log.csv", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_cli_missing_and_corrupt_files_exit_2(tmp_path):
    proc = run_qms("mkt", "nothing.csv", cwd=tmp_path)
    assert proc.returncode == 2 and "nothing.csv: no such file" in proc.stderr and "Traceback" not in proc.stderr
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    proc = run_qms("mkt", "bad.xlsx", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("qms: error: bad.xlsx: ") and "Traceback" not in proc.stderr
