"""`qms validate`: load every record, run every rule, report findings like a compiler."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from typing import Any

import click

from ..findings import Finding
from .app import AS_OF, App, format_option, keep_until_exit


@click.command()
@format_option("sarif", "junit", help="Output format: sarif (SARIF 2.1.0, for code review) and junit (JUnit XML, "
                                      "for CI test reports) are written to standard output like json.")
@AS_OF
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the .qms-cache/ content-hash cache.")
@click.pass_obj
def validate(app: App, fmt: str, as_of: dt.date | None, no_cache: bool) -> None:
    """Check every record against its schema and every rule."""
    as_of = app.as_of(as_of)
    replay = None
    if not no_cache:  # a stored result, when nothing it depends on has changed (load/replay.py: the key)
        from ..load.replay import ValidateCache, key_of

        replay = ValidateCache(app.root, key_of(app.root, as_of, options={}))
        stored = replay.lookup(dt.datetime.now(dt.UTC))
        if stored is not None:
            if replay.same_records:
                from ..load.replay import RuleCache

                RuleCache(replay).rekey(replay.same_records, dt.datetime.now(dt.UTC))
                if os.environ.get("QMS_DEBUG"):
                    click.echo(f"qms validate: the stored result stands: {len(replay.same_records)} edited record "
                               f"files hold the same records as before: {' '.join(replay.same_records)}", err=True)
            _print(fmt, stored.findings, stored.waived, stored.summary, stored.exit_code)
            raise SystemExit(stored.exit_code)
    findings, waived, summary, exit_code = _compute(app, as_of, no_cache, replay)
    _print(fmt, findings, waived, summary, exit_code)
    raise SystemExit(exit_code)


def _compute(app: App, as_of: dt.date, no_cache: bool, replay: Any) -> tuple[list[Finding], list[Finding],
                                                                             dict[str, Any], int]:
    """Load every record and run every rule; keep the result in `replay` (a ValidateCache) when it may be.

    With a cache, only the rules an edit since the last computed run can affect run again (rules.incremental);
    the others' findings are taken from `.qms-cache/rules.json`. Anything else changed (git, qms.yaml, the
    code, the as-of date, the clock) and every rule runs.
    """
    from ..gitio.signatures import collect as collect_git
    from ..gitio.signatures import keyring_dependent
    from ..load.replay import RuleCache
    from ..load.repo import load_repository
    from ..model import KINDS
    from ..recordset import RecordSet
    from ..render.numbers import register_findings
    from ..rules import check
    from ..rules.incremental import changes, edited_ids, file_tokens, plan
    from ..rules.integrity import clock_valid_until

    now = dt.datetime.now(dt.UTC)  # before the rules read the clock: a finding due to change sooner is kept shorter
    loaded = load_repository(app.root, use_cache=not no_cache, stamps=replay.files if replay is not None else None,
                             links=replay.links if replay is not None else ())
    records = RecordSet(loaded.records, loaded.config, loaded.unvalidated)
    stored = RuleCache(replay) if replay is not None else None
    if stored is not None:
        records.watch()  # before anything reads the records: analyses memoised now note what they read too
    found = [*loaded.findings, *register_findings(app.root, records)]  # the document-number register's
    git = collect_git(app.root, records)
    reuse, narrow, files, change, focus = None, None, None, None, frozenset[str]()
    if stored is not None:
        previous = stored.lookup(now)
        files = file_tokens(loaded, previous.files if previous is not None else None)
        if previous is not None:
            change = changes(previous.files, files, loaded)
            focus = edited_ids(loaded, change.files, records) if change.same_ids else focus
            reuse, narrow = plan(previous.rules, change, focus)
    report = check(records, found, as_of, loaded.exports, git=git, reuse=reuse, refresh=narrow, focus=focus)
    if os.environ.get("QMS_DEBUG"):
        how = "every rule run" if change is None else f"changed kinds: {' '.join(sorted(change.tokens)) or 'none'}"
        only = (f"; on {len(focus)} edited records and their neighbours only: {' '.join(report.narrowed)}"
                if report.narrowed else "")
        click.echo(f"qms validate: ran {len(report.ran)} of {len(report.by_rule) or len(report.ran)} rules "
                   f"({how}{only}): {' '.join(report.ran)}", err=True)
    summary = {
        "errors": report.errors,
        "warnings": report.warnings,
        "waived": len(report.waived),
        "records": len(records),
        "files": loaded.files,
        "as_of": as_of.isoformat(),
        "kinds": {kind: len(records.of_kind(kind)) for kind in sorted(KINDS)},
        "by_code": dict(sorted(Counter(f.code for f in report.findings).items())),
    }
    until = clock_valid_until(records, now) if replay is not None else None
    if replay is not None and not keyring_dependent(git):
        replay.store(loaded.hashed, report.findings, report.waived, summary, report.exit_code, until)
    if stored is not None and files is not None:  # rules reading git run every time: no keyring verdict is kept
        stored.store(files, report.by_rule, until)
    keep_until_exit(loaded, records, report)
    return report.findings, report.waived, summary, report.exit_code


def _print(fmt: str, findings: list[Finding], waived: list[Finding], summary: dict[str, Any], exit_code: int) -> None:
    if fmt in ("sarif", "junit"):
        from .formats import junit_validate, sarif

        click.echo(sarif(findings, waived, summary, exit_code) if fmt == "sarif"
                   else junit_validate(findings, waived))
    elif fmt == "json":
        out = {
            "findings": [f.as_json() for f in findings],
            "waived": [f.as_json() for f in waived],
            "summary": summary,
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _text(findings, waived, summary)


def _line(f: Finding) -> str:
    who = f" [{f.record}]" if f.record else ""
    return f"{f.location}: {f.severity} {f.code}{who}: {f.message}"


def _text(findings: list[Finding], waived: list[Finding], summary: dict) -> None:
    last_file = None
    for f in findings:
        if last_file is not None and f.location.file != last_file:
            click.echo("")
        last_file = f.location.file
        colour = "red" if f.severity == "error" else "yellow"
        click.echo(click.style(_line(f), fg=colour) if click.get_text_stream("stdout").isatty() else _line(f))
        if f.hint:
            click.echo(f"    hint: {f.hint}")
    if waived:
        click.echo("\nWaived findings (accepted by waiver records):")
        for f in waived:
            click.echo(f"  {_line(f)}  (waived by {f.waived_by})")
    if findings or waived:
        click.echo("")
    click.echo(
        f"{summary['errors']} error(s), {summary['warnings']} warning(s), {summary['waived']} waived "
        f"in {summary['records']} records from {summary['files']} files (as of {summary['as_of']})"
    )
