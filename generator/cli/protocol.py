"""`qms protocol`: list, render and run IQ/OQ/PQ protocols whose steps are Gherkin scenarios."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from ..findings import QmsError
from ..paths import child
from .app import AS_OF, FORMAT, App, format_option

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
    from ..gitio.state import git_state
    from ..render.document import DocumentSet

    state = git_state(app.root)
    return DocumentSet.for_records(records, effective=as_of, commit=state.source), state.commit, \
        None if state.dirty is None else not state.dirty


@protocol.command("list")
@FORMAT
@click.pass_obj
def list_(app: App, fmt: str) -> None:
    """Every protocol: type, status, approval, steps and latest execution (its newest EXE- record, else the
    newest entry of the protocol's own `executions:` history)."""
    from ..validation.execute import latest_execution

    _, records = _load(app)
    rows = []
    for p in sorted(records.of_kind("protocol"), key=lambda p: p.id):
        rows.append({"id": p.id, "type": p.id.split("-")[0], "title": p.title, "status": p.status,
                     "subject": p.subject, "approved": p.approved.isoformat() if p.approved else None,
                     "automated": p.automated, "steps": len(p.steps),
                     "latest_execution": latest_execution(records, p)})
    if fmt == "json":
        click.echo(json.dumps({"protocols": rows}, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No protocols (add protocols/IQ-001.yaml; see `qms schema`).")
        return
    for r in rows:
        last = r["latest_execution"]
        done = (f"last run {last['date']} by {last['executed_by']}: {last['result'].upper()}"
                + (f" ({last['record']})" if last["record"] else "")) if last else "not executed"
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
              help="The user executing the protocol (USR-...): named in the protocol, active and trained today.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help=f"Folder for the executed protocol document (default: {OUTPUT}/ID/).")
@format_option("junit", help="Output format: junit is JUnit XML, one test case per protocol step, for CI.")
@click.pass_obj
def run(app: App, protocol_id: str, executor: str, out: Path | None, fmt: str) -> None:
    """Execute protocol ID now: run its scenarios with pytest-bdd and record the execution.

    The execution is an act in time: it is dated today (UTC), whatever the as-of date, and the
    executor, calibration and approval are checked for today. It is written as a record,
    records/validation/executions/EXE-YYYY-NNN.yaml, with the true start and end of the run and of
    each step, and its evidence beside it (EXE-YYYY-NNN/evidence.json, named by SHA-256). A failed
    step adds to the open deviation already raised against that step, else drafts one.

    Exit 0 when every step passes, 1 when a step fails or the protocol may not be executed today (not
    approved, instrument out of calibration, executor not named or not trained), 2 for bad input.
    """
    from ..lock import repository_lock
    from ..render.dossier import outside_dossier
    from ..render.protocol_doc import executed_document
    from ..rules import check
    from ..validation.execute import NotReady, record_run

    # Held until the command ends: the readiness read, the deviations and the execution record (numbered by
    # those already there). A long protocol keeps other writers waiting, and they say so when they give up.
    click.get_current_context().with_resource(repository_lock(app.root, f"qms protocol run {protocol_id}"))
    loaded, records = _load(app)
    p = _protocol(records, protocol_id)
    as_of = app.as_of(None)
    own = [f for f in check(records, loaded.findings, as_of, loaded.exports, area="validation").findings
           if f.record == p.id and f.severity == "error" and f.code == "QMS640"]
    if own:
        raise QmsError(f"{own[0].location}: {own[0].message}; fix the protocol before running it")
    docs, commit, clean = _docs(app, records, as_of)
    folder = outside_dossier(out or child(app.root / OUTPUT, p.id, what="protocol ID"), app.root)
    try:
        done = record_run(app.root, records, p, loaded.exports.get(p.id), executor=executor, commit=commit,
                          clean=clean)
    except NotReady as nr:
        if fmt == "junit":
            from .formats import junit_not_executed

            click.echo(junit_not_executed(p.id, [x.message for x in nr.problems]))
        elif fmt == "json":
            click.echo(json.dumps({"protocol": p.id, "result": "not executed",
                                   "problems": [{"kind": x.kind, "message": x.message} for x in nr.problems]},
                                  indent=2, ensure_ascii=False))
        else:
            click.echo(f"{p.id} was not executed:")
            for x in nr.problems:
                click.echo(f"  - {x.message}")
        raise SystemExit(1) from None
    folder.mkdir(parents=True, exist_ok=True)
    executed_document(docs, records, p, done.evidence).save(folder / done.report_name)
    ev = done.evidence
    if fmt == "junit":
        from .formats import junit_protocol

        click.echo(junit_protocol(ev))
    elif fmt == "json":
        click.echo(json.dumps(ev, indent=2, ensure_ascii=False))
    else:
        _print_run(ev, folder, done.reused)
    raise SystemExit(0 if done.passed else 1)


def _print_run(ev: dict[str, Any], folder: Path, reused: tuple[str, ...]) -> None:
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
        done = "added to open deviation" if nc in reused else "drafted deviation"
        click.echo(f"  {done} {nc} (records/events/nc/{nc}.yaml)")
    ex = ev["execution"]
    click.echo(f"recorded execution {ex['id']} ({ex['record']}), started {ex['started']}, finished {ex['finished']}\n"
               f"evidence: {ex['record'][:-len('.yaml')]}/evidence.json\n"
               f"executed protocol: {folder / (ev['protocol']['id'] + '-executed.docx')}")
