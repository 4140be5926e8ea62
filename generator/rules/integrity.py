"""Data integrity: approvals as electronic signatures bound to content (21 CFR Part 11, ISO 13485 4.2.4-4.2.5).

An approval signs the SHA-256 of a record's canonical content. A signed approval (status `signed`;
`revoked` ones no longer count) stays valid only while the record's content hash is the one it
signed. "Released" means in force: status approved, effective or released, or signed with the
meaning `release`. The rules up to QMS606 read only records; QMS605 and QMS607 to QMS611 need what git knows
(`Context.git`) and are silent without it; QMS612 compares the signing time with the clock, and with the
approval's commit where git knows it; QMS613 compares it with the as-of date. Where signatures are required
(the default), an approval counts only when its own commit is signed with a key the signer registered (QMS607,
QMS608), was made by a git identity of the signer (QMS611) and is dated when it was committed (QMS612).
`qms approve` refuses what these rules would report, using the same checks (`role_problem`, `activity_problem`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..config import Signatures
from ..findings import Finding, Location
from ..model import Record
from ..model.canonical import content_hash
from ..model.events import ChangeControl
from ..model.people import Approval, Role, User
from ..recordset import RecordSet
from .changes import APPROVED_OR_LATER
from .context import Context
from .registry import rule

if TYPE_CHECKING:
    from ..gitio.signatures import CommitSignature

_AREA = "integrity"
_PART11 = "21 CFR Part 11 §11.10(e), §11.50, §11.70; ISO 13485:2016 4.2.4, 4.2.5"
_CHANGE = "ISO 13485:2016 4.2.4, 7.3.9; 21 CFR 820.30(i), 820.40(b)"
_AUTHORITY = "21 CFR Part 11 §11.10(g), §11.100; ISO 13485:2016 5.5.1, 6.2"
_SEGREGATION = "ISO 13485:2016 7.3.5; 21 CFR 820.30(e), Part 11 §11.10(g)"
_SIGNED_COMMITS = "21 CFR Part 11 §11.70, §11.200(a); ISO 13485:2016 4.2.5"
_ATTRIBUTION = "21 CFR Part 11 §11.10(d), §11.10(e), §11.100(a); ISO 13485:2016 4.2.5"
RELEASED_STATUSES = ("approved", "effective", "released")
NEEDS_GIT = ("QMS605", "QMS607", "QMS608", "QMS609", "QMS610", "QMS611")  # silent without the git facts (Context.git)
APPROVING = ("approval", "release")
_FIELD = {"review": "may_review", "approval": "may_approve", "release": "may_release"}


def when(approval: Approval) -> dt.datetime:
    """The signing time, comparable across approvals (a time written without offset is taken as UTC)."""
    signed = approval.signed
    return signed if signed.tzinfo is not None else signed.replace(tzinfo=dt.UTC)


def signed_approvals(records: RecordSet) -> dict[str, list[Approval]]:
    """Signed approvals of each existing record, oldest first."""
    by_record: dict[str, list[Approval]] = defaultdict(list)
    for approval in records.of_type(Approval):
        if approval.status == "signed" and approval.record.id in records:
            by_record[approval.record.id].append(approval)
    for approvals in by_record.values():
        approvals.sort(key=lambda a: (when(a), a.id))
    return by_record


def released(record: Record, approvals: list[Approval]) -> bool:
    return record.status in RELEASED_STATUSES or any(a.meaning == "release" for a in approvals)


def settings(records: RecordSet) -> Signatures:
    return records.config.signatures if records.config is not None else Signatures()


def unapproved_released(records: RecordSet, invalid: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(record ID, why) for every released record (see `released`) that no valid approval binds as it is now:
    a signed approval or release whose hash is the record's current content hash, and that is not in
    `invalid` (approvals the integrity rules found at fault: wrong role, inactive signer, unsigned commit
    ...). Not a rule: a record in force without an electronic signature is legitimate on paper, but a
    release (`qms build --release`) does not go out with one."""
    signed = signed_approvals(records)
    out: list[tuple[str, str]] = []
    for record_id in sorted(records.records):
        record = records.records[record_id]
        approvals = signed.get(record_id, [])
        if record.KIND == "approval" or not released(record, approvals):
            continue
        current = content_hash(record)
        binding = [a for a in approvals if a.meaning in APPROVING and a.record_hash == current]
        if any(a.id not in invalid for a in binding):
            continue
        state = record.status if record.status in RELEASED_STATUSES else "released"
        if binding:
            why = (f"{state}, and its approval of the current content is not valid "
                   f"({', '.join(a.id for a in binding)}: see the integrity findings)")
        elif any(a.meaning in APPROVING for a in approvals):
            why = f"{state}, but changed since it was approved: no approval signs its current content {current[:12]}"
        else:
            why = f"{state} without a signed approval or release"
        out.append((record_id, why))
    return out


