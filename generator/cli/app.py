"""State shared by commands: where the repository is, and loading it once."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path

import click

from ..config import MARKER, find_root
from ..findings import QmsError


class App:
    def __init__(self, repo: str | None):
        self._repo = repo

    @cached_property
    def root(self) -> Path:
        if self._repo is None:
            return find_root(Path.cwd())
        root = Path(self._repo).resolve()
        if not (root / MARKER).is_file():
            raise QmsError(f"{root} is not a quality repository: it has no {MARKER}")
        return root


    def as_of(self, given: dt.date | None) -> dt.date:
        """The date to check as of: --as-of, else the repository's own `as_of` setting, else today."""
        if given is not None:
            return given
        from ..load.repo import load_config

        config, _ = load_config(self.root)  # an invalid qms.yaml is reported by the command's own load
        return (config.as_of if config is not None else None) or dt.date.today()


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


AS_OF = click.option("--as-of", "as_of", type=IsoDate(), default=None,
                     help="Check as of this date (default: qms.yaml's as_of, else today).")
FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
                      help="Output format.")
