"""`qms numbers`: the document-number register (document-numbers.yaml, see render.numbers).

`qms numbers assign` appends a number for every document the dossier makes that the register lacks: the
provisional number `qms build` showed for it, so nothing a reviewer saw changes. It takes the repository
lock and writes the register atomically; it never changes or removes an entry. Exit 0 (with or without
new entries), 2 when the register has errors or the repository cannot be read.
"""

from __future__ import annotations

import json

import click

from .app import FORMAT, App


@click.group("numbers")
def numbers() -> None:
    """The document-number register: every generated document's number, assigned once."""


@numbers.command("assign")
@FORMAT
@click.pass_obj
def assign(app: App, fmt: str) -> None:
    """Register a number for every document the dossier makes that has none yet (append-only)."""
    from ..findings import QmsError
    from ..render.dossier_sections import document_keys
    from ..render.numbers import REGISTER
    from ..render.numbers import assign as append

    _loaded, records = app.load_readable()
    if records.config is None:
        raise QmsError("qms.yaml is missing or invalid: document numbers need its company and numbering settings")
    added = append(app.root, records.config, document_keys(records))
    if fmt == "json":
        click.echo(json.dumps({"register": REGISTER, "assigned": added}, indent=2, ensure_ascii=False))
        return
    for key, number in added.items():
        click.echo(f"{key}: {number}")
    click.echo(f"{REGISTER}: {len(added)} number(s) assigned" + ("; commit the register" if added else
                                                                ": every document already has its number"))
