"""Vigilance reporting deadlines (EU MDR Art. 87, 21 CFR 803.50 / 803.53) from the vigilance policy's clocks.

Conventions (tests pin each of them):

* The clock starts on the AWARENESS date, or on the date received when no awareness date is recorded.
  The awareness day itself is day 0.
* The deadline (`due`) is the LAST day on which a report is on time: awareness + N days. A report
  submitted on day N is on time, on day N + 1 it is one day late; with no report, the complaint is
  overdue from day N + 1 (`as_of > due`), not on day N. This is the regulations' wording:
  EU MDR Art. 87(3) "not later than 15 days after the manufacturer becomes aware of the incident"
  (87(4) 2 days, 87(5) 10 days); 21 CFR 803.50(a) "no later than 30 calendar days after the day that
  you receive or otherwise become aware"; 21 CFR 803.53 "within 5 work days after the day that you
  become aware". Days "after" the awareness day are counted, so awareness on 2026-03-02 with a
  15-day clock is due 2026-03-17.
* Clocks with `business_days` count work days, Monday to Friday, starting the day after awareness:
  awareness on a Thursday + 5 work days is the following Thursday. Public holidays are NOT modelled
  (they differ by country and year); a holiday inside the window therefore makes the computed
  deadline one day earlier than the regulatory one — the safe side.
* Clocks with `when_remedial_action: true` apply only when the complaint's `remedial_action` is true;
  `when_remedial_action: false` only when it is not true; unset, always.
* Per authority, the binding deadline is the earliest of the applicable clocks for the complaint's
  event class (FDA with remedial action: 5 work days beats 30 calendar days).
* Which authorities apply: every authority named in the complaint's `reports`, plus the authority of
  the country where the event occurred — an EU or EEA member state (ISO 3166 alpha-2, Greece also as
  EL; IS, LI, NO for the EEA) → `eu_mdr`, US → `fda_mdr`. Switzerland, the UK and Turkey have their
  own regimes and are not mapped; report to them is recorded by naming the authority in `reports`.
* The report that stops an authority's clock is the earliest report to it with a `submitted` date,
  whatever its type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..model.events import Complaint
from ..model.policy import Clock

EU_EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",  # EU 27
    "IS", "LI", "NO",  # EEA
})
COUNTRY_AUTHORITY = {**{c: "eu_mdr" for c in EU_EEA}, "US": "fda_mdr"}


def add_business_days(start: dt.date, days: int) -> dt.date:
    """`start` + `days` work days (Mon-Fri), counted from the day after `start`; no public holidays."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def due_date(start: dt.date, days: int, business_days: bool = False) -> dt.date:
    """The last day on which a report is on time."""
    return add_business_days(start, days) if business_days else start + dt.timedelta(days=days)


def clock_start(complaint: Complaint) -> dt.date:
    return complaint.awareness or complaint.received


def authorities(complaint: Complaint) -> tuple[str, ...]:
    """Authorities the complaint answers to: those reported to, and the one of the country of the event."""
    found = {r.authority for r in complaint.reports}
    country = (complaint.country or "").strip().upper()
    if country in COUNTRY_AUTHORITY:
        found.add(COUNTRY_AUTHORITY[country])
    return tuple(sorted(found))


def applies(clock: Clock, complaint: Complaint, authority: str) -> bool:
    if clock.authority != authority or clock.event_class != complaint.event_class:
        return False
    if clock.when_remedial_action is None:
        return True
    return clock.when_remedial_action == (complaint.remedial_action is True)


@dataclass(frozen=True)
class Deadline:
    authority: str
    start: dt.date
    days: int
    business_days: bool
    due: dt.date
    report: int | None = None  # index in complaint.reports of the report that stopped the clock
    submitted: dt.date | None = None

    @property
    def days_late(self) -> int:
        """Days a submitted report was late (0 if on time or not yet submitted)."""
        return max(0, (self.submitted - self.due).days) if self.submitted else 0

    def overdue(self, as_of: dt.date) -> bool:
        """No report yet, and `as_of` is past the last on-time day."""
        return self.submitted is None and as_of > self.due

    def state(self, as_of: dt.date) -> str:
        if self.submitted is not None:
            return "late" if self.days_late else "on_time"
        return "overdue" if self.overdue(as_of) else "open"

    @property
    def clock(self) -> str:
        return f"{self.days} {'work' if self.business_days else 'calendar'} day(s)"


def _first_report(complaint: Complaint, authority: str) -> tuple[int | None, dt.date | None]:
    best: tuple[int | None, dt.date | None] = (None, None)
    for i, r in enumerate(complaint.reports):
        if r.authority == authority and r.submitted is not None and (best[1] is None or r.submitted < best[1]):
            best = (i, r.submitted)
    return best


def deadlines(complaint: Complaint, clocks: Iterable[Clock]) -> list[Deadline]:
    """The binding deadline per applicable authority (those without a clock for the event class have none)."""
    clocks = list(clocks)
    start = clock_start(complaint)
    out: list[Deadline] = []
    for authority in authorities(complaint):
        options = [(due_date(start, c.days, c.business_days), c) for c in clocks if applies(c, complaint, authority)]
        if not options:
            continue
        due, c = min(options, key=lambda t: (t[0], t[1].days))
        index, submitted = _first_report(complaint, authority)
        out.append(Deadline(authority, start, c.days, c.business_days, due, index, submitted))
    return out


def decision_due(complaint: Complaint, clocks: Iterable[Clock]) -> dt.date | None:
    """The day by which the reportability decision must be made: the earliest deadline any clock of the
    complaint's authorities (all of the policy's clocks when none is known) could impose, whatever the
    event class — a later decision could already be a late report."""
    clocks = list(clocks)
    known = set(authorities(complaint))
    remedial = complaint.remedial_action is True
    clocks = [c for c in clocks if c.when_remedial_action is None or c.when_remedial_action == remedial]
    relevant = [c for c in clocks if c.authority in known] or clocks
    if not relevant:
        return None
    start = clock_start(complaint)
    return min(due_date(start, c.days, c.business_days) for c in relevant)
