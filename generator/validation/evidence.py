"""The executed protocol as evidence: JSON that names who, when, on what, with which result; and the
deviation record a failed step drafts (21 CFR 820.75(a), Part 11 §11.10(e); ALCOA+).
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import __version__
from ..atomic import create_new
from ..model.canonical import content_hash
from ..model.events import Nonconformance
from ..model.validation import Protocol
from ..paths import child
from ..recordset import RecordSet
from .runner import Run, ScenarioResult

if TYPE_CHECKING:
    from ..model.raw import JsonObject, RawMapping

EVIDENCE_FORMAT = 1
# What the environment section names: the generator and what it computes and runs with.
PACKAGES = ("qms-generator", "pytest", "pytest-bdd", "gherkin-official", "pydantic", "PyYAML", "python-calamine",
            "openpyxl", "python-docx", "click")


def environment() -> JsonObject:
    packages: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "os": f"{platform.system()} {platform.release()}", "machine": platform.machine(),
            "generator": __version__, "packages": packages}


@dataclass(frozen=True)
class StepOutcome:
    """One protocol step: the scenarios it ran and its verdict."""

    id: str
    expected: str | None
    scenarios: tuple[ScenarioResult, ...]

    @property
    def result(self) -> str:
        return "pass" if self.scenarios and all(s.status == "passed" for s in self.scenarios) else "fail"

    def failed_checks(self) -> list[tuple[str, Any, Any]]:
        """(check, actual, expected) of every failed check, or the step error when no check ran."""
        out: list[tuple[str, Any, Any]] = []
        for sc in self.scenarios:
            for st in sc.steps:
                bad = [o for o in st.observations if not o.ok]
                out += [(f"{sc.scenario}: {o.check}", o.actual, o.expected) for o in bad]
                if st.status in ("failed", "undefined") and not bad:
                    out.append((f"{sc.scenario}: {st.keyword} {st.text}", st.error, "step passes"))
            if sc.status == "error":
                out.append((sc.scenario, sc.error, "scenario runs"))
        return out


def outcomes(protocol: Protocol, run: Run) -> list[StepOutcome]:
    return [StepOutcome(step.id, step.expected, tuple(r for r in run.results if r.protocol_step == step.id))
            for step in protocol.steps]


def evidence(protocol: Protocol, records: RecordSet, run: Run, *, date: dt.date, executor: str | None,
             runner: str, commit: str, clean: bool | None, started: str | None, finished: str | None,
             sample: RawMapping | None, deviations: list[str]) -> JsonObject:
    steps = outcomes(protocol, run)
    user = records.get(executor) if executor else None
    failed = [s.id for s in steps if s.result == "fail"]
    return {
        "format": EVIDENCE_FORMAT,
        "protocol": {"id": protocol.id, "title": protocol.title, "type": protocol.id.split("-")[0],
                     "subject": protocol.subject, "status": protocol.status,
                     "approved": protocol.approved.isoformat() if protocol.approved else None,
                     "content_sha256": content_hash(protocol)},
        "execution": {"date": date.isoformat(), "runner": runner,
                      "executed_by": {"id": executor, "name": getattr(user, "name", None)} if executor else None,
                      "started": started, "finished": finished},
        "environment": environment(),
        "repository": {"commit": commit, "clean": clean},
        "sample_size": sample,
        "result": "pass" if not failed else "fail",
        "summary": {"steps": len(steps), "passed": len(steps) - len(failed), "failed": len(failed),
                    "failed_steps": failed},
        "steps": [{"id": s.id, "expected": s.expected, "result": s.result,
                   "scenarios": [sc.as_json() for sc in s.scenarios]} for s in steps],
        "files_read": run.files_read,
        "deviations": deviations,
    }


def evidence_bytes(doc: JsonObject) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


# ------------------------------------------------------------------------------------------------ deviations

_NC = re.compile(r"\ANC-([0-9]{4})-([0-9]+)\Z")
NC_FOLDER = "records/events/nc"


def next_nc_id(root: Path, records: RecordSet, year: int, taken: set[str]) -> str:
    """The next free NC-YYYY-NNN: past every ID in the RecordSet and every file in the NC folder."""
    numbers = [0]
    names = [r.id for r in records.of_kind("nonconformance")] + list(taken)
    folder = root / NC_FOLDER
    if folder.is_dir():
        names += [p.stem for p in folder.iterdir()]
    for name in names:
        m = _NC.match(name)
        if m and int(m.group(1)) == year:
            numbers.append(int(m.group(2)))
    return f"NC-{year}-{max(numbers) + 1:03d}"


class _RecordDumper(yaml.SafeDumper):
    """Plain YAML a person edits: no anchors or aliases (the loader refuses them), text in literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_RecordDumper.add_representer(str, _text)


