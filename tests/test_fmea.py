"""FMEA: the AIAG-VDA action priority table cell by cell, RPN, the policy gate, the QMS35x rules on
small real repositories with real .xlsx sheets, and the worked example's FMEA."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from support import ROOT, make_repo, validate_json

from generator.analysis.action_priority import ActionPriorityTableError, action_priority, parse_table, table
from generator.analysis.fmea import analyse_fmea
from generator.findings import column_letter
from generator.load.repo import load_repository
from generator.recordset import RecordSet
from generator.rules import RULES, check

# ---------------------------------------------------------------------------------------------
# The action priority table, transcribed independently of generator/data: one fully expanded
# 10 × 10 grid per severity band, rows occurrence 10 → 1, columns detection 10 → 1.
#
# Sources (AIAG & VDA FMEA Handbook, 1st edition 2019, "Action Priority for DFMEA and PFMEA";
# banded S 9-10 | 7-8 | 4-6 | 2-3 | 1, O 8-10 | 6-7 | 4-5 | 2-3 | 1, D 7-10 | 5-6 | 2-4 | 1),
# two independent published transcriptions that agree on every one of the 100 band cells:
#   A. a Python AP helper in the public code index ("Utility functions and constants for AIAG-VDA
#      Action Priority (AP) logic", nested _AP_TABLE by S/O/D band, transcribed from the AIAG-VDA
#      alignment document);
#   B. shs3647-lgtm/lbscts0330, src/components/modals/APTableModal.tsx @2c0d6482 ("AIAG-VDA FMEA 1st
#      Edition official AP table", D columns 7-10, 5-6, 2-4, 1).
# Several other public "AP tables" were rejected because they contradict both (e.g. "S 9-10 is
# always H" — the handbook rates S 9-10 with O = 1 as L — or invented 2-point bands).
# ---------------------------------------------------------------------------------------------

#          D: 10 9 8 7 6 5 4 3 2 1
S_9_10 = """
   O10        H H H H H H H H H H
   O9         H H H H H H H H H H
   O8         H H H H H H H H H H
   O7         H H H H H H H H H H
   O6         H H H H H H H H H H
   O5         H H H H H H H H H M
   O4         H H H H H H H H H M
   O3         H H H H M M L L L L
   O2         H H H H M M L L L L
   O1         L L L L L L L L L L
"""
S_7_8 = """
   O10        H H H H H H H H H H
   O9         H H H H H H H H H H
   O8         H H H H H H H H H H
   O7         H H H H H H H H H M
   O6         H H H H H H H H H M
   O5         H H H H M M M M M M
   O4         H H H H M M M M M M
   O3         M M M M M M L L L L
   O2         M M M M M M L L L L
   O1         L L L L L L L L L L
"""
S_4_6 = """
   O10        H H H H H H M M M M
   O9         H H H H H H M M M M
   O8         H H H H H H M M M M
   O7         M M M M M M M M M L
   O6         M M M M M M M M M L
   O5         M M M M L L L L L L
   O4         M M M M L L L L L L
   O3         L L L L L L L L L L
   O2         L L L L L L L L L L
   O1         L L L L L L L L L L
"""
S_2_3 = """
   O10        M M M M M M L L L L
   O9         M M M M M M L L L L
   O8         M M M M M M L L L L
   O7         L L L L L L L L L L
   O6         L L L L L L L L L L
   O5         L L L L L L L L L L
   O4         L L L L L L L L L L
   O3         L L L L L L L L L L
   O2         L L L L L L L L L L
   O1         L L L L L L L L L L
