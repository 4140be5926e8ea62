"""`qms verify [DIR]`: re-hash a dossier against its manifest.json.

Exit 0 every listed file is present with its hash; 1 files were added, changed or are missing;
2 no readable manifest (missing, not JSON, or not a manifest).

With --baseline NAME the manifest itself is checked first against the SHA-256 the annotated tag
baseline/NAME recorded when the baseline was taken: a manifest edited to match edited files then no
longer passes (exit 1). A baseline that does not exist, or records no manifest hash, is exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from .app import FORMAT, App


@click.command("verify")
@click.argument("folder", required=False, type=click.Path(path_type=Path))
@click.option("--baseline", "baseline", metavar="NAME", default=None,
              help="Also check manifest.json against the SHA-256 recorded in the tag baseline/NAME.")
@FORMAT
@click.pass_obj
def verify(app: App, folder: Path | None, baseline: str | None, fmt: str) -> None:
    """Check a dossier (default: output/ in the repository) against its manifest: files added, changed
    or missing; with --baseline, the manifest against the hash the baseline's tag recorded."""
    from ..gitio.baseline import find
    from ..render.dossier import MANIFEST, sha256_of, verify_dossier

    folder = folder if folder is not None else app.root / "output"
    tagged = find(app.root, baseline) if baseline is not None else None
    result = verify_dossier(folder)
    sealed: dict[str, object] | None = None
    if tagged is not None:
        actual = sha256_of(folder / MANIFEST)
        sealed = {"name": tagged.name, "tag": tagged.tag, "commit": tagged.commit,
                  "manifest_sha256": tagged.manifest_sha256, "actual_sha256": actual,
                  "matches": actual == tagged.manifest_sha256}
    clean = result.clean and (sealed is None or bool(sealed["matches"]))
    if fmt == "json":
        doc = result.as_json()
        if sealed is not None:
            doc["baseline"] = sealed
            doc["clean"] = clean
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        raise SystemExit(0 if clean else 1)
    if sealed is not None:
        if sealed["matches"]:
            click.echo(f"{MANIFEST}: matches baseline {sealed['name']} ({sealed['tag']}, "
                       f"sha256 {sealed['actual_sha256']})")
        else:
            click.echo(f"{MANIFEST}: differs from baseline {sealed['name']}: sha256 {sealed['actual_sha256']}, "
                       f"the tag {sealed['tag']} recorded {sealed['manifest_sha256']}")
    for label, paths in (("changed", result.changed), ("missing", result.missing), ("added", result.added)):
        for rel in paths:
            click.echo(f"{label}: {rel}")
    if result.clean:
        click.echo(f"{folder}: all {result.checked} file(s) match the manifest")
    else:
        click.echo(f"{folder}: {len(result.changed)} changed, {len(result.missing)} missing, "
                   f"{len(result.added)} added: the dossier does not match its manifest")
    if sealed is not None and not sealed["matches"]:
        click.echo(f"{folder}: the manifest is not the one baseline {sealed['name']} recorded")
    raise SystemExit(0 if clean else 1)
