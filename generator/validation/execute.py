"""Execute one protocol end to end: readiness checks, the pytest-bdd run, evidence, documents, deviations.

`qms protocol run` (`record_run`) executes for a named, trained executor on the true date (today, UTC),
with wall-clock times of the run and of every step, and writes the execution as a record
(`records/validation/executions/EXE-YYYY-NNN.yaml`) with its evidence beside it
(`EXE-YYYY-NNN/evidence.json`, hashed in the record); a failed step reuses the open deviation already
raised against it, else drafts one. `qms build` executes the automated (self-validation) protocols
without times (`run_protocol`), so the dossier stays reproducible, and writes no records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.protocols import Problem, justified_sample_size, readiness
from ..atomic import create_new, write_bytes
from ..findings import QmsError
from ..load.features import ProtocolFiles
from ..model.events import Nonconformance
from ..model.validation import Protocol, ProtocolExecution
from ..paths import child
from ..recordset import RecordSet
from .evidence import OPEN_NC, draft_deviations, dump_record, evidence, evidence_bytes, outcomes
from .runner import Run, execute, no_clock, wall_clock

if TYPE_CHECKING:
    from ..model.raw import RawMapping

EVIDENCE = "evidence.json"
EXECUTIONS = "records/validation/executions"


@dataclass
class Executed:
    protocol: Protocol
    evidence: dict[str, Any]
    folder: Path
    report_name: str  # the name the caller saves the executed protocol under (render.protocol_doc renders it)
    record: str | None = None  # the EXE- record a `qms protocol run` wrote
    reused: tuple[str, ...] = ()  # open deviations this run's failed steps were added to

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
                 date: dt.date, out: Path, commit: str, clean: bool | None) -> Executed:
    """`qms build`'s run of an automated protocol: write `out/evidence.json`, and return the evidence, from
    which the caller renders the executed protocol (to be saved as `out/<report_name>`). Without wall-clock times, so the
    dossier stays reproducible; NotReady unless the protocol was approved by `date`. A person's execution
    is `record_run`.
    """
    from ..analysis.protocols import approval_problems

    problems = approval_problems(protocol, date)
    if problems:
        raise NotReady(problems)
    started = no_clock()
    run = execute(root, records, protocol, files, date, no_clock)
    finished = no_clock()
    sample, _ = sample_justification(protocol)
    doc = evidence(protocol, records, run, date=date, executor=None, runner="qms build", commit=commit,
                   clean=clean, started=started, finished=finished, sample=sample, deviations=[])
    out.mkdir(parents=True, exist_ok=True)
    write_bytes(out / EVIDENCE, evidence_bytes(doc))
    return Executed(protocol, doc, out, f"{protocol.id}-executed.docx")


_EXE = re.compile(r"\AEXE-([0-9]{4})-([0-9]+)(?:\.ya?ml)?\Z")


def next_execution_id(root: Path, records: RecordSet, year: int) -> str:
    """The next free EXE-YYYY-NNN: past every execution record and every file or folder in the folder."""
    names = [r.id for r in records.of_kind("execution")]
    folder = root / EXECUTIONS
    if folder.is_dir():
        names += [p.name for p in folder.iterdir()]
    numbers = [0] + [int(m.group(2)) for n in names if (m := _EXE.match(n)) and int(m.group(1)) == year]
    return f"EXE-{year}-{max(numbers) + 1:03d}"


def _step_times(protocol: Protocol, run: Run) -> list[dict[str, Any]]:
    rows = []
    for outcome in outcomes(protocol, run):
        steps = [st for sc in outcome.scenarios for st in sc.steps]
        started = [st.started for st in steps if st.started]
        finished = [st.finished for st in steps if st.finished]
        rows.append({"id": outcome.id, "result": outcome.result, "started": min(started) if started else None,
                     "finished": max(finished) if finished else None})
    return rows


def execution_path(root: Path, execution_id: str) -> Path:
    return child(root / EXECUTIONS, execution_id, ".yaml", what="execution ID")


def record_run(root: Path, records: RecordSet, protocol: Protocol, files: ProtocolFiles | None, *,
               executor: str, commit: str, clean: bool | None) -> Executed:
    """`qms protocol run`: check readiness on today's UTC date, execute, and record the execution.

    The caller holds the repository lock. Writes, each atomically and never over an existing file:
    the drafted deviations, `EXE-…/evidence.json`, then `EXE-….yaml` naming the evidence by SHA-256.
    NotReady (nothing written) when the executor may not execute the protocol today.
    """
    started = wall_clock()
    date = dt.date.fromisoformat(started[:10])  # the true day, UTC: calibration, training, approval
    problems = readiness(records, protocol, executor, date)
    if problems:
        raise NotReady(problems)
    run = execute(root, records, protocol, files, date, wall_clock)
    finished = wall_clock()
    exe_id = next_execution_id(root, records, date.year)
    folder = child(root / EXECUTIONS, exe_id, what="execution ID")
    try:
        return _write_run(root, records, protocol, run, exe_id=exe_id, folder=folder, date=date,
                          executor=executor, commit=commit, clean=clean, started=started, finished=finished)
    except OSError as err:  # a full or read-only disk: a clear message (exit 2), no traceback
        raise QmsError(f"cannot record the execution of {protocol.id} in {root / EXECUTIONS}: "
                       f"{err.strerror or err}{f' ({err.filename})' if err.filename else ''}") from None


def _write_run(root: Path, records: RecordSet, protocol: Protocol, run: Run, *, exe_id: str,
               folder: Path, date: dt.date, executor: str, commit: str, clean: bool | None, started: str,
               finished: str) -> Executed:
    folder.mkdir(parents=True, exist_ok=False)  # under the lock; a stray folder of that name moves the ID on
    evidence_rel = f"{EXECUTIONS}/{exe_id}/{EVIDENCE}"
    reused: list[str] = []
    deviations: list[str] = []
    if not run.passed:
        deviations = draft_deviations(root, records, protocol, run, date, executor, evidence_rel,
                                      execution=exe_id, reused=reused)
    sample, _ = sample_justification(protocol)
    doc = evidence(protocol, records, run, date=date, executor=executor, runner="qms protocol run", commit=commit,
                   clean=clean, started=started, finished=finished, sample=sample, deviations=deviations)
    doc["execution"] = {"id": exe_id, "record": f"{EXECUTIONS}/{exe_id}.yaml", **doc["execution"]}
    data = evidence_bytes(doc)
    create_new(folder / EVIDENCE, data)
    record = {
        "id": exe_id, "title": f"{protocol.id} executed by {executor} on {date}: {doc['result'].upper()}",
        "status": "executed", "protocol": protocol.id, "protocol_sha256": doc["protocol"]["content_sha256"],
        "executed_by": executor, "runner": "qms protocol run", "started": started, "finished": finished,
        "result": doc["result"], "commit": commit if re.fullmatch(r"[0-9a-f]{7,40}", commit or "") else None,
        "clean": clean, "steps": _step_times(protocol, run),
        "evidence": [{"path": f"{exe_id}/{EVIDENCE}", "sha256": hashlib.sha256(data).hexdigest()}],
        "deviations": deviations,
    }
    text = (f"# Recorded by `qms protocol run {protocol.id}` when it ran (times in UTC). The evidence file is "
            "named by its SHA-256:\n# do not edit it or this record; review the execution by changing its "
            "status (executed -> reviewed), or invalidate it.\n" + dump_record(record))
    create_new(execution_path(root, exe_id), text.encode("utf-8"))
    return Executed(protocol, doc, folder, f"{protocol.id}-executed.docx", record=exe_id, reused=tuple(reused))


def _utc(moment: dt.datetime) -> str:
    """A recorded time as `qms protocol run` writes it: UTC, to the millisecond, with Z."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def latest_executions(records: RecordSet) -> dict[str, ProtocolExecution]:
    """The latest execution record of each protocol (by start time), invalidated ones left out."""
    latest: dict[str, ProtocolExecution] = {}
    for exe in records.of_kind("execution"):
        if not isinstance(exe, ProtocolExecution) or exe.retired:
            continue
        key = str(exe.protocol)
        if key not in latest or (exe.started, exe.id) > (latest[key].started, latest[key].id):
            latest[key] = exe
    return latest


