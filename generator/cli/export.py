"""`qms export reqif`: hand requirements to a supplier or customer as ReqIF."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..atomic import write_bytes
from ..interchange.home import repository_key
from ..interchange.writer import IMPORTABLE
from .app import FORMAT, App, parse_kinds, refuse_dossier_out


@click.group("export")
def export() -> None:
    """Export records in an interchange format (ReqIF)."""


@export.command("reqif")
@click.option("--kinds", "kinds", multiple=True, metavar="KIND[,KIND...]",
              help=f"Record kinds to export, by ID prefix or name: REQ,VER (default: all of {', '.join(IMPORTABLE)}).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .reqif file to write.")
@FORMAT
@click.pass_obj
def reqif(app: App, kinds: tuple[str, ...], out: Path, fmt: str) -> None:
    """Write the records of --kinds as a ReqIF file, links as relations."""
    refuse_dossier_out(app, out)
    from ..interchange.reqif import export as to_reqif

    chosen = [k.name for k in parse_kinds(kinds, IMPORTABLE, f"cannot be exported as ReqIF (exportable: "
                                                               f"{', '.join(IMPORTABLE)})")] or list(IMPORTABLE)
    loaded, records = app.load_readable()
    config = loaded.config
    title = f"{config.device.name} — {', '.join(chosen)}" if config is not None else ", ".join(chosen)
    data, left_out = to_reqif([records.records[i] for i in sorted(records.records)], chosen, title,
                              repository_key(config))
    write_bytes(out, data)
    count = sum(1 for r in records.records.values() if r.KIND in chosen)
    if fmt == "json":
        click.echo(json.dumps({"out": str(out), "kinds": chosen, "records": count, "links_left_out": left_out},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"wrote {out}: {count} record(s) of {', '.join(chosen)}")
    for link in left_out:
        click.echo(f"  link left out (target not exported): {link}")
