"""GS1 UDI parsing: published check-digit examples, every input form, the example repository, `qms udi`.

Published examples
------------------
* GS1 General Specifications §7.9.1 (standard check digit), worked example also on GS1's "How to
  calculate a check digit manually": 629104150021 → check digit 3, GTIN-13 6291041500213.
* GS1 General Specifications figure 2.6.14-3 (GS1 DataMatrix example, as cited by zint's test suite):
  element string (01)09501101530003(17)150119(10)AB-123; GTIN 0950110153000 + check digit 3.
* GS1 India, "How to calculate the Check Digit": 890400021003 → 7 ("890 4000 21003 7").
* GS1 Sweden, "Så beräknas kontrollsiffran": 730001100001 → 7 (GTIN-13 7300011000017).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from biip.checksums import gs1_standard_check_digit
from support import ROOT, run_qms

from generator.analysis.udi import UdiError, check_digit, parse_udi

GGS_EXAMPLE = "(01)09501101530003(17)150119(10)AB-123"
PUMP = "(01)05391234562002(17)360209(10)LOT-F-2601(21)VP2-2601-001"


@pytest.mark.parametrize("payload, digit", [
    ("629104150021", 3),  # GS1 GenSpecs §7.9.1
    ("0950110153000", 3),  # GS1 GenSpecs fig. 2.6.14-3: GTIN 09501101530003
    ("890400021003", 7),  # GS1 India
    ("730001100001", 7),  # GS1 Sweden
    ("539123456200", 2),  # the worked example's pump, MAT-001 05391234562002
])
def test_published_check_digits(payload, digit):
    assert check_digit(payload) == digit
    assert gs1_standard_check_digit(payload) == digit  # and biip, which parse_udi relies on, agrees
    assert parse_udi(f"(01){payload.rjust(13, '0')}{digit}").gtin == f"{payload.rjust(13, '0')}{digit}"


def test_gs1_general_specifications_example():
    udi = parse_udi(GGS_EXAMPLE)
    assert (udi.gtin, udi.expiry, udi.lot, udi.serial) == ("09501101530003", dt.date(2015, 1, 19), "AB-123", None)
    assert [(e.ai, e.title) for e in udi.elements] == [("01", "GTIN"), ("17", "USE BY or EXPIRY"),
                                                       ("10", "BATCH/LOT")]


@pytest.mark.parametrize("text", [
    PUMP,
    " (01) 05391234562002 (17) 360209 (10) LOT-F-2601 (21) VP2-2601-001 ",  # typed off the label
    "01053912345620021736020910LOT-F-2601\x1d21VP2-2601-001",  # as scanned, GS separator
    "]d201053912345620021736020910LOT-F-2601\x1d21VP2-2601-001",  # GS1 DataMatrix symbology identifier
    "]C101053912345620021736020910LOT-F-2601<GS>21VP2-2601-001",  # GS1-128, separator typed as <GS>
    "]Q301053912345620021736020910LOT-F-2601<gs>21VP2-2601-001",
    "01053912345620021736020910LOT-F-2601\u241d21VP2-2601-001",  # the control picture for GS
    "\x1d01053912345620021736020910LOT-F-2601\x1d21VP2-2601-001\x1d",  # stray separators
    "https://id.gs1.org/01/05391234562002/10/LOT-F-2601/21/VP2-2601-001?17=360209",  # GS1 Digital Link
])
def test_every_form_gives_the_same_elements(text):
    udi = parse_udi(text)
    assert (udi.gtin, udi.expiry, udi.lot, udi.serial) == ("05391234562002", dt.date(2036, 2, 9), "LOT-F-2601",
                                                           "VP2-2601-001")
    assert sorted(e.ai for e in udi.elements) == ["01", "10", "17", "21"]


def test_symbology_and_positions_are_kept():
    udi = parse_udi("]d201053912345620021736020910LOT-F-2601\x1d21VP2-2601-001")
    assert udi.symbology == "]d2" and udi.form == "raw"
    assert [(e.ai, e.position) for e in udi.elements] == [("01", 4), ("17", 20), ("10", 28), ("21", 41)]


def test_production_date_day_zero_and_other_ais():
    udi = parse_udi("(01)05391234562002(11)260209(17)360200(240)VP-200-C(7003)2601311430")
    assert udi.production_date == dt.date(2026, 2, 9)
    assert udi.expiry == dt.date(2036, 2, 29)  # day 00: the last day of the month
    assert udi.value("240") == "VP-200-C"
    assert udi.date("7003") == dt.date(2026, 1, 31)


def test_example_repository_udis_parse_and_match_their_records():
    from generator.load.repo import load_repository
    from generator.recordset import RecordSet

    loaded = load_repository(ROOT, use_cache=False)
    records = RecordSet(loaded.records, loaded.config)
    finished = {m.id: m.gtin for m in records.of_kind("material") if m.type == "finished_device"}
    units = [u for u in records.of_kind("serial_unit") if u.udi]
    assert units and finished == {"MAT-001": "05391234562002"}
    for unit in units:
        udi = parse_udi(unit.udi)
        lot = records.get(unit.lot)
        assert udi.gtin == finished[lot.material.id], unit.id
        assert (udi.lot, udi.serial) == (lot.id, unit.serial), unit.id
        assert udi.expiry is not None and udi.expiry > unit.manufactured


@pytest.mark.parametrize("text, position, ai, words", [
    ("(01)05391234562003(17)360209", 1, "01", "the check digit should be 2, not 3"),
    ("]d20105391234562003", 4, "01", "wrong check digit"),
    ("(01)05391234562002(23)ABC", 19, "23", "unknown GS1 Application Identifier (23) at character 19"),
    ("010539123456200223ABC", 17, "23", "unknown GS1 Application Identifier at character 17"),
    ("(01)05391234562002(17)360231", 19, "17", "is not a valid date"),
    ("(01)05391234562002(17)361301", 19, "17", "'361301' is not a valid date (YYMMDD: there is no month 13)"),
    ("(01)05391234562002(17)361232", 19, "17", "'361232' is not a valid date (YYMMDD: month 12 has no day 32)"),
    ("(01)0539123456200", 1, "01", "does not fit its format N2+N14"),
    ("(01)05391234562002(10)A(10)B", 24, "10", "appears twice with different values"),
    ("0105391234562002(17)360209", 17, None, "write every element as (AI)data, or none of them"),
    ("]C0ABC", 1, None, "without GS1 data"),
    ("(01", 1, None, "never closed"),
    ("", 0, None, "empty"),
])
def test_bad_strings_say_which_ai_and_where(text, position, ai, words):
    with pytest.raises(UdiError) as caught:
        parse_udi(text)
    assert words in str(caught.value), str(caught.value)
    assert (caught.value.position, caught.value.ai) == (position, ai)


def test_cli_text_and_json():
    proc = run_qms("udi", "]d201053912345620021736020910LOT-F-2601<GS>21VP2-2601-001")
    assert proc.returncode == 0, proc.stderr
    assert "GS1 DataMatrix" in proc.stdout and "check digit 2 correct" in proc.stdout
    assert "= 2036-02-09" in proc.stdout
    proc = run_qms("udi", PUMP, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {k: out[k] for k in ("gtin", "expiry", "lot", "serial")} == {
        "gtin": "05391234562002", "expiry": "2036-02-09", "lot": "LOT-F-2601", "serial": "VP2-2601-001"}
    assert [(e["ai"], e["name"], e["value"]) for e in out["elements"]] == [
        ("01", "Global Trade Item Number (GTIN)", "05391234562002"),
        ("17", "Expiration date (YYMMDD)", "360209"),
        ("10", "Batch or lot number", "LOT-F-2601"),
        ("21", "Serial number", "VP2-2601-001"),
    ]


def test_cli_reads_standard_input(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "generator", "udi", "-", "--format", "json"], cwd=tmp_path,
                          input="]C10105391234562002\x1d10LOT-F-2601\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and json.loads(proc.stdout)["lot"] == "LOT-F-2601", proc.stderr


@pytest.mark.parametrize("text, words", [
    ("(01)05391234562003", "AI (01) GTIN at character 1: wrong check digit in 05391234562003: "
                           "the check digit should be 2, not 3"),
    ("(01)05391234562002(23)ABC", "unknown GS1 Application Identifier (23) at character 19"),
    ("]d20105391234562002299ABC", "unknown GS1 Application Identifier at character 20: no AI is '29' or "
                                  "'299' (found '299ABC')"),
])
def test_cli_errors_exit_2_without_traceback(text, words):
    proc = run_qms("udi", text)
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr == f"qms: error: {words}\n"


def test_a_very_long_string_is_refused_not_parsed(tmp_path: Path):
    with pytest.raises(UdiError, match="characters long"):
        parse_udi("(10)" + "A" * 5000)
