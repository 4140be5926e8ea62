"""`qms export reqif`: hand requirements to a supplier or customer as ReqIF."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..findings import QmsError
from ..interchange.writer import IMPORTABLE
from ..atomic import write_bytes
from .app import FORMAT, App, refuse_dossier_out


@click.group("export")
def export() -> None:
    """Export records in an interchange format (ReqIF)."""


def _kinds(given: tuple[str, ...]) -> list[str]:
    kinds: list[str] = []
    for part in ",".join(given).split(","):
        part = part.strip()
        if not part:
            continue
        if part not in IMPORTABLE:
            raise QmsError(f"--kinds {part}: not an exportable kind ({', '.join(IMPORTABLE)})")
        if part not in kinds:
            kinds.append(part)
    return kinds or list(IMPORTABLE)


@export.command("reqif")
@click.option("--kinds", "kinds", multiple=True, metavar="KIND[,KIND...]",
              help=f"Record kinds to export (default: all of {', '.join(IMPORTABLE)}).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .reqif file to write.")
@FORMAT
@click.pass_obj
def reqif(app: App, kinds: tuple[str, ...], out: Path, fmt: str) -> None:
    """Write the records of --kinds as a ReqIF file, links as relations."""
    refuse_dossier_out(app, out)
    from ..interchange.reqif import export as to_reqif

    chosen = _kinds(kinds)
    loaded, records = app.load_readable()
    config = loaded.config
    title = f"{config.device.name} — {', '.join(chosen)}" if config is not None else ", ".join(chosen)
    data, left_out = to_reqif([records.records[i] for i in sorted(records.records)], chosen, title)
    write_bytes(out, data)
    count = sum(1 for r in records.records.values() if r.KIND in chosen)
    if fmt == "json":
        click.echo(json.dumps({"out": str(out), "kinds": chosen, "records": count, "links_left_out": left_out},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"wrote {out}: {count} record(s) of {', '.join(chosen)}")
    for link in left_out:
        click.echo(f"  link left out (target not exported): {link}")
