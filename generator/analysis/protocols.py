"""Protocol readiness: may this protocol be executed by this person on this day? (21 CFR 820.75, ISO 13485 7.5.6)

One set of checks serves two callers: the validation rules, which apply them to every execution a
protocol records, and `qms protocol run`, which applies them before executing anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model.people import User
from ..model.validation import Protocol, SampleSize
from ..recordset import RecordSet


@dataclass(frozen=True)
class Problem:
    kind: str  # "approval" | "instrument" | "executor" | "training"
    path: tuple[Any, ...]  # field of the protocol the problem is about
    message: str


def approval_problems(protocol: Protocol, date: dt.date) -> list[Problem]:
    """A protocol is executed only after its approval (the approved date, and not a draft)."""
    if protocol.approved is None:
        return [Problem("approval", ("status",), "the protocol has no approval date")]
    if date < protocol.approved:
        return [Problem("approval", ("approved",), f"executed on {date}, before its approval on {protocol.approved}")]
    return []


def instrument_problems(records: RecordSet, protocol: Protocol, date: dt.date) -> list[Problem]:
    """Every prerequisite instrument calibrated on or before `date` and not yet due."""
    problems: list[Problem] = []
    pre = protocol.prerequisites
    for i, ref in enumerate(pre.instruments if pre else ()):
        eq = records.get(str(ref))
        if eq is None:
            continue  # a dangling link is the reference rules' finding
        where = ("prerequisites", "instruments", i)
        cal = getattr(eq, "calibration", None)
        if cal is None or cal.due is None:
            problems.append(Problem("instrument", where, f"{eq.id} has no calibration due date"))
        elif cal.due < date:
            problems.append(Problem("instrument", where, f"{eq.id} calibration was due {cal.due}, "
                                                         f"before the execution on {date}"))
        elif cal.last is not None and cal.last > date:
            problems.append(Problem("instrument", where, f"{eq.id} was calibrated only on {cal.last}, "
                                                         f"after the execution on {date}"))
        if getattr(eq, "status", None) in ("out_of_service", "retired"):
            problems.append(Problem("instrument", where, f"{eq.id} is {eq.status}"))
    return problems


def executor_problems(records: RecordSet, protocol: Protocol, executor: str, date: dt.date) -> list[Problem]:
    """The executor is a named executor of the protocol, active, and trained on every prerequisite
    procedure (on its current revision, where both give one) before `date`."""
    problems: list[Problem] = []
    pre = protocol.prerequisites
    user = records.get_as(executor, User)
    if user is None:
        return [Problem("executor", ("prerequisites", "executors"), f"{executor} is not a user record")]
    if pre and pre.executors and executor not in {str(r) for r in pre.executors}:
        problems.append(Problem("executor", ("prerequisites", "executors"),
                                f"{executor} is not among the protocol's executors "
                                f"({', '.join(str(r) for r in pre.executors)})"))
    if user.status != "active" or (user.active_from and date < user.active_from) or \
            (user.active_until and date > user.active_until):
        problems.append(Problem("executor", ("prerequisites", "executors"),
                                f"{executor} is not an active user on {date}"))
    for i, subject in enumerate(pre.training if pre else ()):
        doc = records.get(str(subject))
        current = getattr(doc, "revision", None)
        held = [t for t in user.training if str(t.subject) == str(subject) and t.date <= date]
        where = ("prerequisites", "training", i)
        if not held:
            problems.append(Problem("training", where, f"{executor} holds no training on {subject} "
                                                       f"dated on or before {date}"))
        elif current and all(t.revision and t.revision != current for t in held):
            revs = ", ".join(sorted({t.revision for t in held if t.revision}))
            problems.append(Problem("training", where, f"{executor} is trained on {subject} revision {revs}, "
                                                       f"not the current revision {current}"))
    return problems


def readiness(records: RecordSet, protocol: Protocol, executor: str, date: dt.date) -> list[Problem]:
    """Everything that stops `executor` executing `protocol` on `date`, in protocol order."""
    return (approval_problems(protocol, date) + instrument_problems(records, protocol, date)
            + executor_problems(records, protocol, executor, date))


def justified_sample_size(sample: SampleSize) -> tuple[int | None, str]:
    """The sample size the stated method justifies, and how it was computed (None: not computable)."""
    from .sample_size import capability_sample_size, success_run

    if sample.method == "success_run":
        if sample.confidence is None or sample.reliability is None:
            return None, "success-run needs both confidence and reliability"
        n = success_run(sample.confidence, sample.reliability, sample.failures)
        return n, (f"success run, C = {sample.confidence:g}, R = {sample.reliability:g}, "
                   f"{sample.failures} failure(s) allowed: n = {n}")
    if sample.method == "capability":
        if sample.confidence is None or sample.cpk_target is None or sample.cpk_planned is None:
            return None, "a capability justification needs confidence, cpk_target and cpk_planned"
        n = capability_sample_size(sample.cpk_target, sample.cpk_planned, sample.confidence)
        return n, (f"capability: a process with Cpk {sample.cpk_planned:g} shows Cpk >= {sample.cpk_target:g} "
                   f"at {sample.confidence:.0%} confidence (Bissell lower bound) from n = {n}")
    return None, f"method '{sample.method}' is justified by its rationale text"
