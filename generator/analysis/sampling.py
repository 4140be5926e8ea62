"""Incoming inspection by attributes: ISO 2859-1:1999 single sampling plans and switching rules.

The standard's tables are data shipped with the package, each naming its source in its header
comment (`generator/data/iso2859_1_*.csv`):

- Table 1, sample size code letters: lot size × inspection level (S-1..S-4, I, II, III) → letter;
- Tables 2-A, 2-B, 2-C, the master tables for normal, tightened and reduced inspection: for each
  code letter its sample size, and for each AQL of the standard's series either "Ac Re" or an
  arrow (↓ use the first sampling plan below the arrow, ↑ the first above it).

`plan()` reads Table 1, then follows arrows in the master table of the severity in force. When
an arrow is followed, the plan found sits at another code letter, and *that* row's sample size
applies (the plan keeps its own n, Ac and Re). When the sample size equals or exceeds the lot
size the standard calls for 100 % inspection: the plan is still reported exactly as the table
gives it, with `full_inspection` set and a sentence in `note`, so the record shows both.

`switching()` applies the switching rules of clause 9 to a history of lots: normal → tightened
when 2 of 5 or fewer consecutive lots are not accepted; tightened → normal after 5 consecutive
accepted lots; normal → reduced when the switching score (9.3.3.2) reaches 30, production is
steady and the responsible authority approves; reduced → normal when a lot is not accepted or
production becomes irregular; and discontinuation when 5 lots in all are not accepted during
one spell of tightened inspection.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from .reference import read_reference_csv

STANDARD = "ISO 2859-1:1999"

# The AQL series exactly as the standard prints its column headings (percent nonconforming up to
# 10; 15 and above only for nonconformities per 100 items).
AQL_SERIES: tuple[str, ...] = ("0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40",
                               "0.65", "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65", "100",
                               "150", "250", "400", "650", "1000")
LEVELS: tuple[str, ...] = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
SEVERITIES: tuple[str, ...] = ("normal", "tightened", "reduced")
STATES: tuple[str, ...] = (*SEVERITIES, "discontinued")
TABLE_OF: dict[str, str] = {"normal": "2-A", "tightened": "2-B", "reduced": "2-C"}
CODE_LETTERS = "ABCDEFGHJKLMNPQRS"  # the standard skips I and O; S exists only in Table 2-B
DOWN, UP = "↓", "↑"

CODE_LETTER_FILE = "iso2859_1_table1_code_letters.csv"
MASTER_FILES: dict[str, str] = {"normal": "iso2859_1_table2a_normal.csv",
                                "tightened": "iso2859_1_table2b_tightened.csv",
                                "reduced": "iso2859_1_table2c_reduced.csv"}

_AQL_VALUES = tuple(Decimal(label) for label in AQL_SERIES)
_SERIES_TEXT = ", ".join(AQL_SERIES)


class SamplingTableError(ValueError):
    """A sampling-table data file is malformed: the message names the file and line."""


# --------------------------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------------------------

Cell = tuple[int, int] | str | None  # (Ac, Re), DOWN, UP, or None for a blank cell


@dataclass(frozen=True)
class CodeLetterTable:
    """ISO 2859-1 Table 1."""

    source: str
    rows: tuple[tuple[int, int | None, dict[str, str]], ...]  # (lot_min, lot_max or None, level → letter)

    def letter(self, lot_size: int, level: str) -> str:
        for lot_min, lot_max, letters in self.rows:
            if lot_size >= lot_min and (lot_max is None or lot_size <= lot_max):
                return letters[level]
        raise ValueError(f"lot size {lot_size} is below the smallest lot in Table 1 ({self.rows[0][0]})")


@dataclass(frozen=True)
class MasterTable:
    """One of ISO 2859-1 Tables 2-A, 2-B, 2-C, as printed: plans and arrows."""

    name: str  # "2-A"
    severity: str
    source: str
    sample_sizes: dict[str, int]  # code letter → n, in table order
    cells: dict[tuple[str, str], Cell]  # (code letter, AQL label) → cell

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(self.sample_sizes)

    def resolve(self, letter: str, aql: str) -> tuple[str, int, int, int]:
        """Follow arrows from (letter, aql) to a plan: (code letter, n, Ac, Re) of the row where it is found."""
        letters = self.letters
        here = letters.index(letter)
        for _ in range(len(letters)):
            cell = self.cells[(letters[here], aql)]
            if isinstance(cell, tuple):
                return letters[here], self.sample_sizes[letters[here]], cell[0], cell[1]
            if cell == DOWN:
                here += 1
            elif cell == UP:
                here -= 1
            if cell is None or not 0 <= here < len(letters):
                break
        raise SamplingTableError(f"Table {self.name}: following the arrows from code letter {letter} at AQL {aql} "
                                 "leads to no sampling plan")


def _data_text(name: str) -> str:
    return resources.files("generator.data").joinpath(name).read_text(encoding="utf-8")


def _split(name: str, text: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The `# source:` line and the non-comment CSV rows (with their line numbers) of a data file."""
    source, rows = read_reference_csv(text)
    if not source:
        raise SamplingTableError(f"{name}: the table names no source (a '# source: ...' line)")
    if not rows:
        raise SamplingTableError(f"{name}: the table has no header row")
    return source, rows