def role_problem(records: RecordSet, user: User, role_id: str | None, meaning: str, kind: str) -> str | None:
    """Why `user` (under `role_id`, or any role they hold) may not sign a `kind` with `meaning`; None if they may."""
    held = [r.id for r in user.roles]
    if role_id is not None:
        role = records.get(role_id)
        if role_id not in held:
            return f"{user.id} does not hold {role_id} (roles: {', '.join(held) or 'none'})"
        if isinstance(role, Role) and not role.may_sign(meaning, kind):
            return f"{role_id} may not sign a {kind} with meaning '{meaning}' (not in {_FIELD[meaning]})"
        return None
    roles = [r for r in (records.get(h) for h in held) if isinstance(r, Role)]
    if any(r.may_sign(meaning, kind) for r in roles):
        return None
    return (f"none of {user.id}'s roles ({', '.join(held) or 'none'}) may sign a {kind} with meaning "
            f"'{meaning}' ({_FIELD[meaning]})")


def signing_role(records: RecordSet, user: User, meaning: str, kind: str) -> str | None:
    """The first role (by ID) under which `user` may sign a `kind` with `meaning`."""
    for held in sorted(r.id for r in user.roles):
        role = records.get(held)
        if isinstance(role, Role) and role.may_sign(meaning, kind):
            return held
    return None


def activity_problem(user: User, day: dt.date) -> str | None:
    """Why `user` may not act on `day`; None if they may."""
    if user.active_on(day):
        return None
    if user.active_until is None and (user.active_from is None or day >= user.active_from):
        return (f"{user.id} is inactive and has no active_until date, so {day} cannot be shown to be in "
                "their active period")
    period = f"{user.active_from or 'the start'} to {user.active_until or 'now'}"
    return f"{user.id} acted on {day}, outside their active period {period}"


def _describe(approval: Approval) -> str:
    return (f"{approval.id} ({approval.meaning} by {approval.signer.id} on {when(approval).date()}, "
            f"hash {approval.record_hash[:12]})")


@rule("QMS600", "error", "Record changed after approval", area=_AREA, clause=_PART11,
      rationale="An electronic signature is linked to the record it signs so that it cannot be transferred to "
                "other content (Part 11 §11.70): an approval holds the SHA-256 of the record's canonical content "
                "at signing. When the latest signed approval of a given meaning holds another hash than the "
                "record's current content, what is on file now was never signed with that meaning; it needs a "
                "new signature (`qms approve`).")
