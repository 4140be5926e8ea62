"""The open obligations (`qms due --format json`'s dashboard) as the management review shows them, and the
one-line summary the dossier index shows: both read the same dashboard dict, never the records again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .names import Names

if TYPE_CHECKING:
    from ..load.repo import Exports
    from ..recordset import RecordSet
    from .document import ControlledDocument, UncontrolledCopy

STATES = ("overdue", "due today", "open", "no date")


def open_obligations(root: Path, records: RecordSet, exports: Exports, as_of: dt.date) -> dict[str, Any]:
    """Every open obligation on `as_of`, whatever its due date, as `qms due --within all --format json` gives
    it: what the management review input shows wherever it is made (the dossier, `qms kpi --out`)."""
    from ..analysis.obligations import dashboard, obligations
    from ..gitio.stages import capa_stages

    items = obligations(records, as_of, stages=capa_stages(root, records), exports=exports)
    return dashboard(items, as_of, None)


def by_overdue(tally: dict[str, dict[str, int]]) -> list[tuple[str, dict[str, int]]]:
    """Count rows, those with the most overdue first, then the most obligations, then by name."""
    return sorted(tally.items(), key=lambda kv: (-kv[1].get("overdue", 0), -kv[1]["total"], kv[0]))


def summary(dashboard: dict[str, Any]) -> str:
    c = dashboard["counts"]
    return (f"{c['total']} open obligation(s) as of {dashboard['as_of']}, {c['overdue']} overdue, "
            f"{c['unassigned']} unassigned (qms due --within all)")


def _count_rows(tally: dict[str, dict[str, int]], label: Any) -> list[list[str]]:
    return [[label(key), *(str(v.get(s, 0)) for s in STATES), str(v["total"])] for key, v in by_overdue(tally)]


def worklist_section(d: ControlledDocument | UncontrolledCopy, dashboard: dict[str, Any], names: Names,
                     level: int) -> None:
    """ISO 13485 5.6.2 (follow-up actions, h) CAPA status, i) changes): what is owed, by area and by owner,
    overdue first, then every obligation with its due date, owner and source."""
    d.heading(f"Open obligations as of {dashboard['as_of']}", level=level)
    d.paragraph(f"{summary(dashboard)}. Every obligation the records and policies imply (CAPA stages and "
                "actions, effectiveness checks, approvals, training, calibration and maintenance, supplier "
                "certificates, audits and re-evaluations, vigilance and complaint clocks, FMEA actions, change "
                "steps, deviations), whatever its due date; the same list and counts as `qms due --within all "
                "--format json` on the review date.")
    header = ("{}", "Overdue", "Due today", "Open", "No date", "Total")
    c = dashboard["counts"]
    if not dashboard["obligations"]:
        d.paragraph("None.")
        return
    d.paragraph("By area:")
    d.table(tuple(h.format("Area") for h in header), _count_rows(c["by_area"], str))
    d.paragraph("By owner:")
    d.table(tuple(h.format("Owner") for h in header),
            _count_rows(c["by_owner"], lambda k: k if k.startswith("(") else names.title(k)))
    d.paragraph("Obligations, overdue first:")
    # The record by its name, not the obligation's stable ID: that ID is for tools comparing lists (JSON, ics).
    d.table(("Due", "State", "Record", "Owner", "What is to be done", "Source"),
            [[o["due"] or "-", o["state"] if o["days_left"] is None or o["days_left"] >= 0
              else f"overdue {-o['days_left']} day(s)", names.title(o["record"]),
              names.title(o["owner"]) if o["owner"] else f"unassigned: {o['unassigned']}", o["action"],
              o["location"]] for o in dashboard["obligations"]])