def parse_code_letters(text: str, name: str = CODE_LETTER_FILE) -> CodeLetterTable:
    source, rows = _split(name, text)
    (_, header), body = rows[0], rows[1:]
    if tuple(header) != ("lot_min", "lot_max", *LEVELS):
        raise SamplingTableError(f"{name}: header must be lot_min,lot_max,{','.join(LEVELS)}")
    parsed: list[tuple[int, int | None, dict[str, str]]] = []
    expect_min = 2
    for number, cells in body:
        if len(cells) != len(header):
            raise SamplingTableError(f"{name}:{number}: {len(cells)} cells, expected {len(header)}")
        try:
            lot_min = int(cells[0])
            lot_max = int(cells[1]) if cells[1] else None
        except ValueError:
            raise SamplingTableError(f"{name}:{number}: lot sizes must be whole numbers") from None
        if lot_min != expect_min or (lot_max is not None and lot_max < lot_min):
            raise SamplingTableError(f"{name}:{number}: lot ranges must run on from {expect_min} without gaps")
        letters = dict(zip(LEVELS, cells[2:]))
        for level, letter in letters.items():
            if len(letter) != 1 or letter not in CODE_LETTERS[:-1]:
                raise SamplingTableError(f"{name}:{number}: '{letter}' for level {level} is not a code letter A-R")
        parsed.append((lot_min, lot_max, letters))
        if lot_max is None:
            expect_min = -1
        else:
            expect_min = lot_max + 1
    if not parsed or parsed[-1][1] is not None:
        raise SamplingTableError(f"{name}: the last lot range must be open-ended (empty lot_max)")
    return CodeLetterTable(source=source, rows=tuple(parsed))


def _cell(text: str, where: str) -> Cell:
    if text == "":
        return None
    if text in (DOWN, UP):
        return text
    parts = text.split()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        ac, re = int(parts[0]), int(parts[1])
        if re > ac:
            return (ac, re)
    raise SamplingTableError(f"{where}: '{text}' is not 'Ac Re' (Re > Ac), {DOWN}, {UP} or blank")


