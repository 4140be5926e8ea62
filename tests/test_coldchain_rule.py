"""QMS540: an excursion beyond the product's allowance demands a deviation; QMS109: unreadable logger exports."""

from __future__ import annotations

import datetime as dt

from support import make_repo, validate_json

MATERIAL = """\
id: MAT-004
title: Li-ion battery pack
status: approved
type: component
storage:
  min_c: 15
  max_c: 25
  excursion_allowance_hours: 2
  mkt_max_c: {mkt}
"""

LOG = """\
id: TL-001
title: Battery store
status: open
materials: [MAT-004]
data: {data}
time_column: Timestamp
temperature_column: Temperature (°C)
"""

NC = """\
id: NC-2026-001
title: HVAC failure in the battery store
status: open
type: deviation
source: excursion
detected: 2026-08-08
origin: [TL-001]
"""


def _export(hours_out: int, temp_out: float = 28.0, total: int = 24) -> str:
    start = dt.datetime(2026, 8, 8, 0, 0)
    rows = ["Timestamp,Temperature (°C)"]
    for h in range(total):
        rows.append(f"{start + dt.timedelta(hours=h):%Y-%m-%d %H:%M},{temp_out if 10 <= h < 10 + hours_out else 20.0}")
    return "\n".join(rows) + "\n"


def _run(tmp_path, hours_out, *, mkt=25, nc=False, data="records/coldchain/data/log.csv", export=None):
    files = {"records/materials/MAT-004.yaml": MATERIAL.format(mkt=mkt),
             "records/coldchain/TL-001.yaml": LOG.format(data=data),
             "records/coldchain/data/log.csv": export if export is not None else _export(hours_out)}
    if nc:
        files["records/events/nc/NC-2026-001.yaml"] = NC
    code, out = validate_json(make_repo(tmp_path, files), "--no-cache", "--as-of", "2026-11-25")
    return code, [(f["code"], f["location"], f["message"]) for f in out["findings"]]


def test_excursion_within_the_allowance_is_not_escalated(tmp_path):
    # 2 readings out of range, each counting one hourly interval: 2 h, exactly the allowance
    assert _run(tmp_path, 2) == (0, [])


def test_excursion_beyond_the_allowance_needs_a_deviation(tmp_path):
    code, found = _run(tmp_path, 3)
    assert code == 1
    assert [(c, loc) for c, loc, _ in found] == [("QMS540", "records/coldchain/TL-001.yaml:5")]
    assert found[0][2].startswith("3.0 h outside 15.0..25.0 °C, more than the 2 h allowed (longest from "
                                  "2026-08-08 10:00, peak 28.0 °C)")


def test_a_deviation_naming_the_log_answers_it(tmp_path):
    assert _run(tmp_path, 3, nc=True) == (0, [])


def test_mean_kinetic_temperature_above_the_limit(tmp_path):
    # a constant 24 °C log is in range but its MKT (24 °C, exactly) is above a 23 °C limit
    constant = "Timestamp,Temperature (°C)\n" + "".join(
        f"2026-08-08 {h:02d}:00,24.0\n" for h in range(24))
    code, found = _run(tmp_path, 0, mkt=23, export=constant)
    assert code == 1 and found[0][0] == "QMS540"
    assert found[0][2] == "mean kinetic temperature 24.00 °C above the 23 °C limit"


def test_missing_or_escaping_logger_exports_are_located(tmp_path):
    code, found = _run(tmp_path / "a", 0, data="records/coldchain/data/nope.csv")
    assert code == 1 and [(c, loc) for c, loc, _ in found] == [("QMS109", "records/coldchain/TL-001.yaml:5")]
    assert "no such file" in found[0][2]
    code, found = _run(tmp_path / "b", 0, data="../../etc/passwd")
    assert [(c, loc) for c, loc, _ in found] == [("QMS109", "records/coldchain/TL-001.yaml:5")]
    assert "outside the repository" in found[0][2]
