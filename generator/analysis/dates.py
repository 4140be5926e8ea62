"""Calendar arithmetic the policies' intervals need (audit intervals, PSUR periods)."""

from __future__ import annotations

import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, on the same day of the month or, past its end, the month's last day
    (2026-01-31 plus one month is 2026-02-28)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))