def dump_record(record: RawMapping) -> str:
    """A drafted record as the plain YAML people edit."""
    return yaml.dump(record, Dumper=_RecordDumper, sort_keys=False, allow_unicode=True, width=100)


OPEN_NC = ("open", "contained", "dispositioned")


def open_deviation(records: RecordSet, protocol_id: str, step_id: str) -> str | None:
    """The open deviation already raised against step `step_id` of protocol `protocol_id`, if any (the
    lowest ID when several are open): a rerun that fails the same step adds to it, not a second one."""
    found = sorted(nc.id for nc in records.of_kind("nonconformance")
                   if isinstance(nc, Nonconformance) and nc.status in OPEN_NC and nc.type == "deviation" and nc.protocol_step == step_id
                   and protocol_id in {str(o) for o in nc.origin})
    return found[0] if found else None


def draft_deviations(root: Path, records: RecordSet, protocol: Protocol, run: Run, date: dt.date,
                     executor: str, evidence_name: str, execution: str | None = None,
                     reused: list[str] | None = None) -> list[str]:
    """The deviation of every failed protocol step, in step order: the open one already raised against that
    step (appended to `reused`, when given), else a new open deviation record, written only where no file
    exists yet. A new one names `execution` (the EXE- record of this run) among its origins."""
    drafted: list[str] = []
    for outcome in outcomes(protocol, run):
        if outcome.result == "pass":
            continue
        if reused is not None and (existing := open_deviation(records, protocol.id, outcome.id)) is not None:
            if existing not in drafted:
                drafted.append(existing)
                reused.append(existing)
            continue
        lines = [f"- {check}: expected {expected}, actual {actual}" for check, actual, expected in
                 outcome.failed_checks()[:20]]
        record = {
            "id": "", "title": f"{protocol.id} step {outcome.id} failed during execution on {date}",
            "status": "open", "owner": executor, "created": date, "type": "deviation", "source": "validation",
            "detected": date, "origin": [protocol.id, *([execution] if execution else [])],
            "protocol_step": outcome.id,
            "description": (f"Protocol {protocol.id} ({protocol.title}), step {outcome.id}, did not meet its "
                            f"acceptance criterion: {outcome.expected or 'see the protocol'}.\n"
                            + "\n".join(lines) + f"\nEvidence: {evidence_name}"),
        }
        for _ in range(100):  # another writer may take the same number between the scan and the write
            nc_id = next_nc_id(root, records, date.year, set(drafted))
            record["id"] = nc_id
            path = child(root / NC_FOLDER, nc_id, ".yaml")
            path.parent.mkdir(parents=True, exist_ok=True)
            text = (f"# Drafted by `qms protocol run {protocol.id}`: a failed protocol step is a deviation "
                    "(21 CFR 820.75).\n# Investigate, assess the risk, decide on a CAPA, then complete and "
                    "close this record.\n" + dump_record(record))
            try:
                create_new(path, text.encode("utf-8"))
            except FileExistsError:
                continue
            drafted.append(nc_id)
            break
    return drafted
