"""`qms init DIR`: lay down a new quality repository with a small example that validates clean."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from ..atomic import write_bytes
from ..config import MARKER
from ..findings import QmsError


def _template_files() -> list[tuple[str, bytes]]:
    root = resources.files("generator") / "templates" / "init"
    out: list[tuple[str, bytes]] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            rel = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    walk(child, rel + "/")
            else:
                name = rel.replace("dot.gitignore", ".gitignore")
                out.append((name, child.read_bytes()))

    walk(root, "")
    return out


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a new quality repository in DIRECTORY (existing files are never overwritten)."""
    if (directory / MARKER).exists():
        raise QmsError(f"{directory} already holds a quality repository ({MARKER} exists)")
    if directory.exists() and not directory.is_dir():
        raise QmsError(f"{directory} exists and is not a folder")
    files = _template_files()
    clashes = [rel for rel, _ in files if (directory / rel).exists()]
    if clashes:
        raise QmsError(f"{directory} already has {clashes[0]}; nothing was written")
    for rel, data in files:
        write_bytes(directory / rel, data)
    click.echo(f"created a quality repository in {directory} ({len(files)} files); next: cd {directory} && qms validate")
    click.echo("signed approvals are required (qms.yaml signatures): put your name and git email on "
               "records/people/USR-001.yaml, `git init` and commit, then register your SSH key with "
               "`qms keys add ~/.ssh/id_ed25519.pub`")
