"""`qms udi STRING`: the elements of a scanned or typed GS1 UDI, with check digits and dates checked."""

from __future__ import annotations

import json
import sys

import click

from ..analysis.udi import Udi, parse_udi
from .app import FORMAT

_FORMS = {"hri": "human-readable (AI) form", "raw": "scanned form", "digital_link": "GS1 Digital Link URI"}
_SYMBOLOGIES = {"]C1": "GS1-128", "]d2": "GS1 DataMatrix", "]Q3": "GS1 QR Code", "]e0": "GS1 DataBar"}


@click.command("udi")
@click.argument("string")
@FORMAT
def udi(string: str, fmt: str) -> None:
    """Parse a GS1 UDI: GTIN (check digit verified), expiry, lot, serial and any other AI.

    STRING may carry parentheses "(01)…(17)…", or be the scanner's raw data with a symbology identifier
    (]C1, ]d2, ]Q3, ]e0) and FNC1 separators as the GS character, "<GS>" or "␝"; or a GS1 Digital
    Link URI. Quote it for the shell. "-" reads it from standard input. A wrong check digit, an unknown
    Application Identifier or malformed data is an error (exit 2) that names the AI and the character.
    """
    if string == "-":
        string = sys.stdin.read()
    parsed = parse_udi(string)
    if fmt == "json":
        click.echo(json.dumps(parsed.as_json(), indent=2, ensure_ascii=False))
        return
    _text(parsed)


def _text(parsed: Udi) -> None:
    how = _FORMS[parsed.form]
    if parsed.symbology:
        how += f", {_SYMBOLOGIES.get(parsed.symbology, parsed.symbology)} ({parsed.symbology})"
    click.echo(f"GS1 element string: {len(parsed.elements)} element(s), {how}")
    width = max(len(e.title) for e in parsed.elements)
    vwidth = max(len(e.value) for e in parsed.elements)
    for e in parsed.elements:
        note = ""
        if e.date is not None:
            note = f"= {e.date.isoformat()}"
        elif e.check_digit:
            note = f"check digit {e.value[-1]} correct"
        line = f"({e.ai})".ljust(7) + e.title.ljust(width + 2) + e.value.ljust(vwidth + 2) + note
        click.echo(line.rstrip())
