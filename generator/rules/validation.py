"""Process and software validation protocols (21 CFR 820.75, ISO 13485:2016 4.1.6, 7.5.6; GAMP 5).

The execution checks (QMS641 to QMS643) apply to every execution: the `executions:` history a protocol
file records and every execution record (EXE-, written by `qms protocol run`), on its UTC start date;
`qms protocol run` applies the same checks (analysis.protocols) before it executes anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ..analysis.protocols import approval_problems, executor_problems, instrument_problems, justified_sample_size
from ..findings import Finding
from ..load.features import ProtocolFiles
from ..model.validation import Protocol, ProtocolExecution
from .context import Context
from .registry import rule

_AREA = "validation"
_PROCESS = "ISO 13485:2016 7.5.6; 21 CFR 820.75(a)"
_SOFTWARE = "ISO 13485:2016 4.1.6, 7.5.6; 21 CFR 820.70(i), 820.75"
_EQUIPMENT = "ISO 13485:2016 7.6; 21 CFR 820.72"
_PEOPLE = "ISO 13485:2016 6.2; 21 CFR 820.25(b)"


def _protocols(ctx: Context) -> Iterator:
    return (p for p in ctx.records.of_type(Protocol) if not p.retired)


def _executions(ctx: Context, field: str) -> Iterator[tuple[Any, str, dt.date, Any, str, str]]:
    """(protocol, executor, date, location, record ID, label) of every execution to check: each entry of a
    protocol's `executions:` history, then each live execution record of a live protocol."""
    for protocol in _protocols(ctx):
        for i, execution in enumerate(protocol.executions):
            yield (protocol, str(execution.executed_by), execution.date,
                   ctx.at(protocol.id, ("executions", i, field)), protocol.id, f"execution {i + 1}")
    for exe in ctx.records.of_type(ProtocolExecution):
        protocol = ctx.records.get_as(exe.protocol, Protocol)
        if exe.retired or protocol is None or protocol.retired:
            continue  # a dangling or mistyped link is the reference rules' finding
        yield (protocol, str(exe.executed_by), exe.date, ctx.at(exe.id, ("started" if field == "date" else field,)),
               exe.id, f"execution of {protocol.id}")


@rule("QMS640", "error", "Protocol step names a scenario that does not exist", area=_AREA, clause=_SOFTWARE,
      rationale="Each protocol step is executed by the Gherkin scenario it names, by scenario name or by tag. "
                "A name that matches no scenario of the feature file (a typo, a renamed scenario) would leave "
                "the step without a test, so the approved protocol and the executed one would differ.")
def missing_scenario(ctx: Context) -> Iterator[Finding]:
    for protocol in _protocols(ctx):
        files = ctx.exports.get(protocol.id)
        if not isinstance(files, ProtocolFiles):
            continue
        for i, step in enumerate(protocol.steps):
            feature = files.features.get(step.feature)
            if feature is None:
                continue  # unreadable feature files are QMS109 findings of the load layer
            if step.scenario is None and step.tag is None:
                message, where = f"step {step.id} names neither a scenario nor a tag", ("steps", i)
            elif step.scenario is not None and feature.named(step.scenario) is None:
                known = "; ".join(f"'{s.name}'" for s in feature.scenarios) or "none"
                message, where = (f"step {step.id}: {step.feature} has no scenario '{step.scenario}' "
                                  f"(scenarios: {known})", ("steps", i, "scenario"))
            elif step.tag is not None and not feature.tagged(step.tag):
                message, where = f"step {step.id}: no scenario of {step.feature} is tagged @{step.tag.lstrip('@')}", \
                    ("steps", i, "tag")
            else:
                continue
            yield missing_scenario.finding(
                ctx.at(protocol.id, where), message, protocol.id,
                hint="name the scenario exactly as the feature file spells it, or tag it and name the tag")


@rule("QMS641", "error", "Instrument out of calibration on the execution date", area=_AREA, clause=_EQUIPMENT,
      rationale="Measurements that qualify a process are only as good as the instruments that took them: every "
                "prerequisite instrument must have been calibrated before, and not be due on, the day the "
                "protocol was executed.")
def instrument_out_of_calibration(ctx: Context) -> Iterator[Finding]:
    for protocol, _, date, where, record, label in _executions(ctx, "date"):
        for problem in instrument_problems(ctx.records, protocol, date):
            yield instrument_out_of_calibration.finding(
                where, f"{label}: {problem.message}", record,
                hint="re-execute after calibration, or raise a deviation assessing the impact")


@rule("QMS642", "error", "Protocol executed by someone not trained or not named", area=_AREA, clause=_PEOPLE,
      rationale="Validation is performed by qualified personnel: the executor is one the protocol names, an "
                "active user on the day, trained on the procedures the protocol lists as prerequisites (on "
                "their current revision) before executing it.")
def executor_not_trained(ctx: Context) -> Iterator[Finding]:
    for protocol, executor, date, where, record, label in _executions(ctx, "executed_by"):
        for problem in executor_problems(ctx.records, protocol, executor, date):
            yield executor_not_trained.finding(
                where, f"{label}: {problem.message}", record,
                hint="record the training (users' training list) or have a trained executor re-execute the protocol")


@rule("QMS643", "error", "Protocol executed before it was approved", area=_AREA, clause=_PROCESS,
      rationale="A validation protocol is approved before it is executed, so that its acceptance criteria are "
                "fixed before the results are known (21 CFR 820.75, GHTF SG3/N99-10 5.3).")
def executed_before_approval(ctx: Context) -> Iterator[Finding]:
    for protocol, _, date, where, record, label in _executions(ctx, "date"):
        for problem in approval_problems(protocol, date):
            yield executed_before_approval.finding(
                where, f"{label}: {problem.message}", record, hint="approve the protocol, then execute it again")


@rule("QMS644", "error", "PQ sample size smaller than its statistical justification", area=_AREA,
      clause=_PROCESS,
      rationale="The number of units in a performance qualification is justified by statistics: the success-run "
                "theorem n = ln(1 - C) / ln(R) (or its binomial extension when failures are allowed), or the "
                "sample that demonstrates a capability target at a stated confidence. A stated n below the "
                "justified one does not show the claimed confidence and reliability.")
def sample_too_small(ctx: Context) -> Iterator[Finding]:
    for protocol in _protocols(ctx):
        sample = protocol.sample_size
        if sample is None:
            if protocol.id.startswith("PQ") and protocol.subject == "process":
                yield sample_too_small.finding(
                    ctx.at(protocol.id, ("subject",)), "process PQ states no sample size and justification",
                    protocol.id, hint="add sample_size with n, method and its parameters", severity="warning")
            continue
        needed, how = justified_sample_size(sample)
        if needed is None and sample.method in ("success_run", "capability"):
            yield sample_too_small.finding(
                ctx.at(protocol.id, ("sample_size", "method")), f"sample size cannot be justified: {how}",
                protocol.id, hint="state the method's parameters so the generator can compute n")
        elif needed is not None and sample.n < needed:
            yield sample_too_small.finding(
                ctx.at(protocol.id, ("sample_size", "n")), f"n = {sample.n} but {how}", protocol.id,
                hint=f"test at least {needed} units, or restate the confidence and reliability claimed")
