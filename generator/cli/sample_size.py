"""`qms sample-size`: how many units a success-run PQ needs (with K failures allowed, the binomial extension)."""

from __future__ import annotations

import json

import click

from ..analysis.sample_size import success_run
from ..findings import QmsError
from .app import FORMAT


@click.command("sample-size")
@click.option("--confidence", "-c", required=True, type=float, metavar="C",
              help="Confidence level as a fraction, e.g. 0.95.")
@click.option("--reliability", "-r", required=True, type=float, metavar="R",
              help="Reliability to demonstrate as a fraction, e.g. 0.99.")
@click.option("--failures", "-k", default=0, show_default=True, type=int, metavar="K",
              help="Failures allowed in the test (0 = success run).")
@FORMAT
def sample_size(confidence: float, reliability: float, failures: int, fmt: str) -> None:
    """Units to test so that at most K failures demonstrate reliability R with confidence C.

    K = 0 is the success-run formula n = ceil(ln(1 - C) / ln R); K > 0 is the smallest n with
    sum over i <= K of C(n, i) (1 - R)^i R^(n - i) <= 1 - C (the cumulative binomial).
    """
    try:
        n = success_run(confidence, reliability, failures)
    except ValueError as err:
        raise QmsError(str(err)) from None
    method = "success run" if failures == 0 else "binomial (success run with failures allowed)"
    if fmt == "json":
        click.echo(json.dumps({"n": n, "confidence": confidence, "reliability": reliability,
                               "failures": failures, "method": method}, indent=2, ensure_ascii=False))
        return
    formula = ("n = ceil(ln(1 - C) / ln R)" if failures == 0
               else f"smallest n with sum(i=0..{failures}) C(n,i) (1-R)^i R^(n-i) <= 1 - C")
    allowed = "no failure" if failures == 0 else f"at most {failures} failure{'s' if failures != 1 else ''}"
    click.echo(f"Sample size, {method}")
    click.echo(f"  confidence C {confidence:g} · reliability R {reliability:g} · failures allowed K {failures}")
    click.echo(f"  {formula}")
    click.echo("")
    click.echo(f"  TEST  {n:,} units; {allowed} among them demonstrates reliability {reliability:g} "
               f"with {confidence:g} confidence")
