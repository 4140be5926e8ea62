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
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

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


class Refusal(NamedTuple):
    """One reason a release is refused: the line that says it, the kind of reason it is (what the summary
    counts), and the kind of record it concerns (None for the tree, the settings, the register)."""

    text: str
    reason: str
    kind: str | None = None


def release_refusals(root: Path, records: RecordSet, as_of: dt.date) -> list[str]:
    """Why this working tree may not be built as a release, one reason a line ([] when it may)."""
    return [r.text for r in release_checks(root, records, as_of)]


def release_checks(root: Path, records: RecordSet, as_of: dt.date) -> list[Refusal]:
    """Why this working tree may not be built as a release ([] when it may).

    The integrity rules decide what is wrong with approvals (QMS600-612 with the git facts, waivers
    applied); a released record counts as approved only through an approval those rules do not fault.
    """
    from ..gitio.baseline import unclean
    from ..gitio.signatures import collect
    from ..rules import RULES, check
    from ..rules.integrity import settings, unapproved_released

    def kind_of(record_id: str | None) -> str | None:
        record = records.get(record_id)
        return record.KIND if record is not None else None

    reasons = [Refusal(text, "working tree not clean") for text in unclean(root)]
    if not settings(records).require_signed_commits:
        reasons.append(Refusal(
            "qms.yaml: signatures.require_signed_commits is false, so no approval is shown to be its signer's own "
            "act; a release needs signed approvals (remove the setting, register keys with `qms keys add` and "
            "approve with `qms approve`)", "signed approvals not required"))
    report = check(records, (), as_of, area="integrity", git=collect(root, records))
    errors = [f for f in report.findings if f.severity == "error"]
    faulted = frozenset(f.record for f in errors if f.record is not None)
    for record_id, why in unapproved_released(records, faulted):
        if record_id not in faulted:  # a finding on the record itself already says why
            reasons.append(Refusal(f"{records.sources[record_id].at(())}: {record_id} is {why}", _unapproved(why),
                                   kind_of(record_id)))
    for f in [*errors, *(f for f in report.findings if f.code == "QMS610")]:
        title = RULES[f.code].title if f.code in RULES else ""
        reasons.append(Refusal(f"{f.location}: {f.code} {f.message}", f"{f.code} {title}".strip(),
                               kind_of(f.record)))
    return reasons + [Refusal(text, "document numbers not registered") for text in unregistered_numbers(root, records)]


def _unapproved(why: str) -> str:
    """The kind of reason a released record without a valid approval is refused, from what it says."""
    if "changed since it was approved" in why:
        return "in force, changed since its approval"
    if "is not valid" in why:
        return "in force, its approval of the current content faulted"
    return "in force without a signed approval"


def refusal_summary(refusals: list[Refusal]) -> list[dict[str, Any]]:
    """Counts by reason, most first, each with its counts by record kind."""
    by_reason: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for r in refusals:
        totals[r.reason] += 1
        kinds = by_reason.setdefault(r.reason, Counter())
        if r.kind is not None:
            kinds[r.kind] += 1
    return [{"reason": reason, "count": count, "kinds": dict(sorted(by_reason[reason].items(),
                                                                    key=lambda kv: (-kv[1], kv[0])))}
            for reason, count in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]


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
    refusals = release_checks(app.root, records, as_of)
    if not refusals:
        return
    summary = refusal_summary(refusals)
    if fmt == "json":
        click.echo(json.dumps({"release": "refused", "summary": summary, "reasons": [r.text for r in refusals]},
                              indent=2, ensure_ascii=False))
    # Counts first, so 177 lines of detail read as the few things to do; then every reason, one a line.
    click.echo(f"release refused for {len(refusals)} reason(s):", err=True)
    width = len(str(summary[0]["count"]))
    for group in summary:
        kinds = ", ".join(f"{kind} {n}" for kind, n in group["kinds"].items())
        click.echo(f"  {group['count']:>{width}}  {group['reason']}{f' ({kinds})' if kinds else ''}", err=True)
    for r in refusals:
        click.echo(f"release refused: {r.text}", err=True)
    click.echo(f"qms build --release: {len(refusals)} reason(s) to refuse; nothing written", err=True)
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
