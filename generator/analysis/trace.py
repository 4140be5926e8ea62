"""Design traceability (ISO 13485:2016 7.3, 21 CFR 820.30): needs → requirements → outputs → tests.

The chain, as the records link it:

    user need ◀─derived_from── requirement ◀─derived_from── child requirement
                                   ▲  ▲
               design output ─implements┘  └─verifies── verification test
    user need ◀─validates── validation test
    risk control ─implemented_by▶ requirement / design output;  verification test ─verifies▶ risk control

One row per requirement and per risk control (risk controls are design inputs too, ISO 14971 7.2).
A row is *covered* when at least one of its verification tests' latest result (by date) is a pass.

What counts, as a QA engineer reads a trace matrix:

- Retired records (a kind's `retired` statuses, e.g. obsolete) are never a source of coverage: an
  obsolete test verifies nothing, an obsolete requirement covers no need, an obsolete parent breaks
  the chain below it.
- Only records *in scope* (in their lifecycle, neither draft nor retired) are expected to be covered: a draft or an
  obsolete requirement needs no verification yet, an obsolete need no validation. They still appear
  in the matrix, with their status.
- A test that is in scope and whose latest result is not a pass is a gap where the test stands; the
  requirement it was meant to cover is then not reported a second time.
- A risk control's row shows its verification, but a missing one is not a trace gap: the risk
  rules report it, split into implementation and effectiveness (ISO 14971 7.2).
- A link whose stored review fingerprint differs from its target's current fingerprint is suspect:
  the target changed after the linking record was last reviewed against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..findings import Location
from ..model import KINDS, Record
from ..model.canonical import fingerprint
from ..model.design import DesignOutput, Requirement, UserNeed
from ..model.risk import RiskControl
from ..recordset import Link, RecordSet
from .cycles import strongly_connected

# Links that carry the design trace; an approved record's links in these roles should carry a review stamp.
TRACE_ROLES = ("derived_from", "implements", "verifies", "validates", "mitigates", "implemented_by")
# Links a review stamps: the design trace and the risk-analysis chain (situation → hazard and harms,
# benefit-risk → situations), where a change upstream calls the downstream analysis into question.
REVIEW_ROLES = TRACE_ROLES + ("hazard", "harms", "covers")

NO_RESULT = "none"

# Gap kinds, one per way the chain can break.
NO_REQUIREMENT = "need_without_requirement"
NO_VERIFICATION = "requirement_without_verification"
NOT_PASSED = "test_not_passed"
NO_VALIDATION = "need_without_validation"
ORPHAN_OUTPUT = "orphan_output"
SUSPECT_LINK = "suspect_link"


def in_scope(record: Record) -> bool:
    """Whether the record is expected to be traced: in a lifecycle state that is neither draft nor retired.

    A status outside the kind's lifecycle has a finding of its own (QMS124) and no trace gaps.
    """
    kind = KINDS[record.KIND]
    return record.status in kind.lifecycle and record.status != "draft" and record.status not in kind.retired


@dataclass(frozen=True)
class Outcome:
    """A test's latest result: pass, fail, blocked, or none (never executed)."""

    test: str
    result: str
    date: dt.date | None = None
    index: int | None = field(default=None, compare=False)  # position in the test's results

    def __str__(self) -> str:
        return f"{self.test}: {self.result}" + (f" ({self.date.isoformat()})" if self.date else "")

    def as_json(self) -> dict[str, Any]:
        return {"test": self.test, "result": self.result, "date": self.date.isoformat() if self.date else None}


def latest_result(test: Record) -> Outcome:
    """The latest execution of a verification or validation test, by date (the later entry on a tie)."""
    results = list(getattr(test, "results", []))
    if not results:
        return Outcome(test.id, NO_RESULT)
    index, last = max(enumerate(results), key=lambda pair: (pair[1].date, pair[0]))
    return Outcome(test.id, last.result, last.date, index)


