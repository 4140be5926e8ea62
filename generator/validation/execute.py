"""Execute one protocol end to end: readiness checks, the pytest-bdd run, evidence, documents, deviations.

`qms protocol run` executes for a named, trained executor with wall-clock step times and drafts a
deviation per failed step. `qms build` executes the automated (self-validation) protocols without
times, so the dossier stays reproducible, and drafts nothing (a build never writes records).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.protocols import Problem, justified_sample_size, readiness
from ..load.features import ProtocolFiles
from ..model.validation import Protocol
from ..recordset import RecordSet
from ..render.atomic import write_bytes
from .evidence import draft_deviations, evidence, evidence_bytes
from .runner import Clock, execute, no_clock, wall_clock

EVIDENCE = "evidence.json"
OPEN_NC = ("open", "contained", "dispositioned")


@dataclass
class Executed:
    protocol: Protocol
    evidence: dict[str, Any]
    folder: Path
    report: Any  # the executed protocol, a controlled document the caller saves (render.protocol_doc)
    report_name: str

    @property
    def passed(self) -> bool:
        return self.evidence["result"] == "pass"


class NotReady(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def sample_justification(protocol: Protocol) -> tuple[dict[str, Any] | None, tuple[int | None, str] | None]:
    if protocol.sample_size is None:
        return None, None
    needed, how = justified_sample_size(protocol.sample_size)
    return {"stated": protocol.sample_size.n, "justified": needed, "justification": how,
            "sufficient": needed is None or protocol.sample_size.n >= needed}, (needed, how)


def run_protocol(root: Path, records: RecordSet, protocol: Protocol, files: ProtocolFiles | None, *,
                 date: dt.date, out: Path, executor: str | None, commit: str, clean: bool | None,
                 docs: Any, automated: bool = False) -> Executed:
    """Run `protocol`, write `out/evidence.json`, and return the evidence with the executed protocol
    document (to be saved as `out/<report_name>`).

    A named executor must pass the readiness checks (NotReady otherwise); an automated run checks
    only that the protocol was approved by `date`.
    """
    from ..analysis.protocols import approval_problems
    from ..render.protocol_doc import executed_document

    problems = approval_problems(protocol, date) if automated else readiness(records, protocol, executor or "", date)
    if problems:
        raise NotReady(problems)
    clock: Clock = no_clock if automated else wall_clock
    started = clock()
    run = execute(root, records, protocol, files, date, clock)
    finished = clock()
    sample, _ = sample_justification(protocol)
    deviations: list[str] = []
    if not run.passed and not automated and executor:
        deviations = draft_deviations(root, records, protocol, run, date, executor, _shown(root, out / EVIDENCE))
    doc = evidence(protocol, records, run, date=date, executor=None if automated else executor,
                   runner="qms build" if automated else "qms protocol run", commit=commit, clean=clean,
                   started=started, finished=finished, sample=sample, deviations=deviations)
    out.mkdir(parents=True, exist_ok=True)
    write_bytes(out / EVIDENCE, evidence_bytes(doc))
    return Executed(protocol, doc, out, executed_document(docs, records, protocol, doc), f"{protocol.id}-executed.docx")


def _shown(root: Path, path: Path) -> str:
    """Where a file really is, as a deviation names it: relative to the repository when inside it, else
    the absolute path."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return absolute.as_posix()


def summary_rows(records: RecordSet, executed: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every live protocol with its latest execution (this run's, else the latest recorded) and the
    deviations raised against it that are still open."""
    rows = []
    ncs = [nc for nc in records.of_kind("nonconformance") if nc.status in OPEN_NC]
    for protocol in sorted(records.of_kind("protocol"), key=lambda p: p.id):
        if protocol.retired:
            continue
        date = by = result = None
        if protocol.id in executed:
            ev = executed[protocol.id]
            date, result = ev["execution"]["date"], ev["result"]
            by = (ev["execution"]["executed_by"] or {}).get("id") or ev["execution"]["runner"]
        elif protocol.executions:
            last = max(protocol.executions, key=lambda e: e.date)
            date, by, result = last.date.isoformat(), str(last.executed_by), last.result
        open_ = sorted({nc.id for nc in ncs if protocol.id in {str(o) for o in nc.origin}}
                       | {str(d) for e in protocol.executions for d in e.deviations
                          if (r := records.get(str(d))) is not None and r.status in OPEN_NC})
        rows.append({"protocol": protocol.id, "title": protocol.title, "status": protocol.status,
                     "date": date, "executed_by": by, "result": result, "open_deviations": open_})
    return rows
