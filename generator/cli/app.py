"""State shared by commands: where the repository is, and loading it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..datewindow import DATE_MAX, DATE_MIN
from ..findings import QmsError
from ..repo_root import MARKER, find_root

if TYPE_CHECKING:
    from click.decorators import FC

    from ..load.repo import Loaded
    from ..model import Kind
    from ..recordset import RecordSet


# Set by `main()`, whose process ends with os._exit once the command has printed: what a command hands to
# `keep_until_exit` is then never freed object by object (at 100,000 records, half a second of a warm
# `qms validate`). In-process callers (tests, `run()`) leave it off, and everything is freed as usual.
EXITS_AFTER_COMMAND = False
_KEPT: list[object] = []


def keep_until_exit(*held: object) -> None:
    """Hold a command's large structures (records, their index) until the process ends, when it is about to."""
    if EXITS_AFTER_COMMAND:
        _KEPT.extend(held)


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


    def load_readable(self) -> tuple[Loaded, RecordSet]:
        """The repository and its RecordSet, for a command that computes on it; a file that cannot be
        read at all stops the command (exit 2) rather than silently leaving records out."""
        from ..load.repo import load_repository
        from ..recordset import RecordSet
        from ..rules import RULES

        loaded = load_repository(self.root)
        unreadable = [f for f in loaded.findings if f.code in RULES and RULES[f.code].unreadable]
        if unreadable:
            raise QmsError(f"{len(unreadable)} file(s) cannot be read, first {unreadable[0].location}: "
                           f"{unreadable[0].message}; run `qms validate`")
        return loaded, RecordSet(loaded.records, loaded.config, loaded.unvalidated)


class IsoDate(click.ParamType):
    name = "DATE"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)
        if not DATE_MIN <= day <= DATE_MAX:  # the window records' dates lie in: date arithmetic cannot overflow
            self.fail(f"{value} lies outside the dates records may hold ({DATE_MIN} to {DATE_MAX})", param, ctx)
        return day


AS_OF = click.option("--as-of", "as_of", type=IsoDate(), default=None,
                     help="Check as of this date (default: qms.yaml's as_of, else today).")
def format_option(*more: str, help: str = "Output format.") -> Callable[[FC], FC]:
    """`--format`: text or json everywhere, and `more` where a command has them (sarif, junit)."""
    return click.option("--format", "fmt", type=click.Choice(["text", "json", *more]), default="text",
                        show_default=True, help=help)


FORMAT = format_option()


def refuse_dossier_out(app: App, out: Path | None) -> None:
    """Refuse (exit 2, before anything is read or written) an --out inside a dossier folder: the
    repository's output/ or any folder whose manifest carries the dossier marker. Only `qms build`
    writes there; anything else would fail `qms verify` and be lost with the next build."""
    if out is not None:
        from ..render.dossier import outside_dossier

        try:
            root = app.root
        except QmsError:  # outside a repository (qms schema): only marked dossiers to look for
            root = None
        outside_dossier(out, root)


def parse_kinds(given: str | Iterable[str] | None, allowed: Iterable[str], refused: str,
                option: str = "--kinds") -> list[Kind]:
    """The kinds a `--kinds` option names, in the order given, for every command that has one: ID prefixes
    (REQ), kind names (requirement) or sheet names (Requirements), comma-separated, the option repeatable.
    None named gives []: each command has its own default. A kind outside `allowed` is refused with the
    reason `refused` ("cannot be exported as ReqIF ..."). `option` is what the user typed (`--kind`, KIND), so the
    message points at it."""
    from ..model import BY_PREFIX, KINDS, kind_of_sheet

    allowed = tuple(allowed)
    parts = given.split(",") if isinstance(given, str) else ",".join(given or ()).split(",")
    out: list[Kind] = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        kind = BY_PREFIX.get(part.upper()) or KINDS.get(part) or kind_of_sheet(part)
        if kind is None:
            raise QmsError(f"{option}: '{part}' is not a record kind (use ID prefixes such as REQ,HAZ or kind "
                           "names such as requirement)")
        if kind.name not in allowed:
            raise QmsError(f"{option}: {kind.name} records {refused}")
        if kind not in out:
            out.append(kind)
    return out
