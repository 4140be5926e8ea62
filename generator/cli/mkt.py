"""`qms mkt LOGFILE`: mean kinetic temperature, min, max, mean and excursions of a logger export."""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from ..analysis.coldchain import DEFAULT_ACTIVATION_ENERGY, GAS_CONSTANT, ColdChainResult, analyse
from ..load.loggers import read_export
from .app import FORMAT


class TemperatureRange(click.ParamType):
    """LOW:HIGH in °C; either side may be left empty for a one-sided limit (":25", "2:")."""

    name = "LOW:HIGH"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None
                ) -> tuple[float | None, float | None]:
        if isinstance(value, tuple):
            return value
        text = str(value).strip().replace("\u2212", "-")
        low_text, sep, high_text = text.partition(":")
        if not sep:
            self.fail(f"{value!r} is not LOW:HIGH, e.g. 2:8 or 15:25", param, ctx)
        try:
            low = float(low_text) if low_text.strip() else None
            high = float(high_text) if high_text.strip() else None
        except ValueError:
            self.fail(f"{value!r} is not LOW:HIGH in °C, e.g. 2:8 or -20:50", param, ctx)
        if low is None and high is None:
            self.fail("give at least one limit, e.g. 2:8, :25 or 15:", param, ctx)
        if any(x is not None and not math.isfinite(x) for x in (low, high)):
            self.fail(f"{value!r}: limits must be numbers", param, ctx)
        if low is not None and high is not None and low >= high:
            self.fail(f"{value!r}: LOW must be below HIGH", param, ctx)
        return low, high


@click.command("mkt")
@click.argument("logfile", type=click.Path(path_type=Path))
@click.option("--range", "limits", type=TemperatureRange(), default=None,
              help="Storage range in °C, e.g. 2:8; readings outside it are excursions (limits are inside).")
@click.option("--time-col", "time_col", metavar="NAME", default=None,
              help="Header of the timestamp column (default: found by name: time, timestamp, date ...).")
@click.option("--temp-col", "temp_col", metavar="NAME", default=None,
              help="Header of the °C column (default: found by name: temp, temperature, °C ...).")
@click.option("--activation-energy", "energy", metavar="KJ", default=DEFAULT_ACTIVATION_ENERGY, show_default=True,
              type=click.FloatRange(min=0, min_open=True), help="ΔH in kJ/mol.")
@FORMAT
def mkt(logfile: Path, limits: tuple[float | None, float | None] | None, time_col: str | None,
        temp_col: str | None, energy: float, fmt: str) -> None:
    """Mean kinetic temperature (USP <1079>) and excursions of a temperature-logger export (CSV or xlsx).

    Readings at equal intervals give USP's MKT exactly; unequal intervals are time-weighted (each reading
    stands for the time until the next). With --range, a run of readings outside it is an excursion lasting
    until the next reading, so one reading out counts one logging interval. Exit 1 if there are excursions,
    2 if the file cannot be read (the message names the line or cell).
    """
    low, high = limits if limits else (None, None)
    export = read_export(logfile, str(logfile), time_col, temp_col)
    result = analyse(export, low, high, energy)
    if fmt == "json":
        out = result.as_json()
        out["time_column"] = export.time_column
        out["temperature_column"] = export.temperature_column
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        _text(result, export.time_column, export.temperature_column)
    raise SystemExit(1 if result.excursions else 0)


def _t(value: float) -> str:
    return f"{value:.2f} °C"


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:.2f} h" if hours < 100 else f"{hours:.1f} h"


def _text(r: ColdChainResult, time_column: str, temperature_column: str) -> None:
    minutes = r.interval.total_seconds() / 60
    every = f"every {minutes:g} min" if r.readings > 1 else "a single reading"
    click.echo(f"{r.file}: {r.readings} readings ('{time_column}', '{temperature_column}'), "
               f"{r.first.isoformat(sep=' ')} to {r.last.isoformat(sep=' ')}, {every}")
    weighting = "equal intervals" if r.weighting == "equal" else "time-weighted: intervals differ"
    click.echo(f"  MKT   {_t(r.mkt_c)}   (ΔH {r.activation_energy_kj_mol:g} kJ/mol, "
               f"R {GAS_CONSTANT * 1000:g} J/(mol·K), {weighting})")
    click.echo(f"  min   {_t(r.min)}   max {_t(r.max)}   mean {_t(r.mean)}")
    if r.low is not None or r.high is not None:
        if r.low is not None and r.high is not None:
            limits = f"{r.low:g} to {r.high:g} °C"
        elif r.low is not None:
            limits = f"at least {r.low:g} °C"
        else:
            limits = f"at most {r.high:g} °C"
        count = len(r.excursions)
        click.echo(f"  range {limits}: {count} excursion{'s' if count != 1 else ''}, "
                   f"{_hours(r.time_out_of_range.total_seconds())} out of range")
        for e in r.excursions:
            click.echo(f"    {e.kind:<4}  {e.start.isoformat(sep=' ')} to {e.end.isoformat(sep=' ')}  "
                       f"{_hours(e.duration.total_seconds())}  peak {e.peak:g} °C  "
                       f"({e.readings} reading{'s' if e.readings != 1 else ''} from {e.location})")
    for g in r.gaps:
        click.echo(f"  gap   {g.start.isoformat(sep=' ')} to {g.end.isoformat(sep=' ')}  "
                   f"{_hours((g.end - g.start).total_seconds())} without a reading (before {g.location})")
