"""`qms build`: the whole dossier from one load of the repository (issue #6).

Exit codes: 0 the dossier is written and validation found no errors; 1 the dossier is written but
validation found errors, so the manifest and index mark it "not releasable"; 2 bad usage, an unreadable
repository, an --out that is not a dossier, a record ID that cannot name a file, a full or read-only
disk, or a failed render (the previous dossier is then left exactly as it was).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import AS_OF, FORMAT, App

if TYPE_CHECKING:
    from ..recordset import RecordSet


def show_progress(fmt: str) -> bool:
    """A progress bar only for a person at a terminal: not with --format json, not in CI, not when piped."""
    return fmt == "text" and not os.environ.get("CI") and sys.stderr.isatty()


@contextmanager
def progress(enabled: bool, total: int) -> Iterator[Callable[[str], None]]:
    if not enabled:
        yield lambda _label: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description:<16}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("load", total=total)
        started = [False]

        def step(label: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=label)

        yield step
        bar.update(task, completed=total)


def release_refusals(root: Path, records: RecordSet, as_of: dt.date) -> list[str]:
    """Why this working tree may not be built as a release, one reason a line ([] when it may).

    The integrity rules decide what is wrong with approvals (QMS600-612 with the git facts, waivers
    applied); a released record counts as approved only through an approval those rules do not fault.
    """
    from ..gitio.baseline import unclean
    from ..gitio.signatures import collect
    from ..rules import check
    from ..rules.integrity import settings, unapproved_released

    reasons = unclean(root)
    if not settings(records).require_signed_commits:
        reasons.append("qms.yaml: signatures.require_signed_commits is false, so no approval is shown to be its "
                       "signer's own act; a release needs signed approvals (remove the setting, register keys with "
                       "`qms keys add` and approve with `qms approve`)")
    report = check(records, (), as_of, area="integrity", git=collect(root, records))
    errors = [f for f in report.findings if f.severity == "error"]
    faulted = frozenset(f.record for f in errors if f.record is not None)
    for record_id, why in unapproved_released(records, faulted):
        if record_id not in faulted:  # a finding on the record itself already says why
            reasons.append(f"{records.sources[record_id].at(())}: {record_id} is {why}")
    reasons += [f"{f.location}: {f.code} {f.message}" for f in errors]
    reasons += [f"{f.location}: QMS610 {f.message}" for f in report.findings if f.code == "QMS610"]
    return reasons + unregistered_numbers(root, records)


def unregistered_numbers(root: Path, records: RecordSet) -> list[str]:
    """A release carries registered numbers only: a provisional one could still be given to another document."""
    from ..render.dossier_sections import document_keys
    from ..render.numbers import REGISTER, Numbers, read_register

    numbers = Numbers(records.config, read_register(root)[0], document_keys(records))
    if not numbers.provisional:
        return []
    listed = ", ".join(f"{k} ({n})" for k, n in numbers.provisional.items())
    return [f"{REGISTER}: {len(numbers.provisional)} document(s) have no registered number: {listed}; "
            "run `qms numbers assign` and commit the register"]


def refuse_release(app: App, records: RecordSet, as_of: dt.date, fmt: str) -> None:
    reasons = release_refusals(app.root, records, as_of)
    if not reasons:
        return
    if fmt == "json":
        click.echo(json.dumps({"release": "refused", "reasons": reasons}, indent=2, ensure_ascii=False))
    for reason in reasons:
        click.echo(f"release refused: {reason}", err=True)
    click.echo(f"qms build --release: {len(reasons)} reason(s) to refuse; nothing written", err=True)
    raise SystemExit(1)


@click.command("build")
@AS_OF
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier folder (default: output/ in the repository). Replaced only once the new dossier "
                   "is complete, and only if it is empty or a dossier qms wrote (its manifest.json says so); "
                   "any other folder is refused and left untouched.")
@FORMAT
@click.option("--pdf", is_flag=True,
              help="Also convert every Word file to PDF with LibreOffice (soffice); without it installed the "
                   "build says so and goes on.")
@click.option("--release", is_flag=True,
              help="A release build: refuse (exit 1, nothing written) uncommitted changes, released records "
                   "without a valid approval of their current content, and integrity errors such as "
                   "approvals not signed with the signer's own registered key, and a repository that does not "
                   "require signed approvals (signatures.require_signed_commits: false).")
@click.pass_obj
def build(app: App, as_of: dt.date | None, out: Path | None, fmt: str, pdf: bool, release: bool) -> None:
    """Build the dossier: validation findings, trace matrix, risk register and heat maps, CAPA reports,
    KPIs, supplier scorecard, an index.html and a manifest.json with the SHA-256 of every file.

    Exit 0 releasable, 1 written but validation has errors, a protocol failed or a document the release policy
    names is not approved (marked "not releasable"), 2 nothing replaced.
    With --release, exit 1 and nothing written when the release checks refuse, one reason a line.
    """
    from ..render.dossier import STEPS, build_dossier, check_target

    started = time.perf_counter()
    default = app.root / "output"
    target = out if out is not None else default
    check_target(target, default)
    as_of = app.as_of(as_of)
    with progress(show_progress(fmt), len(STEPS) + 1) as step:
        step("load")
        loaded, records = app.load_readable()
        if release:
            refuse_release(app, records, as_of, fmt)
        built = build_dossier(app.root, loaded, records, as_of, target, pdf=pdf, step=step)
    seconds = time.perf_counter() - started
    if fmt == "json":
        doc = built.as_json()
        doc["out"] = str(target)
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for note in built.notes:
            click.echo(f"note: {note}", err=True)
        verdict = ("releasable" if built.releasable else
                   f"NOT RELEASABLE ({'; '.join(built.unapproved)})" if built.unapproved and not built.errors
                   and not built.failed_protocols else "NOT RELEASABLE (see findings.json)")
        dirty = " (uncommitted changes)" if built.dirty else ""
        click.echo(f"wrote the dossier {target}: {len(built.files)} files + manifest.json, {built.errors} error(s), "
                   f"{built.warnings} warning(s), {built.waived} waived; commit {built.commit[:12]}{dirty}; "
                   f"{verdict} ({seconds:.1f} s)")
    raise SystemExit(0 if built.releasable else 1)
