"""ISO 2859-1 single sampling: the tables cell by cell against independent transcriptions, worked
examples, arrows both ways, the switching rules on constructed histories, and `qms sampling`."""

from __future__ import annotations

import json

import pytest
from support import run_qms

from generator.analysis.sampling import (
    AQL_SERIES,
    DOWN,
    LEVELS,
    SEVERITIES,
    UP,
    Lot,
    SamplingTableError,
    _data_text,
    code_letter_table,
    master_table,
    parse_code_letters,
    parse_master,
    plan,
    switching,
    switching_steps,
)

LETTERS = "ABCDEFGHJKLMNPQR"

# ---------------------------------------------------------------------------------------------
# Table 1, transcribed independently of generator/data: one string per inspection level, one
# character per lot-size range (rows of LOT_RANGES). Five public transcriptions agree on every cell:
# R package AQLSchemes (R/AAZ14Single.R, ANSI/ASQ Z1.4), R package Planesmuestra
# (data/code_letter.rda, MIL-STD-105E), the Python package garment-aql-calculator 1.0.0, a published
# "ANSI/ASQC Z1.4 / MIL-STD-105E / ISO 2859" AQL chart, and a GB/T 2828.1-2012 transcription.
# ---------------------------------------------------------------------------------------------
LOT_RANGES = [(2, 8), (9, 15), (16, 25), (26, 50), (51, 90), (91, 150), (151, 280), (281, 500), (501, 1200),
              (1201, 3200), (3201, 10000), (10001, 35000), (35001, 150000), (150001, 500000), (500001, None)]
TABLE_1 = {
    "S-1": "AAAABBBBCCCCDDD",
    "S-2": "AAABBBCCCDDDEEE",
    "S-3": "AABBCCDDEEFFGGH",
    "S-4": "AABCCDEEFGGHJJK",
    "I": "AABCCDEFGHJKLMN",
    "II": "ABCDEFGHJKLMNPQ",
    "III": "BCDEFGHJKLMNPQR",
}
SAMPLE_SIZE = {
    "normal": dict(zip(LETTERS, (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000))),
    "tightened": dict(zip(LETTERS + "S", (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000,
                                           3150))),
    "reduced": dict(zip(LETTERS, (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800))),
}

