"""Design controls and traceability: every need refined and validated, every requirement verified,
every output traced, every trace link reviewed against the current content of what it points at.

The gaps come from the trace analysis (generator.analysis.trace), so `qms trace` and `qms validate`
report the same breaks; the link checks (retired targets, missing review stamps) read the link graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache, partial

from ..analysis import once, peek
from ..analysis import trace as tr
from ..analysis.policies import in_force
from ..findings import Finding
from ..model.canonical import fingerprint
from ..model.design import DesignOutput, Requirement
from ..model.policy import DesignPolicy
from ..recordset import RecordSet
from .context import Context
from .registry import RuleCheck, rule
from .waivers import apply_waivers

_AREA = "design"
_REVIEWED = ("approved", "effective")

def traced(records: RecordSet) -> tr.TraceResult:
    """The trace of `records`, computed once however many rules read it."""
    return once(tr.trace, records)


def _gaps(ctx: Context) -> tuple[tr.Gap, ...]:
    """The trace gaps, computed once for the rules that read them (those about the records in focus, when
    `qms validate` runs them on an edit's neighbourhood); the matrix rows only when they are computed anyway
    (`qms build`, `qms trace`), since the rules need none of them."""
    records = ctx.records
    if ctx.focus is not None:
        return once(_about(ctx.focus), records)
    computed = peek(tr.trace, records)
    return computed.gaps if computed is not None else once(tr.trace_gaps, records)


@lru_cache(maxsize=4)
def _about(focus: frozenset[str]) -> Callable[[RecordSet], tuple[tr.Gap, ...]]:
    """trace_gaps on `focus` alone, as one object for each focus: `once` computes it for the first rule only."""
    return partial(tr.trace_gaps, focus=focus)


def _from_gaps(ctx: Context, check: RuleCheck, kind: str, hint: Callable[[tr.Gap], str]) -> Iterator[Finding]:
    """Findings of `check` for the trace gaps of one kind."""
    for gap in _gaps(ctx):
        if gap.kind == kind:
            yield check.finding(gap.location, gap.message, gap.record, hint=hint(gap))


@rule("QMS201", "error", "User need without requirement", area=_AREA,
      clause="ISO 13485:2016 7.3.3; 21 CFR 820.30(c)",
      rationale="Design inputs must address the needs of the user and patient: a user need that no current "
                "requirement is derived from (directly or through a parent requirement) has not been turned "
                "into anything the design can meet or verification can check.",
      neighbourhood=True)
def need_without_requirement(ctx: Context) -> Iterator[Finding]:
    yield from _from_gaps(ctx, need_without_requirement, tr.NO_REQUIREMENT,
                     lambda g: f"derive a requirement from {g.record} (derived_from: [{g.record}]), "
                               "or set the need obsolete")


@rule("QMS202", "error", "Requirement without verification", area=_AREA,
      clause="ISO 13485:2016 7.3.6; 21 CFR 820.30(f)",
      rationale="Design verification confirms that outputs meet inputs: every requirement past draft needs a "
                "verification test whose latest result is a pass. Obsolete and draft requirements are not "
                "expected to be verified; obsolete tests verify nothing. (Risk controls' verification of "
                "implementation and effectiveness is checked by the risk rules, ISO 14971 7.2.)",
      neighbourhood=True)
def requirement_without_verification(ctx: Context) -> Iterator[Finding]:
    yield from _from_gaps(ctx, requirement_without_verification, tr.NO_VERIFICATION,
                     lambda g: f"add a verification test with verifies: [{g.record}] and a passing result, "
                               "or approve and execute the draft test")


@rule("QMS203", "error", "Test's latest result is a fail or missing", area=_AREA,
      clause="ISO 13485:2016 7.3.6, 7.3.7; 21 CFR 820.30(f), (g)",
      rationale="The latest execution of an approved verification or validation test is the evidence that "
                "counts: a fail or blocked result, or no result at all, leaves what it tests unproven until "
                "it is re-executed and passes (earlier passes do not outweigh a later fail).",
      neighbourhood=True)
def test_not_passed(ctx: Context) -> Iterator[Finding]:
    yield from _from_gaps(ctx, test_not_passed, tr.NOT_PASSED,
                     lambda g: "resolve the failure and add a later result with result: pass, "
                               "or set the test obsolete if it no longer applies")


@rule("QMS204", "error", "User need without validation", area=_AREA,
      clause="ISO 13485:2016 7.3.7; 21 CFR 820.30(g)",
      rationale="Design validation shows the device meets the user needs and intended uses: every approved "
                "user need needs a validation test whose latest result is a pass.",
      neighbourhood=True)
def need_without_validation(ctx: Context) -> Iterator[Finding]:
    yield from _from_gaps(ctx, need_without_validation, tr.NO_VALIDATION,
                     lambda g: f"add a validation test with validates: [{g.record}] and a passing result")


@rule("QMS205", "error", "Design output implements nothing", area=_AREA,
      clause="ISO 13485:2016 7.3.4; 21 CFR 820.30(d)",
      rationale="Design outputs must be traceable to the design inputs they meet: an output that implements "
                "no current requirement or risk control is either missing its input or not needed.",
      neighbourhood=True)
def orphan_output(ctx: Context) -> Iterator[Finding]:
    yield from _from_gaps(ctx, orphan_output, tr.ORPHAN_OUTPUT,
                     lambda g: "list the requirements it implements (implements: [REQ-...]), "
                               "or set the output obsolete")


@rule("QMS206", "warning", "Trace link to a retired record", area=_AREA,
      clause="ISO 13485:2016 4.2.4, 7.3.9; 21 CFR 820.30(i), (j)",
      rationale="A current record whose trace links (derived from, implements, verifies, validates, mitigates, "
                "hazard, harms ...) lead to an obsolete record rests on something that no longer applies: the "
                "link gives no coverage and should be moved to the record that replaced it, or removed.",
      per_record=True)
def link_to_retired(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for link in ctx.checked_links(unvalidated=False):
        if link.role not in tr.REVIEW_ROLES:
            continue
        target = rs.get(link.target)
        if target is None or not target.retired:
            continue
        if rs.records[link.source].retired:
            continue
        yield link_to_retired.finding(
            ctx.at(link.source, link.path), f"'{link.role}' links to {target.id}, which is {target.status}",
            link.source, hint="link the record that replaced it, or remove the link")


@rule("QMS207", "error", "Suspect link: target changed since review", area=_AREA,
      clause="ISO 13485:2016 7.3.9; 21 CFR 820.30(i), (j)",
      rationale="A review stamp on a link holds the fingerprint of the target's content when the linking record "
                "was last reviewed against it. A different current fingerprint means the target changed since: "
                "the linking record (a test, an output, a child requirement) may no longer fit and must be "
                "reviewed again before the trace can be relied on.", per_record=True, reads_targets=True)
def suspect_link(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for link in ctx.checked_links(unvalidated=False):  # the trace's SUSPECT_LINK gaps, link by link
        target = rs.get(link.target) if link.fingerprint is not None else None
        if target is None:
            continue
        current = fingerprint(target)
        if current != link.fingerprint and not rs.records[link.source].retired:
            yield suspect_link.finding(
                ctx.at(link.source, link.path), tr.suspect_message(link, current), link.source,
                hint=f"check {link.source} still fits the change, then run `qms review {link.source}`")


@rule("QMS208", "warning", "Trace link not reviewed", area=_AREA,
      clause="ISO 13485:2016 7.3.10; 21 CFR 820.30(j)",
      rationale="An approved record's trace links should carry a review stamp (the target's fingerprint), so "
                "that a later change to the target shows up as a suspect link instead of passing unnoticed.",
      per_record=True)
def unreviewed_link(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for link in ctx.checked_links(unvalidated=False):
        target = rs.get(link.target)
        if link.fingerprint is not None or link.role not in tr.TRACE_ROLES or target is None or target.retired:
            continue  # a missing or retired target has findings of its own
        if rs.records[link.source].status in _REVIEWED:
            yield unreviewed_link.finding(
                ctx.at(link.source, link.path), f"'{link.role}' link to {link.target} carries no review stamp",
                link.source, hint=f"review {link.source} against {link.target}, then run `qms review {link.source}`")


TRACE_CHECKS = (need_without_requirement, requirement_without_verification, test_not_passed,
                need_without_validation, orphan_output, link_to_retired, suspect_link, unreviewed_link)


def trace_findings(ctx: Context) -> tuple[list[Finding], list[Finding]]:
    """(open, waived) findings of the traceability rules alone, waivers applied, in a stable order."""
    codes = {check.rule.code for check in TRACE_CHECKS}
    found = [f for check in TRACE_CHECKS for f in check(ctx)]
    open_, waived = apply_waivers(found, ctx)
    ordered = sorted((f for f in open_ if f.code in codes), key=lambda f: f.sort_key)
    return ordered, sorted(waived, key=lambda f: f.sort_key)


@rule("QMS209", "error", "Approved requirement without a design output", area=_AREA,
      clause="ISO 13485:2016 7.3.3, 7.3.4; 21 CFR 820.30(c), (d)",
      rationale="Design outputs meet the design inputs and are the basis of purchasing, production and "
                "verification: an approved requirement that no current design output implements has nothing "
                "that realises it, however well it is tested. The design policy in force may exempt "
                "requirement types (outputs_not_required_for); without one, every approved requirement needs "
                "an output.")
def requirement_without_output(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    policy = in_force(rs, DesignPolicy)
    exempt = set(policy.outputs_not_required_for) if policy is not None else set()
    realised = {ref.id for out in rs.of_type(DesignOutput) if not out.retired for ref in out.implements}
    for req in rs.of_type(Requirement):
        if req.status == "approved" and req.id not in realised and req.type not in exempt:
            yield requirement_without_output.finding(
                ctx.at(req.id, ("id",)), f"{req.id} is approved but no current design output implements it",
                req.id, hint=f"record the drawing, specification or software item that realises it (a design output "
                             f"with implements: [{req.id}])"
                             + (f", or exempt '{req.type}' requirements in {policy.id}" if policy and req.type else ""))