"""
S_1 = "\n".join(f"   O{o}  " + " L" * 10 for o in range(10, 0, -1))

GRID_FOR_SEVERITY = {10: S_9_10, 9: S_9_10, 8: S_7_8, 7: S_7_8, 6: S_4_6, 5: S_4_6, 4: S_4_6,
                     3: S_2_3, 2: S_2_3, 1: S_1}


def _expected() -> dict[tuple[int, int, int], str]:
    out: dict[tuple[int, int, int], str] = {}
    for s, grid in GRID_FOR_SEVERITY.items():
        rows = [line.split() for line in grid.strip().splitlines()]
        assert [r[0] for r in rows] == [f"O{o}" for o in range(10, 0, -1)]
        for row in rows:
            o = int(row[0][1:])
            cells = row[1:]
            assert len(cells) == 10
            for d, ap in zip(range(10, 0, -1), cells):
                out[(s, o, d)] = ap
    return out


EXPECTED = _expected()


def test_expected_table_is_complete():
    assert len(EXPECTED) == 1000 and set(EXPECTED.values()) == {"H", "M", "L"}


def test_packaged_table_matches_the_handbook_cell_by_cell():
    got = dict(table().items())
    assert len(got) == 1000
    wrong = {k: (got[k], EXPECTED[k]) for k in EXPECTED if got[k] != EXPECTED[k]}
    assert wrong == {}
    for (s, o, d), ap in EXPECTED.items():
        assert action_priority(s, o, d) == ap


def test_packaged_table_names_its_source_and_keeps_the_banded_form():
    t = table()
    assert "AIAG & VDA FMEA Handbook, 1st edition 2019" in t.source
    assert "DFMEA and PFMEA" in t.source
    # 4 severity bands × (4 occurrence bands × 4 detection bands + the O=1 row) + the S=1 row
    assert len(t.bands) == 4 * (4 * 4 + 1) + 1
    # counts over the 1000 cells, worked out by hand from the band sizes
    values = [ap for _, ap in t.items()]
    assert (values.count("H"), values.count("M"), values.count("L")) == (318, 214, 468)


@pytest.mark.parametrize("s,o,d,ap", [
    (10, 1, 1, "L"),   # severity 9-10 with occurrence 1 is Low: AP is not "severity first, always High"
    (9, 1, 10, "L"),
    (10, 8, 1, "H"),
    (9, 6, 5, "H"),
    (10, 5, 2, "H"),
    (9, 4, 1, "M"),
    (10, 3, 7, "H"),
    (9, 3, 6, "M"),
    (9, 2, 2, "L"),
    (8, 10, 1, "H"),
    (8, 7, 1, "M"),
    (7, 6, 2, "H"),
    (8, 5, 7, "H"),
    (7, 5, 2, "M"),
    (8, 3, 5, "M"),
    (7, 2, 4, "L"),
    (7, 1, 10, "L"),
    (6, 8, 5, "H"),
    (5, 9, 4, "M"),
    (4, 6, 1, "L"),
    (6, 7, 2, "M"),
    (6, 4, 7, "M"),
    (5, 5, 6, "L"),
    (4, 3, 10, "L"),
    (3, 8, 5, "M"),
    (2, 10, 4, "L"),
    (3, 7, 10, "L"),
    (1, 10, 10, "L"),
])
def test_spot_checks_across_every_severity_band(s, o, d, ap):
    assert action_priority(s, o, d) == ap


@pytest.mark.parametrize("args", [(0, 5, 5), (11, 5, 5), (5, 0, 5), (5, 5, 11), (5.0, 5, 5), (True, 5, 5)])
def test_lookup_rejects_ratings_outside_1_to_10(args):
    with pytest.raises(ValueError):
        action_priority(*args)


DATA = (ROOT / "generator" / "data" / "aiag_vda_action_priority.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("old,new,message", [
    ("9-10,8-10,1,H", "9-10,8-10,1-2,H", "already given"),          # S9 O8 D2 twice
    ("2-3,1,1-10,L\n", "", "does not cover S=2 O=1 D=1"),            # a row dropped
    ("4-6,2-3,1,L", "4-6,2-3,1,X", "not H, M or L"),
    ("7-8,1,1-10,L", "7-8,1,1-11,L", "not within 1-10"),
    ("7-8,1,1-10,L", "7-8,1,ten,L", "not a rating"),
    ("7-8,1,1-10,L", "7-8,1,1-10", "expected 4 values"),
    ("# source:", "# origin:", "names no source"),
    ("severity,occurrence,detection,action_priority", "s,o,d,ap", "header must be"),
])
def test_a_broken_table_is_refused_with_the_line_at_fault(old, new, message):
    assert old in DATA
    with pytest.raises(ActionPriorityTableError, match=message):
        parse_table(DATA.replace(old, new, 1))


def test_the_packaged_table_file_parses():
    assert dict(parse_table(DATA).items()) == EXPECTED


def test_package_data_is_declared():
    text = (ROOT / "pyproject.toml").read_text()
    assert '"data/*"' in text


# ---------------------------------------------------------------------------------------------
# Small real repositories
# ---------------------------------------------------------------------------------------------

HEADER = ["id", "status", "owner", "fmea_type", "item", "failure_mode", "effect", "severity", "occurrence",
          "detection", "recommended_action", "action_owner", "action_due", "action_done", "severity_after",
          "occurrence_after", "detection_after", "hazards", "risk_controls"]
WB = "records/risk/fmea.xlsx"


def cell(field: str, row: int) -> str:
    return f"{WB}[FMEA]!{column_letter(HEADER.index(field))}{row}"


def fmea_xlsx(lines: list[dict], sheet: str = "FMEA") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(HEADER)
    for line in lines:
        full = {"status": "open", "owner": "USR-001", "fmea_type": "design", "item": "Pump", "failure_mode": "Fails",
                "effect": "Harm", **line}
        ws.append([full.get(name) for name in HEADER])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def line(id_: str, s: int, o: int, d: int, **extra) -> dict:
    return {"id": id_, "severity": s, "occurrence": o, "detection": d, **extra}


ACTION = {"recommended_action": "Add a check", "action_owner": "USR-001", "action_due": dt.datetime(2026, 6, 30)}
DONE = {**ACTION, "action_done": dt.datetime(2026, 2, 1)}

POLICY_AP = """\
id: POL-FMEA
title: FMEA policy
status: effective
owner: USR-001
policy: fmea
gate: action_priority
action_priority_gate: [H]
always_review_severity: 9
"""

RISK_FILES = {
    "records/risk/hazards/HAZ-001.yaml": "id: HAZ-001\ntitle: Over-infusion\nstatus: approved\nowner: USR-001\n",
    "records/risk/situations/HS-001.yaml": "id: HS-001\ntitle: Pump runs fast\nstatus: approved\nowner: USR-001\n"
                                           "hazard: HAZ-001\n",
    "records/risk/controls/RC-001.yaml": "id: RC-001\ntitle: Redesigned cam\nstatus: approved\nowner: USR-001\n"
                                         "type: inherent_safety\nmitigates: [HS-001]\n",
    "records/risk/controls/RC-002.yaml": "id: RC-002\ntitle: Rate alarm\nstatus: approved\nowner: USR-001\n"
                                         "type: protective_measure\nmitigates: [HS-001]\n",
}
HAZ = {"hazards": "HAZ-001; HS-001"}


def repo(tmp_path: Path, lines: list[dict], policy: str | None = POLICY_AP, name: str = "repo") -> Path:
    files: dict[str, str | bytes] = {**RISK_FILES, WB: fmea_xlsx(lines)}
    if policy is not None:
        files["specs/policies/POL-FMEA.yaml"] = policy
    return make_repo(tmp_path / name, files)


def records_of(root: Path) -> RecordSet:
    loaded = load_repository(root, use_cache=False)
    return RecordSet(loaded.records, loaded.config)


def fmea_findings(root: Path, as_of: str = "2026-03-01") -> list[tuple[str, str, str | None, str]]:
    """(code, severity, record, location) of every QMS35x finding, via the real CLI."""
    _, out = validate_json(root, "--no-cache", "--as-of", as_of)
    return sorted((f["code"], f["severity"], f["record"], f["location"]) for f in out["findings"]
                  if f["code"].startswith("QMS35"))


def test_the_fmea_rules_are_registered():
    assert {c: (RULES[c].severity, RULES[c].area) for c in RULES if c.startswith("QMS35")} == {
        "QMS350": ("error", "risk"), "QMS351": ("warning", "risk"), "QMS352": ("error", "risk"),
        "QMS353": ("error", "risk"), "QMS354": ("warning", "risk"), "QMS355": ("warning", "risk"),
        "QMS356": ("warning", "risk"),
    }
    for code in ("QMS350", "QMS351", "QMS352", "QMS353", "QMS354", "QMS355", "QMS356"):
        assert "AIAG-VDA" in RULES[code].clause or "ISO 14971" in RULES[code].clause


def test_rpn_edges_and_bands(tmp_path):
    root = repo(tmp_path, [line("FM-001", 1, 1, 1), line("FM-002", 10, 10, 10, **DONE, **HAZ),
                           line("FM-003", 5, 4, 5), line("FM-004", 3, 3, 10)])
    result = analyse_fmea(records_of(root))
    assert [(r.id, r.rpn, r.action_priority) for r in result.rows] == [
        ("FM-001", 1, "L"), ("FM-002", 1000, "H"), ("FM-003", 100, "L"), ("FM-004", 90, "L")]
    assert result.by_rpn_band["1-99"] == 2 and result.by_rpn_band["100-199"] == 1
    assert result.by_rpn_band["900-1000"] == 1 and sum(result.by_rpn_band.values()) == 4
    assert result.by_action_priority == {"H": 1, "M": 0, "L": 3}


def test_ratings_out_of_range_are_schema_errors_at_their_cells(tmp_path):
    root = repo(tmp_path, [line("FM-001", 11, 2, 2, **HAZ), line("FM-002", 5, 0, 2), line("FM-003", 5, 2, "high"),
                           line("FM-004", 5, 5, 5, severity_after=0, occurrence_after=1, detection_after=1)])
    code, out = validate_json(root, "--no-cache", "--as-of", "2026-03-01")
    assert code == 1
    schema = sorted((f["code"], f["record"], f["location"]) for f in out["findings"] if f["code"] == "QMS111")
    assert schema == [("QMS111", "FM-001", cell("severity", 2)), ("QMS111", "FM-002", cell("occurrence", 3)),
                      ("QMS111", "FM-003", cell("detection", 4)), ("QMS111", "FM-004", cell("severity_after", 5))]
    assert analyse_fmea(records_of(root)).rows == []  # a line with a bad rating is not computed on


# One repository exercises every rule firing and not firing; each line says what it is for.
RULE_LINES = [
    line("FM-001", 9, 6, 5, **DONE, **HAZ, risk_controls="RC-002", severity_after=9, occurrence_after=2,
         detection_after=3),                                                          # H, everything right
    line("FM-002", 8, 6, 6),                                                          # H, no action → 350
    line("FM-003", 8, 6, 6, recommended_action="Pull test"),                          # H, no owner → 350
    line("FM-004", 5, 4, 7),                                                          # M, not gated: no 350
    line("FM-005", 7, 4, 5, **{**ACTION, "action_due": dt.datetime(2026, 1, 31)}),    # overdue → 351
    line("FM-006", 7, 4, 5, **{**ACTION, "action_due": dt.datetime(2026, 3, 1)}),     # due today: no 351
    line("FM-007", 10, 1, 1),                                                         # AP L but S 10, no hazard → 352
    line("FM-008", 8, 2, 2),                                                          # S 8, no hazard: no 352
    line("FM-009", 4, 3, 3, **DONE, severity_after=4),                                # partial → 353
    line("FM-010", 9, 4, 4, **DONE, **HAZ, risk_controls="RC-002", severity_after=7, occurrence_after=2,
         detection_after=2),                                                          # S lowered, no design → 354
    line("FM-011", 9, 4, 4, **DONE, **HAZ, risk_controls="RC-001", severity_after=7, occurrence_after=2,
         detection_after=2),                                                          # S lowered by design: no 354
    line("FM-012", 5, 3, 4, **DONE, severity_after=6, occurrence_after=3, detection_after=4),   # S raised → 354
    line("FM-013", 6, 6, 5, **ACTION, severity_after=6, occurrence_after=3, detection_after=5),  # not done → 356
    line("FM-014", 3, 2, 2, severity_after=3, occurrence_after=1, detection_after=2),           # no action → 356
]


def test_each_rule_fires_where_it_should_and_nowhere_else(tmp_path):
    root = repo(tmp_path, RULE_LINES)
    assert fmea_findings(root) == sorted([
        ("QMS350", "error", "FM-002", cell("id", 3)),  # empty cells have no anchor: the row's ID cell
        ("QMS350", "error", "FM-003", cell("id", 4)),
        ("QMS351", "warning", "FM-005", cell("action_due", 6)),
        ("QMS352", "error", "FM-007", cell("severity", 8)),
        ("QMS353", "error", "FM-009", cell("severity_after", 10)),
        ("QMS354", "warning", "FM-010", cell("severity_after", 11)),
        ("QMS354", "warning", "FM-012", cell("severity_after", 13)),
        ("QMS356", "warning", "FM-013", cell("severity_after", 14)),
        ("QMS356", "warning", "FM-014", cell("severity_after", 15)),
    ])


def test_rule_messages_say_why(tmp_path):
    root = repo(tmp_path, RULE_LINES)
    _, out = validate_json(root, "--no-cache", "--as-of", "2026-03-01")
    by = {(f["code"], f["record"]): f for f in out["findings"]}
    assert by[("QMS350", "FM-002")]["message"] == (
        "action priority H (S8 O6 D6) is gated for action by POL-FMEA, but the line has no recommended action "
        "and no action owner")
    assert by[("QMS350", "FM-003")]["message"].endswith("the line has no action owner")
    assert by[("QMS351", "FM-005")]["message"] == (
        "action due 2026-01-31 is 29 day(s) overdue and not done (owner USR-001)")
    assert "severity 10" in by[("QMS352", "FM-007")]["message"]
    assert by[("QMS353", "FM-009")]["message"] == (
        "re-rated in severity_after but not in occurrence_after, detection_after")
    assert "lowered from 9 to 7" in by[("QMS354", "FM-010")]["message"]
    assert "higher than before" in by[("QMS354", "FM-012")]["message"]
    assert all(f["hint"] for f in out["findings"] if f["code"].startswith("QMS35"))


def test_the_overdue_rule_follows_the_as_of_date(tmp_path):
    root = repo(tmp_path, RULE_LINES)
    assert [f[2] for f in fmea_findings(root, as_of="2026-01-30") if f[0] == "QMS351"] == []
    assert [f[2] for f in fmea_findings(root, as_of="2026-03-02") if f[0] == "QMS351"] == ["FM-005", "FM-006"]


def test_a_policy_can_widen_the_gate_and_the_review_severity(tmp_path):
    policy = POLICY_AP.replace("[H]", "[H, M]").replace("always_review_severity: 9", "always_review_severity: 10")
    root = repo(tmp_path, [line("FM-001", 5, 4, 7), line("FM-002", 9, 2, 2), line("FM-003", 10, 2, 2)],
                policy=policy)
    result = analyse_fmea(records_of(root))
    assert [(r.id, r.action_priority, r.gated, r.always_review) for r in result.rows] == [
        ("FM-001", "M", True, False), ("FM-002", "L", False, False), ("FM-003", "L", False, True)]
    assert fmea_findings(root) == [("QMS350", "error", "FM-001", cell("id", 2)),
                                   ("QMS352", "error", "FM-003", cell("severity", 4))]


def test_classic_rpn_gate(tmp_path):
    policy = POLICY_AP.replace("gate: action_priority\naction_priority_gate: [H]", "gate: rpn\nrpn_threshold: 100")
    root = repo(tmp_path, [line("FM-001", 5, 4, 5), line("FM-002", 3, 3, 10), line("FM-003", 9, 6, 1, **HAZ)],
                policy=policy)
    result = analyse_fmea(records_of(root))
    assert (result.gate, result.rpn_threshold) == ("rpn", 100)
    # RPN 100 reaches the threshold; 90 does not; AP H with RPN 54 is not gated under the RPN method
    assert [(r.id, r.rpn, r.action_priority, r.gated) for r in result.rows] == [
        ("FM-001", 100, "L", True), ("FM-002", 90, "L", False), ("FM-003", 54, "H", False)]
    assert fmea_findings(root) == [("QMS350", "error", "FM-001", cell("id", 2))]
    _, out = validate_json(root, "--no-cache", "--as-of", "2026-03-01")
    message = next(f["message"] for f in out["findings"] if f["code"] == "QMS350")
    assert message.startswith("RPN 100 (S5×O4×D5) ≥ 100 is gated")


def test_without_a_policy_everything_is_computed_but_nothing_is_gated(tmp_path):
    lines = [line("FM-001", 9, 6, 5, **HAZ), line("FM-002", 4, 3, 3)]
    root = repo(tmp_path, lines, policy=None)
    result = analyse_fmea(records_of(root))
    assert (result.policy, result.gate, result.always_review_severity) == (None, None, 9)
    assert [(r.id, r.rpn, r.action_priority, r.gated) for r in result.rows] == [
        ("FM-001", 270, "H", None), ("FM-002", 36, "L", None)]
    assert fmea_findings(root) == [("QMS355", "warning", None, f"{WB}[FMEA]")]
    # a draft policy is not in force either
    draft = repo(tmp_path, lines, policy=POLICY_AP.replace("status: effective", "status: draft"), name="draft")
    assert analyse_fmea(records_of(draft)).gate is None
    assert [f[0] for f in fmea_findings(draft)] == ["QMS355"]


def test_no_policy_warning_only_when_there_are_fmea_lines(tmp_path):
    root = make_repo(tmp_path / "empty", dict(RISK_FILES))
    assert fmea_findings(root) == []


def test_an_rpn_policy_without_a_threshold_cannot_gate(tmp_path):
    policy = POLICY_AP.replace("gate: action_priority\naction_priority_gate: [H]", "gate: rpn")
    root = repo(tmp_path, [line("FM-001", 9, 6, 5, **HAZ)], policy=policy)
    assert analyse_fmea(records_of(root)).rows[0].gated is None
    assert fmea_findings(root) == [("QMS355", "warning", "POL-FMEA", "specs/policies/POL-FMEA.yaml:6")]


def test_re_ratings_and_the_json_contract(tmp_path):
    root = repo(tmp_path, [line("FM-002", 9, 4, 4, **DONE, **HAZ, risk_controls="RC-001; RC-002",
                                severity_after=9, occurrence_after=2, detection_after=3),
                           line("FM-001", 7, 6, 2, occurrence_after=3)])
    result = analyse_fmea(records_of(root))
    first, second = result.rows
    assert (first.id, first.rpn_after, first.action_priority_after) == ("FM-001", None, None)
    assert first.partly_re_rated and not first.re_rated
    assert (second.rpn, second.action_priority, second.rpn_after, second.action_priority_after) == (144, "H", 54, "L")
    assert result.by_action_priority_after == {"H": 0, "M": 0, "L": 1}
    rows = json.loads(json.dumps(result.as_json()))
    assert [r["id"] for r in rows] == ["FM-001", "FM-002"]
    for key in ("id", "severity", "occurrence", "detection", "rpn", "action_priority"):
        assert all(key in r for r in rows)
    assert rows[1] == {
        "id": "FM-002", "fmea_type": "design", "item": "Pump", "failure_mode": "Fails", "status": "open",
        "severity": 9, "occurrence": 4, "detection": 4, "rpn": 144, "action_priority": "H", "gated": True,
        "always_review": True, "has_action": True, "recommended_action": "Add a check", "action_owner": "USR-001",
        "action_due": "2026-06-30", "action_done": "2026-02-01", "severity_after": 9, "occurrence_after": 2,
        "detection_after": 3, "rpn_after": 54, "action_priority_after": "L", "hazards": ["HAZ-001", "HS-001"],
        "risk_controls": ["RC-001", "RC-002"],
    }
    assert first.action_priority == "H" and not first.has_action  # S7 O6 D2 is High
    assert (result.summary()["gated"], result.summary()["gated_without_action"]) == (2, 1)


# ---------------------------------------------------------------------------------------------
# The worked example (records/risk/fmea.xlsx, POL-FMEA)
# ---------------------------------------------------------------------------------------------

# Read by hand from the sheet's S/O/D cells and the AP table above:
#   H: FM-001 9/6/5, FM-002 10/4/4, FM-007 9/4/4, FM-011 9/6/5, FM-012 8/6/6
#   M: FM-003 7/4/5, FM-004 7/5/3, FM-006 10/3/6, FM-009 5/4/7, FM-010 8/5/4, FM-015 6/6/5
#   L: FM-005 9/2/2, FM-008 5/3/4, FM-013 4/3/3, FM-014 8/2/2, FM-016 2/2/2
EXAMPLE_BANDS = {
    "H": ["FM-001", "FM-002", "FM-007", "FM-011", "FM-012"],
    "M": ["FM-003", "FM-004", "FM-006", "FM-009", "FM-010", "FM-015", "FM-017"],  # FM-017: S8 O4 D6
    "L": ["FM-005", "FM-008", "FM-013", "FM-014", "FM-016"],
}


@pytest.fixture(scope="module")
def example(example_repo: Path) -> RecordSet:
    return records_of(example_repo)


def test_example_lines_per_action_priority_band(example):
    result = analyse_fmea(example)
    assert {p: result.ids_with_priority(p) for p in "HML"} == EXAMPLE_BANDS
    assert (result.policy, result.gate, result.action_priority_gate) == ("POL-FMEA", "action_priority", ("H",))
    assert [r.id for r in result.gated] == EXAMPLE_BANDS["H"]
    assert all(r.has_action for r in result.gated)
    rpn = {r.id: r.rpn for r in result.rows}
    assert (rpn["FM-001"], rpn["FM-012"], rpn["FM-016"]) == (270, 288, 8)
    after = {r.id: (r.rpn_after, r.action_priority_after) for r in result.rows if r.re_rated}
    assert after == {"FM-001": (54, "L"), "FM-002": (40, "L"), "FM-005": (36, "L"), "FM-006": (60, "L"),
                     "FM-007": (54, "L"), "FM-010": (32, "L"), "FM-011": (36, "L")}
    assert [r.id for r in result.rows if r.always_review] == ["FM-001", "FM-002", "FM-005", "FM-006", "FM-007",
                                                              "FM-011"]


def test_example_validates_clean_with_the_fmea_rules():
    # The whole example's 0 errors / 0 warnings is test_cli's; here: nothing the FMEA rules or the FMEA
    # sheet and policy could raise, on the real CLI.
    code, out = validate_json(ROOT, "--no-cache", "--as-of", "2026-11-25")
    assert out["summary"]["errors"] == 0 and code == 0
    mine = [f for f in out["findings"] if f["code"].startswith("QMS35")
            or f["location"].startswith(("records/risk/fmea.xlsx", "specs/policies/POL-FMEA.yaml"))]
    assert mine == []


def test_example_open_actions_become_overdue_in_time(example):
    # FM-012's harness pull test is due 2027-01-29; FM-009's annealing step 2027-02-26; FM-017's connector
    # pull check 2027-01-15
    report = check(example, [], dt.date(2027, 3, 1))
    assert [(f.code, f.record) for f in report.findings if f.code.startswith("QMS35")] == [
        ("QMS351", "FM-009"), ("QMS351", "FM-012"), ("QMS351", "FM-017")]