# ---------------------------------------------------------------------------------------------
# Tables 2-A and 2-B, transcribed independently of generator/data, in another form: the plan each
# cell leads to once arrows are followed, one entry per AQL column, "n/Ac" for code letters A to R
# (Re = Ac + 1; the code letter is the one with that sample size). Source: the R package AQLSchemes,
# R/AAZ14Single.R (ANSI/ASQ Z1.4 Tables II-A and II-B, the same plans as ISO 2859-1:1999 2-A and
# 2-B). A GB/T 2828.1-2012 transcription agrees on all 416 cells of 2-A and 415 of 2-B; it differs
# only at 2-B code letter A, AQL 10 ("0 1" at A instead of ↓ to D), which stays unverified.
# ---------------------------------------------------------------------------------------------
Z_NORMAL = {
    "0.010": "1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0"
             " 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0",
    "0.015": "800/0 800/0 800/0 800/0 800/0 800/0 800/0 800/0"
             " 800/0 800/0 800/0 800/0 800/0 800/0 800/0 800/0",
    "0.025": "500/0 500/0 500/0 500/0 500/0 500/0 500/0 500/0"
             " 500/0 500/0 500/0 500/0 500/0 500/0 2000/1 2000/1",
    "0.040": "315/0 315/0 315/0 315/0 315/0 315/0 315/0 315/0"
             " 315/0 315/0 315/0 315/0 315/0 1250/1 1250/1 2000/2",
    "0.065": "200/0 200/0 200/0 200/0 200/0 200/0 200/0 200/0"
             " 200/0 200/0 200/0 200/0 800/1 800/1 1250/2 2000/3",
    "0.10": "125/0 125/0 125/0 125/0 125/0 125/0 125/0 125/0"
            " 125/0 125/0 125/0 500/1 500/1 800/2 1250/3 2000/5",
    "0.15": "80/0 80/0 80/0 80/0 80/0 80/0 80/0 80/0"
            " 80/0 80/0 315/1 315/1 500/2 800/3 1250/5 2000/7",
    "0.25": "50/0 50/0 50/0 50/0 50/0 50/0 50/0 50/0"
            " 50/0 200/1 200/1 315/2 500/3 800/5 1250/7 2000/10",
    "0.40": "32/0 32/0 32/0 32/0 32/0 32/0 32/0 32/0"
            " 125/1 125/1 200/2 315/3 500/5 800/7 1250/10 2000/14",
    "0.65": "20/0 20/0 20/0 20/0 20/0 20/0 20/0 80/1"
            " 80/1 125/2 200/3 315/5 500/7 800/10 1250/14 2000/21",
    "1.0": "13/0 13/0 13/0 13/0 13/0 13/0 50/1 50/1"
           " 80/2 125/3 200/5 315/7 500/10 800/14 1250/21 1250/21",
    "1.5": "8/0 8/0 8/0 8/0 8/0 32/1 32/1 50/2"
           " 80/3 125/5 200/7 315/10 500/14 800/21 800/21 800/21",
    "2.5": "5/0 5/0 5/0 5/0 20/1 20/1 32/2 50/3"
           " 80/5 125/7 200/10 315/14 500/21 500/21 500/21 500/21",
    "4.0": "3/0 3/0 3/0 13/1 13/1 20/2 32/3 50/5"
           " 80/7 125/10 200/14 315/21 315/21 315/21 315/21 315/21",
    "6.5": "2/0 2/0 8/1 8/1 13/2 20/3 32/5 50/7"
           " 80/10 125/14 200/21 200/21 200/21 200/21 200/21 200/21",
    "10": "5/1 5/1 5/1 8/2 13/3 20/5 32/7 50/10"
          " 80/14 125/21 125/21 125/21 125/21 125/21 125/21 125/21",
    "15": "3/1 3/1 5/2 8/3 13/5 20/7 32/10 50/14"
          " 80/21 80/21 80/21 80/21 80/21 80/21 80/21 80/21",
    "25": "2/1 3/2 5/3 8/5 13/7 20/10 32/14 50/21"
          " 50/21 50/21 50/21 50/21 50/21 50/21 50/21 50/21",
    "40": "2/2 3/3 5/5 8/7 13/10 20/14 32/21 32/21"
          " 32/21 32/21 32/21 32/21 32/21 32/21 32/21 32/21",
    "65": "2/3 3/5 5/7 8/10 13/14 20/21 20/21 20/21"
          " 20/21 20/21 20/21 20/21 20/21 20/21 20/21 20/21",
    "100": "2/5 3/7 5/10 8/14 13/21 13/21 13/21 13/21"
           " 13/21 13/21 13/21 13/21 13/21 13/21 13/21 13/21",
    "150": "2/7 3/10 5/14 8/21 13/30 13/30 13/30 13/30"
           " 13/30 13/30 13/30 13/30 13/30 13/30 13/30 13/30",
    "250": "2/10 3/14 5/21 8/30 13/44 13/44 13/44 13/44"
           " 13/44 13/44 13/44 13/44 13/44 13/44 13/44 13/44",
    "400": "2/14 3/21 5/30 8/44 8/44 8/44 8/44 8/44"
           " 8/44 8/44 8/44 8/44 8/44 8/44 8/44 8/44",
    "650": "2/21 3/30 5/44 5/44 5/44 5/44 5/44 5/44"
           " 5/44 5/44 5/44 5/44 5/44 5/44 5/44 5/44",
    "1000": "2/30 3/44 3/44 3/44 3/44 3/44 3/44 3/44"
            " 3/44 3/44 3/44 3/44 3/44 3/44 3/44 3/44",
}
Z_TIGHTENED = {
    "0.010": "2000/0 2000/0 2000/0 2000/0 2000/0 2000/0 2000/0 2000/0"
             " 2000/0 2000/0 2000/0 2000/0 2000/0 2000/0 2000/0 2000/0",
    "0.015": "1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0"
             " 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0 1250/0",
    "0.025": "800/0 800/0 800/0 800/0 800/0 800/0 800/0 800/0"
             " 800/0 800/0 800/0 800/0 800/0 800/0 3150/1 3150/1",
    "0.040": "500/0 500/0 500/0 500/0 500/0 500/0 500/0 500/0"
             " 500/0 500/0 500/0 500/0 500/0 2000/1 2000/1 2000/1",
    "0.065": "315/0 315/0 315/0 315/0 315/0 315/0 315/0 315/0"
             " 315/0 315/0 315/0 315/0 1250/1 1250/1 1250/1 2000/2",
    "0.10": "200/0 200/0 200/0 200/0 200/0 200/0 200/0 200/0"
            " 200/0 200/0 200/0 800/1 800/1 800/1 1250/2 2000/3",
    "0.15": "125/0 125/0 125/0 125/0 125/0 125/0 125/0 125/0"
            " 125/0 125/0 500/1 500/1 500/1 800/2 1250/3 2000/5",
    "0.25": "80/0 80/0 80/0 80/0 80/0 80/0 80/0 80/0"
            " 80/0 315/1 315/1 315/1 500/2 800/3 1250/5 2000/8",
    "0.40": "50/0 50/0 50/0 50/0 50/0 50/0 50/0 50/0"
            " 200/1 200/1 200/1 315/2 500/3 800/5 1250/8 2000/12",
    "0.65": "32/0 32/0 32/0 32/0 32/0 32/0 32/0 125/1"
            " 125/1 125/1 200/2 315/3 500/5 800/8 1250/12 2000/18",
    "1.0": "20/0 20/0 20/0 20/0 20/0 20/0 80/1 80/1"
           " 80/1 125/2 200/3 315/5 500/8 800/12 1250/18 1250/18",
    "1.5": "13/0 13/0 13/0 13/0 13/0 50/1 50/1 50/1"
           " 80/2 125/3 200/5 315/8 500/12 800/18 800/18 800/18",
    "2.5": "8/0 8/0 8/0 8/0 32/1 32/1 32/1 50/2"
           " 80/3 125/5 200/8 315/12 500/18 500/18 500/18 500/18",
    "4.0": "5/0 5/0 5/0 20/1 20/1 20/1 32/2 50/3"
           " 80/5 125/8 200/12 315/18 315/18 315/18 315/18 315/18",
    "6.5": "3/0 3/0 13/1 13/1 13/1 20/2 32/3 50/5"
           " 80/8 125/12 200/18 200/18 200/18 200/18 200/18 200/18",
    "10": "8/1 8/1 8/1 8/1 13/2 20/3 32/5 50/8"
          " 80/12 125/18 125/18 125/18 125/18 125/18 125/18 125/18",
    "15": "5/1 5/1 5/1 8/2 13/3 20/5 32/8 50/12"
          " 80/18 80/18 80/18 80/18 80/18 80/18 80/18 80/18",
    "25": "3/1 3/1 5/2 8/3 13/5 20/8 32/12 50/18"
          " 50/18 50/18 50/18 50/18 50/18 50/18 50/18 50/18",
    "40": "2/1 3/2 5/3 8/5 13/8 20/12 32/18 32/18"
          " 32/18 32/18 32/18 32/18 32/18 32/18 32/18 32/18",
    "65": "2/2 3/3 5/5 8/8 13/12 20/18 20/18 20/18"
          " 20/18 20/18 20/18 20/18 20/18 20/18 20/18 20/18",
    "100": "2/3 3/5 5/8 8/12 13/18 13/18 13/18 13/18"
           " 13/18 13/18 13/18 13/18 13/18 13/18 13/18 13/18",
    "150": "2/5 3/8 5/12 8/18 13/27 13/27 13/27 13/27"
           " 13/27 13/27 13/27 13/27 13/27 13/27 13/27 13/27",
    "250": "2/8 3/12 5/18 8/27 13/41 13/41 13/41 13/41"
           " 13/41 13/41 13/41 13/41 13/41 13/41 13/41 13/41",
    "400": "2/12 3/18 5/27 8/41 8/41 8/41 8/41 8/41"
           " 8/41 8/41 8/41 8/41 8/41 8/41 8/41 8/41",
    "650": "2/18 3/27 5/41 5/41 5/41 5/41 5/41 5/41"
           " 5/41 5/41 5/41 5/41 5/41 5/41 5/41 5/41",
    "1000": "2/27 3/41 3/41 3/41 3/41 3/41 3/41 3/41"
            " 3/41 3/41 3/41 3/41 3/41 3/41 3/41 3/41",
}

