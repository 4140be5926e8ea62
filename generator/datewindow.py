"""Dates a record may hold: any device's history and planning horizon, with room to add MAX_DAYS to the
latest and stay far inside Python's calendar (year 9999). Apart from the models, so the command line
checks `--as-of` without importing them (a replayed `qms validate` needs no model)."""

from __future__ import annotations

import datetime as dt

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
