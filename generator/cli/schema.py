"""`qms schema --out DIR`: a JSON Schema per record kind, and the editor settings that use them;
`qms schema --markdown`: the record reference in plain words (docs/records.md)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..atomic import write_text
from ..findings import QmsError
from ..model import KINDS, Kind, reference
from .app import App, refuse_dossier_out


def kind_schema(kind: Kind) -> dict:
    models = kind.models
    if len(models) == 1:
        schema = models[0].model_json_schema()
    else:
        variants = [m.model_json_schema() for m in models]
        defs: dict = {}
        for v in variants:
            defs.update(v.pop("$defs", {}))
        schema = {"oneOf": variants}
        if defs:
            schema["$defs"] = defs
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"{kind.name} ({', '.join(kind.prefixes)})"
    schema["x-qms-lifecycle"] = list(kind.lifecycle)
    return schema


@click.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the schemas.")
@click.option("--markdown", is_flag=True,
              help="Print the record reference instead: every kind's fields, values, links and lifecycle in words "
                   "(docs/records.md is this output).")
@click.pass_obj
def schema(app: App, out: Path | None, markdown: bool) -> None:
    """Write a JSON Schema per record kind, plus a VS Code settings snippet (--out DIR); or print the record
    reference in plain words (--markdown)."""
    if markdown:
        if out is not None:
            raise QmsError("--markdown prints the reference (qms schema --markdown > docs/records.md); "
                           "--out is for the JSON Schemas")
        click.echo(reference.markdown(), nl=False)
        return
    if out is None:
        raise QmsError("name a folder for the JSON Schemas (--out DIR), or ask for the reference (--markdown)")
    refuse_dossier_out(app, out)
    out.mkdir(parents=True, exist_ok=True)
    mapping: dict[str, list[str]] = {}
    try:
        base = Path(os.path.relpath(out.resolve(), app.root)).as_posix()
    except Exception:  # noqa: BLE001 - outside a repository the schemas are still written
        base = out.resolve().as_posix()
    for kind in KINDS.values():
        name = f"{kind.name}.schema.json"
        write_text(out / name, json.dumps(kind_schema(kind), indent=2, ensure_ascii=False) + "\n")
        mapping[f"./{base}/{name}" if not base.startswith("/") else f"{base}/{name}"] = [
            f"**/{prefix}-*.yaml" for prefix in kind.prefixes
        ]
    settings = {"yaml.schemas": mapping}
    write_text(out / "vscode-settings.json", json.dumps(settings, indent=2) + "\n")
    click.echo(f"wrote {len(KINDS)} schemas and vscode-settings.json to {out}")
