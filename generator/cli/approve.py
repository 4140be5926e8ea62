"""`qms approve ID --meaning review|approval|release`: sign a record's current content and commit the signature.

The approval record holds the signer, printed name, role, meaning, time and the SHA-256 of the
record's canonical content; it is committed on its own (signed with -S where qms.yaml requires signed
commits). Everything `qms validate` would hold against the signature is refused first (exit 2, one
line), so nothing is written: an unknown or inactive signer, a role without the authority, the
author of the change signing it, a record with uncommitted edits or schema/reference errors.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from ..edit.approvals import FOLDER, NewApproval, approval_text, create, next_id
from ..findings import QmsError
from ..gitio.commit import GitError, commit_file, config_value, is_modified, is_work_tree, last_author
from ..lock import repository_lock
from ..model.canonical import content_hash
from ..model.people import Approval, User
from ..paths import child
from ..recordset import RecordSet
from ..rules import RULES, check
from ..rules.integrity import activity_problem, role_problem, settings, signed_approvals, signing_role
from .app import FORMAT, App

MEANINGS = ("review", "approval", "release")
# Findings on the record that make its content unfit to sign; rule findings from other areas (a
# requirement not verified yet, say) are what approval workflows resolve later.
_BLOCKING_AREAS = ("schema", "references")


class SignedAt(click.ParamType):
    name = "DATETIME"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM:SS+HH:MM)", param, ctx)
        if when.tzinfo is None:
            self.fail(f"{value!r} has no UTC offset (e.g. +01:00)", param, ctx)
        return when


@click.command()
@click.argument("record_id", metavar="ID")
@click.option("--meaning", type=click.Choice(MEANINGS), required=True, help="What the signature means.")
@click.option("--as", "as_user", default=None, metavar="USER-ID",
              help="Sign as this user (default: the user whose email or git_identities hold git's user.email).")
@click.option("--role", "role_id", default=None, metavar="ROLE-ID",
              help="Role signed under (default: the first of the signer's roles that may sign it).")
@click.option("--comment", default=None, help="The signer's comment.")
@click.option("--at", "signed_at", type=SignedAt(), default=None,
              help="Signing time with offset, for back-filling a signature made on paper (default: now).")
@FORMAT
@click.pass_obj
def approve(app: App, record_id: str, meaning: str, as_user: str | None, role_id: str | None,
            comment: str | None, signed_at: dt.datetime | None, fmt: str) -> None:
    """Sign record ID's current content with a meaning, and commit the approval record."""
    root = app.root
    if not is_work_tree(root):
        raise QmsError(f"{root} is not a git work tree: approvals are committed, so they need git")
    # Held until the command ends: the checks, the approval's number, its file and its commit.
    click.get_current_context().with_resource(repository_lock(root, f"qms approve {record_id}"))
    loaded, records = app.load_readable()
    record = records.get(record_id)
    if record is None:
        raise QmsError(f"no record {record_id} in the repository (a record that fails to load cannot be "
                       "approved: run `qms validate`)")
    user = _signer(app, records, as_user)
    when = signed_at or dt.datetime.now().astimezone().replace(microsecond=0)
    problem = activity_problem(user, when.date())
    if problem:
        raise QmsError(f"{problem}; the signature would not count")
    role_id = role_id or signing_role(records, user, meaning, record.KIND)
    problem = role_problem(records, user, role_id, meaning, record.KIND)
    if problem:
        raise QmsError(f"{problem}; {record_id} was not signed")
    source = records.sources[record_id]
    if is_modified(root, source.file):
        raise QmsError(f"{source.file} has uncommitted changes: commit them first, so that the approval signs "
                       "content that is in git")
    policy = settings(records)
    if meaning in policy.author_may_not_sign:
        author = last_author(root, source.file)
        if author is not None and author.lower() in user.identities:
            raise QmsError(f"{user.id} ({author}) authored the last change to {record_id} and may not sign its "
                           f"{meaning} (segregation of duties); another authorised person signs it")
    digest = content_hash(record)
    _refuse_repeat(records, record_id, digest, meaning, user, policy.reviewer_may_not_approve)
    _refuse_invalid(app, loaded, records, record_id)

    approval = NewApproval(
        id=next_id(record_id, set(records.records), root / FOLDER), title=f"{meaning.capitalize()} of "
        f"{record_id}: {record.title}", record=record_id, record_hash=digest, meaning=meaning, signer=user.id,
        printed_name=user.name, role=role_id, signed=when, comment=comment)
    path = child(root / FOLDER, approval.id, ".yaml", "approval ID")
    rel = f"{FOLDER}/{path.name}"
    create(path, approval_text(approval))
    try:
        _check_written(root, rel, approval)
        commit = commit_file(root, rel, f"Approve {record_id} ({meaning}) as {user.id}",
                             sign=policy.require_signed_commits)
    except (GitError, QmsError) as err:
        path.unlink(missing_ok=True)
        raise QmsError(f"{err}; {rel} was removed, {record_id} was not signed") from None
    seal = _seal(root, records, rel, user) if policy.require_signed_commits else None
    _report(fmt, approval, rel, commit, seal)
    if seal is not None and seal != "valid":
        raise SystemExit(1)


