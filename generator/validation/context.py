"""What a running scenario sees, and how a step records what it checked.

Steps call `ctx.check(what, actual, expected, ok)`: the observation is kept for the executed
protocol (actual against expected, per step), and a failed check stops the step with that text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..findings import QmsError
from ..load.measurements import MeasurementTable, read_measurements
from ..model.validation import Protocol
from ..paths import inside
from ..recordset import RecordSet

if TYPE_CHECKING:
    from ..model.raw import JsonObject


class StepFailed(AssertionError):
    """A check of the step library did not hold; the message says actual against expected."""


@dataclass
class Observation:
    check: str
    actual: Any
    expected: Any
    ok: bool

    def as_json(self) -> JsonObject:
        return {"check": self.check, "actual": _plain(self.actual), "expected": _plain(self.expected), "ok": self.ok}


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 10)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, Path)):
        return str(value)
    return value


@dataclass
class CommandResult:
    args: tuple[str, ...]
    exit_code: int
    output: str


@dataclass
class RunContext:
    root: Path
    records: RecordSet
    date: dt.date
    protocol: Protocol
    # Files read by steps (repository-relative path -> SHA-256), recorded as evidence.
    files_read: dict[str, str] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)  # of the step running now
    table: MeasurementTable | None = None
    grouped: dict[str, MeasurementTable] | None = None
    command: CommandResult | None = None
    scratch: dict[str, Any] = field(default_factory=dict)  # for user-written steps

    # -- evidence
    def check(self, what: str, actual: object, expected: object, ok: bool) -> None:
        self.observations.append(Observation(what, actual, expected, bool(ok)))
        if not ok:
            raise StepFailed(f"{what}: expected {_shown(expected)}, actual {_shown(actual)}")

    def take_observations(self) -> list[Observation]:
        taken, self.observations = self.observations, []
        return taken

    # -- files
    def path(self, rel: str) -> Path:
        return inside(self.root, rel)  # UnsafePath (a QmsError) when it leads outside the repository

    def hash_file(self, rel: str) -> str:
        path = self.path(rel)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as err:
            raise QmsError(f"{rel}: cannot read: {err.strerror or err}") from None
        self.files_read[Path(rel).as_posix()] = digest
        return digest

    def open_table(self, rel: str, sheet: str | None = None) -> MeasurementTable:
        table = read_measurements(self.path(rel), Path(rel).as_posix(), sheet)
        self.files_read[table.file] = table.sha256
        self.table, self.grouped = table, None
        self.scratch.pop("unfiltered", None)  # a selection starts again from the newly opened sheet
        return table

    def current_table(self) -> MeasurementTable:
        if self.table is None:
            raise StepFailed("no measurement file is open: start with 'Given the measurement file \"...\" sheet \"...\"'")
        return self.table


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
