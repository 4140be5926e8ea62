"""Validation statistics against published values: success-run sample sizes and their binomial extension,
the d2 table, process capability (subgroups and individuals), Bissell's bound, and the two calculators
`qms sample-size` and `qms capability`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pytest
from support import run_qms

from generator.analysis.capability import ConstantsTableError, capability, d2, d2_table, parse_d2
from generator.analysis.sample_size import capability_lower_bound, capability_sample_size, success_run

# ---------------------------------------------------------------------------------------------
# Success run, n = ceil(ln(1 - C) / ln R) (the success-run theorem of reliability demonstration testing).
# 95/95 -> 59, 90/90 -> 22, 95 % confidence / 99 % reliability -> 299, 99/99 -> 459 are the entries of the
# success-run tables printed throughout medical-device validation guidance; worked here independently:
#   ln(0.05)/ln(0.95) = 58.404 -> 59; ln(0.10)/ln(0.90) = 21.854 -> 22;
#   ln(0.05)/ln(0.99) = 298.07 -> 299; ln(0.01)/ln(0.99) = 458.21 -> 459.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("confidence", "reliability", "n"), [
    (0.95, 0.95, 59), (0.90, 0.90, 22), (0.95, 0.99, 299), (0.99, 0.99, 459),
])
def test_success_run_published(confidence: float, reliability: float, n: int) -> None:
    assert success_run(confidence, reliability) == n


# Binomial extension, the smallest n with sum_{i<=K} C(n,i) 0.05^i 0.95^(n-i) <= 0.05 (95 % confidence,
# 95 % reliability). Worked by hand (0.95^91 = 0.0093939, 0.95^92 = 0.0089242, 0.95^121 = 0.0020163,
# 0.95^122 = 0.0019155):
#   K = 1: n = 92: 0.95^91 (0.95 + 92 * 0.05)                    = 0.0093939 * 5.55  = 0.05214 > 0.05
#          n = 93: 0.95^92 (0.95 + 93 * 0.05)                    = 0.0089242 * 5.60  = 0.04998 <= 0.05 -> 93
#   K = 2: n = 123: 0.95^121 (0.95^2 + 123*0.05*0.95 + 7503*0.0025) = 0.0020163 * 25.502 = 0.05142 > 0.05
#          n = 124: 0.95^122 (0.95^2 + 124*0.05*0.95 + 7626*0.0025) = 0.0019155 * 25.858 = 0.04953 -> 124
# The same 59 / 93 / 124 row is the 95 % one-sided Clopper-Pearson sample-size row for 0, 1, 2 failures
# at a 5 % rate (the two statements are equivalent), as independently tabulated elsewhere.
@pytest.mark.parametrize(("failures", "n"), [(0, 59), (1, 93), (2, 124)])
def test_binomial_extension_95_95(failures: int, n: int) -> None:
    assert success_run(0.95, 0.95, failures) == n


def test_exact_boundaries_do_not_round_away() -> None:
    # 0.5^2 = 0.25 exactly = 1 - 0.75: two units demonstrate R = 0.5 at C = 0.75 (a float ln ratio
    # of exactly 2.0 could have given 3). 1 - 0.875 = 0.125 = 0.5^3: three units.
    assert success_run(0.75, 0.5) == 2
    assert success_run(0.875, 0.5) == 3
    # K = 1, R = 0.5, C = 0.875: n = 6 gives (1 + 6) / 64 = 0.109 <= 0.125; n = 5 gives 6 / 32 = 0.1875.
    assert success_run(0.875, 0.5, 1) == 6


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"confidence": 1.0, "reliability": 0.95}, "confidence must lie strictly between 0 and 1"),
    ({"confidence": 0.95, "reliability": 0.0}, "reliability must lie strictly between 0 and 1"),
    ({"confidence": 0.95, "reliability": 0.95, "failures": -1}, "failures allowed must be a whole number 0 or more"),
    ({"confidence": float("nan"), "reliability": 0.95}, "confidence must be a number"),
])
def test_success_run_refuses_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        success_run(**kwargs)


# ---------------------------------------------------------------------------------------------
# d2, spot checks against ASTM E2587 / Montgomery, "Introduction to Statistical Quality Control",
# Appendix VI: d2(2) = 1.128, d2(5) = 2.326, d2(10) = 3.078, d2(25) = 3.931.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "value"), [(2, 1.128), (5, 2.326), (10, 3.078), (25, 3.931)])
def test_d2_published(n: int, value: float) -> None:
    assert d2(n) == value


def test_d2_table_names_its_source_and_covers_2_to_25() -> None:
    table = d2_table()
    assert "ASTM E2587" in table.source and "Montgomery" in table.source
    assert sorted(table.values) == list(range(2, 26))
    with pytest.raises(ValueError, match="subgroup size 26 is outside the d2 table"):
        d2(26)
    with pytest.raises(ConstantsTableError, match="names no source"):
        parse_d2("n,d2\n2,1.128\n", "x.csv")
    with pytest.raises(ConstantsTableError, match="x.csv:4: sizes must run 2, 3, 4"):
        parse_d2("# source: test\nn,d2\n2,1.128\n4,2.059\n", "x.csv")


# ---------------------------------------------------------------------------------------------
# Piston-ring inside diameters (mm): Montgomery, "Introduction to Statistical Quality Control",
# Table 6.3 (6th ed.), 25 subgroups of 5; the same data ship as `pistonrings` (trial = TRUE) in the R
# package qcc. Montgomery: sum of subgroup means 1850.028, x-double-bar 74.001, R-bar 0.023, and with
# the rounded figures sigma-hat = 0.023 / 2.326 = 0.0099 and Cp = 0.10 / (6 * 0.0099) = 1.68.
# qcc's published vignette (processCapability, spec 73.95..74.05) on the unrounded data:
# Center 74.00118, StdDev 0.009785039, Cp 1.703, Cp_k 1.663, Cp_k 2.5 % bound 1.448;
# spec 73.99..74.01: Cp 0.341, Cp_k 0.301 (2.5 % bound 0.231), Obs<LSL 0.12 and Obs>USL 0.16 of 125.
# ---------------------------------------------------------------------------------------------
PISTON_RINGS = """
74.030 74.002 74.019 73.992 74.008   73.995 73.992 74.001 74.011 74.004   73.988 74.024 74.021 74.005 74.002
74.002 73.996 73.993 74.015 74.009   73.992 74.007 74.015 73.989 74.014   74.009 73.994 73.997 73.985 73.993
73.995 74.006 73.994 74.000 74.005   73.985 74.003 73.993 74.015 73.988   74.008 73.995 74.009 74.005 74.004
73.998 74.000 73.990 74.007 73.995   73.994 73.998 73.994 73.995 73.990   74.004 74.000 74.007 74.000 73.996
73.983 74.002 73.998 73.997 74.012   74.006 73.967 73.994 74.000 73.984   74.012 74.014 73.998 73.999 74.007
74.000 73.984 74.005 73.998 73.996   73.994 74.012 73.986 74.005 74.007   74.006 74.010 74.018 74.003 74.000
73.984 74.002 74.003 74.005 73.997   74.000 74.010 74.013 74.020 74.003   73.988 74.001 74.009 74.005 73.996
74.004 73.999 73.990 74.006 74.009   74.010 73.989 73.990 74.009 74.014   74.015 74.008 73.993 74.000 74.010
73.982 73.984 73.995 74.017 74.013
"""
RINGS = [float(v) for v in PISTON_RINGS.split()]


def test_piston_rings_montgomery_and_qcc() -> None:
    assert len(RINGS) == 125
    result = capability(RINGS, 73.95, 74.05, subgroup_size=5)
    assert (result.n, result.subgroups, result.subgroup_size, result.d2) == (125, 25, 5, 2.326)
    assert round(result.mean * 25, 3) == pytest.approx(1850.029, abs=0.0015)  # Montgomery: 1850.028 of rounded means
    assert round(result.mean, 3) == 74.001  # Montgomery x-double-bar
    assert round(result.average_range, 3) == 0.023  # Montgomery R-bar
    assert round(result.mean, 5) == 74.00118  # qcc Center
    assert result.sigma_within == pytest.approx(0.009785039, abs=5e-10)  # qcc StdDev
    assert round(result.cp, 3) == 1.703 and round(result.cpk, 3) == 1.663  # qcc Cp, Cp_k
    assert result.sigma_within_method == "R-bar / d2(5)"
    assert (result.below_lsl, result.above_usl) == (0, 0)
    # Montgomery's 1.68 is the same formula on his rounded sigma-hat 0.0099:
    assert round((74.05 - 73.95) / (6 * round(0.023 / d2(5), 4)), 2) == 1.68


def test_piston_rings_tight_specification_qcc() -> None:
    result = capability(RINGS, 73.99, 74.01, subgroup_size=5)
    assert round(result.cp, 3) == 0.341 and round(result.cpk, 3) == 0.301
    assert (result.below_lsl, result.above_usl) == (15, 20)  # 0.12 * 125 and 0.16 * 125


def test_bissell_lower_bound_matches_qcc_interval() -> None:
    # qcc prints a two-sided 95 % interval: its 2.5 % end is the one-sided 97.5 % lower bound.
    wide = capability(RINGS, 73.95, 74.05, subgroup_size=5)
    tight = capability(RINGS, 73.99, 74.01, subgroup_size=5)
    assert round(capability_lower_bound(wide.cpk, 125, 0.975), 3) == 1.448
    assert round(capability_lower_bound(tight.cpk, 125, 0.975), 3) == 0.231


def test_capability_sample_size() -> None:
    # Worked: planned Cpk 1.66, 95 % (z = 1.6449): n = 37 gives 1.66 - 1.6449 * sqrt(1/333 + 2.7556/72)
    # = 1.66 - 1.6449 * 0.20316 = 1.3258 < 1.33; n = 38 gives 1.66 - 1.6449 * sqrt(1/342 + 2.7556/74)
    # = 1.66 - 1.6449 * 0.20040 = 1.3304 >= 1.33.
    assert capability_sample_size(1.33, 1.66, 0.95) == 38
    with pytest.raises(ValueError, match="planned index 1.2 must exceed the target 1.33"):
        capability_sample_size(1.33, 1.2, 0.95)


# ---------------------------------------------------------------------------------------------
# Individuals: the qcc `viscosity` data (Montgomery, aircraft primer paint viscosity, batches 1-20).
# qcc vignette, xbar.one chart: Center 34.088, Standard deviation 0.5076521 (average moving range /
# 1.128), and with std.dev = "SD": 0.5769854, which is qcc's sd / c4(20); c4(20) = 0.9869.
# ---------------------------------------------------------------------------------------------
VISCOSITY = [34.05, 34.40, 33.59, 35.96, 34.70, 33.51, 33.79, 34.04, 34.52, 33.75,
             33.27, 33.71, 34.03, 34.58, 34.02, 33.97, 34.05, 34.04, 33.73, 34.05]


def test_viscosity_individuals_qcc() -> None:
    result = capability(VISCOSITY, None, 35.0)
    assert round(result.mean, 3) == 34.088
    assert result.sigma_within == pytest.approx(0.5076521, abs=5e-8)
    c4 = math.sqrt(2 / 19) * math.exp(math.lgamma(10) - math.lgamma(9.5))
    assert round(c4, 4) == 0.9869
    assert result.stdev_overall / c4 == pytest.approx(0.5769854, abs=5e-8)
    assert result.sigma_within_method == "average moving range / d2(2)"
    assert (result.cp, result.pp) == (None, None)  # one-sided: no Cp, Pp
    assert result.above_usl == 1  # batch 4, 35.96


def test_individuals_worked_by_hand() -> None:
    # 10, 12, 11, 14, 13 with LSL 5, USL 20.
    # moving ranges |12-10| = 2, |11-12| = 1, |14-11| = 3, |13-14| = 1 -> average 7/4 = 1.75
    # sigma within = 1.75 / 1.128 = 1.5514184; mean = 60 / 5 = 12
    # Cp = 15 / (6 * 1.5514184) = 1.6114286; Cpk = min(12 - 5, 20 - 12) / (3 * 1.5514184) = 7 / 4.6542553 = 1.5040000
    # deviations -2, 0, -1, 2, 1 -> squares sum 10 -> s = sqrt(10 / 4) = 1.5811388
    # Pp = 15 / (6 * 1.5811388) = 1.5811388; Ppk = 7 / (3 * 1.5811388) = 1.4757296
    result = capability([10, 12, 11, 14, 13], 5, 20)
    assert result.average_range == 1.75 and result.subgroups == 4
    assert result.sigma_within == pytest.approx(1.5514184, abs=5e-8)
    assert result.cp == pytest.approx(1.6114286, abs=5e-8)
    assert result.cpk == pytest.approx(1.504, abs=5e-8)
    assert result.pp == pytest.approx(1.5811388, abs=5e-8)
    assert result.ppk == pytest.approx(1.4757296, abs=5e-8)
    lower_only = capability([10, 12, 11, 14, 13], 5, None)
    assert lower_only.cp is None and lower_only.cpk == pytest.approx(1.504, abs=5e-8)


@pytest.mark.parametrize(("args", "message"), [
    (([1.0, 2.0, 3.0], 0, 10, 2), "3 values do not make whole subgroups of 2: the last subgroup has 1 value"),
    (([1.0, 2.0], None, None, 1), "give at least one specification limit"),
    (([1.0, 2.0], 5, 1, 1), "the lower specification limit 5 must be below the upper 1"),
    (([1.0, 1.0, 1.0], 0, 5, 1), "the values do not vary"),
    (([1.0] * 30, 0, 5, 30), "subgroup size 30 is outside the d2 table"),
])
def test_capability_refuses(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        capability(*args)


# ---------------------------------------------------------------------------------------------
# The calculators through the real CLI
# ---------------------------------------------------------------------------------------------


def _workbook(path: Path, values: list, sheet: str = "Measurements") -> Path:
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Notes"
    first.append(["piston rings, line 3"])
    ws = book.create_sheet(sheet)
    ws.append(["Sample", "Operator", "Diameter"])
    for i, v in enumerate(values):
        ws.append([i // 5 + 1, "AS", v])
    book.save(path)
    return path


def test_cli_sample_size_json_and_text() -> None:
    proc = run_qms("sample-size", "--confidence", "0.95", "--reliability", "0.95", "--failures", "2",
                   "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["n"] == 124 and out["failures"] == 2
    text = run_qms("sample-size", "--confidence", "0.99", "--reliability", "0.99")
    assert text.returncode == 0
    assert "459 units" in text.stdout and "ln(1 - C) / ln R" in text.stdout


def test_cli_sample_size_bad_argument_exit_2() -> None:
    proc = run_qms("sample-size", "--confidence", "95", "--reliability", "0.95")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("qms: error: confidence must lie strictly between 0 and 1 (e.g. 0.95 for 95 %), "
                                   "not 95.0")


def test_cli_capability_xlsx_json(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "rings.xlsx", RINGS)
    proc = run_qms("capability", str(book), "--sheet", "Measurements", "--column", "Diameter",
                   "--lsl", "73.95", "--usl", "74.05", "--subgroup-size", "5", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"cp", "cpk", "pp", "ppk", "n", "mean", "sigma_within", "stdev_overall"} <= set(out)
    assert (round(out["cp"], 3), round(out["cpk"], 3), out["n"]) == (1.703, 1.663, 125)
    assert out["sigma_within"] == pytest.approx(0.009785039, abs=5e-10)
    again = run_qms("capability", str(book), "--sheet", "Measurements", "--column", "Diameter",
                    "--lsl", "73.95", "--usl", "74.05", "--subgroup-size", "5", "--format", "json")
    assert again.stdout == proc.stdout  # same input, same bytes


def test_cli_capability_csv_text(tmp_path: Path) -> None:
    data = tmp_path / "viscosity.csv"
    data.write_text("batch,viscosity\n" + "".join(f"{i},{v}\n" for i, v in enumerate(VISCOSITY, 1)))
    proc = run_qms("capability", str(data), "--column", "viscosity", "--usl", "35")
    assert proc.returncode == 0, proc.stderr
    assert "average moving range" in proc.stdout and "1 above USL" in proc.stdout
    assert "Cp  —" in proc.stdout  # one-sided: no Cp


def test_cli_capability_located_bad_cell(tmp_path: Path) -> None:
    values: list = list(RINGS[:20])
    values[12] = "abc"  # row 14 (header in row 1), column C
    book = _workbook(tmp_path / "data.xlsx", values)
    proc = run_qms("capability", str(book), "--sheet", "Measurements", "--column", "Diameter", "--lsl", "73.95")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"qms: error: {book}[Measurements]!C14: 'abc' is not a number"
    assert "Traceback" not in proc.stderr


def test_cli_capability_empty_cell_and_unknown_column(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("id,value\n1,10\n2,\n3,12\n")
    empty = run_qms("capability", str(data), "--column", "value", "--lsl", "0")
    assert empty.returncode == 2
    assert empty.stderr.startswith(f"qms: error: {data}:3 (column B): the cell is empty")
    unknown = run_qms("capability", str(data), "--column", "diameter", "--lsl", "0")
    assert unknown.returncode == 2
    assert "no column 'diameter'; the columns are: 'id', 'value'" in unknown.stderr


def test_cli_capability_usage_errors(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "rings.xlsx", RINGS[:12])
    no_limit = run_qms("capability", str(book), "--column", "Diameter")
    assert no_limit.returncode == 2 and "give a specification limit: --lsl, --usl or both" in no_limit.stderr
    no_sheet = run_qms("capability", str(book), "--sheet", "Data", "--column", "Diameter", "--lsl", "1")
    assert no_sheet.returncode == 2
    assert "no sheet 'Data'; the sheets are: Notes, Measurements" in no_sheet.stderr
    partial = run_qms("capability", str(book), "--sheet", "Measurements", "--column", "Diameter", "--lsl", "73.9",
                      "--subgroup-size", "5")
    assert partial.returncode == 2
    assert "12 values do not make whole subgroups of 5: the last subgroup has 2 value(s)" in partial.stderr
    missing = run_qms("capability", str(tmp_path / "nope.csv"), "--column", "x", "--lsl", "1")
    assert missing.returncode == 2 and "no such file" in missing.stderr