# ---------------------------------------------------------------------------------------------
# Table 2-C of ISO 2859-1:1999 (reduced plans without the Ac/Re gap of Z1.4 / MIL-STD-105E
# Table II-C): the plan each cell leads to, "<code letter><n>/<Ac>" for code letters A to R
# (Re = Ac + 1). Source: a GB/T 2828.1-2012 transcription (TypeScript, resolved plans) — the only
# public transcription of the 1999 reduced table found, so this check guards the data file and the
# arrow logic but is not a second source.
# ---------------------------------------------------------------------------------------------
GB_REDUCED = {
    "0.010": "Q500/0 Q500/0 Q500/0 Q500/0 Q500/0 Q500/0 Q500/0 Q500/0"
             " Q500/0 Q500/0 Q500/0 Q500/0 Q500/0 Q500/0 Q500/0 Q500/0",
    "0.015": "P315/0 P315/0 P315/0 P315/0 P315/0 P315/0 P315/0 P315/0"
             " P315/0 P315/0 P315/0 P315/0 P315/0 P315/0 P315/0 P315/0",
    "0.025": "N200/0 N200/0 N200/0 N200/0 N200/0 N200/0 N200/0 N200/0"
             " N200/0 N200/0 N200/0 N200/0 N200/0 N200/0 N200/0 N200/0",
    "0.040": "M125/0 M125/0 M125/0 M125/0 M125/0 M125/0 M125/0 M125/0"
             " M125/0 M125/0 M125/0 M125/0 M125/0 R800/1 R800/1 R800/1",
    "0.065": "L80/0 L80/0 L80/0 L80/0 L80/0 L80/0 L80/0 L80/0"
             " L80/0 L80/0 L80/0 L80/0 Q500/1 Q500/1 Q500/1 R800/2",
    "0.10": "K50/0 K50/0 K50/0 K50/0 K50/0 K50/0 K50/0 K50/0"
            " K50/0 K50/0 K50/0 P315/1 P315/1 P315/1 Q500/2 R800/3",
    "0.15": "J32/0 J32/0 J32/0 J32/0 J32/0 J32/0 J32/0 J32/0"
            " J32/0 J32/0 N200/1 N200/1 N200/1 P315/2 Q500/3 R800/5",
    "0.25": "H20/0 H20/0 H20/0 H20/0 H20/0 H20/0 H20/0 H20/0"
            " H20/0 M125/1 M125/1 M125/1 N200/2 P315/3 Q500/5 R800/6",
    "0.40": "G13/0 G13/0 G13/0 G13/0 G13/0 G13/0 G13/0 G13/0"
            " L80/1 L80/1 L80/1 M125/2 N200/3 P315/5 Q500/6 R800/8",
    "0.65": "F8/0 F8/0 F8/0 F8/0 F8/0 F8/0 F8/0 K50/1"
            " K50/1 K50/1 L80/2 M125/3 N200/5 P315/6 Q500/8 R800/10",
    "1.0": "E5/0 E5/0 E5/0 E5/0 E5/0 E5/0 J32/1 J32/1"
           " J32/1 K50/2 L80/3 M125/5 N200/6 P315/8 Q500/10 Q500/10",
    "1.5": "D3/0 D3/0 D3/0 D3/0 D3/0 H20/1 H20/1 H20/1"
           " J32/2 K50/3 L80/5 M125/6 N200/8 P315/10 P315/10 P315/10",
    "2.5": "C2/0 C2/0 C2/0 C2/0 G13/1 G13/1 G13/1 H20/2"
           " J32/3 K50/5 L80/6 M125/8 N200/10 N200/10 N200/10 N200/10",
    "4.0": "B2/0 B2/0 B2/0 F8/1 F8/1 F8/1 G13/2 H20/3"
           " J32/5 K50/6 L80/8 M125/10 M125/10 M125/10 M125/10 M125/10",
    "6.5": "A2/0 A2/0 E5/1 E5/1 E5/1 F8/2 G13/3 H20/5"
           " J32/6 K50/8 L80/10 L80/10 L80/10 L80/10 L80/10 L80/10",
    "10": "D3/1 D3/1 D3/1 D3/1 E5/2 F8/3 G13/5 H20/6"
          " J32/8 K50/10 K50/10 K50/10 K50/10 K50/10 K50/10 K50/10",
    "15": "C2/1 C2/1 C2/1 D3/2 E5/3 F8/5 G13/6 H20/8"
          " J32/10 J32/10 J32/10 J32/10 J32/10 J32/10 J32/10 J32/10",
    "25": "A2/1 B2/1 C2/2 D3/3 E5/5 F8/6 G13/8 H20/10"
          " H20/10 H20/10 H20/10 H20/10 H20/10 H20/10 H20/10 H20/10",
    "40": "A2/2 B2/2 C2/3 D3/5 E5/6 F8/8 G13/10 G13/10"
          " G13/10 G13/10 G13/10 G13/10 G13/10 G13/10 G13/10 G13/10",
    "65": "A2/3 B2/3 C2/5 D3/6 E5/8 F8/10 F8/10 F8/10"
          " F8/10 F8/10 F8/10 F8/10 F8/10 F8/10 F8/10 F8/10",
    "100": "A2/5 B2/5 C2/6 D3/8 E5/10 E5/10 E5/10 E5/10"
           " E5/10 E5/10 E5/10 E5/10 E5/10 E5/10 E5/10 E5/10",
    "150": "A2/7 B2/7 C2/8 D3/10 E5/14 E5/14 E5/14 E5/14"
           " E5/14 E5/14 E5/14 E5/14 E5/14 E5/14 E5/14 E5/14",
    "250": "A2/10 B2/10 C2/10 D3/14 E5/21 E5/21 E5/21 E5/21"
           " E5/21 E5/21 E5/21 E5/21 E5/21 E5/21 E5/21 E5/21",
    "400": "A2/14 B2/14 C2/14 D3/21 D3/21 D3/21 D3/21 D3/21"
           " D3/21 D3/21 D3/21 D3/21 D3/21 D3/21 D3/21 D3/21",
    "650": "A2/21 B2/21 C2/21 C2/21 C2/21 C2/21 C2/21 C2/21"
           " C2/21 C2/21 C2/21 C2/21 C2/21 C2/21 C2/21 C2/21",
    "1000": "A2/30 B2/30 B2/30 B2/30 B2/30 B2/30 B2/30 B2/30"
            " B2/30 B2/30 B2/30 B2/30 B2/30 B2/30 B2/30 B2/30",
}


