"""Run a protocol's scenarios in-process with pytest-bdd, and collect what each step did.

Each protocol step names a scenario (by name) or several (by tag); a scenario outline runs once per
example. The runner writes a throw-away test module that binds those scenarios, then calls
`pytest.main` on it with plugin autoloading off (only pytest-bdd, the step library, the users'
steps in `features/steps/` and the collector below take part), so a run does not depend on what
else is installed. The pytest-bdd hooks report every step: passed, failed with its exception,
undefined (no step definition matches) or not run after an earlier failure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import itertools
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ..findings import QmsError
from ..load.features import FeatureFile, ProtocolFiles
from ..model.validation import Protocol
from ..recordset import RecordSet
from .context import RunContext

if TYPE_CHECKING:
    from ..model.raw import JsonObject

USER_STEPS = "features/steps"
_RUNS = itertools.count(1)

Clock = Callable[[], "str | None"]


def wall_clock() -> str:
    """Now, in UTC, to the millisecond: the time of each step of an executed protocol."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def no_clock() -> str | None:
    """No times: used by `qms build`, whose dossier must be byte-identical from the same inputs."""
    return None


@dataclass
class StepResult:
    keyword: str
    text: str
    line: int
    status: str = "not run"  # passed | failed | undefined | not run
    started: str | None = None
    finished: str | None = None
    observations: list[Any] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> JsonObject:
        return {"keyword": self.keyword, "text": self.text, "line": self.line, "status": self.status,
                "started": self.started, "finished": self.finished, "error": self.error,
                "checks": [o.as_json() for o in self.observations]}


@dataclass
class ScenarioResult:
    protocol_step: str
    feature: str
    scenario: str
    line: int
    example: dict[str, str]
    status: str = "not run"  # passed | failed | error | not run
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> JsonObject:
        return {"protocol_step": self.protocol_step, "feature": self.feature, "scenario": self.scenario,
                "line": self.line, "example": self.example, "status": self.status, "error": self.error,
                "steps": [s.as_json() for s in self.steps]}


@dataclass(frozen=True)
class Planned:
    protocol_step: str
    feature: FeatureFile
    scenario: str


def plan_run(protocol: Protocol, files: ProtocolFiles | None) -> list[Planned]:
    """The scenarios each step names, in protocol order; a step naming nothing runnable is an error."""
    planned: list[Planned] = []
    for step in protocol.steps:
        feature = (files.features if files else {}).get(step.feature)
        if feature is None:
            raise QmsError(f"{protocol.id} step {step.id}: feature file '{step.feature}' cannot be read "
                           "(run `qms validate`)")
        if step.scenario is not None:
            if feature.named(step.scenario) is None:
                raise QmsError(f"{protocol.id} step {step.id}: {step.feature} has no scenario '{step.scenario}'")
            names = [step.scenario]
        elif step.tag is not None:
            names = [s.name for s in feature.tagged(step.tag)]
            if not names:
                raise QmsError(f"{protocol.id} step {step.id}: no scenario of {step.feature} is tagged @{step.tag}")
        else:
            raise QmsError(f"{protocol.id} step {step.id} names neither a scenario nor a tag")
        planned += [Planned(step.id, feature, name) for name in names]
    return planned


