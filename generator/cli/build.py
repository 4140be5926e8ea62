"""`qms build`: the whole dossier from one load of the repository (issue #6).

Exit codes: 0 the dossier is written and validation found no errors; 1 the dossier is written but
validation found errors, so the manifest and index mark it "not releasable"; 2 bad usage, an unreadable
repository or a failed render (the previous dossier is then left exactly as it was).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click

from .app import AS_OF, FORMAT, App


def show_progress(fmt: str) -> bool:
    """A progress bar only for a person at a terminal: not with --format json, not in CI, not when piped."""
    return fmt == "text" and not os.environ.get("CI") and sys.stderr.isatty()


@contextmanager
def progress(enabled: bool, total: int) -> Iterator[Callable[[str], None]]:
    if not enabled:
        yield lambda _label: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.console import Console

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


@click.command("build")
@AS_OF
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier folder (default: output/ in the repository). Replaced only once the new dossier "
                   "is complete.")
@FORMAT
@click.option("--pdf", is_flag=True,
              help="Also convert every Word file to PDF with LibreOffice (soffice); without it installed the "
                   "build says so and goes on.")
@click.pass_obj
def build(app: App, as_of: dt.date | None, out: Path | None, fmt: str, pdf: bool) -> None:
    """Build the dossier: validation findings, trace matrix, risk register and heat maps, CAPA reports,
    KPIs, supplier scorecard, an index.html and a manifest.json with the SHA-256 of every file.

    Exit 0 releasable, 1 written but validation has errors (marked "not releasable"), 2 nothing replaced.
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
        built = build_dossier(app.root, loaded, records, as_of, target, pdf=pdf, step=step)
    seconds = time.perf_counter() - started
    if fmt == "json":
        doc = built.as_json()
        doc["out"] = str(target)
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for note in built.notes:
            click.echo(f"note: {note}", err=True)
        verdict = "releasable" if built.releasable else "NOT RELEASABLE (see findings.json)"
        dirty = " (uncommitted changes)" if built.dirty else ""
        click.echo(f"wrote the dossier {target}: {len(built.files)} files + manifest.json, {built.errors} error(s), "
                   f"{built.warnings} warning(s), {built.waived} waived; commit {built.commit[:12]}{dirty}; "
                   f"{verdict} ({seconds:.1f} s)")
    raise SystemExit(0 if built.releasable else 1)