def _expected(severity: str, letter: str, aql: str) -> tuple[str, int, int, int]:
    """(code letter, n, Ac, Re) of the plan the independent transcription gives for a cell."""
    if severity == "reduced":
        entry = GB_REDUCED[aql].split()[LETTERS.index(letter)]
        final = entry[0]
        n, ac = (int(x) for x in entry[1:].split("/"))
        return final, n, ac, ac + 1
    column = (Z_NORMAL if severity == "normal" else Z_TIGHTENED)[aql].split()
    n, ac = (int(x) for x in column[LETTERS.index(letter)].split("/"))
    by_size = {size: code for code, size in SAMPLE_SIZE[severity].items()}
    return by_size[n], n, ac, ac + 1


# --- Table 1 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("level", LEVELS)
def test_code_letters_cell_by_cell(level):
    table = code_letter_table()
    assert [(lo, hi) for lo, hi, _ in table.rows] == LOT_RANGES
    for (lo, hi), expected in zip(LOT_RANGES, TABLE_1[level]):
        for lot in (lo, hi if hi is not None else 10**9):  # both ends of every range
            assert table.letter(lot, level) == expected, (lot, level)
            assert plan(lot, "1.0", level).initial_code_letter == expected


def test_sample_size_of_every_code_letter():
    for severity in SEVERITIES:
        assert master_table(severity).sample_sizes == SAMPLE_SIZE[severity], severity


