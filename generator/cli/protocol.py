"""`qms protocol`: list, render and run IQ/OQ/PQ protocols whose steps are Gherkin scenarios."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from ..findings import QmsError
from ..paths import child
from .app import AS_OF, FORMAT, App

# Their own folder, never the dossier (output/ belongs to `qms build`).
OUTPUT = "qms-work/protocols"


@click.group("protocol")
def protocol() -> None:
    """IQ/OQ/PQ protocols: list them, render one for approval, run one and capture its evidence."""


def _load(app: App) -> tuple[Any, Any]:
    loaded, records = app.load_readable()
    if loaded.config is None:
        raise QmsError("qms.yaml is missing or invalid; run `qms validate`")
    return loaded, records


def _protocol(records: Any, protocol_id: str) -> Any:
    record = records.get(protocol_id)
    if record is None or getattr(record, "KIND", None) != "protocol":
        known = ", ".join(sorted(p.id for p in records.of_kind("protocol"))) or "none"
        raise QmsError(f"no protocol '{protocol_id}' (protocols: {known})")
    return record


def _docs(app: App, records: Any, as_of: dt.date) -> tuple[Any, str, bool | None]:
    from ..render.document import DocumentSet
    from ..render.dossier import git_state

    state = git_state(app.root)
    return DocumentSet.for_records(records, effective=as_of, commit=state.source), state.commit, \
        None if state.dirty is None else not state.dirty


@protocol.command("list")
@FORMAT
@click.pass_obj
def list_(app: App, fmt: str) -> None:
    """Every protocol: type, status, approval, steps and latest recorded execution."""
    _, records = _load(app)
    rows = []
    for p in sorted(records.of_kind("protocol"), key=lambda p: p.id):
        last = max(p.executions, key=lambda e: e.date) if p.executions else None
        rows.append({"id": p.id, "type": p.id.split("-")[0], "title": p.title, "status": p.status,
                     "subject": p.subject, "approved": p.approved.isoformat() if p.approved else None,
                     "automated": p.automated, "steps": len(p.steps),
                     "latest_execution": None if last is None else {
                         "date": last.date.isoformat(), "executed_by": str(last.executed_by), "result": last.result}})
    if fmt == "json":
        click.echo(json.dumps({"protocols": rows}, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No protocols (add protocols/IQ-001.yaml; see `qms schema`).")
        return
    for r in rows:
        last = r["latest_execution"]
        done = f"last run {last['date']} by {last['executed_by']}: {last['result'].upper()}" if last else "not executed"
        click.echo(f"{r['id']:<8} {r['status']:<9} {r['steps']:>2} step(s)  {r['title']}"
                   f"{'  [automated]' if r['automated'] else ''}\n         approved {r['approved'] or '-'}; {done}")


@protocol.command("render")
@click.argument("protocol_id", metavar="ID")
@AS_OF
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help=f"Word file to write (default: {OUTPUT}/ID/ID-protocol.docx).")
@click.pass_obj
def render(app: App, protocol_id: str, as_of: dt.date | None, out: Path | None) -> None:
    """The unexecuted protocol ID as a controlled Word document, for review and approval."""
    from ..render.dossier import outside_dossier
    from ..render.protocol_doc import protocol_document
    from ..validation.execute import sample_justification

    loaded, records = _load(app)
    p = _protocol(records, protocol_id)
    docs, _, _ = _docs(app, records, app.as_of(as_of))
    target = out or child(child(app.root / OUTPUT, p.id, what="protocol ID"), p.id, "-protocol.docx")
    outside_dossier(target, app.root)
    target.parent.mkdir(parents=True, exist_ok=True)
    protocol_document(docs, records, p, loaded.exports.get(p.id), sample_justification(p)[1]).save(target)
    click.echo(f"wrote {target}")


@protocol.command("run")
@click.argument("protocol_id", metavar="ID")
@click.option("--executed-by", "executor", required=True, metavar="USER-ID",
              help="The user executing the protocol (USR-...): named in the protocol, active and trained.")
@AS_OF
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Folder for the evidence (default: {OUTPUT}/ID/).")
@FORMAT
@click.pass_obj
def run(app: App, protocol_id: str, executor: str, as_of: dt.date | None, out: Path | None, fmt: str) -> None:
    """Execute protocol ID: run its scenarios with pytest-bdd, write the evidence and the executed protocol.

    Exit 0 when every step passes, 1 when a step fails (a deviation record is drafted for each failed
    step) or the protocol may not be executed (not approved, instrument out of calibration, executor
    not trained), 2 for bad input.
    """
    from ..lock import repository_lock
    from ..render.dossier import outside_dossier
    from ..rules import check
    from ..validation.execute import NotReady, run_protocol

    # Held until the command ends: the readiness read and the deviations drafted (numbered by the NCs
    # already there). A long protocol keeps other writers waiting, and they say so when they give up.
    click.get_current_context().with_resource(repository_lock(app.root, f"qms protocol run {protocol_id}"))
    loaded, records = _load(app)
    p = _protocol(records, protocol_id)
    date = app.as_of(as_of)
    own = [f for f in check(records, loaded.findings, date, loaded.exports, area="validation").findings
           if f.record == p.id and f.severity == "error" and f.code == "QMS640"]
    if own:
        raise QmsError(f"{own[0].location}: {own[0].message}; fix the protocol before running it")
    docs, commit, clean = _docs(app, records, date)
    folder = outside_dossier(out or child(app.root / OUTPUT, p.id, what="protocol ID"), app.root)
    try:
        done = run_protocol(app.root, records, p, loaded.exports.get(p.id), date=date, out=folder,
                            executor=executor, commit=commit, clean=clean, docs=docs)
        done.report.save(folder / done.report_name)
    except NotReady as nr:
        if fmt == "json":
            click.echo(json.dumps({"protocol": p.id, "result": "not executed",
                                   "problems": [{"kind": x.kind, "message": x.message} for x in nr.problems]},
                                  indent=2, ensure_ascii=False))
        else:
            click.echo(f"{p.id} was not executed:")
            for x in nr.problems:
                click.echo(f"  - {x.message}")
        raise SystemExit(1)
    ev = done.evidence
    if fmt == "json":
        click.echo(json.dumps(ev, indent=2, ensure_ascii=False))
    else:
        _print_run(ev, folder)
    raise SystemExit(0 if done.passed else 1)


def _print_run(ev: dict[str, Any], folder: Path) -> None:
    s = ev["summary"]
    click.echo(f"{ev['protocol']['id']} executed on {ev['execution']['date']} by "
               f"{ev['execution']['executed_by']['id']}: {ev['result'].upper()} "
               f"({s['passed']} of {s['steps']} step(s) passed)")
    for step in ev["steps"]:
        click.echo(f"  step {step['id']}: {step['result'].upper()}  {step['expected'] or ''}")
        for sc in step["scenarios"]:
            for st in sc["steps"]:
                for c in st["checks"]:
                    if not c["ok"]:
                        click.echo(f"      {c['check']}: expected {c['expected']}, actual {c['actual']}")
                if st["status"] == "undefined" or (st["status"] == "failed" and not st["checks"]):
                    click.echo(f"      {st['keyword']} {st['text']}: {st['error']}")
    for nc in ev["deviations"]:
        click.echo(f"  drafted deviation {nc} (records/events/nc/{nc}.yaml)")
    click.echo(f"evidence: {folder / 'evidence.json'}\nexecuted protocol: {folder / (ev['protocol']['id'] + '-executed.docx')}")
