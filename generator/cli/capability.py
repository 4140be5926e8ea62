"""`qms capability FILE`: Cp, Cpk, Pp, Ppk of one measured column of a CSV or xlsx file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..analysis.capability import Capability
from ..analysis.capability import capability as compute_capability
from ..findings import QmsError
from .app import FORMAT


@click.command("capability")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--column", required=True, metavar="NAME", help="Header of the column holding the measurements.")
@click.option("--lsl", type=float, default=None, metavar="L", help="Lower specification limit.")
@click.option("--usl", type=float, default=None, metavar="U", help="Upper specification limit.")
@click.option("--subgroup-size", "subgroup_size", type=int, default=1, show_default=True, metavar="N",
              help="Consecutive values per rational subgroup; 1 = individuals (moving ranges).")
@click.option("--sheet", default=None, metavar="NAME", help="Sheet of an xlsx workbook (default: the first).")
@FORMAT
def capability(file: Path, column: str, lsl: float | None, usl: float | None, subgroup_size: int,
                       sheet: str | None, fmt: str) -> None:
    """Process capability of the values in column NAME of FILE (.csv or .xlsx), in production order.

    Cp, Cpk use sigma within: R-bar / d2(N) for subgroups of N, average moving range / d2(2) for
    individuals. Pp, Ppk use the overall sample standard deviation. Give --lsl, --usl or both; with one
    limit only Cpk and Ppk are computed. Exit 2 if the file or a cell cannot be read (the message names it).
    """
    if lsl is None and usl is None:
        raise QmsError("give a specification limit: --lsl, --usl or both")
    values = read_column(file, str(file), column, sheet)
    try:
        result = compute_capability(values, lsl, usl, subgroup_size)
    except ValueError as err:
        raise QmsError(f"{file}: {err}") from None
    if fmt == "json":
        out = {"file": str(file), "column": column, **result.as_json()}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        click.echo(_text(result, str(file), column))


def _text(r: Capability, file: str, column: str) -> str:
    def num(x: float | None, digits: int = 3) -> str:
        return "—" if x is None else f"{x:.{digits}f}"

    limits = " · ".join(f"{name} {value:g}" for name, value in (("LSL", r.lsl), ("USL", r.usl)) if value is not None)
    if r.subgroup_size == 1:
        within = (f"average moving range {r.average_range:.6g} over {r.subgroups} moving ranges "
                  f"/ d2(2) {r.d2:g}")
    else:
        within = (f"R-bar {r.average_range:.6g} over {r.subgroups} subgroups of {r.subgroup_size} "
                  f"/ d2({r.subgroup_size}) {r.d2:g}")
    lines = [
        f"Process capability of '{column}' in {file}",
        f"  {r.n} values · mean {r.mean:.8g} · {limits}",
        f"  sigma within   {r.sigma_within:.6g}  ({within})",
        f"  sigma overall  {r.stdev_overall:.6g}  (sample standard deviation, n - 1)",
        "",
        f"  Cp  {num(r.cp)}   Cpk {num(r.cpk)}   (sigma within: potential capability)",
        f"  Pp  {num(r.pp)}   Ppk {num(r.ppk)}   (sigma overall: performance)",
    ]
    if r.cp is None:
        lines.append("  Cp and Pp need both limits; Cpk and Ppk are from the one limit given.")
    outside = []
    if r.lsl is not None:
        outside.append(f"{r.below_lsl} below LSL")
    if r.usl is not None:
        outside.append(f"{r.above_usl} above USL")
    lines.append(f"  observed: {', '.join(outside)}")
    return "\n".join(lines)


def read_column(path: Path, name: str, column: str, sheet: str | None) -> list[float]:
    """The measurements of one column, each bad cell an error naming it (load.measurements)."""
    from ..load.measurements import read_measurements

    return read_measurements(path, name, sheet).numbers(column)