# --- Tables 2-A, 2-B, 2-C -------------------------------------------------------------------------

@pytest.mark.parametrize("severity", SEVERITIES)
def test_master_table_cell_by_cell(severity):
    master = master_table(severity)
    assert master.name == {"normal": "2-A", "tightened": "2-B", "reduced": "2-C"}[severity]
    checked = 0
    for letter in LETTERS:
        for aql in AQL_SERIES:
            final, n, ac, re = _expected(severity, letter, aql)
            assert master.resolve(letter, aql) == (final, n, ac, re), (severity, letter, aql)
            order = master.letters
            printed = master.cells[(letter, aql)]
            if final == letter:
                assert printed == (ac, re), (severity, letter, aql)
            else:  # the printed cell is an arrow pointing towards the row that holds the plan
                assert printed == (DOWN if order.index(final) > order.index(letter) else UP), (severity, letter, aql)
            checked += 1
    assert checked == 16 * 26


def test_tightened_table_has_code_letter_s_with_one_plan():
    master = master_table("tightened")
    row = {aql: master.cells[("S", aql)] for aql in AQL_SERIES}
    assert row.pop("0.025") == (1, 2) and set(row.values()) == {None}
    assert master.resolve("R", "0.025") == ("S", 3150, 1, 2) and master.resolve("Q", "0.025") == ("S", 3150, 1, 2)


@pytest.mark.parametrize("severity", SEVERITIES)
def test_every_plan_has_re_one_above_ac(severity):
    # ISO 2859-1:1999 single plans have no gap, reduced ones included (the 1999 edition removed it).
    plans = [c for c in master_table(severity).cells.values() if isinstance(c, tuple)]
    assert plans and all(re == ac + 1 for ac, re in plans)


def test_the_tables_name_their_source():
    assert code_letter_table().source.startswith("ISO 2859-1:1999")
    for severity in SEVERITIES:
        assert master_table(severity).source.startswith("ISO 2859-1:1999")


def test_a_plan_one_aql_step_tighter_always_exists_for_the_switching_score():
    # 9.3.3.2: for Ac ≥ 2 the score asks whether the lot would pass at the next tighter AQL with the
    # same sample size — Table 2-A always has a plan in that cell.
    normal = master_table("normal")
    for (letter, aql), cell in normal.cells.items():
        if isinstance(cell, tuple) and cell[0] >= 2:
            tighter = normal.cells[(letter, AQL_SERIES[AQL_SERIES.index(aql) - 1])]
            assert isinstance(tighter, tuple) and tighter[0] < cell[0], (letter, aql)


def _table_text(severity: str) -> str:
    return _data_text({"normal": "iso2859_1_table2a_normal.csv", "tightened": "iso2859_1_table2b_tightened.csv",
                       "reduced": "iso2859_1_table2c_reduced.csv"}[severity])


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("# source:", "# origin:"), "names no source"),
    (lambda t: t.replace("J,80,", "J,80,7,", 1), "cells, expected"),
    (lambda t: t.replace("J,80,↓", "J,80,x", 1), "'x' is not 'Ac Re'"),
    (lambda t: t.replace("J,80,", "J,45,", 1), "must grow"),
    (lambda t: t.replace("\nK,125,", "\nZ,125,", 1), "not a new code letter"),
    (lambda t: t.replace("R,2000,↑", "R,2000,↓", 1), "leads to no sampling plan"),  # off the bottom
])
def test_a_damaged_master_table_is_refused(change, message):
    text = _table_text("normal")
    assert parse_master(text, "normal").sample_sizes["J"] == 80
    damaged = change(text)
    assert damaged != text
    with pytest.raises(SamplingTableError, match=message):
        parse_master(damaged, "normal")