@dataclass(frozen=True)
class Row:
    """One line of the trace matrix: a requirement or a risk control and everything traced to it."""

    id: str
    kind: str  # "requirement" or "risk_control"
    title: str
    type: str | None
    status: str
    in_scope: bool
    upstream: tuple[str, ...]  # derived_from (needs, parent requirements) or mitigates (situations, hazards)
    needs: tuple[str, ...]  # user needs reached, through parent requirements
    risk_controls: tuple[str, ...]  # risk controls this requirement implements
    outputs: tuple[str, ...]  # design outputs implementing a requirement; what implements a risk control
    tests: tuple[str, ...]
    results: tuple[Outcome, ...]  # latest result per test, in test order
    covered: bool
    gaps: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "title": self.title, "type": self.type, "status": self.status,
            "in_scope": self.in_scope, "upstream": list(self.upstream), "needs": list(self.needs),
            "risk_controls": list(self.risk_controls), "outputs": list(self.outputs), "tests": list(self.tests),
            "results": [o.as_json() for o in self.results], "covered": self.covered, "gaps": list(self.gaps),
        }


@dataclass(frozen=True)
class Level:
    """Coverage at one level of the chain: `covered` of `total` records in scope."""

    key: str
    label: str
    covered: int
    total: int

    @property
    def percent(self) -> float | None:
        return None if self.total == 0 else round(100.0 * self.covered / self.total, 1)

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "covered": self.covered, "total": self.total,
                "percent": self.percent}


@dataclass(frozen=True)
class Gap:
    """A break in the chain, located where it must be mended."""

    kind: str
    record: str
    path: tuple[Any, ...]
    location: Location
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "record": self.record, "location": str(self.location), "message": self.message}


@dataclass(frozen=True)
class TraceResult:
    rows: tuple[Row, ...]
    coverage: tuple[Level, ...]
    gaps: tuple[Gap, ...]

    def level(self, key: str) -> Level:
        return next(level for level in self.coverage if level.key == key)

    def as_json(self) -> dict[str, Any]:
        return {
            "requirements": [row.as_json() for row in self.rows],
            "coverage": {level.key: level.as_json() for level in self.coverage},
            "gaps": [gap.as_json() for gap in self.gaps],
        }


