"""`qms validate`: load every record, run every rule, report findings like a compiler."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import click

from ..findings import Finding
from ..gitio.signatures import collect as collect_git
from ..load.repo import load_repository
from ..model import KINDS
from ..recordset import RecordSet
from ..render.numbers import register_findings
from ..rules import check
from .app import AS_OF, App, format_option


@click.command()
@format_option("sarif", "junit", help="Output format: sarif (SARIF 2.1.0, for code review) and junit (JUnit XML, "
                                      "for CI test reports) are written to standard output like json.")
@AS_OF
@click.option("--no-cache", is_flag=True, help="Ignore and do not update the .qms-cache/ content-hash cache.")
@click.pass_obj
def validate(app: App, fmt: str, as_of: dt.date | None, no_cache: bool) -> None:
    """Check every record against its schema and every rule."""
    as_of = app.as_of(as_of)
    loaded = load_repository(app.root, use_cache=not no_cache)
    records = RecordSet(loaded.records, loaded.config, loaded.unvalidated)
    found = [*loaded.findings, *register_findings(app.root, records)]  # the document-number register's
    report = check(records, found, as_of, loaded.exports, git=collect_git(app.root, records))
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
    if fmt in ("sarif", "junit"):
        from .formats import junit_validate, sarif

        click.echo(sarif(report.findings, report.waived, summary, report.exit_code) if fmt == "sarif"
                   else junit_validate(report.findings, report.waived))
    elif fmt == "json":
        out = {
            "findings": [f.as_json() for f in report.findings],
            "waived": [f.as_json() for f in report.waived],
            "summary": summary,
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _text(report.findings, report.waived, summary)
    raise SystemExit(report.exit_code)


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