def test_a_damaged_code_letter_table_is_refused():
    text = _data_text("iso2859_1_table1_code_letters.csv")
    assert parse_code_letters(text).rows[0][0] == 2
    for damaged, message in ((text.replace("9,15,", "10,15,"), "without gaps"),
                             (text.replace("500001,,", "500001,900000,"), "open-ended"),
                             (text.replace("2,8,A,A,A,A,A,A,B", "2,8,A,A,A,A,A,A,I"), "not a code letter")):
        with pytest.raises(SamplingTableError, match=message):
            parse_code_letters(damaged)


# --- plans: worked examples -----------------------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    # lot 1,000, level II, AQL 1.0: code letter J, n 80, Ac 2 Re 3 (the usual textbook example)
    ((1000, 1.0), ("J", 80, 2, 3, False)),
    # lot 2,000, AQL 0.65, level II (Montgomery's MIL-STD-105E example): K, n 125, normal Ac 2 Re 3,
    # tightened Ac 1 Re 2, reduced n 50 Ac 1 (Re 3 in MIL-STD-105E; Re 2 in ISO 2859-1:1999, no gap)
    ((2000, 0.65), ("K", 125, 2, 3, False)),
    ((2000, 0.65, "II", "tightened"), ("K", 125, 1, 2, False)),
    ((2000, 0.65, "II", "reduced"), ("K", 50, 1, 2, False)),
    # lot 1,000, level III, AQL 1.5, normal: K, n 125, Ac 5 Re 6 (published MIL-STD-105E exercise)
    ((1000, 1.5, "III"), ("K", 125, 5, 6, False)),
    # lot 500, level I, AQL 6.5, tightened: F, n 20, Ac 2 Re 3 (the same exercise, part b)
    ((500, 6.5, "I", "tightened"), ("F", 20, 2, 3, False)),
    # tightened and reduced at lot 1,000, level II, AQL 1.0
    ((1000, "1.0", "II", "tightened"), ("J", 80, 1, 2, False)),
    ((1000, "1", "II", "reduced"), ("J", 32, 1, 2, False)),
    # special levels
    ((1000, 2.5, "S-2"), ("C", 5, 0, 1, False)),
    ((10000, 4.0, "S-3"), ("F", 20, 2, 3, False)),
    ((200, 1.0, "S-1"), ("B", 3, 0, 1, True)),  # B at 1.0 is ↓: the 0 1 plan of E (n 13)
])
def test_worked_examples(args, expected):
    p = plan(*args)
    if expected[-1]:  # arrow cases give the row they land in
        assert (p.initial_code_letter, p.arrow_followed) == ("B", True)
        assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("E", 13, 0, 1)
    else:
        assert (p.code_letter, p.sample_size, p.accept, p.reject, p.arrow_followed) == expected
        assert p.initial_code_letter == p.code_letter and p.note == ""


def test_arrow_down_moves_to_a_larger_sample():
    # lot 500, level II → H (n 50); Table 2-A has ↓ at H for AQL 0.65: J's plan 1 2 with n 80
    p = plan(500, 0.65)
    assert (p.initial_code_letter, p.code_letter, p.sample_size, p.accept, p.reject) == ("H", "J", 80, 1, 2)
    assert p.arrow_followed and "↓ at code letter H" in p.note and not p.full_inspection


def test_arrow_up_moves_to_a_smaller_sample():
    # lot 1,000, level II → J (n 80); Table 2-A has ↑ at J for AQL 0.25: H's plan 0 1 with n 50
    p = plan(1000, 0.25)
    assert (p.initial_code_letter, p.code_letter, p.sample_size, p.accept, p.reject) == ("J", "H", 50, 0, 1)
    assert p.arrow_followed and "↑ at code letter J" in p.note
    r = plan(1000, 0.25, severity="reduced")  # reduced: J (n 32) has ↑ at 0.25 → H's 0 1 with n 20
    assert (r.code_letter, r.sample_size, r.accept, r.reject, r.arrow_followed) == ("H", 20, 0, 1, True)


def test_arrows_cross_several_rows_and_reach_code_letter_s():
    p = plan(600000, 0.025, severity="tightened")  # Q → ↓ R → ↓ S: 3150, 1 2
    assert (p.initial_code_letter, p.code_letter, p.sample_size, p.accept, p.reject) == ("Q", "S", 3150, 1, 2)
    q = plan(2, 0.010)  # A at 0.010 is ↓ all the way to Q: 1250, 0 1
    assert (q.code_letter, q.sample_size, q.accept) == ("Q", 1250, 0)