def _signer(app: App, records: RecordSet, as_user: str | None) -> User:
    if as_user is not None:
        user = records.get(as_user)
        if not isinstance(user, User):
            raise QmsError(f"--as {as_user}: no user record {as_user}")
        return user
    email = config_value(app.root, "user.email")
    if email is None:
        raise QmsError("git has no user.email: set it (git config user.email ...) or pass --as USER-ID")
    matches = [u for u in records.of_kind("user") if isinstance(u, User) and email.lower() in u.identities]
    if len(matches) != 1:
        what = "no user record" if not matches else f"{len(matches)} user records ({', '.join(u.id for u in matches)})"
        raise QmsError(f"git user.email {email} maps to {what}; list it under one user's email or git_identities, "
                       "or pass --as USER-ID")
    return matches[0]


def _refuse_repeat(records: RecordSet, record_id: str, digest: str, meaning: str, user: User,
                   reviewer_may_not_approve: bool) -> None:
    for earlier in signed_approvals(records).get(record_id, []):
        if earlier.record_hash != digest or earlier.signer.id != user.id:
            continue
        if earlier.meaning == meaning:
            raise QmsError(f"{user.id} already signed this content of {record_id} with meaning '{meaning}' "
                           f"({earlier.id})")
        if reviewer_may_not_approve and earlier.meaning == "review" and meaning in ("approval", "release"):
            raise QmsError(f"{user.id} reviewed this content of {record_id} ({earlier.id}) and may not also "
                           f"sign its {meaning} (signatures.reviewer_may_not_approve)")


def _refuse_invalid(app: App, loaded, records: RecordSet, record_id: str) -> None:  # type: ignore[no-untyped-def]
    report = check(records, loaded.findings, app.as_of(None), loaded.exports)
    errors = [f for f in report.findings if f.record == record_id and f.severity == "error"
              and f.code in RULES and RULES[f.code].area in _BLOCKING_AREAS]
    if errors:
        first = errors[0]
        raise QmsError(f"{record_id} has {len(errors)} schema or reference error(s), first {first.location}: "
                       f"{first.code} {first.message}; fix them before signing")


def _check_written(root, rel: str, approval: NewApproval) -> None:  # type: ignore[no-untyped-def]
    """The file just written loads as exactly this approval, with no findings."""
    from ..load.repo import load_file

    found, findings = load_file(root, rel, "yaml", (root / rel).read_bytes())
    written = found[0][0] if found else None
    if findings or not isinstance(written, Approval) or written.record_hash != approval.record_hash \
            or written.signed != approval.signed or written.signer.id != approval.signer:
        detail = findings[0].message if findings else "it does not read back as the approval"
        raise QmsError(f"the approval file could not be written correctly: {detail}")


def _seal(root, records: RecordSet, rel: str, user: User) -> str:  # type: ignore[no-untyped-def]
    """'valid', or why the commit's signature does not seal the approval."""
    from ..gitio.signatures import STATUS_TEXT, GitFacts, allowed_signers, approval_commits, registered_keys

    owners, ssh_keys = registered_keys(records)
    sig = approval_commits(root, [FOLDER], allowed_signers(ssh_keys)).get(rel)
    if sig is None or not sig.signed:
        return "the commit is not signed"
    if not sig.good:
        return f"git reports the commit's signature as {STATUS_TEXT.get(sig.status, sig.status)}"
    if user.id not in GitFacts(key_owners=owners).owners(sig):
        return f"it is signed with key {sig.key or sig.fingerprint}, which {user.id}'s user record does not register"
    return "valid"


def _report(fmt: str, approval: NewApproval, rel: str, commit: str, seal: str | None) -> None:
    if fmt == "json":
        out = {
            "approval": approval.id, "file": rel, "record": approval.record, "record_hash": approval.record_hash,
            "meaning": approval.meaning, "signer": approval.signer, "printed_name": approval.printed_name,
            "role": approval.role, "signed": approval.signed.isoformat(), "commit": commit,
            "commit_signature": seal,
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(f"{approval.id}: {approval.meaning} of {approval.record} by {approval.signer} ({approval.printed_name}, "
               f"{approval.role}) at {approval.signed.isoformat()}")
    click.echo(f"  content hash {approval.record_hash}")
    click.echo(f"  committed {commit[:10]} ({rel})")
    if seal is not None:
        if seal == "valid":
            click.echo("  commit signature: valid, signer's registered key")
        else:
            click.echo(f"qms: error: the approval is committed but its signature does not count: {seal} "
                       "(qms validate reports it)", err=True)
