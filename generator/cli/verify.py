"""`qms verify [DIR]`: re-hash a dossier against its manifest.json.

Exit 0 every listed file is present with its hash; 1 files were added, changed or are missing;
2 no readable manifest (missing, not JSON, or not a manifest).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .app import FORMAT, App


@click.command("verify")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@FORMAT
@click.pass_obj
def verify(app: App, folder: Path | None, fmt: str) -> None:
    """Check a dossier (default: output/ in the repository) against its manifest: files added, changed
    or missing."""
    from ..render.dossier import verify_dossier

    folder = folder if folder is not None else app.root / "output"
    result = verify_dossier(folder)
    if fmt == "json":
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        for label, paths in (("changed", result.changed), ("missing", result.missing), ("added", result.added)):
            for rel in paths:
                click.echo(f"{label}: {rel}")
        if result.clean:
            click.echo(f"{folder}: all {result.checked} file(s) match the manifest")
        else:
            click.echo(f"{folder}: {len(result.changed)} changed, {len(result.missing)} missing, "
                       f"{len(result.added)} added: the dossier does not match its manifest")
    raise SystemExit(0 if result.clean else 1)