@dataclass
class _Tracer:
    """The state of one tracing pass: the records, the gaps found so far, and memos."""

    rs: RecordSet
    gaps: list[Gap] = field(default_factory=list)
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # by test ID, as computed (outcome())
    _reported: dict[str, bool] = field(default_factory=dict)  # by test ID, as computed (reported())
    _needs: dict[str, tuple[str, ...]] | None = None  # per requirement, computed once
    _fingerprints: dict[str, str] = field(default_factory=dict)
    # Every record by ID: the RecordSet's own (each read noted, while watched) or, for a pass that reads every
    # link anyway, a plain dict (RecordSet.every_record).
    records: dict[str, Record] = field(default_factory=dict)

    def outcome(self, test: Record) -> Outcome:
        """The test's latest result, computed once."""
        found = self.outcomes.get(test.id)
        if found is None:
            found = self.outcomes[test.id] = latest_result(test)
        return found

    def reported(self, test: Record) -> bool:
        """Whether the test has a gap of its own (in scope, latest result not a pass): what it leaves unproven
        is then not reported again."""
        found = self._reported.get(test.id)
        if found is None:
            found = self._reported[test.id] = in_scope(test) and self.outcome(test).result != "pass"
        return found

    def gap(self, kind: str, record: str, path: tuple[Any, ...], message: str) -> None:
        self.gaps.append(Gap(kind, record, path, self.rs.sources[record].at(path), message))

    def live_sources(self, record_id: str, role: str, kind: str) -> list[Record]:
        """Non-retired records of `kind` linking to `record_id` in `role`, by ID, each once."""
        found = {link.source: self.records[link.source] for link in self.rs.links_to(record_id, role)
                 if link.source in self.records}
        return [r for _, r in sorted(found.items()) if r.KIND == kind and not r.retired]

    def live_targets(self, record: Record, role: str) -> list[Record]:
        """Non-retired records `record` links to in `role`, in the order written, each once."""
        found = {link.target: self.records[link.target] for link in self.rs.links_from(record.id, role)
                 if link.target in self.records}
        return [r for r in found.values() if not r.retired]

    def needs_of(self, requirement: Record) -> tuple[str, ...]:
        """User needs a requirement traces to, directly or through non-retired parent requirements."""
        if self._needs is None:
            self._needs = self._all_needs()
        return self._needs.get(requirement.id, ())

    def _all_needs(self) -> dict[str, tuple[str, ...]]:
        # Components of the derivation graph, parents first computed: no recursion on a long chain, and
        # a derivation cycle (QMS128) ends in one shared answer instead of a loop.
        parents: dict[str, list[str]] = {}
        direct: dict[str, set[str]] = {}
        for req in self.rs.of_type(Requirement):
            if req.retired:
                continue
            targets = self.live_targets(req, "derived_from")
            parents[req.id] = [r.id for r in targets if r.KIND == "requirement"]
            direct[req.id] = {r.id for r in targets if r.KIND == "user_need"}
        needs: dict[str, tuple[str, ...]] = {}
        # From the top down (Kahn's algorithm, linear): a requirement is answered once all its parents are.
        waiting = {req_id: len(above) for req_id, above in parents.items()}
        below: dict[str, list[str]] = {}
        for req_id, above in parents.items():
            for p in above:
                below.setdefault(p, []).append(req_id)
        ready = [req_id for req_id, count in waiting.items() if count == 0]
        while ready:
            req_id = ready.pop()
            del waiting[req_id]
            found = set(direct[req_id])
            for p in parents[req_id]:
                found.update(needs[p])
            needs[req_id] = tuple(sorted(found))
            for child in below.get(req_id, ()):
                waiting[child] -= 1
                if waiting[child] == 0:
                    ready.append(child)
        # What is left lies on a derivation cycle (QMS128) or below one.
        pending = {req: parents[req] for req in waiting}
        # Cycles: by components, parents first, each component sharing one answer instead of looping.
        for component in strongly_connected(pending, lambda r: [p for p in pending[r] if p in pending]):
            found = set()
            inside = set(component)
            for member in component:
                found |= direct.get(member, set())
                for parent in pending.get(member, ()):
                    if parent not in inside:
                        found.update(needs[parent])
            result = tuple(sorted(found))
            for member in component:
                needs[member] = result
        return needs

    def suspect(self, link: Link) -> str | None:
        """The target's current fingerprint when `link` carries a different one, else None."""
        if link.fingerprint is None or link.target not in self.records:
            return None
        if link.target not in self._fingerprints:
            self._fingerprints[link.target] = fingerprint(self.records[link.target])
        current = self._fingerprints[link.target]
        return current if current != link.fingerprint else None


def suspect_message(link: Link, current: str) -> str:
    """What a suspect link's gap (and QMS207) says: the stamp it carries and the target's fingerprint now."""
    return (f"'{link.role}' link to {link.target} was reviewed at fingerprint {link.fingerprint}; "
            f"{link.target} is now {current}")


def trace(records: RecordSet) -> TraceResult:
    """Trace every need, requirement, risk control, output and test; see the module docstring."""
    t = _Tracer(records, records=records.every_record())  # it reads every link (_check_stamps)
    _check_tests(t, [test for kind in ("verification", "validation") for test in t.rs.of_kind(kind)])
    rows, need_requirements = _rows(t)
    needs_total, needs_with_reqs, needs_validated = _check_needs(t, need_requirements, t.rs.of_type(UserNeed))
    outputs_total, outputs_linked = _check_outputs(t, t.rs.of_type(DesignOutput))
    _check_stamps(t)
    req_rows = [r for r in rows if r.kind == "requirement" and r.in_scope]
    rc_rows = [r for r in rows if r.kind == "risk_control" and r.in_scope]
    coverage = (
        Level("needs_with_requirements", "User needs with requirements", needs_with_reqs, needs_total),
        Level("needs_validated", "User needs validated (latest result pass)", needs_validated, needs_total),
        Level("requirements_with_verification", "Requirements with a verification test",
              sum(1 for r in req_rows if r.tests), len(req_rows)),
        Level("requirements_verified", "Requirements verified (latest result pass)",
              sum(1 for r in req_rows if r.covered), len(req_rows)),
        Level("outputs_linked", "Design outputs linked to a requirement or risk control", outputs_linked,
              outputs_total),
        Level("risk_controls_verified", "Risk controls verified (latest result pass)",
              sum(1 for r in rc_rows if r.covered), len(rc_rows)),
    )
    return TraceResult(tuple(rows), coverage, _ordered(t.gaps))