def latest_execution(records: RecordSet, protocol: Protocol) -> RawMapping | None:
    """The latest execution of `protocol`: its newest EXE- record, else the newest `executions:` entry in the
    protocol file (history written by hand); a record wins a same-day history entry."""
    rec = latest_executions(records).get(protocol.id)
    old = max(protocol.executions, key=lambda e: e.date) if protocol.executions else None
    if rec is not None and (old is None or rec.date >= old.date):
        return {"date": rec.date.isoformat(), "executed_by": str(rec.executed_by), "result": rec.result,
                "record": rec.id, "started": _utc(rec.started), "finished": _utc(rec.finished)}
    if old is not None:
        return {"date": old.date.isoformat(), "executed_by": str(old.executed_by), "result": old.result,
                "record": None, "started": None, "finished": None}
    return None


def summary_rows(records: RecordSet, executed: dict[str, RawMapping],
                 only: list[str] | None = None) -> list[RawMapping]:
    """Every live protocol (of `only`, when given) with its latest execution (this run's, else the latest
    recorded), every deviation raised against it and those still open."""
    rows = []
    ncs = [nc for nc in records.of_kind("nonconformance") if nc.status in OPEN_NC]
    executions = [e for e in records.of_kind("execution") if isinstance(e, ProtocolExecution)]
    for protocol in sorted(records.of_kind("protocol"), key=lambda p: p.id):
        if not isinstance(protocol, Protocol) or protocol.retired or (only is not None and protocol.id not in only):
            continue
        date = by = result = record = None
        if protocol.id in executed:
            ev = executed[protocol.id]
            date, result = ev["execution"]["date"], ev["result"]
            by = (ev["execution"]["executed_by"] or {}).get("id") or ev["execution"]["runner"]
        elif (last := latest_execution(records, protocol)) is not None:
            date, by, result, record = last["date"], last["executed_by"], last["result"], last["record"]
        raised = [d for e in protocol.executions for d in e.deviations] + [
            d for e in executions if str(e.protocol) == protocol.id for d in e.deviations]
        origin = {nc.id for nc in records.of_kind("nonconformance")
                  if isinstance(nc, Nonconformance) and protocol.id in {str(o) for o in nc.origin}}
        open_ = sorted({nc.id for nc in ncs if nc.id in origin}
                       | {str(d) for d in raised if (r := records.get(str(d))) is not None and r.status in OPEN_NC})
        rows.append({"protocol": protocol.id, "title": protocol.title, "status": protocol.status,
                     "subject": protocol.subject, "date": date, "executed_by": by, "result": result,
                     "record": record, "deviations": sorted(origin | {str(d) for d in raised}),
                     "open_deviations": open_})
    return rows


EVIDENCE_LIMIT = 64 * 1024 * 1024  # an evidence JSON larger than this is not one `qms protocol run` wrote


def recorded_evidence(root: Path, exe: ProtocolExecution) -> tuple[bytes, RawMapping, tuple[str, str]]:
    """The evidence JSON an execution record names: (its bytes, the parsed evidence, (its path from the
    repository, its SHA-256)); QmsError when it is missing, unreadable or not the file the record hashed."""
    import json

    from ..load.files import read_regular
    from ..paths import inside

    if not exe.evidence:
        raise QmsError(f"{exe.id} names no evidence file")
    named = exe.evidence[0]
    rel = f"{EXECUTIONS}/{named.path}"
    try:
        data = read_regular(inside(root / EXECUTIONS, named.path, what="evidence path"), EVIDENCE_LIMIT, nofollow=True)
    except OSError as err:
        raise QmsError(f"{rel}: cannot read: {err.strerror or err}") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != named.sha256:
        raise QmsError(f"{rel}: SHA-256 {digest} is not the {named.sha256} that {exe.id} recorded")
    try:
        doc = json.loads(data)
    except ValueError as err:
        raise QmsError(f"{rel}: not JSON: {err}") from None
    return data, doc, (rel, digest)