def test_a_sample_as_large_as_the_lot_means_100_percent_inspection_and_keeps_the_plan():
    p = plan(10, 0.65)  # B → ↓ → F: n 20 for a lot of 10
    assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("F", 20, 0, 1)
    assert p.full_inspection and "100 % inspection" in p.note
    exact = plan(8, 10, "II", "tightened")  # A → ↓ → D: n 8 equals the lot of 8
    assert exact.sample_size == 8 and exact.full_inspection
    assert not plan(9, 10, "II", "tightened").full_inspection  # B → D: n 8 < 9


def test_aql_above_10_is_for_nonconformities_per_100_items():
    p = plan(100, 25)
    assert (p.code_letter, p.sample_size, p.accept, p.reject) == ("F", 20, 10, 11)
    assert "nonconformities per 100 items" in p.note


def test_every_aql_and_level_gives_a_plan():
    for severity in SEVERITIES:
        for level in LEVELS:
            for aql in AQL_SERIES:
                for lot in (2, 1000, 10**7):
                    p = plan(lot, aql, level, severity)
                    assert p.reject == p.accept + 1 and p.sample_size == SAMPLE_SIZE[severity][p.code_letter]


@pytest.mark.parametrize("kwargs, message", [
    ({"lot_size": 1, "aql": 1.0}, "lot size 1 is too small"),
    ({"lot_size": 0, "aql": 1.0}, "lot size 0 is too small"),
    ({"lot_size": -5, "aql": 1.0}, "too small"),
    ({"lot_size": 2.5, "aql": 1.0}, "whole number"),
    ({"lot_size": True, "aql": 1.0}, "whole number"),
    ({"lot_size": "100", "aql": 1.0}, "whole number"),
    ({"lot_size": 100, "aql": 0.7}, "AQL 0.7 is not in the ISO 2859-1 series"),
    ({"lot_size": 100, "aql": 0}, "not in the ISO 2859-1 series"),
    ({"lot_size": 100, "aql": -1.0}, "not in the ISO 2859-1 series"),
    ({"lot_size": 100, "aql": float("nan")}, "not in the ISO 2859-1 series"),
    ({"lot_size": 100, "aql": "abc"}, "is not a number"),
    ({"lot_size": 100, "aql": True}, "must be a number"),
    ({"lot_size": 100, "aql": None}, "must be a number"),
    ({"lot_size": 100, "aql": 1.0, "level": "IV"}, "inspection level 'IV' is not one of"),
    ({"lot_size": 100, "aql": 1.0, "severity": "lenient"}, "severity 'lenient' is not one of"),
])
def test_bad_input_is_a_clear_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plan(**kwargs)


def test_aql_and_level_spellings():
    assert plan(1000, "0,65").aql_label == "0.65" and plan(1000, 1).aql_label == "1.0"
    assert plan(1000, "0.1").aql_label == "0.10" and plan(1000, 10.0).aql_label == "10"
    assert plan(1000, 1.0, "s2").level == "S-2" and plan(1000, 1.0, "iii").level == "III"
    assert plan(1000, 1.0, severity="Tightened").severity == "tightened"


def test_accepts_decides_the_lot():
    p = plan(1000, 1.0)  # Ac 2 Re 3
    assert p.accepts(0) and p.accepts(2) and not p.accepts(3)
    with pytest.raises(ValueError):
        p.accepts(-1)


# --- switching rules --------------------------------------------------------------------------------

T, F = True, False


def test_normal_to_tightened_on_two_of_five_not_accepted():
    assert switching([T, F, T, F]) == ["normal"] * 4 + ["tightened"]
    assert switching([F, T, T, T, F]) == ["normal"] * 5 + ["tightened"]  # 2 in a run of 5
    assert switching([F, F]) == ["normal", "normal", "tightened"]  # 2 of 2
    assert switching([F, T, T, T, T, F, T]) == ["normal"] * 8  # 6 lots apart: never 2 within 5


def test_tightened_to_normal_after_five_consecutive_accepted():
    assert switching([T] * 5, start="tightened") == ["tightened"] * 5 + ["normal"]
    states = switching([T, T, F, T, T, T, T, T], start="tightened")
    assert states == ["tightened"] * 8 + ["normal"]  # the run restarts after the lot not accepted


def test_discontinuation_after_five_lots_not_accepted_on_tightened():
    history = [F, T, F, T, F, T, F, T, F, T]
    states = switching(history, start="tightened")
    assert states[:9] == ["tightened"] * 9 and states[9:] == ["discontinued"] * 2
    steps = switching_steps(history, start="tightened")
    assert steps[8].reason == "5 lots not accepted on tightened inspection"
    # the count is per spell: a return to normal and back starts again from zero
    again = switching([F, F, F, F, T, T, T, T, T, F, F, F], start="tightened")
    assert "discontinued" not in again and again[-1] == "tightened"


