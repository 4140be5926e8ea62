"""Obligations as an iCalendar file (RFC 5545) that Outlook, Google Calendar and Thunderbird import.

One VTODO per obligation: its UID is the obligation's stable ID, so a re-import updates the task rather
than duplicating it; DTSTAMP is the as-of date, never the clock, so the same records give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Todo

from ..analysis.obligations import Obligation


def calendar(items: Iterable[Obligation], as_of: dt.date, domain: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//QMS Generator//qms due//EN")
    cal.add("version", "2.0")
    stamp = dt.datetime.combine(as_of, dt.time(), dt.UTC)
    for o in items:
        todo = Todo()
        todo.add("uid", f"{o.id}@{domain}")
        todo.add("dtstamp", stamp)
        if o.due is not None:
            todo.add("due", o.due)
        todo.add("summary", f"{o.action} [{o.record}]")
        owner = o.owner or f"unassigned: {o.unassigned}"
        todo.add("description", f"{o.record} at {o.location}\nOwner: {owner}\nDue by: {o.basis}\nObligation: {o.id}")
        todo.add("status", "NEEDS-ACTION")
        todo.add("categories", [o.kind])
        cal.add_component(todo)
    return cal.to_ical()
