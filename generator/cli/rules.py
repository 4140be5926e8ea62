"""`qms rules`: every finding code with its severity, clause and rationale."""

from __future__ import annotations

import json
import textwrap

import click

from ..rules import RULES
from .app import FORMAT


@click.command("rules")
@FORMAT
def rules(fmt: str) -> None:
    """List the rules: code, severity, title, clause and rationale."""
    ordered = [RULES[code] for code in sorted(RULES)]
    if fmt == "json":
        click.echo(json.dumps([r.as_json() for r in ordered], indent=2, ensure_ascii=False))
        return
    for r in ordered:
        click.echo(f"{r.code}  {r.severity:<7}  {r.title}  [{r.area}; {r.clause}]")
        click.echo(textwrap.fill(r.rationale, width=96, initial_indent="    ", subsequent_indent="    "))