def trace_gaps(records: RecordSet, focus: frozenset[str] | None = None) -> tuple[Gap, ...]:
    """The gaps of `trace(records)` but suspect links, without building the matrix rows (what `qms validate`
    needs: QMS207 checks each link's stamp on its own, so an edit re-checks only the links it can change).

    The same checks run in the same order as in `trace`, so the gaps are the same, in the same order; and
    reading records only by kind and by ID, not every link, the rules reading them run again only after an
    edit of a kind they read.

    `focus`: only the gaps about these records (by ID). A gap about a record depends only on that record, the
    records it links to or that link to it, and which records exist with which kinds, statuses and links (a
    need's requirements are found through chains of links, not contents): so after an edit that changes no
    ID, kind, status or link, the gaps about the edited records and their neighbours are all that can change
    (rules.incremental).
    """
    t = _Tracer(records, records=records.records)
    if focus is None:
        tests = [test for kind in ("verification", "validation") for test in t.rs.of_kind(kind)]
        requirements = t.rs.of_kind("requirement")
        needs = t.rs.of_type(UserNeed)
        outputs = t.rs.of_type(DesignOutput)
    else:
        held = [t.records[i] for i in sorted(focus) if i in t.records]
        tests = [r for r in held if r.KIND in ("verification", "validation")]
        requirements = [r for r in held if r.KIND == "requirement"]
        needs = [r for r in held if isinstance(r, UserNeed)]
        outputs = [r for r in held if isinstance(r, DesignOutput)]
    _check_tests(t, tests)
    for req in requirements:
        if in_scope(req):
            _verification(t, req, "requirement")
    if needs:
        need_requirements: dict[str, set[str]] = {}
        for req in t.rs.of_kind("requirement"):
            for need in () if req.retired else t.needs_of(req):
                need_requirements.setdefault(need, set()).add(req.id)
        _check_needs(t, need_requirements, needs)
    _check_outputs(t, outputs)
    return _ordered(t.gaps)


def _ordered(gaps: list[Gap]) -> tuple[Gap, ...]:
    return tuple(sorted(gaps, key=lambda g: (g.location.order, g.kind, g.record, g.message)))


def _check_tests(t: _Tracer, tests: Iterable[Record]) -> None:
    """A gap for each test in scope whose latest result is not a pass, where that result stands."""
    for test in tests:
        if not t.reported(test):
            continue
        outcome = t.outcome(test)
        if outcome.result == NO_RESULT:
            t.gap(NOT_PASSED, test.id, ("results",), f"{test.id} has no results: it has never been executed")
        else:
            t.gap(NOT_PASSED, test.id, ("results", outcome.index, "result"),
                  f"latest result of {test.id} is {outcome.result} ({outcome.date or 'undated'})")


def _rows(t: _Tracer) -> tuple[list[Row], dict[str, set[str]]]:
    """The matrix rows, and the non-retired requirements that reach each need."""
    rows: list[Row] = []
    need_requirements: dict[str, set[str]] = {}
    for req in t.rs.of_type(Requirement):
        needs = () if req.retired else t.needs_of(req)
        for need in needs:
            need_requirements.setdefault(need, set()).add(req.id)
        rows.append(_row(t, req, "requirement", needs))
    for rc in t.rs.of_type(RiskControl):
        rows.append(_row(t, rc, "risk_control", ()))
    return rows, need_requirements


