"""The risk register workbook: the register, the before and after matrices, and the regions.

Region colours come from the risk policy; cells of the matrices hold the number
of hazardous situations estimated there. Bytes are deterministic (see xlsx.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..analysis.risk import Estimate, RiskResult, SituationRisk, Verification
from .xlsx import new_workbook, save_workbook, table_sheet

if TYPE_CHECKING:
    from ..analysis.fmea import FmeaResult
    from .names import Names

CENTER = Alignment(horizontal="center", vertical="center")
BOLD = Font(bold=True)

REGISTER_HEADER = (
    "Situation", "Title", "Hazard", "Sequence of events", "Harms",
    "Initial S", "Initial P", "Initial P1×P2", "Initial region",
    "Risk controls (7.1 priority)", "Implementation verified", "Effectiveness verified", "New hazards",
    "Residual S", "Residual P", "Residual P1×P2", "Residual region", "Benefit-risk", "Residual accepted",
)
REGISTER_WIDTHS = (11, 36, 30, 48, 36, 9, 9, 11, 14, 40, 30, 30, 12, 10, 10, 12, 14, 22, 11)
INITIAL_REGION_COL, RESIDUAL_REGION_COL = 9, 17  # 1-based columns the region colours fill

MATRIX_SHEETS = (("initial", "Initial matrix"), ("residual", "Residual matrix"))


def fill(color: str | None) -> PatternFill | None:
    return PatternFill("solid", fgColor=color.lstrip("#").upper()) if color else None


def _p1p2(e: Estimate | None) -> str | None:
    return f"{e.p1}×{e.p2}" if e is not None and e.p1 is not None and e.p2 is not None else None


def _verified(s: SituationRisk, pick: str) -> str:
    lines = []
    for c in s.controls:
        v: Verification = getattr(c, pick)
        tests = ", ".join(f"{t.id} {t.result or 'not run'}" for t in v.tests)
        lines.append(f"{c.id}: {v.status}" + (f" ({tests})" if tests else ""))
    return "\n".join(lines)


def _benefit_risk(s: SituationRisk) -> str:
    if not s.benefit_risk:
        return "required, missing" if s.needs_benefit_risk else ""
    return "\n".join(f"{b.id} {b.status} {b.conclusion or ''}".strip() for b in s.benefit_risk)


def register_rows(result: RiskResult) -> list[list[object]]:
    rows: list[list[object]] = []
    for s in result.situations:
        i, r = s.initial, s.residual
        hazard = f"{s.hazard} {s.hazard_title}" if s.hazard and s.hazard_title else s.hazard
        rows.append([
            s.id, s.title, hazard,
            "\n".join(f"{n}. {step}" for n, step in enumerate(s.sequence_of_events, 1)),
            "\n".join(f"{h.id} {h.title or ''} (S{h.severity})" if h.severity else f"{h.id} {h.title or ''}"
                      for h in s.harms),
            i.severity if i else None, i.probability if i else None, _p1p2(i), i.region if i else None,
            "\n".join(f"{c.id} {c.type}: {c.title}" for c in s.controls),
            _verified(s, "implementation"), _verified(s, "effectiveness"),
            ", ".join(s.new_hazards),
            r.severity if r else None, r.probability if r else None, _p1p2(r),
            (r.region + (" (= initial)" if r.from_initial else "")) if r and r.region else None,
            _benefit_risk(s),
            {True: "yes", False: "no", None: ""}[s.residual_accepted],
        ])
    return rows


def _colour_regions(ws: Worksheet, result: RiskResult) -> None:
    colours = {r.name: fill(r.color) for r in result.regions}
    for row in ws.iter_rows(min_row=2):
        for col in (INITIAL_REGION_COL, RESIDUAL_REGION_COL):
            cell = row[col - 1]
            name = str(cell.value).split(" ")[0] if cell.value else None
            if name in colours and colours[name] is not None:
                cell.fill = colours[name]


def matrix_sheet(wb: Workbook, title: str, result: RiskResult, which: str) -> Worksheet:
    """Rows: probability, highest first (as a risk matrix is read); columns: severity, lowest first."""
    header = ["Probability \\ Severity"] + [f"S{lvl} {name}" for lvl, name in result.severity_scale]
    grid = result.matrix(which)
    rows = []
    order = list(range(len(result.probability_scale)))[::-1]
    for i in order:
        lvl, name = result.probability_scale[i]
        rows.append([f"P{lvl} {name}"] + grid[i])
    ws = table_sheet(wb, title, header, rows, widths=[24] + [16] * len(result.severity_scale))
    colours = {r.name: fill(r.color) for r in result.regions}
    for out_row, i in enumerate(order, start=2):
        ws.cell(out_row, 1).font = BOLD
        for j in range(len(result.severity_scale)):
            cell = ws.cell(out_row, j + 2)
            cell.alignment = CENTER
            row = result.acceptability[i] if i < len(result.acceptability) else []
            region = row[j] if j < len(row) else None
            region_fill = colours.get(region) if region is not None else None
            if region_fill is not None:
                cell.fill = region_fill
            if cell.value:
                cell.font = BOLD
    return ws


def risk_workbook(result: RiskResult, fmea: FmeaResult | None = None, names: Names | None = None) -> Workbook:
    """The risk register, its matrices and regions and, given the FMEA analysis, every FMEA line in full."""
    wb = new_workbook()
    reg = table_sheet(wb, "Register", REGISTER_HEADER, register_rows(result), widths=REGISTER_WIDTHS)
    _colour_regions(reg, result)
    for which, title in MATRIX_SHEETS:
        matrix_sheet(wb, title, result, which)
    before, after = result.counts("initial"), result.counts("residual")
    regions = table_sheet(
        wb, "Regions", ["Region", "Acceptable", "Benefit-risk required", "Colour", "Initial", "Residual"],
        [[r.name, "yes" if r.acceptable else "no", "yes" if r.benefit_risk_required else "no", r.color or "",
          before[r.name], after[r.name]] for r in result.regions]
        + [["(not placed)", "", "", "", before["unplaced"], after["unplaced"]]],
        widths=[18, 12, 22, 10, 10, 10])
    for row_i, r in enumerate(result.regions, start=2):
        if fill(r.color) is not None:
            regions.cell(row_i, 1).fill = fill(r.color)
            regions.cell(row_i, 4).fill = fill(r.color)
    if fmea is not None:
        from .fmea_report import LINES_HEADER, line_row
        from .names import Names

        table_sheet(wb, "FMEA", LINES_HEADER, [line_row(r, names or Names()) for r in fmea.rows])
    return wb


def write_risk_register(result: RiskResult, path: Path, fmea: FmeaResult | None = None, names: Names | None = None) -> None:
    """`names` (render.names.Names) names the FMEA action owners; without it they stay IDs."""
    save_workbook(risk_workbook(result, fmea, names), path)