def test_normal_to_reduced_when_the_score_reaches_30():
    # bare bools score by the Ac 0/1 rule: +2 per accepted lot, so the 15th accepted lot reaches 30
    states = switching([T] * 16)
    assert states[:15] == ["normal"] * 15 and states[15:] == ["reduced", "reduced"]
    assert [s.score for s in switching_steps([T] * 3)] == [2, 4, 6]
    assert switching([T] * 20, approved=False)[-1] == "normal"  # the responsible authority must agree
    assert switching([T] * 20, steady=False)[-1] == "normal"  # production must be steady


def test_a_lot_not_accepted_resets_the_score():
    history = [T] * 14 + [F] + [T] * 15
    states = switching(history)
    assert set(states[:30]) == {"normal"} and states[30] == "reduced"
    assert switching_steps(history)[14].score == 0


def test_reduced_to_normal():
    assert switching([T, T, F, T], start="reduced") == ["reduced", "reduced", "reduced", "normal", "normal"]
    lots = [Lot(1000, 0, 1.0), Lot(1000, 0, 1.0, steady=False), Lot(1000, 0, 1.0)]
    assert switching(lots, start="reduced") == ["reduced", "reduced", "normal", "normal"]
    assert switching_steps(lots, start="reduced")[1].reason == "production irregular or delayed"


def test_the_score_with_acceptance_number_2_or_more_uses_the_tighter_aql():
    # lot 1,000, level II, AQL 1.0 normal: J, n 80, Ac 2. One step tighter (AQL 0.65, J): Ac 1.
    passes_tighter = [Lot(1000, 1, 1.0)] * 10  # 1 ≤ 1: +3 each, 30 after the 10th lot
    assert [s.score for s in switching_steps(passes_tighter)][:3] == [3, 6, 9]
    assert switching(passes_tighter) == ["normal"] * 10 + ["reduced"]
    accepted_only = [Lot(1000, 2, 1.0)] * 20  # accepted (2 ≤ 2) but not at 0.65: the score stays 0
    steps = switching_steps(accepted_only)
    assert all(s.accepted and s.score == 0 for s in steps) and steps[-1].next == "normal"
    # an Ac 0/1 plan adds 2: lot 500, AQL 0.65 → J n 80 Ac 1
    assert [s.score for s in switching_steps([Lot(500, 1, 0.65)] * 2)] == [2, 4]


def test_lots_are_judged_by_the_plan_in_force():
    # 2 nonconforming in the J/80 sample: accepted on normal (Ac 2), not on tightened (Ac 1) ...
    lot = Lot(1000, 2, 1.0)
    assert switching_steps([lot])[0].accepted
    steps = switching_steps([lot] * 5, start="tightened")
    assert [s.accepted for s in steps] == [F] * 5 and steps[-1].next == "discontinued"
    # ... nor on reduced (J, n 32, Ac 1), which then returns to normal
    assert switching([lot], start="reduced") == ["reduced", "normal"]


def test_switching_refuses_bad_input():
    with pytest.raises(ValueError, match="severity"):
        switching([T], start="discontinued")
    with pytest.raises(ValueError, match="history item 1"):
        switching([T, "yes"])
    with pytest.raises(ValueError, match="AQL"):
        switching([Lot(1000, 0, 0.7)])
    assert switching([]) == ["normal"]


# --- qms sampling ---------------------------------------------------------------------------------

def test_cli_json(tmp_path):
    proc = run_qms("sampling", "1000", "--aql", "1.0", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {k: out[k] for k in ("code_letter", "sample_size", "accept", "reject")} == \
        {"code_letter": "J", "sample_size": 80, "accept": 2, "reject": 3}
    assert out["lot_size"] == 1000 and out["aql"] == 1.0 and out["level"] == "II" and out["severity"] == "normal"
    assert out["arrow_followed"] is False and out["note"] == ""


def test_cli_text_for_the_inspector(tmp_path):
    proc = run_qms("sampling", "500", "--aql", "0.65", "--level", "II", "--severity", "normal", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "INSPECT  80 items" in proc.stdout and "(Ac 1)" in proc.stdout and "(Re 2)" in proc.stdout
    assert "code letter J" in proc.stdout and "↓ at code letter H" in proc.stdout
    full = run_qms("sampling", "10", "--aql", "0.65", cwd=tmp_path)
    assert full.returncode == 0 and "100 % INSPECTION" in full.stdout


@pytest.mark.parametrize("args, message", [
    (["1000", "--aql", "0.7"], "AQL 0.7 is not in the ISO 2859-1 series"),
    (["1000", "--aql", "1.0", "--level", "IV"], "inspection level 'IV'"),
    (["0", "--aql", "1.0"], "lot size 0 is too small"),
    (["12.5", "--aql", "1.0"], "lot size must be a whole number"),
    (["1000", "--aql", "lots", "--severity", "lenient"], "'lenient' is not one of"),
    (["1000"], "qms: error: missing option '--aql'"),
])
def test_cli_bad_input_exits_2(tmp_path, args, message):
    proc = run_qms("sampling", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr and proc.stdout == ""
