"""`qms baseline`: release baselines as annotated git tags `baseline/NAME` sealing the dossier's manifest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from ..findings import QmsError
from .app import AS_OF, FORMAT, App


@click.group("baseline")
def baseline() -> None:
    """Release baselines: annotated git tags named baseline/NAME that record the dossier's manifest hash."""


@baseline.command("create")
@click.argument("name")
@AS_OF
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Dossier folder to build (or reuse) the baseline's dossier in (default: output/).")
@click.option("--sign", is_flag=True, help="Sign the tag (git tag -s, with your configured signing key).")
@FORMAT
@click.pass_obj
def create(app: App, name: str, as_of: dt.date | None, out: Path | None, sign: bool, fmt: str) -> None:
    """Tag HEAD as baseline NAME: the annotated tag baseline/NAME whose message records the commit and the
    SHA-256 of the dossier's manifest.json.

    The dossier is built from HEAD (`qms build`), or reused when the folder already holds a dossier of
    HEAD, as of the same date, by this generator version, that verifies unchanged. Refused (exit 2):
    uncommitted changes or untracked record files, a baseline NAME that exists (a baseline is never
    moved), a name git does not accept.
    """
    from .. import __version__
    from ..gitio import baseline as bl
    from ..gitio.log import require_history
    from ..lock import repository_lock
    from ..render.dossier import MANIFEST, sha256_of

    root = app.root
    # Held until the command ends: the clean-tree check, the dossier of HEAD and the tag agree.
    click.get_current_context().with_resource(repository_lock(root, f"qms baseline create {name}"))
    head = require_history(root)
    tag = bl.check_name(root, name)
    if bl.baseline_ref(root, name) is not None:
        raise QmsError(f"baseline {bl.short_name(name)} exists already (tag {tag}); a baseline is never moved: "
                       "choose a new name")
    reasons = bl.unclean(root)
    if reasons:
        raise QmsError(f"cannot baseline: {'; '.join(reasons)}")
    as_of = app.as_of(as_of)
    target = out if out is not None else root / "output"
    reused, refusals = _dossier(app, head, as_of, target)
    releasable = not refusals
    manifest_sha = sha256_of(target / MANIFEST)
    message = bl.tag_message(name, head, manifest_sha, as_of, f"qms-generator {__version__}", refusals)
    bl.create(root, name, head, message, sign=sign)
    doc: dict[str, Any] = {"name": bl.short_name(name), "tag": tag, "commit": head, "manifest_sha256": manifest_sha,
                           "as_of": as_of.isoformat(), "releasable": releasable, "refusals": refusals,
                           "dossier": str(target), "reused": reused}
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    how = "reused" if reused else "built"
    click.echo(f"created {tag} at {head[:12]}: manifest.json sha256 {manifest_sha} ({how} dossier {target}, "
               f"{'releasable' if releasable else f'NOT releasable: {len(refusals)} reason(s), listed in the tag'})")


def _dossier(app: App, head: str, as_of: dt.date, target: Path) -> tuple[bool, list[str]]:
    """(reused?, why `qms build --release` would refuse) for the dossier of HEAD in `target`, building it
    unless a verified one is there. The reasons are release_refusals' (the tree, the approvals and their
    signatures), then the dossier's own verdict (validation errors, a failed self-validation protocol)."""
    from .. import __version__
    from ..render.dossier import build_dossier, check_target, read_manifest, verify_dossier
    from .build import release_refusals

    loaded, records = app.load_readable()
    refusals = release_refusals(app.root, records, as_of)
    try:
        manifest = read_manifest(target)
        same = (manifest.get("repository") == {"commit": head, "dirty": False}
                and manifest.get("as_of") == as_of.isoformat()
                and manifest.get("generator", {}).get("version") == __version__)
        if same and verify_dossier(target).clean:
            return True, refusals + _not_releasable(manifest.get("releasable") is True, manifest)
    except QmsError:
        pass  # no dossier there, or not a usable one: build it
    check_target(target, app.root / "output")
    built = build_dossier(app.root, loaded, records, as_of, target)
    if built.commit != head or built.dirty:
        raise QmsError(f"the repository changed while the dossier was built (now {built.commit[:12]}"
                       f"{', uncommitted changes' if built.dirty else ''}); run the command again")
    return False, refusals + _not_releasable(built.releasable, {"validation": {"errors": built.errors},
                                                                "protocols": built.protocols,
                                                                "unapproved_documents": built.unapproved})


def _not_releasable(releasable: bool, manifest: dict[str, Any]) -> list[str]:
    """The dossier's own reasons, as `qms build` marks it NOT RELEASABLE ([] when releasable)."""
    if releasable:
        return []
    reasons = []
    errors = (manifest.get("validation") or {}).get("errors")
    if errors:
        reasons.append(f"findings.json: validation found {errors} error(s)")
    failed = sorted(p for p, result in (manifest.get("protocols") or {}).items() if result != "pass")
    if failed:
        reasons.append(f"self-validation protocol(s) {', '.join(failed)} did not pass")
    reasons += [str(r) for r in manifest.get("unapproved_documents") or ()]  # the release policy's documents
    return reasons or ["the dossier is marked not releasable (see its index)"]


@baseline.command("list")
@FORMAT
@click.pass_obj
def list_(app: App, fmt: str) -> None:
    """Every baseline, oldest first: name, commit, date and the manifest hash its tag records."""
    from ..gitio.baseline import baselines
    from ..gitio.log import require_history

    require_history(app.root)
    found = baselines(app.root)
    if fmt == "json":
        click.echo(json.dumps({"baselines": [b.as_json() for b in found]}, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no baselines (create one with `qms baseline create NAME`)")
        return
    for b in found:
        sha = b.manifest_sha256 or ("(lightweight tag: no manifest recorded)" if not b.annotated
                                    else "(no manifest hash in the tag message)")
        click.echo(f"{b.name}\t{b.commit[:12]}\t{b.date or '-'}\t{sha}")

