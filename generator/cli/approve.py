"""`qms approve ID... | --kind KIND --status S --meaning review|approval|release`: sign records' current content
as yourself and commit.

Each approval record holds the signer, printed name, role, meaning, time and the SHA-256 of the record's
canonical content; the approvals of one command are committed together, on their own, signed with -S
where qms.yaml requires signed approvals (the default). A signature is the caller's own act: the signer
is the user whose email or git identities hold git's user.email, `--as` naming anyone else is refused,
the commit is signed with git's configured key, which must be registered on the signer's user record,
and the time is the clock's. Everything `qms validate` would hold against a signature is refused first
(exit 2, one line), so nothing is written: an unknown or inactive signer, a role without the authority,
the author of the change signing it, a record with uncommitted edits or schema/reference errors, a key
that is not the signer's. Should git's verification of the new commit still fail, the commit is undone.
Several records (named, or chosen by --kind and --status) are listed first and signed only once confirmed on
a terminal or with --yes; without either nothing is signed (exit 2).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..edit.approvals import FOLDER, NewApproval, approval_text, create, next_id
from ..findings import QmsError
from ..gitio.commit import GitError, commit_files, config_value, git, is_modified, is_work_tree, last_author
from ..gitio.identity import caller
from ..gitio.signatures import configured_signing_key
from ..lock import repository_lock
from ..model.canonical import content_hash
from ..model.people import Approval, User
from ..paths import child
from ..recordset import RecordSet
from ..rules import RULES, check
from ..rules.integrity import activity_problem, role_problem, settings, signed_approvals, signing_role
from .app import FORMAT, App

if TYPE_CHECKING:
    from ..load.repo import Loaded

MEANINGS = ("review", "approval", "release")
# Findings on the record that make its content unfit to sign; rule findings from other areas (a
# requirement not verified yet, say) are what approval workflows resolve later.
_BLOCKING_AREAS = ("schema", "references")


@click.command()
@click.argument("record_ids", metavar="ID...", nargs=-1)
@click.option("--kind", "kinds", default=None, metavar="KIND",
              help="Instead of IDs: every record of this kind (ID prefix or kind name, e.g. REQ or requirement) "
                   "with the --status given, less those whose current content you already signed so.")
@click.option("--status", default=None, metavar="S", help="With --kind: the status of the records to sign.")
@click.option("--yes", is_flag=True, help="Sign several records without asking (needed without a terminal).")
@click.option("--meaning", type=click.Choice(MEANINGS), required=True, help="What the signature means.")
@click.option("--as", "as_user", default=None, metavar="USER-ID",
              help="Who you are, as a check: the user whose email or git_identities hold git's user.email "
                   "(the default). Naming anyone else is refused: nobody signs in another's name.")
@click.option("--role", "role_id", default=None, metavar="ROLE-ID",
              help="Role signed under (default: the first of the signer's roles that may sign each record).")
@click.option("--comment", default=None, help="The signer's comment, on every approval of this command.")
@FORMAT
@click.pass_obj
def approve(app: App, record_ids: tuple[str, ...], kinds: str | None, status: str | None, yes: bool, meaning: str,
            as_user: str | None, role_id: str | None, comment: str | None, fmt: str) -> None:
    """Sign the current content of each record ID (or of every record of a kind in a status) with a meaning,
    and commit the approvals in one signed commit; several records are listed and confirmed first."""
    root = app.root
    if bool(record_ids) == bool(kinds) or bool(kinds) != bool(status):
        raise QmsError("name the records to sign: IDs, or --kind KIND --status S (not both)")
    if not is_work_tree(root):
        raise QmsError(f"{root} is not a git work tree: approvals are committed, so they need git")
    if len(set(record_ids)) != len(record_ids):
        twice = sorted({r for r in record_ids if record_ids.count(r) > 1})
        raise QmsError(f"{', '.join(twice)} named more than once; nothing was signed")
    what = " ".join(record_ids) or f"--kind {kinds} --status {status}"
    # Held until the command ends: the checks, the approvals' numbers, their files and their commit.
    click.get_current_context().with_resource(repository_lock(root, f"qms approve {what}"))
    loaded, records = app.load_readable()
    user = _signer(app, records, as_user)
    if kinds:
        record_ids = _selected(records, kinds, status or "", meaning, user)
        if not record_ids:
            click.echo(f"nothing to sign: no {kinds} record in status {status} lacks your {meaning} of its "
                       "current content", err=fmt == "json")
            if fmt == "json":
                click.echo(json.dumps({"commit": None, "commit_signature": None, "approvals": []}))
            return
    policy = settings(records)
    if policy.require_signed_commits:
        _refuse_foreign_key(app, records, user)
    when = dt.datetime.now().astimezone().replace(microsecond=0)
    problem = activity_problem(user, when.date())
    if problem:
        raise QmsError(f"{problem}; the signature would not count")
    unnumbered = [_approval(app, records, rid, meaning, user, role_id, comment, when) for rid in record_ids]
    _refuse_invalid(app, loaded, records, record_ids)
    if len(unnumbered) > 1 or kinds:
        _confirm(unnumbered, records, user, yes)
    taken = set(records.records)
    approvals: list[NewApproval] = []
    for approval in unnumbered:
        numbered = approval.numbered(next_id(approval.record, taken, root / FOLDER))
        taken.add(numbered.id)
        approvals.append(numbered)
    rels = _write(root, approvals)
    subject = (f"Approve {record_ids[0]} ({meaning}) as {user.id}" if len(record_ids) == 1 else
               f"Approve {len(record_ids)} records ({meaning}) as {user.id}\n\n" + "\n".join(record_ids))
    try:
        commit = commit_files(root, rels, subject, sign=policy.require_signed_commits)
    except GitError as err:
        _remove(root, rels)
        raise QmsError(f"{err}; {_nothing(record_ids)}") from None
    if policy.require_signed_commits:
        seal = _seal(root, records, rels, user)
        if seal != "valid":  # e.g. a GPG key, which cannot be checked before signing: undo this very commit
            git(root, "reset", "--soft", "--quiet", "HEAD~1", check=False)
            git(root, "reset", "--quiet", "--", *rels, check=False)
            _remove(root, rels)
            raise QmsError(f"git does not verify the commit as {user.id}'s signature: {seal}; the commit was "
                           f"undone and {_nothing(record_ids)}")
    _report(fmt, approvals, rels, commit, "valid" if policy.require_signed_commits else None)


def _selected(records: RecordSet, given: str, status: str, meaning: str, user: User) -> tuple[str, ...]:
    """IDs of the records of the kinds `given` in `status`, less those whose current content `user` already
    signed with `meaning` (a bulk run repeated signs only what is new)."""
    from ..model import KINDS
    from .app import parse_kinds

    kinds = parse_kinds(given, KINDS, "", option="--kind")
    for kind in kinds:
        if status not in kind.lifecycle:
            raise QmsError(f"--status {status}: not a {kind.name} status (one of: {', '.join(kind.lifecycle)})")
    signed = signed_approvals(records)
    out = []
    for kind in kinds:
        for record in records.of_kind(kind.name):
            if record.status != status:
                continue
            digest = content_hash(record)
            if any(a.record_hash == digest and a.signer.id == user.id and a.meaning == meaning
                   for a in signed.get(record.id, [])):
                continue
            out.append(record.id)
    return tuple(out)


def _confirm(approvals: list[NewApproval], records: RecordSet, user: User, yes: bool) -> None:
    """List what is about to be signed (on stderr: stdout keeps the result) and, without --yes, ask."""
    import sys

    meaning = approvals[0].meaning
    click.echo(f"{user.id} ({user.name}) will sign the {meaning} of {len(approvals)} records, in one commit:",
               err=True)
    for a in approvals:
        record = records.get(a.record)
        status = record.status if record is not None else "?"
        click.echo(f"  {a.record:<16} {status:<12} {a.role:<12} {a.record_hash[:12]}  {a.title}", err=True)
    if yes:
        return
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise QmsError(f"{len(approvals)} records would be signed and there is no terminal to confirm on: "
                       "run it again with --yes; nothing was signed")
    if not click.confirm(f"Sign these {len(approvals)} records?", default=False, err=True):
        raise QmsError("not confirmed; nothing was signed")


def _nothing(record_ids: tuple[str, ...]) -> str:
    return f"{record_ids[0]} was not signed" if len(record_ids) == 1 else "none of the records was signed"


def _approval(app: App, records: RecordSet, record_id: str, meaning: str, user: User, role_id: str | None,
              comment: str | None, when: dt.datetime) -> NewApproval:
    """The approval `user` would sign for `record_id` (not yet numbered), or QmsError saying why they may not."""
    record = records.get(record_id)
    if record is None:
        raise QmsError(f"no record {record_id} in the repository (a record that fails to load cannot be "
                       "approved: run `qms validate`)")
    role = role_id or signing_role(records, user, meaning, record.KIND)
    problem = role_problem(records, user, role, meaning, record.KIND)
    if problem:
        raise QmsError(f"{problem}; {_nothing((record_id,))}")
    source = records.sources[record_id]
    if is_modified(app.root, source.file):
        raise QmsError(f"{source.file} has uncommitted changes: commit them first, so that the approval signs "
                       "content that is in git")
    policy = settings(records)
    if meaning in policy.author_may_not_sign:
        author = last_author(app.root, source.file)
        if author is not None and author.lower() in user.identities:
            raise QmsError(f"{user.id} ({author}) authored the last change to {record_id} and may not sign its "
                           f"{meaning} (segregation of duties); another authorised person signs it")
    digest = content_hash(record)
    _refuse_repeat(records, record_id, digest, meaning, user, policy.reviewer_may_not_approve)
    return NewApproval(
        id="", title=f"{meaning.capitalize()} of {record_id}: {record.title}", record=record_id, record_hash=digest,
        meaning=meaning, signer=user.id, printed_name=user.name, role=role, signed=when, comment=comment)


def _write(root: Path, approvals: list[NewApproval]) -> list[str]:
    """Write each approval as a new file that reads back as itself; on any failure none of them stays."""
    rels: list[str] = []
    try:
        for approval in approvals:
            path = child(root / FOLDER, approval.id, ".yaml", "approval ID")
            rel = f"{FOLDER}/{path.name}"
            create(path, approval_text(approval))
            rels.append(rel)
            _check_written(root, rel, approval)
    except QmsError:
        _remove(root, rels)
        raise
    return rels


def _remove(root: Path, rels: list[str]) -> None:
    for rel in rels:
        (root / rel).unlink(missing_ok=True)


def _signer(app: App, records: RecordSet, as_user: str | None) -> User:
    user = caller(app.root, records)
    if as_user is not None and as_user != user.id:
        raise QmsError(f"--as {as_user}: you are {user.id} ({user.name}, git user.email "
                       f"{config_value(app.root, 'user.email')}); a signature is the signer's own act, so "
                       f"{as_user} approves under their own git identity and key")
    return user


def _refuse_foreign_key(app: App, records: RecordSet, user: User) -> None:
    """Refuse before writing anything when git would sign with no key, or with a key not registered to `user`."""
    from ..gitio.signatures import registered_keys

    key = configured_signing_key(app.root)
    if key is None:
        raise QmsError("git has no signing key (user.signingkey) and qms.yaml requires signed approvals: register "
                       "yours with `qms keys add ~/.ssh/id_ed25519.pub`, which also configures git to sign with it")
    if key.fingerprint is None:
        return  # a GPG default key or an unreadable SSH key: git's verification after the commit decides
    owners = registered_keys(records)[0].get(key.fingerprint.upper(), frozenset())
    if user.id not in owners:
        held = f"it is registered to {', '.join(sorted(owners))}" if owners else "no user record registers it"
        raise QmsError(f"git would sign with key {key.fingerprint}, which is not {user.id}'s ({held}); sign with "
                       "your own key, or register it on your user record with `qms keys add`")


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


def _refuse_invalid(app: App, loaded: Loaded, records: RecordSet, record_ids: tuple[str, ...]) -> None:
    report = check(records, loaded.findings, app.as_of(None), loaded.exports)
    for record_id in record_ids:
        errors = [f for f in report.findings if f.record == record_id and f.severity == "error"
                  and f.code in RULES and RULES[f.code].area in _BLOCKING_AREAS]
        if errors:
            first = errors[0]
            raise QmsError(f"{record_id} has {len(errors)} schema or reference error(s), first {first.location}: "
                           f"{first.code} {first.message}; fix them before signing; {_nothing(record_ids)}")


def _check_written(root: Path, rel: str, approval: NewApproval) -> None:
    """The file just written loads as exactly this approval, with no findings."""
    from ..load.repo import load_file

    found, findings = load_file(root, rel, "yaml", (root / rel).read_bytes())
    written = found[0][0] if found else None
    if findings or not isinstance(written, Approval) or written.record_hash != approval.record_hash \
            or written.signed != approval.signed or written.signer.id != approval.signer:
        detail = findings[0].message if findings else "it does not read back as the approval"
        raise QmsError(f"the approval file could not be written correctly: {detail}")


def _seal(root: Path, records: RecordSet, rels: list[str], user: User) -> str:
    """'valid', or why the new commit's signature does not seal the approvals as `user`'s."""
    from ..gitio.signatures import STATUS_TEXT, GitFacts, allowed_signers, approval_commits, registered_keys

    owners, ssh_keys = registered_keys(records)
    sig = approval_commits(root, [FOLDER], allowed_signers(ssh_keys)).get(rels[0])
    if sig is None or not sig.signed:
        return "the commit is not signed"
    if not sig.good:
        return f"git reports the commit's signature as {STATUS_TEXT.get(sig.status, sig.status)}"
    if user.id not in GitFacts(key_owners=owners).owners(sig):
        return f"it is signed with key {sig.key or sig.fingerprint}, which {user.id}'s user record does not register"
    return "valid"


def _report(fmt: str, approvals: list[NewApproval], rels: list[str], commit: str, seal: str | None) -> None:
    if fmt == "json":
        items = [{
            "approval": a.id, "file": rel, "record": a.record, "record_hash": a.record_hash, "meaning": a.meaning,
            "signer": a.signer, "printed_name": a.printed_name, "role": a.role, "signed": a.signed.isoformat(),
            "commit": commit, "commit_signature": seal,
        } for a, rel in zip(approvals, rels)]
        out = items[0] if len(items) == 1 else {"commit": commit, "commit_signature": seal, "approvals": items}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for approval in approvals:
        click.echo(f"{approval.id}: {approval.meaning} of {approval.record} by {approval.signer} "
                   f"({approval.printed_name}, {approval.role}) at {approval.signed.isoformat()}")
        click.echo(f"  content hash {approval.record_hash}")
    click.echo(f"  committed {commit[:10]} ({rels[0] if len(rels) == 1 else f'{len(rels)} approval files'})")
    if seal is not None:
        click.echo("  commit signature: valid, signer's registered key")