def changed_after_approval(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for record_id, approvals in sorted(signed_approvals(rs).items()):
        record = rs.records[record_id]
        current = content_hash(record)
        latest: dict[str, Approval] = {}
        for approval in approvals:
            latest[approval.meaning] = approval
        stale = [a for _, a in sorted(latest.items()) if a.record_hash != current]
        if not stale:
            continue
        yield changed_after_approval.finding(
            ctx.at(record_id), f"changed after approval: content hash is now {current[:12]}, which "
            f"{', '.join(_describe(a) for a in stale)} did not sign", record_id,
            hint=f"have the change reviewed and signed again: qms approve {record_id} --meaning "
                 f"{stale[0].meaning}; if the edit was a mistake, revert it")


@rule("QMS601", "error", "Released record changed without an approved change control", area=_AREA, clause=_CHANGE,
      rationale="A record in force (approved, effective or released) is changed only under change control: "
                "the change is identified, reviewed and approved before it is implemented (ISO 13485 4.2.4, "
                "7.3.9; 21 CFR 820.40(b)). A released record whose content differs from what an approval or "
                "release signature signed needs a change control in status approved or later that names it "
                "under `affected`, approved on or after the signature it invalidated.")
def changed_without_change_control(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    covering: dict[str, list[ChangeControl]] = defaultdict(list)
    for change in rs.of_type(ChangeControl):
        if change.status in APPROVED_OR_LATER:
            for ref in change.affected:
                covering[ref.id].append(change)
    for record_id, approvals in sorted(signed_approvals(rs).items()):
        record = rs.records[record_id]
        if not released(record, approvals):
            continue
        current = content_hash(record)
        stale = [a for a in approvals if a.meaning in APPROVING and a.record_hash != current]
        if not stale:
            continue
        last = stale[-1]
        since = when(last).date()
        if any(c.approved is None or c.approved >= since for c in covering.get(record_id, ())):
            continue
        older = sorted(c.id for c in covering.get(record_id, ()))
        detail = f" ({', '.join(older)} approved before it)" if older else ""
        yield changed_without_change_control.finding(
            ctx.at(record_id), f"{record.status} record changed after {_describe(last)} with no approved change "
            f"control naming {record_id}{detail}", record_id,
            hint=f"raise a change control (CC-...) listing {record_id} under affected, assess and approve it; "
                 f"then approve the record again")


def _signer(ctx: Context, approval: Approval) -> User | None:
    user = ctx.records.get(approval.signer)
    return user if isinstance(user, User) else None


@rule("QMS602", "error", "Signer's role may not sign this record with this meaning", area=_AREA, clause=_AUTHORITY,
      rationale="Only people with the authority for it may sign (Part 11 §11.10(g); ISO 13485 5.5.1): a role "
                "lists the record kinds it may review, approve and release. An approval whose signer holds no "
                "such role for the record's kind, or names a role the signer does not hold, is not an approval.")
def role_may_not_sign(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    for approvals in signed_approvals(rs).values():
        for approval in approvals:
            user = _signer(ctx, approval)
            if user is None:
                continue  # QMS122 reports the missing user
            kind = rs.records[approval.record.id].KIND
            problem = role_problem(rs, user, approval.role.id if approval.role else None, approval.meaning, kind)
            if problem:
                yield role_may_not_sign.finding(
                    ctx.at(approval.id, ("role",) if approval.role else ("signer",)), problem, approval.id,
                    hint="the signature must come from someone whose role lists this kind for this meaning; "
                         "revoke it (status: revoked) and have an authorised person sign")


@rule("QMS603", "error", "Signer not active at the signing time", area=_AREA, clause=_AUTHORITY,
      rationale="A signature counts only from an account that was active when it signed (Part 11 §11.10(d), "
                "§11.300(b)): within the user's active_from and active_until dates. A deactivated user with no "
                "end date has no period in which the signature can be shown to fall.")
def signer_inactive(ctx: Context) -> Iterator[Finding]:
    for approvals in signed_approvals(ctx.records).values():
        for approval in approvals:
            user = _signer(ctx, approval)
            problem = activity_problem(user, when(approval).date()) if user is not None else None
            if problem:
                yield signer_inactive.finding(
                    ctx.at(approval.id, ("signed",)), f"signed by {problem}", approval.id,
                    hint="record the user's real active period (active_from, active_until); a signature made "
                         "outside it is revoked and signed again by an active user")


@rule("QMS604", "warning", "Printed name differs from the signer's user record", area=_AREA,
      clause="21 CFR Part 11 §11.50(a)",
      rationale="A signature shows the printed name of the signer (Part 11 §11.50). A printed name that is not "
                "the name on the signer's user record may name someone else; a later change of name is the one "
                "legitimate cause, and is waived with a justification.")
def printed_name_differs(ctx: Context) -> Iterator[Finding]:
    for approvals in signed_approvals(ctx.records).values():
        for approval in approvals:
            user = _signer(ctx, approval)
            if user is not None and approval.printed_name.casefold() != user.name.casefold():
                yield printed_name_differs.finding(
                    ctx.at(approval.id, ("printed_name",)),
                    f"printed name '{approval.printed_name}' but {user.id} is '{user.name}'", approval.id)


@rule("QMS605", "error", "Author signed their own change", area=_AREA, clause=_SEGREGATION,
      rationale="Segregation of duties: the person who made a change does not approve it (ISO 13485 7.3.5 "
                "asks for reviewers independent of the work; 21 CFR 820.30(e)). The git author of the last "
                "change to the record's file before the approval was committed is its author; the meanings the "
                "author may not sign are `signatures.author_may_not_sign` in qms.yaml (approval and release by "
                "default). Needs the git history (qms validate in a git work tree).")
def self_approval(ctx: Context) -> Iterator[Finding]:
    facts, rs = ctx.git, ctx.records
    if facts is None:
        return
    barred = set(settings(rs).author_may_not_sign)
    for record_id, approvals in sorted(signed_approvals(rs).items()):
        source = rs.sources[record_id]
        for approval in approvals:
            user = _signer(ctx, approval)
            if user is None or approval.meaning not in barred:
                continue
            added = facts.approvals.get(ctx.records.sources[approval.id].file)
            change = facts.change_before(source.file, added.commit if added else None)
            if change is not None and change[1] in user.identities:
                yield self_approval.finding(
                    ctx.at(approval.id, ("signer",)),
                    f"{user.id} signed the {approval.meaning} of {record_id} but authored its last change "
                    f"(commit {change[0][:10]} by {change[1]})", approval.id,
                    hint="revoke this approval (status: revoked); someone other than the author signs it")


@rule("QMS606", "error", "Same person reviewed and approved", area=_AREA, clause=_SEGREGATION,
      rationale="Where the quality system asks for it (`signatures.reviewer_may_not_approve: true` in qms.yaml), "
                "the review and the approval of the same content come from two people, so that each is a check "
                "on the other.")
def reviewer_approved(ctx: Context) -> Iterator[Finding]:
    rs = ctx.records
    if not settings(rs).reviewer_may_not_approve:
        return
    for approvals in signed_approvals(rs).values():
        reviewers = {(a.record_hash, a.signer.id): a for a in approvals if a.meaning == "review"}
        for approval in approvals:
            review = reviewers.get((approval.record_hash, approval.signer.id))
            if approval.meaning in APPROVING and review is not None:
                yield reviewer_approved.finding(
                    ctx.at(approval.id, ("signer",)),
                    f"{approval.signer.id} signed the review ({review.id}) and the {approval.meaning} of the "
                    f"same content of {approval.record.id}", approval.id,
                    hint="revoke one of the two signatures and have another authorised person sign")


def _required_commits(ctx: Context) -> Iterator[tuple[Approval, User | None, CommitSignature | None]]:
    """Signed approvals with the commit that added them, where signed commits are required and git is known."""
    if ctx.git is None or not settings(ctx.records).require_signed_commits:
        return
    for approvals in signed_approvals(ctx.records).values():
        for approval in approvals:
            yield approval, _signer(ctx, approval), ctx.git.approvals.get(ctx.records.sources[approval.id].file)


@rule("QMS607", "error", "Approval not in a signed commit", area=_AREA, clause=_SIGNED_COMMITS,
      rationale="Where qms.yaml sets `signatures.require_signed_commits`, the commit that adds an approval is "
                "the signature's cryptographic seal: it must exist and carry an SSH or GPG signature. An "
                "approval file that is not committed, or was committed unsigned, is not signed.")
def commit_unsigned(ctx: Context) -> Iterator[Finding]:
    for approval, _, commit in _required_commits(ctx):
        if commit is None:
            message = "is not committed: no commit in the history adds this file"
        elif not commit.signed:
            message = f"was added by commit {commit.commit[:10]}, which is not signed"
        else:
            continue
        yield commit_unsigned.finding(
            ctx.at(approval.id), f"{approval.id} {message}", approval.id,
            hint="approvals are made with `qms approve`, which commits and signs them (git commit -S with the "
                 "signer's registered key)")


@rule("QMS608", "error", "Approval commit signature invalid or not the signer's key", area=_AREA,
      clause=_SIGNED_COMMITS,
      rationale="A signed commit seals the approval only if git verifies the signature and the key is one the "
                "signer's user record registers (`signing_keys`): a valid signature made with someone else's "
                "key, or with a key no user registers, is not the signer's signature (Part 11 §11.200(a)).")
def commit_signature_invalid(ctx: Context) -> Iterator[Finding]:
    from ..gitio.signatures import STATUS_TEXT  # gitio imports the load layer, which imports the rules

    for approval, user, sig in _required_commits(ctx):
        if sig is None or not sig.signed or ctx.git is None:
            continue  # QMS607
        where = f"commit {sig.commit[:10]}"
        if not sig.good:
            message = f"{where} has a signature git reports as {STATUS_TEXT.get(sig.status, sig.status)}"
        else:
            owners = ctx.git.owners(sig)
            if user is None or user.id in owners:
                continue
            held = f"registered to {', '.join(sorted(owners))}" if owners else "registered on no user record"
            message = f"{where} is signed with key {sig.key or sig.fingerprint}, not {user.id}'s ({held})"
        yield commit_signature_invalid.finding(
            ctx.at(approval.id), message, approval.id,
            hint="register the signer's public key under signing_keys on their user record, or revoke the "
                 "approval and have the signer approve again with their own key")


@rule("QMS611", "error", "Approval committed by another person's git identity", area=_AREA,
      clause=_ATTRIBUTION,
      rationale="A signature is the signer's own act (Part 11 §11.100(a), §11.200(a)): the commit that adds an "
                "approval must be authored by a git identity that the signer's user record maps (`email` or "
                "`git_identities`). An approval in the name of USR-002 committed by someone else's identity is "
                "someone signing for another, whatever key sealed it.")
def committed_by_another(ctx: Context) -> Iterator[Finding]:
    for approval, user, sig in _required_commits(ctx):
        if sig is None or user is None or sig.author in user.identities:
            continue
        yield committed_by_another.finding(
            ctx.at(approval.id, ("signer",)),
            f"{approval.id} signs as {user.id} but commit {sig.commit[:10]} that added it was made by "
            f"{sig.author or '(no email)'} ({_identity_owner(ctx, sig.author)})", approval.id,
            hint=f"revoke this approval (status: revoked); {user.id} signs with `qms approve` under their own git "
                 "identity and key")


def _identity_owner(ctx: Context, email: str) -> str:
    owners = sorted(u.id for u in ctx.records.of_type(User) if email in u.identities)
    return f"an identity of {', '.join(owners)}" if owners else "an identity of no user"


# Clock difference tolerated between the signing time written in an approval and its commit's time, or the
# clock now (two machines' clocks, a slow commit hook); `qms approve` commits seconds after it signs.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _authored(sig: CommitSignature | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(sig.authored) if sig is not None and sig.authored else None
    except ValueError:
        return None


def clock_valid_until(records: RecordSet, now: dt.datetime) -> dt.datetime | None:
    """Until when QMS612's and QMS613's findings stay as they are at `now`: a signing time still in the future is
    reported until the clock reaches it (less the skew); None when no finding can change with the clock.
    (Kept beside the rule: `qms validate` replays a stored result only until then.)"""
    pending = [when(a) - CLOCK_SKEW for approvals in signed_approvals(records).values() for a in approvals]
    return min((at for at in pending if at > now), default=None)


def _latest() -> dt.datetime:
    """The latest signing time that is not in the future: now, and the tolerated clock difference."""
    return dt.datetime.now(dt.UTC) + CLOCK_SKEW


@rule("QMS612", "error", "Approval not dated when it was signed", area=_AREA, clause=_PART11,
      rationale="A signature shows the date and time it was made (Part 11 §11.50(a)(2)) and its record is "
                "contemporaneous (ALCOA+). A signing time later than now, or, where signatures are required, more "
                "than five minutes away from the time of the commit that added the approval, is not the time of "
                "the act: back-dated, post-dated or copied from elsewhere.")
def signed_at_another_time(ctx: Context) -> Iterator[Finding]:
    latest = _latest()
    committed = {approval.id: (sig, _authored(sig)) for approval, _, sig in _required_commits(ctx)}
    for approvals in signed_approvals(ctx.records).values():
        for approval in approvals:
            signed = when(approval)
            sig, at = committed.get(approval.id, (None, None))
            if signed > latest:
                message = f"signed {signed.isoformat()}, which is in the future"
            elif sig is not None and at is not None and abs(signed - at) > CLOCK_SKEW:
                message = f"signed {signed.isoformat()} but its commit {sig.commit[:10]} was made {at.isoformat()}"
            else:
                continue
            yield signed_at_another_time.finding(
                ctx.at(approval.id, ("signed",)), f"{approval.id} {message}", approval.id,
                hint="an approval carries the time it was made: revoke it (status: revoked) and sign again with "
                     "`qms approve`, which dates the signature by the clock")


def _as_of_over(as_of: dt.date) -> dt.datetime:
    """When the as-of day has ended everywhere on earth (midnight at UTC-12): a signature made before then may
    still fall on that calendar day where it was made."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(12), dt.UTC)


@rule("QMS613", "warning", "Approval signed after the as-of date", area=_AREA, clause=_PART11,
      rationale="Findings and documents are as of one date (`--as-of`, else `as_of` in qms.yaml, else today). A "
                "signature made after it did not exist on that date, yet the documents as of it would show it, "
                "effective and dated after the day they describe: an `as_of` pinned in qms.yaml has been left "
                "behind by later approvals. The as-of day counts as over only once it has ended everywhere "
                "(12:00 UTC the next day), so a signature of the same calendar day in another time zone is not "
                "reported; nor is one still in the future, which QMS612 reports.")
def signed_after_as_of(ctx: Context) -> Iterator[Finding]:
    over, latest = _as_of_over(ctx.as_of), _latest()
    for approvals in signed_approvals(ctx.records).values():
        for approval in approvals:
            signed = when(approval)
            if signed < over or signed > latest:
                continue
            yield signed_after_as_of.finding(
                ctx.at(approval.id, ("signed",)),
                f"{approval.id} was signed {signed.isoformat()}, after the as-of date {ctx.as_of}: documents as of "
                f"{ctx.as_of} would show a signature not yet made", approval.id,
                hint="check as of a date on or after the latest signature: move `as_of` in qms.yaml (or give "
                     "--as-of), or leave `as_of` out to check as of today")


def _first_record(ctx: Context, files: tuple[str, ...]) -> tuple[Location, str | None]:
    """Where a finding about these files goes: the first file still holding a record (its first record by
    position), else the first file as a whole."""
    held: dict[str, tuple[tuple[str, str, int, int], str]] = {}
    for record_id, source in ctx.records.sources.items():
        where = source.at(())
        if source.file not in held or where.order < held[source.file][0]:
            held[source.file] = (where.order, record_id)
    for rel in files:
        if rel in held:
            record_id = held[rel][1]
            return ctx.at(record_id), record_id
    return Location(files[0] if files else ""), None


@rule("QMS609", "warning", "Records changed by a git identity that maps to no user", area=_AREA,
      clause=_ATTRIBUTION,
      rationale="The audit trail must attribute every change to a person (Part 11 §11.10(e)): git records an "
                "author email for each commit, and a user record (USR-) maps its `email` and `git_identities` "
                "to that person. Commits changing records/, specs/ or protocols/ by an identity no user record "
                "maps are changes nobody can be held to. Add the identity to its person's user record; if no "
                "person stands behind it (a migration, a bot), waive the finding with the justification. One "
                "finding per identity, at the first record it changed. Needs the git history.")
def unknown_identity(ctx: Context) -> Iterator[Finding]:
    if ctx.git is None:
        return
    known: set[str] = set()
    for user in ctx.records.of_type(User):
        if isinstance(user, User):
            known |= user.identities
    for email, did in sorted(ctx.git.authors.items()):
        if email in known:
            continue
        location, record_id = _first_record(ctx, did.files)
        who = f"{email} ({did.name})" if did.name else email or "(no email)"
        yield unknown_identity.finding(
            location, f"git identity {who} maps to no user but changed records in {did.commits} commit(s), "
            f"first {did.first[:10]}, last {did.last[:10]}", record_id,
            hint=f"add {email} to its person's user record (email or git_identities); if no person stands "
                 "behind it, waive QMS609 on this record with the justification")


@rule("QMS610", "warning", "Git history incomplete (shallow clone, grafts or replace refs)", area=_AREA,
      clause="21 CFR Part 11 §11.10(e); ISO 13485:2016 4.2.5",
      rationale="The audit trail, the revision histories and the authorship of approvals are read from git. "
                "A shallow clone (git clone --depth), grafts or replace refs hide or rewrite earlier commits, so "
                "the oldest commit present seems to create every record and who changed what before it is "
                "unknown. The dossier marks its revision and audit information incomplete and a release build "
                "refuses it; build from a full clone (git fetch --unshallow). Needs the git history.")
def incomplete_history(ctx: Context) -> Iterator[Finding]:
    if ctx.git is None:
        return
    for gap in ctx.git.gaps:
        yield incomplete_history.finding(
            Location(gap.where), gap.message,
            hint="build and release from a full clone: git fetch --unshallow (and remove grafts or replace refs)")