class _Collector:
    """A pytest plugin: provides the `qms` fixture and records every scenario and step."""

    def __init__(self, ctx: RunContext, planned: list[Planned], clock: Clock):
        self.ctx = ctx
        self.planned = planned
        self.clock = clock
        self.results: list[ScenarioResult] = []
        self._current: ScenarioResult | None = None
        self._step: StepResult | None = None

    @pytest.fixture(name="qms")
    def qms_fixture(self) -> RunContext:
        """The fixture every library step takes."""
        return self.ctx

    def pytest_bdd_before_scenario(self, request: Any, feature: Any, scenario: Any) -> None:
        index = int(request.node.originalname.rsplit("_", 1)[1])
        plan = self.planned[index]
        ctx = self.ctx
        ctx.table = ctx.grouped = ctx.command = None
        ctx.scratch = {}
        ctx.take_observations()
        example = _example(request) if hasattr(request.node, "callspec") else {}
        self._current = ScenarioResult(plan.protocol_step, plan.feature.path, scenario.name, scenario.line_number,
                                       example, steps=[StepResult(s.keyword, s.name, s.line_number)
                                                       for s in scenario.steps])
        self.results.append(self._current)

    def _find(self, step: Any) -> StepResult:
        assert self._current is not None
        for result in self._current.steps:
            if result.line == step.line_number and result.status == "not run":
                return result
        result = StepResult(step.keyword, step.name, step.line_number)
        self._current.steps.append(result)
        return result

    def pytest_bdd_before_step(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any) -> None:
        self._step = self._find(step)
        self._step.started = self.clock()
        self.ctx.take_observations()

    def pytest_bdd_after_step(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any) -> None:
        if self._step is not None:
            self._step.finished = self.clock()
            self._step.status = "passed"
            self._step.observations = self.ctx.take_observations()

    def pytest_bdd_step_error(self, request: Any, feature: Any, scenario: Any, step: Any, step_func: Any,
                              step_func_args: Any, exception: BaseException) -> None:
        if self._step is not None:
            self._step.finished = self.clock()
            self._step.status = "failed"
            self._step.observations = self.ctx.take_observations()
            self._step.error = _reason(exception)

    def pytest_bdd_step_func_lookup_error(self, request: Any, feature: Any, scenario: Any, step: Any,
                                          exception: BaseException) -> None:
        result = self._find(step)
        result.status = "undefined"
        result.error = (f"no step definition matches '{step.keyword} {step.name}' "
                        f"(see the step library: qms protocol steps; or add one in {USER_STEPS}/)")

    def pytest_runtest_logreport(self, report: Any) -> None:
        current = self._current
        if current is None or report.when not in ("setup", "call"):
            return
        if report.failed:
            current.status = "failed" if any(s.status in ("failed", "undefined") for s in current.steps) else "error"
            if current.status == "error" and current.error is None:
                current.error = _report_text(report)
        elif report.when == "call" and report.passed and current.status == "not run":
            current.status = "passed"


def _example(request: Any) -> dict[str, str]:
    params = request.node.callspec.params
    ex = params.get("_pytest_bdd_example")
    return {str(k): str(v) for k, v in (ex or {}).items()}


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, AssertionError) or isinstance(exc, QmsError):
        return text
    return f"{type(exc).__name__}: {text}"


def _report_text(report: Any) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    return crash.message if crash is not None else str(report.longrepr).strip().splitlines()[-1]


def _test_module(planned: list[Planned], root: Path) -> str:
    lines = ["from pytest_bdd import scenario", ""]
    for i, plan in enumerate(planned):
        path = (root / plan.feature.path).resolve()
        lines += [f"@scenario({str(path)!r}, {plan.scenario!r})", f"def test_scenario_{i}():", "    pass", ""]
    return "\n".join(lines)


def _user_step_modules(root: Path) -> list[Any]:
    folder = root / USER_STEPS
    modules = []
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
        name = f"qms_user_steps_{path.stem}_{abs(hash(str(path))):x}"
        if name in sys.modules:
            modules.append(sys.modules[name])
            continue
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as err:  # a user's step file that does not import is the user's error, not a crash
            raise QmsError(f"{path.relative_to(root)}: cannot import the step definitions: "
                           f"{type(err).__name__}: {err}") from None
        sys.modules[name] = module
        modules.append(module)
    return modules


@dataclass
class Run:
    results: list[ScenarioResult]
    files_read: dict[str, str]
    duration_s: float

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.status == "passed" for r in self.results)


def execute(root: Path, records: RecordSet, protocol: Protocol, files: ProtocolFiles | None, date: dt.date,
            clock: Clock = wall_clock) -> Run:
    """Run every scenario the protocol's steps name; never raises for a failing step."""
    from . import steps as library

    planned = plan_run(protocol, files)
    ctx = RunContext(root, records, date, protocol)
    collector = _Collector(ctx, planned, clock)
    user_modules = _user_step_modules(root)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="qms-protocol-") as tmp:
        module = Path(tmp) / f"test_{protocol.id.replace('-', '_').lower()}_{next(_RUNS)}.py"
        module.write_text(_test_module(planned, root), encoding="utf-8")
        (Path(tmp) / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
        args = [str(module), "-c", str(Path(tmp) / "pytest.ini"), "--rootdir", tmp, "-p", "pytest_bdd.plugin",
                "-p", "no:cacheprovider", "--import-mode=importlib", "-q", "-W", "ignore::DeprecationWarning"]
        saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                code = pytest.main(args, plugins=[collector, library, *user_modules])
        finally:
            if saved is None:
                os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
            else:
                os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
    if code not in (0, 1) or len(collector.results) < len(planned):
        tail = sink.getvalue().strip().splitlines()[-5:]
        raise QmsError(f"{protocol.id}: pytest-bdd could not run the scenarios (exit {int(code)}): "
                       + " | ".join(tail))
    return Run(collector.results, dict(sorted(ctx.files_read.items())), time.perf_counter() - started)