def _check_needs(t: _Tracer, need_requirements: dict[str, set[str]], needs: Iterable[UserNeed]) -> tuple[int, int, int]:
    """(needs in scope, with a requirement, validated), with a gap for each need short of either."""
    total = with_reqs = validated = 0
    for need in needs:
        if not in_scope(need):
            continue
        total += 1
        if need_requirements.get(need.id):
            with_reqs += 1
        else:
            t.gap(NO_REQUIREMENT, need.id, ("id",), f"no requirement is derived from {need.id}")
        validations = t.live_sources(need.id, "validates", "validation")
        if any(t.outcome(v).result == "pass" for v in validations):
            validated += 1
        elif not any(t.reported(v) for v in validations):
            t.gap(NO_VALIDATION, need.id, ("id",), _unproven(need.id, "validation", validations))
    return total, with_reqs, validated


def _check_outputs(t: _Tracer, outputs: Iterable[DesignOutput]) -> tuple[int, int]:
    """(outputs in scope, linked to a current requirement or risk control), with a gap for each orphan."""
    total = linked = 0
    for output in outputs:
        if not in_scope(output):
            continue
        total += 1
        implements = [r for r in t.live_targets(output, "implements") if r.KIND == "requirement"]
        if implements or t.live_sources(output.id, "implemented_by", "risk_control"):
            linked += 1
        else:
            path = ("implements",) if output.implements else ("id",)
            t.gap(ORPHAN_OUTPUT, output.id, path, f"{output.id} implements no current requirement or risk control")
    return total, linked


def _check_stamps(t: _Tracer) -> None:
    """A gap for each suspect link of a record that is not retired."""
    for link in t.rs.links():
        current = t.suspect(link)
        if current is not None and not t.records[link.source].retired:
            t.gap(SUSPECT_LINK, link.source, link.path, suspect_message(link, current))


def _unproven(record_id: str, what: str, tests: list[Record]) -> str:
    if not tests:
        return f"no {what} test {'validates' if what == 'validation' else 'verifies'} {record_id}"
    unfinished = ", ".join(f"{test.id} ({test.status})" for test in tests)
    return f"no passing {what} of {record_id}: {unfinished}"


def _verification(t: _Tracer, record: Record, kind: str) -> tuple[list[Record], tuple[Outcome, ...], bool, str | None]:
    """(live verification tests, their latest outcomes, covered, the gap message) of a requirement or risk
    control; an uncovered requirement in scope is a gap (a risk control's is the risk rules' to report, 7.2)."""
    tests = t.live_sources(record.id, "verifies", "verification")
    results = tuple(t.outcome(test) for test in tests)
    covered = any(o.result == "pass" for o in results)
    message = None
    if in_scope(record) and not covered and not any(t.reported(test) for test in tests):
        message = _unproven(record.id, "verification", tests)
        if kind == "requirement":
            t.gap(NO_VERIFICATION, record.id, ("id",), message)
    return tests, results, covered, message


def _row(t: _Tracer, record: Record, kind: str, needs: tuple[str, ...]) -> Row:
    rs = t.rs
    tests, results, covered, unproven = _verification(t, record, kind)
    if kind == "requirement":
        upstream = tuple(dict.fromkeys(link.target for link in rs.links_from(record.id, "derived_from")))
        risk_controls = tuple(r.id for r in t.live_sources(record.id, "implemented_by", "risk_control"))
        outputs = tuple(r.id for r in t.live_sources(record.id, "implements", "design_output"))
    else:
        upstream = tuple(dict.fromkeys(link.target for link in rs.links_from(record.id, "mitigates")))
        risk_controls = ()
        outputs = tuple(r.id for r in t.live_targets(record, "implemented_by"))
    gaps: list[str] = [unproven] if unproven is not None else []
    scope = in_scope(record)
    if scope:
        gaps.extend(f"latest result of {o}" if o.result != NO_RESULT else f"{o.test} has no results"
                    for test, o in zip(tests, results, strict=True) if t.reported(test))
        for link in (*rs.links_from(record.id), *rs.links_to(record.id)):
            if link.role in TRACE_ROLES and t.suspect(link) is not None and not t.records[link.source].retired:
                gaps.append(f"suspect link {link.source} --{link.role}--> {link.target}")
    return Row(record.id, kind, record.title, getattr(record, "type", None), record.status, scope, upstream,
               needs, risk_controls, outputs, tuple(test.id for test in tests), results, covered, tuple(gaps))