def parse_master(text: str, severity: str, name: str | None = None) -> MasterTable:
    table = TABLE_OF[severity]
    name = name or MASTER_FILES[severity]
    source, rows = _split(name, text)
    (_, header), body = rows[0], rows[1:]
    if tuple(header) != ("code_letter", "sample_size", *AQL_SERIES):
        raise SamplingTableError(f"{name}: header must be code_letter,sample_size,{','.join(AQL_SERIES)}")
    sizes: dict[str, int] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for number, row in body:
        if len(row) != len(header):
            raise SamplingTableError(f"{name}:{number}: {len(row)} cells, expected {len(header)}")
        letter = row[0]
        if len(letter) != 1 or letter not in CODE_LETTERS or letter in sizes:
            raise SamplingTableError(f"{name}:{number}: '{letter}' is not a new code letter")
        if not row[1].isdigit() or int(row[1]) < 1:
            raise SamplingTableError(f"{name}:{number}: sample size '{row[1]}' is not a positive whole number")
        sizes[letter] = int(row[1])
        for aql, text_cell in zip(AQL_SERIES, row[2:]):
            cells[(letter, aql)] = _cell(text_cell, f"{name}:{number} (AQL {aql})")
    order = [c for c in CODE_LETTERS if c in sizes]
    if list(sizes) != order or order[:16] != list(CODE_LETTERS[:16]):
        raise SamplingTableError(f"{name}: code letters must run A to R in order (A B C D E F G H J K L M N P Q R)")
    n = list(sizes.values())
    grows = all(b >= a for a, b in zip(n, n[1:])) if severity == "reduced" else all(b > a for a, b in zip(n, n[1:]))
    if not grows:  # Table 2-C gives letters A, B and C the same sample size; the others grow strictly
        raise SamplingTableError(f"{name}: sample sizes must grow from one code letter to the next")
    master = MasterTable(name=table, severity=severity, source=source, sample_sizes=sizes, cells=cells)
    for letter in CODE_LETTERS[:16]:  # every cell a Table 1 letter can start from must lead to a plan
        for aql in AQL_SERIES:
            master.resolve(letter, aql)
    return master


@lru_cache(maxsize=1)
def code_letter_table() -> CodeLetterTable:
    return parse_code_letters(_data_text(CODE_LETTER_FILE))


@cache
def master_table(severity: str) -> MasterTable:
    if severity not in SEVERITIES:
        raise ValueError(f"severity '{severity}' is not one of {', '.join(SEVERITIES)}")
    return parse_master(_data_text(MASTER_FILES[severity]), severity)


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------

def aql_label(aql: object) -> str:
    """The standard's label for an AQL given as a number or text ("1", 1.0, "1.0" → "1.0"); ValueError otherwise."""
    if isinstance(aql, bool) or not isinstance(aql, (int, float, str, Decimal)):
        raise ValueError(f"AQL must be a number from the ISO 2859-1 series ({_SERIES_TEXT}), not {aql!r}")
    text = aql.strip().replace(",", ".") if isinstance(aql, str) else repr(aql) if isinstance(aql, float) else str(aql)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"AQL '{aql}' is not a number; use one of the ISO 2859-1 series: {_SERIES_TEXT}") from None
    if value.is_finite():
        for label, series_value in zip(AQL_SERIES, _AQL_VALUES):
            if value == series_value:
                return label
    raise ValueError(f"AQL {aql} is not in the ISO 2859-1 series; use one of: {_SERIES_TEXT}")


def check_lot_size(lot_size: object) -> int:
    if isinstance(lot_size, bool) or not isinstance(lot_size, int):
        raise ValueError(f"lot size must be a whole number of items (2 or more), not {lot_size!r}")
    if lot_size < 2:
        raise ValueError(f"lot size {lot_size} is too small: ISO 2859-1 Table 1 starts at lots of 2 items")
    return lot_size


def check_level(level: object) -> str:
    text = str(level).strip().upper() if isinstance(level, str) else ""
    if text.startswith("S") and not text.startswith("S-"):
        text = "S-" + text[1:]
    if text not in LEVELS:
        raise ValueError(f"inspection level {level!r} is not one of {', '.join(LEVELS)}")
    return text


def check_severity(severity: object) -> str:
    text = severity.strip().lower() if isinstance(severity, str) else ""
    if text not in SEVERITIES:
        raise ValueError(f"inspection severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    return text


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SamplingPlan:
    code_letter: str  # the row the plan was found in (after following any arrow)
    sample_size: int
    accept: int  # Ac: accept the lot with this many nonconforming items (or nonconformities) or fewer
    reject: int  # Re: do not accept it with this many or more
    lot_size: int
    aql: float
    level: str
    severity: str
    arrow_followed: bool
    note: str
    initial_code_letter: str = ""  # the Table 1 letter before any arrow
    aql_label: str = ""  # the AQL as the standard prints it ("1.0", "0.65", "10")
    table: str = ""  # "2-A", "2-B" or "2-C"
    full_inspection: bool = False  # sample size ≥ lot size: the standard calls for 100 % inspection
    notes: tuple[str, ...] = ()  # the sentences of `note`, one per remark (arrow, 100 %, AQL above 10)

    def accepts(self, nonconforming: int) -> bool:
        """Lot decision on original inspection: accepted when the count is at most Ac."""
        if isinstance(nonconforming, bool) or not isinstance(nonconforming, int) or nonconforming < 0:
            raise ValueError(f"the number found must be a whole number ≥ 0, not {nonconforming!r}")
        return nonconforming <= self.accept

    def as_json(self) -> dict[str, Any]:
        return {
            "code_letter": self.code_letter,
            "sample_size": self.sample_size,
            "accept": self.accept,
            "reject": self.reject,
            "lot_size": self.lot_size,
            "aql": self.aql,
            "aql_label": self.aql_label,
            "level": self.level,
            "severity": self.severity,
            "table": self.table,
            "initial_code_letter": self.initial_code_letter,
            "arrow_followed": self.arrow_followed,
            "full_inspection": self.full_inspection,
            "note": self.note,
            "standard": STANDARD,
        }


def plan(lot_size: int, aql: float | str, level: str = "II", severity: str = "normal") -> SamplingPlan:
    """The single sampling plan of ISO 2859-1 for a lot: Table 1, then Table 2-A, 2-B or 2-C.

    Raises ValueError with a sentence a person can act on for a lot size below 2, an AQL not in
    the standard's series, an unknown inspection level or severity.
    """
    lot_size = check_lot_size(lot_size)
    label = aql_label(aql)
    level = check_level(level)
    severity = check_severity(severity)
    start = code_letter_table().letter(lot_size, level)
    master = master_table(severity)
    letter, n, ac, re = master.resolve(start, label)
    notes: list[str] = []
    moved = letter != start
    if moved:
        arrow = master.cells[(start, label)]
        notes.append(f"Table {master.name} has {arrow} at code letter {start} for AQL {label}: "
                     f"the plan of code letter {letter} applies, with its sample size {n}.")
    full = n >= lot_size
    if full:
        notes.append(f"The sample size {n} is not smaller than the lot of {lot_size}: ISO 2859-1 calls for "
                     "100 % inspection of the lot; the plan is reported as the table gives it.")
    if Decimal(label) > 10:
        notes.append(f"AQL {label} is above 10: it applies only to nonconformities per 100 items, "
                     "not to percent nonconforming.")
    return SamplingPlan(code_letter=letter, sample_size=n, accept=ac, reject=re, lot_size=lot_size,
                        aql=float(Decimal(label)), level=level, severity=severity, arrow_followed=moved,
                        note=" ".join(notes), initial_code_letter=start, aql_label=label, table=master.name,
                        full_inspection=full, notes=tuple(notes))


# --------------------------------------------------------------------------------------------
# Switching rules (clause 9)
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lot:
    """One lot's original inspection (resubmitted lots do not count), with what it takes to judge it.

    The plan in force for the lot, and so whether it is accepted, depends on the severity the
    switching rules have reached; `switching()` works that out. `steady` says whether production
    was at a steady rate when the lot was made.
    """

    lot_size: int
    defects: int  # nonconforming items (or nonconformities) found in the sample
    aql: float | str
    level: str = "II"
    steady: bool = True


@dataclass(frozen=True)
class SwitchStep:
    index: int  # position in the history
    severity: str  # the severity in force when the lot was inspected (or "discontinued")
    accepted: bool
    score: int | None  # the switching score after this lot (normal inspection only)
    next: str  # the state in force for the next lot
    reason: str  # why the state changed after this lot ("" when it did not)


def _tighter_accept(p: SamplingPlan) -> int:
    """Ac of the normal plan for the same code letter at the AQL one step tighter (9.3.3.2 a) 1))."""
    tighter = AQL_SERIES[AQL_SERIES.index(p.aql_label) - 1]
    cell = master_table("normal").cells[(p.code_letter, tighter)]
    if not isinstance(cell, tuple):  # Table 2-A always has a plan there when Ac ≥ 2 (tests check it)
        raise SamplingTableError(f"Table 2-A has no plan at code letter {p.code_letter} for AQL {tighter}")
    return cell[0]


def switching_steps(history: Sequence[bool | Lot], start: str = "normal", *, steady: bool = True,
                    approved: bool = True) -> list[SwitchStep]:
    """Apply the ISO 2859-1 switching rules to lots in the order inspected; one step per lot.

    Each item is either a `Lot` (sample result; the plan in force decides acceptance) or a bool
    (accepted on original inspection). The switching score (9.3.3.2, single sampling) starts at 0
    whenever normal inspection starts and, after each lot on normal inspection, becomes:
    - if the plan's Ac is 2 or more: +3 when the lot would also have been accepted with the AQL one
      step tighter (same code letter, Table 2-A), otherwise 0;
    - if the plan's Ac is 0 or 1: +2 when the lot is accepted, otherwise 0.
    A bare bool carries no count, so it is scored by the Ac 0/1 rule (+2 when accepted); pass
    `Lot`s when the plan's Ac is 2 or more.

    `steady` (production at a steady rate) and `approved` (reduced inspection considered desirable
    by the responsible authority) are the other two conditions for reduced inspection; production
    that is not steady also ends reduced inspection. After discontinuation, further lots change
    nothing: sampling inspection resumes, on tightened inspection, only once the supplier has acted.
    """
    state = check_severity(start)
    if not isinstance(steady, bool) or not isinstance(approved, bool):
        raise ValueError("steady and approved must be True or False")
    steps: list[SwitchStep] = []
    score = 0
    recent: deque[bool] = deque(maxlen=5)  # results on the current spell of normal inspection
    run = 0  # consecutive accepted lots on the current spell of tightened inspection
    not_accepted = 0  # lots not accepted on the current spell of tightened inspection
    for index, item in enumerate(history):
        if isinstance(item, bool):
            accepted, lot_steady, points = item, steady, (2 if item else 0)
        elif isinstance(item, Lot):
            lot_steady = steady and item.steady
            # after discontinuation no plan is in force; the lot is judged as tightened inspection would
            p = plan(item.lot_size, item.aql, item.level, "tightened" if state == "discontinued" else state)
            accepted = p.accepts(item.defects)
            if not accepted:
                points = 0
            elif p.accept >= 2 and state == "normal":
                points = 3 if item.defects <= _tighter_accept(p) else 0
            else:
                points = 2
        else:
            raise ValueError(f"history item {index} must be True/False or a Lot, not {item!r}")
        severity, reason, shown_score = state, "", None
        if state == "normal":
            recent.append(accepted)
            score = score + points if points else 0
            shown_score = score
            if recent.count(False) >= 2:
                state, reason = "tightened", f"{recent.count(False)} of the last {len(recent)} lots not accepted"
            elif accepted and score >= 30 and lot_steady and approved:
                state, reason = "reduced", (f"switching score {score} ≥ 30, production steady, "
                                            "reduced inspection approved")
        elif state == "tightened":
            if accepted:
                run += 1
            else:
                run, not_accepted = 0, not_accepted + 1
            if not_accepted >= 5:
                state, reason = "discontinued", "5 lots not accepted on tightened inspection"
            elif run >= 5:
                state, reason = "normal", "5 consecutive lots accepted on tightened inspection"
        elif state == "reduced":
            if not accepted:
                state, reason = "normal", "a lot not accepted on reduced inspection"
            elif not lot_steady:
                state, reason = "normal", "production irregular or delayed"
        if state != severity:  # a new spell starts with fresh counts
            score, run, not_accepted = 0, 0, 0
            recent.clear()
        steps.append(SwitchStep(index=index, severity=severity, accepted=accepted, score=shown_score,
                                next=state, reason=reason))
    return steps


def switching(history: Sequence[bool | Lot], start: str = "normal", *, steady: bool = True,
              approved: bool = True) -> list[str]:
    """The severity in force for each lot of `history`, then for the next lot: len(history) + 1 states.

    `states[i]` is "normal", "tightened", "reduced" or "discontinued" when lot i is inspected;
    `states[-1]` is what applies to the lot after the last one. See `switching_steps()`.
    """
    steps = switching_steps(history, start, steady=steady, approved=approved)
    return [check_severity(start), *(s.next for s in steps)]
